//! `docker ps` / `docker container ls` / `podman ps` / `nerdctl ps` tables (default columns,
//! `-a`, `-s`, `--no-trunc`, `--format "table ..."` with custom headers, rows without their
//! header as `docker ps | grep x` prints them), `--format '{{json .}}'` lines, headerless
//! `--format` templates, and the JSON of `docker inspect` / `docker network inspect` (plus
//! `docker inspect -f` lines naming a container's networks): one `Container` each.
//!
//! Status words are shared with `docker compose ps` ([`status_running`], [`is_status`]).

use crate::facts::{Container, Fact, FactAt};
use crate::kind::Kind;
use crate::parse::command_line::{positional, shell_words};
use crate::parse::json_lite::{self, JsonNode, JsonValue};
use crate::parse::registry::{KindSpec, no_file};
use crate::parse::table::{Table, tokens};
use crate::parse::yaml_lite;
use crate::parse::{ParseContext, Parsed};
use crate::span::{Span, lines};

/// How `docker ps` output and container/network inspection are recognised and parsed.
pub const SPEC: KindSpec = KindSpec {
    kind: Kind::DockerPs,
    embeds: &[],
    command: is_command,
    file: no_file,
    line: Some(is_strong_line),
    block: score,
    parse,
};

/// Global options of docker/podman that take a value.
const GLOBAL_WITH_VALUE: &[&str] = &[
    "-H",
    "--host",
    "-c",
    "--context",
    "--config",
    "-l",
    "--log-level",
    "--tlscacert",
    "--tlscert",
    "--tlskey",
    "--url",
    "--connection",
    "--namespace",
    "-n",
];

/// Options of `ps` / `inspect` that take a value.
const PS_WITH_VALUE: &[&str] = &["-f", "--filter", "--format", "-n", "--last", "--type"];

/// The positional words of a docker-like command, or `None` for other programs.
fn docker_words<'a>(program: &str, args: &[&'a str]) -> Option<Vec<&'a str>> {
    if !matches!(program, "docker" | "podman" | "nerdctl" | "finch") {
        return None;
    }
    let mut with_value: Vec<&str> = GLOBAL_WITH_VALUE.to_vec();
    with_value.extend_from_slice(PS_WITH_VALUE);
    Some(positional(args, &with_value))
}

/// `docker ps`, `docker container ls|list|ps`, `docker inspect`, `docker container inspect`,
/// `docker network inspect` (and the same for podman, nerdctl).
fn is_command(program: &str, args: &[&str]) -> bool {
    let Some(words) = docker_words(program, args) else {
        return false;
    };
    matches!(
        words.as_slice(),
        ["ps", ..]
            | ["container", "ls" | "list" | "ps", ..]
            | ["inspect", ..]
            | ["container", "inspect", ..]
            | ["network", "inspect", ..]
    )
}

/// Column names `docker ps`, `podman ps` and their `--format table` headers use.
const COLUMNS: &[&str] = &[
    "CONTAINER ID",
    "IMAGE",
    "COMMAND",
    "CREATED",
    "CREATED AT",
    "RUNNING FOR",
    "STATUS",
    "STATE",
    "PORTS",
    "NAMES",
    "SIZE",
    "LABELS",
    "MOUNTS",
    "NETWORKS",
    "LOCAL VOLUMES",
    "POD ID",
    "PODNAME",
    "POD",
    "PLATFORM",
];

/// The table a `docker ps` header line opens.
fn ps_header(line: &str) -> Option<Table> {
    let t = line.trim_start();
    if !(t.starts_with("CONTAINER ID") || t.contains("NAMES") || t.starts_with("ID ")) {
        return None;
    }
    let table = Table::from_header(line)?;
    let names = table.names();
    let known = names.iter().all(|n| COLUMNS.contains(n) || *n == "ID");
    let anchor = table.has("CONTAINER ID") || table.has("NAMES");
    let more =
        names.len() >= 2 && (table.has("STATUS") || table.has("IMAGE") || table.has("PORTS") || table.has("STATE"));
    (known && anchor && more).then_some(table)
}

/// A header of `docker ps`, or a `--format '{{json .}}'` line: strong evidence on its own.
fn is_strong_line(line: &str) -> bool {
    ps_header(line).is_some_and(|t| t.has("CONTAINER ID") || t.has("NAMES") && t.columns.len() >= 3)
        || json_line(line).is_some()
}

/// Scores a block: the share of its lines that read as containers or table framing, when
/// there is a header, a JSON document or rows shaped like the default columns.
fn score(block: &[&str]) -> f32 {
    let text = block.join("\n");
    let parsed = parse(&ParseContext::new(&text, 0));
    let containers = parsed.facts.len();
    if containers == 0 {
        return if block.iter().any(|l| ps_header(l).is_some()) {
            0.6
        } else {
            0.0
        };
    }
    let total = block.iter().filter(|l| !l.trim().is_empty()).count().max(1);
    let read = total.saturating_sub(parsed.unread.len());
    (0.3 + 0.7 * read as f32 / total as f32).min(1.0)
}

/// Parses `docker ps` output (any of the shapes in the module doc).
pub fn parse(cx: &ParseContext<'_>) -> Parsed {
    let trimmed = cx.text.trim_start();
    if trimmed.starts_with('[')
        || trimmed.starts_with('{') && !cx.text.lines().all(|l| l.trim().is_empty() || json_line(l).is_some())
    {
        return parse_json(cx);
    }
    let template = cx.command.and_then(format_template);
    let inspect_format = cx.command.is_some_and(is_inspect_command);
    let mut out = Parsed::default();
    let mut table: Option<Table> = None;
    for line in lines(cx.text, cx.base) {
        let text = line.text;
        if text.trim().is_empty() || is_ignorable(text) {
            continue;
        }
        if let Some(t) = ps_header(text) {
            table = Some(t);
            continue;
        }
        let container = if let Some(c) = json_line(text) {
            Some(c)
        } else if let Some(t) = &table {
            container_from_row(t, text)
        } else if let Some(fields) = template.as_ref().filter(|_| !inspect_format) {
            container_from_template(fields, text)
        } else if inspect_format {
            container_from_inspect_format(cx.command.unwrap_or(""), text)
        } else {
            container_from_default_row(text)
        };
        match container {
            Some(c) => out.facts.push(FactAt {
                span: line.span,
                fact: Fact::Container(Box::new(c)),
            }),
            None => out.unread.push(line.span),
        }
    }
    out
}

/// Pager markers and the like.
fn is_ignorable(text: &str) -> bool {
    let t = text.trim();
    t == "(END)" || t == ":" || t.starts_with("lines ") && t.ends_with("(END)") || t == "..." || t == "[...]"
}

/// True for a status text docker, podman or compose writes.
pub fn is_status(text: &str) -> bool {
    let t = text.trim();
    let lower = t.to_ascii_lowercase();
    let first = lower.split([' ', '(']).next().unwrap_or("");
    match first {
        "up" | "exited" | "restarting" | "created" | "paused" | "dead" | "running" | "removing" | "stopped"
        | "configured" | "initialized" => true,
        "exit" => lower[4..].trim().parse::<i32>().is_ok(),
        "removal" => lower.starts_with("removal in progress"),
        _ => false,
    }
}

/// True when a status text means the container is running (`Up ...`, `running ...`), not
/// paused.
pub fn status_running(status: &str) -> bool {
    let lower = status.trim().to_ascii_lowercase();
    if lower.contains("(paused)") {
        return false;
    }
    lower.starts_with("up") || lower.starts_with("running")
}

/// Splits a `PORTS` cell: `0.0.0.0:8080->80/tcp, :::8080->80/tcp` → two entries.
pub fn split_ports(cell: &str) -> Vec<String> {
    cell.split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect()
}

/// A container from a row under a `docker ps` header.
fn container_from_row(table: &Table, line: &str) -> Option<Container> {
    let cells = table.cells(line);
    let cell = |name: &str| table.index(name).and_then(|i| cells.get(i).copied()).unwrap_or("");
    let id = cell("CONTAINER ID");
    let id = if id.is_empty() { cell("ID") } else { id };
    let names = cell("NAMES");
    let name = names.split(',').next().unwrap_or("").trim();
    let name = if name.is_empty() { id } else { name };
    if name.is_empty() || name.contains(' ') {
        return None;
    }
    if !id.is_empty() && !is_container_id(id) {
        return None;
    }
    let status = cell("STATUS");
    let state = cell("STATE");
    if table.has("STATUS") && !is_status(status) || table.has("STATE") && !state.is_empty() && !is_status(state) {
        return None;
    }
    let status = if status.is_empty() { state } else { status };
    Some(Container {
        name: name.to_string(),
        service: None,
        image: Some(cell("IMAGE")).filter(|s| !s.is_empty()).map(str::to_string),
        status: status.to_string(),
        running: status_running(status),
        ports: split_ports(cell("PORTS")),
        networks: cell("NETWORKS")
            .split(',')
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_string)
            .collect(),
        addresses: Vec::new(),
    })
}

/// True for a short or full container id (12 to 64 hex digits).
fn is_container_id(text: &str) -> bool {
    (12..=64).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_hexdigit())
}

/// A row of the default columns without its header (`docker ps | grep web`): id, image,
/// command, created, status, optional ports, names.
fn container_from_default_row(line: &str) -> Option<Container> {
    let toks = tokens(line);
    let first = toks.first()?;
    if !is_container_id(first.text) || toks.len() < 5 {
        return None;
    }
    let names = toks.last()?.text;
    let status_index = toks.iter().position(|t| is_status(t.text) && t.text != first.text)?;
    if status_index + 1 >= toks.len() {
        return None;
    }
    let ports = if status_index + 2 < toks.len() {
        let start = toks[status_index + 1].start;
        let end = toks[toks.len() - 2].end;
        split_ports(line.get(start..end).unwrap_or(""))
    } else {
        Vec::new()
    };
    let status = toks[status_index].text;
    Some(Container {
        name: names.split(',').next().unwrap_or(names).to_string(),
        service: None,
        image: toks.get(1).map(|t| t.text.to_string()),
        status: status.to_string(),
        running: status_running(status),
        ports,
        networks: Vec::new(),
        addresses: Vec::new(),
    })
}

/// A `--format '{{json .}}'` line (`docker ps --format json`).
fn json_line(line: &str) -> Option<Container> {
    let t = line.trim();
    // Compose's JSON names a service: `docker compose ps` reads it.
    if !(t.starts_with('{') && t.ends_with('}') && t.contains("\"Names\"")) || t.contains("\"Service\"") {
        return None;
    }
    let read = json_lite::read(t, 0);
    let node = read.value?;
    let text = |key: &str| node.get(key).and_then(JsonNode::as_str).unwrap_or("").to_string();
    let name = text("Names");
    let status = text("Status");
    let state = text("State");
    if name.is_empty() || status.is_empty() && state.is_empty() {
        return None;
    }
    let status = if status.is_empty() { state.clone() } else { status };
    Some(Container {
        name: name.split(',').next().unwrap_or("").to_string(),
        service: label(&text("Labels"), "com.docker.compose.service"),
        image: Some(text("Image")).filter(|s| !s.is_empty()),
        running: state == "running" || status_running(&status),
        status,
        ports: split_ports(&text("Ports")),
        networks: text("Networks")
            .split(',')
            .filter(|n| !n.is_empty())
            .map(str::to_string)
            .collect(),
        addresses: Vec::new(),
    })
}

/// The value of `key` in a `k=v,k2=v2` labels text.
fn label(labels: &str, key: &str) -> Option<String> {
    labels
        .split(',')
        .find_map(|kv| kv.strip_prefix(key).and_then(|v| v.strip_prefix('=')))
        .map(str::to_string)
}

/// One placeholder of a `--format` template, and the literal text after it.
#[derive(Debug, Clone, PartialEq)]
struct TemplateField {
    /// `Names`, `Status`...
    field: String,
    /// The literal text after it (up to the next placeholder).
    separator: String,
}

/// The fields of a headerless `--format` template of the command (`None` for `table ...`
/// templates, which print a header, and for commands without one).
fn format_template(command: &str) -> Option<Vec<TemplateField>> {
    let words = shell_words(command);
    let i = words
        .iter()
        .position(|w| w == "--format" || w == "-f" || w.starts_with("--format="))?;
    let template = match words[i].strip_prefix("--format=") {
        Some(t) => t.to_string(),
        None => words.get(i + 1)?.clone(),
    };
    let template = template.replace("\\t", "\t").replace("\\n", "\n");
    let trimmed = template.trim();
    if trimmed.starts_with("table") || trimmed == "json" || trimmed.contains("json .") {
        return None;
    }
    let mut fields = Vec::new();
    let mut rest = trimmed;
    // Text before the first placeholder is ignored (rare).
    while let Some(open) = rest.find("{{") {
        let after = &rest[open + 2..];
        let close = after.find("}}")?;
        let inner = after[..close].trim();
        rest = &after[close + 2..];
        let literal_end = rest.find("{{").unwrap_or(rest.len());
        let field = inner
            .trim_start_matches('.')
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_string();
        fields.push(TemplateField {
            field,
            separator: rest[..literal_end].to_string(),
        });
    }
    (!fields.is_empty()).then_some(fields)
}

/// Fields whose values hold spaces.
fn spacey(field: &str) -> bool {
    matches!(
        field,
        "Status" | "RunningFor" | "CreatedAt" | "Command" | "Ports" | "Mounts" | "Labels" | "Size"
    )
}

/// A container from a line printed by a headerless `--format` template.
fn container_from_template(fields: &[TemplateField], line: &str) -> Option<Container> {
    let values = split_by_template(fields, line)?;
    let get = |name: &str| {
        fields
            .iter()
            .position(|f| f.field == name)
            .and_then(|i| values.get(i).copied())
            .unwrap_or("")
            .trim()
    };
    let name = get("Names");
    let name = if name.is_empty() { get("ID") } else { name };
    if name.is_empty() || name.contains(' ') {
        return None;
    }
    let status = get("Status");
    let state = get("State");
    if !status.is_empty() && !is_status(status) {
        return None;
    }
    let status = if status.is_empty() { state } else { status };
    Some(Container {
        name: name.split(',').next().unwrap_or(name).to_string(),
        service: None,
        image: Some(get("Image")).filter(|s| !s.is_empty()).map(str::to_string),
        status: status.to_string(),
        running: state == "running" || status_running(status),
        ports: split_ports(get("Ports")),
        networks: get("Networks")
            .split(',')
            .filter(|n| !n.is_empty())
            .map(str::to_string)
            .collect(),
        addresses: Vec::new(),
    })
}

/// Splits a line into the template's values. Literal separators are looked for in order;
/// whitespace separators (tabs turned into spaces by the terminal) split on whitespace, with
/// the one field that may hold spaces taking what is left.
fn split_by_template<'a>(fields: &[TemplateField], line: &'a str) -> Option<Vec<&'a str>> {
    let n = fields.len();
    let separators_blank = fields[..n - 1].iter().all(|f| f.separator.trim().is_empty());
    if !separators_blank {
        let mut values = Vec::with_capacity(n);
        let mut rest = line;
        for f in &fields[..n - 1] {
            let (value, after) = rest.split_once(f.separator.as_str())?;
            values.push(value);
            rest = after;
        }
        values.push(rest.trim_end());
        return Some(values);
    }
    let words: Vec<&str> = if line.contains('\t') {
        line.split('\t').map(str::trim).collect()
    } else {
        line.split_whitespace().collect()
    };
    if words.len() == n {
        return Some(words);
    }
    let spacey_fields: Vec<usize> = (0..n).filter(|&i| spacey(&fields[i].field)).collect();
    if words.len() < n || spacey_fields.len() != 1 {
        return None;
    }
    // One field holds spaces: the words before it and after it are one per field.
    let s = spacey_fields[0];
    let after = n - 1 - s;
    let mut values: Vec<&str> = words[..s].to_vec();
    let first_of_spacey = words[s];
    let last_of_spacey = words[words.len() - 1 - after];
    let start = first_of_spacey.as_ptr() as usize - line.as_ptr() as usize;
    let end = last_of_spacey.as_ptr() as usize - line.as_ptr() as usize + last_of_spacey.len();
    values.push(line.get(start..end)?);
    values.extend_from_slice(&words[words.len() - after..]);
    Some(values)
}

/// `docker inspect -f ...` / `--format ...` (not `network inspect`).
fn is_inspect_command(command: &str) -> bool {
    let words = shell_words(command);
    let has_format = words
        .iter()
        .any(|w| w == "-f" || w == "--format" || w.starts_with("--format="));
    let inspect = words.iter().any(|w| w == "inspect") && !words.iter().any(|w| w == "network");
    has_format && inspect
}

/// A line of `docker inspect -f '{{.Name}} ...'`: the container name (with docker's leading
/// `/`), then words the template printed: IP addresses, a state word, or (when the template
/// ranges over `.NetworkSettings.Networks`) network names.
fn container_from_inspect_format(command: &str, line: &str) -> Option<Container> {
    let mut words = line.split_whitespace();
    let first = words.next()?;
    let name = first.strip_prefix('/')?;
    if name.is_empty() {
        return None;
    }
    let template_names_networks = command.contains("Networks");
    let template_has_state = command.contains(".State.Status") || command.contains(".State.Running");
    let mut container = Container {
        name: name.to_string(),
        ..Default::default()
    };
    for word in words {
        let word = word.trim_matches(|c| c == ',' || c == ';' || c == '[' || c == ']');
        if word.is_empty() {
            continue;
        }
        let address = word.split('/').next().unwrap_or(word);
        if address.parse::<std::net::IpAddr>().is_ok() {
            container.addresses.push(address.to_string());
        } else if template_has_state && (is_status(word) || word == "true" || word == "false") {
            container.running = word == "true" || status_running(word);
            container.status = if word == "true" || word == "false" {
                String::new()
            } else {
                word.to_string()
            };
        } else if template_names_networks {
            container.networks.push(word.to_string());
        }
    }
    Some(container)
}

/// `docker inspect` / `docker network inspect` JSON (an array of objects, or one object;
/// several documents one after the other when several commands were pasted).
fn parse_json(cx: &ParseContext<'_>) -> Parsed {
    let mut out = Parsed::default();
    // Objects that are neither containers nor networks with containers (an image, a volume).
    let mut unread_objects: Vec<Span> = Vec::new();
    let mut offset = cx.text.len() - cx.text.trim_start().len();
    while offset < cx.text.len() {
        let rest = &cx.text[offset..];
        if !rest.starts_with(['[', '{']) {
            break;
        }
        let read = json_lite::read(rest, cx.base + offset);
        let Some(root) = read.value.as_ref() else { break };
        containers_from_json(root, &mut out, &mut unread_objects);
        if read.end == 0 {
            break;
        }
        offset += read.end;
        offset += cx.text[offset..].len() - cx.text[offset..].trim_start().len();
        if !read.complete {
            break;
        }
    }
    out.unread = yaml_lite::lines_within(cx.text, cx.base, &mut unread_objects);
    // Lines after the JSON values (or after where they broke off) were not read.
    let read_end = cx.base + offset;
    for line in lines(cx.text, cx.base) {
        if line.span.end > read_end && !line.text.trim().is_empty() && !is_ignorable(line.text) {
            out.unread.push(line.span);
        }
    }
    out
}

/// The containers of one JSON document of `docker inspect` or `docker network inspect`;
/// the spans of objects that hold none go to `unread_objects`.
fn containers_from_json(root: &JsonNode, out: &mut Parsed, unread_objects: &mut Vec<Span>) {
    let objects: Vec<&JsonNode> = match root.items() {
        [] if root.get("Id").is_some() || root.get("Name").is_some() => vec![root],
        items => items.iter().collect(),
    };
    for object in objects {
        let is_object = |key: &str| object.get(key).is_some_and(|v| matches!(v.value, JsonValue::Object(_)));
        if is_object("State") || is_object("Config") {
            out.facts.push(FactAt {
                span: object.span,
                fact: Fact::Container(Box::new(container_from_inspect(object))),
            });
        } else if let Some(containers) = object.get("Containers").filter(|c| !c.entries().is_empty()) {
            let network = object.get("Name").and_then(JsonNode::as_str).unwrap_or("");
            for (_, entry) in containers.entries() {
                let Some(name) = entry.get("Name").and_then(JsonNode::as_str) else {
                    continue;
                };
                let address = entry
                    .get("IPv4Address")
                    .and_then(JsonNode::as_str)
                    .map(|a| a.split('/').next().unwrap_or(a).to_string())
                    .filter(|a| !a.is_empty());
                out.facts.push(FactAt {
                    span: entry.span,
                    fact: Fact::Container(Box::new(Container {
                        name: name.to_string(),
                        // A container attached to a network is running (docker removes the
                        // endpoint when it stops); the state itself is not shown.
                        running: true,
                        networks: Some(network.to_string())
                            .filter(|n| !n.is_empty())
                            .into_iter()
                            .collect(),
                        addresses: address.into_iter().collect(),
                        ..Default::default()
                    })),
                });
            }
        } else {
            unread_objects.push(object.span);
        }
    }
}

/// A `Container` from one object of `docker inspect`.
fn container_from_inspect(object: &JsonNode) -> Container {
    let text = |path: &[&str]| object.path(path).and_then(JsonNode::as_str).unwrap_or("").to_string();
    let state = text(&["State", "Status"]);
    let exit_code = text(&["State", "ExitCode"]);
    let health = text(&["State", "Health", "Status"]);
    let mut status = state.clone();
    if state == "exited" && !exit_code.is_empty() {
        status = format!("{state} ({exit_code})");
    } else if !health.is_empty() && !state.is_empty() {
        status = format!("{state} ({health})");
    }
    let running = object.path(&["State", "Running"]).is_some_and(JsonNode::is_true)
        && !object.path(&["State", "Paused"]).is_some_and(JsonNode::is_true);
    let mut ports = Vec::new();
    if let Some(map) = object.path(&["NetworkSettings", "Ports"]) {
        for (container_port, bindings) in map.entries() {
            if bindings.items().is_empty() {
                ports.push(container_port.clone());
            }
            for binding in bindings.items() {
                let ip = binding.get("HostIp").and_then(JsonNode::as_str).unwrap_or("");
                let port = binding.get("HostPort").and_then(JsonNode::as_str).unwrap_or("");
                let host = if ip.contains(':') {
                    format!("[{ip}]")
                } else {
                    ip.to_string()
                };
                ports.push(format!("{host}:{port}->{container_port}"));
            }
        }
    }
    let mut networks = Vec::new();
    let mut addresses = Vec::new();
    if let Some(map) = object.path(&["NetworkSettings", "Networks"]) {
        for (network, settings) in map.entries() {
            networks.push(network.clone());
            if let Some(ip) = settings
                .get("IPAddress")
                .and_then(JsonNode::as_str)
                .filter(|s| !s.is_empty())
            {
                addresses.push(ip.to_string());
            }
        }
    }
    let service = object
        .path(&["Config", "Labels", "com.docker.compose.service"])
        .and_then(JsonNode::as_str)
        .map(str::to_string);
    Container {
        name: text(&["Name"]).trim_start_matches('/').to_string(),
        service,
        image: Some(text(&["Config", "Image"])).filter(|s| !s.is_empty()),
        status,
        running,
        ports,
        networks,
        addresses,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::test_support::{facts_of, parse_with_command};

    /// The containers and unread lines of `text`, for tests.
    fn containers(text: &str, command: Option<&str>) -> (Vec<Container>, Vec<Span>) {
        let parsed = parse_with_command(parse, text, command);
        (facts_of(&parsed), parsed.unread)
    }

    const PS: &str = "CONTAINER ID   IMAGE          COMMAND                  CREATED        STATUS                          PORTS                                       NAMES
3f2a1b9c8d7e   nginx:1.25     \"/docker-entrypoint.…\"   2 hours ago    Up 2 hours (healthy)            0.0.0.0:8080->80/tcp, :::8080->80/tcp       proxy-nginx-1
9a8b7c6d5e4f   php:8.3-fpm    \"docker-php-entrypoi…\"   2 hours ago    Exited (137) 5 minutes ago                                                  proxy-php-1
1b2c3d4e5f60   redis:7        \"docker-entrypoint.s…\"   3 days ago     Restarting (1) 10 seconds ago                                               cache
2c3d4e5f6071   app:latest     \"gunicorn app:app\"       3 days ago     Up 2 seconds (health: starting)   9000/tcp                                  api
";

    #[test]
    fn reads_default_table() {
        let (cs, unread) = containers(PS, None);
        assert!(unread.is_empty(), "{unread:?}");
        assert_eq!(cs.len(), 4);
        assert_eq!(cs[0].name, "proxy-nginx-1");
        assert_eq!(cs[0].ports, vec!["0.0.0.0:8080->80/tcp", ":::8080->80/tcp"]);
        assert!(cs[0].running);
        assert_eq!(cs[1].status, "Exited (137) 5 minutes ago");
        assert!(!cs[1].running);
        assert!(cs[1].ports.is_empty());
        assert!(!cs[2].running);
        assert_eq!(cs[3].status, "Up 2 seconds (health: starting)");
        assert_eq!(cs[3].ports, vec!["9000/tcp"]);
    }

    #[test]
    fn reads_rows_without_header() {
        let rows: String = PS.lines().skip(1).map(|l| format!("{l}\n")).collect();
        let (cs, unread) = containers(&rows, Some("docker ps -a | grep proxy"));
        assert!(unread.is_empty());
        assert_eq!(cs.len(), 4);
        assert_eq!(cs[0].ports.len(), 2);
        assert_eq!(cs[1].name, "proxy-php-1");
    }

    #[test]
    fn reads_custom_table_and_headerless_templates() {
        let text = "NAMES           STATUS                     PORTS\nweb             Up 3 hours                 0.0.0.0:80->80/tcp\nworker          Exited (1) 2 minutes ago   \n";
        let (cs, unread) = containers(text, None);
        assert!(unread.is_empty());
        assert_eq!(cs.len(), 2);
        assert_eq!(cs[1].status, "Exited (1) 2 minutes ago");
        let (cs, unread) = containers(
            "web: Up 3 hours\nworker: Exited (0) 1 day ago\n",
            Some("docker ps -a --format '{{.Names}}: {{.Status}}'"),
        );
        assert!(unread.is_empty());
        assert_eq!(cs[1].status, "Exited (0) 1 day ago");
        let (cs, _) = containers(
            "web     Up 3 hours     0.0.0.0:80->80/tcp\n",
            Some("docker ps --format \"{{.Names}}\\t{{.Status}}\\t{{.Ports}}\""),
        );
        assert_eq!(cs.len(), 0, "two spacey fields cannot be split on blanks");
        let (cs, _) = containers(
            "web\tUp 3 hours\t0.0.0.0:80->80/tcp\n",
            Some("docker ps --format \"{{.Names}}\\t{{.Status}}\\t{{.Ports}}\""),
        );
        assert_eq!(cs[0].ports, vec!["0.0.0.0:80->80/tcp"]);
    }

    #[test]
    fn reads_json_lines() {
        let text = r#"{"Command":"\"/docker-entrypoint.…\"","CreatedAt":"2024-05-01 10:00:00 +0000 UTC","ID":"3f2a1b9c8d7e","Image":"nginx","Labels":"com.docker.compose.service=web,com.docker.compose.project=x","Names":"x-web-1","Networks":"x_default","Ports":"0.0.0.0:80->80/tcp","State":"running","Status":"Up 2 hours"}"#;
        let (cs, unread) = containers(text, None);
        assert!(unread.is_empty());
        assert_eq!(cs[0].service.as_deref(), Some("web"));
        assert_eq!(cs[0].networks, vec!["x_default"]);
        assert!(cs[0].running);
    }

    #[test]
    fn reads_inspect_json_and_network_inspect() {
        let inspect = r#"[
    {
        "Id": "625242191a1f",
        "Name": "/api-backend-1",
        "State": {"Status": "exited", "Running": false, "ExitCode": 137},
        "Config": {"Image": "api:latest", "Labels": {"com.docker.compose.service": "backend"}},
        "NetworkSettings": {
            "Ports": {"5000/tcp": [{"HostIp": "0.0.0.0", "HostPort": "5000"}], "9000/tcp": null},
            "Networks": {"api_default": {"IPAddress": "172.21.0.2"}}
        }
    }
]"#;
        let (cs, unread) = containers(inspect, None);
        assert!(unread.is_empty());
        assert_eq!(cs[0].name, "api-backend-1");
        assert_eq!(cs[0].status, "exited (137)");
        assert_eq!(cs[0].ports, vec!["0.0.0.0:5000->5000/tcp", "9000/tcp"]);
        assert_eq!(cs[0].networks, vec!["api_default"]);
        assert_eq!(cs[0].addresses, vec!["172.21.0.2"]);
        assert_eq!(cs[0].service.as_deref(), Some("backend"));
        let network = r#"[{"Name": "proxy_default", "Driver": "bridge", "Containers": {"abc": {"Name": "proxy-nginx-1", "IPv4Address": "172.20.0.2/16"}}}]"#;
        let (cs, _) = containers(network, None);
        assert_eq!(cs[0].networks, vec!["proxy_default"]);
        assert_eq!(cs[0].addresses, vec!["172.20.0.2"]);
        assert!(cs[0].running);
        let image = "[\n  {\n    \"Id\": \"sha256:abc\",\n    \"RepoTags\": [\"nginx:1.25\"]\n  }\n]";
        let (cs, unread) = containers(image, None);
        assert!(cs.is_empty());
        assert_eq!(unread.len(), 4, "the image object's lines are not read");
    }

    #[test]
    fn reads_inspect_format_lines() {
        let (cs, unread) = containers(
            "/proxy-nginx-1 proxy_default \n/api-backend-1 api_default \n",
            Some(
                "docker inspect -f '{{.Name}} {{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}' proxy-nginx-1 api-backend-1",
            ),
        );
        assert!(unread.is_empty());
        assert_eq!(cs[1].name, "api-backend-1");
        assert_eq!(cs[1].networks, vec!["api_default"]);
        assert!(cs[1].status.is_empty());
    }

    #[test]
    fn recognises_commands_and_headers() {
        assert!(is_command("docker", &["ps", "-a"]));
        assert!(is_command("docker", &["-H", "tcp://x", "container", "ls"]));
        assert!(is_command("podman", &["ps", "--format", "json"]));
        assert!(is_command("docker", &["network", "inspect", "proxy_default"]));
        assert!(!is_command("docker", &["compose", "ps"]));
        assert!(!is_command("docker", &["logs", "web"]));
        assert!(is_strong_line(
            "CONTAINER ID  IMAGE  COMMAND  CREATED  STATUS  PORTS  NAMES"
        ));
        assert!(!is_strong_line("NAME      READY   STATUS    RESTARTS   AGE"));
        assert!(is_status("Exit 137") && is_status("running (healthy)") && !is_status("Upstream"));
    }

    #[test]
    fn odd_input_never_panics() {
        for text in [
            "CONTAINER ID   NAMES\n\u{2026}\u{2026}   x",
            "[",
            "{\"Names\"",
            "NAMES  STATUS\n a  b  c  d",
        ] {
            let _ = containers(text, Some("docker ps --format '{{.Names}}'"));
            let _ = containers(text, None);
        }
    }
}

//! `docker compose ps` (v2: `NAME IMAGE COMMAND SERVICE CREATED STATUS PORTS`; early v2:
//! `NAME COMMAND SERVICE STATUS PORTS` with `running (healthy)` / `exited (1)`; `--format
//! table` headers) and `docker-compose ps` v1 (`Name Command State Ports`, centred titles, a
//! `-----` rule, `Up` / `Exit 1`, port lists wrapped onto further lines) and `docker compose
//! ps --format json` (one object per line, or one array): one `Container` per row, with its
//! compose service.

use crate::facts::{Container, Fact, FactAt};
use crate::kind::Kind;
use crate::parse::command_line::positional;
use crate::parse::docker_ps::{is_status, split_ports, status_running};
use crate::parse::json_lite::{self, JsonNode};
use crate::parse::registry::{KindSpec, no_file};
use crate::parse::table::{Table, is_rule, tokens};
use crate::parse::{ParseContext, Parsed};
use crate::span::lines;

/// How compose `ps` output is recognised and parsed.
pub const SPEC: KindSpec = KindSpec {
    kind: Kind::ComposePs,
    embeds: &[],
    command: is_command,
    file: no_file,
    line: Some(is_header_line),
    block: score,
    parse,
};

/// Options of `docker compose` / `docker-compose` that take a value.
const WITH_VALUE: &[&str] = &[
    "-f",
    "--file",
    "-p",
    "--project-name",
    "--env-file",
    "--profile",
    "--project-directory",
    "--ansi",
    "--format",
    "--status",
    "--filter",
    "-H",
    "--host",
    "-c",
    "--context",
];

/// `docker compose ps`, `docker-compose ps`, `podman-compose ps`, `docker compose ls`.
fn is_command(program: &str, args: &[&str]) -> bool {
    let words = positional(args, WITH_VALUE);
    match program {
        "docker" | "podman" | "nerdctl" => matches!(words.as_slice(), ["compose", "ps", ..]),
        "docker-compose" | "podman-compose" => matches!(words.as_slice(), ["ps", ..]),
        _ => false,
    }
}

/// Column names of `docker compose ps` and its `--format table` templates.
const COLUMNS: &[&str] = &[
    "NAME",
    "IMAGE",
    "COMMAND",
    "SERVICE",
    "CREATED",
    "STATUS",
    "STATE",
    "PORTS",
    "PROJECT",
    "CONTAINER ID",
    "ID",
    "RUNNING FOR",
    "HEALTH",
    "EXIT CODE",
    "PUBLISHERS",
    "LABELS",
    "NETWORKS",
    "SIZE",
    "MOUNTS",
    "LOCAL VOLUMES",
];

/// The table a compose v2 header opens.
fn v2_header(line: &str) -> Option<Table> {
    if !line.trim_start().starts_with("NAME") {
        return None;
    }
    let table = Table::from_header(line)?;
    let known = table.names().iter().all(|n| COLUMNS.contains(n));
    let shaped = table.has("NAME") && (table.has("SERVICE") || table.has("STATUS") && table.has("COMMAND"));
    (known && shaped).then_some(table)
}

/// The v1 header: `Name`, `Command`, `State`, `Ports`, centred over their columns.
fn is_v1_header(line: &str) -> bool {
    if !(line.contains("Command") && line.contains("State")) {
        return false;
    }
    let words: Vec<&str> = line.split_whitespace().collect();
    words == ["Name", "Command", "State", "Ports"]
}

/// A compose `ps` header or JSON line: strong evidence on its own.
fn is_header_line(line: &str) -> bool {
    v2_header(line).is_some_and(|t| t.has("SERVICE")) || is_v1_header(line) || is_json_line(line)
}

/// A line of `docker compose ps --format json`: an object (or array of objects) naming a
/// container and its service.
pub fn is_json_line(line: &str) -> bool {
    let t = line.trim();
    (t.starts_with('{') || t.starts_with("[{")) && t.contains("\"Service\"") && t.contains("\"Name\"")
}

/// Scores a block by the share of lines read, when it has a compose `ps` header or JSON line.
fn score(block: &[&str]) -> f32 {
    if !block
        .iter()
        .any(|l| v2_header(l).is_some() || is_v1_header(l) || is_json_line(l))
    {
        return 0.0;
    }
    let text = block.join("\n");
    let parsed = parse(&ParseContext::new(&text, 0));
    let total = block.iter().filter(|l| !l.trim().is_empty()).count().max(1);
    let read = total.saturating_sub(parsed.unread.len());
    (0.5 + 0.5 * read as f32 / total as f32).min(1.0)
}

/// Which header is in force.
enum Layout {
    None,
    V2(Table),
    V1,
}

/// Parses compose `ps` output.
pub fn parse(cx: &ParseContext<'_>) -> Parsed {
    let mut out = Parsed::default();
    let mut layout = Layout::None;
    for line in lines(cx.text, cx.base) {
        let text = line.text;
        if text.trim().is_empty() || is_ignorable(text) {
            continue;
        }
        if is_json_line(text) {
            let before = out.facts.len();
            json_containers(text, line.span.start, &mut out);
            if out.facts.len() == before {
                out.unread.push(line.span);
            }
            continue;
        }
        if let Some(table) = v2_header(text) {
            layout = Layout::V2(table);
            continue;
        }
        if is_v1_header(text) {
            layout = Layout::V1;
            continue;
        }
        if matches!(layout, Layout::V1) && is_rule(text) {
            continue;
        }
        let container = match &layout {
            Layout::V2(table) => v2_row(table, text),
            Layout::V1 => {
                // A wrapped port list continues the previous row.
                if let Some(ports) = v1_continuation(text)
                    && let Some(FactAt {
                        span,
                        fact: Fact::Container(previous),
                    }) = out.facts.last_mut()
                {
                    previous.ports.extend(ports);
                    *span = span.join(line.span);
                    continue;
                }
                v1_row(text)
            }
            Layout::None => None,
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

/// The containers of one JSON line (an object, or an array of objects) at `base`.
fn json_containers(text: &str, base: usize, out: &mut Parsed) {
    let lead = text.len() - text.trim_start().len();
    let read = json_lite::read(&text[lead..], base + lead);
    let Some(root) = read.value else { return };
    let objects: Vec<&JsonNode> = match root.items() {
        [] => vec![&root],
        items => items.iter().collect(),
    };
    for object in objects {
        let get = |key: &str| object.get(key).and_then(JsonNode::as_str).unwrap_or("");
        let name = get("Name");
        if name.is_empty() {
            continue;
        }
        let state = get("State");
        let status = match (get("Status"), get("Health")) {
            ("", "") => state.to_string(),
            ("", health) => format!("{state} ({health})"),
            (status, _) => status.to_string(),
        };
        let mut ports = split_ports(get("Ports"));
        if ports.is_empty() {
            for publisher in object.get("Publishers").map(JsonNode::items).unwrap_or(&[]) {
                let text = |k: &str| publisher.get(k).and_then(JsonNode::as_str).unwrap_or("");
                let target = text("TargetPort");
                if target.is_empty() {
                    continue;
                }
                let protocol = Some(text("Protocol")).filter(|p| !p.is_empty()).unwrap_or("tcp");
                ports.push(match (text("URL"), text("PublishedPort")) {
                    (_, "" | "0") => format!("{target}/{protocol}"),
                    (url, published) => format!("{url}:{published}->{target}/{protocol}"),
                });
            }
        }
        out.facts.push(FactAt {
            span: object.span,
            fact: Fact::Container(Box::new(Container {
                name: name.to_string(),
                service: Some(get("Service")).filter(|s| !s.is_empty()).map(str::to_string),
                image: Some(get("Image")).filter(|s| !s.is_empty()).map(str::to_string),
                running: state == "running" || status_running(&status),
                status,
                ports,
                networks: split_ports(get("Networks")),
                addresses: Vec::new(),
            })),
        });
    }
}

/// Compose's own warnings printed before the table, and pager markers.
fn is_ignorable(text: &str) -> bool {
    let t = text.trim();
    t.starts_with("WARN[") || t.starts_with("time=\"") && t.contains("level=warn") || t == "(END)" || t == "..."
}

/// A v2 row.
fn v2_row(table: &Table, line: &str) -> Option<Container> {
    let cells = table.cells(line);
    let cell = |name: &str| table.index(name).and_then(|i| cells.get(i).copied()).unwrap_or("");
    let name = cell("NAME");
    if name.is_empty() || name.contains(' ') {
        return None;
    }
    let status = cell("STATUS");
    let state = cell("STATE");
    let status = if status.is_empty() { state } else { status };
    if !status.is_empty() && !is_status(status) {
        return None;
    }
    Some(Container {
        name: name.to_string(),
        service: Some(cell("SERVICE")).filter(|s| !s.is_empty()).map(str::to_string),
        image: Some(cell("IMAGE")).filter(|s| !s.is_empty()).map(str::to_string),
        status: status.to_string(),
        running: status_running(status),
        ports: split_ports(cell("PORTS")),
        networks: split_ports(cell("NETWORKS")),
        addresses: Vec::new(),
    })
}

/// A v1 state: `Up`, `Up (healthy)`, `Exit 137`, `Restarting`, `Paused`.
fn is_v1_state(text: &str) -> bool {
    let t = text.trim();
    t == "Up" || t.starts_with("Up (") || t.starts_with("Exit ") || t == "Restarting" || t == "Paused" || t == "Ghost"
}

/// A v1 row: name, command (may be cut with ` ...`), state, ports.
fn v1_row(line: &str) -> Option<Container> {
    let toks = tokens(line);
    let name = toks.first()?.text;
    if name.contains(' ') || line.starts_with([' ', '\t']) && toks.len() < 2 {
        return None;
    }
    let state_index = toks.iter().skip(1).position(|t| is_v1_state(t.text))? + 1;
    let state = toks[state_index].text;
    let ports = match (toks.get(state_index + 1), toks.last()) {
        (Some(first), Some(last)) => split_ports(line.get(first.start..last.end).unwrap_or("")),
        _ => Vec::new(),
    };
    Some(Container {
        name: name.to_string(),
        service: v1_service(name),
        image: None,
        status: state.to_string(),
        running: state.starts_with("Up"),
        ports,
        networks: Vec::new(),
        addresses: Vec::new(),
    })
}

/// `project_service_1` → `service` (v1 project names hold only letters and digits).
fn v1_service(name: &str) -> Option<String> {
    let (project, rest) = name.split_once('_')?;
    let (service, number) = rest.rsplit_once('_')?;
    let ok = !project.is_empty()
        && project.bytes().all(|b| b.is_ascii_alphanumeric())
        && !service.is_empty()
        && !number.is_empty()
        && number.bytes().all(|b| b.is_ascii_digit());
    ok.then(|| service.to_string())
}

/// An indented line holding only ports (a wrapped `Ports` cell).
fn v1_continuation(line: &str) -> Option<Vec<String>> {
    if !line.starts_with([' ', '\t']) {
        return None;
    }
    let ports = split_ports(line.trim());
    let all_ports = !ports.is_empty()
        && ports.iter().all(|p| {
            let p = p.as_str();
            p.contains("/tcp") || p.contains("/udp") || p.contains("/sctp") || p.contains("->")
        });
    all_ports.then_some(ports)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::test_support::facts_and_unread_count;

    fn containers(text: &str) -> (Vec<Container>, usize) {
        facts_and_unread_count(parse, text)
    }

    #[test]
    fn reads_v2_tables() {
        let text = "NAME                IMAGE               COMMAND                  SERVICE             CREATED             STATUS                    PORTS
shop-db-1           postgres:16         \"docker-entrypoint.s…\"   db                  2 minutes ago       Up 2 minutes (healthy)    5432/tcp
shop-web-1          nginx:1.25          \"/docker-entrypoint.…\"   web                 2 minutes ago       Exited (1) 1 minute ago
";
        let (cs, unread) = containers(text);
        assert_eq!(unread, 0);
        assert_eq!(cs.len(), 2);
        assert_eq!(cs[0].service.as_deref(), Some("db"));
        assert!(cs[0].running);
        assert!(!cs[1].running);
        assert!(cs[1].ports.is_empty());
    }

    #[test]
    fn reads_early_v2_tables() {
        let text = "NAME                  COMMAND                  SERVICE             STATUS              PORTS
docspell-joex         \"/opt/joex-entrypoin…\"   joex                running (healthy)   0.0.0.0:7878->7878/tcp, :::7878->7878/tcp
postgres_db           \"docker-entrypoint.s…\"   db                  exited (137)
";
        let (cs, unread) = containers(text);
        assert_eq!(unread, 0);
        assert_eq!(cs[0].ports.len(), 2);
        assert!(cs[0].running);
        assert_eq!(cs[1].status, "exited (137)");
        assert!(!cs[1].running);
    }

    #[test]
    fn reads_v1_tables_with_wrapped_ports() {
        let text = "       Name                     Command               State                    Ports
------------------------------------------------------------------------------------------------------
central_mail_1       /bin/entrypoint.sh exim -b ...   Up      25/tcp
central_nginx_1      /bin/bash /scripts/odk-set ...   Up      0.0.0.0:443->443/tcp,
                                                              0.0.0.0:80->80/tcp
site_app_1           start-container                  Exit 137
";
        let (cs, unread) = containers(text);
        assert_eq!(unread, 0);
        assert_eq!(cs.len(), 3);
        assert_eq!(cs[1].ports, vec!["0.0.0.0:443->443/tcp", "0.0.0.0:80->80/tcp"]);
        assert_eq!(cs[1].service.as_deref(), Some("nginx"));
        assert_eq!(cs[2].status, "Exit 137");
        assert!(!cs[2].running);
    }

    #[test]
    fn reads_json_lines_and_arrays() {
        let text = r#"{"Command":"\"/docker-entrypoint.…\"","ExitCode":0,"Health":"","Image":"nginx:1.25","Name":"shop-nginx-1","Names":"shop-nginx-1","Networks":"shop_default","Ports":"0.0.0.0:80->80/tcp","Project":"shop","Publishers":[{"URL":"0.0.0.0","TargetPort":80,"PublishedPort":80,"Protocol":"tcp"}],"Service":"nginx","State":"running","Status":"Up 2 hours"}
[{"ID":"abc","Name":"shop-php-1","Command":"php-fpm","Project":"shop","Service":"php","State":"exited","Health":"","ExitCode":78,"Publishers":[{"URL":"","TargetPort":9000,"PublishedPort":0,"Protocol":"tcp"}]}]
"#;
        let (cs, unread) = containers(text);
        assert_eq!(unread, 0);
        assert_eq!(cs.len(), 2);
        assert_eq!(cs[0].service.as_deref(), Some("nginx"));
        assert!(cs[0].running);
        assert_eq!(cs[0].ports, vec!["0.0.0.0:80->80/tcp"]);
        assert_eq!(cs[1].status, "exited");
        assert_eq!(cs[1].ports, vec!["9000/tcp"]);
        assert!(!cs[1].running);
    }

    #[test]
    fn commands_and_headers() {
        assert!(is_command("docker", &["compose", "ps"]));
        assert!(is_command("docker", &["compose", "-f", "x.yml", "ps", "-a"]));
        assert!(is_command("docker-compose", &["ps"]));
        assert!(!is_command("docker", &["ps"]));
        assert!(is_header_line(
            "NAME   IMAGE   COMMAND   SERVICE   CREATED   STATUS   PORTS"
        ));
        assert!(is_header_line(
            "    Name                   Command               State           Ports         "
        ));
        assert!(!is_header_line("NAME   READY   STATUS   RESTARTS   AGE"));
    }
}

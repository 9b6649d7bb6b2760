//! `docker-compose.yml` / `compose.yaml` and the output of `docker compose config`: one
//! `ComposeService` per service (image, container_name, ports in short and long syntax,
//! expose, networks as a list or a map, network_mode, command as a string or a list,
//! environment as a list or a map, volumes, depends_on as a list or a map). Version 1 files
//! (services at the top level) and excerpts of a single service are read too.
//!
//! The YAML is read by [`yaml_lite`](super::yaml_lite); lines it cannot place, and top-level
//! entries that are no part of a compose file, are reported as unread.

use crate::facts::{ComposeService, Fact, FactAt};
use crate::kind::Kind;
use crate::parse::command_line::positional;
use crate::parse::registry::KindSpec;
use crate::parse::yaml_lite::{self, YamlNode, YamlValue};
use crate::parse::{ParseContext, Parsed};
use crate::span::Span;

/// How compose files are recognised and parsed.
pub const SPEC: KindSpec = KindSpec {
    kind: Kind::ComposeFile,
    embeds: &[],
    command: is_command,
    file: is_compose_file_name,
    line: None,
    block: score,
    parse,
};

/// `docker compose config`, `docker-compose config`, `podman-compose config`.
fn is_command(program: &str, args: &[&str]) -> bool {
    const WITH_VALUE: &[&str] = &[
        "-f",
        "--file",
        "-p",
        "--project-name",
        "--env-file",
        "--profile",
        "--format",
    ];
    let words = positional(args, WITH_VALUE);
    match program {
        "docker" | "podman" | "nerdctl" => matches!(words.as_slice(), ["compose", "config", ..]),
        "docker-compose" | "podman-compose" => matches!(words.as_slice(), ["config", ..]),
        _ => false,
    }
}

/// `docker-compose.yml`, `docker-compose.override.yaml`, `compose.yaml`, `compose.prod.yml`...
pub fn is_compose_file_name(path: &str) -> bool {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path).to_ascii_lowercase();
    let yaml = name.ends_with(".yml") || name.ends_with(".yaml");
    yaml && (name.starts_with("docker-compose") || name.starts_with("compose.") || name.starts_with("podman-compose"))
}

/// Top-level keys of a compose file.
const TOP_LEVEL: &[&str] = &[
    "version", "name", "services", "networks", "volumes", "configs", "secrets", "include", "models",
];

/// Keys a service may have (used to spot services outside `services:`).
const SERVICE_KEYS: &[&str] = &[
    "image",
    "build",
    "ports",
    "expose",
    "command",
    "entrypoint",
    "environment",
    "env_file",
    "volumes",
    "volumes_from",
    "links",
    "external_links",
    "depends_on",
    "container_name",
    "restart",
    "networks",
    "network_mode",
    "net",
    "healthcheck",
    "labels",
    "extra_hosts",
    "working_dir",
    "user",
    "deploy",
    "logging",
    "hostname",
    "dns",
    "cap_add",
    "privileged",
    "tty",
    "stdin_open",
    "ulimits",
    "sysctls",
    "profiles",
    "platform",
    "pull_policy",
    "init",
    "tmpfs",
    "devices",
    "security_opt",
    "stop_grace_period",
    "mem_limit",
    "cpus",
    "shm_size",
];

/// Scores a block: a YAML document with services (under `services:`, or version-1 style).
fn score(block: &[&str]) -> f32 {
    // Cheap pre-check: a compose file names an image or a build context somewhere.
    if !block
        .iter()
        .any(|l| matches!(yaml_lite::split_key(l.trim_start()), Some((k, _)) if k == "image" || k == "build" || k == "services"))
    {
        return 0.0;
    }
    let text = block.join("\n");
    let parsed = parse(&ParseContext::new(&text, 0));
    if parsed.facts.is_empty() {
        return 0.0;
    }
    let has_services_key = block.iter().any(|l| l.trim_end() == "services:");
    let total = block.iter().filter(|l| !l.trim().is_empty()).count().max(1);
    let read = total.saturating_sub(parsed.unread.len());
    let base = if has_services_key { 0.55 } else { 0.35 };
    (base + 0.45 * read as f32 / total as f32).min(1.0)
}

/// Parses a compose file.
pub fn parse(cx: &ParseContext<'_>) -> Parsed {
    let read = yaml_lite::read(cx.text, cx.base);
    let mut out = Parsed::default();
    let mut unread_spans: Vec<Span> = read.bad.clone();
    for doc in &read.docs {
        let entries = doc.entries();
        if entries.is_empty() || is_kubernetes(doc) {
            unread_spans.push(doc.span);
            continue;
        }
        if let Some(services) = doc.get("services") {
            for (name, node) in services.entries() {
                out.facts.push(service_fact(name, node));
            }
            for (key, node) in entries {
                if !TOP_LEVEL.contains(&key.as_str()) && !key.starts_with("x-") {
                    unread_spans.push(node.span);
                }
            }
            continue;
        }
        // A single service pasted without its name.
        let service_keys = entries
            .iter()
            .filter(|(k, _)| SERVICE_KEYS.contains(&k.as_str()))
            .count();
        if (doc.get("image").is_some() || doc.get("build").is_some()) && service_keys * 2 > entries.len() {
            let name = doc.get("container_name").and_then(YamlNode::as_str).unwrap_or("");
            out.facts.push(service_fact(name, doc));
            continue;
        }
        // Version 1: services at the top level.
        for (key, node) in entries {
            if looks_like_service(node) {
                out.facts.push(service_fact(key, node));
            } else if !TOP_LEVEL.contains(&key.as_str()) && !key.starts_with("x-") {
                unread_spans.push(node.span);
            }
        }
    }
    crate::sort::by_key(&mut out.facts, |f| f.span.start);
    out.unread = yaml_lite::lines_within(cx.text, cx.base, &mut unread_spans);
    out
}

/// True for a Kubernetes object (`apiVersion` and `kind`): not a compose file.
fn is_kubernetes(doc: &YamlNode) -> bool {
    doc.get("apiVersion").is_some() && doc.get("kind").is_some()
}

/// True for a mapping with an `image` or `build` key.
fn looks_like_service(node: &YamlNode) -> bool {
    node.get("image").is_some() || node.get("build").is_some()
}

/// The text of a scalar node.
fn scalar(node: &YamlNode) -> Option<String> {
    node.as_str().map(str::to_string)
}

/// The scalars of a sequence, or the keys of a mapping (`networks`, `depends_on`).
fn names(node: &YamlNode) -> Vec<String> {
    match &node.value {
        YamlValue::Seq(items) => items.iter().filter_map(scalar).collect(),
        YamlValue::Map(entries) => entries.iter().map(|(k, _)| k.clone()).collect(),
        YamlValue::Scalar(s) => vec![s.clone()],
        YamlValue::Null => Vec::new(),
    }
}

/// A `ports:` entry: short syntax as written, long syntax as `[host_ip:][published:]target[/protocol]`.
fn port_entry(node: &YamlNode) -> Option<String> {
    if let Some(s) = node.as_str() {
        return Some(s.to_string());
    }
    let get = |k: &str| node.get(k).and_then(YamlNode::as_str).filter(|s| !s.is_empty());
    let target = get("target")?;
    let mut out = String::new();
    if let Some(ip) = get("host_ip") {
        out.push_str(ip);
        out.push(':');
    }
    if let Some(published) = get("published") {
        out.push_str(published);
        out.push(':');
    }
    out.push_str(target);
    if let Some(protocol) = get("protocol") {
        out.push('/');
        out.push_str(protocol);
    }
    Some(out)
}

/// A `volumes:` entry: short syntax as written, long syntax as `source:target[:ro]`.
fn volume_entry(node: &YamlNode) -> Option<String> {
    if let Some(s) = node.as_str() {
        return Some(s.to_string());
    }
    let get = |k: &str| node.get(k).and_then(YamlNode::as_str).filter(|s| !s.is_empty());
    let target = get("target")?;
    let mut out = match get("source") {
        Some(source) => format!("{source}:{target}"),
        None => target.to_string(),
    };
    if get("read_only") == Some("true") {
        out.push_str(":ro");
    }
    Some(out)
}

/// `environment:` as a list (`KEY=value`) or a map (`KEY: value`, `KEY:` alone).
fn environment(node: &YamlNode) -> Vec<String> {
    match &node.value {
        YamlValue::Seq(items) => items.iter().filter_map(scalar).collect(),
        YamlValue::Map(entries) => entries
            .iter()
            .map(|(k, v)| match v.as_str() {
                Some(value) => format!("{k}={value}"),
                None => k.clone(),
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// `command:` as a string, or a list joined with spaces.
fn command(node: &YamlNode) -> Option<String> {
    match &node.value {
        YamlValue::Scalar(s) => Some(s.clone()),
        YamlValue::Seq(items) => Some(items.iter().filter_map(YamlNode::as_str).collect::<Vec<_>>().join(" ")),
        _ => None,
    }
}

/// The fact for one service.
fn service_fact(name: &str, node: &YamlNode) -> FactAt {
    let get = |k: &str| node.get(k);
    let list = |k: &str, f: fn(&YamlNode) -> Option<String>| -> Vec<String> {
        match get(k).map(|n| &n.value) {
            Some(YamlValue::Seq(items)) => items.iter().filter_map(f).collect(),
            Some(YamlValue::Scalar(s)) => vec![s.clone()],
            _ => Vec::new(),
        }
    };
    let service = ComposeService {
        name: name.to_string(),
        image: get("image").and_then(scalar),
        container_name: get("container_name").and_then(scalar),
        ports: list("ports", port_entry),
        expose: list("expose", scalar),
        networks: get("networks").map(names).unwrap_or_default(),
        network_mode: get("network_mode").or_else(|| get("net")).and_then(scalar),
        command: get("command").and_then(command),
        environment: get("environment").map(environment).unwrap_or_default(),
        volumes: list("volumes", volume_entry),
        depends_on: get("depends_on").map(names).unwrap_or_default(),
    };
    FactAt {
        span: node.span,
        fact: Fact::ComposeService(Box::new(service)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::test_support::facts_of;

    fn services(text: &str) -> (Vec<ComposeService>, Vec<String>) {
        let parsed = parse(&ParseContext::new(text, 0));
        let services = facts_of(&parsed);
        let unread = parsed.unread.iter().map(|s| s.text(text).to_string()).collect();
        (services, unread)
    }

    #[test]
    fn reads_every_field() {
        let text = r#"version: "3.9"
services:
  nginx:
    image: nginx:1.25-alpine
    container_name: proxy
    ports:
      - "80:80"
      - 127.0.0.1:8443:443
      - target: 9000
        published: 9001
        protocol: udp
    networks: [front, back]
    depends_on:
      app:
        condition: service_healthy
    volumes:
      - ./nginx.conf:/etc/nginx/nginx.conf:ro
      - type: bind
        source: ./certs
        target: /certs
        read_only: true
  app:
    build: .
    command: ["gunicorn", "-b", "127.0.0.1:8000", "app:app"]
    expose:
      - 8000
    environment:
      DATABASE_URL: postgres://db/app
      DEBUG:
    networks:
      back:
        aliases: [api]
  sidecar:
    image: busybox
    network_mode: "service:app"
    environment:
      - MODE=watch
networks:
  front:
  back:
"#;
        let (s, unread) = services(text);
        assert!(unread.is_empty(), "{unread:?}");
        assert_eq!(s.len(), 3);
        assert_eq!(s[0].container_name.as_deref(), Some("proxy"));
        assert_eq!(s[0].ports, vec!["80:80", "127.0.0.1:8443:443", "9001:9000/udp"]);
        assert_eq!(s[0].networks, vec!["front", "back"]);
        assert_eq!(s[0].depends_on, vec!["app"]);
        assert_eq!(
            s[0].volumes,
            vec!["./nginx.conf:/etc/nginx/nginx.conf:ro", "./certs:/certs:ro"]
        );
        assert_eq!(s[1].command.as_deref(), Some("gunicorn -b 127.0.0.1:8000 app:app"));
        assert_eq!(s[1].expose, vec!["8000"]);
        assert_eq!(s[1].environment, vec!["DATABASE_URL=postgres://db/app", "DEBUG"]);
        assert_eq!(s[1].networks, vec!["back"]);
        assert_eq!(s[2].network_mode.as_deref(), Some("service:app"));
        assert_eq!(s[2].environment, vec!["MODE=watch"]);
    }

    #[test]
    fn reads_version_one_files_and_flags_foreign_keys() {
        let text = "web:\n  image: nginx\n  links:\n    - app\n  ports:\n    - \"80:80\"\napp:\n  build: .\n  net: host\nnotes: remember to restart\n";
        let (s, unread) = services(text);
        assert_eq!(s.len(), 2);
        assert_eq!(s[1].network_mode.as_deref(), Some("host"));
        assert_eq!(unread, vec!["notes: remember to restart"]);
    }

    #[test]
    fn kubernetes_and_other_yaml_are_not_compose() {
        let k8s = ["apiVersion: v1", "kind: Service", "metadata:", "  name: web"];
        assert_eq!(score(&k8s), 0.0);
        let apisix = [
            "nginx_config:",
            "  error_log: \"logs/error.log\"",
            "  http:",
            "    keepalive_timeout: 60s",
        ];
        assert_eq!(score(&apisix), 0.0);
        let compose = ["services:", "  web:", "    image: nginx", "    ports:", "      - 80:80"];
        assert!(score(&compose) > 0.9);
    }

    #[test]
    fn names_compose_files() {
        assert!(is_compose_file_name("docker-compose.yml"));
        assert!(is_compose_file_name("/srv/app/compose.prod.yaml"));
        assert!(is_compose_file_name("docker-compose.override.yml"));
        assert!(!is_compose_file_name("config.yaml"));
        assert!(is_command("docker", &["compose", "config"]));
        assert!(is_command("docker-compose", &["-f", "a.yml", "config"]));
    }
}

//! Facts from a configuration tree: a pure walk (explicit stack) that knows each directive's
//! context (`http > server(example.com) > location(~ \.php$)`), usable on one parsed file or on
//! a joined configuration (see [`super::includes`]). The walk consumes the tree, dropping each
//! directive once read, so that the tree and its facts are not held in full at the same time.

use std::rc::Rc;

use super::ast::{ConfigFile, Directive};
use super::includes::{JoinedConfig, JoinedDirective};
use crate::facts::{
    Endpoint, Fact, FactAt, GroupServer, Include, LogFormat, NginxDirective, Protocol, ServerBlock, UpstreamGroup,
    UpstreamTarget,
};

/// A node of a configuration tree the fact walker reads: a parsed [`Directive`] or a directive
/// of a joined configuration.
pub trait ConfigNode: Sized {
    /// The directive.
    fn directive(&self) -> &Directive;
    /// Its children: the block's directives and, in a joined tree, an `include`'s pulled-in ones.
    fn nodes(&self) -> &[Self];
    /// Index of the file the directive comes from (0 in a single file).
    fn source(&self) -> usize;
    /// Its children, taken out of it (see [`ConfigNode::nodes`]).
    fn into_nodes(self) -> Vec<Self>;
    /// The directive's name and arguments, taken out of it (or copied from a borrowed one).
    fn into_name_and_args(self) -> (String, Vec<String>);
}

impl ConfigNode for Directive {
    fn directive(&self) -> &Directive {
        self
    }
    fn nodes(&self) -> &[Self] {
        self.children()
    }
    fn source(&self) -> usize {
        0
    }
    fn into_nodes(self) -> Vec<Self> {
        self.block.unwrap_or_default()
    }
    fn into_name_and_args(self) -> (String, Vec<String>) {
        (self.name, self.args)
    }
}

impl ConfigNode for JoinedDirective<'_> {
    fn directive(&self) -> &Directive {
        self.directive
    }
    fn nodes(&self) -> &[Self] {
        &self.children
    }
    fn source(&self) -> usize {
        self.source
    }
    fn into_nodes(self) -> Vec<Self> {
        self.children
    }
    fn into_name_and_args(self) -> (String, Vec<String>) {
        (self.directive.name.clone(), self.directive.args.clone())
    }
}

/// The facts of one parsed file, in document order (`file` fields from `config.file`).
pub fn facts_of_file(config: ConfigFile) -> Vec<FactAt> {
    let mut facts = Vec::with_capacity(fact_bound(&config.directives));
    push_facts_of_file(config, &mut facts);
    facts
}

/// Appends the facts of one parsed file to `facts` (see [`facts_of_file`]).
pub fn push_facts_of_file(config: ConfigFile, facts: &mut Vec<FactAt>) {
    let ConfigFile { file, directives } = config;
    walk(directives, &|_| file.clone(), &mut |_, fact| facts.push(fact));
}

/// The facts of a joined configuration, each with the index (in the slice given to
/// [`super::includes::join`]) of the file it was read from. Directives of a file included
/// twice give their facts twice, each in its own context.
pub fn facts_of_joined(joined: JoinedConfig<'_>) -> Vec<(usize, FactAt)> {
    let JoinedConfig { files, roots, .. } = joined;
    let mut facts = Vec::with_capacity(fact_bound(&roots));
    walk(
        roots,
        &|source| files.get(source).and_then(|f| f.file.clone()),
        &mut |source, fact| facts.push((source, fact)),
    );
    facts
}

/// What a directive gives, decided before anything is built.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Yield {
    Nothing,
    Include,
    Server,
    Upstream,
    Target,
    LogFormat,
    Directive,
}

/// The fact `d` gives, `in_upstream` when it sits in an `upstream {}` block.
fn yield_of(d: &Directive, in_upstream: bool) -> Yield {
    match d.name.as_str() {
        "include" if d.arg(0).is_some() => Yield::Include,
        "include" => Yield::Nothing,
        "server" if d.is_block() => Yield::Server,
        "upstream" if d.is_block() => Yield::Upstream,
        _ if d.is_block() => Yield::Nothing,
        name if pass_protocol(name).is_some() => Yield::Target,
        "log_format" if !d.args.is_empty() => Yield::LogFormat,
        "server" | "keepalive" if in_upstream => Yield::Nothing,
        name if is_wanted(name, &d.args) => Yield::Directive,
        _ => Yield::Nothing,
    }
}

/// At least as many facts as [`walk`] gives for `roots` (directives are counted as if outside
/// `upstream {}`), so that the facts' vector is allocated once.
pub(super) fn fact_bound<N: ConfigNode>(roots: &[N]) -> usize {
    let mut count = 0;
    let mut stack = vec![roots.iter()];
    while let Some(iter) = stack.last_mut() {
        let Some(node) = iter.next() else {
            stack.pop();
            continue;
        };
        count += usize::from(yield_of(node.directive(), false) != Yield::Nothing);
        if !node.nodes().is_empty() {
            stack.push(node.nodes().iter());
        }
    }
    count
}

/// Contexts deeper than this are shortened (`... > …`).
const MAX_CONTEXT_LABELS: usize = 16;

/// Where a directive sits.
#[derive(Default)]
struct Scope {
    /// `http > server(example.com) > location(/)`, empty at the top.
    path: String,
    labels: usize,
    server: Option<Rc<ServerInfo>>,
    location: Option<String>,
    upstream: bool,
}

/// Names and listens of the enclosing `server {}`.
#[derive(Default)]
struct ServerInfo {
    names: Vec<String>,
    listens: Vec<String>,
}

/// Walks `roots` in document order and hands each fact, with its source index, to `emit`.
pub fn walk<N: ConfigNode>(
    roots: Vec<N>,
    file_of: &dyn Fn(usize) -> Option<String>,
    emit: &mut dyn FnMut(usize, FactAt),
) {
    let mut stack: Vec<(std::vec::IntoIter<N>, Rc<Scope>)> = vec![(roots.into_iter(), Rc::new(Scope::default()))];
    while let Some((iter, scope)) = stack.last_mut() {
        let Some(node) = iter.next() else {
            stack.pop();
            continue;
        };
        let scope = Rc::clone(scope);
        let d = node.directive();
        let source = node.source();
        let file = || file_of(source);
        let mut emit_fact = |fact: Fact| emit(source, FactAt { span: d.span, fact });
        let yielded = yield_of(d, scope.upstream);
        if d.name == "include" {
            if let (Yield::Include, Some(pattern)) = (yielded, d.arg(0)) {
                emit_fact(Fact::Include(Box::new(Include {
                    pattern: pattern.to_string(),
                    file: file(),
                })));
            }
            if !node.nodes().is_empty() {
                stack.push((node.into_nodes().into_iter(), scope));
            }
            continue;
        }
        if d.is_block() {
            let mut inner = Scope {
                server: scope.server.clone(),
                location: scope.location.clone(),
                upstream: scope.upstream,
                ..Scope::default()
            };
            let label = match d.name.as_str() {
                "server" => {
                    let info = server_info(&node);
                    let server = ServerBlock {
                        names: info.names.clone(),
                        listens: info.listens.clone(),
                        default_server: info
                            .listens
                            .iter()
                            .any(|l| l.split_whitespace().any(|w| w == "default_server" || w == "default")),
                        file: file(),
                    };
                    emit_fact(Fact::ServerBlock(Box::new(server)));
                    let label = match info.names.first() {
                        Some(name) => ["server(", name, ")"].concat(),
                        None => "server".to_string(),
                    };
                    inner.server = Some(Rc::new(info));
                    inner.location = None;
                    label
                }
                "upstream" => {
                    let name = d.arg(0).unwrap_or_default().to_string();
                    let (servers, keepalive) = group_members(&node);
                    emit_fact(Fact::UpstreamGroup(Box::new(UpstreamGroup {
                        name: name.clone(),
                        servers,
                        keepalive,
                        file: file(),
                    })));
                    inner.upstream = true;
                    ["upstream(", &name, ")"].concat()
                }
                "location" => {
                    let location = d.args.join(" ");
                    inner.location = Some(location.clone());
                    ["location(", &location, ")"].concat()
                }
                "if" => format!("if {}", d.args.join(" ")),
                _ if d.args.is_empty() => d.name.clone(),
                _ => format!("{}({})", d.name, d.args.join(" ")),
            };
            inner.labels = scope.labels + 1;
            inner.path = if scope.path.is_empty() {
                label
            } else if scope.labels < MAX_CONTEXT_LABELS {
                [&scope.path, " > ", &label].concat()
            } else if scope.labels == MAX_CONTEXT_LABELS {
                format!("{} > …", scope.path)
            } else {
                scope.path.clone()
            };
            stack.push((node.into_nodes().into_iter(), Rc::new(inner)));
            continue;
        }
        match yielded {
            Yield::Target => {
                if let Some(target) = upstream_target(d, &scope, file()) {
                    emit_fact(Fact::UpstreamTarget(Box::new(target)));
                }
            }
            Yield::LogFormat => {
                if let Some(format) = log_format(&d.args) {
                    emit_fact(Fact::LogFormat(Box::new(format)));
                }
            }
            Yield::Directive => {
                let file = file();
                let span = d.span;
                let (name, args) = node.into_name_and_args();
                let fact = Fact::NginxDirective(Box::new(NginxDirective {
                    name,
                    args,
                    context: scope.path.clone(),
                    file,
                }));
                emit(source, FactAt { span, fact });
            }
            Yield::Nothing | Yield::Include | Yield::Server | Yield::Upstream => {}
        }
    }
}

/// Direct children of `node` named `names`, looking through joined `include`s (not blocks).
fn members<'n, N: ConfigNode>(node: &'n N, names: &[&str]) -> Vec<&'n Directive> {
    let mut out = Vec::new();
    let mut stack = vec![node.nodes().iter()];
    while let Some(iter) = stack.last_mut() {
        let Some(child) = iter.next() else {
            stack.pop();
            continue;
        };
        let d = child.directive();
        if d.name == "include" && !child.nodes().is_empty() {
            stack.push(child.nodes().iter());
        } else if !d.is_block() && names.contains(&d.name.as_str()) {
            out.push(d);
        }
    }
    out
}

fn server_info<N: ConfigNode>(node: &N) -> ServerInfo {
    let mut info = ServerInfo::default();
    for d in members(node, &["server_name", "listen"]) {
        if d.name == "server_name" {
            info.names.extend(d.args.iter().cloned());
        } else {
            info.listens.push(d.args.join(" "));
        }
    }
    info
}

fn group_members<N: ConfigNode>(node: &N) -> (Vec<GroupServer>, Option<u32>) {
    let mut servers = Vec::new();
    let mut keepalive = None;
    for d in members(node, &["server", "keepalive"]) {
        if d.name == "keepalive" {
            keepalive = d.arg(0).and_then(|n| n.parse().ok()).or(keepalive);
        } else if let Some(address) = d.arg(0) {
            servers.push(GroupServer {
                address: address.to_string(),
                endpoint: Endpoint::parse(address),
                params: d.args[1..].to_vec(),
            });
        }
    }
    (servers, keepalive)
}

/// The protocol a `*_pass` directive speaks by default.
fn pass_protocol(directive: &str) -> Option<Protocol> {
    Some(match directive {
        "proxy_pass" => Protocol::Http,
        "fastcgi_pass" => Protocol::Fastcgi,
        "uwsgi_pass" => Protocol::Uwsgi,
        "scgi_pass" => Protocol::Scgi,
        "grpc_pass" => Protocol::Grpc,
        "memcached_pass" => Protocol::Memcached,
        _ => return None,
    })
}

/// What a `*_pass` argument says: protocol, endpoint, group and URI.
#[derive(Clone, Debug, PartialEq)]
pub struct PassTarget {
    /// Protocol, from the directive and the URL scheme.
    pub protocol: Protocol,
    /// The literal address, when the host is an IP address, a socket, or a name with a port.
    pub endpoint: Option<Endpoint>,
    /// The host when it is a name (an `upstream {}` group or a DNS name).
    pub group: Option<String>,
    /// The URI after the address (`proxy_pass http://backend/api/` gives `/api/`).
    pub uri: Option<String>,
    /// True when the argument holds variables.
    pub uses_variables: bool,
}

/// Reads the argument of a `*_pass` directive (`None` for other directives).
pub fn parse_pass(directive: &str, raw: &str) -> Option<PassTarget> {
    let default = pass_protocol(directive)?;
    let uses_variables = raw.contains('$');
    let (protocol, rest, is_url) = match raw.split_once("://") {
        Some((scheme, rest)) if !scheme.is_empty() && scheme.bytes().all(|b| b.is_ascii_alphabetic()) => {
            let protocol = match scheme.to_ascii_lowercase().as_str() {
                "http" => Protocol::Http,
                "https" => Protocol::Https,
                "grpc" => Protocol::Grpc,
                "grpcs" => Protocol::Grpcs,
                "uwsgi" => Protocol::Uwsgi,
                "suwsgi" => Protocol::Suwsgi,
                _ => default,
            };
            (protocol, rest, true)
        }
        _ => (default, raw, false),
    };
    let mut target = PassTarget {
        protocol,
        endpoint: None,
        group: None,
        uri: None,
        uses_variables,
    };
    if let Some(socket) = rest.strip_prefix("unix:") {
        let (path, uri) = match socket.split_once(':') {
            Some((path, uri)) if is_url => (path, Some(uri)),
            _ => (socket.trim_end_matches(':'), None),
        };
        target.uri = uri.filter(|u| !u.is_empty()).map(str::to_string);
        if !path.contains('$') && !path.is_empty() {
            target.endpoint = Some(Endpoint::Unix { path: path.to_string() });
        }
        return Some(target);
    }
    let (authority, uri) = match rest.find('/') {
        Some(i) if is_url => (&rest[..i], Some(&rest[i..])),
        _ => (rest, None),
    };
    target.uri = uri.map(str::to_string);
    if authority.contains('$') || authority.is_empty() {
        return Some(target);
    }
    match Endpoint::parse(authority) {
        Some(Endpoint::Tcp { host, port }) => {
            let literal = host.is_empty() || host.parse::<std::net::IpAddr>().is_ok();
            if !literal {
                target.group = Some(host.clone());
            }
            if literal || port.is_some() {
                target.endpoint = Some(Endpoint::Tcp { host, port });
            }
        }
        Some(unix) => target.endpoint = Some(unix),
        None => {}
    }
    Some(target)
}

fn upstream_target(d: &Directive, scope: &Scope, file: Option<String>) -> Option<UpstreamTarget> {
    let raw = d.arg(0).unwrap_or_default();
    let pass = parse_pass(&d.name, raw)?;
    let (server_names, listens) = match &scope.server {
        Some(info) => (info.names.clone(), info.listens.clone()),
        None => (Vec::new(), Vec::new()),
    };
    Some(UpstreamTarget {
        directive: d.name.clone(),
        protocol: pass.protocol,
        raw: raw.to_string(),
        endpoint: pass.endpoint,
        group: pass.group,
        uri: pass.uri,
        uses_variables: pass.uses_variables,
        server_names,
        listens,
        location: scope.location.clone(),
        file,
        context: scope.path.clone(),
    })
}

/// `log_format NAME [escape=...] STRING...`.
fn log_format(args: &[String]) -> Option<LogFormat> {
    let (name, rest) = args.split_first()?;
    let (escape, parts) = match rest.split_first() {
        Some((first, parts)) if first.starts_with("escape=") => {
            (first.strip_prefix("escape=").map(str::to_string), parts)
        }
        _ => (None, rest),
    };
    Some(LogFormat {
        name: name.clone(),
        format: parts.concat(),
        escape,
    })
}

/// The simple directives a diagnosis reads, as `NginxDirective` facts.
fn is_wanted(name: &str, args: &[String]) -> bool {
    let first = args.first().map(String::as_str).unwrap_or_default();
    match name {
        "user"
        | "worker_processes"
        | "worker_connections"
        | "worker_rlimit_nofile"
        | "worker_shutdown_timeout"
        | "error_log"
        | "access_log"
        | "resolver"
        | "resolver_timeout"
        | "keepalive_timeout"
        | "keepalive_requests"
        | "keepalive_time"
        | "send_timeout"
        | "client_body_timeout"
        | "client_header_timeout"
        | "proxy_http_version"
        | "root"
        | "error_page"
        | "client_max_body_size"
        | "large_client_header_buffers"
        | "http2"
        | "listen"
        | "server_name"
        | "set"
        | "ssl_certificate"
        | "ssl_certificate_key"
        | "uwsgi_param" => true,
        "proxy_set_header" | "grpc_set_header" => {
            first.eq_ignore_ascii_case("connection") || first.eq_ignore_ascii_case("host")
        }
        "fastcgi_param" => first.eq_ignore_ascii_case("SCRIPT_FILENAME"),
        "return" => first.len() == 3 && first.starts_with('5') && first.bytes().all(|b| b.is_ascii_digit()),
        _ => {
            [
                "_connect_timeout",
                "_read_timeout",
                "_send_timeout",
                "_buffer_size",
                "_buffers",
                "_busy_buffers_size",
                "_intercept_errors",
                "_buffering",
                "_keep_conn",
            ]
            .iter()
            .any(|suffix| name.ends_with(suffix))
                || name.as_bytes().windows(14).any(|w| w == b"_next_upstream")
                || name.starts_with("proxy_ssl_")
                || name.starts_with("grpc_ssl_")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::nginx_config::parser::parse_config;

    fn facts(text: &str) -> Vec<Fact> {
        let out = parse_config(text, 0, Some("/etc/nginx/conf.d/app.conf"));
        facts_of_file(out.config).into_iter().map(|f| f.fact).collect()
    }

    fn tcp(host: &str, port: Option<u16>) -> Option<Endpoint> {
        Some(Endpoint::Tcp {
            host: host.into(),
            port,
        })
    }

    #[test]
    fn reads_pass_arguments() {
        let p = |d: &str, raw: &str| parse_pass(d, raw).unwrap();
        let unix = p("proxy_pass", "http://unix:/var/run/app.sock:/api/");
        assert_eq!(
            unix.endpoint,
            Some(Endpoint::Unix {
                path: "/var/run/app.sock".into()
            })
        );
        assert_eq!(unix.uri.as_deref(), Some("/api/"));
        let unix = p("proxy_pass", "http://unix:/var/run/control.unit.sock");
        assert_eq!(unix.endpoint.unwrap().unix_path(), Some("/var/run/control.unit.sock"));
        let fpm = p("fastcgi_pass", "unix:/run/php/php8.2-fpm.sock");
        assert_eq!(fpm.protocol, Protocol::Fastcgi);
        assert_eq!(fpm.endpoint.unwrap().unix_path(), Some("/run/php/php8.2-fpm.sock"));
        let ip = p("proxy_pass", "https://10.0.0.2:8443/");
        assert_eq!(
            (ip.protocol, ip.endpoint, ip.group, ip.uri.as_deref()),
            (Protocol::Https, tcp("10.0.0.2", Some(8443)), None, Some("/"))
        );
        let v6 = p("proxy_pass", "http://[::1]:8080");
        assert_eq!((v6.endpoint, v6.uri), (tcp("::1", Some(8080)), None));
        let group = p("proxy_pass", "http://api_backend");
        assert_eq!((group.endpoint, group.group.as_deref()), (None, Some("api_backend")));
        let named = p("fastcgi_pass", "php:9000");
        assert_eq!(
            (named.endpoint, named.group.as_deref()),
            (tcp("php", Some(9000)), Some("php"))
        );
        let var = p("proxy_pass", "$backend");
        assert!(var.uses_variables && var.endpoint.is_none() && var.group.is_none());
        let var = p("proxy_pass", "http://$host:8080$request_uri");
        assert!(var.uses_variables && var.endpoint.is_none());
        assert_eq!(p("grpc_pass", "grpcs://10.0.0.3:50051").protocol, Protocol::Grpcs);
        assert_eq!(p("grpc_pass", "127.0.0.1:50051").protocol, Protocol::Grpc);
        assert_eq!(p("uwsgi_pass", "suwsgi://10.0.0.4:3031").protocol, Protocol::Suwsgi);
        assert_eq!(p("memcached_pass", "127.0.0.1:11211").protocol, Protocol::Memcached);
        assert!(parse_pass("proxy_set_header", "Host").is_none());
    }

    #[test]
    fn targets_carry_their_server_and_location() {
        let text = "http {\n  proxy_read_timeout 300;\n  server {\n    listen 443 ssl default_server;\n    server_name shop.example.com www.shop.example.com;\n    location ~ \\.php$ {\n      fastcgi_pass unix:/run/php/php8.3-fpm.sock;\n      fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name;\n      fastcgi_param QUERY_STRING $query_string;\n    }\n  }\n}\n";
        let facts = facts(text);
        let kinds: Vec<&str> = facts.iter().map(Fact::type_id).collect();
        assert_eq!(
            kinds,
            [
                "nginx-directive",
                "server-block",
                "nginx-directive",
                "nginx-directive",
                "upstream-target",
                "nginx-directive"
            ]
        );
        let Fact::NginxDirective(timeout) = &facts[0] else {
            panic!()
        };
        assert_eq!(timeout.context, "http");
        let Fact::ServerBlock(server) = &facts[1] else { panic!() };
        assert!(server.default_server);
        assert_eq!(server.names, ["shop.example.com", "www.shop.example.com"]);
        let Fact::NginxDirective(name) = &facts[3] else {
            panic!()
        };
        assert_eq!(name.args, ["shop.example.com", "www.shop.example.com"]);
        let Fact::UpstreamTarget(target) = &facts[4] else {
            panic!()
        };
        assert_eq!(target.location.as_deref(), Some("~ \\.php$"));
        assert_eq!(target.listens, ["443 ssl default_server"]);
        assert_eq!(target.file.as_deref(), Some("/etc/nginx/conf.d/app.conf"));
        assert_eq!(target.context, "http > server(shop.example.com) > location(~ \\.php$)");
        let Fact::NginxDirective(param) = &facts[5] else {
            panic!()
        };
        assert_eq!(param.context, "http > server(shop.example.com) > location(~ \\.php$)");
        assert_eq!(param.args, ["SCRIPT_FILENAME", "$document_root$fastcgi_script_name"]);
    }

    #[test]
    fn reads_groups_log_formats_and_includes() {
        let text = "upstream app {\n  server 10.0.0.1:8080 max_fails=3 fail_timeout=10s;\n  server unix:/run/app.sock backup;\n  keepalive 32;\n  keepalive_timeout 60s;\n}\nlog_format json escape=json '{\"t\":\"$time_iso8601\",'\n  '\"s\":$status}';\ninclude /etc/nginx/conf.d/*.conf;\nreturn 503;\nreturn 301 https://x;\n";
        let facts = facts(text);
        let Fact::UpstreamGroup(group) = &facts[0] else {
            panic!()
        };
        assert_eq!(group.keepalive, Some(32));
        assert_eq!(group.servers.len(), 2);
        assert_eq!(group.servers[0].params, ["max_fails=3", "fail_timeout=10s"]);
        assert_eq!(
            group.servers[1].endpoint.as_ref().unwrap().unix_path(),
            Some("/run/app.sock")
        );
        let Fact::NginxDirective(timeout) = &facts[1] else {
            panic!()
        };
        assert_eq!(
            (timeout.name.as_str(), timeout.context.as_str()),
            ("keepalive_timeout", "upstream(app)")
        );
        let Fact::LogFormat(format) = &facts[2] else { panic!() };
        assert_eq!(format.escape.as_deref(), Some("json"));
        assert_eq!(format.format, "{\"t\":\"$time_iso8601\",\"s\":$status}");
        assert!(matches!(&facts[3], Fact::Include(i) if i.pattern == "/etc/nginx/conf.d/*.conf"));
        assert!(matches!(&facts[4], Fact::NginxDirective(d) if d.name == "return"));
        assert_eq!(facts.len(), 5);
    }

    #[test]
    fn deep_contexts_are_shortened() {
        let text = format!("{}root /x;{}", "location / {".repeat(40), "}".repeat(40));
        let facts = facts(&text);
        let Fact::NginxDirective(root) = &facts[0] else {
            panic!()
        };
        assert!(root.context.ends_with("> …"));
        assert_eq!(root.context.matches(" > ").count(), MAX_CONTEXT_LABELS);
    }
}

//! `mac-denial-for-nginx`: SELinux (an AVC) or AppArmor denied nginx a connection or a socket.
//!
//! ## What it looks for
//! An enforced denial whose subject is nginx (`comm="nginx"`, `scontext=...:httpd_t:...`, an
//! AppArmor profile for nginx): `{ name_connect }` on a `tcp_socket` (an upstream port),
//! `{ connectto }` on a `unix_stream_socket` or `{ write }` on a `sock_file` (a backend socket),
//! AppArmor `DENIED` `connect`. Confirmed by nginx's `connect() ... failed (13: Permission
//! denied)` to that port or socket and by `getenforce` saying `Enforcing`.
//!
//! ## Why it matters
//! The policy refuses the connection before any backend sees it: a 502 that file modes and
//! firewalls cannot explain. The fix is the targeted boolean (`httpd_can_network_connect`), a
//! port label (`semanage port`), a file context for the socket's directory, or an AppArmor rule,
//! never disabling SELinux.
//!
//! ## Weakened by
//! The denial being logged only (`permissive=1`, AppArmor `ALLOWED`, SELinux permissive or
//! disabled per `getenforce`/`sestatus`), a denial of something other than a connection (file
//! reads give 403s, not 502s).

use crate::cause::Cause;
use crate::facts::{Endpoint, ErrorEvent, MacDenial, MessageClass, SelinuxMode};
use crate::model::{At, Model};
use crate::rules::{Draft, Rule};

/// The rule.
pub const RULE: Rule = Rule {
    id: "mac-denial-for-nginx",
    cause: Cause::SelinuxDenied,
    doc: "an SELinux AVC or AppArmor denial stops nginx from connecting to its upstream port or socket",
    check,
};

/// True when the denied process is nginx: by `comm` when the line names it (PHP-FPM also runs
/// as `httpd_t`), else by its SELinux domain or AppArmor profile.
pub(crate) fn is_nginx(m: &MacDenial) -> bool {
    match m.comm.as_deref() {
        Some(c) => c.starts_with("nginx"),
        None => m
            .source_context
            .as_deref()
            .is_some_and(|c| c.contains("httpd_t") || c.contains("nginx")),
    }
}

/// What the denial forbids, when it is about connecting.
enum Denied {
    Port(Option<u16>),
    Socket(Option<String>),
    Bind(Option<u16>),
}

fn denied(m: &MacDenial) -> Option<Denied> {
    let has = |p: &str| m.permissions.iter().any(|x| x == p);
    let class = m.target_class.as_deref().unwrap_or("");
    if has("name_connect") || (class == "tcp_socket" && m.operation.as_deref() == Some("connect")) {
        return Some(Denied::Port(m.dest_port));
    }
    if has("name_bind") {
        return Some(Denied::Bind(m.dest_port));
    }
    if has("connectto") || class == "unix_stream_socket" || (class == "sock_file" && has("write")) {
        return Some(Denied::Socket(m.path.clone()));
    }
    if m.system == "apparmor"
        && (m.operation.as_deref() == Some("connect") || m.path.as_deref().is_some_and(|p| p.ends_with(".sock")))
    {
        return Some(Denied::Socket(m.path.clone()));
    }
    None
}

fn check(model: &Model<'_>, out: &mut Vec<Draft>) {
    let denials: Vec<(At<'_, MacDenial>, Denied)> = model
        .all::<MacDenial>()
        .filter(|m| is_nginx(m) && !m.permissive)
        .filter_map(|m| denied(&m).map(|d| (m, d)))
        .collect();
    let Some((first, what)) = denials.first() else { return };
    let system = if first.system == "apparmor" {
        "AppArmor"
    } else {
        "SELinux"
    };
    let mut confidence: f32 = 0.86;
    let title = match what {
        Denied::Port(Some(p)) => format!("{system} forbids nginx to connect to port {p}"),
        Denied::Port(None) => format!("{system} forbids nginx to connect to its upstream"),
        Denied::Socket(Some(s)) => format!("{system} forbids nginx to use the socket {s}"),
        Denied::Socket(None) => format!("{system} forbids nginx to use its upstream socket"),
        Denied::Bind(Some(p)) => format!("{system} forbids nginx to listen on port {p}"),
        Denied::Bind(None) => format!("{system} forbids nginx to bind its port"),
    };
    if matches!(what, Denied::Bind(_)) {
        confidence = 0.7;
    }
    let mut d = Draft::new(Cause::SelinuxDenied, confidence, title);
    for (m, w) in denials.iter().take(3) {
        let note = match w {
            Denied::Port(p) => format!(
                "{} denies nginx name_connect{}",
                m.system,
                p.map_or(String::new(), |p| format!(" to port {p}"))
            ),
            Denied::Socket(s) => format!(
                "{} denies nginx access to the socket{}",
                m.system,
                s.as_ref().map_or(String::new(), |s| format!(" {s}"))
            ),
            Denied::Bind(p) => format!(
                "{} denies nginx name_bind{}",
                m.system,
                p.map_or(String::new(), |p| format!(" on port {p}"))
            ),
        };
        d.support(m.artifact, m.span, note);
    }
    match what {
        Denied::Port(p) | Denied::Bind(p) => {
            if let Some(p) = p {
                d.value("port", p.to_string());
                d.value("upstream_port", p.to_string());
            }
            if matches!(what, Denied::Port(_)) {
                d.value("boolean", "httpd_can_network_connect");
            }
        }
        Denied::Socket(s) => {
            if let Some(s) = s.as_deref().filter(|s| s.starts_with('/')) {
                d.value("socket", s);
            }
        }
    }
    // nginx's own (13) line for the same port or socket.
    let matching: Option<At<'_, ErrorEvent>> = model.events(MessageClass::ConnectFailed).find(|e| {
        e.errno == Some(13)
            && match (what, Model::event_endpoint(e)) {
                (Denied::Port(Some(p)), Some(ep)) => ep.port() == Some(*p),
                (Denied::Port(None), Some(Endpoint::Tcp { .. })) => true,
                (Denied::Socket(Some(s)), Some(Endpoint::Unix { path })) => {
                    path.ends_with(s.rsplit('/').next().unwrap_or(s))
                }
                (Denied::Socket(None), Some(Endpoint::Unix { .. })) => true,
                _ => false,
            }
    });
    if let Some(e) = matching {
        confidence += 0.09;
        d.support(
            e.artifact,
            e.span,
            "nginx's connect() is refused with errno 13 at the same time",
        );
        if let Some(ep) = Model::event_endpoint(&e) {
            d.value("upstream", ep.to_string());
            if let Some(p) = ep.unix_path() {
                d.value("socket", p);
            }
        }
    }
    if first.system == "selinux" {
        match model.all::<SelinuxMode>().last() {
            Some(m) if m.mode == "enforcing" => {
                confidence += 0.03;
                d.support(m.artifact, m.span, "SELinux is enforcing");
            }
            Some(m) => {
                confidence -= 0.35;
                d.against(
                    m.artifact,
                    m.span,
                    format!("SELinux is {} now: it no longer denies", m.mode),
                );
            }
            None => {}
        }
    }
    // The socket's directory, for a file-context fix.
    let socket = d.values.iter().find(|(k, _)| k == "socket").map(|(_, v)| v.clone());
    if let Some((dir, _)) = socket.as_deref().and_then(|s| s.rsplit_once('/'))
        && !dir.is_empty()
    {
        d.value("file", dir);
    }
    d.confidence = confidence.clamp(0.15, 0.97);
    out.push(d);
}

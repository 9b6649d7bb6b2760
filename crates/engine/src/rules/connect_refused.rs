//! `connect-refused-nothing-listening`: nginx's connection to an HTTP (non-PHP) backend is
//! refused or its socket is missing, and the other artifacts show nothing listens there.
//!
//! ## What it looks for
//! `connect() failed (111: Connection refused) while connecting to upstream` on a TCP or unix
//! target, or `connect() to unix:PATH failed (2: No such file or directory)` on a socket that is
//! not PHP-FPM's (gunicorn, uWSGI, puma...). Then, across artifacts: `ss`/`netstat`/`lsof` with
//! no listener on that address (or only on another interface: `127.0.0.1:8000` while nginx dials
//! `10.0.0.5:8000`, `[::1]` versus `127.0.0.1`), the backend's unit `failed`/`inactive` or
//! `not-found`, its container exited, its log saying it shut down, `ls` not finding the socket,
//! curl refused on the same port.
//!
//! ## Why it matters
//! A refused connection means the kernel answered for the address and no process accepts there:
//! the backend is stopped, crashed at start-up, or listens elsewhere. nginx answers 502 for every
//! request to it.
//!
//! ## Weakened by
//! A listener serving the dialed address (then the refusal came from elsewhere: a restart window,
//! another host); the backend's unit `active (running)`; a firewall `REJECT --reject-with
//! tcp-reset` for the port (same errno); a loopback address dialed from an nginx that runs in a
//! container (the container-networking rule explains that better).

use crate::cause::Cause;
use crate::facts::*;
use crate::model::backends::{Role, is_down, is_running};
use crate::model::reach::{ConnectErrno, connect_errno, is_php_event};
use crate::model::{Model, endpoints};
use crate::rules::{Draft, Rule};

/// The rule.
pub const RULE: Rule = Rule {
    id: "connect-refused-nothing-listening",
    cause: Cause::UpstreamDown,
    doc: "connect() to an HTTP/uwsgi backend fails with (111) or (2) on a non-PHP socket, and the listeners, service status or container show nothing serving that address",
    check,
};

/// Words of a socket path or unit name that name the program (`gunicorn`, `myapp`).
fn words(text: &str) -> Vec<String> {
    text.to_ascii_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| {
            w.len() >= 3
                && !matches!(
                    *w,
                    "run" | "var" | "sock" | "socket" | "service" | "tmp" | "srv" | "home"
                )
        })
        .map(str::to_string)
        .collect()
}

fn check(model: &Model<'_>, out: &mut Vec<Draft>) {
    // Events grouped by the address they dial: refused, or a missing unix socket.
    let groups = model.connect_failures_by_endpoint(|e| {
        let unix = e.target.as_deref().is_some_and(|t| t.starts_with("unix:"));
        !is_php_event(e)
            && e.action.as_deref().is_none_or(|a| a == "connecting to upstream")
            && match connect_errno(e) {
                Some(ConnectErrno::Refused) => true,
                Some(ConnectErrno::NoSuchFile) => unix,
                _ => false,
            }
    });
    for (dialed, events) in groups {
        out.push(draft_for(model, &dialed, &events));
    }
}

fn draft_for(model: &Model<'_>, dialed: &Endpoint, events: &[crate::model::At<'_, ErrorEvent>]) -> Draft {
    let first = events[0];
    let missing = connect_errno(&first) == Some(ConnectErrno::NoSuchFile);
    let unix = dialed.unix_path();
    let mut conf: f32 = if unix.is_some() { 0.62 } else { 0.6 };
    let mut d = Draft::new(Cause::UpstreamDown, conf, "");
    let mut title = match unix {
        Some(p) if missing => {
            format!("The backend socket {p} does not exist: the app server behind it is not running")
        }
        Some(p) => format!("Nothing accepts connections on {p}: the app server behind it is not running"),
        None => format!("Nothing accepts connections on {dialed}: the backend nginx proxies to is down"),
    };
    d.value("upstream", dialed.to_string());
    match dialed {
        Endpoint::Unix { path } => {
            d.value("socket", path.clone());
        }
        Endpoint::Tcp { host, port } => {
            d.value("upstream_host", host.clone());
            if let Some(p) = port {
                d.value("upstream_port", p.to_string());
                d.value("port", p.to_string());
            }
        }
    }
    let note = match (unix, missing) {
        (Some(_), true) => "nginx finds no socket file at this path (errno 2)".to_string(),
        (Some(_), _) => "the socket file exists but no process accepts on it (errno 111: stale socket)".to_string(),
        _ => format!("nginx's connection to {dialed} is refused (errno 111): nothing listens there"),
    };
    for e in events.iter().take(3) {
        d.support(e.artifact, e.span, note.clone());
    }
    if events.len() > 3 {
        let last = events[events.len() - 1];
        d.support(last.artifact, last.span, format!("{} such lines in all", events.len()));
    }

    // Listeners.
    let listing = if unix.is_some() {
        model.has_unix_listing()
    } else {
        model.has_tcp_listing()
    };
    if listing {
        let serving = model.listeners_serving(dialed);
        if let Some(l) = serving.first() {
            conf -= 0.35;
            let who = l.process.as_deref().map(|p| format!(" ({p})")).unwrap_or_default();
            d.against(
                l.artifact,
                l.span,
                format!(
                    "{} listens on this address{who}: the backend was up when this was taken",
                    l.local
                ),
            );
        } else {
            let near = model.near_misses(dialed);
            match near.first() {
                Some(l) if unix.is_none() => {
                    conf += 0.2;
                    let who = l.process.as_deref().map(|p| format!("{p} ")).unwrap_or_default();
                    d.support(
                        l.artifact,
                        l.span,
                        format!(
                            "{who}listens on {} only, not on {dialed}: that address refuses nginx",
                            l.local
                        ),
                    );
                    d.value("listen_address", l.local.clone());
                    title = format!(
                        "The backend listens on {} but nginx dials {dialed}: nothing accepts there",
                        l.local
                    );
                }
                _ => {
                    // For a remote backend, a listing from nginx's own host (nginx listens in it)
                    // says nothing about the backend's host.
                    let remote = matches!(dialed, Endpoint::Tcp { host, .. } if !endpoints::is_loopback(host));
                    let nginx_host = model
                        .all::<Listener>()
                        .any(|l| l.process.as_deref().is_some_and(|p| p.contains("nginx")));
                    if !(remote && nginx_host) {
                        conf += if remote { 0.1 } else { 0.2 };
                    }
                    let any = model
                        .all::<Listener>()
                        .find(|l| l.proto.starts_with(if unix.is_some() { 'u' } else { 't' }))
                        .or_else(|| model.all::<Listener>().next());
                    if let Some(l) = any {
                        d.support(
                            l.artifact,
                            l.span,
                            format!("the listener list shows nothing on {dialed}"),
                        );
                    }
                }
            }
        }
    }

    // An application listening on another local port: nginx may point at the wrong port.
    if let Some(l) = model.app_listening_elsewhere(dialed) {
        conf -= 0.15;
        d.against(
            l.artifact,
            l.span,
            format!(
                "{} listens on {}: if that is the backend, nginx points at the wrong port",
                l.process.as_deref().unwrap_or("a process"),
                l.local
            ),
        );
    }

    // The socket file.
    if let Some(path) = unix
        && let Some(f) = model.file(path)
    {
        if f.error.is_some() {
            conf += 0.1;
            d.support(f.artifact, f.span, format!("{path} does not exist"));
        } else if missing {
            conf -= 0.2;
            d.against(f.artifact, f.span, format!("{path} exists when this was taken"));
        }
    }

    // The backend's service.
    let hints: Vec<String> = match dialed {
        Endpoint::Unix { path } => words(path),
        Endpoint::Tcp { .. } => Vec::new(),
    };
    let related = |unit: &str| hints.is_empty() || words(unit).iter().any(|w| hints.contains(w));
    let backends: Vec<_> = model.services(Role::Backend).collect();
    if let Some(s) = backends.iter().find(|s| {
        (is_down(s) || s.active == "not-found")
            && related(&s.unit)
            && !crate::model::reach::is_infrastructure_unit(&s.unit)
    }) {
        conf += 0.3;
        let state = match s.active.as_str() {
            "not-found" => "does not exist (unit not found)".to_string(),
            a => format!(
                "is {a}{}",
                s.sub.as_deref().map(|x| format!(" ({x})")).unwrap_or_default()
            ),
        };
        d.support(s.artifact, s.span, format!("{} {state}", s.unit));
        d.value("service", s.unit.trim_end_matches(".service").to_string());
        title = format!("{} is not running, so nothing accepts connections on {dialed}", s.unit);
    } else if let Some(s) = backends
        .iter()
        .find(|s| is_running(s) && !hints.is_empty() && related(&s.unit))
    {
        conf -= 0.25;
        d.against(s.artifact, s.span, format!("{} is active (running)", s.unit));
    }

    // The app server's own log.
    if let Some(a) = model
        .all::<AppEvent>()
        .filter(|a| matches!(a.class.as_str(), "boot-failed" | "shutting-down"))
        .last()
    {
        conf += 0.1;
        d.support(a.artifact, a.span, format!("{}: {}", a.server, a.message));
    }

    // The backend's container exited.
    if let Some(c) = model.stopped_backend_container(dialed.port()) {
        conf += 0.15;
        d.support(
            c.artifact,
            c.span,
            format!("the container {} is not running: {}", c.name, c.status),
        );
        d.value("container", c.name.clone());
    }

    // curl refused too.
    if let Some(c) = model.curl_failure_to(dialed).filter(|c| c.code == 7) {
        conf += 0.05;
        d.support(c.artifact, c.span, "curl is refused too");
    }

    // A probe of the same host and port.
    for p in model.probes_to(dialed) {
        match (p.outcome.as_str(), p.port) {
            ("refused", _) => {
                conf += 0.05;
                d.support(
                    p.artifact,
                    p.span,
                    format!("{} is refused too: nothing accepts on that port", p.tool),
                );
            }
            ("reachable", Some(port)) => {
                conf -= 0.2;
                d.against(
                    p.artifact,
                    p.span,
                    format!(
                        "{} connects to port {port}: something listens there now (it was restarting, or nginx dials another address)",
                        p.tool
                    ),
                );
            }
            _ => {}
        }
    }

    // A firewall REJECT with tcp-reset looks the same.
    for v in model.firewall_verdicts(dialed) {
        if v.blocked {
            conf -= 0.25;
            d.against(
                v.rule.artifact,
                v.rule.span,
                "a firewall rejects this port: a tcp-reset reject is also seen as a refusal",
            );
            break;
        }
    }

    // Loopback from inside a container.
    if let Endpoint::Tcp { host, .. } = dialed
        && endpoints::is_loopback(host)
        && let Some((a, s, note)) = model.nginx_container_signs().into_iter().next()
    {
        conf -= 0.15;
        d.against(a, s, format!("{note}, so {host} is that container itself"));
    }

    // The backend crashed and came back: the refusal was the restart window.
    let exits: Vec<_> = model
        .all::<AppEvent>()
        .filter(|a| {
            matches!(
                a.class.as_str(),
                "worker-exited" | "crash" | "worker-killed" | "out-of-memory"
            )
        })
        .collect();
    if let Some(x) = exits.first()
        && model.all::<AppEvent>().any(|a| {
            matches!(a.class.as_str(), "starting" | "worker-started")
                && a.span.start > x.span.start
                && a.artifact == x.artifact
        })
    {
        conf -= 0.15;
        d.against(
            x.artifact,
            x.span,
            format!(
                "{} died and was restarted: the refusal falls in the restart window",
                x.server
            ),
        );
    }

    // nginx refused a new configuration: it still runs an older one.
    if let Some(c) = model
        .all::<ErrorEvent>()
        .find(|c| c.level == Some(Level::Emerg) && c.config_file.is_some())
        .map(|c| (c.artifact, c.span))
        .or_else(|| model.all::<ConfigTest>().find(|t| !t.ok).map(|t| (t.artifact, t.span)))
    {
        conf -= 0.15;
        d.against(
            c.0,
            c.1,
            "nginx rejected a new configuration and keeps running the previous one, which may dial an old address",
        );
    }

    // The request went to a server block that does not serve its Host.
    if let Some(e) = events.iter().find(|e| {
        let host = e.host.as_deref().map(|h| h.split(':').next().unwrap_or(h));
        match (host, e.server.as_deref()) {
            (Some(h), Some(s)) if !h.is_empty() && !s.is_empty() && !h.eq_ignore_ascii_case(s) => {
                // Several sites, none named after the host (a host that is an IP address
                // normally lands on the default server).
                h.parse::<std::net::IpAddr>().is_err()
                    && model.all::<ServerBlock>().count() >= 2
                    && !model
                        .all::<ServerBlock>()
                        .any(|b| b.names.iter().any(|n| n.eq_ignore_ascii_case(h)))
            }
            _ => false,
        }
    }) {
        conf -= 0.25;
        d.against(
            e.artifact,
            e.span,
            format!(
                "the request for {} was handled by the server block {}: no server_name matches that host, so this may be the wrong backend",
                e.host.as_deref().unwrap_or(""),
                e.server.as_deref().unwrap_or("")
            ),
        );
    }

    // The server block for the request's host proxies elsewhere, or two blocks claim it.
    let host = first
        .host
        .as_deref()
        .map(|h| h.split(':').next().unwrap_or(h).to_ascii_lowercase())
        .filter(|h| !h.is_empty());
    if let Some(h) = &host
        && !d.evidence.iter().any(|e| e.against && e.note.contains("server block"))
    {
        let own: Vec<_> = model
            .targets()
            .into_iter()
            .filter(|t| t.at.server_names.iter().any(|n| n.eq_ignore_ascii_case(h)))
            .collect();
        if let Some(t) = own.first()
            && !own
                .iter()
                .any(|t| t.endpoints.iter().any(|e| endpoints::same_endpoint(e, dialed)))
        {
            conf -= 0.25;
            d.against(
                t.at.artifact,
                t.at.span,
                format!(
                    "the server block for {h} proxies to {}, not to {dialed}: another server block handled the request",
                    t.at.raw
                ),
            );
        } else if let Some(w) = model
            .events(MessageClass::ConflictingServerName)
            .find(|w| w.message.to_ascii_lowercase().contains(&format!("\"{h}\"")))
        {
            conf -= 0.25;
            d.against(
                w.artifact,
                w.span,
                format!("two server blocks claim {h}: nginx uses the first one, which may proxy to an old backend"),
            );
        }
    }

    d.title = title;
    d.confidence = conf.clamp(0.0, 0.97);
    d
}

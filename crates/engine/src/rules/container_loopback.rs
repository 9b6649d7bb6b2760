//! `loopback-upstream-inside-container`: nginx runs in a container and proxies to `localhost` /
//! `127.0.0.1` / `[::1]`, which is its own container, not the backend's.
//!
//! ## What it looks for
//! `connect() failed (111: Connection refused)` (or `(99: Cannot assign requested address)` for
//! `[::1]` in a container without IPv6) to a loopback address, together with a sign that nginx
//! runs in a container: the error line's `client:` is a docker bridge gateway (`172.18.0.1`),
//! the errno text is musl's (Alpine image), the lines come from `docker logs`/`kubectl logs`, or
//! an nginx container or compose service is shown. Also, without an error line, a `proxy_pass`
//! / `fastcgi_pass` to a loopback address in a compose setup where nginx is one service and the
//! backend another.
//!
//! ## Why it matters
//! Each container has its own network namespace: `localhost` inside the nginx container is the
//! nginx container. The backend runs in another container, reachable by its compose service
//! name, so every connection is refused and nginx answers 502.
//!
//! ## Weakened by
//! nginx's compose service using `network_mode: host` (then loopback is the host, and a
//! published backend port is reachable); no sign at all that nginx is containerised (then the
//! upstream-down rule applies).

use crate::cause::Cause;
use crate::facts::*;
use crate::model::reach::{ConnectErrno, connect_errno, is_php_event};
use crate::model::{Model, endpoints};
use crate::rules::{Draft, Rule};

/// The rule.
pub const RULE: Rule = Rule {
    id: "loopback-upstream-inside-container",
    cause: Cause::ContainerNetworking,
    doc: "nginx runs in a container and dials localhost/127.0.0.1/[::1], which is its own container: refused (111) or not configured (99)",
    check,
};

fn check(model: &Model<'_>, out: &mut Vec<Draft>) {
    let events: Vec<_> = model
        .events(MessageClass::ConnectFailed)
        .filter(|e| e.errno == Some(99) || connect_errno(e) == Some(ConnectErrno::Refused))
        .filter(|e| {
            matches!(Model::event_endpoint(e), Some(Endpoint::Tcp { ref host, .. }) if endpoints::is_loopback(host))
        })
        .collect();
    let signs = model.nginx_container_signs();
    let compose_nginx = model.nginx_compose_service();
    let host_network = compose_nginx
        .filter(|s| s.network_mode.as_deref() == Some("host"))
        .or_else(|| {
            model
                .all::<ComposeService>()
                .find(|s| s.network_mode.as_deref() == Some("host"))
        });
    // Configured loopback targets, for the config-only form and the edit.
    let targets: Vec<_> = model
        .targets()
        .into_iter()
        .filter(|t| {
            t.at.endpoint
                .as_ref()
                .is_some_and(|e| matches!(e, Endpoint::Tcp { host, .. } if endpoints::is_loopback(host)))
        })
        .collect();

    let (mut conf, dialed) = if let Some(e) = events.first() {
        if signs.is_empty() {
            return;
        }
        (0.78, Model::event_endpoint(e))
    } else if let (Some(_), Some(t), None) = (compose_nginx, targets.first(), host_network) {
        (0.6, t.at.endpoint.clone())
    } else {
        return;
    };
    let Some(dialed) = dialed else { return };
    // Name the address as configured (`localhost:3000`) when the target is pasted.
    let dialed = targets
        .iter()
        .filter_map(|t| t.at.endpoint.clone())
        .find(|e| endpoints::same_endpoint(e, &dialed))
        .unwrap_or(dialed);
    let port = dialed.port();
    let backend = model.backend_service_for(port);

    let php = events.first().is_some_and(|e| is_php_event(e));
    let mut d = Draft::new(
        Cause::ContainerNetworking,
        conf,
        format!("nginx runs in a container and dials {dialed}: that is its own container, not the backend's"),
    );
    d.value("upstream", dialed.to_string());
    if let Some(p) = port {
        d.value("upstream_port", p.to_string());
        d.value("port", p.to_string());
    }
    for e in events.iter().take(3) {
        let ep = Model::event_endpoint(e).unwrap_or_else(|| dialed.clone());
        let note = match e.errno {
            Some(99) => format!("{ep} cannot even be dialed (errno 99): no IPv6 loopback in this container"),
            _ => format!("{ep} refuses (errno 111): nothing listens on the loopback of nginx's container"),
        };
        d.support(e.artifact, e.span, note);
    }
    for (a, s, note) in signs.iter().take(2) {
        d.support(*a, *s, note.clone());
    }
    if let Some(b) = &backend {
        conf += 0.12;
        d.support(
            b.artifact,
            b.span,
            format!("the backend is the separate service {}: reach it by that name", b.name),
        );
        d.value("container", b.name.clone());
        d.title = format!(
            "nginx's container dials {dialed}, but the backend runs in the container {}",
            b.name
        );
    }
    if let Some(s) = host_network {
        conf -= 0.4;
        d.against(
            s.artifact,
            s.span,
            format!("{} uses network_mode: host, where loopback is the host", s.name),
        );
    }
    // The line to change.
    if let Some(t) = targets
        .iter()
        .find(|t| {
            t.at.endpoint
                .as_ref()
                .is_some_and(|e| endpoints::same_endpoint(e, &dialed))
        })
        .or(targets.first())
    {
        d.support(
            t.at.artifact,
            t.at.span,
            format!("{} {} points at loopback", t.at.directive, t.at.raw),
        );
        if let (Some(b), Some(p)) = (&backend, port) {
            let before = format!("{} {};", t.at.directive, t.at.raw);
            let host_text = match t.at.endpoint.as_ref().unwrap_or(&dialed) {
                Endpoint::Tcp { host, .. } if host.contains(':') => format!("[{host}]:{p}"),
                Endpoint::Tcp { host, .. } => format!("{host}:{p}"),
                _ => String::new(),
            };
            let after_raw = t.at.raw.replacen(&host_text, &format!("{}:{p}", b.name), 1);
            if after_raw != t.at.raw {
                d.edit(
                    t.at.artifact,
                    t.at.span,
                    before,
                    format!("{} {after_raw};", t.at.directive),
                );
            }
        }
        if let Some(f) = &t.at.file {
            d.value("config_file", f.clone());
        }
        d.value("directive", t.at.directive.clone());
    } else if php {
        d.value("directive", "fastcgi_pass");
    } else {
        d.value("directive", "proxy_pass");
    }
    d.confidence = conf.clamp(0.0, 0.95);
    out.push(d);
}

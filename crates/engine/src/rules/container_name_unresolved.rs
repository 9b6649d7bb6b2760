//! `service-name-not-on-shared-network`: nginx cannot resolve a compose service / container
//! name, because the two containers share no network (or the backend container is not running).
//!
//! ## What it looks for
//! `NAME could not be resolved (3: Host not found)` at request time or `host not found in
//! upstream "NAME:PORT"` at start-up, where NAME is a compose service, a `container_name` or a
//! container (`proj-NAME-1`) that was pasted. Decisive: the networks of nginx's container and of
//! NAME's (`docker inspect`, `docker network inspect`, compose `networks:`) have nothing in
//! common; or NAME's container is not running.
//!
//! ## Why it matters
//! Docker's embedded DNS (127.0.0.11) answers a service name only to containers on a network
//! that service is attached to, and only while its container runs. Two compose projects each get
//! their own `<project>_default` network, so the proxy of one cannot resolve the other's
//! services: every request is a 502 (or nginx does not start, for a literal `proxy_pass` name).
//!
//! ## Weakened by
//! Both containers shown on a common network (then the name should resolve: a DNS problem of
//! another kind). NAME known to no pasted container, with nginx in a container and NAME a bare
//! service-like name (no dot, not an address): still this cause, at a lower confidence (no
//! running container on nginx's networks has that name); with a dotted name or nginx on the
//! host, the dns-resolution rules handle it. When the paste shows a running container or compose
//! service (under another name) that serves the dialed port, its name is the fix.

use crate::cause::Cause;
use crate::facts::*;
use crate::model::Model;
use crate::rules::{Draft, Rule};

/// The rule.
pub const RULE: Rule = Rule {
    id: "service-name-not-on-shared-network",
    cause: Cause::ContainerNetworking,
    doc: "a compose service or container name does not resolve in nginx's container: the two share no network, or the backend container is not running",
    check,
};

/// The host part of `name:port`.
fn host_of(name: &str) -> &str {
    match name.rsplit_once(':') {
        Some((h, p)) if p.bytes().all(|b| b.is_ascii_digit()) && !h.contains(':') => h,
        _ => name,
    }
}

/// The port of `name:port`.
fn port_of(target: &str) -> Option<u16> {
    target.rsplit_once(':').and_then(|(_, p)| p.parse().ok())
}

fn check(model: &Model<'_>, out: &mut Vec<Draft>) {
    for e in model.all::<ErrorEvent>() {
        if !matches!(
            e.class,
            MessageClass::CouldNotBeResolved | MessageClass::HostNotFoundInUpstream
        ) {
            continue;
        }
        let Some(name) = e.target.as_deref().map(host_of) else {
            continue;
        };
        let Some(unit) = model.container_named(name) else {
            // No container of that name was pasted, but nginx runs in one and the name looks
            // like a compose service (no dot): Docker's DNS does not know it.
            let signs = model.nginx_container_signs();
            if !name.contains('.') && !name.is_empty() && name.parse::<std::net::IpAddr>().is_err() && !signs.is_empty()
            {
                let kube = signs
                    .iter()
                    .any(|(_, _, n)| n.contains("kubectl") || n.contains(" oc "))
                    || model.has::<KubeObject>();
                let title = if kube {
                    format!("The cluster DNS does not know {name}: no Service of that name in nginx's namespace")
                } else {
                    format!("Docker's DNS does not know the service name {name} in nginx's container")
                };
                let mut d = Draft::new(Cause::ContainerNetworking, 0.7, title);
                d.value("name", name.to_string());
                let port = e.target.as_deref().and_then(port_of);
                if let Some(p) = port {
                    d.value("upstream_port", p.to_string());
                }
                d.support(
                    e.artifact,
                    e.span,
                    format!(
                        "{name} has no address: no running container on nginx's networks has that service name (renamed, stopped, or on another network)"
                    ),
                );
                let (a, sp, note) = &signs[0];
                d.support(*a, *sp, note.clone());
                // The backend the paste does show, under another name: the name to dial.
                if !kube
                    && let Some(backend) = port.and_then(|p| model.service_serving_port(p))
                    && backend.running != Some(false)
                    && !backend.name.eq_ignore_ascii_case(name)
                {
                    let target = port.map_or(backend.name.clone(), |p| format!("{}:{p}", backend.name));
                    d.support(
                        backend.artifact,
                        backend.span,
                        format!(
                            "the service {} serves the port nginx dials: nginx should dial {target}, not {name}",
                            backend.name
                        ),
                    );
                    d.value("container", backend.name.clone());
                    d.title = format!(
                        "nginx dials {name}, a name Docker's DNS does not know: the backend's service is {}",
                        backend.name
                    );
                    d.confidence = 0.78;
                }
                d.value("container", name.to_string());
                out.push(d);
                return;
            }
            continue;
        };
        if unit.is_nginx {
            continue;
        }
        let mut conf: f32 = 0.72;
        let mut d = Draft::new(
            Cause::ContainerNetworking,
            conf,
            format!("nginx's container cannot resolve the service name {name}"),
        );
        d.value("name", name.to_string());
        d.value("container", unit.name.clone());
        let note = match e.class {
            MessageClass::HostNotFoundInUpstream => {
                format!("nginx found no address for {name} at start-up (host not found in upstream)")
            }
            _ => format!("nginx's resolver has no answer for {name}"),
        };
        d.support(e.artifact, e.span, note);
        d.support(
            unit.artifact,
            unit.span,
            format!("{name} is a container/compose service: Docker's DNS answers it only on a shared network"),
        );
        if let Some(nginx) = model.nginx_networks()
            && !unit.networks.is_empty()
        {
            let shared: Vec<&String> = nginx.networks.iter().filter(|n| unit.networks.contains(n)).collect();
            if shared.is_empty() {
                conf += 0.22;
                d.support(
                    nginx.artifact,
                    nginx.span,
                    format!(
                        "nginx is on {} while {name} is on {}: no network in common",
                        nginx.networks.join(", "),
                        unit.networks.join(", ")
                    ),
                );
                d.title = format!(
                    "nginx and {name} are on different Docker networks ({} vs {}): the name does not resolve",
                    nginx.networks.join(", "),
                    unit.networks.join(", ")
                );
            } else {
                conf -= 0.3;
                d.against(
                    nginx.artifact,
                    nginx.span,
                    format!("nginx and {name} share the network {}", shared[0]),
                );
            }
        }
        if unit.running == Some(false) {
            conf += 0.1;
            d.support(
                unit.artifact,
                unit.span,
                format!(
                    "the container of {name} is not running ({}): Docker's DNS drops its name",
                    unit.status.unwrap_or("stopped")
                ),
            );
            if d.title.starts_with("nginx's container") {
                d.title = format!("The container {name} is not running, so its name does not resolve");
            }
        }
        if let Some(r) = model.directives("resolver").next() {
            d.support(
                r.artifact,
                r.span,
                format!("nginx resolves through {}", r.args.join(" ")),
            );
            if let Some(a) = r.args.first() {
                d.value("resolver", a.clone());
            }
        }
        d.confidence = conf.clamp(0.0, 0.95);
        out.push(d);
        return;
    }
}

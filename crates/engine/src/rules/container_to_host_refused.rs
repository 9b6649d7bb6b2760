//! `container-dials-host-loopback-service`: nginx in a container dials the Docker host
//! (`host.docker.internal`, the bridge gateway `172.17.0.1`), where the application listens on
//! 127.0.0.1 only.
//!
//! ## What it looks for
//! `connect() failed (111: Connection refused)` to the docker bridge gateway address, or through
//! a `proxy_pass` naming `host.docker.internal` / `gateway.docker.internal`; made stronger by a
//! listener listing (taken on the host) that shows the application on `127.0.0.1:PORT` or
//! `[::1]:PORT` only.
//!
//! ## Why it matters
//! From a container, the host is another machine on the bridge network: a service the host binds
//! to its loopback is not reachable there, so every connection is refused and nginx answers 502.
//! The application must listen on the bridge address (or `0.0.0.0`, with a firewall), or run in
//! a container on the same network as nginx.
//!
//! ## Weakened by
//! A listing showing the application on all interfaces at that port (then it is reachable and the
//! refusal comes from elsewhere, for example a firewall `REJECT --reject-with tcp-reset`).

use crate::cause::Cause;
use crate::facts::*;
use crate::model::reach::{ConnectErrno, connect_errno, is_docker_gateway};
use crate::model::{Model, endpoints};
use crate::rules::{Draft, Rule};

/// The rule.
pub const RULE: Rule = Rule {
    id: "container-dials-host-loopback-service",
    cause: Cause::ContainerNetworking,
    doc: "nginx in a container is refused by the Docker host (host.docker.internal, 172.17.0.1): the host's service listens on 127.0.0.1 only",
    check,
};

fn check(model: &Model<'_>, out: &mut Vec<Draft>) {
    let host_names = [
        "host.docker.internal",
        "gateway.docker.internal",
        "host.containers.internal",
    ];
    let via_name = model.targets().into_iter().find(|t| {
        t.endpoints
            .iter()
            .chain(t.at.endpoint.iter())
            .any(|e| matches!(e, Endpoint::Tcp { host, .. } if host_names.contains(&host.as_str())))
            || t.at.group.as_deref().is_some_and(|g| host_names.contains(&g))
    });
    let events: Vec<_> = model
        .events(MessageClass::ConnectFailed)
        .filter(|e| connect_errno(e) == Some(ConnectErrno::Refused))
        .filter(|e| match Model::event_endpoint(e) {
            Some(Endpoint::Tcp { host, port }) => {
                is_docker_gateway(&host)
                    || host_names.contains(&host.as_str())
                    || via_name.as_ref().is_some_and(|t| {
                        !endpoints::is_loopback(&host)
                            && t.at
                                .endpoint
                                .as_ref()
                                .and_then(Endpoint::port)
                                .is_none_or(|p| Some(p) == port)
                    })
            }
            _ => false,
        })
        .collect();
    let Some(first) = events.first().copied() else { return };
    let Some(dialed) = Model::event_endpoint(&first) else {
        return;
    };
    let port = dialed.port();
    let mut conf: f32 = 0.72;
    let mut d = Draft::new(
        Cause::ContainerNetworking,
        conf,
        format!(
            "nginx's container dials the Docker host at {dialed}, where nothing accepts connections from containers"
        ),
    );
    d.value("upstream", dialed.to_string());
    if let Some(p) = port {
        d.value("upstream_port", p.to_string());
        d.value("port", p.to_string());
    }
    d.support(
        first.artifact,
        first.span,
        format!("{dialed} is the Docker host seen from the container: it refuses (errno 111)"),
    );
    if let Some(t) = &via_name {
        d.support(
            t.at.artifact,
            t.at.span,
            format!("{} {} dials the Docker host", t.at.directive, t.at.raw),
        );
    }
    // The host's listener for that port.
    let at_port: Vec<_> = model
        .all::<Listener>()
        .filter(|l| matches!(&l.endpoint, Some(Endpoint::Tcp { port: q, .. }) if port.is_some() && *q == port))
        .collect();
    if let Some(l) = at_port
        .iter()
        .find(|l| matches!(&l.endpoint, Some(Endpoint::Tcp { host, .. }) if endpoints::is_loopback(host)))
        && !at_port
            .iter()
            .any(|l| matches!(&l.endpoint, Some(Endpoint::Tcp { host, .. }) if endpoints::is_wildcard(host)))
    {
        conf += 0.2;
        d.value("listen_address", l.local.clone());
        d.support(
            l.artifact,
            l.span,
            format!(
                "the service listens on {} only: containers cannot reach the host's loopback",
                l.local
            ),
        );
        d.title = format!(
            "The service on the host listens on {} only; nginx's container reaches the host at {dialed}",
            l.local
        );
    } else if let Some(l) = at_port
        .iter()
        .find(|l| matches!(&l.endpoint, Some(Endpoint::Tcp { host, .. }) if endpoints::is_wildcard(host)))
    {
        conf -= 0.3;
        d.against(l.artifact, l.span, format!("{} listens on all interfaces", l.local));
    }
    d.confidence = conf.clamp(0.0, 0.95);
    out.push(d);
}

//! `nginx-unit-stopped`: the nginx service is inactive or failed.
//!
//! ## What it looks for
//! `systemctl status nginx` (or `service nginx status`) showing `inactive (dead)` or `failed`
//! (or an nginx container that exited or keeps restarting in `docker ps -a`),
//! corroborated by what a stopped nginx leaves behind: `nginx -s reload` finding no pid file, a
//! listener listing with nothing of nginx's on it, curl refused, a load balancer in front
//! answering 502 with its own page, or another proxy's `connect() ... (111: Connection refused)`
//! to port 80/443 of this host.
//!
//! ## Why it matters
//! With nginx down nothing answers on 80/443: a load balancer or CDN in front shows its own 502,
//! browsers show "connection refused". nginx's own error log is silent, which misleads people
//! into looking at the backend.
//!
//! ## Weakened by
//! nginx processes listening in `ss`/`netstat` (a unit name for another instance, or nginx
//! started by hand), and an `[emerg]` configuration error: nginx is down *because* the
//! configuration is invalid, and that is what to fix first (nginx-config-invalid ranks above).

use crate::cause::Cause;
use crate::facts::*;
use crate::model::Model;
use crate::model::layers::{is_nginx_producer, no_master, producer_of};
use crate::rules::{Draft, Rule};

/// The rule.
pub const RULE: Rule = Rule {
    id: "nginx-unit-stopped",
    cause: Cause::NginxNotRunning,
    doc: "systemctl shows nginx inactive or failed, corroborated by a missing pid file, no nginx listener, refused connections or a load balancer's own 502",
    check,
};

/// An nginx container that is not running (exited, crash-looping).
fn stopped_container<'a>(model: &Model<'a>) -> Option<crate::model::At<'a, Container>> {
    model.all::<Container>().find(|c| {
        let names = [Some(c.name.as_str()), c.image.as_deref(), c.service.as_deref()];
        let nginx = names.iter().flatten().any(|n| {
            let n = n.to_ascii_lowercase();
            (n.contains("nginx") || n.contains("openresty")) && !n.contains("exporter")
        });
        nginx && !c.running && !c.status.is_empty()
    })
}

fn check(model: &Model<'_>, out: &mut Vec<Draft>) {
    let (artifact, span, name, state) = if let Some(unit) = model.nginx_down() {
        let state = match (&unit.sub, &unit.result) {
            (Some(sub), _) => format!("{} ({sub})", unit.active),
            (None, Some(r)) => format!("{} (Result: {r})", unit.active),
            _ => unit.active.clone(),
        };
        (unit.artifact, unit.span, unit.unit.clone(), state)
    } else if let Some(c) = stopped_container(model) {
        (
            c.artifact,
            c.span,
            format!("the container {}", c.name),
            c.status.clone(),
        )
    } else {
        return;
    };
    let mut d = Draft::new(
        Cause::NginxNotRunning,
        0.7,
        format!("nginx is not running: {name} is {state}"),
    );
    d.support(artifact, span, format!("{name} is {state}")).value(
        "service",
        name.trim_end_matches(".service")
            .trim_start_matches("the container ")
            .to_string(),
    );
    let mut confidence: f32 = 0.7;
    // What a stopped nginx leaves behind.
    if let Some(p) = model.events(MessageClass::PidFile).find(|e| no_master(e)) {
        d.support(p.artifact, p.span, "nginx -s finds no running master (no pid file)");
        confidence += 0.1;
    }
    let nginx_listeners = model.nginx_listeners();
    if model.has_tcp_listing() && nginx_listeners.is_empty() {
        if let Some(l) = model.all::<Listener>().next() {
            d.support(l.artifact, l.span, "the listener listing shows no nginx on any port");
        }
        confidence += 0.1;
    }
    if let Some(c) = model.all::<CurlError>().find(|c| c.code == 7) {
        d.support(c.artifact, c.span, "nothing accepts the connection");
        confidence += 0.05;
    }
    let layer_page = model
        .all::<HttpResponse>()
        .find(|r| r.status >= 500 && producer_of(r).is_some_and(|p| !is_nginx_producer(p)))
        .map(|r| (r.artifact, r.span))
        .or_else(|| {
            model
                .all::<ErrorPageInfo>()
                .find(|p| p.producer != "unknown" && !is_nginx_producer(&p.producer))
                .map(|p| (p.artifact, p.span))
        });
    if let Some((artifact, span)) = layer_page {
        d.support(
            artifact,
            span,
            "the layer in front answers with its own error page: nothing behind it accepts",
        );
        confidence += 0.1;
    }
    // Another nginx (a load balancer) refused on this host's web port.
    if let Some(e) = model.events(MessageClass::ConnectFailed).find(|e| {
        e.errno == Some(111)
            && Model::event_endpoint(e)
                .and_then(|ep| ep.port())
                .is_some_and(|p| p == 80 || p == 443)
    }) {
        d.support(
            e.artifact,
            e.span,
            "the proxy in front is refused on port 80/443, where this nginx should listen",
        );
        confidence += 0.08;
    }
    match crate::model::layers::nginx_master_in_ps(model) {
        Some((false, artifact, span)) => {
            d.support(artifact, span, "no nginx master process in the process list");
            confidence += 0.05;
        }
        Some((true, artifact, span)) => {
            d.against(artifact, span, "an nginx master process is running");
            confidence -= 0.35;
        }
        None => {}
    }
    // Against: nginx is listening after all.
    if let Some(l) = nginx_listeners.first() {
        d.against(l.artifact, l.span, format!("nginx listens on {}", l.local));
        confidence -= 0.4;
    }
    if let Some(r) = model.nginx_running() {
        d.against(r.artifact, r.span, format!("{} is active (running)", r.unit));
        confidence -= 0.4;
    }
    // Down because the configuration is invalid: the configuration is the thing to fix.
    let config_error = model.events(MessageClass::ConfigSyntax).next().is_some()
        || model.events(MessageClass::UnknownDirective).next().is_some()
        || model.events(MessageClass::CertificateLoad).next().is_some()
        || model.all::<ConfigTest>().any(|t| !t.ok);
    if config_error {
        d.title = format!("nginx is not running: {name} is {state} (its configuration test fails)");
        confidence = confidence.min(0.78);
    }
    // Down because its port is taken (port-conflict names the owner), or because a backend
    // name did not resolve at start-up (dns-resolution / container-networking say why).
    if let Some(b) = model.events(MessageClass::BindFailed).next() {
        d.support(b.artifact, b.span, "nginx could not bind its port at start");
        confidence = confidence.min(0.7);
    }
    if let Some(h) = model
        .events(MessageClass::HostNotFoundInUpstream)
        .find(|h| h.level == Some(Level::Emerg))
    {
        d.support(
            h.artifact,
            h.span,
            "nginx stopped at start: a backend name did not resolve",
        );
        confidence = confidence.min(0.65);
    }
    d.confidence = confidence.min(0.95);
    out.push(d);
}

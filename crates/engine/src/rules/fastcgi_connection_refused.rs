//! `fastcgi-connection-refused`: nginx's connection to PHP-FPM is refused: a stale socket file or
//! nothing on the FastCGI port, so PHP-FPM is down.
//!
//! ## What it looks for
//! `connect() to unix:PATH failed (111: Connection refused)` (the socket file exists but nobody
//! listens: the FPM master was killed and left it behind) or `connect() failed (111: ...)` on a
//! `fastcgi://HOST:PORT` upstream (nothing listens on the port), while connecting to upstream.
//! Confirmed by a PHP-FPM unit that is stopped or failed, an FPM log ending with its master
//! exiting or failing to start, or a listener listing without the address.
//!
//! ## Why it matters
//! Every PHP request gets a 502 until PHP-FPM runs again; a stale socket also survives restarts of
//! nginx, so restarting nginx does nothing.
//!
//! ## Weakened by
//! A pool or FPM listener on another address (then nginx points at the wrong place:
//! `fastcgi-pass-mismatch`), a PHP-FPM unit that is running, a listener on the very address (a
//! restart in progress), a pool bound to `127.0.0.1` while nginx dials another host (the pool
//! only accepts loopback: a container addressing matter), a target in another container (the
//! container may be stopped or unreachable).

use crate::cause::Cause;
use crate::facts::{Endpoint, ErrorEvent};
use crate::model::endpoints::{is_loopback, is_wildcard};
use crate::model::fpm::{Strength, php_version_in};
use crate::model::{At, Model};
use crate::rules::{Draft, Rule};

/// The rule.
pub const RULE: Rule = Rule {
    id: "fastcgi-connection-refused",
    cause: Cause::PhpFpmDown,
    doc: "nginx's connect() to PHP-FPM is refused (111): a stale socket or nothing on the FastCGI port, PHP-FPM is not running",
    check,
};

fn check(model: &Model<'_>, out: &mut Vec<Draft>) {
    for (dialed, events) in model.connect_failures_by_endpoint(|e| e.errno == Some(111) && model.is_php_event(e)) {
        out.push(draft_for(model, &dialed, &events));
    }
}

fn draft_for(model: &Model<'_>, dialed: &Endpoint, events: &[At<'_, ErrorEvent>]) -> Draft {
    let version = dialed.unix_path().and_then(php_version_in);
    let down = model.fpm_down_signs_for(version.as_deref());
    let elsewhere = model.fpm_elsewhere(dialed);
    let serving: Vec<_> = model
        .fpm_serving(dialed)
        .into_iter()
        .filter(|s| !s.note.starts_with("the socket file"))
        .collect();
    let up: Vec<_> = model
        .fpm_up_signs_for(version.as_deref())
        .into_iter()
        .filter(|s| s.endpoint.is_none())
        .collect();

    let (mut confidence, what, title) = match dialed {
        Endpoint::Unix { path } => (
            0.76f32,
            format!("the socket {path} exists but nothing listens on it (errno 111): a stale socket"),
            format!("PHP-FPM is not running: {path} is a stale socket nobody listens on"),
        ),
        Endpoint::Tcp { host, .. } => {
            let local = is_loopback(host) || is_wildcard(host);
            (
                if local { 0.72 } else { 0.62 },
                format!("nothing accepts connections on {dialed} (errno 111: connection refused)"),
                format!("PHP-FPM is not running: nothing listens on {dialed}"),
            )
        }
    };
    let title = match down.first() {
        Some(s) => format!("{title} ({})", s.note),
        None => title,
    };
    let mut d = Draft::new(Cause::PhpFpmDown, confidence, title);
    match dialed {
        Endpoint::Unix { path } => {
            d.value("socket", path.as_str());
        }
        Endpoint::Tcp { host, port } => {
            d.value("upstream_host", host.as_str());
            if let Some(p) = port {
                d.value("upstream_port", p.to_string());
                d.value("port", p.to_string());
            }
        }
    }
    d.value("upstream", dialed.to_string());
    let (service, container) = model.fpm_unit_and_container(&down, version.as_deref());
    d.value("fpm_service", service);
    if let Some(c) = container {
        d.value("container", c);
    }
    for e in events.iter().take(3) {
        d.support(e.artifact, e.span, what.clone());
    }
    if !down.is_empty() {
        confidence += 0.17;
        for s in down.iter().take(3) {
            d.support(s.artifact, s.span, s.note.clone());
        }
    } else if model.has_listener_listing() && serving.is_empty() && elsewhere.is_empty() {
        let covered = match dialed {
            Endpoint::Unix { .. } => model.has_unix_listing(),
            Endpoint::Tcp { .. } => model.has_tcp_listing(),
        };
        if covered && let Some(l) = model.all::<crate::facts::Listener>().next() {
            confidence += 0.05;
            d.support(
                l.artifact,
                l.span,
                format!("the listener listing shows nothing on {dialed}"),
            );
        }
    }
    // A pool bound to loopback only, dialed from elsewhere: a container addressing matter.
    if let Endpoint::Tcp { host, port } = dialed
        && !is_loopback(host)
        && !is_wildcard(host)
        && let Some(p) = model
            .all::<crate::facts::FpmPool>()
            .find(|p| matches!(&p.endpoint, Some(Endpoint::Tcp { host: h, port: pp }) if is_loopback(h) && pp == port))
    {
        confidence -= 0.3;
        d.against(
            p.artifact,
            p.span,
            format!(
                "the pool listens on {} (loopback only): nginx at {host} is refused by design",
                p.listen.as_deref().unwrap_or("127.0.0.1")
            ),
        );
    }
    let strongest = elsewhere.iter().map(|s| s.strength).max();
    match strongest {
        Some(Strength::Strong) => confidence -= 0.35,
        Some(Strength::Medium) => confidence -= 0.2,
        Some(Strength::Weak) => confidence -= 0.05,
        None => {}
    }
    for s in elsewhere.iter().take(2) {
        d.against(s.artifact, s.span, format!("{}: PHP-FPM may listen elsewhere", s.note));
    }
    if down.is_empty() && strongest.is_none() && !up.is_empty() {
        confidence -= 0.3;
        for s in up.iter().take(2) {
            d.against(s.artifact, s.span, format!("{}: PHP-FPM is up", s.note));
        }
    }
    let (live, configured): (Vec<_>, Vec<_>) = serving.iter().partition(|s| s.strength == Strength::Strong);
    if let Some(s) = configured.first()
        && live.is_empty()
    {
        d.support(s.artifact, s.span, format!("{}: the address is right", s.note));
    }
    if !live.is_empty() {
        confidence -= 0.3;
        for s in live.iter().take(2) {
            d.against(
                s.artifact,
                s.span,
                format!("{}: it was listening when this was pasted (restarted since?)", s.note),
            );
        }
    }
    d.confidence = confidence.clamp(0.15, 0.95);
    d
}

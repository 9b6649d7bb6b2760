//! `http-reply-not-http`: `proxy_pass` reaches a server that does not answer in HTTP.
//!
//! ## What it looks for
//! `upstream sent no valid HTTP/1.0 header while reading response header from upstream`: the
//! reply's first line is no HTTP status line. nginx then relays the raw bytes as an HTTP/0.9
//! response: the access log shows status `009`, not 502. Corroborated by what listens on the
//! address (PHP-FPM speaks FastCGI, uWSGI's `--socket` speaks uwsgi) and by `009` in the access
//! log; a port 443 target behind `http://` is a TLS port.
//!
//! ## Why it matters
//! The browser gets garbage or "invalid response"; the fix is the directive that speaks the
//! backend's protocol (`fastcgi_pass`, `uwsgi_pass`, `https://`), not a timeout or buffer.
//!
//! ## Weakened by
//! A listener that speaks HTTP on that address (then the backend itself sends a broken reply:
//! upstream-invalid-response).

use crate::cause::Cause;
use crate::facts::*;
use crate::model::Model;
use crate::model::backends::Speaks;
use crate::model::nginx::repass;
use crate::rules::{Draft, Rule};

/// The rule.
pub const RULE: Rule = Rule {
    id: "http-reply-not-http",
    cause: Cause::ProtocolMismatch,
    doc: "upstream sent no valid HTTP/1.0 header (access log status 009): proxy_pass points at a service that does not speak HTTP",
    check,
};

fn check(model: &Model<'_>, out: &mut Vec<Draft>) {
    let Some(e) = model.events(MessageClass::NoValidHttpHeader).next() else {
        // Only the access log: `009` is nginx relaying an HTTP/0.9 (non-HTTP) reply.
        if let Some(a) = model.all::<AccessEntry>().find(|a| a.status == 9) {
            let mut d = Draft::new(
                Cause::ProtocolMismatch,
                0.6,
                "the backend answers without HTTP headers (access log status 009)",
            );
            d.support(
                a.artifact,
                a.span,
                "status 009: nginx relayed a reply that was not HTTP (its error log says \"upstream sent no valid HTTP/1.0 header\")",
            )
            .value("status", "009")
            .value("directive", "proxy_pass");
            out.push(d);
        }
        return;
    };
    let peer = Model::event_endpoint(&e);
    let at = peer.as_ref().map(|p| format!(" at {p}")).unwrap_or_default();
    let mut confidence: f32 = 0.8;
    let mut d = Draft::new(
        Cause::ProtocolMismatch,
        confidence,
        format!("proxy_pass reaches a service{at} that does not answer in HTTP"),
    );
    d.support(
        e.artifact,
        e.span,
        "the reply has no HTTP status line; nginx relays it raw as HTTP/0.9 (status 009, not 502)",
    )
    .value("directive", "proxy_pass")
    .value("status", "009");
    if let Some(a) = model.all::<AccessEntry>().find(|a| a.status == 9) {
        d.support(
            a.artifact,
            a.span,
            "the access log records 009: an HTTP/0.9 reply relayed",
        );
        confidence += 0.07;
    }
    if let Some(p) = &peer {
        d.value("upstream", p.to_string());
        if let Some(port) = p.port() {
            d.value("port", port.to_string());
        }
        match model.backend_speaking(p) {
            Some(backend) if backend.speaks != Speaks::Http => {
                d.support(
                    backend.from.0,
                    backend.from.1,
                    format!("{} listens there: it speaks {}", backend.what, backend.speaks.name()),
                );
                d.title = format!(
                    "proxy_pass sends HTTP to {}{at}, which speaks {}",
                    backend.what,
                    backend.speaks.name()
                );
                confidence += 0.1;
                for t in model.targets_for_event(&e) {
                    if let Some((before, after)) = repass(t.at.value, backend.speaks) {
                        d.edit(t.at.artifact, t.at.span, before, after);
                    }
                }
            }
            Some(backend) => {
                d.against(
                    backend.from.0,
                    backend.from.1,
                    format!(
                        "{} listens there and speaks HTTP: its reply itself may be broken",
                        backend.what
                    ),
                );
                confidence -= 0.3;
            }
            None if p.port() == Some(443) && e.upstream.as_deref().is_some_and(|u| u.starts_with("http://")) => {
                d.title = format!("proxy_pass speaks plain HTTP to the TLS port{at}");
                confidence += 0.05;
                for t in model.targets_for_event(&e) {
                    if t.at.raw.starts_with("http://") {
                        let before = format!("{} {};", t.at.directive, t.at.raw);
                        let after = format!("{} https://{};", t.at.directive, &t.at.raw["http://".len()..]);
                        d.edit(t.at.artifact, t.at.span, before, after);
                    }
                }
            }
            None => {}
        }
    }
    d.confidence = confidence.min(0.95);
    out.push(d);
}

//! `fastcgi-reply-not-fastcgi`: `fastcgi_pass` reaches a server that does not speak FastCGI.
//!
//! ## What it looks for
//! `upstream sent unsupported FastCGI protocol version: N` (and the other FastCGI framing
//! errors). The first byte of a FastCGI reply is the version, 1; `72` is `H`, the start of
//! `HTTP/1.1`: an HTTP server (gunicorn, node, Apache, another nginx) answers. `21` (0x15) is a
//! TLS alert: a TLS port. Corroborated when the pasted `ss`/`netstat` or an app log shows what
//! listens on that address.
//!
//! ## Why it matters
//! No FastCGI tuning helps: the directive must match the backend (`proxy_pass` for an HTTP app
//! server), or `fastcgi_pass` must point at PHP-FPM's real address.
//!
//! ## Weakened by
//! A PHP-FPM pool pasted as listening on that very address (the reply would be FastCGI).

use crate::cause::Cause;
use crate::facts::*;
use crate::model::Model;
use crate::model::backends::Speaks;
use crate::model::nginx::repass;
use crate::rules::{Draft, Rule};

/// The rule.
pub const RULE: Rule = Rule {
    id: "fastcgi-reply-not-fastcgi",
    cause: Cause::ProtocolMismatch,
    doc: "upstream sent unsupported FastCGI protocol version: 72 ('H' of HTTP): fastcgi_pass points at an HTTP server",
    check,
};

fn check(model: &Model<'_>, out: &mut Vec<Draft>) {
    let Some(e) = model.events(MessageClass::FastcgiProtocol).next() else {
        return;
    };
    let version: Option<u32> = e
        .message
        .strip_prefix("upstream sent unsupported FastCGI protocol version: ")
        .and_then(|v| v.trim().parse().ok());
    let peer = Model::event_endpoint(&e);
    let at = peer.as_ref().map(|p| format!(" at {p}")).unwrap_or_default();
    let (mut confidence, title, note) = match version {
        Some(72) => (
            0.85,
            format!("fastcgi_pass reaches an HTTP server{at}, not PHP-FPM"),
            "72 is 'H', the first byte of \"HTTP/1.1 ...\": the backend answers in HTTP, not FastCGI".to_string(),
        ),
        Some(21) => (
            0.8,
            format!("fastcgi_pass reaches a TLS port{at}"),
            "21 (0x15) is a TLS alert record: the backend expects TLS, not FastCGI".to_string(),
        ),
        Some(v) => (
            0.7,
            format!("the backend{at} does not answer in FastCGI"),
            format!("a FastCGI reply starts with version 1; {v} means another protocol answers"),
        ),
        None => (
            0.6,
            format!("the backend{at} breaks the FastCGI framing"),
            "the reply is not valid FastCGI framing".to_string(),
        ),
    };
    let mut d = Draft::new(Cause::ProtocolMismatch, confidence, title);
    d.support(e.artifact, e.span, note).value("directive", "fastcgi_pass");
    // The intended backend could not bind the port: another service took it (port-conflict),
    // and the wrong protocol is only the symptom.
    let taken = peer.as_ref().and_then(|p| model.bind_failure_on(p));
    if let Some((artifact, span)) = taken {
        d.against(
            artifact,
            span,
            "the intended backend could not bind this address: another service holds the port",
        );
        confidence -= 0.35;
    }
    if let Some(p) = &peer {
        d.value("upstream", p.to_string());
        if let Some(port) = p.port() {
            d.value("port", port.to_string());
        }
        if let Some(backend) = model.backend_speaking(p) {
            match backend.speaks {
                Speaks::Http => {
                    d.support(
                        backend.from.0,
                        backend.from.1,
                        format!("{} listens there: it speaks HTTP", backend.what),
                    );
                    d.value("process", backend.what.clone());
                    confidence += 0.08;
                    // An application server: proxy_pass is the fix. A web server there may
                    // mean PHP-FPM is elsewhere, so no edit is proposed for it.
                    let app_server = !["nginx", "apache2", "httpd", "caddy"]
                        .iter()
                        .any(|w| backend.what.to_ascii_lowercase().starts_with(w));
                    if app_server && taken.is_none() {
                        for t in model.targets_for_event(&e) {
                            if let Some((before, after)) = repass(t.at.value, Speaks::Http) {
                                d.edit(t.at.artifact, t.at.span, before, after);
                            }
                        }
                    }
                }
                Speaks::Fastcgi => {
                    d.against(
                        backend.from.0,
                        backend.from.1,
                        format!("{} listens there and speaks FastCGI", backend.what),
                    );
                    confidence -= 0.25;
                }
                Speaks::Uwsgi => {
                    d.support(
                        backend.from.0,
                        backend.from.1,
                        format!("{} listens there: it speaks the uwsgi protocol", backend.what),
                    );
                    confidence += 0.05;
                    for t in model.targets_for_event(&e) {
                        if let Some((before, after)) = repass(t.at.value, Speaks::Uwsgi) {
                            d.edit(t.at.artifact, t.at.span, before, after);
                        }
                    }
                }
            }
        }
    }
    d.confidence = confidence.min(0.95);
    out.push(d);
}

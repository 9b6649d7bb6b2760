//! `pass-directive-vs-backend-protocol`: the `*_pass` directive speaks another protocol than
//! what listens on its address.
//!
//! ## What it looks for
//! A configured `proxy_pass`/`fastcgi_pass`/`uwsgi_pass`/`grpc_pass` whose address is served,
//! per the pasted `ss`/`netstat`, PHP-FPM pool or application log, by a server of another
//! protocol: `proxy_pass` to PHP-FPM (FastCGI), `fastcgi_pass` to gunicorn or node (HTTP),
//! `proxy_pass` to a uWSGI `--socket` (uwsgi), `uwsgi_pass` to an HTTP server. Error lines on
//! that address in the phases a wrong protocol produces (premature close, reset, no valid
//! header, bad FastCGI version) turn the configuration evidence into proof.
//!
//! ## Why it matters
//! The connection succeeds, so nothing looks down; every request still fails.
//!
//! ## Weakened by
//! Connection errors on that address (refused, timed out): then nothing protocol-level happened.

use crate::cause::Cause;
use crate::facts::*;
use crate::model::Model;
use crate::model::backends::Speaks;
use crate::model::nginx::repass;
use crate::rules::{Draft, Rule};

/// The rule.
pub const RULE: Rule = Rule {
    id: "pass-directive-vs-backend-protocol",
    cause: Cause::ProtocolMismatch,
    doc: "a *_pass directive's protocol differs from what listens on its address (proxy_pass to PHP-FPM, fastcgi_pass to gunicorn, proxy_pass to a uwsgi socket)",
    check,
};

/// What a directive speaks, in the terms of [`Speaks`] (gRPC is HTTP/2: not compared).
fn directive_speaks(p: Protocol) -> Option<Speaks> {
    match p {
        Protocol::Http | Protocol::Https => Some(Speaks::Http),
        Protocol::Fastcgi => Some(Speaks::Fastcgi),
        Protocol::Uwsgi | Protocol::Suwsgi => Some(Speaks::Uwsgi),
        _ => None,
    }
}

fn check(model: &Model<'_>, out: &mut Vec<Draft>) {
    for t in model.targets() {
        let Some(speaks) = directive_speaks(t.at.protocol) else {
            continue;
        };
        for ep in &t.endpoints {
            let Some(backend) = model.backend_speaking(ep) else {
                continue;
            };
            if backend.speaks == speaks {
                continue;
            }
            let mut confidence: f32 = 0.62;
            let mut d = Draft::new(
                Cause::ProtocolMismatch,
                confidence,
                format!(
                    "{} {} speaks {}, but {} there speaks {}",
                    t.at.directive,
                    t.at.raw,
                    speaks.name(),
                    backend.what,
                    backend.speaks.name()
                ),
            );
            d.support(
                t.at.artifact,
                t.at.span,
                format!("nginx speaks {} to {ep}", speaks.name()),
            )
            .support(
                backend.from.0,
                backend.from.1,
                format!("{} listens on {ep} and speaks {}", backend.what, backend.speaks.name()),
            )
            .value("directive", t.at.directive.clone())
            .value("upstream", ep.to_string())
            .value("process", backend.what.clone());
            if let Some(port) = ep.port() {
                d.value("port", port.to_string());
            }
            let on_this = |e: &ErrorEvent| Model::event_endpoint(e).is_some_and(|x| model.same_backend(&x, ep));
            let protocol_failure = model.all::<ErrorEvent>().find(|e| {
                on_this(e)
                    && matches!(
                        e.class,
                        MessageClass::PrematurelyClosed
                            | MessageClass::RecvFailed
                            | MessageClass::NoValidHttpHeader
                            | MessageClass::FastcgiProtocol
                            | MessageClass::InvalidHeader
                            | MessageClass::Http2Protocol
                    )
            });
            if let Some(e) = protocol_failure {
                d.support(e.artifact, e.span, "the backend drops or garbles what nginx sends it");
                confidence += 0.28;
            }
            if let Some(e) = model
                .all::<ErrorEvent>()
                .find(|e| on_this(e) && matches!(e.class, MessageClass::ConnectFailed | MessageClass::UpstreamTimedOut))
            {
                d.against(
                    e.artifact,
                    e.span,
                    "nginx cannot even connect there: the protocol is not reached yet",
                );
                confidence -= 0.3;
            }
            if let Some((artifact, span)) = model.bind_failure_on(ep) {
                d.against(
                    artifact,
                    span,
                    "the intended backend could not bind this address: another service holds the port",
                );
                confidence -= 0.35;
            } else if let Some((before, after)) = repass(t.at.value, backend.speaks) {
                d.edit(t.at.artifact, t.at.span, before, after);
            }
            d.confidence = confidence.min(0.93);
            out.push(d);
        }
    }
}

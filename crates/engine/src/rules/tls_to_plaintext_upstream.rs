//! `tls-to-plaintext-upstream`: nginx speaks TLS (`https://`, `grpcs://`) to a plain port.
//!
//! ## What it looks for
//! `SSL_do_handshake() failed (SSL: ... wrong version number)` (also `unknown protocol`,
//! `packet length too long`, `record layer failure`) while SSL handshaking to upstream, and
//! `upstream prematurely sent response` (nginx 1.29.5+): the backend answered in plaintext
//! before or instead of a TLS handshake.
//!
//! ## Why it matters
//! It is not a certificate or SNI problem: the scheme is wrong. `proxy_pass https://` to a
//! port that serves plain HTTP (8080, 8000, 3000...) fails every request.
//!
//! ## Weakened by
//! A target on port 443 (usually TLS: then the backend may run an old TLS stack instead).

use crate::cause::Cause;
use crate::facts::*;
use crate::model::Model;
use crate::rules::{Draft, Rule};

/// The rule.
pub const RULE: Rule = Rule {
    id: "tls-to-plaintext-upstream",
    cause: Cause::ProtocolMismatch,
    doc: "SSL_do_handshake() failed ... wrong version number, or upstream prematurely sent response: proxy_pass https:// to a plain HTTP port",
    check,
};

/// OpenSSL reasons that mean "the peer does not speak TLS at all".
pub const PLAINTEXT_REASONS: &[&str] = &[
    "wrong version number",
    "unknown protocol",
    "packet length too long",
    "record layer failure",
    "http request",
];

fn check(model: &Model<'_>, out: &mut Vec<Draft>) {
    let e = model
        .events(MessageClass::SslHandshakeFailed)
        .find(|e| PLAINTEXT_REASONS.iter().any(|r| e.message.contains(r)))
        .or_else(|| model.events(MessageClass::PrematurelySentResponse).next());
    let Some(e) = e else { return };
    let peer = Model::event_endpoint(&e);
    let at = peer.as_ref().map(|p| format!(" {p}")).unwrap_or_default();
    let mut confidence: f32 = 0.84;
    let mut d = Draft::new(
        Cause::ProtocolMismatch,
        confidence,
        format!("nginx speaks TLS to{at}, which answers in plaintext"),
    );
    let note = if e.class == MessageClass::PrematurelySentResponse {
        "the backend sent data before nginx started TLS: it speaks plaintext"
    } else {
        "the TLS handshake got a non-TLS reply (\"wrong version number\"): the port speaks plain HTTP"
    };
    d.support(e.artifact, e.span, note).value("directive", "proxy_pass");
    if let Some(p) = &peer {
        d.value("upstream", p.to_string());
        if let Some(port) = p.port() {
            d.value("port", port.to_string());
            if port == 443 {
                confidence -= 0.2;
            }
        }
    }
    for t in model.targets_for_event(&e) {
        for scheme in ["https://", "grpcs://"] {
            if let Some(rest) = t.at.raw.strip_prefix(scheme) {
                let plain = if scheme == "https://" { "http://" } else { "grpc://" };
                d.value("directive", t.at.directive.clone());
                d.edit(
                    t.at.artifact,
                    t.at.span,
                    format!("{} {};", t.at.directive, t.at.raw),
                    format!("{} {plain}{rest};", t.at.directive),
                );
                confidence += 0.06;
            }
        }
    }
    d.confidence = confidence.min(0.93);
    out.push(d);
}

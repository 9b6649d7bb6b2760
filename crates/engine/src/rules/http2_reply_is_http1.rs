//! `http2-reply-is-http1`: `grpc_pass` (or HTTP/2 proxying) reaches an HTTP/1.x server.
//!
//! ## What it looks for
//! `upstream sent too large http2 frame: N` where N's three bytes are printable text: the
//! first bytes of `HTTP/1.1 400 Bad Request` read as an HTTP/2 frame length (4740180 = 0x485454,
//! "HTT"). Also `upstream rejected request with error 13` (HTTP_1_1_REQUIRED).
//!
//! ## Why it matters
//! gRPC needs HTTP/2 end to end: the backend port serves HTTP/1 only (a REST port, a gateway,
//! the wrong service), or `grpc_pass` was used for a plain HTTP app.
//!
//! ## Weakened by
//! A frame length that is not text: then the HTTP/2 stream is really malformed
//! (upstream-invalid-response).

use crate::cause::Cause;
use crate::facts::*;
use crate::model::Model;
use crate::rules::{Draft, Rule};

/// The rule.
pub const RULE: Rule = Rule {
    id: "http2-reply-is-http1",
    cause: Cause::ProtocolMismatch,
    doc: "upstream sent too large http2 frame: 4740180 (\"HTT\"): grpc_pass or HTTP/2 proxying reaches an HTTP/1 server",
    check,
};

/// True when the 3-byte frame length spells text, as the start of an HTTP/1 status line does.
pub fn is_text_length(n: u64) -> bool {
    n >> 24 == 0 && (0..3).all(|i| matches!((n >> (8 * i)) & 0xff, 0x20..=0x7e))
}

fn check(model: &Model<'_>, out: &mut Vec<Draft>) {
    let found = model.events(MessageClass::Http2Protocol).find_map(|e| {
        if let Some(n) = e
            .message
            .strip_prefix("upstream sent too large http2 frame: ")
            .and_then(|n| n.trim().parse::<u64>().ok())
            && is_text_length(n)
        {
            let text: String = (0..3).rev().map(|i| ((n >> (8 * i)) & 0xff) as u8 as char).collect();
            return Some((
                e,
                format!("the frame length {n} is the text \"{text}\": an HTTP/1 reply, not HTTP/2"),
            ));
        }
        e.message
            .starts_with("upstream rejected request with error 13")
            .then(|| {
                (
                    e,
                    "the backend answered HTTP_1_1_REQUIRED: it does not accept HTTP/2".to_string(),
                )
            })
    });
    let Some((e, note)) = found else { return };
    let peer = Model::event_endpoint(&e);
    let at = peer.as_ref().map(|p| format!(" at {p}")).unwrap_or_default();
    let mut d = Draft::new(
        Cause::ProtocolMismatch,
        0.85,
        format!("grpc_pass reaches an HTTP/1 server{at}, not an HTTP/2 (gRPC) one"),
    );
    d.support(e.artifact, e.span, note).value("directive", "grpc_pass");
    if let Some(p) = &peer {
        d.value("upstream", p.to_string());
    }
    for t in model.targets_for_event(&e) {
        d.support(
            t.at.artifact,
            t.at.span,
            format!("{} {} speaks HTTP/2", t.at.directive, t.at.raw),
        );
        d.confidence = 0.9;
    }
    out.push(d);
}

//! `uwsgi-request-block-too-large`: uWSGI refuses a request larger than its `buffer-size`.
//!
//! ## What it looks for
//! uWSGI's `invalid request block size: 4261 (max 4096)...skip` with a size that is a real
//! request size (not the text of an HTTP method, which is protocol-mismatch). Corroborated by
//! nginx's `upstream prematurely closed connection` / `recv() failed (104)` on a `uwsgi://`
//! upstream.
//!
//! ## Why it matters
//! uWSGI's default `buffer-size` is 4096 bytes for the whole request header block (cookies,
//! long URLs, auth headers). Larger requests are dropped and nginx answers 502 for those users
//! only.
//!
//! ## Weakened by
//! Nothing in the nginx log for the same time (the 502 may have another cause).

use crate::cause::Cause;
use crate::facts::*;
use crate::model::Model;
use crate::model::backends::uwsgi_block_is_http;
use crate::rules::{Draft, Rule};

/// The rule.
pub const RULE: Rule = Rule {
    id: "uwsgi-request-block-too-large",
    cause: Cause::BackendRequestTooLarge,
    doc: "uWSGI: invalid request block size: N (max 4096) with a real request size: the request headers exceed uWSGI's buffer-size",
    check,
};

fn check(model: &Model<'_>, out: &mut Vec<Draft>) {
    let blocks: Vec<_> = model
        .all::<AppEvent>()
        .filter(|a| a.class == "invalid-request-block-size" && a.number.is_some_and(|n| !uwsgi_block_is_http(n)))
        .collect();
    let Some(first) = blocks.first() else { return };
    let size = first.number.unwrap_or_default();
    let largest = blocks.iter().filter_map(|b| b.number).max().unwrap_or(size);
    let limit = first.limit.unwrap_or(4096);
    let new_limit = [8192u64, 16384, 32768, 65535]
        .into_iter()
        .find(|&l| l >= largest * 2)
        .unwrap_or(65535);
    let mut confidence: f32 = 0.82;
    let mut d = Draft::new(
        Cause::BackendRequestTooLarge,
        confidence,
        format!("uWSGI drops requests larger than its buffer-size ({largest} > {limit} bytes)"),
    );
    for b in blocks.iter().take(3) {
        d.support(
            b.artifact,
            b.span,
            "the request's header block is larger than uWSGI's buffer-size: uWSGI drops it",
        );
    }
    d.value("limit", limit.to_string()).value("size", new_limit.to_string());
    if let Some(e) = model
        .all::<ErrorEvent>()
        .filter(|e| matches!(e.class, MessageClass::PrematurelyClosed | MessageClass::RecvFailed))
        .find(|e| e.upstream.as_deref().is_some_and(|u| u.starts_with("uwsgi://")))
    {
        d.support(
            e.artifact,
            e.span,
            "nginx sees uWSGI close the connection before any response",
        );
        if let Some(up) = e.upstream.as_deref() {
            d.value("upstream", crate::parse::nginx_error_log::peer_of_upstream(up));
        }
        confidence += 0.1;
    }
    if let Some(s) = model
        .all::<AppEvent>()
        .find(|a| a.server == "uwsgi" && a.class == "setting" && a.message.contains("buffer"))
    {
        d.support(s.artifact, s.span, "uWSGI's buffer size setting");
    }
    d.confidence = confidence.min(0.95);
    out.push(d);
}

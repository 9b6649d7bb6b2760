//! `upstream-closed-mid-header`: the backend closed or reset the connection before its response
//! header (the generic fallback for a crash).
//!
//! ## What it looks for
//! `upstream prematurely closed connection while reading response header from upstream` or
//! `recv() failed (104: Connection reset by peer) while reading response header from upstream`,
//! on any upstream, when nothing more specific is known.
//!
//! ## Why it matters
//! The backend accepted the request and then went away without answering: its process died
//! (crash, kill, time limit) or it closed a reused connection. nginx answers 502. The backend's
//! own log at that second says which.
//!
//! ## Weakened by
//! It stays low (≤ 0.5) by design: a worker killed by PHP-FPM's `request_terminate_timeout`, the
//! OOM killer, a keepalive connection closed by the backend (an `upstream {}` with `keepalive`:
//! `upstream-keepalive-reset`), or HTTP sent to a uWSGI/FastCGI socket (`protocol-mismatch`) give
//! the same line, and their own rules decide when their evidence is pasted.

use crate::cause::Cause;
use crate::facts::{ErrorEvent, MessageClass};
use crate::model::{At, Model};
use crate::rules::{Draft, Rule};

/// The rule.
pub const RULE: Rule = Rule {
    id: "upstream-closed-mid-header",
    cause: Cause::UpstreamCrash,
    doc: "nginx logs 'upstream prematurely closed connection' or 'recv() failed (104)' while reading the response header (generic fallback)",
    check,
};

fn check(model: &Model<'_>, out: &mut Vec<Draft>) {
    let lost: Vec<At<'_, ErrorEvent>> = model.lost_before_header();
    let Some(first) = lost.first() else { return };
    let known = Model::event_endpoint(first)
        .map(|e| e.to_string())
        .or_else(|| first.upstream.as_deref().map(String::from));
    let peer = known.clone().unwrap_or_else(|| "the backend".into());
    let mut confidence: f32 = if lost.len() >= 3 { 0.48 } else { 0.44 };
    let what = if first.class == MessageClass::RecvFailed {
        "reset"
    } else {
        "closed"
    };
    let mut d = Draft::new(
        Cause::UpstreamCrash,
        confidence,
        format!("{peer} {what} the connection before answering: the backend process likely died mid-request"),
    );
    for e in lost.iter().take(3) {
        let note = if e.class == MessageClass::RecvFailed {
            "the backend reset the connection before its response header: 502"
        } else {
            "the backend closed the connection before its response header: 502"
        };
        d.support(e.artifact, e.span, note);
    }
    if let Some(k) = &known {
        d.value("upstream", k.as_str());
    }
    d.value("status", "502");
    // A PHP fatal error on the same connection: the error alone would be a 500.
    if let Some(f) = model.events(MessageClass::FastcgiStderr).find(|f| {
        f.message.contains("PHP Fatal error")
            && lost
                .iter()
                .any(|l| l.connection.is_some() && l.connection == f.connection)
    }) {
        d.support(
            f.artifact,
            f.span,
            "a PHP fatal error came first: alone it gives a 500; the 502 means the worker died after it",
        );
    }
    // Keepalive to this backend: the reset may be a reused connection.
    for t in model.targets_for_event(first) {
        if let Some(g) = &t.group
            && g.keepalive.is_some()
        {
            confidence -= 0.12;
            d.against(
                g.artifact,
                g.span,
                format!("upstream {} keeps connections alive: a reused connection closed by the backend gives the same line", g.name),
            );
            break;
        }
    }
    d.confidence = confidence.clamp(0.15, 0.5);
    out.push(d);
}

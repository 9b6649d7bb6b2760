//! `fpm-listen-queue-full`: `ss`/`netstat` show PHP-FPM's listen queue at its backlog.
//!
//! ## What it looks for
//! A listening PHP-FPM socket or port (by process name or an FPM socket path) whose Recv-Q
//! (connections waiting to be accepted) has reached its Send-Q (the backlog, `listen.backlog`
//! capped by `net.core.somaxconn`), e.g. `u_str LISTEN 512 511 /run/php/php8.3-fpm.sock`.
//! Stronger with nginx's `(11: Resource temporarily unavailable)` or FastCGI timeouts.
//!
//! ## Why it matters
//! No worker is accepting: every one is busy. The next connections are refused on a unix socket
//! (502) or wait until nginx's timeout (504).
//!
//! ## Weakened by
//! A single snapshot: a momentary peak also fills the queue. Without nginx errors at the time
//! it only says the pool was saturated when the command ran.

use crate::cause::Cause;
use crate::facts::{ErrorEvent, MessageClass};
use crate::model::events::status_of;
use crate::model::{At, Model};
use crate::rules::{Draft, Rule};

/// The rule.
pub const RULE: Rule = Rule {
    id: "fpm-listen-queue-full",
    cause: Cause::PhpFpmPoolExhausted,
    doc: "ss/netstat show PHP-FPM's accept queue (Recv-Q) at its backlog (Send-Q)",
    check,
};

fn check(model: &Model<'_>, out: &mut Vec<Draft>) {
    let saturation = model.fpm_saturation_signs();
    let Some(queue) = saturation.iter().find(|s| s.endpoint.is_some()) else {
        return;
    };
    let where_ = queue.endpoint.as_ref().map(|e| e.to_string()).unwrap_or_default();
    let failing: Vec<At<'_, ErrorEvent>> = model
        .all::<ErrorEvent>()
        .filter(|e| {
            model.is_php_event(e)
                && ((e.class == MessageClass::ConnectFailed && e.errno == Some(11))
                    || (e.class == MessageClass::UpstreamTimedOut && status_of(e) == Some(504)))
        })
        .collect();
    let mut confidence: f32 = 0.66;
    let mut d = Draft::new(
        Cause::PhpFpmPoolExhausted,
        confidence,
        format!("PHP-FPM's queue on {where_} is full: no worker is free to accept"),
    );
    d.support(queue.artifact, queue.span, queue.note.clone());
    if let Some(e) = failing.first() {
        confidence += 0.24;
        let status = status_of(e).unwrap_or(502);
        d.support(e.artifact, e.span, format!("nginx cannot get a worker: {status}"));
        d.value("status", status.to_string());
    }
    for s in saturation.iter().filter(|s| s.endpoint.is_none()).take(2) {
        confidence += 0.03;
        d.support(s.artifact, s.span, s.note.clone());
    }
    if let Some(e) = &queue.endpoint {
        if let Some(p) = e.unix_path() {
            d.value("socket", p);
        }
        d.value("upstream", e.to_string());
    }
    // Below the rules that read nginx's own failure line: this is a snapshot.
    d.confidence = confidence.clamp(0.15, 0.9);
    out.push(d);
}

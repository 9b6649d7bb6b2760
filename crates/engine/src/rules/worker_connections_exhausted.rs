//! `worker-connections-exhausted`: an nginx worker has no free connection slot.
//!
//! ## What it looks for
//! `[alert] N worker_connections are not enough` (also the `reusing connections` warning):
//! every slot of `worker_connections` is taken, counting client and upstream connections.
//!
//! ## Why it matters
//! When the slot is needed for the upstream connection the client gets **500** (not 502); on
//! the accept side new clients wait or are dropped. Long-lived connections (WebSockets,
//! downloads, keepalive) fill the slots.
//!
//! ## Weakened by
//! Nothing specific: the line is nginx's own count.

use crate::cause::Cause;
use crate::facts::*;
use crate::model::Model;
use crate::rules::{Draft, Rule};

/// The rule.
pub const RULE: Rule = Rule {
    id: "worker-connections-exhausted",
    cause: Cause::ResourceLimits,
    doc: "N worker_connections are not enough: an nginx worker has no free connection slot (500 when it happens while connecting to upstream)",
    check,
};

fn check(model: &Model<'_>, out: &mut Vec<Draft>) {
    let events: Vec<_> = model.events(MessageClass::WorkerConnections).collect();
    // `[alert]` is a failed connection; the `[warn] ..., reusing connections` variant only closes
    // idle keepalive connections to make room.
    let Some(first) = events
        .iter()
        .find(|e| e.level.is_none_or(|l| l <= Level::Alert) && !e.message.contains("reusing connections"))
        .or_else(|| events.first())
    else {
        return;
    };
    let reusing = first.message.contains("reusing connections");
    let count = first
        .message
        .split_whitespace()
        .next()
        .and_then(|n| n.parse::<u64>().ok());
    let upstream_side = first.action.as_deref() == Some("connecting to upstream");
    let mut d = Draft::new(
        Cause::ResourceLimits,
        0.85,
        match count {
            Some(n) => format!("every one of nginx's {n} worker_connections is in use"),
            None => "nginx's worker_connections are all in use".to_string(),
        },
    );
    d.support(
        first.artifact,
        first.span,
        if upstream_side {
            "no free slot for the upstream connection: nginx answers 500"
        } else {
            "no free connection slot in the worker"
        },
    )
    .value(
        "status",
        if upstream_side {
            "500"
        } else {
            "500 or a hanging connection"
        },
    );
    if let Some(n) = count {
        d.value("limit", n.to_string());
    }
    if reusing {
        d.confidence = 0.45;
        d.title = format!("{} (nginx closes idle keepalive connections to make room)", d.title);
    }
    for e in events.iter().filter(|e| e.span != first.span).take(2) {
        d.support(e.artifact, e.span, "again");
    }
    let wanted = count.map_or(4096, |n| (n * 4).max(4096));
    d.value("size", wanted.to_string());
    if let Some(c) = model.directives("worker_connections").next() {
        d.support(c.artifact, c.span, format!("worker_connections {}", c.args.join(" ")));
        d.edit(
            c.artifact,
            c.span,
            format!("worker_connections {};", c.args.join(" ")),
            format!("worker_connections {wanted};"),
        );
        d.confidence = if reusing { 0.5 } else { 0.9 };
    }
    out.push(d);
}

//! `unix-socket-eagain`: nginx's connect to the PHP-FPM socket fails with `(11: Resource
//! temporarily unavailable)`: the socket's listen queue is full.
//!
//! ## What it looks for
//! `connect() to unix:PATH failed (11: Resource temporarily unavailable) while connecting to
//! upstream` on a FastCGI/PHP socket. On Linux a unix socket whose accept queue
//! (`listen.backlog`, capped by `net.core.somaxconn`) is full answers EAGAIN instead of queueing.
//! Confirmed by `server reached pm.max_children` in the FPM log, an `ss -xl` row whose Recv-Q
//! has reached its Send-Q, `seems busy` warnings, slow-log entries.
//!
//! ## Why it matters
//! Every worker is busy and the queue behind them overflowed: nginx answers 502 at once, under
//! load, intermittently. More workers (memory permitting), faster scripts or a longer queue fix
//! it; restarting only clears it for a while.
//!
//! ## Weakened by
//! Nothing seen of the pool (then the pool may be starved by a slow dependency or the host may be
//! overloaded: look at the slow log and `free`), a socket that is not PHP-FPM's (gunicorn,
//! uWSGI: the same queue problem in another server).

use crate::cause::Cause;
use crate::facts::{ErrorEvent, FpmEvent, FpmPool, MessageClass};
use crate::model::{At, Model};
use crate::rules::{Draft, Rule};

/// The rule.
pub const RULE: Rule = Rule {
    id: "unix-socket-eagain",
    cause: Cause::PhpFpmPoolExhausted,
    doc: "nginx's connect() to the PHP-FPM socket fails with (11: Resource temporarily unavailable): the listen queue is full",
    check,
};

fn check(model: &Model<'_>, out: &mut Vec<Draft>) {
    let events: Vec<At<'_, ErrorEvent>> = model
        .events(MessageClass::ConnectFailed)
        .filter(|e| e.errno == Some(11) && model.is_php_event(e))
        .filter(|e| e.target.as_deref().is_some_and(|t| t.starts_with("unix:")))
        .collect();
    let Some(first) = events.first() else { return };
    let path = first
        .target
        .as_deref()
        .and_then(|t| t.strip_prefix("unix:"))
        .unwrap_or_default();
    let mut confidence: f32 = 0.8;
    let saturation = model.fpm_saturation_signs();
    let limit = model.all::<FpmEvent>().find_map(|e| e.limit);
    let title = match limit {
        Some(n) => format!("All {n} PHP-FPM workers are busy and the queue of {path} is full (EAGAIN): 502"),
        None => format!("PHP-FPM's socket {path} refuses connections: its listen queue is full (EAGAIN): 502"),
    };
    let mut d = Draft::new(Cause::PhpFpmPoolExhausted, confidence, title);
    for e in events.iter().take(3) {
        d.support(
            e.artifact,
            e.span,
            format!("the accept queue of {path} is full: nginx answers 502 at once"),
        );
    }
    if events.len() > 3 {
        let last = events[events.len() - 1];
        d.support(last.artifact, last.span, format!("{} such lines in all", events.len()));
    }
    let strong = saturation
        .iter()
        .any(|s| s.strength == crate::model::fpm::Strength::Strong);
    if strong {
        confidence += 0.13;
    } else if !saturation.is_empty() {
        confidence += 0.05;
    }
    for s in saturation.iter().take(4) {
        d.support(s.artifact, s.span, s.note.clone());
    }
    d.value("socket", path);
    d.value("upstream", format!("unix:{path}"));
    d.value("status", "502");
    if let Some(n) = limit.or_else(|| model.all::<FpmPool>().find_map(|p| p.max_children)) {
        d.value("max_children", n.to_string());
    }
    if let Some(p) = model.pool_serving(&crate::facts::Endpoint::Unix { path: path.to_string() }) {
        if !p.name.is_empty() {
            d.value("fpm_pool", p.name.as_str());
        }
        if let Some(f) = &p.file {
            d.value("fpm_conf", f.as_str());
        }
    }
    d.confidence = confidence.clamp(0.15, 0.95);
    out.push(d);
}

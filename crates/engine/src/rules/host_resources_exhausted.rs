//! `host-resources-exhausted`: `free`, `uptime` or `top` show the host out of memory or CPU
//! while nginx fails.
//!
//! ## What it looks for
//! `free` with under 10% of memory available (or swap mostly used); `top` with almost no idle
//! CPU or heavy I/O wait; a very high load average; together with nginx's 502/504 lines (lost
//! connections, timeouts) or 5xx in the access log.
//!
//! ## Why it matters
//! A starved host makes every backend slow or killed: timeouts (504), resets and OOM kills (502)
//! that move from request to request. Fixing one request does not help; capacity or the
//! workload does.
//!
//! ## Weakened by
//! It is correlational: a snapshot taken after the incident, or a busy but healthy host, looks
//! the same. Without nginx failures in the paste it stays a hint.

use crate::cause::Cause;
use crate::facts::{AccessEntry, CpuUsage, ErrorEvent, LoadAverage, MemoryUsage};
use crate::model::Model;
use crate::model::events::status_of;
use crate::number::fixed;
use crate::rules::backend_oom_killed::memory_low;
use crate::rules::{Draft, Rule};

/// The rule.
pub const RULE: Rule = Rule {
    id: "host-resources-exhausted",
    cause: Cause::ServerOverload,
    doc: "free/top/uptime show memory or CPU exhausted while nginx returns 502/504",
    check,
};

fn check(model: &Model<'_>, out: &mut Vec<Draft>) {
    let mut signs: Vec<(usize, crate::span::Span, String)> = Vec::new();
    if let Some(m) = model.all::<MemoryUsage>().find(|m| memory_low(m)) {
        let avail = m.available_mib.unwrap_or(m.free_mib);
        signs.push((
            m.artifact,
            m.span,
            format!(
                "only {} MiB of {} MiB memory available",
                fixed(avail, 0),
                fixed(m.total_mib, 0)
            ),
        ));
    }
    if let Some(c) = model
        .all::<CpuUsage>()
        .find(|c| c.idle < 5.0 || c.iowait.is_some_and(|w| w >= 30.0))
    {
        let note = if c.idle < 5.0 {
            format!("the CPU is {}% busy", fixed(100.0 - c.idle, 0))
        } else {
            format!("{}% of CPU time waits for I/O", fixed(c.iowait.unwrap_or_default(), 0))
        };
        signs.push((c.artifact, c.span, note));
    }
    if let Some(l) = model.all::<LoadAverage>().find(|l| l.one >= 16.0 || l.five >= 16.0) {
        signs.push((
            l.artifact,
            l.span,
            format!(
                "load average {}: far more runnable work than most hosts have cores",
                fixed(l.one, 1)
            ),
        ));
    }
    if signs.is_empty() {
        return;
    }
    let failing: Vec<_> = model
        .all::<ErrorEvent>()
        .filter(|e| matches!(status_of(e), Some(502 | 504)))
        .collect();
    let access_5xx = model.all::<AccessEntry>().find(|a| matches!(a.status, 502 | 504));
    let mut confidence: f32 = 0.38 + 0.04 * (signs.len() as f32 - 1.0);
    let mut d = Draft::new(
        Cause::ServerOverload,
        confidence,
        format!("The host is out of resources: {}", signs[0].2),
    );
    for (a, s, n) in &signs {
        d.support(*a, *s, n.clone());
    }
    if let Some(e) = failing.first() {
        confidence += 0.14;
        let status = status_of(e).unwrap_or(502);
        d.support(e.artifact, e.span, format!("nginx fails meanwhile ({status})"));
        d.value("status", status.to_string());
    } else if let Some(a) = access_5xx {
        confidence += 0.1;
        d.support(a.artifact, a.span, format!("clients get {}", a.status));
        d.value("status", a.status.to_string());
    }
    d.confidence = confidence.clamp(0.15, 0.6);
    out.push(d);
}

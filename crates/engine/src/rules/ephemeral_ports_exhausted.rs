//! `ephemeral-ports-exhausted`: nginx has no free local port to connect to its backend.
//!
//! ## What it looks for
//! `connect() to IP:PORT failed (99: Cannot assign requested address) while connecting to
//! upstream` (musl: `Address not available`) on a TCP backend. Corroborated by `ss -s` showing
//! TIME-WAIT sockets near the size of `net.ipv4.ip_local_port_range`, and by a target without
//! upstream keepalive (a new connection per request).
//!
//! ## Why it matters
//! Every connection to the same backend address and port needs its own source port; closed ones
//! stay in TIME-WAIT for 60 s. At a few hundred requests per second the range runs out and
//! requests fail within milliseconds, while the backend looks idle. Reusing connections
//! (`keepalive` in an `upstream {}` block) is the fix; a wider port range is headroom.
//!
//! ## Weakened by
//! An `[::1]` target (IPv6 missing in a container: container-networking) and `proxy_bind` to an
//! address the host does not have.

use crate::cause::Cause;
use crate::facts::*;
use crate::model::Model;
use crate::rules::{Draft, Rule};

/// The rule.
pub const RULE: Rule = Rule {
    id: "ephemeral-ports-exhausted",
    cause: Cause::ResourceLimits,
    doc: "connect() failed (99: Cannot assign requested address) to a TCP backend: no free ephemeral port (many TIME-WAIT sockets, no upstream keepalive)",
    check,
};

/// The size of `ip_local_port_range` (`32768 60999` → 28232).
fn range_size(value: &str) -> Option<u64> {
    let mut parts = value.split_whitespace().filter_map(|p| p.parse::<u64>().ok());
    let (lo, hi) = (parts.next()?, parts.next()?);
    (hi > lo).then(|| hi - lo + 1)
}

fn check(model: &Model<'_>, out: &mut Vec<Draft>) {
    let events: Vec<_> = model
        .events(MessageClass::ConnectFailed)
        .filter(|e| e.errno == Some(99))
        .filter(|e| matches!(Model::event_endpoint(e), Some(Endpoint::Tcp { .. }) | None))
        .collect();
    let Some(first) = events.first() else { return };
    let peer = Model::event_endpoint(first);
    let at = peer.as_ref().map(|p| format!(" to {p}")).unwrap_or_default();
    let mut confidence: f32 = 0.78;
    let mut d = Draft::new(
        Cause::ResourceLimits,
        confidence,
        format!("nginx has no free local port for new connections{at} (ephemeral ports exhausted)"),
    );
    d.support(
        first.artifact,
        first.span,
        "no local port left to connect from: too many recent connections to the same address",
    );
    for e in events.iter().skip(1).take(2) {
        d.support(e.artifact, e.span, "again");
    }
    if let Some(p) = &peer {
        d.value("upstream", p.to_string());
        if matches!(p, Endpoint::Tcp { host, .. } if host == "::1") {
            d.against(
                first.artifact,
                first.span,
                "[::1]: IPv6 may simply be missing (in a container)",
            );
            confidence -= 0.35;
        }
    }
    let range = model.all::<Setting>().find(|s| s.key == "net.ipv4.ip_local_port_range");
    let range_len = range.as_ref().and_then(|r| range_size(&r.value.value));
    if let Some(summary) = model.all::<SocketSummary>().find(|s| s.timewait.is_some()) {
        let tw = summary.timewait.unwrap_or_default();
        let size = range_len.unwrap_or(28232);
        if tw * 2 >= size {
            d.support(
                summary.artifact,
                summary.span,
                format!("{tw} sockets in TIME-WAIT for a range of {size} local ports"),
            );
            confidence += 0.1;
        } else {
            d.against(
                summary.artifact,
                summary.span,
                format!("only {tw} sockets in TIME-WAIT"),
            );
            confidence -= 0.15;
        }
    }
    if let (Some(r), Some(size)) = (range, range_len) {
        d.support(r.artifact, r.span, format!("{size} local ports to connect from"));
    }
    // No upstream keepalive: a new connection (and a new port) per request.
    for t in model.targets_for_event(first) {
        match &t.group {
            Some(g) if g.keepalive.is_some() => {
                d.against(g.artifact, g.span, "the upstream group keeps connections alive already");
                confidence -= 0.1;
            }
            Some(g) => {
                d.support(
                    g.artifact,
                    g.span,
                    "no keepalive in this upstream group: one connection per request",
                )
                .value("group_name", g.name.clone());
                confidence += 0.04;
            }
            None => {
                d.support(
                    t.at.artifact,
                    t.at.span,
                    format!(
                        "{} {} opens a new connection per request (no upstream keepalive)",
                        t.at.directive, t.at.raw
                    ),
                );
                confidence += 0.04;
            }
        }
    }
    d.confidence = confidence.min(0.94);
    out.push(d);
}

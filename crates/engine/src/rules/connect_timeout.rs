//! `connect-timeout-backend-not-accepting`: nginx could not even open the connection within
//! `proxy_connect_timeout`, and no firewall explains it: the backend does not accept in time.
//!
//! ## What it looks for
//! `upstream timed out (110) while connecting to upstream` (or `connect() failed (110)`) to an
//! address no pasted firewall blocks. A local (loopback) backend that does not accept is hung or
//! overloaded: its listen queue is full. `ss -ltn` showing the port's accept queue (Recv-Q) at
//! its backlog (Send-Q) proves it.
//!
//! ## Why it matters
//! A connection the backend never accepts times out in nginx's connect phase: **504 Gateway
//! Time-out**. For a local backend this is overload (too few workers for the traffic, workers
//! stuck), not a network problem.
//!
//! ## Weakened by
//! A remote backend (then a firewall dropping packets, or a host that is down, is as likely: the
//! firewall rule looks at that); a pasted firewall that drops the port.

use crate::cause::Cause;
use crate::facts::*;
use crate::model::reach::{ConnectErrno, connect_errno};
use crate::model::{Model, endpoints};
use crate::rules::{Draft, Rule};

/// The rule.
pub const RULE: Rule = Rule {
    id: "connect-timeout-backend-not-accepting",
    cause: Cause::UpstreamTimeout,
    doc: "upstream timed out while connecting to a backend no firewall blocks: it does not accept in time (full listen queue, hung workers)",
    check,
};

fn check(model: &Model<'_>, out: &mut Vec<Draft>) {
    let events: Vec<_> = model
        .all::<ErrorEvent>()
        .filter(|e| {
            e.action.as_deref() == Some("connecting to upstream")
                && (e.class == MessageClass::UpstreamTimedOut
                    || e.class == MessageClass::ConnectFailed && connect_errno(e) == Some(ConnectErrno::TimedOut))
        })
        .collect();
    let Some(first) = events.first().copied() else { return };
    let Some(dialed @ Endpoint::Tcp { .. }) = Model::event_endpoint(&first) else {
        return;
    };
    let Endpoint::Tcp { host, port } = &dialed else { return };
    let verdicts = model.firewall_verdicts(&dialed);
    if verdicts.iter().any(|v| v.blocked) {
        return;
    }
    let local = endpoints::is_loopback(host);
    let mut conf: f32 = if local { 0.55 } else { 0.35 };
    let status = if first.class == MessageClass::UpstreamTimedOut {
        "504"
    } else {
        "502"
    };
    let mut d = Draft::new(
        Cause::UpstreamTimeout,
        conf,
        format!("The backend at {dialed} does not accept connections in time: it is overloaded or hung"),
    );
    d.value("upstream", dialed.to_string());
    d.value("status", status);
    d.value("timeout_directive", "proxy_connect_timeout");
    if let Some(p) = port {
        d.value("upstream_port", p.to_string());
    }
    d.support(
        first.artifact,
        first.span,
        format!("nginx could not open a connection to {dialed} before its connect timeout"),
    );
    if events.len() > 1 {
        let last = events[events.len() - 1];
        d.support(last.artifact, last.span, format!("{} such timeouts", events.len()));
    }
    if crate::model::reach::is_php_event(&first) {
        // PHP-FPM's own signs (pool exhausted) are read by the PHP rules.
        conf -= 0.1;
    }
    if let Some(v) = verdicts.first() {
        conf += 0.05;
        d.support(
            v.rule.artifact,
            v.rule.span,
            "the firewall shown lets this connection through",
        );
    }
    // A full accept queue on the backend's port.
    if let Some(l) = model
        .listeners_serving(&dialed)
        .into_iter()
        .find(|l| matches!((l.recv_q, l.send_q), (Some(r), Some(s)) if s > 0 && r + 1 >= s))
    {
        conf += 0.3;
        d.support(
            l.artifact,
            l.span,
            format!(
                "the accept queue of {} is full ({} waiting, backlog {}): the backend does not keep up",
                l.local,
                l.recv_q.unwrap_or(0),
                l.send_q.unwrap_or(0)
            ),
        );
        d.title = format!(
            "The listen queue of {} is full: the backend does not accept nginx's connections in time",
            l.local
        );
    }
    if let Some((a, s, note)) = model.host_overload_sign() {
        conf -= 0.2;
        d.against(a, s, format!("{note}: the host itself is overloaded"));
    }
    d.confidence = conf.clamp(0.0, 0.92);
    out.push(d);
}

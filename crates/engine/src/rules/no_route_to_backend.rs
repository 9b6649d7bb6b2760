//! `no-route-to-backend`: the kernel has no way to reach the backend's address.
//!
//! ## What it looks for
//! `connect() failed (113: No route to host)` / `(113: Host is unreachable)` or `(101: Network
//! is unreachable)` / `(101: Network unreachable)` while connecting (also from timers, `context:
//! ngx.timer`). An IPv6 address with 101 is the classic host without IPv6 that got an AAAA
//! answer. A pasted firewall that lets the port through makes the network the explanation.
//!
//! ## Why it matters
//! 113 means nothing answered ARP/neighbour discovery for that address (the host is down, or the
//! IP is wrong after a move or a DHCP change), or a router said so; 101 means no route to that
//! network at all. nginx cannot connect and answers 502.
//!
//! ## Weakened by
//! A firewall rule or policy rejecting the port (a REJECT with `icmp-host-prohibited`, firewalld's
//! default, reads as "No route to host": the firewall rule explains it).

use crate::cause::Cause;
use crate::facts::*;
use crate::model::reach::{ConnectErrno, connect_errno};
use crate::model::{At, Model};
use crate::rules::{Draft, Rule};

/// The rule.
pub const RULE: Rule = Rule {
    id: "no-route-to-backend",
    cause: Cause::NetworkUnreachable,
    doc: "connect() to the backend fails with (113: No route to host) or (101: Network is unreachable), and no firewall rule explains it",
    check,
};

fn check(model: &Model<'_>, out: &mut Vec<Draft>) {
    let mut groups: Vec<(Endpoint, Vec<At<'_, ErrorEvent>>)> = Vec::new();
    for e in model.events(MessageClass::ConnectFailed) {
        if !matches!(
            connect_errno(&e),
            Some(ConnectErrno::HostUnreachable | ConnectErrno::NetworkUnreachable)
        ) || e.action.as_deref().is_some_and(|a| a != "connecting to upstream")
        {
            continue;
        }
        let Some(dialed) = Model::event_endpoint(&e) else {
            continue;
        };
        match groups.iter_mut().find(|(d, _)| *d == dialed) {
            Some((_, v)) => v.push(e),
            None => groups.push((dialed, vec![e])),
        }
    }
    for (dialed, events) in groups {
        let first = events[0];
        let Endpoint::Tcp { host, port } = &dialed else {
            continue;
        };
        let v6 = host.contains(':');
        let errno = if connect_errno(&first) == Some(ConnectErrno::NetworkUnreachable) {
            101
        } else {
            113
        };
        let mut conf: f32 = if errno == 101 { 0.75 } else { 0.65 };
        let title = match (errno, v6) {
            (101, true) => format!("nginx dials the IPv6 address {dialed}, but this host has no IPv6 route"),
            (101, false) => format!("This host has no route to the network of {dialed}"),
            _ => format!("No route to {host}: the backend host is down or no longer has that address"),
        };
        let mut d = Draft::new(Cause::NetworkUnreachable, conf, title);
        d.value("upstream", dialed.to_string());
        d.value("upstream_host", host.clone());
        if let Some(p) = port {
            d.value("upstream_port", p.to_string());
        }
        let note = match (errno, v6) {
            (101, true) => {
                "no route for IPv6 (errno 101): the name has an AAAA record and this host has no IPv6 connectivity"
                    .to_string()
            }
            (101, false) => "no route to that network (errno 101)".to_string(),
            _ => format!("nothing answers for {host} on the network (errno 113)"),
        };
        for e in events.iter().take(2) {
            d.support(e.artifact, e.span, note.clone());
        }
        if e_is_timer(&first) {
            d.support(
                first.artifact,
                first.span,
                "this line has no request: a background connection (a timer or a health check), not a client's",
            );
        }
        let verdicts = model.firewall_verdicts(&dialed);
        if let Some(v) = verdicts.iter().find(|v| v.blocked) {
            conf -= 0.35;
            d.against(
                v.rule.artifact,
                v.rule.span,
                "the firewall rejects this port: an ICMP reject reads as \"No route to host\"",
            );
        } else if let Some(v) = verdicts.first() {
            conf += 0.1;
            d.support(
                v.rule.artifact,
                v.rule.span,
                "the firewall shown lets this port through",
            );
        } else if let Some(s) = model.firewall_inactive() {
            conf += 0.05;
            d.support(s.artifact, s.span, format!("{} is inactive", s.tool));
        }
        if v6 && let Some(r) = model.all::<DnsRecord>().find(|r| r.record_type == "AAAA") {
            d.support(r.artifact, r.span, "the name has an IPv6 (AAAA) address");
        }
        d.confidence = conf.clamp(0.0, 0.95);
        out.push(d);
    }
}

/// A line logged by a background timer (`context: ngx.timer`, no request).
fn e_is_timer(e: &ErrorEvent) -> bool {
    e.request.is_none() && e.message.contains("connect()") && e.upstream.is_none()
}

//! `firewall-blocks-backend-port`: a pasted firewall drops or rejects nginx's connections to the
//! backend's port.
//!
//! ## What it looks for
//! nginx failing while connecting: `upstream timed out (110) while connecting to upstream` or
//! `connect() failed (110)` (a dropped SYN), `(113: No route to host)` (an ICMP reject such as
//! `icmp-host-prohibited`, firewalld's default), `(1: Operation not permitted)` (a local OUTPUT
//! rule), and the firewall output (iptables, nft, ufw, firewalld) read for the dialed address:
//! the first rule of each chain that matches a new TCP connection to that port and address, or
//! the chain's policy. An OUTPUT rule applies on nginx's host; an INPUT rule or a firewalld zone
//! on the backend's host (or on nginx's own host for a loopback backend).
//!
//! ## Why it matters
//! A DROP makes nginx wait for `proxy_connect_timeout` and answer 504; a REJECT answers at once
//! and nginx returns 502. The backend itself can be perfectly healthy.
//!
//! ## Weakened by
//! The firewall output accepting the port (then it is not this firewall); a firewall front end
//! shown inactive; a verdict that rests only on a chain policy of a host that may not be the
//! backend's. Without any firewall output, `(1: Operation not permitted)` still points at a
//! local netfilter rule, and a connect timeout only hints at a firewall.

use crate::cause::Cause;
use crate::facts::*;
use crate::model::reach::{ConnectErrno, Direction, connect_errno};
use crate::model::{At, Model, endpoints};
use crate::rules::{Draft, Rule};

/// The rule.
pub const RULE: Rule = Rule {
    id: "firewall-blocks-backend-port",
    cause: Cause::FirewallBlocked,
    doc: "connect timeouts (110), EHOSTUNREACH (113) or EPERM (1) to a backend, with an iptables/nft/ufw/firewalld rule or policy that drops or rejects that port and address",
    check,
};

/// Failures while connecting that a firewall can cause.
fn connect_failure(e: &ErrorEvent) -> bool {
    let connecting = e.action.as_deref().is_none_or(|a| a == "connecting to upstream");
    connecting
        && match e.class {
            MessageClass::UpstreamTimedOut => true,
            MessageClass::ConnectFailed => {
                connect_errno(e).is_some_and(|k| k != ConnectErrno::NoSuchFile && k != ConnectErrno::NetworkUnreachable)
            }
            _ => false,
        }
}

fn check(model: &Model<'_>, out: &mut Vec<Draft>) {
    let mut groups: Vec<(Endpoint, Vec<At<'_, ErrorEvent>>)> = Vec::new();
    for e in model.all::<ErrorEvent>() {
        if !connect_failure(&e) {
            continue;
        }
        let Some(dialed @ Endpoint::Tcp { .. }) = Model::event_endpoint(&e) else {
            continue;
        };
        match groups.iter_mut().find(|(d, _)| *d == dialed) {
            Some((_, v)) => v.push(e),
            None => groups.push((dialed, vec![e])),
        }
    }
    for (dialed, events) in groups {
        if let Some(d) = draft_for(model, &dialed, &events) {
            out.push(d);
        }
    }
}

fn draft_for(model: &Model<'_>, dialed: &Endpoint, events: &[At<'_, ErrorEvent>]) -> Option<Draft> {
    let first = events[0];
    let errno = match (first.class, connect_errno(&first)) {
        (MessageClass::UpstreamTimedOut, _) | (_, Some(ConnectErrno::TimedOut)) => 110,
        (_, Some(ConnectErrno::HostUnreachable)) => 113,
        (_, Some(ConnectErrno::NotPermitted)) => 1,
        (_, Some(ConnectErrno::Refused)) => 111,
        _ => 0,
    };
    let Endpoint::Tcp { host, port } = dialed else {
        return None;
    };
    let loopback = endpoints::is_loopback(host);
    let verdicts = model.firewall_verdicts(dialed);
    let blocked: Vec<_> = verdicts.iter().filter(|v| v.blocked).collect();
    let chosen = blocked
        .iter()
        .find(|v| !v.by_policy)
        .or_else(|| blocked.iter().find(|v| v.direction == Direction::Out))
        .or_else(|| blocked.first())
        .copied();
    let timeout = first.class == MessageClass::UpstreamTimedOut;
    let status = if timeout { "504" } else { "502" };
    let what = match errno {
        110 => format!("nginx's connection to {dialed} gets no answer (errno 110): its packets are dropped"),
        113 => format!("nginx's connection to {dialed} is answered \"No route to host\" (errno 113): an ICMP reject"),
        1 => format!("the kernel refuses nginx's connection to {dialed} (errno 1): a local netfilter rule"),
        _ => format!("nginx's connection to {dialed} is refused (errno {errno})"),
    };
    let mut conf: f32;
    let mut d = Draft::new(Cause::FirewallBlocked, 0.0, "");
    d.value("upstream", dialed.to_string());
    d.value("upstream_host", host.clone());
    if let Some(p) = port {
        d.value("upstream_port", p.to_string());
        d.value("port", p.to_string());
    }
    d.value("status", status);
    for e in events.iter().take(2) {
        d.support(e.artifact, e.span, what.clone());
    }
    match chosen {
        Some(v) => {
            let r = v.rule;
            let consistent = match (errno, r.action) {
                (110, FirewallAction::Drop) => true,
                (113, FirewallAction::Reject) => true,
                (111, FirewallAction::Reject) => r.reject_with.as_deref().is_some_and(|w| w.contains("reset")),
                (1, _) => v.direction == Direction::Out || loopback,
                _ => false,
            };
            if errno == 111 && !consistent {
                return None;
            }
            conf = if v.by_policy {
                match (v.direction, r.tool.as_str()) {
                    (_, "firewalld") => 0.84,
                    (Direction::Out, _) => 0.8,
                    (Direction::In, _) if loopback => 0.8,
                    (Direction::In, _) => 0.72,
                }
            } else {
                0.9
            };
            if consistent {
                conf += 0.05;
            }
            let verb = if r.action == FirewallAction::Reject {
                "rejects"
            } else {
                "drops"
            };
            let where_ = match (v.direction, loopback) {
                (Direction::Out, _) => "on nginx's host (outgoing)".to_string(),
                (Direction::In, true) => "on this host (incoming, the backend is local)".to_string(),
                (Direction::In, false) => "on the backend's host (incoming)".to_string(),
            };
            let note = if v.by_policy {
                let allowed: Vec<String> = model
                    .all::<FirewallRule>()
                    .filter(|x| {
                        x.artifact == r.artifact
                            && x.chain == r.chain
                            && x.action == FirewallAction::Accept
                            && !x.is_policy
                    })
                    .map(|x| x.raw.split_whitespace().next().unwrap_or("").to_string())
                    .collect();
                let chain = r.chain.as_deref().unwrap_or("the chain");
                if allowed.is_empty() {
                    format!("{chain}'s default {verb} every port not allowed {where_}")
                } else {
                    format!(
                        "{chain}'s default {verb} what is not allowed {where_}; only {} are allowed, not port {}",
                        allowed.join(", "),
                        port.map(|p| p.to_string()).unwrap_or_default()
                    )
                }
            } else {
                format!("this rule {verb} TCP to {dialed} {where_}")
            };
            d.support(r.artifact, r.span, note);
            d.value("firewall_rule", r.raw.clone());
            d.title = if v.by_policy {
                format!(
                    "The {} firewall ({}) {verb} port {} by default: nginx cannot reach {dialed}",
                    r.tool,
                    r.chain.as_deref().unwrap_or("policy"),
                    port.map(|p| p.to_string()).unwrap_or_default()
                )
            } else {
                format!("A {} rule {verb} nginx's connections to {dialed}", r.tool)
            };
            // Another chain accepting it (the other host's) does not undo a block, but a
            // front end shown inactive does.
            if let Some(s) = model.firewall_inactive()
                && s.tool == r.tool
            {
                conf -= 0.35;
                d.against(s.artifact, s.span, format!("{} is inactive", s.tool));
            }
        }
        None => {
            if !verdicts.is_empty() {
                // The pasted firewall lets this through: not this firewall.
                return None;
            }
            conf = match errno {
                1 => 0.78,
                110 if loopback => return None,
                110 => 0.45,
                113 => 0.4,
                _ => return None,
            };
            d.title = match errno {
                1 => format!("A local firewall rule blocks nginx's outgoing connections to {dialed}"),
                110 => {
                    format!("nginx's connections to {dialed} time out: a firewall dropping them, or the host is down")
                }
                _ => format!("{dialed} is unreachable: possibly a firewall rejecting the port"),
            };
            if let Some(s) = model.firewall_inactive() {
                conf -= 0.25;
                d.against(s.artifact, s.span, format!("{} is inactive", s.tool));
            }
        }
    }
    if let Some(c) = model.curl_failure_to(dialed) {
        conf += 0.02;
        d.support(c.artifact, c.span, "curl from this host fails to connect too");
    }
    // A probe: the host answers ping but the port does not (a firewall's signature), or the port
    // answers (then nothing blocks it now).
    for p in model.probes_to(dialed) {
        match (p.outcome.as_str(), p.port) {
            ("timeout", Some(_)) if errno != 1 => {
                conf += 0.05;
                d.support(
                    p.artifact,
                    p.span,
                    format!("{} to the port times out too: the SYN gets no answer", p.tool),
                );
            }
            ("reachable", None) if errno == 113 => {
                conf += 0.15;
                d.support(
                    p.artifact,
                    p.span,
                    "the host answers ping, yet the connection gets \"No route to host\": an ICMP reject from a firewall (icmp-host-prohibited)",
                );
            }
            ("reachable", None) if errno == 110 => {
                conf += 0.2;
                d.support(
                    p.artifact,
                    p.span,
                    format!(
                        "the host answers {}, so it is up: a port that stays silent on an up host is filtered (a host with nothing listening answers with a refusal)",
                        p.tool
                    ),
                );
                if d.title.contains("or the host is down") {
                    d.title = format!(
                        "nginx's connections to {dialed} time out while the host answers {}: a firewall drops the port",
                        p.tool
                    );
                }
            }
            ("reachable", Some(_)) => {
                conf -= 0.3;
                d.against(
                    p.artifact,
                    p.span,
                    format!("{} connects to the port: nothing blocks it now", p.tool),
                );
            }
            _ => {}
        }
    }
    d.confidence = conf.clamp(0.0, 0.97);
    (d.confidence >= 0.15).then_some(d)
}

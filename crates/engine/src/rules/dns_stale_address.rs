//! `stale-resolved-address`: nginx still dials the address a name had when nginx started; the
//! name now resolves elsewhere.
//!
//! ## What it looks for
//! A `proxy_pass` (or upstream `server`) naming a host by DNS name, nginx's connection errors to
//! an IP address for it (refused, timed out, no route), and a `dig`/`host`/`nslookup`/`getent`
//! answer for that name giving a different address.
//!
//! ## Why it matters
//! nginx resolves names written literally in `proxy_pass`/`server` once, when it loads its
//! configuration, and keeps those addresses until the next reload. When the backend moves (a new
//! VM, a cloud load balancer changing IPs, a recreated container), nginx keeps dialing the old
//! address and answers 502 (or 504 for a dropped connection).
//!
//! ## Weakened by
//! The current answer including the address nginx dials (then the name is not stale); an error
//! to an address never tied to a pasted name.

use crate::cause::Cause;
use crate::facts::*;
use crate::model::Model;
use crate::rules::{Draft, Rule};

/// The rule.
pub const RULE: Rule = Rule {
    id: "stale-resolved-address",
    cause: Cause::DnsResolution,
    doc: "nginx dials an address its backend name no longer resolves to (dig shows another address): resolved once at start-up, stale since",
    check,
};

fn check(model: &Model<'_>, out: &mut Vec<Draft>) {
    // Names configured as backends (not groups, not literal IPs).
    let mut names: Vec<(String, Option<u16>, usize, crate::span::Span)> = Vec::new();
    for t in model.targets() {
        if let Some(g) = t.group {
            for s in &g.value.servers {
                if let Some(Endpoint::Tcp { host, port }) = &s.endpoint
                    && host.parse::<std::net::IpAddr>().is_err()
                    && host != "localhost"
                {
                    names.push((host.clone(), *port, g.artifact, g.span));
                }
            }
        } else if let Some(name) = t.at.group.as_deref()
            && name.contains('.')
            && name.parse::<std::net::IpAddr>().is_err()
        {
            let port = t.at.endpoint.as_ref().and_then(Endpoint::port);
            names.push((name.to_string(), port, t.at.artifact, t.at.span));
        }
    }
    for (name, port, cfg_artifact, cfg_span) in names {
        // Addresses the name resolves to now.
        let answers: Vec<_> = model
            .all::<DnsRecord>()
            .filter(|r| matches!(r.record_type.as_str(), "A" | "AAAA" | "hosts"))
            .filter(|r| {
                r.name.trim_end_matches('.').eq_ignore_ascii_case(&name)
                    || r.name.is_empty()
                        && model
                            .artifacts
                            .get(r.artifact)
                            .and_then(|a| a.command.as_deref())
                            .is_some_and(|c| c.contains(name.as_str()))
            })
            .collect();
        if answers.is_empty() {
            continue;
        }
        // nginx's failures to an IP for that port.
        let failures: Vec<_> = model
            .all::<ErrorEvent>()
            .filter(|e| {
                matches!(e.class, MessageClass::ConnectFailed | MessageClass::UpstreamTimedOut)
                    && e.action.as_deref().is_none_or(|a| a == "connecting to upstream")
            })
            .filter_map(|e| match Model::event_endpoint(&e) {
                Some(Endpoint::Tcp { host, port: p })
                    if host.parse::<std::net::IpAddr>().is_ok() && (port.is_none() || p == port) =>
                {
                    Some((e, host))
                }
                _ => None,
            })
            .collect();
        let Some((e, dialed)) = failures.first() else { continue };
        if answers.iter().any(|a| a.value.value == *dialed) {
            continue;
        }
        let now = answers[0].value.value.clone();
        let mut d = Draft::new(
            Cause::DnsResolution,
            0.8,
            format!("nginx still dials {dialed} for {name}, which now resolves to {now}"),
        );
        d.value("name", name.clone());
        d.value("upstream_host", dialed.clone());
        d.support(
            e.artifact,
            e.span,
            format!("nginx connects to {dialed}, the address {name} had when nginx loaded its configuration"),
        );
        d.support(
            answers[0].artifact,
            answers[0].span,
            format!("{name} resolves to {now} now"),
        );
        d.support(
            cfg_artifact,
            cfg_span,
            format!("{name} is resolved once, at start-up or reload"),
        );
        out.push(d);
        return;
    }
}

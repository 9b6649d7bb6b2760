//! `no-live-upstreams-after-failures`: every server of an upstream group is out of rotation; the
//! earlier lines say why.
//!
//! ## What it looks for
//! `no live upstreams while connecting to upstream` with the group name in `upstream:`. Then the
//! failures that took the servers out: earlier `connect() failed`, `upstream timed out`, resets
//! and `upstream server temporarily disabled` lines to the group's servers (each failure counts
//! against `max_fails`, default 1, for `fail_timeout`, default 10 s). The `upstream {}` block:
//! servers marked `down`, `max_conns` limits (with no failure lines, every server at its
//! `max_conns` gives the same line), `backup` servers. A group nginx made itself from a host
//! name with several addresses (`localhost` is 127.0.0.1 and ::1).
//!
//! ## Why it matters
//! nginx answers 502 at once without trying any server until `fail_timeout` expires. The line is
//! an effect: the fix is for the failure that marked the servers down (they refused, timed out,
//! or were restarted together).
//!
//! ## Weakened by
//! A single-server group that is neither `down` nor limited by `max_conns`: nginx never marks a
//! lone server failed, so something else (a name with several addresses) must be going on.

use crate::cause::Cause;
use crate::facts::*;
use crate::model::{At, Model, endpoints};
use crate::rules::{Draft, Rule};

/// The rule.
pub const RULE: Rule = Rule {
    id: "no-live-upstreams-after-failures",
    cause: Cause::NoLiveUpstreams,
    doc: "no live upstreams for a group, with the earlier failures to its servers (refused, timeouts, temporarily disabled) and its server parameters (down, max_conns, max_fails)",
    check,
};

/// What a failure line says, in a few words.
fn failure_words(e: &ErrorEvent) -> String {
    use crate::model::reach::{ConnectErrno, connect_errno};
    match (e.class, e.errno) {
        (MessageClass::ConnectFailed, _) if connect_errno(e) == Some(ConnectErrno::Refused) => {
            "refused connections (nothing listening)".to_string()
        }
        (MessageClass::ConnectFailed, _) if connect_errno(e) == Some(ConnectErrno::HostUnreachable) => {
            "were unreachable (no route to host)".to_string()
        }
        (MessageClass::ConnectFailed, _) if connect_errno(e) == Some(ConnectErrno::TimedOut) => {
            "did not answer the connection (timeout)".to_string()
        }
        (MessageClass::ConnectFailed, Some(n)) => format!("failed to connect (errno {n})"),
        (MessageClass::UpstreamTimedOut, _) => match e.action.as_deref() {
            Some("connecting to upstream") => "did not answer the connection (timeout)".to_string(),
            _ => "were too slow to answer (timeout)".to_string(),
        },
        (MessageClass::RecvFailed, _) | (MessageClass::PrematurelyClosed, _) => {
            "closed connections mid-request".to_string()
        }
        (MessageClass::SslHandshakeFailed, _) => "failed the TLS handshake".to_string(),
        _ => "failed".to_string(),
    }
}

fn check(model: &Model<'_>, out: &mut Vec<Draft>) {
    let nolive: Vec<_> = model.events(MessageClass::NoLiveUpstreams).collect();
    let Some(first) = nolive.first().copied() else { return };
    let name = first
        .upstream
        .as_deref()
        .map(crate::parse::nginx_error_log::peer_of_upstream)
        .or_else(|| first.target.as_deref().map(String::from))
        .filter(|n| !n.is_empty())
        .or_else(|| {
            // Lines cut before their `upstream:` field: the only group configured, if one.
            let mut groups = model.all::<UpstreamGroup>();
            match (groups.next(), groups.next()) {
                (Some(g), None) => Some(g.name.clone()),
                _ => None,
            }
        })
        .unwrap_or_else(|| "the upstream group".to_string());
    let group = model.group(&name);
    let servers: Vec<Endpoint> = group
        .map(|g| g.servers.iter().filter_map(|s| s.endpoint.clone()).collect())
        .unwrap_or_default();
    let mut conf: f32 = 0.8;
    let mut d = Draft::new(Cause::NoLiveUpstreams, conf, "");
    if name != "the upstream group" {
        d.value("group_name", name.clone());
    }
    d.value("status", "502");
    d.support(
        first.artifact,
        first.span,
        format!("nginx finds no server of {name} in rotation and answers 502 at once"),
    );
    if nolive.len() > 1 {
        let last = nolive[nolive.len() - 1];
        d.support(last.artifact, last.span, format!("{} such lines", nolive.len()));
    }

    // Earlier failures to the group's servers.
    let is_failure = |e: &ErrorEvent| {
        matches!(
            e.class,
            MessageClass::ConnectFailed
                | MessageClass::UpstreamTimedOut
                | MessageClass::RecvFailed
                | MessageClass::PrematurelyClosed
                | MessageClass::SslHandshakeFailed
        ) && crate::model::events::header_phase(e.action.as_deref())
    };
    let in_group = |e: &ErrorEvent| {
        servers.is_empty()
            || Model::event_endpoint(e).is_some_and(|ep| servers.iter().any(|s| endpoints::same_endpoint(s, &ep)))
    };
    let failures: Vec<At<'_, ErrorEvent>> = model
        .all::<ErrorEvent>()
        .filter(|e| is_failure(e) && in_group(e))
        .collect();
    let disabled: Vec<_> = model.events(MessageClass::ServerTemporarilyDisabled).collect();
    let mut title = format!("Every server of upstream {name} is marked failed: nginx answers 502 without trying");

    if let Some(f) = failures.first() {
        conf += 0.1;
        let words = failure_words(f);
        let peers: Vec<String> = {
            let mut v: Vec<String> = failures
                .iter()
                .filter_map(|e| Model::event_endpoint(e).map(|x| x.to_string()))
                .collect();
            v.dedup();
            crate::sort::ascending(&mut v);
            v.dedup();
            v
        };
        d.support(f.artifact, f.span, format!("first failure: the server {words}"));
        if let Some(other) = failures
            .iter()
            .find(|e| Model::event_endpoint(e) != Model::event_endpoint(f))
        {
            d.support(
                other.artifact,
                other.span,
                format!("the next server {}", failure_words(other)),
            );
        }
        title = if peers.is_empty() {
            format!("The servers of {name} {words}, so nginx took them all out of rotation: no live upstreams")
        } else {
            format!(
                "The servers of {name} ({}) {words}, so nginx took them all out of rotation: no live upstreams",
                peers.join(", ")
            )
        };
        if let Some(x) = disabled.first() {
            d.support(
                x.artifact,
                x.span,
                "the server reached max_fails and is skipped for fail_timeout",
            );
        }
    } else if let Some(x) = disabled.first() {
        conf += 0.05;
        d.support(
            x.artifact,
            x.span,
            "a server reached max_fails and is skipped for fail_timeout",
        );
    }

    // The group's configuration.
    match group {
        Some(g) => {
            let n = g.servers.len();
            let down = g
                .servers
                .iter()
                .filter(|s| s.params.iter().any(|p| p == "down"))
                .count();
            let max_conns: Vec<&str> = g
                .servers
                .iter()
                .filter_map(|s| s.params.iter().find_map(|p| p.strip_prefix("max_conns=")))
                .collect();
            if n > 0 && down == n {
                conf += 0.1;
                d.support(
                    g.artifact,
                    g.span,
                    "every server of this group is marked down in the configuration",
                );
                title = format!("Every server of upstream {name} is marked `down` in the configuration");
            } else if failures.is_empty() && max_conns.len() == n && n > 0 {
                conf += 0.08;
                d.value("limit", max_conns[0].to_string());
                d.support(
                    g.artifact,
                    g.span,
                    format!(
                        "each server accepts at most max_conns={} connections; with no failure logged, all were at that limit",
                        max_conns[0]
                    ),
                );
                title = format!(
                    "Every server of upstream {name} is at its max_conns={} limit: nginx has no free server",
                    max_conns[0]
                );
            } else if n == 1 && down == 0 && max_conns.is_empty() {
                conf -= 0.2;
                d.against(
                    g.artifact,
                    g.span,
                    "a group with one server is never marked failed unless it is down or at max_conns",
                );
            } else if down > 0 && n - down == 1 {
                conf += 0.05;
                d.support(
                    g.artifact,
                    g.span,
                    format!(
                        "{down} of {n} servers are marked down: the one left can be marked failed after a single error (a group of one server never is)"
                    ),
                );
            } else {
                d.support(
                    g.artifact,
                    g.span,
                    format!("{n} servers; max_fails defaults to 1 and fail_timeout to 10s"),
                );
            }
            let servers_text: Vec<&str> = g.servers.iter().map(|s| s.address.as_str()).collect();
            d.value("upstream", servers_text.join(", "));
        }
        None if name == "localhost" => {
            conf += 0.05;
            title = "proxy_pass to localhost makes a group of 127.0.0.1 and ::1; both were marked failed: no live upstreams"
                .to_string();
            d.evidence[0].note = "`localhost` resolves to 127.0.0.1 and ::1: nginx builds a two-server group from the name, each address can be marked failed, and then none is left".to_string();
            d.value("upstream", "localhost");
        }
        None => {}
    }
    d.title = title;
    d.confidence = conf.clamp(0.0, 0.95);
    out.push(d);
}

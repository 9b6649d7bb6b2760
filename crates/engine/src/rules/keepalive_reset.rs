//! `reused-upstream-connection-closed`: nginx reused an idle upstream connection that the
//! backend had already closed.
//!
//! ## What it looks for
//! `recv() failed (104: Connection reset by peer)` or `upstream prematurely closed connection`
//! while reading the response header, or `writev()/send() failed (32: Broken pipe | 104)` while
//! sending the request, to an HTTP backend whose `upstream {}` group keeps idle connections
//! (`keepalive N`, or any group on nginx ≥ 1.29.7 where upstream keepalive is on by default).
//! Then: the failures are few among successes (intermittent), they hit POST/PUT/PATCH (nginx
//! retries a stale cached connection only for idempotent methods), they fail at once
//! (`$upstream_response_time` 0.000), and the backend closes idle connections sooner than
//! nginx's upstream `keepalive_timeout` (60 s): Node's `keepAliveTimeout` 5 s, gunicorn's
//! `--keep-alive` 2 s.
//!
//! ## Why it matters
//! The backend closes an idle connection just as nginx sends a request on it; the request dies
//! with a reset or an early close and the client gets a 502, for a small share of requests,
//! with nothing in the backend's log.
//!
//! ## Weakened by
//! No upstream keepalive at all (an older nginx without `keepalive`, or `proxy_http_version 1.0`
//! which never reuses connections); crash or OOM evidence for the backend (the upstream-crash
//! rules explain resets better); every request failing, not some.

use crate::cause::Cause;
use crate::facts::*;
use crate::model::reach::is_php_event;
use crate::model::{At, Model};
use crate::rules::{Draft, Rule};

/// The rule.
pub const RULE: Rule = Rule {
    id: "reused-upstream-connection-closed",
    cause: Cause::UpstreamKeepaliveReset,
    doc: "resets / early closes / broken pipes on some requests to an upstream group that keeps idle connections (keepalive N, or nginx >= 1.29.7), POSTs failing at once, backend keep-alive shorter than nginx's",
    check,
};

fn is_reset(e: &ErrorEvent) -> bool {
    match e.class {
        MessageClass::RecvFailed => {
            matches!(e.errno, Some(104)) && e.action.as_deref() == Some("reading response header from upstream")
        }
        MessageClass::PrematurelyClosed => e.action.as_deref() == Some("reading response header from upstream"),
        MessageClass::SendFailed => {
            matches!(e.errno, Some(32 | 104))
                && matches!(
                    e.action.as_deref(),
                    Some("sending request to upstream" | "sending request body to upstream")
                )
        }
        _ => false,
    }
}

fn method_of(request: Option<&str>) -> &str {
    request.and_then(|r| r.split_whitespace().next()).unwrap_or("")
}

fn check(model: &Model<'_>, out: &mut Vec<Draft>) {
    let events: Vec<At<'_, ErrorEvent>> = model
        .all::<ErrorEvent>()
        .filter(|e| is_reset(e) && !is_php_event(e))
        .collect();
    let Some(first) = events.first().copied() else { return };
    let version = model.nginx_version();
    let default_keepalive = version.as_ref().is_some_and(|(v, _, _)| *v >= vec![1, 29, 7]);
    // The group the failures went through.
    let mut group = None;
    let mut target = None;
    for e in &events {
        for t in model.targets_for_event(e) {
            if let Some(g) = t.group {
                group = Some(g);
                target = Some(t);
                break;
            }
        }
        if group.is_some() {
            break;
        }
    }
    let (mut conf, keepalive_note) = match group {
        Some(g) if g.keepalive.is_some() => (
            0.68,
            format!(
                "upstream {} keeps up to {} idle connections open for reuse",
                g.name,
                g.keepalive.unwrap_or(0)
            ),
        ),
        Some(g) if default_keepalive => (
            0.6,
            format!(
                "upstream {} keeps idle connections by default on this nginx version (keepalive is on from 1.29.7)",
                g.name
            ),
        ),
        _ => {
            if let Some((a, s)) = model.ingress_nginx_sign() {
                draft_ingress(model, &events, (a, s), out);
            }
            return;
        }
    };
    let g = group.unwrap();
    let peer = Model::event_endpoint(&first).map(|e| e.to_string()).unwrap_or_default();
    let mut d = Draft::new(
        Cause::UpstreamKeepaliveReset,
        conf,
        format!(
            "The backend {peer} closes idle keep-alive connections that nginx still reuses (upstream {})",
            g.name
        ),
    );
    d.value("group_name", g.name.clone());
    d.value("upstream", peer.clone());
    let what = |e: &ErrorEvent| match e.class {
        MessageClass::RecvFailed => "the backend reset the connection before answering (errno 104)",
        MessageClass::SendFailed => "the connection was already closed when nginx sent the request (broken pipe)",
        _ => "the backend closed the connection before answering",
    };
    for e in events.iter().take(2) {
        d.support(e.artifact, e.span, what(e).to_string());
    }
    d.support(g.artifact, g.span, keepalive_note);
    if g.keepalive.is_none()
        && let Some((_, a, s)) = version
    {
        d.support(
            a,
            s,
            "nginx 1.29.7 and later keep upstream connections alive by default",
        );
    }

    // Non-idempotent methods: not retried on a fresh connection.
    let methods: Vec<&str> = events.iter().map(|e| method_of(e.request.as_deref())).collect();
    if !methods.is_empty()
        && methods
            .iter()
            .all(|m| matches!(*m, "POST" | "PATCH" | "LOCK" | "PUT" | "DELETE"))
    {
        conf += 0.08;
        d.support(
            first.artifact,
            first.span,
            format!(
                "{}: nginx retries a dead cached connection only for idempotent methods, so POSTs get the 502",
                methods[0]
            ),
        );
    }

    // The access log: few 502s among successes, failing at once.
    let entries: Vec<_> = model.all::<AccessEntry>().collect();
    let bad: Vec<_> = entries.iter().filter(|a| a.status == 502).collect();
    let good = entries.iter().filter(|a| (200..400).contains(&a.status)).count();
    if !bad.is_empty() && good >= bad.len() * 3 {
        conf += 0.05;
        d.support(
            bad[0].artifact,
            bad[0].span,
            format!("{} of {} requests got 502: intermittent", bad.len(), entries.len()),
        );
    } else if !bad.is_empty() && good == 0 && bad.len() >= 10 {
        conf -= 0.1;
        d.against(
            bad[0].artifact,
            bad[0].span,
            "every request fails: not an occasional stale connection",
        );
    }
    let instant = bad.iter().find(|a| {
        a.upstream_response_time
            .as_deref()
            .or(a.request_time.as_deref())
            .and_then(|t| t.split([',', ' ']).next_back())
            .and_then(|t| crate::number::parse(t.trim()))
            .is_some_and(|t| t <= 0.01)
    });
    if let Some(a) = instant {
        conf += 0.05;
        d.support(a.artifact, a.span, "failed at once: no time spent in the backend");
    }

    // nginx's own upstream keepalive_timeout.
    let nginx_timeout = model
        .directives("keepalive_timeout")
        .find(|x| x.context.ends_with(&format!("upstream({})", g.name)));
    let nginx_secs = nginx_timeout
        .and_then(|x| x.value.args.first())
        .and_then(|v| crate::rules::read_timeout::seconds(v))
        .unwrap_or(60.0);
    d.value("timeout", format!("{}s", nginx_secs as u64));

    // The backend's keep-alive.
    let mut backend_note: Option<(usize, crate::span::Span, String, &str)> = None;
    for a in model.artifacts.iter().enumerate() {
        if let Some(cmd) = &a.1.command
            && cmd.contains("keepAliveTimeout")
        {
            backend_note = Some((
                a.0,
                a.1.span,
                "Node's server.keepAliveTimeout: 5 s by default, shorter than nginx's upstream keepalive_timeout"
                    .to_string(),
                "node",
            ));
        }
    }
    if backend_note.is_none() {
        let gunicorn = model
            .all::<AppEvent>()
            .find(|a| a.server == "gunicorn")
            .map(|a| (a.artifact, a.span));
        let gunicorn = gunicorn.or_else(|| {
            model
                .all::<ProcessInfo>()
                .find(|p| p.command.contains("gunicorn") && !p.command.contains("keep-alive"))
                .map(|p| (p.artifact, p.span))
        });
        let gunicorn = gunicorn.or_else(|| {
            model
                .all::<ComposeService>()
                .find(|s| {
                    s.command
                        .as_deref()
                        .is_some_and(|c| c.contains("gunicorn") && !c.contains("keep-alive"))
                })
                .map(|s| (s.artifact, s.span))
        });
        if let Some((a, s)) = gunicorn {
            backend_note = Some((
                a,
                s,
                "gunicorn closes idle connections after --keep-alive, 2 s by default".to_string(),
                "gunicorn",
            ));
        } else if let Some(n) = model.all::<AppEvent>().find(|a| a.server == "node") {
            backend_note = Some((
                n.artifact,
                n.span,
                "Node's http server closes idle connections after keepAliveTimeout, 5 s by default".to_string(),
                "node",
            ));
        }
    }
    if let Some((a, s, note, process)) = backend_note {
        conf += 0.07;
        d.support(a, s, note);
        d.value("process", process);
    }

    // The location must speak HTTP/1.1 for keepalive (before 1.29.7).
    if let Some(t) = &target
        && !default_keepalive
        && !t.at.context.is_empty()
    {
        let v = model.directive_for("proxy_http_version", &t.at.context);
        if v.is_none_or(|x| x.args.first().map(String::as_str) != Some("1.1")) {
            conf -= 0.25;
            d.against(
                t.at.artifact,
                t.at.span,
                "this location does not set proxy_http_version 1.1, so nginx does not reuse upstream connections",
            );
        }
    }

    // Crashes explain resets better.
    let crash = model
        .all::<AppEvent>()
        .find(|a| {
            matches!(
                a.class.as_str(),
                "worker-killed" | "crash" | "out-of-memory" | "worker-timeout"
            )
        })
        .map(|a| (a.artifact, a.span, format!("{}: {}", a.server, a.message)))
        .or_else(|| {
            model
                .all::<OomKill>()
                .next()
                .map(|o| (o.artifact, o.span, format!("the kernel killed {}", o.process)))
        });
    if let Some((a, s, note)) = crash {
        conf -= 0.25;
        d.against(a, s, format!("{note}: a dying backend also resets connections"));
    }
    d.value("status", "502");
    d.confidence = conf.clamp(0.0, 0.95);
    out.push(d);
}

/// ingress-nginx keeps upstream connections alive by default: the same race without any
/// `upstream {}` block in sight.
fn draft_ingress(
    model: &Model<'_>,
    events: &[At<'_, ErrorEvent>],
    sign: (usize, crate::span::Span),
    out: &mut Vec<Draft>,
) {
    let first = events[0];
    let peer = Model::event_endpoint(&first).map(|e| e.to_string()).unwrap_or_default();
    let mut conf: f32 = 0.55;
    let mut d = Draft::new(
        Cause::UpstreamKeepaliveReset,
        conf,
        format!("The backend {peer} closes idle keep-alive connections that ingress-nginx still reuses"),
    );
    d.value("upstream", peer);
    d.value("timeout", "60s");
    d.value("status", "502");
    for e in events.iter().take(2) {
        d.support(
            e.artifact,
            e.span,
            "the backend closed or reset the connection before answering",
        );
    }
    d.support(
        sign.0,
        sign.1,
        "ingress-nginx keeps upstream connections alive by default (upstream-keepalive-connections 320, 60 s idle)",
    );
    let methods: Vec<&str> = events.iter().map(|e| method_of(e.request.as_deref())).collect();
    if methods
        .iter()
        .all(|m| matches!(*m, "POST" | "PATCH" | "LOCK" | "PUT" | "DELETE"))
    {
        conf += 0.08;
        d.support(
            first.artifact,
            first.span,
            format!(
                "{}: not retried on a fresh connection, so the client gets the 502",
                methods[0]
            ),
        );
    }
    if model
        .all::<AppEvent>()
        .any(|a| matches!(a.class.as_str(), "worker-killed" | "crash" | "out-of-memory"))
        || model.has::<OomKill>()
    {
        conf -= 0.25;
    }
    d.confidence = conf.clamp(0.0, 0.8);
    out.push(d);
}

//! `out-of-file-descriptors`: nginx ran out of file descriptors.
//!
//! ## What it looks for
//! `socket() failed (24: Too many open files) while connecting to upstream` (musl: `No file
//! descriptors available`), and `accept4()`/`open()` failing with errno 24. Corroborated by the
//! limit in force (`ulimit -n`, `/proc/PID/limits`, `LimitNOFILE`, `worker_rlimit_nofile`)
//! compared with `worker_connections`: each proxied request holds two descriptors.
//!
//! ## Why it matters
//! nginx cannot open the upstream socket: the client gets **500**, not 502 (new clients hang
//! when accept fails). Raising the backend's capacity does nothing; the descriptor limit does.
//!
//! ## Weakened by
//! Nothing specific: errno 24 is the process's own limit.

use crate::cause::Cause;
use crate::facts::*;
use crate::model::Model;
use crate::rules::{Draft, Rule};

/// The rule.
pub const RULE: Rule = Rule {
    id: "out-of-file-descriptors",
    cause: Cause::ResourceLimits,
    doc: "socket()/accept4() failed (24: Too many open files): nginx hit its open-files limit (the client gets 500, not 502)",
    check,
};

fn is_soft_nofile(s: &Setting) -> bool {
    let k = s.key.to_ascii_lowercase();
    (k.contains("open files") && !k.contains("hard"))
        || k == "limitnofile"
        || (k.starts_with("nofile") && !k.contains("hard"))
}

fn check(model: &Model<'_>, out: &mut Vec<Draft>) {
    let events: Vec<_> = model.all::<ErrorEvent>().filter(|e| e.errno == Some(24)).collect();
    let Some(first) = events
        .iter()
        .find(|e| e.class == MessageClass::SocketFailed && e.action.as_deref() == Some("connecting to upstream"))
        .or_else(|| events.first())
    else {
        return;
    };
    let upstream_side = first.action.as_deref() == Some("connecting to upstream");
    let mut confidence: f32 = 0.85;
    let mut d = Draft::new(
        Cause::ResourceLimits,
        confidence,
        if upstream_side {
            "nginx is out of file descriptors: it cannot open the upstream socket (500, not 502)"
        } else {
            "nginx is out of file descriptors (Too many open files)"
        },
    );
    d.support(
        first.artifact,
        first.span,
        if upstream_side {
            "no descriptor left for the upstream connection: nginx answers 500"
        } else {
            "the worker hit its open-files limit"
        },
    )
    .value("status", "500");
    for e in events.iter().filter(|e| e.span != first.span).take(2) {
        d.support(e.artifact, e.span, "the same limit, while accepting or opening files");
    }
    if let Some(a) = model.all::<AccessEntry>().find(|a| a.status == 500) {
        d.support(a.artifact, a.span, "the access log records 500 for it");
    }
    let soft = model.all::<Setting>().find(|s| is_soft_nofile(s));
    let rlimit = model.directives("worker_rlimit_nofile").next();
    let connections = model.directives("worker_connections").next();
    let conn_value = connections.and_then(|c| c.args.first().and_then(|a| a.parse::<u64>().ok()));
    if let Some(s) = soft {
        d.support(s.artifact, s.span, format!("the open-files limit is {}", s.value.value));
        d.value("limit", s.value.value.clone());
        confidence += 0.05;
    }
    if let Some(r) = rlimit {
        d.support(r.artifact, r.span, format!("worker_rlimit_nofile {}", r.args.join(" ")));
        d.value("limit", r.args.join(" "));
    }
    if let Some(c) = connections {
        d.support(
            c.artifact,
            c.span,
            format!(
                "worker_connections {}: a proxied request needs two descriptors",
                c.args.join(" ")
            ),
        );
        confidence += 0.03;
    }
    let wanted = conn_value.map_or(65535, |c| (c * 4).max(16384));
    d.value("size", wanted.to_string());
    match (rlimit, model.directives("worker_processes").next()) {
        (Some(r), _) => {
            let now: u64 = r.args.first().and_then(|a| a.parse().ok()).unwrap_or(0);
            if now < wanted {
                d.edit(
                    r.artifact,
                    r.span,
                    format!("worker_rlimit_nofile {};", r.args.join(" ")),
                    format!("worker_rlimit_nofile {wanted};"),
                );
            }
        }
        (None, Some(p)) => {
            let line = format!("worker_processes {};", p.args.join(" "));
            d.edit(
                p.artifact,
                p.span,
                line.clone(),
                format!("{line}\nworker_rlimit_nofile {wanted};"),
            );
        }
        (None, None) => {}
    }
    d.confidence = confidence.min(0.95);
    out.push(d);
}

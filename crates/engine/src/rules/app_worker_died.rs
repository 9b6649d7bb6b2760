//! `app-worker-died`: an application server's worker or process died while nginx waited for it
//! (gunicorn, uWSGI, Node/pm2, nodemon).
//!
//! ## What it looks for
//! The app server's own log: a crash (`!!! uWSGI process N got Segmentation Fault !!!`, Node
//! `FATAL ERROR`, `JavaScript heap out of memory`), a worker or app exiting with an error
//! (`Worker (pid:N) exited with code 1`, pm2 `exited with code [1]`, `[nodemon] app crashed`),
//! a worker killed at its own time limit (`WORKER TIMEOUT`, `HARAKIRI`), a kernel segfault of
//! the process; together with nginx's `upstream prematurely closed connection` or `recv() failed
//! (104)` while reading the response header (often followed by `(111: Connection refused)` while
//! the process restarts).
//!
//! ## Why it matters
//! The request died with the process: 502 for it, and 502s for everything else until the
//! server is back. The app's traceback or the memory limit names the real bug.
//!
//! ## Weakened by
//! No nginx line losing a connection (the exit may be a deploy or a restart), exit code 0 or a
//! graceful `SIGINT`/`SIGTERM` restart, a worker killed with SIGKILL by the OOM killer (that is
//! host memory: `server-overload`), a server that never booted (`upstream-down`).

use crate::cause::Cause;
use crate::facts::{AppEvent, KernelEvent};
use crate::model::time::first_near;
use crate::model::{At, Model};
use crate::rules::{Draft, Rule};

/// The rule.
pub const RULE: Rule = Rule {
    id: "app-worker-died",
    cause: Cause::UpstreamCrash,
    doc: "a gunicorn/uWSGI/Node worker crashes, exits with an error or is killed at its time limit while nginx loses the connection",
    check,
};

/// Why a worker died, when the event says it died abnormally.
fn died(a: &AppEvent) -> Option<&'static str> {
    let m = a.message.as_str();
    let graceful = (m.contains("code [0]") || m.contains("code 0")) && !m.contains("SIGKILL") && !m.contains("SIGSEGV");
    match a.class.as_str() {
        "crash" => Some("crashed"),
        "out-of-memory" => Some("ran out of memory (its own heap limit)"),
        "worker-timeout" => Some("was killed at its time limit"),
        "worker-exited" if graceful => None,
        "worker-exited" if m.contains("Worker exiting") => None,
        "worker-exited" => Some("exited with an error"),
        _ => None,
    }
}

fn check(model: &Model<'_>, out: &mut Vec<Draft>) {
    let deaths: Vec<(At<'_, AppEvent>, &str)> = model
        .all::<AppEvent>()
        .filter_map(|a| died(&a).map(|w| (a, w)))
        .collect();
    let kernel: Vec<At<'_, KernelEvent>> = model
        .all::<KernelEvent>()
        .filter(|k| {
            matches!(k.class.as_str(), "segfault" | "general-protection-fault" | "trap")
                && !k
                    .process
                    .as_deref()
                    .is_some_and(|p| p.contains("php") || p.starts_with("nginx"))
        })
        .collect();
    if deaths.is_empty() && kernel.is_empty() {
        return;
    }
    let booted_never = model.all::<AppEvent>().any(|a| a.class == "boot-failed");
    let lost: Vec<_> = model
        .lost_before_header()
        .into_iter()
        .filter(|e| !model.is_php_event(e))
        .collect();
    if lost.is_empty() && (booted_never || model.has::<crate::facts::ErrorEvent>()) {
        // nginx shows only connection failures (or nothing of this kind): a server that is down,
        // not a request that died.
        return;
    }
    let (server, why) = match deaths.first() {
        Some((a, w)) => (a.server.clone(), *w),
        None => (
            kernel[0].process.clone().unwrap_or_else(|| "the backend".into()),
            "crashed",
        ),
    };
    let mut confidence: f32 = 0.5;
    let mut d = Draft::new(
        Cause::UpstreamCrash,
        confidence,
        format!("The {server} worker {why} mid-request: nginx lost the connection (502)"),
    );
    for (a, w) in deaths.iter().take(3) {
        d.support(a.artifact, a.span, format!("the {} worker {w}", a.server));
    }
    for k in kernel.iter().take(2) {
        d.support(k.artifact, k.span, "the kernel reports the process crashing");
    }
    // The exception that preceded it, for context.
    if let Some(x) = model.all::<AppEvent>().find(|a| a.class == "exception") {
        d.support(
            x.artifact,
            x.span,
            format!("the app's error before it died: {}", x.message),
        );
    }
    let near = first_near(
        &lost,
        |l| l.time.as_deref(),
        deaths.iter().map(|(a, _)| a.time.clone()),
        3,
    );
    if let Some(l) = near.or(lost.first()) {
        confidence += if near.is_some() { 0.4 } else { 0.36 };
        d.support(
            l.artifact,
            l.span,
            "nginx loses the connection before the response header: 502",
        );
        d.value("status", "502");
        if let Some(ep) = Model::event_endpoint(l) {
            d.value("upstream", ep.to_string());
        }
        if let Some(r) = model
            .events(crate::facts::MessageClass::ConnectFailed)
            .find(|e| e.errno == Some(111))
        {
            d.support(r.artifact, r.span, "then nothing listens while it restarts");
        }
    }
    d.value("process", server.as_str());
    d.confidence = confidence.clamp(0.15, 0.92);
    out.push(d);
}

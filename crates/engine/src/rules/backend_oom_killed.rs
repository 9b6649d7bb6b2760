//! `backend-oom-killed`: the kernel's OOM killer (or a SIGKILL) took the backend's workers
//! mid-request: the host is out of memory.
//!
//! ## What it looks for
//! The kernel's `Out of memory: Killed process N (php-fpm8.3|gunicorn|node...)` or `invoked
//! oom-killer`; PHP-FPM's `child N exited on signal 9 (SIGKILL)` (FPM never sends SIGKILL
//! itself); gunicorn's `Worker (pid:N) was sent SIGKILL! Perhaps out of memory?`; uWSGI's
//! `killed by signal 9`; a Kubernetes container `OOMKilled` at its memory limit (`kubectl
//! describe pod`'s `Last State`, `kubectl get pods`). Stronger with nginx losing connections before the response header at
//! the time, and with `free` showing little memory available and no swap.
//!
//! ## Why it matters
//! This is host memory pressure, not a bug in one request: workers (often too many for the
//! RAM, or one huge request) exceed memory and the kernel kills the largest. Each kill is a 502;
//! raising PHP's `memory_limit` or adding workers makes it worse.
//!
//! ## Weakened by
//! A SIGKILL without an OOM line may be someone's `kill -9`, a container memory limit (the
//! cgroup's OOM, still memory) or gunicorn killing a worker after `WORKER TIMEOUT` (then it is the
//! time limit: `upstream-crash`); no nginx failure at that time.

use crate::cause::Cause;
use crate::facts::{AppEvent, FpmClass, FpmEvent, KernelEvent, KubeObject, MemoryUsage, OomKill};
use crate::model::Model;
use crate::model::time::first_near;
use crate::number::fixed;
use crate::rules::{Draft, Rule};
use crate::span::Span;

/// The rule.
pub const RULE: Rule = Rule {
    id: "backend-oom-killed",
    cause: Cause::ServerOverload,
    doc: "the OOM killer or a SIGKILL takes backend workers (php-fpm, gunicorn, uWSGI, node) while nginx loses connections",
    check,
};

/// True when `free` shows the host short of memory: under 10% available, or swap mostly used.
pub(crate) fn memory_low(m: &MemoryUsage) -> bool {
    let avail = m.available_mib.unwrap_or(m.free_mib);
    let low = m.total_mib > 0.0 && avail / m.total_mib < 0.1;
    let swap_full = m
        .swap_total_mib
        .zip(m.swap_used_mib)
        .is_some_and(|(t, u)| t > 0.0 && u / t > 0.8);
    low || swap_full
}

fn check(model: &Model<'_>, out: &mut Vec<Draft>) {
    let mut kills: Vec<(usize, Span, String, Option<String>, bool)> = Vec::new(); // artifact, span, note, time, oom
    for k in model.all::<OomKill>() {
        kills.push((
            k.artifact,
            k.span,
            format!(
                "the kernel's OOM killer kills {} (pid {})",
                k.process,
                k.pid.map_or("?".into(), |p| p.to_string())
            ),
            None,
            true,
        ));
    }
    for k in model.all::<KernelEvent>().filter(|k| k.class == "oom-killer-invoked") {
        kills.push((
            k.artifact,
            k.span,
            "the kernel runs out of memory and invokes the OOM killer".into(),
            None,
            true,
        ));
    }
    for e in model
        .all::<FpmEvent>()
        .filter(|e| e.class == FpmClass::ExitedOnSignal && e.signal == Some(9))
    {
        kills.push((
            e.artifact,
            e.span,
            "a PHP-FPM worker is killed with SIGKILL: FPM never sends it, the OOM killer usually does".into(),
            e.time.clone(),
            false,
        ));
    }
    let timed_out: Vec<u64> = model
        .all::<AppEvent>()
        .filter(|a| a.class == "worker-timeout")
        .filter_map(|a| a.number)
        .collect();
    for a in model.all::<AppEvent>().filter(|a| a.class == "worker-killed") {
        if a.number.is_some_and(|n| timed_out.contains(&n)) {
            continue; // killed at its time limit
        }
        kills.push((
            a.artifact,
            a.span,
            format!("a {} worker is killed with SIGKILL (out of memory)", a.server),
            a.time.clone(),
            false,
        ));
    }
    // Kubernetes: a container killed at its memory limit (`Last State: Terminated, Reason:
    // OOMKilled` in `kubectl describe pod`, `OOMKilled` in `kubectl get pods`).
    let mut pod_kill: Option<(String, String, Option<String>)> = None; // container, pod, limit
    for o in model.all::<KubeObject>().filter(|o| o.object == "pod") {
        for (key, value) in &o.fields {
            let container = key.strip_prefix("Containers.").and_then(|k| {
                k.strip_suffix(".Last State.Reason")
                    .or_else(|| k.strip_suffix(".State.Reason"))
            });
            let oom_here = match container {
                Some(_) => value.trim() == "OOMKilled",
                None => matches!(key.as_str(), "STATUS" | "Status") && value.trim() == "OOMKilled",
            };
            if !oom_here {
                continue;
            }
            let c = container.unwrap_or("").to_string();
            let field = |suffix: &str| {
                o.fields
                    .iter()
                    .find(|(k, _)| *k == format!("Containers.{c}.{suffix}"))
                    .map(|(_, v)| v.trim().to_string())
            };
            let limit = field("Limits.memory");
            let restarts = field("Restart Count").or_else(|| {
                o.fields
                    .iter()
                    .find(|(k, _)| k == "RESTARTS")
                    .map(|(_, v)| v.trim().to_string())
            });
            let what = if c.is_empty() {
                format!("pod {}", o.name)
            } else {
                format!("container {c} of pod {}", o.name)
            };
            let mut note = format!("the {what} was OOMKilled");
            if let Some(l) = &limit {
                note.push_str(&format!(" at its memory limit {l}"));
            }
            if let Some(r) = restarts.filter(|r| r != "0") {
                note.push_str(&format!(
                    ", restarted {r} times: each restart drops the requests it held"
                ));
            }
            kills.push((o.artifact, o.span, note, None, true));
            pod_kill.get_or_insert((if c.is_empty() { o.name.clone() } else { c }, o.name.clone(), limit));
        }
    }
    if kills.is_empty() {
        return;
    }
    let oom = kills.iter().any(|k| k.4);
    let process = model
        .all::<OomKill>()
        .next()
        .map(|k| k.process.clone())
        .or_else(|| {
            model
                .all::<AppEvent>()
                .find(|a| a.class == "worker-killed")
                .map(|a| a.server.clone())
        })
        .unwrap_or_else(|| "php-fpm".into());
    let mut confidence: f32 = if oom { 0.74 } else { 0.6 };
    let title = if oom {
        format!("The host ran out of memory: the kernel's OOM killer killed {process} mid-request")
    } else {
        format!("{process} workers are killed with SIGKILL mid-request: the host is likely out of memory")
    };
    let title = match &pod_kill {
        Some((container, _, limit)) if model.all::<OomKill>().next().is_none() => format!(
            "The container {container} is killed at its memory limit{} (OOMKilled): requests in flight fail",
            limit.as_deref().map_or(String::new(), |l| format!(" of {l}"))
        ),
        _ => title,
    };
    let mut d = Draft::new(Cause::ServerOverload, confidence, title);
    if let Some((container, pod, limit)) = &pod_kill {
        d.value("container", container.as_str()).value("pod", pod.as_str());
        if let Some(l) = limit {
            d.value("memory_limit", l.as_str());
        }
    }
    for (a, s, n, _, _) in kills.iter().take(4) {
        d.support(*a, *s, n.clone());
    }
    let lost = model.lost_before_header();
    let near = first_near(&lost, |l| l.time.as_deref(), kills.iter().map(|k| k.3.clone()), 3);
    if let Some(l) = near.or(lost.first()) {
        confidence += if near.is_some() { 0.2 } else { 0.17 };
        d.support(
            l.artifact,
            l.span,
            "nginx loses the connection the killed worker held: 502",
        );
        d.value("status", "502");
        if let Some(ep) = Model::event_endpoint(l) {
            d.value("upstream", ep.to_string());
        }
    }
    if let Some(m) = model.all::<MemoryUsage>().find(|m| memory_low(m)) {
        confidence += 0.04;
        let avail = m.available_mib.unwrap_or(m.free_mib);
        d.support(
            m.artifact,
            m.span,
            format!(
                "only {} MiB of {} MiB available",
                fixed(avail, 0),
                fixed(m.total_mib, 0)
            ),
        );
    }
    d.value("process", process.as_str());
    d.confidence = confidence.clamp(0.15, 0.96);
    out.push(d);
}

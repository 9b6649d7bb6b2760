//! `fpm-execution-timed-out`: PHP-FPM killed a worker at `request_terminate_timeout` while nginx
//! waited for its answer.
//!
//! ## What it looks for
//! PHP-FPM's `child N, script '...' execution timed out (30.41 sec), terminating`, usually
//! followed by `child N exited on signal 15 (SIGTERM)`, together with nginx's
//! `upstream prematurely closed connection` or `recv() failed (104: Connection reset by peer)`
//! while reading the response header from a FastCGI upstream, at about the same time. The
//! pool's `request_terminate_timeout` and nginx's `fastcgi_read_timeout` give the numbers.
//!
//! ## Why it matters
//! The script ran longer than the pool allows, so FPM killed its worker mid-request and nginx
//! got a closed connection: a 502 (not a 504), with no PHP error anywhere, because a killed
//! worker writes none. `request_terminate_timeout` overrides `max_execution_time`.
//!
//! ## Weakened by
//! nginx timing out first (`upstream timed out ... reading response header`, a 504: nginx gave
//! up, FPM killed the worker later, `upstream-timeout`), no nginx line at the time (the killed
//! request may not be the one that failed).

use crate::cause::Cause;
use crate::facts::{ErrorEvent, FpmClass, FpmEvent, FpmPool, MessageClass};
use crate::model::events::status_of;
use crate::model::time::{duration_secs, first_near};
use crate::model::{At, Model};
use crate::rules::{Draft, Rule};

/// The rule.
pub const RULE: Rule = Rule {
    id: "fpm-execution-timed-out",
    cause: Cause::PhpFpmRequestTerminated,
    doc: "PHP-FPM logs 'execution timed out ... terminating' (request_terminate_timeout) while nginx loses the FastCGI connection",
    check,
};

/// Seconds in `execution timed out (30.412305 sec)`.
fn elapsed(message: &str) -> Option<u64> {
    let i = message.find("execution timed out (")?;
    let rest = &message[i + "execution timed out (".len()..];
    let n: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
    n.parse().ok()
}

fn check(model: &Model<'_>, out: &mut Vec<Draft>) {
    let timed_out: Vec<At<'_, FpmEvent>> = model
        .all::<FpmEvent>()
        .filter(|e| e.class == FpmClass::ExecutionTimedOut)
        .collect();
    let Some(first) = timed_out.first() else { return };
    let mut confidence: f32 = 0.8;
    let script = first.script.clone();
    let pool_name = first.pool.clone();
    let pool: Option<At<'_, FpmPool>> = model.all::<FpmPool>().find(|p| {
        p.request_terminate_timeout.is_some() && pool_name.as_deref().is_none_or(|n| p.name.is_empty() || p.name == n)
    });
    let terminate = pool
        .and_then(|p| p.request_terminate_timeout.clone())
        .or_else(|| elapsed(&first.message).map(|s| format!("{s}s")));
    let title = match (&script, &terminate) {
        (Some(s), Some(t)) => {
            format!("PHP-FPM killed {s} after {t} (request_terminate_timeout): nginx got a closed connection")
        }
        (None, Some(t)) => {
            format!("PHP-FPM killed the worker after {t} (request_terminate_timeout): nginx got a closed connection")
        }
        _ => "PHP-FPM killed the worker at request_terminate_timeout: nginx got a closed connection".to_string(),
    };
    let mut d = Draft::new(Cause::PhpFpmRequestTerminated, confidence, title);
    for e in timed_out.iter().take(2) {
        d.support(
            e.artifact,
            e.span,
            "PHP-FPM ends the request at request_terminate_timeout and kills its worker",
        );
    }
    if let Some(t) = &terminate {
        d.value("terminate_timeout", t.as_str());
    }
    if let Some(s) = &script {
        d.value("file", s.as_str());
    }
    if let Some(p) = &pool_name {
        d.value("fpm_pool", p.as_str());
    }
    // The SIGTERM that follows, for the same child.
    if let Some(sig) = model.all::<FpmEvent>().find(|e| {
        e.class == FpmClass::ExitedOnSignal && e.signal == Some(15) && e.child.is_some() && e.child == first.child
    }) {
        d.support(sig.artifact, sig.span, "the worker is terminated with SIGTERM");
    }
    if let Some(p) = pool {
        d.support(
            p.artifact,
            p.span,
            format!(
                "request_terminate_timeout = {}",
                p.request_terminate_timeout.as_deref().unwrap_or("")
            ),
        );
        if let Some(f) = &p.file {
            d.value("fpm_conf", f.as_str());
        }
    }
    // nginx's side: the connection lost before the header.
    let lost: Vec<At<'_, ErrorEvent>> = model
        .lost_before_header()
        .into_iter()
        .filter(|e| model.is_php_event(e) || e.upstream.is_none())
        .collect();
    let near = first_near(
        &lost,
        |e| e.time.as_deref(),
        timed_out.iter().map(|t| t.time.clone()),
        3,
    );
    if let Some(e) = near.or(lost.first()) {
        confidence += if near.is_some() { 0.15 } else { 0.11 };
        let when = if near.is_some() { " in the same moment" } else { "" };
        d.support(
            e.artifact,
            e.span,
            format!("nginx loses the FastCGI connection before the response header{when}: 502"),
        );
        d.value("status", "502");
    }
    let (read, directive) = model.fastcgi_read_timeout();
    d.value("timeout", format!("{read}s"));
    d.value("timeout_directive", "fastcgi_read_timeout");
    if let Some(dir) = directive {
        let limit = terminate.as_deref().and_then(duration_secs);
        if limit.is_some_and(|l| l < read) {
            d.support(
                dir.artifact,
                dir.span,
                format!("nginx would wait {read}s: FPM's limit fires first"),
            );
        }
    }
    // nginx timed out first: the client got a 504.
    let timeouts: Vec<_> = model
        .events(MessageClass::UpstreamTimedOut)
        .filter(|e| status_of(e) == Some(504) && (model.is_php_event(e) || e.upstream.is_none()))
        .collect();
    if let Some(t) = timeouts.first()
        && near.is_none()
    {
        confidence -= 0.3;
        d.against(
            t.artifact,
            t.span,
            "nginx timed out first (504): FPM's kill came after nginx had given up",
        );
        d.value("status", "504");
    }
    d.confidence = confidence.clamp(0.15, 0.96);
    out.push(d);
}

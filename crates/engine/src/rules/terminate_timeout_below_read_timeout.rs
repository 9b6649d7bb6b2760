//! `terminate-timeout-below-read-timeout`: the pool's `request_terminate_timeout` is shorter than
//! nginx's `fastcgi_read_timeout`, and nginx loses FastCGI connections mid-request.
//!
//! ## What it looks for
//! A PHP-FPM pool with `request_terminate_timeout` set (not 0) below nginx's
//! `fastcgi_read_timeout` (60 s when not set), and nginx's `upstream prematurely closed
//! connection` / `recv() failed (104: ...)` while reading the response header from a FastCGI
//! upstream. Without the FPM log's `execution timed out` line this reads the settings: a slow
//! request is killed by FPM before nginx would time out.
//!
//! ## Why it matters
//! Long requests (imports, reports, exports) then end in a 502 instead of finishing or
//! producing a 504, and raising `max_execution_time` or `fastcgi_read_timeout` does not help.
//!
//! ## Weakened by
//! No nginx line showing a lost connection (then it is only a setting that makes it possible),
//! a timeout at or above nginx's (nginx gives up first: 504), a crash signal in the FPM log
//! (SIGSEGV: `upstream-crash`).

use crate::cause::Cause;
use crate::facts::{FpmClass, FpmEvent, FpmPool};
use crate::model::Model;
use crate::model::time::duration_secs;
use crate::rules::{Draft, Rule};

/// The rule.
pub const RULE: Rule = Rule {
    id: "terminate-timeout-below-read-timeout",
    cause: Cause::PhpFpmRequestTerminated,
    doc: "request_terminate_timeout is shorter than fastcgi_read_timeout while nginx loses FastCGI connections before the header",
    check,
};

fn check(model: &Model<'_>, out: &mut Vec<Draft>) {
    let (read, directive) = model.fastcgi_read_timeout();
    let Some((pool, limit)) = model.all::<FpmPool>().find_map(|p| {
        let l = p.request_terminate_timeout.as_deref().and_then(duration_secs)?;
        (l > 0 && l < read).then_some((p, l))
    }) else {
        return;
    };
    let lost: Vec<_> = model
        .lost_before_header()
        .into_iter()
        .filter(|e| model.is_php_event(e))
        .collect();
    let crashed = model
        .all::<FpmEvent>()
        .any(|e| e.class == FpmClass::ExitedOnSignal && matches!(e.signal, Some(6 | 7 | 9 | 11)));
    let mut confidence: f32 = if lost.is_empty() { 0.35 } else { 0.66 };
    let terminate = pool.request_terminate_timeout.clone().unwrap_or_default();
    let mut d = Draft::new(
        Cause::PhpFpmRequestTerminated,
        confidence,
        format!(
            "PHP-FPM kills requests after {terminate} (request_terminate_timeout), before nginx's {read}s fastcgi_read_timeout"
        ),
    );
    d.support(
        pool.artifact,
        pool.span,
        format!("request_terminate_timeout = {terminate}: FPM kills a worker after {limit}s"),
    );
    if let Some(dir) = directive {
        d.support(
            dir.artifact,
            dir.span,
            format!("nginx waits up to {read}s for the response header"),
        );
    }
    for e in lost.iter().take(2) {
        d.support(
            e.artifact,
            e.span,
            "nginx loses the FastCGI connection before the response header: 502",
        );
    }
    if !lost.is_empty() {
        d.value("status", "502");
    }
    if crashed
        && let Some(c) = model
            .all::<FpmEvent>()
            .find(|e| e.class == FpmClass::ExitedOnSignal && matches!(e.signal, Some(6 | 7 | 9 | 11)))
    {
        confidence -= 0.25;
        d.against(
            c.artifact,
            c.span,
            "a worker died of another signal: a crash or a kill, not the timeout",
        );
    }
    d.value("terminate_timeout", terminate.as_str());
    d.value("timeout", format!("{read}s"));
    d.value("timeout_directive", "fastcgi_read_timeout");
    if !pool.name.is_empty() {
        d.value("fpm_pool", pool.name.as_str());
    }
    if let Some(f) = &pool.file {
        d.value("fpm_conf", f.as_str());
    }
    d.confidence = confidence.clamp(0.15, 0.9);
    out.push(d);
}

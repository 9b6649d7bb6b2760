//! `fpm-child-crashed`: a PHP-FPM worker died of a crash signal while nginx waited for it.
//!
//! ## What it looks for
//! PHP-FPM's `child N exited on signal 11 (SIGSEGV - core dumped)` (also SIGBUS, SIGABRT,
//! SIGILL, SIGFPE), `child N exited with code 255`, `failed processes threshold ... reached`, a
//! kernel `php-fpm...: segfault at ...` line, together with nginx's `recv() failed (104:
//! Connection reset by peer)` or `upstream prematurely closed connection` while reading the
//! response header from a FastCGI upstream, ideally in the same second.
//!
//! ## Why it matters
//! The worker died with the request in hand: nginx gets a reset or an early close and answers
//! 502. A segfault is a bug in PHP or an extension (opcache, JIT, a PECL module), not in the
//! script: a PHP error would give a 500, not a dead worker.
//!
//! ## Weakened by
//! No nginx line at the time (crashes between requests cost nothing), SIGTERM after `execution
//! timed out` (that is `request_terminate_timeout`: `php-fpm-request-terminated`), SIGKILL (an
//! external kill, usually the OOM killer: `server-overload`), exit code 0 (a normal recycle).

use crate::cause::Cause;
use crate::facts::{FpmClass, FpmEvent, KernelEvent};
use crate::model::time::first_near;
use crate::model::{At, Model};
use crate::rules::{Draft, Rule};

/// The rule.
pub const RULE: Rule = Rule {
    id: "fpm-child-crashed",
    cause: Cause::UpstreamCrash,
    doc: "a PHP-FPM worker exits on SIGSEGV/SIGBUS/SIGABRT (or code 255) while nginx loses the FastCGI connection",
    check,
};

/// The signal name of a crash signal number.
fn crash_signal(n: u32) -> Option<&'static str> {
    Some(match n {
        4 => "SIGILL",
        6 => "SIGABRT",
        7 => "SIGBUS",
        8 => "SIGFPE",
        11 => "SIGSEGV",
        _ => return None,
    })
}

fn check(model: &Model<'_>, out: &mut Vec<Draft>) {
    let crashes: Vec<(At<'_, FpmEvent>, String)> = model
        .all::<FpmEvent>()
        .filter_map(|e| {
            let what = match e.class {
                FpmClass::ExitedOnSignal => crash_signal(e.signal?)?.to_string(),
                FpmClass::ExitedWithCode if e.exit_code.is_some_and(|c| c != 0) => {
                    format!("exit code {}", e.exit_code.unwrap_or_default())
                }
                FpmClass::FailedProcessesThreshold => "repeated crashes".to_string(),
                _ => return None,
            };
            Some((e, what))
        })
        .collect();
    let kernel: Vec<At<'_, KernelEvent>> = model
        .all::<KernelEvent>()
        .filter(|k| {
            matches!(k.class.as_str(), "segfault" | "general-protection-fault" | "trap")
                && k.process.as_deref().is_some_and(|p| p.contains("php"))
        })
        .collect();
    if crashes.is_empty() && kernel.is_empty() {
        return;
    }
    let what = crashes
        .first()
        .map(|(_, w)| w.clone())
        .unwrap_or_else(|| "a segfault".to_string());
    let signal = crashes.iter().any(|(e, _)| e.class == FpmClass::ExitedOnSignal) || !kernel.is_empty();
    let mut confidence: f32 = if signal { 0.64 } else { 0.5 };
    let mut d = Draft::new(
        Cause::UpstreamCrash,
        confidence,
        format!("PHP-FPM workers crash ({what}) mid-request: nginx loses the connection (502)"),
    );
    for (e, w) in crashes.iter().take(3) {
        d.support(e.artifact, e.span, format!("a PHP-FPM worker dies ({w})"));
    }
    for k in kernel.iter().take(2) {
        d.support(k.artifact, k.span, "the kernel reports the PHP process crashing");
    }
    let lost: Vec<_> = model
        .lost_before_header()
        .into_iter()
        .filter(|e| model.is_php_event(e) || e.upstream.is_none())
        .collect();
    let near = first_near(
        &lost,
        |l| l.time.as_deref(),
        crashes.iter().map(|(c, _)| c.time.clone()),
        3,
    );
    if let Some(l) = near.or(lost.first()) {
        confidence += if near.is_some() { 0.28 } else { 0.24 };
        d.support(
            l.artifact,
            l.span,
            "nginx loses the connection before the response header: the worker died with the request (502)",
        );
        d.value("status", "502");
        if let Some(ep) = Model::event_endpoint(l) {
            d.value("upstream", ep.to_string());
            if let Some(p) = ep.unix_path() {
                d.value("socket", p);
            }
        }
    }
    d.value("process", "php-fpm");
    if let Some(p) = crashes.iter().find_map(|(e, _)| e.pool.clone()) {
        d.value("fpm_pool", p);
    }
    d.value("fpm_service", model.fpm_service_name(None));
    d.confidence = confidence.clamp(0.15, 0.95);
    out.push(d);
}

//! `fpm-max-children-reached`: PHP-FPM says every worker is busy, and nginx's FastCGI requests
//! fail or time out meanwhile.
//!
//! ## What it looks for
//! PHP-FPM's `server reached pm.max_children setting (N), consider raising it` (or
//! `max_children` for ondemand pools, `process.max`, `seems busy`), then nginx's side: `(11:
//! Resource temporarily unavailable)` on the FPM socket (502) or `upstream timed out (110) while
//! reading response header` from a FastCGI upstream (504: requests waited in the queue until
//! `fastcgi_read_timeout`). A full queue in `ss -xl` and slow-log entries (what holds the
//! workers) add to it.
//!
//! ## Why it matters
//! With every worker busy new requests queue; when the queue overflows or nginx's timeout
//! fires first, users get 502 or 504. Usually a slow dependency (database, external API) holds
//! the workers, and `pm.max_children` is still the package default.
//!
//! ## Weakened by
//! No nginx error at the same time (the warning alone is common and harmless at peaks), a host
//! out of memory (more workers would make it worse: `server-overload`).

use crate::cause::Cause;
use crate::facts::{ErrorEvent, FpmEvent, FpmPool, MessageClass};
use crate::model::events::status_of;
use crate::model::fpm::Strength;
use crate::model::{At, Model};
use crate::rules::{Draft, Rule};

/// The rule.
pub const RULE: Rule = Rule {
    id: "fpm-max-children-reached",
    cause: Cause::PhpFpmPoolExhausted,
    doc: "PHP-FPM logs 'server reached pm.max_children' (or seems busy) while nginx's FastCGI requests fail with EAGAIN or time out",
    check,
};

fn check(model: &Model<'_>, out: &mut Vec<Draft>) {
    let saturation = model.fpm_saturation_signs();
    let Some(first) = saturation.iter().find(|s| s.strength >= Strength::Medium) else {
        return;
    };
    let limit = model.all::<FpmEvent>().find_map(|e| e.limit);
    let eagain: Vec<At<'_, ErrorEvent>> = model
        .events(MessageClass::ConnectFailed)
        .filter(|e| e.errno == Some(11) && model.is_php_event(e))
        .collect();
    let timeouts: Vec<At<'_, ErrorEvent>> = model
        .events(MessageClass::UpstreamTimedOut)
        .filter(|e| status_of(e) == Some(504) && model.is_php_event(e))
        .collect();
    let strong = first.strength == Strength::Strong;
    let mut confidence: f32 = if strong { 0.64 } else { 0.5 };
    let workers = match limit {
        Some(n) => format!("all {n} PHP-FPM workers are busy"),
        None => "every PHP-FPM worker is busy".to_string(),
    };
    let title = if !eagain.is_empty() {
        confidence += if strong { 0.29 } else { 0.2 };
        format!("The PHP-FPM pool is exhausted: {workers} and the socket queue overflows (502)")
    } else if !timeouts.is_empty() {
        confidence += if strong { 0.22 } else { 0.15 };
        format!("The PHP-FPM pool is exhausted: {workers}, requests wait in the queue until nginx gives up (504)")
    } else {
        format!("The PHP-FPM pool is exhausted: {workers}")
    };
    let mut d = Draft::new(Cause::PhpFpmPoolExhausted, confidence, title);
    for s in saturation.iter().take(4) {
        d.support(s.artifact, s.span, s.note.clone());
    }
    for e in eagain.iter().take(2) {
        d.support(e.artifact, e.span, "nginx finds the socket's queue full (EAGAIN): 502");
    }
    for e in timeouts.iter().take(2) {
        d.support(
            e.artifact,
            e.span,
            "the request waited for a free worker until fastcgi_read_timeout: 504",
        );
    }
    if !eagain.is_empty() {
        d.value("status", "502");
    } else if !timeouts.is_empty() {
        d.value("status", "504");
    }
    if let Some(n) = limit.or_else(|| model.all::<FpmPool>().find_map(|p| p.max_children)) {
        d.value("max_children", n.to_string());
    }
    if let Some(p) = &first.name {
        d.value("fpm_pool", p.as_str());
    }
    if let Some(p) = model.all::<FpmPool>().find(|p| p.max_children.is_some()) {
        d.support(
            p.artifact,
            p.span,
            format!("pm.max_children = {}", p.max_children.unwrap_or_default()),
        );
        if let Some(f) = &p.file {
            d.value("fpm_conf", f.as_str());
        }
    }
    if let Some(e) = eagain.first().or(timeouts.first())
        && let Some(ep) = Model::event_endpoint(e)
    {
        if let Some(p) = ep.unix_path() {
            d.value("socket", p);
        }
        d.value("upstream", ep.to_string());
    }
    d.confidence = confidence.clamp(0.15, 0.95);
    out.push(d);
}

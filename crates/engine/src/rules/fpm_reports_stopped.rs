//! `fpm-reports-stopped`: PHP-FPM's own unit or log says it is stopped or could not start.
//!
//! ## What it looks for
//! `systemctl status php*-fpm` showing `inactive (dead)`, `failed` or a restart loop; a PHP-FPM
//! log whose last life-cycle line is `exiting, bye-bye!`; start-up failures in the FPM log
//! (`FPM initialization failed`, `unable to bind listening socket`, `Another FPM instance seems
//! to already listen`, `Unable to create the PID file`, `cannot get uid`, a configuration error);
//! systemd's `Failed to start ... FastCGI Process Manager`. Stronger when nginx's error log shows
//! FastCGI connections failing at the same time.
//!
//! ## Why it matters
//! With PHP-FPM down nginx has no FastCGI server: every PHP request gets a 502. The FPM log line
//! usually names why it did not start (a missing run directory, a port or socket in use, a bad
//! pool file).
//!
//! ## Weakened by
//! A PHP-FPM of another version, or another unit, running and listening (the stopped unit may just
//! be a leftover: `fastcgi-pass-mismatch` if nginx dials it), a later `ready to handle
//! connections`, nginx errors on the FastCGI target that are not connection failures.

use crate::cause::Cause;
use crate::facts::{ErrorEvent, MessageClass};
use crate::model::Model;
use crate::model::fpm::Strength;
use crate::rules::{Draft, Rule};

/// The rule.
pub const RULE: Rule = Rule {
    id: "fpm-reports-stopped",
    cause: Cause::PhpFpmDown,
    doc: "PHP-FPM's unit is inactive/failed or its log shows it stopping or failing to start",
    check,
};

fn check(model: &Model<'_>, out: &mut Vec<Draft>) {
    let down = model.fpm_down_signs();
    let Some(first) = down.first() else { return };
    let mut confidence: f32 = 0.66;
    let mut d = Draft::new(
        Cause::PhpFpmDown,
        confidence,
        format!("PHP-FPM is not running: {}", first.note),
    );
    for s in down.iter().take(4) {
        d.support(s.artifact, s.span, s.note.clone());
    }
    let service = down
        .iter()
        .find_map(|s| s.name.clone())
        .unwrap_or_else(|| model.fpm_service_name(first.version.as_deref()));
    d.value("fpm_service", service);
    if let Some(c) = down.iter().find_map(|s| s.container.clone()) {
        d.value("container", c);
    }
    if let Some(v) = down.iter().find_map(|s| s.version.clone()) {
        d.value("php_version", v);
    }
    // Two artifacts agree (the unit or container and FPM's own log).
    let mut artifacts: Vec<usize> = down.iter().map(|s| s.artifact).collect();
    crate::sort::ascending(&mut artifacts);
    artifacts.dedup();
    if artifacts.len() >= 2 {
        confidence += 0.1;
    }
    // nginx failing to connect to a FastCGI target at the same time.
    let failing: Vec<_> = model
        .all::<ErrorEvent>()
        .filter(|e| e.class == MessageClass::ConnectFailed && matches!(e.errno, Some(2 | 111)) && model.is_php_event(e))
        .collect();
    if let Some(e) = failing.first() {
        confidence += 0.2;
        d.support(e.artifact, e.span, "nginx cannot connect to PHP-FPM meanwhile");
        if let Some(ep) = Model::event_endpoint(e) {
            if let Some(p) = ep.unix_path() {
                d.value("socket", p);
            }
            d.value("upstream", ep.to_string());
        }
    }
    // Another PHP-FPM running: the stopped unit may be a leftover.
    let down_versions: Vec<Option<String>> = down.iter().map(|s| s.version.clone()).collect();
    let other_up: Vec<_> = model
        .fpm_up_signs()
        .into_iter()
        .filter(|u| match &u.version {
            Some(v) => !down_versions.iter().any(|dv| dv.as_deref() == Some(v.as_str())),
            None => false,
        })
        .collect();
    let same_up: Vec<_> = model
        .fpm_up_signs()
        .into_iter()
        .filter(|u| u.version.is_none() || down_versions.iter().any(|dv| dv.is_none() || *dv == u.version))
        .filter(|u| u.strength == Strength::Strong && u.endpoint.is_none())
        .collect();
    if let Some(u) = other_up.first() {
        confidence -= 0.3;
        d.against(
            u.artifact,
            u.span,
            format!("{}: another PHP-FPM runs, the stopped one may be a leftover", u.note),
        );
    }
    if let Some(u) = same_up.first()
        && other_up.is_empty()
    {
        confidence -= 0.3;
        d.against(u.artifact, u.span, format!("{}: it runs again", u.note));
    }
    d.confidence = confidence.clamp(0.15, 0.95);
    out.push(d);
}

//! `backend-unit-not-running`: the application server's unit is failed, stopped or does not
//! exist.
//!
//! ## What it looks for
//! `systemctl status` (or `systemctl restart` / `enable` errors) of a unit that is neither nginx
//! nor PHP-FPM nor an infrastructure service: `Active: failed`, `inactive (dead)`, or `Unit
//! X.service not found` / `Unit file X.service does not exist` (an installer that names a unit
//! the system does not have: `supervisord` on Ubuntu, where it is `supervisor`). The app
//! server's own log saying it failed to boot adds to it.
//!
//! ## Why it matters
//! The unit that runs the backend (gunicorn, supervisor, a node or java service) is what
//! listens for nginx. When it is not running, nginx has nothing to connect to and answers 502.
//!
//! ## Weakened by
//! This is service state alone: without nginx's own `connect() failed` line it does not prove
//! that this unit is the one nginx proxies to, so it stays below the rules that read the error
//! log.

use crate::cause::Cause;
use crate::facts::*;
use crate::model::Model;
use crate::model::backends::{Role, is_down};
use crate::model::reach::is_infrastructure_unit as is_infrastructure;
use crate::rules::{Draft, Rule};

/// The rule.
pub const RULE: Rule = Rule {
    id: "backend-unit-not-running",
    cause: Cause::UpstreamDown,
    doc: "the backend's systemd unit (not nginx, not PHP-FPM) is failed, inactive or not found",
    check,
};

fn check(model: &Model<'_>, out: &mut Vec<Draft>) {
    let Some(s) = model
        .services(Role::Backend)
        .filter(|s| !is_infrastructure(&s.unit))
        .find(|s| is_down(s) || s.active == "not-found")
    else {
        return;
    };
    let (conf, state) = match s.active.as_str() {
        "not-found" => (0.55, "does not exist on this system (unit not found)".to_string()),
        "failed" => (0.55, "has failed".to_string()),
        a => (
            0.45,
            format!(
                "is {a}{}",
                s.sub.as_deref().map(|x| format!(" ({x})")).unwrap_or_default()
            ),
        ),
    };
    let name = s.unit.trim_end_matches(".service").to_string();
    let mut d = Draft::new(
        Cause::UpstreamDown,
        conf,
        format!(
            "The backend service {} {state}: nothing serves nginx's upstream",
            s.unit
        ),
    );
    d.value("service", name);
    d.support(s.artifact, s.span, format!("{} {state}", s.unit));
    if let Some(other) = model
        .services(Role::Backend)
        .find(|o| o.unit == s.unit && o.span != s.span)
    {
        d.support(other.artifact, other.span, format!("{} again", s.unit));
    }
    if let Some(a) = model
        .all::<AppEvent>()
        .filter(|a| matches!(a.class.as_str(), "boot-failed" | "shutting-down"))
        .last()
    {
        d.confidence += 0.1;
        d.support(a.artifact, a.span, format!("{} stopped: {}", a.server, a.message));
    }
    out.push(d);
}

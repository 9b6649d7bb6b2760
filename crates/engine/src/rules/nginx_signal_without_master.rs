//! `nginx-signal-without-master`: `nginx -s reload` finds no running master.
//!
//! ## What it looks for
//! `nginx: [error] open() "/run/nginx.pid" failed (2: No such file or directory)` or
//! `invalid PID number "" in "/run/nginx.pid"` from `nginx -s reload|stop|quit`: there is no
//! master process to signal.
//!
//! ## Why it matters
//! The person believes they reloaded nginx; nothing happened because nginx is not running (or
//! was started with another pid file, e.g. by hand or in a container with `daemon off`).
//!
//! ## Weakened by
//! nginx processes listening in `ss`/`netstat` or an active unit: then nginx runs with another
//! pid path, and `systemctl reload nginx` is the way to signal it.

use crate::cause::Cause;
use crate::facts::*;
use crate::model::Model;
use crate::model::layers::no_master;
use crate::rules::{Draft, Rule};

/// The rule.
pub const RULE: Rule = Rule {
    id: "nginx-signal-without-master",
    cause: Cause::NginxNotRunning,
    doc: "nginx -s reload cannot read the pid file (open() \"/run/nginx.pid\" failed, invalid PID number): no nginx master is running",
    check,
};

fn check(model: &Model<'_>, out: &mut Vec<Draft>) {
    let Some(e) = model.events(MessageClass::PidFile).find(|e| no_master(e)) else {
        return;
    };
    let pid_file = e.target.as_deref().unwrap_or("the pid file").to_string();
    let mut d = Draft::new(
        Cause::NginxNotRunning,
        0.72,
        format!("nginx is not running: nginx -s finds no master process ({pid_file})"),
    );
    d.support(e.artifact, e.span, "no running nginx master to signal")
        .value("file", pid_file);
    let mut confidence: f32 = 0.72;
    if let Some(l) = model.nginx_listeners().first() {
        d.against(
            l.artifact,
            l.span,
            format!("nginx listens on {}: it runs with another pid file", l.local),
        );
        confidence -= 0.35;
    }
    if let Some(r) = model.nginx_running() {
        d.against(r.artifact, r.span, format!("{} is active (running)", r.unit));
        confidence -= 0.35;
    }
    d.confidence = confidence;
    out.push(d);
}

//! `httpd-network-boolean-off`: SELinux's `httpd_can_network_connect` is off while nginx proxies
//! to TCP backends (configuration and state only).
//!
//! ## What it looks for
//! `getsebool` printing `httpd_can_network_connect --> off` together with a `proxy_pass`,
//! `fastcgi_pass`, `uwsgi_pass` or `grpc_pass` to a TCP address, with SELinux not shown
//! permissive or disabled. Without that boolean the `httpd_t` domain nginx runs in may connect
//! only to a few web port types.
//!
//! ## Why it matters
//! On RHEL, Fedora, CentOS, Rocky and Alma this is the default, and it turns every proxied
//! request to an application port (3000, 5000, 8000...) into a 502 with `(13: Permission
//! denied)`.
//!
//! ## Weakened by
//! No error line that shows a denial (it is a setting that makes the failure possible, not proof
//! of it), SELinux permissive or disabled, nginx's connections to those backends failing with
//! another errno (then they got past SELinux), only unix-socket backends.

use crate::cause::Cause;
use crate::facts::{Endpoint, ErrorEvent, MessageClass, SeBoolean, SelinuxMode};
use crate::model::Model;
use crate::rules::{Draft, Rule};

/// The rule.
pub const RULE: Rule = Rule {
    id: "httpd-network-boolean-off",
    cause: Cause::SelinuxDenied,
    doc: "httpd_can_network_connect is off while nginx proxies to TCP backends",
    check,
};

fn check(model: &Model<'_>, out: &mut Vec<Draft>) {
    let Some(b) = model
        .all::<SeBoolean>()
        .find(|b| b.name == "httpd_can_network_connect" && !b.on)
    else {
        return;
    };
    if model.all::<SelinuxMode>().last().is_some_and(|m| m.mode != "enforcing") {
        return;
    }
    let tcp_targets: Vec<_> = model
        .targets()
        .into_iter()
        .filter(|t| t.endpoints.iter().any(|e| matches!(e, Endpoint::Tcp { .. })))
        .collect();
    let tcp_events: Vec<_> = model
        .all::<ErrorEvent>()
        .filter(|e| matches!(Model::event_endpoint(e), Some(Endpoint::Tcp { .. })))
        .filter(|e| crate::model::events::status_of(e).is_some())
        .collect();
    // Connections that failed for another reason got past SELinux.
    if tcp_events
        .iter()
        .any(|e| e.class == MessageClass::ConnectFailed && e.errno.is_some_and(|n| n != 13))
        && !tcp_events.iter().any(|e| e.errno == Some(13))
    {
        return;
    }
    if tcp_targets.is_empty() && tcp_events.is_empty() {
        return;
    }
    let confidence = if tcp_events.is_empty() { 0.45 } else { 0.55 };
    let target = tcp_targets
        .first()
        .and_then(|t| t.endpoints.iter().find(|e| matches!(e, Endpoint::Tcp { .. })).cloned())
        .or_else(|| tcp_events.first().and_then(|e| Model::event_endpoint(e)));
    let shown = target
        .as_ref()
        .map_or("its TCP backends".to_string(), |e| e.to_string());
    let mut d = Draft::new(
        Cause::SelinuxDenied,
        confidence,
        format!("SELinux's httpd_can_network_connect is off: nginx may not connect to {shown}"),
    );
    d.support(b.artifact, b.span, "httpd_can_network_connect is off");
    if let Some(t) = tcp_targets.first() {
        d.support(
            t.at.artifact,
            t.at.span,
            format!("nginx proxies to {} over TCP", t.at.raw),
        );
    }
    d.value("boolean", "httpd_can_network_connect");
    if let Some(e) = &target {
        d.value("upstream", e.to_string());
        if let Some(p) = e.port() {
            d.value("port", p.to_string());
            d.value("upstream_port", p.to_string());
        }
    }
    out.push(d);
}

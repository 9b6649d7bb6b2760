//! `tcp-connect-eacces`: nginx's TCP connect to its upstream fails with `(13: Permission denied)`.
//!
//! ## What it looks for
//! `connect() to HOST:PORT failed (13: Permission denied) while connecting to upstream` (logged
//! at `[crit]`). File permissions do not apply to a TCP port: on Linux this is a security
//! module refusing `httpd_t` the connection, almost always SELinux with
//! `httpd_can_network_connect` off. Confirmed by `getenforce` = `Enforcing`, `getsebool`
//! showing the boolean `off`, or an AVC `name_connect` denial.
//!
//! ## Why it matters
//! The backend is fine and listening; the kernel refuses nginx's connection. The targeted fix is
//! `setsebool -P httpd_can_network_connect 1` (or labelling the port), not disabling SELinux.
//!
//! ## Weakened by
//! SELinux shown permissive or disabled (then something else refuses: AppArmor, a seccomp or
//! eBPF policy), the boolean already `on` with no AVC (then the port's type may still be
//! denied: check the AVC log).

use crate::cause::Cause;
use crate::facts::{Endpoint, ErrorEvent, MacDenial, MessageClass, SeBoolean, SelinuxMode};
use crate::model::{At, Model};
use crate::rules::{Draft, Rule};

/// The rule.
pub const RULE: Rule = Rule {
    id: "tcp-connect-eacces",
    cause: Cause::SelinuxDenied,
    doc: "nginx's connect() to a TCP upstream fails with (13: Permission denied): a security module (SELinux) refuses it",
    check,
};

fn check(model: &Model<'_>, out: &mut Vec<Draft>) {
    let events: Vec<At<'_, ErrorEvent>> = model
        .events(MessageClass::ConnectFailed)
        .filter(|e| e.errno == Some(13) && matches!(Model::event_endpoint(e), Some(Endpoint::Tcp { .. })))
        .collect();
    let Some(first) = events.first() else { return };
    let Some(Endpoint::Tcp { host, port }) = Model::event_endpoint(first) else {
        return;
    };
    let target = Model::event_endpoint(first).map(|e| e.to_string()).unwrap_or_default();
    let mut confidence: f32 = 0.76;
    let mut d = Draft::new(
        Cause::SelinuxDenied,
        confidence,
        format!("SELinux forbids nginx to connect to {target} (Permission denied on a TCP port)"),
    );
    d.value("upstream", target.as_str());
    d.value("upstream_host", host.as_str());
    if let Some(p) = port {
        d.value("upstream_port", p.to_string());
        d.value("port", p.to_string());
    }
    d.value("boolean", "httpd_can_network_connect");
    for e in events.iter().take(3) {
        d.support(
            e.artifact,
            e.span,
            "errno 13 on a TCP connect: no file mode is involved, a security policy refuses it",
        );
    }
    let mode = model.all::<SelinuxMode>().last();
    let boolean = model.all::<SeBoolean>().find(|b| b.name == "httpd_can_network_connect");
    let avc = model.all::<MacDenial>().find(|m| {
        !m.permissive
            && m.permissions.iter().any(|p| p == "name_connect")
            && (m.dest_port.is_none() || m.dest_port == port)
    });
    match mode {
        Some(m) if m.mode == "enforcing" => {
            confidence += 0.09;
            d.support(m.artifact, m.span, "SELinux is enforcing");
        }
        Some(m) => {
            confidence -= 0.4;
            d.against(
                m.artifact,
                m.span,
                format!(
                    "SELinux is {}: it cannot be what refuses (AppArmor or another policy?)",
                    m.mode
                ),
            );
        }
        None => {}
    }
    match boolean {
        Some(b) if !b.on => {
            confidence += 0.1;
            d.support(
                b.artifact,
                b.span,
                "httpd_can_network_connect is off: nginx may not open outgoing connections",
            );
        }
        Some(b) if avc.is_none() => {
            confidence -= 0.2;
            d.against(
                b.artifact,
                b.span,
                "httpd_can_network_connect is already on (a port type may still be denied: check the AVC log)",
            );
        }
        _ => {}
    }
    if let Some(a) = avc {
        confidence += 0.08;
        d.support(a.artifact, a.span, "the AVC log shows the name_connect denial");
    }
    d.confidence = confidence.clamp(0.15, 0.96);
    out.push(d);
}

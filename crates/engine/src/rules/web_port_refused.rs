//! `web-port-refused`: nothing accepts connections on port 80/443 of the nginx host.
//!
//! ## What it looks for
//! `curl: (7) Failed to connect to HOST port 80|443 ...: Connection refused` together with a
//! listener listing (`ss -tlnp`, `netstat -tlnp`) where no nginx process holds any port, or no
//! process listens on 80/443 at all; a `ps` listing without an nginx master adds to it.
//!
//! ## Why it matters
//! Without `systemctl status` pasted, this is how a stopped nginx shows: refused connections
//! and nothing listening. The 502 a user sees then comes from whatever sits in front.
//!
//! ## Weakened by
//! An nginx listener or master process in the pasted listings; a refused port other than the
//! web ports (a backend port: upstream-down).

use crate::cause::Cause;
use crate::facts::*;
use crate::model::Model;
use crate::model::layers::{curl_port, nginx_master_in_ps};
use crate::rules::{Draft, Rule};

/// The rule.
pub const RULE: Rule = Rule {
    id: "web-port-refused",
    cause: Cause::NginxNotRunning,
    doc: "curl is refused on port 80/443 and the listener listing shows no nginx: nginx is not running",
    check,
};

fn check(model: &Model<'_>, out: &mut Vec<Draft>) {
    let Some(refused) = model
        .all::<CurlError>()
        .find(|c| c.code == 7 && curl_port(c).is_some_and(|p| p == 80 || p == 443))
    else {
        return;
    };
    if !model.has_tcp_listing() {
        return;
    }
    let port = curl_port(&refused).unwrap_or(80);
    let nginx = model.nginx_listeners();
    let web = model
        .all::<Listener>()
        .find(|l| l.endpoint.as_ref().and_then(Endpoint::port).is_some_and(|p| p == port));
    let mut confidence: f32 = 0.66;
    let mut d = Draft::new(
        Cause::NginxNotRunning,
        confidence,
        format!("nothing accepts connections on port {port}: nginx is not running"),
    );
    d.support(
        refused.artifact,
        refused.span,
        format!("port {port} refuses the connection"),
    )
    .value("port", port.to_string());
    match (nginx.first(), web) {
        (Some(l), _) => {
            d.against(l.artifact, l.span, format!("nginx listens on {}", l.local));
            confidence -= 0.4;
        }
        (None, Some(l)) => {
            d.against(
                l.artifact,
                l.span,
                format!("something listens on port {port}: the refusal may come from another host or firewall"),
            );
            confidence -= 0.3;
        }
        (None, None) => {
            if let Some(l) = model.all::<Listener>().next() {
                d.support(
                    l.artifact,
                    l.span,
                    format!("no process listens on port {port}, and no nginx at all"),
                );
            }
        }
    }
    match nginx_master_in_ps(model) {
        Some((false, artifact, span)) => {
            d.support(artifact, span, "no nginx master process in the process list");
            confidence += 0.08;
        }
        Some((true, artifact, span)) => {
            d.against(artifact, span, "an nginx master process is running");
            confidence -= 0.3;
        }
        None => {}
    }
    d.confidence = confidence;
    if d.confidence >= 0.15 {
        out.push(d);
    }
}

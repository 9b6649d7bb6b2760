//! `client-resolves-elsewhere`: the client's machine resolves the site to another address than
//! public DNS (an `/etc/hosts` override, a stale local resolver).
//!
//! ## What it looks for
//! `getent hosts NAME` or an `/etc/hosts` line giving one address, and `dig`/`nslookup`/`host`
//! giving another for the same site name. Corroborated by the failing response coming from
//! another server than the real one (a `Server: nginx/1.18.0` 502 while the server runs 1.24.0)
//! and by the server's access log with only successful requests.
//!
//! ## Why it matters
//! The 502 is real but comes from another machine (an old staging host, a dead VM); nothing on
//! the production server can fix it. Inferred partly from absence: be modest.
//!
//! ## Weakened by
//! The name being a backend nginx dials (then it is the server's resolution:
//! dns-resolution), and failures in the server's own logs.

use crate::cause::Cause;
use crate::facts::*;
use crate::model::Model;
use crate::model::layers::nginx_version_of;
use crate::rules::{Draft, Rule};

/// The rule.
pub const RULE: Rule = Rule {
    id: "client-resolves-elsewhere",
    cause: Cause::ClientSide,
    doc: "the client's getent//etc/hosts gives another address for the site than public DNS, and the server's logs are clean: the client reaches another machine",
    check,
};

fn check(model: &Model<'_>, out: &mut Vec<Draft>) {
    let records: Vec<_> = model.all::<DnsRecord>().collect();
    for local in records.iter().filter(|r| r.record_type == "hosts") {
        let Some(name) = model.dns_name(local) else { continue };
        let public: Vec<_> = records
            .iter()
            .filter(|r| matches!(r.record_type.as_str(), "A" | "AAAA"))
            .filter(|r| model.dns_name(r).as_deref() == Some(name.as_str()))
            .collect();
        if public.is_empty() || public.iter().any(|p| p.value.value == local.value.value) {
            continue;
        }
        // A backend nginx dials is the server's business (dns-resolution).
        let is_backend = model.targets().iter().any(|t| {
            t.at.group.as_deref().is_some_and(|g| g.eq_ignore_ascii_case(&name))
                || t.endpoints
                    .iter()
                    .any(|e| matches!(e, Endpoint::Tcp { host, .. } if host.eq_ignore_ascii_case(&name)))
        }) || model.all::<UpstreamGroup>().any(|g| {
            g.servers
                .iter()
                .any(|s| s.address.split(':').next() == Some(name.as_str()))
        });
        if is_backend {
            continue;
        }
        let mut confidence: f32 = 0.55;
        let mut d = Draft::new(
            Cause::ClientSide,
            confidence,
            format!(
                "this machine resolves {name} to {}, public DNS says {}: it reaches another server",
                local.value.value, public[0].value.value
            ),
        );
        d.support(
            local.artifact,
            local.span,
            format!("locally {name} is {}", local.value.value),
        )
        .support(
            public[0].artifact,
            public[0].span,
            format!("public DNS: {name} is {}", public[0].value.value),
        )
        .value("name", name.clone())
        .value("host", name.clone());
        for other in records
            .iter()
            .filter(|r| {
                r.record_type == "hosts" && r.span != local.span && model.dns_name(r).as_deref() == Some(name.as_str())
            })
            .take(1)
        {
            d.support(other.artifact, other.span, "the local override");
        }
        // The failing response came from another nginx than the server's.
        let versions: Vec<_> = model.all::<NginxBuild>().collect();
        for r in model.all::<HttpResponse>().filter(|r| r.status >= 500) {
            if r.url.as_deref().is_none_or(|u| u.contains(&name))
                && let Some(v) = nginx_version_of(&r)
                && let Some(b) = versions.iter().find(|b| b.version != v)
            {
                d.support(r.artifact, r.span, format!("the {} comes from nginx {v}", r.status))
                    .support(b.artifact, b.span, format!("the server runs nginx {}", b.version));
                confidence += 0.15;
                break;
            }
        }
        let logs = model.server_logs();
        if logs.access_entries > 0 && logs.clean() {
            if let Some(a) = model.all::<AccessEntry>().next() {
                d.support(
                    a.artifact,
                    a.span,
                    "the server's access log shows only successful requests",
                );
            }
            confidence += 0.12;
        }
        if let Some(e) = logs.error_failures.first() {
            d.against(e.artifact, e.span, "the server itself logs failures");
            confidence -= 0.3;
        }
        if let Some(a) = logs.access_failures.first() {
            d.against(
                a.artifact,
                a.span,
                format!("the server's access log records {}", a.status),
            );
            confidence -= 0.25;
        }
        d.confidence = confidence.clamp(0.0, 0.88);
        out.push(d);
        return;
    }
}

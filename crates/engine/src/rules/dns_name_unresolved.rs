//! `upstream-name-not-resolved`: nginx cannot turn the backend's name into an address.
//!
//! ## What it looks for
//! `NAME could not be resolved (3: Host not found)` / `(2: Server failure)` / `(110: Operation
//! timed out)` (runtime resolver), `no resolver defined to resolve NAME` (a `proxy_pass` with
//! variables and no `resolver`), `host not found in upstream "NAME"` (start-up). Across
//! artifacts: `dig`/`nslookup`/`host` answering NXDOMAIN or SERVFAIL for NAME; a `resolver
//! 127.0.0.11` (Docker's embedded DNS) where the system's `resolv.conf` names another server or
//! nothing shows Docker; `recv() failed (111) while resolving, resolver: X` (the resolver does
//! not answer); a short name (no dot) resolved by nginx's own resolver, which ignores the
//! `search` domains of `resolv.conf` (Kubernetes `api` vs `api.default.svc.cluster.local`).
//!
//! ## Why it matters
//! Without an address nginx has nothing to connect to: a runtime lookup failure is a 502 for
//! that request (a resolver timeout too, not a 504), and a start-up failure stops nginx from
//! loading the configuration at all.
//!
//! ## Weakened by
//! NAME being a compose service or container (then the container-networking rule, which reads
//! the networks, usually explains it better: the name resolves only on a shared network).

use crate::cause::Cause;
use crate::facts::*;
use crate::model::Model;
use crate::rules::{Draft, Rule};

/// The rule.
pub const RULE: Rule = Rule {
    id: "upstream-name-not-resolved",
    cause: Cause::DnsResolution,
    doc: "could not be resolved / no resolver defined / host not found in upstream, with dig answers, the resolver directive and resolv.conf read against it",
    check,
};

/// The host part of `name:port`, without a trailing dot.
fn host_of(name: &str) -> &str {
    let h = match name.rsplit_once(':') {
        Some((h, p)) if p.bytes().all(|b| b.is_ascii_digit()) && !h.contains(':') => h,
        _ => name,
    };
    h.trim_end_matches('.')
}

fn same_name(a: &str, b: &str) -> bool {
    a.trim_end_matches('.').eq_ignore_ascii_case(b.trim_end_matches('.'))
}

fn check(model: &Model<'_>, out: &mut Vec<Draft>) {
    let events: Vec<_> = model
        .all::<ErrorEvent>()
        .filter(|e| {
            matches!(
                e.class,
                MessageClass::CouldNotBeResolved | MessageClass::NoResolver | MessageClass::HostNotFoundInUpstream
            )
        })
        .collect();
    let Some(first) = events.first().copied() else { return };
    let name = first.target.as_deref().map(host_of).unwrap_or("").to_string();
    let (mut conf, title, note): (f32, String, String) = match first.class {
        MessageClass::NoResolver => (
            0.85,
            format!("proxy_pass builds the address of {name} from a variable, but no resolver is configured"),
            "a variable in the *_pass address means a lookup per request, and nginx has no `resolver` for it"
                .to_string(),
        ),
        MessageClass::HostNotFoundInUpstream => (
            0.8,
            format!("nginx cannot resolve {name} when it loads its configuration"),
            format!("{name} has no address at start-up: nginx refuses this configuration"),
        ),
        _ => {
            let why = match first.errno {
                Some(3) => "the DNS server says the name does not exist (NXDOMAIN)".to_string(),
                Some(2) => "the DNS server fails to answer for it (SERVFAIL)".to_string(),
                Some(110) => "no DNS server answered nginx's resolver in time".to_string(),
                Some(5) => "the DNS server refused the query".to_string(),
                _ => "nginx's resolver got no address".to_string(),
            };
            (
                0.78,
                format!("The backend name {name} does not resolve: {why}"),
                format!("nginx's runtime lookup of {name} fails: {why}"),
            )
        }
    };
    let mut d = Draft::new(Cause::DnsResolution, conf, title);
    d.value("name", name.clone());
    d.value("status", "502");
    d.support(first.artifact, first.span, note);
    let same: Vec<_> = events.iter().filter(|e| e.span != first.span).collect();
    if let Some(e) = same.first() {
        d.support(e.artifact, e.span, format!("{} lookup failures in all", events.len()));
    }

    // The resolver does not answer.
    if let Some(r) = model
        .all::<ErrorEvent>()
        .find(|e| e.action.as_deref() == Some("resolving") && e.errno.is_some())
    {
        conf += 0.06;
        d.support(
            r.artifact,
            r.span,
            "nginx's resolver gets no answer from its DNS server".to_string(),
        );
    }

    // The resolver directive against the system's resolv.conf.
    let resolver = model.directives("resolver").next();
    let nameserver = model
        .all::<Setting>()
        .find(|s| s.source == "resolv.conf" && s.key == "nameserver");
    if let Some(r) = resolver {
        let addr = r.args.first().cloned().unwrap_or_default();
        d.value("resolver", addr.clone());
        let docker_dns = addr.starts_with("127.0.0.11");
        let other_ns = nameserver.filter(|n| !n.value.value.starts_with("127.0.0.11"));
        if docker_dns
            && (other_ns.is_some() || model.nginx_container_signs().is_empty() && model.container_units().is_empty())
        {
            conf += 0.12;
            d.support(
                r.artifact,
                r.span,
                "127.0.0.11 is Docker's embedded DNS: it exists only inside Docker containers",
            );
            if let Some(ns) = other_ns {
                d.support(
                    ns.artifact,
                    ns.span,
                    format!("this system's DNS server is {}", ns.value.value),
                );
                let before = format!("resolver {};", r.args.join(" "));
                let mut args = r.args.clone();
                args[0] = ns.value.value.clone();
                d.edit(r.artifact, r.span, before, format!("resolver {};", args.join(" ")));
                d.title = format!(
                    "nginx asks Docker's DNS 127.0.0.11 for {name}, but this system's DNS server is {}",
                    ns.value.value
                );
            }
        } else if let Some(ns) = nameserver
            && !ns.value.value.is_empty()
            && addr != ns.value.value
            && first.errno == Some(110)
        {
            d.support(
                r.artifact,
                r.span,
                format!("nginx asks {addr}, while the system uses {}", ns.value.value),
            );
        } else {
            d.support(r.artifact, r.span, format!("nginx resolves through {addr}"));
        }
    } else if first.class == MessageClass::NoResolver {
        if let Some(t) = model.targets().into_iter().find(|t| t.at.uses_variables) {
            d.support(
                t.at.artifact,
                t.at.span,
                format!("{} {} is evaluated per request", t.at.directive, t.at.raw),
            );
        }
        if let Some(ns) = nameserver {
            d.value("resolver", ns.value.value.clone());
        }
    }

    // Short name + search domains (nginx's resolver does not use them).
    if !name.is_empty()
        && !name.contains('.')
        && first.class != MessageClass::HostNotFoundInUpstream
        && model.container_named(&name).is_none()
        && let Some(search) = model
            .all::<Setting>()
            .find(|s| s.source == "resolv.conf" && (s.key == "search" || s.key == "domain"))
    {
        conf += 0.08;
        let first_domain = search.value.value.split_whitespace().next().unwrap_or("");
        d.support(
            search.artifact,
            search.span,
            format!(
                "nginx's resolver does not apply these search domains: it asks for {name} as written, not {name}.{first_domain}"
            ),
        );
    }

    // dig / nslookup / host for the same name.
    if let Some(s) = model
        .all::<DnsStatus>()
        .find(|s| s.name.as_deref().is_some_and(|n| same_name(n, &name)) && s.status != "NOERROR")
    {
        conf += 0.1;
        d.support(s.artifact, s.span, format!("the lookup of {name} answers {}", s.status));
    } else if let Some(r) = model.all::<DnsRecord>().find(|r| {
        same_name(&r.name, &name)
            && r.record_type != "CNAME"
            && (r.record_type != "hosts"
                || model
                    .artifacts
                    .get(r.artifact)
                    .and_then(|a| a.command.as_deref())
                    .is_some_and(|c| c.contains("getent")))
    }) {
        d.support(
            r.artifact,
            r.span,
            format!(
                "{name} resolves to {} from the shell: nginx's resolver (or the time of the lookup) differs",
                r.value.value
            ),
        );
    }

    // A lookup command for the name that printed nothing (`getent hosts NAME`, `dig +short`).
    if !name.is_empty()
        && let Some((i, a)) = model.artifacts.iter().enumerate().find(|(i, a)| {
            a.command.as_deref().is_some_and(|c| {
                let program = c.split_whitespace().find(|w| *w != "sudo").unwrap_or("");
                matches!(program, "getent" | "dig" | "host" | "nslookup" | "resolvectl")
                    && c.split_whitespace().any(|w| same_name(w, &name))
            }) && !model
                .all::<DnsRecord>()
                .any(|r| r.artifact == *i && r.record_type != "CNAME")
                && !model.all::<DnsStatus>().any(|s| s.artifact == *i)
        })
    {
        conf += 0.08;
        d.support(
            i,
            a.span,
            format!("`{}` finds no address either", a.command.as_deref().unwrap_or("")),
        );
    }

    // An /etc/hosts entry: nginx's resolver does not read /etc/hosts.
    if matches!(first.class, MessageClass::CouldNotBeResolved | MessageClass::NoResolver)
        && let Some(h) = model
            .all::<DnsRecord>()
            .find(|r| r.record_type == "hosts" && same_name(&r.name, &name))
        && model
            .artifacts
            .get(h.artifact)
            .is_some_and(|a| a.command.as_deref().is_none_or(|c| !c.contains("getent")))
    {
        conf += 0.05;
        d.support(
            h.artifact,
            h.span,
            format!("{name} is only in /etc/hosts, which nginx's resolver does not read"),
        );
        d.title = format!("{name} is defined in /etc/hosts, but nginx's resolver only asks DNS");
    }

    // A container name: container-networking explains it better.
    let service_like = !name.contains('.') && !name.is_empty() && name.parse::<std::net::IpAddr>().is_err();
    if model.container_named(&name).is_some() || service_like && !model.nginx_container_signs().is_empty() {
        conf -= 0.15;
    }
    d.confidence = conf.clamp(0.0, 0.95);
    out.push(d);
}

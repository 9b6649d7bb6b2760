//! `address-already-in-use`: nginx or the backend cannot bind its port because another process
//! holds it.
//!
//! ## What it looks for
//! nginx's `bind() to 0.0.0.0:80 failed (98: Address already in use)` (musl: `Address in use`)
//! and `still could not bind()`; PHP-FPM's `unable to bind listening socket for address
//! '127.0.0.1:9000': Address already in use (98)`; an app server's `EADDRINUSE` / gunicorn
//! `Connection in use` / uWSGI `Address already in use`. Then `ss -ltnp` / `netstat` / `lsof`
//! showing which process owns that address, and nginx reaching that other program instead
//! (`upstream sent unsupported FastCGI protocol version: 72` on the same port: an HTTP server
//! answered).
//!
//! ## Why it matters
//! The program that lost the race does not start (or keeps its old instance): nginx is down, or
//! the backend is, or nginx now talks to the wrong program. `nginx -t` does not report
//! "Address already in use", so a passing test proves nothing here.
//!
//! ## Weakened by
//! A listener listing that shows nothing on that port any more (the conflict was transient: a
//! restart racing the old process).

use crate::cause::Cause;
use crate::facts::*;
use crate::model::{Model, endpoints};
use crate::rules::{Draft, Rule};
use crate::span::Span;

/// The rule.
pub const RULE: Rule = Rule {
    id: "address-already-in-use",
    cause: Cause::PortConflict,
    doc: "bind() failed (98: Address already in use) from nginx, PHP-FPM or an app server, with the listener that holds the port",
    check,
};

fn check(model: &Model<'_>, out: &mut Vec<Draft>) {
    // (artifact, span, who failed, address)
    let mut failures: Vec<(usize, Span, &'static str, Option<String>)> = Vec::new();
    for e in model.all::<ErrorEvent>() {
        if e.class == MessageClass::BindFailed && e.errno == Some(98) {
            failures.push((e.artifact, e.span, "nginx", e.target.as_deref().map(String::from)));
        }
    }
    for f in model.all::<FpmEvent>() {
        if f.class == FpmClass::UnableToBind && f.errno.is_none_or(|n| n == 98) && f.message.contains("in use") {
            failures.push((f.artifact, f.span, "PHP-FPM", f.address.clone()));
        }
    }
    for a in model.all::<AppEvent>() {
        if a.class == "address-in-use" {
            let server: &'static str = match a.server.as_str() {
                "gunicorn" => "gunicorn",
                "uwsgi" => "uWSGI",
                "node" => "the Node app",
                _ => "the backend",
            };
            failures.push((a.artifact, a.span, server, a.endpoint.as_ref().map(|e| e.to_string())));
        }
    }
    let Some((artifact, span, who, address)) = failures.first().cloned() else {
        return;
    };
    let endpoint = address.as_deref().and_then(Endpoint::parse);
    let port = endpoint.as_ref().and_then(Endpoint::port);
    let shown = address.clone().unwrap_or_else(|| "its port".to_string());
    let mut conf: f32 = 0.84;
    let mut d = Draft::new(
        Cause::PortConflict,
        conf,
        capitalised(&format!(
            "{who} cannot listen on {shown}: another process already holds it"
        )),
    );
    d.support(
        artifact,
        span,
        format!("{who} failed to bind {shown}: the address is in use"),
    );
    if let Some(p) = port {
        d.value("port", p.to_string());
    }
    if let Some(a) = &address {
        d.value("listen_address", a.clone());
    }
    if let Some(again) = failures.iter().skip(1).find(|f| f.2 == who) {
        d.support(again.0, again.1, "again");
    }
    if who == "nginx"
        && let Some(s) = model.events(MessageClass::StillCouldNotBind).next()
    {
        d.support(
            s.artifact,
            s.span,
            "nginx gave up after its retries: it is not listening",
        );
    }

    // Who holds the port.
    if let Some(ep) = &endpoint {
        let holders: Vec<_> = model
            .all::<Listener>()
            .filter(|l| {
                l.state
                    .as_deref()
                    .is_none_or(|s| s.eq_ignore_ascii_case("LISTEN") || s.eq_ignore_ascii_case("LISTENING"))
            })
            .filter(|l| {
                l.endpoint.as_ref().is_some_and(|le| {
                    endpoints::same_endpoint(le, ep)
                        || matches!((le, ep), (Endpoint::Tcp { host: a, port: p }, Endpoint::Tcp { host: b, port: q })
                            if p == q && (endpoints::is_wildcard(a) || endpoints::is_wildcard(b)))
                })
            })
            .collect();
        let failing = |p: &str| {
            let p = p.to_ascii_lowercase();
            match who {
                "nginx" => p.contains("nginx"),
                "PHP-FPM" => p.contains("php"),
                _ => false,
            }
        };
        if let Some(l) = holders
            .iter()
            .find(|l| l.process.as_deref().is_some_and(|p| !failing(p)))
        {
            conf += 0.11;
            let proc_name = l.process.clone().unwrap_or_default();
            let pid = l.pid.map(|p| format!(" (pid {p})")).unwrap_or_default();
            d.support(
                l.artifact,
                l.span,
                format!("{proc_name}{pid} listens on {}: it holds the port", l.local),
            );
            d.value("process", proc_name.clone());
            d.title = format!(
                "{proc_name} already listens on {}, so {who} cannot bind {shown}",
                l.local
            );
        } else if let Some(l) = holders.first() {
            conf += 0.05;
            let proc_name = l.process.clone().unwrap_or_else(|| "a process".to_string());
            d.support(
                l.artifact,
                l.span,
                format!("{proc_name} listens on {}: an old instance still holds it", l.local),
            );
        } else if model.has_tcp_listing() && ep.port().is_some() {
            conf -= 0.2;
            if let Some(l) = model.all::<Listener>().next() {
                d.against(
                    l.artifact,
                    l.span,
                    format!(
                        "nothing listens on port {} now: the conflict was transient",
                        port.unwrap_or(0)
                    ),
                );
            }
        }
    }

    // nginx reaching the wrong program on that port.
    if let Some(p) = port
        && let Some(e) = model
            .events(MessageClass::FastcgiProtocol)
            .find(|e| Model::event_endpoint(e).and_then(|x| x.port()) == Some(p))
    {
        conf += 0.03;
        d.support(
            e.artifact,
            e.span,
            "nginx's FastCGI request on this port is answered by another program (72 is the 'H' of HTTP)",
        );
    }
    if who == "nginx"
        && let Some(t) = model.all::<ConfigTest>().find(|t| t.ok)
    {
        d.support(
            t.artifact,
            t.span,
            "nginx -t passes: it does not check that ports are free",
        );
    }
    if let Some(s) = model
        .all::<ServiceStatus>()
        .find(|s| {
            s.active == "failed" && crate::model::backends::role_of(&s.unit) != crate::model::backends::Role::Backend
        })
        .filter(|_| who == "nginx" || who == "PHP-FPM")
    {
        d.support(s.artifact, s.span, format!("{} failed to start", s.unit));
        d.value("service", s.unit.trim_end_matches(".service").to_string());
    }
    d.value("process", who);
    d.confidence = conf.clamp(0.0, 0.97);
    out.push(d);
}

/// `text` with its first letter in upper case.
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => std::iter::once(c.to_ascii_uppercase()).chain(chars).collect(),
        None => String::new(),
    }
}

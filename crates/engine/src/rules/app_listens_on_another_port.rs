//! `app-listens-on-another-port`: nginx proxies to a local port nobody listens on while an
//! application on the same host listens on another port: nginx points at the wrong port.
//!
//! ## What it looks for
//! `connect() failed (111: Connection refused) while connecting to upstream` to a loopback
//! `host:port` of an HTTP (or uwsgi, gRPC) backend, and an `ss`/`netstat`/`lsof` listing in which
//! an application process (node, gunicorn, java, puma... not nginx, a database or a system daemon)
//! listens on the loopback or all addresses at another port (1024 and above). Without an error
//! line: a configured `proxy_pass`/`uwsgi_pass`/`grpc_pass` to a loopback port that a pasted
//! `curl` (exit 7, naming the port) or port probe is refused on, with the same listing.
//!
//! ## Why it matters
//! A refused connection only says nothing listens on the dialed port. When the application is up
//! on a neighbouring port (3001 for 3000, 8001 for 8000, a changed `PORT=`), starting it again
//! changes nothing: the `proxy_pass` (or the app's port) must change. nginx answers 502 for every
//! request to that backend.
//!
//! ## Weakened by
//! Several application listeners (which one is the backend is a guess); the listing taken on
//! another host (a remote shell prompt) is not read as this host's by the model.

use crate::cause::Cause;
use crate::facts::*;
use crate::model::Model;
use crate::model::nginx::Target;
use crate::model::reach::{ConnectErrno, connect_errno, is_php_event};
use crate::rules::{Draft, Rule};
use crate::span::Span;

/// The rule.
pub const RULE: Rule = Rule {
    id: "app-listens-on-another-port",
    cause: Cause::FastcgiPassMismatch,
    doc: "connection refused on a local port while an application listens on another local port: nginx points at the wrong port",
    check,
};

fn check(model: &Model<'_>, out: &mut Vec<Draft>) {
    let groups = model.connect_failures_by_endpoint(|e| {
        !is_php_event(e)
            && connect_errno(e) == Some(ConnectErrno::Refused)
            && e.action.as_deref().is_none_or(|a| a == "connecting to upstream")
    });
    let mut reported: Vec<Endpoint> = Vec::new();
    for (dialed, events) in groups {
        let first = events[0];
        let scheme = first
            .upstream
            .as_deref()
            .and_then(|u| u.split_once("://"))
            .map_or("http", |(s, _)| s);
        let refusal = (
            first.artifact,
            first.span,
            format!("nothing listens on {dialed} (errno 111)"),
        );
        let target = model.targets_for_event(&first).into_iter().next();
        if let Some(d) = draft(model, &dialed, scheme, refusal, target.as_ref(), 0.72) {
            out.push(d);
            reported.push(dialed);
        }
    }
    // No error line, but a configured local target that curl (or a port probe) is refused on.
    for t in model.targets() {
        let scheme = match t.at.directive.as_str() {
            "proxy_pass" if t.at.raw.starts_with("https://") => "https",
            "proxy_pass" => "http",
            "uwsgi_pass" => "uwsgi",
            "grpc_pass" => "grpc",
            _ => continue,
        };
        for dialed in &t.endpoints {
            if reported.contains(dialed) {
                continue;
            }
            let Some(refusal) = refused_by_hand(model, dialed) else {
                continue;
            };
            if let Some(d) = draft(model, dialed, scheme, refusal, Some(&t), 0.66) {
                out.push(d);
                reported.push(dialed.clone());
            }
        }
    }
}

/// A curl refused on the local `dialed` port (`curl: (7)`, its message or command naming the
/// port), or a port probe refused there.
fn refused_by_hand(model: &Model<'_>, dialed: &Endpoint) -> Option<(usize, Span, String)> {
    let Endpoint::Tcp { port: Some(port), .. } = dialed else {
        return None;
    };
    let curl = model.all::<CurlError>().find(|c| {
        let command = model
            .artifacts
            .get(c.artifact)
            .and_then(|a| a.command.as_deref())
            .unwrap_or("");
        c.code == 7 && (c.message.contains(&format!(" port {port} ")) || command.contains(&format!(":{port}")))
    });
    if let Some(c) = curl {
        return Some((
            c.artifact,
            c.span,
            format!("curl is refused on port {port}: nothing listens there"),
        ));
    }
    model
        .probes_to(dialed)
        .into_iter()
        .find(|p| p.outcome == "refused" && p.port == Some(*port))
        .map(|p| {
            (
                p.artifact,
                p.span,
                format!("{} is refused on port {port}: nothing listens there", p.tool),
            )
        })
}

/// The finding for a refused local `dialed` address while an application listens on another
/// port of the host, or `None` when no such application is shown.
fn draft(
    model: &Model<'_>,
    dialed: &Endpoint,
    scheme: &str,
    refusal: (usize, Span, String),
    target: Option<&Target<'_>>,
    confidence: f32,
) -> Option<Draft> {
    let l = model.app_listening_elsewhere(dialed)?;
    let candidates = model
        .all::<Listener>()
        .filter(|other| {
            other
                .process
                .as_deref()
                .is_some_and(crate::model::backends::is_app_process)
                && matches!(&other.endpoint, Some(Endpoint::Tcp { port: Some(q), .. }) if *q >= 1024)
                && other.endpoint.as_ref() != Some(dialed)
        })
        .count();
    let process = l.process.clone().unwrap_or_else(|| "an application".into());
    let Some(Endpoint::Tcp { port: Some(port), .. }) = &l.endpoint else {
        return None;
    };
    let confidence = if candidates <= 1 { confidence } else { confidence - 0.22 };
    let Endpoint::Tcp { host, .. } = dialed else {
        return None;
    };
    let host_text = if host.contains(':') {
        format!("[{host}]")
    } else {
        host.clone()
    };
    let listen_address = format!("{scheme}://{host_text}:{port}");
    let mut d = Draft::new(
        Cause::FastcgiPassMismatch,
        confidence,
        format!("nginx dials {dialed}, but {process} listens on port {port}: nginx points at the wrong port"),
    );
    let (artifact, span, note) = refusal;
    d.support(artifact, span, note);
    d.support(l.artifact, l.span, format!("{process} listens on {}", l.local));
    let directive = match scheme {
        "uwsgi" | "suwsgi" => "uwsgi_pass",
        "grpc" | "grpcs" => "grpc_pass",
        _ => "proxy_pass",
    };
    d.value("directive", directive)
        .value("upstream", dialed.to_string())
        .value("listen_address", listen_address)
        .value("port", port.to_string());
    if let Some(t) = target {
        if let Some(file) = &t.at.file {
            d.value("config_file", file.clone());
        }
        d.support(t.at.artifact, t.at.span, format!("{} {}", t.at.directive, t.at.raw));
    }
    if candidates > 1 {
        d.against(
            l.artifact,
            l.span,
            "several applications listen on this host: which one is the backend is a guess",
        );
    }
    Some(d)
}

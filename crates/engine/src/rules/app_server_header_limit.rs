//! `app-server-header-limit`: an HTTP application server refuses requests whose line or headers
//! exceed its own limit.
//!
//! ## What it looks for
//! gunicorn's `Invalid request from ip=...: Request Header Fields Too Large` / `Request Line is
//! too large (8192 > 4094)`, Node's `Parse Error: Header overflow` (`HPE_HEADER_OVERFLOW`), and
//! `431 Request Header Fields Too Large` in nginx's access log (`$status` or
//! `$upstream_status`) or a curl response. Corroborated when the access log and the app log
//! both show it, or nginx sees the app close the connection.
//!
//! ## Why it matters
//! Only requests with big cookies or long URLs fail, for some users: raising nginx's limits
//! does nothing, the application server's limit is the one to raise (gunicorn
//! `--limit-request-line`/`--limit-request-field_size`, Node `--max-http-header-size`).
//!
//! ## Weakened by
//! Nothing specific; the client usually sees 431 or 400 (relayed), a 502 only when the server
//! drops the connection.

use crate::cause::Cause;
use crate::facts::*;
use crate::model::Model;
use crate::rules::{Draft, Rule};

/// The rule.
pub const RULE: Rule = Rule {
    id: "app-server-header-limit",
    cause: Cause::BackendRequestTooLarge,
    doc: "gunicorn 'Request Header Fields Too Large' / 'Request Line is too large', Node 'Header overflow', or 431 in the access log: the app server's own request-size limit",
    check,
};

const PHRASES: &[&str] = &[
    "request header fields too large",
    "request line is too large",
    "header overflow",
    "hpe_header_overflow",
    "limitrequestline",
    "limitrequestheaders",
];

fn check(model: &Model<'_>, out: &mut Vec<Draft>) {
    let app = model.all::<AppEvent>().find(|a| {
        let m = a.message.to_ascii_lowercase();
        PHRASES.iter().any(|p| m.contains(p))
    });
    let status_431 = model
        .all::<AccessEntry>()
        .find(|a| a.status == 431 || a.upstream_status.as_deref().is_some_and(|u| u.contains("431")))
        .map(|a| (a.artifact, a.span))
        .or_else(|| {
            model
                .all::<HttpResponse>()
                .find(|r| r.status == 431)
                .map(|r| (r.artifact, r.span))
        });
    if app.is_none() && status_431.is_none() {
        return;
    }
    let server = app
        .as_ref()
        .map_or("the application server".to_string(), |a| a.server.clone());
    let mut confidence: f32 = if app.is_some() { 0.72 } else { 0.6 };
    let mut d = Draft::new(
        Cause::BackendRequestTooLarge,
        confidence,
        format!("{server} rejects requests whose line or headers exceed its limit"),
    );
    if let Some(a) = &app {
        d.support(
            a.artifact,
            a.span,
            format!("{} refuses the request as too large", a.server),
        );
        d.value("process", a.server.clone());
        // `(8192 > 4094)`: the size and the limit.
        if let Some((_, limit)) = a.message.rsplit_once(" > ") {
            let digits: String = limit.chars().take_while(char::is_ascii_digit).collect();
            if !digits.is_empty() {
                d.value("limit", digits);
            }
        }
    }
    if let Some((artifact, span)) = status_431 {
        d.support(
            artifact,
            span,
            "431 Request Header Fields Too Large: the backend's answer, relayed by nginx",
        );
        d.value("status", "431");
        if app.is_some() {
            confidence += 0.13;
        }
    }
    if app.is_some()
        && let Some(e) = model
            .all::<ErrorEvent>()
            .find(|e| matches!(e.class, MessageClass::PrematurelyClosed | MessageClass::RecvFailed))
    {
        d.support(
            e.artifact,
            e.span,
            "nginx sees the connection dropped before a response",
        );
        confidence += 0.1;
    }
    d.value("size", "32768");
    d.confidence = confidence.min(0.9);
    out.push(d);
}

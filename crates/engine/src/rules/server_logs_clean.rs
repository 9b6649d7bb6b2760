//! `server-logs-clean`: nothing pasted from the server shows a failure.
//!
//! ## What it looks for
//! A server side that answers: requests to the site succeed (`curl` 2xx/3xx from nginx) or the
//! access log has only non-5xx entries, and no failing response, error page, error-log failure or
//! stopped service anywhere in what was pasted.
//!
//! ## Why it matters
//! When the server is healthy from everywhere the person could test, the 502 the user sees is
//! made on the user's side (a proxy in their office, a stale DNS or hosts entry, a browser
//! cache). This is inferred from absence, so it stays a weak finding: the next step is the
//! failing client's own `curl -v` and DNS.
//!
//! ## Weakened by
//! Anything that fails: then another cause explains it.

use crate::cause::Cause;
use crate::facts::*;
use crate::model::Model;
use crate::model::layers::{is_nginx_producer, producer_of};
use crate::rules::{Draft, Rule};

/// The rule.
pub const RULE: Rule = Rule {
    id: "server-logs-clean",
    cause: Cause::ClientSide,
    doc: "the site answers 2xx from the server and elsewhere, logs show no 5xx and nothing failed: the 502 is likely made on the client's side (weak: inferred from absence)",
    check,
};

fn check(model: &Model<'_>, out: &mut Vec<Draft>) {
    let logs = model.server_logs();
    let failing_response = model.all::<HttpResponse>().any(|r| r.status >= 500);
    let failing_page = model.all::<ErrorPageInfo>().any(|p| p.status.is_none_or(|s| s >= 500));
    let anything_failing = !logs.error_failures.is_empty()
        || !logs.access_failures.is_empty()
        || failing_response
        || failing_page
        || model.has::<CurlError>()
        || model.nginx_down().is_some()
        || model
            .all::<ServiceStatus>()
            .any(|s| crate::model::backends::is_down(&s))
        || model
            .all::<ErrorEvent>()
            .any(|e| e.level.is_some_and(|l| l <= Level::Error));
    if anything_failing {
        return;
    }
    let healthy: Vec<_> = model
        .all::<HttpResponse>()
        .filter(|r| (200..400).contains(&r.status) && producer_of(r).is_none_or(is_nginx_producer))
        .collect();
    let access_ok = logs.access_entries > 0;
    if healthy.is_empty() && !access_ok {
        return;
    }
    let mut d = Draft::new(
        Cause::ClientSide,
        0.3,
        "nothing pasted from the server fails: the 502 is probably made on the client's side",
    );
    for r in healthy.iter().take(2) {
        d.support(r.artifact, r.span, format!("the site answers {} here", r.status));
    }
    if access_ok && let Some(a) = model.all::<AccessEntry>().next() {
        d.support(a.artifact, a.span, "the access log has no 5xx");
    }
    out.push(d);
}

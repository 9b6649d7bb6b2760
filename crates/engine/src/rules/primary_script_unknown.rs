//! `primary-script-unknown`: nginx reaches PHP-FPM, but FPM cannot find the script nginx names.
//!
//! ## What it looks for
//! `FastCGI sent in stderr: "Primary script unknown"` (or `Unable to open primary script`) on a
//! FastCGI upstream. nginx passes the script's path in `SCRIPT_FILENAME` (`$document_root` +
//! `$fastcgi_script_name`); FPM looks for it in its own filesystem and does not find it: a wrong
//! `root`, a missing `fastcgi_param SCRIPT_FILENAME`, or nginx and PHP-FPM in different
//! containers that do not share the code at the same path.
//!
//! ## Why it matters
//! The connection works, the paths do not agree: every PHP page answers **404 `File not
//! found.`** (or 403 `Access denied.` when FPM may not read the file), not 502. People often
//! report it as a 502 from a browser or a proxy in front.
//!
//! ## Weakened by
//! A request for a script that really does not exist (a scanner probing `/wp-login.php` on a
//! site without WordPress): the line is then harmless. Only many such lines, or lines for the
//! site's own entry point (`/index.php`), mean the paths disagree.

use crate::cause::Cause;
use crate::facts::MessageClass;
use crate::model::Model;
use crate::rules::{Draft, Rule};

/// The rule.
pub const RULE: Rule = Rule {
    id: "primary-script-unknown",
    cause: Cause::FastcgiPassMismatch,
    doc: "PHP-FPM answers 'Primary script unknown': nginx's SCRIPT_FILENAME/root does not match FPM's filesystem (404, not 502)",
    check,
};

fn check(model: &Model<'_>, out: &mut Vec<Draft>) {
    let events: Vec<_> = model
        .events(MessageClass::FastcgiStderr)
        .filter(|e| e.message.contains("Primary script unknown") || e.message.contains("Unable to open primary script"))
        .collect();
    let Some(first) = events.first() else { return };
    let entry_point = events.iter().any(|e| {
        e.request
            .as_deref()
            .is_some_and(|r| r.contains(" / ") || r.contains("/index.php"))
    });
    let confidence: f32 = if entry_point || events.len() >= 3 { 0.6 } else { 0.45 };
    let denied = first.message.contains("Permission denied");
    let status = if denied { "403" } else { "404" };
    let mut d = Draft::new(
        Cause::FastcgiPassMismatch,
        confidence,
        format!(
            "PHP-FPM cannot find the script nginx asks for (Primary script unknown): clients get {status}, not 502"
        ),
    );
    for e in events.iter().take(3) {
        d.support(
            e.artifact,
            e.span,
            format!("PHP-FPM has no file at the SCRIPT_FILENAME nginx sent: it answers {status}"),
        );
    }
    d.value("status", status);
    d.value("directive", "fastcgi_param SCRIPT_FILENAME");
    if let Some(ep) = Model::event_endpoint(first) {
        d.value("upstream", ep.to_string());
    }
    for p in model.directives("fastcgi_param") {
        if p.args.first().map(String::as_str) == Some("SCRIPT_FILENAME") {
            d.support(p.artifact, p.span, "the path nginx sends to PHP-FPM");
            break;
        }
    }
    if let Some(r) = model.directives("root").next() {
        d.support(
            r.artifact,
            r.span,
            "nginx's document root: PHP-FPM must see the code at this same path",
        );
        if let Some(path) = r.args.first() {
            d.value("file", path.as_str());
        }
    }
    d.confidence = confidence;
    out.push(d);
}

//! `conflicting-server-name-ignored`: two enabled server blocks claim the same name; nginx uses
//! the first and ignores the other.
//!
//! ## What it looks for
//! `[warn] conflicting server name "NAME" on 0.0.0.0:443, ignored` (from `nginx -t`, a reload or
//! the error log), with error lines for that name whose upstream is one of two different
//! targets configured in different files: the requests go to the block loaded first (often an
//! old site left in sites-enabled), not to the new one.
//!
//! ## Why it matters
//! `nginx -t` still says "test is successful", so the new site looks deployed; the errors name
//! the old site's backend (an old PHP socket, a retired port).
//!
//! ## Weakened by
//! Error lines for that name that reach the other file's target (then the right block answers).

use crate::cause::Cause;
use crate::facts::*;
use crate::model::{Model, endpoints};
use crate::rules::{Draft, Rule};

/// The rule.
pub const RULE: Rule = Rule {
    id: "conflicting-server-name-ignored",
    cause: Cause::ServerNameMismatch,
    doc: "nginx warns 'conflicting server name ... ignored': two enabled blocks share a name and requests go to the first one (an old site still enabled)",
    check,
};

fn check(model: &Model<'_>, out: &mut Vec<Draft>) {
    let Some(w) = model.events(MessageClass::ConflictingServerName).next() else {
        return;
    };
    let Some(name) = w.target.clone() else { return };
    let mut confidence: f32 = 0.5;
    let mut d = Draft::new(
        Cause::ServerNameMismatch,
        confidence,
        format!("two enabled server blocks claim {name}: nginx uses the first and ignores the other"),
    );
    d.support(w.artifact, w.span, format!("nginx ignores the second block for {name}"))
        .value("server_name", name.clone())
        .value("host", name.clone());
    // Error lines for this name, and which target they reach.
    let hits: Vec<_> = model
        .all::<ErrorEvent>()
        .filter(|e| {
            e.server.as_deref() == Some(name.as_str())
                || e.host
                    .as_deref()
                    .is_some_and(|h| h.split(':').next() == Some(name.as_str()))
        })
        .filter(|e| e.upstream.is_some())
        .collect();
    let Some(e) = hits.first() else {
        d.confidence = confidence;
        out.push(d);
        return;
    };
    d.support(
        e.artifact,
        e.span,
        format!("requests for {name} fail on the first block's upstream"),
    );
    confidence += 0.2;
    let reached = Model::event_endpoint(e);
    let targets = model.targets();
    let dialed: Vec<_> = targets
        .iter()
        .filter(|t| {
            reached
                .as_ref()
                .is_some_and(|r| t.endpoints.iter().any(|ep| endpoints::same_endpoint(ep, r)))
        })
        .collect();
    // Another file's target of the same kind: the block nginx ignores.
    let other = targets.iter().find(|t| {
        t.at.directive == dialed.first().map_or("", |x| x.at.directive.as_str())
            && t.at.file.is_some()
            && dialed.iter().all(|x| x.at.file != t.at.file)
            && !t.endpoints.is_empty()
            && dialed.iter().all(|x| x.endpoints != t.endpoints)
    });
    if let (Some(first), Some(ignored)) = (dialed.first(), other) {
        let first_file = first.at.file.clone().unwrap_or_default();
        let ignored_file = ignored.at.file.clone().unwrap_or_default();
        d.title = format!(
            "{first_file} still claims {name}: requests go to {} {}, and {ignored_file} is ignored",
            first.at.directive, first.at.raw
        );
        d.support(
            first.at.artifact,
            first.at.span,
            format!("the block nginx uses ({first_file})"),
        )
        .support(
            ignored.at.artifact,
            ignored.at.span,
            format!("the block nginx ignores ({ignored_file})"),
        )
        .value("config_file", first_file.clone())
        .value("file", first_file);
        confidence += 0.23;
        // The sites-enabled listing that shows both.
        if let Some(f) = model.all::<FileEntry>().find(|f| {
            f.path.contains("sites-enabled/")
                && first
                    .at
                    .file
                    .as_deref()
                    .is_some_and(|x| x.ends_with(f.path.rsplit('/').next().unwrap_or("?")))
        }) {
            d.support(f.artifact, f.span, "still enabled");
        }
    }
    d.confidence = confidence.min(0.93);
    out.push(d);
}

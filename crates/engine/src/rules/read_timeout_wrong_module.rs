//! `read-timeout-raised-for-other-module`: a `*_read_timeout` was raised, but for a module the
//! pasted locations do not use, so the proxied requests still time out at 60 s.
//!
//! ## What it looks for
//! A raised read timeout (`fastcgi_read_timeout 300`, `uwsgi_read_timeout`...) above the 60 s
//! default for a module with no `*_pass` in the pasted configuration, while the locations shown
//! use another module (`proxy_pass`) whose own `*_read_timeout` is not raised, or no location is
//! shown at all (they sit in an include that was not pasted). Configuration only: a hint.
//!
//! ## Why it matters
//! Each module has its own timeouts: `fastcgi_read_timeout` does nothing for `proxy_pass`. A
//! person who raised it to fix 504s still gets **504 Gateway Time-out** after 60 s, from
//! `proxy_read_timeout`.
//!
//! ## Weakened by
//! Being configuration alone: without an `upstream timed out` line nothing shows a timeout
//! happened, so the confidence stays low.

use crate::cause::Cause;
use crate::facts::*;
use crate::model::Model;
use crate::rules::read_timeout::seconds;
use crate::rules::{Draft, Rule};

/// The rule.
pub const RULE: Rule = Rule {
    id: "read-timeout-raised-for-other-module",
    cause: Cause::UpstreamTimeout,
    doc: "a *_read_timeout is raised for a module no pasted location uses, while proxied locations keep the 60 s default",
    check,
};

/// The module of a pass directive.
fn module_of(directive: &str) -> &str {
    directive.strip_suffix("_pass").unwrap_or(directive)
}

fn check(model: &Model<'_>, out: &mut Vec<Draft>) {
    let targets = model.targets();
    for x in model.all::<NginxDirective>() {
        let Some(module) = x.name.strip_suffix("_read_timeout") else {
            continue;
        };
        let Some(secs) = x.args.first().and_then(|v| seconds(v)) else {
            continue;
        };
        if secs <= 60.0 || targets.iter().any(|t| module_of(&t.at.directive) == module) {
            continue;
        }
        // Locations using another module without a raised timeout of their own.
        let others: Vec<_> = targets
            .iter()
            .filter(|t| {
                let m = module_of(&t.at.directive);
                m != module && {
                    let own = format!("{m}_read_timeout");
                    !model
                        .all::<NginxDirective>()
                        .any(|y| y.name == own && t.at.context.starts_with(&y.context))
                }
            })
            .collect();
        if !targets.is_empty() && others.is_empty() {
            continue;
        }
        let used = others
            .first()
            .map(|t| module_of(&t.at.directive).to_string())
            .unwrap_or_else(|| "proxy".to_string());
        let conf = if others.is_empty() { 0.35 } else { 0.42 };
        let value = x.args.join(" ");
        let mut d = Draft::new(
            Cause::UpstreamTimeout,
            conf,
            format!(
                "{} {value} is raised, but {used}_read_timeout is not: proxied requests still time out after 60 s",
                x.name
            ),
        );
        d.value("timeout_directive", format!("{used}_read_timeout"));
        d.value("timeout", "60s");
        d.value("status", "504");
        d.support(
            x.artifact,
            x.span,
            format!(
                "{} only applies to {module}_pass, and no location shown uses it",
                x.name
            ),
        );
        if let Some(t) = others.first() {
            d.support(
                t.at.artifact,
                t.at.span,
                format!(
                    "this location uses {}, whose {used}_read_timeout stays at the default 60 s",
                    t.at.directive
                ),
            );
            let line = format!("{} {};", t.at.directive, t.at.raw);
            d.edit(
                t.at.artifact,
                t.at.span,
                line.clone(),
                format!("{line}\n{used}_read_timeout {value};"),
            );
        }
        out.push(d);
        return;
    }
}

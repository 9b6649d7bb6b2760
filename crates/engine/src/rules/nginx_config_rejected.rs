//! `nginx-config-rejected`: nginx refused its configuration (`[emerg] ... in FILE:LINE`).
//!
//! ## What it looks for
//! An `[emerg]` configuration error from `nginx -t`, a start, or a reload: unknown directive or
//! variable, syntax errors, a duplicate default server, a missing include, a certificate that
//! does not load, a bad upstream block (console `nginx: [emerg]`, journald or error-log form).
//! Corroborated by `nginx -t` saying `test failed`, by systemd's `Reload failed` / `Control
//! process exited` / a failed `ExecStartPre=nginx -t`, and by a reload the master logged
//! (`reconfiguring`) after which the workers kept serving: the old configuration still runs.
//!
//! ## Why it matters
//! nginx never applies a configuration it rejects: a reload keeps the old one (a deploy that
//! "succeeded" still sends traffic to the old backend), a start or restart leaves nginx down.
//! The fix is at the exact FILE:LINE nginx names.
//!
//! ## Weakened by
//! A later `nginx -t` that passes (the error may be fixed already); `host not found in
//! upstream` alone (a name that did not resolve at start-up: dns-resolution argues for it too).

use crate::cause::Cause;
use crate::facts::*;
use crate::model::{At, Model};
use crate::rules::{Draft, Rule};

/// The rule.
pub const RULE: Rule = Rule {
    id: "nginx-config-rejected",
    cause: Cause::NginxConfigInvalid,
    doc: "nginx -t, a start or a reload logs an [emerg] configuration error (unknown directive, syntax, duplicate default server, missing include, certificate): nginx refuses the configuration",
    check,
};

/// How strongly a configuration error line says "the configuration is invalid".
fn strength(e: &ErrorEvent) -> Option<f32> {
    use MessageClass as C;
    // `[warn]` lines name files too (obsolete directives): only what stops nginx counts, and
    // the runtime `no port in upstream` (a 500).
    let fatal = match e.level {
        Some(Level::Emerg) => true,
        None => e.config_file.is_some(),
        Some(_) => e.class == C::NoPortInUpstream,
    };
    if !fatal {
        return None;
    }
    let located = e.config_file.is_some();
    match e.class {
        C::UnknownDirective | C::ConfigSyntax | C::CertificateLoad | C::NoPortInUpstream => {
            Some(if located { 0.8 } else { 0.74 })
        }
        // A missing include names the file that includes it; without ` in FILE:LINE` it is a
        // log or pid file nginx cannot open (nginx-not-running, not the configuration).
        C::OpenFailed if located => Some(0.78),
        C::HostNotFoundInUpstream => Some(0.55),
        C::Other if located && e.level == Some(Level::Emerg) => Some(0.7),
        _ => None,
    }
}

fn check(model: &Model<'_>, out: &mut Vec<Draft>) {
    let errors: Vec<(At<'_, ErrorEvent>, f32)> = model
        .all::<ErrorEvent>()
        .filter_map(|e| strength(&e).map(|s| (e, s)))
        .collect();
    let failed_test = model.all::<ConfigTest>().find(|t| !t.ok);
    let Some(&(first, base)) = errors
        .iter()
        .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.span.start.cmp(&a.0.span.start)))
    else {
        // `nginx -t` failed without its [emerg] line pasted.
        if let Some(t) = failed_test {
            let mut d = Draft::new(Cause::NginxConfigInvalid, 0.6, format!("nginx -t rejects {}", t.file));
            d.support(
                t.artifact,
                t.span,
                "the configuration test failed; its [emerg] line names the file and line",
            )
            .value("config_file", t.file.clone());
            out.push(d);
        }
        return;
    };
    let mut confidence = base;
    let what = first.message.clone();
    let place = match (&first.config_file, first.config_line) {
        (Some(f), Some(l)) => format!(" in {f}:{l}"),
        _ => String::new(),
    };
    // A reload the running master rejected: `reconfiguring` then the [emerg] in the error log,
    // and workers still answering afterwards.
    let reload_rejected = first.form == Some(LogForm::File)
        && model.all::<ErrorEvent>().any(|e| {
            e.message.contains("reconfiguring") && e.span.start < first.span.start && e.artifact == first.artifact
        });
    let served_after = model
        .all::<ErrorEvent>()
        .find(|e| e.artifact == first.artifact && e.span.start > first.span.start && e.request.is_some());
    let title = if reload_rejected {
        format!("nginx rejected the new configuration at reload ({what}{place}) and still runs the old one")
    } else {
        format!("nginx refuses its configuration: {what}{place}")
    };
    let mut d = Draft::new(Cause::NginxConfigInvalid, confidence, title);
    for (e, _) in errors.iter().take(4) {
        let note = match (&e.config_file, e.config_line) {
            (Some(f), Some(l)) => format!("nginx rejects {f} line {l}"),
            _ => "nginx rejects the configuration".to_string(),
        };
        d.support(e.artifact, e.span, note);
    }
    if let Some(f) = &first.config_file {
        d.value("config_file", f.clone());
    }
    if let Some(l) = first.config_line {
        d.value("config_line", l.to_string());
    }
    if first.class == MessageClass::UnknownDirective
        && let Some(name) = &first.target
    {
        d.value("directive", name.clone());
        // A typo of a known directive: name the fix (the line itself is rarely pasted).
        if let Some(known) = crate::parse::nginx_config::closest_directive(name) {
            d.title = format!("{} (did you mean {known}?)", d.title);
            d.edits.push(crate::rules::DraftEdit {
                artifact: None,
                span: None,
                file: first.config_file.as_deref().map(String::from),
                before: name.to_string(),
                after: known.to_string(),
            });
        }
    }
    let mut corroborated = false;
    if let Some(t) = failed_test {
        d.support(t.artifact, t.span, "nginx -t: the configuration test failed");
        corroborated = true;
    }
    for j in model.all::<JournalEntry>() {
        let m = j.message.as_str();
        let failed = m.starts_with("Reload failed for")
            || (m.contains("nginx") && (m.contains("Control process exited") || m.contains("Failed with result")))
            || (m.starts_with("Failed to start") && m.contains("server"));
        if failed && j.ident == "systemd" {
            let note = if m.starts_with("Reload failed") {
                "systemd: the reload failed, nginx keeps running the old configuration"
            } else {
                "systemd: the reload or start failed"
            };
            d.support(j.artifact, j.span, note);
            corroborated = true;
        }
    }
    for s in model.services(crate::model::backends::Role::Nginx) {
        if s.active == "failed" {
            d.support(s.artifact, s.span, format!("{} failed to start", s.unit));
            corroborated = true;
        }
    }
    if reload_rejected {
        corroborated = true;
        if let Some(e) = served_after {
            d.support(
                e.artifact,
                e.span,
                "after the rejected reload the workers still serve with the old configuration",
            );
        }
    }
    if corroborated {
        confidence += 0.13;
    }
    // nginx still up: it keeps serving the previous configuration until the error is fixed.
    if !reload_rejected {
        let running = model
            .nginx_running()
            .map(|r| (r.artifact, r.span))
            .or_else(|| model.nginx_listeners().first().map(|l| (l.artifact, l.span)));
        if let Some((artifact, span)) = running {
            d.title = format!("{} (the running nginx keeps its previous configuration)", d.title);
            d.support(artifact, span, "nginx is still running: with the old configuration");
        }
    }
    // A later reload in the same log that nginx accepted (no [emerg] after it): fixed since.
    let later_reload = model
        .all::<ErrorEvent>()
        .filter(|e| e.artifact == first.artifact && e.span.start > first.span.start)
        .filter(|e| e.message.contains("reconfiguring") || e.message.starts_with("start worker process"))
        .last();
    if let Some(r) = later_reload
        && !errors
            .iter()
            .any(|(x, _)| x.artifact == r.artifact && x.span.start > r.span.start)
    {
        d.against(r.artifact, r.span, "a later reload went through without this error");
        confidence -= 0.4;
    }
    if let Some(ok) = model.all::<ConfigTest>().find(|t| t.ok) {
        d.against(
            ok.artifact,
            ok.span,
            "this nginx -t passes: the error may be fixed already (a reload applies it)",
        );
        confidence -= 0.3;
    }
    d.confidence = confidence.clamp(0.0, 0.95);
    propose_edit(model, &first, &mut d);
    out.push(d);
}

/// A concrete edit when the rejected line was pasted: `a duplicate default server` drops the
/// second `default_server`.
fn propose_edit(model: &Model<'_>, e: &ErrorEvent, d: &mut Draft) {
    let Some(file) = e.config_file.as_deref() else { return };
    if !e.message.starts_with("a duplicate default server") {
        return;
    }
    let listens: Vec<_> = model
        .directives("listen")
        .filter(|l| l.file.as_deref() == Some(file) && l.args.iter().any(|a| a == "default_server"))
        .collect();
    if let [l] = listens.as_slice() {
        let before = format!("listen {};", l.args.join(" "));
        let after_args: Vec<&str> = l
            .args
            .iter()
            .map(String::as_str)
            .filter(|a| *a != "default_server")
            .collect();
        d.edit(l.artifact, l.span, before, format!("listen {};", after_args.join(" ")));
    }
}

//! `fastcgi-target-not-where-fpm-listens`: nginx dials one FastCGI address, PHP-FPM listens on
//! another.
//!
//! ## What it looks for
//! The address nginx dials, from a failing connect line (`(2: No such file or directory)` or
//! `(111: Connection refused)` on a FastCGI target) or from a `fastcgi_pass`, compared with where
//! PHP-FPM is: a pool's `listen =`, an FPM listener in `ss -lx`/`ss -ltnp`/`netstat`, an FPM
//! socket file in `ls -l`, a running `phpX.Y-fpm` unit or installed PHP of another version than
//! the one in the dialed socket path. Typical: `php8.1-fpm.sock` dialed, `php8.3-fpm.sock`
//! listening; `127.0.0.1:9000` dialed, pool on a socket; `/var/run/php5-fpm.sock` after an
//! upgrade. A socket under `/tmp` that PHP-FPM creates while nginx cannot see it is systemd's
//! `PrivateTmp`.
//!
//! ## Why it matters
//! PHP-FPM is fine, nginx just knocks on the wrong door: every PHP request gets a 502 until
//! `fastcgi_pass` names the pool's real address. Restarting either service changes nothing.
//!
//! ## Weakened by
//! A pool or listener that does serve the dialed address (then it is not a mismatch), PHP-FPM
//! shown down as well (start it first), evidence from configuration only with no failing
//! request (the running system may differ from the pasted files), only a PHP version seen
//! elsewhere (`php -v` names the CLI, which may differ from FPM).

use crate::cause::Cause;
use crate::facts::{Endpoint, ErrorEvent, MessageClass, Protocol};
use crate::model::fpm::{Sign, Strength, pass_value, php_version_in, same_version};
use crate::model::{At, Model, endpoints};
use crate::rules::{Draft, Rule};

/// The rule.
pub const RULE: Rule = Rule {
    id: "fastcgi-target-not-where-fpm-listens",
    cause: Cause::FastcgiPassMismatch,
    doc: "the FastCGI address nginx dials differs from the pool's listen, the FPM listener, socket or running PHP version",
    check,
};

fn check(model: &Model<'_>, out: &mut Vec<Draft>) {
    // What nginx dials: failing connect lines first, then configured fastcgi_pass targets.
    let mut dialed: Vec<(Endpoint, Vec<At<'_, ErrorEvent>>)> = Vec::new();
    for e in model.events(MessageClass::ConnectFailed) {
        if !matches!(e.errno, Some(2 | 111)) || !model.is_php_event(&e) {
            continue;
        }
        let Some(ep) = Model::event_endpoint(&e) else { continue };
        match dialed.iter_mut().find(|(d, _)| *d == ep) {
            Some((_, v)) => v.push(e),
            None => dialed.push((ep, vec![e])),
        }
    }
    for t in model.targets() {
        if t.at.protocol != Protocol::Fastcgi {
            continue;
        }
        for ep in &t.endpoints {
            if !dialed.iter().any(|(d, _)| endpoints::same_endpoint(d, ep)) {
                dialed.push((ep.clone(), Vec::new()));
            }
        }
    }
    for (ep, events) in dialed {
        if let Some(d) = draft_for(model, &ep, &events) {
            out.push(d);
        }
    }
}

/// The best place PHP-FPM listens instead: a sign with an address of the dialed kind first.
fn best<'s>(elsewhere: &'s [Sign], dialed: &Endpoint) -> Option<&'s Sign> {
    let kind = |e: &Endpoint| matches!(e, Endpoint::Unix { .. });
    let mut ranked: Vec<&Sign> = elsewhere.iter().collect();
    crate::sort::by_key(&mut ranked, |s| {
        (
            std::cmp::Reverse(s.strength),
            s.endpoint.is_none(),
            s.endpoint.as_ref().is_some_and(|e| kind(e) != kind(dialed)),
        )
    });
    ranked.first().copied()
}

fn draft_for(model: &Model<'_>, dialed: &Endpoint, events: &[At<'_, ErrorEvent>]) -> Option<Draft> {
    let serving = model.fpm_serving(dialed);
    let elsewhere = model.fpm_elsewhere(dialed);
    let version = dialed.unix_path().and_then(php_version_in);
    let missing = events.iter().any(|e| e.errno == Some(2));
    let in_tmp = dialed
        .unix_path()
        .is_some_and(|p| p.starts_with("/tmp/") || p.starts_with("/var/tmp/"));
    let has_events = !events.is_empty();

    // PrivateTmp: PHP-FPM creates the socket in its own /tmp, nginx cannot see it.
    if in_tmp && missing && elsewhere.is_empty() {
        let up = model.fpm_up_signs_for(version.as_deref());
        let pool = serving.iter().find(|s| s.note.starts_with("the pool"));
        if pool.is_some() || !up.is_empty() {
            let path = dialed.unix_path().unwrap_or_default();
            let mut d = Draft::new(
                Cause::FastcgiPassMismatch,
                if pool.is_some() && !up.is_empty() { 0.85 } else { 0.75 },
                format!("PHP-FPM creates {path} in its private /tmp (systemd PrivateTmp), where nginx cannot see it"),
            );
            d.value("socket", path);
            for e in events.iter().take(2) {
                d.support(
                    e.artifact,
                    e.span,
                    format!("nginx cannot find {path} although PHP-FPM uses it"),
                );
            }
            for s in pool.into_iter().chain(up.iter()).take(3) {
                d.support(s.artifact, s.span, s.note.clone());
            }
            return Some(d);
        }
    }
    let not_installed = model.fpm_units_missing(version.as_deref());
    // Something serves the dialed address: no mismatch.
    if serving
        .iter()
        .any(|s| s.strength == Strength::Strong || s.note.starts_with("the pool"))
    {
        return None;
    }
    let Some(best) = best(&elsewhere, dialed) else {
        // The dialed version's unit does not exist: nginx names a PHP that is not installed.
        let gone = not_installed.first()?;
        if !has_events {
            return None;
        }
        let path = dialed.unix_path().unwrap_or_default();
        let mut d = Draft::new(
            Cause::FastcgiPassMismatch,
            0.76,
            format!(
                "nginx dials {path}, the socket of PHP {}, which is not installed",
                version.as_deref().unwrap_or("?")
            ),
        );
        d.value("socket", path);
        d.value("upstream", pass_value(dialed));
        d.value("directive", "fastcgi_pass");
        for e in events.iter().take(2) {
            d.support(e.artifact, e.span, format!("nginx fails to connect to {path}"));
        }
        d.support(gone.artifact, gone.span, gone.note.clone());
        return Some(d);
    };
    let mut confidence: f32 = match (has_events, best.strength) {
        (true, Strength::Strong) => 0.92,
        (true, Strength::Medium) => 0.84,
        (true, Strength::Weak) => 0.58,
        (false, Strength::Strong) => 0.7,
        (false, Strength::Medium) => 0.55,
        (false, Strength::Weak) => 0.3,
    };
    let shown = |e: &Endpoint| match e {
        Endpoint::Unix { path } => path.clone(),
        other => other.to_string(),
    };
    let title = match (&best.endpoint, &best.version) {
        (Some(e), _) => format!("nginx dials {} but PHP-FPM listens on {}", shown(dialed), shown(e)),
        (None, Some(v)) => format!(
            "nginx dials {} (PHP {}) but PHP {v} is what runs",
            shown(dialed),
            version.as_deref().unwrap_or("?")
        ),
        (None, None) => format!("nginx dials {} but PHP-FPM is elsewhere", shown(dialed)),
    };
    let mut d = Draft::new(Cause::FastcgiPassMismatch, confidence, title);
    d.value("upstream", pass_value(dialed));
    if let Some(p) = dialed.unix_path() {
        d.value("socket", p);
    }
    if let Some(e) = &best.endpoint {
        d.value("fpm_listen", shown(e));
        d.value("listen_address", pass_value(e));
    } else if let (Some(path), Some(old), Some(new)) = (dialed.unix_path(), &version, &best.version)
        && path.contains(old.as_str())
    {
        // Packages name the socket after the version: the running one's is very likely this.
        d.value("listen_address", format!("unix:{}", path.replace(old.as_str(), new)));
    }
    if let Some(v) = best.version.clone().or_else(|| {
        best.endpoint
            .as_ref()
            .and_then(|e| e.unix_path().and_then(php_version_in))
    }) {
        d.value("fpm_service", model.fpm_service_name(Some(&v)));
        d.value("php_version", v);
    }
    if let Some(n) = &best.name {
        if n.contains("fpm") {
            d.value("fpm_service", n.as_str());
        } else {
            d.value("fpm_pool", n.as_str());
        }
    }
    for e in events.iter().take(3) {
        let what = match e.errno {
            Some(2) => "no such socket",
            _ => "connection refused",
        };
        d.support(
            e.artifact,
            e.span,
            format!("nginx fails to connect to {} ({what})", shown(dialed)),
        );
    }
    // The configured line to change.
    d.value("directive", "fastcgi_pass");
    for t in model.targets() {
        if t.at.protocol != Protocol::Fastcgi || !t.endpoints.iter().any(|e| endpoints::same_endpoint(e, dialed)) {
            continue;
        }
        d.support(t.at.artifact, t.at.span, format!("{} {}", t.at.directive, t.at.raw));
        if let Some(f) = &t.at.file {
            d.value("config_file", f.as_str());
        }
        if let (Some(_), Some(new)) = (&t.at.endpoint, &best.endpoint) {
            d.edit(
                t.at.artifact,
                t.at.span,
                format!("{} {};", t.at.directive, t.at.raw),
                format!("{} {};", t.at.directive, pass_value(new)),
            );
        } else if let Some(g) = &t.group {
            d.value("group_name", g.name.as_str());
        }
        break;
    }
    if let Some(gone) = not_installed.first() {
        confidence += 0.04;
        d.support(gone.artifact, gone.span, gone.note.clone());
    }
    let mut shown_signs = 0;
    for s in &elsewhere {
        if shown_signs < 3 && s.strength >= best.strength.min(Strength::Medium) {
            d.support(s.artifact, s.span, s.note.clone());
            shown_signs += 1;
        }
    }
    // PHP-FPM down too: start it first (the mismatch may still be there).
    let down: Vec<_> = model
        .fpm_down_signs()
        .into_iter()
        .filter(|s| match (&s.version, &best.version) {
            (Some(a), Some(b)) => same_version(a, b),
            (Some(a), None) => version.as_deref().is_none_or(|v| !same_version(a, v)),
            (None, _) => true,
        })
        .collect();
    if let Some(s) = down.first() {
        confidence -= 0.2;
        d.against(s.artifact, s.span, format!("{}: PHP-FPM is not running either", s.note));
    }
    if !has_events && let Some(s) = serving.first() {
        confidence -= 0.1;
        d.against(s.artifact, s.span, s.note.clone());
    }
    d.confidence = confidence.clamp(0.15, 0.95);
    Some(d)
}

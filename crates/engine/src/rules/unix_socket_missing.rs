//! `unix-socket-missing`: nginx dials a PHP-FPM unix socket that does not exist, so PHP-FPM is down.
//!
//! ## What it looks for
//! `connect() to unix:PATH failed (2: No such file or directory) while connecting to upstream`
//! on a FastCGI/PHP target (`upstream: "fastcgi://..."`, a `fastcgi_pass` dialing it, or a socket
//! path naming PHP or FPM). A clean PHP-FPM stop removes its socket, so this is the signature of
//! a stopped or failed PHP-FPM. It is confirmed by a PHP-FPM unit shown `inactive`/`failed`, an
//! FPM log that ends with `exiting, bye-bye!` or `FPM initialization failed`, an `ls` that cannot
//! find the socket, or a socket listing without it.
//!
//! ## Why it matters
//! nginx cannot connect at all, so every PHP request gets a 502 while static files still work.
//! Starting PHP-FPM (and finding why it stopped) is the fix.
//!
//! ## Weakened by
//! A pool, listener or socket of PHP-FPM elsewhere (then nginx points at the wrong path:
//! `fastcgi-pass-mismatch`), a PHP-FPM unit or master process that is running, the socket file
//! itself shown by `ls`/`ss` (then nginx looks in another mount namespace: a container or
//! `PrivateTmp`), another `fastcgi_pass` dialing a socket of another PHP version (a leftover of
//! an upgrade). Sockets of non-PHP backends (gunicorn, uWSGI) are not PHP-FPM's: `upstream-down`.

use crate::cause::Cause;
use crate::facts::{Endpoint, ErrorEvent, Protocol};
use crate::model::fpm::{Strength, php_version_in, same_version};
use crate::model::{At, Model};
use crate::rules::{Draft, Rule};

/// The rule.
pub const RULE: Rule = Rule {
    id: "unix-socket-missing",
    cause: Cause::PhpFpmDown,
    doc: "nginx's connect() to a PHP-FPM unix socket fails with (2: No such file or directory): the socket is gone, PHP-FPM is not running",
    check,
};

fn check(model: &Model<'_>, out: &mut Vec<Draft>) {
    let groups = model.connect_failures_by_endpoint(|e| e.errno == Some(2) && model.is_php_event(e));
    for (dialed, events) in groups {
        if let Some(path) = dialed.unix_path() {
            out.push(draft_for(model, path, &events));
        }
    }
}

fn draft_for(model: &Model<'_>, path: &str, events: &[At<'_, ErrorEvent>]) -> Draft {
    let dialed = Endpoint::Unix { path: path.to_string() };
    let version = php_version_in(path);
    let down = model.fpm_down_signs_for(version.as_deref());
    let elsewhere = model.fpm_elsewhere(&dialed);
    let serving = model.fpm_serving(&dialed);
    let absent = model.socket_absent(path);
    let up: Vec<_> = model
        .fpm_up_signs_for(version.as_deref())
        .into_iter()
        .filter(|s| s.endpoint.is_none())
        .collect();

    let mut confidence: f32 = 0.78;
    let title = match down.first() {
        Some(d) => format!("PHP-FPM is not running ({}): its socket {path} does not exist", d.note),
        None => format!("PHP-FPM is not running: its socket {path} does not exist"),
    };
    let mut d = Draft::new(Cause::PhpFpmDown, confidence, title);
    d.value("socket", path);
    d.value("upstream", format!("unix:{path}"));
    if let Some(v) = &version {
        d.value("php_version", v.as_str());
    }
    let (service, container) = model.fpm_unit_and_container(&down, version.as_deref());
    d.value("fpm_service", service);
    if let Some(c) = container {
        d.value("container", c);
    }
    for e in events.iter().take(3) {
        d.support(
            e.artifact,
            e.span,
            format!("nginx cannot find the socket {path} (errno 2: no such file)"),
        );
    }
    if events.len() > 3 {
        let last = events[events.len() - 1];
        d.support(
            last.artifact,
            last.span,
            format!("{} lines like it in all", events.len()),
        );
    }
    for t in model.targets() {
        if t.at.protocol == Protocol::Fastcgi && t.endpoints.contains(&dialed) {
            d.support(
                t.at.artifact,
                t.at.span,
                format!("nginx is configured to dial unix:{path}"),
            );
            if let Some(f) = &t.at.file {
                d.value("config_file", f.as_str());
            }
            break;
        }
    }
    if !down.is_empty() {
        confidence += 0.15;
        for s in down.iter().take(3) {
            d.support(s.artifact, s.span, s.note.clone());
        }
    }
    if let Some(a) = &absent
        && elsewhere.is_empty()
    {
        confidence += if a.strength == Strength::Strong { 0.06 } else { 0.03 };
        d.support(a.artifact, a.span, a.note.clone());
    }
    let strongest = elsewhere.iter().map(|s| s.strength).max();
    match strongest {
        Some(Strength::Strong) => confidence -= 0.35,
        Some(Strength::Medium) => confidence -= 0.25,
        Some(Strength::Weak) => confidence -= 0.08,
        None => {}
    }
    for s in elsewhere.iter().take(2) {
        d.against(
            s.artifact,
            s.span,
            format!("{}: PHP-FPM may be running, with another address", s.note),
        );
    }
    if down.is_empty() && strongest.is_none() && !up.is_empty() {
        confidence -= 0.3;
        for s in up.iter().take(2) {
            d.against(s.artifact, s.span, format!("{}: PHP-FPM is up", s.note));
        }
    }
    // A listener or the socket file itself contradicts "missing"; the pool's configuration
    // naming this path only says the path is right.
    let (live, configured): (Vec<_>, Vec<_>) = serving.iter().partition(|s| s.strength == Strength::Strong);
    if !live.is_empty() {
        confidence -= 0.35;
        for s in live.iter().take(2) {
            d.against(
                s.artifact,
                s.span,
                format!("{}: nginx may see another filesystem (container, PrivateTmp)", s.note),
            );
        }
    } else if let Some(s) = configured.first() {
        confidence += 0.05;
        d.support(
            s.artifact,
            s.span,
            format!("{}: the path is right, PHP-FPM is just not running", s.note),
        );
    }
    // The unit of that version does not exist: nothing to start, the path is wrong.
    if let Some(gone) = model.fpm_units_missing(version.as_deref()).first() {
        confidence -= 0.3;
        d.against(
            gone.artifact,
            gone.span,
            format!("{}: nginx names the wrong PHP", gone.note),
        );
    }
    // Another fastcgi_pass dials a socket of another PHP version: a leftover after an upgrade.
    if let Some(v) = &version {
        for t in model.targets() {
            let Some(Endpoint::Unix { path: other }) = &t.at.endpoint else {
                continue;
            };
            if t.at.protocol == Protocol::Fastcgi && php_version_in(other).is_some_and(|o| !same_version(&o, v)) {
                confidence -= 0.12;
                d.against(
                    t.at.artifact,
                    t.at.span,
                    format!(
                        "another fastcgi_pass dials {other}: this socket may be left over from another PHP version"
                    ),
                );
                break;
            }
        }
    }
    d.confidence = confidence.clamp(0.15, 0.95);
    d
}

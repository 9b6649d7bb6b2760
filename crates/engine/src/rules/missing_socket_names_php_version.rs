//! `missing-socket-names-php-version`: the missing socket's path names a PHP version, the usual
//! leftover of a PHP upgrade.
//!
//! ## What it looks for
//! `connect() to unix:.../php8.2-fpm.sock failed (2: No such file or directory)` (or `php5-fpm`,
//! `php70-fpm`...) on a FastCGI target when nothing pasted shows where PHP-FPM listens. Distribution
//! packages name the socket after the PHP version, so after an upgrade (a new Ubuntu release, a
//! new container image) the old name is gone while nginx still dials it. Stronger when another
//! `fastcgi_pass` of the configuration dials a socket of another version.
//!
//! ## Why it matters
//! It is the other common reading of the same line: if PHP-FPM of another version is installed
//! and running, starting the old version's service is not possible, and the fix is to point
//! `fastcgi_pass` at the new socket. `ls /run/php/` tells them apart.
//!
//! ## Weakened by
//! PHP-FPM of that very version shown stopped (then it is simply down), the socket file or a
//! listener for it shown (nginx sees another filesystem). It stays a hint (below the
//! `unix-socket-missing` reading) unless something corroborates it; the pool's `listen` or a
//! listener elsewhere is the other rule's proof.

use crate::cause::Cause;
use crate::facts::{Endpoint, MessageClass, Protocol};
use crate::model::Model;
use crate::model::fpm::{php_version_in, same_version};
use crate::rules::{Draft, Rule};

/// The rule.
pub const RULE: Rule = Rule {
    id: "missing-socket-names-php-version",
    cause: Cause::FastcgiPassMismatch,
    doc: "the PHP-FPM socket nginx cannot find names a PHP version: likely a leftover path after a PHP upgrade",
    check,
};

fn check(model: &Model<'_>, out: &mut Vec<Draft>) {
    let mut seen: Vec<String> = Vec::new();
    for e in model.events(MessageClass::ConnectFailed) {
        if e.errno != Some(2) || !model.is_php_event(&e) {
            continue;
        }
        let Some(path) = e.target.as_deref().and_then(|t| t.strip_prefix("unix:")) else {
            continue;
        };
        let Some(version) = php_version_in(path) else { continue };
        if seen.iter().any(|p| p == path) {
            continue;
        }
        seen.push(path.to_string());
        let dialed = Endpoint::Unix { path: path.to_string() };
        if !model.fpm_serving(&dialed).is_empty() {
            continue;
        }
        let mut confidence: f32 = 0.55;
        let mut d = Draft::new(
            Cause::FastcgiPassMismatch,
            confidence,
            format!("nginx dials the PHP {version} socket {path}: is PHP {version} still what is installed?"),
        );
        d.value("socket", path);
        d.value("upstream", format!("unix:{path}"));
        d.value("directive", "fastcgi_pass");
        d.support(
            e.artifact,
            e.span,
            format!("the missing socket is named after PHP {version}: after an upgrade it has another name"),
        );
        for t in model.targets() {
            let Some(Endpoint::Unix { path: other }) = &t.at.endpoint else {
                continue;
            };
            if t.at.protocol != Protocol::Fastcgi {
                continue;
            }
            if other == path {
                d.support(t.at.artifact, t.at.span, format!("the configuration hard-codes {path}"));
                if let Some(f) = &t.at.file {
                    d.value("config_file", f.as_str());
                }
            } else if let Some(v) = php_version_in(other)
                && !same_version(&v, &version)
            {
                confidence += 0.15;
                d.support(
                    t.at.artifact,
                    t.at.span,
                    format!("another fastcgi_pass dials PHP {v}'s socket {other}: PHP {v} is the one in use"),
                );
                d.value("php_version", v);
            }
        }
        if let Some(s) = model
            .fpm_down_signs_for(Some(&version))
            .into_iter()
            .find(|s| s.version.is_some())
        {
            confidence -= 0.2;
            d.against(
                s.artifact,
                s.span,
                format!("{}: that version is installed, just stopped", s.note),
            );
        }
        d.confidence = confidence.clamp(0.15, 0.8);
        out.push(d);
    }
}

//! `php -v` / `php-fpm8.3 -v`: `PHP 8.3.6 (fpm-fcgi) (built: ...)`, then `Copyright`, `Zend
//! Engine` and `with Zend OPcache` lines, which are folded into the version fact's span.
//! The version is kept as written (`7.4.3-4ubuntu2.19` keeps its distribution suffix).

use crate::facts::{Fact, FactAt, PhpVersion};
use crate::kind::Kind;
use crate::parse::registry::{KindSpec, share_of_lines};
use crate::parse::wrapped;
use crate::parse::{ParseContext, Parsed};
use crate::span::lines;

/// How `php -v` output is recognised and parsed.
pub const SPEC: KindSpec = KindSpec {
    kind: Kind::PhpVersion,
    embeds: &[],
    command: |program, args| {
        let php = program == "php"
            || program.starts_with("php-fpm")
            || program
                .strip_prefix("php")
                .is_some_and(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.'));
        php && args.iter().any(|a| matches!(*a, "-v" | "--version"))
    },
    file: |_| false,
    line: Some(|l| version_of(wrapped::unwrap(l).inner).is_some()),
    block: |lines| share_of_lines(lines, |l| is_version_line(wrapped::unwrap(l).inner)),
    parse,
};

/// `PHP 8.3.6 (cli) (built: ...)` → `8.3.6`.
fn version_of(text: &str) -> Option<&str> {
    let rest = text.trim().strip_prefix("PHP ")?;
    let (version, after) = rest.split_once(' ')?;
    let mut parts = version.split('.');
    let numeric =
        |p: Option<&str>| p.is_some_and(|p| !p.is_empty() && p.bytes().take_while(u8::is_ascii_digit).count() > 0);
    let shaped =
        numeric(parts.next()) && numeric(parts.next()) && version.bytes().next().is_some_and(|b| b.is_ascii_digit());
    (shaped && after.trim_start().starts_with('(')).then_some(version)
}

/// The lines that follow the version line.
fn is_follow_line(text: &str) -> bool {
    let t = text.trim();
    t.starts_with("Copyright (c)")
        || t.starts_with("Zend Engine v")
        || t.starts_with("with ") && t.contains(" v") && t.contains("Copyright")
        || t.starts_with("with Zend OPcache")
        || t.starts_with("with Xdebug")
}

fn is_version_line(text: &str) -> bool {
    version_of(text).is_some() || is_follow_line(text) || is_startup_warning(text)
}

/// A start-up warning PHP prints before any output: `PHP Warning:  Module "redis" is already
/// loaded in Unknown on line 0`, `Warning: PHP Startup: Unable to load dynamic library ...`.
fn is_startup_warning(text: &str) -> bool {
    let t = text.trim();
    (t.starts_with("PHP ") || t.starts_with("Warning:") || t.starts_with("Deprecated:"))
        && (t.ends_with("in Unknown on line 0") || t.contains("PHP Startup:"))
}

/// Parses `php -v` output.
pub fn parse(cx: &ParseContext<'_>) -> Parsed {
    let mut out = Parsed::default();
    for line in lines(cx.text, cx.base) {
        let inner = wrapped::unwrap(line.text).inner;
        if inner.trim().is_empty() {
            continue;
        }
        if let Some(version) = version_of(inner) {
            out.facts.push(FactAt {
                span: line.span,
                fact: Fact::PhpVersion(PhpVersion {
                    version: version.to_string(),
                }),
            });
        } else if is_startup_warning(inner) {
            // Known text of `php -v` that says nothing about the version.
        } else if is_follow_line(inner) {
            // Part of the banner: joins the version fact, or is known text without one.
            if let Some(last) = out.facts.last_mut() {
                last.span = last.span.join(line.span);
            }
        } else {
            out.unread.push(line.span);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_banner() {
        let text = "PHP 8.3.6 (fpm-fcgi) (built: Apr 15 2024 19:21:47)\nCopyright (c) The PHP Group\nZend Engine v4.3.6, Copyright (c) Zend Technologies\n    with Zend OPcache v8.3.6, Copyright (c), by Zend Technologies\n";
        let parsed = parse(&ParseContext::new(text, 0));
        assert_eq!(parsed.facts.len(), 1);
        assert!(parsed.unread.is_empty());
        assert_eq!(parsed.facts[0].span.text(text).lines().count(), 4);
        let Fact::PhpVersion(v) = &parsed.facts[0].fact else {
            panic!()
        };
        assert_eq!(v.version, "8.3.6");
        assert_eq!(
            version_of("PHP 7.4.3-4ubuntu2.19 (cli) (built: Jan  1 2024)"),
            Some("7.4.3-4ubuntu2.19")
        );
        assert_eq!(version_of("PHP Warning:  Module \"x\" already loaded"), None);
        assert_eq!(version_of("PHP 8"), None);
    }
}

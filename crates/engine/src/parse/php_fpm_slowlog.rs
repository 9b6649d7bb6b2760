//! PHP-FPM slow log (`slowlog = ...` of a pool with `request_slowlog_timeout`): one entry per
//! slow request, a header `[21-Nov-2026 10:00:05]  [pool www] pid 812` (two spaces: the time
//! ends with `] `), `script_filename = PATH`, then stack frames `[0x00007f...] func() FILE:LINE`
//! innermost first, or `+++ dump failed`. Each entry becomes one `slow-request` [`AppEvent`]
//! spanning the entry.

use crate::facts::{AppEvent, Fact, FactAt};
use crate::kind::Kind;
use crate::parse::php_fpm_log::split_time;
use crate::parse::registry::{KindSpec, share_of_lines};
use crate::parse::wrapped;
use crate::parse::{ParseContext, Parsed};
use crate::span::{Span, lines};

/// How slow logs are recognised and parsed.
pub const SPEC: KindSpec = KindSpec {
    kind: Kind::PhpFpmSlowlog,
    embeds: &[],
    command: |_, _| false,
    file: |path| {
        let name = path.rsplit('/').next().unwrap_or(path);
        name.contains("slow") && (path.contains("php") || path.contains("fpm") || name.ends_with(".slow"))
    },
    line: Some(|l| {
        let inner = wrapped::unwrap(l).inner;
        read_header(inner).is_some() || read_frame(inner)
    }),
    block: |lines| share_of_lines(lines, |l| read_slowlog_line(wrapped::unwrap(l).inner).is_some()),
    parse,
};

/// What one slow-log line is.
#[derive(Debug, PartialEq)]
enum SlowLine<'a> {
    Header { time: &'a str, pid: Option<u64> },
    Script(&'a str),
    Frame,
}

fn read_slowlog_line(text: &str) -> Option<SlowLine<'_>> {
    if let Some((time, pid)) = read_header(text) {
        return Some(SlowLine::Header { time, pid });
    }
    if let Some(script) = text.trim().strip_prefix("script_filename = ") {
        return Some(SlowLine::Script(script.trim()));
    }
    read_frame(text).then_some(SlowLine::Frame)
}

/// `[21-Nov-2026 10:00:05]  [pool www] pid 812` → time and pid.
fn read_header(text: &str) -> Option<(&str, Option<u64>)> {
    let (time, rest) = split_time(text.trim())?;
    let rest = rest.trim_start().strip_prefix("[pool ")?;
    let (_pool, after) = rest.split_once(']')?;
    let pid = after.trim().strip_prefix("pid ").and_then(|p| p.trim().parse().ok());
    Some((time, pid))
}

/// `[0x00007f3a2c813f40] curl_exec() /path/file.php:44` or `+++ dump failed`.
fn read_frame(text: &str) -> bool {
    let t = text.trim();
    if t.starts_with("+++ dump failed") {
        return true;
    }
    t.strip_prefix("[0x")
        .and_then(|r| r.split_once("] "))
        .is_some_and(|(hex, rest)| !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit()) && rest.contains("()"))
}

/// Parses a slow log piece.
pub fn parse(cx: &ParseContext<'_>) -> Parsed {
    let mut out = Parsed::default();
    let mut open: Option<(Span, AppEvent)> = None;
    let close = |open: &mut Option<(Span, AppEvent)>, out: &mut Parsed| {
        if let Some((span, event)) = open.take() {
            out.facts.push(FactAt {
                span,
                fact: Fact::AppEvent(Box::new(event)),
            });
        }
    };
    for line in lines(cx.text, cx.base) {
        let inner = wrapped::unwrap(line.text).inner;
        if inner.trim().is_empty() {
            continue; // blank, or a wrapper (`php-1  | `) around nothing
        }
        match read_slowlog_line(inner) {
            Some(SlowLine::Header { time, pid }) => {
                close(&mut open, &mut out);
                let mut event = slow_request("");
                event.number = pid;
                event.time = Some(time.to_string());
                open = Some((line.span, event));
            }
            Some(SlowLine::Script(script)) if open.as_ref().is_some_and(|(_, e)| !e.message.is_empty()) => {
                // A second script line: a new entry whose header was cut.
                close(&mut open, &mut out);
                open = Some((line.span, slow_request(script)));
            }
            Some(other) => {
                // A fragment without its header still is an entry.
                let (span, event) = open.get_or_insert_with(|| (line.span, slow_request("")));
                *span = span.join(line.span);
                match other {
                    SlowLine::Script(script) => event.message = script.to_string(),
                    _ => event.detail.push(inner.trim().to_string()),
                }
            }
            None => out.unread.push(line.span),
        }
    }
    close(&mut open, &mut out);
    crate::sort::by_key(&mut out.facts, |f| f.span.start);
    out
}

/// A `slow-request` event for `script`.
fn slow_request(script: &str) -> AppEvent {
    AppEvent {
        server: "php-fpm-slowlog".into(),
        class: "slow-request".into(),
        message: script.to_string(),
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_entries() {
        let text = "\n[08-Jan-2025 12:03:20]  [pool www] pid 1403\nscript_filename = /var/www/store/pub/index.php\n[0x00007f3a2c813f40] curl_exec() /var/www/store/vendor/a/CurlHandler.php:44\n[0x00007f3a2c813e50] __invoke() /var/www/store/vendor/a/Proxy.php:28\n\n[08-Jan-2025 12:03:25]  [pool api] pid 1404\nscript_filename = /var/www/api/index.php\n+++ dump failed\nnot a slowlog line\n";
        let parsed = parse(&ParseContext::new(text, 0));
        assert_eq!(parsed.facts.len(), 2);
        assert_eq!(parsed.unread.len(), 1);
        let Fact::AppEvent(first) = &parsed.facts[0].fact else {
            panic!()
        };
        assert_eq!(first.number, Some(1403));
        assert_eq!(first.message, "/var/www/store/pub/index.php");
        assert_eq!(first.detail.len(), 2);
        assert_eq!(first.time.as_deref(), Some("08-Jan-2025 12:03:20"));
        assert!(parsed.facts[0].span.text(text).ends_with("Proxy.php:28"));
        let Fact::AppEvent(second) = &parsed.facts[1].fact else {
            panic!()
        };
        assert_eq!(second.detail, vec!["+++ dump failed".to_string()]);
    }

    #[test]
    fn headerless_fragments_and_odd_lines() {
        let text = "script_filename = /a.php\n[0x1] f() /a.php:1\nscript_filename = /b.php\n[0xzz] x\n[";
        let parsed = parse(&ParseContext::new(text, 0));
        assert_eq!(parsed.facts.len(), 2);
        assert_eq!(parsed.unread.len(), 2);
    }
}

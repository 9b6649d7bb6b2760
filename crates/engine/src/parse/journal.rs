//! `journalctl` excerpts and syslog files (`/var/log/syslog`, `/var/log/messages`): one
//! `JournalEntry` per line, plus an `ErrorEvent` for nginx lines and `OomKill`/`KernelEvent`
//! for kernel lines. The line reader here is shared with `systemctl status` (its journal tail)
//! and the kernel log.
//!
//! Timestamps read: `Nov 21 10:00:00` (and `-o short-precise` fractions, localized month
//! words), `-o short-iso`/RFC 3339, `-o short-full` (`Fri 2026-11-21 10:00:00 UTC`),
//! `-o short-monotonic` (`[12345.678901]`), `-o short-unix` and `YYYY-MM-DD HH:MM:SS`; an
//! optional `<PRI>`; then `host ident[pid]: message`.

use crate::facts::{Fact, FactAt, JournalEntry, OomKill};
use crate::kind::Kind;
use crate::parse::columns::{is_elision, is_pager_line};
use crate::parse::kernel_log::KernelReader;
use crate::parse::registry::KindSpec;
use crate::parse::{ParseContext, Parsed, nginx_error_log};
use crate::span::{Line, Span, lines};

/// How journal excerpts and syslog files are recognised and parsed.
pub const SPEC: KindSpec = KindSpec {
    kind: Kind::Journal,
    embeds: &[
        Kind::NginxErrorLog,
        Kind::PhpFpmLog,
        Kind::GunicornLog,
        Kind::UwsgiLog,
        Kind::NodeLog,
        Kind::KernelLog,
        Kind::AuditLog,
        Kind::Apparmor,
    ],
    command: |program, args| {
        // `journalctl -u nginx` stays with the nginx error log's spec; `-k` is the kernel log.
        program == "journalctl"
            && !args.iter().any(|a| a.contains("nginx"))
            && !args.iter().any(|a| *a == "-k" || *a == "--dmesg")
    },
    file: |path| {
        let name = path.rsplit('/').next().unwrap_or(path);
        let stem = name.split('.').next().unwrap_or(name);
        matches!(stem, "syslog" | "messages" | "daemon" | "user") && !name.ends_with(".conf")
    },
    line: Some(is_journal_line),
    block,
    parse,
};

/// One syslog-shaped line, split into its parts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SyslogLine<'a> {
    /// The timestamp as written.
    pub time: &'a str,
    /// Host name.
    pub host: &'a str,
    /// Identifier (program name), without the pid.
    pub ident: &'a str,
    /// The pid in brackets.
    pub pid: Option<u32>,
    /// The message after `ident[pid]: `.
    pub message: &'a str,
}

/// True for a syslog/journal line (any timestamp form) or a journalctl boundary marker.
pub fn is_journal_line(text: &str) -> bool {
    let t = text.trim();
    parse_syslog_line(text).is_some()
        || (t.ends_with(" --")
            && [
                "-- Logs begin at ",
                "-- Journal begins at ",
                "-- Boot ",
                "-- No entries",
                "-- Reboot",
            ]
            .iter()
            .any(|m| t.starts_with(m)))
}

/// `-- Logs begin at ... --`, `-- Boot 1a2b... --`, `-- No entries --`, `-- Reboot --`, and
/// the `-x` catalog text (`-- Subject: ...` in old systemd, `░░ ...` in new).
pub fn is_marker(text: &str) -> bool {
    let t = text.trim();
    (t.starts_with("-- ") && (t.ends_with(" --") || t.contains(':') || t.len() > 3)) || t.starts_with('░')
}

/// Splits a syslog/journal line into its parts. `None` when the line is not one.
pub fn parse_syslog_line(text: &str) -> Option<SyslogLine<'_>> {
    let mut t = text.trim_start_matches('\u{feff}');
    if let Some(rest) = t.strip_prefix('<')
        && let Some((pri, after)) = rest.split_once('>')
        && (1..=3).contains(&pri.len())
        && pri.bytes().all(|b| b.is_ascii_digit())
    {
        t = after;
    }
    let (time, rest) = split_timestamp(t)?;
    let rest = rest.trim_start_matches(' ');
    let (host, rest) = rest.split_once(' ')?;
    if host.is_empty() || host.ends_with(':') {
        return None;
    }
    let (ident_part, message) = match rest.split_once(": ") {
        Some((i, m)) => (i, m),
        None => (rest.strip_suffix(':')?, ""),
    };
    if ident_part.is_empty() || ident_part.len() > 80 || ident_part.contains(' ') {
        return None;
    }
    let (ident, pid) = match ident_part.strip_suffix(']').and_then(|r| r.rsplit_once('[')) {
        Some((name, pid)) => (name, Some(pid.parse::<u32>().ok()?)),
        None => (ident_part, None),
    };
    // An identifier names a program: `502:` after `ERROR` (wget) is not one.
    if ident.is_empty() || !ident.bytes().any(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    Some(SyslogLine {
        time,
        host,
        ident,
        pid,
        message,
    })
}

/// Splits the timestamp off a line: returns it and the text after it.
fn split_timestamp(t: &str) -> Option<(&str, &str)> {
    // The first four words and where they start, without allocating.
    let mut words = [(0usize, ""); 4];
    let mut count = 0;
    let mut pos = 0usize;
    for w in t.split(' ') {
        if !w.is_empty() {
            words[count] = (pos, w);
            count += 1;
            if count == words.len() {
                break;
            }
        }
        pos += w.len() + 1;
    }
    let words = &words[..count];
    let first = words.first()?.1;
    let end_of = |i: usize| words.get(i).map(|(s, w)| s + w.len());
    let cut = |end: usize| Some((t.get(..end)?, t.get(end..)?));
    // `[12345.678901] host ...` (short-monotonic)
    if first.starts_with('[') && t.starts_with('[') {
        let close = t.find(']')?;
        let inner = t.get(1..close)?.trim();
        return (is_seconds(inner)).then(|| cut(close + 1)).flatten();
    }
    // `1732183200.123456 host ...` (short-unix)
    if is_seconds(first) && first.contains('.') && first.len() >= 12 {
        return cut(end_of(0)?);
    }
    // ISO: `2026-11-21T10:00:00+0000`
    if is_date(first.get(..10).unwrap_or("")) && first.as_bytes().get(10) == Some(&b'T') {
        return is_time_token(first.get(11..).unwrap_or(""))
            .then(|| cut(end_of(0)?))
            .flatten();
    }
    // `2026-11-21 10:00:00[.fff]`
    if is_date(first) {
        let second = words.get(1)?.1;
        return is_time_token(second).then(|| cut(end_of(1)?)).flatten();
    }
    // `Fri 2026-11-21 10:00:00 UTC` (short-full)
    if first.len() <= 4 && first.chars().all(char::is_alphabetic) && words.get(1).is_some_and(|w| is_date(w.1)) {
        let third = words.get(2)?.1;
        if !is_time_token(third) {
            return None;
        }
        let zone = words.get(3)?.1;
        let zone_ok = zone.chars().all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '-');
        return zone_ok.then(|| cut(end_of(3)?)).flatten();
    }
    // `Nov 21 10:00:00[.ffffff]` (also localized month words like `Dez`, `nov.`, `11月`)
    let month_ok = (2..=12).contains(&first.len())
        && first.chars().all(|c| c.is_alphanumeric() || c == '.')
        && first.chars().any(char::is_alphabetic);
    if month_ok {
        let day = words.get(1)?.1;
        let time = words.get(2)?.1;
        if day.len() <= 2 && day.bytes().all(|b| b.is_ascii_digit()) && is_time_token(time) {
            return cut(end_of(2)?);
        }
    }
    None
}

/// `12345.678901` (seconds with a fraction).
fn is_seconds(t: &str) -> bool {
    let mut parts = t.splitn(2, '.');
    let whole = parts.next().unwrap_or("");
    let frac = parts.next().unwrap_or("");
    !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && !frac.is_empty()
        && frac.bytes().all(|b| b.is_ascii_digit())
}

/// `2026-11-21`.
fn is_date(t: &str) -> bool {
    let b = t.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// `10:00:00`, optionally with a fraction (`.123456`, `,123`) and a zone (`+0000`, `+00:00`,
/// `Z`), and nothing else (so that `10:00:00,204:INFO:...` of other logs is not a journal time).
fn is_time_token(t: &str) -> bool {
    if !is_time(t.get(..8).unwrap_or("")) {
        return false;
    }
    let mut rest = t.get(8..).unwrap_or("");
    if let Some(frac) = rest.strip_prefix(['.', ',']) {
        let digits = frac.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return false;
        }
        rest = frac.get(digits..).unwrap_or("");
    }
    if rest.is_empty() || rest == "Z" {
        return true;
    }
    let Some(zone) = rest.strip_prefix(['+', '-']) else {
        return false;
    };
    let zone = zone.replace(':', "");
    zone.len() == 4 && zone.bytes().all(|b| b.is_ascii_digit())
}

/// `10:00:00`.
fn is_time(t: &str) -> bool {
    let b = t.as_bytes();
    b.len() == 8
        && b[2] == b':'
        && b[5] == b':'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 2 || i == 5 || c.is_ascii_digit())
}

/// True for identifiers of nginx and its derivatives.
pub fn is_nginx_ident(ident: &str) -> bool {
    ident.contains("nginx") || ident.contains("openresty") || ident == "angie"
}

/// The kind that reads an application's own lines, for identifiers of PHP-FPM, gunicorn,
/// uWSGI and Node/pm2.
fn app_spec(ident: &str) -> Option<&'static KindSpec> {
    let ident = ident.to_ascii_lowercase();
    let kind = if ident.starts_with("php") && ident.contains("fpm") {
        Kind::PhpFpmLog
    } else if ident.starts_with("gunicorn") {
        Kind::GunicornLog
    } else if ident.starts_with("uwsgi") {
        Kind::UwsgiLog
    } else if ident == "node" || ident.starts_with("pm2") || ident == "nodejs" {
        Kind::NodeLog
    } else if ident == "haproxy" || ident == "traefik" {
        Kind::LoadBalancerLog
    } else {
        return None;
    };
    crate::parse::registry::spec(kind)
}

/// Block score: the share of journal lines, lowered when every entry is from nginx (the error
/// log reads those), the kernel (the kernel log does) or an application with its own kind.
fn block(lines: &[&str]) -> f32 {
    let mut total = 0usize;
    let mut hits = 0usize;
    let mut entries = 0usize;
    let mut owned_elsewhere = 0usize;
    for line in lines.iter().filter(|l| !l.trim().is_empty()) {
        total += 1;
        if let Some(entry) = parse_syslog_line(line) {
            hits += 1;
            entries += 1;
            if is_nginx_ident(entry.ident) || entry.ident == "kernel" || app_spec(entry.ident).is_some() {
                owned_elsewhere += 1;
            }
        } else if is_marker(line) || is_pager_line(line) {
            hits += 1;
        }
    }
    if total == 0 || entries == 0 {
        return 0.0;
    }
    let share = hits as f32 / total as f32;
    if owned_elsewhere == entries { share * 0.5 } else { share }
}

/// Reads journal lines one by one, folding indented continuation lines into the entry before.
#[derive(Default)]
pub struct JournalReader {
    /// Index (in the output facts) of the last `JournalEntry`, for continuation lines.
    last_entry: Option<usize>,
    kernel: KernelReader,
}

impl JournalReader {
    /// Reads one line into `out`. Returns false (and leaves `out` untouched) when the line is
    /// neither a journal line, a marker nor the continuation of the entry before.
    pub fn read(&mut self, line: Line<'_>, out: &mut Parsed) -> bool {
        let text = line.text;
        if let Some(entry) = parse_syslog_line(text) {
            self.push_entry(line.span, text, entry, out);
            return true;
        }
        if is_marker(text) {
            self.last_entry = None;
            return true;
        }
        if text.starts_with([' ', '\t'])
            && !text.trim().is_empty()
            && let Some(index) = self.last_entry
            && let Some(fact) = out.facts.get_mut(index)
            && let Fact::JournalEntry(entry) = &mut fact.fact
        {
            entry.message.push('\n');
            entry.message.push_str(text.trim());
            fact.span = fact.span.join(line.span);
            return true;
        }
        false
    }

    /// Forgets the entry before (a blank line or another block ends continuations).
    pub fn break_continuation(&mut self) {
        self.last_entry = None;
    }

    fn push_entry(&mut self, span: Span, text: &str, entry: SyslogLine<'_>, out: &mut Parsed) {
        out.facts.push(FactAt {
            span,
            fact: Fact::JournalEntry(Box::new(JournalEntry {
                time: Some(entry.time.to_string()),
                host: Some(entry.host.to_string()),
                ident: entry.ident.to_string(),
                pid: entry.pid,
                message: entry.message.to_string(),
            })),
        });
        self.last_entry = Some(out.facts.len() - 1);
        if is_nginx_ident(entry.ident)
            && let Some(event) = nginx_error_log::parse_line(text)
        {
            out.facts.push(FactAt {
                span,
                fact: Fact::ErrorEvent(Box::new(event)),
            });
        }
        // An application's line inside a journal: its own parser reads the message too (those
        // parsers accept journald-wrapped lines), so its events are not lost to the journal.
        if let Some(spec) = app_spec(entry.ident) {
            let parsed = (spec.parse)(&ParseContext::new(text, span.start));
            out.facts.extend(
                parsed
                    .facts
                    .into_iter()
                    .filter(|f| !matches!(f.fact, Fact::JournalEntry(_))),
            );
        }
        let extra = if entry.ident == "kernel" {
            self.kernel.read(entry.message)
        } else if entry.ident == "systemd" {
            systemd_oom(entry.message)
        } else {
            None
        };
        if let Some(fact) = extra {
            out.facts.push(FactAt { span, fact });
        }
    }
}

/// systemd's own OOM lines: `php8.3-fpm.service: A process of this unit has been killed by the
/// OOM killer.` and `...: Failed with result 'oom-kill'.` name the unit, not the pid.
fn systemd_oom(message: &str) -> Option<Fact> {
    let (unit, rest) = message.split_once(": ")?;
    let oom = rest.contains("killed by the OOM killer") || rest.contains("Failed with result 'oom-kill'");
    (oom && !unit.contains(' ')).then(|| {
        Fact::OomKill(OomKill {
            pid: None,
            process: unit.to_string(),
        })
    })
}

/// Parses a journal excerpt or syslog file.
pub fn parse(cx: &ParseContext<'_>) -> Parsed {
    let mut out = Parsed::default();
    let mut reader = JournalReader::default();
    for line in lines(cx.text, cx.base) {
        let t = line.text.trim();
        if t.is_empty() {
            reader.break_continuation();
            continue;
        }
        if reader.read(line, &mut out) {
            continue;
        }
        reader.break_continuation();
        if is_pager_line(t) || is_elision(t) {
            continue;
        }
        out.unread.push(line.span);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::MessageClass;

    #[test]
    fn splits_every_timestamp_form() {
        let cases = [
            ("Nov 21 10:00:00 web1 nginx[1698]: hello", "Nov 21 10:00:00", Some(1698)),
            ("Nov  1 10:00:00 web1 kernel: hello", "Nov  1 10:00:00", None),
            (
                "Nov 21 10:00:00.123456 web1 sshd[1]: x",
                "Nov 21 10:00:00.123456",
                Some(1),
            ),
            (
                "2026-11-21T10:00:00+0000 web1 systemd[1]: x",
                "2026-11-21T10:00:00+0000",
                Some(1),
            ),
            (
                "2026-11-21T10:00:00.123456+00:00 web1 cron[9]: x",
                "2026-11-21T10:00:00.123456+00:00",
                Some(9),
            ),
            (
                "Fri 2026-11-21 10:00:00 UTC web1 systemd[1]: x",
                "Fri 2026-11-21 10:00:00 UTC",
                Some(1),
            ),
            ("[12345.678901] web1 kernel: x", "[12345.678901]", None),
            ("1732183200.123456 web1 systemd[1]: x", "1732183200.123456", Some(1)),
            (
                "<30>Nov 21 10:00:00 web1 php-fpm8.3[22]: x",
                "Nov 21 10:00:00",
                Some(22),
            ),
            ("Dez 21 10:00:00 web1 systemd[1]: x", "Dez 21 10:00:00", Some(1)),
            ("2026-11-21 10:00:00 web1 app[7]: x", "2026-11-21 10:00:00", Some(7)),
        ];
        for (line, time, pid) in cases {
            let got = parse_syslog_line(line).unwrap_or_else(|| panic!("not read: {line}"));
            assert_eq!(got.time, time, "{line}");
            assert_eq!(got.pid, pid, "{line}");
        }
        let e = parse_syslog_line("Feb 27 11:58:02 cloud php-fpm8.2[2211]: [27-Feb-2025] ERROR: x").unwrap();
        assert_eq!(
            (e.host, e.ident, e.message),
            ("cloud", "php-fpm8.2", "[27-Feb-2025] ERROR: x")
        );
    }

    #[test]
    fn prose_is_not_a_journal_line() {
        assert!(parse_syslog_line("Starting A high performance web server and a reverse proxy server...").is_none());
        assert!(parse_syslog_line("2026/11/21 10:00:00 [error] 1#1: *1 x").is_none());
        assert!(parse_syslog_line("Nov 21 10:00:00 this is prose: not a log").is_none());
        assert!(parse_syslog_line("").is_none());
        assert!(parse_syslog_line("[é] x y: z").is_none());
        assert!(parse_syslog_line("2025-03-30T22:14:07: PM2 log: App [app:0] online").is_none());
        assert!(
            parse_syslog_line("2025-04-22 10:51:37,204:INFO:certbot._internal.hooks:Running pre-hook command: x")
                .is_none()
        );
    }

    #[test]
    fn nginx_and_kernel_lines_get_extra_facts() {
        let text = "-- Logs begin at Mon 2026-11-20 08:00:00 UTC, end at Fri 2026-11-21 10:05:00 UTC. --\n\
Nov 21 10:00:00 web1 nginx[1698]: nginx: [emerg] bind() to 0.0.0.0:80 failed (98: Address already in use)\n\
Nov 21 10:00:01 web1 kernel: [123.456789] Out of memory: Killed process 1234 (php-fpm8.3) total-vm:1kB\n\
Nov 21 10:00:02 web1 systemd[1]: nginx.service: Failed with result 'exit-code'.\n\
Nov 21 10:00:03 web1 app[7]: Traceback (most recent call last):\n\
\x20   File \"x.py\", line 1\n\
lines 1-6/6 (END)\n\
garbage\n";
        let parsed = parse(&ParseContext::new(text, 0));
        let types: Vec<&str> = parsed.facts.iter().map(|f| f.fact.type_id()).collect();
        assert_eq!(
            types,
            [
                "journal-entry",
                "error-event",
                "journal-entry",
                "oom-kill",
                "journal-entry",
                "journal-entry"
            ]
        );
        let Fact::ErrorEvent(e) = &parsed.facts[1].fact else {
            panic!()
        };
        assert_eq!(e.class, MessageClass::BindFailed);
        let Fact::JournalEntry(last) = &parsed.facts[5].fact else {
            panic!()
        };
        assert!(last.message.ends_with("line 1"));
        assert_eq!(parsed.unread.len(), 1);
    }

    #[test]
    fn systemd_oom_names_the_unit() {
        let text = "Nov 21 10:00:00 web1 systemd[1]: php8.3-fpm.service: A process of this unit has been killed by the OOM killer.\n";
        let parsed = parse(&ParseContext::new(text, 0));
        assert!(matches!(&parsed.facts[1].fact, Fact::OomKill(o) if o.process == "php8.3-fpm.service"));
    }
}

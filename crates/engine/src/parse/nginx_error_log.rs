//! nginx error log: file, console (`nginx: [emerg]`), syslog-, journald- and compose-wrapped
//! lines, bare messages, and multi-line `FastCGI sent in stderr` entries.
//!
//! Hand-written rather than one big regex: the line format is fixed (reference §1), the tail is
//! matched from the right so that upstream text inside the message cannot confuse it, and a
//! large log parses at hundreds of MB/s.

use crate::facts::{ErrorEvent, Fact, FactAt, Level, LogForm, MessageClass};
use crate::kind::Kind;
use crate::parse::registry::{KindSpec, share_of_lines};
use crate::parse::{ParseContext, Parsed};
use crate::shared_str::SharedStr;
use crate::span::{Span, anchor, lines};

/// How error logs are recognised and parsed.
pub const SPEC: KindSpec = KindSpec {
    kind: Kind::NginxErrorLog,
    embeds: &[],
    command: |program, args| {
        // `tail /var/log/nginx/error.log` is handled by the file hint; these print error lines.
        (program == "journalctl" && args.iter().any(|a| a.contains("nginx")))
            || (program == "docker" && args.first() == Some(&"logs") && args.iter().any(|a| a.contains("nginx")))
    },
    file: |path| {
        let name = path.rsplit('/').next().unwrap_or(path);
        name.contains("error.log") || name.contains("error_log") || (name.ends_with(".log") && name.contains("error"))
    },
    line: Some(|l| is_error_line(l) || is_entrypoint_line(l)),
    block: |lines| share_of_lines(lines, |l| is_error_line(l) || is_entrypoint_line(l)),
    parse,
};

/// The `while ...` phase markers nginx writes (reference §1.3), longest first where they share
/// a suffix.
const ACTIONS: &[&str] = &[
    "connecting to upstream",
    "SSL handshaking to upstream",
    "sending request to upstream",
    "reading response header from upstream",
    "reading upstream",
    "proxying upgraded connection",
    "sending early hints to client",
    "sending to client",
    "waiting for request",
    "SSL handshaking",
    "reading PROXY protocol",
    "reading client request line",
    "reading client request headers",
    "reading client pipelined request line",
    "keepalive",
    "closing request",
    "sending response to client",
    "resolving",
    "reading client request body",
    "sending request body to upstream",
    "reading request body",
    "logging request",
    "reading from upstream",
];

/// nginx writes at most 2048 bytes per entry; a continuation beyond this is not one entry.
const MAX_ENTRY_BYTES: usize = 16 * 1024;

/// Parses an nginx error log piece.
pub fn parse(cx: &ParseContext<'_>) -> Parsed {
    // Nearly every line of a log is an entry: room for one fact per line up front, rather than
    // a vector that doubles (and copies itself) as a large log is read.
    let line_count = memchr::memchr_iter(b'\n', cx.text.as_bytes()).count() + 1;
    let mut out = Parsed {
        facts: Vec::with_capacity(line_count),
        ..Parsed::default()
    };
    // Entries read from their own lines keep parts of the paste (or of one copy of the piece,
    // when it lies in no paste): no copy per line.
    let paste = Source::in_paste(cx.text, cx.paste);
    // An entry still open because its FastCGI stderr text spans lines.
    let mut open: Option<OpenEntry> = None;
    // The last entry, which indented continuation lines may extend: its fact index, span, and
    // joined text once it has been joined (before that, the line itself: not copied per line).
    let mut wrapped: Option<(usize, Span, Option<String>)> = None;
    for line in lines(cx.text, cx.base) {
        if let Some(mut entry) = open.take() {
            let continues = entry.joined.len() < MAX_ENTRY_BYTES && !line.text.trim().is_empty();
            if continues && parse_line_in(line.text, &paste).is_none() {
                entry.joined.push('\n');
                entry.joined.push_str(line.text);
                entry.span = entry.span.join(line.span);
                // The joined text was not closed before; the patterns hold no line break, so
                // only the new line can close it.
                let closed = stderr_closed(line.text);
                if entry.head_is_file_form {
                    // Read again once, when the entry ends, rather than per line.
                    entry.stale = true;
                    if closed {
                        entry.settle(&mut out);
                    } else {
                        open = Some(entry);
                    }
                    continue;
                }
                if let Some(event) = parse_line(&entry.joined) {
                    out.facts[entry.index] = event_at(entry.span, event);
                    if !closed {
                        open = Some(entry);
                    }
                    continue;
                }
            } else {
                entry.settle(&mut out);
            }
        }
        let text = line.text;
        if is_ignorable(text) {
            wrapped = None;
            continue;
        }
        // An entry a terminal or the person wrapped onto indented lines: join and read again.
        if let Some((index, span, joined)) = wrapped.take()
            && text.starts_with([' ', '\t'])
            && span.len() < MAX_ENTRY_BYTES
            && parse_line_in(text, &paste).is_none()
        {
            let before = joined.unwrap_or_else(|| cx.text[span.start - cx.base..span.end - cx.base].to_string());
            let joined = format!("{} {}", before.trim_end(), text.trim());
            let span = span.join(line.span);
            if let Some(event) = parse_line(&joined) {
                out.facts[index] = event_at(span, event);
                wrapped = Some((index, span, Some(joined)));
                continue;
            }
        }
        match parse_line_in(text, &paste) {
            Some(event) => {
                let stderr = event.class == MessageClass::FastcgiStderr;
                wrapped = (!stderr).then_some((out.facts.len(), line.span, None));
                let still_open = stderr && !stderr_closed(text);
                out.facts.push(event_at(line.span, event));
                if still_open {
                    open = Some(OpenEntry {
                        index: out.facts.len() - 1,
                        span: line.span,
                        joined: text.to_string(),
                        head_is_file_form: file_form_head(text).is_some(),
                        stale: false,
                    });
                }
            }
            None => {
                wrapped = None;
                match crate::parse::wrapped::compose_exit(text) {
                    Some(container) => out.facts.push(FactAt {
                        span: line.span,
                        fact: Fact::Container(Box::new(container)),
                    }),
                    None if is_entrypoint_line(text) => {}
                    None => out.unread.push(line.span),
                }
            }
        }
    }
    if let Some(entry) = open {
        entry.settle(&mut out);
    }
    out
}

/// A FastCGI stderr entry whose text runs onto the following lines.
struct OpenEntry {
    /// Index of its fact.
    index: usize,
    /// Its lines so far.
    span: Span,
    /// Its lines so far, joined with line breaks.
    joined: String,
    /// The first line has the file form's head, so the joined text always reads as an entry
    /// (the head is all `parse_file_form` requires): it is read again only once it is complete.
    head_is_file_form: bool,
    /// Lines were joined since the fact was last read.
    stale: bool,
}

impl OpenEntry {
    /// Replaces the entry's fact by a reading of all its lines, when lines were joined since.
    fn settle(self, out: &mut Parsed) {
        if self.stale
            && let Some(event) = parse_line(&self.joined)
        {
            out.facts[self.index] = event_at(self.span, event);
        }
    }
}

/// The fact of an entry read at `span`.
fn event_at(span: Span, event: ErrorEvent) -> FactAt {
    FactAt {
        span,
        fact: Fact::ErrorEvent(Box::new(event)),
    }
}

/// Lines that carry nothing but are no reason to worry: blanks, `tail` headers, ellipses.
fn is_ignorable(text: &str) -> bool {
    // Most lines start with a letter or digit: no blank, no ellipsis.
    if text.as_bytes().first().is_some_and(u8::is_ascii_alphanumeric) {
        return false;
    }
    let t = text.trim();
    t.is_empty() || t.chars().all(|c| c == '.' || c == '…' || c == '-' || c == ' ') || t == "[...]" || t == "(...)"
}

/// The start-up lines of the official nginx image's entrypoint, as `docker logs` shows them
/// before nginx's own (`/docker-entrypoint.sh: Configuration complete; ready for start up`,
/// `10-listen-on-ipv6-by-default.sh: info: ...`): known framing, nothing to read.
pub fn is_entrypoint_line(text: &str) -> bool {
    let t = unwrap_prefixes(text).0.trim();
    if let Some(rest) = t.strip_prefix("/docker-entrypoint.sh: ") {
        return rest.contains("/docker-entrypoint.d/") || rest.starts_with("Configuration complete");
    }
    let Some((script, rest)) = t.split_once(": ") else {
        return false;
    };
    let (number, name) = script.split_once('-').unwrap_or(("", ""));
    number.len() == 2
        && number.bytes().all(|b| b.is_ascii_digit())
        && (name.ends_with(".sh") || name.ends_with(".envsh"))
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
        && ["info:", "error:", "warn:", "warning:"]
            .iter()
            .any(|l| rest.starts_with(l))
}

/// A FastCGI stderr entry is closed once its tail (` while ...` or `, client: `) follows the
/// closing quote.
fn stderr_closed(text: &str) -> bool {
    find_sep(text, "\" while ").is_some() || find_sep(text, "\", client: ").is_some() || text.ends_with('"')
}

/// True when `text` reads as one nginx error-log line (any form).
pub fn is_error_line(text: &str) -> bool {
    // Fast path: the file form's fixed head says enough (no need to read the message).
    file_form_head(text).is_some() || parse_line(text).is_some()
}

/// The level of a line that starts with the file form's fixed head
/// `YYYY/MM/DD HH:MM:SS [level] `, and the text after it.
fn file_form_head(t: &str) -> Option<(Level, &str)> {
    let b = t.as_bytes();
    let head: &[u8; 21] = b.get(..21)?.try_into().ok()?;
    // The date is digits; the time may be redacted (`14:MM:SS`, `XX:XX:XX`). Tested byte by
    // byte: every line of a log is tested here first.
    let digit = |i: usize| head[i].is_ascii_digit();
    let alnum = |i: usize| head[i].is_ascii_alphanumeric();
    let shape = head[4] == b'/'
        && head[7] == b'/'
        && head[10] == b' '
        && head[13] == b':'
        && head[16] == b':'
        && head[19] == b' '
        && head[20] == b'[';
    if !(shape
        && digit(0)
        && digit(1)
        && digit(2)
        && digit(3)
        && digit(5)
        && digit(6)
        && digit(8)
        && digit(9)
        && alnum(11)
        && alnum(12)
        && alnum(14)
        && alnum(15)
        && alnum(17)
        && alnum(18))
    {
        return None;
    }
    // The level word closes with `] ` (a further `] ` would make the word no level).
    let words = &b[21..b.len().min(21 + LONGEST_LEVEL + 2)];
    let close = 21 + words.windows(2).position(|pair| pair == b"] ")?;
    Some((Level::parse(&t[21..close])?, &t[close + 2..]))
}

/// Length of the longest level word (`notice`).
const LONGEST_LEVEL: usize = "notice".len();

/// Parses one line (or a joined multi-line entry) in any of the forms. `None` when the text
/// is not an nginx error-log line.
pub fn parse_line(text: &str) -> Option<ErrorEvent> {
    parse_line_in(text, &Source::new(text))
}

/// [`parse_line`] of a `text` inside `source`: the event's fields are parts of its copy.
fn parse_line_in(text: &str, source: &Source<'_>) -> Option<ErrorEvent> {
    let event = parse_line_as_written(text, source);
    // A file-form line whose pid could not be read, or a message of no known class, may have
    // been re-spaced.
    let clean = event
        .as_ref()
        .is_some_and(|e| e.class != MessageClass::Other && (e.pid.is_some() || e.form != Some(LogForm::File)));
    if clean {
        return event;
    }
    // A line re-spaced by a translation tool or a word processor (`1706 # 1706: * 795218
    // connect () to unix: /run/x.sock`): read it again with nginx's own spacing.
    match respaced(text) {
        Some(fixed) => parse_line_as_written(&fixed, &Source::new(&fixed))
            .filter(|e| e.class != MessageClass::Other)
            .or(event),
        None => event,
    }
}

/// `text` with the spacing nginx writes restored, when something was re-spaced.
fn respaced(text: &str) -> Option<String> {
    static RESPACE: std::sync::LazyLock<[(regex::Regex, &str); 6]> = std::sync::LazyLock::new(|| {
        let re = |p: &str| regex::Regex::new(p).expect("valid regex");
        [
            (re(r"(\d) # (\d)"), "$1#$2"),
            (re(r"\* (\d)"), "*$1"),
            (re(r"\b([a-z_0-9]+) \(\)"), "$1()"),
            (re(r"\bunix: /"), "unix:/"),
            (re(r"([a-z]): // "), "$1://"),
            (re(r"HTTP / (\d)"), "HTTP/$1"),
        ]
    });
    if !["* ", " # ", " ()", ": /"]
        .iter()
        .any(|sep| find_sep(text, sep).is_some())
    {
        return None;
    }
    let mut fixed = text.to_string();
    for (pattern, replacement) in RESPACE.iter() {
        fixed = pattern.replace_all(&fixed, *replacement).into_owned();
    }
    (fixed != text).then_some(fixed)
}

/// Parses one line in any of the forms, as written.
fn parse_line_as_written(text: &str, source: &Source<'_>) -> Option<ErrorEvent> {
    // Fast path: most lines of a log are the plain file form.
    if let Some(mut event) = parse_file_form(text, source) {
        event.form = Some(LogForm::File);
        return Some(event);
    }
    let (inner, wrapper) = unwrap_prefixes(text);
    if let Some(event) = parse_file_form(inner, source) {
        let mut event = event;
        event.form = Some(wrapper.unwrap_or(LogForm::File));
        return Some(event);
    }
    if let Some(mut event) = parse_console_form(inner, source) {
        if wrapper.is_some() {
            event.form = wrapper;
        }
        return Some(event);
    }
    if let Some(event) = parse_level_form(inner, source).or_else(|| parse_embedded_file_form(inner, source)) {
        return Some(event);
    }
    if let Some(event) = parse_bare(inner, source) {
        return Some(event);
    }
    // `NGINX:  recv() failed (104: ...)`: a label the person put before the message.
    if let Some((label, rest)) = inner.split_once(':')
        && !label.is_empty()
        && label.len() <= 24
        && label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b' ' | b'-' | b'_' | b'.'))
        && rest.starts_with([' ', '\t'])
    {
        return parse_bare(rest, source);
    }
    // `upstream-sent-too-big-header-while-...`: a message turned into a slug.
    let t = inner.trim();
    if !t.contains(' ')
        && t.matches('-').count() >= 3
        && t.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        let unslugged = t.replace('-', " ");
        return parse_bare(&unslugged, &Source::new(&unslugged)).filter(|e| e.class != MessageClass::Other);
    }
    None
}

/// Strips syslog / journald / docker-compose / `docker logs -t` prefixes, returning the inner
/// text and the wrapper found.
pub(crate) fn unwrap_prefixes(text: &str) -> (&str, Option<LogForm>) {
    let mut t = text.trim_start_matches('\u{feff}');
    let mut wrapper = None;
    // docker compose: `web-1  | ...` or `nginx_1 | ...`
    // The compose prefix is a short service name: look for its bar near the start only.
    let head_end = (0..=t.len().min(80))
        .rev()
        .find(|&i| t.is_char_boundary(i))
        .unwrap_or(0);
    let head = t.get(..head_end).unwrap_or("");
    if let Some(bar) = find_sep(head, " | ").or_else(|| find_sep(head, " |"))
        && let (Some(name), Some(rest)) = (t.get(..bar), t.get(bar..).and_then(|r| r.strip_prefix(" |")))
    {
        let rest = rest.strip_prefix(' ').unwrap_or(rest);
        let name = name.trim();
        if !name.is_empty() && name.len() <= 64 && !name.contains(' ') && !name.contains('[') {
            t = rest;
        }
    }
    // `docker logs -t` / kubectl --timestamps: RFC 3339 prefix.
    if let Some(rest) = strip_rfc3339(t) {
        t = rest;
    }
    // <PRI>
    if let Some(rest) = t.strip_prefix('<')
        && let Some((pri, after)) = rest.split_once('>')
        && !pri.is_empty()
        && pri.len() <= 3
        && pri.bytes().all(|b| b.is_ascii_digit())
    {
        t = after;
        wrapper = Some(LogForm::Syslog);
    }
    // `Nov 21 10:00:00 host ident[pid]: ` or `2026-11-21T10:00:00+00:00 host ident: `
    if let Some(rest) = strip_syslog_header(t) {
        let (ident_end, journald) = match find_sep(rest, ": ") {
            Some(i) => (i, rest[..i].contains('[')),
            None => return (text, None),
        };
        let ident = &rest[..ident_end];
        if ident
            .split('[')
            .next()
            .is_some_and(|n| n.contains("nginx") || n.contains("openresty") || n.contains("angie"))
        {
            t = &rest[ident_end + 2..];
            wrapper = Some(if journald && wrapper.is_none() {
                LogForm::Journald
            } else {
                LogForm::Syslog
            });
        }
    }
    (t, wrapper)
}

/// Strips `2024-05-01T10:00:00.123456789Z ` (and offsets) from the start.
pub(crate) fn strip_rfc3339(t: &str) -> Option<&str> {
    let b = t.as_bytes();
    if b.len() < 20 || !(b[4] == b'-' && b[7] == b'-' && b[10] == b'T' && b[13] == b':') {
        return None;
    }
    if !b[..4].iter().all(u8::is_ascii_digit) {
        return None;
    }
    let end = t.find(' ')?;
    Some(&t[end + 1..])
}

/// Strips a syslog timestamp and host: `Nov 21 10:00:00 host ` or an RFC 3339 stamp and host.
pub(crate) fn strip_syslog_header(t: &str) -> Option<&str> {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let after_time = if t.len() > 16 && MONTHS.iter().any(|m| t.starts_with(m)) && t.as_bytes()[3] == b' ' {
        let rest = t[4..].trim_start();
        let (_day, rest) = rest.split_once(' ')?;
        let (time, rest) = rest.split_once(' ')?;
        (time.len() >= 8 && time.as_bytes()[2] == b':').then_some(rest)?
    } else {
        strip_rfc3339(t)?
    };
    let (_host, rest) = after_time.split_once(' ')?;
    Some(rest)
}

/// `2026/11/21 10:00:00 [error] 2211#2211: *4711 message...`
fn parse_file_form(t: &str, source: &Source<'_>) -> Option<ErrorEvent> {
    let (level, rest) = file_form_head(t)?;
    let time = t.get(..19)?;
    let mut rest = rest;
    let mut ids = (None, None);
    if let Some((pid_tid, after)) = split_ids(rest)
        && let Some((pid, tid)) = pid_tid.split_once('#')
        && let (Some(pid), Some(tid)) = (number(pid), number(tid))
    {
        ids = (Some(pid), Some(tid));
        rest = after;
    }
    let (connection, rest) = strip_connection(rest);
    let body = read_body(rest);
    let mut event = ErrorEvent {
        time: Some(source.share(time)),
        level: Some(level),
        pid: ids.0,
        tid: ids.1,
        connection,
        ..Default::default()
    };
    body.fill(&mut event, source);
    Some(event)
}

/// `text.split_once(": ")` for the `PID#TID: ` after the level: read directly when it is digits,
/// `#` and digits (nearly always).
fn split_ids(text: &str) -> Option<(&str, &str)> {
    let b = text.as_bytes();
    let pid_end = b.iter().position(|c| !c.is_ascii_digit()).unwrap_or(b.len());
    if b.get(pid_end) == Some(&b'#') {
        let tid_end = pid_end
            + 1
            + b[pid_end + 1..]
                .iter()
                .position(|c| !c.is_ascii_digit())
                .unwrap_or(b.len() - pid_end - 1);
        if b[tid_end..].starts_with(b": ") {
            return Some((&text[..tid_end], &text[tid_end + 2..]));
        }
    }
    split_sep(text, ": ")
}

/// `text.parse().ok()`, with the all-digits case (nearly every case) read directly.
fn number<T: TryFrom<u64> + std::str::FromStr>(text: &str) -> Option<T> {
    let digits = text.as_bytes();
    // 19 digits always fit in a u64.
    if !digits.is_empty() && digits.len() <= 19 && digits.iter().all(u8::is_ascii_digit) {
        let n = digits.iter().fold(0u64, |n, &d| n * 10 + u64::from(d - b'0'));
        return T::try_from(n).ok();
    }
    text.parse().ok()
}

/// Strips `*4711 ` (the connection number; a redacted `*XXXX ` too) from the start of `rest`:
/// the number (`None` when redacted or absent) and the text after it.
fn strip_connection(rest: &str) -> (Option<u64>, &str) {
    if rest.as_bytes().first() != Some(&b'*') {
        return (None, rest);
    }
    let after = &rest[1..];
    // The token ends at the first byte that is not alphanumeric, which must be a space
    // within 21 bytes.
    let bytes = after.as_bytes();
    let mut token_len = 0;
    while token_len < bytes.len().min(21) && bytes[token_len].is_ascii_alphanumeric() {
        token_len += 1;
    }
    if token_len == 0 || token_len > 20 || bytes.get(token_len) != Some(&b' ') {
        return (None, rest);
    }
    (number(&after[..token_len]), &after[token_len + 1..])
}

/// `[error] 1046#1046: *2094 message...`: the file form with its date cut off.
fn parse_level_form(t: &str, source: &Source<'_>) -> Option<ErrorEvent> {
    let rest = t.strip_prefix('[')?;
    let (level, rest) = rest.split_once("] ")?;
    let level = Level::parse(level)?;
    let (ids, rest) = rest.split_once(": ")?;
    let (pid, tid) = ids.split_once('#')?;
    let pid = pid.parse().ok()?;
    let (connection, rest) = strip_connection(rest);
    let mut event = ErrorEvent {
        level: Some(level),
        pid: Some(pid),
        tid: tid.parse().ok(),
        connection,
        form: Some(LogForm::File),
        ..Default::default()
    };
    read_body(rest).fill(&mut event, source);
    Some(event)
}

/// The file form behind an unknown prefix (`pod container 2024-10-21T10:41:45Z 2024/10/21 ...`,
/// a log shipper's fields): the first nginx timestamp within the line's first 256 bytes.
fn parse_embedded_file_form(t: &str, source: &Source<'_>) -> Option<ErrorEvent> {
    let b = t.as_bytes();
    let limit = b.len().min(256);
    memchr::memchr_iter(b'/', &b[..limit])
        .filter(|&i| i >= 5 && b[i - 1] != b'/')
        .find_map(|slash| {
            let start = slash.checked_sub(4)?;
            if start == 0 || !t.is_char_boundary(start) || b[start - 1] != b' ' {
                return None;
            }
            parse_file_form(&t[start..], source)
        })
}

/// `nginx: [emerg] message in FILE:LINE`
fn parse_console_form(t: &str, source: &Source<'_>) -> Option<ErrorEvent> {
    let rest = t.strip_prefix("nginx: [").or_else(|| t.strip_prefix("openresty: ["))?;
    let (level, rest) = rest.split_once("] ")?;
    let level = Level::parse(level)?;
    let mut event = ErrorEvent {
        level: Some(level),
        form: Some(LogForm::Console),
        ..Default::default()
    };
    read_body(rest).fill(&mut event, source);
    Some(event)
}

/// A message without timestamp or level, accepted only when it is a known upstream template
/// followed by the request tail or an errno, so that arbitrary prose is not taken for a log line.
fn parse_bare(t: &str, source: &Source<'_>) -> Option<ErrorEvent> {
    // A line cut by the person: a trailing comma, a leading `*12 ` connection number.
    let t = t.trim().trim_end_matches(',').trim_end();
    let (connection, t) = strip_connection(t);
    let body = read_body(t);
    if !body.stands_alone() {
        return None;
    }
    let mut event = ErrorEvent {
        connection,
        form: Some(LogForm::Bare),
        ..Default::default()
    };
    body.fill(&mut event, source);
    Some(event)
}

/// What the text after the connection number says, borrowed from it: nothing is copied before
/// the line is known to be an entry.
#[derive(Default)]
struct Body<'a> {
    /// The message up to the errno (or up to the tail when there is no errno).
    message: &'a str,
    class: MessageClass,
    errno: Option<u16>,
    errno_text: Option<&'a str>,
    /// The `while ...` phase: a slice of the text, or an entry of [`ACTIONS`] completing a
    /// phase a pager cut.
    action: Option<&'a str>,
    tail: Option<Tail<'a>>,
    /// `in FILE:LINE` of configuration errors.
    config: Option<(&'a str, u32)>,
    /// The peer named in the message or, for failed connects, in the `upstream:` field.
    target: Option<&'a str>,
}

impl Body<'_> {
    /// True when a message without timestamp or level reads as an nginx entry: a known
    /// template followed by the request tail or an errno (or a template specific enough alone).
    fn stands_alone(&self) -> bool {
        let has_tail = self
            .tail
            .as_ref()
            .is_some_and(|t| t.client.is_some() || t.upstream.is_some())
            || self.action.is_some();
        let strong = matches!(
            self.class,
            MessageClass::NoLiveUpstreams
                | MessageClass::TooBigHeader
                | MessageClass::PrematurelyClosed
                | MessageClass::NoResolver
                | MessageClass::HostNotFoundInUpstream
                | MessageClass::FastcgiProtocol
        ) && (self.errno.is_some() || has_tail || self.config.is_some());
        // The upstream-response templates are specific enough on their own (`upstream sent
        // invalid header: "\x09..."` pasted alone), as long as the line is nothing but the
        // message.
        let specific = matches!(
            self.class,
            MessageClass::TooBigHeader
                | MessageClass::InvalidHeader
                | MessageClass::InvalidResponse
                | MessageClass::FastcgiProtocol
                | MessageClass::Http2Protocol
                | MessageClass::NoValidHttpHeader
                | MessageClass::PrematurelySentResponse
                | MessageClass::SslCertificateVerify
                | MessageClass::SslCertificateName
        ) && self.message.starts_with("upstream ");
        (self.class != MessageClass::Other && (has_tail || self.errno.is_some())) || strong || specific
    }

    /// Puts what was read into `event`, each text a part of `source`.
    fn fill(self, event: &mut ErrorEvent, source: &Source<'_>) {
        let share = |v: Option<&str>| v.map(|v| source.share(v));
        if let Some(tail) = self.tail {
            event.client = share(tail.client);
            event.server = share(tail.server.map(str::trim_end));
            event.request = share(tail.request);
            event.subrequest = share(tail.subrequest);
            event.upstream = share(tail.upstream);
            event.host = share(tail.host);
            event.referrer = share(tail.referrer);
        }
        event.message = source.share(self.message);
        event.class = self.class;
        event.errno = self.errno;
        event.errno_text = share(self.errno_text);
        event.action = share(self.action);
        if let Some((file, line)) = self.config {
            event.config_file = Some(source.share(file));
            event.config_line = Some(line);
        }
        event.target = share(self.target);
    }
}

/// The text entries are read from (a line, or a piece of a paste): every field of its entries
/// is a part of the paste when the text lies in one, else of a copy of the text made when the
/// first field is kept.
struct Source<'a> {
    text: &'a str,
    paste: Option<&'a SharedStr>,
    copy: std::cell::OnceCell<SharedStr>,
}

impl<'a> Source<'a> {
    /// A text of no paste.
    fn new(text: &'a str) -> Self {
        Source::in_paste(text, None)
    }

    /// A text that may lie in `paste`.
    fn in_paste(text: &'a str, paste: Option<&'a SharedStr>) -> Self {
        Source {
            text,
            paste: paste.filter(|p| p.slice_of(text).is_some()),
            copy: std::cell::OnceCell::new(),
        }
    }

    /// `part` as a part of the paste or the copy, when it is a slice of the text (the same
    /// bytes, found by address); text from elsewhere (a phase completed from [`ACTIONS`]) is
    /// copied alone.
    #[inline]
    fn share(&self, part: &str) -> SharedStr {
        if let Some(shared) = self.paste.and_then(|paste| paste.slice_of(part)) {
            return shared;
        }
        // The copy's bytes are not the text's: find the part by its offset in the text.
        let at = (part.as_ptr() as usize).wrapping_sub(self.text.as_ptr() as usize);
        if at <= self.text.len() && part.len() <= self.text.len() - at {
            let copy = self.copy.get_or_init(|| SharedStr::from(self.text));
            return copy.slice_of(&copy[at..at + part.len()]).unwrap_or_default();
        }
        SharedStr::from(part)
    }
}

/// Reads message, errno, action, tail fields, class and target from the text after the
/// connection number.
fn read_body(body: &str) -> Body<'_> {
    let (head, tail) = split_tail(body);
    let mut read = Body::default();
    let has_tail = tail.is_some();
    read.tail = tail;
    let mut head = head;
    // A line cut by a pager or a narrow terminal (`less -S` and nano mark it with `$`,
    // systemctl with `>`): the end of the phase or the errno text may be missing.
    let cut = !has_tail
        && ['$', '>', '…'].iter().any(|m| head.ends_with(*m))
        && (head.contains(" (") || head.contains(" while "))
        && head.len() > 20;
    if cut {
        head = head.trim_end_matches(['$', '>', '…']).trim_end();
        if let Some(i) = rfind_sep(head, " while ") {
            let partial = &head[i + 7..];
            if partial.len() >= 4
                && let Some(action) = ACTIONS.iter().find(|a| a.starts_with(partial))
            {
                read.action = Some(action);
                head = &head[..i];
            }
        }
        if !head.ends_with(')')
            && let Some(open) = rfind_sep(head, " (")
            && let Some((num, text)) = split_sep(&head[open + 2..], ": ")
            && !num.is_empty()
            && num.len() <= 5
            && num.bytes().all(|b| b.is_ascii_digit())
            && !text.contains(')')
        {
            read.errno = num.parse().ok();
            read.errno_text = Some(text);
            head = &head[..open];
        }
    }
    // ` while ACTION` at the end of the head.
    if let Some(i) = rfind_sep(head, " while ") {
        let candidate = &head[i + 7..];
        let known = || {
            ACTIONS
                .iter()
                .any(|a| a.len() == candidate.len() && a.as_bytes()[0] == candidate.as_bytes()[0] && *a == candidate)
        };
        let plausible = || {
            candidate.bytes().filter(|&b| b == b' ').count() < 6
                && candidate
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b' ' || b == b'-')
        };
        if known() || plausible() {
            read.action = Some(candidate);
            head = &head[..i];
        } else if let Some(action) = ACTIONS
            .iter()
            .find(|a| candidate.starts_with(*a) && candidate[a.len()..].starts_with([',', ';']))
        {
            // A tail nginx did not write (retyped, reordered): keep the phase, drop the rest.
            read.action = Some(action);
            head = &head[..i];
        }
    }
    // ` (NUM: TEXT)` errno at the end.
    if head.ends_with(')')
        && let Some(open) = rfind_sep(head, " (")
    {
        let inner = &head[open + 2..head.len() - 1];
        if let Some((num, text)) = split_sep(inner, ": ")
            && !num.is_empty()
            && num.len() <= 5
            && num.bytes().all(|b| b.is_ascii_digit())
        {
            read.errno = number(num);
            read.errno_text = Some(text);
            head = &head[..open];
        }
    }
    // ` in FILE:LINE` of configuration errors (only where the head ends in a line number).
    if head.ends_with(|c: char| c.is_ascii_digit())
        && let Some(i) = rfind_sep(head, " in ")
    {
        let location = &head[i + 4..];
        if let Some((file, line)) = location.rsplit_once(':')
            && (file.starts_with('/') || file.contains('.'))
            && !file.contains(' ')
            && let Ok(line) = line.parse()
        {
            read.config = Some((file, line));
            head = &head[..i];
        }
    }
    read.message = head;
    let (mut class, target) = classify(head);
    // `... failed (111: ...) while connecting to upstream` in words nginx does not use (a log
    // retyped by the person) is still a failed connect.
    if class == MessageClass::Other
        && read.errno.is_some()
        && read.action == Some("connecting to upstream")
        && head.ends_with("failed")
    {
        class = MessageClass::ConnectFailed;
    }
    read.class = class;
    read.target = target.or_else(|| match class {
        MessageClass::ConnectFailed | MessageClass::NoLiveUpstreams => {
            read.tail.as_ref().and_then(|t| t.upstream).map(peer_in_upstream)
        }
        _ => None,
    });
    read
}

/// The request fields nginx appends to a line: `, client: ..., server: ..., request: "..."`.
#[derive(Default)]
struct Tail<'a> {
    client: Option<&'a str>,
    server: Option<&'a str>,
    request: Option<&'a str>,
    subrequest: Option<&'a str>,
    upstream: Option<&'a str>,
    host: Option<&'a str>,
    referrer: Option<&'a str>,
}

/// Splits `message..., client: ..., server: ...` into head and tail, matching the tail from the
/// right so that text inside the message (FastCGI stderr) cannot be taken for it. The commas are
/// scanned once; at most a few candidate tails are parsed per first key, so a line full of fake
/// tails stays linear.
fn split_tail(body: &str) -> (&str, Option<Tail<'_>>) {
    // `, context: ngx.timer` (OpenResty) comes before `, client:`.
    const FIRST_KEYS: [&str; 4] = [", context: ", ", client: ", ", resolver: ", ", upstream: \""];
    const MAX_CANDIDATES: usize = 4;
    let mut candidates = [[0usize; MAX_CANDIDATES]; FIRST_KEYS.len()];
    let mut counts = [0usize; FIRST_KEYS.len()];
    let bytes = body.as_bytes();
    let mut end = bytes.len();
    while let Some(comma) = memchr::memrchr(b',', &bytes[..end]) {
        end = comma;
        // The byte after `, ` tells which key can follow.
        let k = match bytes.get(comma + 1..comma + 3) {
            Some(b" c") if bytes[comma..].starts_with(FIRST_KEYS[0].as_bytes()) => 0,
            Some(b" c") if bytes[comma..].starts_with(FIRST_KEYS[1].as_bytes()) => 1,
            Some(b" r") if bytes[comma..].starts_with(FIRST_KEYS[2].as_bytes()) => 2,
            Some(b" u") if bytes[comma..].starts_with(FIRST_KEYS[3].as_bytes()) => 3,
            _ => continue,
        };
        if counts[k] < MAX_CANDIDATES {
            candidates[k][counts[k]] = comma;
            counts[k] += 1;
        }
    }
    for (list, &count) in candidates.iter().zip(&counts) {
        for &comma in &list[..count] {
            if let Some(tail) = parse_tail(&body[comma + 2..]) {
                return (&body[..comma], Some(tail));
            }
        }
    }
    (body, None)
}

/// Reads a tail in one pass: `key: value` pairs with known keys only, values quoted (with `\"`
/// escapes, closed by a quote followed by `, ` or the end) or running to the next `, `.
fn parse_tail(text: &str) -> Option<Tail<'_>> {
    let mut tail = Tail::default();
    // The value of a key nginx writes that no field keeps.
    let mut dropped = None;
    let mut at = 0;
    loop {
        // A key runs to the first `: ` (no known key holds one).
        let rest = &text.as_bytes()[at..];
        let (key_len, slot) = match rest.first()? {
            b'c' if rest.starts_with(b"client: ") => ("client".len(), &mut tail.client),
            b'c' if rest.starts_with(b"context: ") => ("context".len(), &mut dropped),
            b's' if rest.starts_with(b"server: ") => ("server".len(), &mut tail.server),
            b's' if rest.starts_with(b"subrequest: ") => ("subrequest".len(), &mut tail.subrequest),
            b'r' if rest.starts_with(b"request: ") => ("request".len(), &mut tail.request),
            b'r' if rest.starts_with(b"referrer: ") => ("referrer".len(), &mut tail.referrer),
            b'r' if rest.starts_with(b"resolver: ") => ("resolver".len(), &mut dropped),
            b'u' if rest.starts_with(b"upstream: ") => ("upstream".len(), &mut tail.upstream),
            b'h' if rest.starts_with(b"host: ") => ("host".len(), &mut tail.host),
            b'l' if rest.starts_with(b"login: ") => ("login".len(), &mut dropped),
            _ => return None,
        };
        let (value, next) = read_value(&text[at + key_len + 2..]);
        *slot = Some(value);
        if next.len() > 2 && next.as_bytes().starts_with(b", ") {
            // `next` is the end of `text`.
            at = text.len() - next.len() + 2;
        } else {
            return next.trim().is_empty().then_some(tail);
        }
    }
}

/// Reads one tail value: a quoted string or text up to `, `. Returns the value and what follows.
fn read_value(text: &str) -> (&str, &str) {
    if text.as_bytes().first() == Some(&b'"') {
        let quoted = &text[1..];
        let bytes = quoted.as_bytes();
        let mut i = 0;
        while let Some(off) = memchr::memchr2(b'"', b'\\', &bytes[i..]) {
            i += off;
            if bytes[i] == b'\\' {
                i += 2;
                if i >= bytes.len() {
                    break;
                }
                continue;
            }
            let after = &quoted[i + 1..];
            if after.is_empty() || after.starts_with(", ") {
                return (&quoted[..i], after);
            }
            i += 1;
        }
        (quoted, "")
    } else {
        // `server: , request:` (empty server name) and values up to the next key.
        match find_sep(text, ", ") {
            Some(i) => (&text[..i], &text[i..]),
            None => (text, ""),
        }
    }
}

/// The peer of an `upstream:` value: `fastcgi://unix:/run/x.sock:` → `unix:/run/x.sock`,
/// `http://127.0.0.1:8000/api` → `127.0.0.1:8000`.
pub fn peer_of_upstream(upstream: &str) -> String {
    peer_in_upstream(upstream).to_string()
}

/// [`peer_of_upstream`], borrowed from the value.
fn peer_in_upstream(upstream: &str) -> &str {
    let rest = split_sep(upstream, "://").map_or(upstream, |(_, r)| r);
    if let Some(path) = rest.strip_prefix("unix:") {
        // `unix:/path:` + URI
        let end = memchr::memchr(b':', path.as_bytes()).unwrap_or(path.len());
        return &rest[.."unix:".len() + end];
    }
    let end = memchr::memchr(b'/', rest.as_bytes()).unwrap_or(rest.len());
    &rest[..end]
}

/// The message class and the peer or name the message itself names.
pub fn classify(message: &str) -> (MessageClass, Option<&str>) {
    use MessageClass as C;
    let m = &Phrases::new(message);
    let quoted = |prefix: &str| -> Option<&str> {
        let i = find_sep(message, prefix)?;
        let rest = &message[i + prefix.len()..];
        let end = rest.find('"')?;
        Some(&rest[..end])
    };
    if let Some(rest) = m.strip("connect() to ") {
        let target = rest.strip_suffix(" failed").unwrap_or(rest);
        return (C::ConnectFailed, Some(target));
    }
    if m.starts("connect() failed") || m.has(phrase!("reported that connect() failed")) {
        return (C::ConnectFailed, None);
    }
    if m.starts("upstream timed out") {
        return (C::UpstreamTimedOut, None);
    }
    if m.starts("upstream prematurely closed") {
        return (C::PrematurelyClosed, None);
    }
    if m.starts("upstream prematurely sent response") {
        return (C::PrematurelySentResponse, None);
    }
    if m.starts("upstream sent too big header") {
        return (C::TooBigHeader, None);
    }
    if m.starts("no live upstreams") {
        return (C::NoLiveUpstreams, None);
    }
    if m.starts("upstream server temporarily disabled") {
        return (C::ServerTemporarilyDisabled, None);
    }
    if m.starts("SSL_do_handshake() failed") {
        return (C::SslHandshakeFailed, None);
    }
    if m.starts("peer closed connection in SSL handshake") {
        return (C::SslPeerClosed, None);
    }
    if m.starts("upstream SSL certificate verify error") {
        return (C::SslCertificateVerify, None);
    }
    if m.starts("upstream SSL certificate does not match") {
        return (C::SslCertificateName, quoted("match \""));
    }
    if m.starts("SSL_read() failed") || m.starts("SSL_write() failed") {
        return (C::SslReadWrite, None);
    }
    if let Some(name) = m.strip("no resolver defined to resolve ") {
        return (C::NoResolver, Some(name));
    }
    if let Some(i) = m.find(phrase!(" could not be resolved")) {
        let name = message[..i].rsplit(' ').next().unwrap_or("");
        return (C::CouldNotBeResolved, Some(name));
    }
    if m.has(phrase!("host not found in upstream")) {
        return (C::HostNotFoundInUpstream, quoted("upstream \""));
    }
    if m.starts("host not found in resolver") {
        return (C::ConfigSyntax, quoted("resolver \""));
    }
    if m.starts("recv() failed") || m.starts("readv() failed") || m.has(phrase!("reported about an closed connection"))
    {
        return (C::RecvFailed, None);
    }
    if m.starts("send() failed")
        || m.starts("writev() failed")
        || m.starts("sendfile() failed")
        || m.starts("sendmsg() failed")
    {
        return (C::SendFailed, None);
    }
    if m.starts("upstream sent no valid HTTP/1.0 header") {
        return (C::NoValidHttpHeader, None);
    }
    if m.starts("upstream sent unsupported FastCGI protocol version")
        || m.starts("upstream sent invalid FastCGI record type")
        || m.starts("upstream sent unexpected FastCGI request id")
    {
        return (C::FastcgiProtocol, None);
    }
    if m.starts("FastCGI sent in stderr") {
        return (C::FastcgiStderr, None);
    }
    // Every HTTP/2 upstream template starts with `upstream` (a config error such as
    // `invalid parameter "http2"` is no framing error).
    if (m.starts("upstream") && (m.has(phrase!("http2")) || m.has(phrase!(":status"))))
        || m.starts("upstream rejected request with error")
        || m.starts("upstream sent goaway")
        || m.starts("upstream sent frame for unknown stream")
        || m.starts("upstream prematurely closed stream")
        || m.starts("upstream sent unexpected push promise")
    {
        return (C::Http2Protocol, None);
    }
    if m.starts("upstream sent invalid header") || m.starts("upstream sent invalid status") {
        return (C::InvalidHeader, None);
    }
    if m.starts("upstream sent invalid chunked response")
        || m.starts("upstream sent duplicate header line")
        || m.has(phrase!("\"Content-Length\" and \"Transfer-Encoding\""))
        || m.starts("upstream sent invalid \"Content-Length\"")
        || m.starts("upstream sent unknown \"Transfer-Encoding\"")
        || m.starts("upstream sent HTTP/1.0 response with early hints")
        || m.starts("upstream sent unexpected FastCGI record")
        || m.starts("upstream sent too big trailers")
        || m.starts("upstream sent invalid trailer")
        || m.starts("upstream sent more data than specified")
        || m.starts("upstream sent data after")
        || m.starts("invalid header after joining FastCGI records")
        || m.starts("memcached sent invalid")
    {
        return (C::InvalidResponse, None);
    }
    if m.starts("socket() failed") || m.starts("accept4() failed") || m.starts("accept() failed") {
        return (C::SocketFailed, None);
    }
    if m.has(phrase!("worker_connections are not enough")) {
        return (C::WorkerConnections, None);
    }
    if m.starts("still could not bind()") {
        return (C::StillCouldNotBind, None);
    }
    if let Some(rest) = m.strip("bind() to ") {
        return (C::BindFailed, Some(rest.strip_suffix(" failed").unwrap_or(rest)));
    }
    if let Some(rest) = m.strip("bind(") {
        return (C::BindFailed, rest.split_once(')').map(|(a, _)| a));
    }
    if m.starts("unknown directive") {
        return (C::UnknownDirective, quoted("directive \""));
    }
    if m.starts("invalid PID number") || (m.starts("open() \"") && m.has(phrase!(".pid\""))) || m.starts("kill(") {
        return (C::PidFile, quoted("\""));
    }
    if m.starts("open() \"") {
        return (C::OpenFailed, quoted("open() \""));
    }
    if m.starts("cannot load certificate")
        || m.has(phrase!("\"ssl_certificate\" is defined"))
        || m.starts("SSL_CTX_use_PrivateKey")
        || m.starts("SSL_CTX_use_certificate")
        || m.starts("SSL_CTX_load_verify_locations")
        || m.starts("BIO_new_file(")
        || m.starts("PEM_read_bio")
    {
        return (C::CertificateLoad, None);
    }
    if m.starts("no port in upstream") {
        return (C::NoPortInUpstream, quoted("upstream \""));
    }
    if m.starts("conflicting server name") {
        return (C::ConflictingServerName, quoted("name \""));
    }
    if m.has(phrase!(" exited on signal ")) || m.has(phrase!("exited with fatal code")) {
        return (C::WorkerExited, None);
    }
    if m.has(phrase!("client prematurely closed connection"))
        || m.starts("client closed connection")
        || m.has(phrase!("client timed out"))
    {
        return (C::ClientClosed, None);
    }
    if m.starts("limiting requests") || m.starts("limiting connections") {
        return (C::LimitReached, None);
    }
    const SYNTAX: [Phrase; 31] = Phrase::all([
        "directive is not allowed here",
        "invalid number of arguments",
        "is not terminated by",
        "unexpected \"",
        "unexpected end of file",
        "has no opening",
        "directive is duplicate",
        "invalid parameter",
        "invalid value",
        "duplicate upstream",
        "no servers in upstream",
        "a duplicate default server",
        "duplicate listen options",
        "could not build",
        "getpwnam(",
        "getgrnam(",
        "no resolver defined to resolve names at run time",
        "requires upstream",
        "unknown \"",
        "invalid port",
        "invalid host",
        "is duplicate",
        "zero size shared memory",
        "invalid URL prefix",
        "no \"proxy_ssl_",
        "no proxy_ssl_trusted_certificate",
        "directive",
        "unknown log format",
        "pcre",
        "dlopen(",
        "module \"",
    ]);
    if SYNTAX.iter().any(|s| m.has(*s)) {
        return (C::ConfigSyntax, None);
    }
    (C::Other, None)
}

/// A phrase [`classify`] looks for in messages, with the byte to look for first: its rarest.
#[derive(Clone, Copy)]
struct Phrase {
    text: &'static str,
    anchor: usize,
}

impl Phrase {
    const fn new(text: &'static str) -> Self {
        Phrase {
            text,
            anchor: anchor(text.as_bytes()),
        }
    }

    const fn all<const N: usize>(texts: [&'static str; N]) -> [Phrase; N] {
        let mut phrases = [Phrase { text: "", anchor: 0 }; N];
        let mut i = 0;
        while i < N {
            phrases[i] = Phrase::new(texts[i]);
            i += 1;
        }
        phrases
    }
}

/// A [`Phrase`] with its rarest byte found at compile time.
macro_rules! phrase {
    ($text:literal) => {
        const { Phrase::new($text) }
    };
}
use phrase;

/// A message asked about many phrases in turn (by [`classify`]): a question about a prefix is
/// answered without a compare where the first byte differs, one about a phrase without a search
/// where the message is shorter or (short messages) lacks a byte of it, so that a message of no
/// known template costs little.
struct Phrases<'a> {
    text: &'a str,
    first: Option<u8>,
    /// The bytes a short text holds, read on the first search.
    present: std::cell::OnceCell<Option<ByteSet>>,
}

/// Texts up to this length have their bytes collected before phrases are searched in them.
const SHORT_MESSAGE: usize = 64;

impl<'a> Phrases<'a> {
    fn new(text: &'a str) -> Self {
        Phrases {
            text,
            first: text.as_bytes().first().copied(),
            present: std::cell::OnceCell::new(),
        }
    }

    /// `text.starts_with(prefix)`.
    fn starts(&self, prefix: &str) -> bool {
        self.first == prefix.as_bytes().first().copied() && self.text.starts_with(prefix)
    }

    /// `text.strip_prefix(prefix)`.
    fn strip(&self, prefix: &str) -> Option<&'a str> {
        if self.starts(prefix) {
            Some(&self.text[prefix.len()..])
        } else {
            None
        }
    }

    /// `text.contains(phrase)`.
    fn has(&self, phrase: Phrase) -> bool {
        self.find(phrase).is_some()
    }

    /// `text.find(phrase)`.
    #[inline]
    fn find(&self, phrase: Phrase) -> Option<usize> {
        let p = phrase.text.as_bytes();
        if p.len() > self.text.len() {
            return None;
        }
        let present = self
            .present
            .get_or_init(|| (self.text.len() <= SHORT_MESSAGE).then(|| ByteSet::of(self.text.as_bytes())));
        if let Some(present) = present
            && !(present.has(p[phrase.anchor]) && present.has(p[0]) && present.has(p[p.len() - 1]))
        {
            return None;
        }
        find_anchored(self.text, phrase.text, phrase.anchor)
    }
}

/// A set of bytes, one bit each.
struct ByteSet([u64; 4]);

impl ByteSet {
    fn of(bytes: &[u8]) -> Self {
        let mut set = [0u64; 4];
        for &b in bytes {
            set[usize::from(b >> 6)] |= 1 << (b & 63);
        }
        ByteSet(set)
    }

    fn has(&self, b: u8) -> bool {
        self.0[usize::from(b >> 6)] & (1 << (b & 63)) != 0
    }
}

/// `haystack.find(sep)` for the separators and phrases searched in one log line: a `memchr`
/// for one byte of `sep` and a compare, without the two-way searcher `str::find` sets up per call
/// (which cost more than the rest of a line's parse). `sep` must not be empty.
#[inline(always)]
fn find_sep(haystack: &str, sep: &str) -> Option<usize> {
    find_anchored(haystack, sep, anchor(sep.as_bytes()))
}

/// [`find_sep`] looking for the byte `sep[k]`.
fn find_anchored(haystack: &str, sep: &str, k: usize) -> Option<usize> {
    find_bytes(haystack.as_bytes(), sep.as_bytes(), k)
}

/// [`find_anchored`] in bytes.
fn find_bytes(bytes: &[u8], sep: &[u8], k: usize) -> Option<usize> {
    let mut from = k;
    while from < bytes.len() {
        let at = from + memchr::memchr(sep[k], &bytes[from..])?;
        if holds_at(bytes, at - k, sep) {
            return Some(at - k);
        }
        from = at + 1;
    }
    None
}

/// `text.split_once(sep)`, as [`find_sep`] does it.
#[inline(always)]
fn split_sep<'a>(text: &'a str, sep: &str) -> Option<(&'a str, &'a str)> {
    let at = find_sep(text, sep)?;
    Some((&text[..at], &text[at + sep.len()..]))
}

/// `haystack.rfind(sep)`, as [`find_sep`] does it.
#[inline(always)]
fn rfind_sep(haystack: &str, sep: &str) -> Option<usize> {
    let (bytes, sep) = (haystack.as_bytes(), sep.as_bytes());
    let k = anchor(sep);
    // The anchor byte of a match lies in `k..=len - (sep.len() - k)`.
    let mut end = (bytes.len() + k + 1).checked_sub(sep.len())?;
    while end > k {
        let at = k + memchr::memrchr(sep[k], &bytes[k..end])?;
        if holds_at(bytes, at - k, sep) {
            return Some(at - k);
        }
        end = at;
    }
    None
}

/// `bytes[at..].starts_with(part)`.
fn holds_at(bytes: &[u8], at: usize, part: &[u8]) -> bool {
    bytes.get(at..at + part.len()) == Some(part)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nginx_images_entrypoint_lines_are_framing() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/rules/loopback-upstream-inside-container/entrypoint-lines/compose-logs.txt"
        ))
        .expect("fixture");
        let parsed = parse(&ParseContext::new(&text, 0));
        assert!(parsed.unread.is_empty(), "{:?}", parsed.unread);
        assert!(is_entrypoint_line(
            "nginx-1  | /docker-entrypoint.sh: Configuration complete; ready for start up"
        ));
        assert!(is_entrypoint_line(
            "20-envsubst-on-templates.sh: info: Running envsubst on /etc/nginx/templates/default.conf.template"
        ));
        assert!(!is_entrypoint_line("/docker-entrypoint.sh: exec gunicorn app:app"));
        assert!(!is_entrypoint_line("10-steps.sh: hello"));
    }

    fn one(text: &str) -> ErrorEvent {
        parse_line(text).unwrap_or_else(|| panic!("not parsed: {text}"))
    }

    #[test]
    fn reads_every_field_of_a_file_line() {
        let e = one(
            "2026/11/21 10:00:01 [error] 2211#2211: *4712 connect() failed (111: Connection refused) while connecting to upstream, client: 198.51.100.23, server: api.example.com, request: \"POST /v1/orders HTTP/1.1\", upstream: \"http://127.0.0.1:8000/v1/orders\", host: \"api.example.com\", referrer: \"https://app.example.com/checkout\"",
        );
        assert_eq!(e.time.as_deref(), Some("2026/11/21 10:00:01"));
        assert_eq!(e.level, Some(Level::Error));
        assert_eq!((e.pid, e.tid, e.connection), (Some(2211), Some(2211), Some(4712)));
        assert_eq!(e.message, "connect() failed");
        assert_eq!(e.class, MessageClass::ConnectFailed);
        assert_eq!(e.errno, Some(111));
        assert_eq!(e.errno_text.as_deref(), Some("Connection refused"));
        assert_eq!(e.action.as_deref(), Some("connecting to upstream"));
        assert_eq!(e.client.as_deref(), Some("198.51.100.23"));
        assert_eq!(e.server.as_deref(), Some("api.example.com"));
        assert_eq!(e.request.as_deref(), Some("POST /v1/orders HTTP/1.1"));
        assert_eq!(e.upstream.as_deref(), Some("http://127.0.0.1:8000/v1/orders"));
        assert_eq!(e.host.as_deref(), Some("api.example.com"));
        assert_eq!(e.referrer.as_deref(), Some("https://app.example.com/checkout"));
        assert_eq!(e.target.as_deref(), Some("127.0.0.1:8000"));
        assert_eq!(e.form, Some(LogForm::File));
    }

    #[test]
    fn reads_unix_socket_targets_and_empty_server() {
        let e = one(
            "2026/11/21 10:00:00 [crit] 2211#0: *4711 connect() to unix:/run/php/php8.3-fpm.sock failed (2: No such file or directory) while connecting to upstream, client: 203.0.113.7, server: , request: \"GET /index.php HTTP/1.1\", upstream: \"fastcgi://unix:/run/php/php8.3-fpm.sock:\", host: \"example.com\"",
        );
        assert_eq!(e.target.as_deref(), Some("unix:/run/php/php8.3-fpm.sock"));
        assert_eq!(e.errno, Some(2));
        assert_eq!(e.server.as_deref(), Some(""));
        assert_eq!(e.level, Some(Level::Crit));
    }

    #[test]
    fn reads_bare_and_console_and_wrapped_forms() {
        let bare = one(
            "connect() to unix:/var/run/control.unit.sock failed (13: Permission denied) while connecting to upstream, client: 10.0.0.1, server: , request: \"GET / HTTP/1.1\", upstream: \"http://unix:/var/run/control.unit.sock:/\", host: \"10.0.0.2:8100\"",
        );
        assert_eq!(bare.form, Some(LogForm::Bare));
        assert_eq!(bare.errno, Some(13));
        let console = one("nginx: [emerg] unknown directive \"proxy_pas\" in /etc/nginx/sites-enabled/default:23");
        assert_eq!(console.class, MessageClass::UnknownDirective);
        assert_eq!(console.config_file.as_deref(), Some("/etc/nginx/sites-enabled/default"));
        assert_eq!(console.config_line, Some(23));
        let journald = one(
            "Nov 21 10:00:00 web1 nginx[1698]: nginx: [emerg] bind() to 0.0.0.0:80 failed (98: Address already in use)",
        );
        assert_eq!(journald.form, Some(LogForm::Journald));
        assert_eq!(journald.class, MessageClass::BindFailed);
        assert_eq!(journald.target.as_deref(), Some("0.0.0.0:80"));
        let syslog = one(
            "<163>Nov 21 10:00:00 web1 nginx: 2026/11/21 10:00:00 [error] 12#12: *1 no live upstreams while connecting to upstream, client: 1.2.3.4, server: a, request: \"GET / HTTP/1.1\", upstream: \"http://backend/\", host: \"a\"",
        );
        assert_eq!(syslog.form, Some(LogForm::Syslog));
        assert_eq!(syslog.class, MessageClass::NoLiveUpstreams);
        assert_eq!(syslog.target.as_deref(), Some("backend"));
        let compose = one(
            "nginx-1  | 2026/11/21 10:00:00 [error] 29#29: *1 connect() failed (111: Connection refused) while connecting to upstream, client: 172.18.0.1, server: localhost, request: \"GET / HTTP/1.1\", upstream: \"http://127.0.0.1:3000/\", host: \"localhost\"",
        );
        assert_eq!(compose.errno, Some(111));
    }

    #[test]
    fn reads_cut_lines_and_labelled_summaries() {
        let cut = one(
            "*12 connect() to unix:/var/run/php5-fpm.sock failed (13: Permission denied) while connecting to upstream",
        );
        assert_eq!((cut.connection, cut.errno), (Some(12), Some(13)));
        assert_eq!(cut.target.as_deref(), Some("unix:/var/run/php5-fpm.sock"));
        assert_eq!(cut.action.as_deref(), Some("connecting to upstream"));
        let comma = one(
            "*106 connect() to unix:/var/run/x.sock failed (2: No such file or directory) while connecting to upstream,",
        );
        assert_eq!(
            (comma.errno, comma.action.as_deref()),
            (Some(2), Some("connecting to upstream"))
        );
        let label = one("NGINX:  recv() failed (104: Connection reset by peer)");
        assert_eq!((label.class, label.errno), (MessageClass::RecvFailed, Some(104)));
        assert!(parse_line("nginx: the configuration file /etc/nginx/nginx.conf syntax is ok").is_none());
        assert!(parse_line("*12 hello there").is_none());
    }

    #[test]
    fn reads_openresty_context_tails() {
        let timer = one(
            "2016/08/04 19:39:38 [error] 3475351#0: connect() to [2001:590:1c09:18a::201a]:80 failed (101: Network is unreachable), context: ngx.timer, client: 113.103.62.33, server: 0.0.0.0:443",
        );
        assert_eq!(timer.errno, Some(101));
        assert_eq!(timer.class, MessageClass::ConnectFailed);
        assert_eq!(timer.target.as_deref(), Some("[2001:590:1c09:18a::201a]:80"));
        assert_eq!(timer.client.as_deref(), Some("113.103.62.33"));
    }

    #[test]
    fn reads_lines_cut_by_a_pager() {
        let refused = one("2020/09/08 17:58:56 [error] 3087#3087: *2 connect() failed (111: Connection ref$");
        assert_eq!(refused.class, MessageClass::ConnectFailed);
        assert_eq!(refused.errno, Some(111));
        let nolive = one("2020/09/08 17:58:59 [error] 3089#3089: *3 no live upstreams while connecting to$");
        assert_eq!(nolive.class, MessageClass::NoLiveUpstreams);
        assert_eq!(nolive.action.as_deref(), Some("connecting to upstream"));
    }

    #[test]
    fn reads_bare_upstream_templates_and_certificate_loads() {
        let e = one("upstream sent invalid header: \"\\x09...\"");
        assert_eq!(e.class, MessageClass::InvalidHeader);
        assert_eq!(e.form, Some(LogForm::Bare));
        assert!(parse_line("the upstream sent invalid header yesterday").is_none());
        let config = one("nginx: [emerg] invalid parameter \"http2\" in /etc/nginx/sites-enabled/shop.conf:4");
        assert_eq!(config.class, MessageClass::ConfigSyntax);
        let frame = one(
            "upstream sent too large http2 frame: 4740180 while reading response header from upstream, client: 1.1.1.1, server: a, request: \"GET / HTTP/2.0\", upstream: \"grpc://127.0.0.1:8080\", host: \"a\"",
        );
        assert_eq!(frame.class, MessageClass::Http2Protocol);
        let cert = one(
            "nginx: [emerg] BIO_new_file(\"/etc/letsencrypt/live/example.org/cert.pem\") failed (SSL: error:02001002:system library:fopen:No such file or directory)",
        );
        assert_eq!(cert.class, MessageClass::CertificateLoad);
    }

    #[test]
    fn multibyte_text_in_the_timestamp_is_no_panic() {
        assert!(parse_line("2026/11/21 10:00:0é [error] 1#1: x").is_none());
        assert!(parse_line("2026/11/21 10:00:\u{feff}0 [error] 1#1: x").is_none());
    }

    #[test]
    fn reads_lines_cut_or_redacted_by_people() {
        let e = one(
            "*12 connect() to unix:/var/run/php5-fpm.sock failed (13: Permission denied) while connecting to upstream",
        );
        assert_eq!(
            (e.connection, e.errno, e.class),
            (Some(12), Some(13), MessageClass::ConnectFailed)
        );
        let e = one(
            "*106 connect() to unix:/var/run/x.sock failed (2: No such file or directory) while connecting to upstream,",
        );
        assert_eq!(e.action.as_deref(), Some("connecting to upstream"));
        let e = one(
            "[error] 1046#1046: *2094 upstream timed out (110: Connection timed out) while reading response header from upstream, client: 192.168.17.1, server: localhost, request: \"GET /update HTTP/1.1\", upstream: \"fastcgi://127.0.0.1:9000\", host: \"192.168.17.128\"",
        );
        assert_eq!((e.pid, e.class), (Some(1046), MessageClass::UpstreamTimedOut));
        let e = one(
            "ingress-nginx-controller-678c58d9d6-8p8vj controller 2024-10-21T10:41:45.462803094+02:00 2024/10/21 08:41:45 [crit] 165#165: *18127 SSL_do_handshake() failed (SSL: error:0A000458:SSL routines::tlsv1 unrecognized name:SSL alert number 112) while SSL handshaking to upstream, client: 185.71.112.107, server: a, request: \"GET / HTTP/1.1\", upstream: \"https://209.38.212.82:443/\", host: \"a\"",
        );
        assert_eq!(e.class, MessageClass::SslHandshakeFailed);
        let e = one(
            "2019/10/16 14:MM:SS [crit] 31375#31375: *XXXXXXXX connect() to 127.0.0.1:80 failed (99: Cannot assign requested address) while connecting to upstream",
        );
        assert_eq!(
            (e.connection, e.errno, e.target.as_deref()),
            (None, Some(99), Some("127.0.0.1:80"))
        );
        let e = one("NGINX:  recv() failed (104: Connection reset by peer)");
        assert_eq!(e.class, MessageClass::RecvFailed);
        let e = one("upstream-sent-too-big-header-while-reading-response-header-from-upstream");
        assert_eq!(e.class, MessageClass::TooBigHeader);
        let e = one(
            "failed (111: connection refused) while connecting to upstream, client 172.16.238.1; upstream \"172.16.238.5:80/\"",
        );
        assert_eq!(e.class, MessageClass::ConnectFailed);
    }

    #[test]
    fn reads_lines_a_translator_re_spaced() {
        let e = one(
            "2019/02/07 06:26:30 [crit] 1706 # 1706: * 795218 connect () to unix: /run/php70-fpm.sock failed (2: No such file or directory) while connecting to upstream, client: Upstream: \"fastcgi: // unix: /run/php70-fpm.sock:\", host: \"127.0.0.1\"",
        );
        assert_eq!(
            (e.pid, e.connection, e.class, e.errno),
            (Some(1706), Some(795218), MessageClass::ConnectFailed, Some(2))
        );
        assert_eq!(e.target.as_deref(), Some("unix:/run/php70-fpm.sock"));
    }

    #[test]
    fn joins_entries_wrapped_onto_indented_lines() {
        let text = "2019/10/16 14:MM:SS [crit] 31375#31375: *XXXXXXXX connect() to 127.0.0.1:80 failed\n   (99: Cannot assign requested address) while connecting to upstream, \n   client: X.X.X.X, server: localhost, request: \"GET /Z/X/Y.png HTTP/2.0\", upstream: \n   \"http://127.0.0.1:80/Z/X/Y.png\", host: \"a.tile.openstreetmap.org\", referrer: \"URL\"\n";
        let parsed = parse(&ParseContext::new(text, 0));
        assert_eq!(parsed.facts.len(), 1, "{parsed:?}");
        assert!(parsed.unread.is_empty(), "{parsed:?}");
        let Fact::ErrorEvent(e) = &parsed.facts[0].fact else {
            panic!()
        };
        assert_eq!(
            (e.errno, e.action.as_deref()),
            (Some(99), Some("connecting to upstream"))
        );
        assert_eq!(e.upstream.as_deref(), Some("http://127.0.0.1:80/Z/X/Y.png"));
        assert_eq!(e.host.as_deref(), Some("a.tile.openstreetmap.org"));
    }

    #[test]
    fn prose_is_not_a_log_line() {
        assert!(parse_line("I restarted nginx and it still fails").is_none());
        assert!(parse_line("connect() is what fails here").is_none());
    }

    #[test]
    fn folds_multi_line_fastcgi_stderr() {
        let text = "2026/11/21 10:00:04 [error] 2211#2211: *4720 FastCGI sent in stderr: \"PHP message: PHP Fatal error:  Uncaught Error: x in /var/www/html/db.php:7\nStack trace:\n#0 /var/www/html/index.php(3): require()\n#1 {main}\n  thrown in /var/www/html/db.php on line 7\" while reading response header from upstream, client: 203.0.113.7, server: example.com, request: \"GET / HTTP/1.1\", upstream: \"fastcgi://unix:/run/php/php8.3-fpm.sock:\", host: \"example.com\"\n2026/11/21 10:00:05 [error] 2211#2211: *4721 upstream prematurely closed connection while reading response header from upstream, client: 203.0.113.7, server: example.com, request: \"GET / HTTP/1.1\", upstream: \"fastcgi://unix:/run/php/php8.3-fpm.sock:\", host: \"example.com\"\n";
        let parsed = parse(&ParseContext::new(text, 0));
        assert_eq!(parsed.facts.len(), 2, "{:?}", parsed.facts);
        assert!(parsed.unread.is_empty());
        let Fact::ErrorEvent(first) = &parsed.facts[0].fact else {
            panic!()
        };
        assert_eq!(first.class, MessageClass::FastcgiStderr);
        assert_eq!(first.action.as_deref(), Some("reading response header from upstream"));
        assert_eq!(
            first.upstream.as_deref(),
            Some("fastcgi://unix:/run/php/php8.3-fpm.sock:")
        );
    }

    /// Texts built from the pieces the searches look for, so that near misses are common.
    fn pieces() -> impl proptest::strategy::Strategy<Value = String> {
        let piece = proptest::sample::select(vec![
            ": ",
            ", ",
            " ",
            ":",
            ",",
            "\"",
            "\\",
            "#",
            "12",
            "0",
            "é",
            "a",
            " while ",
            " (",
            ")",
            "client",
            ": /",
            "upstream",
            "could not be resolved",
            "connect() failed",
            "] ",
        ]);
        proptest::collection::vec(piece, 0..12).prop_map(|p| p.concat())
    }

    use proptest::prelude::*;

    proptest! {
        #[test]
        fn byte_searches_agree_with_str_searches(text in pieces(), sep in pieces()) {
            prop_assume!(!sep.is_empty());
            prop_assert_eq!(find_sep(&text, &sep), text.find(sep.as_str()));
            prop_assert_eq!(rfind_sep(&text, &sep), text.rfind(sep.as_str()));
            prop_assert_eq!(split_sep(&text, &sep), text.split_once(sep.as_str()));
            prop_assert_eq!(split_ids(&text), text.split_once(": "));
            let lower = sep.to_ascii_lowercase();
            prop_assert_eq!(
                crate::span::contains_ignore_ascii_case(&text, &lower),
                text.to_ascii_lowercase().contains(lower.as_str())
            );
        }

        #[test]
        fn numbers_read_as_str_parse_reads_them(text in "[+0-9]{0,22}") {
            prop_assert_eq!(number::<u16>(&text), text.parse().ok());
            prop_assert_eq!(number::<u32>(&text), text.parse().ok());
            prop_assert_eq!(number::<u64>(&text), text.parse().ok());
        }

        #[test]
        fn phrases_are_found_where_str_finds_them(text in pieces()) {
            let m = Phrases::new(&text);
            let phrases = Phrase::all(["client", "upstream", " while ", "could not be resolved", "connect() failed", ": /"]);
            for p in phrases {
                prop_assert_eq!(m.find(p), text.find(p.text), "{}", p.text);
            }
        }
    }

    #[test]
    fn a_fastcgi_entry_read_once_complete_is_the_entry_read_whole() {
        let lines = [
            "2026/11/21 10:00:03 [error] 2211#2211: *1003 FastCGI sent in stderr: \"PHP message: PHP Warning:  x in /var/www/a.php on line 12",
            "Stack trace:",
            "#0 {main}\" while reading response header from upstream, client: 203.0.113.3, server: example.com, request: \"GET / HTTP/1.1\", upstream: \"fastcgi://unix:/run/php/php8.3-fpm.sock:\", host: \"example.com\"",
        ];
        // Complete, cut after the second line (end of paste), cut by a blank line.
        for (text, joined) in [
            (lines.join("\n"), lines.join("\n")),
            (lines[..2].join("\n"), lines[..2].join("\n")),
            (
                format!("{}\n{}\n\n{}", lines[0], lines[1], lines[2]),
                lines[..2].join("\n"),
            ),
        ] {
            let parsed = parse(&ParseContext::new(&text, 0));
            let Fact::ErrorEvent(first) = &parsed.facts[0].fact else {
                panic!("{parsed:?}")
            };
            assert_eq!(&**first, &one(&joined), "{text}");
            assert_eq!(parsed.facts[0].span, Span::new(0, joined.len()));
        }
    }

    #[test]
    fn reports_unread_lines() {
        let text = "2026/11/21 10:00:04 [error] 1#1: *1 upstream timed out (110: Connection timed out) while reading response header from upstream, client: 1.1.1.1, server: x, request: \"GET / HTTP/1.1\", upstream: \"http://10.0.0.2:80/\", host: \"x\"\nsomething else\n\n";
        let parsed = parse(&ParseContext::new(text, 0));
        assert_eq!(parsed.facts.len(), 1);
        assert_eq!(parsed.unread.len(), 1);
    }
}

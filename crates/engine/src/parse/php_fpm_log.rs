//! PHP-FPM log: master log lines (`[21-Nov-2026 10:00:00] WARNING: [pool www] ...`), the debug
//! form (microseconds and `pid N, func(), line N:`), the syslog form (`[WARNING] ...`),
//! journald- and compose-wrapped lines, `child N said into stderr` lines, PHP's own error-log
//! lines (`[21-Nov-2026 10:00:00 UTC] PHP Fatal error:  ...`), FPM's access log, and `php-fpm -t`.
//!
//! Every template of the reference (§5.1, §5.2) maps to an [`FpmClass`]; the numbers a message
//! carries (child pid, signal, exit code, limit, errno) and its script or address are read out.
//! The line helpers are shared with the configuration parser (`php-fpm -tt` prints its dump as
//! log lines) and the slow-log parser (same timestamp).

use crate::facts::{Fact, FactAt, FpmClass, FpmEvent};
use crate::kind::Kind;
use crate::parse::registry::{KindSpec, share_of_lines};
use crate::parse::wrapped;
use crate::parse::{ParseContext, Parsed};
use crate::span::lines;

/// How PHP-FPM logs are recognised and parsed.
pub const SPEC: KindSpec = KindSpec {
    kind: Kind::PhpFpmLog,
    embeds: &[],
    command: |program, args| {
        program.starts_with("php-fpm") && args.iter().any(|a| matches!(*a, "-t" | "--test")) && !args.contains(&"-tt")
    },
    file: |path| {
        let name = path.rsplit('/').next().unwrap_or(path);
        (path.contains("fpm") || name.starts_with("php") && name.contains("error"))
            && name.contains(".log")
            && !name.contains("slow")
            && !name.contains("access")
    },
    line: Some(is_strong_fpm_line),
    // `php-fpm -tt` dump lines parse as log lines but are configuration: they do not count.
    block: |lines| share_of_lines(lines, |l| parse_line(l).is_some() && !is_dump_line(l)),
    parse,
};

/// Parses a PHP-FPM log piece.
pub fn parse(cx: &ParseContext<'_>) -> Parsed {
    let mut out = Parsed::default();
    for line in lines(cx.text, cx.base) {
        if is_ignorable(line.text) {
            continue;
        }
        match parse_line(line.text) {
            Some(event) => out.facts.push(FactAt {
                span: line.span,
                fact: Fact::FpmEvent(Box::new(event)),
            }),
            None => out.unread.push(line.span),
        }
    }
    out
}

fn is_ignorable(text: &str) -> bool {
    let t = wrapped::unwrap(text).inner.trim();
    t.is_empty() || t.chars().all(|c| matches!(c, '.' | '…' | '-' | ' ')) || matches!(t, "[...]" | "(...)")
}

/// The levels FPM writes.
const LEVELS: &[&str] = &["DEBUG", "NOTICE", "WARNING", "ERROR", "ALERT"];

/// The fixed head of an FPM log line: time, level, and the text after them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Head<'a> {
    /// `21-Nov-2026 10:00:00` (with `.uuuuuu` in debug mode, with a zone in PHP's error log).
    pub time: Option<&'a str>,
    /// `WARNING`...
    pub level: Option<&'a str>,
    /// The text after the level (after `pid N, func(), line N: ` in debug mode).
    pub rest: &'a str,
    /// The line was wrapped by syslog/journald under a `php-fpm` identifier.
    pub fpm_ident: bool,
}

/// Reads `[21-Nov-2026 10:00:00] ` (a missing `[` is tolerated: pastes often cut it) and
/// returns the time and the rest.
pub(crate) fn split_time(text: &str) -> Option<(&str, &str)> {
    let t = text.strip_prefix('[').unwrap_or(text);
    let (time, rest) = t.split_once(']')?;
    let b = time.as_bytes();
    let shaped = b.len() >= 20
        && b[0].is_ascii_digit()
        && b[1].is_ascii_digit()
        && b[2] == b'-'
        && b[3].is_ascii_alphabetic()
        && b[6] == b'-'
        && b[7..11].iter().all(u8::is_ascii_digit)
        && b[11] == b' '
        && b[14] == b':'
        && b[17] == b':';
    shaped.then_some((time, rest))
}

/// Splits a line into time, level and message (any wrapper removed). `None` when the line has
/// neither an FPM timestamp nor a level.
pub(crate) fn split_head(text: &str) -> Option<Head<'_>> {
    let u = wrapped::unwrap(text);
    let fpm_ident = wrapped::ident_starts_with(&u, &["php-fpm", "php"]);
    let mut inner = u.inner.trim_end();
    // A person's own `PHP-FPM:` label (hand-summarised pastes) names the program like an ident.
    let mut fpm_ident = fpm_ident;
    if let Some(label) = inner.get(..8)
        && label.eq_ignore_ascii_case("php-fpm:")
        && inner.as_bytes().get(8) == Some(&b' ')
    {
        inner = inner[8..].trim_start();
        fpm_ident = true;
    }
    let mut head = Head {
        rest: inner,
        fpm_ident,
        ..Default::default()
    };
    let mut rest = inner;
    if let Some((time, after)) = split_time(inner) {
        head.time = Some(time);
        rest = after.trim_start();
    }
    // `LEVEL: ` or the syslog form `[LEVEL] `.
    let level = LEVELS.iter().find_map(|l| {
        rest.strip_prefix(l)
            .and_then(|r| r.strip_prefix(": "))
            .or_else(|| rest.strip_prefix(l).filter(|r| *r == ":").map(|_| ""))
            .map(|r| (*l, r))
            .or_else(|| {
                rest.strip_prefix('[')
                    .and_then(|r| r.strip_prefix(l))
                    .and_then(|r| r.strip_prefix("] "))
                    .map(|r| (*l, r))
            })
    });
    if let Some((level, after)) = level {
        head.level = Some(level);
        rest = after;
        // Debug form: `pid 12, fpm_children_make(), line 412: `.
        if let Some(after_pid) = rest.strip_prefix("pid ")
            && let Some((_, after_line)) = after_pid.split_once("(), line ")
            && let Some((num, msg)) = after_line.split_once(": ")
            && num.bytes().all(|b| b.is_ascii_digit())
        {
            rest = msg;
        }
    }
    head.rest = rest;
    (head.time.is_some() || head.level.is_some() || fpm_ident).then_some(head)
}

/// True when a head's message is a line of the `php-fpm -tt` configuration dump (`[www]`,
/// `\tlisten = ...`, or the blank separator), which belongs to the configuration kind.
pub(crate) fn is_dump_message(message: &str) -> bool {
    if message.trim().is_empty() {
        return true;
    }
    if let Some(name) = message.strip_prefix('[').and_then(|m| m.strip_suffix(']')) {
        return !name.is_empty() && !name.contains(' ');
    }
    let indented = message.starts_with('\t') || message.starts_with("  ") || message.starts_with(' ');
    indented
        && message.trim_start().split_once(" = ").is_some_and(|(key, _)| {
            !key.is_empty()
                && key
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'[' | b']' | b'-'))
        })
}

/// A `NOTICE:` line of the `php-fpm -tt` dump.
fn is_dump_line(text: &str) -> bool {
    split_head(text).is_some_and(|h| h.level == Some("NOTICE") && is_dump_message(h.rest))
}

/// True for a line that on its own says "PHP-FPM log": an FPM header with a level, a
/// `[pool x]` message or a known template, and not a `-tt` dump line.
pub fn is_strong_fpm_line(text: &str) -> bool {
    match split_head(text) {
        Some(head) if head.level.is_some() && !is_dump_message(head.rest) => {
            head.time.is_some() || head.rest.starts_with("[pool ") || classify(head.rest) != FpmClass::Other
        }
        Some(head) if head.level.is_none() && head.time.is_some() => is_php_error(head.rest),
        _ => read_access_line(wrapped::unwrap(text).inner).is_some(),
    }
}

/// PHP's own error-log message: `PHP Fatal error:  ...`, `PHP Warning:  ...`.
fn is_php_error(message: &str) -> bool {
    message.starts_with("PHP ") && message.get(4..).is_some_and(|m| m.contains(':'))
        || message.starts_with("PHP message:")
}

/// Parses one line in any of the forms. `None` when it is not a PHP-FPM log line.
pub fn parse_line(text: &str) -> Option<FpmEvent> {
    let Some(head) = split_head(text) else {
        return read_access_line(wrapped::unwrap(text).inner).map(|message| FpmEvent {
            class: FpmClass::AccessLine,
            message: message.to_string(),
            ..Default::default()
        });
    };
    let mut message = head.rest;
    let mut pool = None;
    if let Some(after) = message.strip_prefix("[pool ")
        && let Some((name, rest)) = after.split_once(']')
    {
        pool = Some(name.to_string());
        message = rest.trim_start();
    } else if let Some(after) = message.strip_prefix("pool ")
        && let Some((name, rest)) = after.split_once(": ")
        && !name.contains(' ')
    {
        // Old PHP: `pool www: ...`.
        pool = Some(name.to_string());
        message = rest;
    }
    let class = classify(message);
    let accepted = match (head.time, head.level) {
        (Some(_), Some(_)) => true,
        (Some(_), None) => is_php_error(message),
        (None, Some(_)) => pool.is_some() || class != FpmClass::Other || head.fpm_ident,
        (None, None) => head.fpm_ident,
    };
    if !accepted {
        return None;
    }
    let mut event = FpmEvent {
        time: head.time.map(str::to_string),
        level: head.level.map(str::to_string),
        pool,
        class,
        message: message.to_string(),
        ..Default::default()
    };
    fill_numbers(&mut event, message);
    Some(event)
}

/// FPM's access log (`access.format`, default `%R - %u %t "%m %r" %s`):
/// `172.18.0.3 -  21/Nov/2026:10:00:00 +0000 "GET /index.php" 200`. Returns the line.
fn read_access_line(text: &str) -> Option<&str> {
    let t = text.trim();
    let (client, rest) = t.split_once(' ')?;
    let client_ok = client.contains(['.', ':'])
        && client
            .bytes()
            .all(|b| b.is_ascii_hexdigit() || matches!(b, b'.' | b':' | b'%'));
    if !client_ok {
        return None;
    }
    let (before, quoted) = rest.split_once('"')?;
    let has_time = before.split_whitespace().any(|w| {
        let b = w.as_bytes();
        b.len() >= 20 && b[2] == b'/' && b[6] == b'/' && b[11] == b':'
    });
    let (request, after) = quoted.split_once('"')?;
    let method_ok = request
        .split(' ')
        .next()
        .is_some_and(|m| (3..=7).contains(&m.len()) && m.bytes().all(|b| b.is_ascii_uppercase()));
    let status_ok = after
        .split_whitespace()
        .next()
        .is_some_and(|s| s.len() == 3 && s.bytes().all(|b| b.is_ascii_digit()));
    (has_time && method_ok && status_ok && !request.contains(" HTTP/")).then_some(t)
}

/// The class of an FPM message (the part after level and pool).
pub fn classify(message: &str) -> FpmClass {
    use FpmClass as C;
    let m = message;
    let has = |s: &str| m.contains(s);
    if has("server reached pm.max_children setting") || has("server reached max_children setting") {
        return C::MaxChildrenReached;
    }
    if has("seems busy (you may need to increase") {
        return C::SeemsBusy;
    }
    if has("maximum number of processes has been reached") {
        return C::MaxProcessesReached;
    }
    if let Some((_, said)) = m
        .split_once(" said into stderr: ")
        .or_else(|| m.split_once(" said into stdout: "))
    {
        // The worker's own text decides (`Connection disallowed` comes this way); else it is PHP's.
        let inner = said.trim_matches('"');
        let inner = LEVELS
            .iter()
            .find_map(|l| inner.strip_prefix(l).and_then(|r| r.strip_prefix(": ")))
            .unwrap_or(inner);
        return match classify(inner) {
            C::Other => C::PhpMessage,
            class => class,
        };
    }
    if has(" said into stderr") || has(" said into stdout") || is_php_error(m) {
        return C::PhpMessage;
    }
    if has(" exited on signal ") {
        return C::ExitedOnSignal;
    }
    if has(" exited with code ") {
        return C::ExitedWithCode;
    }
    if has("has been killed by the process management") {
        return C::ChildKilledIdle;
    }
    if has("execution timed out") {
        return C::ExecutionTimedOut;
    }
    if has("executing too slow") {
        return C::ExecutingTooSlow;
    }
    if has("stopped for tracing") || has("about to trace") || has("finished trace of") {
        return C::Tracing;
    }
    if has("ptrace") || has("'request_slowlog_timeout' is not supported") {
        return C::PtraceFailed;
    }
    if has("unable to bind listening socket")
        || has("failed to listen to address")
        || has("failed to create new listening socket")
    {
        return C::UnableToBind;
    }
    if has("FPM instance seems to already listen") {
        return C::AnotherInstance;
    }
    if has("FPM initialization failed") {
        return C::InitializationFailed;
    }
    if has("child failed to initialize") {
        return C::ChildFailedToInitialize;
    }
    if has("cannot get uid for user") || has("cannot get gid for group") {
        return C::CannotGetUid;
    }
    if has("failed to chown() the socket") {
        return C::ChownFailed;
    }
    if has("ACL set, listen.") {
        return C::AclOverridesOwner;
    }
    if has("is ignored when FPM is not running as root") {
        return C::NotRunningAsRoot;
    }
    if has("Connection disallowed: IP address") {
        return C::ConnectionDisallowed;
    }
    if has("failed processes threshold") {
        return C::FailedProcessesThreshold;
    }
    if has("as path is too long") {
        return C::SocketPathTooLong;
    }
    if has("fork() failed") {
        return C::ForkFailed;
    }
    if has("PID file") {
        return C::PidFile;
    }
    if m.starts_with("child ") && m.ends_with(" started") {
        return C::ChildStarted;
    }
    if has("fpm is running, pid") || has("ready to handle connections") {
        return C::Ready;
    }
    if has("exiting, bye-bye") || m.starts_with("Terminating ...") || m.starts_with("Finishing ...") {
        return C::Exiting;
    }
    if has("Reloading in progress") || m.starts_with("reloading: execvp") || has("using inherited socket") {
        return C::Reloading;
    }
    if m.starts_with("configuration file ") && m.ends_with("test is successful") {
        return C::ConfigTestOk;
    }
    const CONFIG: &[&str] = &[
        "unknown entry",
        "Unable to include",
        "unable to include",
        "failed to load configuration file",
        "failed to open configuration file",
        "failed to post process the configuration",
        "please specify user and group other than root",
        "must be specified for use with",
        "must be a positive value",
        "must be less than or equal to",
        "must not be less than",
        "invalid value for",
        "unable to parse value",
        "No pool defined",
        "There is no pool defined",
        "is not set",
        "syntax error",
        "Syntax error",
        "invalid PHP value",
        "cannot be found",
        "failed to open error_log",
        "failed to get current working directory",
        "chdir(",
        "chroot(",
    ];
    if m.starts_with("[/") || CONFIG.iter().any(|s| m.contains(s)) {
        return C::ConfigError;
    }
    C::Other
}

/// Reads child pid, signal, exit code, limit, script, address and errno out of the message.
fn fill_numbers(event: &mut FpmEvent, m: &str) {
    event.child = number_after(m, "child ").and_then(|n| u32::try_from(n).ok());
    if event.child.is_none() {
        event.child = number_after(m, "trace of ")
            .or_else(|| number_after(m, "about to trace "))
            .or_else(|| number_after(m, "ptrace(ATTACH) child "))
            .and_then(|n| u32::try_from(n).ok());
    }
    event.signal = number_after(m, "exited on signal ").and_then(|n| u32::try_from(n).ok());
    event.exit_code = number_after(m, "exited with code ").and_then(|n| i32::try_from(n).ok());
    event.limit = number_after(m, "max_children setting (")
        .or_else(|| number_after(m, "threshold ("))
        .and_then(|n| u32::try_from(n).ok());
    event.script = quoted_after(m, "script '").map(str::to_string);
    event.address = quoted_after(m, "for address '")
        .or_else(|| quoted_after(m, "listen to address '"))
        .or_else(|| quoted_after(m, "IP address '"))
        .or_else(|| quoted_after(m, "UNIX socket '"))
        .or_else(|| quoted_after(m, "the socket '"))
        .map(str::to_string)
        .or_else(|| {
            m.split_once("seems to already listen on ")
                .map(|(_, a)| a.trim_end_matches('.').trim().to_string())
        });
    // SYSERROR tail: `...: Address already in use (98)`.
    if let Some(inner) = m.strip_suffix(')')
        && let Some(open) = inner.rfind(" (")
        && inner[..open].contains(": ")
    {
        let num = &inner[open + 2..];
        if !num.is_empty() && num.len() <= 4 && num.bytes().all(|b| b.is_ascii_digit()) {
            event.errno = num.parse().ok();
        }
    }
}

/// The digits right after `marker` (first occurrence followed by digits).
fn number_after(text: &str, marker: &str) -> Option<u64> {
    let mut from = 0;
    while let Some(i) = text.get(from..)?.find(marker) {
        let start = from + i + marker.len();
        let digits: &str = &text[start..];
        let len = digits.bytes().take_while(u8::is_ascii_digit).count();
        if len > 0 && len <= 19 {
            return digits[..len].parse().ok();
        }
        from = start;
    }
    None
}

/// The text between `marker` (ending in a quote) and the next `'`.
fn quoted_after<'a>(text: &'a str, marker: &str) -> Option<&'a str> {
    let (_, rest) = text.split_once(marker)?;
    rest.split_once('\'').map(|(q, _)| q)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> FpmEvent {
        parse_line(text).unwrap_or_else(|| panic!("not parsed: {text}"))
    }

    #[test]
    fn reads_a_labelled_summary_line() {
        let e = one("PHP-FPM:  child xxx exited on signal 11 (SIGSEGV)");
        assert_eq!((e.class, e.signal, e.child), (FpmClass::ExitedOnSignal, Some(11), None));
        assert!(parse_line("PHP-FPMx: child 1 exited on signal 11 (SIGSEGV)").is_none());
    }

    #[test]
    fn reads_the_master_templates() {
        let e = one(
            "[21-Nov-2026 10:00:00] WARNING: [pool www] server reached pm.max_children setting (5), consider raising it",
        );
        assert_eq!(e.time.as_deref(), Some("21-Nov-2026 10:00:00"));
        assert_eq!((e.level.as_deref(), e.pool.as_deref()), (Some("WARNING"), Some("www")));
        assert_eq!((e.class, e.limit), (FpmClass::MaxChildrenReached, Some(5)));
        let e = one(
            "[14-Mar-2025 09:12:41] WARNING: [pool www] child 48211, script '/var/www/shop/wp-admin/admin-ajax.php' (request: \"POST /wp-admin/admin-ajax.php\") execution timed out (30.412305 sec), terminating",
        );
        assert_eq!(e.class, FpmClass::ExecutionTimedOut);
        assert_eq!(e.child, Some(48211));
        assert_eq!(e.script.as_deref(), Some("/var/www/shop/wp-admin/admin-ajax.php"));
        assert_eq!(e.errno, None);
        let e = one(
            "[16-Oct-2020 17:03:39] WARNING: [pool www] child 1152 exited on signal 9 (SIGKILL) after 2154.228060 seconds from start",
        );
        assert_eq!(
            (e.class, e.child, e.signal),
            (FpmClass::ExitedOnSignal, Some(1152), Some(9))
        );
        let e = one(
            "[21-Nov-2026 10:00:00] WARNING: [pool www] child 12 exited with code 255 after 1.000000 seconds from start",
        );
        assert_eq!((e.class, e.exit_code), (FpmClass::ExitedWithCode, Some(255)));
        let e = one(
            "[27-Mar-2020 04:15:26] ERROR: unable to bind listening socket for address '127.0.0.1:9000': Address already in use (98)",
        );
        assert_eq!(
            (e.class, e.address.as_deref(), e.errno),
            (FpmClass::UnableToBind, Some("127.0.0.1:9000"), Some(98))
        );
        let e = one(
            "[21-Nov-2026 10:00:00] ERROR: Another FPM instance seems to already listen on /run/php/php8.3-fpm.sock",
        );
        assert_eq!(
            (e.class, e.address.as_deref()),
            (FpmClass::AnotherInstance, Some("/run/php/php8.3-fpm.sock"))
        );
        let e = one(
            "[12-Apr-2018 16:11:26] ERROR: Unable to create the PID file (/run/php-fpm/php-fpm-index.pid).: No such file or directory (2)",
        );
        assert_eq!((e.class, e.errno), (FpmClass::PidFile, Some(2)));
        let e = one(
            "[21-Nov-2026 10:00:03] WARNING: [pool www] child 812 said into stderr: \"NOTICE: PHP message: PHP Fatal error:  Uncaught Error\"",
        );
        assert_eq!((e.class, e.child), (FpmClass::PhpMessage, Some(812)));
        assert_eq!(
            one("[21-Nov-2026 10:00:00] NOTICE: configuration file /etc/php/8.3/fpm/php-fpm.conf test is successful")
                .class,
            FpmClass::ConfigTestOk
        );
        assert_eq!(
            one("[21-Nov-2026 10:00:00] ERROR: FPM initialization failed").class,
            FpmClass::InitializationFailed
        );
        assert_eq!(
            one("[21-Nov-2026 10:00:00] NOTICE: [pool www] child 1518 started").class,
            FpmClass::ChildStarted
        );
        assert_eq!(
            one("[21-Nov-2026 10:00:00] ERROR: Connection disallowed: IP address '172.18.0.5' has been dropped.")
                .address
                .as_deref(),
            Some("172.18.0.5")
        );
    }

    #[test]
    fn reads_every_line_form() {
        let debug = one(
            "[21-Nov-2026 10:00:00.123456] DEBUG: pid 7, fpm_children_make(), line 412: [pool www] child 9 started",
        );
        assert_eq!(
            (debug.time.as_deref(), debug.class, debug.child),
            (Some("21-Nov-2026 10:00:00.123456"), FpmClass::ChildStarted, Some(9))
        );
        let syslog = one(
            "Nov 21 10:00:00 web1 php-fpm[1016]: [WARNING] [pool www] server reached max_children setting (10), consider raising it",
        );
        assert_eq!((syslog.level.as_deref(), syslog.limit), (Some("WARNING"), Some(10)));
        let journald =
            one("Feb 27 11:58:02 cloud php-fpm8.2[2211]: [27-Feb-2025 11:58:02] ERROR: FPM initialization failed");
        assert_eq!(journald.time.as_deref(), Some("27-Feb-2025 11:58:02"));
        let compose = one("php-1    | [05-Aug-2024 16:40:03] NOTICE: [pool www] child 112 started");
        assert_eq!(compose.pool.as_deref(), Some("www"));
        let cut = one("27-Mar-2020 04:15:26] NOTICE: Reloading in progress ...");
        assert_eq!(cut.class, FpmClass::Reloading);
        let bare = one(
            "WARNING: [pool www] child 3 exited on signal 11 (SIGSEGV - core dumped) after 9.000000 seconds from start",
        );
        assert_eq!(bare.signal, Some(11));
        let php = one(
            "[21-Nov-2026 10:00:00 UTC] PHP Fatal error:  Allowed memory size of 134217728 bytes exhausted in /var/www/x.php on line 3",
        );
        assert_eq!(php.class, FpmClass::PhpMessage);
        let access = one("172.18.0.3 -  21/Nov/2026:10:00:00 +0000 \"GET /index.php\" 200");
        assert_eq!(access.class, FpmClass::AccessLine);
    }

    #[test]
    fn rejects_other_text() {
        assert!(parse_line("ERROR: something of another tool").is_none());
        assert!(parse_line("I restarted php-fpm").is_none());
        assert!(parse_line("2026/11/21 10:00:00 [error] 1#1: *1 connect() failed").is_none());
        assert!(!is_strong_fpm_line(
            "[21-Nov-2026 10:00:00] NOTICE: \tlisten = /run/php/php8.3-fpm.sock"
        ));
        assert!(!is_strong_fpm_line("[21-Nov-2026 10:00:00] NOTICE: [www]"));
        assert!(is_strong_fpm_line(
            "[21-Nov-2026 10:00:00] NOTICE: fpm is running, pid 1"
        ));
        for odd in [
            "[",
            "[21-Nov-2026 10:00:00",
            "1.2.3.4 \"",
            "[01-Jan-2000 00:00:00]",
            "é]",
        ] {
            let _ = parse_line(odd);
        }
    }
}

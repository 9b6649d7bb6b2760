//! Kernel log: `dmesg` (`[12345.678901]` stamps, `dmesg -T` human stamps, `dmesg -x` facility
//! prefixes, `--time-format iso`), `journalctl -k` and syslog `kernel:` lines, and bare kernel
//! messages. Every stamped line is a `JournalEntry` (ident `kernel`); OOM kills become
//! `OomKill`, and segfaults, a full conntrack table, SYN flooding, TCP memory pressure and the
//! like become `KernelEvent`. [`KernelReader`] is shared with the journal parser.

use std::sync::LazyLock;

use regex::Regex;

use crate::facts::{Fact, FactAt, JournalEntry, KernelEvent, OomKill};
use crate::kind::Kind;
use crate::parse::columns::{is_elision, is_pager_line};
use crate::parse::journal::{JournalReader, parse_syslog_line};
use crate::parse::registry::KindSpec;
use crate::parse::{ParseContext, Parsed};
use crate::span::lines;

/// How kernel logs are recognised and parsed.
pub const SPEC: KindSpec = KindSpec {
    kind: Kind::KernelLog,
    embeds: &[Kind::AuditLog, Kind::Apparmor],
    command: |program, args| {
        program == "dmesg" || (program == "journalctl" && args.iter().any(|a| *a == "-k" || *a == "--dmesg"))
    },
    file: |path| {
        let name = path.rsplit('/').next().unwrap_or(path);
        name.starts_with("kern.log") || name == "dmesg" || name.starts_with("dmesg.")
    },
    line: Some(is_kernel_line),
    block,
    parse,
};

/// How many lines an OOM kill's pid is remembered for, so that the `oom-kill:` summary, the
/// `Out of memory: Killed process` line and the old `Killed process` follow-up of one kill
/// count once.
const OOM_WINDOW: usize = 64;

/// Classifies kernel messages, remembering recent OOM kills so one kill yields one fact.
#[derive(Default)]
pub struct KernelReader {
    /// (pid, message number) of recent kills.
    recent_kills: Vec<(u32, usize)>,
    seen: usize,
}

impl KernelReader {
    /// The fact a kernel message (timestamps already removed, or a leading `[stamp]` still on)
    /// carries, if any.
    pub fn read(&mut self, message: &str) -> Option<Fact> {
        self.seen += 1;
        let seen = self.seen;
        self.recent_kills.retain(|&(_, at)| seen - at <= OOM_WINDOW);
        let fact = kernel_event(strip_stamp(message).1)?;
        if let Fact::OomKill(OomKill { pid: Some(pid), .. }) = &fact {
            if self.recent_kills.iter().any(|&(p, _)| p == *pid) {
                return None;
            }
            self.recent_kills.push((*pid, seen));
        }
        Some(fact)
    }
}

static OOM_KILLED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\bKill(?:ed)? process (\d+),? (?:UID \d+, )?\(([^)]*)\)").expect("valid regex"));
static OOM_SUMMARY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"oom-kill:.*?\btask=([^,]*),pid=(\d+)").expect("valid regex"));
static SEGFAULT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:traps: )?(\S+?)\[(\d+)\]:? (segfault at|general protection|trap )").expect("valid regex")
});
static HUNG_TASK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"task (\S+?):\d+ blocked for more than \d+ seconds").expect("valid regex"));

/// The fact one kernel message carries, if it is one that matters for a 502.
pub fn kernel_event(message: &str) -> Option<Fact> {
    let m = message.trim();
    // SELinux AVC and AppArmor denials reach the kernel log and the journal too.
    if let Some(denial) = crate::parse::mac::denial(m) {
        return Some(Fact::MacDenial(Box::new(denial)));
    }
    // `is_match` first: most messages match none of the patterns, and `captures` allocates
    // before it searches.
    if OOM_KILLED.is_match(m)
        && let Some(c) = OOM_KILLED.captures(m)
        && !m.contains("oom_reaper")
    {
        return Some(Fact::OomKill(OomKill {
            pid: c.get(1).and_then(|p| p.as_str().parse().ok()),
            process: c.get(2).map_or("", |p| p.as_str()).to_string(),
        }));
    }
    if OOM_SUMMARY.is_match(m)
        && let Some(c) = OOM_SUMMARY.captures(m)
    {
        return Some(Fact::OomKill(OomKill {
            pid: c.get(2).and_then(|p| p.as_str().parse().ok()),
            process: c.get(1).map_or("", |p| p.as_str()).to_string(),
        }));
    }
    let event = |class: &str, process: Option<&str>| {
        Some(Fact::KernelEvent(Box::new(KernelEvent {
            class: class.to_string(),
            process: process.map(str::to_string),
            message: m.to_string(),
        })))
    };
    if let Some(i) = m.find(" invoked oom-killer") {
        let process = m.get(..i).unwrap_or("").rsplit(' ').next().unwrap_or("");
        return event("oom-killer-invoked", Some(process).filter(|p| !p.is_empty()));
    }
    if SEGFAULT.is_match(m)
        && let Some(c) = SEGFAULT.captures(m)
    {
        let class = match c.get(3).map_or("", |k| k.as_str()) {
            "segfault at" => "segfault",
            "general protection" => "general-protection-fault",
            _ => "trap",
        };
        return event(class, c.get(1).map(|p| p.as_str()));
    }
    if m.contains("conntrack: table full") {
        return event("conntrack-full", None);
    }
    if crate::span::contains_ignore_ascii_case(m, "possible syn flooding on port") {
        return event("possible-syn-flooding", None);
    }
    if m.contains("TCP: out of memory") || m.contains("Out of socket memory") {
        return event("tcp-out-of-memory", None);
    }
    if m.contains("too many orphaned sockets") {
        return event("too-many-orphaned-sockets", None);
    }
    if m.starts_with("VFS: file-max limit") {
        return event("file-max-reached", None);
    }
    if m.contains("neighbor table overflow") || m.contains("neighbour table overflow") {
        return event("neighbour-table-overflow", None);
    }
    if HUNG_TASK.is_match(m)
        && let Some(c) = HUNG_TASK.captures(m)
    {
        return event("hung-task", c.get(1).map(|p| p.as_str()));
    }
    if m.contains("I/O error") && (m.contains("dev ") || m.contains("blk_update_request")) {
        return event("io-error", None);
    }
    None
}

/// Splits a dmesg stamp off a message: `[ 1234.567890] msg`, `[Thu Nov 21 10:00:00 2026] msg`,
/// `kern  :err   : [..] msg` (dmesg -x), `<6>[..] msg` (dmesg -r), `2026-11-21T10:00:00,123+00:00
/// msg` (iso). Returns the stamp (if any) and the message.
pub fn strip_stamp(text: &str) -> (Option<&str>, &str) {
    let mut t = text.trim_start();
    // dmesg -x: `kern  :err   : `
    if let Some((facility, rest)) = t.split_once(':')
        && matches!(
            facility.trim(),
            "kern" | "user" | "daemon" | "syslog" | "auth" | "authpriv" | "local0" | "local7"
        )
        && let Some((_level, after)) = rest.split_once(": ")
    {
        t = after.trim_start();
    }
    // dmesg -r: `<6>`
    if let Some(rest) = t.strip_prefix('<')
        && let Some((pri, after)) = rest.split_once('>')
        && (1..=3).contains(&pri.len())
        && pri.bytes().all(|b| b.is_ascii_digit())
    {
        t = after;
    }
    if let Some(rest) = t.strip_prefix('[')
        && let Some((inner, after)) = rest.split_once(']')
    {
        let trimmed = inner.trim();
        let seconds = trimmed.contains('.') && trimmed.bytes().all(|b| b.is_ascii_digit() || b == b'.');
        let human =
            trimmed.len() >= 20 && trimmed.split(' ').filter(|w| !w.is_empty()).count() == 5 && trimmed.contains(':');
        if seconds || human {
            return (Some(trimmed), after.strip_prefix(' ').unwrap_or(after));
        }
    }
    // --time-format iso: `2026-11-21T10:00:00,123456+00:00 `
    let b = t.as_bytes();
    if b.len() > 20
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b'T'
        && b[..4].iter().all(u8::is_ascii_digit)
        && let Some((stamp, rest)) = t.split_once(' ')
    {
        return (Some(stamp), rest);
    }
    (None, t)
}

/// True for a dmesg-stamped line (`[seconds]`, `[human date]`, `-x`, `-r` forms), or a bare
/// kernel message that matters (OOM, segfault...). The ISO stamp form is left out here: other
/// logs (`docker logs -t`) start the same way.
pub fn is_kernel_line(text: &str) -> bool {
    let (stamp, message) = strip_stamp(text);
    match stamp {
        Some(s) => {
            let b = s.as_bytes();
            let iso = b.get(4) == Some(&b'-') && b.get(10) == Some(&b'T');
            !iso && !message.trim().is_empty()
        }
        // A bare audit line (`type=AVC msg=audit(...)`) is the audit log's, not the kernel's.
        None => kernel_event(message).is_some_and(|f| !matches!(f, Fact::MacDenial(_))),
    }
}

/// Block score: the share of dmesg lines and kernel journal lines.
fn block(lines: &[&str]) -> f32 {
    let mut total = 0usize;
    let mut hits = 0usize;
    for line in lines.iter().filter(|l| !l.trim().is_empty()) {
        total += 1;
        let syslog_kernel = parse_syslog_line(line).is_some_and(|e| e.ident == "kernel");
        if syslog_kernel || is_kernel_line(line) {
            hits += 1;
        }
    }
    if total == 0 { 0.0 } else { hits as f32 / total as f32 }
}

/// Parses a kernel log piece.
pub fn parse(cx: &ParseContext<'_>) -> Parsed {
    let mut out = Parsed::default();
    let mut journal = JournalReader::default();
    let mut kernel = KernelReader::default();
    for line in lines(cx.text, cx.base) {
        let t = line.text.trim();
        if t.is_empty() {
            journal.break_continuation();
            continue;
        }
        if parse_syslog_line(line.text).is_some() && journal.read(line, &mut out) {
            continue;
        }
        journal.break_continuation();
        let (stamp, message) = strip_stamp(line.text);
        if let Some(stamp) = stamp {
            out.facts.push(FactAt {
                span: line.span,
                fact: Fact::JournalEntry(Box::new(JournalEntry {
                    time: Some(stamp.to_string()),
                    host: None,
                    ident: "kernel".to_string(),
                    pid: None,
                    message: message.to_string(),
                })),
            });
        }
        if let Some(fact) = kernel.read(message) {
            out.facts.push(FactAt { span: line.span, fact });
            continue;
        }
        if stamp.is_some() || is_pager_line(t) || is_elision(t) {
            continue;
        }
        out.unread.push(line.span);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn class(message: &str) -> String {
        match kernel_event(message) {
            Some(Fact::KernelEvent(e)) => e.class,
            Some(Fact::OomKill(o)) => format!("oom {:?} {}", o.pid, o.process),
            _ => "none".into(),
        }
    }

    #[test]
    fn classifies_kernel_messages() {
        assert_eq!(
            class("Out of memory: Killed process 1234 (php-fpm8.3) total-vm:1234kB, anon-rss:1kB"),
            "oom Some(1234) php-fpm8.3"
        );
        assert_eq!(class("Killed process 1234 (node) total-vm:1kB"), "oom Some(1234) node");
        assert_eq!(
            class("Out of memory: Kill process 99 (mysqld) score 900 or sacrifice child"),
            "oom Some(99) mysqld"
        );
        assert_eq!(
            class("Killed process 42, UID 48, (httpd) total-vm:1kB"),
            "oom Some(42) httpd"
        );
        assert_eq!(
            class(
                "oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/system.slice/php8.3-fpm.service,task=php-fpm8.3,pid=1234,uid=33"
            ),
            "oom Some(1234) php-fpm8.3"
        );
        assert_eq!(
            class("php-fpm8.3 invoked oom-killer: gfp_mask=0x140cca, order=0"),
            "oom-killer-invoked"
        );
        assert_eq!(
            class("php-fpm8.3[1234]: segfault at 0 ip 00007f sp 00007ffd error 4 in libphp.so[7f+1]"),
            "segfault"
        );
        assert_eq!(
            class("traps: node[77] general protection fault ip:1 sp:2 error:0"),
            "general-protection-fault"
        );
        assert_eq!(
            class("nf_conntrack: nf_conntrack: table full, dropping packet"),
            "conntrack-full"
        );
        assert_eq!(
            class("TCP: request_sock_TCP: Possible SYN flooding on port 80. Sending cookies.  Check SNMP counters."),
            "possible-syn-flooding"
        );
        assert_eq!(
            class("TCP: out of memory -- consider tuning tcp_mem"),
            "tcp-out-of-memory"
        );
        assert_eq!(class("oom_reaper: reaped process 1234 (php), now anon-rss:0kB"), "none");
        assert_eq!(class("EXT4-fs (sda1): mounted filesystem"), "none");
    }

    #[test]
    fn reads_stamps() {
        assert_eq!(strip_stamp("[ 1234.567890] x"), (Some("1234.567890"), "x"));
        assert_eq!(
            strip_stamp("[Thu Nov 21 10:00:00 2026] x"),
            (Some("Thu Nov 21 10:00:00 2026"), "x")
        );
        assert_eq!(strip_stamp("kern  :err   : [ 1.5] x"), (Some("1.5"), "x"));
        assert_eq!(strip_stamp("<6>[ 1.5] x"), (Some("1.5"), "x"));
        assert_eq!(
            strip_stamp("2026-11-21T10:00:00,123456+00:00 x"),
            (Some("2026-11-21T10:00:00,123456+00:00"), "x")
        );
        assert_eq!(strip_stamp("plain"), (None, "plain"));
        assert!(!is_kernel_line("[error] 1046#1046: *2094 upstream timed out"));
        assert!(!is_kernel_line("[12-Apr-2018 16:11:26] ERROR: x"));
    }

    #[test]
    fn one_kill_counts_once() {
        let text = "[100.1] oom-kill:constraint=CONSTRAINT_NONE,task=php-fpm,pid=1234,uid=33\n\
[100.2] Out of memory: Killed process 1234 (php-fpm) total-vm:1kB\n\
[100.3] Out of memory: Killed process 1301 (gunicorn) total-vm:1kB\n\
[100.4] Linux version 6.1\n\
not kernel\n";
        let parsed = parse(&ParseContext::new(text, 0));
        let kills = parsed
            .facts
            .iter()
            .filter(|f| matches!(f.fact, Fact::OomKill(_)))
            .count();
        assert_eq!(kills, 2);
        assert_eq!(parsed.facts.len(), 6);
        assert_eq!(parsed.unread.len(), 1);
    }
}

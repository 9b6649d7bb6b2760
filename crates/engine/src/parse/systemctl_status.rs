//! `systemctl status UNIT...` (old and new systemd: `●`/`×`/`○` markers, `Loaded:`, `Active:`,
//! `Process:`, `Main PID:`, `Status:`, CGroup trees, pager truncation, several units) and its
//! journal tail; `systemctl list-units` rows; `systemctl is-active`; and the sysvinit, upstart
//! and OpenRC answers of `service NAME status` (`* nginx is running`, ` * status: stopped`,
//! `php-fpm (pid 123) is running...`). One `ServiceStatus` per unit (span: its block); journal
//! lines are read by the journal reader (`JournalEntry`, plus `ErrorEvent`/`OomKill`).

use std::sync::LazyLock;

use regex::Regex;

use crate::facts::{Fact, FactAt, ServiceStatus};
use crate::kind::Kind;
use crate::parse::columns::{command_of, is_elision, is_pager_line};
use crate::parse::journal::JournalReader;
use crate::parse::registry::KindSpec;
use crate::parse::{ParseContext, Parsed};
use crate::span::lines;

/// How `systemctl status` and `service ... status` output is recognised and parsed.
pub const SPEC: KindSpec = KindSpec {
    kind: Kind::SystemctlStatus,
    embeds: &[
        Kind::Journal,
        Kind::NginxErrorLog,
        Kind::PhpFpmLog,
        Kind::GunicornLog,
        Kind::UwsgiLog,
        Kind::NodeLog,
        Kind::KernelLog,
    ],
    command: |program, args| {
        let first = args.iter().find(|a| !a.starts_with('-')).copied().unwrap_or("");
        match program {
            "systemctl" => matches!(first, "status" | "is-active" | "is-failed" | "list-units"),
            "service" | "rc-service" => args.contains(&"status"),
            "initctl" | "status" => program == "status" || first == "status",
            "nginx" | "openresty" | "apache2" | "httpd" => args == ["status"],
            p => (p.starts_with("php") && p.contains("fpm")) && args == ["status"],
        }
    },
    file: crate::parse::registry::no_file,
    line: Some(is_status_line),
    block,
    parse,
};

/// Unit types systemd knows (the suffix of a unit name).
const UNIT_SUFFIXES: &str = "service|socket|target|timer|mount|path|scope|slice|device|swap|automount";

static HEADER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^\s*(?:[●×○↻✗*]\s*)?([\w@.:\\-]+\.(?:{UNIT_SUFFIXES}))(?:\s+-\s+(.*?))?\s*$"
    ))
    .expect("valid regex")
});
static PROPERTY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s+([A-Z][A-Za-z]*(?: [A-Za-z]+)?|IP|IO|CPU|CGroup): ?(.*)$").expect("valid regex"));
static LIST_ROW: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^\s*(?:[●×○*]\s*)?([\w@.:\\-]+\.(?:{UNIT_SUFFIXES}))\s+(loaded|not-found|masked|error|bad-setting)\s+(\S+)\s+(\S+)(?:\s+(.*))?$"
    ))
    .expect("valid regex")
});
static SYSV: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\s*(?:\[\s*(?:ok|OK|FAIL|fail|info|warn|\?\?|\.\.\.\.)\s*\]\s*|\*\s+)?(?:Checking status of [^:]*:\s*)?([\w@.+-]+?)(?:\s+\(pid\s+(\d+)[\d ]*\))?\s+(is running|is not running|is stopped|dead but [a-z ]+|start/running(?:, process (\d+))?|stop/waiting)",
    )
    .expect("valid regex")
});

/// True for lines that only `systemctl status` prints: the unit header with its state marker,
/// and the `Loaded:` / `Active:` / `Main PID:` property lines.
pub fn is_status_line(text: &str) -> bool {
    let t = text.trim_start();
    let marked = t.starts_with(['●', '×', '○', '↻']) && HEADER.is_match(text);
    let loaded = t.starts_with("Loaded: ")
        && ["loaded (", "not-found", "masked", "error", "bad-setting"]
            .iter()
            .any(|w| t[8..].starts_with(w));
    let active = t.starts_with("Active: ")
        && [
            "active (",
            "inactive (",
            "failed (",
            "activating (",
            "deactivating (",
            "reloading (",
        ]
        .iter()
        .any(|w| t[8..].starts_with(w));
    let main_pid = t.starts_with("Main PID: ") && t[10..].starts_with(|c: char| c.is_ascii_digit());
    marked || loaded || active || main_pid || missing_unit(t).is_some() || failed_job(t).is_some()
}

/// The unit systemctl says does not exist: `Unit X could not be found.`, `Failed to restart X:
/// Unit X not found.`, `Failed to enable unit: Unit file X does not exist.`
fn missing_unit(text: &str) -> Option<&str> {
    let t = text.trim();
    if let Some(unit) = t
        .strip_prefix("Unit ")
        .and_then(|r| r.strip_suffix(" could not be found."))
    {
        return Some(unit);
    }
    let rest = t.strip_prefix("Failed to ")?;
    let (_, reason) = rest.split_once(": Unit ")?;
    let reason = reason.strip_prefix("file ").unwrap_or(reason);
    let unit = reason
        .strip_suffix(" not found.")
        .or_else(|| reason.strip_suffix(" does not exist."))?;
    (!unit.is_empty() && !unit.contains(' ')).then_some(unit)
}

/// The unit of systemctl's own failure message: `Job for nginx.service failed because the
/// control process exited with error code.` (printed by `systemctl start|restart|reload`).
fn failed_job(text: &str) -> Option<&str> {
    let rest = text.trim().strip_prefix("Job for ")?;
    let (unit, reason) = rest.split_once(' ')?;
    (reason.starts_with("failed") || reason.starts_with("canceled"))
        .then_some(unit)
        .filter(|u| u.contains('.'))
}

/// `systemctl reload X`, `service X reload`, `/etc/init.d/X reload`: the action is a reload.
fn is_reload_command(command: &str) -> bool {
    command.split_whitespace().any(|w| w == "reload")
}

/// Block score: strong status lines count double, property and journal lines count once.
fn block(lines: &[&str]) -> f32 {
    let mut total = 0usize;
    let mut strong = 0usize;
    let mut weak = 0usize;
    let mut sysv = 0usize;
    for line in lines.iter().filter(|l| !l.trim().is_empty()) {
        total += 1;
        if is_status_line(line) || LIST_ROW.is_match(line) {
            strong += 1;
        } else if SYSV.is_match(line) || openrc_status(line).is_some() {
            sysv += 1;
            weak += 1;
        } else if PROPERTY.is_match(line)
            || is_tree_line(line)
            || crate::parse::journal::parse_syslog_line(line).is_some()
        {
            weak += 1;
        }
    }
    if total == 0 || strong + weak == 0 {
        return 0.0;
    }
    // `service x status` answers in a line or two of its own; journal lines alone are not that.
    let sysv_only = strong == 0 && sysv > 0 && weak == total && total <= 3;
    if strong == 0 && !sysv_only {
        return 0.0;
    }
    ((2 * strong + weak) as f32 / (total + strong) as f32).min(1.0)
}

/// `├─1700 "nginx: master process ..."`, `└─1701 ...`, `|-1700 ...`, `` `-1701 ``, `│ └─...`.
fn is_tree_line(text: &str) -> bool {
    let t = text.trim_start();
    t.starts_with(['├', '└', '│']) || t.starts_with("|-") || t.starts_with("`-")
}

/// ` * status: started` (OpenRC): the state word.
fn openrc_status(text: &str) -> Option<&str> {
    let rest = text.trim().strip_prefix("* status: ")?;
    Some(rest.trim()).filter(|w| !w.is_empty() && !w.contains(' '))
}

/// The unit or service a `service`/`systemctl`/`rc-service` command names.
fn unit_of_command(cx: &ParseContext<'_>) -> Option<String> {
    let (program, args) = command_of(cx)?;
    let names: Vec<&String> = args
        .iter()
        .filter(|a| !a.starts_with('-') && !matches!(a.as_str(), "status" | "is-active" | "is-failed"))
        .collect();
    match program.as_str() {
        "systemctl" | "service" | "rc-service" | "initctl" | "status" => names.first().map(|s| s.to_string()),
        p => Some(p.to_string()),
    }
}

/// Parses `systemctl status` (and friends) output.
pub fn parse(cx: &ParseContext<'_>) -> Parsed {
    let mut out = Parsed::default();
    let mut journal = JournalReader::default();
    // The unit block being read: index of its fact.
    let mut current: Option<usize> = None;
    let mut after_blank = false;
    let command_unit = unit_of_command(cx);
    let reload = cx.command.is_some_and(is_reload_command);
    for line in lines(cx.text, cx.base) {
        let text = line.text;
        let t = text.trim();
        if t.is_empty() {
            after_blank = true;
            journal.break_continuation();
            continue;
        }
        if let Some(c) = HEADER.captures(text)
            && (text.trim_start().starts_with(['●', '×', '○', '↻', '✗', '*']) || !text.starts_with(' '))
            && (c.get(2).is_some() || text.trim_start().starts_with(['●', '×', '○', '↻', '✗', '*']))
        {
            out.facts.push(FactAt {
                span: line.span,
                fact: Fact::ServiceStatus(Box::new(ServiceStatus {
                    unit: c.get(1).map_or("", |m| m.as_str()).to_string(),
                    description: c.get(2).map(|m| m.as_str().to_string()).filter(|d| !d.is_empty()),
                    ..Default::default()
                })),
            });
            current = Some(out.facts.len() - 1);
            after_blank = false;
            continue;
        }
        if let Some(index) = current.filter(|_| !after_blank)
            && (PROPERTY.is_match(text) || text.starts_with([' ', '\t']))
            && let Some(fact) = out.facts.get_mut(index)
            && let Fact::ServiceStatus(status) = &mut fact.fact
        {
            if let Some(c) = PROPERTY.captures(text) {
                let key = c.get(1).map_or("", |m| m.as_str());
                let value = c.get(2).map_or("", |m| m.as_str().trim());
                apply_property(status, key, value);
            }
            fact.span = fact.span.join(line.span);
            continue;
        }
        if journal.read(line, &mut out) {
            current = None;
            continue;
        }
        if let Some(fact) = one_line_status(text, command_unit.as_deref(), reload) {
            out.facts.push(FactAt { span: line.span, fact });
            current = None;
            continue;
        }
        if is_pager_line(t)
            || is_elision(t)
            || t.starts_with("Warning: ")
            || t.starts_with("Hint: ")
            || t.starts_with("Redirecting to ")
            || t.starts_with("See \"systemctl status ")
            || t.starts_with("UNIT ") && t.contains(" LOAD ")
            || is_list_units_footer(t)
        {
            continue;
        }
        out.unread.push(line.span);
    }
    out
}

/// The legend and count lines under `systemctl list-units`.
fn is_list_units_footer(t: &str) -> bool {
    ["LOAD   =", "ACTIVE =", "SUB    =", "LOAD =", "ACTIVE =", "SUB ="]
        .iter()
        .any(|p| t.starts_with(p))
        || t.contains(" loaded units listed")
        || t.starts_with("To show all installed unit files")
        || t.starts_with("Legend: ")
}

/// A status told in one line: `systemctl list-units` rows, `Unit X could not be found.`,
/// sysvinit/upstart/OpenRC answers, and the bare word of `systemctl is-active`.
fn one_line_status(text: &str, command_unit: Option<&str>, reload: bool) -> Option<Fact> {
    let t = text.trim();
    if let Some(c) = LIST_ROW.captures(text) {
        let field = |i: usize| c.get(i).map_or("", |m| m.as_str()).to_string();
        return Some(Fact::ServiceStatus(Box::new(ServiceStatus {
            unit: field(1),
            description: Some(field(5)).filter(|d| !d.is_empty()),
            active: field(3),
            sub: Some(field(4)),
            ..Default::default()
        })));
    }
    if let Some(unit) = failed_job(t)
        && reload
    {
        // systemd leaves a unit whose reload failed as it was: active, the old process still
        // running with its old configuration (a unit that was not running refuses the reload
        // with another message).
        return Some(Fact::ServiceStatus(Box::new(ServiceStatus {
            unit: unit.to_string(),
            active: "active".to_string(),
            sub: Some("running".to_string()),
            status_text: Some(format!(
                "{t} (a failed reload leaves the running service on its previous configuration)"
            )),
            ..Default::default()
        })));
    }
    if let Some(unit) = failed_job(t) {
        return Some(Fact::ServiceStatus(Box::new(ServiceStatus {
            unit: unit.to_string(),
            active: "failed".to_string(),
            result: Some("exit-code".to_string()),
            status_text: Some(t.to_string()),
            ..Default::default()
        })));
    }
    if let Some(unit) = missing_unit(t) {
        return Some(Fact::ServiceStatus(Box::new(ServiceStatus {
            unit: unit.to_string(),
            active: "not-found".to_string(),
            status_text: Some(t.to_string()),
            ..Default::default()
        })));
    }
    if let Some(word) = openrc_status(text) {
        let (active, sub) = match word {
            "started" => ("active", "running"),
            "crashed" => ("failed", "crashed"),
            "starting" => ("activating", "starting"),
            "stopping" => ("deactivating", "stopping"),
            _ => ("inactive", word),
        };
        return Some(Fact::ServiceStatus(Box::new(ServiceStatus {
            unit: command_unit.unwrap_or("").to_string(),
            active: active.to_string(),
            sub: Some(sub.to_string()),
            status_text: Some(t.to_string()),
            ..Default::default()
        })));
    }
    if let Some(c) = SYSV.captures(text) {
        let state = c.get(3).map_or("", |m| m.as_str());
        let (active, sub) = if state == "is running" || state.starts_with("start/running") {
            ("active", "running")
        } else if state.starts_with("dead but") {
            ("failed", "dead")
        } else {
            ("inactive", "dead")
        };
        let pid = c.get(2).or_else(|| c.get(4)).and_then(|m| m.as_str().parse().ok());
        return Some(Fact::ServiceStatus(Box::new(ServiceStatus {
            unit: c.get(1).map_or("", |m| m.as_str()).to_string(),
            active: active.to_string(),
            sub: Some(sub.to_string()),
            main_pid: pid,
            status_text: Some(t.to_string()),
            ..Default::default()
        })));
    }
    if let Some(unit) = command_unit
        && matches!(
            t,
            "active" | "inactive" | "failed" | "activating" | "deactivating" | "reloading" | "unknown"
        )
    {
        return Some(Fact::ServiceStatus(Box::new(ServiceStatus {
            unit: unit.to_string(),
            active: t.to_string(),
            ..Default::default()
        })));
    }
    None
}

/// Applies one `Key: value` property line to the unit's status.
fn apply_property(status: &mut ServiceStatus, key: &str, value: &str) {
    match key {
        "Active" => {
            let mut words = value.split_whitespace();
            status.active = words.next().unwrap_or("").to_string();
            let head = value.split(" since ").next().unwrap_or(value);
            for group in parenthesised(head) {
                if let Some(result) = group.strip_prefix("Result: ") {
                    status.result = Some(result.to_string());
                } else if status.sub.is_none() {
                    status.sub = Some(group.to_string());
                }
            }
            if let Some((_, since)) = value.split_once(" since ") {
                let since = since.split(';').next().unwrap_or(since).trim();
                status.since = Some(since.to_string()).filter(|s| !s.is_empty());
            }
        }
        "Main PID" => {
            let digits: String = value.chars().take_while(char::is_ascii_digit).collect();
            status.main_pid = digits.parse().ok();
            if let Some(exit) = exit_status(value) {
                status.exit_status = Some(exit);
            }
        }
        "Process" => {
            if status.exit_status.is_none()
                && let Some(exit) = exit_status(value)
            {
                status.exit_status = Some(exit);
            }
        }
        "Status" => {
            let v = value.trim();
            let v = v.strip_prefix('"').unwrap_or(v);
            let v = v.strip_suffix('"').unwrap_or(v);
            status.status_text = Some(v.to_string());
        }
        _ => {}
    }
}

/// The contents of each `( ... )` group, outermost only.
fn parenthesised(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut start = 0usize;
    for (i, c) in text.char_indices() {
        match c {
            '(' => {
                if depth == 0 {
                    start = i + 1;
                }
                depth += 1;
            }
            ')' if depth > 0 => {
                depth -= 1;
                if depth == 0
                    && let Some(inner) = text.get(start..i)
                {
                    out.push(inner);
                }
            }
            _ => {}
        }
    }
    out
}

/// A failing exit of `(code=exited, status=1/FAILURE)` or `(code=killed, signal=KILL)`:
/// `1/FAILURE`, `signal=KILL`. Success (`0/SUCCESS`) and truncated groups give `None`.
fn exit_status(value: &str) -> Option<String> {
    let group = parenthesised(value)
        .into_iter()
        .rev()
        .find(|g| g.starts_with("code="))?;
    for part in group.split(", ") {
        if let Some(status) = part.strip_prefix("status=") {
            let failing = status != "0" && !status.starts_with("0/");
            return failing.then(|| status.to_string());
        }
        if let Some(signal) = part.strip_prefix("signal=") {
            return Some(format!("signal={signal}"));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::test_support::facts_of;

    fn statuses(text: &str) -> (Vec<ServiceStatus>, Parsed) {
        let parsed = parse(&ParseContext::new(text, 0));
        (facts_of(&parsed), parsed)
    }

    #[test]
    fn reads_a_failed_unit_with_journal_tail() {
        let text = "× nginx.service - A high performance web server and a reverse proxy server\n     Loaded: loaded (/lib/systemd/system/nginx.service; enabled; preset: enabled)\n     Active: failed (Result: exit-code) since Sat 2026-11-21 10:00:00 UTC; 5s ago\n       Docs: man:nginx(8)\n    Process: 1698 ExecStartPre=/usr/sbin/nginx -t -q -g daemon on; master_process on; (code=exited, status=1/FAILURE)\n        CPU: 22ms\n\nNov 21 10:00:00 web1 nginx[1698]: nginx: [emerg] bind() to 0.0.0.0:80 failed (98: Address already in use)\nNov 21 10:00:00 web1 systemd[1]: nginx.service: Control process exited, code=exited, status=1/FAILURE\nlines 1-10/10 (END)\n";
        let (s, parsed) = statuses(text);
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].unit, "nginx.service");
        assert_eq!(s[0].active, "failed");
        assert_eq!(s[0].result.as_deref(), Some("exit-code"));
        assert_eq!(s[0].since.as_deref(), Some("Sat 2026-11-21 10:00:00 UTC"));
        assert_eq!(s[0].exit_status.as_deref(), Some("1/FAILURE"));
        assert!(parsed.unread.is_empty(), "{:?}", parsed.unread);
        let types: Vec<&str> = parsed.facts.iter().map(|f| f.fact.type_id()).collect();
        assert_eq!(
            types,
            ["service-status", "journal-entry", "error-event", "journal-entry"]
        );
        assert_eq!(parsed.facts[0].span.start, 0);
        assert_eq!(parsed.facts[0].span.end, text.find("\n\n").unwrap());
    }

    #[test]
    fn a_failed_reload_leaves_the_unit_running_a_failed_start_does_not() {
        let text = "Job for nginx.service failed because the control process exited with error code.\nSee \"systemctl status nginx.service\" and \"journalctl -xeu nginx.service\" for details.\n";
        for (command, active) in [
            ("systemctl reload nginx", "active"),
            ("service nginx reload", "active"),
            ("systemctl restart nginx", "failed"),
            ("systemctl start nginx", "failed"),
        ] {
            let parsed = parse(&ParseContext {
                command: Some(command),
                ..ParseContext::new(text, 0)
            });
            let s: Vec<ServiceStatus> = facts_of(&parsed);
            assert_eq!(s.len(), 1, "{command}");
            assert_eq!(s[0].unit, "nginx.service");
            assert_eq!(s[0].active, active, "{command}");
            assert!(parsed.unread.is_empty(), "{command}: {:?}", parsed.unread);
        }
    }

    #[test]
    fn reads_running_fpm_and_old_systemd_and_several_units() {
        let text = "● php8.3-fpm.service - The PHP 8.3 FastCGI Process Manager\n   Loaded: loaded (/lib/systemd/system/php8.3-fpm.service; enabled; vendor preset: enabled)\n   Active: active (running) since Sat 2026-11-21 08:00:00 UTC; 2h ago\n Main PID: 911 (php-fpm8.3)\n   Status: \"Processes active: 0, idle: 2, Requests: 15, slow: 0, Traffic: 0.1req/sec\"\n    Tasks: 3 (limit: 4557)\n   CGroup: /system.slice/php8.3-fpm.service\n           ├─911 \"php-fpm: master process (/etc/php/8.3/fpm/php-fpm.conf)\"\n           └─912 \"php-fpm: pool www\"\n● nginx.service - nginx\n   Active: activating (auto-restart) (Result: exit-code) since Sat 2026-11-21 10:00:00 UTC; 1s ago\n  Process: 5 ExecStart=/usr/sbin/nginx (code=ex>\n Main PID: 7 (code=killed, signal=KILL)\n";
        let (s, parsed) = statuses(text);
        assert!(parsed.unread.is_empty(), "{:?}", parsed.unread);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].main_pid, Some(911));
        assert_eq!(s[0].sub.as_deref(), Some("running"));
        assert!(
            s[0].status_text
                .as_deref()
                .is_some_and(|t| t.starts_with("Processes active: 0"))
        );
        assert_eq!(s[1].active, "activating");
        assert_eq!(s[1].sub.as_deref(), Some("auto-restart"));
        assert_eq!(s[1].result.as_deref(), Some("exit-code"));
        assert_eq!(s[1].exit_status.as_deref(), Some("signal=KILL"));
    }

    #[test]
    fn reads_sysv_upstart_and_openrc_answers() {
        let (s, parsed) = statuses(
            " * nginx is running\n[FAIL] nginx is not running ... failed!\nphp-fpm (pid  123) is running...\nnginx start/running, process 44\nnginx dead but pid file exists\n * status: stopped\nUnit php-fpm.service could not be found.\nFailed to restart x.service: Unit x.service not found.\n",
        );
        assert!(parsed.unread.is_empty(), "{:?}", parsed.unread);
        let got: Vec<(&str, &str, Option<u32>)> = s
            .iter()
            .map(|s| (s.unit.as_str(), s.active.as_str(), s.main_pid))
            .collect();
        assert_eq!(
            got,
            [
                ("nginx", "active", None),
                ("nginx", "inactive", None),
                ("php-fpm", "active", Some(123)),
                ("nginx", "active", Some(44)),
                ("nginx", "failed", None),
                ("", "inactive", None),
                ("php-fpm.service", "not-found", None),
                ("x.service", "not-found", None),
            ]
        );
    }

    #[test]
    fn recognises_only_status_lines() {
        assert!(is_status_line("● nginx.service - A high performance web server"));
        assert!(is_status_line("     Active: inactive (dead)"));
        assert!(!is_status_line("Active: yes"));
        assert!(!is_status_line("nginx.service is a unit"));
        assert!(block(&["I restarted nginx", "and it is running"]) < 0.3);
    }
}

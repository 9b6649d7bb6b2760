//! Resource limits → `Setting`: `ulimit -a` (bash `open files (-n) 1024`, dash/zsh
//! `-n: file descriptors 1024`), the bare number of `ulimit -n`/`-Hn` (read with the command),
//! `/proc/PID/limits` (`Max open files 1024 4096 files`: soft and `(hard)`), `prlimit`
//! (`NOFILE max number of open files 1024 524288 files`), and systemd `Key=Value` lines
//! (`LimitNOFILE=65535` from `systemctl show`/`systemctl cat` or a unit file).

use std::sync::LazyLock;

use regex::Regex;

use crate::facts::{Fact, FactAt, Setting};
use crate::kind::Kind;
use crate::parse::columns::{command_of, is_elision, is_pager_line};
use crate::parse::registry::{KindSpec, share_of_lines};
use crate::parse::{ParseContext, Parsed};
use crate::span::{Span, lines};

/// How limit listings are recognised and parsed.
pub const SPEC: KindSpec = KindSpec {
    kind: Kind::Ulimit,
    embeds: &[],
    command: |program, args| {
        matches!(program, "ulimit" | "prlimit")
            || (program == "systemctl" && matches!(args.first(), Some(&"show") | Some(&"cat")))
    },
    file: |path| path.starts_with("/proc/") && path.ends_with("/limits"),
    line: Some(is_limit_line),
    block: |lines| {
        if !lines.iter().any(|l| is_limit_line(l)) {
            return 0.0;
        }
        share_of_lines(lines, |l| {
            is_limit_line(l) || is_framing(l) || systemd_setting(l).is_some()
        })
    },
    parse,
};

static BASH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([a-z][a-zA-Z -]*?)\s+\((?:[^()]*,\s*)?-([a-zA-Z])\)\s+(\S+)\s*$").expect("valid regex")
});
static DASH: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^-([a-zA-Z]):\s+([a-z][a-z ()/-]*?)\s+(\S+)\s*$").expect("valid regex"));
static PROC_LIMITS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(Max [a-z ]+?)\s{2,}(\S+)\s+(\S+)(?:\s+([a-z]+))?\s*$").expect("valid regex"));
static PRLIMIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([A-Z]+)\s+([a-z][a-z ()-]*?)\s+(\S+)\s+(\S+)(?:\s+([a-z]+))?\s*$").expect("valid regex")
});

/// True for lines only limit listings print.
fn is_limit_line(text: &str) -> bool {
    let t = text.trim();
    BASH.is_match(t)
        || DASH.is_match(t)
        || PROC_LIMITS.is_match(t)
        || (t.starts_with("Limit") && t.contains("Soft Limit") && t.contains("Hard Limit"))
        || systemd_setting(t).is_some_and(|(k, _)| k.starts_with("Limit"))
}

/// Column headers and unit-file framing.
fn is_framing(text: &str) -> bool {
    let t = text.trim();
    (t.starts_with("Limit") && t.contains("Soft Limit"))
        || (t.starts_with("RESOURCE") && t.contains("SOFT") && t.contains("HARD"))
        || (t.starts_with('[') && t.ends_with(']'))
        || t.starts_with('#')
        || t.starts_with(';')
}

/// `LimitNOFILE=65535` and other `CamelCase=value` lines of systemd.
fn systemd_setting(text: &str) -> Option<(&str, &str)> {
    let (key, value) = text.trim().split_once('=')?;
    let ok = key.starts_with(|c: char| c.is_ascii_uppercase()) && key.bytes().all(|b| b.is_ascii_alphanumeric());
    ok.then_some((key, value.trim()))
}

/// The limit a `ulimit` flag names (bash's wording).
fn ulimit_key(letter: char) -> &'static str {
    match letter {
        'n' => "open files",
        'u' => "max user processes",
        's' => "stack size",
        'c' => "core file size",
        'v' => "virtual memory",
        'l' => "max locked memory",
        'm' => "max memory size",
        't' => "cpu time",
        'i' => "pending signals",
        'q' => "POSIX message queues",
        'x' => "file locks",
        _ => "file size",
    }
}

/// The setting a bare `ulimit` answer means, from its command.
fn bare_value(cx: &ParseContext<'_>, value: &str) -> Option<Setting> {
    let (program, args) = command_of(cx)?;
    if program != "ulimit" || value.contains(' ') {
        return None;
    }
    let flags: String = args
        .iter()
        .filter(|a| a.starts_with('-'))
        .map(|a| a.trim_start_matches('-'))
        .collect();
    let hard = flags.contains('H');
    let letter = flags.chars().find(|c| !matches!(c, 'H' | 'S')).unwrap_or('f');
    let key = ulimit_key(letter);
    Some(Setting {
        source: "ulimit".to_string(),
        key: if hard { format!("{key} (hard)") } else { key.to_string() },
        value: value.to_string(),
    })
}

fn setting(source: &str, key: &str, value: &str) -> Fact {
    Fact::Setting(Box::new(Setting {
        source: source.to_string(),
        key: key.trim().to_string(),
        value: value.trim().to_string(),
    }))
}

/// Parses limit listings.
pub fn parse(cx: &ParseContext<'_>) -> Parsed {
    let mut out = Parsed::default();
    let push = |out: &mut Parsed, span: Span, fact: Fact| out.facts.push(FactAt { span, fact });
    for line in lines(cx.text, cx.base) {
        let t = line.text.trim();
        if t.is_empty() || is_pager_line(t) || is_elision(t) || is_framing(t) {
            continue;
        }
        if let Some(c) = BASH.captures(t) {
            push(&mut out, line.span, setting("ulimit", &c[1], &c[3]));
        } else if let Some(c) = DASH.captures(t) {
            // Named in bash's wording, so `-n` is `open files` whatever the shell.
            let letter = c[1].chars().next().unwrap_or('f');
            let key = if "nuscvlmtiqxf".contains(letter) {
                ulimit_key(letter)
            } else {
                &c[2]
            };
            push(&mut out, line.span, setting("ulimit", key, &c[3]));
        } else if let Some(c) = PROC_LIMITS.captures(t) {
            push(&mut out, line.span, setting("limits", &c[1], &c[2]));
            push(
                &mut out,
                line.span,
                setting("limits", &format!("{} (hard)", &c[1]), &c[3]),
            );
        } else if let Some((key, value)) = systemd_setting(t) {
            push(&mut out, line.span, setting("systemd", key, value));
        } else if let Some(s) = bare_value(cx, t) {
            push(&mut out, line.span, Fact::Setting(Box::new(s)));
        } else if let Some(c) = PRLIMIT.captures(t) {
            push(&mut out, line.span, setting("prlimit", &c[1], &c[3]));
            push(
                &mut out,
                line.span,
                setting("prlimit", &format!("{} (hard)", &c[1]), &c[4]),
            );
        } else {
            out.unread.push(line.span);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::test_support::{facts_of, parse_with_command};

    fn settings(text: &str, command: Option<&str>) -> (Vec<(String, String, String)>, Parsed) {
        let parsed = parse_with_command(parse, text, command);
        let s = facts_of::<Setting>(&parsed)
            .into_iter()
            .map(|s| (s.source, s.key, s.value))
            .collect();
        (s, parsed)
    }

    #[test]
    fn reads_every_limit_form() {
        let (s, parsed) = settings(
            "core file size          (blocks, -c) 0\nopen files                      (-n) 1024\n-n: file descriptors                1024\nLimit                     Soft Limit           Hard Limit           Units     \nMax open files            1024                 524288               files     \nMax processes             15470                15470                processes \n[Service]\nLimitNOFILE=65535\nRESOURCE DESCRIPTION                             SOFT   HARD UNITS\nNOFILE   max number of open files                1024 524288 files\n",
            None,
        );
        assert!(parsed.unread.is_empty(), "{:?}", parsed.unread);
        let keys: Vec<&str> = s.iter().map(|(_, k, _)| k.as_str()).collect();
        assert_eq!(
            keys,
            [
                "core file size",
                "open files",
                "open files",
                "Max open files",
                "Max open files (hard)",
                "Max processes",
                "Max processes (hard)",
                "LimitNOFILE",
                "NOFILE",
                "NOFILE (hard)"
            ]
        );
        assert_eq!(s[4].2, "524288");
        let (s, _) = settings("1024\n", Some("ulimit -Hn"));
        assert_eq!(s[0].1, "open files (hard)");
        let (_, parsed) = settings("1024\n", None);
        assert_eq!(parsed.unread.len(), 1);
    }
}

//! `uptime` (`10:00:00 up 3 days, 2:03, 1 user, load average: 0.52, 0.58, 0.59`, busybox,
//! macOS `load averages:`, localized decimal commas) and `/proc/loadavg` → `LoadAverage`. The
//! load reader is shared with `top`.

use crate::facts::{Fact, FactAt, LoadAverage};
use crate::kind::Kind;
use crate::parse::columns::{decimal, is_digits, is_elision, is_pager_line};
use crate::parse::registry::{KindSpec, share_of_lines};
use crate::parse::{ParseContext, Parsed};
use crate::span::lines;

/// How `uptime` output is recognised and parsed.
pub const SPEC: KindSpec = KindSpec {
    kind: Kind::Uptime,
    embeds: &[],
    command: |program, _| program == "uptime",
    file: |path| path.ends_with("/proc/loadavg") || path == "loadavg",
    line: Some(is_uptime_line),
    block: |lines| {
        if !lines.iter().any(|l| is_uptime_line(l)) {
            return 0.0;
        }
        share_of_lines(lines, |l| is_uptime_line(l) || is_pretty_uptime(l))
    },
    parse,
};

/// `HH:MM:SS up ... load average: ...` or a `/proc/loadavg` line.
fn is_uptime_line(text: &str) -> bool {
    let t = text.trim();
    let first = t.split_whitespace().next().unwrap_or("");
    let clock = first.contains(':') && first.bytes().all(|b| b.is_ascii_digit() || b == b':');
    (clock && t.contains(" up ") && load_of(t).is_some()) || proc_loadavg(t).is_some()
}

/// `up 3 days, 2 hours, 5 minutes` (`uptime -p`).
fn is_pretty_uptime(text: &str) -> bool {
    let t = text.trim();
    t.starts_with("up ") && ["minute", "hour", "day", "week", "year"].iter().any(|w| t.contains(w))
}

/// The three load figures after `load average:` / `load averages:` / `Load average:`.
pub fn load_of(text: &str) -> Option<LoadAverage> {
    let lower = text.to_ascii_lowercase();
    let i = lower.find("load average")?;
    let rest = text.get(i..)?.split_once(':')?.1;
    let figures: Vec<f64> = rest
        .split_whitespace()
        .map(|w| w.trim_end_matches(','))
        .take(3)
        .map(decimal)
        .collect::<Option<_>>()?;
    match figures.as_slice() {
        [one, five, fifteen] => Some(LoadAverage {
            one: *one,
            five: *five,
            fifteen: *fifteen,
        }),
        _ => None,
    }
}

/// `0.52 0.58 0.59 1/123 4567`.
fn proc_loadavg(text: &str) -> Option<LoadAverage> {
    let mut words = text.split_whitespace();
    let (Some(one), Some(five), Some(fifteen), Some(running), Some(last), None) = (
        words.next(),
        words.next(),
        words.next(),
        words.next(),
        words.next(),
        words.next(),
    ) else {
        return None;
    };
    let tasks_ok = running
        .split_once('/')
        .is_some_and(|(a, b)| is_digits(a) && is_digits(b))
        && is_digits(last);
    if !tasks_ok || ![one, five, fifteen].iter().all(|f| f.contains('.')) {
        return None;
    }
    Some(LoadAverage {
        one: decimal(one)?,
        five: decimal(five)?,
        fifteen: decimal(fifteen)?,
    })
}

/// Parses `uptime` output.
pub fn parse(cx: &ParseContext<'_>) -> Parsed {
    let mut out = Parsed::default();
    for line in lines(cx.text, cx.base) {
        let t = line.text.trim();
        if t.is_empty() || is_pager_line(t) || is_elision(t) || is_pretty_uptime(t) {
            continue;
        }
        let load = if is_uptime_line(t) {
            load_of(t).or_else(|| proc_loadavg(t))
        } else {
            None
        };
        match load {
            Some(load) => out.facts.push(FactAt {
                span: line.span,
                fact: Fact::LoadAverage(load),
            }),
            None => out.unread.push(line.span),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_uptime_forms() {
        let l = load_of(" 06:41:30 up 41 min,  1 user,  load average: 0.02, 0.05, 0.03").unwrap();
        assert_eq!((l.one, l.five, l.fifteen), (0.02, 0.05, 0.03));
        let l = load_of(" 10:00:00 up 3 days,  2:03,  2 users,  load average: 0,52, 0,58, 0,59").unwrap();
        assert_eq!(l.fifteen, 0.59);
        let l = load_of("10:00  up 3 days, 2:03, 2 users, load averages: 1.23 1.45 1.67").unwrap();
        assert_eq!(l.one, 1.23);
        assert!(is_uptime_line("0.52 0.58 0.59 1/123 4567"));
        assert!(!is_uptime_line("the load average was high"));
        let parsed = parse(&ParseContext::new(
            " 10:00:00 up 3 days,  2:03,  load average: 8.00, 6.00, 4.00\nup 3 days, 2 hours\n",
            0,
        ));
        assert_eq!((parsed.facts.len(), parsed.unread.len()), (1, 0));
    }
}

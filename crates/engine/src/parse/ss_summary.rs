//! `ss -s`: the socket summary (`Total:`, `TCP: N (estab N, closed N, orphaned N, timewait N)`
//! and the transport table) → one `SocketSummary` spanning the summary.

use crate::facts::{Fact, FactAt, SocketSummary};
use crate::kind::Kind;
use crate::parse::columns::{is_digits, is_elision, is_pager_line, nth_token, tokens};
use crate::parse::registry::{KindSpec, share_of_lines};
use crate::parse::{ParseContext, Parsed};
use crate::span::{Span, lines};

/// How `ss -s` output is recognised and parsed.
pub const SPEC: KindSpec = KindSpec {
    kind: Kind::SsSummary,
    embeds: &[],
    command: |program, args| program == "ss" && args.iter().any(|a| *a == "-s" || *a == "--summary"),
    file: crate::parse::registry::no_file,
    line: Some(is_summary_line),
    block: |lines| {
        if !lines.iter().any(|l| is_tcp_line(l)) {
            return 0.0;
        }
        share_of_lines(lines, is_summary_line)
    },
    parse,
};

/// `TCP:   29842 (estab 1204, closed 28511, orphaned 3, timewait 28497)`.
fn is_tcp_line(text: &str) -> bool {
    text.trim_start()
        .strip_prefix("TCP:")
        .is_some_and(|r| r.contains("(estab ") || r.contains("estab "))
}

/// Any line `ss -s` prints: `Total: N [(kernel N)]`, the TCP line, the transport table.
fn is_summary_line(text: &str) -> bool {
    let t = text.trim();
    let total = t.strip_prefix("Total: ").is_some_and(|r| {
        let (n, rest) = r.split_once(' ').unwrap_or((r, ""));
        is_digits(n) && (rest.is_empty() || rest.starts_with("(kernel "))
    });
    if total || is_tcp_line(t) || (t.starts_with("Transport") && t.contains("Total") && t.contains("IPv6")) {
        return true;
    }
    if !nth_token(t, 0).is_some_and(|first| matches!(first, "RAW" | "UDP" | "TCP" | "INET" | "FRAG" | "*")) {
        return false;
    }
    let toks = tokens(t);
    toks.len() == 4
        && matches!(toks[0].text, "RAW" | "UDP" | "TCP" | "INET" | "FRAG" | "*")
        && toks[1..].iter().all(|x| is_digits(x.text) || x.text == "-")
}

/// The number after `word ` inside the TCP line's parentheses (`timewait 0/0` → 0).
fn counter(text: &str, word: &str) -> Option<u64> {
    let rest = text.split(&format!("{word} ")).nth(1)?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// Parses `ss -s` output.
pub fn parse(cx: &ParseContext<'_>) -> Parsed {
    let mut out = Parsed::default();
    let mut summary: Option<(Span, SocketSummary)> = None;
    for line in lines(cx.text, cx.base) {
        let t = line.text.trim();
        if t.is_empty() || is_pager_line(t) || is_elision(t) {
            continue;
        }
        if !is_summary_line(t) {
            out.unread.push(line.span);
            continue;
        }
        // A new `Total:` after a complete summary starts another one (`ss -s` run twice).
        if t.starts_with("Total:")
            && let Some((span, s)) = summary.take_if(|(_, s)| s.tcp_total.is_some())
        {
            out.facts.push(FactAt {
                span,
                fact: Fact::SocketSummary(Box::new(s)),
            });
        }
        let (span, s) = summary.get_or_insert_with(|| (line.span, SocketSummary::default()));
        *span = span.join(line.span);
        if is_tcp_line(t) {
            let after = t.trim_start_matches("TCP:").trim_start();
            let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
            s.tcp_total = digits.parse().ok();
            s.established = counter(t, "estab");
            s.timewait = counter(t, "timewait");
            s.orphaned = counter(t, "orphaned");
        }
    }
    if let Some((span, s)) = summary {
        out.facts.push(FactAt {
            span,
            fact: Fact::SocketSummary(Box::new(s)),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_new_and_old_summaries() {
        let text = "Total: 31245\nTCP:   29842 (estab 1204, closed 28511, orphaned 3, timewait 28497)\n\nTransport Total     IP        IPv6\nRAW\t  0         0         0        \nTCP\t  1331      1320      11       \n*\t  190       -         -\n";
        let parsed = parse(&ParseContext::new(text, 0));
        assert!(parsed.unread.is_empty());
        let Fact::SocketSummary(s) = &parsed.facts[0].fact else {
            panic!()
        };
        assert_eq!(
            (s.tcp_total, s.established, s.orphaned, s.timewait),
            (Some(29842), Some(1204), Some(3), Some(28497))
        );
        assert_eq!(parsed.facts[0].span, Span::new(0, text.trim_end().len()));
        let old =
            "Total: 190 (kernel 0)\nTCP:   12 (estab 3, closed 0, orphaned 0, synrecv 0, timewait 0/0), ports 0\n";
        let parsed = parse(&ParseContext::new(old, 0));
        let Fact::SocketSummary(s) = &parsed.facts[0].fact else {
            panic!()
        };
        assert_eq!(s.timewait, Some(0));
    }
}

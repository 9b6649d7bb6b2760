//! Small helpers shared by the parsers of column-shaped command output (`ss`, `netstat`, `ps`,
//! `ls`, `df`, `free`...): whitespace tokens with their byte offsets, number reading, pager and
//! prompt-noise lines, and the command of a piece split into program and arguments.

use crate::parse::ParseContext;

/// One whitespace-separated token of a line and its byte offset in the line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token<'a> {
    /// Offset of the token's first byte in the line.
    pub start: usize,
    /// The token.
    pub text: &'a str,
}

/// The whitespace-separated tokens of `line`, with offsets (so that "the rest of the line from
/// token N" keeps its inner spaces).
pub fn tokens(line: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    for (i, c) in line.char_indices() {
        if c.is_whitespace() {
            if let Some(s) = start.take() {
                out.push(Token {
                    start: s,
                    text: line.get(s..i).unwrap_or(""),
                });
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        out.push(Token {
            start: s,
            text: line.get(s..).unwrap_or(""),
        });
    }
    out
}

/// The text of `line` from token `index` to the end, trimmed; "" when there is no such token.
pub fn rest_from<'a>(line: &'a str, toks: &[Token<'a>], index: usize) -> &'a str {
    toks.get(index)
        .and_then(|t| line.get(t.start..))
        .map_or("", str::trim_end)
}

/// True for a token made only of ASCII digits.
pub fn is_digits(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

/// Reads a decimal number written with `.` or `,` as decimal separator.
pub fn decimal(text: &str) -> Option<f64> {
    let t = text.trim().trim_end_matches('%');
    if t.is_empty()
        || !t
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b',' || b == b'-')
    {
        return None;
    }
    t.replace(',', ".").parse().ok()
}

/// True for the lines a pager or a terminal leaves in a paste: `lines 1-20/20 (END)`, `(END)`,
/// `--More--`, `:` alone, `~` filler.
pub fn is_pager_line(text: &str) -> bool {
    let t = text.trim();
    if t == "(END)" || t == ":" || t == "~" || t.starts_with("--More--") {
        return true;
    }
    if let Some(rest) = t.strip_prefix("lines ") {
        let head = rest.split(' ').next().unwrap_or("");
        return head.bytes().next().is_some_and(|b| b.is_ascii_digit())
            && head.bytes().all(|b| b.is_ascii_digit() || b == b'-' || b == b'/');
    }
    false
}

/// True for lines a person adds around output without meaning: ellipses, `[...]`, `(...)`,
/// `...snip...`, lines of dashes or dots.
pub fn is_elision(text: &str) -> bool {
    let t = text.trim();
    !t.is_empty()
        && (t.chars().all(|c| matches!(c, '.' | '…' | '-' | ' ' | '=' | '_'))
            || matches!(
                t,
                "[...]" | "(...)" | "[…]" | "<snip>" | "[snip]" | "...snip..." | "(no output)"
            ))
}

/// The program and arguments of the command that printed the piece, if a prompt showed it.
pub fn command_of(cx: &ParseContext<'_>) -> Option<(String, Vec<String>)> {
    cx.command.and_then(crate::split::program_and_args)
}

/// True when `args` has a short flag `letter` (alone or bundled, `-ltnp`) or the long `long`.
pub fn has_flag(args: &[String], letter: char, long: &str) -> bool {
    args.iter().any(|a| {
        (a.starts_with('-') && !a.starts_with("--") && a[1..].contains(letter)) || (!long.is_empty() && a == long)
    })
}

/// The share of non-blank lines for which `pred` holds, but 0 when fewer than `min` lines hold.
pub fn share_with_minimum(lines: &[&str], min: usize, pred: impl Fn(&str) -> bool) -> f32 {
    let mut total = 0usize;
    let mut hits = 0usize;
    for line in lines.iter().filter(|l| !l.trim().is_empty()) {
        total += 1;
        if pred(line) {
            hits += 1;
        }
    }
    if total == 0 || hits < min {
        0.0
    } else {
        hits as f32 / total as f32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_keep_offsets() {
        let line = "  a bb\tccc  ";
        let t = tokens(line);
        assert_eq!(t.len(), 3);
        assert_eq!((t[1].start, t[1].text), (4, "bb"));
        assert_eq!(rest_from(line, &t, 1), "bb\tccc");
        assert_eq!(rest_from(line, &t, 9), "");
    }

    #[test]
    fn numbers_and_noise() {
        assert_eq!(decimal("0,52"), Some(0.52));
        assert_eq!(decimal("95%"), Some(95.0));
        assert_eq!(decimal("x1"), None);
        assert!(is_pager_line("lines 1-20/20 (END)"));
        assert!(is_pager_line("lines 1-43"));
        assert!(!is_pager_line("lines of text"));
        assert!(is_elision("..."));
        assert!(has_flag(&["-ltnp".to_string()], 'p', ""));
        assert!(!has_flag(&["--all".to_string()], 'l', "--listening"));
    }
}

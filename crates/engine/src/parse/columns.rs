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
    let mut out = Vec::with_capacity(16);
    out.extend(token_iter(line));
    out
}

/// The tokens of `line` one by one, without allocating: row readers look at the first few to
/// reject a line before splitting all of it.
pub fn token_iter(line: &str) -> impl Iterator<Item = Token<'_>> + '_ {
    let bytes = line.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        let mut start: Option<usize> = None;
        // Bytes, not chars: ASCII is decided on the byte (most lines are ASCII); a non-ASCII
        // char is decoded only to ask whether it is Unicode whitespace.
        while i < bytes.len() {
            let b = bytes[i];
            let (white, width) = if b < 0x80 {
                (matches!(b, b' ' | b'\t' | b'\n' | b'\x0B' | b'\x0C' | b'\r'), 1)
            } else {
                match line.get(i..).and_then(|rest| rest.chars().next()) {
                    Some(c) => (c.is_whitespace(), c.len_utf8()),
                    None => (false, 1),
                }
            };
            if white {
                if let Some(s) = start {
                    return Some(Token {
                        start: s,
                        text: line.get(s..i).unwrap_or(""),
                    });
                }
            } else if start.is_none() {
                start = Some(i);
            }
            i += width;
        }
        start.map(|s| Token {
            start: s,
            text: line.get(s..).unwrap_or(""),
        })
    })
}

/// The text of token `index` of `line`, if there is one.
pub fn nth_token(line: &str, index: usize) -> Option<&str> {
    token_iter(line).nth(index).map(|t| t.text)
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
    crate::number::parse(&t.replace(',', "."))
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
    fn tokens_split_on_unicode_whitespace_like_split_whitespace() {
        for line in [
            "a\u{a0}b\u{2003}c  é\u{3000}ü\tz",
            "\u{feff}x y",
            "é",
            "\x0bv\x0cw\rq",
            "",
            "   ",
        ] {
            let got: Vec<&str> = tokens(line).iter().map(|t| t.text).collect();
            let want: Vec<&str> = line.split_whitespace().collect();
            assert_eq!(got, want, "{line:?}");
            for t in tokens(line) {
                assert_eq!(&line[t.start..t.start + t.text.len()], t.text);
            }
        }
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

#[cfg(test)]
mod robustness {
    use crate::parse::ParseContext;
    use crate::parse::registry::SPECS;
    use crate::span::lines;

    /// Fragments of every shape the system-state parsers read, cut anywhere, with multibyte
    /// characters around: no parser, scorer or recogniser may panic, and every span must lie
    /// inside the piece.
    #[test]
    fn no_panic_on_cut_or_odd_input() {
        let seeds = [
            "● nginx.service - x\n   Active: failed (Result: exit-code) since é; 1s ago\n Main PID: 12 (code=exited, status=1/FAILURE)\n  Process: 1 ExecStart=x (code=ex>\n           ├─1 \"nginx\"\n",
            "Nov 21 10:00:00 h nginx[1]: nginx: [emerg] x\nNov 21 10:00:00 h kernel: [1.5] Out of memory: Killed process 1 (é) x\n   cont\n-- Boot x --\n",
            "[ 1.000000] php[1]: segfault at 0 ip x\n[Thu Nov 21 10:00:00 2026] oom-kill:constraint=x,task=é,pid=1,uid=0\nkern  :err   : [1.0] x\n<6>[",
            "Netid State Recv-Q Send-Q Local Address:Port Peer Address:Port\nu_str LISTEN 0 5 /run/é.sock 1 * 0 users:((\"é\",pid=1,fd=2))\ntcp LISTEN 0 5 [::]:80 [::]:*\n",
            "Total: 1\nTCP:   2 (estab 1, closed 0, orphaned 0, timewait 0/0), ports 0\nRAW 0 0 0\n",
            "Proto Recv-Q Send-Q Local Address Foreign Address State PID/Program name\ntcp 0 0 0.0.0.0:80 0.0.0.0:* LISTEN 1/é\nunix  2 [ ACC ] STREAM LISTENING 1 1/é /r\n",
            "COMMAND PID USER FD TYPE DEVICE SIZE/OFF NODE NAME\né 1 u 1u IPv4 1 0t0 TCP *:80 (LISTEN)\nx 1 u 1u unix 0x1 0t0 1 /é type=STREAM\n",
            "/run/é:\ntotal 0\nsrw-rw----+ 1 é é 0 Nov 21 10:00 é sock -> x\nf: /é\n drwxr-xr-x r r /\n lrwxrwxrwx r r é -> ../x\n   d ..\n é - No such file\n  File: ‘é’\nAccess: (0660/srw-rw----)  Uid: (   1/é)   Gid: (   1/é)\nls: cannot access 'é': x\n",
            "uid=1(é) gid=1(é) groups=1(é),2\né : é x\né:x:1:1:é:/:/bin/sh\né:x:1:a,b\n",
            "USER PID %CPU %MEM VSZ RSS TTY STAT START TIME COMMAND\né 1 0,5 1.0 1 1 ? S 10:00 0:00 \\_ é\nPID USER TIME COMMAND\n 1 é 0:00 x\n",
            "top - 10:00:00 up 1 day, load average: 1,0, 2.0, 3\n%Cpu(s): 1.0%us, é id\nMiB Mem : 1.0 total, é free\nKiB Swap: 1 total. 2 avail Mem\n  PID USER PR NI VIRT RES SHR S %CPU %MEM TIME+ COMMAND\n",
            "               total used free\nMem: 1.9Gi 1Mi 0B 1 1 1\n-/+ buffers/cache: 1 2\nSwap: é\n 10:00:00 up 1 min, load average: 0.1, 0.2, 0.3\n1.0 2.0 3.0 1/2 3\n",
            "Filesystem Size Used Avail Use% Mounted on\n/dev/é\n  1G 1G 0 100% /é x\nopen files (-n) 1024\n-n: file descriptors 1\nMax open files 1 2 files\nLimitNOFILE=é\nnet.core.é = 1\n",
        ];
        let mut inputs: Vec<String> = Vec::new();
        for seed in seeds {
            for (i, _) in seed.char_indices().step_by(3) {
                inputs.push(seed[..i].to_string());
                inputs.push(seed[i..].to_string());
            }
            inputs.push(seed.replace('\n', "\r\n"));
            inputs.push(seed.replace(' ', "\t"));
        }
        inputs.push("x".repeat(100_000));
        inputs.push("[".repeat(10_000));
        for input in &inputs {
            let line_texts: Vec<&str> = lines(input, 0).map(|l| l.text).collect();
            for spec in SPECS {
                let score = (spec.block)(&line_texts);
                assert!((0.0..=1.0).contains(&score), "{:?} scored {score}", spec.kind);
                if let Some(line) = spec.line {
                    for l in &line_texts {
                        line(l);
                    }
                }
                let mut cx = ParseContext::new(input, 7);
                cx.command = Some("ls -l /run/é");
                let parsed = (spec.parse)(&cx);
                for span in parsed.facts.iter().map(|f| f.span).chain(parsed.unread.iter().copied()) {
                    assert!(
                        span.start >= 7 && span.end <= 7 + input.len(),
                        "{:?}: {span:?}",
                        spec.kind
                    );
                }
            }
        }
    }
}

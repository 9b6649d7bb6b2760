//! Process lists: `ps aux`, `ps -ef`, `ps -eo user,pid,cmd` (any columns, read from the
//! header), `ps auxf` / `--forest` trees, busybox `ps` (`PID USER TIME COMMAND`), headerless
//! rows of `ps aux | grep nginx`, and `pgrep -a`/`-l`/bare pids. One `ProcessInfo` per process
//! (the user of `nginx: worker process` rows is the nginx worker user). The header-driven row
//! reader is shared with `top`'s process table.

use crate::facts::{Fact, FactAt, ProcessInfo};
use crate::kind::Kind;
use crate::parse::columns::{command_of, decimal, is_digits, is_elision, is_pager_line, nth_token, rest_from, tokens};
use crate::parse::registry::KindSpec;
use crate::parse::{ParseContext, Parsed};
use crate::span::lines;

/// How process lists are recognised and parsed.
pub const SPEC: KindSpec = KindSpec {
    kind: Kind::Ps,
    embeds: &[],
    command: |program, _| matches!(program, "ps" | "pgrep" | "pidof"),
    file: crate::parse::registry::no_file,
    // top's table header (`PR NI VIRT RES SHR`, busybox `%VSZ`) is left to top's own piece.
    line: Some(|l| {
        let top_table = ["VIRT", "SHR", "%VSZ"]
            .iter()
            .any(|c| l.split_whitespace().any(|w| w == *c));
        (Header::read(l).is_some_and(|h| h.user.is_some()) && !top_table) || headerless_row(l).is_some()
    }),
    block: |lines| {
        let mut header: Option<Header> = None;
        let mut total = 0usize;
        let mut hits = 0usize;
        for l in lines.iter().filter(|l| !l.trim().is_empty()) {
            total += 1;
            if let Some(h) = Header::read(l) {
                hits += 1;
                header = Some(h);
            } else if header.as_ref().is_some_and(|h| h.row(l).is_some()) || headerless_row(l).is_some() {
                hits += 1;
            }
        }
        if total == 0 || (header.is_none() && hits == 0) {
            0.0
        } else {
            hits as f32 / total as f32
        }
    },
    parse,
};

/// Where the columns that matter sit in a process table.
#[derive(Clone, Debug)]
pub struct Header {
    /// Number of columns.
    columns: usize,
    user: Option<usize>,
    pid: usize,
    ppid: Option<usize>,
    cpu: Option<usize>,
    mem: Option<usize>,
    /// The command column, when it is the last one (it keeps its spaces).
    command: Option<usize>,
}

impl Header {
    /// Reads a column header such as `USER PID %CPU %MEM VSZ RSS TTY STAT START TIME COMMAND`,
    /// `UID PID PPID C STIME TTY TIME CMD`, `PID USER TIME COMMAND` or top's
    /// `PID USER PR NI VIRT RES SHR S %CPU %MEM TIME+ COMMAND`.
    pub fn read(line: &str) -> Option<Header> {
        // Every column name starts with a capital or `%`.
        if !nth_token(line, 0).is_some_and(|t| t.starts_with(|c: char| c.is_ascii_uppercase() || c == '%')) {
            return None;
        }
        let toks = tokens(line);
        if toks.len() < 2 || toks.len() > 30 {
            return None;
        }
        let names: Vec<&str> = toks.iter().map(|t| t.text).collect();
        let known = |n: &str| {
            matches!(
                n,
                "USER"
                    | "UID"
                    | "RUSER"
                    | "EUSER"
                    | "PID"
                    | "PPID"
                    | "%CPU"
                    | "%MEM"
                    | "CPU"
                    | "MEM"
                    | "VSZ"
                    | "RSS"
                    | "TTY"
                    | "TT"
                    | "STAT"
                    | "S"
                    | "START"
                    | "STARTED"
                    | "STIME"
                    | "TIME"
                    | "TIME+"
                    | "C"
                    | "PRI"
                    | "PR"
                    | "NI"
                    | "ADDR"
                    | "SZ"
                    | "WCHAN"
                    | "F"
                    | "CMD"
                    | "COMMAND"
                    | "ARGS"
                    | "COMM"
                    | "ELAPSED"
                    | "PSR"
                    | "LWP"
                    | "NLWP"
                    | "PGID"
                    | "SID"
                    | "GROUP"
                    | "RGROUP"
                    | "LABEL"
                    | "VIRT"
                    | "RES"
                    | "SHR"
                    | "ETIME"
                    | "%VSZ"
            )
        };
        if !names.iter().all(|n| known(n)) {
            return None;
        }
        let at = |wanted: &[&str]| names.iter().position(|n| wanted.contains(n));
        let pid = at(&["PID"])?;
        let last = names.len() - 1;
        let command = at(&["CMD", "COMMAND", "ARGS", "COMM"]).filter(|&c| c == last);
        Some(Header {
            columns: names.len(),
            user: at(&["USER", "UID", "RUSER", "EUSER"]),
            pid,
            ppid: at(&["PPID"]),
            cpu: at(&["%CPU", "CPU"]),
            mem: at(&["%MEM", "MEM"]),
            command,
        })
    }

    /// Reads one row under this header.
    pub fn row(&self, line: &str) -> Option<ProcessInfo> {
        let toks = tokens(line);
        let fixed = if self.command.is_some() {
            self.columns - 1
        } else {
            self.columns
        };
        if toks.len() < fixed || (self.command.is_none() && toks.len() != fixed) {
            return None;
        }
        let pid = toks.get(self.pid).filter(|t| is_digits(t.text))?.text.parse().ok()?;
        let field = |i: Option<usize>| i.and_then(|i| toks.get(i)).map(|t| t.text);
        let ppid = match field(self.ppid) {
            Some(p) => Some(p.parse().ok()?),
            None => None,
        };
        let number = |i: Option<usize>| -> Option<Option<f32>> {
            match field(i) {
                Some(v) => Some(Some(decimal(v)? as f32)),
                None => Some(None),
            }
        };
        let command = self
            .command
            .map(|c| clean_command(rest_from(line, &toks, c)))
            .unwrap_or_default();
        Some(ProcessInfo {
            user: field(self.user).unwrap_or("").to_string(),
            pid,
            ppid,
            cpu: number(self.cpu)?,
            mem: number(self.mem)?,
            command,
        })
    }
}

/// The header `ps -o LIST` implies (for output piped through `grep`, or `-o name=` without a
/// header line).
fn header_from_command(cx: &ParseContext<'_>) -> Option<Header> {
    let (program, args) = command_of(cx)?;
    if program != "ps" {
        return None;
    }
    let mut list = None;
    for (i, arg) in args.iter().enumerate() {
        if let Some(rest) = arg.strip_prefix("--format=").or_else(|| arg.strip_prefix("-o")) {
            list = if rest.is_empty() {
                args.get(i + 1).cloned()
            } else {
                Some(rest.to_string())
            };
        } else if arg.starts_with('-') && !arg.starts_with("--") && arg.ends_with('o') {
            list = args.get(i + 1).cloned();
        }
    }
    let names: Vec<String> = list?
        .split([',', ' '])
        .filter(|n| !n.is_empty())
        .map(|n| {
            let n = n.split('=').next().unwrap_or(n).split(':').next().unwrap_or(n);
            match n {
                "pcpu" => "%CPU".to_string(),
                "pmem" => "%MEM".to_string(),
                "command" => "COMMAND".to_string(),
                "lstart" => "START".to_string(),
                other => other.to_ascii_uppercase(),
            }
        })
        .collect();
    Header::read(&names.join(" "))
}

/// Removes `ps f` tree decorations (`\_ `, `|`) from a command.
fn clean_command(text: &str) -> String {
    let t = text.trim_start_matches([' ', '|']);
    let t = t.strip_prefix("\\_ ").unwrap_or(t);
    t.trim().to_string()
}

/// `0:00`, `12:34`, `00:00:01`, `1-02:03:04`.
fn is_cpu_time(text: &str) -> bool {
    let t = text
        .split_once('-')
        .map_or(text, |(d, rest)| if is_digits(d) { rest } else { "" });
    let parts: Vec<&str> = t.split(':').collect();
    (2..=3).contains(&parts.len()) && parts.iter().all(|p| is_digits(p)) && parts.iter().skip(1).all(|p| p.len() == 2)
}

/// A `ps aux` or `ps -ef` row without its header (as `ps aux | grep nginx` prints it).
fn headerless_row(line: &str) -> Option<ProcessInfo> {
    // Both forms have the pid second.
    if !nth_token(line, 1).is_some_and(is_digits) {
        return None;
    }
    let toks = tokens(line);
    let text = |i: usize| toks.get(i).map_or("", |t| t.text);
    // aux: USER PID %CPU %MEM VSZ RSS TTY STAT START TIME COMMAND
    if toks.len() >= 11
        && is_digits(text(1))
        && decimal(text(2)).is_some()
        && decimal(text(3)).is_some()
        && text(2).contains(['.', ','])
        && is_digits(text(4))
        && is_digits(text(5))
        && is_cpu_time(text(9))
    {
        return Some(ProcessInfo {
            user: text(0).to_string(),
            pid: text(1).parse().ok()?,
            ppid: None,
            cpu: decimal(text(2)).map(|v| v as f32),
            mem: decimal(text(3)).map(|v| v as f32),
            command: clean_command(rest_from(line, &toks, 10)),
        });
    }
    // -ef: UID PID PPID C STIME TTY TIME CMD
    if toks.len() >= 8
        && is_digits(text(1))
        && is_digits(text(2))
        && is_digits(text(3))
        && is_cpu_time(text(6))
        && text(6).matches(':').count() == 2
    {
        return Some(ProcessInfo {
            user: text(0).to_string(),
            pid: text(1).parse().ok()?,
            ppid: text(2).parse().ok(),
            cpu: None,
            mem: None,
            command: clean_command(rest_from(line, &toks, 7)),
        });
    }
    None
}

/// A busybox row without header (`  1 root      0:00 nginx: master ...`), or a `pgrep -a`/`-l`
/// row (`1234 nginx: master process ...`): only read when the piece is known to be a process list.
fn loose_row(line: &str) -> Option<ProcessInfo> {
    let toks = tokens(line);
    let pid: u32 = toks.first().filter(|t| is_digits(t.text))?.text.parse().ok()?;
    if toks.len() >= 4 && is_cpu_time(toks[2].text) {
        return Some(ProcessInfo {
            user: toks[1].text.to_string(),
            pid,
            command: clean_command(rest_from(line, &toks, 3)),
            ..Default::default()
        });
    }
    Some(ProcessInfo {
        user: String::new(),
        pid,
        command: clean_command(rest_from(line, &toks, 1)),
        ..Default::default()
    })
}

/// Parses a process list.
pub fn parse(cx: &ParseContext<'_>) -> Parsed {
    let mut out = Parsed::default();
    let mut header: Option<Header> = header_from_command(cx);
    let pid_lister = command_of(cx).is_some_and(|(p, _)| p == "pgrep" || p == "pidof");
    for line in lines(cx.text, cx.base) {
        let t = line.text.trim();
        if t.is_empty() || is_pager_line(t) || is_elision(t) {
            continue;
        }
        if let Some(h) = Header::read(line.text) {
            header = Some(h);
            continue;
        }
        // `pidof nginx` → `2212 2211`.
        if pid_lister && t.split_whitespace().all(is_digits) {
            for pid in t.split_whitespace().filter_map(|p| p.parse().ok()) {
                out.facts.push(FactAt {
                    span: line.span,
                    fact: Fact::ProcessInfo(Box::new(ProcessInfo {
                        pid,
                        ..Default::default()
                    })),
                });
            }
            continue;
        }
        let process = header
            .as_ref()
            .and_then(|h| h.row(line.text))
            .or_else(|| headerless_row(line.text))
            .or_else(|| (header.is_none() || pid_lister).then(|| loose_row(line.text)).flatten());
        if let Some(process) = process {
            out.facts.push(FactAt {
                span: line.span,
                fact: Fact::ProcessInfo(Box::new(process)),
            });
            continue;
        }
        out.unread.push(line.span);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::test_support::facts_of;

    fn processes(text: &str) -> (Vec<ProcessInfo>, Parsed) {
        let parsed = parse(&ParseContext::new(text, 0));
        (facts_of(&parsed), parsed)
    }

    #[test]
    fn reads_aux_with_forest() {
        let (p, parsed) = processes(
            "USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND\nroot        2211  0.0  0.1  55280  1520 ?        Ss   10:00   0:00 nginx: master process /usr/sbin/nginx -g daemon on; master_process on;\nwww-data    2212  0.3  0.5  55900  5120 ?        S    10:00   0:01  \\_ nginx: worker process\n",
        );
        assert!(parsed.unread.is_empty());
        assert_eq!(p[1].user, "www-data");
        assert_eq!(p[1].command, "nginx: worker process");
        assert_eq!(p[1].cpu, Some(0.3));
    }

    #[test]
    fn reads_ef_busybox_custom_and_headerless() {
        let (p, parsed) = processes(
            "UID          PID    PPID  C STIME TTY          TIME CMD\nroot           1       0  0 Nov21 ?        00:00:03 /sbin/init\nnginx       2212    2211  0 10:00 ?        00:00:00 nginx: worker process\n",
        );
        assert!(parsed.unread.is_empty());
        assert_eq!((p[1].user.as_str(), p[1].ppid), ("nginx", Some(2211)));
        let (p, _) = processes(
            "PID   USER     TIME  COMMAND\n    1 root      0:00 nginx: master process nginx -g daemon off;\n   30 nginx     0:00 nginx: worker process\n",
        );
        assert_eq!(p[1].user, "nginx");
        let (p, _) = processes("USER       PID CMD\napache    1403 php-fpm: pool www\n");
        assert_eq!(p[0].command, "php-fpm: pool www");
        let (p, _) = processes(
            "www-data  2212  0.0  0.2  56000  8000 ?  S  10:00  0:00 nginx: worker process\nroot 999 0.0 0.0 6432 720 pts/0 S+ 10:01 0:00 grep --color=auto nginx\n",
        );
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].user, "www-data");
    }

    #[test]
    fn custom_columns_come_from_the_command() {
        let mut cx = ParseContext::new(
            "gunicorn    1876    1875 /srv/app/venv/bin/gunicorn --bind unix:/run/g.sock\n",
            0,
        );
        cx.command = Some("ps -eo user,pid,ppid,cmd | grep gunicorn");
        let parsed = parse(&cx);
        assert!(matches!(&parsed.facts[0].fact, Fact::ProcessInfo(p) if p.ppid == Some(1875) && p.user == "gunicorn"));
    }

    #[test]
    fn pid_listers_need_the_command() {
        let mut cx = ParseContext::new("2212 2211\n", 0);
        cx.command = Some("pidof nginx");
        assert_eq!(parse(&cx).facts.len(), 2);
        let mut cx = ParseContext::new("1234 nginx: master process /usr/sbin/nginx\n", 0);
        cx.command = Some("pgrep -a nginx");
        let parsed = parse(&cx);
        assert!(matches!(&parsed.facts[0].fact, Fact::ProcessInfo(p) if p.command.starts_with("nginx: master")));
    }
}

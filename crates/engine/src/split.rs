//! Splitting a paste into pieces (one artifact each) and recognising each piece's kind.
//!
//! A paste is cut at shell prompts (`$ cmd`, `# cmd`, `user@host:~$ cmd`, `[root@host ~]# cmd`)
//! and at `nginx -T`'s `# configuration file PATH:` headers. Output without a prompt is cut
//! further where its content changes kind: at blank lines between paragraphs (not inside an
//! open `{` block) and where lines that are strong evidence of one kind give way to another.
//! Each piece is then classified from its command (strongest), a file name, and its content.

use serde::{Deserialize, Serialize};

use crate::kind::Kind;
use crate::parse::registry::{KindSpec, SPECS, embeds};
use crate::paste::Paste;
use crate::span::{Line, Span, is_blank, lines, trim, trim_end};

/// One artifact found in a paste.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Piece {
    /// Index of the paste it comes from.
    pub paste: usize,
    /// Its text in the paste (prompt and header lines excluded).
    pub span: Span,
    /// Its kind.
    pub kind: Kind,
    /// How sure the engine is of the kind, in `[0, 1]`.
    pub confidence: f32,
    /// The shell command that produced it, when a prompt showed one.
    pub command: Option<String>,
    /// A file name it came from (`nginx -T` header, `cat FILE`, the paste's name).
    pub file: Option<String>,
    /// True when the person chose the kind.
    pub overridden: bool,
    /// Lines of the paste that belong to the piece but carry only its framing (the prompt line,
    /// the `# configuration file` header): known, not facts, never reported as unread.
    pub framing: Vec<Span>,
}

/// A segment of a paste between prompts or headers, before content splitting.
struct Segment {
    span: Span,
    command: Option<String>,
    file: Option<String>,
    framing: Vec<Span>,
    /// The kind a header forces (`# configuration file` means nginx config).
    forced: Option<Kind>,
}

/// Splits one paste into classified pieces.
pub fn split(paste_index: usize, paste: &Paste) -> Vec<Piece> {
    let text = paste.text.as_str();
    if let Some(kind) = paste.kind {
        return vec![Piece {
            paste: paste_index,
            span: Span::new(0, text.len()),
            kind,
            confidence: 1.0,
            command: None,
            file: Some(paste.name.clone()).filter(|n| !n.is_empty()),
            overridden: true,
            framing: Vec::new(),
        }];
    }
    let name_hint = Some(paste.name.as_str()).filter(|n| file_hint_kind(n).is_some());
    let mut pieces = Vec::new();
    for segment in segments(text) {
        let file = segment.file.clone().or_else(|| name_hint.map(str::to_string));
        let command_kind = segment
            .forced
            .or_else(|| segment.command.as_deref().and_then(kind_of_command));
        let runs = content_runs(text, segment.span);
        let first_piece = pieces.len();
        let mut classified = Vec::with_capacity(runs.len());
        // Runs after the first that are strongly another kind than the command's output are
        // something the person pasted after it: they keep neither the command nor the file it
        // names. (The first run is the output, whatever the command's name suggests.)
        let mut not_output: Vec<Span> = Vec::new();
        for (index, run) in runs.into_iter().enumerate() {
            let run_lines: Vec<&str> = lines(run.text(text), 0).map(|l| l.text).collect();
            let (mut kind, mut confidence) = classify_lines(&run_lines, file.as_deref());
            if let Some(ck) = command_kind {
                // The command decides, unless this run is strongly another kind.
                let strongly_other = kind != ck
                    && confidence >= 0.9
                    && !embeds(ck, kind)
                    && strong_kind(&run_lines).is_some_and(|k| k != ck && !embeds(ck, k));
                if !strongly_other {
                    kind = ck;
                    confidence = 0.95;
                } else if index > 0 && segment.forced.is_none() && segment.command.is_some() {
                    not_output.push(run);
                }
            }
            classified.push((run, kind, confidence));
        }
        absorb_unknown_runs(text, &mut classified);
        for (run, kind, confidence) in classified {
            let foreign = not_output.contains(&run);
            push_merged(
                &mut pieces,
                first_piece,
                Piece {
                    paste: paste_index,
                    span: run,
                    kind,
                    confidence,
                    command: if foreign { None } else { segment.command.clone() },
                    file: if foreign {
                        name_hint.map(str::to_string)
                    } else {
                        file.clone()
                    },
                    overridden: false,
                    framing: Vec::new(),
                },
            );
        }
        if pieces.len() == first_piece && (segment.command.is_some() || segment.forced.is_some()) {
            // A command with no output: keep it as an empty piece so its framing is accounted for.
            pieces.push(Piece {
                paste: paste_index,
                span: Span::new(segment.span.end, segment.span.end),
                kind: command_kind.unwrap_or(Kind::Unknown),
                confidence: if command_kind.is_some() { 0.95 } else { 0.0 },
                command: segment.command.clone(),
                file: file.clone(),
                overridden: false,
                framing: Vec::new(),
            });
        }
        if let Some(first) = pieces.get_mut(first_piece) {
            first.framing.extend(segment.framing.iter().copied());
        }
    }
    for piece in &mut pieces {
        if let Some(&(_, kind)) = paste.piece_kinds.iter().find(|(start, _)| *start == piece.span.start) {
            piece.kind = kind;
            piece.confidence = 1.0;
            piece.overridden = true;
        }
    }
    pieces
}

/// An unrecognised run (a comment block, a header line, a banner) next to a run of kind K joins
/// it when K's block score of the joined lines is at least that of K's lines alone: such lines
/// are parts of K (the comments of a config file cut off by a blank line, the header above a
/// table), whereas prose lowers the score and stays apart. The following run is tried first.
/// Only runs of at most [`ABSORB_MAX_LINES`] lines are absorbed, and K is judged on the same
/// number of its lines nearest to them, so that the work stays linear in the paste.
fn absorb_unknown_runs(text: &str, runs: &mut Vec<(Span, Kind, f32)>) {
    let score = |kind: Kind, span: Span| -> f32 {
        let block: Vec<&str> = lines(span.text(text), 0).map(|l| l.text).collect();
        crate::parse::registry::spec(kind).map_or(0.0, |s| (s.block)(&block))
    };
    let joins = |unknown: Span, (span, kind, _): (Span, Kind, f32), after: bool| {
        if kind == Kind::Unknown {
            return false;
        }
        let near = if after {
            head_lines(text, span, ABSORB_MAX_LINES)
        } else {
            tail_lines(text, span, ABSORB_MAX_LINES)
        };
        score(kind, near.join(unknown)) >= score(kind, near)
    };
    let mut out: Vec<(Span, Kind, f32)> = Vec::with_capacity(runs.len());
    let mut carried: Option<Span> = None;
    for i in 0..runs.len() {
        let (span, kind, confidence) = runs[i];
        let small = || lines(span.text(text), 0).nth(ABSORB_MAX_LINES).is_none();
        if kind == Kind::Unknown && carried.is_none() && small() {
            if runs.get(i + 1).is_some_and(|&next| joins(span, next, true)) {
                carried = Some(span);
                continue;
            }
            if let Some(prev) = out.last_mut()
                && joins(span, *prev, false)
            {
                prev.0 = prev.0.join(span);
                continue;
            }
        }
        let span = carried.take().map_or(span, |c| c.join(span));
        out.push((span, kind, confidence));
    }
    *runs = out;
}

/// Runs of at most this many lines may be absorbed by a neighbour.
const ABSORB_MAX_LINES: usize = 40;

/// The first `n` lines of `span`.
fn head_lines(text: &str, span: Span, n: usize) -> Span {
    let body = span.text(text);
    let end = body
        .match_indices('\n')
        .nth(n.saturating_sub(1))
        .map_or(body.len(), |(i, _)| i);
    Span::new(span.start, span.start + end)
}

/// The last `n` lines of `span`.
fn tail_lines(text: &str, span: Span, n: usize) -> Span {
    let body = span.text(text);
    let start = body
        .rmatch_indices('\n')
        .nth(n.saturating_sub(1))
        .map_or(0, |(i, _)| i + 1);
    Span::new(span.start + start, span.end)
}

/// Appends a piece, merging it into the previous one of this segment when the kind is the same.
fn push_merged(pieces: &mut Vec<Piece>, segment_start: usize, piece: Piece) {
    if pieces.len() > segment_start
        && let Some(last) = pieces.last_mut()
        && (last.kind == piece.kind || embeds(last.kind, piece.kind))
    {
        last.span = last.span.join(piece.span);
        last.confidence = last.confidence.max(piece.confidence);
        return;
    }
    pieces.push(piece);
}

/// Cuts a paste at prompts and `nginx -T` headers.
fn segments(text: &str) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut current = Segment {
        span: Span::new(0, 0),
        command: None,
        file: None,
        framing: Vec::new(),
        forced: None,
    };
    let mut has_content = false;
    for line in lines(text, 0) {
        if let Some(next) = boundary(line) {
            if has_content || !current.framing.is_empty() {
                out.push(current);
            }
            current = next;
            has_content = false;
        } else if has_content {
            current.span.end = line.span.end;
        } else {
            current.span = line.span;
            has_content = true;
        }
    }
    if has_content || !current.framing.is_empty() {
        out.push(current);
    }
    out
}

/// The segment a prompt or header line opens, if `line` is one.
fn boundary(line: Line<'_>) -> Option<Segment> {
    let empty = Span::new(line.span.end, line.span.end);
    if let Some(path) = config_file_header(line.text) {
        return Some(Segment {
            span: empty,
            command: None,
            file: Some(path.to_string()),
            framing: vec![line.span],
            forced: Some(Kind::NginxConfig),
        });
    }
    if let Some(path) = tail_header(line.text) {
        return Some(Segment {
            span: empty,
            command: None,
            file: Some(path.to_string()),
            framing: vec![line.span],
            forced: None,
        });
    }
    let command = prompt_command(line.text)?;
    let file = command.as_deref().and_then(file_of_command);
    Some(Segment {
        span: empty,
        command,
        file,
        framing: vec![line.span],
        forced: None,
    })
}

/// `# configuration file /etc/nginx/nginx.conf:` → the path.
fn config_file_header(line: &str) -> Option<&str> {
    let rest = trim(line).strip_prefix("# configuration file ")?;
    let path = rest.strip_suffix(':').unwrap_or(rest).trim();
    (!path.is_empty() && !path.contains(' ')).then_some(path)
}

/// `==> /var/log/nginx/error.log <==` (the header `tail` prints for several files) → the path.
fn tail_header(line: &str) -> Option<&str> {
    let path = trim(line).strip_prefix("==> ")?.strip_suffix(" <==")?.trim();
    (!path.is_empty()).then_some(path)
}

/// Programs a `# cmd` line may run (so that config comments are not taken for prompts).
const KNOWN_PROGRAMS: &[&str] = &[
    "nginx",
    "openresty",
    "systemctl",
    "service",
    "journalctl",
    "ss",
    "netstat",
    "lsof",
    "ls",
    "id",
    "groups",
    "ps",
    "curl",
    "wget",
    "dig",
    "nslookup",
    "host",
    "getent",
    "cat",
    "tail",
    "head",
    "less",
    "more",
    "grep",
    "egrep",
    "zcat",
    "zgrep",
    "iptables",
    "iptables-save",
    "ip6tables",
    "ip6tables-save",
    "nft",
    "ufw",
    "firewall-cmd",
    "getenforce",
    "sestatus",
    "getsebool",
    "setsebool",
    "ausearch",
    "sealert",
    "aa-status",
    "apparmor_status",
    "docker",
    "docker-compose",
    "podman",
    "kubectl",
    "k",
    "free",
    "uptime",
    "top",
    "df",
    "dmesg",
    "ulimit",
    "sysctl",
    "php",
    "php-fpm",
    "sudo",
    "stat",
    "namei",
    "getfacl",
    "whoami",
    "uname",
    "openssl",
    "nc",
    "telnet",
    "ping",
    "traceroute",
    "gunicorn",
    "uwsgi",
    "node",
    "pm2",
    "supervisorctl",
    "vmstat",
    "ip",
    "chmod",
    "chown",
    "setenforce",
    "semanage",
    "ausearch",
    "lscpu",
    "nproc",
    "cd",
    "echo",
    "find",
];

/// If `line` is a shell prompt, the command after it (`Some(None)` for a bare prompt).
fn prompt_command(line: &str) -> Option<Option<String>> {
    let t = trim_end(line);
    // `[root@host ~]# cmd` / `[user@host dir]$ cmd`
    if let Some(rest) = t.strip_prefix('[')
        && let Some(close) = rest.find(']')
        && rest[..close].contains('@')
    {
        let after = &rest[close + 1..];
        if let Some(cmd) = after.strip_prefix('#').or_else(|| after.strip_prefix('$')) {
            return Some(non_empty(cmd));
        }
    }
    // `user@host:~$ cmd` / `user@host:/etc/nginx# cmd` / `root@host# cmd`: a user name (letters,
    // digits, `_ - .`) then `@` at the start of the line.
    let at = t
        .bytes()
        .position(|b| !(b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'.'))
        .unwrap_or(t.len());
    if at > 0 && t.as_bytes().get(at) == Some(&b'@') {
        let rest = &t[at + 1..];
        if let Some(i) = rest.find(['$', '#']) {
            let host_dir = &rest[..i];
            // cPanel's `root@host [~]# cmd` puts the directory in brackets after a space.
            let bracketed_dir = host_dir
                .split_once(" [")
                .is_some_and(|(host, dir)| !host.contains(' ') && dir.ends_with(']'));
            if !host_dir.is_empty() && !host_dir.contains(' ')
                || host_dir.contains(':') && !host_dir.trim_end().contains("  ")
                || bracketed_dir
            {
                let cmd = &rest[i + 1..];
                if cmd.is_empty() || cmd.starts_with(' ') {
                    return Some(non_empty(cmd));
                }
            }
        }
    }
    // `$ cmd`
    if let Some(cmd) = t.strip_prefix("$ ") {
        return Some(non_empty(cmd));
    }
    // `# cmd`, only for a known program (a config comment is not a prompt).
    if let Some(cmd) = t.strip_prefix("# ") {
        let (program, _) = program_and_args(cmd)?;
        if KNOWN_PROGRAMS.contains(&program.as_str())
            || program.starts_with("php-fpm")
            || program.starts_with("php") && program[3..].chars().all(|c| c.is_ascii_digit() || c == '.')
        {
            // A comment like `# ss is good` would need arguments shaped like options or paths.
            let args: Vec<&str> = cmd.split_whitespace().skip(1).collect();
            if args.is_empty()
                || args
                    .iter()
                    .any(|a| a.starts_with('-') || a.starts_with('/') || a.contains('.') || a.contains('|'))
                || matches!(
                    program.as_str(),
                    "systemctl" | "service" | "docker" | "kubectl" | "journalctl" | "getsebool"
                )
            {
                return Some(non_empty(cmd));
            }
        }
    }
    None
}

fn non_empty(cmd: &str) -> Option<String> {
    let c = cmd.trim();
    (!c.is_empty()).then(|| c.to_string())
}

/// The program and arguments of a command line: the first stage of a pipeline, with `sudo`,
/// `env`, `VAR=value`, `time` and paths stripped, and `docker exec`/`kubectl exec` unwrapped.
pub fn program_and_args(command: &str) -> Option<(String, Vec<String>)> {
    let first_stage = command
        .split(['|', ';'])
        .next()
        .unwrap_or(command)
        .split("&&")
        .next()
        .unwrap_or(command);
    let mut words: Vec<String> = first_stage
        .split_whitespace()
        .map(|w| w.trim_matches(['"', '\'']).to_string())
        .collect();
    loop {
        let first = words.first()?.clone();
        if matches!(
            first.as_str(),
            "sudo" | "doas" | "env" | "time" | "nice" | "command" | "exec" | "watch"
        ) || first.contains('=') && !first.starts_with('-')
        {
            words.remove(0);
            // sudo options: `-u user`, `-E`...
            while words.first().is_some_and(|w| w.starts_with('-')) {
                let opt = words.remove(0);
                if (opt == "-u" || opt == "-g" || opt == "-n" && first == "watch") && !words.is_empty() {
                    words.remove(0);
                }
            }
            continue;
        }
        break;
    }
    let program = words.first()?.rsplit('/').next()?.to_string();
    let args: Vec<String> = words[1..].to_vec();
    // `docker exec [opts] CONTAINER cmd...`, `docker compose exec SERVICE cmd`, `kubectl exec POD -- cmd`
    if program == "kubectl"
        && args.first().map(String::as_str) == Some("exec")
        && let Some(i) = args.iter().position(|a| a == "--")
    {
        return program_and_args(&args[i + 1..].join(" "));
    }
    if matches!(program.as_str(), "docker" | "podman" | "docker-compose") {
        let mut rest: &[String] = &args;
        if rest.first().map(String::as_str) == Some("compose") {
            rest = &rest[1..];
        }
        if rest.first().map(String::as_str) == Some("exec") {
            let mut i = 1;
            while i < rest.len() && rest[i].starts_with('-') {
                i += if matches!(rest[i].as_str(), "-u" | "--user" | "-w" | "--workdir" | "-e" | "--env") {
                    2
                } else {
                    1
                };
            }
            if i + 1 < rest.len() {
                return program_and_args(&rest[i + 1..].join(" "));
            }
        }
    }
    Some((program, args))
}

/// The kind a command produces, if the registry knows it.
pub fn kind_of_command(command: &str) -> Option<Kind> {
    let (program, args) = program_and_args(command)?;
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    if matches!(
        program.as_str(),
        "cat" | "tail" | "head" | "less" | "more" | "grep" | "egrep" | "zcat" | "zgrep" | "bat"
    ) {
        return file_of_command(command).and_then(|f| file_hint_kind(&f));
    }
    SPECS.iter().find(|s| (s.command)(&program, &args)).map(|s| s.kind)
}

/// The file a `cat`/`tail`/`grep` command reads.
fn file_of_command(command: &str) -> Option<String> {
    let (program, args) = program_and_args(command)?;
    if !matches!(
        program.as_str(),
        "cat" | "tail" | "head" | "less" | "more" | "grep" | "egrep" | "zcat" | "zgrep" | "bat"
    ) {
        return None;
    }
    args.iter()
        .rev()
        .find(|a| !a.starts_with('-') && (a.contains('/') || a.contains('.')))
        .cloned()
}

/// The kind a file name suggests.
pub fn file_hint_kind(path: &str) -> Option<Kind> {
    SPECS.iter().find(|s| (s.file)(path)).map(|s| s.kind)
}

/// Cuts a segment into runs of consistent content (see the module doc).
///
/// A run is cut before a line that is strong evidence of another kind than the run's (outside
/// an open `{` block), and after a blank line unless the line is strong evidence of the run's
/// own kind. A line's strong kind is the first spec in precedence order whose line recogniser
/// claims it; only as much of it is computed as the cut needs (see [`run_break`]).
fn content_runs(text: &str, segment: Span) -> Vec<Span> {
    let mut runs: Vec<Span> = Vec::new();
    // The run being built and the index in `SPECS` of its kind (the first strong line's).
    let mut current: Option<(Span, Option<usize>)> = None;
    let mut depth: i64 = 0;
    let mut after_blank = false;
    for line in lines(segment.text(text), segment.start) {
        if is_blank(line.text) {
            after_blank = true;
            continue;
        }
        current = Some(match current.take() {
            None => (line.span, strong_line_spec(line.text, 0..SPECS.len())),
            // Inside a block nothing cuts; the run only needs a kind if it has none yet.
            Some((span, run_kind)) if depth > 0 => (
                span.join(line.span),
                run_kind.or_else(|| strong_line_spec(line.text, 0..SPECS.len())),
            ),
            Some((span, run_kind)) => match run_break(line.text, run_kind, after_blank) {
                None => (span.join(line.span), run_kind),
                Some(opened) => {
                    runs.push(span);
                    (line.span, opened)
                }
            },
        });
        depth += brace_delta(line.text);
        after_blank = false;
    }
    if let Some((span, _)) = current {
        runs.push(span);
    }
    runs
}

/// Whether `line` (outside any open block) cuts a run whose kind is `SPECS[run_kind]`: `None`
/// when it continues the run, else `Some` of the kind of the run it opens (its strong kind).
///
/// The cut happens when the line's strong kind is another kind than the run's, or, after a
/// blank line, when it is not the run's kind. The specs before the run's kind are asked first
/// (precedence), then the run's kind: when it claims the line, the later specs need not be
/// asked (a log's lines cost the few recognisers ahead of it and its own).
fn run_break(line: &str, run_kind: Option<usize>, after_blank: bool) -> Option<Option<usize>> {
    let Some(own) = run_kind else {
        return strong_line_spec(line, 0..SPECS.len()).map(Some);
    };
    if let Some(earlier) = strong_line_spec(line, 0..own) {
        return Some(Some(earlier));
    }
    if SPECS[own].line.is_some_and(|f| f(line)) {
        return None;
    }
    let later = strong_line_spec(line, own + 1..SPECS.len());
    (after_blank || later.is_some()).then_some(later)
}

/// `{` minus `}` on a line, outside comments and quotes (enough to keep config blocks whole).
/// Read by bytes: every byte that matters is ASCII, and no byte of a multi-byte character is.
fn brace_delta(line: &str) -> i64 {
    let mut delta = 0;
    let mut quote: Option<u8> = None;
    let mut escaped = false;
    for c in line.bytes() {
        if escaped {
            escaped = false;
            continue;
        }
        match (quote, c) {
            (_, b'\\') => escaped = true,
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(c),
            (None, b'#') => break,
            (None, b'{') => delta += 1,
            (None, b'}') => delta -= 1,
            _ => {}
        }
    }
    delta
}

/// The kind a single line is strong evidence of.
fn strong_line_kind(line: &str) -> Option<Kind> {
    strong_line_spec(line, 0..SPECS.len()).map(|i| SPECS[i].kind)
}

/// The index of the first spec among `SPECS[range]` whose line recogniser claims `line`.
fn strong_line_spec(line: &str, range: std::ops::Range<usize>) -> Option<usize> {
    let start = range.start;
    SPECS[range]
        .iter()
        .position(|s| s.line.is_some_and(|f| f(line)))
        .map(|i| start + i)
}

/// The strong kind shared by most recognised lines of a block.
fn strong_kind(block: &[&str]) -> Option<Kind> {
    let mut counts: Vec<(Kind, usize)> = Vec::new();
    for line in sample(block) {
        if let Some(k) = strong_line_kind(line) {
            match counts.iter_mut().find(|(c, _)| *c == k) {
                Some((_, n)) => *n += 1,
                None => counts.push((k, 1)),
            }
        }
    }
    counts.into_iter().max_by_key(|&(_, n)| n).map(|(k, _)| k)
}

/// Lines kept to judge a block's kind: all of a small block; of a large one, its head (where
/// headers and banners are) and lines spread evenly over the rest. Scoring a bounded sample keeps
/// classification constant per run however large the paste.
fn sample<'a>(block: &[&'a str]) -> Vec<&'a str> {
    const HEAD: usize = 200;
    const SPREAD: usize = 200;
    if block.len() <= HEAD + SPREAD {
        return block.to_vec();
    }
    let rest = &block[HEAD..];
    let step = rest.len() / SPREAD;
    block[..HEAD]
        .iter()
        .copied()
        .chain(rest.iter().step_by(step.max(1)).take(SPREAD).copied())
        .collect()
}

/// The best kind for a block of lines and the confidence in it.
pub fn classify_lines(block: &[&str], file: Option<&str>) -> (Kind, f32) {
    let hinted = file.and_then(file_hint_kind);
    let sampled = sample(block);
    let block = sampled.as_slice();
    let mut best: Option<(&KindSpec, f32)> = None;
    for spec in SPECS {
        let mut score = (spec.block)(block);
        if Some(spec.kind) == hinted {
            score = (score + 0.5).clamp(0.6, 1.0);
        }
        if best.is_none_or(|(_, b)| score > b) {
            best = Some((spec, score));
        }
    }
    match best {
        Some((spec, score)) if score >= 0.3 => (spec.kind, score),
        _ => (Kind::Unknown, 0.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(Kind, String)> {
        let paste = Paste::new("paste-1.txt", text);
        split(0, &paste)
            .into_iter()
            .map(|p| (p.kind, p.span.text(text).to_string()))
            .collect()
    }

    #[test]
    fn recognises_prompts() {
        assert_eq!(prompt_command("$ ss -ltnp"), Some(Some("ss -ltnp".into())));
        assert_eq!(
            prompt_command("root@web1:~# systemctl status nginx"),
            Some(Some("systemctl status nginx".into()))
        );
        assert_eq!(
            prompt_command("[root@centos ~]# getsebool -a"),
            Some(Some("getsebool -a".into()))
        );
        assert_eq!(
            prompt_command("user@host:/etc/nginx$ nginx -t"),
            Some(Some("nginx -t".into()))
        );
        assert_eq!(prompt_command("# nginx -T"), Some(Some("nginx -T".into())));
        assert_eq!(
            prompt_command("root@vps [~]# service nginx restart"),
            Some(Some("service nginx restart".into()))
        );
        assert_eq!(prompt_command("root@vps [~]# "), Some(None));
        assert_eq!(prompt_command("# the nginx user"), None);
        assert_eq!(prompt_command("# fastcgi_pass unix:/run/php.sock;"), None);
        assert_eq!(prompt_command("    # comment"), None);
    }

    #[test]
    fn unwraps_commands() {
        let (p, a) = program_and_args("sudo -u www-data tail -n 50 /var/log/nginx/error.log | grep 502").unwrap();
        assert_eq!(p, "tail");
        assert_eq!(a.last().unwrap(), "/var/log/nginx/error.log");
        assert_eq!(program_and_args("docker compose exec web nginx -T").unwrap().0, "nginx");
        assert_eq!(program_and_args("kubectl exec -it pod -- nginx -T").unwrap().0, "nginx");
        assert_eq!(program_and_args("/usr/sbin/nginx -t").unwrap().0, "nginx");
    }

    #[test]
    fn text_after_a_command_output_is_not_that_command() {
        let text = "$ grep 'open files' /proc/1873/limits\nMax open files            1024                 524288               files     \n\nworker_processes auto;\nevents {\n    worker_connections 4096;\n}\n";
        let paste = Paste::new("paste-1.txt", text);
        let pieces = split(0, &paste);
        let config = pieces
            .iter()
            .find(|p| p.kind == Kind::NginxConfig)
            .expect("config piece");
        assert_eq!(config.command, None);
        assert_eq!(config.file, None);
        let limits = pieces.iter().find(|p| p.kind != Kind::NginxConfig).unwrap();
        assert!(limits.command.is_some());
    }

    #[test]
    fn splits_error_log_from_other_text() {
        let text = "some words here\n\n2026/11/21 10:00:00 [error] 1#1: *1 connect() failed (111: Connection refused) while connecting to upstream, client: 1.2.3.4, server: a, request: \"GET / HTTP/1.1\", upstream: \"http://127.0.0.1:8000/\", host: \"a\"\n";
        let got = kinds(text);
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(got[0].0, Kind::Unknown);
        assert_eq!(got[1].0, Kind::NginxErrorLog);
    }

    #[test]
    fn comments_and_headers_stay_with_what_they_describe() {
        // A comment block cut off by a blank line, before a pool that a strong line opens.
        let got = kinds(
            "; Start a new pool named 'www'.\n; see the docs\n\n[www]\nuser = www-data\n\n; the socket\nlisten = /run/php/php8.3-fpm.sock\npm.max_children = 5\n",
        );
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].0, Kind::PhpFpmConfig);
        // Prose before a log stays apart.
        let got = kinds(
            "my app is down, here is the log\n\n[21-Nov-2026 10:00:00] WARNING: [pool www] server reached pm.max_children setting (5), consider raising it\n",
        );
        assert_eq!(got.len(), 2, "{got:?}");
    }

    #[test]
    fn empty_paste_has_no_pieces() {
        assert!(kinds("").is_empty());
        assert!(kinds("\n\n  \n").is_empty());
    }

    #[test]
    fn a_piece_kind_chosen_by_the_person_wins_and_keeps_the_split() {
        let text = "some words here\n\n2026/11/21 10:00:00 [error] 1#1: *1 connect() failed (111: Connection refused) while connecting to upstream, client: 1.2.3.4, server: a, request: \"GET / HTTP/1.1\", upstream: \"http://127.0.0.1:8000/\", host: \"a\"\n";
        let auto = split(0, &Paste::new("paste-1", text));
        assert_eq!(auto.len(), 2);
        let first = auto[0].span.start;
        let chosen = split(
            0,
            &Paste::new("paste-1", text).with_piece_kind(first, Kind::NginxConfig),
        );
        assert_eq!(chosen.len(), 2, "the split does not change");
        assert_eq!(chosen[0].kind, Kind::NginxConfig);
        assert!(chosen[0].overridden);
        assert_eq!(chosen[1].kind, Kind::NginxErrorLog);
        assert!(!chosen[1].overridden);
        // An offset that starts no piece is ignored.
        let stale = split(
            0,
            &Paste::new("paste-1", text).with_piece_kind(first + 3, Kind::NginxConfig),
        );
        assert_eq!(stale, auto);
    }
}

//! Command-line arguments: a small hand-written parser (the grammar is tiny) and input reading.

use engine::{Answers, Kind, Paste};

/// Usage text printed by `help` and on usage errors.
pub const USAGE: &str = "\
usage:
  gateway-doctor diagnose [--json | --markdown] [--answer QUESTION=VALUE]... [--kind KIND] FILE...
  gateway-doctor triage   [--answer QUESTION=VALUE]... [FILE...]
  gateway-doctor inspect  [--json] [--kind KIND] FILE...
  gateway-doctor redact   [--keep TEXT]... FILE...
  gateway-doctor explain CAUSE
  gateway-doctor causes
  gateway-doctor kinds
  gateway-doctor help

FILE is a paste (nginx config, logs, command output...); `-` reads stdin. One file may hold
several artifacts: the engine splits it at shell prompts and `nginx -T` file headers.
`--kind KIND` forces the kind of the next FILE (see `gateway-doctor kinds`).
`--markdown` prints the report as a Markdown note for a ticket.
`redact` prints the FILEs with IP addresses, host names, e-mail addresses and secrets masked
and private keys removed (what was masked goes to stderr); `--keep TEXT` leaves TEXT as it is.
`triage` walks the guided questions in the terminal: answer with a number or a value; paste
requested output followed by an empty line (or `skip`).
Exit status: 0 when the analysis ran (findings or not), 2 on usage or read errors.";

/// The subcommand.
#[derive(Debug, PartialEq, Eq)]
pub enum Command {
    Diagnose,
    Inspect,
    Redact,
    Triage,
    Explain,
    Causes,
    Kinds,
    Help,
}

/// One input file with an optional forced kind.
#[derive(Debug, PartialEq, Eq)]
pub struct Input {
    pub path: String,
    pub kind: Option<Kind>,
}

/// Parsed arguments.
#[derive(Debug)]
pub struct Parsed {
    pub command: Command,
    pub json: bool,
    pub markdown: bool,
    pub keep: Vec<String>,
    pub answers: Answers,
    pub inputs: Vec<Input>,
}

/// Parses the arguments after the program name.
pub fn parse(argv: &[String]) -> Result<Parsed, String> {
    let Some(first) = argv.first() else {
        return Err("missing command".into());
    };
    let command = match first.as_str() {
        "diagnose" => Command::Diagnose,
        "inspect" => Command::Inspect,
        "redact" => Command::Redact,
        "triage" => Command::Triage,
        "explain" => Command::Explain,
        "causes" => Command::Causes,
        "kinds" => Command::Kinds,
        "help" | "--help" | "-h" => Command::Help,
        other => return Err(format!("unknown command `{other}`")),
    };
    let mut parsed = Parsed {
        command,
        json: false,
        markdown: false,
        keep: Vec::new(),
        answers: Answers::new(),
        inputs: Vec::new(),
    };
    let mut pending_kind: Option<Kind> = None;
    let mut rest = argv[1..].iter();
    let mut only_files = false;
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            _ if only_files => parsed.inputs.push(Input {
                path: arg.clone(),
                kind: pending_kind.take(),
            }),
            "--" => only_files = true,
            "--json" => parsed.json = true,
            "--markdown" => parsed.markdown = true,
            "--keep" => parsed
                .keep
                .push(rest.next().ok_or("--keep needs the text to keep")?.clone()),
            "--answer" => {
                let value = rest.next().ok_or("--answer needs QUESTION=VALUE")?;
                let (q, v) = value
                    .split_once('=')
                    .ok_or_else(|| format!("--answer `{value}`: expected QUESTION=VALUE"))?;
                parsed.answers.insert(q.to_string(), v.to_string());
            }
            "--kind" => {
                let id = rest.next().ok_or("--kind needs a kind id")?;
                pending_kind =
                    Some(Kind::from_id(id).ok_or_else(|| format!("unknown kind `{id}` (see `gateway-doctor kinds`)"))?);
            }
            "-h" | "--help" => parsed.command = Command::Help,
            "-" => parsed.inputs.push(Input {
                path: "-".into(),
                kind: pending_kind.take(),
            }),
            flag if flag.starts_with('-') => return Err(format!("unknown option `{flag}`")),
            path => parsed.inputs.push(Input {
                path: path.to_string(),
                kind: pending_kind.take(),
            }),
        }
    }
    if pending_kind.is_some() {
        return Err("--kind must be followed by a FILE".into());
    }
    if parsed.command == Command::Triage && parsed.inputs.iter().any(|i| i.path == "-") {
        return Err("triage reads its answers from stdin: give FILEs, not `-`".into());
    }
    if parsed.json && parsed.markdown {
        return Err("--json and --markdown cannot be combined".into());
    }
    if parsed.command == Command::Explain && parsed.inputs.len() != 1 {
        return Err("explain needs one CAUSE id (see `gateway-doctor causes`)".into());
    }
    if matches!(parsed.command, Command::Diagnose | Command::Inspect | Command::Redact) && parsed.inputs.is_empty() {
        return Err("no FILE given (use `-` for stdin)".into());
    }
    Ok(parsed)
}

/// Reads every input. Bytes that are not UTF-8 are replaced (U+FFFD), never a failure.
pub fn read_inputs(inputs: &[Input]) -> Result<Vec<Paste>, String> {
    inputs
        .iter()
        .map(|input| {
            let bytes = if input.path == "-" {
                let mut buf = Vec::new();
                std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut buf)
                    .map_err(|e| format!("cannot read stdin: {e}"))?;
                buf
            } else {
                std::fs::read(&input.path).map_err(|e| format!("cannot read {}: {e}", input.path))?
            };
            let text = String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
            let name = if input.path == "-" {
                "stdin".to_string()
            } else {
                input.path.clone()
            };
            Ok(Paste {
                name,
                text: text.into(),
                kind: input.kind,
                piece_kinds: Vec::new(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn parses_diagnose() {
        let p = parse(&args(&[
            "diagnose",
            "--json",
            "--answer",
            "q=yes",
            "--kind",
            "nginx-error-log",
            "a.log",
            "b.txt",
        ]))
        .unwrap();
        assert_eq!(p.command, Command::Diagnose);
        assert!(p.json);
        assert_eq!(p.answers.get("q").map(String::as_str), Some("yes"));
        assert_eq!(p.inputs[0].kind, Some(Kind::NginxErrorLog));
        assert_eq!(p.inputs[1].kind, None);
    }

    #[test]
    fn rejects_bad_usage() {
        assert!(parse(&args(&[])).is_err());
        assert!(parse(&args(&["diagnose"])).is_err());
        assert!(parse(&args(&["diagnose", "--kind", "nope", "x"])).is_err());
        assert!(parse(&args(&["frobnicate"])).is_err());
        assert!(parse(&args(&["diagnose", "--answer", "novalue", "x"])).is_err());
        assert!(parse(&args(&["diagnose", "--json", "--markdown", "x"])).is_err());
        assert!(parse(&args(&["redact"])).is_err());
    }
}

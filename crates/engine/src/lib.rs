//! Gateway Doctor's engine: from pasted text to a ranked diagnosis of an nginx 502.
//!
//! One pure function is the whole engine: [`diagnose`] takes the pastes (and the person's
//! answers) and returns a [`Report`]. No I/O, no clock, no randomness, no global state: the same
//! input gives the same report in the CLI, the web app and the tests. [`inspect`] stops after
//! parsing, to show what was read.
//!
//! ```
//! use engine::{Paste, diagnose, Answers};
//! let log = "2026/11/21 10:00:00 [crit] 2211#2211: *4711 connect() to unix:/run/php/php8.3-fpm.sock failed (2: No such file or directory) while connecting to upstream, client: 203.0.113.7, server: example.com, request: \"GET / HTTP/1.1\", upstream: \"fastcgi://unix:/run/php/php8.3-fpm.sock:\", host: \"example.com\"";
//! let report = diagnose(&[Paste::new("error.log", log)], &Answers::default());
//! assert_eq!(report.findings[0].cause.id(), "php-fpm-down");
//! ```
//!
//! Source code layout (data flow order):
//! - [`paste`]: the input; [`split`]: pastes into pieces with a [`kind::Kind`];
//! - [`parse`]: one module per kind, pieces into [`facts`] with [`span`]s;
//! - [`model`]: the facts of all pieces joined; [`rules`]: one file per rule, model into findings;
//! - [`cause`]: the cause ids; [`report`]: the output, with line numbers rendered;
//! - [`markdown`]: the report as a ticket note; [`redact`]: masking before anything is shared;
//! - [`number`]: decimal numbers read and written, [`sort`]: stable sorts (both small in wasm).

pub mod cause;
pub mod facts;
pub mod kind;
pub mod knowledge;
pub mod markdown;
pub mod model;
pub mod number;
pub mod parse;
pub mod paste;
pub mod redact;
pub mod report;
pub mod rules;
pub mod shared_str;
pub mod sort;
pub mod span;
pub mod split;
pub mod tree;

use std::collections::BTreeMap;

pub use cause::Cause;
pub use kind::Kind;
pub use paste::Paste;
pub use report::{Artifact, Evidence, Finding, LineRef, Report};

use crate::facts::Fact;
use crate::parse::ParseContext;
use crate::span::{LineIndex, Span};

/// The person's answers to decision-tree questions, by question id.
pub type Answers = BTreeMap<String, String>;

/// Splits, classifies and parses every paste: what the engine read, before any diagnosis.
///
/// nginx configuration pieces are parsed first, so that access logs can be read with the
/// `log_format`s the configuration defines.
pub fn inspect(pastes: &[Paste]) -> Vec<Artifact> {
    let indexes: Vec<LineIndex> = pastes.iter().map(|p| LineIndex::new(&p.text)).collect();
    let mut pieces: Vec<(split::Piece, bool)> = Vec::new();
    for (paste_index, paste) in pastes.iter().enumerate() {
        let split = split::split(paste_index, paste);
        let several = split.len() > 1;
        pieces.extend(split.into_iter().map(|p| (p, several)));
    }
    let parse_piece = |piece: &split::Piece, log_formats: &[facts::LogFormat]| {
        let text = piece.span.text(&pastes[piece.paste].text);
        let cx = ParseContext {
            text,
            base: piece.span.start,
            file: piece.file.as_deref(),
            command: piece.command.as_deref(),
            log_formats,
            paste: Some(&pastes[piece.paste].text),
        };
        parse::parse(piece.kind, &cx)
    };
    let mut parsed: Vec<Option<parse::Parsed>> = pieces
        .iter()
        .map(|(piece, _)| (piece.kind == Kind::NginxConfig).then(|| parse_piece(piece, &[])))
        .collect();
    let log_formats: Vec<facts::LogFormat> = parsed
        .iter()
        .flatten()
        .flat_map(|p| &p.facts)
        .filter_map(|f| match &f.fact {
            Fact::LogFormat(l) => Some((**l).clone()),
            _ => None,
        })
        .collect();
    let mut artifacts = Vec::with_capacity(pieces.len());
    for (artifact_index, ((piece, several), done)) in pieces.into_iter().zip(parsed.iter_mut()).enumerate() {
        let parsed = done.take().unwrap_or_else(|| parse_piece(&piece, &log_formats));
        let paste = &pastes[piece.paste];
        let index = &indexes[piece.paste];
        let first_line = index.line_of(piece.span.start);
        let lines = if piece.span.is_empty() {
            0
        } else {
            index.line_count(piece.span)
        };
        let unread: Vec<LineRef> = parsed
            .unread
            .iter()
            .map(|&span| line_ref(artifact_index, &paste.text, index, span))
            .collect();
        artifacts.push(Artifact {
            name: artifact_name(paste, &piece, several, first_line, lines),
            paste: piece.paste,
            kind: piece.kind,
            confidence: piece.confidence,
            command: piece.command,
            file: piece.file,
            overridden: piece.overridden,
            span: piece.span,
            first_line,
            lines,
            unparsed_lines: unread.len(),
            facts: parsed.facts,
            unread,
        });
    }
    artifacts
}

/// The whole engine: pastes and answers in, a ranked diagnosis out.
pub fn diagnose(pastes: &[Paste], answers: &Answers) -> Report {
    let artifacts = inspect(pastes);
    let model = model::Model::build(&artifacts);
    let drafts = rules::run(&model);
    let status_seen = model.status_seen();
    let platform = model::platform::platform(&model);
    let indexes: Vec<LineIndex> = pastes.iter().map(|p| LineIndex::new(&p.text)).collect();
    let findings = drafts
        .into_iter()
        .map(|d| Finding {
            cause: d.cause,
            rules: d.rules.iter().map(|r| r.to_string()).collect(),
            confidence: d.confidence,
            title: d.title,
            evidence: d
                .evidence
                .into_iter()
                .map(|e| {
                    let paste = artifacts[e.artifact].paste;
                    let r = line_ref(e.artifact, &pastes[paste].text, &indexes[paste], e.span);
                    Evidence {
                        artifact: e.artifact,
                        line: r.line,
                        text: r.text,
                        span: e.span,
                        note: e.note,
                        against: e.against,
                    }
                })
                .collect(),
            fix: String::new(),
            edits: d
                .edits
                .iter()
                .map(|e| locate_edit(e, &artifacts, pastes, &indexes))
                .collect(),
            values: d.values,
            client_sees: d.cause.client_sees().to_string(),
        })
        .collect::<Vec<Finding>>();
    let mut findings = findings;
    for f in &mut findings {
        f.fix = render_fix(f.cause, &f.values, &f.edits, platform);
    }
    let locate = |artifact: usize, span: Span| {
        let paste = artifacts[artifact].paste;
        let r = line_ref(artifact, &pastes[paste].text, &indexes[paste], span);
        (r.line, r.text)
    };
    let walk = tree::walk::walk(&model, &findings, answers, &locate);
    Report {
        artifacts,
        findings,
        status_seen,
        platform: platform.map(str::to_string),
        walk,
    }
}

/// The fix of a finding as Markdown: its edits, the page's fix (and the platform's part, or every
/// platform's when it is not known), then the check.
pub fn render_fix(cause: Cause, values: &[(String, String)], edits: &[report::Edit], platform: Option<&str>) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    for edit in edits {
        match (&edit.file, edit.line) {
            (Some(f), Some(l)) => {
                let _ = writeln!(out, "In `{f}` line {l}:");
            }
            (Some(f), None) => {
                let _ = writeln!(out, "In `{f}`:");
            }
            _ => {
                let _ = writeln!(out, "Change:");
            }
        }
        out.push_str("```diff\n");
        for l in edit.before.lines() {
            let _ = writeln!(out, "- {l}");
        }
        for l in edit.after.lines() {
            let _ = writeln!(out, "+ {l}");
        }
        out.push_str("```\n\n");
    }
    let Some(page) = knowledge::page(cause) else { return out };
    if let Some(fix) = page.section("Fix") {
        out.push_str(fix);
        out.push_str("\n\n");
    }
    for (name, body) in page.fix_platforms {
        if platform.is_none_or(|p| p == *name) {
            let _ = write!(out, "**{name}**\n\n{body}\n\n");
        }
    }
    if let Some(check) = page.section("Check") {
        let _ = write!(out, "**Check**\n\n{check}\n");
    }
    knowledge::fill(out.trim_end(), values)
}

/// Turns a draft edit into file and line: the line counted within the artifact's own file when
/// the artifact came from one (an `nginx -T` section, `cat FILE`), else within the paste.
fn locate_edit(
    edit: &rules::DraftEdit,
    artifacts: &[Artifact],
    pastes: &[Paste],
    indexes: &[LineIndex],
) -> report::Edit {
    let artifact = edit.artifact.and_then(|i| artifacts.get(i));
    let line = match (artifact, edit.span) {
        (Some(a), Some(span)) => {
            let paste_line = indexes[a.paste].line_of(span.start);
            Some(
                if a.file.is_some() && a.file.as_deref() != Some(pastes[a.paste].name.as_str()) {
                    paste_line + 1 - a.first_line
                } else {
                    paste_line
                },
            )
        }
        _ => None,
    };
    let file = edit.file.clone().or_else(|| artifact.and_then(|a| a.file.clone()));
    report::Edit {
        file,
        line,
        before: edit.before.clone(),
        after: edit.after.clone(),
    }
}

fn line_ref(artifact: usize, text: &str, index: &LineIndex, span: Span) -> LineRef {
    LineRef {
        artifact,
        line: index.line_of(span.start),
        text: span.text(text).to_string(),
        span,
    }
}

fn artifact_name(paste: &Paste, piece: &split::Piece, several: bool, first_line: usize, lines: usize) -> String {
    if !several {
        return paste.name.clone();
    }
    let what = piece
        .command
        .clone()
        .or_else(|| piece.file.clone())
        .unwrap_or_else(|| piece.kind.label().to_string());
    let last = first_line + lines.saturating_sub(1);
    format!("{} lines {first_line}-{last} ({what})", paste.name)
}

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
//! - [`cause`]: the cause ids; [`report`]: the output, with line numbers rendered.

pub mod cause;
pub mod facts;
pub mod kind;
pub mod model;
pub mod parse;
pub mod paste;
pub mod report;
pub mod rules;
pub mod span;
pub mod split;

use std::collections::BTreeMap;

pub use cause::Cause;
pub use kind::Kind;
pub use paste::Paste;
pub use report::{Artifact, Evidence, Finding, LineRef, Report};

use crate::facts::{Fact, FactAt};
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
            log_formats,
            command: piece.command.as_deref(),
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
            Fact::LogFormat(l) => Some(l.clone()),
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
pub fn diagnose(pastes: &[Paste], _answers: &Answers) -> Report {
    let artifacts = inspect(pastes);
    let model = model::Model::build(artifacts.iter().enumerate().map(|(i, a)| (i, a.facts.as_slice())));
    let mut drafts = Vec::new();
    for rule in rules::RULES {
        (rule.check)(&model, &mut drafts);
    }
    drafts.sort_by(|a, b| b.confidence.total_cmp(&a.confidence).then(a.cause.cmp(&b.cause)));
    let indexes: Vec<LineIndex> = pastes.iter().map(|p| LineIndex::new(&p.text)).collect();
    let findings = drafts
        .into_iter()
        .map(|d| Finding {
            cause: d.cause,
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
            fix: d.fix,
            values: d.values,
        })
        .collect();
    let status_seen = status_seen(&artifacts);
    Report {
        artifacts,
        findings,
        status_seen,
    }
}

/// The status the client saw, as far as the error log tells: 504 for `upstream timed out`,
/// 502 for the other upstream failures before the response header.
fn status_seen(artifacts: &[Artifact]) -> Option<u16> {
    use crate::facts::MessageClass as C;
    let mut seen = None;
    for fact in artifacts.iter().flat_map(|a| &a.facts) {
        if let FactAt {
            fact: Fact::ErrorEvent(e),
            ..
        } = fact
        {
            let header_phase = e.action.as_deref().is_none_or(|a| {
                matches!(
                    a,
                    "connecting to upstream"
                        | "SSL handshaking to upstream"
                        | "sending request to upstream"
                        | "reading response header from upstream"
                )
            });
            let status = match e.class {
                C::UpstreamTimedOut if header_phase => Some(504),
                C::ConnectFailed
                | C::PrematurelyClosed
                | C::NoLiveUpstreams
                | C::TooBigHeader
                | C::RecvFailed
                | C::SslHandshakeFailed
                    if header_phase =>
                {
                    Some(502)
                }
                _ => None,
            };
            if status.is_some() && seen.is_none() {
                seen = status;
            }
        }
    }
    seen
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

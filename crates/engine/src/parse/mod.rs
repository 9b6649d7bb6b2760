//! Parsing: one module per artifact kind, each turning a piece's text into typed facts plus
//! the lines it could not read. Parsers never fail and never panic; see [`Parsed`].

use crate::facts::{FactAt, LogFormat};
use crate::kind::Kind;
use crate::span::Span;

mod app_log;
pub mod error_page;
mod flat_json;
pub mod gunicorn_log;
pub mod ingress_controller_log;
pub mod nginx_access_log;
pub mod nginx_error_log;
pub mod node_log;
pub mod php_fpm_config;
pub mod php_fpm_log;
pub mod php_fpm_slowlog;
pub mod php_version;
pub mod registry;
pub mod uwsgi_log;
mod wrapped;

/// What a parser hands to the parse of one piece.
#[derive(Clone, Copy, Debug)]
pub struct ParseContext<'a> {
    /// The piece's text.
    pub text: &'a str,
    /// Offset of `text` in its paste: added to every span so spans are paste-relative.
    pub base: usize,
    /// The file name, where the paste or an `nginx -T` header gives one.
    pub file: Option<&'a str>,
    /// `log_format`s read from the pasted nginx configuration (for access logs).
    pub log_formats: &'a [LogFormat],
}

impl<'a> ParseContext<'a> {
    /// A context for `text` at offset `base`, with no file name and no log formats.
    pub fn new(text: &'a str, base: usize) -> Self {
        ParseContext {
            text,
            base,
            file: None,
            log_formats: &[],
        }
    }
}

/// The result of parsing one piece: everything readable, plus what was not.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Parsed {
    /// Facts found, in the order of the text.
    pub facts: Vec<FactAt>,
    /// Lines (spans, paste-relative) that are neither part of a fact nor known to be ignorable.
    pub unread: Vec<Span>,
}

/// Parses a piece of a given kind.
pub fn parse(kind: Kind, cx: &ParseContext<'_>) -> Parsed {
    match registry::spec(kind) {
        Some(spec) => (spec.parse)(cx),
        None => unrecognised(cx),
    }
}

/// A piece no parser reads: every non-blank line is unread.
fn unrecognised(cx: &ParseContext<'_>) -> Parsed {
    Parsed {
        facts: Vec::new(),
        unread: crate::span::lines(cx.text, cx.base)
            .filter(|l| !l.text.trim().is_empty())
            .map(|l| l.span)
            .collect(),
    }
}

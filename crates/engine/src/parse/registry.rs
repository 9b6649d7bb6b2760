//! The registry of artifact kinds: for each kind, how to recognise it and how to parse it.
//! Adding a kind means one parser module exporting a [`KindSpec`] and one line here.

use crate::kind::Kind;
use crate::parse::{
    ParseContext, Parsed, error_page, gunicorn_log, ingress_controller_log, nginx_access_log, nginx_error_log,
    node_log, php_fpm_config, php_fpm_log, php_fpm_slowlog, php_version, uwsgi_log,
};

/// How one kind is recognised and parsed.
pub struct KindSpec {
    /// The kind.
    pub kind: Kind,
    /// True when a shell command (program, arguments) produces this kind.
    pub command: fn(program: &str, args: &[&str]) -> bool,
    /// True when a file name (base name or path) suggests this kind.
    pub file: fn(path: &str) -> bool,
    /// True for a line that on its own is strong evidence of this kind (used to split pastes
    /// that mix kinds without prompts). `None` when single lines say too little.
    pub line: Option<fn(&str) -> bool>,
    /// Score in `[0, 1]` of how much a block of lines looks like this kind.
    pub block: fn(lines: &[&str]) -> f32,
    /// The parser.
    pub parse: fn(&ParseContext<'_>) -> Parsed,
}

/// A command matcher that never matches.
pub fn no_command(_: &str, _: &[&str]) -> bool {
    false
}

/// A file matcher that never matches.
pub fn no_file(_: &str) -> bool {
    false
}

/// The share of non-blank lines for which `pred` holds.
pub fn share_of_lines(lines: &[&str], pred: impl Fn(&str) -> bool) -> f32 {
    let mut total = 0usize;
    let mut hits = 0usize;
    for line in lines.iter().filter(|l| !l.trim().is_empty()) {
        total += 1;
        if pred(line) {
            hits += 1;
        }
    }
    if total == 0 { 0.0 } else { hits as f32 / total as f32 }
}

/// Every kind the engine can read, in order of precedence for ties.
pub const SPECS: &[&KindSpec] = &[
    &php_version::SPEC,
    &php_fpm_config::SPEC,
    &php_fpm_slowlog::SPEC,
    &php_fpm_log::SPEC,
    &nginx_error_log::SPEC,
    &nginx_access_log::SPEC,
    &ingress_controller_log::SPEC,
    &gunicorn_log::SPEC,
    &uwsgi_log::SPEC,
    &node_log::SPEC,
    &error_page::SPEC,
];

/// The spec of a kind, if the engine can parse it.
pub fn spec(kind: Kind) -> Option<&'static KindSpec> {
    SPECS.iter().copied().find(|s| s.kind == kind)
}

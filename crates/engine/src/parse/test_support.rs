//! Helpers for the parsers' unit tests: parse a text as a command printed it, and pick out the
//! facts of one type.

use crate::model::FactType;
use crate::parse::{ParseContext, Parsed};

/// The facts of type `T` in `parsed`, in order: `facts_of::<AppEvent>(&parsed)`.
pub(crate) fn facts_of<T: FactType + Clone>(parsed: &Parsed) -> Vec<T> {
    parsed.facts.iter().filter_map(|f| T::pick(&f.fact)).cloned().collect()
}

/// The facts of type `T` in `text` (at offset 0) read by `parse`, and how many lines it left
/// unread.
pub(crate) fn facts_and_unread_count<T: FactType + Clone>(
    parse: fn(&ParseContext<'_>) -> Parsed,
    text: &str,
) -> (Vec<T>, usize) {
    let parsed = parse(&ParseContext::new(text, 0));
    (facts_of(&parsed), parsed.unread.len())
}

/// `text` (at offset 0) read by `parse`, as `command` printed it when one is given.
pub(crate) fn parse_with_command(parse: fn(&ParseContext<'_>) -> Parsed, text: &str, command: Option<&str>) -> Parsed {
    let mut cx = ParseContext::new(text, 0);
    cx.command = command;
    parse(&cx)
}

//! A small, tolerant JSON reader for pasted command output (`docker inspect`, `docker network
//! inspect`, `kubectl get -o json`) and for YAML flow collections (`[a, b]`, `{k: v}`).
//!
//! Shared by every parser that meets JSON: the engine has no JSON dependency at run time (serde
//! is used for output only), and pastes are often not valid JSON anyway: cut off by a pager,
//! with trailing commas, single quotes or bare words. The reader therefore never fails: it
//! returns what it could read, every value with its byte span, and where it stopped.
//!
//! Usage:
//! ```
//! use engine::parse::json_lite;
//! let read = json_lite::read(r#"[{"Name": "/web", "State": {"Running": true}}]"#, 0);
//! let root = read.value.unwrap();
//! let first = &root.items()[0];
//! assert_eq!(first.get("Name").and_then(|n| n.as_str()), Some("/web"));
//! assert_eq!(first.path(&["State", "Running"]).and_then(|n| n.as_str()), Some("true"));
//! ```
//!
//! Tolerated beyond JSON: trailing commas, missing commas between values, `//` and `#` line
//! comments, single-quoted strings, bare words as keys or values (`{a: 1}`, `[80:80, web]`: a
//! bare value runs to the next `,`, `]`, `}` or line end), and input that ends early (open
//! arrays and objects are closed, `complete` is false). Nesting deeper than [`MAX_DEPTH`] stops
//! the read, so recursion is bounded whatever the input.

use crate::span::Span;

/// Deepest nesting the reader follows; deeper input ends the read (`complete` false).
pub const MAX_DEPTH: usize = 64;

/// A value with the bytes it was read from.
#[derive(Clone, Debug, PartialEq)]
pub struct JsonNode {
    /// The value.
    pub value: JsonValue,
    /// Its bytes (from the first character of the value to the last), offset by the `base`
    /// given to [`read`].
    pub span: Span,
}

/// A JSON value. Numbers keep their text; bare words (tolerated) are their own variant.
#[derive(Clone, Debug, PartialEq)]
pub enum JsonValue {
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A number as written.
    Number(String),
    /// A string, escapes resolved.
    String(String),
    /// A bare word that is none of the above (YAML flow scalars, sloppy JSON).
    Bare(String),
    /// `[...]`.
    Array(Vec<JsonNode>),
    /// `{...}`, entries in order (duplicates kept).
    Object(Vec<(String, JsonNode)>),
}

/// What [`read`] found.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct JsonRead {
    /// The first value of the text, if it starts with one.
    pub value: Option<JsonNode>,
    /// Byte offset (relative to the text, not `base`) just after what was read.
    pub end: usize,
    /// True when the value was read to its end without running out of input or nesting depth.
    pub complete: bool,
}

impl JsonNode {
    /// The entry `key` of an object.
    pub fn get(&self, key: &str) -> Option<&JsonNode> {
        match &self.value {
            JsonValue::Object(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Follows object keys: `node.path(&["State", "Health", "Status"])`.
    pub fn path(&self, keys: &[&str]) -> Option<&JsonNode> {
        keys.iter().try_fold(self, |node, key| node.get(key))
    }

    /// The text of a scalar (strings, numbers, booleans and bare words); `None` for `null`,
    /// arrays and objects.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            JsonValue::String(s) | JsonValue::Number(s) | JsonValue::Bare(s) => Some(s),
            JsonValue::Bool(true) => Some("true"),
            JsonValue::Bool(false) => Some("false"),
            _ => None,
        }
    }

    /// The items of an array (empty for anything else).
    pub fn items(&self) -> &[JsonNode] {
        match &self.value {
            JsonValue::Array(items) => items,
            _ => &[],
        }
    }

    /// The entries of an object (empty for anything else).
    pub fn entries(&self) -> &[(String, JsonNode)] {
        match &self.value {
            JsonValue::Object(entries) => entries,
            _ => &[],
        }
    }

    /// True for `true`, and for the strings/bare words `true`.
    pub fn is_true(&self) -> bool {
        self.as_str() == Some("true")
    }
}

/// Reads the first JSON value of `text` (leading whitespace and comments skipped). Spans are
/// offset by `base`.
pub fn read(text: &str, base: usize) -> JsonRead {
    let mut reader = Reader {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        base,
        complete: true,
    };
    reader.skip_space();
    let value = if reader.pos < reader.bytes.len() {
        reader.value(0)
    } else {
        None
    };
    let complete = reader.complete && value.is_some();
    JsonRead {
        value,
        end: reader.pos,
        complete,
    }
}

/// Reads a YAML flow collection or scalar (`[a, "b"]`, `{k: v}`): [`read`] with the same
/// tolerance, exposed under a name that says what it is used for.
pub fn read_flow(text: &str, base: usize) -> JsonRead {
    read(text, base)
}

struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    base: usize,
    complete: bool,
}

impl Reader<'_> {
    fn span(&self, start: usize) -> Span {
        Span::new(self.base + start, self.base + self.pos)
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// Skips whitespace and line comments (`//`, `#`).
    fn skip_space(&mut self) {
        while let Some(b) = self.peek() {
            if b.is_ascii_whitespace() {
                self.pos += 1;
            } else if b == b'#' || (b == b'/' && self.bytes.get(self.pos + 1) == Some(&b'/')) {
                while self.peek().is_some_and(|c| c != b'\n') {
                    self.pos += 1;
                }
            } else {
                break;
            }
        }
    }

    fn value(&mut self, depth: usize) -> Option<JsonNode> {
        if depth >= MAX_DEPTH {
            self.complete = false;
            return None;
        }
        let start = self.pos;
        match self.peek()? {
            b'[' => {
                self.pos += 1;
                let mut items = Vec::new();
                self.members(b']', |r| {
                    let before = r.pos;
                    match r.value(depth + 1) {
                        Some(v) => items.push(v),
                        None if r.pos == before => r.complete = false,
                        None => {}
                    }
                });
                Some(JsonNode {
                    value: JsonValue::Array(items),
                    span: self.span(start),
                })
            }
            b'{' => {
                self.pos += 1;
                let mut entries = Vec::new();
                self.members(b'}', |r| {
                    let before = r.pos;
                    let key = r.key();
                    r.skip_space();
                    if r.peek() == Some(b':') {
                        r.pos += 1;
                        r.skip_space();
                    }
                    let value = match r.peek() {
                        Some(b',') | Some(b'}') => JsonNode {
                            value: JsonValue::Null,
                            span: r.span(r.pos),
                        },
                        Some(_) => match r.value(depth + 1) {
                            Some(v) => v,
                            None => {
                                if let Some(k) = key {
                                    entries.push((
                                        k,
                                        JsonNode {
                                            value: JsonValue::Null,
                                            span: r.span(r.pos),
                                        },
                                    ));
                                }
                                r.complete = false;
                                return;
                            }
                        },
                        None => {
                            r.complete = false;
                            return;
                        }
                    };
                    match key {
                        Some(k) => entries.push((k, value)),
                        None if r.pos == before => r.complete = false,
                        None => {}
                    }
                });
                Some(JsonNode {
                    value: JsonValue::Object(entries),
                    span: self.span(start),
                })
            }
            b'"' | b'\'' => {
                let s = self.string();
                Some(JsonNode {
                    value: JsonValue::String(s),
                    span: self.span(start),
                })
            }
            _ => {
                let word = self.bare(false);
                if word.is_empty() {
                    return None;
                }
                let value = match word.as_str() {
                    "null" | "~" => JsonValue::Null,
                    "true" => JsonValue::Bool(true),
                    "false" => JsonValue::Bool(false),
                    w if is_number(w) => JsonValue::Number(word),
                    _ => JsonValue::Bare(word),
                };
                Some(JsonNode {
                    value,
                    span: self.span(start),
                })
            }
        }
    }

    /// Reads the members of an array or object (after its opener) up to `close`, with `member`
    /// reading one member at a time. Commas between members are skipped; running out of input
    /// or meeting the other closer ends the collection there, incomplete, and so does `member`
    /// marking the read incomplete.
    fn members(&mut self, close: u8, mut member: impl FnMut(&mut Self)) {
        loop {
            self.skip_space();
            match self.peek() {
                None => {
                    self.complete = false;
                    break;
                }
                Some(b) if b == close => {
                    self.pos += 1;
                    break;
                }
                Some(b',') => self.pos += 1,
                // A stray closer: tolerate by ending the collection here.
                Some(b']' | b'}') => {
                    self.complete = false;
                    break;
                }
                Some(_) => {
                    member(self);
                    if !self.complete {
                        break;
                    }
                }
            }
        }
    }

    /// An object key: a string or a bare word up to `:`.
    fn key(&mut self) -> Option<String> {
        match self.peek()? {
            b'"' | b'\'' => Some(self.string()),
            _ => {
                let word = self.bare(true);
                (!word.is_empty()).then_some(word)
            }
        }
    }

    /// A bare word: up to `,`, `]`, `}`, a line end or (for keys) a `:`; trailing spaces cut.
    fn bare(&mut self, key: bool) -> String {
        let start = self.pos;
        while let Some(b) = self.peek() {
            let stop = matches!(b, b',' | b']' | b'}' | b'\n' | b'\r' | b'[' | b'{')
                || (key && b == b':')
                || (b == b'#' && self.pos > start && self.bytes[self.pos - 1].is_ascii_whitespace());
            if stop {
                break;
            }
            self.pos += 1;
        }
        self.text.get(start..self.pos).unwrap_or("").trim().to_string()
    }

    /// A double- or single-quoted string, escapes resolved; an unterminated string runs to the
    /// end of the input.
    fn string(&mut self) -> String {
        let quote = self.bytes[self.pos];
        self.pos += 1;
        let mut out = String::new();
        let mut chunk_start = self.pos;
        loop {
            let Some(b) = self.peek() else {
                out.push_str(self.text.get(chunk_start..self.pos).unwrap_or(""));
                self.complete = false;
                return out;
            };
            if b == quote {
                out.push_str(self.text.get(chunk_start..self.pos).unwrap_or(""));
                self.pos += 1;
                // YAML single quotes escape a quote by doubling it.
                if quote == b'\'' && self.peek() == Some(b'\'') {
                    out.push('\'');
                    self.pos += 1;
                    chunk_start = self.pos;
                    continue;
                }
                return out;
            }
            if b == b'\\' && quote == b'"' {
                out.push_str(self.text.get(chunk_start..self.pos).unwrap_or(""));
                self.pos += 1;
                match self.peek() {
                    Some(b'n') => out.push('\n'),
                    Some(b't') => out.push('\t'),
                    Some(b'r') => out.push('\r'),
                    Some(b'b') => out.push('\u{8}'),
                    Some(b'f') => out.push('\u{c}'),
                    Some(b'u') => {
                        let hex = self.text.get(self.pos + 1..self.pos + 5).unwrap_or("");
                        match u32::from_str_radix(hex, 16) {
                            Ok(code) if hex.len() == 4 => {
                                out.push(char::from_u32(code).unwrap_or('\u{fffd}'));
                                self.pos += 4;
                            }
                            _ => out.push('u'),
                        }
                    }
                    Some(c) if c.is_ascii() => out.push(c as char),
                    Some(_) => {
                        // A backslash before a multi-byte character: keep both as written.
                        out.push('\\');
                        chunk_start = self.pos;
                        continue;
                    }
                    None => {
                        self.complete = false;
                        return out;
                    }
                }
                self.pos += 1;
                chunk_start = self.pos;
                continue;
            }
            self.pos += 1;
        }
    }
}

fn is_number(word: &str) -> bool {
    let digits = word.strip_prefix('-').unwrap_or(word);
    !digits.is_empty()
        && digits.as_bytes()[0].is_ascii_digit()
        && digits
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'))
        && crate::number::parse(digits).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_json_with_spans() {
        let text = "  [{\"a\": 1, \"b\": [true, null, \"x\\\"y\"]}]";
        let read = read(text, 100);
        assert!(read.complete);
        let root = read.value.unwrap();
        assert_eq!(root.span, Span::new(102, 100 + text.len()));
        let obj = &root.items()[0];
        assert_eq!(obj.get("a").unwrap().as_str(), Some("1"));
        let b = obj.get("b").unwrap().items();
        assert_eq!(b[0].as_str(), Some("true"));
        assert_eq!(b[1].value, JsonValue::Null);
        assert_eq!(b[2].as_str(), Some("x\"y"));
    }

    #[test]
    fn tolerates_sloppy_input() {
        let read = read("{a: 1, 'b': [80:80, web ,], c: \"unterminated", 0);
        assert!(!read.complete);
        let root = read.value.unwrap();
        assert_eq!(root.get("a").unwrap().as_str(), Some("1"));
        let b: Vec<_> = root
            .get("b")
            .unwrap()
            .items()
            .iter()
            .filter_map(|n| n.as_str())
            .collect();
        assert_eq!(b, vec!["80:80", "web"]);
        assert_eq!(root.get("c").unwrap().as_str(), Some("unterminated"));
    }

    #[test]
    fn truncated_input_keeps_what_was_read() {
        let read = read("[\n {\"Name\": \"/web\",\n  \"State\": {\"Status\": \"running\"", 0);
        assert!(!read.complete);
        let root = read.value.unwrap();
        assert_eq!(
            root.items()[0].path(&["State", "Status"]).unwrap().as_str(),
            Some("running")
        );
    }

    #[test]
    fn deep_nesting_stops_without_overflow() {
        let text = "[".repeat(100_000);
        let read = read(&text, 0);
        assert!(!read.complete);
        let text = "{\"a\":".repeat(10_000);
        assert!(!super::read(&text, 0).complete);
    }

    #[test]
    fn never_panics_on_odd_bytes() {
        for text in [
            "\"\\",
            "\"\\é\"",
            "{\"a\"",
            "{:}",
            "]",
            "[,,,]",
            "{\"a\" \"b\"}",
            "'it''s'",
            "\"\\u12\"",
        ] {
            let _ = read(text, 0);
        }
        assert_eq!(read("'it''s'", 0).value.unwrap().as_str(), Some("it's"));
    }
}

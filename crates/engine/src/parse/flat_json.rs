//! A small, tolerant reader of one-line JSON objects (JSON access logs, `escape=json` formats).
//!
//! The engine does not depend on serde_json at run time, and log lines are not always strict
//! JSON: nginx writes `\x22` escapes with the default escaping, formats put variables unquoted
//! (`"rt": $request_time`) and values may be cut. This reader takes the top-level members of an
//! object in order; nested objects and arrays are kept as raw text. It never recurses and never
//! panics.

/// One top-level member of an object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Member {
    /// The key, unescaped.
    pub key: String,
    /// The value: unescaped for strings, raw text otherwise (`502`, `null`, `{"a":1}`).
    pub value: String,
    /// True when the value was a string.
    pub quoted: bool,
}

/// Reads `{"key": value, ...}`. `None` when `text` (trimmed) is not an object with at least one
/// member.
pub(crate) fn read_object(text: &str) -> Option<Vec<Member>> {
    let t = text.trim();
    let body = t.strip_prefix('{')?;
    let mut rest = body;
    let mut members = Vec::new();
    loop {
        rest = rest.trim_start_matches([' ', '\t', ',']);
        if rest.is_empty() || rest.starts_with('}') {
            break;
        }
        let (key, after) = read_string(rest)?;
        let after = after.trim_start().strip_prefix(':')?.trim_start();
        let (value, quoted, next) = if after.starts_with('"') {
            let (v, n) = read_string(after)?;
            (v, true, n)
        } else {
            let (raw, n) = read_raw(after);
            (raw.trim().to_string(), false, n)
        };
        members.push(Member { key, value, quoted });
        rest = next;
    }
    (!members.is_empty()).then_some(members)
}

/// Reads a quoted string at the start of `text`, returning it unescaped and the rest.
fn read_string(text: &str) -> Option<(String, &str)> {
    let inner = text.strip_prefix('"')?;
    let mut out = String::new();
    let mut chars = inner.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((out, inner.get(i + 1..).unwrap_or(""))),
            '\\' => match chars.next() {
                Some((_, 'n')) => out.push('\n'),
                Some((_, 't')) => out.push('\t'),
                Some((_, 'r')) => out.push('\r'),
                Some((_, 'b')) => out.push('\u{8}'),
                Some((_, 'f')) => out.push('\u{c}'),
                Some((j, 'u')) => {
                    let hex = inner.get(j + 1..j + 5).unwrap_or("");
                    match u32::from_str_radix(hex, 16).ok().filter(|_| hex.len() == 4) {
                        Some(code) => {
                            out.push(char::from_u32(code).unwrap_or('\u{fffd}'));
                            for _ in 0..4 {
                                chars.next();
                            }
                        }
                        None => out.push_str("\\u"),
                    }
                }
                Some((j, 'x')) => {
                    // nginx's default escaping: `\x22`.
                    let hex = inner.get(j + 1..j + 3).unwrap_or("");
                    match u8::from_str_radix(hex, 16)
                        .ok()
                        .filter(|b| hex.len() == 2 && b.is_ascii())
                    {
                        Some(b) => {
                            out.push(b as char);
                            chars.next();
                            chars.next();
                        }
                        None => out.push_str("\\x"),
                    }
                }
                Some((_, other)) => out.push(other),
                None => break,
            },
            c => out.push(c),
        }
    }
    // An unterminated string (a cut line): take what there is.
    Some((out, ""))
}

/// Reads a raw value (number, literal, nested object or array) up to the `,` or `}` that ends
/// it at depth zero.
fn read_raw(text: &str) -> (&str, &str) {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '{' | '[' => depth += 1,
            '}' | ']' if depth > 0 => depth -= 1,
            ',' | '}' if depth == 0 => return (&text[..i], &text[i..]),
            _ => {}
        }
    }
    (text, "")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(text: &str) -> Vec<(String, String, bool)> {
        read_object(text)
            .unwrap_or_default()
            .into_iter()
            .map(|m| (m.key, m.value, m.quoted))
            .collect()
    }

    #[test]
    fn reads_members_of_every_shape() {
        let got = pairs(
            r#"{"status": "502", "rt": 0.004, "ua": "a \"b\" \u00e9", "n": null, "o": {"x": [1, "}"]}, "e": "\x22q\x22"}"#,
        );
        assert_eq!(
            got,
            vec![
                ("status".into(), "502".into(), true),
                ("rt".into(), "0.004".into(), false),
                ("ua".into(), "a \"b\" é".into(), true),
                ("n".into(), "null".into(), false),
                ("o".into(), r#"{"x": [1, "}"]}"#.into(), false),
                ("e".into(), "\"q\"".into(), true),
            ]
        );
    }

    #[test]
    fn tolerates_cut_and_odd_input() {
        assert_eq!(pairs(r#"{"a": "b", "c": "unterminated"#).len(), 2);
        assert!(read_object("not json").is_none());
        assert!(read_object("{}").is_none());
        assert!(read_object("{\"a\"").is_none());
        assert_eq!(pairs(r#"{"a":$request_time,"b":"$status"}"#)[0].1, "$request_time");
        assert!(read_object("{\"\\u12").is_none());
    }
}

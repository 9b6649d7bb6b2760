//! The nginx configuration lexer: words (bare or quoted), `;`, `{`, `}`, with `#` comments
//! skipped, following `ngx_conf_read_token` but tolerant of what people paste: regex
//! quantifiers such as `{2,3}` inside bare words, `${var}`, unclosed quotes. Also skips opaque
//! Lua blocks (`*_by_lua_block { ... }`) with Lua strings and comments respected.
//!
//! Single pass over the bytes: linear in the input (an unclosed quote is rescanned at most once
//! per quote character).

use crate::span::Span;

/// What a token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TokenKind {
    /// A bare or quoted word.
    Word,
    /// `;`
    Semicolon,
    /// `{`
    Open,
    /// `}`
    Close,
}

/// One token.
#[derive(Clone, Debug)]
pub(crate) struct Token {
    pub kind: TokenKind,
    /// Paste-relative span (quotes included).
    pub span: Span,
    /// For words: the text, quotes removed and escapes processed.
    pub text: String,
    /// For words: true when quoted.
    pub quoted: bool,
    /// Piece-relative offset of the start of the token's line.
    pub line_start: usize,
    /// True when no other token precedes it on its line.
    pub first_on_line: bool,
    /// Bytes between the start of the line and the token.
    pub indent: usize,
}

/// The lexer state.
pub(crate) struct Lexer<'a> {
    text: &'a str,
    bytes: &'a [u8],
    base: usize,
    pos: usize,
    line_start: usize,
    line_has_token: bool,
    /// For `"` and `'`: the position of a quote found unclosed at end of input. Any later quote
    /// of that character is unclosed too (no rescanning).
    unclosed_quote: [Option<usize>; 2],
    /// Problems found: span and message (at most [`super::parser::MAX_PROBLEMS`]).
    pub problems: Vec<(Span, String)>,
    /// Problems past the limit, counted only.
    pub suppressed: usize,
}

impl<'a> Lexer<'a> {
    /// A lexer over a piece's text; `base` is the piece's offset in its paste.
    pub fn new(text: &'a str, base: usize) -> Self {
        Lexer {
            text,
            bytes: text.as_bytes(),
            base,
            pos: 0,
            line_start: 0,
            line_has_token: false,
            unclosed_quote: [None, None],
            problems: Vec::new(),
            suppressed: 0,
        }
    }

    fn span(&self, start: usize, end: usize) -> Span {
        Span::new(self.base + start, self.base + end)
    }

    /// Skips whitespace and comments; returns false at end of input.
    fn skip_blank(&mut self) -> bool {
        while let Some(&b) = self.bytes.get(self.pos) {
            match b {
                b'\n' => {
                    self.pos += 1;
                    self.line_start = self.pos;
                    self.line_has_token = false;
                }
                b' ' | b'\t' | b'\r' | b'\x0c' | b'\x0b' => self.pos += 1,
                b'#' => self.pos = self.line_end(self.pos),
                _ => {
                    // A UTF-8 byte order mark or non-breaking space is blank too.
                    let rest = self.text.get(self.pos..).unwrap_or("");
                    match rest.chars().next() {
                        Some(c @ ('\u{feff}' | '\u{a0}')) => self.pos += c.len_utf8(),
                        _ => return true,
                    }
                }
            }
        }
        false
    }

    /// The offset of the end of the line holding `pos` (the `\n` or the end of input).
    fn line_end(&self, pos: usize) -> usize {
        self.bytes
            .get(pos..)
            .and_then(|rest| rest.iter().position(|&b| b == b'\n'))
            .map_or(self.bytes.len(), |i| pos + i)
    }

    /// The next token, or `None` at end of input.
    pub fn next_token(&mut self) -> Option<Token> {
        if !self.skip_blank() {
            return None;
        }
        let start = self.pos;
        let first_on_line = !self.line_has_token;
        self.line_has_token = true;
        let line_start = self.line_start;
        let make = |lexer: &Self, kind, end, text: String, quoted| Token {
            kind,
            span: lexer.span(start, end),
            text,
            quoted,
            line_start,
            first_on_line,
            indent: start - line_start,
        };
        let b = self.bytes[start];
        let simple = match b {
            b';' => Some(TokenKind::Semicolon),
            b'{' => Some(TokenKind::Open),
            b'}' => Some(TokenKind::Close),
            _ => None,
        };
        if let Some(kind) = simple {
            self.pos += 1;
            return Some(make(self, kind, self.pos, String::new(), false));
        }
        if b == b'"' || b == b'\'' {
            let (end, content_end) = self.quoted(start, b);
            let raw = self.text.get(start + 1..content_end).unwrap_or("");
            return Some(make(self, TokenKind::Word, end, unescape(raw), true));
        }
        let end = self.bare_word_end(start);
        self.pos = end;
        let raw = self.text.get(start..end).unwrap_or("");
        Some(make(self, TokenKind::Word, end, unescape(raw), false))
    }

    /// Scans a quoted word opening at `start`; returns (token end, content end) and moves past it.
    /// An unclosed quote ends at its line's end, with a problem.
    fn quoted(&mut self, start: usize, quote: u8) -> (usize, usize) {
        let slot = usize::from(quote == b'\'');
        let known_unclosed = self.unclosed_quote[slot].is_some_and(|at| at < start);
        if !known_unclosed {
            let mut i = start + 1;
            while let Some(&b) = self.bytes.get(i) {
                if b == b'\\' {
                    i += if self.bytes.get(i + 1).is_some_and(u8::is_ascii) {
                        2
                    } else {
                        1
                    };
                } else if b == quote {
                    self.pos = i + 1;
                    self.note_newlines(start, i);
                    return (i + 1, i);
                } else {
                    i += 1;
                }
            }
            self.unclosed_quote[slot] = Some(start);
        }
        let end = self.line_end(start);
        let end = if self.bytes.get(end.wrapping_sub(1)) == Some(&b'\r') && end > start + 1 {
            end - 1
        } else {
            end
        };
        self.problems
            .push((self.span(start, end), "quoted string is not closed".into()));
        self.pos = end;
        (end, end)
    }

    /// Keeps the line bookkeeping right after a quoted string spanning lines.
    fn note_newlines(&mut self, from: usize, to: usize) {
        if let Some(last) = self
            .bytes
            .get(from..to)
            .and_then(|s| s.iter().rposition(|&b| b == b'\n'))
        {
            self.line_start = from + last + 1;
        }
    }

    /// The end of a bare word starting at `start`.
    fn bare_word_end(&self, start: usize) -> usize {
        let mut i = start;
        let mut in_variable_braces = false;
        while let Some(&b) = self.bytes.get(i) {
            match b {
                b' ' | b'\t' | b'\r' | b'\n' | b';' => break,
                b'\\' => {
                    i += if self.bytes.get(i + 1).is_some_and(u8::is_ascii) {
                        2
                    } else {
                        1
                    }
                }
                b'{' => {
                    if i > start && self.bytes[i - 1] == b'$' && self.variable_braces_at(i) {
                        in_variable_braces = true;
                        i += 1;
                    } else if let Some(end) = self.quantifier_end(i) {
                        i = end;
                    } else {
                        break;
                    }
                }
                b'}' => {
                    if in_variable_braces {
                        in_variable_braces = false;
                        i += 1;
                    } else {
                        break;
                    }
                }
                _ => i += 1,
            }
        }
        i.min(self.bytes.len())
    }

    /// True when `{` at `i` opens `${name}`.
    fn variable_braces_at(&self, i: usize) -> bool {
        let rest = self.bytes.get(i + 1..).unwrap_or(&[]);
        let name_len = rest
            .iter()
            .take(256)
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
            .count();
        name_len > 0 && rest.get(name_len) == Some(&b'}')
    }

    /// If `{` at `i` opens a regex quantifier (`{2}`, `{2,}`, `{2,3}`), the offset after its `}`.
    fn quantifier_end(&self, i: usize) -> Option<usize> {
        let rest = self.bytes.get(i + 1..)?;
        let digits = rest.iter().take(12).take_while(|b| b.is_ascii_digit()).count();
        if digits == 0 {
            return None;
        }
        let mut j = digits;
        if rest.get(j) == Some(&b',') {
            j += 1;
            j += rest[j..].iter().take(12).take_while(|b| b.is_ascii_digit()).count();
        }
        (rest.get(j) == Some(&b'}')).then_some(i + 1 + j + 1)
    }

    /// Skips the body of an opaque block whose `{` was just read, up to the matching `}`,
    /// respecting Lua strings, long brackets and comments. Returns the body span and, when
    /// found, the span of the closing `}`.
    pub fn skip_opaque_block(&mut self) -> (Span, Option<Span>) {
        let body_start = self.pos;
        let mut depth = 1usize;
        let mut i = self.pos;
        let len = self.bytes.len();
        while i < len {
            match self.bytes[i] {
                b'{' => {
                    depth += 1;
                    i += 1;
                }
                b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        self.finish_opaque(body_start, i);
                        self.pos = i + 1;
                        return (self.span(body_start, i), Some(self.span(i, i + 1)));
                    }
                    i += 1;
                }
                b'"' | b'\'' => i = self.lua_short_string_end(i),
                b'-' if self.bytes.get(i + 1) == Some(&b'-') => {
                    i = match self.long_bracket_end(i + 2) {
                        Some(end) => end,
                        None => self.line_end(i),
                    };
                }
                b'[' => i = self.long_bracket_end(i).unwrap_or(i + 1),
                _ => i += 1,
            }
        }
        self.finish_opaque(body_start, len);
        self.pos = len;
        (self.span(body_start, len), None)
    }

    fn finish_opaque(&mut self, from: usize, to: usize) {
        self.note_newlines(from, to);
        self.line_has_token = true;
    }

    /// The end of a Lua `"..."` / `'...'` string starting at `i` (it cannot span lines).
    fn lua_short_string_end(&self, i: usize) -> usize {
        let quote = self.bytes[i];
        let mut j = i + 1;
        while let Some(&b) = self.bytes.get(j) {
            match b {
                b'\\' => j += 2,
                b'\n' => return j,
                _ if b == quote => return j + 1,
                _ => j += 1,
            }
        }
        self.bytes.len()
    }

    /// If a Lua long bracket (`[[`, `[==[`) opens at `i`, the offset after its closing bracket
    /// (or the end of input).
    fn long_bracket_end(&self, i: usize) -> Option<usize> {
        let rest = self.bytes.get(i..)?;
        if rest.first() != Some(&b'[') {
            return None;
        }
        let level = rest[1..].iter().take_while(|&&b| b == b'=').count();
        if rest.get(1 + level) != Some(&b'[') {
            return None;
        }
        let body = i + 2 + level;
        let mut j = body;
        while let Some(&b) = self.bytes.get(j) {
            if b == b']'
                && self
                    .bytes
                    .get(j + 1..j + 1 + level)
                    .is_some_and(|eq| eq.iter().all(|&e| e == b'='))
                && self.bytes.get(j + 1 + level) == Some(&b']')
            {
                return Some(j + 2 + level);
            }
            j += 1;
        }
        Some(self.bytes.len())
    }
}

/// Processes nginx's escapes: `\"`, `\'`, `\\` give the character, `\t`, `\r`, `\n` give tab,
/// carriage return and line feed; any other backslash is kept (regexes).
pub(crate) fn unescape(raw: &str) -> String {
    if !raw.contains('\\') {
        return raw.to_string();
    }
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.peek().copied() {
            Some(e @ ('"' | '\'' | '\\')) => {
                out.push(e);
                chars.next();
            }
            Some('t') => {
                out.push('\t');
                chars.next();
            }
            Some('r') => {
                out.push('\r');
                chars.next();
            }
            Some('n') => {
                out.push('\n');
                chars.next();
            }
            _ => out.push('\\'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<(TokenKind, String)> {
        let mut lexer = Lexer::new(text, 0);
        std::iter::from_fn(|| lexer.next_token())
            .map(|t| (t.kind, t.text))
            .collect()
    }

    fn texts(text: &str) -> Vec<String> {
        words(text)
            .into_iter()
            .map(|(k, t)| match k {
                TokenKind::Word => t,
                TokenKind::Semicolon => ";".into(),
                TokenKind::Open => "{".into(),
                TokenKind::Close => "}".into(),
            })
            .collect()
    }

    #[test]
    fn reads_words_quotes_and_comments() {
        assert_eq!(
            texts("listen 80; # comment { }\nserver_name \"a b\" 'c\\'d';"),
            ["listen", "80", ";", "server_name", "a b", "c'd", ";"]
        );
        assert_eq!(texts("a#b c;"), ["a#b", "c", ";"]);
        assert_eq!(
            texts("return 200 \"x\\ty\\\\z\\.\";"),
            ["return", "200", "x\ty\\z\\.", ";"]
        );
    }

    #[test]
    fn keeps_regex_quantifiers_and_variable_braces_in_words() {
        assert_eq!(
            texts("location ~ ^/a{2,3}/(\\d{4})$ {"),
            ["location", "~", "^/a{2,3}/(\\d{4})$", "{"]
        );
        assert_eq!(texts("set $x ${host}x;"), ["set", "$x", "${host}x", ";"]);
        assert_eq!(
            texts("location /{return 204;}"),
            ["location", "/", "{", "return", "204", ";", "}"]
        );
        assert_eq!(texts("location ~ \\.php${"), ["location", "~", "\\.php$", "{"]);
    }

    #[test]
    fn unclosed_quote_stops_at_the_line_end() {
        let mut lexer = Lexer::new("a \"b\nc\";\nd 'e;\nf g;\nh \"i;\n", 0);
        let got: Vec<String> = std::iter::from_fn(|| lexer.next_token()).map(|t| t.text).collect();
        assert_eq!(got, ["a", "b\nc", "", "d", "e;", "f", "g", "", "h", "i;"]);
        assert_eq!(lexer.problems.len(), 2);
        assert_eq!(lexer.problems[0].0, Span::new(11, 14));
    }

    #[test]
    fn skips_lua_blocks() {
        let text = "content_by_lua_block { local s = \"}\" -- }\n local t = [[ } ]] --[==[ } ]==] if x then y = {1} end }\nlisten 80;";
        let mut lexer = Lexer::new(text, 0);
        let mut got = Vec::new();
        while let Some(t) = lexer.next_token() {
            let open = t.kind == TokenKind::Open;
            got.push(t.text);
            if open {
                let (body, close) = lexer.skip_opaque_block();
                assert!(close.is_some());
                assert!(body.text(text).contains("end "));
            }
        }
        assert_eq!(got, ["content_by_lua_block", "", "listen", "80", ""]);
    }

    #[test]
    fn tracks_lines_and_indent() {
        let mut lexer = Lexer::new("a b\n  c;\n", 0);
        let tokens: Vec<Token> = std::iter::from_fn(|| lexer.next_token()).collect();
        assert!(tokens[0].first_on_line && !tokens[1].first_on_line && tokens[2].first_on_line);
        assert_eq!(tokens[2].indent, 2);
        assert_eq!(tokens[2].line_start, 4);
    }
}

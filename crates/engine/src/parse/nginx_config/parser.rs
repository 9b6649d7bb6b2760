//! Builds the [`ConfigFile`] tree from tokens, with an explicit stack (no recursion), and
//! recovers from broken input the way a person would read it:
//!
//! - a missing `;` at a line end: a new line that starts with a directive name at the same or a
//!   smaller indentation starts a new directive;
//! - a missing `}`: blocks still open at the end are closed there;
//! - an extra `}` or `;`: reported and skipped;
//! - an unclosed quote: the string ends at its line's end (see the lexer).
//!
//! Each recovery is a located problem (message in nginx's wording where nginx has one). Text
//! that is not configuration (a sentence before the config, a code fence) is returned as unread
//! lines instead of becoming directives.

use super::ast::{ConfigFile, Directive};
use super::lexer::{Lexer, Token, TokenKind};
use super::names::is_known_directive;
use crate::span::Span;

/// At most this many problems are listed per piece (broken input can have one per byte).
pub const MAX_PROBLEMS: usize = 200;

/// Blocks nested deeper than this are kept, but their children are stored flat in the deepest
/// block kept (so that the tree, and everything that walks it, stays shallow).
pub const MAX_DEPTH: usize = 64;

/// What parsing a piece gives.
#[derive(Debug, Default)]
pub struct ParseOutput {
    /// The tree.
    pub config: ConfigFile,
    /// Problems found: paste-relative span and message.
    pub problems: Vec<(Span, String)>,
    /// Paste-relative spans of text that is not configuration.
    pub unread: Vec<Span>,
}

/// Blocks whose children are data rather than directives.
const LITERAL_BLOCKS: &[&str] = &["map", "geo", "types", "split_clients", "charset_map", "match"];

/// A directive being read (its arguments are in [`Parser::args`]).
struct Statement {
    name: String,
    name_span: Span,
    start: usize,
    end: usize,
    first_line_start: usize,
    indent: usize,
}

/// How an open block is stored when it closes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum FrameMode {
    /// A normal block.
    Normal,
    /// `{` with no directive before it: its children go to the parent.
    Anonymous,
    /// Beyond [`MAX_DEPTH`]: stored as an empty block followed by its children.
    Flattened,
}

struct Frame {
    /// For [`FrameMode::Anonymous`]: how many stray `{` this frame stands for.
    anonymous_depth: usize,
    directive: Directive,
    header_end: usize,
    /// Where the block's children start in [`Parser::pending`].
    children_start: usize,
    mode: FrameMode,
    literal: bool,
}

struct Parser {
    /// Directives read whose block is still open (and the top-level ones): the children of every
    /// open frame, one after the other. A closing block takes its own, in a vector of their exact
    /// size, so the tree carries no growth slack.
    pending: Vec<Directive>,
    stack: Vec<Frame>,
    statement: Option<Statement>,
    /// The arguments of the statement being read (one buffer reused for every directive).
    args: Vec<String>,
    problems: Vec<(Span, String)>,
    unread: Vec<Span>,
    stored_depth: usize,
    depth_reported: bool,
    /// Problems past [`MAX_PROBLEMS`], counted only.
    suppressed: usize,
}

/// Parses a piece at offset `base` of its paste.
pub fn parse_config(text: &str, base: usize, file: Option<&str>) -> ParseOutput {
    let mut lexer = Lexer::new(text, base);
    let mut parser = Parser {
        pending: Vec::new(),
        stack: Vec::new(),
        statement: None,
        args: Vec::new(),
        problems: Vec::new(),
        unread: Vec::new(),
        stored_depth: 0,
        depth_reported: false,
        suppressed: 0,
    };
    while let Some(token) = lexer.next_token() {
        match token.kind {
            TokenKind::Word => parser.word(token),
            TokenKind::Semicolon => parser.semicolon(&token),
            TokenKind::Open => parser.open(&token, &mut lexer),
            TokenKind::Close => parser.close(&token),
        }
    }
    parser.finish(base + text.len());
    let suppressed = parser.suppressed + lexer.suppressed;
    let mut problems = lexer.problems;
    problems.append(&mut parser.problems);
    crate::sort::by_key(&mut problems, |(span, _)| span.start);
    if suppressed > 0
        && let Some(&(last, _)) = problems.last()
    {
        problems.push((last, format!("{suppressed} more problems not listed")));
    }
    ParseOutput {
        config: ConfigFile {
            file: file.map(str::to_string),
            directives: parser.pending.drain(..).collect(),
        },
        problems,
        unread: parser.unread,
    }
}

/// Tokens people paste in place of elided text.
fn is_placeholder(token: &Token) -> bool {
    if token.quoted {
        return false;
    }
    let t = token.text.as_str();
    matches!(
        t,
        "..." | "[...]" | "(...)" | "…" | "[…]" | "<snip>" | "[snip]" | "<...>" | "--"
    )
}

/// A word that may start a directive on a new line (used to recover a missing `;`).
fn looks_like_directive_name(word: &str) -> bool {
    let mut bytes = word.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_lowercase())
        && bytes.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// True when an unterminated statement named `name` is still worth keeping as a directive.
fn is_plausible_name(name: &str) -> bool {
    is_known_directive(name) || (looks_like_directive_name(name) && name.contains('_'))
}

impl Parser {
    /// Records a problem; past [`MAX_PROBLEMS`] they are only counted.
    fn report(&mut self, span: Span, message: String) {
        if self.problems.len() < MAX_PROBLEMS {
            self.problems.push((span, message));
        } else {
            self.suppressed += 1;
        }
    }

    fn in_literal_block(&self) -> bool {
        self.stack.last().is_some_and(|f| f.literal)
    }

    /// The arguments read for the current statement, in a vector of their exact size.
    fn take_args(&mut self) -> Vec<String> {
        self.args.drain(..).collect()
    }

    fn word(&mut self, token: Token) {
        if token.first_on_line && !token.quoted && token.text.starts_with("```") {
            // A Markdown code fence: framing, and the end of whatever came before it.
            self.end_unterminated();
            return;
        }
        if let Some(statement) = &self.statement {
            let new_line = token.first_on_line && token.line_start != statement.first_line_start;
            if new_line
                && !token.quoted
                && token.indent <= statement.indent
                && (is_known_directive(&token.text) || looks_like_directive_name(&token.text))
            {
                self.end_unterminated();
            }
        }
        match &mut self.statement {
            Some(statement) => {
                self.args.push(token.text);
                statement.end = token.span.end;
            }
            None if is_placeholder(&token) => {}
            None => {
                self.statement = Some(Statement {
                    name: token.text,
                    name_span: token.span,
                    start: token.span.start,
                    end: token.span.end,
                    first_line_start: token.line_start,
                    indent: token.indent,
                })
            }
        }
    }

    /// Ends the current statement without `;`: a directive with a problem, or unread text when it
    /// does not read as configuration.
    fn end_unterminated(&mut self) {
        let Some(statement) = self.statement.take() else {
            return;
        };
        let span = Span::new(statement.start, statement.end);
        if !self.in_literal_block() && !is_plausible_name(&statement.name) {
            self.args.clear();
            self.unread.push(span);
            return;
        }
        self.report(
            span,
            format!("directive \"{}\" is not terminated by \";\"", statement.name),
        );
        let args = self.take_args();
        self.pending.push(simple_directive(statement, args, span));
    }

    fn semicolon(&mut self, token: &Token) {
        match self.statement.take() {
            Some(statement) => {
                let span = Span::new(statement.start, token.span.end);
                let args = self.take_args();
                self.pending.push(simple_directive(statement, args, span));
            }
            None => self.report(token.span, "unexpected \";\"".into()),
        }
    }

    fn open(&mut self, token: &Token, lexer: &mut Lexer<'_>) {
        let Some(statement) = self.statement.take() else {
            self.report(token.span, "unexpected \"{\"".into());
            // Stray braces inside a stray brace are counted, not stacked.
            match self.stack.last_mut() {
                Some(frame) if frame.mode == FrameMode::Anonymous => frame.anonymous_depth += 1,
                _ => self.push_frame(Directive::default(), token.span.end, FrameMode::Anonymous, false),
            }
            return;
        };
        let literal = LITERAL_BLOCKS.contains(&statement.name.as_str());
        let mut directive = Directive {
            span: Span::new(statement.start, token.span.end),
            name_span: statement.name_span,
            name: statement.name,
            args: self.take_args(),
            block: Some(Vec::new()),
            opaque: None,
        };
        if directive.name.ends_with("_block") {
            let (body, close) = lexer.skip_opaque_block();
            directive.opaque = Some(body);
            match close {
                Some(close) => directive.span = directive.span.join(close),
                None => {
                    self.report(
                        Span::new(directive.span.start, token.span.end),
                        "unexpected end of file, expecting \"}\"".into(),
                    );
                    directive.span = directive.span.join(body);
                }
            }
            self.pending.push(directive);
            return;
        }
        let mode = if self.stored_depth >= MAX_DEPTH {
            if !self.depth_reported {
                self.depth_reported = true;
                self.report(
                    directive.span,
                    format!("blocks nested deeper than {MAX_DEPTH} levels are read as flat"),
                );
            }
            FrameMode::Flattened
        } else {
            FrameMode::Normal
        };
        self.push_frame(directive, token.span.end, mode, literal);
    }

    fn push_frame(&mut self, directive: Directive, header_end: usize, mode: FrameMode, literal: bool) {
        if mode == FrameMode::Normal {
            self.stored_depth += 1;
        }
        self.stack.push(Frame {
            anonymous_depth: 1,
            directive,
            header_end,
            children_start: self.pending.len(),
            mode,
            literal,
        });
    }

    fn close(&mut self, token: &Token) {
        if self.statement.is_some() {
            self.end_unterminated();
        }
        match self.stack.last_mut() {
            None => self.report(token.span, "unexpected \"}\"".into()),
            Some(frame) if frame.mode == FrameMode::Anonymous && frame.anonymous_depth > 1 => {
                frame.anonymous_depth -= 1;
            }
            Some(_) => self.pop_frame(token.span.end),
        }
    }

    /// Closes the innermost open block, its span ending at `end`.
    fn pop_frame(&mut self, end: usize) {
        let Some(frame) = self.stack.pop() else {
            return;
        };
        let Frame {
            mut directive,
            children_start,
            mode,
            ..
        } = frame;
        match mode {
            FrameMode::Normal => {
                self.stored_depth -= 1;
                directive.span = Span::new(directive.span.start, end);
                directive.block = Some(self.pending.drain(children_start..).collect());
                self.pending.push(directive);
            }
            // The children stay where they are: the parent's.
            FrameMode::Anonymous => {}
            FrameMode::Flattened => {
                directive.span = Span::new(directive.span.start, end);
                self.pending.insert(children_start, directive);
            }
        }
    }

    fn finish(&mut self, end_of_input: usize) {
        if self.statement.is_some() {
            self.end_unterminated();
        }
        while let Some(frame) = self.stack.last() {
            let header = Span::new(frame.directive.span.start, frame.header_end);
            let end = self.pending[frame.children_start..]
                .last()
                .map_or(frame.header_end, |c| c.span.end);
            if frame.mode != FrameMode::Anonymous {
                self.report(header, "unexpected end of file, expecting \"}\"".into());
            }
            self.pop_frame(end.min(end_of_input));
        }
    }
}

fn simple_directive(statement: Statement, args: Vec<String>, span: Span) -> Directive {
    Directive {
        name: statement.name,
        args,
        block: None,
        span,
        name_span: statement.name_span,
        opaque: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(directives: &[Directive]) -> Vec<&str> {
        directives.iter().map(|d| d.name.as_str()).collect()
    }

    #[test]
    fn builds_nested_blocks_with_spans() {
        let text =
            "http {\n  server {\n    listen 80;\n    location ~* \\.(php)$ { fastcgi_pass unix:/a.sock; }\n  }\n}\n";
        let out = parse_config(text, 100, Some("nginx.conf"));
        assert!(out.problems.is_empty(), "{:?}", out.problems);
        let http = &out.config.directives[0];
        assert_eq!(
            http.span.text(&format!("{}{text}", " ".repeat(100))),
            &text[..text.len() - 1]
        );
        let server = &http.children()[0];
        assert_eq!(names(server.children()), ["listen", "location"]);
        let location = &server.children()[1];
        assert_eq!(location.args, ["~*", "\\.(php)$"]);
        assert_eq!(location.children()[0].args, ["unix:/a.sock"]);
        let at = 100 + text.find("location").unwrap();
        assert_eq!(location.name_span, Span::new(at, at + "location".len()));
    }

    #[test]
    fn recovers_a_missing_semicolon_at_the_line_end() {
        let out = parse_config(
            "server {\n    listen 443 ssl\n    server_name a.com\n        www.a.com;\n}\n",
            0,
            None,
        );
        let server = &out.config.directives[0];
        assert_eq!(names(server.children()), ["listen", "server_name"]);
        assert_eq!(server.children()[1].args, ["a.com", "www.a.com"]);
        assert_eq!(out.problems.len(), 1);
        assert_eq!(out.problems[0].1, "directive \"listen\" is not terminated by \";\"");
    }

    #[test]
    fn missing_semicolon_before_brace_and_extra_brace() {
        let out = parse_config("location / {\n  proxy_pass http://a\n}\n}\nlisten 80;", 0, None);
        assert_eq!(names(&out.config.directives), ["location", "listen"]);
        let messages: Vec<&str> = out.problems.iter().map(|(_, m)| m.as_str()).collect();
        assert_eq!(
            messages,
            [
                "directive \"proxy_pass\" is not terminated by \";\"",
                "unexpected \"}\""
            ]
        );
    }

    #[test]
    fn closes_blocks_left_open() {
        let text = "http {\n  server {\n    listen 80;\n";
        let out = parse_config(text, 0, None);
        assert_eq!(out.problems.len(), 2);
        assert!(
            out.problems
                .iter()
                .all(|(_, m)| m == "unexpected end of file, expecting \"}\"")
        );
        assert_eq!(out.problems[0].0.text(text), "http {");
        assert_eq!(out.problems[1].0.text(text), "server {");
        let server = &out.config.directives[0].children()[0];
        assert_eq!(server.span.text(text), "server {\n    listen 80;");
    }

    #[test]
    fn prose_and_placeholders_are_not_directives() {
        let text = "Here is my config\n```nginx\nupstream a {\n   [...]\n   server 10.0.0.1:80    # CORRECT!\n}\n```\n";
        let out = parse_config(text, 0, None);
        assert_eq!(names(&out.config.directives), ["upstream"]);
        assert_eq!(out.config.directives[0].children()[0].args, ["10.0.0.1:80"]);
        assert_eq!(out.unread.len(), 1);
        assert_eq!(out.unread[0].text(text), "Here is my config");
        // As pasted in a real thread: the `server` line has no `;`.
        assert_eq!(out.problems.len(), 1, "{:?}", out.problems);
        assert_eq!(out.problems[0].1, "directive \"server\" is not terminated by \";\"");
    }

    #[test]
    fn lua_blocks_are_opaque() {
        let text = "location / {\n  content_by_lua_block {\n    ngx.say(\"}\") -- }\n    local t = { a = 1 }\n  }\n  access_log off;\n}";
        let out = parse_config(text, 0, None);
        assert!(out.problems.is_empty(), "{:?}", out.problems);
        let location = &out.config.directives[0];
        assert_eq!(names(location.children()), ["content_by_lua_block", "access_log"]);
        let lua = &location.children()[0];
        assert!(lua.opaque.unwrap().text(text).contains("local t"));
        assert!(lua.span.text(text).ends_with("}\n  }"));
    }

    #[test]
    fn map_blocks_and_if_conditions() {
        let text = "map $http_upgrade $connection_upgrade {\n    default upgrade;\n    ''      close;\n    ~^/api/v[0-9]{1,2}/ 1;\n}\nif ($x ~ \"a{1}\") { return 502; }";
        let out = parse_config(text, 0, None);
        assert!(out.problems.is_empty(), "{:?}", out.problems);
        let map = &out.config.directives[0];
        assert_eq!(names(map.children()), ["default", "", "~^/api/v[0-9]{1,2}/"]);
        // As nginx reads it: `)` right after a quoted string is a token of its own.
        assert_eq!(out.config.directives[1].args, ["($x", "~", "a{1}", ")"]);
    }

    #[test]
    fn deep_nesting_is_flattened_not_overflowing() {
        let depth = 10_000;
        let text = format!("{}listen 80;{}", "a {".repeat(depth), "}".repeat(depth));
        let out = parse_config(&text, 0, None);
        assert_eq!(out.problems.len(), 1);
        let max_depth = out.config.iter().map(|(d, _)| d).max().unwrap();
        assert!(max_depth <= MAX_DEPTH);
        assert_eq!(out.config.iter().count(), depth + 1);
        let unclosed = parse_config(&"a {".repeat(depth), 0, None);
        assert_eq!(unclosed.config.iter().count(), depth);
    }

    #[test]
    fn floods_of_stray_tokens_stay_small() {
        let text =
            "{".repeat(100_000) + "listen 80;" + &"}".repeat(100_000) + &";".repeat(1000) + "\"" + &"'x".repeat(999);
        let out = parse_config(&text, 0, None);
        assert_eq!(out.config.directives.len(), 1);
        // The parser's problems are capped; the one unclosed quote swallows the rest of the line.
        assert_eq!(out.problems.len(), MAX_PROBLEMS + 2);
        assert!(out.problems.last().unwrap().1.ends_with("more problems not listed"));
    }

    #[test]
    fn stray_open_brace_keeps_balance() {
        let out = parse_config("{ listen 80; }\nserver_name a;", 0, None);
        assert_eq!(names(&out.config.directives), ["listen", "server_name"]);
        assert_eq!(out.problems[0].1, "unexpected \"{\"");
    }
}

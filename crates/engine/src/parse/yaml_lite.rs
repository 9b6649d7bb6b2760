//! A small, tolerant reader for the YAML people paste: compose files, `docker compose config`,
//! `kubectl get -o yaml`, Kubernetes manifests. No YAML crate (the engine has serde and regex
//! only, and the web build must stay small).
//!
//! What it reads: indentation-based mappings and sequences (also a sequence at the same
//! indentation as its key), `- key: value` items, plain, `"double"` and `'single'` quoted
//! scalars (also spread over lines), flow collections `[a, b]` / `{k: v}` over one or several
//! lines (through [`json_lite`](super::json_lite), so a JSON document reads too), block scalars
//! `|` and `>` with chomping indicators, comments, tags (`!!str`, `!reset`: skipped), anchors
//! `&x`, aliases `*x` and merge keys `<<: *x` / `<<: [*a, *b]`, and several documents separated
//! by `---`.
//!
//! What it does not try: complex keys (`? key`), multi-line plain keys, directives beyond
//! skipping them. Lines it cannot place are returned in [`YamlRead::bad`]; reading goes on
//! after them. Nesting is capped ([`MAX_DEPTH`]) and alias expansion is budgeted, so neither a
//! deep nor a "billion laughs" input can exhaust the stack or the memory.
//!
//! ```
//! use engine::parse::yaml_lite;
//! let read = yaml_lite::read("services:\n  web:\n    ports: [\"80:80\"]\n", 0);
//! let web = read.docs[0].get("services").and_then(|s| s.get("web")).unwrap();
//! assert_eq!(web.get("ports").unwrap().items()[0].as_str(), Some("80:80"));
//! ```

use std::collections::HashMap;

use crate::parse::json_lite::{self, JsonNode, JsonValue};
use crate::span::{Span, lines};

/// Deepest block nesting followed; deeper lines are reported as bad.
pub const MAX_DEPTH: usize = 48;

/// Largest number of nodes alias expansion may copy in one read.
const ALIAS_BUDGET: usize = 20_000;

/// Deepest tree an alias may produce (block plus flow nesting stays well below this).
const MAX_TREE_DEPTH: usize = 120;

/// A value with the lines it was read from.
#[derive(Clone, Debug, PartialEq)]
pub struct YamlNode {
    /// The value.
    pub value: YamlValue,
    /// For a mapping value, the span of its whole entry (key line through the last line of the
    /// value); for a sequence item, the `- ` line through its end; for a document, the document.
    pub span: Span,
}

/// A YAML value. Scalars are untyped text (numbers, booleans and `null` as written).
#[derive(Clone, Debug, PartialEq)]
pub enum YamlValue {
    /// No value (`key:` with nothing under it, `~`, `null`).
    Null,
    /// A scalar, quotes removed and escapes resolved.
    Scalar(String),
    /// A sequence.
    Seq(Vec<YamlNode>),
    /// A mapping, entries in order.
    Map(Vec<(String, YamlNode)>),
}

/// What [`read`] found.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct YamlRead {
    /// One node per document.
    pub docs: Vec<YamlNode>,
    /// Lines that could not be placed (paste-relative spans).
    pub bad: Vec<Span>,
}

impl YamlNode {
    /// The entry `key` of a mapping.
    pub fn get(&self, key: &str) -> Option<&YamlNode> {
        match &self.value {
            YamlValue::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The text of a scalar.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            YamlValue::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// The items of a sequence (empty for anything else).
    pub fn items(&self) -> &[YamlNode] {
        match &self.value {
            YamlValue::Seq(items) => items,
            _ => &[],
        }
    }

    /// The entries of a mapping (empty for anything else).
    pub fn entries(&self) -> &[(String, YamlNode)] {
        match &self.value {
            YamlValue::Map(entries) => entries,
            _ => &[],
        }
    }

    /// True for a mapping.
    pub fn is_map(&self) -> bool {
        matches!(self.value, YamlValue::Map(_))
    }

    /// Number of nodes and depth of the tree, or `None` as soon as it has more than
    /// `max_nodes` nodes or is deeper than `max_depth` (so that checking a budget costs no more
    /// than the budget).
    fn size_within(&self, max_nodes: usize, max_depth: usize) -> Option<(usize, usize)> {
        if max_nodes == 0 || max_depth == 0 {
            return None;
        }
        let children: Vec<&YamlNode> = match &self.value {
            YamlValue::Seq(items) => items.iter().collect(),
            YamlValue::Map(entries) => entries.iter().map(|(_, v)| v).collect(),
            _ => Vec::new(),
        };
        let mut nodes = 1;
        let mut depth = 0;
        for child in children {
            let (n, d) = child.size_within(max_nodes - nodes, max_depth - 1)?;
            nodes += n;
            depth = depth.max(d);
        }
        Some((nodes, depth + 1))
    }
}

/// Reads every document of `text`; spans are offset by `base`.
pub fn read(text: &str, base: usize) -> YamlRead {
    let mut reader = Reader::new(text, base);
    let mut out = YamlRead::default();
    let mut current: Option<YamlNode> = None;
    while reader.skip_blank() {
        let l = reader.pos;
        if reader.is_doc_marker(l) {
            if let Some(doc) = current.take() {
                out.docs.push(doc);
            }
            reader.pos += 1;
            continue;
        }
        let content = reader.content(l);
        let starts_node = reader.is_seq_item(l) || split_key(content).is_some() || content.starts_with(['[', '{']);
        let before = reader.pos;
        match current.as_mut() {
            None if starts_node => current = Some(reader.node(None, 0)),
            Some(doc) if doc.is_map() && split_key(content).is_some() => {
                // The same document continues at another indentation (an excerpt pasted with
                // uneven margins): merge its entries.
                let more = reader.node(None, 0);
                if let (YamlValue::Map(entries), YamlValue::Map(extra)) = (&mut doc.value, more.value) {
                    entries.extend(extra);
                }
                doc.span = doc.span.join(more.span);
            }
            _ => reader.bad(l),
        }
        if reader.pos == before {
            reader.bad(before);
        }
    }
    if let Some(doc) = current {
        out.docs.push(doc);
    }
    out.bad = reader.bad.iter().map(|&i| reader.lines[i].span).collect();
    out
}

/// One line of the text.
struct Line<'a> {
    /// The line without its break.
    raw: &'a str,
    /// Paste-relative span of the line.
    span: Span,
    /// Byte offset of the line in the text given to [`read`].
    offset: usize,
    /// Where the content starts (after indentation, or after a `- ` that was consumed).
    start: usize,
    /// Column of `start` (indentation).
    indent: usize,
}

struct Reader<'a> {
    text: &'a str,
    base: usize,
    lines: Vec<Line<'a>>,
    pos: usize,
    /// Index of the last line consumed (for spans).
    last: usize,
    bad: Vec<usize>,
    anchors: HashMap<String, YamlNode>,
    alias_budget: usize,
}

impl<'a> Reader<'a> {
    fn new(text: &'a str, base: usize) -> Self {
        let lines = lines(text, base)
            .map(|l| {
                let indent = l.text.len() - l.text.trim_start_matches([' ', '\t']).len();
                Line {
                    raw: l.text,
                    span: l.span,
                    offset: l.span.start - base,
                    start: indent,
                    indent,
                }
            })
            .collect();
        Reader {
            text,
            base,
            lines,
            pos: 0,
            last: 0,
            bad: Vec::new(),
            anchors: HashMap::new(),
            alias_budget: ALIAS_BUDGET,
        }
    }

    /// The content of line `i`: from its start, comment removed, trailing space trimmed.
    fn content(&self, i: usize) -> &'a str {
        let line = &self.lines[i];
        strip_comment(line.raw.get(line.start..).unwrap_or("")).trim_end()
    }

    fn is_blank(&self, i: usize) -> bool {
        self.content(i).is_empty() || self.lines[i].raw.trim_start().starts_with('%') && self.lines[i].indent == 0
    }

    fn is_doc_marker(&self, i: usize) -> bool {
        let line = &self.lines[i];
        line.start == 0 && {
            let c = self.content(i);
            c == "---" || c.starts_with("--- ") || c == "..."
        }
    }

    fn is_seq_item(&self, i: usize) -> bool {
        is_seq_text(self.content(i))
    }

    fn bad(&mut self, i: usize) {
        self.bad.push(i);
        self.pos = self.pos.max(i + 1);
    }

    fn consume(&mut self, i: usize) {
        self.last = i;
        self.pos = self.pos.max(i + 1);
    }

    /// Skips blank and comment lines; false at the end.
    fn skip_blank(&mut self) -> bool {
        while self.pos < self.lines.len() && self.is_blank(self.pos) {
            self.pos += 1;
        }
        self.pos < self.lines.len()
    }

    /// Span from the start of line `first` to the end of the last consumed line.
    fn span_from(&self, first: usize) -> Span {
        let end = self.lines[self.last.max(first)].span.end;
        Span::new(self.lines[first].span.start, end)
    }

    /// The node starting at the current line (its indentation decides its extent); `parent` is
    /// the indentation of the key or dash it belongs to (`None` at the top level).
    fn node(&mut self, parent: Option<usize>, depth: usize) -> YamlNode {
        let l = self.pos;
        if depth >= MAX_DEPTH {
            return self.skip_deeper(parent);
        }
        if self.is_seq_item(l) {
            self.seq(self.lines[l].indent, depth)
        } else if split_key(self.content(l)).is_some() {
            self.map(self.lines[l].indent, depth)
        } else {
            let content = self.content(l);
            let offset = self.lines[l].offset + self.lines[l].start;
            self.consume(l);
            self.value_text(content, offset, l, parent, depth)
        }
    }

    /// Marks as bad every line deeper than `parent` (nesting beyond the cap).
    fn skip_deeper(&mut self, parent: Option<usize>) -> YamlNode {
        let first = self.pos;
        while self.skip_blank() && parent.is_none_or(|p| self.lines[self.pos].indent > p) {
            let i = self.pos;
            self.bad(i);
        }
        YamlNode {
            value: YamlValue::Null,
            span: self.lines.get(first).map_or(Span::default(), |l| l.span),
        }
    }

    fn map(&mut self, indent: usize, depth: usize) -> YamlNode {
        let first = self.pos;
        let mut entries: Vec<(String, YamlNode)> = Vec::new();
        let mut merges: Vec<YamlNode> = Vec::new();
        while self.skip_blank() {
            let l = self.pos;
            if self.is_doc_marker(l) || self.lines[l].indent < indent {
                break;
            }
            let content = self.content(l);
            if self.lines[l].indent > indent || is_seq_text(content) {
                self.bad(l);
                continue;
            }
            let Some((key, rest)) = split_key(content) else {
                self.bad(l);
                continue;
            };
            self.consume(l);
            let rest_offset = self.lines[l].offset + self.lines[l].start + (content.len() - rest.len());
            let value = self.value_text(rest, rest_offset, l, Some(indent), depth);
            let node = YamlNode {
                value: value.value,
                span: self.span_from(l),
            };
            if key == "<<" {
                merges.push(node);
            } else {
                entries.push((key, node));
            }
        }
        for merge in merges {
            let sources: Vec<YamlNode> = match merge.value {
                YamlValue::Map(_) => vec![merge],
                YamlValue::Seq(items) => items,
                _ => Vec::new(),
            };
            for source in sources {
                if let YamlValue::Map(more) = source.value {
                    for (k, v) in more {
                        if !entries.iter().any(|(e, _)| *e == k) {
                            entries.push((k, v));
                        }
                    }
                }
            }
        }
        YamlNode {
            value: YamlValue::Map(entries),
            span: self.span_from(first),
        }
    }

    fn seq(&mut self, indent: usize, depth: usize) -> YamlNode {
        let first = self.pos;
        let mut items = Vec::new();
        while self.skip_blank() {
            let l = self.pos;
            if self.is_doc_marker(l) || self.lines[l].indent < indent {
                break;
            }
            if self.lines[l].indent > indent {
                self.bad(l);
                continue;
            }
            let content = self.content(l);
            if !is_seq_text(content) {
                break;
            }
            let after_dash = &content[1..];
            let rest = after_dash.trim_start();
            let rest_start = self.lines[l].start + 1 + (after_dash.len() - rest.len());
            if !rest.is_empty() && (split_key(rest).is_some() || is_seq_text(rest)) {
                // `- key: value` / `- - x`: the item is a block that starts on this very line, at
                // the column of its first character.
                self.lines[l].start = rest_start;
                self.lines[l].indent = rest_start;
                let value = self.node(Some(indent), depth + 1);
                items.push(YamlNode {
                    value: value.value,
                    span: self.span_from(l),
                });
                continue;
            }
            self.consume(l);
            let offset = self.lines[l].offset + rest_start;
            let value = self.value_text(rest, offset, l, Some(indent), depth);
            items.push(YamlNode {
                value: value.value,
                span: self.span_from(l),
            });
        }
        YamlNode {
            value: YamlValue::Seq(items),
            span: self.span_from(first),
        }
    }

    /// The value written after `key:` or `- ` on line `l` (`rest`, at byte `offset` of the text),
    /// or under it when `rest` is empty. `parent` is the indentation of the key or dash (`None`
    /// at the top level).
    fn value_text(&mut self, rest: &str, offset: usize, l: usize, parent: Option<usize>, depth: usize) -> YamlNode {
        let mut rest = rest.trim();
        let mut offset = offset;
        let mut anchor: Option<String> = None;
        // Anchors and tags before the value.
        while let Some(first) = rest.chars().next() {
            if first != '&' && first != '!' {
                break;
            }
            let word_end = rest.find([' ', '\t']).unwrap_or(rest.len());
            if first == '&' {
                anchor = Some(rest[1..word_end].to_string());
            }
            let after = rest[word_end..].trim_start();
            offset += rest.len() - after.len();
            rest = after;
        }
        let line_span = self.lines[l].span;
        let node = if rest.is_empty() {
            self.nested(parent, depth, line_span)
        } else if let Some(name) = rest.strip_prefix('*') {
            self.alias(name.trim(), line_span, depth)
        } else if rest.starts_with(['|', '>']) {
            self.block_scalar(rest, parent, line_span)
        } else if rest.starts_with(['[', '{', '"', '\'']) {
            self.flow(offset, l, parent, depth)
        } else {
            self.plain(rest, l, parent)
        };
        if let Some(name) = anchor {
            self.anchors.insert(name, node.clone());
        }
        node
    }

    /// The block under a key or dash with nothing after it.
    fn nested(&mut self, parent: Option<usize>, depth: usize, line_span: Span) -> YamlNode {
        let parent_indent = parent.unwrap_or(0);
        if self.skip_blank() && !self.is_doc_marker(self.pos) {
            let next = self.pos;
            let indent = self.lines[next].indent;
            let deeper = parent.is_none_or(|p| indent > p);
            // A sequence may sit at the same indentation as its key.
            let compact = parent.is_some() && indent == parent_indent && self.is_seq_item(next);
            if deeper || compact {
                return self.node(parent, depth + 1);
            }
        }
        YamlNode {
            value: YamlValue::Null,
            span: line_span,
        }
    }

    fn alias(&mut self, name: &str, line_span: Span, depth: usize) -> YamlNode {
        let room = MAX_TREE_DEPTH.saturating_sub(depth);
        if let Some(target) = self.anchors.get(name) {
            match target.size_within(self.alias_budget, room) {
                Some((count, _)) => {
                    self.alias_budget -= count;
                    return YamlNode {
                        value: target.value.clone(),
                        span: line_span,
                    };
                }
                // Out of budget: stop expanding aliases altogether (each check would cost as
                // much as the budget again).
                None => self.alias_budget = 0,
            }
        }
        YamlNode {
            value: YamlValue::Scalar(format!("*{name}")),
            span: line_span,
        }
    }

    /// `|`, `|-`, `>`, `>+`, `|2`... and the more-indented lines under it.
    fn block_scalar(&mut self, header: &str, parent: Option<usize>, line_span: Span) -> YamlNode {
        let folded = header.starts_with('>');
        let explicit: Option<usize> = header[1..]
            .chars()
            .find(|c| c.is_ascii_digit())
            .and_then(|c| c.to_digit(10))
            .map(|d| d as usize);
        let parent_indent = parent.unwrap_or(0);
        let mut content_indent: Option<usize> = explicit.map(|d| parent_indent + d);
        let mut parts: Vec<&str> = Vec::new();
        while self.pos < self.lines.len() {
            let i = self.pos;
            let raw = self.lines[i].raw;
            let lead = raw.len() - raw.trim_start_matches([' ', '\t']).len();
            if raw.trim().is_empty() {
                parts.push("");
                self.pos += 1;
                continue;
            }
            if parent.is_some() && lead <= parent_indent {
                break;
            }
            let indent = *content_indent.get_or_insert(lead);
            if lead < indent {
                break;
            }
            parts.push(raw.get(indent..).unwrap_or(raw.trim_start()));
            self.consume(i);
        }
        while parts.last() == Some(&"") {
            parts.pop();
        }
        let text = if folded {
            let mut out = String::new();
            for part in parts {
                if part.is_empty() {
                    out.push('\n');
                } else {
                    if !out.is_empty() && !out.ends_with('\n') {
                        out.push(' ');
                    }
                    out.push_str(part);
                }
            }
            out
        } else {
            parts.join("\n")
        };
        YamlNode {
            value: YamlValue::Scalar(text),
            span: line_span,
        }
    }

    /// A flow collection or quoted scalar starting at byte `offset`, possibly continued over
    /// the following lines until it closes. Read in one pass over the lines that may belong to
    /// it (deeper than `parent`, blank, or a closing bracket).
    fn flow(&mut self, offset: usize, l: usize, parent: Option<usize>, depth: usize) -> YamlNode {
        let mut last_candidate = l;
        while last_candidate + 1 < self.lines.len() {
            let next = last_candidate + 1;
            let fits = !self.is_doc_marker(next)
                && (parent.is_none_or(|p| self.lines[next].indent > p)
                    || self.is_blank(next)
                    || self.content(next).starts_with([']', '}']));
            if !fits {
                break;
            }
            last_candidate = next;
        }
        let region_end = self.lines[last_candidate].offset + self.lines[last_candidate].raw.len();
        let text = self.text.get(offset..region_end).unwrap_or("");
        let read = json_lite::read_flow(text, self.base + offset);
        // Consume the lines the value covers.
        let value_end = offset + read.end;
        let mut end_line = l;
        while end_line < last_candidate && self.lines[end_line + 1].offset < value_end {
            end_line += 1;
        }
        for i in l..=end_line {
            if i == l || !self.is_blank(i) {
                self.consume(i);
            }
        }
        let Some(value) = read.value else {
            return YamlNode {
                value: YamlValue::Null,
                span: self.lines[l].span,
            };
        };
        let multi_line_string = end_line > l && matches!(value.value, JsonValue::String(_));
        let mut node = self.convert_flow(value, depth);
        if multi_line_string && let YamlValue::Scalar(s) = &mut node.value {
            // A quoted scalar over several lines folds its line breaks into spaces.
            *s = s.split('\n').map(str::trim).collect::<Vec<_>>().join(" ");
        }
        node
    }

    /// A plain scalar, continued on more-indented lines.
    fn plain(&mut self, first: &str, l: usize, parent: Option<usize>) -> YamlNode {
        let mut text = first.to_string();
        while let Some(p) = parent {
            if !self.skip_blank() || self.is_doc_marker(self.pos) || self.lines[self.pos].indent <= p {
                break;
            }
            // A plain scalar cannot hold `key: value`: such a line is a misplaced entry.
            if split_key(self.content(self.pos)).is_some() {
                break;
            }
            let i = self.pos;
            text.push(' ');
            text.push_str(self.content(i).trim_start());
            self.consume(i);
        }
        let value = match text.as_str() {
            "~" | "null" | "Null" | "NULL" => YamlValue::Null,
            _ => YamlValue::Scalar(text),
        };
        YamlNode {
            value,
            span: self.lines[l].span,
        }
    }

    /// Converts a flow value, resolving `*alias` words.
    fn convert_flow(&mut self, node: JsonNode, depth: usize) -> YamlNode {
        let span = node.span;
        let value = match node.value {
            JsonValue::Null => YamlValue::Null,
            JsonValue::Bool(b) => YamlValue::Scalar(b.to_string()),
            JsonValue::Number(s) | JsonValue::String(s) => YamlValue::Scalar(s),
            JsonValue::Bare(s) => match s.strip_prefix('*') {
                Some(name) => return self.alias(name, span, depth),
                None => YamlValue::Scalar(s),
            },
            JsonValue::Array(items) => {
                YamlValue::Seq(items.into_iter().map(|i| self.convert_flow(i, depth + 1)).collect())
            }
            JsonValue::Object(entries) => YamlValue::Map(
                entries
                    .into_iter()
                    .map(|(k, v)| (k, self.convert_flow(v, depth + 1)))
                    .collect(),
            ),
        };
        YamlNode { value, span }
    }
}

/// The non-blank, non-comment lines of `text` (at `base`) that overlap any of `spans` (node
/// spans, bad lines), in text order: turns node spans into unread lines in one pass.
pub fn lines_within(text: &str, base: usize, spans: &mut [Span]) -> Vec<Span> {
    crate::sort::ascending(spans);
    let mut out = Vec::new();
    let mut i = 0;
    for line in lines(text, base) {
        // Spans ending before this line are done with; the next one holds it or none does.
        while i < spans.len() && spans[i].end < line.span.start {
            i += 1;
        }
        let Some(span) = spans.get(i) else { break };
        let t = line.text.trim();
        if span.start <= line.span.end && !t.is_empty() && !t.starts_with('#') {
            out.push(line.span);
        }
    }
    out
}

/// True for `-` and `- ...` (a sequence item).
fn is_seq_text(content: &str) -> bool {
    content == "-" || content.starts_with("- ") || content.starts_with("-\t")
}

/// Cuts a trailing comment (`#` at the start or after whitespace, outside quotes).
pub fn strip_comment(text: &str) -> &str {
    let bytes = text.as_bytes();
    let mut quote: Option<u8> = None;
    let mut escaped = false;
    for (i, &b) in bytes.iter().enumerate() {
        if escaped {
            escaped = false;
            continue;
        }
        match quote {
            Some(b'"') if b == b'\\' => escaped = true,
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None => {
                let after_gap = i == 0 || matches!(bytes[i - 1], b' ' | b'\t' | b'[' | b'{' | b',' | b':');
                if (b == b'"' || b == b'\'') && after_gap {
                    quote = Some(b);
                } else if b == b'#' && (i == 0 || matches!(bytes[i - 1], b' ' | b'\t')) {
                    return &text[..i];
                }
            }
        }
    }
    text
}

/// Splits `key: value` (or `key:` at the end) into the key (quotes removed) and the rest.
/// `None` when the text is not a mapping entry.
pub fn split_key(content: &str) -> Option<(String, &str)> {
    let c = content;
    if c.is_empty() || is_seq_text(c) {
        return None;
    }
    if c.starts_with(['"', '\'']) {
        let quote = c.as_bytes()[0] as char;
        let close = c[1..].find(quote)? + 1;
        let after = c[close + 1..].trim_start();
        let rest = after.strip_prefix(':')?;
        if !rest.is_empty() && !rest.starts_with([' ', '\t']) {
            return None;
        }
        return Some((c[1..close].to_string(), rest.trim_start()));
    }
    if c.starts_with(['[', '{', '#', '&', '*', '!', '|', '>', '%', '@', '`', '?']) {
        return None;
    }
    let bytes = c.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b':' {
            let next = bytes.get(i + 1);
            if next.is_none() || matches!(next, Some(b' ' | b'\t')) {
                let key = c[..i].trim_end();
                if key.is_empty() || key.contains(" #") {
                    return None;
                }
                return Some((key.to_string(), c[i + 1..].trim_start()));
            }
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> YamlNode {
        let read = read(text, 0);
        assert!(read.bad.is_empty(), "bad lines {:?} in {text}", read.bad);
        read.docs.into_iter().next().unwrap()
    }

    fn strs(node: &YamlNode) -> Vec<&str> {
        node.items().iter().filter_map(YamlNode::as_str).collect()
    }

    #[test]
    fn reads_nested_maps_and_sequences() {
        let d = doc(
            "version: '3.8'\nservices:\n  web:\n    image: \"nginx:1.25\"   # pinned\n    ports:\n      - \"8080:80\"\n      - 127.0.0.1:8443:443\n    depends_on: [app, db]\n  app:\n    ports:\n    - target: 8000\n      published: 8000\n",
        );
        assert_eq!(d.get("version").unwrap().as_str(), Some("3.8"));
        let web = d.get("services").unwrap().get("web").unwrap();
        assert_eq!(web.get("image").unwrap().as_str(), Some("nginx:1.25"));
        assert_eq!(strs(web.get("ports").unwrap()), vec!["8080:80", "127.0.0.1:8443:443"]);
        assert_eq!(strs(web.get("depends_on").unwrap()), vec!["app", "db"]);
        let app = d.get("services").unwrap().get("app").unwrap();
        let port = &app.get("ports").unwrap().items()[0];
        assert_eq!(port.get("published").unwrap().as_str(), Some("8000"));
        assert_eq!(port.get("target").unwrap().as_str(), Some("8000"));
    }

    #[test]
    fn entry_spans_cover_their_lines() {
        let text = "a:\n  b: 1\n  c:\n    - x\n    - y\nd: 2\n";
        let d = doc(text);
        let c = d.get("a").unwrap().get("c").unwrap();
        assert_eq!(c.span.text(text), "  c:\n    - x\n    - y");
        assert_eq!(d.get("d").unwrap().span.text(text), "d: 2");
    }

    #[test]
    fn reads_block_scalars_anchors_and_merges() {
        let d = doc(
            "x-common: &common\n  restart: always\n  networks: [front]\nservices:\n  web:\n    <<: *common\n    restart: \"no\"\n    command: >\n      gunicorn app:app\n      --bind 0.0.0.0:8000\n    entrypoint: |\n      #!/bin/sh\n      exec \"$@\"\n",
        );
        let web = d.get("services").unwrap().get("web").unwrap();
        assert_eq!(web.get("restart").unwrap().as_str(), Some("no"));
        assert_eq!(strs(web.get("networks").unwrap()), vec!["front"]);
        assert_eq!(
            web.get("command").unwrap().as_str(),
            Some("gunicorn app:app --bind 0.0.0.0:8000")
        );
        assert_eq!(web.get("entrypoint").unwrap().as_str(), Some("#!/bin/sh\nexec \"$@\""));
    }

    #[test]
    fn reads_multi_line_flow_and_json_documents() {
        let d = doc("ports: [\n  \"80:80\",\n  \"443:443\"\n]\nname: x\n");
        assert_eq!(strs(d.get("ports").unwrap()), vec!["80:80", "443:443"]);
        assert_eq!(d.get("name").unwrap().as_str(), Some("x"));
        let j = doc("{\n  \"kind\": \"Endpoints\",\n  \"subsets\": []\n}\n");
        assert_eq!(j.get("kind").unwrap().as_str(), Some("Endpoints"));
    }

    #[test]
    fn splits_documents_and_reports_bad_lines() {
        let read = read("here is my file\n---\na: 1\n   b: 2\n---\nc: 3\n", 0);
        assert_eq!(read.docs.len(), 2);
        assert_eq!(read.bad.len(), 2);
        assert_eq!(read.docs[1].get("c").unwrap().as_str(), Some("3"));
    }

    #[test]
    fn plain_scalars_keep_colons_and_hashes() {
        let d = doc("url: http://x:80/#frag\nkey: a # comment\ncmd: [\"sh\", \"-c\", \"echo '#'\"]\n");
        assert_eq!(d.get("url").unwrap().as_str(), Some("http://x:80/#frag"));
        assert_eq!(d.get("key").unwrap().as_str(), Some("a"));
        assert_eq!(strs(d.get("cmd").unwrap()), vec!["sh", "-c", "echo '#'"]);
    }

    #[test]
    fn hostile_inputs_stay_bounded() {
        let deep: String = (0..600).map(|i| format!("{}k{i}:\n", " ".repeat(i))).collect();
        let read = read(&deep, 0);
        assert!(!read.bad.is_empty());
        let mut laughs = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 0..20 {
            let prev = if i == 0 { "a".to_string() } else { format!("l{}", i - 1) };
            laughs.push_str(&format!("l{i}: &l{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
        }
        let _ = super::read(&laughs, 0);
        for odd in [
            "- - - -",
            "-",
            ":",
            "a: |",
            "a: >-\n",
            "\"a\": \"b",
            "- [",
            "? x",
            "a: &",
            "a: *",
        ] {
            let _ = super::read(odd, 0);
        }
    }
}

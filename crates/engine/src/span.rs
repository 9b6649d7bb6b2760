//! Byte ranges into a paste, the line arithmetic used only when rendering them, and the byte-level
//! text tests line readers share (trims, case-blind search, the rarity of bytes in log text).

use serde::{Deserialize, Serialize};

/// A half-open byte range `[start, end)` into the text of one paste.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Span {
    /// First byte of the range.
    pub start: usize,
    /// One past the last byte of the range.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end` (swapped if given in the wrong order).
    pub fn new(start: usize, end: usize) -> Self {
        if start <= end {
            Span { start, end }
        } else {
            Span { start: end, end: start }
        }
    }

    /// Number of bytes covered.
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    /// True when the span covers no byte.
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// The smallest span covering both.
    pub fn join(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    /// This span moved by `base` bytes (a piece-relative span made paste-relative).
    pub fn offset(self, base: usize) -> Span {
        Span {
            start: self.start + base,
            end: self.end + base,
        }
    }

    /// The text under the span, or "" when it does not fit `text` or cuts a character.
    pub fn text<'a>(&self, text: &'a str) -> &'a str {
        text.get(self.start..self.end).unwrap_or("")
    }

    /// True when `other` lies inside this span.
    pub fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
}

/// One line of a text: its span (without the line break) and its text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Line<'a> {
    /// Span of the line's content, line break excluded, relative to the text given to [`lines`].
    pub span: Span,
    /// The line's content, without `\n` or `\r\n`.
    pub text: &'a str,
}

/// Iterates over the lines of `text`, with spans shifted by `base`. A final line without a line
/// break is included; an empty text yields nothing.
pub fn lines(text: &str, base: usize) -> impl Iterator<Item = Line<'_>> + '_ {
    let mut pos = 0;
    std::iter::from_fn(move || {
        if pos >= text.len() {
            return None;
        }
        let rest = &text[pos..];
        let (content_len, advance) = match memchr::memchr(b'\n', rest.as_bytes()) {
            Some(i) => (i, i + 1),
            None => (rest.len(), rest.len()),
        };
        let mut content = &rest[..content_len];
        if let Some(stripped) = content.strip_suffix('\r') {
            content = stripped;
        }
        let line = Line {
            span: Span::new(base + pos, base + pos + content.len()),
            text: content,
        };
        pos += advance;
        Some(line)
    })
}

/// `text` without leading whitespace, as [`str::trim_start`] (Unicode whitespace) but deciding
/// ASCII bytes without decoding them: most lines start with ASCII.
pub fn trim_start(text: &str) -> &str {
    let ascii = text.trim_ascii_start();
    match ascii.as_bytes().first() {
        Some(&b) if b >= 0x80 || b == b'\x0B' => ascii.trim_start(),
        _ => ascii,
    }
}

/// `text` without trailing whitespace, as [`str::trim_end`], deciding ASCII bytes directly.
pub fn trim_end(text: &str) -> &str {
    let ascii = text.trim_ascii_end();
    match ascii.as_bytes().last() {
        Some(&b) if b >= 0x80 || b == b'\x0B' => ascii.trim_end(),
        _ => ascii,
    }
}

/// `text` without leading and trailing whitespace, as [`str::trim`], deciding ASCII bytes
/// directly.
pub fn trim(text: &str) -> &str {
    trim_end(trim_start(text))
}

/// True when `text` is empty or only whitespace.
pub fn is_blank(text: &str) -> bool {
    trim_start(text).is_empty()
}

/// `text.to_ascii_lowercase().contains(lower)` for a `lower` written in lower case, without
/// the copy and the two-way searcher `contains` sets up per call: a scan for `lower`'s first
/// byte in either case and a compare. Line recognisers ask it of lines of any kind.
#[inline]
pub fn contains_ignore_ascii_case(text: &str, lower: &str) -> bool {
    contains_ignore_ascii_case_at(text, lower, anchor(lower.as_bytes()))
}

/// [`contains_ignore_ascii_case`] looking for the byte `lower[k]` first (a table of phrases
/// computes each phrase's [`anchor`] once, at compile time).
pub(crate) fn contains_ignore_ascii_case_at(text: &str, lower: &str, k: usize) -> bool {
    debug_assert!(
        !lower.bytes().any(|b| b.is_ascii_uppercase()),
        "{lower} is not lower case"
    );
    let (bytes, needle) = (text.as_bytes(), lower.as_bytes());
    if needle.is_empty() {
        return true;
    }
    if bytes.len() < needle.len() {
        return false;
    }
    let k = if k < needle.len() { k } else { 0 };
    // Look for the needle's rarest byte (in either case), then compare around it.
    let (low, up) = (needle[k], needle[k].to_ascii_uppercase());
    let last = bytes.len() - needle.len() + k;
    let mut from = k;
    while from <= last {
        let Some(i) = memchr::memchr2(low, up, &bytes[from..=last]) else {
            return false;
        };
        let at = from + i - k;
        if bytes[at..at + needle.len()].eq_ignore_ascii_case(needle) {
            return true;
        }
        from = from + i + 1;
    }
    false
}

/// The byte of `sep` to look for: the rarest in log text (the first of the rarest). Inlined so
/// that for a literal `sep` it is computed at compile time.
#[inline(always)]
pub(crate) const fn anchor(sep: &[u8]) -> usize {
    let mut best = 0;
    let mut i = 1;
    while i < sep.len() {
        if RARITY[sep[i] as usize] > RARITY[sep[best] as usize] {
            best = i;
        }
        i += 1;
    }
    best
}

/// How rare each byte is in log lines, higher being rarer: the bytes of `COMMON` from the most
/// common on, every other byte rarest.
const RARITY: [u8; 256] = {
    const COMMON: &[u8] = b" etaoinsrhldcupmfgywb0123456789.,:/-\"vkTSEACROIN";
    let mut rarity = [u8::MAX; 256];
    let mut i = 0;
    while i < COMMON.len() {
        rarity[COMMON[i] as usize] = i as u8;
        i += 1;
    }
    rarity
};

/// Maps byte offsets of one text to 1-based line numbers.
#[derive(Clone, Debug, Default)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes the line starts of `text`.
    pub fn new(text: &str) -> Self {
        // Counted first (a fast scan) so the index is allocated once at its size: held for the
        // whole diagnosis next to the paste, without growth slack or copies while it grows.
        let bytes = text.as_bytes();
        let mut starts = Vec::with_capacity(memchr::memchr_iter(b'\n', bytes).count() + 1);
        starts.push(0);
        starts.extend(memchr::memchr_iter(b'\n', bytes).map(|i| i + 1));
        LineIndex { starts }
    }

    /// The 1-based line holding byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(i) => i + 1,
            Err(i) => i,
        }
    }

    /// Number of lines a span covers, at least 1.
    pub fn line_count(&self, span: Span) -> usize {
        let last = if span.end > span.start {
            span.end - 1
        } else {
            span.start
        };
        self.line_of(last) - self.line_of(span.start) + 1
    }

    /// The span of the whole 1-based line `line` in `text` (line break excluded).
    pub fn line_span(&self, text: &str, line: usize) -> Span {
        let start = self.starts.get(line.saturating_sub(1)).copied().unwrap_or(text.len());
        let end = self.starts.get(line).map(|&s| s - 1).unwrap_or(text.len());
        let end = if end > start && text.as_bytes().get(end - 1) == Some(&b'\r') {
            end - 1
        } else {
            end
        };
        Span::new(start, end.max(start))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_strip_breaks_and_keep_offsets() {
        let text = "a\r\nbb\n\nccc";
        let got: Vec<_> = lines(text, 10).map(|l| (l.span.start, l.span.end, l.text)).collect();
        assert_eq!(got, vec![(10, 11, "a"), (13, 15, "bb"), (16, 16, ""), (17, 20, "ccc")]);
    }

    #[test]
    fn line_index_finds_lines() {
        let text = "one\ntwo\nthree";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_of(0), 1);
        assert_eq!(idx.line_of(3), 1);
        assert_eq!(idx.line_of(4), 2);
        assert_eq!(idx.line_of(9), 3);
        assert_eq!(idx.line_span(text, 2).text(text), "two");
        assert_eq!(idx.line_count(Span::new(0, 7)), 2);
    }

    #[test]
    fn trims_as_the_standard_library_does() {
        let samples = [
            "",
            "   ",
            "  a b  ",
            "\t\x0B\x0C\r\n x \x0B",
            "\u{a0}\u{2003} nbsp \u{3000}",
            " \u{a0}x\u{a0} ",
            "é",
            " \x0Bé\u{85}",
        ];
        for s in samples {
            assert_eq!(trim_start(s), s.trim_start(), "{s:?}");
            assert_eq!(trim_end(s), s.trim_end(), "{s:?}");
            assert_eq!(trim(s), s.trim(), "{s:?}");
            assert_eq!(is_blank(s), s.trim().is_empty(), "{s:?}");
        }
    }

    #[test]
    fn finds_lower_case_phrases_as_a_lowered_copy_would() {
        let texts = [
            "",
            "a",
            "Ray ID: 8f",
            "RAY ID:",
            "x ray id",
            "rray id:",
            "ÉRay ID: é",
            "ray i",
            "aAbB",
        ];
        let needles = ["ray id:", "a", "ab", "é", "ray id", "ray id: 8f", "bb"];
        for text in texts {
            for needle in needles {
                assert_eq!(
                    contains_ignore_ascii_case(text, needle),
                    text.to_ascii_lowercase().contains(needle),
                    "{text:?} {needle:?}"
                );
            }
        }
    }

    #[test]
    fn span_text_never_panics() {
        assert_eq!(Span::new(5, 50).text("abc"), "");
        assert_eq!(Span::new(0, 1).text("é"), "");
    }
}

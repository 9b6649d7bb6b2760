//! Line arithmetic for the paste views (the same line numbering as the engine: 1-based, `\n`
//! separated, a final line without a line break counts, `\r` dropped).

/// Byte offset of the start of every line.
pub fn starts(text: &str) -> Vec<usize> {
    if text.is_empty() {
        return Vec::new();
    }
    let mut out = vec![0];
    out.extend(
        text.bytes()
            .enumerate()
            .filter(|&(i, b)| b == b'\n' && i + 1 < text.len())
            .map(|(i, _)| i + 1),
    );
    out
}

/// Number of lines.
pub fn count(text: &str) -> usize {
    if text.is_empty() {
        0
    } else {
        text.bytes().filter(|&b| b == b'\n').count() + usize::from(!text.ends_with('\n'))
    }
}

/// Line `n` (1-based) without its line break; "" past the end.
pub fn line<'a>(text: &'a str, starts: &[usize], n: usize) -> &'a str {
    let Some(&start) = n.checked_sub(1).and_then(|i| starts.get(i)) else {
        return "";
    };
    let end = starts.get(n).map_or(text.len(), |&next| next - 1);
    text.get(start..end).unwrap_or("").trim_end_matches('\r')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_lines_like_the_engine() {
        let text = "a\r\nbb\n\nc";
        let s = starts(text);
        assert_eq!(s.len(), 4);
        assert_eq!(count(text), 4);
        assert_eq!(
            (1..=5).map(|n| line(text, &s, n)).collect::<Vec<_>>(),
            vec!["a", "bb", "", "c", ""]
        );
        assert_eq!(count("x\n"), 1);
        assert_eq!(starts("x\n"), vec![0]);
        assert!(starts("").is_empty());
    }

    #[test]
    fn agrees_with_the_engine_on_line_numbers() {
        let text = "one\ntwo\r\nthree\n\nfive";
        let index = engine::span::LineIndex::new(text);
        let s = starts(text);
        for (n, &start) in s.iter().enumerate() {
            assert_eq!(index.line_of(start), n + 1);
        }
    }
}

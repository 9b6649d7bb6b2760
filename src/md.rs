//! The small Markdown subset of the knowledge pages and fixes, parsed into blocks and inline
//! runs (rendered to Yew nodes by `components::markdown`, never to HTML text: nothing in a page
//! or a paste can become markup).
//!
//! Blocks: headings, paragraphs, fenced code (with a language), bullet and numbered lists.
//! Inline: `code`, **strong**, *emphasis*, [links](https://...).

/// A block of a Markdown text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    /// `#`..`######` heading: level and text.
    Heading(u8, String),
    /// A paragraph (its lines joined).
    Para(String),
    /// A fenced code block: language (may be empty) and text.
    Code { lang: String, text: String },
    /// A list: numbered or not, its items' text.
    List { ordered: bool, items: Vec<String> },
}

/// An inline run of text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Inline {
    /// Plain text.
    Text(String),
    /// `code`.
    Code(String),
    /// **strong**.
    Strong(String),
    /// *emphasis*.
    Em(String),
    /// A link: text and target.
    Link { text: String, href: String },
}

/// Parses a Markdown text into blocks.
pub fn blocks(text: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut para: Vec<&str> = Vec::new();
    let mut list: Option<(bool, Vec<String>)> = None;
    let mut lines = text.lines().peekable();
    let flush_para = |para: &mut Vec<&str>, out: &mut Vec<Block>| {
        if !para.is_empty() {
            out.push(Block::Para(para.join(" ")));
            para.clear();
        }
    };
    let flush_list = |list: &mut Option<(bool, Vec<String>)>, out: &mut Vec<Block>| {
        if let Some((ordered, items)) = list.take() {
            out.push(Block::List { ordered, items });
        }
    };
    while let Some(line) = lines.next() {
        let trimmed = line.trim_start();
        if let Some(fence) = fence_of(trimmed) {
            flush_para(&mut para, &mut out);
            flush_list(&mut list, &mut out);
            let lang = trimmed[fence.len()..].trim().to_string();
            let mut body = Vec::new();
            for l in lines.by_ref() {
                if l.trim_start().starts_with(fence) && l.trim().chars().all(|c| c == '`' || c == '~') {
                    break;
                }
                body.push(l);
            }
            out.push(Block::Code {
                lang,
                text: body.join("\n"),
            });
            continue;
        }
        if trimmed.is_empty() {
            flush_para(&mut para, &mut out);
            flush_list(&mut list, &mut out);
            continue;
        }
        if let Some((level, heading)) = heading_of(trimmed) {
            flush_para(&mut para, &mut out);
            flush_list(&mut list, &mut out);
            out.push(Block::Heading(level, heading.to_string()));
            continue;
        }
        if let Some((ordered, item)) = item_of(trimmed) {
            flush_para(&mut para, &mut out);
            if list.as_ref().is_some_and(|(o, _)| *o != ordered) {
                flush_list(&mut list, &mut out);
            }
            list.get_or_insert_with(|| (ordered, Vec::new()))
                .1
                .push(item.to_string());
            continue;
        }
        if let Some((_, items)) = &mut list
            && line.starts_with(' ')
            && let Some(last) = items.last_mut()
        {
            // A continuation line of a list item.
            last.push(' ');
            last.push_str(trimmed);
            continue;
        }
        flush_list(&mut list, &mut out);
        para.push(trimmed.trim_end());
    }
    flush_para(&mut para, &mut out);
    flush_list(&mut list, &mut out);
    out
}

fn fence_of(line: &str) -> Option<&'static str> {
    ["````", "```", "~~~"].into_iter().find(|f| line.starts_with(f))
}

fn heading_of(line: &str) -> Option<(u8, &str)> {
    let level = line.bytes().take_while(|&b| b == b'#').count();
    (1..=6)
        .contains(&level)
        .then(|| line[level..].strip_prefix(' ').map(|t| (level as u8, t.trim())))
        .flatten()
}

fn item_of(line: &str) -> Option<(bool, &str)> {
    if let Some(rest) = line.strip_prefix("- ").or_else(|| line.strip_prefix("* ")) {
        return Some((false, rest));
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    (digits > 0)
        .then(|| line[digits..].strip_prefix(". ").map(|rest| (true, rest)))
        .flatten()
}

/// Parses the inline runs of a block's text.
pub fn inlines(text: &str) -> Vec<Inline> {
    let mut out = Vec::new();
    let mut plain = String::new();
    let mut rest = text;
    let push_plain = |plain: &mut String, out: &mut Vec<Inline>| {
        if !plain.is_empty() {
            out.push(Inline::Text(std::mem::take(plain)));
        }
    };
    while let Some(c) = rest.chars().next() {
        let found = match c {
            '`' => {
                let ticks = rest.bytes().take_while(|&b| b == b'`').count();
                let fence = &rest[..ticks];
                rest[ticks..].find(fence).map(|end| {
                    let code = rest[ticks..ticks + end].trim().to_string();
                    (Inline::Code(code), ticks * 2 + end)
                })
            }
            '*' if rest.starts_with("**") => rest[2..]
                .find("**")
                .filter(|&e| e > 0)
                .map(|e| (Inline::Strong(rest[2..2 + e].to_string()), e + 4)),
            '*' | '_' => {
                let after = &rest[1..];
                after
                    .find(c)
                    .filter(|&e| e > 0 && !after.starts_with(' ') && !after[..e].ends_with(' '))
                    .filter(|_| plain.is_empty() || plain.ends_with(|p: char| !p.is_alphanumeric()))
                    .map(|e| (Inline::Em(after[..e].to_string()), e + 2))
            }
            '[' => rest.find("](").and_then(|mid| {
                let close = rest[mid + 2..].find(')')?;
                let href = &rest[mid + 2..mid + 2 + close];
                Some((
                    Inline::Link {
                        text: rest[1..mid].to_string(),
                        href: href.to_string(),
                    },
                    mid + 3 + close,
                ))
            }),
            _ => None,
        };
        match found {
            Some((inline, len)) => {
                push_plain(&mut plain, &mut out);
                out.push(inline);
                rest = &rest[len..];
            }
            None => {
                plain.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    push_plain(&mut plain, &mut out);
    out
}

/// The text of a Markdown string without its markup (for search).
pub fn plain_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for block in blocks(text) {
        let t = match block {
            Block::Heading(_, t) | Block::Para(t) => t,
            Block::Code { text, .. } => text,
            Block::List { items, .. } => items.join(" "),
        };
        for i in inlines(&t) {
            match i {
                Inline::Text(s) | Inline::Code(s) | Inline::Strong(s) | Inline::Em(s) => out.push_str(&s),
                Inline::Link { text, .. } => out.push_str(&text),
            }
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_blocks_of_a_page() {
        let md = "Start PHP-FPM, and\nmake it start at boot.\n\n**Debian/Ubuntu**\n\n```sh\nsystemctl enable --now php8.3-fpm\n```\n- [nginx](https://nginx.org/)\n- two\n  continued\n1. first\n\n### Sub\ntext";
        assert_eq!(
            blocks(md),
            vec![
                Block::Para("Start PHP-FPM, and make it start at boot.".into()),
                Block::Para("**Debian/Ubuntu**".into()),
                Block::Code {
                    lang: "sh".into(),
                    text: "systemctl enable --now php8.3-fpm".into()
                },
                Block::List {
                    ordered: false,
                    items: vec!["[nginx](https://nginx.org/)".into(), "two continued".into()]
                },
                Block::List {
                    ordered: true,
                    items: vec!["first".into()]
                },
                Block::Heading(3, "Sub".into()),
                Block::Para("text".into()),
            ]
        );
    }

    #[test]
    fn parses_inline_runs() {
        assert_eq!(
            inlines("run `php-fpm -t` **now**, see [docs](https://php.net/) and *why*; a_b_c"),
            vec![
                Inline::Text("run ".into()),
                Inline::Code("php-fpm -t".into()),
                Inline::Text(" ".into()),
                Inline::Strong("now".into()),
                Inline::Text(", see ".into()),
                Inline::Link {
                    text: "docs".into(),
                    href: "https://php.net/".into()
                },
                Inline::Text(" and ".into()),
                Inline::Em("why".into()),
                Inline::Text("; a_b_c".into()),
            ]
        );
        assert_eq!(inlines("a ``x ` y`` b")[1], Inline::Code("x ` y".into()));
        assert_eq!(
            inlines("<script>alert(1)</script>"),
            vec![Inline::Text("<script>alert(1)</script>".into())]
        );
    }

    #[test]
    fn unclosed_code_fences_run_to_the_end() {
        assert_eq!(
            blocks("```\nno end"),
            vec![Block::Code {
                lang: String::new(),
                text: "no end".into()
            }]
        );
    }
}

//! The parsers, line recognisers and block scorers of the PHP-FPM, access-log, app-server,
//! ingress and error-page kinds on hostile input: the fixtures cut at many places, with odd
//! characters spliced in (multi-byte ones next to fixed offsets), and degenerate lines. Nothing
//! may panic, and every span must lie inside the piece.

use engine::Kind;
use engine::parse::registry::SPECS;
use engine::parse::{ParseContext, parse};

const KINDS: &[Kind] = &[
    Kind::NginxAccessLog,
    Kind::PhpFpmConfig,
    Kind::PhpFpmLog,
    Kind::PhpFpmSlowlog,
    Kind::PhpVersion,
    Kind::GunicornLog,
    Kind::UwsgiLog,
    Kind::NodeLog,
    Kind::IngressControllerLog,
    Kind::ErrorPage,
];

fn fixture_texts() -> Vec<String> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/parse");
    let mut texts = Vec::new();
    for dir in std::fs::read_dir(root).unwrap() {
        let dir = dir.unwrap().path();
        for file in std::fs::read_dir(dir).unwrap() {
            let file = file.unwrap().path();
            if file.extension().is_some_and(|e| e == "txt") {
                texts.push(String::from_utf8_lossy(&std::fs::read(file).unwrap()).into_owned());
            }
        }
    }
    texts
}

fn check(text: &str) {
    let base = 7;
    let lines: Vec<&str> = text.lines().collect();
    for spec in SPECS.iter().filter(|s| KINDS.contains(&s.kind)) {
        let cx = ParseContext::new(text, base);
        let parsed = parse(spec.kind, &cx);
        for span in parsed.unread.iter().chain(parsed.facts.iter().map(|f| &f.span)) {
            assert!(
                span.start >= base && span.end <= base + text.len(),
                "{:?} out of piece",
                spec.kind
            );
        }
        let _ = (spec.block)(&lines);
        if let Some(line) = spec.line {
            for l in &lines {
                let _ = line(l);
            }
        }
    }
}

#[test]
fn parsers_never_panic() {
    let odd = ["é", "\u{feff}", "\"", " | ", "日本"];
    for text in fixture_texts() {
        let boundaries: Vec<usize> = (0..=text.len()).filter(|&i| text.is_char_boundary(i)).collect();
        let step = (boundaries.len() / 4).max(1);
        for &cut in boundaries.iter().step_by(step) {
            check(&text[..cut]);
            check(&text[cut..]);
            for o in odd {
                check(&format!("{}{o}{}", &text[..cut], &text[cut..]));
            }
        }
    }
    for degenerate in [
        "", "\n", "\n\n\n", " ", "{", "[]", "[0x] ()", "<", "<a", "PHP ", "W1121 ", "0|a|", "$ ", "# ",
    ] {
        check(degenerate);
    }
}

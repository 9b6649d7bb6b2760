//! No input makes the engine panic, overflow its stack or hang: arbitrary strings (property
//! tests), every kind forced on text that is not of that kind, 10,000 nested braces, a 10 MB
//! single line, and mixtures of real artifact lines shuffled and cut at random places.

use engine::{Answers, Kind, Paste};
use proptest::prelude::*;

/// Diagnoses the text as a paste of every kind (forced) and as detected.
fn run_every_kind(text: &str) {
    let _ = engine::diagnose(&[Paste::new("p", text)], &Answers::default());
    for &kind in Kind::ALL {
        let _ = engine::inspect(&[Paste::new("p", text).with_kind(kind)]);
    }
}

/// Lines of real artifacts: the parse fixtures.
fn fixture_lines() -> Vec<String> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/parse");
    let mut lines = Vec::new();
    for dir in std::fs::read_dir(root).unwrap().flatten() {
        for file in std::fs::read_dir(dir.path()).unwrap().flatten() {
            if file.path().extension().is_some_and(|e| e == "txt") {
                let text = String::from_utf8_lossy(&std::fs::read(file.path()).unwrap()).into_owned();
                lines.extend(text.lines().map(str::to_string));
            }
        }
    }
    lines
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn any_string_is_read_without_panic(text in "\\PC*") {
        run_every_kind(&text);
    }

    #[test]
    fn any_bytes_are_read_without_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let text = String::from_utf8_lossy(&bytes);
        run_every_kind(&text);
    }

    #[test]
    fn shuffled_and_cut_real_lines_are_read_without_panic(
        picks in proptest::collection::vec((any::<prop::sample::Index>(), any::<prop::sample::Index>(), 0u8..4), 1..40)
    ) {
        let lines = fixture_lines();
        let mut text = String::new();
        for (line, cut, how) in picks {
            let line = line.get(&lines);
            let at = cut.index(line.len() + 1);
            let at = (0..=at).rev().find(|&i| line.is_char_boundary(i)).unwrap_or(0);
            match how {
                0 => text.push_str(line),
                1 => text.push_str(&line[..at]),
                2 => { text.push_str(&line[at..]); text.push_str(" {"); }
                _ => { text.push_str(&line[..at]); text.push_str("\"}"); }
            }
            text.push('\n');
        }
        run_every_kind(&text);
    }
}

#[test]
fn ten_thousand_nested_braces() {
    let mut text = String::new();
    for _ in 0..10_000 {
        text.push_str("location / {\n");
    }
    text.push_str("proxy_pass http://127.0.0.1:8000;\n");
    for _ in 0..10_000 {
        text.push_str("}\n");
    }
    run_every_kind(&text);
    run_every_kind(&"{".repeat(10_000));
    run_every_kind(&"}".repeat(10_000));
    run_every_kind(&"\"".repeat(10_001));
}

#[test]
fn ten_megabyte_single_line() {
    let line = "a".repeat(10 * 1024 * 1024);
    run_every_kind(&line);
    let log_like = format!(
        "2026/11/21 10:00:00 [error] 1#1: *1 {} while connecting to upstream",
        "x, client: ".repeat(900_000)
    );
    run_every_kind(&log_like);
    let config_like = format!("server {{ proxy_pass {}; }}", "$a".repeat(5_000_000));
    run_every_kind(&config_like);
}

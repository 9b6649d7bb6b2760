//! Parser fixtures, data-driven: every `fixtures/parse/<kind>/<case>.txt` is read through
//! `engine::inspect` (kind detected, not forced) and compared with `<case>.expect.json`, the
//! artifacts as read: kind, lines, facts with spans, unread lines. The folder names the kind the
//! first artifact must have. `UPDATE_EXPECT=1 cargo test -p gateway-doctor-engine --test
//! parse_fixtures` writes the expectations (review the diff before committing).

use std::path::{Path, PathBuf};

use engine::{Kind, Paste};
use serde_json::{Value, json};

fn cases(root: &Path) -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    for kind_dir in std::fs::read_dir(root).unwrap() {
        let kind_dir = kind_dir.unwrap().path();
        if !kind_dir.is_dir() {
            continue;
        }
        let kind = kind_dir.file_name().unwrap().to_string_lossy().to_string();
        for file in std::fs::read_dir(&kind_dir).unwrap() {
            let file = file.unwrap().path();
            if file.extension().is_some_and(|e| e == "txt") {
                out.push((kind.clone(), file));
            }
        }
    }
    out.sort();
    out
}

fn observed(path: &Path) -> Value {
    let bytes = std::fs::read(path).unwrap();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    let artifacts = engine::inspect(&[Paste::new(name, text)]);
    Value::Array(
        artifacts
            .iter()
            .map(|a| {
                json!({
                    "kind": a.kind.id(),
                    "first_line": a.first_line,
                    "lines": a.lines,
                    "command": a.command,
                    "file": a.file,
                    "facts": a.facts,
                    "unread": a.unread.iter().map(|u| json!({"line": u.line, "text": u.text})).collect::<Vec<_>>(),
                })
            })
            .collect(),
    )
}

#[test]
fn parse_fixtures() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/parse");
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut failures = Vec::new();
    let all = cases(&root);
    assert!(!all.is_empty(), "no fixtures under {}", root.display());
    for (kind, input) in all {
        assert!(Kind::from_id(&kind).is_some(), "folder {kind} is not a kind id");
        let got = observed(&input);
        let first_kind = got
            .get(0)
            .and_then(|a| a["kind"].as_str())
            .unwrap_or("none")
            .to_string();
        if first_kind != kind {
            failures.push(format!(
                "{}: first artifact is {first_kind}, folder says {kind}",
                input.display()
            ));
        }
        let expect_path = input.with_extension("expect.json");
        if update {
            std::fs::write(&expect_path, serde_json::to_string_pretty(&got).unwrap() + "\n").unwrap();
            continue;
        }
        let expected: Value = match std::fs::read_to_string(&expect_path) {
            Ok(text) => serde_json::from_str(&text).unwrap(),
            Err(_) => {
                failures.push(format!(
                    "{}: no expectation (run with UPDATE_EXPECT=1)",
                    input.display()
                ));
                continue;
            }
        };
        if got != expected {
            failures.push(format!(
                "{}: differs from {}\n--- got\n{}",
                input.display(),
                expect_path.display(),
                serde_json::to_string_pretty(&got).unwrap()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} fixture(s) failed:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

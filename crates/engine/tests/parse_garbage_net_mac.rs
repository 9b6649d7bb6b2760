//! Robustness of the HTTP-client, DNS, firewall and MAC parsers: every fixture of those kinds,
//! cut at many places, reshuffled and fed to every one of those parsers and recognisers, must
//! parse without panicking, with spans inside the text and on character boundaries, and a large
//! input must parse in linear time (checked loosely: it must finish).

use std::path::Path;

use engine::Kind;
use engine::parse::registry::spec;
use engine::parse::{ParseContext, Parsed};

const KINDS: &[&str] = &[
    "curl",
    "dig",
    "nslookup",
    "host-lookup",
    "getent-hosts",
    "etc-hosts",
    "resolv-conf",
    "iptables",
    "nftables",
    "ufw",
    "firewalld",
    "selinux-status",
    "getsebool",
    "audit-log",
    "apparmor",
];

fn kinds() -> Vec<Kind> {
    KINDS.iter().map(|k| Kind::from_id(k).expect("kind id")).collect()
}

fn samples() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/parse");
    let mut out = Vec::new();
    for kind in KINDS {
        let Ok(dir) = std::fs::read_dir(root.join(kind)) else {
            continue;
        };
        for file in dir.flatten() {
            let path = file.path();
            if path.extension().is_some_and(|e| e == "txt") {
                out.push(String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned());
            }
        }
    }
    out.push("é\u{1F600}\r\n\t\0{}[]()\"'=:;#*<>|%".to_string());
    out
}

/// Variants of a text: prefixes and suffixes cut at char boundaries, lines reversed, lines
/// with their first and last characters removed, CRLF.
fn variants(text: &str) -> Vec<String> {
    let mut out = vec![text.to_string(), text.replace('\n', "\r\n")];
    let bounds: Vec<usize> = text.char_indices().map(|(i, _)| i).step_by(101).collect();
    for &b in &bounds {
        out.push(text[..b].to_string());
        out.push(text[b..].to_string());
    }
    let lines: Vec<&str> = text.lines().collect();
    out.push(lines.iter().rev().copied().collect::<Vec<_>>().join("\n"));
    out.push(
        lines
            .iter()
            .map(|l| {
                let mut c = l.chars();
                c.next();
                c.next_back();
                c.as_str().to_string()
            })
            .collect::<Vec<_>>()
            .join("\n"),
    );
    out
}

fn check(text: &str, parsed: &Parsed) {
    for span in parsed.facts.iter().map(|f| f.span).chain(parsed.unread.iter().copied()) {
        assert!(
            span.start <= span.end && span.end <= text.len(),
            "span {span:?} outside text"
        );
        assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
    }
}

#[test]
fn parsers_survive_cut_and_shuffled_input() {
    let kinds = kinds();
    for sample in samples() {
        for text in variants(&sample) {
            let lines: Vec<&str> = text.lines().collect();
            for &kind in &kinds {
                let spec = spec(kind).expect("registered");
                let parsed = (spec.parse)(&ParseContext::new(&text, 0));
                check(&text, &parsed);
                let score = (spec.block)(&lines);
                assert!((0.0..=1.0).contains(&score), "{kind}: score {score}");
                if let Some(line) = spec.line {
                    lines.iter().for_each(|l| {
                        line(l);
                    });
                }
            }
        }
    }
}

#[test]
fn large_inputs_parse() {
    let kinds = kinds();
    for sample in samples() {
        let big = sample.repeat(200 / sample.lines().count().max(1) + 1);
        for &kind in &kinds {
            let spec = spec(kind).expect("registered");
            let parsed = (spec.parse)(&ParseContext::new(&big, 0));
            check(&big, &parsed);
        }
    }
    // Deep nesting and long lines.
    let nested = "table inet t {\n".repeat(5_000) + &"}\n".repeat(5_000);
    let long = "a".repeat(100_000) + " --> on\n";
    for &kind in &kinds {
        let spec = spec(kind).expect("registered");
        check(&nested, &(spec.parse)(&ParseContext::new(&nested, 0)));
        check(&long, &(spec.parse)(&ParseContext::new(&long, 0)));
    }
}

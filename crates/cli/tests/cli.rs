//! The CLI end to end, data-driven: each folder of `tests/snapshots/` holds input files, an
//! `args` file (the command line, file names relative to the folder) and `expected.out` (stdout
//! then `exit: N`). `UPDATE_EXPECT=1 cargo test -p gateway-doctor-cli` rewrites the expectations.

use std::path::Path;
use std::process::Command;

fn run_case(dir: &Path) -> String {
    let args = std::fs::read_to_string(dir.join("args")).expect("args file");
    let output = Command::new(env!("CARGO_BIN_EXE_gateway-doctor"))
        .args(args.split_whitespace())
        .current_dir(dir)
        .output()
        .expect("run gateway-doctor");
    format!(
        "{}{}exit: {}\n",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
        output.status.code().unwrap_or(-1)
    )
}

#[test]
fn snapshots() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert!(!dirs.is_empty());
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut failures = Vec::new();
    for dir in dirs {
        let got = run_case(&dir);
        let expected_path = dir.join("expected.out");
        if update {
            std::fs::write(&expected_path, &got).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if got != expected {
            failures.push(format!("{}:\n--- expected\n{expected}\n--- got\n{got}", dir.display()));
        }
    }
    assert!(
        failures.is_empty(),
        "{} snapshot(s) differ (UPDATE_EXPECT=1 to accept):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_finding_has_a_fix() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/php-fpm-down-missing-socket");
    let out = Command::new(env!("CARGO_BIN_EXE_gateway-doctor"))
        .args(["diagnose", "--json", "paste-1.txt"])
        .current_dir(dir)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = v["findings"].as_array().unwrap();
    assert!(!findings.is_empty());
    for f in findings {
        let fix = f["fix"].as_str().unwrap();
        assert!(fix.len() > 40, "{}: the fix is empty or a stub: {fix:?}", f["cause"]);
        assert!(!fix.contains("{{"), "{}: unfilled placeholder in the fix", f["cause"]);
    }
}

#[test]
fn triage_walks_from_answers_and_pasted_blocks() {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_gateway-doctor"))
        .arg("triage")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let input = "cdn\n2\n";
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0));
    assert!(text.contains("Which layer made the 502 page?"), "{text}");
    assert!(text.contains("=> other-layer-502"), "{text}");

    let mut child = Command::new(env!("CARGO_BIN_EXE_gateway-doctor"))
        .args(["triage", "--answer", "layer=nginx", "--answer", "nginx-up=yes"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let line = "2026/11/21 10:00:00 [error] 1#1: *1 connect() failed (111: Connection refused) while connecting to upstream, client: 1.2.3.4, server: a, request: \"GET / HTTP/1.1\", upstream: \"http://127.0.0.1:8000/\", host: \"a\"";
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{line}\n\n").as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Paste the nginx error log lines"), "{text}");
    assert!(
        text.contains("from triage-1, line 1"),
        "the pasted block answers the next questions: {text}"
    );
}

#[test]
fn explain_prints_every_cause_page_and_its_rules() {
    let bin = env!("CARGO_BIN_EXE_gateway-doctor");
    for cause in engine::Cause::ALL {
        let out = Command::new(bin).args(["explain", cause.id()]).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", cause.id());
        let text = String::from_utf8(out.stdout).unwrap();
        let page = engine::knowledge::page(*cause).unwrap();
        assert!(text.starts_with(&format!("# {}", page.title)), "{}", cause.id());
        for heading in ["## What happened", "## Confirm", "## Fix", "## Detected by\n- `"] {
            assert!(text.contains(heading), "{}: no {heading}", cause.id());
        }
        assert!(!text.contains("{{"), "{}: unfilled placeholder", cause.id());
    }
    let out = Command::new(bin).args(["explain", "php-down"]).output().unwrap();
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("php-fpm-down"),
        "suggests the near id"
    );
}

#[test]
fn usage_errors_exit_2() {
    let bin = env!("CARGO_BIN_EXE_gateway-doctor");
    for args in [
        &[][..],
        &["diagnose"][..],
        &["diagnose", "/nonexistent/file"][..],
        &["bogus"][..],
        &["explain"][..],
        &["explain", "php-down"][..],
    ] {
        let out = Command::new(bin).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(!out.stderr.is_empty(), "{args:?} explains itself on stderr");
    }
}

#[test]
fn binary_input_is_read_not_rejected() {
    let dir = std::env::temp_dir().join(format!("gd-bin-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("junk.bin");
    let bytes: Vec<u8> = (0..=255u8).cycle().take(70_000).collect();
    std::fs::write(&file, bytes).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_gateway-doctor"))
        .args(["diagnose", "--json"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["findings"].as_array().unwrap().is_empty());
    std::fs::remove_dir_all(&dir).ok();
}

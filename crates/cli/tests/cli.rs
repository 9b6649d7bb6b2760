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
fn usage_errors_exit_2() {
    let bin = env!("CARGO_BIN_EXE_gateway-doctor");
    for args in [
        &[][..],
        &["diagnose"][..],
        &["diagnose", "/nonexistent/file"][..],
        &["bogus"][..],
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

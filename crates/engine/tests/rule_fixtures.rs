//! Rule fixtures, data-driven: `fixtures/rules/<rule-id>/<case>/` holds the pastes of one case
//! (every file but `expect.json`, in name order, each one paste) and `expect.json`:
//!
//! ```json
//! { "fires": true,             // the rule must (true) or must not (false) contribute a finding
//!   "top": true,               // optional: its cause must be the top finding
//!   "min_confidence": 0.7,     // optional bounds on the finding's confidence
//!   "max_confidence": 0.95,
//!   "values": {"socket": "/run/php/php8.1-fpm.sock"},  // optional: values the finding carries
//!   "evidence": ["(2: No such file"] }                 // optional: each is in some evidence line
//! ```
//!
//! Every rule has at least one case that fires and one that must not (input that looks close).

use std::path::Path;

use engine::{Answers, Paste, rules::RULES};
use serde_json::Value;

fn check_case(rule: &str, dir: &Path) -> Result<bool, String> {
    let expect: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("expect.json")).map_err(|e| format!("expect.json: {e}"))?,
    )
    .map_err(|e| format!("expect.json: {e}"))?;
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().is_some_and(|n| n != "expect.json"))
        .collect();
    files.sort();
    let pastes: Vec<Paste> = files
        .iter()
        .map(|f| {
            Paste::new(
                f.file_name().unwrap().to_string_lossy(),
                String::from_utf8_lossy(&std::fs::read(f).unwrap()).into_owned(),
            )
        })
        .collect();
    let report = engine::diagnose(&pastes, &Answers::default());
    let finding = report.findings.iter().find(|f| f.rules.iter().any(|r| r == rule));
    let fires = expect["fires"].as_bool().ok_or("expect.json needs \"fires\"")?;
    let summary = || {
        report
            .findings
            .iter()
            .map(|f| format!("{} {:.2} {:?}", f.cause.id(), f.confidence, f.rules))
            .collect::<Vec<_>>()
            .join("; ")
    };
    match (fires, finding) {
        (false, None) => return Ok(false),
        (false, Some(f)) => {
            return Err(format!(
                "fired but must not ({} {:.2}); findings: {}",
                f.cause.id(),
                f.confidence,
                summary()
            ));
        }
        (true, None) => return Err(format!("did not fire; findings: {}", summary())),
        (true, Some(_)) => {}
    }
    let f = finding.unwrap();
    if expect["top"].as_bool() == Some(true) && report.findings.first().map(|t| t.cause) != Some(f.cause) {
        return Err(format!(
            "{} is not the top finding; findings: {}",
            f.cause.id(),
            summary()
        ));
    }
    if let Some(min) = expect["min_confidence"].as_f64()
        && (f.confidence as f64) < min
    {
        return Err(format!("confidence {:.2} < {min}", f.confidence));
    }
    if let Some(max) = expect["max_confidence"].as_f64()
        && (f.confidence as f64) > max
    {
        return Err(format!("confidence {:.2} > {max}", f.confidence));
    }
    if let Some(values) = expect["values"].as_object() {
        for (k, v) in values {
            let got = f.values.iter().find(|(name, _)| name == k).map(|(_, v)| v.as_str());
            if got != v.as_str() {
                return Err(format!("value {k}: expected {v}, got {got:?}"));
            }
        }
    }
    if let Some(needles) = expect["evidence"].as_array() {
        for needle in needles.iter().filter_map(Value::as_str) {
            if !f.evidence.iter().any(|e| e.text.contains(needle)) {
                return Err(format!("no evidence line contains {needle:?}"));
            }
        }
    }
    Ok(true)
}

#[test]
fn every_cause_has_a_rule_and_rule_ids_are_unique() {
    for cause in engine::Cause::ALL {
        assert!(
            RULES.iter().any(|r| r.cause == *cause),
            "cause {} has no rule",
            cause.id()
        );
    }
    let mut ids: Vec<&str> = RULES.iter().map(|r| r.id).collect();
    ids.sort_unstable();
    let before = ids.len();
    ids.dedup();
    assert_eq!(before, ids.len(), "two rules share an id");
    for rule in RULES {
        assert!(!rule.doc.trim().is_empty(), "rule {} has no doc", rule.id);
    }
}

#[test]
fn rule_fixtures() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules");
    let mut failures = Vec::new();
    let mut folders: Vec<String> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    folders.sort();
    for folder in &folders {
        if !RULES.iter().any(|r| r.id == folder) {
            failures.push(format!("fixtures/rules/{folder}: no rule has this id"));
        }
    }
    for rule in RULES {
        let dir = root.join(rule.id);
        let mut cases: Vec<_> = std::fs::read_dir(&dir)
            .map(|d| d.map(|e| e.unwrap().path()).filter(|p| p.is_dir()).collect())
            .unwrap_or_default();
        cases.sort();
        let (mut positive, mut negative) = (0, 0);
        for case in &cases {
            match check_case(rule.id, case) {
                Ok(true) => positive += 1,
                Ok(false) => negative += 1,
                Err(e) => failures.push(format!(
                    "{}/{}: {e}",
                    rule.id,
                    case.file_name().unwrap().to_string_lossy()
                )),
            }
        }
        if positive + negative < cases.len() {
            continue; // failures already reported
        }
        if positive == 0 || negative == 0 {
            failures.push(format!(
                "{}: needs at least one case that fires and one that must not ({positive} fire, {negative} do not)",
                rule.id
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} rule fixture problem(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

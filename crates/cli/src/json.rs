//! The JSON contract of DESIGN.md (`diagnose --json`) and of `inspect --json`: a counterpart
//! of the engine's types, so the engine's Rust API can change without breaking scripts.

use engine::{Artifact, Report};
use serde_json::{Value, json};

/// One artifact in the contract shape; `full` adds facts and unread lines (inspect).
fn artifact(a: &Artifact, full: bool) -> Value {
    let mut v = json!({
        "name": a.name,
        "kind": a.kind.id(),
        "confidence": round(a.confidence),
        "paste": a.paste,
        "first_line": a.first_line,
        "lines": a.lines,
        "unparsed_lines": a.unparsed_lines,
    });
    if let Some(command) = &a.command {
        v["command"] = json!(command);
    }
    if let Some(file) = &a.file {
        v["file"] = json!(file);
    }
    if full {
        v["facts"] = serde_json::to_value(&a.facts).unwrap_or(Value::Null);
        v["unread"] = a
            .unread
            .iter()
            .map(|u| json!({"line": u.line, "text": u.text}))
            .collect();
    }
    v
}

fn round(x: f32) -> f64 {
    (x as f64 * 100.0).round() / 100.0
}

/// `diagnose --json`.
pub fn report(r: &Report) -> String {
    let findings: Vec<Value> = r
        .findings
        .iter()
        .map(|f| {
            json!({
                "cause": f.cause.id(),
                "rules": f.rules,
                "confidence": round(f.confidence),
                "title": f.title,
                "evidence": f.evidence.iter().map(|e| json!({
                    "artifact": e.artifact, "line": e.line, "text": e.text, "note": e.note, "against": e.against,
                })).collect::<Vec<_>>(),
                "fix": f.fix,
                "edits": f.edits.iter().map(|e| json!({"file": e.file, "line": e.line, "before": e.before, "after": e.after})).collect::<Vec<_>>(),
                "client_sees": f.client_sees,
                "values": f.values.iter().map(|(k, v)| (k.clone(), json!(v))).collect::<serde_json::Map<_, _>>(),
            })
        })
        .collect();
    let v = json!({
        "artifacts": r.artifacts.iter().map(|a| artifact(a, false)).collect::<Vec<_>>(),
        "findings": findings,
        "status_seen": r.status_seen,
        "next_question": Value::Null,
    });
    serde_json::to_string_pretty(&v).unwrap_or_default()
}

/// `inspect --json`.
pub fn inspect(artifacts: &[Artifact]) -> String {
    let v = json!({ "artifacts": artifacts.iter().map(|a| artifact(a, true)).collect::<Vec<_>>() });
    serde_json::to_string_pretty(&v).unwrap_or_default()
}

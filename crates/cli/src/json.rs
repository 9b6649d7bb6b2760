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
        "platform": r.platform,
        "next_question": r.walk.next.as_ref().map(question),
        "next_paste": r.walk.next_paste.as_ref().map(question),
        "walk": {
            "steps": r.walk.steps.iter().map(step).collect::<Vec<_>>(),
            "conclusion": r.walk.conclusion.map(|c| c.id()),
            "overruled": r.walk.overruled,
        },
    });
    serde_json::to_string_pretty(&v).unwrap_or_default()
}

/// The next question in the contract shape: id, text, choices (values), plus what a front end
/// needs to ask it (labels, help, and for a request the commands and expected kinds).
fn question(q: &engine::tree::walk::Question) -> Value {
    json!({
        "id": q.id,
        "kind": q.kind,
        "text": q.text,
        "help": q.help,
        "choices": q.choices.iter().map(|(v, _)| v).collect::<Vec<_>>(),
        "labels": q.choices.iter().map(|(v, l)| json!({"value": v, "label": l})).collect::<Vec<_>>(),
        "why": q.why,
        "commands": q.commands.iter().map(|(k, v)| (k.clone(), json!(v))).collect::<serde_json::Map<_, _>>(),
        "expects": q.expects,
    })
}

/// One step of the walk with where its answer came from.
fn step(s: &engine::tree::walk::Step) -> Value {
    use engine::tree::walk::Source;
    let source = match &s.source {
        Source::Evidence {
            artifact,
            line,
            text,
            note,
        } => json!({"type": "evidence", "artifact": artifact, "line": line, "text": text, "note": note}),
        Source::Pasted { artifact } => json!({"type": "pasted", "artifact": artifact}),
        Source::Person => json!({"type": "person"}),
        Source::Skipped => json!({"type": "skipped"}),
    };
    json!({"node": s.node, "text": s.text, "answer": s.answer, "label": s.label, "source": source, "overrode": s.overrode})
}

/// `inspect --json`.
pub fn inspect(artifacts: &[Artifact]) -> String {
    let v = json!({ "artifacts": artifacts.iter().map(|a| artifact(a, true)).collect::<Vec<_>>() });
    serde_json::to_string_pretty(&v).unwrap_or_default()
}

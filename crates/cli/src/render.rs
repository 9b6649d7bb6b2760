//! Human-readable output for terminals: the report with its evidence lines quoted.

use std::fmt::Write;

use engine::{Artifact, Paste, Report};

/// `diagnose` without `--json`.
pub fn report(r: &Report, pastes: &[Paste]) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "Read {} artifact(s):", r.artifacts.len());
    for (i, a) in r.artifacts.iter().enumerate() {
        let _ = writeln!(
            s,
            "  [{i}] {} — {} ({} lines, {} unread)",
            a.name,
            a.kind.label(),
            a.lines,
            a.unparsed_lines
        );
    }
    let _ = writeln!(s);
    if r.findings.is_empty() {
        let _ = writeln!(s, "No cause found in what was pasted.");
        let _ = writeln!(
            s,
            "Paste the nginx error log lines of the failing request (tail -n 50 /var/log/nginx/error.log)."
        );
    }
    for (rank, f) in r.findings.iter().enumerate() {
        let _ = writeln!(
            s,
            "{}. {} ({:.0}%): {}",
            rank + 1,
            f.cause.id(),
            f.confidence * 100.0,
            f.title
        );
        for e in &f.evidence {
            let name = r
                .artifacts
                .get(e.artifact)
                .map(|a| pastes[a.paste].name.as_str())
                .unwrap_or("?");
            let first = e.text.lines().next().unwrap_or("");
            let _ = writeln!(s, "   {name}:{}  {}", e.line, first);
            let _ = writeln!(s, "   {}→ {}", if e.against { "against " } else { "" }, e.note);
        }
        let _ = writeln!(s, "   Fix:");
        for line in f.fix.lines() {
            let _ = writeln!(s, "     {line}");
        }
        let _ = writeln!(s);
    }
    if let Some(status) = r.status_seen {
        let _ = writeln!(s, "Status the logs show: {status}");
    }
    s.push_str(&walk(r));
    s.trim_end().to_string()
}

/// The guided triage: each step with where its answer came from, then where it ends or what it
/// asks next.
pub fn walk(r: &Report) -> String {
    use engine::tree::walk::Source;
    let mut s = String::new();
    let w = &r.walk;
    if w.steps.is_empty() && w.next.is_none() && w.conclusion.is_none() {
        return s;
    }
    let _ = writeln!(s, "\nTriage:");
    for step in &w.steps {
        let from = match &step.source {
            Source::Evidence { artifact, line, .. } => {
                let name = r.artifacts.get(*artifact).map(|a| a.name.as_str()).unwrap_or("?");
                format!("from {name}, line {line}")
            }
            Source::Pasted { .. } => "pasted".to_string(),
            Source::Person => "your answer".to_string(),
            Source::Skipped => "skipped".to_string(),
        };
        let _ = writeln!(s, "  {} -> {} ({from})", step.text, step.label);
        if let Some(o) = &step.overrode {
            let _ = writeln!(s, "     note: {o}");
        }
    }
    if let Some(o) = &w.overruled {
        let _ = writeln!(s, "  note: {o}");
    }
    match (&w.conclusion, &w.next) {
        (Some(c), _) => {
            let _ = writeln!(s, "  => {}: {}", c.id(), c.title());
        }
        (None, Some(q)) => {
            let _ = writeln!(s, "  Next: {}", q.text);
            for (value, label) in &q.choices {
                let _ = writeln!(s, "    --answer {}={value}   {label}", q.id);
            }
            for (platform, command) in &q.commands {
                let _ = writeln!(s, "    [{platform}] {command}");
            }
        }
        (None, None) => {}
    }
    s
}

/// `inspect` without `--json`.
pub fn inspect(artifacts: &[Artifact]) -> String {
    let mut s = String::new();
    for (i, a) in artifacts.iter().enumerate() {
        let last = a.first_line + a.lines.saturating_sub(1);
        let _ = writeln!(
            s,
            "[{i}] {} — {} (confidence {:.0}%), lines {}-{}, {} fact(s), {} unread",
            a.name,
            a.kind.id(),
            a.confidence * 100.0,
            a.first_line,
            last,
            a.facts.len(),
            a.unparsed_lines
        );
        if let Some(c) = &a.command {
            let _ = writeln!(s, "    command: {c}");
        }
        for f in &a.facts {
            let _ = writeln!(s, "    {}", fact_summary(&f.fact));
        }
        for u in &a.unread {
            let _ = writeln!(s, "    unread line {}: {}", u.line, u.text);
        }
    }
    if artifacts.is_empty() {
        let _ = writeln!(s, "Nothing to read: the input is empty.");
    }
    s.trim_end().to_string()
}

fn fact_summary(fact: &engine::facts::Fact) -> String {
    use engine::facts::Fact;
    match fact {
        Fact::ErrorEvent(e) => {
            let mut t = format!("error-event {}", e.class.id());
            if let Some(n) = e.errno {
                let _ = write!(t, " errno={n}");
            }
            if let Some(a) = &e.action {
                let _ = write!(t, " while=\"{a}\"");
            }
            if let Some(x) = &e.target {
                let _ = write!(t, " target={x}");
            }
            if let Some(u) = &e.upstream {
                let _ = write!(t, " upstream={u}");
            }
            if let Some(sv) = &e.server {
                let _ = write!(t, " server=\"{sv}\"");
            }
            t
        }
        other => {
            let v = serde_json::to_value(other).unwrap_or_default();
            let mut t = other.type_id().to_string();
            if let Some(map) = v.as_object() {
                for (k, val) in map.iter().filter(|(k, _)| k.as_str() != "type") {
                    if val.is_null() || val.as_array().is_some_and(|a| a.is_empty()) {
                        continue;
                    }
                    let _ = write!(t, " {k}={val}");
                }
            }
            t
        }
    }
}

/// `explain CAUSE`: the cause's page (placeholders showing what they stand for) and the rules
/// that detect it.
pub fn explain(cause: engine::Cause) -> String {
    let mut s = match engine::knowledge::page(cause) {
        Some(page) => engine::knowledge::page_markdown(page, &[]),
        None => format!("# {}\n", cause.title()),
    };
    let _ = writeln!(s, "\n## Detected by");
    for rule in engine::rules::RULES.iter().filter(|r| r.cause == cause) {
        let _ = writeln!(s, "- `{}`: {}", rule.id, rule.doc);
    }
    s
}

//! The report as Markdown, for a ticket or a chat message: what was read, the ranked causes
//! with their evidence lines quoted, the fix, and the triage trail. The web app's export and
//! `gateway-doctor diagnose --markdown` both print exactly this.

use std::fmt::Write;

use crate::number::fixed;
use crate::report::Report;
use crate::tree::walk::Source;

/// Renders the whole report as GitHub-flavoured Markdown.
pub fn report(report: &Report) -> String {
    let mut s = String::from("# nginx 502 diagnosis\n\n");
    match report.findings.first() {
        Some(top) => {
            let _ = writeln!(
                s,
                "**Most likely:** {} (`{}`, {}%)\n",
                inline(&top.title),
                top.cause.id(),
                fixed(f64::from(top.confidence * 100.0), 0)
            );
        }
        None if report.artifacts.is_empty() => s.push_str("Nothing was pasted.\n\n"),
        None => s.push_str("**No cause found** in what was pasted.\n\n"),
    }
    let mut facts = Vec::new();
    if let Some(status) = report.status_seen {
        facts.push(format!("Status the logs show: {status}."));
    }
    if let Some(platform) = &report.platform {
        facts.push(format!("Platform: {}.", inline(platform)));
    }
    if !facts.is_empty() {
        let _ = writeln!(s, "{}\n", facts.join(" "));
    }

    if !report.artifacts.is_empty() {
        s.push_str("## What was read\n\n| Piece | Kind | Lines | Not read |\n|---|---|---:|---:|\n");
        for a in &report.artifacts {
            let _ = writeln!(
                s,
                "| {} | {}{} | {} | {} |",
                cell(&a.name),
                a.kind.label(),
                if a.overridden { " (chosen)" } else { "" },
                a.lines,
                a.unparsed_lines
            );
        }
        s.push('\n');
    }

    if !report.findings.is_empty() {
        s.push_str("## Causes, most likely first\n\n");
    }
    for (rank, f) in report.findings.iter().enumerate() {
        let _ = writeln!(
            s,
            "### {}. {} (`{}`, {}%)\n",
            rank + 1,
            inline(&f.title),
            f.cause.id(),
            fixed(f64::from(f.confidence * 100.0), 0)
        );
        let _ = writeln!(s, "The client sees: {}.\n", inline(&f.client_sees));
        if !f.evidence.is_empty() {
            s.push_str("Evidence:\n\n");
        }
        for e in &f.evidence {
            let name = report.artifacts.get(e.artifact).map_or("?", |a| a.name.as_str());
            let _ = writeln!(
                s,
                "- {}`{}` line {}: {}",
                if e.against { "**against:** " } else { "" },
                name.replace('`', "'"),
                e.line,
                inline(&e.note)
            );
            s.push_str(&indent(&fenced(&e.text, "text"), "  "));
        }
        if !f.fix.is_empty() {
            let _ = writeln!(s, "\n**Fix**\n\n{}\n", f.fix.trim_end());
        } else {
            s.push('\n');
        }
    }

    let w = &report.walk;
    if !w.steps.is_empty() || w.next.is_some() || w.conclusion.is_some() {
        s.push_str("## Triage\n\n");
        for (i, step) in w.steps.iter().enumerate() {
            let from = match &step.source {
                Source::Evidence { artifact, line, .. } => {
                    let name = report.artifacts.get(*artifact).map_or("?", |a| a.name.as_str());
                    format!("from {}, line {line}", inline(name))
                }
                Source::Pasted { .. } => "pasted".to_string(),
                Source::Person => "your answer".to_string(),
                Source::Skipped => "skipped".to_string(),
            };
            let _ = writeln!(
                s,
                "{}. {} **{}** ({from})",
                i + 1,
                inline(&step.text),
                inline(&step.label)
            );
            if let Some(o) = &step.overrode {
                let _ = writeln!(s, "   Note: {}", inline(o));
            }
        }
        if !w.steps.is_empty() {
            s.push('\n');
        }
        if let Some(o) = &w.overruled {
            let _ = writeln!(s, "Note: {}\n", inline(o));
        }
        match (&w.conclusion, &w.next) {
            (Some(c), _) => {
                let _ = writeln!(s, "**Conclusion:** `{}`: {}.\n", c.id(), inline(c.title()));
            }
            (None, Some(q)) => {
                let _ = writeln!(s, "**Next question:** {}\n", inline(&q.text));
                if !q.help.is_empty() {
                    let _ = writeln!(s, "{}\n", inline(&q.help));
                }
                for (platform, command) in &q.commands {
                    let _ = writeln!(s, "{platform}:\n\n{}", fenced(command, "sh"));
                }
                if q.kind == "question" {
                    for (_, label) in &q.choices {
                        let _ = writeln!(s, "- {}", inline(label));
                    }
                    s.push('\n');
                }
            }
            (None, None) => {}
        }
    }
    s.push_str("---\nMade with Gateway Doctor; nothing was sent anywhere.\n");
    s
}

/// A fenced code block whose fence is longer than any backtick run in `text`.
fn fenced(text: &str, lang: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest.max(2) + 1);
    format!("{fence}{lang}\n{}\n{fence}\n", text.trim_end_matches('\n'))
}

fn indent(text: &str, by: &str) -> String {
    text.lines().map(|l| format!("{by}{l}\n")).collect()
}

/// Text on one line, with the characters that would start Markdown structure made harmless.
fn inline(text: &str) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = String::with_capacity(one_line.len());
    for c in one_line.chars() {
        if matches!(c, '<' | '>' | '*' | '_' | '[' | ']' | '|' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn cell(text: &str) -> String {
    inline(text).replace('`', "'")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Answers, Paste, diagnose};

    const MISSING_SOCKET: &str = "2026/11/21 10:00:00 [crit] 2211#2211: *4711 connect() to unix:/run/php/php8.3-fpm.sock failed (2: No such file or directory) while connecting to upstream, client: 203.0.113.7, server: example.com, request: \"GET /index.php HTTP/1.1\", upstream: \"fastcgi://unix:/run/php/php8.3-fpm.sock:\", host: \"example.com\"";

    #[test]
    fn a_diagnosis_reads_as_a_ticket_note() {
        let r = diagnose(&[Paste::new("error.log", MISSING_SOCKET)], &Answers::default());
        let md = report(&r);
        assert!(
            md.starts_with("# nginx 502 diagnosis\n\n**Most likely:** PHP-FPM"),
            "{md}"
        );
        assert!(md.contains("| error.log | nginx error log | 1 | 0 |"), "{md}");
        assert!(md.contains("### 1. "), "{md}");
        assert!(md.contains("- `error.log` line 1: "), "{md}");
        assert!(md.contains("  ```text\n  2026/11/21 10:00:00 [crit]"), "{md}");
        assert!(md.contains("**Fix**"), "{md}");
        assert!(md.contains("systemctl enable --now php8.3-fpm"), "{md}");
        assert!(md.contains("## Triage\n\n1. Which layer"), "{md}");
        assert!(md.contains("(from error.log, line 1)"), "{md}");
        assert!(md.contains("**Conclusion:** `php-fpm-down`"), "{md}");
    }

    #[test]
    fn no_finding_says_so_and_asks_the_next_question() {
        let r = diagnose(
            &[Paste::new("note", "my site shows 502 since this morning")],
            &Answers::default(),
        );
        let md = report(&r);
        assert!(md.contains("**No cause found**"), "{md}");
        assert!(md.contains("**Next question:**"), "{md}");
        let empty = report(&Report::default());
        assert!(empty.contains("Nothing was pasted."), "{empty}");
    }

    #[test]
    fn pasted_markup_stays_text() {
        assert_eq!(inline("a <script>|x*"), "a \\<script\\>\\|x\\*");
        assert_eq!(fenced("a ``` b", "text"), "````text\na ``` b\n````\n");
    }
}

//! `gateway-doctor triage`: the guided walk in a terminal. Each step prints the question (or
//! the command to run and paste), reads the answer (a choice number or value) or a pasted block
//! ended by an empty line or end of input, and diagnoses again with everything so far.

use std::io::{BufRead, Write};

use engine::{Answers, Paste};

use crate::render;

/// Walks interactively from the given pastes; prints the final report.
pub fn run(
    mut pastes: Vec<Paste>,
    mut answers: Answers,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let mut pasted = 0;
    loop {
        let report = engine::diagnose(&pastes, &answers);
        let Some(q) = report.walk.next.clone() else {
            writeln!(out, "{}", render::report(&report, &pastes))?;
            return Ok(());
        };
        writeln!(out, "\n{}", q.text)?;
        if !q.help.is_empty() {
            writeln!(out, "  ({})", q.help)?;
        }
        if q.kind == "request" {
            for (platform, command) in &q.commands {
                writeln!(out, "  [{platform}] {command}")?;
            }
            writeln!(out, "Paste the output, then an empty line (or type `skip`):")?;
            out.flush()?;
            let block = read_block(input)?;
            match block.as_deref().map(str::trim) {
                None => return finish(&pastes, &answers, out),
                Some("skip") | Some("") => {
                    answers.insert(q.id.clone(), "skip".into());
                }
                Some(_) => {
                    pasted += 1;
                    pastes.push(Paste::new(format!("triage-{pasted}"), block.unwrap_or_default()));
                }
            }
            continue;
        }
        for (i, (value, label)) in q.choices.iter().enumerate() {
            writeln!(out, "  {}. {label}  [{value}]", i + 1)?;
        }
        write!(out, "> ")?;
        out.flush()?;
        let mut line = String::new();
        if input.read_line(&mut line)? == 0 {
            return finish(&pastes, &answers, out);
        }
        let choice = line.trim();
        let value = choice
            .parse::<usize>()
            .ok()
            .and_then(|n| q.choices.get(n.wrapping_sub(1)))
            .or_else(|| q.choices.iter().find(|(v, _)| v == choice))
            .map(|(v, _)| v.clone());
        match value {
            Some(v) => {
                answers.insert(q.id.clone(), v);
            }
            None => writeln!(
                out,
                "Answer with a number from 1 to {} or a value in brackets.",
                q.choices.len()
            )?,
        }
    }
}

/// Reads lines up to an empty line or end of input; `None` at end of input with nothing read.
fn read_block(input: &mut dyn BufRead) -> std::io::Result<Option<String>> {
    let mut block = String::new();
    loop {
        let mut line = String::new();
        if input.read_line(&mut line)? == 0 {
            return Ok((!block.is_empty()).then_some(block));
        }
        if line.trim().is_empty() {
            return Ok(Some(block));
        }
        if line.trim() == "skip" && block.is_empty() {
            return Ok(Some("skip".into()));
        }
        block.push_str(&line);
    }
}

/// Input ended: print the report as far as it goes.
fn finish(pastes: &[Paste], answers: &Answers, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "\n(end of input)\n")?;
    writeln!(out, "{}", render::report(&engine::diagnose(pastes, answers), pastes))
}

//! `gateway-doctor`: the command-line front end. Reads files (or stdin), calls the engine,
//! prints a human report or the JSON contract of DESIGN.md. Exit 0 when it ran, 2 on usage or
//! read errors.

use std::io::Write;
use std::process::ExitCode;

mod args;
mod json;
mod render;
mod triage;

use args::{Command, Parsed};

/// mimalloc rather than the system allocator: the engine makes many small facts and frees them
/// together, where the system allocator spends a third of a large parse.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let parsed = match args::parse(&argv) {
        Ok(p) => p,
        Err(message) => {
            eprintln!("gateway-doctor: {message}\n\n{}", args::USAGE);
            return ExitCode::from(2);
        }
    };
    let mut stdout = std::io::stdout().lock();
    let result = run(parsed, &mut stdout);
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            let _ = stdout.flush();
            eprintln!("gateway-doctor: {message}");
            ExitCode::from(2)
        }
    }
}

/// Runs one parsed command, writing to `out`. Errors are messages for stderr (exit 2).
pub fn run(parsed: Parsed, out: &mut dyn Write) -> Result<(), String> {
    let write_err = |e: std::io::Error| format!("cannot write output: {e}");
    match parsed.command {
        Command::Help => writeln!(out, "{}", args::USAGE).map_err(write_err),
        Command::Diagnose => {
            let pastes = args::read_inputs(&parsed.inputs)?;
            let report = engine::diagnose(&pastes, &parsed.answers);
            let text = if parsed.json {
                json::report(&report)
            } else if parsed.markdown {
                engine::markdown::report(&report)
            } else {
                render::report(&report, &pastes)
            };
            writeln!(out, "{text}").map_err(write_err)
        }
        Command::Redact => {
            let pastes = args::read_inputs(&parsed.inputs)?;
            let options = engine::redact::Options {
                keep: parsed.keep.clone(),
                ..Default::default()
            };
            let redacted = engine::redact::redact(&pastes, &options);
            for paste in &redacted.pastes {
                if redacted.pastes.len() > 1 {
                    writeln!(out, "==> {} <==", paste.name).map_err(write_err)?;
                }
                write!(out, "{}", paste.text).map_err(write_err)?;
                if !paste.text.ends_with('\n') && !paste.text.is_empty() {
                    writeln!(out).map_err(write_err)?;
                }
            }
            for m in redacted.masks.iter().filter(|m| !m.kept) {
                let name = &pastes[m.paste].name;
                eprintln!(
                    "masked {} `{}` -> `{}` ({name}:{}, {}x)",
                    m.what.id(),
                    m.original,
                    m.replacement,
                    m.line,
                    m.count
                );
            }
            Ok(())
        }
        Command::Inspect => {
            let pastes = args::read_inputs(&parsed.inputs)?;
            let artifacts = engine::inspect(&pastes);
            let text = if parsed.json {
                json::inspect(&artifacts)
            } else {
                render::inspect(&artifacts)
            };
            writeln!(out, "{text}").map_err(write_err)
        }
        Command::Triage => {
            let pastes = args::read_inputs(&parsed.inputs)?;
            let stdin = std::io::stdin();
            triage::run(pastes, parsed.answers, &mut stdin.lock(), out).map_err(write_err)
        }
        Command::Kinds => {
            for kind in engine::Kind::ALL {
                writeln!(out, "{:<24} {}", kind.id(), kind.label()).map_err(write_err)?;
            }
            Ok(())
        }
        Command::Explain => {
            let id = &parsed.inputs[0].path;
            let cause = engine::Cause::from_id(id).ok_or_else(|| {
                let near: Vec<&str> = engine::Cause::ALL
                    .iter()
                    .map(|c| c.id())
                    .filter(|c| c.contains(id.as_str()) || id.split('-').any(|w| w.len() > 2 && c.contains(w)))
                    .collect();
                if near.is_empty() {
                    format!("unknown cause `{id}` (see `gateway-doctor causes`)")
                } else {
                    format!("unknown cause `{id}`; did you mean {}?", near.join(", "))
                }
            })?;
            writeln!(out, "{}", render::explain(cause)).map_err(write_err)
        }
        Command::Causes => {
            for cause in engine::Cause::ALL {
                writeln!(out, "{:<28} {}", cause.id(), cause.title()).map_err(write_err)?;
            }
            Ok(())
        }
    }
}

//! Runs `engine::inspect` on one file (kind forced when given), for profiling the parsers with
//! instruction counts (`valgrind --tool=callgrind`), which stay comparable on a busy machine:
//!   cargo build --release -p gateway-doctor-engine --example inspect_file
//!   valgrind --tool=callgrind target/release/examples/inspect_file FILE [KIND]

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: inspect_file FILE [KIND]");
        std::process::exit(2);
    };
    let text = match std::fs::read(&path) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(e) => {
            eprintln!("cannot read {path}: {e}");
            std::process::exit(2);
        }
    };
    let mut paste = engine::Paste::new(path, text);
    if let Some(kind) = args.next() {
        match engine::Kind::from_id(&kind) {
            Some(k) => paste = paste.with_kind(k),
            None => {
                eprintln!("unknown kind {kind}");
                std::process::exit(2);
            }
        }
    }
    let bytes = paste.text.len();
    let artifacts = engine::inspect(std::slice::from_ref(&paste));
    let facts: usize = artifacts.iter().map(|a| a.facts.len()).sum();
    println!("{bytes} bytes, {} artifact(s), {facts} fact(s)", artifacts.len());
}

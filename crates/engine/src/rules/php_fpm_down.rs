//! `unix-socket-missing`: nginx dials a unix socket that does not exist, so PHP-FPM is down.
//!
//! ## What it looks for
//! `connect() to unix:PATH failed (2: No such file or directory) while connecting to upstream`:
//! the socket file is absent. A clean PHP-FPM stop removes its socket, so this is the signature
//! of a stopped or failed PHP-FPM (a wrong path gives the same line; the mismatch rule decides
//! between them when the pool's `listen` or a socket listing is pasted).

use crate::cause::Cause;
use crate::facts::{ErrorEvent, MessageClass};
use crate::model::Model;
use crate::rules::{Draft, Rule};

/// The rule.
pub const RULE: Rule = Rule {
    id: "unix-socket-missing",
    cause: Cause::PhpFpmDown,
    doc: "nginx's connect() to a unix socket fails with (2: No such file or directory): the socket is gone, PHP-FPM is not running",
    check,
};

fn check(model: &Model<'_>, out: &mut Vec<Draft>) {
    let mut draft: Option<Draft> = None;
    for e in model.all::<ErrorEvent>() {
        if e.class != MessageClass::ConnectFailed || e.errno != Some(2) {
            continue;
        }
        let Some(socket) = e.target.as_deref().and_then(|t| t.strip_prefix("unix:")) else {
            continue;
        };
        let d = draft.get_or_insert_with(|| {
            let mut d = Draft::new(
                Cause::PhpFpmDown,
                0.8,
                format!("PHP-FPM is not running: its socket {socket} does not exist"),
            );
            d.value("socket", socket);
            d
        });
        if d.evidence.len() < 5 {
            d.support(
                e.artifact,
                e.span,
                format!("nginx cannot find the socket {socket} (errno 2)"),
            );
        }
    }
    out.extend(draft);
}

//! What the analyser is doing: a spinner with the size being analysed, then what was read and
//! how long it took; problems keeping the session.

use yew::prelude::*;

use crate::context::use_ctx;
use crate::dom;

/// The status line (a live region).
#[function_component(Status)]
pub fn status() -> Html {
    let ctx = use_ctx();
    let ui = &ctx.ui;
    let busy = match (ui.reading, ui.running, ui.restoring) {
        (n, _, _) if n > 0 => Some(format!("Reading {n} file{}…", if n == 1 { "" } else { "s" })),
        (_, _, true) => Some("Restoring your session…".to_string()),
        (_, Some((_, bytes)), _) if bytes > 0 => Some(format!("Analysing {}…", dom::size(bytes))),
        _ => None,
    };
    let done = ctx.analysis().filter(|a| !a.report.artifacts.is_empty()).map(|a| {
        let pieces = a.report.artifacts.len();
        let lines: usize = a.report.artifacts.iter().map(|x| x.lines).sum();
        let unread: usize = a.report.artifacts.iter().map(|x| x.unparsed_lines).sum();
        let millis = if a.millis >= 1.0 {
            format!(" in {} ms", engine::number::fixed(a.millis, 0))
        } else {
            String::new()
        };
        format!(
            "Read {pieces} piece{} ({lines} line{}, {unread} not read){millis}.",
            if pieces == 1 { "" } else { "s" },
            if lines == 1 { "" } else { "s" },
        )
    });
    html! {
        <div class="status" id="status" role="status" aria-live="polite">
            if let Some(text) = busy {
                <p class="busy" id="busy"><span class="spinner" aria-hidden="true"></span>{ text }</p>
            } else if let Some(text) = done {
                <p class="done">{ text }</p>
            }
            if let Some(problem) = &ui.storage {
                <p class="warning" id="storage-warning">{ problem }</p>
            }
        </div>
    }
}

//! The ranked causes, most likely first.

use yew::prelude::*;

use crate::components::FindingCard;
use crate::context::use_ctx;

/// The findings of the latest diagnosis, or what to paste when there is none.
#[function_component(FindingList)]
pub fn finding_list() -> Html {
    let ctx = use_ctx();
    let Some(analysis) = ctx.analysis() else {
        return html! { <p class="empty" id="no-findings">{ "Paste an nginx error log line to start." }</p> };
    };
    let report = &analysis.report;
    if report.artifacts.is_empty() {
        return html! { <p class="empty" id="no-findings">{ "Paste an nginx error log line to start, or answer the questions below." }</p> };
    }
    if report.findings.is_empty() {
        return html! {
            <p class="empty" id="no-findings">
                { "No cause found in what was pasted yet. The nginx error log lines of the failing request decide most 502s: " }
                <code>{ "sudo tail -n 50 /var/log/nginx/error.log" }</code>
            </p>
        };
    }
    html! {
        <>
            if let Some(status) = report.status_seen {
                <p class="status-seen">{ format!("The logs show the client got a {status}.") }</p>
            }
            <ol class="findings" id="findings" aria-label="Likely causes, most likely first">
                { for (0..report.findings.len()).map(|i| html! { <FindingCard key={format!("{}-{i}", analysis.seq)} index={i} /> }) }
            </ol>
        </>
    }
}

//! The ranked findings with their evidence lines and fixes.

use std::rc::Rc;

use engine::Report;
use yew::prelude::*;

/// Properties of [`FindingList`].
#[derive(Properties, PartialEq)]
pub struct FindingListProps {
    /// The report to show.
    pub report: Rc<Report>,
}

/// Renders every finding, most likely first, or what to paste when there is none.
#[function_component(FindingList)]
pub fn finding_list(props: &FindingListProps) -> Html {
    let report = &props.report;
    if report.artifacts.is_empty() {
        return html! { <p class="empty" id="no-findings">{ "Paste an nginx error log line to start." }</p> };
    }
    if report.findings.is_empty() {
        return html! {
            <p class="empty" id="no-findings">
                { "No cause found yet. Paste the nginx error log lines of the failing request: " }
                <code>{ "tail -n 50 /var/log/nginx/error.log" }</code>
            </p>
        };
    }
    html! {
        <ol class="findings" id="findings">
            { for report.findings.iter().map(|f| html! {
                <li class="finding" data-cause={f.cause.id()}>
                    <h3>
                        <span class="cause-id">{ f.cause.id() }</span>
                        <span class="confidence">{ format!("{:.0}%", f.confidence * 100.0) }</span>
                    </h3>
                    <p class="title">{ &f.title }</p>
                    <ul class="evidence">
                        { for f.evidence.iter().map(|e| html! {
                            <li class={classes!("evidence-line", e.against.then_some("against"))}>
                                <span class="line-no">{ format!("line {}", e.line) }</span>
                                <code>{ e.text.lines().next().unwrap_or("") }</code>
                                <span class="note">{ &e.note }</span>
                            </li>
                        }) }
                    </ul>
                    <pre class="fix">{ &f.fix }</pre>
                </li>
            }) }
        </ol>
    }
}

//! One likely cause: title, confidence, the evidence lines (click to see them in the paste),
//! and the fix.

use yew::prelude::*;

use crate::components::Markdown;
use crate::context::use_ctx;
use crate::ui::View;

/// Properties of [`FindingCard`].
#[derive(Properties, PartialEq)]
pub struct FindingCardProps {
    /// Its rank (0 = most likely).
    pub index: usize,
}

/// One finding.
#[function_component(FindingCard)]
pub fn finding_card(props: &FindingCardProps) -> Html {
    let ctx = use_ctx();
    let Some(analysis) = ctx.analysis() else {
        return html! {};
    };
    let Some(f) = analysis.report.findings.get(props.index) else {
        return html! {};
    };
    let percent = (f.confidence * 100.0).round() as u32;
    let cause = f.cause.id();
    let onpage = {
        let ctx = ctx.clone();
        Callback::from(move |e: MouseEvent| {
            e.prevent_default();
            ctx.go(View::Knowledge(Some(cause.to_string())));
        })
    };
    let heading_id = format!("finding-{}", props.index);
    html! {
        <li class="finding" data-cause={cause} aria-labelledby={heading_id.clone()}>
            <h3 id={heading_id}>
                <span class="rank">{ format!("{}.", props.index + 1) }</span>
                <span class="title">{ &f.title }</span>
            </h3>
            <p class="meta">
                <span class="confidence">
                    <meter min="0" max="100" value={percent.to_string()} aria-label="Confidence"></meter>
                    { format!(" {percent}% likely") }
                </span>
                { " · " }<code class="cause-id">{ cause }</code>
                { " · the client sees " }{ &f.client_sees }
                { " · " }<a href={format!("#kb/{cause}")} onclick={onpage}>{ "About this cause" }</a>
            </p>
            <h4>{ "Evidence" }</h4>
            <ul class="evidence">
                { for f.evidence.iter().map(|e| {
                    let (artifact, line) = (e.artifact, e.line);
                    let onclick = {
                        let ctx = ctx.clone();
                        Callback::from(move |_: MouseEvent| ctx.show_line(artifact, line))
                    };
                    let paste_name = analysis.report.artifacts.get(e.artifact)
                        .and_then(|a| ctx.box_of_paste(a.paste))
                        .map(|id| ctx.session.label(id))
                        .unwrap_or_default();
                    html! {
                        <li class={classes!("evidence-line", e.against.then_some("against"))}>
                            <button type="button" class="evidence-link" {onclick}>
                                <span class="visually-hidden">{ "Show " }</span>
                                { format!("{paste_name}, line {line}") }
                            </button>
                            if e.against { <span class="badge against">{ "argues against" }</span> }
                            <code class="quoted">{ e.text.lines().next().unwrap_or("") }</code>
                            <span class="note">{ &e.note }</span>
                        </li>
                    }
                }) }
            </ul>
            if !f.fix.is_empty() {
                <h4>{ "Fix" }</h4>
                <div class="fix">
                    <Markdown text={AttrValue::from(f.fix.clone())} />
                </div>
            }
        </li>
    }
}

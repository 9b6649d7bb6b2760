//! One step of the triage trail: the question, the answer, where the answer came from, and a
//! way to change it.

use engine::tree::walk::{Source, Step};
use engine::tree::{NodeBody, TREE};
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::context::use_ctx;
use crate::session::Action;

/// Properties of [`TriageStep`].
#[derive(Properties, PartialEq)]
pub struct TriageStepProps {
    /// Its position in the trail.
    pub index: usize,
    /// The step.
    pub step: Step,
}

/// One step.
#[function_component(TriageStep)]
pub fn triage_step(props: &TriageStepProps) -> Html {
    let ctx = use_ctx();
    let changing = use_state(|| false);
    let step = &props.step;
    let node = step.node.clone();
    let answered = ctx.session.answers.get(&node).cloned();
    let source = match &step.source {
        Source::Evidence { artifact, line, .. } => {
            let (artifact, line) = (*artifact, *line);
            let label = ctx
                .analysis()
                .and_then(|a| a.report.artifacts.get(artifact).map(|x| x.paste))
                .and_then(|p| ctx.box_of_paste(p))
                .map(|id| ctx.session.label(id))
                .unwrap_or_default();
            let ctx = ctx.clone();
            let onclick = Callback::from(move |_: MouseEvent| ctx.show_line(artifact, line));
            html! {
                <button type="button" class="source evidence-link" {onclick}>
                    { format!("from your paste, line {line}") }
                    <span class="visually-hidden">{ format!(" (show it in {label})") }</span>
                </button>
            }
        }
        Source::Pasted { .. } => html! { <span class="source">{ "pasted" }</span> },
        Source::Person => html! { <span class="source person">{ "your answer" }</span> },
        Source::Skipped if step.answer == "skip" => html! { <span class="source person">{ "your answer" }</span> },
        Source::Skipped => html! { <span class="source">{ "not needed" }</span> },
    };
    let choices: Vec<(&'static str, &'static str)> = match TREE.node(&node).map(|n| &n.body) {
        Some(NodeBody::Question { choices, .. }) => choices.iter().map(|c| (c.value, c.label)).collect(),
        Some(NodeBody::Request { .. }) => vec![("skip", "I cannot get this")],
        _ => Vec::new(),
    };
    let onchange = {
        let (ctx, node, changing) = (ctx.clone(), node.clone(), changing.clone());
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
            ctx.act(Action::Answer {
                node: node.clone(),
                value: (!value.is_empty()).then_some(value),
            });
            changing.set(false);
        })
    };
    let toggle = {
        let changing = changing.clone();
        Callback::from(move |_: MouseEvent| changing.set(!*changing))
    };
    let withdraw = answered.clone().map(|_| {
        let (ctx, node) = (ctx.clone(), node.clone());
        Callback::from(move |_: MouseEvent| {
            ctx.act(Action::Answer {
                node: node.clone(),
                value: None,
            })
        })
    });
    let select_id = format!("change-{node}");
    html! {
        <li class="step" data-node={node.clone()} data-answer={step.answer.clone()}>
            <span class="question">{ &step.text }</span>
            <span class="answer">{ &step.label }</span>
            { source }
            if !choices.is_empty() {
                <button type="button" class="small change" onclick={toggle} aria-expanded={changing.to_string()}>{ "Change" }</button>
            }
            if let Some(onclick) = withdraw {
                <button type="button" class="small" {onclick}>{ "Undo my answer" }</button>
            }
            if let Some(o) = &step.overrode {
                <p class="note">{ format!("Note: {o}. The evidence wins; remove the evidence line from the paste if it is wrong.") }</p>
            }
            if *changing {
                <label class="change-to" for={select_id.clone()}>
                    { "Answer instead: " }
                    <select id={select_id} {onchange}>
                        <option value="" selected={answered.is_none()}>{ "(no answer of mine)" }</option>
                        { for choices.iter().map(|(value, label)| html! {
                            <option value={*value} selected={answered.as_deref() == Some(*value)}>{ *label }</option>
                        }) }
                    </select>
                </label>
            }
        </li>
    }
}

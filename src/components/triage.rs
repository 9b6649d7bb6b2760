//! The guided triage: the trail of steps so far (each from the paste or from the person, each
//! changeable), then the current question or the conclusion.

use engine::tree::walk::Source;
use yew::prelude::*;

use crate::components::{Question, TriageStep};
use crate::context::use_ctx;
use crate::ui::View;

/// The triage section.
#[function_component(Triage)]
pub fn triage() -> Html {
    let ctx = use_ctx();
    let Some(analysis) = ctx.analysis() else {
        return html! {};
    };
    let walk = &analysis.report.walk;
    if walk.steps.is_empty() && walk.next.is_none() && walk.conclusion.is_none() {
        return html! {};
    }
    let from_paste = walk
        .steps
        .iter()
        .filter(|s| matches!(s.source, Source::Evidence { .. } | Source::Pasted { .. }))
        .count();
    let conclusion = walk.conclusion.map(|c| {
        let ctx = ctx.clone();
        let onclick = Callback::from(move |e: MouseEvent| {
            e.prevent_default();
            ctx.go(View::Knowledge(Some(c.id().to_string())));
        });
        html! {
            <div class="conclusion" id="conclusion" data-cause={c.id()}>
                <h4>{ "Where the triage ends" }</h4>
                <p><strong>{ c.title() }</strong>{ " (" }<code>{ c.id() }</code>{ "). " }
                   <a href={format!("#kb/{}", c.id())} {onclick}>{ "Read about it" }</a></p>
            </div>
        }
    });
    html! {
        <section class="triage" id="triage" aria-labelledby="triage-heading">
            <h3 id="triage-heading">{ "Guided triage" }</h3>
            if !walk.steps.is_empty() {
                <p class="hint">{ format!("{} of {} step{} answered from your pastes. Change any answer; the diagnosis follows.",
                    from_paste, walk.steps.len(), if walk.steps.len() == 1 { "" } else { "s" }) }</p>
                <ol class="trail" id="trail">
                    { for walk.steps.iter().enumerate().map(|(i, s)| html! {
                        <TriageStep key={s.node.clone()} index={i} step={s.clone()} />
                    }) }
                </ol>
            }
            if let Some(o) = &walk.overruled {
                <p class="note">{ format!("Note: {o}") }</p>
            }
            if let Some(q) = &walk.next {
                <Question question={q.clone()} />
            }
            { for conclusion }
        </section>
    }
}

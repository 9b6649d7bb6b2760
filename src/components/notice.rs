//! A message about the last thing that happened, with Undo when it can be undone.

use yew::prelude::*;

use crate::context::use_ctx;
use crate::session::Action;
use crate::ui::UiAction;

/// The message bar (a live region: screen readers hear it).
#[function_component(NoticeBar)]
pub fn notice_bar() -> Html {
    let ctx = use_ctx();
    let Some(notice) = ctx.ui.notice.clone() else {
        return html! { <div class="notice-slot" role="status" aria-live="polite"></div> };
    };
    let dismiss = {
        let ctx = ctx.clone();
        Callback::from(move |_: MouseEvent| ctx.set(UiAction::Notice(None)))
    };
    let undo = notice.undo.clone().map(|saved| {
        let ctx = ctx.clone();
        let onclick = Callback::from(move |_: MouseEvent| {
            ctx.act(Action::Load((*saved).clone()));
            ctx.set(UiAction::Notice(None));
        });
        html! { <button type="button" id="undo" {onclick}>{ "Undo" }</button> }
    });
    html! {
        <div class="notice-slot" role="status" aria-live="polite">
            <div class={classes!("notice", notice.error.then_some("error"))} id="notice">
                <span>{ &notice.text }</span>
                { for undo }
                <button type="button" class="link" onclick={dismiss} aria-label="Dismiss the message">{ "×" }</button>
            </div>
        </div>
    }
}

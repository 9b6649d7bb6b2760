//! The top bar: name, views, and the actions on the whole session.

use yew::prelude::*;

use crate::components::{ExampleMenu, ExportMenu, ThemeSelect};
use crate::context::use_ctx;
use crate::session::Action;
use crate::ui::{Notice, UiAction, View};

/// The top bar.
#[function_component(Header)]
pub fn header() -> Html {
    let ctx = use_ctx();
    let view = ctx.ui.view.clone();
    let tab = |label: &'static str, target: View, current: bool| {
        let ctx = ctx.clone();
        let onclick = Callback::from(move |e: MouseEvent| {
            e.prevent_default();
            ctx.go(target.clone());
        });
        html! {
            <a href={if label == "Diagnose" { "#diagnose" } else { "#kb" }}
               class={classes!("tab", current.then_some("current"))}
               aria-current={current.then_some("page")}
               {onclick}>{ label }</a>
        }
    };
    let onshare = {
        let ctx = ctx.clone();
        Callback::from(move |_: MouseEvent| {
            let seq = ctx.next_seq();
            ctx.set(UiAction::OpenShare { seq });
            ctx.client.share(seq, &ctx.session, Default::default());
        })
    };
    let onclear = {
        let ctx = ctx.clone();
        Callback::from(move |_: MouseEvent| {
            let before = ctx.session.saved();
            ctx.act(Action::Clear);
            ctx.set(UiAction::Notice(Some(Notice {
                text: "Everything was cleared, here and in this browser's storage.".into(),
                error: false,
                undo: Some(std::rc::Rc::new(before)),
            })));
        })
    };
    let empty = ctx.session.is_empty();
    html! {
        <header class="top">
            <div class="brand">
                <h1>{ "Gateway Doctor" }</h1>
                <p class="tagline">{ "Find the cause of an nginx 502 from what you paste. It all stays in this browser." }</p>
            </div>
            <nav class="tabs" aria-label="Views">
                { tab("Diagnose", View::Diagnose, view == View::Diagnose) }
                { tab("Knowledge base", View::Knowledge(None), matches!(view, View::Knowledge(_))) }
            </nav>
            <div class="actions" role="toolbar" aria-label="Session">
                <ExampleMenu />
                <button type="button" id="share" onclick={onshare} disabled={empty}>{ "Share link…" }</button>
                <ExportMenu />
                <button type="button" id="clear" onclick={onclear} disabled={empty}>{ "Clear" }</button>
                <ThemeSelect />
            </div>
        </header>
    }
}

//! The left column: paste boxes, adding boxes and files.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::components::{ExampleList, PasteBox};
use crate::context::{Ctx, use_ctx};
use crate::dom;
use crate::session::Action;
use crate::ui::UiAction;

/// Reads files (picked or dropped) into new pastes.
pub fn take_files(ctx: &Ctx, files: Option<web_sys::FileList>) {
    let Some(files) = files else { return };
    for i in 0..files.length() {
        let Some(file) = files.item(i) else { continue };
        let ctx = ctx.clone();
        ctx.set(UiAction::Reading(1));
        yew::platform::spawn_local(async move {
            if let Some(text) = dom::read_file(&file).await {
                ctx.act(Action::AddPaste {
                    name: file.name(),
                    text,
                });
            }
            ctx.set(UiAction::Reading(-1));
        });
    }
}

/// Every paste box, and the ways to add more.
#[function_component(PasteList)]
pub fn paste_list() -> Html {
    let ctx = use_ctx();
    let onadd = {
        let ctx = ctx.clone();
        Callback::from(move |_: MouseEvent| ctx.act(Action::AddBox))
    };
    let onfiles = {
        let ctx = ctx.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            take_files(&ctx, input.files());
            input.set_value("");
        })
    };
    let start = ctx.session.is_empty().then(|| {
        html! {
            <div class="start">
                <p>{ "Paste what you have: the nginx error log lines of the failing request, your nginx config (" }
                   <code>{ "nginx -T" }</code>{ "), PHP-FPM's log, the output of " }<code>{ "systemctl status" }</code>
                   { ", " }<code>{ "ss -ltnp" }</code>{ ", " }<code>{ "curl -I" }</code>
                   { "… One box can hold a whole terminal session; drop or open files too (large ones as well)." }</p>
                <h3>{ "Or try an example" }</h3>
                <ExampleList place="start" />
            </div>
        }
    });
    html! {
        <section class="pastes" aria-labelledby="pastes-heading">
            <div class="section-head">
                <h2 id="pastes-heading">{ "Your pastes" }</h2>
                <div class="buttons">
                    <button type="button" id="add-box" onclick={onadd}>{ "Add a box" }</button>
                    <label class="button" for="files">{ "Open files…" }</label>
                    <input type="file" id="files" class="visually-hidden" multiple=true onchange={onfiles} />
                </div>
            </div>
            { for ctx.session.entries.iter().map(|e| html! {
                <PasteBox key={e.id} entry={e.clone()} />
            }) }
            { for start }
        </section>
    }
}

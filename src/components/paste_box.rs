//! One paste box: its text (a textarea, or numbered lines when it is large or a line is being
//! shown), what the engine read in it, and its controls.

use engine::Kind;
use wasm_bindgen::JsCast;
use web_sys::{ClipboardEvent, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::components::{LineView, PieceList};
use crate::context::use_ctx;
use crate::dom;
use crate::session::{Action, Entry, LARGE};

/// Properties of [`PasteBox`].
#[derive(Properties, PartialEq)]
pub struct PasteBoxProps {
    /// The box.
    pub entry: Entry,
}

/// One paste box.
#[function_component(PasteBox)]
pub fn paste_box(props: &PasteBoxProps) -> Html {
    let ctx = use_ctx();
    let entry = &props.entry;
    let id = entry.id;
    let focus = ctx.ui.focus.filter(|f| f.id == id);
    // Lines view: large pastes always; others while a line is shown, until "Edit".
    let editing = use_state(|| true);
    {
        let editing = editing.clone();
        use_effect_with(focus.map(|f| f.nonce), move |nonce| {
            if nonce.is_some() {
                editing.set(false);
            }
        });
    }
    let large = entry.is_large();
    let show_lines = large || !*editing;
    let text_id = format!("paste-{id}");

    let oninput = {
        let ctx = ctx.clone();
        Callback::from(move |e: InputEvent| {
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            ctx.act(Action::SetText { id, text: area.value() });
        })
    };
    // A paste of a megabyte or more becomes a read-only paste at once (no textarea holds it).
    let onpaste = {
        let ctx = ctx.clone();
        let empty = entry.paste.text.is_empty();
        Callback::from(move |e: Event| {
            let Some(text) = e
                .dyn_ref::<ClipboardEvent>()
                .and_then(|c| c.clipboard_data())
                .and_then(|d| d.get_data("text/plain").ok())
            else {
                return;
            };
            if text.len() >= LARGE {
                e.prevent_default();
                if empty {
                    ctx.act(Action::SetText { id, text });
                } else {
                    ctx.act(Action::AddPaste {
                        name: String::new(),
                        text,
                    });
                }
            }
        })
    };
    let onremove = {
        let ctx = ctx.clone();
        Callback::from(move |_: MouseEvent| ctx.act(Action::Remove { id }))
    };
    let onedit = {
        let editing = editing.clone();
        Callback::from(move |_: MouseEvent| editing.set(true))
    };
    let onlines = {
        let editing = editing.clone();
        Callback::from(move |_: MouseEvent| editing.set(false))
    };
    let onkind = {
        let ctx = ctx.clone();
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
            ctx.act(Action::SetKind {
                id,
                kind: Kind::from_id(&value),
            });
        })
    };
    let paste = &entry.paste;
    let label = ctx.session.label(id);
    let lines = *use_memo((id, entry.rev), {
        let paste = paste.clone();
        move |_| crate::lines::count(&paste.text)
    });
    let whole_kind = html! {
        <label class="whole-kind">
            { "Whole paste is " }
            <select onchange={onkind} aria-label={format!("Kind of the whole of {label}")}>
                <option value="" selected={paste.kind.is_none()}>{ "split and detected" }</option>
                { for Kind::ALL.iter().map(|k| html! {
                    <option value={k.id()} selected={paste.kind == Some(*k)}>{ k.label() }</option>
                }) }
            </select>
        </label>
    };
    let body = if show_lines {
        html! { <LineView entry={entry.clone()} focus={focus.map(|f| (f.line, f.nonce))} /> }
    } else {
        html! {
            <textarea
                id={text_id.clone()}
                class="paste"
                rows={if paste.text.is_empty() { "8" } else { "12" }}
                spellcheck="false"
                autocomplete="off"
                placeholder="2026/11/21 10:00:00 [crit] 2211#2211: *4711 connect() to unix:/run/php/php8.3-fpm.sock failed (2: No such file or directory) while connecting to upstream, …"
                value={paste.text.to_string()}
                {oninput}
                {onpaste}
            />
        }
    };
    html! {
        <article class="paste-box" id={format!("box-{id}")} data-box={id.to_string()} aria-labelledby={format!("box-{id}-name")}>
            <div class="box-head">
                <label for={text_id.clone()} id={format!("box-{id}-name")} class="box-name">{ label.clone() }</label>
                if !paste.text.is_empty() {
                    <span class="box-size">{ format!("{} · {} line{}", dom::size(paste.text.len()), lines, if lines == 1 { "" } else { "s" }) }</span>
                }
                <span class="spacer"></span>
                if !large {
                    if show_lines {
                        <button type="button" class="small" onclick={onedit}>{ "Edit" }</button>
                    } else if !paste.text.is_empty() {
                        <button type="button" class="small" onclick={onlines}>{ "Line numbers" }</button>
                    }
                }
                <button type="button" class="small" onclick={onremove} aria-label={format!("Remove {label}")}>{ "Remove" }</button>
            </div>
            if large {
                <p class="hint">{ format!("Large paste ({}): shown read-only, analysed in the background.", dom::size(paste.text.len())) }</p>
            }
            { body }
            if !paste.text.is_empty() {
                <div class="box-foot">
                    { whole_kind }
                </div>
                <PieceList id={id} />
            }
        </article>
    }
}

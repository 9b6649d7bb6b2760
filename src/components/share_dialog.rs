//! Sharing: first what will be masked (addresses, host names, e-mail addresses, secrets; private
//! keys are always removed), then the link, whose fragment carries the redacted session.

use engine::redact::{Options, What};
use wasm_bindgen::JsCast;
use web_sys::{HtmlDialogElement, HtmlInputElement};
use yew::prelude::*;

use crate::components::CopyButton;
use crate::context::{Ctx, use_ctx};
use crate::dom;
use crate::protocol::Link;
use crate::ui::UiAction;

/// Items listed at most.
const LISTED: usize = 300;

fn reshare(ctx: &Ctx, options: Options) {
    let seq = ctx.next_seq();
    ctx.set(UiAction::ShareOptions {
        options: options.clone(),
        seq,
    });
    ctx.client.share(seq, &ctx.session, options);
}

/// The share dialog (a modal `<dialog>`).
#[function_component(ShareDialog)]
pub fn share_dialog() -> Html {
    let ctx = use_ctx();
    let dialog = use_node_ref();
    let open = ctx.ui.share.is_some();
    {
        let dialog = dialog.clone();
        use_effect_with(open, move |open| {
            if let Some(d) = dialog.cast::<HtmlDialogElement>() {
                if *open && !d.open() {
                    let _ = d.show_modal();
                } else if !*open && d.open() {
                    d.close();
                }
            }
        });
    }
    let onclose = {
        let ctx = ctx.clone();
        Callback::from(move |_: Event| ctx.set(UiAction::CloseShare))
    };
    let close = {
        let ctx = ctx.clone();
        Callback::from(move |_: MouseEvent| ctx.set(UiAction::CloseShare))
    };
    let body = match &ctx.ui.share {
        None => html! {},
        Some(share) => {
            let options = share.options.clone();
            let category = |what: What, on: bool| {
                let (ctx, options) = (ctx.clone(), options.clone());
                let onchange = Callback::from(move |e: Event| {
                    let checked = e.target_unchecked_into::<HtmlInputElement>().checked();
                    let mut o = options.clone();
                    match what {
                        What::Address => o.addresses = checked,
                        What::Host => o.hosts = checked,
                        What::Email => o.emails = checked,
                        What::Secret => o.secrets = checked,
                        What::PrivateKey => {}
                    }
                    reshare(&ctx, o);
                });
                html! {
                    <label class="check">
                        <input type="checkbox" id={format!("mask-{}", what.id())} checked={on} {onchange} />
                        { format!("Mask {}", what.label()) }
                    </label>
                }
            };
            let result = share.result.clone();
            let list = result.as_ref().map(|r| {
                // Kept or masked as the options say now (the worker's answer for them may be on its way).
                let masked = r.masks.iter().filter(|m| m.what != What::PrivateKey && !options.keeps(m.what, &m.original)).count();
                html! {
                    <>
                        if !r.private_keys.is_empty() {
                            <p class="warning" id="private-key-warning">
                                { format!("{} private key{} found: {} never included in a link. If a private key was ever shared, replace it.",
                                    r.private_keys.len(), if r.private_keys.len() == 1 { "" } else { "s" },
                                    if r.private_keys.len() == 1 { "it is" } else { "they are" }) }
                            </p>
                        }
                        <p id="mask-count">{ format!("{masked} item{} will be masked; untick one to leave it as it is.", if masked == 1 { "" } else { "s" }) }</p>
                        <ul class="masks" id="masks">
                            { for r.masks.iter().filter(|m| m.what != What::PrivateKey).take(LISTED).map(|m| {
                                let onchange = {
                                    let (ctx, options, original) = (ctx.clone(), options.clone(), m.original.clone());
                                    Callback::from(move |e: Event| {
                                        let mask = e.target_unchecked_into::<HtmlInputElement>().checked();
                                        let mut o = options.clone();
                                        o.keep.retain(|k| *k != original);
                                        if !mask { o.keep.push(original.clone()); }
                                        reshare(&ctx, o);
                                    })
                                };
                                let kept = options.keeps(m.what, &m.original);
                                let paste = ctx.session.entries.iter().filter(|e| !e.paste.text.is_empty()).nth(m.paste)
                                    .map(|e| e.paste.name.clone()).unwrap_or_default();
                                html! {
                                    <li class={classes!("mask", kept.then_some("kept"))} data-what={m.what.id()}>
                                        <label>
                                            <input type="checkbox" checked={!kept} {onchange} />
                                            <span class="what">{ m.what.id() }</span>
                                            <code class="original">{ &m.original }</code>
                                            <span aria-hidden="true">{ " → " }</span>
                                            <span class="visually-hidden">{ " becomes " }</span>
                                            <code class="replacement">{ &m.replacement }</code>
                                            <span class="where">{ format!("{paste}, line {}{}", m.line, if m.count > 1 { format!(", {}×", m.count) } else { String::new() }) }</span>
                                        </label>
                                    </li>
                                }
                            }) }
                        </ul>
                        if r.masks.len() > LISTED {
                            <p>{ format!("… and {} more (all masked as listed above).", r.masks.len() - LISTED) }</p>
                        }
                    </>
                }
            });
            let confirm = {
                let ctx = ctx.clone();
                Callback::from(move |_: MouseEvent| ctx.set(UiAction::ConfirmShare))
            };
            // The link only for the options as they are now.
            let fresh = share.result_seq == share.seq;
            let link = match (share.confirmed && fresh, result.as_ref().map(|r| &r.link)) {
                (true, Some(Link::Fragment(f))) => {
                    let url = format!("{}#{f}", dom::page_url());
                    html! {
                        <div class="link">
                            <label for="share-url">{ format!("The link ({} characters). Whoever opens it sees these pastes, redacted as above, and the same diagnosis.", url.len()) }</label>
                            <input id="share-url" type="text" readonly=true value={url.clone()} onfocus={Callback::from(|e: FocusEvent| {
                                if let Some(i) = e.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()) { i.select(); }
                            })} />
                            <CopyButton id="copy-link" text={AttrValue::from(url)} label="Copy the link" />
                        </div>
                    }
                }
                (true, Some(Link::TooLarge { chars, limit })) => html! {
                    <p class="warning" id="link-too-large">{ format!(
                        "The link would be {} KB long; links over {} KB break in chat tools, tickets and mail. Remove pastes or keep only the relevant lines (the error log lines of the failing request, the server block), then try again; or export the report as Markdown instead.",
                        chars / 1000, limit / 1000) }</p>
                },
                _ if share.confirmed => html! {
                    <p class="busy"><span class="spinner" aria-hidden="true"></span>{ "Making the link…" }</p>
                },
                _ => html! {
                    <button type="button" id="make-link" class="primary" onclick={confirm} disabled={result.is_none()}>{ "Make the link" }</button>
                },
            };
            html! {
                <>
                    <h2 id="share-title">{ "Share this diagnosis" }</h2>
                    <p>{ "The link carries your pastes and answers inside its " }<code>{ "#fragment" }</code>
                       { ", compressed: browsers never send that part to any server, so nobody but whoever opens the link sees them. Before the link is made, check what gets masked." }</p>
                    <fieldset class="categories">
                        <legend>{ "Mask" }</legend>
                        { category(What::Address, options.addresses) }
                        { category(What::Host, options.hosts) }
                        { category(What::Email, options.emails) }
                        { category(What::Secret, options.secrets) }
                        <p class="hint">{ "Private keys are always removed." }</p>
                    </fieldset>
                    if result.is_none() {
                        <p class="busy"><span class="spinner" aria-hidden="true"></span>{ "Looking for what to mask…" }</p>
                    }
                    { for list }
                    { link }
                </>
            }
        }
    };
    html! {
        <dialog ref={dialog} id="share-dialog" class="dialog" aria-labelledby="share-title" {onclose}>
            <div class="dialog-body">
                { body }
                <div class="buttons end">
                    <button type="button" id="close-share" onclick={close}>{ "Close" }</button>
                </div>
            </div>
        </dialog>
    }
}

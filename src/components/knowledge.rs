//! The knowledge base, offline: every cause with its page, searchable.

use engine::Cause;
use engine::knowledge;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::components::CausePage;
use crate::context::use_ctx;
use crate::md;
use crate::ui::View;

/// Properties of [`KnowledgeBase`].
#[derive(Properties, PartialEq)]
pub struct KnowledgeBaseProps {
    /// The cause whose page is open.
    #[prop_or_default]
    pub selected: Option<String>,
}

/// The searchable text of a cause: id, titles, and its page without markup.
fn haystack(cause: Cause) -> String {
    let mut s = format!("{} {} {}", cause.id(), cause.title(), cause.client_sees());
    if let Some(page) = knowledge::page(cause) {
        s.push(' ');
        s.push_str(page.title);
        for (heading, body) in page.sections.iter().chain(page.fix_platforms) {
            s.push(' ');
            s.push_str(heading);
            s.push(' ');
            s.push_str(&md::plain_text(body));
        }
    }
    s.to_ascii_lowercase()
}

/// The knowledge base view.
#[function_component(KnowledgeBase)]
pub fn knowledge_base(props: &KnowledgeBaseProps) -> Html {
    let ctx = use_ctx();
    let query = use_state(String::new);
    let index = use_memo((), |_| Cause::ALL.iter().map(|&c| (c, haystack(c))).collect::<Vec<_>>());
    let words: Vec<String> = query
        .to_ascii_lowercase()
        .split_whitespace()
        .map(str::to_string)
        .collect();
    let hits: Vec<Cause> = index
        .iter()
        .filter(|(_, text)| words.iter().all(|w| text.contains(w.as_str())))
        .map(|(c, _)| *c)
        .collect();
    let oninput = {
        let query = query.clone();
        Callback::from(move |e: InputEvent| query.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let selected = props.selected.as_deref().and_then(Cause::from_id);
    html! {
        <>
            <nav class="kb-index" aria-label="Causes">
                <h2>{ "Knowledge base" }</h2>
                <label for="kb-search">{ "Search the causes" }</label>
                <input id="kb-search" type="search" value={(*query).clone()} {oninput}
                    placeholder="socket, 504, SELinux, timeout…" autocomplete="off" />
                <p class="hint" role="status" aria-live="polite">
                    { format!("{} of {} causes", hits.len(), Cause::ALL.len()) }
                </p>
                <ul class="kb-list" id="kb-list">
                    { for hits.iter().map(|&c| {
                        let ctx = ctx.clone();
                        let current = selected == Some(c);
                        let onclick = Callback::from(move |e: MouseEvent| {
                            e.prevent_default();
                            ctx.go(View::Knowledge(Some(c.id().to_string())));
                        });
                        html! {
                            <li>
                                <a href={format!("#kb/{}", c.id())} data-cause={c.id()}
                                   aria-current={current.then_some("page")} {onclick}>
                                    <strong>{ knowledge::page(c).map_or(c.title(), |p| p.title) }</strong>
                                    <code>{ c.id() }</code>
                                </a>
                            </li>
                        }
                    }) }
                </ul>
            </nav>
            <div class="kb-page">
                if let Some(c) = selected {
                    <CausePage cause={c.id()} />
                } else {
                    <div class="kb-intro">
                        <h2>{ "Every cause of an nginx 502, offline" }</h2>
                        <p>{ "Each page says what happened, why nginx answers 502 (or 504), how to confirm it, how to fix it on your platform, and how to check the fix. Pick a cause, or search." }</p>
                    </div>
                }
            </div>
        </>
    }
}

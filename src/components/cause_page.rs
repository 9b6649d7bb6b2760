//! One page of the knowledge base.

use engine::{Cause, knowledge};
use yew::prelude::*;

use crate::components::Markdown;
use crate::context::use_ctx;
use crate::ui::View;

/// Properties of [`CausePage`].
#[derive(Properties, PartialEq)]
pub struct CausePageProps {
    /// The cause id.
    pub cause: AttrValue,
}

/// A cause page (placeholders shown with their fallbacks, or `<name>`).
#[function_component(CausePage)]
pub fn cause_page(props: &CausePageProps) -> Html {
    let ctx = use_ctx();
    let Some(cause) = Cause::from_id(&props.cause) else {
        return html! { <p>{ "No such cause." }</p> };
    };
    let back = {
        let ctx = ctx.clone();
        Callback::from(move |e: MouseEvent| {
            e.prevent_default();
            ctx.go(View::Diagnose);
        })
    };
    let Some(page) = knowledge::page(cause) else {
        return html! {
            <article class="cause-page" id="cause-page" data-cause={cause.id()}>
                <h2>{ cause.title() }</h2>
                <p><code>{ cause.id() }</code>{ format!(" · the client sees {}", cause.client_sees()) }</p>
                <p>{ "This cause has no page yet." }</p>
            </article>
        };
    };
    let fill = |text: &str| AttrValue::from(knowledge::fill(text, &[]));
    html! {
        <article class="cause-page" id="cause-page" data-cause={cause.id()} aria-labelledby="cause-title">
            <h2 id="cause-title">{ page.title }</h2>
            <p class="meta"><code>{ cause.id() }</code>{ format!(" · the client sees {}", cause.client_sees()) }
                { " · " }<a href="#diagnose" onclick={back}>{ "Back to the diagnosis" }</a></p>
            { for page.sections.iter().map(|(heading, body)| html! {
                <section>
                    <h3>{ *heading }</h3>
                    <Markdown text={fill(body)} shift={2} />
                    if heading.starts_with("Fix") {
                        { for page.fix_platforms.iter().map(|(platform, body)| html! {
                            <section class="platform">
                                <h4>{ *platform }</h4>
                                <Markdown text={fill(body)} shift={3} />
                            </section>
                        }) }
                    }
                </section>
            }) }
        </article>
    }
}

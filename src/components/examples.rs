//! The built-in examples, to try the app without pasting anything.

use std::rc::Rc;

use yew::prelude::*;

use crate::context::use_ctx;
use crate::examples::EXAMPLES;
use crate::session::Action;
use crate::ui::{Notice, UiAction, View};

/// Properties of [`ExampleList`].
#[derive(Properties, PartialEq)]
pub struct ExampleListProps {
    /// Where the list is (`menu` in the top bar, `start` on the empty page): ids stay unique.
    pub place: AttrValue,
}

/// Buttons loading each example.
#[function_component(ExampleList)]
pub fn example_list(props: &ExampleListProps) -> Html {
    let ctx = use_ctx();
    html! {
        <ul class="examples">
            { for EXAMPLES.iter().map(|ex| {
                let ctx = ctx.clone();
                let onclick = Callback::from(move |e: MouseEvent| {
                    // Close the menu it was chosen from.
                    if let Some(menu) = e.target_dyn_into::<web_sys::Element>().and_then(|t| t.closest("details").ok().flatten()) {
                        let _ = menu.remove_attribute("open");
                    }
                    let before = (!ctx.session.is_empty()).then(|| Rc::new(ctx.session.saved()));
                    ctx.act(Action::Load(ex.saved()));
                    ctx.go(View::Diagnose);
                    ctx.set(UiAction::Notice(Some(Notice {
                        text: format!("Example loaded: {}.{}", ex.title, if before.is_some() { " Your own pastes were replaced." } else { "" }),
                        error: false,
                        undo: before,
                    })));
                });
                html! {
                    <li>
                        <button type="button" class="example" id={format!("{}-example-{}", props.place, ex.id)} data-example={ex.id} {onclick}>
                            <strong>{ ex.title }</strong>
                            <span>{ ex.summary }</span>
                        </button>
                    </li>
                }
            }) }
        </ul>
    }
}

/// The examples behind a disclosure button in the top bar.
#[function_component(ExampleMenu)]
pub fn example_menu() -> Html {
    html! {
        <details class="menu" id="examples-menu">
            <summary>{ "Examples" }</summary>
            <div class="menu-body">
                <ExampleList place="menu" />
            </div>
        </details>
    }
}

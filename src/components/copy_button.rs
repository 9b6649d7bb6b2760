//! A button that copies text to the clipboard and says whether it worked.

use yew::prelude::*;

use crate::dom;

/// Properties of [`CopyButton`].
#[derive(Properties, PartialEq)]
pub struct CopyButtonProps {
    /// The text to copy.
    pub text: AttrValue,
    /// The button's words (`Copy` by default).
    #[prop_or(AttrValue::Static("Copy"))]
    pub label: AttrValue,
    /// What is copied, for screen readers ("Copy the command ...").
    #[prop_or_default]
    pub what: Option<AttrValue>,
    /// Element id.
    #[prop_or_default]
    pub id: Option<AttrValue>,
    /// Greyed out.
    #[prop_or_default]
    pub disabled: bool,
}

/// The copy button.
#[function_component(CopyButton)]
pub fn copy_button(props: &CopyButtonProps) -> Html {
    let state = use_state(|| None::<bool>);
    let onclick = {
        let (state, text) = (state.clone(), props.text.clone());
        Callback::from(move |_: MouseEvent| {
            let (state, text) = (state.clone(), text.clone());
            yew::platform::spawn_local(async move {
                let ok = dom::copy(&text).await;
                state.set(Some(ok));
                gloo::timers::future::TimeoutFuture::new(2000).await;
                state.set(None);
            });
        })
    };
    let label = match *state {
        Some(true) => AttrValue::from("Copied"),
        Some(false) => AttrValue::from("Copy failed: select the text"),
        None => props.label.clone(),
    };
    html! {
        <button type="button" class="copy" id={props.id.clone()} {onclick} disabled={props.disabled}>
            <span aria-live="polite">{ label }</span>
            if let Some(what) = &props.what {
                <span class="visually-hidden">{ format!(" {what}") }</span>
            }
        </button>
    }
}

//! Light, dark, or as the system says.

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::dom;

/// The theme chooser (kept in local storage).
#[function_component(ThemeSelect)]
pub fn theme_select() -> Html {
    let theme = use_state(|| dom::load(dom::THEME_KEY).unwrap_or_default());
    let onchange = {
        let theme = theme.clone();
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
            dom::apply_theme(&value);
            if value.is_empty() {
                dom::forget(dom::THEME_KEY);
            } else {
                let _ = dom::store(dom::THEME_KEY, &value);
            }
            theme.set(value);
        })
    };
    let option = |value: &'static str, label: &'static str| {
        html! { <option {value} selected={*theme == value}>{ label }</option> }
    };
    html! {
        <label class="theme">
            <span class="visually-hidden">{ "Theme" }</span>
            <select id="theme" {onchange} aria-label="Theme">
                { option("", "System theme") }
                { option("light", "Light") }
                { option("dark", "Dark") }
            </select>
        </label>
    }
}

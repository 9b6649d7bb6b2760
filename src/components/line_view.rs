//! A paste as numbered lines, a window of them at a time (pastes may hold hundreds of thousands),
//! with one line highlighted and scrolled to when evidence is clicked.

use yew::prelude::*;

use crate::dom;
use crate::lines;
use crate::session::Entry;

/// Lines shown at a time.
const WINDOW: usize = 300;

/// Properties of [`LineView`].
#[derive(Properties, PartialEq)]
pub struct LineViewProps {
    /// The box.
    pub entry: Entry,
    /// The line to show and highlight (1-based), with the request's nonce.
    #[prop_or_default]
    pub focus: Option<(usize, u32)>,
}

/// The numbered lines.
#[function_component(LineView)]
pub fn line_view(props: &LineViewProps) -> Html {
    let entry = &props.entry;
    let id = entry.id;
    let starts = use_memo((id, entry.rev), {
        let paste = entry.paste.clone();
        move |_| lines::starts(&paste.text)
    });
    let total = starts.len();
    let first = use_state(|| 1usize);
    // Centre the window on the focused line whenever a line is asked for.
    {
        let first = first.clone();
        use_effect_with(props.focus, move |focus| {
            if let Some((line, _)) = focus {
                first.set(line.saturating_sub(WINDOW / 2).max(1));
                let target = format!("p{id}-l{line}");
                // After this render has reached the page.
                yew::platform::spawn_local(async move {
                    gloo::timers::future::TimeoutFuture::new(0).await;
                    dom::show(&target);
                });
            }
        });
    }
    let start = (*first).clamp(1, total.max(1));
    let end = (start + WINDOW - 1).min(total);
    let focused = props.focus.map(|(l, _)| l);
    let text = &entry.paste.text;
    let earlier = (start > 1).then(|| {
        let first = first.clone();
        let onclick = Callback::from(move |_: MouseEvent| first.set(start.saturating_sub(WINDOW).max(1)));
        html! { <button type="button" class="small more" {onclick}>{ format!("Show lines {}–{}", start.saturating_sub(WINDOW).max(1), start - 1) }</button> }
    });
    let later = (end < total).then(|| {
        let first = first.clone();
        let onclick = Callback::from(move |_: MouseEvent| first.set(end + 1));
        html! { <button type="button" class="small more" {onclick}>{ format!("Show lines {}–{} (of {total})", end + 1, (end + WINDOW).min(total)) }</button> }
    });
    html! {
        <div class="line-view" role="region" aria-label={format!("Lines of {}", entry.paste.name)}>
            { for earlier }
            <ol class="lines" start={start.to_string()}>
                { for (start..=end).map(|n| {
                    let line = lines::line(text, &starts, n);
                    let hit = focused == Some(n);
                    html! {
                        <li id={format!("p{id}-l{n}")} class={classes!("line", hit.then_some("hit"))}
                            tabindex={hit.then_some("-1")} aria-current={hit.then_some("true")}>
                            <span class="ln">{ n }</span>
                            <code>{ if line.is_empty() { " " } else { line } }</code>
                        </li>
                    }
                }) }
            </ol>
            { for later }
        </div>
    }
}

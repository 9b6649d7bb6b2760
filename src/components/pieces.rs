//! What the engine read in one paste: each piece with its kind (changeable), its lines and
//! the lines nothing could read.

use engine::Kind;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::context::use_ctx;
use crate::session::Action;
use crate::ui::UiAction;

/// Properties of [`PieceList`].
#[derive(Properties, PartialEq)]
pub struct PieceListProps {
    /// The box.
    pub id: u32,
}

/// The pieces of one box, from the latest diagnosis.
#[function_component(PieceList)]
pub fn piece_list(props: &PieceListProps) -> Html {
    let ctx = use_ctx();
    let id = props.id;
    let Some(analysis) = ctx.analysis() else {
        return html! {};
    };
    let Some(paste) = analysis.ids.iter().position(|&i| i == id) else {
        return html! {};
    };
    let pieces: Vec<_> = analysis
        .report
        .artifacts
        .iter()
        .enumerate()
        .filter(|(_, a)| a.paste == paste)
        .collect();
    if pieces.is_empty() {
        return html! {};
    }
    html! {
        <ul class="pieces" aria-label="What was read">
            { for pieces.into_iter().map(|(index, a)| {
                let start = a.span.start;
                let last = a.first_line + a.lines.saturating_sub(1);
                let onkind = {
                    let ctx = ctx.clone();
                    Callback::from(move |e: Event| {
                        let value = e.target_unchecked_into::<HtmlSelectElement>().value();
                        ctx.act(Action::SetPieceKind { id, start, kind: Kind::from_id(&value) });
                    })
                };
                let what = a.command.clone().map(|c| format!("$ {c}")).or_else(|| a.file.clone());
                let unread = (!a.unread.is_empty()).then(|| {
                    let more = a.unparsed_lines.saturating_sub(a.unread.len());
                    html! {
                        <details class="unread">
                            <summary>{ format!("{} line{} not read", a.unparsed_lines, if a.unparsed_lines == 1 { "" } else { "s" }) }</summary>
                            <ul>
                                { for a.unread.iter().map(|u| {
                                    let ctx = ctx.clone();
                                    let line = u.line;
                                    let onclick = Callback::from(move |_: MouseEvent| ctx.set(UiAction::Focus { id, line }));
                                    html! {
                                        <li>
                                            <button type="button" class="line-link" {onclick}>{ format!("line {line}") }</button>
                                            <code>{ u.text.lines().next().unwrap_or("") }</code>
                                        </li>
                                    }
                                }) }
                                if more > 0 {
                                    <li>{ format!("… and {more} more") }</li>
                                }
                            </ul>
                        </details>
                    }
                });
                html! {
                    <li class="piece" data-kind={a.kind.id()} data-piece={index.to_string()}>
                        <label>
                            <span class="visually-hidden">{ format!("Kind of lines {}-{last}", a.first_line) }</span>
                            <select class="kind" onchange={onkind}>
                                <option value="">{ "Detect automatically" }</option>
                                { for Kind::ALL.iter().map(|k| html! {
                                    <option value={k.id()} selected={a.kind == *k}>{ k.label() }</option>
                                }) }
                            </select>
                        </label>
                        if a.overridden {
                            <span class="badge">{ "your choice" }</span>
                        }
                        <span class="piece-lines">
                            { if a.lines == 0 { "no output".to_string() } else if a.lines == 1 { format!("line {}", a.first_line) } else { format!("lines {}–{last} ({} lines)", a.first_line, a.lines) } }
                        </span>
                        if let Some(w) = what {
                            <code class="piece-what">{ w }</code>
                        }
                        if a.unparsed_lines == 0 && a.lines > 0 {
                            <span class="all-read">{ "all read" }</span>
                        }
                        { for unread }
                    </li>
                }
            }) }
        </ul>
    }
}

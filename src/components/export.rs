//! The report for a ticket: Markdown to copy or download, or printed.

use yew::prelude::*;

use crate::components::CopyButton;
use crate::context::use_ctx;
use crate::dom;

/// Export actions.
#[function_component(ExportMenu)]
pub fn export_menu() -> Html {
    let ctx = use_ctx();
    let analysis = ctx.analysis();
    let markdown = use_memo(analysis.as_ref().map(|a| a.seq), move |_| {
        analysis
            .map(|a| engine::markdown::report(&a.report))
            .unwrap_or_default()
    });
    let disabled = ctx.analysis().is_none_or(|a| a.report.artifacts.is_empty());
    let ondownload = {
        let markdown = markdown.clone();
        Callback::from(move |_: MouseEvent| {
            dom::download("gateway-doctor-diagnosis.md", "text/markdown;charset=utf-8", &markdown);
        })
    };
    let onprint = Callback::from(|_: MouseEvent| {
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    });
    html! {
        <details class="menu" id="export-menu">
            <summary>{ "Export" }</summary>
            <div class="menu-body export">
                <p>{ "The diagnosis as Markdown, for a ticket or a chat." }</p>
                <CopyButton id="copy-markdown" text={AttrValue::from((*markdown).clone())} label="Copy Markdown" disabled={disabled} />
                <button type="button" id="download-markdown" onclick={ondownload} {disabled}>{ "Download .md" }</button>
                <button type="button" id="print" onclick={onprint}>{ "Print" }</button>
            </div>
        </details>
    }
}

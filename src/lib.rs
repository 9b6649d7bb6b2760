//! Gateway Doctor's web app: a thin Yew front end over the engine. The pastes are the only
//! state; the report is derived from them on every change.

use engine::{Answers, Paste, Report};
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

mod findings;

pub use findings::FindingList;

/// The whole page.
#[function_component(App)]
pub fn app() -> Html {
    let text = use_state(String::new);
    let report = use_memo((*text).clone(), |text| analyse(text));

    let oninput = {
        let text = text.clone();
        Callback::from(move |e: InputEvent| {
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            text.set(area.value());
        })
    };

    html! {
        <>
            <header class="top">
                <h1>{ "Gateway Doctor" }</h1>
                <p class="tagline">{ "Paste what you have about your nginx 502: config, error log, command output. Nothing leaves this page." }</p>
            </header>
            <main class="layout">
                <section class="pastes" aria-label="Your pastes">
                    <label for="paste-0">{ "Paste" }</label>
                    <textarea
                        id="paste-0"
                        class="paste"
                        rows="14"
                        spellcheck="false"
                        placeholder="2026/11/21 10:00:00 [crit] 2211#2211: *4711 connect() to unix:/run/php/php8.3-fpm.sock failed (2: No such file or directory) while connecting to upstream, ..."
                        value={(*text).clone()}
                        {oninput}
                    />
                    <ArtifactSummary report={report.clone()} />
                </section>
                <section class="diagnosis" aria-label="Diagnosis" aria-live="polite">
                    <h2>{ "Diagnosis" }</h2>
                    <FindingList report={report} />
                </section>
            </main>
        </>
    }
}

/// Runs the engine on the text of the paste box.
pub fn analyse(text: &str) -> Report {
    if text.trim().is_empty() {
        return Report::default();
    }
    engine::diagnose(&[Paste::new("paste-1", text)], &Answers::default())
}

#[derive(Properties, PartialEq)]
struct ArtifactSummaryProps {
    report: std::rc::Rc<Report>,
}

/// What the engine read: one line per artifact.
#[function_component(ArtifactSummary)]
fn artifact_summary(props: &ArtifactSummaryProps) -> Html {
    if props.report.artifacts.is_empty() {
        return html! {};
    }
    html! {
        <ul class="artifacts" id="artifacts">
            { for props.report.artifacts.iter().map(|a| html! {
                <li>
                    <span class="kind">{ a.kind.label() }</span>
                    { format!(" — {} line{}, {} unread", a.lines, if a.lines == 1 { "" } else { "s" }, a.unparsed_lines) }
                </li>
            }) }
        </ul>
    }
}

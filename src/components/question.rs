//! The triage's current question: its choices, or the command to run with a box for its
//! output.

use engine::tree::walk::Question as Next;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use crate::components::CopyButton;
use crate::context::use_ctx;
use crate::session::Action;

/// Properties of [`Question`].
#[derive(Properties, PartialEq)]
pub struct QuestionProps {
    /// The question.
    pub question: Next,
}

/// The current question.
#[function_component(Question)]
pub fn question(props: &QuestionProps) -> Html {
    let ctx = use_ctx();
    let output = use_state(String::new);
    let q = &props.question;
    let answer = |value: String| {
        let (ctx, node) = (ctx.clone(), q.id.clone());
        Callback::from(move |_: MouseEvent| {
            ctx.act(Action::Answer {
                node: node.clone(),
                value: Some(value.clone()),
            })
        })
    };
    let body = if q.kind == "request" {
        let oninput = {
            let output = output.clone();
            Callback::from(move |e: InputEvent| output.set(e.target_unchecked_into::<HtmlTextAreaElement>().value()))
        };
        let onadd = {
            let (ctx, output) = (ctx.clone(), output.clone());
            let name = q.commands.first().map(|(_, c)| c.clone()).unwrap_or_default();
            Callback::from(move |_: MouseEvent| {
                if !output.trim().is_empty() {
                    ctx.act(Action::AddPaste {
                        name: short_name(&name),
                        text: (*output).clone(),
                    });
                    output.set(String::new());
                }
            })
        };
        html! {
            <>
                if let Some(why) = &q.why { <p class="why">{ why }</p> }
                <ul class="commands">
                    { for q.commands.iter().map(|(platform, command)| html! {
                        <li>
                            <span class="platform">{ platform_label(platform) }</span>
                            <code class="command">{ command }</code>
                            <CopyButton text={AttrValue::from(command.clone())} what={AttrValue::from(format!("the {} command", platform_label(platform)))} />
                        </li>
                    }) }
                </ul>
                <label for="request-output">{ "Paste its output here" }</label>
                <textarea id="request-output" class="paste" rows="6" spellcheck="false" value={(*output).clone()} {oninput} />
                <div class="buttons">
                    <button type="button" id="add-output" class="primary" onclick={onadd} disabled={output.trim().is_empty()}>{ "Add to my pastes" }</button>
                    { for q.choices.iter().map(|(value, label)| html! {
                        <button type="button" class="choice" data-value={value.clone()} onclick={answer(value.clone())}>{ label }</button>
                    }) }
                </div>
            </>
        }
    } else {
        html! {
            <div class="choices" role="group" aria-label={q.text.clone()}>
                { for q.choices.iter().map(|(value, label)| html! {
                    <button type="button" class="choice" data-value={value.clone()} onclick={answer(value.clone())}>{ label }</button>
                }) }
            </div>
        }
    };
    html! {
        <div class="next" id="next-question" data-node={q.id.clone()}>
            <h4>{ if q.kind == "request" { "Next: paste this" } else { "Next question" } }</h4>
            <p class="question-text">{ &q.text }</p>
            if !q.help.is_empty() { <p class="help">{ &q.help }</p> }
            { body }
        </div>
    }
}

fn platform_label(platform: &str) -> &str {
    match platform {
        "any" => "Linux",
        "debian" => "Debian/Ubuntu",
        "rhel" => "RHEL/Fedora",
        "containers" => "Docker",
        "kubernetes" => "Kubernetes",
        other => other,
    }
}

/// A paste name from a command: its first program and argument.
fn short_name(command: &str) -> String {
    let words: Vec<&str> = command
        .split(';')
        .next()
        .unwrap_or("")
        .split_whitespace()
        .filter(|w| *w != "sudo")
        .take(3)
        .collect();
    if words.is_empty() {
        String::new()
    } else {
        words.join(" ")
    }
}

//! Markdown (knowledge pages, fixes) as Yew nodes: code blocks with copy buttons, diffs as
//! before/after lines, links that leave the page only when clicked. Never raw HTML.

use yew::prelude::*;

use crate::components::CopyButton;
use crate::md::{self, Block, Inline};

/// Properties of [`Markdown`].
#[derive(Properties, PartialEq)]
pub struct MarkdownProps {
    /// The Markdown text.
    pub text: AttrValue,
    /// Heading levels are shifted down by this much (a page's `##` under the page's `<h2>`).
    #[prop_or(2)]
    pub shift: u8,
}

/// Renders Markdown.
#[function_component(Markdown)]
pub fn markdown(props: &MarkdownProps) -> Html {
    let blocks = use_memo(props.text.clone(), |t| md::blocks(t));
    html! { <div class="md">{ for blocks.iter().map(|b| block(b, props.shift)) }</div> }
}

fn block(b: &Block, shift: u8) -> Html {
    match b {
        Block::Heading(level, text) => {
            let tag = format!("h{}", (level + shift).min(6));
            html! { <@{tag}>{ inline(text) }</@> }
        }
        Block::Para(text) => html! { <p>{ inline(text) }</p> },
        Block::List { ordered: true, items } => {
            html! { <ol>{ for items.iter().map(|i| html! { <li>{ inline(i) }</li> }) }</ol> }
        }
        Block::List { ordered: false, items } => {
            html! { <ul>{ for items.iter().map(|i| html! { <li>{ inline(i) }</li> }) }</ul> }
        }
        Block::Code { lang, text } if lang == "diff" => {
            html! {
                <div class="diff" role="group" aria-label="Configuration change">
                    { for text.lines().map(|l| {
                        let (class, label, rest) = match l.as_bytes().first() {
                            Some(b'-') => ("del", "before: ", &l[1..]),
                            Some(b'+') => ("ins", "after: ", &l[1..]),
                            _ => ("ctx", "", l),
                        };
                        html! {
                            <div class={classes!("diff-line", class)}>
                                <span class="visually-hidden">{ label }</span>
                                <span class="sign" aria-hidden="true">{ l.get(..1).unwrap_or("") }</span>
                                <code>{ rest.strip_prefix(' ').unwrap_or(rest) }</code>
                            </div>
                        }
                    }) }
                    <CopyButton text={AttrValue::from(after_of(text))} label="Copy the new lines" />
                </div>
            }
        }
        Block::Code { lang, text } => {
            let copyable = matches!(
                lang.as_str(),
                "sh" | "bash" | "shell" | "console" | "nginx" | "ini" | ""
            );
            html! {
                <div class="code">
                    <pre tabindex="0"><code class={if lang.is_empty() { None } else { Some(format!("lang-{lang}")) }}>{ text }</code></pre>
                    if copyable {
                        <CopyButton text={AttrValue::from(text.clone())} what={AttrValue::from(if lang == "sh" { "the commands" } else { "the snippet" })} />
                    }
                </div>
            }
        }
    }
}

/// The `+` lines of a diff, as they should be in the file.
fn after_of(diff: &str) -> String {
    diff.lines()
        .filter_map(|l| l.strip_prefix('+'))
        .map(|l| l.strip_prefix(' ').unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n")
}

fn inline(text: &str) -> Html {
    html! {
        { for md::inlines(text).into_iter().map(|i| match i {
            Inline::Text(t) => html! { { t } },
            Inline::Code(t) => html! { <code>{ t }</code> },
            Inline::Strong(t) => html! { <strong>{ t }</strong> },
            Inline::Em(t) => html! { <em>{ t }</em> },
            Inline::Link { text, href } => {
                let external = href.starts_with("http://") || href.starts_with("https://");
                let href = if external || href.starts_with('#') { href } else { "#".to_string() };
                html! { <a {href} rel={external.then_some("noopener noreferrer")}>{ text }</a> }
            }
        }) }
    }
}

//! Walking the tree: from the root, each node answered by a binding, the findings or the person
//! (see the module doc of `tree`), until a question nothing answers or a leaf.

use serde::{Deserialize, Serialize};

use crate::Answers;
use crate::cause::Cause;
use crate::model::Model;
use crate::number::fixed;
use crate::report::Finding;
use crate::span::Span;
use crate::tree::{Choice, Node, NodeBody, TREE, Tree, bindings, causes_below};

/// Findings below this confidence do not answer questions.
const FINDING_ANSWERS: f32 = 0.5;
/// A leaf is overruled by a finding at least this confident that names another cause.
const EVIDENCE_OVERRULES: f32 = 0.75;

/// Where an answer came from. Externally tagged (serde's default): the web app's worker messages
/// are postcard, which cannot read an internally tagged enum. The CLI writes its own JSON shape.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    /// Read from a line of a paste.
    Evidence {
        /// Artifact index.
        artifact: usize,
        /// 1-based line in the paste.
        line: usize,
        /// The line.
        text: String,
        /// What it shows.
        note: String,
    },
    /// An artifact of the requested kind was pasted.
    Pasted {
        /// Artifact index.
        artifact: usize,
    },
    /// The person's answer.
    Person,
    /// The person could not provide the requested artifact.
    Skipped,
}

/// One step of the walk.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Step {
    /// Node id.
    pub node: String,
    /// The question or request.
    pub text: String,
    /// The answer value.
    pub answer: String,
    /// The answer as the person reads it.
    pub label: String,
    /// Where the answer came from.
    pub source: Source,
    /// Set when the evidence overrode a different answer from the person.
    pub overrode: Option<String>,
}

/// The question the walk stopped at.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Question {
    /// Node id (answer with `--answer ID=VALUE`).
    pub id: String,
    /// `question` or `request`.
    pub kind: String,
    /// The question, or what to paste.
    pub text: String,
    /// How to find the answer.
    pub help: String,
    /// Choices: value and label (for a request: `skip`).
    pub choices: Vec<(String, String)>,
    /// For a request: why it is asked.
    pub why: Option<String>,
    /// For a request: the command, by platform.
    pub commands: Vec<(String, String)>,
    /// For a request: the kinds that answer it.
    pub expects: Vec<String>,
}

/// The whole walk.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Walk {
    /// Steps taken, from the root.
    pub steps: Vec<Step>,
    /// The next question, when the walk stopped before a leaf.
    pub next: Option<Question>,
    /// The nearest paste the walk will ask for from where it stopped (the next question itself
    /// when it is a request): what a person with little evidence should paste next.
    pub next_paste: Option<Question>,
    /// The cause the walk ended at.
    pub conclusion: Option<Cause>,
    /// When the evidence overruled the leaf the walk reached: why.
    pub overruled: Option<String>,
}

/// Walks the tree with the model, the ranked findings and the person's answers. `locate` turns
/// an artifact and span into the 1-based paste line and its text.
pub fn walk(
    model: &Model<'_>,
    findings: &[Finding],
    answers: &Answers,
    locate: &dyn Fn(usize, Span) -> (usize, String),
) -> Walk {
    walk_tree(&TREE, model, findings, answers, locate)
}

/// The answer the evidence gives to a question: its binding's, else the findings'. A binding
/// reads one fact (the most frequent error class, say); when a confident top finding lies below
/// exactly one other choice and not below the binding's, the finding's choice is taken.
fn answer_from_evidence(
    tree: &Tree,
    node: &'static Node,
    model: &Model<'_>,
    findings: &[Finding],
    locate: &dyn Fn(usize, Span) -> (usize, String),
) -> Option<(&'static Choice, Source)> {
    let from_binding = answer_from_binding_or_findings(tree, node, model, findings, locate);
    let (NodeBody::Question { choices, .. }, Some((bound, _)), Some(top)) =
        (&node.body, &from_binding, findings.first())
    else {
        return from_binding;
    };
    let below = |c: &Choice| causes_below(tree, c.next).contains(&top.cause.id());
    if top.confidence < EVIDENCE_OVERRULES || below(bound) {
        return from_binding;
    }
    let leading: Vec<&'static Choice> = choices.iter().filter(|c| below(c)).collect();
    match (leading.as_slice(), top.evidence.iter().find(|e| !e.against)) {
        ([choice], Some(e)) => Some((
            *choice,
            Source::Evidence {
                artifact: e.artifact,
                line: e.line,
                text: e.text.clone(),
                note: format!(
                    "{} ({}%) outweighs the first reading (`{}`): {}",
                    top.cause.id(),
                    fixed(f64::from(top.confidence * 100.0), 0),
                    bound.value,
                    e.note
                ),
            },
        )),
        _ => from_binding,
    }
}

/// The binding's answer, else the findings'.
fn answer_from_binding_or_findings(
    tree: &Tree,
    node: &'static Node,
    model: &Model<'_>,
    findings: &[Finding],
    locate: &dyn Fn(usize, Span) -> (usize, String),
) -> Option<(&'static Choice, Source)> {
    let NodeBody::Question { bind, choices } = &node.body else {
        return None;
    };
    let from_binding = bind
        .and_then(bindings::binding)
        .and_then(|b| (b.eval)(model))
        .and_then(|b| {
            let choice = choices.iter().find(|c| c.value == b.value)?;
            let (artifact, span) = b.at?;
            let (line, text) = locate(artifact, span);
            Some((
                choice,
                Source::Evidence {
                    artifact,
                    line,
                    text,
                    note: b.note,
                },
            ))
        });
    from_binding.or_else(|| {
        for f in findings.iter().filter(|f| f.confidence >= FINDING_ANSWERS) {
            let leading: Vec<&'static Choice> = choices
                .iter()
                .filter(|c| causes_below(tree, c.next).contains(&f.cause.id()))
                .collect();
            // Every branch leads to the cause (the question does not matter for it): the most
            // direct one. Only some of them do: the evidence does not say which; ask rather
            // than pick an answer it does not give.
            let direct = if leading.len() == choices.len() {
                leading
                    .iter()
                    .min_by_key(|c| depth_to(tree, c.next, f.cause.id()))
                    .map(|c| vec![*c])
                    .unwrap_or_default()
            } else {
                leading
            };
            match direct.as_slice() {
                [choice] => {
                    let e = f.evidence.iter().find(|e| !e.against)?;
                    let note = format!(
                        "{} ({}%): {}",
                        f.cause.id(),
                        fixed(f64::from(f.confidence * 100.0), 0),
                        e.note
                    );
                    return Some((
                        *choice,
                        Source::Evidence {
                            artifact: e.artifact,
                            line: e.line,
                            text: e.text.clone(),
                            note,
                        },
                    ));
                }
                [] => continue,
                _ => return None,
            }
        }
        None
    })
}

/// [`walk`] over any tree (tests use small ones).
pub fn walk_tree(
    tree: &Tree,
    model: &Model<'_>,
    findings: &[Finding],
    answers: &Answers,
    locate: &dyn Fn(usize, Span) -> (usize, String),
) -> Walk {
    let mut out = Walk::default();
    let mut current = tree.root;
    let mut visited: Vec<&str> = Vec::new();
    while let Some(node) = tree.node(current) {
        if visited.contains(&node.id) {
            break; // a cycle: the tests forbid it, the walk never loops
        }
        visited.push(node.id);
        let person = answers.get(node.id).map(String::as_str);
        match &node.body {
            NodeBody::Leaf { cause } => {
                out.conclusion = Cause::from_id(cause);
                break;
            }
            NodeBody::Request {
                expects,
                next,
                skip,
                why,
                commands,
            } => {
                let pasted = model.artifacts.iter().position(|a| expects.contains(&a.kind.id()));
                // Not needed when the evidence already answers the question it leads to.
                let not_needed = || {
                    tree.node(next)
                        .is_some_and(|n| answer_from_evidence(tree, n, model, findings, locate).is_some())
                };
                let (to, answer, label, source) = match (pasted, person) {
                    (Some(a), _) => (
                        *next,
                        "pasted",
                        format!("pasted: {}", model.artifacts[a].name),
                        Source::Pasted { artifact: a },
                    ),
                    (None, Some("skip")) => (*skip, "skip", "cannot be pasted".to_string(), Source::Skipped),
                    (None, _) if not_needed() => (
                        *next,
                        "not-needed",
                        "not needed: the evidence already answers the next question".to_string(),
                        Source::Skipped,
                    ),
                    _ => {
                        out.next = Some(request_question(node, why, commands, expects));
                        break;
                    }
                };
                out.steps.push(Step {
                    node: node.id.into(),
                    text: node.text.into(),
                    answer: answer.into(),
                    label,
                    source,
                    overrode: None,
                });
                current = to;
            }
            NodeBody::Question { choices, .. } => {
                let evidence = answer_from_evidence(tree, node, model, findings, locate);
                let (choice, source, overrode) = match (evidence, person) {
                    (Some((choice, source)), p) => {
                        let overrode = p
                            .filter(|p| *p != choice.value)
                            .map(|p| format!("you answered `{p}`; the evidence says `{}`", choice.value));
                        (choice, source, overrode)
                    }
                    (None, Some(p)) if choices.iter().any(|c| c.value == p) => (
                        choices.iter().find(|c| c.value == p).unwrap_or(&choices[0]),
                        Source::Person,
                        None,
                    ),
                    _ => {
                        out.next = Some(Question {
                            id: node.id.into(),
                            kind: "question".into(),
                            text: node.text.into(),
                            help: node.help.into(),
                            choices: choices
                                .iter()
                                .map(|c| (c.value.to_string(), c.label.to_string()))
                                .collect(),
                            why: None,
                            commands: Vec::new(),
                            expects: Vec::new(),
                        });
                        break;
                    }
                };
                out.steps.push(Step {
                    node: node.id.into(),
                    text: node.text.into(),
                    answer: choice.value.into(),
                    label: choice.label.into(),
                    source,
                    overrode,
                });
                current = choice.next;
            }
        }
    }
    out.next_paste = out.next.as_ref().and_then(|q| nearest_request(tree, &q.id, model));
    // The evidence wins over a leaf it contradicts.
    if let (Some(leaf), Some(top)) = (out.conclusion, findings.first())
        && top.cause != leaf
        && top.confidence >= EVIDENCE_OVERRULES
        && !findings
            .iter()
            .any(|f| f.cause == leaf && f.confidence >= top.confidence - 0.1)
    {
        out.overruled = Some(format!(
            "the walk reached {} but the evidence points to {} ({}%): {}",
            leaf.id(),
            top.cause.id(),
            fixed(f64::from(top.confidence * 100.0), 0),
            top.title
        ));
        out.conclusion = Some(top.cause);
    }
    out
}

/// A request node as the question the front ends show.
fn request_question(node: &Node, why: &str, commands: &[(&str, &str)], expects: &[&str]) -> Question {
    Question {
        id: node.id.into(),
        kind: "request".into(),
        text: node.text.into(),
        help: node.help.into(),
        choices: vec![("skip".into(), "I cannot get this".into())],
        why: Some(why.to_string()),
        commands: commands.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        expects: expects.iter().map(|k| k.to_string()).collect(),
    }
}

/// The request closest below node `from` (breadth first, choices in their order) whose kinds
/// were not pasted yet.
fn nearest_request(tree: &Tree, from: &str, model: &Model<'_>) -> Option<Question> {
    let mut queue = std::collections::VecDeque::from([from]);
    let mut seen: Vec<&str> = Vec::new();
    while let Some(id) = queue.pop_front() {
        if seen.contains(&id) {
            continue;
        }
        seen.push(id);
        let node = tree.node(id)?;
        match &node.body {
            NodeBody::Request {
                why,
                commands,
                expects,
                next,
                ..
            } => {
                if !model.artifacts.iter().any(|a| expects.contains(&a.kind.id())) {
                    return Some(request_question(node, why, commands, expects));
                }
                queue.push_back(next);
            }
            NodeBody::Question { choices, .. } => queue.extend(choices.iter().map(|c| c.next)),
            NodeBody::Leaf { .. } => {}
        }
    }
    None
}

/// How many steps from node `from` down to the leaf of `cause` (breadth first); `usize::MAX`
/// when it is not below.
fn depth_to(tree: &Tree, from: &str, cause: &str) -> usize {
    let mut level: Vec<&str> = vec![from];
    let mut seen: Vec<&str> = Vec::new();
    for depth in 0..tree.nodes.len() {
        let mut next_level = Vec::new();
        for id in level {
            if seen.contains(&id) {
                continue;
            }
            seen.push(id);
            let Some(node) = tree.node(id) else { continue };
            match &node.body {
                NodeBody::Leaf { cause: c } if *c == cause => return depth,
                NodeBody::Leaf { .. } => {}
                NodeBody::Question { choices, .. } => next_level.extend(choices.iter().map(|c| c.next)),
                NodeBody::Request { next, skip, .. } => next_level.extend([*next, *skip]),
            }
        }
        if next_level.is_empty() {
            break;
        }
        level = next_level;
    }
    usize::MAX
}

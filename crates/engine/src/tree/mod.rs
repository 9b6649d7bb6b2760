//! The guided triage: a decision tree kept as data (`knowledge/tree.toml`, compiled in by
//! `build.rs`), walked from the root and answered, node by node, from the evidence where it can
//! be and from the person's answers where it cannot. The walk stops at the first question nothing
//! answers (the next question to ask) or at a leaf naming a cause.
//!
//! A question is answered, in this order:
//! 1. by its named binding (`bind = "..."`, see [`bindings`]): an observation of the model, with
//!    the line it was read from;
//! 2. by the findings: the choice whose subtree holds the most confident finding's cause (when
//!    only one choice leads there), quoting that finding's first evidence line;
//! 3. by the person's answer (`Answers`, by node id);
//!
//! so the evidence wins over an answer that contradicts it, and the trace says so. A request node
//! ("paste the output of `ss -ltnp`") is passed once an artifact of an expected kind is pasted,
//! or skipped when the person answers `skip`.

pub mod bindings;
pub mod walk;

/// The decision tree.
#[derive(Debug)]
pub struct Tree {
    /// Id of the first node.
    pub root: &'static str,
    /// Every node.
    pub nodes: &'static [Node],
}

/// One node of the tree.
#[derive(Debug)]
pub struct Node {
    /// Stable id (also the key of the person's answer).
    pub id: &'static str,
    /// The question, or what to paste.
    pub text: &'static str,
    /// How to find the answer.
    pub help: &'static str,
    /// What kind of node it is.
    pub body: NodeBody,
}

/// The kinds of node.
#[derive(Debug)]
pub enum NodeBody {
    /// A question with choices.
    Question {
        /// A named binding that may answer it from the evidence.
        bind: Option<&'static str>,
        /// The choices.
        choices: &'static [Choice],
    },
    /// A request for an artifact.
    Request {
        /// Why it is asked.
        why: &'static str,
        /// Kinds (ids) that answer it.
        expects: &'static [&'static str],
        /// The command to run, by platform (`any`, `debian`, `rhel`, `containers`, `kubernetes`...).
        commands: &'static [(&'static str, &'static str)],
        /// Where the walk goes once it is pasted.
        next: &'static str,
        /// Where the walk goes when the person cannot paste it (answer `skip`).
        skip: &'static str,
    },
    /// A conclusion.
    Leaf {
        /// The cause id.
        cause: &'static str,
    },
}

/// One choice of a question.
#[derive(Debug)]
pub struct Choice {
    /// The answer value (`--answer NODE=VALUE`).
    pub value: &'static str,
    /// What the person reads.
    pub label: &'static str,
    /// The node it leads to.
    pub next: &'static str,
}

include!(concat!(env!("OUT_DIR"), "/knowledge_tree.rs"));

impl Tree {
    /// The node with this id.
    pub fn node(&self, id: &str) -> Option<&'static Node> {
        self.nodes.iter().find(|n| n.id == id)
    }
}

impl Node {
    /// The ids of the nodes this node leads to.
    pub fn successors(&self) -> Vec<&'static str> {
        match &self.body {
            NodeBody::Question { choices, .. } => choices.iter().map(|c| c.next).collect(),
            NodeBody::Request { next, skip, .. } => vec![next, skip],
            NodeBody::Leaf { .. } => Vec::new(),
        }
    }
}

/// Every cause id a leaf reachable from `id` names (including `id` itself when it is a leaf).
pub fn causes_below(tree: &Tree, id: &str) -> Vec<&'static str> {
    let mut seen: Vec<&str> = Vec::new();
    let mut stack = vec![id];
    let mut causes = Vec::new();
    while let Some(current) = stack.pop() {
        if seen.contains(&current) {
            continue;
        }
        seen.push(current);
        if let Some(node) = tree.node(current) {
            if let NodeBody::Leaf { cause } = node.body
                && !causes.contains(&cause)
            {
                causes.push(cause);
            }
            stack.extend(node.successors());
        }
    }
    causes
}

//! The model: one view of the system joined from the facts of every artifact.

use crate::facts::{ErrorEvent, Fact, FactAt};
use crate::span::Span;

/// A fact located in an artifact.
#[derive(Clone, Copy, Debug)]
pub struct At<'a, T> {
    /// Index of the artifact.
    pub artifact: usize,
    /// Span of the fact in its paste.
    pub span: Span,
    /// The fact.
    pub value: &'a T,
}

/// The joined view the rules read.
#[derive(Debug, Default)]
pub struct Model<'a> {
    facts: Vec<(usize, &'a FactAt)>,
}

impl<'a> Model<'a> {
    /// Builds the model from every artifact's facts (artifact index, facts).
    pub fn build(artifacts: impl IntoIterator<Item = (usize, &'a [FactAt])>) -> Self {
        let mut facts = Vec::new();
        for (index, list) in artifacts {
            facts.extend(list.iter().map(|f| (index, f)));
        }
        Model { facts }
    }

    /// Every nginx error-log event, in paste order.
    pub fn error_events(&self) -> impl Iterator<Item = At<'a, ErrorEvent>> + '_ {
        self.facts.iter().filter_map(|&(artifact, f)| match &f.fact {
            Fact::ErrorEvent(e) => Some(At {
                artifact,
                span: f.span,
                value: e,
            }),
            _ => None,
        })
    }
}

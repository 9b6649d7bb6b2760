//! What the person gives the engine: named pastes, each possibly holding several artifacts.

use serde::{Deserialize, Serialize};

use crate::kind::Kind;
use crate::shared_str::SharedStr;

/// One paste (a text box, a dropped file, a CLI file argument). Its serde form skips no field:
/// the web app's worker messages are postcard, whose fields are positional.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paste {
    /// A name for messages: the file name, or `paste-1` for a text box.
    pub name: String,
    /// The text as pasted. Shared: the facts read from it keep parts of it instead of copies
    /// (error-log events), and cloning a paste copies no text.
    pub text: SharedStr,
    /// The kind the person chose. When set, the paste is not split and this kind wins.
    #[serde(default)]
    pub kind: Option<Kind>,
    /// Kinds the person chose for single pieces of the paste, by the byte offset where the piece
    /// starts (`Artifact::span.start`). The paste is still split; only those pieces change kind.
    /// An offset that starts no piece (the text changed since) is ignored.
    #[serde(default)]
    pub piece_kinds: Vec<(usize, Kind)>,
}

impl Paste {
    /// A paste with a name and text, kind detected.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        Paste {
            name: name.into(),
            text: SharedStr::from(text.into()),
            kind: None,
            piece_kinds: Vec::new(),
        }
    }

    /// The same paste with its kind forced.
    pub fn with_kind(mut self, kind: Kind) -> Self {
        self.kind = Some(kind);
        self
    }

    /// The same paste with the kind of the piece starting at byte `start` forced.
    pub fn with_piece_kind(mut self, start: usize, kind: Kind) -> Self {
        self.piece_kinds.retain(|(s, _)| *s != start);
        self.piece_kinds.push((start, kind));
        self
    }
}

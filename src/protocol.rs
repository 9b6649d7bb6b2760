//! The messages between the page and the worker. The page sends a paste's text only when the
//! worker has not seen that revision of it, so answering a question never re-sends megabytes.

use engine::redact::{Mask, Options};
use engine::{Answers, Paste, Report};
use serde::{Deserialize, Serialize};

use crate::session::Saved;

/// One paste of the session, by reference when the worker already has this revision.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PasteRef {
    /// The box id.
    pub id: u32,
    /// Its revision.
    pub rev: u32,
    /// The paste, when the worker may not have this revision yet.
    pub paste: Option<Paste>,
}

/// The session as the worker needs it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SessionRef {
    /// The pastes, in order.
    pub pastes: Vec<PasteRef>,
    /// The answers.
    pub answers: Answers,
}

/// What the page asks of the worker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Request {
    /// Diagnose the session. A newer `Analyse` queued behind it supersedes it.
    Analyse { seq: u64, session: SessionRef },
    /// Encode the session for local storage.
    Save { seq: u64, session: SessionRef },
    /// Decode a stored session or a share link's fragment.
    Load { data: String, from_link: bool },
    /// Find what to mask, and make the share link of the redacted session.
    Share {
        seq: u64,
        session: SessionRef,
        options: Options,
    },
}

/// A diagnosis, with the box ids of the pastes it read (the report's paste indexes).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    /// The request it answers.
    pub seq: u64,
    /// Box id of each paste, by paste index.
    pub ids: Vec<u32>,
    /// The report (facts are never serialized) with at most [`UNREAD_SHOWN`] unread lines per
    /// piece (the count stays exact).
    pub report: Report,
    /// How long the engine took, in milliseconds.
    pub millis: f64,
}

/// Unread lines sent to the page per piece.
pub const UNREAD_SHOWN: usize = 200;

/// The share link, or why there is none.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Link {
    /// The fragment (`s1=...`, without `#`).
    Fragment(String),
    /// The encoded session is too long for a link.
    TooLarge { chars: usize, limit: usize },
}

/// What the worker answers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Response {
    /// A diagnosis.
    Report(Box<Analysis>),
    /// The session encoded for storage.
    Saved { seq: u64, data: String },
    /// The worker lacks a paste revision the request refers to: send the texts again.
    Missing { seq: u64 },
    /// A decoded session, or why it could not be read.
    Loaded {
        saved: Result<Saved, String>,
        from_link: bool,
    },
    /// What redaction found and the link of the redacted session.
    Shared {
        seq: u64,
        masks: Vec<Mask>,
        private_keys: Vec<(usize, usize)>,
        link: Link,
    },
}

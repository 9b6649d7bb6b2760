//! The messages between the page and the worker. The page sends a paste's text only when the
//! worker has not seen that revision of it, so answering a question never re-sends megabytes.
//!
//! A message travels as postcard bytes in a transferred `Uint8Array`: the page and the worker run
//! the same build, so both read the same layout, and postcard's positional form needs none of
//! the field-name matching a self-describing format compiles in for every type (about 34 KB of
//! gzipped wasm less than JSON).

use engine::redact::{Mask, Options};
use engine::{Answers, Paste, Report};
use serde::de::DeserializeOwned;
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
    /// The worker stopped (the engine trapped) or never started: made by the page's channel
    /// from the worker's `error` event, never sent by the worker. Nothing it was doing answers.
    Failed { reason: String },
}

/// A message's bytes. Encoding a message of these types cannot fail (they hold no map with
/// non-string keys and no value postcard rejects); an empty vector would be read as no message.
pub fn encode<T: Serialize>(message: &T) -> Vec<u8> {
    postcard::to_allocvec(message).unwrap_or_default()
}

/// A message from its bytes, or `None` when they are not one (never a panic).
pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Option<T> {
    postcard::from_bytes(bytes).ok()
}

/// Posting messages to the other side. The bytes' buffer is transferred, not copied.
pub mod post {
    use wasm_bindgen::{JsCast, JsValue};

    /// A message's bytes as a `Uint8Array`, and the transfer list that moves its buffer.
    pub fn transferable(bytes: &[u8]) -> (JsValue, js_sys::Array) {
        let array = js_sys::Uint8Array::new_from_slice(bytes);
        let transfer = js_sys::Array::of1(&array.buffer());
        (array.into(), transfer)
    }

    /// The bytes of a message event's data, when it is a `Uint8Array`.
    pub fn bytes_of(data: &JsValue) -> Option<Vec<u8>> {
        data.dyn_ref::<js_sys::Uint8Array>().map(|a| a.to_vec())
    }
}

#[cfg(test)]
mod tests {
    const LINE: &str = "2026/11/21 10:00:00 [crit] 2211#2211: *4711 connect() to unix:/run/php/php8.3-fpm.sock failed (2: No such file or directory) while connecting to upstream, client: 203.0.113.7, server: example.com, request: \"GET /index.php HTTP/1.1\", upstream: \"fastcgi://unix:/run/php/php8.3-fpm.sock:\", host: \"example.com\"";

    /// Every message the worker and the page exchange survives its bytes: pastes with chosen
    /// kinds, a report whose walk has evidence and pasted steps (its facts stay behind), a stored
    /// session, a share answer with masks and a load error.
    #[test]
    fn worker_messages_round_trip_through_their_bytes() {
        use crate::analyser::State;
        use crate::protocol::{PasteRef, Request, Response, SessionRef, decode, encode};
        use engine::redact::Options;

        let mut paste = engine::Paste::new("error.log", format!("{LINE}\n"));
        paste.piece_kinds = vec![(0, engine::Kind::NginxErrorLog)];
        let mut chosen = engine::Paste::new(
            "status.txt",
            "php8.3-fpm.service - The PHP 8.3 FastCGI Process Manager\n",
        );
        chosen.kind = Some(engine::Kind::SystemctlStatus);
        let session = SessionRef {
            pastes: vec![
                PasteRef {
                    id: 1,
                    rev: 3,
                    paste: Some(paste),
                },
                PasteRef {
                    id: 2,
                    rev: 1,
                    paste: Some(chosen),
                },
            ],
            answers: [("socket-exists".to_string(), "no".to_string())].into_iter().collect(),
        };
        let requests = vec![
            Request::Analyse {
                seq: 1,
                session: session.clone(),
            },
            Request::Save {
                seq: 2,
                session: session.clone(),
            },
            Request::Share {
                seq: 3,
                session: session.clone(),
                options: Options::default(),
            },
            Request::Load {
                data: "#s1=garbage".into(),
                from_link: true,
            },
        ];
        let mut state = State::default();
        let mut responses = Vec::new();
        for request in requests {
            assert_eq!(decode::<Request>(&encode(&request)).as_ref(), Some(&request));
            responses.extend(state.handle(request, &|| 1.5));
        }
        assert_eq!(responses.len(), 4, "{responses:?}");
        let Response::Report(analysis) = &responses[0] else {
            panic!("a report first")
        };
        assert!(!analysis.report.walk.steps.is_empty(), "the walk has steps to carry");
        assert!(matches!(&responses[2], Response::Shared { masks, .. } if !masks.is_empty()));
        assert!(matches!(&responses[3], Response::Loaded { saved: Err(_), .. }));
        for mut response in responses {
            let decoded = decode::<Response>(&encode(&response));
            if let Response::Report(analysis) = &mut response {
                assert!(analysis.report.artifacts.iter().all(|a| !a.facts.is_empty()));
                analysis.report.artifacts.iter_mut().for_each(|a| a.facts.clear());
            }
            assert_eq!(decoded, Some(response));
        }
        assert_eq!(decode::<Response>(b"\xff\xff\xff"), None, "bytes that are no message");
    }
}

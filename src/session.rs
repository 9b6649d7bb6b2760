//! The session: everything the person gave (pastes, kinds they chose, answers). It is the only
//! state that matters: the report is derived from it (in the worker), it is what local storage
//! keeps and what a share link carries. Changed only through [`Action`]s.

use std::rc::Rc;

use engine::{Answers, Kind, Paste};
use serde::{Deserialize, Serialize};
use yew::Reducible;

/// Pastes at or above this size are shown read-only (a textarea holding megabytes is slow).
pub const LARGE: usize = 1 << 20;

/// One paste box.
#[derive(Clone, Debug)]
pub struct Entry {
    /// Stable id within the session (Yew key, worker cache key).
    pub id: u32,
    /// Bumped on every change of this paste (text, name or kinds).
    pub rev: u32,
    /// The paste as the engine takes it.
    pub paste: Rc<Paste>,
}

/// Equal when the same box at the same revision (never compares megabytes of text).
impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id && self.rev == other.rev && Rc::ptr_eq(&self.paste, &other.paste)
    }
}

impl Entry {
    /// True when the paste is too big for a textarea.
    pub fn is_large(&self) -> bool {
        self.paste.text.len() >= LARGE
    }
}

/// The session as stored and shared: pastes and answers, nothing else.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Saved {
    /// The pastes, in order.
    pub pastes: Vec<Paste>,
    /// Answers to triage questions, by node id.
    #[serde(default)]
    pub answers: Answers,
}

/// The whole session.
#[derive(Clone, Debug, PartialEq)]
pub struct Session {
    /// The paste boxes, in order (never empty: an empty box invites a paste).
    pub entries: Vec<Entry>,
    /// Answers to triage questions.
    pub answers: Answers,
    /// Bumped on every change (drives analysis and saving).
    pub version: u64,
    next_id: u32,
}

impl Default for Session {
    fn default() -> Self {
        Session {
            entries: vec![Entry {
                id: 1,
                rev: 0,
                paste: Rc::new(Paste::new("paste-1", "")),
            }],
            answers: Answers::new(),
            version: 0,
            next_id: 2,
        }
    }
}

/// Every change the person can make.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Add an empty paste box.
    AddBox,
    /// Add a paste with a name (a file, a large paste, the output asked for by the triage).
    AddPaste { name: String, text: String },
    /// Replace the text of a box. A box left empty by a paste stays.
    SetText { id: u32, text: String },
    /// Remove a box.
    Remove { id: u32 },
    /// Force the kind of a whole paste (`None`: detect).
    SetKind { id: u32, kind: Option<Kind> },
    /// Force the kind of the piece of a paste starting at byte `start` (`None`: detect).
    SetPieceKind { id: u32, start: usize, kind: Option<Kind> },
    /// Answer a triage question (`None` withdraws the answer).
    Answer { node: String, value: Option<String> },
    /// Replace everything (an example, a share link, the stored session).
    Load(Saved),
    /// Start again.
    Clear,
}

impl Session {
    /// The session as stored and shared.
    pub fn saved(&self) -> Saved {
        Saved {
            pastes: self
                .entries
                .iter()
                .filter(|e| !e.paste.text.is_empty())
                .map(|e| (*e.paste).clone())
                .collect(),
            answers: self.answers.clone(),
        }
    }

    /// True when nothing was pasted and nothing answered.
    pub fn is_empty(&self) -> bool {
        self.answers.is_empty() && self.entries.iter().all(|e| e.paste.text.is_empty())
    }

    /// Total bytes pasted.
    pub fn bytes(&self) -> usize {
        self.entries.iter().map(|e| e.paste.text.len()).sum()
    }

    /// What the page calls a box: its file name, or "Paste N" (N its position) for a typed one.
    pub fn label(&self, id: u32) -> String {
        let Some(i) = self.entries.iter().position(|e| e.id == id) else {
            return String::new();
        };
        let name = &self.entries[i].paste.name;
        if name.is_empty() || name.starts_with("paste-") {
            format!("Paste {}", i + 1)
        } else {
            name.clone()
        }
    }

    /// The box with this id.
    pub fn entry(&self, id: u32) -> Option<&Entry> {
        self.entries.iter().find(|e| e.id == id)
    }

    fn push(&mut self, paste: Paste) {
        self.entries.push(Entry {
            id: self.next_id,
            rev: 0,
            paste: Rc::new(paste),
        });
        self.next_id += 1;
    }

    fn box_name(&self) -> String {
        format!("paste-{}", self.next_id)
    }

    fn edit(&mut self, id: u32, f: impl FnOnce(&mut Paste)) {
        if let Some(e) = self.entries.iter_mut().find(|e| e.id == id) {
            f(Rc::make_mut(&mut e.paste));
            e.rev += 1;
        }
    }

    /// Applies one action (the reducer, without the `Rc`).
    pub fn apply(&mut self, action: Action) {
        match action {
            Action::AddBox => {
                let name = self.box_name();
                self.push(Paste::new(name, ""));
            }
            Action::AddPaste { name, text } => {
                // A paste lands in the last box when that one is still empty.
                let name = if name.is_empty() { self.box_name() } else { name };
                match self.entries.last_mut() {
                    Some(last) if last.paste.text.is_empty() => {
                        let id = last.id;
                        self.edit(id, |p| {
                            p.name = name;
                            p.text = text.into();
                            p.piece_kinds.clear();
                        });
                    }
                    _ => self.push(Paste::new(name, text)),
                }
            }
            Action::SetText { id, text } => self.edit(id, |p| p.text = text.into()),
            Action::Remove { id } => {
                self.entries.retain(|e| e.id != id);
                if self.entries.is_empty() {
                    let name = self.box_name();
                    self.push(Paste::new(name, ""));
                }
            }
            Action::SetKind { id, kind } => self.edit(id, |p| p.kind = kind),
            Action::SetPieceKind { id, start, kind } => self.edit(id, |p| {
                p.piece_kinds.retain(|(s, _)| *s != start);
                if let Some(kind) = kind {
                    p.piece_kinds.push((start, kind));
                }
            }),
            Action::Answer { node, value } => match value {
                Some(v) => {
                    self.answers.insert(node, v);
                }
                None => {
                    self.answers.remove(&node);
                }
            },
            Action::Load(saved) => {
                let next_id = self.next_id;
                *self = Session {
                    entries: Vec::new(),
                    answers: saved.answers,
                    version: self.version,
                    next_id,
                };
                for paste in saved.pastes {
                    self.push(paste);
                }
                if self.entries.is_empty() {
                    self.apply(Action::AddBox);
                }
            }
            Action::Clear => {
                let next_id = self.next_id;
                *self = Session {
                    entries: Vec::new(),
                    answers: Answers::new(),
                    version: self.version,
                    next_id,
                };
                self.apply(Action::AddBox);
            }
        }
        self.version += 1;
    }
}

impl Reducible for Session {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        next.apply(action);
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn starts_with_one_empty_box_and_never_has_none() {
        let mut s = Session::default();
        assert_eq!(s.entries.len(), 1);
        assert!(s.is_empty());
        let id = s.entries[0].id;
        s.apply(Action::Remove { id });
        assert_eq!(s.entries.len(), 1);
        assert_ne!(s.entries[0].id, id, "ids are not reused");
    }

    #[test]
    fn a_paste_fills_the_empty_last_box_then_adds_boxes() {
        let mut s = Session::default();
        s.apply(Action::AddPaste {
            name: "error.log".into(),
            text: "a".into(),
        });
        assert_eq!(s.entries.len(), 1);
        assert_eq!(s.entries[0].paste.name, "error.log");
        s.apply(Action::AddPaste {
            name: String::new(),
            text: "b".into(),
        });
        assert_eq!(s.entries.len(), 2);
        assert_eq!(s.entries[1].paste.name, format!("paste-{}", s.entries[1].id));
    }

    #[test]
    fn edits_bump_revisions_and_versions() {
        let mut s = Session::default();
        let id = s.entries[0].id;
        let v = s.version;
        s.apply(Action::SetText { id, text: "x".into() });
        s.apply(Action::SetPieceKind {
            id,
            start: 0,
            kind: Some(Kind::NginxConfig),
        });
        assert_eq!(s.entries[0].rev, 2);
        assert_eq!(s.entries[0].paste.piece_kinds, vec![(0, Kind::NginxConfig)]);
        s.apply(Action::SetPieceKind {
            id,
            start: 0,
            kind: None,
        });
        assert!(s.entries[0].paste.piece_kinds.is_empty());
        assert_eq!(s.version, v + 3);
    }

    #[test]
    fn answers_are_set_and_withdrawn() {
        let mut s = Session::default();
        s.apply(Action::Answer {
            node: "layer".into(),
            value: Some("cdn".into()),
        });
        assert_eq!(s.answers.get("layer").map(String::as_str), Some("cdn"));
        s.apply(Action::Answer {
            node: "layer".into(),
            value: None,
        });
        assert!(s.answers.is_empty());
    }

    #[test]
    fn saved_round_trips_without_empty_boxes() {
        let mut s = Session::default();
        s.apply(Action::AddPaste {
            name: "a".into(),
            text: "one".into(),
        });
        s.apply(Action::AddBox);
        s.apply(Action::Answer {
            node: "q".into(),
            value: Some("v".into()),
        });
        let saved = s.saved();
        assert_eq!(saved.pastes.len(), 1);
        let mut t = Session::default();
        t.apply(Action::Load(saved.clone()));
        assert_eq!(t.saved(), saved);
        t.apply(Action::Clear);
        assert!(t.is_empty());
    }
}

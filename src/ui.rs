//! The page's own state, apart from the session: the latest diagnosis, what is running, which
//! line to show, which view, the share dialog. Nothing here is stored or shared.

use std::rc::Rc;

use engine::redact::{Mask, Options};
use yew::Reducible;

use crate::protocol::{Analysis, Link};
use crate::session::Saved;

/// The views of the page (the URL fragment: `#kb`, `#kb/<cause-id>`).
#[derive(Clone, Debug, Default, PartialEq)]
pub enum View {
    /// Pastes and diagnosis.
    #[default]
    Diagnose,
    /// The knowledge base, optionally at one cause's page.
    Knowledge(Option<String>),
}

impl View {
    /// The view a URL fragment names (`None` for fragments that are not views).
    pub fn from_hash(hash: &str) -> Option<View> {
        let hash = hash.trim_start_matches('#');
        match hash {
            "" | "diagnose" => Some(View::Diagnose),
            "kb" => Some(View::Knowledge(None)),
            _ => hash.strip_prefix("kb/").map(|id| View::Knowledge(Some(id.to_string()))),
        }
    }

    /// The URL fragment of the view.
    pub fn hash(&self) -> String {
        match self {
            View::Diagnose => String::new(),
            View::Knowledge(None) => "#kb".into(),
            View::Knowledge(Some(id)) => format!("#kb/{id}"),
        }
    }
}

/// A line to scroll to and highlight.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Focus {
    /// The paste box.
    pub id: u32,
    /// 1-based line of the paste.
    pub line: usize,
    /// Changes on every request, so the same line can be shown again.
    pub nonce: u32,
}

/// A message for the person.
#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    /// The text.
    pub text: String,
    /// True for a problem.
    pub error: bool,
    /// What "Undo" restores, when the action can be undone.
    pub undo: Option<Rc<Saved>>,
}

/// The share dialog.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Share {
    /// What to mask.
    pub options: Options,
    /// The request whose answer is awaited.
    pub seq: u64,
    /// True once the person asked for the link.
    pub confirmed: bool,
    /// What the worker found last (for `result_seq`; the options may have changed since).
    pub result: Option<Rc<Shared>>,
    /// The request `result` answers.
    pub result_seq: u64,
}

/// What redaction found, and the link.
#[derive(Clone, Debug, PartialEq)]
pub struct Shared {
    /// Items found (kept or masked).
    pub masks: Vec<Mask>,
    /// Private keys removed: `(paste, line)`.
    pub private_keys: Vec<(usize, usize)>,
    /// The link's fragment, or why there is none.
    pub link: Link,
}

/// The page state.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Ui {
    /// The latest diagnosis.
    pub analysis: Option<Rc<Analysis>>,
    /// The analysis asked for last: sequence number and size, while it runs.
    pub running: Option<(u64, usize)>,
    /// The line to show.
    pub focus: Option<Focus>,
    /// The view.
    pub view: View,
    /// True while a stored session or a link is being restored.
    pub restoring: bool,
    /// A message for the person.
    pub notice: Option<Notice>,
    /// Why the session could not be kept in local storage, if so.
    pub storage: Option<String>,
    /// The share dialog, when open.
    pub share: Option<Share>,
    /// Bumped to send the session again (the worker lost it).
    pub resend: u32,
    /// Files being read.
    pub reading: usize,
    /// Bumped by every action: tells a change without comparing the state (see `Ctx`).
    pub revision: u64,
}

/// Changes of the page state.
#[derive(Clone, Debug, PartialEq)]
pub enum UiAction {
    /// An analysis of `bytes` was asked for.
    Analysing { seq: u64, bytes: usize },
    /// A diagnosis came back.
    Analysed(Rc<Analysis>),
    /// Show this line of this box.
    Focus { id: u32, line: usize },
    /// Go to a view.
    View(View),
    /// Restoring started or ended.
    Restoring(bool),
    /// Show (or clear) a message.
    Notice(Option<Notice>),
    /// Local storage worked (`None`) or not.
    Storage(Option<String>),
    /// Open the share dialog (with the request's seq).
    OpenShare { seq: u64 },
    /// New masking options (and the request made for them).
    ShareOptions { options: Options, seq: u64 },
    /// The person asked for the link.
    ConfirmShare,
    /// The worker's answer for a share request.
    Shared { seq: u64, shared: Rc<Shared> },
    /// Close the dialog.
    CloseShare,
    /// The worker lost the texts: send again.
    Resend,
    /// A file started (+1) or finished (-1) reading.
    Reading(isize),
    /// The analyser stopped without answering (why): nothing is running or restoring any more.
    Failed(String),
}

impl Reducible for Ui {
    type Action = UiAction;

    fn reduce(self: Rc<Self>, action: UiAction) -> Rc<Self> {
        let mut ui = (*self).clone();
        ui.revision += 1;
        match action {
            UiAction::Analysing { seq, bytes } => {
                ui.running = Some((seq, bytes));
            }
            UiAction::Analysed(a) => {
                if ui.analysis.as_ref().is_none_or(|old| old.seq <= a.seq) {
                    if ui.running.is_some_and(|(seq, _)| seq <= a.seq) {
                        ui.running = None;
                    }
                    ui.analysis = Some(a);
                }
            }
            UiAction::Focus { id, line } => {
                let nonce = ui.focus.map_or(1, |f| f.nonce + 1);
                ui.focus = Some(Focus { id, line, nonce });
                ui.view = View::Diagnose;
            }
            UiAction::View(view) => ui.view = view,
            UiAction::Restoring(on) => ui.restoring = on,
            UiAction::Notice(n) => ui.notice = n,
            UiAction::Storage(s) => ui.storage = s,
            UiAction::OpenShare { seq } => {
                ui.share = Some(Share {
                    seq,
                    ..Share::default()
                });
            }
            UiAction::ShareOptions { options, seq } => {
                if let Some(s) = &mut ui.share {
                    s.options = options;
                    s.seq = seq;
                }
            }
            UiAction::ConfirmShare => {
                if let Some(s) = &mut ui.share {
                    s.confirmed = true;
                }
            }
            UiAction::Shared { seq, shared } => {
                if let Some(s) = &mut ui.share
                    && s.seq == seq
                {
                    s.result = Some(shared);
                    s.result_seq = seq;
                }
            }
            UiAction::CloseShare => ui.share = None,
            UiAction::Resend => ui.resend += 1,
            UiAction::Reading(d) => ui.reading = ui.reading.saturating_add_signed(d),
            UiAction::Failed(reason) => {
                ui.running = None;
                ui.restoring = false;
                if ui.share.as_ref().is_some_and(|s| s.result.is_none()) {
                    ui.share = None;
                }
                ui.notice = Some(Notice {
                    text: format!(
                        "The analyser stopped unexpectedly ({reason}). Your pastes are kept; the next \
                         change starts it again. If it stops again on the same text, that text \
                         trips a bug in Gateway Doctor."
                    ),
                    error: true,
                    undo: None,
                });
            }
        }
        Rc::new(ui)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn views_round_trip_through_the_fragment() {
        for v in [
            View::Diagnose,
            View::Knowledge(None),
            View::Knowledge(Some("php-fpm-down".into())),
        ] {
            assert_eq!(View::from_hash(&v.hash()), Some(v));
        }
        assert_eq!(View::from_hash("#s1=abc"), None);
    }

    #[test]
    fn an_older_diagnosis_never_replaces_a_newer_one() {
        let ui = Rc::new(Ui::default());
        let ui = ui.reduce(UiAction::Analysing { seq: 2, bytes: 10 });
        let newer = Rc::new(Analysis {
            seq: 2,
            ..Analysis::default()
        });
        let older = Rc::new(Analysis {
            seq: 1,
            ..Analysis::default()
        });
        let ui = ui.reduce(UiAction::Analysed(newer.clone()));
        assert!(ui.running.is_none());
        let ui = ui.reduce(UiAction::Analysed(older));
        assert_eq!(ui.analysis.as_ref().unwrap().seq, 2);
    }

    #[test]
    fn a_stopped_analyser_ends_the_wait_and_says_so() {
        let ui = Rc::new(Ui::default())
            .reduce(UiAction::Analysing { seq: 3, bytes: 10 })
            .reduce(UiAction::Restoring(true))
            .reduce(UiAction::OpenShare { seq: 4 })
            .reduce(UiAction::Failed("unreachable executed".into()));
        assert!(ui.running.is_none() && !ui.restoring && ui.share.is_none());
        let notice = ui.notice.as_ref().expect("a notice");
        assert!(notice.error);
        assert!(notice.text.contains("(unreachable executed)"), "{}", notice.text);
    }
}

//! What every component reaches through Yew's context: the session, the page state and the
//! analyser's client.

use std::cell::Cell;
use std::rc::Rc;

use yew::prelude::*;

use crate::backend::Client;
use crate::protocol::Analysis;
use crate::session::{Action, Session};
use crate::ui::{Ui, UiAction, View};

/// The shared handles.
#[derive(Clone)]
pub struct Ctx {
    /// The session (pastes, kinds, answers).
    pub session: UseReducerHandle<Session>,
    /// The page state.
    pub ui: UseReducerHandle<Ui>,
    /// The analyser.
    pub client: Rc<Client>,
    /// Request sequence numbers.
    pub seq: Rc<Cell<u64>>,
    /// The session's version and the page state's revision when this context was made.
    seen: (u64, u64),
}

/// Equal when made from the same states: every change bumps the session's version or the page
/// state's revision, so consumers re-render on a change without a comparison of megabytes of
/// pastes and a whole report on every render (nor that deep comparison compiled in). The
/// handles themselves cannot tell: a reducer handle reads the latest state, whichever render
/// made it.
impl PartialEq for Ctx {
    fn eq(&self, other: &Self) -> bool {
        self.seen == other.seen && Rc::ptr_eq(&self.client, &other.client)
    }
}

impl Ctx {
    /// The context of one render of the page.
    pub fn new(
        session: UseReducerHandle<Session>,
        ui: UseReducerHandle<Ui>,
        client: Rc<Client>,
        seq: Rc<Cell<u64>>,
    ) -> Ctx {
        let seen = (session.version, ui.revision);
        Ctx {
            session,
            ui,
            client,
            seq,
            seen,
        }
    }

    /// A new request sequence number.
    pub fn next_seq(&self) -> u64 {
        let n = self.seq.get() + 1;
        self.seq.set(n);
        n
    }

    /// Changes the session.
    pub fn act(&self, action: Action) {
        self.session.dispatch(action);
    }

    /// Changes the page state.
    pub fn set(&self, action: UiAction) {
        self.ui.dispatch(action);
    }

    /// The latest diagnosis.
    pub fn analysis(&self) -> Option<Rc<Analysis>> {
        self.ui.analysis.clone()
    }

    /// Goes to a view (through the URL fragment, so Back works).
    pub fn go(&self, view: View) {
        crate::dom::set_hash(&view.hash());
        self.set(UiAction::View(view));
    }

    /// Shows line `line` of the paste an artifact of the latest report comes from.
    pub fn show_line(&self, artifact: usize, line: usize) {
        let Some(a) = self.analysis() else { return };
        let Some(id) = a
            .report
            .artifacts
            .get(artifact)
            .and_then(|art| a.ids.get(art.paste))
            .copied()
        else {
            return;
        };
        self.set(UiAction::Focus { id, line });
    }

    /// The box id a paste index of the latest report stands for.
    pub fn box_of_paste(&self, paste: usize) -> Option<u32> {
        self.analysis().and_then(|a| a.ids.get(paste).copied())
    }
}

/// The context, for components (present under `App`).
#[hook]
pub fn use_ctx() -> Ctx {
    use_context::<Ctx>().expect("components are used inside App")
}

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
}

/// Equal when every handle holds the same state: a reducer makes a new value for every change,
/// so comparing addresses tells a change without comparing megabytes of pastes and a whole
/// report on every render (and without compiling that deep comparison in).
impl PartialEq for Ctx {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(&*self.session, &*other.session)
            && std::ptr::eq(&*self.ui, &*other.ui)
            && Rc::ptr_eq(&self.client, &other.client)
    }
}

impl Ctx {
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

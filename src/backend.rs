//! The page's side of the analyser: a [`Backend`] makes a channel to it (the Web Worker in the
//! app, the same code inline in the browser tests), and the [`Client`] sends requests, each
//! paste's text only once per revision. A new analysis while a big one is still running
//! restarts the worker, so a newer paste never waits behind an older one.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use yew::Callback;

use crate::analyser::State;
use crate::protocol::{PasteRef, Request, Response, SessionRef};
use crate::session::Session;

/// A way to send requests to the analyser.
pub trait Channel {
    /// Sends one request; responses come through the callback the channel was made with.
    fn send(&self, request: Request);
}

type Spawn = dyn Fn(Callback<Response>) -> Box<dyn Channel>;

/// Makes channels to the analyser.
#[derive(Clone)]
pub struct Backend {
    spawn: Rc<Spawn>,
    /// True when a running analysis can be abandoned by making a new channel.
    restartable: bool,
}

impl PartialEq for Backend {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.spawn, &other.spawn)
    }
}

impl Backend {
    /// The Web Worker, started from its loader script (a path relative to the page).
    pub fn worker(loader: &'static str) -> Backend {
        Backend {
            spawn: Rc::new(move |on: Callback<Response>| {
                use gloo::worker::Spawnable;
                let bridge = crate::analyser::Analyser::spawner()
                    .callback(move |r| on.emit(r))
                    .encoding::<crate::protocol::Json>()
                    .spawn_with_loader(loader);
                Box::new(WorkerChannel { _bridge: bridge }) as Box<dyn Channel>
            }),
            restartable: true,
        }
    }

    /// The analyser on the page's own thread (browser tests: no worker files are served there).
    pub fn inline() -> Backend {
        Backend {
            spawn: Rc::new(|on: Callback<Response>| {
                Box::new(InlineChannel {
                    state: Rc::new(RefCell::new(State::default())),
                    on,
                }) as Box<dyn Channel>
            }),
            restartable: false,
        }
    }
}

struct WorkerChannel {
    _bridge: gloo::worker::WorkerBridge<crate::analyser::Analyser>,
}

impl Channel for WorkerChannel {
    fn send(&self, request: Request) {
        self._bridge.send(request);
    }
}

struct InlineChannel {
    state: Rc<RefCell<State>>,
    on: Callback<Response>,
}

impl Channel for InlineChannel {
    fn send(&self, request: Request) {
        let (state, on) = (self.state.clone(), self.on.clone());
        // Answer later, as a worker would, never inside the caller's own update.
        yew::platform::spawn_local(async move {
            let response = state.borrow_mut().handle(request, &|| 0.0);
            if let Some(r) = response {
                on.emit(r);
            }
        });
    }
}

/// Analyses this big (bytes) or bigger are abandoned, not waited for, when a newer one comes.
pub const RESTART_OVER: usize = 1 << 20;

/// An analysis under way: its sequence number and its large pastes (id, revision).
type Running = (u64, Vec<(u32, u32)>);

/// The page's client of the analyser.
pub struct Client {
    backend: Backend,
    on: Callback<Response>,
    channel: RefCell<Box<dyn Channel>>,
    /// The revision of each paste the analyser has.
    sent: RefCell<HashMap<u32, u32>>,
    /// The analysis running: its sequence number and its large pastes (id, revision).
    running: RefCell<Option<Running>>,
}

impl Client {
    /// Starts the analyser; its responses go to `on`.
    pub fn new(backend: Backend, on: Callback<Response>) -> Client {
        let channel = (backend.spawn)(on.clone());
        Client {
            backend,
            on,
            channel: RefCell::new(channel),
            sent: RefCell::new(HashMap::new()),
            running: RefCell::new(None),
        }
    }

    /// The session by reference: texts only for revisions the analyser lacks.
    fn session_ref(&self, session: &Session) -> SessionRef {
        let mut sent = self.sent.borrow_mut();
        SessionRef {
            pastes: session
                .entries
                .iter()
                .map(|e| {
                    let known = sent.get(&e.id) == Some(&e.rev);
                    sent.insert(e.id, e.rev);
                    PasteRef {
                        id: e.id,
                        rev: e.rev,
                        paste: (!known).then(|| (*e.paste).clone()),
                    }
                })
                .collect(),
            answers: session.answers.clone(),
        }
    }

    /// Forgets what the analyser has (it answered `Missing`, or was restarted).
    pub fn forget(&self) {
        self.sent.borrow_mut().clear();
    }

    fn restart(&self) {
        *self.channel.borrow_mut() = (self.backend.spawn)(self.on.clone());
        self.forget();
    }

    /// Diagnoses the session. When an analysis of a large paste is still running and that
    /// paste has changed or gone, the worker is restarted: the newer paste does not wait. (When
    /// only something small changed, the newer request waits and supersedes the queued ones.)
    pub fn analyse(&self, seq: u64, session: &Session) {
        let large: Vec<(u32, u32)> = session
            .entries
            .iter()
            .filter(|e| e.paste.text.len() >= RESTART_OVER)
            .map(|e| (e.id, e.rev))
            .collect();
        let stale = self
            .running
            .borrow()
            .as_ref()
            .is_some_and(|(_, running)| running.iter().any(|r| !large.contains(r)));
        if stale && self.backend.restartable {
            self.restart();
        }
        *self.running.borrow_mut() = Some((seq, large));
        let request = Request::Analyse {
            seq,
            session: self.session_ref(session),
        };
        self.channel.borrow().send(request);
    }

    /// An analysis came back.
    pub fn analysed(&self, seq: u64) {
        let mut running = self.running.borrow_mut();
        if running.as_ref().is_some_and(|(s, _)| *s <= seq) {
            *running = None;
        }
    }

    /// Encodes the session for local storage.
    pub fn save(&self, seq: u64, session: &Session) {
        let request = Request::Save {
            seq,
            session: self.session_ref(session),
        };
        self.channel.borrow().send(request);
    }

    /// Redacts the session and makes its share link.
    pub fn share(&self, seq: u64, session: &Session, options: engine::redact::Options) {
        let request = Request::Share {
            seq,
            session: self.session_ref(session),
            options,
        };
        self.channel.borrow().send(request);
    }

    /// Decodes a stored session or a share link.
    pub fn load(&self, data: String, from_link: bool) {
        self.channel.borrow().send(Request::Load { data, from_link });
    }
}

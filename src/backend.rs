//! The page's side of the analyser: a [`Backend`] makes a channel to it (the Web Worker in the
//! app, the same code inline in the browser tests), and the [`Client`] sends requests, each
//! paste's text only once per revision. A new analysis while a big one is still running
//! restarts the worker, so a newer paste never waits behind an older one.

use std::cell::{Cell, RefCell};
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
            spawn: Rc::new(move |on: Callback<Response>| WorkerChannel::start(loader, on)),
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

/// The Web Worker: requests and responses are postcard bytes ([`crate::protocol`]); requests wait
/// until the worker says it listens. Dropping the channel terminates the worker (and whatever it was doing).
struct WorkerChannel {
    worker: web_sys::Worker,
    /// Requests held until the worker is ready (`None` once it is).
    pending: Rc<RefCell<Option<Vec<Vec<u8>>>>>,
    _onmessage: wasm_bindgen::closure::Closure<dyn FnMut(web_sys::MessageEvent)>,
    _onerror: wasm_bindgen::closure::Closure<dyn FnMut(web_sys::Event)>,
}

impl WorkerChannel {
    /// The worker's channel, or one that answers every request with `Failed` when the browser
    /// cannot create the worker.
    #[cfg(target_arch = "wasm32")]
    fn start(loader: &str, on: Callback<Response>) -> Box<dyn Channel> {
        use crate::protocol::{decode, post};
        use wasm_bindgen::JsCast;
        use wasm_bindgen::closure::Closure;
        let options = web_sys::WorkerOptions::new();
        options.set_type(web_sys::WorkerType::Module);
        let Ok(worker) = web_sys::Worker::new_with_options(loader, &options) else {
            return Box::new(Unavailable { on });
        };
        let pending: Rc<RefCell<Option<Vec<Vec<u8>>>>> = Rc::new(RefCell::new(Some(Vec::new())));
        let on_error = on.clone();
        let onmessage = {
            let (worker, pending) = (worker.clone(), pending.clone());
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
                let data = e.data();
                if data.as_string().as_deref() == Some(crate::analyser::READY) {
                    for message in pending.borrow_mut().take().unwrap_or_default() {
                        let (array, transfer) = post::transferable(&message);
                        let _ = worker.post_message_with_transfer(&array, &transfer);
                    }
                } else if let Some(response) = post::bytes_of(&data).and_then(|b| decode::<Response>(&b)) {
                    on.emit(response);
                }
            })
        };
        // A trap in the engine (or a worker script that fails to load) ends up here: without
        // this the page would wait for an answer forever.
        let onerror = Closure::<dyn FnMut(web_sys::Event)>::new(move |e: web_sys::Event| {
            e.prevent_default();
            let reason = e
                .dyn_ref::<web_sys::ErrorEvent>()
                .map(|e| e.message())
                .filter(|m| !m.is_empty())
                .unwrap_or_else(|| "the analyser's worker could not be loaded".into());
            on_error.emit(Response::Failed { reason });
        });
        worker.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
        worker.set_onerror(Some(onerror.as_ref().unchecked_ref()));
        // The page's own compiled module: the worker starts without fetching or compiling it.
        let _ = worker.post_message(&wasm_bindgen::module());
        Box::new(WorkerChannel {
            worker,
            pending,
            _onmessage: onmessage,
            _onerror: onerror,
        })
    }

    #[cfg(not(target_arch = "wasm32"))]
    fn start(_loader: &str, on: Callback<Response>) -> Box<dyn Channel> {
        Box::new(Unavailable { on })
    }
}

impl Channel for WorkerChannel {
    fn send(&self, request: Request) {
        let bytes = crate::protocol::encode(&request);
        if let Some(queue) = self.pending.borrow_mut().as_mut() {
            queue.push(bytes);
        } else {
            let (array, transfer) = crate::protocol::post::transferable(&bytes);
            let _ = self.worker.post_message_with_transfer(&array, &transfer);
        }
    }
}

impl Drop for WorkerChannel {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}

/// No worker could be created (a Content-Security-Policy or a browser without module workers):
/// every request is answered `Failed`, so the page says so instead of waiting.
struct Unavailable {
    on: Callback<Response>,
}

impl Channel for Unavailable {
    fn send(&self, _request: Request) {
        let on = self.on.clone();
        // Later, as a worker would answer, never inside the caller's own update.
        yew::platform::spawn_local(async move {
            on.emit(Response::Failed {
                reason: "this browser could not start the analyser's worker".into(),
            });
        });
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
    /// True once the analyser stopped without answering ([`Client::failed`]).
    stopped: Cell<bool>,
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
            stopped: Cell::new(false),
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

    /// The analyser stopped: nothing is running any more, and a fresh one is started for the
    /// next request (not now: a worker that cannot load would fail again at once, in a loop).
    pub fn failed(&self) {
        self.stopped.set(true);
        *self.running.borrow_mut() = None;
    }

    /// Sends a request, first starting a fresh analyser if the last one stopped.
    fn send(&self, request: Request) {
        if self.stopped.replace(false) {
            self.restart();
        }
        self.channel.borrow().send(request);
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
        self.send(request);
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
        self.send(request);
    }

    /// Redacts the session and makes its share link.
    pub fn share(&self, seq: u64, session: &Session, options: engine::redact::Options) {
        let request = Request::Share {
            seq,
            session: self.session_ref(session),
            options,
        };
        self.send(request);
    }

    /// Decodes a stored session or a share link.
    pub fn load(&self, data: String, from_link: bool) {
        self.send(Request::Load { data, from_link });
    }
}

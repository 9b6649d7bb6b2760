//! The root: owns the session and the page state, talks to the analyser, restores and keeps
//! the session, and lays the page out.

use std::cell::{Cell, OnceCell};
use std::rc::{Rc, Weak};

use gloo::events::EventListener;
use gloo::timers::callback::Timeout;
use yew::prelude::*;

use crate::backend::{Backend, Client};
use crate::components::{FindingList, Header, KnowledgeBase, NoticeBar, PasteList, ShareDialog, Status, Triage};
use crate::context::Ctx;
use crate::dom;
use crate::protocol::Response;
use crate::session::{Action, Session};
use crate::ui::{Notice, Shared, Ui, UiAction, View};

/// Properties of [`App`].
#[derive(Properties, PartialEq)]
pub struct AppProps {
    /// How to reach the analyser (the Web Worker by default).
    #[prop_or_else(default_backend)]
    pub backend: Backend,
}

fn default_backend() -> Backend {
    Backend::worker("./worker.js")
}

impl Default for AppProps {
    fn default() -> Self {
        AppProps {
            backend: default_backend(),
        }
    }
}

/// Typing pauses this long (ms) before an analysis starts.
const ANALYSE_AFTER: u32 = 120;
/// Changes are kept in local storage this long (ms) after the last one.
const SAVE_AFTER: u32 = 600;

/// The whole page.
#[function_component(App)]
pub fn app(props: &AppProps) -> Html {
    let session = use_reducer(Session::default);
    let ui = use_reducer(Ui::default);
    let seq = use_memo((), |_| Cell::new(0u64));
    let dragging = use_state(|| false);

    // The analyser and what it answers.
    let client = {
        let (sessions, uis) = (session.dispatcher(), ui.dispatcher());
        let backend = props.backend.clone();
        use_memo((), move |_| {
            let me: Rc<OnceCell<Weak<Client>>> = Rc::new(OnceCell::new());
            let on = {
                let me = me.clone();
                Callback::from(move |r: Response| {
                    let client = me.get().and_then(Weak::upgrade);
                    respond(r, client.as_deref(), &sessions, &uis)
                })
            };
            let client = Rc::new(Client::new(backend, on));
            let _ = me.set(Rc::downgrade(&client));
            client
        })
    };
    let client: Rc<Client> = (*client).clone();
    let ctx = Ctx::new(session.clone(), ui.clone(), client, seq);

    // Once: the theme, a share link or the stored session, and the fragment's view.
    {
        let ctx = ctx.clone();
        use_effect_with((), move |_| {
            dom::apply_theme(&dom::load(dom::THEME_KEY).unwrap_or_default());
            let hash = dom::hash();
            if hash.starts_with("#s1=") {
                ctx.set(UiAction::Restoring(true));
                ctx.client.load(hash, true);
            } else {
                if let Some(view) = View::from_hash(&hash) {
                    ctx.set(UiAction::View(view));
                }
                if let Some(data) = dom::load(dom::SESSION_KEY) {
                    ctx.set(UiAction::Restoring(true));
                    ctx.client.load(data, false);
                }
            }
            let listener = web_sys::window().map(|w| {
                let ctx = ctx.clone();
                EventListener::new(&w, "hashchange", move |_| {
                    let hash = dom::hash();
                    if hash.starts_with("#s1=") {
                        ctx.set(UiAction::Restoring(true));
                        ctx.client.load(hash, true);
                    } else if let Some(view) = View::from_hash(&hash) {
                        ctx.set(UiAction::View(view));
                    }
                })
            });
            move || drop(listener)
        });
    }

    // Every change: a new diagnosis, shortly after typing pauses.
    {
        let timer = use_mut_ref(|| None::<Timeout>);
        let ctx = ctx.clone();
        let deps = (session.version, ui.resend);
        use_effect_with(deps, move |_| {
            let run = {
                let ctx = ctx.clone();
                move || {
                    let seq = ctx.next_seq();
                    ctx.set(UiAction::Analysing {
                        seq,
                        bytes: ctx.session.bytes(),
                    });
                    ctx.client.analyse(seq, &ctx.session);
                }
            };
            *timer.borrow_mut() = Some(Timeout::new(ANALYSE_AFTER, run));
        });
    }

    // Every change: kept in local storage, unless a restore is still on its way.
    {
        let timer = use_mut_ref(|| None::<Timeout>);
        let ctx = ctx.clone();
        let deps = (session.version, ui.restoring);
        use_effect_with(deps, move |(version, restoring)| {
            if !*restoring && *version > 0 {
                let ctx = ctx.clone();
                *timer.borrow_mut() = Some(Timeout::new(SAVE_AFTER, move || {
                    if ctx.session.is_empty() {
                        dom::forget(dom::SESSION_KEY);
                        ctx.set(UiAction::Storage(None));
                    } else {
                        let seq = ctx.next_seq();
                        ctx.client.save(seq, &ctx.session);
                    }
                }));
            }
        });
    }

    let ondragover = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            if !*dragging {
                dragging.set(true);
            }
        })
    };
    let ondragleave = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            // Only when leaving the page, not when moving between its elements.
            if e.related_target().is_none() {
                dragging.set(false);
            }
        })
    };
    let ondrop = {
        let (dragging, ctx) = (dragging.clone(), ctx.clone());
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(false);
            if let Some(dt) = e.data_transfer() {
                crate::components::pastes::take_files(&ctx, dt.files());
                if dt.files().is_none_or(|f| f.length() == 0)
                    && let Ok(text) = dt.get_data("text/plain")
                    && !text.is_empty()
                {
                    ctx.act(Action::AddPaste {
                        name: String::new(),
                        text,
                    });
                }
            }
        })
    };

    let main = match &ui.view {
        View::Diagnose => html! {
            <main id="main" class="layout" tabindex="-1">
                <PasteList />
                <section class="diagnosis" aria-labelledby="diagnosis-heading">
                    <h2 id="diagnosis-heading">{ "Diagnosis" }</h2>
                    <Status />
                    <FindingList />
                    <Triage />
                </section>
            </main>
        },
        View::Knowledge(id) => html! {
            <main id="main" class="kb-layout" tabindex="-1">
                <KnowledgeBase selected={id.clone()} />
            </main>
        },
    };

    html! {
        <ContextProvider<Ctx> context={ctx}>
            <div class={classes!("app", dragging.then_some("dragging"))} {ondragover} {ondragleave} {ondrop}>
                <a class="skip" href="#main">{ "Skip to the content" }</a>
                <Header />
                <NoticeBar />
                { main }
                <ShareDialog />
                if *dragging {
                    <div class="drop-hint" aria-hidden="true">{ "Drop files to add them as pastes" }</div>
                }
            </div>
        </ContextProvider<Ctx>>
    }
}

/// Applies one answer of the analyser.
fn respond(
    response: Response,
    client: Option<&Client>,
    sessions: &UseReducerDispatcher<Session>,
    uis: &UseReducerDispatcher<Ui>,
) {
    match response {
        Response::Report(a) => {
            if let Some(c) = client {
                c.analysed(a.seq);
            }
            uis.dispatch(UiAction::Analysed(Rc::new(*a)));
        }
        Response::Saved { data, .. } => {
            let problem = dom::store(dom::SESSION_KEY, &data)
                .err()
                .map(|why| format!("Your pastes are not kept across reloads: {why}."));
            uis.dispatch(UiAction::Storage(problem));
        }
        Response::Missing { .. } => {
            if let Some(c) = client {
                c.forget();
            }
            uis.dispatch(UiAction::Resend);
        }
        Response::Loaded { saved, from_link } => {
            match saved {
                Ok(saved) => {
                    sessions.dispatch(Action::Load(saved));
                    if from_link {
                        dom::clear_hash();
                        uis.dispatch(UiAction::View(View::Diagnose));
                        uis.dispatch(UiAction::Notice(Some(Notice {
                            text: "Restored the diagnosis from the link: its pastes and answers are below.".into(),
                            error: false,
                            undo: None,
                        })));
                    }
                }
                Err(why) if from_link => uis.dispatch(UiAction::Notice(Some(Notice {
                    text: why,
                    error: true,
                    undo: None,
                }))),
                Err(_) => {
                    dom::forget(dom::SESSION_KEY);
                    uis.dispatch(UiAction::Notice(Some(Notice {
                        text: "The session kept from your last visit could not be read; it was discarded.".into(),
                        error: true,
                        undo: None,
                    })));
                }
            }
            uis.dispatch(UiAction::Restoring(false));
        }
        Response::Failed { reason } => {
            if let Some(c) = client {
                c.failed();
            }
            uis.dispatch(UiAction::Failed(reason));
        }
        Response::Shared {
            seq,
            masks,
            private_keys,
            link,
        } => uis.dispatch(UiAction::Shared {
            seq,
            shared: Rc::new(Shared {
                masks,
                private_keys,
                link,
            }),
        }),
    }
}

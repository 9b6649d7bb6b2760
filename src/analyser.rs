//! The worker side: runs the engine, redaction and the share-link codec off the main thread.
//! [`State::handle`] and [`drain`] are plain Rust (tested natively); [`run_in_worker`] wires them
//! to the worker's messages (postcard bytes), draining its queue before working so that a newer
//! request supersedes older ones.

use std::collections::HashMap;

use engine::{Paste, Report};

use crate::protocol::{Analysis, Link, Request, Response, SessionRef, UNREAD_SHOWN};
use crate::session::Saved;
use crate::share;

/// What the worker keeps between requests: the pastes it was sent, by box id.
#[derive(Default)]
pub struct State {
    cache: HashMap<u32, (u32, Paste)>,
}

impl State {
    /// Stores the pastes a request carries.
    pub fn absorb(&mut self, session: &SessionRef) {
        for r in &session.pastes {
            if let Some(p) = &r.paste {
                self.cache.insert(r.id, (r.rev, p.clone()));
            }
        }
    }

    /// Takes the session's pastes out of the cache (put them back with [`State::put_back`]);
    /// `None` when one revision is missing (the page must send them again).
    fn take(&mut self, session: SessionRef) -> Option<(Vec<u32>, Vec<Paste>)> {
        let mut ids = Vec::with_capacity(session.pastes.len());
        for r in &session.pastes {
            if r.paste.is_none() && self.cache.get(&r.id).is_none_or(|(rev, _)| *rev != r.rev) {
                return None;
            }
        }
        let mut pastes = Vec::with_capacity(session.pastes.len());
        for r in session.pastes {
            let paste = match r.paste {
                Some(p) => {
                    self.cache.insert(r.id, (r.rev, Paste::default()));
                    p
                }
                None => std::mem::take(&mut self.cache.get_mut(&r.id)?.1),
            };
            ids.push(r.id);
            pastes.push(paste);
        }
        Some((ids, pastes))
    }

    fn put_back(&mut self, ids: &[u32], pastes: Vec<Paste>) {
        for (id, paste) in ids.iter().zip(pastes) {
            if let Some(slot) = self.cache.get_mut(id) {
                slot.1 = paste;
            }
        }
    }

    /// Answers one request. `now` gives milliseconds (for the timing shown to the person).
    pub fn handle(&mut self, request: Request, now: &dyn Fn() -> f64) -> Option<Response> {
        match request {
            Request::Analyse { seq, session } => {
                let answers = session.answers.clone();
                let keep: Vec<u32> = session.pastes.iter().map(|p| p.id).collect();
                self.cache.retain(|id, _| keep.contains(id));
                let Some((ids, pastes)) = self.take(session) else {
                    return Some(Response::Missing { seq });
                };
                let started = now();
                let mut report = engine::diagnose(&pastes, &answers);
                let millis = now() - started;
                self.put_back(&ids, pastes);
                slim(&mut report);
                Some(Response::Report(Box::new(Analysis {
                    seq,
                    ids,
                    report,
                    millis,
                })))
            }
            Request::Save { seq, session } => {
                let answers = session.answers.clone();
                let Some((ids, pastes)) = self.take(session) else {
                    return Some(Response::Missing { seq });
                };
                let data = share::encode_parts(&pastes, &answers, share::STORE_LEVEL);
                self.put_back(&ids, pastes);
                Some(Response::Saved { seq, data })
            }
            Request::Load { data, from_link } => Some(Response::Loaded {
                saved: share::decode(&data),
                from_link,
            }),
            Request::Share { seq, session, options } => {
                let answers = session.answers.clone();
                let Some((ids, pastes)) = self.take(session) else {
                    return Some(Response::Missing { seq });
                };
                let shown: Vec<Paste> = pastes.iter().filter(|p| !p.text.is_empty()).cloned().collect();
                self.put_back(&ids, pastes);
                let redacted = engine::redact::redact(&shown, &options);
                let fragment = share::encode(
                    &Saved {
                        pastes: redacted.pastes,
                        answers,
                    },
                    share::LINK_LEVEL,
                );
                let link = if fragment.len() > share::LINK_LIMIT {
                    Link::TooLarge {
                        chars: fragment.len(),
                        limit: share::LINK_LIMIT,
                    }
                } else {
                    Link::Fragment(fragment)
                };
                Some(Response::Shared {
                    seq,
                    masks: redacted.masks,
                    private_keys: redacted.private_keys,
                    link,
                })
            }
        }
    }
}

/// Drops what the page does not show: unread lines past the first [`UNREAD_SHOWN`] of each
/// piece (their count stays exact). Facts are never serialized.
pub fn slim(report: &mut Report) {
    for a in &mut report.artifacts {
        a.unread.truncate(UNREAD_SHOWN);
    }
}

/// Runs the analyser in the Web Worker this module was started in: requests arrive as postcard
/// bytes, the queue is drained after every message already sent has arrived (the newest
/// request of a kind supersedes older ones), responses go back as postcard bytes. Posts "ready"
/// once it listens (the page holds its requests until then).
pub fn run_in_worker() {
    use crate::protocol::{decode, encode, post};
    use std::cell::RefCell;
    use std::rc::Rc;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::Closure;

    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let state = Rc::new(RefCell::new(State::default()));
    let queue: Rc<RefCell<Vec<Request>>> = Rc::default();
    let onmessage = {
        let scope = scope.clone();
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
            let Some(request) = post::bytes_of(&e.data()).and_then(|b| decode(&b)) else {
                return;
            };
            let first = {
                let mut q = queue.borrow_mut();
                q.push(request);
                q.len() == 1
            };
            if first {
                let (scope, state, queue) = (scope.clone(), state.clone(), queue.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    // Let every message already queued arrive first.
                    gloo::timers::future::TimeoutFuture::new(0).await;
                    let requests = std::mem::take(&mut *queue.borrow_mut());
                    drain(&mut state.borrow_mut(), requests, &mut |response| {
                        let (array, transfer) = post::transferable(&encode(&response));
                        let _ = scope.post_message_with_transfer(&array, &transfer);
                    });
                });
            }
        })
    };
    scope.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
    onmessage.forget();
    let _ = scope.post_message(&wasm_bindgen::JsValue::from_str(READY));
}

/// What the worker posts once it listens.
pub const READY: &str = "ready";

/// Answers a batch of requests in order, skipping the work of each one a newer request of the
/// same kind supersedes (its texts are kept).
pub fn drain(state: &mut State, requests: Vec<Request>, respond: &mut dyn FnMut(Response)) {
    let last = |f: fn(&Request) -> bool| requests.iter().rposition(f);
    let last_analyse = last(|r| matches!(r, Request::Analyse { .. }));
    let last_save = last(|r| matches!(r, Request::Save { .. }));
    for (i, request) in requests.into_iter().enumerate() {
        let superseded = match &request {
            Request::Analyse { session, .. } => (Some(i) != last_analyse).then_some(session),
            Request::Save { session, .. } => (Some(i) != last_save).then_some(session),
            _ => None,
        };
        if let Some(session) = superseded {
            state.absorb(session);
            continue;
        }
        if let Some(response) = state.handle(request, &now) {
            respond(response);
        }
    }
}

fn now() -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        js_sys::Date::now()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::PasteRef;
    use engine::redact::Options;

    const LINE: &str = "2026/11/21 10:00:00 [crit] 2211#2211: *4711 connect() to unix:/run/php/php8.3-fpm.sock failed (2: No such file or directory) while connecting to upstream, client: 81.2.69.160, server: shop.acme-corp.com, request: \"GET /index.php HTTP/1.1\", upstream: \"fastcgi://unix:/run/php/php8.3-fpm.sock:\", host: \"shop.acme-corp.com\"";

    fn session(rev: u32, with_text: bool) -> SessionRef {
        SessionRef {
            pastes: vec![PasteRef {
                id: 7,
                rev,
                paste: with_text.then(|| Paste::new("error.log", LINE)),
            }],
            answers: Default::default(),
        }
    }

    #[test]
    fn analyses_and_remembers_texts_by_revision() {
        let mut state = State::default();
        let Some(Response::Report(a)) = state.handle(
            Request::Analyse {
                seq: 1,
                session: session(0, true),
            },
            &|| 0.0,
        ) else {
            panic!("a report")
        };
        assert_eq!(a.ids, vec![7]);
        assert_eq!(a.report.findings[0].cause.id(), "php-fpm-down");
        let json = serde_json::to_string(&a.report).unwrap();
        assert!(!json.contains("\"facts\""), "facts stay in the worker");
        // The same revision by reference only.
        let Some(Response::Report(b)) = state.handle(
            Request::Analyse {
                seq: 2,
                session: session(0, false),
            },
            &|| 0.0,
        ) else {
            panic!("a report")
        };
        assert_eq!(b.report, a.report);
        // A revision it never saw: the page must send it.
        assert_eq!(
            state.handle(
                Request::Analyse {
                    seq: 3,
                    session: session(1, false)
                },
                &|| 0.0
            ),
            Some(Response::Missing { seq: 3 })
        );
    }

    #[test]
    fn saves_and_loads_the_session() {
        let mut state = State::default();
        let Some(Response::Saved { data, .. }) = state.handle(
            Request::Save {
                seq: 1,
                session: session(0, true),
            },
            &|| 0.0,
        ) else {
            panic!("saved")
        };
        let Some(Response::Loaded { saved, from_link }) =
            state.handle(Request::Load { data, from_link: false }, &|| 0.0)
        else {
            panic!("loaded")
        };
        assert!(!from_link);
        assert_eq!(saved.unwrap().pastes[0].text, LINE);
        // The texts stayed in the cache.
        assert!(matches!(
            state.handle(
                Request::Analyse {
                    seq: 2,
                    session: session(0, false)
                },
                &|| 0.0
            ),
            Some(Response::Report(_))
        ));
    }

    #[test]
    fn a_share_link_carries_the_redacted_session() {
        let mut state = State::default();
        let Some(Response::Shared { masks, link, .. }) = state.handle(
            Request::Share {
                seq: 1,
                session: session(0, true),
                options: Options::default(),
            },
            &|| 0.0,
        ) else {
            panic!("shared")
        };
        assert!(masks.iter().any(|m| m.original == "81.2.69.160"));
        assert!(masks.iter().any(|m| m.original == "shop.acme-corp.com"));
        let Link::Fragment(fragment) = link else {
            panic!("a link")
        };
        let saved = share::decode(&fragment).unwrap();
        assert!(!saved.pastes[0].text.contains("81.2.69.160"));
        assert!(!saved.pastes[0].text.contains("acme-corp"));
        // The redacted session still diagnoses the same.
        let r = engine::diagnose(&saved.pastes, &saved.answers);
        assert_eq!(r.findings[0].cause.id(), "php-fpm-down");
    }
}

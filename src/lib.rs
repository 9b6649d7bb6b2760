//! Gateway Doctor's web app: a thin Yew front end over the engine.
//!
//! The page holds the [`session::Session`] (pastes, chosen kinds, answers) and derives
//! everything else from it in a Web Worker ([`analyser`]): the diagnosis, the stored copy, the
//! redacted share link. The page's own bundle never runs the engine: it only reads the report
//! the worker sends (see [`backend`]).
//!
//! - [`session`]: the session and its actions; [`ui`]: the page's own state;
//! - [`protocol`]: page ↔ worker messages; [`backend`]: the page's client of the worker;
//! - [`analyser`]: the worker; [`share`]: the session packed for links and storage;
//! - [`components`]: one function component per file; [`md`]: the Markdown subset of pages;
//! - [`examples`], [`lines`], [`dom`]: built-in cases, line arithmetic, browser calls.

pub mod analyser;
pub mod backend;
pub mod components;
pub mod context;
pub mod dom;
pub mod examples;
pub mod lines;
pub mod md;
pub mod protocol;
pub mod session;
pub mod share;
pub mod ui;

pub use backend::Backend;
pub use components::{App, AppProps};

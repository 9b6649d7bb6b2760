//! `uwsgi-socket-got-http`: HTTP is sent to a uWSGI socket that speaks the uwsgi protocol.
//!
//! ## What it looks for
//! uWSGI's `invalid request block size: 21573 (max 4096)...skip` where the size is two letters
//! of an HTTP method read as a packet length (21573 = 0x5445 = "ET" of `GET`; `POST` gives
//! 21327). Corroborated by nginx's `upstream prematurely closed connection` / `recv() failed
//! (104)` on an `http://` upstream, and by a `proxy_pass` to the address uWSGI binds with
//! `--socket` (`uwsgi socket 0 bound to ...`).
//!
//! ## Why it matters
//! Raising `buffer-size` does not help: the bytes are HTTP, not uwsgi. Either nginx uses
//! `uwsgi_pass` (with `include uwsgi_params;`), or uWSGI serves HTTP (`--http-socket`).
//!
//! ## Weakened by
//! A size that is not text (a real request larger than `buffer-size`: backend-request-too-large).

use crate::cause::Cause;
use crate::facts::*;
use crate::model::Model;
use crate::model::backends::{Speaks, uwsgi_block_is_http};
use crate::model::nginx::repass;
use crate::rules::{Draft, Rule};

/// The rule.
pub const RULE: Rule = Rule {
    id: "uwsgi-socket-got-http",
    cause: Cause::ProtocolMismatch,
    doc: "uWSGI: invalid request block size: 21573 (\"ET\" of GET): plain HTTP reaches a uwsgi-protocol socket (proxy_pass where uwsgi_pass is needed)",
    check,
};

fn check(model: &Model<'_>, out: &mut Vec<Draft>) {
    let Some(block) = model
        .all::<AppEvent>()
        .find(|a| a.class == "invalid-request-block-size" && a.number.is_some_and(uwsgi_block_is_http))
    else {
        return;
    };
    let n = block.number.unwrap_or_default();
    let text: String = [(n & 0xff) as u8 as char, (n >> 8) as u8 as char].iter().collect();
    let mut confidence: f32 = 0.8;
    let mut d = Draft::new(
        Cause::ProtocolMismatch,
        confidence,
        "nginx sends HTTP to uWSGI's uwsgi-protocol socket (proxy_pass where uwsgi_pass is needed)",
    );
    d.support(
        block.artifact,
        block.span,
        format!("{n} is the text \"{text}\" of an HTTP request line read as a uwsgi packet size"),
    )
    .value("directive", "uwsgi_pass")
    .value("limit", n.to_string());
    // nginx's side: the connection closes before a response header.
    if let Some(e) = model
        .all::<ErrorEvent>()
        .filter(|e| matches!(e.class, MessageClass::PrematurelyClosed | MessageClass::RecvFailed))
        .find(|e| e.upstream.as_deref().is_some_and(|u| u.starts_with("http")))
    {
        d.support(
            e.artifact,
            e.span,
            "nginx speaks HTTP to it and uWSGI drops the connection",
        );
        confidence += 0.08;
    }
    // The proxy_pass aimed at the uwsgi socket.
    let uwsgi_sockets: Vec<_> = model
        .all::<AppEvent>()
        .filter(|a| a.server == "uwsgi" && a.class == "listening" && a.message.starts_with("uwsgi socket"))
        .collect();
    for t in model.targets() {
        if !matches!(t.at.protocol, Protocol::Http | Protocol::Https) {
            continue;
        }
        let speaks_uwsgi = t
            .endpoints
            .iter()
            .any(|ep| model.backend_speaking(ep).is_some_and(|b| b.speaks == Speaks::Uwsgi));
        let only_target = model.targets().len() == 1 && uwsgi_sockets.is_empty();
        if speaks_uwsgi || only_target {
            if let Some((before, after)) = repass(t.at.value, Speaks::Uwsgi) {
                d.edit(t.at.artifact, t.at.span, before, after);
            }
            d.support(
                t.at.artifact,
                t.at.span,
                format!("{} {} speaks HTTP", t.at.directive, t.at.raw),
            );
            if speaks_uwsgi {
                confidence += 0.06;
            }
        }
    }
    // nginx already speaks uwsgi: the HTTP comes from another client (a health check, a scanner
    // on an exposed port).
    let proxied = d.edits.len();
    if proxied == 0
        && let Some(t) = model.targets().into_iter().find(|t| t.at.protocol == Protocol::Uwsgi)
    {
        d.against(
            t.at.artifact,
            t.at.span,
            "nginx already uses uwsgi_pass: the HTTP may come from another client (health check, scanner)",
        );
        confidence -= 0.3;
    }
    for s in uwsgi_sockets.iter().take(1) {
        d.support(
            s.artifact,
            s.span,
            "uWSGI binds this socket with the uwsgi protocol (--socket)",
        );
    }
    d.confidence = confidence.min(0.95);
    out.push(d);
}

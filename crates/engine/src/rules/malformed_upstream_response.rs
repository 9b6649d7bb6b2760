//! `malformed-upstream-response`: the backend answers, but with a response nginx refuses.
//!
//! ## What it looks for
//! `upstream sent invalid header: "..\x09..."`, `invalid status`, `duplicate header line`,
//! `"Content-Length" and "Transfer-Encoding" headers at the same time`, `invalid
//! "Content-Length"`, `unknown "Transfer-Encoding"`, `unexpected FastCGI record`, `invalid
//! chunked response` and the HTTP/2 framing errors of `grpc_pass`. The bytes nginx quotes say
//! what the backend sent (`\x20` a space in a header name, `\x09` a tab, `HTTP ` a status line
//! sent as a header by a CGI script).
//!
//! ## Why it matters
//! nginx 1.21.1+ and 1.23.0+ are strict about header syntax and framing (a request-smuggling
//! guard): a backend that "worked before the upgrade" now gets 502. The fix is in the backend's
//! output, or the old behaviour of the app.
//!
//! ## Weakened by
//! A body-phase line (`while reading upstream`): the status was already sent, the client sees
//! a truncated response, not a 502; warnings (`more data than specified`) that change nothing.

use crate::cause::Cause;
use crate::facts::*;
use crate::model::Model;
use crate::model::events::header_phase;
use crate::rules::{Draft, Rule};

/// The rule.
pub const RULE: Rule = Rule {
    id: "malformed-upstream-response",
    cause: Cause::UpstreamInvalidResponse,
    doc: "upstream sent invalid header / duplicate header line / Content-Length and Transfer-Encoding / invalid chunked response: the backend's response is malformed",
    check,
};

/// What the quoted bytes of `upstream sent invalid header: "..."` show.
fn decode(message: &str) -> Option<String> {
    let quoted = message.split_once(": \"")?.1.trim_end_matches('"');
    let shown = quoted.trim_end_matches("...");
    let (before, after) = shown.split_once("\\x")?;
    let code = after.get(..2)?;
    let byte = u8::from_str_radix(code, 16).ok()?;
    let what = match byte {
        0x20 => "a space".to_string(),
        0x09 => "a tab".to_string(),
        0x0d => "a bare carriage return".to_string(),
        0x00 => "a NUL byte".to_string(),
        b if b >= 0x80 => format!("a non-ASCII byte 0x{b:02x}"),
        b => format!("the control byte 0x{b:02x}"),
    };
    Some(if before.starts_with("HTTP") {
        "the backend sent an HTTP status line among its headers (a CGI/FastCGI script printing \"HTTP/1.x ...\" instead of a \"Status:\" header)".to_string()
    } else if before.is_empty() {
        format!("a header line starts with {what}")
    } else {
        format!("the header \"{before}\" contains {what}")
    })
}

fn check(model: &Model<'_>, out: &mut Vec<Draft>) {
    let events: Vec<_> = model
        .all::<ErrorEvent>()
        .filter(|e| {
            matches!(e.class, MessageClass::InvalidHeader | MessageClass::InvalidResponse)
                || (e.class == MessageClass::Http2Protocol
                    && !e.message.starts_with("upstream sent too large http2 frame")
                    && !e.message.starts_with("upstream rejected request with error 13"))
        })
        .collect();
    let Some(e) = events
        .iter()
        .find(|e| e.level.is_none_or(|l| l <= Level::Error) && header_phase(e.action.as_deref()))
        .or_else(|| events.first())
    else {
        return;
    };
    let header = header_phase(e.action.as_deref());
    let warning = e.level.is_some_and(|l| l >= Level::Warn);
    if warning {
        return; // `more data than specified`, `data after final chunk`: discarded, no status.
    }
    let peer = Model::event_endpoint(e);
    let at = peer.as_ref().map(|p| format!(" {p}")).unwrap_or_default();
    let mut confidence: f32 = if warning {
        0.3
    } else if !header {
        0.5
    } else if e.class == MessageClass::Http2Protocol {
        0.6
    } else {
        0.82
    };
    let detail = decode(&e.message);
    let title = match &detail {
        Some(_) => format!("the backend{at} sends an invalid response header"),
        None => format!("the backend{at} sends a malformed response: {}", e.message),
    };
    let mut d = Draft::new(Cause::UpstreamInvalidResponse, confidence, title);
    let note = match (&detail, header, warning) {
        (_, _, true) => "a warning: nginx discards the extra data, the status is unchanged".to_string(),
        (_, false, _) => "after the header was sent: the client gets a truncated response, not a 502".to_string(),
        (Some(what), true, _) => format!("nginx refuses the response: {what}"),
        (None, true, _) => "nginx refuses the response before sending anything: 502".to_string(),
    };
    d.support(e.artifact, e.span, note);
    if let Some(p) = &peer {
        d.value("upstream", p.to_string());
    }
    if header && !warning {
        let same = events.iter().filter(|x| x.class == e.class && x.span != e.span).take(2);
        for x in same {
            d.support(x.artifact, x.span, "the same malformed response again");
        }
        // A version line: nginx 1.21.1 / 1.23.0 made these checks strict.
        if let Some(b) = model.all::<NginxBuild>().next() {
            d.support(
                b.artifact,
                b.span,
                format!("nginx {} checks header syntax strictly", b.version),
            );
            confidence += 0.05;
        }
    }
    d.confidence = confidence;
    out.push(d);
}

//! Shared machinery of the application-server log parsers (gunicorn, uWSGI, Node): a line loop
//! that folds multi-line entries (Python tracebacks, JavaScript stacks, a Node crash's source
//! excerpt before its error line) into one [`AppEvent`], and helpers to read endpoints.
//!
//! Each parser supplies a reader that says what one line is ([`Read`]); the loop keeps the
//! spans, the open event and the lines that wait for the event they lead into.

use crate::facts::{AppEvent, Endpoint, Fact, FactAt};
use crate::parse::wrapped::{self, Unwrapped};
use crate::parse::{ParseContext, Parsed};
use crate::span::{Span, lines};

/// What a reader makes of one line.
#[derive(Debug, PartialEq)]
pub(crate) enum Read {
    /// A new event. `trace`: lines that continue it (a traceback, a stack) may follow.
    Event { event: AppEvent, trace: bool },
    /// A line of the open event (a frame): kept in `detail`; `message` / `class` replace the
    /// event's when given (the final line of a Python traceback names the exception).
    Fold {
        message: Option<String>,
        class: Option<&'static str>,
    },
    /// A line that belongs to the next event (a Node crash prints the source line before the
    /// error); unread if no event follows.
    Lead,
    /// Known framing (headers of `pm2 logs`, banners): nothing to say.
    Framing,
    /// Not a line of this kind.
    Unknown,
}

/// What the loop tells the reader about the lines before.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct State {
    /// An event is open (lines may fold into it).
    pub open: bool,
    /// The open event accepts continuation lines.
    pub in_trace: bool,
    /// Lines are waiting for the event they lead into.
    pub leading: bool,
}

/// Runs `read` over every line of the piece.
pub(crate) fn run(cx: &ParseContext<'_>, read: impl Fn(&str, &Unwrapped<'_>, &State) -> Read) -> Parsed {
    let mut out = Parsed::default();
    let mut state = State::default();
    let mut pending: Vec<(Span, String)> = Vec::new();
    for line in lines(cx.text, cx.base) {
        let u = wrapped::unwrap(line.text);
        if u.inner.trim().is_empty() {
            continue;
        }
        if let Some(container) = wrapped::compose_exit(line.text) {
            out.facts.push(FactAt {
                span: line.span,
                fact: Fact::Container(Box::new(container)),
            });
            state = State::default();
            continue;
        }
        match read(line.text, &u, &state) {
            Read::Event { mut event, trace } => {
                let mut span = line.span;
                for (lead_span, text) in pending.drain(..) {
                    span = span.join(lead_span);
                    event.detail.push(text);
                }
                out.facts.push(FactAt {
                    span,
                    fact: Fact::AppEvent(Box::new(event)),
                });
                state = State {
                    open: true,
                    in_trace: trace,
                    leading: false,
                };
            }
            Read::Fold { message, class } => match out.facts.last_mut() {
                Some(FactAt {
                    span,
                    fact: Fact::AppEvent(event),
                }) if state.open => {
                    *span = span.join(line.span);
                    event.detail.push(u.inner.trim_end().to_string());
                    if let Some(message) = message {
                        event.message = message;
                    }
                    if let Some(class) = class {
                        event.class = class.to_string();
                    }
                }
                _ => out.unread.push(line.span),
            },
            Read::Lead => {
                pending.push((line.span, u.inner.trim_end().to_string()));
                state.leading = true;
            }
            Read::Framing => {}
            Read::Unknown => {
                out.unread.extend(pending.drain(..).map(|(s, _)| s));
                out.unread.push(line.span);
                state = State::default();
            }
        }
    }
    out.unread.extend(pending.drain(..).map(|(s, _)| s));
    crate::sort::ascending(&mut out.unread);
    out
}

/// An event of `server` with `class` and `message`.
pub(crate) fn event(server: &str, class: &str, message: &str) -> AppEvent {
    AppEvent {
        server: server.to_string(),
        class: class.to_string(),
        message: message.trim().to_string(),
        ..Default::default()
    }
}

/// The endpoint of a URL or address: `http://127.0.0.1:8000/x`, `unix:/run/app.sock`,
/// `localhost:3000`, `:::3000`, `[::]:8080`, `:3031`, `0.0.0.0:8000`.
pub(crate) fn endpoint_of(text: &str) -> Option<Endpoint> {
    let t = text
        .trim()
        .trim_end_matches(['.', ',', '!', ';', ')', '('])
        .trim_matches(['"', '\'']);
    if let Some(path) = t.strip_prefix("unix:") {
        return Endpoint::parse(&format!("unix:{}", path.trim_start_matches("//")));
    }
    if t.starts_with('/') || t.starts_with('@') {
        return Endpoint::parse(t);
    }
    let rest = t.split_once("://").map_or(t, |(_, r)| r);
    let authority = rest.split('/').next().unwrap_or(rest);
    if let Some(port) = authority.strip_prefix(":::") {
        return Some(Endpoint::Tcp {
            host: "::".into(),
            port: Some(port.parse().ok()?),
        });
    }
    if let Some(port) = authority.strip_prefix(':') {
        return Some(Endpoint::Tcp {
            host: String::new(),
            port: Some(port.parse().ok()?),
        });
    }
    Endpoint::parse(authority)
}

/// `('0.0.0.0', 8000)` (Python's address tuple) → endpoint.
pub(crate) fn endpoint_of_tuple(text: &str) -> Option<Endpoint> {
    let inner = text.trim().strip_prefix('(')?;
    let inner = inner.split_once(')').map_or(inner, |(a, _)| a);
    let (host, port) = inner.split_once(',')?;
    let host = host.trim().trim_matches(['\'', '"']);
    let port = port.trim().parse().ok()?;
    Some(Endpoint::Tcp {
        host: host.to_string(),
        port: Some(port),
    })
}

/// The digits right after `marker`.
pub(crate) fn number_after(text: &str, marker: &str) -> Option<u64> {
    let (_, rest) = text.split_once(marker)?;
    let rest = rest.trim_start();
    let len = rest.bytes().take_while(u8::is_ascii_digit).count();
    (len > 0 && len <= 19).then(|| rest[..len].parse().ok()).flatten()
}

/// The exception line of a Python traceback: `ValueError: x`, `KeyboardInterrupt`,
/// `django.core.exceptions.ImproperlyConfigured: ...`.
pub(crate) fn is_python_exception_line(text: &str) -> bool {
    if text.starts_with([' ', '\t']) {
        return false;
    }
    let name = text.split_once(':').map_or(text, |(n, _)| n).trim_end();
    !name.is_empty()
        && name.len() <= 120
        && name
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.')
        && (name.contains('.')
            || name.ends_with("Error")
            || name.ends_with("Exception")
            || name.ends_with("Exit")
            || name.ends_with("Interrupt")
            || name.ends_with("Warning")
            || name.ends_with("Failure")
            || text.contains(": "))
}

/// The class of a Python exception line: `boot-failed` for the errors that stop an app while
/// it imports and configures itself (a missing module, a syntax error, Django's
/// `ImproperlyConfigured`), `exception` for the rest.
pub(crate) fn python_exception_class(text: &str) -> &'static str {
    let name = text.split_once(':').map_or(text, |(n, _)| n).trim();
    let short = name.rsplit('.').next().unwrap_or(name);
    if matches!(
        short,
        "ModuleNotFoundError" | "ImportError" | "SyntaxError" | "IndentationError" | "ImproperlyConfigured"
    ) {
        "boot-failed"
    } else {
        "exception"
    }
}

/// Python traceback lines, shared by gunicorn and uWSGI: folds them into the open event or
/// opens an `exception` event. `None` when the line is no part of a traceback.
pub(crate) fn python_traceback(server: &str, text: &str, state: &State) -> Option<Read> {
    let t = text.trim_end();
    if t.trim_start().starts_with("Traceback (most recent call last)") {
        if state.open && state.in_trace {
            return Some(Read::Fold {
                message: None,
                class: None,
            });
        }
        return Some(Read::Event {
            event: event(server, "exception", t.trim_start()),
            trace: true,
        });
    }
    if !(state.open && state.in_trace) {
        return None;
    }
    if t.starts_with([' ', '\t'])
        || t.starts_with("During handling of the above exception")
        || t.starts_with("The above exception was the direct cause")
    {
        return Some(Read::Fold {
            message: None,
            class: None,
        });
    }
    is_python_exception_line(t).then(|| Read::Fold {
        message: Some(t.to_string()),
        class: Some(python_exception_class(t)),
    })
}

/// True for a line that any Python traceback has (used by block scores).
pub(crate) fn looks_like_traceback_line(text: &str) -> bool {
    let t = text.trim_start();
    t.starts_with("Traceback (most recent call last)")
        || t.starts_with("File \"") && t.contains("\", line ")
        || t.starts_with("During handling of the above exception")
}

/// `u.inner` of a line, for block scores.
pub(crate) fn inner(text: &str) -> &str {
    wrapped::unwrap(text).inner
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_endpoints() {
        let tcp = |h: &str, p: u16| {
            Some(Endpoint::Tcp {
                host: h.into(),
                port: Some(p),
            })
        };
        assert_eq!(endpoint_of("http://127.0.0.1:8000"), tcp("127.0.0.1", 8000));
        assert_eq!(endpoint_of("http://localhost:3000/"), tcp("localhost", 3000));
        assert_eq!(endpoint_of(":::3000"), tcp("::", 3000));
        assert_eq!(endpoint_of("[::]:8080"), tcp("::", 8080));
        assert_eq!(endpoint_of(":3031"), tcp("", 3031));
        assert_eq!(
            endpoint_of("unix:/run/gunicorn.sock"),
            Some(Endpoint::Unix {
                path: "/run/gunicorn.sock".into()
            })
        );
        assert_eq!(endpoint_of_tuple("('0.0.0.0', 8000)"), tcp("0.0.0.0", 8000));
        assert_eq!(endpoint_of(":::x"), None);
        assert_eq!(endpoint_of(""), None);
    }

    #[test]
    fn recognises_exception_lines() {
        assert!(is_python_exception_line(
            "ModuleNotFoundError: No module named 'environ'"
        ));
        assert!(is_python_exception_line("KeyboardInterrupt"));
        assert!(is_python_exception_line(
            "django.core.exceptions.ImproperlyConfigured: x"
        ));
        assert!(!is_python_exception_line("    import environ"));
        assert!(!is_python_exception_line("some prose here"));
    }
}

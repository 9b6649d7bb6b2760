//! gunicorn error log: `[2026-11-21 10:00:00 +0000] [1] [INFO] message` lines (plain, journald-
//! or compose-wrapped), with Python tracebacks folded into the event they follow (`Exception in
//! worker process`) or into one `exception` event of their own. Classes are those documented on
//! [`AppEvent`](crate::facts::AppEvent).

use crate::facts::AppEvent;
use crate::kind::Kind;
use crate::parse::app_log::{self, Read, State, endpoint_of, endpoint_of_tuple, event, number_after};
use crate::parse::registry::{KindSpec, share_of_lines};
use crate::parse::wrapped::{self, Unwrapped};
use crate::parse::{ParseContext, Parsed};

/// How gunicorn logs are recognised and parsed.
pub const SPEC: KindSpec = KindSpec {
    kind: Kind::GunicornLog,
    embeds: &[],
    command: |program, args| {
        program == "gunicorn"
            || program == "journalctl" && args.iter().any(|a| a.contains("gunicorn"))
            || matches!(program, "docker" | "podman")
                && args.first() == Some(&"logs")
                && args.iter().any(|a| a.contains("gunicorn"))
    },
    file: |path| {
        let name = path.rsplit('/').next().unwrap_or(path);
        name.contains("gunicorn") && (name.ends_with(".log") || name.contains(".log."))
    },
    line: Some(|l| header(app_log::inner(l)).is_some()),
    block: |lines| {
        share_of_lines(lines, |l| {
            let u = wrapped::unwrap(l);
            header(u.inner).is_some()
                || app_log::looks_like_traceback_line(u.inner)
                || wrapped::ident_starts_with(&u, &["gunicorn"])
        })
    },
    parse,
};

/// The gunicorn line head: time, pid, level, message.
#[derive(Debug, PartialEq)]
struct Header<'a> {
    time: &'a str,
    level: &'a str,
    message: &'a str,
}

/// `[2026-11-21 10:00:00 +0000] [1] [INFO] message`.
fn header(text: &str) -> Option<Header<'_>> {
    let rest = text.trim_start().strip_prefix('[')?;
    let (time, rest) = rest.split_once("] [")?;
    let b = time.as_bytes();
    let time_ok =
        b.len() >= 19 && b[4] == b'-' && b[7] == b'-' && b[13] == b':' && b[..4].iter().all(u8::is_ascii_digit);
    let (pid, rest) = rest.split_once("] [")?;
    let (level, message) = rest
        .split_once("] ")
        .or_else(|| rest.strip_suffix(']').map(|l| (l, "")))?;
    let level_ok = matches!(level, "DEBUG" | "INFO" | "WARNING" | "ERROR" | "CRITICAL");
    (time_ok && !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()) && level_ok).then_some(Header {
        time,
        level,
        message,
    })
}

/// Parses a gunicorn log piece.
pub fn parse(cx: &ParseContext<'_>) -> Parsed {
    app_log::run(cx, read)
}

fn read(_raw: &str, u: &Unwrapped<'_>, state: &State) -> Read {
    if let Some(h) = header(u.inner) {
        let mut e = classify(h.message);
        e.time = Some(h.time.to_string());
        // An error line is often followed by its traceback.
        let trace = matches!(h.level, "ERROR" | "CRITICAL") || e.class == "exception";
        return Read::Event { event: e, trace };
    }
    if let Some(r) = app_log::python_traceback("gunicorn", u.inner, state) {
        return r;
    }
    if wrapped::ident_starts_with(u, &["gunicorn"]) {
        // Journald lines of the process without gunicorn's own header: the application's
        // output, usually a traceback whose head the pager cut.
        let t = u.inner.trim_end();
        if t.starts_with([' ', '\t']) || app_log::is_python_exception_line(t) {
            let class = if app_log::is_python_exception_line(t) {
                app_log::python_exception_class(t)
            } else {
                "info"
            };
            return Read::Event {
                event: event("gunicorn", class, t),
                trace: true,
            };
        }
        return Read::Event {
            event: event("gunicorn", "info", t),
            trace: false,
        };
    }
    Read::Unknown
}

/// The event of a gunicorn message.
fn classify(message: &str) -> AppEvent {
    let m = message;
    let ev = |class: &str| event("gunicorn", class, m);
    if m.starts_with("Starting gunicorn") {
        return ev("starting");
    }
    if let Some(rest) = m.strip_prefix("Listening at: ") {
        let (url, pid) = rest.rsplit_once(" (").unwrap_or((rest, ""));
        let mut e = ev("listening");
        e.endpoint = endpoint_of(url);
        e.number = pid.trim_end_matches(')').parse().ok();
        return e;
    }
    if m.starts_with("Booting worker with pid") {
        let mut e = ev("worker-started");
        e.number = number_after(m, "pid:");
        return e;
    }
    if m.contains("WORKER TIMEOUT") {
        let mut e = ev("worker-timeout");
        e.number = number_after(m, "pid:");
        return e;
    }
    if m.contains(" was sent SIG") || m.contains("was sent code") {
        let mut e = ev("worker-killed");
        e.number = number_after(m, "pid:");
        return e;
    }
    if m.starts_with("Worker exiting") || m.contains(") exited with code") {
        let mut e = ev("worker-exited");
        e.number = number_after(m, "pid:");
        return e;
    }
    if let Some(rest) = m
        .strip_prefix("Connection in use: ")
        .or_else(|| m.strip_prefix("Can't connect to "))
    {
        let mut e = ev("address-in-use");
        e.endpoint = endpoint_of_tuple(rest).or_else(|| endpoint_of(rest));
        return e;
    }
    if m.starts_with("Retrying in ") {
        return ev("address-in-use");
    }
    if m.contains("Worker failed to boot") || m.contains("App failed to load") {
        return ev("boot-failed");
    }
    if m.starts_with("Shutting down")
        || m == "Handling signal: term"
        || m == "Handling signal: int"
        || m == "Handling signal: quit"
    {
        return ev("shutting-down");
    }
    if m.starts_with("Exception in worker process")
        || m.starts_with("Error handling request")
        || m.starts_with("Socket error processing request")
    {
        return ev("exception");
    }
    if m.contains("Ignoring EPIPE") || m.contains("Ignoring connection reset") || m.contains("Connection reset by peer")
    {
        return ev("connection-reset");
    }
    if m.contains("out of memory") || m.contains("MemoryError") {
        return ev("out-of-memory");
    }
    ev("info")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::Endpoint;
    use crate::parse::test_support::facts_and_unread_count;

    fn events(text: &str) -> (Vec<AppEvent>, usize) {
        facts_and_unread_count(parse, text)
    }

    #[test]
    fn reads_lifecycle_lines() {
        let (e, unread) = events(
            "[2026-11-21 10:00:00 +0000] [1] [INFO] Starting gunicorn 23.0.0\n[2026-11-21 10:00:00 +0000] [1] [INFO] Listening at: unix:/run/gunicorn.sock (1)\n[2026-11-21 10:00:00 +0000] [1] [INFO] Using worker: sync\n[2026-11-21 10:00:00 +0000] [7] [INFO] Booting worker with pid: 7\n[2026-11-21 10:01:00 +0000] [1] [CRITICAL] WORKER TIMEOUT (pid:7)\n[2026-11-21 10:01:01 +0000] [1] [ERROR] Worker (pid:7) was sent SIGKILL! Perhaps out of memory?\n[2026-11-21 10:02:00 +0000] [9] [ERROR] Connection in use: ('0.0.0.0', 8000)\n[2026-11-21 10:02:00 +0000] [9] [ERROR] Retrying in 1 second.\n",
        );
        assert_eq!(unread, 0);
        let classes: Vec<&str> = e.iter().map(|e| e.class.as_str()).collect();
        assert_eq!(
            classes,
            [
                "starting",
                "listening",
                "info",
                "worker-started",
                "worker-timeout",
                "worker-killed",
                "address-in-use",
                "address-in-use"
            ]
        );
        assert_eq!(
            e[1].endpoint,
            Some(Endpoint::Unix {
                path: "/run/gunicorn.sock".into()
            })
        );
        assert_eq!(e[1].number, Some(1));
        assert_eq!(e[3].number, Some(7));
        assert_eq!(e[4].number, Some(7));
        assert_eq!(
            e[6].endpoint,
            Some(Endpoint::Tcp {
                host: "0.0.0.0".into(),
                port: Some(8000)
            })
        );
        assert_eq!(e[0].time.as_deref(), Some("2026-11-21 10:00:00 +0000"));
    }

    #[test]
    fn folds_tracebacks() {
        let text = "[2026-11-21 10:00:00 +0000] [7] [ERROR] Exception in worker process\nTraceback (most recent call last):\n  File \"/venv/lib/python3.12/site-packages/gunicorn/arbiter.py\", line 608, in spawn_worker\n    worker.init_process()\nModuleNotFoundError: No module named 'environ'\n[2026-11-21 10:00:00 +0000] [7] [INFO] Worker exiting (pid: 7)\nJan 10 07:55:19 web1 gunicorn[2874]:     import environ\nJan 10 07:55:19 web1 gunicorn[2874]: ModuleNotFoundError: No module named 'environ'\nrandom words\n";
        let (e, unread) = events(text);
        assert_eq!(unread, 1);
        assert_eq!(e.len(), 3);
        // A worker that cannot import its app never booted.
        assert_eq!(e[0].class, "boot-failed");
        assert_eq!(e[0].message, "ModuleNotFoundError: No module named 'environ'");
        assert_eq!(e[0].detail.len(), 4);
        assert_eq!(e[1].class, "worker-exited");
        assert_eq!(e[2].message, "ModuleNotFoundError: No module named 'environ'");
    }
}

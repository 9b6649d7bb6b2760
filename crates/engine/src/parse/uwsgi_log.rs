//! uWSGI log: start-up banner and settings, socket binding, worker life cycle (`spawned`,
//! `DAMN ! worker ... died`, `HARAKIRI`), `invalid request block size: N (max M)...skip`, listen
//! queue overflows, `bind(): Address already in use`, request log lines (`[pid: N|app: N|req:
//! N/N] ...`), `--log-date` prefixes, and Python tracebacks folded into one event.

use crate::facts::AppEvent;
use crate::kind::Kind;
use crate::parse::app_log::{self, Read, State, endpoint_of, event, number_after};
use crate::parse::registry::{KindSpec, share_of_lines};
use crate::parse::wrapped::{self, Unwrapped};
use crate::parse::{ParseContext, Parsed};

/// How uWSGI logs are recognised and parsed.
pub const SPEC: KindSpec = KindSpec {
    kind: Kind::UwsgiLog,
    embeds: &[],
    command: |program, args| {
        program == "uwsgi"
            || program == "journalctl" && args.iter().any(|a| a.contains("uwsgi"))
            || matches!(program, "docker" | "podman")
                && args.first() == Some(&"logs")
                && args.iter().any(|a| a.contains("uwsgi"))
    },
    file: |path| {
        let name = path.rsplit('/').next().unwrap_or(path);
        name.contains("uwsgi") && (name.ends_with(".log") || name.contains(".log."))
    },
    line: Some(|l| is_strong(strip_log_date(app_log::inner(l)))),
    block: |lines| {
        share_of_lines(lines, |l| {
            let inner = strip_log_date(app_log::inner(l));
            classify(inner).is_some() || app_log::looks_like_traceback_line(inner)
        })
    },
    parse,
};

/// Lines that can only come from uWSGI.
fn is_strong(t: &str) -> bool {
    let t = t.trim();
    t.starts_with("invalid request block size:")
        || t.starts_with("*** Starting uWSGI")
        || t.starts_with("uwsgi socket ") && t.contains(" bound to ")
        || t.starts_with("spawned uWSGI ")
        || t.starts_with("DAMN ! worker ")
        || t.contains("HARAKIRI")
        || t.starts_with("[pid: ") && t.contains("|app: ")
        || t.contains("uWSGI listen queue of socket")
        || t.contains("another instance of uWSGI is running")
        || t.starts_with("[uWSGI] getting ")
        || t.contains("goodbye to uWSGI")
}

/// `Tue Nov 21 10:00:00 2026 - message` (`--log-date`) → `message`.
fn strip_log_date(text: &str) -> &str {
    let b = text.as_bytes();
    if b.len() > 27 && b[3] == b' ' && b[7] == b' ' && b[13] == b':' && b[16] == b':' && b[24..27] == *b" - " {
        return &text[27..];
    }
    text
}

/// Parses a uWSGI log piece.
pub fn parse(cx: &ParseContext<'_>) -> Parsed {
    app_log::run(cx, read)
}

fn read(_raw: &str, u: &Unwrapped<'_>, state: &State) -> Read {
    let inner = strip_log_date(u.inner);
    if let Some(r) = app_log::python_traceback("uwsgi", inner, state) {
        return r;
    }
    if let Some(e) = classify(inner) {
        let trace = e.class == "boot-failed" || e.class == "exception";
        return Read::Event { event: e, trace };
    }
    if wrapped::ident_starts_with(u, &["uwsgi"]) {
        return Read::Event {
            event: event("uwsgi", "info", inner),
            trace: false,
        };
    }
    Read::Unknown
}

/// Start-up lines that state facts of the build or the host: `info`.
const INFO_PREFIXES: &[&str] = &[
    "compiled with version:",
    "os: ",
    "nodename:",
    "machine:",
    "clock source:",
    "pcre jit",
    "detected number of CPU cores:",
    "current working directory:",
    "detected binary path:",
    "writing pidfile to",
    "your processes number limit is",
    "your memory page size is",
    "detected max file descriptor number:",
    "lock engine:",
    "thunder lock:",
    "uwsgi socket ",
    "Python version:",
    "Python main interpreter initialized",
    "python threads support enabled",
    "mapped ",
    "*** Operational MODE:",
    "WSGI app ",
    "*** uWSGI is running in multiple interpreter mode ***",
    "spawned uWSGI master process",
    "setgid() to",
    "setuid() to",
    "chdir() to",
    "[uWSGI] getting ",
    "*** Python threads support is disabled",
    "*** WARNING:",
    "*** WARNING: you are running uWSGI",
    "Set PythonHome to",
    "uWSGI running as root",
    "unlink()",
    "binary reloading uWSGI",
    "announcing my loyalty",
    "spooler ",
    "*** has_emperor mode detected",
    "emperor ",
    "*** starting uWSGI Emperor ***",
    "*** Stats server enabled on",
    "stats server enabled on",
    "cheaper mode",
    "Gracefully killing worker",
    "Respawned uWSGI worker",
    "!!! no internal routing support",
];

/// The event of one uWSGI line, or `None` when the line is not uWSGI's.
fn classify(text: &str) -> Option<AppEvent> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    let ev = |class: &str| event("uwsgi", class, t);
    if let Some(rest) = t.strip_prefix("invalid request block size: ") {
        let mut e = ev("invalid-request-block-size");
        e.number = rest
            .split(|c: char| !c.is_ascii_digit())
            .next()
            .and_then(|n| n.parse().ok());
        e.limit = number_after(rest, "(max ");
        return Some(e);
    }
    if t.starts_with("*** Starting uWSGI") {
        return Some(ev("starting"));
    }
    if t.starts_with("uwsgi socket ")
        || t.starts_with("uWSGI http bound on ")
        || t.contains("bound on ") && t.starts_with("uWSGI")
    {
        let mut e = ev("listening");
        let address = t
            .split_once(" address ")
            .or_else(|| t.split_once(" bound on "))
            .map(|(_, a)| a.split(" fd ").next().unwrap_or(a));
        e.endpoint = address.and_then(endpoint_of);
        return Some(e);
    }
    if t.contains("probably another instance of uWSGI is running on the same address") {
        let mut e = ev("address-in-use");
        e.endpoint = t
            .split_once("same address (")
            .and_then(|(_, a)| endpoint_of(a.split(')').next().unwrap_or(a)));
        return Some(e);
    }
    // Generic errno texts count only with uWSGI's `[core/socket.c line 769]` source marks.
    let uwsgi_context =
        t.contains(" [core/") || t.contains(" [plugins/") || t.contains("uWSGI") || t.starts_with("uwsgi");
    if t.starts_with("bind(): Address already in use") || uwsgi_context && t.contains("Address already in use") {
        return Some(ev("address-in-use"));
    }
    if t.contains("HARAKIRI") {
        let mut e = ev("worker-timeout");
        e.number = number_after(t, "(pid: ").or_else(|| number_after(t, "pid: "));
        return Some(e);
    }
    if t.starts_with("DAMN ! worker ") {
        let mut e = ev(if t.contains("killed by signal") {
            "worker-killed"
        } else {
            "worker-exited"
        });
        e.number = number_after(t, "(pid: ");
        return Some(e);
    }
    if t.starts_with("spawned uWSGI worker ") || t.starts_with("Respawned uWSGI worker ") {
        let mut e = ev("worker-started");
        e.number = number_after(t, "(pid: ").or_else(|| number_after(t, "(new pid: "));
        return Some(e);
    }
    if t.contains("uWSGI listen queue of socket") {
        let mut e = ev("listen-queue-full");
        e.endpoint = t
            .split_once("socket \"")
            .and_then(|(_, a)| endpoint_of(a.split('"').next().unwrap_or(a)));
        if let Some((_, counts)) = t.rsplit_once("!!! (")
            && let Some((queued, backlog)) = counts.split_once('/')
        {
            e.number = queued.trim().parse().ok();
            e.limit = backlog.split(')').next().and_then(|b| b.trim().parse().ok());
        }
        return Some(e);
    }
    if t.contains("got Segmentation Fault") || uwsgi_context && t.contains("Segmentation fault") {
        let mut e = ev("crash");
        e.number = number_after(t, "process ");
        return Some(e);
    }
    if uwsgi_context && (t.contains("MemoryError") || t.contains("OOM") || t.contains("out of memory")) {
        return Some(ev("out-of-memory"));
    }
    if t.contains("no app loaded") || t.contains("no python application found") || t.starts_with("unable to load app") {
        return Some(ev("boot-failed"));
    }
    if t.starts_with("SIGINT/SIGQUIT received")
        || t.starts_with("SIGTERM received")
        || t.contains("goodbye to uWSGI")
        || t.starts_with("...gracefully killing workers")
        || t.starts_with("gracefully (RE)spawned uWSGI master process")
    {
        return Some(ev("shutting-down"));
    }
    if t.starts_with("your mercy for graceful operations on workers is") {
        let mut e = ev("setting");
        e.limit = number_after(t, " is ");
        return Some(e);
    }
    if t.starts_with("your server socket listen backlog is limited to") {
        let mut e = ev("setting");
        e.limit = number_after(t, "limited to ");
        return Some(e);
    }
    if t.contains("buffer-size") {
        let mut e = ev("setting");
        e.limit = number_after(t, "buffer-size").or_else(|| number_after(t, "buffer-size ="));
        return Some(e);
    }
    if t.starts_with("[pid: ") && t.contains("|app: ") {
        let mut e = ev("request");
        e.time = t
            .split_once("} [")
            .and_then(|(_, r)| r.split_once(']'))
            .map(|(d, _)| d.to_string());
        e.number = t
            .split_once(" (HTTP/")
            .and_then(|(_, r)| r.split_once(' '))
            .and_then(|(_, r)| r.split(')').next())
            .and_then(|s| s.trim().parse().ok());
        return Some(e);
    }
    if uwsgi_context && (t.contains("Connection reset by peer") || t.contains("Broken pipe"))
        || t.contains("IOError: write error")
        || t.starts_with("SIGPIPE: writing to a closed pipe")
    {
        return Some(ev("connection-reset"));
    }
    if INFO_PREFIXES.iter().any(|p| t.starts_with(p)) {
        return Some(ev("info"));
    }
    None
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
    fn reads_block_size_and_sockets() {
        let (e, unread) = events(
            "invalid request block size: 21573 (max 4096)...skip\nuwsgi socket 0 bound to UNIX address /run/uwsgi/app.sock fd 3\nuwsgi socket 1 bound to TCP address 127.0.0.1:3031 fd 4\nprobably another instance of uWSGI is running on the same address (:8000).\nbind(): Address already in use [core/socket.c line 769]\nDAMN ! worker 1 (pid: 123) died, killed by signal 9 :( trying respawn ...\nRespawned uWSGI worker 1 (new pid: 130)\nyour mercy for graceful operations on workers is 60 seconds\n*** uWSGI listen queue of socket \"127.0.0.1:3031\" (fd: 3) full !!! (101/100) ***\nTue Nov 21 10:00:00 2026 - *** HARAKIRI ON WORKER 2 (pid: 124, try: 1) ***\n[pid: 124|app: 0|req: 5/9] 10.0.0.1 () {40 vars in 700 bytes} [Tue Nov 21 10:00:00 2026] GET / => generated 12 bytes in 1 msecs (HTTP/1.1 200) 2 headers in 79 bytes (1 switches on core 0)\n",
        );
        assert_eq!(unread, 0);
        assert_eq!((e[0].number, e[0].limit), (Some(21573), Some(4096)));
        assert_eq!(
            e[1].endpoint,
            Some(Endpoint::Unix {
                path: "/run/uwsgi/app.sock".into()
            })
        );
        assert_eq!(
            e[2].endpoint,
            Some(Endpoint::Tcp {
                host: "127.0.0.1".into(),
                port: Some(3031)
            })
        );
        assert_eq!(
            e[3].endpoint,
            Some(Endpoint::Tcp {
                host: String::new(),
                port: Some(8000)
            })
        );
        assert_eq!(e[4].class, "address-in-use");
        assert_eq!((e[5].class.as_str(), e[5].number), ("worker-killed", Some(123)));
        assert_eq!((e[6].class.as_str(), e[6].number), ("worker-started", Some(130)));
        assert_eq!(e[7].limit, Some(60));
        assert_eq!((e[8].number, e[8].limit), (Some(101), Some(100)));
        assert_eq!((e[9].class.as_str(), e[9].number), ("worker-timeout", Some(124)));
        assert_eq!((e[10].class.as_str(), e[10].number), ("request", Some(200)));
    }

    #[test]
    fn prose_is_not_uwsgi() {
        let (e, unread) = events("I think the uwsgi is broken\n");
        assert!(e.is_empty());
        assert_eq!(unread, 1);
    }
}

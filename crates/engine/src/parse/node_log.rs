//! Node.js output: `listen EADDRINUSE`, "listening on port N" lines, uncaught errors with their
//! stacks (`    at ...`, `Require stack:`, the `{ code: ... }` object, `Node.js v20.x`) folded
//! into one event, the crash excerpt printed before the error (`/srv/app/server.js:12`, the
//! source line, the caret), `FATAL ERROR: ... JavaScript heap out of memory` with its GC report,
//! `ECONNRESET`, pm2 (`0|app  | ` prefixes, `PM2 log: App [app:0] exited with code [1]`),
//! nodemon and npm lines, and morgan's `dev` request lines.

use crate::facts::AppEvent;
use crate::kind::Kind;
use crate::parse::app_log::{self, Read, State, endpoint_of, event, number_after};
use crate::parse::registry::{KindSpec, share_of_lines};
use crate::parse::wrapped::Unwrapped;
use crate::parse::{ParseContext, Parsed};

/// How Node.js output is recognised and parsed.
pub const SPEC: KindSpec = KindSpec {
    kind: Kind::NodeLog,
    embeds: &[],
    command: |program, args| {
        matches!(program, "node" | "nodejs" | "pm2" | "nodemon" | "npm" | "yarn" | "npx")
            && !args
                .iter()
                .any(|a| matches!(*a, "-v" | "--version" | "-e" | "-p" | "ls" | "list"))
    },
    file: |path| {
        let name = path.rsplit('/').next().unwrap_or(path);
        path.contains(".pm2/logs/") || name.contains("node") && name.ends_with(".log")
    },
    line: Some(is_strong_node_line),
    block: |lines| share_of_lines(lines, is_node_line),
    parse,
};

/// `0|app      | ` (pm2 logs).
fn has_pm2_prefix(raw: &str) -> bool {
    let Some((id, rest)) = raw.split_once('|') else {
        return false;
    };
    let Some((name, _)) = rest.split_once('|') else {
        return false;
    };
    !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()) && !name.trim().is_empty() && !name.trim().contains(' ')
}

/// A JavaScript stack frame: `    at fn (/srv/app/x.js:41:31)`, `    at node:internal/...`.
fn is_js_frame(text: &str) -> bool {
    let t = text.trim_start();
    text.starts_with([' ', '\t'])
        && t.starts_with("at ")
        && (t.contains("node:")
            || t.contains(".js:")
            || t.contains(".ts:")
            || t.contains(".mjs:")
            || t.contains(".cjs:")
            || t.contains("<anonymous>")
            || t.contains("(native)")
            || t.ends_with(')'))
}

/// A native frame of a fatal error: ` 1: 0xb09c10 node::Abort() [node]`.
fn is_native_frame(text: &str) -> bool {
    let t = text.trim_start();
    t.split_once(": 0x")
        .is_some_and(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// The GC report and stack banners printed before a heap out-of-memory error.
fn is_oom_report(text: &str) -> bool {
    let t = text.trim();
    t.starts_with("<--- Last few GCs --->")
        || t.starts_with("<--- JS stacktrace --->")
        || t.starts_with("==== JS stack trace")
        || t.starts_with("Security context:")
        || t.starts_with('[')
            && t.contains(" ms: ")
            && (t.contains("Mark-sweep") || t.contains("Scavenge") || t.contains("Mark-Compact"))
}

/// `/srv/app/server.js:12` or `node:internal/modules/cjs/loader:1080`: the head of a crash.
fn is_source_location(text: &str) -> bool {
    let t = text.trim();
    let Some((file, line)) = t.rsplit_once(':') else {
        return false;
    };
    !line.is_empty()
        && line.bytes().all(|b| b.is_ascii_digit())
        && !file.contains(' ')
        && (file.starts_with("node:") || file.starts_with('/') || file.starts_with("file://") || file.contains(":\\"))
}

/// `TypeError: x`, `Error: x`, `Error [ERR_X]: x`, `Uncaught ReferenceError: x`.
fn is_error_line(text: &str) -> bool {
    let t = text.trim_start().strip_prefix("Uncaught ").unwrap_or(text.trim_start());
    let head = t.split_once(": ").map_or(t, |(h, _)| h);
    let name = head
        .split_once(" [")
        .map_or(head, |(n, code)| if code.ends_with(']') { n } else { head });
    !name.is_empty()
        && !name.contains(' ')
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.')
        && (name.ends_with("Error") || name.ends_with("Exception"))
        && (t.len() > head.len() || t == name)
}

/// Errors that stop a Node app before it listens: a missing module or package, a syntax error,
/// an ES-module/CommonJS mix-up, a port it may not bind.
fn fails_boot(error_line: &str) -> bool {
    [
        "Cannot find module",
        "Cannot find package",
        "ERR_MODULE_NOT_FOUND",
        "ERR_REQUIRE_ESM",
        "SyntaxError:",
        "listen EACCES",
        "Cannot use import statement outside a module",
    ]
    .iter()
    .any(|m| error_line.contains(m))
}

fn is_strong_node_line(raw: &str) -> bool {
    let t = app_log::inner(raw).trim();
    has_pm2_prefix(raw)
        || t.contains("EADDRINUSE")
        || t.contains("JavaScript heap out of memory")
        || t.contains("PM2 log: ")
        || t.contains("PM2 error: ")
        || t.starts_with("[nodemon]")
        || t.starts_with("(node:") && t.contains(')')
        || t.starts_with("Node.js v")
        || is_js_frame(app_log::inner(raw)) && (t.contains("node:") || t.contains(".js:"))
        || is_oom_report(t)
        || is_source_location(t) && (t.starts_with("node:") || t.contains(".js:") || t.contains(".ts:"))
        || is_pm2_framing(t)
}

/// The headers `pm2 logs` prints: `[TAILING] Tailing last 15 lines for [app] process ...` and
/// `/home/deploy/.pm2/logs/app-error.log last 15 lines:`.
fn is_pm2_framing(t: &str) -> bool {
    t.starts_with("[TAILING]") || t.ends_with(" lines:") && t.contains(".pm2/")
}

fn is_node_line(raw: &str) -> bool {
    let inner = app_log::inner(raw);
    is_strong_node_line(raw)
        || is_js_frame(inner)
        || is_native_frame(inner)
        || is_oom_report(inner)
        || classify(raw, inner.trim()).is_some()
}

/// Parses Node.js output.
pub fn parse(cx: &ParseContext<'_>) -> Parsed {
    app_log::run(cx, read)
}

fn read(raw: &str, u: &Unwrapped<'_>, state: &State) -> Read {
    let t = u.inner.trim_end();
    let ts = t.trim_start();
    if is_pm2_framing(ts) {
        return Read::Framing;
    }
    let fold = |class: Option<&'static str>| Read::Fold { message: None, class };
    if state.open && state.in_trace {
        if is_js_frame(t)
            || is_native_frame(t)
            || ts.starts_with("Require stack:")
            || ts.starts_with("- ") && ts.contains('/')
            || ts == "{"
            || ts == "}"
            || ts == "]"
            || ts == "},"
            || t.starts_with([' ', '\t']) && ts.split_once(": ").is_some_and(|(k, _)| !k.contains(' '))
            || ts.starts_with("Emitted 'error' event")
            || ts.starts_with("Node.js v")
            || ts.starts_with("(Use `node --trace-")
        {
            return fold(None);
        }
        if ts.starts_with("npm ERR!") {
            let exited = ts.contains("Exit status") || ts.contains("ELIFECYCLE") || ts.contains("errno");
            return fold(exited.then_some("worker-exited"));
        }
    }
    if is_oom_report(t) || is_source_location(t) && !is_error_line(t) {
        return Read::Lead;
    }
    if state.leading && (t.starts_with([' ', '\t']) || ts.chars().all(|c| c == '^')) {
        return Read::Lead;
    }
    if let Some((event, trace)) = classify(raw, ts) {
        return Read::Event { event, trace };
    }
    if is_js_frame(t) {
        // A stack whose error line was cut off.
        return Read::Event {
            event: event("node", "exception", ts),
            trace: true,
        };
    }
    Read::Unknown
}

/// The event of a line and whether a stack may follow it.
fn classify(raw: &str, t: &str) -> Option<(AppEvent, bool)> {
    if t.is_empty() {
        return None;
    }
    let ev = |class: &str| event("node", class, t);
    let raw = raw.trim();
    if let Some(i) = raw.find("PM2 log: ").or_else(|| raw.find("PM2 error: ")) {
        return pm2(raw, i);
    }
    if t.starts_with("App [") {
        return pm2(t, 0);
    }
    if t.contains("EADDRINUSE") {
        let mut e = ev("address-in-use");
        e.endpoint = t.split_whitespace().last().and_then(endpoint_of);
        return Some((e, true));
    }
    if t.contains("JavaScript heap out of memory") || t.contains("Allocation failed") {
        return Some((ev("out-of-memory"), true));
    }
    if t.starts_with("FATAL ERROR:") {
        return Some((ev("crash"), true));
    }
    if t.contains("ECONNRESET") || t.contains("socket hang up") {
        return Some((ev("connection-reset"), true));
    }
    if let Some(rest) = t.strip_prefix("(node:") {
        let warning =
            rest.contains("DeprecationWarning") || rest.contains("ExperimentalWarning") || rest.contains(") Warning:");
        return Some((ev(if warning { "info" } else { "exception" }), true));
    }
    if is_error_line(t) || t.starts_with("Unhandled rejection") || t.contains("uncaughtException") {
        return Some((ev(if fails_boot(t) { "boot-failed" } else { "exception" }), true));
    }
    if let Some(rest) = t.strip_prefix("[nodemon] ") {
        let class = if rest.starts_with("app crashed") {
            "worker-exited"
        } else if rest.starts_with("starting") {
            "starting"
        } else {
            "info"
        };
        return Some((ev(class), false));
    }
    if t.starts_with("npm ERR!") {
        let exited = t.contains("Exit status") || t.contains("ELIFECYCLE");
        return Some((ev(if exited { "worker-exited" } else { "info" }), true));
    }
    if t.starts_with("Node.js v") {
        return Some((ev("info"), false));
    }
    if let Some(e) = listening(t) {
        return Some((e, false));
    }
    if is_morgan_dev(t) {
        let mut e = ev("request");
        e.number = t.split_whitespace().nth(2).and_then(|s| s.parse().ok());
        return Some((e, false));
    }
    if t.starts_with("[Nest] ") {
        let class = if t.contains(" ERROR ") {
            "exception"
        } else if t.contains("successfully started") {
            "starting"
        } else {
            "info"
        };
        return Some((ev(class), class == "exception"));
    }
    if raw.contains('|') && has_pm2_prefix(raw) {
        // Anything the app printed under pm2.
        return Some((ev("info"), false));
    }
    None
}

/// pm2 daemon lines: `2025-03-30T22:14:07: PM2 log: App [app:0] exited with code [1] via signal [SIGINT]`.
fn pm2(t: &str, marker_at: usize) -> Option<(AppEvent, bool)> {
    let (stamp, body) = t.split_at(marker_at);
    let body = body
        .strip_prefix("PM2 log: ")
        .or_else(|| body.strip_prefix("PM2 error: "))
        .unwrap_or(body);
    if body.trim_start().starts_with("===") {
        let mut e = event("node", "info", body);
        e.time = Some(stamp.trim().trim_end_matches(':').to_string()).filter(|s| !s.is_empty());
        return Some((e, false));
    }
    let class = if body.contains("] exited with code [") || body.contains("too many unstable restarts") {
        "worker-exited"
    } else if body.contains("] starting in ") {
        "starting"
    } else if body.ends_with("] online") {
        "worker-started"
    } else if body.starts_with("Stopping app") {
        "shutting-down"
    } else {
        "info"
    };
    let mut e = event("node", class, body);
    e.time = Some(stamp.trim().trim_end_matches(':').to_string()).filter(|s| !s.is_empty());
    if class == "worker-exited" {
        e.number = number_after(body, "exited with code [");
    }
    Some((e, false))
}

/// "Server listening on port 3000", "Listening on http://localhost:3000", "app listening at
/// http://0.0.0.0:8080", "Server is running on 0.0.0.0:5000", "> Ready on http://localhost:3000".
fn listening(t: &str) -> Option<AppEvent> {
    let lower = t.to_ascii_lowercase();
    let verb = ["listening", "running", "started", "ready", "serving", "up and running"]
        .iter()
        .any(|v| lower.contains(v));
    if !verb || lower.contains("error") {
        return None;
    }
    let endpoint = t
        .split_whitespace()
        .find(|w| w.contains("://"))
        .and_then(|url| endpoint_of(url.trim_end_matches([',', '!', '.'])))
        .or_else(|| {
            let (_, after) = lower.split_once("port ")?;
            let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
            Some(crate::facts::Endpoint::Tcp {
                host: String::new(),
                port: Some(digits.parse().ok()?),
            })
        })
        .or_else(|| {
            let (_, after) = t.split_once(" on ").or_else(|| t.split_once(" at "))?;
            let word = after.split_whitespace().next()?;
            word.contains(':').then(|| endpoint_of(word)).flatten()
        })?;
    let mut e = event("node", "listening", t);
    e.endpoint = Some(endpoint);
    Some(e)
}

/// morgan `dev`: `GET /api/users 200 12.345 ms - 1234`.
fn is_morgan_dev(t: &str) -> bool {
    let words: Vec<&str> = t.split_whitespace().collect();
    words.len() >= 5
        && matches!(
            words[0],
            "GET" | "POST" | "PUT" | "DELETE" | "PATCH" | "HEAD" | "OPTIONS"
        )
        && words[2].len() == 3
        && words[2].bytes().all(|b| b.is_ascii_digit())
        && words.get(4) == Some(&"ms")
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
    fn folds_a_crash_with_its_excerpt_and_stack() {
        let text = "node:events:495\n      throw er; // Unhandled 'error' event\n      ^\n\nError: listen EADDRINUSE: address already in use :::3000\n    at Server.setupListenHandle [as _listen2] (node:net:1817:16)\n    at listenInCluster (node:net:1865:12)\nEmitted 'error' event on Server instance at:\n    at emitErrorNT (node:net:1844:8) {\n  code: 'EADDRINUSE',\n  errno: -98,\n  syscall: 'listen',\n  address: '::',\n  port: 3000\n}\n\nNode.js v20.11.1\n";
        let (e, unread) = events(text);
        assert_eq!(unread, 0, "{e:?}");
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].class, "address-in-use");
        assert_eq!(
            e[0].endpoint,
            Some(Endpoint::Tcp {
                host: "::".into(),
                port: Some(3000)
            })
        );
        assert_eq!(e[0].detail.len(), 14);
    }

    #[test]
    fn reads_pm2_and_listening_and_oom() {
        let (e, unread) = events(
            "0|app      | TypeError: Cannot read properties of undefined (reading 'mimetype')\n0|app      |     at /srv/app/dist/routes/upload.js:41:31\n2025-03-30T22:14:07: PM2 log: App [app:0] exited with code [1] via signal [SIGINT]\n2025-03-30T22:14:09: PM2 log: App [app:0] online\nServer listening on port 3000\napp listening at http://0.0.0.0:8080\n<--- Last few GCs --->\n[1:0x5d8b3c0]    56790 ms: Mark-sweep 2035.4 (2082.5) -> 2034.9 (2083.8) MB, 1702.3 / 0.0 ms  (average mu = 0.106, current mu = 0.011) allocation failure\nFATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory\n 1: 0xb09c10 node::Abort() [node]\nError: read ECONNRESET\n    at TCP.onStreamRead (node:internal/stream_base_commons:217:20)\n",
        );
        assert_eq!(unread, 0, "{e:?}");
        let classes: Vec<&str> = e.iter().map(|e| e.class.as_str()).collect();
        assert_eq!(
            classes,
            [
                "exception",
                "worker-exited",
                "worker-started",
                "listening",
                "listening",
                "out-of-memory",
                "connection-reset"
            ]
        );
        assert_eq!(e[1].number, Some(1));
        assert_eq!(e[1].time.as_deref(), Some("2025-03-30T22:14:07"));
        assert_eq!(
            e[3].endpoint,
            Some(Endpoint::Tcp {
                host: String::new(),
                port: Some(3000)
            })
        );
        assert_eq!(
            e[4].endpoint,
            Some(Endpoint::Tcp {
                host: "0.0.0.0".into(),
                port: Some(8080)
            })
        );
        assert_eq!(e[5].detail.len(), 3);
    }

    #[test]
    fn errors_that_stop_the_app_before_it_listens_are_boot_failures() {
        let (e, unread) = events(
            "0|api      | Error: Cannot find module 'express'\n0|api      | Require stack:\n0|api      | - /srv/api/server.js\n0|api      |     at Module._resolveFilename (node:internal/modules/cjs/loader:1145:15)\n0|api      |   code: 'MODULE_NOT_FOUND',\nSyntaxError: Unexpected token '}'\nTypeError: Cannot read properties of undefined (reading 'id')\n",
        );
        assert_eq!(unread, 0, "{e:?}");
        let classes: Vec<&str> = e.iter().map(|e| e.class.as_str()).collect();
        assert_eq!(classes, ["boot-failed", "boot-failed", "exception"]);
        assert!(e[0].message.contains("Cannot find module 'express'"));
    }

    #[test]
    fn prose_is_not_node() {
        let (e, unread) = events("we restarted the server yesterday\n");
        assert!(e.is_empty());
        assert_eq!(unread, 1);
        assert!(!is_node_line("the app is running fine"));
    }
}

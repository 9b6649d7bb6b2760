//! Unwrapping of log lines that reached a paste through another tool: docker compose
//! (`web-1  | `, and its own `web-1 exited with code 1` lines), pm2 (`0|app  | `), `kubectl logs --prefix` (`[pod/web-1/nginx] `),
//! `docker logs -t` timestamps, syslog and journald headers (`Nov 21 10:00:00 host ident[pid]: `).
//!
//! Shared by the log parsers of application servers, PHP-FPM and access logs, so that each of
//! them reads the same wrappers the same way as the nginx error log does.

use crate::parse::nginx_error_log::{strip_rfc3339, strip_syslog_header, unwrap_prefixes};

/// A line with its wrappers removed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Unwrapped<'a> {
    /// The line as the program wrote it.
    pub inner: &'a str,
    /// The syslog / journald identifier (`php-fpm8.3`, `gunicorn`), without the `[pid]`.
    pub ident: Option<&'a str>,
}

/// Strips every wrapper this module knows from `text`.
pub(crate) fn unwrap(text: &str) -> Unwrapped<'_> {
    let mut t = strip_kubectl_prefix(text.trim_start_matches('\u{feff}'));
    // compose / pm2 prefixes, `docker logs -t` stamps, `<PRI>`, nginx's own syslog idents.
    t = unwrap_prefixes(t).0;
    let mut ident = None;
    if let Some(rest) = strip_syslog_header(t)
        && let Some((id, after)) = rest.split_once(": ")
        && !id.is_empty()
        && !id.contains(' ')
    {
        let name = id.split('[').next().unwrap_or(id);
        if !name.is_empty() {
            ident = Some(name);
            t = after;
        }
    }
    // `docker logs -t` stamp inside a compose prefix (`web-1  | 2026-...Z message`).
    if let Some(rest) = strip_rfc3339(t) {
        t = rest;
    }
    Unwrapped { inner: t, ident }
}

/// `[pod/web-5d9c/nginx] ` (kubectl logs --prefix).
fn strip_kubectl_prefix(text: &str) -> &str {
    if let Some(rest) = text.strip_prefix("[pod/")
        && let Some((_, after)) = rest.split_once("] ")
    {
        return after;
    }
    text
}

/// docker compose's own line when a container stops, printed among the logs it shows:
/// `app-1 exited with code 1` (compose v2) or `proj_app_1 exited with code 137` (v1). The
/// container, as stopped.
pub(crate) fn compose_exit(text: &str) -> Option<crate::facts::Container> {
    let (name, code) = text.trim().split_once(" exited with code ")?;
    let code: i32 = code.trim().parse().ok()?;
    (!name.is_empty() && !name.contains(char::is_whitespace)).then(|| crate::facts::Container {
        name: name.to_string(),
        status: format!("Exited ({code})"),
        running: false,
        ..Default::default()
    })
}

/// A syslog header `Mon DD HH:MM:SS host ident[pid]: ` was present and named `ident`.
pub(crate) fn ident_starts_with(u: &Unwrapped<'_>, prefixes: &[&str]) -> bool {
    u.ident.is_some_and(|i| prefixes.iter().any(|p| i.starts_with(p)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_compose_exit_lines() {
        let c = compose_exit("app-1 exited with code 1").expect("a container");
        assert_eq!(
            (c.name.as_str(), c.status.as_str(), c.running),
            ("app-1", "Exited (1)", false)
        );
        assert_eq!(
            compose_exit("shop_web_1 exited with code 137").map(|c| c.status),
            Some("Exited (137)".into())
        );
        assert!(compose_exit("the app exited with code 1").is_none());
        assert!(compose_exit("app-1 exited with code one").is_none());
    }

    #[test]
    fn strips_each_wrapper() {
        assert_eq!(
            unwrap("php-1    | [05-Aug-2024 16:40:03] NOTICE: x").inner,
            "[05-Aug-2024 16:40:03] NOTICE: x"
        );
        assert_eq!(unwrap("0|app      | TypeError: x").inner, "TypeError: x");
        let j = unwrap("Aug 19 09:41:27 crm01 gunicorn[1182]: [2025-08-19 09:41:27 +0000] [1182] [ERROR] x");
        assert_eq!(j.ident, Some("gunicorn"));
        assert_eq!(j.inner, "[2025-08-19 09:41:27 +0000] [1182] [ERROR] x");
        assert_eq!(
            unwrap("2026-11-21T10:00:00.123456789Z [21-Nov-2026 10:00:00] NOTICE: ready").inner,
            "[21-Nov-2026 10:00:00] NOTICE: ready"
        );
        assert_eq!(unwrap("[pod/web-1/php] NOTICE: x").inner, "NOTICE: x");
        assert_eq!(unwrap("plain text | with a bar").inner, "plain text | with a bar");
        assert_eq!(unwrap("").inner, "");
    }
}

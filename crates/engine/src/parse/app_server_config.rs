//! gunicorn (`gunicorn.conf.py`, Python assignments) and uWSGI (`uwsgi.ini`, an `[uwsgi]`
//! section) configuration: every setting becomes a `Setting { source: "gunicorn" | "uwsgi" }`.
//! The ones that matter for a 502: the address it binds (`bind`, `socket`, `http`,
//! `http-socket`), `timeout`/`harakiri`, `keepalive`, `buffer-size`, the request limits.

use crate::facts::{Fact, FactAt, Setting};
use crate::kind::Kind;
use crate::parse::registry::KindSpec;
use crate::parse::{ParseContext, Parsed};
use crate::span::lines;

/// How app-server configuration is recognised and parsed.
pub const SPEC: KindSpec = KindSpec {
    kind: Kind::AppServerConfig,
    embeds: &[],
    command: |_, _| false,
    file: |path| {
        let name = path.rsplit('/').next().unwrap_or(path);
        (name.starts_with("gunicorn") && name.ends_with(".py"))
            || (name.starts_with("uwsgi") && (name.ends_with(".ini") || name.ends_with(".yml")))
    },
    line: None,
    block,
    parse,
};

/// gunicorn's setting names (the ones people set; any `name = value` in the file is read).
const GUNICORN_KEYS: &[&str] = &[
    "bind",
    "workers",
    "worker_class",
    "threads",
    "timeout",
    "graceful_timeout",
    "keepalive",
    "max_requests",
    "max_requests_jitter",
    "limit_request_line",
    "limit_request_fields",
    "limit_request_field_size",
    "backlog",
    "worker_connections",
    "preload_app",
    "accesslog",
    "errorlog",
    "loglevel",
    "proc_name",
    "umask",
    "forwarded_allow_ips",
    "proxy_protocol",
    "wsgi_app",
    "pidfile",
    "chdir",
    "daemon",
    "reload",
];

/// uWSGI option names that say what it speaks and where.
const UWSGI_KEYS: &[&str] = &[
    "socket",
    "uwsgi-socket",
    "http",
    "http-socket",
    "https",
    "buffer-size",
    "processes",
    "workers",
    "threads",
    "harakiri",
    "chmod-socket",
    "chown-socket",
    "master",
    "module",
    "wsgi-file",
    "protocol",
    "listen",
    "vacuum",
    "max-requests",
    "post-buffering",
    "limit-post",
    "socket-timeout",
    "http-timeout",
];

enum Line<'a> {
    Setting(&'static str, &'a str, &'a str),
    Known,
}

fn read<'a>(text: &'a str, in_uwsgi: bool) -> Option<Line<'a>> {
    let t = text.trim();
    if t.is_empty() || t.starts_with('#') || t.starts_with(';') {
        return Some(Line::Known);
    }
    if t.eq_ignore_ascii_case("[uwsgi]") {
        return Some(Line::Known);
    }
    if t.starts_with("import ") || t.starts_with("from ") {
        return Some(Line::Known);
    }
    let (key, value) = t.split_once('=')?;
    let key = key.trim();
    let value = value
        .split(" #")
        .next()
        .unwrap_or(value)
        .trim()
        .trim_matches(['"', '\'']);
    if in_uwsgi && !key.is_empty() && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
        return Some(Line::Setting("uwsgi", key, value));
    }
    if !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    {
        return Some(Line::Setting("gunicorn", key, value));
    }
    None
}

fn block(lines: &[&str]) -> f32 {
    let in_uwsgi = lines.iter().any(|l| l.trim().eq_ignore_ascii_case("[uwsgi]"));
    let mut total = 0;
    let mut read_lines = 0;
    let mut known_keys = 0;
    for l in lines.iter().filter(|l| !l.trim().is_empty()) {
        total += 1;
        match read(l, in_uwsgi) {
            Some(Line::Setting(source, key, _)) => {
                read_lines += 1;
                let keys = if source == "uwsgi" { UWSGI_KEYS } else { GUNICORN_KEYS };
                if keys.contains(&key) {
                    known_keys += 1;
                }
            }
            Some(Line::Known) => read_lines += 1,
            None => {}
        }
    }
    // Two known settings at least: `user = nginx` alone is anybody's ini file.
    if total == 0 || known_keys < 2 {
        0.0
    } else {
        (read_lines as f32 / total as f32) * 0.95
    }
}

/// Parses a gunicorn or uWSGI configuration file.
pub fn parse(cx: &ParseContext<'_>) -> Parsed {
    let mut out = Parsed::default();
    let in_uwsgi = cx.text.lines().any(|l| l.trim().eq_ignore_ascii_case("[uwsgi]"));
    for line in lines(cx.text, cx.base) {
        match read(line.text, in_uwsgi) {
            Some(Line::Setting(source, key, value)) => out.facts.push(FactAt {
                span: line.span,
                fact: Fact::Setting(Box::new(Setting {
                    source: source.to_string(),
                    key: key.to_string(),
                    value: value.to_string(),
                })),
            }),
            Some(Line::Known) => {}
            None => out.unread.push(line.span),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_gunicorn_and_uwsgi_files() {
        let py = "bind = \"127.0.0.1:8000\"\nworkers = 4\nworker_class = \"gthread\"\ntimeout = 120\n# keepalive not set (default 2 seconds)\n";
        assert!(block(&py.lines().collect::<Vec<_>>()) > 0.8);
        let parsed = parse(&ParseContext::new(py, 0));
        assert_eq!(parsed.facts.len(), 4);
        assert!(parsed.unread.is_empty());
        let ini = "[uwsgi]\nmodule = app.wsgi\nsocket = /run/uwsgi/app.sock\nbuffer-size = 32768\nchmod-socket = 660\n";
        let parsed = parse(&ParseContext::new(ini, 0));
        assert!(matches!(&parsed.facts[1].fact, Fact::Setting(s) if s.source == "uwsgi" && s.key == "socket"));
    }

    #[test]
    fn other_ini_files_are_not_this() {
        assert_eq!(
            block(&["[www]", "user = www-data", "listen = /run/php/php8.3-fpm.sock"]),
            0.0
        );
        assert_eq!(block(&["user nginx;", "worker_processes auto;"]), 0.0);
    }
}

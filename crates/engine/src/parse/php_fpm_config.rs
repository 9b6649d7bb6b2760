//! PHP-FPM configuration: `php-fpm.conf` (`[global]`), pool files (`[www]` in `pool.d/*.conf`,
//! `php-fpm.d/*.conf`, Docker's `zz-docker.conf`), fragments without their section, and the
//! `php-fpm -tt` dump (the whole parsed configuration printed as `NOTICE:` log lines).
//!
//! Facts: one [`FpmPool`] per pool section (span = the header through its last setting) with
//! the settings that matter typed and every setting kept in `settings`; a
//! `Setting { source: "php-fpm" }` per global setting (`error_log`, `process.max`,
//! `emergency_restart_*`, `include`...); any FPM log line among them (`test is successful`)
//! as an [`FpmEvent`](crate::facts::FpmEvent).
//!
//! Values: `;` comments (whole-line `#` too), quotes removed, `$pool` replaced by the pool name
//! when the endpoint is read (`listen = /run/php/$pool.sock`), `${VAR}` left as written (the
//! environment is unknown, so no endpoint is read from it), `undefined` of the dump is unset.
//!
//! php.ini is not PHP-FPM configuration: a block is recognised only when it holds FPM-specific
//! keys (`listen`, `pm.*`, `request_terminate_timeout`, `php_admin_value[...]`...). When php.ini
//! content is parsed here anyway (forced kind, or mixed in), sections without any pool key
//! become `Setting { source: "php.ini" }` facts instead of pools.

use crate::facts::{Endpoint, Fact, FactAt, FpmPool, Setting};
use crate::kind::Kind;
use crate::parse::php_fpm_log;
use crate::parse::registry::{KindSpec, share_of_lines};
use crate::parse::{ParseContext, Parsed};
use crate::span::{Span, lines};

/// How PHP-FPM configuration is recognised and parsed.
pub const SPEC: KindSpec = KindSpec {
    kind: Kind::PhpFpmConfig,
    embeds: &[],
    command: |program, args| program.starts_with("php-fpm") && args.contains(&"-tt"),
    file: |path| {
        let name = path.rsplit('/').next().unwrap_or(path);
        let conf = name.ends_with(".conf") || name.ends_with(".conf.default") || name.ends_with(".conf.dist");
        conf && (path.contains("fpm") || path.contains("pool.d/") || name == "www.conf" || name.contains("docker"))
            && !path.contains("nginx")
    },
    line: Some(is_strong_config_line),
    block,
    parse,
};

/// Keys only the global section has.
const GLOBAL_KEYS: &[&str] = &[
    "pid",
    "error_log",
    "syslog.facility",
    "syslog.ident",
    "log_level",
    "log_limit",
    "log_buffering",
    "emergency_restart_threshold",
    "emergency_restart_interval",
    "process_control_timeout",
    "process.max",
    "daemonize",
    "events.mechanism",
    "systemd_interval",
];

/// Keys only FPM uses (a block with one of them is FPM configuration, not php.ini).
fn is_fpm_specific_key(key: &str) -> bool {
    matches!(
        key,
        "listen"
            | "pm"
            | "request_terminate_timeout"
            | "request_slowlog_timeout"
            | "request_terminate_timeout_track_finished"
            | "slowlog"
            | "catch_workers_output"
            | "decorate_workers_output"
            | "clear_env"
            | "security.limit_extensions"
            | "access.log"
            | "access.format"
            | "ping.path"
            | "ping.response"
            | "process.dumpable"
            | "emergency_restart_threshold"
            | "emergency_restart_interval"
            | "process_control_timeout"
            | "process.max"
            | "events.mechanism"
            | "systemd_interval"
            | "log_buffering"
            | "apparmor_hat"
    ) || key.starts_with("listen.")
        || key.starts_with("pm.")
        || key.starts_with("php_admin_value[")
        || key.starts_with("php_admin_flag[")
        || key.starts_with("php_value[")
        || key.starts_with("php_flag[")
        || key.starts_with("env[")
}

/// Keys that make a section a pool.
fn is_pool_key(key: &str) -> bool {
    (is_fpm_specific_key(key) && !GLOBAL_KEYS.contains(&key))
        || matches!(
            key,
            "user" | "group" | "chdir" | "chroot" | "prefix" | "rlimit_files" | "rlimit_core"
        )
}

/// One `key = value` line, or a section header.
#[derive(Debug, PartialEq)]
enum IniLine<'a> {
    Section(&'a str),
    Setting(&'a str, String),
}

/// Reads one ini line (comments and blanks give `None`).
fn read_ini(text: &str) -> Option<IniLine<'_>> {
    let t = text.trim();
    if t.is_empty() || t.starts_with(';') || t.starts_with('#') {
        return None;
    }
    if let Some(name) = t.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
        let name = name.trim();
        return (!name.is_empty() && !name.contains(['[', ']', '='])).then_some(IniLine::Section(name));
    }
    let (key, value) = t.split_once('=')?;
    let key = key.trim();
    let valid_key = !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'[' | b']' | b'-' | b'/'));
    valid_key.then(|| IniLine::Setting(key, ini_value(value)))
}

/// A value with its inline `;` comment and quotes removed.
fn ini_value(raw: &str) -> String {
    let mut quote: Option<char> = None;
    let mut end = raw.len();
    for (i, c) in raw.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, ';') => {
                end = i;
                break;
            }
            _ => {}
        }
    }
    let v = raw[..end].trim();
    let unquoted = v
        .strip_prefix('"')
        .and_then(|r| r.strip_suffix('"'))
        .or_else(|| v.strip_prefix('\'').and_then(|r| r.strip_suffix('\'')))
        .unwrap_or(v);
    unquoted.to_string()
}

/// A line of the `php-fpm -tt` dump: its message (`[www]`, `listen = ...`).
fn dump_message(text: &str) -> Option<&str> {
    let head = php_fpm_log::split_head(text)?;
    (head.level == Some("NOTICE") && php_fpm_log::is_dump_message(head.rest)).then_some(head.rest)
}

/// A line that says "PHP-FPM configuration" on its own: an FPM-specific setting, a dump line
/// with one, or a pool-like section header (`[www]`, `[global]`, `[example.com]`: lower case,
/// so that systemd's `[Service]` or php.ini's `[PHP]` are not taken; a lower-case header of
/// another ini file only starts a piece that its block score then classifies).
fn is_strong_config_line(text: &str) -> bool {
    let body = dump_message(text).unwrap_or(text);
    match read_ini(body) {
        Some(IniLine::Setting(key, _)) => is_fpm_specific_key(key) && key != "listen",
        Some(IniLine::Section(name)) => {
            body.trim() == format!("[{name}]")
                && name.bytes().next().is_some_and(|b| b.is_ascii_alphanumeric())
                && name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-'))
        }
        None => false,
    }
}

/// Block score: the share of ini-shaped lines, when at least one FPM-specific key is there.
fn block(lines: &[&str]) -> f32 {
    // FPM evidence: an FPM-only key, or the sections every FPM install has.
    let setting_key = |l: &&str| match read_ini(dump_message(l).unwrap_or(l)) {
        Some(IniLine::Setting(key, _)) => Some(is_fpm_specific_key(key)),
        Some(IniLine::Section(name)) => Some(name == "www" || name == "global"),
        None => None,
    };
    let share = share_of_lines(lines, |l| {
        let body = dump_message(l).unwrap_or(l);
        let t = body.trim();
        t.is_empty() || t.starts_with(';') || t.starts_with('#') || read_ini(body).is_some()
    });
    let fpm = lines.iter().any(|l| setting_key(l) == Some(true));
    if fpm { share } else { share.min(0.2) }
}

/// A section being read.
struct Section {
    name: Option<String>,
    span: Option<Span>,
    settings: Vec<(String, String, Span)>,
}

/// Parses a PHP-FPM configuration piece.
pub fn parse(cx: &ParseContext<'_>) -> Parsed {
    let mut out = Parsed::default();
    let mut section = Section {
        name: None,
        span: None,
        settings: Vec::new(),
    };
    for line in lines(cx.text, cx.base) {
        let dump = dump_message(line.text);
        let body = dump.unwrap_or(line.text);
        let t = body.trim();
        if t.is_empty() || t.starts_with(';') || t.starts_with('#') {
            continue;
        }
        match read_ini(body) {
            Some(IniLine::Section(name)) => {
                finish(
                    std::mem::replace(
                        &mut section,
                        Section {
                            name: Some(name.to_string()),
                            span: Some(line.span),
                            settings: Vec::new(),
                        },
                    ),
                    cx,
                    &mut out,
                );
            }
            Some(IniLine::Setting(key, value)) => {
                section.span = Some(section.span.map_or(line.span, |s| s.join(line.span)));
                section.settings.push((key.to_string(), value, line.span));
            }
            None => match php_fpm_log::parse_line(line.text) {
                Some(event) => out.facts.push(FactAt {
                    span: line.span,
                    fact: Fact::FpmEvent(Box::new(event)),
                }),
                None => out.unread.push(line.span),
            },
        }
    }
    finish(section, cx, &mut out);
    crate::sort::by_key(&mut out.facts, |f| f.span.start);
    out
}

/// Emits the facts of a finished section.
fn finish(section: Section, cx: &ParseContext<'_>, out: &mut Parsed) {
    let is_global = section
        .name
        .as_deref()
        .is_some_and(|n| n.eq_ignore_ascii_case("global"));
    let is_pool = !is_global && section.settings.iter().any(|(k, _, _)| is_pool_key(k));
    let setting = |source: &str, key: &str, value: &str, span: Span| FactAt {
        span,
        fact: Fact::Setting(Box::new(Setting {
            source: source.into(),
            key: key.into(),
            value: value.into(),
        })),
    };
    if is_pool {
        let name = section.name.clone().unwrap_or_default();
        let mut pool = FpmPool {
            name: name.clone(),
            file: cx.file.map(str::to_string),
            ..Default::default()
        };
        for (key, value, span) in &section.settings {
            if section.name.is_none() && GLOBAL_KEYS.contains(&key.as_str()) || key == "include" {
                // A fragment mixing global keys, or an include inside a pool file.
                out.facts.push(setting("php-fpm", key, value, *span));
                continue;
            }
            apply(&mut pool, key, value);
            pool.settings.push((key.clone(), value.clone()));
        }
        if let Some(listen) = &pool.listen {
            pool.endpoint = Endpoint::parse(&listen.replace("$pool", &name).replace("${pool}", &name));
        }
        if let Some(span) = section.span {
            out.facts.push(FactAt {
                span,
                fact: Fact::FpmPool(Box::new(pool)),
            });
        }
        return;
    }
    let fpm_section = is_global
        || section
            .settings
            .iter()
            .any(|(k, _, _)| GLOBAL_KEYS.contains(&k.as_str()) || k == "include");
    let source = if fpm_section { "php-fpm" } else { "php.ini" };
    for (key, value, span) in &section.settings {
        out.facts.push(setting(source, key, value, *span));
    }
    // A lone pool header is still a pool; a lone `[global]` is framing.
    if section.settings.is_empty()
        && !is_global
        && let Some(span) = section.span
    {
        out.facts.push(FactAt {
            span,
            fact: Fact::FpmPool(Box::new(FpmPool {
                name: section.name.unwrap_or_default(),
                file: cx.file.map(str::to_string),
                ..Default::default()
            })),
        });
    }
}

/// Fills the typed field a setting names; `undefined` (the `-tt` dump's unset) stays unset.
fn apply(pool: &mut FpmPool, key: &str, value: &str) {
    if value == "undefined" {
        return;
    }
    let v = Some(value.to_string());
    match key {
        "listen" => pool.listen = v,
        "listen.owner" => pool.listen_owner = v,
        "listen.group" => pool.listen_group = v,
        "listen.mode" => pool.listen_mode = v,
        "listen.acl_users" => pool.listen_acl_users = v,
        "listen.acl_groups" => pool.listen_acl_groups = v,
        "listen.allowed_clients" => pool.listen_allowed_clients = v,
        "listen.backlog" => pool.listen_backlog = v,
        "user" => pool.user = v,
        "group" => pool.group = v,
        "pm" => pool.pm = v,
        "pm.max_children" => pool.max_children = value.trim().parse().ok(),
        "request_terminate_timeout" => pool.request_terminate_timeout = v,
        "request_slowlog_timeout" => pool.request_slowlog_timeout = v,
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::test_support::facts_of;

    fn facts(text: &str) -> Parsed {
        parse(&ParseContext::new(text, 0))
    }

    #[test]
    fn reads_pools_and_globals() {
        let text = "; global\n[global]\npid = /run/php/php8.3-fpm.pid\nerror_log = /var/log/php8.3-fpm.log\ninclude=/etc/php/8.3/fpm/pool.d/*.conf\n\n[www]\nuser = www-data\ngroup = www-data\nlisten = /run/php/$pool.sock ; the socket\nlisten.owner = \"www-data\"\nlisten.mode = 0660\npm = dynamic\npm.max_children = 5\nrequest_terminate_timeout = 30s\nphp_admin_value[memory_limit] = 256M\n; trailing comment\n[api]\nlisten = 127.0.0.1:9001\nlisten.allowed_clients = 127.0.0.1\n";
        let parsed = facts(text);
        assert!(parsed.unread.is_empty(), "{:?}", parsed.unread);
        let pools = facts_of::<FpmPool>(&parsed);
        assert_eq!(pools.len(), 2);
        let www = &pools[0];
        assert_eq!(www.name, "www");
        assert_eq!(www.listen.as_deref(), Some("/run/php/$pool.sock"));
        assert_eq!(
            www.endpoint,
            Some(Endpoint::Unix {
                path: "/run/php/www.sock".into()
            })
        );
        assert_eq!(www.listen_owner.as_deref(), Some("www-data"));
        assert_eq!(www.max_children, Some(5));
        assert_eq!(www.settings.len(), 9);
        assert!(
            www.settings
                .contains(&("php_admin_value[memory_limit]".into(), "256M".into()))
        );
        let span = parsed
            .facts
            .iter()
            .find(|f| matches!(&f.fact, Fact::FpmPool(p) if p.name == "www"))
            .unwrap()
            .span;
        assert!(span.text(text).starts_with("[www]"));
        assert!(span.text(text).ends_with("256M"));
        assert_eq!(pools[1].endpoint, Endpoint::parse("127.0.0.1:9001"));
        let settings: Vec<String> = facts_of::<Setting>(&parsed).into_iter().map(|s| s.key).collect();
        assert_eq!(settings, vec!["pid", "error_log", "include"]);
    }

    #[test]
    fn reads_fragments_and_dumps() {
        let parsed = facts("listen.owner = nginx\nlisten.group = nginx\nlisten.mode = 0660\n");
        let pools = facts_of::<FpmPool>(&parsed);
        assert_eq!((pools.len(), pools[0].name.as_str()), (1, ""));
        assert_eq!(pools[0].listen_mode.as_deref(), Some("0660"));
        let dump = "[21-Nov-2026 10:00:00] NOTICE: [global]\n[21-Nov-2026 10:00:00] NOTICE: \tpid = /run/php/php8.3-fpm.pid\n[21-Nov-2026 10:00:00] NOTICE:  \n[21-Nov-2026 10:00:00] NOTICE: [www]\n[21-Nov-2026 10:00:00] NOTICE: \tlisten = /run/php/php8.3-fpm.sock\n[21-Nov-2026 10:00:00] NOTICE: \tlisten.owner = undefined\n[21-Nov-2026 10:00:00] NOTICE: \tpm.max_children = 5\n[21-Nov-2026 10:00:00] NOTICE:  \n[21-Nov-2026 10:00:00] NOTICE: configuration file /etc/php/8.3/fpm/php-fpm.conf test is successful\n";
        let parsed = facts(dump);
        assert!(parsed.unread.is_empty(), "{:?}", parsed.unread);
        let pools = facts_of::<FpmPool>(&parsed);
        assert_eq!(pools[0].listen_owner, None);
        assert_eq!(pools[0].max_children, Some(5));
        assert!(parsed.facts.iter().any(|f| matches!(&f.fact, Fact::FpmEvent(_))));
    }

    #[test]
    fn php_ini_is_not_a_pool() {
        let parsed = facts("[PHP]\nmemory_limit = 128M\nmax_execution_time = 30\n");
        assert!(facts_of::<FpmPool>(&parsed).is_empty());
        assert!(matches!(&parsed.facts[0].fact, Fact::Setting(s) if s.source == "php.ini"));
        assert!(block(&["[PHP]", "memory_limit = 128M", "max_execution_time = 30"]) < 0.3);
        assert!(block(&["[www]", "listen = 9000", "pm.max_children = 10"]) > 0.9);
        assert!(block(&["server {", "    listen 80;", "}"]) < 0.3);
    }
}

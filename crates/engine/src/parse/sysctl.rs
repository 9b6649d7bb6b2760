//! Kernel settings → `Setting` (source `sysctl`): `sysctl KEY`/`sysctl -a` output
//! (`net.core.somaxconn = 4096`, `net.ipv4.ip_local_port_range = 32768 60999`, tab-separated), `sysctl -p`
//! echoes, `/etc/sysctl.conf` lines (`key=value`, comments), the bare value of `sysctl -n KEY`
//! (key from the command) and of `cat /proc/sys/net/core/somaxconn` (key from the path).

use crate::facts::{Fact, FactAt, Setting};
use crate::kind::Kind;
use crate::parse::columns::{command_of, is_elision, is_pager_line};
use crate::parse::registry::{KindSpec, share_of_lines};
use crate::parse::{ParseContext, Parsed};
use crate::span::lines;

/// How sysctl output is recognised and parsed.
pub const SPEC: KindSpec = KindSpec {
    kind: Kind::Sysctl,
    embeds: &[],
    command: |program, _| program == "sysctl",
    file: |path| {
        path.starts_with("/proc/sys/")
            || path.ends_with("sysctl.conf")
            || (path.contains("/sysctl.d/") && path.ends_with(".conf"))
    },
    line: Some(|l| key_value(l).is_some()),
    block: |lines| {
        if !lines.iter().any(|l| key_value(l).is_some()) {
            return 0.0;
        }
        share_of_lines(lines, |l| key_value(l).is_some() || is_framing(l))
    },
    parse,
};

/// Top-level sysctl namespaces: a key must start with one (so that `pm.max_children = 5` of a
/// PHP-FPM pool is not taken for a kernel setting).
const ROOTS: &[&str] = &[
    "net", "fs", "kernel", "vm", "dev", "user", "abi", "debug", "sunrpc", "crypto",
];

/// True for a sysctl key: `net.core.somaxconn`, `net/ipv4/tcp_tw_reuse`.
fn is_key(key: &str) -> bool {
    let separator = if key.contains('/') && !key.contains('.') {
        '/'
    } else {
        '.'
    };
    let mut parts = key.split(separator);
    let root = parts.next().unwrap_or("");
    let rest: Vec<&str> = parts.collect();
    ROOTS.contains(&root)
        && !rest.is_empty()
        && rest.iter().all(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'*')
        })
}

/// `key = value` or `key=value` (a leading `-` of sysctl.conf ignores errors).
fn key_value(text: &str) -> Option<(&str, &str)> {
    let t = text.trim();
    let t = t.strip_prefix('-').unwrap_or(t);
    let (key, value) = t.split_once('=')?;
    let key = key.trim();
    is_key(key).then(|| (key, value.trim()))
}

/// Comments and the `* Applying /etc/sysctl.d/...` lines of `sysctl --system`.
fn is_framing(text: &str) -> bool {
    let t = text.trim();
    t.starts_with('#') || t.starts_with(';') || t.starts_with("* Applying ")
}

/// The key a bare value belongs to: `sysctl -n KEY` or a `/proc/sys/...` path.
fn bare_key(cx: &ParseContext<'_>) -> Option<String> {
    if let Some(path) = cx.file.and_then(|f| f.strip_prefix("/proc/sys/")) {
        return Some(path.replace('/', "."));
    }
    let (program, args) = command_of(cx)?;
    if program != "sysctl" {
        return None;
    }
    let keys: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    match keys.as_slice() {
        [one] if is_key(one) => Some(one.replace('/', ".")),
        _ => None,
    }
}

/// Parses sysctl output.
pub fn parse(cx: &ParseContext<'_>) -> Parsed {
    let mut out = Parsed::default();
    // A bare value (`sysctl -n KEY`, `cat /proc/sys/...`) is the first line, and looks like one.
    let mut bare = bare_key(cx);
    for line in lines(cx.text, cx.base) {
        let t = line.text.trim();
        if t.is_empty() || is_pager_line(t) || is_elision(t) || is_framing(t) {
            continue;
        }
        let plain_value = t.split_whitespace().count() <= 4
            && t.split_whitespace().all(|w| {
                w.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b':' | b'-' | b','))
            });
        let found = key_value(t)
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .or_else(|| bare.take().filter(|_| plain_value).map(|k| (k, t.to_string())));
        bare = None;
        match found {
            Some((key, value)) => out.facts.push(FactAt {
                span: line.span,
                fact: Fact::Setting(Box::new(Setting {
                    source: "sysctl".to_string(),
                    key,
                    value,
                })),
            }),
            None => out.unread.push(line.span),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_keys_and_bare_values() {
        let text = "net.ipv4.ip_local_port_range = 32768\t60999\nnet.core.somaxconn=4096\n# comment\n-fs.file-max = 2097152\npm.max_children = 5\n";
        let parsed = parse(&ParseContext::new(text, 0));
        assert_eq!(parsed.facts.len(), 3);
        assert_eq!(parsed.unread.len(), 1);
        let Fact::Setting(s) = &parsed.facts[0].fact else {
            panic!()
        };
        assert_eq!(
            (s.key.as_str(), s.value.as_str()),
            ("net.ipv4.ip_local_port_range", "32768\t60999")
        );
        let mut cx = ParseContext::new("4096\n", 0);
        cx.command = Some("sysctl -n net.core.somaxconn");
        assert!(matches!(&parse(&cx).facts[0].fact, Fact::Setting(s) if s.key == "net.core.somaxconn"));
        let mut cx = ParseContext::new("128\n", 0);
        cx.file = Some("/proc/sys/net/core/somaxconn");
        assert!(matches!(&parse(&cx).facts[0].fact, Fact::Setting(s) if s.key == "net.core.somaxconn"));
    }
}

//! Helpers shared by the socket-table parsers (`ss`, `netstat`, `lsof`): the table's block
//! score and line-by-line parse, and local addresses as these tools print them, turned into
//! [`Endpoint`]s.

use crate::facts::{Endpoint, Fact, FactAt, Listener};
use crate::parse::columns::{is_elision, is_pager_line};
use crate::parse::registry::share_of_lines;
use crate::parse::{ParseContext, Parsed};
use crate::span::lines;

/// Block score of a socket table: 0 when no line is a row `row` reads, else the share of lines
/// that are rows or `framing` (titles, column headers).
pub fn table_score(lines: &[&str], row: fn(&str) -> Option<Listener>, framing: fn(&str) -> bool) -> f32 {
    if !lines.iter().any(|l| row(l).is_some()) {
        return 0.0;
    }
    share_of_lines(lines, |l| row(l).is_some() || framing(l))
}

/// Parses a socket table: a `Listener` for each row `row` reads; blank lines, `framing`
/// (given the trimmed line), pager lines and elisions are passed over; other lines are unread.
pub fn parse_table(cx: &ParseContext<'_>, row: fn(&str) -> Option<Listener>, framing: fn(&str) -> bool) -> Parsed {
    let mut out = Parsed::default();
    for line in lines(cx.text, cx.base) {
        let t = line.text.trim();
        if t.is_empty() || framing(t) || is_pager_line(t) || is_elision(t) {
            continue;
        }
        match row(line.text) {
            Some(listener) => out.facts.push(FactAt {
                span: line.span,
                fact: Fact::Listener(Box::new(listener)),
            }),
            None => out.unread.push(line.span),
        }
    }
    out
}

/// The endpoint of a local address as `ss`/`netstat`/`lsof` print it: `0.0.0.0:80`, `*:80`,
/// `[::]:80`, `:::80`, `127.0.0.53%lo:53`, `[fe80::1]%eth0:546`, `[::ffff:127.0.0.1]:80`, a
/// socket path or an abstract `@name`. "All interfaces" (`*`, `0.0.0.0`, `::`) keeps its
/// address text except `*`, which becomes the empty host. `None` for `*` alone and unnamed
/// unix sockets.
pub fn endpoint_of(local: &str) -> Option<Endpoint> {
    let t = local.trim();
    if t.starts_with('/') || t.starts_with('@') {
        return Some(Endpoint::Unix { path: t.to_string() });
    }
    let (host, port) = t.rsplit_once(':')?;
    let port: Option<u16> = match port {
        "*" => None,
        p => Some(p.parse().ok().or_else(|| service_port(p))?),
    };
    let host = host
        .strip_prefix('[')
        .map_or(host, |h| h.split(']').next().unwrap_or(h));
    let host = host.split('%').next().unwrap_or(host);
    let host = if host == "*" { "" } else { host };
    if host.contains(' ') {
        return None;
    }
    Some(Endpoint::Tcp {
        host: host.to_string(),
        port,
    })
}

/// The port of a service name that `netstat`/`lsof`/`ss` print without `-n` (from
/// `/etc/services`; 9000 shows as `cslistener`, 3000 as `hbci`, 8000 as `irdmi`).
fn service_port(name: &str) -> Option<u16> {
    Some(match name {
        "http" | "www" => 80,
        "https" => 443,
        "ssh" => 22,
        "smtp" => 25,
        "domain" => 53,
        "mysql" => 3306,
        "postgresql" | "postgres" => 5432,
        "cslistener" => 9000,
        "etlservicemgr" => 9001,
        "hbci" => 3000,
        "irdmi" => 8000,
        "http-alt" | "webcache" => 8080,
        "redis" => 6379,
        "memcache" => 11211,
        "amqp" => 5672,
        _ => return None,
    })
}

/// The first process of an `ss -p` column: `users:(("nginx",pid=2212,fd=6),...)` (or the old
/// `users:(("nginx",2212,6))`) → name and pid.
pub fn ss_users(text: &str) -> Option<(String, Option<u32>)> {
    let rest = text.split_once("users:((")?.1;
    let rest = rest.strip_prefix('"')?;
    let (name, after) = rest.split_once('"')?;
    let after = after.strip_prefix(',').unwrap_or(after);
    let pid_text = after.strip_prefix("pid=").unwrap_or(after);
    let digits: String = pid_text.chars().take_while(char::is_ascii_digit).collect();
    Some((name.to_string(), digits.parse().ok()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tcp(host: &str, port: Option<u16>) -> Option<Endpoint> {
        Some(Endpoint::Tcp {
            host: host.into(),
            port,
        })
    }

    #[test]
    fn reads_local_addresses() {
        assert_eq!(endpoint_of("0.0.0.0:80"), tcp("0.0.0.0", Some(80)));
        assert_eq!(endpoint_of("*:9000"), tcp("", Some(9000)));
        assert_eq!(endpoint_of("[::]:80"), tcp("::", Some(80)));
        assert_eq!(endpoint_of(":::80"), tcp("::", Some(80)));
        assert_eq!(endpoint_of("::1:631"), tcp("::1", Some(631)));
        assert_eq!(endpoint_of("127.0.0.53%lo:53"), tcp("127.0.0.53", Some(53)));
        assert_eq!(endpoint_of("[fe80::1]%eth0:546"), tcp("fe80::1", Some(546)));
        assert_eq!(
            endpoint_of("[::ffff:127.0.0.1]:8080"),
            tcp("::ffff:127.0.0.1", Some(8080))
        );
        assert_eq!(endpoint_of("0.0.0.0:*"), tcp("0.0.0.0", None));
        assert_eq!(
            endpoint_of("/run/php/php8.3-fpm.sock"),
            Some(Endpoint::Unix {
                path: "/run/php/php8.3-fpm.sock".into()
            })
        );
        assert_eq!(endpoint_of("*"), None);
        assert_eq!(endpoint_of("localhost:cslistener"), tcp("localhost", Some(9000)));
        assert_eq!(endpoint_of("host:nonsense"), None);
    }

    #[test]
    fn reads_users() {
        assert_eq!(
            ss_users("users:((\"nginx\",pid=2212,fd=6),(\"nginx\",pid=2211,fd=6))"),
            Some(("nginx".into(), Some(2212)))
        );
        assert_eq!(ss_users("users:((\"sshd\",1234,3))"), Some(("sshd".into(), Some(1234))));
        assert_eq!(ss_users("uid:33"), None);
    }
}

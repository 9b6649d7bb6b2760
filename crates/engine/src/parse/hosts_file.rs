//! Host tables: `/etc/hosts` (comments, `127.0.0.1 localhost`, `::1 localhost ip6-localhost`,
//! trailing comments) and `getent hosts NAME` / `getent ahosts NAME` output, which share the
//! `ADDRESS NAME...` line shape.
//!
//! Facts: one [`DnsRecord`] with `record_type: "hosts"` per name of a line (so that a lookup of
//! any alias finds its address). Empty `getent` output means "not found", but only the command
//! can say so; this parser reads what is there.
//!
//! Telling the two apart from content alone is guesswork: a table with comments or `localhost`
//! entries is `/etc/hosts`, one or two bare lines are `getent` output, `STREAM`/`DGRAM`/`RAW`
//! columns are `getent ahosts`.

use crate::facts::{DnsRecord, Fact, FactAt};
use crate::kind::Kind;
use crate::parse::dns::is_hostname;
use crate::parse::registry::{KindSpec, no_command};
use crate::parse::{ParseContext, Parsed};
use crate::span::lines;

/// `/etc/hosts`.
pub const ETC_HOSTS_SPEC: KindSpec = KindSpec {
    kind: Kind::EtcHosts,
    embeds: &[],
    command: no_command,
    file: |path| {
        let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
        name == "hosts"
    },
    line: Some(is_strong_hosts_line),
    block: etc_hosts_score,
    parse,
};

/// `getent hosts NAME` / `getent ahosts NAME`.
pub const GETENT_HOSTS_SPEC: KindSpec = KindSpec {
    kind: Kind::GetentHosts,
    embeds: &[],
    command: |program, args| {
        program == "getent"
            && args
                .iter()
                .any(|a| matches!(*a, "hosts" | "ahosts" | "ahostsv4" | "ahostsv6"))
    },
    file: |_| false,
    line: None,
    block: getent_score,
    parse,
};

/// One `ADDRESS NAME...` line (comment removed): the address and its names. `None` for lines
/// that are not of that shape.
pub fn hosts_line(line: &str) -> Option<(&str, Vec<&str>)> {
    // The address comes first: a line that does not start with one is rejected before the rest
    // of it is split.
    let address = line.split_whitespace().next()?;
    let address = address.split('#').next().unwrap_or(address);
    let bare = address.split('%').next().unwrap_or(address);
    if bare.parse::<std::net::IpAddr>().is_err() {
        return None;
    }
    let content = line.split('#').next().unwrap_or(line);
    let mut words = content.split_whitespace();
    let address = words.next()?;
    // Fails at the first word that is not a host name, before anything is collected.
    if !words.clone().all(is_hostname) {
        return None;
    }
    let names: Vec<&str> = words.collect();
    if names.is_empty() || !names.iter().all(|n| is_hostname(n)) {
        return None;
    }
    Some((address, names))
}

/// A line of `ip neigh` / `ip route` (`10.0.0.1 dev eth0 lladdr ... REACHABLE`) has the shape of a
/// host-table line; scoring leaves it out.
fn looks_like_ip_command(names: &[&str]) -> bool {
    matches!(names.first(), Some(&("dev" | "via" | "proto" | "lladdr" | "table")))
        || names
            .iter()
            .any(|n| n.len() > 3 && n.bytes().all(|b| b.is_ascii_uppercase()))
}

/// `ahosts` socket-type column.
fn is_socket_type(word: &str) -> bool {
    matches!(word, "STREAM" | "DGRAM" | "RAW")
}

/// Lines only a hosts table has: loopback and IPv6 multicast entries, and its usual comments.
pub fn is_strong_hosts_line(line: &str) -> bool {
    let t = line.trim();
    if let Some(comment) = t.strip_prefix('#') {
        let c = comment.trim();
        return c.starts_with("/etc/hosts")
            || c.contains("manage_etc_hosts")
            || c.starts_with("The following lines are desirable for IPv6");
    }
    hosts_line(t).is_some_and(|(_, names)| {
        names.iter().any(|n| {
            *n == "localhost" || n.starts_with("localhost.") || n.starts_with("ip6-") || n.starts_with("localhost4")
        })
    })
}

fn etc_hosts_score(lines: &[&str]) -> f32 {
    let (mut total, mut entries, mut comments, mut strong) = (0usize, 0usize, 0usize, false);
    for line in lines {
        let t = line.trim();
        if t.is_empty() {
            continue;
        }
        total += 1;
        strong |= is_strong_hosts_line(t);
        if t.starts_with('#') {
            comments += 1;
        } else if hosts_line(t).is_some_and(|(_, n)| !is_socket_type(n[0]) && !looks_like_ip_command(&n)) {
            entries += 1;
        }
    }
    if total == 0 || entries == 0 && !strong {
        return 0.0;
    }
    let share = (entries + comments) as f32 / total as f32;
    if strong || (comments > 0 && entries > 0) || entries >= 3 {
        0.3 + 0.65 * share
    } else {
        0.5 * share
    }
}

fn getent_score(lines: &[&str]) -> f32 {
    let (mut total, mut entries, mut ahosts) = (0usize, 0usize, 0usize);
    for line in lines {
        let t = line.trim();
        if t.is_empty() {
            continue;
        }
        if t.starts_with('#') {
            return 0.0;
        }
        total += 1;
        if let Some((_, names)) = hosts_line(t) {
            if is_socket_type(names[0]) {
                ahosts += 1;
            } else if looks_like_ip_command(&names) {
                continue;
            }
            entries += 1;
        } else if let Some(address) = t.split_whitespace().next()
            && address.parse::<std::net::IpAddr>().is_ok()
            && t.split_whitespace().count() == 2
            && t.split_whitespace().nth(1).is_some_and(is_socket_type)
        {
            // `10.0.0.5        DGRAM` (ahosts repeats without a name)
            entries += 1;
            ahosts += 1;
        }
    }
    if total == 0 || entries == 0 {
        return 0.0;
    }
    let share = entries as f32 / total as f32;
    if ahosts > 0 {
        0.95 * share
    } else if entries <= 2 && !lines.iter().any(|l| is_strong_hosts_line(l)) {
        0.6 * share
    } else {
        0.35 * share
    }
}

/// Parses `/etc/hosts` or `getent hosts` output.
pub fn parse(cx: &ParseContext<'_>) -> Parsed {
    let mut out = Parsed::default();
    // getent ahosts names the canonical name on the first STREAM line only.
    let mut canonical: Option<String> = None;
    for line in lines(cx.text, cx.base) {
        let t = line.text.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let words: Vec<&str> = t.split_whitespace().collect();
        // getent ahosts: `10.0.0.5  STREAM app.example.com`, then `10.0.0.5  DGRAM` / `RAW`.
        if words.len() >= 2 && is_socket_type(words[1]) && words[0].parse::<std::net::IpAddr>().is_ok() {
            if words[1] != "STREAM" {
                continue;
            }
            if let Some(name) = words.get(2).filter(|n| is_hostname(n)) {
                canonical = Some(name.to_string());
            }
            if let Some(name) = &canonical {
                out.facts.push(FactAt {
                    span: line.span,
                    fact: Fact::DnsRecord(Box::new(DnsRecord {
                        name: name.clone(),
                        record_type: "hosts".into(),
                        value: words[0].to_string(),
                    })),
                });
            }
            continue;
        }
        match hosts_line(t) {
            Some((address, names)) => {
                for name in names {
                    out.facts.push(FactAt {
                        span: line.span,
                        fact: Fact::DnsRecord(Box::new(DnsRecord {
                            name: name.to_string(),
                            record_type: "hosts".into(),
                            value: address.to_string(),
                        })),
                    });
                }
            }
            None => out.unread.push(line.span),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::test_support::facts_of;

    fn names(p: &Parsed) -> Vec<(String, String)> {
        facts_of::<DnsRecord>(p)
            .into_iter()
            .map(|r| (r.name, r.value))
            .collect()
    }

    #[test]
    fn reads_a_hosts_file() {
        let text = "# /etc/hosts\n127.0.0.1\tlocalhost\n127.0.1.1 web1.example.com web1\n10.10.4.21   app.example.com   # staging test\n\n# The following lines are desirable for IPv6 capable hosts\n::1     localhost ip6-localhost ip6-loopback\nfe00::0 ip6-localnet\nnot a line\n";
        let p = parse(&ParseContext::new(text, 0));
        assert_eq!(p.unread.len(), 1);
        let n = names(&p);
        assert_eq!(n[0], ("localhost".into(), "127.0.0.1".into()));
        assert!(n.contains(&("app.example.com".into(), "10.10.4.21".into())));
        assert!(n.contains(&("ip6-loopback".into(), "::1".into())));
        let lines: Vec<&str> = text.lines().collect();
        assert!(etc_hosts_score(&lines) > getent_score(&lines));
    }

    #[test]
    fn reads_getent_output() {
        let p = parse(&ParseContext::new("10.10.4.21      app.example.com\n", 0));
        assert_eq!(names(&p), vec![("app.example.com".into(), "10.10.4.21".into())]);
        let text = "10.0.0.5        STREAM app.example.com\n10.0.0.5        DGRAM  \n10.0.0.5        RAW    \n10.0.0.6        STREAM \n10.0.0.6        DGRAM  \n";
        let p = parse(&ParseContext::new(text, 0));
        assert!(p.unread.is_empty());
        assert_eq!(
            names(&p),
            vec![
                ("app.example.com".into(), "10.0.0.5".into()),
                ("app.example.com".into(), "10.0.0.6".into())
            ]
        );
        let single = ["10.10.4.21      app.example.com"];
        assert!(getent_score(&single) > etc_hosts_score(&single));
        assert!(getent_score(&text.lines().collect::<Vec<_>>()) > 0.9);
    }

    #[test]
    fn ip_neighbour_lines_do_not_score() {
        let lines = ["192.168.10.31 dev ens18 FAILED"];
        assert_eq!(getent_score(&lines), 0.0);
        assert_eq!(etc_hosts_score(&lines), 0.0);
    }

    #[test]
    fn access_log_lines_are_not_host_lines() {
        assert!(hosts_line("198.51.100.7 - - [11/Feb/2025:08:02:58 +0000] \"GET / HTTP/2.0\" 200").is_none());
        assert!(hosts_line("10.0.0.5").is_none());
        assert!(hosts_line("é é").is_none());
    }
}

//! `ufw status` / `ufw status verbose` / `ufw status numbered`: `Status: active|inactive`,
//! `Default: deny (incoming), allow (outgoing), disabled (routed)`, the `To  Action  From`
//! table (`8080/tcp  DENY  Anywhere`, `80,443/tcp`, `8000:8100/tcp`, application profiles such
//! as `Nginx Full`, `(v6)` rows, `[ 1]` numbers, `ALLOW IN`/`DENY OUT`, `on eth0`, trailing
//! `# comments`), and `ufw app list` / `ufw app info` text.
//!
//! Facts: [`FirewallState`] from the status line; a [`FirewallRule`] per row (`chain` =
//! `incoming`, `outgoing` or `routed`; ALLOW and LIMIT accept, DENY drops, REJECT rejects; an
//! application profile gets the ports of the well-known profiles) and one policy rule per
//! direction of the `Default:` line (`disabled (routed)` gives none).

use crate::facts::{Fact, FactAt, FirewallRule, FirewallState};
use crate::kind::Kind;
use crate::parse::firewall::{action_of, is_anywhere, port_list, rule, service_ports, set_ports};
use crate::parse::registry::{KindSpec, anchored_share, no_file};
use crate::parse::{ParseContext, Parsed};
use crate::span::{Span, lines};

/// How ufw output is recognised and parsed.
pub const SPEC: KindSpec = KindSpec {
    kind: Kind::Ufw,
    embeds: &[],
    command: |program, _| program == "ufw",
    file: no_file,
    line: Some(is_strong_line),
    block: score,
    parse,
};

/// Lines only ufw prints.
pub fn is_strong_line(line: &str) -> bool {
    let t = line.trim();
    matches!(t, "Status: active" | "Status: inactive" | "Available applications:")
        || t.starts_with("Default: ") && (t.contains(" (incoming)") || t.contains(" (outgoing)"))
        || is_table_header(t)
        || t.starts_with("Logging: on (")
        || t == "Logging: off"
        // A row from anywhere names `Anywhere`: one search rejects every other line.
        || t.contains("Anywhere") && row(t).is_some_and(|r| r.from_anywhere)
}

fn score(lines: &[&str]) -> f32 {
    anchored_share(lines, is_strong_line, |line| {
        let t = line.trim();
        row(t).is_some() || is_separator(t) || t.starts_with("New profiles:")
    })
}

fn is_table_header(t: &str) -> bool {
    t.starts_with("To") && t.split_whitespace().eq(["To", "Action", "From"])
}

fn is_separator(t: &str) -> bool {
    t.starts_with('-') && t.split_whitespace().all(|x| x.bytes().all(|b| b == b'-'))
}

/// One row of the rules table, read.
struct Row<'a> {
    to: &'a str,
    action: &'a str,
    direction: Option<&'a str>,
    from: &'a str,
    from_anywhere: bool,
}

/// `[ 1] 80/tcp   ALLOW IN    Anywhere   # web` → its columns.
fn row(t: &str) -> Option<Row<'_>> {
    let t = match t.strip_prefix('[') {
        Some(rest) => rest.split_once(']')?.1.trim_start(),
        None => t,
    };
    let mut offset = 0;
    let mut found = None;
    for word in t.split(' ') {
        if matches!(word, "ALLOW" | "DENY" | "REJECT" | "LIMIT") && offset > 0 {
            found = Some((offset, word));
            break;
        }
        offset += word.len() + 1;
    }
    let (at, action) = found?;
    let to = t.get(..at)?.trim();
    let mut rest = t.get(at + action.len()..)?.trim_start();
    let mut direction = None;
    for d in ["IN", "OUT", "FWD"] {
        if let Some(r) = rest.strip_prefix(d)
            && (r.is_empty() || r.starts_with(' '))
        {
            direction = Some(d);
            rest = r.trim_start();
        }
    }
    let from = rest.split(" #").next().unwrap_or(rest).trim();
    if to.is_empty() || from.is_empty() {
        return None;
    }
    let from_anywhere = from.starts_with("Anywhere");
    let from_ok = from_anywhere || from.split_whitespace().next().is_some_and(is_address);
    let to_first = to.split_whitespace().next().unwrap_or("");
    let port_part = to_first.split('/').next().unwrap_or("");
    let to_ok = is_address(to_first)
        || !port_part.is_empty()
            && port_part
                .bytes()
                .all(|b| b.is_ascii_digit() || matches!(b, b',' | b':'))
        || to_first.bytes().next().is_some_and(|b| b.is_ascii_uppercase());
    if !from_ok || !to_ok {
        return None;
    }
    Some(Row {
        to,
        action,
        direction,
        from,
        from_anywhere,
    })
}

/// Reads a row into a rule.
fn row_rule(r: &Row<'_>, raw: &str) -> FirewallRule {
    let mut fw = rule("ufw", raw);
    fw.action = action_of(r.action);
    fw.target = Some(match r.direction {
        Some(d) => format!("{} {d}", r.action),
        None => r.action.to_string(),
    });
    let outgoing = r.direction == Some("OUT");
    fw.chain = Some(
        match r.direction {
            Some("OUT") => "outgoing",
            Some("FWD") => "routed",
            _ => "incoming",
        }
        .to_string(),
    );
    let mut to = r.to;
    if let Some(stripped) = to.strip_suffix("(v6)") {
        to = stripped.trim_end();
        fw.family = Some("ipv6".into());
    }
    if let Some((before, iface)) = to.split_once(" on ") {
        to = before.trim();
        let iface = iface.trim().to_string();
        if outgoing {
            fw.out_interface = Some(iface);
        } else {
            fw.in_interface = Some(iface);
        }
    }
    // `10.0.0.5 8080/tcp`, `10.0.0.5`, `8080/tcp`, `Nginx Full`, `Anywhere`.
    let mut spec = to;
    if let Some((first, rest)) = to.split_once(' ')
        && is_address(first)
    {
        fw.destination = Some(first.to_string());
        spec = rest.trim();
    } else if is_address(to) {
        fw.destination = (!is_anywhere(to)).then(|| to.to_string());
        spec = "";
    }
    if !spec.is_empty() && !is_anywhere(spec) {
        let (ports, proto) = match spec.rsplit_once('/') {
            Some((p, proto)) if matches!(proto, "tcp" | "udp") => (p, Some(proto)),
            _ => (spec, None),
        };
        let ranges = if ports.bytes().all(|b| b.is_ascii_digit() || b == b',' || b == b':') {
            port_list(ports)
        } else if let Some((proto, ranges)) = service_ports(spec) {
            fw.protocol = Some(proto.to_string());
            ranges.to_vec()
        } else {
            Vec::new()
        };
        if let Some(proto) = proto {
            fw.protocol = Some(proto.to_string());
        }
        set_ports(&mut fw, ranges);
    }
    let from = r.from.strip_suffix("(v6)").map_or(r.from, str::trim_end);
    let source = from.split_whitespace().next().unwrap_or("");
    if !source.is_empty() && !is_anywhere(source) {
        fw.source = Some(source.to_string());
    }
    fw
}

fn is_address(word: &str) -> bool {
    let host = word.split('/').next().unwrap_or(word);
    host.parse::<std::net::IpAddr>().is_ok() || word == "Anywhere"
}

/// `Default: deny (incoming), allow (outgoing), disabled (routed)` → (policy, direction) pairs.
fn defaults(t: &str) -> Vec<(&str, &str)> {
    let Some(rest) = t.strip_prefix("Default: ") else {
        return Vec::new();
    };
    rest.split(", ")
        .filter_map(|part| {
            let (policy, direction) = part.split_once(" (")?;
            Some((policy.trim(), direction.trim_end_matches(')')))
        })
        .collect()
}

/// Parses ufw output.
pub fn parse(cx: &ParseContext<'_>) -> Parsed {
    let mut out = Parsed::default();
    let mut in_app_list = false;
    let push = |out: &mut Parsed, span: Span, fact: Fact| out.facts.push(FactAt { span, fact });
    for line in lines(cx.text, cx.base) {
        let t = line.text.trim();
        if t.is_empty() {
            in_app_list = false;
            continue;
        }
        if let Some(state) = t.strip_prefix("Status: ") {
            if matches!(state, "active" | "inactive") {
                let fact = Fact::FirewallState(FirewallState {
                    tool: "ufw".into(),
                    active: state == "active",
                });
                push(&mut out, line.span, fact);
                continue;
            }
        }
        if t.starts_with("Default: ") {
            let pairs = defaults(t);
            if pairs.is_empty() {
                out.unread.push(line.span);
            }
            for (policy, direction) in pairs {
                if policy == "disabled" {
                    continue;
                }
                let mut r = rule("ufw", &format!("{policy} ({direction})"));
                r.chain = Some(direction.to_string());
                r.action = action_of(policy);
                r.target = Some(policy.to_string());
                r.is_policy = true;
                push(&mut out, line.span, Fact::FirewallRule(Box::new(r)));
            }
            continue;
        }
        if is_table_header(t)
            || is_separator(t)
            || [
                "Logging:",
                "New profiles:",
                "Profile:",
                "Title:",
                "Description:",
                "Ports:",
            ]
            .iter()
            .any(|p| t.starts_with(p))
        {
            continue;
        }
        if t == "Available applications:" {
            in_app_list = true;
            continue;
        }
        if let Some(r) = row(t) {
            let fact = Fact::FirewallRule(Box::new(row_rule(&r, t)));
            push(&mut out, line.span, fact);
            continue;
        }
        // Profile names under `Available applications:` and port lines of `ufw app info`.
        if in_app_list && line.text.starts_with([' ', '\t'])
            || t.bytes().all(|b| b.is_ascii_digit() || matches!(b, b',' | b':' | b'/'))
                && (t.ends_with("/tcp") || t.ends_with("/udp"))
        {
            continue;
        }
        out.unread.push(line.span);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::FirewallAction;
    use crate::parse::test_support::facts_of;

    fn read(text: &str) -> Parsed {
        parse(&ParseContext::new(text, 0))
    }

    fn rules(p: &Parsed) -> Vec<FirewallRule> {
        facts_of(p)
    }

    #[test]
    fn reads_verbose_status() {
        let text = "Status: active\nLogging: on (low)\nDefault: deny (incoming), allow (outgoing), disabled (routed)\nNew profiles: skip\n\nTo                         Action      From\n--                         ------      ----\n22/tcp                     ALLOW IN    Anywhere\nNginx Full                 ALLOW IN    Anywhere\n8080/tcp                   DENY IN     Anywhere\n80,443/tcp                 ALLOW IN    192.168.1.0/24             # web\n8000:8100/tcp              REJECT IN   Anywhere\nAnywhere on eth1           ALLOW IN    10.0.0.0/8\n10.0.0.5 9000/tcp          ALLOW OUT   Anywhere\n22/tcp (v6)                ALLOW IN    Anywhere (v6)\n";
        let p = read(text);
        assert!(p.unread.is_empty(), "{:?}", p.unread);
        assert!(matches!(&p.facts[0].fact, Fact::FirewallState(s) if s.active));
        let r = rules(&p);
        assert_eq!(r.len(), 10);
        assert!(r[0].is_policy && r[0].action == FirewallAction::Drop && r[0].chain.as_deref() == Some("incoming"));
        assert!(r[1].is_policy && r[1].action == FirewallAction::Accept);
        assert_eq!(r[2].ports, Some((22, 22)));
        assert_eq!(r[3].port_ranges, vec![(80, 80), (443, 443)]);
        assert_eq!((r[4].ports, r[4].action), (Some((8080, 8080)), FirewallAction::Drop));
        assert_eq!(r[5].source.as_deref(), Some("192.168.1.0/24"));
        assert_eq!(r[6].ports, Some((8000, 8100)));
        assert_eq!(r[7].in_interface.as_deref(), Some("eth1"));
        assert_eq!(r[8].destination.as_deref(), Some("10.0.0.5"));
        assert_eq!(r[8].chain.as_deref(), Some("outgoing"));
        assert_eq!(r[9].family.as_deref(), Some("ipv6"));
    }

    #[test]
    fn reads_numbered_and_inactive() {
        let p = read(
            "Status: active\n\n     To                         Action      From\n     --                         ------      ----\n[ 1] 22/tcp                     ALLOW IN    Anywhere\n[ 2] 3306                       DENY IN     Anywhere\n",
        );
        assert!(p.unread.is_empty());
        let r = rules(&p);
        assert_eq!(r[1].ports, Some((3306, 3306)));
        assert_eq!(r[1].protocol, None);
        let p = read("Status: inactive\n");
        assert!(matches!(&p.facts[0].fact, Fact::FirewallState(s) if !s.active));
        let p = read("Available applications:\n  Nginx Full\n  OpenSSH\n");
        assert!(p.unread.is_empty());
    }

    #[test]
    fn recognises_content() {
        assert!(is_strong_line("Status: active"));
        assert!(is_strong_line("8080/tcp                   DENY        Anywhere"));
        assert!(!is_strong_line("Status: \"Processes active: 0\""));
        assert!(!is_strong_line("we DENY everything"));
        for junk in ["[", "[ 1]", "ALLOW", " ALLOW x", "Default: ", "é ALLOW é"] {
            let _ = read(junk);
        }
    }
}

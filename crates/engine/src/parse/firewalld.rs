//! firewalld: `firewall-cmd --list-all` / `--list-all-zones` / `--info-zone` (zone header
//! `public (active)`, `target:`, `services:`, `ports:`, `protocols:`, `rich rules:` with tab-
//! indented `rule family="ipv4" source address="..." port port="9000" protocol="tcp" reject`
//! continuation lines), `--state` (`running` / `not running`), `--get-active-zones`,
//! `--list-services`, `--list-ports` and `--list-rich-rules`.
//!
//! Facts: [`FirewallState`] from `--state`; per zone a policy [`FirewallRule`] from `target:`
//! (`default` and `%%REJECT%%` reject, `DROP` drops, `ACCEPT` accepts) and an Accept rule per
//! allowed service (with the ports of the well-known services: http 80, https 443, ssh 22...),
//! port and protocol; rich rules with their own action. `chain` is the zone. With
//! `--list-all-zones`, zones that are neither active nor default are read but give no fact (their
//! rules apply to no traffic).

use crate::facts::{Fact, FactAt, FirewallAction, FirewallRule, FirewallState};
use crate::kind::Kind;
use crate::parse::firewall::{action_of, infer_family, port_list, rule, service_ports, set_ports, unquote, words};
use crate::parse::registry::{KindSpec, anchored_share, no_file};
use crate::parse::{ParseContext, Parsed};
use crate::span::{Span, lines};

/// How firewall-cmd output is recognised and parsed.
pub const SPEC: KindSpec = KindSpec {
    kind: Kind::Firewalld,
    embeds: &[],
    command: |program, _| program == "firewall-cmd",
    file: no_file,
    line: Some(is_strong_line),
    block: score,
    parse,
};

/// The keys of a zone listing.
const KEYS: &[&str] = &[
    "target",
    "icmp-block-inversion",
    "interfaces",
    "sources",
    "services",
    "ports",
    "protocols",
    "forward",
    "masquerade",
    "forward-ports",
    "source-ports",
    "icmp-blocks",
    "rich rules",
    "ingress-priority",
    "egress-priority",
    "summary",
    "description",
];

/// Lines only firewall-cmd prints.
pub fn is_strong_line(line: &str) -> bool {
    let indented = line.starts_with([' ', '\t']);
    let t = line.trim();
    if !indented && zone_header(t).is_some_and(|(name, status)| status.is_some() || is_stock_zone(name)) {
        return true;
    }
    if t == "FirewallD is not running" {
        return true;
    }
    indented
        && key_line(t).is_some_and(|(k, v)| {
            matches!(
                k,
                "icmp-block-inversion" | "rich rules" | "masquerade" | "forward-ports" | "source-ports" | "icmp-blocks"
            ) || k == "target" && matches!(v, "default" | "ACCEPT" | "DROP" | "%%REJECT%%" | "REJECT")
        })
}

fn score(lines: &[&str]) -> f32 {
    anchored_share(lines, is_strong_line, |line| {
        let t = line.trim();
        key_line(t).is_some() || t.starts_with("rule ") || zone_header(t).is_some()
    })
}

/// The zones firewalld ships whose names are unlikely as a line of anything else (`home`,
/// `work` and `docker` are left out).
fn is_stock_zone(name: &str) -> bool {
    matches!(
        name,
        "block" | "dmz" | "drop" | "external" | "internal" | "public" | "trusted" | "nm-shared" | "libvirt"
    )
}

/// `public (active)` → ("public", Some("active")); `work` → ("work", None).
fn zone_header(t: &str) -> Option<(&str, Option<&str>)> {
    let (name, status) = match t.split_once(" (") {
        Some((name, rest)) => {
            let status = rest.strip_suffix(')')?;
            if !matches!(status, "active" | "default" | "default, active" | "active, default") {
                return None;
            }
            (name, Some(status))
        }
        None => (t, None),
    };
    let ok = !name.is_empty()
        && name.len() <= 40
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'+'));
    ok.then_some((name, status))
}

/// `services: http ssh` → ("services", "http ssh") for the keys a zone listing has.
fn key_line(t: &str) -> Option<(&str, &str)> {
    let (key, value) = t.split_once(':')?;
    KEYS.contains(&key).then_some((key, value.trim()))
}

/// Parses firewall-cmd output.
pub fn parse(cx: &ParseContext<'_>) -> Parsed {
    let all: Vec<_> = lines(cx.text, cx.base).collect();
    // A zone header is followed by an indented key line; count them to know whether this is
    // `--list-all-zones` (only active or default zones matter) or a single zone.
    let is_header_at = |i: usize| {
        let line = &all[i];
        !line.text.starts_with([' ', '\t'])
            && zone_header(line.text.trim()).is_some()
            && all
                .get(i + 1)
                .is_some_and(|n| n.text.starts_with([' ', '\t']) && key_line(n.text.trim()).is_some())
    };
    let zones = (0..all.len()).filter(|&i| is_header_at(i)).count();
    let mut out = Parsed::default();
    let mut zone: Option<String> = None;
    let mut include = true;
    let mut open_key: Option<String> = None;
    for (i, line) in all.iter().enumerate() {
        let t = line.text.trim();
        if t.is_empty() {
            open_key = None;
            continue;
        }
        let indented = line.text.starts_with([' ', '\t']);
        if !indented {
            open_key = None;
        }
        if matches!(t, "running" | "not running" | "FirewallD is not running") {
            let fact = Fact::FirewallState(FirewallState {
                tool: "firewalld".into(),
                active: t == "running",
            });
            out.facts.push(FactAt { span: line.span, fact });
            continue;
        }
        if t == "success" {
            continue;
        }
        if is_header_at(i) || !indented && zone_header(t).is_some_and(|(_, s)| s.is_some()) {
            let (name, status) = zone_header(t).unwrap_or((t, None));
            zone = Some(name.to_string());
            include = zones <= 1 || status.is_some();
            continue;
        }
        if indented && let Some((key, value)) = key_line(t) {
            open_key = Some(key.to_string());
            if include {
                key_rules(key, value, zone.as_deref(), line.span, &mut out);
            }
            continue;
        }
        if t.starts_with("rule ") {
            if include {
                let mut r = rich_rule(t);
                r.chain = zone.clone();
                out.facts.push(FactAt {
                    span: line.span,
                    fact: Fact::FirewallRule(Box::new(r)),
                });
            }
            continue;
        }
        if indented && open_key.as_deref() == Some("forward-ports") {
            continue;
        }
        // `--list-services` / `--list-ports` print bare lists.
        if !indented && zone.is_none() {
            let words: Vec<&str> = t.split_whitespace().collect();
            if words.iter().all(|w| service_ports(w).is_some()) {
                key_rules("services", t, None, line.span, &mut out);
                continue;
            }
            if words.iter().all(|w| port_and_protocol(w).is_some()) {
                key_rules("ports", t, None, line.span, &mut out);
                continue;
            }
        }
        out.unread.push(line.span);
    }
    out
}

/// `8080/tcp`, `9000-9100/udp` → (ranges, protocol).
fn port_and_protocol(word: &str) -> Option<(Vec<(u16, u16)>, &str)> {
    let (ports, proto) = word.split_once('/')?;
    let ranges = port_list(ports);
    (!ranges.is_empty() && matches!(proto, "tcp" | "udp" | "sctp" | "dccp")).then_some((ranges, proto))
}

/// The rules one key line of a zone stands for.
fn key_rules(key: &str, value: &str, zone: Option<&str>, span: Span, out: &mut Parsed) {
    let mut push = |mut r: FirewallRule| {
        r.chain = zone.map(str::to_string);
        out.facts.push(FactAt {
            span,
            fact: Fact::FirewallRule(Box::new(r)),
        });
    };
    match key {
        "target" => {
            let mut r = rule("firewalld", &format!("target: {value}"));
            r.action = match value {
                "default" => FirewallAction::Reject,
                other => action_of(other),
            };
            r.target = Some(value.to_string());
            r.is_policy = true;
            push(r);
        }
        "services" => {
            for service in value.split_whitespace() {
                let mut r = rule("firewalld", service);
                r.action = FirewallAction::Accept;
                r.target = Some("service".into());
                if let Some((proto, ranges)) = service_ports(service) {
                    r.protocol = Some(proto.to_string());
                    set_ports(&mut r, ranges.to_vec());
                }
                push(r);
            }
        }
        "ports" => {
            for port in value.split_whitespace() {
                let mut r = rule("firewalld", port);
                r.action = FirewallAction::Accept;
                r.target = Some("port".into());
                if let Some((ranges, proto)) = port_and_protocol(port) {
                    r.protocol = Some(proto.to_string());
                    set_ports(&mut r, ranges);
                }
                push(r);
            }
        }
        "protocols" => {
            for proto in value.split_whitespace() {
                let mut r = rule("firewalld", proto);
                r.action = FirewallAction::Accept;
                r.target = Some("protocol".into());
                r.protocol = Some(proto.to_string());
                push(r);
            }
        }
        "rich rules" if value.starts_with("rule ") => {
            push(rich_rule(value));
        }
        _ => {}
    }
}

/// Reads a rich rule: `rule family="ipv4" source address="10.0.0.5" port port="9000"
/// protocol="tcp" reject type="icmp-host-prohibited"`.
fn rich_rule(t: &str) -> FirewallRule {
    let mut r = rule("firewalld", t);
    let mut element = "";
    let mut negate = false;
    let mut ranges = Vec::new();
    for word in words(t) {
        if let Some((key, value)) = word.split_once('=') {
            let value = unquote(value).to_string();
            match (element, key) {
                ("rule", "family") => {
                    r.family = Some(value);
                }
                ("source", "address" | "ipset" | "mac") => {
                    r.source = Some(if negate { format!("!{value}") } else { value });
                }
                ("destination", "address" | "ipset") => {
                    r.destination = Some(if negate { format!("!{value}") } else { value });
                }
                ("port", "port") => ranges.extend(port_list(&value)),
                ("port" | "forward-port", "protocol") | ("protocol", "value") => r.protocol = Some(value),
                ("service", "name") => {
                    if let Some((proto, service)) = service_ports(&value) {
                        r.protocol = Some(proto.to_string());
                        ranges.extend_from_slice(service);
                    }
                }
                ("reject", "type") => r.reject_with = Some(value),
                _ => {}
            }
            continue;
        }
        match word.as_str() {
            "NOT" => negate = true,
            "accept" | "drop" | "reject" | "mark" | "masquerade" | "forward-port" => {
                r.action = action_of(&word);
                element = match word.as_str() {
                    "reject" => "reject",
                    "forward-port" => "forward-port",
                    _ => "",
                };
                r.target = Some(word);
            }
            other => {
                const ELEMENTS: &[&str] = &[
                    "rule",
                    "source",
                    "destination",
                    "port",
                    "protocol",
                    "service",
                    "log",
                    "audit",
                    "limit",
                    "nflog",
                    "icmp-block",
                    "icmp-type",
                    "source-port",
                ];
                if let Some(e) = ELEMENTS.iter().find(|e| **e == other) {
                    element = e;
                }
                negate = false;
            }
        }
    }
    set_ports(&mut r, ranges);
    infer_family(&mut r);
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::FactType;

    fn read(text: &str) -> (Vec<Fact>, usize) {
        let p = parse(&ParseContext::new(text, 0));
        (p.facts.into_iter().map(|f| f.fact).collect(), p.unread.len())
    }

    fn rules(facts: &[Fact]) -> Vec<&FirewallRule> {
        facts.iter().filter_map(FirewallRule::pick).collect()
    }

    #[test]
    fn reads_list_all_with_rich_rules() {
        let text = "public (active)\n  target: default\n  icmp-block-inversion: no\n  interfaces: eth0\n  sources: \n  services: dhcpv6-client http ssh\n  ports: 8080/tcp 9000-9100/udp\n  protocols: \n  forward: yes\n  masquerade: no\n  forward-ports: \n\tport=80:proto=tcp:toport=8080:toaddr=\n  source-ports: \n  icmp-blocks: \n  rich rules: \n\trule family=\"ipv4\" source address=\"10.0.0.5\" port port=\"9000\" protocol=\"tcp\" reject\n\trule family=\"ipv4\" source NOT address=\"192.168.0.0/24\" service name=\"https\" drop\n\trule service name=\"http\" reject type=\"icmp-admin-prohibited\"\n";
        let (facts, unread) = read(text);
        assert_eq!(unread, 0);
        let r = rules(&facts);
        assert_eq!(r.len(), 9);
        assert!(r[0].is_policy && r[0].action == FirewallAction::Reject);
        assert_eq!(r[0].chain.as_deref(), Some("public"));
        assert_eq!(r[2].ports, Some((80, 80)));
        assert_eq!(r[3].ports, Some((22, 22)));
        assert_eq!(
            (r[4].ports, r[4].protocol.as_deref()),
            (Some((8080, 8080)), Some("tcp"))
        );
        assert_eq!(r[5].ports, Some((9000, 9100)));
        assert_eq!(r[6].action, FirewallAction::Reject);
        assert_eq!(r[6].source.as_deref(), Some("10.0.0.5"));
        assert_eq!(r[6].ports, Some((9000, 9000)));
        assert_eq!(r[6].family.as_deref(), Some("ipv4"));
        assert_eq!(r[7].source.as_deref(), Some("!192.168.0.0/24"));
        assert_eq!(r[7].action, FirewallAction::Drop);
        assert_eq!(r[8].reject_with.as_deref(), Some("icmp-admin-prohibited"));
    }

    #[test]
    fn all_zones_only_count_active_ones() {
        let text = "block\n  target: %%REJECT%%\n  services: \n\npublic (active)\n  target: default\n  services: ssh\n\ntrusted\n  target: ACCEPT\n  services: \n";
        let (facts, unread) = read(text);
        assert_eq!(unread, 0);
        let r = rules(&facts);
        assert_eq!(r.len(), 2);
        assert!(r.iter().all(|r| r.chain.as_deref() == Some("public")));
    }

    #[test]
    fn reads_state_and_bare_lists() {
        let (facts, _) = read("running\n");
        assert!(matches!(&facts[0], Fact::FirewallState(s) if s.active));
        let (facts, _) = read("not running\n");
        assert!(matches!(&facts[0], Fact::FirewallState(s) if !s.active));
        let (facts, unread) = read("cockpit dhcpv6-client ssh\n");
        assert_eq!((rules(&facts).len(), unread), (3, 0));
        let (facts, unread) = read("8080/tcp 443/tcp\n");
        assert_eq!((rules(&facts).len(), unread), (2, 0));
    }

    #[test]
    fn recognises_content() {
        assert!(is_strong_line("public (active)"));
        assert!(is_strong_line("  icmp-block-inversion: no"));
        assert!(!is_strong_line("services:"));
        assert!(is_strong_line("public"));
        assert!(!is_strong_line("home"));
        for junk in [
            "rule",
            "rule port port=",
            "(active)",
            " (active)",
            "é (active)",
            "rule family=\"",
        ] {
            let _ = read(junk);
        }
    }
}

//! `nft list ruleset` (and `nft list table|chain`, `nft -a` with `# handle N`): tables,
//! chains with `type ... hook ... priority ...; policy drop;`, rules (`tcp dport 8080 drop`,
//! `tcp dport { 80, 443 } accept`, `ip saddr 10.0.0.0/8 accept`, `ct state established,related
//! accept`, `iifname "lo" accept`, `reject with icmp type host-prohibited`, counters, comments),
//! and the named sets, maps and other objects whose bodies are read but give no fact.
//!
//! Facts: a [`FirewallRule`] per rule and one per base-chain policy (`is_policy`), with `table`
//! = `FAMILY NAME` (`inet filter`) and `chain` = the chain name. Ports from a named set
//! (`@web_ports`) or a negation (`!= 22`) are not resolved: `port_ranges` stays empty.

use crate::facts::{Fact, FactAt, FirewallAction, FirewallRule};
use crate::kind::Kind;
use crate::parse::firewall::{action_of, infer_family, port_list, rule, set_ports, unquote, words};
use crate::parse::registry::KindSpec;
use crate::parse::{ParseContext, Parsed};
use crate::span::lines;

/// How nft rulesets are recognised and parsed.
pub const SPEC: KindSpec = KindSpec {
    kind: Kind::Nftables,
    embeds: &[],
    command: |program, args| program == "nft" && args.contains(&"list"),
    file: |path| {
        let name = path.rsplit('/').next().unwrap_or(path);
        name == "nftables.conf" || name.ends_with(".nft")
    },
    line: Some(is_strong_line),
    block: score,
    parse,
};

const FAMILIES: &[&str] = &["ip", "ip6", "inet", "arp", "bridge", "netdev"];

/// `table inet filter {`, base-chain `type` lines and verdict rules with nft selectors.
pub fn is_strong_line(line: &str) -> bool {
    let t = strip_handle(line.trim());
    if table_header(t).is_some() || t.starts_with("# Warning: table ") && t.contains(" is managed by iptables-nft") {
        return true;
    }
    if t.starts_with("type ") && t.contains(" hook ") && t.contains(" priority ") {
        return true;
    }
    // A rule ends with a verdict or its handle: checked before the words are collected.
    if !t
        .split_whitespace()
        .next_back()
        .is_some_and(|l| is_verdict(l) || l.starts_with("handle"))
    {
        return false;
    }
    let w: Vec<&str> = t.split_whitespace().collect();
    let selector = w.windows(2).any(|p| {
        matches!(
            (p[0], p[1]),
            ("tcp" | "udp" | "th", "dport" | "sport")
                | ("ip" | "ip6", "saddr" | "daddr")
                | ("ct", "state")
                | ("meta", "l4proto" | "nfproto" | "iifname" | "oifname")
        )
    }) || w
        .first()
        .is_some_and(|f| matches!(*f, "iifname" | "oifname" | "iif" | "oif"));
    selector && w.last().is_some_and(|l| is_verdict(l) || l.starts_with("handle"))
}

fn is_verdict(word: &str) -> bool {
    matches!(
        word,
        "accept" | "drop" | "reject" | "queue" | "return" | "continue" | "masquerade"
    )
}

fn score(lines: &[&str]) -> f32 {
    let (mut total, mut strong, mut known) = (0usize, 0usize, 0usize);
    for line in lines {
        let t = strip_handle(line.trim());
        if t.is_empty() {
            continue;
        }
        total += 1;
        if is_strong_line(t) {
            strong += 1;
            known += 1;
        } else if t == "}" || t.starts_with("chain ") && t.ends_with('{') || t.starts_with("set ") || t.starts_with('#')
        {
            known += 1;
        }
    }
    if total == 0 || strong == 0 {
        return 0.0;
    }
    0.3 + 0.7 * (known as f32 / total as f32)
}

/// `table inet filter {` → "inet filter".
fn table_header(t: &str) -> Option<String> {
    let rest = t.strip_prefix("table ")?.strip_suffix('{')?.trim();
    let mut w = rest.split_whitespace();
    let first = w.next()?;
    let (family, name) = if FAMILIES.contains(&first) {
        (first, w.next()?)
    } else {
        ("ip", first)
    };
    w.next().is_none().then(|| format!("{family} {name}"))
}

/// What a `{` line opened.
#[derive(Clone, PartialEq)]
enum Block {
    Table(String),
    Chain(String),
    /// A set, map, flowtable, counter or other object: its body is data, not rules.
    Object,
}

/// Parses an nft ruleset.
pub fn parse(cx: &ParseContext<'_>) -> Parsed {
    let mut out = Parsed::default();
    // Each open block with the table and chain in force inside it.
    let mut stack: Vec<(Block, Option<String>, Option<String>)> = Vec::new();
    for line in lines(cx.text, cx.base) {
        let t = line.text.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        // `nft -a` handles: `chain INPUT { # handle 1`, `... accept # handle 12`.
        let t = strip_handle(t);
        let (table, chain) = stack
            .last()
            .map(|(_, table, chain)| (table.clone(), chain.clone()))
            .unwrap_or_default();
        let in_object = stack.last().is_some_and(|(b, _, _)| *b == Block::Object);
        if t.starts_with('}') {
            stack.pop();
            continue;
        }
        if let Some(name) = table_header(t) {
            stack.push((Block::Table(name.clone()), Some(name), None));
            continue;
        }
        if let Some(rest) = t.strip_prefix("chain ")
            && let Some(name) = rest.strip_suffix('{')
        {
            let name = name.trim().to_string();
            stack.push((Block::Chain(name.clone()), table, Some(name)));
            continue;
        }
        if t.ends_with('{') && !in_object {
            // `set allowed {`, `map m {`, `flowtable f {`, `counter c {`, `ct helper h {`...
            stack.push((Block::Object, table, chain));
            continue;
        }
        if in_object {
            if t.contains('{') && !t.contains('}') {
                // `elements = { a, b,` continuing on the next lines.
                stack.push((Block::Object, table, chain));
            } else if t.ends_with('}') && t.matches('}').count() > t.matches('{').count() {
                stack.pop();
            }
            continue;
        }
        let mut push = |r: FirewallRule| {
            out.facts.push(FactAt {
                span: line.span,
                fact: Fact::FirewallRule(Box::new(r)),
            })
        };
        if t.starts_with("type ") && t.contains(" hook ") {
            if let Some(policy) = t.split_once("policy ").map(|(_, p)| p.trim_end_matches(';').trim()) {
                let mut r = rule("nftables", t);
                r.table = table.clone();
                r.chain = chain.clone();
                r.action = action_of(policy);
                r.target = Some(policy.to_string());
                r.is_policy = true;
                family_of_table(&mut r);
                push(r);
            }
            continue;
        }
        if chain.is_some() {
            let mut r = read_rule(t);
            r.table = table;
            r.chain = chain;
            family_of_table(&mut r);
            push(r);
            continue;
        }
        if t.starts_with("flush ruleset") || t.starts_with("#!") || t.starts_with("include ") {
            continue;
        }
        out.unread.push(line.span);
    }
    out
}

/// `ip`/`ip6` tables are one family; `inet` tables say it per rule.
fn family_of_table(r: &mut FirewallRule) {
    if r.family.is_some() {
        return;
    }
    match r.table.as_deref().and_then(|t| t.split(' ').next()) {
        Some("ip") => r.family = Some("ipv4".into()),
        Some("ip6") => r.family = Some("ipv6".into()),
        _ => {}
    }
}

/// `... # handle 12` → `...`.
fn strip_handle(t: &str) -> &str {
    match t.rsplit_once(" # handle ") {
        Some((before, handle)) if handle.trim().bytes().all(|b| b.is_ascii_digit()) => before.trim_end(),
        _ => t,
    }
}

/// Reads one rule line.
fn read_rule(text: &str) -> FirewallRule {
    let mut r = rule("nftables", text);
    let w = words(text);
    let mut i = 0;
    let mut ranges = Vec::new();
    // A value after a selector, with an optional `!=` / `==` operator.
    let value_at = |i: usize| -> (Option<&String>, bool, usize) {
        match w.get(i).map(String::as_str) {
            Some("!=") => (w.get(i + 1), true, 2),
            Some("==") => (w.get(i + 1), false, 2),
            _ => (w.get(i), false, 1),
        }
    };
    while let Some(word) = w.get(i) {
        i += 1;
        match word.as_str() {
            "tcp" | "udp" | "sctp" | "dccp" | "th"
                if matches!(w.get(i).map(String::as_str), Some("dport" | "sport" | "flags")) =>
            {
                if word != "th" {
                    r.protocol = Some(word.clone());
                }
                let field = w[i].clone();
                let (value, negated, used) = value_at(i + 1);
                i += 1 + used;
                if field == "dport"
                    && !negated
                    && let Some(v) = value
                {
                    ranges.extend(port_list(v));
                }
            }
            "l4proto" | "protocol" => {
                let (value, negated, used) = value_at(i);
                i += used;
                if !negated && let Some(v) = value {
                    r.protocol = Some(v.trim_matches(['{', '}', ' ']).to_string());
                }
            }
            "ip" | "ip6" if matches!(w.get(i).map(String::as_str), Some("saddr" | "daddr")) => {
                let field = w[i].clone();
                let (value, negated, used) = value_at(i + 1);
                i += 1 + used;
                r.family = Some(if word == "ip" { "ipv4" } else { "ipv6" }.into());
                let value = value.map(|v| if negated { format!("!{v}") } else { v.clone() });
                if field == "saddr" {
                    r.source = value;
                } else {
                    r.destination = value;
                }
            }
            "nfproto" => {
                if let Some(v) = w.get(i) {
                    r.family = Some(v.clone());
                }
                i += 1;
            }
            "iif" | "iifname" | "oif" | "oifname" => {
                let (value, negated, used) = value_at(i);
                i += used;
                let value = value.map(|v| {
                    let v = unquote(v);
                    if negated { format!("!{v}") } else { v.to_string() }
                });
                if word.starts_with('i') {
                    r.in_interface = value;
                } else {
                    r.out_interface = value;
                }
            }
            "ct" if matches!(w.get(i).map(String::as_str), Some("state")) => {
                let (value, _, used) = value_at(i + 1);
                i += 1 + used;
                if value.is_some_and(|v| v == "vmap") {
                    // `ct state vmap { invalid : drop, established : accept }`
                    r.states = w.get(i).map(|m| m.trim_matches(['{', '}', ' ']).to_string());
                    r.target = Some("vmap".into());
                    i += 1;
                } else {
                    r.states = value.map(|v| v.trim_matches(['{', '}', ' ']).replace(", ", ","));
                }
            }
            "comment" | "prefix" | "packets" | "bytes" | "rate" | "burst" | "level" | "group" | "flags" => {
                i += 1;
            }
            "reject" => {
                r.action = FirewallAction::Reject;
                r.target = Some("reject".into());
                if w.get(i).map(String::as_str) == Some("with") {
                    let rest: Vec<&str> = w[i + 1..].iter().map(String::as_str).collect();
                    r.reject_with = Some(rest.join(" ")).filter(|s| !s.is_empty());
                    break;
                }
            }
            "accept" | "drop" | "queue" | "return" | "continue" | "masquerade" => {
                r.action = action_of(word);
                r.target = Some(word.clone());
            }
            "jump" | "goto" | "dnat" | "snat" | "redirect" => {
                r.action = FirewallAction::Other;
                // `jump DOCKER`, `dnat to 172.17.0.2:80`, `redirect to :8080`
                let mut parts = vec![word.clone()];
                if let Some(next) = w.get(i) {
                    parts.push(next.clone());
                    i += 1;
                    if next == "to"
                        && let Some(address) = w.get(i)
                    {
                        parts.push(address.clone());
                        i += 1;
                    }
                }
                r.target = Some(parts.join(" "));
            }
            _ => {}
        }
    }
    set_ports(&mut r, ranges);
    infer_family(&mut r);
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::test_support::facts_and_unread_count;

    const RULESET: &str = "table inet filter {\n\tset allowed {\n\t\ttype ipv4_addr\n\t\telements = { 10.0.0.1, 10.0.0.2,\n\t\t\t     10.0.0.3 }\n\t}\n\n\tchain input {\n\t\ttype filter hook input priority filter; policy drop;\n\t\tct state established,related accept\n\t\tiifname \"lo\" accept\n\t\ttcp dport 22 accept\n\t\ttcp dport { 80, 443 } accept\n\t\ttcp dport 8080 drop\n\t\tip saddr 10.0.0.0/8 accept\n\t\ttcp dport 8000-8100 counter packets 0 bytes 0 drop comment \"app range\"\n\t\tip saddr @allowed tcp dport != 22 accept # handle 12\n\t\tcounter packets 12 bytes 720 reject with icmp type host-prohibited\n\t}\n\n\tchain forward {\n\t\ttype filter hook forward priority filter; policy accept;\n\t\tjump DOCKER-USER\n\t}\n}\ntable ip nat {\n\tchain PREROUTING {\n\t\ttype nat hook prerouting priority dstnat; policy accept;\n\t\ttcp dport 80 dnat to 172.17.0.2:80\n\t}\n}\n";

    fn rules(text: &str) -> (Vec<FirewallRule>, usize) {
        facts_and_unread_count(parse, text)
    }

    #[test]
    fn reads_a_ruleset() {
        let (r, unread) = rules(RULESET);
        assert_eq!(unread, 0);
        assert_eq!(r.len(), 14, "{r:#?}");
        assert!(r[0].is_policy && r[0].action == FirewallAction::Drop);
        assert_eq!(r[0].table.as_deref(), Some("inet filter"));
        assert_eq!(r[0].chain.as_deref(), Some("input"));
        assert_eq!(r[1].states.as_deref(), Some("established,related"));
        assert_eq!(r[2].in_interface.as_deref(), Some("lo"));
        assert_eq!(r[4].port_ranges, vec![(80, 80), (443, 443)]);
        assert_eq!((r[5].ports, r[5].action), (Some((8080, 8080)), FirewallAction::Drop));
        assert_eq!(r[6].source.as_deref(), Some("10.0.0.0/8"));
        assert_eq!(r[7].ports, Some((8000, 8100)));
        assert_eq!(r[8].ports, None);
        assert_eq!(r[8].source.as_deref(), Some("@allowed"));
        assert_eq!(r[9].action, FirewallAction::Reject);
        assert_eq!(r[9].reject_with.as_deref(), Some("icmp type host-prohibited"));
        assert_eq!(r[11].target.as_deref(), Some("jump DOCKER-USER"));
        assert_eq!(r[13].family.as_deref(), Some("ipv4"));
        assert_eq!(r[13].target.as_deref(), Some("dnat to 172.17.0.2:80"));
    }

    #[test]
    fn recognises_content() {
        assert!(is_strong_line("table inet filter {"));
        assert!(is_strong_line("\t\ttcp dport 8080 drop"));
        assert!(!is_strong_line("server {"));
        assert!(!is_strong_line("drop the tcp dport idea"));
        let (r, _) =
            rules("table inet f {\nchain input {\nct state vmap { invalid : drop, established : accept }\n}\n}\n");
        assert_eq!(r[0].states.as_deref(), Some("invalid : drop, established : accept"));
        assert!(score(&RULESET.lines().collect::<Vec<_>>()) > 0.6);
        for junk in ["}", "}}}", "chain {", "tcp dport", "ip saddr", "reject with", "é {"] {
            let _ = rules(junk);
        }
    }
}

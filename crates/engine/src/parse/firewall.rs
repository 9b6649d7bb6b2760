//! Helpers shared by the firewall parsers (`iptables`, `nftables`, `ufw`, `firewalld`): verdict
//! words, port lists and ranges, well-known service ports, quoted-word splitting.

use crate::facts::{FirewallAction, FirewallRule};

/// A rule of `tool` with nothing but its text filled in.
pub fn rule(tool: &str, raw: &str) -> FirewallRule {
    FirewallRule {
        tool: tool.to_string(),
        raw: raw.trim().to_string(),
        ..Default::default()
    }
}

/// Sets `port_ranges` and `ports` (the first range) together.
pub fn set_ports(rule: &mut FirewallRule, ranges: Vec<(u16, u16)>) {
    rule.ports = ranges.first().copied();
    rule.port_ranges = ranges;
}

/// Fills `family` from the addresses when it is not known yet.
pub fn infer_family(rule: &mut FirewallRule) {
    if rule.family.is_some() {
        return;
    }
    let v6 = |a: &Option<String>| a.as_deref().is_some_and(|a| a.contains(':'));
    let v4 = |a: &Option<String>| {
        a.as_deref().is_some_and(|a| {
            let a = a.trim_start_matches('!');
            let host = a.split('/').next().unwrap_or(a);
            host.parse::<std::net::Ipv4Addr>().is_ok()
        })
    };
    if v6(&rule.source) || v6(&rule.destination) {
        rule.family = Some("ipv6".into());
    } else if v4(&rule.source) || v4(&rule.destination) {
        rule.family = Some("ipv4".into());
    }
}

/// The action a verdict or target word stands for, any case (`ACCEPT`, `allow`, `DENY`...).
pub fn action_of(word: &str) -> FirewallAction {
    match word.to_ascii_lowercase().as_str() {
        "accept" | "allow" | "limit" => FirewallAction::Accept,
        "drop" | "deny" => FirewallAction::Drop,
        "reject" | "%%reject%%" => FirewallAction::Reject,
        _ => FirewallAction::Other,
    }
}

/// `0.0.0.0/0`, `::/0`, `anywhere`, `Anywhere` → no address restriction.
pub fn is_anywhere(address: &str) -> bool {
    matches!(
        address,
        "0.0.0.0/0" | "::/0" | "anywhere" | "Anywhere" | "0/0" | "::0/0" | "0.0.0.0/0.0.0.0"
    )
}

/// The port of a number or a well-known service name (`/etc/services` names that matter here).
pub fn port_number(text: &str) -> Option<u16> {
    if let Ok(n) = text.parse() {
        return Some(n);
    }
    Some(match text {
        "http" | "www" | "www-http" => 80,
        "https" => 443,
        "ssh" => 22,
        "domain" => 53,
        "http-alt" | "webcache" => 8080,
        "pcsync-https" => 8443,
        "mysql" => 3306,
        "postgresql" | "postgres" => 5432,
        "redis" => 6379,
        "cslistener" => 9000,
        "irdmi" => 8000,
        "smtp" => 25,
        "ftp" => 21,
        _ => return None,
    })
}

/// Reads a port list: `80`, `8000:8100`, `8000-8100`, `80,443`, `80:90,443`, `{ 80, 443 }`,
/// service names. Empty when any element is unreadable or negated.
pub fn port_list(text: &str) -> Vec<(u16, u16)> {
    let t = text.trim().trim_start_matches('{').trim_end_matches('}');
    if t.contains('!') || t.contains('@') || t.contains('$') {
        return Vec::new();
    }
    let mut out = Vec::new();
    for element in t.split([',', ' ']).map(str::trim).filter(|e| !e.is_empty()) {
        // A service name may hold a dash (`http-alt`): try the whole element first.
        let range = match (port_number(element), element.split_once([':', '-'])) {
            (Some(p), _) => Some((p, p)),
            (None, Some((a, b))) => port_number(a).zip(port_number(b)),
            (None, None) => None,
        };
        match range {
            Some((a, b)) if a <= b => out.push((a, b)),
            _ => return Vec::new(),
        }
    }
    out
}

/// Ports a named service opens (firewalld services, ufw application profiles): protocol and
/// ranges. Names are matched without regard to case.
pub fn service_ports(name: &str) -> Option<(&'static str, &'static [(u16, u16)])> {
    Some(match name.to_ascii_lowercase().as_str() {
        "http" | "nginx http" | "apache" | "www" | "www http" => ("tcp", &[(80, 80)]),
        "https" | "nginx https" | "apache secure" | "www secure" => ("tcp", &[(443, 443)]),
        "nginx full" | "apache full" | "www full" => ("tcp", &[(80, 80), (443, 443)]),
        "http3" => ("udp", &[(443, 443)]),
        "ssh" | "openssh" => ("tcp", &[(22, 22)]),
        "cockpit" => ("tcp", &[(9090, 9090)]),
        "dhcpv6-client" => ("udp", &[(546, 546)]),
        "dhcp" => ("udp", &[(67, 67)]),
        "dns" | "bind9" => ("tcp", &[(53, 53)]),
        "mysql" => ("tcp", &[(3306, 3306)]),
        "postgresql" => ("tcp", &[(5432, 5432)]),
        "redis" => ("tcp", &[(6379, 6379)]),
        "mdns" => ("udp", &[(5353, 5353)]),
        "smtp" | "postfix" => ("tcp", &[(25, 25)]),
        "ntp" => ("udp", &[(123, 123)]),
        "jenkins" => ("tcp", &[(8080, 8080)]),
        "prometheus" => ("tcp", &[(9090, 9090)]),
        "kube-apiserver" => ("tcp", &[(6443, 6443)]),
        "docker-registry" => ("tcp", &[(5000, 5000)]),
        "elasticsearch" => ("tcp", &[(9200, 9200), (9300, 9300)]),
        _ => return None,
    })
}

/// Splits on whitespace, keeping `"quoted text"` and `{ set, elements }` as one word each.
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut quote = false;
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '"' if depth == 0 => {
                quote = !quote;
                current.push(c);
            }
            '{' if !quote => {
                depth += 1;
                current.push(c);
            }
            '}' if !quote && depth > 0 => {
                depth -= 1;
                current.push(c);
            }
            c if c.is_whitespace() && !quote && depth == 0 => {
                if !current.is_empty() {
                    out.push(std::mem::take(&mut current));
                }
            }
            c => current.push(c),
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// `"text"` → `text`.
pub fn unquote(text: &str) -> &str {
    text.strip_prefix('"').and_then(|t| t.strip_suffix('"')).unwrap_or(text)
}

/// A counter of `iptables -L -v`: `0`, `1234`, `100K`, `12M`.
pub fn is_counter(word: &str) -> bool {
    let digits = word.trim_end_matches(['K', 'M', 'G', 'T', 'P']);
    !digits.is_empty()
        && digits.len() + 1 >= word.len()
        && digits.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && digits.bytes().next().is_some_and(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_port_lists() {
        assert_eq!(port_list("80"), vec![(80, 80)]);
        assert_eq!(port_list("8000:8100"), vec![(8000, 8100)]);
        assert_eq!(port_list("{ 80, 443 }"), vec![(80, 80), (443, 443)]);
        assert_eq!(port_list("80:90,443"), vec![(80, 90), (443, 443)]);
        assert_eq!(port_list("http"), vec![(80, 80)]);
        assert_eq!(port_list("http-alt"), vec![(8080, 8080)]);
        assert!(port_list("!22").is_empty());
        assert!(port_list("@web_ports").is_empty());
        assert!(port_list("99999").is_empty());
        assert!(port_list("90:80").is_empty());
    }

    #[test]
    fn splits_words() {
        assert_eq!(
            words("tcp dport { 80, 443 } comment \"web in\" accept"),
            vec!["tcp", "dport", "{ 80, 443 }", "comment", "\"web in\"", "accept"]
        );
        assert!(is_counter("100K") && is_counter("0") && !is_counter("K") && !is_counter("ACCEPT"));
    }
}

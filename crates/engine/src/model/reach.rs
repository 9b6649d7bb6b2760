//! Reachability joins: can nginx reach the address it dials? What a pasted firewall does with
//! that connection, whether nginx itself runs in a container, and which lines are about an
//! HTTP-type (non-PHP) backend.
//!
//! - [`Model::firewall_verdicts`]: every pasted firewall chain that filters new TCP connections
//!   to the dialed address, with the rule (or policy) that decides them.
//! - [`Model::probes_to`]: an `nc`/`telnet`/`ping`/`ip neigh` probe of the dialed host (and port).
//! - [`Model::nginx_container_signs`]: the lines that show nginx runs in a container (docker
//!   bridge client address, musl errno texts, an nginx container or compose service, logs read
//!   with `docker logs` / `kubectl logs`).
//! - [`is_php_event`]: a line about a FastCGI / PHP-FPM backend (owned by the PHP rules).

use std::net::IpAddr;

use crate::facts::*;
use crate::model::{At, Model, endpoints};
use crate::number::fixed;
use crate::span::Span;

/// Which traffic a firewall chain filters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Connections arriving at the host the firewall runs on (`INPUT`, ufw incoming, a
    /// firewalld zone): blocks nginx when this is the backend's host, or for loopback.
    In,
    /// Connections leaving the host (`OUTPUT`, ufw outgoing): blocks nginx when this is
    /// nginx's host.
    Out,
}

/// What one firewall chain does with nginx's connection to the backend.
#[derive(Clone, Debug)]
pub struct FirewallVerdict<'a> {
    /// True when the connection is dropped or rejected.
    pub blocked: bool,
    /// The rule (or the policy) that decides.
    pub rule: At<'a, FirewallRule>,
    /// True when no rule matched and the chain's policy decides.
    pub by_policy: bool,
    /// The traffic the chain filters.
    pub direction: Direction,
}

/// The direction of a rule's chain, when it filters local traffic (not forwarding, not NAT).
pub fn direction(rule: &FirewallRule) -> Option<Direction> {
    if rule
        .table
        .as_deref()
        .is_some_and(|t| t.contains("nat") || t.contains("mangle") || t.contains("raw"))
    {
        return None;
    }
    if rule.tool == "firewalld" {
        return Some(Direction::In);
    }
    let chain = rule.chain.as_deref()?.to_ascii_lowercase();
    let raw = rule.raw.to_ascii_lowercase();
    if chain == "input" || chain == "incoming" || chain.starts_with("ufw-user-input") || raw.contains("hook input") {
        Some(Direction::In)
    } else if chain == "output"
        || chain == "outgoing"
        || chain.starts_with("ufw-user-output")
        || raw.contains("hook output")
    {
        Some(Direction::Out)
    } else {
        None
    }
}

/// Parses an address or network (`10.0.0.0/24`, `10.0.0.7`, `anywhere`).
fn network(text: &str) -> Option<(IpAddr, u8)> {
    let t = text.trim().trim_start_matches('!');
    let (addr, len) = match t.split_once('/') {
        Some((a, l)) => (a, Some(l.parse::<u8>().ok()?)),
        None => (t, None),
    };
    let ip: IpAddr = addr.trim_matches(['[', ']']).parse().ok()?;
    let max = if ip.is_ipv4() { 32 } else { 128 };
    Some((ip, len.unwrap_or(max).min(max)))
}

/// True when `ip` is inside `net`.
fn contains(net: (IpAddr, u8), ip: IpAddr) -> bool {
    match (net.0, ip) {
        (IpAddr::V4(n), IpAddr::V4(a)) => {
            let bits = u32::from(net.1);
            bits == 0 || (u32::from(n) ^ u32::from(a)) >> (32 - bits) == 0
        }
        (IpAddr::V6(n), IpAddr::V6(a)) => {
            let bits = u32::from(net.1);
            bits == 0 || (u128::from(n) ^ u128::from(a)) >> (128 - bits) == 0
        }
        _ => false,
    }
}

/// True when a network text (`0.0.0.0/0`, `anywhere`) means any address.
fn is_any(text: &str) -> bool {
    matches!(
        text.trim().to_ascii_lowercase().as_str(),
        "" | "anywhere" | "any" | "0.0.0.0/0" | "::/0" | "anywhere (v6)"
    )
}

/// True when `rule` applies to a new TCP connection to `host:port`. Sources are unknown (the
/// address nginx connects from), so a rule limited to a source is taken to match when it accepts
/// and not to when it blocks: a verdict never rests on a guess.
fn rule_matches(rule: &FirewallRule, host: &str, port: Option<u16>) -> bool {
    if rule.is_policy || rule.action == FirewallAction::Other {
        return false;
    }
    if rule
        .protocol
        .as_deref()
        .is_some_and(|p| !matches!(p.to_ascii_lowercase().as_str(), "tcp" | "all" | "ip" | "any" | "0"))
    {
        return false;
    }
    if let Some(states) = &rule.states {
        let s = states.to_ascii_lowercase();
        if !s.contains("new") {
            return false;
        }
    }
    let raw = rule.raw.to_ascii_lowercase();
    if raw.contains("! --dport") || raw.contains("dport !=") || raw.contains("! --dports") {
        return false;
    }
    if !rule.port_ranges.is_empty() {
        let Some(port) = port else { return false };
        if !rule.port_ranges.iter().any(|&(a, b)| a <= port && port <= b) {
            return false;
        }
    } else if raw.contains("dport") || raw.contains("port=") {
        // A port the parser could not read: no claim.
        return false;
    }
    let loopback = endpoints::is_loopback(host);
    let ip: Option<IpAddr> = host.trim_matches(['[', ']']).parse().ok();
    match (&rule.family, ip) {
        (Some(f), Some(IpAddr::V4(_))) if f == "ipv6" => return false,
        (Some(f), Some(IpAddr::V6(_))) if f == "ipv4" => return false,
        _ => {}
    }
    for iface in [&rule.in_interface, &rule.out_interface].into_iter().flatten() {
        let is_lo = iface == "lo";
        if is_lo != loopback {
            return false;
        }
    }
    if let Some(dest) = rule.destination.as_deref().filter(|d| !is_any(d)) {
        match (network(dest), ip) {
            (Some(net), Some(ip)) if contains(net, ip) => {}
            _ => return false,
        }
    }
    if rule.source.as_deref().is_some_and(|s| !is_any(s)) && rule.action != FirewallAction::Accept {
        return false;
    }
    true
}

impl<'a> Model<'a> {
    /// What each pasted firewall chain does with a new TCP connection to `dialed`: the first
    /// matching rule of the chain, else its policy. Chains that cannot filter this connection
    /// are left out: NAT and forwarding chains, and, for a loopback address, the ufw and
    /// firewalld front ends (both always accept `lo`).
    pub fn firewall_verdicts(&self, dialed: &Endpoint) -> Vec<FirewallVerdict<'a>> {
        let Endpoint::Tcp { host, port } = dialed else {
            return Vec::new();
        };
        let loopback = endpoints::is_loopback(host);
        let mut chains: Vec<(usize, String, String, Direction)> = Vec::new();
        for r in self.all::<FirewallRule>() {
            let Some(dir) = direction(&r) else { continue };
            if loopback && matches!(r.tool.as_str(), "ufw" | "firewalld") {
                continue;
            }
            let key = (
                r.artifact,
                r.tool.clone(),
                format!(
                    "{}/{}",
                    r.table.as_deref().unwrap_or(""),
                    r.chain.as_deref().unwrap_or("")
                ),
                dir,
            );
            if !chains.contains(&key) {
                chains.push(key);
            }
        }
        let mut out = Vec::new();
        for (artifact, tool, chain, dir) in chains {
            let rules: Vec<At<'a, FirewallRule>> = self
                .all::<FirewallRule>()
                .filter(|r| {
                    r.artifact == artifact
                        && r.tool == tool
                        && format!(
                            "{}/{}",
                            r.table.as_deref().unwrap_or(""),
                            r.chain.as_deref().unwrap_or("")
                        ) == chain
                })
                .collect();
            if let Some(rule) = rules.iter().find(|r| rule_matches(r, host, *port)) {
                out.push(FirewallVerdict {
                    blocked: rule.action != FirewallAction::Accept,
                    rule: *rule,
                    by_policy: false,
                    direction: dir,
                });
            } else if let Some(policy) = rules.iter().find(|r| r.is_policy) {
                out.push(FirewallVerdict {
                    blocked: matches!(policy.action, FirewallAction::Drop | FirewallAction::Reject),
                    rule: *policy,
                    by_policy: true,
                    direction: dir,
                });
            }
        }
        out
    }

    /// A curl failure (`curl: (7)` refused/unreachable, `(28)` timeout) from a command aimed at
    /// `dialed` (its host or port in the command line; any curl error when the command is not
    /// shown).
    pub fn curl_failure_to(&self, dialed: &Endpoint) -> Option<At<'a, CurlError>> {
        self.all::<CurlError>().find(|c| {
            matches!(c.code, 7 | 28)
                && match self.artifacts.get(c.artifact).and_then(|a| a.command.as_deref()) {
                    None => true,
                    Some(cmd) => match dialed {
                        Endpoint::Tcp { host, port } => {
                            (!host.is_empty() && cmd.contains(host.as_str()))
                                || port.is_some_and(|p| cmd.contains(&format!(":{p}")))
                        }
                        Endpoint::Unix { path } => cmd.contains(path.as_str()),
                    },
                }
        })
    }

    /// A probe (`nc -zv`, `telnet`, `ping`, `ip neigh`, `traceroute`) aimed at the dialed host:
    /// the same host, and the same port when the probe has one. A port probe to another port
    /// of that host says nothing about this one.
    pub fn probes_to(&self, dialed: &Endpoint) -> Vec<At<'a, ProbeResult>> {
        let Endpoint::Tcp { host, port } = dialed else {
            return Vec::new();
        };
        let same_host = |target: &str| {
            let target = target.trim_matches(['[', ']']);
            !target.is_empty()
                && (target.eq_ignore_ascii_case(host) || endpoints::is_loopback(target) && endpoints::is_loopback(host))
        };
        self.all::<ProbeResult>()
            .filter(|p| same_host(&p.target) && p.port.is_none_or(|a| port.is_none_or(|b| a == b)))
            .collect()
    }

    /// A line showing the nginx is ingress-nginx's: controller log lines, logs read from an
    /// ingress controller pod, or the controller's `upstreaminfo` access-log format. That nginx
    /// keeps upstream connections alive by default (`upstream-keepalive-connections` 320,
    /// `upstream-keepalive-timeout` 60 s).
    pub fn ingress_nginx_sign(&self) -> Option<(usize, Span)> {
        if let Some(c) = self.all::<ControllerEvent>().next() {
            return Some((c.artifact, c.span));
        }
        if let Some(a) = self
            .all::<AccessEntry>()
            .find(|a| a.other.iter().any(|(k, _)| k == "proxy_upstream_name"))
        {
            return Some((a.artifact, a.span));
        }
        self.all::<ErrorEvent>()
            .find(|e| {
                self.artifacts
                    .get(e.artifact)
                    .and_then(|a| a.command.as_deref())
                    .is_some_and(|c| c.contains("ingress") && (c.contains("kubectl") || c.contains("stern")))
            })
            .map(|e| (e.artifact, e.span))
    }

    /// A line showing the host itself is out of resources: little memory available with the
    /// swap nearly full, an OOM kill, a CPU saturated by I/O wait or with no idle time. A slow
    /// or failing backend on such a host is a symptom of the overload.
    pub fn host_overload_sign(&self) -> Option<(usize, Span, String)> {
        if let Some(o) = self.all::<OomKill>().next() {
            return Some((
                o.artifact,
                o.span,
                format!("the kernel killed {} for memory", o.process),
            ));
        }
        for m in self.all::<MemoryUsage>() {
            let available = m.available_mib.unwrap_or(m.free_mib);
            let swap_full =
                matches!((m.swap_total_mib, m.swap_used_mib), (Some(t), Some(u)) if t > 0.0 && u >= 0.8 * t);
            if m.total_mib > 0.0
                && available < 0.05 * m.total_mib
                && (swap_full || m.swap_total_mib.is_none_or(|t| t == 0.0))
            {
                return Some((
                    m.artifact,
                    m.span,
                    format!(
                        "only {} MiB of {} MiB memory available",
                        fixed(available, 0),
                        fixed(m.total_mib, 0)
                    ),
                ));
            }
        }
        for c in self.all::<CpuUsage>() {
            if c.idle < 3.0 || c.iowait.is_some_and(|w| w > 30.0) {
                return Some((
                    c.artifact,
                    c.span,
                    format!("the CPU is saturated ({}% idle)", fixed(c.idle, 0)),
                ));
            }
        }
        None
    }

    /// True when a firewall front end is shown inactive (`ufw status` inactive, firewalld not
    /// running), with the line that says so.
    pub fn firewall_inactive(&self) -> Option<At<'a, FirewallState>> {
        self.all::<FirewallState>().find(|s| !s.active)
    }

    /// Lines showing that nginx runs in a container, each with what it shows.
    pub fn nginx_container_signs(&self) -> Vec<(usize, Span, String)> {
        let mut out: Vec<(usize, Span, String)> = Vec::new();
        for e in self.all::<ErrorEvent>() {
            if out.iter().any(|(a, _, _)| *a == e.artifact) {
                continue;
            }
            if let Some(client) = e.client.as_deref()
                && is_docker_gateway(client)
            {
                out.push((
                    e.artifact,
                    e.span,
                    format!("the client {client} is a docker bridge gateway: this nginx runs in a container"),
                ));
                continue;
            }
            if let Some(text) = e.errno_text.as_deref()
                && is_musl_text(text)
            {
                out.push((
                    e.artifact,
                    e.span,
                    format!("\"{text}\" is musl's wording: this nginx runs in an Alpine-based image"),
                ));
                continue;
            }
            if let Some(cmd) = self.artifacts.get(e.artifact).and_then(|a| a.command.as_deref()) {
                let program = cmd.split_whitespace().find(|w| *w != "sudo").unwrap_or("");
                if matches!(program, "docker" | "podman" | "kubectl" | "docker-compose" | "oc") {
                    out.push((
                        e.artifact,
                        e.span,
                        format!("these nginx lines come from `{cmd}`: nginx runs in a container"),
                    ));
                }
            }
        }
        for c in self.all::<Container>() {
            if is_nginx_image(c.image.as_deref().unwrap_or(""), &c.name) {
                out.push((c.artifact, c.span, format!("nginx runs in the container {}", c.name)));
                break;
            }
        }
        for s in self.all::<ComposeService>() {
            if is_nginx_service(&s) {
                out.push((
                    s.artifact,
                    s.span,
                    format!("nginx runs as the compose service {}", s.name),
                ));
                break;
            }
        }
        out
    }
}

/// True for the compose service that runs nginx: an nginx-family image, or the nginx
/// configuration mounted into it.
pub fn is_nginx_service(s: &ComposeService) -> bool {
    is_nginx_image(s.image.as_deref().unwrap_or(""), &s.name) || s.volumes.iter().any(|v| v.contains(":/etc/nginx"))
}

/// True when a container image (or, without one, a name) is nginx's.
pub fn is_nginx_image(image: &str, name: &str) -> bool {
    let i = image.to_ascii_lowercase();
    let base = i.rsplit('/').next().unwrap_or(&i);
    let base = base.split([':', '@']).next().unwrap_or(base);
    if !base.is_empty() {
        return base.contains("nginx") || base.contains("openresty") || base.starts_with("angie");
    }
    name.to_ascii_lowercase().contains("nginx")
}

/// True for a docker bridge gateway address (`172.17.0.1` ... `172.31.0.1`, `172.18.0.1`): the
/// host side of a bridge, which is where published-port traffic to a container comes from.
pub fn is_docker_gateway(addr: &str) -> bool {
    let Ok(IpAddr::V4(ip)) = addr.trim().parse::<IpAddr>() else {
        return false;
    };
    let o = ip.octets();
    o[0] == 172 && (17..=31).contains(&o[1]) && o[3] == 1 && o[2] <= 1
}

/// True for a container or pod network address (docker bridges 172.17-31.x.x, Kubernetes pod
/// networks 10.42/10.244).
pub fn is_container_network(addr: &str) -> bool {
    let Ok(IpAddr::V4(ip)) = addr.trim().parse::<IpAddr>() else {
        return false;
    };
    let o = ip.octets();
    (o[0] == 172 && (17..=31).contains(&o[1])) || (o[0] == 10 && (o[1] == 244 || o[1] == 42))
}

/// True for errno texts only musl prints (reference §3).
pub fn is_musl_text(text: &str) -> bool {
    matches!(
        text,
        "Operation timed out"
            | "Host is unreachable"
            | "Address not available"
            | "Address in use"
            | "No file descriptors available"
            | "Network unreachable"
    )
}

/// True when a line is about a PHP-FPM / FastCGI backend: a `fastcgi://` upstream, or a unix
/// socket whose path names PHP. Those lines belong to the PHP rules.
pub fn is_php_event(e: &ErrorEvent) -> bool {
    if e.upstream.as_deref().is_some_and(|u| u.starts_with("fastcgi://")) {
        return true;
    }
    let peer = e.target.as_deref().unwrap_or("");
    peer.starts_with("unix:") && {
        let p = peer.to_ascii_lowercase();
        p.contains("php") || p.contains("fpm")
    }
}

/// What a connection error means, read from the errno number (Linux, BSD/macOS, Windows) or,
/// when the number is another system's, from its text (glibc or musl wording).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConnectErrno {
    /// ECONNREFUSED: nothing listens (or a tcp-reset reject).
    Refused,
    /// ETIMEDOUT: no answer.
    TimedOut,
    /// EHOSTUNREACH: no route to the host (or an ICMP reject).
    HostUnreachable,
    /// ENETUNREACH: no route to the network.
    NetworkUnreachable,
    /// ENOENT: no such socket file.
    NoSuchFile,
    /// EPERM: a local netfilter rule.
    NotPermitted,
}

/// The meaning of an error line's errno, when it is one of the connection errors.
pub fn connect_errno(e: &ErrorEvent) -> Option<ConnectErrno> {
    use ConnectErrno::*;
    let text = e.errno_text.as_deref().unwrap_or("").to_ascii_lowercase();
    let by_text = || {
        Some(if text.contains("refused") {
            Refused
        } else if text.contains("timed out") {
            TimedOut
        } else if text.contains("no route to host") || text.contains("host is unreachable") {
            HostUnreachable
        } else if text.contains("network is unreachable") || text == "network unreachable" {
            NetworkUnreachable
        } else if text.contains("no such file") {
            NoSuchFile
        } else if text.contains("not permitted") {
            NotPermitted
        } else {
            return None;
        })
    };
    match e.errno? {
        111 | 61 | 10061 => Some(Refused),
        110 | 60 | 10060 => Some(TimedOut),
        113 | 65 | 10065 => Some(HostUnreachable),
        101 | 51 | 10051 => Some(NetworkUnreachable),
        2 => Some(NoSuchFile),
        1 => Some(NotPermitted),
        _ => by_text(),
    }
}

/// Units that are not HTTP backends: a database or system service being down gives other
/// symptoms (a 500 from the application), not nginx's 502.
pub fn is_infrastructure_unit(unit: &str) -> bool {
    let u = unit.to_ascii_lowercase();
    [
        "mysql",
        "mariadb",
        "postgres",
        "redis",
        "mongo",
        "cron",
        "ssh",
        "firewalld",
        "ufw",
        "docker",
        "containerd",
        "certbot",
        "systemd-",
        "network",
        "snapd",
        "apparmor",
        "rsyslog",
        "fail2ban",
        "unattended",
        "apt-",
        "dbus",
        "getty",
        "chrony",
        "ntp",
        "polkit",
        "postfix",
        "exim",
        "dovecot",
        "named",
        "bind9",
        "dnsmasq",
        "resolved",
        "memcache",
        "elasticsearch",
        "rabbitmq",
        "kafka",
        "zookeeper",
        "apache2",
        "httpd",
        "iptables",
        "nftables",
        "auditd",
        "journald",
        "multipathd",
        "cloud-",
        "letsencrypt",
        "logrotate",
        "mail",
        "plymouth",
        "udev",
    ]
    .iter()
    .any(|w| u.contains(w))
        || [
            ".timer", ".mount", ".target", ".socket", ".path", ".slice", ".scope", ".device",
        ]
        .iter()
        .any(|s| u.ends_with(s))
}

/// The scheme of an error line's `upstream:` field (`http`, `fastcgi`, `uwsgi`...).
pub fn scheme_of(e: &ErrorEvent) -> Option<&str> {
    e.upstream.as_deref().and_then(|u| u.split_once("://")).map(|(s, _)| s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(raw: &str, action: FirewallAction) -> FirewallRule {
        FirewallRule {
            tool: "iptables".into(),
            chain: Some("OUTPUT".into()),
            action,
            raw: raw.into(),
            ..Default::default()
        }
    }

    #[test]
    fn rules_match_port_and_destination() {
        let mut drop = rule(
            "-A OUTPUT -d 10.20.0.0/24 -p tcp --dport 8080 -j DROP",
            FirewallAction::Drop,
        );
        drop.destination = Some("10.20.0.0/24".into());
        drop.protocol = Some("tcp".into());
        drop.port_ranges = vec![(8080, 8080)];
        assert!(rule_matches(&drop, "10.20.0.7", Some(8080)));
        assert!(!rule_matches(&drop, "10.20.1.7", Some(8080)));
        assert!(!rule_matches(&drop, "10.20.0.7", Some(9000)));
        assert!(!rule_matches(&drop, "backend", Some(8080)));
        let mut lo = rule("-A OUTPUT -o lo -j ACCEPT", FirewallAction::Accept);
        lo.out_interface = Some("lo".into());
        assert!(rule_matches(&lo, "127.0.0.1", Some(8080)));
        assert!(!rule_matches(&lo, "10.0.0.1", Some(8080)));
        let mut est = rule(
            "-A OUTPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
            FirewallAction::Accept,
        );
        est.states = Some("RELATED,ESTABLISHED".into());
        assert!(!rule_matches(&est, "10.0.0.1", Some(8080)));
    }

    #[test]
    fn networks_and_gateways() {
        assert!(contains(network("10.0.0.0/8").unwrap(), "10.9.8.7".parse().unwrap()));
        assert!(!contains(network("10.0.0.0/8").unwrap(), "11.0.0.1".parse().unwrap()));
        assert!(contains(network("0.0.0.0/0").unwrap(), "1.2.3.4".parse().unwrap()));
        assert!(is_docker_gateway("172.18.0.1"));
        assert!(!is_docker_gateway("172.18.0.5"));
        assert!(!is_docker_gateway("192.168.1.1"));
        assert!(is_nginx_image("nginx:1.27-alpine", "web"));
        assert!(is_nginx_image("docker.io/openresty/openresty:alpine", "x"));
        assert!(!is_nginx_image("node:20", "nginx-helper"));
    }
}

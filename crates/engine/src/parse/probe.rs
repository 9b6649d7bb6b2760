//! Connectivity probes: `ping`, `ip neigh`, `nc -zv` / `ncat`, `telnet` and `traceroute` output,
//! read into one `ProbeResult` per probed target (reachable, refused, timeout, unreachable,
//! no route, unknown host). These say whether the backend's host answers at all.

use crate::facts::{Fact, FactAt, ProbeResult};
use crate::kind::Kind;
use crate::parse::registry::{KindSpec, no_file};
use crate::parse::{ParseContext, Parsed};
use crate::span::{Span, lines};

/// How probe output is recognised and parsed.
pub const SPEC: KindSpec = KindSpec {
    kind: Kind::Probe,
    embeds: &[],
    command: |program, args| {
        matches!(
            program,
            "ping" | "ping6" | "nc" | "ncat" | "netcat" | "telnet" | "traceroute" | "tracepath" | "mtr"
        ) || (program == "ip" && args.iter().any(|a| a.starts_with("neigh")))
            || program == "arp"
    },
    file: no_file,
    line: Some(is_probe_line),
    block,
    parse,
};

/// What one line says, when it is a probe line.
enum Line {
    /// A probe starts: tool and target (`PING host (ip) ...`, `Trying ip...`, `traceroute to ...`).
    Start(&'static str, String),
    /// An outcome for the current (or a named) target.
    Outcome {
        tool: &'static str,
        target: Option<String>,
        port: Option<u16>,
        outcome: &'static str,
    },
    /// A line of the output that carries nothing more (statistics, hops, banners).
    Known,
}

fn read(text: &str) -> Option<Line> {
    let t = text.trim();
    if let Some(rest) = t.strip_prefix("PING ") {
        let host = rest.split_whitespace().next()?.to_string();
        return Some(Line::Start("ping", host));
    }
    if let Some(rest) = t.strip_prefix("traceroute to ") {
        return Some(Line::Start("traceroute", rest.split_whitespace().next()?.to_string()));
    }
    if let Some(rest) = t.strip_prefix("Trying ") {
        return Some(Line::Start(
            "telnet",
            rest.trim_end_matches("...").trim_end_matches('.').to_string(),
        ));
    }
    let outcome = |tool, target: Option<&str>, port, outcome| {
        Some(Line::Outcome {
            tool,
            target: target.map(str::to_string),
            port,
            outcome,
        })
    };
    // ping
    if t.contains(" bytes from ") && t.contains("icmp_seq") {
        return outcome("ping", None, None, "reachable");
    }
    if t.contains("Destination Host Unreachable") || t.contains("Destination Net Unreachable") {
        return outcome(
            "ping",
            None,
            None,
            if t.contains("Net") { "no-route" } else { "unreachable" },
        );
    }
    if t.starts_with("Request timeout for icmp_seq") || t.starts_with("no answer yet for icmp_seq") {
        return outcome("ping", None, None, "timeout");
    }
    if let Some(stats) = t
        .strip_suffix(" packet loss")
        .or_else(|| t.find(" packet loss").map(|i| &t[..i]))
    {
        let received = stats
            .split(", ")
            .nth(1)
            .and_then(|r| r.split_whitespace().next())
            .and_then(|n| n.parse::<u32>().ok());
        return match received {
            Some(0) if t.contains("errors") => outcome("ping", None, None, "unreachable"),
            Some(0) => outcome("ping", None, None, "timeout"),
            Some(_) => outcome("ping", None, None, "reachable"),
            None => Some(Line::Known),
        };
    }
    if (t.starts_with("ping: ") || t.starts_with("ping6: "))
        && (t.contains("unknown host")
            || t.contains("Name or service not known")
            || t.contains("Temporary failure in name resolution"))
    {
        return outcome("ping", None, None, "unknown-host");
    }
    if t.starts_with("connect: Network is unreachable") || t.starts_with("ping: connect: Network is unreachable") {
        return outcome("ping", None, None, "no-route");
    }
    if (t.starts_with("--- ") && t.ends_with(" statistics ---"))
        || t.starts_with("rtt min/avg/max")
        || t.starts_with("round-trip min/avg/max")
    {
        return Some(Line::Known);
    }
    // ip neigh: `192.168.10.31 dev ens18 FAILED`, `10.0.0.5 dev eth0 lladdr 52:54:00:12:34:56 REACHABLE`
    // Only the first two words are needed to reject most lines: no split of the whole line.
    let mut head = t.split_whitespace();
    let (first, second) = (head.next(), head.next());
    if second == Some("dev")
        && let Some(address) = first.filter(|w| w.parse::<std::net::IpAddr>().is_ok())
        && t.split_whitespace().nth(3).is_some()
    {
        let state = t.split_whitespace().next_back().unwrap_or("");
        let value = match state {
            "FAILED" | "INCOMPLETE" => "unreachable",
            "REACHABLE" | "STALE" | "DELAY" | "PROBE" | "PERMANENT" | "NOARP" => "reachable",
            _ => return Some(Line::Known),
        };
        return outcome("ip-neigh", Some(address), None, value);
    }
    // nc -zv / ncat
    if let Some(rest) = t.strip_prefix("Connection to ")
        && t.contains("succeeded")
    {
        let mut w = rest.split_whitespace();
        let host = w.next();
        let port = w.next().and_then(|p| p.parse().ok());
        return outcome("nc", host, port, "reachable");
    }
    if let Some(rest) = t
        .strip_prefix("nc: connect to ")
        .or_else(|| t.strip_prefix("nc: connectx to "))
    {
        let mut w = rest.split_whitespace();
        let host = w.next();
        let port = w.nth(1).and_then(|p| p.parse().ok());
        return outcome("nc", host, port, failure(t)?);
    }
    if let Some(rest) = t.strip_prefix("Ncat: ") {
        if rest.starts_with("Connected to ") {
            return outcome("nc", None, None, "reachable");
        }
        if rest.starts_with("Version") {
            return Some(Line::Known);
        }
        return outcome("nc", None, None, failure(rest)?);
    }
    // telnet
    // `Connected to 10.0.0.12.` (one host, a final period), not prose.
    if t.starts_with("Connected to ") && t.ends_with('.') && t.split_whitespace().count() == 3 {
        return outcome("telnet", None, None, "reachable");
    }
    if t.starts_with("Escape character is '^]'") {
        return Some(Line::Known);
    }
    if let Some(rest) = t
        .strip_prefix("telnet: Unable to connect to remote host: ")
        .or_else(|| t.strip_prefix("telnet: connect to address "))
    {
        return outcome("telnet", None, None, failure(rest)?);
    }
    if t.starts_with("telnet: could not resolve") {
        return outcome("telnet", None, None, "unknown-host");
    }
    // traceroute hops: ` 1  gateway (10.0.0.1)  0.321 ms ...`, ` 5  * * *`
    if let Some(first) = first
        && first.parse::<u8>().is_ok()
        && second.is_some()
        && (second == Some("*") || t.contains(" ms"))
    {
        return Some(Line::Known);
    }
    None
}

/// The outcome a failure message names.
fn failure(text: &str) -> Option<&'static str> {
    let t = text.to_ascii_lowercase();
    Some(if t.contains("refused") {
        "refused"
    } else if t.contains("timed out") || t.contains("timeout") {
        "timeout"
    } else if t.contains("no route to host") || t.contains("host is unreachable") {
        "unreachable"
    } else if t.contains("network is unreachable") || t.contains("network unreachable") {
        "no-route"
    } else if t.contains("not known") || t.contains("could not resolve") || t.contains("unknown host") {
        "unknown-host"
    } else {
        return None;
    })
}

/// True for a line only a probe prints.
pub fn is_probe_line(text: &str) -> bool {
    matches!(read(text), Some(Line::Start(..) | Line::Outcome { .. }))
}

fn block(lines: &[&str]) -> f32 {
    let mut total = 0;
    let mut hits = 0;
    let mut strong = 0;
    for l in lines.iter().filter(|l| !l.trim().is_empty()) {
        total += 1;
        match read(l) {
            Some(Line::Known) => hits += 1,
            Some(_) => {
                hits += 1;
                strong += 1;
            }
            None => {}
        }
    }
    if total == 0 || strong == 0 {
        0.0
    } else {
        hits as f32 / total as f32
    }
}

/// Parses probe output: one fact per probed target, with its first decisive outcome (a later
/// success overrides an earlier failure of the same target: the probe got through).
pub fn parse(cx: &ParseContext<'_>) -> Parsed {
    let mut out = Parsed::default();
    let mut target: Option<(&'static str, String, Span)> = None;
    let command_target = cx.command.and_then(|c| {
        let (_, args) = crate::split::program_and_args(c)?;
        let positional: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
        let host = positional
            .iter()
            .find(|a| a.parse::<u64>().is_err() && !matches!(a.as_str(), "neigh" | "neighbour" | "show" | "-c"))?;
        Some((
            (*host).clone(),
            positional.iter().rev().find_map(|a| a.parse::<u16>().ok()),
        ))
    });
    for line in lines(cx.text, cx.base) {
        if line.text.trim().is_empty() {
            continue;
        }
        match read(line.text) {
            Some(Line::Start(tool, host)) => target = Some((tool, host, line.span)),
            Some(Line::Outcome {
                tool,
                target: named,
                port,
                outcome,
            }) => {
                let name = named
                    .or_else(|| target.as_ref().map(|t| t.1.clone()))
                    .or_else(|| command_target.as_ref().map(|c| c.0.clone()))
                    .unwrap_or_default();
                let port = port.or_else(|| command_target.as_ref().and_then(|c| c.1).filter(|_| tool != "ping"));
                let tool = target.as_ref().map_or(tool, |t| {
                    if t.0 == "telnet" && tool == "nc" {
                        "telnet"
                    } else {
                        tool
                    }
                });
                let result = ProbeResult {
                    tool: tool.to_string(),
                    target: name,
                    port,
                    outcome: outcome.to_string(),
                    detail: line.text.trim().to_string(),
                };
                match out.facts.iter_mut().find(|f| matches!(&f.fact, Fact::ProbeResult(p) if p.target == result.target && p.tool == result.tool && p.port == result.port)) {
                    // A success later in the same probe wins; otherwise the first outcome stays.
                    Some(f) => {
                        if outcome == "reachable" {
                            f.fact = Fact::ProbeResult(Box::new(result));
                        }
                        f.span = f.span.join(line.span);
                    }
                    None => out.facts.push(FactAt { span: line.span, fact: Fact::ProbeResult(Box::new(result)) }),
                }
            }
            Some(Line::Known) => {}
            None => out.unread.push(line.span),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcomes(text: &str, command: Option<&str>) -> Vec<(String, String, Option<u16>, String)> {
        let cx = ParseContext {
            command,
            ..ParseContext::new(text, 0)
        };
        let parsed = parse(&cx);
        assert!(parsed.unread.is_empty(), "unread: {:?}", parsed.unread);
        parsed
            .facts
            .into_iter()
            .map(|f| match f.fact {
                Fact::ProbeResult(p) => (p.tool, p.target, p.port, p.outcome),
                _ => panic!(),
            })
            .collect()
    }

    #[test]
    fn reads_ping_outcomes() {
        let unreachable = "PING 192.168.10.31 (192.168.10.31) 56(84) bytes of data.\nFrom 192.168.10.5 icmp_seq=1 Destination Host Unreachable\n\n--- 192.168.10.31 ping statistics ---\n2 packets transmitted, 0 received, +2 errors, 100% packet loss, time 1019ms\n";
        assert_eq!(
            outcomes(unreachable, None),
            vec![("ping".into(), "192.168.10.31".into(), None, "unreachable".into())]
        );
        let ok =
            "PING 10.0.0.5 (10.0.0.5) 56(84) bytes of data.\n64 bytes from 10.0.0.5: icmp_seq=1 ttl=64 time=0.412 ms\n";
        assert_eq!(outcomes(ok, None)[0].3, "reachable");
        assert_eq!(
            outcomes("ping: app: Name or service not known\n", Some("ping app"))[0].1,
            "app"
        );
    }

    #[test]
    fn reads_tcp_probes_and_neighbours() {
        assert_eq!(
            outcomes(
                "nc: connect to 10.0.0.12 port 8080 (tcp) failed: Connection refused\n",
                None
            ),
            vec![("nc".into(), "10.0.0.12".into(), Some(8080), "refused".into())]
        );
        assert_eq!(
            outcomes("Connection to 10.0.0.12 8080 port [tcp/http-alt] succeeded!\n", None)[0].3,
            "reachable"
        );
        assert_eq!(
            outcomes(
                "Trying 10.0.0.12...\ntelnet: Unable to connect to remote host: No route to host\n",
                Some("telnet 10.0.0.12 8080")
            ),
            vec![("telnet".into(), "10.0.0.12".into(), Some(8080), "unreachable".into())]
        );
        assert_eq!(
            outcomes("192.168.10.31 dev ens18 FAILED\n", Some("ip neigh show 192.168.10.31"))[0].3,
            "unreachable"
        );
    }

    #[test]
    fn prose_is_not_a_probe() {
        assert!(!is_probe_line("I pinged the server and it answered"));
        assert!(!is_probe_line("Connected to the database"));
    }
}

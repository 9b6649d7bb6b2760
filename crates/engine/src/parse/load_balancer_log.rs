//! A load balancer's own log: Google Cloud's (`statusDetails`, as shown by Logs Explorer or as
//! JSON), the AWS ALB/ELB access log line, HAProxy's HTTP log line (`fe be/srv
//! Tq/Tw/Tc/Tr/Ta 503 217 - - SC-- ...`, bare or under a syslog header), and Traefik's error lines (`'502 Bad Gateway' caused
//! by: dial tcp 172.20.0.5:80: connect: connection refused`). A 502 the load balancer made itself
//! (its target answered nothing) is recorded as an `ErrorPage` fact of that producer, with the
//! reason it logged.

use crate::facts::{ErrorPageInfo, Fact, FactAt};
use crate::kind::Kind;
use crate::parse::registry::{KindSpec, no_command, share_of_lines};
use crate::parse::{ParseContext, Parsed};
use crate::span::{Span, lines};

/// How load balancer logs are recognised and parsed.
pub const SPEC: KindSpec = KindSpec {
    kind: Kind::LoadBalancerLog,
    embeds: &[],
    command: no_command,
    file: |path| path.contains("elasticloadbalancing") || path.ends_with(".log.gz") && path.contains("elb"),
    line: Some(|l| is_alb_line(l) || traefik_error(l).is_some() || haproxy_fields(l).is_some()),
    block: |lines| {
        let gcp = lines.iter().any(|l| {
            l.contains("loadbalancing.type.LoadBalancerLogEntry") || l.trim_start().starts_with("statusDetails")
        });
        if gcp {
            0.95
        } else {
            share_of_lines(lines, |l| {
                is_alb_line(l) || traefik_error(l).is_some() || haproxy_fields(l).is_some()
            })
        }
    },
    parse,
};

/// An AWS ALB/ELB access log line: `type time elb client:port target:port t1 t2 t3 elb_status
/// target_status ...` (ALB) or `time elb client:port target:port t1 t2 t3 elb_status
/// backend_status ...` (classic ELB).
fn alb_fields(text: &str) -> Option<(u16, String)> {
    let words: Vec<&str> = text.split_whitespace().take(12).collect();
    let start = match words.first()? {
        &("http" | "https" | "h2" | "grpcs" | "ws" | "wss") => 1,
        _ => 0,
    };
    let time = words.get(start)?;
    if !(time.len() >= 20 && time.as_bytes().get(4) == Some(&b'-') && time.contains('T')) {
        return None;
    }
    let client = words.get(start + 2)?;
    if !client.contains(':') {
        return None;
    }
    // Three processing times, then the load balancer's status and the target's.
    let times = &words.get(start + 4..start + 7)?;
    if !times.iter().all(|t| crate::number::parse(t).is_some()) {
        return None;
    }
    let status = words.get(start + 7)?.parse().ok()?;
    let target_status = words.get(start + 8)?.to_string();
    Some((status, target_status))
}

/// Traefik's line for a response it made itself: `'502 Bad Gateway' caused by: REASON` (logfmt
/// `msg="..."` or JSON `"msg":"..."`, quotes escaped or not): the status and the reason.
fn traefik_error(text: &str) -> Option<(u16, String)> {
    let at = text.find("' caused by: ")?;
    let head = &text[..at];
    let quote = head.rfind('\'')?;
    let status: u16 = head[quote + 1..].split_whitespace().next()?.parse().ok()?;
    // The message ends at its closing quote (an escaped `\"` inside it does not end it).
    let rest = &text[at + "' caused by: ".len()..];
    let bytes = rest.as_bytes();
    let end = (0..bytes.len())
        .find(|&i| bytes[i] == b'"' && (i == 0 || bytes[i - 1] != b'\\'))
        .unwrap_or(rest.len());
    let reason = rest[..end].trim_end().to_string();
    (500..600).contains(&status).then_some((status, reason))
}

/// HAProxy's HTTP log line: `client:port [date] frontend backend/server Tq/Tw/Tc/Tr/Ta status
/// bytes req_cookie res_cookie FLAGS ...`: the status, the server and the termination state.
fn haproxy_fields(text: &str) -> Option<(u16, String, String)> {
    let inner = crate::parse::wrapped::unwrap(text).inner;
    // Cheap refusal first: this runs on every line while a paste is split into pieces.
    if !inner.contains(" [") || !inner.contains('/') {
        return None;
    }
    let words: Vec<&str> = inner.split_whitespace().take(11).collect();
    let client = words.first()?;
    if !(client.contains(':') && words.get(1)?.starts_with('[')) {
        return None;
    }
    // The date may hold no space (`[21/Nov/2026:19:00:00.123]`).
    let at = words.iter().position(|w| w.ends_with(']'))?;
    let server = words.get(at + 2)?;
    let timers = words.get(at + 3)?;
    if !server.contains('/') || timers.split('/').count() != 5 {
        return None;
    }
    if !timers
        .split('/')
        .all(|t| t.trim_start_matches(['+', '-']).bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let status = words.get(at + 4)?.parse().ok()?;
    let flags = words.get(at + 8)?;
    (flags.len() == 4).then(|| (status, server.to_string(), flags.to_string()))
}

/// What HAProxy's termination state says about a response it made itself.
fn haproxy_reason(flags: &str, server: &str) -> String {
    let target = server.split_once('/').map_or(server, |(_, s)| s);
    let at = if target == "<NOSRV>" {
        "no server of the backend was available".to_string()
    } else {
        format!("server {target}")
    };
    match &flags[..2] {
        "SC" => format!("HAProxy could not connect: {at} refused or reset the connection (SC)"),
        "sC" => format!("HAProxy's connection to {at} timed out (sC)"),
        "sH" => format!("{at} did not send its response headers in time (sH)"),
        "SH" => format!("{at} closed the connection or sent an invalid response before its headers (SH)"),
        "PH" => format!("HAProxy rejected {at}'s response headers as invalid (PH)"),
        "SD" => format!("{at} aborted the response mid-body (SD)"),
        _ if target == "<NOSRV>" => at,
        other => format!("termination state {other} for {at}"),
    }
}

/// True for an ALB/ELB access log line.
pub fn is_alb_line(text: &str) -> bool {
    alb_fields(text).is_some()
}

/// The fact of a 5xx the load balancer `producer` made itself.
fn page(span: Span, status: Option<u16>, producer: &str, detail: Option<String>) -> FactAt {
    FactAt {
        span,
        fact: Fact::ErrorPage(Box::new(ErrorPageInfo {
            status,
            producer: producer.into(),
            version: None,
            detail,
        })),
    }
}

/// Parses a load balancer log.
pub fn parse(cx: &ParseContext<'_>) -> Parsed {
    let mut out = Parsed::default();
    let mut gcp: Option<(Span, Option<u16>, Option<String>)> = None;
    for line in lines(cx.text, cx.base) {
        let t = line.text.trim();
        if t.is_empty() {
            continue;
        }
        if let Some((status, target)) = alb_fields(t) {
            if (500..600).contains(&status) {
                let detail = if target == "-" {
                    "the target sent no response (target status -)".into()
                } else {
                    format!("the target answered {target}")
                };
                out.facts.push(page(line.span, Some(status), "aws-elb", Some(detail)));
            }
            continue;
        }
        if let Some((status, server, flags)) = haproxy_fields(t) {
            // A response the server sent (`----`) is not HAProxy's own; nor is a success.
            if (500..600).contains(&status) && flags != "----" {
                let detail = haproxy_reason(&flags, &server);
                out.facts.push(page(line.span, Some(status), "haproxy", Some(detail)));
            }
            continue;
        }
        if let Some((status, reason)) = traefik_error(t) {
            let detail = format!("Traefik could not get a response from its backend: {reason}");
            out.facts.push(page(line.span, Some(status), "traefik", Some(detail)));
            continue;
        }
        // Google Cloud: `status: 502`, `statusDetails: "backend_connection_closed..."` (YAML-ish
        // from Logs Explorer, or JSON).
        let kv = t
            .trim_end_matches(',')
            .split_once(':')
            .map(|(k, v)| (k.trim().trim_matches('"'), v.trim().trim_matches(['"', ',', ' '])));
        match kv {
            Some(("status", v)) if v.parse::<u16>().is_ok() => {
                let entry = gcp.get_or_insert((line.span, None, None));
                entry.0 = entry.0.join(line.span);
                entry.1 = v.parse().ok();
            }
            Some(("statusDetails", v)) => {
                let entry = gcp.get_or_insert((line.span, None, None));
                entry.0 = entry.0.join(line.span);
                entry.2 = Some(v.to_string());
            }
            Some((key, _)) if key.chars().all(|c| c.is_ascii_alphanumeric() || c == '@' || c == '_') => {}
            _ if t == "}" || t == "{" || t.ends_with('{') => {}
            _ => out.unread.push(line.span),
        }
    }
    if let Some((span, status, detail)) = gcp
        && (status.is_some_and(|s| s >= 500) || detail.is_some())
    {
        out.facts.push(page(span, status, "google-lb", detail));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_haproxy_http_log_lines() {
        let text = "Nov 21 19:00:00 lb1 haproxy[811]: 203.0.113.5:51000 [21/Nov/2026:19:00:00.123] fe_https~ be_web/web1 0/0/-1/-1/3002 503 217 - - SC-- 1/1/0/0/3 0/0 \"GET / HTTP/1.1\"\n10.0.0.1:40000 [21/Nov/2026:19:00:01.000] fe be/<NOSRV> 0/-1/-1/-1/0 503 217 - - SC-- 1/1/0/0/0 0/0 \"GET / HTTP/1.1\"\n10.0.0.1:40001 [21/Nov/2026:19:00:02.000] fe be/web2 0/0/1/30001/30002 504 194 - - sH-- 1/1/0/0/0 0/0 \"GET /slow HTTP/1.1\"\n10.0.0.1:40002 [21/Nov/2026:19:00:03.000] fe be/web2 0/0/1/5/6 502 300 - - ---- 1/1/0/0/0 0/0 \"GET /x HTTP/1.1\"\n";
        let parsed = parse(&ParseContext::new(text, 0));
        assert!(parsed.unread.is_empty(), "{parsed:?}");
        let details: Vec<(Option<u16>, String)> = parsed
            .facts
            .iter()
            .map(|f| match &f.fact {
                Fact::ErrorPage(p) if p.producer == "haproxy" => (p.status, p.detail.clone().unwrap_or_default()),
                _ => panic!(),
            })
            .collect();
        assert_eq!(
            details.len(),
            3,
            "the server's own 502 (----) is not HAProxy's: {details:?}"
        );
        assert!(details[0].1.contains("server web1 refused"), "{}", details[0].1);
        assert!(
            details[1].1.starts_with("HAProxy could not connect: no server"),
            "{}",
            details[1].1
        );
        assert_eq!(details[2].0, Some(504));
        assert!(details[2].1.contains("(sH)"));
    }

    #[test]
    fn reads_traefik_error_lines() {
        let text = "time=\"2026-11-21T10:00:00Z\" level=debug msg=\"'502 Bad Gateway' caused by: dial tcp 172.20.0.5:80: connect: connection refused\"\n{\"level\":\"debug\",\"msg\":\"'504 Gateway Timeout' caused by: i/o timeout\",\"time\":\"2026-11-21T10:00:01Z\"}\n";
        let parsed = parse(&ParseContext::new(text, 0));
        assert!(parsed.unread.is_empty(), "{parsed:?}");
        let pages: Vec<(Option<u16>, String, String)> = parsed
            .facts
            .iter()
            .map(|f| match &f.fact {
                Fact::ErrorPage(p) => (p.status, p.producer.clone(), p.detail.clone().unwrap_or_default()),
                _ => panic!(),
            })
            .collect();
        assert_eq!(pages[0].0, Some(502));
        assert_eq!(pages[0].1, "traefik");
        assert!(
            pages[0]
                .2
                .ends_with("dial tcp 172.20.0.5:80: connect: connection refused"),
            "{}",
            pages[0].2
        );
        assert_eq!(pages[1].0, Some(504));
        assert!(pages[1].2.ends_with(": i/o timeout"), "{}", pages[1].2);
        assert!(traefik_error("msg=\"'200 OK' caused by: x\"").is_none());
    }

    #[test]
    fn reads_gcp_entries() {
        let text = "httpRequest: {\n  requestMethod: \"POST\"\n  status: 502\n}\njsonPayload: {\n  @type: \"type.googleapis.com/google.cloud.loadbalancing.type.LoadBalancerLogEntry\"\n  statusDetails: \"backend_connection_closed_before_data_sent_to_client\"\n}\n";
        let parsed = parse(&ParseContext::new(text, 0));
        assert!(parsed.unread.is_empty(), "{parsed:?}");
        let Fact::ErrorPage(p) = &parsed.facts[0].fact else {
            panic!()
        };
        assert_eq!((p.status, p.producer.as_str()), (Some(502), "google-lb"));
        assert_eq!(
            p.detail.as_deref(),
            Some("backend_connection_closed_before_data_sent_to_client")
        );
    }

    #[test]
    fn reads_alb_access_lines() {
        let line = "https 2024-09-12T14:20:31.123456Z app/my-alb/50dc6c495c0c9188 192.0.2.10:46532 10.0.0.12:80 0.000 0.001 -1 502 - 150 295 \"GET https://example.com:443/ HTTP/1.1\" \"curl/8.0\" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2";
        assert!(is_alb_line(line));
        let parsed = parse(&ParseContext::new(line, 0));
        let Fact::ErrorPage(p) = &parsed.facts[0].fact else {
            panic!()
        };
        assert_eq!((p.status, p.producer.as_str()), (Some(502), "aws-elb"));
        assert!(!is_alb_line("2026/11/21 10:00:00 [error] 1#1: *1 connect() failed"));
    }
}

//! ingress-nginx controller log: Go klog lines (`W1121 10:00:00.123456       7 controller.go:1100]
//! Service "default/web" does not have any active Endpoint.`), the start-up banner, and the
//! endpoint warning pasted without its klog header. The nginx access and error lines the
//! controller's pod also prints are left to those kinds (the splitter cuts them out, and they
//! are unread here).

use crate::facts::{ControllerEvent, Fact, FactAt};
use crate::kind::Kind;
use crate::parse::registry::{KindSpec, share_of_lines};
use crate::parse::wrapped;
use crate::parse::{ParseContext, Parsed};
use crate::span::lines;

/// How controller logs are recognised and parsed.
pub const SPEC: KindSpec = KindSpec {
    kind: Kind::IngressControllerLog,
    embeds: &[],
    command: |program, args| {
        program == "kubectl"
            && args.first() == Some(&"logs")
            && args.iter().any(|a| a.contains("ingress") && a.contains("controller"))
    },
    file: |_| false,
    line: Some(|l| {
        let inner = wrapped::unwrap(l).inner;
        klog(inner).is_some() || endpoint_warning(inner).is_some()
    }),
    // The banner counts only beside controller lines (`nginx version:` alone is `nginx -v`).
    block: |lines| {
        let controller = |l: &str| {
            let inner = wrapped::unwrap(l).inner;
            klog(inner).is_some() || endpoint_warning(inner).is_some()
        };
        if !lines.iter().any(|l| controller(l)) {
            return 0.0;
        }
        share_of_lines(lines, |l| controller(l) || is_banner(wrapped::unwrap(l).inner))
    },
    parse,
};

/// A klog line's parts.
#[derive(Debug, PartialEq)]
struct Klog<'a> {
    severity: &'a str,
    time: &'a str,
    source: &'a str,
    message: &'a str,
}

/// `W1121 10:00:00.123456       7 controller.go:1100] message`.
fn klog(text: &str) -> Option<Klog<'_>> {
    let t = text.trim_start();
    let b = t.as_bytes();
    if b.len() < 22 || !matches!(b[0], b'I' | b'W' | b'E' | b'F') || !b[1..5].iter().all(u8::is_ascii_digit) {
        return None;
    }
    if b[5] != b' ' || b[8] != b':' || b[11] != b':' {
        return None;
    }
    let severity = &t[..1];
    let (stamp, rest) = t[1..].split_once(' ')?;
    let (clock, rest) = rest.split_once(' ')?;
    let time = t.get(1..1 + stamp.len() + 1 + clock.len())?;
    let rest = rest.trim_start();
    let (thread, rest) = rest.split_once(' ')?;
    if thread.is_empty() || !thread.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (source, message) = rest
        .split_once("] ")
        .or_else(|| rest.strip_suffix(']').map(|s| (s, "")))?;
    if !source.contains(':') || source.contains(' ') {
        return None;
    }
    Some(Klog {
        severity,
        time,
        source,
        message,
    })
}

/// `Service "default/web" does not have any active Endpoint` → `default/web`.
fn endpoint_warning(message: &str) -> Option<&str> {
    let (_, rest) = message.split_once("Service \"")?;
    let (name, after) = rest.split_once('"')?;
    after
        .trim_start()
        .starts_with("does not have any active Endpoint")
        .then_some(name)
}

/// The controller's start-up banner (`NGINX Ingress controller`, `Release:`, separators).
fn is_banner(text: &str) -> bool {
    let t = text.trim();
    (t.len() >= 10 && t.bytes().all(|b| b == b'-'))
        || t == "NGINX Ingress controller"
        || ["Release:", "Build:", "Repository:", "nginx version:"]
            .iter()
            .any(|p| t.starts_with(p))
}

/// Parses a controller log piece.
pub fn parse(cx: &ParseContext<'_>) -> Parsed {
    let mut out = Parsed::default();
    for line in lines(cx.text, cx.base) {
        let inner = wrapped::unwrap(line.text).inner;
        if inner.trim().is_empty() || is_banner(inner) {
            continue;
        }
        let event = match klog(inner) {
            Some(k) => Some(ControllerEvent {
                severity: k.severity.to_string(),
                message: k.message.trim_end().to_string(),
                service_without_endpoints: endpoint_warning(k.message).map(str::to_string),
                time: Some(k.time.to_string()),
                source: Some(k.source.to_string()),
            }),
            None => endpoint_warning(inner).map(|service| ControllerEvent {
                message: inner.trim().to_string(),
                service_without_endpoints: Some(service.to_string()),
                ..Default::default()
            }),
        };
        match event {
            Some(e) => out.facts.push(FactAt {
                span: line.span,
                fact: Fact::ControllerEvent(Box::new(e)),
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
    fn reads_klog_lines() {
        let text = "-------------------------------------------------------------------------------\nNGINX Ingress controller\n  Release:       v1.9.4\n-------------------------------------------------------------------------------\n\nW1121 10:00:00.123456       7 controller.go:1100] Service \"default/web\" does not have any active Endpoint.\nI1121 10:00:01.000001       7 store.go:440] \"Found valid IngressClass\" ingress=\"default/web\"\n192.168.1.1 - - [21/Nov/2026:10:00:00 +0000] \"GET / HTTP/1.1\" 503 190 \"-\" \"curl/8.5.0\"\nService \"nginx-ingress-default-backend\" does not have any active Endpoint\n";
        let parsed = parse(&ParseContext::new(text, 0));
        assert_eq!(parsed.facts.len(), 3);
        assert_eq!(parsed.unread.len(), 1);
        let Fact::ControllerEvent(w) = &parsed.facts[0].fact else {
            panic!()
        };
        assert_eq!(w.severity, "W");
        assert_eq!(w.time.as_deref(), Some("1121 10:00:00.123456"));
        assert_eq!(w.source.as_deref(), Some("controller.go:1100"));
        assert_eq!(w.service_without_endpoints.as_deref(), Some("default/web"));
        let Fact::ControllerEvent(bare) = &parsed.facts[2].fact else {
            panic!()
        };
        assert_eq!(bare.severity, "");
        assert_eq!(
            bare.service_without_endpoints.as_deref(),
            Some("nginx-ingress-default-backend")
        );
        assert!(klog("W11").is_none());
        assert!(klog("Warning: something").is_none());
    }
}

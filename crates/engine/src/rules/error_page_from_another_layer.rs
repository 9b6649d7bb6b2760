//! `error-page-from-another-layer`: the 502 page was made by a CDN, load balancer or proxy in
//! front of nginx, not by nginx.
//!
//! ## What it looks for
//! A 5xx response whose `Server:` header or page names another producer (`cloudflare` with
//! `cf-ray`, `awselb/2.0`, Google's front end, `envoy`, HAProxy, Varnish...) or a layer's own log
//! line (ALB, Google Cloud, HAProxy, Traefik), corroborated by the
//! server side: nginx's access log without 5xx (or nothing for the failing period), an error log
//! with nothing that makes a 502, and a direct request to the origin answering 2xx.
//!
//! ## Why it matters
//! The layer in front failed to reach nginx or refused nginx's answer (an idle connection nginx
//! closed, a TLS or timeout setting of the layer). Nothing in nginx's upstream configuration is
//! involved; the layer's own logs and settings are.
//!
//! ## Weakened by
//! nginx's own 502 page behind a `Server: cloudflare` header (the origin made it, the CDN relayed
//! it); nginx errors that make a 502; nginx being down (the layer's page is then a symptom:
//! nginx-not-running).

use crate::cause::Cause;
use crate::facts::*;
use crate::model::Model;
use crate::model::layers::{is_nginx_producer, producer_of};
use crate::rules::{Draft, Rule};

/// The rule.
pub const RULE: Rule = Rule {
    id: "error-page-from-another-layer",
    cause: Cause::OtherLayer502,
    doc: "the 5xx response or page names another producer (Server: cloudflare, awselb/2.0, Google front end, envoy...) and nginx's own logs show no failure",
    check,
};

/// How a producer id reads in a title.
fn label(producer: &str) -> &str {
    match producer {
        "cloudflare" => "Cloudflare",
        "aws-elb" => "the AWS load balancer",
        "google-lb" => "the Google Cloud load balancer",
        "azure-app-gateway" => "the Azure Application Gateway",
        "cloudfront" => "CloudFront",
        "ingress-default-backend" => "the ingress default backend",
        "traefik" => "Traefik",
        "haproxy" => "HAProxy",
        other => other,
    }
}

fn check(model: &Model<'_>, out: &mut Vec<Draft>) {
    // nginx's own page anywhere: the origin made the 502, whatever the headers say.
    let nginx_page = model
        .all::<ErrorPageInfo>()
        .find(|p| is_nginx_producer(&p.producer) && p.status.is_none_or(|s| s >= 500));
    let from_page = model
        .all::<ErrorPageInfo>()
        .find(|p| {
            // The ingress default backend's 503/404 is Kubernetes without endpoints, not a layer.
            !matches!(p.producer.as_str(), "unknown" | "ingress-default-backend")
                && !is_nginx_producer(&p.producer)
                && p.status.is_none_or(|s| s >= 500)
        })
        .map(|p| (p.artifact, p.span, p.producer.clone(), p.status));
    let page_detail = model
        .all::<ErrorPageInfo>()
        .find(|p| from_page.as_ref().is_some_and(|f| (f.0, f.1) == (p.artifact, p.span)))
        .and_then(|p| p.detail.clone());
    let from_header = model.all::<HttpResponse>().find_map(|r| {
        let who = producer_of(&r)?;
        (r.status >= 500 && !is_nginx_producer(who)).then(|| (r.artifact, r.span, who.to_string(), Some(r.status)))
    });
    let Some((artifact, span, producer, status)) = from_page.clone().or(from_header.clone()) else {
        return;
    };
    if let Some(page) = nginx_page
        && from_page.is_none()
    {
        // `Server: cloudflare` with nginx's body: the origin's nginx made it.
        let _ = page;
        return;
    }
    let status = status.unwrap_or(502);
    let mut confidence: f32 = 0.72;
    let mut d = Draft::new(
        Cause::OtherLayer502,
        confidence,
        format!("the {status} comes from {}, not from nginx", label(&producer)),
    );
    // Cloudflare also puts `server: cloudflare` on the origin's own 502 it relays: without the
    // page, the headers alone do not tell who made it.
    if from_page.is_none() && producer == "cloudflare" && status == 502 {
        d.support(
            artifact,
            span,
            "Cloudflare relays the origin's own 502 with the same headers: the page body tells them apart",
        );
        confidence -= 0.2;
    }
    // Cloudflare's own codes say what it saw at the origin.
    let meaning = match (producer.as_str(), status) {
        ("cloudflare", 520) => {
            Some("520: the origin answered with something Cloudflare could not use (empty or invalid)")
        }
        ("cloudflare", 521) => {
            Some("521: the origin refused the connection (nginx down, or Cloudflare's addresses blocked)")
        }
        ("cloudflare", 522) => Some("522: connecting to the origin timed out (firewall, or the origin is overloaded)"),
        ("cloudflare", 523) => Some("523: Cloudflare cannot route to the origin (wrong DNS record)"),
        ("cloudflare", 524) => Some("524: the origin accepted but answered after 100 s"),
        ("cloudflare", 525) => Some("525: the TLS handshake between Cloudflare and the origin failed"),
        ("cloudflare", 526) => Some("526: the origin's certificate is invalid for Cloudflare's Full (strict) mode"),
        _ => None,
    };
    let note = match meaning {
        Some(m) => format!("{} produced this {status}; {m}", label(&producer)),
        None => match &page_detail {
            Some(detail) => format!("{} produced this {status}: {detail}", label(&producer)),
            None => format!("{} produced this {status}", label(&producer)),
        },
    };
    d.support(artifact, span, note)
        .value("layer", producer.clone())
        .value("status", status.to_string());
    // 521/522/523: the layer reports the origin itself unreachable; the origin is the lead.
    // The same when HAProxy or Traefik logs that it could not connect to its server.
    let layer_could_not_connect = page_detail
        .as_deref()
        .is_some_and(|d| d.contains("(SC)") || d.contains("(sC)") || d.contains("connection refused"));
    if matches!((producer.as_str(), status), ("cloudflare", 521..=523)) || layer_could_not_connect {
        confidence -= 0.15;
    }
    if let (Some(h), Some(p)) = (&from_header, &from_page)
        && (h.0, h.1) != (p.0, p.1)
    {
        let how = if h.2 == "traefik" {
            format!(
                "the response has the shape of {}'s own page (plain status text, no Server header)",
                label(&h.2)
            )
        } else {
            format!("the response headers name {}", label(&h.2))
        };
        d.support(h.0, h.1, how);
    }
    // The server side.
    let logs = model.server_logs();
    if logs.clean() && logs.access_entries > 0 {
        if let Some(a) = model.all::<AccessEntry>().next() {
            d.support(
                a.artifact,
                a.span,
                "nginx's access log has no 5xx: the failing requests never reached it or got its normal answer",
            );
        }
        confidence += 0.12;
    } else if logs.clean() {
        if let Some(e) = model.all::<ErrorEvent>().next() {
            d.support(e.artifact, e.span, "nothing in nginx's error log makes a 502");
        }
        confidence += 0.06;
    }
    if let Some(ok) = model
        .all::<HttpResponse>()
        .find(|r| (200..400).contains(&r.status) && producer_of(r).is_none_or(is_nginx_producer))
    {
        d.support(
            ok.artifact,
            ok.span,
            format!("a request to nginx directly answers {}", ok.status),
        );
        confidence += 0.08;
    }
    // Against: nginx made 502s itself, or is down.
    if let Some(e) = logs.error_failures.first() {
        d.against(
            e.artifact,
            e.span,
            "nginx itself logged a failure that makes a 5xx: the layer may relay it",
        );
        confidence -= 0.3;
    }
    if let Some(a) = logs.access_failures.first() {
        d.against(a.artifact, a.span, format!("nginx's access log records {}", a.status));
        confidence -= 0.2;
    }
    if let Some(s) = model.nginx_down() {
        d.against(
            s.artifact,
            s.span,
            format!(
                "{} is not running: the layer answers 502 because nothing behind it does",
                s.unit
            ),
        );
        confidence -= 0.3;
    }
    d.confidence = confidence.clamp(0.0, 0.93);
    out.push(d);
}

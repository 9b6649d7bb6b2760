//! `client-keepalive-shorter-than-lb`: nginx closes idle client connections before the load
//! balancer in front stops reusing them.
//!
//! ## What it looks for
//! `keepalive_timeout` (the client side, in `http {}`/`server {}`, not the upstream one) shorter
//! than the idle timeout of the layer in front: 60 s on AWS ALB/ELB, 600 s on Google Cloud load
//! balancers. With that layer named by a response or page, the race is the likely cause of its
//! occasional 502s; from the configuration alone (a short override such as `keepalive_timeout
//! 5;`, also when pasted as a diff) it is only a hint.
//!
//! ## Why it matters
//! The balancer sends a request on a connection nginx is closing; the balancer answers 502
//! itself and nginx logs nothing, so nginx's logs look clean.
//!
//! ## Weakened by
//! nginx errors that make 502s themselves; `keepalive_timeout 0` (keepalive off: no reuse, no
//! race).

use crate::cause::Cause;
use crate::facts::*;
use crate::model::Model;
use crate::model::layers::producer_of;
use crate::model::nginx::seconds;
use crate::rules::{Draft, Rule};

/// The rule.
pub const RULE: Rule = Rule {
    id: "client-keepalive-shorter-than-lb",
    cause: Cause::OtherLayer502,
    doc: "keepalive_timeout (client side) shorter than the load balancer's idle timeout (ALB 60 s, Google 600 s): the balancer reuses connections nginx closes and answers 502 itself",
    check,
};

fn check(model: &Model<'_>, out: &mut Vec<Draft>) {
    // The layer in front, when a response or page names it, with its idle timeout.
    let layer = model
        .all::<ErrorPageInfo>()
        .map(|p| (p.artifact, p.span, p.producer.clone()))
        .chain(
            model
                .all::<HttpResponse>()
                .filter_map(|r| producer_of(&r).map(|p| (r.artifact, r.span, p.to_string()))),
        )
        .find_map(|(a, s, p)| match p.as_str() {
            "aws-elb" => Some((a, s, p, 60u64, "the AWS load balancer")),
            "google-lb" => Some((a, s, p, 600, "the Google Cloud load balancer")),
            _ => None,
        });
    for k in model.directives("keepalive_timeout") {
        if k.context.contains("upstream(") {
            continue;
        }
        let Some(secs) = k.args.first().and_then(|a| seconds(a)) else {
            continue;
        };
        if secs == 0 {
            continue;
        }
        let (threshold, who) = layer.as_ref().map_or((60, "a load balancer"), |l| (l.3, l.4));
        if secs >= threshold {
            continue;
        }
        let mut confidence: f32 = if layer.is_some() { 0.6 } else { 0.3 };
        let mut d = Draft::new(
            Cause::OtherLayer502,
            confidence,
            format!(
                "nginx closes idle connections after {secs} s, before {who} in front stops reusing them ({threshold} s)"
            ),
        );
        d.support(
            k.artifact,
            k.span,
            format!("nginx drops idle client connections after {secs} s"),
        )
        .value("timeout", format!("{secs}s"))
        .value("limit", format!("{threshold}s"));
        let suggested = threshold + if threshold >= 600 { 20 } else { 15 };
        d.edit(
            k.artifact,
            k.span,
            format!("keepalive_timeout {};", k.args.join(" ")),
            format!("keepalive_timeout {suggested}s;"),
        );
        if let Some((a, s, p, _, _)) = &layer {
            d.support(*a, *s, format!("{who} is in front (idle timeout {threshold} s)"))
                .value("layer", p.clone());
        }
        if model.server_logs().error_failures.is_empty() {
            confidence += 0.05;
        } else {
            confidence -= 0.2;
        }
        d.confidence = confidence;
        out.push(d);
        return;
    }
}

//! `upstream-certificate-rejected`: nginx verifies the backend's certificate and rejects it.
//!
//! ## What it looks for
//! `upstream SSL certificate verify error: (20:unable to get local issuer certificate)` (also
//! expired, self-signed, and the other OpenSSL verify codes) and `upstream SSL certificate does
//! not match "NAME"`: `proxy_ssl_verify on` fails. The pasted `proxy_ssl_trusted_certificate`
//! and `proxy_ssl_name` say what nginx checks against.
//!
//! ## Why it matters
//! The fix is a CA bundle, a renewed backend certificate, or the right name, not switching
//! verification off (that accepts any certificate, including an attacker's).
//!
//! ## Weakened by
//! Nothing specific: the line is nginx's own verdict.

use crate::cause::Cause;
use crate::facts::*;
use crate::model::Model;
use crate::rules::{Draft, Rule};

/// The rule.
pub const RULE: Rule = Rule {
    id: "upstream-certificate-rejected",
    cause: Cause::UpstreamSslError,
    doc: "upstream SSL certificate verify error / does not match: proxy_ssl_verify rejects the backend's certificate",
    check,
};

fn check(model: &Model<'_>, out: &mut Vec<Draft>) {
    let Some(e) = model.all::<ErrorEvent>().find(|e| {
        matches!(
            e.class,
            MessageClass::SslCertificateVerify | MessageClass::SslCertificateName
        )
    }) else {
        return;
    };
    let peer = Model::event_endpoint(&e);
    let at = peer.as_ref().map(|p| format!(" {p}")).unwrap_or_default();
    let (title, note) = if e.class == MessageClass::SslCertificateName {
        let name = e.target.clone().unwrap_or_default();
        (
            format!("the backend{at}'s certificate is not valid for \"{name}\""),
            format!("the certificate's names do not include \"{name}\" (proxy_ssl_name)"),
        )
    } else {
        let detail = e
            .message
            .split_once(": (")
            .map(|(_, r)| r.trim_end_matches(')').to_string())
            .unwrap_or_default();
        (
            format!("nginx rejects the backend{at}'s certificate ({detail})"),
            format!("proxy_ssl_verify fails: {detail}"),
        )
    };
    let mut confidence: f32 = 0.85;
    let mut d = Draft::new(Cause::UpstreamSslError, confidence, title);
    d.support(e.artifact, e.span, note);
    if let Some(p) = &peer {
        d.value("upstream", p.to_string());
    }
    let target = model.targets_for_event(&e).first().map(|t| t.at);
    for name in ["proxy_ssl_trusted_certificate", "proxy_ssl_name", "proxy_ssl_verify"] {
        let found = match target {
            Some(t) => model.directive_for_target(name, t.value),
            None => model.directives(name).next(),
        };
        if let Some(dir) = found {
            d.support(dir.artifact, dir.span, format!("{name} {}", dir.args.join(" ")));
            confidence = 0.9;
        }
    }
    d.value(
        "directive",
        if e.class == MessageClass::SslCertificateName {
            "proxy_ssl_name"
        } else {
            "proxy_ssl_trusted_certificate"
        },
    );
    d.confidence = confidence;
    out.push(d);
}

//! `upstream-tls-handshake-failed`: the TLS handshake from nginx to an `https://` backend fails.
//!
//! ## What it looks for
//! `SSL_do_handshake() failed (SSL: ...) while SSL handshaking to upstream` with the OpenSSL
//! reason: `alert handshake failure:SSL alert number 40` or `unrecognized name ... 112` (the
//! backend wants SNI: `proxy_ssl_server_name` is off by default), `tlsv1 alert protocol version`
//! / `unsupported protocol` (no common TLS version), `no shared cipher` / `alert number 71`,
//! and `peer closed connection in SSL handshake` (often SNI-based routing rejecting the
//! handshake). The pasted `proxy_ssl_*` directives say what nginx sends.
//!
//! ## Why it matters
//! CDNs, cloud load balancers and SNI-routed hosts reject a handshake without the right server
//! name; nginx does not send one unless told to. The fix is one directive, not disabling TLS.
//!
//! ## Weakened by
//! `wrong version number` (the port is plaintext: protocol-mismatch), and
//! `proxy_ssl_server_name on;` already in force for an SNI-looking failure.

use crate::cause::Cause;
use crate::facts::*;
use crate::model::Model;
use crate::rules::{Draft, Rule};

/// The rule.
pub const RULE: Rule = Rule {
    id: "upstream-tls-handshake-failed",
    cause: Cause::UpstreamSslError,
    doc: "SSL_do_handshake() failed / peer closed connection in SSL handshake while SSL handshaking to upstream: no SNI, TLS version or cipher mismatch",
    check,
};

/// What an OpenSSL reason in the message says.
enum Reason {
    Sni,
    Version,
    Cipher,
    PeerClosed,
    Other,
}

fn reason(e: &ErrorEvent) -> Option<Reason> {
    let m = e.message.as_str();
    if e.class == MessageClass::SslPeerClosed {
        return Some(Reason::PeerClosed);
    }
    if e.class != MessageClass::SslHandshakeFailed {
        return None;
    }
    // Plaintext replies are protocol-mismatch's.
    if [
        "wrong version number",
        "unknown protocol",
        "packet length too long",
        "http request",
    ]
    .iter()
    .any(|r| m.contains(r))
    {
        return None;
    }
    if m.contains("unrecognized name")
        || m.contains("alert number 112")
        || m.contains("alert number 40")
        || m.contains("handshake failure")
    {
        return Some(Reason::Sni);
    }
    if m.contains("protocol version")
        || m.contains("unsupported protocol")
        || m.contains("alert number 70")
        || m.contains("no protocols available")
    {
        return Some(Reason::Version);
    }
    if m.contains("no shared cipher")
        || m.contains("alert number 71")
        || m.contains("insufficient security")
        || m.contains("dh key too small")
    {
        return Some(Reason::Cipher);
    }
    Some(Reason::Other)
}

fn check(model: &Model<'_>, out: &mut Vec<Draft>) {
    let Some((e, why)) = model
        .all::<ErrorEvent>()
        .filter(|e| e.action.as_deref().is_none_or(|a| a == "SSL handshaking to upstream"))
        .find_map(|e| reason(&e).map(|r| (e, r)))
    else {
        return;
    };
    let peer = Model::event_endpoint(&e);
    let at = peer.as_ref().map(|p| format!(" {p}")).unwrap_or_default();
    let targets = model.targets_for_event(&e);
    let target = targets.first().map(|t| t.at).or_else(|| {
        let https: Vec<_> = model
            .targets()
            .into_iter()
            .filter(|t| matches!(t.at.protocol, Protocol::Https | Protocol::Grpcs | Protocol::Suwsgi))
            .collect();
        (https.len() == 1).then(|| https[0].at)
    });
    let prefix = target.map_or("proxy", |t| crate::model::nginx::module_prefix(t.protocol));
    let directive = |name: &str| format!("{prefix}_{name}");
    let find = |name: &'static str| match target {
        Some(t) => model.directive_for_target(name, t.value),
        None => model.directives(name).next(),
    };
    let (mut confidence, title, note): (f32, String, &str) = match why {
        Reason::Sni => (
            0.82,
            format!("the backend{at} rejects nginx's TLS handshake: it needs the server name (SNI)"),
            "the backend aborts the handshake (alert 40/112): typically no or the wrong SNI name",
        ),
        Reason::Version => (
            0.8,
            format!("nginx and the backend{at} share no TLS version"),
            "the backend refuses the TLS versions nginx offers",
        ),
        Reason::Cipher => (
            0.78,
            format!("nginx and the backend{at} share no TLS cipher"),
            "the backend refuses the ciphers or keys nginx offers",
        ),
        Reason::PeerClosed => (
            0.66,
            format!("the backend{at} closes the TLS handshake"),
            "the backend hangs up during the handshake: often SNI routing that does not know the name",
        ),
        Reason::Other => (
            0.7,
            format!("the TLS handshake to the backend{at} fails"),
            "the TLS handshake to the backend fails",
        ),
    };
    let mut d = Draft::new(Cause::UpstreamSslError, confidence, title);
    d.support(e.artifact, e.span, note);
    if let Some(p) = &peer {
        d.value("upstream", p.to_string());
    }
    let sni_like = matches!(why, Reason::Sni | Reason::PeerClosed);
    if sni_like {
        let name_directive: &'static str = match prefix {
            "grpc" => "grpc_ssl_server_name",
            "uwsgi" => "uwsgi_ssl_server_name",
            _ => "proxy_ssl_server_name",
        };
        d.value("directive", name_directive);
        match find(name_directive) {
            Some(s) if s.args.first().is_some_and(|a| a == "on") => {
                d.against(
                    s.artifact,
                    s.span,
                    "SNI is already sent: check that the name is the backend's (proxy_ssl_name)",
                );
                confidence -= 0.2;
            }
            Some(s) => {
                d.support(s.artifact, s.span, "SNI is switched off");
                d.edit(
                    s.artifact,
                    s.span,
                    format!("{name_directive} {};", s.args.join(" ")),
                    format!("{name_directive} on;"),
                );
                confidence += 0.1;
            }
            None => {
                if let Some(t) = target {
                    d.support(
                        t.artifact,
                        t.span,
                        format!("no {name_directive} here: nginx sends no SNI by default"),
                    );
                    d.edit(
                        t.artifact,
                        t.span,
                        format!("{} {};", t.directive, t.raw),
                        format!("{} {};\n{name_directive} on;", t.directive, t.raw),
                    );
                    confidence += 0.08;
                }
            }
        }
        // The name to send: the host of the URL when it is a name (nginx sends it once SNI is
        // on); an IP literal or an upstream group name needs `proxy_ssl_name`.
        if let Some(t) = target {
            let host = t.raw.split_once("://").map_or(t.raw.as_str(), |(_, r)| r);
            let host = host.split(['/', ':']).next().unwrap_or("");
            let literal = host.parse::<std::net::IpAddr>().is_ok() || t.group.is_some() && model.group(host).is_some();
            if host.contains('.') && !literal {
                d.value("ssl_name", host.to_string());
            }
        }
    } else if matches!(why, Reason::Version) {
        d.value("directive", directive("ssl_protocols"));
        if let Some(p) = find(match prefix {
            "grpc" => "grpc_ssl_protocols",
            "uwsgi" => "uwsgi_ssl_protocols",
            _ => "proxy_ssl_protocols",
        }) {
            d.support(p.artifact, p.span, format!("nginx offers only {}", p.args.join(" ")));
            confidence += 0.08;
        }
    } else if matches!(why, Reason::Cipher) {
        d.value("directive", directive("ssl_ciphers"));
    }
    if let Some(w) = model
        .events(MessageClass::ServerTemporarilyDisabled)
        .find(|w| w.artifact == e.artifact)
    {
        d.support(
            w.artifact,
            w.span,
            "a consequence: nginx then marks the server failed for a while",
        );
    }
    d.confidence = confidence.min(0.93);
    out.push(d);
}

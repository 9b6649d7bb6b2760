//! Named bindings: observations of the model that answer a question of the tree by themselves,
//! each with the line it was read from. The tree names them (`bind = "error-class"`); a test
//! checks that every name exists and that every value a binding can give is a choice of the
//! questions bound to it.

use crate::facts::*;
use crate::model::{Model, backends::Role, events::status_of};
use crate::span::Span;

/// An answer read from the evidence.
#[derive(Clone, Debug, PartialEq)]
pub struct Bound {
    /// The choice value.
    pub value: &'static str,
    /// The artifact and span it was read from, when one line says it.
    pub at: Option<(usize, Span)>,
    /// What the evidence shows, for the trace.
    pub note: String,
}

/// A named binding.
pub struct Binding {
    /// The name the tree uses.
    pub id: &'static str,
    /// What it observes.
    pub doc: &'static str,
    /// Every value it can answer.
    pub values: &'static [&'static str],
    /// Reads the model; `None` when the evidence does not say.
    pub eval: fn(&Model<'_>) -> Option<Bound>,
}

/// Every named binding.
pub const BINDINGS: &[Binding] = &[
    Binding {
        id: "page-producer",
        doc: "who produced the error page: the Server header of a 5xx response, or the page's signature; an nginx error log with upstream errors says nginx",
        values: &["nginx", "cdn", "load-balancer", "other-proxy"],
        eval: page_producer,
    },
    Binding {
        id: "nginx-running",
        doc: "whether nginx runs: its unit's state, `nginx -s` pid errors, or an error log of requests it is serving",
        values: &["yes", "no"],
        eval: nginx_running,
    },
    Binding {
        id: "config-test",
        doc: "what nginx says of its configuration: `nginx -t` verdict, `[emerg]` lines, bind() failures",
        values: &["failed", "bind-failed", "ok"],
        eval: config_test,
    },
    Binding {
        id: "error-line",
        doc: "whether the pasted nginx error log has a line for a failed upstream request",
        values: &["yes", "no"],
        eval: error_line,
    },
    Binding {
        id: "error-class",
        doc: "what the error log's upstream failure says: message class, errno and phase",
        values: &[
            "no-such-socket",
            "refused",
            "permission-denied",
            "busy",
            "connect-timeout",
            "read-timeout",
            "unreachable",
            "reset-or-closed",
            "too-big-header",
            "tls",
            "resolve",
            "no-live-upstreams",
            "invalid-response",
            "protocol",
            "resource",
        ],
        eval: error_class,
    },
    Binding {
        id: "target-kind",
        doc: "what nginx dials: PHP-FPM (FastCGI), an HTTP or HTTPS backend, uWSGI or gRPC; from the failing line's upstream or the configured target",
        values: &["php-fpm", "http", "https", "uwsgi", "grpc"],
        eval: target_kind,
    },
];

/// The binding of this name.
pub fn binding(id: &str) -> Option<&'static Binding> {
    BINDINGS.iter().find(|b| b.id == id)
}

fn bound(value: &'static str, artifact: usize, span: Span, note: impl Into<String>) -> Option<Bound> {
    Some(Bound {
        value,
        at: Some((artifact, span)),
        note: note.into(),
    })
}

fn page_producer(model: &Model<'_>) -> Option<Bound> {
    let classify = |producer: &str| -> &'static str {
        let p = producer.to_ascii_lowercase();
        if p.contains("nginx") || p.contains("openresty") || p.contains("angie") {
            "nginx"
        } else if p.contains("cloudflare")
            || p.contains("akamai")
            || p.contains("fastly")
            || p.contains("cloudfront")
            || p.contains("varnish")
        {
            "cdn"
        } else if p.contains("elb")
            || p.contains("google")
            || p.contains("gfe")
            || p.contains("azure")
            || p.contains("application gateway")
        {
            "load-balancer"
        } else {
            "other-proxy"
        }
    };
    // The page itself says most: nginx's page relayed by a CDN is still nginx's.
    if let Some(page) = model.all::<ErrorPageInfo>().find(|p| p.producer != "unknown") {
        let value = classify(&page.producer);
        return bound(
            value,
            page.artifact,
            page.span,
            format!("the error page is {}'s", page.producer),
        );
    }
    if let Some(r) = model.all::<HttpResponse>().find(|r| (500..600).contains(&r.status)) {
        let server = r
            .headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("server"))
            .map(|(_, v)| v.as_str());
        if let Some(server) = server {
            let value = classify(server);
            return bound(
                value,
                r.artifact,
                r.span,
                format!("the {} response says Server: {server}", r.status),
            );
        }
    }
    if let Some(e) = model
        .all::<ErrorEvent>()
        .find(|e| status_of(e).is_some_and(|s| s >= 500))
    {
        return bound(
            "nginx",
            e.artifact,
            e.span,
            "nginx's own error log records the failed upstream request",
        );
    }
    // nginx's access log with a 502/504 and the upstream it tried: nginx answered so itself.
    let a = model
        .all::<AccessEntry>()
        .find(|a| matches!(a.status, 502 | 504) && (a.upstream_status.is_some() || a.upstream_addr.is_some()))?;
    bound(
        "nginx",
        a.artifact,
        a.span,
        format!("nginx's access log records a {} with the upstream it tried", a.status),
    )
}

fn nginx_running(model: &Model<'_>) -> Option<Bound> {
    if let Some(s) = model.services(Role::Nginx).next() {
        let running = crate::model::backends::is_running(&s);
        let value = if running { "yes" } else { "no" };
        return bound(value, s.artifact, s.span, format!("{} is {}", s.unit, s.active));
    }
    if let Some(e) = model.events(MessageClass::PidFile).next() {
        return bound("no", e.artifact, e.span, "nginx -s finds no running master");
    }
    if let Some(e) = model
        .all::<ErrorEvent>()
        .find(|e| e.connection.is_some() && status_of(e).is_some())
    {
        return bound(
            "yes",
            e.artifact,
            e.span,
            "nginx is serving requests: its error log records them",
        );
    }
    let a = model
        .all::<AccessEntry>()
        .find(|a| a.upstream_status.is_some() || a.upstream_addr.is_some())?;
    bound(
        "yes",
        a.artifact,
        a.span,
        "nginx is serving requests: its access log records them",
    )
}

fn config_test(model: &Model<'_>) -> Option<Bound> {
    if let Some(e) = model
        .all::<ErrorEvent>()
        .find(|e| matches!(e.class, MessageClass::BindFailed | MessageClass::StillCouldNotBind) && e.errno == Some(98))
    {
        return bound(
            "bind-failed",
            e.artifact,
            e.span,
            "nginx cannot bind its port: address already in use",
        );
    }
    let broken = [
        MessageClass::UnknownDirective,
        MessageClass::ConfigSyntax,
        MessageClass::OpenFailed,
        MessageClass::CertificateLoad,
        MessageClass::HostNotFoundInUpstream,
        MessageClass::NoPortInUpstream,
    ];
    if let Some(e) = model
        .all::<ErrorEvent>()
        .find(|e| e.level == Some(Level::Emerg) && broken.contains(&e.class))
    {
        return bound("failed", e.artifact, e.span, "nginx rejects its configuration");
    }
    let t = model.all::<ConfigTest>().last()?;
    bound(
        if t.ok { "ok" } else { "failed" },
        t.artifact,
        t.span,
        if t.ok { "nginx -t passes" } else { "nginx -t fails" },
    )
}

fn error_line(model: &Model<'_>) -> Option<Bound> {
    if let Some(e) = model.all::<ErrorEvent>().find(|e| status_of(e).is_some()) {
        return bound("yes", e.artifact, e.span, "the error log has the failed request");
    }
    // An error log was pasted but records no upstream failure.
    let a = model
        .artifacts
        .iter()
        .position(|a| a.kind == crate::Kind::NginxErrorLog)?;
    Some(Bound {
        value: "no",
        at: Some((a, model.artifacts[a].span)),
        note: "the pasted error log has no upstream failure".into(),
    })
}

/// The tree's name for an error line's class.
pub fn class_value(e: &ErrorEvent) -> Option<&'static str> {
    use MessageClass as C;
    Some(match e.class {
        C::ConnectFailed => match e.errno {
            Some(2) => "no-such-socket",
            Some(111) => "refused",
            Some(13) => "permission-denied",
            Some(11) => "busy",
            Some(110) => "connect-timeout",
            Some(113 | 101 | 112 | 65 | 1) => "unreachable",
            Some(99 | 24) => "resource",
            Some(104) => "reset-or-closed",
            _ => "refused",
        },
        C::UpstreamTimedOut if e.action.as_deref() == Some("connecting to upstream") => "connect-timeout",
        C::UpstreamTimedOut => "read-timeout",
        C::PrematurelyClosed | C::RecvFailed | C::SendFailed => "reset-or-closed",
        C::TooBigHeader => "too-big-header",
        C::SslHandshakeFailed
        | C::SslPeerClosed
        | C::SslCertificateVerify
        | C::SslCertificateName
        | C::SslReadWrite => "tls",
        C::NoResolver | C::CouldNotBeResolved | C::HostNotFoundInUpstream => "resolve",
        C::NoLiveUpstreams => "no-live-upstreams",
        C::InvalidHeader | C::InvalidResponse => "invalid-response",
        C::FastcgiProtocol | C::NoValidHttpHeader | C::PrematurelySentResponse | C::Http2Protocol => "protocol",
        C::SocketFailed | C::WorkerConnections => "resource",
        _ => return None,
    })
}

fn error_class(model: &Model<'_>) -> Option<Bound> {
    // `no live upstreams` is what the client saw; the earlier failures explain it (rules do).
    if let Some(e) = model.events(MessageClass::NoLiveUpstreams).next() {
        return bound(
            "no-live-upstreams",
            e.artifact,
            e.span,
            "nginx found no live server in the upstream group",
        );
    }
    let mut counts: Vec<(&'static str, usize, crate::model::At<'_, ErrorEvent>)> = Vec::new();
    for e in model
        .all::<ErrorEvent>()
        .filter(|e| status_of(e).is_some() || e.class == MessageClass::SocketFailed)
    {
        let Some(value) = class_value(&e) else { continue };
        match counts.iter_mut().find(|(v, _, _)| *v == value) {
            Some((_, n, _)) => *n += 1,
            None => counts.push((value, 1, e)),
        }
    }
    let (value, n, e) = counts.into_iter().max_by_key(|(_, n, _)| *n)?;
    let what = match (e.errno, &e.errno_text) {
        (Some(n), Some(t)) => format!("{} ({n}: {t})", e.message),
        _ => e.message.to_string(),
    };
    bound(
        value,
        e.artifact,
        e.span,
        format!(
            "the error log says {what}{}",
            if n > 1 { format!(", {n} times") } else { String::new() }
        ),
    )
}

fn target_kind(model: &Model<'_>) -> Option<Bound> {
    let scheme_value = |upstream: &str| -> Option<&'static str> {
        let scheme = upstream.split_once("://")?.0;
        Some(match scheme {
            "fastcgi" => "php-fpm",
            "http" => "http",
            "https" => "https",
            "uwsgi" | "suwsgi" => "uwsgi",
            "grpc" | "grpcs" => "grpc",
            _ => return None,
        })
    };
    if let Some((e, value)) = model
        .all::<ErrorEvent>()
        .filter(|e| status_of(e).is_some())
        .find_map(|e| e.upstream.as_deref().and_then(scheme_value).map(|v| (e, v)))
    {
        return bound(
            value,
            e.artifact,
            e.span,
            format!("nginx dials {}", e.upstream.as_deref().unwrap_or("")),
        );
    }
    let t = model.all::<UpstreamTarget>().next()?;
    let value = match t.protocol {
        Protocol::Fastcgi => "php-fpm",
        Protocol::Http => "http",
        Protocol::Https => "https",
        Protocol::Uwsgi | Protocol::Suwsgi => "uwsgi",
        Protocol::Grpc | Protocol::Grpcs => "grpc",
        Protocol::Scgi | Protocol::Memcached => "http",
    };
    bound(value, t.artifact, t.span, format!("{} {}", t.directive, t.raw))
}

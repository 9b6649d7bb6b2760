//! `read-timeout-before-response-header`: the backend accepted the request but did not answer
//! within nginx's read (or send) timeout: a 504.
//!
//! ## What it looks for
//! `upstream timed out (110: Connection timed out)` (musl: `Operation timed out`) `while reading
//! response header from upstream` (or `while sending request to upstream`). It names the timeout
//! in effect for that location from the configuration (`proxy_read_timeout`,
//! `fastcgi_read_timeout`, `uwsgi_read_timeout`, `grpc_read_timeout`, inherited from outer blocks;
//! 60 s when unset), the access log's 504s and `$upstream_response_time` equal to that timeout,
//! and a timeout raised for the wrong module (`fastcgi_read_timeout` for a `proxy_pass`
//! location).
//!
//! ## Why it matters
//! nginx gave up waiting and answered **504 Gateway Time-out**, not 502: the backend is slow
//! for this request (a long report, an export, a stuck query), or nginx's timeout is shorter
//! than the work.
//!
//! ## Weakened by
//! PHP-FPM saying every worker was busy (`server reached pm.max_children`): the request waited
//! for a worker rather than ran slowly, the pool-exhausted rule explains it.

use crate::cause::Cause;
use crate::facts::*;
use crate::model::Model;
use crate::model::reach::scheme_of;
use crate::rules::{Draft, Rule};

/// The rule.
pub const RULE: Rule = Rule {
    id: "read-timeout-before-response-header",
    cause: Cause::UpstreamTimeout,
    doc: "upstream timed out (110) while reading the response header (or sending the request): a 504, with the *_read_timeout in effect for that location",
    check,
};

/// The module prefix of a scheme or directive protocol.
fn module_of(scheme: &str) -> &'static str {
    match scheme {
        "fastcgi" => "fastcgi",
        "uwsgi" | "suwsgi" => "uwsgi",
        "scgi" => "scgi",
        "grpc" | "grpcs" => "grpc",
        "memcached" => "memcached",
        _ => "proxy",
    }
}

/// The timeout directive of a module for the read or send phase.
fn timeout_directive(module: &str, sending: bool) -> &'static str {
    match (module, sending) {
        ("fastcgi", false) => "fastcgi_read_timeout",
        ("fastcgi", true) => "fastcgi_send_timeout",
        ("uwsgi", false) => "uwsgi_read_timeout",
        ("uwsgi", true) => "uwsgi_send_timeout",
        ("scgi", false) => "scgi_read_timeout",
        ("scgi", true) => "scgi_send_timeout",
        ("grpc", false) => "grpc_read_timeout",
        ("grpc", true) => "grpc_send_timeout",
        ("memcached", false) => "memcached_read_timeout",
        ("memcached", true) => "memcached_send_timeout",
        (_, false) => "proxy_read_timeout",
        (_, true) => "proxy_send_timeout",
    }
}

/// Seconds of an nginx time value (`60`, `60s`, `5m`, `1h`, `500ms`).
pub fn seconds(value: &str) -> Option<f64> {
    let v = value.trim();
    let split = v.find(|c: char| !c.is_ascii_digit() && c != '.').unwrap_or(v.len());
    let (n, unit) = v.split_at(split);
    let n = crate::number::parse(n)?;
    Some(match unit {
        "" | "s" => n,
        "ms" => n / 1000.0,
        "m" => n * 60.0,
        "h" => n * 3600.0,
        "d" => n * 86400.0,
        _ => return None,
    })
}

fn check(model: &Model<'_>, out: &mut Vec<Draft>) {
    let events: Vec<_> = model
        .events(MessageClass::UpstreamTimedOut)
        .filter(|e| {
            matches!(
                e.action.as_deref(),
                Some(
                    "reading response header from upstream"
                        | "sending request to upstream"
                        | "sending request body to upstream"
                )
            )
        })
        .collect();
    let Some(first) = events.first().copied() else { return };
    let sending = first.action.as_deref() != Some("reading response header from upstream");
    let module = module_of(scheme_of(&first).unwrap_or("http"));
    let directive = timeout_directive(module, sending);
    let mut conf: f32 = 0.8;
    let mut d = Draft::new(Cause::UpstreamTimeout, conf, "");
    d.value("status", "504");
    d.value("timeout_directive", directive);
    if let Some(u) = &first.upstream {
        d.value("upstream", crate::parse::nginx_error_log::peer_of_upstream(u));
    }
    let phase = if sending {
        "while sending the request"
    } else {
        "before the response header"
    };
    d.support(
        first.artifact,
        first.span,
        format!("nginx gave up waiting for the backend {phase} (errno 110): the client got 504"),
    );
    if events.len() > 1 {
        let last = events[events.len() - 1];
        d.support(
            last.artifact,
            last.span,
            format!("{} such timeouts in all", events.len()),
        );
    }

    // The timeout in effect for the location.
    let target = model.targets_for_event(&first).into_iter().next();
    let setting = match &target {
        Some(t) => model.directive_for(directive, &t.at.context),
        None => model.all::<NginxDirective>().find(|x| x.name == directive),
    };
    let (timeout_text, timeout_secs) = match setting {
        Some(s) => {
            let v = s.args.first().cloned().unwrap_or_default();
            d.support(s.artifact, s.span, format!("{directive} {v} applies to this location"));
            let secs = seconds(&v);
            (v, secs)
        }
        None => ("60s".to_string(), Some(60.0)),
    };
    d.value("timeout", timeout_text.clone());
    let default_note = if setting.is_none() {
        " (the default: it is not set)"
    } else {
        ""
    };
    d.title = match &target {
        Some(t) => format!(
            "The backend {} did not answer within {directive} {timeout_text}{default_note}: 504 Gateway Time-out",
            t.at.raw
        ),
        None => {
            format!("The backend did not answer within {directive} {timeout_text}{default_note}: 504 Gateway Time-out")
        }
    };
    d.value(
        "directive",
        target
            .as_ref()
            .map(|t| t.at.directive.clone())
            .unwrap_or_else(|| format!("{module}_pass")),
    );

    // A timeout raised for another module.
    for other in ["fastcgi", "proxy", "uwsgi", "grpc", "scgi"] {
        if other == module {
            continue;
        }
        let name = format!("{other}_read_timeout");
        if let Some(x) = model.all::<NginxDirective>().find(|x| x.name == name) {
            conf += 0.04;
            d.support(
                x.artifact,
                x.span,
                format!(
                    "{name} {} is raised, but it applies only to {other}_pass; this location uses {module}_pass and its {directive} is {timeout_text}",
                    x.args.join(" ")
                ),
            );
            break;
        }
    }

    // The access log: 504s that took the whole timeout.
    let timeouts: Vec<_> = model.all::<AccessEntry>().filter(|a| a.status == 504).collect();
    if let Some(a) = timeouts.first() {
        conf += 0.05;
        let took = a
            .upstream_response_time
            .as_deref()
            .or(a.request_time.as_deref())
            .and_then(|t| t.split([',', ' ']).next_back())
            .and_then(|t| crate::number::parse(t.trim()));
        match (took, timeout_secs) {
            (Some(t), Some(limit)) if (t - limit).abs() <= 1.5 => {
                conf += 0.08;
                d.support(
                    a.artifact,
                    a.span,
                    format!(
                        "504 after {} s: exactly the {timeout_text} timeout",
                        crate::number::short(t)
                    ),
                );
            }
            (Some(t), _) => {
                d.support(a.artifact, a.span, format!("504 after {} s", crate::number::short(t)));
            }
            _ => {
                d.support(a.artifact, a.span, "the access log shows the 504");
            }
        }
    }

    // The edit: raise the timeout on the location.
    let proposed = match timeout_secs {
        Some(s) if s >= 300.0 => format!("{}s", (s * 2.0) as u64),
        _ => "300s".to_string(),
    };
    match (setting, &target) {
        (Some(s), Some(t)) if s.context == t.at.context => {
            d.edit(
                s.artifact,
                s.span,
                format!("{directive} {};", s.args.join(" ")),
                format!("{directive} {proposed};"),
            );
        }
        (_, Some(t)) => {
            let line = format!("{} {};", t.at.directive, t.at.raw);
            d.edit(
                t.at.artifact,
                t.at.span,
                line.clone(),
                format!("{line}\n{directive} {proposed};"),
            );
        }
        _ => {}
    }

    // PHP-FPM's pool was full: the request waited for a worker.
    if module == "fastcgi"
        && let Some(f) = model
            .all::<FpmEvent>()
            .find(|f| f.class == FpmClass::MaxChildrenReached)
    {
        conf -= 0.2;
        d.against(
            f.artifact,
            f.span,
            "every PHP-FPM worker was busy: the request queued for a worker",
        );
    }
    // The host is out of resources: the slowness is a symptom.
    if let Some((a, s, note)) = model.host_overload_sign() {
        conf -= 0.4;
        d.against(
            a,
            s,
            format!("{note}: the backend is slow because its host is overloaded"),
        );
    }
    d.confidence = conf.clamp(0.0, 0.97);
    out.push(d);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_nginx_times() {
        assert_eq!(seconds("60"), Some(60.0));
        assert_eq!(seconds("90s"), Some(90.0));
        assert_eq!(seconds("5m"), Some(300.0));
        assert_eq!(seconds("500ms"), Some(0.5));
        assert_eq!(seconds("x"), None);
    }
}

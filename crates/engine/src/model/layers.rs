//! The layers in front of and around nginx: who produced a response (this nginx, a CDN, a cloud
//! load balancer, another proxy), whether nginx itself is up, and whether the server's own logs
//! show any failure at all.

use crate::facts::*;
use crate::model::backends::{Role, is_down, is_running, role_of};
use crate::model::{At, Model, events};

/// The producer a `Server:` header (or a `Via:`/vendor header) names: `nginx` (also OpenResty,
/// Angie, Tengine), `cloudflare`, `aws-elb`, `google-lb`, `envoy`, `haproxy`, `apache`,
/// `varnish`, `traefik`, `azure-app-gateway`, `akamai`, `fastly`, `caddy`, `iis`, or `None` when
/// the response names nobody. Traefik is also known by its page's shape alone (no `Server:`, a
/// `text/plain` body of just the status text).
pub fn producer_of(response: &HttpResponse) -> Option<&'static str> {
    let header = |name: &str| {
        response
            .headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.to_ascii_lowercase())
    };
    if let Some(server) = header("server") {
        let s = server.trim();
        let named = [
            ("cloudflare", "cloudflare"),
            ("awselb", "aws-elb"),
            ("elb", "aws-elb"),
            ("gws", "google-lb"),
            ("gfe", "google-lb"),
            ("google frontend", "google-lb"),
            ("envoy", "envoy"),
            ("istio-envoy", "envoy"),
            ("haproxy", "haproxy"),
            ("apache", "apache"),
            ("varnish", "varnish"),
            ("traefik", "traefik"),
            ("microsoft-azure-application-gateway", "azure-app-gateway"),
            ("akamaighost", "akamai"),
            ("caddy", "caddy"),
            ("microsoft-iis", "iis"),
            ("openresty", "nginx"),
            ("angie", "nginx"),
            ("tengine", "nginx"),
            ("nginx", "nginx"),
        ];
        if let Some((_, who)) = named.iter().find(|(prefix, _)| s.starts_with(prefix)) {
            return Some(who);
        }
    }
    if header("cf-ray").is_some() {
        return Some("cloudflare");
    }
    // Traefik's own error page: no `Server:`, and a plain-text body that is only the status
    // text (`Bad Gateway`, 11 bytes). nginx's pages are HTML and name nginx.
    let status_text_len = match response.status {
        502 => Some("Bad Gateway".len()),
        503 => Some("Service Unavailable".len()),
        504 => Some("Gateway Timeout".len()),
        _ => None,
    };
    if header("server").is_none()
        && header("content-type").is_some_and(|t| t.starts_with("text/plain"))
        && status_text_len.is_some_and(|n| header("content-length").is_some_and(|l| l.trim() == n.to_string()))
    {
        return Some("traefik");
    }
    if header("x-amz-cf-id").is_some() {
        return Some("cloudfront");
    }
    if header("x-served-by").is_some_and(|v| v.contains("cache-")) || header("fastly-debug-digest").is_some() {
        return Some("fastly");
    }
    None
}

/// True when `producer` (an [`ErrorPageInfo::producer`] or [`producer_of`] value) is nginx
/// itself (or an nginx-based product such as ingress-nginx, whose pages have nginx's shape).
pub fn is_nginx_producer(producer: &str) -> bool {
    matches!(producer, "nginx" | "openresty") || producer.starts_with("nginx")
}

/// The version an nginx `Server:` header shows (`nginx/1.18.0 (Ubuntu)` → `1.18.0`).
pub fn nginx_version_of(response: &HttpResponse) -> Option<&str> {
    let (_, server) = response
        .headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("server"))?;
    let rest = server.trim().strip_prefix("nginx/")?;
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(rest.len());
    (end > 0).then(|| &rest[..end])
}

/// True when a pid-file line of `nginx -s` says no master runs: `open() "/run/nginx.pid"
/// failed (2: ...)`, `invalid PID number`, `kill(PID, 1) failed (3: No such process)`. A
/// `(13: Permission denied)` is a non-root run instead.
pub fn no_master(e: &ErrorEvent) -> bool {
    e.class == MessageClass::PidFile
        && (e.message.starts_with("invalid PID number")
            || (e.message.starts_with("open() \"") && e.errno == Some(2))
            || (e.message.starts_with("kill(") && e.errno == Some(3)))
}

/// The port a curl connection error names (`Failed to connect to localhost port 80 after 0 ms`).
pub fn curl_port(e: &CurlError) -> Option<u16> {
    let (_, rest) = e.message.split_once(" port ")?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// What a `ps` listing says about nginx: `Some(true)` when an nginx master (or a foreground
/// `nginx -g daemon off;`) runs, `Some(false)` when the listing looked for nginx (a `grep nginx`
/// row, or a full listing) and found none, `None` when no listing was pasted.
pub fn nginx_master_in_ps(model: &Model<'_>) -> Option<(bool, usize, crate::span::Span)> {
    let rows: Vec<_> = model.all::<ProcessInfo>().collect();
    let first = rows.first()?;
    if let Some(m) = rows
        .iter()
        .find(|p| p.command.contains("nginx: master process") || p.command.starts_with("nginx -g"))
    {
        return Some((true, m.artifact, m.span));
    }
    let looked = rows.len() >= 8
        || rows
            .iter()
            .any(|p| p.command.contains("grep") && p.command.contains("nginx"));
    looked.then_some((false, first.artifact, first.span))
}

/// What the server's own logs say about failures.
#[derive(Clone, Debug, Default)]
pub struct ServerLogs<'a> {
    /// Access-log entries pasted.
    pub access_entries: usize,
    /// Access-log entries with a 5xx status (or 009).
    pub access_failures: Vec<At<'a, AccessEntry>>,
    /// Error-log lines that put a status on the wire (502, 504, 500) or are [emerg]/[alert].
    pub error_failures: Vec<At<'a, ErrorEvent>>,
    /// Any error-log line pasted.
    pub error_lines: usize,
}

impl ServerLogs<'_> {
    /// True when logs were pasted and none shows a failure.
    pub fn clean(&self) -> bool {
        (self.access_entries > 0 || self.error_lines > 0)
            && self.access_failures.is_empty()
            && self.error_failures.is_empty()
    }
}

impl<'a> Model<'a> {
    /// The nginx services pasted that are stopped or failed.
    pub fn nginx_down(&self) -> Option<At<'a, ServiceStatus>> {
        self.services(Role::Nginx).find(|s| is_down(s))
    }

    /// An nginx service pasted as running.
    pub fn nginx_running(&self) -> Option<At<'a, ServiceStatus>> {
        self.services(Role::Nginx).find(|s| is_running(s))
    }

    /// Listeners owned by nginx (ss/netstat/lsof with process names).
    pub fn nginx_listeners(&self) -> Vec<At<'a, Listener>> {
        self.all::<Listener>()
            .filter(|l| l.process.as_deref().is_some_and(|p| role_of(p) == Role::Nginx))
            .filter(|l| {
                l.state
                    .as_deref()
                    .is_none_or(|s| s.eq_ignore_ascii_case("LISTEN") || s.eq_ignore_ascii_case("LISTENING"))
            })
            .collect()
    }

    /// The name a DNS record answers for: its own, or for `dig +short NAME` (which does not
    /// repeat the name) the host name on the artifact's command line.
    pub fn dns_name(&self, record: &At<'a, DnsRecord>) -> Option<String> {
        if !record.name.is_empty() {
            return Some(record.name.to_ascii_lowercase());
        }
        let command = self.artifacts.get(record.artifact)?.command.as_deref()?;
        command
            .split_whitespace()
            .skip(1)
            .find(|w| !w.starts_with(['@', '+', '-']) && crate::parse::dns::is_hostname(w) && w.contains('.'))
            .map(|w| w.trim_end_matches('.').to_ascii_lowercase())
    }

    /// What the access and error logs pasted say about failures.
    pub fn server_logs(&self) -> ServerLogs<'a> {
        let mut logs = ServerLogs::default();
        for a in self.all::<AccessEntry>() {
            logs.access_entries += 1;
            if (500..600).contains(&a.status) || a.status == 9 {
                logs.access_failures.push(a);
            }
        }
        for e in self.all::<ErrorEvent>() {
            // Console lines (`nginx -t`, `nginx -s`) are command output, not the server's log.
            if e.form == Some(LogForm::Console) {
                continue;
            }
            logs.error_lines += 1;
            let fatal = matches!(e.level, Some(Level::Emerg | Level::Alert));
            if events::status_of(&e).is_some_and(|s| s >= 500) || fatal {
                logs.error_failures.push(e);
            }
        }
        logs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(headers: &[(&str, &str)]) -> HttpResponse {
        HttpResponse {
            version: "HTTP/2".into(),
            status: 502,
            headers: headers.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            ..Default::default()
        }
    }

    #[test]
    fn names_producers_from_headers() {
        assert_eq!(producer_of(&response(&[("server", "cloudflare")])), Some("cloudflare"));
        assert_eq!(producer_of(&response(&[("Server", "awselb/2.0")])), Some("aws-elb"));
        assert_eq!(
            producer_of(&response(&[("server", "nginx/1.18.0 (Ubuntu)")])),
            Some("nginx")
        );
        assert_eq!(producer_of(&response(&[("cf-ray", "8c1f-FRA")])), Some("cloudflare"));
        assert_eq!(producer_of(&response(&[("content-type", "text/html")])), None);
        // Traefik's page: only the status text, in plain text, no Server header.
        let traefik = [("content-type", "text/plain; charset=utf-8"), ("content-length", "11")];
        assert_eq!(producer_of(&response(&traefik)), Some("traefik"));
        let named = [
            ("server", "nginx"),
            ("content-type", "text/plain"),
            ("content-length", "11"),
        ];
        assert_eq!(producer_of(&response(&named)), Some("nginx"));
        let longer = [("content-type", "text/plain"), ("content-length", "120")];
        assert_eq!(producer_of(&response(&longer)), None);
        assert_eq!(
            nginx_version_of(&response(&[("server", "nginx/1.18.0 (Ubuntu)")])),
            Some("1.18.0")
        );
        assert_eq!(nginx_version_of(&response(&[("server", "nginx")])), None);
    }
}

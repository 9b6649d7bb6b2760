//! The nginx side of the model: where each location sends requests (with `upstream {}` groups
//! resolved across files), directive values, the worker user, and which configured target an
//! error line is about.

use crate::facts::*;
use crate::model::{At, Model, endpoints};
use crate::parse::nginx_error_log::peer_of_upstream;

/// A `*_pass` target with what it resolves to.
#[derive(Clone, Debug)]
pub struct Target<'a> {
    /// The directive as configured.
    pub at: At<'a, UpstreamTarget>,
    /// The `upstream {}` group it names, when one was pasted.
    pub group: Option<At<'a, UpstreamGroup>>,
    /// Every address it may dial: its literal address, or the group's servers.
    pub endpoints: Vec<Endpoint>,
}

/// Where the nginx worker user was learnt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UserSource {
    /// The `user` directive.
    Directive,
    /// The user running `nginx: worker process` in `ps`.
    Process,
    /// The platform's package default (`www-data` on Debian/Ubuntu, `nginx` elsewhere).
    PlatformDefault,
}

/// The user nginx workers run as.
#[derive(Clone, Debug)]
pub struct NginxUser<'a> {
    /// User name.
    pub name: String,
    /// Group, when the `user` directive names one.
    pub group: Option<String>,
    /// How it was learnt.
    pub source: UserSource,
    /// The fact it was read from (directive or process line), when any.
    pub from: Option<(usize, crate::span::Span)>,
    _model: std::marker::PhantomData<&'a ()>,
}

impl<'a> Model<'a> {
    /// Every configured `*_pass` target, resolved.
    pub fn targets(&self) -> Vec<Target<'a>> {
        self.all::<UpstreamTarget>()
            .map(|at| {
                let group = at.group.as_deref().and_then(|name| self.group(name));
                let endpoints = match (&at.endpoint, &group) {
                    (Some(e), _) => vec![e.clone()],
                    (None, Some(g)) => g.servers.iter().filter_map(|s| s.endpoint.clone()).collect(),
                    (None, None) => at.group.as_deref().and_then(Endpoint::parse).into_iter().collect(),
                };
                Target { at, group, endpoints }
            })
            .collect()
    }

    /// The `upstream {}` group of that name.
    pub fn group(&self, name: &str) -> Option<At<'a, UpstreamGroup>> {
        self.all::<UpstreamGroup>().find(|g| g.name == name)
    }

    /// Every occurrence of a directive (as extracted by the config parser).
    pub fn directives(&self, name: &'a str) -> impl Iterator<Item = At<'a, NginxDirective>> + '_ {
        self.all::<NginxDirective>().filter(move |d| d.name == name)
    }

    /// The value of a directive that applies at `context` (a block path such as
    /// `http > server(example.com) > location(/api)`): the occurrence whose context is the longest
    /// prefix of it, as nginx inherits from outer blocks.
    pub fn directive_for(&self, name: &'a str, context: &str) -> Option<At<'a, NginxDirective>> {
        self.directives(name)
            .filter(|d| context.starts_with(&d.context) || d.context.is_empty())
            .max_by_key(|d| d.context.len())
    }

    /// The value of a directive that applies to a configured target: the occurrence in the
    /// target's `location`, else in its `server {}`, else at the `http {}` (or top) level of the
    /// paste; never one from another server block. Directives of the target's own artifact win
    /// ties. (A target carries its server names and location, not its full block path.)
    pub fn directive_for_target(&self, name: &'a str, target: &UpstreamTarget) -> Option<At<'a, NginxDirective>> {
        let server = target.server_names.first().map(|n| format!("server({n})"));
        let location = target.location.as_deref().map(|l| format!("location({l})"));
        self.directives(name)
            .filter_map(|d| {
                let in_server = server.as_deref().is_some_and(|s| d.context.contains(s));
                let in_any_server = d.context.contains("server(") || d.context.split(" > ").any(|c| c == "server");
                let score = if in_server && location.as_deref().is_some_and(|l| d.context.ends_with(l)) {
                    3
                } else if in_server && !d.context.contains("location(") {
                    2
                } else if !in_any_server && !d.context.contains("location(") && !d.context.contains("upstream(") {
                    1
                } else {
                    return None;
                };
                let same_file = d.file.is_some() && d.file == target.file;
                Some((score, same_file, d))
            })
            .max_by_key(|&(score, same_file, _)| (score, same_file))
            .map(|(_, _, d)| d)
    }

    /// The user nginx workers run as, and how that is known.
    pub fn nginx_user(&self) -> Option<NginxUser<'a>> {
        if let Some(d) = self.directives("user").next()
            && let Some(name) = d.args.first()
        {
            return Some(NginxUser {
                name: name.clone(),
                group: d.args.get(1).cloned(),
                source: UserSource::Directive,
                from: Some((d.artifact, d.span)),
                _model: Default::default(),
            });
        }
        if let Some(p) = self
            .all::<ProcessInfo>()
            .find(|p| p.command.contains("nginx: worker process"))
        {
            return Some(NginxUser {
                name: p.user.clone(),
                group: None,
                source: UserSource::Process,
                from: Some((p.artifact, p.span)),
                _model: Default::default(),
            });
        }
        let default = match crate::model::platform::platform(self)? {
            "Debian/Ubuntu" => "www-data",
            _ => "nginx",
        };
        Some(NginxUser {
            name: default.to_string(),
            group: None,
            source: UserSource::PlatformDefault,
            from: None,
            _model: Default::default(),
        })
    }

    /// The address an error line is about: the peer of `connect() to X`, else the `upstream:`
    /// field's peer.
    pub fn event_endpoint(event: &ErrorEvent) -> Option<Endpoint> {
        let peer = event
            .target
            .as_deref()
            .map(String::from)
            .or_else(|| event.upstream.as_deref().map(peer_of_upstream))?;
        Endpoint::parse(&peer)
    }

    /// The configured targets an error line is about: those dialing its address, or those whose
    /// group is named in its `upstream:` field; failing both, those whose host name is the
    /// logged (resolved) address's container or the only target on its port.
    pub fn targets_for_event(&self, event: &ErrorEvent) -> Vec<Target<'a>> {
        let endpoint = Self::event_endpoint(event);
        let group = event.upstream.as_deref().map(peer_of_upstream);
        let matched: Vec<Target<'a>> = self
            .targets()
            .into_iter()
            .filter(|t| {
                endpoint
                    .as_ref()
                    .is_some_and(|e| t.endpoints.iter().any(|te| endpoints::same_endpoint(te, e)))
                    || group.as_deref().is_some_and(|g| t.at.group.as_deref() == Some(g))
            })
            .collect();
        if !matched.is_empty() {
            return matched;
        }
        // The log shows the resolved address (`172.18.0.3:8000`) of a name in the configuration
        // (`app:8000`): see [`Model::same_backend`].
        let Some(e) = endpoint else { return matched };
        self.targets()
            .into_iter()
            .filter(|t| t.endpoints.iter().any(|te| self.same_backend(&e, te)))
            .collect()
    }
}

/// Seconds of an nginx time value (`5`, `75s`, `1m`, `1h`, `500ms` → 0, `1m30s`).
pub fn seconds(value: &str) -> Option<u64> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    let mut total = 0u64;
    let mut rest = v;
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        let n: u64 = rest[..digits].parse().ok()?;
        rest = &rest[digits..];
        let unit_len = rest.bytes().take_while(u8::is_ascii_alphabetic).count();
        let factor = match &rest[..unit_len] {
            "" | "s" => 1,
            "ms" => 0,
            "m" => 60,
            "h" => 3600,
            "d" => 86400,
            _ => return None,
        };
        total = total.checked_add(n.checked_mul(factor)?)?;
        rest = &rest[unit_len..];
    }
    Some(total)
}

/// Bytes of an nginx size value (`4k`, `16K`, `1m`, `8192`).
pub fn size_bytes(value: &str) -> Option<u64> {
    let v = value.trim();
    let (n, factor) = match v.as_bytes().last()? {
        b'k' | b'K' => (&v[..v.len() - 1], 1024),
        b'm' | b'M' => (&v[..v.len() - 1], 1024 * 1024),
        b'g' | b'G' => (&v[..v.len() - 1], 1024 * 1024 * 1024),
        _ => (v, 1),
    };
    n.parse::<u64>().ok()?.checked_mul(factor)
}

/// The directive prefix of a protocol's module: `proxy`, `fastcgi`, `uwsgi`, `scgi`, `grpc`,
/// `memcached`.
pub fn module_prefix(protocol: Protocol) -> &'static str {
    match protocol {
        Protocol::Http | Protocol::Https => "proxy",
        Protocol::Fastcgi => "fastcgi",
        Protocol::Uwsgi | Protocol::Suwsgi => "uwsgi",
        Protocol::Scgi => "scgi",
        Protocol::Grpc | Protocol::Grpcs => "grpc",
        Protocol::Memcached => "memcached",
    }
}

/// The protocol of an error line's `upstream:` field, from its scheme (`fastcgi://...`).
pub fn protocol_of_upstream(upstream: &str) -> Option<Protocol> {
    let (scheme, _) = upstream.split_once("://")?;
    Some(match scheme {
        "http" => Protocol::Http,
        "https" => Protocol::Https,
        "fastcgi" => Protocol::Fastcgi,
        "uwsgi" => Protocol::Uwsgi,
        "suwsgi" => Protocol::Suwsgi,
        "scgi" => Protocol::Scgi,
        "grpc" => Protocol::Grpc,
        "grpcs" => Protocol::Grpcs,
        "memcached" => Protocol::Memcached,
        _ => return None,
    })
}

/// The `*_pass` line of a target as written, and the line that speaks `to` to the same
/// address: `proxy_pass http://127.0.0.1:9000;` → `fastcgi_pass 127.0.0.1:9000;`. `None` when
/// the target already speaks it or its address is not literal.
pub fn repass(target: &UpstreamTarget, to: crate::model::backends::Speaks) -> Option<(String, String)> {
    use crate::model::backends::Speaks;
    let before = format!("{} {};", target.directive, target.raw);
    let address = match (&target.endpoint, &target.group) {
        (Some(Endpoint::Unix { path }), _) => format!("unix:{path}"),
        (Some(e), _) => e.to_string(),
        (None, Some(g)) => g.clone(),
        (None, None) => return None,
    };
    let after = match to {
        Speaks::Http if matches!(target.protocol, Protocol::Http | Protocol::Https) => return None,
        Speaks::Fastcgi if target.protocol == Protocol::Fastcgi => return None,
        Speaks::Uwsgi if matches!(target.protocol, Protocol::Uwsgi | Protocol::Suwsgi) => return None,
        Speaks::Http => match &target.endpoint {
            Some(Endpoint::Unix { path }) => format!("proxy_pass http://unix:{path}:;"),
            _ => format!("proxy_pass http://{address};"),
        },
        Speaks::Fastcgi => format!("fastcgi_pass {address};"),
        Speaks::Uwsgi => format!("uwsgi_pass {address};"),
    };
    Some((before, after))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_times_and_sizes() {
        assert_eq!(seconds("5"), Some(5));
        assert_eq!(seconds("75s"), Some(75));
        assert_eq!(seconds("1m30s"), Some(90));
        assert_eq!(seconds("abc"), None);
        assert_eq!(size_bytes("4k"), Some(4096));
        assert_eq!(size_bytes("16K"), Some(16384));
        assert_eq!(size_bytes("8192"), Some(8192));
        assert_eq!(size_bytes("x"), None);
        assert_eq!(protocol_of_upstream("fastcgi://unix:/a.sock:"), Some(Protocol::Fastcgi));
        assert_eq!(protocol_of_upstream("unix:/a.sock"), None);
    }
}

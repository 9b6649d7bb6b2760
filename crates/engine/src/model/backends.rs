//! The backend side of the model: what listens where, socket files, PHP-FPM pools, services and
//! containers, joined against the addresses nginx dials.

use crate::facts::*;
use crate::model::{At, Model, endpoints};

/// The role a service or process plays, read from its name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// nginx itself (or OpenResty, Angie).
    Nginx,
    /// PHP-FPM.
    PhpFpm,
    /// Anything else: the application backend (gunicorn, node, uwsgi, java...).
    Backend,
}

/// The role of a unit or process name.
pub fn role_of(name: &str) -> Role {
    let n = name.to_ascii_lowercase();
    if n.contains("php") && n.contains("fpm") {
        Role::PhpFpm
    } else if n.starts_with("nginx") || n.contains("openresty") || n.starts_with("angie") || n.contains("nginx.service")
    {
        Role::Nginx
    } else {
        Role::Backend
    }
}

impl<'a> Model<'a> {
    /// An application (not nginx, a database or a system daemon) listening on this host on
    /// another port than the loopback address nginx dials: where nginx probably meant to point.
    pub fn app_listening_elsewhere(&self, dialed: &Endpoint) -> Option<At<'a, Listener>> {
        let Endpoint::Tcp { host, port: Some(p) } = dialed else {
            return None;
        };
        if !endpoints::is_loopback(host) {
            return None;
        }
        self.all::<Listener>().find(|l| {
            matches!(&l.endpoint, Some(Endpoint::Tcp { host: h, port: Some(q) })
                if q != p && *q >= 1024 && (endpoints::is_loopback(h) || endpoints::is_wildcard(h)))
                && l.process.as_deref().is_some_and(is_app_process)
        })
    }

    /// True when a listener listing (ss, netstat, lsof) was pasted, so that a missing listener
    /// means something.
    pub fn has_listener_listing(&self) -> bool {
        self.has::<Listener>()
    }

    /// True when a listing covering unix sockets was pasted.
    pub fn has_unix_listing(&self) -> bool {
        self.all::<Listener>()
            .any(|l| l.proto.starts_with('u') || matches!(l.endpoint, Some(Endpoint::Unix { .. })))
    }

    /// True when a listing covering TCP listeners was pasted.
    pub fn has_tcp_listing(&self) -> bool {
        self.all::<Listener>()
            .any(|l| l.proto.starts_with("tcp") || matches!(l.endpoint, Some(Endpoint::Tcp { .. })))
    }

    /// Listeners that accept connections to `dialed`.
    pub fn listeners_serving(&self, dialed: &Endpoint) -> Vec<At<'a, Listener>> {
        self.all::<Listener>()
            .filter(|l| {
                l.state
                    .as_deref()
                    .is_none_or(|s| s.eq_ignore_ascii_case("LISTEN") || s.eq_ignore_ascii_case("LISTENING"))
            })
            .filter(|l| l.endpoint.as_ref().is_some_and(|e| endpoints::serves(e, dialed)))
            .collect()
    }

    /// Listeners on the same port as `dialed` but on another address, or sockets in the same
    /// directory: what the backend listens on instead.
    pub fn near_misses(&self, dialed: &Endpoint) -> Vec<At<'a, Listener>> {
        self.all::<Listener>()
            .filter(|l| {
                let Some(e) = &l.endpoint else { return false };
                if endpoints::serves(e, dialed) {
                    return false;
                }
                match (e, dialed) {
                    (Endpoint::Tcp { port: a, .. }, Endpoint::Tcp { port: b, .. }) => a == b,
                    (Endpoint::Unix { path: a }, Endpoint::Unix { path: b }) => {
                        let dir = |p: &str| {
                            endpoints::normalise_path(p)
                                .rsplit_once('/')
                                .map(|(d, _)| d.to_string())
                        };
                        dir(a) == dir(b)
                    }
                    _ => false,
                }
            })
            .collect()
    }

    /// The `ls -l`/`stat` entry of a path.
    pub fn file(&self, path: &str) -> Option<At<'a, FileEntry>> {
        self.all::<FileEntry>().find(|f| endpoints::same_path(&f.path, path))
    }

    /// Pasted files in the same directory as `path` (other sockets there).
    pub fn files_beside(&self, path: &str) -> Vec<At<'a, FileEntry>> {
        let dir = endpoints::normalise_path(path)
            .rsplit_once('/')
            .map(|(d, _)| d.to_string());
        self.all::<FileEntry>()
            .filter(|f| {
                endpoints::normalise_path(&f.path)
                    .rsplit_once('/')
                    .map(|(d, _)| d.to_string())
                    == dir
                    && !endpoints::same_path(&f.path, path)
            })
            .collect()
    }

    /// The PHP-FPM pool listening on `dialed`.
    pub fn pool_serving(&self, dialed: &Endpoint) -> Option<At<'a, FpmPool>> {
        self.all::<FpmPool>()
            .find(|p| p.endpoint.as_ref().is_some_and(|e| endpoints::serves(e, dialed)))
    }

    /// Services of a role, from `systemctl status` and the like.
    pub fn services(&self, role: Role) -> impl Iterator<Item = At<'a, ServiceStatus>> + '_ {
        self.all::<ServiceStatus>().filter(move |s| role_of(&s.unit) == role)
    }

    /// The groups a user belongs to, from `id`/`groups` output.
    pub fn groups_of(&self, user: &str) -> Option<At<'a, UserIdentity>> {
        self.all::<UserIdentity>().find(|u| u.user == user)
    }
}

/// True when a service is running.
pub fn is_running(s: &ServiceStatus) -> bool {
    s.active == "active" && s.sub.as_deref().is_none_or(|sub| sub == "running")
}

/// True when a service is stopped or failed (not merely restarting).
pub fn is_down(s: &ServiceStatus) -> bool {
    matches!(s.active.as_str(), "inactive" | "failed") || s.sub.as_deref() == Some("dead")
}

impl<'a> Model<'a> {
    /// True when an address in an error line (`upstream: "http://172.18.0.3:8000/"`, resolved)
    /// is the configured one (`app:8000`, a name): the same address, or the same port where the
    /// name is a container whose pasted address it is, or the only configured target on that
    /// port.
    pub fn same_backend(&self, logged: &Endpoint, configured: &Endpoint) -> bool {
        if endpoints::same_endpoint(logged, configured) {
            return true;
        }
        let (Endpoint::Tcp { host: lh, port: lp }, Endpoint::Tcp { host: ch, port: cp }) = (logged, configured) else {
            return false;
        };
        if lp != cp || lp.is_none() || ch.parse::<std::net::IpAddr>().is_ok() || lh.parse::<std::net::IpAddr>().is_err()
        {
            return false;
        }
        if let Some(c) = self.all::<Container>().find(|c| c.addresses.iter().any(|a| a == lh)) {
            return c.name == *ch || c.service.as_deref() == Some(ch.as_str());
        }
        self.targets()
            .iter()
            .flat_map(|t| t.endpoints.clone())
            .filter(|e| e.port() == *lp)
            .count()
            == 1
    }

    /// A backend's own log saying it could not bind `dialed` (PHP-FPM `unable to bind listening
    /// socket ... (98)`, an app server's `Address already in use`): whatever answers there now
    /// is another service that took the port.
    pub fn bind_failure_on(&self, dialed: &Endpoint) -> Option<(usize, crate::span::Span)> {
        let fpm = self.all::<FpmEvent>().find(|e| {
            e.class == FpmClass::UnableToBind
                && e.address
                    .as_deref()
                    .and_then(Endpoint::parse)
                    .is_some_and(|a| endpoints::same_endpoint(&a, dialed))
        });
        if let Some(e) = fpm {
            return Some((e.artifact, e.span));
        }
        self.all::<AppEvent>()
            .find(|e| {
                e.class == "address-in-use" && e.endpoint.as_ref().is_some_and(|a| endpoints::same_endpoint(a, dialed))
            })
            .map(|e| (e.artifact, e.span))
    }
}

/// The protocol a backend speaks on its socket.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Speaks {
    /// HTTP (gunicorn, uvicorn, node, java, another web server, uWSGI `--http`).
    Http,
    /// FastCGI (PHP-FPM).
    Fastcgi,
    /// The uwsgi binary protocol (uWSGI `--socket`).
    Uwsgi,
}

impl Speaks {
    /// How the protocol is named in a title.
    pub fn name(self) -> &'static str {
        match self {
            Speaks::Http => "HTTP",
            Speaks::Fastcgi => "FastCGI",
            Speaks::Uwsgi => "the uwsgi protocol",
        }
    }
}

/// What is known about the protocol of the server behind an address, and where it was learnt.
#[derive(Clone, Debug)]
pub struct BackendSpeaks {
    /// The protocol.
    pub speaks: Speaks,
    /// What listens there, in the person's words (`gunicorn`, `PHP-FPM pool www`).
    pub what: String,
    /// The fact it was learnt from: artifact and span.
    pub from: (usize, crate::span::Span),
}

/// The protocol a process speaks, from its name, when the name says it.
pub fn speaks_of_process(process: &str) -> Option<Speaks> {
    let p = process.to_ascii_lowercase();
    if p.contains("php") && p.contains("fpm") {
        return Some(Speaks::Fastcgi);
    }
    const HTTP: &[&str] = &[
        "gunicorn",
        "uvicorn",
        "hypercorn",
        "daphne",
        "waitress",
        "node",
        "nodejs",
        "bun",
        "deno",
        "java",
        "puma",
        "unicorn",
        "thin",
        "passenger",
        "dotnet",
        "kestrel",
        "caddy",
        "apache2",
        "httpd",
        "nginx",
        "traefik",
        "envoy",
        "haproxy",
        "tomcat",
        "jetty",
        "grafana",
        "prometheus",
        "streamlit",
        "gitea",
        "minio",
    ];
    HTTP.iter()
        .any(|h| p == *h || p.starts_with(&format!("{h}:")) || p.starts_with(&format!("{h} ")))
        .then_some(Speaks::Http)
}

/// The protocol a container command line speaks: uWSGI's `--socket` (uwsgi) or `--http`/
/// `--http-socket` (HTTP), an HTTP application server, PHP-FPM.
pub fn speaks_of_command(command: &str) -> Option<Speaks> {
    let c = command.to_ascii_lowercase();
    let words: Vec<&str> = c
        .split(|ch: char| ch.is_whitespace() || matches!(ch, '[' | ']' | ',' | '"' | '\''))
        .filter(|w| !w.is_empty())
        .collect();
    if words.iter().any(|w| w.ends_with("uwsgi")) {
        if words.iter().any(|w| w.starts_with("--http")) {
            return Some(Speaks::Http);
        }
        if words
            .iter()
            .any(|w| *w == "--socket" || w.starts_with("--socket=") || *w == "-s" || w.starts_with("--uwsgi-socket"))
        {
            return Some(Speaks::Uwsgi);
        }
        return None;
    }
    if words.iter().any(|w| w.contains("php-fpm")) {
        return Some(Speaks::Fastcgi);
    }
    words
        .iter()
        .find_map(|w| speaks_of_process(w.rsplit('/').next().unwrap_or(w)))
}

/// The protocol an image speaks, from its name: `php:8.3-fpm` (FastCGI), web servers and
/// common HTTP apps.
pub fn speaks_of_image(image: &str) -> Option<Speaks> {
    let i = image.to_ascii_lowercase();
    let name = i.rsplit('/').next().unwrap_or(&i);
    if name.contains("fpm") {
        return Some(Speaks::Fastcgi);
    }
    let base = name.split(':').next().unwrap_or(name);
    speaks_of_process(base)
}

impl<'a> Model<'a> {
    /// What protocol the server listening on `dialed` speaks, when a pasted pool, listener or
    /// application log says it.
    pub fn backend_speaking(&self, dialed: &Endpoint) -> Option<BackendSpeaks> {
        if let Some(pool) = self.pool_serving(dialed) {
            let name = if pool.name.is_empty() {
                "PHP-FPM".to_string()
            } else {
                format!("PHP-FPM pool {}", pool.name)
            };
            return Some(BackendSpeaks {
                speaks: Speaks::Fastcgi,
                what: name,
                from: (pool.artifact, pool.span),
            });
        }
        for e in self.all::<AppEvent>() {
            if e.class != "listening" || !e.endpoint.as_ref().is_some_and(|ep| endpoints::serves(ep, dialed)) {
                continue;
            }
            let speaks = match e.server.as_str() {
                "uwsgi" if e.message.starts_with("uwsgi socket") => Speaks::Uwsgi,
                "uwsgi" if e.message.contains("http bound on") => Speaks::Http,
                "uwsgi" => continue,
                _ => Speaks::Http,
            };
            return Some(BackendSpeaks {
                speaks,
                what: e.server.clone(),
                from: (e.artifact, e.span),
            });
        }
        for l in self.listeners_serving(dialed) {
            if let Some(process) = l.process.as_deref()
                && let Some(speaks) = speaks_of_process(process)
            {
                return Some(BackendSpeaks {
                    speaks,
                    what: process.to_string(),
                    from: (l.artifact, l.span),
                });
            }
        }
        // Containers: nginx dials a compose service or container by name.
        let Endpoint::Tcp { host, port } = dialed else {
            return None;
        };
        let port_text = port.map(|p| p.to_string());
        let mentions_port = |texts: &[&str]| {
            let all_silent = texts.iter().all(|t| !t.bytes().any(|b| b.is_ascii_digit()));
            all_silent
                || port_text
                    .as_deref()
                    .is_some_and(|p| texts.iter().any(|t| t.contains(p)))
        };
        for svc in self.all::<ComposeService>() {
            if svc.name != *host && svc.container_name.as_deref() != Some(host.as_str()) {
                continue;
            }
            let command = svc.command.as_deref().unwrap_or("");
            let mut texts: Vec<&str> = vec![command];
            texts.extend(svc.expose.iter().map(String::as_str));
            texts.extend(svc.ports.iter().map(String::as_str));
            if !mentions_port(&texts) {
                continue;
            }
            if let Some(speaks) = speaks_of_command(command).or_else(|| svc.image.as_deref().and_then(speaks_of_image))
            {
                return Some(BackendSpeaks {
                    speaks,
                    what: format!("the {} service", svc.name),
                    from: (svc.artifact, svc.span),
                });
            }
        }
        for c in self.all::<Container>() {
            if c.name != *host && c.service.as_deref() != Some(host.as_str()) {
                continue;
            }
            let texts: Vec<&str> = c.ports.iter().map(String::as_str).collect();
            if !mentions_port(&texts) {
                continue;
            }
            if let Some(speaks) = c.image.as_deref().and_then(speaks_of_image) {
                return Some(BackendSpeaks {
                    speaks,
                    what: format!("the {} container", c.name),
                    from: (c.artifact, c.span),
                });
            }
        }
        None
    }
}

/// True when a uWSGI `invalid request block size: N` is HTTP read as a uwsgi packet: the size
/// is bytes 2-3 of the request, little-endian, so `GET ` gives "ET" = 0x5445 = 21573, `POST`
/// "OS" = 21327, `PUT ` "UT", `HEAD` "EA", `DELETE` "EL", `OPTIONS` "PT", `PATCH` "AT".
pub fn uwsgi_block_is_http(size: u64) -> bool {
    let (lo, hi) = (size & 0xff, size >> 8);
    size < 0x1_0000 && (b'A' as u64..=b'Z' as u64).contains(&lo) && (b'A' as u64..=b'Z' as u64).contains(&hi)
}

/// True for a process that serves an application (not nginx, not a system daemon, not a
/// database).
pub fn is_app_process(process: &str) -> bool {
    let p = process.to_ascii_lowercase();
    ![
        "nginx",
        "sshd",
        "systemd",
        "mysqld",
        "mariadbd",
        "postgres",
        "redis",
        "master",
        "chronyd",
        "rpcbind",
        "dnsmasq",
        "containerd",
        "dockerd",
        "cupsd",
        "exim",
        "sendmail",
        "memcached",
        "mongod",
        "named",
        "avahi",
        "php-fpm",
        "apache2",
        "httpd",
        "smbd",
        "dovecot",
        "node_exporter",
        "prometheus",
        "grafana",
    ]
    .iter()
    .any(|w| p.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_protocols_from_commands_and_images() {
        assert_eq!(
            speaks_of_command("uwsgi --socket :8000 --module app.wsgi"),
            Some(Speaks::Uwsgi)
        );
        assert_eq!(
            speaks_of_command("uwsgi --http-socket :8000 --module app.wsgi"),
            Some(Speaks::Http)
        );
        assert_eq!(speaks_of_command("uwsgi --ini /etc/uwsgi.ini"), None);
        assert_eq!(
            speaks_of_command("gunicorn app:app -b 0.0.0.0:8000"),
            Some(Speaks::Http)
        );
        assert_eq!(speaks_of_command("[\"node\", \"server.js\"]"), Some(Speaks::Http));
        assert_eq!(speaks_of_image("php:8.3-fpm-alpine"), Some(Speaks::Fastcgi));
        assert_eq!(speaks_of_image("bitnami/php-fpm:8.2"), Some(Speaks::Fastcgi));
        assert_eq!(speaks_of_image("node:20"), Some(Speaks::Http));
        assert_eq!(speaks_of_image("postgres:16"), None);
        assert!(uwsgi_block_is_http(21573));
        assert!(uwsgi_block_is_http(21327));
        assert!(!uwsgi_block_is_http(4261));
    }
}

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

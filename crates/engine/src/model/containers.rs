//! Container joins: which compose service or container a name or port belongs to, and which
//! networks it shares with nginx's.
//!
//! - [`Model::backend_service_for`]: the compose service or container that serves a port (or is
//!   the only non-nginx one), for naming the backend in a fix; [`Model::service_serving_port`]
//!   only the one that serves the port.
//! - [`Model::container_named`]: the container or compose service a host name (DNS name in a
//!   `proxy_pass`, `host not found` name) refers to.
//! - [`Model::nginx_networks`] / networks of a unit: for "not on a shared network".

use crate::facts::*;
use crate::model::reach::{is_nginx_image, is_nginx_service};
use crate::model::{At, Model};
use crate::span::Span;

/// A container or compose service, whichever was pasted.
#[derive(Clone, Debug)]
pub struct Unit<'a> {
    /// The compose service name (or the container name when no service is known).
    pub name: String,
    /// Networks, when shown.
    pub networks: Vec<String>,
    /// Running, when a container's state is shown.
    pub running: Option<bool>,
    /// Where it was read.
    pub artifact: usize,
    /// Its span.
    pub span: Span,
    /// The container's status text, when shown.
    pub status: Option<&'a str>,
    /// True when it runs nginx.
    pub is_nginx: bool,
}

/// The compose service part of a container name: `proj-api-1` / `proj_api_1` → `api` when it
/// ends in a replica number; the name itself otherwise.
pub fn service_of_container(name: &str) -> &str {
    let name = name.trim_start_matches('/');
    for sep in ['-', '_'] {
        let parts: Vec<&str> = name.split(sep).collect();
        if parts.len() >= 3 && parts[parts.len() - 1].bytes().all(|b| b.is_ascii_digit()) {
            return parts[parts.len() - 2];
        }
    }
    name
}

/// True when `port` appears in compose `ports:`/`expose:` entries or docker ps port columns.
fn publishes(entries: &[String], port: u16) -> bool {
    entries.iter().any(|e| {
        // `8080:80`, `127.0.0.1:8080:80/tcp`, `0.0.0.0:8080->80/tcp`, `9000/tcp`, `3000`
        let inner = e.rsplit(['>', ':']).next().unwrap_or(e);
        let inner = inner.split('/').next().unwrap_or(inner).trim_matches('"');
        inner.parse::<u16>().ok() == Some(port)
            || e.split([':', '-', '>', '/', '"'])
                .any(|p| p.parse::<u16>().ok() == Some(port))
    })
}

impl<'a> Model<'a> {
    /// The backend's container that is not running: the stopped one publishing `port`, else
    /// the only stopped one (nginx's own and a job that exited 0 are no backend).
    pub fn stopped_backend_container(&self, port: Option<u16>) -> Option<At<'a, Container>> {
        let stopped: Vec<At<'a, Container>> = self
            .all::<Container>()
            .filter(|c| {
                !c.running && !c.status.is_empty() && !is_nginx_image(c.image.as_deref().unwrap_or(""), &c.name)
            })
            .collect();
        let publishes = |c: &At<'a, Container>| {
            port.is_some_and(|p| {
                c.ports
                    .iter()
                    .any(|x| x.split([':', '-', '>', '/']).any(|w| w.parse::<u16>().ok() == Some(p)))
            })
        };
        stopped
            .iter()
            .find(|c| publishes(c))
            .or_else(|| (stopped.len() == 1 && !stopped[0].status.starts_with("Exited (0)")).then(|| &stopped[0]))
            .copied()
    }

    /// Every container and compose service pasted, as units.
    pub fn container_units(&self) -> Vec<Unit<'a>> {
        let mut out: Vec<Unit<'a>> = Vec::new();
        for s in self.all::<ComposeService>() {
            out.push(Unit {
                name: s.name.clone(),
                networks: s.networks.clone(),
                running: None,
                artifact: s.artifact,
                span: s.span,
                status: None,
                is_nginx: is_nginx_service(&s),
            });
        }
        for c in self.all::<Container>() {
            let name = c
                .service
                .clone()
                .unwrap_or_else(|| service_of_container(&c.name).to_string());
            out.push(Unit {
                name,
                networks: c.networks.clone(),
                running: (!c.status.is_empty()).then_some(c.running),
                artifact: c.artifact,
                span: c.span,
                status: (!c.value.status.is_empty()).then_some(c.value.status.as_str()),
                is_nginx: is_nginx_image(c.image.as_deref().unwrap_or(""), &c.name),
            });
        }
        out
    }

    /// The container or compose service a host name refers to (service name, container name or
    /// `container_name`).
    pub fn container_named(&self, host: &str) -> Option<Unit<'a>> {
        let h = host.trim().to_ascii_lowercase();
        if h.is_empty() {
            return None;
        }
        let units = self.container_units();
        if let Some(u) = units.iter().find(|u| u.name.eq_ignore_ascii_case(&h)) {
            return Some(u.clone());
        }
        for s in self.all::<ComposeService>() {
            if s.container_name.as_deref().is_some_and(|c| c.eq_ignore_ascii_case(&h)) {
                return units.iter().find(|u| u.span == s.span).cloned();
            }
        }
        for c in self.all::<Container>() {
            if c.name.trim_start_matches('/').eq_ignore_ascii_case(&h) {
                return units.iter().find(|u| u.span == c.span).cloned();
            }
        }
        None
    }

    /// The non-nginx compose service or container that serves `port` (publishes or exposes it),
    /// else the only non-nginx one.
    pub fn backend_service_for(&self, port: Option<u16>) -> Option<Unit<'a>> {
        if let Some(unit) = port.and_then(|p| self.service_serving_port(p)) {
            return Some(unit);
        }
        let units: Vec<Unit<'a>> = self.container_units().into_iter().filter(|u| !u.is_nginx).collect();
        let mut names: Vec<&str> = units.iter().map(|u| u.name.as_str()).collect();
        names.dedup();
        (names.len() == 1).then(|| units[0].clone())
    }

    /// The non-nginx compose service or container that publishes or exposes `port`.
    pub fn service_serving_port(&self, port: u16) -> Option<Unit<'a>> {
        let units: Vec<Unit<'a>> = self.container_units().into_iter().filter(|u| !u.is_nginx).collect();
        for s in self.all::<ComposeService>() {
            if !is_nginx_service(&s) && (publishes(&s.ports, port) || publishes(&s.expose, port)) {
                return units.iter().find(|u| u.span == s.span).cloned();
            }
        }
        for c in self.all::<Container>() {
            if !is_nginx_image(c.image.as_deref().unwrap_or(""), &c.name) && publishes(&c.ports, port) {
                return units.iter().find(|u| u.span == c.span).cloned();
            }
        }
        None
    }

    /// The networks nginx's container or compose service is on, when shown.
    pub fn nginx_networks(&self) -> Option<Unit<'a>> {
        self.container_units()
            .into_iter()
            .find(|u| u.is_nginx && !u.networks.is_empty())
    }

    /// The compose service running nginx, when a compose file was pasted.
    pub fn nginx_compose_service(&self) -> Option<At<'a, ComposeService>> {
        self.all::<ComposeService>().find(|s| is_nginx_service(s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn container_names_give_their_service() {
        assert_eq!(service_of_container("api-backend-1"), "backend");
        assert_eq!(service_of_container("/proxy_nginx_1"), "nginx");
        assert_eq!(service_of_container("web"), "web");
        assert!(publishes(&["0.0.0.0:8080->80/tcp".to_string()], 80));
        assert!(publishes(&["3000".to_string()], 3000));
        assert!(publishes(&["127.0.0.1:5000:5000".to_string()], 5000));
        assert!(!publishes(&["8000/tcp".to_string()], 80));
    }
}

//! `backend-bound-to-container-loopback`: the backend listens on `127.0.0.1` inside its own
//! container, so nginx's container cannot reach it.
//!
//! ## What it looks for
//! The backend saying it listens on a loopback address (gunicorn `Listening at:
//! http://127.0.0.1:8000`, node `listening on localhost:3000`, a compose `command:` with `-b
//! 127.0.0.1:8000` / `--host 127.0.0.1`, `HOST=127.0.0.1` in its environment) while it runs in a
//! container (its log came from `docker logs`/`kubectl logs`, or containers / compose services
//! are pasted), and nginx's connection to that port on another address (the service name or the
//! container IP) is refused.
//!
//! ## Why it matters
//! A server bound to 127.0.0.1 accepts only connections from inside its own network namespace.
//! Another container (nginx) reaches it through the container's network interface, where
//! nothing listens: `connect() failed (111: Connection refused)` and a 502. The fix is on the
//! backend: bind `0.0.0.0`.
//!
//! ## Weakened by
//! No container in sight (then a backend on 127.0.0.1 with nginx dialing another host is an
//! upstream-down / wrong-address case); nginx dialing the same loopback address (then both share
//! a namespace and the bind is right).

use crate::cause::Cause;
use crate::facts::*;
use crate::model::{Model, endpoints};
use crate::rules::{Draft, Rule};
use crate::span::Span;

/// The rule.
pub const RULE: Rule = Rule {
    id: "backend-bound-to-container-loopback",
    cause: Cause::ContainerNetworking,
    doc: "the backend listens on 127.0.0.1/localhost inside its own container (app log, compose command or environment) while nginx, in another container, dials it by name or container IP",
    check,
};

/// A loopback bind in a command line: `-b 127.0.0.1:8000`, `--bind=localhost:3000`, `--host
/// 127.0.0.1`, `--port 8000` beside it.
fn loopback_bind(command: &str) -> Option<(String, Option<u16>)> {
    let words: Vec<&str> = command
        .split(|c: char| c.is_whitespace() || c == '"' || c == '\'' || c == ',' || c == '[' || c == ']')
        .filter(|w| !w.is_empty())
        .collect();
    let mut host = None;
    let mut port = None;
    for (i, w) in words.iter().enumerate() {
        let (flag, value) = match w.split_once('=') {
            Some((f, v)) if f.starts_with('-') => (f, Some(v)),
            _ => (*w, words.get(i + 1).copied()),
        };
        let Some(value) = value else { continue };
        match flag {
            "-b" | "--bind" | "--host" | "-h" | "--listen" | "--http" | "--socket" => {
                let v = value.trim_start_matches("http://").trim_start_matches("tcp://");
                let (h, p) = match v.rsplit_once(':') {
                    Some((h, p)) => (h, p.parse().ok()),
                    None => (v, None),
                };
                if endpoints::is_loopback(h) {
                    host = Some(h.to_string());
                    port = port.or(p);
                }
            }
            "--port" | "-p" => port = port.or(value.parse().ok()),
            _ => {}
        }
    }
    host.map(|h| (h, port))
}

fn check(model: &Model<'_>, out: &mut Vec<Draft>) {
    // Where the backend says it binds loopback.
    let mut binds: Vec<(usize, Span, String, Option<u16>, bool)> = Vec::new(); // artifact, span, host, port, from a container
    let units = model.container_units();
    for a in model.all::<AppEvent>() {
        if a.class != "listening" {
            continue;
        }
        if let Some(Endpoint::Tcp { host, port }) = &a.endpoint
            && endpoints::is_loopback(host)
        {
            let cmd = model
                .artifacts
                .get(a.artifact)
                .and_then(|x| x.command.as_deref())
                .unwrap_or("");
            let program = cmd.split_whitespace().find(|w| *w != "sudo").unwrap_or("");
            let in_container = matches!(program, "docker" | "podman" | "kubectl" | "docker-compose" | "oc");
            binds.push((a.artifact, a.span, host.clone(), *port, in_container));
        }
    }
    for s in model.all::<ComposeService>() {
        if let Some((host, port)) = s.command.as_deref().and_then(loopback_bind) {
            binds.push((s.artifact, s.span, host, port, true));
            continue;
        }
        for env in &s.environment {
            if let Some((k, v)) = env.split_once('=')
                && matches!(
                    k.trim(),
                    "HOST" | "BIND" | "LISTEN_ADDR" | "HOSTNAME" | "BIND_ADDRESS" | "SERVER_HOST"
                )
                && endpoints::is_loopback(v.trim())
                && k.trim() != "HOSTNAME"
            {
                binds.push((s.artifact, s.span, v.trim().to_string(), None, true));
            }
        }
    }
    for p in model.all::<ProcessInfo>() {
        if let Some((host, port)) = loopback_bind(&p.command) {
            binds.push((p.artifact, p.span, host, port, false));
        }
    }
    let Some(bind) = binds.first().cloned() else { return };
    let containers = !units.is_empty() || binds.iter().any(|b| b.4) || !model.nginx_container_signs().is_empty();
    if !containers {
        return;
    }
    let (artifact, span, host, port, _) = bind;
    // nginx refused on that port at a non-loopback address.
    let refused: Vec<_> = model
        .events(MessageClass::ConnectFailed)
        .filter(|e| crate::model::reach::connect_errno(e) == Some(crate::model::reach::ConnectErrno::Refused))
        .filter(|e| match Model::event_endpoint(e) {
            Some(Endpoint::Tcp { host: h, port: p }) => !endpoints::is_loopback(&h) && (port.is_none() || p == port),
            _ => false,
        })
        .collect();
    // nginx dialing the same loopback: they share a namespace (or nginx is on the host).
    let same_loopback = model.targets().iter().any(|t| {
        t.endpoints
            .iter()
            .any(|e| matches!(e, Endpoint::Tcp { host: h, port: p } if endpoints::is_loopback(h) && (port.is_none() || *p == port)))
    });
    let mut conf: f32 = if refused.is_empty() { 0.5 } else { 0.88 };
    if same_loopback && refused.is_empty() {
        return;
    }
    let shown = match port {
        Some(p) => format!("{host}:{p}"),
        None => host.clone(),
    };
    let mut d = Draft::new(
        Cause::ContainerNetworking,
        conf,
        format!("The backend listens on {shown} inside its own container: nginx's container cannot reach it"),
    );
    d.value("listen_address", shown.clone());
    if let Some(p) = port {
        d.value("port", p.to_string());
        d.value("upstream_port", p.to_string());
    }
    d.support(
        artifact,
        span,
        format!("the backend binds {shown}: only its own container can connect"),
    );
    for e in refused.iter().take(2) {
        if let Some(ep) = Model::event_endpoint(e) {
            d.value("upstream", ep.to_string());
            d.support(
                e.artifact,
                e.span,
                format!("nginx dials {ep} and is refused (errno 111): nothing listens on the container's interface"),
            );
        }
    }
    if let Some(b) = model.backend_service_for(port) {
        d.value("container", b.name.clone());
    }
    if same_loopback {
        conf -= 0.2;
    }
    d.confidence = conf.clamp(0.0, 0.95);
    out.push(d);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_loopback_binds() {
        assert_eq!(
            loopback_bind("gunicorn -b 127.0.0.1:8000 app:app"),
            Some(("127.0.0.1".into(), Some(8000)))
        );
        assert_eq!(
            loopback_bind("uvicorn main:app --host 127.0.0.1 --port 8000"),
            Some(("127.0.0.1".into(), Some(8000)))
        );
        assert_eq!(
            loopback_bind("[\"gunicorn\", \"--bind=localhost:5000\", \"wsgi\"]"),
            Some(("localhost".into(), Some(5000)))
        );
        assert_eq!(loopback_bind("gunicorn -b 0.0.0.0:8000 app:app"), None);
    }
}

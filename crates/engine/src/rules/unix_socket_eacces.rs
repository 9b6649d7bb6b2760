//! `unix-socket-eacces`: nginx's worker may not open a unix socket: `(13: Permission denied)`.
//!
//! ## What it looks for
//! `connect() to unix:PATH failed (13: Permission denied) while connecting to upstream` (PHP-FPM,
//! gunicorn, uWSGI, NGINX Unit, any socket), then the reason across artifacts: the socket's
//! owner, group and mode from `ls -l`/`stat` against the nginx worker user (the `user`
//! directive, `ps`, or the platform default) and its groups from `id`; a parent directory the
//! user cannot traverse; the pool's `listen.owner`/`listen.group`/`listen.mode` (missing ones
//! leave the socket owned by the FPM master, usually root, mode 0660).
//!
//! ## Why it matters
//! Connecting to a unix socket needs write permission on it and search permission on every
//! parent directory. Without them every request gets a 502. The fix is the pool's
//! `listen.owner`/`listen.group` (or the app server's socket group), never `chmod 777`.
//!
//! ## Weakened by
//! An SELinux or AppArmor denial for the same access (then the MAC policy, not the mode, denies
//! it: `selinux-denied`), a socket mode that does let the nginx user write and parents it can
//! traverse (then something other than the file mode denies it), SELinux enforcing on a system
//! where the mode allows access.

use crate::cause::Cause;
use crate::facts::{Endpoint, ErrorEvent, MacDenial, SelinuxMode};
use crate::model::access::octal_mode;
use crate::model::nginx::UserSource;
use crate::model::{At, Model};
use crate::rules::{Draft, Rule};

/// The rule.
pub const RULE: Rule = Rule {
    id: "unix-socket-eacces",
    cause: Cause::SocketPermissionDenied,
    doc: "nginx's connect() to a unix socket fails with (13: Permission denied), read against the socket's owner/mode, the pool's listen.owner/group and nginx's user",
    check,
};

fn check(model: &Model<'_>, out: &mut Vec<Draft>) {
    for (dialed, events) in model.connect_failures_by_endpoint(|e| e.errno == Some(13)) {
        if let Some(path) = dialed.unix_path() {
            out.push(draft_for(model, path, &events));
        }
    }
}

/// An enforced MAC denial for nginx on a unix socket (by name when the denial names one).
pub(crate) fn mac_denial_on_socket<'a>(model: &Model<'a>, path: Option<&str>) -> Option<At<'a, MacDenial>> {
    let base = path.map(|p| p.rsplit('/').next().unwrap_or(p));
    model.all::<MacDenial>().find(|m| {
        let nginx = crate::rules::mac_denial_for_nginx::is_nginx(m);
        let socket = m
            .target_class
            .as_deref()
            .is_some_and(|c| c == "sock_file" || c == "unix_stream_socket")
            || m.permissions.iter().any(|p| p == "connectto")
            || m.operation.as_deref() == Some("connect");
        let named = match (base, m.path.as_deref()) {
            (Some(b), Some(p)) => p.ends_with(b),
            _ => true,
        };
        nginx && socket && named && !m.permissive
    })
}

fn draft_for(model: &Model<'_>, path: &str, events: &[At<'_, ErrorEvent>]) -> Draft {
    let dialed = Endpoint::Unix { path: path.to_string() };
    let who = model.nginx_who();
    let mut confidence: f32 = 0.8;
    let mut support: Vec<(usize, crate::span::Span, String)> = Vec::new();
    let mut against: Vec<(usize, crate::span::Span, String)> = Vec::new();
    let mut title: Option<String> = None;
    let mut values: Vec<(&str, String)> = vec![("socket", path.to_string()), ("upstream", format!("unix:{path}"))];
    let user_name = who.as_ref().map(|(w, _)| w.user.clone());
    if let Some((w, u)) = &who {
        values.push(("nginx_user", w.user.clone()));
        if let Some((a, s)) = u.from {
            let how = match u.source {
                UserSource::Directive => "nginx's workers run as",
                _ => "the nginx worker runs as",
            };
            support.push((a, s, format!("{how} {}", w.user)));
        }
    }
    let mut mode_allows = false;
    let mut allows_at: Option<usize> = None;
    // The socket file itself.
    if let Some(f) = model.file(path).filter(|f| f.error.is_none() && !f.mode.is_empty()) {
        let mode = octal_mode(&f.mode).unwrap_or_else(|| f.mode.clone());
        values.push(("socket_owner", f.owner.clone()));
        values.push(("socket_group", f.group.clone()));
        values.push(("socket_mode", mode.clone()));
        match who.as_ref().and_then(|(w, _)| w.may_write(&f)) {
            Some(false) => {
                confidence += 0.13;
                let user = user_name.clone().unwrap_or_default();
                support.push((
                    f.artifact,
                    f.span,
                    format!(
                        "the socket is {}:{} mode {mode}: {user} may not write to it",
                        f.owner, f.group
                    ),
                ));
                title = Some(format!(
                    "nginx ({user}) may not open {path}: it is {}:{} with mode {mode}",
                    f.owner, f.group
                ));
            }
            Some(true) => {
                mode_allows = true;
                allows_at = Some(against.len());
                against.push((
                    f.artifact,
                    f.span,
                    format!(
                        "the socket is {}:{} mode {mode}: {} may write to it, so its mode is not what denies",
                        f.owner,
                        f.group,
                        user_name.clone().unwrap_or_default()
                    ),
                ));
            }
            None => {
                let others_write = f.mode.chars().nth(7) == Some('w');
                if !others_write && f.owner == "root" {
                    confidence += 0.06;
                    support.push((
                        f.artifact,
                        f.span,
                        format!(
                            "the socket is {}:{} mode {mode}: only root (and its group) may connect",
                            f.owner, f.group
                        ),
                    ));
                }
            }
        }
    }
    // Parent directories the worker cannot traverse.
    if let Some((w, _)) = &who {
        for dir in model.parents_listed(path) {
            if w.may_search(&dir) == Some(false) {
                confidence += 0.13;
                mode_allows = false;
                // The socket's own mode does not matter when its directory is closed.
                if let Some(i) = allows_at.take() {
                    against.remove(i);
                }
                support.push((
                    dir.artifact,
                    dir.span,
                    format!(
                        "{} cannot enter {} ({} {}:{})",
                        w.user, dir.path, dir.mode, dir.owner, dir.group
                    ),
                ));
                values.push(("file", dir.path.clone()));
                title.get_or_insert_with(|| {
                    format!("nginx ({}) cannot reach {path}: it may not enter {}", w.user, dir.path)
                });
                break;
            }
        }
    }
    if mode_allows {
        confidence -= 0.3;
    }
    // The pool that creates the socket.
    if let Some(p) = model.pool_serving(&dialed) {
        if !p.name.is_empty() {
            values.push(("fpm_pool", p.name.clone()));
        }
        if let Some(f) = &p.file {
            values.push(("fpm_conf", f.clone()));
        }
        let user = user_name.clone();
        match (&p.listen_owner, &p.listen_group, &p.listen_acl_users) {
            (_, _, Some(acl)) => {
                if let Some(u) = &user
                    && !acl.split(',').any(|a| a.trim() == u)
                {
                    confidence += 0.08;
                    support.push((
                        p.artifact,
                        p.span,
                        format!("listen.acl_users = {acl} does not name {u}"),
                    ));
                }
            }
            (None, None, None) => {
                confidence += 0.08;
                support.push((
                    p.artifact,
                    p.span,
                    "the pool sets no listen.owner/listen.group: the socket belongs to the FPM master (usually root)"
                        .into(),
                ));
                title.get_or_insert_with(|| {
                    format!(
                        "PHP-FPM creates {path} without listen.owner/listen.group: it belongs to root, not {}",
                        user.clone().unwrap_or_else(|| "nginx's user".into())
                    )
                });
            }
            (owner, group, None) => {
                if let Some((w, _)) = &who {
                    let owner_ok = owner.as_deref() == Some(w.user.as_str());
                    let group_ok = group.as_deref().is_some_and(|g| w.groups.iter().any(|x| x == g));
                    if (!owner_ok && !group_ok && w.groups_known) || (!owner_ok && group.is_none()) {
                        confidence += 0.08;
                        support.push((
                            p.artifact,
                            p.span,
                            format!(
                                "the pool gives the socket to {}:{}, not to {}",
                                owner.as_deref().unwrap_or("?"),
                                group.as_deref().unwrap_or("?"),
                                w.user
                            ),
                        ));
                    }
                }
            }
        }
    }
    // SELinux / AppArmor.
    let mac = mac_denial_on_socket(model, Some(path));
    if let Some(m) = &mac {
        confidence -= 0.3;
        against.push((
            m.artifact,
            m.span,
            format!(
                "{} denies this access: the policy, not the file mode, refuses it",
                m.system
            ),
        ));
    } else if mode_allows && let Some(s) = model.all::<SelinuxMode>().find(|s| s.mode == "enforcing") {
        confidence -= 0.1;
        against.push((
            s.artifact,
            s.span,
            "SELinux is enforcing and the mode allows access: check the AVC log".into(),
        ));
    }
    let title = title.unwrap_or_else(|| format!("nginx's workers may not open the socket {path} (Permission denied)"));
    let mut d = Draft::new(Cause::SocketPermissionDenied, confidence.clamp(0.15, 0.95), title);
    for e in events.iter().take(3) {
        d.support(
            e.artifact,
            e.span,
            format!("nginx is refused access to {path} (errno 13: permission denied)"),
        );
    }
    for (a, s, n) in support {
        d.support(a, s, n);
    }
    for (a, s, n) in against {
        d.against(a, s, n);
    }
    for (k, v) in values {
        d.value(k, v);
    }
    d
}

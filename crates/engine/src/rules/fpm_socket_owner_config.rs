//! `fpm-socket-owner-config`: the pool's socket ownership does not let nginx's user in
//! (configuration only).
//!
//! ## What it looks for
//! A PHP-FPM pool that listens on a unix socket with no `listen.owner`/`listen.group`/
//! `listen.acl_users` (FPM then leaves the socket owned by its master, usually root, mode
//! 0660), or that gives the socket to a user and group the nginx worker is not (the `user`
//! directive, `ps`, `id`), or mode 0600 for another owner. When nginx's user is not known it
//! names the user the pool expects, as a hint.
//!
//! ## Why it matters
//! This is the classic cause of `connect() to unix:... failed (13: Permission denied)`: the
//! socket is recreated at every PHP-FPM restart, so a one-off `chown` does not last; only
//! `listen.owner`/`listen.group` in the pool does.
//!
//! ## Weakened by
//! It reads configuration, not what happened: with no error line it stays a medium or weak
//! finding. A pasted pool may be partial (only the changed lines), so a missing `listen.owner`
//! is not proof. A mode that lets everyone write (0666), or an owner/group matching nginx's
//! user, rules it out.

use crate::cause::Cause;
use crate::facts::{Endpoint, FpmPool};
use crate::model::Model;
use crate::model::nginx::UserSource;
use crate::rules::{Draft, Rule};

/// The rule.
pub const RULE: Rule = Rule {
    id: "fpm-socket-owner-config",
    cause: Cause::SocketPermissionDenied,
    doc: "a PHP-FPM pool's listen.owner/listen.group/listen.mode leave its socket closed to nginx's worker user (configuration only)",
    check,
};

fn check(model: &Model<'_>, out: &mut Vec<Draft>) {
    for p in model.all::<FpmPool>() {
        if let Some(d) = draft_for(model, &p) {
            out.push(d);
        }
    }
}

fn draft_for(model: &Model<'_>, p: &crate::model::At<'_, FpmPool>) -> Option<Draft> {
    let unix = matches!(p.endpoint, Some(Endpoint::Unix { .. }));
    let owner = p.listen_owner.as_deref();
    let group = p.listen_group.as_deref();
    let mode = p.listen_mode.as_deref();
    let sets_socket = owner.is_some() || group.is_some() || mode.is_some();
    if !(unix || (sets_socket && p.endpoint.is_none())) {
        return None;
    }
    if p.listen_acl_users.is_some() || p.listen_acl_groups.is_some() {
        return None;
    }
    let others_write = mode
        .filter(|m| m.trim().len() >= 3)
        .and_then(|m| m.trim().chars().last())
        .is_some_and(|c| matches!(c, '2' | '3' | '6' | '7'));
    if others_write {
        return None; // everyone may write
    }
    let who = model.nginx_who();
    let socket = p.endpoint.as_ref().and_then(|e| e.unix_path()).map(str::to_string);
    let socket_text = socket.clone().unwrap_or_else(|| "its socket".into());
    let mode_text = mode.unwrap_or("0660");
    let pool = if p.name.is_empty() {
        "the pool".to_string()
    } else {
        format!("pool [{}]", p.name)
    };
    let (confidence, title, note) = match (owner, group, &who) {
        (None, None, _) => {
            let user = who.as_ref().map_or("nginx's user".to_string(), |(w, _)| w.user.clone());
            if user == "root" {
                return None;
            }
            (
                if who.is_some() { 0.58 } else { 0.52 },
                format!(
                    "{pool} sets no listen.owner/listen.group: {socket_text} belongs to root (mode {mode_text}), not {user}"
                ),
                format!(
                    "no listen.owner/listen.group: FPM leaves the socket to its master, usually root, mode {mode_text}"
                ),
            )
        }
        (owner, group, Some((w, u))) => {
            let owner_ok = owner == Some(w.user.as_str());
            let group_ok = group.is_some_and(|g| w.groups.iter().any(|x| x == g));
            let owner_only = mode.is_some_and(|m| m.ends_with("600") || m.ends_with("700"));
            if owner_ok || (group_ok && !owner_only) {
                return None;
            }
            let given = format!("{}:{}", owner.unwrap_or("root"), group.or(owner).unwrap_or("root"));
            let guessed = u.source == UserSource::PlatformDefault;
            (
                if guessed { 0.45 } else { 0.64 },
                format!(
                    "{pool} gives {socket_text} to {given} (mode {mode_text}) but nginx runs as {}",
                    w.user
                ),
                format!(
                    "listen.owner/group give the socket to {given}, mode {mode_text}: {} is neither",
                    w.user
                ),
            )
        }
        (owner, group, None) => {
            // With nginx's user unknown this is only a hint: give it when the paste is about the
            // socket's ownership (only those settings shown) or nginx was refused a socket.
            let about_ownership = p.settings.iter().all(|(k, _)| {
                matches!(
                    k.as_str(),
                    "listen" | "listen.owner" | "listen.group" | "listen.mode" | "user" | "group"
                )
            });
            let refused = model
                .events(crate::facts::MessageClass::ConnectFailed)
                .any(|e| e.errno == Some(13) && e.target.as_deref().is_some_and(|t| t.starts_with("unix:")));
            if !about_ownership && !refused {
                return None;
            }
            let given = format!("{}:{}", owner.unwrap_or("root"), group.or(owner).unwrap_or("root"));
            (
                0.3,
                format!(
                    "{pool} gives {socket_text} to {given} (mode {mode_text}): nginx's workers must run as that user or group"
                ),
                format!("the socket will belong to {given}, mode {mode_text}: only that user and group may connect"),
            )
        }
    };
    let mut d = Draft::new(Cause::SocketPermissionDenied, confidence, title);
    d.support(p.artifact, p.span, note);
    // nginx's errors on this socket say it is missing or refused, never forbidden: ownership is
    // not what fails now.
    if let Some(path) = socket.as_deref() {
        let on_socket: Vec<_> = model
            .events(crate::facts::MessageClass::ConnectFailed)
            .filter(|e| e.target.as_deref().and_then(|t| t.strip_prefix("unix:")) == Some(path))
            .collect();
        if let Some(e) = on_socket.iter().find(|e| e.errno != Some(13))
            && on_socket.iter().all(|e| e.errno != Some(13))
        {
            d.confidence = d.confidence.min(0.25);
            d.against(
                e.artifact,
                e.span,
                "nginx's error is not (13: Permission denied) for this socket: fix what it says first",
            );
        }
    }
    if let Some((w, u)) = &who {
        d.value("nginx_user", w.user.as_str());
        if let Some((a, s)) = u.from {
            d.support(a, s, format!("nginx's workers run as {}", w.user));
        }
    }
    if let Some(s) = &socket {
        d.value("socket", s.as_str());
    }
    if let Some(o) = owner {
        d.value("socket_owner", o);
    }
    if let Some(g) = group.or(owner) {
        d.value("socket_group", g);
    }
    d.value("socket_mode", mode_text);
    if !p.name.is_empty() {
        d.value("fpm_pool", p.name.as_str());
    }
    if let Some(f) = &p.file {
        d.value("fpm_conf", f.as_str());
    }
    Some(d)
}

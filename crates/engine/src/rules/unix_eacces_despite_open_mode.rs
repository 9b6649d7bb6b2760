//! `unix-eacces-despite-open-mode`: nginx gets `(13: Permission denied)` on a unix socket whose
//! mode and directories do let its user in, under an enforcing SELinux or an AppArmor profile.
//!
//! ## What it looks for
//! `connect() to unix:PATH failed (13: Permission denied)` where the pasted `ls -l`/`namei -l`
//! show that the nginx worker user may write to the socket and traverse every listed parent
//! directory, together with `getenforce`/`sestatus` saying `Enforcing` (or an AppArmor profile
//! for nginx in enforce mode). When the file mode allows the access, what denies it is the
//! security policy: typically the socket's SELinux type (`user_home_t`, `tmp_t`...) is not one
//! `httpd_t` may connect to.
//!
//! ## Why it matters
//! `chmod`/`chown` cannot fix this (people end up with 0777 sockets and the same 502). The fix is a
//! file context for the socket's directory or moving the socket under `/run`.
//!
//! ## Weakened by
//! A mode or directory that does deny the user (then it is plain `socket-permission-denied`), no
//! SELinux or AppArmor state pasted (then the policy is a guess), SELinux permissive or
//! disabled. An AVC line for the access makes `mac-denial-for-nginx` the proof.

use crate::cause::Cause;
use crate::facts::{MessageClass, SelinuxMode, Setting};
use crate::model::Model;
use crate::rules::{Draft, Rule};

/// The rule.
pub const RULE: Rule = Rule {
    id: "unix-eacces-despite-open-mode",
    cause: Cause::SelinuxDenied,
    doc: "nginx gets (13) on a unix socket whose mode and directories allow its user, under enforcing SELinux or AppArmor",
    check,
};

fn check(model: &Model<'_>, out: &mut Vec<Draft>) {
    let Some((who, _)) = model.nginx_who() else { return };
    for e in model.events(MessageClass::ConnectFailed) {
        if e.errno != Some(13) {
            continue;
        }
        let Some(path) = e.target.as_deref().and_then(|t| t.strip_prefix("unix:")) else {
            continue;
        };
        let Some(f) = model.file(path).filter(|f| f.error.is_none() && !f.mode.is_empty()) else {
            continue;
        };
        if who.may_write(&f) != Some(true) {
            continue;
        }
        let parents = model.parents_listed(path);
        if parents.iter().any(|d| who.may_search(d) != Some(true)) {
            continue;
        }
        let selinux = model.all::<SelinuxMode>().last();
        let apparmor = model
            .all::<Setting>()
            .find(|s| s.source == "apparmor" && s.key.contains("nginx") && s.value.value.contains("enforce"));
        let mut confidence: f32 = 0.5;
        let mut d = Draft::new(
            Cause::SelinuxDenied,
            confidence,
            format!(
                "{path} is open to {} yet nginx is denied: a security policy refuses it",
                who.user
            ),
        );
        d.support(e.artifact, e.span, "nginx is refused with errno 13");
        d.support(
            f.artifact,
            f.span,
            format!(
                "the socket's mode lets {} write to it: the file mode is not what denies",
                who.user
            ),
        );
        if let Some(ctx) = &f.context {
            d.support(f.artifact, f.span, format!("its SELinux type is {ctx}"));
        }
        match (selinux, apparmor) {
            (Some(m), _) if m.mode == "enforcing" => {
                confidence += 0.22;
                d.support(m.artifact, m.span, "SELinux is enforcing");
            }
            (Some(m), None) => {
                confidence -= 0.3;
                d.against(m.artifact, m.span, format!("SELinux is {}", m.mode));
            }
            (_, Some(a)) => {
                confidence += 0.15;
                d.support(a.artifact, a.span, "an AppArmor profile confines nginx");
            }
            (None, None) => {}
        }
        d.value("socket", path);
        if let Some((dir, _)) = path.rsplit_once('/')
            && !dir.is_empty()
        {
            d.value("file", dir);
        }
        d.value("nginx_user", who.user.as_str());
        d.confidence = confidence.clamp(0.15, 0.8);
        out.push(d);
        return;
    }
}

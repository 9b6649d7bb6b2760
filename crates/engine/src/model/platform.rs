//! Which platform the person runs, guessed from their own paths, users and tools, so that a fix
//! shows the commands of their system.

use crate::facts::*;
use crate::model::Model;

/// A platform as the knowledge pages name it (`knowledge::PLATFORMS`).
pub fn platform(model: &Model<'_>) -> Option<&'static str> {
    let mut debian = 0;
    let mut rhel = 0;
    let mut container = 0;
    let mut texts: Vec<&str> = Vec::new();
    let hint = |text: &str, debian: &mut i32, rhel: &mut i32| {
        if text.contains("/etc/nginx/sites-enabled")
            || text.contains("/etc/php/")
            || text.contains("/run/php/php")
            || text.contains("www-data")
            || text.contains("(Ubuntu)")
            || text.contains("(Debian)")
            || text.contains("apt ")
        {
            *debian += 1;
        }
        if text.contains("/etc/php-fpm.d")
            || text.contains("/run/php-fpm/")
            || text.contains("httpd_t")
            || text.contains("el7")
            || text.contains("el8")
            || text.contains("el9")
            || text.contains("firewall-cmd")
            || text.contains("(Red Hat)")
            || text.contains("(CentOS)")
        {
            *rhel += 1;
        }
    };
    for a in model.artifacts {
        if let Some(f) = &a.file {
            texts.push(f);
        }
        if let Some(c) = &a.command {
            texts.push(c);
            if c.starts_with("docker") || c.starts_with("kubectl") || c.starts_with("podman") {
                container += 1;
            }
        }
        if matches!(
            a.kind,
            crate::Kind::DockerPs
                | crate::Kind::ComposePs
                | crate::Kind::ComposeFile
                | crate::Kind::KubectlGet
                | crate::Kind::KubectlDescribe
                | crate::Kind::IngressControllerLog
        ) {
            container += 2;
        }
    }
    for t in model.all::<UpstreamTarget>() {
        texts.push(&t.value.raw);
    }
    for p in model.all::<FpmPool>() {
        if let Some(l) = &p.value.listen {
            texts.push(l);
        }
        if let Some(f) = &p.value.file {
            texts.push(f);
        }
    }
    for d in model.all::<NginxDirective>() {
        if d.name == "user" {
            match d.args.first().map(String::as_str) {
                Some("www-data") => debian += 1,
                Some("nginx") => rhel += 1,
                _ => {}
            }
        }
    }
    for e in model.all::<ErrorEvent>() {
        // musl's wording: Alpine-based images.
        if matches!(
            e.errno_text.as_deref(),
            Some(
                "Operation timed out"
                    | "Host is unreachable"
                    | "Address not available"
                    | "Address in use"
                    | "No file descriptors available"
                    | "Network unreachable"
            )
        ) {
            container += 2;
        }
        if let Some(t) = &e.value.target {
            texts.push(t);
        }
    }
    for text in texts {
        hint(text, &mut debian, &mut rhel);
    }
    if model.has::<SelinuxMode>() || model.has::<MacDenial>() && model.all::<MacDenial>().any(|d| d.system == "selinux")
    {
        rhel += 2;
    }
    let best = [
        (container, "Alpine/containers"),
        (rhel, "RHEL/Fedora"),
        (debian, "Debian/Ubuntu"),
    ]
    .into_iter()
    .max_by_key(|&(n, _)| n)?;
    (best.0 > 0).then_some(best.1)
}

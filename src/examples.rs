//! Built-in examples: typical 502 cases to try the app without pasting anything. Each is a few
//! pastes as a person would give them (text files under `src/examples/`).

use engine::Paste;

use crate::session::Saved;

/// One example.
#[derive(Debug)]
pub struct Example {
    /// Stable id (used in the page: `data-example`).
    pub id: &'static str,
    /// What it shows, in a few words.
    pub title: &'static str,
    /// One sentence more.
    pub summary: &'static str,
    /// `(name, text)` of each paste.
    pub pastes: &'static [(&'static str, &'static str)],
}

impl Example {
    /// The example as a session to load.
    pub fn saved(&self) -> Saved {
        Saved {
            pastes: self
                .pastes
                .iter()
                .map(|(name, text)| Paste::new(*name, *text))
                .collect(),
            answers: Default::default(),
        }
    }
}

/// Every example.
pub const EXAMPLES: &[Example] = &[
    Example {
        id: "php-fpm-stopped",
        title: "PHP site: PHP-FPM is stopped",
        summary: "Every PHP page gives 502; the error log says the socket does not exist.",
        pastes: &[
            ("error.log", include_str!("examples/php-fpm-stopped/error.log")),
            ("systemctl.txt", include_str!("examples/php-fpm-stopped/systemctl.txt")),
        ],
    },
    Example {
        id: "node-refused",
        title: "Node.js API: nothing listens on port 3000",
        summary: "proxy_pass to 127.0.0.1:3000 is refused; ss shows what listens.",
        pastes: &[
            ("error.log", include_str!("examples/node-refused/error.log")),
            ("ss.txt", include_str!("examples/node-refused/ss.txt")),
        ],
    },
    Example {
        id: "gunicorn-failed",
        title: "Django: gunicorn failed to boot after a deploy",
        summary: "The gunicorn socket is missing; systemctl shows why the service failed.",
        pastes: &[
            ("error.log", include_str!("examples/gunicorn-failed/1-error.log")),
            (
                "systemctl.txt",
                include_str!("examples/gunicorn-failed/2-systemctl.txt"),
            ),
        ],
    },
    Example {
        id: "slow-export-504",
        title: "504 after exactly 60 seconds",
        summary: "A slow export hits nginx's default proxy_read_timeout.",
        pastes: &[
            ("error.log", include_str!("examples/slow-export-504/1-error.log")),
            ("access.log", include_str!("examples/slow-export-504/2-access.log")),
            ("site.conf", include_str!("examples/slow-export-504/3-site.conf")),
        ],
    },
    Example {
        id: "selinux-home-socket",
        title: "Fedora: Permission denied on a socket that is 0777",
        summary: "SELinux denies nginx the gunicorn socket in a home directory.",
        pastes: &[
            ("error.log", include_str!("examples/selinux-home-socket/1-error.log")),
            (
                "ls-getenforce.txt",
                include_str!("examples/selinux-home-socket/2-ls-getenforce.txt"),
            ),
            (
                "ausearch.txt",
                include_str!("examples/selinux-home-socket/3-ausearch.txt"),
            ),
        ],
    },
    Example {
        id: "cloudflare-502",
        title: "Cloudflare shows 502, the origin looks fine",
        summary: "The 502 page comes from Cloudflare; the origin answers 200.",
        pastes: &[
            (
                "curl-cloudflare.txt",
                include_str!("examples/cloudflare-502/1-curl-cloudflare.txt"),
            ),
            (
                "page-title.txt",
                include_str!("examples/cloudflare-502/2-page-title.txt"),
            ),
            (
                "curl-origin.txt",
                include_str!("examples/cloudflare-502/3-curl-origin.txt"),
            ),
            ("access.log", include_str!("examples/cloudflare-502/4-access.log")),
        ],
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_example_is_read_and_leads_somewhere() {
        for example in EXAMPLES {
            let saved = example.saved();
            let report = engine::diagnose(&saved.pastes, &saved.answers);
            assert!(!report.artifacts.is_empty(), "{}", example.id);
            assert!(
                !report.findings.is_empty() || report.walk.next.is_some() || report.walk.conclusion.is_some(),
                "{}: neither a finding nor a question",
                example.id
            );
        }
    }
}

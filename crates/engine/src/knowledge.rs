//! The knowledge base: a page per cause id (compiled in from `knowledge/causes/*.md` by
//! `build.rs`), and the placeholders the diagnosis fills in it from the person's evidence.

use crate::cause::Cause;

/// One cause page.
#[derive(Debug, PartialEq, Eq)]
pub struct CausePage {
    /// The cause id (the file name).
    pub id: &'static str,
    /// The page title.
    pub title: &'static str,
    /// `(heading, markdown)` in the fixed order: What happened, Why nginx answers..., Confirm,
    /// Fix, Check, What this cannot tell you, Read more.
    pub sections: &'static [(&'static str, &'static str)],
    /// Platform-specific parts of the fix: `(platform, markdown)`.
    pub fix_platforms: &'static [(&'static str, &'static str)],
}

include!(concat!(env!("OUT_DIR"), "/knowledge_pages.rs"));

impl CausePage {
    /// The section whose heading starts with `heading` (e.g. "Why nginx answers").
    pub fn section(&self, heading: &str) -> Option<&'static str> {
        self.sections
            .iter()
            .find(|(h, _)| h.starts_with(heading))
            .map(|&(_, body)| body)
    }

    /// The full heading of a section (it may name the status: "Why nginx answers 504").
    pub fn heading(&self, heading: &str) -> Option<&'static str> {
        self.sections
            .iter()
            .find(|(h, _)| h.starts_with(heading))
            .map(|&(h, _)| h)
    }
}

/// The page of a cause.
pub fn page(cause: Cause) -> Option<&'static CausePage> {
    PAGES.iter().find(|p| p.id == cause.id())
}

/// The platforms a fix may be specific to, as headed in the pages.
pub const PLATFORMS: &[&str] = &["Debian/Ubuntu", "RHEL/Fedora", "Alpine/containers"];

/// Every placeholder a page may use, with what fills it.
pub const PLACEHOLDERS: &[(&str, &str)] = &[
    ("socket", "the unix socket path nginx dials"),
    ("fpm_listen", "the pool's listen value (socket path or address)"),
    ("fpm_pool", "the PHP-FPM pool name"),
    ("fpm_service", "the PHP-FPM service unit (php8.3-fpm, php-fpm)"),
    ("fpm_conf", "the PHP-FPM pool file"),
    ("php_version", "the PHP version (8.3)"),
    ("upstream", "the upstream address nginx dials (host:port or unix:path)"),
    ("upstream_host", "the upstream host"),
    ("upstream_port", "the upstream port"),
    ("group_name", "the upstream {} group name"),
    (
        "directive",
        "the nginx directive concerned (fastcgi_pass, proxy_pass...)",
    ),
    ("config_file", "the nginx configuration file concerned"),
    ("config_line", "the line in that file"),
    ("nginx_user", "the user nginx workers run as"),
    ("socket_owner", "the socket's owner"),
    ("socket_group", "the socket's group"),
    ("socket_mode", "the socket's permissions"),
    ("service", "the backend service unit"),
    ("server_name", "the server_name the request should hit"),
    ("host", "the Host the client asked for"),
    ("port", "a port number"),
    ("listen_address", "what the backend listens on"),
    ("timeout", "the timeout value"),
    (
        "timeout_directive",
        "the timeout directive to raise (proxy_read_timeout, fastcgi_read_timeout...)",
    ),
    ("terminate_timeout", "PHP-FPM's request_terminate_timeout"),
    ("max_children", "pm.max_children"),
    (
        "buffer_directive",
        "the buffer directive to raise (proxy_buffer_size...)",
    ),
    ("boolean", "the SELinux boolean"),
    ("resolver", "a DNS resolver address"),
    ("name", "the host name that does not resolve"),
    ("container", "the container or compose service"),
    ("k8s_service", "the Kubernetes Service"),
    ("namespace", "the Kubernetes namespace"),
    ("layer", "the layer that produced the 502 (cloudflare, aws-elb...)"),
    ("limit", "the limit that was hit"),
    ("file", "a file path"),
    ("process", "a process name"),
    ("status", "the HTTP status the client saw"),
    (
        "firewall_rule",
        "the firewall rule or policy that drops or rejects the connection",
    ),
    ("size", "the proposed new size or limit (16k, 16384...)"),
    ("ssl_name", "the backend's TLS name (SNI and certificate name)"),
];

/// Fills `{{name}}` and `{{name|fallback}}` in `text` from `values`. An unknown value shows the
/// fallback, or `<name>` when there is none, so the person sees what to put there.
pub fn fill(text: &str, values: &[(String, String)]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            out.push_str(&rest[start..]);
            return out;
        };
        let inner = &after[..end];
        let (name, fallback) = match inner.split_once('|') {
            Some((n, f)) => (n.trim(), Some(f)),
            None => (inner.trim(), None),
        };
        match values.iter().find(|(k, _)| k == name) {
            Some((_, v)) => out.push_str(v),
            None => match fallback {
                Some(f) => out.push_str(f),
                None => {
                    out.push('<');
                    out.push_str(name);
                    out.push('>');
                }
            },
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

/// A cause page as Markdown with its placeholders filled from `values` (fallbacks or `<name>`
/// where a value is unknown): `gateway-doctor explain` prints it, a ticket can quote it.
pub fn page_markdown(page: &CausePage, values: &[(String, String)]) -> String {
    let mut out = format!("# {}\n", page.title);
    for (heading, body) in page.sections {
        out.push_str(&format!("\n## {heading}\n{}\n", fill(body, values).trim_end()));
        if heading.starts_with("Fix") {
            for (platform, body) in page.fix_platforms {
                out.push_str(&format!("\n### {platform}\n{}\n", fill(body, values).trim_end()));
            }
        }
    }
    out
}

/// Every placeholder name used in `text`.
pub fn placeholders(text: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else { break };
        let inner = &after[..end];
        names.push(inner.split('|').next().unwrap_or("").trim());
        rest = &after[end + 2..];
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_values_fallbacks_and_marks_unknowns() {
        let values = vec![("socket".to_string(), "/run/php/php8.3-fpm.sock".to_string())];
        assert_eq!(fill("ls -l {{socket}}", &values), "ls -l /run/php/php8.3-fpm.sock");
        assert_eq!(fill("user {{nginx_user|www-data}};", &values), "user www-data;");
        assert_eq!(fill("port {{port}}", &values), "port <port>");
        assert_eq!(fill("broken {{socket", &values), "broken {{socket");
    }

    #[test]
    fn every_cause_has_a_page_with_every_section() {
        for cause in Cause::ALL {
            let page = page(*cause).unwrap_or_else(|| panic!("cause {} has no page", cause.id()));
            for heading in [
                "What happened",
                "Why nginx answers",
                "Confirm",
                "Fix",
                "Check",
                "What this cannot tell you",
                "Read more",
            ] {
                let body = page
                    .section(heading)
                    .unwrap_or_else(|| panic!("page {}: no `{heading}` section", page.id));
                assert!(!body.trim().is_empty(), "page {}: empty `{heading}`", page.id);
            }
        }
    }

    #[test]
    fn a_page_renders_as_markdown_with_values_and_platforms() {
        let page = page(Cause::PhpFpmDown).unwrap();
        let values = vec![("socket".to_string(), "/run/php/php7.4-fpm.sock".to_string())];
        let text = page_markdown(page, &values);
        assert!(text.starts_with(&format!("# {}\n", page.title)));
        assert!(text.contains("\n## Fix\n"));
        assert!(text.contains("/run/php/php7.4-fpm.sock"));
        assert!(!text.contains("{{"), "unfilled placeholder in:\n{text}");
        if let Some((platform, _)) = page.fix_platforms.first() {
            let fix = text.find("\n## Fix\n").unwrap();
            let sub = text.find(&format!("\n### {platform}\n")).unwrap();
            assert!(sub > fix);
        }
    }

    #[test]
    fn every_page_is_a_cause_and_uses_known_placeholders() {
        for page in PAGES {
            assert!(Cause::from_id(page.id).is_some(), "page {} is not a cause id", page.id);
            assert!(!page.title.is_empty());
            let texts = page
                .sections
                .iter()
                .map(|(_, b)| *b)
                .chain(page.fix_platforms.iter().map(|(_, b)| *b));
            for text in texts {
                for name in placeholders(text) {
                    assert!(
                        PLACEHOLDERS.iter().any(|(p, _)| *p == name),
                        "page {}: unknown placeholder {{{{{name}}}}}",
                        page.id
                    );
                }
            }
            for (platform, _) in page.fix_platforms {
                assert!(
                    PLATFORMS.contains(platform),
                    "page {}: unknown platform {platform}",
                    page.id
                );
            }
        }
    }
}

//! `request-served-by-other-server-block`: the request landed in a `server {}` block that is not
//! the one for its Host.
//!
//! ## What it looks for
//! An error line whose `host:` (the name the client asked for) is not served by the block in its
//! `server:` field (the first `server_name` of the block that handled it; empty for a block
//! without a name: the default or catch-all). The pasted server blocks decide: a block whose
//! `server_name` is one typo away from the host (it never matches), a block for the host that
//! exists but is not where the request went (not enabled, another `listen`), or no block for the
//! host at all so the default server answered with its own upstream.
//!
//! ## Why it matters
//! The error line names an upstream the person never meant for this site (an old port, a
//! retired socket): chasing that backend is chasing the wrong thing. The fix is the server_name
//! or the enabled site.
//!
//! ## Weakened by
//! A host that is an IP address (no name to match: the default server is expected), and names
//! the handling block also carries (`www.` aliases, wildcards, regexes).

use crate::cause::Cause;
use crate::facts::*;
use crate::model::{At, Model};
use crate::parse::nginx_config::names::edit_distance;
use crate::rules::{Draft, Rule};

/// The rule.
pub const RULE: Rule = Rule {
    id: "request-served-by-other-server-block",
    cause: Cause::ServerNameMismatch,
    doc: "the error line's server: (the block that handled it) does not serve its host:, and the pasted server blocks show why (a typo in server_name, a site not enabled, no block for the name)",
    check,
};

/// True when `name` (a `server_name` value) matches `host` as nginx would.
pub fn name_matches(name: &str, host: &str) -> bool {
    let name = name.trim().to_ascii_lowercase();
    let host = host.to_ascii_lowercase();
    if name == host {
        return true;
    }
    if let Some(suffix) = name.strip_prefix("*.") {
        return host.ends_with(&format!(".{suffix}"));
    }
    if let Some(domain) = name.strip_prefix('.') {
        return host == domain || host.ends_with(&format!(".{domain}"));
    }
    if let Some(prefix) = name.strip_suffix(".*") {
        return host.starts_with(&format!("{prefix}."));
    }
    // Regex names: a rough literal check is not possible; treat them as matching (no claim).
    name.starts_with('~')
}

/// The host without its port.
fn bare_host(host: &str) -> &str {
    let h = host.trim();
    if let Some(rest) = h.strip_prefix('[') {
        return rest.split(']').next().unwrap_or(rest);
    }
    match h.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) && !name.contains(':') => name,
        _ => h,
    }
}

fn check(model: &Model<'_>, out: &mut Vec<Draft>) {
    let blocks: Vec<At<'_, ServerBlock>> = model.all::<ServerBlock>().collect();
    // Without the server blocks there is nothing to compare: a catch-all `server_name _;`
    // answering every name is how many single-site servers are meant to work.
    if blocks.is_empty() {
        return;
    }
    for e in model.all::<ErrorEvent>() {
        let (Some(server), Some(host)) = (e.server.as_deref(), e.host.as_deref()) else {
            continue;
        };
        if e.request.is_none() {
            continue; // `server:` is then the listening address, not a block.
        }
        let host = bare_host(host);
        if host.is_empty() || host.parse::<std::net::IpAddr>().is_ok() || host == "localhost" || host == "_" {
            continue;
        }
        if name_matches(server, host) {
            continue;
        }
        // The block that handled it: its first name is `server:`; empty → a block without names.
        let handler = blocks
            .iter()
            .find(|b| b.names.first().map(String::as_str).unwrap_or("") == server);
        if handler.is_some_and(|b| b.names.iter().any(|n| name_matches(n, host))) {
            continue;
        }
        if handler.is_none() && !blocks.is_empty() && !server.is_empty() {
            // The handling block was not pasted, and it may well carry the host as an alias.
            if blocks
                .iter()
                .all(|b| !b.names.iter().any(|n| edit_distance(n, host, 2) <= 2))
            {
                continue;
            }
        }
        let catch_all = server.is_empty() || server == "_" || server == "localhost" || server == "default";
        let handled_by = if server.is_empty() || server == "_" {
            "the default (catch-all) server".to_string()
        } else {
            format!("the server block of {server}")
        };
        let upstream = e
            .upstream
            .as_deref()
            .map(|u| {
                format!(
                    " and its upstream {}",
                    crate::parse::nginx_error_log::peer_of_upstream(u)
                )
            })
            .unwrap_or_default();
        let mut d = Draft::new(
            Cause::ServerNameMismatch,
            0.5,
            format!("requests for {host} are handled by {handled_by}{upstream}"),
        );
        d.support(
            e.artifact,
            e.span,
            format!("the client asked for {host}, but {handled_by} answered (server: \"{server}\")"),
        )
        .value("host", host.to_string())
        .value("server_name", host.to_string());
        let mut confidence: f32 = 0.5;
        if let Some(h) = handler {
            let note = if h.default_server {
                format!("{handled_by} is the default_server: it takes every unmatched name")
            } else {
                format!("{handled_by} takes requests no other block matches")
            };
            d.support(h.artifact, h.span, note);
            confidence += 0.1;
        }
        // A block meant for this host.
        let exact = blocks
            .iter()
            .find(|b| b.names.iter().any(|n| name_matches(n, host)) && !n_is_regex(b));
        let typo = blocks.iter().find_map(|b| {
            b.names
                .iter()
                .find(|n| !n.starts_with('~') && n.as_str() != host && edit_distance(n, host, 2) <= 2 && n.len() > 4)
                .map(|n| (b, n.clone()))
        });
        let intended = exact.or(typo.as_ref().map(|(b, _)| *b));
        if let Some(b) = exact {
            d.support(
                b.artifact,
                b.span,
                format!("a block for {host} exists, but the request did not reach it"),
            );
            if let Some(f) = &b.file {
                d.value("config_file", f.clone());
                if f.contains("sites-available") || f.ends_with(".disabled") || f.ends_with(".bak") {
                    d.title = format!("the site for {host} ({f}) is not enabled: {handled_by} answers instead");
                    confidence += 0.25;
                } else {
                    confidence += 0.15;
                }
            } else {
                confidence += 0.15;
            }
            // A listing of sites-enabled without that file.
            if let Some(f) = &b.file {
                let name = f.rsplit('/').next().unwrap_or(f);
                let enabled: Vec<_> = model
                    .all::<FileEntry>()
                    .filter(|x| x.path.contains("sites-enabled/"))
                    .collect();
                if !enabled.is_empty() && !enabled.iter().any(|x| x.path.ends_with(&format!("/{name}"))) {
                    d.support(
                        enabled[0].artifact,
                        enabled[0].span,
                        format!("{name} is not in sites-enabled"),
                    );
                    confidence += 0.1;
                }
            }
        } else if let Some((b, wrong)) = typo {
            d.title = format!("server_name {wrong} is misspelled: requests for {host} fall through to {handled_by}");
            d.support(
                b.artifact,
                b.span,
                format!("the block meant for {host} is named {wrong}: it never matches"),
            );
            if let Some(dir) = model
                .directives("server_name")
                .find(|s| s.args.contains(&wrong) && s.artifact == b.artifact)
            {
                let before = format!("server_name {};", dir.args.join(" "));
                let fixed: Vec<String> = dir
                    .args
                    .iter()
                    .map(|a| if *a == wrong { host.to_string() } else { a.clone() })
                    .collect();
                d.edit(
                    dir.artifact,
                    dir.span,
                    before,
                    format!("server_name {};", fixed.join(" ")),
                );
            }
            if let Some(f) = &b.file {
                d.value("config_file", f.clone());
            }
            confidence += 0.33;
        } else if blocks.len() >= 2 && !catch_all {
            d.support(
                blocks[0].artifact,
                blocks[0].span,
                format!("no pasted server block has server_name {host}"),
            );
            confidence -= 0.1;
        } else {
            // One block, or a catch-all answering unknown names: nothing says another block
            // was meant.
            continue;
        }
        // The backend of the block meant for the host is up: only the routing is wrong.
        if let Some(b) = intended {
            let alive = model
                .targets()
                .into_iter()
                .filter(|t| t.at.server_names == b.names && t.at.file == b.file)
                .find_map(|t| {
                    t.endpoints.iter().find_map(|ep| {
                        model
                            .listeners_serving(ep)
                            .first()
                            .map(|l| (l.artifact, l.span, ep.to_string()))
                    })
                });
            if let Some((artifact, span, ep)) = alive {
                d.support(artifact, span, format!("the intended backend {ep} is listening"));
                confidence += 0.03;
            }
        }
        d.confidence = confidence.min(0.95);
        out.push(d);
        return;
    }
}

fn n_is_regex(b: &ServerBlock) -> bool {
    b.names.iter().all(|n| n.starts_with('~'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_names_like_nginx() {
        assert!(name_matches("example.com", "EXAMPLE.com"));
        assert!(name_matches("*.example.com", "api.example.com"));
        assert!(name_matches(".example.com", "example.com"));
        assert!(name_matches("www.*", "www.example.com"));
        assert!(!name_matches("api.exmaple.com", "api.example.com"));
        assert_eq!(edit_distance("api.exmaple.com", "api.example.com", 2), 2);
        assert_eq!(bare_host("example.com:8080"), "example.com");
        assert_eq!(bare_host("[::1]:80"), "::1");
    }
}

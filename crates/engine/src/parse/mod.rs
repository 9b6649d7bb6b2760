//! Parsing: one module per artifact kind, each turning a piece's text into typed facts plus
//! the lines it could not read. Parsers never fail and never panic; see [`Parsed`].

use crate::facts::{FactAt, LogFormat};
use crate::kind::Kind;
use crate::shared_str::SharedStr;
use crate::span::Span;

mod app_log;
pub mod app_server_config;
pub mod columns;
pub mod command_line;
pub mod compose_file;
pub mod compose_ps;
pub mod curl;
pub mod df;
pub mod dns;
pub mod docker_ps;
pub mod error_page;
pub mod firewall;
pub mod firewalld;
mod flat_json;
pub mod free;
pub mod gunicorn_log;
pub mod hosts_file;
pub mod id_groups;
pub mod ingress_controller_log;
pub mod iptables;
pub mod journal;
pub mod json_lite;
pub mod kernel_log;
pub mod kube;
pub mod kubectl_describe;
pub mod kubectl_get;
pub mod load_balancer_log;
pub mod ls_listing;
pub mod lsof;
pub mod mac;
pub mod netstat;
pub mod nftables;
pub mod nginx_access_log;
pub mod nginx_config;
pub mod nginx_error_log;
pub mod nginx_test;
pub mod nginx_version;
pub mod node_log;
pub mod php_fpm_config;
pub mod php_fpm_log;
pub mod php_fpm_slowlog;
pub mod php_version;
pub mod probe;
pub mod ps;
pub mod registry;
pub mod resolv_conf;
pub mod selinux;
pub mod sockets;
pub mod ss_listeners;
pub mod ss_summary;
pub mod sysctl;
pub mod systemctl_status;
pub mod table;
#[cfg(test)]
pub(crate) mod test_support;
pub mod top;
pub mod ufw;
pub mod ulimit;
pub mod uptime;
pub mod uwsgi_log;
mod wrapped;
pub mod yaml_lite;

/// What a parser hands to the parse of one piece.
#[derive(Clone, Copy, Debug)]
pub struct ParseContext<'a> {
    /// The piece's text.
    pub text: &'a str,
    /// Offset of `text` in its paste: added to every span so spans are paste-relative.
    pub base: usize,
    /// The file name, where the paste or an `nginx -T` header gives one.
    pub file: Option<&'a str>,
    /// The shell command that printed the piece, when a prompt showed one. Some outputs say
    /// what they are only with it (`ulimit -n` prints a bare number, `id -Gn nginx` omits the
    /// user, `free` prints no units, `kubectl get pods -n web` names the type and namespace).
    pub command: Option<&'a str>,
    /// `log_format`s read from the pasted nginx configuration (for access logs).
    pub log_formats: &'a [LogFormat],
    /// The paste `text` lies in, when it does: facts may keep parts of it instead of copies.
    pub paste: Option<&'a SharedStr>,
}

impl<'a> ParseContext<'a> {
    /// A context for `text` at offset `base`, with no file name, no log formats and no command.
    pub fn new(text: &'a str, base: usize) -> Self {
        ParseContext {
            text,
            base,
            file: None,
            command: None,
            log_formats: &[],
            paste: None,
        }
    }
}

/// The result of parsing one piece: everything readable, plus what was not.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Parsed {
    /// Facts found, in the order of the text.
    pub facts: Vec<FactAt>,
    /// Lines (spans, paste-relative) that are neither part of a fact nor known to be ignorable.
    pub unread: Vec<Span>,
}

/// Parses a piece of a given kind.
pub fn parse(kind: Kind, cx: &ParseContext<'_>) -> Parsed {
    match registry::spec(kind) {
        Some(spec) => (spec.parse)(cx),
        None => unrecognised(cx),
    }
}

/// A piece no parser reads: every non-blank line is unread.
fn unrecognised(cx: &ParseContext<'_>) -> Parsed {
    Parsed {
        facts: Vec::new(),
        unread: crate::span::lines(cx.text, cx.base)
            .filter(|l| !l.text.trim().is_empty())
            .map(|l| l.span)
            .collect(),
    }
}

//! The registry of artifact kinds: for each kind, how to recognise it and how to parse it.
//! Adding a kind means one parser module exporting a [`KindSpec`] and one line here.

use crate::kind::Kind;
use crate::parse::*;

/// How one kind is recognised and parsed.
pub struct KindSpec {
    /// The kind.
    pub kind: Kind,
    /// Kinds whose lines legitimately appear inside this kind's output and that its parser
    /// reads (a curl response's HTML body, the journal tail of `systemctl status`): the splitter
    /// keeps them in this piece instead of cutting them out.
    pub embeds: &'static [Kind],
    /// True when a shell command (program, arguments) produces this kind.
    pub command: fn(program: &str, args: &[&str]) -> bool,
    /// True when a file name (base name or path) suggests this kind.
    pub file: fn(path: &str) -> bool,
    /// True for a line that on its own is strong evidence of this kind (used to split pastes
    /// that mix kinds without prompts). `None` when single lines say too little.
    pub line: Option<fn(&str) -> bool>,
    /// Score in `[0, 1]` of how much a block of lines looks like this kind.
    pub block: fn(lines: &[&str]) -> f32,
    /// The parser.
    pub parse: fn(&ParseContext<'_>) -> Parsed,
}

/// A command matcher that never matches.
pub fn no_command(_: &str, _: &[&str]) -> bool {
    false
}

/// A file matcher that never matches.
pub fn no_file(_: &str) -> bool {
    false
}

/// The share of non-blank lines for which `pred` holds.
pub fn share_of_lines(lines: &[&str], pred: impl Fn(&str) -> bool) -> f32 {
    let mut total = 0usize;
    let mut hits = 0usize;
    for line in lines.iter().filter(|l| !l.trim().is_empty()) {
        total += 1;
        if pred(line) {
            hits += 1;
        }
    }
    if total == 0 { 0.0 } else { hits as f32 / total as f32 }
}

/// Every kind the engine can read, in order of precedence for ties.
///
/// The journal comes before the nginx error log: its line recogniser claims every syslog-shaped
/// line (nginx's journald lines too), so that a journal mixing nginx and other lines stays one
/// piece; its block score steps back when every line is nginx's, so pure nginx journald lines
/// still read as an error log.
pub const SPECS: &[&KindSpec] = &[
    &nginx_test::SPEC,
    &nginx_version::SPEC,
    &journal::SPEC,
    &nginx_error_log::SPEC,
    &nginx_config::SPEC,
    &systemctl_status::SPEC,
    &kernel_log::SPEC,
    &ss_listeners::SPEC,
    &ss_summary::SPEC,
    &netstat::SPEC,
    &lsof::SPEC,
    &ls_listing::SPEC,
    &id_groups::SPEC,
    &ps::SPEC,
    &top::SPEC,
    &free::SPEC,
    &uptime::SPEC,
    &df::SPEC,
    &ulimit::SPEC,
    &sysctl::SPEC,
    &curl::SPEC,
    &dns::DIG_SPEC,
    &dns::NSLOOKUP_SPEC,
    &dns::HOST_SPEC,
    &resolv_conf::SPEC,
    &hosts_file::ETC_HOSTS_SPEC,
    &hosts_file::GETENT_HOSTS_SPEC,
    &iptables::SPEC,
    &nftables::SPEC,
    &ufw::SPEC,
    &firewalld::SPEC,
    &selinux::STATUS_SPEC,
    &selinux::GETSEBOOL_SPEC,
    &mac::APPARMOR_SPEC,
    &mac::AUDIT_LOG_SPEC,
    &probe::SPEC,
    &load_balancer_log::SPEC,
    &app_server_config::SPEC,
    &compose_ps::SPEC,
    &docker_ps::SPEC,
    &kubectl_get::SPEC,
    &kubectl_describe::SPEC,
    &compose_file::SPEC,
    &php_version::SPEC,
    &php_fpm_config::SPEC,
    &php_fpm_slowlog::SPEC,
    &php_fpm_log::SPEC,
    &nginx_access_log::SPEC,
    &ingress_controller_log::SPEC,
    &gunicorn_log::SPEC,
    &uwsgi_log::SPEC,
    &node_log::SPEC,
    &error_page::SPEC,
];

/// True when output of kind `outer` may hold lines of kind `inner` that its parser reads.
pub fn embeds(outer: Kind, inner: Kind) -> bool {
    spec(outer).is_some_and(|s| s.embeds.contains(&inner))
}

/// The spec of a kind, if the engine can parse it.
pub fn spec(kind: Kind) -> Option<&'static KindSpec> {
    SPECS.iter().copied().find(|s| s.kind == kind)
}

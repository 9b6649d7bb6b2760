//! The rules: one file per rule, each reading the model and scoring the evidence for a cause.
//! [`RULES`] is the registry; adding a rule touches its file, one line here and its fixtures.

use crate::cause::Cause;
use crate::model::Model;
use crate::span::Span;

pub mod address_in_use;
pub mod app_listens_on_another_port;
pub mod app_server_header_limit;
pub mod app_worker_died;
pub mod backend_oom_killed;
pub mod backend_unit_not_running;
pub mod client_keepalive_shorter_than_lb;
pub mod client_resolves_elsewhere;
pub mod conflicting_server_name_ignored;
pub mod connect_refused;
pub mod connect_timeout;
pub mod container_backend_loopback;
pub mod container_loopback;
pub mod container_name_unresolved;
pub mod container_to_host_refused;
pub mod dns_name_unresolved;
pub mod dns_stale_address;
pub mod ephemeral_ports_exhausted;
pub mod error_page_from_another_layer;
pub mod fastcgi_connection_refused;
pub mod fastcgi_reply_not_fastcgi;
pub mod fastcgi_target_not_where_fpm_listens;
pub mod firewall_blocks_port;
pub mod fpm_child_crashed;
pub mod fpm_execution_timed_out;
pub mod fpm_listen_queue_full;
pub mod fpm_max_children_reached;
pub mod fpm_reports_stopped;
pub mod fpm_socket_owner_config;
pub mod host_resources_exhausted;
pub mod http2_reply_is_http1;
pub mod http_reply_not_http;
pub mod httpd_network_boolean_off;
pub mod keepalive_reset;
pub mod kube_no_endpoints;
pub mod mac_denial_for_nginx;
pub mod malformed_upstream_response;
pub mod missing_socket_names_php_version;
pub mod nginx_config_rejected;
pub mod nginx_signal_without_master;
pub mod nginx_unit_stopped;
pub mod no_live_upstreams;
pub mod no_route_to_backend;
pub mod out_of_file_descriptors;
pub mod pass_directive_vs_backend_protocol;
pub mod primary_script_unknown;
pub mod read_timeout;
pub mod read_timeout_wrong_module;
pub mod request_served_by_other_server_block;
pub mod server_logs_clean;
pub mod tcp_connect_eacces;
pub mod terminate_timeout_below_read_timeout;
pub mod tls_to_plaintext_upstream;
pub mod unix_eacces_despite_open_mode;
pub mod unix_socket_eacces;
pub mod unix_socket_eagain;
pub mod unix_socket_missing;
pub mod upstream_certificate_rejected;
pub mod upstream_closed_mid_header;
pub mod upstream_header_exceeds_buffer;
pub mod upstream_tls_handshake_failed;
pub mod uwsgi_request_block_too_large;
pub mod uwsgi_socket_got_http;
pub mod web_port_refused;
pub mod worker_connections_exhausted;

/// A rule: its id, the cause it argues for, its documentation, and its check.
pub struct Rule {
    /// Stable kebab-case id naming the evidence it looks for.
    pub id: &'static str,
    /// The cause it argues for.
    pub cause: Cause,
    /// What it looks for, for `gateway-doctor explain` and the docs.
    pub doc: &'static str,
    /// Appends what it finds.
    pub check: fn(&Model<'_>, &mut Vec<Draft>),
}

/// A finding before rendering: spans, not lines.
#[derive(Clone, Debug, PartialEq)]
pub struct Draft {
    /// The rules that argued for it (set by [`run`]).
    pub rules: Vec<&'static str>,
    /// The cause.
    pub cause: Cause,
    /// Confidence in `[0, 1]`.
    pub confidence: f32,
    /// Title in the person's terms.
    pub title: String,
    /// Evidence: artifact, span, what it shows, whether it argues against.
    pub evidence: Vec<DraftEvidence>,
    /// Values read from the evidence, filling the knowledge page's placeholders.
    pub values: Vec<(String, String)>,
    /// Concrete configuration changes, when the rule can name the line to change.
    pub edits: Vec<DraftEdit>,
}

/// A configuration change located by the span of the line it changes.
#[derive(Clone, Debug, PartialEq)]
pub struct DraftEdit {
    /// Artifact holding the line, when it was pasted.
    pub artifact: Option<usize>,
    /// Span of the line (or directive) to change.
    pub span: Option<Span>,
    /// The file, when known (else the artifact's file, if any).
    pub file: Option<String>,
    /// The text now.
    pub before: String,
    /// The text it should be.
    pub after: String,
}

impl Draft {
    /// A draft for `cause` with a confidence and a title, no evidence yet.
    pub fn new(cause: Cause, confidence: f32, title: impl Into<String>) -> Self {
        Draft {
            rules: Vec::new(),
            cause,
            confidence: confidence.clamp(0.0, 1.0),
            title: title.into(),
            evidence: Vec::new(),
            values: Vec::new(),
            edits: Vec::new(),
        }
    }

    /// Adds a supporting evidence line.
    pub fn support(&mut self, artifact: usize, span: Span, note: impl Into<String>) -> &mut Self {
        self.evidence.push(DraftEvidence {
            artifact,
            span,
            note: note.into(),
            against: false,
        });
        self
    }

    /// Adds a line that argues against the cause.
    pub fn against(&mut self, artifact: usize, span: Span, note: impl Into<String>) -> &mut Self {
        self.evidence.push(DraftEvidence {
            artifact,
            span,
            note: note.into(),
            against: true,
        });
        self
    }

    /// Proposes changing the pasted text at `span` of `artifact` from `before` to `after`.
    pub fn edit(
        &mut self,
        artifact: usize,
        span: Span,
        before: impl Into<String>,
        after: impl Into<String>,
    ) -> &mut Self {
        self.edits.push(DraftEdit {
            artifact: Some(artifact),
            span: Some(span),
            file: None,
            before: before.into(),
            after: after.into(),
        });
        self
    }

    /// Records a value for the page's placeholders (the first value of a name wins).
    pub fn value(&mut self, name: &str, value: impl Into<String>) -> &mut Self {
        if !self.values.iter().any(|(k, _)| k == name) {
            self.values.push((name.to_string(), value.into()));
        }
        self
    }
}

/// One evidence line of a [`Draft`].
#[derive(Clone, Debug, PartialEq)]
pub struct DraftEvidence {
    /// Artifact index.
    pub artifact: usize,
    /// Span in the paste.
    pub span: Span,
    /// What it shows.
    pub note: String,
    /// True when it argues against the cause.
    pub against: bool,
}

/// Runs every rule and ranks what they found: one draft per cause (the most confident, with
/// the other rules' evidence for the same cause added), most likely first.
pub fn run(model: &Model<'_>) -> Vec<Draft> {
    let mut drafts: Vec<Draft> = Vec::new();
    for rule in RULES {
        let start = drafts.len();
        (rule.check)(model, &mut drafts);
        for d in &mut drafts[start..] {
            d.rules = vec![rule.id];
            d.confidence = d.confidence.clamp(0.0, 1.0);
        }
    }
    crate::sort::by(&mut drafts, |a, b| {
        b.confidence.total_cmp(&a.confidence).then(a.cause.cmp(&b.cause))
    });
    let mut ranked: Vec<Draft> = Vec::new();
    for draft in drafts {
        match ranked.iter_mut().find(|r| r.cause == draft.cause) {
            Some(best) => {
                best.rules.extend(draft.rules);
                for e in draft.evidence {
                    if !best
                        .evidence
                        .iter()
                        .any(|b| b.span == e.span && b.artifact == e.artifact)
                    {
                        best.evidence.push(e);
                    }
                }
                for (k, v) in draft.values {
                    best.value(&k, v);
                }
                for edit in draft.edits {
                    if !best.edits.contains(&edit) {
                        best.edits.push(edit);
                    }
                }
            }
            None => ranked.push(draft),
        }
    }
    ranked
}

/// Every rule, in the order they run.
pub const RULES: &[&Rule] = &[
    &unix_socket_missing::RULE,
    &fastcgi_connection_refused::RULE,
    &fpm_reports_stopped::RULE,
    &fastcgi_target_not_where_fpm_listens::RULE,
    &missing_socket_names_php_version::RULE,
    &primary_script_unknown::RULE,
    &unix_socket_eacces::RULE,
    &fpm_socket_owner_config::RULE,
    &mac_denial_for_nginx::RULE,
    &tcp_connect_eacces::RULE,
    &httpd_network_boolean_off::RULE,
    &unix_eacces_despite_open_mode::RULE,
    &fpm_execution_timed_out::RULE,
    &terminate_timeout_below_read_timeout::RULE,
    &unix_socket_eagain::RULE,
    &fpm_max_children_reached::RULE,
    &fpm_listen_queue_full::RULE,
    &fpm_child_crashed::RULE,
    &app_worker_died::RULE,
    &upstream_closed_mid_header::RULE,
    &backend_oom_killed::RULE,
    &host_resources_exhausted::RULE,
    &address_in_use::RULE,
    &backend_unit_not_running::RULE,
    &connect_refused::RULE,
    &app_listens_on_another_port::RULE,
    &connect_timeout::RULE,
    &container_backend_loopback::RULE,
    &container_loopback::RULE,
    &container_name_unresolved::RULE,
    &container_to_host_refused::RULE,
    &dns_name_unresolved::RULE,
    &dns_stale_address::RULE,
    &firewall_blocks_port::RULE,
    &keepalive_reset::RULE,
    &kube_no_endpoints::RULE,
    &no_live_upstreams::RULE,
    &no_route_to_backend::RULE,
    &read_timeout::RULE,
    &read_timeout_wrong_module::RULE,
    &nginx_config_rejected::RULE,
    &nginx_unit_stopped::RULE,
    &nginx_signal_without_master::RULE,
    &upstream_header_exceeds_buffer::RULE,
    &fastcgi_reply_not_fastcgi::RULE,
    &http_reply_not_http::RULE,
    &tls_to_plaintext_upstream::RULE,
    &http2_reply_is_http1::RULE,
    &uwsgi_socket_got_http::RULE,
    &pass_directive_vs_backend_protocol::RULE,
    &upstream_tls_handshake_failed::RULE,
    &upstream_certificate_rejected::RULE,
    &malformed_upstream_response::RULE,
    &request_served_by_other_server_block::RULE,
    &conflicting_server_name_ignored::RULE,
    &uwsgi_request_block_too_large::RULE,
    &app_server_header_limit::RULE,
    &error_page_from_another_layer::RULE,
    &client_keepalive_shorter_than_lb::RULE,
    &client_resolves_elsewhere::RULE,
    &server_logs_clean::RULE,
    &out_of_file_descriptors::RULE,
    &worker_connections_exhausted::RULE,
    &ephemeral_ports_exhausted::RULE,
    &web_port_refused::RULE,
];

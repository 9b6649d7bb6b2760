//! Directive names of nginx and its common modules, used to recognise configuration text and
//! to tell a directive that lost its `;` from a sentence.

/// Names that are nginx directives (core, http, stream, mail and widespread third-party modules).
const KNOWN: &[&str] = &[
    "absolute_redirect",
    "accept_mutex",
    "access_by_lua",
    "access_by_lua_block",
    "access_by_lua_file",
    "access_log",
    "add_after_body",
    "add_before_body",
    "add_header",
    "add_trailer",
    "aio",
    "alias",
    "allow",
    "auth_basic",
    "auth_basic_user_file",
    "auth_request",
    "auth_request_set",
    "autoindex",
    "break",
    "brotli",
    "charset",
    "charset_map",
    "chunked_transfer_encoding",
    "client_body_buffer_size",
    "client_body_temp_path",
    "client_body_timeout",
    "client_header_buffer_size",
    "client_header_timeout",
    "client_max_body_size",
    "content_by_lua",
    "content_by_lua_block",
    "content_by_lua_file",
    "daemon",
    "default_type",
    "deny",
    "disable_symlinks",
    "env",
    "error_log",
    "error_page",
    "etag",
    "events",
    "expires",
    "fastcgi_buffer_size",
    "fastcgi_buffering",
    "fastcgi_buffers",
    "fastcgi_busy_buffers_size",
    "fastcgi_cache",
    "fastcgi_cache_key",
    "fastcgi_cache_path",
    "fastcgi_connect_timeout",
    "fastcgi_hide_header",
    "fastcgi_ignore_client_abort",
    "fastcgi_index",
    "fastcgi_intercept_errors",
    "fastcgi_keep_conn",
    "fastcgi_next_upstream",
    "fastcgi_param",
    "fastcgi_pass",
    "fastcgi_pass_header",
    "fastcgi_read_timeout",
    "fastcgi_send_timeout",
    "fastcgi_split_path_info",
    "fastcgi_temp_file_write_size",
    "geo",
    "geoip_country",
    "grpc_pass",
    "grpc_read_timeout",
    "grpc_send_timeout",
    "grpc_set_header",
    "gzip",
    "gzip_comp_level",
    "gzip_disable",
    "gzip_http_version",
    "gzip_min_length",
    "gzip_proxied",
    "gzip_static",
    "gzip_types",
    "gzip_vary",
    "hash",
    "http",
    "http2",
    "http2_max_concurrent_streams",
    "http3",
    "if",
    "if_modified_since",
    "ignore_invalid_headers",
    "include",
    "index",
    "init_by_lua_block",
    "init_worker_by_lua_block",
    "internal",
    "ip_hash",
    "js_content",
    "js_import",
    "js_set",
    "keepalive",
    "keepalive_disable",
    "keepalive_requests",
    "keepalive_time",
    "keepalive_timeout",
    "large_client_header_buffers",
    "least_conn",
    "limit_conn",
    "limit_conn_zone",
    "limit_except",
    "limit_rate",
    "limit_req",
    "limit_req_status",
    "limit_req_zone",
    "listen",
    "load_module",
    "location",
    "lock_file",
    "log_by_lua_block",
    "log_format",
    "log_not_found",
    "lua_package_path",
    "lua_shared_dict",
    "mail",
    "map",
    "map_hash_bucket_size",
    "master_process",
    "match",
    "max_ranges",
    "memcached_pass",
    "merge_slashes",
    "more_clear_headers",
    "more_set_headers",
    "multi_accept",
    "open_file_cache",
    "open_file_cache_errors",
    "open_file_cache_min_uses",
    "open_file_cache_valid",
    "open_log_file_cache",
    "output_buffers",
    "pcre_jit",
    "pid",
    "postpone_output",
    "proxy_bind",
    "proxy_buffer_size",
    "proxy_buffering",
    "proxy_buffers",
    "proxy_busy_buffers_size",
    "proxy_cache",
    "proxy_cache_bypass",
    "proxy_cache_key",
    "proxy_cache_lock",
    "proxy_cache_path",
    "proxy_cache_use_stale",
    "proxy_cache_valid",
    "proxy_connect_timeout",
    "proxy_cookie_domain",
    "proxy_cookie_path",
    "proxy_hide_header",
    "proxy_http_version",
    "proxy_ignore_client_abort",
    "proxy_ignore_headers",
    "proxy_intercept_errors",
    "proxy_max_temp_file_size",
    "proxy_next_upstream",
    "proxy_next_upstream_timeout",
    "proxy_next_upstream_tries",
    "proxy_no_cache",
    "proxy_pass",
    "proxy_pass_header",
    "proxy_pass_request_body",
    "proxy_pass_request_headers",
    "proxy_protocol",
    "proxy_read_timeout",
    "proxy_redirect",
    "proxy_request_buffering",
    "proxy_send_timeout",
    "proxy_set_body",
    "proxy_set_header",
    "proxy_socket_keepalive",
    "proxy_ssl_certificate",
    "proxy_ssl_certificate_key",
    "proxy_ssl_name",
    "proxy_ssl_protocols",
    "proxy_ssl_server_name",
    "proxy_ssl_session_reuse",
    "proxy_ssl_trusted_certificate",
    "proxy_ssl_verify",
    "proxy_ssl_verify_depth",
    "proxy_temp_file_write_size",
    "proxy_temp_path",
    "proxy_timeout",
    "random",
    "real_ip_header",
    "real_ip_recursive",
    "recursive_error_pages",
    "reset_timedout_connection",
    "resolver",
    "resolver_timeout",
    "return",
    "rewrite",
    "rewrite_by_lua_block",
    "rewrite_log",
    "root",
    "satisfy",
    "scgi_pass",
    "send_timeout",
    "sendfile",
    "sendfile_max_chunk",
    "server",
    "server_name",
    "server_name_in_redirect",
    "server_names_hash_bucket_size",
    "server_names_hash_max_size",
    "server_tokens",
    "set",
    "set_by_lua_block",
    "set_real_ip_from",
    "split_clients",
    "ssi",
    "ssl",
    "ssl_buffer_size",
    "ssl_certificate",
    "ssl_certificate_key",
    "ssl_ciphers",
    "ssl_client_certificate",
    "ssl_dhparam",
    "ssl_ecdh_curve",
    "ssl_prefer_server_ciphers",
    "ssl_preread",
    "ssl_protocols",
    "ssl_session_cache",
    "ssl_session_tickets",
    "ssl_session_timeout",
    "ssl_stapling",
    "ssl_stapling_verify",
    "ssl_trusted_certificate",
    "ssl_verify_client",
    "status_zone",
    "sticky",
    "stream",
    "stub_status",
    "sub_filter",
    "sub_filter_once",
    "tcp_nodelay",
    "tcp_nopush",
    "thread_pool",
    "timer_resolution",
    "try_files",
    "types",
    "types_hash_bucket_size",
    "types_hash_max_size",
    "underscores_in_headers",
    "upstream",
    "use",
    "user",
    "uwsgi_buffer_size",
    "uwsgi_buffers",
    "uwsgi_connect_timeout",
    "uwsgi_param",
    "uwsgi_pass",
    "uwsgi_read_timeout",
    "uwsgi_send_timeout",
    "valid_referers",
    "variables_hash_bucket_size",
    "variables_hash_max_size",
    "worker_connections",
    "worker_cpu_affinity",
    "worker_priority",
    "worker_processes",
    "worker_rlimit_core",
    "worker_rlimit_nofile",
    "worker_shutdown_timeout",
    "working_directory",
    "zone",
];

/// True for a directive name nginx or a common module defines.
pub fn is_known_directive(name: &str) -> bool {
    KNOWN.binary_search(&name).is_ok()
}

/// Levenshtein distance between `a` and `b` (by characters), bounded: `max + 1` when larger.
/// Shared by the directive-typo check and the server_name-typo rule.
pub fn edit_distance(a: &str, b: &str, max: usize) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len().abs_diff(b.len()) > max {
        return max + 1;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb)).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()].min(max + 1)
}

/// The known directive closest to an unknown `name` (a typo such as `proxy_pas`), when one is at
/// most two edits away and no other is as close.
pub fn closest_directive(name: &str) -> Option<&'static str> {
    if name.len() < 4 || name.len() > 64 || is_known_directive(name) {
        return None;
    }
    let mut best: Option<(&'static str, usize)> = None;
    let mut tie = false;
    for known in KNOWN
        .iter()
        .chain(["http", "server", "location", "upstream", "events", "stream"].iter())
    {
        if known.len().abs_diff(name.len()) > 2 {
            continue;
        }
        let d = edit_distance(name, known, 2);
        match best {
            Some((_, b)) if d > b => {}
            Some((_, b)) if d == b => tie = true,
            _ if d <= 2 => {
                best = Some((known, d));
                tie = false;
            }
            _ => {}
        }
    }
    best.filter(|_| !tie).map(|(k, _)| k)
}

/// Block directives whose name alone says "nginx configuration".
pub fn is_known_block(name: &str) -> bool {
    matches!(
        name,
        "http"
            | "server"
            | "location"
            | "upstream"
            | "events"
            | "stream"
            | "mail"
            | "map"
            | "geo"
            | "types"
            | "if"
            | "limit_except"
            | "split_clients"
            | "match"
    ) || name.ends_with("_by_lua_block")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_is_sorted_for_binary_search() {
        assert!(KNOWN.windows(2).all(|w| w[0] < w[1]), "KNOWN must be sorted and unique");
        assert!(is_known_directive("proxy_pass"));
        assert!(!is_known_directive("proxy_pas"));
    }

    #[test]
    fn suggests_the_closest_directive() {
        assert_eq!(closest_directive("proxy_pas"), Some("proxy_pass"));
        assert_eq!(closest_directive("server_nmae"), Some("server_name"));
        assert_eq!(closest_directive("proxy_pass"), None);
        assert_eq!(closest_directive("completely_unknown_thing"), None);
    }
}

//! `upstream-header-exceeds-buffer`: the backend's response header does not fit nginx's buffer.
//!
//! ## What it looks for
//! `upstream sent too big header while reading response header from upstream`. The protocol
//! (from the `upstream:` scheme or the configured target) names the directive to raise:
//! `proxy_buffer_size`, `fastcgi_buffer_size`, `uwsgi_buffer_size`, `grpc_buffer_size`. The
//! value in force is read from the pasted configuration (default: one memory page, 4k/8k).
//!
//! ## Why it matters
//! The whole response header (status line, cookies, auth tokens, long `Link`/CSP headers) must
//! fit into that one buffer; one byte more and nginx answers 502, for the requests that carry
//! the big headers only (logged-in users, large sessions).
//!
//! ## Weakened by
//! A phase after the header (`while reading upstream`): that is not this message's phase.

use crate::cause::Cause;
use crate::facts::*;
use crate::model::Model;
use crate::model::events::header_phase;
use crate::model::nginx::{module_prefix, protocol_of_upstream, size_bytes};
use crate::rules::{Draft, Rule};

/// The rule.
pub const RULE: Rule = Rule {
    id: "upstream-header-exceeds-buffer",
    cause: Cause::UpstreamHeaderTooBig,
    doc: "upstream sent too big header while reading response header from upstream: the response header does not fit *_buffer_size",
    check,
};

fn check(model: &Model<'_>, out: &mut Vec<Draft>) {
    let events: Vec<_> = model
        .events(MessageClass::TooBigHeader)
        .filter(|e| header_phase(e.action.as_deref()))
        .collect();
    let Some(first) = events.first() else { return };
    let targets = model.targets_for_event(first);
    let target = targets.first().map(|t| t.at).or_else(|| {
        // Without an address in the line, a single configured target is the one.
        let all = model.targets();
        (all.len() == 1).then(|| all[0].at)
    });
    let protocol = first
        .upstream
        .as_deref()
        .and_then(protocol_of_upstream)
        .or_else(|| target.map(|t| t.protocol))
        .unwrap_or(Protocol::Http);
    let prefix = module_prefix(protocol);
    let directive = format!("{prefix}_buffer_size");
    let mut d = Draft::new(
        Cause::UpstreamHeaderTooBig,
        0.85,
        format!("the backend's response headers are larger than {directive}"),
    );
    for e in events.iter().take(3) {
        d.support(
            e.artifact,
            e.span,
            "the response header did not fit the first buffer: the backend sends very large headers or cookies",
        );
    }
    d.value("buffer_directive", directive.clone());
    if let Some(up) = first.upstream.as_deref() {
        d.value("upstream", crate::parse::nginx_error_log::peer_of_upstream(up));
    }
    // The value in force, and a concrete edit when the directive was pasted.
    let names: [&'static str; 3] = match prefix {
        "fastcgi" => ["fastcgi_buffer_size", "fastcgi_buffers", "fastcgi_busy_buffers_size"],
        "uwsgi" => ["uwsgi_buffer_size", "uwsgi_buffers", "uwsgi_busy_buffers_size"],
        "grpc" => ["grpc_buffer_size", "grpc_buffers", "grpc_busy_buffers_size"],
        "scgi" => ["scgi_buffer_size", "scgi_buffers", "scgi_busy_buffers_size"],
        _ => ["proxy_buffer_size", "proxy_buffers", "proxy_busy_buffers_size"],
    };
    let find = |name: &'static str| match target {
        Some(t) => model.directive_for_target(name, t.value),
        None => model.directives(name).next(),
    };
    let current = find(names[0]);
    let current_bytes = current.and_then(|c| c.args.first().and_then(|a| size_bytes(a)));
    let new_bytes = current_bytes
        .map_or(16 * 1024, |b| (b * 4).max(16 * 1024))
        .min(256 * 1024);
    let new_size = format!("{}k", new_bytes / 1024);
    d.value(
        "limit",
        current
            .and_then(|c| c.args.first().cloned())
            .unwrap_or_else(|| "4k|8k (default)".into()),
    );
    match current {
        Some(c) => {
            let now = c.args.join(" ");
            d.support(c.artifact, c.span, format!("{} is {now}", names[0]));
            d.edit(
                c.artifact,
                c.span,
                format!("{} {now};", names[0]),
                format!("{} {new_size};", names[0]),
            );
            d.confidence = 0.92;
        }
        None if model.has::<NginxDirective>() || model.has::<UpstreamTarget>() => {
            if let Some(t) = target {
                d.support(
                    t.artifact,
                    t.span,
                    format!(
                        "no {} is set for this location: the default, one memory page (4k or 8k), applies",
                        names[0]
                    ),
                );
                d.confidence = 0.9;
            }
        }
        None => {}
    }
    // nginx refuses `*_busy_buffers_size` at or above the total of `*_buffers` minus one
    // buffer; by default it is twice the larger of the two buffer sizes. Keep the three
    // consistent when they were pasted.
    let mut buffers_total = 7 * 4096; // the default 8 x 4k, minus one buffer
    let mut each_size = 4096;
    if let Some(buffers) = find(names[1])
        && let [count, size] = buffers.args.as_slice()
        && let (Ok(n), Some(each)) = (count.parse::<u64>(), size_bytes(size))
    {
        if n.saturating_sub(1) * each > 2 * new_bytes {
            buffers_total = n.saturating_sub(1) * each;
            each_size = each;
        } else {
            buffers_total = 7 * new_bytes;
            each_size = new_bytes;
            d.edit(
                buffers.artifact,
                buffers.span,
                format!("{} {count} {size};", names[1]),
                format!("{} 8 {new_size};", names[1]),
            );
        }
    }
    if let Some(busy) = find(names[2]) {
        let busy_now = busy.args.join(" ");
        let busy_bytes = busy.args.first().and_then(|a| size_bytes(a)).unwrap_or(0);
        if busy_bytes < new_bytes.max(each_size) || busy_bytes >= buffers_total {
            d.edit(
                busy.artifact,
                busy.span,
                format!("{} {busy_now};", names[2]),
                format!("{} {}k;", names[2], 2 * new_bytes / 1024),
            );
        }
    }
    d.value("size", new_size);
    out.push(d);
}

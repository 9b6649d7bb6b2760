//! `lsof -i :9000`, `lsof -i -P -n`, `lsof -U`, `lsof /run/php/x.sock`: the
//! `COMMAND PID [TID TASKCMD] USER FD TYPE DEVICE SIZE/OFF NODE NAME` table. One `Listener` per
//! socket row (`TCP 127.0.0.1:9000 (LISTEN)`, `TCP a->b (ESTABLISHED)`, unix paths with
//! `type=STREAM (LISTEN)`).

use crate::facts::Listener;
use crate::kind::Kind;
use crate::parse::columns::{is_digits, nth_token, rest_from, tokens};
use crate::parse::registry::KindSpec;
use crate::parse::sockets::{endpoint_of, parse_table, table_score};
use crate::parse::{ParseContext, Parsed};

/// How `lsof` tables are recognised and parsed.
pub const SPEC: KindSpec = KindSpec {
    kind: Kind::Lsof,
    embeds: &[],
    command: |program, _| program == "lsof",
    file: crate::parse::registry::no_file,
    line: Some(|l| is_framing(l) || parse_row(l).is_some()),
    block: |lines| table_score(lines, parse_row, is_framing),
    parse,
};

/// `COMMAND PID USER FD TYPE DEVICE SIZE/OFF NODE NAME`.
fn is_header(text: &str) -> bool {
    let t = text.trim_start();
    t.starts_with("COMMAND") && t.contains(" PID ") && t.contains(" FD ") && t.contains("NAME")
}

/// The header and lsof's warnings about file systems it could not stat.
fn is_framing(text: &str) -> bool {
    let t = text.trim();
    is_header(t) || t.starts_with("lsof: WARNING:") || t.starts_with("Output information may be incomplete")
}

/// Reads one socket row.
pub fn parse_row(line: &str) -> Option<Listener> {
    if !nth_token(line, 1).is_some_and(is_digits) {
        return None;
    }
    let toks = tokens(line);
    let command = toks.first()?.text;
    let pid: u32 = toks.get(1).filter(|t| is_digits(t.text))?.text.parse().ok()?;
    let k = (3..toks.len().min(8))
        .find(|&k| matches!(toks[k].text, "IPv4" | "IPv6" | "unix" | "inet" | "inet6" | "sock"))?;
    let fd = toks.get(k - 1)?.text;
    if !fd.bytes().next().is_some_and(|b| b.is_ascii_digit()) && !matches!(fd, "cwd" | "txt" | "mem") {
        return None;
    }
    let socket_type = toks[k].text;
    let (proto, name_at) = if socket_type == "unix" {
        // DEVICE, SIZE/OFF, NODE, NAME (SIZE/OFF may be missing in old versions).
        let node_at = (k + 2..toks.len().min(k + 4)).find(|&i| is_digits(toks[i].text))?;
        ("unix".to_string(), node_at + 1)
    } else {
        let node_at = (k + 1..toks.len()).find(|&i| matches!(toks[i].text, "TCP" | "UDP" | "SCTP"))?;
        let base = toks[node_at].text.to_ascii_lowercase();
        let six = if socket_type.ends_with('6') { "6" } else { "" };
        (format!("{base}{six}"), node_at + 1)
    };
    let name = rest_from(line, &toks, name_at);
    let first = name.split_whitespace().next().unwrap_or("");
    let local = first.split("->").next().unwrap_or(first);
    let state = name
        .rsplit_once('(')
        .and_then(|(_, s)| s.strip_suffix(')'))
        .filter(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_uppercase() || b == b'_'));
    let endpoint = match local {
        "" | "socket" | "*" => None,
        l => endpoint_of(l),
    };
    Some(Listener {
        proto,
        endpoint,
        local: local.to_string(),
        state: state.map(str::to_string),
        recv_q: None,
        send_q: None,
        process: Some(command.to_string()),
        pid: Some(pid),
    })
}

/// Parses an lsof table.
pub fn parse(cx: &ParseContext<'_>) -> Parsed {
    parse_table(cx, parse_row, is_framing)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::Endpoint;

    #[test]
    fn reads_rows() {
        let l = parse_row("php-fpm8. 911 root    8u  IPv4  23456      0t0  TCP 127.0.0.1:9000 (LISTEN)").unwrap();
        assert_eq!(
            (l.proto.as_str(), l.state.as_deref(), l.pid),
            ("tcp", Some("LISTEN"), Some(911))
        );
        assert_eq!(l.endpoint.as_ref().and_then(Endpoint::port), Some(9000));
        let v6 = parse_row("node    1022  app   19u  IPv6  31337      0t0  TCP [::1]:3000 (LISTEN)").unwrap();
        assert_eq!(v6.proto, "tcp6");
        let conn = parse_row("nginx   2212 www-data 12u IPv4 99 0t0 TCP 127.0.0.1:51234->127.0.0.1:9000 (ESTABLISHED)")
            .unwrap();
        assert_eq!(conn.local, "127.0.0.1:51234");
        let unix = parse_row(
            "php-fpm8. 911 root 8u unix 0x00000000a1b2c3d4 0t0 23871 /run/php/php8.3-fpm.sock type=STREAM (LISTEN)",
        )
        .unwrap();
        assert_eq!(
            unix.endpoint.as_ref().and_then(Endpoint::unix_path),
            Some("/run/php/php8.3-fpm.sock")
        );
        assert_eq!(unix.state.as_deref(), Some("LISTEN"));
        let threads = parse_row("node 1022 1030 node app 19u IPv4 31337 0t0 TCP *:3000 (LISTEN)").unwrap();
        assert_eq!(threads.endpoint.as_ref().and_then(Endpoint::port), Some(3000));
        assert!(parse_row("COMMAND   PID USER   FD   TYPE DEVICE SIZE/OFF NODE NAME").is_none());
    }
}

//! `ss` socket tables: `ss -ltnp`, `ss -tlnp`, `ss -lntu`, `ss -lx`, `ss -xlp`, `ss -tan`,
//! with or without the `Netid` column and the `-p` process column (`users:(("nginx",pid=2212,
//! fd=6),...)`, old `users:(("nginx",2212,6))`), IPv6 and scoped addresses, unix paths with
//! their inode, abstract sockets. One `Listener` per row (connected sockets too); Recv-Q and
//! Send-Q are kept (for a listener: accept-queue length and backlog).

use crate::facts::Listener;
use crate::kind::Kind;
use crate::parse::columns::{is_digits, nth_token, rest_from, tokens};
use crate::parse::registry::KindSpec;
use crate::parse::sockets::{endpoint_of, parse_table, ss_users, table_score};
use crate::parse::{ParseContext, Parsed};

/// How `ss` socket tables are recognised and parsed.
pub const SPEC: KindSpec = KindSpec {
    kind: Kind::SsListeners,
    embeds: &[],
    command: |program, args| program == "ss" && !args.iter().any(|a| *a == "-s" || *a == "--summary"),
    file: crate::parse::registry::no_file,
    line: Some(is_ss_line),
    block: |lines| table_score(lines, parse_row, is_header),
    parse,
};

/// `Netid` values of `ss`.
const NETIDS: &[&str] = &[
    "tcp",
    "udp",
    "raw",
    "u_str",
    "u_dgr",
    "u_seq",
    "u_seqpacket",
    "nl",
    "p_raw",
    "p_dgr",
    "mptcp",
    "sctp",
    "tipc",
    "vsock",
    "v_str",
    "v_dgr",
    "xdp",
    "icmp6",
];

/// Socket states as `ss` spells them.
const STATES: &[&str] = &[
    "LISTEN",
    "UNCONN",
    "ESTAB",
    "SYN-SENT",
    "SYN-RECV",
    "FIN-WAIT-1",
    "FIN-WAIT-2",
    "TIME-WAIT",
    "CLOSE-WAIT",
    "LAST-ACK",
    "CLOSING",
    "CLOSED",
    "UNKNOWN",
];

/// True for an `ss` row or column header.
pub fn is_ss_line(text: &str) -> bool {
    parse_row(text).is_some() || is_header(text)
}

/// `State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess` (with or without `Netid`).
fn is_header(text: &str) -> bool {
    let t = text.trim_start();
    (t.starts_with("State") || t.starts_with("Netid")) && t.contains("Recv-Q") && t.contains("Local Address")
}

/// Reads one `ss` row.
pub fn parse_row(line: &str) -> Option<Listener> {
    // A row starts with its netid or its state.
    let first = nth_token(line, 0)?;
    if !NETIDS.contains(&first) && !STATES.contains(&first) {
        return None;
    }
    let toks = tokens(line);
    let mut i = 0;
    let netid = toks
        .first()
        .map(|t| t.text)
        .filter(|t| NETIDS.contains(t))
        .inspect(|_| i = 1);
    let state = toks.get(i)?.text;
    if !STATES.contains(&state) {
        return None;
    }
    let recv_q = toks.get(i + 1).filter(|t| is_digits(t.text))?.text.parse().ok();
    let send_q = toks.get(i + 2).filter(|t| is_digits(t.text))?.text.parse().ok();
    i += 3;
    let local = toks.get(i)?.text;
    let unix = netid.is_some_and(|n| n.starts_with("u_"))
        || ((local.starts_with('/') || local.starts_with('@') || local == "*")
            && toks.get(i + 1).is_some_and(|t| is_digits(t.text)));
    let endpoint = if unix {
        if local == "*" { None } else { endpoint_of(local) }
    } else {
        Some(endpoint_of(local)?)
    };
    // Unix rows: path, inode, peer, peer inode; inet rows: local, peer.
    let peer_at = if unix { i + 2 } else { i + 1 };
    let peer = toks.get(peer_at)?.text;
    if !unix && !peer.contains(':') {
        return None;
    }
    let process_at = if unix { peer_at + 2 } else { peer_at + 1 };
    let (process, pid) = ss_users(rest_from(line, &toks, process_at)).map_or((None, None), |(n, p)| (Some(n), p));
    let proto = match netid {
        Some(n) => n.to_string(),
        None if unix => "unix".to_string(),
        None if state == "UNCONN" => "udp".to_string(),
        None => "tcp".to_string(),
    };
    Some(Listener {
        proto,
        endpoint,
        local: local.to_string(),
        state: Some(state.to_string()),
        recv_q,
        send_q,
        process,
        pid,
    })
}

/// Parses an `ss` table.
pub fn parse(cx: &ParseContext<'_>) -> Parsed {
    parse_table(cx, parse_row, is_header)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::Endpoint;

    #[test]
    fn reads_inet_rows() {
        let l = parse_row("LISTEN 0      511          0.0.0.0:80        0.0.0.0:*    users:((\"nginx\",pid=2291,fd=6),(\"nginx\",pid=2290,fd=6))").unwrap();
        assert_eq!(l.proto, "tcp");
        assert_eq!(l.endpoint.as_ref().and_then(Endpoint::port), Some(80));
        assert_eq!((l.recv_q, l.send_q), (Some(0), Some(511)));
        assert_eq!((l.process.as_deref(), l.pid), (Some("nginx"), Some(2291)));
        let v6 = parse_row("tcp   LISTEN 0      4096            [::]:9000         [::]:*").unwrap();
        assert_eq!(v6.proto, "tcp");
        assert_eq!(
            v6.endpoint,
            Some(Endpoint::Tcp {
                host: "::".into(),
                port: Some(9000)
            })
        );
        let udp = parse_row("udp   UNCONN 0      0      127.0.0.53%lo:53        0.0.0.0:*").unwrap();
        assert_eq!(udp.proto, "udp");
        let old = parse_row(
            "LISTEN     0      128                       *:22                       *:*      users:((\"sshd\",1234,3))",
        )
        .unwrap();
        assert_eq!(old.pid, Some(1234));
        let estab = parse_row("ESTAB      0      0      10.0.0.5:443     198.51.100.2:51234").unwrap();
        assert_eq!(estab.state.as_deref(), Some("ESTAB"));
    }

    #[test]
    fn reads_unix_rows() {
        let l = parse_row("u_str LISTEN 512    511    /run/php/php8.3-fpm.sock 23871            * 0    users:((\"php-fpm8.3\",pid=911,fd=8))").unwrap();
        assert_eq!(
            l.endpoint.as_ref().and_then(Endpoint::unix_path),
            Some("/run/php/php8.3-fpm.sock")
        );
        assert_eq!((l.recv_q, l.send_q), (Some(512), Some(511)));
        assert_eq!(l.pid, Some(911));
        let abs = parse_row("u_str LISTEN 0 4096 @/tmp/.X11-unix/X0 1234 * 0").unwrap();
        assert_eq!(abs.local, "@/tmp/.X11-unix/X0");
        let unnamed = parse_row("u_str ESTAB 0 0 * 5555 * 5556").unwrap();
        assert_eq!(unnamed.endpoint, None);
    }

    #[test]
    fn prose_is_not_a_row() {
        assert!(parse_row("LISTEN to me").is_none());
        assert!(parse_row("tcp LISTEN 0 x").is_none());
    }
}

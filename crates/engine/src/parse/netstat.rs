//! `netstat`: `-tulpn`, `-tlnp`, `-an`, `-tulpen` (User and Inode columns), `-lx` unix socket
//! tables (`unix  2 [ ACC ] STREAM LISTENING 12345 1234/php-fpm: mast /run/php/x.sock`), with
//! `-` for processes of other users, and BSD-style `*.80` addresses. One `Listener` per row.

use crate::facts::{Endpoint, Listener};
use crate::kind::Kind;
use crate::parse::columns::{Token, is_digits, nth_token, rest_from, tokens};
use crate::parse::registry::KindSpec;
use crate::parse::sockets::{endpoint_of, parse_table, table_score};
use crate::parse::{ParseContext, Parsed};

/// How `netstat` tables are recognised and parsed.
pub const SPEC: KindSpec = KindSpec {
    kind: Kind::Netstat,
    embeds: &[],
    command: |program, _| program == "netstat",
    file: crate::parse::registry::no_file,
    line: Some(is_netstat_line),
    block: |lines| table_score(lines, parse_row, is_framing),
    parse,
};

/// Protocols of the internet table.
const PROTOS: &[&str] = &[
    "tcp", "tcp6", "tcp4", "tcp46", "udp", "udp6", "udp4", "udp46", "raw", "raw6", "udpl", "udpl6", "sctp", "sctp6",
];

/// TCP states as netstat spells them.
const STATES: &[&str] = &[
    "LISTEN",
    "ESTABLISHED",
    "SYN_SENT",
    "SYN_RECV",
    "SYN_RCVD",
    "FIN_WAIT1",
    "FIN_WAIT2",
    "FIN_WAIT_1",
    "FIN_WAIT_2",
    "TIME_WAIT",
    "CLOSE",
    "CLOSED",
    "CLOSE_WAIT",
    "LAST_ACK",
    "CLOSING",
    "UNKNOWN",
];

/// True for a netstat row or one of its headers.
pub fn is_netstat_line(text: &str) -> bool {
    parse_row(text).is_some() || is_framing(text)
}

/// Table titles and column headers.
fn is_header(text: &str) -> bool {
    let t = text.trim();
    t.starts_with("Active Internet connections")
        || t.starts_with("Active UNIX domain sockets")
        || t.starts_with("Active Bluetooth connections")
        || (t.starts_with("Proto ") && (t.contains("Recv-Q") || t.contains("RefCnt")))
}

/// Headers plus the note netstat prints when not run as root.
fn is_framing(text: &str) -> bool {
    let t = text.trim();
    is_header(t)
        || t.starts_with("(Not all processes could be identified")
        || t.starts_with("will not be shown, you would have to be root")
        || t.starts_with("(No info could be read for \"-p\"")
}

/// The endpoint of a netstat local address, also in the BSD form `*.80` / `127.0.0.1.9000`.
fn local_endpoint(local: &str) -> Option<Endpoint> {
    endpoint_of(local).or_else(|| {
        let (host, port) = local.rsplit_once('.')?;
        let port = port.parse().ok()?;
        let host = if host == "*" { "" } else { host };
        Some(Endpoint::Tcp {
            host: host.to_string(),
            port: Some(port),
        })
    })
}

/// `1234/nginx: master` → pid and program; `-` → nothing.
fn pid_program(text: &str) -> (Option<u32>, Option<String>) {
    match text.split_once('/') {
        Some((pid, program)) if is_digits(pid) => (
            pid.parse().ok(),
            Some(program.trim().to_string()).filter(|p| !p.is_empty()),
        ),
        _ => (None, None),
    }
}

/// Reads one row of either table.
pub fn parse_row(line: &str) -> Option<Listener> {
    let first = nth_token(line, 0)?;
    if first != "unix" && !PROTOS.contains(&first) {
        return None;
    }
    let toks = tokens(line);
    let proto = toks.first()?.text;
    if proto == "unix" {
        return parse_unix_row(line, &toks);
    }
    if !PROTOS.contains(&proto) {
        return None;
    }
    let recv_q = toks.get(1).filter(|t| is_digits(t.text))?.text.parse().ok();
    let send_q = toks.get(2).filter(|t| is_digits(t.text))?.text.parse().ok();
    let local = toks.get(3)?.text;
    let foreign = toks.get(4)?.text;
    if !(foreign.contains(':') || foreign.contains('.')) {
        return None;
    }
    let endpoint = Some(local_endpoint(local)?);
    let mut j = 5;
    let state = toks.get(j).map(|t| t.text).filter(|s| STATES.contains(s));
    if state.is_some() {
        j += 1;
    }
    // Optional `User Inode` (-e), then `PID/Program name` (-p).
    let program_at = (j..toks.len()).find(|&k| {
        let t = toks[k].text;
        t == "-" || t.split_once('/').is_some_and(|(p, _)| is_digits(p))
    });
    let (pid, process) = program_at.map_or((None, None), |k| pid_program(rest_from(line, &toks, k)));
    Some(Listener {
        proto: proto.to_string(),
        endpoint,
        local: local.to_string(),
        state: state.map(str::to_string),
        recv_q,
        send_q,
        process,
        pid,
    })
}

/// `unix  2      [ ACC ]     STREAM     LISTENING     12345    1234/php-fpm: mast  /run/x.sock`
fn parse_unix_row(line: &str, toks: &[Token<'_>]) -> Option<Listener> {
    if !toks.get(1).is_some_and(|t| is_digits(t.text)) {
        return None;
    }
    let close = line.find(']')?;
    if !line.get(..close)?.contains('[') {
        return None;
    }
    let after_flags = close + 1;
    let rest: Vec<&Token<'_>> = toks.iter().filter(|t| t.start >= after_flags).collect();
    let mut k = 0;
    let _socket_type = rest
        .get(k)
        .filter(|t| matches!(t.text, "STREAM" | "DGRAM" | "SEQPACKET" | "RAW" | "RDM"))?;
    k += 1;
    let state = rest
        .get(k)
        .map(|t| t.text)
        .filter(|s| s.bytes().all(|b| b.is_ascii_uppercase() || b == b'_') && !s.is_empty());
    if state.is_some() {
        k += 1;
    }
    rest.get(k).filter(|t| is_digits(t.text))?;
    k += 1;
    let path_token = rest
        .last()
        .filter(|t| t.start > rest.get(k - 1).map_or(0, |i| i.start))
        .filter(|t| t.text.starts_with('/') || t.text.starts_with('@'));
    let path = path_token.map(|t| t.text);
    let program_end = path_token.map_or(line.len(), |t| t.start);
    let (pid, process) = match rest.get(k) {
        Some(t) if path_token.is_none_or(|p| p.start != t.start) => {
            pid_program(line.get(t.start..program_end).unwrap_or("").trim())
        }
        _ => (None, None),
    };
    Some(Listener {
        proto: "unix".to_string(),
        endpoint: path.and_then(endpoint_of),
        local: path.unwrap_or("").to_string(),
        state: state.map(str::to_string),
        recv_q: None,
        send_q: None,
        process,
        pid,
    })
}

/// Parses a netstat table.
pub fn parse(cx: &ParseContext<'_>) -> Parsed {
    parse_table(cx, parse_row, is_framing)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_internet_rows() {
        let l = parse_row(
            "tcp        0      0 0.0.0.0:80              0.0.0.0:*               LISTEN      2211/nginx: master",
        )
        .unwrap();
        assert_eq!((l.pid, l.process.as_deref()), (Some(2211), Some("nginx: master")));
        assert_eq!(l.endpoint.as_ref().and_then(Endpoint::port), Some(80));
        let v6 =
            parse_row("tcp6       0      0 :::80                   :::*                    LISTEN      -").unwrap();
        assert_eq!(v6.pid, None);
        assert_eq!(v6.state.as_deref(), Some("LISTEN"));
        let udp = parse_row(
            "udp        0      0 127.0.0.53:53           0.0.0.0:*                           512/systemd-resolve",
        )
        .unwrap();
        assert_eq!((udp.state, udp.pid), (None, Some(512)));
        let wide = parse_row("tcp        0      0 127.0.0.1:9000          0.0.0.0:*               LISTEN      0          23456      911/php-fpm: maste").unwrap();
        assert_eq!(wide.pid, Some(911));
        let bsd = parse_row("tcp4       0      0  *.80                   *.*                    LISTEN").unwrap();
        assert_eq!(bsd.endpoint.as_ref().and_then(Endpoint::port), Some(80));
    }

    #[test]
    fn reads_unix_rows() {
        let l = parse_row(
            "unix  2      [ ACC ]     STREAM     LISTENING     12345    1234/php-fpm: mast  /run/php/php8.3-fpm.sock",
        )
        .unwrap();
        assert_eq!(l.local, "/run/php/php8.3-fpm.sock");
        assert_eq!((l.pid, l.process.as_deref()), (Some(1234), Some("php-fpm: mast")));
        let plain =
            parse_row("unix  2      [ ACC ]     STREAM     LISTENING     23456    /run/php/php8.3-fpm.sock").unwrap();
        assert_eq!((plain.pid, plain.local.as_str()), (None, "/run/php/php8.3-fpm.sock"));
        let dgram = parse_row(
            "unix  3      [ ]         DGRAM                    18810    1/systemd            /run/systemd/notify",
        )
        .unwrap();
        assert_eq!((dgram.state, dgram.pid), (None, Some(1)));
        let unnamed = parse_row("unix  3      [ ]         STREAM     CONNECTED     22345    -").unwrap();
        assert_eq!(unnamed.endpoint, None);
    }
}

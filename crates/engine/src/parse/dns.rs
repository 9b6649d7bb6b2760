//! DNS lookup tools: `dig` (full output, `+short`, `+noall +answer`), `nslookup` (glibc/bind,
//! BusyBox and Windows shapes) and `host` (plain and `-v`). One line-by-line reader serves the
//! three kinds: their line shapes do not collide, and people paste them mixed.
//!
//! Facts: a [`DnsRecord`] per answer (names without the root dot; `dig +short` lines carry an
//! empty name because the output does not repeat the query), and a [`DnsStatus`] per outcome:
//! the dig header's status (`NOERROR`, `NXDOMAIN`, `SERVFAIL`, `REFUSED`...), nslookup's
//! `** server can't find NAME: STATUS` (and `NODATA` for `*** Can't find NAME: No answer`),
//! host's `Host NAME not found: 3(NXDOMAIN)`, `timeout` for `connection timed out; no servers
//! could be reached` and `unreachable` when the server refused the connection. Authority and
//! additional records are read but give no fact (they are not answers).

use crate::facts::{DnsRecord, DnsStatus, Fact, FactAt};
use crate::kind::Kind;
use crate::parse::registry::{KindSpec, no_file};
use crate::parse::{ParseContext, Parsed};
use crate::span::{Span, lines};

/// `dig` output.
pub const DIG_SPEC: KindSpec = KindSpec {
    kind: Kind::Dig,
    embeds: &[],
    command: |program, _| matches!(program, "dig" | "kdig" | "drill"),
    file: no_file,
    line: Some(is_dig_line),
    block: |lines| score(lines, is_dig_line, |t| t.starts_with(';') || parse_record(t).is_some()),
    parse,
};

/// `nslookup` output.
pub const NSLOOKUP_SPEC: KindSpec = KindSpec {
    kind: Kind::Nslookup,
    embeds: &[],
    command: |program, _| program == "nslookup",
    file: no_file,
    line: Some(is_nslookup_line),
    block: |lines| score(lines, is_nslookup_line, is_nslookup_support),
    parse,
};

/// `host` output.
pub const HOST_SPEC: KindSpec = KindSpec {
    kind: Kind::HostLookup,
    embeds: &[],
    command: |program, _| program == "host",
    file: no_file,
    line: Some(is_host_line),
    block: |lines| score(lines, is_host_line, is_nslookup_support),
    parse,
};

/// Share of lines a kind reads, when at least one line is strong evidence of it. The lone
/// `;; connection timed out; no servers could be reached` line (all three tools print it) is
/// accepted by each, dig first.
fn score(lines: &[&str], strong: fn(&str) -> bool, support: fn(&str) -> bool) -> f32 {
    let mut total = 0usize;
    let mut anchors = 0usize;
    let mut known = 0usize;
    let mut timeouts = 0usize;
    for line in lines {
        let t = line.trim_end();
        if t.trim().is_empty() {
            continue;
        }
        total += 1;
        if no_servers(t).is_some() || t.starts_with(";; communications error to ") {
            timeouts += 1;
            known += 1;
        } else if strong(t) {
            anchors += 1;
            known += 1;
        } else if support(t) {
            known += 1;
        }
    }
    if total == 0 {
        return 0.0;
    }
    if anchors == 0 {
        return if timeouts == total { 0.8 } else { 0.0 };
    }
    0.3 + 0.7 * (known as f32 / total as f32)
}

/// Lines only dig prints.
pub fn is_dig_line(line: &str) -> bool {
    let t = line.trim_end();
    if let Some(rest) = t.strip_prefix(";; ") {
        return rest.starts_with("->>HEADER<<-")
            || rest.ends_with(" SECTION:")
            || rest == "OPT PSEUDOSECTION:"
            || rest.starts_with("global options:")
            || rest == "Got answer:"
            || rest.starts_with("flags: ")
            || rest.starts_with("Query time: ")
            || rest.starts_with("SERVER: ")
            || rest.starts_with("WHEN: ")
            || rest.starts_with("MSG SIZE");
    }
    if t.starts_with("; <<>> DiG ") || t.starts_with("; EDNS: version") {
        return true;
    }
    // `;app.example.com.		IN	A` (question) and zone-format answers.
    if let Some(q) = t.strip_prefix(';') {
        return question(q).is_some();
    }
    parse_record(t).is_some()
}

/// Lines only nslookup prints.
pub fn is_nslookup_line(line: &str) -> bool {
    let t = line.trim_end();
    if let Some(value) = t.strip_prefix("Server:") {
        let v = value.trim();
        return v == "UnKnown" || host_of_server(v).parse::<std::net::IpAddr>().is_ok();
    }
    t == "Non-authoritative answer:"
        || t == "Authoritative answers can be found from:"
        || t.starts_with("** server can't find ")
        || t.starts_with("*** Can't find ")
        || (t.starts_with("*** ") && t.contains(" can't find "))
        || t.starts_with("nslookup: can't resolve")
        || nslookup_pair(t).is_some()
}

/// Lines nslookup prints that say little on their own.
fn is_nslookup_support(t: &str) -> bool {
    let t = t.trim();
    ["Name:", "Address:", "Addresses:", "Aliases:", "Address ", "Server:"]
        .iter()
        .any(|p| t.starts_with(p))
        || t.parse::<std::net::IpAddr>().is_ok()
        || t.starts_with(";; ")
}

/// Lines only host prints.
pub fn is_host_line(line: &str) -> bool {
    let t = line.trim_end();
    host_answer(t).is_some()
        || host_not_found(t).is_some()
        || t == "Using domain server:"
        || (t.starts_with("Received ") && t.contains(" bytes from "))
}

/// `status: NXDOMAIN` of a dig header line.
fn header_status(t: &str) -> Option<&str> {
    let rest = t.strip_prefix(";; ->>HEADER<<-")?;
    let (_, after) = rest.split_once("status: ")?;
    let status = after.split([',', ' ']).next()?.trim();
    (!status.is_empty()).then_some(status)
}

/// `app.example.com.  IN  A` (the question line without its `;`) → the name.
fn question(q: &str) -> Option<&str> {
    let mut words = q.split_whitespace();
    let name = words.next()?;
    let class = words.next()?;
    let rtype = words.next()?;
    (words.next().is_none() && is_class(class) && is_type(rtype) && !name.is_empty()).then_some(name)
}

fn is_class(w: &str) -> bool {
    matches!(w, "IN" | "CH" | "HS" | "ANY" | "CLASS1")
}

fn is_type(w: &str) -> bool {
    !w.is_empty()
        && w.len() <= 10
        && w.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        && w.as_bytes()[0].is_ascii_uppercase()
}

/// A zone-format record: `name [TTL] CLASS TYPE RDATA` → (name, type, rdata).
pub fn parse_record(t: &str) -> Option<(String, String, String)> {
    if t.starts_with(';') {
        return None;
    }
    // The class is the second or third word: checked before the line is split any further.
    let mut head = t.split_whitespace();
    let (_, second, third) = (head.next()?, head.next()?, head.next());
    let class = if second.bytes().all(|b| b.is_ascii_digit()) {
        third?
    } else {
        second
    };
    if !is_class(class) {
        return None;
    }
    let words: Vec<&str> = t.split_whitespace().collect();
    let name = *words.first()?;
    let mut i = 1;
    if words.get(1).is_some_and(|w| w.bytes().all(|b| b.is_ascii_digit())) {
        i = 2;
    }
    let rtype = *words.get(i + 1)?;
    if !is_type(rtype) {
        return None;
    }
    let rdata = words.get(i + 2..)?;
    if rdata.is_empty() {
        return None;
    }
    let value = if rdata.len() == 1 {
        strip_root(rdata[0]).to_string()
    } else {
        rdata.join(" ")
    };
    Some((strip_root(name).to_string(), rtype.to_string(), value))
}

/// `app.example.com.` → `app.example.com` (but `.` stays `.`).
fn strip_root(name: &str) -> &str {
    match name.strip_suffix('.') {
        Some(n) if !n.is_empty() => n,
        _ => name,
    }
}

/// A `;; ... no servers could be reached` line → `timeout`, `unreachable`, or `None` when the
/// line does not say why (the `communications error` lines before it do).
fn no_servers(t: &str) -> Option<Option<&'static str>> {
    let rest = t.strip_prefix(";; ")?;
    if !rest.contains("no servers could be reached") {
        return None;
    }
    Some(rest.contains("timed out").then_some("timeout"))
}

/// Why a `;; communications error to X: REASON` line failed, and the server it names.
fn communication_failure(t: &str) -> Option<(&'static str, &str)> {
    let rest = t.strip_prefix(";; communications error to ")?;
    let server = rest.split(": ").next().unwrap_or(rest);
    let why = if rest.contains("timed out") {
        "timeout"
    } else {
        "unreachable"
    };
    Some((why, server))
}

/// `127.0.0.53#53(127.0.0.53) (UDP)` / `127.0.0.11:53` / `8.8.8.8#53` → the address, with the
/// port only when it is not 53.
fn server_address(text: &str) -> String {
    let t = text.trim();
    let t = t.split(['(', ' ']).next().unwrap_or(t);
    let (host, port) = match t.rsplit_once('#') {
        Some((h, p)) => (h, Some(p)),
        None => match t.rsplit_once(':') {
            Some((h, p)) if h.parse::<std::net::Ipv4Addr>().is_ok() => (h, Some(p)),
            _ => (t, None),
        },
    };
    match port {
        Some(p) if p != "53" => format!("{host}#{p}"),
        _ => host.to_string(),
    }
}

/// The host part of a server text (for recognition).
fn host_of_server(v: &str) -> &str {
    v.split(['#', ' ']).next().unwrap_or(v)
}

/// nslookup's `NAME<TAB>canonical name = X.` style lines → (name, type, value).
fn nslookup_pair(t: &str) -> Option<(String, &'static str, String)> {
    const PAIRS: &[(&str, &str)] = &[
        ("canonical name = ", "CNAME"),
        ("name = ", "PTR"),
        ("mail exchanger = ", "MX"),
        ("text = ", "TXT"),
        ("nameserver = ", "NS"),
    ];
    let (name, rest) = t.split_once(['\t', ' '])?;
    if name.is_empty() || name.contains(':') && !name.contains('.') {
        return None;
    }
    let rest = rest.trim_start();
    for (marker, rtype) in PAIRS {
        if let Some(value) = rest.strip_prefix(marker) {
            return Some((
                strip_root(name).to_string(),
                rtype,
                strip_root(value.trim()).to_string(),
            ));
        }
    }
    None
}

/// host's answer lines → (name, type, value).
fn host_answer(t: &str) -> Option<(String, &'static str, String)> {
    const MARKERS: &[(&str, &str)] = &[
        (" has address ", "A"),
        (" has IPv6 address ", "AAAA"),
        (" is an alias for ", "CNAME"),
        (" mail is handled by ", "MX"),
        (" domain name pointer ", "PTR"),
        (" descriptive text ", "TXT"),
        (" name server ", "NS"),
        (" has SOA record ", "SOA"),
    ];
    // The name holds no space: a marker (which starts with one) can only stand at the first.
    let space = memchr::memchr(b' ', t.as_bytes()).filter(|&i| i > 0)?;
    let (name, after) = t.split_at(space);
    for (marker, rtype) in MARKERS {
        if let Some(value) = after.strip_prefix(marker) {
            let value = value.trim();
            // `10 mx1.example.net.` → `10 mx1.example.net`; quoted text stays as it is.
            let value = if value.ends_with('"') { value } else { strip_root(value) };
            return Some((strip_root(name).to_string(), rtype, value.to_string()));
        }
    }
    None
}

/// `Host app.example.com not found: 3(NXDOMAIN)` → (name, status).
fn host_not_found(t: &str) -> Option<(String, String)> {
    let rest = t.strip_prefix("Host ")?;
    let (name, after) = rest.split_once(" not found: ")?;
    let status = after
        .split_once('(')
        .map_or(after, |(_, s)| s.trim_end_matches(')'))
        .trim();
    Some((strip_root(name).to_string(), status.to_string()))
}

/// `NAME has no AAAA record` (host) → the name.
fn host_no_record(t: &str) -> Option<&str> {
    let (name, rest) = t.split_once(" has no ")?;
    (rest.ends_with(" record") && !name.contains(' ')).then_some(name)
}

/// The name and server a dig command line in `; <<>> DiG 9.18 <<>> ARGS` asks.
fn dig_args(args: &str) -> (Option<String>, Option<String>) {
    let mut name = None;
    let mut server = None;
    let mut words = args.split_whitespace();
    while let Some(w) = words.next() {
        if let Some(s) = w.strip_prefix('@') {
            server = Some(s.to_string());
        } else if w == "-x" || w == "-q" {
            name = words.next().map(str::to_string).or(name);
        } else if matches!(w, "-t" | "-c" | "-p" | "-b" | "-f" | "-k" | "-y") {
            words.next();
        } else if w.starts_with(['+', '-']) || is_class(w) || is_type(w) {
            continue;
        } else if name.is_none() {
            name = Some(strip_root(w).to_string());
        }
    }
    (name, server)
}

/// A dig status waiting for its question and server lines.
struct PendingStatus {
    status: DnsStatus,
    span: Span,
    /// Where the fact goes among the facts, to keep them in text order.
    position: usize,
}

/// Parses dig, nslookup or host output.
pub fn parse(cx: &ParseContext<'_>) -> Parsed {
    let mut r = Reader::default();
    for line in lines(cx.text, cx.base) {
        r.line(line.text, line.span);
    }
    r.flush();
    r.out
}

#[derive(Default)]
struct Reader {
    out: Parsed,
    /// The query the output is about, when a header or question named it.
    query: Option<String>,
    /// The server asked, when shown.
    server: Option<String>,
    pending: Option<PendingStatus>,
    /// The dig section being read (`ANSWER`, `AUTHORITY`...).
    section: Option<String>,
    /// nslookup / host: the next `Address:` names the server, not an answer.
    server_block: bool,
    /// nslookup: the `Name:` an `Address:` belongs to, and that line's span.
    answer_name: Option<(String, Span)>,
    /// Windows nslookup: inside `Addresses:` continuation lines.
    in_addresses: bool,
    /// nslookup's `Authoritative answers can be found from:` block (not answers).
    authority_block: bool,
    /// Why the last `communications error` line failed.
    last_failure: Option<&'static str>,
    /// The server the last `communications error` line names.
    failed_server: Option<String>,
}

impl Reader {
    fn push(&mut self, span: Span, fact: Fact) {
        self.out.facts.push(FactAt { span, fact });
    }

    fn record(&mut self, span: Span, name: String, record_type: &str, value: String) {
        self.push(
            span,
            Fact::DnsRecord(Box::new(DnsRecord {
                name,
                record_type: record_type.to_string(),
                value,
            })),
        );
    }

    fn status(&mut self, span: Span, name: Option<String>, status: &str) {
        self.flush();
        let server = self.server.clone().or_else(|| self.failed_server.clone());
        self.push(
            span,
            Fact::DnsStatus(Box::new(DnsStatus {
                name,
                status: status.to_string(),
                server,
            })),
        );
    }

    fn flush(&mut self) {
        if let Some(p) = self.pending.take() {
            let mut status = p.status;
            if status.name.is_none() {
                status.name = self.query.clone();
            }
            if status.server.is_none() {
                status.server = self.server.clone();
            }
            let position = p.position.min(self.out.facts.len());
            self.out.facts.insert(
                position,
                FactAt {
                    span: p.span,
                    fact: Fact::DnsStatus(Box::new(status)),
                },
            );
        }
    }

    fn line(&mut self, raw: &str, span: Span) {
        let t = raw.trim_end();
        if t.trim().is_empty() {
            self.server_block = false;
            self.in_addresses = false;
            self.authority_block = false;
            return;
        }
        if t.starts_with(';') {
            self.dig_comment(t, span);
            return;
        }
        if self.in_addresses && raw.starts_with([' ', '\t']) {
            if let Some(addr) = ip_of(t.trim()) {
                let name = self.answer_name.as_ref().map(|(n, _)| n.clone()).unwrap_or_default();
                self.record(span, name, addr_type(addr), addr.to_string());
                return;
            }
        }
        self.in_addresses = false;
        if let Some((name, rtype, value)) = parse_record(t) {
            if self.section.as_deref().is_none_or(|s| s == "ANSWER") {
                self.record(span, name, &rtype, value);
            }
            return;
        }
        if self.nslookup_line(t, span) || self.host_line(t, span) {
            return;
        }
        if let Some(rest) = t.strip_prefix("Trying \"") {
            self.query = Some(strip_root(rest.trim_end_matches('"')).to_string());
            return;
        }
        if let Some(rest) = t.strip_prefix("Received ")
            && let Some((_, from)) = rest.split_once(" bytes from ")
        {
            // host -v: `Received 49 bytes from 127.0.0.53#53 in 0 ms`
            self.server = Some(server_address(from.split(" in ").next().unwrap_or(from)));
            return;
        }
        if t.starts_with("dig: ") || t.starts_with("host: ") || t.starts_with("nslookup: ") {
            if let Some(name) = t.strip_prefix("nslookup: can't resolve ") {
                let name = name.trim().trim_matches(['\'', '"']);
                self.status(span, Some(name.to_string()), "error");
            }
            return;
        }
        if self.short_answer(t, span) {
            return;
        }
        self.out.unread.push(span);
    }

    /// Lines starting with `;` (dig's comments, headers and sections).
    fn dig_comment(&mut self, t: &str, span: Span) {
        if let Some(status) = header_status(t) {
            self.flush();
            self.section = None;
            self.pending = Some(PendingStatus {
                status: DnsStatus {
                    name: None,
                    status: status.to_string(),
                    server: None,
                },
                span,
                position: self.out.facts.len(),
            });
            return;
        }
        if let Some(status) = no_servers(t) {
            let name = self.query.clone();
            let status = status.or(self.last_failure).unwrap_or("unreachable");
            self.status(span, name, status);
            return;
        }
        if let Some((failure, server)) = communication_failure(t) {
            self.last_failure = Some(failure);
            self.failed_server = Some(server_address(server));
            return;
        }
        if let Some(args) = t
            .strip_prefix("; <<>> DiG ")
            .and_then(|r| r.split_once("<<>>"))
            .map(|(_, a)| a)
        {
            self.flush();
            let (name, server) = dig_args(args);
            self.query = name;
            self.server = server.map(|s| server_address(&s));
            self.section = None;
            return;
        }
        if let Some(section) = t.strip_prefix(";; ").and_then(|r| r.strip_suffix(" SECTION:")) {
            self.section = Some(section.to_string());
            return;
        }
        if let Some(server) = t.strip_prefix(";; SERVER: ") {
            self.server = Some(server_address(server));
            if let Some(p) = &mut self.pending {
                p.status.server = self.server.clone();
            }
            return;
        }
        if t.starts_with(";; MSG SIZE") {
            self.flush();
            return;
        }
        if let Some(q) = t.strip_prefix(';')
            && let Some(name) = question(q)
        {
            let name = strip_root(name).to_string();
            if let Some(p) = &mut self.pending {
                p.status.name = Some(name.clone());
            }
            self.query = Some(name);
        }
        // Every other `;` line is a dig comment: flags, OPT, query time, warnings.
    }

    /// nslookup's lines; true when the line was one.
    fn nslookup_line(&mut self, t: &str, span: Span) -> bool {
        if let Some(value) = t.strip_prefix("Server:") {
            self.server = Some(server_address(value));
            self.server_block = true;
            self.answer_name = None;
            return true;
        }
        if t == "Using domain server:" {
            self.server_block = true;
            return true;
        }
        if t == "Non-authoritative answer:" {
            self.server_block = false;
            return true;
        }
        if t == "Authoritative answers can be found from:" {
            self.authority_block = true;
            return true;
        }
        if let Some(rest) = t.strip_prefix("** server can't find ") {
            let (name, status) = rest.rsplit_once(": ").unwrap_or((rest, "error"));
            let name = strip_root(name.trim()).to_string();
            self.status(span, Some(name), status.trim());
            return true;
        }
        if t.starts_with("***") && t.contains("an't find ") {
            // `*** Can't find app: No answer`, Windows `*** UnKnown can't find app: Non-existent domain`.
            let rest = t.split_once("an't find ").map_or("", |(_, r)| r);
            let (name, why) = rest.rsplit_once(": ").unwrap_or((rest, ""));
            let status = match why.trim() {
                "No answer" => "NODATA",
                "Non-existent domain" => "NXDOMAIN",
                "Server failed" => "SERVFAIL",
                "Query refused" => "REFUSED",
                "No response from server" | "Timed out" => "timeout",
                other if other.bytes().all(|b| b.is_ascii_uppercase()) && !other.is_empty() => other,
                _ => "error",
            };
            self.status(span, Some(strip_root(name.trim()).to_string()), status);
            return true;
        }
        if let Some((key, value)) = t.split_once(':')
            && matches!(key.trim(), "Name" | "Address" | "Addresses" | "Aliases")
            && !t.starts_with([' ', '\t'])
        {
            return self.name_address(key.trim(), value.trim(), span);
        }
        // BusyBox: `Address 1: 172.18.0.3 backend.net`
        if let Some(rest) = t.strip_prefix("Address ")
            && let Some((n, value)) = rest.split_once(": ")
            && n.bytes().all(|b| b.is_ascii_digit())
        {
            let addr = value.split_whitespace().next().unwrap_or("");
            if self.server_block {
                self.server = Some(server_address(addr));
                return true;
            }
            if let Some(ip) = ip_of(addr) {
                let name = self.answer_name.as_ref().map(|(n, _)| n.clone()).unwrap_or_default();
                self.record(span, name, addr_type(ip), ip.to_string());
                return true;
            }
            return false;
        }
        if let Some((name, rtype, value)) = nslookup_pair(t) {
            if !self.authority_block {
                self.record(span, name, rtype, value);
            }
            return true;
        }
        if self.authority_block || t.starts_with('\t') && t.contains(" = ") {
            // SOA details (`\torigin = ...`, `\tserial = ...`) and authority listings.
            return true;
        }
        if t.starts_with(";; Got ") {
            return true;
        }
        false
    }

    /// `Name:` / `Address:` / `Addresses:` / `Aliases:` of nslookup and host's server block.
    fn name_address(&mut self, key: &str, value: &str, span: Span) -> bool {
        match key {
            "Name" => {
                if !self.server_block {
                    self.answer_name = Some((strip_root(value).to_string(), span));
                }
                true
            }
            "Aliases" => true,
            _ => {
                if self.server_block {
                    self.server = Some(server_address(value));
                    return true;
                }
                self.in_addresses = key == "Addresses";
                let Some(ip) = ip_of(value) else {
                    return value.is_empty();
                };
                let (name, record_span) = match self.answer_name.take() {
                    // The first address after `Name:` quotes both lines.
                    Some((n, name_span)) => {
                        let joined = name_span.join(span);
                        self.answer_name = Some((n.clone(), Span::new(span.start, span.start)));
                        let s = if name_span.is_empty() { span } else { joined };
                        (n, s)
                    }
                    None => (String::new(), span),
                };
                self.record(record_span, name, addr_type(ip), ip.to_string());
                true
            }
        }
    }

    /// host's lines; true when the line was one.
    fn host_line(&mut self, t: &str, span: Span) -> bool {
        if let Some((name, rtype, value)) = host_answer(t) {
            self.record(span, name, rtype, value);
            return true;
        }
        if let Some((name, status)) = host_not_found(t) {
            self.status(span, Some(name), &status);
            return true;
        }
        if let Some(name) = host_no_record(t) {
            self.status(span, Some(strip_root(name).to_string()), "NODATA");
            return true;
        }
        false
    }

    /// `dig +short` answers: bare addresses, names, `10 mx.example.com.`, `"text"`.
    fn short_answer(&mut self, t: &str, span: Span) -> bool {
        let t = t.trim();
        let name = self.query.clone().unwrap_or_default();
        if let Some(ip) = ip_of(t)
            && ip == t
        {
            self.record(span, name, addr_type(ip), ip.to_string());
            return true;
        }
        if t.ends_with('.') && !t.contains(' ') && t.len() > 1 && is_hostname(strip_root(t)) {
            let rtype = if name.ends_with(".arpa") { "PTR" } else { "CNAME" };
            self.record(span, name, rtype, strip_root(t).to_string());
            return true;
        }
        if t.starts_with('"') && t.ends_with('"') && t.len() >= 2 {
            self.record(span, name, "TXT", t.to_string());
            return true;
        }
        if let Some((pref, host)) = t.split_once(' ')
            && pref.bytes().all(|b| b.is_ascii_digit())
            && host.ends_with('.')
            && is_hostname(strip_root(host))
        {
            self.record(span, name, "MX", format!("{pref} {}", strip_root(host)));
            return true;
        }
        false
    }
}

/// The address at the start of `text` when it is an IP address (zone suffix allowed).
fn ip_of(text: &str) -> Option<&str> {
    let word = text.split_whitespace().next()?;
    let bare = word.split('%').next().unwrap_or(word);
    bare.parse::<std::net::IpAddr>().is_ok().then_some(word)
}

/// `A` or `AAAA` for an address.
fn addr_type(addr: &str) -> &'static str {
    if addr.contains(':') { "AAAA" } else { "A" }
}

/// Letters, digits, `-`, `_` and dots, with at least one letter.
pub fn is_hostname(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 253
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'))
        && name.bytes().any(|b| b.is_ascii_alphabetic())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::test_support::facts_of;

    fn run(text: &str) -> Parsed {
        parse(&ParseContext::new(text, 0))
    }

    fn records(p: &Parsed) -> Vec<(String, String, String)> {
        facts_of::<DnsRecord>(p)
            .into_iter()
            .map(|r| (r.name, r.record_type, r.value))
            .collect()
    }

    fn statuses(p: &Parsed) -> Vec<DnsStatus> {
        facts_of(p)
    }

    const DIG_NXDOMAIN: &str = "\n; <<>> DiG 9.18.28-0ubuntu0.22.04.1-Ubuntu <<>> app.internal\n;; global options: +cmd\n;; Got answer:\n;; ->>HEADER<<- opcode: QUERY, status: NXDOMAIN, id: 41234\n;; flags: qr rd ra; QUERY: 1, ANSWER: 0, AUTHORITY: 1, ADDITIONAL: 1\n\n;; OPT PSEUDOSECTION:\n; EDNS: version: 0, flags:; udp: 65494\n;; QUESTION SECTION:\n;app.internal.\t\t\tIN\tA\n\n;; AUTHORITY SECTION:\n.\t\t\t86400\tIN\tSOA\ta.root-servers.net. nstld.verisign-grs.com. 2025021100 1800 900 604800 86400\n\n;; Query time: 20 msec\n;; SERVER: 127.0.0.53#53(127.0.0.53) (UDP)\n;; WHEN: Tue Feb 11 08:03:19 UTC 2025\n;; MSG SIZE  rcvd: 116\n";

    #[test]
    fn reads_a_dig_nxdomain() {
        let p = run(DIG_NXDOMAIN);
        assert!(p.unread.is_empty(), "{:?}", p.unread);
        assert!(records(&p).is_empty());
        let s = statuses(&p);
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].status, "NXDOMAIN");
        assert_eq!(s[0].name.as_deref(), Some("app.internal"));
        assert_eq!(s[0].server.as_deref(), Some("127.0.0.53"));
    }

    #[test]
    fn keeps_the_dig_status_before_its_answers() {
        let p = run(
            ";; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 1\n;; ANSWER SECTION:\na.example.com. 60 IN A 10.0.0.1\n;; SERVER: 10.0.0.2#5353(10.0.0.2)\n;; MSG SIZE  rcvd: 56\n",
        );
        assert!(matches!(&p.facts[0].fact, Fact::DnsStatus(s) if s.server.as_deref() == Some("10.0.0.2#5353")));
        assert!(matches!(&p.facts[1].fact, Fact::DnsRecord(_)));
    }

    #[test]
    fn reads_dig_answers_short_and_timeouts() {
        let p = run(
            ";; ANSWER SECTION:\napp.example.com.\t300\tIN\tCNAME\tlb.example.net.\nlb.example.net.\t60\tIN\tA\t10.0.0.5\n",
        );
        assert_eq!(
            records(&p),
            vec![
                ("app.example.com".into(), "CNAME".into(), "lb.example.net".into()),
                ("lb.example.net".into(), "A".into(), "10.0.0.5".into())
            ]
        );
        let p = run("203.0.113.40\n2001:db8::5\nalias.example.net.\n");
        assert!(p.unread.is_empty());
        assert_eq!(records(&p)[0], ("".into(), "A".into(), "203.0.113.40".into()));
        assert_eq!(records(&p)[2].1, "CNAME");
        let p = run(
            ";; communications error to 127.0.0.11#53: timed out\n;; communications error to 127.0.0.11#53: timed out\n\n; <<>> DiG 9.18 <<>> backend\n;; global options: +cmd\n;; no servers could be reached\n",
        );
        assert!(p.unread.is_empty(), "{:?}", p.unread);
        assert_eq!(statuses(&p)[0].status, "timeout");
        assert_eq!(statuses(&p)[0].name.as_deref(), Some("backend"));
        assert_eq!(statuses(&p)[0].server.as_deref(), Some("127.0.0.11"));
        let p = run(";; connection timed out; no servers could be reached\n");
        assert_eq!(statuses(&p)[0].status, "timeout");
    }

    #[test]
    fn reads_nslookup_shapes() {
        let glibc = "Server:\t\t127.0.0.53\nAddress:\t127.0.0.53#53\n\nNon-authoritative answer:\napp.example.com\tcanonical name = lb.example.net.\nName:\tlb.example.net\nAddress: 10.0.0.5\nName:\tlb.example.net\nAddress: 2001:db8::5\n\n** server can't find app.internal: NXDOMAIN\n";
        let p = run(glibc);
        assert!(p.unread.is_empty(), "{:?}", p.unread);
        assert_eq!(
            records(&p),
            vec![
                ("app.example.com".into(), "CNAME".into(), "lb.example.net".into()),
                ("lb.example.net".into(), "A".into(), "10.0.0.5".into()),
                ("lb.example.net".into(), "AAAA".into(), "2001:db8::5".into()),
            ]
        );
        let s = statuses(&p);
        assert_eq!(s[0].status, "NXDOMAIN");
        assert_eq!(s[0].server.as_deref(), Some("127.0.0.53"));
        let busybox = "Server:\t\t127.0.0.11\nAddress:\t127.0.0.11:53\n\n** server can't find backend.localdomain: NXDOMAIN\n\n*** Can't find backend: No answer\n\nName:      backend\nAddress 1: 172.18.0.3 backend.app_default\n";
        let p = run(busybox);
        assert!(p.unread.is_empty(), "{:?}", p.unread);
        assert_eq!(statuses(&p)[1].status, "NODATA");
        assert_eq!(records(&p), vec![("backend".into(), "A".into(), "172.18.0.3".into())]);
        let windows = "Server:  UnKnown\nAddress:  192.168.1.1\n\nName:    app.example.com\nAddresses:  10.0.0.5\n          10.0.0.6\n";
        let p = run(windows);
        assert!(p.unread.is_empty(), "{:?}", p.unread);
        assert_eq!(records(&p).len(), 2);
    }

    #[test]
    fn reads_host_shapes() {
        let p = run(
            "Using domain server:\nName: 8.8.8.8\nAddress: 8.8.8.8#53\nAliases: \n\napp.example.com is an alias for lb.example.net.\nlb.example.net has address 10.0.0.5\nlb.example.net has IPv6 address 2001:db8::5\nHost nope.example.com not found: 3(NXDOMAIN)\n",
        );
        assert!(p.unread.is_empty(), "{:?}", p.unread);
        assert_eq!(records(&p).len(), 3);
        let s = statuses(&p);
        assert_eq!(
            (s[0].status.as_str(), s[0].server.as_deref()),
            ("NXDOMAIN", Some("8.8.8.8"))
        );
    }

    #[test]
    fn recognisers_are_specific() {
        assert!(is_dig_line(";; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 1"));
        assert!(is_dig_line("app.example.com.\t300\tIN\tA\t10.0.0.5"));
        assert!(!is_dig_line("; a comment in some file"));
        assert!(is_nslookup_line("Server:\t\t127.0.0.53"));
        assert!(!is_nslookup_line("Server: nginx"));
        assert!(is_host_line("app.example.com has address 10.0.0.5"));
        assert!(!is_host_line("the host has address problems"));
        assert!((DIG_SPEC.block)(&DIG_NXDOMAIN.lines().collect::<Vec<_>>()) > 0.9);
        for text in [
            "Address 1:",
            "Server:",
            "** server can't find ",
            ";",
            "; <<>> DiG <<>>",
            "Host  not found: ",
        ] {
            let _ = run(text);
        }
    }
}

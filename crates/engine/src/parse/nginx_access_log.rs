//! nginx access log: `combined`, `common`, the `main` format of the stock nginx.conf, any custom
//! `log_format` read from the pasted configuration, common extensions seen in the wild without
//! a pasted format (`rt=... uct="..." urt="..."`, `us=`/`ua=`, trailing `$request_time
//! $upstream_response_time`, ingress-nginx's `upstreaminfo`), and JSON access logs.
//!
//! How a line is read, first match wins:
//! 1. a JSON object: keys mapped through a pasted `escape=json` format when one names them,
//!    else by their usual names (`status`, `upstream_status`, `request`, `time_local`...);
//! 2. each pasted `log_format`, compiled to an anchored pattern (once per piece);
//! 3. the `combined`/`common` prefix (optionally after a `$host` column), then ingress-nginx's
//!    `upstreaminfo` tail, or a tail read by labels (`rt=`, `urt=`...) and position (one bare
//!    time is `$request_time`, two are `$request_time $upstream_response_time`; a `-` or a
//!    list is an upstream time);
//! 4. any line with a quoted `"METHOD target HTTP/x"` and a status after it (a custom format
//!    without its definition): time, client, request and status are read, the rest is left.
//!
//! Wrappers (compose, `docker logs -t`, syslog) are stripped as for the error log.

use std::borrow::Cow;

use regex::Regex;

use crate::facts::{AccessEntry, Fact, FactAt, LogFormat};
use crate::kind::Kind;
use crate::parse::flat_json::{self, Member};
use crate::parse::registry::{KindSpec, share_of_lines};
use crate::parse::wrapped;
use crate::parse::{ParseContext, Parsed};
use crate::span::lines;

/// How access logs are recognised and parsed.
pub const SPEC: KindSpec = KindSpec {
    kind: Kind::NginxAccessLog,
    embeds: &[],
    command: |_, _| false,
    file: |path| {
        let name = path.rsplit('/').next().unwrap_or(path);
        !path.contains("fpm")
            && (name.contains("access.log")
                || name.contains("access_log")
                || name.ends_with(".log") && name.contains("access"))
    },
    line: Some(is_strong_access_line),
    block: |lines| {
        share_of_lines(lines, |l| {
            is_strong_access_line(l) || read_generic(wrapped::unwrap(l).inner).is_some()
        })
    },
    parse,
};

/// Parses an access log piece.
pub fn parse(cx: &ParseContext<'_>) -> Parsed {
    let formats: Vec<Compiled> = cx.log_formats.iter().filter_map(compile).collect();
    let mut out = Parsed::default();
    for line in lines(cx.text, cx.base) {
        // Unwrapped once: both readers below see the line without its wrapper.
        let inner = wrapped::unwrap(line.text).inner;
        if is_ignorable(inner) {
            continue;
        }
        match read_line(line.text, inner, &formats) {
            Some(entry) => out.facts.push(FactAt {
                span: line.span,
                fact: Fact::AccessEntry(Box::new(entry)),
            }),
            None => out.unread.push(line.span),
        }
    }
    out
}

/// Blank lines, ellipses, pager markers and `(no output)` notes (`inner`: the line without its
/// wrapper).
fn is_ignorable(inner: &str) -> bool {
    let t = inner.trim();
    t.is_empty()
        || t.chars().all(|c| matches!(c, '.' | '…' | '-' | ' '))
        || matches!(t, "[...]" | "(...)" | "(no output)" | "(END)")
        || t.starts_with("lines ") && t.ends_with("(END)")
}

/// True when the line is an access-log line in a format that cannot be taken for anything else:
/// the `combined`/`common` shape or a JSON object with access-log keys.
pub fn is_strong_access_line(text: &str) -> bool {
    if text.trim_start().starts_with('{') {
        return is_json_access(text);
    }
    let inner = wrapped::unwrap(text).inner;
    if inner.trim_start().starts_with('{') {
        return is_json_access(inner);
    }
    parse_prefix(inner).is_some()
}

fn is_json_access(text: &str) -> bool {
    let Some(members) = flat_json::read_object(text) else {
        return false;
    };
    let has = |field: Field| members.iter().any(|m| json_field(&m.key) == Some(field));
    let status_ok = members
        .iter()
        .any(|m| json_field(&m.key) == Some(Field::Status) && parse_status(&m.value).is_some());
    status_ok && (has(Field::Request) || has(Field::Uri) || has(Field::Time) || has(Field::UpstreamStatus))
}

/// Reads one line (`inner`: the line without its wrapper) with the compiled formats and the
/// built-in shapes.
fn read_line(text: &str, inner: &str, formats: &[Compiled]) -> Option<AccessEntry> {
    if text.trim_start().starts_with('{')
        && let Some(entry) = read_json(text, formats)
    {
        return Some(entry);
    }
    let inner = inner.trim_end();
    if inner.starts_with('{')
        && let Some(entry) = read_json(inner, formats)
    {
        return Some(entry);
    }
    if let Some(entry) = read_with(inner, formats) {
        return Some(entry);
    }
    if let Some(entry) = read_combined(inner) {
        return Some(entry);
    }
    read_generic(inner)
}

/// Reads a line with the first compiled pattern that matches it.
fn read_with(inner: &str, formats: &[Compiled]) -> Option<AccessEntry> {
    for format in formats {
        if let Compiled::Pattern { regex, vars } = format
            && let Some(caps) = regex.captures(inner)
        {
            let mut entry = AccessEntry::default();
            let mut parts = RequestParts::default();
            for (i, var) in vars.iter().enumerate() {
                if let Some(m) = caps.get(i + 1) {
                    assign(&mut entry, &mut parts, var, var_field(var), m.as_str());
                }
            }
            parts.finish(&mut entry);
            return Some(entry);
        }
    }
    None
}

// ---------------------------------------------------------------------------------------------
// Fields

/// The `AccessEntry` field a variable or key fills.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Field {
    Client,
    Time,
    Request,
    Method,
    Uri,
    Protocol,
    Status,
    UpstreamStatus,
    UpstreamAddr,
    UpstreamResponseTime,
    UpstreamConnectTime,
    UpstreamHeaderTime,
    RequestTime,
    Host,
    Bytes,
    Referer,
    UserAgent,
}

/// The field of an nginx variable (name without `$`).
fn var_field(var: &str) -> Option<Field> {
    Some(match var {
        "remote_addr" | "realip_remote_addr" => Field::Client,
        "time_local" | "time_iso8601" => Field::Time,
        "request" => Field::Request,
        "request_method" => Field::Method,
        "request_uri" | "uri" | "document_uri" => Field::Uri,
        "server_protocol" => Field::Protocol,
        "status" => Field::Status,
        "upstream_status" => Field::UpstreamStatus,
        "upstream_addr" => Field::UpstreamAddr,
        "upstream_response_time" => Field::UpstreamResponseTime,
        "upstream_connect_time" => Field::UpstreamConnectTime,
        "upstream_header_time" => Field::UpstreamHeaderTime,
        "request_time" => Field::RequestTime,
        "host" | "http_host" | "server_name" => Field::Host,
        "body_bytes_sent" | "bytes_sent" => Field::Bytes,
        "http_referer" => Field::Referer,
        "http_user_agent" => Field::UserAgent,
        _ => return None,
    })
}

/// The field of a JSON key: the variable names plus the names JSON formats usually use.
fn json_field(key: &str) -> Option<Field> {
    let k = key
        .trim_start_matches('@')
        .to_ascii_lowercase()
        .replace(['-', '.'], "_");
    if let Some(field) = var_field(&k) {
        return Some(field);
    }
    Some(match k.as_str() {
        "client" | "client_ip" | "clientip" | "remote_ip" | "client_addr" | "ip" | "remote" => Field::Client,
        "time" | "timestamp" | "ts" | "date" | "datetime" | "time_local_iso" => Field::Time,
        "request_line" => Field::Request,
        "method" | "http_method" => Field::Method,
        "path" | "url" | "request_path" => Field::Uri,
        "protocol" | "http_version" => Field::Protocol,
        "status_code" | "code" | "response_status" | "http_status" | "statuscode" | "response_code" => Field::Status,
        "ups" | "upstream_status_code" => Field::UpstreamStatus,
        "upstream" | "upstream_address" | "upstream_host" => Field::UpstreamAddr,
        "upstream_time" | "urt" | "upstream_duration" => Field::UpstreamResponseTime,
        "uct" => Field::UpstreamConnectTime,
        "uht" => Field::UpstreamHeaderTime,
        "rt" | "duration" | "response_time" | "request_duration" | "elapsed" => Field::RequestTime,
        "vhost" | "domain" | "hostname_requested" => Field::Host,
        "bytes" | "size" | "body_bytes" | "response_size" | "bytes_out" => Field::Bytes,
        "referer" | "referrer" | "http_referrer" => Field::Referer,
        "user_agent" | "agent" | "useragent" => Field::UserAgent,
        _ => return None,
    })
}

/// The field of a `label=value` in a tail (nginx docs' and Amplify's labels).
fn label_field(label: &str) -> Option<Field> {
    if let Some(field) = var_field(label) {
        return Some(field);
    }
    Some(match label {
        "rt" | "reqtime" | "req_time" => Field::RequestTime,
        "urt" | "ut" | "upstream_time" | "uprt" => Field::UpstreamResponseTime,
        "uct" => Field::UpstreamConnectTime,
        "uht" => Field::UpstreamHeaderTime,
        "us" | "ups" | "ustatus" => Field::UpstreamStatus,
        "ua" | "upstream" | "upstream_address" => Field::UpstreamAddr,
        "vhost" => Field::Host,
        "client" | "client_ip" | "remote" => Field::Client,
        "method" => Field::Method,
        _ => return None,
    })
}

/// Method, URI and protocol of formats that log them apart, joined when `$request` is absent.
#[derive(Default)]
struct RequestParts {
    method: Option<String>,
    uri: Option<String>,
    protocol: Option<String>,
}

impl RequestParts {
    fn finish(self, entry: &mut AccessEntry) {
        if entry.request.is_none() && (self.method.is_some() || self.uri.is_some()) {
            let parts: Vec<String> = [self.method, self.uri, self.protocol].into_iter().flatten().collect();
            entry.request = Some(parts.join(" "));
        }
    }
}

/// Puts one value into its field (first value wins), or into `other`.
fn assign(entry: &mut AccessEntry, parts: &mut RequestParts, name: &str, field: Option<Field>, value: &str) {
    let v = || Some(value.to_string());
    let set = |slot: &mut Option<String>| {
        if slot.is_none() {
            *slot = v();
        }
    };
    match field {
        Some(Field::Client) => set(&mut entry.client),
        Some(Field::Time) => set(&mut entry.time),
        Some(Field::Request) => set(&mut entry.request),
        Some(Field::Method) => set(&mut parts.method),
        Some(Field::Uri) => set(&mut parts.uri),
        Some(Field::Protocol) => set(&mut parts.protocol),
        Some(Field::Status) => match parse_status(value) {
            Some(s) if entry.status == 0 => entry.status = s,
            Some(_) => {}
            None => entry.other.push((name.to_string(), value.to_string())),
        },
        Some(Field::UpstreamStatus) => set(&mut entry.upstream_status),
        Some(Field::UpstreamAddr) => set(&mut entry.upstream_addr),
        Some(Field::UpstreamResponseTime) => set(&mut entry.upstream_response_time),
        Some(Field::UpstreamConnectTime) => set(&mut entry.upstream_connect_time),
        Some(Field::UpstreamHeaderTime) => set(&mut entry.upstream_header_time),
        Some(Field::RequestTime) => set(&mut entry.request_time),
        Some(Field::Host) => set(&mut entry.host),
        Some(Field::Bytes) => {
            if entry.bytes.is_none() {
                entry.bytes = value.trim().parse().ok();
            }
        }
        Some(Field::Referer) => set(&mut entry.referer),
        Some(Field::UserAgent) => set(&mut entry.user_agent),
        // `$remote_user` is `-` on nearly every line: only a real user name is worth keeping.
        None if name == "remote_user" && value == "-" => {}
        None => entry.other.push((name.to_string(), value.to_string())),
    }
}

/// `502`, `009`, ` 200 ` → the number; anything else → `None`.
fn parse_status(text: &str) -> Option<u16> {
    let t = text.trim();
    (t.len() == 3 && t.bytes().all(|b| b.is_ascii_digit()))
        .then(|| t.parse().ok())
        .flatten()
}

// ---------------------------------------------------------------------------------------------
// Compiled log formats

/// A pasted `log_format`, ready to match lines.
enum Compiled {
    /// An anchored pattern with one group per variable.
    Pattern { regex: Regex, vars: Vec<String> },
    /// A JSON-shaped format: which key holds which variable.
    Json { keys: Vec<(String, String)> },
}

/// A piece of a format string.
#[derive(Debug, PartialEq)]
enum Token {
    Literal(String),
    Variable(String),
}

/// Splits a format into literals and `$variables` (`${name}` too); `\"` reads as `"`.
fn tokenize(format: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut literal = String::new();
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'"') => {
                literal.push('"');
                chars.next();
            }
            '$' => {
                let braced = chars.peek() == Some(&'{');
                if braced {
                    chars.next();
                }
                let mut name = String::new();
                while let Some(&n) = chars.peek() {
                    if n.is_ascii_alphanumeric() || n == '_' {
                        name.push(n);
                        chars.next();
                    } else {
                        break;
                    }
                }
                if braced && chars.peek() == Some(&'}') {
                    chars.next();
                }
                if name.is_empty() {
                    literal.push('$');
                } else {
                    if !literal.is_empty() {
                        tokens.push(Token::Literal(std::mem::take(&mut literal)));
                    }
                    tokens.push(Token::Variable(name));
                }
            }
            c => literal.push(c),
        }
    }
    if !literal.is_empty() {
        tokens.push(Token::Literal(literal));
    }
    tokens
}

/// Compiles a `log_format` (JSON-shaped formats to a key map, others to a pattern).
fn compile(format: &LogFormat) -> Option<Compiled> {
    let text = format.format.trim();
    if text.starts_with('{')
        && let Some(members) = flat_json::read_object(text)
    {
        let keys: Vec<(String, String)> = members
            .iter()
            .filter_map(|m| match tokenize(&m.value).as_slice() {
                [Token::Variable(v)] => Some((m.key.clone(), v.clone())),
                _ => None,
            })
            .collect();
        if !keys.is_empty() {
            return Some(Compiled::Json { keys });
        }
    }
    let tokens = tokenize(text);
    if !tokens.iter().any(|t| matches!(t, Token::Variable(_))) {
        return None;
    }
    let mut pattern = String::from("^");
    let mut vars = Vec::new();
    for (i, token) in tokens.iter().enumerate() {
        match token {
            Token::Literal(lit) => {
                for (j, part) in lit.split(char::is_whitespace).enumerate() {
                    if j > 0 && !pattern.ends_with(r"\s+") {
                        pattern.push_str(r"\s+");
                    }
                    pattern.push_str(&regex::escape(part));
                }
            }
            Token::Variable(name) => {
                let quoted_before = i > 0 && matches!(&tokens[i - 1], Token::Literal(l) if l.ends_with('"'));
                let quoted_after = matches!(tokens.get(i + 1), Some(Token::Literal(l)) if l.starts_with('"'));
                pattern.push_str(if quoted_before && quoted_after {
                    r#"((?:[^"\\]|\\.)*)"#
                } else {
                    var_pattern(name)
                });
                vars.push(name.clone());
            }
        }
    }
    pattern.push_str(r"\s*$");
    Regex::new(&pattern).ok().map(|regex| Compiled::Pattern { regex, vars })
}

/// What an unquoted variable's value looks like.
fn var_pattern(name: &str) -> &'static str {
    match name {
        "status" => r"(\d{3})",
        "body_bytes_sent" | "bytes_sent" | "request_length" | "connection" | "connection_requests" | "pid" => {
            r"(\d+|-)"
        }
        "request_time" | "msec" => r"(\d+(?:\.\d+)?|-)",
        "remote_addr" | "remote_user" | "realip_remote_addr" | "server_port" | "scheme" | "request_method" => r"(\S*)",
        // One value per upstream tried, joined by `, ` (next upstream) or ` : ` (internal redirect).
        n if n.starts_with("upstream_") && n != "upstream_cache_status" => r"([^\s,]+(?:(?:, | : )[^\s,]+)*)",
        _ => r"(.*?)",
    }
}

/// Reads a JSON line, through a JSON-shaped pasted format when one names its keys.
fn read_json(text: &str, formats: &[Compiled]) -> Option<AccessEntry> {
    let members = flat_json::read_object(text)?;
    let format_keys = formats.iter().find_map(|f| match f {
        Compiled::Json { keys } if keys.iter().any(|(k, _)| members.iter().any(|m| &m.key == k)) => Some(keys),
        _ => None,
    });
    let mut entry = AccessEntry::default();
    let mut parts = RequestParts::default();
    let mut any_field = false;
    for Member { key, value, quoted } in &members {
        if !quoted && value == "null" {
            continue;
        }
        let (name, field) = match format_keys.and_then(|keys| keys.iter().find(|(k, _)| k == key)) {
            Some((_, var)) => (var.as_str(), var_field(var)),
            None => (key.as_str(), json_field(key)),
        };
        any_field |= field.is_some();
        assign(&mut entry, &mut parts, name, field, value);
    }
    parts.finish(&mut entry);
    (any_field && (entry.status != 0 || entry.request.is_some())).then_some(entry)
}

// ---------------------------------------------------------------------------------------------
// combined / common

/// The fixed head of `combined` / `common`.
#[derive(Debug, PartialEq)]
struct Prefix<'a> {
    host: Option<&'a str>,
    client: &'a str,
    user: &'a str,
    time: &'a str,
    request: &'a str,
    status: u16,
    bytes: &'a str,
    referer: Option<&'a str>,
    user_agent: Option<&'a str>,
    rest: &'a str,
}

/// `addr - user [time] "request" status bytes ["referer" "ua"] rest`, optionally after a
/// `$host` / `$host:$server_port` column.
fn parse_prefix(text: &str) -> Option<Prefix<'_>> {
    let t = text.trim_start();
    if let Some(prefix) = parse_prefix_at(t) {
        return Some(prefix);
    }
    let (host, rest) = t.split_once(' ')?;
    if !is_hostish(host) {
        return None;
    }
    let mut prefix = parse_prefix_at(rest.trim_start())?;
    prefix.host = Some(host);
    Some(prefix)
}

fn parse_prefix_at(t: &str) -> Option<Prefix<'_>> {
    let (client, rest) = t.split_once(' ')?;
    if !is_hostish(client) {
        return None;
    }
    // `- user ` (ident and user) before the bracketed time: at most two short tokens.
    let (between, rest) = rest.split_once('[')?;
    let between_tokens: Vec<&str> = between.split_whitespace().collect();
    if between_tokens.is_empty() || between_tokens.len() > 2 || between.contains('"') || !between.ends_with(' ') {
        return None;
    }
    let user = between_tokens.last().copied().unwrap_or("-");
    let (time, rest) = rest.split_once(']')?;
    if !is_time(time) {
        return None;
    }
    let rest = rest.strip_prefix(' ')?;
    let (request, rest) = read_quoted(rest)?;
    let rest = rest.strip_prefix(' ')?;
    let (status, rest) = take_token(rest);
    let status = parse_status(status)?;
    let (bytes, rest) = take_token(rest);
    if !(bytes == "-" || !bytes.is_empty() && bytes.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    let mut prefix = Prefix {
        host: None,
        client,
        user,
        time,
        request,
        status,
        bytes,
        referer: None,
        user_agent: None,
        rest: rest.trim(),
    };
    if let Some((referer, after)) = read_quoted(rest.trim_start())
        && let Some((agent, after)) = after.strip_prefix(' ').and_then(read_quoted)
    {
        prefix.referer = Some(referer);
        prefix.user_agent = Some(agent);
        prefix.rest = after.trim();
    }
    Some(prefix)
}

/// An address or host name as nginx writes `$remote_addr` / `$host`.
fn is_hostish(token: &str) -> bool {
    !token.is_empty()
        && token.len() <= 255
        && token.bytes().any(|b| b.is_ascii_alphanumeric())
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b':' | b'-' | b'_' | b'%' | b'[' | b']'))
}

/// `11/Feb/2025:08:02:58 +0000` or an ISO 8601 time.
fn is_time(text: &str) -> bool {
    let b = text.as_bytes();
    (12..=40).contains(&b.len())
        && b[0].is_ascii_digit()
        && text.contains(':')
        && (text.contains('/') || text.contains('-') || text.contains('T'))
}

/// Reads `"..."` (with `\` escapes) at the start of `text`.
fn read_quoted(text: &str) -> Option<(&str, &str)> {
    let inner = text.strip_prefix('"')?;
    let bytes = inner.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return Some((inner.get(..i)?, inner.get(i + 1..)?)),
            _ => i += 1,
        }
    }
    None
}

/// The next space-separated token and what follows it.
fn take_token(text: &str) -> (&str, &str) {
    let t = text.trim_start();
    match t.find(' ') {
        Some(i) => (&t[..i], &t[i..]),
        None => (t, ""),
    }
}

/// A combined/common line, with its tail read by labels and position.
fn read_combined(text: &str) -> Option<AccessEntry> {
    let p = parse_prefix(text)?;
    let mut entry = AccessEntry {
        time: Some(p.time.to_string()),
        client: Some(p.client.to_string()),
        request: Some(p.request.to_string()),
        status: p.status,
        bytes: p.bytes.parse().ok(),
        user_agent: p.user_agent.map(str::to_string),
        referer: p.referer.map(str::to_string),
        host: p.host.map(str::to_string),
        ..Default::default()
    };
    if p.user != "-" {
        entry.other.push(("remote_user".into(), p.user.to_string()));
    }
    if !read_ingress_tail(&mut entry, p.rest) {
        read_tail(&mut entry, p.rest);
    }
    Some(entry)
}

/// ingress-nginx's `upstreaminfo` tail after the combined head: `$request_length
/// $request_time [$proxy_upstream_name] [$proxy_alternative_upstream_name] $upstream_addr
/// $upstream_response_length $upstream_response_time $upstream_status $req_id` (controllers
/// before 0.24 have no alternative upstream). False, with nothing read, when `tail` is not it.
fn read_ingress_tail(entry: &mut AccessEntry, tail: &str) -> bool {
    let (length, rest) = take_token(tail);
    let (time, rest) = take_token(rest);
    let rest = rest.trim_start();
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    if !digits(length) || !is_time_like(time) || time == "-" || !rest.starts_with('[') {
        return false;
    }
    let Some((upstream_name, rest)) = rest[1..].split_once(']') else {
        return false;
    };
    let mut rest = rest.trim_start();
    let mut alternative = None;
    if let Some(after) = rest.strip_prefix('[')
        && let Some((alt, after)) = after.split_once(']')
    {
        alternative = Some(alt);
        rest = after.trim_start();
    }
    let mut values = Vec::new();
    while !rest.is_empty() && values.len() < 5 {
        let (value, after) = take_list(rest);
        values.push(value.into_owned());
        rest = after;
    }
    if values.len() < 4 || !rest.trim().is_empty() {
        return false;
    }
    entry.other.push(("request_length".into(), length.to_string()));
    entry.request_time = Some(time.to_string());
    entry
        .other
        .push(("proxy_upstream_name".into(), upstream_name.to_string()));
    if let Some(alt) = alternative {
        entry
            .other
            .push(("proxy_alternative_upstream_name".into(), alt.to_string()));
    }
    let mut values = values.into_iter();
    entry.upstream_addr = values.next();
    if let Some(length) = values.next() {
        entry.other.push(("upstream_response_length".into(), length));
    }
    entry.upstream_response_time = values.next();
    entry.upstream_status = values.next();
    if let Some(id) = values.next() {
        entry.other.push(("req_id".into(), id));
    }
    true
}

/// One value of a tail.
#[derive(Debug, PartialEq)]
enum TailItem<'a> {
    Labelled(&'a str, Cow<'a, str>),
    Quoted(&'a str),
    Bare(Cow<'a, str>),
}

/// Splits a tail into labelled values, quoted strings and bare tokens; bare lists such as
/// `0.001, 0.002` or `10.0.0.1:80 : 10.0.0.2:80` stay one value.
fn tail_items(tail: &str) -> Vec<TailItem<'_>> {
    let mut items = Vec::new();
    let mut rest = tail.trim();
    while !rest.is_empty() {
        if let Some((q, after)) = read_quoted(rest) {
            items.push(TailItem::Quoted(q));
            rest = after.trim_start();
            continue;
        }
        // label=value / label="value"
        let label_end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'));
        if let Some(i) = label_end
            && i > 0
            && rest[i..].starts_with('=')
        {
            let label = &rest[..i];
            let after = &rest[i + 1..];
            if let Some((q, after)) = read_quoted(after) {
                items.push(TailItem::Labelled(label, Cow::Borrowed(q)));
                rest = after.trim_start();
            } else {
                let (value, after) = take_list(after);
                items.push(TailItem::Labelled(label, value));
                rest = after;
            }
            continue;
        }
        let (value, after) = take_list(rest);
        if value.is_empty() {
            // A lone quote or similar: take one character to make progress.
            let skip = rest.chars().next().map_or(1, char::len_utf8);
            rest = rest.get(skip..).unwrap_or("").trim_start();
            continue;
        }
        items.push(TailItem::Bare(value));
        rest = after;
    }
    items
}

/// A bare token, joined with the next ones while it is a list (`a, b` or `a : b`); a lone
/// token is borrowed.
fn take_list(text: &str) -> (Cow<'_, str>, &str) {
    let mut value = Cow::Borrowed("");
    let mut rest = text.trim_start();
    loop {
        let (token, after) = take_token(rest);
        if value.is_empty() {
            value = Cow::Borrowed(token);
        } else {
            value.to_mut().push_str(token);
        }
        rest = after.trim_start();
        if token.ends_with(',') && !rest.is_empty() && !rest.starts_with('"') {
            value.to_mut().push(' ');
            continue;
        }
        if let Some(next) = rest.strip_prefix(": ") {
            value.to_mut().push_str(" : ");
            rest = next.trim_start();
            continue;
        }
        return (value, rest);
    }
}

/// A `$request_time`-like value: `0.004`, `-`, or a list of them.
fn is_time_like(value: &str) -> bool {
    value.split([',', ':']).map(str::trim).all(|v| {
        v == "-"
            || v.split_once('.').is_some_and(|(a, b)| {
                !a.is_empty()
                    && a.bytes().all(|c| c.is_ascii_digit())
                    && !b.is_empty()
                    && b.bytes().all(|c| c.is_ascii_digit())
            })
    })
}

fn read_tail(entry: &mut AccessEntry, tail: &str) {
    let mut parts = RequestParts::default();
    let mut times: Vec<Cow<'_, str>> = Vec::new();
    let mut quoted_seen = 0;
    for item in tail_items(tail) {
        match item {
            TailItem::Labelled(label, value) => {
                let field = label_field(label);
                assign(entry, &mut parts, label, field, &value);
            }
            TailItem::Quoted(q) => {
                let looks_forwarded = q == "-"
                    || q.split(',').all(|a| {
                        let a = a.trim();
                        !a.is_empty() && a.bytes().all(|b| b.is_ascii_hexdigit() || matches!(b, b'.' | b':'))
                    });
                let name = if quoted_seen == 0 && looks_forwarded {
                    "http_x_forwarded_for"
                } else {
                    ""
                };
                quoted_seen += 1;
                entry.other.push((name.to_string(), q.to_string()));
            }
            TailItem::Bare(value) if is_time_like(&value) => times.push(value),
            TailItem::Bare(value) => entry.other.push((String::new(), value.into_owned())),
        }
    }
    if times.iter().all(|t| t == "-") {
        // A lone `-` says nothing about which variable it is.
        entry
            .other
            .extend(times.drain(..).map(|t| (String::new(), t.into_owned())));
    }
    match times.as_slice() {
        [] => {}
        [one] => {
            let upstreamish = one == "-" || one.contains(',') || one.contains(':');
            let slot = if upstreamish {
                &mut entry.upstream_response_time
            } else {
                &mut entry.request_time
            };
            if slot.is_none() {
                *slot = Some(one.to_string());
            } else {
                entry.other.push((String::new(), one.to_string()));
            }
        }
        [first, second] if entry.request_time.is_none() && entry.upstream_response_time.is_none() => {
            entry.request_time = Some(first.to_string());
            entry.upstream_response_time = Some(second.to_string());
        }
        many => entry.other.extend(many.iter().map(|t| (String::new(), t.to_string()))),
    }
}

// ---------------------------------------------------------------------------------------------
// Any format with a quoted request line

/// HTTP methods a quoted request line starts with.
const METHODS: &[&str] = &[
    "GET",
    "POST",
    "PUT",
    "DELETE",
    "HEAD",
    "OPTIONS",
    "PATCH",
    "CONNECT",
    "TRACE",
    "PROPFIND",
    "MKCOL",
    "COPY",
    "MOVE",
    "LOCK",
    "UNLOCK",
    "PROPPATCH",
    "PRI",
];

/// A line of an unknown format that still shows `"METHOD target HTTP/x"` and a status after it.
fn read_generic(text: &str) -> Option<AccessEntry> {
    if text.contains(", request: \"") {
        return None; // an error-log tail, not an access line
    }
    let mut search = 0;
    while let Some(offset) = text.get(search..)?.find('"') {
        let start = search + offset;
        let Some((request, after)) = read_quoted(&text[start..]) else {
            break;
        };
        let method = request.split(' ').next().unwrap_or("");
        if METHODS.contains(&method) && request.contains(" HTTP/") {
            let status_token = after.split_whitespace().take(3).find(|t| parse_status(t).is_some())?;
            let status = parse_status(status_token)?;
            let head = &text[..start];
            let bracketed = head
                .find('[')
                .and_then(|i| head[i + 1..].split_once(']').map(|(t, _)| t))
                .filter(|t| is_time(t));
            let first = head.split_whitespace().next();
            let iso_first = first.filter(|t| is_time(t) && t.contains('T'));
            let client = first.filter(|c| is_hostish(c) && c.contains(['.', ':']) && iso_first.is_none());
            let mut entry = AccessEntry {
                time: bracketed.or(iso_first).map(str::to_string),
                client: client.map(str::to_string),
                request: Some(request.to_string()),
                status,
                ..Default::default()
            };
            // Labelled values around the request (`client=1.2.3.4`, `upstream=...`, `rt=...`).
            let mut parts = RequestParts::default();
            let status_end = after.find(status_token).map_or(after.len(), |i| i + status_token.len());
            for side in [head, &after[status_end..]] {
                for item in tail_items(side) {
                    if let TailItem::Labelled(label, value) = item {
                        assign(&mut entry, &mut parts, label, label_field(label), &value);
                    }
                }
            }
            return Some(entry);
        }
        search = start + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str, formats: &[&str]) -> AccessEntry {
        let compiled: Vec<Compiled> = formats
            .iter()
            .filter_map(|f| {
                compile(&LogFormat {
                    name: "x".into(),
                    format: (*f).into(),
                    escape: None,
                })
            })
            .collect();
        read_line(text, wrapped::unwrap(text).inner, &compiled).unwrap_or_else(|| panic!("not read: {text}"))
    }

    #[test]
    fn reads_combined_and_common() {
        let e = read(
            r#"203.0.113.52 - - [18/Feb/2025:13:05:22 +0000] "POST /v1/orders HTTP/2.0" 502 157 "-" "okhttp/4.12.0""#,
            &[],
        );
        assert_eq!(e.client.as_deref(), Some("203.0.113.52"));
        assert_eq!(e.time.as_deref(), Some("18/Feb/2025:13:05:22 +0000"));
        assert_eq!(e.request.as_deref(), Some("POST /v1/orders HTTP/2.0"));
        assert_eq!((e.status, e.bytes), (502, Some(157)));
        assert_eq!(e.referer.as_deref(), Some("-"));
        assert_eq!(e.user_agent.as_deref(), Some("okhttp/4.12.0"));
        let common = read(
            r#"10.0.0.1 - alice [21/Nov/2026:10:00:00 +0100] "GET / HTTP/1.0" 009 -"#,
            &[],
        );
        assert_eq!(common.status, 9);
        assert_eq!(common.bytes, None);
        assert_eq!(common.other, vec![("remote_user".to_string(), "alice".to_string())]);
    }

    #[test]
    fn reads_tails_by_label_and_position() {
        let e = read(
            r#"1.2.3.4 - - [21/Nov/2026:10:00:00 +0000] "GET /a HTTP/1.1" 502 150 "-" "curl/8.5.0" "198.51.100.1, 10.0.0.1" rt=0.004 uct="0.001, 0.000" uht="-" urt="0.002, 0.001" us="502, 502" ua="10.0.0.2:80, 10.0.0.3:80" cs=-"#,
            &[],
        );
        assert_eq!(e.request_time.as_deref(), Some("0.004"));
        assert_eq!(e.upstream_connect_time.as_deref(), Some("0.001, 0.000"));
        assert_eq!(e.upstream_header_time.as_deref(), Some("-"));
        assert_eq!(e.upstream_response_time.as_deref(), Some("0.002, 0.001"));
        assert_eq!(e.upstream_status.as_deref(), Some("502, 502"));
        assert_eq!(e.upstream_addr.as_deref(), Some("10.0.0.2:80, 10.0.0.3:80"));
        assert!(
            e.other
                .contains(&("http_x_forwarded_for".into(), "198.51.100.1, 10.0.0.1".into()))
        );
        assert!(e.other.contains(&("cs".into(), "-".into())));
        let two = read(
            r#"1.2.3.4 - - [25/Jun/2024:15:33:10 +0000] "GET / HTTP/2.0" 504 167 "-" "x" 60.004 60.001"#,
            &[],
        );
        assert_eq!(
            (two.request_time.as_deref(), two.upstream_response_time.as_deref()),
            (Some("60.004"), Some("60.001"))
        );
        let one = read(
            r#"1.2.3.4 - - [25/Jun/2024:15:33:10 +0000] "GET / HTTP/2.0" 502 167 "-" "x" 0.000"#,
            &[],
        );
        assert_eq!(one.request_time.as_deref(), Some("0.000"));
        let list = read(
            r#"1.2.3.4 - - [25/Jun/2024:15:33:10 +0000] "GET / HTTP/2.0" 502 167 "-" "x" 0.001, 0.002"#,
            &[],
        );
        assert_eq!(list.upstream_response_time.as_deref(), Some("0.001, 0.002"));
    }

    #[test]
    fn reads_pasted_formats_and_json() {
        let format = r#"$remote_addr [$time_local] $host "$request" $status $upstream_status $upstream_addr $request_time $upstream_response_time $ssl_protocol"#;
        let e = read(
            r#"10.1.1.1 [21/Nov/2026:10:00:00 +0000] api.example.com "GET /x HTTP/1.1" 502 502, 504 10.0.0.2:8000, 10.0.0.3:8000 1.002 0.500, 0.502 TLSv1.3"#,
            &[format],
        );
        assert_eq!(e.host.as_deref(), Some("api.example.com"));
        assert_eq!(e.upstream_status.as_deref(), Some("502, 504"));
        assert_eq!(e.upstream_addr.as_deref(), Some("10.0.0.2:8000, 10.0.0.3:8000"));
        assert_eq!(e.upstream_response_time.as_deref(), Some("0.500, 0.502"));
        assert_eq!(e.other, vec![("ssl_protocol".to_string(), "TLSv1.3".to_string())]);

        let json_format =
            r#"{"t":"$time_iso8601","code":"$status","u":"$upstream_status","req":"$request","rt":$request_time}"#;
        let j = read(
            r#"{"t":"2026-11-21T10:00:00+00:00","code":"502","u":"502","req":"GET / HTTP/1.1","rt":0.003}"#,
            &[json_format],
        );
        assert_eq!(
            (j.status, j.upstream_status.as_deref(), j.request_time.as_deref()),
            (502, Some("502"), Some("0.003"))
        );
        let plain = read(
            r#"nginx-1  | {"time_local":"21/Nov/2026:10:00:00 +0000","remote_addr":"1.2.3.4","request_method":"GET","request_uri":"/a","status":502,"upstream_status":"-"}"#,
            &[],
        );
        assert_eq!(plain.request.as_deref(), Some("GET /a"));
        assert_eq!(plain.upstream_status.as_deref(), Some("-"));
    }

    #[test]
    fn reads_ingress_and_generic_shapes() {
        let e = read(
            r#"192.168.1.10 - - [21/Nov/2026:10:00:00 +0000] "GET /api HTTP/1.1" 502 150 "-" "curl/8.5.0" 78 0.002 [default-web-80] [] 10.244.0.5:8080 0 0.002 502 0123456789abcdef"#,
            &[],
        );
        assert_eq!(e.upstream_addr.as_deref(), Some("10.244.0.5:8080"));
        assert_eq!(e.upstream_status.as_deref(), Some("502"));
        assert!(
            e.other
                .contains(&("proxy_upstream_name".into(), "default-web-80".into()))
        );
        let g = read(
            r#"2026-11-21T10:00:00+00:00 client=1.2.3.4 "GET /x HTTP/1.1" 502 upstream=10.0.0.1:80"#,
            &[],
        );
        assert_eq!((g.status, g.request.as_deref()), (502, Some("GET /x HTTP/1.1")));
    }

    #[test]
    fn parse_uses_the_pasted_formats() {
        let formats = [LogFormat {
            name: "timed".into(),
            format: r#"$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" ups=$upstream_addr/$upstream_status t=$request_time"#.into(),
            escape: None,
        }];
        let text = "10.0.0.9 - - [21/Nov/2026:10:00:00 +0000] \"GET / HTTP/1.1\" 502 157 \"-\" \"curl/8\" ups=10.0.0.2:80/502 t=0.001\nnot a line\n";
        let cx = ParseContext {
            text,
            base: 100,
            file: None,
            command: None,
            log_formats: &formats,
            paste: None,
        };
        let parsed = parse(&cx);
        assert_eq!(parsed.facts.len(), 1);
        assert_eq!(parsed.unread.len(), 1);
        assert_eq!(parsed.facts[0].span.start, 100);
        let Fact::AccessEntry(e) = &parsed.facts[0].fact else {
            panic!()
        };
        assert_eq!(e.upstream_addr.as_deref(), Some("10.0.0.2:80"));
        assert_eq!(e.upstream_status.as_deref(), Some("502"));
        assert_eq!(e.request_time.as_deref(), Some("0.001"));
    }

    #[test]
    fn rejects_other_lines() {
        assert!(!is_strong_access_line(
            "2026/11/21 10:00:00 [error] 1#1: *1 connect() failed"
        ));
        assert!(!is_strong_access_line(r#"{"level":"info","msg":"x"}"#));
        assert!(!is_strong_access_line("just words [here] \"and\" 200 there"));
        assert!(is_strong_access_line(
            r#"172.19.0.1 - - [05/Aug/2024:16:40:03 +0000] "GET / HTTP/1.1" 502 157 "-" "Mozilla/5.0""#
        ));
        let err = r#"2026/11/21 10:00:00 [error] 1#1: *1 upstream timed out (110: Connection timed out) while reading response header from upstream, client: 1.2.3.4, server: x, request: "GET / HTTP/1.1", upstream: "http://10.0.0.1:80/", host: "x""#;
        assert!(read_generic(err).is_none());
    }

    #[test]
    fn odd_input_never_panics() {
        for text in [
            "\"",
            "1.2.3.4 - - [",
            "1.2.3.4 - - [x] \"",
            "{",
            "{\"a\":",
            "é \"GET / HTTP/1.1\" 5é",
            "a=\"",
            "\u{feff}",
        ] {
            let _ = read_line(text, wrapped::unwrap(text).inner, &[]);
            let _ = is_strong_access_line(text);
        }
    }
}

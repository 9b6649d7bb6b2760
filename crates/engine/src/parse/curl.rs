//! HTTP client output: `curl -I`/`-i`/`-sI`/`-v`/`-vk` (status lines, headers, several responses,
//! verbose `*`/`>`/`<` markers, the body), `curl: (N)` errors, `-w '%{http_code}'` codes,
//! `wget -S` / plain `wget` transcripts and httpie (`http`) output.
//!
//! Facts: one [`HttpResponse`] per status line (headers in order, the URL when a `> Host:` /
//! `* Connected to` / `OPENED stream for` / wget `--DATE--  URL` line shows it), one [`CurlError`]
//! per `curl: (N)` line (or, with `curl -sv` which prints no such line, from the verbose failure
//! marker, e.g. `* connect to 127.0.0.1 port 8080 failed: Connection refused` → code 7), and one
//! [`ErrorPageInfo`] per response body that is an error page (a small local detection of the
//! producer: `<center>nginx/1.24.0</center>`, Cloudflare, ELB, envoy, HAProxy, Apache; the
//! error-page kind has its own parser, this only reads bodies that arrive inside curl output).
//! Other body lines (a JSON error, a normal page) are read as the body: known, not facts.
//!
//! wget and httpie failures are given the curl exit code of the same failure (refused → 7,
//! timed out → 28, cannot resolve → 6, empty reply → 52, reset → 56, TLS → 35, certificate →
//! 60), so rules read one vocabulary. A header line without any status line (`curl -sI URL |
//! grep -i server`) gives an [`HttpResponse`] with status 0 and an empty version; a bare code
//! (`-w '%{http_code}'`) gives one with that status and an empty version.

use crate::facts::{CurlError, ErrorPageInfo, Fact, FactAt, HttpResponse};
use crate::kind::Kind;
use crate::parse::registry::{KindSpec, no_file};
use crate::parse::{ParseContext, Parsed};
use crate::span::{Span, lines};

/// How curl, wget and httpie output is recognised and parsed.
pub const SPEC: KindSpec = KindSpec {
    kind: Kind::Curl,
    embeds: &[Kind::ErrorPage],
    command: |program, _| matches!(program, "curl" | "wget" | "http" | "https" | "xh" | "xhs"),
    file: no_file,
    line: Some(is_strong_line),
    block: score,
    parse,
};

/// True for a line only HTTP client output contains.
pub fn is_strong_line(line: &str) -> bool {
    let t = line.trim_end();
    if parse_status_line(t.trim_start()).is_some() && (t.starts_with("HTTP/") || t.starts_with("  HTTP/")) {
        return true;
    }
    if curl_error(t).is_some() {
        return true;
    }
    if let Some(rest) = t.strip_prefix("< ") {
        return parse_status_line(rest).is_some();
    }
    if let Some(rest) = t.strip_prefix("> ") {
        return request_line(rest).is_some();
    }
    if let Some(rest) = verbose_text(t) {
        return strong_verbose(rest);
    }
    is_progress_header(t)
        || wget_url(t).is_some()
        || t.starts_with("HTTP request sent, awaiting response...")
        || is_curl_advice(t)
}

/// The verbose markers that only curl prints.
fn strong_verbose(rest: &str) -> bool {
    (rest.starts_with("Trying ") && rest.ends_with("..."))
        || rest.starts_with("Connected to ")
        || (rest.starts_with("Host ") && rest.ends_with(" was resolved."))
        || (rest.starts_with("connect to ") && rest.contains(" failed: "))
        || rest.starts_with("Failed to connect to ")
        || rest.starts_with("Could not resolve host: ")
        || rest.starts_with("SSL connection using ")
        || rest.starts_with("Server certificate:")
        || rest.starts_with("ALPN: ")
        || rest.starts_with("ALPN, ")
        || (rest.starts_with("Connection #") && rest.contains(" to host "))
        || rest.starts_with("Closing connection")
        || rest.starts_with("SSL certificate verify ")
}

/// Share of lines that read as HTTP client output, zero without a status line, a curl error or
/// curl's verbose markers.
fn score(lines: &[&str]) -> f32 {
    let mut total = 0usize;
    let mut anchors = 0usize;
    let mut known = 0usize;
    let mut in_headers = false;
    for line in lines {
        let t = line.trim_end();
        if t.trim().is_empty() {
            in_headers = false;
            continue;
        }
        total += 1;
        let inner = t.strip_prefix("< ").unwrap_or(t);
        if is_strong_line(t) {
            anchors += 1;
            known += 1;
            in_headers = parse_status_line(inner.trim_start()).is_some();
        } else if (in_headers && header(inner.trim_start()).is_some())
            || verbose_text(t).is_some()
            || t.starts_with("> ")
            || t.starts_with("< ")
            || t == ">"
            || t == "<"
            || is_data_marker(t)
            || is_progress_row(t)
        {
            known += 1;
        }
    }
    if total == 0 || anchors == 0 {
        return 0.0;
    }
    0.4 + 0.6 * (known as f32 / total as f32)
}

/// `HTTP/1.1 502 Bad Gateway`, `HTTP/2 502 ` → (version, status, reason).
pub fn parse_status_line(t: &str) -> Option<(String, u16, Option<String>)> {
    let rest = t.strip_prefix("HTTP/")?;
    let (version, after) = rest.split_once(' ')?;
    if version.is_empty() || version.len() > 3 || !version.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return None;
    }
    let code = after.get(..3)?;
    if !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let tail = after.get(3..)?;
    if !tail.is_empty() && !tail.starts_with(' ') {
        return None;
    }
    let status: u16 = code.parse().ok()?;
    if !(100..=599).contains(&status) {
        return None;
    }
    let reason = Some(tail.trim()).filter(|r| !r.is_empty()).map(str::to_string);
    Some((format!("HTTP/{version}"), status, reason))
}

/// `Name: value` with an HTTP token as name.
fn header(t: &str) -> Option<(&str, &str)> {
    let (name, value) = t.split_once(':')?;
    let token = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+.^_`|~-".contains(&b);
    if name.is_empty() || name.len() > 80 || !name.bytes().all(token) {
        return None;
    }
    Some((name, value.trim()))
}

/// `curl: (7) Failed to connect ...` → (code, message).
fn curl_error(t: &str) -> Option<(u32, &str)> {
    let rest = t.trim_start().strip_prefix("curl: (")?;
    let (code, message) = rest.split_once(") ")?;
    if code.is_empty() || code.len() > 3 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((code.parse().ok()?, message.trim()))
}

/// The advice curl prints after `curl: (60)`.
fn is_curl_advice(t: &str) -> bool {
    [
        "More details here: https://curl.se/docs/sslcerts.html",
        "More details here: https://curl.haxx.se/docs/sslcerts.html",
        "curl failed to verify the legitimacy of the server",
        "curl performs SSL certificate verification by default",
        "establish a secure connection to it.",
        "how to fix it, please visit the web page mentioned above.",
        "of Certificate Authority (CA) public keys (CA certs).",
        "bundle file isn't adequate, you can specify an alternate file",
        "using the --cacert option.",
        "If this HTTPS server uses a certificate signed by a CA represented in",
        "the bundle, the certificate verification probably failed due to a",
        "problem with the certificate (it might be expired, or the name might",
        "not match the domain name in the URL).",
        "If you'd like to turn off curl's verification of the certificate, use",
        "the -k (or --insecure) option.",
    ]
    .iter()
    .any(|a| t.trim().starts_with(a))
}

/// The text after curl's `*` verbose prefix.
fn verbose_text(t: &str) -> Option<&str> {
    let rest = t.strip_prefix('*')?;
    if rest.is_empty() {
        return Some("");
    }
    rest.starts_with([' ', '\t']).then(|| rest.trim())
}

/// `GET /path HTTP/1.1` → (method, target).
fn request_line(t: &str) -> Option<(&str, &str)> {
    let mut words = t.split_whitespace();
    let method = words.next()?;
    let target = words.next()?;
    let version = words.next()?;
    (words.next().is_none()
        && method.len() <= 10
        && method.bytes().all(|b| b.is_ascii_uppercase())
        && version.starts_with("HTTP/"))
    .then_some((method, target))
}

/// `{ [5 bytes data]` / `} [1 bytes data]` of `curl -v` writing to a pipe.
fn is_data_marker(t: &str) -> bool {
    let t = t.trim();
    (t.starts_with("{ [") || t.starts_with("} [")) && t.ends_with(']')
}

/// The first line of curl's progress meter.
fn is_progress_header(t: &str) -> bool {
    let t = t.trim();
    (t.starts_with("% Total") && t.contains("% Received")) || (t.starts_with("Dload") && t.contains("Upload"))
}

/// A row of curl's progress meter: numbers, sizes and `--:--:--` times.
fn is_progress_row(t: &str) -> bool {
    let last = t.rsplit('\r').next().unwrap_or(t);
    if is_progress_header(last) {
        return true;
    }
    let words: Vec<&str> = last.split_whitespace().collect();
    words.len() >= 9
        && words.iter().all(|w| {
            let w = w.trim_end_matches(['k', 'M', 'G', 'T']);
            !w.is_empty()
                && w.bytes()
                    .all(|b| b.is_ascii_digit() || b == b'.' || b == b':' || b == b'-')
        })
}

/// `--2024-05-01 10:00:00--  http://example.com/` → the URL.
fn wget_url(t: &str) -> Option<&str> {
    let rest = t.strip_prefix("--")?;
    let (stamp, after) = rest.split_once("--")?;
    let b = stamp.as_bytes();
    if b.len() != 19 || b[4] != b'-' || b[10] != b' ' || b[13] != b':' {
        return None;
    }
    let url = after.trim();
    (!url.is_empty() && !url.contains(' ')).then_some(url)
}

/// The curl exit code a failure message stands for (curl's own wording, wget's and httpie's).
fn failure_code(message: &str) -> Option<u32> {
    let m = message;
    let has = |s: &str| m.contains(s);
    if has("Could not resolve host")
        || has("unable to resolve host")
        || has("Name or service not known")
        || has("Temporary failure in name resolution")
        || has("nodename nor servname")
    {
        return Some(6);
    }
    if has("Could not resolve proxy") {
        return Some(5);
    }
    if has("Timeout was reached")
        || has("timed out after")
        || has("Operation timed out")
        || has("Connection timed out")
        || has("Read timed out")
        || has("Request timed out")
    {
        return Some(28);
    }
    if has("SSL certificate problem")
        || has("cannot verify")
        || has("no alternative certificate subject name")
        || has("CERTIFICATE_VERIFY_FAILED")
        || has("certificate verify failed")
    {
        return Some(60);
    }
    if has("SSL_connect")
        || has("TLS connect error")
        || has("SSL routines")
        || has("Unable to establish SSL connection")
        || has("SSLError")
        || has("handshake failure")
    {
        return Some(35);
    }
    if has("Empty reply from server") || has("No data received") {
        return Some(52);
    }
    if has("Recv failure") || has("Connection reset by peer") || has("from proxy after CONNECT") {
        return Some(56);
    }
    if has("Send failure") {
        return Some(55);
    }
    if has("Connection refused")
        || has("Failed to connect")
        || has("Couldn't connect to server")
        || has("No route to host")
        || has("Network is unreachable")
        || has("ConnectionError")
        || (m.starts_with("connect to ") && has(" failed"))
    {
        return Some(7);
    }
    None
}

/// Producer hints read from an error page body.
#[derive(Default)]
struct PageHints {
    status: Option<u16>,
    producer: Option<&'static str>,
    version: Option<String>,
    html: bool,
}

impl PageHints {
    fn read(&mut self, line: &str) {
        let t = line.trim();
        let lower = t.to_ascii_lowercase();
        if lower.contains('<') && lower.contains('>') {
            self.html = true;
        }
        for tag in ["<title>", "<h1>"] {
            if self.status.is_none()
                && let Some(i) = lower.find(tag)
                && let Some(rest) = lower.get(i + tag.len()..)
            {
                self.status = first_status(rest);
            }
        }
        if self.status.is_none()
            && let Some(i) = lower.find("error code ")
        {
            self.status = lower.get(i + 11..).and_then(first_status);
        }
        let nginx_mark = ["<center>nginx", "<center>openresty", "<center>tengine", "<center>angie"]
            .iter()
            .find_map(|m| lower.find(m).map(|i| i + "<center>".len()));
        if let Some(start) = nginx_mark {
            self.producer = Some("nginx");
            let inner = t.get(start..).unwrap_or("");
            let inner = inner.split('<').next().unwrap_or("").trim();
            let token = inner.split_whitespace().next().unwrap_or("");
            if token.contains('/') {
                self.version = Some(token.to_string());
            }
        } else if self.producer.is_none() {
            self.producer = if lower.contains("cloudflare") || lower.contains("ray id") {
                Some("cloudflare")
            } else if lower.contains("awselb") {
                Some("aws-elb")
            } else if lower.contains("upstream connect error or disconnect/reset before headers")
                || lower == "no healthy upstream"
            {
                Some("envoy")
            } else if lower.contains("the server returned an invalid or incomplete response") {
                Some("haproxy")
            } else if lower.contains("<address>apache") {
                Some("apache")
            } else {
                None
            };
        }
    }

    fn fact(&self, response_status: Option<u16>) -> Option<ErrorPageInfo> {
        let status = self.status.or(response_status.filter(|s| *s >= 400 && self.html));
        if self.producer.is_none() && status.is_none_or(|s| s < 400) {
            return None;
        }
        Some(ErrorPageInfo {
            status,
            producer: self.producer.unwrap_or("unknown").to_string(),
            version: self.version.clone(),
            detail: None,
        })
    }
}

/// The first three-digit status at the start of `text` (`502 Bad Gateway` → 502).
fn first_status(text: &str) -> Option<u16> {
    let code = text.trim_start().get(..3)?;
    let status: u16 = code.parse().ok()?;
    (100..=599).contains(&status).then_some(status)
}

/// What the parser is in the middle of.
#[derive(Clone, Copy, PartialEq)]
enum Mode {
    /// Between things: a status line or a marker may follow.
    Idle,
    /// Reading headers of the last response: plain (`-i`), verbose (`<`) or indented (wget -S).
    Headers(HeaderForm),
    /// Reading a response body.
    Body,
}

#[derive(Clone, Copy, PartialEq)]
enum HeaderForm {
    Plain,
    Verbose,
    Indented,
}

/// The request being made, from verbose and wget lines.
#[derive(Default)]
struct Request {
    tls: bool,
    host: Option<String>,
    path: Option<String>,
    connected: Option<String>,
    url: Option<String>,
}

impl Request {
    fn url(&self) -> Option<String> {
        if let Some(url) = &self.url {
            return Some(url.clone());
        }
        let host = self.host.clone().or_else(|| self.connected.clone())?;
        let scheme = if self.tls { "https" } else { "http" };
        let path = self.path.as_deref().filter(|p| p.starts_with('/')).unwrap_or("/");
        Some(format!("{scheme}://{host}{path}"))
    }
}

/// Parses a piece of curl / wget / httpie output.
pub fn parse(cx: &ParseContext<'_>) -> Parsed {
    let mut p = Parser {
        out: Parsed::default(),
        mode: Mode::Idle,
        response: None,
        body: None,
        request: Request::default(),
        explicit_error: false,
        pending_error: None,
        last_status: None,
        structured: lines(cx.text, 0).any(|l| {
            let t = l.text.trim_end();
            is_strong_line(t) || parse_status_line(t.trim_start()).is_some() || t.starts_with("< ")
        }),
    };
    for line in lines(cx.text, cx.base) {
        p.line(line.text, line.span);
    }
    p.finish();
    p.out
}

struct Parser {
    out: Parsed,
    mode: Mode,
    /// The response being read: fact, span.
    response: Option<(HttpResponse, Span)>,
    /// The body being read: hints, span of its non-blank lines, status of its response.
    body: Option<(PageHints, Option<Span>, Option<u16>)>,
    request: Request,
    explicit_error: bool,
    /// A failure read from a verbose marker: (fact position, fact).
    pending_error: Option<(usize, FactAt)>,
    /// True when the piece has status lines or markers (otherwise all of it is a body).
    structured: bool,
    /// The status of the last response read (for the body that follows it).
    last_status: Option<u16>,
}

impl Parser {
    fn line(&mut self, raw: &str, span: Span) {
        // Progress meters rewrite themselves with `\r`: read the last state of the line.
        let text = raw.rsplit('\r').next().unwrap_or(raw);
        let t = text.trim_end();
        if t.trim().is_empty() {
            if raw.contains('\r') && is_progress_row(raw) {
                return;
            }
            self.blank();
            return;
        }
        if let Some((code, message)) = curl_error(t) {
            self.close_all();
            self.explicit_error = true;
            self.push(
                span,
                Fact::CurlError(CurlError {
                    code,
                    message: message.to_string(),
                }),
            );
            return;
        }
        if t.starts_with("curl: ") || is_curl_advice(t) {
            // `curl: try 'curl --help' for more information`, option errors, the paragraph
            // curl prints after a certificate error.
            return;
        }
        if let Some(rest) = t.strip_prefix("< ").or_else(|| (t == "<").then_some("")) {
            self.verbose_response(rest, span);
            return;
        }
        if let Some(rest) = t.strip_prefix("> ").or_else(|| (t == ">").then_some("")) {
            self.close_all();
            self.verbose_request(rest);
            return;
        }
        if let Some(rest) = verbose_text(t) {
            self.close_all();
            self.verbose_info(rest, span);
            return;
        }
        if is_data_marker(t) || is_progress_row(raw) {
            return;
        }
        let indented = t.starts_with([' ', '\t']);
        let trimmed = t.trim_start();
        if let Some((version, status, reason)) = parse_status_line(trimmed) {
            self.close_all();
            let form = if indented {
                HeaderForm::Indented
            } else {
                HeaderForm::Plain
            };
            self.open(version, status, reason, span, form);
            return;
        }
        if let Mode::Headers(form) = self.mode {
            match form {
                HeaderForm::Indented if indented && self.add_header(trimmed, span) => return,
                HeaderForm::Plain if indented => {
                    // An obsolete folded header value.
                    if let Some((resp, s)) = &mut self.response
                        && let Some(last) = resp.headers.last_mut()
                    {
                        last.1.push(' ');
                        last.1.push_str(trimmed);
                        *s = s.join(span);
                        return;
                    }
                }
                HeaderForm::Plain if self.add_header(trimmed, span) => return,
                _ => {}
            }
            self.close_response();
            self.mode = if form == HeaderForm::Indented {
                Mode::Idle
            } else {
                Mode::Body
            };
        }
        if self.wget_line(t, span) || self.httpie_error(t, span) {
            return;
        }
        if self.mode == Mode::Body || !self.structured {
            if !self.structured && self.mode != Mode::Body && self.headerless(t, span) {
                return;
            }
            self.body_line(t, span);
            return;
        }
        if self.headerless(t, span) {
            return;
        }
        self.out.unread.push(span);
    }

    /// Header lines with no status line before them, or a `-w '%{http_code}'` code (alone or
    /// followed by numbers such as `%{time_total}`: `502 0.004`).
    fn headerless(&mut self, t: &str, span: Span) -> bool {
        let trimmed = t.trim();
        let mut words = trimmed.split_whitespace();
        let code = words.next().unwrap_or("");
        let numbers_after = words.all(|w| {
            w.bytes().next().is_some_and(|b| b.is_ascii_digit())
                && w.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'.' | b's' | b':'))
        });
        if code.len() == 3 && code.bytes().all(|b| b.is_ascii_digit()) && numbers_after {
            if code == "000" {
                return true;
            }
            if let Some(status) = first_status(code) {
                self.close_all();
                self.push(
                    span,
                    Fact::HttpResponse(Box::new(HttpResponse {
                        status,
                        url: self.request.url(),
                        ..Default::default()
                    })),
                );
                return true;
            }
        }
        if self.mode == Mode::Idle && header(trimmed).is_some_and(|(_, v)| !v.is_empty()) && !t.contains("://") {
            self.open(
                String::new(),
                0,
                None,
                Span::new(span.start, span.start),
                HeaderForm::Plain,
            );
            self.add_header(trimmed, span);
            if let Some((_, s)) = &mut self.response {
                *s = span;
            }
            return true;
        }
        false
    }

    fn blank(&mut self) {
        match self.mode {
            Mode::Headers(HeaderForm::Verbose) => {}
            Mode::Headers(_) => {
                self.close_response();
                self.mode = Mode::Body;
            }
            Mode::Body | Mode::Idle => {}
        }
    }

    fn open(&mut self, version: String, status: u16, reason: Option<String>, span: Span, form: HeaderForm) {
        self.response = Some((
            HttpResponse {
                version,
                status,
                reason,
                headers: Vec::new(),
                url: self.request.url(),
            },
            span,
        ));
        self.mode = Mode::Headers(form);
    }

    fn add_header(&mut self, t: &str, span: Span) -> bool {
        let Some((name, value)) = header(t) else {
            return false;
        };
        let Some((resp, s)) = &mut self.response else {
            return false;
        };
        resp.headers.push((name.to_string(), value.to_string()));
        *s = s.join(span);
        true
    }

    fn verbose_response(&mut self, rest: &str, span: Span) {
        let rest = rest.trim_end();
        if let Some((version, status, reason)) = parse_status_line(rest) {
            self.close_all();
            self.open(version, status, reason, span, HeaderForm::Verbose);
            return;
        }
        if rest.is_empty() {
            // `< ` ends the headers; the body follows.
            self.close_response();
            self.mode = Mode::Body;
            return;
        }
        if matches!(self.mode, Mode::Headers(HeaderForm::Verbose)) && self.add_header(rest, span) {
            return;
        }
        // Response lines of a response whose status line was cut off.
        if self.response.is_none() && header(rest).is_some() {
            self.open(String::new(), 0, None, span, HeaderForm::Verbose);
            self.add_header(rest, span);
            return;
        }
        self.out.unread.push(span);
    }

    fn verbose_request(&mut self, rest: &str) {
        let rest = rest.trim();
        if let Some((_, target)) = request_line(rest) {
            self.request.path = Some(target.to_string());
            self.request.host = None;
            if target.contains("://") {
                self.request.url = Some(target.to_string());
            } else if self.request.url.as_deref().is_some_and(|u| !u.ends_with(target)) {
                self.request.url = None;
            }
        } else if let Some((name, value)) = header(rest)
            && name.eq_ignore_ascii_case("host")
        {
            self.request.host = Some(value.to_string());
        }
    }

    fn verbose_info(&mut self, rest: &str, span: Span) {
        if rest.starts_with("SSL connection using")
            || rest.starts_with("ALPN")
            || rest.starts_with("TLSv1")
            || rest.starts_with("Server certificate")
            || rest.starts_with("successfully set certificate verify locations")
        {
            self.request.tls = true;
        }
        if let Some(after) = rest.strip_prefix("Connected to ") {
            // `Connected to localhost (127.0.0.1) port 8080 (#0)` / `... port 8080`
            let host = after.split_whitespace().next().unwrap_or("");
            let port = after
                .split_once(" port ")
                .and_then(|(_, p)| p.split_whitespace().next())
                .filter(|p| p.bytes().all(|b| b.is_ascii_digit()));
            let default = if self.request.tls { "443" } else { "80" };
            self.request.connected = Some(match port {
                Some(p) if p != default && host.contains(':') => format!("[{host}]:{p}"),
                Some(p) if p != default => format!("{host}:{p}"),
                _ => host.to_string(),
            });
            self.request.url = None;
            self.pending_error = None;
            return;
        }
        if let Some(i) = rest.find("OPENED stream for ") {
            let url = rest.get(i + "OPENED stream for ".len()..).unwrap_or("").trim();
            if !url.is_empty() {
                self.request.url = Some(url.to_string());
                self.request.tls = self.request.tls || url.starts_with("https://");
            }
            return;
        }
        if let Some(code) = failure_code(rest)
            && !rest.starts_with("Trying")
            && !rest.contains("continuing anyway")
        {
            let fact = FactAt {
                span,
                fact: Fact::CurlError(CurlError {
                    code,
                    message: rest.to_string(),
                }),
            };
            // Keep the summary (the last failure); the fact sits where the first attempt failed.
            let position = self.pending_error.as_ref().map_or(self.out.facts.len(), |(i, _)| *i);
            self.pending_error = Some((position, fact));
        }
    }

    /// wget's transcript lines; true when the line was one.
    fn wget_line(&mut self, t: &str, span: Span) -> bool {
        if let Some(url) = wget_url(t) {
            self.close_all();
            self.request = Request {
                url: Some(url.to_string()),
                ..Default::default()
            };
            return true;
        }
        for prefix in [
            "HTTP request sent, awaiting response...",
            "Proxy request sent, awaiting response...",
        ] {
            if let Some(rest) = t.strip_prefix(prefix) {
                let rest = rest.trim();
                if let Some(status) = first_status(rest) {
                    let reason = rest.get(3..).map(str::trim).filter(|r| !r.is_empty());
                    self.close_all();
                    self.push(
                        span,
                        Fact::HttpResponse(Box::new(HttpResponse {
                            status,
                            reason: reason.map(str::to_string),
                            url: self.request.url(),
                            ..Default::default()
                        })),
                    );
                } else if let Some(code) = failure_code(rest) {
                    self.wget_failure(code, rest, span);
                }
                return true;
            }
        }
        if (t.starts_with("Resolving ") || t.starts_with("Connecting to ")) && t.contains("... ") {
            let outcome = t.rsplit_once("... ").map_or("", |(_, o)| o);
            if outcome.starts_with("connected") {
                self.pending_error = None;
            } else if let Some(code) = failure_code(outcome) {
                self.wget_failure(code, t, span);
            }
            return true;
        }
        if t.starts_with("wget: ") || t.starts_with("ERROR: ") || t.starts_with("Unable to establish SSL") {
            if let Some(code) = failure_code(t) {
                self.wget_failure(code, t, span);
            }
            return true;
        }
        const KNOWN: &[&str] = &[
            "Length: ",
            "Saving to: ",
            "Reusing existing connection",
            "Retrying.",
            "Giving up.",
            "Spider mode enabled",
            "Remote file does not exist",
            "Remote file exists",
            "To connect to ",
            "OpenSSL: ",
            "HTTP request sent",
            "Read error",
            "Found ",
            "FINISHED --",
            "Total wall clock time",
            "Downloaded: ",
        ];
        if KNOWN.iter().any(|k| t.trim_start().starts_with(k)) {
            return true;
        }
        let trimmed = t.trim_start();
        if trimmed.starts_with("Location: ") && trimmed.ends_with("[following]") {
            return true;
        }
        // `2024-05-01 10:00:00 ERROR 502: Bad Gateway.` / `... (1.2 MB/s) - 'index.html' saved [612/612]`
        let b = trimmed.as_bytes();
        if b.len() > 20 && b[4] == b'-' && b[7] == b'-' && b[10] == b' ' && b[13] == b':' {
            let rest = trimmed.get(20..).unwrap_or("");
            if rest.starts_with("ERROR ") || rest.contains(" saved [") || rest.starts_with('(') {
                return true;
            }
        }
        // The download bar: `index.html  100%[=====>]  612  --.-KB/s    in 0s`
        trimmed.contains("%[") && trimmed.contains(']')
    }

    fn wget_failure(&mut self, code: u32, message: &str, span: Span) {
        self.close_all();
        // wget says it twice (`Resolving x... failed: ...` then `wget: unable to resolve ...`).
        if let Some(last) = self.out.facts.last_mut()
            && matches!(&last.fact, Fact::CurlError(e) if e.code == code)
        {
            last.span = last.span.join(span);
            return;
        }
        self.explicit_error = true;
        self.push(
            span,
            Fact::CurlError(CurlError {
                code,
                message: message.trim().to_string(),
            }),
        );
    }

    /// `http: error: ConnectionError: ...` of httpie.
    fn httpie_error(&mut self, t: &str, span: Span) -> bool {
        let Some(rest) = t
            .strip_prefix("http: error: ")
            .or_else(|| t.strip_prefix("xh: error: "))
        else {
            return false;
        };
        if let Some(code) = failure_code(rest) {
            self.wget_failure(code, rest, span);
        }
        true
    }

    fn body_line(&mut self, t: &str, span: Span) {
        let status = self.last_status;
        let (hints, body_span, _) = self.body.get_or_insert_with(|| (PageHints::default(), None, status));
        hints.read(t);
        *body_span = Some(body_span.map_or(span, |s| s.join(span)));
        self.mode = Mode::Body;
    }

    fn close_response(&mut self) {
        if let Some((resp, span)) = self.response.take() {
            self.push(span, Fact::HttpResponse(Box::new(resp)));
        }
    }

    fn close_body(&mut self) {
        if let Some((hints, Some(span), status)) = self.body.take()
            && let Some(page) = hints.fact(status)
        {
            self.push(span, Fact::ErrorPage(Box::new(page)));
        }
    }

    fn close_all(&mut self) {
        self.close_response();
        self.close_body();
        self.mode = Mode::Idle;
    }

    fn push(&mut self, span: Span, fact: Fact) {
        if let Fact::HttpResponse(r) = &fact
            && r.status > 0
        {
            self.last_status = Some(r.status);
        }
        self.out.facts.push(FactAt { span, fact });
    }

    fn finish(&mut self) {
        self.close_all();
        if !self.explicit_error
            && let Some((position, fact)) = self.pending_error.take()
        {
            let position = position.min(self.out.facts.len());
            self.out.facts.insert(position, fact);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::test_support::facts_of;

    fn run(text: &str) -> Parsed {
        parse(&ParseContext::new(text, 0))
    }

    #[test]
    fn reads_head_output_with_trailing_space_status() {
        let text = "HTTP/2 502 \r\nserver: nginx/1.18.0 (Ubuntu)\r\ndate: Tue, 11 Feb 2025 08:03:19 GMT\r\ncontent-type: text/html\r\ncontent-length: 166\r\n\r\n";
        let parsed = run(text);
        assert!(parsed.unread.is_empty(), "{:?}", parsed.unread);
        let r = facts_of::<HttpResponse>(&parsed);
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].version, "HTTP/2");
        assert_eq!(r[0].status, 502);
        assert_eq!(r[0].reason, None);
        assert_eq!(r[0].headers[0], ("server".into(), "nginx/1.18.0 (Ubuntu)".into()));
        assert_eq!(r[0].headers.len(), 4);
    }

    #[test]
    fn reads_several_responses_and_a_body() {
        let text = "HTTP/1.1 200 Connection established\n\nHTTP/1.1 100 Continue\n\nHTTP/1.1 502 Bad Gateway\nServer: nginx/1.24.0\nContent-Type: text/html\n\n<html>\n<head><title>502 Bad Gateway</title></head>\n<body>\n<center><h1>502 Bad Gateway</h1></center>\n<hr><center>nginx/1.24.0</center>\n</body>\n</html>\n";
        let parsed = run(text);
        assert!(parsed.unread.is_empty(), "{:?}", parsed.unread);
        let r = facts_of::<HttpResponse>(&parsed);
        assert_eq!(r.iter().map(|r| r.status).collect::<Vec<_>>(), vec![200, 100, 502]);
        let page = parsed
            .facts
            .iter()
            .find_map(|f| match &f.fact {
                Fact::ErrorPage(p) => Some(p),
                _ => None,
            })
            .expect("error page");
        assert_eq!(page.producer, "nginx");
        assert_eq!(page.status, Some(502));
        assert_eq!(page.version.as_deref(), Some("nginx/1.24.0"));
    }

    #[test]
    fn reads_verbose_output_and_url() {
        let text = "*   Trying 127.0.0.1:8080...\n* Connected to localhost (127.0.0.1) port 8080 (#0)\n> GET /api/health HTTP/1.1\n> Host: localhost:8080\n> User-Agent: curl/7.81.0\n> Accept: */*\n> \n* Mark bundle as not supporting multiuse\n< HTTP/1.1 502 Bad Gateway\n< Server: nginx/1.18.0 (Ubuntu)\n< Content-Length: 166\n< \n{ [166 bytes data]\n<html>\n<head><title>502 Bad Gateway</title></head>\n<hr><center>nginx/1.18.0 (Ubuntu)</center>\n</html>\n* Connection #0 to host localhost left intact\n";
        let parsed = run(text);
        assert!(parsed.unread.is_empty(), "{:?}", parsed.unread);
        let r = facts_of::<HttpResponse>(&parsed);
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].url.as_deref(), Some("http://localhost:8080/api/health"));
        assert_eq!(r[0].headers.len(), 2);
        assert!(
            parsed
                .facts
                .iter()
                .any(|f| matches!(&f.fact, Fact::ErrorPage(p) if p.producer == "nginx"))
        );
    }

    #[test]
    fn verbose_failure_without_curl_line_becomes_an_error() {
        let text = "*   Trying 127.0.0.1:8080...\n* connect to 127.0.0.1 port 8080 failed: Connection refused\n* Failed to connect to localhost port 8080 after 0 ms: Connection refused\n* Closing connection 0\n";
        let parsed = run(text);
        assert!(parsed.unread.is_empty());
        assert_eq!(parsed.facts.len(), 1);
        let Fact::CurlError(e) = &parsed.facts[0].fact else {
            panic!()
        };
        assert_eq!(e.code, 7);
        assert!(e.message.starts_with("Failed to connect"));
    }

    #[test]
    fn a_retry_that_connects_clears_the_failure() {
        let text = "*   Trying [::1]:8080...\n* connect to ::1 port 8080 failed: Connection refused\n*   Trying 127.0.0.1:8080...\n* Connected to localhost (127.0.0.1) port 8080\n> GET / HTTP/1.1\n> Host: localhost:8080\n>\n< HTTP/1.1 200 OK\n< Content-Length: 0\n<\n";
        let parsed = run(text);
        assert!(parsed.unread.is_empty(), "{:?}", parsed.unread);
        assert_eq!(parsed.facts.len(), 1);
        assert!(matches!(&parsed.facts[0].fact, Fact::HttpResponse(r) if r.status == 200));
    }

    #[test]
    fn reads_curl_errors() {
        for (line, code) in [
            (
                "curl: (7) Failed to connect to localhost port 8080 after 0 ms: Connection refused",
                7,
            ),
            (
                "curl: (28) Operation timed out after 5001 milliseconds with 0 bytes received",
                28,
            ),
            (
                "curl: (35) OpenSSL SSL_connect: SSL_ERROR_SYSCALL in connection to x:443",
                35,
            ),
            ("curl: (52) Empty reply from server", 52),
            ("curl: (56) Recv failure: Connection reset by peer", 56),
            ("curl: (60) SSL certificate problem: self-signed certificate", 60),
            ("curl: (6) Could not resolve host: app.internal", 6),
        ] {
            let parsed = run(line);
            assert!(parsed.unread.is_empty());
            assert!(
                matches!(&parsed.facts[0].fact, Fact::CurlError(e) if e.code == code),
                "{line}"
            );
        }
    }

    #[test]
    fn reads_wget_server_response() {
        let text = "--2025-01-10 08:00:00--  http://127.0.0.1/\nConnecting to 127.0.0.1:80... connected.\nHTTP request sent, awaiting response... \n  HTTP/1.1 502 Bad Gateway\n  Server: nginx/1.22.1\n  Content-Type: text/html\n  Content-Length: 157\n2025-01-10 08:00:00 ERROR 502: Bad Gateway.\n\n";
        let parsed = run(text);
        assert!(parsed.unread.is_empty(), "{:?}", parsed.unread);
        let r = facts_of::<HttpResponse>(&parsed);
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].status, 502);
        assert_eq!(r[0].url.as_deref(), Some("http://127.0.0.1/"));
        assert_eq!(r[0].headers.len(), 3);
        let refused = run(
            "--2025-01-10 08:00:00--  http://localhost:8080/\nResolving localhost (localhost)... 127.0.0.1\nConnecting to localhost (localhost)|127.0.0.1|:8080... failed: Connection refused.\n",
        );
        assert!(matches!(&refused.facts[0].fact, Fact::CurlError(e) if e.code == 7));
        assert!(refused.unread.is_empty());
    }

    #[test]
    fn odd_shapes_do_not_panic_and_bare_codes_read() {
        for text in [
            "HTTP/",
            "HTTP/1.1 5",
            "HTTP/1.1 99x",
            "< ",
            "*",
            "curl: (",
            "é: é",
            "--é--",
            "502",
        ] {
            let _ = run(text);
        }
        let parsed = run("502\n");
        assert!(matches!(&parsed.facts[0].fact, Fact::HttpResponse(r) if r.status == 502));
        let parsed = run("200 0.004\n");
        assert!(matches!(&parsed.facts[0].fact, Fact::HttpResponse(r) if r.status == 200));
        let parsed = run("server: cloudflare\n");
        assert!(matches!(&parsed.facts[0].fact, Fact::HttpResponse(r) if r.status == 0 && r.headers.len() == 1));
    }

    #[test]
    fn recognises_content() {
        assert!(is_strong_line("HTTP/1.1 502 Bad Gateway"));
        assert!(is_strong_line("< HTTP/2 502 "));
        assert!(is_strong_line("*   Trying 127.0.0.1:8080..."));
        assert!(!is_strong_line("Server: nginx"));
        assert!(!is_strong_line("GET / HTTP/1.1"));
        assert!(score(&["HTTP/2 502 ", "server: cloudflare", "cf-ray: 8c1f2a3b4d5e6f70-FRA"]) > 0.9);
        assert_eq!(score(&["Server: 127.0.0.53", "Address: 127.0.0.53#53"]), 0.0);
    }
}

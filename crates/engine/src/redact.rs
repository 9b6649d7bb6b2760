//! Redaction before anything is shared: finds IP addresses, host names, e-mail addresses and
//! secrets (passwords, tokens, keys in configs, credentials in URLs and headers) in the pastes,
//! replaces them consistently (the same address always becomes the same stand-in, so the
//! diagnosis of the redacted pastes still joins config and logs), and removes private keys
//! outright: a private key is never shared, whatever the person chooses.
//!
//! Pure and hand-written (no regex): it runs over tens of megabytes in linear time, in the CLI
//! and in the web app's worker alike.
//!
//! What is kept, because it identifies nobody and the diagnosis needs it: loopback and
//! unspecified addresses (`127.0.0.1`, `::1`, `0.0.0.0`), netmasks, documentation names
//! (`example.com`, `*.example`, `*.test`, `*.invalid`), well-known public sites of the software
//! concerned (`nginx.org`, `php.net`...), Kubernetes' `cluster.local` suffix, ports, paths, and
//! nginx variables (`$http_authorization`). Private addresses keep their first two octets
//! (`172.17.0.3` stays in `172.17.*`), so container and LAN addressing still reads right.
//! Host names on a line without a dot (the host column of a journal line) are not found.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::paste::Paste;

/// What a masked item is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum What {
    /// An IPv4 or IPv6 address.
    Address,
    /// A host or domain name.
    Host,
    /// An e-mail address.
    Email,
    /// A password, token, key or credential.
    Secret,
    /// A PEM private key block: always removed.
    PrivateKey,
}

impl What {
    /// Every kind of item, in the order they are shown.
    pub const ALL: &'static [What] = &[What::Address, What::Host, What::Email, What::Secret, What::PrivateKey];

    /// A short plural name for people.
    pub fn label(self) -> &'static str {
        match self {
            What::Address => "IP addresses",
            What::Host => "host names",
            What::Email => "e-mail addresses",
            What::Secret => "passwords, tokens and keys",
            What::PrivateKey => "private keys",
        }
    }

    /// The stable id (`address`, `host`...).
    pub fn id(self) -> &'static str {
        match self {
            What::Address => "address",
            What::Host => "host",
            What::Email => "email",
            What::Secret => "secret",
            What::PrivateKey => "private-key",
        }
    }
}

/// What to mask. Private keys are always removed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Options {
    /// Mask IP addresses.
    pub addresses: bool,
    /// Mask host and domain names.
    pub hosts: bool,
    /// Mask e-mail addresses.
    pub emails: bool,
    /// Mask passwords, tokens and keys.
    pub secrets: bool,
    /// Items (their original text) the person chose to leave as they are.
    #[serde(default)]
    pub keep: Vec<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            addresses: true,
            hosts: true,
            emails: true,
            secrets: true,
            keep: Vec::new(),
        }
    }
}

impl Options {
    /// True when an item (its kind and original text) is left as it is under these options.
    /// Private keys are never kept.
    pub fn keeps(&self, what: What, original: &str) -> bool {
        what != What::PrivateKey && (!self.masks(what) || self.keep.iter().any(|k| k == original))
    }

    fn masks(&self, what: What) -> bool {
        match what {
            What::Address => self.addresses,
            What::Host => self.hosts,
            What::Email => self.emails,
            What::Secret => self.secrets,
            What::PrivateKey => true,
        }
    }
}

/// One distinct item found, with its stand-in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mask {
    /// What it is.
    pub what: What,
    /// The text as pasted.
    pub original: String,
    /// What replaces it (or would, when kept).
    pub replacement: String,
    /// Index of the paste it is first seen in.
    pub paste: usize,
    /// 1-based line of that paste where it is first seen.
    pub line: usize,
    /// How many times it occurs, over all pastes.
    pub count: usize,
    /// True when it is left as it is (its kind is not masked, or the person kept it).
    pub kept: bool,
}

/// The pastes with their items masked, and what was found.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Redacted {
    /// The pastes as they may be shared (names redacted too).
    pub pastes: Vec<Paste>,
    /// Every distinct item found, in order of first appearance.
    pub masks: Vec<Mask>,
    /// Private keys removed: `(paste, line)` where each began.
    pub private_keys: Vec<(usize, usize)>,
}

/// Redacts every paste with one consistent mapping.
pub fn redact(pastes: &[Paste], options: &Options) -> Redacted {
    let mut r = Redactor {
        options,
        masks: Vec::new(),
        index: HashMap::new(),
        public_v4: 0,
        private_v4: HashMap::new(),
        v6: 0,
        sites: HashMap::new(),
        hosts: 0,
        emails: 0,
    };
    let mut out = Redacted::default();
    for (p, paste) in pastes.iter().enumerate() {
        let (text, edits) = r.text(p, &paste.text, &mut out.private_keys);
        let (name, _) = r.text(p, &paste.name, &mut out.private_keys);
        let piece_kinds = paste
            .piece_kinds
            .iter()
            .map(|&(start, kind)| (map_offset(&edits, start), kind))
            .collect();
        out.pastes.push(Paste {
            name,
            text: text.into(),
            kind: paste.kind,
            piece_kinds,
        });
    }
    out.masks = r.masks;
    out
}

/// A replacement made: `[start, end)` of the original became `len` bytes.
#[derive(Clone, Copy, Debug)]
struct Edit {
    start: usize,
    end: usize,
    len: usize,
}

/// Where byte `offset` of the original lands in the redacted text.
fn map_offset(edits: &[Edit], offset: usize) -> usize {
    let mut shift: isize = 0;
    for e in edits {
        if e.end <= offset {
            shift += e.len as isize - (e.end - e.start) as isize;
        } else if e.start < offset {
            return (e.start as isize + shift) as usize;
        } else {
            break;
        }
    }
    (offset as isize + shift) as usize
}

/// One item found in a line: bytes `[start, end)` of the text.
#[derive(Clone, Debug)]
struct Hit {
    start: usize,
    end: usize,
    what: What,
}

struct Redactor<'o> {
    options: &'o Options,
    masks: Vec<Mask>,
    index: HashMap<(What, String), usize>,
    public_v4: usize,
    private_v4: HashMap<(u8, u8), usize>,
    v6: usize,
    sites: HashMap<String, usize>,
    hosts: usize,
    emails: usize,
}

impl Redactor<'_> {
    /// Redacts one text; returns it with the edits made (original offsets, in order).
    fn text(&mut self, paste: usize, text: &str, keys: &mut Vec<(usize, usize)>) -> (String, Vec<Edit>) {
        let mut out = String::with_capacity(text.len());
        let mut edits = Vec::new();
        let mut copied = 0;
        let mut line_no = 1;
        let mut pos = 0;
        let mut hits = Vec::new();
        while pos < text.len() {
            let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
            let line = &text[pos..end];
            let key = line.find("-----BEGIN ").filter(|&b| is_private_key_header(&line[b..]));
            let scanned = key.map_or(line, |b| &line[..b]);
            hits.clear();
            scan_line(scanned, pos, &mut hits);
            for hit in hits.drain(..) {
                if hit.start < copied {
                    continue;
                }
                let original = &text[hit.start..hit.end];
                let Some(replacement) = self.replace(hit.what, original, paste, line_no) else {
                    continue;
                };
                out.push_str(&text[copied..hit.start]);
                out.push_str(&replacement);
                edits.push(Edit {
                    start: hit.start,
                    end: hit.end,
                    len: replacement.len(),
                });
                copied = hit.end;
            }
            let Some(begin) = key else {
                pos = end + 1;
                line_no += 1;
                continue;
            };
            // A private key: removed up to its END marker (or to the end of a cut paste).
            let start = pos + begin;
            let stop = find_key_end(text, start).unwrap_or(text.len());
            const REMOVED: &str = "[private key removed]";
            keys.push((paste, line_no));
            self.record(What::PrivateKey, "private key", REMOVED.into(), paste, line_no);
            out.push_str(&text[copied..start]);
            out.push_str(REMOVED);
            edits.push(Edit {
                start,
                end: stop,
                len: REMOVED.len(),
            });
            copied = stop;
            line_no += text[pos..stop].matches('\n').count();
            // The rest of the END line is scanned as a line of its own.
            pos = stop;
        }
        out.push_str(&text[copied.min(text.len())..]);
        (out, edits)
    }

    /// Records an item; returns its replacement unless it is kept.
    fn replace(&mut self, what: What, original: &str, paste: usize, line: usize) -> Option<String> {
        let key = (what, original.to_string());
        let i = match self.index.get(&key) {
            Some(&i) => {
                self.masks[i].count += 1;
                i
            }
            None => {
                let replacement = self.stand_in(what, original);
                self.record(what, original, replacement, paste, line)
            }
        };
        let m = &self.masks[i];
        (!m.kept).then(|| m.replacement.clone())
    }

    fn record(&mut self, what: What, original: &str, replacement: String, paste: usize, line: usize) -> usize {
        let kept = self.options.keeps(what, original);
        self.masks.push(Mask {
            what,
            original: original.to_string(),
            replacement,
            paste,
            line,
            count: 1,
            kept,
        });
        let i = self.masks.len() - 1;
        if what != What::PrivateKey {
            self.index.insert((what, original.to_string()), i);
        }
        i
    }

    fn stand_in(&mut self, what: What, original: &str) -> String {
        match what {
            What::Address => match parse_v4(original) {
                Some(o) if is_private_v4(o) => {
                    let counter = self.private_v4.entry((o[0], o[1])).or_insert(0);
                    let n = *counter;
                    *counter += 1;
                    format!("{}.{}.{}.{}", o[0], o[1], n / 254, n % 254 + 1)
                }
                Some(_) => {
                    let n = self.public_v4;
                    self.public_v4 += 1;
                    let nets = ["192.0.2", "198.51.100", "203.0.113"];
                    match nets.get(n / 254) {
                        Some(net) => format!("{net}.{}", n % 254 + 1),
                        None => format!("192.0.2.{}", n % 254 + 1),
                    }
                }
                None => {
                    self.v6 += 1;
                    format!("2001:db8::{:x}", self.v6)
                }
            },
            What::Host => {
                if !original.contains('.') {
                    self.hosts += 1;
                    return format!("host{}", self.hosts);
                }
                let lower = original.to_ascii_lowercase();
                let (sub, site) = split_site(&lower);
                let next = self.sites.len() + 1;
                let n = *self.sites.entry(site.to_string()).or_insert(next);
                if sub.is_empty() {
                    format!("site{n}.example")
                } else {
                    format!("{sub}.site{n}.example")
                }
            }
            What::Email => {
                self.emails += 1;
                format!("user{}@example.com", self.emails)
            }
            What::Secret => "REDACTED".to_string(),
            What::PrivateKey => "[private key removed]".to_string(),
        }
    }
}

fn is_private_key_header(s: &str) -> bool {
    let head = s.get(..s.find('\n').unwrap_or(s.len()).min(80)).unwrap_or(s);
    head.starts_with("-----BEGIN ") && head.contains("PRIVATE KEY")
}

/// End of the private key block starting at `start`: past the `-----END ...-----` marker.
fn find_key_end(text: &str, start: usize) -> Option<usize> {
    let rel = text[start..].find("-----END ")?;
    let at = start + rel + "-----END ".len();
    let close = text[at..].find("-----")?;
    Some(at + close + "-----".len())
}

/// Finds the items of one line (`base` is its offset in the text), in order, not overlapping.
fn scan_line(line: &str, base: usize, hits: &mut Vec<Hit>) {
    let mut secrets = Vec::new();
    secret_values(line, &mut secrets);
    crate::sort::by_key(&mut secrets, |&(s, _)| s);
    let in_secret = |s: usize, e: usize| secrets.iter().any(|&(a, b)| s < b && a < e);
    let mut tokens = Vec::new();
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if is_token_byte(bytes[i]) {
            let start = i;
            while i < bytes.len() && is_token_byte(bytes[i]) {
                i += 1;
            }
            token_items(line, start, i, &mut tokens);
        } else {
            i += 1;
        }
    }
    let mut all: Vec<Hit> = secrets
        .iter()
        .map(|&(s, e)| Hit {
            start: base + s,
            end: base + e,
            what: What::Secret,
        })
        .collect();
    all.extend(tokens.into_iter().filter(|h| !in_secret(h.start, h.end)).map(|h| Hit {
        start: base + h.start,
        end: base + h.end,
        what: h.what,
    }));
    crate::sort::by_key(&mut all, |h| h.start);
    let mut last = 0;
    for h in all {
        if h.start >= last {
            last = h.end;
            hits.push(h);
        }
    }
}

fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b'%' | b'+' | b'@' | b':')
}

/// Addresses, e-mails and host names in the token `line[start..end]`.
fn token_items(line: &str, start: usize, end: usize, out: &mut Vec<Hit>) {
    let (start, end) = trim(line, start, end, |b| {
        matches!(b, b'.' | b'-' | b':' | b'_' | b'+' | b'%')
    });
    if start >= end {
        return;
    }
    let token = &line[start..end];
    if is_v6(token) {
        if !is_special_v6(token) {
            out.push(Hit {
                start,
                end,
                what: What::Address,
            });
        }
        return;
    }
    let mut part_start = start;
    for (k, part) in token.split(':').enumerate() {
        if k > 0 {
            part_start += 1;
        }
        let (s, e) = trim(line, part_start, part_start + part.len(), |b| {
            matches!(b, b'.' | b'-' | b'_' | b'+' | b'%')
        });
        part_start += part.len();
        if s >= e {
            continue;
        }
        let part = &line[s..e];
        let (s, part) = match part.rfind('@') {
            Some(at) => {
                let (local, domain) = (&part[..at], &part[at + 1..]);
                if is_email(local, domain) {
                    out.push(Hit {
                        start: s,
                        end: e,
                        what: What::Email,
                    });
                    continue;
                }
                if is_prompt_host(local, domain) {
                    out.push(Hit {
                        start: s + at + 1,
                        end: e,
                        what: What::Host,
                    });
                    continue;
                }
                // user:password@address: the address after the @.
                (s + at + 1, domain)
            }
            None => (s, part),
        };
        let e = s + part.len();
        if let Some(o) = parse_v4(part) {
            if !is_special_v4(o) {
                out.push(Hit {
                    start: s,
                    end: e,
                    what: What::Address,
                });
            }
            continue;
        }
        if let Some(len) = host_len(part) {
            out.push(Hit {
                start: s,
                end: s + len,
                what: What::Host,
            });
        }
    }
}

fn trim(line: &str, mut start: usize, mut end: usize, strip: impl Fn(u8) -> bool) -> (usize, usize) {
    let b = line.as_bytes();
    while start < end && strip(b[start]) {
        start += 1;
    }
    while end > start && strip(b[end - 1]) {
        end -= 1;
    }
    (start, end)
}

fn parse_v4(s: &str) -> Option<[u8; 4]> {
    let mut o = [0u8; 4];
    let mut n = 0;
    for part in s.split('.') {
        if n == 4 || part.is_empty() || part.len() > 3 || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        o[n] = part.parse::<u16>().ok().filter(|&v| v <= 255)? as u8;
        n += 1;
    }
    (n == 4).then_some(o)
}

fn is_special_v4(o: [u8; 4]) -> bool {
    o[0] == 127 || o == [0, 0, 0, 0] || o[0] == 255 || (o[0] == 169 && o[1] == 254)
}

fn is_private_v4(o: [u8; 4]) -> bool {
    o[0] == 10
        || (o[0] == 172 && (16..32).contains(&o[1]))
        || (o[0] == 192 && o[1] == 168)
        || (o[0] == 100 && (64..128).contains(&o[1]))
}

fn is_v6(s: &str) -> bool {
    let s = s.split('%').next().unwrap_or(s);
    if !s.bytes().all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.') || s.len() < 2 {
        return false;
    }
    let groups: Vec<&str> = s.split(':').collect();
    let compressed = s.contains("::");
    if s.matches("::").count() > 1 || s.contains(":::") {
        return false;
    }
    let ok_groups = groups.iter().enumerate().all(|(i, g)| {
        g.is_empty()
            || g.len() <= 4 && g.bytes().all(|b| b.is_ascii_hexdigit())
            || i == groups.len() - 1 && parse_v4(g).is_some()
    });
    ok_groups && (compressed && groups.len() >= 3 || groups.len() == 8)
}

fn is_special_v6(s: &str) -> bool {
    let s = s.split('%').next().unwrap_or(s).to_ascii_lowercase();
    s == "::1" || s == "::" || s.starts_with("fe80:") || s.starts_with("::ffff:127.")
}

fn is_email(local: &str, domain: &str) -> bool {
    !local.is_empty()
        && local
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'%' | b'+' | b'-'))
        && host_len(domain) == Some(domain.len())
}

/// `root@web01` in a shell prompt: the host is one label.
fn is_prompt_host(local: &str, domain: &str) -> bool {
    !local.is_empty()
        && local
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
        && !domain.is_empty()
        && !domain.contains('.')
        && domain.len() <= 63
        && domain.as_bytes()[0].is_ascii_alphabetic()
        && domain.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && domain != "localhost"
}

/// The length of the host name at the start of `s` (all of it, or all but a file extension:
/// `example.com.conf` holds `example.com`), when it is one to mask.
fn host_len(s: &str) -> Option<usize> {
    let candidate = match s.rsplit_once('.') {
        Some((head, ext)) if FILE_EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str()) => head,
        _ => s,
    };
    (is_hostname(candidate) && !is_allowed_host(candidate)).then_some(candidate.len())
}

fn is_hostname(s: &str) -> bool {
    if s.len() > 253 || !s.contains('.') {
        return false;
    }
    let labels: Vec<&str> = s.split('.').collect();
    let tld = labels[labels.len() - 1].to_ascii_lowercase();
    let labels_ok = labels.iter().all(|l| {
        !l.is_empty()
            && l.len() <= 63
            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            && !l.starts_with('-')
            && !l.ends_with('-')
    });
    if !labels_ok || !tld.bytes().all(|b| b.is_ascii_alphabetic()) {
        return false;
    }
    if TLDS.contains(&tld.as_str()) {
        return true;
    }
    // Top-level domains that are also file extensions (`deploy.sh`, `main.rs`, `README.md`):
    // a host name only with three labels or more.
    AMBIGUOUS_TLDS.contains(&tld.as_str()) && labels.len() >= 3
}

fn is_allowed_host(s: &str) -> bool {
    let s = s.to_ascii_lowercase();
    KEEP_SUFFIXES.iter().any(|k| s == *k || s.ends_with(&format!(".{k}")))
}

/// Splits a lower-case host name into its subdomain labels and its registrable part.
fn split_site(host: &str) -> (&str, &str) {
    let labels: Vec<&str> = host.split('.').collect();
    let n = labels.len();
    let take = if n >= 3 && SECOND_LEVEL.contains(&labels[n - 2]) && labels[n - 1].len() == 2 {
        3
    } else {
        2
    };
    if n <= take {
        return ("", host);
    }
    let cut: usize = labels[..n - take].iter().map(|l| l.len() + 1).sum();
    (&host[..cut - 1], &host[cut..])
}

/// Finds secret values in a line: byte ranges of the values to mask.
fn secret_values(line: &str, out: &mut Vec<(usize, usize)>) {
    let bytes = line.as_bytes();
    // Credentials in URLs: scheme://user:password@host
    let mut from = 0;
    while let Some(i) = line[from..].find("://") {
        let start = from + i + 3;
        let rest = &line[start..];
        let stop = rest
            .find(|c: char| c == '/' || c.is_whitespace() || c == '"' || c == '\'' || c == '>')
            .unwrap_or(rest.len());
        if let Some(at) = rest[..stop].rfind('@')
            && let Some(colon) = rest[..at].find(':')
            && colon + 1 < at
        {
            out.push((start + colon + 1, start + at));
        }
        from = start;
    }
    // Bearer / Basic / Token credentials.
    for scheme in ["Bearer ", "Basic ", "bearer ", "basic ", "Token ", "token "] {
        let mut from = 0;
        while let Some(i) = line[from..].find(scheme) {
            let start = from + i + scheme.len();
            let at_word = from + i == 0 || !bytes[from + i - 1].is_ascii_alphanumeric();
            let len = line[start..]
                .find(|c: char| !(c.is_ascii_alphanumeric() || "-._~+/=".contains(c)))
                .unwrap_or(line.len() - start);
            if at_word && len >= 8 {
                out.push((start, start + len));
            }
            from = start;
        }
    }
    // JWTs and AWS access key ids anywhere.
    let mut i = 0;
    while i < bytes.len() {
        if (i == 0 || !bytes[i - 1].is_ascii_alphanumeric())
            && bytes[i].is_ascii_alphabetic()
            && let Some(len) = jwt_len(&line[i..]).or_else(|| aws_key_len(&line[i..]))
        {
            out.push((i, i + len));
            i += len;
            continue;
        }
        i += 1;
    }
    key_values(line, out);
}

fn jwt_len(s: &str) -> Option<usize> {
    if !s.starts_with("eyJ") {
        return None;
    }
    let len = s
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.'))
        .unwrap_or(s.len());
    let parts: Vec<&str> = s[..len].split('.').collect();
    (parts.len() == 3 && parts.iter().all(|p| p.len() >= 4)).then_some(len)
}

fn aws_key_len(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    (s.starts_with("AKIA")
        && b.len() >= 20
        && b[4..20].iter().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        && b.get(20).is_none_or(|c| !c.is_ascii_alphanumeric()))
    .then_some(20)
}

/// Directives and commands after which `NAME value` (no `=` or `:`) sets NAME to value.
const SETTERS: &[&str] = &[
    "fastcgi_param",
    "uwsgi_param",
    "scgi_param",
    "proxy_set_header",
    "grpc_set_header",
    "add_header",
    "more_set_headers",
    "set",
    "env",
    "setenv",
    "export",
    "secure_link_secret",
];

/// `password = x`, `DB_PASSWORD: x`, `"token": "x"`, `fastcgi_param DB_PASSWORD x;`,
/// `Authorization: Basic x`, `?api_key=x`...
fn key_values(line: &str, out: &mut Vec<(usize, usize)>) {
    let bytes = line.as_bytes();
    let first_token = line.split_whitespace().next().unwrap_or("");
    let first_is_setter = SETTERS.contains(&first_token.to_ascii_lowercase().as_str());
    let mut i = 0;
    while i < bytes.len() {
        if !is_word_byte(bytes[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && is_word_byte(bytes[i]) {
            i += 1;
        }
        let word = &line[start..i];
        let header = is_secret_header(word);
        let query_key = word.eq_ignore_ascii_case("key") && start > 0 && matches!(bytes[start - 1], b'?' | b'&');
        if !(header || query_key || is_secret_key(word)) {
            continue;
        }
        // What separates the key from its value.
        let mut j = i;
        while j < bytes.len() && matches!(bytes[j], b'"' | b'\'' | b']') {
            j += 1;
        }
        let ws_start = j;
        while j < bytes.len() && (bytes[j] == b' ' || bytes[j] == b'\t') {
            j += 1;
        }
        let had_space = j > ws_start;
        let sep = if line[j..].starts_with("=>") {
            j += 2;
            true
        } else if j < bytes.len() && (bytes[j] == b'=' || bytes[j] == b':' && !line[j..].starts_with("://")) {
            j += 1;
            true
        } else {
            false
        };
        let leading_word = line[..start].trim_start().is_empty()
            || line[..start].trim_start().trim_start_matches(['-', ' ']).is_empty();
        let positional =
            had_space && (first_is_setter && first_token != word || leading_word && line.trim_end().ends_with(';'));
        if !sep && !positional {
            continue;
        }
        while j < bytes.len() && (bytes[j] == b' ' || bytes[j] == b'\t') {
            j += 1;
        }
        if j >= bytes.len() {
            continue;
        }
        let (vs, ve) = if bytes[j] == b'"' || bytes[j] == b'\'' {
            let q = bytes[j];
            let end = line[j + 1..].find(q as char).map_or(line.len(), |e| j + 1 + e);
            (j + 1, end)
        } else if header && sep {
            (j, line.trim_end().len().max(j))
        } else {
            let end = line[j..]
                .find(|c: char| c.is_whitespace() || ";,&\"'})]".contains(c))
                .map_or(line.len(), |e| j + e);
            (j, end)
        };
        let value = &line[vs..ve];
        if value.is_empty()
            || value.starts_with('$')
            || value.starts_with("{{")
            || value == "REDACTED"
            || value.bytes().all(|b| b == b'*' || b == b'x')
        {
            continue;
        }
        out.push((vs, ve));
        i = ve.max(i);
    }
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'.'
}

fn is_secret_header(word: &str) -> bool {
    [
        "authorization",
        "proxy-authorization",
        "cookie",
        "set-cookie",
        "x-api-key",
        "x-auth-token",
        "x-access-token",
    ]
    .contains(&word.to_ascii_lowercase().as_str())
}

/// A setting name that holds a secret: `password`, `DB_PASS`, `api_key`, `client_secret`,
/// `secure_link_secret`, `access_token`... but not `proxy_pass`, `server_tokens` or
/// `ssl_certificate_key` (a path).
fn is_secret_key(word: &str) -> bool {
    let lower = word.to_ascii_lowercase();
    let segments: Vec<&str> = lower.split(['_', '-', '.']).filter(|s| !s.is_empty()).collect();
    let upper = word.bytes().any(|b| b.is_ascii_uppercase()) && !word.bytes().any(|b| b.is_ascii_lowercase());
    segments.iter().enumerate().any(|(i, s)| {
        matches!(
            *s,
            "password"
                | "passwd"
                | "passphrase"
                | "secret"
                | "token"
                | "apikey"
                | "pwd"
                | "credentials"
                | "sig"
                | "signature"
        ) || *s == "pass" && upper
            || *s == "key"
                && i > 0
                && matches!(
                    segments[i - 1],
                    "api"
                        | "access"
                        | "secret"
                        | "private"
                        | "auth"
                        | "license"
                        | "signing"
                        | "encryption"
                        | "master"
                        | "client"
                        | "app"
                )
            || s.ends_with("password")
            || s.ends_with("secret")
    })
}

/// Top-level domains that mark a token as a host name.
#[rustfmt::skip]
const TLDS: &[&str] = &[
    "com", "net", "org", "io", "dev", "app", "co", "uk", "de", "fr", "nl", "eu", "us", "ca", "au", "ru", "cn",
    "jp", "br", "es", "se", "no", "fi", "dk", "ch", "at", "be", "cz", "pt", "gr", "ie", "nz", "za", "mx",
    "ar", "cl", "kr", "tw", "hk", "sg", "my", "id", "th", "vn", "tr", "ua", "il", "ir", "sa", "ae", "info",
    "biz", "tv", "xyz", "online", "site", "tech", "cloud", "store", "shop", "blog", "page", "local",
    "internal", "lan", "corp", "home", "intranet", "localdomain", "edu", "gov", "mil", "int", "name", "pro",
    "mobi", "asia", "gg", "ly", "to", "ws", "la", "lt", "lv", "ee", "hu", "ro", "bg", "hr", "si", "sk", "li",
    "lu", "cloud", "host", "network", "systems", "services", "agency", "digital", "media", "studio", "space",
    "website", "world", "live", "news", "top", "club", "vip", "icu", "email", "ninja", "zone", "works",
    "company", "solutions", "global", "group", "team", "fm", "ly", "gl", "nu", "ph", "pk", "ng", "ke", "eg",
    "ma", "pe", "ve", "uy", "ec", "bo", "cr", "pa", "kz", "by", "az", "ge", "ge", "kg", "uz", "lk", "bd",
    "np", "mn", "cy", "mt", "is", "al", "mk", "ba", "me",
];

/// Top-level domains that are also common file extensions: host names only with 3+ labels.
#[rustfmt::skip]
const AMBIGUOUS_TLDS: &[&str] = &[
    "sh", "pl", "md", "rs", "so", "cc", "in", "ps", "am", "py", "as", "do", "it", "ai", "ms", "ml", "pm",
    "cs", "st", "sc", "tf", "ts",
];

/// File extensions stripped before looking for a host name (`example.com.conf`).
#[rustfmt::skip]
const FILE_EXTENSIONS: &[&str] = &[
    "conf", "log", "sock", "pem", "crt", "key", "csr", "json", "yaml", "yml", "txt", "html", "php", "gz",
    "access", "error", "cfg", "ini", "vhost",
];

/// Names kept as they are: documentation names and public sites of the software concerned.
#[rustfmt::skip]
const KEEP_SUFFIXES: &[&str] = &[
    "example.com", "example.net", "example.org", "example", "invalid", "test", "localhost", "localdomain",
    "cluster.local", "in-addr.arpa", "nginx.org", "nginx.com", "php.net", "github.com",
    "githubusercontent.com", "kubernetes.io", "k8s.io", "docker.com", "docker.io", "cloudflare.com",
    "letsencrypt.org", "debian.org", "ubuntu.com", "fedoraproject.org", "redhat.com", "alpinelinux.org",
    "python.org", "nodejs.org", "npmjs.org", "mozilla.org", "w3.org", "schema.org", "freedesktop.org",
    "systemd.io",
];

/// Second-level labels under a country code (`co.uk`, `com.au`).
#[rustfmt::skip]
const SECOND_LEVEL: &[&str] = &[
    "co", "com", "org", "net", "ac", "gov", "edu", "ne", "or",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Redacted {
        redact(&[Paste::new("paste-1", text)], &Options::default())
    }

    fn text(text: &str) -> String {
        one(text).pastes[0].text.to_string()
    }

    #[test]
    fn masks_addresses_consistently_and_keeps_loopback() {
        let r = one(
            "connect() to 198.18.7.9:8080 failed, client: 81.2.69.160, upstream: \"http://198.18.7.9:8080/\"\nproxy_pass http://127.0.0.1:3000; listen 0.0.0.0:80;",
        );
        let t = &r.pastes[0].text;
        assert!(t.contains("192.0.2.1:8080 failed"), "{t}");
        assert!(t.contains("client: 192.0.2.2,"), "{t}");
        assert!(
            t.contains("http://192.0.2.1:8080/"),
            "the same address, the same stand-in: {t}"
        );
        assert!(t.contains("127.0.0.1:3000") && t.contains("0.0.0.0:80"), "{t}");
        let a = r.masks.iter().find(|m| m.original == "198.18.7.9").unwrap();
        assert_eq!((a.what, a.count, a.line), (What::Address, 2, 1));
    }

    #[test]
    fn private_addresses_stay_in_their_network() {
        let t = text("upstream 172.17.0.3:9000 and 10.20.30.40 and 192.168.1.20");
        assert!(t.contains("172.17.0.1:9000"), "{t}");
        assert!(t.contains("10.20.0.1 "), "{t}");
        assert!(t.contains("192.168.0.1"), "{t}");
    }

    #[test]
    fn masks_ipv6_but_not_times_or_loopback() {
        let t = text("2026/11/21 10:00:00 connect() to [2a01:4f8:c0c:1234::1]:80 and [::1]:80 at 12:34:56");
        assert!(t.contains("[2001:db8::1]:80"), "{t}");
        assert!(
            t.contains("[::1]:80") && t.contains("10:00:00") && t.contains("12:34:56"),
            "{t}"
        );
    }

    #[test]
    fn masks_host_names_keeping_subdomains_and_file_extensions() {
        let t = text(
            "server_name shop.acme-corp.com www.shop.acme-corp.com;\ninclude /etc/nginx/sites-enabled/acme-corp.com.conf;\nhost: \"api.acme-corp.com\"",
        );
        assert!(
            t.contains("server_name shop.site1.example www.shop.site1.example;"),
            "{t}"
        );
        assert!(t.contains("sites-enabled/site1.example.conf;"), "{t}");
        assert!(t.contains("\"api.site1.example\""), "{t}");
    }

    #[test]
    fn leaves_files_versions_documentation_names_and_directives_alone() {
        let input = "fastcgi_pass unix:/run/php/php8.3-fpm.sock; include fastcgi_params; root /var/www/html/index.php;\nnginx version: nginx/1.24.0\nserver_name example.com; error_log /var/log/nginx/error.log; deploy.sh main.rs README.md\nsee https://nginx.org/en/docs/ and app.py, upstream.keepalive, localhost";
        assert_eq!(text(input), input);
    }

    #[test]
    fn masks_emails_and_prompt_hosts() {
        let t = text("root@web01:~# systemctl status nginx\nssl contact: admin@acme-corp.com\n");
        assert!(t.starts_with("root@host1:~#"), "{t}");
        assert!(t.contains("user1@example.com"), "{t}");
    }

    #[test]
    fn masks_secrets_in_configs_urls_and_headers() {
        let t = text(concat!(
            "fastcgi_param DB_PASSWORD s3cr3t-Value;\n",
            "env[APP_SECRET] = 'abc123xyz'\n",
            "  MYSQL_ROOT_PASSWORD: hunter22\n",
            "      - POSTGRES_PASSWORD=pg-pass-1\n",
            "{\"api_key\": \"k-123456\", \"user\": \"bob\"}\n",
            "proxy_pass http://admin:letmein@10.0.0.5:8080/;\n",
            "proxy_set_header Authorization \"Basic YWRtaW46bGV0bWVpbg==\";\n",
            "Authorization: Bearer abcdefghijklmnop\n",
            "GET /export?id=7&token=tok_9f8e7d6c&x=1 HTTP/1.1\n",
            "secure_link_secret my-link-secret;\n",
        ));
        for secret in [
            "s3cr3t-Value",
            "abc123xyz",
            "hunter22",
            "pg-pass-1",
            "k-123456",
            "letmein",
            "YWRtaW46bGV0bWVpbg==",
            "abcdefghijklmnop",
            "tok_9f8e7d6c",
            "my-link-secret",
        ] {
            assert!(!t.contains(secret), "{secret} leaked: {t}");
        }
        assert!(t.contains("fastcgi_param DB_PASSWORD REDACTED;"), "{t}");
        assert!(t.contains("\"user\": \"bob\""), "{t}");
        assert!(t.contains("http://admin:REDACTED@10.0.0.1:8080/"), "{t}");
    }

    #[test]
    fn does_not_take_directives_or_variables_for_secrets() {
        let input = "proxy_pass http://backend; fastcgi_pass 127.0.0.1:9000;\nserver_tokens off;\nssl_certificate_key /etc/ssl/private/site.key;\nfastcgi_param HTTP_AUTHORIZATION $http_authorization;\nauth_basic_user_file /etc/nginx/.htpasswd;\nFATAL:  password authentication failed for user \"app\"";
        assert_eq!(text(input), input);
    }

    #[test]
    fn private_keys_are_always_removed() {
        let key = "ssl_certificate_key inline:\n-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nAKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----\nlisten 443 ssl;\n";
        let options = Options {
            addresses: false,
            hosts: false,
            emails: false,
            secrets: false,
            keep: vec!["private key".into()],
        };
        let r = redact(&[Paste::new("paste-1", key)], &options);
        let t = &r.pastes[0].text;
        assert!(!t.contains("MIIEv") && !t.contains("AKcw"), "{t}");
        assert_eq!(
            t,
            "ssl_certificate_key inline:\n[private key removed]\nlisten 443 ssl;\n"
        );
        assert_eq!(r.private_keys, vec![(0, 2)]);
        // A key cut off before its END line is removed to the end.
        let r = one("-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n");
        assert_eq!(r.pastes[0].text, "[private key removed]");
    }

    #[test]
    fn kept_items_and_disabled_kinds_are_listed_but_left() {
        let options = Options {
            hosts: false,
            keep: vec!["81.2.69.160".into()],
            ..Options::default()
        };
        let r = redact(
            &[Paste::new(
                "p",
                "client: 81.2.69.160, host: \"shop.acme-corp.com\", to 81.2.69.161",
            )],
            &options,
        );
        assert_eq!(
            r.pastes[0].text,
            "client: 81.2.69.160, host: \"shop.acme-corp.com\", to 192.0.2.2"
        );
        assert!(r.masks.iter().filter(|m| m.kept).count() == 2, "{:?}", r.masks);
    }

    #[test]
    fn piece_kind_offsets_follow_the_text() {
        let text = "client: 81.2.69.160\n\nserver { listen 80; }\n";
        let start = text.find("server").unwrap();
        let p = Paste::new("p", text).with_piece_kind(start, crate::Kind::NginxConfig);
        let r = redact(&[p], &Options::default());
        let t = &r.pastes[0].text;
        assert_eq!(&t[r.pastes[0].piece_kinds[0].0..], "server { listen 80; }\n");
    }

    #[test]
    fn linear_on_big_input_and_never_panics_on_odd_bytes() {
        let line = "2026/11/21 10:00:00 [error] 1#1: *1 connect() failed (111: Connection refused), client: 81.2.69.160, server: shop.acme-corp.com, request: \"GET /?token=abc12345 HTTP/1.1\", upstream: \"http://10.0.0.7:3000/\"\n";
        let big = line.repeat(20_000);
        let r = one(&big);
        assert_eq!(r.masks.iter().find(|m| m.what == What::Address).unwrap().count, 20_000);
        for odd in [
            "é@ü.com",
            "::",
            ":::",
            "a@",
            "@b",
            "-----BEGIN ",
            "x://@",
            "key=",
            "é:é:é",
            "1.2.3.4.5",
            "[::1",
            "\u{0}",
        ] {
            let _ = one(odd);
        }
    }
}

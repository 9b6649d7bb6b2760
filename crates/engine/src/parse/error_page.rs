//! HTTP error pages: the HTML (read as text only, never rendered), the text a browser shows, or
//! just the page title, and who made the page: nginx (`<hr><center>nginx/1.24.0</center>`),
//! Cloudflare (`example.com | 502: Bad gateway`, `Ray ID`, `cf-error-details`), AWS ELB (nginx's
//! shape without a signature), Google's load balancer, Azure Application Gateway, envoy
//! (`upstream connect error or disconnect/reset before headers`), HAProxy (`No server is
//! available to handle this request.`), Apache (`Proxy Error`, `<address>Apache/...`), IIS,
//! Varnish, and ingress-nginx's `default backend - 404`.
//!
//! One [`ErrorPageInfo`] per HTML document (span = its first to last line) or per title line
//! (a following signature line such as `nginx/1.18.0 (Ubuntu)` joins it).

use crate::facts::{ErrorPageInfo, Fact, FactAt};
use crate::kind::Kind;
use crate::parse::registry::{KindSpec, share_of_lines};
use crate::parse::{ParseContext, Parsed};
use crate::span::{Span, lines};

/// How error pages are recognised and parsed.
pub const SPEC: KindSpec = KindSpec {
    kind: Kind::ErrorPage,
    embeds: &[],
    command: |_, _| false,
    file: |path| {
        let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
        name.ends_with(".html") || name.ends_with(".htm")
    },
    line: Some(|l| is_tag_line(l) || known_phrase(l).is_some()),
    block,
    parse,
};

/// Phrases that name the producer of a page, in order of precedence.
const PHRASES: &[(&str, &str)] = &[
    ("cf-error-details", "cloudflare"),
    ("cloudflare ray id", "cloudflare"),
    ("performance & security by cloudflare", "cloudflare"),
    ("ray id:", "cloudflare"),
    ("upstream connect error or disconnect/reset before headers", "envoy"),
    ("no healthy upstream", "envoy"),
    ("no server is available to handle this request", "haproxy"),
    ("the server returned an invalid or incomplete response", "haproxy"),
    ("the server didn't respond in time", "haproxy"),
    (
        "the proxy server received an invalid response from an upstream server",
        "apache",
    ),
    ("the proxy server could not handle the request", "apache"),
    (
        "the server encountered a temporary error and could not complete your request",
        "google-lb",
    ),
    (
        "web server received an invalid response while acting as a gateway or proxy server",
        "iis",
    ),
    ("guru meditation", "varnish"),
    ("varnish cache server", "varnish"),
    ("default backend - 404", "ingress-default-backend"),
];

/// Reason phrases of error statuses, lower case.
const REASONS: &[&str] = &[
    "bad gateway",
    "service unavailable",
    "gateway time-out",
    "gateway timeout",
    "internal server error",
    "server error",
    "proxy error",
    "not found",
    "forbidden",
    "web server is down",
    "connection timed out",
    "origin is unreachable",
    "a timeout occurred",
    "ssl handshake failed",
    "invalid ssl certificate",
    "unknown error",
    "too many requests",
];

/// The producer a line's phrase names.
fn known_phrase(text: &str) -> Option<&'static str> {
    /// Each phrase's rarest byte, looked for first.
    const ANCHORS: [usize; PHRASES.len()] = {
        let mut anchors = [0; PHRASES.len()];
        let mut i = 0;
        while i < PHRASES.len() {
            anchors[i] = crate::span::anchor(PHRASES[i].0.as_bytes());
            i += 1;
        }
        anchors
    };
    PHRASES
        .iter()
        .zip(ANCHORS)
        .find(|((p, _), k)| crate::span::contains_ignore_ascii_case_at(text, p, *k))
        .map(|((_, who), _)| *who)
}

/// Elements an error page is made of.
const HTML_TAGS: &[&str] = &[
    "html", "head", "body", "title", "meta", "link", "style", "script", "center", "h1", "h2", "h3", "hr", "p", "div",
    "span", "a", "br", "pre", "b", "i", "strong", "em", "table", "tr", "td", "th", "ul", "li", "img", "svg", "main",
    "header", "footer", "section", "noscript", "button", "form", "small", "code", "address",
];

/// A line holding an HTML tag (`<html>`, `</body>`, `<!DOCTYPE html>`, `<!-- a padding -->`).
fn is_tag_line(text: &str) -> bool {
    let t = text.trim_start();
    let Some(rest) = t.strip_prefix('<') else {
        return false;
    };
    if rest.starts_with("!DOCTYPE") || rest.starts_with("!doctype") || rest.starts_with("!--") {
        return t.contains('>');
    }
    // A real HTML element, not any `<word>` (kubectl prints `<none>`, `<unset>`).
    let name: String = rest
        .trim_start_matches('/')
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    let after = rest.trim_start_matches('/').get(name.len()..).unwrap_or("");
    HTML_TAGS.contains(&name.to_ascii_lowercase().as_str())
        && (after.starts_with('>') || after.starts_with(' ') || after.starts_with("/>"))
}

/// A browser title or heading: `502 Bad Gateway`, `example.com | 502: Bad gateway`,
/// `Error 502 (Server Error)`. Not curl's `HTTP/1.1 502 Bad Gateway`.
fn is_title_line(text: &str) -> bool {
    let t = text.trim();
    if t.starts_with("HTTP/") || t.starts_with("< HTTP/") || t.len() > 100 {
        return false;
    }
    let lower = t.to_ascii_lowercase();
    status_in(t).is_some() && REASONS.iter().any(|r| lower.contains(r))
}

/// A server signature line: `nginx/1.18.0 (Ubuntu)`, `nginx`, `openresty/1.21.4.1`, `cloudflare`.
fn signature(text: &str) -> Option<(&'static str, Option<String>)> {
    let t = text.trim();
    let token = t.split_whitespace().next()?;
    let (name, version) = match token.split_once('/') {
        Some((n, v)) => (n, Some(token.to_string()).filter(|_| !v.is_empty())),
        None => (token, None),
    };
    let producer = match name.to_ascii_lowercase().as_str() {
        "nginx" => "nginx",
        "openresty" => "openresty",
        "cloudflare" | "cloudflare-nginx" => "cloudflare",
        "microsoft-azure-application-gateway" => "azure-app-gateway",
        "awselb" => "aws-elb",
        "envoy" => "envoy",
        "haproxy" => "haproxy",
        "apache" => "apache",
        "traefik" => "traefik",
        "varnish" => "varnish",
        _ => return None,
    };
    // `nginx/1.18.0 (Ubuntu)` or `nginx`: nothing else on the line but a distribution note.
    let rest = t[token.len()..].trim();
    (rest.is_empty() || rest.starts_with('(')).then(|| {
        let version = match producer {
            "azure-app-gateway" => token.split_once('/').map(|(_, v)| v.to_string()),
            _ => version,
        };
        (producer, version)
    })
}

/// The first standalone status number 100–599 in `text`.
fn status_in(text: &str) -> Option<u16> {
    let b = text.as_bytes();
    let mut i = 0;
    while i + 3 <= b.len() {
        let digits = b[i..i + 3].iter().all(u8::is_ascii_digit);
        let before_ok = i == 0 || !b[i - 1].is_ascii_alphanumeric() && b[i - 1] != b'.' && b[i - 1] != b'/';
        let after_ok = b
            .get(i + 3)
            .is_none_or(|c| !c.is_ascii_alphanumeric() && *c != b'.' && *c != b'/');
        if digits && before_ok && after_ok {
            let n: u16 = text.get(i..i + 3)?.parse().ok()?;
            if (100..600).contains(&n) {
                return Some(n);
            }
        }
        i += 1;
    }
    None
}

/// The text of a page with its tags removed (one space per tag), and the text inside given
/// tags (`title`, `h1`, `center` after `<hr>`, `address`).
struct PageText {
    text: String,
    title: Option<String>,
    h1: Option<String>,
    signature: Option<String>,
    address: Option<String>,
}

fn read_html(html: &str) -> PageText {
    let lower = html.to_ascii_lowercase();
    let inside = |open: &str, close: &str, from: usize| -> Option<String> {
        let start = lower.get(from..)?.find(open)? + from + open.len();
        let end = lower.get(start..)?.find(close)? + start;
        Some(strip_tags(html.get(start..end)?).trim().to_string())
    };
    let title = inside("<title>", "</title>", 0);
    let h1 = inside("<h1", "</h1>", 0).map(|h| {
        h.trim_start_matches(|c| c != '>')
            .trim_start_matches('>')
            .trim()
            .to_string()
    });
    let signature = lower.find("<hr").and_then(|hr| inside("<center>", "</center>", hr));
    let address = inside("<address>", "</address>", 0);
    PageText {
        text: strip_tags(html),
        title,
        h1,
        signature,
        address,
    }
}

/// Tags removed, each replaced by a space; no entity is interpreted beyond `&nbsp;`/`&amp;`.
fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match (in_tag, c) {
            (false, '<') => in_tag = true,
            (true, '>') => {
                in_tag = false;
                out.push(' ');
            }
            (false, c) => out.push(c),
            (true, _) => {}
        }
    }
    out.replace("&nbsp;", " ").replace("&amp;", "&")
}

/// Who made an HTML page, its status and version.
fn page_info(html: &str) -> ErrorPageInfo {
    let page = read_html(html);
    let lower_text = page.text.to_ascii_lowercase();
    let lower_html = html.to_ascii_lowercase();
    let status = page
        .title
        .as_deref()
        .and_then(status_in)
        .or_else(|| page.h1.as_deref().and_then(status_in))
        .or_else(|| page.text.lines().filter(|l| is_title_line(l)).find_map(status_in))
        .or_else(|| lower_text.split_once("error code").and_then(|(_, r)| status_in(r)));
    let mut info = ErrorPageInfo {
        status,
        producer: "unknown".into(),
        version: None,
        detail: None,
    };
    if let Some((producer, version)) = page.signature.as_deref().and_then(signature) {
        info.producer = producer.into();
        info.version = version;
        return info;
    }
    if let Some(address) = &page.address
        && let Some(version) = address.split_whitespace().next().filter(|v| v.starts_with("Apache"))
    {
        info.producer = "apache".into();
        info.version = Some(version.to_string()).filter(|v| v.contains('/'));
        return info;
    }
    if let Some(who) = PHRASES
        .iter()
        .find(|(p, _)| lower_text.contains(p) || lower_html.contains(p))
        .map(|(_, w)| *w)
    {
        info.producer = who.into();
        return info;
    }
    if lower_html.contains("cloudflare") {
        info.producer = "cloudflare".into();
        return info;
    }
    // nginx's page shape (`<center><h1>502 Bad Gateway</h1></center>`) with no signature under
    // it: AWS's load balancers send exactly that.
    if lower_html.contains("<center><h1>") && page.signature.is_none() {
        info.producer = "aws-elb".into();
    }
    info
}

/// Block score: HTML with an error title or a known phrase; or title / signature lines.
fn block(lines: &[&str]) -> f32 {
    let html = lines.iter().any(|l| is_tag_line(l));
    if html {
        let joined = lines.join("\n");
        let info = page_info(&joined);
        return if info.status.is_some() || info.producer != "unknown" {
            0.95
        } else {
            0.5
        };
    }
    share_of_lines(lines, |l| {
        is_title_line(l) || known_phrase(l).is_some() || signature(l).is_some() || is_page_text(l)
    })
}

/// Visible text of the pages this module knows that says nothing on its own.
fn is_page_text(text: &str) -> bool {
    let lower = text.trim().to_ascii_lowercase();
    lower.starts_with("error code ")
        || lower.starts_with("please try again")
        || lower.starts_with("what happened?")
        || lower.starts_with("what can i do?")
        || lower.starts_with("reason: ")
        || lower.starts_with("error reading from remote server")
        || lower.starts_with("the server encountered a temporary error")
}

/// Parses an error page piece.
pub fn parse(cx: &ParseContext<'_>) -> Parsed {
    let mut out = Parsed::default();
    let all: Vec<_> = lines(cx.text, cx.base).collect();
    let mut i = 0;
    // A title and the text under it form one page only when no blank line separates them.
    let mut adjacent = false;
    while i < all.len() {
        let line = all[i];
        if line.text.trim().is_empty() {
            adjacent = false;
            i += 1;
            continue;
        }
        let was_adjacent = std::mem::replace(&mut adjacent, true);
        if is_tag_line(line.text) {
            // One document: up to the line with `</html>`, else to the last tag line.
            let end = (i..all.len())
                .find(|&j| ends_document(all[j].text))
                .or_else(|| (i..all.len()).rev().find(|&j| is_tag_line(all[j].text)))
                .unwrap_or(i);
            // nginx pads its page for MSIE and Chrome with comments after `</html>`.
            let mut end = end;
            while all
                .get(end + 1)
                .is_some_and(|l| l.text.trim_start().starts_with("<!--"))
            {
                end += 1;
            }
            let span = Span::new(line.span.start, all[end].span.end);
            let html = cx.text.get(span.start - cx.base..span.end - cx.base).unwrap_or("");
            out.facts.push(FactAt {
                span,
                fact: Fact::ErrorPage(Box::new(page_info(html))),
            });
            i = end + 1;
            continue;
        }
        let t = line.text.trim();
        if let Some((producer, version)) = signature(t) {
            // A signature under a title joins it; alone it names the producer.
            match out.facts.last_mut() {
                Some(FactAt {
                    span,
                    fact: Fact::ErrorPage(info),
                }) if info.producer == "unknown" => {
                    *span = span.join(line.span);
                    info.producer = producer.into();
                    info.version = version;
                }
                _ => out.facts.push(FactAt {
                    span: line.span,
                    fact: Fact::ErrorPage(Box::new(ErrorPageInfo {
                        status: None,
                        producer: producer.into(),
                        version,
                        detail: None,
                    })),
                }),
            }
        } else if is_title_line(t) || known_phrase(t).is_some() {
            let producer = known_phrase(t)
                .or_else(|| t.contains(" | ").then_some("cloudflare").filter(|_| t.contains(": ")))
                .unwrap_or("unknown");
            // A number counts as the status only on a title line (envoy's text ends in an errno).
            let status = is_title_line(t)
                .then(|| status_in(t))
                .flatten()
                .or((producer == "ingress-default-backend").then_some(404));
            // Text lines of the same page (envoy's message under a title) join the fact.
            match out.facts.last_mut() {
                Some(FactAt {
                    span,
                    fact: Fact::ErrorPage(info),
                }) if was_adjacent && is_follow_up(info, producer, status) => {
                    *span = span.join(line.span);
                    if info.producer == "unknown" {
                        info.producer = producer.into();
                    }
                    info.status = info.status.or(status);
                }
                _ => out.facts.push(FactAt {
                    span: line.span,
                    fact: Fact::ErrorPage(Box::new(ErrorPageInfo {
                        status,
                        producer: producer.into(),
                        version: None,
                        detail: None,
                    })),
                }),
            }
        } else if is_page_text(t) {
            if let Some(FactAt { span, .. }) = out.facts.last_mut() {
                *span = span.join(line.span);
            }
        } else {
            out.unread.push(line.span);
        }
        i += 1;
    }
    out
}

/// A line that completes the previous page fact rather than starting a new one.
fn is_follow_up(previous: &ErrorPageInfo, producer: &str, status: Option<u16>) -> bool {
    (previous.producer == "unknown" || producer == "unknown" || previous.producer == producer)
        && (status.is_none() || previous.status.is_none() || previous.status == status)
}

/// A line that closes an HTML document.
fn ends_document(text: &str) -> bool {
    text.to_ascii_lowercase().contains("</html>")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::test_support::facts_and_unread_count;

    fn pages(text: &str) -> (Vec<ErrorPageInfo>, usize) {
        facts_and_unread_count(parse, text)
    }

    fn one(text: &str) -> ErrorPageInfo {
        let (mut p, _) = pages(text);
        assert_eq!(p.len(), 1, "{p:?}");
        p.remove(0)
    }

    #[test]
    fn names_the_producer() {
        let nginx = one(
            "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.24.0</center>\r\n</body>\r\n</html>\r\n<!-- a padding to disable MSIE and Chrome friendly error page -->\r\n",
        );
        assert_eq!(
            (nginx.status, nginx.producer.as_str(), nginx.version.as_deref()),
            (Some(502), "nginx", Some("nginx/1.24.0"))
        );
        let elb = one(
            "<html>\n<head><title>502 Bad Gateway</title></head>\n<body>\n<center><h1>502 Bad Gateway</h1></center>\n</body>\n</html>",
        );
        assert_eq!((elb.status, elb.producer.as_str()), (Some(502), "aws-elb"));
        let haproxy = one(
            "<html><body><h1>503 Service Unavailable</h1>\nNo server is available to handle this request.\n</body></html>",
        );
        assert_eq!((haproxy.status, haproxy.producer.as_str()), (Some(503), "haproxy"));
        let google = one(
            "<html><head>\n<meta http-equiv=\"content-type\" content=\"text/html;charset=utf-8\">\n<title>502 Server Error</title>\n</head>\n<body text=#000000 bgcolor=#ffffff>\n<h1>Error: Server Error</h1>\n<h2>The server encountered a temporary error and could not complete your request.<p>Please try again in 30 seconds.</h2>\n<h2></h2>\n</body></html>",
        );
        assert_eq!((google.status, google.producer.as_str()), (Some(502), "google-lb"));
        let apache = one(
            "<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head>\n<title>502 Proxy Error</title>\n</head><body>\n<h1>Proxy Error</h1>\n<p>The proxy server received an invalid\nresponse from an upstream server.<br />\n</p>\n<hr>\n<address>Apache/2.4.41 (Ubuntu) Server at example.com Port 443</address>\n</body></html>",
        );
        assert_eq!(
            (apache.status, apache.producer.as_str(), apache.version.as_deref()),
            (Some(502), "apache", Some("Apache/2.4.41"))
        );
        let cf = one("www.example.com | 502: Bad gateway");
        assert_eq!((cf.status, cf.producer.as_str()), (Some(502), "cloudflare"));
    }

    #[test]
    fn reads_visible_text_and_titles() {
        let (p, unread) = pages("502 Bad Gateway\n\nnginx/1.18.0 (Ubuntu)\n");
        assert_eq!(unread, 0);
        assert_eq!(p.len(), 1);
        assert_eq!(
            (p[0].status, p[0].producer.as_str(), p[0].version.as_deref()),
            (Some(502), "nginx", Some("nginx/1.18.0"))
        );
        let envoy = one("upstream connect error or disconnect/reset before headers. reset reason: connection failure");
        assert_eq!((envoy.status, envoy.producer.as_str()), (None, "envoy"));
        let backend = one("default backend - 404");
        assert_eq!(
            (backend.status, backend.producer.as_str()),
            (Some(404), "ingress-default-backend")
        );
        assert!(!is_title_line("HTTP/1.1 502 Bad Gateway"));
        assert_eq!(status_in("v1.502.3 x5025 502"), Some(502));
        let (_, unread) = pages("I see this page\n<");
        assert_eq!(unread, 2);
    }
}

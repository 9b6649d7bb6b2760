//! nginx configuration: a whole `nginx.conf`, a site file, a pasted fragment, or one file of an
//! `nginx -T` dump, read into a syntax tree ([`ConfigFile`]) and into facts (upstream targets,
//! upstream groups, server blocks, includes, log formats, the directives a diagnosis reads, and
//! the syntax problems found).
//!
//! - `lexer` and [`parser`]: the full grammar, leniently (missing `;`, unclosed `}` or quotes,
//!   regex braces, opaque Lua blocks), iteratively and in linear time.
//! - [`extract`]: facts from a tree with each directive's context, for one file or a joined set.
//! - [`includes`]: joining several pasted files along their `include`s, for the model.

pub mod ast;
pub mod extract;
pub mod includes;
mod lexer;
pub(crate) mod names;
pub mod parser;

pub use ast::{ConfigFile, Directive};
pub use extract::{ConfigNode, PassTarget, facts_of_file, facts_of_joined, parse_pass, push_facts_of_file};
pub use includes::{IncludeIssue, IncludeProblem, JoinedConfig, JoinedDirective, join};
pub use names::{closest_directive, is_known_directive};

use crate::facts::{ConfigProblem, Fact, FactAt};
use crate::kind::Kind;
use crate::parse::registry::{KindSpec, no_command};
use crate::parse::{ParseContext, Parsed};
use crate::span::{Span, lines};

/// How nginx configuration is recognised and parsed.
pub const SPEC: KindSpec = KindSpec {
    kind: Kind::NginxConfig,
    embeds: &[],
    command: no_command,
    file: is_config_file,
    line: Some(is_strong_config_line),
    block: block_score,
    parse,
};

/// Parses a configuration piece: its facts and problems (read from its tree, see [`tree`]), and
/// the lines that are not configuration.
pub fn parse(cx: &ParseContext<'_>) -> Parsed {
    let grep_paths = grep_paths(cx.text);
    let out = parse_tree(cx, grep_paths.as_deref());
    let mut facts = Vec::with_capacity(extract::fact_bound(&out.config.directives) + out.problems.len());
    // The walk consumes the tree: the tree and the facts are not held in full together.
    push_facts_of_file(out.config, &mut facts);
    if let Some(paths) = &grep_paths {
        for fact in &mut facts {
            let offset = fact.span.start.saturating_sub(cx.base);
            let line = paths.partition_point(|p| p.line_start <= offset);
            if let Some(prefix) = line.checked_sub(1).and_then(|i| paths.get(i)) {
                set_file(&mut fact.fact, prefix.path);
            }
        }
    }
    facts.extend(out.problems.into_iter().map(|(span, message)| FactAt {
        span,
        fact: Fact::ConfigProblem(ConfigProblem { message }),
    }));
    // The walk gives the facts in document order: only problems need sorting into place (and a
    // sort allocates).
    if !facts.is_sorted_by_key(|f| f.span.start) {
        crate::sort::by_key(&mut facts, |f| f.span.start);
    }
    Parsed {
        facts,
        unread: unread_lines(cx, &out.unread),
    }
}

/// The syntax tree of a configuration piece (what [`parse`] reads its facts from), with its
/// problems and the spans of text that is not configuration. `grep` prefixes and diff markers
/// are read as blanks, so spans still point into the paste.
pub fn tree(cx: &ParseContext<'_>) -> parser::ParseOutput {
    parse_tree(cx, grep_paths(cx.text).as_deref())
}

/// [`tree`], with the piece's grep prefixes when it is `grep` output.
fn parse_tree(cx: &ParseContext<'_>, grep_paths: Option<&[GrepPrefix<'_>]>) -> parser::ParseOutput {
    // `grep -H`/`grep -rn` output: read the lines with their `PATH:` prefixes blanked out (so
    // spans still point into the paste); `parse` gives each fact the path of its line.
    let masked;
    let text = match grep_paths {
        Some(paths) => {
            masked = mask_prefixes(cx.text, paths);
            masked.as_str()
        }
        // A unified diff of a configuration: both sides are read as configuration (what was
        // removed may be what broke it, what was added may be what breaks it now).
        None if is_diff(cx.text) => {
            masked = mask_diff(cx.text);
            masked.as_str()
        }
        None => cx.text,
    };
    parser::parse_config(text, cx.base, cx.file)
}

/// A `PATH:` or `PATH:LINE:` prefix grep put before a line.
struct GrepPrefix<'a> {
    /// Piece-relative offset of the line.
    line_start: usize,
    /// Length of the prefix in bytes.
    len: usize,
    /// The file path.
    path: &'a str,
}

/// The length of a grep prefix and the path, when `line` has one: `PATH:`, `PATH:LINE:`, or the
/// `PATH-LINE-` of a context line (`grep -n -A1`). The path must look like one (a `/` or a
/// `.conf` name, no spaces).
fn grep_prefix(line: &str) -> Option<(usize, &str)> {
    let is_path =
        |p: &str| !p.is_empty() && !p.contains(char::is_whitespace) && (p.contains('/') || p.ends_with(".conf"));
    if let Some(colon) = line.find(':')
        && is_path(&line[..colon])
    {
        let rest = &line[colon + 1..];
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        let len = if digits > 0 && rest.as_bytes().get(digits) == Some(&b':') {
            colon + digits + 2
        } else {
            colon + 1
        };
        return Some((len, &line[..colon]));
    }
    // A context line: `PATH-LINE-`.
    let token_end = line.find(char::is_whitespace).unwrap_or(line.len());
    let token = &line[..token_end];
    let mut search = 0;
    while let Some(i) = token[search..].find('-').map(|i| i + search) {
        let digits = token[i + 1..].bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && token.as_bytes().get(i + 1 + digits) == Some(&b'-') && is_path(&token[..i]) {
            return Some((i + digits + 2, &token[..i]));
        }
        search = i + 1;
    }
    None
}

/// The grep prefixes of every line, when most lines (and the first) have one.
fn grep_paths(text: &str) -> Option<Vec<GrepPrefix<'_>>> {
    let mut prefixes = Vec::new();
    let mut non_blank = 0usize;
    for line in lines(text, 0) {
        if line.text.trim().is_empty() || line.text.trim() == "--" {
            continue;
        }
        non_blank += 1;
        match grep_prefix(line.text) {
            Some((len, path)) => prefixes.push(GrepPrefix {
                line_start: line.span.start,
                len,
                path,
            }),
            None if prefixes.is_empty() => return None,
            None => {}
        }
    }
    (!prefixes.is_empty() && prefixes.len() * 2 > non_blank).then_some(prefixes)
}

/// `text` with the grep prefixes (and `--` group separators) replaced by spaces.
fn mask_prefixes(text: &str, prefixes: &[GrepPrefix<'_>]) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for prefix in prefixes {
        bytes[prefix.line_start..prefix.line_start + prefix.len].fill(b' ');
    }
    for line in lines(text, 0) {
        if line.text.trim() == "--" {
            bytes[line.span.start..line.span.end].fill(b' ');
        }
    }
    // Whole prefixes (ASCII-delimited) were replaced by ASCII: still UTF-8.
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// A diff's own lines: hunk headers, file headers, `diff --git`, `index`, `\ No newline`.
fn is_diff_header(line: &str) -> bool {
    (line.starts_with("@@ -") && line[4..].contains(" @@"))
        || line.starts_with("--- ")
        || line.starts_with("+++ ")
        || line.starts_with("diff --git ")
        || (line.starts_with("index ") && line.contains(".."))
        || line.starts_with("\\ No newline")
}

/// True when the text is a unified diff: a hunk header, or `--- `/`+++ ` file headers.
fn is_diff(text: &str) -> bool {
    let mut hunk = false;
    let mut minus = false;
    let mut plus = false;
    for line in text.lines().take(2000) {
        hunk |= line.starts_with("@@ -") && line[4..].contains(" @@");
        minus |= line.starts_with("--- ");
        plus |= line.starts_with("+++ ");
    }
    hunk || (minus && plus)
}

/// `text` with a diff's header lines blanked and the `+`/`-`/` ` column replaced by a space.
fn mask_diff(text: &str) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for line in lines(text, 0) {
        let (start, end) = (line.span.start, line.span.end);
        if is_diff_header(line.text) {
            bytes[start..end].fill(b' ');
        } else if line.text.starts_with(['+', '-']) {
            bytes[start] = b' ';
        }
    }
    // Only ASCII bytes were replaced by ASCII: still UTF-8.
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Sets the `file` of a configuration fact.
fn set_file(fact: &mut Fact, path: &str) {
    let file = match fact {
        Fact::UpstreamTarget(f) => &mut f.file,
        Fact::UpstreamGroup(f) => &mut f.file,
        Fact::ServerBlock(f) => &mut f.file,
        Fact::Include(f) => &mut f.file,
        Fact::NginxDirective(f) => &mut f.file,
        _ => return,
    };
    *file = Some(path.to_string());
}

/// The non-blank lines of the piece that the spans touch, in order.
fn unread_lines(cx: &ParseContext<'_>, spans: &[Span]) -> Vec<Span> {
    if spans.is_empty() {
        return Vec::new();
    }
    let all: Vec<Span> = lines(cx.text, cx.base)
        .filter(|l| !l.text.trim().is_empty())
        .map(|l| l.span)
        .collect();
    let mut out: Vec<Span> = Vec::new();
    for span in spans {
        let first = all.partition_point(|l| l.end < span.start);
        for line in all[first..].iter().take_while(|l| l.start <= span.end) {
            if out.last() != Some(line) {
                out.push(*line);
            }
        }
    }
    crate::sort::ascending(&mut out);
    out.dedup();
    out
}

/// File names that hold nginx configuration.
fn is_config_file(path: &str) -> bool {
    let lower = path.trim().to_ascii_lowercase();
    let parts: Vec<&str> = lower.split('/').filter(|p| !p.is_empty()).collect();
    let Some((&name, dirs)) = parts.split_last() else {
        return false;
    };
    const NOT_CONFIG: &[&str] = &[
        ".log", ".ini", ".yml", ".yaml", ".json", ".py", ".js", ".php", ".sh", ".service", ".pem", ".crt", ".key",
        ".sock", ".pid", ".txt", ".md", ".html", ".gz",
    ];
    if NOT_CONFIG.iter().any(|ext| name.ends_with(ext)) {
        return false;
    }
    const OTHER_DIRS: &[&str] = &[
        "systemd",
        "supervisor",
        "httpd",
        "apache",
        "php",
        "fpm",
        "mysql",
        "redis",
        "haproxy",
        "caddy",
        "traefik",
    ];
    if dirs
        .iter()
        .any(|d| OTHER_DIRS.iter().any(|o| d.contains(o)) || d.ends_with(".service.d"))
    {
        return false;
    }
    let parent = dirs.last().copied().unwrap_or("");
    let nginx_dir = dirs
        .iter()
        .any(|d| ["nginx", "openresty", "angie", "tengine"].iter().any(|n| d.contains(n)));
    let nginx_file_name = name.ends_with(".conf")
        || name.ends_with(".types")
        || name.ends_with("_params")
        || name.ends_with(".template")
        || name.ends_with(".nginx")
        || name.ends_with(".vhost");
    let site_dir = matches!(
        parent,
        "sites-enabled" | "sites-available" | "conf.d" | "snippets" | "http.d" | "vhosts" | "vhosts.d"
    );
    if nginx_dir && (nginx_file_name || site_dir || !name.contains('.')) {
        return true;
    }
    if name.contains("nginx") && (name.ends_with(".conf") || name.ends_with(".template")) {
        return true;
    }
    if name.contains("fpm") || name == "www.conf" {
        return false;
    }
    matches!(
        name,
        "fastcgi_params" | "fastcgi.conf" | "proxy_params" | "uwsgi_params" | "scgi_params" | "mime.types" | "default"
    ) || name.ends_with(".nginx")
        || name.ends_with(".nginxconf")
        || matches!(parent, "sites-enabled" | "sites-available")
        || (parent == "conf.d" && name.ends_with(".conf"))
}

/// The part of a line before a `#` comment (a rough cut: `#` inside quotes is rare at a line end).
fn code_of(line: &str) -> &str {
    let t = line.trim();
    if t.starts_with('#') {
        return "";
    }
    match t.find(" #").or_else(|| t.find("\t#")) {
        Some(i) if !t[..i].contains(['"', '\'']) => t[..i].trim_end(),
        _ => t,
    }
}

/// A lower-case identifier: what a directive name looks like.
fn is_identifier(word: &str) -> bool {
    let mut bytes = word.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_lowercase())
        && bytes.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// Lines that on their own say "nginx configuration": `name args;` for a known directive whose
/// name has an underscore (`fastcgi_pass`, `server_name`, `worker_processes`...), `listen PORT;`,
/// or a `location ... {`, `upstream NAME {` or `server {` opening.
pub fn is_strong_config_line(line: &str) -> bool {
    let code = code_of(line);
    let mut words = code.split_whitespace();
    let Some(first) = words.next() else {
        return false;
    };
    let second = words.next();
    if let Some(body) = code.strip_suffix(';') {
        let Some(arg) = second.map(|s| s.trim_end_matches(';')) else {
            return false;
        };
        if arg.is_empty() || arg == "=" || body.trim_end() == first {
            return false;
        }
        return match first {
            "listen" => {
                arg.bytes()
                    .next()
                    .is_some_and(|b| b.is_ascii_digit() || b == b'[' || b == b'*')
                    || arg.starts_with("unix:")
                    || arg.starts_with("localhost:")
            }
            // Directive names with an underscore (`fastcgi_pass`, `server_name`,
            // `worker_processes`) are nginx's own words: nothing else pastes `name value;` with them.
            _ => first.contains('_') && is_known_directive(first),
        };
    }
    if code.ends_with('{') {
        return match first {
            "location" => second.is_some_and(|s| s != "{"),
            "upstream" => second.is_some_and(|s| s != "{" && is_upstream_name(s)) && words.next() == Some("{"),
            "server" => code == "server {" || code == "server{",
            _ => false,
        };
    }
    false
}

fn is_upstream_name(word: &str) -> bool {
    word.bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b':'))
}

/// How much a block of lines looks like nginx configuration: the share of lines shaped like
/// directives (`name args;`, `name args {`, `}`), plus the share starting with a known directive.
/// Comment-only blocks score just enough to stay with the configuration they follow.
pub fn block_score(lines: &[&str]) -> f32 {
    if lines.iter().any(|l| l.starts_with("@@ -") && l[4..].contains(" @@")) {
        let stripped: Vec<&str> = lines
            .iter()
            .filter(|l| !is_diff_header(l))
            .map(|l| if l.starts_with(['+', '-']) { &l[1..] } else { l })
            .collect();
        return lines_score(&stripped);
    }
    lines_score(lines)
}

/// [`block_score`] of lines without diff markers.
fn lines_score(lines: &[&str]) -> f32 {
    let mut total = 0usize;
    let mut comments = 0usize;
    let mut credit = 0f32;
    let mut known = 0usize;
    // Inside a statement continued over lines (`log_format main '...'\n '...';`)?
    let mut continuing_known = false;
    for line in lines {
        let line = grep_prefix(line).and_then(|(len, _)| line.get(len..)).unwrap_or(line);
        let trimmed = line.trim();
        // `--` separates grep's context groups.
        if trimmed.is_empty() || trimmed == "--" {
            continue;
        }
        let code = code_of(trimmed);
        if code.is_empty() {
            if !trimmed.starts_with("#!") && !trimmed[1..].starts_with(|c: char| c.is_ascii_digit()) {
                comments += 1;
            }
            continue;
        }
        total += 1;
        let mut words = code.split_whitespace();
        let first = words.next().unwrap_or_default();
        let second = words.next().unwrap_or_default();
        let ends_statement = code.ends_with(';') || code.ends_with('{') || code.ends_with('}');
        if continuing_known {
            credit += 0.8;
            continuing_known = !ends_statement;
            continue;
        }
        let first_name = first.trim_end_matches(';');
        let directive_like = is_identifier(first_name) && second != "=" && !second.starts_with('=');
        let known_name = directive_like && is_known_directive(first_name);
        let line_credit = if code == "}" || code == "};" {
            0.5
        } else if code.ends_with(';') || code.ends_with('}') && code.contains('{') {
            if known_name {
                1.0
            } else if directive_like {
                0.6
            } else if !first.contains(['(', '=', '$']) && !first.ends_with(':') && !code.contains(" = ") {
                0.3
            } else {
                0.0
            }
        } else if code.ends_with('{') {
            if directive_like && (names::is_known_block(first_name) || known_name) {
                1.0
            } else if directive_like && !code.contains(['(', '=']) {
                0.5
            } else {
                0.0
            }
        } else {
            continuing_known = known_name && first_name == first;
            if continuing_known { 0.6 } else { 0.0 }
        };
        if known_name && line_credit > 0.0 {
            known += 1;
        }
        credit += line_credit;
    }
    if total == 0 {
        return if comments > 0 { 0.3 } else { 0.0 };
    }
    let total = total as f32;
    (0.7 * credit / total + 0.5 * known as f32 / total).min(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn score(text: &str) -> f32 {
        let lines: Vec<&str> = text.lines().collect();
        block_score(&lines)
    }

    #[test]
    fn scores_configuration_high_and_lookalikes_low() {
        let config = "user  nginx;\nworker_processes  1;\n\nevents {\n    worker_connections  1024;\n}\nhttp {\n    log_format  main  '$remote_addr - $remote_user [$time_local] \"$request\" '\n                      '$status $body_bytes_sent';\n    include /etc/nginx/conf.d/*.conf;\n}\n";
        assert!(score(config) > 0.9, "{}", score(config));
        let fragment = "location ~ \\.php$ {\n    fastcgi_pass php:9000;\n    fastcgi_index index.php;\n}";
        assert!(score(fragment) > 0.9);
        let pool = "[www]\nuser = www-data\ngroup = www-data\nlisten = /run/php/php8.2-fpm.sock\nlisten.owner = www-data\npm = dynamic\n; comment\n";
        assert!(score(pool) < 0.1, "{}", score(pool));
        let yaml = "nginx_config:                     # config\n  error_log: \"logs/error.log\"\n  worker_rlimit_nofile: 20480\n  event:\n    worker_connections: 10620\n  http:\n    keepalive_timeout: 60s\n";
        assert!(score(yaml) < 0.1, "{}", score(yaml));
        let compose = "services:\n  web:\n    image: nginx:1.25\n    ports:\n      - \"80:80\"\n    # comment\n";
        assert!(score(compose) < 0.1);
        let js = "const http = require('http');\nconst s = http.createServer((req, res) => {\n  res.end('ok');\n});\ns.listen(3000);\n";
        assert!(score(js) < 0.3, "{}", score(js));
        let json = "{\n  \"a\": {\n    \"b\": 1\n  }\n}\n";
        assert!(score(json) < 0.3, "{}", score(json));
    }

    #[test]
    fn reads_both_sides_of_a_diff() {
        let diff = "--- a/sites/app.conf\n+++ b/sites/app.conf\n@@ -18,8 +18,6 @@ server {\n   location / {\n     proxy_pass http://app;\n   }\n-  keepalive_timeout 5;\n+  keepalive_timeout 75s;\n";
        assert!(score(diff) > 0.5, "{}", score(diff));
        let parsed = parse(&ParseContext::new(diff, 0));
        let timeouts: Vec<&str> = parsed
            .facts
            .iter()
            .filter_map(|f| match &f.fact {
                Fact::NginxDirective(d) if d.name == "keepalive_timeout" => Some(d.args[0].as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(timeouts, ["5", "75s"]);
        assert!(parsed.facts.iter().any(|f| matches!(&f.fact, Fact::UpstreamTarget(_))));
    }

    #[test]
    fn strong_lines_are_unmistakable() {
        for line in [
            "fastcgi_pass             unix:/run/php/php8.2-fpm.sock;",
            "    proxy_pass http://127.0.0.1:8080; # app",
            "server_name example.com www.example.com;",
            "listen 80;",
            "listen [::]:443 ssl http2;",
            " proxy_set_header   Connection $connection_upgrade;",
            "worker_processes auto;",
            "keepalive_timeout  65;",
            "location ~ \\.php$ {",
            "upstream api_backend {",
            "server {",
        ] {
            assert!(is_strong_config_line(line), "{line}");
        }
        for line in [
            "listen = /run/php/php8.2-fpm.sock",
            "listen = 127.0.0.1:9000",
            "# proxy_pass http://x;",
            "proxy_pass:",
            "server 127.0.0.1:8000;",
            "/etc/nginx/sites-enabled/a.conf:        fastcgi_pass unix:/run/php/php7.4-fpm.sock;",
            "location / ",
            "error_log(\"x\");",
            "worker_connections are not enough",
            "return 502;",
            "2026/11/21 10:00:00 [error] 1#1: *1 connect() failed",
        ] {
            assert!(!is_strong_config_line(line), "{line}");
        }
    }

    #[test]
    fn recognises_config_file_names() {
        for path in [
            "nginx.conf",
            "/etc/nginx/nginx.conf",
            "/etc/nginx/sites-enabled/default",
            "/etc/nginx/sites-available/example.com",
            "/etc/nginx/conf.d/php-fpm.conf",
            "/etc/nginx/snippets/fastcgi-php.conf",
            "docker/nginx/default.conf",
            "conf.d/app.conf",
            "sites-enabled/shop",
            "default",
            "fastcgi_params",
            "/usr/local/openresty/nginx/conf/nginx.conf",
            "/etc/nginx/templates/default.conf.template",
        ] {
            assert!(is_config_file(path), "{path}");
        }
        for path in [
            "/var/log/nginx/error.log",
            "/etc/php/8.2/fpm/pool.d/www.conf",
            "/etc/php-fpm.d/www.conf",
            "/etc/php/8.2/fpm/conf.d/10-opcache.ini",
            "/etc/httpd/conf.d/ssl.conf",
            "/etc/apache2/sites-enabled/000-default.conf",
            "/etc/supervisor/conf.d/app.conf",
            "/etc/systemd/system/nginx.service.d/override.conf",
            "docker-compose.yml",
            "php-fpm.conf",
            "paste-1.txt",
            "/etc/resolv.conf",
        ] {
            assert!(!is_config_file(path), "{path}");
        }
    }

    #[test]
    fn parse_reports_problems_and_unread_lines_in_text_order() {
        let text = "Here is my site config\nserver {\n    listen 80\n    location / {\n        proxy_pass http://127.0.0.1:8000;\n    }\n";
        let cx = ParseContext::new(text, 10);
        let parsed = parse(&cx);
        let kinds: Vec<&str> = parsed.facts.iter().map(|f| f.fact.type_id()).collect();
        assert_eq!(
            kinds,
            [
                "server-block",
                "config-problem",
                "nginx-directive",
                "config-problem",
                "upstream-target"
            ]
        );
        let padded = format!("{}{text}", " ".repeat(10));
        assert_eq!(parsed.facts[1].span.text(&padded), "server {");
        assert_eq!(parsed.facts[3].span.text(&padded), "listen 80");
        assert_eq!(parsed.unread.len(), 1);
        assert_eq!(parsed.unread[0].text(&padded), "Here is my site config");
        assert_eq!(tree(&cx).config.directives.len(), 1);
    }

    #[test]
    fn an_nginx_t_dump_splits_parses_and_joins() {
        let text = include_str!("../../../tests/fixtures/parse/nginx-config/nginx-T-dump.txt");
        let paste = crate::Paste::new("paste-1.txt", text);
        let configs: Vec<ConfigFile> = crate::split::split(0, &paste)
            .iter()
            .filter(|piece| piece.kind == Kind::NginxConfig)
            .map(|piece| {
                let cx = ParseContext {
                    file: piece.file.as_deref(),
                    ..ParseContext::new(piece.span.text(text), piece.span.start)
                };
                tree(&cx).config
            })
            .collect();
        assert_eq!(configs.len(), 7);
        let refs: Vec<&ConfigFile> = configs.iter().collect();
        let joined = join(&refs);
        assert!(joined.problems.is_empty(), "{:?}", joined.problems);
        let roots: Vec<&str> = joined.roots.iter().map(|n| n.directive.name.as_str()).collect();
        assert_eq!(
            roots,
            [
                "user",
                "worker_processes",
                "pid",
                "error_log",
                "include",
                "events",
                "http"
            ]
        );
        let facts = facts_of_joined(joined);
        let target = facts
            .iter()
            .find_map(|(_, f)| match &f.fact {
                Fact::UpstreamTarget(t) if t.directive == "fastcgi_pass" => Some(t),
                _ => None,
            })
            .unwrap();
        assert_eq!(target.file.as_deref(), Some("/etc/nginx/conf.d/app.conf"));
        let script = facts
            .iter()
            .find_map(|(source, f)| match &f.fact {
                Fact::NginxDirective(d) if d.name == "fastcgi_param" => Some((*source, d, f.span)),
                _ => None,
            })
            .unwrap();
        assert_eq!(script.1.file.as_deref(), Some("/etc/nginx/fastcgi.conf"));
        assert_eq!(script.1.context, "http > server(app.example.com) > location(~ \\.php$)");
        assert!(script.2.text(text).starts_with("fastcgi_param  SCRIPT_FILENAME"));
        assert_eq!(script.0, 5);
    }

    #[test]
    fn arbitrary_input_never_panics_and_spans_stay_inside() {
        const PIECES: &[&str] = &[
            "{",
            "}",
            ";",
            "\"",
            "'",
            "\\",
            "#",
            "$",
            "${x}",
            "{2,3}",
            "\n",
            "\r\n",
            "\t",
            " ",
            "é",
            "…",
            "server",
            "location ~* \\.php$",
            "upstream u",
            "proxy_pass http://unix:/a:/b",
            "fastcgi_pass",
            "content_by_lua_block",
            "--[[",
            "]]",
            "[==[",
            "include ",
            "*.conf",
            "listen 80",
            "log_format",
            "escape=json",
            "nginx: [emerg] ",
            "nginx: configuration file /x test failed",
            "nginx version: nginx/",
            "configure arguments: --with-",
            "```",
            "[...]",
        ];
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..3000 {
            let mut text = String::new();
            for _ in 0..(next() % 40) {
                text.push_str(PIECES[(next() % PIECES.len() as u64) as usize]);
            }
            let base = (next() % 5) as usize;
            let padded = format!("{}{text}", "x".repeat(base));
            let cx = ParseContext::new(&text, base);
            let lines: Vec<&str> = text.lines().collect();
            for spec in [
                &SPEC,
                &crate::parse::nginx_test::SPEC,
                &crate::parse::nginx_version::SPEC,
            ] {
                let parsed = (spec.parse)(&cx);
                (spec.block)(&lines);
                lines.iter().for_each(|l| {
                    spec.line.map(|f| f(l));
                });
                for span in parsed.facts.iter().map(|f| f.span).chain(parsed.unread.iter().copied()) {
                    assert!(span.start >= base && span.end <= padded.len(), "{span:?} in {text:?}");
                    assert!(
                        padded.get(span.start..span.end).is_some(),
                        "{span:?} cuts a char in {text:?}"
                    );
                }
            }
            let config = tree(&cx).config;
            let joined = join(&[&config, &config]);
            facts_of_joined(joined);
        }
    }

    #[test]
    fn reads_grep_output_with_file_prefixes() {
        let text = "/etc/nginx/sites-enabled/old-shop.conf:        fastcgi_pass unix:/run/php/php7.4-fpm.sock;\n--\n/etc/nginx/sites-enabled/shop.conf:12:        fastcgi_pass unix:/run/php/php8.2-fpm.sock;\n/etc/nginx/sites-enabled/shop.conf-13-        fastcgi_read_timeout 300;\n";
        let parsed = parse(&ParseContext::new(text, 0));
        assert!(parsed.unread.is_empty());
        let targets: Vec<(Option<&str>, &str)> = parsed
            .facts
            .iter()
            .filter_map(|f| match &f.fact {
                Fact::UpstreamTarget(t) => Some((t.file.as_deref(), f.span.text(text))),
                _ => None,
            })
            .collect();
        assert_eq!(
            targets,
            [
                (
                    Some("/etc/nginx/sites-enabled/old-shop.conf"),
                    "fastcgi_pass unix:/run/php/php7.4-fpm.sock;"
                ),
                (
                    Some("/etc/nginx/sites-enabled/shop.conf"),
                    "fastcgi_pass unix:/run/php/php8.2-fpm.sock;"
                )
            ]
        );
        let lines: Vec<&str> = text.lines().collect();
        assert!(block_score(&lines) > 0.9);
        let timeout = &parsed.facts[2].fact;
        assert!(
            matches!(timeout, Fact::NginxDirective(d) if d.file.as_deref() == Some("/etc/nginx/sites-enabled/shop.conf")),
            "{timeout:?}"
        );
        assert_eq!(
            grep_prefix("/etc/nginx/conf.d/10-app.conf-7-x"),
            Some((32, "/etc/nginx/conf.d/10-app.conf"))
        );
        assert!(grep_paths("server {\n  listen 80;\n}\n").is_none());
        assert!(grep_paths("proxy_pass http://unix:/a.sock:/;\n").is_none());
    }

    #[test]
    fn a_ten_megabyte_config_parses() {
        let mut text = String::with_capacity(10 << 20);
        text.push_str("http {\n");
        let mut i = 0;
        while text.len() < 5 << 20 {
            text.push_str(&format!(
                "  server {{ listen {}; server_name s{i}.example.com; location / {{ proxy_pass http://10.0.{}.{}:8080; }} }}\n",
                8000 + i % 1000,
                i % 250,
                i % 200
            ));
            i += 1;
        }
        text.push_str("}\n");
        // And one 5 MB line.
        text.push_str("map $a $b {");
        while text.len() < 10 << 20 {
            text.push_str(" k v;");
        }
        text.push('}');
        let parsed = parse(&ParseContext::new(&text, 0));
        assert!(
            parsed.facts.len() >= 3 * i,
            "{} facts for {i} servers",
            parsed.facts.len()
        );
        assert!(parsed.unread.is_empty());
        assert!(!parsed.facts.iter().any(|f| matches!(f.fact, Fact::ConfigProblem(_))));
    }
}

//! `nginx -v` / `nginx -V` output: version and flavour, compiler, TLS library, SNI, and the
//! configure arguments (shell-quoted, e.g. `--with-cc-opt='-g -O2 ...'`, possibly wrapped by
//! the terminal), for nginx and its variants (OpenResty, Angie, Tengine, freenginx, NGINX Plus).

use crate::facts::{Fact, FactAt, NginxBuild};
use crate::kind::Kind;
use crate::parse::nginx_test::{is_nginx_program, is_version_query};
use crate::parse::registry::{KindSpec, no_file, share_of_lines};
use crate::parse::{ParseContext, Parsed};
use crate::span::{Span, lines};

/// How `nginx -V` output is recognised and parsed.
pub const SPEC: KindSpec = KindSpec {
    kind: Kind::NginxVersion,
    embeds: &[],
    command: |program, args| is_nginx_program(program) && is_version_query(args),
    file: no_file,
    line: Some(is_version_line),
    block: |lines| share_of_lines(lines, is_version_line),
    parse,
};

/// One line of `nginx -V` output.
#[derive(Debug, PartialEq)]
enum BuildLine<'a> {
    /// `nginx version: nginx/1.24.0 (Ubuntu)`: product, version, flavour.
    Version(&'a str, &'a str, Option<&'a str>),
    /// `built with OpenSSL 3.0.2 15 Mar 2022`: the library text.
    Tls(&'a str),
    /// `built by gcc ...`, `TLS SNI support enabled`: read, nothing to keep.
    Known,
    /// `configure arguments: ...`: the arguments text.
    Configure(&'a str),
}

fn build_line(line: &str) -> Option<BuildLine<'_>> {
    let t = line.trim();
    // `nginx version: ...`: the program is the first word (it has no space).
    if let Some((program, rest)) = t.split_once(' ')
        && let Some(rest) = rest.strip_prefix("version: ")
        && is_nginx_program(&program.to_ascii_lowercase())
    {
        let (name_version, flavour) = match rest.split_once(' ') {
            Some((nv, flavour)) => (nv, Some(flavour.trim()).filter(|f| !f.is_empty())),
            None => (rest, None),
        };
        let (product, version) = name_version.split_once('/')?;
        if version.is_empty() || !version.starts_with(|c: char| c.is_ascii_digit()) {
            return None;
        }
        return Some(BuildLine::Version(product, version, flavour));
    }
    if let Some(library) = t.strip_prefix("built with ") {
        return Some(BuildLine::Tls(library));
    }
    if let Some(args) = t.strip_prefix("configure arguments:") {
        return Some(BuildLine::Configure(args.trim()));
    }
    if t.starts_with("built by ") || t.starts_with("TLS SNI support ") || t == "configure arguments:" {
        return Some(BuildLine::Known);
    }
    None
}

/// Lines that on their own are `nginx -V` output.
pub fn is_version_line(line: &str) -> bool {
    // `nginx -V` prints at column 0; an indented `nginx version:` belongs to another banner
    // (the ingress-nginx controller's).
    !line.starts_with([' ', '\t']) && build_line(line).is_some()
}

/// Parses `nginx -V` output: one `NginxBuild` per version block.
pub fn parse(cx: &ParseContext<'_>) -> Parsed {
    let mut out = Parsed::default();
    let mut current: Option<(NginxBuild, Span, String)> = None; // build, span, configure text
    let mut in_configure = false;
    // Length of the previous line: a long one was probably wrapped by the terminal.
    let mut previous_len = 0usize;
    let flush = |current: &mut Option<(NginxBuild, Span, String)>, out: &mut Parsed| {
        if let Some((mut build, span, configure)) = current.take() {
            fill_configure(&mut build, &configure);
            out.facts.push(FactAt {
                span,
                fact: Fact::NginxBuild(Box::new(build)),
            });
        }
    };
    for line in lines(cx.text, cx.base) {
        let text = line.text.trim();
        if text.is_empty() {
            in_configure = false;
            continue;
        }
        let parsed = build_line(text);
        if parsed.is_none()
            && in_configure
            && let Some((_, span, configure)) = current.as_mut()
            && is_configure_continuation(configure, previous_len, text)
        {
            // An option on the new line was separated by a space; anything else is a word the
            // terminal cut in two.
            if text.starts_with('-') {
                configure.push(' ');
            }
            configure.push_str(text);
            *span = span.join(line.span);
            previous_len = line.text.len();
            continue;
        }
        previous_len = line.text.len();
        in_configure = false;
        let Some(parsed) = parsed else {
            out.unread.push(line.span);
            continue;
        };
        if let BuildLine::Version(product, version, flavour) = parsed {
            // Tengine prints its own version, then the nginx core's.
            if let Some((build, span, _)) = current.as_mut()
                && build.core_version.is_none()
                && product == "nginx"
                && build.product.as_deref().is_some_and(|p| p != "nginx")
                && build.tls_library.is_none()
            {
                build.core_version = Some(version.to_string());
                *span = span.join(line.span);
                continue;
            }
            flush(&mut current, &mut out);
            current = Some((
                NginxBuild {
                    version: version.to_string(),
                    flavour: flavour.map(str::to_string),
                    product: Some(product.to_ascii_lowercase()),
                    ..Default::default()
                },
                line.span,
                String::new(),
            ));
            continue;
        }
        let (build, span, configure) = current.get_or_insert_with(|| (NginxBuild::default(), line.span, String::new()));
        *span = span.join(line.span);
        match parsed {
            BuildLine::Tls(library) => build.tls_library = Some(library.to_string()),
            BuildLine::Configure(args) => {
                configure.push_str(args);
                in_configure = true;
            }
            BuildLine::Known | BuildLine::Version(..) => {}
        }
    }
    flush(&mut current, &mut out);
    out
}

/// A line that continues wrapped configure arguments: inside an open quote, starting with an
/// option, or after a line as long as a terminal is wide.
fn is_configure_continuation(configure: &str, previous_len: usize, line: &str) -> bool {
    has_open_quote(configure) || line.starts_with('-') || previous_len >= 80 && !line.contains(": ")
}

fn has_open_quote(text: &str) -> bool {
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for c in text.chars() {
        match (quote, c) {
            (_, _) if escaped => escaped = false,
            (Some('\''), '\'') => quote = None,
            (Some('\''), _) => {}
            (_, '\\') => escaped = true,
            (Some('"'), '"') => quote = None,
            (None, '\'' | '"') => quote = Some(c),
            _ => {}
        }
    }
    quote.is_some()
}

/// Splits the configure arguments the way a shell would and picks the modules.
fn fill_configure(build: &mut NginxBuild, configure: &str) {
    build.configure_args = shell_words(configure);
    build.modules = build.configure_args.iter().filter_map(|a| module_of(a)).collect();
}

/// `--with-http_ssl_module` → `http_ssl_module`; `--with-stream=dynamic` → `stream`;
/// `--add-module=../ngx_devel_kit-0.3.1/` → `ngx_devel_kit-0.3.1`.
fn module_of(arg: &str) -> Option<String> {
    if let Some(with) = arg.strip_prefix("--with-") {
        return match with.split_once('=') {
            None => Some(with.to_string()),
            Some((name, "dynamic")) => Some(name.to_string()),
            Some(_) => None,
        };
    }
    let path = arg
        .strip_prefix("--add-module=")
        .or_else(|| arg.strip_prefix("--add-dynamic-module="))?;
    let name = path.trim_end_matches('/').rsplit('/').next()?;
    (!name.is_empty()).then(|| name.to_string())
}

/// Splits on whitespace outside quotes; `'...'` is literal, `"..."` and bare text honour
/// backslash escapes. An unclosed quote runs to the end.
fn shell_words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some('\''), '\'') | (Some('"'), '"') => quote = None,
            (Some('"'), '\\') | (None, '\\') => {
                if let Some(next) = chars.next() {
                    if quote.is_some() && !matches!(next, '"' | '\\' | '$' | '`') {
                        word.push('\\');
                    }
                    word.push(next);
                }
                in_word = true;
            }
            (Some(_), c) => word.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                in_word = true;
            }
            (None, c) if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            (None, c) => {
                word.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(word);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_builds(text: &str) -> (Vec<NginxBuild>, usize) {
        let parsed = parse(&ParseContext::new(text, 0));
        let builds = parsed
            .facts
            .into_iter()
            .map(|f| match f.fact {
                Fact::NginxBuild(b) => *b,
                other => panic!("{other:?}"),
            })
            .collect();
        (builds, parsed.unread.len())
    }

    #[test]
    fn reads_ubuntu_nginx_v() {
        let text = "nginx version: nginx/1.24.0 (Ubuntu)\nbuilt with OpenSSL 3.0.2 15 Mar 2022 (running with OpenSSL 3.0.13 30 Jan 2024)\nTLS SNI support enabled\nconfigure arguments: --with-cc-opt='-g -O2 -fno-omit-frame-pointer -ffile-prefix-map=/build/nginx-x=. -fstack-protector-strong -Wformat' --with-ld-opt='-Wl,-Bsymbolic-functions -flto=auto' --prefix=/usr/share/nginx --conf-path=/etc/nginx/nginx.conf --with-http_ssl_module --with-http_v2_module --with-stream=dynamic --with-http_xslt_module=dynamic --add-dynamic-module=/build/nginx-x/debian/modules/http-geoip2\n";
        let (builds, unread) = parse_builds(text);
        assert_eq!(unread, 0);
        let b = &builds[0];
        assert_eq!(b.version, "1.24.0");
        assert_eq!(b.flavour.as_deref(), Some("(Ubuntu)"));
        assert_eq!(b.product.as_deref(), Some("nginx"));
        assert_eq!(
            b.tls_library.as_deref(),
            Some("OpenSSL 3.0.2 15 Mar 2022 (running with OpenSSL 3.0.13 30 Jan 2024)")
        );
        assert_eq!(
            b.configure_args[0],
            "--with-cc-opt=-g -O2 -fno-omit-frame-pointer -ffile-prefix-map=/build/nginx-x=. -fstack-protector-strong -Wformat"
        );
        assert_eq!(b.configure_args.len(), 9);
        assert_eq!(
            b.modules,
            [
                "http_ssl_module",
                "http_v2_module",
                "stream",
                "http_xslt_module",
                "http-geoip2"
            ]
        );
    }

    #[test]
    fn reads_variants_and_wrapped_arguments() {
        let text = "Tengine version: Tengine/2.3.3\nnginx version: nginx/1.18.0\nbuilt by gcc 4.8.5 20150623 (Red Hat 4.8.5-44) (GCC)\nconfigure arguments: --prefix=/usr/local/tengine --with-cc-opt='-O2\n -g' --add-module=./modules/ngx_http_upstream_check_module/\n\nnginx version: openresty/1.21.4.1\nbuilt with OpenSSL 1.1.1w  11 Sep 2023\nnginx version: nginx/1.25.3 (nginx-plus-r31-p1)\nsomething else\n";
        let (builds, unread) = parse_builds(text);
        assert_eq!(unread, 1);
        assert_eq!(builds.len(), 3);
        assert_eq!(builds[0].product.as_deref(), Some("tengine"));
        assert_eq!(builds[0].version, "2.3.3");
        assert_eq!(builds[0].core_version.as_deref(), Some("1.18.0"));
        assert_eq!(builds[0].configure_args[1], "--with-cc-opt=-O2 -g");
        let wrapped = parse_builds("configure arguments: --prefix=/usr/share/nginx --conf-path=/etc/nginx/nginx.conf --with-http_ssl_mod\nule --with-http_v2_module\n").0;
        assert_eq!(wrapped[0].modules, ["http_ssl_module", "http_v2_module"]);
        assert_eq!(builds[0].modules, ["ngx_http_upstream_check_module"]);
        assert_eq!(builds[1].product.as_deref(), Some("openresty"));
        assert_eq!(builds[1].tls_library.as_deref(), Some("OpenSSL 1.1.1w  11 Sep 2023"));
        assert_eq!(builds[2].flavour.as_deref(), Some("(nginx-plus-r31-p1)"));
        let angie = parse_builds("Angie version: Angie/1.5.0\n").0;
        assert_eq!(
            (angie[0].product.as_deref(), angie[0].version.as_str()),
            (Some("angie"), "1.5.0")
        );
    }

    #[test]
    fn splits_like_a_shell() {
        assert_eq!(
            shell_words(r#"--a='x y' --b="p \"q\" \z" c\ d --e='unclosed"#),
            ["--a=x y", "--b=p \"q\" \\z", "c d", "--e=unclosed"]
        );
        assert!(is_version_line("nginx version: nginx/1.24.0"));
        assert!(!is_version_line("Server: nginx/1.24.0"));
        assert!(!is_version_line("php version: 8.3"));
    }
}

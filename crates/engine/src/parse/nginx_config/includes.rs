//! Joining pasted configuration files into one tree by following their `include` directives,
//! the way nginx reads them: glob patterns (`*`, `?`, `[...]`), relative paths resolved against
//! the configuration prefix (`/etc/nginx/` for `/etc/nginx/nginx.conf` and for the files of its
//! `sites-enabled/`, `conf.d/`... directories), cycle protection, and a report of the includes no
//! pasted file matches. Built with an explicit stack: no recursion.

use std::collections::HashMap;
use std::rc::Rc;

use super::ast::{ConfigFile, Directive};
use crate::span::Span;

/// A directive of a joined configuration.
#[derive(Clone, Debug, PartialEq)]
pub struct JoinedDirective<'a> {
    /// The directive as parsed.
    pub directive: &'a Directive,
    /// Index (in the slice given to [`join`]) of the file it is written in.
    pub source: usize,
    /// The block's children; for an `include`, the top-level directives of the files it pulls in
    /// (in file order).
    pub children: Vec<JoinedDirective<'a>>,
}

/// Why an `include` was not followed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IncludeIssue {
    /// No pasted file matches the pattern (a literal path nginx would fail to open, or a glob
    /// that matches nothing pasted).
    Unmatched,
    /// The file is already being included further up: following it would loop.
    Cycle,
    /// Following it would make the joined tree too large or too deep.
    TooLarge,
}

/// An `include` that was not (fully) followed.
#[derive(Clone, Debug, PartialEq)]
pub struct IncludeProblem {
    /// The file (index) the `include` is written in.
    pub source: usize,
    /// Span of the `include` directive.
    pub span: Span,
    /// The pattern as written.
    pub pattern: String,
    /// The pattern resolved against the configuration prefix.
    pub resolved: String,
    /// True when the pattern has glob characters.
    pub wildcard: bool,
    /// What went wrong.
    pub issue: IncludeIssue,
}

/// Several files joined into one tree.
#[derive(Clone, Debug, PartialEq)]
pub struct JoinedConfig<'a> {
    /// The files given to [`join`], indexed by `source`.
    pub files: Vec<&'a ConfigFile>,
    /// Top-level directives: those of each file no other file includes (in the order given),
    /// with includes expanded in place.
    pub roots: Vec<JoinedDirective<'a>>,
    /// Includes not followed.
    pub problems: Vec<IncludeProblem>,
}

/// At most this many directives in a joined tree (an include pulled in many times over).
const MAX_JOINED_DIRECTIVES: usize = 200_000;
/// At most this many nested blocks and includes in a joined tree.
const MAX_JOINED_DEPTH: usize = 256;

/// Directory names that sit right under the configuration prefix.
const PREFIX_SUBDIRS: &[&str] = &[
    "sites-enabled",
    "sites-available",
    "conf.d",
    "snippets",
    "modules-enabled",
    "modules-available",
    "http.d",
    "stream.d",
    "streams-enabled",
    "vhosts",
    "vhosts.d",
    "vhost.d",
    "servers",
    "default.d",
    "includes",
    "include",
    "templates",
    "sites",
];

/// Joins `files` (each with its `file` name where known) into one tree. Files nothing includes
/// are roots, in the order given; a file reached by no root (an include cycle) becomes a root
/// too, so every directive appears at least once.
pub fn join<'a>(files: &[&'a ConfigFile]) -> JoinedConfig<'a> {
    let prefix = config_prefix(files);
    let mut joiner = Joiner {
        files,
        prefix,
        cache: HashMap::new(),
        problems: Vec::new(),
        count: 0,
        limit_hit: false,
    };
    let mut included = vec![false; files.len()];
    for (source, file) in files.iter().enumerate() {
        for (_, d) in file.iter() {
            if let Some(pattern) = include_pattern(d) {
                for &target in joiner.matches(source, pattern).iter() {
                    if target != source {
                        included[target] = true;
                    }
                }
            }
        }
    }
    let mut visited = vec![false; files.len()];
    let mut roots = Vec::new();
    let mut order: Vec<usize> = (0..files.len()).filter(|&i| !included[i]).collect();
    order.extend((0..files.len()).filter(|&i| included[i]));
    for source in order {
        if visited[source] {
            continue;
        }
        roots.extend(joiner.expand(source, &mut visited));
    }
    let mut problems = joiner.problems;
    crate::sort::by_key(&mut problems, |p| (p.source, p.span.start));
    problems.dedup_by(|a, b| a.source == b.source && a.span == b.span && a.issue == b.issue);
    JoinedConfig {
        files: files.to_vec(),
        roots,
        problems,
    }
}

/// The pattern of an `include` directive.
fn include_pattern(d: &Directive) -> Option<&str> {
    (d.name == "include" && !d.is_block()).then(|| d.arg(0)).flatten()
}

struct Joiner<'f, 'a> {
    files: &'f [&'a ConfigFile],
    /// Matches already computed, by (including file, pattern).
    cache: HashMap<(usize, &'a str), Rc<[usize]>>,
    prefix: Option<String>,
    problems: Vec<IncludeProblem>,
    count: usize,
    limit_hit: bool,
}

/// One level of the expansion stack: directives being copied into `out`.
struct Level<'a> {
    /// (source, directives) segments: one for a block, one per file for an include.
    segments: Vec<(usize, &'a [Directive])>,
    segment: usize,
    next: usize,
    out: Vec<JoinedDirective<'a>>,
    /// The directive (and its source) whose children this level builds.
    parent: Option<(&'a Directive, usize)>,
}

impl<'a> Joiner<'_, 'a> {
    /// The top-level directives of file `root`, includes expanded.
    fn expand(&mut self, root: usize, visited: &mut [bool]) -> Vec<JoinedDirective<'a>> {
        let mut stack = vec![Level {
            segments: vec![(root, self.files[root].directives.as_slice())],
            segment: 0,
            next: 0,
            out: Vec::new(),
            parent: None,
        }];
        visited[root] = true;
        loop {
            let Some(level) = stack.last_mut() else {
                return Vec::new();
            };
            let Some(&(source, directives)) = level.segments.get(level.segment) else {
                let Some(done) = stack.pop() else {
                    return Vec::new();
                };
                match (done.parent, stack.last_mut()) {
                    (Some((directive, source)), Some(parent)) => parent.out.push(JoinedDirective {
                        directive,
                        source,
                        children: done.out,
                    }),
                    _ => return done.out,
                }
                continue;
            };
            let Some(directive) = directives.get(level.next) else {
                level.segment += 1;
                level.next = 0;
                continue;
            };
            level.next += 1;
            self.count += 1;
            let depth = stack.len();
            if let Some(pattern) = include_pattern(directive) {
                let targets = self.matches(source, pattern);
                if targets.is_empty() {
                    self.problem(source, directive, pattern, IncludeIssue::Unmatched);
                } else if depth >= MAX_JOINED_DEPTH || self.count >= MAX_JOINED_DIRECTIVES {
                    if !self.limit_hit {
                        self.limit_hit = true;
                        self.problem(source, directive, pattern, IncludeIssue::TooLarge);
                    }
                    targets.iter().for_each(|&t| visited[t] = true);
                }
                let expand = depth < MAX_JOINED_DEPTH && self.count < MAX_JOINED_DIRECTIVES;
                let mut segments = Vec::new();
                for &target in targets.iter().filter(|_| expand) {
                    let on_chain = stack
                        .iter()
                        .any(|l| l.segments.get(l.segment).is_some_and(|s| s.0 == target));
                    if on_chain {
                        self.problem(source, directive, pattern, IncludeIssue::Cycle);
                    } else {
                        visited[target] = true;
                        segments.push((target, self.files[target].directives.as_slice()));
                    }
                }
                if !segments.is_empty() {
                    stack.push(Level {
                        segments,
                        segment: 0,
                        next: 0,
                        out: Vec::new(),
                        parent: Some((directive, source)),
                    });
                    continue;
                }
            } else if let Some(block) = &directive.block {
                if depth < MAX_JOINED_DEPTH && self.count < MAX_JOINED_DIRECTIVES {
                    stack.push(Level {
                        segments: vec![(source, block.as_slice())],
                        segment: 0,
                        next: 0,
                        out: Vec::new(),
                        parent: Some((directive, source)),
                    });
                    continue;
                }
                if !self.limit_hit {
                    self.limit_hit = true;
                    self.problem(source, directive, "", IncludeIssue::TooLarge);
                }
            }
            if let Some(level) = stack.last_mut() {
                level.out.push(JoinedDirective {
                    directive,
                    source,
                    children: Vec::new(),
                });
            }
        }
    }

    fn problem(&mut self, source: usize, directive: &Directive, pattern: &str, issue: IncludeIssue) {
        let resolved = self.resolve(source, pattern);
        self.problems.push(IncludeProblem {
            source,
            span: directive.span,
            pattern: pattern.to_string(),
            wildcard: has_glob(pattern),
            resolved,
            issue,
        });
    }

    /// The pattern made absolute against the configuration prefix, when one is known.
    fn resolve(&self, source: usize, pattern: &str) -> String {
        if pattern.starts_with('/') {
            return pattern.to_string();
        }
        let including = self.files.get(source).and_then(|f| f.file.as_deref());
        match self.prefix.clone().or_else(|| including.and_then(prefix_of_file)) {
            Some(prefix) => format!("{}/{}", prefix.trim_end_matches('/'), pattern.trim_start_matches("./")),
            None => pattern.to_string(),
        }
    }

    /// The files (indexes, in order) an include of `pattern` written in file `source` pulls in.
    fn matches(&mut self, source: usize, pattern: &'a str) -> Rc<[usize]> {
        if let Some(found) = self.cache.get(&(source, pattern)) {
            return Rc::clone(found);
        }
        let resolved = self.resolve(source, pattern);
        let found: Rc<[usize]> = self
            .files
            .iter()
            .enumerate()
            .filter(|(_, f)| f.file.as_deref().is_some_and(|name| path_matches(&resolved, name)))
            .map(|(i, _)| i)
            .collect();
        self.cache.insert((source, pattern), Rc::clone(&found));
        found
    }
}

/// The configuration prefix: the directory of a pasted `nginx.conf` given with an absolute path.
fn config_prefix(files: &[&ConfigFile]) -> Option<String> {
    files
        .iter()
        .filter_map(|f| f.file.as_deref())
        .find(|name| name.starts_with('/') && name.ends_with("/nginx.conf"))
        .and_then(|name| name.rsplit_once('/'))
        .map(|(dir, _)| format!("{dir}/"))
}

/// The prefix an included file implies: its directory, or the parent of a well-known
/// subdirectory (`/etc/nginx/sites-enabled/default` gives `/etc/nginx/`).
fn prefix_of_file(name: &str) -> Option<String> {
    let (dir, _) = name.rsplit_once('/')?;
    let dir = dir.trim_end_matches('/');
    let (parent, last) = dir.rsplit_once('/').unwrap_or(("", dir));
    if PREFIX_SUBDIRS.contains(&last) && (!parent.is_empty() || name.starts_with('/')) {
        Some(format!("{parent}/"))
    } else if dir.is_empty() {
        None
    } else {
        Some(format!("{dir}/"))
    }
}

fn has_glob(pattern: &str) -> bool {
    pattern.contains(['*', '?', '['])
}

fn components(path: &str) -> Vec<&str> {
    path.split('/').filter(|c| !c.is_empty() && *c != ".").collect()
}

/// True when the file `name` is matched by `pattern` (resolved). Both absolute: the whole paths
/// must match. Otherwise the shorter is matched against the end of the longer, component by
/// component; a bare file name only matches a pattern whose last component is that literal name.
pub fn path_matches(pattern: &str, name: &str) -> bool {
    let p = components(pattern);
    let n = components(name);
    if p.is_empty() || n.is_empty() {
        return false;
    }
    if pattern.starts_with('/') && name.starts_with('/') {
        return p.len() == n.len() && p.iter().zip(&n).all(|(p, n)| glob_match(p, n));
    }
    if n.len() == 1 && !name.starts_with('/') {
        return p.last().is_some_and(|last| !has_glob(last) && *last == n[0]);
    }
    let k = p.len().min(n.len());
    p[p.len() - k..]
        .iter()
        .zip(&n[n.len() - k..])
        .all(|(p, n)| glob_match(p, n))
}

/// Matches one path component against a glob (`*`, `?`, `[abc]`, `[a-z]`, `[!x]`, `[^x]`).
/// A leading `.` must be matched literally, as glob(3) does.
pub fn glob_match(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    if n.first() == Some(&'.') && p.first() != Some(&'.') {
        return false;
    }
    let (mut pi, mut ni) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while ni < n.len() {
        let step = match p.get(pi) {
            Some('*') => {
                star = Some((pi, ni));
                pi += 1;
                continue;
            }
            Some('?') => Some(pi + 1),
            Some('[') => class_match(&p, pi, n[ni]),
            Some(&c) => (c == n[ni]).then_some(pi + 1),
            None => None,
        };
        match step {
            Some(next) => {
                pi = next;
                ni += 1;
            }
            None => match star {
                Some((star_p, star_n)) => {
                    pi = star_p + 1;
                    ni = star_n + 1;
                    star = Some((star_p, star_n + 1));
                }
                None => return false,
            },
        }
    }
    p[pi.min(p.len())..].iter().all(|&c| c == '*')
}

/// Matches `c` against the class opening at `p[open]`; the index after the class on success.
/// An unterminated `[` matches itself literally.
fn class_match(p: &[char], open: usize, c: char) -> Option<usize> {
    let mut i = open + 1;
    let negated = matches!(p.get(i), Some('!' | '^'));
    if negated {
        i += 1;
    }
    let body = i;
    let Some(close) = p
        .get(body + 1..)
        .and_then(|rest| rest.iter().position(|&x| x == ']'))
        .map(|at| body + 1 + at)
    else {
        return (c == '[').then_some(open + 1);
    };
    let mut matched = false;
    while i < close {
        if p.get(i + 1) == Some(&'-') && i + 2 < close {
            matched |= p[i] <= c && c <= p[i + 2];
            i += 3;
        } else {
            matched |= p[i] == c;
            i += 1;
        }
    }
    (matched != negated).then_some(close + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::nginx_config::parser::parse_config;

    fn file(name: &str, text: &str) -> ConfigFile {
        parse_config(text, 0, Some(name)).config
    }

    fn names(nodes: &[JoinedDirective<'_>]) -> Vec<String> {
        nodes
            .iter()
            .map(|n| format!("{}@{}", n.directive.name, n.source))
            .collect()
    }

    #[test]
    fn globs_match_like_glob3() {
        assert!(glob_match("*.conf", "app.conf"));
        assert!(!glob_match("*.conf", "app.conf.bak"));
        assert!(!glob_match("*", ".hidden"));
        assert!(glob_match("site?.conf", "site1.conf"));
        assert!(glob_match("[a-c]*", "beta"));
        assert!(!glob_match("[!a-c]*", "beta"));
        assert!(glob_match("[^x]y", "zy"));
        assert!(glob_match("*a*b*", "xxaxxbxx"));
        assert!(glob_match("[abc", "[abc"));
        assert!(path_matches("/etc/nginx/conf.d/*.conf", "/etc/nginx/conf.d/app.conf"));
        assert!(!path_matches(
            "/etc/nginx/conf.d/*.conf",
            "/etc/nginx/conf.d/sub/app.conf"
        ));
        assert!(path_matches("/etc/nginx/conf.d/*.conf", "conf.d/app.conf"));
        assert!(!path_matches("/etc/nginx/conf.d/*.conf", "nginx.conf"));
        assert!(path_matches("/etc/nginx/fastcgi_params", "fastcgi_params"));
        assert!(path_matches(
            "snippets/fastcgi-php.conf",
            "/etc/nginx/snippets/fastcgi-php.conf"
        ));
    }

    #[test]
    fn resolves_prefixes() {
        assert_eq!(
            prefix_of_file("/etc/nginx/sites-enabled/default").as_deref(),
            Some("/etc/nginx/")
        );
        assert_eq!(
            prefix_of_file("/usr/local/nginx/conf/nginx.conf").as_deref(),
            Some("/usr/local/nginx/conf/")
        );
        assert_eq!(prefix_of_file("default.conf"), None);
    }

    #[test]
    fn joins_an_nginx_t_like_set_of_files() {
        let main = file(
            "/etc/nginx/nginx.conf",
            "user www-data;\nhttp {\n  include mime.types;\n  include /etc/nginx/conf.d/*.conf;\n  include /etc/nginx/sites-enabled/*;\n}\n",
        );
        let mime = file("/etc/nginx/mime.types", "types { text/html html; }");
        let app = file(
            "/etc/nginx/conf.d/app.conf",
            "upstream app { server 127.0.0.1:3000; }\nserver { listen 80; location ~ \\.php$ { include snippets/fastcgi-php.conf; fastcgi_pass unix:/run/php/php8.3-fpm.sock; } }",
        );
        let site = file(
            "/etc/nginx/sites-enabled/default",
            "server { listen 80 default_server; root /var/www/html; }",
        );
        let joined = join(&[&site, &main, &mime, &app]);
        assert_eq!(names(&joined.roots), ["user@1", "http@1"]);
        let http = &joined.roots[1];
        assert_eq!(names(&http.children), ["include@1", "include@1", "include@1"]);
        assert_eq!(names(&http.children[0].children), ["types@2"]);
        assert_eq!(names(&http.children[1].children), ["upstream@3", "server@3"]);
        assert_eq!(names(&http.children[2].children), ["server@0"]);
        assert_eq!(joined.problems.len(), 1);
        let missing = &joined.problems[0];
        assert_eq!(missing.issue, IncludeIssue::Unmatched);
        assert_eq!(missing.resolved, "/etc/nginx/snippets/fastcgi-php.conf");
        assert_eq!(missing.source, 3);

        let facts = crate::parse::nginx_config::extract::facts_of_joined(joined);
        let target = facts
            .iter()
            .find_map(|(source, f)| match &f.fact {
                crate::facts::Fact::UpstreamTarget(t) => Some((*source, t)),
                _ => None,
            })
            .unwrap();
        assert_eq!(target.0, 3);
        assert_eq!(target.1.file.as_deref(), Some("/etc/nginx/conf.d/app.conf"));
        assert_eq!(target.1.listens, ["80"]);
        let root = facts
            .iter()
            .find_map(|(_, f)| match &f.fact {
                crate::facts::Fact::NginxDirective(d) if d.name == "root" => Some(d),
                _ => None,
            })
            .unwrap();
        assert_eq!(root.context, "http > server");
    }

    #[test]
    fn stops_include_cycles() {
        let a = file("/etc/nginx/a.conf", "include b.conf;\nlisten 1;");
        let b = file("/etc/nginx/b.conf", "include a.conf;\nlisten 2;");
        let me = file("/etc/nginx/self.conf", "include /etc/nginx/self.conf;");
        let joined = join(&[&a, &b, &me]);
        assert_eq!(names(&joined.roots), ["include@2", "include@0", "listen@0"]);
        assert_eq!(names(&joined.roots[1].children), ["include@1", "listen@1"]);
        let issues: Vec<IncludeIssue> = joined.problems.iter().map(|p| p.issue).collect();
        assert_eq!(issues, [IncludeIssue::Cycle, IncludeIssue::Cycle]);
    }

    #[test]
    fn relative_names_without_prefix_still_join() {
        let site = file("default.conf", "server { include snippets/php.conf; }");
        let snippet = file("snippets/php.conf", "fastcgi_pass php:9000;");
        let joined = join(&[&site, &snippet]);
        assert_eq!(names(&joined.roots), ["server@0"]);
        assert_eq!(names(&joined.roots[0].children[0].children), ["fastcgi_pass@1"]);
        assert!(joined.problems.is_empty());
    }

    #[test]
    fn exponential_includes_are_capped() {
        let mut files = Vec::new();
        for i in 0..30 {
            files.push(file(
                &format!("/etc/nginx/f{i}.conf"),
                &format!("include f{}.conf;\ninclude f{}.conf;\nlisten 80;", i + 1, i + 1),
            ));
        }
        let refs: Vec<&ConfigFile> = files.iter().collect();
        let joined = join(&refs);
        assert!(joined.problems.iter().any(|p| p.issue == IncludeIssue::TooLarge));
    }
}

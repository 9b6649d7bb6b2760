//! File listings: `ls -l`, `-la`, `-ld`, `-li`, `-ls`, `-n`, `-lZ` (SELinux context column,
//! also the RHEL 7 form without size and date), `--time-style` variants and localized dates,
//! `total N`, directory headers (`/run/php:` joined with the names below), symlinks, devices,
//! names with spaces, `ls: cannot access ...` errors; `namei -l` / `namei -mo` / plain `namei`
//! walks (one `FileEntry` per path component, symlinks followed); `stat` blocks; and the names
//! a plain `ls DIR` prints (type from `-F` marks or a `.sock` name, no owner or mode). One
//! `FileEntry` per file. The mode keeps a trailing `+` (a POSIX ACL grants more than it shows)
//! and drops the SELinux `.` and macOS `@` markers.

use crate::facts::{Fact, FactAt, FileEntry};
use crate::kind::Kind;
use crate::parse::columns::{
    Token, command_of, has_flag, is_digits, is_elision, is_pager_line, rest_from, token_iter, tokens,
};
use crate::parse::registry::{KindSpec, share_of_lines};
use crate::parse::{ParseContext, Parsed};
use crate::span::{Span, lines};

/// How file listings are recognised and parsed.
pub const SPEC: KindSpec = KindSpec {
    kind: Kind::LsListing,
    embeds: &[],
    command: |program, _| matches!(program, "ls" | "namei" | "stat" | "ll" | "dir" | "vdir"),
    file: crate::parse::registry::no_file,
    line: Some(is_listing_line),
    block: |lines| {
        if !lines.iter().any(|l| is_listing_line(l)) {
            return 0.0;
        }
        share_of_lines(lines, |l| {
            is_listing_line(l) || is_total(l) || is_stat_line(l) || namei_component(l).is_some()
        })
    },
    parse,
};

/// True for lines that only a listing prints: an `ls -l` row, `namei`'s `f:` header, `stat`'s
/// `Access: (0660/srw-rw----)` line, an `ls: cannot access` error.
pub fn is_listing_line(text: &str) -> bool {
    let t = text.trim_start();
    ls_row(text).is_some()
        || t.starts_with("f: /")
        || (t.starts_with("Access: (") && t.contains("Uid: ("))
        || (t.starts_with("File: ") && !t.contains("  "))
        || access_error(text).is_some()
}

/// The type letter and permission string of a mode token (`srw-rw----`, `drwxr-xr-x.`,
/// `-rw-r--r--+`): (type, permissions as kept).
fn mode_of(token: &str) -> Option<(char, String)> {
    let mut chars = token.chars();
    let file_type = chars.next()?;
    if !"-dlcbpsDn?".contains(file_type) {
        return None;
    }
    let perms: String = chars.by_ref().take(9).collect();
    if perms.len() != 9 || !perms.chars().all(|c| "rwxsStTlL-".contains(c)) {
        return None;
    }
    let marker: String = chars.collect();
    let mode = match marker.as_str() {
        "" | "." | "@" => perms,
        "+" => format!("{perms}+"),
        _ => return None,
    };
    Some((file_type, mode))
}

/// A file of a listing before it gets its full path.
struct Row {
    file_type: char,
    mode: String,
    owner: String,
    group: String,
    context: Option<String>,
    name: String,
    link_target: Option<String>,
}

/// An SELinux context token (`user:role:type:level`) or `?`.
fn is_context(token: &str) -> bool {
    token == "?" || token.matches(':').count() >= 2
}

/// `12:34`, `12:34:56`, `12:34:56.123456789`, or a year `2023`.
fn is_time_or_year(token: &str) -> bool {
    if token.len() == 4 && is_digits(token) {
        return true;
    }
    let mut parts = token.split(':');
    let h = parts.next().unwrap_or("");
    let m = parts.next().unwrap_or("");
    (1..=2).contains(&h.len()) && is_digits(h) && m.len() == 2 && is_digits(m)
}

/// Reads one `ls -l` row.
fn ls_row(line: &str) -> Option<Row> {
    // The mode is among the first three tokens.
    if !token_iter(line).take(3).any(|t| mode_of(t.text).is_some()) {
        return None;
    }
    let toks = tokens(line);
    // `ls -i` / `ls -s` put an inode or block count before the mode.
    let mode_at = (0..toks.len().min(3)).find(|&i| mode_of(toks[i].text).is_some())?;
    if !toks[..mode_at].iter().all(|t| {
        t.text
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b',' || b.is_ascii_alphabetic())
    }) {
        return None;
    }
    let (file_type, mode) = mode_of(toks[mode_at].text)?;
    let mut i = mode_at + 1;
    let has_links = toks.get(i).is_some_and(|t| is_digits(t.text));
    if has_links {
        i += 1;
    }
    let owner = toks.get(i)?.text.to_string();
    let group = toks.get(i + 1)?.text.to_string();
    i += 2;
    let mut context = None;
    if toks.get(i).is_some_and(|t| is_context(t.text)) {
        context = Some(toks[i].text.to_string());
        i += 1;
        if !has_links {
            // RHEL 7 `ls -lZ`: mode, owner, group, context, name.
            let (name, link_target) = split_name(rest_from(line, &toks, i), file_type);
            return (!name.is_empty()).then_some(Row {
                file_type,
                mode,
                owner,
                group,
                context,
                name,
                link_target,
            });
        }
    }
    if !has_links {
        return None;
    }
    // Size, or `major, minor` of a device.
    let size = toks.get(i)?.text;
    if size.ends_with(',') {
        i += 2;
    } else if size.bytes().next().is_some_and(|b| b.is_ascii_digit()) {
        i += 1;
    } else {
        return None;
    }
    let date_end = date_end(&toks, i)?;
    let (name, link_target) = split_name(rest_from(line, &toks, date_end + 1), file_type);
    (!name.is_empty()).then_some(Row {
        file_type,
        mode,
        owner,
        group,
        context,
        name,
        link_target,
    })
}

/// The index of the last token of the date that starts at `from` (1 to 3 tokens ending in a
/// time or a year, plus a `+0000` zone of `--full-time`).
fn date_end(toks: &[Token<'_>], from: usize) -> Option<usize> {
    let end = (from + 1..toks.len().min(from + 3)).find(|&k| is_time_or_year(toks[k].text))?;
    let zone = toks
        .get(end + 1)
        .is_some_and(|t| t.text.len() == 5 && t.text.starts_with(['+', '-']) && is_digits(&t.text[1..]));
    Some(if zone { end + 1 } else { end })
}

/// Splits `name -> target` and removes simple quoting and colour codes.
fn split_name(text: &str, file_type: char) -> (String, Option<String>) {
    let clean = strip_ansi(text);
    let (name, target) = match clean.split_once(" -> ") {
        Some((n, t)) if file_type == 'l' => (n.to_string(), Some(unquote(t.trim()))),
        _ => (clean.clone(), None),
    };
    (unquote(name.trim()), target)
}

/// Removes `ESC[...m` colour sequences.
fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for d in chars.by_ref() {
                if d.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// `'my file'` → `my file`; `‘x’` and `"x"` too.
fn unquote(text: &str) -> String {
    for (open, close) in [('\'', '\''), ('‘', '’'), ('"', '"'), ('`', '\'')] {
        if let Some(inner) = text.strip_prefix(open).and_then(|r| r.strip_suffix(close))
            && !inner.contains(open)
            && !inner.contains(close)
        {
            return inner.to_string();
        }
    }
    text.to_string()
}

/// `total 12`, `total 4.0K` (and a few translations).
fn is_total(text: &str) -> bool {
    let t = text.trim();
    let Some((word, n)) = t.split_once(' ') else {
        return false;
    };
    matches!(
        word,
        "total" | "insgesamt" | "итого" | "总用量" | "合計" | "totale" | "totaal"
    ) && n.trim().bytes().next().is_some_and(|b| b.is_ascii_digit())
}

/// The path and reason of `ls: cannot access 'X': No such file or directory` (also
/// `stat: cannot stat(x) 'X': ...`, `ls: cannot open directory 'X': ...`, busybox
/// `ls: X: No such file or directory`, `namei: failed to lookup`).
fn access_error(text: &str) -> Option<(String, String)> {
    let t = text.trim();
    let rest = ["ls: ", "stat: ", "namei: "].iter().find_map(|p| t.strip_prefix(p))?;
    let rest = [
        "cannot access ",
        "cannot open directory ",
        "cannot statx ",
        "cannot stat ",
        "failed to stat: ",
    ]
    .iter()
    .find_map(|p| rest.strip_prefix(p))
    .unwrap_or(rest);
    let (path, reason) = rest.rsplit_once(": ")?;
    let path = unquote(path.trim());
    (!path.is_empty() && !reason.is_empty()).then(|| (path, reason.trim().to_string()))
}

/// `stat`'s lines other than `File:` and the mode line: `Size:`, `Device:`, times, `Birth:`,
/// `Context:`.
fn is_stat_line(text: &str) -> bool {
    let t = text.trim_start();
    [
        "Size: ",
        "Device: ",
        "Access: ",
        "Modify: ",
        "Change: ",
        "Birth: ",
        "Context: ",
    ]
    .iter()
    .any(|p| t.starts_with(p))
}

/// A component line of `namei`: (indent, entry without path, or the error of a missing
/// component).
struct Component {
    indent: usize,
    row: Row,
    error: Option<String>,
}

/// Reads `drwxr-xr-x root root run`, `drwxr-xr-x run` (`-m`), ` d run` (plain), or
/// ` php.sock - No such file or directory`.
fn namei_component(line: &str) -> Option<Component> {
    let indent = line.len() - line.trim_start().len();
    let toks = tokens(line);
    let first = toks.first()?.text;
    let blank = |file_type: char, name: String, error: Option<String>| Component {
        indent,
        row: Row {
            file_type,
            mode: String::new(),
            owner: String::new(),
            group: String::new(),
            context: None,
            name,
            link_target: None,
        },
        error,
    };
    if let Some((file_type, mode)) = mode_of(first) {
        let (owner, group, name_at) = if toks.len() >= 4 {
            (toks[1].text.to_string(), toks[2].text.to_string(), 3)
        } else {
            (String::new(), String::new(), 1)
        };
        let (name, link_target) = split_name(rest_from(line, &toks, name_at), file_type);
        if name.is_empty() {
            return None;
        }
        return Some(Component {
            indent,
            row: Row {
                file_type,
                mode,
                owner,
                group,
                context: None,
                name,
                link_target,
            },
            error: None,
        });
    }
    if first.chars().count() == 1 && "dl-scbp?".contains(first) && toks.len() >= 2 {
        let file_type = first.chars().next().unwrap_or('?');
        let (name, link_target) = split_name(rest_from(line, &toks, 1), file_type);
        let mut c = blank(file_type, name, None);
        c.row.link_target = link_target;
        return Some(c);
    }
    let (name, error) = line.trim().split_once(" - ")?;
    (!name.contains(' ') && !name.is_empty()).then(|| blank('?', name.to_string(), Some(error.to_string())))
}

/// `dir` + `name`, with `.`/`..` resolved and `/` restarting from the root.
fn join(dir: &str, name: &str) -> String {
    if name.starts_with('/') || dir.is_empty() {
        return name.to_string();
    }
    if name == "." {
        return dir.to_string();
    }
    if name == ".." {
        return parent(dir);
    }
    if dir.ends_with('/') {
        format!("{dir}{name}")
    } else {
        format!("{dir}/{name}")
    }
}

/// The parent of a path (`/run/php` → `/run`, `/run` → `/`).
fn parent(path: &str) -> String {
    match path.trim_end_matches('/').rsplit_once('/') {
        Some(("", _)) => "/".to_string(),
        Some((p, _)) => p.to_string(),
        None => String::new(),
    }
}

/// The state of a `namei` walk.
struct Walk {
    /// The path resolved so far.
    current: String,
    /// A symlink just listed: its indent, the directory it is in, and its own path.
    link: Option<(usize, String, String)>,
}

/// A `stat` block being read.
struct StatBlock {
    span: Span,
    entry: FileEntry,
}

fn entry_of(row: Row, path: String) -> FileEntry {
    FileEntry {
        path,
        file_type: row.file_type,
        mode: row.mode,
        owner: row.owner,
        group: row.group,
        link_target: row.link_target,
        context: row.context,
        error: None,
    }
}

fn push(out: &mut Parsed, span: Span, entry: FileEntry) {
    out.facts.push(FactAt {
        span,
        fact: Fact::FileEntry(Box::new(entry)),
    });
}

/// `Access: (0660/srw-rw----)  Uid: (   33/www-data)   Gid: (   33/www-data)` → the mode,
/// owner and group.
fn stat_access(text: &str) -> Option<(char, String, String, String)> {
    let rest = text.trim_start().strip_prefix("Access: (")?;
    let (octal_mode, rest) = rest.split_once(')')?;
    let (_, symbolic) = octal_mode.split_once('/')?;
    let (file_type, mode) = mode_of(symbolic)?;
    let name_in = |key: &str| -> Option<String> {
        let after = rest.split_once(key)?.1;
        let inner = after.split_once(')')?.0;
        let name = inner.split_once('/').map_or(inner, |(_, n)| n);
        Some(name.trim().to_string())
    };
    Some((file_type, mode, name_in("Uid: (")?, name_in("Gid: (")?))
}

/// The directory `ls` lists when its command names exactly one path and no `-d`: names below
/// are joined with it.
fn listed_directory(cx: &ParseContext<'_>) -> Option<String> {
    let (program, args) = command_of(cx)?;
    if !matches!(program.as_str(), "ls" | "ll" | "dir" | "vdir") || has_flag(&args, 'd', "--directory") {
        return None;
    }
    let paths: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    match paths.as_slice() {
        [one] if !one.contains('*') => Some(one.trim_end_matches('/').to_string()).filter(|p| !p.is_empty()),
        _ => None,
    }
}

/// True when the command is a plain `ls DIR` (no long format): it prints names only.
fn short_format(cx: &ParseContext<'_>) -> bool {
    command_of(cx).is_some_and(|(program, args)| {
        matches!(program.as_str(), "ls" | "dir")
            && !"lngo".chars().any(|f| has_flag(&args, f, ""))
            && !has_flag(&args, 'd', "--directory")
    })
}

/// The entries of a line of a names-only listing of `dir` (`ls /run/php`: `php8.1-fpm.pid
/// php8.1-fpm.sock`). A name with spaces is quoted (`'my file'`); `ls -F` marks a socket `=`, a
/// directory `/`, a link `@`, a pipe `|`. Without a mark the type is unknown, except a `*.sock`
/// name, read as the socket it is named for. Owner and mode stay empty: nothing says them.
fn short_entries(dir: &str, line: &str) -> Vec<FileEntry> {
    let mut names: Vec<String> = Vec::new();
    let mut rest = line.trim();
    while !rest.is_empty() {
        let (name, after) = if let Some(quoted) = rest.strip_prefix('\'') {
            match quoted.split_once('\'') {
                Some((inner, after)) => (inner.to_string(), after),
                None => return Vec::new(),
            }
        } else {
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            (rest[..end].to_string(), &rest[end..])
        };
        names.push(name);
        rest = after.trim_start();
    }
    names
        .into_iter()
        .filter(|n| !n.is_empty() && n != "." && n != "..")
        .map(|name| {
            let (name, file_type) = match name.char_indices().last() {
                Some((i, '=')) => (name[..i].to_string(), 's'),
                Some((i, '/')) => (name[..i].to_string(), 'd'),
                Some((i, '@')) => (name[..i].to_string(), 'l'),
                Some((i, '|')) => (name[..i].to_string(), 'p'),
                _ if name.ends_with(".sock") => (name, 's'),
                _ => (name, '?'),
            };
            FileEntry {
                path: join(dir, &name),
                file_type,
                ..Default::default()
            }
        })
        .collect()
}

/// Parses a listing.
pub fn parse(cx: &ParseContext<'_>) -> Parsed {
    let mut out = Parsed::default();
    let mut dir: Option<String> = listed_directory(cx);
    let short = short_format(cx);
    let mut walk: Option<Walk> = None;
    let mut stat: Option<StatBlock> = None;
    for line in lines(cx.text, cx.base) {
        let text = line.text;
        let t = text.trim();
        if t.is_empty() {
            continue;
        }
        // `stat` blocks.
        if let Some(path) = t.strip_prefix("File: ") {
            if let Some(block) = stat.take() {
                push(&mut out, block.span, block.entry);
            }
            let (name, link_target) = split_name(path, if path.contains(" -> ") { 'l' } else { '-' });
            stat = Some(StatBlock {
                span: line.span,
                entry: FileEntry {
                    path: name,
                    file_type: '?',
                    link_target,
                    ..Default::default()
                },
            });
            walk = None;
            continue;
        }
        if let Some(block) = stat.as_mut()
            && (is_stat_line(text) || t.starts_with("Size:"))
        {
            block.span = block.span.join(line.span);
            if let Some((file_type, mode, owner, group)) = stat_access(text) {
                block.entry.file_type = file_type;
                block.entry.mode = mode;
                block.entry.owner = owner;
                block.entry.group = group;
            }
            if let Some(context) = t.strip_prefix("Context: ") {
                block.entry.context = Some(context.trim().to_string());
            }
            continue;
        }
        if let Some(block) = stat.take() {
            push(&mut out, block.span, block.entry);
        }
        // `namei` walks.
        if let Some(path) = t.strip_prefix("f: ") {
            walk = Some(Walk {
                current: String::new(),
                link: None,
            });
            let _ = path;
            continue;
        }
        if let Some(w) = walk.as_mut()
            && let Some(component) = namei_component(text)
        {
            if let Some((link_indent, link_dir, link_path)) = w.link.take() {
                // Lines indented deeper resolve the link's target; otherwise it was not followed.
                w.current = if component.indent > link_indent {
                    link_dir
                } else {
                    link_path
                };
            }
            let path = join(&w.current, &component.row.name);
            let is_link = component.row.file_type == 'l';
            let mut entry = entry_of(component.row, path.clone());
            entry.error = component.error;
            push(&mut out, line.span, entry);
            if is_link {
                w.link = Some((component.indent, w.current.clone(), path));
            } else {
                w.current = path;
            }
            continue;
        }
        if let Some(row) = ls_row(text) {
            let path = match dir.as_deref() {
                // `ls -l x.sock` lists the file itself under the name it was given.
                Some(d) if !row.name.starts_with('/') && row.name != d => join(d, &row.name),
                _ => row.name.clone(),
            };
            push(&mut out, line.span, entry_of(row, path));
            continue;
        }
        if let Some((path, reason)) = access_error(text) {
            push(
                &mut out,
                line.span,
                FileEntry {
                    path,
                    file_type: '?',
                    error: Some(reason),
                    ..Default::default()
                },
            );
            continue;
        }
        if let Some(header) = t.strip_suffix(':')
            && !header.is_empty()
            && !header.contains(": ")
        {
            dir = Some(unquote(header));
            walk = None;
            continue;
        }
        // `stat -c '%A %U %G %n'` rows read like `namei -l` components.
        if let Some(component) = namei_component(text).filter(|c| !c.row.owner.is_empty()) {
            let path = component.row.name.clone();
            push(&mut out, line.span, entry_of(component.row, path));
            continue;
        }
        if is_total(t) || is_pager_line(t) || is_elision(t) {
            continue;
        }
        if short && let Some(d) = dir.as_deref() {
            let found = short_entries(d, t);
            if !found.is_empty() {
                for entry in found {
                    push(&mut out, line.span, entry);
                }
                continue;
            }
        }
        out.unread.push(line.span);
    }
    if let Some(block) = stat.take() {
        push(&mut out, block.span, block.entry);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::test_support::facts_of;

    fn entries(text: &str) -> (Vec<FileEntry>, Parsed) {
        let parsed = parse(&ParseContext::new(text, 0));
        (facts_of(&parsed), parsed)
    }

    #[test]
    fn reads_names_only_listings_of_a_directory() {
        let text = "php8.1-fpm.pid  php8.1-fpm.sock  'odd name.txt'\nold/  www=\n";
        let parsed = parse(&ParseContext {
            command: Some("ls /var/run/php/"),
            ..ParseContext::new(text, 0)
        });
        assert!(parsed.unread.is_empty(), "{:?}", parsed.unread);
        let e: Vec<FileEntry> = facts_of(&parsed);
        let got: Vec<(&str, char)> = e.iter().map(|f| (f.path.as_str(), f.file_type)).collect();
        assert_eq!(
            got,
            [
                ("/var/run/php/php8.1-fpm.pid", '?'),
                ("/var/run/php/php8.1-fpm.sock", 's'),
                ("/var/run/php/odd name.txt", '?'),
                ("/var/run/php/old", 'd'),
                ("/var/run/php/www", 's'),
            ]
        );
        assert!(e.iter().all(|f| f.mode.is_empty() && f.owner.is_empty()));
        // Without the command (or in long format) such a line is not read as names.
        assert_eq!(parse(&ParseContext::new(text, 0)).unread.len(), 2);
    }

    #[test]
    fn reads_ls_rows_of_every_shape() {
        let (e, parsed) = entries(
            "/run/php:\ntotal 4\ndrwxr-xr-x  2 www-data www-data  80 Nov 21 10:00 .\ndrwxr-xr-x 31 root     root    900 Nov 21 09:00 ..\nsrw-rw----+ 1 www-data www-data   0 Nov 21 10:00 php8.3-fpm.sock\nlrwxrwxrwx 1 root root 30 Mar  2  2023 php-fpm.sock -> /etc/alternatives/php-fpm.sock\n-rw-r--r-- 1 33 33 4 2026-11-21 10:00 php8.3-fpm.pid\ncrw-rw-rw- 1 root root 1, 3 Nov 21 10:00 /dev/null\n-rw-r--r-- 1 root root 12 2026-11-21 10:00:00.000000000 +0000 my file.txt\n12345 srwxrwxrwx. 1 deploy nginx unconfined_u:object_r:user_home_t:s0 0 Dec  2 10:15 /home/deploy/app/run/gunicorn.sock\n-rw-r--r--. root root unconfined_u:object_r:admin_home_t:s0 anaconda-ks.cfg\n-rw-r--r-- 1 root root 4.0K 21 nov.  10:00 fichier\n",
        );
        assert!(parsed.unread.is_empty(), "{:?}", parsed.unread);
        let got: Vec<(&str, char, &str)> = e
            .iter()
            .map(|e| (e.path.as_str(), e.file_type, e.mode.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("/run/php", 'd', "rwxr-xr-x"),
                ("/run", 'd', "rwxr-xr-x"),
                ("/run/php/php8.3-fpm.sock", 's', "rw-rw----+"),
                ("/run/php/php-fpm.sock", 'l', "rwxrwxrwx"),
                ("/run/php/php8.3-fpm.pid", '-', "rw-r--r--"),
                ("/dev/null", 'c', "rw-rw-rw-"),
                ("/run/php/my file.txt", '-', "rw-r--r--"),
                ("/home/deploy/app/run/gunicorn.sock", 's', "rwxrwxrwx"),
                ("/run/php/anaconda-ks.cfg", '-', "rw-r--r--"),
                ("/run/php/fichier", '-', "rw-r--r--"),
            ]
        );
        assert_eq!(e[3].link_target.as_deref(), Some("/etc/alternatives/php-fpm.sock"));
        assert_eq!(e[4].owner, "33");
        assert_eq!(e[7].context.as_deref(), Some("unconfined_u:object_r:user_home_t:s0"));
    }

    #[test]
    fn reads_namei_walks_with_links_and_errors() {
        let (e, parsed) = entries(
            "f: /var/run/php/php8.3-fpm.sock\n drwxr-xr-x root     root     /\n drwxr-xr-x root     root     var\n lrwxrwxrwx root     root     run -> /run\n   drwxr-xr-x root     root     /\n   drwxr-xr-x root     root     run\n drwxr-x--- www-data www-data php\n php8.3-fpm.sock - No such file or directory\n",
        );
        assert!(parsed.unread.is_empty(), "{:?}", parsed.unread);
        let paths: Vec<&str> = e.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "/",
                "/var",
                "/var/run",
                "/",
                "/run",
                "/run/php",
                "/run/php/php8.3-fpm.sock"
            ]
        );
        assert_eq!(e[5].mode, "rwxr-x---");
        assert_eq!(e[6].error.as_deref(), Some("No such file or directory"));
    }

    #[test]
    fn reads_stat_blocks_and_errors() {
        let (e, parsed) = entries(
            "  File: /run/php/php8.3-fpm.sock\n  Size: 0         \tBlocks: 0          IO Block: 4096   socket\nDevice: 0,25\tInode: 1234        Links: 1\nAccess: (0660/srw-rw----)  Uid: (   33/www-data)   Gid: (   33/www-data)\nAccess: 2026-11-21 10:00:00.000000000 +0000\nModify: 2026-11-21 10:00:00.000000000 +0000\nChange: 2026-11-21 10:00:00.000000000 +0000\n Birth: -\nls: cannot access '/run/php/php7.4-fpm.sock': No such file or directory\nstat: cannot statx '/run/x.sock': Permission denied\n",
        );
        assert!(parsed.unread.is_empty(), "{:?}", parsed.unread);
        assert_eq!(e.len(), 3);
        assert_eq!(
            (e[0].file_type, e[0].mode.as_str(), e[0].owner.as_str()),
            ('s', "rw-rw----", "www-data")
        );
        assert_eq!(e[1].path, "/run/php/php7.4-fpm.sock");
        assert_eq!(e[2].error.as_deref(), Some("Permission denied"));
    }

    #[test]
    fn prose_is_not_a_listing() {
        assert!(!is_listing_line("drwxr-xr-x is a mode"));
        assert!(ls_row("-rw-r--r-- 1 root").is_none());
    }
}

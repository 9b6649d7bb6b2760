//! Who a user is: `id`, `id USER` (localized `groups=` key, SELinux `context=`), `id -Gn USER`,
//! `id -un`, `groups USER` (`nginx : nginx www-data`), `whoami`, and `getent passwd`/`getent
//! group` (or `/etc/passwd`, `/etc/group`) lines. One `UserIdentity` per user; a group line
//! gives one per member (the member belongs to that group), and a passwd line's primary group
//! is named when a group line of the same piece has its gid.

use crate::facts::{Fact, FactAt, UserIdentity};
use crate::kind::Kind;
use crate::parse::columns::{command_of, is_digits, is_elision, is_pager_line};
use crate::parse::registry::KindSpec;
use crate::parse::{ParseContext, Parsed};
use crate::span::lines;

/// How `id`/`groups`/`getent` output is recognised and parsed.
pub const SPEC: KindSpec = KindSpec {
    kind: Kind::IdGroups,
    embeds: &[],
    command: |program, args| {
        matches!(program, "id" | "groups" | "whoami")
            || (program == "getent" && matches!(args.first(), Some(&"passwd") | Some(&"group")))
    },
    file: |path| path.ends_with("/etc/passwd") || path.ends_with("/etc/group") || path == "passwd" || path == "group",
    line: Some(|l| id_line(l).is_some() || passwd_line(l).is_some()),
    block: |lines| {
        let mut total = 0usize;
        let mut strong = 0usize;
        let mut weak = 0usize;
        for l in lines.iter().filter(|l| !l.trim().is_empty()) {
            total += 1;
            if id_line(l).is_some() || passwd_line(l).is_some() {
                strong += 1;
            } else if groups_line(l).is_some() || group_line(l).is_some() {
                weak += 1;
            }
        }
        match (total, strong) {
            (0, _) => 0.0,
            // `groups nginx` alone: `nginx : nginx www-data` is specific enough.
            (_, 0) if weak == total && lines.iter().any(|l| l.contains(" : ")) => 0.6,
            (_, 0) => 0.0,
            _ => (strong + weak) as f32 / total as f32,
        }
    },
    parse,
};

/// `33(www-data)` → name (or the number when no name is shown) and number.
fn id_and_name(text: &str) -> Option<(Option<u32>, String)> {
    match text.split_once('(') {
        Some((n, rest)) => {
            let name = rest.strip_suffix(')').unwrap_or(rest);
            Some((n.parse().ok(), name.to_string()))
        }
        None => is_digits(text).then(|| (text.parse().ok(), text.to_string())),
    }
}

/// `uid=33(www-data) gid=33(www-data) groups=33(www-data),1001(deploy)`.
fn id_line(text: &str) -> Option<UserIdentity> {
    let t = text.trim();
    let rest = t.strip_prefix("uid=")?;
    let mut fields = rest.split_whitespace();
    let (uid, user) = id_and_name(fields.next()?)?;
    let gid_field = fields.next()?.strip_prefix("gid=")?;
    let (_, group) = id_and_name(gid_field)?;
    let mut groups = Vec::new();
    for field in fields {
        let Some((key, value)) = field.split_once('=') else {
            continue;
        };
        if key == "context" {
            continue;
        }
        groups.extend(value.split(',').filter_map(id_and_name).map(|(_, n)| n));
    }
    Some(UserIdentity {
        user,
        uid,
        group: Some(group),
        groups,
    })
}

/// `name:x:uid:gid:gecos:home:shell`.
fn passwd_line(text: &str) -> Option<(UserIdentity, u32)> {
    let fields: Vec<&str> = text.trim().split(':').collect();
    if fields.len() != 7 || fields[0].is_empty() || fields[0].contains(' ') {
        return None;
    }
    let uid = fields[2].parse().ok()?;
    let gid = fields[3].parse().ok()?;
    Some((
        UserIdentity {
            user: fields[0].to_string(),
            uid: Some(uid),
            ..Default::default()
        },
        gid,
    ))
}

/// `name:x:gid:member,member` → group name, gid, members.
fn group_line(text: &str) -> Option<(String, u32, Vec<String>)> {
    let fields: Vec<&str> = text.trim().split(':').collect();
    if fields.len() != 4 || fields[0].is_empty() || fields[0].contains(' ') || fields[3].contains(' ') {
        return None;
    }
    let gid = fields[2].parse().ok()?;
    let members = fields[3]
        .split(',')
        .filter(|m| !m.is_empty())
        .map(str::to_string)
        .collect();
    Some((fields[0].to_string(), gid, members))
}

/// `nginx : nginx www-data` (`groups USER`).
fn groups_line(text: &str) -> Option<UserIdentity> {
    let (user, groups) = text.trim().split_once(" : ")?;
    if user.is_empty() || user.contains(' ') {
        return None;
    }
    let groups: Vec<String> = groups.split_whitespace().map(str::to_string).collect();
    if groups.iter().any(|g| !is_name(g)) {
        return None;
    }
    Some(UserIdentity {
        user: user.to_string(),
        uid: None,
        group: groups.first().cloned(),
        groups,
    })
}

/// A user or group name as tools print them.
fn is_name(word: &str) -> bool {
    !word.is_empty()
        && word.len() <= 64
        && word
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '$' | '@' | '\\'))
}

/// What the command says the bare output is about: (`id`/`groups`/`whoami` flags, user named).
fn bare_output_meaning(cx: &ParseContext<'_>) -> Option<(String, Vec<String>)> {
    let (program, args) = command_of(cx)?;
    matches!(program.as_str(), "id" | "groups" | "whoami").then_some((program, args))
}

/// A line that only means something with the command: `id -Gn nginx` → `nginx www-data`,
/// `id -un` → `www-data`, `id -u` → `33`, `groups` → `www-data adm`, `whoami` → `root`.
fn bare_line(text: &str, program: &str, args: &[String]) -> Option<UserIdentity> {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.is_empty() || !words.iter().all(|w| is_name(w)) {
        return None;
    }
    let flags: String = args
        .iter()
        .filter(|a| a.starts_with('-') && !a.starts_with("--"))
        .map(|a| &a[1..])
        .collect();
    let named = args.iter().find(|a| !a.starts_with('-')).cloned();
    let numeric = !flags.contains('n');
    if program == "whoami" || (program == "id" && flags.contains('u') && !numeric) {
        return (words.len() == 1).then(|| UserIdentity {
            user: words[0].to_string(),
            ..Default::default()
        });
    }
    if program == "id" && flags.contains('u') {
        return (words.len() == 1).then(|| UserIdentity {
            user: named.clone().unwrap_or_default(),
            uid: words[0].parse().ok(),
            ..Default::default()
        });
    }
    let groups: Vec<String> = words.iter().map(|w| w.to_string()).collect();
    if program == "groups" || (program == "id" && (flags.contains('G') || flags.contains('g'))) {
        return Some(UserIdentity {
            user: named.unwrap_or_default(),
            uid: None,
            group: groups.first().cloned(),
            groups,
        });
    }
    None
}

/// Parses identity output.
pub fn parse(cx: &ParseContext<'_>) -> Parsed {
    let mut out = Parsed::default();
    let meaning = bare_output_meaning(cx);
    // Passwd entries waiting for their primary group's name: (fact index, gid).
    let mut primary: Vec<(usize, u32)> = Vec::new();
    let mut group_names: Vec<(u32, String)> = Vec::new();
    for line in lines(cx.text, cx.base) {
        let t = line.text.trim();
        if t.is_empty() || is_pager_line(t) || is_elision(t) {
            continue;
        }
        let identity = id_line(t).or_else(|| groups_line(t)).or_else(|| {
            passwd_line(t).map(|(identity, gid)| {
                primary.push((out.facts.len(), gid));
                identity
            })
        });
        if let Some(identity) = identity {
            out.facts.push(FactAt {
                span: line.span,
                fact: Fact::UserIdentity(Box::new(identity)),
            });
            continue;
        }
        if let Some((group, gid, members)) = group_line(t) {
            group_names.push((gid, group.clone()));
            for member in members {
                out.facts.push(FactAt {
                    span: line.span,
                    fact: Fact::UserIdentity(Box::new(UserIdentity {
                        user: member,
                        uid: None,
                        group: None,
                        groups: vec![group.clone()],
                    })),
                });
            }
            continue;
        }
        if let Some((program, args)) = &meaning
            && let Some(identity) = bare_line(t, program, args)
        {
            out.facts.push(FactAt {
                span: line.span,
                fact: Fact::UserIdentity(Box::new(identity)),
            });
            continue;
        }
        out.unread.push(line.span);
    }
    for (index, gid) in primary {
        if let Some((_, name)) = group_names.iter().find(|(g, _)| *g == gid)
            && let Some(FactAt {
                fact: Fact::UserIdentity(identity),
                ..
            }) = out.facts.get_mut(index)
        {
            identity.group = Some(name.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::test_support::{facts_of, parse_with_command};

    fn identities(text: &str, command: Option<&str>) -> (Vec<UserIdentity>, Parsed) {
        let parsed = parse_with_command(parse, text, command);
        (facts_of(&parsed), parsed)
    }

    #[test]
    fn reads_id_groups_and_getent() {
        let (ids, parsed) = identities(
            "uid=33(www-data) gid=33(www-data) groups=33(www-data),1001(deploy) context=system_u:system_r:httpd_t:s0\nuid=0(root) gid=0(root) Gruppen=0(root)\nnginx : nginx www-data\nnginx:x:101:101:nginx user:/nonexistent:/usr/sbin/nologin\nnginx:x:101:\nwww-data:x:33:nginx,deploy\n",
            None,
        );
        assert!(parsed.unread.is_empty());
        assert_eq!(ids[0].user, "www-data");
        assert_eq!(ids[0].uid, Some(33));
        assert_eq!(ids[0].groups, ["www-data", "deploy"]);
        assert_eq!(ids[1].groups, ["root"]);
        assert_eq!(ids[2].groups, ["nginx", "www-data"]);
        assert_eq!(
            (ids[3].user.as_str(), ids[3].group.as_deref()),
            ("nginx", Some("nginx"))
        );
        assert_eq!(ids[4].user, "nginx");
        assert_eq!(ids[4].groups, ["www-data"]);
        assert_eq!(ids[5].user, "deploy");
    }

    #[test]
    fn bare_output_needs_the_command() {
        let (ids, _) = identities("nginx www-data\n", Some("id -Gn nginx"));
        assert_eq!((ids[0].user.as_str(), ids[0].groups.len()), ("nginx", 2));
        let (ids, _) = identities("33\n", Some("id -u www-data"));
        assert_eq!(ids[0].uid, Some(33));
        let (ids, _) = identities("root\n", Some("whoami"));
        assert_eq!(ids[0].user, "root");
        let (_, parsed) = identities("nginx www-data\n", None);
        assert_eq!(parsed.unread.len(), 1);
    }
}

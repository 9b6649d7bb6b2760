//! May the nginx worker open a unix socket? File modes of `ls -l`/`stat`/`namei` read against a
//! user and the groups `id`/`groups` (or the `user` directive) give it.

use crate::facts::FileEntry;
use crate::model::{At, Model};

/// `rw-rw----` → `0660` (special bits ignored; `s`/`t` count as execute).
pub fn octal_mode(mode: &str) -> Option<String> {
    let m: Vec<char> = mode.chars().collect();
    if m.len() < 9 {
        return None;
    }
    let mut digits = String::from("0");
    for triple in m[..9].chunks(3) {
        let mut v = 0;
        if triple[0] == 'r' {
            v += 4;
        }
        if triple[1] == 'w' {
            v += 2;
        }
        if matches!(triple[2], 'x' | 's' | 't') {
            v += 1;
        }
        digits.push(char::from(b'0' + v));
    }
    Some(digits)
}

/// Which permission class of a file applies to a user.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    /// The user owns it.
    Owner,
    /// One of the user's groups owns it.
    Group,
    /// Everyone else.
    Other,
}

/// A user and the groups known for it.
#[derive(Clone, Debug, Default)]
pub struct Who {
    /// User name.
    pub user: String,
    /// Groups known (primary and supplementary); may be incomplete.
    pub groups: Vec<String>,
    /// True when the groups come from `id`/`groups` output (complete), false when guessed.
    pub groups_known: bool,
}

impl Who {
    /// The permission class of `f` for this user, `None` when a group membership is unknown
    /// and would matter.
    pub fn class_of(&self, f: &FileEntry) -> Option<Class> {
        if self.user == "root" {
            return Some(Class::Owner);
        }
        if f.owner == self.user {
            return Some(Class::Owner);
        }
        if self.groups.contains(&f.group) {
            return Some(Class::Group);
        }
        if self.groups_known { Some(Class::Other) } else { None }
    }

    /// May this user write to `f` (connect to a socket)? `None` when it cannot be told.
    pub fn may_write(&self, f: &FileEntry) -> Option<bool> {
        if self.user == "root" {
            return Some(true);
        }
        let m: Vec<char> = f.mode.chars().collect();
        if m.len() < 9 {
            return None;
        }
        match self.class_of(f) {
            Some(Class::Owner) => Some(m[1] == 'w'),
            Some(Class::Group) => Some(m[4] == 'w'),
            Some(Class::Other) => Some(m[7] == 'w'),
            // Group unknown: only a clear answer counts.
            None if m[7] == 'w' => Some(true),
            None if m[4] != 'w' => Some(false),
            None => None,
        }
    }

    /// May this user traverse directory `f`? `None` when it cannot be told.
    pub fn may_search(&self, f: &FileEntry) -> Option<bool> {
        if self.user == "root" {
            return Some(true);
        }
        let m: Vec<char> = f.mode.chars().collect();
        if m.len() < 9 {
            return None;
        }
        let x = |c: char| matches!(c, 'x' | 's' | 't');
        match self.class_of(f) {
            Some(Class::Owner) => Some(x(m[2])),
            Some(Class::Group) => Some(x(m[5])),
            Some(Class::Other) => Some(x(m[8])),
            None if x(m[8]) => Some(true),
            None if !x(m[5]) => Some(false),
            None => None,
        }
    }
}

impl<'a> Model<'a> {
    /// The nginx worker user with its groups: from `id`/`groups` output when pasted, else the
    /// `user` directive's group and the user's own name (a user's primary group usually has its
    /// name). `None` when the user is not known at all.
    pub fn nginx_who(&self) -> Option<(Who, crate::model::nginx::NginxUser<'a>)> {
        let user = self.nginx_user()?;
        let mut who = Who {
            user: user.name.clone(),
            ..Default::default()
        };
        if let Some(id) = self.groups_of(&user.name) {
            who.groups = id.groups.clone();
            if let Some(g) = &id.group
                && !who.groups.contains(g)
            {
                who.groups.push(g.clone());
            }
            who.groups_known = true;
        } else {
            who.groups.push(user.name.clone());
            if let Some(g) = &user.group {
                who.groups.push(g.clone());
            }
        }
        Some((who, user))
    }

    /// The parent directories of `path` that were listed (`ls -ld`, `namei -l`), outermost first.
    pub fn parents_listed(&self, path: &str) -> Vec<At<'a, FileEntry>> {
        let mut out = Vec::new();
        let mut p = path.trim_end_matches('/');
        while let Some((dir, _)) = p.rsplit_once('/') {
            if dir.is_empty() {
                break;
            }
            if let Some(f) = self.file(dir)
                && f.file_type == 'd'
            {
                out.push(f);
            }
            p = dir;
        }
        out.reverse();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(mode: &str, owner: &str, group: &str) -> FileEntry {
        FileEntry {
            path: "/run/php/php8.3-fpm.sock".into(),
            file_type: 's',
            mode: mode.into(),
            owner: owner.into(),
            group: group.into(),
            ..Default::default()
        }
    }

    #[test]
    fn reads_modes_and_access() {
        assert_eq!(octal_mode("rw-rw----").as_deref(), Some("0660"));
        assert_eq!(octal_mode("rwxr-x--x").as_deref(), Some("0751"));
        assert_eq!(octal_mode("rw-"), None);
        let www = Who {
            user: "www-data".into(),
            groups: vec!["www-data".into()],
            groups_known: true,
        };
        assert_eq!(www.may_write(&entry("rw-rw----", "root", "root")), Some(false));
        assert_eq!(www.may_write(&entry("rw-rw----", "root", "www-data")), Some(true));
        assert_eq!(www.may_write(&entry("rw-------", "www-data", "root")), Some(true));
        assert_eq!(www.may_write(&entry("rwxrwxrwx", "deploy", "deploy")), Some(true));
        let guessed = Who {
            user: "nginx".into(),
            groups: vec!["nginx".into()],
            groups_known: false,
        };
        assert_eq!(guessed.may_write(&entry("rw-rw----", "apache", "apache")), None);
        assert_eq!(guessed.may_write(&entry("rw-------", "root", "root")), Some(false));
    }
}

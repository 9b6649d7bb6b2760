//! SELinux state: `getenforce` (`Enforcing`), `sestatus` (`SELinux status:`, `Current mode:`,
//! `Mode from config file:`..., with `-b` booleans and `-v` contexts) and booleans from
//! `getsebool [-a]` (`httpd_can_network_connect --> off`) and `semanage boolean -l` rows. One
//! reader serves both kinds.
//!
//! Facts: [`SelinuxMode`] (lower case) from `getenforce`, `Current mode:`, `SELinux status:
//! disabled` and `getsebool: SELinux is disabled`; [`SeBoolean`] per boolean (the current value
//! for `semanage`'s `(current, default)`).

use crate::facts::{Fact, FactAt, SeBoolean, SelinuxMode};
use crate::kind::Kind;
use crate::parse::registry::{KindSpec, no_file, share_of_lines};
use crate::parse::{ParseContext, Parsed};
use crate::span::lines;

/// `getenforce` / `sestatus`.
pub const STATUS_SPEC: KindSpec = KindSpec {
    kind: Kind::SelinuxStatus,
    embeds: &[],
    command: |program, _| matches!(program, "getenforce" | "sestatus"),
    file: no_file,
    line: Some(is_status_line),
    block: |lines| {
        let t: Vec<&str> = lines.iter().map(|l| l.trim()).filter(|l| !l.is_empty()).collect();
        if t.len() == 1 && t[0] == "Disabled" {
            return 0.6;
        }
        let strong = share_of_lines(lines, is_status_line);
        if strong == 0.0 {
            return 0.0;
        }
        0.3 + 0.7
            * share_of_lines(lines, |l| {
                is_status_line(l) || sestatus_key(l.trim()).is_some() || boolean(l).is_some()
            })
    },
    parse,
};

/// `getsebool` / `semanage boolean -l`.
pub const GETSEBOOL_SPEC: KindSpec = KindSpec {
    kind: Kind::Getsebool,
    embeds: &[],
    command: |program, args| program == "getsebool" || program == "semanage" && args.first() == Some(&"boolean"),
    file: no_file,
    line: Some(is_boolean_line),
    block: |lines| share_of_lines(lines, |l| is_boolean_line(l) || is_semanage_header(l.trim())),
    parse,
};

/// The `sestatus` keys.
const SESTATUS_KEYS: &[&str] = &[
    "SELinux status",
    "SELinuxfs mount",
    "SELinux root directory",
    "SELinux mount point",
    "Loaded policy name",
    "Current mode",
    "Mode from config file",
    "Policy MLS status",
    "Policy deny_unknown status",
    "Memory protection checking",
    "Max kernel policy version",
    "Policy version",
    "Policy from config file",
    "Policy booleans",
    "Process contexts",
    "File contexts",
    "Current context",
    "Init context",
];

/// `KEY:   value` of sestatus.
fn sestatus_key(t: &str) -> Option<(&str, &str)> {
    let (key, value) = t.split_once(':')?;
    SESTATUS_KEYS
        .contains(&key.trim())
        .then_some((key.trim(), value.trim()))
}

/// Lines only getenforce / sestatus print.
pub fn is_status_line(line: &str) -> bool {
    let t = line.trim();
    matches!(t, "Enforcing" | "Permissive")
        || sestatus_key(t).is_some_and(|(k, _)| {
            matches!(
                k,
                "SELinux status"
                    | "SELinuxfs mount"
                    | "Current mode"
                    | "Mode from config file"
                    | "Policy MLS status"
                    | "Loaded policy name"
                    | "Policy booleans"
            )
        })
}

/// Lines only getsebool / semanage boolean print.
pub fn is_boolean_line(line: &str) -> bool {
    let t = line.trim();
    boolean(t).is_some() || t.starts_with("getsebool:")
}

fn is_semanage_header(t: &str) -> bool {
    t.starts_with("SELinux boolean") && t.contains("State") && t.contains("Default")
}

/// `name --> on`, `name (off  ,  off)  Description`, sestatus -b `name   off` → (name, on).
fn boolean(line: &str) -> Option<(&str, bool)> {
    let t = line.trim();
    let is_name = |n: &str| {
        !n.is_empty()
            && n.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
            && n.contains('_')
    };
    if let Some((name, value)) = t.split_once(" --> ") {
        let name = name.trim();
        let value = value.split_whitespace().next()?;
        return (is_name(name) && matches!(value, "on" | "off")).then_some((name, value == "on"));
    }
    let (name, rest) = t.split_once(char::is_whitespace)?;
    let rest = rest.trim_start();
    if let Some(inside) = rest.strip_prefix('(') {
        let (current, _) = inside.split_once(',')?;
        let current = current.trim();
        return (is_name(name) && matches!(current, "on" | "off")).then_some((name, current == "on"));
    }
    None
}

/// `sestatus -b` rows: `httpd_can_network_connect                   off`.
fn plain_boolean(t: &str) -> Option<(&str, bool)> {
    let mut w = t.split_whitespace();
    let name = w.next()?;
    let value = w.next()?;
    (w.next().is_none() && name.contains('_') && matches!(value, "on" | "off")).then_some((name, value == "on"))
}

/// Parses getenforce, sestatus, getsebool or semanage boolean output.
pub fn parse(cx: &ParseContext<'_>) -> Parsed {
    let mut out = Parsed::default();
    let mut section: Option<&str> = None;
    for line in lines(cx.text, cx.base) {
        let t = line.text.trim();
        if t.is_empty() {
            continue;
        }
        let mut push = |fact: Fact| out.facts.push(FactAt { span: line.span, fact });
        if matches!(t, "Enforcing" | "Permissive" | "Disabled") {
            push(Fact::SelinuxMode(SelinuxMode {
                mode: t.to_ascii_lowercase(),
            }));
            continue;
        }
        if let Some((name, on)) = boolean(t) {
            push(Fact::SeBoolean(SeBoolean {
                name: name.to_string(),
                on,
            }));
            continue;
        }
        if let Some(rest) = t.strip_prefix("getsebool:") {
            if rest.contains("SELinux is disabled") {
                push(Fact::SelinuxMode(SelinuxMode {
                    mode: "disabled".into(),
                }));
            }
            continue;
        }
        if is_semanage_header(t) {
            continue;
        }
        if let Some((key, value)) = sestatus_key(t) {
            section = Some(match key {
                "Policy booleans" => "booleans",
                "Process contexts" | "File contexts" => "contexts",
                _ => "",
            });
            match key {
                "Current mode" => push(Fact::SelinuxMode(SelinuxMode {
                    mode: value.to_ascii_lowercase(),
                })),
                "SELinux status" if value == "disabled" => push(Fact::SelinuxMode(SelinuxMode {
                    mode: "disabled".into(),
                })),
                _ => {}
            }
            continue;
        }
        if section == Some("booleans")
            && let Some((name, on)) = plain_boolean(t)
        {
            push(Fact::SeBoolean(SeBoolean {
                name: name.to_string(),
                on,
            }));
            continue;
        }
        if section == Some("contexts") && t.split_whitespace().count() >= 2 && t.contains(":object_r:")
            || section == Some("contexts") && t.contains("_u:")
        {
            continue;
        }
        out.unread.push(line.span);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> (Vec<Fact>, usize) {
        let p = parse(&ParseContext::new(text, 0));
        (p.facts.into_iter().map(|f| f.fact).collect(), p.unread.len())
    }

    #[test]
    fn reads_sestatus_and_getenforce() {
        let text = "SELinux status:                 enabled\nSELinuxfs mount:                /sys/fs/selinux\nSELinux root directory:         /etc/selinux\nLoaded policy name:             targeted\nCurrent mode:                   permissive\nMode from config file:          enforcing\nPolicy MLS status:              enabled\nPolicy deny_unknown status:     allowed\nMemory protection checking:     actual (secure)\nMax kernel policy version:      33\n\nPolicy booleans:\nhttpd_can_network_connect                   off\nhttpd_can_network_relay                     on\n";
        let (facts, unread) = read(text);
        assert_eq!(unread, 0);
        assert_eq!(
            facts[0],
            Fact::SelinuxMode(SelinuxMode {
                mode: "permissive".into()
            })
        );
        assert_eq!(facts.len(), 3);
        let (facts, _) = read("Enforcing\n");
        assert_eq!(
            facts[0],
            Fact::SelinuxMode(SelinuxMode {
                mode: "enforcing".into()
            })
        );
        let (facts, _) = read("SELinux status:                 disabled\n");
        assert_eq!(
            facts[0],
            Fact::SelinuxMode(SelinuxMode {
                mode: "disabled".into()
            })
        );
    }

    #[test]
    fn reads_booleans() {
        let (facts, unread) = read(
            "httpd_can_network_connect --> off\nhttpd_can_network_connect_db --> on\nhttpd_unified --> off pending: on\n",
        );
        assert_eq!(unread, 0);
        assert_eq!(
            facts[0],
            Fact::SeBoolean(SeBoolean {
                name: "httpd_can_network_connect".into(),
                on: false
            })
        );
        assert_eq!(facts.len(), 3);
        let (facts, unread) = read(
            "SELinux boolean                State  Default Description\n\nhttpd_can_network_connect      (on   ,  off)  Allow httpd to can network connect\n",
        );
        assert_eq!(unread, 0);
        assert!(matches!(&facts[0], Fact::SeBoolean(b) if b.on));
        let (facts, _) = read("getsebool:  SELinux is disabled\n");
        assert!(matches!(&facts[0], Fact::SelinuxMode(m) if m.mode == "disabled"));
    }

    #[test]
    fn recognises_content() {
        assert!(is_status_line("Enforcing"));
        assert!(is_status_line("Current mode:                   enforcing"));
        assert!(is_boolean_line("httpd_can_network_connect --> off"));
        assert!(!is_boolean_line("a --> b"));
        for junk in ["-->", " --> on", "x (", "x (on", "Current mode:", "é"] {
            let _ = read(junk);
        }
    }
}

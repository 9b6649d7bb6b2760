//! Mandatory access control denials: SELinux AVC records (`audit.log`, `ausearch -m avc` raw and
//! `-i` interpreted forms with their `----` / `time->` separators and companion `type=SYSCALL`,
//! `PROCTITLE`, `PATH`... records; kernel, dmesg and journal lines carrying them), `sealert`
//! reports and setroubleshoot summaries (`SELinux is preventing /usr/sbin/nginx from
//! name_connect access on the tcp_socket port 8080.`), AppArmor denials
//! (`apparmor="DENIED" operation="connect" profile="/usr/sbin/nginx" name="/run/php/...sock"`)
//! in any wrapper, and `aa-status` output. One reader serves the `audit-log` and `apparmor`
//! kinds: audit logs hold both systems' records.
//!
//! Facts: a [`MacDenial`] per denial (`system` `selinux` or `apparmor`; AppArmor masks such as
//! `wr` are spelled out as `write`, `read`; `ALLOWED` and `permissive=1` set `permissive`), and
//! for `aa-status` profile lists a [`Setting`] with `source: "apparmor"`, `key` the profile and
//! `value` its mode (`enforce`, `complain`...). Granted AVCs and AppArmor `STATUS`/`AUDIT`
//! records are read but give no fact.

use crate::facts::{Fact, FactAt, MacDenial, Setting};
use crate::kind::Kind;
use crate::parse::firewall::{unquote, words};
use crate::parse::registry::{KindSpec, anchored_share, no_file};
use crate::parse::{ParseContext, Parsed};
use crate::span::lines;

/// `audit.log` / `ausearch` / `sealert` output.
pub const AUDIT_LOG_SPEC: KindSpec = KindSpec {
    kind: Kind::AuditLog,
    embeds: &[],
    command: |program, _| {
        matches!(
            program,
            "ausearch" | "sealert" | "aureport" | "audit2why" | "audit2allow"
        )
    },
    file: |path| {
        let name = path.rsplit('/').next().unwrap_or(path);
        name.starts_with("audit.log")
    },
    line: Some(is_audit_line),
    block: |lines| score(lines, is_audit_line),
    parse,
};

/// AppArmor denials and `aa-status`.
pub const APPARMOR_SPEC: KindSpec = KindSpec {
    kind: Kind::Apparmor,
    embeds: &[],
    command: |program, _| matches!(program, "aa-status" | "apparmor_status" | "aa-enforce" | "aa-complain"),
    file: no_file,
    line: Some(is_apparmor_line),
    block: |lines| score(lines, is_apparmor_line),
    parse,
};

/// Share of lines read, when at least one is strong evidence of the kind.
fn score(lines: &[&str], strong: fn(&str) -> bool) -> f32 {
    anchored_share(
        lines,
        |line| strong(line.trim()),
        |line| {
            let t = line.trim();
            is_audit_record(t) || is_separator(t) || is_apparmor_line(t) || is_audit_line(t)
        },
    )
}

/// AVC records, audit records, sealert summaries and the headings of a sealert report.
pub fn is_audit_line(line: &str) -> bool {
    let t = line.trim();
    (is_avc(t) && !t.contains("apparmor="))
        || t.starts_with("type=") && t.contains(" msg=audit(") && !t.contains("apparmor=")
        || t.contains("SELinux is preventing ")
        || t.starts_with("time->")
        || t.starts_with("*****  Plugin ")
        // ausearch's record separator (exactly four dashes).
        || matches!(t, "Additional Information:" | "Raw Audit Messages" | "----")
        || t.starts_with("where PORT_TYPE is one of the following")
        || t.starts_with("found ") && t.contains(" alerts in ")
        || sealert_table_key(t)
        || is_sealert_advice(t)
}

/// The first lines of the advice paragraphs of a sealert report (strong, so that a report pasted
/// without its prompt stays one piece across its blank lines).
fn is_sealert_advice(t: &str) -> bool {
    const STARTS: &[&str] = &[
        "If you want to allow ",
        "If you want to ignore ",
        "If you believe that ",
        "If you do not think ",
        "Then you must tell SELinux",
        "Then you need to ",
        "Then you should report this as a bug",
        "You can generate a local policy module to allow this access",
        "allow this access for now by executing:",
    ];
    t == "Do"
        || STARTS.iter().any(|s| t.starts_with(s))
        || t.strip_suffix("% done")
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// The `Additional Information:` table of a sealert report (`Source Context    system_u:...`).
fn sealert_table_key(t: &str) -> bool {
    const KEYS: &[&str] = &[
        "Source Context ",
        "Target Context ",
        "Target Objects ",
        "Source Path ",
        "Policy RPM ",
        "Selinux Enabled ",
        "Policy Type ",
        "Enforcing Mode ",
        "Alert Count ",
        "First Seen ",
        "Last Seen ",
        "Local ID ",
        "Host Name ",
        "Platform ",
        "Selinux-policy-targeted ",
    ];
    KEYS.iter()
        .any(|k| t.starts_with(k) && t.get(k.len()..).is_some_and(|r| r.starts_with(' ')))
        || t.starts_with("Hash: ") && t.matches(',').count() >= 3
}

/// The advice and bookkeeping lines of a sealert report, in or out of its context.
fn is_sealert_text(t: &str) -> bool {
    const STARTS: &[&str] = &[
        "If you want to ",
        "If you believe ",
        "If you do not think ",
        "Then you ",
        "Do",
        "You can generate a local policy module",
        "allow this access for now by executing:",
        "# ausearch -c ",
        "# semodule ",
        "# semanage ",
        "# setsebool ",
        "# /sbin/restorecon ",
        "setsebool -P ",
        "semanage ",
        "restorecon ",
        "You need to change the label on ",
        "The source process:",
        "Attempting to access:",
        "Source ",
        "Port ",
        "Host ",
        "Raw Audit Messages",
        "SELinux denied access",
        "Additional Information:",
    ];
    STARTS.iter().any(|s| t.starts_with(s)) || is_audit_line(t)
}

/// AppArmor records (denials, and the `STATUS`/`AUDIT` records around them) and `aa-status`
/// lines.
pub fn is_apparmor_line(line: &str) -> bool {
    let t = line.trim();
    t.contains(" apparmor=\"")
        || t.starts_with("apparmor=\"")
        || t.starts_with("apparmor module is ")
        || aa_status_count(t).is_some()
}

fn is_avc(t: &str) -> bool {
    t.find("avc:").is_some_and(|i| {
        let rest = t.get(i + 4..).unwrap_or("").trim_start();
        rest.starts_with("denied") || rest.starts_with("granted")
    })
}

/// `type=SYSCALL msg=audit(...)`, and the same behind a kernel/journal prefix (`audit: type=1300`).
fn is_audit_record(t: &str) -> bool {
    t.starts_with("type=") && t.contains("msg=audit(")
        || t.contains("audit: type=")
        || t.contains("audit(") && t.contains("): ")
}

fn is_separator(t: &str) -> bool {
    t.len() >= 3 && t.bytes().all(|b| b == b'-') || t == "<no matches>"
}

/// `42 profiles are loaded.`, `38 profiles are in enforce mode.`, `2 processes are unconfined
/// but have a profile defined.` → the mode a list that follows is in (`""` for none).
fn aa_status_count(t: &str) -> Option<&str> {
    let (number, rest) = t.split_once(' ')?;
    if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let rest = rest
        .strip_prefix("profiles ")
        .or_else(|| rest.strip_prefix("processes "))?;
    if let Some(mode) = rest.strip_prefix("are in ").and_then(|m| m.strip_suffix(" mode.")) {
        return Some(mode);
    }
    matches!(
        rest,
        "are loaded." | "have profiles defined." | "are unconfined but have a profile defined."
    )
    .then_some("")
}

/// `key=value` pairs of an audit record (quoted or not).
fn fields(text: &str) -> Vec<(String, String)> {
    words(text)
        .into_iter()
        .filter_map(|w| {
            let (k, v) = w.split_once('=')?;
            Some((k.to_string(), unquote(v).to_string()))
        })
        .collect()
}

fn field<'a>(fields: &'a [(String, String)], key: &str) -> Option<&'a str> {
    fields.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

/// Reads an SELinux AVC denial or an AppArmor denial from a line in any wrapper.
pub fn denial(line: &str) -> Option<MacDenial> {
    if let Some(i) = line.find("apparmor=\"") {
        return apparmor_denial(line.get(i..)?);
    }
    let i = line.find("avc:")?;
    let rest = line.get(i + 4..)?.trim_start();
    let rest = rest.strip_prefix("denied")?.trim_start();
    let open = rest.find('{')?;
    let close = rest.find('}')?;
    let permissions = rest
        .get(open + 1..close)?
        .split_whitespace()
        .map(str::to_string)
        .collect();
    let f = fields(rest.get(close + 1..)?);
    let get = |k: &str| field(&f, k).map(str::to_string);
    Some(MacDenial {
        system: "selinux".into(),
        permissions,
        comm: get("comm"),
        dest_port: field(&f, "dest").or(field(&f, "src")).and_then(|p| p.parse().ok()),
        path: get("path").or_else(|| get("name")),
        source_context: get("scontext"),
        target_context: get("tcontext"),
        target_class: get("tclass"),
        permissive: field(&f, "permissive") == Some("1"),
        operation: None,
    })
}

/// `apparmor="DENIED" operation="connect" profile="/usr/sbin/nginx" name="..." ...`.
fn apparmor_denial(text: &str) -> Option<MacDenial> {
    let f = fields(text);
    let verdict = field(&f, "apparmor")?;
    if !matches!(verdict, "DENIED" | "ALLOWED") {
        return None;
    }
    let get = |k: &str| field(&f, k).map(str::to_string);
    let mask = field(&f, "denied_mask").or(field(&f, "requested_mask")).unwrap_or("");
    let permissions = if mask.contains(' ') || mask.len() > 8 {
        mask.split_whitespace().map(str::to_string).collect()
    } else {
        mask.chars().filter_map(mask_letter).map(str::to_string).collect()
    };
    let path = get("name")
        .or_else(|| get("peer_addr"))
        .or_else(|| get("addr").filter(|a| a != "none"));
    Some(MacDenial {
        system: "apparmor".into(),
        permissions,
        comm: get("comm"),
        dest_port: field(&f, "fport").and_then(|p| p.parse().ok()).filter(|p| *p != 0),
        path,
        source_context: get("profile"),
        target_context: get("peer"),
        target_class: get("class").or_else(|| get("sock_type").map(|s| format!("{s}_socket"))),
        permissive: verdict == "ALLOWED",
        operation: get("operation"),
    })
}

/// AppArmor file-permission letters.
fn mask_letter(c: char) -> Option<&'static str> {
    Some(match c {
        'r' => "read",
        'w' => "write",
        'a' => "append",
        'x' => "exec",
        'm' => "mmap",
        'k' => "lock",
        'l' => "link",
        'c' => "create",
        'd' => "delete",
        'o' => "open",
        _ => return None,
    })
}

/// `SELinux is preventing /usr/sbin/nginx from name_connect access on the tcp_socket port 8080.`
fn sealert_summary(line: &str) -> Option<MacDenial> {
    let i = line.find("SELinux is preventing ")?;
    let rest = line.get(i + "SELinux is preventing ".len()..)?;
    let (process, rest) = rest.split_once(" from ")?;
    let (access, target) = rest.split_once(" access on the ")?;
    let access = access.trim_start_matches("using the ").trim_matches('\'');
    let permissions = access
        .split([',', ' '])
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect();
    let target = target.split(". For complete").next().unwrap_or(target);
    let target = target.trim().trim_end_matches('.');
    let (class, object) = target.split_once(' ').unwrap_or((target, ""));
    let object = object.trim();
    let (dest_port, path) = match object.strip_prefix("port ") {
        Some(port) => (port.trim().parse().ok(), None),
        None => (None, (!object.is_empty()).then(|| object.to_string())),
    };
    let comm = process.rsplit('/').next().unwrap_or(process);
    Some(MacDenial {
        system: "selinux".into(),
        permissions,
        comm: Some(comm.to_string()),
        dest_port,
        path,
        target_class: (!class.is_empty() && class != "a").then(|| class.to_string()),
        ..Default::default()
    })
}

/// Parses audit records, sealert reports, AppArmor denials and aa-status output.
pub fn parse(cx: &ParseContext<'_>) -> Parsed {
    let mut out = Parsed::default();
    let mut sealert = false;
    // Inside an aa-status list: the mode of a profiles list, `None` for a processes list.
    let mut aa_list: Option<Option<String>> = None;
    for line in lines(cx.text, cx.base) {
        let t = line.text.trim();
        if t.is_empty() {
            continue;
        }
        let mut push = |fact: Fact| out.facts.push(FactAt { span: line.span, fact });
        if let Some(d) = denial(t) {
            push(Fact::MacDenial(Box::new(d)));
            continue;
        }
        if let Some(d) = sealert_summary(t) {
            sealert = true;
            push(Fact::MacDenial(Box::new(d)));
            continue;
        }
        if let Some(mode) = aa_status_count(t) {
            aa_list = Some(Some(mode.to_string()).filter(|m| !m.is_empty() && t.contains(" profiles ")));
            continue;
        }
        if t.starts_with("apparmor module is ") || t.starts_with("You do not have enough privilege") {
            continue;
        }
        if line.text.starts_with([' ', '\t'])
            && !t.contains('=')
            && let Some(list) = &aa_list
        {
            // aa-status lists: `   /usr/sbin/nginx` under a profiles count, `   /usr/sbin/nginx
            // (1234) nginx` under a processes count (read, no fact).
            if let Some(mode) = list {
                push(Fact::Setting(Box::new(Setting {
                    source: "apparmor".into(),
                    key: t.to_string(),
                    value: mode.clone(),
                })));
            }
            continue;
        }
        // `/usr/sbin/nginx (enforce)` (ps -Z, /proc/PID/attr/current).
        if let Some((profile, mode)) = t.strip_suffix(')').and_then(|x| x.rsplit_once(" ("))
            && matches!(mode, "enforce" | "complain" | "kill" | "unconfined" | "prompt")
            && !profile.contains(' ')
        {
            push(Fact::Setting(Box::new(Setting {
                source: "apparmor".into(),
                key: profile.to_string(),
                value: mode.to_string(),
            })));
            continue;
        }
        if is_audit_record(t)
            || is_avc(t)
            || is_separator(t)
            || t.starts_with("time->")
            || t.contains("apparmor=\"")
            || t.starts_with("found ") && t.contains(" alerts in ")
        {
            continue;
        }
        if sealert || is_sealert_text(t) {
            // The rest of a sealert report: plugin advice, `Additional Information:` table, raw
            // messages (AVCs among them were read above).
            sealert = true;
            continue;
        }
        out.unread.push(line.span);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::test_support::{facts_and_unread_count, facts_of};

    fn denials(text: &str) -> (Vec<MacDenial>, usize) {
        facts_and_unread_count(parse, text)
    }

    #[test]
    fn reads_avc_records() {
        let text = "----\ntime->Mon Dec  2 10:17:33 2024\ntype=PROCTITLE msg=audit(1733134653.412:1043): proctitle=6E67696E78\ntype=SYSCALL msg=audit(1733134653.412:1043): arch=c000003e syscall=42 success=no exit=-13 comm=\"nginx\" exe=\"/usr/sbin/nginx\" subj=system_u:system_r:httpd_t:s0 key=(null)\ntype=AVC msg=audit(1763719200.123:456): avc:  denied  { name_connect } for  pid=2212 comm=\"nginx\" dest=8080 scontext=system_u:system_r:httpd_t:s0 tcontext=system_u:object_r:http_cache_port_t:s0 tclass=tcp_socket permissive=0\ntype=AVC msg=audit(1733134653.412:1043): avc:  denied  { write } for  pid=1290 comm=\"nginx\" name=\"php-fpm.sock\" dev=\"dm-2\" ino=1573021 scontext=system_u:system_r:httpd_t:s0 tcontext=unconfined_u:object_r:user_home_t:s0 tclass=sock_file permissive=1\n";
        let (d, unread) = denials(text);
        assert_eq!(unread, 0);
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].permissions, vec!["name_connect"]);
        assert_eq!(d[0].dest_port, Some(8080));
        assert_eq!(d[0].comm.as_deref(), Some("nginx"));
        assert_eq!(d[0].target_class.as_deref(), Some("tcp_socket"));
        assert_eq!(
            d[0].target_context.as_deref(),
            Some("system_u:object_r:http_cache_port_t:s0")
        );
        assert!(!d[0].permissive);
        assert_eq!(d[1].path.as_deref(), Some("php-fpm.sock"));
        assert!(d[1].permissive);
        let interpreted = "type=AVC msg=audit(12/02/2024 10:17:33.412:1043) : avc:  denied  { connectto } for  pid=1290 comm=nginx path=/run/php-fpm/www.sock scontext=system_u:system_r:httpd_t:s0 tcontext=system_u:system_r:unconfined_service_t:s0 tclass=unix_stream_socket permissive=0 \n";
        let (d, _) = denials(interpreted);
        assert_eq!(d[0].path.as_deref(), Some("/run/php-fpm/www.sock"));
        assert_eq!(d[0].target_class.as_deref(), Some("unix_stream_socket"));
    }

    #[test]
    fn reads_sealert() {
        let text = "SELinux is preventing /usr/sbin/nginx from name_connect access on the tcp_socket port 8080.\n\n*****  Plugin connect_ports (92.2 confidence) suggests   *********************\n\nIf you want to allow /usr/sbin/nginx to connect to network port 8080\nThen you need to modify the port type.\nDo\nsetsebool -P httpd_can_network_connect 1\n";
        let (d, unread) = denials(text);
        assert_eq!(unread, 0);
        assert_eq!(d[0].comm.as_deref(), Some("nginx"));
        assert_eq!(d[0].dest_port, Some(8080));
        assert_eq!(d[0].target_class.as_deref(), Some("tcp_socket"));
        let journal = "Dec 02 10:17:35 web1 setroubleshoot[2291]: SELinux is preventing nginx from write access on the sock_file gunicorn.sock. For complete SELinux messages run: sealert -l 8f0e2b2c-1234\n";
        let (d, _) = denials(journal);
        assert_eq!(d[0].path.as_deref(), Some("gunicorn.sock"));
        assert_eq!(d[0].permissions, vec!["write"]);
    }

    #[test]
    fn reads_apparmor() {
        let text = "[ 1234.567890] audit: type=1400 audit(1733134653.412:88): apparmor=\"DENIED\" operation=\"connect\" profile=\"/usr/sbin/nginx\" name=\"/run/php/php8.3-fpm.sock\" pid=1290 comm=\"nginx\" requested_mask=\"wr\" denied_mask=\"wr\" fsuid=33 ouid=0\nDec 02 10:17:33 web1 kernel: audit: type=1400 audit(1733134653.412:89): apparmor=\"ALLOWED\" operation=\"connect\" class=\"net\" profile=\"nginx\" pid=1290 comm=\"nginx\" family=\"unix\" sock_type=\"stream\" protocol=0 requested_mask=\"send connect\" denied_mask=\"send connect\" addr=none peer_addr=\"/run/php/php-fpm.sock\" peer=\"unconfined\"\naudit: type=1400 audit(1.2:3): apparmor=\"STATUS\" operation=\"profile_load\" profile=\"unconfined\" name=\"nginx\"\n";
        let (d, unread) = denials(text);
        assert_eq!(unread, 0);
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].system, "apparmor");
        assert_eq!(d[0].permissions, vec!["write", "read"]);
        assert_eq!(d[0].path.as_deref(), Some("/run/php/php8.3-fpm.sock"));
        assert_eq!(d[0].source_context.as_deref(), Some("/usr/sbin/nginx"));
        assert_eq!(d[0].operation.as_deref(), Some("connect"));
        assert!(d[1].permissive);
        assert_eq!(d[1].permissions, vec!["send", "connect"]);
        assert_eq!(d[1].path.as_deref(), Some("/run/php/php-fpm.sock"));
        assert_eq!(d[1].target_class.as_deref(), Some("net"));
    }

    #[test]
    fn reads_aa_status() {
        let text = "apparmor module is loaded.\n3 profiles are loaded.\n2 profiles are in enforce mode.\n   /usr/sbin/nginx\n   man_filter\n1 profiles are in complain mode.\n   php-fpm\n1 processes have profiles defined.\n2 processes are in enforce mode.\n   /usr/sbin/nginx (1234) \n   firefox (2345) firefox\n0 processes are in complain mode.\n0 processes are unconfined but have a profile defined.\n";
        let p = parse(&ParseContext::new(text, 0));
        assert!(p.unread.is_empty(), "{:?}", p.unread);
        let settings: Vec<(String, String)> = facts_of::<Setting>(&p).into_iter().map(|s| (s.key, s.value)).collect();
        assert_eq!(
            settings,
            vec![
                ("/usr/sbin/nginx".into(), "enforce".into()),
                ("man_filter".into(), "enforce".into()),
                ("php-fpm".into(), "complain".into())
            ]
        );
    }

    #[test]
    fn recognisers_and_junk() {
        assert!(is_audit_line(
            "type=AVC msg=audit(1.2:3): avc:  denied  { write } for pid=1"
        ));
        assert!(!is_audit_line("type=AVC msg=audit(1.2:3): apparmor=\"DENIED\""));
        assert!(is_apparmor_line("audit: apparmor=\"DENIED\" operation=\"open\""));
        assert!(is_apparmor_line("38 profiles are in enforce mode."));
        assert!(!is_apparmor_line("3 profiles are nice."));
        for junk in [
            "avc:",
            "avc: denied {",
            "avc: denied } {",
            "apparmor=\"",
            "SELinux is preventing x",
            "é avc: denied {é}",
        ] {
            let _ = denials(junk);
        }
    }
}

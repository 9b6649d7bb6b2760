//! `df` (`-h`, `-T`, `-i`, busybox, macOS, localized headers, long device names wrapped onto
//! their own line) → one `DiskUsage` per filesystem (`df -i` rows give the inode use).

use crate::facts::{DiskUsage, Fact, FactAt};
use crate::kind::Kind;
use crate::parse::columns::{decimal, is_elision, is_pager_line, rest_from, tokens};
use crate::parse::registry::{KindSpec, share_of_lines};
use crate::parse::{ParseContext, Parsed};
use crate::span::{Span, lines};

/// How `df` output is recognised and parsed.
pub const SPEC: KindSpec = KindSpec {
    kind: Kind::Df,
    embeds: &[],
    command: |program, _| program == "df",
    file: crate::parse::registry::no_file,
    line: Some(|l| is_header(l) || row(l).is_some_and(|d| d.filesystem.starts_with('/') && d.mount.starts_with('/'))),
    block: |lines| {
        if !lines.iter().any(|l| row(l).is_some()) {
            return 0.0;
        }
        share_of_lines(lines, |l| is_header(l) || row(l).is_some())
    },
    parse,
};

/// `Filesystem Size Used Avail Use% Mounted on` (and translations: the percent column names it).
fn is_header(text: &str) -> bool {
    let t = text.trim_start();
    let percent_column = [
        "Use%",
        "Capacity",
        "IUse%",
        "Verw%",
        "Uso%",
        "Util.",
        "Utilisé",
        "Использовано",
    ]
    .iter()
    .any(|c| t.contains(c));
    percent_column
        && (t.contains("Mounted") || t.contains("Eingehängt") || t.contains("Monté") || t.contains("Montado"))
}

/// True for a size column value: `1.9G`, `0`, `20G`, `4096`, `1,5G`, `-`.
fn is_size(text: &str) -> bool {
    text == "-"
        || (text.starts_with(|c: char| c.is_ascii_digit())
            && text
                .trim_end_matches(|c: char| c.is_ascii_alphabetic())
                .bytes()
                .all(|b| b.is_ascii_digit() || b == b'.' || b == b','))
}

/// Reads a row; `filesystem` may be empty for the second half of a wrapped row.
fn row(line: &str) -> Option<DiskUsage> {
    // The use column is a percentage.
    if !line.contains('%') {
        return None;
    }
    let toks = tokens(line);
    let wrapped = line.starts_with([' ', '\t']);
    let start = if wrapped { 0 } else { 1 };
    let filesystem = if wrapped { "" } else { toks.first()?.text };
    // Sizes (and a type column for -T) up to the first percentage.
    let percent_at = (start..toks.len()).find(|&i| toks[i].text.ends_with('%') && decimal(toks[i].text).is_some())?;
    let sizes = &toks[start..percent_at];
    let typed = sizes.first().is_some_and(|t| !is_size(t.text));
    let numeric = if typed { &sizes[1..] } else { sizes };
    if numeric.len() < 2 || !numeric.iter().all(|t| is_size(t.text)) {
        return None;
    }
    let use_percent = decimal(toks[percent_at].text)?.clamp(0.0, 100.0) as u8;
    // macOS adds inode columns after Capacity; the mount point follows the last percentage.
    let last_percent = (percent_at..toks.len())
        .rev()
        .find(|&i| toks[i].text.ends_with('%'))
        .unwrap_or(percent_at);
    let mount = rest_from(line, &toks, last_percent + 1);
    if mount.is_empty() {
        return None;
    }
    Some(DiskUsage {
        filesystem: filesystem.to_string(),
        use_percent,
        mount: mount.to_string(),
    })
}

/// Parses `df` output.
pub fn parse(cx: &ParseContext<'_>) -> Parsed {
    let mut out = Parsed::default();
    // A device name on a line of its own (old df wraps long names).
    let mut wrapped_name: Option<(Span, String)> = None;
    for line in lines(cx.text, cx.base) {
        let t = line.text.trim();
        if t.is_empty() || is_header(t) || is_pager_line(t) || is_elision(t) {
            continue;
        }
        match row(line.text) {
            Some(mut usage) => {
                let mut span = line.span;
                if usage.filesystem.is_empty() {
                    match wrapped_name.take() {
                        Some((name_span, name)) => {
                            usage.filesystem = name;
                            span = name_span.join(span);
                        }
                        None => {
                            out.unread.push(line.span);
                            continue;
                        }
                    }
                }
                if let Some((name_span, _)) = wrapped_name.take() {
                    out.unread.push(name_span);
                }
                out.facts.push(FactAt {
                    span,
                    fact: Fact::DiskUsage(Box::new(usage)),
                });
            }
            // `df -h` prints `-` for pseudo file systems without a use: nothing to report.
            None if tokens(t).iter().any(|x| x.text == "-") && tokens(t).len() >= 5 => {}
            None if tokens(t).len() == 1 && !line.text.starts_with(' ') => {
                if let Some((name_span, _)) = wrapped_name.replace((line.span, t.to_string())) {
                    out.unread.push(name_span);
                }
            }
            None => out.unread.push(line.span),
        }
    }
    if let Some((name_span, _)) = wrapped_name {
        out.unread.push(name_span);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::test_support::facts_of;

    #[test]
    fn reads_df_forms() {
        let text = "Filesystem      Size  Used Avail Use% Mounted on\nudev            1.9G     0  1.9G   0% /dev\n/dev/sda1        20G   19G  1.0G  95% /\n/dev/mapper/VolGroup-lv_root\n                       50G   45G  2.5G  95% /var/lib/docker\ntmpfs          tmpfs  393M  1.2M  392M   1% /run\n/dev/sdb1 4096 4096 0 100% /mnt/my disk\n";
        let parsed = parse(&ParseContext::new(text, 0));
        assert!(parsed.unread.is_empty(), "{:?}", parsed.unread);
        let got: Vec<(String, u8, String)> = facts_of::<DiskUsage>(&parsed)
            .into_iter()
            .map(|d| (d.filesystem, d.use_percent, d.mount))
            .collect();
        assert_eq!(got.len(), 5, "{got:?}");
        assert_eq!(got[1], ("/dev/sda1".to_string(), 95, "/".to_string()));
        assert_eq!(got[2].0, "/dev/mapper/VolGroup-lv_root");
        assert_eq!(got[3].2, "/run");
        assert_eq!(got[4].2, "/mnt/my disk");
    }
}

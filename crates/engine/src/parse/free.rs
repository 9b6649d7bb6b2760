//! `free` (`-b`, `-k`, `-m`, `-g`, `-h`, `-w`, old procps with `-/+ buffers/cache`) →
//! `MemoryUsage` in MiB. Units come from the command's flag, from `-h` suffixes (`Gi`, `Mi`,
//! `G`, `M`...) or, without either, from the size of the total (procps prints KiB by default).
//! The unit helpers are shared with `top`.

use crate::facts::{Fact, FactAt, MemoryUsage};
use crate::kind::Kind;
use crate::parse::columns::{command_of, decimal, has_flag, is_elision, is_pager_line, tokens};
use crate::parse::registry::{KindSpec, share_of_lines};
use crate::parse::{ParseContext, Parsed};
use crate::span::lines;

/// How `free` output is recognised and parsed.
pub const SPEC: KindSpec = KindSpec {
    kind: Kind::Free,
    embeds: &[],
    command: |program, _| program == "free",
    file: |path| path.ends_with("/proc/meminfo"),
    line: Some(|l| is_header(l) || mem_row(l).is_some_and(|(label, _)| label == "Mem")),
    block: |lines| {
        if !lines
            .iter()
            .any(|l| mem_row(l).is_some_and(|(label, _)| label == "Mem"))
        {
            return 0.0;
        }
        share_of_lines(lines, |l| is_header(l) || mem_row(l).is_some())
    },
    parse,
};

/// `total used free shared buff/cache available` (and the old `buffers cached` form).
fn is_header(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    words.first() == Some(&"total") && words.contains(&"used") && words.contains(&"free")
}

/// A row: `Mem:`, `Swap:`, `Total:`, `Low:`, `High:`, `-/+ buffers/cache:` with its values.
fn mem_row(text: &str) -> Option<(&str, Vec<&str>)> {
    let t = text.trim();
    let (label, rest) = if let Some(rest) = t.strip_prefix("-/+ buffers/cache:") {
        ("-/+", rest)
    } else {
        let (label, rest) = t.split_once(':')?;
        if !matches!(label, "Mem" | "Swap" | "Total" | "Low" | "High") {
            return None;
        }
        (label, rest)
    };
    let values: Vec<&str> = tokens(rest).into_iter().map(|t| t.text).collect();
    let numeric = |v: &&str| size_mib(v, 1.0).is_some();
    (!values.is_empty() && values.iter().all(numeric)).then_some((label, values))
}

/// A size in MiB: a number with an optional unit suffix (`3.8Gi`, `101Mi`, `512K`, `0B`, `8061568k`),
/// the bare number taken in `default_mib` MiB per unit.
pub fn size_mib(text: &str, default_mib: f64) -> Option<f64> {
    let t = text.trim().trim_end_matches(',');
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))
        .unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let value = decimal(number)?;
    let per_unit = match unit {
        "" => default_mib,
        "B" => 1.0 / 1_048_576.0,
        "K" | "Ki" | "k" | "KiB" | "KB" | "kB" => 1.0 / 1024.0,
        "M" | "Mi" | "m" | "MiB" | "MB" => 1.0,
        "G" | "Gi" | "g" | "GiB" | "GB" => 1024.0,
        "T" | "Ti" | "t" | "TiB" | "TB" => 1_048_576.0,
        _ => return None,
    };
    Some(round(value * per_unit))
}

/// Rounds to two decimals (so KiB-to-MiB conversions stay readable).
pub fn round(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

/// MiB per unit of bare numbers, from the command's flags.
fn unit_of_command(cx: &ParseContext<'_>) -> Option<f64> {
    let (program, args) = command_of(cx)?;
    if program != "free" {
        return None;
    }
    Some(if has_flag(&args, 'b', "--bytes") {
        1.0 / 1_048_576.0
    } else if has_flag(&args, 'm', "--mebi") || args.iter().any(|a| a == "--mega") {
        1.0
    } else if has_flag(&args, 'g', "--gibi") || args.iter().any(|a| a == "--giga") {
        1024.0
    } else if has_flag(&args, 't', "--tebi") {
        1_048_576.0
    } else {
        1.0 / 1024.0
    })
}

/// Without the command: a total above 1 TiB-in-MiB is taken as KiB (procps' default unit), above
/// 16 TiB-in-KiB as bytes; smaller ones as MiB (`free -m`, the command people are told to run).
fn guess_unit(total: &str) -> f64 {
    match decimal(total) {
        Some(v) if v > 17_179_869_184.0 => 1.0 / 1_048_576.0,
        Some(v) if v > 1_048_576.0 => 1.0 / 1024.0,
        _ => 1.0,
    }
}

/// Parses `free` output.
pub fn parse(cx: &ParseContext<'_>) -> Parsed {
    let mut out = Parsed::default();
    let command_unit = unit_of_command(cx);
    let mut columns: Vec<String> = Vec::new();
    let mut current: Option<usize> = None;
    let mut unit = command_unit.unwrap_or(1.0);
    for line in lines(cx.text, cx.base) {
        let t = line.text.trim();
        if t.is_empty() || is_pager_line(t) || is_elision(t) {
            continue;
        }
        if is_header(t) {
            columns = t.split_whitespace().map(str::to_string).collect();
            current = None;
            continue;
        }
        let Some((label, values)) = mem_row(t) else {
            out.unread.push(line.span);
            continue;
        };
        let value = |name: &str, at: usize| -> Option<f64> {
            let i = columns.iter().position(|c| c == name).unwrap_or(at);
            values.get(i).and_then(|v| size_mib(v, unit))
        };
        match label {
            "Mem" => {
                unit = command_unit.unwrap_or_else(|| guess_unit(values.first().copied().unwrap_or("")));
                let value = |name: &str, at: usize| -> Option<f64> {
                    let i = columns.iter().position(|c| c == name).unwrap_or(at);
                    values.get(i).and_then(|v| size_mib(v, unit))
                };
                let memory = MemoryUsage {
                    total_mib: value("total", 0).unwrap_or(0.0),
                    used_mib: value("used", 1).unwrap_or(0.0),
                    free_mib: value("free", 2).unwrap_or(0.0),
                    available_mib: if columns.is_empty() || columns.iter().any(|c| c == "available") {
                        value("available", 5)
                    } else {
                        None
                    },
                    swap_total_mib: None,
                    swap_used_mib: None,
                };
                out.facts.push(FactAt {
                    span: line.span,
                    fact: Fact::MemoryUsage(Box::new(memory)),
                });
                current = Some(out.facts.len() - 1);
            }
            other => {
                // Swap and -/+ rows complete the memory fact above; other rows are totals.
                if let Some(FactAt {
                    span,
                    fact: Fact::MemoryUsage(memory),
                }) = current.and_then(|i| out.facts.get_mut(i))
                {
                    *span = span.join(line.span);
                    match other {
                        "Swap" => {
                            memory.swap_total_mib = value("total", 0);
                            memory.swap_used_mib = value("used", 1);
                        }
                        // Old procps: the free column of `-/+ buffers/cache` is what is available.
                        "-/+" => memory.available_mib = values.get(1).and_then(|v| size_mib(v, unit)),
                        _ => {}
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::test_support::parse_with_command;

    fn memory(text: &str, command: Option<&str>) -> MemoryUsage {
        let parsed = parse_with_command(parse, text, command);
        assert!(parsed.unread.is_empty(), "{:?}", parsed.unread);
        match &parsed.facts[0].fact {
            Fact::MemoryUsage(m) => (**m).clone(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn reads_new_old_and_human_forms() {
        let m = memory(
            "               total        used        free      shared  buff/cache   available\nMem:            3931        3644         101          12         185          98\nSwap:              0           0           0\n",
            None,
        );
        assert_eq!((m.total_mib, m.used_mib, m.available_mib), (3931.0, 3644.0, Some(98.0)));
        assert_eq!(m.swap_total_mib, Some(0.0));
        let m = memory(
            "             total       used       free     shared    buffers     cached\nMem:       8061568    7890000     171568          0     123456    3456789\n-/+ buffers/cache:    4309755    3751813\nSwap:      2097148          0    2097148\n",
            Some("free"),
        );
        assert_eq!(m.total_mib, 7872.63);
        assert_eq!(m.available_mib, Some(3663.88));
        let m = memory(
            "               total        used        free      shared  buff/cache   available\nMem:           3,8Gi       3,6Gi       101Mi        12Mi       185Mi        98Mi\nSwap:          2.0Gi       1.5Gi       512Mi\n",
            None,
        );
        assert_eq!(
            (m.total_mib, m.free_mib, m.swap_used_mib),
            (3891.2, 101.0, Some(1536.0))
        );
        let guessed = memory("Mem: 2000000 1900000 100000 0 0 50000\n", None);
        assert_eq!(guessed.total_mib, 1953.13);
    }
}

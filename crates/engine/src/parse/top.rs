//! `top` (and `top -bn1`): the summary (`top - 10:00:00 up ..., load average: ...`, `Tasks:`,
//! `%Cpu(s): ... id, ... wa`, old `Cpu(s): 1.0%us`, per-CPU `%Cpu0`, `MiB Mem :`/`KiB Swap:`,
//! old `Mem: ...k total`, busybox `Mem: ...K used` / `CPU: ...% idle` / `Load average:`) →
//! `LoadAverage`, `CpuUsage`, `MemoryUsage`; and the process table → `ProcessInfo`.

use crate::facts::{CpuUsage, Fact, FactAt, MemoryUsage};
use crate::kind::Kind;
use crate::parse::columns::{decimal, is_elision, is_pager_line};
use crate::parse::free::{round, size_mib};
use crate::parse::ps::Header;
use crate::parse::registry::KindSpec;
use crate::parse::uptime::load_of;
use crate::parse::{ParseContext, Parsed};
use crate::span::lines;

/// How `top` output is recognised and parsed.
pub const SPEC: KindSpec = KindSpec {
    kind: Kind::Top,
    embeds: &[],
    command: |program, _| matches!(program, "top" | "htop" | "atop"),
    file: crate::parse::registry::no_file,
    line: Some(is_summary_line),
    block: |lines| {
        let summary = lines.iter().filter(|l| is_summary_line(l)).count();
        if summary == 0 {
            return 0.0;
        }
        let non_blank = lines.iter().filter(|l| !l.trim().is_empty()).count().max(1);
        // The process table below the summary belongs to top too.
        let table = lines.iter().any(|l| Header::read(l).is_some());
        let share = summary as f32 / non_blank as f32;
        if table { share.max(0.9) } else { share }
    },
    parse,
};

/// Lines of top's summary.
fn is_summary_line(text: &str) -> bool {
    let t = text.trim_start();
    t.starts_with("top - ")
        || (t.starts_with("Tasks:") && t.contains(" total"))
        || (t.starts_with("Threads:") && t.contains(" total"))
        || t.starts_with("%Cpu")
        || (t.starts_with("Cpu") && t.contains("%us"))
        || (t.starts_with("CPU:") && t.contains("% idle"))
        || ["KiB Mem", "MiB Mem", "GiB Mem", "KiB Swap", "MiB Swap", "GiB Swap"]
            .iter()
            .any(|p| t.starts_with(p))
        || ((t.starts_with("Mem:") || t.starts_with("Swap:")) && (t.contains("k total") || t.contains("K used")))
        || (t.starts_with("Load average:") && t.contains('/'))
}

/// `12.5 us, 2.0 sy`, `1.0%us, 0.3%sy`, `0% usr 99% idle`, `3931.2 total, 101.4 free`,
/// `8061568k total` → (value text, label) pairs.
fn pairs(text: &str) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    let mut pending: Option<&str> = None;
    for word in text.split([',', ' ', '\t']).filter(|w| !w.is_empty()) {
        let w = word.trim_end_matches('.');
        if let Some(i) = w.find('%')
            && i > 0
            && i + 1 < w.len()
        {
            // `1.0%us`
            if let (Some(value), Some(label)) = (w.get(..i), w.get(i + 1..)) {
                out.push((value, label));
            }
            pending = None;
        } else if w.starts_with(|c: char| c.is_ascii_digit()) {
            pending = Some(w.trim_end_matches('%'));
        } else if let Some(value) = pending.take() {
            out.push((value, w));
        }
    }
    out
}

/// `%Cpu(s): ... id, ... wa` in any of the forms.
fn cpu_usage(text: &str) -> Option<CpuUsage> {
    let (_, rest) = text.split_once(':')?;
    let p = pairs(rest);
    let find = |labels: &[&str]| p.iter().find(|(_, l)| labels.contains(l)).and_then(|(v, _)| decimal(v));
    Some(CpuUsage {
        idle: find(&["id", "idle"])?,
        iowait: find(&["wa", "io", "iowait"]),
    })
}

/// The figures of one memory or swap line of top, in MiB.
struct MemoryLine {
    total: Option<f64>,
    used: Option<f64>,
    free: Option<f64>,
    available: Option<f64>,
}

/// `MiB Mem : 3931.2 total, 101.4 free, 3644.0 used, 185.8 buff/cache` (also `KiB`, `GiB`, old
/// `Mem: 8061568k total`, busybox `Mem: 123456K used, 654321K free`).
fn memory_figures(text: &str) -> Option<MemoryLine> {
    let t = text.trim_start();
    let unit = if t.starts_with("GiB") {
        1024.0
    } else if t.starts_with("MiB") {
        1.0
    } else {
        1.0 / 1024.0
    };
    let (_, rest) = t.split_once(':')?;
    let p = pairs(rest);
    let find = |label: &str| p.iter().find(|(_, l)| *l == label).and_then(|(v, _)| size_mib(v, unit));
    let (total, used, free) = (find("total"), find("used"), find("free"));
    let total = total.or_else(|| Some(round(used? + free?)));
    Some(MemoryLine {
        total,
        used,
        free,
        available: find("avail"),
    })
}

/// Parses `top` output.
pub fn parse(cx: &ParseContext<'_>) -> Parsed {
    let mut out = Parsed::default();
    let mut header: Option<Header> = None;
    // The memory fact waiting for its swap line.
    let mut memory: Option<usize> = None;
    for line in lines(cx.text, cx.base) {
        let text = line.text;
        let t = text.trim();
        if t.is_empty() || is_pager_line(t) || is_elision(t) {
            continue;
        }
        let push = |out: &mut Parsed, fact: Fact| {
            out.facts.push(FactAt { span: line.span, fact });
        };
        if t.starts_with("top - ") || t.starts_with("Load average:") {
            match load_of(t) {
                Some(load) => push(&mut out, Fact::LoadAverage(load)),
                None => out.unread.push(line.span),
            }
            header = None;
            continue;
        }
        if t.starts_with("Tasks:") || t.starts_with("Threads:") {
            continue;
        }
        if t.starts_with("%Cpu") || t.starts_with("Cpu") || t.starts_with("CPU:") {
            match cpu_usage(t) {
                Some(cpu) => push(&mut out, Fact::CpuUsage(cpu)),
                None => out.unread.push(line.span),
            }
            continue;
        }
        let is_swap = t.contains("Swap");
        if is_summary_line(t) || ((t.starts_with("Mem:") || t.starts_with("Swap:")) && header.is_none()) {
            let Some(MemoryLine {
                total,
                used,
                free,
                available,
            }) = memory_figures(t)
            else {
                out.unread.push(line.span);
                continue;
            };
            if !is_swap {
                push(
                    &mut out,
                    Fact::MemoryUsage(Box::new(MemoryUsage {
                        total_mib: total.unwrap_or(0.0),
                        used_mib: used.unwrap_or(0.0),
                        free_mib: free.unwrap_or(0.0),
                        ..Default::default()
                    })),
                );
                memory = Some(out.facts.len() - 1);
            } else if let Some(FactAt {
                span,
                fact: Fact::MemoryUsage(m),
            }) = memory.take().and_then(|i| out.facts.get_mut(i))
            {
                *span = span.join(line.span);
                m.swap_total_mib = total;
                m.swap_used_mib = used;
                m.available_mib = available;
            }
            continue;
        }
        if let Some(h) = Header::read(text) {
            header = Some(h);
            continue;
        }
        match header.as_ref().and_then(|h| h.row(text)) {
            Some(process) => push(&mut out, Fact::ProcessInfo(Box::new(process))),
            None => out.unread.push(line.span),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_summary_and_table() {
        let text = "top - 10:00:00 up 3 days,  2:03,  1 user,  load average: 8.52, 6.58, 4.59\nTasks: 123 total,   3 running, 120 sleeping,   0 stopped,   0 zombie\n%Cpu(s): 12.5 us,  2.0 sy,  0.0 ni, 80.1 id,  5.0 wa,  0.0 hi,  0.4 si,  0.0 st\nMiB Mem :   3931.2 total,    101.4 free,   3644.0 used,    185.8 buff/cache\nMiB Swap:      0.0 total,      0.0 free,      0.0 used.     98.0 avail Mem\n\n    PID USER      PR  NI    VIRT    RES    SHR S  %CPU  %MEM     TIME+ COMMAND\n   1290 www-data  20   0 2419876   1.6g   4000 R  99.7  42.1   5:01.22 php-fpm8.3\n";
        let parsed = parse(&ParseContext::new(text, 0));
        assert!(parsed.unread.is_empty(), "{:?}", parsed.unread);
        let types: Vec<&str> = parsed.facts.iter().map(|f| f.fact.type_id()).collect();
        assert_eq!(types, ["load-average", "cpu-usage", "memory-usage", "process-info"]);
        let Fact::CpuUsage(c) = &parsed.facts[1].fact else {
            panic!()
        };
        assert_eq!((c.idle, c.iowait), (80.1, Some(5.0)));
        let Fact::MemoryUsage(m) = &parsed.facts[2].fact else {
            panic!()
        };
        assert_eq!((m.total_mib, m.used_mib, m.available_mib), (3931.2, 3644.0, Some(98.0)));
        let Fact::ProcessInfo(p) = &parsed.facts[3].fact else {
            panic!()
        };
        assert_eq!((p.user.as_str(), p.cpu), ("www-data", Some(99.7)));
    }

    #[test]
    fn reads_old_and_busybox_summaries() {
        let text = "Cpu(s):  1.0%us,  0.3%sy,  0.0%ni, 98.5%id,  0.2%wa,  0.0%hi,  0.0%si,  0.0%st\nMem:   8061568k total,  7890000k used,   171568k free,   123456k buffers\nSwap:  2097148k total,        0k used,  2097148k free,  3456789k cached\nMem: 123456K used, 654321K free, 0K shrd, 1234K buff, 5678K cached\nCPU:   0% usr   0% sys   0% nic  99% idle   0% io   0% irq   0% sirq\nLoad average: 0.00 0.01 0.05 1/123 456\n";
        let parsed = parse(&ParseContext::new(text, 0));
        assert!(parsed.unread.is_empty(), "{:?}", parsed.unread);
        let Fact::CpuUsage(c) = &parsed.facts[0].fact else {
            panic!()
        };
        assert_eq!(c.idle, 98.5);
        let Fact::MemoryUsage(m) = &parsed.facts[1].fact else {
            panic!()
        };
        assert_eq!((m.total_mib, m.swap_total_mib), (7872.63, Some(2048.0)));
        let Fact::MemoryUsage(b) = &parsed.facts[2].fact else {
            panic!()
        };
        assert_eq!(b.total_mib, 759.55);
        assert_eq!(parsed.facts.len(), 5);
    }
}

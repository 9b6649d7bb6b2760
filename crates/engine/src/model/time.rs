//! Timestamps of the logs a person pastes, read into comparable seconds, so that a rule can say
//! "the worker died in the same second nginx lost the connection".
//!
//! Zones are ignored: nginx, PHP-FPM and most app servers write local time without a zone, so
//! two lines of one host compare; lines of hosts in different zones simply do not match.

/// Seconds since 1970-01-01 (as if the time were UTC) of a timestamp as written:
/// nginx `2025/03/14 09:12:41`, PHP-FPM `14-Mar-2025 09:12:41` (with `.uuuuuu` or a zone after),
/// ISO `2025-03-14 09:12:41` / `2025-03-14T09:12:41(.sss)(Z|+00:00)`, access log
/// `14/Mar/2025:09:12:41 +0000`. `None` for anything else (syslog stamps have no year).
pub fn seconds(text: &str) -> Option<i64> {
    let t = text.trim().trim_start_matches('[');
    let b = t.as_bytes();
    let num = |s: &str| -> Option<i64> {
        (!s.is_empty() && s.bytes().all(|c| c.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let (year, month, day, rest) = if b.len() >= 19 && (b[4] == b'/' || b[4] == b'-') && b[7] == b[4] {
        (num(t.get(..4)?)?, num(t.get(5..7)?)?, num(t.get(8..10)?)?, t.get(11..)?)
    } else if b.len() >= 20 && (b[2] == b'-' || b[2] == b'/') && b[6] == b[2] {
        let month = month_number(t.get(3..6)?)?;
        (num(t.get(7..11)?)?, month, num(t.get(..2)?)?, t.get(12..)?)
    } else {
        return None;
    };
    let hms = rest.get(..8)?;
    let (h, m, s) = (num(hms.get(..2)?)?, num(hms.get(3..5)?)?, num(hms.get(6..8)?)?);
    if hms.as_bytes()[2] != b':' || hms.as_bytes()[5] != b':' || !(1..=12).contains(&month) || !(1..=31).contains(&day)
    {
        return None;
    }
    Some(days_from_civil(year, month, day) * 86_400 + h * 3600 + m * 60 + s)
}

/// A duration as nginx or PHP-FPM write it, in seconds: `300`, `300s`, `5m`, `1h`, `1m30s`,
/// `500ms` (rounded down). `None` for anything else.
pub fn duration_secs(text: &str) -> Option<u64> {
    let t = text.trim().trim_end_matches(';');
    if t.is_empty() {
        return None;
    }
    let mut total: u64 = 0;
    let mut number = String::new();
    let mut chars = t.chars().peekable();
    let mut any = false;
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let n: u64 = number.parse().ok()?;
        number.clear();
        let unit = match c {
            'm' if chars.peek() == Some(&'s') => {
                chars.next();
                0
            }
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86_400,
            _ => return None,
        };
        total = total.checked_add(n.checked_mul(unit)?)?;
        any = true;
    }
    if !number.is_empty() {
        total = total.checked_add(number.parse().ok()?)?;
        any = true;
    }
    any.then_some(total)
}

/// True when both timestamps read and are at most `within` seconds apart.
pub fn close(a: Option<&str>, b: Option<&str>, within: i64) -> bool {
    match (a.and_then(seconds), b.and_then(seconds)) {
        (Some(a), Some(b)) => (a - b).abs() <= within,
        _ => false,
    }
}

/// The first item whose timestamp is at most `within` seconds from one of `moments`: each time is
/// read once and the moments are searched sorted, so long logs stay linear-logarithmic.
pub fn first_near<T>(
    items: &[T],
    time_of: impl Fn(&T) -> Option<&str>,
    moments: impl IntoIterator<Item = Option<String>>,
    within: i64,
) -> Option<&T> {
    let mut m: Vec<i64> = moments.into_iter().flatten().filter_map(|t| seconds(&t)).collect();
    if m.is_empty() {
        return None;
    }
    crate::sort::ascending(&mut m);
    items.iter().find(|item| {
        let Some(t) = time_of(item).and_then(seconds) else {
            return false;
        };
        let i = m.partition_point(|&x| x < t - within);
        m.get(i).is_some_and(|&x| x <= t + within)
    })
}

fn month_number(m: &str) -> Option<i64> {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    MONTHS
        .iter()
        .position(|x| x.eq_ignore_ascii_case(m))
        .map(|i| i as i64 + 1)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_log_formats_alike() {
        let nginx = seconds("2025/03/14 09:12:41").unwrap();
        assert_eq!(seconds("14-Mar-2025 09:12:41"), Some(nginx));
        assert_eq!(seconds("[14-Mar-2025 09:12:41.123456]"), Some(nginx));
        assert_eq!(seconds("2025-03-14 09:12:41 +0000"), Some(nginx));
        assert_eq!(seconds("2025-03-14T09:12:41"), Some(nginx));
        assert_eq!(seconds("14/Mar/2025:09:12:41 +0000"), Some(nginx));
        assert_eq!(seconds("1970-01-01 00:00:10"), Some(10));
        assert!(close(Some("2025/03/14 09:12:41"), Some("14-Mar-2025 09:12:43"), 2));
        assert!(!close(Some("2025/03/14 09:12:41"), Some("14-Mar-2025 09:14:43"), 5));
        assert_eq!(seconds("Aug 19 09:41:27"), None);
        assert_eq!(seconds("2025/13/14 09:12:41"), None);
        assert_eq!(seconds("ab-Mar-2025 09:1é:41"), None);
        assert_eq!(duration_secs("300"), Some(300));
        assert_eq!(duration_secs("30s"), Some(30));
        assert_eq!(duration_secs("5m"), Some(300));
        assert_eq!(duration_secs("1m30s"), Some(90));
        assert_eq!(duration_secs("500ms"), Some(0));
        assert_eq!(duration_secs("abc"), None);
        let lines = ["2025/03/14 09:10:00", "2025/03/14 09:12:42"];
        let moments = vec![Some("14-Mar-2025 09:12:41".to_string()), None];
        assert_eq!(first_near(&lines, |l| Some(*l), moments.clone(), 3), Some(&lines[1]));
        assert_eq!(first_near(&lines[..1], |l| Some(*l), moments, 3), None);
        assert_eq!(duration_secs(""), None);
    }
}

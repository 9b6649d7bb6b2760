//! Decimal numbers read and written without `core`'s float parsing and formatting: in the wasm
//! build those bring about 25 KB of tables and code (`dec2flt`'s powers of five, `flt2dec`'s
//! Grisu and Dragon) for the few loads, sizes, percentages and seconds the engine handles.

/// Reads a number in the syntax of Rust's `f64` parser except `inf` and `nan`: an optional
/// sign, digits with an optional `.` fraction (at least one digit in all), an optional exponent
/// (`e`/`E`, optional sign, digits). Exact (the nearest `f64`) up to 15 significant digits and
/// powers of ten up to 22, which covers every number a paste shows; close beyond.
pub fn parse(text: &str) -> Option<f64> {
    let bytes = text.as_bytes();
    let mut at = 0;
    let negative = match bytes.first() {
        Some(b'-') => {
            at = 1;
            true
        }
        Some(b'+') => {
            at = 1;
            false
        }
        _ => false,
    };
    let mut mantissa: u64 = 0;
    let mut significant = 0u32;
    let mut scale: i32 = 0;
    let mut digits = 0;
    let mut in_fraction = false;
    while let Some(&b) = bytes.get(at) {
        match b {
            b'0'..=b'9' => {
                digits += 1;
                if significant < 19 {
                    mantissa = mantissa * 10 + u64::from(b - b'0');
                    significant += u32::from(mantissa > 0);
                    scale -= i32::from(in_fraction);
                } else {
                    // Digits past the 19th only move the point.
                    scale += i32::from(!in_fraction);
                }
            }
            b'.' if !in_fraction => in_fraction = true,
            _ => break,
        }
        at += 1;
    }
    if digits == 0 {
        return None;
    }
    if let Some(b'e' | b'E') = bytes.get(at) {
        at += 1;
        let exponent_negative = match bytes.get(at) {
            Some(b'-') => {
                at += 1;
                true
            }
            Some(b'+') => {
                at += 1;
                false
            }
            _ => false,
        };
        let start = at;
        let mut exponent: i32 = 0;
        while let Some(&b @ b'0'..=b'9') = bytes.get(at) {
            exponent = exponent.saturating_mul(10).saturating_add(i32::from(b - b'0'));
            at += 1;
        }
        if at == start {
            return None;
        }
        scale = scale.saturating_add(if exponent_negative { -exponent } else { exponent });
    }
    if at != bytes.len() {
        return None;
    }
    let value = scaled(mantissa as f64, scale);
    Some(if negative { -value } else { value })
}

/// `mantissa × 10^scale`: one correctly rounded operation when both factors are exact doubles.
fn scaled(mantissa: f64, scale: i32) -> f64 {
    const EXACT: [f64; 23] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
        1e20, 1e21, 1e22,
    ];
    if mantissa == 0.0 {
        return 0.0;
    }
    let steps = scale.unsigned_abs() as usize;
    if steps < EXACT.len() {
        return if scale < 0 {
            mantissa / EXACT[steps]
        } else {
            mantissa * EXACT[steps]
        };
    }
    let power = 10f64.powi(scale.clamp(-400, 400));
    mantissa * power
}

/// `value` rounded to `places` decimals (at most 9) exactly as `format!("{value:.places$}")`
/// rounds (half to even on the exact binary value): `fixed(16.27, 1)` is `"16.3"`,
/// `fixed(1.05, 1)` is `"1.1"` (1.05 is a little more than 1.05), `fixed(2.5, 0)` is `"2"`.
pub fn fixed(value: f64, places: u32) -> String {
    let places = places.min(9);
    let factor = 10u64.pow(places);
    let (product, error) = two_product(value, factor as f64);
    let mut rounded = product.round_ties_even();
    // A product rounded onto a half hides which side the exact one lies on.
    if (product - product.trunc()).abs() == 0.5 && error != 0.0 {
        rounded = if error > 0.0 { product.ceil() } else { product.floor() };
    }
    let units = rounded.abs().min(u64::MAX as f64) as u64;
    let mut out = String::new();
    if rounded < 0.0 && units != 0 {
        out.push('-');
    }
    out.push_str(&(units / factor).to_string());
    if places > 0 {
        let fraction = (units % factor).to_string();
        out.push('.');
        out.extend(std::iter::repeat_n('0', places as usize - fraction.len()));
        out.push_str(&fraction);
    }
    out
}

/// `value` with at most three decimals and no trailing zeros: what `format!("{value}")` prints
/// for the times and sizes of logs, which have no more decimals (`60`, `60.001`, `0.5`).
pub fn short(value: f64) -> String {
    let text = fixed(value, 3);
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// `a × b` rounded, and the rounding error (Dekker's product: exact for numbers far from the
/// limits of `f64`).
fn two_product(a: f64, b: f64) -> (f64, f64) {
    fn halves(x: f64) -> (f64, f64) {
        let c = 134_217_729.0 * x; // 2^27 + 1
        let high = c - (c - x);
        (high, x - high)
    }
    let product = a * b;
    let ((a_high, a_low), (b_high, b_low)) = (halves(a), halves(b));
    let error = ((a_high * b_high - product) + a_high * b_low + a_low * b_high) + a_low * b_low;
    (product, error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_what_rust_parses_to_the_same_value() {
        for text in [
            "0",
            "7",
            "-3",
            "+2",
            "60",
            "60.5",
            "0.004",
            "0,5x",
            "1.",
            ".5",
            "0.52",
            "16.35",
            "95.0",
            "1e3",
            "1.5E-3",
            "2.5e+10",
            "-0.0",
            "123456789012345",
            "0.000001",
            "3.14159",
            "1e22",
            "1e-22",
            "007.50",
            "4096",
        ] {
            let expected = text.parse::<f64>().ok();
            let got = parse(text);
            assert_eq!(got.map(f64::to_bits), expected.map(f64::to_bits), "{text}");
        }
    }

    #[test]
    fn rejects_what_is_not_a_number() {
        for text in [
            "", "-", "+", ".", "e5", "1e", "1e+", "1.2.3", "1-2", "0x10", "inf", "nan", " 1", "1 ", "1,5",
        ] {
            assert_eq!(parse(text), None, "{text}");
        }
    }

    #[test]
    fn long_and_large_numbers_stay_close() {
        for text in [
            "12345678901234567890123",
            "1e300",
            "1.2345e300",
            "1e-300",
            "0.1234567890123456789",
        ] {
            let expected: f64 = text.parse().unwrap();
            let got = parse(text).unwrap();
            assert!(
                ((got - expected) / expected).abs() < 1e-12,
                "{text}: {got} vs {expected}"
            );
        }
    }

    #[test]
    fn short_prints_log_values_like_display() {
        for value in [0.0, 60.0, 60.001, 0.5, 12.25, 100.0, 0.004, 1500.0] {
            assert_eq!(short(value), value.to_string(), "{value}");
        }
    }

    #[test]
    fn formats_like_format_with_precision() {
        for (value, places) in [
            (0.0, 0),
            (16.25, 1),
            (16.27, 1),
            (99.5, 0),
            (100.5, 0),
            (2.5, 0),
            (1536.0, 0),
            (1.05, 1),
            (12.0, 1),
            (3.999, 2),
            (-4.6, 0),
            (0.04, 1),
            (1234.5678, 3),
            (0.15, 1),
            (0.25, 1),
            (0.35, 1),
            (2.675, 2),
            (1.005, 2),
            (99.95, 1),
            (0.5, 0),
            (1.5, 0),
        ] {
            assert_eq!(
                fixed(value, places),
                format!("{value:.*}", places as usize),
                "{value} {places}"
            );
        }
    }
}

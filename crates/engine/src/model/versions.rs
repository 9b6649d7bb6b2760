//! Which nginx version runs, from `nginx -V`/`-v`, a `Server:` header or an error page's
//! signature, for behaviour that changed between versions (upstream keepalive is on by default
//! from 1.29.7, reference §7.1).

use crate::facts::*;
use crate::model::Model;
use crate::span::Span;

/// A version as numbers (`1.29.7` → `[1, 29, 7]`).
pub fn version_numbers(text: &str) -> Option<Vec<u32>> {
    let v: Vec<u32> = text
        .trim()
        .split('.')
        .map_while(|p| {
            let digits: String = p.chars().take_while(char::is_ascii_digit).collect();
            digits.parse().ok()
        })
        .collect();
    (v.len() >= 2).then_some(v)
}

impl Model<'_> {
    /// The nginx version shown, with the line it was read from: `nginx -V` first, then a
    /// `Server: nginx/x.y.z` header, then an error page's `nginx/x.y.z`. Other products
    /// (OpenResty, Tengine) give their nginx core version only when they print it.
    pub fn nginx_version(&self) -> Option<(Vec<u32>, usize, Span)> {
        for b in self.all::<NginxBuild>() {
            let text = match b.product.as_deref() {
                None | Some("nginx") | Some("freenginx") => Some(b.version.as_str()),
                _ => b.core_version.as_deref(),
            };
            if let Some(v) = text.and_then(version_numbers) {
                return Some((v, b.artifact, b.span));
            }
        }
        for r in self.all::<HttpResponse>() {
            for (k, v) in &r.headers {
                if k.eq_ignore_ascii_case("server")
                    && let Some(rest) = v.trim().strip_prefix("nginx/")
                    && let Some(n) = version_numbers(rest)
                {
                    return Some((n, r.artifact, r.span));
                }
            }
        }
        for p in self.all::<ErrorPageInfo>() {
            if p.producer == "nginx"
                && let Some(n) = p
                    .version
                    .as_deref()
                    .and_then(|v| v.strip_prefix("nginx/"))
                    .and_then(version_numbers)
            {
                return Some((n, p.artifact, p.span));
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_versions() {
        assert_eq!(version_numbers("1.29.7"), Some(vec![1, 29, 7]));
        assert_eq!(version_numbers("1.24.0 (Ubuntu)"), Some(vec![1, 24, 0]));
        assert_eq!(version_numbers("x"), None);
        assert!(version_numbers("1.29.8").unwrap() >= vec![1, 29, 7]);
    }
}

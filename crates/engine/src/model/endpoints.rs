//! Comparing addresses: does a listener serve the address nginx dials, are two socket paths the
//! same file, is a host this machine.

use crate::facts::Endpoint;

/// True when `host` names the local machine (loopback or "all interfaces").
pub fn is_loopback(host: &str) -> bool {
    let h = host.trim_matches(['[', ']']);
    h == "localhost" || h == "::1" || h.starts_with("127.") || h == "0:0:0:0:0:0:0:1"
}

/// True when a listener bound to `host` accepts connections for any address.
pub fn is_wildcard(host: &str) -> bool {
    matches!(
        host.trim_matches(['[', ']']),
        "" | "*" | "0.0.0.0" | "::" | "0:0:0:0:0:0:0:0"
    )
}

/// Normalises a unix socket path: `/var/run` is a symlink to `/run` on current distributions.
pub fn normalise_path(path: &str) -> &str {
    path.strip_prefix("/var")
        .filter(|p| p.starts_with("/run/"))
        .unwrap_or(path)
}

/// True when two unix socket paths name the same file.
pub fn same_path(a: &str, b: &str) -> bool {
    normalise_path(a) == normalise_path(b)
}

/// True when a server listening on `listening` accepts a connection nginx makes to `dialed`.
/// Host names other than loopback are compared literally (DNS is not known here).
pub fn serves(listening: &Endpoint, dialed: &Endpoint) -> bool {
    match (listening, dialed) {
        (Endpoint::Unix { path: a }, Endpoint::Unix { path: b }) => same_path(a, b),
        (Endpoint::Tcp { host: lh, port: lp }, Endpoint::Tcp { host: dh, port: dp }) => {
            if lp != dp {
                return false;
            }
            if is_wildcard(lh) {
                return true;
            }
            let (lh, dh) = (lh.trim_matches(['[', ']']), dh.trim_matches(['[', ']']));
            if lh == dh {
                return true;
            }
            // `localhost` resolves to 127.0.0.1 and ::1; a listener on either serves it.
            (dh == "localhost" && is_loopback(lh))
                || (lh == "localhost" && is_loopback(dh))
                || (lh.starts_with("127.") && dh.starts_with("127.") && lh == dh)
        }
        _ => false,
    }
}

/// True when two endpoints are the same address (used to compare nginx's target with a pool's
/// `listen`, where a wildcard listen serves any local address).
pub fn same_endpoint(a: &Endpoint, b: &Endpoint) -> bool {
    serves(a, b) || serves(b, a)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ep(s: &str) -> Endpoint {
        Endpoint::parse(s).unwrap()
    }

    #[test]
    fn listeners_serve_matching_addresses() {
        assert!(serves(&ep("0.0.0.0:9000"), &ep("127.0.0.1:9000")));
        assert!(serves(&ep("[::]:8080"), &ep("localhost:8080")));
        assert!(serves(&ep("127.0.0.1:8000"), &ep("localhost:8000")));
        assert!(!serves(&ep("127.0.0.1:8000"), &ep("10.0.0.5:8000")));
        assert!(!serves(&ep("0.0.0.0:9000"), &ep("127.0.0.1:9001")));
        assert!(serves(
            &ep("/var/run/php/php8.3-fpm.sock"),
            &ep("unix:/run/php/php8.3-fpm.sock")
        ));
        assert!(!serves(
            &ep("/run/php/php8.3-fpm.sock"),
            &ep("unix:/run/php/php8.1-fpm.sock")
        ));
        assert!(!serves(&ep("/run/php/php8.3-fpm.sock"), &ep("127.0.0.1:9000")));
    }
}

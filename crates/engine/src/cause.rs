//! The cause ids of `causes.md`: the contract between rules, knowledge, tree, CLI and corpus.

use serde::{Deserialize, Serialize};

macro_rules! causes {
    ($( $variant:ident = $id:literal, $title:literal, $status:literal; )*) => {
        /// One cause of a 502 (or of its cousins 504/500). Ids are stable and never reused.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum Cause {
            $( #[doc = $title] #[serde(rename = $id)] $variant, )*
        }

        impl Cause {
            /// Every cause, in the order of `causes.md`.
            pub const ALL: &'static [Cause] = &[$(Cause::$variant),*];

            /// The stable id, e.g. `php-fpm-down`.
            pub fn id(self) -> &'static str {
                match self { $(Cause::$variant => $id,)* }
            }

            /// One line saying what the cause is.
            pub fn title(self) -> &'static str {
                match self { $(Cause::$variant => $title,)* }
            }

            /// What the client typically sees, as in `causes.md`.
            pub fn client_sees(self) -> &'static str {
                match self { $(Cause::$variant => $status,)* }
            }

            /// The cause with this id, if any.
            pub fn from_id(id: &str) -> Option<Cause> {
                match id { $($id => Some(Cause::$variant),)* _ => None }
            }
        }
    };
}

causes! {
    NginxNotRunning = "nginx-not-running", "nginx is stopped or failed to start", "no nginx page";
    NginxConfigInvalid = "nginx-config-invalid", "nginx refuses its configuration", "reload keeps the old config, or nginx is down";
    PortConflict = "port-conflict", "nginx or the backend cannot bind its port", "varies";
    UpstreamDown = "upstream-down", "the backend is not listening", "502";
    PhpFpmDown = "php-fpm-down", "PHP-FPM is stopped or failed; its socket is gone", "502";
    FastcgiPassMismatch = "fastcgi-pass-mismatch", "nginx points at a different socket or port than the backend listens on", "502";
    SocketPermissionDenied = "socket-permission-denied", "the nginx worker user may not open the unix socket", "502";
    SelinuxDenied = "selinux-denied", "SELinux (or AppArmor) forbids the connection", "502";
    UpstreamTimeout = "upstream-timeout", "the backend is too slow for nginx's timeouts", "504";
    PhpFpmRequestTerminated = "php-fpm-request-terminated", "PHP-FPM killed a worker at request_terminate_timeout", "502";
    PhpFpmPoolExhausted = "php-fpm-pool-exhausted", "every PHP-FPM worker is busy; the listen queue is full", "502";
    UpstreamCrash = "upstream-crash", "the backend process died mid-request", "502";
    UpstreamHeaderTooBig = "upstream-header-too-big", "the backend's response headers exceed nginx's buffer", "502";
    ProtocolMismatch = "protocol-mismatch", "nginx speaks the wrong protocol to the backend", "502 (or garbage)";
    UpstreamSslError = "upstream-ssl-error", "TLS to the backend fails", "502";
    DnsResolution = "dns-resolution", "the backend's name does not resolve (or resolves to a stale address)", "502";
    FirewallBlocked = "firewall-blocked", "a firewall between nginx and the backend drops or rejects the connection", "504 or 502";
    NetworkUnreachable = "network-unreachable", "no route to the backend address", "502";
    ContainerNetworking = "container-networking", "a container addressing mistake", "502";
    ServerOverload = "server-overload", "the backend host is out of CPU or memory", "502/504";
    ResourceLimits = "resource-limits", "a per-process or kernel limit was hit", "500 or 502";
    UpstreamKeepaliveReset = "upstream-keepalive-reset", "a reused upstream connection was closed by the backend first", "intermittent 502";
    NoLiveUpstreams = "no-live-upstreams", "every server of an upstream group is marked failed", "502";
    ServerNameMismatch = "server-name-mismatch", "the request is served by the wrong server block", "502";
    BackendRequestTooLarge = "backend-request-too-large", "the backend rejects the request itself (too large)", "502";
    UpstreamInvalidResponse = "upstream-invalid-response", "the backend answers with a malformed response", "502";
    OtherLayer502 = "other-layer-502", "the 502 page comes from another layer, not this nginx", "502";
    KubernetesNoEndpoints = "kubernetes-no-endpoints", "the Kubernetes Service has no ready endpoints", "502/503";
    ClientSide = "client-side", "nothing is wrong on the server", "-";
}

impl std::fmt::Display for Cause {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip() {
        for &cause in Cause::ALL {
            assert_eq!(Cause::from_id(cause.id()), Some(cause));
        }
        assert_eq!(Cause::ALL.len(), 29);
    }
}

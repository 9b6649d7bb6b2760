//! The kinds of artifact a person pastes, with their stable ids and human names.

use serde::{Deserialize, Serialize};

macro_rules! kinds {
    ($( $(#[$doc:meta])* $variant:ident = $id:literal, $label:literal; )*) => {
        /// What one piece of a paste is. The id (kebab-case) is part of the CLI/JSON contract.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum Kind {
            $( $(#[$doc])* #[serde(rename = $id)] $variant, )*
        }

        impl Kind {
            /// Every kind, in declaration order.
            pub const ALL: &'static [Kind] = &[$(Kind::$variant),*];

            /// The stable kebab-case id, e.g. `nginx-error-log`.
            pub fn id(self) -> &'static str {
                match self { $(Kind::$variant => $id,)* }
            }

            /// A short human name, e.g. "nginx error log".
            pub fn label(self) -> &'static str {
                match self { $(Kind::$variant => $label,)* }
            }

            /// The kind with this id, if any.
            pub fn from_id(id: &str) -> Option<Kind> {
                match id { $($id => Some(Kind::$variant),)* _ => None }
            }
        }
    };
}

kinds! {
    /// nginx configuration: a file, a fragment, or one file of an `nginx -T` dump.
    NginxConfig = "nginx-config", "nginx configuration";
    /// `nginx -t` / `nginx -T` verdict lines and console `nginx: [emerg]` messages.
    NginxTest = "nginx-test", "nginx -t output";
    /// `nginx -V` / `nginx -v`: version, modules, configure arguments.
    NginxVersion = "nginx-version", "nginx -V output";
    /// nginx error log lines (plain, syslog- or journald-wrapped).
    NginxErrorLog = "nginx-error-log", "nginx error log";
    /// nginx access log lines (combined, custom `log_format`, JSON).
    NginxAccessLog = "nginx-access-log", "nginx access log";
    /// PHP-FPM global or pool configuration (`php-fpm.conf`, `www.conf`).
    PhpFpmConfig = "php-fpm-config", "PHP-FPM configuration";
    /// PHP-FPM log (master log, `php-fpm -t`).
    PhpFpmLog = "php-fpm-log", "PHP-FPM log";
    /// PHP-FPM slow log.
    PhpFpmSlowlog = "php-fpm-slowlog", "PHP-FPM slow log";
    /// `php -v` / `php-fpm -v`.
    PhpVersion = "php-version", "php -v output";
    /// `systemctl status UNIT` / `service UNIT status`.
    SystemctlStatus = "systemctl-status", "systemctl status";
    /// `journalctl` excerpt (syslog-style lines).
    Journal = "journal", "journalctl / syslog excerpt";
    /// `ss -ltnp`, `ss -lx` and friends: listening sockets.
    SsListeners = "ss-listeners", "ss listening sockets";
    /// `ss -s`: socket summary.
    SsSummary = "ss-summary", "ss -s summary";
    /// `netstat -tulpn` / `netstat -lx`.
    Netstat = "netstat", "netstat";
    /// `lsof -i` / `lsof -U`.
    Lsof = "lsof", "lsof";
    /// `ls -l` listing (sockets, directories, files).
    LsListing = "ls-listing", "ls -l listing";
    /// `id` / `groups` output.
    IdGroups = "id-groups", "id / groups";
    /// `ps aux` / `ps -ef`.
    Ps = "ps", "ps process list";
    /// `curl -I` / `curl -v` / `curl -i` output (response status and headers).
    Curl = "curl", "curl output";
    /// `dig` output.
    Dig = "dig", "dig output";
    /// `nslookup` output.
    Nslookup = "nslookup", "nslookup output";
    /// `host NAME` output.
    HostLookup = "host-lookup", "host output";
    /// `getent hosts NAME` output.
    GetentHosts = "getent-hosts", "getent hosts";
    /// `/etc/hosts`.
    EtcHosts = "etc-hosts", "/etc/hosts";
    /// `/etc/resolv.conf`.
    ResolvConf = "resolv-conf", "/etc/resolv.conf";
    /// `iptables -L -n -v`, `iptables -S`, `iptables-save`.
    Iptables = "iptables", "iptables rules";
    /// `nft list ruleset`.
    Nftables = "nftables", "nft ruleset";
    /// `ufw status [verbose]`.
    Ufw = "ufw", "ufw status";
    /// `firewall-cmd --list-all`.
    Firewalld = "firewalld", "firewall-cmd --list-all";
    /// `getenforce` / `sestatus`.
    SelinuxStatus = "selinux-status", "SELinux status";
    /// `getsebool` output.
    Getsebool = "getsebool", "getsebool";
    /// `audit.log` / `ausearch -m avc` lines.
    AuditLog = "audit-log", "audit log (AVC)";
    /// AppArmor denials (kernel / audit lines with `apparmor="DENIED"`).
    Apparmor = "apparmor", "AppArmor denials";
    /// `docker ps` / `docker container ls`.
    DockerPs = "docker-ps", "docker ps";
    /// `docker compose ps`.
    ComposePs = "compose-ps", "docker compose ps";
    /// `docker-compose.yml` / `compose.yaml`.
    ComposeFile = "compose-file", "docker compose file";
    /// `kubectl get pods|svc|endpoints|ingress` (optionally `-o wide`).
    KubectlGet = "kubectl-get", "kubectl get";
    /// `kubectl describe ...`.
    KubectlDescribe = "kubectl-describe", "kubectl describe";
    /// ingress-nginx controller log lines (Go klog format).
    IngressControllerLog = "ingress-controller-log", "ingress-nginx controller log";
    /// `free -m` / `free -h`.
    Free = "free", "free";
    /// `uptime`.
    Uptime = "uptime", "uptime";
    /// The header of `top`.
    Top = "top", "top header";
    /// `df -h`.
    Df = "df", "df -h";
    /// `dmesg` / kernel log (OOM killer, segfaults, conntrack).
    KernelLog = "kernel-log", "dmesg / kernel log";
    /// `ulimit -n` / `ulimit -a`.
    Ulimit = "ulimit", "ulimit";
    /// `sysctl` output.
    Sysctl = "sysctl", "sysctl";
    /// gunicorn log.
    GunicornLog = "gunicorn-log", "gunicorn log";
    /// uWSGI log.
    UwsgiLog = "uwsgi-log", "uWSGI log";
    /// Node.js / Express output.
    NodeLog = "node-log", "Node.js log";
    /// gunicorn (`gunicorn.conf.py`) or uWSGI (`uwsgi.ini`) configuration.
    AppServerConfig = "app-server-config", "gunicorn / uWSGI configuration";
    /// A load balancer's own log (Google Cloud, AWS ALB/ELB access log, HAProxy, Traefik).
    LoadBalancerLog = "load-balancer-log", "load balancer log";
    /// Connectivity probes: `ping`, `ip neigh`, `nc -zv`, `telnet`, `traceroute`.
    Probe = "probe", "ping / nc / telnet output";
    /// HTML of an error page (nginx, Cloudflare, load balancer) or its title.
    ErrorPage = "error-page", "error page";
    /// Anything not recognised.
    Unknown = "unknown", "unrecognised text";
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_are_kebab_case() {
        for &kind in Kind::ALL {
            assert_eq!(Kind::from_id(kind.id()), Some(kind));
            assert!(
                kind.id()
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            );
        }
    }
}

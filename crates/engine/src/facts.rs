//! The typed facts parsers extract from artifacts: the vocabulary the model is built from.
//!
//! Every fact carries the span (bytes of its paste) it was read from, so a finding can quote the
//! person's own line. Values are strings exactly as written, no normalisation beyond trimming
//! (owned; for error events, [`SharedStr`] parts of one copy of the line); helpers such as
//! [`Endpoint::parse`] interpret them.

use serde::{Deserialize, Serialize};

use crate::shared_str::SharedStr;
use crate::span::Span;

/// A fact with the span it was read from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FactAt {
    /// Where in the paste the fact was read (usually whole lines).
    pub span: Span,
    /// The fact itself.
    #[serde(flatten)]
    pub fact: Fact,
}

/// Where a connection goes: a unix socket path or a host and port.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Endpoint {
    /// A unix-domain socket path.
    Unix {
        /// The socket path, e.g. `/run/php/php8.3-fpm.sock`.
        path: String,
    },
    /// An IP address or host name with an optional port.
    Tcp {
        /// Host name, IPv4 or IPv6 address (without brackets); empty for "all interfaces".
        host: String,
        /// Port, when given.
        port: Option<u16>,
    },
}

impl Endpoint {
    /// Reads `unix:/path`, `/path`, `host:port`, `[v6]:port`, `port` or `host`.
    /// Returns `None` for text that is neither (for instance a variable).
    pub fn parse(text: &str) -> Option<Endpoint> {
        let t = text.trim().trim_end_matches(';');
        if t.is_empty() || t.contains('$') {
            return None;
        }
        if let Some(path) = t.strip_prefix("unix:") {
            let path = path.trim_end_matches(':');
            return (!path.is_empty()).then(|| Endpoint::Unix { path: path.to_string() });
        }
        if t.starts_with('/') || t.starts_with("@") {
            return Some(Endpoint::Unix { path: t.to_string() });
        }
        if let Some(rest) = t.strip_prefix('[') {
            let (host, after) = rest.split_once(']')?;
            let port = after.strip_prefix(':').and_then(|p| p.parse().ok());
            return Some(Endpoint::Tcp {
                host: host.to_string(),
                port,
            });
        }
        if let Ok(port) = t.parse::<u16>() {
            return Some(Endpoint::Tcp {
                host: String::new(),
                port: Some(port),
            });
        }
        match t.rsplit_once(':') {
            Some((host, port)) if !host.contains(':') => {
                let port = port.parse().ok()?;
                Some(Endpoint::Tcp {
                    host: host.to_string(),
                    port: Some(port),
                })
            }
            // A bare IPv6 address without brackets or port.
            Some(_) if t.parse::<std::net::Ipv6Addr>().is_ok() => Some(Endpoint::Tcp {
                host: t.to_string(),
                port: None,
            }),
            Some(_) => None,
            None => Some(Endpoint::Tcp {
                host: t.to_string(),
                port: None,
            }),
        }
    }

    /// The port, for TCP endpoints.
    pub fn port(&self) -> Option<u16> {
        match self {
            Endpoint::Tcp { port, .. } => *port,
            Endpoint::Unix { .. } => None,
        }
    }

    /// The socket path, for unix endpoints.
    pub fn unix_path(&self) -> Option<&str> {
        match self {
            Endpoint::Unix { path } => Some(path),
            Endpoint::Tcp { .. } => None,
        }
    }
}

impl std::fmt::Display for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Endpoint::Unix { path } => write!(f, "unix:{path}"),
            Endpoint::Tcp { host, port: Some(p) } if host.contains(':') => write!(f, "[{host}]:{p}"),
            Endpoint::Tcp { host, port: Some(p) } if host.is_empty() => write!(f, "*:{p}"),
            Endpoint::Tcp { host, port: Some(p) } => write!(f, "{host}:{p}"),
            Endpoint::Tcp { host, port: None } => write!(f, "{host}"),
        }
    }
}

/// Severity of an nginx log line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    /// `[emerg]`
    Emerg,
    /// `[alert]`
    Alert,
    /// `[crit]`
    Crit,
    /// `[error]`
    Error,
    /// `[warn]`
    Warn,
    /// `[notice]`
    Notice,
    /// `[info]`
    Info,
    /// `[debug]`
    Debug,
}

impl Level {
    /// Reads an nginx level word.
    pub fn parse(word: &str) -> Option<Level> {
        Some(match word {
            "emerg" => Level::Emerg,
            "alert" => Level::Alert,
            "crit" => Level::Crit,
            "error" => Level::Error,
            "warn" => Level::Warn,
            "notice" => Level::Notice,
            "info" => Level::Info,
            "debug" => Level::Debug,
            _ => return None,
        })
    }
}

/// How an nginx error-log line reached the paste.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LogForm {
    /// The error log file format (timestamp, level, pid#tid).
    File,
    /// Console / stderr form: `nginx: [emerg] ...`, no timestamp.
    Console,
    /// Inside a syslog line (`<PRI>Mon DD HH:MM:SS host nginx: ...`).
    Syslog,
    /// Inside a journald line (`Mon DD HH:MM:SS host nginx[PID]: ...`).
    Journald,
    /// Just the message text (timestamp and level cut off by the person).
    Bare,
}

/// One nginx error-log entry with every field of the line format.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ErrorEvent {
    /// `2026/11/21 10:00:00`, when present.
    pub time: Option<SharedStr>,
    /// Level, when present.
    pub level: Option<Level>,
    /// Process id of the worker or master.
    pub pid: Option<u32>,
    /// Thread id.
    pub tid: Option<u32>,
    /// Connection number (`*4711`).
    pub connection: Option<u64>,
    /// The message up to the errno (or up to the tail when there is no errno).
    pub message: SharedStr,
    /// The message's class (what happened), from the templates of the reference.
    pub class: MessageClass,
    /// errno number, e.g. 111.
    pub errno: Option<u16>,
    /// errno text, e.g. `Connection refused` (glibc or musl wording).
    pub errno_text: Option<SharedStr>,
    /// The `while ...` action (phase), e.g. `connecting to upstream`.
    pub action: Option<SharedStr>,
    /// `client:` field.
    pub client: Option<SharedStr>,
    /// `server:` field (may be empty: `server: ,`).
    pub server: Option<SharedStr>,
    /// `request:` field (the request line).
    pub request: Option<SharedStr>,
    /// `subrequest:` field.
    pub subrequest: Option<SharedStr>,
    /// `upstream:` field, e.g. `fastcgi://unix:/run/php/php8.3-fpm.sock:`.
    pub upstream: Option<SharedStr>,
    /// `host:` field.
    pub host: Option<SharedStr>,
    /// `referrer:` field.
    pub referrer: Option<SharedStr>,
    /// The peer named inside the message: `connect() to X failed`, `upstream: X` of `no live
    /// upstreams`, the name in `host not found in upstream "X"` or `X could not be resolved`.
    pub target: Option<SharedStr>,
    /// `in FILE:LINE` of configuration errors.
    pub config_file: Option<SharedStr>,
    /// Line of `config_file`.
    pub config_line: Option<u32>,
    /// How the line was written.
    pub form: Option<LogForm>,
}

macro_rules! message_classes {
    ($( $variant:ident = $id:literal; )*) => {
        /// The class of an nginx error message: which template produced it.
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum MessageClass {
            $( #[doc = $id] #[serde(rename = $id)] $variant, )*
            /// A message that matched no known template.
            #[default]
            #[serde(rename = "other")]
            Other,
        }

        impl MessageClass {
            /// Stable id of the class.
            pub fn id(self) -> &'static str {
                match self { $(MessageClass::$variant => $id,)* MessageClass::Other => "other" }
            }
        }
    };
}

message_classes! {
    ConnectFailed = "connect-failed";
    UpstreamTimedOut = "upstream-timed-out";
    PrematurelyClosed = "upstream-prematurely-closed";
    PrematurelySentResponse = "upstream-prematurely-sent-response";
    TooBigHeader = "upstream-sent-too-big-header";
    NoLiveUpstreams = "no-live-upstreams";
    ServerTemporarilyDisabled = "upstream-server-temporarily-disabled";
    SslHandshakeFailed = "ssl-handshake-failed";
    SslPeerClosed = "peer-closed-in-ssl-handshake";
    SslCertificateVerify = "upstream-ssl-certificate-verify-error";
    SslCertificateName = "upstream-ssl-certificate-does-not-match";
    SslReadWrite = "ssl-read-write-failed";
    NoResolver = "no-resolver-defined";
    CouldNotBeResolved = "could-not-be-resolved";
    HostNotFoundInUpstream = "host-not-found-in-upstream";
    RecvFailed = "recv-failed";
    SendFailed = "send-failed";
    InvalidHeader = "upstream-sent-invalid-header";
    InvalidResponse = "upstream-sent-invalid-response";
    NoValidHttpHeader = "upstream-sent-no-valid-http-header";
    FastcgiProtocol = "fastcgi-protocol-error";
    FastcgiStderr = "fastcgi-sent-in-stderr";
    Http2Protocol = "upstream-http2-protocol-error";
    SocketFailed = "socket-failed";
    WorkerConnections = "worker-connections-not-enough";
    BindFailed = "bind-failed";
    StillCouldNotBind = "still-could-not-bind";
    UnknownDirective = "unknown-directive";
    ConfigSyntax = "config-syntax";
    OpenFailed = "open-failed";
    CertificateLoad = "certificate-load";
    NoPortInUpstream = "no-port-in-upstream";
    PidFile = "pid-file";
    ConflictingServerName = "conflicting-server-name";
    WorkerExited = "worker-exited";
    ClientClosed = "client-prematurely-closed";
    LimitReached = "limit-reached";
}

/// The configuration test verdict of `nginx -t`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConfigTest {
    /// True for `test is successful`, false for `test failed`.
    pub ok: bool,
    /// The tested file.
    pub file: String,
}

/// What `nginx -V` says about the build.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct NginxBuild {
    /// Version, e.g. `1.24.0`.
    pub version: String,
    /// Text after the version, e.g. `(Ubuntu)`.
    pub flavour: Option<String>,
    /// OpenSSL (or other TLS library) line, when shown.
    pub tls_library: Option<String>,
    /// `--with-*` modules and `--add-module`s.
    pub modules: Vec<String>,
    /// All configure arguments.
    pub configure_args: Vec<String>,
    /// The product named on the version line, lower-case: `nginx`, `openresty`, `angie`,
    /// `tengine`, `freenginx`.
    pub product: Option<String>,
    /// The nginx core version, when the product prints it apart from its own (Tengine).
    pub core_version: Option<String>,
}

/// How an upstream is spoken to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Protocol {
    /// `proxy_pass http://`
    Http,
    /// `proxy_pass https://`
    Https,
    /// `fastcgi_pass`
    Fastcgi,
    /// `uwsgi_pass` (plain)
    Uwsgi,
    /// `uwsgi_pass suwsgi://`
    Suwsgi,
    /// `scgi_pass`
    Scgi,
    /// `grpc_pass grpc://` or bare
    Grpc,
    /// `grpc_pass grpcs://`
    Grpcs,
    /// `memcached_pass`
    Memcached,
}

/// A `*_pass` directive: where a location sends requests.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UpstreamTarget {
    /// The directive, e.g. `fastcgi_pass`.
    pub directive: String,
    /// Protocol spoken.
    pub protocol: Protocol,
    /// The argument as written, e.g. `unix:/run/php/php8.1-fpm.sock` or `http://backend/`.
    pub raw: String,
    /// Where it connects, when the argument is a literal address (not a group or a variable).
    pub endpoint: Option<Endpoint>,
    /// The host when it is a name rather than a literal IP address or socket: an `upstream {}`
    /// group or a DNS name (the model decides). Set with `endpoint` when a port is given.
    pub group: Option<String>,
    /// The URI part of a `proxy_pass` URL, if any.
    pub uri: Option<String>,
    /// True when the argument holds variables (resolved at run time).
    pub uses_variables: bool,
    /// `server_name`s of the enclosing server block.
    pub server_names: Vec<String>,
    /// `listen`s of the enclosing server block.
    pub listens: Vec<String>,
    /// The enclosing `location` (modifier and pattern), if any.
    pub location: Option<String>,
    /// File the directive is in (`nginx -T` header or paste name), when known.
    pub file: Option<String>,
    /// Block path of the directive, as in [`NginxDirective::context`]
    /// (`http > server(example.com) > location(/api)`), so that `Model::directive_for` finds the
    /// settings that apply to this target.
    #[serde(default)]
    pub context: String,
}

/// An `upstream NAME {}` block.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UpstreamGroup {
    /// Group name.
    pub name: String,
    /// Its `server` lines: address as written plus parameters.
    pub servers: Vec<GroupServer>,
    /// `keepalive N`, when set.
    pub keepalive: Option<u32>,
    /// File the block is in, when known.
    pub file: Option<String>,
}

/// One `server` line of an `upstream {}` block.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupServer {
    /// Address as written.
    pub address: String,
    /// Parsed address, when literal.
    pub endpoint: Option<Endpoint>,
    /// Parameters such as `max_fails=3`, `backup`, `down`.
    pub params: Vec<String>,
}

/// A `server {}` block's identity.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServerBlock {
    /// `server_name` values, in order.
    pub names: Vec<String>,
    /// `listen` arguments, each as written (address plus flags).
    pub listens: Vec<String>,
    /// True when a `listen` carries `default_server` (or `default`).
    pub default_server: bool,
    /// File the block is in, when known.
    pub file: Option<String>,
}

/// One PHP-FPM pool (`[www]` section) with the settings that matter for a 502.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FpmPool {
    /// Pool name (section name); empty when the settings were pasted without their `[pool]`
    /// header.
    pub name: String,
    /// `listen` as written.
    pub listen: Option<String>,
    /// `listen` parsed.
    pub endpoint: Option<Endpoint>,
    /// `listen.owner`.
    pub listen_owner: Option<String>,
    /// `listen.group`.
    pub listen_group: Option<String>,
    /// `listen.mode` (octal text, e.g. `0660`).
    pub listen_mode: Option<String>,
    /// `listen.acl_users`.
    pub listen_acl_users: Option<String>,
    /// `listen.acl_groups`.
    pub listen_acl_groups: Option<String>,
    /// `listen.allowed_clients`.
    pub listen_allowed_clients: Option<String>,
    /// `listen.backlog`.
    pub listen_backlog: Option<String>,
    /// `user`.
    pub user: Option<String>,
    /// `group`.
    pub group: Option<String>,
    /// `pm` (static, dynamic, ondemand).
    pub pm: Option<String>,
    /// `pm.max_children`.
    pub max_children: Option<u32>,
    /// `request_terminate_timeout` as written (e.g. `30s`, `60`).
    pub request_terminate_timeout: Option<String>,
    /// `request_slowlog_timeout` as written.
    pub request_slowlog_timeout: Option<String>,
    /// File the section is in, when known.
    pub file: Option<String>,
    /// Every setting of the section in order, key and value as written (quotes removed, `$pool`
    /// not substituted): `pm.start_servers`, `slowlog`, `catch_workers_output`,
    /// `php_admin_value[memory_limit]`... A `php-fpm -tt` dump lists every setting, with
    /// `undefined` for unset ones (the typed fields above read `undefined` as unset).
    #[serde(default)]
    pub settings: Vec<(String, String)>,
}

/// A PHP-FPM log line.
///
/// Classes beyond the names: `child-started` is `child N started`; `child-killed-idle` is
/// `has been killed by the process management` (idle culling); `tracing` covers the slow-log
/// steps `stopped for tracing` / `about to trace` / `finished trace of`; `ptrace-failed` is
/// `failed to ptrace(...)`, `ptrace is denied` or `'request_slowlog_timeout' is not supported`
/// (no stack in the slow log); `chown-failed` is `failed to chown() the socket`;
/// `acl-overrides-owner` is `ACL set, listen.owner = '...' is ignored`; `not-running-as-root`
/// is `'user' directive is ignored when FPM is not running as root`; `pid-file` is `Unable to
/// create the PID file`; `access-line` is a line of FPM's own access log (`access.log`, on
/// stderr in the official Docker images); `php-message` is `child N said into stderr: "..."`
/// and bare `PHP message:` / `PHP Fatal error:` lines; `config-error` is any configuration
/// error (`[FILE:LINE] unknown entry`, `Unable to include`, `please specify user and group
/// other than root`, `'slowlog' must be specified`...).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FpmEvent {
    /// `21-Nov-2026 10:00:00`, when present.
    pub time: Option<String>,
    /// `NOTICE`, `WARNING`, `ERROR`, `ALERT`, `DEBUG`.
    pub level: Option<String>,
    /// `[pool www]`.
    pub pool: Option<String>,
    /// What the line says.
    pub class: FpmClass,
    /// Child pid, where the line names one.
    pub child: Option<u32>,
    /// Signal number for `exited on signal`.
    pub signal: Option<u32>,
    /// Exit code for `exited with code`.
    pub exit_code: Option<i32>,
    /// The number in `pm.max_children setting (N)`.
    pub limit: Option<u32>,
    /// Script path of `execution timed out` / `executing too slow`.
    pub script: Option<String>,
    /// Address of `unable to bind listening socket for address 'X'`.
    pub address: Option<String>,
    /// errno number, for `...: Address already in use (98)`.
    pub errno: Option<u16>,
    /// The message after the level and pool.
    pub message: String,
}

macro_rules! fpm_classes {
    ($( $variant:ident = $id:literal; )*) => {
        /// The class of a PHP-FPM log message.
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum FpmClass {
            $( #[doc = $id] #[serde(rename = $id)] $variant, )*
            /// Anything else.
            #[default]
            #[serde(rename = "other")]
            Other,
        }

        impl FpmClass {
            /// Stable id of the class.
            pub fn id(self) -> &'static str {
                match self { $(FpmClass::$variant => $id,)* FpmClass::Other => "other" }
            }
        }
    };
}

fpm_classes! {
    MaxChildrenReached = "max-children-reached";
    SeemsBusy = "seems-busy";
    MaxProcessesReached = "max-processes-reached";
    ExitedOnSignal = "exited-on-signal";
    ExitedWithCode = "exited-with-code";
    ExecutionTimedOut = "execution-timed-out";
    ExecutingTooSlow = "executing-too-slow";
    UnableToBind = "unable-to-bind";
    AnotherInstance = "another-instance";
    InitializationFailed = "initialization-failed";
    ChildFailedToInitialize = "child-failed-to-initialize";
    CannotGetUid = "cannot-get-uid";
    ConnectionDisallowed = "connection-disallowed";
    PhpMessage = "php-message";
    Ready = "ready";
    Exiting = "exiting";
    Reloading = "reloading";
    ConfigTestOk = "config-test-ok";
    ConfigError = "config-error";
    FailedProcessesThreshold = "failed-processes-threshold";
    SocketPathTooLong = "socket-path-too-long";
    ForkFailed = "fork-failed";
    ChildStarted = "child-started";
    ChildKilledIdle = "child-killed-idle";
    Tracing = "tracing";
    PtraceFailed = "ptrace-failed";
    ChownFailed = "chown-failed";
    AclOverridesOwner = "acl-overrides-owner";
    NotRunningAsRoot = "not-running-as-root";
    PidFile = "pid-file";
    AccessLine = "access-line";
}

/// State of a systemd unit, from `systemctl status` or `service ... status`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ServiceStatus {
    /// Unit name, e.g. `php8.3-fpm.service`.
    pub unit: String,
    /// Unit description.
    pub description: Option<String>,
    /// `active`, `inactive`, `failed`, `activating`, `deactivating`, `reloading`.
    pub active: String,
    /// Sub-state in parentheses: `running`, `dead`, `exited`, `auto-restart`...
    pub sub: Option<String>,
    /// `Result: exit-code` and the like.
    pub result: Option<String>,
    /// `since ...` text.
    pub since: Option<String>,
    /// Main PID.
    pub main_pid: Option<u32>,
    /// `Status: "..."` line (PHP-FPM reports its worker counts there).
    pub status_text: Option<String>,
    /// Exit status of the main process or a failing `Process:` line, e.g. `1/FAILURE`, `78/CONFIG`.
    pub exit_status: Option<String>,
}

/// One journal (or syslog) line.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct JournalEntry {
    /// Timestamp as written.
    pub time: Option<String>,
    /// Host name.
    pub host: Option<String>,
    /// Identifier: `nginx`, `systemd`, `php-fpm`, `kernel`...
    pub ident: String,
    /// PID in brackets.
    pub pid: Option<u32>,
    /// The message.
    pub message: String,
}

/// A listening (or connected) socket from `ss`, `netstat` or `lsof`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Listener {
    /// `tcp`, `tcp6`, `udp`, `unix`...
    pub proto: String,
    /// Local address: IP and port, or socket path.
    pub endpoint: Option<Endpoint>,
    /// Local address as written.
    pub local: String,
    /// Socket state, e.g. `LISTEN`.
    pub state: Option<String>,
    /// Recv-Q (for listeners: current accept-queue length).
    pub recv_q: Option<u64>,
    /// Send-Q (for listeners: the backlog).
    pub send_q: Option<u64>,
    /// Process name.
    pub process: Option<String>,
    /// Process id.
    pub pid: Option<u32>,
}

/// Socket counters of `ss -s`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SocketSummary {
    /// Total TCP sockets.
    pub tcp_total: Option<u64>,
    /// Established TCP connections.
    pub established: Option<u64>,
    /// TIME-WAIT sockets.
    pub timewait: Option<u64>,
    /// Orphaned sockets.
    pub orphaned: Option<u64>,
}

/// One entry of `ls -l`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FileEntry {
    /// Path or name as listed (joined with the directory header when there is one).
    pub path: String,
    /// File type letter: `s` socket, `d` directory, `-` file, `l` link...
    pub file_type: char,
    /// Permission string, e.g. `rw-rw----` (without the type letter).
    pub mode: String,
    /// Owner.
    pub owner: String,
    /// Group.
    pub group: String,
    /// Link target for symbolic links.
    pub link_target: Option<String>,
    /// SELinux context shown by `ls -Z` / `stat` (`unconfined_u:object_r:user_home_t:s0`).
    #[serde(default)]
    pub context: Option<String>,
    /// Why the path could not be listed (`No such file or directory`, `Permission denied`), from
    /// `ls: cannot access ...`, `stat: cannot stat ...` or `namei`; the other fields are then
    /// empty (`file_type` is `?`).
    #[serde(default)]
    pub error: Option<String>,
}

/// What `id` or `groups` says about a user.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct UserIdentity {
    /// User name.
    pub user: String,
    /// Numeric uid.
    pub uid: Option<u32>,
    /// Primary group.
    pub group: Option<String>,
    /// All groups.
    pub groups: Vec<String>,
}

/// One process of `ps`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ProcessInfo {
    /// User running it.
    pub user: String,
    /// Process id.
    pub pid: u32,
    /// Parent pid (`ps -ef`).
    pub ppid: Option<u32>,
    /// %CPU (`ps aux`).
    pub cpu: Option<f32>,
    /// %MEM (`ps aux`).
    pub mem: Option<f32>,
    /// Full command line.
    pub command: String,
}

/// An HTTP response as shown by `curl -I`, `curl -i` or `curl -v`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct HttpResponse {
    /// `HTTP/1.1`, `HTTP/2`...; empty when the output shows no status line (`-w '%{http_code}'`,
    /// wget without `-S`, headers grepped out of `curl -sI`).
    pub version: String,
    /// Status code; 0 when only headers were shown.
    pub status: u16,
    /// Reason phrase, when sent.
    pub reason: Option<String>,
    /// Headers in order (name as written, value).
    pub headers: Vec<(String, String)>,
    /// The URL or host requested, when the command line or `curl -v` shows it.
    pub url: Option<String>,
}

/// A connection or TLS problem reported by curl (`curl: (7) Failed to connect ...`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CurlError {
    /// curl's exit code, e.g. 7, 28, 35, 52, 56, 60.
    pub code: u32,
    /// The message.
    pub message: String,
}

/// One DNS answer or lookup outcome (dig, nslookup, host, getent, /etc/hosts).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DnsRecord {
    /// The name looked up, without the root dot; empty when the output does not repeat it
    /// (`dig +short`).
    pub name: String,
    /// Record type (`A`, `AAAA`, `CNAME`...), or `hosts` for `/etc/hosts`/getent.
    pub record_type: String,
    /// The value (address or target name).
    pub value: String,
}

/// The status of a DNS lookup: `NOERROR`, `NXDOMAIN`, `SERVFAIL`, `REFUSED` (the server's
/// answer), `NODATA` (the name exists, not the record type), `timeout` (no server answered),
/// `unreachable` (the server refused the connection or the network was down), `error` (the tool
/// gave no reason).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DnsStatus {
    /// The name looked up, when known.
    pub name: Option<String>,
    /// Status word.
    pub status: String,
    /// The server asked, when shown.
    pub server: Option<String>,
}

/// What a firewall rule does with matching packets.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FirewallAction {
    /// Let through.
    Accept,
    /// Silently drop (the client waits: timeouts).
    Drop,
    /// Reject with an error (the client gets refused / unreachable at once).
    Reject,
    /// Anything else (jump, log, return...).
    #[default]
    Other,
}

/// One firewall rule or policy, from any of iptables, nft, ufw, firewalld.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FirewallRule {
    /// `iptables`, `nftables`, `ufw`, `firewalld`.
    pub tool: String,
    /// Chain or zone (`INPUT`, `OUTPUT`, `DOCKER-USER`, `public`...).
    pub chain: Option<String>,
    /// What it does.
    pub action: FirewallAction,
    /// `tcp`, `udp`, `all`.
    pub protocol: Option<String>,
    /// Destination port or range (inclusive), when the rule names one.
    pub ports: Option<(u16, u16)>,
    /// Source address/network, when not "anywhere".
    pub source: Option<String>,
    /// Destination address/network, when not "anywhere".
    pub destination: Option<String>,
    /// Reject type (`icmp-host-prohibited`, `tcp-reset`...), when given.
    pub reject_with: Option<String>,
    /// True when this is a chain's default policy rather than a rule.
    pub is_policy: bool,
    /// The rule as written.
    pub raw: String,
    /// Every destination port or inclusive range the rule names (`multiport --dports 80,443`,
    /// nft `dport { 80, 443 }`, ufw `80,443/tcp`, a firewalld service's ports); `ports` is the
    /// first of them. Empty when the rule names no port or negates it (`! --dport 22`).
    #[serde(default)]
    pub port_ranges: Vec<(u16, u16)>,
    /// The table: iptables `filter`/`nat`/..., nft `inet filter` (family and name).
    #[serde(default)]
    pub table: Option<String>,
    /// The target or verdict as written (`ACCEPT`, `DOCKER-USER`, `LOG`, `MASQUERADE`, `drop`,
    /// `jump DOCKER`), so that `Other` actions keep their meaning.
    #[serde(default)]
    pub target: Option<String>,
    /// Input interface the rule is limited to (`-i lo`, `iif "lo"`, ufw `on eth0`).
    #[serde(default)]
    pub in_interface: Option<String>,
    /// Output interface the rule is limited to (`-o docker0`, `oifname "eth0"`).
    #[serde(default)]
    pub out_interface: Option<String>,
    /// Connection states the rule is limited to (`RELATED,ESTABLISHED`, `new`), as written: a
    /// rule for established connections says nothing about new ones.
    #[serde(default)]
    pub states: Option<String>,
    /// `ipv4` or `ipv6` when the rule applies to one family only (ufw `(v6)`, nft `ip6`,
    /// firewalld `family="ipv4"`, iptables rows with IPv6 addresses).
    #[serde(default)]
    pub family: Option<String>,
}

/// Whether a firewall front end is active (`ufw status`, `firewall-cmd --state`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FirewallState {
    /// Tool name.
    pub tool: String,
    /// True when active.
    pub active: bool,
}

/// SELinux mode from `getenforce` or `sestatus`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SelinuxMode {
    /// `enforcing`, `permissive` or `disabled` (lower case).
    pub mode: String,
}

/// One boolean of `getsebool`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SeBoolean {
    /// Name, e.g. `httpd_can_network_connect`.
    pub name: String,
    /// True for `--> on`.
    pub on: bool,
}

/// An AVC denial (SELinux) or an AppArmor denial.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MacDenial {
    /// `selinux` or `apparmor`.
    pub system: String,
    /// Permissions denied, e.g. `name_connect`, `connectto`, `write`.
    pub permissions: Vec<String>,
    /// Process name (`comm=`).
    pub comm: Option<String>,
    /// Destination port (`dest=`).
    pub dest_port: Option<u16>,
    /// Path or name (`name=`, `path=`).
    pub path: Option<String>,
    /// Source context or AppArmor profile.
    pub source_context: Option<String>,
    /// Target context.
    pub target_context: Option<String>,
    /// Target class, e.g. `tcp_socket`, `sock_file`, `unix_stream_socket`.
    pub target_class: Option<String>,
    /// True when the denial was only logged (`permissive=1`, AppArmor `ALLOWED`).
    pub permissive: bool,
    /// AppArmor `operation=` (`connect`, `open`, `file_perm`...), when given.
    #[serde(default)]
    pub operation: Option<String>,
}

/// A container from `docker ps` / `docker compose ps`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Container {
    /// Container name.
    pub name: String,
    /// Compose service, when shown.
    pub service: Option<String>,
    /// Image.
    pub image: Option<String>,
    /// Status text (`Up 3 hours`, `Exited (1) 2 minutes ago`, `Restarting (137)`). Empty when
    /// the source does not show the state (e.g. `docker network inspect`, `docker inspect -f`).
    pub status: String,
    /// True when running. When `status` is empty it is only true if the source implies it (a
    /// container listed by `docker network inspect` is attached, hence running).
    pub running: bool,
    /// Published or exposed ports as written (`0.0.0.0:8080->80/tcp`, `9000/tcp`).
    pub ports: Vec<String>,
    /// Networks the container is attached to, when shown (`docker inspect`, `docker network
    /// inspect`, the `NETWORKS` column of `docker ps --format`).
    #[serde(default)]
    pub networks: Vec<String>,
    /// Its IP addresses on those networks, without prefix length (`172.18.0.3`), when shown.
    #[serde(default)]
    pub addresses: Vec<String>,
}

/// A service of a compose file.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ComposeService {
    /// Service name.
    pub name: String,
    /// Image.
    pub image: Option<String>,
    /// `container_name`.
    pub container_name: Option<String>,
    /// `ports:` entries as written.
    pub ports: Vec<String>,
    /// `expose:` entries.
    pub expose: Vec<String>,
    /// `networks:` names.
    pub networks: Vec<String>,
    /// `network_mode`.
    pub network_mode: Option<String>,
    /// `command:` as written.
    pub command: Option<String>,
    /// `environment:` entries as `KEY=VALUE`.
    pub environment: Vec<String>,
    /// `volumes:` entries as written.
    pub volumes: Vec<String>,
    /// `depends_on:` names.
    pub depends_on: Vec<String>,
}

/// A row of `kubectl get` (pods, services, endpoints, ingresses) or a `kubectl describe` summary.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct KubeObject {
    /// `pod`, `service`, `endpoints`, `ingress`, `endpointslice`, `deployment`...
    pub object: String,
    /// Namespace, when shown.
    pub namespace: Option<String>,
    /// Name.
    pub name: String,
    /// Column values by header (upper-case header names), or describe fields.
    pub fields: Vec<(String, String)>,
}

/// An ingress-nginx controller log line (Go klog form).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ControllerEvent {
    /// `I`, `W`, `E`, `F`; empty for a message pasted without its klog header.
    pub severity: String,
    /// The message.
    pub message: String,
    /// The `namespace/service` named in `Service "x" does not have any active Endpoint`.
    pub service_without_endpoints: Option<String>,
    /// `MMDD HH:MM:SS.uuuuuu` of the klog header, when present.
    pub time: Option<String>,
    /// `file.go:LINE` of the klog header, when present.
    pub source: Option<String>,
}

/// Memory figures of `free`, in MiB.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MemoryUsage {
    /// Total memory.
    pub total_mib: f64,
    /// Used.
    pub used_mib: f64,
    /// Free.
    pub free_mib: f64,
    /// Available (newer procps).
    pub available_mib: Option<f64>,
    /// Swap total.
    pub swap_total_mib: Option<f64>,
    /// Swap used.
    pub swap_used_mib: Option<f64>,
}

/// Load averages of `uptime` / `top`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LoadAverage {
    /// 1-minute load.
    pub one: f64,
    /// 5-minute load.
    pub five: f64,
    /// 15-minute load.
    pub fifteen: f64,
}

/// CPU line of `top`: idle and iowait percentages.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CpuUsage {
    /// `id` percentage.
    pub idle: f64,
    /// `wa` percentage.
    pub iowait: Option<f64>,
}

/// One filesystem of `df`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DiskUsage {
    /// Filesystem.
    pub filesystem: String,
    /// Use% as a number.
    pub use_percent: u8,
    /// Mount point.
    pub mount: String,
}

/// A kernel OOM kill.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct OomKill {
    /// Killed pid.
    pub pid: Option<u32>,
    /// Killed process name.
    pub process: String,
}

/// Another kernel event that matters: a segfault, a full conntrack table, a SYN flood warning.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct KernelEvent {
    /// `segfault`, `conntrack-full`, `syn-flood`, `possible-syn-flooding`, `tcp-out-of-memory`.
    pub class: String,
    /// Process named, when any.
    pub process: Option<String>,
    /// The line's message.
    pub message: String,
}

/// A limit or kernel setting: `ulimit -n`, `sysctl key = value`, `LimitNOFILE`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Setting {
    /// `ulimit`, `sysctl`, `systemd`, `limits`, `prlimit`, `resolv.conf` (resolver settings),
    /// `apparmor` (a profile and its mode from `aa-status`), `php-fpm` (global FPM settings),
    /// `php.ini`.
    pub source: String,
    /// Key, e.g. `open files`, `net.ipv4.ip_local_port_range`.
    pub key: String,
    /// Value as written.
    pub value: String,
}

/// An event in an application server's log (gunicorn, uWSGI, Node, ...).
///
/// Classes:
/// - `starting`: the server starts (`Starting gunicorn 23.0.0`, `*** Starting uWSGI`, pm2
///   `starting in fork mode`, `[nodemon] starting`).
/// - `listening`: it listens; `endpoint` says where (`Listening at: http://127.0.0.1:8000`,
///   `uwsgi socket 0 bound to TCP address`, `Server listening on port 3000`).
/// - `worker-started`: a worker was spawned; `number` = its pid (`Booting worker with pid`,
///   `spawned uWSGI worker`, pm2 `online`).
/// - `worker-timeout`: a worker ran over its time limit and is killed; `number` = pid
///   (`WORKER TIMEOUT (pid:12)`, uWSGI `HARAKIRI`).
/// - `worker-exited`: a worker or the app exited; `number` = pid (gunicorn) or exit code (pm2)
///   (`Worker exiting`, `Worker (pid:12) exited with code 3`, `DAMN ! worker 1 (pid: 123)
///   died`, pm2 `exited with code [1]`, `[nodemon] app crashed`).
/// - `worker-killed`: a worker was killed by a signal; `number` = pid (`Worker (pid:12) was
///   sent SIGKILL! Perhaps out of memory?`, uWSGI `killed by signal 9`).
/// - `out-of-memory`: the process ran out of memory (Node `JavaScript heap out of memory`,
///   uWSGI `OOM`/`MemoryError`).
/// - `crash`: a segmentation fault or similar (`!!! uWSGI process 12 got Segmentation Fault !!!`).
/// - `address-in-use`: it cannot bind; `endpoint` when named (`Connection in use: ('0.0.0.0',
///   8000)`, `Retrying in 1 second.`, `EADDRINUSE`, `bind(): Address already in use`,
///   `probably another instance of uWSGI is running on the same address`).
/// - `boot-failed`: the application could not be loaded (`Worker failed to boot.`,
///   `no app loaded`, `App failed to load`).
/// - `shutting-down`: the server stops (`Shutting down: Master`, `Handling signal: term`,
///   `goodbye to uWSGI`).
/// - `invalid-request-block-size`: uWSGI's request buffer overflow; `number` = the block size,
///   `limit` = the `(max N)` buffer size.
/// - `listen-queue-full`: uWSGI `listen queue of socket ... full`; `number` = queued, `limit`
///   = backlog.
/// - `setting`: a start-up line stating a limit (`your mercy for graceful operations on
///   workers is 60 seconds`, `listen backlog is limited to 100 connections`, `--buffer-size`);
///   `limit` = the value.
/// - `exception`: an error with its traceback or stack folded in (`message` = the error line,
///   `detail` = the frames).
/// - `connection-reset`: `ECONNRESET` / `socket hang up`.
/// - `request`: one request line of the server's own request log.
/// - `keepalive-timeout`: a keep-alive setting or timeout line.
/// - `slow-request`: a PHP-FPM slow-log entry (`message` = `script_filename`, `number` = pid,
///   `detail` = the stack frames, innermost first).
/// - `info`: any other line of the server's own format.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AppEvent {
    /// `gunicorn`, `uwsgi`, `node`, `php-fpm-slowlog`...
    pub server: String,
    /// What happened (see the type's documentation for the classes).
    pub class: String,
    /// The address the server listens on, for `listening` / `address-in-use`.
    pub endpoint: Option<Endpoint>,
    /// A number the line carries (block size, timeout, pid...).
    pub number: Option<u64>,
    /// The message.
    pub message: String,
    /// A limit the line names: uWSGI's `(max 4096)`, a listen backlog, a timeout in seconds.
    pub limit: Option<u64>,
    /// Timestamp as written, when the line has one.
    pub time: Option<String>,
    /// Lines folded into the event (traceback or stack frames), as written.
    #[serde(default)]
    pub detail: Vec<String>,
}

/// The outcome of a connectivity probe (`ping`, `ip neigh`, `nc -zv`, `telnet`, `traceroute`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ProbeResult {
    /// `ping`, `ip-neigh`, `nc`, `telnet`, `traceroute`.
    pub tool: String,
    /// The host or address probed.
    pub target: String,
    /// The port, for TCP probes.
    pub port: Option<u16>,
    /// `reachable`, `refused`, `timeout`, `unreachable` (no answer to ARP/ICMP host unreachable),
    /// `no-route` (network unreachable), `unknown-host`.
    pub outcome: String,
    /// The line that says it.
    pub detail: String,
}

/// An HTTP error page (or its title): who made it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ErrorPageInfo {
    /// Status shown, e.g. 502.
    pub status: Option<u16>,
    /// Producer: `nginx`, `openresty`, `cloudflare`, `aws-elb`, `google-lb`, `azure-app-gateway`,
    /// `envoy`, `haproxy`, `apache`, `iis`, `varnish`, `traefik`, `ingress-default-backend`,
    /// `unknown`.
    pub producer: String,
    /// Version shown (`nginx/1.24.0`), when any.
    pub version: Option<String>,
    /// Why the layer answered so, when its log says (`backend_connection_closed_before_data_sent_to_client`,
    /// an ALB's target status `-`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// An access-log entry. Values are as written (`-` stays `-`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AccessEntry {
    /// Time as written.
    pub time: Option<String>,
    /// Client address.
    pub client: Option<String>,
    /// Request line.
    pub request: Option<String>,
    /// Response status sent to the client. nginx's `009` (an HTTP/0.9 reply relayed after
    /// `upstream sent no valid HTTP/1.0 header`) reads as 9; 0 when the format has no `$status`.
    pub status: u16,
    /// `$upstream_status` as written (may list several: `502, 502`).
    pub upstream_status: Option<String>,
    /// `$upstream_addr` as written.
    pub upstream_addr: Option<String>,
    /// `$upstream_response_time` as written.
    pub upstream_response_time: Option<String>,
    /// `$request_time`.
    pub request_time: Option<String>,
    /// Host header / `$host` / `$server_name`.
    pub host: Option<String>,
    /// Bytes sent.
    pub bytes: Option<u64>,
    /// User agent.
    pub user_agent: Option<String>,
    /// `$http_referer`.
    pub referer: Option<String>,
    /// `$upstream_connect_time` as written.
    pub upstream_connect_time: Option<String>,
    /// `$upstream_header_time` as written.
    pub upstream_header_time: Option<String>,
    /// Other values: variables of a custom `log_format` without a field here (name without
    /// `$`), labelled extras of common formats (`cs=...`), JSON keys (name as written).
    #[serde(default)]
    pub other: Vec<(String, String)>,
}

/// A PHP version (`php -v`, `php-fpm -v`) or one read from a socket path / unit name.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PhpVersion {
    /// `8.3.6`.
    pub version: String,
}

/// A `log_format` definition from the nginx configuration.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LogFormat {
    /// Format name.
    pub name: String,
    /// The format string (concatenated).
    pub format: String,
    /// `escape=json` and the like.
    pub escape: Option<String>,
}

/// An nginx `include` directive.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Include {
    /// The pattern as written.
    pub pattern: String,
    /// File the directive is in, when known.
    pub file: Option<String>,
}

/// A simple nginx directive that matters to a rule (`user`, `worker_connections`, timeouts,
/// buffers, `resolver`...), with the context it sits in.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct NginxDirective {
    /// Directive name.
    pub name: String,
    /// Arguments as written (quotes removed).
    pub args: Vec<String>,
    /// Block path, e.g. `http > server > location /api`.
    pub context: String,
    /// File, when known.
    pub file: Option<String>,
}

/// A piece of configuration nginx would not accept or the parser could not read.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ConfigProblem {
    /// What is wrong, lower-case, no trailing period.
    pub message: String,
}

/// Everything a parser can find. The serde tag `type` names the variant in JSON.
///
/// Facts larger than 32 bytes are boxed, so that a `Fact` stays small (see
/// [`MAX_INLINE_FACT_BYTES`]): a parse of many small facts (directives, log lines) does not pay
/// for the largest variant in every element of its `Vec<FactAt>`. serde writes a `Box<T>` as `T`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
#[allow(missing_docs)]
pub enum Fact {
    ErrorEvent(Box<ErrorEvent>),
    ConfigTest(ConfigTest),
    NginxBuild(Box<NginxBuild>),
    UpstreamTarget(Box<UpstreamTarget>),
    UpstreamGroup(Box<UpstreamGroup>),
    ServerBlock(Box<ServerBlock>),
    NginxDirective(Box<NginxDirective>),
    Include(Box<Include>),
    LogFormat(Box<LogFormat>),
    ConfigProblem(ConfigProblem),
    AccessEntry(Box<AccessEntry>),
    FpmPool(Box<FpmPool>),
    FpmEvent(Box<FpmEvent>),
    PhpVersion(PhpVersion),
    ServiceStatus(Box<ServiceStatus>),
    JournalEntry(Box<JournalEntry>),
    Listener(Box<Listener>),
    SocketSummary(Box<SocketSummary>),
    FileEntry(Box<FileEntry>),
    UserIdentity(Box<UserIdentity>),
    ProcessInfo(Box<ProcessInfo>),
    HttpResponse(Box<HttpResponse>),
    CurlError(CurlError),
    DnsRecord(Box<DnsRecord>),
    DnsStatus(Box<DnsStatus>),
    FirewallRule(Box<FirewallRule>),
    FirewallState(FirewallState),
    SelinuxMode(SelinuxMode),
    SeBoolean(SeBoolean),
    MacDenial(Box<MacDenial>),
    Container(Box<Container>),
    ComposeService(Box<ComposeService>),
    KubeObject(Box<KubeObject>),
    ControllerEvent(Box<ControllerEvent>),
    MemoryUsage(Box<MemoryUsage>),
    LoadAverage(LoadAverage),
    CpuUsage(CpuUsage),
    DiskUsage(Box<DiskUsage>),
    OomKill(OomKill),
    KernelEvent(Box<KernelEvent>),
    Setting(Box<Setting>),
    AppEvent(Box<AppEvent>),
    ErrorPage(Box<ErrorPageInfo>),
    ProbeResult(Box<ProbeResult>),
}

/// The largest payload a [`Fact`] variant holds inline; larger ones are boxed.
pub const MAX_INLINE_FACT_BYTES: usize = 32;

impl Fact {
    /// The serde tag of the variant, e.g. `error-event`.
    pub fn type_id(&self) -> &'static str {
        match self {
            Fact::ErrorEvent(_) => "error-event",
            Fact::ConfigTest(_) => "config-test",
            Fact::NginxBuild(_) => "nginx-build",
            Fact::UpstreamTarget(_) => "upstream-target",
            Fact::UpstreamGroup(_) => "upstream-group",
            Fact::ServerBlock(_) => "server-block",
            Fact::NginxDirective(_) => "nginx-directive",
            Fact::Include(_) => "include",
            Fact::LogFormat(_) => "log-format",
            Fact::ConfigProblem(_) => "config-problem",
            Fact::AccessEntry(_) => "access-entry",
            Fact::FpmPool(_) => "fpm-pool",
            Fact::FpmEvent(_) => "fpm-event",
            Fact::PhpVersion(_) => "php-version",
            Fact::ServiceStatus(_) => "service-status",
            Fact::JournalEntry(_) => "journal-entry",
            Fact::Listener(_) => "listener",
            Fact::SocketSummary(_) => "socket-summary",
            Fact::FileEntry(_) => "file-entry",
            Fact::UserIdentity(_) => "user-identity",
            Fact::ProcessInfo(_) => "process-info",
            Fact::HttpResponse(_) => "http-response",
            Fact::CurlError(_) => "curl-error",
            Fact::DnsRecord(_) => "dns-record",
            Fact::DnsStatus(_) => "dns-status",
            Fact::FirewallRule(_) => "firewall-rule",
            Fact::FirewallState(_) => "firewall-state",
            Fact::SelinuxMode(_) => "selinux-mode",
            Fact::SeBoolean(_) => "se-boolean",
            Fact::MacDenial(_) => "mac-denial",
            Fact::Container(_) => "container",
            Fact::ComposeService(_) => "compose-service",
            Fact::KubeObject(_) => "kube-object",
            Fact::ControllerEvent(_) => "controller-event",
            Fact::MemoryUsage(_) => "memory-usage",
            Fact::LoadAverage(_) => "load-average",
            Fact::CpuUsage(_) => "cpu-usage",
            Fact::DiskUsage(_) => "disk-usage",
            Fact::OomKill(_) => "oom-kill",
            Fact::KernelEvent(_) => "kernel-event",
            Fact::Setting(_) => "setting",
            Fact::AppEvent(_) => "app-event",
            Fact::ErrorPage(_) => "error-page",
            Fact::ProbeResult(_) => "probe-result",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facts_stay_small() {
        // The tag takes one word beside the largest inline payload.
        assert!(
            std::mem::size_of::<Fact>() <= MAX_INLINE_FACT_BYTES + 8,
            "Fact is {} bytes: box the variant that grew",
            std::mem::size_of::<Fact>()
        );
    }

    #[test]
    fn endpoints_parse() {
        let unix = |p: &str| Some(Endpoint::Unix { path: p.into() });
        let tcp = |h: &str, p: Option<u16>| {
            Some(Endpoint::Tcp {
                host: h.into(),
                port: p,
            })
        };
        assert_eq!(
            Endpoint::parse("unix:/run/php/php8.3-fpm.sock"),
            unix("/run/php/php8.3-fpm.sock")
        );
        assert_eq!(
            Endpoint::parse("unix:/run/php/php8.3-fpm.sock:"),
            unix("/run/php/php8.3-fpm.sock")
        );
        assert_eq!(Endpoint::parse("/run/php-fpm/www.sock"), unix("/run/php-fpm/www.sock"));
        assert_eq!(Endpoint::parse("127.0.0.1:9000"), tcp("127.0.0.1", Some(9000)));
        assert_eq!(Endpoint::parse("9000"), tcp("", Some(9000)));
        assert_eq!(Endpoint::parse("[::1]:8080"), tcp("::1", Some(8080)));
        assert_eq!(Endpoint::parse("backend"), tcp("backend", None));
        assert_eq!(Endpoint::parse("::1"), tcp("::1", None));
        assert_eq!(Endpoint::parse("$backend"), None);
        assert_eq!(Endpoint::parse("host:notaport"), None);
        assert_eq!(tcp("::1", Some(80)).unwrap().to_string(), "[::1]:80");
    }
}

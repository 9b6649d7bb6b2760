//! PHP-FPM as the model sees it, for the rules of the PHP causes: which nginx error lines are
//! about a FastCGI/PHP backend, what says PHP-FPM is down or up, where it listens when it is not
//! where nginx dials, and whether the socket nginx dials exists.
//!
//! Every answer is a list of [`Sign`]s: a located line with a note in the person's terms, so a
//! rule can quote it as support or as contradiction.

use crate::facts::*;
use crate::model::backends::{Role, is_down, is_running, role_of};
use crate::model::{At, Model, endpoints};
use crate::span::Span;

/// How much a sign weighs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Strength {
    /// A hint (a PHP version seen elsewhere).
    Weak,
    /// A state that fits (a socket file beside the dialed one, a unit of another version running).
    Medium,
    /// Direct proof (a pool's `listen`, a listener, a failed unit).
    Strong,
}

/// One located line that says something about PHP-FPM.
#[derive(Clone, Debug)]
pub struct Sign {
    /// Artifact index.
    pub artifact: usize,
    /// Span of the line.
    pub span: Span,
    /// What the line shows, lower-case start.
    pub note: String,
    /// Where PHP-FPM listens, when the line says.
    pub endpoint: Option<Endpoint>,
    /// The PHP version the line names (`8.3`), when it names one.
    pub version: Option<String>,
    /// The unit or pool named, when any (`php8.3-fpm`, `www`).
    pub name: Option<String>,
    /// The container named, when the line is about a container.
    pub container: Option<String>,
    /// How much it weighs.
    pub strength: Strength,
}

impl Sign {
    fn new(artifact: usize, span: Span, note: impl Into<String>, strength: Strength) -> Self {
        Sign {
            artifact,
            span,
            note: note.into(),
            endpoint: None,
            version: None,
            name: None,
            container: None,
            strength,
        }
    }
}

/// The PHP version a path, unit or process name carries: `php8.3-fpm.sock` → `8.3`,
/// `php-fpm83` / `php83-fpm` → `8.3`, `php70-fpm.sock` → `7.0`, `php5-fpm.sock` → `5`.
pub fn php_version_in(text: &str) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find("php") {
        let start = from + i + 3;
        let rest = &lower[start..];
        let rest = rest
            .strip_prefix("-fpm")
            .or_else(|| rest.strip_prefix("fpm"))
            .or_else(|| rest.strip_prefix('-'))
            .unwrap_or(rest);
        let digits: String = rest.chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
        let digits = digits.trim_end_matches('.');
        if let Some(v) = normalise_version(digits) {
            return Some(v);
        }
        from = start;
    }
    None
}

fn normalise_version(digits: &str) -> Option<String> {
    if digits.is_empty() || !digits.as_bytes()[0].is_ascii_digit() {
        return None;
    }
    if digits.contains('.') {
        let mut parts = digits.split('.');
        let major = parts.next()?;
        let minor = parts.next().filter(|m| !m.is_empty());
        return Some(match minor {
            Some(minor) => format!("{major}.{minor}"),
            None => major.to_string(),
        });
    }
    match digits.len() {
        1 => Some(digits.to_string()),
        2 => Some(format!("{}.{}", &digits[..1], &digits[1..])),
        _ => None,
    }
}

/// True when two versions name the same PHP (`8.3` and `8.3.6`; `5` and `5.6`).
pub fn same_version(a: &str, b: &str) -> bool {
    let short = |v: &str| v.split('.').take(2).collect::<Vec<_>>().join(".");
    let (a, b) = (short(a), short(b));
    a == b
        || (!a.contains('.') && b.split('.').next() == Some(&a))
        || (!b.contains('.') && a.split('.').next() == Some(&b))
}

/// True when a unix socket path or a name looks like PHP-FPM's.
pub fn looks_like_fpm(text: &str) -> bool {
    let l = text.to_ascii_lowercase();
    l.contains("php") || l.contains("fpm")
}

/// `fastcgi_pass` value for an endpoint: `unix:/path` or `host:port`.
pub fn pass_value(e: &Endpoint) -> String {
    match e {
        Endpoint::Unix { path } => format!("unix:{path}"),
        Endpoint::Tcp { host, port: Some(p) } if endpoints::is_wildcard(host) => format!("127.0.0.1:{p}"),
        other => other.to_string(),
    }
}

/// Two TCP endpoints on the same port: not a FastCGI path mismatch (a host or network matter).
fn same_port_tcp(a: &Endpoint, b: &Endpoint) -> bool {
    matches!((a, b), (Endpoint::Tcp { port: Some(x), .. }, Endpoint::Tcp { port: Some(y), .. }) if x == y)
}

impl<'a> Model<'a> {
    /// True when an nginx error line is about a FastCGI / PHP-FPM backend: its `upstream:` is
    /// `fastcgi://`, a configured `fastcgi_pass` dials its address, or (with no scheme known) the
    /// peer's socket path names PHP or FPM.
    pub fn is_php_event(&self, e: &ErrorEvent) -> bool {
        if let Some(u) = e.upstream.as_deref() {
            let scheme = u.split_once("://").map(|(s, _)| s.trim().to_ascii_lowercase());
            match scheme.as_deref() {
                Some("fastcgi") => return true,
                Some(_) => return false,
                None => {}
            }
        }
        let targets = self.targets_for_event(e);
        if !targets.is_empty() {
            return targets.iter().any(|t| t.at.protocol == Protocol::Fastcgi);
        }
        e.target
            .as_deref()
            .is_some_and(|t| t.starts_with("unix:") && looks_like_fpm(t))
    }

    /// Lines that say PHP-FPM is stopped, failed or could not start.
    pub fn fpm_down_signs(&self) -> Vec<Sign> {
        let mut out = Vec::new();
        for s in self.services(Role::PhpFpm) {
            let restarting = s.active == "activating" && s.sub.as_deref() == Some("auto-restart");
            if is_down(&s) || restarting {
                let state = match &s.sub {
                    Some(sub) => format!("{} ({sub})", s.active),
                    None => s.active.clone(),
                };
                out.push(unit_sign(&s, format!("{} is {state}", s.unit)));
            }
        }
        if let Some(last) = self.last_fpm_lifecycle()
            && last.class == FpmClass::Exiting
        {
            out.push(Sign::new(
                last.artifact,
                last.span,
                "PHP-FPM's log ends with its master exiting",
                Strength::Strong,
            ));
        }
        for e in self.all::<FpmEvent>() {
            let error = matches!(e.level.as_deref(), Some("ERROR" | "ALERT"));
            // A note built for this event (the others are constant).
            let built;
            let note = match e.class {
                FpmClass::InitializationFailed => "PHP-FPM failed to initialise: it is not running",
                FpmClass::UnableToBind => {
                    let why = match e.errno {
                        Some(98) => " (address already in use)",
                        Some(13) => " (permission denied)",
                        Some(2) => " (its directory does not exist)",
                        _ => "",
                    };
                    built = format!(
                        "PHP-FPM cannot bind {}{why}, so it does not start",
                        e.address.as_deref().unwrap_or("its listening socket")
                    );
                    built.as_str()
                }
                FpmClass::AnotherInstance => "PHP-FPM refuses to start: another instance holds its socket",
                FpmClass::CannotGetUid => "PHP-FPM cannot start: a user or group of the pool does not exist",
                FpmClass::ChownFailed => "PHP-FPM cannot start: it failed to chown its socket",
                FpmClass::PidFile if error => "PHP-FPM cannot create its PID file, so it does not start",
                FpmClass::ConfigError if error => {
                    // The first error names the file, line and entry; the follow-up lines
                    // ("failed to load configuration file") only repeat that it failed.
                    built = if e.message.starts_with("failed to load configuration") {
                        "PHP-FPM's configuration has an error, so it does not start".to_string()
                    } else {
                        format!(
                            "PHP-FPM's configuration has an error, so it does not start: {}",
                            e.message
                        )
                    };
                    built.as_str()
                }
                FpmClass::ChildFailedToInitialize => "PHP-FPM's workers die at start-up",
                _ => continue,
            };
            out.push(Sign::new(e.artifact, e.span, note, Strength::Strong));
        }
        for c in self.all::<Container>() {
            let fpm = looks_like_fpm(&c.name) || c.image.as_deref().is_some_and(|i| i.contains("fpm"));
            if fpm && !c.running && !c.status.is_empty() {
                let mut sign = Sign::new(
                    c.artifact,
                    c.span,
                    format!("the PHP-FPM container {} is not running ({})", c.name, c.status),
                    Strength::Strong,
                );
                sign.container = Some(c.service.clone().unwrap_or_else(|| c.name.clone()));
                sign.version = c.image.as_deref().and_then(php_version_in);
                out.push(sign);
            }
        }
        for j in self.all::<JournalEntry>() {
            let m = j.message.as_str();
            let about_fpm = looks_like_fpm(m) || m.contains("FastCGI Process Manager");
            if about_fpm && (m.starts_with("Failed to start") || m.contains("Failed with result")) {
                out.push(Sign::new(
                    j.artifact,
                    j.span,
                    "systemd reports that PHP-FPM failed",
                    Strength::Strong,
                ));
            }
        }
        out
    }

    /// [`Model::fpm_down_signs`] that may concern PHP `version`: those naming no version or the
    /// same one (a stopped `php8.1-fpm` says nothing about a socket of PHP 8.3).
    pub fn fpm_down_signs_for(&self, version: Option<&str>) -> Vec<Sign> {
        self.fpm_down_signs()
            .into_iter()
            .filter(|s| match (s.version.as_deref(), version) {
                (Some(a), Some(b)) => same_version(a, b),
                _ => true,
            })
            .collect()
    }

    /// [`Model::fpm_up_signs`] that may concern PHP `version`, as above.
    pub fn fpm_up_signs_for(&self, version: Option<&str>) -> Vec<Sign> {
        self.fpm_up_signs()
            .into_iter()
            .filter(|s| match (s.version.as_deref(), version) {
                (Some(a), Some(b)) => same_version(a, b),
                _ => true,
            })
            .collect()
    }

    /// The PHP-FPM unit to name in commands: a pasted unit of that version (or any, when no
    /// version is known), else Debian's `phpX.Y-fpm` for a dotted version, else `php-fpm`.
    pub fn fpm_service_name(&self, version: Option<&str>) -> String {
        let units: Vec<String> = self
            .services(Role::PhpFpm)
            .map(|s| s.unit.trim_end_matches(".service").to_string())
            .collect();
        if let Some(u) = units.iter().find(|u| match (php_version_in(u), version) {
            (Some(a), Some(b)) => same_version(&a, b),
            (None, None) => true,
            (_, None) => true,
            (None, Some(_)) => false,
        }) {
            return u.clone();
        }
        match version {
            Some(v) if v.contains('.') => format!("php{v}-fpm"),
            _ => "php-fpm".to_string(),
        }
    }

    /// nginx's `fastcgi_read_timeout` for PHP, in seconds, with the directive when it was
    /// pasted: the one in the block of a `fastcgi_pass` when there is one, else any; 60 s (the
    /// default) when none was pasted.
    pub fn fastcgi_read_timeout(&self) -> (u64, Option<At<'a, NginxDirective>>) {
        let all: Vec<_> = self.directives("fastcgi_read_timeout").collect();
        let php_locations: Vec<String> = self
            .all::<UpstreamTarget>()
            .filter(|t| t.protocol == Protocol::Fastcgi)
            .filter_map(|t| t.location.clone())
            .collect();
        let chosen = all
            .iter()
            .find(|d| php_locations.iter().any(|l| d.context.contains(l.as_str())))
            .or_else(|| all.first())
            .copied();
        let secs = chosen
            .and_then(|d| d.args.first().and_then(|a| crate::model::time::duration_secs(a)))
            .unwrap_or(60);
        (secs, chosen)
    }

    /// Lines that say every PHP-FPM worker is busy: `server reached pm.max_children`, `seems
    /// busy`, `process.max` reached, an FPM listen queue at its backlog (`ss` Recv-Q ≥ Send-Q),
    /// a unit status with no idle worker, slow-log entries (weak: slow scripts hold workers).
    pub fn fpm_saturation_signs(&self) -> Vec<Sign> {
        let mut out = Vec::new();
        for e in self.all::<FpmEvent>() {
            let (note, strength) = match e.class {
                FpmClass::MaxChildrenReached => (
                    match e.limit {
                        Some(n) => format!("every one of the {n} workers is busy (pm.max_children reached)"),
                        None => "every worker is busy (max_children reached)".to_string(),
                    },
                    Strength::Strong,
                ),
                FpmClass::MaxProcessesReached => ("the global process.max is reached".to_string(), Strength::Strong),
                FpmClass::SeemsBusy => (
                    "the pool seems busy: FPM spawns workers as fast as it can".to_string(),
                    Strength::Medium,
                ),
                _ => continue,
            };
            let mut sign = Sign::new(e.artifact, e.span, note, strength);
            sign.name = e.pool.clone();
            out.push(sign);
        }
        for l in self.all::<Listener>() {
            let fpm = l.process.as_deref().map(role_of) == Some(Role::PhpFpm)
                || matches!(&l.endpoint, Some(Endpoint::Unix { path }) if looks_like_fpm(path));
            if let (true, Some(q), Some(backlog)) = (fpm, l.recv_q, l.send_q)
                && backlog > 0
                && q >= backlog
                && l.state.as_deref().is_none_or(|s| s.starts_with("LISTEN"))
            {
                let mut sign = Sign::new(
                    l.artifact,
                    l.span,
                    format!(
                        "{} has {q} connections queued for a backlog of {backlog}: the queue is full",
                        l.local
                    ),
                    Strength::Strong,
                );
                sign.endpoint = l.endpoint.clone();
                out.push(sign);
            }
        }
        for s in self.services(Role::PhpFpm) {
            if let Some(text) = &s.status_text
                && text.contains("idle: 0,")
            {
                out.push(Sign::new(
                    s.artifact,
                    s.span,
                    format!("{}: no idle worker", s.unit),
                    Strength::Medium,
                ));
            }
        }
        let slow: Vec<_> = self.all::<AppEvent>().filter(|a| a.class == "slow-request").collect();
        if let Some(a) = slow.first() {
            // `[0x00007f3a2c813f40] curl_exec() /path/File.php:44` → `curl_exec() /path/File.php:44`
            let frame = a
                .detail
                .first()
                .map(|f| f.trim())
                .map(|f| f.split_once("] ").map_or(f, |(_, rest)| rest).to_string())
                .unwrap_or_default();
            out.push(Sign::new(
                a.artifact,
                a.span,
                if frame.is_empty() {
                    "the slow log shows workers held by slow requests".to_string()
                } else {
                    format!("the slow log shows workers stuck in {frame}")
                },
                Strength::Weak,
            ));
        }
        out
    }

    /// `Unit phpX.Y-fpm.service could not be found` for PHP `version` (any PHP-FPM unit when no
    /// version is given): that PHP-FPM is not installed at all.
    pub fn fpm_units_missing(&self, version: Option<&str>) -> Vec<Sign> {
        self.services(Role::PhpFpm)
            .filter(|s| s.active == "not-found")
            .filter(|s| match (php_version_in(&s.unit), version) {
                (Some(a), Some(b)) => same_version(&a, b),
                (None, None) => true,
                _ => false,
            })
            .map(|s| {
                let mut sign = Sign::new(
                    s.artifact,
                    s.span,
                    format!("{} does not exist: that PHP-FPM is not installed", s.unit),
                    Strength::Strong,
                );
                sign.version = php_version_in(&s.unit);
                sign.name = Some(s.unit.trim_end_matches(".service").to_string());
                sign
            })
            .collect()
    }

    /// PHP-FPM's last `ready to handle connections` or `exiting` line: its state when the log ends.
    fn last_fpm_lifecycle(&self) -> Option<At<'a, FpmEvent>> {
        self.all::<FpmEvent>()
            .filter(|e| matches!(e.class, FpmClass::Ready | FpmClass::Exiting))
            .last()
    }

    /// The PHP-FPM unit a fix should start and the container it runs in: named by the down
    /// signs when they name one, else the unit of that PHP version on this platform.
    pub fn fpm_unit_and_container(&self, down: &[Sign], version: Option<&str>) -> (String, Option<String>) {
        let unit = down
            .iter()
            .find_map(|s| s.name.clone())
            .unwrap_or_else(|| self.fpm_service_name(version));
        (unit, down.iter().find_map(|s| s.container.clone()))
    }

    /// Lines that say PHP-FPM is running (somewhere).
    pub fn fpm_up_signs(&self) -> Vec<Sign> {
        let mut out = Vec::new();
        for s in self.services(Role::PhpFpm) {
            if is_running(&s) {
                out.push(unit_sign(&s, format!("{} is active (running)", s.unit)));
            }
        }
        if let Some(last) = self.last_fpm_lifecycle()
            && last.class == FpmClass::Ready
        {
            out.push(Sign::new(
                last.artifact,
                last.span,
                "PHP-FPM's log shows it ready to handle connections",
                Strength::Medium,
            ));
        }
        for p in self.all::<ProcessInfo>() {
            if p.command.contains("php-fpm: master process")
                || p.command.contains("php-fpm") && p.command.contains("master")
            {
                let mut sign = Sign::new(
                    p.artifact,
                    p.span,
                    "a PHP-FPM master process is running",
                    Strength::Strong,
                );
                sign.version = php_version_in(&p.command);
                out.push(sign);
            }
        }
        for c in self.all::<Container>() {
            let fpm = looks_like_fpm(&c.name) || c.image.as_deref().is_some_and(|i| i.contains("fpm"));
            if fpm && c.running {
                let mut sign = Sign::new(
                    c.artifact,
                    c.span,
                    format!("the PHP-FPM container {} is running", c.name),
                    Strength::Medium,
                );
                sign.container = Some(c.service.clone().unwrap_or_else(|| c.name.clone()));
                sign.version = c.image.as_deref().and_then(php_version_in);
                out.push(sign);
            }
        }
        for l in self.all::<Listener>() {
            if l.process.as_deref().is_some_and(|p| role_of(p) == Role::PhpFpm) {
                let mut sign = Sign::new(
                    l.artifact,
                    l.span,
                    format!("PHP-FPM listens on {}", l.local),
                    Strength::Strong,
                );
                sign.endpoint = l.endpoint.clone();
                sign.version = l.process.as_deref().and_then(php_version_in);
                out.push(sign);
            }
        }
        out
    }

    /// Where PHP-FPM listens (or seems to run) other than `dialed`: pools whose `listen` differs,
    /// FPM listeners on other sockets or ports, FPM socket files beside the dialed one, running
    /// units and installed PHP of another version than the one in the dialed path. Listeners on
    /// the same TCP port but another host are not counted (a network matter, not the path).
    pub fn fpm_elsewhere(&self, dialed: &Endpoint) -> Vec<Sign> {
        let mut out = Vec::new();
        for p in self.all::<FpmPool>() {
            let Some(e) = &p.endpoint else { continue };
            if endpoints::same_endpoint(e, dialed) || same_port_tcp(e, dialed) {
                continue;
            }
            let pool = if p.name.is_empty() {
                "the pool".to_string()
            } else {
                format!("pool [{}]", p.name)
            };
            let listen = p.listen.clone().unwrap_or_else(|| e.to_string());
            let mut sign = Sign::new(
                p.artifact,
                p.span,
                format!("{pool} listens on {listen}"),
                Strength::Strong,
            );
            sign.endpoint = Some(e.clone());
            sign.version = php_version_in(&listen).or_else(|| p.file.as_deref().and_then(php_version_in));
            sign.name = (!p.name.is_empty()).then(|| p.name.clone());
            out.push(sign);
        }
        for l in self.all::<Listener>() {
            let Some(e) = &l.endpoint else { continue };
            let listening = l
                .state
                .as_deref()
                .is_none_or(|s| s.eq_ignore_ascii_case("LISTEN") || s.eq_ignore_ascii_case("LISTENING"));
            let fpm = l.process.as_deref().map(role_of) == Some(Role::PhpFpm)
                || l.process.is_none() && matches!(e, Endpoint::Unix { path } if looks_like_fpm(path));
            if !listening || !fpm || endpoints::serves(e, dialed) || same_port_tcp(e, dialed) {
                continue;
            }
            let mut sign = Sign::new(
                l.artifact,
                l.span,
                format!("PHP-FPM listens on {}", l.local),
                Strength::Strong,
            );
            sign.endpoint = Some(e.clone());
            sign.version = php_version_in(&l.local).or_else(|| l.process.as_deref().and_then(php_version_in));
            out.push(sign);
        }
        let dialed_version = dialed.unix_path().and_then(php_version_in);
        if let Some(path) = dialed.unix_path() {
            for f in self.all::<FileEntry>() {
                if f.file_type != 's' || !looks_like_fpm(&f.path) || endpoints::same_path(&f.path, path) {
                    continue;
                }
                let mut sign = Sign::new(
                    f.artifact,
                    f.span,
                    format!("the socket {} exists", f.path),
                    Strength::Medium,
                );
                sign.endpoint = Some(Endpoint::Unix { path: f.path.clone() });
                sign.version = php_version_in(&f.path);
                out.push(sign);
            }
        }
        if let Some(want) = &dialed_version {
            for mut up in self.fpm_up_signs() {
                if up.endpoint.is_some() {
                    continue; // listeners were counted above
                }
                if up.version.as_deref().is_some_and(|v| !same_version(v, want)) {
                    up.strength = Strength::Medium;
                    out.push(up);
                }
            }
            for v in self.all::<PhpVersion>() {
                if !same_version(&v.version, want) {
                    let mut sign = Sign::new(
                        v.artifact,
                        v.span,
                        format!("PHP {} is installed, not {want}", v.version),
                        Strength::Weak,
                    );
                    sign.version = Some(v.version.clone());
                    out.push(sign);
                }
            }
        }
        out
    }

    /// Lines that say something serves `dialed`: a pool listening there, a listener, the socket
    /// file itself.
    pub fn fpm_serving(&self, dialed: &Endpoint) -> Vec<Sign> {
        let mut out = Vec::new();
        for p in self.all::<FpmPool>() {
            if p.endpoint.as_ref().is_some_and(|e| endpoints::same_endpoint(e, dialed)) {
                let listen = p.listen.clone().unwrap_or_default();
                let mut sign = Sign::new(
                    p.artifact,
                    p.span,
                    format!("the pool listens on {listen}"),
                    Strength::Medium,
                );
                sign.endpoint = p.endpoint.clone();
                sign.name = (!p.name.is_empty()).then(|| p.name.clone());
                out.push(sign);
            }
        }
        for l in self.listeners_serving(dialed) {
            let mut sign = Sign::new(
                l.artifact,
                l.span,
                format!("something listens on {}", l.local),
                Strength::Strong,
            );
            sign.endpoint = l.endpoint.clone();
            out.push(sign);
        }
        if let Some(path) = dialed.unix_path()
            && let Some(f) = self.file(path)
            && f.error.is_none()
            && f.file_type == 's'
        {
            out.push(Sign::new(
                f.artifact,
                f.span,
                format!("the socket file {} exists", f.path),
                Strength::Strong,
            ));
        }
        out
    }

    /// Lines that say the socket `path` does not exist: `ls`/`stat` cannot find it, or a listing of
    /// its directory (or a unix-socket listing) does not show it.
    pub fn socket_absent(&self, path: &str) -> Option<Sign> {
        if let Some(f) = self.file(path)
            && f.error.as_deref().is_some_and(|e| e.contains("No such file"))
        {
            return Some(Sign::new(
                f.artifact,
                f.span,
                format!("{path} does not exist"),
                Strength::Strong,
            ));
        }
        if self.file(path).is_none()
            && let Some(beside) = self.files_beside(path).first()
        {
            return Some(Sign::new(
                beside.artifact,
                beside.span,
                format!(
                    "the listing of its directory has no {}",
                    path.rsplit('/').next().unwrap_or(path)
                ),
                Strength::Medium,
            ));
        }
        let dialed = Endpoint::Unix { path: path.to_string() };
        if self.has_unix_listing() && self.listeners_serving(&dialed).is_empty() {
            let l = self
                .all::<Listener>()
                .find(|l| l.proto.starts_with('u') || matches!(l.endpoint, Some(Endpoint::Unix { .. })))?;
            return Some(Sign::new(
                l.artifact,
                l.span,
                format!("the socket listing shows nothing listening on {path}"),
                Strength::Medium,
            ));
        }
        None
    }
}

/// A strong sign read from a PHP-FPM unit's state, carrying the unit's name and PHP version.
fn unit_sign(s: &At<'_, ServiceStatus>, note: String) -> Sign {
    let mut sign = Sign::new(s.artifact, s.span, note, Strength::Strong);
    sign.version = php_version_in(&s.unit);
    sign.name = Some(s.unit.trim_end_matches(".service").to_string());
    sign
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_php_versions_from_names() {
        assert_eq!(php_version_in("/run/php/php8.3-fpm.sock").as_deref(), Some("8.3"));
        assert_eq!(php_version_in("php8.1-fpm.service").as_deref(), Some("8.1"));
        assert_eq!(php_version_in("php-fpm83").as_deref(), Some("8.3"));
        assert_eq!(php_version_in("/run/php70-fpm.sock").as_deref(), Some("7.0"));
        assert_eq!(php_version_in("/var/run/php5-fpm.sock").as_deref(), Some("5"));
        assert_eq!(php_version_in("php-fpm8.2"), Some("8.2".into()));
        assert_eq!(php_version_in("/run/php-fpm/www.sock"), None);
        assert_eq!(php_version_in("/run/php/php-fpm.sock"), None);
        assert!(same_version("8.3", "8.3.6"));
        assert!(same_version("5", "5.6"));
        assert!(!same_version("8.1", "8.3"));
    }
}

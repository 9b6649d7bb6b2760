//! Error-log events as the model sees them: grouped by message class, read for the phase they
//! happened in, and turned into the status the client saw.

use crate::facts::*;
use crate::model::{At, Model};

/// The `while` actions before the response header was sent: only failures there become a
/// 502/504 (reference §1.3).
pub fn header_phase(action: Option<&str>) -> bool {
    action.is_none_or(|a| {
        matches!(
            a,
            "connecting to upstream"
                | "SSL handshaking to upstream"
                | "sending request to upstream"
                | "reading response header from upstream"
                | "sending request body to upstream"
        )
    })
}

/// The status a client gets for this line, when the line decides one.
pub fn status_of(e: &ErrorEvent) -> Option<u16> {
    use MessageClass as C;
    let header = header_phase(e.action.as_deref());
    match e.class {
        C::UpstreamTimedOut if header => Some(504),
        C::SocketFailed | C::WorkerConnections if e.action.as_deref() == Some("connecting to upstream") => Some(500),
        C::NoPortInUpstream => Some(500),
        C::NoValidHttpHeader => Some(9),
        C::ConnectFailed
        | C::PrematurelyClosed
        | C::PrematurelySentResponse
        | C::NoLiveUpstreams
        | C::TooBigHeader
        | C::RecvFailed
        | C::SendFailed
        | C::SslHandshakeFailed
        | C::SslPeerClosed
        | C::SslCertificateVerify
        | C::SslCertificateName
        | C::SslReadWrite
        | C::NoResolver
        | C::CouldNotBeResolved
        | C::InvalidHeader
        | C::InvalidResponse
        | C::FastcgiProtocol
        | C::Http2Protocol
            if header && (e.request.is_some() || e.form == Some(LogForm::Bare) || e.upstream.is_some()) =>
        {
            Some(502)
        }
        _ => None,
    }
}

/// Error events of one kind: same class, errno, phase and peer.
#[derive(Clone, Debug)]
pub struct EventGroup<'a> {
    /// Message class.
    pub class: MessageClass,
    /// errno.
    pub errno: Option<u16>,
    /// `while` action.
    pub action: Option<&'a str>,
    /// Peer (`connect() to` target or `upstream:` peer).
    pub peer: Option<String>,
    /// The events, in paste order.
    pub events: Vec<At<'a, ErrorEvent>>,
}

impl EventGroup<'_> {
    /// Time of the first event, when logged.
    pub fn first_time(&self) -> Option<&str> {
        self.events.iter().find_map(|e| e.time.as_deref())
    }
    /// Time of the last event, when logged.
    pub fn last_time(&self) -> Option<&str> {
        self.events.iter().rev().find_map(|e| e.time.as_deref())
    }
}

impl<'a> Model<'a> {
    /// Error events grouped by class, errno, phase and peer, largest group first.
    pub fn error_groups(&self) -> Vec<EventGroup<'a>> {
        let mut groups: Vec<EventGroup<'a>> = Vec::new();
        for e in self.all::<ErrorEvent>() {
            let peer = e.target.as_deref().map(String::from).or_else(|| {
                e.upstream
                    .as_deref()
                    .map(crate::parse::nginx_error_log::peer_of_upstream)
            });
            let action = e.value.action.as_deref();
            match groups
                .iter_mut()
                .find(|g| g.class == e.class && g.errno == e.errno && g.action == action && g.peer == peer)
            {
                Some(g) => g.events.push(e),
                None => groups.push(EventGroup {
                    class: e.class,
                    errno: e.errno,
                    action,
                    peer,
                    events: vec![e],
                }),
            }
        }
        crate::sort::by_key(&mut groups, |g| std::cmp::Reverse(g.events.len()));
        groups
    }

    /// Events of one class.
    pub fn events(&self, class: MessageClass) -> impl Iterator<Item = At<'a, ErrorEvent>> + '_ {
        self.all::<ErrorEvent>().filter(move |e| e.class == class)
    }

    /// The `connect()` failures that `keep` accepts, grouped by the address dialed, in paste
    /// order (one finding per backend address, with all of its lines).
    pub fn connect_failures_by_endpoint(
        &self,
        keep: impl Fn(&At<'a, ErrorEvent>) -> bool,
    ) -> Vec<(Endpoint, Vec<At<'a, ErrorEvent>>)> {
        let mut groups: Vec<(Endpoint, Vec<At<'a, ErrorEvent>>)> = Vec::new();
        for e in self.events(MessageClass::ConnectFailed).filter(|e| keep(e)) {
            let Some(dialed) = Model::event_endpoint(&e) else {
                continue;
            };
            match groups.iter_mut().find(|(d, _)| *d == dialed) {
                Some((_, v)) => v.push(e),
                None => groups.push((dialed, vec![e])),
            }
        }
        groups
    }

    /// How many access-log entries have each status.
    pub fn access_status_counts(&self) -> Vec<(u16, usize)> {
        let mut counts: Vec<(u16, usize)> = Vec::new();
        for a in self.all::<AccessEntry>() {
            match counts.iter_mut().find(|(s, _)| *s == a.status) {
                Some((_, n)) => *n += 1,
                None => counts.push((a.status, 1)),
            }
        }
        crate::sort::by(&mut counts, |a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        counts
    }

    /// The status the evidence says clients saw: from the error log lines that decide one, else
    /// the access log's 5xx, else a `curl` response.
    pub fn status_seen(&self) -> Option<u16> {
        let mut counts: Vec<(u16, usize)> = Vec::new();
        for e in self.all::<ErrorEvent>() {
            if let Some(s) = status_of(&e) {
                match counts.iter_mut().find(|(c, _)| *c == s) {
                    Some((_, n)) => *n += 1,
                    None => counts.push((s, 1)),
                }
            }
        }
        if let Some(&(s, _)) = counts.iter().max_by_key(|(s, n)| (*n, *s)) {
            return Some(s);
        }
        if let Some(&(s, _)) = self.access_status_counts().iter().find(|(s, _)| (500..600).contains(s)) {
            return Some(s);
        }
        self.all::<HttpResponse>()
            .map(|r| r.status)
            .find(|s| (500..600).contains(s))
    }
}

/// True when an error line says the upstream closed or reset the connection before the whole
/// response header arrived: `upstream prematurely closed connection` or `recv() failed (104:
/// ...)` while reading the response header (or with no phase, as people paste them). Once the
/// header was sent the client got the backend's status, not a 502.
pub fn lost_before_header(e: &ErrorEvent) -> bool {
    let reading_header = matches!(
        e.action.as_deref(),
        None | Some("reading response header from upstream")
    );
    reading_header
        && match e.class {
            MessageClass::PrematurelyClosed => {
                !e.message.contains("closed stream") && !e.message.contains("FastCGI request")
            }
            MessageClass::RecvFailed => matches!(e.errno, Some(104) | None),
            _ => false,
        }
}

impl<'a> Model<'a> {
    /// Error lines where the backend closed or reset the connection before the response header
    /// ([`lost_before_header`]).
    pub fn lost_before_header(&self) -> Vec<At<'a, ErrorEvent>> {
        self.all::<ErrorEvent>().filter(|e| lost_before_header(e)).collect()
    }
}

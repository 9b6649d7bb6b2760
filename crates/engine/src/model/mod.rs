//! The model: one view of the system joined from the facts of every artifact.
//!
//! Rules read facts through [`Model::all`] (every fact of one type, located) and through the
//! joins in the submodules, which answer the cross-artifact questions (what listens where, who owns a
//! socket, which pool serves an address...). `fpm` answers the PHP-FPM questions (is a line about
//! FastCGI, is FPM down or up, where does it listen instead); `time` compares log timestamps; `access` reads file modes against the nginx user.

pub mod access;
pub mod backends;
pub mod containers;
pub mod endpoints;
pub mod events;
pub mod fpm;
pub mod layers;
pub mod nginx;
pub mod platform;
pub mod reach;
pub mod time;
pub mod versions;

use crate::facts::*;
use crate::report::Artifact;
use crate::span::Span;

/// A fact located in an artifact.
#[derive(Debug)]
pub struct At<'a, T> {
    /// Index of the artifact.
    pub artifact: usize,
    /// Span of the fact in its paste.
    pub span: Span,
    /// The fact.
    pub value: &'a T,
}

impl<T> Clone for At<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for At<'_, T> {}

impl<'a, T> std::ops::Deref for At<'a, T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.value
    }
}

/// A fact type that can be picked out of a [`Fact`].
pub trait FactType {
    /// The value, when `fact` is of this type.
    fn pick(fact: &Fact) -> Option<&Self>;
}

macro_rules! fact_types {
    ($($variant:ident => $ty:ty),* $(,)?) => {
        $(impl FactType for $ty {
            fn pick(fact: &Fact) -> Option<&Self> {
                match fact {
                    Fact::$variant(v) => Some(v),
                    _ => None,
                }
            }
        })*
    };
}

fact_types! {
    ErrorEvent => ErrorEvent,
    ConfigTest => ConfigTest,
    NginxBuild => NginxBuild,
    UpstreamTarget => UpstreamTarget,
    UpstreamGroup => UpstreamGroup,
    ServerBlock => ServerBlock,
    NginxDirective => NginxDirective,
    Include => Include,
    LogFormat => LogFormat,
    ConfigProblem => ConfigProblem,
    AccessEntry => AccessEntry,
    FpmPool => FpmPool,
    FpmEvent => FpmEvent,
    PhpVersion => PhpVersion,
    ServiceStatus => ServiceStatus,
    JournalEntry => JournalEntry,
    Listener => Listener,
    SocketSummary => SocketSummary,
    FileEntry => FileEntry,
    UserIdentity => UserIdentity,
    ProcessInfo => ProcessInfo,
    HttpResponse => HttpResponse,
    CurlError => CurlError,
    DnsRecord => DnsRecord,
    DnsStatus => DnsStatus,
    FirewallRule => FirewallRule,
    FirewallState => FirewallState,
    SelinuxMode => SelinuxMode,
    SeBoolean => SeBoolean,
    MacDenial => MacDenial,
    Container => Container,
    ComposeService => ComposeService,
    KubeObject => KubeObject,
    ControllerEvent => ControllerEvent,
    MemoryUsage => MemoryUsage,
    LoadAverage => LoadAverage,
    CpuUsage => CpuUsage,
    DiskUsage => DiskUsage,
    OomKill => OomKill,
    KernelEvent => KernelEvent,
    Setting => Setting,
    AppEvent => AppEvent,
    ErrorPage => ErrorPageInfo,
    ProbeResult => ProbeResult,
}

/// The joined view the rules read.
#[derive(Debug, Default)]
pub struct Model<'a> {
    /// Every artifact as read.
    pub artifacts: &'a [Artifact],
    facts: Vec<(usize, &'a FactAt)>,
}

impl<'a> Model<'a> {
    /// Builds the model from every artifact's facts.
    pub fn build(artifacts: &'a [Artifact]) -> Self {
        let facts = artifacts
            .iter()
            .enumerate()
            .flat_map(|(i, a)| a.facts.iter().map(move |f| (i, f)))
            .collect();
        Model { artifacts, facts }
    }

    /// Every fact of type `T`, in paste order.
    pub fn all<T: FactType + 'a>(&self) -> impl Iterator<Item = At<'a, T>> + '_ {
        self.facts.iter().filter_map(|&(artifact, f)| {
            T::pick(&f.fact).map(|value| At {
                artifact,
                span: f.span,
                value,
            })
        })
    }

    /// True when some fact of type `T` was pasted.
    pub fn has<T: FactType + 'a>(&self) -> bool {
        self.all::<T>().next().is_some()
    }
}

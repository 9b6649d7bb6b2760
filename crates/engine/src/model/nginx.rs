//! The nginx side of the model: where each location sends requests (with `upstream {}` groups
//! resolved across files), directive values, the worker user, and which configured target an
//! error line is about.

use crate::facts::*;
use crate::model::{At, Model, endpoints};
use crate::parse::nginx_error_log::peer_of_upstream;

/// A `*_pass` target with what it resolves to.
#[derive(Clone, Debug)]
pub struct Target<'a> {
    /// The directive as configured.
    pub at: At<'a, UpstreamTarget>,
    /// The `upstream {}` group it names, when one was pasted.
    pub group: Option<At<'a, UpstreamGroup>>,
    /// Every address it may dial: its literal address, or the group's servers.
    pub endpoints: Vec<Endpoint>,
}

/// Where the nginx worker user was learnt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UserSource {
    /// The `user` directive.
    Directive,
    /// The user running `nginx: worker process` in `ps`.
    Process,
    /// The platform's package default (`www-data` on Debian/Ubuntu, `nginx` elsewhere).
    PlatformDefault,
}

/// The user nginx workers run as.
#[derive(Clone, Debug)]
pub struct NginxUser<'a> {
    /// User name.
    pub name: String,
    /// Group, when the `user` directive names one.
    pub group: Option<String>,
    /// How it was learnt.
    pub source: UserSource,
    /// The fact it was read from (directive or process line), when any.
    pub from: Option<(usize, crate::span::Span)>,
    _model: std::marker::PhantomData<&'a ()>,
}

impl<'a> Model<'a> {
    /// Every configured `*_pass` target, resolved.
    pub fn targets(&self) -> Vec<Target<'a>> {
        self.all::<UpstreamTarget>()
            .map(|at| {
                let group = at.group.as_deref().and_then(|name| self.group(name));
                let endpoints = match (&at.endpoint, &group) {
                    (Some(e), _) => vec![e.clone()],
                    (None, Some(g)) => g.servers.iter().filter_map(|s| s.endpoint.clone()).collect(),
                    (None, None) => at.group.as_deref().and_then(Endpoint::parse).into_iter().collect(),
                };
                Target { at, group, endpoints }
            })
            .collect()
    }

    /// The `upstream {}` group of that name.
    pub fn group(&self, name: &str) -> Option<At<'a, UpstreamGroup>> {
        self.all::<UpstreamGroup>().find(|g| g.name == name)
    }

    /// Every occurrence of a directive (as extracted by the config parser).
    pub fn directives(&self, name: &'a str) -> impl Iterator<Item = At<'a, NginxDirective>> + '_ {
        self.all::<NginxDirective>().filter(move |d| d.name == name)
    }

    /// The value of a directive that applies at `context` (a block path such as
    /// `http > server(example.com) > location(/api)`): the occurrence whose context is the longest
    /// prefix of it, as nginx inherits from outer blocks.
    pub fn directive_for(&self, name: &'a str, context: &str) -> Option<At<'a, NginxDirective>> {
        self.directives(name)
            .filter(|d| context.starts_with(&d.context) || d.context.is_empty())
            .max_by_key(|d| d.context.len())
    }

    /// The user nginx workers run as, and how that is known.
    pub fn nginx_user(&self) -> Option<NginxUser<'a>> {
        if let Some(d) = self.directives("user").next()
            && let Some(name) = d.args.first()
        {
            return Some(NginxUser {
                name: name.clone(),
                group: d.args.get(1).cloned(),
                source: UserSource::Directive,
                from: Some((d.artifact, d.span)),
                _model: Default::default(),
            });
        }
        if let Some(p) = self
            .all::<ProcessInfo>()
            .find(|p| p.command.contains("nginx: worker process"))
        {
            return Some(NginxUser {
                name: p.user.clone(),
                group: None,
                source: UserSource::Process,
                from: Some((p.artifact, p.span)),
                _model: Default::default(),
            });
        }
        let default = match crate::model::platform::platform(self)? {
            "Debian/Ubuntu" => "www-data",
            _ => "nginx",
        };
        Some(NginxUser {
            name: default.to_string(),
            group: None,
            source: UserSource::PlatformDefault,
            from: None,
            _model: Default::default(),
        })
    }

    /// The address an error line is about: the peer of `connect() to X`, else the `upstream:`
    /// field's peer.
    pub fn event_endpoint(event: &ErrorEvent) -> Option<Endpoint> {
        let peer = event
            .target
            .clone()
            .or_else(|| event.upstream.as_deref().map(peer_of_upstream))?;
        Endpoint::parse(&peer)
    }

    /// The configured targets an error line is about: those dialing its address, or those whose
    /// group is named in its `upstream:` field.
    pub fn targets_for_event(&self, event: &ErrorEvent) -> Vec<Target<'a>> {
        let endpoint = Self::event_endpoint(event);
        let group = event.upstream.as_deref().map(peer_of_upstream);
        self.targets()
            .into_iter()
            .filter(|t| {
                endpoint
                    .as_ref()
                    .is_some_and(|e| t.endpoints.iter().any(|te| endpoints::same_endpoint(te, e)))
                    || group.as_deref().is_some_and(|g| t.at.group.as_deref() == Some(g))
            })
            .collect()
    }
}

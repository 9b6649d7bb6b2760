//! The engine's output: artifacts as read, ranked findings with their evidence lines, and the
//! status the logs show. Line numbers are computed here, when the report is rendered.

use serde::{Deserialize, Serialize};

use crate::cause::Cause;
use crate::facts::FactAt;
use crate::kind::Kind;
use crate::span::Span;

/// One artifact (a piece of a paste) as the engine read it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Artifact {
    /// A name for people: the paste name, plus the command or file when the paste was split.
    pub name: String,
    /// Index of the paste it comes from.
    pub paste: usize,
    /// Detected (or chosen) kind.
    pub kind: Kind,
    /// Confidence in the kind, `[0, 1]`.
    pub confidence: f32,
    /// The command that produced it, when a prompt showed one.
    pub command: Option<String>,
    /// The file it came from, when known.
    pub file: Option<String>,
    /// True when the person chose the kind.
    pub overridden: bool,
    /// Its bytes in the paste.
    pub span: Span,
    /// 1-based line of the paste where it starts.
    pub first_line: usize,
    /// Number of lines.
    pub lines: usize,
    /// Number of lines nothing could read.
    pub unparsed_lines: usize,
    /// Facts found. Left out when a report is serialized: they are for the rules and
    /// `inspect`, can be tens of megabytes, and would make every reader of a report (the web
    /// page) carry the code of every fact type; serialize the field itself to see them.
    #[serde(skip)]
    pub facts: Vec<FactAt>,
    /// Lines nothing could read.
    pub unread: Vec<LineRef>,
}

/// A line of a paste, located and quoted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineRef {
    /// Index into the report's artifacts.
    pub artifact: usize,
    /// 1-based line number in the paste.
    pub line: usize,
    /// The quoted text (the whole line, or several lines for a multi-line entry).
    pub text: String,
    /// Its bytes in the paste.
    pub span: Span,
}

/// One line that supports (or weakens) a finding.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// Index into the report's artifacts.
    pub artifact: usize,
    /// 1-based line number in the paste the artifact comes from.
    pub line: usize,
    /// The line as pasted.
    pub text: String,
    /// Its bytes in the paste.
    pub span: Span,
    /// What this line shows, for this finding.
    pub note: String,
    /// True when the line argues against the finding.
    pub against: bool,
}

/// A likely cause with its proof and its fix.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// Cause id.
    pub cause: Cause,
    /// The rules that found it, most confident first.
    pub rules: Vec<String>,
    /// Confidence in `[0, 1]`.
    pub confidence: f32,
    /// One line naming the cause in the person's terms.
    pub title: String,
    /// The lines that prove it.
    pub evidence: Vec<Evidence>,
    /// The fix, filled in with the person's paths, ports and names (Markdown): the edits, the
    /// knowledge page's fix for the person's platform, and the check that confirms it.
    pub fix: String,
    /// Concrete configuration changes: file, line, before and after.
    pub edits: Vec<Edit>,
    /// Values read from the evidence (placeholders of the knowledge page), e.g. `socket`.
    pub values: Vec<(String, String)>,
    /// What the client sees for this cause (502, 504...), from the cause table.
    pub client_sees: String,
}

/// A concrete change to a configuration file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Edit {
    /// The file to edit, when known.
    pub file: Option<String>,
    /// The 1-based line in that file (as the person's paste shows it), when known.
    pub line: Option<usize>,
    /// The text as it is now.
    pub before: String,
    /// The text as it should be.
    pub after: String,
}

/// The whole diagnosis.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Every artifact, in paste order.
    pub artifacts: Vec<Artifact>,
    /// Findings, most likely first.
    pub findings: Vec<Finding>,
    /// The status the evidence says the client saw (502, 504, 500...), when it says.
    pub status_seen: Option<u16>,
    /// The platform the evidence points to (`Debian/Ubuntu`, `RHEL/Fedora`, `Alpine/containers`).
    pub platform: Option<String>,
    /// The guided triage: steps answered so far (from the evidence or the person), the next
    /// question, and where it ends.
    pub walk: crate::tree::walk::Walk,
}

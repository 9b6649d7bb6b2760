//! `kubectl describe pod|svc|endpoints|ingress|deploy|...`: one `KubeObject` per described
//! object, plus one `KubeObject { object: "event" }` per row of its `Events:` table.
//!
//! Describe output is `Key:  value` lines nested by indentation, with tables inside
//! (`Conditions`, `Events`, the ingress `Rules`, endpoint `Ports`). Top-level keys become
//! fields as printed (`Selector`, `Endpoints`, `Default backend`); nested ones are flattened
//! with their section path (`Containers.web.Port`, `Containers.web.State.Reason`,
//! `Subsets.Addresses`, `Conditions.Ready`, `Rules.example.com/api`). A value continued on
//! further lines (labels, annotations, tolerations) gives one field per line under the same
//! key; repeated keys (a service's ports) are kept in order. Event fields are `TYPE`,
//! `REASON`, `AGE`, `FROM`, `MESSAGE` and `OBJECT` (`pod/web-1`), named after the object.

use crate::facts::{Fact, FactAt, KubeObject};
use crate::kind::Kind;
use crate::parse::kube::{KubeCommand, echoed_command, kube_command, kube_command_of};
use crate::parse::registry::{KindSpec, no_file};
use crate::parse::table::{Table, is_rule, tokens};
use crate::parse::{ParseContext, Parsed};
use crate::span::{Line, Span, lines};

/// How `kubectl describe` output is recognised and parsed.
pub const SPEC: KindSpec = KindSpec {
    kind: Kind::KubectlDescribe,
    embeds: &[],
    command: |program, args| kube_command_of(program, args).is_some_and(|c| c.verb == "describe"),
    file: no_file,
    line: Some(is_strong_line),
    block: score,
    parse,
};

/// Top-level keys `kubectl describe` prints for the common objects.
const DESCRIBE_KEYS: &[&str] = &[
    "Namespace",
    "Labels",
    "Annotations",
    "Selector",
    "Events",
    "Status",
    "IP",
    "IPs",
    "Node",
    "Containers",
    "Conditions",
    "Type",
    "Port",
    "TargetPort",
    "Endpoints",
    "Session Affinity",
    "Replicas",
    "StrategyType",
    "Pod Template",
    "Rules",
    "Default backend",
    "Address",
    "Ingress Class",
    "Controlled By",
    "QoS Class",
    "Tolerations",
    "Volumes",
    "Priority",
    "Service Account",
    "Start Time",
    "CreationTimestamp",
    "Subsets",
    "AddressType",
    "Ports",
    "Roles",
    "Taints",
    "Node-Selectors",
    "Pods Status",
    "TLS",
];

/// Keys that, next to `Name:`, only `kubectl describe` prints.
const DISTINCTIVE_KEYS: &[&str] = &[
    "Namespace",
    "Labels",
    "Annotations",
    "Selector",
    "Events",
    "Controlled By",
    "QoS Class",
    "Node-Selectors",
    "Tolerations",
    "CreationTimestamp",
    "Subsets",
    "Pod Template",
    "Default backend",
    "Ingress Class",
    "Session Affinity",
    "TargetPort",
    "StrategyType",
];

/// The header of an events table (`Type  Reason  Age  From  Message`, or the old
/// `FirstSeen  LastSeen  Count  From  SubObjectPath  Type  Reason  Message`), or an echoed
/// `kubectl describe`: strong evidence on its own.
fn is_strong_line(line: &str) -> bool {
    is_events_header(line) || is_no_events(line) || echoed_command(line, &["describe"]).is_some()
}

/// `Events:  <none>` at the top level (the last line of most descriptions, often after a
/// blank line).
fn is_no_events(line: &str) -> bool {
    line.strip_prefix("Events:").is_some_and(|rest| rest.trim() == "<none>")
}

fn is_events_header(line: &str) -> bool {
    if !(line.contains("Reason") && line.contains("Message")) {
        return false;
    }
    let words: Vec<&str> = tokens(line).iter().map(|t| t.text).collect();
    words == ["Type", "Reason", "Age", "From", "Message"]
        || words.first() == Some(&"FirstSeen") && words.contains(&"Reason") && words.contains(&"Message")
}

/// Scores a block: a `Name:` line followed by describe keys, or (a description cut at a
/// blank line) a block holding an events table or `Events:  <none>`.
fn score(block: &[&str]) -> f32 {
    let has_name = block.iter().any(|l| l.starts_with("Name:"));
    if !has_name {
        return if block.iter().any(|l| is_strong_line(l)) {
            0.6
        } else {
            0.0
        };
    }
    let keys: Vec<&str> = block
        .iter()
        .filter(|l| !l.starts_with([' ', '\t']))
        .filter_map(|l| describe_key(l))
        .map(|(k, _, _)| k)
        .filter(|k| DESCRIBE_KEYS.contains(k))
        .collect();
    if keys.len() < 2 || !keys.iter().any(|k| DISTINCTIVE_KEYS.contains(k)) {
        return 0.0;
    }
    let text = block.join("\n");
    let parsed = parse(&ParseContext::new(&text, 0));
    if parsed.facts.is_empty() {
        return 0.0;
    }
    let total = block.iter().filter(|l| !l.trim().is_empty()).count().max(1);
    let read = total.saturating_sub(parsed.unread.len());
    (0.4 + 0.6 * read as f32 / total as f32).min(1.0)
}

/// Splits `Key:  value` (also `Key:\tvalue`, `Key:` alone). Returns the key, the value and
/// the byte offset where the value starts. Keys are short phrases starting with a letter.
fn describe_key(text: &str) -> Option<(&str, &str, usize)> {
    let lead = text.len() - text.trim_start().len();
    let t = &text[lead..];
    let bytes = t.as_bytes();
    let colon =
        (0..bytes.len()).find(|&i| bytes[i] == b':' && bytes.get(i + 1).is_none_or(|c| *c == b' ' || *c == b'\t'))?;
    let key = &t[..colon];
    let first_ok = key.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
    let words = key.split(' ').count();
    if !first_ok || key.len() > 60 || words > 6 || key.contains('"') || key.contains('(') || key.contains("  ") {
        return None;
    }
    let after = &t[colon + 1..];
    let value = after.trim();
    let value_offset = lead + colon + 1 + (after.len() - after.trim_start().len());
    Some((key, value, value_offset))
}

/// What kind of table is open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TableKind {
    Events,
    Rules,
    Generic,
}

/// An open table.
struct OpenTable {
    table: Table,
    indent: usize,
    section: String,
    kind: TableKind,
    /// Ingress rules: the host of the rows that follow.
    host: String,
}

/// The object being read.
struct Object {
    span: Span,
    name: String,
    namespace: Option<String>,
    fields: Vec<(String, String)>,
    /// Top-level keys seen (to infer the object type).
    top_keys: Vec<String>,
    events: Vec<(Span, Vec<(String, String)>)>,
}

impl Object {
    fn new(span: Span) -> Self {
        Object {
            span,
            name: String::new(),
            namespace: None,
            fields: Vec::new(),
            top_keys: Vec::new(),
            events: Vec::new(),
        }
    }

    /// The object type from the command, else from the keys printed.
    fn object_type(&self, command: Option<&KubeCommand>) -> String {
        if let Some(resource) = command.and_then(KubeCommand::single_resource).filter(|r| *r != "all") {
            return resource.to_string();
        }
        let has = |k: &str| self.top_keys.iter().any(|t| t == k);
        let kind = if has("Subsets") {
            "endpoints"
        } else if has("AddressType") {
            "endpointslice"
        } else if has("Rules") || has("Default backend") || has("Ingress Class") {
            "ingress"
        } else if has("Containers") && (has("Node") || has("IP") || has("QoS Class")) {
            "pod"
        } else if has("TargetPort") || has("Session Affinity") || has("External Traffic Policy") {
            "service"
        } else if has("StrategyType") || has("RollingUpdateStrategy") {
            "deployment"
        } else if has("Desired Number of Nodes Scheduled") {
            "daemonset"
        } else if has("Pods Status") && has("Update Strategy") {
            "statefulset"
        } else if has("Pods Status") && has("Replicas") {
            "replicaset"
        } else if has("Roles") && (has("Taints") || has("Kubelet Version")) {
            "node"
        } else if has("Data") {
            "configmap"
        } else {
            "object"
        };
        kind.to_string()
    }

    /// Turns the object and its events into facts.
    fn finish(self, command: Option<&KubeCommand>, out: &mut Parsed) {
        let object = self.object_type(command);
        let namespace = self.namespace.or_else(|| command.and_then(|c| c.namespace.clone()));
        let reference = format!("{object}/{}", self.name);
        out.facts.push(FactAt {
            span: self.span,
            fact: Fact::KubeObject(Box::new(KubeObject {
                object,
                namespace: namespace.clone(),
                name: self.name.clone(),
                fields: self.fields,
            })),
        });
        for (span, mut fields) in self.events {
            fields.push(("OBJECT".to_string(), reference.clone()));
            out.facts.push(FactAt {
                span,
                fact: Fact::KubeObject(Box::new(KubeObject {
                    object: "event".to_string(),
                    namespace: namespace.clone(),
                    name: self.name.clone(),
                    fields,
                })),
            });
        }
    }
}

/// Lines with nothing to read.
fn is_ignorable(text: &str) -> bool {
    let t = text.trim();
    t == "No events." || t.starts_with("Warning: ") || t == "(END)" || t == "..." || is_double_rule(t)
}

/// `====` under `Data` / `BinaryData` of a ConfigMap or Secret.
fn is_double_rule(t: &str) -> bool {
    t.len() >= 3 && t.bytes().all(|b| b == b'=')
}

/// The next non-blank line after `index`.
fn next_text<'a>(all: &[Line<'a>], index: usize) -> Option<&'a str> {
    all.get(index + 1..)?
        .iter()
        .map(|l| l.text)
        .find(|t| !t.trim().is_empty())
}

/// Leading blanks (a tab counts as one).
fn indent_of(text: &str) -> usize {
    text.len() - text.trim_start_matches([' ', '\t']).len()
}

/// Parses `kubectl describe` output.
pub fn parse(cx: &ParseContext<'_>) -> Parsed {
    let mut out = Parsed::default();
    let mut command = cx.command.and_then(kube_command);
    let all: Vec<Line<'_>> = lines(cx.text, cx.base).collect();
    let mut current: Option<Object> = None;
    // Sections open at this line: (indentation, key).
    let mut stack: Vec<(usize, String)> = Vec::new();
    let mut table: Option<OpenTable> = None;
    // The last `key: value` line: (its indentation, the column of its value, its field path).
    let mut last_value: Option<(usize, usize, String)> = None;
    // A `key:` with no value, waiting to see whether a section follows: (indentation, path).
    let mut pending_empty: Option<(usize, String)> = None;
    // Inside `Data` / `BinaryData` (ConfigMap, Secret): the index of the field being filled.
    let mut in_data = false;
    let mut data_field: Option<usize> = None;

    for (index, line) in all.iter().enumerate() {
        let text = line.text;
        if text.trim().is_empty() {
            if table.as_ref().is_some_and(|t| t.kind != TableKind::Events) {
                table = None;
            }
            continue;
        }
        if is_ignorable(text) {
            continue;
        }
        if let Some(c) = echoed_command(text, &["describe", "get", "logs", "exec"]) {
            if let Some(object) = current.take() {
                finish_object(object, &mut pending_empty, &mut out, command.as_ref());
            }
            command = Some(c);
            stack.clear();
            table = None;
            last_value = None;
            continue;
        }
        let indent = indent_of(text);
        let top_key = if indent == 0 { describe_key(text) } else { None };

        // A new object starts at a top-level `Name:` once the current one has a name.
        if let Some(("Name", value, _)) = top_key
            && current.as_ref().is_none_or(|o| !o.name.is_empty())
        {
            if let Some(object) = current.take() {
                finish_object(object, &mut pending_empty, &mut out, command.as_ref());
            }
            let mut object = Object::new(line.span);
            object.name = value.to_string();
            current = Some(object);
            stack.clear();
            table = None;
            in_data = false;
            last_value = Some((0, describe_key(text).map_or(0, |k| k.2), "Name".to_string()));
            continue;
        }
        let Some(object) = current.as_mut() else {
            out.unread.push(line.span);
            continue;
        };

        // `Data` / `BinaryData` of a ConfigMap or Secret: `key:` over `----`, then raw content
        // up to the next such key or `Events:`.
        if indent == 0
            && matches!(text.trim_end(), "Data" | "BinaryData")
            && next_text(&all, index).is_some_and(|t| is_double_rule(t.trim()))
        {
            in_data = true;
            data_field = None;
            stack.clear();
            table = None;
            last_value = None;
            object.top_keys.push(text.trim_end().to_string());
            object.span = object.span.join(line.span);
            continue;
        }
        if in_data {
            if matches!(top_key, Some(("Events", _, _))) {
                in_data = false;
            } else {
                object.span = object.span.join(line.span);
                let data_key =
                    describe_key(text).filter(|(_, v, _)| v.is_empty() && next_text(&all, index).is_some_and(is_rule));
                if let Some((key, _, _)) = data_key {
                    object.fields.push((format!("Data.{key}"), String::new()));
                    data_field = Some(object.fields.len() - 1);
                } else if is_rule(text)
                    && data_field.is_some_and(|i| object.fields.get(i).is_some_and(|f| f.1.is_empty()))
                {
                    // The `----` under a data key.
                } else if let Some((_, value)) = data_field.and_then(|i| object.fields.get_mut(i)) {
                    if !value.is_empty() {
                        value.push('\n');
                    }
                    value.push_str(text);
                } else {
                    out.unread.push(line.span);
                }
                continue;
            }
        }

        // Rows of an open table.
        if let Some(open) = table.as_mut() {
            let row_belongs = indent >= open.indent && top_key.is_none();
            // Event messages may run over lines at any indentation, up to the next key.
            if open.kind == TableKind::Events && top_key.is_none() {
                if is_rule(text) {
                    continue;
                }
                if !event_row(open, text, line.span, object) {
                    out.unread.push(line.span);
                }
                object.span = object.span.join(line.span);
                continue;
            }
            if row_belongs {
                if !is_rule(text) {
                    table_row(open, text, object);
                }
                object.span = object.span.join(line.span);
                continue;
            }
            table = None;
        }

        object.span = object.span.join(line.span);

        // A `key:` with nothing after it is a section when deeper lines follow.
        if let Some((pending_indent, path)) = pending_empty.take()
            && indent <= pending_indent
        {
            object.fields.push((path, String::new()));
        }

        // A value continued on the next line, aligned with the value column.
        if let Some((key_indent, value_col, path)) = &last_value
            && indent > *key_indent
            && indent == *value_col
        {
            object.fields.push((path.clone(), text.trim().to_string()));
            continue;
        }

        while stack.last().is_some_and(|(i, _)| *i >= indent) {
            stack.pop();
        }
        let section: String = stack.iter().map(|(_, k)| k.as_str()).collect::<Vec<_>>().join(".");

        if let Some((key, value, value_offset)) = describe_key(text) {
            let path = if section.is_empty() {
                key.to_string()
            } else {
                format!("{section}.{key}")
            };
            if indent == 0 {
                object.top_keys.push(key.to_string());
            }
            match (indent, key) {
                (0, "Namespace") => object.namespace = Some(value.to_string()).filter(|v| !v.is_empty()),
                _ if value.is_empty() => pending_empty = Some((indent, path.clone())),
                _ => object.fields.push((path.clone(), value.to_string())),
            }
            stack.push((indent, key.to_string()));
            last_value = (!value.is_empty()).then(|| (indent, text[..value_offset].chars().count(), path));
            continue;
        }
        last_value = None;

        // A table header: the next non-blank line is a rule, or `Type  Status` under Conditions.
        let next_is_rule = all[index + 1..]
            .iter()
            .find(|l| !l.text.trim().is_empty())
            .is_some_and(|l| is_rule(l.text));
        let section_name = stack.last().map(|(_, k)| k.as_str()).unwrap_or("");
        let conditions_header = section_name == "Conditions" && text.trim_start().starts_with("Type");
        if indent > 0
            && (next_is_rule || conditions_header)
            && let Some(header) = Table::from_header(text)
        {
            let kind = if is_events_header(text) || section_name == "Events" {
                TableKind::Events
            } else if section_name == "Rules" {
                TableKind::Rules
            } else {
                TableKind::Generic
            };
            table = Some(OpenTable {
                table: header,
                indent,
                section,
                kind,
                host: String::new(),
            });
            continue;
        }
        if indent == 0 {
            out.unread.push(line.span);
            continue;
        }
        // Free text under a section (mounts, args, TLS lines).
        let path = if section.is_empty() {
            "Text".to_string()
        } else {
            section
        };
        object.fields.push((path, text.trim().to_string()));
    }
    if let Some(object) = current.take() {
        finish_object(object, &mut pending_empty, &mut out, command.as_ref());
    }
    crate::sort::by_key(&mut out.facts, |f| f.span.start);
    out
}

/// Emits a still pending empty field, then the object.
fn finish_object(
    mut object: Object,
    pending: &mut Option<(usize, String)>,
    out: &mut Parsed,
    command: Option<&KubeCommand>,
) {
    if let Some((_, path)) = pending.take() {
        object.fields.push((path, String::new()));
    }
    object.finish(command, out);
}

/// An events row (or the continuation of the last message). False when nothing fits.
fn event_row(open: &OpenTable, text: &str, span: Span, object: &mut Object) -> bool {
    let cells = open.table.cells(text);
    let cell = |name: &str| open.table.index(name).and_then(|i| cells.get(i).copied()).unwrap_or("");
    let kind = cell("Type");
    if matches!(kind, "Normal" | "Warning") {
        let mut fields: Vec<(String, String)> = Vec::new();
        for (column, value) in open.table.columns.iter().zip(&cells) {
            let key = match column.name.as_str() {
                "LastSeen" => "AGE".to_string(),
                name => name.to_ascii_uppercase(),
            };
            fields.push((key, value.to_string()));
        }
        object.events.push((span, fields));
        return true;
    }
    // A message spread over several lines.
    match object.events.last_mut() {
        Some((event_span, fields)) => {
            if let Some((_, message)) = fields.iter_mut().find(|(k, _)| k == "MESSAGE") {
                message.push(' ');
                message.push_str(text.trim());
            }
            *event_span = event_span.join(span);
            true
        }
        None => false,
    }
}

/// A row of a generic table or of the ingress rules.
fn table_row(open: &mut OpenTable, text: &str, object: &mut Object) {
    if open.kind == TableKind::Rules {
        rules_row(open, text, object);
        return;
    }
    let cells = open.table.cells(text);
    let Some(first) = cells.first().copied().filter(|c| !c.is_empty()) else {
        object.fields.push((open.section.clone(), text.trim().to_string()));
        return;
    };
    let base = format!("{}.{first}", open.section);
    if let Some(second) = cells.get(1) {
        object.fields.push((base.clone(), second.to_string()));
    }
    for (column, value) in open.table.columns.iter().zip(&cells).skip(2) {
        object
            .fields
            .push((format!("{base}.{}", column.name), value.to_string()));
    }
}

/// A row of an ingress `Rules:` table, read by content (tab-aligned old output does not line
/// up): a host alone, `/path  backend (endpoints)`, or a backend alone (older kubectl).
fn rules_row(open: &mut OpenTable, text: &str, object: &mut Object) {
    let toks = tokens(text);
    let Some(first) = toks.first() else { return };
    let rest_from = |i: usize| toks.get(i).map_or("", |t| text.get(t.start..).unwrap_or("").trim());
    let is_backend = |t: &str| t.contains(" (") || t.ends_with(')');
    let (host, path, backend) = if first.text.starts_with('/') {
        (open.host.clone(), first.text.to_string(), rest_from(1).to_string())
    } else if is_backend(first.text) {
        (open.host.clone(), String::new(), rest_from(0).to_string())
    } else {
        open.host = first.text.to_string();
        match toks.get(1) {
            None => return,
            Some(second) if second.text.starts_with('/') => {
                (open.host.clone(), second.text.to_string(), rest_from(2).to_string())
            }
            Some(_) => (open.host.clone(), String::new(), rest_from(1).to_string()),
        }
    };
    object.fields.push((format!("{}.{host}{path}", open.section), backend));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::test_support::{facts_of, parse_with_command};

    fn objects(text: &str, command: Option<&str>) -> (Vec<KubeObject>, Vec<String>) {
        let parsed = parse_with_command(parse, text, command);
        (
            facts_of(&parsed),
            parsed.unread.iter().map(|s| s.text(text).to_string()).collect(),
        )
    }

    fn field<'a>(o: &'a KubeObject, key: &str) -> Option<&'a str> {
        o.fields.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    fn all<'a>(o: &'a KubeObject, key: &str) -> Vec<&'a str> {
        o.fields
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    const POD: &str = r#"Name:             web-7d4b9c8f6d-x2x9z
Namespace:        shop
Priority:         0
Node:             node-1/10.0.0.5
Start Time:       Mon, 01 Jan 2024 10:00:00 +0000
Labels:           app=web
                  pod-template-hash=7d4b9c8f6d
Annotations:      <none>
Status:           Running
IP:               10.1.2.3
IPs:
  IP:           10.1.2.3
Controlled By:  ReplicaSet/web-7d4b9c8f6d
Containers:
  web:
    Container ID:   containerd://abc
    Image:          shop/web:1.4
    Port:           8080/TCP
    Host Port:      0/TCP
    State:          Waiting
      Reason:       CrashLoopBackOff
    Last State:     Terminated
      Reason:       Error
      Exit Code:    1
    Ready:          False
    Restart Count:  5
    Readiness:      http-get http://:8080/healthz delay=5s timeout=1s period=10s #success=1 #failure=3
    Environment:
      PORT:  8080
    Mounts:
      /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-x (ro)
Conditions:
  Type              Status
  Initialized       True 
  Ready             False 
  ContainersReady   False 
  PodScheduled      True 
QoS Class:                   BestEffort
Tolerations:                 node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
                             node.kubernetes.io/unreachable:NoExecute op=Exists for 300s
Events:
  Type     Reason     Age                 From     Message
  ----     ------     ----                ----     -------
  Warning  Unhealthy  2m (x10 over 4m)    kubelet  Readiness probe failed: Get "http://10.1.2.3:8080/healthz": dial tcp 10.1.2.3:8080: connect: connection refused
  Warning  BackOff    1m (x5 over 3m)     kubelet  Back-off restarting failed container web in pod web-7d4b9c8f6d-x2x9z_shop(1234)
"#;

    #[test]
    fn reads_a_pod() {
        let (os, unread) = objects(POD, None);
        assert!(unread.is_empty(), "{unread:?}");
        assert_eq!(os.len(), 3);
        let pod = &os[0];
        assert_eq!(pod.object, "pod");
        assert_eq!(pod.name, "web-7d4b9c8f6d-x2x9z");
        assert_eq!(pod.namespace.as_deref(), Some("shop"));
        assert_eq!(all(pod, "Labels"), vec!["app=web", "pod-template-hash=7d4b9c8f6d"]);
        assert_eq!(field(pod, "IPs.IP"), Some("10.1.2.3"));
        assert_eq!(field(pod, "Containers.web.Port"), Some("8080/TCP"));
        assert_eq!(field(pod, "Containers.web.State"), Some("Waiting"));
        assert_eq!(field(pod, "Containers.web.State.Reason"), Some("CrashLoopBackOff"));
        assert_eq!(field(pod, "Containers.web.Last State.Exit Code"), Some("1"));
        assert_eq!(field(pod, "Containers.web.Ready"), Some("False"));
        assert_eq!(field(pod, "Containers.web.Environment.PORT"), Some("8080"));
        assert!(
            field(pod, "Containers.web.Mounts")
                .unwrap()
                .starts_with("/var/run/secrets")
        );
        assert_eq!(field(pod, "Conditions.Ready"), Some("False"));
        assert_eq!(all(pod, "Tolerations").len(), 2);
        let event = &os[1];
        assert_eq!(event.object, "event");
        assert_eq!(event.name, "web-7d4b9c8f6d-x2x9z");
        assert_eq!(field(event, "TYPE"), Some("Warning"));
        assert_eq!(field(event, "REASON"), Some("Unhealthy"));
        assert_eq!(field(event, "AGE"), Some("2m (x10 over 4m)"));
        assert_eq!(field(event, "FROM"), Some("kubelet"));
        assert!(
            field(event, "MESSAGE")
                .unwrap()
                .ends_with("connect: connection refused")
        );
        assert_eq!(field(event, "OBJECT"), Some("pod/web-7d4b9c8f6d-x2x9z"));
    }

    #[test]
    fn reads_services_with_several_ports_and_endpoints() {
        let text = "Name:              web
Namespace:         default
Labels:            app=web
Annotations:       <none>
Selector:          app=web
Type:              ClusterIP
IP:                10.96.12.34
Port:              http  80/TCP
TargetPort:        8080/TCP
Endpoints:         <none>
Port:              https  443/TCP
TargetPort:        8443/TCP
Endpoints:         10.1.2.3:8443
Session Affinity:  None
Events:            <none>
";
        let (os, unread) = objects(text, None);
        assert!(unread.is_empty());
        assert_eq!(os.len(), 1);
        assert_eq!(os[0].object, "service");
        assert_eq!(all(&os[0], "Port"), vec!["http  80/TCP", "https  443/TCP"]);
        assert_eq!(all(&os[0], "Endpoints"), vec!["<none>", "10.1.2.3:8443"]);
        assert_eq!(field(&os[0], "Events"), Some("<none>"));
    }

    #[test]
    fn reads_ingress_rules_new_and_old() {
        let text = "Name:             hello-world
Labels:           <none>
Namespace:        frontend-prod
Address:          
Default backend:  default-http-backend:80 (<error: endpoints \"default-http-backend\" not found>)
Rules:
  Host                            Path  Backends
  ----                            ----  --------
  hello-world.example.com  
                                  /     hello-world:80 (10.244.3.16:80)
                                  /api  api:8080 (<error: endpoints \"api\" not found>)
  *
              /(.*)   angular-service:80 (10.240.0.47:80,10.240.0.68:80)
Annotations:                      kubernetes.io/ingress.class: nginx
                                  nginx.ingress.kubernetes.io/rewrite-target: /
Events:                           <none>
";
        let (os, unread) = objects(text, None);
        assert!(unread.is_empty(), "{unread:?}");
        let ing = &os[0];
        assert_eq!(ing.object, "ingress");
        assert_eq!(field(ing, "Address"), Some(""));
        assert!(field(ing, "Default backend").unwrap().contains("not found"));
        assert_eq!(
            field(ing, "Rules.hello-world.example.com/"),
            Some("hello-world:80 (10.244.3.16:80)")
        );
        assert!(
            field(ing, "Rules.hello-world.example.com/api")
                .unwrap()
                .contains("not found")
        );
        assert!(field(ing, "Rules.*/(.*)").is_some());
        assert_eq!(all(ing, "Annotations").len(), 2);
        let old = "Name:\t\t\techomap\nNamespace:\t\tdefault\nAddress:\t\t130.211.9.160\nDefault backend:\techoheadersdefault:80 (172.16.23.10:8080)\nRules:\n  Host\t\tPath\tBackends\n  ----\t\t----\t--------\n  foo.bar.com\t\n    \t\t/foo \techoheadersx:80 (172.16.23.10:8080)\n  hellonode\n                     hellonode:8080 (<none>)\nNo events.\n";
        let (os, unread) = objects(old, Some("kubectl describe ing echomap"));
        assert!(unread.is_empty(), "{unread:?}");
        assert_eq!(
            field(&os[0], "Rules.foo.bar.com/foo"),
            Some("echoheadersx:80 (172.16.23.10:8080)")
        );
        assert_eq!(field(&os[0], "Rules.hellonode"), Some("hellonode:8080 (<none>)"));
    }

    #[test]
    fn reads_endpoints_tables_and_several_objects() {
        let text = "Name:         api
Namespace:    shop
Labels:       app=api
Annotations:  <none>
Subsets:
  Addresses:          <none>
  NotReadyAddresses:  10.1.2.4
  Ports:
    Name  Port  Protocol
    ----  ----  --------
    http  8080  TCP

Events:  <none>


Name:         web
Namespace:    shop
Subsets:
  Addresses:          10.1.2.3
Events:  <none>
";
        let (os, unread) = objects(text, None);
        assert!(unread.is_empty(), "{unread:?}");
        assert_eq!(os.len(), 2);
        assert_eq!(os[0].object, "endpoints");
        assert_eq!(field(&os[0], "Subsets.Addresses"), Some("<none>"));
        assert_eq!(field(&os[0], "Subsets.Ports.http"), Some("8080"));
        assert_eq!(field(&os[0], "Subsets.Ports.http.Protocol"), Some("TCP"));
        assert_eq!(os[1].name, "web");
    }

    #[test]
    fn reads_deployment_conditions_with_rules() {
        let text = "Name:                   web
Namespace:              default
Selector:               app=web
Replicas:               3 desired | 3 updated | 3 total | 0 available | 3 unavailable
StrategyType:           RollingUpdate
Pod Template:
  Labels:  app=web
  Containers:
   web:
    Image:        shop/web:1.4
    Port:         8080/TCP
Conditions:
  Type           Status  Reason
  ----           ------  ------
  Available      False   MinimumReplicasUnavailable
  Progressing    True    ReplicaSetUpdated
OldReplicaSets:  <none>
NewReplicaSet:   web-7d4b9c8f6d (3/3 replicas created)
Events:          <none>
";
        let (os, unread) = objects(text, None);
        assert!(unread.is_empty(), "{unread:?}");
        assert_eq!(os[0].object, "deployment");
        assert_eq!(field(&os[0], "Pod Template.Containers.web.Port"), Some("8080/TCP"));
        assert_eq!(field(&os[0], "Conditions.Available"), Some("False"));
        assert_eq!(
            field(&os[0], "Conditions.Available.Reason"),
            Some("MinimumReplicasUnavailable")
        );
    }

    #[test]
    fn reads_config_map_data() {
        let text = "Name:         nginx-conf
Namespace:    shop
Labels:       <none>
Annotations:  <none>

Data
====
default.conf:
----
server {
    listen 8080;
    location / { proxy_pass http://api:8000; }
}

BinaryData
====

Events:  <none>
";
        let (os, unread) = objects(text, None);
        assert!(unread.is_empty(), "{unread:?}");
        assert_eq!(os[0].object, "configmap");
        assert_eq!(
            field(&os[0], "Data.default.conf"),
            Some("server {\n    listen 8080;\n    location / { proxy_pass http://api:8000; }\n}")
        );
        assert_eq!(field(&os[0], "Events"), Some("<none>"));
    }

    #[test]
    fn strong_lines_and_scores() {
        assert!(is_strong_line("  Type     Reason     Age   From     Message"));
        assert!(is_strong_line("kubectl describe pod web"));
        let lines: Vec<&str> = POD.lines().collect();
        assert!(score(&lines) > 0.9);
        assert_eq!(score(&["Name: x", "Something: y"]), 0.0);
        assert_eq!(score(&["Name: box", "Status: RUNNING", "Type: container"]), 0.0);
    }
}

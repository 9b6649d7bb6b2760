//! `kubectl get` output: tables of pods, services, endpoints, endpoint slices, ingresses,
//! deployments and the rest (`-o wide`, `-A` with a `NAMESPACE` column, `--show-labels`,
//! several tables of `kubectl get all` with `pod/name` prefixes, `-o name`, `get events`),
//! and objects printed as YAML or JSON (`-o yaml`, `-o json`, a pasted manifest), possibly
//! after the command echoed without a prompt. One `KubeObject` per row or object.
//!
//! Table rows keep every column but `NAME` and `NAMESPACE` as fields, keyed by the header as
//! printed (`READY`, `PORT(S)`, `EXTERNAL-IP`); objects read from YAML or JSON have their
//! leaves flattened as dotted paths (`subsets`, `spec.ports.0.targetPort`,
//! `metadata.labels.app`). The object type comes from a row's `kind/` prefix, else the command
//! (`get svc`), else the header's shape.

use crate::facts::{Fact, FactAt, KubeObject};
use crate::kind::Kind;
use crate::parse::kube::{KubeCommand, echoed_command, kube_command, kube_command_of, object_name, split_reference};
use crate::parse::registry::{KindSpec, no_file};
use crate::parse::table::Table;
use crate::parse::yaml_lite::{self, YamlNode, YamlValue};
use crate::parse::{ParseContext, Parsed};
use crate::span::{Line, Span, lines};

/// How `kubectl get` output is recognised and parsed.
pub const SPEC: KindSpec = KindSpec {
    kind: Kind::KubectlGet,
    embeds: &[],
    command: |program, args| kube_command_of(program, args).is_some_and(|c| c.verb == "get"),
    file: no_file,
    line: Some(is_strong_line),
    block: score,
    parse,
};

/// Most fields kept for one YAML/JSON object (a pod's full status is long).
const MAX_FIELDS: usize = 400;

/// Columns only kubectl prints; a header with one of them (and `NAME` first) is kubectl's.
const KUBE_COLUMNS: &[&str] = &[
    "AGE",
    "READY",
    "RESTARTS",
    "CLUSTER-IP",
    "EXTERNAL-IP",
    "PORT(S)",
    "ENDPOINTS",
    "ADDRESSTYPE",
    "UP-TO-DATE",
    "AVAILABLE",
    "NOMINATED NODE",
    "READINESS GATES",
    "HOSTS",
    "LAST SEEN",
    "ROLES",
    "DESIRED",
    "CURRENT",
    "CLASS",
];

/// True when every column name is upper-case (kubectl headers are).
fn upper_case_names(table: &Table) -> bool {
    table.columns.iter().all(|c| {
        c.name
            .chars()
            .all(|ch| ch.is_ascii_uppercase() || ch.is_ascii_digit() || " ()-/._:".contains(ch))
            && c.name.chars().any(|ch| ch.is_ascii_uppercase())
    })
}

/// A kubectl table header. `lenient` (the command is `kubectl get`) accepts any upper-case
/// header starting with `NAME` or `NAMESPACE` (custom columns); otherwise a kubectl-only column
/// must be present.
fn kube_header(line: &str, lenient: bool) -> Option<Table> {
    let t = line.trim_start();
    if !(t.starts_with("NAME") || t.starts_with("LAST SEEN")) {
        return None;
    }
    let table = Table::from_header(line)?;
    if table.columns.len() < 2 || !upper_case_names(&table) {
        return None;
    }
    let first = table.columns[0].name.as_str();
    if !matches!(first, "NAME" | "NAMESPACE" | "LAST SEEN") {
        return None;
    }
    let kube = table.columns.iter().any(|c| KUBE_COLUMNS.contains(&c.name.as_str()));
    (kube || lenient).then_some(table)
}

/// A kubectl header, or `kubectl get ...` echoed without a prompt.
fn is_strong_line(line: &str) -> bool {
    kube_header(line, false).is_some() || echoed_command(line, &["get"]).is_some()
}

/// Scores a block by the share of lines read, when it has a kubectl anchor (a header, an
/// echoed command, a Kubernetes object).
fn score(block: &[&str]) -> f32 {
    let text = block.join("\n");
    let parsed = parse(&ParseContext::new(&text, 0));
    let anchored = block.iter().any(|l| is_strong_line(l)) || !parsed.facts.is_empty();
    if !anchored {
        return 0.0;
    }
    if parsed.facts.is_empty() {
        return 0.4;
    }
    let total = block.iter().filter(|l| !l.trim().is_empty()).count().max(1);
    let read = total.saturating_sub(parsed.unread.len());
    (0.45 + 0.55 * read as f32 / total as f32).min(1.0)
}

/// The object a table header describes, from its columns.
fn type_from_header(table: &Table) -> Option<&'static str> {
    let has = |n: &str| table.has(n);
    Some(if has("RESTARTS") || has("NOMINATED NODE") {
        "pod"
    } else if has("CLUSTER-IP") {
        "service"
    } else if has("ADDRESSTYPE") {
        "endpointslice"
    } else if has("ENDPOINTS") {
        "endpoints"
    } else if has("HOSTS") {
        "ingress"
    } else if has("LAST SEEN") {
        "event"
    } else if has("ROLES") {
        "node"
    } else if has("NODE SELECTOR") && has("DESIRED") {
        "daemonset"
    } else if has("UP-TO-DATE") && has("AVAILABLE") {
        "deployment"
    } else if has("DESIRED") && has("CURRENT") {
        "replicaset"
    } else if has("REFERENCE") && has("TARGETS") {
        "horizontalpodautoscaler"
    } else if has("COMPLETIONS") {
        "job"
    } else if has("SCHEDULE") && has("SUSPEND") {
        "cronjob"
    } else if has("POD-SELECTOR") {
        "networkpolicy"
    } else if has("CONTROLLER") && has("PARAMETERS") {
        "ingressclass"
    } else if has("RECLAIM POLICY") {
        "persistentvolume"
    } else if has("CAPACITY") && has("VOLUME") {
        "persistentvolumeclaim"
    } else if has("DATA") && has("TYPE") {
        "secret"
    } else if has("DATA") {
        "configmap"
    } else if has("SECRETS") {
        "serviceaccount"
    } else if table.names() == ["NAME", "STATUS", "AGE"] {
        "namespace"
    } else {
        return None;
    })
}

/// Lines that carry nothing to read: kubectl's notices and pager marks.
fn is_ignorable(text: &str) -> bool {
    let t = text.trim();
    t.starts_with("No resources found")
        || t.starts_with("Warning: ")
        || t.starts_with("W0") && t.contains("warnings.go")
        || t == "(END)"
        || t == "..."
        || t == "---"
        // YAML comments between manifests (`# Source: chart/templates/x.yaml`).
        || t.starts_with("# ")
}

/// The state of the parse: the command in force and the table being read.
struct State {
    command: Option<KubeCommand>,
    table: Option<(Table, Option<&'static str>)>,
}

/// Parses `kubectl get` output.
pub fn parse(cx: &ParseContext<'_>) -> Parsed {
    let mut out = Parsed::default();
    let mut state = State {
        command: cx.command.and_then(kube_command),
        table: None,
    };
    let all: Vec<Line<'_>> = lines(cx.text, cx.base).collect();
    let mut i = 0;
    while i < all.len() {
        let line = all[i];
        let text = line.text;
        i += 1;
        if text.trim().is_empty() || is_ignorable(text) {
            continue;
        }
        if let Some(command) = echoed_command(text, &["get", "describe", "logs", "exec", "apply", "rollout", "top"]) {
            state.command = Some(command);
            state.table = None;
            continue;
        }
        let lenient = state.command.as_ref().is_some_and(|c| c.verb == "get");
        if let Some(table) = kube_header(text, lenient) {
            let shape = type_from_header(&table);
            state.table = Some((table, shape));
            continue;
        }
        // A YAML or JSON object: read it up to the next echoed command or table header.
        if starts_object(text) {
            let mut end = i;
            while end < all.len() && !ends_object(all[end].text) {
                end += 1;
            }
            let first = line.span.start - cx.base;
            let last = all[end - 1].span.end - cx.base;
            let region = cx.text.get(first..last).unwrap_or("");
            read_objects(region, line.span.start, &mut out);
            i = end;
            state.table = None;
            continue;
        }
        let object = match &state.table {
            Some((table, shape)) => row_object(table, *shape, state.command.as_ref(), text),
            None => None,
        }
        .or_else(|| name_line(text, state.command.as_ref()));
        match object {
            Some(o) => out.facts.push(FactAt {
                span: line.span,
                fact: Fact::KubeObject(Box::new(o)),
            }),
            None => out.unread.push(line.span),
        }
    }
    out
}

/// The first line of a YAML or JSON Kubernetes object.
fn starts_object(text: &str) -> bool {
    text.starts_with("apiVersion:")
        || text.starts_with("kind:")
        || text.starts_with("items:")
        || text.trim_end() == "{"
        || text.starts_with("{\"apiVersion\"")
        || text.starts_with("{\"kind\"")
}

/// A line that ends a YAML/JSON region: another command or a table.
fn ends_object(text: &str) -> bool {
    echoed_command(text, &["get", "describe", "logs", "exec", "apply", "rollout", "top"]).is_some()
        || kube_header(text, false).is_some()
}

/// Reads the objects of a YAML or JSON region starting at `base`.
fn read_objects(region: &str, base: usize, out: &mut Parsed) {
    let read = yaml_lite::read(region, base);
    let mut unread: Vec<Span> = read.bad.clone();
    for doc in &read.docs {
        let is_list = doc.get("kind").and_then(YamlNode::as_str) == Some("List") || doc.get("items").is_some();
        let items: Vec<&YamlNode> = if is_list {
            doc.get("items").map(|i| i.items().iter().collect()).unwrap_or_default()
        } else {
            vec![doc]
        };
        for item in items {
            match object_from_yaml(item) {
                Some(object) => out.facts.push(FactAt {
                    span: item.span,
                    fact: Fact::KubeObject(Box::new(object)),
                }),
                None => unread.push(item.span),
            }
        }
    }
    out.unread.extend(yaml_lite::lines_within(region, base, &mut unread));
    crate::sort::ascending(&mut out.unread);
    crate::sort::by_key(&mut out.facts, |f| f.span.start);
}

/// A `KubeObject` from a YAML/JSON object with a `kind`.
pub fn object_from_yaml(node: &YamlNode) -> Option<KubeObject> {
    let kind = node.get("kind").and_then(YamlNode::as_str)?;
    let metadata = node.get("metadata");
    let meta = |key: &str| {
        metadata
            .and_then(|m| m.get(key))
            .and_then(YamlNode::as_str)
            .map(str::to_string)
    };
    let mut fields = Vec::new();
    for (key, value) in node.entries() {
        match key.as_str() {
            "apiVersion" | "kind" => {}
            "metadata" => {
                for section in ["labels", "annotations"] {
                    if let Some(map) = value.get(section) {
                        for (k, v) in map.entries() {
                            if k == "kubectl.kubernetes.io/last-applied-configuration" {
                                continue;
                            }
                            flatten(&format!("metadata.{section}.{k}"), v, &mut fields);
                        }
                    }
                }
            }
            _ => flatten(key, value, &mut fields),
        }
    }
    Some(KubeObject {
        object: object_name(kind),
        namespace: meta("namespace"),
        name: meta("name").unwrap_or_default(),
        fields,
    })
}

/// Flattens a value into `path = leaf` fields (`[]` / `{}` for empty collections, `""` for
/// null), at most [`MAX_FIELDS`].
fn flatten(path: &str, node: &YamlNode, fields: &mut Vec<(String, String)>) {
    if fields.len() >= MAX_FIELDS || path.ends_with("managedFields") {
        return;
    }
    match &node.value {
        YamlValue::Null => fields.push((path.to_string(), String::new())),
        YamlValue::Scalar(s) => fields.push((path.to_string(), s.clone())),
        YamlValue::Seq(items) if items.is_empty() => fields.push((path.to_string(), "[]".to_string())),
        YamlValue::Map(entries) if entries.is_empty() => fields.push((path.to_string(), "{}".to_string())),
        YamlValue::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                flatten(&format!("{path}.{i}"), item, fields);
            }
        }
        YamlValue::Map(entries) => {
            for (k, v) in entries {
                flatten(&format!("{path}.{k}"), v, fields);
            }
        }
    }
}

/// A row under a table header.
fn row_object(
    table: &Table,
    shape: Option<&'static str>,
    command: Option<&KubeCommand>,
    line: &str,
) -> Option<KubeObject> {
    let cells = table.cells(line);
    let cell = |name: &str| table.index(name).and_then(|i| cells.get(i).copied()).unwrap_or("");
    let mut name = cell("NAME").to_string();
    let mut object: Option<String> = None;
    if let Some((kind, rest)) = split_reference(&name) {
        object = Some(kind);
        name = rest.to_string();
    }
    let is_event = shape == Some("event") || object.as_deref() == Some("event");
    if is_event && name.is_empty() {
        // `kubectl get events`: no NAME column; the OBJECT column names what it is about.
        name = split_reference(cell("OBJECT")).map_or_else(|| cell("OBJECT").to_string(), |(_, n)| n.to_string());
    }
    if name.is_empty() || name.contains(' ') {
        return None;
    }
    let object = object
        .or_else(|| {
            command
                .filter(|c| c.verb == "get")
                .and_then(KubeCommand::single_resource)
                .filter(|r| *r != "all")
                .map(str::to_string)
        })
        .or_else(|| shape.map(str::to_string))
        .unwrap_or_else(|| "object".to_string());
    let namespace = Some(cell("NAMESPACE"))
        .filter(|n| !n.is_empty())
        .map(str::to_string)
        .or_else(|| command.and_then(|c| c.namespace.clone()));
    let fields = table
        .columns
        .iter()
        .zip(&cells)
        .filter(|(c, _)| c.name != "NAME" && c.name != "NAMESPACE")
        .map(|(c, v)| (c.name.clone(), v.to_string()))
        .collect();
    Some(KubeObject {
        object,
        namespace,
        name,
        fields,
    })
}

/// A line of `-o name` output: `pod/web-1`.
fn name_line(text: &str, command: Option<&KubeCommand>) -> Option<KubeObject> {
    let (object, name) = split_reference(text.trim())?;
    let known = crate::parse::kube::canonical_resource(&object).is_some() || command.is_some();
    known.then(|| KubeObject {
        object,
        namespace: command.and_then(|c| c.namespace.clone()),
        name: name.to_string(),
        fields: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::test_support::{facts_of, parse_with_command};

    /// The objects of a text, for tests.
    fn objects(text: &str, command: Option<&str>) -> (Vec<KubeObject>, Vec<Span>) {
        let parsed = parse_with_command(parse, text, command);
        (facts_of(&parsed), parsed.unread)
    }

    fn field<'a>(o: &'a KubeObject, key: &str) -> Option<&'a str> {
        o.fields.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    #[test]
    fn reads_pods_wide_and_all_namespaces() {
        let text = "NAMESPACE   NAME                   READY   STATUS             RESTARTS      AGE   IP           NODE     NOMINATED NODE   READINESS GATES
shop        web-7d4b9c8f6d-x2x9z   0/1     CrashLoopBackOff   5 (2m ago)    10m   10.1.2.3     node-1   <none>           <none>
shop        api-5f6d7c8b9-abcde    1/1     Running            0             10m   10.1.2.4     node-2   <none>           <none>
";
        let (os, unread) = objects(text, None);
        assert!(unread.is_empty());
        assert_eq!(os.len(), 2);
        assert_eq!(os[0].object, "pod");
        assert_eq!(os[0].namespace.as_deref(), Some("shop"));
        assert_eq!(field(&os[0], "RESTARTS"), Some("5 (2m ago)"));
        assert_eq!(field(&os[0], "STATUS"), Some("CrashLoopBackOff"));
        assert_eq!(field(&os[1], "NOMINATED NODE"), Some("<none>"));
    }

    #[test]
    fn reads_services_endpoints_and_ingresses() {
        let text = "NAME         TYPE        CLUSTER-IP      EXTERNAL-IP   PORT(S)                      AGE   SELECTOR
web          NodePort    10.96.12.34     <none>        80:30080/TCP,443:30443/TCP   5d    app=web

NAME         ENDPOINTS                                                            AGE
kiada        172.16.197.23:8443,172.16.46.22:8443,172.16.46.23:8443 + 3 more...   42m
quiz                                                                              42m

NAME   CLASS   HOSTS             ADDRESS        PORTS     AGE
web    nginx   shop.example.com  192.168.49.2   80, 443   3d
";
        let (os, unread) = objects(text, None);
        assert!(unread.is_empty(), "{unread:?}");
        assert_eq!(os.len(), 4);
        assert_eq!(os[0].object, "service");
        assert_eq!(field(&os[0], "PORT(S)"), Some("80:30080/TCP,443:30443/TCP"));
        assert_eq!(os[1].object, "endpoints");
        assert_eq!(
            field(&os[1], "ENDPOINTS"),
            Some("172.16.197.23:8443,172.16.46.22:8443,172.16.46.23:8443 + 3 more...")
        );
        assert_eq!(field(&os[2], "ENDPOINTS"), Some(""));
        assert_eq!(os[3].object, "ingress");
        assert_eq!(field(&os[3], "PORTS"), Some("80, 443"));
    }

    #[test]
    fn reads_get_all_prefixes_and_command_types() {
        let text = "NAME                         READY   STATUS    RESTARTS   AGE
pod/web-5d9c7b7f4d-abcde     1/1     Running   0          5m

NAME                  READY   UP-TO-DATE   AVAILABLE   AGE
deployment.apps/web   1/1     1            1           5m
";
        let (os, _) = objects(text, Some("kubectl get all -n shop"));
        assert_eq!(os[0].object, "pod");
        assert_eq!(os[0].name, "web-5d9c7b7f4d-abcde");
        assert_eq!(os[0].namespace.as_deref(), Some("shop"));
        assert_eq!(os[1].object, "deployment");
        let (os, _) = objects("NAME     DATA   AGE\nnginx    1      3d\n", Some("kubectl get cm"));
        assert_eq!(os[0].object, "configmap");
        let (os, _) = objects("pod/web-1\nservice/web\n", Some("kubectl get pods,svc -o name"));
        assert_eq!((os[0].object.as_str(), os[1].object.as_str()), ("pod", "service"));
    }

    #[test]
    fn reads_events() {
        let text = "LAST SEEN   TYPE      REASON      OBJECT                MESSAGE
2m          Warning   Unhealthy   pod/web-7d4b9c8f6d    Readiness probe failed: Get \"http://10.1.2.3:8080/healthz\": dial tcp 10.1.2.3:8080: connect: connection refused
";
        let (os, unread) = objects(text, None);
        assert!(unread.is_empty());
        assert_eq!(os[0].object, "event");
        assert_eq!(os[0].name, "web-7d4b9c8f6d");
        assert!(field(&os[0], "MESSAGE").unwrap().ends_with("connection refused"));
    }

    #[test]
    fn reads_yaml_objects_after_echoed_commands() {
        let text = "kubectl get pod --selector=app=nginx-ingress
NAME                     READY     STATUS    RESTARTS   AGE
nginx-ingress-rc-mdwgn   1/1       Running   0          3m


kubectl get endpoints nginx-ing-svc  -n default -o yaml
apiVersion: v1
kind: Endpoints
metadata:
  creationTimestamp: 2017-07-14T03:31:51Z
  labels:
    name: nginx-ingress-label
  name: nginx-ing-svc
  namespace: default
subsets: []
";
        let (os, unread) = objects(text, None);
        assert!(unread.is_empty(), "{unread:?}");
        assert_eq!(os.len(), 2);
        assert_eq!(os[0].object, "pod");
        assert_eq!(os[1].object, "endpoints");
        assert_eq!(os[1].name, "nginx-ing-svc");
        assert_eq!(os[1].namespace.as_deref(), Some("default"));
        assert_eq!(field(&os[1], "subsets"), Some("[]"));
        assert_eq!(field(&os[1], "metadata.labels.name"), Some("nginx-ingress-label"));
    }

    #[test]
    fn reads_json_lists() {
        let text = "{\n  \"apiVersion\": \"v1\",\n  \"items\": [\n    {\"kind\": \"Service\", \"metadata\": {\"name\": \"web\", \"namespace\": \"shop\"}, \"spec\": {\"ports\": [{\"port\": 80, \"targetPort\": 8080}]}}\n  ],\n  \"kind\": \"List\"\n}\n";
        let (os, unread) = objects(text, Some("kubectl get svc -o json"));
        assert!(unread.is_empty(), "{unread:?}");
        assert_eq!(os[0].object, "service");
        assert_eq!(field(&os[0], "spec.ports.0.targetPort"), Some("8080"));
    }

    #[test]
    fn headers_are_not_mistaken() {
        assert!(is_strong_line("NAME      READY   STATUS    RESTARTS   AGE"));
        assert!(!is_strong_line(
            "NAME   IMAGE   COMMAND   SERVICE   CREATED   STATUS   PORTS"
        ));
        assert!(!is_strong_line("Name:         web"));
    }
}

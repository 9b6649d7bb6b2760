//! Kubernetes vocabulary shared by the `kubectl get` and `kubectl describe` parsers: resource
//! names and their aliases, the command line (`kubectl -n web get pods,svc -o wide`), and
//! `kind/name` references.

use crate::parse::command_line::{has_flag, option_value, positional};
use crate::split::program_and_args;

/// Resource aliases (plural, singular, short names, `kind.group` forms are reduced before) and
/// the object name used in `KubeObject::object`.
const RESOURCES: &[(&str, &str)] = &[
    ("po", "pod"),
    ("pod", "pod"),
    ("pods", "pod"),
    ("svc", "service"),
    ("service", "service"),
    ("services", "service"),
    ("ep", "endpoints"),
    ("endpoint", "endpoints"),
    ("endpoints", "endpoints"),
    ("endpointslice", "endpointslice"),
    ("endpointslices", "endpointslice"),
    ("ing", "ingress"),
    ("ingress", "ingress"),
    ("ingresses", "ingress"),
    ("deploy", "deployment"),
    ("deployment", "deployment"),
    ("deployments", "deployment"),
    ("rs", "replicaset"),
    ("replicaset", "replicaset"),
    ("replicasets", "replicaset"),
    ("sts", "statefulset"),
    ("statefulset", "statefulset"),
    ("statefulsets", "statefulset"),
    ("ds", "daemonset"),
    ("daemonset", "daemonset"),
    ("daemonsets", "daemonset"),
    ("no", "node"),
    ("node", "node"),
    ("nodes", "node"),
    ("ev", "event"),
    ("event", "event"),
    ("events", "event"),
    ("cm", "configmap"),
    ("configmap", "configmap"),
    ("configmaps", "configmap"),
    ("secret", "secret"),
    ("secrets", "secret"),
    ("ns", "namespace"),
    ("namespace", "namespace"),
    ("namespaces", "namespace"),
    ("job", "job"),
    ("jobs", "job"),
    ("cj", "cronjob"),
    ("cronjob", "cronjob"),
    ("cronjobs", "cronjob"),
    ("hpa", "horizontalpodautoscaler"),
    ("horizontalpodautoscaler", "horizontalpodautoscaler"),
    ("horizontalpodautoscalers", "horizontalpodautoscaler"),
    ("netpol", "networkpolicy"),
    ("networkpolicy", "networkpolicy"),
    ("networkpolicies", "networkpolicy"),
    ("pvc", "persistentvolumeclaim"),
    ("persistentvolumeclaim", "persistentvolumeclaim"),
    ("persistentvolumeclaims", "persistentvolumeclaim"),
    ("pv", "persistentvolume"),
    ("persistentvolume", "persistentvolume"),
    ("persistentvolumes", "persistentvolume"),
    ("sa", "serviceaccount"),
    ("serviceaccount", "serviceaccount"),
    ("serviceaccounts", "serviceaccount"),
    ("ingressclass", "ingressclass"),
    ("ingressclasses", "ingressclass"),
    ("pdb", "poddisruptionbudget"),
    ("poddisruptionbudget", "poddisruptionbudget"),
    ("poddisruptionbudgets", "poddisruptionbudget"),
    ("replicationcontroller", "replicationcontroller"),
    ("replicationcontrollers", "replicationcontroller"),
    ("rc", "replicationcontroller"),
];

/// The object name for a resource word: `svc` → `service`, `deployment.apps` → `deployment`,
/// `Endpoints` → `endpoints`. `None` for words that are no known resource.
pub fn canonical_resource(word: &str) -> Option<&'static str> {
    let lower = word.trim().to_ascii_lowercase();
    let base = lower.split('.').next().unwrap_or("");
    RESOURCES
        .iter()
        .find(|(alias, _)| *alias == base)
        .map(|(_, name)| *name)
}

/// The object name for a `kind:` value or a `kind/name` prefix: the canonical resource when
/// known, else the lower-cased word (custom resources).
pub fn object_name(kind: &str) -> String {
    canonical_resource(kind).map_or_else(|| kind.trim().to_ascii_lowercase(), str::to_string)
}

/// Splits `pod/web-1` / `deployment.apps/web` into the object name and the name.
pub fn split_reference(text: &str) -> Option<(String, &str)> {
    let (kind, name) = text.split_once('/')?;
    if kind.is_empty() || name.is_empty() || name.contains('/') || name.contains(' ') {
        return None;
    }
    let kind_ok = kind
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-');
    kind_ok.then(|| (object_name(kind), name))
}

/// Global and `get`/`describe` options of kubectl that take a value.
const WITH_VALUE: &[&str] = &[
    "-n",
    "--namespace",
    "--context",
    "--kubeconfig",
    "--cluster",
    "--user",
    "-s",
    "--server",
    "-o",
    "--output",
    "-l",
    "--selector",
    "--field-selector",
    "-c",
    "--container",
    "--sort-by",
    "--template",
    "-L",
    "--label-columns",
    "--chunk-size",
    "--request-timeout",
    "--token",
    "-f",
    "--filename",
];

/// What a kubectl command line says about its output.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KubeCommand {
    /// `get`, `describe`, ...
    pub verb: String,
    /// Resources asked for, as object names (`kubectl get pods,svc` → pod, service).
    pub resources: Vec<String>,
    /// The namespace from `-n` / `--namespace`.
    pub namespace: Option<String>,
    /// `-A` / `--all-namespaces`.
    pub all_namespaces: bool,
    /// `-o` value (`wide`, `yaml`, `json`, `name`...).
    pub output: Option<String>,
}

impl KubeCommand {
    /// The single resource asked for, when there is exactly one.
    pub fn single_resource(&self) -> Option<&str> {
        match self.resources.as_slice() {
            [one] => Some(one),
            _ => None,
        }
    }
}

/// Reads a kubectl (or `oc`, `k`, `microk8s kubectl`, `k3s kubectl`) command line.
pub fn kube_command(command: &str) -> Option<KubeCommand> {
    let (program, args) = program_and_args(command)?;
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    kube_command_of(&program, &args)
}

/// [`kube_command`] from an already split program and arguments.
pub fn kube_command_of(program: &str, args: &[&str]) -> Option<KubeCommand> {
    let args: &[&str] = match program {
        "kubectl" | "k" | "oc" | "kubectl.exe" => args,
        "microk8s" | "k3s" | "minikube" | "k0s" => match args.split_first() {
            Some((&"kubectl", rest)) => rest,
            _ => return None,
        },
        "microk8s.kubectl" => args,
        _ => return None,
    };
    let words = positional(args, WITH_VALUE);
    let (verb, rest) = words.split_first()?;
    let mut resources = Vec::new();
    for word in rest {
        for part in word.split(',') {
            let kind = part.split('/').next().unwrap_or(part);
            if let Some(name) = canonical_resource(kind) {
                if !resources.iter().any(|r| r == name) {
                    resources.push(name.to_string());
                }
            } else if kind == "all" {
                resources.push("all".to_string());
            }
        }
        // `kubectl get pods web-1`: the name follows the resource; stop after the first word
        // unless it names several resources.
        if !resources.is_empty() {
            break;
        }
    }
    Some(KubeCommand {
        verb: verb.to_string(),
        resources,
        namespace: option_value(args, &["-n", "--namespace"]).map(str::to_string),
        all_namespaces: has_flag(args, &["-A", "--all-namespaces"]),
        output: option_value(args, &["-o", "--output"]).map(str::to_string),
    })
}

/// A command echoed in the paste without a prompt (`kubectl get pods -n web`,
/// `PS C:\> kubectl describe svc web`), read when its verb is one of `verbs`.
pub fn echoed_command(line: &str, verbs: &[&str]) -> Option<KubeCommand> {
    let t = line.trim();
    let t = match t.find("> ") {
        Some(i) if t.starts_with("PS ") => &t[i + 2..],
        _ => t,
    };
    let first = t.split_whitespace().next()?;
    if !matches!(
        first,
        "kubectl" | "oc" | "microk8s" | "k3s" | "kubectl.exe" | "microk8s.kubectl"
    ) {
        return None;
    }
    let command = kube_command(t)?;
    verbs.contains(&command.verb.as_str()).then_some(command)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_kubectl_command_lines() {
        let c = kube_command("kubectl -n shop get pods,svc -o wide").unwrap();
        assert_eq!(c.verb, "get");
        assert_eq!(c.resources, vec!["pod", "service"]);
        assert_eq!(c.namespace.as_deref(), Some("shop"));
        assert_eq!(c.output.as_deref(), Some("wide"));
        let c = kube_command("sudo microk8s kubectl describe ing/web --namespace=prod").unwrap();
        assert_eq!(c.verb, "describe");
        assert_eq!(c.single_resource(), Some("ingress"));
        assert_eq!(c.namespace.as_deref(), Some("prod"));
        let c = kube_command("kubectl get endpoints nginx-ing-svc  -n default -o yaml").unwrap();
        assert_eq!(c.single_resource(), Some("endpoints"));
        assert_eq!(c.output.as_deref(), Some("yaml"));
        assert!(kube_command("kubectl get all -A").unwrap().all_namespaces);
        assert!(kube_command("docker ps").is_none());
    }

    #[test]
    fn reads_references_and_echoes() {
        assert_eq!(
            split_reference("deployment.apps/web"),
            Some(("deployment".into(), "web"))
        );
        assert_eq!(
            split_reference("horizontalpodautoscaler.autoscaling/api").unwrap().0,
            "horizontalpodautoscaler"
        );
        assert_eq!(split_reference("/var/log"), None);
        assert!(echoed_command("kubectl get pod --selector=app=nginx-ingress", &["get"]).is_some());
        assert!(echoed_command("PS C:\\Users\\me> kubectl get svc", &["get"]).is_some());
        assert!(echoed_command("kubectl logs web", &["get"]).is_none());
        assert!(echoed_command("the kubectl get output", &["get"]).is_none());
    }
}

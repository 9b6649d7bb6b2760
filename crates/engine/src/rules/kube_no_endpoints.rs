//! `service-has-no-ready-endpoints`: the Kubernetes Service behind the ingress has no ready
//! endpoint, or sends traffic to a port the pods do not listen on.
//!
//! ## What it looks for
//! ingress-nginx's `Service "ns/name" does not have any active Endpoint`; `kubectl get
//! endpoints` with `<none>` (or `subsets: []` in YAML); `kubectl describe svc` with `Endpoints:
//! <none>`. Then the pods: not Ready (`0/1`), `CrashLoopBackOff`, `Error`, `Pending` (why there
//! are no endpoints), or Running and Ready while the endpoints are empty (the Service's selector
//! matches no pod). And the Service's `TargetPort` against the pods' container `Port` (traffic
//! sent to a port nothing listens on: `connect() failed (111)` to the pod IP). Pods not Ready
//! alone are only a lead; an ingress-nginx access line whose `[$proxy_upstream_name]`
//! (`namespace-service-port`) is those pods' service makes it firm, with the controller's failed
//! connection to a pod-network address as further evidence.
//!
//! ## Why it matters
//! With no ready endpoint, ingress-nginx has nowhere to send the request and serves its default
//! backend (503), or, with a stale endpoint list, nginx gets connection refused (502). A wrong
//! `targetPort` gives 502 for every request even though the pods are healthy.
//!
//! ## Weakened by
//! Endpoints listed with addresses (then the Service has endpoints; a refusal is upstream-down
//! or a port mismatch).

use crate::cause::Cause;
use crate::facts::*;
use crate::model::{At, Model};
use crate::rules::{Draft, Rule};

/// The rule.
pub const RULE: Rule = Rule {
    id: "service-has-no-ready-endpoints",
    cause: Cause::KubernetesNoEndpoints,
    doc: "ingress-nginx reports a Service without active endpoints, kubectl shows <none>/empty subsets, pods not ready, or the Service targetPort differs from the container port",
    check,
};

fn field<'a>(o: &'a KubeObject, key: &str) -> Option<&'a str> {
    o.fields.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

/// True when an endpoints listing or describe shows no address.
fn empty_endpoints(o: &KubeObject) -> bool {
    let empty = |v: &str| {
        let v = v.trim();
        v.is_empty() || v == "<none>" || v == "[]" || v == "<unset>"
    };
    match o.object.as_str() {
        "endpoints" | "endpointslice" => {
            field(o, "ENDPOINTS").is_some_and(empty)
                || field(o, "subsets").is_some_and(empty)
                || field(o, "Subsets").is_some_and(empty)
                || (field(o, "ENDPOINTS").is_none()
                    && field(o, "subsets").is_none()
                    && field(o, "Subsets.Addresses").is_some_and(empty))
        }
        "service" => field(o, "Endpoints").is_some_and(empty),
        _ => false,
    }
}

/// The app part of a pod name: `web-6d9f7c5b8-2xkqz` → `web` (Deployment pods end in a
/// ReplicaSet hash and a pod suffix).
fn app_of_pod(name: &str) -> &str {
    let parts: Vec<&str> = name.rsplitn(3, '-').collect();
    if parts.len() == 3 && parts[0].len() == 5 && parts[1].len() >= 6 {
        parts[2]
    } else {
        name
    }
}

/// True when ingress-nginx's upstream name (`$proxy_upstream_name`: `namespace-service-port`)
/// names the service `app` (in `namespace` when known).
fn upstream_name_is(upstream: &str, namespace: Option<&str>, app: &str) -> bool {
    let port_part =
        |rest: &str| !rest.is_empty() && !rest.contains('-') && rest.chars().all(|c| c.is_ascii_alphanumeric());
    match namespace {
        Some(ns) => upstream
            .strip_prefix(ns)
            .and_then(|r| r.strip_prefix('-'))
            .and_then(|r| r.strip_prefix(app))
            .and_then(|r| r.strip_prefix('-'))
            .is_some_and(port_part),
        None => upstream
            .rsplit_once('-')
            .is_some_and(|(head, port)| port_part(port) && head.ends_with(&format!("-{app}"))),
    }
}

/// True for objects that run pods (and carry their labels and container ports).
fn is_workload(object: &str) -> bool {
    matches!(
        object,
        "pod" | "deployment" | "statefulset" | "daemonset" | "replicaset" | "job" | "cronjob" | "replicationcontroller"
    )
}

/// A Service's numeric target port (describe `TargetPort`, manifest `spec.ports.0.targetPort`).
fn target_port(o: &KubeObject) -> Option<u16> {
    field(o, "TargetPort").and_then(port_of).or_else(|| {
        o.fields
            .iter()
            .find(|(k, _)| k.ends_with(".targetPort"))
            .and_then(|(_, v)| port_of(v))
    })
}

/// A Service's selector: manifest `spec.selector.K` fields or describe `Selector: a=b,c=d`.
fn selector_of(o: &KubeObject) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = o
        .fields
        .iter()
        .filter_map(|(k, v)| {
            k.strip_prefix("spec.selector.")
                .map(|k| (k.to_string(), v.trim().to_string()))
        })
        .filter(|(k, _)| !k.starts_with("matchLabels"))
        .collect();
    if out.is_empty()
        && let Some(sel) = field(o, "Selector")
        && sel != "<none>"
    {
        out = sel
            .split(',')
            .filter_map(|kv| kv.split_once('='))
            .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
            .collect();
    }
    out
}

/// The labels a workload gives its pods: a template's `spec.template.metadata.labels.K`, a
/// pod's `metadata.labels.K`, or describe `Labels:` lines.
fn pod_labels(o: &KubeObject) -> Vec<(String, String)> {
    let prefix = if o.object == "pod" {
        "metadata.labels."
    } else {
        "spec.template.metadata.labels."
    };
    let mut out: Vec<(String, String)> = o
        .fields
        .iter()
        .filter_map(|(k, v)| k.strip_prefix(prefix).map(|k| (k.to_string(), v.trim().to_string())))
        .collect();
    if o.object == "pod" {
        for (k, v) in &o.fields {
            if k == "Labels" || k == "LABELS" {
                for kv in v.split(',') {
                    if let Some((a, b)) = kv.split_once('=') {
                        out.push((a.trim().to_string(), b.trim().to_string()));
                    }
                }
            }
        }
    }
    out
}

/// The port number of `3000/TCP`, `http  80/TCP`, `8080`.
fn port_of(v: &str) -> Option<u16> {
    v.split_whitespace()
        .rev()
        .find_map(|w| w.split('/').next().and_then(|p| p.parse().ok()))
}

fn check(model: &Model<'_>, out: &mut Vec<Draft>) {
    let objects: Vec<At<'_, KubeObject>> = model.all::<KubeObject>().collect();
    let controller = model
        .all::<ControllerEvent>()
        .find(|c| c.service_without_endpoints.is_some());
    let empty: Vec<_> = objects.iter().filter(|o| empty_endpoints(o)).collect();
    let pods: Vec<_> = objects.iter().filter(|o| o.object == "pod").collect();
    let not_ready: Vec<_> = pods
        .iter()
        .filter(|p| {
            let status = field(p, "STATUS").or(field(p, "Status")).unwrap_or("");
            let ready = field(p, "READY").map(|r| {
                let (a, b) = r.split_once('/').unwrap_or((r, r));
                a == b && a != "0"
            });
            let cond = field(p, "Conditions.Ready").map(|r| r == "True");
            matches!(
                status,
                "CrashLoopBackOff"
                    | "Error"
                    | "Pending"
                    | "ImagePullBackOff"
                    | "ErrImagePull"
                    | "OOMKilled"
                    | "Terminating"
                    | "CreateContainerConfigError"
            ) || ready == Some(false)
                || cond == Some(false)
        })
        .collect();
    // Service targetPort against the pods' container ports (describe output or manifests).
    let service = objects
        .iter()
        .find(|o| o.object == "service" && target_port(o).is_some());
    let workloads: Vec<_> = objects.iter().filter(|o| is_workload(&o.object)).collect();
    let container_ports: Vec<(u16, &At<'_, KubeObject>)> = workloads
        .iter()
        .flat_map(|p| {
            p.fields
                .iter()
                .filter(|(k, _)| {
                    (k.starts_with("Containers.") && k.ends_with(".Port")) || k.ends_with(".containerPort")
                })
                .filter_map(move |(_, v)| port_of(v).map(|n| (n, *p)))
        })
        .collect();
    let port_mismatch = service.and_then(|s| {
        let target = target_port(s)?;
        (!container_ports.is_empty() && !container_ports.iter().any(|(p, _)| *p == target))
            .then(|| (s, target, container_ports[0]))
    });
    // The Service's selector against the workloads' pod labels.
    let selector_mismatch = objects.iter().find_map(|svc| {
        if svc.object != "service" {
            return None;
        }
        let selector = selector_of(svc);
        if selector.is_empty() {
            return None;
        }
        let candidates: Vec<_> = workloads
            .iter()
            .filter(|w| w.namespace.is_none() || svc.namespace.is_none() || w.namespace == svc.namespace)
            .filter(|w| !pod_labels(w).is_empty())
            .collect();
        let matched = candidates
            .iter()
            .any(|w| selector.iter().all(|kv| pod_labels(w).contains(kv)));
        (!candidates.is_empty() && !matched).then(|| (*svc, selector, *candidates[0]))
    });
    // NGINX Inc's controller points a Service without endpoints at 127.0.0.1:8181.
    let placeholder = model.events(MessageClass::ConnectFailed).find(|e| {
        matches!(Model::event_endpoint(e), Some(Endpoint::Tcp { ref host, port: Some(8181) }) if host == "127.0.0.1")
    });

    // The ingress's own lines tie its failing traffic to a pod that is not Ready: an access line
    // whose upstream (`[$proxy_upstream_name]`) is that pod's service, or a failed connection
    // to a pod-network address from the controller's log.
    let ingress_access = not_ready.iter().find_map(|p| {
        let app = app_of_pod(&p.name);
        model
            .all::<AccessEntry>()
            .find(|a| {
                a.other
                    .iter()
                    .any(|(k, v)| k == "proxy_upstream_name" && upstream_name_is(v, p.namespace.as_deref(), app))
            })
            .map(|a| (*p, a))
    });
    let pod_dial_failed = model
        .events(MessageClass::ConnectFailed)
        .chain(model.events(MessageClass::UpstreamTimedOut))
        .find(|e| match Model::event_endpoint(e) {
            Some(Endpoint::Tcp { ref host, .. }) => crate::model::reach::is_container_network(host),
            _ => false,
        });
    // Pods alone: when every pod shown is not Ready, the Service has no endpoint for them.
    let all_not_ready = !pods.is_empty() && not_ready.len() == pods.len();
    let has_endpoints = objects
        .iter()
        .any(|o| matches!(o.object.as_str(), "endpoints" | "endpointslice") && !empty_endpoints(o));
    if controller.is_none()
        && empty.is_empty()
        && port_mismatch.is_none()
        && selector_mismatch.is_none()
        && placeholder.is_none()
        && (!all_not_ready || has_endpoints)
    {
        return;
    }
    let svc_name = controller
        .and_then(|c| c.service_without_endpoints.clone())
        .or_else(|| empty.first().map(|o| o.name.clone()))
        .or_else(|| service.map(|s| s.name.clone()))
        .or_else(|| pods.first().map(|p| app_of_pod(&p.name).to_string()))
        .unwrap_or_default();
    let (namespace, short) = match svc_name.split_once('/') {
        Some((ns, n)) => (Some(ns.to_string()), n.to_string()),
        None => (
            empty
                .first()
                .and_then(|o| o.namespace.clone())
                .or_else(|| service.and_then(|s| s.namespace.clone()))
                .or_else(|| not_ready.first().and_then(|p| p.namespace.clone()))
                .or_else(|| pods.first().and_then(|p| p.namespace.clone())),
            svc_name.clone(),
        ),
    };
    let mut conf: f32 = if controller.is_some() || selector_mismatch.is_some() {
        0.85
    } else if let Some(e) = placeholder {
        // Only a Kubernetes ingress does this: a pod-network client, kubectl, kube objects.
        let kube = !objects.is_empty()
            || e.client
                .as_deref()
                .is_some_and(crate::model::reach::is_container_network)
            || model
                .artifacts
                .get(e.artifact)
                .and_then(|a| a.command.as_deref())
                .is_some_and(|c| c.contains("kubectl") || c.contains("ingress"));
        if kube { 0.82 } else { 0.4 }
    } else if empty.is_empty() && port_mismatch.is_none() {
        // Pods not Ready and nothing else: only a lead, unless the ingress's own log shows its
        // requests going to them.
        if ingress_access.is_some() { 0.72 } else { 0.45 }
    } else {
        0.78
    };
    let mut d = Draft::new(
        Cause::KubernetesNoEndpoints,
        conf,
        format!("The Service {short} has no ready endpoints: ingress-nginx has no pod to send requests to"),
    );
    d.value("k8s_service", short.clone());
    if let Some(ns) = &namespace {
        d.value("namespace", ns.clone());
    }
    if let Some(c) = controller {
        d.support(
            c.artifact,
            c.span,
            format!("the ingress controller finds no ready endpoint for {svc_name}"),
        );
        d.value("status", "503");
    }
    for o in empty.iter().take(2) {
        if controller.is_some() {
            conf += 0.05;
        }
        d.support(o.artifact, o.span, format!("{} {} lists no address", o.object, o.name));
    }
    if controller.is_some() && !empty.is_empty() {
        conf += 0.03;
    }
    if let Some(p) = not_ready.first() {
        conf += 0.1;
        let status = field(p, "STATUS").or(field(p, "Status")).unwrap_or("not ready");
        d.support(
            p.artifact,
            p.span,
            format!(
                "pod {} is {status} and not Ready: it is left out of the endpoints",
                p.name
            ),
        );
        d.title = format!("The pods of {short} are not Ready ({status}), so the Service has no endpoints");
        if let Some((_, a)) = ingress_access {
            let upstream = a
                .other
                .iter()
                .find(|(k, _)| k == "proxy_upstream_name")
                .map_or("", |(_, v)| v.as_str());
            d.support(
                a.artifact,
                a.span,
                format!("the ingress sends these requests to {upstream}: the Service of those pods"),
            );
            if let Some(e) = pod_dial_failed {
                d.support(
                    e.artifact,
                    e.span,
                    "the ingress's connection to the pod fails: the container is not up to take it",
                );
            }
        }
    } else if !pods.is_empty() && !empty.is_empty() {
        conf += 0.08;
        let p = pods[0];
        d.support(
            p.artifact,
            p.span,
            format!(
                "pod {} runs and is Ready, yet the endpoints are empty: the Service's selector matches no pod",
                p.name
            ),
        );
        d.title = format!("The selector of Service {short} matches none of the running pods: no endpoints");
    }
    if let Some((s, target, (cport, pod))) = port_mismatch {
        conf = conf.max(0.8) + 0.05;
        d.support(
            s.artifact,
            s.span,
            format!("the Service sends traffic to port {target}"),
        );
        d.support(pod.artifact, pod.span, format!("the container listens on port {cport}"));
        d.value("port", target.to_string());
        d.title = format!("Service {short} targets port {target}, but its pods listen on {cport}");
    }
    if let Some(e) = placeholder {
        d.support(
            e.artifact,
            e.span,
            "127.0.0.1:8181 is where NGINX Inc's ingress controller points a Service that has no endpoints",
        );
        if d.title.starts_with("The Service  ") {
            d.title =
                "The Service behind this ingress has no endpoints (nginx is sent to the 127.0.0.1:8181 placeholder)"
                    .to_string();
        }
    }
    if let Some((svc, selector, w)) = &selector_mismatch {
        let sel: Vec<String> = selector.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let labels: Vec<String> = pod_labels(w).iter().map(|(k, v)| format!("{k}={v}")).collect();
        d.support(
            svc.artifact,
            svc.span,
            format!("Service {} selects pods labelled {}", svc.name, sel.join(",")),
        );
        d.support(
            w.artifact,
            w.span,
            format!("{} {} labels its pods {}", w.object, w.name, labels.join(",")),
        );
        d.value("k8s_service", svc.name.clone());
        d.title = format!(
            "The selector of Service {} ({}) matches none of the pods ({}): no endpoints",
            svc.name,
            sel.join(","),
            labels.join(",")
        );
    }
    if let Some(sel) = service.and_then(|s| field(s, "Selector").map(|v| (s, v))) {
        d.support(sel.0.artifact, sel.0.span, format!("Service selector: {}", sel.1));
    }
    d.confidence = conf.clamp(0.0, 0.96);
    out.push(d);
}

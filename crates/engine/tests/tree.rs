//! The decision tree (`knowledge/tree.toml`) is a valid graph, every cause can be reached, its
//! bindings and requested kinds exist, and the walk behaves: asks what the evidence does not
//! answer, takes the evidence over a contradicting answer, skips what cannot be pasted.

use std::collections::BTreeSet;

use engine::tree::{NodeBody, TREE, bindings::BINDINGS, causes_below};
use engine::{Answers, Cause, Kind, Paste};

#[test]
fn every_node_is_reachable_and_there_is_no_cycle() {
    let ids: BTreeSet<&str> = TREE.nodes.iter().map(|n| n.id).collect();
    assert_eq!(ids.len(), TREE.nodes.len(), "node ids are unique");
    // Depth-first search with colours finds cycles and reachable nodes.
    fn visit<'a>(id: &'a str, grey: &mut Vec<&'a str>, black: &mut BTreeSet<&'a str>) {
        if black.contains(id) {
            return;
        }
        assert!(!grey.contains(&id), "cycle through {id}: {grey:?}");
        grey.push(id);
        for next in TREE
            .node(id)
            .unwrap_or_else(|| panic!("unknown node {id}"))
            .successors()
        {
            visit(next, grey, black);
        }
        grey.pop();
        black.insert(id);
    }
    let mut reached = BTreeSet::new();
    visit(TREE.root, &mut Vec::new(), &mut reached);
    let unreachable: Vec<_> = ids.difference(&reached).collect();
    assert!(unreachable.is_empty(), "unreachable nodes: {unreachable:?}");
}

#[test]
fn every_cause_is_reachable_and_every_leaf_is_a_cause() {
    let reachable = causes_below(&TREE, TREE.root);
    for cause in Cause::ALL {
        assert!(reachable.contains(&cause.id()), "no path leads to {}", cause.id());
    }
    for node in TREE.nodes {
        if let NodeBody::Leaf { cause } = node.body {
            assert!(
                Cause::from_id(cause).is_some(),
                "leaf {} names unknown cause {cause}",
                node.id
            );
        }
    }
}

#[test]
fn bindings_and_requested_kinds_exist() {
    for node in TREE.nodes {
        match &node.body {
            NodeBody::Question { bind, choices } => {
                let values: Vec<&str> = choices.iter().map(|c| c.value).collect();
                let unique: BTreeSet<&str> = values.iter().copied().collect();
                assert_eq!(unique.len(), values.len(), "{}: duplicate choice values", node.id);
                if let Some(name) = bind {
                    let binding = BINDINGS
                        .iter()
                        .find(|b| b.id == *name)
                        .unwrap_or_else(|| panic!("{}: unknown binding {name}", node.id));
                    for v in binding.values {
                        assert!(
                            values.contains(v),
                            "{}: binding {name} can answer `{v}`, which is not a choice",
                            node.id
                        );
                    }
                }
                assert!(
                    !node.help.is_empty(),
                    "{}: a question says how to find its answer",
                    node.id
                );
            }
            NodeBody::Request { expects, commands, .. } => {
                for k in *expects {
                    assert!(Kind::from_id(k).is_some(), "{}: unknown kind {k}", node.id);
                }
                assert!(
                    commands.iter().any(|(p, _)| *p == "any"),
                    "{}: a request has a command for any platform",
                    node.id
                );
            }
            NodeBody::Leaf { .. } => {}
        }
    }
}

fn answers(list: &[(&str, &str)]) -> Answers {
    list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

#[test]
fn with_nothing_pasted_the_walk_asks_the_first_question() {
    let report = engine::diagnose(&[], &Answers::default());
    let next = report.walk.next.expect("a question");
    assert_eq!(next.id, TREE.root);
    assert!(report.walk.steps.is_empty());
    assert!(report.findings.is_empty(), "no evidence, no finding");
}

#[test]
fn with_no_evidence_it_says_what_to_paste_next() {
    for text in ["my site shows 502 Bad Gateway since this morning", "", "hello\nworld\n"] {
        let report = engine::diagnose(&[Paste::new("note.txt", text)], &Answers::default());
        assert!(
            report.findings.iter().all(|f| f.confidence < 0.5),
            "{text:?}: no confident finding without evidence"
        );
        let paste = report.walk.next_paste.expect("what to paste next");
        assert_eq!(paste.kind, "request");
        assert!(paste.expects.iter().any(|k| k == "nginx-error-log"), "{paste:?}");
        assert!(!paste.commands.is_empty());
    }
    // With the error log pasted, the next paste is something else.
    let log = "2026/11/21 10:00:00 [error] 7#7: *1 connect() failed (111: Connection refused) while connecting to upstream, client: 10.0.0.9, server: shop.example.com, request: \"GET / HTTP/1.1\", upstream: \"http://127.0.0.1:3000/\", host: \"shop.example.com\"";
    let report = engine::diagnose(&[Paste::new("error.log", log)], &Answers::default());
    if let Some(paste) = report.walk.next_paste {
        assert!(!paste.expects.iter().any(|k| k == "nginx-error-log"), "{paste:?}");
    }
}

#[test]
fn a_finding_below_several_branches_takes_the_most_direct_one() {
    // Nothing says who made the page, but nginx -t fails: every branch of the first question
    // leads to nginx-config-invalid; the walk takes the shortest and ends there.
    let text = "$ sudo nginx -t\nnginx: [emerg] unknown directive \"proxy_pas\" in /etc/nginx/sites-enabled/app:7\nnginx: configuration file /etc/nginx/nginx.conf test failed\n";
    let report = engine::diagnose(&[Paste::new("t.txt", text)], &Answers::default());
    assert_eq!(report.findings[0].cause, Cause::NginxConfigInvalid);
    assert_eq!(report.walk.conclusion, Some(Cause::NginxConfigInvalid));
    assert_eq!(report.walk.steps[0].node, TREE.root);
    assert!(report.walk.next.is_none());
}

#[test]
fn an_access_log_of_502s_answers_who_and_whether_nginx_runs() {
    let text = "203.0.113.5 - - [12/Mar/2024:10:00:01 +0000] \"GET / HTTP/1.1\" 502 166 \"-\" \"curl/8.0\" upstream=127.0.0.1:8080 us=502 rt=0.001\n";
    let report = engine::diagnose(&[Paste::new("access.log", text)], &Answers::default());
    let answered: Vec<(&str, &str)> = report
        .walk
        .steps
        .iter()
        .map(|s| (s.node.as_str(), s.answer.as_str()))
        .collect();
    assert_eq!(answered[..2], [("layer", "nginx"), ("nginx-up", "yes")], "{answered:?}");
    let next = report.walk.next.expect("asks for the error log");
    assert!(next.expects.iter().any(|k| k == "nginx-error-log"), "{next:?}");
}

#[test]
fn answers_lead_to_a_cause_and_can_be_changed() {
    let report = engine::diagnose(&[], &answers(&[("layer", "cdn"), ("origin-errors", "no")]));
    assert_eq!(report.walk.conclusion, Some(Cause::OtherLayer502));
    assert_eq!(report.walk.steps.len(), 2);
    let changed = engine::diagnose(&[], &answers(&[("layer", "cdn"), ("origin-errors", "yes")]));
    assert_eq!(changed.walk.conclusion, None);
    assert_eq!(changed.walk.next.map(|q| q.id), Some("nginx-up".to_string()));
}

#[test]
fn evidence_answers_and_wins_over_a_contradicting_answer() {
    let log = "2026/11/21 10:00:00 [crit] 2211#2211: *4711 connect() to unix:/run/php/php8.3-fpm.sock failed (2: No such file or directory) while connecting to upstream, client: 203.0.113.7, server: example.com, request: \"GET / HTTP/1.1\", upstream: \"fastcgi://unix:/run/php/php8.3-fpm.sock:\", host: \"example.com\"";
    let report = engine::diagnose(&[Paste::new("error.log", log)], &answers(&[("layer", "cdn")]));
    let first = &report.walk.steps[0];
    assert_eq!(first.answer, "nginx");
    assert!(
        first.overrode.is_some(),
        "the trace says the evidence overrode the answer"
    );
    assert!(matches!(
        first.source,
        engine::tree::walk::Source::Evidence { line: 1, .. }
    ));
    // Every step the evidence answered quotes a line of the paste.
    assert!(
        report
            .walk
            .steps
            .iter()
            .all(|s| !matches!(s.source, engine::tree::walk::Source::Person))
    );
}

#[test]
fn a_request_can_be_skipped() {
    let base = [("layer", "nginx"), ("nginx-up", "yes")];
    let asked = engine::diagnose(&[], &answers(&base));
    assert_eq!(asked.walk.next.as_ref().map(|q| q.kind.as_str()), Some("request"));
    let mut skipped = base.to_vec();
    skipped.push(("paste-error-log", "skip"));
    let report = engine::diagnose(&[], &answers(&skipped));
    assert_eq!(report.walk.next.map(|q| q.id), Some("access-status".to_string()));
}

#[test]
fn the_walk_is_deterministic() {
    let a = engine::diagnose(
        &[Paste::new(
            "p",
            "connect() failed (111: Connection refused) while connecting to upstream, client: 1.2.3.4, server: a, request: \"GET / HTTP/1.1\", upstream: \"http://127.0.0.1:8000/\", host: \"a\"",
        )],
        &Answers::default(),
    );
    let b = engine::diagnose(
        &[Paste::new(
            "p",
            "connect() failed (111: Connection refused) while connecting to upstream, client: 1.2.3.4, server: a, request: \"GET / HTTP/1.1\", upstream: \"http://127.0.0.1:8000/\", host: \"a\"",
        )],
        &Answers::default(),
    );
    assert_eq!(a.walk, b.walk);
}

#[test]
fn a_finding_below_only_some_branches_leaves_the_question_to_the_person() {
    // No error line: curl is refused on the port proxy_pass dials while the app listens on the
    // next one. fastcgi-pass-mismatch lies below several answers of "what does the error line
    // say?" (a missing socket, a refusal...): the evidence picks none of them, so the walk asks
    // instead of claiming an error line nobody pasted.
    let text = "$ curl -v http://127.0.0.1:8000/health\n* connect to 127.0.0.1 port 8000 failed: Connection refused\ncurl: (7) Failed to connect to 127.0.0.1 port 8000 after 0 ms: Couldn't connect to server\n$ sudo ss -ltnp | grep python\nLISTEN 0      2048       127.0.0.1:8001      0.0.0.0:*    users:((\"uvicorn\",pid=5120,fd=7))\n$ grep proxy_pass /etc/nginx/sites-enabled/api\n        proxy_pass http://127.0.0.1:8000;\n";
    let report = engine::diagnose(&[Paste::new("t.txt", text)], &Answers::default());
    assert_eq!(report.findings[0].cause, Cause::FastcgiPassMismatch);
    assert_eq!(report.walk.conclusion, None);
    let next = report.walk.next.expect("a question");
    assert_eq!(next.id, "error-class");
    assert!(report.walk.steps.iter().all(|s| s.node != "error-class"));
}

//! Loading never panics, on arbitrary bytes and on arbitrary YAML trees: the stable-Rust share
//! of the fuzzing in `fuzz/` (which needs cargo-fuzz), bounded to run in a few seconds.
//!
//! On every input, loading either gives a flow whose edges all point at nodes, or problems
//! that render (spans inside the text); the same holds for the importers' JSON.

use flowcost::diagnostic::{FileProblem, LoadError, SourceFile};
use flowcost::flow::{parse_catalog_with, parse_flow_with, Flow};
use flowcost::import::{parse_any, ImportOptions};
use flowcost::limits::Limits;
use proptest::prelude::*;
use serde_yaml::{Mapping, Value};

/// Renders every problem as the binary does; a span past the text or inside a character
/// would panic here.
fn renders(e: &LoadError) {
    assert!(!e.problems.is_empty(), "an error with no problem");
    for p in &e.problems {
        if let Some(s) = p.span {
            assert!(s.offset + s.len <= e.file.text.len().max(1), "{p:?}");
        }
        let _ = format!(
            "{:?}",
            miette::Report::new(FileProblem::new(&e.file, p.clone()))
        );
    }
}

fn sound(flow: &Flow) {
    let n = flow.nodes.len();
    assert!(n > 0);
    for node in &flow.nodes {
        assert!(node.successors().iter().all(|&s| s < n), "{node:?}");
    }
}

fn check(text: &str) {
    let tight = Limits {
        nodes: 4,
        depth: 4,
        alias_nodes: 16,
        ..Limits::default()
    };
    for limits in [Limits::default(), tight] {
        let file = SourceFile::new("prop.yaml", text);
        match parse_flow_with(file.clone(), None, &limits) {
            Ok(flow) => sound(&flow),
            Err(e) => renders(&e),
        }
        if let Err(e) = parse_catalog_with(file, &limits) {
            renders(&e);
        }
    }
    match parse_any(
        SourceFile::new("prop.json", text),
        &ImportOptions::default(),
        None,
    ) {
        Ok(loaded) => sound(&loaded.flow),
        Err(e) => renders(&e),
    }
}

/// Words a flow is made of, so that random trees reach deep into the loader.
const WORDS: &[&str] = &[
    "flow",
    "kind",
    "trigger",
    "market",
    "templates",
    "nodes",
    "lint",
    "allow",
    "reason",
    "id",
    "type",
    "text",
    "next",
    "template",
    "category",
    "for",
    "timeout",
    "on_reply",
    "on_timeout",
    "branches",
    "to",
    "weight",
    "action",
    "status",
    "category_history",
    "since",
    "send_message",
    "send_update",
    "wait",
    "wait_for_reply",
    "split",
    "step",
    "end",
    "customer_message",
    "ad_click",
    "schedule",
    "marketing",
    "utility",
    "service",
    "authentication",
    "a",
    "b",
    "c",
    "30m",
    "24h",
    "1d12h",
    "-5m",
    "0s",
    "2026-10-01",
    "DE",
    "states",
    "initial_state",
    "spec_version",
    "uuid",
    "actions",
    "exits",
];

fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => proptest::sample::select(WORDS).prop_map(str::to_string),
        1 => "[a-z_]{0,6}",
        1 => any::<String>(),
    ]
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| Value::Number(n.into())),
        any::<f64>().prop_map(|f| Value::Number(f.into())),
        word().prop_map(Value::String),
    ]
}

fn tree() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(6, 64, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Sequence),
            proptest::collection::vec((word(), inner), 0..6).prop_map(|pairs| {
                Value::Mapping(
                    pairs
                        .into_iter()
                        .map(|(k, v)| (Value::String(k), v))
                        .collect::<Mapping>(),
                )
            }),
        ]
    })
}

/// A flow-shaped tree: the top-level keys and a list of nodes with keys from the format (and
/// misspellings), values random.
fn flowish() -> impl Strategy<Value = Value> {
    let node = proptest::collection::vec((word(), tree()), 0..6);
    (
        proptest::collection::vec((word(), tree()), 0..4),
        proptest::collection::vec(node, 0..6),
    )
        .prop_map(|(top, nodes)| {
            let mut m = Mapping::new();
            m.insert("flow".into(), "f".into());
            m.insert("trigger".into(), "customer_message".into());
            for (k, v) in top {
                m.insert(Value::String(k), v);
            }
            let nodes = nodes
                .into_iter()
                .map(|pairs| {
                    Value::Mapping(
                        pairs
                            .into_iter()
                            .map(|(k, v)| (Value::String(k), v))
                            .collect(),
                    )
                })
                .collect();
            m.insert("nodes".into(), Value::Sequence(nodes));
            Value::Mapping(m)
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        check(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn arbitrary_yaml_trees(value in tree()) {
        let text = serde_yaml::to_string(&value).expect("serialize");
        check(&text);
        // JSON is YAML too, and what the importers read.
        check(&serde_json::to_string(&value).unwrap_or_default());
    }

    #[test]
    fn flow_shaped_trees(value in flowish(), cut in 0usize..400) {
        let text = serde_yaml::to_string(&value).expect("serialize");
        check(&text);
        // A truncated file: an editor's half-saved buffer.
        let mut end = cut.min(text.len());
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        check(&text[..end]);
    }
}

/// A split with 50,000 branches loads, and fast: the loop check once listed a node's
/// successors at every step of its walk, quadratic in the branches (500,000 took minutes).
#[test]
fn a_very_wide_split_loads() {
    let mut text = String::from(
        "flow: wide\ntrigger: schedule\nnodes:\n  - id: s\n    type: split\n    branches:\n",
    );
    for _ in 0..50_000 {
        text.push_str("      - {to: e}\n");
    }
    text.push_str("  - {id: e, type: end}\n");
    let flow = flowcost::flow::parse_flow(SourceFile::new("wide.yaml", text), None).expect("loads");
    assert_eq!(flow.nodes[0].successors().len(), 50_000);
}

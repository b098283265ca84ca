//! Loading never panics, on arbitrary bytes and on arbitrary YAML trees: the stable-Rust share
//! of the fuzzing in `fuzz/` (which needs cargo-fuzz), bounded to run in a few seconds.
//!
//! On every input, loading either gives a flow whose edges all point at nodes, or problems
//! that render (spans inside the text); the same holds for the importers' JSON.

use flowcost::billing::PricingModel;
use flowcost::diagnostic::{FileProblem, LoadError, SourceFile};
use flowcost::flow::{parse_catalog_with, parse_flow_with, Flow};
use flowcost::import::{parse_any, ImportOptions};
use flowcost::limits::Limits;
use flowcost::simulate::{simulate, Options};
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

/// A line of a config or a rate card: right, nearly right, or noise.
fn settings_line() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("[rules]\n".to_string()),
        Just("[customer]\n".to_string()),
        Just("market,category,price_usd,unit\n".to_string()),
        Just("# effective_date: 2026-10-01\n".to_string()),
        "[a-z-]{1,12} = \"[a-z0-9.]{0,8}\"\n",
        "(reply-rate|retry-rate|max-visits|fail-on|templates) = [0-9.e+-]{1,8}\n",
        "[A-Z]{0,3},(marketing|utility|x),[0-9.e-]{0,8},(message|conversation|)\n",
        any::<String>().prop_map(|s| s + "\n"),
    ]
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

    /// `flowcost.toml` and a user's rate card from text that is almost right: the config
    /// parser and the card reader never panic, and their problems render.
    #[test]
    fn configs_and_rate_cards(lines in proptest::collection::vec(settings_line(), 0..12)) {
        let text = lines.concat();
        if let Err(e) = flowcost::lint::parse_config(SourceFile::new("flowcost.toml", text.as_str())) {
            renders(&e);
        }
        let mut book = flowcost::rates::RateBook::builtin().expect("built-in cards");
        if let Err(e) = book.add_card(SourceFile::new("card.csv", text.as_str()), true) {
            renders(&e);
        }
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

/// Values an export may hold where a number, a string or an object is expected: negative,
/// huge, fractional, non-numeric, numbers as strings, nulls, lists and objects.
fn hostile() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::json;
    prop_oneof![
        Just(json!(null)),
        Just(json!(-5)),
        Just(json!(0)),
        Just(json!(1)),
        Just(json!(3600)),
        Just(json!(i64::MAX)),
        Just(json!(i64::MIN)),
        Just(json!(u64::MAX)),
        Just(json!(1e308)),
        Just(json!(-0.5)),
        Just(json!("3600")),
        Just(json!("-1")),
        Just(json!("9999999999999999999999")),
        Just(json!("NaN")),
        Just(json!("soon")),
        Just(json!("")),
        Just(json!([])),
        Just(json!({})),
        Just(json!(true)),
        Just(json!("a")),
        Just(json!("b")),
        Just(json!("c")),
    ]
}

/// An object with `keys` (each present or not) holding hostile values.
fn object_of(keys: &'static [&'static str]) -> impl Strategy<Value = serde_json::Value> {
    proptest::collection::vec(proptest::option::of(hostile()), keys.len()).prop_map(move |vals| {
        let mut m = serde_json::Map::new();
        for (k, v) in keys.iter().zip(vals) {
            if let Some(v) = v {
                m.insert((*k).to_string(), v);
            }
        }
        serde_json::Value::Object(m)
    })
}

/// A reference to one of three nodes (`a`, `b`, `c`), a missing one, or nothing.
fn reference() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::json;
    prop_oneof![
        Just(json!("a")),
        Just(json!("b")),
        Just(json!("c")),
        Just(json!("zz")),
        Just(json!(null)),
        Just(json!(7)),
    ]
}

const GOFLOW_ACTIONS: &[&str] = &[
    "send_msg",
    "send_interactive_msg",
    "send_broadcast",
    "enter_flow",
    "wait_for_time",
    "set_contact_field",
    "call_webhook",
    "add_contact_groups",
    "send_email",
    "set_run_result",
    "unknown_action",
];
const LEGACY_ACTIONS: &[&str] = &[
    "reply",
    "send",
    "flow",
    "add_group",
    "email",
    "save",
    "api",
    "lang",
    "mystery",
];
const LEGACY_RULESETS: &[&str] = &[
    "wait_message",
    "wait_digits",
    "wait_recording",
    "subflow",
    "webhook",
    "resthook",
    "airtime",
    "random",
    "expression",
    "flow_field",
    "contact_field",
    "mystery",
];
const STUDIO_WIDGETS: &[&str] = &[
    "trigger",
    "send-message",
    "send-and-wait-for-reply",
    "split-based-on",
    "gather-input-on-call",
    "run-subflow",
    "send-to-flex",
    "say-play",
    "run-function",
    "InitialState",
    "Message",
    "Gather",
    "Branch",
    "mystery",
];
const STUDIO_EVENTS: &[&str] = &[
    "incomingMessage",
    "incomingConversationMessage",
    "incomingRequest",
    "incomingCall",
    "sent",
    "failed",
    "incomingMessage",
    "timeout",
    "keypress",
    "match",
    "noMatch",
    "next",
];

/// A goflow flow: three nodes `a`, `b`, `c` with actions of every type and a router, every
/// value hostile or a reference.
fn goflow_flow() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::json;
    let action = (
        proptest::sample::select(GOFLOW_ACTIONS),
        object_of(&["text", "delay", "uuid", "name"]),
        proptest::option::of(object_of(&["uuid", "name"])),
    )
        .prop_map(|(t, mut a, template)| {
            a["type"] = json!(t);
            if let Some(tpl) = template {
                a["templating"] = json!({ "template": tpl });
                a["flow"] = json!({ "uuid": "f", "name": "self" });
            }
            a
        });
    let router = (
        prop_oneof![Just("switch"), Just("random"), Just("other")],
        proptest::option::of(prop_oneof![Just("msg"), Just("dial"), Just("x")]),
        hostile(),
        proptest::collection::vec((hostile(), reference()), 0..4),
    )
        .prop_map(|(t, wait, seconds, cats)| {
            let categories: Vec<_> = cats
                .iter()
                .enumerate()
                .map(|(i, (name, _))| json!({ "uuid": format!("k{i}"), "name": name, "exit_uuid": format!("e{i}") }))
                .collect();
            let mut r = json!({ "type": t, "categories": categories });
            if let Some(w) = wait {
                r["wait"] = json!({ "type": w, "timeout": { "seconds": seconds, "category_uuid": "k0" } });
            }
            r
        });
    let node = (
        proptest::collection::vec(action, 0..3),
        proptest::option::of(router),
        proptest::collection::vec(reference(), 0..4),
    );
    (proptest::collection::vec(node, 1..4), hostile()).prop_map(|(nodes, expire)| {
        let ids = ["a", "b", "c"];
        let nodes: Vec<_> = nodes
            .into_iter()
            .enumerate()
            .map(|(i, (actions, router, exits))| {
                let exits: Vec<_> = exits
                    .iter()
                    .enumerate()
                    .map(|(j, d)| json!({ "uuid": format!("e{j}"), "destination_uuid": d }))
                    .collect();
                let mut n = json!({ "uuid": ids[i], "actions": actions, "exits": exits });
                if let Some(r) = router {
                    n["router"] = r;
                }
                n
            })
            .collect();
        json!({ "version": "13", "flows": [{ "uuid": "f", "name": "self", "spec_version": "13.1.0",
            "expire_after_minutes": expire, "nodes": nodes }] })
    })
}

/// A legacy RapidPro flow: action sets and rule sets of every type.
fn legacy_flow() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::json;
    let action = (
        proptest::sample::select(LEGACY_ACTIONS),
        object_of(&["msg", "flow", "contacts"]),
    )
        .prop_map(|(t, mut a)| {
            a["type"] = json!(t);
            a
        });
    let action_set = (proptest::collection::vec(action, 0..3), reference())
        .prop_map(|(actions, dest)| json!({ "actions": actions, "destination": dest }));
    let rule = (hostile(), reference(), hostile())
        .prop_map(|(t, dest, test)| json!({ "uuid": "r", "destination": dest, "test": { "type": t, "minutes": test } }));
    let rule_set = (
        proptest::sample::select(LEGACY_RULESETS),
        proptest::collection::vec(rule, 0..4),
    )
        .prop_map(|(t, rules)| json!({ "ruleset_type": t, "rules": rules }));
    (
        proptest::collection::vec(action_set, 0..3),
        proptest::collection::vec(rule_set, 0..3),
        hostile(),
        hostile(),
    )
        .prop_map(|(sets, rules, entry, expires)| {
            let ids = ["a", "b", "c", "d", "e", "f"];
            let mut i = 0;
            let mut named = |mut v: serde_json::Value| {
                v["uuid"] = json!(ids[i % ids.len()]);
                i += 1;
                v
            };
            let sets: Vec<_> = sets.into_iter().map(&mut named).collect();
            let rules: Vec<_> = rules.into_iter().map(&mut named).collect();
            json!({ "version": 10, "flows": [{ "entry": entry, "action_sets": sets, "rule_sets": rules,
                "metadata": { "name": "legacy", "uuid": "f", "expires": expires } }] })
        })
}

/// A Studio flow: states of every widget type (current and early format) with hostile
/// properties and transitions.
fn studio_flow() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::json;
    let transition = (proptest::sample::select(STUDIO_EVENTS), reference())
        .prop_map(|(e, next)| json!({ "event": e, "next": next }));
    let state = (
        proptest::sample::select(STUDIO_WIDGETS),
        object_of(&["timeout", "body", "to", "content_sid", "flow_sid"]),
        proptest::collection::vec(transition, 0..4),
        hostile(),
    )
        .prop_map(|(t, props, transitions, sid)| {
            json!({ "type": t, "properties": props, "transitions": transitions, "sid": sid })
        });
    let trigger = (
        prop_oneof![Just("trigger"), Just("InitialState")],
        prop_oneof![
            Just("incomingMessage"),
            Just("incomingRequest"),
            Just("incomingCall")
        ],
        reference(),
    )
        .prop_map(|(t, event, next)| {
            json!({ "name": "start", "type": t, "properties": {}, "transitions": [{ "event": event, "next": next }] })
        });
    (
        proptest::option::weighted(0.9, trigger),
        proptest::collection::vec(state, 1..5),
        hostile(),
    )
        .prop_map(|(trigger, states, initial)| {
            let names = ["a", "b", "c", "d", "e"];
            let states: Vec<_> = trigger
                .into_iter()
                .chain(states.into_iter().enumerate().map(|(i, mut s)| {
                    s["name"] = json!(names[i]);
                    s
                }))
                .collect();
            json!({ "description": "studio", "initial_state": initial, "states": states })
        })
}

/// Each importer on exports of its own shape whose values are hostile: converted with no
/// dangling edge, or refused with problems that render. Some of each format must convert and
/// some be refused, or the shapes do not reach the converters.
#[test]
fn imports_of_every_shape_with_hostile_values() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let shapes: [(&str, BoxedStrategy<serde_json::Value>); 3] = [
        ("goflow", goflow_flow().boxed()),
        ("legacy", legacy_flow().boxed()),
        ("studio", studio_flow().boxed()),
    ];
    for (name, shape) in shapes {
        let mut runner = TestRunner::deterministic();
        let (mut converted, mut refused) = (0, 0);
        for _ in 0..400 {
            let value = shape.new_tree(&mut runner).expect("a value").current();
            let text = serde_json::to_string_pretty(&value).unwrap_or_default();
            check(&text);
            match parse_any(
                SourceFile::new("prop.json", text),
                &ImportOptions::default(),
                None,
            ) {
                Ok(loaded) => {
                    converted += 1;
                    // Whatever the values, simulating gives figures or an error.
                    let at = "2026-11-02T10:00:00Z".parse().expect("a date");
                    let options = Options::new(at, PricingModel::Pmp2026_10);
                    let _ = simulate(&loaded.flow, &options);
                }
                Err(_) => refused += 1,
            }
        }
        assert!(
            converted >= 20 && refused >= 20,
            "{name}: {converted} converted, {refused} refused"
        );
    }
}

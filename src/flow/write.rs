//! [`Flow`] → flowcost YAML that loads back to the same flow (what `flowcost import` writes).
//!
//! Every edge is written explicitly (`next`, `on_reply`, `on_timeout`), so the output does not
//! depend on node order beyond the start node coming first; only the templates the flow sends
//! are written, so the file stands alone.

use super::{Flow, FlowKind, NodeKind, Template, Trigger};
use crate::time::format_duration;
use serde_yaml::{Mapping, Value};
use std::collections::BTreeSet;

fn s(text: &str) -> Value {
    Value::String(text.to_string())
}

fn kind_name(k: FlowKind) -> &'static str {
    match k {
        FlowKind::Journey => FlowKind::NAMES[0],
        FlowKind::OptIn => FlowKind::NAMES[1],
        FlowKind::PostPurchase => FlowKind::NAMES[2],
        FlowKind::Campaign => FlowKind::NAMES[3],
    }
}

/// The `trigger:` name of a trigger.
pub fn trigger_name(t: Trigger) -> &'static str {
    match t {
        Trigger::CustomerMessage => Trigger::NAMES[0],
        Trigger::AdClick => Trigger::NAMES[1],
        Trigger::BusinessEvent => Trigger::NAMES[2],
        Trigger::Schedule => Trigger::NAMES[3],
    }
}

fn template(t: &Template) -> Value {
    let mut m = Mapping::new();
    m.insert(s("category"), s(t.category.name()));
    if let Some(status) = t.status {
        let names = super::TemplateStatus::NAMES;
        let i = [
            super::TemplateStatus::Approved,
            super::TemplateStatus::Pending,
            super::TemplateStatus::Rejected,
            super::TemplateStatus::Paused,
            super::TemplateStatus::Disabled,
        ]
        .iter()
        .position(|x| *x == status)
        .unwrap_or(0);
        m.insert(s("status"), s(names[i]));
    }
    for (key, value) in [
        ("text", &t.text),
        ("uuid", &t.uuid),
        ("content_sid", &t.content_sid),
    ] {
        if let Some(v) = value {
            m.insert(s(key), s(v));
        }
    }
    if !t.history.is_empty() {
        let entries = t
            .history
            .iter()
            .map(|r| {
                let mut e = Mapping::new();
                e.insert(s("since"), s(&r.since.to_string()));
                e.insert(s("category"), s(r.category.name()));
                Value::Mapping(e)
            })
            .collect();
        m.insert(s("category_history"), Value::Sequence(entries));
    }
    Value::Mapping(m)
}

/// The flow as flowcost YAML.
pub fn to_yaml(flow: &Flow) -> String {
    let id = |i: usize| s(&flow.nodes[i].id);
    let mut top = Mapping::new();
    top.insert(s("flow"), s(&flow.name));
    top.insert(s("kind"), s(kind_name(flow.kind)));
    if let Some(d) = &flow.description {
        top.insert(s("description"), s(d));
    }
    top.insert(s("trigger"), s(trigger_name(flow.trigger)));
    if let Some(m) = &flow.market {
        top.insert(s("market"), s(m));
    }
    let used: BTreeSet<&str> = flow
        .nodes
        .iter()
        .filter_map(|n| match &n.kind {
            NodeKind::SendUpdate {
                template: Some(t), ..
            } => Some(t.as_str()),
            _ => None,
        })
        .collect();
    if !used.is_empty() {
        let mut templates = Mapping::new();
        for name in used {
            if let Some(t) = flow.templates.get(name) {
                templates.insert(s(name), template(t));
            }
        }
        top.insert(s("templates"), Value::Mapping(templates));
    }
    let mut nodes = Vec::with_capacity(flow.nodes.len());
    for node in &flow.nodes {
        let mut m = Mapping::new();
        m.insert(s("id"), s(&node.id));
        m.insert(s("type"), s(node.kind.type_name()));
        let mut with_next = true;
        match &node.kind {
            NodeKind::SendMessage { text } => {
                if let Some(t) = text {
                    m.insert(s("text"), s(t));
                }
            }
            NodeKind::SendUpdate {
                template,
                category,
                uncategorised,
            } => {
                if let Some(t) = template {
                    m.insert(s("template"), s(t));
                }
                if let Some(c) = category {
                    m.insert(s("category"), s(c.name()));
                } else if *uncategorised {
                    m.insert(s("category"), s(crate::flow::UNKNOWN));
                }
            }
            NodeKind::Wait { duration } => {
                m.insert(s("for"), s(&format_duration(*duration)));
            }
            NodeKind::WaitForReply {
                timeout,
                on_reply,
                on_timeout,
            } => {
                with_next = false;
                m.insert(s("timeout"), s(&format_duration(*timeout)));
                if let Some(r) = on_reply {
                    m.insert(s("on_reply"), id(*r));
                }
                if let Some(t) = on_timeout {
                    m.insert(s("on_timeout"), id(*t));
                }
            }
            NodeKind::Split { branches, guessed } => {
                with_next = false;
                // Guessed shares are written without weights, so that they load back as guesses.
                let list = branches
                    .iter()
                    .map(|b| {
                        let mut e = Mapping::new();
                        e.insert(s("to"), id(b.to));
                        if !guessed {
                            e.insert(s("weight"), Value::from(b.weight));
                        }
                        Value::Mapping(e)
                    })
                    .collect();
                m.insert(s("branches"), Value::Sequence(list));
            }
            NodeKind::Step { action } => {
                if let Some(a) = action {
                    m.insert(s("action"), s(a));
                }
            }
            NodeKind::End => with_next = false,
        }
        if with_next {
            if let Some(n) = node.next {
                m.insert(s("next"), id(n));
            }
        }
        nodes.push(Value::Mapping(m));
    }
    top.insert(s("nodes"), Value::Sequence(nodes));
    serde_yaml::to_string(&Value::Mapping(top)).unwrap_or_default()
}

//! The flow as a graph: Mermaid (renders on GitHub inside a ```mermaid block) and Graphviz DOT.
//!
//! Each node shows its id, type and category and is colored by category; waits show their
//! duration; split edges show each branch's written share (or `guess`, or `re-ask` for a
//! branch back into a loop), reply waits label their two edges.

use super::category_colors;
use crate::billing::Category;
use crate::flow::{Flow, Node, NodeKind};
use crate::time::format_duration;
use chrono::NaiveDate;
use std::fmt::Write;

/// The category a node sends on `date`: service for free-form messages, the template's for
/// templates; `None` for nodes that send nothing.
fn node_category(flow: &Flow, node: &Node, date: NaiveDate) -> Option<Category> {
    match node.kind {
        NodeKind::SendMessage { .. } => Some(Category::Service),
        NodeKind::SendUpdate { .. } => flow.update_category(node, date),
        _ => None,
    }
}

/// The lines of a node's label: id, type · category, and a detail.
fn label_lines(flow: &Flow, node: &Node, date: NaiveDate) -> Vec<String> {
    let mut kind = node.kind.type_name().to_string();
    if let Some(c) = node_category(flow, node, date) {
        kind = format!("{kind} · {c}");
    } else if flow.uncategorised(node) {
        kind = format!("{kind} · category unknown");
    }
    let mut lines = vec![node.id.clone(), kind];
    match &node.kind {
        NodeKind::SendUpdate {
            template: Some(t), ..
        } => lines.push(format!("template {t}")),
        NodeKind::Wait { duration } => lines.push(format!("for {}", format_duration(*duration))),
        NodeKind::WaitForReply { timeout, .. } => {
            lines.push(format!("timeout {}", format_duration(*timeout)))
        }
        NodeKind::Step {
            action: Some(a), ..
        } => lines.push(a.clone()),
        _ => {}
    }
    lines
}

/// Every edge of the flow: (from, to, label). Written weights show as shares; the branches of
/// a split whose shares are guesses show as `guess`, or as `re-ask` where they lead back into
/// the loop the split is on (the customer model gives those the retry rate).
fn edges(flow: &Flow) -> Vec<(usize, usize, Option<String>)> {
    let loops = crate::simulate::Loops::new(flow);
    let mut out = Vec::new();
    for (i, node) in flow.nodes.iter().enumerate() {
        match &node.kind {
            NodeKind::Split {
                branches,
                guessed: true,
            } => {
                let no = vec![false; branches.len()];
                let back = loops.back(i).unwrap_or(&no);
                let some_back = back.iter().any(|b| *b) && !back.iter().all(|b| *b);
                for (b, is_back) in branches.iter().zip(back) {
                    let label = if some_back && *is_back {
                        "re-ask"
                    } else {
                        "guess"
                    };
                    out.push((i, b.to, Some(label.to_string())));
                }
            }
            NodeKind::Split { branches, .. } => {
                let total: f64 = branches.iter().map(|b| b.weight).sum();
                for b in branches {
                    out.push((i, b.to, Some(share(b.weight / total))));
                }
            }
            NodeKind::WaitForReply {
                on_reply,
                on_timeout,
                ..
            } => {
                if let Some(to) = on_reply {
                    out.push((i, *to, Some("reply".to_string())));
                }
                if let Some(to) = on_timeout {
                    out.push((i, *to, Some("no reply".to_string())));
                }
            }
            NodeKind::End => {}
            _ => out.extend(node.next.map(|to| (i, to, None))),
        }
    }
    out
}

/// A branch share as a percentage: `70%`, `33.3%`.
fn share(p: f64) -> String {
    let v = p * 100.0;
    if (v - v.round()).abs() < 0.05 {
        format!("{v:.0}%")
    } else {
        format!("{v:.1}%")
    }
}

fn class_name(c: Option<Category>) -> &'static str {
    c.map_or("control", Category::name)
}

/// Text inside a quoted Mermaid label: entity codes for what Mermaid would read as syntax.
fn mermaid_text(s: &str) -> String {
    crate::text::printable(s)
        .replace('#', "#35;")
        .replace('"', "#quot;")
        .replace('<', "#lt;")
        .replace('>', "#gt;")
}

/// The flow as a Mermaid flowchart. Node ids are `n0`, `n1`… (flow ids such as `end` are
/// Mermaid keywords), and the flow's ids are in the labels.
pub fn mermaid(flow: &Flow, date: NaiveDate) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "---\ntitle: {}\n---", yaml_quoted(&flow.name));
    let _ = writeln!(out, "flowchart TD");
    let trigger = flow.trigger.name();
    let _ = writeln!(out, "  start([\"trigger: {trigger}\"]):::trigger --> n0");
    for (i, node) in flow.nodes.iter().enumerate() {
        let text = label_lines(flow, node, date)
            .iter()
            .map(|l| mermaid_text(l))
            .collect::<Vec<_>>()
            .join("<br/>");
        let (open, close) = match node.kind {
            NodeKind::SendMessage { .. } | NodeKind::SendUpdate { .. } => ("[", "]"),
            NodeKind::Wait { .. } => ("([", "])"),
            NodeKind::WaitForReply { .. } => ("{{", "}}"),
            NodeKind::Split { .. } => ("{", "}"),
            NodeKind::Step { .. } => ("[/", "/]"),
            NodeKind::End => ("((", "))"),
        };
        let class = class_name(node_category(flow, node, date));
        let _ = writeln!(out, "  n{i}{open}\"{text}\"{close}:::{class}");
    }
    for (from, to, label) in edges(flow) {
        match label {
            Some(l) => writeln!(out, "  n{from} -->|\"{}\"| n{to}", mermaid_text(&l)),
            None => writeln!(out, "  n{from} --> n{to}"),
        }
        .unwrap_or_default();
    }
    for c in Category::ALL.map(Some).into_iter().chain([None]) {
        let (strong, light) = category_colors(c);
        let _ = writeln!(
            out,
            "  classDef {} fill:{light},stroke:{strong},color:#1a1a1a",
            class_name(c)
        );
    }
    let _ = writeln!(
        out,
        "  classDef trigger fill:#ffffff,stroke:#495057,color:#1a1a1a,stroke-dasharray:4 3"
    );
    out
}

/// Text inside a quoted DOT string.
fn dot_text(s: &str) -> String {
    crate::text::printable(s)
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
}

/// A YAML double-quoted string for Mermaid's front matter: a name cannot end the value,
/// start a new key (`config:`) or break the block (`a: b`, `[x`, a line break).
fn yaml_quoted(s: &str) -> String {
    let text = crate::text::printable(s)
        .replace('\\', "\\\\")
        .replace('"', "\\\"");
    format!("\"{text}\"")
}

/// The flow as a Graphviz digraph (`dot -Tsvg`).
pub fn dot(flow: &Flow, date: NaiveDate) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "digraph \"{}\" {{", dot_text(&flow.name));
    let _ = writeln!(out, "  rankdir=TB;");
    let _ = writeln!(
        out,
        "  node [fontname=\"Helvetica\", fontsize=11, style=\"filled\"];"
    );
    let _ = writeln!(out, "  edge [fontname=\"Helvetica\", fontsize=10];");
    let _ = writeln!(
        out,
        "  start [label=\"trigger: {}\", shape=box, style=\"rounded,dashed\"];",
        flow.trigger.name()
    );
    let _ = writeln!(out, "  start -> n0;");
    for (i, node) in flow.nodes.iter().enumerate() {
        let text = label_lines(flow, node, date)
            .iter()
            .map(|l| dot_text(l))
            .collect::<Vec<_>>()
            .join("\\n");
        let (shape, style) = match node.kind {
            NodeKind::SendMessage { .. } | NodeKind::SendUpdate { .. } => ("box", "filled"),
            NodeKind::Wait { .. } => ("box", "rounded,filled"),
            NodeKind::WaitForReply { .. } => ("hexagon", "filled"),
            NodeKind::Split { .. } => ("diamond", "filled"),
            NodeKind::Step { .. } => ("parallelogram", "filled"),
            NodeKind::End => ("doublecircle", "filled"),
        };
        let (strong, light) = category_colors(node_category(flow, node, date));
        let _ = writeln!(
            out,
            "  n{i} [label=\"{text}\", shape=\"{shape}\", style=\"{style}\", fillcolor=\"{light}\", color=\"{strong}\"];"
        );
    }
    for (from, to, label) in edges(flow) {
        match label {
            Some(l) => writeln!(out, "  n{from} -> n{to} [label=\"{}\"];", dot_text(&l)),
            None => writeln!(out, "  n{from} -> n{to};"),
        }
        .unwrap_or_default();
    }
    out.push_str("}\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::SourceFile;
    use crate::flow::parse_flow;

    const FLOW: &str = r#"flow: "q\"uote"
trigger: business_event
templates: { offer: marketing }
nodes:
  - { id: end, type: send_update, template: offer }
  - { id: ab, type: split, branches: [{ to: x, weight: 2 }, { to: y, weight: 1 }] }
  - { id: x, type: send_message, text: hi, next: y }
  - { id: y, type: end }
"#;

    fn flow() -> Flow {
        parse_flow(SourceFile::new("t.yaml", FLOW), None).unwrap()
    }

    #[test]
    fn names_cannot_inject_mermaid_or_break_dot() {
        let mut f = flow();
        f.name = "a: b\nconfig:\n  theme: dark\u{1b}[2J [x \0".into();
        let date = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let m = mermaid(&f, date);
        let front: Vec<&str> = m.lines().take(3).collect();
        assert_eq!(front[0], "---");
        assert_eq!(
            front[1],
            "title: \"a: b\\\\u000aconfig:\\\\u000a  theme: dark\\\\u001b[2J [x \\\\u0000\""
        );
        assert_eq!(front[2], "---");
        let d = dot(&f, date);
        assert!(!d.contains('\0') && !d.contains('\u{1b}'), "{d}");
        assert!(d.starts_with("digraph \"a: b\\\\u000aconfig:"), "{d}");
    }

    #[test]
    fn mermaid_uses_safe_ids_shares_and_categories() {
        let m = mermaid(&flow(), NaiveDate::from_ymd_opt(2026, 1, 1).unwrap());
        assert!(
            m.contains("n0[\"end<br/>send_update · marketing<br/>template offer\"]:::marketing")
        );
        assert!(m.contains("n1 -->|\"66.7%\"| n2"));
        assert!(m.contains("n1 -->|\"33.3%\"| n3"));
        assert!(m.contains("n2[\"x<br/>send_message · service\"]:::service"));
        assert!(m.contains("title: \"q\\\"uote\""));
    }

    #[test]
    fn dot_escapes_quotes() {
        let d = dot(&flow(), NaiveDate::from_ymd_opt(2026, 1, 1).unwrap());
        assert!(d.starts_with("digraph \"q\\\"uote\" {"));
        assert!(d.contains("n3 [label=\"y\\nend\", shape=\"doublecircle\", style=\"filled\""));
    }
}

use super::{declare_rule, impl_rule, Context, Finding};
use crate::flow::NodeKind;

declare_rule! {
    /// ## What it does
    /// Finds templates in the flow's own `templates:` that no node sends.
    ///
    /// ## Why is this bad?
    /// An unused entry is usually a node that names the wrong template, or a leftover whose
    /// category and status nobody keeps up to date.
    ///
    /// ## Example
    /// ```yaml
    /// templates:
    ///   spring_sale: { category: marketing }   # no send_update uses it
    /// ```
    ///
    /// ## How to fix
    /// Send it from a `send_update` node, or remove it.
    pub struct UnusedTemplate { code: "FC013", name: "unused-template", default: Warning }
}
impl_rule!(UnusedTemplate, check);

fn check(cx: &Context, out: &mut Vec<Finding>) {
    for name in cx.flow.templates.keys() {
        // Only the flow's own entries: a shared catalog serves many flows.
        let Some(entry) = cx.flow.spans.get(&format!("templates.{name}")) else {
            continue;
        };
        let used = cx.flow.nodes.iter().any(
            |n| matches!(&n.kind, NodeKind::SendUpdate { template: Some(t), .. } if t == name),
        );
        if !used {
            out.push(
                Finding::new(
                    &UnusedTemplate::META,
                    None,
                    format!("template `{name}` is never sent"),
                )
                .at(entry.key.or(Some(entry.value)), "unused")
                .help("send it from a `send_update` node, or remove it"),
            );
        }
    }
}

use super::util::node_id;
use super::{declare_rule, impl_rule, Context, Finding};

declare_rule! {
    /// ## What it does
    /// Finds nodes that no path from the start node (the first node) can reach.
    ///
    /// ## Why is this bad?
    /// An unreachable node never runs: a message the author meant to send is never sent, and
    /// its cost is missing from every estimate. It is usually a missing `next` or branch.
    ///
    /// ## Example
    /// ```yaml
    /// - { id: greet, type: send_message, next: done }
    /// - { id: offer, type: send_update, category: marketing }   # nothing leads here
    /// - { id: done, type: end }
    /// ```
    ///
    /// ## How to fix
    /// Lead to it with a `next`, a split branch or `on_reply`/`on_timeout`; or remove it.
    pub struct UnreachableNode { code: "FC008", name: "unreachable-node", default: Warning }
}
impl_rule!(UnreachableNode, check);

fn check(cx: &Context, out: &mut Vec<Finding>) {
    let nodes = &cx.flow.nodes;
    for (i, reached) in cx.flow.reachable().iter().enumerate() {
        if !reached {
            out.push(
                Finding::new(&UnreachableNode::META, Some(i), format!("`{}` is never reached from the start node `{}`", nodes[i].id, nodes[0].id))
                    .at(node_id(cx.flow, i), "unreachable")
                    .help("lead to it with `next`, a split branch or `on_reply`/`on_timeout`, or remove it"),
            );
        }
    }
}

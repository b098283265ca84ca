use super::util::{node_id, route};
use super::{declare_rule, impl_rule, Context, Finding};
use crate::simulate::PathEnd;

declare_rule! {
    /// ## What it does
    /// Finds paths that stop without reaching an `end` node: the last node has no `next` and
    /// nothing below it.
    ///
    /// ## Why is this bad?
    /// A path that just stops usually means a forgotten `next` or branch target; the flow does
    /// less than its author thinks, and its cost estimate with it.
    ///
    /// ## Example
    /// ```yaml
    /// - { id: ask, type: wait_for_reply, timeout: 1d, on_reply: thanks }   # the timeout falls off the end
    /// - { id: thanks, type: send_message, text: Great! }
    /// ```
    ///
    /// ## How to fix
    /// End the path explicitly with an `end` node (`next: done`).
    pub struct DeadEnd { code: "FC009", name: "dead-end", default: Warning }
}
impl_rule!(DeadEnd, check);

fn check(cx: &Context, out: &mut Vec<Finding>) {
    for (i, path) in cx.simulation.paths.iter().enumerate() {
        if path.end != PathEnd::DeadEnd {
            continue;
        }
        let Some(&last) = path.route.last() else {
            continue;
        };
        out.push(
            Finding::new(
                &DeadEnd::META,
                Some(last),
                format!(
                    "path {} ({}) stops after `{}` without reaching an `end` node",
                    i + 1,
                    route(cx.flow, &path.route),
                    cx.flow.nodes[last].id
                ),
            )
            .at(node_id(cx.flow, last), "the path stops here")
            .help(
                "end the path explicitly: add an `end` node and point `next` (or the branch) at it",
            ),
        );
    }
}

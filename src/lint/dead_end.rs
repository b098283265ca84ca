use super::paths::Example;
use super::util::node_id;
use super::{declare_rule, impl_rule, Context, Finding};
use crate::simulate::{StepView, NO_NODE};

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

/// Nothing to check on the flow alone: the rule watches paths ([`watch`]).
fn check(_: &Context, _: &mut Vec<Finding>) {}

/// Labels a step that leads nowhere.
pub(super) fn watch(s: &StepView) -> Option<(u32, u32)> {
    s.mv.to.is_none().then_some((s.node as u32, NO_NODE))
}

/// The finding on the node the paths stop after.
pub(super) fn describe(cx: &Context, ex: &Example) -> Option<Finding> {
    let last = ex.label.node as usize;
    Some(
        Finding::new(
            &DeadEnd::META,
            Some(last),
            format!(
                "paths stop after `{}` without reaching an `end` node",
                cx.flow.nodes[last].id
            ),
        )
        .at(node_id(cx.flow, last), "the path stops here")
        .help("end the path explicitly: add an `end` node and point `next` (or the branch) at it"),
    )
}

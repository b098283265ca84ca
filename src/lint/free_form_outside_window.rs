use super::paths::Example;
use super::util::node_id;
use super::{declare_rule, impl_rule, Context, Finding};
use crate::report::undeliverable_reason;
use crate::simulate::{StepView, NO_NODE};

declare_rule! {
    /// ## What it does
    /// Finds `send_message` (free-form) nodes that some path reaches while no customer service
    /// window is open: the flow started without a customer message, or a wait pushed the send
    /// more than 24 h past the customer's last message.
    ///
    /// ## Why is this bad?
    /// Free-form messages are deliverable only inside the 24-hour customer service window that
    /// the customer's own message opens; outside it WhatsApp refuses them, and only templates
    /// ("Send update" nodes) can be sent (docs/billing.md rule 11). The customer never sees the
    /// message.
    ///
    /// ## Example
    /// ```yaml
    /// trigger: business_event
    /// nodes:
    ///   - { id: follow_up, type: send_message, text: Any questions? }
    /// ```
    ///
    /// ## How to fix
    /// Send a template (`send_update`) instead, or send the message while the window is open.
    pub struct FreeFormOutsideWindow { code: "FC002", name: "free-form-outside-window", default: Error }
}
impl_rule!(FreeFormOutsideWindow, check);

/// Nothing to check on the flow alone: the rule watches paths ([`watch`]).
fn check(_: &Context, _: &mut Vec<Finding>) {}

/// Labels a free-form send that would be refused.
pub(super) fn watch(s: &StepView) -> Option<(u32, u32)> {
    s.applied
        .is_some_and(|a| a.undeliverable)
        .then_some((s.node as u32, NO_NODE))
}

/// The finding, with why the example path's window was closed.
pub(super) fn describe(cx: &Context, ex: &Example) -> Option<Finding> {
    let node = ex.label.node as usize;
    let event = ex.event()?;
    Some(
        Finding::new(
            &FreeFormOutsideWindow::META,
            Some(node),
            format!(
                "free-form message `{}` would be refused: {}",
                cx.flow.nodes[node].id,
                undeliverable_reason(ex.path, event)
            ),
        )
        .at(
            node_id(cx.flow, node),
            "outside the customer service window",
        )
        .help("send a template (send_update) here, or send it while the customer's window is open"),
    )
}

use super::util::{node_id, route};
use super::{declare_rule, impl_rule, Context, Finding};
use crate::report::undeliverable_reason;

declare_rule! {
    /// ## What it does
    /// Finds `send_message` (free-form) nodes that some path reaches while no customer service
    /// window is open: the flow started without a customer message, or a wait pushed the send
    /// more than 24 h past the customer's last message.
    ///
    /// ## Why is this bad?
    /// Free-form messages are deliverable only inside the 24-hour customer service window that
    /// the customer's own message opens; outside it WhatsApp refuses them (seed: "If you are
    /// outside the window, you can only send update template messages"). The customer never
    /// sees the message.
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

fn check(cx: &Context, out: &mut Vec<Finding>) {
    for (i, path) in cx.simulation.paths.iter().enumerate() {
        for e in path.bill.undeliverable() {
            let Some(node) = path.event_nodes[e] else {
                continue;
            };
            out.push(
                Finding::new(
                    &FreeFormOutsideWindow::META,
                    Some(node),
                    format!(
                        "free-form message `{}` would be refused on path {} ({}): {}",
                        cx.flow.nodes[node].id,
                        i + 1,
                        route(cx.flow, &path.route),
                        undeliverable_reason(path, e)
                    ),
                )
                .at(node_id(cx.flow, node), "outside the customer service window")
                .help("send a template (send_update) here, or send it while the customer's window is open"),
            );
        }
    }
}

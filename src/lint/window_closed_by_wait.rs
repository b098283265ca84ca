use super::util::{node_id, route};
use super::{declare_rule, impl_rule, Context, Finding};
use crate::billing::{EventKind, WINDOW};
use crate::flow::NodeKind;
use crate::simulate::Outcome;
use crate::time::format_duration;

declare_rule! {
    /// ## What it does
    /// Points at the `wait` (or the reply timeout) that pushes a later `send_message` past the
    /// end of the customer service window: the same finding as `free-form-outside-window`, seen
    /// from its cause, with how much shorter the wait would have to be.
    ///
    /// ## Why is this bad?
    /// The window closes 24 h after the customer's last message; a free-form message after
    /// that is refused.
    ///
    /// ## Example
    /// ```yaml
    /// trigger: customer_message
    /// nodes:
    ///   - { id: pause, type: wait, for: 25h }
    ///   - { id: late, type: send_message, text: Still there? }
    /// ```
    ///
    /// ## How to fix
    /// Shorten the wait by more than the amount given, or send a template after it.
    pub struct WindowClosedByWait { code: "FC003", name: "window-closed-by-wait", default: Warning }
}
impl_rule!(WindowClosedByWait, check);

fn check(cx: &Context, out: &mut Vec<Finding>) {
    let flow = cx.flow;
    for (p, path) in cx.simulation.paths.iter().enumerate() {
        for e in path.bill.undeliverable() {
            let Some(send) = path.event_nodes[e] else {
                continue;
            };
            let at = path.events[e].at;
            let Some(customer) = path.events[..e]
                .iter()
                .rev()
                .find(|ev| matches!(ev.kind, EventKind::CustomerMessage(_)))
                .map(|ev| ev.at)
            else {
                continue; // never opened: nothing to shorten
            };
            // The occurrence of the send on the route that produced event `e`.
            let occurrence = path.event_nodes[..e]
                .iter()
                .filter(|n| **n == Some(send))
                .count();
            let Some(pos) = path
                .route
                .iter()
                .enumerate()
                .filter(|(_, n)| **n == send)
                .nth(occurrence)
                .map(|(i, _)| i)
            else {
                continue;
            };
            // Reply waits on the route, in order, match the path's assumptions.
            let mut outcomes = path.assumptions.iter();
            let mut culprit = None;
            for (i, &n) in path.route[..pos].iter().enumerate() {
                match flow.nodes[n].kind {
                    NodeKind::Wait { .. } => culprit = Some((i, n)),
                    NodeKind::WaitForReply { .. } => match outcomes.next().map(|a| a.outcome) {
                        Some(Outcome::TimedOut) => culprit = Some((i, n)),
                        _ => culprit = None, // the reply reopened the window after this point
                    },
                    _ => {}
                }
            }
            let Some((_, wait)) = culprit else { continue };
            let over = at - (customer + WINDOW);
            let what = if matches!(flow.nodes[wait].kind, NodeKind::Wait { .. }) {
                "wait"
            } else {
                "reply timeout"
            };
            out.push(
                Finding::new(
                    &WindowClosedByWait::META,
                    Some(wait),
                    format!(
                        "this {what} pushes free-form `{}` {} past the end of the customer service window on path {} ({})",
                        flow.nodes[send].id,
                        format_duration(over),
                        p + 1,
                        route(flow, &path.route)
                    ),
                )
                .at(node_id(flow, wait), format!("{} too long", format_duration(over)))
                .related(node_id(flow, send), "refused here")
                .help(format!(
                    "make it more than {} shorter, or send a template instead of `{}`",
                    format_duration(over),
                    flow.nodes[send].id
                )),
            );
        }
    }
}

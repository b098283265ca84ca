use super::paths::Example;
use super::util::node_id;
use super::{declare_rule, impl_rule, Context, Finding};
use crate::billing::{Biller, EventKind, WINDOW};
use crate::flow::{Flow, NodeKind};
use crate::simulate::{Outcome, StepView};
use crate::time::format_duration;
use chrono::{DateTime, Utc};

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

/// Nothing to check on the flow alone: the rule watches paths ([`Culprit::watch`]).
fn check(_: &Context, _: &mut Vec<Finding>) {}

/// What the rule remembers of a path: whether the customer has written, and the last wait
/// (or reply timeout) since the customer last wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub(super) enum Culprit {
    /// No customer message yet: a refused message is not this rule's (nothing to shorten).
    #[default]
    NoCustomer,
    /// The customer wrote, and no wait came after.
    Fresh,
    /// The last wait or reply timeout since the customer wrote.
    Wait(u32),
}

impl Culprit {
    /// At the start: the trigger's customer message, if any, opened the window.
    pub(super) fn start(biller: &Biller, now: DateTime<Utc>) -> Culprit {
        if biller.window_open(now) {
            Culprit::Fresh
        } else {
            Culprit::NoCustomer
        }
    }

    /// Follows a step; labels a refused free-form message with the wait to blame.
    pub(super) fn watch(&mut self, flow: &Flow, s: &StepView) -> Option<(u32, u32)> {
        let found = match (*self, s.applied) {
            (Culprit::Wait(w), Some(a)) if a.undeliverable => Some((s.node as u32, w)),
            _ => None,
        };
        let customer = matches!(s.mv.event, Some(EventKind::CustomerMessage(_)));
        let waited = matches!(flow.nodes[s.node].kind, NodeKind::Wait { .. })
            || s.mv.outcome == Some(Outcome::TimedOut);
        if customer {
            *self = Culprit::Fresh;
        } else if waited && *self != Culprit::NoCustomer {
            *self = Culprit::Wait(s.node as u32);
        }
        found
    }
}

/// The finding on the wait, with how far past the window the example's send comes.
pub(super) fn describe(cx: &Context, ex: &Example) -> Option<Finding> {
    let flow = cx.flow;
    let (send, wait) = (ex.label.node as usize, ex.label.other as usize);
    let e = ex.event()?;
    let path = ex.path;
    let at = path.events[e].at;
    let customer = path.events[..e]
        .iter()
        .rev()
        .find(|ev| matches!(ev.kind, EventKind::CustomerMessage(_)))?
        .at;
    let over = at - (customer + WINDOW);
    let what = if matches!(flow.nodes[wait].kind, NodeKind::Wait { .. }) {
        "wait"
    } else {
        "reply timeout"
    };
    Some(
        Finding::new(
            &WindowClosedByWait::META,
            Some(wait),
            format!(
                "this {what} pushes free-form `{}` {} past the end of the customer service window",
                flow.nodes[send].id,
                format_duration(over),
            ),
        )
        .at(
            node_id(flow, wait),
            format!("{} too long", format_duration(over)),
        )
        .related(node_id(flow, send), "refused here")
        .help(format!(
            "make it more than {} shorter, or send a template instead of `{}`",
            format_duration(over),
            flow.nodes[send].id
        )),
    )
}

use super::paths::Example;
use super::util::node_id;
use super::{declare_rule, impl_rule, Context, Finding};
use crate::billing::{Category, EventKind, Fate, PricingModel};
use crate::simulate::StepView;

declare_rule! {
    /// ## What it does
    /// Under a pricing model that charges every service message (`pmp-2026-10`, from
    /// 2026-10-01), finds two or more free-form sends in a row on a path with no customer
    /// message between them.
    ///
    /// ## Why is this bad?
    /// Each free-form message is charged on its own at the market's utility rate (docs/billing.md
    /// rule 15). Under conversation-based pricing they rode on one conversation; today a burst
    /// of three short replies costs three messages.
    ///
    /// ## Example
    /// ```yaml
    /// - { id: thanks, type: send_message, text: Thanks! }
    /// - { id: details, type: send_message, text: Here are the details… }
    /// ```
    ///
    /// ## How to fix
    /// Merge the messages into one.
    pub struct ServiceReplyBurst { code: "FC011", name: "service-reply-burst", default: Warning }
}
impl_rule!(ServiceReplyBurst, check);

/// Nothing to check on the flow alone: the rule watches paths ([`Burst::watch`]).
fn check(_: &Context, _: &mut Vec<Finding>) {}

/// What the rule remembers of a path: the first node of the current run of charged free-form
/// messages, and whether the run has been reported (it has two or more).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub(super) struct Burst(Option<(u32, bool)>);

impl Burst {
    /// Follows a step; labels the second message of a run, with the first.
    pub(super) fn watch(&mut self, cx: &Context, s: &StepView) -> Option<(u32, u32)> {
        if cx.options.model != PricingModel::Pmp2026_10 {
            return None;
        }
        let event = s.mv.event?;
        let charged = event == EventKind::FreeForm
            && s.applied
                .is_some_and(|a| a.charge == Some((Category::Service, true)));
        if !charged {
            // Any other event breaks the run: a customer message, a template, a free or
            // refused free-form message.
            self.0 = None;
            return None;
        }
        match self.0 {
            None => {
                self.0 = Some((s.node as u32, false));
                None
            }
            Some((first, false)) => {
                self.0 = Some((first, true));
                Some((s.node as u32, first))
            }
            Some((_, true)) => None,
        }
    }
}

/// The finding, with the length of the example path's run.
pub(super) fn describe(cx: &Context, ex: &Example) -> Option<Finding> {
    let path = ex.path;
    let (second, first) = (ex.label.node as usize, ex.label.other as usize);
    let e = ex.event()?;
    let charged = |e: usize| {
        path.events[e].kind == EventKind::FreeForm
            && path.bill.deliveries.iter().any(|d| {
                d.event == e
                    && matches!(d.fate, Fate::Delivered(c) if path.bill.charges[c].billable)
            })
    };
    let mut end = e;
    while end + 1 < path.events.len() && charged(end + 1) {
        end += 1;
    }
    let mut start = e;
    while start > 0 && charged(start - 1) {
        start -= 1;
    }
    let run = end - start + 1;
    Some(
        Finding::new(
            &ServiceReplyBurst::META,
            Some(second),
            format!(
                "{run} free-form messages in a row from `{}`, each charged as a service message under {}",
                cx.flow.nodes[first].id,
                cx.options.model
            ),
        )
        .at(node_id(cx.flow, second), "charged again")
        .related(node_id(cx.flow, first), "first of the burst")
        .help(format!(
            "merge them into one message: saves {} charged service message(s) per recipient{}",
            run - 1,
            cx.prices.map_or(String::new(), |p| p.phrase(Category::Service, (run - 1) as u64))
        )),
    )
}

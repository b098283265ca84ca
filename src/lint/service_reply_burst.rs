use super::util::node_id;
use super::{declare_rule, impl_rule, Context, Finding};
use crate::billing::{EventKind, Fate};

declare_rule! {
    /// ## What it does
    /// Under a pricing model that charges every service message (`pmp-2026-10`, from
    /// 2026-10-01), finds two or more free-form sends in a row on a path with no customer
    /// message between them.
    ///
    /// ## Why is this bad?
    /// Each free-form message is charged on its own at the market's utility rate (BILLING.md
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

fn check(cx: &Context, out: &mut Vec<Finding>) {
    if cx.options.model != crate::billing::PricingModel::Pmp2026_10 {
        return;
    }
    for path in &cx.simulation.paths {
        let charged = |e: usize| {
            path.bill.deliveries.iter().any(|d| {
                d.event == e
                    && matches!(d.fate, Fate::Delivered(c) if path.bill.charges[c].billable)
            })
        };
        // Runs of charged free-form sends, broken by any other event.
        let mut run: Vec<usize> = Vec::new();
        let mut flush = |run: &mut Vec<usize>| {
            if run.len() >= 2 {
                let nodes: Vec<usize> = run.iter().filter_map(|&e| path.event_nodes[e]).collect();
                if let (Some(&first), Some(&second)) = (nodes.first(), nodes.get(1)) {
                    out.push(
                        Finding::new(
                            &ServiceReplyBurst::META,
                            Some(second),
                            format!(
                                "{} free-form messages in a row from `{}`, each charged as a service message under {}",
                                run.len(),
                                cx.flow.nodes[first].id,
                                cx.options.model
                            ),
                        )
                        .at(node_id(cx.flow, second), "charged again")
                        .related(node_id(cx.flow, first), "first of the burst")
                        .help(format!(
                            "merge them into one message: saves {} charged service message(s) per recipient{}",
                            run.len() - 1,
                            cx.prices.map_or(String::new(), |p| p.phrase(crate::billing::Category::Service, (run.len() - 1) as u64))
                        )),
                    );
                }
            }
            run.clear();
        };
        for (e, event) in path.events.iter().enumerate() {
            if event.kind == EventKind::FreeForm && charged(e) {
                run.push(e);
            } else {
                flush(&mut run);
            }
        }
        flush(&mut run);
    }
}

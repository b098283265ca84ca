use super::util::node_id;
use super::{declare_rule, impl_rule, Context, Finding};
use crate::billing::{Reason, Unit};
use crate::time::format_duration;

declare_rule! {
    /// ## What it does
    /// Under conversation-based pricing, finds templates that open a new billable conversation
    /// of a category whose previous conversation on the same path closed only a little earlier
    /// (by default less than 6 h; `--just-missed-within` or `just-missed-within` in
    /// `flowcost.toml`).
    ///
    /// ## Why is this bad?
    /// A conversation covers 24 h; a template of the same category inside it rides along for
    /// free. Sending a few hours later opens — and pays for — a new one.
    ///
    /// ## Example
    /// ```yaml
    /// - { id: shipped, type: send_update, category: utility }
    /// - { id: wait, type: wait, for: 26h }
    /// - { id: delivered, type: send_update, category: utility }   # 2 h after the first closed
    /// ```
    ///
    /// ## How to fix
    /// Move the send earlier, inside the open conversation, when the content allows it.
    pub struct WindowJustMissed { code: "FC004", name: "window-just-missed", default: Warning }
}
impl_rule!(WindowJustMissed, check);

fn check(cx: &Context, out: &mut Vec<Finding>) {
    if cx.options.model.unit() != Unit::Conversation {
        return;
    }
    let within = cx.settings.just_missed_within;
    for path in &cx.simulation.paths {
        let charges = &path.bill.charges;
        for (i, c) in charges.iter().enumerate() {
            if !c.billable || c.reason != Reason::NewConversation {
                continue;
            }
            let previous = charges[..i]
                .iter()
                .rev()
                .filter(|p| p.category == c.category)
                .filter_map(|p| p.until.map(|u| (p, u)))
                .find(|(_, u)| *u <= c.at && c.at - *u < within);
            let Some((prev, closed)) = previous else {
                continue;
            };
            let (Some(node), prev_node) = (path.event_nodes[c.event], path.event_nodes[prev.event])
            else {
                continue;
            };
            let gap = c.at - closed;
            let (when, earlier) = if gap.is_zero() {
                (
                    "the instant the previous one closed".to_string(),
                    "a little earlier".to_string(),
                )
            } else {
                let late = format_duration(gap);
                (
                    format!("{late} after the previous one closed"),
                    format!("more than {late} earlier"),
                )
            };
            let mut f = Finding::new(
                &WindowJustMissed::META,
                Some(node),
                format!("`{}` opens a new {} conversation {when}", cx.flow.nodes[node].id, c.category),
            )
            .at(node_id(cx.flow, node), "just missed")
            .help(format!(
                "send it {earlier} to ride on the open {} conversation: saves one billable conversation per recipient{}",
                c.category,
                cx.prices.map_or(String::new(), |p| p.phrase(c.category, 1))
            ));
            if let Some(p) = prev_node {
                f = f.related(
                    node_id(cx.flow, p),
                    format!("opened the {} conversation", c.category),
                );
            }
            out.push(f);
        }
    }
}

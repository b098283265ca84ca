use super::paths::Example;
use super::util::node_id;
use super::{declare_rule, impl_rule, Context, Finding};
use crate::billing::{Category, Reason, Unit};
use crate::simulate::StepView;
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

/// Nothing to check on the flow alone: the rule watches paths ([`Recent::watch`]).
fn check(_: &Context, _: &mut Vec<Finding>) {}

/// What the rule remembers of a path: per category, the node that opened its latest
/// conversation and when that ends, in milliseconds from now (negative: closed that long ago),
/// kept only while it can still matter (closed less than the threshold ago).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub(super) struct Recent([Option<(u32, i64)>; 4]);

impl Recent {
    /// Follows a step; labels a new billable conversation opened just after the previous one
    /// of its category closed, with the node that opened the previous one.
    pub(super) fn watch(&mut self, cx: &Context, s: &StepView) -> Option<(u32, u32)> {
        if cx.options.model.unit() != Unit::Conversation {
            return None;
        }
        let within = cx.settings.just_missed_within.num_milliseconds();
        let delay = s.mv.delay.num_milliseconds();
        for (_, until) in self.0.iter_mut().flatten() {
            *until = until.saturating_sub(delay);
        }
        let mut found = None;
        if let Some(a) = s.applied {
            if let (Some((c, true)), Some(Reason::NewConversation)) = (a.charge, a.reason) {
                if let Some((prev, until)) = self.0[index(c)] {
                    if until <= 0 && -until < within {
                        found = Some((s.node as u32, prev));
                    }
                }
            }
            if let (Some((c, _)), Some(until)) = (a.charge, a.until) {
                self.0[index(c)] = Some((s.node as u32, (until - s.now).num_milliseconds()));
            }
        }
        // A free entry point ends the other open conversations (rule 7): they closed now.
        for (i, slot) in self.0.iter_mut().enumerate() {
            if let Some((_, until)) = slot {
                if *until > 0
                    && !s
                        .biller
                        .open_conversations(s.now)
                        .any(|(c, _)| c == Category::ALL[i])
                {
                    *until = 0;
                }
                if *until <= -within {
                    *slot = None;
                }
            }
        }
        found
    }
}

fn index(c: Category) -> usize {
    Category::ALL.iter().position(|x| *x == c).unwrap_or(0)
}

/// The finding, with how late the example path's conversation opened.
pub(super) fn describe(cx: &Context, ex: &Example) -> Option<Finding> {
    let node = ex.label.node as usize;
    let e = ex.event()?;
    let charges = &ex.path.bill.charges;
    let i = charges.iter().position(|c| c.event == e)?;
    let c = &charges[i];
    let closed = charges[..i]
        .iter()
        .rev()
        .filter(|p| p.category == c.category)
        .find_map(|p| p.until.filter(|u| *u <= c.at))?;
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
    Some(
        Finding::new(
            &WindowJustMissed::META,
            Some(node),
            format!(
                "`{}` opens a new {} conversation {when}",
                cx.flow.nodes[node].id, c.category
            ),
        )
        .at(node_id(cx.flow, node), "just missed")
        .help(format!(
            "send it {earlier} to ride on the open {} conversation: saves one billable conversation per recipient{}",
            c.category,
            cx.prices.map_or(String::new(), |p| p.phrase(c.category, 1))
        ))
        .related(
            node_id(cx.flow, ex.label.other as usize),
            format!("opened the {} conversation", c.category),
        ),
    )
}

use super::util::node_key;
use super::{declare_rule, impl_rule, Context, Finding};

declare_rule! {
    /// ## What it does
    /// Finds templates sent by the flow whose `category_history` shows that Meta changed their
    /// category on or before the simulated date.
    ///
    /// ## Why is this bad?
    /// Meta recategorises templates after approval (typically utility → marketing when it finds
    /// promotional content); flowcost bills the category in force, which may cost several
    /// times what the flow was designed for.
    ///
    /// ## Example
    /// ```yaml
    /// templates:
    ///   order_update:
    ///     category: utility
    ///     category_history: [{ since: 2026-03-01, category: marketing }]
    /// ```
    ///
    /// ## How to fix
    /// Check the template in WhatsApp Manager; rewrite it without promotional content and
    /// resubmit, or appeal the decision.
    pub struct RecategorisedTemplate { code: "FC014", name: "recategorised-template", default: Warning }
}
impl_rule!(RecategorisedTemplate, check);

fn check(cx: &Context, out: &mut Vec<Finding>) {
    let date = cx.options.start.date_naive();
    for (i, _, name, t) in cx.catalog_updates() {
        let now = t.category_on(date);
        if now == t.category {
            continue;
        }
        let since = t
            .history
            .iter()
            .rev()
            .find(|r| r.since <= date)
            .map(|r| r.since);
        out.push(
            Finding::new(
                &RecategorisedTemplate::META,
                Some(i),
                format!(
                    "template `{name}` was approved as {} but Meta made it {now}{}: it is billed as {now}",
                    t.category,
                    since.map_or(String::new(), |d| format!(" on {d}"))
                ),
            )
            .at(node_key(cx.flow, i, "template"), format!("billed as {now}"))
            .help("rewrite the template without promotional content and resubmit it, or appeal the decision"),
        );
    }
}

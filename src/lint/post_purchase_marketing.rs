use super::util::node_key;
use super::{declare_rule, impl_rule, Context, Finding};
use crate::billing::Category;
use crate::flow::{FlowKind, NodeKind};

declare_rule! {
    /// ## What it does
    /// Finds marketing templates in a flow whose `kind` is `post_purchase`.
    ///
    /// ## Why is this bad?
    /// Post-purchase updates (order confirmed, parcel sent, tracking link) are utility
    /// messages, and sending them as utility is cheaper: marketing costs several times the
    /// utility rate in most markets, and mixing the two pays for both.
    ///
    /// ## Example
    /// ```yaml
    /// kind: post_purchase
    /// nodes:
    ///   - { id: cross_sell, type: send_update, category: marketing }
    /// ```
    ///
    /// ## How to fix
    /// Use a utility template for the update; send promotions from a separate campaign.
    pub struct PostPurchaseMarketing { code: "FC005", name: "post-purchase-marketing", default: Warning }
}
impl_rule!(PostPurchaseMarketing, check);

fn check(cx: &Context, out: &mut Vec<Finding>) {
    if cx.flow.kind != FlowKind::PostPurchase {
        return;
    }
    let date = cx.options.start.date_naive();
    for (i, node) in cx.flow.nodes.iter().enumerate() {
        if cx.flow.update_category(node, date) != Some(Category::Marketing) {
            continue;
        }
        let key = match &node.kind {
            NodeKind::SendUpdate {
                template: Some(_), ..
            } => "template",
            _ => "category",
        };
        out.push(
            Finding::new(&PostPurchaseMarketing::META, Some(i), format!("post-purchase flow sends a marketing template at `{}`", node.id))
                .at(node_key(cx.flow, i, key), "marketing")
                .help("post-purchase updates are cheaper as utility templates; send promotions from a separate campaign"),
        );
    }
}

use super::paths::Example;
use super::util::{categories, node_id};
use super::{declare_rule, impl_rule, Context, Finding};
use crate::billing::{Category, PricingModel, Unit};
use crate::simulate::StepView;

declare_rule! {
    /// ## What it does
    /// Finds paths that are billed for more than one category: a mix that costs, such as a
    /// free-form greeting (a service message) followed by a marketing template. The finding
    /// sits on the node where the second category is first billed.
    ///
    /// ## Why is this bad?
    /// Every category is billed on its own (docs/billing.md rule 2): a flow that mixes
    /// template categories, or a free-form message and a template, pays for each. Under
    /// conversation-based pricing (`cbp`, from 2023-06-01) both conversations are paid. From
    /// 2024-11-01 until 2026-09-30 the service part was free (`cbp-2024-11`, `pmp`), so the
    /// same flow mixed nothing that cost. From 2026-10-01 (`pmp-2026-10`) every service
    /// message is charged again at the utility rate, so the mix costs real money again.
    /// `flowcost simulate` warns about the same paths: a path mixes when it is billed for two
    /// categories or more; free charges (a free entry point, a free service conversation)
    /// never make a mix.
    ///
    /// ## Example
    /// ```yaml
    /// - { id: greet, type: send_message, text: Thanks for writing! }   # service
    /// - { id: offer, type: send_update, template: welcome_offer }      # marketing
    /// ```
    ///
    /// ## How to fix
    /// Bill one category per path. A mix with service: keep the path to free-form replies
    /// (`send_message` nodes) or to templates of one category (`send_update` nodes). A mix of
    /// template categories (authentication and marketing, say): send each category's templates
    /// from a flow of its own.
    pub struct MixedCategories { code: "FC001", name: "mixed-categories", default: Warning }
}
impl_rule!(MixedCategories, check);

/// Nothing to check on the flow alone: the rule watches paths ([`watch`]).
fn check(_: &Context, _: &mut Vec<Finding>) {}

/// What a mix costs under the model (docs/billing.md rules 2, 10, 15).
fn meaning(model: PricingModel, cats: &[Category]) -> String {
    let service = cats.contains(&Category::Service);
    match model.unit() {
        Unit::Conversation => format!(
            "under {model} every category opens a conversation of its own, and each is billed"
        ),
        Unit::Message if service && model == PricingModel::Pmp2026_10 => format!(
            "under {model} every message is charged at its category's rate, and since 2026-10-01 free-form (service) messages are charged too"
        ),
        Unit::Message => {
            format!("under {model} every message is charged at its category's rate")
        }
    }
}

/// How to avoid the mix, for the categories the path is billed for.
fn remedy(cats: &[Category]) -> String {
    let templates: Vec<String> = cats
        .iter()
        .filter(|c| **c != Category::Service)
        .map(|c| c.to_string())
        .collect();
    if cats.contains(&Category::Service) {
        format!(
            "to bill one category, keep the path to free-form replies (send_message nodes, service) or to {} templates (send_update nodes)",
            templates.join(" or ")
        )
    } else {
        format!(
            "each template category is charged at its own rate: send the {} templates from separate flows, or keep this path to one of them",
            templates.join(" and ")
        )
    }
}

/// Labels the step where a path is first billed for a second category.
pub(super) fn watch(s: &StepView) -> Option<(u32, u32)> {
    let (before, after) = s.billed;
    (before.count_ones() == 1 && after.count_ones() == 2)
        .then_some((s.node as u32, crate::simulate::NO_NODE))
}

fn plural(n: usize, unit: &str) -> String {
    format!("{n} billable {}{}", unit, if n == 1 { "" } else { "s" })
}

/// The finding, told from the example path: its categories, their first nodes, what it costs.
pub(super) fn describe(cx: &Context, ex: &Example) -> Option<Finding> {
    let path = ex.path;
    let node = ex.label.node as usize;
    let charges: Vec<_> = path.bill.charges.iter().filter(|c| c.billable).collect();
    let cats: Vec<Category> = path.bill.billed_categories().into_iter().collect();
    let added = ex
        .event()
        .and_then(|e| path.bill.charges.iter().find(|c| c.event == e))
        .map(|c| c.category)?;
    let unit = match cx.options.model.unit() {
        Unit::Conversation => "conversation",
        Unit::Message => "message",
    };
    let counts: Vec<String> = cats
        .iter()
        .map(|c| {
            format!(
                "{} {c}",
                charges.iter().filter(|x| x.category == *c).count()
            )
        })
        .collect();
    // What the path's mix costs per recipient, when every billed category has a known price.
    let price = cx.prices.and_then(|p| {
        let mut sum = crate::money::Money::ZERO;
        for c in &cats {
            let n = charges.iter().filter(|x| x.category == *c).count() as u64;
            sum += p.get(*c)?.times(n);
        }
        Some(format!(" = USD {} at {} rates", sum.price(), p.market))
    });
    let verb = if unit == "conversation" {
        "is billed for"
    } else {
        "is charged for"
    };
    let mut f = Finding::new(
        &MixedCategories::META,
        Some(node),
        format!(
            "`{}` adds {added}: the path {verb} {}: {} per recipient ({}){} under {}",
            cx.flow.nodes[node].id,
            categories(&cats),
            plural(charges.len(), unit),
            counts.join(", "),
            price.unwrap_or_default(),
            cx.options.model,
        ),
    )
    .at(node_id(cx.flow, node), format!("adds {added}"))
    .help(format!(
        "{}; {}",
        meaning(cx.options.model, &cats),
        remedy(&cats)
    ));
    // The first billed node of each other category.
    for c in cats.iter().filter(|c| **c != added) {
        if let Some(first) = charges
            .iter()
            .find(|x| x.category == *c)
            .and_then(|x| path.event_nodes[x.event])
        {
            f = f.related(node_id(cx.flow, first), format!("{c} starts here"));
        }
    }
    Some(f)
}

use super::util::{categories, node_id, route};
use super::{declare_rule, impl_rule, Context, Finding};
use crate::billing::{Category, PricingModel, Reason, Unit};
use std::collections::BTreeMap;

declare_rule! {
    /// ## What it does
    /// Finds paths that open (or, under per-message pricing, are charged for) more than one
    /// conversation category, such as a free-form greeting (service) followed by a marketing
    /// template.
    ///
    /// ## Why is this bad?
    /// Every category is billed on its own: "mixing update template categories means you're
    /// paying for multiple conversations at once" (charles, "Conversation types"). Under
    /// conversation-based pricing (`cbp`, from 2023-06-01) both conversations are paid. From
    /// 2024-11-01 until 2026-09-30 the service part was free (`cbp-2024-11`, `pmp`). From
    /// 2026-10-01 (`pmp-2026-10`) every service message is charged again at the utility rate,
    /// so the mix costs real money again.
    ///
    /// ## Example
    /// ```yaml
    /// - { id: greet, type: send_message, text: Thanks for writing! }   # service
    /// - { id: offer, type: send_update, template: welcome_offer }      # marketing
    /// ```
    ///
    /// ## How to fix
    /// Stick to one type of message: either service (Send message nodes only) or marketing
    /// (Send update nodes only), as the seed's opt-in advice says.
    pub struct MixedCategories { code: "FC001", name: "mixed-categories", default: Warning }
}
impl_rule!(MixedCategories, check);

/// What a mix means under each model (BILLING.md rules 2, 9, 11, 15).
fn meaning(model: PricingModel) -> &'static str {
    match model {
        PricingModel::Cbp => "under cbp both conversations are paid",
        PricingModel::Cbp2024_11 | PricingModel::Pmp => {
            "the service part is free under this model (2024-11-01 to 2026-09-30), but every service message is charged again from 2026-10-01"
        }
        PricingModel::Pmp2026_10 => {
            "since 2026-10-01 every service message is charged again, so the mix pays for each category"
        }
    }
}

/// The categories a path mixes: opened (conversation-based pricing, free ones included) or
/// charged (per-message pricing). A free entry point's messages are free whatever their
/// category, so they mix nothing.
fn mixed(cx: &Context, path: &crate::simulate::Path) -> BTreeMap<Category, Vec<usize>> {
    let per_message = cx.options.model.unit() == Unit::Message;
    let mut cats: BTreeMap<Category, Vec<usize>> = BTreeMap::new();
    for (i, c) in path.bill.charges.iter().enumerate() {
        if c.reason == Reason::FreeEntryPoint || (per_message && !c.billable) {
            continue;
        }
        cats.entry(c.category).or_default().push(i);
    }
    cats
}

fn plural(n: usize, unit: &str) -> String {
    format!("{n} billable {}{}", unit, if n == 1 { "" } else { "s" })
}

fn check(cx: &Context, out: &mut Vec<Finding>) {
    let sim = cx.simulation;
    let mixing: Vec<(usize, BTreeMap<Category, Vec<usize>>)> = sim
        .paths
        .iter()
        .map(|p| mixed(cx, p))
        .enumerate()
        .filter(|(_, m)| m.len() > 1)
        .collect();
    let Some((first, cats)) = mixing.first() else {
        return;
    };
    let path = &sim.paths[*first];
    let charges = &path.bill.charges;
    // The first node of each category, in time order; the last of them makes the mix.
    // Ordered by time, then by the order of the events (sends at one instant keep flow order).
    let mut openers: Vec<(
        chrono::DateTime<chrono::Utc>,
        usize,
        Category,
        Option<usize>,
    )> = cats
        .iter()
        .map(|(cat, idx)| {
            let c = &charges[idx[0]];
            (c.at, c.event, *cat, path.event_nodes[c.event])
        })
        .collect();
    openers.sort();
    let Some((_, _, last_cat, last_node)) = openers.pop() else {
        return;
    };
    let unit = match cx.options.model.unit() {
        Unit::Conversation => "conversation",
        Unit::Message => "message",
    };
    let billable: Vec<String> = cats
        .iter()
        .map(|(cat, idx)| (cat, idx.iter().filter(|&&i| charges[i].billable).count()))
        .filter(|(_, n)| *n > 0)
        .map(|(cat, n)| format!("{n} {cat}"))
        .collect();
    let total: usize = cats
        .values()
        .flatten()
        .filter(|&&i| charges[i].billable)
        .count();
    // What the mix costs per recipient, when every billed category has a known price.
    let price = cx.prices.and_then(|p| {
        let mut sum = crate::money::Money::ZERO;
        for (cat, idx) in cats.iter() {
            let n = idx.iter().filter(|&&i| charges[i].billable).count() as u64;
            if n > 0 {
                sum += p.get(*cat)?.times(n);
            }
        }
        Some(format!(" = USD {} at {} rates", sum.price(), p.market))
    });
    let verb = if unit == "conversation" {
        "opens"
    } else {
        "is charged for"
    };
    let names: Vec<&Category> = cats.keys().collect();
    let mut f = Finding::new(
        &MixedCategories::META,
        last_node,
        format!(
            "path {} ({}) {verb} {}: {} per recipient{}{} under {} ({} of {} paths mix)",
            first + 1,
            route(cx.flow, &path.route),
            categories(names),
            plural(total, unit),
            if billable.is_empty() { String::new() } else { format!(" ({})", billable.join(", ")) },
            price.unwrap_or_default(),
            cx.options.model,
            mixing.len(),
            sim.paths.len()
        ),
    )
    .at(last_node.and_then(|n| node_id(cx.flow, n)), format!("adds {last_cat}"))
    .help(format!(
        "{}; stick to one category: Send message nodes only (service) or Send update nodes only (marketing)",
        meaning(cx.options.model)
    ));
    for (_, _, cat, node) in openers {
        f = f.related(
            node.and_then(|n| node_id(cx.flow, n)),
            format!("{cat} starts here"),
        );
    }
    out.push(f);
}

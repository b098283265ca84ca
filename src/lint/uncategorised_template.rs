use super::util::node_key;
use super::{declare_rule, impl_rule, Context, Finding};
use crate::billing::Category;
use crate::cost::UNKNOWN_CANDIDATES;

declare_rule! {
    /// ## What it does
    /// Finds `send_update` nodes whose template's category is unknown (`category: unknown`,
    /// as imports write sends of templates the catalog lacks), one finding per template.
    ///
    /// ## Why is this bad?
    /// The category decides the price of every send: a utility template costs a fraction of a
    /// marketing one, and under conversation-based pricing the category decides which
    /// conversation it rides on. With the category unknown, flowcost can only give a range:
    /// `simulate` bills the send as marketing (the dearest), `cost` prices every category a
    /// template can have.
    ///
    /// ## Example
    /// ```yaml
    /// - { id: reminder, type: send_update, template: appointment_reminder, category: unknown }
    /// ```
    ///
    /// ## How to fix
    /// Add the template to the catalog with its category (`appointment_reminder: utility` in
    /// the file given with `--templates`), or tag the node with it.
    pub struct UncategorisedTemplate { code: "FC016", name: "uncategorised-template", default: Warning }
}
impl_rule!(UncategorisedTemplate, check);

fn check(cx: &Context, out: &mut Vec<Finding>) {
    let all = cx.flow.uncategorised_sends();
    let mut seen: Vec<&str> = Vec::new();
    for (i, name) in &all {
        let (i, name) = (*i, name.as_str());
        if seen.contains(&name) {
            continue;
        }
        seen.push(name);
        let shown = cx.flow.nodes[i].id.as_str();
        let sends = all.iter().filter(|(_, n)| n == name).count();
        // What one send costs in each category, where the prices are known.
        let range = cx.prices.and_then(|p| {
            let prices: Vec<(Category, crate::money::Money)> = UNKNOWN_CANDIDATES
                .iter()
                .filter_map(|c| Some((*c, p.get(*c)?)))
                .collect();
            let lo = prices.iter().min_by_key(|x| x.1)?;
            let hi = prices.iter().max_by_key(|x| x.1)?;
            Some(format!(
                ": a send costs from USD {} ({}) to USD {} ({}) at {} rates",
                lo.1.price(),
                lo.0,
                hi.1.price(),
                hi.0,
                p.market
            ))
        });
        out.push(
            Finding::new(
                &UncategorisedTemplate::META,
                Some(i),
                format!(
                    "the category of template `{name}` is unknown ({sends} send{}, the first at `{shown}`){}",
                    if sends == 1 { "" } else { "s" },
                    range.unwrap_or_default()
                ),
            )
            .at(node_key(cx.flow, i, "category"), "category unknown")
            .help(format!(
                "add it to the catalog given with --templates with its category, like `{name}: utility`, or write its category on the node"
            )),
        );
    }
}

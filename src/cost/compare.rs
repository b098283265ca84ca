//! The same flow billed on several dates, and the cause of each change: which rule, which
//! nodes, which price or market.

use super::{FlowCost, MessageFate};
use crate::billing::{PricingModel, Reason, Unit};
use crate::money::Money;
use crate::rates::RateCategory;
use std::collections::BTreeSet;

/// One cause of a change between two dates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cause {
    /// The category it concerns; `None` for the whole flow (model, market).
    pub category: Option<RateCategory>,
    /// What changed and why, naming rules and nodes.
    pub text: String,
}

/// A flow's costs on several dates.
#[derive(Debug, Clone)]
pub struct Comparison {
    /// One cost per date, in the order given.
    pub columns: Vec<FlowCost>,
    /// `causes[i]`: what changed from `columns[i]` to `columns[i + 1]`.
    pub causes: Vec<Vec<Cause>>,
}

impl Comparison {
    /// Compares costs of one flow in one market (one per date, in order).
    pub fn new(columns: Vec<FlowCost>) -> Comparison {
        let causes = columns.windows(2).map(|w| causes(&w[0], &w[1])).collect();
        Comparison { columns, causes }
    }

    /// Every category billed on some date, in card order.
    pub fn categories(&self) -> Vec<RateCategory> {
        let set: BTreeSet<RateCategory> = self
            .columns
            .iter()
            .flat_map(|c| c.categories.iter().map(|l| l.category))
            .collect();
        set.into_iter().collect()
    }
}

/// Expected cost of a category per recipient (zero when not billed).
pub fn category_cost(cost: &FlowCost, c: RateCategory) -> Money {
    cost.category(c).map_or(Money::ZERO, |l| l.expected_cost)
}

fn nodes_text(nodes: &[String]) -> String {
    let quoted: Vec<String> = nodes.iter().map(|n| format!("`{n}`")).collect();
    if quoted.len() == 1 {
        format!("node {}", quoted[0])
    } else {
        format!("nodes {}", quoted.join(", "))
    }
}

fn billed(m: &MessageFate) -> bool {
    m.charge.is_some_and(|c| c.0)
}

/// Why a message's billing changed, as a sentence with a `{nodes}` slot and the rule.
fn message_cause(
    old: &MessageFate,
    new: &MessageFate,
    old_model: PricingModel,
    new_model: PricingModel,
) -> String {
    let new_reason = new.charge.map(|c| c.1);
    let old_reason = old.charge.map(|c| c.1);
    if billed(new) {
        match (new.category, new_reason, old_reason) {
            (RateCategory::Service, Some(Reason::Regular), _) if new_model == PricingModel::Pmp2026_10 => {
                "+ service messages charged since 2026-10-01 ({nodes}) [rule 15]".into()
            }
            (RateCategory::Utility, Some(Reason::Regular), Some(Reason::FreeCustomerService)) => {
                "+ utility templates inside the service window charged again since 2026-10-01 ({nodes}) [rule 16]".into()
            }
            (_, Some(Reason::Regular), None) if old_model.unit() == Unit::Conversation => {
                "+ each template charged per message since 2025-07-01; it rode on an open conversation before ({nodes}) [rule 10]".into()
            }
            (RateCategory::Service, Some(Reason::NewConversation), Some(Reason::FreeServiceConversation)) => {
                "+ service conversations billable before 2024-11-01 ({nodes}) [rules 1, 9]".into()
            }
            (_, Some(Reason::NewConversation), None) => {
                "+ opens its own billable conversation ({nodes}) [rules 3-4]".into()
            }
            (_, Some(r), _) => format!("+ billable under {new_model}: {} ({{nodes}})", r.describe()),
            (_, None, _) => "+ billable ({nodes})".into(),
        }
    } else {
        match (new.category, new_reason) {
            (_, Some(Reason::FreeServiceConversation)) => {
                "− service conversations free since 2024-11-01 ({nodes}) [rule 9]".into()
            }
            (RateCategory::Utility, Some(Reason::FreeCustomerService)) => {
                "− utility templates inside the service window free from 2025-07-01 to 2026-09-30 ({nodes}) [rule 11]".into()
            }
            (RateCategory::Service, Some(Reason::FreeCustomerService)) => {
                "− free-form (service) messages free from 2025-07-01 to 2026-09-30 ({nodes}) [rule 11]".into()
            }
            (_, Some(Reason::FreeEntryPoint)) => "− free inside the free entry point ({nodes}) [rule 7]".into(),
            (_, None) if new_model.unit() == Unit::Conversation => {
                "− rides on a conversation already open ({nodes}) [rules 3-4]".into()
            }
            (_, Some(r)) => format!("− free under {new_model}: {} ({{nodes}})", r.describe()),
            (_, None) => "− not charged ({nodes})".into(),
        }
    }
}

/// The causes of the differences between two costs of the same flow and market.
pub fn causes(old: &FlowCost, new: &FlowCost) -> Vec<Cause> {
    let mut out = Vec::new();
    if old.model != new.model {
        out.push(Cause {
            category: None,
            text: format!(
                "pricing model {} → {} (from {})",
                old.model,
                new.model,
                new.model.effective().max(old.model.effective())
            ),
        });
    }
    if old.market.market != new.market.market {
        out.push(Cause {
            category: None,
            text: format!(
                "{} billed in {} (was {}; markets_changes.csv)",
                new.market.country, new.market.market, old.market.market
            ),
        });
    }
    // (category, sentence) → nodes, in first-seen order.
    let mut grouped: Vec<(RateCategory, String, Vec<String>)> = Vec::new();
    let mut add = |c: RateCategory, text: String, node: &str| match grouped
        .iter_mut()
        .find(|(gc, gt, _)| *gc == c && *gt == text)
    {
        Some((_, _, nodes)) => {
            if !nodes.iter().any(|n| n == node) {
                nodes.push(node.to_string());
            }
        }
        None => grouped.push((c, text, vec![node.to_string()])),
    };
    // The same path on both dates (the listings can differ in their dearest path).
    let pairs = old.paths.iter().filter_map(|po| {
        new.paths
            .iter()
            .find(|pn| pn.route == po.route && pn.assumptions == po.assumptions)
            .map(|pn| (po, pn))
    });
    for (po, pn) in pairs {
        for (mo, mn) in po.messages.iter().zip(&pn.messages) {
            if mo.category != mn.category {
                let text = format!(
                    "template recategorised {} → {} ({{nodes}})",
                    mo.category, mn.category
                );
                add(mo.category, text.clone(), &mn.node);
                add(mn.category, text, &mn.node);
            } else if billed(mo) != billed(mn) {
                let c = mn.category;
                add(c, message_cause(mo, mn, old.model, new.model), &mn.node);
            }
        }
    }
    for (c, text, nodes) in grouped {
        out.push(Cause {
            category: Some(c),
            text: text.replace("{nodes}", &nodes_text(&nodes)),
        });
    }
    for c in RateCategory::ALL {
        let (Some(lo), Some(ln)) = (old.category(c), new.category(c)) else {
            continue;
        };
        match (lo.price.amount, ln.price.amount) {
            (Some(a), Some(b)) if a != b => out.push(Cause {
                category: Some(c),
                text: format!(
                    "{} {c} price {} → {} ({} → {})",
                    new.market.market,
                    a.price(),
                    b.price(),
                    lo.price.card.as_deref().unwrap_or("?"),
                    ln.price.card.as_deref().unwrap_or("?")
                ),
            }),
            (Some(_), None) => out.push(Cause {
                category: Some(c),
                text: format!("price unknown on {}", new.date),
            }),
            (None, Some(_)) => out.push(Cause {
                category: Some(c),
                text: format!("price unknown on {}", old.date),
            }),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cost::{cost_flow, CostOptions};
    use crate::diagnostic::SourceFile;
    use crate::flow::parse_flow;
    use crate::rates::RateBook;
    use crate::simulate::Options;

    #[test]
    fn the_mixed_opt_in_flow_in_the_uk_gains_a_service_charge_in_november_2026() {
        let flow = parse_flow(
            SourceFile::new(
                "t.yaml",
                "flow: m\ntrigger: customer_message\nnodes:\n  - { id: greet, type: send_message }\n  - { id: welcome, type: send_update, category: marketing }\n",
            ),
            None,
        )
        .unwrap();
        let book = RateBook::builtin().unwrap();
        let cost = |at: &str| {
            let at = at.parse().unwrap();
            let model = PricingModel::in_force_on(chrono::DateTime::<chrono::Utc>::date_naive(&at))
                .unwrap();
            cost_flow(
                &flow,
                &Options::new(at, model),
                "GB",
                &book,
                &CostOptions::default(),
            )
            .unwrap()
        };
        let cmp = Comparison::new(vec![
            cost("2026-09-15T10:00:00Z"),
            cost("2026-11-02T10:00:00Z"),
        ]);
        assert_eq!(cmp.columns[0].expected.micros(), 63_500);
        assert_eq!(cmp.columns[1].expected.micros(), 63_500 + 22_000);
        let texts: Vec<&str> = cmp.causes[0].iter().map(|c| c.text.as_str()).collect();
        assert!(
            texts.contains(&"+ service messages charged since 2026-10-01 (node `greet`) [rule 15]"),
            "{texts:?}"
        );
    }
}

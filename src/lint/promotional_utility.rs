use super::util::node_key;
use super::{declare_rule, impl_rule, Context, Finding};
use crate::billing::{Category, PricingModel};
use crate::flow::NodeKind;

declare_rule! {
    /// ## What it does
    /// Finds utility templates whose catalog `text` reads as promotional: discounts, coupons,
    /// "% off", sales, offers, limited-time deals.
    ///
    /// ## Why is this bad?
    /// A template's category is Meta's decision and can change after approval: Meta
    /// recategorises utility templates it judges promotional as marketing, and users report
    /// bills several times higher after it happens (docs/billing.md, "Categories change over time").
    ///
    /// ## Example
    /// ```yaml
    /// templates:
    ///   order_shipped:
    ///     category: utility
    ///     text: Your order has shipped! Use code SAVE20 for 20% off your next order.
    /// ```
    ///
    /// ## How to fix
    /// Keep offers out of utility templates; send them as marketing, from a campaign.
    pub struct PromotionalUtility { code: "FC012", name: "promotional-utility", default: Warning }
}
impl_rule!(PromotionalUtility, check);

/// Words and phrases that make a message read as promotional (lower case).
const PROMOTIONAL: &[&str] = &[
    "% off",
    "discount",
    "coupon",
    "promo code",
    "promotion",
    "voucher",
    "sale",
    "offer",
    "deal",
    "limited time",
    "last chance",
    "buy now",
    "shop now",
    "save ",
    "free shipping",
    "exclusive",
    "special price",
    "hurry",
];

/// The first promotional phrase in `text`, matched on word boundaries.
pub fn promotional_phrase(text: &str) -> Option<&'static str> {
    let lower = format!(" {} ", text.to_lowercase());
    PROMOTIONAL.iter().copied().find(|p| {
        // Word boundaries apply only where the phrase itself starts or ends with a letter.
        let edge = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
        let starts = edge(p.chars().next());
        let ends = edge(p.chars().next_back());
        lower.match_indices(p).any(|(i, _)| {
            let before = !starts || !edge(lower[..i].chars().next_back());
            let after = !ends || !edge(lower[i + p.len()..].chars().next());
            before && after
        })
    })
}

/// `: at Germany rates, marketing USD 0.1365 against utility USD 0.0550`, when both are known.
fn rates_beside(cx: &Context) -> String {
    let Some(p) = cx.prices else {
        return String::new();
    };
    match (p.get(Category::Marketing), p.get(Category::Utility)) {
        (Some(m), Some(u)) => format!(
            ": at {} rates, marketing USD {} against utility USD {} per {}",
            p.market,
            m.price(),
            u.price(),
            crate::rates::unit_name(cx.options.model.unit())
        ),
        _ => String::new(),
    }
}

fn check(cx: &Context, out: &mut Vec<Finding>) {
    let date = cx.options.start.date_naive();
    let cost = match cx.options.model {
        PricingModel::Cbp | PricingModel::Cbp2024_11 => "each send would open a marketing conversation instead of a utility one",
        PricingModel::Pmp => "each send would be charged at the marketing rate, even inside the customer service window where utility is free",
        PricingModel::Pmp2026_10 => "each send would be charged at the marketing rate instead of the utility rate",
    };
    for (name, template) in &cx.flow.templates {
        if template.category_on(date) != Category::Utility {
            continue;
        }
        let Some(phrase) = template.text.as_deref().and_then(promotional_phrase) else {
            continue;
        };
        let user = cx.flow.nodes.iter().position(
            |n| matches!(&n.kind, NodeKind::SendUpdate { template: Some(t), .. } if t == name),
        );
        let text_span = cx
            .flow
            .spans
            .get(&format!("templates.{name}.text"))
            .map(|e| e.value);
        let span = text_span.or_else(|| user.and_then(|n| node_key(cx.flow, n, "template")));
        if span.is_none() && user.is_none() {
            continue; // an unused template of an external catalog: nothing of this file to show
        }
        out.push(
            Finding::new(
                &PromotionalUtility::META,
                user,
                format!("utility template `{name}` reads as promotional (\"{}\"): Meta may recategorise it as marketing", phrase.trim()),
            )
            .at(span, "promotional wording")
            .help(format!(
                "under {}, {cost}{}; keep offers out of utility templates",
                cx.options.model,
                rates_beside(cx)
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::promotional_phrase;

    #[test]
    fn finds_promotional_wording_on_word_boundaries() {
        assert_eq!(promotional_phrase("Use SAVE20 for 20% off"), Some("% off"));
        assert_eq!(
            promotional_phrase("Our summer SALE starts now"),
            Some("sale")
        );
        assert_eq!(promotional_phrase("Your order has shipped"), None);
        assert_eq!(
            promotional_phrase("Wholesale order received"),
            None,
            "sale inside a word"
        );
        assert_eq!(promotional_phrase("We offer tracking"), Some("offer"));
    }
}

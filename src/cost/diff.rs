//! The cost delta between two versions of a flow: per recipient, per audience, per category,
//! with the paths and categories added or removed.

use super::FlowCost;
use crate::money::Money;
use crate::probability::MassSum;
use crate::rates::RateCategory;
use std::collections::BTreeSet;

/// One category's old and new expected figures per recipient.
#[derive(Debug, Clone)]
pub struct CategoryDelta {
    /// The category.
    pub category: RateCategory,
    /// Expected billable units per recipient, before.
    pub old_units: MassSum,
    /// Expected billable units per recipient, after.
    pub new_units: MassSum,
    /// Expected cost per recipient, before.
    pub old_cost: Money,
    /// Expected cost per recipient, after.
    pub new_cost: Money,
    /// Audience cost before and after, when an audience was given.
    pub audience: Option<(Money, Money)>,
}

/// The delta between two versions of one flow (either may be missing: added or removed flow).
#[derive(Debug, Clone)]
pub struct FlowDiff {
    /// The flow's name.
    pub flow: String,
    /// The recipient's country.
    pub country: String,
    /// The old version's cost, if it existed.
    pub old: Option<FlowCost>,
    /// The new version's cost, if it exists.
    pub new: Option<FlowCost>,
    /// Per category.
    pub categories: Vec<CategoryDelta>,
    /// Routes only the new version has.
    pub added_paths: Vec<String>,
    /// Routes only the old version had.
    pub removed_paths: Vec<String>,
    /// Categories billed only in the new version.
    pub added_categories: Vec<RateCategory>,
    /// Categories billed only in the old version.
    pub removed_categories: Vec<RateCategory>,
}

fn line(v: &Option<FlowCost>, c: RateCategory) -> Option<&super::CategoryCost> {
    v.as_ref().and_then(|f| f.category(c))
}

fn expected(cost: Option<&FlowCost>) -> Money {
    cost.map_or(Money::ZERO, |c| c.expected)
}

fn audience(cost: Option<&FlowCost>) -> Option<Money> {
    cost.map(|c| c.audience.as_ref().map_or(Money::ZERO, |a| a.expected))
}

impl FlowDiff {
    /// Compares two costs of one flow in one market.
    pub fn new(
        flow: String,
        country: String,
        old: Option<FlowCost>,
        new: Option<FlowCost>,
    ) -> FlowDiff {
        let routes = |c: &Option<FlowCost>| -> BTreeSet<String> {
            c.iter()
                .flat_map(|c| c.paths.iter().map(|p| p.route_text()))
                .collect()
        };
        let cats = |c: &Option<FlowCost>| -> BTreeSet<RateCategory> {
            c.iter()
                .flat_map(|c| c.categories.iter().map(|l| l.category))
                .collect()
        };
        let (ro, rn) = (routes(&old), routes(&new));
        let (co, cn) = (cats(&old), cats(&new));
        let with_audience = old.iter().chain(new.iter()).any(|c| c.audience.is_some());
        let categories = co
            .union(&cn)
            .map(|&c| {
                let units =
                    |v: &Option<FlowCost>| line(v, c).map_or(MassSum::default(), |l| l.expected);
                let cost =
                    |v: &Option<FlowCost>| line(v, c).map_or(Money::ZERO, |l| l.expected_cost);
                let aud = |v: &Option<FlowCost>| {
                    line(v, c)
                        .and_then(|l| l.audience.as_ref())
                        .and_then(|a| a.cost)
                        .unwrap_or(Money::ZERO)
                };
                CategoryDelta {
                    category: c,
                    old_units: units(&old),
                    new_units: units(&new),
                    old_cost: cost(&old),
                    new_cost: cost(&new),
                    audience: with_audience.then(|| (aud(&old), aud(&new))),
                }
            })
            .collect();
        FlowDiff {
            flow,
            country,
            added_paths: rn.difference(&ro).cloned().collect(),
            removed_paths: ro.difference(&rn).cloned().collect(),
            added_categories: cn.difference(&co).copied().collect(),
            removed_categories: co.difference(&cn).copied().collect(),
            categories,
            old,
            new,
        }
    }

    /// Expected cost per recipient, before.
    pub fn old_expected(&self) -> Money {
        expected(self.old.as_ref())
    }

    /// Expected cost per recipient, after.
    pub fn new_expected(&self) -> Money {
        expected(self.new.as_ref())
    }

    /// New minus old, per recipient.
    pub fn delta(&self) -> Money {
        self.new_expected() - self.old_expected()
    }

    /// Audience totals before and after, when an audience was given.
    pub fn audience(&self) -> Option<(Money, Money)> {
        let (o, n) = (audience(self.old.as_ref()), audience(self.new.as_ref()));
        let given = self
            .old
            .iter()
            .chain(self.new.iter())
            .any(|c| c.audience.is_some());
        given.then(|| (o.unwrap_or(Money::ZERO), n.unwrap_or(Money::ZERO)))
    }

    /// Whether every price on both sides is known.
    pub fn complete(&self) -> bool {
        self.old.iter().chain(self.new.iter()).all(|c| c.complete)
    }
}

/// The budget guardrail of `diff`: exceeded when the total increase is above an amount or a
/// percentage of the old total.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Budget {
    /// Largest allowed increase, in USD (per audience when one is given, else per recipient).
    pub above: Option<Money>,
    /// Largest allowed increase, in percent of the old total.
    pub above_percent: Option<f64>,
}

impl Budget {
    /// Why the increase from `old` to `new` breaks the budget, if it does.
    pub fn breach(&self, old: Money, new: Money, per: &str) -> Option<String> {
        let delta = new - old;
        if let Some(limit) = self.above {
            if delta > limit {
                return Some(format!(
                    "the new version costs {} more {per} ({} → {}), above --fail-above {}",
                    delta.total(),
                    old.total(),
                    new.total(),
                    limit.total()
                ));
            }
        }
        if let Some(p) = self.above_percent {
            let over = if old == Money::ZERO {
                delta > Money::ZERO
            } else {
                // Compare delta / old > p / 100 in integers: delta × 100 × 10⁶ > p × 10⁶ × old.
                // A percentage so large that the product overflows is never exceeded.
                let lhs = i128::from(delta.micros()) * 100_000_000;
                let rhs = ((p * 1e6).round() as i128).checked_mul(i128::from(old.micros()));
                rhs.is_some_and(|rhs| lhs > rhs)
            };
            if over {
                let percent = if old == Money::ZERO {
                    "from zero".to_string()
                } else {
                    format!(
                        "+{:.1}%",
                        delta.micros() as f64 * 100.0 / old.micros() as f64
                    )
                };
                return Some(format!(
                    "the new version costs {} more {per} ({percent}: {} → {}), above --fail-above-percent {p}",
                    delta.total(),
                    old.total(),
                    new.total()
                ));
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn budgets_break_on_amounts_and_percentages() {
        let m = Money::from_micros;
        let amount = Budget {
            above: Some(m(10_000)),
            above_percent: None,
        };
        assert!(amount
            .breach(m(50_000), m(60_000), "per recipient")
            .is_none());
        assert!(amount
            .breach(m(50_000), m(60_001), "per recipient")
            .is_some());
        let percent = Budget {
            above: None,
            above_percent: Some(20.0),
        };
        assert!(percent.breach(m(50_000), m(60_000), "x").is_none());
        assert!(percent.breach(m(50_000), m(60_001), "x").is_some());
        assert!(percent.breach(m(0), m(1), "x").is_some());
        assert!(percent.breach(m(50_000), m(40_000), "x").is_none());
    }
}

//! Price a simulation: every charge of every path at the rate card in force, the expected cost
//! per recipient (split weights × reply assumptions), and the totals for an audience with the
//! allowances and volume discounts that apply to it.
//!
//! Pure apart from what the caller passes in: a flow, a simulation, a [`RateBook`].

pub mod compare;
pub mod diff;

use crate::billing::{Category, EventKind, PricingModel, Reason, Unit};
use crate::flow::Flow;
use crate::money::Money;
use crate::probability::MassSum;
use crate::rates::{
    auth_international_since, tiered_cost, MarketOf, Price, RateBook, RateCategory,
};
use crate::simulate::{simulate, Options, Path, Prices, SimError, Simulation};
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use std::collections::{BTreeMap, BTreeSet};

/// Rule 6: free service conversations per business and calendar month, until 2024-10-31.
pub const FREE_SERVICE_CONVERSATIONS_PER_MONTH: u64 = 1_000;
/// Rule 15 (`service_free_per_number_month`): free service messages per business phone number
/// and calendar month under `pmp-2026-10`.
pub const SERVICE_FREE_PER_NUMBER_MONTH: u64 = 1_000;
/// The smallest first-band limit in `tiers.csv`: below it no market discounts anything, so a
/// missing tier table only deserves a note above it.
const SMALLEST_TIER_LIMIT: u64 = 100_000;

/// What the audience-level figures assume (what customers do is the simulation's
/// [`crate::simulate::Customer`]).
#[derive(Debug, Clone)]
pub struct CostOptions {
    /// Recipients in one calendar month, if totals are wanted.
    pub audience: Option<u64>,
    /// Business phone numbers sending (rule 15's allowance is per number).
    pub phone_numbers: u64,
    /// The business's country, for authentication-international (rule 8).
    pub business_country: Option<String>,
    /// The business account's UTC offset: the card's date is the start's date there.
    pub account_tz: FixedOffset,
}

impl Default for CostOptions {
    fn default() -> Self {
        CostOptions {
            audience: None,
            phone_numbers: 1,
            business_country: None,
            account_tz: FixedOffset::east_opt(0).unwrap_or_else(|| unreachable!()),
        }
    }
}

/// A business message of a path and what became of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageFate {
    /// The node that sent it.
    pub node: String,
    /// Its rate category.
    pub category: RateCategory,
    /// The charge it opened or is: (billable, reason); `None` when it rode on a conversation
    /// already open or was refused.
    pub charge: Option<(bool, Reason)>,
}

/// A conversation or charged message with its price.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PricedCharge {
    /// The node whose message opened or is the charge (`None` for the trigger).
    pub node: Option<String>,
    /// Rate category (authentication-international where rule 8 applies).
    pub category: RateCategory,
    /// Whether Meta bills it.
    pub billable: bool,
    /// Why it is billable or free.
    pub reason: Reason,
    /// Its price: zero when free, `None` when billable at an unknown price.
    pub price: Option<Money>,
    /// Whether its node sends a template of unknown category, billed as the category the
    /// figures are for.
    pub category_assumed: bool,
}

/// One path with its cost for one recipient.
#[derive(Debug, Clone)]
pub struct PathCost {
    /// 1-based id, as `simulate` numbers paths.
    pub id: usize,
    /// Node ids visited.
    pub route: Vec<String>,
    /// Its probability under the customer model (split shares, retry rate, reply rate).
    pub probability: f64,
    /// Listed as the dearest path.
    pub dearest: bool,
    /// Reply-wait outcomes on the path: (node, `replied`/`timed_out`).
    pub assumptions: Vec<(String, &'static str)>,
    /// Its charges.
    pub charges: Vec<PricedCharge>,
    /// Its business messages, in order.
    pub messages: Vec<MessageFate>,
    /// Billable conversations or messages per category.
    pub billable: BTreeMap<RateCategory, u64>,
    /// The sum of the known prices.
    pub cost: Money,
    /// Billable charges whose price is unknown.
    pub unknown: u64,
}

impl PathCost {
    /// `greet → ask → welcome → done`.
    pub fn route_text(&self) -> String {
        self.route.join(" → ")
    }
}

/// An allowance or discount applied to an audience total.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allowance {
    /// The category it reduces.
    pub category: RateCategory,
    /// `free_tier` or `volume_tiers`.
    pub kind: &'static str,
    /// The rule of docs/billing.md it applies (`rule 6`).
    pub rule: &'static str,
    /// Messages or conversations it concerns (free ones, or all of the tiered ones).
    pub units: u64,
    /// What it saves against the list price.
    pub saving: Money,
    /// For people.
    pub description: String,
}

/// The audience figures of one category.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AudienceLine {
    /// Billable conversations or messages for the whole audience (expected, rounded once).
    pub units: u64,
    /// At list price (`None`: price unknown).
    pub list: Option<Money>,
    /// After allowances and volume tiers.
    pub cost: Option<Money>,
    /// What applied.
    pub allowances: Vec<Allowance>,
}

/// One category of a flow's cost.
#[derive(Debug, Clone)]
pub struct CategoryCost {
    /// The category.
    pub category: RateCategory,
    /// The list price of one unit (for service under `pmp-2026-10`: the utility price).
    pub price: Price,
    /// Expected billable units per recipient.
    pub expected: MassSum,
    /// Expected cost per recipient (known prices only).
    pub expected_cost: Money,
    /// Fewest and most billable units on a path.
    pub min: u64,
    /// Most billable units on a path.
    pub max: u64,
    /// Totals for the audience.
    pub audience: Option<AudienceLine>,
}

/// A flow's audience totals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AudienceTotal {
    /// Recipients.
    pub recipients: u64,
    /// Every recipient on the cheapest path.
    pub min: Money,
    /// Expected total, allowances and tiers applied.
    pub expected: Money,
    /// Every recipient on the dearest path.
    pub max: Money,
    /// Expected total at list prices.
    pub list: Money,
}

/// The cost of one flow in one market on one date.
#[derive(Debug, Clone)]
pub struct FlowCost {
    /// The flow's name.
    pub flow: String,
    /// Its file.
    pub file: String,
    /// The recipient's country and market.
    pub market: MarketOf,
    /// The pricing model applied.
    pub model: PricingModel,
    /// The start.
    pub at: DateTime<Utc>,
    /// The card date (the start's date in the account's time zone).
    pub date: NaiveDate,
    /// The reply rate used for expected values.
    pub reply_rate: f64,
    /// The customer model the figures are for.
    pub customer: crate::simulate::Customer,
    /// The listed paths (the most probable, and the dearest).
    pub paths: Vec<PathCost>,
    /// Paths in all (saturating).
    pub total_paths: u128,
    /// The cheapest path (known prices; the most probable among equals).
    pub cheapest: PathCost,
    /// The dearest path.
    pub dearest: PathCost,
    /// Categories with a billable unit on some path.
    pub categories: Vec<CategoryCost>,
    /// Cheapest path cost per recipient (known prices).
    pub min: Money,
    /// Expected cost per recipient.
    pub expected: Money,
    /// Dearest path cost per recipient.
    pub max: Money,
    /// No billable charge has an unknown price.
    pub complete: bool,
    /// The cards prices came from.
    pub cards: BTreeSet<String>,
    /// Things the reader should know (fallbacks, missing data, applied rules).
    pub notes: Vec<String>,
    /// Audience totals, when an audience was given.
    pub audience: Option<AudienceTotal>,
    /// When the flow sends templates of unknown category: the range over the categories they
    /// can have (the other figures are those of the dearest).
    pub uncategorised: Option<Uncategorised>,
}

/// The cost of a flow that sends templates of unknown category, for each category they can
/// have (all of them taking the same one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Uncategorised {
    /// The templates (or node ids) whose category is unknown.
    pub templates: Vec<String>,
    /// Per category: cheapest path, expected, dearest path, per recipient.
    pub by_category: Vec<(Category, Money, Money, Money)>,
    /// The category with the lowest expected cost.
    pub cheapest: Category,
    /// The category with the highest expected cost (the one the other figures are for).
    pub dearest: Category,
    /// The lowest expected cost.
    pub expected_low: Money,
}

/// The categories a template of unknown category can have.
pub const UNKNOWN_CANDIDATES: [Category; 3] = [
    Category::Utility,
    Category::Authentication,
    Category::Marketing,
];

/// The simulations `cost` prices a flow with: one, or, when it sends templates of unknown
/// category, one per category they can have.
pub fn simulations(
    flow: &Flow,
    options: &Options,
) -> Result<Vec<(Category, Simulation)>, SimError> {
    if flow.uncategorised_sends().is_empty() {
        return Ok(vec![(options.unknown_as, simulate(flow, options)?)]);
    }
    UNKNOWN_CANDIDATES
        .into_iter()
        .map(|c| {
            let mut o = options.clone();
            o.unknown_as = c;
            simulate(flow, &o).map(|s| (c, s))
        })
        .collect()
}

/// Prices the simulations of [`simulations`] for `country`: the cost of the dearest, with the
/// cheapest path and the dearest path over all of them, and the range.
pub fn price_all(
    flow: &Flow,
    options: &Options,
    sims: &[(Category, Simulation)],
    country: &str,
    book: &RateBook,
    opts: &CostOptions,
) -> Result<FlowCost, SimError> {
    let mut priced = Vec::with_capacity(sims.len());
    for (c, sim) in sims {
        let mut o = options.clone();
        o.unknown_as = *c;
        priced.push((*c, price_simulation(flow, &o, sim, country, book, opts)?));
    }
    if priced.len() == 1 {
        return priced.pop().map(|(_, p)| p).ok_or(SimError::TooLong);
    }
    let by_category: Vec<(Category, Money, Money, Money)> = priced
        .iter()
        .map(|(c, p)| (*c, p.min, p.expected, p.max))
        .collect();
    let low = by_category
        .iter()
        .min_by_key(|x| x.2)
        .map_or((Category::Utility, Money::ZERO), |x| (x.0, x.2));
    let high = priced
        .iter()
        .enumerate()
        .max_by_key(|(_, (_, p))| p.expected)
        .map_or(0, |(i, _)| i);
    let min = priced
        .iter()
        .map(|(_, p)| p.min)
        .min()
        .unwrap_or(Money::ZERO);
    let max = priced
        .iter()
        .map(|(_, p)| p.max)
        .max()
        .unwrap_or(Money::ZERO);
    let complete = priced.iter().all(|(_, p)| p.complete);
    let (dearest, mut cost) = priced.swap_remove(high);
    let templates = flow.uncategorised_templates();
    let (it, is) = if templates.len() == 1 {
        ("it", "is")
    } else {
        ("they", "are")
    };
    cost.notes.push(format!(
        "{} template{} of unknown category ({}): expected {} per recipient if {it} {is} {}, {} if {it} {is} {}; min and max cover every category, the other figures are for {}",
        templates.len(),
        if templates.len() == 1 { "" } else { "s" },
        templates.iter().map(|t| format!("`{t}`")).collect::<Vec<_>>().join(", "),
        low.1.price(),
        low.0,
        cost.expected.price(),
        dearest,
        dearest
    ));
    cost.min = min;
    cost.max = max;
    cost.complete = complete;
    cost.uncategorised = Some(Uncategorised {
        templates,
        by_category,
        cheapest: low.0,
        dearest,
        expected_low: low.1,
    });
    Ok(cost)
}

impl FlowCost {
    /// The category line, if the category is billed on some path.
    pub fn category(&self, c: RateCategory) -> Option<&CategoryCost> {
        self.categories.iter().find(|l| l.category == c)
    }
}

/// Simulates `flow` with `options` and prices it for a recipient in `country` (with the range
/// over the categories of templates of unknown category, see [`price_all`]).
pub fn cost_flow(
    flow: &Flow,
    options: &Options,
    country: &str,
    book: &RateBook,
    opts: &CostOptions,
) -> Result<FlowCost, SimError> {
    let sims = simulations(flow, options)?;
    price_all(flow, options, &sims, country, book, opts)
}

/// A path's charges and messages at the prices of `price_of`.
fn price_path(
    flow: &Flow,
    id: usize,
    path: &Path,
    rate_category: &dyn Fn(Category) -> RateCategory,
    price_of: &mut dyn FnMut(RateCategory) -> Price,
) -> PathCost {
    let nodes = &flow.nodes;
    let node_id = |event: usize| path.event_nodes[event].map(|n| nodes[n].id.clone());
    let mut billable = BTreeMap::new();
    let mut cost = Money::ZERO;
    let mut unknown = 0;
    let mut charges = Vec::new();
    for c in &path.bill.charges {
        let category = rate_category(c.category);
        let price = if c.billable {
            *billable.entry(category).or_insert(0) += 1;
            let p = price_of(category).amount;
            match p {
                Some(p) => cost += p,
                None => unknown += 1,
            }
            p
        } else {
            Some(Money::ZERO)
        };
        charges.push(PricedCharge {
            node: node_id(c.event),
            category,
            billable: c.billable,
            reason: c.reason,
            price,
            category_assumed: path.event_nodes[c.event]
                .is_some_and(|n| flow.uncategorised(&nodes[n])),
        });
    }
    let messages = path
        .events
        .iter()
        .enumerate()
        .filter_map(|(e, ev)| {
            let category = match ev.kind {
                EventKind::FreeForm => Category::Service,
                EventKind::Template(c) => c,
                EventKind::CustomerMessage(_) => return None,
            };
            let charge = path
                .bill
                .charges
                .iter()
                .find(|c| c.event == e)
                .map(|c| (c.billable, c.reason));
            Some(MessageFate {
                node: node_id(e).unwrap_or_default(),
                category: rate_category(category),
                charge,
            })
        })
        .collect();
    PathCost {
        id,
        route: path.route.iter().map(|&n| nodes[n].id.clone()).collect(),
        probability: path.probability,
        dearest: path.dearest,
        assumptions: path
            .assumptions
            .iter()
            .map(|a| (nodes[a.node].id.clone(), a.outcome.name()))
            .collect(),
        charges,
        messages,
        billable,
        cost,
        unknown,
    }
}

/// Prices an existing simulation (see [`cost_flow`]): min, expected and max over every path,
/// per category, and the listed paths one by one.
pub fn price_simulation(
    flow: &Flow,
    options: &Options,
    sim: &Simulation,
    country: &str,
    book: &RateBook,
    opts: &CostOptions,
) -> Result<FlowCost, SimError> {
    let date = options.start.with_timezone(&opts.account_tz).date_naive();
    let model = options.model;
    let unit = model.unit();
    let market = book.market_of(country, date);
    let mut notes: Vec<String> = market.note.iter().cloned().collect();
    let international = match &opts.business_country {
        Some(bc) if bc != country => match auth_international_since(&market.market) {
            Some(since) if since <= date => true,
            Some(since) => {
                notes.push(format!(
                    "authentication-international applies in {} only from {since}: plain authentication rate used",
                    market.market
                ));
                false
            }
            None => false,
        },
        _ => false,
    };
    let rate_category = |c: Category| match c {
        Category::Authentication if international => RateCategory::AuthenticationInternational,
        c => RateCategory::of(c),
    };
    let mut prices: BTreeMap<RateCategory, Price> = BTreeMap::new();
    let mut price_of = |c: RateCategory| {
        prices
            .entry(c)
            .or_insert_with(|| {
                // Rule 15: a service message costs the market's utility price.
                let looked_up = if c == RateCategory::Service && model == PricingModel::Pmp2026_10 {
                    RateCategory::Utility
                } else {
                    c
                };
                book.price(&market.market, looked_up, date, unit)
            })
            .clone()
    };
    let unit_prices: Prices = Category::ALL.map(|c| price_of(rate_category(c)).amount);
    let paths: Vec<PathCost> = sim
        .paths
        .iter()
        .enumerate()
        .map(|(i, p)| price_path(flow, i + 1, p, &rate_category, &mut price_of))
        .collect();
    let cheapest = sim.extreme(flow, options, &unit_prices, true)?;
    let dearest = sim.extreme(flow, options, &unit_prices, false)?;
    let cheapest = price_path(flow, 0, &cheapest, &rate_category, &mut price_of);
    let dearest = price_path(flow, 0, &dearest, &rate_category, &mut price_of);
    let mut categories = Vec::new();
    let mut cards = BTreeSet::new();
    for (c, line) in &sim.totals.by_category {
        let rc = rate_category(*c);
        let price = price_of(rc);
        if let Some(card) = &price.card {
            cards.insert(card.clone());
        }
        if let Some(why) = &price.unknown_why {
            notes.push(format!("price unknown: {why}; the charge still counts"));
        }
        categories.push(CategoryCost {
            category: rc,
            expected_cost: price.amount.map_or(Money::ZERO, |a| line.expected.money(a)),
            price,
            expected: line.expected,
            min: u64::from(line.min),
            max: u64::from(line.max),
            audience: None,
        });
    }
    categories.sort_by_key(|c| c.category);
    if model == PricingModel::Pmp2026_10
        && categories
            .iter()
            .any(|c| c.category == RateCategory::Service)
    {
        notes.push("service messages are priced at the market's utility rate (rule 15)".into());
    }
    if let Some(asked) = sim.lowered_from {
        notes.push(crate::simulate::lowered_warning(
            asked,
            sim.customer.max_visits,
            options.max_states,
        ));
    }
    let whole = sim.priced(&unit_prices);
    let complete = !whole.incomplete;
    if !complete {
        notes.push("totals are incomplete: some billable charges have no known price".into());
    }
    let mut cost = FlowCost {
        flow: flow.name.clone(),
        file: flow.source.name.clone(),
        market,
        model,
        at: options.start,
        date,
        reply_rate: sim.customer.reply_rate,
        customer: sim.customer,
        min: whole.min,
        expected: whole.expected,
        max: whole.max,
        complete,
        cards,
        notes,
        audience: None,
        categories,
        paths,
        total_paths: sim.totals.paths,
        cheapest,
        dearest,
        uncategorised: None,
    };
    if let Some(n) = opts.audience {
        apply_audience(&mut cost, n, book, opts).ok_or(SimError::TooMuchMoney)?;
    }
    Ok(cost)
}

/// The cost of `units` billable units of one category for the audience, with the allowances
/// and tiers that apply (rules 6, 13, 15).
fn audience_line(
    cost: &FlowCost,
    line: &CategoryCost,
    units: u64,
    book: &RateBook,
    opts: &CostOptions,
    notes: &mut Vec<String>,
) -> Option<AudienceLine> {
    let Some(price) = line.price.amount else {
        return Some(AudienceLine {
            units,
            list: None,
            cost: None,
            allowances: Vec::new(),
        });
    };
    // `count_times` saturates: the largest count is an overflow too.
    let list = price.checked_times(units).filter(|_| units < u64::MAX)?;
    let mut allowances = Vec::new();
    let mut total = list;
    let c = line.category;
    let free = match (c, cost.model) {
        (RateCategory::Service, PricingModel::Cbp) => Some((
            FREE_SERVICE_CONVERSATIONS_PER_MONTH,
            "rule 6",
            "first 1,000 service conversations per business and month free (until 2024-10-31)"
                .to_string(),
        )),
        (RateCategory::Service, PricingModel::Pmp2026_10) => Some((
            SERVICE_FREE_PER_NUMBER_MONTH.saturating_mul(opts.phone_numbers),
            "rule 15",
            format!(
                "first 1,000 service messages per business phone number and month free ({} number{})",
                opts.phone_numbers,
                if opts.phone_numbers == 1 { "" } else { "s" }
            ),
        )),
        _ => None,
    };
    if let Some((allowance, rule, description)) = free {
        let free_units = allowance.min(units);
        if free_units > 0 {
            let saving = price.times(free_units);
            total = total - saving;
            allowances.push(Allowance {
                category: c,
                kind: "free_tier",
                rule,
                units: free_units,
                saving,
                description,
            });
        }
    }
    let tiered = matches!(
        c,
        RateCategory::Utility
            | RateCategory::Authentication
            | RateCategory::AuthenticationInternational
    );
    if tiered && cost.model.unit() == Unit::Message {
        let tiers = book.tiers(&cost.market.market, c, cost.date);
        if let Some(first) = tiers.first() {
            if first.price != price {
                notes.push(format!(
                    "volume tiers for {} {c} not applied: the list price used ({}) differs from the tier card's first band ({})",
                    cost.market.market,
                    price.price(),
                    first.price.price()
                ));
            } else {
                let with_tiers = tiered_cost(&tiers, units)?;
                let saving = list - with_tiers;
                if saving > Money::ZERO {
                    total = with_tiers;
                    allowances.push(Allowance {
                        category: c,
                        kind: "volume_tiers",
                        rule: "rule 13",
                        units,
                        saving,
                        description: format!(
                            "volume tiers of {} {c}: messages beyond {} a month are discounted",
                            cost.market.market,
                            crate::money::group_thousands(
                                &first.to.unwrap_or(u64::MAX).to_string()
                            )
                        ),
                    });
                }
            }
        } else if units > SMALLEST_TIER_LIMIT {
            notes.push(match book.tiers_effective() {
                Some(d) if d <= cost.date => format!(
                    "volume tiers for {} {c} are not in tiers.csv (a partial table): list price used",
                    cost.market.market
                ),
                _ => format!("no volume-tier card is known for {}: list prices used for {c}", cost.date),
            });
        }
    }
    Some(AudienceLine {
        units,
        list: Some(list),
        cost: Some(total),
        allowances,
    })
}

/// The audience totals; `None` when an amount passes the largest [`Money`] (checked
/// arithmetic: a total is never wrapped or saturated).
fn apply_audience(cost: &mut FlowCost, n: u64, book: &RateBook, opts: &CostOptions) -> Option<()> {
    let mut notes = Vec::new();
    let mut expected = Money::ZERO;
    let mut list = Money::ZERO;
    let mut lines = Vec::new();
    for line in &cost.categories {
        let units = line.expected.count_times(n);
        let a = audience_line(cost, line, units, book, opts, &mut notes)?;
        expected = expected.checked_add(a.cost.unwrap_or(Money::ZERO))?;
        list = list.checked_add(a.list.unwrap_or(Money::ZERO))?;
        lines.push(a);
    }
    // Every recipient on one path: the cheapest and the dearest.
    let scenario = |path: &PathCost, scratch: &mut Vec<String>| -> Option<Money> {
        let mut sum = Money::ZERO;
        for line in &cost.categories {
            let per_recipient = path.billable.get(&line.category).copied().unwrap_or(0);
            let units = per_recipient.checked_mul(n)?;
            let a = audience_line(cost, line, units, book, opts, scratch)?;
            sum = sum.checked_add(a.cost.unwrap_or(Money::ZERO))?;
        }
        Some(sum)
    };
    let mut scratch = Vec::new();
    let min = scenario(&cost.cheapest, &mut scratch)?;
    let max = scenario(&cost.dearest, &mut scratch)?;
    for (line, a) in cost.categories.iter_mut().zip(lines) {
        line.audience = Some(a);
    }
    for note in notes {
        if !cost.notes.contains(&note) {
            cost.notes.push(note);
        }
    }
    cost.audience = Some(AudienceTotal {
        recipients: n,
        min,
        expected,
        max,
        list,
    });
    Some(())
}

/// Every allowance applied to a flow's expected audience total.
pub fn allowances(cost: &FlowCost) -> Vec<&Allowance> {
    cost.categories
        .iter()
        .filter_map(|c| c.audience.as_ref())
        .flat_map(|a| a.allowances.iter())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::SourceFile;
    use crate::flow::parse_flow;

    const MIXED: &str = "flow: m\ntrigger: customer_message\nnodes:\n  - { id: greet, type: send_message }\n  - { id: ask, type: wait_for_reply, timeout: 24h, on_reply: welcome, on_timeout: done }\n  - { id: welcome, type: send_update, category: marketing }\n  - { id: done, type: end }\n";

    fn run(yaml: &str, at: &str, country: &str, opts: &CostOptions) -> FlowCost {
        let flow = parse_flow(SourceFile::new("t.yaml", yaml), None).unwrap();
        let at: DateTime<Utc> = at.parse().unwrap();
        let model = PricingModel::in_force_at(at, opts.account_tz).unwrap();
        let book = RateBook::builtin().unwrap();
        cost_flow(&flow, &Options::new(at, model), country, &book, opts).unwrap()
    }

    #[test]
    fn expected_cost_weights_paths_by_reply_rate() {
        // GB, 2026-11-02: service at the utility rate 0.0220 on both paths, marketing 0.0635
        // on the replied path (30%): 0.0220 + 0.3 × 0.0635 = 0.04105.
        let c = run(MIXED, "2026-11-02T10:00:00Z", "GB", &CostOptions::default());
        assert_eq!(c.min.micros(), 22_000);
        assert_eq!(c.max.micros(), 85_500);
        assert_eq!(c.expected.micros(), 41_050);
        assert!(c.complete);
    }

    #[test]
    fn service_free_tier_per_phone_number() {
        let opts = CostOptions {
            audience: Some(5_000),
            phone_numbers: 2,
            ..CostOptions::default()
        };
        let c = run(MIXED, "2026-11-02T10:00:00Z", "GB", &opts);
        let service = c
            .category(RateCategory::Service)
            .unwrap()
            .audience
            .clone()
            .unwrap();
        assert_eq!(service.units, 5_000);
        assert_eq!(service.list.unwrap().micros(), 5_000 * 22_000);
        assert_eq!(service.cost.unwrap().micros(), 3_000 * 22_000);
        assert_eq!(service.allowances[0].units, 2_000);
    }

    #[test]
    fn unknown_prices_still_count() {
        // The 2025-07-01 card has no row for the United Kingdom.
        let c = run(MIXED, "2025-08-01T10:00:00Z", "GB", &CostOptions::default());
        let m = c.category(RateCategory::Marketing).unwrap();
        assert_eq!(m.price.amount, None);
        assert_eq!(m.max, 1);
        assert!(!c.complete);
    }
}

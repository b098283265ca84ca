//! Rate cards: Meta's list prices per market and category, by effective date, as data.
//!
//! The built-in cards are the CSV files of `rates/` (Meta's list prices, read from the sources
//! named in each file's `#` header lines), embedded with `include_str!`. A user's own card
//! (`--rates FILE`, same columns) overrides or extends them. Countries map to Meta's markets
//! through `rates/markets.csv`, with `rates/markets_changes.csv` for older membership.
//!
//! Resolution (rates/README.md): the newest row with `effective_date <= date` for (market,
//! category), user rows before built-in ones, but never a `conversation` price for a date from
//! 2025-07-01 on and never a price of the other unit than the pricing model bills: there the
//! price is *unknown*, and the charge still counts.

pub mod csv;

use crate::billing::{Category, Unit};
use crate::diagnostic::{closest, LoadError, Problem, SourceFile};
use crate::money::Money;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;

/// A rate-card category: the billing categories plus the separate authentication-international
/// rate (rule 8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RateCategory {
    /// Marketing templates or conversations.
    Marketing,
    /// Utility templates or conversations.
    Utility,
    /// Authentication templates or conversations.
    Authentication,
    /// Authentication sent by a business based outside the recipient's country (rule 8).
    AuthenticationInternational,
    /// Service conversations, or free-form messages under `pmp-2026-10`.
    Service,
}

impl RateCategory {
    /// Every category, in the order of Meta's cards.
    pub const ALL: [RateCategory; 5] = [
        RateCategory::Marketing,
        RateCategory::Utility,
        RateCategory::Authentication,
        RateCategory::AuthenticationInternational,
        RateCategory::Service,
    ];

    /// The name used in CSV and JSON.
    pub fn name(self) -> &'static str {
        match self {
            RateCategory::Marketing => "marketing",
            RateCategory::Utility => "utility",
            RateCategory::Authentication => "authentication",
            RateCategory::AuthenticationInternational => "authentication_international",
            RateCategory::Service => "service",
        }
    }

    /// The plain category (authentication-international is authentication).
    pub fn of(category: Category) -> RateCategory {
        match category {
            Category::Marketing => RateCategory::Marketing,
            Category::Utility => RateCategory::Utility,
            Category::Authentication => RateCategory::Authentication,
            Category::Service => RateCategory::Service,
        }
    }
}

impl fmt::Display for RateCategory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for RateCategory {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        RateCategory::ALL
            .into_iter()
            .find(|c| c.name() == s)
            .ok_or_else(|| format!("`{s}` is not a rate category"))
    }
}

/// The rest-of-world market every unlisted country is billed in.
pub const OTHER: &str = "Other";

/// First day of per-message pricing: no conversation price is used from this day on.
pub fn per_message_start() -> NaiveDate {
    date(2025, 7, 1)
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// The built-in cards, one per effective date (file name = date).
const BUILTIN_CARDS: [(&str, &str); 12] = [
    ("2023-06-01.csv", include_str!("../../rates/2023-06-01.csv")),
    ("2024-06-01.csv", include_str!("../../rates/2024-06-01.csv")),
    ("2024-07-01.csv", include_str!("../../rates/2024-07-01.csv")),
    ("2024-08-01.csv", include_str!("../../rates/2024-08-01.csv")),
    ("2024-10-01.csv", include_str!("../../rates/2024-10-01.csv")),
    ("2024-11-01.csv", include_str!("../../rates/2024-11-01.csv")),
    ("2025-07-01.csv", include_str!("../../rates/2025-07-01.csv")),
    ("2025-10-01.csv", include_str!("../../rates/2025-10-01.csv")),
    ("2026-01-01.csv", include_str!("../../rates/2026-01-01.csv")),
    ("2026-04-01.csv", include_str!("../../rates/2026-04-01.csv")),
    ("2026-07-01.csv", include_str!("../../rates/2026-07-01.csv")),
    ("2026-10-01.csv", include_str!("../../rates/2026-10-01.csv")),
];
const MARKETS_CSV: &str = include_str!("../../rates/markets.csv");
const MARKET_CHANGES_CSV: &str = include_str!("../../rates/markets_changes.csv");
const TIERS_CSV: &str = include_str!("../../rates/tiers.csv");

/// Markets whose authentication-international rate applies, and from when (docs/billing.md rule 8:
/// Meta's authentication-international page; rule 18: the nine standalone markets of
/// 2026-10-01, each with its own authentication-international rate).
const AUTH_INTERNATIONAL_SINCE: [(&str, (i32, u32)); 18] = [
    ("Indonesia", (2024, 6)),
    ("India", (2024, 7)),
    ("Egypt", (2025, 2)),
    ("Malaysia", (2025, 2)),
    ("Nigeria", (2025, 2)),
    ("Pakistan", (2025, 2)),
    ("Saudi Arabia", (2025, 2)),
    ("South Africa", (2025, 2)),
    ("United Arab Emirates", (2025, 2)),
    ("Bangladesh", (2026, 10)),
    ("Iraq", (2026, 10)),
    ("Nepal", (2026, 10)),
    ("Sri Lanka", (2026, 10)),
    ("Kazakhstan", (2026, 10)),
    ("Kuwait", (2026, 10)),
    ("Morocco", (2026, 10)),
    ("Oman", (2026, 10)),
    ("Ukraine", (2026, 10)),
];

/// From when authentication to `market` by a business based elsewhere is billed at the
/// authentication-international rate, if ever.
pub fn auth_international_since(market: &str) -> Option<NaiveDate> {
    AUTH_INTERNATIONAL_SINCE
        .iter()
        .find(|(m, _)| *m == market)
        .map(|(_, (y, m))| date(*y, *m, 1))
}

/// One price of a card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rate {
    /// Meta's market name (`Germany`, `Rest of Africa`, `Other`).
    pub market: String,
    /// The category.
    pub category: RateCategory,
    /// The list price of one unit.
    pub price: Money,
    /// Per conversation or per message.
    pub unit: Unit,
    /// First day it applies.
    pub effective: NaiveDate,
    /// The card it comes from (`2026-10-01.csv`, or the user's file name).
    pub card: String,
    /// From a user's `--rates` file.
    pub user: bool,
}

/// A card file: its name, date and `#` header lines (sources, confidence).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardInfo {
    /// File name.
    pub name: String,
    /// Its `# effective_date:`, if it states one.
    pub effective: Option<NaiveDate>,
    /// The `#` header lines.
    pub header: Vec<String>,
    /// A user's `--rates` file.
    pub user: bool,
}

/// One volume-tier band (rule 13): messages `from..=to` of a month are priced at `price`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tier {
    /// Meta's market name.
    pub market: String,
    /// Utility, authentication or authentication-international.
    pub category: RateCategory,
    /// First message count of the band (the first band starts at 0 or 1).
    pub from: u64,
    /// Last message count of the band, inclusive; `None`: no upper bound.
    pub to: Option<u64>,
    /// Price per message in the band.
    pub price: Money,
}

/// A country's move between markets (`markets_changes.csv`).
#[derive(Debug, Clone, PartialEq, Eq)]
struct MarketChange {
    country: String,
    from: String,
    to: String,
    effective: NaiveDate,
}

/// The market a recipient's country is billed in on a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MarketOf {
    /// ISO 3166-1 alpha-2 country code.
    pub country: String,
    /// Meta's market name.
    pub market: String,
    /// Why it is not the obvious market: `Other` fallback, or an older membership.
    pub note: Option<String>,
}

/// A resolved price: known (with the card it came from) or unknown (with why).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Price {
    /// The price, if known.
    pub amount: Option<Money>,
    /// The card that gave it.
    pub card: Option<String>,
    /// Why it is unknown.
    pub unknown_why: Option<String>,
}

/// Every rate card, country mapping and tier table flowcost knows.
#[derive(Debug, Clone)]
pub struct RateBook {
    rates: Vec<Rate>,
    cards: Vec<CardInfo>,
    countries: BTreeMap<String, String>,
    changes: Vec<MarketChange>,
    tiers: Vec<Tier>,
    tiers_effective: Option<NaiveDate>,
}

fn problems(file: Arc<SourceFile>, problems: Vec<Problem>) -> LoadError {
    LoadError { file, problems }
}

fn parse_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()
}

impl RateBook {
    /// The built-in cards, markets and tiers.
    pub fn builtin() -> Result<RateBook, LoadError> {
        let mut book = RateBook {
            rates: Vec::new(),
            cards: Vec::new(),
            countries: BTreeMap::new(),
            changes: Vec::new(),
            tiers: Vec::new(),
            tiers_effective: None,
        };
        for (name, text) in BUILTIN_CARDS {
            book.add_card(SourceFile::new(name, text), false)?;
        }
        book.read_markets()?;
        book.read_tiers()?;
        Ok(book)
    }

    /// Reads a user's card (`--rates FILE`) over the built-in ones.
    pub fn load_user_card(&mut self, path: &Path) -> Result<(), LoadError> {
        let max = crate::flow::MAX_FILE_BYTES;
        let file = crate::flow::read_input(path, max, crate::flow::Input::RateCard)?;
        self.add_card(file, true)
    }

    /// Adds a card from text; `user` cards take precedence over built-in ones.
    pub fn add_card(&mut self, file: Arc<SourceFile>, user: bool) -> Result<(), LoadError> {
        let optional: &[&str] = if user { &["effective_date"] } else { &[] };
        let table = csv::read(
            &file,
            &["market", "category", "price_usd", "unit"],
            optional,
        )
        .map_err(|p| problems(file.clone(), p))?;
        let header_date = table.comment_value("effective_date");
        let mut found = table.problems.clone();
        let card_date = match header_date {
            Some(text) => match parse_date(text) {
                Some(d) => Some(d),
                None => {
                    found.push(
                        Problem::new(
                            "flowcost::bad-date",
                            format!("`# effective_date: {text}` is not a date"),
                        )
                        .help("write it as YYYY-MM-DD, like 2026-10-01"),
                    );
                    None
                }
            },
            None if user => None,
            None => {
                return Err(problems(
                    file,
                    vec![Problem::new(
                        "flowcost::bad-date",
                        "the card states no `# effective_date:`",
                    )],
                ))
            }
        };
        let known_markets = self.known_markets();
        let mut seen: BTreeMap<(String, RateCategory, NaiveDate), ()> = BTreeMap::new();
        let mut rows = Vec::new();
        for record in &table.records {
            let field = |c: &str| record.get(c).cloned();
            let Some(market) = field("market") else {
                continue;
            };
            let category = field("category").unwrap_or_else(|| market.clone());
            let price = field("price_usd").unwrap_or_else(|| market.clone());
            let unit = field("unit").unwrap_or_else(|| market.clone());
            let mut ok = true;
            if market.text.is_empty() {
                found.push(
                    Problem::new("flowcost::bad-rate", "the market is empty")
                        .at(Some(market.span), "here"),
                );
                ok = false;
            } else if user && !known_markets.contains(&market.text) {
                let mut p = Problem::new(
                    "flowcost::unknown-market",
                    format!("`{}` is not a market of Meta's rate cards", market.text),
                )
                .at(Some(market.span), "unknown market");
                p = match closest(&market.text, known_markets.iter().map(String::as_str)) {
                    Some(s) => p.help(format!("did you mean `{s}`? `flowcost rates` lists the markets")),
                    None => p.help("use Meta's market names as `flowcost rates` prints them, like `Germany` or `Rest of Africa`"),
                };
                found.push(p);
                ok = false;
            }
            let cat = match category.text.parse::<RateCategory>() {
                Ok(c) => Some(c),
                Err(e) => {
                    let names = RateCategory::ALL.map(|c| c.name());
                    let mut p = Problem::new("flowcost::bad-category", e)
                        .at(Some(category.span), "unknown category");
                    p = match closest(&category.text, names) {
                        Some(s) => p.help(format!("did you mean `{s}`?")),
                        None => p.help(format!("categories: {}", names.join(", "))),
                    };
                    found.push(p);
                    None
                }
            };
            let amount = match Money::parse(&price.text) {
                Ok(m) if m < Money::ZERO => {
                    found.push(
                        Problem::new(
                            "flowcost::bad-price",
                            format!("`{}` is negative", price.text),
                        )
                        .at(Some(price.span), "a price cannot be negative"),
                    );
                    None
                }
                Ok(m) => Some(m),
                Err(e) => {
                    found.push(
                        Problem::new("flowcost::bad-price", e)
                            .at(Some(price.span), "not a price")
                            .help("write the price in USD with a dot, like 0.0635"),
                    );
                    None
                }
            };
            let unit_value = match unit.text.as_str() {
                "conversation" => Some(Unit::Conversation),
                "message" => Some(Unit::Message),
                other => {
                    found.push(
                        Problem::new("flowcost::bad-unit", format!("`{other}` is not a unit"))
                            .at(Some(unit.span), "unknown unit")
                            .help("write `conversation` (until 2025-06-30) or `message` (from 2025-07-01)"),
                    );
                    None
                }
            };
            let effective = match record.get("effective_date").filter(|f| !f.text.is_empty()) {
                Some(f) => match parse_date(&f.text) {
                    Some(d) => Some(d),
                    None => {
                        found.push(
                            Problem::new(
                                "flowcost::bad-date",
                                format!("`{}` is not a date", f.text),
                            )
                            .at(Some(f.span), "not YYYY-MM-DD")
                            .help("write it as YYYY-MM-DD, like 2026-10-01"),
                        );
                        ok = false;
                        None
                    }
                },
                None => card_date,
            };
            // A user card without any date applies from the first day of the first model.
            let effective = effective.unwrap_or_else(|| date(2023, 6, 1));
            let (Some(cat), Some(amount), Some(unit_value), true) = (cat, amount, unit_value, ok)
            else {
                continue;
            };
            if seen
                .insert((market.text.clone(), cat, effective), ())
                .is_some()
            {
                found.push(
                    Problem::new(
                        "flowcost::duplicate-rate",
                        format!(
                            "a second `{}` price for {} from {effective}",
                            cat, market.text
                        ),
                    )
                    .at(Some(record.span), "duplicate row")
                    .help("keep one row per market, category and effective date"),
                );
                continue;
            }
            rows.push(Rate {
                market: market.text.clone(),
                category: cat,
                price: amount,
                unit: unit_value,
                effective,
                card: file.name.clone(),
                user,
            });
        }
        if !found.is_empty() {
            return Err(problems(file, found));
        }
        self.rates.extend(rows);
        self.cards.push(CardInfo {
            name: file.name.clone(),
            effective: card_date,
            header: table.comments,
            user,
        });
        Ok(())
    }

    fn read_markets(&mut self) -> Result<(), LoadError> {
        let file = SourceFile::new("markets.csv", MARKETS_CSV);
        let table =
            csv::read(&file, &["country", "market"], &[]).map_err(|p| problems(file.clone(), p))?;
        for r in &table.records {
            let (Some(c), Some(m)) = (r.get("country"), r.get("market")) else {
                continue;
            };
            self.countries.insert(c.text.clone(), m.text.clone());
        }
        let file = SourceFile::new("markets_changes.csv", MARKET_CHANGES_CSV);
        let table = csv::read(
            &file,
            &[
                "country",
                "from_market",
                "to_market",
                "effective_date",
                "sources",
            ],
            &[],
        )
        .map_err(|p| problems(file.clone(), p))?;
        for r in &table.records {
            let text = |c: &str| r.get(c).map(|f| f.text.clone()).unwrap_or_default();
            let Some(effective) = parse_date(&text("effective_date")) else {
                return Err(problems(
                    file.clone(),
                    vec![Problem::new("flowcost::bad-date", "bad effective_date")
                        .at(Some(r.span), "here")],
                ));
            };
            self.changes.push(MarketChange {
                country: text("country"),
                from: text("from_market"),
                to: text("to_market"),
                effective,
            });
        }
        Ok(())
    }

    fn read_tiers(&mut self) -> Result<(), LoadError> {
        let file = SourceFile::new("tiers.csv", TIERS_CSV);
        let table = csv::read(
            &file,
            &[
                "market",
                "category",
                "from_messages",
                "to_messages",
                "price_usd",
                "discount",
            ],
            &[],
        )
        .map_err(|p| problems(file.clone(), p))?;
        self.tiers_effective = table
            .comment_value("effective_date")
            .and_then(|t| parse_date(t.split_whitespace().next().unwrap_or("")));
        for r in &table.records {
            let text = |c: &str| r.get(c).map(|f| f.text.clone()).unwrap_or_default();
            let bad = || {
                problems(
                    file.clone(),
                    vec![
                        Problem::new("flowcost::bad-tier", "bad tier row").at(Some(r.span), "here")
                    ],
                )
            };
            let category = text("category").parse().map_err(|_| bad())?;
            let from = text("from_messages").parse().map_err(|_| bad())?;
            let to = match text("to_messages").as_str() {
                "" => None,
                t => Some(t.parse().map_err(|_| bad())?),
            };
            let price = Money::parse(&text("price_usd")).map_err(|_| bad())?;
            self.tiers.push(Tier {
                market: text("market"),
                category,
                from,
                to,
                price,
            });
        }
        Ok(())
    }

    /// Every market name of the built-in cards and of `markets.csv`.
    fn known_markets(&self) -> BTreeSet<String> {
        self.rates
            .iter()
            .filter(|r| !r.user)
            .map(|r| r.market.clone())
            .chain(self.countries.values().cloned())
            .chain([OTHER.to_string()])
            .collect()
    }

    /// The cards read, built-in first.
    pub fn cards(&self) -> &[CardInfo] {
        &self.cards
    }

    /// Whether a user's card was read.
    pub fn has_user_card(&self) -> bool {
        self.cards.iter().any(|c| c.user)
    }

    /// The market `country` is billed in on `date`: `markets.csv`, with older membership from
    /// `markets_changes.csv`; a country in no named market is billed at `Other`, and says so.
    pub fn market_of(&self, country: &str, on: NaiveDate) -> MarketOf {
        let older = self
            .changes
            .iter()
            .filter(|c| c.country == country && c.effective > on)
            .min_by_key(|c| c.effective);
        if let Some(change) = older {
            return MarketOf {
                country: country.to_string(),
                market: change.from.clone(),
                note: Some(format!(
                    "{country} is billed as {} until {} (then {}; markets_changes.csv)",
                    change.from,
                    change.effective.pred_opt().unwrap_or(change.effective),
                    change.to
                )),
            };
        }
        match self.countries.get(country) {
            Some(m) => MarketOf {
                country: country.to_string(),
                market: m.clone(),
                note: None,
            },
            None => MarketOf {
                country: country.to_string(),
                market: OTHER.to_string(),
                note: Some(format!(
                    "{country} is in no named market of Meta's card (markets.csv): billed at the `{OTHER}` rate"
                )),
            },
        }
    }

    /// The price of one `unit` of `category` in `market` on `date` (see the module docs).
    pub fn price(&self, market: &str, category: RateCategory, on: NaiveDate, unit: Unit) -> Price {
        let newest = |user: bool| {
            self.rates
                .iter()
                .filter(|r| r.user == user && r.market == market && r.category == category)
                .filter(|r| r.effective <= on)
                .max_by_key(|r| r.effective)
        };
        let usable = |r: &Rate| {
            r.unit == unit && !(r.unit == Unit::Conversation && on >= per_message_start())
        };
        if let Some(r) = newest(true).filter(|r| usable(r)) {
            return Price {
                amount: Some(r.price),
                card: Some(r.card.clone()),
                unknown_why: None,
            };
        }
        match newest(false) {
            Some(r) if usable(r) => Price {
                amount: Some(r.price),
                card: Some(r.card.clone()),
                unknown_why: None,
            },
            Some(r) if r.unit == Unit::Conversation && unit == Unit::Message => Price {
                amount: None,
                card: None,
                unknown_why: Some(format!(
                    "no per-message {category} price for {market} on {on}: the newest is a per-conversation price ({}), not carried past 2025-06-30",
                    r.card
                )),
            },
            Some(r) => Price {
                amount: None,
                card: None,
                unknown_why: Some(format!(
                    "no per-{} {category} price for {market} on {on} (the newest, in {}, is per {})",
                    unit_name(unit),
                    r.card,
                    unit_name(r.unit)
                )),
            },
            None => Price {
                amount: None,
                card: None,
                unknown_why: Some(format!("no card has a {category} price for {market} on or before {on}")),
            },
        }
    }

    /// The markets some card prices on or before `on`, countries first, then regions, `Other`
    /// last (the order of Meta's cards).
    pub fn markets_at(&self, on: NaiveDate) -> Vec<String> {
        let set: BTreeSet<&str> = self
            .rates
            .iter()
            .filter(|r| r.effective <= on)
            .map(|r| r.market.as_str())
            .collect();
        let mut v: Vec<String> = set.into_iter().map(String::from).collect();
        v.sort_by_key(|m| (market_rank(m), m.clone()));
        v
    }

    /// The volume tiers of `category` in `market` in force on `on`, if the tier table covers it.
    pub fn tiers(&self, market: &str, category: RateCategory, on: NaiveDate) -> Vec<&Tier> {
        if self.tiers_effective.is_none_or(|d| d > on) {
            return Vec::new();
        }
        self.tiers
            .iter()
            .filter(|t| t.market == market && t.category == category)
            .collect()
    }

    /// The first day the tier table applies.
    pub fn tiers_effective(&self) -> Option<NaiveDate> {
        self.tiers_effective
    }
}

/// Countries first, then the regional markets, then `Other`.
pub fn market_rank(market: &str) -> u8 {
    if market == OTHER {
        2
    } else if market.starts_with("Rest of") || market == "North America" {
        1
    } else {
        0
    }
}

/// `conversation` or `message`.
pub fn unit_name(unit: Unit) -> &'static str {
    match unit {
        Unit::Conversation => "conversation",
        Unit::Message => "message",
    }
}

/// The cost of `count` messages priced by volume bands (marginal: each message at the band the
/// running monthly count is in; rule 13, tiers.csv).
pub fn tiered_cost(tiers: &[&Tier], count: u64) -> Option<Money> {
    let mut total = Money::ZERO;
    for t in tiers {
        let first = t.from.max(1);
        let last = t.to.unwrap_or(u64::MAX).min(count);
        if last >= first {
            total = total.checked_add(t.price.checked_times(last - first + 1)?)?;
        }
    }
    Some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn book() -> RateBook {
        RateBook::builtin().unwrap()
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn price(b: &RateBook, m: &str, c: RateCategory, on: &str, u: Unit) -> Option<i64> {
        b.price(m, c, d(on), u).amount.map(|m| m.micros())
    }

    #[test]
    fn every_builtin_card_has_its_date_and_sources() {
        let b = book();
        assert_eq!(b.cards().len(), BUILTIN_CARDS.len());
        for card in b.cards() {
            let date = card.effective.unwrap();
            assert_eq!(format!("{date}.csv"), card.name);
            assert!(
                card.header.iter().any(|h| h.starts_with("source")),
                "{}",
                card.name
            );
        }
    }

    #[test]
    fn resolves_the_newest_row_on_or_before_the_date() {
        let b = book();
        use RateCategory::*;
        use Unit::*;
        // UK marketing: 0.0705 (2023-06-01), 0.0529 (2024-10-01).
        assert_eq!(
            price(&b, "United Kingdom", Marketing, "2024-09-30", Conversation),
            Some(70_500)
        );
        assert_eq!(
            price(&b, "United Kingdom", Marketing, "2024-10-01", Conversation),
            Some(52_900)
        );
        // Utility from the partial 2024-08-01 card, marketing still from 2023-06-01.
        assert_eq!(
            price(&b, "Germany", Utility, "2024-08-15", Conversation),
            Some(55_000)
        );
        assert_eq!(
            price(&b, "Germany", Marketing, "2024-08-15", Conversation),
            Some(136_500)
        );
        // Service 0 from 2024-11-01.
        assert_eq!(
            price(&b, "Germany", Service, "2025-01-15", Conversation),
            Some(0)
        );
        // 2025-07-01: a partial card (24 markets, no United Kingdom); no conversation price
        // carried, and the full 2025-10-01 card is not carried back.
        assert_eq!(
            price(&b, "Argentina", Marketing, "2025-08-01", Message),
            Some(61_800)
        );
        assert_eq!(
            price(&b, "United Kingdom", Marketing, "2025-08-01", Message),
            None
        );
        assert_eq!(
            price(&b, "United Kingdom", Marketing, "2025-10-01", Message),
            Some(52_900)
        );
        assert!(b
            .price("United Kingdom", Marketing, d("2025-08-01"), Message)
            .unknown_why
            .unwrap()
            .contains("not carried past 2025-06-30"));
        // A conversation model forced on a late date never uses an old conversation price.
        assert_eq!(
            price(&b, "Germany", Marketing, "2026-11-02", Conversation),
            None
        );
        assert_eq!(
            price(&b, "United Kingdom", Marketing, "2026-11-02", Message),
            Some(63_500)
        );
        assert_eq!(
            price(&b, "United Kingdom", Marketing, "2026-09-15", Message),
            Some(63_500)
        );
        assert_eq!(
            price(&b, "United Kingdom", Marketing, "2026-06-30", Message),
            Some(52_900)
        );
    }

    #[test]
    fn countries_map_to_markets_by_date() {
        let b = book();
        assert_eq!(b.market_of("DE", d("2026-11-02")).market, "Germany");
        assert_eq!(b.market_of("GB", d("2026-11-02")).market, "United Kingdom");
        let hk = b.market_of("HK", d("2026-06-30"));
        assert_eq!(hk.market, "Rest of Asia Pacific");
        assert!(hk.note.is_some());
        assert_eq!(b.market_of("HK", d("2026-07-01")).market, "Hong Kong");
        assert_eq!(b.market_of("KZ", d("2026-09-30")).market, OTHER);
        let unknown = b.market_of("AQ", d("2026-11-02"));
        assert_eq!(unknown.market, OTHER);
        assert!(unknown.note.unwrap().contains("Other"));
    }

    /// Rule 15: under pmp-2026-10 a service message costs the utility price; the card's service
    /// row must agree, in every market.
    #[test]
    fn service_equals_utility_in_every_market_of_the_2026_10_card() {
        let b = book();
        let on = d("2026-10-01");
        let markets: Vec<&Rate> = b
            .rates
            .iter()
            .filter(|r| r.card == "2026-10-01.csv" && r.category == RateCategory::Service)
            .collect();
        assert_eq!(markets.len(), 47);
        for r in markets {
            let utility = b
                .price(&r.market, RateCategory::Utility, on, Unit::Message)
                .amount;
            assert_eq!(utility, Some(r.price), "{}", r.market);
        }
    }

    #[test]
    fn user_cards_override_and_report_located_errors() {
        let mut b = book();
        let text = "# effective_date: 2025-07-01\nmarket,category,price_usd,unit\nGermany,marketing,0.1000,message\n";
        b.add_card(SourceFile::new("mine.csv", text), true).unwrap();
        assert_eq!(
            price(
                &b,
                "Germany",
                RateCategory::Marketing,
                "2025-08-01",
                Unit::Message
            ),
            Some(100_000)
        );
        // The newer built-in card does not beat the user's row.
        assert_eq!(
            price(
                &b,
                "Germany",
                RateCategory::Marketing,
                "2026-11-02",
                Unit::Message
            ),
            Some(100_000)
        );
        let bad = "market,category,price_usd,unit\nGermay,marketng,0.1.0,msg\n";
        let err = b
            .add_card(SourceFile::new("bad.csv", bad), true)
            .unwrap_err();
        let codes: Vec<&str> = err.problems.iter().map(|p| p.code).collect();
        assert_eq!(
            codes,
            [
                "flowcost::unknown-market",
                "flowcost::bad-category",
                "flowcost::bad-price",
                "flowcost::bad-unit"
            ]
        );
    }

    #[test]
    fn tiers_are_marginal() {
        let b = book();
        let tiers = b.tiers("Germany", RateCategory::Utility, d("2026-11-02"));
        assert_eq!(tiers.len(), 6);
        // 100,000 at 0.0550 + 50,000 at 0.0523.
        assert_eq!(
            tiered_cost(&tiers, 150_000).unwrap().micros(),
            100_000 * 55_000 + 50_000 * 52_300
        );
        assert_eq!(tiered_cost(&tiers, 10).unwrap().micros(), 10 * 55_000);
        assert!(b
            .tiers("Germany", RateCategory::Utility, d("2026-09-30"))
            .is_empty());
    }
}

//! Prices for lint messages: what a finding costs or saves per recipient, at the rates of the
//! recipient's market on the simulated date (the same rate cards `flowcost cost` uses).

use crate::billing::{Category, PricingModel};
use crate::money::Money;
use crate::rates::{auth_international_since, RateBook, RateCategory};
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// Unit prices of each category for one market, date and pricing model.
#[derive(Debug, Clone)]
pub struct Prices {
    /// The recipient's country (ISO 3166-1 alpha-2).
    pub country: String,
    /// Meta's market it is billed in.
    pub market: String,
    per: BTreeMap<Category, Option<Money>>,
}

impl Prices {
    /// The prices for recipients in `country` on `date` under `model`. Under `pmp-2026-10` a
    /// service message costs the market's utility price (docs/billing.md rule 15); authentication
    /// costs the authentication-international price when the business is based elsewhere
    /// (`business_country`) and the market has that rate by then (rule 8).
    pub fn new(
        book: &RateBook,
        country: &str,
        date: NaiveDate,
        model: PricingModel,
        business_country: Option<&str>,
    ) -> Prices {
        let market = book.market_of(country, date).market;
        let international = business_country.is_some_and(|b| {
            b != country && auth_international_since(&market).is_some_and(|since| since <= date)
        });
        let per = Category::ALL
            .into_iter()
            .map(|c| {
                let rate = match c {
                    Category::Service if model == PricingModel::Pmp2026_10 => RateCategory::Utility,
                    Category::Authentication if international => {
                        RateCategory::AuthenticationInternational
                    }
                    other => RateCategory::of(other),
                };
                (c, book.price(&market, rate, date, model.unit()).amount)
            })
            .collect();
        Prices {
            country: country.to_string(),
            market,
            per,
        }
    }

    /// The price of one conversation or message of `category`, if the cards know it.
    pub fn get(&self, category: Category) -> Option<Money> {
        self.per.get(&category).copied().flatten()
    }

    /// ` (USD 0.1365 at Germany rates)` for `n` units of `category`, or nothing when unknown.
    pub fn phrase(&self, category: Category, n: u64) -> String {
        match self.get(category) {
            Some(p) => format!(" (USD {} at {} rates)", p.times(n).price(), self.market),
            None => String::new(),
        }
    }
}

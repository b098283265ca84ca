//! `flowcost rates`.

use super::{rate_book, Failure};
use crate::cli::{CostFormat, RatesArgs};
use flowcost::report::cost::{rates_json, rates_text};

/// Prints the card in force on --at (today by default), for some markets or all.
pub fn run(args: &RatesArgs) -> Result<String, Failure> {
    let book = rate_book(args.rates.as_deref())?;
    let on = args.at.unwrap_or_else(chrono::Utc::now).date_naive();
    flowcost::billing::PricingModel::in_force_on(on).map_err(|e| Failure::Usage(e.to_string()))?;
    let mut markets: Vec<String> = Vec::new();
    let mut notes = Vec::new();
    for cc in &args.market {
        let m = book.market_of(cc, on);
        notes.push(match &m.note {
            Some(n) => n.clone(),
            None => format!("{cc} is billed in {}", m.market),
        });
        if !markets.contains(&m.market) {
            markets.push(m.market);
        }
    }
    Ok(match args.format {
        CostFormat::Json => rates_json(&book, on, &markets, &notes),
        f => super::ui().report(rates_text(&book, on, &markets, &notes, f.into())),
    })
}

//! `flowcost simulate`.

use super::{comparison, cost_options, load, rate_book, run_simulation, ui, Failure, Outcome};
use crate::cli::{Format, SimulateArgs};
use flowcost::report::cost::{comparison_json, comparison_text};
use flowcost::report::{simulation_json, simulation_table, OutputFormat, SimulationReport};

/// Loads the flow (and catalog), simulates it, renders the report; with --compare-at, adds the
/// flow priced on each date.
pub fn run(args: &SimulateArgs) -> Outcome {
    let sim_args = &args.simulation;
    if sim_args.market.len() > 1 {
        return Err(Failure::Usage(
            "simulate takes one --market; use `flowcost cost --market DE,IN,BR` to compare markets"
                .into(),
        ));
    }
    // Options first: a bad option is reported before the files are read.
    sim_args
        .options(chrono::Utc::now())
        .map_err(Failure::Usage)?;
    let flow = load(&args.input)?;
    let (options, simulation) = run_simulation(&flow, sim_args)?;
    let market = sim_args
        .market
        .first()
        .map(String::as_str)
        .or(flow.market.as_deref());
    let compared = if sim_args.compare_at.is_empty() {
        None
    } else {
        let Some(country) = market else {
            return Err(Failure::Usage(format!(
                "--compare-at prices the flow, but `{}` has no `market`: give --market CC",
                flow.name
            )));
        };
        let book = rate_book(sim_args.rates.as_deref())?;
        comparison(
            &flow,
            sim_args,
            country,
            &book,
            &cost_options(sim_args, None),
        )?
    };
    // Market membership comes from the built-in markets.csv (a user's card only adds prices).
    let billed_in = market.and_then(|cc| {
        let book = flowcost::rates::RateBook::builtin().ok()?;
        let on = options
            .start
            .with_timezone(&sim_args.account_tz)
            .date_naive();
        Some(book.market_of(cc, on).market)
    });
    let report = SimulationReport {
        flow: &flow,
        options: &options,
        market,
        billed_in,
        simulation: &simulation,
        comparison: match (&compared, args.format) {
            (Some(c), Format::Json) => Some(comparison_json(c)),
            _ => None,
        },
    };
    Ok(match args.format {
        Format::Table => {
            let mut out = ui().report(simulation_table(&report));
            if let Some(c) = &compared {
                out.push('\n');
                out += &comparison_text(c, OutputFormat::Table);
            }
            out
        }
        Format::Json => simulation_json(&report),
    }
    .into())
}

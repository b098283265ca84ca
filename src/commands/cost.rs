//! `flowcost cost`.

use super::{
    catalog, comparison, cost_options, countries, flow_files, load_flows, rate_book, Failure,
};
use crate::cli::{CostArgs, CostFormat};
use flowcost::cost::{price_all, simulations};
use flowcost::report::cost::{comparisons_text, cost_json, cost_text};

/// Prices every flow in every market, with audience totals and date comparisons.
pub fn run(args: &CostArgs) -> Result<String, Failure> {
    let sim = &args.simulation;
    let options = sim.options(chrono::Utc::now()).map_err(Failure::Usage)?;
    let book = rate_book(sim.rates.as_deref())?;
    let catalog = catalog(args.templates.as_deref())?;
    let mut files = Vec::new();
    for p in &args.paths {
        files.extend(flow_files(p)?);
    }
    let flows = load_flows(&files, catalog.as_ref(), &args.import)?;
    let opts = cost_options(sim, Some(&args.audience));
    let mut costs = Vec::new();
    let mut comparisons = Vec::new();
    for flow in &flows {
        let countries = countries(flow, sim)?;
        // The simulations of a flow once, priced in every market.
        let sims = simulations(flow, &options).map_err(|e| super::sim_failure(flow, e))?;
        for country in countries {
            costs.push(
                price_all(flow, &options, &sims, &country, &book, &opts)
                    .map_err(|e| super::sim_failure(flow, e))?,
            );
            comparisons.extend(comparison(flow, sim, &country, &book, &opts)?);
        }
    }
    Ok(match args.format {
        CostFormat::Json => cost_json(&costs, &comparisons, &book),
        // One CSV table: the comparison's rows (it has one for the --at date) when there is one.
        CostFormat::Csv if !comparisons.is_empty() => {
            super::ui().report(comparisons_text(&comparisons, CostFormat::Csv.into()))
        }
        f => {
            let mut out = cost_text(&costs, args.group_by.into(), &book, f.into());
            if !comparisons.is_empty() {
                out.push('\n');
                out += &comparisons_text(&comparisons, f.into());
            }
            super::ui().report(out)
        }
    })
}

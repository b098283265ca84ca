//! `flowcost simulate`.

use super::{load, run_simulation, ui, Outcome};
use crate::cli::{Format, SimulateArgs};
use flowcost::report::{simulation_json, simulation_table, SimulationReport};

/// Loads the flow (and catalog), simulates it, renders the report.
pub fn run(args: &SimulateArgs) -> Outcome {
    // Options first: a bad option is reported before the files are read.
    args.simulation
        .options(chrono::Utc::now())
        .map_err(super::Failure::Usage)?;
    let flow = load(&args.flow, args.templates.as_deref())?;
    let (options, simulation) = run_simulation(&flow, &args.simulation)?;
    let market = args.simulation.market.as_deref().or(flow.market.as_deref());
    let report = SimulationReport {
        flow: &flow,
        options: &options,
        market,
        simulation: &simulation,
    };
    Ok(match args.format {
        Format::Table => ui().report(simulation_table(&report)),
        Format::Json => simulation_json(&report),
    }
    .into())
}

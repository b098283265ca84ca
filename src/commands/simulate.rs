//! `flowcost simulate`.

use super::{load_input, Failure, Outcome};
use crate::cli::{Format, SimulateArgs};
use flowcost::report::{simulation_json, simulation_table, SimulationReport};
use flowcost::simulate::simulate;

/// Loads the flow (and catalog), simulates it, renders the report.
pub fn run(args: &SimulateArgs) -> Outcome {
    let options = args
        .simulation
        .options(chrono::Utc::now())
        .map_err(Failure::Usage)?;
    let flow = load_input(&args.input)?.flow;
    let simulation = simulate(&flow, &options);
    let market = args.simulation.market.as_deref().or(flow.market.as_deref());
    let report = SimulationReport {
        flow: &flow,
        options: &options,
        market,
        simulation: &simulation,
    };
    Ok(match args.format {
        Format::Table => simulation_table(&report),
        Format::Json => simulation_json(&report),
    })
}

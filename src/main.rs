//! The `flowcost` binary: parses arguments, calls the library, prints, maps outcomes to exit
//! codes (0 success, 2 bad input or usage; clap's own usage errors exit 2 as well).

mod cli;

use clap::Parser;
use cli::{Cli, Command, Format, SimulateArgs};
use flowcost::billing::PricingModel;
use flowcost::diagnostic::LoadError;
use flowcost::flow::{load_catalog, load_flow};
use flowcost::report::{simulation_json, simulation_table, SimulationReport};
use flowcost::simulate::simulate;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

/// Why a command failed.
enum Failure {
    /// Problems in input files, each rendered with its YAML.
    Load(Vec<LoadError>),
    /// A bad option value or combination.
    Usage(String),
}

fn main() -> ExitCode {
    install_miette_hook();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Simulate(args) => run_simulate(&args),
        Command::Models => Ok(models()),
    };
    match result {
        Ok(text) => {
            let mut out = std::io::stdout().lock();
            // A closed pipe (`| head`) is not an error worth a message.
            let _ = out.write_all(text.as_bytes()).and_then(|_| out.flush());
            ExitCode::SUCCESS
        }
        Err(failure) => {
            report_failure(failure);
            ExitCode::from(2)
        }
    }
}

fn install_miette_hook() {
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let _ = miette::set_hook(Box::new(move |_| {
        Box::new(
            miette::MietteHandlerOpts::new()
                .terminal_links(false)
                .color(color)
                .unicode(true)
                .force_graphical(true)
                .width(100)
                .build(),
        )
    }));
}

fn report_failure(failure: Failure) {
    match failure {
        Failure::Load(errors) => {
            for error in errors {
                for d in error.diagnostics() {
                    eprintln!("{:?}", miette::Report::new(d));
                }
                eprintln!("error: {error}");
            }
        }
        Failure::Usage(message) => eprintln!("error: {message}"),
    }
}

fn run_simulate(args: &SimulateArgs) -> Result<String, Failure> {
    let options = args
        .simulation
        .options(chrono::Utc::now())
        .map_err(Failure::Usage)?;
    let catalog = match &args.templates {
        Some(path) => Some(load_catalog(path).map_err(|e| Failure::Load(vec![e]))?),
        None => None,
    };
    let flow = load_flow(&args.flow, catalog.as_ref()).map_err(|e| Failure::Load(vec![e]))?;
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

fn models() -> String {
    let mut t = comfy_table::Table::new();
    t.load_preset(comfy_table::presets::UTF8_FULL_CONDENSED)
        .set_header(["model", "from", "unit", "what it charges"]);
    for m in PricingModel::ALL {
        let unit = match m.unit() {
            flowcost::billing::Unit::Conversation => "conversation",
            flowcost::billing::Unit::Message => "message",
        };
        t.add_row([m.name(), &m.effective().to_string(), unit, m.summary()]);
    }
    format!("{t}\nDates before 2023-06-01 have no model. Without --at, the model in force today applies.\n")
}

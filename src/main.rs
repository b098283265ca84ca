//! The `flowcost` binary: parses arguments, calls the library, prints, maps outcomes to exit
//! codes (0 success, 2 bad input or usage; clap's own usage errors exit 2 as well).

mod cli;
mod commands;

use clap::Parser;
use cli::{Cli, Command};
use commands::Failure;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    install_miette_hook();
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Simulate(args) => commands::simulate::run(args),
        Command::Models => Ok(commands::models::run().into()),
        Command::Lint(args) => commands::lint::run(args),
        Command::Rules => Ok(commands::lint::rules().into()),
        Command::Explain { rule } => commands::lint::explain(rule),
        Command::Replay(args) => commands::replay::run(args),
        Command::GenLog(args) => commands::gen_log::run(args),
    };
    match result {
        Ok(output) => {
            eprint!("{}", output.stderr);
            let mut out = std::io::stdout().lock();
            // A closed pipe (`| head`) is not an error worth a message.
            let _ = out
                .write_all(output.text.as_bytes())
                .and_then(|_| out.flush());
            ExitCode::from(output.code)
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

//! The `flowcost` binary: parses arguments, calls the library, prints, maps outcomes to exit
//! codes (0 success, 1 a `diff --fail-above*` budget broken, 2 bad input or usage; clap's own
//! usage errors exit 2 as well).

mod cli;
mod commands;

use clap::Parser;
use cli::{Cli, Command};
use commands::Failure;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let stderr_color = cli.color.enabled(std::io::stderr().is_terminal());
    install_miette_hook(stderr_color);
    match flowcost::limits::Limits::from_env() {
        Ok(limits) => commands::set_limits(limits),
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    }
    flowcost::report::set_table_width(table_width());
    commands::set_ui(commands::Ui {
        color: cli.color.enabled(std::io::stdout().is_terminal()),
        quiet: cli.quiet,
        verbose: cli.verbose,
        stderr_color,
    });
    if let Some(args) = cli.command.simulation() {
        // An input even where a command does not price (timeline): never an output.
        args.rates.as_deref().inspect(|p| commands::input(p));
    }
    let config = match cli.command.simulation() {
        Some(args) => Some(commands::load_config(args)),
        None if cli.command.reads_flows() => Some(commands::load_nearest_config()),
        None => None,
    };
    if let Some(config) = config {
        match config {
            Ok(config) => commands::set_config(config),
            Err(failure) => {
                report_failure(failure);
                return ExitCode::from(2);
            }
        }
    }
    let result = match &cli.command {
        Command::Simulate(args) => commands::simulate::run(args),
        Command::Models => Ok(commands::models::run().into()),
        Command::Lint(args) => commands::lint::run(args),
        Command::Rules => Ok(commands::lint::rules().into()),
        Command::Explain { rule } => commands::lint::explain(rule),
        Command::Graph(args) => commands::graph::run(args).map(Into::into),
        Command::Timeline(args) => commands::timeline::run(args).map(Into::into),
        Command::Schema => Ok(commands::schema::run().into()),
        Command::Completions(args) => commands::completions::run(args).map(Into::into),
        Command::Man(args) => commands::man::run(args).map(Into::into),
        Command::Init(args) => commands::init::run(args).map(Into::into),
        Command::Cost(args) => commands::cost::run(args).map(Into::into),
        Command::Diff(args) => commands::diff::run(args).map(Into::into),
        Command::Rates(args) => commands::rates::run(args).map(Into::into),
        Command::Import(args) => commands::import::run(args).map(Into::into),
        Command::Replay(args) => commands::replay::run(args),
        Command::GenLog(args) => commands::gen_log::run(args),
        Command::MergeReplays(args) => commands::merge_replays::run(args),
    };
    match result {
        Ok(output) => {
            eprint!("{}", for_stderr(&output.stderr));
            print(&output.text);
            ExitCode::from(output.code)
        }
        Err(Failure::Breach { output, message }) => {
            print(&output);
            eprintln!("error: {}", for_stderr(&message));
            ExitCode::from(1)
        }
        Err(failure) => {
            report_failure(failure);
            ExitCode::from(2)
        }
    }
}

/// The width tables fit: `COLUMNS` when set to a number, else the terminal's when stdout is
/// one; `None` (each table's fixed width) for files and pipes.
fn table_width() -> Option<u16> {
    let columns = std::env::var("COLUMNS").ok();
    let columns = columns.and_then(|c| c.trim().parse::<u16>().ok());
    if let Some(w) = columns.filter(|w| *w > 0) {
        return Some(w);
    }
    // comfy-table asks the terminal when stdout is one.
    comfy_table::Table::new().width()
}

/// Writes a report to stdout, control characters from the inputs escaped.
fn print(text: &str) {
    let text = flowcost::text::for_terminal(text, commands::ui().color);
    let mut out = std::io::stdout().lock();
    // A closed pipe (`| head`) is not an error worth a message.
    let _ = out.write_all(text.as_bytes()).and_then(|_| out.flush());
}

/// Diagnostics go to stderr: `color` is `--color` decided for stderr.
fn install_miette_hook(color: bool) {
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

/// Text for stderr, control characters from the inputs escaped (miette's colours kept when
/// stderr is coloured).
fn for_stderr(text: &str) -> String {
    commands::ui().stderr(text).into_owned()
}

fn report_failure(failure: Failure) {
    match failure {
        Failure::Load(errors) => {
            for error in errors {
                let shown = flowcost::diagnostic::MAX_SHOWN_PER_FILE;
                for d in error.diagnostics().take(shown) {
                    eprintln!("{}", for_stderr(&format!("{:?}", miette::Report::new(d))));
                }
                let total = error.problems.len();
                if let Some(note) = flowcost::diagnostic::not_shown(&error.file.name, total) {
                    eprintln!("{}\n", for_stderr(&note));
                }
                eprintln!("error: {}", for_stderr(&error.to_string()));
            }
        }
        Failure::Usage(message) | Failure::Io(message) => {
            eprintln!("error: {}", for_stderr(&message))
        }
        Failure::Breach { message, .. } => eprintln!("error: {}", for_stderr(&message)),
    }
}

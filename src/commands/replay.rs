//! `flowcost replay`.

use super::{write_atomically, Failure, Outcome, Output};
use crate::cli::{By, Format, LogFormat, ReplayArgs};
use flowcost::billing::Rules;
use flowcost::replay::parse::is_stdin;
use flowcost::replay::{replay, ColumnMap, InputFormat, Options};
use flowcost::report::replay::{Period, ReplayReport};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::path::PathBuf;

/// Replays the logs and renders the counts; exit 2 when a file was unusable or `--strict`
/// stopped the run.
pub fn run(args: &ReplayArgs) -> Outcome {
    if args.files.iter().filter(|f| is_stdin(f)).count() > 1 {
        return Err(Failure::Usage(
            "standard input (`-`) can be read once: give it once (a file named `-` is `./-`)"
                .into(),
        ));
    }
    let files = inputs(&args.files)?;
    files.iter().for_each(|f| super::input(f));
    let options = Options {
        files: files.clone(),
        format: args.input_format.map(|f| match f {
            LogFormat::Csv => InputFormat::Csv,
            LogFormat::Ndjson => InputFormat::Ndjson,
            LogFormat::Parquet => InputFormat::Parquet,
        }),
        map: ColumnMap::parse(&args.map).map_err(Failure::Usage)?,
        pricing: args.pricing,
        account_tz: args.account_tz,
        rules: Rules {
            free_form_joins_open_conversation: args.free_form_joins_open_conversation,
        },
        strict: args.strict,
        max_disorder_ms: args.max_disorder.num_milliseconds(),
        unsorted: args.unsorted,
        status_horizon_ms: args.status_horizon.num_milliseconds(),
    };
    let bar = progress_bar(args, &files);
    let result = replay(&options, &|bytes| bar.set_position(bytes));
    bar.finish_and_clear();
    let report = ReplayReport {
        replay: &result,
        files: &files,
        period: period(args.by),
    };
    let (text, mut stderr, failed) = render(&report, args.format);
    if let Some(path) = &args.mismatches {
        if failed {
            // A partial run would replace the mismatches of a complete one with fewer.
            stderr += &format!(
                "note: {} left as it was: the replay did not read every row\n",
                path.display()
            );
        } else {
            write_atomically(path, report.mismatches_csv().as_bytes())?;
        }
    }
    Ok(Output {
        text,
        code: if failed { 2 } else { 0 },
        stderr,
    })
}

/// A replay's report in `format`, its diagnostics for stderr, and whether the run failed (exit
/// 2): a file was unusable, `--strict` stopped it, a pipe went out of order, or no row could
/// be used. `merge-replays` renders the sum of partial results the same way.
pub fn render(report: &ReplayReport, format: Format) -> (String, String, bool) {
    let result = report.replay;
    let mut stderr = report.diagnostics();
    let no_row = result.grouper.rows == 0 && result.problems.skipped > 0;
    if no_row {
        stderr += &format!(
            "error: no row could be used: all {} rows are bad (see the warnings above); check the file's format and its columns (`--map COLUMN=NAME`)\n",
            result.problems.skipped
        );
    }
    let failed = !result.complete() || no_row;
    let text = match format {
        Format::Table => report.table(),
        Format::Json => report.json(),
    };
    (text, stderr, failed)
}

/// `--by`'s period.
pub fn period(by: By) -> Period {
    match by {
        By::Day => Period::Day,
        By::Month => Period::Month,
    }
}

/// The logs to read: a directory stands for its Parquet part files, in name order.
fn inputs(given: &[PathBuf]) -> Result<Vec<PathBuf>, Failure> {
    let mut files = Vec::with_capacity(given.len());
    for path in given {
        if path.is_dir() {
            let parts = flowcost::replay::parquet::part_files(path)
                .map_err(|e| Failure::Usage(format!("{}: {e}", path.display())))?;
            files.extend(parts);
        } else {
            files.push(path.clone());
        }
    }
    Ok(files)
}

fn progress_bar(args: &ReplayArgs, files: &[PathBuf]) -> ProgressBar {
    if args.no_progress || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let total: u64 = files
        .iter()
        .filter(|p| !is_stdin(p))
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum();
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template(
        "{spinner} replaying [{bar:40}] {bytes}/{total_bytes} ({bytes_per_sec}, eta {eta})",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

//! `flowcost lint`, `flowcost rules`, `flowcost explain`.

use super::{Failure, Outcome, Output};
use crate::cli::ImportFlags;
use crate::cli::{FailOn, LintArgs, LintFormat};
use flowcost::diagnostic::Problem;
use flowcost::diagnostic::{closest, Severity};
use flowcost::flow::Catalog;
use flowcost::lint::{find_rule, lint_flow, Config, FileReport, Level, Levels, Settings, RULES};
use flowcost::report::findings;
use flowcost::simulate::{lowered_warning as lowered_note, Options};
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Lints every flow under the given paths and renders the findings.
pub fn run(args: &LintArgs) -> Outcome {
    super::refuse_compare_at(&args.simulation, "lint")?;
    let options = args
        .simulation
        .options(chrono::Utc::now())
        .map_err(Failure::Usage)?;
    let config = super::config();
    let levels = levels(args, config)?;
    if args.simulation.market.len() > 1 {
        return Err(Failure::Usage(
            "lint takes one --market (for the prices in its messages); use `flowcost cost --market DE,IN,BR` to compare markets".into(),
        ));
    }
    let settings = Settings {
        just_missed_within: args
            .just_missed_within
            .or(config.just_missed_within)
            .unwrap_or(Settings::default().just_missed_within),
        rates: Some(std::sync::Arc::new(super::rate_book(
            args.simulation.rates.as_deref(),
        )?)),
        market: args.simulation.market.first().cloned(),
        business_country: args.simulation.business_country.clone(),
    };
    let fail_on = match args.fail_on {
        Some(FailOn::Warning) => Severity::Warning,
        Some(FailOn::Error) => Severity::Error,
        None => config.fail_on.unwrap_or(Severity::Error),
    };
    let catalog = super::catalog(args.templates.as_deref())?;
    let mut files = Vec::new();
    for p in &args.paths {
        files.extend(super::flow_files(p)?);
    }
    let mut reports = lint_files(
        &files,
        catalog.as_ref(),
        &args.import,
        &options,
        &settings,
        &levels,
    );
    reports.sort_by(|a, b| a.file.name.cmp(&b.file.name));
    if !super::ui().quiet {
        for r in &reports {
            for note in &r.notes {
                let line = format!("warning: {}: {note}", r.file.name);
                eprintln!("{}", super::ui().stderr(&line));
            }
        }
    }

    let in_actions = std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true");
    let color = super::ui().color;
    let text = match args.format {
        Some(LintFormat::Json) => findings::json(&reports),
        Some(LintFormat::Sarif) => findings::sarif(&reports),
        Some(LintFormat::Github) => findings::github(&reports),
        Some(LintFormat::Human) => findings::human(&reports, color),
        None if in_actions => findings::human(&reports, color) + &findings::github(&reports),
        None => findings::human(&reports, color),
    };
    let code = if reports.iter().any(|r| r.load_failed) {
        2
    } else if reports
        .iter()
        .flat_map(|r| &r.problems)
        .any(|p| p.severity >= fail_on)
    {
        1
    } else {
        0
    };
    Ok(Output {
        text,
        code,
        stderr: String::new(),
    })
}

/// The command line's `--allow`, `--warn` and `--deny` over the config file's levels; when a
/// rule is named by several flags, deny beats warn beats allow.
fn levels(args: &LintArgs, config: &Config) -> Result<Levels, Failure> {
    let mut levels = config.levels.clone();
    for (names, level) in [
        (&args.allow, Level::Allow),
        (&args.warn, Level::Warning),
        (&args.deny, Level::Error),
    ] {
        for name in names {
            if name == "all" {
                levels.cli_all = Some(level);
                continue;
            }
            let Some(rule) = find_rule(name) else {
                let hint = closest(name, RULES.iter().map(|r| r.meta().name))
                    .map_or(String::new(), |c| format!(" (did you mean `{c}`?)"));
                return Err(Failure::Usage(format!(
                    "no lint rule is called `{name}`{hint}; `flowcost rules` lists every rule"
                )));
            };
            levels.cli.insert(rule.meta().name, level);
        }
    }
    Ok(levels)
}

/// Lints the files on every core; results come back in input order.
fn lint_files(
    files: &[PathBuf],
    catalog: Option<&Catalog>,
    import: &ImportFlags,
    options: &Options,
    settings: &Settings,
    levels: &Levels,
) -> Vec<FileReport> {
    let next = AtomicUsize::new(0);
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(files.len().max(1));
    let mut results: Vec<(usize, FileReport)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(path) = files.get(i) else { break };
                        let linted = std::panic::catch_unwind(AssertUnwindSafe(|| {
                            lint_file(path, catalog, import, options, settings, levels)
                        }));
                        done.push((i, linted.unwrap_or_else(|cause| crashed(path, &*cause))));
                    }
                    done
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, r)| r).collect()
}

/// The report of a file whose linting panicked: an error that fails the run (exit 2), so that a
/// crash can never pass as a clean file; the other files are still linted and reported.
fn crashed(path: &Path, cause: &(dyn std::any::Any + Send)) -> FileReport {
    let why = cause
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| cause.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "no message".into());
    FileReport {
        file: flowcost::diagnostic::SourceFile::new(path.display().to_string(), String::new()),
        problems: vec![Problem::new(
            "flowcost::internal-error",
            format!("flowcost crashed while linting this file ({why})"),
        )
        .help("this is a bug in flowcost: please report it with the file; the other files were linted")],
        load_failed: true,
        notes: Vec::new(),
    }
}

/// Fault injection for the tests of [`crashed`]: debug builds panic on a file whose name is
/// `FLOWCOST_TEST_PANIC_ON`. Release builds never read the variable.
fn inject_panic(path: &Path) {
    if cfg!(debug_assertions)
        && std::env::var_os("FLOWCOST_TEST_PANIC_ON").is_some_and(|n| path.file_name() == Some(&n))
    {
        panic!("injected by FLOWCOST_TEST_PANIC_ON");
    }
}

fn lint_file(
    path: &Path,
    catalog: Option<&Catalog>,
    import: &ImportFlags,
    options: &Options,
    settings: &Settings,
    levels: &Levels,
) -> FileReport {
    inject_panic(path);
    match super::load_file(path, catalog, import).map(|l| l.flow) {
        Err(e) => FileReport {
            file: e.file,
            problems: e.problems,
            load_failed: true,
            notes: Vec::new(),
        },
        Ok(flow) => match lint_flow(&flow, options, settings, levels) {
            Ok(linted) => {
                let problems = linted.problems;
                let load_failed = problems.iter().any(|p| p.code == "flowcost::unknown-rule");
                FileReport {
                    file: flow.source.clone(),
                    problems,
                    load_failed,
                    notes: linted
                        .lowered
                        .map(|(asked, used)| lowered_note(asked, used, options.max_states))
                        .into_iter()
                        .collect(),
                }
            }
            Err(e) => FileReport {
                file: flow.source.clone(),
                problems: vec![Problem::new("flowcost::too-complex", e.to_string())
                    .help("lint explores every path of the flow under the customer model")],
                load_failed: true,
                notes: Vec::new(),
            },
        },
    }
}

/// `flowcost rules`: every rule with its code, name, default level and summary.
pub fn rules() -> String {
    let mut t = comfy_table::Table::new();
    t.load_preset(comfy_table::presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(comfy_table::ContentArrangement::Dynamic)
        .set_width(flowcost::report::table_width(110))
        .set_header(["code", "name", "default", "what it finds"]);
    for r in RULES {
        let m = r.meta();
        t.add_row([m.code, m.name, m.default.name(), m.summary()]);
    }
    format!("{t}\n`flowcost explain RULE` prints a rule's documentation.\n")
}

/// `flowcost explain RULE`.
pub fn explain(name: &str) -> Outcome {
    let Some(rule) = find_rule(name) else {
        let hint = closest(name, RULES.iter().map(|r| r.meta().name))
            .map_or(String::new(), |c| format!(" (did you mean `{c}`?)"));
        return Err(Failure::Usage(format!(
            "no lint rule is called `{name}`{hint}; `flowcost rules` lists every rule"
        )));
    };
    let m = rule.meta();
    let doc: String = m
        .doc
        .lines()
        .map(|l| l.strip_prefix(' ').unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n");
    Ok(format!(
        "{} ({}, default: {})\n\n{}\n",
        m.name,
        m.code,
        m.default.name(),
        doc.trim_end()
    )
    .into())
}

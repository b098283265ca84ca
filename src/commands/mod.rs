//! One file per subcommand: each turns parsed arguments into text for stdout or a failure.

pub mod cost;
pub mod diff;
pub mod models;
pub mod rates;
pub mod simulate;

use crate::cli::{AudienceArgs, SimulationArgs};
use chrono::{DateTime, Utc};
use flowcost::cost::compare::Comparison;
use flowcost::cost::{cost_flow, CostOptions};
use flowcost::diagnostic::LoadError;
use flowcost::flow::{load_flow, Catalog, Flow};
use flowcost::rates::RateBook;
use std::path::{Path, PathBuf};

/// Why a command failed: bad input exits 2, a broken budget exits 1.
pub enum Failure {
    /// Problems in input files, each rendered with its text.
    Load(Vec<LoadError>),
    /// A bad option value or combination.
    Usage(String),
    /// `diff --fail-above*`: the report (stdout) and why the budget is broken (stderr); exit 1.
    Breach {
        /// The full report.
        output: String,
        /// The verdict.
        message: String,
    },
}

impl From<LoadError> for Failure {
    fn from(e: LoadError) -> Self {
        Failure::Load(vec![e])
    }
}

/// What a command prints on success.
pub type Outcome = Result<String, Failure>;

/// The built-in rate cards, with the user's card over them.
pub fn rate_book(user: Option<&Path>) -> Result<RateBook, Failure> {
    let mut book = RateBook::builtin()?;
    if let Some(path) = user {
        book.load_user_card(path)?;
    }
    Ok(book)
}

/// A flow file itself, or every `.yaml`/`.yml` file in a directory (sorted).
pub fn flow_files(path: &Path) -> Result<Vec<PathBuf>, Failure> {
    if !path.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let entries = std::fs::read_dir(path).map_err(|e| {
        Failure::Usage(format!(
            "{}: cannot read the directory: {e}",
            path.display()
        ))
    })?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "yaml" || e == "yml"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(Failure::Usage(format!(
            "{}: the directory holds no .yaml or .yml flow file",
            path.display()
        )));
    }
    Ok(files)
}

/// Loads every flow, collecting the problems of all files before failing.
pub fn load_flows(files: &[PathBuf], catalog: Option<&Catalog>) -> Result<Vec<Flow>, Failure> {
    let mut flows = Vec::new();
    let mut errors = Vec::new();
    for f in files {
        match load_flow(f, catalog) {
            Ok(flow) => flows.push(flow),
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(flows)
    } else {
        Err(Failure::Load(errors))
    }
}

/// The recipient countries to price a flow for: --market, else the flow's `market`.
pub fn countries(flow: &Flow, sim: &SimulationArgs) -> Result<Vec<String>, Failure> {
    if !sim.market.is_empty() {
        let mut v: Vec<String> = Vec::new();
        for m in &sim.market {
            if !v.contains(m) {
                v.push(m.clone());
            }
        }
        return Ok(v);
    }
    match &flow.market {
        Some(m) => Ok(vec![m.clone()]),
        None => Err(Failure::Usage(format!(
            "{}: flow `{}` has no `market`, so flowcost cannot price it; give --market CC (like --market DE)",
            flow.source.name, flow.name
        ))),
    }
}

/// The costing assumptions from the shared options.
pub fn cost_options(sim: &SimulationArgs, audience: Option<&AudienceArgs>) -> CostOptions {
    let mut o = CostOptions {
        business_country: sim.business_country.clone(),
        account_tz: sim.account_tz,
        ..CostOptions::default()
    };
    if let Some(a) = audience {
        o.audience = a.audience;
        o.reply_rate = a.reply_rate;
        o.phone_numbers = a.phone_numbers;
    }
    o
}

/// The dates of a --compare-at table: --at when given and each --compare-at, oldest first.
pub fn comparison_dates(sim: &SimulationArgs) -> Vec<DateTime<Utc>> {
    let mut dates: Vec<DateTime<Utc>> = sim
        .at
        .iter()
        .chain(sim.compare_at.iter())
        .copied()
        .collect();
    dates.sort();
    dates.dedup();
    dates
}

/// The flow priced on every comparison date, for one country; `None` without --compare-at.
pub fn comparison(
    flow: &Flow,
    sim: &SimulationArgs,
    country: &str,
    book: &RateBook,
    opts: &CostOptions,
) -> Result<Option<Comparison>, Failure> {
    if sim.compare_at.is_empty() {
        return Ok(None);
    }
    let mut columns = Vec::new();
    for at in comparison_dates(sim) {
        let options = sim
            .options_at(at)
            .map_err(|e| Failure::Usage(format!("--compare-at {}: {e}", at.date_naive())))?;
        columns.push(cost_flow(flow, &options, country, book, opts));
    }
    Ok(Some(Comparison::new(columns)))
}

//! Render simulations for people (tables) and machines (JSON).

pub mod cost;
pub mod findings;
pub mod grid;
mod json;
pub mod replay;
mod table;

pub use grid::{Grid, OutputFormat};
pub use json::simulation_json;
pub use table::simulation_table;

use crate::billing::{Category, EventKind};
use crate::flow::Flow;
use crate::simulate::{Options, Path, Simulation};
use crate::time::{format_duration, format_instant};
use chrono::{DateTime, Utc};

/// Everything a simulation report shows.
pub struct SimulationReport<'a> {
    /// The flow simulated.
    pub flow: &'a Flow,
    /// How it was simulated.
    pub options: &'a Options,
    /// The recipient's market, if known (`--market`, else the flow's).
    pub market: Option<&'a str>,
    /// The result.
    pub simulation: &'a Simulation,
    /// `--compare-at`: the same flow priced on several dates (JSON field `comparison`).
    pub comparison: Option<serde_json::Value>,
}

/// Why a free-form message at event `index` of `path` is refused: when the customer service
/// window closed, or that it never opened.
pub fn undeliverable_reason(path: &Path, index: usize) -> String {
    let at = path.events[index].at;
    let last_customer = path.events[..index]
        .iter()
        .rev()
        .find(|e| matches!(e.kind, EventKind::CustomerMessage(_)))
        .map(|e| e.at);
    match last_customer {
        None => "no customer message yet: the customer service window never opened".to_string(),
        Some(c) => {
            let closed = c + crate::billing::WINDOW;
            format!(
                "the customer service window closed at {} ({} earlier)",
                format_instant(closed),
                format_duration(at - closed)
            )
        }
    }
}

/// "marketing + service" in alphabetical order.
pub fn join_categories<'a>(cats: impl IntoIterator<Item = &'a Category>) -> String {
    cats.into_iter()
        .map(|c| c.name())
        .collect::<Vec<_>>()
        .join(" + ")
}

/// The warning printed when some path mixes categories, with what the mix costs under the
/// model in force.
pub fn mixed_warning(report: &SimulationReport) -> Option<String> {
    let sim = report.simulation;
    let summary = sim.summary();
    if !summary.mixed {
        return None;
    }
    let Some(&first) = summary.mixed_paths.first() else {
        return Some(format!(
            "mixed categories: some path beyond the {} listed mixes {} (raise --max-paths to list it)",
            sim.paths.len(),
            join_categories(&summary.categories)
        ));
    };
    let path = &sim.paths[first];
    let cats = path.bill.categories();
    let billed: std::collections::BTreeSet<Category> = path
        .bill
        .charges
        .iter()
        .filter(|c| c.billable)
        .map(|c| c.category)
        .collect();
    let consequence = if billed.len() > 1 {
        if cats.len() == 2 {
            "it pays for both".to_string()
        } else {
            "it pays for each".to_string()
        }
    } else {
        let free: Vec<&Category> = cats.difference(&billed).collect();
        format!(
            "under {} only {} is billed ({} free), but the mix costs again under other models",
            report.options.model,
            if billed.is_empty() {
                "nothing".to_string()
            } else {
                join_categories(&billed)
            },
            join_categories(free)
        )
    };
    Some(format!(
        "mixed categories: {} — {consequence} ({} of {} paths mix categories)",
        join_categories(&cats),
        summary.mixed_paths.len(),
        sim.paths.len()
    ))
}

fn offset(report: &SimulationReport, at: DateTime<Utc>) -> String {
    let d = at - report.options.start;
    if d.is_zero() {
        "+0s".to_string()
    } else {
        format!("+{}", format_duration(d))
    }
}

/// A comfy-table with the project's look: condensed UTF-8 borders, wrapped at 110 columns.
pub(crate) fn new_table(header: &[&str]) -> comfy_table::Table {
    let mut t = comfy_table::Table::new();
    t.load_preset(comfy_table::presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(comfy_table::ContentArrangement::Dynamic)
        .set_width(110)
        .set_header(header.iter().copied());
    t
}

/// A probability as a percentage: `70%`, `12.50%`.
pub(crate) fn percent(p: f64) -> String {
    let v = p * 100.0;
    if (v - v.round()).abs() < 1e-9 {
        format!("{v:.0}%")
    } else {
        format!("{v:.2}%")
    }
}

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
use crate::flow::{Flow, NodeKind};
use crate::simulate::{Options, Path, PathEnd, Simulation};
use crate::time::{format_duration, format_instant};
use chrono::{DateTime, Utc};
use std::collections::BTreeSet;

/// Everything a simulation report shows.
pub struct SimulationReport<'a> {
    /// The flow simulated.
    pub flow: &'a Flow,
    /// How it was simulated.
    pub options: &'a Options,
    /// The recipient's market, if known (`--market`, else the flow's).
    pub market: Option<&'a str>,
    /// Meta's market the recipient's country is billed in on the start's date.
    pub billed_in: Option<String>,
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

/// The warning printed when some path is billed for more than one category (a mix that
/// costs), with how many paths and how many recipients.
pub fn mixed_warning(report: &SimulationReport) -> Option<String> {
    let sim = report.simulation;
    let t = &sim.totals;
    if !t.mixed() {
        return None;
    }
    let cats = match sim.mixed_paths().first() {
        Some(&i) => sim.paths[i].bill.billed_categories(),
        None => t.by_category.keys().copied().collect(),
    };
    let consequence = if cats.len() == 2 {
        "it pays for both"
    } else {
        "it pays for each"
    };
    Some(format!(
        "mixed categories: {} — {consequence} (on {} of {} paths, {} of recipients)",
        join_categories(&cats),
        t.mixed_paths,
        t.paths,
        percent(t.mixed_mass.to_f64())
    ))
}

/// The warnings of a simulation: a mix of categories that costs, and a customer model that
/// had to be narrowed to fit in `--max-states`.
pub fn simulation_warnings(report: &SimulationReport) -> Vec<String> {
    let sim = report.simulation;
    let mut out: Vec<String> = mixed_warning(report).into_iter().collect();
    if let Some(asked) = sim.lowered_from {
        out.push(crate::simulate::lowered_warning(
            asked,
            sim.customer.max_visits,
            report.options.max_states,
        ));
    }
    out
}

/// The notes under a simulation: what was listed, where the customer model applied, and a mix
/// of categories that costs nothing under this model.
pub fn simulation_notes(report: &SimulationReport) -> Vec<String> {
    let sim = report.simulation;
    let t = &sim.totals;
    let flow = report.flow;
    let c = &sim.customer;
    let mut notes = Vec::new();
    let listed = sim.paths.len() as u128;
    if listed < t.paths {
        let appended = sim.paths.len() > sim.most_probable;
        notes.push(format!(
            "listed the {} most probable of {} paths{}; --paths N or --paths all lists more; the summary covers every path ({} merged states)",
            sim.most_probable,
            t.paths,
            if appended { " and the dearest" } else { "" },
            t.states
        ));
    }
    for &i in &sim.half_timeout_replies {
        if let NodeKind::WaitForReply { timeout, .. } = flow.nodes[i].kind {
            notes.push(format!(
                "`{}` waits {}, not longer than --reply-after {}: its customers reply after {}, half the timeout",
                flow.nodes[i].id,
                format_duration(timeout),
                format_duration(c.reply_after),
                format_duration(c.reply_delay(timeout))
            ));
        }
    }
    let (abandoned, mass) = t.abandoned_total();
    if abandoned > 0 {
        // The likeliest places first, a few of them.
        let mut places: Vec<&crate::simulate::Abandonment> = t.abandoned.iter().collect();
        places.sort_by(|a, b| b.mass.cmp(&a.mass).then(a.node.cmp(&b.node)));
        let mut nodes: Vec<String> = places
            .iter()
            .take(5)
            .map(|a| format!("`{}`", flow.nodes[a.node].id))
            .collect();
        if places.len() > 5 {
            nodes.push(format!("{} more", places.len() - 5));
        }
        notes.push(format!(
            "{abandoned} path(s) ({} of recipients) give up after entering a loop {} time(s), at {} (--max-visits)",
            percent(mass.to_f64()),
            c.max_visits,
            nodes.join(", ")
        ));
    }
    if !sim.uncategorised.is_empty() {
        let names: Vec<String> = sim
            .uncategorised_templates()
            .iter()
            .map(|t| format!("`{t}`"))
            .collect();
        notes.push(format!(
            "{} template{} of unknown category ({}) {} billed here as {}; `flowcost cost` gives the range over the categories a template can have",
            names.len(),
            if names.len() == 1 { "" } else { "s" },
            names.join(", "),
            if names.len() == 1 { "is" } else { "are" },
            sim.unknown_as
        ));
    }
    if !t.mixed() && t.categories.len() > 1 {
        let billed: BTreeSet<Category> = t.by_category.keys().copied().collect();
        let free: Vec<&Category> = t.categories.difference(&billed).collect();
        notes.push(format!(
            "paths open {} but only {} is billed under {} ({} free): not a mix that costs now",
            join_categories(&t.categories),
            if billed.is_empty() {
                "nothing".to_string()
            } else {
                join_categories(&billed)
            },
            report.options.model,
            join_categories(free)
        ));
    }
    notes
}

/// The customer model in one line, in the words of its options.
pub fn customer_line(c: &crate::simulate::Customer) -> String {
    format!(
        "customer model: reply rate {} (after {}) · retry rate {} · at most {} visits per node",
        percent(c.reply_rate),
        format_duration(c.reply_after),
        percent(c.retry_rate),
        c.max_visits
    )
}

/// A path's route as node ids, repeats folded.
pub fn route_text(flow: &Flow, path: &Path) -> String {
    let ids: Vec<&str> = path
        .route
        .iter()
        .map(|&i| flow.nodes[i].id.as_str())
        .collect();
    crate::route::folded(&ids)
}

/// How a path ended, for people: `` · abandoned after 3 visits of `ask` ``.
pub fn end_text(flow: &Flow, path: &Path, max_visits: u32) -> Option<String> {
    match path.end {
        PathEnd::End => None,
        PathEnd::DeadEnd => Some("stops without an `end` node".into()),
        PathEnd::Abandoned { node } => Some(format!(
            "abandoned after {max_visits} visits of `{}`",
            flow.nodes[node].id
        )),
    }
}

fn offset(report: &SimulationReport, at: DateTime<Utc>) -> String {
    let d = at - report.options.start;
    if d.is_zero() {
        "+0s".to_string()
    } else {
        format!("+{}", format_duration(d))
    }
}

/// The width tables fit, when set (0: unset).
static TABLE_WIDTH: std::sync::atomic::AtomicU16 = std::sync::atomic::AtomicU16::new(0);

/// Sets the width every table is fitted to, once, before a command runs: the binary gives
/// `COLUMNS`, else the terminal's width when stdout is one; unset, each table keeps a fixed
/// width (output to a file or a pipe is the same everywhere).
pub fn set_table_width(width: Option<u16>) {
    let w = width.map_or(0, |w| w.max(20));
    TABLE_WIDTH.store(w, std::sync::atomic::Ordering::Relaxed);
}

/// The width to fit a table to: the one set, else `fixed`.
pub fn table_width(fixed: u16) -> u16 {
    match TABLE_WIDTH.load(std::sync::atomic::Ordering::Relaxed) {
        0 => fixed,
        w => w,
    }
}

/// A comfy-table with the project's look: condensed UTF-8 borders, fitted to the terminal
/// (110 columns when output is not a terminal).
pub(crate) fn new_table(header: &[&str]) -> comfy_table::Table {
    let mut t = comfy_table::Table::new();
    t.load_preset(comfy_table::presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(comfy_table::ContentArrangement::Dynamic)
        .set_width(table_width(110))
        .set_header(header.iter().copied());
    t
}

/// A probability as a percentage: `70%`, `12.50%`, `0.0031%`, `2.1e-12%`; never `0%` for a
/// chance that is not nothing.
pub(crate) fn percent(p: f64) -> String {
    let v = p * 100.0;
    if v == 0.0 {
        "0%".to_string()
    } else if (v - v.round()).abs() < 1e-9 {
        format!("{v:.0}%")
    } else if v >= 0.01 {
        format!("{v:.2}%")
    } else if v >= 1e-6 {
        let digits = (-v.log10()).ceil() as usize + 1;
        format!("{v:.digits$}%")
    } else {
        format!("{v:.1e}%")
    }
}

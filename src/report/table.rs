//! The human report of `simulate`: a table of charges per path, then a summary.

use super::{customer_line, end_text, join_categories, offset, route_text, simulation_warnings};
use super::{new_table, percent, simulation_notes, undeliverable_reason, SimulationReport};
use crate::billing::{Fate, Unit};
use crate::simulate::Path;
use comfy_table::Table;
use std::fmt::Write;

fn path_heading(report: &SimulationReport, n: usize, path: &Path) -> String {
    let nodes = &report.flow.nodes;
    let dearest = if path.dearest { " (dearest)" } else { "" };
    let mut s = format!("Path {n}{dearest}: {}", route_text(report.flow, path));
    let _ = write!(s, "\n  probability {}", percent(path.probability));
    for a in &path.assumptions {
        let _ = write!(
            s,
            " · {} at `{}`",
            a.outcome.name().replace('_', " "),
            nodes[a.node].id
        );
    }
    if let Some(end) = end_text(report.flow, path, report.simulation.customer.max_visits) {
        let _ = write!(s, " · {end}");
    }
    s
}

fn charges_table(report: &SimulationReport, path: &Path) -> Table {
    let unit = report.options.model.unit();
    let until_header = if unit == Unit::Conversation {
        "window"
    } else {
        ""
    };
    let mut header = vec!["node", "at", "category", "billable", "why"];
    if unit == Unit::Conversation {
        header.insert(2, until_header);
    }
    let mut t = new_table(&header);
    let nodes = &report.flow.nodes;
    for c in &path.bill.charges {
        let node = path.event_nodes[c.event].map_or("(trigger)", |n| nodes[n].id.as_str());
        let assumed = path.event_nodes[c.event].is_some_and(|n| category_assumed(report, n));
        let mut row = vec![
            node.to_string(),
            offset(report, c.at),
            if assumed {
                format!("{} (unknown, assumed)", c.category)
            } else {
                c.category.to_string()
            },
            if c.billable {
                "yes".into()
            } else {
                "free".into()
            },
            c.reason.describe().to_string(),
        ];
        if unit == Unit::Conversation {
            let until = c
                .until
                .map_or(String::new(), |u| format!("until {}", offset(report, u)));
            row.insert(2, until);
        }
        t.add_row(row);
    }
    t
}

/// Whether node `n` sends a template of unknown category (billed as an assumed one).
pub(super) fn category_assumed(report: &SimulationReport, n: usize) -> bool {
    report.simulation.uncategorised.iter().any(|(u, _)| *u == n)
}

/// The simulation as text for a terminal.
pub fn simulation_table(report: &SimulationReport) -> String {
    let sim = report.simulation;
    let model = report.options.model;
    let flow = report.flow;
    let mut out = String::new();
    let _ = writeln!(out, "flow {} ({})", flow.name, flow.source.name);
    let _ = writeln!(
        out,
        "pricing model {model} (from {}): {}",
        model.effective(),
        model.summary()
    );
    let market = match (report.market, &report.billed_in) {
        (Some(cc), Some(m)) => format!("{cc} (billed as {m})"),
        (Some(cc), None) => cc.to_string(),
        (None, _) => "not set".to_string(),
    };
    let _ = writeln!(
        out,
        "start {} · market {market}",
        crate::time::format_instant(report.options.start),
    );
    let _ = writeln!(out, "{}", customer_line(&report.simulation.customer));
    let unit = match model.unit() {
        Unit::Conversation => "conversations",
        Unit::Message => "messages",
    };
    for (i, path) in sim.paths.iter().enumerate() {
        let _ = writeln!(out, "\n{}", path_heading(report, i + 1, path));
        if path.bill.charges.is_empty() {
            let _ = writeln!(out, "  no conversation opened, no message charged");
        } else {
            let _ = writeln!(out, "{}", charges_table(report, path));
        }
        let cats = path.bill.categories();
        let _ = writeln!(
            out,
            "  billable {unit}: {} · free: {} · categories: {}",
            path.bill.billable(),
            path.bill.free(),
            if cats.is_empty() {
                "none".to_string()
            } else {
                join_categories(&cats)
            }
        );
        for d in path
            .bill
            .deliveries
            .iter()
            .filter(|d| d.fate == Fate::Undeliverable)
        {
            let node = path.event_nodes[d.event].map_or("?", |n| flow.nodes[n].id.as_str());
            let _ = writeln!(
                out,
                "  ✗ UNDELIVERABLE: free-form `{node}` at {} would be refused: {}",
                offset(report, path.events[d.event].at),
                undeliverable_reason(path, d.event)
            );
        }
    }
    let t = &sim.totals;
    let _ = writeln!(out, "\nSummary (every path)");
    let mut table = new_table(&[
        "paths",
        &format!("billable {unit} per path"),
        "expected per recipient",
        "categories",
        "undeliverable",
    ]);
    table.add_row(vec![
        if (sim.paths.len() as u128) < t.paths {
            format!("{} ({} listed)", t.paths, sim.paths.len())
        } else {
            t.paths.to_string()
        },
        if t.min_billable == t.max_billable {
            t.min_billable.to_string()
        } else {
            format!("{} – {}", t.min_billable, t.max_billable)
        },
        t.expected_billable.count_text(),
        if t.categories.is_empty() {
            "none".into()
        } else {
            join_categories(&t.categories)
        },
        if t.undeliverable() {
            format!(
                "{} of {} paths ({} of recipients)",
                t.undeliverable_paths,
                t.paths,
                percent(t.undeliverable_mass.to_f64())
            )
        } else {
            "none".to_string()
        },
    ]);
    let _ = writeln!(out, "{table}");
    for w in simulation_warnings(report) {
        let _ = writeln!(out, "warning: {w}");
    }
    if t.undeliverable() {
        let _ = writeln!(
            out,
            "error: free-form messages outside the customer service window on {} of {} paths: send a template instead, or wait for the customer to write",
            t.undeliverable_paths, t.paths
        );
    }
    for note in simulation_notes(report) {
        let _ = writeln!(out, "note: {note}");
    }
    out
}

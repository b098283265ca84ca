//! The human report of `simulate`: a table of charges per path, then a summary.

use super::{join_categories, mixed_warning, offset, undeliverable_reason, SimulationReport};
use super::{new_table, percent};
use crate::billing::{Fate, Unit};
use crate::simulate::Path;
use comfy_table::Table;
use std::fmt::Write;

fn path_heading(report: &SimulationReport, n: usize, path: &Path) -> String {
    let nodes = &report.flow.nodes;
    let route: Vec<&str> = path.route.iter().map(|&i| nodes[i].id.as_str()).collect();
    let mut s = format!("Path {n}: {}", route.join(" → "));
    let _ = write!(s, "\n  probability {}", percent(path.probability));
    for a in &path.assumptions {
        let _ = write!(
            s,
            " · {} at `{}`",
            a.outcome.name().replace('_', " "),
            nodes[a.node].id
        );
    }
    match path.end {
        crate::simulate::PathEnd::End => {}
        crate::simulate::PathEnd::DeadEnd => s.push_str(" · stops without an `end` node"),
        crate::simulate::PathEnd::Horizon => s.push_str(" · cut at the horizon"),
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
        let mut row = vec![
            node.to_string(),
            offset(report, c.at),
            c.category.to_string(),
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
    let _ = writeln!(
        out,
        "start {} · market {}",
        crate::time::format_instant(report.options.start),
        report.market.unwrap_or("not set")
    );
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
    let summary = sim.summary();
    let _ = writeln!(out, "\nSummary");
    let mut t = new_table(&[
        "paths",
        &format!("billable {unit} per path"),
        "categories",
        "undeliverable",
    ]);
    t.add_row(vec![
        if sim.truncated && summary.exact {
            format!("{} listed of {}", sim.paths.len(), summary.total_paths)
        } else {
            sim.paths.len().to_string()
        },
        if summary.min_billable == summary.max_billable {
            summary.min_billable.to_string()
        } else {
            format!("{} – {}", summary.min_billable, summary.max_billable)
        },
        if summary.categories.is_empty() {
            "none".into()
        } else {
            join_categories(&summary.categories)
        },
        if sim.truncated {
            format!(
                "{} of {} listed{}",
                summary.undeliverable_paths.len(),
                sim.paths.len(),
                if summary.undeliverable {
                    "; some paths"
                } else {
                    "; no path"
                }
            )
        } else {
            format!(
                "{} of {} paths",
                summary.undeliverable_paths.len(),
                sim.paths.len()
            )
        },
    ]);
    let _ = writeln!(out, "{t}");
    if let Some(w) = mixed_warning(report) {
        let _ = writeln!(out, "warning: {w}");
    }
    if summary.undeliverable {
        let _ = writeln!(
            out,
            "error: free-form messages outside the customer service window on {}: send a template instead, or wait for the customer to write",
            if summary.undeliverable_paths.is_empty() {
                "paths beyond those listed".to_string()
            } else {
                format!("{} listed path(s)", summary.undeliverable_paths.len())
            }
        );
    }
    for &i in &sim.replies_after_timeout {
        let _ = writeln!(
            out,
            "note: `{}` times out before the reply delay (--reply-after): only its timeout path was explored",
            flow.nodes[i].id
        );
    }
    if !summary.exact {
        let _ = writeln!(
            out,
            "note: the summary covers the {} listed paths only: the flow has more distinct states than --max-states",
            sim.paths.len()
        );
    } else if sim.truncated {
        let _ = writeln!(
            out,
            "note: listed {} of {} paths (raise --max-paths to list more); the summary covers every path, counted over {} merged states",
            sim.paths.len(),
            summary.total_paths,
            summary.states
        );
    }
    out
}

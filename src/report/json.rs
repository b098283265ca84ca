//! The JSON document of `simulate --format json`. A user-facing contract: fields are added,
//! never renamed or removed (README, "JSON output").

use super::{mixed_warning, undeliverable_reason, SimulationReport};
use crate::billing::{Category, Unit};
use crate::simulate::Path;
use crate::time::format_instant;
use serde::Serialize;

/// Version of the JSON document's shape; bumped only on incompatible changes.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    schema_version: u32,
    flow: &'a str,
    file: &'a str,
    pricing_model: &'static str,
    unit: Unit,
    at: String,
    trigger: &'static str,
    market: Option<&'a str>,
    paths: Vec<PathJson<'a>>,
    summary: SummaryJson,
    #[serde(skip_serializing_if = "Option::is_none")]
    comparison: Option<serde_json::Value>,
}

#[derive(Serialize)]
struct PathJson<'a> {
    id: usize,
    route: Vec<&'a str>,
    probability: f64,
    assumptions: Vec<AssumptionJson<'a>>,
    end: &'static str,
    categories: Vec<Category>,
    billable: usize,
    free: usize,
    charges: Vec<ChargeJson<'a>>,
    undeliverable: Vec<UndeliverableJson<'a>>,
}

#[derive(Serialize)]
struct AssumptionJson<'a> {
    node: &'a str,
    outcome: &'static str,
}

#[derive(Serialize)]
struct ChargeJson<'a> {
    category: Category,
    at: String,
    until: Option<String>,
    billable: bool,
    reason: &'static str,
    node: Option<&'a str>,
}

#[derive(Serialize)]
struct UndeliverableJson<'a> {
    node: Option<&'a str>,
    at: String,
    reason: String,
}

#[derive(Serialize)]
struct SummaryJson {
    paths: usize,
    exact: bool,
    total_paths: u128,
    merged_states: usize,
    truncated: bool,
    min_billable: usize,
    max_billable: usize,
    categories: Vec<Category>,
    mixed_categories: bool,
    mixed_paths: Vec<usize>,
    undeliverable_paths: Vec<usize>,
    warnings: Vec<String>,
}

fn trigger_name(t: crate::flow::Trigger) -> &'static str {
    use crate::flow::Trigger::*;
    match t {
        CustomerMessage => "customer_message",
        AdClick => "ad_click",
        BusinessEvent => "business_event",
        Schedule => "schedule",
    }
}

fn path_json<'a>(report: &SimulationReport<'a>, id: usize, path: &Path) -> PathJson<'a> {
    let nodes = &report.flow.nodes;
    let node_of = |event: usize| path.event_nodes[event].map(|n| nodes[n].id.as_str());
    PathJson {
        id,
        route: path.route.iter().map(|&n| nodes[n].id.as_str()).collect(),
        probability: path.probability,
        assumptions: path
            .assumptions
            .iter()
            .map(|a| AssumptionJson {
                node: nodes[a.node].id.as_str(),
                outcome: a.outcome.name(),
            })
            .collect(),
        end: path.end.name(),
        categories: path.bill.categories().into_iter().collect(),
        billable: path.bill.billable(),
        free: path.bill.free(),
        charges: path
            .bill
            .charges
            .iter()
            .map(|c| ChargeJson {
                category: c.category,
                at: format_instant(c.at),
                until: c.until.map(format_instant),
                billable: c.billable,
                reason: c.reason.name(),
                node: node_of(c.event),
            })
            .collect(),
        undeliverable: path
            .bill
            .undeliverable()
            .map(|e| UndeliverableJson {
                node: node_of(e),
                at: format_instant(path.events[e].at),
                reason: undeliverable_reason(path, e),
            })
            .collect(),
    }
}

/// The simulation as a pretty-printed JSON document.
pub fn simulation_json(report: &SimulationReport) -> String {
    let sim = report.simulation;
    let summary = sim.summary();
    let mut warnings: Vec<String> = mixed_warning(report).into_iter().collect();
    if sim.truncated && summary.exact {
        warnings.push(format!(
            "listed {} of {} paths (raise --max-paths to list more); the summary covers every path",
            sim.paths.len(),
            summary.total_paths
        ));
    }
    if !summary.exact {
        warnings.push(format!(
            "the summary covers the {} listed paths only: the flow has more distinct states than --max-states",
            sim.paths.len()
        ));
    }
    let doc = Document {
        schema_version: SCHEMA_VERSION,
        flow: &report.flow.name,
        file: &report.flow.source.name,
        pricing_model: report.options.model.name(),
        unit: report.options.model.unit(),
        at: format_instant(report.options.start),
        trigger: trigger_name(report.flow.trigger),
        market: report.market,
        paths: sim
            .paths
            .iter()
            .enumerate()
            .map(|(i, p)| path_json(report, i + 1, p))
            .collect(),
        summary: SummaryJson {
            paths: sim.paths.len(),
            exact: summary.exact,
            total_paths: summary.total_paths,
            merged_states: summary.states,
            truncated: sim.truncated,
            min_billable: summary.min_billable,
            max_billable: summary.max_billable,
            categories: summary.categories.into_iter().collect(),
            mixed_categories: summary.mixed,
            mixed_paths: summary.mixed_paths.iter().map(|i| i + 1).collect(),
            undeliverable_paths: summary.undeliverable_paths.iter().map(|i| i + 1).collect(),
            warnings,
        },
        comparison: report.comparison.clone(),
    };
    let mut out =
        serde_json::to_string_pretty(&doc).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    out.push('\n');
    out
}

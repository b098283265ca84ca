//! The JSON document of `simulate --format json`. A user-facing contract: fields are added,
//! never renamed or removed (docs/json.md).

use super::SimulationReport;
use super::{route_text, simulation_notes, simulation_warnings, undeliverable_reason};
use crate::billing::{Category, Unit};
use crate::simulate::{Path, PathEnd};
use crate::time::{format_duration, format_instant};
use serde::Serialize;
use std::collections::BTreeMap;

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
    customer_model: CustomerJson,
    paths: Vec<PathJson<'a>>,
    summary: SummaryJson<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    comparison: Option<serde_json::Value>,
}

#[derive(Serialize)]
struct CustomerJson {
    reply_rate: f64,
    reply_after: String,
    retry_rate: f64,
    max_visits: u32,
}

#[derive(Serialize)]
struct PathJson<'a> {
    id: usize,
    route: Vec<&'a str>,
    route_folded: String,
    probability: f64,
    dearest: bool,
    assumptions: Vec<AssumptionJson<'a>>,
    end: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    abandoned_at: Option<&'a str>,
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
    /// The template's category is unknown: `category` is the one assumed.
    category_assumed: bool,
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
struct SummaryJson<'a> {
    paths: usize,
    exact: bool,
    total_paths: u128,
    merged_states: usize,
    truncated: bool,
    min_billable: u32,
    max_billable: u32,
    expected_billable: f64,
    expected_by_category: BTreeMap<Category, f64>,
    categories: Vec<Category>,
    billed_categories: Vec<Category>,
    mixed_categories: bool,
    mixed_path_count: u128,
    mixed_probability: f64,
    mixed_paths: Vec<usize>,
    undeliverable_path_count: u128,
    undeliverable_probability: f64,
    undeliverable_paths: Vec<usize>,
    abandoned: Vec<AbandonedJson<'a>>,
    dead_end_paths: u128,
    uncategorised_templates: Vec<&'a str>,
    unknown_category_billed_as: Category,
    warnings: Vec<String>,
    notes: Vec<String>,
}

#[derive(Serialize)]
struct AbandonedJson<'a> {
    node: &'a str,
    paths: u128,
    probability: f64,
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
        route_folded: route_text(report.flow, path),
        probability: path.probability,
        dearest: path.dearest,
        assumptions: path
            .assumptions
            .iter()
            .map(|a| AssumptionJson {
                node: nodes[a.node].id.as_str(),
                outcome: a.outcome.name(),
            })
            .collect(),
        end: path.end.name(),
        abandoned_at: match path.end {
            PathEnd::Abandoned { node } => Some(nodes[node].id.as_str()),
            _ => None,
        },
        categories: path.bill.categories().into_iter().collect(),
        billable: path.bill.billable(),
        free: path.bill.free(),
        charges: path
            .bill
            .charges
            .iter()
            .map(|c| ChargeJson {
                category: c.category,
                category_assumed: path.event_nodes[c.event]
                    .is_some_and(|n| super::table::category_assumed(report, n)),
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
    let t = &sim.totals;
    let c = &sim.customer;
    let nodes = &report.flow.nodes;
    let warnings = simulation_warnings(report);
    let doc = Document {
        schema_version: SCHEMA_VERSION,
        flow: &report.flow.name,
        file: &report.flow.source.name,
        pricing_model: report.options.model.name(),
        unit: report.options.model.unit(),
        at: format_instant(report.options.start),
        trigger: trigger_name(report.flow.trigger),
        market: report.market,
        customer_model: CustomerJson {
            reply_rate: c.reply_rate,
            reply_after: format_duration(c.reply_after),
            retry_rate: c.retry_rate,
            max_visits: c.max_visits,
        },
        paths: sim
            .paths
            .iter()
            .enumerate()
            .map(|(i, p)| path_json(report, i + 1, p))
            .collect(),
        summary: SummaryJson {
            paths: sim.paths.len(),
            exact: true,
            total_paths: t.paths,
            merged_states: t.states,
            truncated: (sim.paths.len() as u128) < t.paths,
            min_billable: t.min_billable,
            max_billable: t.max_billable,
            expected_billable: t.expected_billable.to_f64(),
            expected_by_category: t
                .by_category
                .iter()
                .map(|(c, l)| (*c, l.expected.to_f64()))
                .collect(),
            categories: t.categories.iter().copied().collect(),
            billed_categories: t.by_category.keys().copied().collect(),
            mixed_categories: t.mixed(),
            mixed_path_count: t.mixed_paths,
            mixed_probability: t.mixed_mass.to_f64(),
            mixed_paths: sim.mixed_paths().iter().map(|i| i + 1).collect(),
            undeliverable_path_count: t.undeliverable_paths,
            undeliverable_probability: t.undeliverable_mass.to_f64(),
            undeliverable_paths: sim.undeliverable_paths().iter().map(|i| i + 1).collect(),
            abandoned: t
                .abandoned
                .iter()
                .map(|a| AbandonedJson {
                    node: nodes[a.node].id.as_str(),
                    paths: a.paths,
                    probability: a.mass.to_f64(),
                })
                .collect(),
            dead_end_paths: t.dead_end_paths,
            uncategorised_templates: sim.uncategorised_templates(),
            unknown_category_billed_as: sim.unknown_as,
            warnings,
            notes: simulation_notes(report),
        },
        comparison: report.comparison.clone(),
    };
    let mut out =
        serde_json::to_string_pretty(&doc).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    out.push('\n');
    out
}

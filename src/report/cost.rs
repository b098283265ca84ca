//! Reports of `cost`, `diff`, `rates` and `--compare-at`: grids for people (table, CSV,
//! Markdown) and JSON documents for machines. Amounts print with 4 decimals like Meta's cards;
//! audience totals with 2 (4 below one dollar).

use super::grid::{Grid, OutputFormat};
use super::percent;
use crate::billing::PricingModel;
use crate::cost::compare::{category_cost, Comparison};
use crate::cost::diff::FlowDiff;
use crate::cost::{allowances, FlowCost};
use crate::money::{group_thousands, Money};
use crate::rates::{unit_name, RateBook, RateCategory};
use crate::time::format_instant;
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::{json, Value};
use std::fmt::Write;

/// Version of the JSON documents of `cost`, `diff` and `rates`.
pub const COST_SCHEMA_VERSION: u32 = 1;

/// How `cost` groups its main table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupBy {
    /// One row per flow and market.
    Flow,
    /// One row per path of each flow and market.
    Path,
    /// One row per billed category of each flow and market.
    Category,
    /// One row per market, flows summed.
    Market,
}

fn market_text(c: &FlowCost) -> String {
    format!("{} ({})", c.market.country, c.market.market)
}

fn model_text(c: &FlowCost) -> String {
    format!("{} ({})", c.model, unit_name(c.model.unit()))
}

fn cards_text(c: &FlowCost) -> String {
    if c.cards.is_empty() {
        "none".into()
    } else {
        c.cards.iter().cloned().collect::<Vec<_>>().join(", ")
    }
}

fn amount(m: Money, complete: bool) -> String {
    if complete {
        m.price()
    } else if m == Money::ZERO {
        "unknown".into()
    } else {
        format!("{} + unknown", m.price())
    }
}

/// Whether the cheapest path is known: it is the cheapest by known prices, so when none of its
/// charges has an unknown price, every other path costs at least as much.
fn min_complete(c: &FlowCost) -> bool {
    c.cheapest.unknown == 0
}

/// Whether the dearest path is known: only when no charge of any path has an unknown price
/// (an unknown price could make another path the dearest).
fn max_complete(c: &FlowCost) -> bool {
    c.complete
}

/// A change between two amounts, or `unknown` when either is not wholly known.
fn delta_text(old: Option<Money>, new: Option<Money>, total: bool) -> String {
    match (old, new) {
        (Some(o), Some(n)) if total => (n - o).total_delta(),
        (Some(o), Some(n)) => (n - o).delta(),
        _ => "unknown".into(),
    }
}

/// A category's expected cost, `None` when its price is unknown.
fn known_category_cost(c: &FlowCost, cat: RateCategory) -> Option<Money> {
    match c.category(cat) {
        Some(l) if l.price.amount.is_none() => None,
        _ => Some(category_cost(c, cat)),
    }
}

/// The expected cost, or its range when templates of unknown category make one.
fn expected_text(c: &FlowCost) -> String {
    match &c.uncategorised {
        Some(u) if u.expected_low != c.expected => format!(
            "{} – {}",
            u.expected_low.price(),
            amount(c.expected, c.complete)
        ),
        _ => amount(c.expected, c.complete),
    }
}

fn total(m: Money, complete: bool) -> String {
    if complete {
        m.total()
    } else if m == Money::ZERO {
        "unknown".into()
    } else {
        format!("{} + unknown", m.total())
    }
}

fn units_text(c: &FlowCost) -> String {
    if c.categories.is_empty() {
        return "none".into();
    }
    c.categories
        .iter()
        .map(|l| format!("{} {}", l.category, l.expected.count_text()))
        .collect::<Vec<_>>()
        .join(" · ")
}

fn price_text(l: &crate::cost::CategoryCost) -> String {
    l.price
        .amount
        .map_or_else(|| "price unknown".to_string(), |p| p.price())
}

/// The main `cost` table, grouped as asked.
pub fn cost_grid(costs: &[FlowCost], group_by: GroupBy) -> Grid {
    let audience = costs.iter().any(|c| c.audience.is_some());
    match group_by {
        GroupBy::Flow => {
            let mut header = vec![
                "flow",
                "market",
                "model",
                "rate card",
                "billable per recipient (expected)",
                "min",
                "expected",
                "max",
            ];
            if audience {
                header.push("audience total (expected)");
            }
            let mut g = Grid::new(&header);
            for c in costs {
                let mut row = vec![
                    c.flow.clone(),
                    market_text(c),
                    model_text(c),
                    cards_text(c),
                    units_text(c),
                    amount(c.min, min_complete(c)),
                    expected_text(c),
                    amount(c.max, max_complete(c)),
                ];
                if audience {
                    row.push(
                        c.audience
                            .as_ref()
                            .map_or(String::new(), |a| total(a.expected, c.complete)),
                    );
                }
                g.rows.push(row);
            }
            g
        }
        GroupBy::Path => {
            let mut g = Grid::new(&[
                "flow",
                "market",
                "path",
                "route",
                "weight",
                "billable",
                "cost per recipient",
            ]);
            for c in costs {
                for p in &c.paths {
                    let billable = if p.billable.is_empty() {
                        "none".to_string()
                    } else {
                        p.billable
                            .iter()
                            .map(|(k, n)| format!("{n} {k}"))
                            .collect::<Vec<_>>()
                            .join(" + ")
                    };
                    g.rows.push(vec![
                        c.flow.clone(),
                        market_text(c),
                        p.id.to_string(),
                        p.route_text(),
                        percent(p.probability),
                        billable,
                        amount(p.cost, p.unknown == 0),
                    ]);
                }
            }
            g
        }
        GroupBy::Category => {
            let mut header = vec![
                "flow",
                "market",
                "category",
                "price",
                "per recipient (expected)",
                "min – max",
                "cost per recipient (expected)",
            ];
            if audience {
                header.extend(["audience units", "at list price", "after allowances"]);
            }
            let mut g = Grid::new(&header);
            for c in costs {
                for l in &c.categories {
                    let known = l.price.amount.is_some();
                    let mut row = vec![
                        c.flow.clone(),
                        market_text(c),
                        l.category.to_string(),
                        price_text(l),
                        l.expected.count_text(),
                        format!("{} – {}", l.min, l.max),
                        amount(l.expected_cost, known),
                    ];
                    if audience {
                        let a = l.audience.as_ref();
                        row.push(
                            a.map_or(String::new(), |a| group_thousands(&a.units.to_string())),
                        );
                        row.push(
                            a.and_then(|a| a.list)
                                .map_or("unknown".into(), |m| m.total()),
                        );
                        row.push(
                            a.and_then(|a| a.cost)
                                .map_or("unknown".into(), |m| m.total()),
                        );
                    }
                    g.rows.push(row);
                }
            }
            g
        }
        GroupBy::Market => {
            let mut header = vec!["market", "flows", "expected per recipient (all flows)"];
            if audience {
                header.push("audience total (expected)");
            }
            let mut g = Grid::new(&header);
            let mut markets: Vec<String> = Vec::new();
            for c in costs {
                let m = market_text(c);
                if !markets.contains(&m) {
                    markets.push(m);
                }
            }
            for m in markets {
                let group: Vec<&FlowCost> = costs.iter().filter(|c| market_text(c) == m).collect();
                let complete = group.iter().all(|c| c.complete);
                let mut row = vec![
                    m,
                    group
                        .iter()
                        .map(|c| c.flow.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                    amount(group.iter().map(|c| c.expected).sum(), complete),
                ];
                if audience {
                    row.push(total(audience_expected(&group), complete));
                }
                g.rows.push(row);
            }
            g
        }
    }
}

/// The categories billed in any of `costs`, in card order.
fn billed_categories<'a>(costs: impl IntoIterator<Item = &'a FlowCost>) -> Vec<RateCategory> {
    let set: std::collections::BTreeSet<RateCategory> = costs
        .into_iter()
        .flat_map(|c| c.categories.iter().map(|l| l.category))
        .collect();
    set.into_iter().collect()
}

/// An amount for a CSV cell: a plain number, empty when nothing of it is known.
/// The expected cost of a market's flows for their audiences.
fn audience_expected(group: &[&FlowCost]) -> Money {
    group
        .iter()
        .filter_map(|c| c.audience.as_ref())
        .map(|a| a.expected)
        .sum()
}

fn csv_amount(m: Money, complete: bool) -> String {
    if !complete && m == Money::ZERO {
        String::new()
    } else {
        m.price()
    }
}

/// The main `cost` table for spreadsheets: one value per cell (country and market apart, one
/// column per category, amounts as plain numbers of the known prices with a `complete`
/// column beside them).
pub fn csv_grid(costs: &[FlowCost], group_by: GroupBy) -> Grid {
    let cats = billed_categories(costs);
    let audience = costs.iter().any(|c| c.audience.is_some());
    let mut header: Vec<String> = match group_by {
        GroupBy::Flow => vec!["flow", "country", "market", "model", "unit", "rate cards"],
        GroupBy::Path => vec!["flow", "country", "market", "path", "route", "weight"],
        GroupBy::Category => vec!["flow", "country", "market"],
        GroupBy::Market => vec!["market", "countries", "flows"],
    }
    .into_iter()
    .map(String::from)
    .collect();
    match group_by {
        GroupBy::Flow | GroupBy::Path => {
            header.extend(cats.iter().map(|c| format!("{c} per recipient")));
        }
        GroupBy::Category => header.extend(
            [
                "category",
                "price",
                "per recipient (expected)",
                "min per recipient",
                "max per recipient",
            ]
            .map(String::from),
        ),
        GroupBy::Market => {}
    }
    header.extend(csv_amount_columns(group_by).iter().map(|h| h.to_string()));
    if audience && group_by != GroupBy::Path {
        header.push("audience total (expected)".into());
    }
    let mut g = Grid {
        title: None,
        header,
        rows: Vec::new(),
    };
    g.rows = match group_by {
        GroupBy::Flow => costs
            .iter()
            .map(|c| csv_flow_row(c, &cats, audience))
            .collect(),
        GroupBy::Path => costs.iter().flat_map(|c| csv_path_rows(c, &cats)).collect(),
        GroupBy::Category => costs
            .iter()
            .flat_map(|c| csv_category_rows(c, audience))
            .collect(),
        GroupBy::Market => csv_market_rows(costs, audience),
    };
    g
}

fn csv_amount_columns(group_by: GroupBy) -> &'static [&'static str] {
    match group_by {
        GroupBy::Flow => &["min", "expected", "max", "complete"],
        GroupBy::Path => &["cost per recipient", "unknown prices"],
        GroupBy::Category => &["cost per recipient (expected)", "price known"],
        GroupBy::Market => &["expected per recipient (all flows)", "complete"],
    }
}

fn csv_flow_row(c: &FlowCost, cats: &[RateCategory], audience: bool) -> Vec<String> {
    let mut row = vec![
        c.flow.clone(),
        c.market.country.clone(),
        c.market.market.clone(),
        c.model.to_string(),
        unit_name(c.model.unit()).to_string(),
        c.cards.iter().cloned().collect::<Vec<_>>().join("; "),
    ];
    row.extend(cats.iter().map(|&cat| {
        c.category(cat)
            .map_or_else(|| "0.00".into(), |l| l.expected.count_text())
    }));
    row.extend([
        csv_amount(c.min, min_complete(c)),
        csv_amount(c.expected, c.complete),
        csv_amount(c.max, max_complete(c)),
        c.complete.to_string(),
    ]);
    if audience {
        row.push(
            c.audience
                .as_ref()
                .map_or(String::new(), |a| csv_amount(a.expected, c.complete)),
        );
    }
    row
}

fn csv_path_rows(c: &FlowCost, cats: &[RateCategory]) -> Vec<Vec<String>> {
    c.paths
        .iter()
        .map(|p| {
            let mut row = vec![
                c.flow.clone(),
                c.market.country.clone(),
                c.market.market.clone(),
                p.id.to_string(),
                p.route_text(),
                percent(p.probability),
            ];
            row.extend(
                cats.iter()
                    .map(|cat| p.billable.get(cat).copied().unwrap_or(0).to_string()),
            );
            row.extend([csv_amount(p.cost, p.unknown == 0), p.unknown.to_string()]);
            row
        })
        .collect()
}

fn csv_category_rows(c: &FlowCost, audience: bool) -> Vec<Vec<String>> {
    c.categories
        .iter()
        .map(|l| {
            let known = l.price.amount.is_some();
            let mut row = vec![
                c.flow.clone(),
                c.market.country.clone(),
                c.market.market.clone(),
                l.category.to_string(),
                l.price.amount.map_or(String::new(), |p| p.price()),
                l.expected.count_text(),
                l.min.to_string(),
                l.max.to_string(),
                csv_amount(l.expected_cost, known),
                known.to_string(),
            ];
            if audience {
                row.push(
                    l.audience
                        .as_ref()
                        .and_then(|a| a.cost)
                        .map_or(String::new(), |m| m.price()),
                );
            }
            row
        })
        .collect()
}

fn csv_market_rows(costs: &[FlowCost], audience: bool) -> Vec<Vec<String>> {
    let mut markets: Vec<&str> = Vec::new();
    for c in costs {
        if !markets.contains(&c.market.market.as_str()) {
            markets.push(&c.market.market);
        }
    }
    markets
        .into_iter()
        .map(|m| {
            let group: Vec<&FlowCost> = costs.iter().filter(|c| c.market.market == m).collect();
            let mut countries: Vec<&str> =
                group.iter().map(|c| c.market.country.as_str()).collect();
            countries.dedup();
            let complete = group.iter().all(|c| c.complete);
            let expected: Money = group.iter().map(|c| c.expected).sum();
            let mut row = vec![
                m.to_string(),
                countries.join("; "),
                group
                    .iter()
                    .map(|c| c.flow.as_str())
                    .collect::<Vec<_>>()
                    .join("; "),
                csv_amount(expected, complete),
                complete.to_string(),
            ];
            if audience {
                row.push(csv_amount(audience_expected(&group), complete));
            }
            row
        })
        .collect()
}

/// The audience table: list price, allowances, total, min and max, per flow and market.
pub fn audience_grid(costs: &[FlowCost]) -> Option<Grid> {
    if costs.iter().all(|c| c.audience.is_none()) {
        return None;
    }
    let mut g = Grid::new(&[
        "flow",
        "market",
        "recipients",
        "at list price",
        "allowance or discount",
        "saving",
        "total (expected)",
        "all on cheapest path",
        "all on dearest path",
    ]);
    for c in costs {
        let Some(a) = &c.audience else { continue };
        let applied = allowances(c);
        let (what, saving) = if applied.is_empty() {
            ("none".to_string(), Money::ZERO.total())
        } else {
            (
                applied
                    .iter()
                    .map(|x| match x.kind {
                        "free_tier" => format!(
                            "{} {} free ({})",
                            group_thousands(&x.units.to_string()),
                            x.category,
                            x.rule
                        ),
                        _ => format!("{} volume tiers ({})", x.category, x.rule),
                    })
                    .collect::<Vec<_>>()
                    .join("\n"),
                applied.iter().map(|x| x.saving).sum::<Money>().total(),
            )
        };
        g.rows.push(vec![
            c.flow.clone(),
            market_text(c),
            group_thousands(&a.recipients.to_string()),
            total(a.list, c.complete),
            what,
            saving,
            total(a.expected, c.complete),
            total(a.min, min_complete(c)),
            total(a.max, max_complete(c)),
        ]);
    }
    Some(g)
}

/// The notes of every flow, prefixed with the flow and market.
fn notes(costs: &[FlowCost]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for c in costs {
        for n in &c.notes {
            let line = format!("{} · {}: {n}", c.flow, c.market.country);
            if !out.contains(&line) {
                out.push(line);
            }
        }
    }
    out
}

/// The heading line of `cost`.
fn cost_heading(costs: &[FlowCost], book: &RateBook) -> String {
    let mut s = String::from("flowcost cost");
    if let Some(c) = costs.first() {
        let _ = write!(
            s,
            " · at {} · expected values with reply rate {}",
            format_instant(c.at),
            percent(c.reply_rate)
        );
        if let Some(a) = &c.audience {
            let _ = write!(
                s,
                " · audience {} recipients a month",
                group_thousands(&a.recipients.to_string())
            );
        }
    }
    if let Some(user) = book.cards().iter().find(|c| c.user) {
        let _ = write!(s, " · own rate card {} over the built-in cards", user.name);
    }
    s.push_str(" · amounts in USD");
    s
}

/// The whole `cost` report in a grid format.
pub fn cost_text(
    costs: &[FlowCost],
    group_by: GroupBy,
    book: &RateBook,
    format: OutputFormat,
) -> String {
    let mut out = String::new();
    if format == OutputFormat::Csv {
        return csv_grid(costs, group_by).render(format);
    }
    let mut main = cost_grid(costs, group_by);
    let heading = cost_heading(costs, book);
    main.title = Some(heading);
    out += &main.render(format);
    if let Some(mut g) = audience_grid(costs) {
        g.title =
            Some("Audience totals (one calendar month; allowances per flow and market)".into());
        out.push('\n');
        out += &g.render(format);
    }
    let notes = notes(costs);
    if !notes.is_empty() {
        out.push('\n');
        write_notes(&mut out, &notes, format);
    }
    out
}

/// One `note:` line per note (a list item in Markdown).
fn write_notes(out: &mut String, notes: &[String], format: OutputFormat) {
    let bullet = if format == OutputFormat::Markdown {
        "- "
    } else {
        ""
    };
    for n in notes {
        let _ = writeln!(out, "{bullet}note: {n}");
    }
}

fn usd(m: Money) -> Value {
    json!(m.to_f64())
}

fn price_json(l: &crate::cost::CategoryCost) -> Value {
    json!({
        "category": l.category,
        "price_usd": l.price.amount.map(usd),
        "price_unknown": l.price.amount.is_none(),
        "price_card": l.price.card,
        "price_unknown_reason": l.price.unknown_why,
        "expected_units": l.expected.count_micros() as f64 / 1e6,
        "min_units": l.min,
        "max_units": l.max,
        "expected_cost_usd": usd(l.expected_cost),
        "audience": l.audience.as_ref().map(|a| json!({
            "units": a.units,
            "list_usd": a.list.map(usd),
            "cost_usd": a.cost.map(usd),
            "allowances": a.allowances.iter().map(|x| json!({
                "kind": x.kind,
                "rule": x.rule,
                "units": x.units,
                "saving_usd": usd(x.saving),
                "description": x.description,
            })).collect::<Vec<_>>(),
        })),
    })
}

/// One flow's cost as JSON.
pub fn flow_cost_json(c: &FlowCost) -> Value {
    json!({
        "flow": c.flow,
        "file": c.file,
        "country": c.market.country,
        "market": c.market.market,
        "market_note": c.market.note,
        "at": format_instant(c.at),
        "rate_date": c.date.to_string(),
        "pricing_model": c.model.name(),
        "unit": c.model.unit(),
        "rate_cards": c.cards,
        "reply_rate": c.reply_rate,
        "customer_model": {
            "reply_rate": c.customer.reply_rate,
            "reply_after": crate::time::format_duration(c.customer.reply_after),
            "retry_rate": c.customer.retry_rate,
            "max_visits": c.customer.max_visits,
        },
        "total_paths": c.total_paths,
        "uncategorised": c.uncategorised.as_ref().map(|u| json!({
            "templates": u.templates,
            "cheapest_category": u.cheapest,
            "dearest_category": u.dearest,
            "expected_low_usd": usd(u.expected_low),
            "expected_high_usd": usd(c.expected),
            "by_category": u.by_category.iter().map(|(cat, lo, e, hi)| json!({
                "category": cat,
                "min_usd": usd(*lo),
                "expected_usd": usd(*e),
                "max_usd": usd(*hi),
            })).collect::<Vec<_>>(),
        })),
        "complete": c.complete,
        "min_usd": usd(c.min),
        "expected_usd": usd(c.expected),
        "max_usd": usd(c.max),
        "categories": c.categories.iter().map(price_json).collect::<Vec<_>>(),
        "paths": c.paths.iter().map(|p| json!({
            "id": p.id,
            "route": p.route,
            "route_folded": crate::route::folded(&p.route),
            "weight": p.probability,
            "dearest": p.dearest,
            "assumptions": p.assumptions.iter().map(|(n, o)| json!({"node": n, "outcome": o})).collect::<Vec<_>>(),
            "billable": p.billable,
            "cost_usd": usd(p.cost),
            "unknown_prices": p.unknown,
            "charges": p.charges.iter().map(|ch| json!({
                "node": ch.node,
                "category": ch.category,
                "category_assumed": ch.category_assumed,
                "billable": ch.billable,
                "reason": ch.reason.name(),
                "price_usd": ch.price.map(usd),
                "price_unknown": ch.price.is_none(),
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "audience": c.audience.as_ref().map(|a| json!({
            "recipients": a.recipients,
            "list_usd": usd(a.list),
            "expected_usd": usd(a.expected),
            "min_usd": usd(a.min),
            "max_usd": usd(a.max),
        })),
        "notes": c.notes,
    })
}

fn pretty(v: &Value) -> String {
    let mut s =
        serde_json::to_string_pretty(v).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}

fn user_card(book: &RateBook) -> Option<String> {
    book.cards().iter().find(|c| c.user).map(|c| c.name.clone())
}

/// The `cost` JSON document.
pub fn cost_json(costs: &[FlowCost], comparisons: &[Comparison], book: &RateBook) -> String {
    let mut doc = json!({
        "schema_version": COST_SCHEMA_VERSION,
        "user_rate_card": user_card(book),
        "flows": costs.iter().map(flow_cost_json).collect::<Vec<_>>(),
    });
    if !comparisons.is_empty() {
        doc["comparisons"] = Value::Array(comparisons.iter().map(comparison_json).collect());
    }
    pretty(&doc)
}

fn column_head(c: &FlowCost) -> String {
    format!("{} ({})", c.date, c.model)
}

fn category_cell(c: &FlowCost, cat: RateCategory) -> String {
    match c.category(cat) {
        None => "—".into(),
        Some(l) => match l.price.amount {
            Some(p) => format!(
                "{} × {} = {}",
                l.expected.count_text(),
                p.price(),
                l.expected_cost.price()
            ),
            None => format!("{} × price unknown", l.expected.count_text()),
        },
    }
}

/// A date comparison as a grid: one column per date, a delta column after each later date,
/// and, for two dates, the causes.
pub fn comparison_grid(cmp: &Comparison) -> Grid {
    let cols = &cmp.columns;
    let mut header = vec!["per recipient".to_string()];
    for (i, c) in cols.iter().enumerate() {
        header.push(column_head(c));
        if i > 0 {
            header.push("Δ".into());
        }
    }
    let with_causes = cols.len() == 2;
    if with_causes {
        header.push("cause".into());
    }
    let cause_text = |cat: Option<RateCategory>| -> String {
        cmp.causes
            .iter()
            .flat_map(|causes| causes.iter().filter(|c| c.category == cat))
            .map(|c| c.text.clone())
            .collect::<Vec<_>>()
            .join("\n")
    };
    let mut g = Grid {
        title: cols.first().map(|c| {
            format!(
                "flow {} · market {} · compared by date (expected values, reply rate {})",
                c.flow,
                market_text(c),
                percent(c.reply_rate)
            )
        }),
        header,
        rows: Vec::new(),
    };
    let row = |label: String,
               cell: &dyn Fn(&FlowCost) -> String,
               value: &dyn Fn(&FlowCost) -> Option<Money>,
               cause: String| {
        let mut r = vec![label];
        for (i, c) in cols.iter().enumerate() {
            r.push(cell(c));
            if i > 0 {
                r.push(delta_text(value(&cols[i - 1]), value(c), false));
            }
        }
        if with_causes {
            r.push(cause);
        }
        r
    };
    for cat in cmp.categories() {
        g.rows.push(row(
            cat.to_string(),
            &|c| category_cell(c, cat),
            &|c| known_category_cost(c, cat),
            cause_text(Some(cat)),
        ));
    }
    g.rows.push(row(
        "expected".into(),
        &|c| amount(c.expected, c.complete),
        &|c| c.complete.then_some(c.expected),
        cause_text(None),
    ));
    g.rows.push(row(
        "min (cheapest path)".into(),
        &|c| amount(c.min, min_complete(c)),
        &|c| min_complete(c).then_some(c.min),
        String::new(),
    ));
    g.rows.push(row(
        "max (dearest path)".into(),
        &|c| amount(c.max, max_complete(c)),
        &|c| max_complete(c).then_some(c.max),
        String::new(),
    ));
    if let Some(a) = cols.first().and_then(|c| c.audience.as_ref()) {
        let label = format!("audience of {}", group_thousands(&a.recipients.to_string()));
        let value = |c: &FlowCost| c.audience.as_ref().map_or(Money::ZERO, |a| a.expected);
        let known = |c: &FlowCost| c.complete.then(|| value(c));
        let mut r = vec![label];
        for (i, c) in cols.iter().enumerate() {
            r.push(total(value(c), c.complete));
            if i > 0 {
                r.push(delta_text(known(&cols[i - 1]), known(c), true));
            }
        }
        if with_causes {
            r.push(String::new());
        }
        g.rows.push(r);
    }
    let mut r = vec!["rate card".to_string()];
    for (i, c) in cols.iter().enumerate() {
        r.push(cards_text(c));
        if i > 0 {
            r.push(String::new());
        }
    }
    if with_causes {
        r.push(String::new());
    }
    g.rows.push(r);
    g
}

/// The causes of a comparison of more than two dates: one row per change and category.
pub fn changes_grid(cmp: &Comparison) -> Grid {
    let cols = &cmp.columns;
    let mut g = Grid::new(&["change", "per recipient", "Δ", "cause"]);
    g.title = Some("Causes of the changes".into());
    for (i, causes) in cmp.causes.iter().enumerate() {
        let (a, b) = (&cols[i], &cols[i + 1]);
        let step = format!("{} → {}", a.date, b.date);
        let mut items: Vec<Option<RateCategory>> = vec![None];
        items.extend(cmp.categories().into_iter().map(Some));
        for item in items {
            let texts: Vec<&str> = causes
                .iter()
                .filter(|c| c.category == item)
                .map(|c| c.text.as_str())
                .collect();
            if texts.is_empty() {
                continue;
            }
            let (label, delta) = match item {
                None => (
                    "expected".to_string(),
                    delta_text(
                        a.complete.then_some(a.expected),
                        b.complete.then_some(b.expected),
                        false,
                    ),
                ),
                Some(c) => (
                    c.to_string(),
                    delta_text(known_category_cost(a, c), known_category_cost(b, c), false),
                ),
            };
            g.rows
                .push(vec![step.clone(), label, delta, texts.join("\n")]);
        }
    }
    g
}

/// A comparison in a grid format: the dates side by side, and for more than two dates the
/// causes below.
pub fn comparison_text(cmp: &Comparison, format: OutputFormat) -> String {
    let mut out = comparison_grid(cmp).render(format);
    if cmp.columns.len() > 2 {
        out.push('\n');
        out += &changes_grid(cmp).render(format);
    }
    out
}

/// A date comparison as JSON.
pub fn comparison_json(cmp: &Comparison) -> Value {
    let cols = &cmp.columns;
    json!({
        "flow": cols.first().map(|c| c.flow.clone()),
        "country": cols.first().map(|c| c.market.country.clone()),
        "columns": cols.iter().map(|c| json!({
            "at": format_instant(c.at),
            "rate_date": c.date.to_string(),
            "pricing_model": c.model.name(),
            "unit": c.model.unit(),
            "market": c.market.market,
            "rate_cards": c.cards,
            "complete": c.complete,
            "min_usd": usd(c.min),
            "expected_usd": usd(c.expected),
            "max_usd": usd(c.max),
            "audience_expected_usd": c.audience.as_ref().map(|a| usd(a.expected)),
            "categories": c.categories.iter().map(price_json).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "changes": cmp.causes.iter().enumerate().map(|(i, causes)| json!({
            "from": cols[i].date.to_string(),
            "to": cols[i + 1].date.to_string(),
            "expected_delta_usd": (cols[i].complete && cols[i + 1].complete)
                .then(|| usd(cols[i + 1].expected - cols[i].expected)),
            "categories": cmp.categories().iter().map(|&cat| json!({
                "category": cat,
                "delta_usd": known_category_cost(&cols[i], cat)
                    .zip(known_category_cost(&cols[i + 1], cat))
                    .map(|(o, n)| usd(n - o)),
            })).collect::<Vec<_>>(),
            "causes": causes.iter().map(|c| json!({"category": c.category, "text": c.text})).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}

/// Comparisons for spreadsheets: one row per flow, market and date, one value per cell.
fn comparisons_csv(cmps: &[Comparison]) -> Grid {
    let columns: Vec<&FlowCost> = cmps.iter().flat_map(|c| c.columns.iter()).collect();
    let cats = billed_categories(columns.iter().copied());
    let mut header: Vec<String> = [
        "flow",
        "country",
        "market",
        "at",
        "rate date",
        "model",
        "unit",
        "rate cards",
    ]
    .map(String::from)
    .to_vec();
    for c in &cats {
        header.push(format!("{c} per recipient"));
        header.push(format!("{c} price"));
        header.push(format!("{c} cost"));
    }
    header.extend(["min", "expected", "max", "complete"].map(String::from));
    let mut g = Grid {
        title: None,
        header,
        rows: Vec::new(),
    };
    for c in columns {
        let mut row = vec![
            c.flow.clone(),
            c.market.country.clone(),
            c.market.market.clone(),
            format_instant(c.at),
            c.date.to_string(),
            c.model.to_string(),
            unit_name(c.model.unit()).to_string(),
            c.cards.iter().cloned().collect::<Vec<_>>().join("; "),
        ];
        for &cat in &cats {
            let line = c.category(cat);
            let price = line.and_then(|l| l.price.amount);
            row.push(line.map_or("0.00".into(), |l| l.expected.count_text()));
            row.push(price.map_or(String::new(), |p| p.price()));
            row.push(match line {
                None => Money::ZERO.price(),
                Some(l) => csv_amount(l.expected_cost, price.is_some()),
            });
        }
        row.extend([
            csv_amount(c.min, min_complete(c)),
            csv_amount(c.expected, c.complete),
            csv_amount(c.max, max_complete(c)),
            c.complete.to_string(),
        ]);
        g.rows.push(row);
    }
    g
}

/// Comparisons in a grid format.
pub fn comparisons_text(cmps: &[Comparison], format: OutputFormat) -> String {
    if format == OutputFormat::Csv {
        return comparisons_csv(cmps).render(format);
    }
    cmps.iter()
        .map(|c| comparison_text(c, format))
        .collect::<Vec<_>>()
        .join("\n")
}

fn side(c: Option<&FlowCost>, f: impl Fn(&FlowCost) -> String) -> String {
    c.map_or("—".into(), f)
}

/// The `diff` report in a grid format.
pub fn diff_text(diffs: &[FlowDiff], format: OutputFormat, verdict: Option<&str>) -> String {
    let audience = diffs.iter().any(|d| d.audience().is_some());
    let mut header = vec!["flow", "market", "old", "new", "Δ per recipient"];
    if audience {
        header.extend(["old audience", "new audience", "Δ audience"]);
    }
    header.push("changes");
    let mut g = Grid::new(&header);
    g.title = Some("flowcost diff · expected cost per recipient (USD)".into());
    for d in diffs {
        let complete = d.complete();
        let market = d
            .new
            .as_ref()
            .or(d.old.as_ref())
            .map_or(d.country.clone(), market_text);
        let mut row = vec![
            d.flow.clone(),
            market,
            side(d.old.as_ref(), expected_text),
            side(d.new.as_ref(), expected_text),
            if complete {
                d.delta().delta()
            } else {
                format!("{} (incomplete)", d.delta().delta())
            },
        ];
        if let Some((o, n)) = d.audience() {
            row.push(total(o, complete));
            row.push(total(n, complete));
            row.push((n - o).total_delta());
        } else if audience {
            row.extend([String::new(), String::new(), String::new()]);
        }
        let mut changes = Vec::new();
        match (&d.old, &d.new) {
            (None, Some(_)) => changes.push("flow added".to_string()),
            (Some(_), None) => changes.push("flow removed".to_string()),
            _ => {}
        }
        for c in &d.added_categories {
            changes.push(format!("+ category {c}"));
        }
        for c in &d.removed_categories {
            changes.push(format!("− category {c}"));
        }
        let unknown = |c: &Option<FlowCost>| -> Vec<String> {
            c.as_ref()
                .and_then(|c| c.uncategorised.as_ref())
                .map_or(Vec::new(), |u| u.templates.clone())
        };
        let (was, is) = (unknown(&d.old), unknown(&d.new));
        for t in was.iter().filter(|t| !is.contains(t)) {
            changes.push(format!("category of `{t}` now known"));
        }
        for t in is.iter().filter(|t| !was.contains(t)) {
            changes.push(format!("category of `{t}` unknown"));
        }
        if d.old.is_some() && d.new.is_some() {
            for p in &d.added_paths {
                changes.push(format!("+ path {p}"));
            }
            for p in &d.removed_paths {
                changes.push(format!("− path {p}"));
            }
        }
        row.push(if changes.is_empty() {
            "none".into()
        } else {
            changes.join("\n")
        });
        g.rows.push(row);
    }
    let mut out = g.render(format);
    let mut cg = Grid::new(&[
        "flow",
        "market",
        "category",
        "old units",
        "new units",
        "old cost",
        "new cost",
        "Δ per recipient",
    ]);
    cg.title = Some("Per category (expected, per recipient)".into());
    for d in diffs {
        for c in &d.categories {
            cg.rows.push(vec![
                d.flow.clone(),
                d.country.clone(),
                c.category.to_string(),
                c.old_units.count_text(),
                c.new_units.count_text(),
                c.old_cost.price(),
                c.new_cost.price(),
                (c.new_cost - c.old_cost).delta(),
            ]);
        }
    }
    if !cg.rows.is_empty() {
        out.push('\n');
        out += &cg.render(format);
    }
    let old: Money = diffs.iter().map(|d| d.old_expected()).sum();
    let new: Money = diffs.iter().map(|d| d.new_expected()).sum();
    let _ = writeln!(
        out,
        "\ntotal per recipient: {} → {} ({})",
        old.price(),
        new.price(),
        (new - old).delta()
    );
    if diffs.iter().any(|d| !d.complete()) {
        let _ = writeln!(
            out,
            "note: some prices are unknown on this date: totals cover known prices only"
        );
    }
    if let Some(v) = verdict {
        let _ = writeln!(out, "{v}");
    }
    out
}

/// The `diff` JSON document.
pub fn diff_json(diffs: &[FlowDiff], breach: Option<&str>) -> String {
    let doc = json!({
        "schema_version": COST_SCHEMA_VERSION,
        "flows": diffs.iter().map(|d| json!({
            "flow": d.flow,
            "country": d.country,
            "status": match (&d.old, &d.new) { (None, _) => "added", (_, None) => "removed", _ => "changed" },
            "complete": d.complete(),
            "old_expected_usd": d.old.as_ref().map(|c| usd(c.expected)),
            "new_expected_usd": d.new.as_ref().map(|c| usd(c.expected)),
            "delta_usd": usd(d.delta()),
            "audience": d.audience().map(|(o, n)| json!({"old_usd": usd(o), "new_usd": usd(n), "delta_usd": usd(n - o)})),
            "categories": d.categories.iter().map(|c| json!({
                "category": c.category,
                "old_units": c.old_units.count_micros() as f64 / 1e6,
                "new_units": c.new_units.count_micros() as f64 / 1e6,
                "old_cost_usd": usd(c.old_cost),
                "new_cost_usd": usd(c.new_cost),
                "delta_usd": usd(c.new_cost - c.old_cost),
            })).collect::<Vec<_>>(),
            "added_paths": d.added_paths,
            "removed_paths": d.removed_paths,
            "added_categories": d.added_categories,
            "removed_categories": d.removed_categories,
            "old": d.old.as_ref().map(flow_cost_json),
            "new": d.new.as_ref().map(flow_cost_json),
        })).collect::<Vec<_>>(),
        "budget_exceeded": breach.is_some(),
        "budget_message": breach,
    });
    pretty(&doc)
}

/// One market's row of the card in force.
#[derive(Debug, Clone, Serialize)]
struct CardRow {
    market: String,
    prices: Vec<(RateCategory, Option<Money>, Option<String>)>,
}

fn card_rows(book: &RateBook, on: NaiveDate, markets: &[String]) -> Vec<CardRow> {
    let unit = PricingModel::in_force_on(on).map_or(crate::billing::Unit::Message, |m| m.unit());
    let all = book.markets_at(on);
    let chosen: Vec<String> = if markets.is_empty() {
        all
    } else {
        markets.to_vec()
    };
    chosen
        .into_iter()
        .map(|m| CardRow {
            prices: RateCategory::ALL
                .iter()
                .map(|&c| {
                    let p = book.price(&m, c, on, unit);
                    (c, p.amount, p.card)
                })
                .collect(),
            market: m,
        })
        .collect()
}

/// `flowcost rates` in a grid format. `markets` are Meta market names (empty: all).
pub fn rates_text(
    book: &RateBook,
    on: NaiveDate,
    markets: &[String],
    notes: &[String],
    format: OutputFormat,
) -> String {
    let model = PricingModel::in_force_on(on).ok();
    let unit = model.map_or("message", |m| unit_name(m.unit()));
    let mut header = vec!["market".to_string()];
    header.extend(RateCategory::ALL.iter().map(|c| c.name().to_string()));
    header.push("cards".into());
    let mut g = Grid {
        title: Some(format!(
            "Rate card in force on {on} · model {} · USD per {unit}",
            model.map_or("none".into(), |m| m.name().to_string())
        )),
        header,
        rows: Vec::new(),
    };
    for r in card_rows(book, on, markets) {
        let mut row = vec![r.market.clone()];
        let mut cards: Vec<String> = Vec::new();
        for (_, p, card) in &r.prices {
            row.push(p.map_or("—".into(), |p| p.price()));
            if let Some(c) = card {
                if !cards.contains(c) {
                    cards.push(c.clone());
                }
            }
        }
        row.push(cards.join(", "));
        g.rows.push(row);
    }
    if format == OutputFormat::Csv {
        return g.render(format);
    }
    let mut out = g.render(format);
    let mut all_notes = notes.to_vec();
    all_notes.push("— : no price known for this date (never a per-conversation price after 2025-06-30; see rates/README.md for gaps)".into());
    match model {
        Some(PricingModel::Cbp2024_11) => all_notes.push("service conversations are free under cbp-2024-11 (rule 9)".into()),
        Some(PricingModel::Pmp) => all_notes.push("free-form (service) messages and utility inside the service window are free under pmp (rule 11)".into()),
        Some(PricingModel::Pmp2026_10) => all_notes.push("service messages are charged at the utility price under pmp-2026-10 (rule 15); first 1,000 per phone number and month free".into()),
        _ => {}
    }
    if model.is_some_and(|m| m.unit() == crate::billing::Unit::Message) {
        all_notes.push("authentication_international applies only with --business-country other than the recipient's (rule 8)".into());
    }
    write_notes(&mut out, &all_notes, format);
    out
}

/// `flowcost rates --format json`.
pub fn rates_json(book: &RateBook, on: NaiveDate, markets: &[String], notes: &[String]) -> String {
    let model = PricingModel::in_force_on(on).ok();
    let doc = json!({
        "schema_version": COST_SCHEMA_VERSION,
        "date": on.to_string(),
        "pricing_model": model.map(|m| m.name()),
        "unit": model.map(|m| m.unit()),
        "user_rate_card": user_card(book),
        "markets": card_rows(book, on, markets).iter().map(|r| json!({
            "market": r.market,
            "prices": r.prices.iter().map(|(c, p, card)| json!({
                "category": c,
                "price_usd": p.map(usd),
                "price_unknown": p.is_none(),
                "card": card,
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "notes": notes,
        "cards": book.cards().iter().map(|c| json!({
            "name": c.name,
            "effective_date": c.effective.map(|d| d.to_string()),
            "user": c.user,
            "header": c.header,
        })).collect::<Vec<_>>(),
    });
    pretty(&doc)
}

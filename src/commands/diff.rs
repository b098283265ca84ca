//! `flowcost diff`.

use super::{catalog, cost_options, countries, flow_files, load_flows, rate_book, Failure};
use crate::cli::{DiffArgs, DiffFormat};
use flowcost::cost::cost_flow;
use flowcost::cost::diff::{Budget, FlowDiff};
use flowcost::flow::Flow;
use flowcost::money::Money;
use flowcost::report::cost::{diff_json, diff_text};

/// Flows of one side, by name; two files of one side with the same `flow:` name are refused.
fn by_name(flows: Vec<Flow>) -> Result<Vec<(String, Flow)>, Failure> {
    let mut out: Vec<(String, Flow)> = Vec::new();
    for f in flows {
        if let Some((_, other)) = out.iter().find(|(n, _)| *n == f.name) {
            return Err(Failure::Usage(format!(
                "{} and {} both define flow `{}`: diff matches flows by name",
                other.source.name, f.source.name, f.name
            )));
        }
        out.push((f.name.clone(), f));
    }
    Ok(out)
}

/// Prices both versions and reports the delta; exits 1 when a budget is broken.
pub fn run(args: &DiffArgs) -> Result<String, Failure> {
    let sim = &args.simulation;
    super::refuse_compare_at(sim, "diff")?;
    if args.old.is_dir() != args.new.is_dir() {
        return Err(Failure::Usage(
            "give two flow files or two directories, not one of each".into(),
        ));
    }
    let options = sim.options(chrono::Utc::now()).map_err(Failure::Usage)?;
    let book = rate_book(sim.rates.as_deref())?;
    let catalog = catalog(args.templates.as_deref())?;
    let old = load_flows(&flow_files(&args.old)?, catalog.as_ref(), &args.import)?;
    let new = load_flows(&flow_files(&args.new)?, catalog.as_ref(), &args.import)?;
    let pairs: Vec<(String, Option<Flow>, Option<Flow>)> = if args.old.is_dir() {
        let (old, new) = (by_name(old)?, by_name(new)?);
        let mut names: Vec<String> = old.iter().map(|(n, _)| n.clone()).collect();
        for (n, _) in &new {
            if !names.contains(n) {
                names.push(n.clone());
            }
        }
        names
            .into_iter()
            .map(|n| {
                let o = old.iter().find(|(k, _)| *k == n).map(|(_, f)| f.clone());
                let w = new.iter().find(|(k, _)| *k == n).map(|(_, f)| f.clone());
                (n, o, w)
            })
            .collect()
    } else {
        let (o, n) = (old.into_iter().next(), new.into_iter().next());
        let name = n
            .as_ref()
            .or(o.as_ref())
            .map_or(String::new(), |f| f.name.clone());
        vec![(name, o, n)]
    };
    let opts = cost_options(sim, Some(&args.audience));
    let mut diffs = Vec::new();
    for (name, o, n) in &pairs {
        let Some(reference) = n.as_ref().or(o.as_ref()) else {
            continue;
        };
        for country in countries(reference, sim)? {
            let price = |f: &Option<Flow>| {
                f.as_ref()
                    .map(|f| {
                        cost_flow(f, &options, &country, &book, &opts)
                            .map_err(|e| super::sim_failure(f, e))
                    })
                    .transpose()
            };
            diffs.push(FlowDiff::new(
                name.clone(),
                country.clone(),
                price(o)?,
                price(n)?,
            ));
        }
    }
    let budget = Budget {
        above: args.fail_above,
        above_percent: args.fail_above_percent,
    };
    let (old_total, new_total, per) = if args.audience.audience.is_some() {
        let sum = |f: fn(&FlowDiff) -> Option<(Money, Money)>| -> (Money, Money) {
            diffs
                .iter()
                .filter_map(f)
                .fold((Money::ZERO, Money::ZERO), |a, b| (a.0 + b.0, a.1 + b.1))
        };
        let (o, n) = sum(|d| d.audience());
        (o, n, "for the audience")
    } else {
        (
            diffs.iter().map(|d| d.old_expected()).sum(),
            diffs.iter().map(|d| d.new_expected()).sum(),
            "per recipient",
        )
    };
    let breach = budget.breach(old_total, new_total, per);
    let verdict = match (
        &breach,
        budget.above.is_some() || budget.above_percent.is_some(),
    ) {
        (Some(b), _) => Some(format!("budget exceeded: {b}")),
        (None, true) => Some("budget ok: the increase is within --fail-above".to_string()),
        (None, false) => None,
    };
    let output = match args.format {
        DiffFormat::Json => diff_json(&diffs, breach.as_deref()),
        f => super::ui().report(diff_text(&diffs, f.into(), verdict.as_deref())),
    };
    match breach {
        Some(message) => Err(Failure::Breach {
            output,
            message: format!("budget exceeded: {message}"),
        }),
        None => Ok(output),
    }
}

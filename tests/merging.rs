//! Path merging: the exact totals computed over merged states equal what enumerating every
//! path gives, on every flow the project has, and stay cheap where enumeration cannot go.

use chrono::{DateTime, Utc};
use flowcost::billing::{Category, PricingModel};
use flowcost::diagnostic::SourceFile;
use flowcost::flow::parse_flow;
use flowcost::import::{load_any, ImportOptions};
use flowcost::simulate::{simulate, Options, Simulation};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn at() -> DateTime<Utc> {
    "2026-11-02T10:00:00Z".parse().unwrap()
}

fn files(dir: &str, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            files(p.to_str().unwrap(), out);
        } else if p.extension().is_some_and(|e| e == "yaml" || e == "json") {
            out.push(p);
        }
    }
}

/// Totals computed from the listed paths (only valid when nothing was truncated).
fn enumerated(sim: &Simulation) -> (u128, usize, usize, BTreeSet<Category>, bool, bool) {
    let billable: Vec<usize> = sim.paths.iter().map(|p| p.bill.billable()).collect();
    (
        sim.paths.len() as u128,
        billable.iter().copied().min().unwrap_or(0),
        billable.iter().copied().max().unwrap_or(0),
        sim.paths.iter().flat_map(|p| p.bill.categories()).collect(),
        sim.paths.iter().any(|p| p.bill.categories().len() > 1),
        sim.paths
            .iter()
            .any(|p| p.bill.undeliverable().next().is_some()),
    )
}

#[test]
fn merged_totals_equal_enumeration_on_every_flow() {
    let mut all = Vec::new();
    files("flows", &mut all);
    files("tests/fixtures", &mut all);
    let catalogs = [
        None,
        flowcost::flow::load_catalog(Path::new("tests/fixtures/import/own/goflow-catalog.yaml"))
            .ok(),
        flowcost::flow::load_catalog(Path::new("tests/fixtures/import/own/studio-catalog.yaml"))
            .ok(),
        flowcost::flow::load_catalog(Path::new("tests/fixtures/flows/catalog.yaml")).ok(),
    ];
    let mut compared = 0;
    for path in &all {
        let Some(loaded) = catalogs
            .iter()
            .find_map(|c| load_any(path, &ImportOptions::default(), c.as_ref()).ok())
        else {
            continue; // bad inputs and catalogs
        };
        // Both units: conversations (cbp) and messages (pmp-2026-10).
        for model in [PricingModel::Cbp, PricingModel::Pmp2026_10] {
            for reply_after in ["1m"] {
                let mut opts = Options::new(at(), model);
                opts.reply_after = flowcost::time::parse_duration(reply_after).unwrap();
                opts.max_paths = 2_000;
                let sim = simulate(&loaded.flow, &opts);
                // Past the budgets the totals are not exact, by design (and say so).
                let cut = sim
                    .paths
                    .iter()
                    .any(|p| p.route.len() >= flowcost::simulate::MAX_STEPS);
                let Some(t) = sim.totals.as_ref().filter(|_| !sim.truncated && !cut) else {
                    continue;
                };
                let merged = (
                    t.paths,
                    t.min_billable,
                    t.max_billable,
                    t.categories.clone(),
                    t.mixed,
                    t.undeliverable,
                );
                assert_eq!(
                    merged,
                    enumerated(&sim),
                    "{} under {model}, reply after {reply_after}",
                    path.display()
                );
                compared += 1;
            }
        }
    }
    assert!(compared > 80, "only {compared} comparisons");
}

fn chain_of_splits(n: usize) -> String {
    let mut yaml = String::from("flow: splits\ntrigger: customer_message\nnodes:\n");
    for i in 0..n {
        // Each split either sends a utility template first or goes straight on.
        yaml.push_str(&format!(
            "  - {{ id: s{i}, type: split, branches: [{{ to: u{i} }}, {{ to: j{i} }}] }}\n  - {{ id: u{i}, type: send_update, category: utility }}\n  - {{ id: j{i}, type: wait, for: 1h }}\n"
        ));
    }
    yaml.push_str("  - { id: done, type: end }\n");
    yaml
}

#[test]
fn sixty_four_sequential_splits_are_counted_exactly_without_enumeration() {
    let flow = parse_flow(SourceFile::new("splits.yaml", chain_of_splits(64)), None).unwrap();
    let sim = simulate(&flow, &Options::new(at(), PricingModel::Pmp2026_10));
    assert!(sim.truncated);
    assert_eq!(sim.paths.len(), 1000);
    assert_eq!(sim.totals.as_ref().unwrap().paths, 1u128 << 64);
    // Utility templates inside the 24 h window are charged under pmp-2026-10: 0 to 64.
    assert_eq!(
        {
            let t = sim.totals.as_ref().unwrap();
            (t.min_billable, t.max_billable)
        },
        (0, 64)
    );
    assert!(sim.totals.as_ref().unwrap().states < 20_000);
    // Under pmp, utility inside the customer service window (the first 24 h) is free.
    let sim = simulate(&flow, &Options::new(at(), PricingModel::Pmp));
    assert_eq!(
        {
            let t = sim.totals.as_ref().unwrap();
            (t.min_billable, t.max_billable)
        },
        (0, 64 - 24)
    );
    // Under cbp, one utility conversation per 24 h window that has a send: 0 to 3.
    let sim = simulate(&flow, &Options::new(at(), PricingModel::Cbp));
    assert_eq!(
        {
            let t = sim.totals.as_ref().unwrap();
            (t.min_billable, t.max_billable)
        },
        (0, 3)
    );
}

#[test]
fn small_chains_agree_with_enumeration() {
    for n in 1..=8 {
        let flow = parse_flow(SourceFile::new("splits.yaml", chain_of_splits(n)), None).unwrap();
        for model in PricingModel::ALL {
            let sim = simulate(&flow, &Options::new(at(), model));
            assert!(!sim.truncated);
            let t = sim.totals.as_ref().unwrap();
            assert_eq!(
                (
                    t.paths,
                    t.min_billable,
                    t.max_billable,
                    t.categories.clone(),
                    t.mixed,
                    t.undeliverable
                ),
                enumerated(&sim),
                "n = {n} under {model}"
            );
        }
    }
}

/// `cost` past --max-paths (merged exploration) gives the same min, expected and max as with
/// every path listed.
#[test]
fn cost_is_exact_when_paths_are_truncated() {
    use flowcost::cost::{cost_flow, CostOptions};
    use flowcost::rates::RateBook;
    let book = RateBook::builtin().unwrap();
    let mut flows: Vec<PathBuf> = Vec::new();
    files("flows", &mut flows);
    flows.push("tests/fixtures/flows/many-splits.yaml".into());
    let mut compared = 0;
    for path in flows {
        let flow = flowcost::flow::load_flow(&path, None).unwrap();
        for at in ["2024-06-01T10:00:00Z", "2026-11-02T10:00:00Z"] {
            let start: DateTime<Utc> = at.parse().unwrap();
            let model = PricingModel::in_force_on(start.date_naive()).unwrap();
            for reply_rate in [0.3, 0.8] {
                let opts = CostOptions {
                    reply_rate,
                    ..CostOptions::default()
                };
                let all = cost_flow(&flow, &Options::new(start, model), "DE", &book, &opts);
                let mut few = Options::new(start, model);
                few.max_paths = 1;
                let merged = cost_flow(&flow, &few, "DE", &book, &opts);
                assert_eq!(
                    (merged.min, merged.expected, merged.max),
                    (all.min, all.expected, all.max),
                    "{} at {at}, reply rate {reply_rate}",
                    path.display()
                );
                if merged.notes.iter().any(|n| n.contains("cover every path")) {
                    compared += 1;
                }
            }
        }
    }
    assert!(compared >= 16, "only {compared} truncated comparisons");
}

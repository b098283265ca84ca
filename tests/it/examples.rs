//! Every example users copy runs: each file in `flows/` and each YAML flow of the manual
//! (README.md and docs/*.md; their commands run in `docs.rs`).

use chrono::{DateTime, Utc};
use flowcost::billing::{Category, PricingModel};
use flowcost::diagnostic::SourceFile;
use flowcost::flow::{load_flow, parse_catalog, parse_flow};
use flowcost::simulate::{simulate, Options};
use std::collections::BTreeSet;

fn at() -> DateTime<Utc> {
    "2026-11-02T10:00:00Z".parse().unwrap()
}

fn example_files() -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir("flows")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_example_flow_loads_and_simulates_cleanly() {
    let files = example_files();
    assert!(files.len() >= 6, "flows/ lost examples: {files:?}");
    for path in files {
        let flow = load_flow(&path, None).unwrap_or_else(|e| panic!("{}: {e:?}", path.display()));
        for model in PricingModel::ALL {
            let sim = simulate(&flow, &Options::new(at(), model)).unwrap();
            assert!(!sim.paths.is_empty(), "{}", path.display());
            assert_eq!(
                sim.paths.len() as u128,
                sim.totals.paths,
                "{}",
                path.display()
            );
            assert!(
                !sim.totals.undeliverable(),
                "{} refuses a message",
                path.display()
            );
            // Only the mixed opt-in flow is billed for more than one category.
            let name = path.file_name().unwrap().to_str().unwrap();
            assert!(
                !sim.totals.mixed() || name == "opt-in-mixed.yaml",
                "{name} mixes under {model}"
            );
        }
    }
}

#[test]
fn example_flows_bill_what_their_comments_say() {
    let sim = |file: &str, model| {
        let flow = load_flow(std::path::Path::new(file), None).unwrap();
        simulate(&flow, &Options::new(at(), model)).unwrap()
    };
    // Post-purchase: three utility templates at 0h, 3h, 2d3h: two conversations, three messages.
    let s = sim("flows/post-purchase-utility.yaml", PricingModel::Cbp);
    assert_eq!(s.paths[0].bill.billable(), 2);
    let s = sim("flows/post-purchase-utility.yaml", PricingModel::Pmp2026_10);
    assert_eq!(s.paths[0].bill.billable(), 3);
    // The ad flow: reply and the 48 h template free, the 80 h template billed, under every model.
    for model in PricingModel::ALL {
        let s = sim("flows/click-to-whatsapp-ad.yaml", model);
        assert_eq!(s.paths[0].bill.billable(), 1, "{model}");
    }
    // Abandoned cart: three paths, most probable first: silent with and without the discount
    // (70% × ½ each), then replied (30%, the default reply rate).
    let s = sim("flows/abandoned-cart.yaml", PricingModel::Pmp2026_10);
    let probabilities: Vec<f64> = s.paths.iter().map(|p| p.probability).collect();
    for (p, want) in probabilities.iter().zip([0.35, 0.35, 0.3]) {
        assert!((p - want).abs() < 1e-12, "{probabilities:?}");
    }
    let billable: Vec<usize> = s.paths.iter().map(|p| p.bill.billable()).collect();
    assert_eq!(billable, vec![2, 1, 2]);
    assert_eq!(s.totals.expected_billable.count_text(), "1.65");
    // OTP: authentication only.
    let s = sim("flows/otp-authentication.yaml", PricingModel::Pmp2026_10);
    assert_eq!(
        s.totals.categories,
        BTreeSet::from([Category::Authentication])
    );
}

/// README.md and docs/*.md, as one text.
fn manual() -> String {
    let mut text = std::fs::read_to_string("README.md").unwrap();
    let mut docs: Vec<_> = std::fs::read_dir("docs")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    docs.sort();
    for path in docs {
        text.push_str(&std::fs::read_to_string(path).unwrap());
    }
    text
}

/// The YAML blocks of the manual that are flows (they start with `flow:`) load and simulate.
#[test]
fn manual_flow_examples_load() {
    let manual = manual();
    let blocks: Vec<&str> = manual
        .split("```yaml\n")
        .skip(1)
        .filter_map(|b| b.split("```").next())
        .filter(|b| b.lines().any(|l| l.starts_with("flow:")))
        .collect();
    assert!(!blocks.is_empty(), "the manual shows no flow");
    for block in blocks {
        let flow = parse_flow(SourceFile::new("docs/flow-format.md", block), None)
            .unwrap_or_else(|e| panic!("{e}: {:?}\n{block}", e.problems));
        let sim = simulate(&flow, &Options::new(at(), PricingModel::Pmp2026_10)).unwrap();
        assert!(!sim.paths.is_empty());
    }
}

/// The manual's catalog example loads, short form and category history included.
#[test]
fn manual_catalog_example_loads() {
    let manual = manual();
    let block = manual
        .split("```yaml\n")
        .skip(1)
        .filter_map(|b| b.split("```").next())
        .find(|b| b.starts_with("templates:"))
        .expect("the manual shows a catalog");
    let catalog = parse_catalog(SourceFile::new("docs/flow-format.md", block)).unwrap();
    let date = |s: &str| s.parse().unwrap();
    assert_eq!(
        catalog["order_update"].category_on(date("2026-02-28")),
        Category::Utility
    );
    assert_eq!(
        catalog["order_update"].category_on(date("2026-03-01")),
        Category::Marketing
    );
    assert_eq!(catalog["login_code"].category, Category::Authentication);
}

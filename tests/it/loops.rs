//! Looping flows stay bounded by construction: generated loop-heavy flows (re-asks, reminder
//! loops through waits, surveys that can be started over, 100 reply waits in a row, loops
//! reached through splits, loops inside loops) and every real export of the fixtures simulate,
//! lint and cost within the documented bounds, with the cheapest path ≤ the expected cost ≤
//! the dearest path.
//!
//! The bounds (README, "Loops and the customer model"): at most `--max-states` merged states
//! (a flow that needs more is explored again with a lower `--max-visits`, and says so), at
//! most `--paths` + 1 paths listed, lint messages of at most 1,000 characters, one finding per
//! rule and node (or pair of nodes). Time is measured by the benchmarks, not here.

use chrono::{DateTime, Utc};
use flowcost::billing::PricingModel;
use flowcost::cost::{cost_flow, CostOptions};
use flowcost::diagnostic::SourceFile;
use flowcost::flow::{parse_flow, Flow};
use flowcost::lint::{lint_flow, Levels, Settings};
use flowcost::rates::RateBook;
use flowcost::report::{simulation_json, simulation_table, SimulationReport};
use flowcost::simulate::{simulate, Options, DEFAULT_LISTED, DEFAULT_MAX_STATES};
use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Printed by default, at most.
const MAX_OUTPUT: usize = 1 << 20;
/// Peak memory of one command on a real export, at most.
const MAX_RSS_KIB: i64 = 200 * 1024;

fn dates() -> [DateTime<Utc>; 3] {
    [
        "2024-06-01T10:00:00Z".parse().unwrap(),
        "2025-08-01T10:00:00Z".parse().unwrap(),
        "2026-11-02T10:00:00Z".parse().unwrap(),
    ]
}

/// A flow of `q` blocks in a row: `block(i, next)` writes block `i`, whose first node is
/// `{first}{i}` and whose way on is `next` (the next block's first node, or `bye`).
fn chain(
    name: &str,
    trigger: &str,
    q: usize,
    first: &str,
    block: impl Fn(usize, &str) -> String,
) -> String {
    let mut y = format!("flow: {name}\ntrigger: {trigger}\nnodes:\n");
    for i in 0..q {
        let next = if i + 1 == q {
            "bye".to_string()
        } else {
            format!("{first}{}", i + 1)
        };
        y.push_str(&block(i, &next));
    }
    y.push_str("  - { id: bye, type: end }\n");
    y
}

/// Questions asked again on an invalid answer ("sorry"), each with a reminder loop.
fn re_asks(q: usize) -> String {
    chain("re-asks", "customer_message", q, "ask", |i, next| {
        format!("  - {{ id: ask{i}, type: send_message }}\n  - {{ id: wait{i}, type: wait_for_reply, timeout: 1h, on_reply: check{i}, on_timeout: remind{i} }}\n  - {{ id: remind{i}, type: send_update, category: utility, next: wait{i} }}\n  - {{ id: check{i}, type: split, branches: [{{ to: {next} }}, {{ to: sorry{i} }}] }}\n  - {{ id: sorry{i}, type: send_message, next: ask{i} }}\n")
    })
}

/// A survey in which every answer may be "MENU": back to the first question.
fn start_over(q: usize) -> String {
    chain("start-over", "customer_message", q, "ask", |i, next| {
        format!("  - {{ id: ask{i}, type: send_message }}\n  - {{ id: wait{i}, type: wait_for_reply, timeout: 1h, on_reply: check{i}, on_timeout: remind{i} }}\n  - {{ id: remind{i}, type: send_update, category: utility, next: wait{i} }}\n  - {{ id: check{i}, type: split, branches: [{{ to: {next} }}, {{ to: ask{i} }}, {{ to: ask0 }}] }}\n")
    })
}

/// `q` templates, each followed by a reply wait, in a row.
fn reply_waits(q: usize) -> String {
    chain("reply-waits", "business_event", q, "ask", |i, next| {
        format!("  - {{ id: ask{i}, type: send_update, category: marketing }}\n  - {{ id: wait{i}, type: wait_for_reply, timeout: 23h, on_reply: ok{i}, on_timeout: {next} }}\n  - {{ id: ok{i}, type: send_message, next: {next} }}\n")
    })
}

/// "Nudge, wait, maybe try again", `q` times in a row.
fn nudges(q: usize) -> String {
    chain("nudges", "business_event", q, "send", |i, next| {
        format!("  - {{ id: send{i}, type: send_update, category: marketing }}\n  - {{ id: pause{i}, type: wait, for: 1d }}\n  - {{ id: again{i}, type: split, branches: [{{ to: nudge{i} }}, {{ to: {next} }}] }}\n  - {{ id: nudge{i}, type: send_update, category: utility }}\n  - {{ id: hear{i}, type: wait_for_reply, timeout: 6h, on_reply: {next}, on_timeout: pause{i} }}\n")
    })
}

/// A menu whose `q` options each run a re-ask loop of their own and come back to the menu.
fn menu(q: usize) -> String {
    let mut y = String::from("flow: menu\ntrigger: customer_message\nnodes:\n");
    let options: Vec<String> = (0..q).map(|i| format!("{{ to: opt{i} }}")).collect();
    let _ = write!(
        y,
        "  - {{ id: menu, type: send_message }}\n  - {{ id: choose, type: wait_for_reply, timeout: 1d, on_reply: pick, on_timeout: bye }}\n  - {{ id: pick, type: split, branches: [{}, {{ to: bye }}] }}\n",
        options.join(", ")
    );
    for i in 0..q {
        let _ = write!(
            y,
            "  - {{ id: opt{i}, type: send_update, category: utility }}\n  - {{ id: ans{i}, type: wait_for_reply, timeout: 30m, on_reply: valid{i}, on_timeout: menu }}\n  - {{ id: valid{i}, type: split, branches: [{{ to: menu }}, {{ to: opt{i} }}] }}\n"
        );
    }
    y.push_str("  - { id: bye, type: end }\n");
    y
}

fn generated() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for q in [1, 5, 20] {
        out.push((format!("re-asks {q}"), re_asks(q)));
        out.push((format!("start-over {q}"), start_over(q)));
        out.push((format!("nudges {q}"), nudges(q)));
        out.push((format!("menu {q}"), menu(q)));
    }
    out.push(("100 reply waits".into(), reply_waits(100)));
    out
}

/// Simulates, lints and costs `flow` on each date with at most `max_states` states; checks
/// the bounds.
fn within_bounds(flow: &Flow, what: &str, max_states: usize) {
    let book = RateBook::builtin().unwrap();
    for at in dates() {
        let model = PricingModel::in_force_on(at.date_naive()).unwrap();
        let mut options = Options::new(at, model);
        options.max_states = max_states;
        let sim = simulate(flow, &options).unwrap_or_else(|e| panic!("{what}: {e}"));
        assert!(sim.totals.states <= max_states, "{what}");
        assert!(sim.paths.len() <= DEFAULT_LISTED + 1, "{what}");
        let report = SimulationReport {
            flow,
            options: &options,
            market: Some("DE"),
            billed_in: None,
            simulation: &sim,
            comparison: None,
        };
        assert!(simulation_json(&report).len() <= MAX_OUTPUT, "{what}");
        assert!(simulation_table(&report).len() <= MAX_OUTPUT, "{what}");
        let linted = lint_flow(flow, &options, &Settings::default(), &Levels::default())
            .unwrap_or_else(|e| panic!("{what}: {e}"));
        for p in &linted.problems {
            assert!(p.message.chars().count() <= 1000, "{what}: {}", p.message);
        }
        let cost = cost_flow(flow, &options, "DE", &book, &CostOptions::default()).unwrap();
        assert!(
            cost.min <= cost.expected && cost.expected <= cost.max,
            "{what} at {at}: {} ≤ {} ≤ {}",
            cost.min,
            cost.expected,
            cost.max
        );
        let t = &sim.totals;
        let e = t.expected_billable.to_f64();
        assert!(t.min_billable as f64 <= e + 1e-9 && e <= t.max_billable as f64 + 1e-9);
    }
}

#[test]
fn generated_loop_heavy_flows_stay_within_bounds() {
    for (what, yaml) in generated() {
        let flow = parse_flow(SourceFile::new("generated.yaml", yaml), None)
            .unwrap_or_else(|e| panic!("{what}: {:?}", e.problems));
        // A fifth of the default bound keeps this test quick in a debug build; the bound
        // works alike at any size.
        within_bounds(&flow, &what, DEFAULT_MAX_STATES / 5);
    }
}

/// A simple reminder loop (send, wait an hour for a reply, on timeout a utility reminder and
/// wait again) costs what the customer model says: the wait is entered at most 3 times, so the
/// reminder goes out at most 3 times, and a customer silent 3 times gives up.
#[test]
fn a_reminder_loop_costs_a_few_messages() {
    let yaml = "flow: reminder\ntrigger: business_event\nnodes:\n  - { id: hello, type: send_update, category: utility }\n  - { id: wait, type: wait_for_reply, timeout: 1h, on_reply: done, on_timeout: remind }\n  - { id: remind, type: send_update, category: utility, next: wait }\n  - { id: done, type: end }\n";
    let flow = parse_flow(SourceFile::new("reminder.yaml", yaml), None).unwrap();
    let at = dates()[2];
    let sim = simulate(&flow, &Options::new(at, PricingModel::Pmp2026_10)).unwrap();
    let t = &sim.totals;
    // Replied at the 1st, 2nd or 3rd wait, or abandoned before a 4th: 4 paths.
    assert_eq!(t.paths, 4);
    assert_eq!((t.min_billable, t.max_billable), (1, 4));
    // The first message, and a reminder after each silence: 1 + 0.7 + 0.7² + 0.7³ = 2.533.
    assert_eq!(t.expected_billable.count_text(), "2.53");
    assert_eq!(t.abandoned.len(), 1);
    assert!((t.abandoned[0].mass.to_f64() - 0.343).abs() < 1e-12);
    let mut persistent = Options::new(at, PricingModel::Pmp2026_10);
    persistent.customer.max_visits = 10;
    let sim = simulate(&flow, &persistent).unwrap();
    assert_eq!(sim.totals.max_billable, 11);
}

/// A flow whose states do not fit is explored again with fewer visits, and says so.
#[test]
fn too_many_states_lowers_max_visits_and_says_so() {
    let flow = parse_flow(SourceFile::new("s.yaml", start_over(4)), None).unwrap();
    let at = dates()[0];
    let mut options = Options::new(at, PricingModel::Cbp);
    options.max_states = 20_000;
    let sim = simulate(&flow, &options).unwrap();
    assert_eq!(sim.lowered_from, Some(3));
    assert!(sim.customer.max_visits < 3);
    let report = SimulationReport {
        flow: &flow,
        options: &options,
        market: None,
        billed_in: None,
        simulation: &sim,
        comparison: None,
    };
    let text = simulation_table(&report);
    assert!(
        text.contains("warning: the flow has more than 20000 distinct states with --max-visits 3"),
        "{text}"
    );
    assert!(simulation_json(&report).contains("\"max_visits\": 2"));
}

fn real_exports() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for dir in ["tests/fixtures/import", "tests/fixtures/flows", "flows"] {
        let mut stack = vec![PathBuf::from(dir)];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                } else if p.extension().is_some_and(|x| x == "json" || x == "yaml")
                    && !p.to_string_lossy().contains("catalog")
                {
                    out.push(p);
                }
            }
        }
    }
    out.sort();
    out
}

/// Every real export and example flow through the binary: simulate (table and JSON), lint
/// and cost; bounded output and memory, min ≤ expected ≤ max.
#[test]
fn every_real_export_simulates_lints_and_costs_within_bounds() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let catalog = "tests/fixtures/import/own/goflow-catalog.yaml";
    let studio = "tests/fixtures/import/own/studio-catalog.yaml";
    let mut checked = 0;
    for file in real_exports() {
        let f = file.to_string_lossy().into_owned();
        let templates = if f.contains("studio") {
            studio
        } else {
            catalog
        };
        let commands: [&[&str]; 4] = [
            &["simulate"],
            &["simulate", "--format", "json"],
            &["lint", "--format", "json", "--no-config"],
            &["cost", "--format", "json", "--market", "DE"],
        ];
        for command in commands {
            let mut args: Vec<String> = command.iter().map(|s| s.to_string()).collect();
            args.extend([f.clone(), "--at".into(), "2026-11-02".into()]);
            args.extend(["--templates".into(), templates.into()]);
            let run = super::common::run_measured(&args, root, &[], Duration::from_secs(60));
            assert!(!run.timed_out, "{args:?}");
            assert!(
                run.max_rss_kib <= MAX_RSS_KIB,
                "{args:?}: {} KiB",
                run.max_rss_kib
            );
            assert!(
                run.stdout.len() <= MAX_OUTPUT,
                "{args:?}: {} bytes",
                run.stdout.len()
            );
            assert!(!run.stderr.contains("panicked"), "{args:?}: {}", run.stderr);
            if run.code != Some(0) && run.code != Some(1) {
                // Refused exports are pinned in the import tests.
                assert_eq!(run.code, Some(2), "{args:?}: {}", run.stderr);
                continue;
            }
            if command[0] == "cost" {
                let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
                for c in doc["flows"].as_array().unwrap() {
                    let (lo, e, hi) = (
                        c["min_usd"].as_f64().unwrap(),
                        c["expected_usd"].as_f64().unwrap(),
                        c["max_usd"].as_f64().unwrap(),
                    );
                    assert!(lo <= e && e <= hi, "{f}: {lo} ≤ {e} ≤ {hi}");
                }
                checked += 1;
            }
        }
    }
    assert!(checked >= 25, "only {checked} exports costed");
}

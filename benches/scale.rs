//! Big flows, each against a baseline measured in the same run (parsing the same text into YAML
//! values with serde_yaml, the floor of any YAML tool):
//!
//! - lint of a generated 5,000-node flow (issue 8: ≤ 1 s);
//! - 64 sequential two-way splits, simulated and costed through the public API (issue 8:
//!   ≤ 100 ms): every one of the 2^64 paths, merged;
//! - 1,000 typical flows linted on 2 threads, as `flowcost lint DIR` does on a 2-core machine
//!   (issue 8: ≤ 1 s);
//! - every real export of `tests/fixtures/import` that imports (goflow, glific, RapidPro,
//!   Twilio Studio): imported, simulated, linted and costed, one after the other (issue 16:
//!   ≤ 1 s each), against parsing the same JSON texts into values with serde_json;
//! - one recipient's episode of 10,000 and 50,000 events across the 2026-10-01 switch, billed
//!   under both models and spliced (`replay::episode::bill_episode`), against billing it under
//!   one model: the splice must stay linear (it once searched a bill per event).
//!
//! `cargo bench --bench scale`; BENCHMARKS.md quotes the figures.

use chrono::{DateTime, Utc};
use criterion::{criterion_group, criterion_main, Criterion};
use flowcost::billing::PricingModel;
use flowcost::cost::{cost_flow, CostOptions};
use flowcost::diagnostic::SourceFile;
use flowcost::flow::parse_flow;
use flowcost::lint::{lint_flow, Levels, Settings};
use flowcost::rates::RateBook;
use flowcost::simulate::Options;
use std::fmt::Write;

fn at() -> DateTime<Utc> {
    "2026-11-02T10:00:00Z".parse().expect("date")
}

fn parse_yaml(text: &str) -> usize {
    serde_yaml::from_str::<serde_yaml::Value>(text).map_or(0, |_| 1)
}

/// A long journey of `blocks` blocks of 10 nodes (template, wait, free-form, step, reply
/// wait, split, …); customers drop out at each reply wait and at one branch of each split,
/// so paths grow linearly (one or two per block), as in real flows.
fn big_flow(blocks: usize) -> String {
    let mut t = String::from(
        "flow: generated\nkind: journey\ntrigger: customer_message\nmarket: DE\ntemplates:\n",
    );
    for k in 0..20 {
        let category = ["marketing", "utility"][k % 2];
        let _ = writeln!(t, "  tpl_{k}: {{ category: {category}, status: approved }}");
    }
    t.push_str("nodes:\n");
    for b in 0..blocks {
        let next = if b + 1 == blocks {
            "done".to_string()
        } else {
            format!("b{}_send", b + 1)
        };
        let _ = write!(
            t,
            "  - {{ id: b{b}_send, type: send_update, template: tpl_{} }}\n\
             \x20 - {{ id: b{b}_wait, type: wait, for: 10m }}\n\
             \x20 - {{ id: b{b}_step, type: step, action: set_contact_field }}\n\
             \x20 - {{ id: b{b}_ask, type: wait_for_reply, timeout: 23h, on_timeout: dropped }}\n\
             \x20 - {{ id: b{b}_thanks, type: send_message, text: Thanks }}\n\
             \x20 - {{ id: b{b}_tag, type: step, action: add_label }}\n\
             \x20 - {{ id: b{b}_note, type: send_message, text: One more thing }}\n\
             \x20 - {{ id: b{b}_ab, type: split, branches: [{{ to: b{b}_a, weight: 97 }}, {{ to: dropped, weight: 3 }}] }}\n\
             \x20 - {{ id: b{b}_a, type: wait, for: 5m }}\n\
             \x20 - {{ id: b{b}_last, type: step, action: log, next: {next} }}\n",
            b % 20
        );
    }
    t.push_str("  - { id: dropped, type: end }\n  - { id: done, type: end }\n");
    t
}

/// `n` sequential 50/50 splits, each branch sending a template of its own category.
fn splits(n: usize) -> String {
    let mut t = String::from("flow: splits\ntrigger: business_event\nmarket: DE\nnodes:\n");
    for i in 0..n {
        let next = if i + 1 == n {
            "done".to_string()
        } else {
            format!("s{}", i + 1)
        };
        let _ = write!(
            t,
            "  - {{ id: s{i}, type: split, branches: [{{ to: m{i} }}, {{ to: u{i} }}] }}\n\
             \x20 - {{ id: m{i}, type: send_update, category: marketing, next: w{i} }}\n\
             \x20 - {{ id: u{i}, type: send_update, category: utility, next: w{i} }}\n\
             \x20 - {{ id: w{i}, type: wait, for: 1h, next: {next} }}\n"
        );
    }
    t.push_str("  - { id: done, type: end }\n");
    t
}

fn typical_flows() -> Vec<String> {
    let mut examples: Vec<String> =
        std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/flows"))
            .expect("flows/")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
            .filter_map(|p| std::fs::read_to_string(p).ok())
            .collect();
    examples.sort();
    (0..1000)
        .map(|i| {
            let text = &examples[i % examples.len()];
            text.replacen("flow: ", &format!("flow: copy-{i}-"), 1)
        })
        .collect()
}

fn lint_text(text: &str, options: &Options) -> usize {
    let flow = parse_flow(SourceFile::new("bench.yaml", text), None).expect("the flow loads");
    lint_flow(&flow, options, &Settings::default(), &Levels::default())
        .expect("the flow is explored")
        .problems
        .len()
}

fn big(c: &mut Criterion) {
    let text = big_flow(500);
    let options = Options::new(at(), PricingModel::Pmp2026_10);
    let flow = parse_flow(SourceFile::new("big.yaml", text.as_str()), None).expect("loads");
    assert_eq!(flow.nodes.len(), 5002);
    let mut group = c.benchmark_group("5000-node flow");
    group.sample_size(10);
    group.bench_function("baseline: parse YAML only", |b| {
        b.iter(|| parse_yaml(&text))
    });
    group.bench_function("lint: load, simulate, bill, run every rule", |b| {
        b.iter(|| lint_text(&text, &options))
    });
    group.finish();
}

fn split_chain(c: &mut Criterion) {
    let text = splits(64);
    let book = RateBook::builtin().expect("built-in rate cards");
    let options = Options::new(at(), PricingModel::Pmp2026_10);
    let costs = CostOptions::default();
    let mut group = c.benchmark_group("64 sequential splits");
    group.sample_size(10);
    group.bench_function("baseline: parse YAML only", |b| {
        b.iter(|| parse_yaml(&text))
    });
    group.bench_function("cost: load, simulate, price", |b| {
        b.iter(|| {
            let flow =
                parse_flow(SourceFile::new("splits.yaml", text.as_str()), None).expect("loads");
            cost_flow(&flow, &options, "DE", &book, &costs)
        })
    });
    group.finish();
}

fn parallel(c: &mut Criterion) {
    let texts = typical_flows();
    let options = Options::new(at(), PricingModel::Pmp2026_10);
    let threads = 2;
    let chunk = texts.len().div_ceil(threads);
    let mut group = c.benchmark_group("1000 flows on 2 threads");
    group.sample_size(10);
    group.bench_function("baseline: parse YAML only", |b| {
        b.iter(|| {
            std::thread::scope(|s| {
                let handles: Vec<_> = texts
                    .chunks(chunk)
                    .map(|part| s.spawn(|| part.iter().map(|t| parse_yaml(t)).sum::<usize>()))
                    .collect();
                handles
                    .into_iter()
                    .map(|h| h.join().expect("thread"))
                    .sum::<usize>()
            })
        })
    });
    group.bench_function("lint: load, simulate, bill, run every rule", |b| {
        b.iter(|| {
            std::thread::scope(|s| {
                let handles: Vec<_> = texts
                    .chunks(chunk)
                    .map(|part| {
                        let options = &options;
                        s.spawn(move || part.iter().map(|t| lint_text(t, options)).sum::<usize>())
                    })
                    .collect();
                handles
                    .into_iter()
                    .map(|h| h.join().expect("thread"))
                    .sum::<usize>()
            })
        })
    });
    group.finish();
}

/// The real exports that import with the fixtures' catalogs, with their texts.
fn real_exports() -> Vec<(std::path::PathBuf, String, flowcost::flow::Catalog)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import");
    let catalog = |name: &str| {
        flowcost::flow::load_catalog(&root.join("own").join(name)).expect("fixture catalog")
    };
    let (goflow, studio) = (
        catalog("goflow-catalog.yaml"),
        catalog("studio-catalog.yaml"),
    );
    let mut out = Vec::new();
    for dir in ["goflow", "glific", "rapidpro", "twilio-studio"] {
        let mut files: Vec<_> = std::fs::read_dir(root.join(dir))
            .expect("fixture folder")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        files.sort();
        for f in files {
            let c = if dir == "twilio-studio" {
                &studio
            } else {
                &goflow
            };
            let options = flowcost::import::ImportOptions::default();
            if flowcost::import::load_any(&f, &options, Some(c)).is_ok() {
                let text = std::fs::read_to_string(&f).expect("fixture");
                out.push((f, text, c.clone()));
            }
        }
    }
    out
}

fn real(c: &mut Criterion) {
    let exports = real_exports();
    assert!(exports.len() >= 15, "{} exports", exports.len());
    let book = RateBook::builtin().expect("built-in rate cards");
    let options = Options::new(at(), PricingModel::Pmp2026_10);
    let mut group = c.benchmark_group(format!("{} real exports", exports.len()));
    group.sample_size(10);
    group.bench_function("baseline: parse JSON only", |b| {
        b.iter(|| {
            exports
                .iter()
                .map(|(_, t, _)| serde_json::from_str::<serde_json::Value>(t).map_or(0, |_| 1))
                .sum::<usize>()
        })
    });
    group.bench_function("import, simulate, lint, cost", |b| {
        b.iter(|| {
            let mut n = 0;
            for (path, _, catalog) in &exports {
                let import = flowcost::import::ImportOptions::default();
                let flow = flowcost::import::load_any(path, &import, Some(catalog))
                    .expect("imports")
                    .flow;
                let sim = flowcost::simulate::simulate(&flow, &options).expect("simulates");
                n += sim.paths.len();
                n += lint_flow(&flow, &options, &Settings::default(), &Levels::default())
                    .expect("lints")
                    .problems
                    .len();
                let cost = flowcost::cost::price_simulation(
                    &flow,
                    &options,
                    &sim,
                    "DE",
                    &book,
                    &CostOptions::default(),
                )
                .expect("costs");
                n += cost.paths.len();
            }
            n
        })
    });
    group.finish();
}

/// A chat that never goes quiet for a day: `n` events, a few minutes apart, across
/// 2026-10-01.
fn long_episode(n: usize) -> Vec<flowcost::billing::Event> {
    use flowcost::billing::{Category, EntryPoint, Event, EventKind};
    let start: DateTime<Utc> = "2026-09-20T00:00:00Z".parse().expect("date");
    let kinds = [
        EventKind::CustomerMessage(EntryPoint::Organic),
        EventKind::FreeForm,
        EventKind::Template(Category::Utility),
        EventKind::Template(Category::Marketing),
    ];
    (0..n)
        .map(|i| Event {
            at: start + chrono::Duration::seconds((i * 20 * 86_400 / n) as i64),
            kind: kinds[i % kinds.len()],
        })
        .collect()
}

fn episode(c: &mut Criterion) {
    use flowcost::billing::{bill, Rules};
    use flowcost::replay::episode::bill_episode;
    let utc = chrono::FixedOffset::east_opt(0).expect("UTC");
    let mut group = c.benchmark_group("long episode across a switch");
    group.sample_size(10);
    for n in [10_000, 50_000] {
        let events = long_episode(n);
        group.bench_function(format!("baseline: {n} events under one model"), |b| {
            b.iter(|| bill(&events, PricingModel::Pmp2026_10, Rules::default()))
        });
        group.bench_function(format!("{n} events, two models spliced"), |b| {
            b.iter(|| bill_episode(&events, None, utc, Rules::default()))
        });
    }
    group.finish();
}

criterion_group!(benches, big, split_chain, parallel, real, episode);
criterion_main!(benches);

//! Linting 1,000 typical flows (the examples of `flows/`, renamed), against a baseline measured
//! in the same run: parsing the same 1,000 texts into YAML values, the floor of any YAML tool.
//!
//! `cargo bench --bench lint`; the README quotes the ratio.

use chrono::{DateTime, Utc};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use flowcost::billing::PricingModel;
use flowcost::diagnostic::SourceFile;
use flowcost::flow::parse_flow;
use flowcost::lint::{lint_flow, Levels, Settings};
use flowcost::simulate::Options;

const FLOWS: usize = 1000;

fn corpus() -> Vec<String> {
    let mut examples: Vec<String> =
        std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/flows"))
            .expect("flows/")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
            .filter_map(|p| std::fs::read_to_string(p).ok())
            .collect();
    examples.sort();
    (0..FLOWS)
        .map(|i| {
            let text = &examples[i % examples.len()];
            text.replacen("flow: ", &format!("flow: copy-{i}-"), 1)
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let texts = corpus();
    let at: DateTime<Utc> = "2026-11-02T10:00:00Z".parse().expect("date");
    let options = Options::new(at, PricingModel::Pmp2026_10);
    let settings = Settings::default();
    let levels = Levels::default();
    let mut group = c.benchmark_group("1000 flows");
    group.throughput(Throughput::Elements(FLOWS as u64));
    group.sample_size(20);
    group.bench_function("baseline: parse YAML only", |b| {
        b.iter(|| {
            texts
                .iter()
                .map(|t| {
                    serde_yaml::from_str::<serde_yaml::Value>(t)
                        .map(|_| 1)
                        .unwrap_or(0)
                })
                .sum::<usize>()
        })
    });
    group.bench_function("lint: load, simulate, bill, run every rule", |b| {
        b.iter(|| {
            texts
                .iter()
                .map(|t| {
                    let flow = parse_flow(SourceFile::new("bench.yaml", t.as_str()), None)
                        .expect("example flows load");
                    lint_flow(&flow, &options, &settings, &levels)
                        .expect("the flow is explored")
                        .problems
                        .len()
                })
                .sum::<usize>()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

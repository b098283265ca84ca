//! The worked examples of docs/billing.md (`billing-examples.json`), as a table test of the engine:
//! at each date the file gives, and on both sides of every rule change.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use flowcost::billing::{bill, Category, EntryPoint, Event, EventKind, PricingModel, Rules};
use flowcost::time::parse_duration;
use serde_json::Value;

/// What the file expects on one date: (date, model, billable, categories, undeliverable).
type Expectation = (NaiveDate, PricingModel, usize, Option<Vec<String>>, usize);

struct Example {
    id: String,
    events: Vec<(Duration, EventKind)>,
    expect: Vec<Expectation>,
}

fn offset(s: &str) -> Duration {
    if s.trim_start_matches('0')
        .chars()
        .all(|c| c.is_ascii_alphabetic())
    {
        return Duration::zero(); // "0h"
    }
    parse_duration(s).unwrap()
}

fn examples() -> Vec<Example> {
    let text = std::fs::read_to_string("tests/fixtures/billing-examples.json").unwrap();
    let doc: Value = serde_json::from_str(&text).unwrap();
    doc["examples"]
        .as_array()
        .unwrap()
        .iter()
        .map(|ex| {
            let events = ex["events"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| {
                    let kind = match e["kind"].as_str().unwrap() {
                        "customer_message" => {
                            EventKind::CustomerMessage(if e["entry"].as_str() == Some("ad_click") {
                                EntryPoint::AdClick
                            } else {
                                EntryPoint::Organic
                            })
                        }
                        "free_form" => EventKind::FreeForm,
                        "template" => EventKind::Template(
                            e["category"].as_str().unwrap().parse::<Category>().unwrap(),
                        ),
                        other => panic!("unknown event kind {other}"),
                    };
                    (offset(e["at"].as_str().unwrap()), kind)
                })
                .collect();
            let expect = ex["expect"]
                .as_object()
                .unwrap()
                .iter()
                .map(|(date, v)| {
                    (
                        date.parse().unwrap(),
                        v["model"].as_str().unwrap().parse().unwrap(),
                        v["billable"].as_u64().unwrap() as usize,
                        v["categories"]
                            .as_array()
                            .map(|a| a.iter().map(|c| c.as_str().unwrap().to_string()).collect()),
                        v["undeliverable"].as_u64().unwrap_or(0) as usize,
                    )
                })
                .collect();
            Example {
                id: ex["id"].as_str().unwrap().to_string(),
                events,
                expect,
            }
        })
        .collect()
}

/// t0 is 10:00 UTC on the example's date.
fn events_on(ex: &Example, date: NaiveDate) -> Vec<Event> {
    let t0: DateTime<Utc> = date.and_hms_opt(10, 0, 0).unwrap().and_utc();
    ex.events
        .iter()
        .map(|(off, kind)| Event {
            at: t0 + *off,
            kind: *kind,
        })
        .collect()
}

#[test]
fn every_worked_example_bills_as_billing_md_says() {
    let all = examples();
    assert!(all.len() >= 10, "the examples file lost entries");
    let mut checked = 0;
    for ex in &all {
        for (date, model, billable, categories, undeliverable) in &ex.expect {
            let in_force = PricingModel::in_force_on(*date).unwrap();
            assert_eq!(in_force, *model, "example {} on {date}: model", ex.id);
            let b = bill(&events_on(ex, *date), in_force, Rules::default());
            assert_eq!(b.billable(), *billable, "example {} under {model}", ex.id);
            assert_eq!(
                b.undeliverable().count(),
                *undeliverable,
                "example {} undeliverable",
                ex.id
            );
            if let Some(cats) = categories {
                let got: Vec<String> = b.categories().iter().map(|c| c.to_string()).collect();
                assert_eq!(&got, cats, "example {} categories under {model}", ex.id);
            }
            checked += 1;
        }
    }
    assert!(checked >= 30, "only {checked} expectations checked");
}

#[test]
fn every_example_holds_on_both_sides_of_each_rule_change() {
    for ex in examples() {
        for model in PricingModel::ALL {
            let Some((_, _, billable, _, undeliverable)) =
                ex.expect.iter().find(|(_, m, ..)| *m == model)
            else {
                continue;
            };
            // The first day of the model and the last day of the one before it.
            let first = model.effective();
            let b = bill(
                &events_on(&ex, first),
                PricingModel::in_force_on(first).unwrap(),
                Rules::default(),
            );
            assert_eq!(b.billable(), *billable, "example {} on {first}", ex.id);
            assert_eq!(b.undeliverable().count(), *undeliverable);
            let eve = first.pred_opt().unwrap();
            if let Ok(before) = PricingModel::in_force_on(eve) {
                assert_ne!(
                    before, model,
                    "{eve} should still be under the previous model"
                );
                if let Some((_, _, prev_billable, ..)) =
                    ex.expect.iter().find(|(_, m, ..)| *m == before)
                {
                    let b = bill(&events_on(&ex, eve), before, Rules::default());
                    assert_eq!(b.billable(), *prev_billable, "example {} on {eve}", ex.id);
                }
            }
        }
    }
}

//! Shards that add up: a log split by recipient, replayed shard by shard, and the partial
//! results merged (`merge-replays`), gives exactly the report of one replay over the whole log;
//! bad partial results are refused.

use super::common::{flowcost, output};
use chrono::{DateTime, FixedOffset};
use flowcost::billing::{PricingModel, Rules};
use flowcost::replay::partial::merge;
use flowcost::replay::{replay, ColumnMap, Options};
use flowcost::report::replay::{Period, ReplayReport};
use proptest::prelude::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

const HEADER: &str = "timestamp,recipient,direction,kind,category,entry_point,market,flow";

const RECIPIENTS: [&str; 9] = [
    "+4915112345678",
    "+4915112345679",
    "+919812345678",
    "+12125550123",
    "+447700900123",
    "+5511987654321",
    "user-42",
    "user-7",
    "+2348031234567",
];

/// Where logs start: across the switch to per-message pricing, and to `pmp-2026-10`.
const STARTS: [&str; 3] = [
    "2025-06-29T20:00:00Z",
    "2026-09-29T22:00:00Z",
    "2026-11-02T10:00:00Z",
];

/// One row: (gap since the previous row in seconds, recipient, what it is, flow, bad).
type Spec = (u32, usize, u8, u8, bool);

fn row(at: i64, (_, r, what, flow, bad): Spec) -> String {
    let recipient = RECIPIENTS[r % RECIPIENTS.len()];
    let ts = DateTime::from_timestamp(at, 0).unwrap().to_rfc3339();
    if bad {
        return format!("{ts},{recipient},sideways,,,,,");
    }
    let body = match what % 7 {
        0 => "inbound,,,,",
        1 => "inbound,,,ad_click,",
        2 => "outbound,free_form,,,",
        3 => "outbound,template,marketing,,",
        4 => "outbound,template,utility,,",
        5 => "outbound,template,authentication,,",
        _ => "outbound,template,marketing,,BR",
    };
    let flow = ["", "welcome", "promo", "orders"][flow as usize % 4];
    format!("{ts},{recipient},{body},{flow}")
}

/// A log in time order, as CSV lines without the header.
fn log_rows(start: usize, specs: &[Spec]) -> Vec<(usize, String)> {
    let mut at = DateTime::parse_from_rfc3339(STARTS[start % STARTS.len()])
        .unwrap()
        .timestamp();
    specs
        .iter()
        .map(|s| {
            at += i64::from(s.0);
            (s.1 % RECIPIENTS.len(), row(at, *s))
        })
        .collect()
}

fn write_log(path: &Path, rows: &[&str]) {
    let mut text = format!("{HEADER}\n");
    for r in rows {
        text += r;
        text.push('\n');
    }
    std::fs::write(path, text).unwrap();
}

/// FNV-1a: the shard of a recipient.
fn shard_of(recipient: &str, k: usize) -> usize {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in recipient.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3);
    }
    (h % k as u64) as usize
}

fn options(files: Vec<PathBuf>, tz: i32, pricing: Option<PricingModel>) -> Options {
    Options {
        files,
        format: None,
        map: ColumnMap::default(),
        pricing,
        account_tz: FixedOffset::east_opt(tz * 3600).unwrap(),
        rules: Rules::default(),
        strict: false,
        max_disorder_ms: 3_600_000,
        unsorted: false,
        status_horizon_ms: flowcost::replay::group::STATUS_HORIZON_MS,
    }
}

/// The JSON and the tables (by month and by day) of a report, but for what names the inputs:
/// `files`, problems' files and lines (a shard numbers its own lines), and the table's first
/// line (how many files were read); problems are compared by message, as a multiset.
fn comparable(json: String, month: String, day: String) -> (Value, String, String) {
    let doc = super::common::comparable_replay(&json);
    let rest = |t: String| t.split_once('\n').map(|x| x.1.to_string()).unwrap_or(t);
    (doc, rest(month), rest(day))
}

fn report(replay: &flowcost::replay::Replay, files: &[PathBuf]) -> (Value, String, String) {
    let at = |period| ReplayReport {
        replay,
        files,
        period,
    };
    comparable(
        at(Period::Month).json(),
        at(Period::Month).table(),
        at(Period::Day).table(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Split by recipient into k = 1…8 shards, replayed apart and merged, a random log gives
    /// exactly the one-machine report: counts by every key, messages, episodes, problems.
    #[test]
    fn shards_split_by_recipient_add_up_to_one_replay(
        specs in prop::collection::vec(
            (
                prop_oneof![0u32..120, 0u32..7_200, 0u32..200_000],
                0usize..9,
                0u8..7,
                0u8..4,
                prop::bool::weighted(0.03),
            ),
            0..60,
        ),
        start in 0usize..3,
        tz in -5i32..6,
        fixed in prop::bool::weighted(0.2),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let rows = log_rows(start, &specs);
        let whole = dir.path().join("log.csv");
        write_log(&whole, &rows.iter().map(|r| r.1.as_str()).collect::<Vec<_>>());
        let pricing = fixed.then_some(PricingModel::Pmp);
        let one = replay(&options(vec![whole.clone()], tz, pricing), &|_| {});
        let expected = report(&one, &[whole]);
        for k in 1..=8 {
            let mut parts = Vec::new();
            for s in 0..k {
                let path = dir.path().join(format!("shard-{k}-{s}.csv"));
                let mine: Vec<&str> = rows
                    .iter()
                    .filter(|(r, _)| shard_of(RECIPIENTS[*r], k) == s)
                    .map(|r| r.1.as_str())
                    .collect();
                write_log(&path, &mine);
                let part = replay(&options(vec![path.clone()], tz, pricing), &|_| {});
                let json = ReplayReport { replay: &part, files: &[path], period: Period::Month }.json();
                parts.push((format!("part-{s}.json"), json));
            }
            let merged = merge(&parts).unwrap();
            let got = report(&merged.replay, &merged.files);
            prop_assert_eq!(&got.0, &expected.0, "JSON, k = {}", k);
            prop_assert_eq!(&got.1, &expected.1, "table by month, k = {}", k);
            prop_assert_eq!(&got.2, &expected.2, "table by day, k = {}", k);
        }
    }
}

/// Runs `flowcost ARGS` in `dir`.
fn run_in(dir: &Path, args: &[&str]) -> (i32, String, String) {
    output(flowcost().current_dir(dir).args(args))
}

/// Webhook logs split by recipient: the invoice check (counts and every mismatch) adds up, and
/// the command prints the same table and JSON as one run; problems name `PART:FILE` when the
/// parts' files share a name.
#[test]
fn merge_replays_adds_up_webhooks_and_names_problems() {
    let dir = tempfile::tempdir().unwrap();
    let src = std::fs::read_to_string("tests/fixtures/replay/webhooks.ndjson").unwrap();
    std::fs::write(dir.path().join("all.ndjson"), &src).unwrap();
    let (mut a, mut b) = (String::new(), String::new());
    for line in src.lines() {
        let part = if line.contains("4915112345678") {
            &mut a
        } else {
            &mut b
        };
        part.push_str(line);
        part.push('\n');
    }
    for (sub, text) in [("a", &a), ("b", &b)] {
        std::fs::create_dir(dir.path().join(sub)).unwrap();
        std::fs::write(dir.path().join(sub).join("log.ndjson"), text).unwrap();
        let (_, json, _) = run_in(
            dir.path(),
            &["replay", &format!("{sub}/log.ndjson"), "--format", "json"],
        );
        std::fs::write(dir.path().join(format!("{sub}.json")), json).unwrap();
    }
    let (code, one, one_err) = run_in(dir.path(), &["replay", "all.ndjson", "--format", "json"]);
    let (mcode, merged, merged_err) = run_in(
        dir.path(),
        &["merge-replays", "a.json", "b.json", "--format", "json"],
    );
    assert_eq!((code, mcode), (0, 0), "{one_err}{merged_err}");
    let strip = |s: &str| comparable(s.to_string(), String::new(), String::new()).0;
    assert_eq!(strip(&merged), strip(&one));
    let doc: Value = serde_json::from_str(&merged).unwrap();
    assert_eq!(doc["reconcile"]["mismatches"].as_array().unwrap().len(), 2);
    assert_eq!(
        doc["files"],
        serde_json::json!(["a/log.ndjson", "b/log.ndjson"])
    );
    // The bad line of the fixture is in part b: named with its file and its line there.
    assert!(
        merged_err.contains("warning: b/log.ndjson:"),
        "{merged_err}"
    );
    let (_, table, _) = run_in(dir.path(), &["merge-replays", "a.json", "b.json"]);
    let (_, one_table, _) = run_in(dir.path(), &["replay", "all.ndjson"]);
    assert_eq!(
        table.split_once('\n').unwrap().1,
        one_table.split_once('\n').unwrap().1
    );
    // Parts whose files have one name (`<stdin>`) are told apart by the part.
    let piped = |text: &str| {
        output(
            flowcost()
                .current_dir(dir.path())
                .args(["replay", "-", "--format", "json"])
                .write_stdin(text.to_string()),
        )
        .1
    };
    std::fs::write(dir.path().join("p1.json"), piped(&a)).unwrap();
    std::fs::write(dir.path().join("p2.json"), piped(&b)).unwrap();
    let (code, json, stderr) = run_in(
        dir.path(),
        &["merge-replays", "p1.json", "p2.json", "--format", "json"],
    );
    assert_eq!(code, 0, "{stderr}");
    let doc: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        doc["files"],
        serde_json::json!(["p1.json:<stdin>", "p2.json:<stdin>"])
    );
    assert!(stderr.contains("warning: p2.json:<stdin>:"), "{stderr}");
    assert_eq!(strip(&json), strip(&one));
}

/// A part that did not read everything makes the merge incomplete: exit 2, `complete: false`,
/// and its error repeated with the part's file.
#[test]
fn an_incomplete_part_makes_the_merge_incomplete() {
    let dir = tempfile::tempdir().unwrap();
    let (_, good, _) = run_in(
        dir.path(),
        &[
            "replay",
            &abs("tests/fixtures/replay/small.csv"),
            "--format",
            "json",
        ],
    );
    let (code, bad, _) = run_in(dir.path(), &["replay", "missing.csv", "--format", "json"]);
    assert_eq!(code, 2);
    std::fs::write(dir.path().join("good.json"), good).unwrap();
    std::fs::write(dir.path().join("bad.json"), bad).unwrap();
    let (code, json, stderr) = run_in(
        dir.path(),
        &["merge-replays", "good.json", "bad.json", "--format", "json"],
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("error: missing.csv: cannot open"),
        "{stderr}"
    );
    let doc: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(doc["complete"], false);
    assert!(doc["rows"].as_u64().unwrap() > 0);
}

fn abs(path: &str) -> String {
    std::fs::canonicalize(path).unwrap().display().to_string()
}

/// Inputs that are not partial results, or parts that do not add up, are refused with a
/// message naming the part, exit 2 and nothing on stdout.
#[test]
fn bad_partial_results_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let log = abs("tests/fixtures/replay/small.csv");
    let part = |name: &str, extra: &[&str]| {
        let mut args = vec!["replay", log.as_str(), "--format", "json"];
        args.extend_from_slice(extra);
        let (code, json, stderr) = run_in(dir.path(), &args);
        assert_eq!(code, 0, "{stderr}");
        std::fs::write(dir.path().join(name), json).unwrap();
    };
    part("plain.json", &[]);
    part("pmp.json", &["--pricing", "pmp"]);
    part("tz.json", &["--account-tz", "+05:30"]);
    part(
        "rule.json",
        &["--free-form-joins-open-conversation", "false"],
    );
    let plain = std::fs::read_to_string(dir.path().join("plain.json")).unwrap();
    let edit = |name: &str, f: &dyn Fn(&mut Value)| {
        let mut doc: Value = serde_json::from_str(&plain).unwrap();
        f(&mut doc);
        std::fs::write(dir.path().join(name), doc.to_string()).unwrap();
    };
    edit("v2.json", &|d| d["schema_version"] = 2.into());
    edit("old.json", &|d| {
        d.as_object_mut().unwrap().remove("options");
    });
    edit("other-version.json", &|d| {
        d["flowcost_version"] = "0.0.1".into()
    });
    edit("market.json", &|d| {
        d["charges"][0]["market"] = "Germany".into()
    });
    edit("claims.json", &|d| d["complete"] = false.into());
    edit("huge.json", &|d| {
        d["charges"][0]["billable"] = (u64::MAX / 2 + 1).into()
    });
    edit("huge-too.json", &|d| {
        d["charges"][0]["billable"] = (u64::MAX / 2 + 1).into()
    });
    std::fs::write(dir.path().join("text.json"), "timestamp,recipient\n").unwrap();
    let cases: [(&[&str], &str); 12] = [
        (&["text.json"], "text.json: not JSON"),
        (&["plain.json", "v2.json"], "v2.json: schema_version 2"),
        (
            &["old.json"],
            "old.json: not a partial replay result this flowcost can read: missing field `options`",
        ),
        (
            &["plain.json", "pmp.json"],
            "pmp.json was replayed with --pricing pmp, plain.json with --pricing (none",
        ),
        (
            &["plain.json", "tz.json"],
            "tz.json was replayed with --account-tz +05:30, plain.json with --account-tz +00:00",
        ),
        (
            &["plain.json", "rule.json"],
            "--free-form-joins-open-conversation false",
        ),
        (
            &["plain.json", "other-version.json"],
            "other-version.json was replayed by flowcost 0.0.1",
        ),
        (&["market.json"], "market.json: charges: market \"Germany\""),
        (&["claims.json"], "claims.json: complete is false"),
        (&["plain.json", "nowhere.json"], "nowhere.json: cannot read"),
        (
            &["huge.json", "huge-too.json"],
            "huge-too.json: the counts add up past 2^64",
        ),
        (
            &["plain.json", "./plain.json"],
            "./plain.json is given twice",
        ),
    ];
    for (args, expected) in cases {
        let (code, stdout, stderr) = run_in(dir.path(), &[&["merge-replays"], args].concat());
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(stdout.is_empty(), "{args:?}: {stdout}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

/// Every leaf of a JSON document, as a JSON pointer.
fn leaves(v: &Value, at: String, out: &mut Vec<String>) {
    match v {
        Value::Object(map) => map
            .iter()
            .for_each(|(k, x)| leaves(x, format!("{at}/{k}"), out)),
        Value::Array(xs) => xs
            .iter()
            .enumerate()
            .for_each(|(i, x)| leaves(x, format!("{at}/{i}"), out)),
        _ => out.push(at),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// A partial result with any one value changed (to a huge or negative number, a string,
    /// null, another type) merges or is refused with a message: never a panic, and a merge
    /// that is accepted renders.
    #[test]
    fn merging_altered_parts_never_panics(pick in any::<prop::sample::Index>(), to in 0usize..8, twice in any::<bool>()) {
        let path = PathBuf::from("tests/fixtures/replay/webhooks.ndjson");
        let one = replay(&options(vec![path.clone()], 0, None), &|_| {});
        let json = ReplayReport { replay: &one, files: &[path], period: Period::Day }.json();
        let mut doc: Value = serde_json::from_str(&json).unwrap();
        let mut all = Vec::new();
        leaves(&doc, String::new(), &mut all);
        let at = pick.get(&all).clone();
        let value = [
            Value::from(u64::MAX),
            Value::from(-1),
            Value::from(1.5),
            Value::from("2026-13-45"),
            Value::from("+99:99"),
            Value::Null,
            serde_json::json!({}),
            Value::from(u64::MAX / 2 + 1),
        ][to].clone();
        *doc.pointer_mut(&at).unwrap() = value;
        let mut parts = vec![("a.json".to_string(), doc.to_string())];
        if twice {
            parts.push(("b.json".to_string(), doc.to_string()));
        }
        if let Ok(merged) = merge(&parts) {
            for period in [Period::Day, Period::Month] {
                let report = ReplayReport { replay: &merged.replay, files: &merged.files, period };
                let _ = (report.json(), report.table(), report.diagnostics(), report.mismatches_csv());
            }
        }
    }
}

/// A partial result is read with a bound: a device that never ends is refused, not held.
#[test]
fn an_endless_part_is_refused() {
    let (code, stdout, stderr) = output(flowcost().args(["merge-replays", "/dev/zero"]));
    assert_eq!(code, 2, "{stderr}");
    assert!(stdout.is_empty());
    assert!(stderr.contains("more than 512 MiB"), "{stderr}");
}

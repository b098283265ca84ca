//! `flowcost replay` and `gen-log`: hand-checked logs for every billing rule, the invoice check,
//! bad input, and the property that replaying a simulated path bills exactly what the
//! simulator billed.

use super::common::{flowcost, output};
use chrono::{DateTime, Duration, FixedOffset, NaiveDate, Utc};
use flowcost::billing::{Category, PricingModel, Rules};
use flowcost::flow::load_flow;
use flowcost::replay::group::Unsorted;
use flowcost::replay::row::RowProblem;
use flowcost::replay::tally::{Counts, Key};
use flowcost::replay::{replay, ColumnMap, Options, Replay};
use flowcost::simulate::{simulate, Options as SimOptions};
use proptest::prelude::*;
use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};

const DIR: &str = "tests/fixtures/replay";

/// Runs `replay` and returns (exit code, stdout, stderr).
fn run(args: &[&str]) -> (i32, String, String) {
    output(flowcost().arg("replay").args(args))
}

/// Writes a synthetic log with `gen-log` (gzipped when the path ends in `.gz`).
fn gen_log(path: &Path, rows: u64, recipients: u64, seed: u64) {
    flowcost()
        .arg("gen-log")
        .args(["--rows", &rows.to_string()])
        .args(["--recipients", &recipients.to_string()])
        .args(["--seed", &seed.to_string()])
        .arg("-o")
        .arg(path)
        .assert()
        .success();
}

fn fixture(name: &str) -> String {
    format!("{DIR}/{name}")
}

/// Replay options with the defaults of the command line, for `files`.
pub(super) fn options(files: Vec<PathBuf>) -> Options {
    Options {
        files,
        format: None,
        map: ColumnMap::default(),
        pricing: None,
        account_tz: FixedOffset::east_opt(0).unwrap(),
        rules: Rules::default(),
        strict: false,
        max_disorder_ms: 3_600_000,
        unsorted: false,
        status_horizon_ms: flowcost::replay::group::STATUS_HORIZON_MS,
    }
}

fn replay_quiet(o: &Options) -> Replay {
    replay(o, &|_| {})
}

/// (billable, free) over every charge.
fn totals(r: &Replay) -> (u64, u64) {
    r.grouper
        .tally
        .charges
        .values()
        .fold((0, 0), |(b, f), c| (b + c.billable, f + c.free))
}

fn offset(s: &str) -> Duration {
    let mut total = Duration::zero();
    let mut n = 0i64;
    for ch in s.chars() {
        if let Some(d) = ch.to_digit(10) {
            n = n * 10 + i64::from(d);
        } else {
            total += match ch {
                'h' => Duration::hours(n),
                'm' => Duration::minutes(n),
                _ => panic!("unit {ch}"),
            };
            n = 0;
        }
    }
    total
}

/// The worked examples of docs/billing.md, each written as a one-recipient CSV log and
/// replayed: every billing rule, worked by hand there, through the reader and the grouper.
#[test]
fn billing_examples_replayed_from_logs() {
    let text = std::fs::read_to_string("tests/fixtures/billing-examples.json").unwrap();
    let doc: Value = serde_json::from_str(&text).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut checked = 0;
    for ex in doc["examples"].as_array().unwrap() {
        let id = ex["id"].as_str().unwrap();
        for (date, expect) in ex["expect"].as_object().unwrap() {
            let day: NaiveDate = date.parse().unwrap();
            let t0 = day.and_hms_opt(10, 0, 0).unwrap().and_utc();
            let mut csv = String::from("timestamp,recipient,direction,kind,category,entry_point\n");
            for e in ex["events"].as_array().unwrap() {
                let at = (t0 + offset(e["at"].as_str().unwrap())).to_rfc3339();
                let row = match e["kind"].as_str().unwrap() {
                    "customer_message" => {
                        format!("inbound,,,{}", e["entry"].as_str().unwrap_or(""))
                    }
                    "free_form" => "outbound,free_form,,".into(),
                    _ => format!("outbound,template,{},", e["category"].as_str().unwrap()),
                };
                csv.push_str(&format!("{at},+4915112345678,{row}\n"));
            }
            let path = dir.path().join(format!("{id}-{date}.csv"));
            std::fs::write(&path, csv).unwrap();
            let r = replay_quiet(&options(vec![path]));
            let (billable, _) = totals(&r);
            assert_eq!(
                billable,
                expect["billable"].as_u64().unwrap(),
                "example {id} on {date}"
            );
            assert_eq!(
                r.grouper.tally.undeliverable,
                expect["undeliverable"].as_u64().unwrap_or(0),
                "example {id} on {date}: undeliverable"
            );
            let model: PricingModel = expect["model"].as_str().unwrap().parse().unwrap();
            assert!(
                r.grouper.tally.charges.keys().all(|k| k.model == model),
                "example {id} on {date}: model"
            );
            checked += 1;
        }
    }
    assert!(checked >= 30, "{checked}");
}

#[test]
fn small_log_table() {
    let (code, stdout, stderr) = run(&[&fixture("small.csv"), "--by", "month"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stderr, "");
    insta::assert_snapshot!("small_table", stdout);
}

#[test]
fn small_log_json_counts() {
    let (code, stdout, _) = run(&[&fixture("small.csv"), "--format", "json"]);
    assert_eq!(code, 0);
    let doc: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(doc["rows"], 12);
    // DE opt-in: service + marketing charged (pmp-2026-10); IN: three utility charged; US ad
    // click: reply and 48h template free, 80h template charged; BR: marketing charged, the
    // free-form refused (no customer message).
    let sum = |field: &str, pred: &dyn Fn(&Value) -> bool| -> u64 {
        doc["charges"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| pred(c))
            .map(|c| c[field].as_u64().unwrap())
            .sum()
    };
    assert_eq!(sum("billable", &|c| c["market"] == "DE"), 2);
    assert_eq!(sum("billable", &|c| c["market"] == "IN"), 3);
    assert_eq!(sum("billable", &|c| c["market"] == "US"), 1);
    assert_eq!(sum("free", &|c| c["market"] == "US"), 2);
    assert_eq!(sum("billable", &|c| c["market"] == "BR"), 1);
    assert_eq!(doc["undeliverable"], 1);
    assert_eq!(doc["mode"], "stream");
}

#[test]
fn webhooks_are_reconciled_and_mismatches_listed() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("mismatches.csv");
    let (code, stdout, stderr) = run(&[
        &fixture("webhooks.ndjson"),
        "--mismatches",
        csv.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("webhooks.ndjson:11: not JSON"), "{stderr}");
    insta::assert_snapshot!("webhooks_table", stdout);
    let written = std::fs::read_to_string(&csv).unwrap();
    insta::assert_snapshot!("webhooks_mismatches_csv", written);
}

#[test]
fn bad_rows_are_located_counted_and_skipped() {
    let (code, stdout, stderr) = run(&[&fixture("bad-rows.csv")]);
    assert_eq!(code, 0, "{stderr}");
    insta::assert_snapshot!("bad_rows_stderr", stderr);
    assert!(stdout.contains("3 rows (9 skipped)"), "{stdout}");
}

#[test]
fn strict_stops_at_the_first_bad_row() {
    let (code, stdout, stderr) = run(&[&fixture("bad-rows.csv"), "--strict"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("bad-rows.csv:4: has 4 fields"), "{stderr}");
    assert!(stdout.contains("--strict"), "{stdout}");
}

#[test]
fn empty_and_missing_files() {
    let (code, stdout, stderr) = run(&[&fixture("empty.csv")]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("0 rows"), "{stdout}");
    assert!(stdout.contains("no conversation opened"), "{stdout}");
    let (code, _, stderr) = run(&[&fixture("empty.csv"), &fixture("nope.csv")]);
    assert_eq!(code, 2);
    assert!(stderr.contains("nope.csv: cannot open"), "{stderr}");
}

#[test]
fn a_header_without_required_columns_is_unusable() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.csv");
    std::fs::write(&path, "when,who\n2026-11-02,+4915112345678\n").unwrap();
    let (code, _, stderr) = run(&[path.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("no timestamp, recipient, direction column"),
        "{stderr}"
    );
}

#[test]
fn overlapping_files_are_merged_and_agree_with_sorted() {
    let (code, sorted, _) = run(&[
        &fixture("early.csv"),
        &fixture("late.csv"),
        "--format",
        "json",
    ]);
    assert_eq!(code, 0);
    // Given the other way round, the later file starts before the earlier one ends.
    let (code, reversed, stderr) = run(&[
        &fixture("late.csv"),
        &fixture("early.csv"),
        "--format",
        "json",
    ]);
    assert_eq!(code, 0);
    assert!(stderr.contains("merged by timestamp"), "{stderr}");
    assert!(!stderr.contains("not in time order"), "{stderr}");
    let s: Value = serde_json::from_str(&sorted).unwrap();
    let r: Value = serde_json::from_str(&reversed).unwrap();
    assert_eq!(s["charges"], r["charges"]);
    assert_eq!(s["mode"], "stream");
    assert_eq!(s["merged_files"], false);
    assert_eq!(r["mode"], "stream");
    assert_eq!(r["merged_files"], true);
    // Two marketing templates 23 h apart and a free-form in the window: 3 charged messages.
    let billable: u64 = s["charges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["billable"].as_u64().unwrap())
        .sum();
    assert_eq!(billable, 3);
    let (code, table, _) = run(&[&fixture("late.csv"), &fixture("early.csv")]);
    assert_eq!(code, 0);
    assert!(
        table.contains("streamed in time order, files merged by timestamp"),
        "{table}"
    );
}

/// Charges keyed by flow name: merged files number flows in the order they are parsed.
fn charges_by_flow_name(r: &Replay) -> Vec<(String, Key, Counts)> {
    let mut out: Vec<_> = r
        .grouper
        .tally
        .charges
        .iter()
        .map(|(k, c)| {
            let name = r.grouper.flows[k.flow as usize].clone();
            (name, Key { flow: 0, ..*k }, *c)
        })
        .collect();
    out.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
    out
}

/// A log split by recipient into three files (one gzipped), each in time order: merged, they
/// bill exactly what the whole log bills, and the bad rows are listed by file and line.
#[test]
fn a_log_split_by_recipient_streams_merged() {
    let dir = tempfile::tempdir().unwrap();
    let whole = dir.path().join("whole.csv");
    gen_log(&whole, 20_000, 1500, 7);
    let text = std::fs::read_to_string(&whole).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    let mut parts = vec![vec![header.to_string()]; 3];
    for line in lines {
        let recipient = line.split(',').nth(1).unwrap();
        let digit = recipient.bytes().last().unwrap() - b'0';
        parts[usize::from(digit % 3)].push(line.to_string());
    }
    // A bad row near the end of the first file, one early in the second.
    parts[0].push("not,a,row".into());
    parts[1].insert(
        2,
        "2026-10-01T00:00:00Z,+4915100000001,sideways,,,,,".into(),
    );
    let files: Vec<PathBuf> = ["a.csv", "b.csv", "c.csv.gz"]
        .iter()
        .map(|n| dir.path().join(n))
        .collect();
    for (path, lines) in files.iter().zip(&parts) {
        let body = lines.join("\n") + "\n";
        if path.extension().is_some_and(|e| e == "gz") {
            let mut enc = flate2::write::GzEncoder::new(
                std::fs::File::create(path).unwrap(),
                flate2::Compression::fast(),
            );
            enc.write_all(body.as_bytes()).unwrap();
            enc.finish().unwrap();
        } else {
            std::fs::write(path, body).unwrap();
        }
    }
    let one = replay_quiet(&options(vec![whole]));
    let merged = replay_quiet(&options(files.clone()));
    assert!(merged.merged);
    assert_eq!(merged.mode, flowcost::replay::Mode::Stream);
    assert_eq!(merged.fell_back, None);
    assert_eq!(merged.grouper.rows, 20_000);
    assert_eq!(charges_by_flow_name(&merged), charges_by_flow_name(&one));
    assert_eq!(totals(&merged), totals(&one));
    assert_eq!(merged.grouper.tally.episodes, one.grouper.tally.episodes);
    let listed: Vec<(u32, u64)> = merged
        .problems
        .first
        .iter()
        .map(|p| (p.file, p.line))
        .collect();
    assert_eq!(listed, vec![(0, parts[0].len() as u64), (1, 3)]);
    assert_eq!(merged.problems.skipped, 2);
    // Holding every recipient agrees.
    let held = replay_quiet(&Options {
        unsorted: true,
        ..options(files)
    });
    assert!(!held.merged);
    assert_eq!(charges_by_flow_name(&held), charges_by_flow_name(&one));
}

/// Inbound and outbound rows in two files interleave every recipient's timeline across the
/// files: merged (streaming) and held (`--unsorted`), they bill exactly what the whole log
/// bills.
#[test]
fn a_log_split_by_direction_bills_like_the_whole_log() {
    let dir = tempfile::tempdir().unwrap();
    let whole = dir.path().join("whole.csv");
    gen_log(&whole, 20_000, 800, 11);
    let text = std::fs::read_to_string(&whole).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    let (mut inbound, mut outbound) = (vec![header], vec![header]);
    for line in lines {
        if line.split(',').nth(2) == Some("inbound") {
            inbound.push(line);
        } else {
            outbound.push(line);
        }
    }
    let files = vec![dir.path().join("in.csv"), dir.path().join("out.csv")];
    std::fs::write(&files[0], inbound.join("\n") + "\n").unwrap();
    std::fs::write(&files[1], outbound.join("\n") + "\n").unwrap();
    let one = replay_quiet(&options(vec![whole]));
    assert!(totals(&one).1 > 0, "the log has free messages");
    let merged = replay_quiet(&options(files.clone()));
    assert!(merged.merged);
    assert_eq!(merged.fell_back, None);
    let held = replay_quiet(&Options {
        unsorted: true,
        ..options(files)
    });
    for (how, r) in [("merged", &merged), ("held", &held)] {
        let same = charges_by_flow_name(r) == charges_by_flow_name(&one);
        assert!(same, "{how}: the charges differ from the whole log's");
        assert_eq!(
            r.grouper.tally.episodes, one.grouper.tally.episodes,
            "{how}"
        );
        assert_eq!(
            r.grouper.tally.undeliverable, one.grouper.tally.undeliverable,
            "{how}"
        );
    }
}

/// Rows of two files at the same instant: which came first is not in the files, so the
/// earlier file's row goes first. A free-form message and the customer message at the same
/// second are billed as the order of the files says.
#[test]
fn same_instant_rows_across_merged_files_go_in_file_order() {
    let dir = tempfile::tempdir().unwrap();
    let header = "timestamp,recipient,direction,kind,category,entry_point,market,flow";
    let inbound = dir.path().join("in.csv");
    let outbound = dir.path().join("out.csv");
    std::fs::write(
        &inbound,
        format!(
            "{header}\n2026-11-02T10:00:00Z,+4915112345678,inbound,,,,,\n\
             2026-11-02T14:00:00Z,+4915112345678,inbound,,,,,\n"
        ),
    )
    .unwrap();
    std::fs::write(
        &outbound,
        format!(
            "{header}\n2026-11-02T10:00:00Z,+4915112345678,outbound,free_form,,,,\n\
             2026-11-02T13:00:00Z,+4915112345678,outbound,free_form,,,,\n"
        ),
    )
    .unwrap();
    let customer_first = replay_quiet(&options(vec![inbound.clone(), outbound.clone()]));
    let business_first = replay_quiet(&options(vec![outbound, inbound]));
    assert!(customer_first.merged && business_first.merged);
    assert_eq!(customer_first.grouper.tally.undeliverable, 0);
    assert_eq!(business_first.grouper.tally.undeliverable, 1);
}

/// Status webhooks split over two files are merged with their pricing blocks: the invoice
/// check finds what it finds in the one file.
#[test]
fn merged_webhooks_reconcile_like_one_file() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(fixture("webhooks.ndjson")).unwrap();
    let (mut a, mut b) = (String::new(), String::new());
    for (i, line) in text.lines().enumerate() {
        let to = if i % 2 == 0 { &mut a } else { &mut b };
        to.push_str(line);
        to.push('\n');
    }
    let (pa, pb) = (dir.path().join("a.ndjson"), dir.path().join("b.ndjson"));
    std::fs::write(&pa, a).unwrap();
    std::fs::write(&pb, b).unwrap();
    let (_, whole, _) = run(&[&fixture("webhooks.ndjson"), "--format", "json"]);
    let (code, split, stderr) = run(&[
        pa.to_str().unwrap(),
        pb.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let (w, s): (Value, Value) = (
        serde_json::from_str(&whole).unwrap(),
        serde_json::from_str(&split).unwrap(),
    );
    assert_eq!(s["merged_files"], true);
    assert_eq!(s["charges"], w["charges"]);
    let ids = |v: &Value| {
        let mut ids: Vec<String> = v["reconcile"]["mismatches"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["message_id"].as_str().unwrap().to_string())
            .collect();
        ids.sort();
        ids
    };
    assert!(!ids(&w).is_empty());
    assert_eq!(ids(&s), ids(&w));
    for field in [
        "statuses",
        "checked",
        "agreed",
        "mismatched",
        "failed",
        "undelivered",
    ] {
        assert_eq!(s["reconcile"][field], w["reconcile"][field], "{field}");
    }
}

/// A gzipped file's end cannot be read ahead: its overlap with the next file shows while
/// streaming, and the replay starts over, merging.
#[test]
fn an_overlap_found_while_streaming_is_merged() {
    let dir = tempfile::tempdir().unwrap();
    let header = "timestamp,recipient,direction,kind,category,entry_point,market,flow";
    let gz = dir.path().join("first.csv.gz");
    let mut enc = flate2::write::GzEncoder::new(
        std::fs::File::create(&gz).unwrap(),
        flate2::Compression::fast(),
    );
    write!(
        enc,
        "{header}\n2026-11-02T00:00:00Z,+4915112345678,inbound,,,,,\n\
         2026-11-02T09:00:00Z,+4915112345678,outbound,template,marketing,,,\n"
    )
    .unwrap();
    enc.finish().unwrap();
    let plain = dir.path().join("second.csv");
    std::fs::write(
        &plain,
        format!("{header}\n2026-11-02T05:00:00Z,+4915112345678,outbound,free_form,,,,\n"),
    )
    .unwrap();
    let files = vec![gz, plain];
    let merged = replay_quiet(&options(files.clone()));
    assert!(merged.merged);
    assert_eq!(merged.mode, flowcost::replay::Mode::Stream);
    assert_eq!(merged.fell_back, None);
    assert_eq!(merged.grouper.rows, 3);
    // The free-form message at 05:00 is inside the window the 00:00 message opened.
    assert_eq!(merged.grouper.tally.undeliverable, 0);
    let held = replay_quiet(&Options {
        unsorted: true,
        ..options(files)
    });
    assert_eq!(charges_by_flow_name(&merged), charges_by_flow_name(&held));
}

/// Runs `replay` on two fixtures given as pipes (bash process substitution).
#[cfg(unix)]
fn replay_piped(first: &str, second: &str, extra: &str) -> (Option<i32>, Value, String) {
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!(
            "'{}' replay <(cat '{}') <(cat '{}') --format json --no-progress {extra}",
            env!("CARGO_BIN_EXE_flowcost"),
            fixture(first),
            fixture(second)
        ))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let doc = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (out.status.code(), doc, stderr)
}

/// Logs given as pipes (`<(zcat …)`) can be read only once: nothing reads them ahead, and
/// input that would need a second pass says it stopped instead of counting an empty pipe.
#[cfg(unix)]
#[test]
fn piped_logs_are_read_once() {
    let (code, doc, stderr) = replay_piped("early.csv", "late.csv", "");
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(doc["rows"], 4);
    assert_eq!(doc["merged_files"], false);
    assert_eq!(doc["complete"], true);
    // Out of order, they would have to be read again: the run says it stopped, and why.
    let (code, doc, stderr) = replay_piped("late.csv", "early.csv", "");
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("cannot be read a second time"), "{stderr}");
    assert!(stderr.contains("--unsorted"), "{stderr}");
    assert_eq!(doc["complete"], false);
    // With --unsorted they are read once, and held.
    let (code, doc, stderr) = replay_piped("late.csv", "early.csv", "--unsorted");
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(doc["rows"], 4);
    assert_eq!(doc["complete"], true);
}

/// A named pipe with a `.csv` name is read as a stream, from its first byte (the piece-wise
/// reader for plain CSV needs a regular file it can seek in).
#[cfg(unix)]
#[test]
fn a_named_pipe_is_read_as_a_stream() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("log.csv");
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!(
            "mkfifo '{f}' && (timeout 60 cp '{src}' '{f}' &) && timeout 60 '{bin}' replay '{f}' \
             --format json --no-progress",
            f = fifo.display(),
            src = fixture("small.csv"),
            bin = env!("CARGO_BIN_EXE_flowcost"),
        ))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let piped: Value = serde_json::from_slice(&out.stdout).unwrap();
    let (_, plain, _) = run(&[&fixture("small.csv"), "--format", "json"]);
    let plain: Value = serde_json::from_str(&plain).unwrap();
    assert!(plain["rows"].as_u64().unwrap() > 0);
    assert_eq!(piped["rows"], plain["rows"]);
    assert_eq!(piped["charges"], plain["charges"]);
}

/// A file out of order by itself cannot be merged: every recipient is held, and the row named
/// is the one out of order within its file.
#[test]
fn a_file_out_of_order_by_itself_is_held() {
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("first.csv");
    let second = dir.path().join("second.csv");
    let header = "timestamp,recipient,direction,kind,category,entry_point,market,flow";
    std::fs::write(
        &first,
        format!(
            "{header}\n2026-11-01T10:00:00Z,+4915112345678,outbound,template,marketing,,,\n\
             2026-11-05T10:00:00Z,+4915112345678,outbound,template,marketing,,,\n"
        ),
    )
    .unwrap();
    std::fs::write(
        &second,
        format!(
            "{header}\n2026-11-03T10:00:00Z,+4915199999999,inbound,,,,,\n\
             2026-11-03T10:01:00Z,+4915199999999,outbound,free_form,,,,\n\
             2026-11-01T09:00:00Z,+4915199999999,outbound,template,utility,,,\n"
        ),
    )
    .unwrap();
    let r = replay_quiet(&options(vec![first.clone(), second.clone()]));
    assert_eq!(r.mode, flowcost::replay::Mode::Hold);
    assert!(!r.merged);
    let u = r.fell_back.clone().unwrap();
    assert_eq!((u.file, u.line), (1, 4), "{u:?}");
    assert_eq!(r.grouper.rows, 5);
    // Two marketing templates, a free-form in the window, a utility template outside it.
    assert_eq!(totals(&r).0, 4);
    let (code, _, stderr) = run(&[first.to_str().unwrap(), second.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(
        stderr.contains(&format!("{}:4 is", second.display())),
        "{stderr}"
    );
    assert!(stderr.contains("not in time order"), "{stderr}");
    assert!(!stderr.contains("merged by timestamp"), "{stderr}");
}

#[test]
fn gzip_and_column_map() {
    let dir = tempfile::tempdir().unwrap();
    let gz = dir.path().join("small.csv.gz");
    let mut enc = flate2::write::GzEncoder::new(
        std::fs::File::create(&gz).unwrap(),
        flate2::Compression::default(),
    );
    enc.write_all(&std::fs::read(fixture("small.csv")).unwrap())
        .unwrap();
    enc.finish().unwrap();
    let (_, plain, _) = run(&[&fixture("small.csv"), "--format", "json"]);
    let (code, zipped, stderr) = run(&[gz.to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 0, "{stderr}");
    let p: Value = serde_json::from_str(&plain).unwrap();
    let z: Value = serde_json::from_str(&zipped).unwrap();
    assert_eq!(p["charges"], z["charges"]);

    let (code, stdout, stderr) = run(&[
        &fixture("mapped.csv"),
        "--map",
        "timestamp=when",
        "--map",
        "recipient=customer",
        "--map",
        "kind=type",
        "--map",
        "category=cat",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let doc: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(doc["rows"], 3);
    assert_eq!(doc["skipped_rows"], 0);
    assert_eq!(doc["charges"][0]["market"], "DE");
}

#[test]
fn gen_log_is_deterministic_and_replays_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.csv");
    let b = dir.path().join("b.csv.gz");
    for path in [&a, &b] {
        gen_log(path, 3000, 300, 9);
    }
    let (code, plain, stderr) = run(&[a.to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 0, "{stderr}");
    let (_, zipped, _) = run(&[b.to_str().unwrap(), "--format", "json"]);
    let p: Value = serde_json::from_str(&plain).unwrap();
    let z: Value = serde_json::from_str(&zipped).unwrap();
    assert_eq!(p["rows"], 3000);
    assert_eq!(p["skipped_rows"], 0);
    assert_eq!(p["charges"], z["charges"]);
    // Streaming and holding every recipient agree.
    let (_, held, _) = run(&[a.to_str().unwrap(), "--format", "json", "--unsorted"]);
    let h: Value = serde_json::from_str(&held).unwrap();
    assert_eq!(p["charges"], h["charges"]);
}

fn flows() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir("flows")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    v.sort();
    v
}

fn write_path_log(path: &Path, events: &[flowcost::billing::Event]) {
    let mut csv = String::from("timestamp,recipient,direction,kind,category,entry_point\n");
    for e in events {
        let row = match e.kind {
            flowcost::billing::EventKind::CustomerMessage(ep) => format!(
                "inbound,,,{}",
                if ep == flowcost::billing::EntryPoint::AdClick {
                    "ad_click"
                } else {
                    ""
                }
            ),
            flowcost::billing::EventKind::FreeForm => "outbound,free_form,,".into(),
            flowcost::billing::EventKind::Template(c) => format!("outbound,template,{c},"),
        };
        let at = e.at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        csv.push_str(&format!("{at},+4915112345678,{row}\n"));
    }
    std::fs::write(path, csv).unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Replaying the timeline of every simulated path of every example flow bills exactly what
    /// the simulator billed for that path: the same charges by category, billable and free, and
    /// the same refused messages.
    #[test]
    fn replaying_a_simulated_path_gives_the_simulators_bill(
        day in 0i64..1_400,
        minute in 0i64..1_440,
        reply_after in 1i64..2_000,
        joins in any::<bool>(),
    ) {
        let start: DateTime<Utc> = "2023-06-01T00:00:00Z".parse::<DateTime<Utc>>().unwrap()
            + Duration::days(day) + Duration::minutes(minute);
        let model = PricingModel::in_force_at(start, FixedOffset::east_opt(0).unwrap()).unwrap();
        let dir = tempfile::tempdir().unwrap();
        for flow_path in flows() {
            let flow = load_flow(&flow_path, None).unwrap();
            let mut o = SimOptions::new(start, model);
            o.customer.reply_after = Duration::minutes(reply_after);
            o.rules = Rules { free_form_joins_open_conversation: joins };
            o.listing = flowcost::simulate::Listing::All;
            let sim = simulate(&flow, &o).unwrap();
            for (i, path) in sim.paths.iter().enumerate() {
                let log = dir.path().join(format!("p{i}.csv"));
                write_path_log(&log, &path.events);
                let mut ro = options(vec![log]);
                ro.pricing = Some(model);
                ro.rules = o.rules;
                let r = replay_quiet(&ro);
                prop_assert_eq!(r.problems.skipped, 0);
                for cat in Category::ALL {
                    let expected_b = path.bill.charges.iter().filter(|c| c.category == cat && c.billable).count() as u64;
                    let expected_f = path.bill.charges.iter().filter(|c| c.category == cat && !c.billable).count() as u64;
                    let (b, f) = r.grouper.tally.charges.iter()
                        .filter(|(k, _)| k.category == cat)
                        .fold((0, 0), |(b, f), (_, c)| (b + c.billable, f + c.free));
                    prop_assert_eq!((b, f), (expected_b, expected_f),
                        "{} path {} {} at {}", flow_path.display(), i, cat, start);
                }
                prop_assert_eq!(r.grouper.tally.undeliverable, path.bill.undeliverable().count() as u64);
            }
        }
    }
}

/// Everything a replay counted, to compare the ways of reading.
#[derive(Debug, PartialEq)]
struct Counted {
    charges: Vec<(Key, Counts)>,
    flows: Vec<String>,
    rows: u64,
    /// Episodes, customer messages, business messages, undeliverable.
    messages: (u64, u64, u64, u64),
    skipped: u64,
    first: Vec<RowProblem>,
    fell_back: Option<Unsorted>,
    bytes: u64,
}

impl Counted {
    fn of(r: &Replay) -> Counted {
        let t = &r.grouper.tally;
        let mut charges: Vec<_> = t.charges.iter().map(|(k, c)| (*k, *c)).collect();
        charges.sort_by_key(|(k, _)| *k);
        Counted {
            charges,
            flows: r.grouper.flows.clone(),
            rows: r.grouper.rows,
            messages: (
                t.episodes,
                t.customer_messages,
                t.business_messages,
                t.undeliverable,
            ),
            skipped: r.problems.skipped,
            first: r.problems.first.clone(),
            fell_back: r.fell_back.clone(),
            bytes: r.bytes,
        }
    }
}

/// The chunked fast path (threads read pieces of the file, then bill their own recipients) and
/// the general pipeline (one reader, billing threads) count exactly the same, flow ids, skipped
/// rows and listed problems included.
#[test]
fn chunked_and_pipeline_paths_count_the_same() {
    use flowcost::replay::{replay_using, Strategy};
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("gen.csv");
    gen_log(&log, 20_000, 1500, 5);
    // Bad rows, a flow first named late, and a recipient id too long to be kept inline.
    let mut f = std::fs::OpenOptions::new().append(true).open(&log).unwrap();
    writeln!(f, "not,a,row").unwrap();
    writeln!(f, "2026-10-30T00:00:00Z,+4915100000001,sideways,,,,,").unwrap();
    writeln!(
        f,
        "2026-10-30T00:00:01Z,+4915100000001,outbound,template,marketing,,,late-flow"
    )
    .unwrap();
    writeln!(
        f,
        "2026-10-30T00:00:02Z,customer-with-a-very-long-identifier-0001,inbound,,,,,"
    )
    .unwrap();
    writeln!(
        f,
        "2026-10-30T00:00:03Z,customer-with-a-very-long-identifier-0001,outbound,,,,,late-flow"
    )
    .unwrap();
    drop(f);
    let o = options(vec![log]);
    let summary = Counted::of;
    let general = summary(&replay_using(&o, Strategy::Pipeline, &|_| {}));
    assert_eq!(general.rows, 20_003);
    assert_eq!(general.skipped, 2);
    assert!(general.flows.iter().any(|f| f == "late-flow"));
    for (threads, piece_bytes) in [(1, 1 << 20), (2, 1 << 20), (3, 4096), (2, 997)] {
        let chunked = Strategy::Chunked {
            threads,
            piece_bytes,
        };
        let fast = summary(&replay_using(&o, chunked, &|_| {}));
        assert_eq!(fast, general, "{threads} threads, {piece_bytes} bytes");
    }
    let held = Options {
        unsorted: true,
        ..o.clone()
    };
    let chunked = Strategy::Chunked {
        threads: 2,
        piece_bytes: 4096,
    };
    let fast = summary(&replay_using(&held, chunked, &|_| {}));
    let general_held = summary(&replay_using(&held, Strategy::Pipeline, &|_| {}));
    assert_eq!(fast, general_held);
    assert_eq!(fast.charges, general.charges);
}

/// A log split into many small files (of uneven sizes, with bad rows, a flow first named in a
/// late file, an empty file, a header-only file and a file that cannot be read among them):
/// rounds of the chunked path take pieces of several files, and count, number lines and list
/// problems as the pipeline does, whatever the threads and piece sizes.
#[test]
fn many_small_files_count_as_the_pipeline_counts_them() {
    use flowcost::replay::{replay_using, Strategy};
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("gen.csv");
    gen_log(&log, 6_000, 400, 12);
    let text = std::fs::read_to_string(&log).unwrap();
    let (header, rows) = text.split_once('\n').unwrap();
    let rows: Vec<&str> = rows.lines().collect();
    let mut files = Vec::new();
    let (mut at, mut n) = (0, 0usize);
    while at < rows.len() {
        let take = [1, 7, 40, 300, 2, 900, 13][n % 7].min(rows.len() - at);
        let path = dir.path().join(format!("part-{n:03}.csv"));
        let mut body = format!("{header}\n");
        for (k, row) in rows[at..at + take].iter().enumerate() {
            if n % 5 == 3 && k == take / 2 {
                body.push_str("2026-10-30T00:00:00Z,+4915100000001,sideways,,,,,\n");
            }
            body.push_str(row);
            body.push('\n');
        }
        if n == 20 {
            body.push_str(
                "2026-10-30T00:00:01Z,+4915100000001,outbound,template,marketing,,,late\n",
            );
        }
        std::fs::write(&path, body).unwrap();
        files.push(path);
        (at, n) = (at + take, n + 1);
    }
    let empty = dir.path().join("empty.csv");
    std::fs::write(&empty, "").unwrap();
    let header_only = dir.path().join("header-only.csv");
    std::fs::write(&header_only, format!("{header}\n")).unwrap();
    files.insert(3, empty);
    files.insert(9, header_only);
    files.insert(14, dir.path().join("missing.csv"));
    let o = Options {
        // Rows of the late flow's file and the bad rows come after later rows of other files.
        max_disorder_ms: 40 * 86_400_000,
        ..options(files)
    };
    let unusable = |r: &Replay| -> Vec<(u32, u64)> {
        r.problems
            .unusable
            .iter()
            .map(|p| (p.file, p.line))
            .collect()
    };
    let general = replay_using(&o, Strategy::Pipeline, &|_| {});
    let summary = Counted::of(&general);
    assert!(summary.skipped > 5, "{}", summary.skipped);
    assert!(summary.flows.iter().any(|f| f == "late"));
    assert_eq!(unusable(&general), vec![(14, 0)]);
    for (threads, piece_bytes) in [(1, 1 << 20), (2, 1 << 20), (2, 3000), (3, 517)] {
        let chunked = Strategy::Chunked {
            threads,
            piece_bytes,
        };
        let fast = replay_using(&o, chunked, &|_| {});
        assert_eq!(
            Counted::of(&fast),
            summary,
            "{threads} threads, {piece_bytes} bytes"
        );
        assert_eq!(unusable(&fast), unusable(&general));
    }
}

/// Hundreds of one-row files under a limit of 128 open descriptors: a round holds a bounded
/// number of files open (a handle per thread each), so every file is read (rounds of many
/// small files once opened a handle per thread for every file of the round).
#[test]
fn many_files_are_read_within_a_low_descriptor_limit() {
    let dir = tempfile::tempdir().unwrap();
    let mut args = vec![
        "ulimit -n 128 && exec \"$0\" \"$@\"".to_string(),
        assert_cmd::cargo::cargo_bin("flowcost")
            .display()
            .to_string(),
        "replay".into(),
        "--format".into(),
        "json".into(),
    ];
    for i in 0..300 {
        let path = dir.path().join(format!("p{i:03}.csv"));
        let row = format!(
            "2026-10-0{}T10:{:02}:00Z,+49151{i:08},outbound,template,marketing,,,",
            1 + i / 60,
            i % 60
        );
        std::fs::write(
            &path,
            format!("timestamp,recipient,direction,kind,category,entry_point,market,flow\n{row}\n"),
        )
        .unwrap();
        args.push(path.display().to_string());
    }
    let out = std::process::Command::new("sh")
        .arg("-c")
        .args(&args)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (json["rows"].as_u64(), json["complete"].as_bool()),
        (Some(300), Some(true))
    );
}

/// Pieces of every size cut lines anywhere: every row is still read once, by one piece, with
/// its own line number (blank lines, CRLF, a bad row, a quoted field, a long line, a last line
/// without a newline).
#[test]
fn pieces_of_any_size_read_every_line_once() {
    use flowcost::replay::{replay_using, Strategy};
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("edges.csv");
    let mut text = String::from("\n  \ntimestamp,recipient,direction,kind,category,flow\r\n");
    for i in 0..24 {
        let who = format!("+4915100000{:03}", i % 5);
        let at = format!("2026-10-0{}T{:02}:00:00Z", 1 + i / 12, i % 12);
        match i % 6 {
            0 => text += &format!("{at},{who},inbound,,,\n"),
            1 => text += &format!("{at},{who},outbound,template,marketing,\"promo, autumn\"\r\n"),
            2 => text += "\n",
            3 => text += &format!("{at},{who},outbound,free_form,,{}\n", "x".repeat(250)),
            4 => text += &format!("{at},{who},sideways,,,\n"),
            _ => text += &format!("{at},{who},outbound,template,utility,orders\n"),
        }
    }
    text += "2026-10-03T00:00:00Z,+4915100000001,outbound,template,authentication,otp";
    std::fs::write(&log, &text).unwrap();
    let o = options(vec![log]);
    let summary = Counted::of;
    let general = summary(&replay_using(&o, Strategy::Pipeline, &|_| {}));
    assert_eq!(general.rows, 17);
    assert_eq!(general.skipped, 4, "{:?}", general.first);
    assert_eq!(general.first[0].line, 8);
    assert_eq!(general.bytes, text.len() as u64);
    for threads in 1..=3 {
        for piece_bytes in [1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 377, 4096] {
            let chunked = Strategy::Chunked {
                threads,
                piece_bytes,
            };
            let fast = summary(&replay_using(&o, chunked, &|_| {}));
            assert_eq!(fast, general, "{threads} threads, {piece_bytes} bytes");
        }
    }
}

/// Columns past the 32nd field are read like any other (both readers).
#[test]
fn wide_headers_are_read() {
    use flowcost::replay::{replay_using, Strategy};
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("wide.csv");
    let filler: Vec<String> = (0..33).map(|i| format!("extra{i}")).collect();
    let mut text = format!("{},timestamp,recipient,direction\n", filler.join(","));
    let blanks = ",".repeat(33);
    text += &format!("{blanks}2026-10-01T10:00:00Z,+4915100000001,inbound\n");
    text += &format!("{blanks}\"2026-10-01T10:05:00Z\",+4915100000001,outbound\n");
    std::fs::write(&log, text).unwrap();
    let o = options(vec![log]);
    for strategy in [
        Strategy::Pipeline,
        Strategy::Chunked {
            threads: 2,
            piece_bytes: 64,
        },
    ] {
        let r = replay_using(&o, strategy, &|_| {});
        assert_eq!(r.problems.skipped, 0, "{:?}", r.problems.first);
        assert_eq!(r.grouper.rows, 2);
        assert_eq!(r.grouper.tally.business_messages, 1);
    }
}

/// A file of blank lines is an empty log, read to its end, by both readers.
#[test]
fn blank_files_are_empty_logs() {
    use flowcost::replay::{replay_using, Strategy};
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("blank.csv");
    std::fs::write(&log, "\n  \r\n\n").unwrap();
    let o = options(vec![log]);
    let general = Counted::of(&replay_using(&o, Strategy::Pipeline, &|_| {}));
    assert_eq!((general.rows, general.skipped, general.bytes), (0, 0, 6));
    let chunked = Strategy::Chunked {
        threads: 2,
        piece_bytes: 2,
    };
    assert_eq!(Counted::of(&replay_using(&o, chunked, &|_| {})), general);
}

/// A line longer than the bound is one bad row, located, and reading goes on after it: in
/// both readers, in pieces of any size, gzipped, and when it is the header.
#[test]
fn overlong_lines_are_bad_rows_and_reading_goes_on() {
    use flowcost::replay::parse::MAX_LINE_BYTES;
    use flowcost::replay::{replay_using, Strategy};
    let dir = tempfile::tempdir().unwrap();
    let header = "timestamp,recipient,direction,kind,category,flow\n";
    let good = "2026-10-01T10:00:00Z,+4915100000001,inbound,,,\n";
    let later = "2026-10-01T10:05:00Z,+4915100000001,outbound,free_form,,support\n";
    let long = format!(
        "2026-10-01T10:01:00Z,+49151,inbound,,,{}\n",
        "x".repeat(MAX_LINE_BYTES + 7)
    );
    let text = format!("{header}{good}{long}{later}");
    let plain = dir.path().join("long.csv");
    std::fs::write(&plain, &text).unwrap();
    let gz = dir.path().join("long.csv.gz");
    let mut enc = flate2::write::GzEncoder::new(
        std::fs::File::create(&gz).unwrap(),
        flate2::Compression::fast(),
    );
    enc.write_all(text.as_bytes()).unwrap();
    enc.finish().unwrap();
    let check = |r: &Replay, what: &str| {
        assert_eq!(r.grouper.rows, 2, "{what}");
        assert_eq!(r.problems.skipped, 1, "{what}");
        assert_eq!(r.problems.first[0].line, 3, "{what}");
        assert!(
            r.problems.first[0].message.contains("longer than 1 MiB"),
            "{what}"
        );
        assert_eq!(r.grouper.tally.business_messages, 1, "{what}");
    };
    check(
        &replay_using(&options(vec![plain.clone()]), Strategy::Pipeline, &|_| {}),
        "pipeline",
    );
    check(
        &replay_using(&options(vec![gz]), Strategy::Pipeline, &|_| {}),
        "gzip",
    );
    for piece_bytes in [1000, 1 << 16, 1 << 20, 3 << 20] {
        let chunked = Strategy::Chunked {
            threads: 2,
            piece_bytes,
        };
        let r = replay_using(&options(vec![plain.clone()]), chunked, &|_| {});
        check(&r, &format!("chunked, {piece_bytes} bytes"));
    }
    let headless = dir.path().join("long-header.csv");
    std::fs::write(
        &headless,
        format!("{}\n{good}", "t".repeat(MAX_LINE_BYTES + 1)),
    )
    .unwrap();
    let (code, _, stderr) = run(&[headless.to_str().unwrap(), "--pricing", "pmp"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("the header"), "{stderr}");
}

/// NDJSON that starts with a UTF-8 byte order mark keeps its first row (as CSV does).
#[test]
fn ndjson_with_a_byte_order_mark_keeps_its_first_row() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("bom.ndjson");
    let rows = [
        r#"{"timestamp":"2026-10-01T10:00:00Z","recipient":"+4915100000001","direction":"inbound"}"#,
        r#"{"timestamp":"2026-10-01T10:01:00Z","recipient":"+4915100000001","direction":"outbound","kind":"free_form"}"#,
    ];
    std::fs::write(&log, format!("\u{feff}{}\n", rows.join("\n"))).unwrap();
    let r = replay_quiet(&options(vec![log]));
    assert_eq!(r.problems.skipped, 0, "{:?}", r.problems.first);
    assert_eq!(r.grouper.rows, 2);
    assert_eq!(r.grouper.tally.customer_messages, 1);
}

/// More overlapping files than can be merged side by side: the note names that cause, not an
/// unsorted input.
#[test]
fn too_many_overlapping_files_are_named_as_the_cause() {
    let dir = tempfile::tempdir().unwrap();
    let max = flowcost::replay::merge::MAX_FILES;
    let mut files = Vec::new();
    for i in 0..=max {
        let f = dir.path().join(format!("part-{i:04}.csv"));
        let minute = (max - i) % 60;
        let hour = 10 + (max - i) / 60;
        std::fs::write(
            &f,
            format!("timestamp,recipient,direction\n2026-10-01T{hour:02}:{minute:02}:00Z,+49151000{i:05},inbound\n"),
        )
        .unwrap();
        files.push(f.to_str().unwrap().to_string());
    }
    let mut args: Vec<&str> = files.iter().map(String::as_str).collect();
    args.extend(["--pricing", "pmp"]);
    let (code, _, stderr) = run(&args);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains(&format!("merges at most {max} files")),
        "{stderr}"
    );
    assert!(!stderr.contains("not in time order"), "{stderr}");
}

/// Runs `replay ARGS` with `input` on standard input: (exit code, stdout, stderr).
fn run_stdin(args: &[&str], input: Vec<u8>) -> (i32, String, String) {
    output(flowcost().arg("replay").args(args).write_stdin(input))
}

fn gzipped(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

/// The JSON of a replay without the names of its inputs (in `files` and in problems).
fn without_files(json: &str) -> Value {
    let mut doc: Value = serde_json::from_str(json).unwrap();
    doc.as_object_mut().unwrap().remove("files");
    for list in ["problems", "unusable_files"] {
        for p in doc[list].as_array_mut().into_iter().flatten() {
            p.as_object_mut().unwrap().remove("file");
        }
    }
    doc
}

/// `-` reads standard input: CSV, NDJSON webhooks and gzip (by its magic bytes) count exactly
/// as the same bytes read from a file, and the input is named `<stdin>`.
#[test]
fn standard_input_replays_like_the_file() {
    for name in ["small.csv", "webhooks.ndjson"] {
        let bytes = std::fs::read(fixture(name)).unwrap();
        let (code, from_file, stderr) = run(&[&fixture(name), "--format", "json"]);
        assert_eq!(code, 0, "{stderr}");
        for input in [bytes.clone(), gzipped(&bytes)] {
            let (code, piped, stderr) = run_stdin(&["-", "--format", "json"], input);
            assert_eq!(code, 0, "{name}: {stderr}");
            assert_eq!(without_files(&piped), without_files(&from_file), "{name}");
            let doc: Value = serde_json::from_str(&piped).unwrap();
            assert_eq!(doc["files"], serde_json::json!(["<stdin>"]));
            assert!(doc["rows"].as_u64().unwrap() > 0);
        }
    }
    // --input-format names the format of a stream that has no extension.
    let bytes = std::fs::read(fixture("small.csv")).unwrap();
    let (code, _, stderr) = run_stdin(&["-", "--input-format", "ndjson"], bytes);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("<stdin>:"), "{stderr}");
}

/// Standard input goes with files, in the order given; its bad rows are named `<stdin>:LINE`.
#[test]
fn standard_input_with_files_and_bad_rows() {
    let early = std::fs::read(fixture("early.csv")).unwrap();
    let (code, both, stderr) = run_stdin(
        &["-", &fixture("late.csv"), "--format", "json"],
        early.clone(),
    );
    assert_eq!(code, 0, "{stderr}");
    let (_, files, _) = run(&[
        &fixture("early.csv"),
        &fixture("late.csv"),
        "--format",
        "json",
    ]);
    assert_eq!(without_files(&both), without_files(&files));
    let doc: Value = serde_json::from_str(&both).unwrap();
    assert_eq!(
        doc["files"],
        serde_json::json!(["<stdin>", fixture("late.csv")])
    );
    let bad = std::fs::read(fixture("bad-rows.csv")).unwrap();
    let (_, _, from_file) = run(&[&fixture("bad-rows.csv")]);
    let (_, _, piped) = run_stdin(&["-"], bad);
    assert!(piped.contains("warning: <stdin>:"), "{piped}");
    assert_eq!(
        piped,
        from_file.replace(&fixture("bad-rows.csv"), "<stdin>")
    );
}

/// Standard input is read once: out of order, the run stops and says so (exit 2, partial);
/// `--unsorted` holds it in one pass; `-` twice is refused.
#[test]
fn standard_input_out_of_order_is_read_once() {
    let late = std::fs::read_to_string(fixture("late.csv")).unwrap();
    let early = std::fs::read_to_string(fixture("early.csv")).unwrap();
    let body = early.split_once('\n').unwrap().1;
    let unsorted = format!("{late}{body}").into_bytes();
    let (code, json, stderr) = run_stdin(&["-", "--format", "json"], unsorted.clone());
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("error: <stdin>: standard input cannot be read a second time"),
        "{stderr}"
    );
    let doc: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(doc["complete"], false);
    // The rows before the one out of order count, billed: those of late.csv.
    let (_, before, _) = run(&[&fixture("late.csv"), "--format", "json"]);
    let before: Value = serde_json::from_str(&before).unwrap();
    assert_eq!(doc["rows"], 2);
    for field in ["charges", "customer_messages", "business_messages"] {
        assert_eq!(doc[field], before[field], "{field}");
    }
    assert_eq!(doc["business_messages"], 1);
    let (code, json, stderr) = run_stdin(&["-", "--unsorted", "--format", "json"], unsorted);
    assert_eq!(code, 0, "{stderr}");
    let (_, files, _) = run(&[
        &fixture("late.csv"),
        &fixture("early.csv"),
        "--format",
        "json",
    ]);
    let (held, files) = (without_files(&json), without_files(&files));
    assert_eq!(held["charges"], files["charges"]);
    assert_eq!(held["rows"], files["rows"]);
    let (code, _, stderr) = run_stdin(&["-", "-"], Vec::new());
    assert_eq!(code, 2);
    assert!(
        stderr.contains("standard input (`-`) can be read once"),
        "{stderr}"
    );
}

/// A log's market column names a country (`UK` is refused with `GB` suggested, as `--market`
/// does); flow names are bounded in length, and values are quoted cut short.
#[test]
fn market_codes_and_flow_names_of_a_log_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("log.csv");
    let long = "f".repeat(300);
    let huge = "k".repeat(100_000);
    std::fs::write(
        &log,
        format!(
            "timestamp,recipient,direction,kind,category,market,flow\n\
             2026-10-01T10:00:00Z,+4915100000001,outbound,template,marketing,UK,\n\
             2026-10-01T10:01:00Z,+4915100000001,outbound,template,marketing,XX,\n\
             2026-10-01T10:02:00Z,+4915100000001,outbound,template,marketing,de,{long}\n\
             2026-10-01T10:03:00Z,+4915100000001,outbound,{huge},marketing,de,\n\
             2026-10-01T10:04:00Z,+4915100000001,outbound,template,marketing,de,promo\n"
        ),
    )
    .unwrap();
    let (code, _, stderr) = run(&[log.to_str().unwrap(), "--pricing", "pmp"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains(":2: market: `UK` is not a country code"),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `GB`?"), "{stderr}");
    assert!(
        stderr.contains(":3: market: `XX` is not a country code"),
        "{stderr}"
    );
    assert!(stderr.contains(":4: flow name `fff"), "{stderr}");
    assert!(stderr.contains("longer than 256 bytes"), "{stderr}");
    assert!(stderr.contains("(100000 characters)"), "{stderr}");
    assert!(stderr.len() < 3000, "{} bytes", stderr.len());
    assert!(stderr.contains("skipped 4 bad row(s) of 5"), "{stderr}");
}

/// A status webhook as Meta sends it bare: `kind` at `secs`, with a pricing block or none.
fn status_line(id: &str, recipient: &str, secs: i64, kind: &str, category: Option<&str>) -> String {
    let pricing = category.map_or(String::new(), |c| {
        format!(r#", "pricing": {{"billable": true, "pricing_model": "PMP", "category": "{c}", "type": "regular"}}"#)
    });
    format!(
        r#"{{"id": "{id}", "recipient_id": "{recipient}", "timestamp": "{secs}", "status": "{kind}"{pricing}}}"#
    )
}

/// The counts of a replay's JSON that streaming and holding must agree on.
fn webhook_counts(json: &str) -> Value {
    let v: Value = serde_json::from_str(json).unwrap();
    let r = &v["reconcile"];
    serde_json::json!({
        "charges": v["charges"],
        "business_messages": v["business_messages"],
        "customer_messages": v["customer_messages"],
        "statuses": r["statuses"],
        "checked": r["checked"],
        "agreed": r["agreed"],
        "mismatched": r["mismatched"],
        "unclassified": r["unclassified"],
        "failed": r["failed"],
        "undelivered": r["undelivered"],
    })
}

/// A read receipt three days after the delivery, when the recipient's episode was billed long
/// before, joins its message: the message is billed once, as when every recipient is held.
/// A message first seen as sent only, then delivered days later, is billed at its delivery
/// and no longer counted as undelivered. Past `--status-horizon`, the late status is a
/// message of its own.
#[test]
fn a_status_days_late_joins_its_billed_message() {
    let t = 1_762_077_661;
    let de = "4915112345678";
    let other = status_line(
        "wamid.Y",
        "919812345678",
        t + 2 * 86_400,
        "delivered",
        Some("marketing"),
    );
    let late_read = [
        status_line("wamid.X", de, t, "delivered", Some("marketing")),
        other.clone(),
        status_line("wamid.X", de, t + 3 * 86_400, "read", Some("marketing")),
    ];
    let late_delivery = [
        status_line("wamid.X", de, t, "sent", Some("marketing")),
        other,
        status_line(
            "wamid.X",
            de,
            t + 3 * 86_400,
            "delivered",
            Some("marketing"),
        ),
        status_line(
            "wamid.X",
            de,
            t + 3 * 86_400 + 60,
            "read",
            Some("marketing"),
        ),
    ];
    let dir = tempfile::tempdir().unwrap();
    for (name, lines, days) in [
        ("read", &late_read[..], ["2025-11-02", "2025-11-04"]),
        ("delivery", &late_delivery[..], ["2025-11-05", "2025-11-04"]),
    ] {
        let log = dir.path().join(format!("{name}.ndjson"));
        std::fs::write(&log, lines.join("\n") + "\n").unwrap();
        let log = log.to_str().unwrap();
        let (code, streamed, stderr) = run(&[log, "--format", "json"]);
        assert_eq!(code, 0, "{stderr}");
        let (_, held, _) = run(&[log, "--format", "json", "--unsorted"]);
        let s = webhook_counts(&streamed);
        assert_eq!(s, webhook_counts(&held), "{name}");
        assert_eq!(s["business_messages"], 2, "{name}");
        assert_eq!(s["undelivered"], 0, "{name}");
        let got: Vec<&str> = s["charges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["day"].as_str().unwrap())
            .collect();
        assert_eq!(got, days, "{name}");
        // Kept for a day past the episode's close only: the late status is a new message
        // (the late read billed again), and the sent-only message stays undelivered.
        let (code, short, _) = run(&[log, "--format", "json", "--status-horizon", "1d"]);
        assert_eq!(code, 0);
        let s = webhook_counts(&short);
        if name == "read" {
            assert_eq!(s["business_messages"], 3);
        } else {
            assert_eq!(
                (s["business_messages"].clone(), s["undelivered"].clone()),
                (2.into(), 1.into())
            );
        }
    }
    let (code, _, stderr) = run(&["x.ndjson", "--status-horizon", "soon"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("--status-horizon"), "{stderr}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// Webhook logs whose statuses come up to a week after their message was sent (and
    /// recipients who write in between) count the same streamed as with every recipient held
    /// to the end: each message is billed once, at its first delivery, and counted once as
    /// failed or undelivered when it is neither.
    #[test]
    fn late_statuses_count_the_same_streamed_and_held(
        messages in proptest::collection::vec(
            (0usize..3, 0i64..20 * 24, 0u8..8, 0i64..7 * 24 * 60, 0i64..7 * 24 * 60, any::<bool>(), 0usize..4),
            1..25,
        ),
        inbound in proptest::collection::vec((0usize..3, 0i64..20 * 24 * 60), 0..10),
    ) {
        const RECIPIENTS: [&str; 3] = ["4915112345678", "919812345678", "5511987654321"];
        const CATEGORIES: [&str; 4] = ["marketing", "utility", "authentication", "service"];
        let t0 = 1_790_000_000i64; // 2026-09-21, under pmp-2026-07
        let mut lines: Vec<(i64, String)> = Vec::new();
        // Ids count per recipient, so recipients share them (as ids of different messages).
        let mut sent_to = [0usize; 3];
        for &(r, hour, pattern, d1, d2, priced, c) in &messages {
            let (id, who) = (format!("wamid.{}", sent_to[r]), RECIPIENTS[r]);
            sent_to[r] += 1;
            let category = priced.then_some(CATEGORIES[c]);
            let sent = t0 + hour * 3_600;
            let (delivered, read) = (sent + d1 * 60, sent + (d1 + d2).min(7 * 24 * 60) * 60);
            // 0: sent only; 1: sent, failed; 2: sent, delivered; 3: sent, delivered, read;
            // 4: delivered, read; 5: read only; 6: sent, failed, delivered; 7: failed, read.
            let statuses: &[(&str, i64)] = match pattern {
                0 => &[("sent", sent)],
                1 => &[("sent", sent), ("failed", delivered)],
                2 => &[("sent", sent), ("delivered", delivered)],
                3 => &[("sent", sent), ("delivered", delivered), ("read", read)],
                4 => &[("delivered", delivered), ("read", read)],
                5 => &[("read", read)],
                6 => &[("sent", sent), ("failed", delivered), ("delivered", read)],
                _ => &[("failed", delivered), ("read", read)],
            };
            for &(kind, at) in statuses {
                lines.push((at, status_line(&id, who, at, kind, category)));
            }
        }
        for (k, &(r, minute)) in inbound.iter().enumerate() {
            let at = t0 + minute * 60;
            lines.push((at, format!(
                r#"{{"from": "{}", "id": "wamid.in{k}", "timestamp": "{at}", "type": "text", "text": {{"body": "hi"}}}}"#,
                RECIPIENTS[r]
            )));
        }
        lines.sort_by_key(|(at, _)| *at);
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("statuses.ndjson");
        let text: String = lines.iter().map(|(_, l)| format!("{l}\n")).collect();
        std::fs::write(&log, text).unwrap();
        let log = log.to_str().unwrap();
        let (code, streamed, stderr) = run(&[log, "--format", "json"]);
        prop_assert_eq!(code, 0, "{}", stderr);
        prop_assert!(streamed.contains(r#""mode": "stream""#), "{}", streamed);
        let (_, held, _) = run(&[log, "--format", "json", "--unsorted"]);
        prop_assert_eq!(webhook_counts(&streamed), webhook_counts(&held));
    }
}

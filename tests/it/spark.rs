//! `scripts/spark_replay.py`: the Spark recipe, run in local mode on a generated log, gives
//! exactly the one-machine replay. Needs `pyspark` (and Java); skipped without it, except in CI
//! (`CI=true`), where `.ci/run` installs it.

use super::common::{comparable_replay, flowcost, output};
use serde_json::Value;
use std::process::Command;

fn pyspark_importable() -> bool {
    Command::new("python3")
        .args(["-c", "import pyspark"])
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn the_spark_recipe_gives_the_one_machine_replay() {
    if !pyspark_importable() {
        let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false");
        assert!(!ci, "CI needs pyspark for this test: .ci/run installs it");
        eprintln!("skipped: pyspark is not importable (pip install pyspark; it needs Java 17)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("log.csv");
    flowcost()
        .args(["gen-log", "--rows", "20000", "--seed", "1", "-o"])
        .arg(&log)
        .assert()
        .success();
    // Two bad rows, so that problems travel through Spark too.
    let mut text = std::fs::read_to_string(&log).unwrap();
    let cut = text.match_indices('\n').nth(5000).unwrap().0 + 1;
    text.insert_str(
        cut,
        "2026-10-01T00:00:00Z,+4915112345678,sideways,,,,,\nnot a row\n",
    );
    std::fs::write(&log, text).unwrap();
    let (code, one, stderr) = output(
        flowcost()
            .arg("replay")
            .arg(&log)
            .args(["--format", "json"]),
    );
    assert_eq!(code, 0, "{stderr}");
    let out = Command::new("python3")
        .arg("scripts/spark_replay.py")
        .arg(&log)
        .arg("--flowcost")
        .arg(env!("CARGO_BIN_EXE_flowcost"))
        .args(["--format", "json", "--partitions", "4"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let spark = String::from_utf8_lossy(&out.stdout);
    let (one, spark_doc) = (comparable_replay(&one), comparable_replay(&spark));
    assert_eq!(one["rows"], 20_000);
    assert_eq!(one["skipped_rows"], 2);
    assert_eq!(spark_doc, one);
    // Four partitions, each replayed from standard input, their problems named by part.
    let doc: Value = serde_json::from_str(&spark).unwrap();
    assert_eq!(
        doc["files"].as_array().unwrap().len(),
        4,
        "{}",
        doc["files"]
    );
    assert!(stderr.contains(".json:<stdin>:"), "{stderr}");
}

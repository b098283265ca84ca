//! The `flowcost` binary: exit codes, diagnostics and the JSON contract of `simulate`.

use super::common::{flowcost, output, run};
use serde_json::Value;

/// Runs `simulate` and returns (exit code, stdout, stderr).
fn simulate(args: &[&str]) -> (i32, String, String) {
    let out = flowcost().arg("simulate").args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn json(args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let (code, stdout, stderr) = simulate(&all);
    assert_eq!(code, 0, "{stderr}");
    serde_json::from_str(&stdout).unwrap()
}

/// The listed path on which the customer's first reply wait has `outcome`.
fn first_outcome<'a>(doc: &'a Value, outcome: &str) -> &'a Value {
    doc["paths"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["assumptions"][0]["outcome"] == outcome)
        .unwrap_or_else(|| panic!("no path {outcome}: {doc}"))
}

/// Every kind of bad flow file: exit 2, the stable code, and the place (file:line:col).
#[test]
fn bad_flow_files_get_located_diagnostics_and_exit_2() {
    let cases: &[(&str, &[&str])] = &[
        (
            "syntax",
            &[
                "flowcost::yaml-syntax",
                "syntax.yaml:8:13",
                "unclosed quote",
            ],
        ),
        (
            "tabs",
            &["flowcost::yaml-syntax", "replace the tabs with spaces"],
        ),
        ("empty", &["flowcost::empty-flow", "the file is empty"]),
        ("not-utf8", &["flowcost::encoding", "not-utf8.yaml:4:12"]),
        (
            "unknown-key",
            &[
                "flowcost::unknown-key",
                "unknown-key.yaml:8:5",
                "did you mean `template`?",
            ],
        ),
        (
            "unknown-node-type",
            &[
                "flowcost::unknown-value",
                "unknown-node-type.yaml:5:11",
                "did you mean `send_message`?",
            ],
        ),
        (
            "dangling-reference",
            &[
                "flowcost::dangling-reference",
                "dangling-reference.yaml:7:11",
                "no node has the id `thx`",
            ],
        ),
        (
            "duplicate-id",
            &["flowcost::duplicate-id", "duplicate-id.yaml:6:9"],
        ),
        (
            "bad-duration",
            &[
                "flowcost::bad-duration",
                "bad-duration.yaml:6:10",
                "has spaces",
                "bad-duration.yaml:9:14",
                "negative",
            ],
        ),
        (
            "bad-category",
            &["flowcost::unknown-category", "bad-category.yaml:6:15"],
        ),
        (
            "service-template",
            &[
                "flowcost::service-template",
                "service-template.yaml:4:27",
                "send_message",
            ],
        ),
        (
            "unknown-template",
            &[
                "flowcost::unknown-template",
                "unknown-template.yaml:8:15",
                "did you mean `order_shipped`?",
            ],
        ),
        (
            "loop-without-wait",
            &["flowcost::loop-without-wait", "remind → again → remind"],
        ),
        (
            "missing-keys",
            &[
                "flowcost::missing-key",
                "missing-keys.yaml:1:1",
                "missing-keys.yaml:4:5",
                "the flow has no `flow`",
                "the flow has no `trigger`",
                "the node has no `id`",
                "the wait has no `for`",
            ],
        ),
        (
            "wrong-type",
            &["flowcost::wrong-type", "`nodes` must be a list, found text"],
        ),
        (
            "bad-weight",
            &[
                "flowcost::bad-weight",
                "bad-weight.yaml:7:26",
                "`-3` is not a weight",
            ],
        ),
        (
            "weights-mixed",
            &[
                "flowcost::bad-weight",
                "weights-mixed.yaml:8:9",
                "give every branch a weight, or none",
            ],
        ),
        (
            "bad-market",
            &["flowcost::bad-market", "bad-market.yaml:3:9"],
        ),
        ("bad-date", &["flowcost::bad-date", "bad-date.yaml:7:18"]),
        (
            "duplicate-key",
            &[
                "flowcost::duplicate-key",
                "duplicate-key.yaml:3:1",
                "`trigger` appears twice",
            ],
        ),
    ];
    for (name, expected) in cases {
        let path = format!("tests/fixtures/bad/{name}.yaml");
        let (code, stdout, stderr) = simulate(&[&path, "--at", "2026-11-02"]);
        assert_eq!(code, 2, "{name}: {stderr}");
        assert!(stdout.is_empty(), "{name}: nothing on stdout on failure");
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
        for e in *expected {
            assert!(stderr.contains(e), "{name}: missing {e:?} in\n{stderr}");
        }
        insta::assert_snapshot!(format!("bad_{name}"), stderr);
    }
}

#[test]
fn unreadable_paths_exit_2() {
    let (code, _, stderr) =
        simulate(&["tests/fixtures/bad/no-such-file.yaml", "--at", "2026-11-02"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("flowcost::io") && stderr.contains("no-such-file.yaml"),
        "{stderr}"
    );
    let (code, _, stderr) = simulate(&["tests/fixtures/bad", "--at", "2026-11-02"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("this is a directory"), "{stderr}");
}

#[test]
fn bad_options_exit_2_with_a_reason() {
    let flow = "flows/opt-in-mixed.yaml";
    let cases: &[(&[&str], &str)] = &[
        (&["--at", "2026-13-01"], "is not a date"),
        (&["--at", "2023-05-31"], "before 2023-06-01"),
        (&["--at", "2026-11-02", "--reply-after", "5"], "has no unit"),
        (
            &["--at", "2026-11-02", "--horizon", "3w"],
            "--horizon was removed",
        ),
        (
            &["--at", "2026-11-02", "--max-paths", "3"],
            "replaced by --paths N",
        ),
        (
            &["--at", "2026-11-02", "--paths", "lots"],
            "not a number of paths",
        ),
        (&["--at", "2026-11-02", "--max-visits", "0"], "max-visits"),
        (&["--at", "2026-11-02", "--max-visits", "101"], "max-visits"),
        (&["--at", "2026-11-02", "--reply-rate", "1.5"], "not a rate"),
        (&["--at", "2026-11-02", "--retry-rate", "x"], "not a rate"),
        (
            &["--at", "2026-11-02", "--pricing", "pmp-2027"],
            "known models: cbp, cbp-2024-11, pmp, pmp-2026-10",
        ),
        (
            &["--at", "2026-11-02", "--market", "Germany"],
            "not a country code",
        ),
        (
            &["--at", "2026-11-02", "--account-tz", "Berlin"],
            "not a UTC offset",
        ),
        (&["--at", "2026-11-02", "--format", "xml"], "invalid value"),
    ];
    for (args, fragment) in cases {
        let mut all = vec![flow];
        all.extend_from_slice(args);
        let (code, stdout, stderr) = simulate(&all);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(stdout.is_empty());
        assert!(stderr.contains(fragment), "{args:?}: {stderr}");
    }
}

#[test]
fn the_mixed_opt_in_flow_mixes_service_and_marketing_today() {
    let doc = json(&["flows/opt-in-mixed.yaml", "--at", "2026-11-02T10:00:00Z"]);
    assert_eq!(doc["flow"], "newsletter-opt-in-mixed");
    assert_eq!(doc["pricing_model"], "pmp-2026-10");
    // The silent path is the more probable (70%), so it comes first.
    assert_eq!(doc["paths"][0]["probability"], 0.7);
    let replied = &doc["paths"][1];
    assert_eq!(replied["probability"], 0.3);
    assert_eq!(replied["dearest"], true);
    assert_eq!(
        replied["route"],
        serde_json::json!(["greet", "ask", "welcome", "done"])
    );
    assert_eq!(
        replied["categories"],
        serde_json::json!(["marketing", "service"])
    );
    assert_eq!(replied["billable"], 2);
    assert_eq!(replied["charges"][0]["category"], "service");
    assert_eq!(replied["charges"][0]["reason"], "regular");
    assert_eq!(replied["charges"][0]["node"], "greet");
    assert_eq!(replied["charges"][1]["at"], "2026-11-02T10:01:00Z");
    assert_eq!(doc["summary"]["mixed_categories"], true);
    assert_eq!(doc["summary"]["min_billable"], 1);
    assert_eq!(doc["summary"]["max_billable"], 2);
    insta::assert_snapshot!(
        "json_opt_in_mixed_2026_11",
        serde_json::to_string_pretty(&doc).unwrap()
    );
}

#[test]
fn the_single_category_opt_in_opens_one_category_under_every_model() {
    for at in ["2024-06-01", "2025-01-15", "2025-08-01", "2026-11-02"] {
        let doc = json(&["flows/opt-in-single-category.yaml", "--at", at]);
        assert_eq!(doc["summary"]["mixed_categories"], false, "{at}");
        assert_eq!(
            doc["summary"]["categories"],
            serde_json::json!(["marketing"]),
            "{at}"
        );
    }
    // One conversation under conversation-based pricing, two charged messages per-message.
    let cbp = json(&["flows/opt-in-single-category.yaml", "--at", "2024-06-01"]);
    assert_eq!(first_outcome(&cbp, "replied")["billable"], 1);
    let pmp = json(&["flows/opt-in-single-category.yaml", "--at", "2026-11-02"]);
    assert_eq!(first_outcome(&pmp, "replied")["billable"], 2);
}

#[test]
fn the_mixed_opt_in_costs_what_each_model_says() {
    // (date, model, billable on the replied path)
    for (at, model, billable) in [
        ("2024-10-31", "cbp", 2),
        ("2024-11-01", "cbp-2024-11", 1),
        ("2025-06-30", "cbp-2024-11", 1),
        ("2025-07-01", "pmp", 1),
        ("2026-09-30", "pmp", 1),
        ("2026-10-01", "pmp-2026-10", 2),
    ] {
        let doc = json(&["flows/opt-in-mixed.yaml", "--at", at]);
        assert_eq!(doc["pricing_model"], model, "{at}");
        let replied = first_outcome(&doc, "replied");
        assert_eq!(replied["billable"], billable, "{at}");
        // Service is opened or charged either way, free or not; a mix only when it costs.
        assert_eq!(
            replied["categories"],
            serde_json::json!(["marketing", "service"]),
            "{at}"
        );
        assert_eq!(doc["summary"]["mixed_categories"], billable == 2, "{at}");
    }
}

#[test]
fn pricing_override_and_account_time_zone() {
    let doc = json(&[
        "flows/opt-in-mixed.yaml",
        "--at",
        "2026-11-02",
        "--pricing",
        "cbp",
    ]);
    assert_eq!(doc["pricing_model"], "cbp");
    assert_eq!(doc["unit"], "conversation");
    assert_eq!(
        doc["paths"][0]["charges"][0]["until"],
        "2026-11-03T00:00:00Z"
    );
    let doc = json(&[
        "flows/opt-in-mixed.yaml",
        "--at",
        "2026-09-30T23:00:00Z",
        "--account-tz",
        "+02:00",
    ]);
    assert_eq!(doc["pricing_model"], "pmp-2026-10");
    let doc = json(&["flows/opt-in-mixed.yaml", "--at", "2026-09-30T23:00:00Z"]);
    assert_eq!(doc["pricing_model"], "pmp");
}

#[test]
fn rule_4_switch_changes_the_conversation_count() {
    // cbp: marketing template at 0h, customer replies, free-form: rides on marketing by default.
    let flow = "tests/fixtures/flows/business-free-form.yaml";
    let doc = json(&[flow, "--at", "2024-06-01"]);
    assert_eq!(doc["paths"][0]["billable"], 1);
    let off = json(&[
        "flows/opt-in-single-category.yaml",
        "--at",
        "2024-06-01",
        "--free-form-joins-open-conversation",
        "false",
    ]);
    assert_eq!(
        first_outcome(&off, "replied")["billable"],
        1,
        "no free-form in this flow: the switch changes nothing"
    );
    let on = json(&[
        "flows/opt-in-mixed.yaml",
        "--at",
        "2024-06-01",
        "--pricing",
        "cbp",
        "--free-form-joins-open-conversation",
        "false",
    ]);
    assert_eq!(first_outcome(&on, "replied")["billable"], 2);
}

#[test]
fn free_form_without_a_customer_message_is_reported_undeliverable() {
    let doc = json(&[
        "tests/fixtures/flows/business-free-form.yaml",
        "--at",
        "2026-11-02",
    ]);
    let path = &doc["paths"][0];
    assert_eq!(path["billable"], 1);
    assert_eq!(path["undeliverable"][0]["node"], "follow_up");
    assert!(path["undeliverable"][0]["reason"]
        .as_str()
        .unwrap()
        .contains("never opened"));
    assert_eq!(
        doc["summary"]["undeliverable_paths"],
        serde_json::json!([1])
    );
    let (code, stdout, _) = simulate(&[
        "tests/fixtures/flows/business-free-form.yaml",
        "--at",
        "2026-11-02",
    ]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains("UNDELIVERABLE: free-form `follow_up`"),
        "{stdout}"
    );
}

#[test]
fn a_wait_past_24h_closes_the_service_window() {
    let doc = json(&[
        "tests/fixtures/flows/window-closed-by-wait.yaml",
        "--at",
        "2026-11-02T10:00:00Z",
    ]);
    let path = &doc["paths"][0];
    assert_eq!(
        path["billable"], 1,
        "the acknowledgement is charged; the late message is refused"
    );
    assert_eq!(path["undeliverable"][0]["node"], "late");
    let reason = path["undeliverable"][0]["reason"].as_str().unwrap();
    assert!(
        reason.contains("closed at 2026-11-03T10:00:00Z (1h earlier)"),
        "{reason}"
    );
}

#[test]
fn loops_end_after_max_visits_of_a_node() {
    // A weekly digest forever: entered 3 times by default, then the path is abandoned.
    let doc = json(&[
        "tests/fixtures/flows/weekly-loop.yaml",
        "--at",
        "2026-11-02",
    ]);
    let path = &doc["paths"][0];
    assert_eq!(path["end"], "abandoned");
    assert_eq!(path["abandoned_at"], "digest");
    assert_eq!(path["billable"], 3, "sends at 0, 1w and 2w");
    assert_eq!(path["route_folded"], "(digest → week) ×3");
    assert_eq!(doc["summary"]["abandoned"][0]["node"], "digest");
    assert_eq!(doc["summary"]["abandoned"][0]["probability"], 1.0);
    let doc = json(&[
        "tests/fixtures/flows/weekly-loop.yaml",
        "--at",
        "2026-11-02",
        "--max-visits",
        "5",
    ]);
    assert_eq!(doc["paths"][0]["billable"], 5);
    assert_eq!(doc["customer_model"]["max_visits"], 5);
    let (_, stdout, _) = simulate(&[
        "tests/fixtures/flows/weekly-loop.yaml",
        "--at",
        "2026-11-02",
    ]);
    assert!(
        stdout.contains("Path 1 (dearest): (digest → week) ×3\n  probability 100% · abandoned after 3 visits of `digest`"),
        "{stdout}"
    );
}

#[test]
fn splits_multiply_probabilities_and_paths_limits_the_listing() {
    let doc = json(&[
        "tests/fixtures/flows/many-splits.yaml",
        "--at",
        "2026-11-02",
    ]);
    assert_eq!(doc["summary"]["paths"], 8);
    assert_eq!(doc["paths"][0]["probability"], 0.125);
    assert_eq!(doc["summary"]["truncated"], false);
    let doc = json(&[
        "tests/fixtures/flows/many-splits.yaml",
        "--at",
        "2026-11-02",
        "--paths",
        "3",
    ]);
    assert_eq!(doc["summary"]["paths"], 3);
    assert_eq!(doc["summary"]["total_paths"], 8);
    assert_eq!(doc["summary"]["truncated"], true);
    assert!(doc["summary"]["notes"][0]
        .as_str()
        .unwrap()
        .contains("--paths N or --paths all"));
    let doc = json(&[
        "tests/fixtures/flows/many-splits.yaml",
        "--at",
        "2026-11-02",
        "--paths",
        "all",
    ]);
    assert_eq!(doc["summary"]["paths"], 8);
    let doc = json(&[
        "tests/fixtures/flows/many-splits.yaml",
        "--at",
        "2026-11-02",
        "--paths",
        "0",
    ]);
    assert_eq!(doc["paths"], serde_json::json!([]));
    assert_eq!(
        doc["summary"]["total_paths"], 8,
        "the summary covers every path"
    );
}

#[test]
fn reply_waits_fork_and_the_reply_delay_is_configurable() {
    let doc = json(&[
        "flows/otp-authentication.yaml",
        "--at",
        "2026-11-02T10:00:00Z",
    ]);
    assert_eq!(doc["paths"][0]["assumptions"][0]["outcome"], "timed_out");
    assert_eq!(doc["paths"][0]["billable"], 2);
    assert_eq!(doc["paths"][1]["assumptions"][0]["outcome"], "replied");
    assert_eq!(doc["paths"][1]["billable"], 1);
    // A reply as slow as the 5-minute timeout comes at half of it: both paths stay.
    let doc = json(&[
        "flows/otp-authentication.yaml",
        "--at",
        "2026-11-02T10:00:00Z",
        "--reply-after",
        "10m",
    ]);
    assert_eq!(doc["summary"]["total_paths"], 2);
    assert!(doc["summary"]["notes"][0]
        .as_str()
        .unwrap()
        .contains("`wait_for_code` waits 5m, not longer than --reply-after 10m: its customers reply after 2m30s"));
    // The reply rate weighs the paths; with 1 only the replied path has a chance.
    let doc = json(&[
        "flows/otp-authentication.yaml",
        "--at",
        "2026-11-02",
        "--reply-rate",
        "1",
    ]);
    assert_eq!(doc["paths"][0]["assumptions"][0]["outcome"], "replied");
    assert_eq!(doc["paths"][0]["probability"], 1.0);
    assert_eq!(doc["summary"]["expected_billable"], 1.0);
}

#[test]
fn a_catalog_file_supplies_templates_and_their_category_history() {
    let flow = "tests/fixtures/flows/uses-catalog.yaml";
    let catalog = "tests/fixtures/flows/catalog.yaml";
    let (code, _, stderr) = simulate(&[flow, "--at", "2026-11-02"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("flowcost::unknown-template"), "{stderr}");
    let before = json(&[flow, "--templates", catalog, "--at", "2026-02-01"]);
    assert_eq!(
        before["paths"][0]["categories"],
        serde_json::json!(["utility"])
    );
    let after = json(&[flow, "--templates", catalog, "--at", "2026-11-02"]);
    assert_eq!(
        after["paths"][0]["categories"],
        serde_json::json!(["marketing"]),
        "recategorised on 2026-03-01"
    );
    let (code, _, stderr) = simulate(&[
        flow,
        "--templates",
        "tests/fixtures/bad/bad-date.yaml",
        "--at",
        "2026-11-02",
    ]);
    assert_eq!(code, 2, "a bad catalog is refused: {stderr}");
}

#[test]
fn human_output_shows_routes_charges_and_the_mixed_warning() {
    let (code, stdout, _) = simulate(&["flows/opt-in-mixed.yaml", "--at", "2026-11-02T10:00:00Z"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("Path 2 (dearest): greet → ask → welcome → done"));
    assert!(stdout.contains(
        "warning: mixed categories: marketing + service — it pays for both (on 1 of 2 paths, 30% of recipients)"
    ));
    insta::assert_snapshot!("table_opt_in_mixed_2026_11", stdout);
    // Service conversations are free in 2025: the same paths mix nothing that costs.
    let (_, stdout, _) = simulate(&["flows/opt-in-mixed.yaml", "--at", "2025-01-15T10:00:00Z"]);
    assert!(!stdout.contains("warning: mixed"), "{stdout}");
    assert!(
        stdout.contains("only marketing is billed under cbp-2024-11 (service free)"),
        "{stdout}"
    );
    insta::assert_snapshot!("table_opt_in_mixed_2025_01", stdout);
}

#[test]
fn models_lists_every_model_with_its_date() {
    let out = flowcost().arg("models").output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    for (name, date) in [
        ("cbp", "2023-06-01"),
        ("cbp-2024-11", "2024-11-01"),
        ("pmp", "2025-07-01"),
        ("pmp-2026-10", "2026-10-01"),
    ] {
        assert!(text.contains(name) && text.contains(date), "{text}");
    }
}

#[test]
fn usage_errors_exit_2() {
    let out = flowcost().arg("simulate").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = flowcost().arg("frobnicate").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn past_max_states_the_flow_is_refused_with_a_way_out() {
    let flow = "tests/fixtures/flows/many-splits.yaml";
    let doc = json(&[flow, "--at", "2026-11-02", "--paths", "3"]);
    assert_eq!(doc["summary"]["exact"], true);
    assert_eq!(doc["summary"]["total_paths"], 8);
    let (code, stdout, stderr) = simulate(&[flow, "--at", "2026-11-02", "--max-states", "2"]);
    assert_eq!(code, 2);
    assert!(stdout.is_empty());
    assert!(
        stderr.contains("more than 2 distinct states") && stderr.contains("--max-visits"),
        "{stderr}"
    );
}

#[test]
fn negative_utc_offsets_are_values_not_flags() {
    let (code, _, stderr) = run(&[
        "simulate",
        "flows/opt-in-mixed.yaml",
        "--at",
        "2026-11-02",
        "--account-tz",
        "-05:00",
        "--verbose",
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("account time zone -05:00"), "{stderr}");
    let (code, _, stderr) = run(&[
        "simulate",
        "flows/opt-in-mixed.yaml",
        "--account-tz",
        "--at",
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains("is not a UTC offset"), "{stderr}");
}

#[test]
fn a_huge_percentage_budget_is_never_broken() {
    let flow = "flows/opt-in-mixed.yaml";
    let args = ["diff", flow, flow, "--at", "2026-11-02", "--market", "DE"];
    for p in ["1e30", "1e300", "0"] {
        let (code, _, stderr) = run(&[&args[..], &["--fail-above-percent", p]].concat());
        assert_eq!(code, 0, "{p}: {stderr}");
    }
}

#[test]
fn gen_log_refuses_a_log_past_the_year_9999() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("late.csv");
    let (code, _, stderr) = output(
        flowcost()
            .args([
                "gen-log",
                "--rows",
                "1000",
                "--start",
                "9999-12-01",
                "--days",
                "90",
                "-o",
            ])
            .arg(&log),
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("past the year 9999"), "{stderr}");
    assert!(!log.exists());
    let (code, stdout, _) = run(&[
        "gen-log",
        "--rows",
        "10",
        "--start",
        "9999-01-01",
        "--days",
        "1",
    ]);
    assert_eq!(code, 0);
    assert!(stdout.lines().last().unwrap().starts_with("9999-01-0"));
}

/// Control characters in a flow (an escape sequence, a bell, NUL, U+FFFF) are shown as
/// escapes in every output: tables, diagnostics, Mermaid, DOT and SVG.
#[test]
fn control_characters_from_a_flow_never_reach_an_output_raw() {
    let dir = tempfile::tempdir().unwrap();
    let flow = dir.path().join("evil.yaml");
    let text = std::fs::read_to_string("flows/opt-in-mixed.yaml")
        .unwrap()
        .replace(
            "flow: newsletter-opt-in-mixed",
            "flow: \"evil\\e]0;owned\\a\\e[2J\\0\\uFFFF\\u202E\\u0085\"",
        )
        .replace("newsletter_welcome", "\"welcome\\e[31m\"");
    std::fs::write(&flow, text).unwrap();
    let svg = dir.path().join("t.svg");
    let f = flow.to_str().unwrap();
    let runs: Vec<Vec<&str>> = vec![
        vec!["simulate", f, "--at", "2026-11-02"],
        vec!["cost", f, "--at", "2026-11-02"],
        vec!["lint", "--no-config", f, "--at", "2026-11-02"],
        vec!["graph", f, "--format", "mermaid"],
        vec!["graph", f, "--format", "dot"],
        vec![
            "timeline",
            f,
            "--at",
            "2026-11-02",
            "--svg",
            svg.to_str().unwrap(),
        ],
    ];
    let raw = |s: &str| {
        s.chars()
            .any(|c| flowcost::text::is_unsafe(c) && !matches!(c, '\n' | '\t'))
    };
    for args in runs {
        let (_, stdout, stderr) = run(&args);
        assert!(!raw(&stdout), "{args:?}: {stdout}");
        assert!(!raw(&stderr), "{args:?}: {stderr}");
        if args[0] != "lint" {
            let shown = stdout.contains("\\u001b") || stderr.contains("\\u001b");
            assert!(shown, "{args:?}: {stdout}{stderr}");
        }
    }
    // JSON stays JSON: escapes of the JSON form stand for the characters themselves.
    for args in [
        vec!["simulate", f, "--at", "2026-11-02", "--format", "json"],
        vec!["cost", f, "--at", "2026-11-02", "--format", "json"],
        vec![
            "lint",
            "--no-config",
            f,
            "--at",
            "2026-11-02",
            "--format",
            "sarif",
        ],
    ] {
        let (_, stdout, _) = run(&args);
        let doc: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{args:?}: {e}"));
        assert!(!raw(&stdout), "{args:?}");
        if args[0] == "simulate" {
            assert_eq!(
                doc["flow"],
                "evil\u{1b}]0;owned\u{7}\u{1b}[2J\0\u{ffff}\u{202e}\u{85}"
            );
        }
    }
    let picture = std::fs::read_to_string(&svg).unwrap();
    assert!(!raw(&picture) && picture.contains("evil\\u001b]0;owned"));
    // A bad value quoted in a diagnostic is escaped too.
    std::fs::write(&flow, "flow: x\nkind: \"\\e[2Jopt\"\nnodes: []\n").unwrap();
    let (code, _, stderr) = run(&["simulate", f, "--at", "2026-11-02"]);
    assert_eq!(code, 2);
    assert!(!raw(&stderr), "{stderr}");
}

/// A huge bad value is located and quoted cut short: a 5 MB value never makes 5 MB of
/// diagnostics, wherever it is in the flow.
#[test]
fn huge_bad_values_are_quoted_short() {
    let dir = tempfile::tempdir().unwrap();
    let big = "x".repeat(5_000_000);
    let base = std::fs::read_to_string("flows/opt-in-mixed.yaml").unwrap();
    for (from, key) in [
        ("kind: opt_in", "kind: "),
        ("on_timeout: done", "on_timeout: "),
        ("type: end", "type: "),
        ("category: marketing", "category: "),
        ("timeout: 24h", "timeout: "),
        ("template: newsletter_welcome", "template: "),
        ("trigger: customer_message", "trigger: "),
    ] {
        let flow = dir.path().join("big.yaml");
        std::fs::write(&flow, base.replace(from, &format!("{key}{big}"))).unwrap();
        let (code, _, stderr) = run(&["simulate", flow.to_str().unwrap(), "--at", "2026-11-02"]);
        assert_eq!(code, 2, "{key}");
        assert!(stderr.len() < 2000, "{key}: {} bytes", stderr.len());
        assert!(stderr.contains("characters)"), "{key}: {stderr}");
    }
}

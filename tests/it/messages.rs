//! Silent successes and messages: unknown market codes, empty lint runs, failed replays, unknown
//! prices, money bounds, `init`: each bad input fails with a diagnostic that says how to fix it,
//! and each message fits its case.

use super::common::{flowcost, output, run};
use std::path::Path;

/// Writes `text` as `name` in `dir`, returning its path as text.
fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

#[test]
fn unknown_market_codes_are_refused_with_a_suggestion() {
    let (code, out, err) = run(&[
        "cost",
        "flows/abandoned-cart.yaml",
        "--at",
        "2026-09-15",
        "--market",
        "UK",
    ]);
    assert_eq!(code, 2, "{out}");
    assert!(err.contains("`UK` is not a country code"), "{err}");
    assert!(err.contains("did you mean `GB`?"), "{err}");
    let (code, _, err) = run(&[
        "simulate",
        "flows/abandoned-cart.yaml",
        "--at",
        "2026-09-15",
        "--market",
        "XX",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("`XX` is not a country code"), "{err}");
    // A valid code of no named market is billed as `Other`, and the report says so.
    let (code, out, _) = run(&[
        "cost",
        "flows/abandoned-cart.yaml",
        "--at",
        "2026-09-15",
        "--market",
        "AQ",
    ]);
    assert_eq!(code, 0);
    assert!(out.contains("AQ (Other)"), "{out}");
    assert!(out.contains("billed at the `Other` rate"), "{out}");
}

#[test]
fn an_unknown_market_in_yaml_is_located() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string("flows/abandoned-cart.yaml")
        .unwrap()
        .replace("market: IN", "market: UK");
    let file = write(dir.path(), "uk.yaml", &text);
    let (code, _, err) = run(&["simulate", &file, "--at", "2026-09-15"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("uk.yaml:9:9: `UK` is not a country code"),
        "{err}"
    );
    assert!(err.contains("did you mean `GB`?"), "{err}");
}

#[test]
fn lint_refuses_a_directory_without_flows() {
    let dir = tempfile::tempdir().unwrap();
    let (code, out, err) = run(&[
        "lint",
        &dir.path().display().to_string(),
        "--at",
        "2026-09-15",
    ]);
    assert_eq!(code, 2, "{out}");
    assert!(err.contains("holds no .yaml or .yml flow file"), "{err}");
}

#[test]
fn commands_that_do_not_compare_dates_refuse_compare_at() {
    for command in ["lint", "timeline"] {
        let (code, _, err) = run(&[
            command,
            "flows/abandoned-cart.yaml",
            "--at",
            "2026-09-15",
            "--compare-at",
            "2026-11-02",
        ]);
        assert_eq!(code, 2, "{command}: {err}");
        assert!(err.contains("does not compare dates"), "{command}: {err}");
    }
}

#[test]
fn replay_of_a_missing_file_fails_and_keeps_the_mismatches() {
    let dir = tempfile::tempdir().unwrap();
    let previous = write(dir.path(), "mismatches.csv", "kept\n");
    let missing = dir.path().join("missing.ndjson").display().to_string();
    let (code, out, err) = run(&[
        "replay",
        &missing,
        "--format",
        "json",
        "--mismatches",
        &previous,
    ]);
    assert_eq!(code, 2, "{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["complete"], false, "{out}");
    assert_eq!(std::fs::read_to_string(&previous).unwrap(), "kept\n");
    assert!(err.contains("left as it was"), "{err}");
}

#[test]
fn replay_of_a_log_whose_every_row_is_bad_fails() {
    let dir = tempfile::tempdir().unwrap();
    let log = write(dir.path(), "bad.ndjson", "garbage\nmore garbage\n");
    let (code, _, err) = run(&["replay", &log]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("no row could be used"), "{err}");
}

#[test]
fn replay_strict_stops_at_the_first_bad_row() {
    let (code, out, err) = run(&[
        "replay",
        "tests/fixtures/replay/bad-rows.csv",
        "--strict",
        "--format",
        "json",
    ]);
    assert_eq!(code, 2, "{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    // Line 4 is the first bad row: the two rows before it count, nothing after.
    assert_eq!(doc["rows"], 2, "{out}");
    assert_eq!(doc["skipped_rows"], 1, "{out}");
    assert_eq!(doc["complete"], false);
    assert_eq!(err.matches("row skipped").count(), 1, "{err}");
}

#[test]
fn compare_at_shows_unknown_prices_as_unknown() {
    let (code, out, _) = run(&[
        "cost",
        "flows/abandoned-cart.yaml",
        "--market",
        "GB",
        "--at",
        "2026-09-15",
        "--compare-at",
        "2025-08-01",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let change = &doc["comparisons"][0]["changes"][0];
    assert!(change["expected_delta_usd"].is_null(), "{change}");
    assert!(change["categories"][0]["delta_usd"].is_null(), "{change}");
    let (_, table, _) = run(&[
        "cost",
        "flows/abandoned-cart.yaml",
        "--market",
        "GB",
        "--at",
        "2026-09-15",
        "--compare-at",
        "2025-08-01",
    ]);
    let expected = table
        .lines()
        .find(|l| l.contains("│ expected"))
        .unwrap_or_default();
    assert!(!expected.contains("0.0000"), "{table}");
    assert!(expected.contains("unknown"), "{table}");
}

#[test]
fn min_is_complete_when_the_cheapest_path_is() {
    // The cheapest path of opt-in-mixed sends nothing billable; the dearest has a price
    // unknown on 2025-08-01 (the 2025-07-01 card has no row for the United Kingdom).
    let (code, out, _) = run(&[
        "cost",
        "flows/opt-in-mixed.yaml",
        "--market",
        "GB",
        "--at",
        "2025-08-01",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let f = &doc["flows"][0];
    assert_eq!(f["complete"], false, "{f}");
    let cheapest = &f["paths"][0];
    assert_eq!(cheapest["billable"], serde_json::json!({}), "{f}");
    assert_eq!(cheapest["unknown_prices"], 0, "{f}");
    let (_, table, _) = run(&[
        "cost",
        "flows/opt-in-mixed.yaml",
        "--market",
        "GB",
        "--at",
        "2025-08-01",
    ]);
    let row = table.lines().find(|l| l.contains("GB")).unwrap();
    let cells: Vec<&str> = row.split('┆').map(str::trim).collect();
    // flow, market, model, card, units, min, expected, max
    assert_eq!(cells[5], "0.0000", "{table}");
    assert_eq!(cells[6], "unknown", "{table}");
}

#[test]
fn rates_refuses_a_date_before_any_pricing_model() {
    let (code, out, err) = run(&["rates", "--at", "2023-01-01"]);
    assert_eq!(code, 2, "{out}");
    assert!(err.contains("before 2023-06-01"), "{err}");
}

#[test]
fn huge_audiences_are_refused_and_short_forms_accepted() {
    let base = [
        "cost",
        "flows/abandoned-cart.yaml",
        "--market",
        "DE",
        "--at",
        "2026-09-15",
        "--format",
        "json",
        "--audience",
    ];
    let recipients = |n: &str| {
        let (code, out, err) = run(&[&base[..], &[n]].concat());
        assert_eq!(code, 0, "{n}: {err}");
        let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
        doc["flows"][0]["audience"]["recipients"].as_u64().unwrap()
    };
    for n in ["10k", "10K", "10_000", "10,000", "10000"] {
        assert_eq!(recipients(n), 10_000, "{n}");
    }
    assert_eq!(recipients("1m"), 1_000_000);
    assert_eq!(recipients("1.5m"), 1_500_000);
    for bad in [
        "18446744073709551615",
        "0",
        "ten",
        "1.5",
        "10kk",
        "1,5m",
        "1__0",
        "_1",
        "1_",
    ] {
        let (code, out, err) = run(&[&base[..], &[bad]].concat());
        assert_eq!(code, 2, "{bad}: {out}");
        assert!(err.contains("--audience"), "{bad}: {err}");
        assert!(!err.contains("panicked"), "{bad}: {err}");
    }
    // The largest audience allowed prices without wrapping round to a negative total.
    let (code, out, err) = run(&[&base[..], &["1000000000000"]].concat());
    assert_eq!(code, 0, "{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let total = doc["flows"][0]["audience"]["expected_usd"]
        .as_f64()
        .unwrap();
    assert!(total > 2.0e11, "{total}");
}

#[test]
fn an_audience_total_past_the_largest_amount_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    // A card whose marketing price is a million dollars a message.
    let card = write(
        dir.path(),
        "dear.csv",
        "market,category,price_usd,unit,effective_date\nGermany,marketing,1000000,message,2026-01-01\n",
    );
    let (code, out, err) = run(&[
        "cost",
        "flows/abandoned-cart.yaml",
        "--market",
        "DE",
        "--at",
        "2026-09-15",
        "--rates",
        &card,
        "--audience",
        "1000000000",
    ]);
    assert_eq!(code, 2, "{out}");
    assert!(err.contains("largest amount flowcost counts"), "{err}");
}

#[test]
fn init_makes_a_project_that_lints_clean() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("p");
    let (code, _, err) = run(&["init", &project.display().to_string()]);
    assert_eq!(code, 0, "{err}");
    let toml = std::fs::read_to_string(project.join("flowcost.toml")).unwrap();
    assert!(toml.contains("templates = \"templates.yaml\""), "{toml}");
    // The catalog named in flowcost.toml is read by every command, from the project's folder.
    for args in [
        &["lint", "flows", "--at", "2026-09-15"][..],
        &["simulate", "flows/welcome.yaml", "--at", "2026-09-15"],
        &["graph", "flows/welcome.yaml", "--at", "2026-09-15"],
    ] {
        let (code, out, err) = output(flowcost().current_dir(&project).args(args));
        assert_eq!(code, 0, "{args:?}: {out}{err}");
    }
}

#[test]
fn unknown_templates_are_not_said_to_be_marketing() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("p");
    run(&["init", &project.display().to_string()]);
    let (code, out, err) = output(flowcost().current_dir(&project).args([
        "lint",
        "flows",
        "--no-config",
        "--at",
        "2026-09-15",
    ]));
    let err = out + &err;
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("the template `order_confirmed` is not in the catalog"),
        "{err}"
    );
    assert!(!err.contains("category: marketing"), "{err}");
    assert!(err.contains("flowcost.toml"), "{err}");
}

#[cfg(unix)]
#[test]
fn init_checks_everything_before_writing_anything() {
    let dir = tempfile::tempdir().unwrap();
    let outside = dir.path().join("outside");
    std::fs::create_dir(&outside).unwrap();
    // A symbolic link where the flows folder goes: nothing written, outside or inside.
    let linked = dir.path().join("linked");
    std::fs::create_dir(&linked).unwrap();
    std::os::unix::fs::symlink(&outside, linked.join("flows")).unwrap();
    let (code, _, err) = run(&["init", &linked.display().to_string()]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("symbolic link"), "{err}");
    assert!(err.contains("writes nothing"), "{err}");
    assert_eq!(std::fs::read_dir(&outside).unwrap().count(), 0);
    assert_eq!(std::fs::read_dir(&linked).unwrap().count(), 1);
    // A dangling link and a file where a folder goes: both named, nothing written.
    let broken = dir.path().join("broken");
    std::fs::create_dir(&broken).unwrap();
    std::os::unix::fs::symlink(dir.path().join("nowhere"), broken.join("templates.yaml")).unwrap();
    std::fs::write(broken.join("schema"), "").unwrap();
    let (code, _, err) = run(&["init", &broken.display().to_string()]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("templates.yaml exists"), "{err}");
    assert!(
        err.contains("schema is a file where init puts a folder"),
        "{err}"
    );
    let mut names: Vec<String> = std::fs::read_dir(&broken)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["schema", "templates.yaml"]);
}

#[test]
fn mixed_categories_help_fits_the_mix() {
    let dir = tempfile::tempdir().unwrap();
    let flow = write(
        dir.path(),
        "otp-promo.yaml",
        "flow: otp-promo\ntrigger: business_event\nmarket: DE\ntemplates:\n  code: { category: authentication, status: approved }\n  promo: { category: marketing, status: approved }\nnodes:\n  - { id: send_code, type: send_update, template: code }\n  - { id: offer, type: send_update, template: promo }\n",
    );
    let (code, out, err) = run(&["lint", &flow, "--at", "2026-11-02", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let help = out
        .lines()
        .find(|l| l.contains("\"help\"") && l.contains("rate"))
        .unwrap_or_default();
    assert!(
        help.contains("authentication and marketing templates"),
        "{out}"
    );
    assert!(!help.contains("Send message nodes only (service)"), "{out}");
    assert!(!help.contains("service part"), "{out}");
}

#[test]
fn tabs_are_blamed_only_near_the_error() {
    let dir = tempfile::tempdir().unwrap();
    // A tab inside a text far above (valid YAML); the error is a bad indentation below.
    let flow = write(
        dir.path(),
        "indent.yaml",
        "flow: indent\ndescription: |\n  first line\n  \tsecond line after a tab\ntrigger: customer_message\nnodes:\n  - id: a\n    type: end\n   bad: indentation\n",
    );
    let (code, _, err) = run(&["simulate", &flow, "--at", "2026-09-15"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("invalid YAML"), "{err}");
    assert!(!err.contains("replace the tabs"), "{err}");
    let tabbed = write(
        dir.path(),
        "tabbed.yaml",
        "flow: tabbed\ntrigger: customer_message\nnodes:\n\t- id: a\n\t  type: end\n",
    );
    let (_, _, err) = run(&["simulate", &tabbed, "--at", "2026-09-15"]);
    assert!(err.contains("replace the tabs"), "{err}");
}

#[test]
fn text_on_a_send_update_node_points_at_send_message() {
    let dir = tempfile::tempdir().unwrap();
    let flow = write(
        dir.path(),
        "text.yaml",
        "flow: text\ntrigger: customer_message\nnodes:\n  - id: a\n    type: send_update\n    text: Hello\n",
    );
    let (code, _, err) = run(&["simulate", &flow, "--at", "2026-09-15"]);
    assert_eq!(code, 2, "{err}");
    assert!(!err.contains("did you mean `next`"), "{err}");
    assert!(err.contains("write `template: NAME`"), "{err}");
    assert!(err.contains("`send_message` node"), "{err}");
}

#[test]
fn the_size_limit_message_has_a_sensible_unit() {
    let (code, _, err) = output(flowcost().env("FLOWCOST_MAX_FILE_BYTES", "100").args([
        "simulate",
        "flows/abandoned-cart.yaml",
        "--at",
        "2026-09-15",
    ]));
    assert_eq!(code, 2, "{err}");
    assert!(!err.contains("0 MiB"), "{err}");
    assert!(err.contains("(100 bytes)"), "{err}");
}

#[test]
fn a_flow_is_read_from_standard_input() {
    let text = std::fs::read_to_string("flows/abandoned-cart.yaml").unwrap();
    for command in ["simulate", "lint", "cost", "graph"] {
        let (code, out, err) = output(
            flowcost()
                .args([command, "-", "--at", "2026-09-15"])
                .write_stdin(text.clone()),
        );
        assert_eq!(code, 0, "{command}: {out}{err}");
    }
    let (code, _, err) = output(
        flowcost()
            .args(["simulate", "-", "--at", "2026-09-15"])
            .write_stdin("flow: x\nnodes: []\n"),
    );
    assert_eq!(code, 2);
    assert!(err.contains("<stdin>:"), "{err}");
}

#[test]
fn quiet_drops_notes_of_cost_and_rates() {
    let cost = [
        "cost",
        "flows/abandoned-cart.yaml",
        "--at",
        "2026-09-15",
        "--market",
        "AQ",
    ];
    let rates = ["rates", "--at", "2026-09-15", "--market", "DE"];
    for args in [&cost[..], &rates[..]] {
        let (_, loud, _) = run(args);
        assert!(loud.contains("note: "), "{args:?}: {loud}");
        let (code, quiet, _) = run(&[args, &["-q"]].concat());
        assert_eq!(code, 0);
        assert!(!quiet.contains("note: "), "{args:?}: {quiet}");
    }
}

#[test]
fn tables_fit_the_width_they_are_given() {
    let args = [
        "cost",
        "flows/opt-in-mixed.yaml",
        "--market",
        "BR,DE",
        "--at",
        "2025-08-01",
        "--audience",
        "1000000000",
    ];
    let widest = |out: &str| out.lines().map(|l| l.chars().count()).max().unwrap_or(0);
    let (code, wide, _) = output(flowcost().env("COLUMNS", "250").args(args));
    assert_eq!(code, 0);
    assert!(wide.contains("billable per recipient (expected)"), "{wide}");
    assert!(wide.contains("all on dearest path"), "{wide}");
    assert!(widest(&wide) > 160 && widest(&wide) <= 250, "{wide}");
    let (_, narrow, _) = output(flowcost().env("COLUMNS", "80").args(args));
    let table_lines = narrow
        .lines()
        .filter(|l| l.starts_with(['│', '┌', '└', '╞']));
    assert!(
        table_lines.map(|l| l.chars().count()).all(|n| n <= 80),
        "{narrow}"
    );
}

#[test]
fn csv_has_one_value_per_cell() {
    let (code, out, _) = run(&[
        "cost",
        "flows/opt-in-mixed.yaml",
        "--market",
        "DE,AQ",
        "--at",
        "2026-11-02",
        "--format",
        "csv",
    ]);
    assert_eq!(code, 0);
    let mut lines = out.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(&header[..3], ["flow", "country", "market"], "{out}");
    assert!(header.contains(&"marketing per recipient"), "{out}");
    assert!(header.contains(&"service per recipient"), "{out}");
    for line in lines {
        let cells: Vec<&str> = line.split(',').collect();
        assert_eq!(cells.len(), header.len(), "{line}");
        assert!(!line.contains('·') && !line.contains(" ("), "{line}");
        let column = |name: &str| cells[header.iter().position(|h| *h == name).unwrap()];
        assert!(["DE", "AQ"].contains(&column("country")), "{line}");
        assert!(["Germany", "Other"].contains(&column("market")), "{line}");
        for amount in ["min", "expected", "max", "marketing per recipient"] {
            assert!(column(amount).parse::<f64>().is_ok(), "{amount}: {line}");
        }
    }
    let (_, by_path, _) = run(&[
        "cost",
        "flows/opt-in-mixed.yaml",
        "--market",
        "DE",
        "--at",
        "2026-11-02",
        "--format",
        "csv",
        "--group-by",
        "path",
    ]);
    assert!(
        by_path.starts_with("flow,country,market,path,route,weight,"),
        "{by_path}"
    );
    assert!(!by_path.contains(" + "), "{by_path}");
}

#[test]
fn simulate_says_which_market_a_country_is_billed_in() {
    for (country, market) in [("AQ", "Other"), ("DE", "Germany"), ("ZW", "Rest of Africa")] {
        let (code, out, err) = run(&[
            "simulate",
            "flows/abandoned-cart.yaml",
            "--at",
            "2026-09-15",
            "--market",
            country,
        ]);
        assert_eq!(code, 0, "{err}");
        let line = format!("market {country} (billed as {market})");
        assert!(out.contains(&line), "{line}: {out}");
    }
}

#[test]
fn init_refuses_a_file_as_its_directory() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "project", "not a folder\n");
    let (code, _, err) = run(&["init", &file]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("is a file, not a folder"), "{err}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "not a folder\n");
}

#[test]
fn columns_that_is_no_width_keeps_the_fixed_width() {
    let args = ["rates", "--at", "2026-11-02", "--market", "DE"];
    let (_, fixed, _) = run(&args);
    for columns in ["0", "wide"] {
        let (code, out, _) = output(flowcost().env("COLUMNS", columns).args(args));
        assert_eq!(code, 0);
        assert_eq!(out, fixed, "COLUMNS={columns}");
    }
}

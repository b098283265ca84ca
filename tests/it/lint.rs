//! `flowcost lint`, `rules` and `explain`: every rule fires on a flow that shows it and stays
//! quiet on one that does not; exit codes; severity control; config file; output formats.

use super::common::{flowcost, run};
use serde_json::Value;
use std::path::Path;

fn findings(args: &[&str]) -> (i32, Vec<Value>) {
    let mut all = vec!["lint", "--no-config", "--format", "json"];
    all.extend_from_slice(args);
    let (code, stdout, stderr) = run(&all);
    let v: Value =
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}{stderr}"));
    (code, v.as_array().unwrap().clone())
}

/// The date each rule is checked at: the model it needs.
fn date_for(rule: &str) -> &'static str {
    match rule {
        "window-just-missed" => "2024-06-01T10:00:00Z",
        _ => "2026-11-02T10:00:00Z",
    }
}

const RULES: &[(&str, &str, &str)] = &[
    ("mixed-categories", "FC001", "warning"),
    ("free-form-outside-window", "FC002", "error"),
    ("window-closed-by-wait", "FC003", "warning"),
    ("window-just-missed", "FC004", "warning"),
    ("post-purchase-marketing", "FC005", "warning"),
    ("template-not-approved", "FC006", "error"),
    ("category-mismatch", "FC007", "error"),
    ("unreachable-node", "FC008", "warning"),
    ("dead-end", "FC009", "warning"),
    ("service-reply-burst", "FC011", "warning"),
    ("promotional-utility", "FC012", "warning"),
    ("unused-template", "FC013", "warning"),
    ("recategorised-template", "FC014", "warning"),
    ("zero-weight-branch", "FC015", "warning"),
    ("uncategorised-template", "FC016", "warning"),
];

#[test]
fn every_rule_fires_on_its_bad_flow_and_not_on_its_good_one() {
    for (rule, code, severity) in RULES {
        let dir = format!("tests/fixtures/lint/{rule}");
        let at = date_for(rule);
        let (_, found) = findings(&[&format!("{dir}/bad.yaml"), "--at", at]);
        let mine: Vec<&Value> = found.iter().filter(|f| f["name"] == *rule).collect();
        assert!(!mine.is_empty(), "{rule} did not fire: {found:#?}");
        for f in &mine {
            assert_eq!(f["code"], *code);
            assert_eq!(f["severity"], *severity, "{rule}");
            assert!(
                f["line"].as_u64().unwrap() > 0 && f["column"].as_u64().unwrap() > 0,
                "{rule}: {f}"
            );
            assert!(f["help"].as_str().is_some_and(|h| !h.is_empty()), "{rule}");
        }
        let (_, found) = findings(&[&format!("{dir}/good.yaml"), "--at", at]);
        assert!(
            found.iter().all(|f| f["name"] != *rule),
            "{rule} fired on good.yaml: {found:#?}"
        );
        let (_, human, _) = run(&[
            "lint",
            "--no-config",
            &format!("{dir}/bad.yaml"),
            "--at",
            at,
        ]);
        assert!(human.contains(&format!("{code} {rule}")), "{human}");
        insta::assert_snapshot!(format!("lint_{rule}_human"), human);
        insta::assert_json_snapshot!(format!("lint_{rule}_json"), mine);
    }
}

#[test]
fn every_registered_rule_is_tested_here() {
    let (_, listing, _) = run(&["rules"]);
    for line in listing.lines().filter(|l| l.contains("FC0")) {
        let name = line.split('┆').nth(1).unwrap().trim();
        assert!(
            name == "loop-without-wait" || RULES.iter().any(|(r, ..)| *r == name),
            "{name} has no fixture"
        );
    }
}

#[test]
fn mixed_categories_explains_each_pricing_model() {
    let bad = "tests/fixtures/lint/mixed-categories/bad.yaml";
    let (_, cbp) = findings(&[bad, "--at", "2024-06-01"]);
    assert!(cbp[0]["message"]
        .as_str()
        .unwrap()
        .contains("2 billable conversations per recipient"));
    assert!(cbp[0]["help"]
        .as_str()
        .unwrap()
        .contains("every category opens a conversation of its own, and each is billed"));
    // From 2024-11-01 the service conversation is free: one category billed, no mix (the same
    // definition as `simulate`'s warning).
    let (_, free) = findings(&[bad, "--at", "2025-01-15"]);
    assert!(
        free.iter().all(|f| f["name"] != "mixed-categories"),
        "{free:#?}"
    );
    // Under pmp the free-form greeting is free: only marketing is charged, nothing is mixed.
    let (_, pmp) = findings(&[bad, "--at", "2025-08-01"]);
    assert!(
        pmp.iter().all(|f| f["name"] != "mixed-categories"),
        "{pmp:#?}"
    );
    let (_, today) = findings(&[bad, "--at", "2026-11-02"]);
    assert!(today[0]["message"]
        .as_str()
        .unwrap()
        .contains("2 billable messages per recipient (1 marketing, 1 service)"));
    assert!(today[0]["help"]
        .as_str()
        .unwrap()
        .contains("since 2026-10-01 free-form (service) messages are charged too"));
    // The ad flow's free entry point is free whatever its category: no mix.
    let (_, ad) = findings(&["flows/click-to-whatsapp-ad.yaml", "--at", "2024-06-01"]);
    assert!(
        ad.iter().all(|f| f["name"] != "mixed-categories"),
        "{ad:#?}"
    );
}

#[test]
fn exit_codes_follow_the_fail_level() {
    let clean = "tests/fixtures/lint/mixed-categories/good.yaml";
    let warns = "tests/fixtures/lint/mixed-categories/bad.yaml";
    let errs = "tests/fixtures/lint/free-form-outside-window/bad.yaml";
    let at = ["--at", "2026-11-02", "--no-config"];
    let code = |extra: &[&str]| run(&[&["lint"], extra, &at[..]].concat()).0;
    assert_eq!(code(&[clean]), 0);
    assert_eq!(code(&[warns]), 0, "warnings do not fail by default");
    assert_eq!(code(&[warns, "--fail-on", "warning"]), 1);
    assert_eq!(code(&[errs]), 1);
    assert_eq!(code(&[errs, "--allow", "free-form-outside-window"]), 0);
    assert_eq!(code(&[warns, "--deny", "mixed-categories"]), 1);
    assert_eq!(code(&[warns, "--deny", "FC001"]), 1);
    assert_eq!(code(&[errs, "--warn", "all"]), 0);
    assert_eq!(
        code(&[errs, "--allow", "all", "--deny", "FC002"]),
        1,
        "a named rule beats `all`"
    );
    assert_eq!(code(&["tests/fixtures/bad/syntax.yaml"]), 2);
    assert_eq!(
        code(&[clean, "tests/fixtures/bad/syntax.yaml"]),
        2,
        "bad input wins over findings"
    );
    assert_eq!(code(&[clean, "--deny", "mixed-category"]), 2);
    assert_eq!(code(&["tests/fixtures/lint/no-such-file.yaml"]), 2);
    let (_, _, stderr) = run(&["lint", clean, "--deny", "mixed-category", "--no-config"]);
    assert!(
        stderr.contains("did you mean `mixed-categories`?"),
        "{stderr}"
    );
}

#[test]
fn directories_are_searched_and_linted_together() {
    let (code, found) = findings(&["tests/fixtures/lint", "--at", "2026-11-02"]);
    assert_eq!(
        code, 2,
        "the directory holds a suppression without a reason"
    );
    let files: std::collections::BTreeSet<&str> =
        found.iter().map(|f| f["file"].as_str().unwrap()).collect();
    assert!(files.len() >= 14, "{files:?}");
    let (_, human, _) = run(&["lint", "--no-config", "flows", "--at", "2026-11-02"]);
    assert!(
        human.ends_with("0 errors, 1 warning in 6 files\n"),
        "{human}"
    );
}

#[test]
fn example_flows_are_clean_except_what_they_demonstrate() {
    for entry in std::fs::read_dir("flows").unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        // A file says what it demonstrates in a comment: `# demonstrates: RULE`.
        let demonstrates: Vec<&str> = text
            .lines()
            .filter_map(|l| l.strip_prefix("# demonstrates: "))
            .collect();
        for at in ["2024-06-01", "2025-01-15", "2025-08-01", "2026-11-02"] {
            let (_, found) = findings(&[path.to_str().unwrap(), "--at", at]);
            for f in &found {
                let name = f["name"].as_str().unwrap();
                assert!(
                    demonstrates.contains(&name),
                    "{} at {at}: {f}",
                    path.display()
                );
            }
        }
    }
}

#[test]
fn inline_suppressions_need_a_reason_and_a_known_rule() {
    let (code, found) = findings(&["tests/fixtures/lint/suppressed.yaml", "--at", "2026-11-02"]);
    assert_eq!((code, found.len()), (0, 0), "{found:#?}");
    let (code, found) = findings(&[
        "tests/fixtures/lint/suppressed.yaml",
        "--at",
        "2026-11-02",
        "--deny",
        "mixed-categories",
    ]);
    assert_eq!(
        code, 1,
        "a level named on the command line beats an inline allow"
    );
    assert_eq!(found[0]["name"], "mixed-categories");
    let (code, stdout, _) = run(&[
        "lint",
        "--no-config",
        "tests/fixtures/lint/suppression-without-reason.yaml",
    ]);
    assert_eq!(code, 2);
    assert!(
        stdout.contains("the suppression has no `reason`"),
        "{stdout}"
    );
    let (code, found) = findings(&[
        "tests/fixtures/lint/suppression-unknown-rule.yaml",
        "--at",
        "2026-11-02",
    ]);
    assert_eq!(code, 2);
    assert_eq!(found[0]["code"], "flowcost::unknown-rule");
    assert!(found[0]["help"]
        .as_str()
        .unwrap()
        .contains("did you mean `mixed-categories`?"));
}

#[test]
fn flowcost_toml_is_found_by_walking_up_and_flags_override_it() {
    let dir = tempfile::tempdir().unwrap();
    let nested = dir.path().join("flows/nested");
    std::fs::create_dir_all(&nested).unwrap();
    std::fs::write(
        dir.path().join("flowcost.toml"),
        "fail-on = \"warning\"\n[rules]\nunreachable-node = \"allow\"\n",
    )
    .unwrap();
    let flow =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lint/mixed-categories/bad.yaml");
    std::fs::copy(&flow, nested.join("flow.yaml")).unwrap();
    let lint = |extra: &[&str]| {
        let mut cmd = flowcost();
        cmd.current_dir(&nested)
            .args(["lint", "flow.yaml", "--at", "2026-11-02"])
            .args(extra);
        cmd.output().unwrap().status.code().unwrap()
    };
    assert_eq!(lint(&[]), 1, "fail-on = warning from the config");
    assert_eq!(
        lint(&["--fail-on", "error"]),
        0,
        "the command line overrides the config"
    );
    assert_eq!(lint(&["--no-config"]), 0);
    std::fs::write(
        dir.path().join("flowcost.toml"),
        "[rules]\nmixed-categorie = \"error\"\n",
    )
    .unwrap();
    let out = flowcost()
        .current_dir(&nested)
        .args(["lint", "flow.yaml", "--at", "2026-11-02"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("flowcost.toml:2:1") && stderr.contains("did you mean `mixed-categories`?"),
        "{stderr}"
    );
}

#[test]
fn sarif_and_github_formats() {
    let bad = "tests/fixtures/lint/window-closed-by-wait/bad.yaml";
    let (code, sarif, _) = run(&[
        "lint",
        "--no-config",
        bad,
        "--at",
        "2026-11-02",
        "--format",
        "sarif",
    ]);
    assert_eq!(code, 1);
    let log: Value = serde_json::from_str(&sarif).unwrap();
    assert_eq!(log["version"], "2.1.0");
    let run0 = &log["runs"][0];
    assert_eq!(run0["tool"]["driver"]["name"], "flowcost");
    assert!(run0["tool"]["driver"]["rules"].as_array().unwrap().len() >= 15);
    let results = run0["results"].as_array().unwrap();
    let ids: Vec<&str> = results
        .iter()
        .map(|r| r["ruleId"].as_str().unwrap())
        .collect();
    assert_eq!(ids, vec!["FC003", "FC002"]);
    let region = &results[1]["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (region["startLine"].as_u64(), region["startColumn"].as_u64()),
        (Some(6), Some(11))
    );
    assert_eq!(results[1]["level"], "error");
    let rule_index = results[1]["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(run0["tool"]["driver"]["rules"][rule_index]["id"], "FC002");

    let (_, github, _) = run(&[
        "lint",
        "--no-config",
        bad,
        "--at",
        "2026-11-02",
        "--format",
        "github",
    ]);
    let lines: Vec<&str> = github.lines().collect();
    assert_eq!(lines.len(), 2, "{github}");
    assert!(
        lines[1].starts_with(&format!(
            "::error file={bad},line=6,col=11,title=FC002 free-form-outside-window::"
        )),
        "{github}"
    );
    assert!(lines[0].starts_with("::warning "), "{github}");
    assert!(lines[1].contains("%0A"), "newlines are escaped: {github}");

    let out = flowcost()
        .env("GITHUB_ACTIONS", "true")
        .args(["lint", "--no-config", bad, "--at", "2026-11-02"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("FC002 free-form-outside-window") && text.contains("::error file="),
        "{text}"
    );
}

#[test]
fn rules_and_explain() {
    let (code, listing, _) = run(&["rules"]);
    assert_eq!(code, 0);
    assert!(
        listing.contains("FC001")
            && listing.contains("mixed-categories")
            && listing.contains("warning")
    );
    for name in ["mixed-categories", "FC002", "fc010"] {
        let (code, doc, _) = run(&["explain", name]);
        assert_eq!(code, 0, "{name}");
        for section in [
            "## What it does",
            "## Why is this bad?",
            "## Example",
            "## How to fix",
        ] {
            assert!(doc.contains(section), "{name}: {doc}");
        }
    }
    let (_, doc, _) = run(&["explain", "mixed-categories"]);
    assert!(
        doc.starts_with("mixed-categories (FC001, default: warning)"),
        "{doc}"
    );
    assert!(doc.contains("2026-10-01"));
    insta::assert_snapshot!("explain_mixed_categories", doc);
    let (code, _, stderr) = run(&["explain", "mixed-category"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("did you mean `mixed-categories`?"),
        "{stderr}"
    );
}

#[test]
fn loops_without_wait_are_refused_by_lint_too() {
    let (code, out, _) = run(&[
        "lint",
        "--no-config",
        "tests/fixtures/bad/loop-without-wait.yaml",
    ]);
    assert_eq!(code, 2);
    assert!(out.contains("flowcost::loop-without-wait"), "{out}");
}

/// With a market (the flow's `market` or `--market`), findings say what they cost or save,
/// at the rate card in force (figures checked by hand against `rates/`).
#[test]
fn findings_carry_prices_when_the_market_is_known() {
    let text = |rule: &str, at: &str| {
        let (_, found) = findings(&[
            &format!("tests/fixtures/lint/{rule}/bad.yaml"),
            "--at",
            at,
            "--market",
            "DE",
        ]);
        let f = found.iter().find(|f| f["name"] == rule).unwrap().clone();
        format!("{} {}", f["message"], f["help"])
    };
    // Germany 2026-10-01 card: marketing 0.1365 + service at the utility rate 0.0550.
    assert!(text("mixed-categories", "2026-11-02").contains("= USD 0.1915 at Germany rates"));
    assert!(text("promotional-utility", "2026-11-02")
        .contains("marketing USD 0.1365 against utility USD 0.0550 per message"));
    // Two merged replies save 2 × 0.0550.
    assert!(text("service-reply-burst", "2026-11-02").contains("(USD 0.1100 at Germany rates)"));
    // Germany utility conversation on the 2023-06-01 card, before the 2024-08-01 cut: 0.0853.
    assert!(text("window-just-missed", "2024-06-01").contains("(USD 0.0853 at Germany rates)"));
    // Without a market, counts only.
    let (_, found) = findings(&[
        "tests/fixtures/lint/mixed-categories/bad.yaml",
        "--at",
        "2026-11-02",
    ]);
    assert!(!found[0]["message"].as_str().unwrap().contains("USD"));
    // One market only.
    let (code, _, stderr) = run(&["lint", "--no-config", "flows", "--market", "DE,IN"]);
    assert_eq!(code, 2, "{stderr}");
}

#[test]
fn uncategorised_template_prices_the_range_for_a_market() {
    let bad = "tests/fixtures/lint/uncategorised-template/bad.yaml";
    let (code, found) = findings(&[bad, "--at", "2026-11-02", "--market", "BR"]);
    assert_eq!(code, 0, "a warning does not fail: {found:#?}");
    let f = found.iter().find(|f| f["code"] == "FC016").unwrap();
    assert!(
        f["message"].as_str().unwrap().ends_with(
            ": a send costs from USD 0.0068 (utility) to USD 0.0625 (marketing) at Brazil rates"
        ),
        "{f}"
    );
}

#[test]
fn a_file_whose_linting_crashes_fails_the_run_and_the_others_are_still_reported() {
    // Debug builds panic on the file FLOWCOST_TEST_PANIC_ON names (fault injection).
    for _ in 0..3 {
        let out = flowcost()
            .env("FLOWCOST_TEST_PANIC_ON", "opt-in-mixed.yaml")
            .args([
                "lint",
                "--no-config",
                "--format",
                "json",
                "--at",
                "2026-11-02",
            ])
            .args(["flows/opt-in-mixed.yaml", "examples/ci/reminder.yaml"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "a crash must fail the run");
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        let crash: Vec<&Value> = v
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["code"] == "flowcost::internal-error")
            .collect();
        assert_eq!(crash.len(), 1, "{v:#}");
        assert!(crash[0]["file"]
            .as_str()
            .unwrap()
            .ends_with("opt-in-mixed.yaml"));
        let (_, alone) = findings(&["examples/ci/reminder.yaml", "--at", "2026-11-02"]);
        assert!(
            !alone.is_empty(),
            "the good file must have findings to lose"
        );
        let others: Vec<&Value> = v
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["file"].as_str().unwrap().ends_with("reminder.yaml"))
            .collect();
        assert_eq!(
            others.len(),
            alone.len(),
            "the good file's findings stay: {v:#}"
        );
    }
}

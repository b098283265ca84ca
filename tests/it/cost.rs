//! `cost`, `diff`, `rates` and `--compare-at` through the binary. Every expected number below
//! was worked out by hand from the CSVs in `rates/` (the comments show the arithmetic).

use super::common::run;
use serde_json::Value;

fn ok(args: &[&str]) -> String {
    let (code, stdout, stderr) = run(args);
    assert_eq!(code, 0, "{args:?}: {stderr}");
    stdout
}

fn json(args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    serde_json::from_str(&ok(&all)).unwrap()
}

fn usd(v: &Value) -> i64 {
    (v.as_f64().unwrap() * 1e6).round() as i64
}

/// The flow's cost for one market, from a `cost --format json` document.
fn flow<'a>(doc: &'a Value, name: &str, country: &str) -> &'a Value {
    doc["flows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["flow"] == name && f["country"] == country)
        .unwrap_or_else(|| panic!("{name} {country} missing"))
}

fn category<'a>(f: &'a Value, c: &str) -> &'a Value {
    f["categories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["category"] == c)
        .unwrap_or_else(|| panic!("{c} missing in {f}"))
}

#[test]
fn mixed_opt_in_flow_in_two_markets_on_both_sides_of_every_rule_change() {
    let doc = json(&[
        "cost",
        "flows/opt-in-mixed.yaml",
        "--market",
        "GB,IN",
        "--at",
        "2024-10-15",
        "--compare-at",
        "2024-11-15",
        "--compare-at",
        "2025-06-15",
        "--compare-at",
        "2025-07-15",
        "--compare-at",
        "2026-09-15",
        "--compare-at",
        "2026-10-15",
    ]);
    let gb = &doc["comparisons"][0];
    let expected: Vec<i64> = gb["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| usd(&c["expected_usd"]))
        .collect();
    // GB, reply rate 0.3; service on every path, marketing on the replied one.
    // 2024-10-15 cbp: service 0.0388 + 0.3 × marketing 0.0529 = 0.05467
    // 2024-11-15 cbp-2024-11: service free: 0.3 × 0.0529 = 0.01587
    // 2025-06-15: same
    // 2025-07-15 pmp: the 2025-07-01 card has no GB row: 0 known (incomplete)
    // 2026-09-15 pmp: 0.3 × 0.0635 (2026-07-01 card) = 0.01905
    // 2026-10-15 pmp-2026-10: + service at the utility rate 0.0220 = 0.04105
    assert_eq!(expected, [54_670, 15_870, 15_870, 0, 19_050, 41_050]);
    let complete: Vec<bool> = gb["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["complete"].as_bool().unwrap())
        .collect();
    assert_eq!(complete, [true, true, true, false, true, true]);
    let causes = gb["changes"][4]["causes"].to_string();
    assert!(
        causes.contains("+ service messages charged since 2026-10-01 (node `greet`) [rule 15]"),
        "{causes}"
    );
    let causes = gb["changes"][0]["causes"].to_string();
    assert!(
        causes.contains("service conversations free since 2024-11-01 (node `greet`) [rule 9]"),
        "{causes}"
    );
    let in_ = &doc["comparisons"][1];
    let expected: Vec<i64> = in_["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| usd(&c["expected_usd"]))
        .collect();
    // India: 2024-10-15 service 0.0040 + 0.3 × 0.0107 = 0.00721; then 0.3 × 0.0107 = 0.00321;
    // 2025-07-15 the same (India marketing 0.0107 on the 2025-07-01 card; free-form free);
    // 2026-09-15 0.3 × 0.0118 = 0.00354; 2026-10-15 + 0.0014 = 0.00494.
    assert_eq!(expected, [7_210, 3_210, 3_210, 3_210, 3_540, 4_940]);
    let (_, table, _) = run(&[
        "cost",
        "flows/opt-in-mixed.yaml",
        "--market",
        "GB,IN",
        "--at",
        "2024-10-15",
        "--compare-at",
        "2024-11-15",
        "--compare-at",
        "2025-07-15",
        "--compare-at",
        "2026-09-15",
        "--compare-at",
        "2026-10-15",
    ]);
    insta::assert_snapshot!("compare_opt_in_mixed_gb_in", table);
}

#[test]
fn the_uk_example_of_the_issue() {
    let out = ok(&[
        "simulate",
        "flows/opt-in-mixed.yaml",
        "--market",
        "GB",
        "--at",
        "2026-09-15T10:00:00Z",
        "--compare-at",
        "2026-11-02T10:00:00Z",
    ]);
    // The cause cell may wrap in the table; the JSON below has it whole.
    assert!(
        out.contains("+ service messages charged since 2026-10-01"),
        "{out}"
    );
    assert!(out.contains("`greet`) [rule 15]"), "{out}");
    assert!(out.contains("1.00 × 0.0220 = 0.0220"), "{out}");
    let doc = json(&[
        "simulate",
        "flows/opt-in-mixed.yaml",
        "--market",
        "GB",
        "--at",
        "2026-09-15T10:00:00Z",
        "--compare-at",
        "2026-11-02T10:00:00Z",
    ]);
    // The simulate contract keeps its fields and gains `comparison`.
    assert_eq!(doc["schema_version"], 1);
    assert_eq!(doc["pricing_model"], "pmp");
    let cols = &doc["comparison"]["columns"];
    assert_eq!(cols[0]["pricing_model"], "pmp");
    assert_eq!(cols[1]["pricing_model"], "pmp-2026-10");
    assert_eq!(
        usd(&doc["comparison"]["changes"][0]["expected_delta_usd"]),
        22_000
    );
}

#[test]
fn example_flows_in_two_markets_by_category() {
    for at in ["2024-10-15", "2026-11-02"] {
        let out = ok(&[
            "cost",
            "flows",
            "--market",
            "GB,IN",
            "--at",
            at,
            "--group-by",
            "category",
        ]);
        insta::assert_snapshot!(format!("cost_examples_gb_in_{at}"), out);
    }
    let doc = json(&["cost", "flows", "--market", "GB,IN", "--at", "2026-11-02"]);
    // Post-purchase: three utility messages: GB 3 × 0.0220, IN 3 × 0.0014.
    assert_eq!(
        usd(&flow(&doc, "post-purchase-updates", "GB")["expected_usd"]),
        66_000
    );
    assert_eq!(
        usd(&flow(&doc, "post-purchase-updates", "IN")["expected_usd"]),
        4_200
    );
    // Abandoned cart (marketing): replied 0.3 × 2, silent 0.7 × (½ × 2 + ½ × 1) = 0.6 + 1.05.
    let cart = flow(&doc, "abandoned-cart", "GB");
    assert_eq!(category(cart, "marketing")["expected_units"], 1.65);
    assert_eq!(usd(&cart["expected_usd"]), 104_775); // 1.65 × 0.0635
                                                     // The ad flow: only the 80 h template is billed.
    assert_eq!(
        usd(&flow(&doc, "spring-sale-ad", "IN")["expected_usd"]),
        11_800
    );
}

#[test]
fn output_formats_and_groupings() {
    let base = [
        "cost",
        "flows/opt-in-mixed.yaml",
        "flows/otp-authentication.yaml",
        "--market",
        "DE,BR",
        "--at",
        "2026-11-02",
    ];
    let csv = ok(&[&base[..], &["--format", "csv"]].concat());
    assert!(
        csv.starts_with("flow,country,market,model,unit,rate cards,marketing per recipient,authentication per recipient,service per recipient,min,expected,max,complete\n"),
        "{csv}"
    );
    assert!(csv.contains("newsletter-opt-in-mixed,DE,Germany,pmp-2026-10,message,2026-10-01.csv,0.30,0.00,1.00,0.0550,0.0960,0.1915,true"), "{csv}");
    let md = ok(&[&base[..], &["--format", "markdown", "--group-by", "path"]].concat());
    assert!(
        md.contains("| flow | market | path | route | weight | billable | cost per recipient |"),
        "{md}"
    );
    // OTP in Brazil: the silent path first (70%), then the replied one (30%).
    assert!(md.contains("| login-otp | BR (Brazil) | 1 | send_code → wait_for_code → resend → done | 70% | 2 authentication | 0.0136 |"), "{md}");
    let by_market = ok(&[&base[..], &["--group-by", "market"]].concat());
    // DE: 0.0960 + 1.7 × 0.0550 = 0.1895
    assert!(by_market.contains("0.1895"), "{by_market}");
}

#[test]
fn a_user_rate_card_overrides_the_builtin_price() {
    let args = [
        "cost",
        "flows/opt-in-single-category.yaml",
        "--at",
        "2026-11-02",
    ];
    let builtin = json(&args);
    // Germany marketing 0.1365 × 1.3 = 0.17745
    assert_eq!(
        usd(&flow(&builtin, "newsletter-opt-in-marketing-only", "DE")["expected_usd"]),
        177_450
    );
    let own = json(
        &[
            &args[..],
            &["--rates", "tests/fixtures/rates/germany-2025.csv"],
        ]
        .concat(),
    );
    let f = flow(&own, "newsletter-opt-in-marketing-only", "DE");
    assert_eq!(usd(&f["expected_usd"]), 130_000); // 1.3 × 0.1000
    assert_eq!(
        category(f, "marketing")["price_card"],
        "tests/fixtures/rates/germany-2025.csv"
    );
    // A user's card also fills the 2025 gap: the built-in 2025-07-01 card has no row for the
    // United Kingdom, so no per-message UK price is known until the 2025-10-01 card.
    let gap_args = [
        "cost",
        "flows/opt-in-single-category.yaml",
        "--at",
        "2025-08-01",
        "--market",
        "GB",
    ];
    let gap = json(&gap_args);
    let f = flow(&gap, "newsletter-opt-in-marketing-only", "GB");
    assert_eq!(f["complete"], false);
    assert_eq!(category(f, "marketing")["price_usd"], Value::Null);
    assert_eq!(category(f, "marketing")["price_unknown"], true);
    assert_eq!(f["paths"][0]["charges"][0]["price_unknown"], true);
    let filled = json(
        &[
            &gap_args[..],
            &["--rates", "tests/fixtures/rates/united-kingdom-2025.csv"],
        ]
        .concat(),
    );
    let f = flow(&filled, "newsletter-opt-in-marketing-only", "GB");
    assert_eq!(f["complete"], true);
    assert_eq!(usd(&f["expected_usd"]), 65_000); // 1.3 × 0.0500
    let rates = ok(&[
        "rates",
        "--market",
        "GB",
        "--at",
        "2025-08-01",
        "--rates",
        "tests/fixtures/rates/united-kingdom-2025.csv",
    ]);
    assert!(rates.contains("│ United Kingdom ┆ 0.0500"), "{rates}");
    // Germany is on the 2025-07-01 card: 1.3 × 0.1365 = 0.17745, and a user's card beats it.
    let de = json(&[
        "cost",
        "flows/opt-in-single-category.yaml",
        "--at",
        "2025-08-01",
    ]);
    let f = flow(&de, "newsletter-opt-in-marketing-only", "DE");
    assert_eq!(f["complete"], true);
    assert_eq!(usd(&f["expected_usd"]), 177_450);
    assert_eq!(category(f, "marketing")["price_card"], "2025-07-01.csv");
}

#[test]
fn unknown_prices_are_counted_and_flagged() {
    let out = ok(&[
        "cost",
        "flows/opt-in-single-category.yaml",
        "--at",
        "2025-08-01",
        "--market",
        "GB",
    ]);
    // The United Kingdom has no row on the 2025-07-01 card (a partial card).
    assert!(out.contains("┆ unknown ┆ unknown  ┆ unknown │"), "{out}");
    assert!(out.contains("not carried past 2025-06-30"), "{out}");
    assert!(out.contains("marketing 1.30"), "{out}");
}

#[test]
fn unknown_countries_bill_at_other_and_say_so() {
    let doc = json(&[
        "cost",
        "flows/opt-in-single-category.yaml",
        "--at",
        "2026-11-02",
        "--market",
        "AQ",
    ]);
    let f = flow(&doc, "newsletter-opt-in-marketing-only", "AQ");
    assert_eq!(f["market"], "Other");
    assert!(f["market_note"]
        .as_str()
        .unwrap()
        .contains("billed at the `Other` rate"));
    assert_eq!(usd(&f["expected_usd"]), 78_520); // 1.3 × 0.0604
}

#[test]
fn authentication_international_needs_a_foreign_business() {
    let args = [
        "cost",
        "flows/otp-authentication.yaml",
        "--at",
        "2026-11-02",
        "--market",
        "IN",
    ];
    // 1.7 authentication messages: × 0.0014 = 0.00238; international × 0.0304 = 0.05168.
    let plain = json(&args);
    assert_eq!(usd(&flow(&plain, "login-otp", "IN")["expected_usd"]), 2_380);
    let home = json(&[&args[..], &["--business-country", "IN"]].concat());
    assert_eq!(usd(&flow(&home, "login-otp", "IN")["expected_usd"]), 2_380);
    let foreign = json(&[&args[..], &["--business-country", "DE"]].concat());
    let f = flow(&foreign, "login-otp", "IN");
    assert_eq!(usd(&f["expected_usd"]), 51_680);
    assert_eq!(
        f["categories"][0]["category"],
        "authentication_international"
    );
    // Before India's date (2024-07-01) plain authentication applies, and the report says so.
    let early = json(&[
        "cost",
        "flows/otp-authentication.yaml",
        "--at",
        "2024-06-15",
        "--market",
        "ID",
        "--business-country",
        "DE",
    ]);
    assert_eq!(
        flow(&early, "login-otp", "ID")["categories"][0]["category"],
        "authentication_international"
    );
}

#[test]
fn free_tiers_apply_to_audiences() {
    // cbp (2024-06-01), Germany: 3,000 service conversations, 1,000 free: 2,000 × 0.0819 =
    // 163.80; marketing 900 × 0.1365 = 122.85; total 286.65.
    let doc = json(&[
        "cost",
        "flows/opt-in-mixed.yaml",
        "--at",
        "2024-06-01",
        "--audience",
        "3000",
    ]);
    let f = flow(&doc, "newsletter-opt-in-mixed", "DE");
    assert_eq!(usd(&f["audience"]["expected_usd"]), 286_650_000);
    let service = &category(f, "service")["audience"];
    assert_eq!(service["allowances"][0]["rule"], "rule 6");
    assert_eq!(service["allowances"][0]["units"], 1000);
    // pmp-2026-10 with two numbers: 2,000 of 3,000 service messages free: 1,000 × 0.0550 = 55;
    // marketing 900 × 0.1365 = 122.85.
    let doc = json(&[
        "cost",
        "flows/opt-in-mixed.yaml",
        "--at",
        "2026-11-02",
        "--audience",
        "3000",
        "--phone-numbers",
        "2",
    ]);
    let f = flow(&doc, "newsletter-opt-in-mixed", "DE");
    assert_eq!(usd(&f["audience"]["expected_usd"]), 177_850_000);
    assert_eq!(
        category(f, "service")["audience"]["allowances"][0]["rule"],
        "rule 15"
    );
    // pmp (2026-09-15): service free anyway, no allowance reported.
    let doc = json(&[
        "cost",
        "flows/opt-in-mixed.yaml",
        "--at",
        "2026-09-15",
        "--audience",
        "3000",
    ]);
    let f = flow(&doc, "newsletter-opt-in-mixed", "DE");
    assert_eq!(usd(&f["audience"]["expected_usd"]), 122_850_000);
}

#[test]
fn volume_tiers_discount_large_audiences() {
    // Post-purchase in Germany, 2026-11-02: 3 utility messages × 50,000 = 150,000;
    // 100,000 × 0.0550 + 50,000 × 0.0523 = 5,500 + 2,615 = 8,115 (list 8,250).
    let doc = json(&[
        "cost",
        "flows/post-purchase-utility.yaml",
        "--market",
        "DE",
        "--at",
        "2026-11-02",
        "--audience",
        "50000",
    ]);
    let f = flow(&doc, "post-purchase-updates", "DE");
    assert_eq!(usd(&f["audience"]["list_usd"]), 8_250_000_000);
    assert_eq!(usd(&f["audience"]["expected_usd"]), 8_115_000_000);
    let a = &category(f, "utility")["audience"]["allowances"][0];
    assert_eq!(a["kind"], "volume_tiers");
    assert_eq!(usd(&a["saving_usd"]), 135_000_000);
    // Below the first threshold nothing changes.
    let doc = json(&[
        "cost",
        "flows/post-purchase-utility.yaml",
        "--market",
        "DE",
        "--at",
        "2026-11-02",
        "--audience",
        "30000",
    ]);
    let f = flow(&doc, "post-purchase-updates", "DE");
    assert_eq!(f["audience"]["expected_usd"], f["audience"]["list_usd"]);
    // Before the tier card (2026-10-01) list prices apply, and a large audience is told so.
    let out = ok(&[
        "cost",
        "flows/post-purchase-utility.yaml",
        "--market",
        "DE",
        "--at",
        "2026-09-15",
        "--audience",
        "50000",
    ]);
    assert!(
        out.contains("no volume-tier card is known for 2026-09-15"),
        "{out}"
    );
    let table = ok(&[
        "cost",
        "flows/post-purchase-utility.yaml",
        "--market",
        "DE",
        "--at",
        "2026-11-02",
        "--audience",
        "50000",
    ]);
    insta::assert_snapshot!("cost_volume_tiers_de", table);
}

#[test]
fn diff_of_a_flow_whose_cost_rises() {
    let args = [
        "diff",
        "tests/fixtures/diff/old/optin.yaml",
        "tests/fixtures/diff/new/optin.yaml",
        "--at",
        "2026-11-02",
    ];
    let out = ok(&args);
    insta::assert_snapshot!("diff_optin_rises", out);
    let doc = json(&args);
    let d = &doc["flows"][0];
    // + one service message at the UK utility rate.
    assert_eq!(usd(&d["delta_usd"]), 22_000);
    assert_eq!(d["added_categories"], serde_json::json!(["service"]));
    assert_eq!(
        d["added_paths"],
        serde_json::json!(["greet → welcome → done"])
    );
    assert_eq!(d["removed_paths"], serde_json::json!(["welcome → done"]));
    // Budget guardrails: +0.0220 (+34.6%).
    let (code, stdout, stderr) = run(&[&args[..], &["--fail-above", "0.01"]].concat());
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("budget exceeded"), "{stderr}");
    assert!(
        stdout.contains("flowcost diff"),
        "the report is still printed"
    );
    assert_eq!(run(&[&args[..], &["--fail-above", "0.03"]].concat()).0, 0);
    assert_eq!(
        run(&[&args[..], &["--fail-above-percent", "30"]].concat()).0,
        1
    );
    assert_eq!(
        run(&[&args[..], &["--fail-above-percent", "40"]].concat()).0,
        0
    );
    // Per audience: 10,000 × 0.0220 = 220 more, less 1,000 free service messages = 198.
    let (code, _, stderr) = run(&[
        &args[..],
        &["--audience", "10000", "--fail-above", "197.99"],
    ]
    .concat());
    assert_eq!(code, 1);
    assert!(stderr.contains("198.00 more for the audience"), "{stderr}");
    assert_eq!(
        run(&[&args[..], &["--audience", "10000", "--fail-above", "198"]].concat()).0,
        0
    );
    // Before 2026-10-01 the greeting is free: no change.
    let doc = json(&[
        "diff",
        "tests/fixtures/diff/old/optin.yaml",
        "tests/fixtures/diff/new/optin.yaml",
        "--at",
        "2026-09-15",
    ]);
    assert_eq!(usd(&doc["flows"][0]["delta_usd"]), 0);
}

#[test]
fn diff_of_directories_matches_flows_by_name() {
    let args = [
        "diff",
        "tests/fixtures/diff/old",
        "tests/fixtures/diff/new",
        "--at",
        "2026-11-02",
    ];
    let doc = json(&args);
    let flows = doc["flows"].as_array().unwrap();
    let get = |n: &str| flows.iter().find(|f| f["flow"] == n).unwrap();
    assert_eq!(get("legacy")["status"], "removed");
    assert_eq!(usd(&get("legacy")["delta_usd"]), -63_500);
    assert_eq!(get("optin")["status"], "changed");
    // Falls: one Brazilian utility message fewer (0.0068).
    assert_eq!(usd(&get("updates")["delta_usd"]), -6_800);
    let md = ok(&[&args[..], &["--format", "markdown"]].concat());
    insta::assert_snapshot!("diff_dirs_markdown", md);
    // Total: +0.0220 − 0.0068 − 0.0635 = −0.0483: within any budget.
    assert_eq!(run(&[&args[..], &["--fail-above", "0"]].concat()).0, 0);
    let (code, _, stderr) = run(&[
        "diff",
        "tests/fixtures/diff/old",
        "tests/fixtures/diff/new/optin.yaml",
        "--at",
        "2026-11-02",
    ]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("two flow files or two directories"),
        "{stderr}"
    );
}

#[test]
fn rates_prints_the_card_in_force() {
    let out = ok(&["rates", "--market", "GB,HK", "--at", "2026-06-15"]);
    insta::assert_snapshot!("rates_gb_hk_2026_06", out);
    let doc = json(&["rates", "--at", "2026-11-02"]);
    assert_eq!(doc["markets"].as_array().unwrap().len(), 47);
    assert_eq!(doc["pricing_model"], "pmp-2026-10");
    let doc = json(&["rates", "--at", "2024-06-01", "--market", "ID"]);
    let prices = doc["markets"][0]["prices"].as_array().unwrap();
    let intl = prices
        .iter()
        .find(|p| p["category"] == "authentication_international")
        .unwrap();
    assert_eq!(usd(&intl["price_usd"]), 136_000);
}

#[test]
fn bad_inputs_exit_2_with_located_diagnostics() {
    let (code, _, stderr) = run(&["rates", "--rates", "tests/fixtures/rates/bad-column.csv"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("bad-column.csv:2:17: unknown column `prise_usd`"),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `price_usd`?"), "{stderr}");
    let (code, _, stderr) = run(&[
        "cost",
        "flows/opt-in-mixed.yaml",
        "--at",
        "2026-11-02",
        "--rates",
        "tests/fixtures/rates/bad-rows.csv",
    ]);
    assert_eq!(code, 2);
    for expected in [
        "bad-rows.csv:3:1: this row has 5 fields, the header 4",
        "bad-rows.csv:4:9: `marketng` is not a rate category",
        "did you mean `marketing`?",
        "bad-rows.csv:5:17: `0.10.0` is not an amount",
        "bad-rows.csv:6:1: `Germay` is not a market",
        "did you mean `Germany`?",
        "bad-rows.csv:7:24: `messages` is not a unit",
    ] {
        assert!(stderr.contains(expected), "{expected}\n{stderr}");
    }
    assert!(!stderr.contains("panicked"));
    for (args, message) in [
        (
            &["cost", "flows/opt-in-mixed.yaml", "--market", "Germany"][..],
            "not a country code",
        ),
        (
            &[
                "cost",
                "flows/opt-in-mixed.yaml",
                "--compare-at",
                "last tuesday",
            ][..],
            "--compare-at",
        ),
        (
            &[
                "cost",
                "flows/opt-in-mixed.yaml",
                "--compare-at",
                "2020-01-01",
            ][..],
            "before 2023-06-01",
        ),
        (
            &["cost", "flows/opt-in-mixed.yaml", "--reply-rate", "1.5"][..],
            "not a rate",
        ),
        (
            &[
                "diff",
                "flows/opt-in-mixed.yaml",
                "flows/opt-in-mixed.yaml",
                "--fail-above",
                "ten",
            ][..],
            "not an amount",
        ),
        (
            &["cost", "tests/fixtures/flows/many-splits.yaml"][..],
            "has no `market`",
        ),
        (
            &["simulate", "flows/opt-in-mixed.yaml", "--market", "DE,GB"][..],
            "one --market",
        ),
        (
            &["rates", "--rates", "no/such/file.csv"][..],
            "cannot read the file",
        ),
    ] {
        let (code, _, stderr) = run(args);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
    }
}

#[test]
fn diff_when_a_template_category_becomes_known() {
    // The same flow before and after its template got a catalog entry (utility): the old side
    // is a range over the categories the template could have had.
    let args = [
        "diff",
        "tests/fixtures/lint/uncategorised-template/bad.yaml",
        "tests/fixtures/lint/uncategorised-template/good.yaml",
        "--at",
        "2026-11-02",
        "--market",
        "BR",
    ];
    let out = ok(&args);
    assert!(out.contains("0.0136 – 0.1250"), "{out}");
    assert!(
        out.contains("category of `appointment_reminder` now known"),
        "{out}"
    );
    let doc = json(&args);
    let d = &doc["flows"][0];
    assert_eq!(
        d["old"]["uncategorised"]["templates"],
        serde_json::json!(["appointment_reminder"])
    );
    assert_eq!(d["new"]["uncategorised"], Value::Null);
    // Two Brazilian sends: marketing (0.0625 each, the dearest) to utility (0.0068 each).
    assert_eq!(usd(&d["delta_usd"]), -111_400);
}

/// Markets whose price of `category` is unknown on `at`, from `rates --format json`.
fn unknown_markets(at: &str, category: &str) -> Vec<String> {
    let doc = json(&["rates", "--at", at]);
    doc["markets"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| {
            m["prices"]
                .as_array()
                .unwrap()
                .iter()
                .any(|p| p["category"] == category && p["price_unknown"] == true)
        })
        .map(|m| m["market"].as_str().unwrap().to_string())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect()
}

#[test]
fn the_2025_cards_leave_exactly_the_documented_gaps() {
    // rates/README.md, Gaps: the 2025-07-01 card lacks eight markets; they stay unknown until
    // the full 2025-10-01 card, and no later card's price is carried back.
    let missing = unknown_markets("2025-08-01", "marketing");
    assert_eq!(
        missing,
        [
            "North America",
            "Rest of Latin America",
            "Rest of Middle East",
            "Saudi Arabia",
            "South Africa",
            "Spain",
            "Turkey",
            "United Kingdom",
        ]
    );
    assert_eq!(unknown_markets("2025-08-01", "utility"), missing);
    // Authentication is on the July card for six markets only.
    assert_eq!(
        unknown_markets("2025-08-01", "authentication").len(),
        32 - 6
    );
    // From 2025-10-01 every market of the card has a marketing, utility and authentication price.
    for category in ["marketing", "utility", "authentication"] {
        assert_eq!(
            unknown_markets("2025-10-15", category),
            Vec::<String>::new(),
            "{category}"
        );
    }
    // Two cells that Meta changed on 2025-10-01 (UAE marketing 0.0384 → 0.0499, Mexico
    // marketing 0.0436 → 0.0305), read on each side of the date.
    let price = |at: &str, market: &str| -> i64 {
        let doc = json(&["rates", "--at", at, "--market", market]);
        usd(&doc["markets"][0]["prices"][0]["price_usd"])
    };
    assert_eq!(price("2025-09-30", "AE"), 38_400);
    assert_eq!(price("2025-10-01", "AE"), 49_900);
    assert_eq!(price("2025-09-30", "MX"), 43_600);
    assert_eq!(price("2025-10-01", "MX"), 30_500);
}

#[test]
fn the_tier_card_covers_markets_past_the_first_fifteen() {
    // United Kingdom utility tiers (2026-10-01): up to 100,000 at 0.0220, then 0.0209 (-5%).
    // Post-purchase: 3 utility messages × 50,000 = 150,000:
    // 100,000 × 0.0220 + 50,000 × 0.0209 = 2,200 + 1,045 = 3,245 (list 3,300).
    let doc = json(&[
        "cost",
        "flows/post-purchase-utility.yaml",
        "--market",
        "GB",
        "--at",
        "2026-11-02",
        "--audience",
        "50000",
    ]);
    let f = flow(&doc, "post-purchase-updates", "GB");
    assert_eq!(usd(&f["audience"]["list_usd"]), 3_300_000_000);
    assert_eq!(usd(&f["audience"]["expected_usd"]), 3_245_000_000);
    let a = &category(f, "utility")["audience"]["allowances"][0];
    assert_eq!(a["kind"], "volume_tiers");
}

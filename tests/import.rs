//! Imports: every shared input file loads and simulates or is refused with a pinned
//! diagnostic; hand-counted paths, sends and waits of a few imported flows; round trips
//! through `flowcost import`; the CLI's `--from`, `--flow`, `--trigger` and `-o`.

use assert_cmd::Command;
use flowcost::billing::{Category, PricingModel};
use flowcost::diagnostic::SourceFile;
use flowcost::flow::write::to_yaml;
use flowcost::flow::{load_catalog, parse_flow, Catalog, Flow, NodeKind, Trigger};
use flowcost::import::{load_any, Format, ImportOptions, Loaded};
use flowcost::simulate::{simulate, Listing, Options, Simulation};
use std::path::{Path, PathBuf};

const DIR: &str = "tests/fixtures/import";

fn flowcost() -> Command {
    let mut cmd = Command::cargo_bin("flowcost").unwrap();
    cmd.env("NO_COLOR", "1").env_remove("CLICOLOR_FORCE");
    cmd
}

fn run(args: &[&str]) -> (i32, String, String) {
    let out = flowcost().args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Diagnostics without miette's line wrapping: the words, one space apart.
fn flat(text: &str) -> String {
    text.split_whitespace()
        .filter(|w| *w != "│")
        .collect::<Vec<_>>()
        .join(" ")
}

fn catalog(name: &str) -> Catalog {
    load_catalog(Path::new(&format!("{DIR}/own/{name}"))).unwrap()
}

fn load(file: &str, catalog_file: &str) -> Loaded {
    load_with(file, catalog_file, ImportOptions::default())
}

fn load_with(file: &str, catalog_file: &str, options: ImportOptions) -> Loaded {
    let c = catalog(catalog_file);
    load_any(Path::new(&format!("{DIR}/{file}")), &options, Some(&c))
        .unwrap_or_else(|e| panic!("{file}: {e}: {:?}", e.problems))
}

/// Every path listed, most probable first.
fn sim(flow: &Flow) -> Simulation {
    let at = "2026-11-02T10:00:00Z".parse().unwrap();
    let mut options = Options::new(at, PricingModel::Pmp2026_10);
    options.listing = Listing::All;
    simulate(flow, &options).unwrap()
}

/// (sends, template sends, reply waits, steps) of a flow.
fn counts(flow: &Flow) -> (usize, usize, usize, usize) {
    let count = |f: fn(&NodeKind) -> bool| flow.nodes.iter().filter(|n| f(&n.kind)).count();
    (
        count(|k| {
            matches!(
                k,
                NodeKind::SendMessage { .. } | NodeKind::SendUpdate { .. }
            )
        }),
        count(|k| matches!(k, NodeKind::SendUpdate { .. })),
        count(|k| matches!(k, NodeKind::WaitForReply { .. })),
        count(|k| matches!(k, NodeKind::Step { .. })),
    )
}

fn inputs() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for dir in ["goflow", "glific", "rapidpro", "twilio-studio"] {
        for e in std::fs::read_dir(format!("{DIR}/{dir}")).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "json") {
                files.push(p);
            }
        }
    }
    files.sort();
    files
}

/// The shared inputs that are refused, each with the code of its diagnostic.
const REFUSED: &[(&str, &str)] = &[
    ("goflow/empty.json", "flowcost::empty-flow"),
    ("goflow/node_loop.json", "flowcost::loop-without-wait"),
    ("goflow/ping_pong.json", "flowcost::loop-without-wait"),
];

#[test]
fn every_shared_input_loads_and_simulates_or_is_refused_with_a_pinned_diagnostic() {
    let files = inputs();
    assert_eq!(files.len(), 22, "{files:?}");
    for path in files {
        let rel = path
            .strip_prefix(DIR)
            .unwrap()
            .to_str()
            .unwrap()
            .to_string();
        let p = path.to_str().unwrap();
        let (code, stdout, stderr) = run(&[
            "simulate",
            p,
            "--templates",
            &format!("{DIR}/own/goflow-catalog.yaml"),
            "--at",
            "2026-11-02",
            "--format",
            "json",
        ]);
        match REFUSED.iter().find(|(f, _)| *f == rel) {
            Some((_, diagnostic)) => {
                assert_eq!(code, 2, "{rel}: {stderr}");
                assert!(stderr.contains(diagnostic), "{rel}: {stderr}");
                let name = format!("refused_{}", rel.replace(['/', '.'], "_"));
                insta::assert_snapshot!(name, stderr);
            }
            None => {
                assert_eq!(code, 0, "{rel}: {stderr}");
                let doc: serde_json::Value = serde_json::from_str(&stdout).unwrap();
                assert!(!doc["paths"].as_array().unwrap().is_empty(), "{rel}");
            }
        }
    }
}

#[test]
fn template_sends_without_a_catalog_import_with_unknown_category() {
    // glific test.json: its one unmapped template is unreachable, so nothing is billed as it.
    let (code, stdout, stderr) = run(&[
        "simulate",
        &format!("{DIR}/glific/test.json"),
        "--at",
        "2026-11-02",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(flat(&stderr).contains("1 template is not in the catalog, so its category is unknown: `Translated Movie Ticket`"), "{stderr}");
    let doc: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        doc["summary"]["uncategorised_templates"],
        serde_json::json!([])
    );

    let file = format!("{DIR}/own/studio-content-unmapped.json");
    let (code, stdout, stderr) = run(&["import", &file]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout.matches("category: unknown").count(), 2, "{stdout}");
    insta::assert_snapshot!("unmapped_studio_templates", stderr);

    let (code, stdout, _) = run(&["simulate", &file, "--at", "2026-11-02", "--format", "json"]);
    assert_eq!(code, 0);
    let doc: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let summary = &doc["summary"];
    assert_eq!(
        summary["uncategorised_templates"],
        serde_json::json!(["HXaaaa", "HXbbbb"])
    );
    assert_eq!(summary["unknown_category_billed_as"], "marketing");
    let charges = doc["paths"][0]["charges"].as_array().unwrap();
    assert_eq!(charges.len(), 2);
    assert!(charges
        .iter()
        .all(|c| c["category"] == "marketing" && c["category_assumed"] == true));

    // cost: the range over utility, authentication and marketing; Brazil's utility and
    // marketing rates at 2026-11-02 (0.0068 and 0.0625 per message) bound it.
    let (code, stdout, _) = run(&[
        "cost",
        &file,
        "--at",
        "2026-11-02",
        "--market",
        "BR",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0);
    let doc: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let flow = &doc["flows"][0];
    assert_eq!(flow["min_usd"], 0.0136);
    assert_eq!(flow["max_usd"], 0.125);
    assert_eq!(flow["expected_usd"], 0.125);
    let u = &flow["uncategorised"];
    assert_eq!(u["cheapest_category"], "utility");
    assert_eq!(u["dearest_category"], "marketing");
    assert_eq!(u["templates"], serde_json::json!(["HXaaaa", "HXbbbb"]));
    assert_eq!(u["by_category"].as_array().unwrap().len(), 3);
    assert_eq!(u["expected_low_usd"], 0.0136);
    assert_eq!(flow["paths"][0]["charges"][0]["category_assumed"], true);

    // A catalog that knows them ends the guess.
    let dir = tempfile::tempdir().unwrap();
    let catalog = dir.path().join("catalog.yaml");
    std::fs::write(
        &catalog,
        "notice: { category: utility, content_sid: HXaaaa }\npromo: { category: utility, content_sid: HXbbbb }\n",
    )
    .unwrap();
    let (code, stdout, stderr) = run(&[
        "cost",
        &file,
        "--templates",
        catalog.to_str().unwrap(),
        "--at",
        "2026-11-02",
        "--market",
        "BR",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("uncategorised"), "{stderr}");
    let doc: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(doc["flows"][0]["uncategorised"], serde_json::Value::Null);
    assert_eq!(doc["flows"][0]["max_usd"], 0.0136);
}

#[test]
fn bad_exports_get_located_diagnostics() {
    for (file, expected) in [
        ("own/studio-dangling.json", "studio-dangling.json:6:92"),
        ("own/not-a-flow.json", "flowcost::unknown-format"),
        ("own/broken.json", "flowcost::json-syntax"),
    ] {
        let (code, _, stderr) = run(&["simulate", &format!("{DIR}/{file}")]);
        assert_eq!(code, 2, "{file}");
        assert!(stderr.contains(expected), "{file}: {stderr}");
        let name = format!("bad_{}", file.replace(['/', '.'], "_"));
        insta::assert_snapshot!(name, stderr);
    }
}

/// Counted by hand from the JSON (see the comments).
#[test]
fn hand_counted_paths_sends_and_waits() {
    // RapidPro export: one node, one send_msg with the template "affirmation" (by name), no
    // wait; a template first means the business starts it.
    let l = load("rapidpro/whatsapp_template.json", "goflow-catalog.yaml");
    assert_eq!(counts(&l.flow), (1, 1, 0, 0));
    assert_eq!(l.flow.trigger, Trigger::BusinessEvent);
    let s = sim(&l.flow);
    assert_eq!(s.paths.len(), 1);
    assert_eq!(
        s.totals.categories,
        [Category::Marketing].into_iter().collect()
    );

    // glific template.json: "Movie Ticket" is mapped by UUID only.
    let l = load("glific/template.json", "goflow-catalog.yaml");
    assert_eq!(counts(&l.flow), (1, 1, 0, 0));
    assert!(matches!(&l.flow.nodes[0].kind,
        NodeKind::SendUpdate { template: Some(t), .. } if t == "movie_ticket"));

    // glific import.json: the template "arogya_msg" then a free-form "hello", no customer
    // message: the free-form send is refused on the one path.
    let l = load("glific/import.json", "goflow-catalog.yaml");
    assert_eq!(counts(&l.flow), (2, 1, 0, 0));
    let s = sim(&l.flow);
    assert_eq!(s.paths.len(), 1);
    assert_eq!(s.undeliverable_paths(), vec![0]);

    // Brochure: 2 send_msg, one wait without a timeout (the run's 7-day expiry ends the
    // silent path), 2 pass-through actions (set_contact_name, add_contact_groups).
    let l = load("goflow/brochure.json", "goflow-catalog.yaml");
    assert_eq!(counts(&l.flow), (2, 0, 1, 2));
    let wait = l
        .flow
        .nodes
        .iter()
        .find(|n| n.id == "wait-3dcccbb4")
        .unwrap();
    assert!(matches!(wait.kind, NodeKind::WaitForReply { timeout, .. } if timeout.num_days() == 7));

    // Expiration Test B enters C (same file): B's send, C's send, then back in B.
    let options = ImportOptions {
        flow: Some("Expiration Test B".into()),
        ..Default::default()
    };
    let l = load_with("goflow/expirations.json", "goflow-catalog.yaml", options);
    assert!(l
        .flow
        .nodes
        .iter()
        .any(|n| n.id.starts_with("expiration-test-c/")));

    // Patient appointments: 9 send widgets (7 send-message, 2 send-and-wait), 2 waits of 120 s.
    // Paths: event split (10 transitions): noMatch ends (1); remind: reply → 3-way split, or
    // timeout (4); opted-in, opted-out (2); booked: reply → 2-way split, or timeout (3);
    // canceled, modified, no-show, confirmed, rescheduled (5): 15.
    let l = load(
        "twilio-studio/patient-appointment-management.json",
        "studio-catalog.yaml",
    );
    assert_eq!(l.flow.trigger, Trigger::BusinessEvent);
    assert_eq!(counts(&l.flow).0, 9);
    assert_eq!(counts(&l.flow).2, 2);
    let s = sim(&l.flow);
    assert_eq!(s.paths.len(), 15);
    assert_eq!(s.totals.paths, 15);
    assert!((s.paths[0].probability - 0.1).abs() < 1e-9);

    // Vaccine standby: 12 send widgets, 11 reply waits of 3600 s.
    let l = load(
        "twilio-studio/vaccine-standby-list.json",
        "studio-catalog.yaml",
    );
    assert_eq!(l.flow.trigger, Trigger::CustomerMessage);
    assert_eq!((counts(&l.flow).0, counts(&l.flow).2), (12, 11));

    // Own Studio fixture: greet → ask (wait) → replied: check → bye | save → offer → vars →
    // notify; timed out: remind. 3 paths; 5 sends, of which remind (content SID) and offer
    // (body text) are templates; steps: save, vars, notify.
    let l = load("own/studio-widgets.json", "studio-catalog.yaml");
    assert_eq!(counts(&l.flow), (5, 2, 1, 3));
    let s = sim(&l.flow);
    let routes: Vec<Vec<&str>> = s
        .paths
        .iter()
        .map(|p| {
            p.route
                .iter()
                .map(|&i| l.flow.nodes[i].id.as_str())
                .collect()
        })
        .collect();
    // Most probable first: silent (70%), then the two replies (30% × ½ each).
    assert_eq!(
        routes,
        vec![
            vec!["greet", "ask", "ask/wait", "remind", "end"],
            vec!["greet", "ask", "ask/wait", "check", "bye", "end"],
            vec!["greet", "ask", "ask/wait", "check", "save", "offer", "vars", "notify", "end"],
        ]
    );
    assert_eq!(s.mixed_paths(), vec![0, 2]);
}

fn same_graph(a: &Flow, b: &Flow) {
    assert_eq!(a.name, b.name);
    assert_eq!(a.trigger, b.trigger);
    assert_eq!(a.nodes.len(), b.nodes.len(), "{}", a.name);
    for (x, y) in a.nodes.iter().zip(&b.nodes) {
        // The YAML loader fills `next` of every node (the node below); only edges matter.
        assert_eq!(
            (&x.id, &x.kind, x.successors()),
            (&y.id, &y.kind, y.successors()),
            "{}",
            a.name
        );
    }
    for n in &a.nodes {
        if let NodeKind::SendUpdate {
            template: Some(t), ..
        } = &n.kind
        {
            assert_eq!(a.templates[t].category, b.templates[t].category);
        }
    }
}

/// Import → YAML → load gives the same flow, for every importable input.
#[test]
fn imports_round_trip_through_yaml() {
    let mut checked = 0;
    for path in inputs()
        .into_iter()
        .chain([PathBuf::from(format!("{DIR}/own/studio-widgets.json"))])
    {
        let c = catalog("goflow-catalog.yaml");
        let mut both = c.clone();
        both.extend(catalog("studio-catalog.yaml"));
        let Ok(l) = load_any(&path, &ImportOptions::default(), Some(&both)) else {
            continue;
        };
        assert_ne!(l.format, Format::Flowcost);
        let yaml = to_yaml(&l.flow);
        let back = parse_flow(SourceFile::new("out.yaml", yaml.clone()), None)
            .unwrap_or_else(|e| panic!("{}: {:?}\n{yaml}", path.display(), e.problems));
        same_graph(&l.flow, &back);
        checked += 1;
    }
    assert_eq!(checked, 20);
}

#[test]
fn import_command_writes_yaml_that_simulates_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("studio.yaml");
    let out_s = out.to_str().unwrap();
    let input = format!("{DIR}/own/studio-widgets.json");
    let cat = format!("{DIR}/own/studio-catalog.yaml");
    let (code, stdout, stderr) = run(&["import", &input, "--templates", &cat, "-o", out_s]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.is_empty());
    let yaml = std::fs::read_to_string(&out).unwrap();
    insta::assert_snapshot!("studio_widgets_yaml", yaml);
    let json = |file: &str| {
        let (code, stdout, stderr) = run(&[
            "simulate",
            file,
            "--templates",
            &cat,
            "--at",
            "2026-11-02",
            "--format",
            "json",
        ]);
        assert_eq!(code, 0, "{stderr}");
        let mut v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        v["file"] = serde_json::Value::Null;
        v
    };
    assert_eq!(json(&input), json(out_s));
    // Never over an input.
    let (code, _, stderr) = run(&["import", &input, "-o", &input]);
    assert_eq!(code, 2);
    assert!(stderr.contains("never overwrites its inputs"), "{stderr}");
}

#[test]
fn from_flow_and_trigger_options() {
    let goflow = format!("{DIR}/goflow/brochure.json");
    // Forcing the wrong format says what is missing.
    let (code, _, stderr) = run(&["simulate", &goflow, "--from", "twilio-studio"]);
    assert_eq!(code, 2);
    assert!(
        flat(&stderr).contains("a Twilio Studio flow has a `states` list"),
        "{stderr}"
    );
    // Several flows: the first by default, with a warning naming them all; --flow picks one.
    let multi = format!("{DIR}/goflow/expirations.json");
    let (code, _, stderr) = run(&["import", &multi]);
    assert_eq!(code, 0);
    assert!(stderr.contains("the file holds 3 flows"), "{stderr}");
    let (code, stdout, _) = run(&["import", &multi, "--flow", "Expiration Test C"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("flow: Expiration Test C"));
    let (code, _, stderr) = run(&["import", &multi, "--flow", "Nope"]);
    assert_eq!(code, 2);
    assert!(
        flat(&stderr).contains("`Expiration Test B` (c0614f5b"),
        "{stderr}"
    );
    // --trigger overrides the guess.
    let (code, stdout, _) = run(&["import", &goflow, "--trigger", "business_event"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("trigger: business_event"));
    // YAML still loads through the same entry point.
    let (code, _, _) = run(&["simulate", "flows/opt-in-mixed.yaml", "--from", "flowcost"]);
    assert_eq!(code, 0);
}

/// Every command that reads flows takes imports through the same loader.
#[test]
fn every_flow_command_reads_imports() {
    let studio = format!("{DIR}/own/studio-widgets.json");
    let cat = format!("{DIR}/own/studio-catalog.yaml");
    let at = ["--at", "2026-11-02"];
    let (code, out, stderr) = run(&[
        &["lint", &studio, "--templates", &cat, "--no-config"],
        &at[..],
    ]
    .concat());
    assert!(code == 0 || code == 1, "{stderr}");
    assert!(out.contains("in 1 file"), "{out}");
    let (code, out, stderr) = run(&[
        &["cost", &studio, "--templates", &cat, "--market", "US"],
        &at[..],
    ]
    .concat());
    assert_eq!(code, 0, "{stderr}");
    assert!(out.contains("US"), "{out}");
    let (code, out, stderr) = run(&[
        &[
            "diff",
            &studio,
            &studio,
            "--templates",
            &cat,
            "--market",
            "US",
        ],
        &at[..],
    ]
    .concat());
    assert_eq!(code, 0, "{stderr}");
    assert!(!out.is_empty());
    let (code, out, stderr) = run(&["graph", &studio, "--templates", &cat]);
    assert_eq!(code, 0, "{stderr}");
    assert!(out.contains("flowchart TD"), "{out}");
    let (code, _, stderr) = run(&[
        &["timeline", &studio, "--templates", &cat, "--path", "1"],
        &at[..],
    ]
    .concat());
    assert_eq!(code, 0, "{stderr}");
    // Forcing a format applies to lint too.
    let (code, out, _) = run(&["lint", &studio, "--from", "goflow", "--no-config"]);
    assert_eq!(code, 2, "{out}");
}

//! Imports: every third-party input file loads and simulates or is refused with a pinned
//! diagnostic; hand-counted paths, sends and waits of a few imported flows; round trips
//! through `flowcost import`; the CLI's `--from`, `--flow`, `--trigger` and `-o`.

use super::common::run;
use flowcost::billing::{Category, PricingModel};
use flowcost::diagnostic::SourceFile;
use flowcost::flow::write::to_yaml;
use flowcost::flow::{load_catalog, parse_flow, Catalog, Flow, NodeKind, Trigger};
use flowcost::import::{load_any, Format, ImportOptions, Loaded};
use flowcost::simulate::{simulate, Listing, Options, Simulation};
use std::path::{Path, PathBuf};

const DIR: &str = "tests/fixtures/import";

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
    for dir in [
        "goflow",
        "glific",
        "rapidpro",
        "rapidpro-legacy",
        "floweditor",
        "twilio-studio",
    ] {
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

/// The third-party inputs that are refused, each with the code of its diagnostic.
const REFUSED: &[(&str, &str)] = &[
    ("goflow/empty.json", "flowcost::empty-flow"),
    ("goflow/node_loop.json", "flowcost::loop-without-wait"),
    ("goflow/ping_pong.json", "flowcost::loop-without-wait"),
    ("rapidpro-legacy/ivr_v3.json", "flowcost::unsupported-flow"),
    (
        "twilio-studio/voice-flex-ivr-announcement.json",
        "flowcost::voice-flow",
    ),
];

#[test]
fn every_third_party_input_loads_and_simulates_or_is_refused_with_a_pinned_diagnostic() {
    let files = inputs();
    assert_eq!(files.len(), 38, "{files:?}");
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
            template: Some(t),
            uncategorised: false,
            ..
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
    assert_eq!(
        checked,
        inputs().len() - REFUSED.len() + 1,
        "every input that imports"
    );
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

/// The codes of an import's notes.
fn note_codes(l: &Loaded) -> Vec<&'static str> {
    l.notes.iter().map(|n| n.code).collect()
}

fn node<'a>(flow: &'a Flow, id: &str) -> &'a flowcost::flow::Node {
    flow.nodes
        .iter()
        .find(|n| n.id == id)
        .unwrap_or_else(|| panic!("no node `{id}`"))
}

#[test]
fn studio_converts_only_what_the_start_reaches() {
    // The incoming-call part loops without a wait (say-play ↔ split) and sends `text_link`:
    // the incoming-message start reaches neither, so neither refuses nor counts.
    let l = load(
        "own/studio-voice-loop-unreached.json",
        "studio-catalog.yaml",
    );
    let ids: Vec<&str> = l.flow.nodes.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(ids, ["hello", "end"]);
    assert_eq!(note_codes(&l), ["unreached-states"]);
    assert!(
        l.notes[0].message.contains("`text_link`"),
        "{}",
        l.notes[0].message
    );

    // A real flow with a voice part (gather, say-play) beside the conversation start: only
    // the conversation part is converted, and nothing is said about a part that sends nothing.
    let l = load(
        "twilio-studio/frontline-voice-and-messaging.json",
        "studio-catalog.yaml",
    );
    assert_eq!(l.flow.trigger, Trigger::CustomerMessage);
    assert!(l
        .flow
        .nodes
        .iter()
        .all(|n| !matches!(n.kind, NodeKind::Wait { .. })));
    // Steps: set_variables_1, get-convo-name, get-customer, add-convo-name, routing.
    assert_eq!(counts(&l.flow), (4, 0, 3, 5));
    assert!(!note_codes(&l).contains(&"unreached-states"));

    // Voice only: refused with a message that says so, not "no trigger".
    for file in [
        "own/studio-voice-only.json",
        "twilio-studio/voice-flex-ivr-announcement.json",
    ] {
        let (code, _, stderr) = run(&["simulate", &format!("{DIR}/{file}")]);
        assert_eq!(code, 2, "{file}");
        assert!(
            flat(&stderr).contains(
                "starts the flow on incoming calls only: a voice flow sends no WhatsApp messages"
            ),
            "{file}: {stderr}"
        );
    }
}

#[test]
fn studio_gather_input_is_a_wait_and_may_loop() {
    // REST start → call → gather (8 s) → keypress/speech: confirm; timeout: say-play → gather.
    let l = load("own/studio-gather-loop.json", "studio-catalog.yaml");
    assert_eq!(l.flow.trigger, Trigger::BusinessEvent);
    assert!(
        matches!(node(&l.flow, "menu").kind, NodeKind::Wait { duration } if duration.num_seconds() == 8)
    );
    let NodeKind::Split { branches, guessed } = &node(&l.flow, "menu/input").kind else {
        panic!("menu/input is a split");
    };
    assert!(guessed);
    let targets: Vec<&str> = branches
        .iter()
        .map(|b| l.flow.nodes[b.to].id.as_str())
        .collect();
    assert_eq!(targets, ["confirm", "confirm", "again"]);
    // The loop through the gather passes a wait: it loads, and each lap is 8 s.
    let s = sim(&l.flow);
    let menu = l.flow.node_index("menu").unwrap();
    let laps = |p: &flowcost::simulate::Path| p.route.iter().filter(|&&r| r == menu).count();
    assert_eq!(
        s.paths.iter().map(laps).max(),
        Some(3),
        "at most --max-visits laps"
    );
    // Without a timeout property, Studio's 5 s.
    let text = std::fs::read_to_string(format!("{DIR}/own/studio-gather-loop.json"))
        .unwrap()
        .replace("\"timeout\": 8", "\"say2\": 8");
    let l = flowcost::import::parse_any(
        SourceFile::new("gather.json", text),
        &ImportOptions::default(),
        None,
    )
    .unwrap();
    assert!(
        matches!(node(&l.flow, "menu").kind, NodeKind::Wait { duration } if duration.num_seconds() == 5)
    );
}

#[test]
fn studio_early_format_is_read_as_the_current_widgets() {
    // 2019 export: `InitialState`, `Message`, `Webhook`, `Gather`, `DialV2`…; transitions name
    // states by SID. Incoming message → webhook (success and failure both) → send_message_2.
    let file = "twilio-studio/early-format-digital-health-assistant.json";
    let l = load(file, "studio-catalog.yaml");
    assert_eq!(l.flow.trigger, Trigger::CustomerMessage);
    let ids: Vec<&str> = l.flow.nodes.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "sms_of_post_text_to_firebase_functions",
            "send_message_2",
            "end"
        ]
    );
    assert_eq!(
        note_codes(&l),
        ["assumed-trigger", "unreached-states", "early-studio-format"]
    );
    // The REST API start: an outgoing call whose busy and no-answer outcomes text the contact.
    let options = ImportOptions {
        trigger: Some(Trigger::BusinessEvent),
        ..Default::default()
    };
    let l = load_with(file, "studio-catalog.yaml", options);
    // Steps: set_text_var_init, post_text_to_firebase_functions, set_text_var; the gather
    // is a wait of its 5 s and a split.
    assert_eq!(counts(&l.flow), (1, 0, 0, 3));
    assert!(
        matches!(node(&l.flow, "gather").kind, NodeKind::Wait { duration } if duration.num_seconds() == 5)
    );
    assert!(matches!(
        node(&l.flow, "send_message_1").kind,
        NodeKind::SendMessage { .. }
    ));
}

#[test]
fn studio_sends_to_others_sub_flows_agents_and_unknown_widgets_are_said() {
    let l = load("own/studio-others.json", "studio-catalog.yaml");
    // `incomingConversationMessage` (Conversations) is a customer message.
    assert_eq!(l.flow.trigger, Trigger::CustomerMessage);
    assert_eq!(counts(&l.flow), (1, 0, 0, 4));
    assert!(matches!(&node(&l.flow, "tell_friend").kind,
        NodeKind::Step { action: Some(a) } if a == "send-message"));
    assert_eq!(
        note_codes(&l),
        [
            "sends-to-others",
            "missing-subflow",
            "hands-off",
            "unknown-widget"
        ]
    );
    let text: Vec<String> = l.notes.iter().map(|n| n.message.clone()).collect();
    assert!(text[0].contains("`tell_friend`"));
    assert!(text[1].contains("`FW0123456789abcdef0123456789abcdef`"));
    assert!(text[2].contains("`agent`"));
    assert!(text[3].contains("`send-to-sparkle`"));

    // Real flows: a passport stamp texted to another traveller; a web chat handed to Flex.
    let l = load(
        "twilio-studio/global-connect-passport.json",
        "studio-catalog.yaml",
    );
    assert!(note_codes(&l).contains(&"sends-to-others"));
    assert!(matches!(
        &node(&l.flow, "send_stamp_target").kind,
        NodeKind::Step { .. }
    ));
    let l = load(
        "twilio-studio/webchat-flex-handoff.json",
        "studio-catalog.yaml",
    );
    assert_eq!(l.flow.trigger, Trigger::CustomerMessage);
    assert!(note_codes(&l).contains(&"hands-off"));
}

#[test]
fn studio_problems_are_listed_once() {
    // Two sends that loop into each other with no wait, entered from two places: one problem.
    let text = r#"{
  "description": "tight loop",
  "initial_state": "Trigger",
  "states": [
    { "name": "Trigger", "type": "trigger", "transitions": [{ "event": "incomingMessage", "next": "pick" }], "properties": {} },
    { "name": "pick", "type": "split-based-on", "transitions": [{ "event": "noMatch", "next": "ping" }, { "event": "match", "next": "pong" }], "properties": {} },
    { "name": "ping", "type": "send-message", "transitions": [{ "event": "sent", "next": "pong" }], "properties": { "body": "ping" } },
    { "name": "pong", "type": "send-message", "transitions": [{ "event": "sent", "next": "ping" }], "properties": { "body": "pong" } }
  ]
}"#;
    let e = flowcost::import::parse_any(
        SourceFile::new("loop.json", text),
        &ImportOptions::default(),
        None,
    )
    .unwrap_err();
    let mut seen = Vec::new();
    for p in &e.problems {
        assert!(!seen.contains(&p), "listed twice: {p:?}");
        seen.push(p);
    }
    assert_eq!(e.problems.len(), 1, "{:?}", e.problems);
    assert_eq!(e.problems[0].code, "flowcost::loop-without-wait");
}

/// The id flowcost gives the node of each message-sending action of the imported flow's
/// definition, read from the source JSON on its own: Studio send widgets by state name; goflow
/// `send_msg`, `send_interactive_msg`, `send_broadcast` as `TYPE-UUID8`; legacy `reply` and
/// `send` as `TYPE-UUID8` (or `TYPE-SET8-N` for an action without a UUID). Actions without a
/// UUID in goflow are named by place, so they are counted, not named: (ids, unnamed).
fn source_sends(root: &serde_json::Value, flow_name: &str) -> (Vec<String>, usize) {
    use serde_json::Value;
    let s = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    let short = |u: &str| u.chars().take(8).collect::<String>();
    if let Some(states) = root.get("states").and_then(Value::as_array) {
        let ids = states
            .iter()
            .filter(|st| {
                ["send-message", "send-and-wait-for-reply", "Message"]
                    .contains(&s(st, "type").as_str())
            })
            .map(|st| s(st, "name"))
            .collect();
        return (ids, 0);
    }
    let defs: Vec<&Value> = match root.get("flows").or_else(|| root.get("results")) {
        Some(Value::Array(flows)) => flows
            .iter()
            .map(|f| f.get("definition").filter(|d| d.is_object()).unwrap_or(f))
            .collect(),
        _ => vec![root],
    };
    let name_of = |d: &Value| {
        [d.get("name"), d.get("metadata").and_then(|m| m.get("name"))]
            .into_iter()
            .flatten()
            .find_map(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    let def = defs
        .iter()
        .find(|d| name_of(d) == flow_name)
        .or(defs.first())
        .copied()
        .unwrap_or(root);
    let (mut ids, mut unnamed) = (Vec::new(), 0);
    for n in def
        .get("nodes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        for a in n
            .get("actions")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let t = s(a, "type");
            if ["send_msg", "send_interactive_msg", "send_broadcast"].contains(&t.as_str()) {
                match s(a, "uuid") {
                    u if u.is_empty() => unnamed += 1,
                    u => ids.push(format!("{t}-{}", short(&u))),
                }
            }
        }
    }
    for set in def
        .get("action_sets")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let actions = set
            .get("actions")
            .and_then(Value::as_array)
            .into_iter()
            .flatten();
        for (i, a) in actions.enumerate() {
            let t = s(a, "type");
            if t == "reply" || t == "send" {
                ids.push(match s(a, "uuid") {
                    u if u.is_empty() => format!("{t}-{}-{}", short(&s(set, "uuid")), i + 1),
                    u => format!("{t}-{}", short(&u)),
                });
            }
        }
    }
    (ids, unnamed)
}

/// Every message-sending action of every import fixture is a node of the converted flow or is
/// named in a warning that says why not (sent to someone else, never reached); counted.
#[test]
fn every_source_send_is_converted_or_named_in_a_warning() {
    let mut files = inputs();
    for e in std::fs::read_dir(format!("{DIR}/own")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "json") {
            files.push(p);
        }
    }
    let (mut sends, mut converted, mut warned, mut unnamed_total) = (0, 0, 0, 0);
    let mut imported = 0;
    for path in &files {
        let mut both = catalog("goflow-catalog.yaml");
        both.extend(catalog("studio-catalog.yaml"));
        let Ok(l) = load_any(path, &ImportOptions::default(), Some(&both)) else {
            continue;
        };
        imported += 1;
        let root: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let (ids, unnamed) = source_sends(&root, &l.flow.name);
        unnamed_total += unnamed;
        let is_send = |k: &NodeKind| {
            matches!(
                k,
                NodeKind::SendMessage { .. } | NodeKind::SendUpdate { .. }
            )
        };
        let mut here = 0;
        for id in &ids {
            sends += 1;
            if l.flow.nodes.iter().any(|n| n.id == *id && is_send(&n.kind)) {
                converted += 1;
                here += 1;
            } else if l
                .notes
                .iter()
                .any(|n| n.message.contains(&format!("`{id}`")))
            {
                warned += 1;
            } else {
                panic!(
                    "{}: the send `{id}` is neither a send node nor named in a warning: {:?}",
                    path.display(),
                    l.notes
                );
            }
        }
        // Sends without a UUID are named by place: as many more send nodes, at least.
        let send_nodes = l.flow.nodes.iter().filter(|n| is_send(&n.kind)).count();
        assert!(send_nodes >= here + unnamed, "{}", path.display());
    }
    assert_eq!(
        imported,
        files.len() - REFUSED.len() - 4,
        "own/: broken, not-a-flow, dangling, voice-only"
    );
    assert_eq!((sends, converted + warned), (sends, sends));
    eprintln!("{sends} sends in {imported} files: {converted} converted, {warned} named in warnings, {unnamed_total} without a UUID");
    assert!(
        converted > 100 && warned >= 8,
        "{converted} converted, {warned} warned"
    );
}

/// Counted by hand from the JSON (see each fixture folder's README).
#[test]
fn legacy_rapidpro_glific_exports_and_routers_without_categories_hand_counted() {
    // floweditor: 3 send_msg, 2 waits without a timeout, routers whose cases point at exits.
    // Greeting, reply, second question, reply, thanks: all three on one path.
    let l = load("floweditor/customer_service.json", "goflow-catalog.yaml");
    assert_eq!(counts(&l.flow).0, 3);
    assert_eq!(counts(&l.flow).2, 2);
    let s = sim(&l.flow);
    assert_eq!((s.totals.min_billable, s.totals.max_billable), (1, 3));

    // glific export wrapper: the definition under `flows[0].definition`, keywords beside it.
    let l = load("glific/consent_optin.json", "goflow-catalog.yaml");
    assert_eq!(l.flow.name, "Consent_Optin flow");
    assert_eq!(l.flow.trigger, Trigger::CustomerMessage);
    assert!(note_codes(&l).contains(&"declared-trigger"));
    assert!(l
        .notes
        .iter()
        .any(|n| n.message.contains("keyword `consent`")));
    // 2 send_msg + 1 send_interactive_msg, all free-form; one reply wait (the run's expiry).
    assert_eq!(counts(&l.flow), (3, 0, 1, 2));

    // Legacy, version 11.12: 4 replies; the wait's "other" rule re-asks.
    let l = load("rapidpro-legacy/color_v11.json", "goflow-catalog.yaml");
    assert_eq!(counts(&l.flow).0, 4);
    let s = sim(&l.flow);
    assert!(
        s.totals.max_billable >= 3,
        "the re-ask loop repeats the question"
    );

    // Version 7: a `timeout` rule of 5 minutes is the wait's timeout.
    let l = load(
        "rapidpro-legacy/favorites_timeout.json",
        "goflow-catalog.yaml",
    );
    assert_eq!(counts(&l.flow).0, 7);
    assert!(l.flow.nodes.iter().any(|n| matches!(n.kind,
        NodeKind::WaitForReply { timeout, .. } if timeout.num_minutes() == 5)));
    // The other waits end with the flow's 720-minute expiry.
    assert!(l.flow.nodes.iter().any(|n| matches!(n.kind,
        NodeKind::WaitForReply { timeout, .. } if timeout.num_minutes() == 720)));

    // Version 4: no `entry`; the top-most action set starts, and a warning says so.
    let l = load("rapidpro-legacy/favorites_v4.json", "goflow-catalog.yaml");
    assert_eq!(counts(&l.flow).0, 6);
    assert!(note_codes(&l).contains(&"assumed-entry"));

    // The flow starts at its `entry`, wherever it is: the sixth action set; a rule set.
    let l = load(
        "rapidpro-legacy/migrate_to_11_8.json",
        "goflow-catalog.yaml",
    );
    assert_eq!(l.flow.nodes[0].id, "reply-c007a761");
    assert_eq!(counts(&l.flow).0, 6);
    let l = load(
        "rapidpro-legacy/migrate_to_11_4.json",
        "goflow-catalog.yaml",
    );
    assert_eq!(l.flow.nodes[0].id, "wait-019d0fab");
    assert!(matches!(
        l.flow.nodes[0].kind,
        NodeKind::WaitForReply { .. }
    ));

    // Version 10.1: the keyword trigger `types` makes it customer-started.
    let l = load("rapidpro-legacy/type_flow.json", "goflow-catalog.yaml");
    assert_eq!(counts(&l.flow).0, 9);
    assert_eq!(counts(&l.flow).2, 6);
    assert!(l
        .notes
        .iter()
        .any(|n| n.message.contains("keyword trigger `types`")));
}

#[test]
fn entries_that_are_not_objects_are_skipped_and_said() {
    let goflow = r#"{"uuid": "f1", "name": "nulls", "spec_version": "13.1.0", "nodes": [null,
        {"uuid": "", "actions": [null, {"type": "send_msg", "text": "hi"}],
         "exits": [{"uuid": "e", "destination_uuid": null}]}, 5]}"#;
    let legacy = r#"{"version": 10, "flows": [{"entry": "a", "metadata": {"name": "ln", "uuid": "f"},
        "action_sets": [null, {"uuid": "a", "actions": [null, {"type": "reply", "msg": {"base": "hi"}}], "destination": "r"}, 3],
        "rule_sets": [null, {"uuid": "r", "ruleset_type": "wait_message", "rules": [null, {"uuid": "x", "destination": null, "test": null}]}]}]}"#;
    for (text, first, skipped) in [
        (goflow, "action-1", "2 entries"),
        (legacy, "action-a-1", "3 entries"),
    ] {
        let l = flowcost::import::parse_any(
            SourceFile::new("nulls.json", text),
            &ImportOptions::default(),
            None,
        )
        .unwrap();
        assert_eq!(l.flow.nodes[0].id, first);
        assert_eq!(counts(&l.flow).0, 1, "the one send");
        let n = l.notes.iter().find(|n| n.code == "skipped-nodes").unwrap();
        assert!(n.message.starts_with(skipped), "{}", n.message);
    }
}

#[test]
fn a_studio_flow_forced_through_goflow_is_refused_by_what_it_lacks() {
    let (code, _, stderr) = run(&[
        "import",
        &format!("{DIR}/own/studio-others.json"),
        "--from",
        "goflow",
    ]);
    assert_eq!(code, 2);
    assert!(
        flat(&stderr).contains("this definition has neither `spec_version` nor `nodes`"),
        "{stderr}"
    );
}

#[test]
fn legacy_flow_actions_jump_back_on_recursion_and_warn_when_the_flow_is_missing() {
    // `a` replies, then starts itself (recursion: a jump back to its start) or, in `b`, a
    // flow that is not in the file (the path ends, and a warning says its messages are lost).
    let text = r#"{"version": 10, "flows": [{"entry": "a", "metadata": {"name": "loop", "uuid": "f"},
        "action_sets": [
          {"uuid": "a", "actions": [{"type": "reply", "msg": {"base": "hi"}}], "destination": "r"},
          {"uuid": "b", "actions": [{"type": "flow", "flow": {"uuid": "f", "name": "loop"}}]},
          {"uuid": "c", "actions": [{"type": "flow", "flow": {"uuid": "gone", "name": "elsewhere"}}]}],
        "rule_sets": [{"uuid": "r", "ruleset_type": "wait_message", "rules": [
          {"uuid": "x", "destination": "b", "test": {"type": "true"}},
          {"uuid": "y", "destination": "c", "test": {"type": "true"}}]}]}]}"#;
    let l = flowcost::import::parse_any(
        SourceFile::new("flows.json", text),
        &ImportOptions::default(),
        None,
    )
    .unwrap();
    let codes = note_codes(&l);
    assert!(codes.contains(&"recursive-subflow"), "{codes:?}");
    let missing = l
        .notes
        .iter()
        .find(|n| n.code == "missing-subflow")
        .unwrap();
    assert!(
        missing.message.contains("`elsewhere` (gone)"),
        "{}",
        missing.message
    );
    // The recursion is a jump back to the start node.
    let NodeKind::Step { .. } = node(&l.flow, "flow-b-1").kind else {
        panic!("the flow action is a step");
    };
    assert_eq!(node(&l.flow, "flow-b-1").next, Some(0));
}

/// Two catalog entries with one Twilio content_sid are refused: a Studio send naming it could
/// be either template, and picking one would be a guess.
#[test]
fn a_content_sid_shared_by_two_templates_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let catalog = dir.path().join("catalog.yaml");
    std::fs::write(
        &catalog,
        "appointment_reminder:\n  category: utility\n  content_sid: HX1111aaaa2222bbbb3333cccc4444dddd\n\
         spring_sale:\n  category: marketing\n  content_sid: HX1111aaaa2222bbbb3333cccc4444dddd\n",
    )
    .unwrap();
    let (code, _, stderr) = super::common::run(&[
        "simulate",
        "tests/fixtures/import/own/studio-widgets.json",
        "--at",
        "2026-11-02",
        "--templates",
        catalog.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("flowcost::duplicate-content-sid"),
        "{stderr}"
    );
    assert!(stderr.contains("catalog.yaml:6:16"), "{stderr}");
    assert!(
        stderr.contains("`appointment_reminder` and `spring_sale`"),
        "{stderr}"
    );
}

/// The node limit counts the nodes an import makes (a node per action), not the export's; an
/// export with more JSON objects than the limit allows is refused before it is parsed; and an
/// import writes nothing that flowcost could not read back.
#[test]
fn imports_are_bounded_by_what_they_make_and_round_trip_or_refuse() {
    let dir = tempfile::tempdir().unwrap();
    let actions: Vec<String> = (0..20)
        .map(|i| format!("{{\"uuid\": \"a{i}\", \"type\": \"send_msg\", \"text\": \"hi {i}\"}}"))
        .collect();
    let export = format!(
        "{{\"flows\": [{{\"uuid\": \"f\", \"name\": \"many\", \"spec_version\": \"13.1.0\", \"nodes\": [\
         {{\"uuid\": \"n\", \"actions\": [{}], \"exits\": [{{\"uuid\": \"e\"}}]}}]}}]}}",
        actions.join(", ")
    );
    let json = dir.path().join("many.json");
    std::fs::write(&json, export).unwrap();
    let out = dir.path().join("many.yaml");
    let import = |env: (&str, &str)| {
        super::common::output(super::common::flowcost().env(env.0, env.1).args([
            "import",
            json.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ]))
    };
    // 20 sends from one export node: 10 is not enough, whatever the export's node count.
    let (code, _, stderr) = import(("FLOWCOST_MAX_NODES", "10"));
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("more than 10 nodes"), "{stderr}");
    assert!(!out.exists());
    // 24 objects, 4 per node of the limit: a limit of 5 refuses the text unparsed.
    let (code, _, stderr) = import(("FLOWCOST_MAX_NODES", "5"));
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("more than 20 JSON objects"), "{stderr}");
    // The YAML would be larger than flowcost reads back.
    let (code, _, stderr) = import(("FLOWCOST_MAX_FILE_BYTES", "600"));
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("bytes of YAML, over the 600"), "{stderr}");
    assert!(!out.exists());
    let (code, _, stderr) = import(("FLOWCOST_MAX_NODES", "100"));
    assert_eq!(code, 0, "{stderr}");
    let (code, _, stderr) =
        super::common::run(&["simulate", out.to_str().unwrap(), "--at", "2026-11-02"]);
    assert_eq!(code, 0, "{stderr}");
}

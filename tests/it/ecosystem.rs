//! The commands that fit flowcost into its surroundings: `graph`, `timeline` (text and SVG,
//! rendered in headless Chromium), `schema`, `completions`, `man`, `init`, and the global
//! `--color`, `--quiet` and `--verbose`.

use super::common::output as run_with;
use assert_cmd::Command;
use std::path::{Path, PathBuf};

/// The binary with the terminal's colour settings left alone (colour is under test here).
fn flowcost() -> Command {
    let mut cmd = Command::cargo_bin("flowcost").unwrap();
    cmd.env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("COLUMNS");
    cmd
}

/// Runs flowcost; returns (exit code, stdout, stderr).
fn run(args: &[&str]) -> (i32, String, String) {
    run_with(flowcost().args(args))
}

fn example_flows() -> Vec<PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir("flows")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    files
}

// ---------------------------------------------------------------------------------------- graph

#[test]
fn graph_draws_mermaid_and_dot() {
    let (code, mermaid, _) = run(&["graph", "flows/abandoned-cart.yaml", "--at", "2026-11-02"]);
    assert_eq!(code, 0);
    insta::assert_snapshot!("graph_mermaid_abandoned_cart", mermaid);
    let (code, dot, _) = run(&[
        "graph",
        "flows/abandoned-cart.yaml",
        "--format",
        "dot",
        "--at",
        "2026-11-02",
    ]);
    assert_eq!(code, 0);
    insta::assert_snapshot!("graph_dot_abandoned_cart", dot);
}

#[test]
fn graph_draws_every_example_and_labels_categories() {
    for path in example_flows() {
        let (code, out, err) = run(&["graph", path.to_str().unwrap()]);
        assert_eq!(code, 0, "{}: {err}", path.display());
        assert!(out.contains("flowchart TD"), "{}", path.display());
        // Mermaid keywords never serve as node ids: ids are n0, n1…
        assert!(!out.lines().any(|l| l.trim_start().starts_with("end")));
    }
    let (_, out, _) = run(&["graph", "flows/opt-in-mixed.yaml"]);
    assert!(
        out.contains(":::service") && out.contains(":::marketing"),
        "{out}"
    );
}

#[test]
fn graph_of_a_bad_flow_exits_2_with_the_diagnostic() {
    let (code, out, err) = run(&["graph", "tests/fixtures/bad/dangling-reference.yaml"]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(err.contains("flowcost::dangling-reference"), "{err}");
}

// ------------------------------------------------------------------------------------- timeline

#[test]
fn timeline_prints_a_text_gantt_per_path() {
    let (code, out, _) = run(&[
        "timeline",
        "flows/opt-in-mixed.yaml",
        "--at",
        "2024-06-01T10:00:00Z",
    ]);
    assert_eq!(code, 0);
    insta::assert_snapshot!("timeline_opt_in_mixed_cbp", out);
    let (code, out, _) = run(&[
        "timeline",
        "flows/opt-in-mixed.yaml",
        "--at",
        "2026-11-02T10:00:00Z",
        "--path",
        "2",
    ]);
    assert_eq!(code, 0);
    assert!(out.contains("Path 2:") && !out.contains("Path 1:"), "{out}");
    assert!(out.contains("marketing messages"), "{out}");
}

#[test]
fn timeline_path_out_of_range_exits_2() {
    for n in ["0", "3"] {
        let (code, out, err) = run(&["timeline", "flows/opt-in-mixed.yaml", "--path", n]);
        assert_eq!(code, 2, "{n}");
        assert!(out.is_empty());
        assert!(err.contains("the flow has 2 path(s)"), "{err}");
    }
}

#[test]
fn timeline_writes_svg_and_never_over_an_input() {
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("cart.svg");
    std::fs::write(&svg, "old").unwrap();
    let (code, _, err) = run_with(
        flowcost()
            .args([
                "timeline",
                "flows/abandoned-cart.yaml",
                "--at",
                "2026-11-02",
                "--svg",
            ])
            .arg(&svg),
    );
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("wrote"), "{err}");
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(text.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert_eq!(text.matches("Path ").count(), 3);
    // No temporary file is left beside it.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);

    let flow = dir.path().join("flow.yaml");
    std::fs::copy("flows/abandoned-cart.yaml", &flow).unwrap();
    let before = std::fs::read_to_string(&flow).unwrap();
    let (code, _, err) = run_with(
        flowcost()
            .arg("timeline")
            .arg(&flow)
            .arg("--svg")
            .arg(&flow),
    );
    assert_eq!(code, 2);
    assert!(err.contains("is an input file"), "{err}");
    assert_eq!(std::fs::read_to_string(&flow).unwrap(), before);
}

fn chromium() -> Option<&'static str> {
    ["chromium", "chromium-browser"].into_iter().find(|c| {
        std::process::Command::new(c)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

/// The SVG loads in a real browser: Chromium parses it as XML (a malformed document renders
/// a `parsererror` instead) and takes a screenshot. Skipped only outside CI without Chromium.
#[test]
fn timeline_svg_renders_in_headless_chromium() {
    let Some(browser) = chromium() else {
        let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false");
        assert!(!ci, "CI needs chromium for this test: .ci/run installs it");
        eprintln!("skipped: chromium is not installed (apt-get install chromium)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("timeline.svg");
    let (code, _, err) = run_with(
        flowcost()
            .args([
                "timeline",
                "flows/click-to-whatsapp-ad.yaml",
                "--at",
                "2025-01-15",
                "--svg",
            ])
            .arg(&svg),
    );
    assert_eq!(code, 0, "{err}");
    let url = format!("file://{}", svg.display());
    let chrome = |extra: &[String]| {
        let profile = tempfile::tempdir().unwrap();
        let out = std::process::Command::new(browser)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .args(extra)
            .arg(&url)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let dom = chrome(&["--dump-dom".to_string()]);
    assert!(dom.contains("<svg"), "no SVG in the DOM:\n{dom}");
    assert!(
        !dom.contains("parsererror"),
        "the SVG does not parse:\n{dom}"
    );
    assert!(dom.contains("spring-sale-ad"), "{dom}");
    // A screenshot, kept out of the repository (FLOWCOST_SCREENSHOT names where, to look at it).
    let png = std::env::var_os("FLOWCOST_SCREENSHOT")
        .map(PathBuf::from)
        .unwrap_or_else(|| dir.path().join("timeline.png"));
    chrome(&[
        format!("--screenshot={}", png.display()),
        "--window-size=1000,480".to_string(),
    ]);
    let bytes = std::fs::read(&png).unwrap();
    assert!(bytes.starts_with(b"\x89PNG"), "not a PNG");
    assert!(
        bytes.len() > 10_000,
        "a blank screenshot? {} bytes",
        bytes.len()
    );
}

// --------------------------------------------------------------------------------------- schema

fn schema_validator() -> jsonschema::Validator {
    let (code, out, _) = run(&["schema"]);
    assert_eq!(code, 0);
    let schema: serde_json::Value = serde_json::from_str(&out).unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

fn yaml_as_json(path: &Path) -> serde_json::Value {
    serde_yaml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn schema_validates_every_example_flow() {
    let validator = schema_validator();
    let files = example_flows();
    assert!(files.len() >= 6);
    for path in files {
        let errors: Vec<String> = validator
            .iter_errors(&yaml_as_json(&path))
            .map(|e| format!("{} at {}", e, e.instance_path))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
    }
}

#[test]
fn schema_refuses_what_the_loader_refuses() {
    let validator = schema_validator();
    for name in [
        "unknown-key",
        "unknown-node-type",
        "bad-duration",
        "bad-category",
        "service-template",
        "missing-keys",
        "bad-weight",
        "bad-market",
    ] {
        let path = PathBuf::from(format!("tests/fixtures/bad/{name}.yaml"));
        assert!(
            !validator.is_valid(&yaml_as_json(&path)),
            "{name} passes the schema"
        );
    }
}

#[test]
fn example_flows_point_editors_at_the_schema() {
    for path in example_flows() {
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.starts_with("# yaml-language-server: $schema=../schema/flow.schema.json\n"),
            "{}",
            path.display()
        );
    }
    assert!(Path::new("schema/flow.schema.json").exists());
}

// ---------------------------------------------------------------------------- completions / man

#[test]
fn completions_print_for_every_shell() {
    for (shell, marker) in [
        ("bash", "_flowcost()"),
        ("zsh", "#compdef flowcost"),
        ("fish", "complete -c flowcost"),
        ("powershell", "Register-ArgumentCompleter"),
        ("elvish", "edit:completion:arg-completer[flowcost]"),
    ] {
        let (code, out, err) = run(&["completions", shell]);
        assert_eq!(code, 0, "{shell}: {err}");
        assert!(out.contains(marker), "{shell}");
        assert!(out.contains("timeline"), "{shell} lacks a subcommand");
    }
    let (code, _, err) = run(&["completions"]);
    assert_eq!(code, 2, "a shell or --dir is required");
    assert!(err.contains("--dir"), "{err}");
    let (code, _, _) = run(&["completions", "tcsh"]);
    assert_eq!(code, 2);
}

#[test]
fn man_prints_a_roff_page() {
    let (code, out, _) = run(&["man"]);
    assert_eq!(code, 0);
    assert!(out.contains(".TH flowcost 1"));
    assert!(out.contains("timeline"));
}

// ---------------------------------------------------------------------- --color/--quiet/--verbose

const MIXED: [&str; 4] = ["simulate", "flows/opt-in-mixed.yaml", "--at", "2026-11-02"];

#[test]
fn color_is_off_for_pipes_and_on_when_asked() {
    let (_, plain, _) = run(&MIXED);
    assert!(!plain.contains('\x1b'), "a pipe gets no color");
    let (_, forced, _) = run_with(flowcost().arg("--color").arg("always").args(MIXED));
    assert!(forced.contains("\x1b[1;33mwarning:\x1b[0m"), "{forced}");
    let (_, forced, _) = run_with(flowcost().args(MIXED).env("CLICOLOR_FORCE", "1"));
    assert!(
        forced.contains('\x1b'),
        "CLICOLOR_FORCE forces color in auto"
    );
    let (_, none, _) = run_with(
        flowcost()
            .args(MIXED)
            .env("CLICOLOR_FORCE", "1")
            .env("NO_COLOR", "1"),
    );
    assert!(
        !none.contains('\x1b'),
        "NO_COLOR wins over CLICOLOR_FORCE in auto"
    );
    let (_, never, _) = run_with(
        flowcost()
            .args(MIXED)
            .args(["--color", "never"])
            .env("CLICOLOR_FORCE", "1"),
    );
    assert!(!never.contains('\x1b'));
    // Diagnostics on stderr follow --color too.
    let (_, _, err) = run(&[
        "--color",
        "always",
        "simulate",
        "tests/fixtures/bad/bad-market.yaml",
    ]);
    assert!(err.contains('\x1b'), "{err}");
    let (_, _, err) = run(&["simulate", "tests/fixtures/bad/bad-market.yaml"]);
    assert!(!err.contains('\x1b'), "{err}");
}

#[test]
fn quiet_drops_notes_and_status_verbose_explains() {
    // A listing cut at --paths prints a note.
    let args = [
        "simulate",
        "tests/fixtures/flows/many-splits.yaml",
        "--at",
        "2026-11-02",
        "--paths",
        "2",
    ];
    let (_, normal, _) = run(&args);
    assert!(
        normal.contains("note: listed the 2 most probable of 8 paths"),
        "{normal}"
    );
    let (code, quiet, err) = run_with(flowcost().args(args).arg("--quiet"));
    assert_eq!(code, 0);
    assert!(!quiet.contains("note:"), "{quiet}");
    assert!(quiet.contains("Summary"), "data stays: {quiet}");
    assert!(err.is_empty());

    let (code, out, err) = run_with(flowcost().arg("-v").args(MIXED));
    assert_eq!(code, 0);
    assert!(out.contains("Summary"));
    for expected in [
        "flowcost: read flow `newsletter-opt-in-mixed` from flows/opt-in-mixed.yaml",
        "pricing model pmp-2026-10 (in force at the start, in account time zone +00:00)",
        "flowcost: explored 2 path(s) in 5 merged states; listed 2",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in {err}");
    }
    let (_, _, err) = run_with(flowcost().args(MIXED).args(["--pricing", "cbp", "-v"]));
    assert!(
        err.contains("pricing model cbp (given with --pricing)"),
        "{err}"
    );
    let (_, _, err) = run(&MIXED);
    assert!(err.is_empty(), "silent without --verbose: {err}");
    let (code, _, err) = run_with(flowcost().args(MIXED).args(["-q", "-v"]));
    assert_eq!(code, 2);
    assert!(err.contains("cannot be used with"), "{err}");
}

// ------------------------------------------------------------------------------------------ init

#[test]
fn init_writes_a_project_that_simulates_cleanly_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("new");
    let (code, out, err) = run_with(flowcost().arg("init").arg(&project));
    assert_eq!(code, 0, "{err}");
    assert!(out.is_empty());
    assert!(err.contains("created") && err.contains("next:"), "{err}");
    for f in [
        "flowcost.toml",
        "templates.yaml",
        "flows/welcome.yaml",
        "schema/flow.schema.json",
    ] {
        assert!(project.join(f).is_file(), "{f}");
    }
    let (code, out, err) = run_with(flowcost().current_dir(&project).args([
        "simulate",
        "flows/welcome.yaml",
        "--templates",
        "templates.yaml",
        "--at",
        "2026-11-02",
    ]));
    assert_eq!(code, 0, "{err}");
    assert!(
        !out.contains("warning:") && !out.contains("error:"),
        "{out}"
    );
    assert!(out.contains("categories: utility"), "{out}");
    // The starter flow passes the schema it points at.
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(project.join("schema/flow.schema.json")).unwrap(),
    )
    .unwrap();
    let flow = yaml_as_json(&project.join("flows/welcome.yaml"));
    assert!(jsonschema::validator_for(&schema).unwrap().is_valid(&flow));
    // flowcost.toml is TOML with the keys reserved for lint.
    let config: toml::Table = std::fs::read_to_string(project.join("flowcost.toml"))
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(config["fail-on"].as_str(), Some("error"));
    assert!(config["rules"].is_table());

    let toml_before = std::fs::read_to_string(project.join("flowcost.toml")).unwrap();
    std::fs::write(project.join("flowcost.toml"), "# mine\n").unwrap();
    let (code, _, err) = run_with(flowcost().arg("init").arg(&project));
    assert_eq!(code, 2);
    assert!(
        err.contains("never overwrites") && err.contains("flowcost.toml"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(project.join("flowcost.toml")).unwrap(),
        "# mine\n"
    );
    assert_ne!(toml_before, "# mine\n");

    let quiet = dir.path().join("quiet");
    let (code, _, err) = run_with(flowcost().arg("-q").arg("init").arg(&quiet));
    assert_eq!(code, 0);
    assert!(err.is_empty(), "{err}");
}

// -------------------------------------------------------------------------------- pre-commit

/// The hook runs as pre-commit runs it: `ENTRY ARGS… FILES…`, with flowcost on the PATH.
#[test]
fn pre_commit_hook_validates_flows() {
    let text = std::fs::read_to_string(".pre-commit-hooks.yaml").unwrap();
    let hooks: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    let hooks = hooks.as_sequence().expect("a list of hooks");
    assert_eq!(hooks.len(), 2);
    let hook = &hooks[0];
    for key in ["id", "name", "entry", "language", "files"] {
        assert!(hook.get(key).is_some(), "hook without {key}: {hook:?}");
    }
    assert_eq!(hook["language"].as_str(), Some("rust"));
    let files = hook["files"].as_str().unwrap();
    assert_eq!(files, r"^flows/.*\.ya?ml$");
    let entry = hook["entry"].as_str().unwrap();
    let bin = assert_cmd::cargo::cargo_bin("flowcost");
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let hook_run = |args: &str| {
        std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("{entry} {args}"))
            .env("PATH", &path)
            .output()
            .unwrap()
    };
    let good = hook_run("--at 2026-11-02 flows/opt-in-mixed.yaml flows/abandoned-cart.yaml");
    assert!(
        good.status.success(),
        "{}",
        String::from_utf8_lossy(&good.stderr)
    );
    assert!(good.stdout.is_empty());
    let bad = hook_run("flows/opt-in-mixed.yaml tests/fixtures/bad/unknown-key.yaml");
    assert!(!bad.status.success());
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(err.contains("flowcost::unknown-key"), "{err}");
    let catalog = hook_run(
        "--templates tests/fixtures/flows/catalog.yaml tests/fixtures/flows/uses-catalog.yaml",
    );
    assert!(
        catalog.status.success(),
        "{}",
        String::from_utf8_lossy(&catalog.stderr)
    );
}

/// The lint hook: every staged file in one run, failing on errors (or what `--fail-on` says).
#[test]
fn pre_commit_lint_hook_fails_on_findings() {
    let text = std::fs::read_to_string(".pre-commit-hooks.yaml").unwrap();
    let hooks: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    let hook = hooks
        .as_sequence()
        .unwrap()
        .iter()
        .find(|h| h["id"].as_str() == Some("flowcost-lint"))
        .expect("a flowcost-lint hook");
    let entry = hook["entry"].as_str().unwrap();
    let bin = assert_cmd::cargo::cargo_bin("flowcost");
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let hook_run = |args: &str| {
        std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("{entry} --no-config {args}"))
            .env("PATH", &path)
            .env_remove("GITHUB_ACTIONS")
            .output()
            .unwrap()
    };
    assert!(
        hook_run("--at 2026-11-02 flows/opt-in-mixed.yaml flows/abandoned-cart.yaml")
            .status
            .success()
    );
    assert!(
        !hook_run("--at 2026-11-02 --fail-on warning flows/opt-in-mixed.yaml")
            .status
            .success()
    );
    let bad = hook_run("--at 2026-11-02 flows/opt-in-mixed.yaml tests/fixtures/lint/free-form-outside-window/bad.yaml");
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stdout).contains("FC002 free-form-outside-window"));
}

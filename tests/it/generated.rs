//! Committed generated files stay in sync with the CLI: shell completions (`completions/`),
//! man pages (`man/`), the flow JSON Schema (`schema/flow.schema.json`) and the lint rules of
//! the manual (`docs/lint-rules.md`).
//!
//! After changing a command or flag, regenerate all of them with
//! `UPDATE_GENERATED=1 cargo test --test it generated`.

use super::common::flowcost;
use std::path::Path;

const REGENERATE: &str = "UPDATE_GENERATED=1 cargo test --test it generated";

fn update() -> bool {
    std::env::var_os("UPDATE_GENERATED").is_some_and(|v| v != "0")
}

/// Files of a directory, by name.
fn files(dir: &Path) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = std::fs::read_dir(dir)
        .map(|d| {
            d.map(|e| e.unwrap().path())
                .filter(|p| p.is_file())
                .map(|p| {
                    let name = p.file_name().unwrap().to_string_lossy().into_owned();
                    (name, std::fs::read_to_string(&p).unwrap())
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

/// Runs `flowcost SUBCOMMAND --dir TMP` and compares TMP with the committed `dir`; with
/// UPDATE_GENERATED, writes into the committed directory instead.
fn check_dir(subcommand: &str, dir: &str) {
    if update() {
        let _ = std::fs::remove_dir_all(dir);
        flowcost()
            .args([subcommand, "--dir", dir, "-q"])
            .assert()
            .success();
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    flowcost()
        .args([subcommand, "--dir"])
        .arg(tmp.path())
        .arg("-q")
        .assert()
        .success();
    let fresh = files(tmp.path());
    let committed = files(Path::new(dir));
    let names = |v: &[(String, String)]| v.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(
        names(&committed),
        names(&fresh),
        "{dir}/ is out of date (files differ): run `{REGENERATE}`"
    );
    for ((name, old), (_, new)) in committed.iter().zip(&fresh) {
        assert!(
            old == new,
            "{dir}/{name} is out of date: run `{REGENERATE}` (or `cargo run -- {subcommand} --dir {dir}`)"
        );
    }
}

#[test]
fn completions_are_up_to_date() {
    check_dir("completions", "completions");
    let names: Vec<String> = files(Path::new("completions"))
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    assert_eq!(
        names,
        [
            "_flowcost",
            "_flowcost.ps1",
            "flowcost.bash",
            "flowcost.elv",
            "flowcost.fish"
        ]
    );
}

#[test]
fn man_pages_are_up_to_date() {
    check_dir("man", "man");
    assert!(Path::new("man/flowcost.1").exists());
    assert!(Path::new("man/flowcost-simulate.1").exists());
}

#[test]
fn schema_file_is_up_to_date() {
    let out = flowcost().arg("schema").output().unwrap();
    assert!(out.status.success());
    let fresh = String::from_utf8(out.stdout).unwrap();
    let path = "schema/flow.schema.json";
    if update() {
        std::fs::create_dir_all("schema").unwrap();
        std::fs::write(path, &fresh).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == fresh,
        "{path} is out of date: run `{REGENERATE}` (or `cargo run -- schema > {path}`)"
    );
}

/// `docs/lint-rules.md`: every rule `flowcost rules` lists, with the text `flowcost explain`
/// prints for it (its headings one level down), so the manual and the binary say the same.
fn lint_rules_markdown() -> String {
    let out = flowcost().arg("rules").output().unwrap();
    assert!(out.status.success());
    let table = String::from_utf8(out.stdout).unwrap();
    let mut codes: Vec<String> = Vec::new();
    for word in table.split(|c: char| !c.is_ascii_alphanumeric()) {
        let is_code = word.len() == 5
            && word.starts_with("FC")
            && word[2..].chars().all(|c| c.is_ascii_digit());
        if is_code && !codes.iter().any(|c| c == word) {
            codes.push(word.to_string());
        }
    }
    assert!(codes.len() >= 16, "`flowcost rules` lists {codes:?}");
    let mut index = String::new();
    let mut body = String::new();
    for code in &codes {
        let out = flowcost().args(["explain", code]).output().unwrap();
        assert!(out.status.success(), "flowcost explain {code}");
        let text = String::from_utf8(out.stdout).unwrap();
        let (first, rest) = text.split_once('\n').unwrap_or((&text, ""));
        // "mixed-categories (FC001, default: warning)"
        let (name, tail) = first.split_once(" (").expect("NAME (CODE, default: LEVEL)");
        let level = tail
            .trim_end_matches(')')
            .rsplit("default: ")
            .next()
            .unwrap_or_default();
        let anchor = format!("{}-{}", code.to_lowercase(), name);
        index.push_str(&format!("| [{code}](#{anchor}) | `{name}` | {level} |\n"));
        body.push_str(&format!(
            "\n## {code} {name}\n\nDefault level: {level}. `flowcost explain {code}` (or `flowcost explain {name}`) prints this section.\n"
        ));
        let mut in_code = false;
        for line in rest.lines() {
            if line.starts_with("```") {
                in_code = !in_code;
            }
            if !in_code && line.starts_with("## ") {
                body.push('#');
            }
            body.push_str(line);
            body.push('\n');
        }
    }
    format!(
        "# Lint rules\n\n\
         <!-- Generated from `flowcost rules` and `flowcost explain`; do not edit. Regenerate with\n     \
         `{REGENERATE}`. -->\n\n\
         Every rule `flowcost lint` runs, with its code, name and default level. How to run lint,\n\
         change levels and suppress findings: [Linting](commands.md#linting).\n\n\
         | code | name | default |\n| --- | --- | --- |\n{index}{body}"
    )
}

#[test]
fn lint_rules_doc_is_up_to_date() {
    let fresh = lint_rules_markdown();
    let path = "docs/lint-rules.md";
    if update() {
        std::fs::write(path, &fresh).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == fresh,
        "{path} is out of date: run `{REGENERATE}`"
    );
}

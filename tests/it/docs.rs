//! Every command the manual shows runs here: each ```` ```console ```` block of `README.md` and
//! `docs/*.md` is a list of `$ flowcost …` commands, each followed by the output it must print.
//!
//! - The expected text is the command's standard output followed by its standard error, with
//!   trailing spaces ignored. A line `...` stands for any number of lines (none included), and
//!   `[..]` inside a line for any text on that line.
//! - A last line `? N` is the exit code the command must end with (else 0).
//! - `$ flowcost … > FILE` writes standard output to FILE instead (then the expected text is
//!   standard error only).
//! - Commands of one file run in order, in a scratch directory that sees the repository's
//!   `flows/`, `examples/`, `schema/`, `tests/fixtures/` and `tests/bad/` (read-only by
//!   convention), so a file one command writes (`-o flow.yaml`) is there for the next.
//! - Commands that take `--at` (`simulate`, `lint`, `cost`, `diff`, `rates`, `timeline`,
//!   `graph`: their `--help` says so) must give it: the default is today, which changes.
//! - A `flowcost` command in a `sh`, `bash` or `shell` block fails the test: it would not run.
//!
//! To see what a command prints, run it from the repository root: `cargo run -q -- …`.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// One `$ flowcost …` line of a console block, and what it must print.
struct Case {
    file: String,
    line: usize,
    command: String,
    expected: Vec<String>,
    code: i32,
}

/// The Markdown files of the manual: README.md and every `docs/*.md`.
fn manual() -> Vec<PathBuf> {
    let mut files = vec![PathBuf::from("README.md")];
    let mut docs: Vec<PathBuf> = std::fs::read_dir("docs")
        .expect("docs/ exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    docs.sort();
    files.extend(docs);
    files
}

/// The console cases of a Markdown text; errors for commands outside console blocks.
fn cases(file: &str, text: &str) -> (Vec<Case>, Vec<String>) {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let mut fence: Option<String> = None;
    let mut current: Option<Case> = None;
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        let trimmed = line.trim_start();
        if let Some(info) = trimmed.strip_prefix("```") {
            if fence.is_some() {
                out.extend(current.take());
                fence = None;
            } else {
                fence = Some(info.trim().to_string());
            }
            continue;
        }
        let Some(info) = fence.as_deref() else {
            continue;
        };
        match info {
            "console" => {
                if let Some(command) = line.strip_prefix("$ ") {
                    out.extend(current.take());
                    current = Some(Case {
                        file: file.to_string(),
                        line: n,
                        command: command.trim().to_string(),
                        expected: Vec::new(),
                        code: 0,
                    });
                } else if let Some(case) = current.as_mut() {
                    case.expected.push(line.trim_end().to_string());
                } else {
                    errors.push(format!("{file}:{n}: a console block must start with `$ `"));
                }
            }
            "sh" | "bash" | "shell"
                if trimmed.starts_with("flowcost ") || trimmed.starts_with("$ flowcost") =>
            {
                errors.push(format!(
                    "{file}:{n}: `flowcost` commands belong in ```console blocks, where a test runs them"
                ));
            }
            _ => {}
        }
    }
    for case in &mut out {
        while case.expected.last().is_some_and(|l| l.is_empty()) {
            case.expected.pop();
        }
        if let Some(code) = case
            .expected
            .last()
            .and_then(|l| l.strip_prefix("? "))
            .and_then(|c| c.trim().parse().ok())
        {
            case.code = code;
            case.expected.pop();
        }
    }
    (out, errors)
}

/// Splits a command line as a shell would for plain words and quotes ('…', "…").
fn words(command: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut quote: Option<char> = None;
    let mut started = false;
    for c in command.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                started = true;
            }
            (None, c) if c.is_whitespace() => {
                if started {
                    out.push(std::mem::take(&mut word));
                    started = false;
                }
            }
            (None, c) => {
                word.push(c);
                started = true;
            }
        }
    }
    if started {
        out.push(word);
    }
    out
}

/// Does `actual` match the `expected` lines (`...` lines and `[..]` wildcards)?
fn matches(expected: &[String], actual: &[&str]) -> bool {
    match expected.split_first() {
        None => actual.is_empty(),
        Some((e, rest)) if e == "..." => (0..=actual.len()).any(|k| matches(rest, &actual[k..])),
        Some((e, rest)) => {
            actual.first().is_some_and(|a| line_matches(e, a)) && matches(rest, &actual[1..])
        }
    }
}

/// One line against a pattern whose `[..]` stand for any text.
fn line_matches(pattern: &str, line: &str) -> bool {
    let parts: Vec<&str> = pattern.split("[..]").collect();
    if parts.len() == 1 {
        return pattern == line;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !line.starts_with(first) || !line[first.len()..].ends_with(last) {
        return false;
    }
    let mut rest = &line[first.len()..line.len() - last.len()];
    for part in &parts[1..parts.len() - 1] {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    true
}

/// A scratch directory that sees the repository's example files.
fn scratch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = std::env::current_dir().unwrap();
    for name in ["flows", "examples", "schema"] {
        std::os::unix::fs::symlink(root.join(name), dir.path().join(name)).unwrap();
    }
    std::fs::create_dir(dir.path().join("tests")).unwrap();
    for name in ["tests/fixtures", "tests/bad"] {
        std::os::unix::fs::symlink(root.join(name), dir.path().join(name)).unwrap();
    }
    dir
}

/// Does the subcommand take `--at` (so that without it, its output depends on today's date)?
fn takes_a_date(subcommand: &str) -> bool {
    thread_local! {
        static KNOWN: std::cell::RefCell<std::collections::HashMap<String, bool>> =
            Default::default();
    }
    KNOWN.with_borrow_mut(|known| {
        *known.entry(subcommand.to_string()).or_insert_with(|| {
            let out = Command::new(assert_cmd::cargo::cargo_bin("flowcost"))
                .args([subcommand, "--help"])
                .output()
                .unwrap();
            String::from_utf8_lossy(&out.stdout).contains("--at <")
        })
    })
}

/// Runs one case in `dir`; `Err` says how it went wrong.
fn run(case: &Case, dir: &Path) -> Result<(), String> {
    let mut words = words(&case.command);
    let mut stdout_to = None;
    if let Some(at) = words.iter().position(|w| w == ">") {
        stdout_to = words.get(at + 1).cloned();
        words.truncate(at);
    }
    let Some(("flowcost", args)) = words.split_first().map(|(p, a)| (p.as_str(), a)) else {
        return Err("only `flowcost` commands can be shown in a console block".into());
    };
    let subcommand = args.iter().find(|a| !a.starts_with('-'));
    if subcommand.is_some_and(|s| takes_a_date(s)) && !args.iter().any(|a| a == "--at") {
        return Err("pin the date with `--at`: the default is today".into());
    }
    let out = Command::new(assert_cmd::cargo::cargo_bin("flowcost"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("GITHUB_ACTIONS")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let shown = match &stdout_to {
        Some(file) => {
            std::fs::write(dir.join(file), &stdout).unwrap();
            stderr
        }
        None => stdout + &stderr,
    };
    let lines: Vec<&str> = shown.lines().map(str::trim_end).collect();
    let end = lines
        .iter()
        .rposition(|l| !l.is_empty())
        .map_or(0, |i| i + 1);
    let code = out.status.code().unwrap_or(-1);
    if code == case.code && matches(&case.expected, &lines[..end]) {
        return Ok(());
    }
    Err(format!(
        "exit code {code} (expected {})\n--- expected\n{}\n--- printed\n{}",
        case.code,
        case.expected.join("\n"),
        lines[..end].join("\n")
    ))
}

#[test]
fn every_command_of_the_manual_prints_what_the_manual_shows() {
    let mut failures = Vec::new();
    let mut count = 0;
    for path in manual() {
        let file = path.to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&path).unwrap();
        let (cases, errors) = cases(&file, &text);
        failures.extend(errors);
        let dir = scratch();
        for case in &cases {
            count += 1;
            if let Err(why) = run(case, dir.path()) {
                failures.push(format!(
                    "{}:{}: $ {}\n{why}",
                    case.file, case.line, case.command
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {count} documented commands differ from the manual:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
    assert!(count >= 40, "the manual shows only {count} commands");
}

#[test]
fn the_block_reader_and_the_matcher_do_what_the_tests_rely_on() {
    let text = "x\n```console\n$ flowcost rates --at 2026-11-02 --market DE\nfirst\n...\nlast [..] end\n? 2\n```\n```sh\nflowcost lint flows/\n```\n";
    let (cases, errors) = cases("t.md", text);
    assert_eq!(cases.len(), 1);
    assert_eq!(cases[0].line, 3);
    assert_eq!(cases[0].code, 2);
    assert_eq!(cases[0].expected, ["first", "...", "last [..] end"]);
    assert_eq!(errors.len(), 1, "{errors:?}");
    let e = &cases[0].expected;
    assert!(matches(e, &["first", "last a b end"]));
    assert!(matches(e, &["first", "x", "y", "last  end"]));
    assert!(!matches(e, &["first", "last a b"]));
    assert!(!matches(e, &["second", "last a end"]));
    assert!(!matches(e, &["first", "last a end", "more"]));
    assert_eq!(
        words(r#"flowcost lint "a b" 'c d' e"#),
        ["flowcost", "lint", "a b", "c d", "e"]
    );
    assert!(takes_a_date("simulate") && takes_a_date("rates"));
    assert!(!takes_a_date("replay") && !takes_a_date("explain"));
}

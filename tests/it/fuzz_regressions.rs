//! Inputs found by fuzzing (`fuzz/`) and by the property tests, kept as regression tests that
//! run on stable Rust: every file under `tests/fuzz/TARGET/` goes through the checks of that
//! target (no panic, problems that render, no dangling edge; a parsed duration round-trips).

use flowcost::diagnostic::{FileProblem, LoadError, SourceFile};
use flowcost::flow::{parse_catalog_with, parse_flow_with, Flow};
use flowcost::import::{parse_any, Format, ImportOptions};
use flowcost::limits::Limits;
use flowcost::time::{format_duration, parse_duration, parse_instant};
use std::path::Path;

fn renders(e: &LoadError) {
    assert!(!e.problems.is_empty());
    for p in &e.problems {
        if let Some(s) = p.span {
            assert!(s.offset + s.len <= e.file.text.len().max(1), "{p:?}");
            assert!(e
                .file
                .text
                .is_char_boundary(s.offset.min(e.file.text.len())));
        }
        let _ = format!(
            "{:?}",
            miette::Report::new(FileProblem::new(&e.file, p.clone()))
        );
    }
}

fn sound(flow: &Flow) {
    let n = flow.nodes.len();
    assert!(flow
        .nodes
        .iter()
        .all(|node| node.successors().iter().all(|&s| s < n)));
}

fn flow_loader(text: &str) {
    let tight = Limits {
        nodes: 8,
        depth: 6,
        alias_nodes: 64,
        ..Limits::default()
    };
    for limits in [Limits::default(), tight] {
        let file = SourceFile::new("fuzz.yaml", text);
        match parse_flow_with(file.clone(), None, &limits) {
            Ok(flow) => sound(&flow),
            Err(e) => renders(&e),
        }
        if let Err(e) = parse_catalog_with(file, &limits) {
            renders(&e);
        }
    }
}

fn import_json(text: &str) {
    for from in [None, Some(Format::Goflow), Some(Format::TwilioStudio)] {
        let options = ImportOptions {
            from,
            ..ImportOptions::default()
        };
        match parse_any(SourceFile::new("fuzz.json", text), &options, None) {
            Ok(loaded) => sound(&loaded.flow),
            Err(e) => renders(&e),
        }
    }
}

fn time_parsers(text: &str) {
    if let Ok(d) = parse_duration(text) {
        assert_eq!(parse_duration(&format_duration(d)), Ok(d), "{text:?}");
    }
    let _ = parse_instant(text);
}

/// The checks of one fuzz target.
type Check = fn(&str);

#[test]
fn every_kept_input_passes_its_target() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz");
    let targets: [(&str, Check); 3] = [
        ("flow_loader", flow_loader),
        ("import_json", import_json),
        ("time_parsers", time_parsers),
    ];
    let mut count = 0;
    for (target, check) in targets {
        let Ok(entries) = std::fs::read_dir(root.join(target)) else {
            continue;
        };
        for entry in entries {
            let path = entry.expect("entry").path();
            let bytes = std::fs::read(&path).expect("read");
            // libFuzzer inputs are bytes; the targets skip what is not UTF-8.
            if let Ok(text) = std::str::from_utf8(&bytes) {
                check(text);
                count += 1;
            }
        }
    }
    assert!(count > 0, "no kept inputs under tests/fuzz/");
}

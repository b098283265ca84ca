//! The YAML flow loader on any text: it may refuse, never panic, hang or blow up. Each input is
//! also loaded as a template catalog, and under tight limits so that the limit paths run too.
#![no_main]

use flowcost::diagnostic::{FileProblem, SourceFile};
use flowcost::flow::{parse_catalog_with, parse_flow_with};
use flowcost::limits::Limits;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let tight = Limits {
        nodes: 8,
        depth: 6,
        alias_nodes: 64,
        ..Limits::default()
    };
    for limits in [Limits::default(), tight] {
        let file = SourceFile::new("fuzz.yaml", text);
        match parse_flow_with(file.clone(), None, &limits) {
            // Every problem must render: spans inside the text, on character boundaries.
            Err(e) => e.problems.iter().for_each(|p| {
                let _ = format!(
                    "{:?}",
                    miette::Report::new(FileProblem::new(&e.file, p.clone()))
                );
            }),
            Ok(flow) => assert!(flow
                .nodes
                .iter()
                .all(|n| n.successors().iter().all(|&s| s < flow.nodes.len()))),
        }
        let _ = parse_catalog_with(file, &limits);
    }
});

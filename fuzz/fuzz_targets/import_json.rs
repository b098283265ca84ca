//! Format detection and the goflow / Twilio Studio importers on any text: refuse or convert,
//! never panic; a converted flow has no dangling edge.
#![no_main]

use flowcost::diagnostic::{FileProblem, SourceFile};
use flowcost::import::{parse_any, Format, ImportOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for from in [None, Some(Format::Goflow), Some(Format::TwilioStudio)] {
        let options = ImportOptions {
            from,
            ..ImportOptions::default()
        };
        match parse_any(SourceFile::new("fuzz.json", text), &options, None) {
            Err(e) => e.problems.iter().for_each(|p| {
                let _ = format!(
                    "{:?}",
                    miette::Report::new(FileProblem::new(&e.file, p.clone()))
                );
            }),
            Ok(loaded) => {
                let n = loaded.flow.nodes.len();
                assert!(loaded
                    .flow
                    .nodes
                    .iter()
                    .all(|node| node.successors().iter().all(|&s| s < n)));
            }
        }
    }
});

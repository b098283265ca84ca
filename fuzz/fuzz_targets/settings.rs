//! `flowcost.toml` and rate cards from any text: the config parser and a user's rate card
//! (`RateBook::add_card`) never panic, and every problem renders with its span inside the text.
#![no_main]

use flowcost::diagnostic::{FileProblem, LoadError, SourceFile};
use flowcost::lint::parse_config;
use flowcost::rates::RateBook;
use libfuzzer_sys::fuzz_target;

fn renders(e: &LoadError) {
    for p in &e.problems {
        if let Some(s) = p.span {
            assert!(s.offset + s.len <= e.file.text.len().max(1), "{p:?}");
        }
        let _ = format!("{:?}", miette::Report::new(FileProblem::new(&e.file, p.clone())));
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Err(e) = parse_config(SourceFile::new("flowcost.toml", text)) {
        renders(&e);
    }
    if let Ok(mut book) = RateBook::builtin() {
        if let Err(e) = book.add_card(SourceFile::new("card.csv", text), true) {
            renders(&e);
        }
    }
});

//! The replay line parser on any bytes, read both as a CSV log and as NDJSON (flat rows or
//! Cloud API webhooks): never a panic, whatever the rows hold.
#![no_main]

use flowcost::replay::parse::{ParseOptions, Parser};
use flowcost::replay::{ColumnMap, InputFormat};
use libfuzzer_sys::fuzz_target;
use std::io::Write;

fuzz_target!(|data: &[u8]| {
    let Ok(mut file) = tempfile::NamedTempFile::new() else { return };
    if file.write_all(data).is_err() {
        return;
    }
    for format in [InputFormat::Csv, InputFormat::Ndjson] {
        let options = ParseOptions { format: Some(format), map: ColumnMap::default(), earliest_ms: 0, strict: false };
        let mut parser = Parser::new(&options);
        parser.file(0, file.path(), &mut |_batch| true);
    }
});

//! The Parquet reader on any bytes, read as a Parquet log both through the pipeline's parser
//! and through the parallel reader's row groups: never a panic, and no allocation a hostile
//! footer or page header asks for past the reader's limits. Seeds worth starting from: a small
//! `flowcost gen-log --rows 300 -o seed.parquet`.
#![no_main]

use flowcost::billing::Rules;
use flowcost::replay::parse::{ParseOptions, Parser};
use flowcost::replay::{replay_using, ColumnMap, InputFormat, Options, Strategy};
use libfuzzer_sys::fuzz_target;
use std::io::Write;

fuzz_target!(|data: &[u8]| {
    let Ok(mut file) = tempfile::Builder::new().suffix(".parquet").tempfile() else { return };
    if file.write_all(data).is_err() {
        return;
    }
    let options = ParseOptions {
        format: Some(InputFormat::Parquet),
        map: ColumnMap::default(),
        earliest_ms: 0,
        strict: false,
    };
    let mut parser = Parser::new(&options);
    parser.file(0, file.path(), &mut |_batch| true);
    let replay = Options {
        files: vec![file.path().to_path_buf()],
        format: Some(InputFormat::Parquet),
        map: ColumnMap::default(),
        pricing: None,
        account_tz: chrono::FixedOffset::east_opt(0).unwrap(),
        rules: Rules::default(),
        strict: false,
        max_disorder_ms: 3_600_000,
        unsorted: false,
    };
    let strategy = Strategy::Chunked { threads: 2, piece_bytes: 1 << 20 };
    let _ = replay_using(&replay, strategy, &|_| {});
});

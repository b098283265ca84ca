//! `merge-replays` on any text: up to four partial results, cut at form feeds, added up and
//! rendered. Never a panic: a part that is not a replay result is refused with a message.
#![no_main]

use flowcost::replay::partial::merge;
use flowcost::report::replay::{Period, ReplayReport};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let parts: Vec<(String, String)> = text
        .splitn(4, '\u{c}')
        .enumerate()
        .map(|(i, t)| (format!("part-{i}.json"), t.to_string()))
        .collect();
    if let Ok(merged) = merge(&parts) {
        for period in [Period::Day, Period::Month] {
            let report = ReplayReport { replay: &merged.replay, files: &merged.files, period };
            let _ = (report.json(), report.table(), report.diagnostics(), report.mismatches_csv());
        }
    }
});

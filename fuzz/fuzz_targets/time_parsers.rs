//! Durations (`1d12h`) and instants (`--at`) on any text: never a panic or an overflow, and a
//! parsed duration formats back to itself.
#![no_main]

use flowcost::time::{format_duration, format_instant, parse_duration, parse_instant};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(d) = parse_duration(text) {
        assert!(d.num_seconds() > 0);
        assert_eq!(parse_duration(&format_duration(d)), Ok(d), "{text:?}");
    }
    if let Ok(t) = parse_instant(text) {
        let _ = format_instant(t);
    }
});

//! flowcost's integration tests, as one test binary (one link instead of one per file).
//! Each module is a former test file; `common` holds what they share.

mod atomic_writes;
mod bad_inputs;
mod billing_examples;
mod billing_properties;
mod cli;
mod common;
mod cost;
mod docs;
mod ecosystem;
mod examples;
mod fuzz_regressions;
mod generated;
mod import;
mod lint;
mod load_never_panics;
mod loops;
mod merging;
mod messages;
mod msrv;
mod replay;
mod replay_never_panics;
mod replay_parquet;
mod shards;
mod spark;

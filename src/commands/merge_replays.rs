//! `flowcost merge-replays`: partial replay results added up into one report.

use super::replay::{period, render};
use super::{Failure, Outcome, Output};
use crate::cli::MergeReplaysArgs;
use flowcost::replay::partial::merge;
use flowcost::report::replay::ReplayReport;
use std::io::Read;
use std::path::Path;

/// Reads every part, refuses the whole merge on the first bad one (exit 2, nothing printed on
/// stdout), and renders the sum as `replay` renders one run: exit 2 when a part was incomplete
/// or no row could be used.
pub fn run(args: &MergeReplaysArgs) -> Outcome {
    let mut parts = Vec::with_capacity(args.parts.len());
    let mut stdin_read = false;
    let mut seen = Vec::new();
    for path in &args.parts {
        let name = path.display().to_string();
        // The same part twice would count its recipients twice.
        if let Ok(real) = std::fs::canonicalize(path).map(|p| p.display().to_string()) {
            if seen.contains(&real) {
                return Err(Failure::Usage(format!(
                    "{name} is given twice: its counts would be added twice"
                )));
            }
            seen.push(real);
        }
        let text = if path.as_os_str() == "-" {
            if std::mem::replace(&mut stdin_read, true) {
                return Err(Failure::Usage(
                    "standard input (`-`) can be read once: give it once".into(),
                ));
            }
            read_stdin()
        } else {
            read_file(path)
        };
        let text = text.map_err(|e| Failure::Usage(format!("{name}: {e}")))?;
        parts.push((name, text));
    }
    let merged = merge(&parts).map_err(Failure::Usage)?;
    let report = ReplayReport {
        replay: &merged.replay,
        files: &merged.files,
        period: period(args.by),
    };
    let (text, stderr, failed) = render(&report, args.format);
    Ok(Output {
        text,
        code: if failed { 2 } else { 0 },
        stderr,
    })
}

/// The largest partial result read (a replay's JSON lists at most 1,000,000 mismatches).
const MAX_PART_BYTES: u64 = 512 * 1024 * 1024;

fn read_file(path: &Path) -> Result<String, String> {
    if std::fs::metadata(path).is_ok_and(|m| m.is_dir()) {
        return Err("is a directory, not a partial result".into());
    }
    let file = std::fs::File::open(path).map_err(|e| format!("cannot read: {e}"))?;
    read_bounded(file)
}

fn read_stdin() -> Result<String, String> {
    read_bounded(std::io::stdin())
}

/// Reads at most [`MAX_PART_BYTES`]: a device or an endless pipe is refused, never held.
fn read_bounded(reader: impl Read) -> Result<String, String> {
    let mut bytes = Vec::new();
    reader
        .take(MAX_PART_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read: {e}"))?;
    if bytes.len() as u64 > MAX_PART_BYTES {
        return Err(format!(
            "more than {} of text: not a partial result",
            flowcost::flow::mib(MAX_PART_BYTES)
        ));
    }
    String::from_utf8(bytes).map_err(|_| "not UTF-8 text: not a partial result".into())
}

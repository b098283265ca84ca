//! Logs split over files that overlap in time (one file per phone number or per direction,
//! or daily files given out of order), read side by side and merged by timestamp, so they
//! still stream: memory stays bounded by the recipients with open windows, as for one sorted
//! file, instead of holding every row until the end.
//!
//! Each file must be in time order itself (up to `--max-disorder`); a file that is not makes
//! the merged run fall back to holding every recipient, as a single unsorted file does. Rows
//! with the same timestamp keep their file order: the earlier file's first. Flow ids are
//! given in the order rows are parsed, which is deterministic for the same files.

use super::parse::{FileLines, Parser, BATCH_ROWS};
use super::row::{Batch, RowKind, RowProblem};
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::path::PathBuf;

/// The most files merged side by side (each holds an open file and a read buffer); more
/// overlapping files are held in memory instead.
pub const MAX_FILES: usize = 256;

/// Rows parsed ahead per file.
const AHEAD_ROWS: usize = 4096;

/// Bytes read at a time per file.
const READ_BYTES: usize = 1 << 18;

/// One file being merged: its reader and the rows parsed from it but not yet handed on.
struct Source {
    lines: Option<FileLines>,
    batch: Batch,
    next: usize,
}

/// Reads `files` side by side, handing `send` batches of rows in timestamp order. Problems
/// travel with the batches; unusable files are reported and skipped. Returns `false` when
/// `send` asked to stop.
pub fn read(
    parser: &mut Parser,
    files: &[PathBuf],
    send: &mut dyn FnMut(&mut Batch) -> bool,
) -> bool {
    let mut out = Batch::default();
    let mut sources: Vec<Source> = Vec::with_capacity(files.len());
    for (i, path) in files.iter().enumerate() {
        let lines = match parser.open(i as u32, path, READ_BYTES) {
            Ok(lines) => Some(lines),
            Err(message) => {
                out.unusable.push(RowProblem {
                    file: i as u32,
                    line: 0,
                    message,
                });
                None
            }
        };
        sources.push(Source {
            lines,
            batch: Batch::default(),
            next: 0,
        });
    }
    // The earliest next row of every file; ties go to the earlier file.
    let mut heads = BinaryHeap::with_capacity(sources.len());
    for (i, source) in sources.iter_mut().enumerate() {
        if let Some(at) = refill(parser, source, &mut out) {
            heads.push(Reverse((at, i)));
        }
    }
    while let Some(Reverse((_, i))) = heads.pop() {
        let source = &mut sources[i];
        let mut row = source.batch.rows[source.next];
        if let RowKind::Status(k) = row.kind {
            out.statuses.push(source.batch.statuses[k as usize].clone());
            row.kind = RowKind::Status(out.statuses.len() as u32 - 1);
        }
        out.push(row, source.batch.recipient(&source.batch.rows[source.next]));
        source.next += 1;
        let next = match source.batch.rows.get(source.next) {
            Some(r) => Some(r.at),
            None => refill(parser, source, &mut out),
        };
        if let Some(at) = next {
            heads.push(Reverse((at, i)));
        }
        if (out.rows.len() >= BATCH_ROWS || out.problems.len() >= BATCH_ROWS)
            && !hand_on(parser, &mut out, send)
        {
            return false;
        }
    }
    hand_on(parser, &mut out, send)
}

/// Parses the next rows of a file whose parsed rows are used up; the time of the first, or
/// `None` at its end. Problems move to `out`.
fn refill(parser: &mut Parser, source: &mut Source, out: &mut Batch) -> Option<i64> {
    loop {
        let lines = source.lines.as_mut()?;
        source.batch.clear();
        source.next = 0;
        let more = parser.fill(lines, &mut source.batch, AHEAD_ROWS);
        out.problems.append(&mut source.batch.problems);
        match more {
            Ok(true) => {}
            Ok(false) => source.lines = None,
            Err(message) => {
                out.unusable.push(RowProblem {
                    file: lines.file(),
                    line: 0,
                    message,
                });
                source.lines = None;
            }
        }
        if let Some(row) = source.batch.rows.first() {
            return Some(row.at);
        }
    }
}

/// Sends `out` with the flow names its rows (or earlier parsed ones) introduced.
fn hand_on(parser: &mut Parser, out: &mut Batch, send: &mut dyn FnMut(&mut Batch) -> bool) -> bool {
    out.new_flows.extend(parser.take_new_flows());
    let go_on = send(out);
    out.clear();
    go_on
}

//! Logs split over files that overlap in time (one file per phone number or per direction,
//! or daily files given out of order), read side by side and merged by timestamp, so they
//! still stream: memory stays bounded by the recipients with open windows, as for one sorted
//! file, instead of holding every row until the end.
//!
//! Each file must be in time order itself (up to `--max-disorder`); a file that is not makes
//! the merged run fall back to holding every recipient, as a single unsorted file does. Rows
//! with the same timestamp keep their file order: the earlier file's first. Flow ids are
//! given in the order rows are parsed, which is deterministic for the same files.

use super::parse::{gzipped, FileLines, Parser, BATCH_ROWS};
use super::row::{Batch, RowKind, RowProblem};
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

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
        match refill(parser, source, &mut out, send) {
            Ok(Some(at)) => heads.push(Reverse((at, i))),
            Ok(None) => {}
            Err(Stopped) => return false,
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
            None => match refill(parser, source, &mut out, send) {
                Ok(next) => next,
                Err(Stopped) => return false,
            },
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

/// `send` asked to stop.
struct Stopped;

/// Parses the next rows of a file whose parsed rows are used up; the time of the first, or
/// `None` at its end. Problems move to `out`, which is handed on when they fill it (a long
/// run of bad rows must not pile up).
fn refill(
    parser: &mut Parser,
    source: &mut Source,
    out: &mut Batch,
    send: &mut dyn FnMut(&mut Batch) -> bool,
) -> Result<Option<i64>, Stopped> {
    loop {
        let Some(lines) = source.lines.as_mut() else {
            return Ok(None);
        };
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
        let strict_stop = parser.strict() && (!out.problems.is_empty() || !out.unusable.is_empty());
        if strict_stop {
            hand_on(parser, out, send);
            return Err(Stopped);
        }
        if out.problems.len() >= BATCH_ROWS && !hand_on(parser, out, send) {
            return Err(Stopped);
        }
        if let Some(row) = source.batch.rows.first() {
            return Ok(Some(row.at));
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

/// Bytes read from the end of an uncompressed file to find its last rows.
const TAIL_BYTES: u64 = 1 << 16;

/// Whether some file starts before an earlier one ends, by more than `max_disorder_ms`, judging
/// by each file's first row and, when it is not compressed, its last rows (a gzip stream cannot
/// be read from its end: then its first row stands for its end). Files that cannot be read, or
/// hold no row, are passed over; a miss only costs the streaming attempt that finds it. Inputs
/// that are not regular files (pipes) are not looked at: the answer is then `false`.
pub fn overlap(parser: &mut Parser, files: &[PathBuf], max_disorder_ms: i64) -> bool {
    // A pipe (`<(zcat log.gz)`) can be read once only: the replay needs all of it.
    if !super::all_regular(files) {
        return false;
    }
    let mut end = i64::MIN;
    for (i, path) in files.iter().enumerate() {
        let Some((first, last)) = span(parser, i as u32, path) else {
            continue;
        };
        if first < end.saturating_sub(max_disorder_ms) {
            return true;
        }
        end = end.max(last);
    }
    false
}

/// The times of a file's first row and of its latest among its last rows.
fn span(parser: &mut Parser, index: u32, path: &Path) -> Option<(i64, i64)> {
    let mut lines = parser.open(index, path, 1 << 16).ok()?;
    let mut batch = Batch::default();
    // Bad rows and the header come first at most a few times; give up after that.
    for _ in 0..64 {
        let more = parser.fill(&mut lines, &mut batch, 1).ok()?;
        if !batch.rows.is_empty() || !more {
            break;
        }
        batch.clear();
    }
    let first = batch.rows.first()?.at;
    let tail = tail(path).unwrap_or_default();
    let mut tail_lines = lines.with_text(tail);
    batch.clear();
    let last = loop {
        let more = parser.fill(&mut tail_lines, &mut batch, AHEAD_ROWS);
        let latest = batch.rows.iter().map(|r| r.at).max();
        if !matches!(more, Ok(true)) {
            break latest.unwrap_or(first);
        }
    };
    Some((first, last.max(first)))
}

/// The whole lines among the last [`TAIL_BYTES`] of an uncompressed file.
fn tail(path: &Path) -> Option<Vec<u8>> {
    let mut file = File::open(path).ok()?;
    if gzipped(&mut file).ok()? {
        return None;
    }
    let len = file.metadata().ok()?.len();
    let from = len.saturating_sub(TAIL_BYTES);
    file.seek(SeekFrom::Start(from)).ok()?;
    let mut text = Vec::new();
    file.read_to_end(&mut text).ok()?;
    if from > 0 {
        // The first line is cut (or is the header): drop it.
        let cut = memchr::memchr(b'\n', &text).map_or(text.len(), |i| i + 1);
        text.drain(..cut);
    }
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::replay::parse::ParseOptions;
    use crate::replay::ColumnMap;
    use std::io::Write;

    const HEADER: &str = "timestamp,recipient,direction,kind,category,entry_point,market,flow";

    fn options() -> ParseOptions {
        ParseOptions {
            format: None,
            map: ColumnMap::default(),
            earliest_ms: 0,
            strict: false,
        }
    }

    /// A CSV log of inbound rows at the given hours of 2026-11-02 (a bad row first).
    fn log(dir: &Path, name: &str, hours: &[u32]) -> PathBuf {
        let mut text = format!("{HEADER}\nnot,a,row\n");
        for h in hours {
            text += &format!("2026-11-02T{h:02}:00:00Z,+4915112345678,inbound,,,,,\n");
        }
        let path = dir.join(name);
        if name.ends_with(".gz") {
            let mut enc = flate2::write::GzEncoder::new(
                File::create(&path).unwrap(),
                flate2::Compression::fast(),
            );
            enc.write_all(text.as_bytes()).unwrap();
            enc.finish().unwrap();
        } else {
            std::fs::write(&path, text).unwrap();
        }
        path
    }

    #[test]
    fn overlap_is_told_by_first_and_last_rows() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let options = options();
        let overlap = |files: &[PathBuf], disorder_h: i64| {
            super::overlap(&mut Parser::new(&options), files, disorder_h * 3_600_000)
        };
        let early = log(d, "early.csv", &[1, 2, 3]);
        let late = log(d, "late.csv", &[5, 6]);
        let mid = log(d, "mid.csv", &[2, 7]);
        let empty = log(d, "empty.csv", &[]);
        let late_gz = log(d, "late.csv.gz", &[0, 9]);
        // In turn, with or without a file with no rows between.
        assert!(!overlap(&[early.clone(), late.clone()], 0));
        assert!(!overlap(&[early.clone(), empty.clone(), late.clone()], 0));
        // Given the other way round.
        assert!(overlap(&[late.clone(), early.clone()], 0));
        // Starts before the earlier one's last row: only its last rows show it.
        assert!(overlap(&[early.clone(), mid.clone()], 0));
        // ... unless the disorder allowed covers it.
        assert!(!overlap(&[early.clone(), mid.clone()], 1));
        // A gzip file's end is not read: its first row stands for it.
        assert!(!overlap(&[late_gz.clone(), late.clone()], 0));
        assert!(overlap(&[late.clone(), late_gz], 0));
        // Unreadable files are passed over.
        assert!(!overlap(
            &[early.clone(), d.join("missing.csv"), late.clone()],
            0
        ));
        // A file longer than the tail read: 3,000 rows a second apart from 01:00.
        let mut text = format!("{HEADER}\n");
        for s in 0..3000 {
            let (m, s) = (s / 60, s % 60);
            text += &format!("2026-11-02T01:{m:02}:{s:02}Z,+4915112345678,inbound,,,,,\n");
        }
        let long = d.join("long.csv");
        std::fs::write(&long, &text).unwrap();
        assert!(text.len() as u64 > TAIL_BYTES);
        // From 01:00 to 01:49:59: a file from 01:00 on overlaps it, by its last rows only.
        assert!(overlap(&[long.clone(), early], 0));
        assert!(!overlap(&[long, late.clone()], 0));
        // A pipe or device is not read ahead of the replay: it could not be read again.
        #[cfg(unix)]
        assert!(!overlap(&[late, mid, PathBuf::from("/dev/null")], 0));
    }

    /// A long run of bad rows in one merged file is handed on as it is read, not kept until
    /// the file's next good row.
    #[test]
    fn bad_rows_are_handed_on_while_merging() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let good = log(d, "good.csv", &[1, 3]);
        let mut text = format!("{HEADER}\n2026-11-02T02:00:00Z,+4915100000000,inbound,,,,,\n");
        let bad_rows = 3 * BATCH_ROWS;
        for _ in 0..bad_rows {
            text += "2026-11-02T02:00:00Z,+4915100000000,sideways,,,,,\n";
        }
        text += "2026-11-02T04:00:00Z,+4915100000000,inbound,,,,,\n";
        let bad = d.join("bad.csv");
        std::fs::write(&bad, text).unwrap();
        let options = options();
        let mut parser = Parser::new(&options);
        let (mut rows, mut problems, mut most) = (0, 0, 0);
        let finished = read(&mut parser, &[good, bad], &mut |b| {
            rows += b.rows.len();
            problems += b.problems.len();
            most = most.max(b.problems.len());
            true
        });
        assert!(finished);
        assert_eq!(rows, 4);
        // The run, and the good file's own bad row (`log` writes one).
        assert_eq!(problems, bad_rows + 1);
        assert!(
            most <= BATCH_ROWS + AHEAD_ROWS,
            "{most} problems in one batch"
        );
    }
}

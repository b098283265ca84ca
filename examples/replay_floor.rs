//! The floor under any `flowcost replay` of a CSV log: the work no design can skip, and nothing
//! else. `scripts/bench-replay.sh` times it beside `wc -l` and `flowcost replay` on the same log.
//!
//! Every core reads its own byte range of the file (256 KB at a time, as `replay` does), finds
//! each line's timestamp and recipient, parses the timestamp, hashes the recipient and updates
//! one 16-byte entry for that recipient (a count and the latest time). Rows are split by hash
//! into 64 parts and each part has its own small table, so the tables stay in cache, as in
//! `replay`. There is no billing, no event kept, no market, flow or tally, and recipients are
//! told apart by their 64-bit hash alone: a real replay does strictly more.
//!
//! Usage: `cargo run --release --example replay_floor -- LOG.csv [THREADS]`; prints the rows
//! read and the distinct recipients seen by each thread, summed.

use flowcost::replay::row::hash;
use flowcost::replay::timestamp::parse_ms;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::process::ExitCode;

const READ_BYTES: usize = 1 << 18;
const PART_BITS: u32 = 6;
const PARTS: usize = 1 << PART_BITS;
/// Rows buffered before each part's rows go into its table.
const FLUSH_ROWS: usize = 1 << 20;

#[derive(Clone, Copy, Default)]
struct Entry {
    key: u64,
    count: u32,
    /// Latest time, in seconds: enough for a floor.
    last: u32,
}

/// Open addressing on the hash; 0 marks an empty entry.
struct Table {
    entries: Vec<Entry>,
    used: usize,
}

impl Table {
    fn new() -> Self {
        Table {
            entries: vec![Entry::default(); 1 << 12],
            used: 0,
        }
    }

    fn update(&mut self, h: u64, at_ms: i64) {
        if (self.used + 1) * 4 > self.entries.len() * 3 {
            self.grow();
        }
        let key = h | 1;
        let mask = self.entries.len() - 1;
        let mut i = (key as usize) & mask;
        loop {
            let e = &mut self.entries[i];
            if e.key == 0 {
                e.key = key;
                self.used += 1;
            }
            if e.key == key {
                e.count += 1;
                e.last = e.last.max((at_ms / 1000) as u32);
                return;
            }
            i = (i + 1) & mask;
        }
    }

    fn grow(&mut self) {
        let wider = vec![Entry::default(); 2 * self.entries.len()];
        let old = std::mem::replace(&mut self.entries, wider);
        let mask = self.entries.len() - 1;
        for e in old.into_iter().filter(|e| e.key != 0) {
            let mut i = (e.key as usize) & mask;
            while self.entries[i].key != 0 {
                i = (i + 1) & mask;
            }
            self.entries[i] = e;
        }
    }
}

struct Floor {
    columns: (usize, usize),
    parts: Vec<Vec<(u64, i64)>>,
    tables: Vec<Table>,
    buffered: usize,
    rows: u64,
    bad: u64,
}

impl Floor {
    fn line(&mut self, line: &[u8]) {
        let (ts, rec) = self.columns;
        let (mut timestamp, mut recipient) = (None, None);
        let mut start = 0;
        for (i, end) in memchr::memchr_iter(b',', line)
            .chain([line.len()])
            .enumerate()
        {
            if i == ts {
                timestamp = Some(&line[start..end]);
            }
            if i == rec {
                recipient = Some(&line[start..end]);
            }
            if i >= ts && i >= rec {
                break;
            }
            start = end + 1;
        }
        let (Some(timestamp), Some(recipient)) = (timestamp, recipient) else {
            self.bad += 1;
            return;
        };
        let Ok(at) = parse_ms(timestamp) else {
            self.bad += 1;
            return;
        };
        let h = hash(recipient);
        self.parts[((h >> 40) as usize) & (PARTS - 1)].push((h, at));
        self.rows += 1;
        self.buffered += 1;
        if self.buffered == FLUSH_ROWS {
            self.flush();
        }
    }

    fn flush(&mut self) {
        for (rows, table) in self.parts.iter_mut().zip(&mut self.tables) {
            for &(h, at) in rows.iter() {
                table.update(h, at);
            }
            rows.clear();
        }
        self.buffered = 0;
    }
}

/// Reads the lines that start in `[start, end)`, as `replay` assigns lines to pieces.
fn range(path: &str, columns: (usize, usize), start: u64, end: u64) -> std::io::Result<Floor> {
    let mut floor = Floor {
        columns,
        parts: (0..PARTS)
            .map(|_| Vec::with_capacity(2 * FLUSH_ROWS / PARTS))
            .collect(),
        tables: (0..PARTS).map(|_| Table::new()).collect(),
        buffered: 0,
        rows: 0,
        bad: 0,
    };
    let mut file = File::open(path)?;
    let mut at = start - 1;
    file.seek(SeekFrom::Start(at))?;
    let mut buf = Vec::with_capacity(2 * READ_BYTES);
    let mut skip = true;
    'read: loop {
        let got = file
            .by_ref()
            .take(READ_BYTES as u64)
            .read_to_end(&mut buf)?;
        let mut pos = 0;
        while let Some(i) = memchr::memchr(b'\n', &buf[pos..]) {
            let line_at = at + pos as u64;
            let line = &buf[pos..pos + i];
            pos += i + 1;
            if skip {
                skip = false;
                continue;
            }
            if line_at >= end {
                break 'read;
            }
            floor.line(line);
        }
        if got == 0 {
            if pos < buf.len() && at + (pos as u64) < end && !skip {
                let rest = buf[pos..].to_vec();
                floor.line(&rest);
            }
            break;
        }
        buf.drain(..pos);
        at += pos as u64;
    }
    floor.flush();
    Ok(floor)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first().cloned() else {
        eprintln!("usage: replay_floor LOG.csv [THREADS]");
        return ExitCode::from(2);
    };
    let threads: u64 = match args.get(1).map(|t| t.parse()) {
        None => 2,
        Some(Ok(t)) if t > 0 => t,
        Some(_) => {
            eprintln!("error: THREADS must be a whole number above 0");
            return ExitCode::from(2);
        }
    };
    let text = match File::open(&path) {
        Ok(mut f) => {
            let mut head = vec![0u8; 4096];
            let n = f.read(&mut head).unwrap_or(0);
            head.truncate(n);
            head
        }
        Err(e) => {
            eprintln!("error: {path}: cannot open: {e}");
            return ExitCode::from(2);
        }
    };
    let Some(nl) = memchr::memchr(b'\n', &text) else {
        eprintln!("error: {path}: no header line");
        return ExitCode::from(2);
    };
    let header: Vec<&[u8]> = text[..nl].split(|&b| b == b',').collect();
    let find = |name: &[u8]| header.iter().position(|f| f.trim_ascii() == name);
    let (Some(ts), Some(rec)) = (find(b"timestamp"), find(b"recipient")) else {
        eprintln!("error: {path}: the header names no `timestamp` or no `recipient` column");
        return ExitCode::from(2);
    };
    let len = std::fs::metadata(&path).map_or(0, |m| m.len());
    let data = nl as u64 + 1;
    let span = len.saturating_sub(data);
    let handles: Vec<_> = (0..threads)
        .map(|t| {
            let path = path.clone();
            let (start, end) = (data + span * t / threads, data + span * (t + 1) / threads);
            std::thread::spawn(move || range(&path, (ts, rec), start, end))
        })
        .collect();
    let (mut rows, mut bad, mut seen) = (0, 0, 0);
    for h in handles {
        match h.join().expect("a floor thread panicked") {
            Ok(f) => {
                rows += f.rows;
                bad += f.bad;
                seen += f.tables.iter().map(|t| t.used).sum::<usize>();
            }
            Err(e) => {
                eprintln!("error: {path}: cannot read: {e}");
                return ExitCode::from(2);
            }
        }
    }
    println!("{rows} rows, {bad} unreadable, {seen} recipients per thread summed");
    ExitCode::SUCCESS
}

//! Plain CSV and Parquet files read in pieces by every core at once.
//!
//! Each round, every thread reads its own pieces of the files (a byte range of CSV, where a
//! line belongs to the piece its first byte is in; row groups of Parquet) and parses them,
//! splitting the rows into parts by recipient hash. A round is a piece of a big file per
//! thread, or many pieces of small files in turn (so that a log of many small files reads in
//! rounds as long as a big file's). Then every thread bills its own parts, taking each part's
//! rows piece by piece in file order, so each recipient's rows stay in file order. A part's
//! table is small enough to stay in the core's cache while its rows go in, which is what makes
//! this faster than one table per thread.
//!
//! Line numbers, flow ids and problems are counted per piece and put in file order between the
//! two phases, so the counts, the problems listed and the flow names are those of one reader
//! going through the files line by line.

use super::group::{Grouper, Problems, Unsorted};
use super::parquet::{Cursor, ParquetLog};
use super::parse::{
    format_by_extension, is_blank, is_parquet, overlong, strip_cr, Parser, MAX_LINE_BYTES,
};
use super::row::{hash, part_of, Batch, Row, RowProblem, Sink};
use super::{billing, parse_options, Mode, Options, Replay};
use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::Path;

/// Bytes each thread reads and parses per round.
pub const PIECE_BYTES: usize = 32 << 20;

/// Parts per thread: enough that a part's table of open recipients fits in a core's cache on
/// logs with a million recipients.
pub const PARTS_PER_THREAD: usize = 16;

/// One piece of a round, as its thread parsed it.
struct Piece {
    /// Rows by part.
    parts: Vec<Batch>,
    /// Skipped rows, lines counted from the piece's first.
    problems: Vec<RowProblem>,
    /// Lines in the piece.
    lines: u64,
    /// Flow names this thread's parser first saw in the piece, in its id order.
    new_flows: Vec<String>,
    /// The piece could not be read.
    error: Option<String>,
}

impl Piece {
    fn new(parts: usize) -> Self {
        Piece {
            parts: (0..parts).map(|_| Batch::default()).collect(),
            problems: Vec::new(),
            lines: 0,
            new_flows: Vec::new(),
            error: None,
        }
    }

    fn clear(&mut self) {
        for b in &mut self.parts {
            b.text.clear();
            b.rows.clear();
        }
        self.problems.clear();
        self.lines = 0;
        self.error = None;
    }
}

impl Sink for Piece {
    fn row(&mut self, mut row: Row, recipient: &[u8]) {
        let h = hash(recipient);
        let part = part_of(h, self.parts.len());
        let batch = &mut self.parts[part];
        row.hash = h;
        row.recipient = batch.text.len() as u32;
        row.recipient_len = recipient.len() as u32;
        batch.text.extend_from_slice(recipient);
        batch.rows.push(row);
    }

    fn problem(&mut self, problem: RowProblem) {
        self.problems.push(problem);
    }
}

/// A CSV file's header: its layout, where the rows start, and the lines up to there.
struct Header {
    layout: super::columns::Layout,
    data_start: u64,
    lines: u64,
    len: u64,
}

/// Reads the header (the first line that is not blank); `None` for a file with no lines.
fn header(path: &Path, parser: &Parser) -> Result<Option<Header>, String> {
    let file = File::open(path).map_err(|e| format!("cannot open: {e}"))?;
    let len = file
        .metadata()
        .map_err(|e| format!("cannot read: {e}"))?
        .len();
    let mut reader = BufReader::new(file);
    let (mut data_start, mut lines) = (0u64, 0u64);
    let mut line = Vec::new();
    loop {
        line.clear();
        let n = (&mut reader)
            .take(MAX_LINE_BYTES as u64 + 1)
            .read_until(b'\n', &mut line)
            .map_err(|e| format!("cannot read (line {}): {e}", lines + 1))?;
        if n == 0 {
            return Ok(None);
        }
        data_start += n as u64;
        lines += 1;
        if n > MAX_LINE_BYTES {
            return Err(format!("line {lines}: the header: {}", overlong()));
        }
        let text = strip_cr(line.strip_suffix(b"\n").unwrap_or(&line));
        if !is_blank(text) {
            let layout = parser.header(text)?;
            return Ok(Some(Header {
                layout,
                data_start,
                lines,
                len,
            }));
        }
    }
}

/// Bytes read at a time within a piece: small enough that the lines are still in cache when
/// they are parsed.
const READ_BYTES: usize = 1 << 18;

/// Reads the lines that start in `[start, end)` of `file` (rows start at `data_start`), the
/// last one to its end, handing runs of whole lines to `lines` in order.
fn read_piece(
    file: &mut File,
    data_start: u64,
    (start, end): (u64, u64),
    buf: &mut Vec<u8>,
    lines: &mut dyn FnMut(&[u8]),
) -> io::Result<()> {
    // One byte before the range tells whether a line starts at its first byte.
    let mut at = if start > data_start { start - 1 } else { start };
    let mut skip = start > data_start;
    file.seek(SeekFrom::Start(at))?;
    buf.clear();
    loop {
        // `buf` holds the bytes from `at` on: the rest of a line, then what is read now.
        let had = buf.len();
        let got = file.by_ref().take(READ_BYTES as u64).read_to_end(buf)?;
        let eof = got == 0;
        let mut from = 0;
        if skip {
            match memchr::memchr(b'\n', &buf[had..]) {
                Some(i) => {
                    from = had + i + 1;
                    skip = false;
                }
                None if eof => return Ok(()),
                None => {
                    at += buf.len() as u64;
                    buf.clear();
                    continue;
                }
            }
        }
        // Lines starting at or after `end` are the next piece's.
        let cut = end.saturating_sub(at) as usize;
        if from >= cut {
            return Ok(());
        }
        if let Some(i) = memchr::memchr(b'\n', &buf[(cut - 1).max(from).min(buf.len())..]) {
            let stop = (cut - 1).max(from).min(buf.len()) + i + 1;
            lines(&buf[from..stop]);
            return Ok(());
        }
        if eof {
            lines(&buf[from..]);
            return Ok(());
        }
        let whole = memchr::memrchr(b'\n', &buf[from..]).map_or(from, |i| from + i + 1);
        lines(&buf[from..whole]);
        if buf.len() - whole > MAX_LINE_BYTES {
            // A line too long to hold: handed on cut (it counts as one bad line), then skipped.
            let mut cut_line = buf[whole..=whole + MAX_LINE_BYTES].to_vec();
            cut_line.push(b'\n');
            lines(&cut_line);
            at += buf.len() as u64;
            buf.clear();
            skip = true;
            continue;
        }
        buf.drain(..whole);
        at += whole as u64;
    }
}

/// One file's pieces: byte ranges of a CSV file past its header, or a Parquet file's row
/// groups; and each thread's own reader of it.
struct Job {
    kind: JobKind,
    handles: Vec<Handle>,
}

enum JobKind {
    Csv(Box<Header>),
    /// `step` row groups per piece: small ones are taken several at a time.
    Parquet {
        groups: u64,
        len: u64,
        step: u64,
    },
}

/// Rows a thread takes per round of a Parquet file (row groups of fewer rows are taken several
/// at a time, so that rounds are about as long as a CSV piece's).
const PARQUET_PIECE_ROWS: u64 = 1 << 19;

enum Handle {
    Csv(File),
    Parquet(Box<Cursor>),
    /// Lent to a thread for a round.
    Idle,
}

impl Job {
    /// Opens a file once per thread; `None` for a CSV file with no lines but blank ones.
    fn open(
        options: &Options,
        path: &Path,
        f: u32,
        parser: &Parser,
        threads: usize,
    ) -> Result<Option<Job>, String> {
        let format = options.format.or_else(|| format_by_extension(path));
        let mut handles = Vec::with_capacity(threads);
        if is_parquet(format, path) {
            let (mut len, mut groups, mut rows) = (0, 0, 0);
            for _ in 0..threads {
                let log = ParquetLog::open(path, &options.map)?;
                (len, groups, rows) = (log.len(), log.groups() as u64, log.rows());
                handles.push(Handle::Parquet(Box::new(log.cursor(f, 0..0))));
            }
            let step = (PARQUET_PIECE_ROWS / (rows / groups.max(1)).max(1)).max(1);
            let kind = JobKind::Parquet { groups, len, step };
            return Ok(Some(Job { kind, handles }));
        }
        let Some(head) = header(path, parser)? else {
            return Ok(None);
        };
        for _ in 0..threads {
            let file = File::open(path).map_err(|e| format!("cannot open: {e}"))?;
            handles.push(Handle::Csv(file));
        }
        Ok(Some(Job {
            kind: JobKind::Csv(Box::new(head)),
            handles,
        }))
    }

    /// Where the pieces start and end, how long each is, and the lines before them.
    fn span(&self, piece_bytes: u64) -> (u64, u64, u64, u64) {
        match &self.kind {
            JobKind::Csv(h) => (h.data_start, h.len, piece_bytes, h.lines),
            JobKind::Parquet { groups, step, .. } => (0, *groups, *step, 0),
        }
    }

    /// Bytes read before the pieces, and by the pieces in `[from, to)`.
    fn bytes(&self, (from, to): (u64, u64)) -> u64 {
        match &self.kind {
            JobKind::Csv(h) if from == 0 && to == 0 => h.data_start,
            JobKind::Csv(_) => to - from,
            JobKind::Parquet { groups, len, .. } => len * (to - from) / (*groups).max(1),
        }
    }
}

impl Handle {
    /// Reads and parses piece `[start, end)` into `piece` (its lines counted from 1; a
    /// Parquet piece's rows carry their locations and count no lines). `buf` is the reading
    /// thread's: up to [`READ_BYTES`] of a CSV piece at a time, after the rest of a line the
    /// previous read cut.
    fn read(
        &mut self,
        kind: &JobKind,
        (start, end): (u64, u64),
        (f, parser): (u32, &mut Parser),
        piece: &mut Piece,
        buf: &mut Vec<u8>,
    ) {
        match (self, kind) {
            (Handle::Csv(file), JobKind::Csv(head)) => {
                let mut lines = 0;
                let layout = &head.layout;
                let read = read_piece(file, head.data_start, (start, end), buf, &mut |text| {
                    lines += parser.csv_lines(f, lines + 1, text, layout, piece);
                });
                if let Err(e) = read {
                    piece.error = Some(format!("cannot read: {e}"));
                }
                piece.lines = lines;
            }
            (Handle::Parquet(cursor), _) => {
                cursor.seek(start as usize..end as usize);
                loop {
                    match cursor.fill(parser, piece, usize::MAX) {
                        Ok(true) => {}
                        Ok(false) => break,
                        Err(message) => {
                            piece.error = Some(message);
                            break;
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

/// A file being read: its pieces, the next one's start, and the lines before it.
struct OpenFile {
    f: u32,
    job: Job,
    next: u64,
    len: u64,
    step: u64,
    line_base: u64,
    /// Why a piece could not be read: the file is read no further.
    failed: Option<String>,
}

/// Where a round's pieces come from: the files in order, opened as their pieces are needed,
/// so that a round takes a piece of the next file when the current one has too few left (a
/// log of many small files reads in rounds as long as a big file's).
struct Files<'o> {
    options: &'o Options,
    piece_bytes: u64,
    threads: usize,
    paths: std::iter::Enumerate<std::slice::Iter<'o, std::path::PathBuf>>,
    /// Files with pieces left (or just read), in order.
    open: std::collections::VecDeque<OpenFile>,
}

/// Flow names numbered as one reader going through the files would number them, and each
/// thread's parser's own ids mapped to them.
struct FlowNames {
    flows: Vec<String>,
    ids: HashMap<String, u32>,
    /// By thread: the run's id of each of its parser's ids (its id 0 is "no flow").
    maps: Vec<Vec<u32>>,
}

impl FlowNames {
    fn new(threads: usize) -> Self {
        FlowNames {
            flows: vec![String::new()],
            ids: HashMap::new(),
            maps: vec![vec![0]; threads],
        }
    }

    /// The names thread `t`'s parser first met in a piece, in the order it numbered them.
    fn add(&mut self, t: usize, names: Vec<String>) {
        for name in names {
            let id = *self.ids.entry(name.clone()).or_insert_with(|| {
                self.flows.push(name);
                self.flows.len() as u32 - 1
            });
            self.maps[t].push(id);
        }
    }
}

impl Files<'_> {
    /// A file with a piece that could not be read is unusable from there, and read no
    /// further.
    fn give_up_failed(&mut self, problems: &mut Problems) {
        for o in &mut self.open {
            if let Some(message) = o.failed.take() {
                problems.unusable.push(RowProblem {
                    file: o.f,
                    line: 0,
                    message,
                });
                o.next = o.len;
            }
        }
    }

    /// Opens the next file with pieces; files that cannot be opened are `unusable`, and empty
    /// ones are read at once (their bytes counted).
    fn open_next(&mut self, parser: &Parser, problems: &mut Problems, bytes: &mut u64) -> bool {
        for (f, path) in self.paths.by_ref() {
            let f = f as u32;
            match Job::open(self.options, path, f, parser, self.threads) {
                Ok(Some(job)) => {
                    let (next, len, step, line_base) = job.span(self.piece_bytes);
                    *bytes += job.bytes((0, 0));
                    self.open.push_back(OpenFile {
                        f,
                        job,
                        next,
                        len,
                        step,
                        line_base,
                        failed: None,
                    });
                    return true;
                }
                // No lines but blank ones: an empty log, read to its end.
                Ok(None) => *bytes += std::fs::metadata(path).map_or(0, |m| m.len()),
                Err(message) => problems.unusable.push(RowProblem {
                    file: f,
                    line: 0,
                    message,
                }),
            }
        }
        false
    }

    /// The next round: pieces worth `threads` full pieces (one per thread of a big file, many
    /// of small files, within [`MAX_PIECES_PER_THREAD`] and [`HANDLES_PER_ROUND`]), as (index
    /// in `open`, byte or row group range), in file order. Empty when every file is read.
    fn plan(&mut self, parser: &Parser, problems: &mut Problems, bytes: &mut u64) -> Round {
        // Files read to their end are closed (every thread holds a handle of each open file).
        self.open.retain(|o| o.next < o.len);
        let mut round: Round = Vec::with_capacity(self.threads);
        // A round holds `threads` full pieces: pieces of small files count for their share.
        let (full, mut taken) = (self.threads as f64, 0.0);
        let max_files = (HANDLES_PER_ROUND / self.threads).max(1);
        let mut i = 0;
        while taken < full && round.len() < self.threads * MAX_PIECES_PER_THREAD {
            if i == self.open.len() && (i >= max_files || !self.open_next(parser, problems, bytes))
            {
                break;
            }
            let o = &mut self.open[i];
            if o.next >= o.len {
                i += 1;
                continue;
            }
            let end = o.next.saturating_add(o.step).min(o.len);
            round.push((i, (o.next, end)));
            taken += (end - o.next) as f64 / o.step as f64;
            o.next = end;
        }
        round
    }
}

/// Between the phases, piece by piece in file order: each piece's first line (`bases`), its
/// problems with their lines, the flow names its thread met, and whether its file failed.
fn between_phases(
    round: &Round,
    pieces: &mut [Piece],
    open: &mut std::collections::VecDeque<OpenFile>,
    bases: &mut Vec<u64>,
    problems: &mut Problems,
    names: &mut FlowNames,
) {
    let threads = names.maps.len();
    bases.resize(round.len(), 0);
    for (k, (piece, &(i, _))) in pieces.iter_mut().zip(round).enumerate() {
        let o = &mut open[i];
        bases[k] = o.line_base;
        o.line_base += piece.lines;
        for mut p in piece.problems.drain(..) {
            p.line += bases[k];
            problems.skipped += 1;
            if problems.first.len() < super::group::PROBLEMS_LISTED {
                problems.first.push(p);
            }
        }
        names.add(k % threads, std::mem::take(&mut piece.new_flows));
        if let Some(message) = piece.error.take() {
            o.failed.get_or_insert(message);
        }
    }
}

/// Phase 2: every thread bills its parts of every piece, in file order; the earliest row
/// that broke the streaming order, if one did.
fn bill_round(
    groupers: &mut [Grouper],
    pieces: &[Piece],
    bases: &[u64],
    flow_maps: &[Vec<u32>],
    stream: bool,
) -> Option<Unsorted> {
    let threads = groupers.len();
    let results: Vec<Option<Unsorted>> = std::thread::scope(|scope| {
        let handles: Vec<_> = groupers
            .iter_mut()
            .enumerate()
            .map(|(t, grouper)| {
                scope.spawn(move || {
                    for local in 0..PARTS_PER_THREAD {
                        let part = local * threads + t;
                        for (k, piece) in pieces.iter().enumerate() {
                            let batch = &piece.parts[part];
                            let flows = &flow_maps[k % threads];
                            if let Err(e) = grouper.add_part(local, batch, bases[k], flows) {
                                return Some(e);
                            }
                        }
                        if stream {
                            grouper.bill_closed_part(local);
                        }
                    }
                    grouper.sample_peaks();
                    None
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    results
        .into_iter()
        .flatten()
        .min_by_key(|u| (u.file, u.line))
}

/// The most pieces a thread reads in a round (of small files: a big file's round is one piece
/// per thread).
const MAX_PIECES_PER_THREAD: usize = 64;

/// File handles a round may hold open at once (a file open for a round holds one per thread):
/// well below the descriptors a process may open by default (1,024 on Linux, 256 on macOS).
const HANDLES_PER_ROUND: usize = 64;

/// A round's pieces: (index of the file in [`Files::open`], range), in file order; piece `k`
/// is read by thread `k % threads`.
type Round = Vec<(usize, (u64, u64))>;

/// Phase 1: every thread reads and parses its pieces of the round, in order (piece `k` is
/// thread `k % threads`'s).
fn read_round(
    open: &mut std::collections::VecDeque<OpenFile>,
    round: &Round,
    parsers: &mut [Parser],
    pieces: &mut Vec<Piece>,
) {
    let threads = parsers.len();
    let parts = pieces[0].parts.len();
    while pieces.len() < round.len() {
        pieces.push(Piece::new(parts));
    }
    // Each thread borrows its own reader of every file it reads from for the phase.
    let mut lent: Vec<Vec<(usize, Handle)>> = (0..threads).map(|_| Vec::new()).collect();
    for (k, &(i, _)) in round.iter().enumerate() {
        let t = k % threads;
        if !lent[t].iter().any(|(j, _)| *j == i) {
            lent[t].push((
                i,
                std::mem::replace(&mut open[i].job.handles[t], Handle::Idle),
            ));
        }
    }
    // Piece by piece: the file (its index, what it is, its number) and the range to read.
    type Task<'a> = Option<(usize, &'a JobKind, u32, (u64, u64))>;
    let open_ref = &*open;
    let mut mine: Vec<Vec<(&mut Piece, Task)>> = (0..threads).map(|_| Vec::new()).collect();
    for (k, piece) in pieces.iter_mut().enumerate() {
        let task = round
            .get(k)
            .map(|&(i, range)| (i, &open_ref[i].job.kind, open_ref[i].f, range));
        mine[k % threads].push((piece, task));
    }
    std::thread::scope(|scope| {
        for ((own, parser), handles) in mine.into_iter().zip(parsers.iter_mut()).zip(&mut lent) {
            scope.spawn(move || {
                let mut buf = Vec::new();
                for (piece, task) in own {
                    piece.clear();
                    let Some((i, kind, f, range)) = task else {
                        continue;
                    };
                    let Some((_, handle)) = handles.iter_mut().find(|(j, _)| *j == i) else {
                        continue;
                    };
                    handle.read(kind, range, (f, &mut *parser), piece, &mut buf);
                    piece.new_flows = parser.take_new_flows();
                }
            });
        }
    });
    for (t, handles) in lent.into_iter().enumerate() {
        for (i, handle) in handles {
            open[i].job.handles[t] = handle;
        }
    }
}

/// Replays plain CSV and Parquet files with `threads` threads reading `piece_bytes` (CSV) or
/// a row group (Parquet) each per round.
pub fn run(
    options: &Options,
    mode: Mode,
    threads: usize,
    piece_bytes: usize,
    progress: &(dyn Fn(u64) + Sync),
) -> Replay {
    let threads = threads.max(1);
    let piece_bytes = piece_bytes.max(1) as u64;
    let parse_options = parse_options(options);
    let billing = billing(options);
    let stream = mode == Mode::Stream;
    let parts = threads * PARTS_PER_THREAD;
    let mut parsers: Vec<Parser> = (0..threads).map(|_| Parser::new(&parse_options)).collect();
    let mut groupers: Vec<Grouper> = (0..threads)
        .map(|_| {
            Grouper::with_parts(
                billing,
                stream,
                options.max_disorder_ms,
                (0, 1),
                PARTS_PER_THREAD,
            )
        })
        .collect();
    let mut pieces: Vec<Piece> = (0..threads).map(|_| Piece::new(parts)).collect();
    let mut names = FlowNames::new(threads);
    let mut problems = Problems::default();
    let mut unsorted: Option<Unsorted> = None;
    let mut bytes = 0u64;
    let mut files = Files {
        options,
        piece_bytes,
        threads,
        paths: options.files.iter().enumerate(),
        open: std::collections::VecDeque::new(),
    };
    let mut bases = Vec::new();
    loop {
        let round = files.plan(&parsers[0], &mut problems, &mut bytes);
        progress(bytes);
        if round.is_empty() {
            break;
        }
        read_round(&mut files.open, &round, &mut parsers, &mut pieces);
        let read = &mut pieces[..round.len()];
        between_phases(
            &round,
            read,
            &mut files.open,
            &mut bases,
            &mut problems,
            &mut names,
        );
        let read = &pieces[..round.len()];
        let found = bill_round(&mut groupers, read, &bases, &names.maps, stream);
        // The earliest row that broke the order.
        unsorted = found
            .into_iter()
            .chain(unsorted.take())
            .min_by_key(|u| (u.file, u.line));
        for &(i, range) in &round {
            bytes += files.open[i].job.bytes(range);
        }
        progress(bytes);
        if unsorted.is_some() {
            break;
        }
        files.give_up_failed(&mut problems);
    }
    // Files that could not be opened were found as rounds were planned: list them in order.
    problems.unusable.sort_by_key(|p| p.file);
    if unsorted.is_none() {
        // What is still open is billed on every thread at once.
        std::thread::scope(|scope| {
            for g in &mut groupers {
                scope.spawn(move || g.finish());
            }
        });
    }
    let mut merged: Option<Grouper> = None;
    for mut g in groupers {
        g.set_flows(names.flows.clone());
        match &mut merged {
            None => merged = Some(g),
            Some(m) => m.merge(g),
        }
    }
    let grouper =
        merged.unwrap_or_else(|| Grouper::new(billing, stream, options.max_disorder_ms, (0, 1)));
    Replay {
        grouper,
        problems,
        mode,
        fell_back: unsorted,
        bytes,
        strict_stop: false,
        merged: false,
        cut_short: false,
        too_many_to_merge: false,
    }
}

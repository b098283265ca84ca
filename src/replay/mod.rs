//! Replay: read logs of message events, group them by recipient, bill each recipient's
//! timeline with the same engine the simulator uses, and count the charges.
//!
//! Stages: [`parse`] (files → rows) → [`group`] (rows → recipient episodes →
//! [`episode::bill_episode`] → [`tally`]). Plain CSV goes through [`chunked`] (every core reads
//! its own piece of a file, then bills its own parts of the recipients); other input through a
//! reading thread that hands batches to one billing thread per core. See docs/replay.md for
//! formats, columns and the memory bound.

pub mod chunked;
pub mod columns;
pub mod episode;
pub mod fxhash;
pub mod generate;
pub mod group;
pub mod market;
pub mod merge;
mod messages;
pub mod parquet;
pub mod parse;
pub mod partial;
pub mod row;
pub mod tally;
pub mod timestamp;

use crate::billing::{PricingModel, Rules};
use chrono::{FixedOffset, NaiveDate};
use group::{Billing, Grouper, Problems, Unsorted};
use parse::{ParseOptions, Parser};
use row::{Batch, RowProblem};
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::sync::mpsc::sync_channel;
use std::sync::Arc;

pub use columns::ColumnMap;
pub use parse::InputFormat;

/// How to replay.
#[derive(Debug, Clone)]
pub struct Options {
    /// Log files, read in this order.
    pub files: Vec<PathBuf>,
    /// `--input-format`, else by extension, else by the first line.
    pub format: Option<InputFormat>,
    /// `--map`.
    pub map: ColumnMap,
    /// `--pricing`: one model for all; else each event's own.
    pub pricing: Option<PricingModel>,
    /// The business account's UTC offset.
    pub account_tz: FixedOffset,
    /// Rule switches.
    pub rules: Rules,
    /// Stop at the first bad row.
    pub strict: bool,
    /// How far a row may be older than the latest one seen and still be streamed.
    pub max_disorder_ms: i64,
    /// Skip the streaming attempt and hold every recipient until the end.
    pub unsorted: bool,
    /// When streaming, how long after its episode closed a message is kept for statuses
    /// that come late (see [`Grouper::keep_statuses_for`]).
    pub status_horizon_ms: i64,
}

/// How the replay grouped rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Sorted input: episodes billed as they close.
    Stream,
    /// Every recipient held until the end (unsorted input, or `--unsorted`).
    Hold,
}

/// The outcome of a replay.
pub struct Replay {
    /// The grouper with its counts.
    pub grouper: Grouper,
    /// Skipped rows and unusable files.
    pub problems: Problems,
    /// How rows were grouped.
    pub mode: Mode,
    /// Why streaming was abandoned, when it was.
    pub fell_back: Option<Unsorted>,
    /// Bytes read.
    pub bytes: u64,
    /// `--strict` stopped the run at this problem.
    pub strict_stop: bool,
    /// The files overlapped in time and were read side by side, merged by timestamp.
    pub merged: bool,
    /// The input went out of time order and could not be read again (a pipe): the counts
    /// cover the rows before that point.
    pub cut_short: bool,
    /// The files went back in time but were too many (over [`merge::MAX_FILES`]) to merge
    /// side by side: that, not one unsorted file, is why every recipient was held.
    pub too_many_to_merge: bool,
}

impl Replay {
    /// Whether the counts cover every row: no unusable file, no `--strict` stop, no pipe that
    /// went out of order.
    pub fn complete(&self) -> bool {
        !self.strict_stop && !self.cut_short && self.problems.unusable.is_empty()
    }
}

/// The first instant with a pricing model in the account's time zone.
pub fn earliest_ms(tz: FixedOffset) -> i64 {
    let first = NaiveDate::from_ymd_opt(2023, 6, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map_or(0, |d| d.and_utc().timestamp_millis());
    first - i64::from(tz.local_minus_utc()) * 1000
}

/// How the work is spread over threads. Every strategy gives the same counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strategy {
    /// Chunked when every file is plain CSV (and not `--strict`), else the pipeline.
    Auto,
    /// One reading thread hands batches to one billing thread per core (any format).
    Pipeline,
    /// Plain CSV files only (what `Auto` picks it for), read in rounds: each of `threads`
    /// threads reads and parses `piece_bytes` of the file, then each bills its share of the
    /// recipients (see [`chunked`]). Not for `--strict`, which needs rows one at a time.
    Chunked {
        /// Threads.
        threads: usize,
        /// Bytes each thread reads per round.
        piece_bytes: usize,
    },
}

/// Replays the files; `progress` is called with the bytes read so far.
pub fn replay(options: &Options, progress: &(dyn Fn(u64) + Sync)) -> Replay {
    replay_using(options, Strategy::Auto, progress)
}

/// [`replay`] with a chosen [`Strategy`]. Mismatches come sorted by [`tally::Mismatch::order`],
/// so that the report does not depend on how many threads billed.
pub fn replay_using(
    options: &Options,
    strategy: Strategy,
    progress: &(dyn Fn(u64) + Sync),
) -> Replay {
    market::warm_up();
    let mut replay = replay_with(options, strategy, progress);
    replay
        .grouper
        .reconcile
        .mismatches
        .sort_by(tally::Mismatch::order);
    replay
}

fn replay_with(options: &Options, strategy: Strategy, progress: &(dyn Fn(u64) + Sync)) -> Replay {
    let strategy = match strategy {
        Strategy::Auto if !options.strict && chunkable(options) => Strategy::Chunked {
            threads: shards(),
            piece_bytes: chunked::PIECE_BYTES,
        },
        Strategy::Auto => Strategy::Pipeline,
        Strategy::Chunked { .. } if options.strict => Strategy::Pipeline,
        other => other,
    };
    let run = |mode| match strategy {
        Strategy::Chunked {
            threads,
            piece_bytes,
        } => chunked::run(options, mode, threads, piece_bytes, progress),
        _ => run_pipeline(options, mode, Reading::InTurn, progress),
    };
    if options.unsorted {
        return run(Mode::Hold);
    }
    let held = |unsorted: Unsorted| {
        let mut held = run(Mode::Hold);
        held.fell_back = Some(unsorted);
        held
    };
    let mergeable = (2..=merge::MAX_FILES).contains(&options.files.len());
    // Files whose first and last rows show they overlap go straight to the merge; others are
    // streamed, and merged when a later file goes back in time.
    let parse_options = parse_options(options);
    let mut pre_check = Parser::new(&parse_options);
    if !(mergeable && merge::overlap(&mut pre_check, &options.files, options.max_disorder_ms)) {
        let streamed = run(Mode::Stream);
        let Some(unsorted) = streamed.fell_back.clone() else {
            return streamed;
        };
        if !all_regular(&options.files) {
            return cut_short(streamed, &unsorted, &options.files);
        }
        drop(streamed);
        let unsorted_across_files = unsorted.file != 0;
        if unsorted.file == 0 || !mergeable {
            let mut held = held(unsorted);
            held.too_many_to_merge =
                unsorted_across_files && options.files.len() > merge::MAX_FILES;
            return held;
        }
    }
    let merged = run_pipeline(options, Mode::Stream, Reading::Merged, progress);
    match merged.fell_back.clone() {
        None => merged,
        // A file out of order by itself: that is the row to name.
        Some(within) => {
            drop(merged);
            held(within)
        }
    }
}

/// Whether every input is a regular file, which can be read again (missing ones are;
/// standard input is not, whatever it is connected to).
fn all_regular(files: &[PathBuf]) -> bool {
    files.iter().all(|f| !once_only(f))
}

/// Whether an input can be read once only: standard input, a pipe, a device.
fn once_only(path: &std::path::Path) -> bool {
    parse::is_stdin(path) || std::fs::metadata(path).is_ok_and(|m| !m.is_file())
}

/// A streaming attempt that found rows out of order in input that cannot be read again:
/// its counts, marked partial, and a problem on every input that is not a regular file.
fn cut_short(mut streamed: Replay, unsorted: &Unsorted, files: &[PathBuf]) -> Replay {
    let at = files
        .get(unsorted.file as usize)
        .map_or_else(String::new, |f| parse::display_name(f));
    for (i, f) in files.iter().enumerate() {
        if once_only(f) {
            let what = if parse::is_stdin(f) {
                "standard input"
            } else {
                "not a regular file (a pipe?), so it"
            };
            streamed.problems.unusable.push(RowProblem {
                file: i as u32,
                line: 0,
                message: format!(
                    "{what} cannot be read a second time to put the rows in time order \
                     ({at}:{} is out of order); counts stop there: give the log as a file, or \
                     pass --unsorted",
                    row::show_line(unsorted.line)
                ),
            });
        }
    }
    streamed.fell_back = None;
    streamed.cut_short = true;
    streamed
}

/// How the pipeline's reading thread goes through the files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reading {
    /// One after another, in the order given.
    InTurn,
    /// All at once, rows merged by timestamp ([`merge`]).
    Merged,
}

/// Whether every file is a regular file of plain (not gzip) CSV, by `--input-format` or its
/// extension, or of Parquet: then the cores can read pieces of it (byte ranges, row groups)
/// side by side. A pipe is not looked at (its first bytes would be gone): it is read as a
/// stream.
fn chunkable(options: &Options) -> bool {
    options.files.iter().all(|path| {
        let format = options.format.or_else(|| parse::format_by_extension(path));
        let plain_csv = || {
            format == Some(InputFormat::Csv)
                && std::fs::File::open(path)
                    .and_then(|mut f| parse::gzipped(&mut f))
                    .is_ok_and(|gz| !gz)
        };
        !parse::is_stdin(path)
            && std::fs::metadata(path).is_ok_and(|m| m.is_file())
            && (parse::is_parquet(format, path) || plain_csv())
    })
}

fn shards() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().clamp(1, 8))
}

fn billing(options: &Options) -> Billing {
    Billing {
        fixed: options.pricing,
        tz: options.account_tz,
        rules: options.rules,
    }
}

fn parse_options(options: &Options) -> ParseOptions {
    ParseOptions {
        format: options.format,
        map: options.map.clone(),
        earliest_ms: earliest_ms(options.account_tz),
        strict: options.strict,
    }
}

/// One reading thread hands batches to one billing thread per shard.
fn run_pipeline(
    options: &Options,
    mode: Mode,
    reading: Reading,
    progress: &(dyn Fn(u64) + Sync),
) -> Replay {
    let parse_options = parse_options(options);
    let billing = billing(options);
    let shards = shards();
    let mut problems = Problems::default();
    let mut strict_stop = false;
    let mut unsorted = None;
    let mut parser = Parser::new(&parse_options);
    let bytes = parser.bytes.clone();
    let stream = mode == Mode::Stream;
    let disorder = options.max_disorder_ms;
    let mut senders = Vec::new();
    let mut receivers = Vec::new();
    for _ in 0..shards {
        let (tx, rx) = sync_channel::<Arc<Batch>>(8);
        senders.push(tx);
        receivers.push(rx);
    }
    let mut receivers = receivers.into_iter();
    let first = receivers.next();
    let horizon = options.status_horizon_ms;
    let mut grouper =
        Grouper::new(billing, stream, disorder, (0, shards as u64)).keep_statuses_for(horizon);
    std::thread::scope(|scope| {
        let files = &options.files;
        scope.spawn(move || {
            let mut send = |b: &mut Batch| {
                let b = Arc::new(std::mem::take(b));
                // Every shard sees every batch; it stops when any shard gave up.
                senders.iter().all(|tx| tx.send(Arc::clone(&b)).is_ok())
            };
            match reading {
                Reading::Merged => {
                    merge::read(&mut parser, files, &mut send);
                }
                Reading::InTurn => {
                    for (i, path) in files.iter().enumerate() {
                        parser.file(i as u32, path, &mut send);
                        if parser.stopped {
                            break;
                        }
                    }
                }
            }
        });
        // Shards 1.. bill on their own threads; shard 0 here, where it also keeps the problems.
        let others: Vec<_> = receivers
            .enumerate()
            .map(|(i, rx)| {
                scope.spawn(move || {
                    let shard = (i as u64 + 1, shards as u64);
                    let mut g =
                        Grouper::new(billing, stream, disorder, shard).keep_statuses_for(horizon);
                    let mut unsorted = None;
                    for batch in rx {
                        if let Err(e) = g.add(&batch) {
                            unsorted = Some(e);
                            break;
                        }
                    }
                    // Out of order: the rows before count, as they do when the input cannot
                    // be read again (otherwise this run is dropped and the log read again).
                    g.finish();
                    (g, unsorted)
                })
            })
            .collect();
        // Owning the receiver here drops it on an early stop, which stops the reader.
        for batch in first.into_iter().flatten() {
            problems.add(&batch);
            progress(bytes.load(Ordering::Relaxed));
            // Under --strict the reader ends the batch at the first bad row and stops there:
            // the rows before it count, in every shard alike.
            let bad = !batch.problems.is_empty() || !batch.unusable.is_empty();
            if let Err(e) = grouper.add(&batch) {
                unsorted = Some(e);
                break;
            }
            if options.strict && bad {
                strict_stop = true;
                break;
            }
        }
        for handle in others {
            let (g, e) = handle
                .join()
                .unwrap_or_else(|e| std::panic::resume_unwind(e));
            unsorted = unsorted.take().or(e);
            grouper.merge(g);
        }
    });
    grouper.finish();
    Replay {
        grouper,
        problems,
        mode,
        fell_back: unsorted,
        bytes: bytes.load(Ordering::Relaxed),
        strict_stop,
        merged: reading == Reading::Merged,
        cut_short: false,
        too_many_to_merge: false,
    }
}

//! Reading log files: gzip and format detection, lines, CSV and NDJSON rows (flat rows and
//! WhatsApp Cloud API webhooks) into [`Batch`]es.

use super::columns::{comma_masks, Column, ColumnMap, Layout};
use super::fxhash::FxHasher;
use super::market;
use super::row::{customer, Batch, LogVerdict, Row, RowKind, RowProblem, Sink, Status, StatusKind};
use super::timestamp::{parse_ms_cached, DayCache};
use crate::billing::{Category, EventKind};
use serde_json::Value;
use std::collections::HashMap;
use std::fs::File;
use std::hash::BuildHasherDefault;
use std::io::{self, Read};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// Rows per batch handed to the billing thread.
pub const BATCH_ROWS: usize = 16_384;
const READ_CHUNK: usize = 1 << 20;

/// The longest line read, in bytes (1 MiB; a log line holds one event, well under 1 KiB). A
/// longer line is a bad row: it is skipped without being held, and reading goes on after it.
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// The longest flow name a log may give, in bytes.
pub const MAX_FLOW_NAME: usize = 256;

/// The most different flow names a replay counts apart.
pub const MAX_FLOWS: usize = 100_000;

/// The problem of a line longer than [`MAX_LINE_BYTES`].
pub fn overlong() -> String {
    format!(
        "the line is longer than {} MiB (a log line holds one event: is this file a log?)",
        MAX_LINE_BYTES >> 20
    )
}

/// A log's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    /// Comma-separated with a header row.
    Csv,
    /// One JSON object per line: flat rows or Cloud API webhooks.
    Ndjson,
    /// Apache Parquet, read column by column ([`super::parquet`]).
    Parquet,
}

/// A row's timestamp: its timestamp field's text, or an instant a typed column held (Parquet).
#[derive(Debug, Clone, Copy)]
pub enum When {
    /// The text of the row's timestamp field, parsed as a CSV field is.
    Text,
    /// Milliseconds since the epoch.
    Ms(i64),
}

/// What the reader needs to know.
#[derive(Debug, Clone)]
pub struct ParseOptions {
    /// Overrides detection by extension.
    pub format: Option<InputFormat>,
    /// `--map`.
    pub map: ColumnMap,
    /// The first instant with a pricing model (2023-06-01 in the account's time zone).
    pub earliest_ms: i64,
    /// `--strict`: a batch ends at the first bad row, and reading stops after it.
    pub strict: bool,
}

/// Turns files into batches; owns the flow-name interner so that ids are stable across files.
pub struct Parser<'a> {
    options: &'a ParseOptions,
    flows: HashMap<Vec<u8>, u32, BuildHasherDefault<FxHasher>>,
    new_flows: Vec<String>,
    /// The date of the last RFC 3339 timestamp read.
    days: DayCache,
    /// The commas of the text [`Parser::csv_lines`] is reading ([`comma_masks`]).
    commas: Vec<u64>,
    /// Bytes read from disk (compressed size for gzip), for the progress bar.
    pub bytes: Arc<AtomicU64>,
    /// The receiver asked to stop (it gave up on the run).
    pub stopped: bool,
}

/// Counts bytes as they are read.
struct Counting<R> {
    inner: R,
    bytes: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bytes.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// The text a CSV row is split from: a text of its own, or a span of a longer text whose
/// commas are already found.
#[derive(Clone, Copy)]
enum Split<'t> {
    Line(&'t [u8]),
    Masked(&'t [u8], &'t [u64]),
}

/// The path that names standard input (`flowcost replay -`); `./-` names a file called `-`.
pub const STDIN: &str = "-";

/// How standard input is named in messages and reports.
pub const STDIN_NAME: &str = "<stdin>";

/// Whether `path` names standard input.
pub fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == STDIN
}

/// A path as messages name it: `<stdin>` for `-`.
pub fn display_name(path: &Path) -> String {
    if is_stdin(path) {
        STDIN_NAME.into()
    } else {
        path.display().to_string()
    }
}

/// Opens a log for reading: standard input for `-`, else the file.
fn open_input(path: &Path) -> io::Result<Box<dyn Read + Send>> {
    if is_stdin(path) {
        return Ok(Box::new(io::stdin()));
    }
    Ok(Box::new(File::open(path)?))
}

/// The first two bytes of a gzip stream.
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// Whether an open file (at its start) is gzip-compressed; reads its first two bytes.
pub fn gzipped(file: &mut File) -> io::Result<bool> {
    let mut magic = [0u8; 2];
    let n = read_up_to(file, &mut magic)?;
    Ok(magic[..n] == GZIP_MAGIC)
}

/// The format a path's extension names (`.csv`, `.ndjson`, `.jsonl`, `.json`, each optionally
/// `.gz`; `.parquet`, `.parq`).
pub fn format_by_extension(path: &Path) -> Option<InputFormat> {
    let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    let ext = name.rsplit_once('.')?.1;
    match ext {
        "csv" => Some(InputFormat::Csv),
        "ndjson" | "jsonl" | "json" => Some(InputFormat::Ndjson),
        "parquet" | "parq" => Some(InputFormat::Parquet),
        _ => None,
    }
}

/// Whether a file is read as Parquet: by `--input-format` or its extension (`format`), else by
/// its first bytes.
pub fn is_parquet(format: Option<InputFormat>, path: &Path) -> bool {
    match format {
        Some(f) => f == InputFormat::Parquet,
        None => super::parquet::is_parquet(path),
    }
}

#[derive(Clone)]
enum Lines {
    Csv(Option<Box<Layout>>),
    Ndjson,
}

/// One open file and how far [`Parser::fill`] has read it.
pub struct FileLines {
    file: u32,
    reader: Box<dyn Read + Send>,
    /// `buf[start..end]` is read and not yet parsed.
    buf: Vec<u8>,
    start: usize,
    end: usize,
    /// Lines parsed so far.
    line_no: u64,
    eof: bool,
    /// The format, once known, and a CSV file's header once read.
    mode: Option<Lines>,
    /// Within a line longer than [`MAX_LINE_BYTES`]: bytes are dropped up to its end.
    skipping: bool,
    /// A Parquet file: read by row groups instead of lines.
    parquet: Option<Box<super::parquet::Cursor>>,
}

impl FileLines {
    /// The file's index in the inputs.
    pub fn file(&self) -> u32 {
        self.file
    }

    /// Lines of the same file, in the same format and with the same CSV header, from `text`
    /// (a part of it read apart, such as its last lines). A Parquet file has no lines: its
    /// part is empty.
    pub fn with_text(&self, text: Vec<u8>) -> FileLines {
        let text = if self.parquet.is_some() {
            Vec::new()
        } else {
            text
        };
        let reader = Box::new(io::Cursor::new(text));
        FileLines::new(self.file, reader, 1 << 16, self.mode.clone())
    }

    fn new(file: u32, reader: Box<dyn Read + Send>, chunk: usize, mode: Option<Lines>) -> Self {
        FileLines {
            file,
            reader,
            buf: vec![0u8; chunk.max(1)],
            start: 0,
            end: 0,
            line_no: 0,
            eof: false,
            mode,
            skipping: false,
            parquet: None,
        }
    }
}

impl<'a> Parser<'a> {
    /// A parser with an empty flow interner.
    pub fn new(options: &'a ParseOptions) -> Self {
        Parser {
            options,
            flows: HashMap::default(),
            new_flows: Vec::new(),
            days: DayCache::default(),
            commas: Vec::new(),
            bytes: Arc::new(AtomicU64::new(0)),
            stopped: false,
        }
    }

    /// Whether reading stops at the first bad row (`--strict`).
    pub fn strict(&self) -> bool {
        self.options.strict
    }

    /// Reads one file, handing batches to `send`. Problems with the whole file end up in a
    /// batch's `unusable`, after the rows read before them.
    pub fn file(&mut self, index: u32, path: &Path, send: &mut dyn FnMut(&mut Batch) -> bool) {
        let mut batch = Batch::default();
        let mut source = self.open(index, path, READ_CHUNK);
        loop {
            let more = match &mut source {
                Ok(source) => self.fill(source, &mut batch, BATCH_ROWS),
                // Reported once: the loop ends with it.
                Err(message) => Err(std::mem::take(message)),
            };
            let more = more.unwrap_or_else(|message| {
                batch.unusable.push(RowProblem {
                    file: index,
                    line: 0,
                    message,
                });
                false
            });
            // A file with no lines at all is an empty log, not a broken one: it still sends.
            batch.new_flows.append(&mut self.new_flows);
            let bad = !batch.problems.is_empty() || !batch.unusable.is_empty();
            if !send(&mut batch) || (self.options.strict && bad) {
                self.stopped = true;
                return;
            }
            batch.clear();
            if !more {
                return;
            }
        }
    }

    /// Opens one file (gzip or not) for [`Parser::fill`], reading `chunk` bytes at a time.
    pub fn open(&self, index: u32, path: &Path, chunk: usize) -> Result<FileLines, String> {
        let format = self.options.format.or_else(|| format_by_extension(path));
        if is_stdin(path) && format == Some(InputFormat::Parquet) {
            return Err(
                "standard input cannot be read as Parquet (a Parquet file is read from \
                        its end): save it to a file and name that"
                    .into(),
            );
        }
        if !is_stdin(path) && is_parquet(format, path) {
            let log = super::parquet::ParquetLog::open(path, &self.options.map)?;
            self.bytes.fetch_add(log.len(), Ordering::Relaxed);
            let groups = log.groups();
            let mut lines = FileLines::new(index, Box::new(io::empty()), 1, None);
            lines.parquet = Some(Box::new(log.cursor(index, 0..groups)));
            return Ok(lines);
        }
        let mut file = open_input(path).map_err(|e| format!("cannot open: {e}"))?;
        let mut magic = [0u8; 2];
        let n = read_up_to(&mut file, &mut magic).map_err(|e| format!("cannot read: {e}"))?;
        let counting = Counting {
            inner: io::Cursor::new(magic[..n].to_vec()).chain(file),
            bytes: Arc::clone(&self.bytes),
        };
        let reader: Box<dyn Read + Send> = if magic[..n] == GZIP_MAGIC {
            Box::new(flate2::read::MultiGzDecoder::new(counting))
        } else {
            Box::new(counting)
        };
        let mode = format.map(|f| match f {
            InputFormat::Csv | InputFormat::Parquet => Lines::Csv(None),
            InputFormat::Ndjson => Lines::Ndjson,
        });
        Ok(FileLines::new(index, reader, chunk, mode))
    }

    /// Parses lines of `source` into `batch` until it holds `max_rows` rows or problems.
    /// Returns whether lines may follow (`false` at the end of the file); an error is a
    /// problem with the whole file from there on (unreadable, or a bad CSV header).
    pub fn fill(
        &mut self,
        source: &mut FileLines,
        batch: &mut Batch,
        max_rows: usize,
    ) -> Result<bool, String> {
        let file = source.file;
        if let Some(cursor) = source.parquet.as_mut() {
            return cursor.fill(self, batch, max_rows);
        }
        loop {
            let FileLines {
                buf,
                start,
                end,
                line_no,
                eof,
                mode,
                skipping,
                ..
            } = source;
            if *skipping {
                match memchr::memchr(b'\n', &buf[*start..*end]) {
                    Some(i) => {
                        *start += i + 1;
                        *skipping = false;
                    }
                    None => *start = *end,
                }
            }
            // Complete lines only, until the end of the file.
            let complete_end = if *eof {
                *end
            } else {
                memchr::memrchr(b'\n', &buf[*start..*end]).map_or(*start, |i| *start + i + 1)
            };
            while *start < complete_end {
                let nl = memchr::memchr(b'\n', &buf[*start..complete_end])
                    .map_or(complete_end, |i| *start + i);
                let mut line = strip_cr(&buf[*start..nl]);
                if *line_no == 0 {
                    line = line.strip_prefix(b"\xef\xbb\xbf").unwrap_or(line); // a UTF-8 BOM
                }
                *start = (nl + 1).min(*end);
                *line_no += 1;
                if line.len() > MAX_LINE_BYTES {
                    too_long(mode, batch, file, *line_no)?;
                    continue;
                }
                if is_blank(line) {
                    continue;
                }
                let mode = mode.get_or_insert_with(|| sniff(line));
                match mode {
                    Lines::Csv(layout @ None) => {
                        *layout = Some(Box::new(self.header(line)?));
                    }
                    Lines::Csv(Some(layout)) => {
                        let quoted = memchr::memchr(b'"', line).is_some();
                        let span = (0, line.len());
                        let split = Split::Line(line);
                        self.csv_row(batch, (file, *line_no), (split, span, quoted), layout);
                    }
                    Lines::Ndjson => self.ndjson_line(batch, file, *line_no, line),
                }
                let stop = self.options.strict && !batch.problems.is_empty();
                if stop || batch.rows.len() >= max_rows || batch.problems.len() >= max_rows {
                    return Ok(true);
                }
            }
            if *eof {
                return Ok(false);
            }
            if *start > 0 {
                buf.copy_within(*start..*end, 0);
                *end -= *start;
                *start = 0;
            }
            if *end > MAX_LINE_BYTES {
                *line_no += 1;
                too_long(mode, batch, file, *line_no)?;
                (*skipping, *end) = (true, 0);
            }
            if *end == buf.len() {
                buf.resize(buf.len() * 2, 0);
            }
            let n = source
                .reader
                .read(&mut source.buf[source.end..])
                .map_err(|e| format!("cannot read (line {}): {e}", source.line_no + 1))?;
            source.end += n;
            source.eof = n == 0;
        }
    }

    /// Parses the CSV rows of `text`, complete lines of one file whose first is line
    /// `first_line` (rows and problems carry line numbers from there), into `sink`. Blank lines
    /// are skipped. Returns how many lines `text` holds.
    pub fn csv_lines(
        &mut self,
        file: u32,
        first_line: u64,
        text: &[u8],
        layout: &Layout,
        sink: &mut impl Sink,
    ) -> u64 {
        let mut line_no = first_line;
        let mut pos = 0;
        // Most logs quote nothing: one look at the whole text spares a look at every line.
        let quotes = memchr::memchr(b'"', text).is_some();
        let mut commas = std::mem::take(&mut self.commas);
        commas.clear();
        if layout.reads_masks() {
            comma_masks(text, &mut commas);
        }
        while pos < text.len() {
            let nl = memchr::memchr(b'\n', &text[pos..]).map_or(text.len(), |i| pos + i);
            let line = strip_cr(&text[pos..nl]);
            let span = (pos, pos + line.len());
            pos = nl + 1;
            if line.len() > MAX_LINE_BYTES {
                problem(sink, file, line_no, overlong());
            } else if !is_blank(line) {
                let quoted = quotes && memchr::memchr(b'"', line).is_some();
                let split = Split::Masked(text, &commas);
                self.csv_row(sink, (file, line_no), (split, span, quoted), layout);
            }
            line_no += 1;
        }
        self.commas = commas;
        line_no - first_line
    }

    /// Flow names interned since the last call, in id order.
    pub fn take_new_flows(&mut self) -> Vec<String> {
        std::mem::take(&mut self.new_flows)
    }

    /// The column layout a CSV header line names.
    pub fn header(&self, line: &[u8]) -> Result<Layout, String> {
        let text = std::str::from_utf8(line).map_err(|_| "header row is not UTF-8".to_string())?;
        let fields: Vec<&str> = text
            .split(',')
            .map(|f| f.trim().trim_matches('"'))
            .collect();
        Layout::from_header(&fields, &self.options.map).map_err(|e| format!("line 1: {e}"))
    }

    /// The id of a flow name, interned. Names are bounded (a flow is named in a few words) and
    /// so is their number, so that a log of unique long names cannot fill memory.
    fn flow_id(&mut self, name: &[u8]) -> Result<u32, String> {
        if name.is_empty() {
            return Ok(0);
        }
        if let Some(&id) = self.flows.get(name) {
            return Ok(id);
        }
        if name.len() > MAX_FLOW_NAME {
            return Err(format!(
                "flow name `{}` is longer than {MAX_FLOW_NAME} bytes",
                crate::diagnostic::quote(&String::from_utf8_lossy(name))
            ));
        }
        if self.flows.len() >= MAX_FLOWS {
            return Err(format!(
                "more than {MAX_FLOWS} different flow names: is the flow column the flow's name?"
            ));
        }
        let id = self.flows.len() as u32 + 1;
        self.flows.insert(name.to_vec(), id);
        self.new_flows
            .push(String::from_utf8_lossy(name).into_owned());
        Ok(id)
    }

    /// The row of line `text[span]`, which has a quote if `quoted`.
    fn csv_row(
        &mut self,
        sink: &mut impl Sink,
        (file, line_no): (u32, u64),
        (split, span, quoted): (Split, (usize, usize), bool),
        l: &Layout,
    ) {
        let text = match split {
            Split::Line(text) | Split::Masked(text, _) => text,
        };
        let line = &text[span.0..span.1];
        let row = if quoted {
            let Some(fields) = unquote(line) else {
                return problem(sink, file, line_no, "unterminated quoted field".into());
            };
            if fields.len() != l.width {
                return wrong_width(sink, file, line_no, fields.len(), l);
            }
            let get = |c: Column| l.get(c).map_or(&[][..], |i| trim(&fields[i]));
            let row = Fields::from(get);
            return self.event_row(sink, file, line_no, &row);
        } else {
            let (mut starts, mut ends) = ([0; 8], [0; 8]);
            let count = match split {
                Split::Line(text) => l.split_in(text, span, &mut starts, &mut ends),
                Split::Masked(text, commas) => {
                    l.split_masked((text, commas), span, &mut starts, &mut ends)
                }
            };
            if count != l.width {
                return wrong_width(sink, file, line_no, count, l);
            }
            Fields::from(|c: Column| trim(&line[starts[c as usize]..ends[c as usize]]))
        };
        self.event_row(sink, file, line_no, &row);
    }

    /// A row read from columns (Parquet): each column's field as text (empty for a null or a
    /// column the file lacks), and its timestamp; `location` stands for its line. Returns
    /// whether the row was good.
    pub fn column_row<'f>(
        &mut self,
        sink: &mut impl Sink,
        file: u32,
        location: u64,
        when: When,
        get: impl Fn(Column) -> &'f [u8],
    ) -> bool {
        let fields = Fields::from(|c| trim(get(c)));
        let at = match when {
            When::Text => None,
            When::Ms(ms) => Some(ms),
        };
        match self.event_at(&fields, at) {
            Ok(mut row) => {
                row.file = file;
                row.line = location;
                sink.row(row, fields.recipient);
                true
            }
            Err(message) => {
                problem(sink, file, location, message);
                false
            }
        }
    }

    fn event_row(&mut self, sink: &mut impl Sink, file: u32, line_no: u64, f: &Fields) {
        match self.event_at(f, None) {
            Ok(mut row) => {
                row.file = file;
                row.line = line_no;
                sink.row(row, f.recipient);
            }
            Err(message) => problem(sink, file, line_no, message),
        }
    }

    /// A row's event; its time is `at` when a typed column gave it, else the timestamp field.
    fn event_at(&mut self, f: &Fields, at: Option<i64>) -> Result<Row, String> {
        let at = match at {
            Some(ms) => self.instant(ms)?,
            None => self.timestamp(f.timestamp)?,
        };
        if f.recipient.is_empty() {
            return Err("empty recipient".into());
        }
        let kind = event_kind(f)?;
        let market = if f.market.is_empty() {
            None
        } else {
            Some(market::check_code(f.market)?)
        };
        Ok(Row {
            at,
            recipient: 0,
            recipient_len: 0,
            hash: 0,
            kind: RowKind::Event(kind),
            flow: self.flow_id(f.flow)?,
            market,
            file: 0,
            line: 0,
        })
    }

    fn timestamp(&mut self, field: &[u8]) -> Result<i64, String> {
        let at = parse_ms_cached(field, &mut self.days)?;
        if at < self.options.earliest_ms {
            return Err(format!(
                "timestamp `{}` is before 2023-06-01: Meta's four conversation categories did \
                 not exist yet, so no pricing model applies",
                crate::diagnostic::quote(&String::from_utf8_lossy(trim(field)))
            ));
        }
        Ok(at)
    }

    fn instant(&self, ms: i64) -> Result<i64, String> {
        if ms > super::timestamp::MAX_MS {
            return Err(format!("timestamp {ms} ms is after the year 9999"));
        }
        if ms < self.options.earliest_ms {
            let shown = chrono::DateTime::from_timestamp_millis(ms)
                .map_or_else(|| format!("{ms} ms"), |t| t.to_rfc3339());
            return Err(format!(
                "timestamp `{shown}` is before 2023-06-01: Meta's four conversation categories \
                 did not exist yet, so no pricing model applies"
            ));
        }
        Ok(ms)
    }

    fn ndjson_line(&mut self, batch: &mut Batch, file: u32, line_no: u64, line: &[u8]) {
        let value: Value = match serde_json::from_slice(line) {
            Ok(v) => v,
            Err(e) => return problem(batch, file, line_no, format!("not JSON: {e}")),
        };
        let Value::Object(obj) = &value else {
            return problem(batch, file, line_no, "not a JSON object".into());
        };
        let result = if let Some(entries) = obj.get("entry") {
            self.envelope(batch, file, line_no, entries)
        } else if obj.contains_key("statuses") || obj.contains_key("messages") {
            self.change_value(batch, file, line_no, &value)
        } else if obj.contains_key("status") && obj.contains_key("id") {
            self.status(batch, file, line_no, &value)
        } else if obj.contains_key("from") && obj.contains_key("id") {
            self.inbound(batch, file, line_no, &value)
        } else {
            self.flat(batch, file, line_no, obj);
            Ok(())
        };
        if let Err(message) = result {
            problem(batch, file, line_no, message);
        }
    }

    fn flat(
        &mut self,
        batch: &mut Batch,
        file: u32,
        line_no: u64,
        obj: &serde_json::Map<String, Value>,
    ) {
        let mut values: [String; 8] = Default::default();
        for (key, v) in obj {
            if let Some(c) = self.options.map.resolve(key) {
                let text = match v {
                    Value::String(s) => s.clone(),
                    Value::Null => String::new(),
                    other => other.to_string(),
                };
                if values[c as usize].is_empty() {
                    values[c as usize] = text;
                }
            }
        }
        for c in Column::ALL {
            if c.required() && values[c as usize].is_empty() {
                return problem(batch, file, line_no, format!("no `{}` field", c.name()));
            }
        }
        let v = |c: Column| values[c as usize].trim().as_bytes();
        let fields = Fields {
            timestamp: v(Column::Timestamp),
            recipient: v(Column::Recipient),
            direction: v(Column::Direction),
            kind: v(Column::Kind),
            category: v(Column::Category),
            entry_point: v(Column::EntryPoint),
            market: v(Column::Market),
            flow: v(Column::Flow),
        };
        self.event_row(batch, file, line_no, &fields);
    }

    fn envelope(
        &mut self,
        batch: &mut Batch,
        file: u32,
        line_no: u64,
        entries: &Value,
    ) -> Result<(), String> {
        let entries = entries.as_array().ok_or("`entry` is not an array")?;
        for entry in entries {
            let changes = entry.get("changes").and_then(Value::as_array);
            for change in changes.into_iter().flatten() {
                if let Some(value) = change.get("value") {
                    self.change_value(batch, file, line_no, value)?;
                }
            }
        }
        Ok(())
    }

    fn change_value(
        &mut self,
        batch: &mut Batch,
        file: u32,
        line_no: u64,
        value: &Value,
    ) -> Result<(), String> {
        let list = |k: &str| value.get(k).and_then(Value::as_array).into_iter().flatten();
        for status in list("statuses") {
            self.status(batch, file, line_no, status)?;
        }
        for message in list("messages") {
            self.inbound(batch, file, line_no, message)?;
        }
        Ok(())
    }

    /// A status object (`statuses[]`): a business message's sent/delivered/read/failed.
    fn status(
        &mut self,
        batch: &mut Batch,
        file: u32,
        line_no: u64,
        s: &Value,
    ) -> Result<(), String> {
        let text = |k: &str| s.get(k).and_then(Value::as_str);
        let id = text("id").ok_or("status without an `id`")?;
        let recipient = text("recipient_id").ok_or("status without a `recipient_id`")?;
        let at = self.timestamp(json_timestamp(s.get("timestamp"))?.as_bytes())?;
        let kind = match text("status").unwrap_or("") {
            "sent" => StatusKind::Sent,
            "delivered" => StatusKind::Delivered,
            "read" => StatusKind::Read,
            "failed" => StatusKind::Failed,
            other => {
                return Err(format!(
                    "status `{other}` is not sent, delivered, read or failed"
                ))
            }
        };
        let verdict = s.get("pricing").map(|p| LogVerdict {
            billable: p.get("billable").and_then(Value::as_bool),
            pricing_model: p
                .get("pricing_model")
                .and_then(Value::as_str)
                .map(Into::into),
            category: p.get("category").and_then(Value::as_str).map(Into::into),
            kind: p.get("type").and_then(Value::as_str).map(Into::into),
        });
        let index = batch.statuses.len() as u32;
        batch.statuses.push(Status {
            id: id.into(),
            kind,
            verdict,
        });
        let row = Row {
            at,
            recipient: 0,
            recipient_len: 0,
            hash: 0,
            kind: RowKind::Status(index),
            flow: 0,
            market: None,
            file,
            line: line_no,
        };
        batch.push(row, recipient.as_bytes());
        Ok(())
    }

    /// An inbound message object (`messages[]`): the customer wrote; a `referral` from an ad
    /// marks an ad click.
    fn inbound(
        &mut self,
        batch: &mut Batch,
        file: u32,
        line_no: u64,
        m: &Value,
    ) -> Result<(), String> {
        let from = m
            .get("from")
            .and_then(Value::as_str)
            .ok_or("message without a `from`")?;
        let at = self.timestamp(json_timestamp(m.get("timestamp"))?.as_bytes())?;
        let ad = m.get("referral").is_some_and(|r| {
            r.get("source_type")
                .and_then(Value::as_str)
                .is_none_or(|t| t == "ad" || t == "post")
        });
        let row = Row {
            at,
            recipient: 0,
            recipient_len: 0,
            hash: 0,
            kind: RowKind::Event(customer(ad)),
            flow: 0,
            market: None,
            file,
            line: line_no,
        };
        batch.push(row, from.as_bytes());
        Ok(())
    }
}

fn json_timestamp(v: Option<&Value>) -> Result<String, String> {
    match v {
        Some(Value::String(s)) => Ok(s.clone()),
        Some(Value::Number(n)) => Ok(n.to_string()),
        _ => Err("no `timestamp`".into()),
    }
}

fn wrong_width(sink: &mut impl Sink, file: u32, line_no: u64, count: usize, l: &Layout) {
    let message = format!("has {count} fields, the header has {}", l.width);
    problem(sink, file, line_no, message);
}

/// A row's fields, whatever the format.
struct Fields<'a> {
    timestamp: &'a [u8],
    recipient: &'a [u8],
    direction: &'a [u8],
    kind: &'a [u8],
    category: &'a [u8],
    entry_point: &'a [u8],
    market: &'a [u8],
    flow: &'a [u8],
}

impl<'a> Fields<'a> {
    fn from(get: impl Fn(Column) -> &'a [u8]) -> Self {
        Fields {
            timestamp: get(Column::Timestamp),
            recipient: get(Column::Recipient),
            direction: get(Column::Direction),
            kind: get(Column::Kind),
            category: get(Column::Category),
            entry_point: get(Column::EntryPoint),
            market: get(Column::Market),
            flow: get(Column::Flow),
        }
    }
}

fn eq(a: &[u8], b: &str) -> bool {
    a.eq_ignore_ascii_case(b.as_bytes())
}

fn event_kind(f: &Fields) -> Result<EventKind, String> {
    common_kind(f).map_or_else(|| any_kind(f), Ok)
}

/// The spellings `gen-log` and most exports write, compared exactly: what [`any_kind`] would
/// find for them, without its case-blind comparisons.
fn common_kind(f: &Fields) -> Option<EventKind> {
    Some(match (f.direction, f.kind, f.category, f.entry_point) {
        (b"inbound", _, _, b"") => customer(false),
        (b"outbound", b"free_form", _, _) => EventKind::FreeForm,
        (b"outbound", b"template", b"marketing", _) => EventKind::Template(Category::Marketing),
        (b"outbound", b"template", b"utility", _) => EventKind::Template(Category::Utility),
        (b"outbound", b"template", b"authentication", _) => {
            EventKind::Template(Category::Authentication)
        }
        _ => return None,
    })
}

/// Every spelling the log format accepts, and the problem with any other.
fn any_kind(f: &Fields) -> Result<EventKind, String> {
    let shown = |b: &[u8]| crate::diagnostic::quote(&String::from_utf8_lossy(b));
    let d = f.direction;
    if eq(d, "inbound") || eq(d, "in") || eq(d, "incoming") {
        let ad = if f.entry_point.is_empty() || eq(f.entry_point, "organic") {
            false
        } else if eq(f.entry_point, "ad_click") || eq(f.entry_point, "ad") {
            true
        } else {
            return Err(format!(
                "entry_point `{}` is not ad_click (or empty)",
                shown(f.entry_point)
            ));
        };
        return Ok(customer(ad));
    }
    if !(eq(d, "outbound") || eq(d, "out") || eq(d, "outgoing")) {
        return Err(format!(
            "direction `{}` is not inbound or outbound",
            shown(d)
        ));
    }
    let category = || -> Result<Category, String> {
        let c = f.category;
        for cat in [
            Category::Marketing,
            Category::Utility,
            Category::Authentication,
        ] {
            if eq(c, cat.name()) {
                return Ok(cat);
            }
        }
        if c.is_empty() {
            Err("template without a category".into())
        } else {
            Err(format!(
                "category `{}` is not marketing, utility or authentication",
                shown(c)
            ))
        }
    };
    let k = f.kind;
    if eq(k, "template") {
        Ok(EventKind::Template(category()?))
    } else if eq(k, "free_form") || eq(k, "free-form") || eq(k, "freeform") || eq(k, "text") {
        Ok(EventKind::FreeForm)
    } else if k.is_empty() {
        // No kind: a template when the row names a template category, else free-form.
        if f.category.is_empty() || eq(f.category, "service") {
            Ok(EventKind::FreeForm)
        } else {
            Ok(EventKind::Template(category()?))
        }
    } else {
        Err(format!("kind `{}` is not template or free_form", shown(k)))
    }
}

/// A line longer than [`MAX_LINE_BYTES`]: a bad row, or, where the CSV header belongs, a file
/// that cannot be read.
fn too_long(mode: &Option<Lines>, batch: &mut Batch, file: u32, line: u64) -> Result<(), String> {
    if let Some(Lines::Csv(None)) = mode {
        return Err(format!("line {line}: the header: {}", overlong()));
    }
    problem(batch, file, line, overlong());
    Ok(())
}

fn problem(sink: &mut impl Sink, file: u32, line: u64, message: String) {
    sink.problem(RowProblem {
        file,
        line,
        message,
    });
}

fn trim(s: &[u8]) -> &[u8] {
    let start = s
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(s.len());
    let end = s
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(start, |e| e + 1);
    &s[start..end]
}

/// Splits a CSV line with quoted fields (RFC 4180 quoting; a field cannot hold a line break).
fn unquote(line: &[u8]) -> Option<Vec<Vec<u8>>> {
    let mut fields = vec![Vec::new()];
    let mut quoted = false;
    let mut i = 0;
    while i < line.len() {
        let b = line[i];
        let field = fields.last_mut()?;
        match (quoted, b) {
            (false, b'"') if field.iter().all(u8::is_ascii_whitespace) => {
                field.clear();
                quoted = true;
            }
            (true, b'"') if line.get(i + 1) == Some(&b'"') => {
                field.push(b'"');
                i += 1;
            }
            (true, b'"') => quoted = false,
            (false, b',') => fields.push(Vec::new()),
            _ => field.push(b),
        }
        i += 1;
    }
    (!quoted).then_some(fields)
}

/// A line without its `\r`, if it ends in one.
pub fn strip_cr(line: &[u8]) -> &[u8] {
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// Whether a line holds nothing but whitespace (it is skipped).
pub fn is_blank(line: &[u8]) -> bool {
    line.iter().all(u8::is_ascii_whitespace)
}

fn sniff(line: &[u8]) -> Lines {
    match line.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'{') => Lines::Ndjson,
        _ => Lines::Csv(None),
    }
}

fn read_up_to(r: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The exact spellings are read as the general reading reads them, and nothing else is
    /// taken by the shortcut.
    #[test]
    fn common_kinds_are_read_as_any_kind() {
        let directions = [
            "inbound", "outbound", "Inbound", "in", "out", "sideways", "",
        ];
        let kinds = ["template", "free_form", "Template", "text", "", "sticker"];
        let categories = [
            "marketing",
            "utility",
            "authentication",
            "service",
            "Utility",
            "",
        ];
        let entries = ["", "ad_click", "organic", "billboard"];
        for d in directions {
            for k in kinds {
                for c in categories {
                    for e in entries {
                        let f = Fields::from(|col| match col {
                            Column::Direction => d.as_bytes(),
                            Column::Kind => k.as_bytes(),
                            Column::Category => c.as_bytes(),
                            Column::EntryPoint => e.as_bytes(),
                            _ => b"",
                        });
                        if let Some(kind) = common_kind(&f) {
                            assert_eq!(Ok(kind), any_kind(&f), "{d} {k} {c} {e}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn quoted_fields() {
        let f = unquote(br#"a,"b,c","d""e""#).unwrap();
        assert_eq!(f, vec![b"a".to_vec(), b"b,c".to_vec(), b"d\"e".to_vec()]);
        assert!(unquote(br#"a,"b"#).is_none());
    }

    #[test]
    fn extensions() {
        assert_eq!(
            format_by_extension(Path::new("a/log.csv.gz")),
            Some(InputFormat::Csv)
        );
        assert_eq!(
            format_by_extension(Path::new("x.jsonl")),
            Some(InputFormat::Ndjson)
        );
        assert_eq!(format_by_extension(Path::new("x.log")), None);
    }

    /// Every line is parsed once, with its own number, whatever the read buffer's size and
    /// however many rows each call may take: buffers grow for long lines and keep the rest of
    /// a cut line.
    #[test]
    fn fill_reads_every_line_once_at_any_buffer_size() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.csv");
        let long = format!("customer-{}", "x".repeat(300));
        let text = format!(
            "\ntimestamp,recipient,direction,kind,category,entry_point,market,flow\r\n\
             2026-11-02T10:00:00Z,+4915112345678,inbound,,,,,\r\n\
             \n\
             not,a,row\n\
             2026-11-02T10:01:00Z,{long},outbound,free_form,,,,welcome\n\
             2026-11-02T10:02:00Z,+4915112345678,outbound,template,utility,,,orders"
        );
        std::fs::write(&path, text).unwrap();
        let options = ParseOptions {
            format: None,
            map: ColumnMap::default(),
            earliest_ms: 0,
            strict: false,
        };
        let read = |chunk: usize, max_rows: usize| {
            let mut parser = Parser::new(&options);
            let mut source = parser.open(0, &path, chunk).unwrap();
            let mut batch = Batch::default();
            let mut calls = 0;
            while parser.fill(&mut source, &mut batch, max_rows).unwrap() {
                calls += 1;
                assert!(calls < 100, "no progress at {chunk} bytes, {max_rows} rows");
            }
            let rows: Vec<(u64, i64, Vec<u8>, u32)> = batch
                .rows
                .iter()
                .map(|r| (r.line, r.at, batch.recipient(r).to_vec(), r.flow))
                .collect();
            let problems: Vec<u64> = batch.problems.iter().map(|p| p.line).collect();
            (rows, problems, parser.take_new_flows())
        };
        let (rows, problems, flows) = read(1 << 20, 1000);
        assert_eq!(rows.iter().map(|r| r.0).collect::<Vec<_>>(), vec![3, 6, 7]);
        assert_eq!(rows[1].2, long.as_bytes());
        assert_eq!(problems, vec![5]);
        assert_eq!(flows, vec!["welcome".to_string(), "orders".into()]);
        for chunk in [1, 2, 3, 7, 64, 333] {
            for max_rows in [1, 2, 1000] {
                assert_eq!(
                    read(chunk, max_rows),
                    (rows.clone(), problems.clone(), flows.clone()),
                    "{chunk} bytes, {max_rows} rows"
                );
            }
        }
    }
}

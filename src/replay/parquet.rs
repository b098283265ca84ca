//! Apache Parquet logs: a `.parquet` file (or a directory of part files) read row group by row
//! group, each row going through the same row checks as a CSV row ([`Parser::column_row`]).
//!
//! String columns (flat `BYTE_ARRAY` chunks in the PLAIN and dictionary encodings, as the
//! Rust crate and DuckDB write them) are decoded here from the crate's decompressed pages
//! (`RowGroupReader::get_column_page_reader`), each value kept as a place in its dictionary or
//! PLAIN page ([`strings`]); chunks that list the deprecated BIT_PACKED level encoding (as
//! Spark's, parquet-mr's, version 1 files do) and every other column (integers, timestamps,
//! INT96, fixed-length bytes, strings in other encodings) are read with the crate's column
//! readers.
//!
//! Only the columns flowcost reads are decoded, a slice of [`SLICE_ROWS`] rows at a time, so
//! memory is bounded by a page per column and a slice of rows, not by the file. A row is
//! located by its row group and its index in it (both from 0), packed into the `line` of rows
//! and problems ([`super::row::parquet_location`]).
//!
//! Hostile files are refused before the crate allocates for them: the footer's size, the
//! number of row groups and of rows, every column chunk's place in the file and every page
//! header's sizes are checked against the limits below ([`pages`]).

mod hybrid;
mod pages;
mod strings;
mod varint;
pub mod write;

use super::columns::{Column, ColumnMap};
use super::parse::{Parser, When};
use super::row::{parquet_location, Sink};
use parquet::basic::{ConvertedType, LogicalType, TimeUnit, Type as Physical};
use parquet::column::reader::ColumnReader;
use parquet::data_type::{ByteArray, Int96};
use parquet::file::reader::FileReader;
use parquet::file::serialized_reader::SerializedFileReader;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use strings::{Strings, Texts};

/// The four bytes a Parquet file starts and ends with.
pub const MAGIC: &[u8; 4] = b"PAR1";

/// The largest footer (file metadata) read: 64 MiB, enough for tens of thousands of row groups.
pub const MAX_FOOTER_BYTES: u64 = 64 << 20;

/// The most row groups in one file (row group indexes take 23 bits of a location).
pub const MAX_ROW_GROUPS: usize = 1 << 20;

/// The most rows one row group may declare (row indexes take 40 bits of a location).
pub const MAX_GROUP_ROWS: i64 = 1 << 40;

/// The largest page, compressed or not (writers use 1 MiB; dictionaries can be larger): with a
/// page per column per thread, this bounds what the pages of hostile headers can take.
pub const MAX_PAGE_BYTES: u64 = 64 << 20;

/// Rows decoded at a time per column.
pub const SLICE_ROWS: usize = 8192;

/// Whether a path is a Parquet log: by its extension, else by its first four bytes.
pub fn is_parquet(path: &Path) -> bool {
    let ext = path.extension().map(|e| e.to_ascii_lowercase());
    if ext.as_ref().is_some_and(|e| e == "parquet" || e == "parq") {
        return true;
    }
    let mut magic = [0u8; 4];
    std::fs::metadata(path).is_ok_and(|m| m.is_file())
        && File::open(path).is_ok_and(|mut f| f.read_exact(&mut magic).is_ok() && &magic == MAGIC)
}

/// The part files of a directory (`*.parquet`, sorted by name), as data lakes and Spark write
/// them; hidden and `_`-prefixed files (`_SUCCESS`, `.crc`) are not parts.
pub fn part_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("cannot read the directory: {e}"))?;
    let mut parts = Vec::new();
    for entry in entries {
        let path = entry
            .map_err(|e| format!("cannot read the directory: {e}"))?
            .path();
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        let name = name.unwrap_or_default();
        let part = !name.starts_with('.') && !name.starts_with('_');
        if part && name.to_ascii_lowercase().ends_with(".parquet") && path.is_file() {
            parts.push(path);
        }
    }
    if parts.is_empty() {
        return Err(
            "a directory of logs must hold Parquet part files (*.parquet); none here".into(),
        );
    }
    parts.sort();
    Ok(parts)
}

/// How a column's values become a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Decode {
    /// Strings (or bytes): the text, as in a CSV field.
    Text,
    /// Integers with no time annotation: their decimal text.
    Int64,
    /// 32-bit integers: their decimal text.
    Int32,
    /// A Parquet `TIMESTAMP` of this unit.
    Instant(Unit),
    /// Legacy INT96 timestamps (Spark, Impala): nanoseconds of a Julian day.
    Int96,
}

/// A timestamp column's unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Millis,
    Micros,
    Nanos,
}

/// A column flowcost reads: where it is and how to decode it.
#[derive(Debug, Clone, Copy)]
struct Source {
    index: usize,
    decode: Decode,
    max_def: i16,
}

/// An open Parquet log: its reader and the columns it maps.
pub struct ParquetLog {
    reader: SerializedFileReader<File>,
    path: PathBuf,
    len: u64,
    columns: [Option<Source>; 8],
}

impl ParquetLog {
    /// Opens a file, checks its footer and metadata against the limits and maps its columns.
    pub fn open(path: &Path, map: &ColumnMap) -> Result<ParquetLog, String> {
        let mut file = File::open(path).map_err(|e| format!("cannot open: {e}"))?;
        let len = check_footer(&mut file)?;
        let reader = SerializedFileReader::new(file)
            .map_err(|e| format!("not a readable Parquet file: {e}"))?;
        check_metadata(&reader, len)?;
        let columns = map_columns(&reader, map)?;
        Ok(ParquetLog {
            reader,
            path: path.to_path_buf(),
            len,
            columns,
        })
    }

    /// Row groups in the file.
    pub fn groups(&self) -> usize {
        self.reader.num_row_groups()
    }

    /// Rows in the file, as its metadata declares them.
    pub fn rows(&self) -> u64 {
        let groups = self.reader.metadata().row_groups().iter();
        groups.map(|g| g.num_rows().max(0) as u64).sum()
    }

    /// The file's size in bytes.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// Whether the file has no row group.
    pub fn is_empty(&self) -> bool {
        self.groups() == 0
    }

    /// The compressed bytes of a row group (for progress).
    pub fn group_bytes(&self, g: usize) -> u64 {
        let meta = self.reader.metadata().row_group(g);
        u64::try_from(meta.compressed_size()).unwrap_or(0)
    }

    /// A cursor over row groups `groups` of this file, for [`Cursor::fill`].
    pub fn cursor(self, file: u32, groups: std::ops::Range<usize>) -> Cursor {
        Cursor {
            log: self,
            file,
            next_group: groups.start,
            end_group: groups.end,
            open: None,
            slice: Slice::default(),
        }
    }
}

/// Reads the last eight bytes: the footer's length and the magic. Returns the file's size.
fn check_footer(file: &mut File) -> Result<u64, String> {
    let len = file
        .metadata()
        .map_err(|e| format!("cannot read: {e}"))?
        .len();
    let mut head = [0u8; 4];
    let mut tail = [0u8; 8];
    let read = |file: &mut File, at: SeekFrom, buf: &mut [u8]| {
        file.seek(at).and_then(|_| file.read_exact(buf))
    };
    if len < 12
        || read(file, SeekFrom::Start(0), &mut head).is_err()
        || read(file, SeekFrom::End(-8), &mut tail).is_err()
        || &head != MAGIC
        || &tail[4..] != MAGIC
    {
        return Err(format!(
            "not a Parquet file (it must start and end with `PAR1`; {len} bytes): truncated, or \
             another format? (--input-format csv|ndjson)"
        ));
    }
    let footer = u64::from(u32::from_le_bytes([tail[0], tail[1], tail[2], tail[3]]));
    if footer + 12 > len {
        return Err(format!(
            "truncated or corrupt: the footer says its metadata is {footer} bytes, the file has \
             {len}"
        ));
    }
    if footer > MAX_FOOTER_BYTES {
        return Err(format!(
            "the metadata is {footer} bytes, over the limit of {} MiB",
            MAX_FOOTER_BYTES >> 20
        ));
    }
    file.seek(SeekFrom::Start(0))
        .map_err(|e| format!("cannot read: {e}"))?;
    Ok(len)
}

/// Every row group's row count and every column chunk's place are within limits and within
/// the file, so that nothing the crate reads later can ask for more.
fn check_metadata(reader: &SerializedFileReader<File>, len: u64) -> Result<(), String> {
    let meta = reader.metadata();
    if meta.num_row_groups() > MAX_ROW_GROUPS {
        return Err(format!(
            "{} row groups, over the limit of {MAX_ROW_GROUPS}",
            meta.num_row_groups()
        ));
    }
    for (g, group) in meta.row_groups().iter().enumerate() {
        if !(0..=MAX_GROUP_ROWS).contains(&group.num_rows()) {
            return Err(format!(
                "row group {g} declares {} rows (the limit is {MAX_GROUP_ROWS})",
                group.num_rows()
            ));
        }
        for column in group.columns() {
            let start = column
                .dictionary_page_offset()
                .unwrap_or(column.data_page_offset());
            let size = column.compressed_size();
            let end = start.checked_add(size);
            if start < 0 || size < 0 || end.is_none_or(|e| e as u64 > len) {
                return Err(format!(
                    "row group {g}: column `{}` is said to be at bytes {start}..+{size}, outside \
                     the file ({len} bytes): truncated or corrupt",
                    column.column_path()
                ));
            }
        }
    }
    Ok(())
}

/// Which column of the file holds each of flowcost's columns (top-level columns, by the same
/// names and aliases as CSV headers, and `--map`).
fn map_columns(
    reader: &SerializedFileReader<File>,
    map: &ColumnMap,
) -> Result<[Option<Source>; 8], String> {
    let schema = reader.metadata().file_metadata().schema_descr();
    let mut columns: [Option<Source>; 8] = [None; 8];
    let mut names = Vec::new();
    for i in 0..schema.num_columns() {
        let desc = schema.column(i);
        let path = desc.path().string();
        names.push(path.clone());
        let Some(c) = map.resolve(&path) else {
            continue;
        };
        if columns[c as usize].is_some() {
            continue;
        }
        if desc.max_rep_level() > 0 {
            return Err(format!(
                "column `{path}` ({}) is a repeated (list) column; flowcost reads one value a row",
                c.name()
            ));
        }
        let decode =
            decode(c, &desc).map_err(|e| format!("column `{path}` ({}): {e}", c.name()))?;
        columns[c as usize] = Some(Source {
            index: i,
            decode,
            max_def: desc.max_def_level(),
        });
    }
    let missing: Vec<&str> = Column::ALL
        .into_iter()
        .filter(|c| c.required() && columns[*c as usize].is_none())
        .map(Column::name)
        .collect();
    if let Some(first) = missing.first() {
        return Err(format!(
            "the file has no {} column (found: {}); name it so, use an alias (see `flowcost \
             replay --help`), or --map {first}=YOUR_NAME",
            missing.join(", "),
            names.join(", ")
        ));
    }
    Ok(columns)
}

/// How to read a column of this type, or why it cannot be.
fn decode(c: Column, desc: &parquet::schema::types::ColumnDescriptor) -> Result<Decode, String> {
    let timestamp = c == Column::Timestamp;
    let unit = match desc.logical_type_ref() {
        Some(LogicalType::Timestamp(t)) => Some(match t.unit {
            TimeUnit::MILLIS => Unit::Millis,
            TimeUnit::MICROS => Unit::Micros,
            TimeUnit::NANOS => Unit::Nanos,
        }),
        _ => match desc.converted_type() {
            ConvertedType::TIMESTAMP_MILLIS => Some(Unit::Millis),
            ConvertedType::TIMESTAMP_MICROS => Some(Unit::Micros),
            _ => None,
        },
    };
    let physical = desc.physical_type();
    Ok(match (physical, unit) {
        (Physical::BYTE_ARRAY | Physical::FIXED_LEN_BYTE_ARRAY, _) => Decode::Text,
        (Physical::INT64, Some(unit)) if timestamp => Decode::Instant(unit),
        (Physical::INT96, _) if timestamp => Decode::Int96,
        (Physical::INT64, None) if timestamp || c == Column::Recipient => Decode::Int64,
        (Physical::INT32, None) if timestamp || c == Column::Recipient => Decode::Int32,
        _ => {
            let want = if timestamp {
                "a TIMESTAMP, an integer (Unix seconds or milliseconds) or a string"
            } else if c == Column::Recipient {
                "a string or an integer"
            } else {
                "a string"
            };
            return Err(format!("its type is {physical}, flowcost needs {want}"));
        }
    })
}

/// One column's values for a slice of rows.
#[derive(Default)]
struct Values {
    bytes: Vec<ByteArray>,
    int64: Vec<i64>,
    int32: Vec<i32>,
    int96: Vec<Int96>,
    /// Definition levels (optional columns): a row's value is null below the column's maximum.
    defs: Vec<i16>,
    /// Integers as text (`text[ends[k]..ends[k + 1]]` is value `k`).
    text: Vec<u8>,
    ends: Vec<usize>,
    /// Strings read from the pages ([`strings`]); strings the crate's reader read are in
    /// `bytes` (a slice's strings are in one or the other).
    texts: Texts,
}

/// The decoded values of every mapped column for a slice of rows.
#[derive(Default)]
struct Slice {
    values: [Values; 8],
    /// A typed timestamp column's values in milliseconds, by row (`None` for a null).
    instants: Vec<Option<i64>>,
}

/// A column chunk's reader: the crate's, or strings read from its pages.
enum Reader {
    Crate(Box<ColumnReader>),
    Strings(Box<Strings>),
}

/// Reads row groups of one file into sinks.
pub struct Cursor {
    log: ParquetLog,
    file: u32,
    next_group: usize,
    end_group: usize,
    /// The row group being read: its index, its column readers, rows read and rows in it.
    open: Option<OpenGroup>,
    slice: Slice,
}

struct OpenGroup {
    index: usize,
    readers: Vec<(usize, Reader)>,
    row: u64,
    rows: u64,
}

impl Cursor {
    /// Moves to row groups `groups` (for a reader that takes row groups in turns).
    pub fn seek(&mut self, groups: std::ops::Range<usize>) {
        self.next_group = groups.start;
        self.end_group = groups.end.min(self.log.groups());
        self.open = None;
    }

    /// Reads rows into `sink` until it has `max_rows` more or the row groups are read. Returns
    /// whether rows may follow; an error is a problem with the whole file from there on.
    pub fn fill(
        &mut self,
        parser: &mut Parser,
        sink: &mut impl Sink,
        max_rows: usize,
    ) -> Result<bool, String> {
        let mut left = max_rows.max(1);
        while left > 0 {
            let Some(open) = self.open.as_mut() else {
                if self.next_group >= self.end_group {
                    return Ok(false);
                }
                self.open = Some(self.open_group(self.next_group)?);
                self.next_group += 1;
                continue;
            };
            if open.row >= open.rows {
                self.open = None;
                continue;
            }
            let n = (open.rows - open.row).min(left.min(SLICE_ROWS) as u64) as usize;
            let (group, first) = (open.index, open.row);
            read_slice(open, &self.log, &mut self.slice, n)?;
            open.row += n as u64;
            left -= n;
            if !self.emit(parser, sink, group, first, n) {
                // --strict: the batch ends at the first bad row, and reading stops there.
                return Ok(true);
            }
        }
        Ok(self.open.is_some() || self.next_group < self.end_group)
    }

    /// Checks a row group's pages and opens a reader for each mapped column.
    fn open_group(&self, g: usize) -> Result<OpenGroup, String> {
        let at = |e: String| format!("row group {g}: {e}");
        let group = self
            .log
            .reader
            .get_row_group(g)
            .map_err(|e| at(e.to_string()))?;
        let meta = group.metadata();
        let mut readers = Vec::new();
        for (c, source) in self.log.columns.iter().enumerate() {
            let Some(source) = source else { continue };
            let chunk = meta.column(source.index);
            pages::check(&self.log.path, chunk).map_err(&at)?;
            let reader = if source.decode == Decode::Text && strings::fits(chunk) {
                let pages = group.get_column_page_reader(source.index);
                Reader::Strings(Box::new(Strings::new(
                    pages.map_err(|e| at(e.to_string()))?,
                    source.max_def,
                )))
            } else {
                let reader = group.get_column_reader(source.index);
                Reader::Crate(Box::new(reader.map_err(|e| at(e.to_string()))?))
            };
            readers.push((c, reader));
        }
        Ok(OpenGroup {
            index: g,
            readers,
            row: 0,
            rows: meta.num_rows() as u64,
        })
    }

    /// Hands `n` rows of the slice to the parser, as fields of text or a typed timestamp;
    /// under `--strict`, only up to the first bad row (then returns `false`).
    fn emit(
        &mut self,
        parser: &mut Parser,
        sink: &mut impl Sink,
        group: usize,
        first: u64,
        n: usize,
    ) -> bool {
        let columns = self.log.columns;
        let slice = &mut self.slice;
        slice.prepare(&columns, n);
        let slice = &*slice;
        let typed = columns[Column::Timestamp as usize]
            .is_some_and(|s| matches!(s.decode, Decode::Instant(_) | Decode::Int96));
        // Each mapped column's next value (nulls take none).
        let mut next = [0usize; 8];
        for i in 0..n {
            // The row's field of each column, a null or a missing column empty: found as the
            // parser asks for it (an array of the fields, stored and read back, stalls).
            let at = next;
            let get = |c: Column| {
                let c = c as usize;
                columns[c]
                    .and_then(|source| slice.field(c, source, i, at[c]))
                    .unwrap_or_default()
            };
            // A null typed timestamp is read as its field: empty.
            let when = match (typed, slice.instants.get(i)) {
                (true, Some(&Some(ms))) => When::Ms(ms),
                _ => When::Text,
            };
            for (c, source) in columns.iter().enumerate() {
                if source.is_some_and(|s| !slice.is_null(c, s, i)) {
                    next[c] += 1;
                }
            }
            let location = parquet_location(group, first + i as u64);
            if !parser.column_row(sink, self.file, location, when, get) && parser.strict() {
                return false;
            }
        }
        true
    }
}

impl Slice {
    /// Integers shown as text, and typed timestamps as milliseconds (`None` for a null).
    fn prepare(&mut self, columns: &[Option<Source>; 8], n: usize) {
        self.instants.clear();
        for (c, source) in columns.iter().enumerate() {
            // Strings are read where they are.
            let Some(source) = source.filter(|s| !matches!(s.decode, Decode::Text)) else {
                continue;
            };
            let v = &mut self.values[c];
            v.text.clear();
            v.ends.clear();
            v.ends.push(0);
            let mut next = 0;
            for i in 0..n {
                if v.defs.get(i).is_some_and(|d| *d < source.max_def) {
                    if c == Column::Timestamp as usize {
                        self.instants.push(None);
                    }
                    continue;
                }
                match source.decode {
                    Decode::Text => {}
                    Decode::Int64 => v
                        .text
                        .extend_from_slice(v.int64[next].to_string().as_bytes()),
                    Decode::Int32 => v
                        .text
                        .extend_from_slice(v.int32[next].to_string().as_bytes()),
                    Decode::Instant(unit) => self.instants.push(Some(to_ms(v.int64[next], unit))),
                    Decode::Int96 => self.instants.push(Some(v.int96[next].to_millis())),
                }
                v.ends.push(v.text.len());
                next += 1;
            }
        }
    }

    /// Whether column `c` is null in row `i`.
    fn is_null(&self, c: usize, source: Source, i: usize) -> bool {
        let defs = &self.values[c].defs;
        defs.get(i).is_some_and(|d| *d < source.max_def)
    }

    /// Column `c`'s field of row `i`, whose value (if it is not null) is the column's
    /// `next`; `None` for a null.
    fn field(&self, c: usize, source: Source, i: usize, next: usize) -> Option<&[u8]> {
        if self.is_null(c, source, i) {
            return None;
        }
        let v = &self.values[c];
        Some(match source.decode {
            Decode::Text => match v.texts.get(next) {
                Some(text) => text,
                None => v.bytes.get(next).map_or(&[][..], ByteArray::data),
            },
            Decode::Int64 | Decode::Int32 => v
                .ends
                .get(next..next + 2)
                .map_or(&[][..], |e| &v.text[e[0]..e[1]]),
            Decode::Instant(_) | Decode::Int96 => &[][..],
        })
    }
}

/// Milliseconds of a timestamp in `unit`, rounded down.
fn to_ms(v: i64, unit: Unit) -> i64 {
    match unit {
        Unit::Millis => v,
        Unit::Micros => v.div_euclid(1000),
        Unit::Nanos => v.div_euclid(1_000_000),
    }
}

/// Decodes the next `n` rows of every mapped column of the open row group into `slice`.
fn read_slice(
    open: &mut OpenGroup,
    log: &ParquetLog,
    slice: &mut Slice,
    n: usize,
) -> Result<(), String> {
    for (c, reader) in &mut open.readers {
        let source = log.columns[*c].unwrap_or(Source {
            index: 0,
            decode: Decode::Text,
            max_def: 0,
        });
        let v = &mut slice.values[*c];
        v.bytes.clear();
        v.int64.clear();
        v.int32.clear();
        v.int96.clear();
        v.defs.clear();
        v.texts.clear();
        let at = |row: u64| {
            format!(
                "row group {}, row {row}: column {}",
                open.index,
                Column::ALL[*c].name()
            )
        };
        match reader {
            Reader::Strings(strings) => {
                strings
                    .read(n, &mut v.defs, &mut v.texts)
                    .map_err(|(row, e)| format!("{}: {e}", at(open.row + row as u64)))?;
            }
            Reader::Crate(reader) => {
                read_crate(reader, source, v, n, |got, e| match e {
                    Some(e) => format!("{}: {e}", at(open.row + got as u64)),
                    None => format!(
                        "row group {} declares {} rows, but its {} column ends after {}: \
                         truncated or corrupt",
                        open.index,
                        open.rows,
                        Column::ALL[*c].name(),
                        open.row + got as u64
                    ),
                })?;
            }
        }
        let values = v.bytes.len() + v.int64.len() + v.int32.len() + v.int96.len() + v.texts.len();
        let nulls = v.defs.iter().filter(|d| **d < source.max_def).count();
        if v.defs.len() != if source.max_def > 0 { n } else { 0 } || values + nulls != n {
            return Err(format!(
                "row group {}: column {} has {values} values for {n} rows: corrupt",
                open.index,
                Column::ALL[*c].name()
            ));
        }
    }
    Ok(())
}

/// Reads `n` rows of a column with the crate's reader; `error` words a failure after `got`
/// rows (`None`: the column ended).
fn read_crate(
    reader: &mut ColumnReader,
    source: Source,
    v: &mut Values,
    n: usize,
    error: impl Fn(usize, Option<parquet::errors::ParquetError>) -> String,
) -> Result<(), String> {
    let mut got = 0;
    while got < n {
        let defs = (source.max_def > 0).then_some(&mut v.defs);
        let read = match reader {
            ColumnReader::ByteArrayColumnReader(r) => {
                r.read_records(n - got, defs, None, &mut v.bytes)
            }
            ColumnReader::FixedLenByteArrayColumnReader(r) => {
                let mut fixed = Vec::new();
                let read = r.read_records(n - got, defs, None, &mut fixed);
                v.bytes.extend(
                    fixed
                        .into_iter()
                        .map(|f| ByteArray::from(f.data().to_vec())),
                );
                read
            }
            ColumnReader::Int64ColumnReader(r) => r.read_records(n - got, defs, None, &mut v.int64),
            ColumnReader::Int32ColumnReader(r) => r.read_records(n - got, defs, None, &mut v.int32),
            ColumnReader::Int96ColumnReader(r) => r.read_records(n - got, defs, None, &mut v.int96),
            _ => return Err("a column changed type".into()),
        };
        let (records, _, _) = read.map_err(|e| error(got, Some(e)))?;
        if records == 0 {
            return Err(error(got, None));
        }
        got += records;
    }
    Ok(())
}

//! Writing a log as Parquet (`gen-log -o log.parquet`): the CSV rows a generator writes are
//! taken as they come and stored in row groups of [`GROUP_ROWS`] rows, with the timestamp as
//! `TIMESTAMP(MILLIS, UTC)` and every other column a dictionary-encoded string (null when the
//! CSV field is empty), snappy-compressed: the same rows, the same seed, in the format a
//! warehouse export has.

use crate::replay::columns::Column;
use crate::replay::timestamp::parse_ms;
use parquet::basic::Compression;
use parquet::data_type::{ByteArray, ByteArrayType, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;
use std::io::{self, Write};
use std::sync::Arc;

/// Rows per row group.
pub const GROUP_ROWS: usize = 128 * 1024;

/// The schema written: [`crate::replay::generate::HEADER`]'s columns.
pub const SCHEMA: &str = "message log {
    REQUIRED INT64 timestamp (TIMESTAMP(MILLIS, true));
    REQUIRED BYTE_ARRAY recipient (STRING);
    REQUIRED BYTE_ARRAY direction (STRING);
    OPTIONAL BYTE_ARRAY kind (STRING);
    OPTIONAL BYTE_ARRAY category (STRING);
    OPTIONAL BYTE_ARRAY entry_point (STRING);
    OPTIONAL BYTE_ARRAY market (STRING);
    OPTIONAL BYTE_ARRAY flow (STRING);
}";

/// A [`Write`] that takes CSV text with the standard header (no quoted fields) and writes it
/// as Parquet; call [`LogWriter::finish`] at the end.
pub struct LogWriter<W: Write + Send> {
    writer: SerializedFileWriter<W>,
    /// A line cut by the last write.
    pending: Vec<u8>,
    header_read: bool,
    times: Vec<i64>,
    /// Every other column's values, in schema order.
    texts: [Vec<ByteArray>; 7],
    defs: [Vec<i16>; 7],
    rows: usize,
    group_rows: usize,
}

fn invalid(e: impl std::fmt::Display) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, e.to_string())
}

impl<W: Write + Send> LogWriter<W> {
    /// A writer of the standard columns into `out`, in row groups of [`GROUP_ROWS`].
    pub fn new(out: W) -> io::Result<Self> {
        Self::with_group_rows(out, GROUP_ROWS)
    }

    /// A writer whose row groups hold `group_rows` rows.
    pub fn with_group_rows(out: W, group_rows: usize) -> io::Result<Self> {
        let group_rows = group_rows.max(1);
        let schema = Arc::new(parse_message_type(SCHEMA).map_err(invalid)?);
        let props = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_max_row_group_row_count(Some(group_rows))
            .build();
        let writer = SerializedFileWriter::new(out, schema, Arc::new(props)).map_err(invalid)?;
        Ok(LogWriter {
            writer,
            pending: Vec::new(),
            header_read: false,
            times: Vec::with_capacity(group_rows.min(GROUP_ROWS)),
            texts: Default::default(),
            defs: Default::default(),
            rows: 0,
            group_rows,
        })
    }

    /// Writes the last row group and the footer.
    pub fn finish(mut self) -> io::Result<W> {
        if !self.pending.is_empty() {
            let line = std::mem::take(&mut self.pending);
            self.line(&line)?;
        }
        self.flush_group()?;
        self.writer.into_inner().map_err(invalid)
    }

    fn line(&mut self, line: &[u8]) -> io::Result<()> {
        if line.is_empty() {
            return Ok(());
        }
        if !self.header_read {
            self.header_read = true;
            return Ok(());
        }
        let mut fields = line.split(|&b| b == b',');
        let time = fields.next().unwrap_or_default();
        self.times.push(parse_ms(time).map_err(invalid)?);
        for (k, column) in Column::ALL[1..].iter().enumerate() {
            let field = fields.next().unwrap_or_default();
            if field.is_empty() && !column.required() {
                self.defs[k].push(0);
            } else {
                self.defs[k].push(1);
                self.texts[k].push(ByteArray::from(field.to_vec()));
            }
        }
        self.rows += 1;
        if self.rows == self.group_rows {
            self.flush_group()?;
        }
        Ok(())
    }

    fn flush_group(&mut self) -> io::Result<()> {
        if self.rows == 0 {
            return Ok(());
        }
        let mut group = self.writer.next_row_group().map_err(invalid)?;
        let mut k = 0;
        while let Some(mut column) = group.next_column().map_err(invalid)? {
            if k == 0 {
                column
                    .typed::<Int64Type>()
                    .write_batch(&self.times, None, None)
                    .map_err(invalid)?;
            } else {
                let defs = (!Column::ALL[k].required()).then(|| &self.defs[k - 1][..]);
                column
                    .typed::<ByteArrayType>()
                    .write_batch(&self.texts[k - 1], defs, None)
                    .map_err(invalid)?;
            }
            column.close().map_err(invalid)?;
            k += 1;
        }
        group.close().map_err(invalid)?;
        self.times.clear();
        self.texts.iter_mut().for_each(Vec::clear);
        self.defs.iter_mut().for_each(Vec::clear);
        self.rows = 0;
        Ok(())
    }
}

impl<W: Write + Send> Write for LogWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut rest = buf;
        while let Some(i) = memchr::memchr(b'\n', rest) {
            let line = if self.pending.is_empty() {
                &rest[..i]
            } else {
                self.pending.extend_from_slice(&rest[..i]);
                &[][..]
            };
            if self.pending.is_empty() {
                self.line(line)?;
            } else {
                let whole = std::mem::take(&mut self.pending);
                self.line(&whole)?;
            }
            rest = &rest[i + 1..];
        }
        self.pending.extend_from_slice(rest);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

//! Page headers checked before the `parquet` crate reads a column chunk: it reserves a page's
//! declared sizes (and a binary's declared length in a header) as it reads them, so a hostile
//! header could make it allocate gigabytes from a few bytes. Each header is walked here with a
//! small Thrift compact-protocol reader that skips what it does not need without allocating,
//! and every size is checked against [`MAX_PAGE_BYTES`] and the chunk's bounds.

use super::MAX_PAGE_BYTES;
use parquet::file::metadata::ColumnChunkMetaData;
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::Path;

/// Nesting deeper than this in a page header is corrupt (real headers nest three levels).
const MAX_DEPTH: u32 = 16;

/// Checks the headers of every page of a column chunk (whose place in the file is checked).
pub fn check(path: &Path, chunk: &ColumnChunkMetaData) -> Result<(), String> {
    let start = chunk
        .dictionary_page_offset()
        .unwrap_or(chunk.data_page_offset());
    let (start, len) = (start.max(0) as u64, chunk.compressed_size().max(0) as u64);
    let file = File::open(path).map_err(|e| format!("cannot open: {e}"))?;
    let mut reader = Reader {
        inner: BufReader::with_capacity(1 << 14, file),
        left: len,
    };
    reader
        .inner
        .seek(SeekFrom::Start(start))
        .map_err(|e| format!("cannot read: {e}"))?;
    let column = chunk.column_path().string();
    let mut values = 0i64;
    while reader.left > 0 && values < chunk.num_values() {
        let header = reader.page_header().map_err(|e| {
            format!(
                "column `{column}`: a page header at byte {}: {e}",
                start + len - reader.left
            )
        })?;
        if header.compressed > reader.left {
            return Err(format!(
                "column `{column}`: a page of {} bytes runs past its column chunk: corrupt",
                header.compressed
            ));
        }
        reader
            .skip(header.compressed)
            .map_err(|e| format!("cannot read: {e}"))?;
        values = values.saturating_add(header.values.max(0));
    }
    Ok(())
}

/// What a page header says.
#[derive(Debug, Default)]
struct Header {
    compressed: u64,
    values: i64,
}

struct Reader {
    inner: BufReader<File>,
    /// Bytes of the chunk not yet read.
    left: u64,
}

impl Reader {
    fn byte(&mut self) -> Result<u8, String> {
        if self.left == 0 {
            return Err("it runs past its column chunk".into());
        }
        let mut b = [0u8];
        self.inner
            .read_exact(&mut b)
            .map_err(|e| format!("cannot read: {e}"))?;
        self.left -= 1;
        Ok(b[0])
    }

    fn skip(&mut self, n: u64) -> Result<(), String> {
        if n > self.left {
            return Err("it runs past its column chunk".into());
        }
        let n_i64 = i64::try_from(n).map_err(|_| "too long".to_string())?;
        self.inner
            .seek_relative(n_i64)
            .map_err(|e| format!("cannot read: {e}"))?;
        self.left -= n;
        Ok(())
    }

    fn varint(&mut self) -> Result<u64, String> {
        let mut v = 0u64;
        for shift in (0..70).step_by(7) {
            let b = self.byte()?;
            v |= u64::from(b & 0x7f).checked_shl(shift).unwrap_or(0);
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err("a varint longer than ten bytes".into())
    }

    fn zigzag(&mut self) -> Result<i64, String> {
        let v = self.varint()?;
        Ok((v >> 1) as i64 ^ -((v & 1) as i64))
    }

    /// A `PageHeader` struct: fields 2 and 3 are the uncompressed and compressed sizes; the
    /// data page headers (fields 5 and 8) start with their number of values.
    fn page_header(&mut self) -> Result<Header, String> {
        let mut header = Header::default();
        let mut last = 0i64;
        loop {
            let Some((id, kind)) = self.field(&mut last)? else {
                return Ok(header);
            };
            match (id, kind) {
                (2 | 3, 5) => {
                    let size = self.zigzag()?;
                    if !(0..=MAX_PAGE_BYTES as i64).contains(&size) {
                        return Err(format!(
                            "a page size of {size} bytes (the limit is {} MiB)",
                            MAX_PAGE_BYTES >> 20
                        ));
                    }
                    if id == 3 {
                        header.compressed = size as u64;
                    }
                }
                (5 | 8, 12) => header.values = self.data_page_header()?,
                _ => self.skip_value(kind, 1)?,
            }
        }
    }

    /// A data page header (v1 or v2): its first field is the number of values.
    fn data_page_header(&mut self) -> Result<i64, String> {
        let mut values = 0;
        let mut last = 0i64;
        while let Some((id, kind)) = self.field(&mut last)? {
            if (id, kind) == (1, 5) {
                values = self.zigzag()?;
            } else {
                self.skip_value(kind, 2)?;
            }
        }
        Ok(values)
    }

    /// The next field's id and type, or `None` at the struct's end.
    fn field(&mut self, last: &mut i64) -> Result<Option<(i64, u8)>, String> {
        let b = self.byte()?;
        if b == 0 {
            return Ok(None);
        }
        let delta = i64::from(b >> 4);
        *last = if delta == 0 {
            self.zigzag()?
        } else {
            *last + delta
        };
        Ok(Some((*last, b & 0x0f)))
    }

    /// Skips a value of compact type `kind` without keeping it.
    fn skip_value(&mut self, kind: u8, depth: u32) -> Result<(), String> {
        if depth > MAX_DEPTH {
            return Err("nested too deep".into());
        }
        match kind {
            1 | 2 => Ok(()),
            3 => self.skip(1),
            4..=6 => self.varint().map(|_| ()),
            7 => self.skip(8),
            8 => {
                let n = self.varint()?;
                self.skip(n)
            }
            9 | 10 => {
                let b = self.byte()?;
                let n = match b >> 4 {
                    15 => self.varint()?,
                    n => u64::from(n),
                };
                self.skip_items(n, &[b & 0x0f], depth)
            }
            11 => {
                let n = self.varint()?;
                if n == 0 {
                    return Ok(());
                }
                let b = self.byte()?;
                self.skip_items(n, &[b >> 4, b & 0x0f], depth)
            }
            12 => {
                let mut last = 0i64;
                while let Some((_, kind)) = self.field(&mut last)? {
                    self.skip_value(kind, depth + 1)?;
                }
                Ok(())
            }
            other => Err(format!("an unknown Thrift type {other}")),
        }
    }

    /// Skips `n` items of a list, set or map, each of the given types (in a list, a boolean
    /// takes a byte).
    fn skip_items(&mut self, n: u64, kinds: &[u8], depth: u32) -> Result<(), String> {
        // Every item takes a byte at least: a count past the chunk's end is corrupt.
        if n > self.left {
            return Err("a list longer than its column chunk".into());
        }
        for _ in 0..n {
            for &kind in kinds {
                match kind {
                    1 | 2 => self.skip(1)?,
                    kind => self.skip_value(kind, depth + 1)?,
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(bytes: &[u8]) -> Result<Header, String> {
        let mut file = tempfile::tempfile().unwrap();
        std::io::Write::write_all(&mut file, bytes).unwrap();
        file.seek(SeekFrom::Start(0)).unwrap();
        let mut reader = Reader {
            inner: BufReader::new(file),
            left: bytes.len() as u64,
        };
        reader.page_header()
    }

    /// Compact-protocol page headers: type 0, sizes, then a data page header of 7 values with
    /// a statistics struct holding a binary, which is skipped.
    #[test]
    fn sizes_are_read_and_checked_without_allocating() {
        let ok = [
            0x15, 0x00, 0x15, 0x28, 0x15, 0x14, 0x2c, 0x15, 0x0e, 0x5c, 0x18, 0x03, b'a', b'b',
            b'c', 0x00, 0x00, 0x00,
        ];
        let h = header(&ok).unwrap();
        assert_eq!((h.compressed, h.values), (10, 7));
        // 2^30 bytes uncompressed: over the limit.
        let huge = [
            0x15, 0x00, 0x15, 0x80, 0x80, 0x80, 0x80, 0x08, 0x15, 0x14, 0x00,
        ];
        assert!(header(&huge).unwrap_err().contains("page size"));
        // A binary said to be 2^40 bytes long, in a header of a few: refused, not reserved.
        let long = [0x15, 0x00, 0x18, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20, 0x00];
        assert!(header(&long).unwrap_err().contains("past its column chunk"));
        // Cut short, and nested past any real header.
        assert!(header(&ok[..5]).is_err());
        let deep: Vec<u8> = std::iter::repeat_n(0x1c, 40).collect();
        assert!(header(&deep).unwrap_err().contains("nested"));
    }
}

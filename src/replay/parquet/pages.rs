//! Page headers checked before the `parquet` crate reads a column chunk: it reserves a page's
//! declared sizes (and a binary's declared length in a header) as it reads them, so a hostile
//! header could make it allocate gigabytes from a few bytes. Each header is walked here with a
//! small Thrift compact-protocol reader that skips what it does not need without allocating,
//! and every size is checked against [`MAX_PAGE_BYTES`] and the chunk's bounds.
//!
//! Two of the crate's decoders inflate a page to its end, whatever size the page declares:
//! gzip, and LZ4's frame format (which it falls back to for the old LZ4 codec). A page of a few
//! megabytes could inflate to gigabytes there, so in chunks of those codecs every page is
//! inflated here first into nothing, at most a byte past its declared size, and refused if it
//! goes past. (Snappy, LZ4 raw and Hadoop, and zstd pages are decoded into a buffer of the
//! declared size, which the crate does not grow.)

use super::MAX_PAGE_BYTES;
use parquet::basic::Compression;
use parquet::file::metadata::ColumnChunkMetaData;
use std::fs::File;
use std::io::{self, BufReader, Read, Seek, SeekFrom};
use std::path::Path;

/// Whether `data` starts as the LZ4 frame decoder reads it: a frame, a legacy frame, or a
/// skippable frame (which it passes over to the next).
fn lz4_frame(data: &[u8]) -> bool {
    let magic = data
        .get(..4)
        .map_or(0, |m| u32::from_le_bytes(m.try_into().unwrap_or_default()));
    matches!(magic, 0x184D_2204 | 0x184C_2102 | 0x184D_2A50..=0x184D_2A5F)
}

/// The bytes `data` inflates to under `codec`, counted up to `limit + 1` and never kept, and
/// whether the stream broke off (the count is of what came before); `None` when the crate's
/// decoder for it is bounded by the declared size anyway.
fn inflated_len(codec: Compression, data: &[u8], limit: u64) -> Option<(u64, bool)> {
    let count = |mut inflate: Box<dyn Read + '_>| {
        let (mut n, mut buf) = (0u64, vec![0u8; 1 << 16]);
        loop {
            match inflate.read(&mut buf) {
                Ok(0) => return (n, false),
                Ok(k) => n += k as u64,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => return (n, true),
            }
            if n > limit {
                return (n, false);
            }
        }
    };
    match codec {
        Compression::GZIP(_) => Some(count(Box::new(flate2::read::MultiGzDecoder::new(data)))),
        // The crate reads the Hadoop framing first, bounded; it falls back to the frame
        // decoder, which is not.
        Compression::LZ4 if lz4_frame(data) => {
            Some(count(Box::new(lz4_flex::frame::FrameDecoder::new(data))))
        }
        _ => None,
    }
}

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
    let codec = chunk.compression();
    let inflates = matches!(codec, Compression::GZIP(_) | Compression::LZ4);
    let mut page = Vec::new();
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
        if inflates {
            reader
                .read_page(header.compressed, &mut page)
                .map_err(|e| format!("cannot read: {e}"))?;
            check_inflation(codec, &header, &page)
                .map_err(|e| format!("column `{column}`: {e}"))?;
        } else {
            reader
                .skip(header.compressed)
                .map_err(|e| format!("cannot read: {e}"))?;
        }
        values = values.saturating_add(header.values.max(0));
    }
    Ok(())
}

/// Checks that a page of a gzip or LZ4 chunk inflates to no more than it declares.
fn check_inflation(codec: Compression, header: &Header, page: &[u8]) -> Result<(), String> {
    // A version 2 data page keeps its levels uncompressed before the values, and may say
    // that its values are not compressed either; the page's type decides, as for the crate.
    let v2 = header.page_type == DATA_PAGE_V2;
    if v2 && !header.compressed_values {
        return Ok(());
    }
    let levels = if v2 { header.levels } else { 0 };
    let (Some(values), Some(declared)) = (
        page.get(usize::try_from(levels).unwrap_or(usize::MAX)..),
        header.uncompressed.checked_sub(levels),
    ) else {
        return Err("a page's levels are longer than the page: corrupt".into());
    };
    match inflated_len(codec, values, declared) {
        Some((n, _)) if n > declared => Err(format!(
            "a page declares {declared} bytes but inflates to more: corrupt (or built to \
             exhaust memory)"
        )),
        // A broken gzip stream is refused as the crate would refuse it; a broken LZ4 frame
        // may be the crate's Hadoop framing after all, which it reads first.
        Some((_, true)) if matches!(codec, Compression::GZIP(_)) => {
            Err("a page does not inflate: a broken gzip stream".into())
        }
        _ => Ok(()),
    }
}

/// `PageType::DATA_PAGE_V2`.
const DATA_PAGE_V2: i64 = 3;

/// What a page header says.
#[derive(Debug)]
struct Header {
    /// `type` (0 data page, 2 dictionary page, 3 data page version 2).
    page_type: i64,
    compressed: u64,
    uncompressed: u64,
    values: i64,
    /// Bytes of levels before the values (version 2 data pages; 0 for the others).
    levels: u64,
    /// Whether the values are compressed (only a version 2 data page may say they are not).
    compressed_values: bool,
}

impl Default for Header {
    fn default() -> Self {
        Header {
            page_type: 0,
            compressed: 0,
            uncompressed: 0,
            values: 0,
            levels: 0,
            compressed_values: true,
        }
    }
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

    /// Reads the next `n` bytes (a page's, bounded by the chunk) into `page`.
    fn read_page(&mut self, n: u64, page: &mut Vec<u8>) -> Result<(), String> {
        if n > self.left {
            return Err("it runs past its column chunk".into());
        }
        page.clear();
        let got = (&mut self.inner)
            .take(n)
            .read_to_end(page)
            .map_err(|e| format!("cannot read: {e}"))?;
        if got as u64 != n {
            return Err("the file ends inside a page".into());
        }
        self.left -= n;
        Ok(())
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
        super::varint::read(|| self.byte())?.ok_or_else(|| "a varint longer than ten bytes".into())
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
                (1, 5) => header.page_type = self.zigzag()?,
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
                    } else {
                        header.uncompressed = size as u64;
                    }
                }
                (5, 12) => header.values = self.data_page_header(None)?,
                (8, 12) => {
                    // A second version 2 header replaces the first, as for a Thrift reader.
                    header.compressed_values = true;
                    header.values = self.data_page_header(Some(&mut header))?;
                }
                _ => self.skip_value(kind, 1)?,
            }
        }
    }

    /// A data page header (v1, or v2 with `v2` to note its levels' length and whether its
    /// values are compressed): its first field is the number of values.
    fn data_page_header(&mut self, mut v2: Option<&mut Header>) -> Result<i64, String> {
        let mut values = 0;
        let mut last = 0i64;
        // A field read twice keeps its last value, as a Thrift reader keeps it.
        let mut level_lengths = [0u64; 2];
        while let Some((id, kind)) = self.field(&mut last)? {
            match (id, kind, v2.as_deref_mut()) {
                (1, 5, _) => values = self.zigzag()?,
                // The definition and the repetition levels' byte lengths.
                (5 | 6, 5, Some(_)) => {
                    let n = self.zigzag()?;
                    let n = u64::try_from(n).map_err(|_| format!("a level length of {n}"))?;
                    level_lengths[usize::from(id == 6)] = n;
                }
                // `is_compressed`: a compact boolean is its own type (1 true, 2 false).
                (7, 1 | 2, Some(h)) => h.compressed_values = kind == 1,
                _ => self.skip_value(kind, 2)?,
            }
        }
        if let Some(h) = v2 {
            h.levels = level_lengths[0].saturating_add(level_lengths[1]);
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

    /// A gzip or LZ4-frame page that inflates past its declared size is refused after reading
    /// at most a byte past it; one of its declared size passes; other codecs are left to the
    /// crate, which decodes them into a buffer of the declared size.
    #[test]
    fn gzip_and_lz4_frame_pages_inflate_at_most_to_their_declared_size() {
        use std::io::Write;
        let data = vec![b'a'; 100_000];
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&data).unwrap();
        let gz = gz.finish().unwrap();
        let mut lz = lz4_flex::frame::FrameEncoder::new(Vec::new());
        lz.write_all(&data).unwrap();
        let lz = lz.finish().unwrap();
        let page = |uncompressed, levels: u64, compressed_values: bool| Header {
            page_type: if levels > 0 || !compressed_values {
                DATA_PAGE_V2
            } else {
                0
            },
            compressed: 0,
            uncompressed,
            values: 1,
            levels,
            compressed_values,
        };
        let gzip = Compression::GZIP(Default::default());
        for (codec, bytes) in [(gzip, &gz), (Compression::LZ4, &lz)] {
            assert_eq!(
                check_inflation(codec, &page(100_000, 0, true), bytes),
                Ok(())
            );
            let bomb = check_inflation(codec, &page(99_999, 0, true), bytes).unwrap_err();
            assert!(
                bomb.contains("declares 99999 bytes but inflates to more"),
                "{bomb}"
            );
            // Version 2: levels first, uncompressed, counted in the declared size.
            let mut v2 = vec![7u8; 5];
            v2.extend_from_slice(bytes);
            assert_eq!(check_inflation(codec, &page(100_005, 5, true), &v2), Ok(()));
            assert!(check_inflation(codec, &page(100_004, 5, true), &v2).is_err());
            assert_eq!(check_inflation(codec, &page(5, 5, false), &v2), Ok(()));
            let short = check_inflation(codec, &page(4, 5, true), &v2).unwrap_err();
            assert!(short.contains("levels are longer"), "{short}");
        }
        let broken = check_inflation(gzip, &page(9, 0, true), b"not gzip").unwrap_err();
        assert!(broken.contains("does not inflate"), "{broken}");
        // What a version 2 header says of levels and compression counts on version 2 pages
        // only: on another page the whole page is inflated, as the crate inflates it.
        let mut v1 = page(100, 5, false);
        v1.page_type = 0;
        assert!(check_inflation(gzip, &v1, &gz).is_err());
        // The legacy LZ4 frame, and a frame after a skippable one, are read by the same
        // unbounded decoder.
        let mut legacy = 0x184C_2102u32.to_le_bytes().to_vec();
        for _ in 0..4 {
            let block = lz4_flex::block::compress(&data[..8 << 10]);
            legacy.extend_from_slice(&(block.len() as u32).to_le_bytes());
            legacy.extend_from_slice(&block);
        }
        let legacy_bomb = check_inflation(Compression::LZ4, &page(1000, 0, true), &legacy);
        assert!(legacy_bomb.unwrap_err().contains("inflates to more"));
        let mut skipping = 0x184D_2A50u32.to_le_bytes().to_vec();
        skipping.extend_from_slice(&4u32.to_le_bytes());
        skipping.extend_from_slice(&[0; 4]);
        skipping.extend_from_slice(&lz);
        // Whatever the decoder makes of a skippable frame, a page that passes the check
        // inflates no further than it declares.
        let skipped = check_inflation(Compression::LZ4, &page(1000, 0, true), &skipping);
        let mut all = Vec::new();
        let read = lz4_flex::frame::FrameDecoder::new(&skipping[..]).read_to_end(&mut all);
        assert!(skipped.is_err() || read.is_err() || all.len() <= 1000);
        // LZ4 pages that are no frame are the crate's bounded Hadoop or raw formats.
        assert_eq!(
            check_inflation(Compression::LZ4, &page(1, 0, true), &[1; 64]),
            Ok(())
        );
        assert_eq!(
            check_inflation(Compression::SNAPPY, &page(1, 0, true), &gz),
            Ok(())
        );
    }

    /// A version 2 header given twice counts as its last, as a Thrift reader takes it: the
    /// first one's "not compressed" and level lengths do not carry over.
    #[test]
    fn a_repeated_version_2_header_counts_as_its_last() {
        let twice = [
            0x15, 0x06, 0x15, 0x28, 0x15, 0x14, // type 3 (v2), sizes 20 and 10
            0x5c, 0x15, 0x02, 0x45, 0x08, 0x15, 0x06, 0x12,
            0x00, // v2: 1 value, levels 4 + 3, not compressed
            0x0c, 0x10, 0x15, 0x02, 0x00, // again (field 8, long form): 1 value
            0x00,
        ];
        let h = header(&twice).unwrap();
        assert_eq!((h.page_type, h.compressed_values, h.levels), (3, true, 0));
        let once = header(&[twice[..15].to_vec(), vec![0x00]].concat()).unwrap();
        assert_eq!((once.compressed_values, once.levels), (false, 7));
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

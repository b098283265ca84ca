//! String columns read from the crate's decompressed pages: a flat BYTE_ARRAY column chunk
//! in the plain and dictionary encodings is decoded here, each value kept as a place in its
//! page (the dictionary page, or a PLAIN data page), so a value costs no allocation and no
//! reference count. The crate's own reader hands each value as a `ByteArray` cloned out of
//! the dictionary, which took a third of the time of a replay.
//!
//! A dictionary page holds PLAIN byte arrays (a 4-byte little-endian length, then the bytes).
//! A data page holds, for an optional column, definition levels (version 1: with a 4-byte
//! length before them; version 2: `def_levels_byte_len` bytes, after the repetition levels),
//! then its values: PLAIN byte arrays, or a byte of bit width and dictionary indices in the
//! RLE / bit-packing hybrid ([`Hybrid`]). Pages are read as rows are asked for, and a page's
//! place is kept between slices of rows.

use super::hybrid::Hybrid;
use bytes::Bytes;
use parquet::basic::Encoding;
use parquet::column::page::{Page, PageReader};
use parquet::file::metadata::ColumnChunkMetaData;

/// Whether a column chunk can be read here: strings of a flat column, in the encodings
/// read here (any other goes to the crate's reader).
pub fn fits(chunk: &ColumnChunkMetaData) -> bool {
    let descr = chunk.column_descr();
    descr.physical_type() == parquet::basic::Type::BYTE_ARRAY
        && descr.max_rep_level() == 0
        && (0..=1).contains(&descr.max_def_level())
        && chunk.encodings().all(|e| {
            matches!(
                e,
                Encoding::PLAIN
                    | Encoding::PLAIN_DICTIONARY
                    | Encoding::RLE_DICTIONARY
                    | Encoding::RLE
            )
        })
}

/// A value: `bufs[buf][start..end]` of the slice's [`Texts`].
#[derive(Debug, Clone, Copy)]
pub struct Span {
    buf: u32,
    start: u32,
    end: u32,
}

/// One column's strings for a slice of rows, and the page buffers they lie in.
#[derive(Default)]
pub struct Texts {
    bufs: Vec<Bytes>,
    spans: Vec<Span>,
}

impl Texts {
    /// Value `k` of the slice.
    #[inline]
    pub fn get(&self, k: usize) -> Option<&[u8]> {
        let s = self.spans.get(k)?;
        let buf = self.bufs.get(s.buf as usize)?;
        buf.get(s.start as usize..s.end as usize)
    }

    /// Values in the slice.
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    pub fn clear(&mut self) {
        self.bufs.clear();
        self.spans.clear();
    }
}

/// How a data page's values are stored.
enum Stored {
    /// PLAIN byte arrays from this byte on.
    Plain { pos: usize },
    /// Dictionary indices.
    Indices(Hybrid),
}

/// The data page being read.
struct DataPage {
    buf: Bytes,
    /// Rows (levels) not yet read.
    left: usize,
    /// Definition levels, for an optional column.
    defs: Option<Hybrid>,
    values: Stored,
    /// Values the page declares and not yet read (version 2 pages, which count their nulls).
    declared: Option<usize>,
}

/// A string column chunk being read.
pub struct Strings {
    pages: Box<dyn PageReader>,
    max_def: i16,
    /// The dictionary page and each value's place in it.
    dict: Bytes,
    entries: Vec<(u32, u32)>,
    has_dict: bool,
    seen_data: bool,
    page: Option<DataPage>,
    /// Levels and dictionary indices of a read.
    scratch: Vec<u32>,
}

impl Strings {
    pub fn new(pages: Box<dyn PageReader>, max_def: i16) -> Strings {
        Strings {
            pages,
            max_def,
            dict: Bytes::new(),
            entries: Vec::new(),
            has_dict: false,
            seen_data: false,
            page: None,
            scratch: Vec::new(),
        }
    }

    /// Reads the next `n` rows: their definition levels into `defs` (optional columns) and
    /// their values into `texts`. A failure comes with the row of the slice it is at: the
    /// row of the value that is wrong, or the first row of the page's part that could not be
    /// read.
    pub fn read(
        &mut self,
        n: usize,
        defs: &mut Vec<i16>,
        texts: &mut Texts,
    ) -> Result<(), (usize, String)> {
        let mut got = 0;
        self.read_rows(n, defs, texts, &mut got)
            .map_err(|(value, e)| (value.map_or(got, |j| row_of(defs, got, j)), e))
    }

    /// [`Strings::read`], counting in `got` the rows read before the part being read; a
    /// failure names the part's value that is wrong, when one is.
    fn read_rows(
        &mut self,
        n: usize,
        defs: &mut Vec<i16>,
        texts: &mut Texts,
        got: &mut usize,
    ) -> Result<(), (Option<usize>, String)> {
        texts.clear();
        defs.clear();
        texts.bufs.push(self.dict.clone());
        // The slice's copy of the current page's buffer, once it holds PLAIN values.
        let mut plain_buf: Option<u32> = None;
        let whole = |e: String| (None, e);
        while *got < n {
            let Some(page) = self.page.as_mut().filter(|p| p.left > 0) else {
                self.end_page().map_err(whole)?;
                if !self.next_page().map_err(whole)? {
                    return Err(whole(format!(
                        "the column ends after {got} of the slice's {n} rows: truncated or corrupt"
                    )));
                }
                // A dictionary page read just now.
                texts.bufs[0] = self.dict.clone();
                plain_buf = None;
                continue;
            };
            let k = page.left.min(n - *got);
            let values = match &mut page.defs {
                Some(levels) => {
                    self.scratch.clear();
                    levels
                        .read(&page.buf, k, &mut self.scratch)
                        .map_err(|e| whole(format!("definition levels: {e}")))?;
                    if let Some(d) = self.scratch.iter().find(|d| **d > 1) {
                        let e = format!("a definition level of {d} (at most 1): corrupt");
                        return Err(whole(e));
                    }
                    defs.extend(self.scratch.iter().map(|&d| d as i16));
                    self.scratch.iter().map(|&d| d as usize).sum::<usize>()
                }
                None => k,
            };
            if let Some(declared) = &mut page.declared {
                *declared = declared
                    .checked_sub(values)
                    .ok_or_else(|| whole("more values than the page declares: corrupt".into()))?;
            }
            match &mut page.values {
                Stored::Indices(indices) => {
                    self.scratch.clear();
                    indices
                        .read(&page.buf, values, &mut self.scratch)
                        .map_err(|e| whole(format!("dictionary indices: {e}")))?;
                    lookup(&self.scratch, &self.entries, &mut texts.spans)
                        .map_err(|(j, e)| (Some(j), e))?;
                }
                Stored::Plain { pos } => {
                    let buf = *plain_buf.get_or_insert_with(|| {
                        texts.bufs.push(page.buf.clone());
                        texts.bufs.len() as u32 - 1
                    });
                    *pos = plain(&page.buf, *pos, values, buf, &mut texts.spans)
                        .map_err(|(j, e)| (Some(j), e))?;
                }
            }
            page.left -= k;
            *got += k;
        }
        Ok(())
    }

    /// Checks that the page read to its end holds no more values than it gave. (Bytes after
    /// a page's last value are left unread, as the crate's reader leaves them.)
    fn end_page(&mut self) -> Result<(), String> {
        let Some(page) = self.page.take() else {
            return Ok(());
        };
        if page.declared.is_some_and(|d| d > 0) {
            return Err("fewer values than the page declares: corrupt".into());
        }
        Ok(())
    }

    /// Moves to the next data page (reading a dictionary page before it); `false` at the end
    /// of the column chunk.
    fn next_page(&mut self) -> Result<bool, String> {
        loop {
            let page = self.pages.get_next_page().map_err(|e| e.to_string())?;
            let Some(page) = page else {
                return Ok(false);
            };
            match page {
                Page::DictionaryPage {
                    buf,
                    num_values,
                    encoding,
                    ..
                } => self.dictionary(buf, num_values as usize, encoding)?,
                Page::DataPage {
                    buf,
                    num_values,
                    encoding,
                    def_level_encoding,
                    ..
                } => {
                    let n = num_values as usize;
                    let (defs, start) = self.levels_v1(&buf, n, def_level_encoding)?;
                    self.data(buf, n, start, defs, encoding, None)?;
                    return Ok(true);
                }
                Page::DataPageV2 {
                    buf,
                    num_values,
                    encoding,
                    num_nulls,
                    def_levels_byte_len,
                    rep_levels_byte_len,
                    ..
                } => {
                    let n = num_values as usize;
                    let start = rep_levels_byte_len as usize;
                    let end = start.saturating_add(def_levels_byte_len as usize);
                    if end > buf.len() {
                        return Err("the page's levels are longer than the page: corrupt".into());
                    }
                    let defs = (self.max_def > 0)
                        .then(|| Hybrid::new(start, end, 1, n))
                        .transpose()?;
                    let declared = n
                        .checked_sub(num_nulls as usize)
                        .ok_or("more nulls than values in a page: corrupt")?;
                    self.data(buf, n, end, defs, encoding, Some(declared))?;
                    return Ok(true);
                }
            }
        }
    }

    /// Reads a dictionary page: the place of each of its values.
    fn dictionary(&mut self, buf: Bytes, n: usize, encoding: Encoding) -> Result<(), String> {
        if self.has_dict || self.seen_data {
            return Err(if self.has_dict {
                "a second dictionary page: corrupt".into()
            } else {
                "a dictionary page after data pages: corrupt".into()
            });
        }
        if !matches!(encoding, Encoding::PLAIN | Encoding::PLAIN_DICTIONARY) {
            return Err(format!(
                "a dictionary page in encoding {encoding}, not read"
            ));
        }
        let mut spans = Vec::with_capacity(n.min(buf.len() / 4));
        plain(&buf, 0, n, 0, &mut spans).map_err(|(_, e)| format!("the dictionary page: {e}"))?;
        self.entries = spans.iter().map(|s| (s.start, s.end)).collect();
        self.dict = buf;
        self.has_dict = true;
        Ok(())
    }

    /// A version 1 page's definition levels (RLE, after their 4-byte length) and where its
    /// values start.
    fn levels_v1(
        &self,
        buf: &[u8],
        n: usize,
        encoding: Encoding,
    ) -> Result<(Option<Hybrid>, usize), String> {
        if self.max_def == 0 {
            return Ok((None, 0));
        }
        if encoding != Encoding::RLE {
            return Err(format!(
                "definition levels in encoding {encoding}, not read"
            ));
        }
        let len = length_at(buf, 0).ok_or("a page too short for its definition levels: corrupt")?;
        let end = len
            .checked_add(4)
            .filter(|e| *e <= buf.len())
            .ok_or("the page's levels are longer than the page: corrupt")?;
        Ok((Some(Hybrid::new(4, end, 1, n)?), end))
    }

    /// Starts reading a data page whose values start at byte `start`.
    fn data(
        &mut self,
        buf: Bytes,
        n: usize,
        start: usize,
        defs: Option<Hybrid>,
        encoding: Encoding,
        declared: Option<usize>,
    ) -> Result<(), String> {
        self.seen_data = true;
        let values = match encoding {
            Encoding::PLAIN => Stored::Plain { pos: start },
            Encoding::PLAIN_DICTIONARY | Encoding::RLE_DICTIONARY => {
                if !self.has_dict {
                    return Err(
                        "a dictionary-encoded page before any dictionary page: corrupt".into(),
                    );
                }
                // A page of nulls only may have no values at all.
                let width = buf.get(start).copied().unwrap_or(0);
                Stored::Indices(Hybrid::new(start + 1, buf.len(), u32::from(width), n)?)
            }
            _ => return Err(format!("values in encoding {encoding}, not read")),
        };
        self.page = Some(DataPage {
            buf,
            left: n,
            defs,
            values,
            declared,
        });
        Ok(())
    }
}

/// The 4-byte little-endian length at byte `at` of `buf` (before a PLAIN value or a page's
/// levels), if `buf` holds one there.
fn length_at(buf: &[u8], at: usize) -> Option<usize> {
    let b = buf.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
}

/// The row, from the slice's first, of value `j` of the part of a page read from row `got`:
/// the part's `j`-th row that is not null (every row, for a column without levels).
fn row_of(defs: &[i16], got: usize, j: usize) -> usize {
    match defs.get(got..) {
        Some(levels) if !levels.is_empty() => levels
            .iter()
            .enumerate()
            .filter(|(_, d)| **d > 0)
            .nth(j)
            .map_or(got, |(r, _)| got + r),
        _ => got + j,
    }
}

/// The places of the dictionary values `indices` name, appended to `spans`; a failure
/// names the index's place in `indices`.
fn lookup(
    indices: &[u32],
    entries: &[(u32, u32)],
    spans: &mut Vec<Span>,
) -> Result<(), (usize, String)> {
    spans.reserve(indices.len());
    for (j, &i) in indices.iter().enumerate() {
        let Some(&(start, end)) = entries.get(i as usize) else {
            let e = format!(
                "dictionary index {i}, past the dictionary's {} values: corrupt",
                entries.len()
            );
            return Err((j, e));
        };
        spans.push(Span { buf: 0, start, end });
    }
    Ok(())
}

/// The places of `n` PLAIN byte arrays of `page` from byte `pos`, appended to `spans` (as
/// values of the slice's buffer `buf`); returns where they end. A failure names the value
/// (of the `n`) that is wrong.
fn plain(
    page: &[u8],
    mut pos: usize,
    n: usize,
    buf: u32,
    spans: &mut Vec<Span>,
) -> Result<usize, (usize, String)> {
    for j in 0..n {
        let fail = |e: &str| (j, e.to_string());
        let len = length_at(page, pos).ok_or_else(|| {
            fail("its values end before the page's values do: truncated or corrupt")
        })?;
        let start = pos + 4;
        let end = start
            .checked_add(len)
            .filter(|e| *e <= page.len())
            .ok_or_else(|| fail("a value runs past the end of its page: corrupt"))?;
        let (Ok(s), Ok(e)) = (u32::try_from(start), u32::try_from(end)) else {
            return Err(fail("a page over 4 GiB"));
        };
        spans.push(Span {
            buf,
            start: s,
            end: e,
        });
        pos = end;
    }
    Ok(pos)
}

#[cfg(test)]
mod tests {
    use super::*;
    use parquet::column::page::PageMetadata;
    use parquet::errors::Result as PqResult;

    /// Pages handed out in order.
    struct Pages(std::vec::IntoIter<Page>);

    impl Iterator for Pages {
        type Item = PqResult<Page>;
        fn next(&mut self) -> Option<Self::Item> {
            self.0.next().map(Ok)
        }
    }

    impl PageReader for Pages {
        fn get_next_page(&mut self) -> PqResult<Option<Page>> {
            Ok(self.0.next())
        }
        fn peek_next_page(&mut self) -> PqResult<Option<PageMetadata>> {
            Ok(None)
        }
        fn skip_next_page(&mut self) -> PqResult<()> {
            Ok(())
        }
    }

    fn plain_values(values: &[&str]) -> Vec<u8> {
        let mut out = Vec::new();
        for v in values {
            out.extend_from_slice(&(v.len() as u32).to_le_bytes());
            out.extend_from_slice(v.as_bytes());
        }
        out
    }

    fn dict(values: &[&str]) -> Page {
        Page::DictionaryPage {
            buf: Bytes::from(plain_values(values)),
            num_values: values.len() as u32,
            encoding: Encoding::PLAIN,
            is_sorted: false,
        }
    }

    /// A version 1 data page of a required column.
    fn data(buf: Vec<u8>, num_values: u32, encoding: Encoding) -> Page {
        Page::DataPage {
            buf: Bytes::from(buf),
            num_values,
            encoding,
            def_level_encoding: Encoding::RLE,
            rep_level_encoding: Encoding::RLE,
            statistics: None,
        }
    }

    /// Dictionary indices of width 8 as one RLE run of `index`, `count` times.
    fn indices(index: u8, count: u8) -> Vec<u8> {
        vec![8, count << 1, index]
    }

    /// Reads `reads` slices of a required column; its values, or the first error.
    fn read(pages: Vec<Page>, reads: &[usize]) -> Result<Vec<String>, String> {
        let mut strings = Strings::new(Box::new(Pages(pages.into_iter())), 0);
        let (mut defs, mut texts, mut out) = (Vec::new(), Texts::default(), Vec::new());
        for &n in reads {
            strings.read(n, &mut defs, &mut texts).map_err(|(_, e)| e)?;
            for k in 0..texts.len() {
                out.push(String::from_utf8_lossy(texts.get(k).unwrap()).into_owned());
            }
        }
        Ok(out)
    }

    /// Bytes after a PLAIN page's declared values are not read, as the crate's reader does
    /// not read them.
    #[test]
    fn bytes_after_a_page_s_values_are_left() {
        let pages = vec![
            data(plain_values(&["a", "b"]), 1, Encoding::PLAIN),
            data(plain_values(&["c"]), 1, Encoding::PLAIN),
        ];
        assert_eq!(read(pages, &[2]).unwrap(), ["a", "c"]);
    }

    #[test]
    fn dictionary_and_plain_pages_read_across_slices() {
        let pages = vec![
            dict(&["a", "bb"]),
            data(indices(1, 3), 3, Encoding::RLE_DICTIONARY),
            data(plain_values(&["x", "", "yz"]), 3, Encoding::PLAIN),
            data(indices(0, 2), 2, Encoding::PLAIN_DICTIONARY),
        ];
        let got = read(pages, &[2, 2, 4]).unwrap();
        assert_eq!(got, ["bb", "bb", "bb", "x", "", "yz", "a", "a"]);
    }

    #[test]
    fn optional_columns_read_their_levels() {
        // Levels 1, 0, 1 as a bit-packed group (0b101), after their 4-byte length.
        let mut v1 = vec![2, 0, 0, 0, 3, 0b101];
        v1.extend(plain_values(&["p", "q"]));
        let mut v2 = vec![3, 0b110];
        v2.extend(indices(0, 2));
        let pages = vec![
            dict(&["d"]),
            data(v1, 3, Encoding::PLAIN),
            Page::DataPageV2 {
                buf: Bytes::from(v2),
                num_values: 3,
                encoding: Encoding::RLE_DICTIONARY,
                num_nulls: 1,
                num_rows: 3,
                def_levels_byte_len: 2,
                rep_levels_byte_len: 0,
                is_compressed: false,
                statistics: None,
            },
        ];
        let mut strings = Strings::new(Box::new(Pages(pages.into_iter())), 1);
        let (mut defs, mut texts) = (Vec::new(), Texts::default());
        strings.read(4, &mut defs, &mut texts).unwrap();
        assert_eq!(defs, [1, 0, 1, 0]);
        assert_eq!(
            (texts.get(0), texts.get(1)),
            (Some(&b"p"[..]), Some(&b"q"[..]))
        );
        strings.read(2, &mut defs, &mut texts).unwrap();
        assert_eq!(defs, [1, 1]);
        assert_eq!(
            (texts.get(0), texts.get(1)),
            (Some(&b"d"[..]), Some(&b"d"[..]))
        );
    }

    /// A failure names the row of the value that is wrong, counted from the slice's first
    /// row, nulls included; a page that cannot be read, the first row it was to give.
    #[test]
    fn failures_name_their_row() {
        let row = |pages: Vec<Page>, max_def: i16, reads: &[usize]| {
            let mut strings = Strings::new(Box::new(Pages(pages.into_iter())), max_def);
            let (mut defs, mut texts) = (Vec::new(), Texts::default());
            let mut last = Ok(());
            for &n in reads {
                last = strings.read(n, &mut defs, &mut texts);
            }
            last.unwrap_err().0
        };
        // A required column: dictionary index 5 in the fourth row (the second page's second
        // value; a width of 8, then two runs of one value each), read as one slice or two.
        let pages = || {
            vec![
                dict(&["a"]),
                data(indices(0, 2), 2, Encoding::RLE_DICTIONARY),
                data(vec![8, 2, 0, 2, 5], 2, Encoding::RLE_DICTIONARY),
            ]
        };
        assert_eq!(row(pages(), 0, &[4]), 3);
        assert_eq!(row(pages(), 0, &[1, 3]), 2);
        // A PLAIN value that runs past its page, in the third row.
        let mut cut = plain_values(&["p", "q"]);
        cut.extend([9, 0, 0, 0, b'r']);
        assert_eq!(row(vec![data(cut, 3, Encoding::PLAIN)], 0, &[3]), 2);
        // An optional column with levels 1, 0, 1: its second value is the third row.
        let mut v1 = vec![2, 0, 0, 0, 3, 0b101];
        v1.extend(plain_values(&["p"]));
        v1.extend([9, 0, 0, 0, b'q']);
        assert_eq!(row(vec![data(v1, 3, Encoding::PLAIN)], 1, &[3]), 2);
        // A page that ends the column early: the first row it did not give.
        assert_eq!(row(pages()[..2].to_vec(), 0, &[3]), 2);
    }

    #[test]
    fn hostile_pages_are_errors() {
        let data_dict = |b: Vec<u8>, n| data(b, n, Encoding::RLE_DICTIONARY);
        let cases: Vec<(Vec<Page>, &str)> = vec![
            (
                vec![dict(&["a"]), data_dict(indices(1, 1), 1)],
                "dictionary index 1",
            ),
            (vec![data_dict(indices(0, 1), 1)], "before any dictionary"),
            (vec![dict(&["a"]), dict(&["a"])], "a second dictionary"),
            (
                vec![data(plain_values(&["a"]), 1, Encoding::PLAIN), dict(&["a"])],
                "after data pages",
            ),
            (
                vec![dict(&["a"]), data_dict(vec![33, 2, 0], 1)],
                "bit width of 33",
            ),
            (
                vec![dict(&["a"]), data_dict(indices(0, 5), 1)],
                "past the 1",
            ),
            (vec![dict(&["a"]), data_dict(indices(0, 1), 2)], "truncated"),
            (vec![dict(&["a"]), data_dict(vec![8, 2], 1)], "truncated"),
            (
                vec![data(plain_values(&["a"]), 2, Encoding::PLAIN)],
                "truncated",
            ),
            (
                vec![data(vec![9, 0, 0, 0, b'a'], 1, Encoding::PLAIN)],
                "past the end",
            ),
            (
                vec![data(plain_values(&["a"]), 1, Encoding::PLAIN)],
                "the column ends",
            ),
            (
                vec![Page::DictionaryPage {
                    buf: Bytes::from(plain_values(&["a"])),
                    num_values: 2,
                    encoding: Encoding::PLAIN,
                    is_sorted: false,
                }],
                "the dictionary page",
            ),
            (
                vec![data(vec![0; 8], 1, Encoding::DELTA_BYTE_ARRAY)],
                "encoding DELTA_BYTE_ARRAY",
            ),
        ];
        for (pages, says) in cases {
            let err = read(pages, &[2]).unwrap_err();
            assert!(err.contains(says), "{says}: {err}");
        }
    }
}

//! Log columns: their names, the aliases accepted for them, and `--map COLUMN=NAME`.

/// A column flowcost reads from a log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    /// When: RFC 3339, or Unix seconds or milliseconds.
    Timestamp,
    /// Who: phone number (E.164, `+` optional) or any id.
    Recipient,
    /// `inbound` (the customer wrote) or `outbound` (the business sent).
    Direction,
    /// Outbound only: `template` or `free_form`.
    Kind,
    /// Templates: `marketing`, `utility` or `authentication`.
    Category,
    /// Inbound, optional: `ad_click` for a click-to-WhatsApp ad or Page button.
    EntryPoint,
    /// Optional: two-letter country; else derived from the phone number.
    Market,
    /// Optional: the flow that sent the message.
    Flow,
}

impl Column {
    /// Every column, in the documented order.
    pub const ALL: [Column; 8] = [
        Column::Timestamp,
        Column::Recipient,
        Column::Direction,
        Column::Kind,
        Column::Category,
        Column::EntryPoint,
        Column::Market,
        Column::Flow,
    ];

    /// The canonical name.
    pub fn name(self) -> &'static str {
        self.aliases()[0]
    }

    /// The canonical name first, then the other header names accepted for it (case-insensitive).
    pub fn aliases(self) -> &'static [&'static str] {
        match self {
            Column::Timestamp => &[
                "timestamp",
                "ts",
                "time",
                "datetime",
                "created_at",
                "sent_at",
            ],
            Column::Recipient => &[
                "recipient",
                "recipient_id",
                "wa_id",
                "phone",
                "phone_number",
                "msisdn",
                "contact",
                "to",
            ],
            Column::Direction => &["direction", "dir"],
            Column::Kind => &["kind", "message_kind", "message_type"],
            Column::Category => &["category", "template_category", "pricing_category"],
            Column::EntryPoint => &["entry_point", "entry", "referral"],
            Column::Market => &["market", "country", "country_code"],
            Column::Flow => &["flow", "flow_name", "journey", "campaign"],
        }
    }

    /// Whether every row needs it.
    pub fn required(self) -> bool {
        matches!(
            self,
            Column::Timestamp | Column::Recipient | Column::Direction
        )
    }

    fn by_name(name: &str) -> Option<Column> {
        Column::ALL.into_iter().find(|c| c.name() == name)
    }
}

/// `--map COLUMN=NAME` pairs: the log's NAME holds flowcost's COLUMN.
#[derive(Debug, Clone, Default)]
pub struct ColumnMap {
    pairs: Vec<(Column, String)>,
}

impl ColumnMap {
    /// Parses `COLUMN=NAME` options.
    pub fn parse(specs: &[String]) -> Result<ColumnMap, String> {
        let mut pairs = Vec::new();
        for spec in specs {
            let (col, name) = spec.split_once('=').ok_or_else(|| {
                format!("--map `{spec}`: write COLUMN=NAME, like --map recipient=customer_phone")
            })?;
            let column = Column::by_name(col.trim()).ok_or_else(|| {
                format!(
                    "--map `{spec}`: `{col}` is not a column; columns: {}",
                    Column::ALL.map(Column::name).join(", ")
                )
            })?;
            pairs.push((column, name.trim().to_ascii_lowercase()));
        }
        Ok(ColumnMap { pairs })
    }

    /// Which column a header name stands for: `--map` first, then the aliases.
    pub fn resolve(&self, header: &str) -> Option<Column> {
        let h = header
            .trim()
            .trim_start_matches('\u{feff}')
            .to_ascii_lowercase();
        if let Some((c, _)) = self.pairs.iter().find(|(_, n)| *n == h) {
            return Some(*c);
        }
        if self.pairs.iter().any(|(_, n)| *n == h) {
            return None;
        }
        let mapped_away = |c: Column| self.pairs.iter().any(|(m, _)| *m == c);
        Column::ALL
            .into_iter()
            .find(|c| !mapped_away(*c) && c.aliases().contains(&h.as_str()))
    }
}

/// Where each column sits in a CSV header.
#[derive(Debug, Clone, Copy)]
pub struct Layout {
    /// Field index of each column, by `Column as usize`.
    pub index: [Option<usize>; 8],
    /// Fields in the header.
    pub width: usize,
    /// (field index, column) of the columns present, by field index.
    order: [(usize, usize); 8],
    /// How many of `order` are present.
    present: usize,
    /// The column of each of the first [`MAX_SHORT_FIELDS`] fields, or 8 (`Column::ALL`'s
    /// length) for a field flowcost does not read.
    column_of: [u8; MAX_SHORT_FIELDS],
}

impl Layout {
    /// Reads a header row; fails when a required column is missing.
    pub fn from_header(fields: &[&str], map: &ColumnMap) -> Result<Layout, String> {
        let mut index = [None; 8];
        for (i, f) in fields.iter().enumerate() {
            if let Some(c) = map.resolve(f) {
                if index[c as usize].is_none() {
                    index[c as usize] = Some(i);
                }
            }
        }
        let missing: Vec<&str> = Column::ALL
            .into_iter()
            .filter(|c| c.required() && index[*c as usize].is_none())
            .map(Column::name)
            .collect();
        if !missing.is_empty() {
            return Err(format!(
                "the header has no {} column (found: {}); name it so, use an alias (see \
                 `flowcost replay --help`), or --map {}=YOUR_NAME",
                missing.join(", "),
                fields.join(", "),
                missing[0]
            ));
        }
        let mut order = [(usize::MAX, 0); 8];
        let mut present = 0;
        for (c, i) in index.iter().enumerate() {
            if let Some(i) = *i {
                order[present] = (i, c);
                present += 1;
            }
        }
        order[..present].sort_unstable();
        let mut column_of = [8; MAX_SHORT_FIELDS];
        for &(i, c) in &order[..present] {
            if let Some(slot) = column_of.get_mut(i) {
                *slot = c as u8;
            }
        }
        Ok(Layout {
            index,
            width: fields.len(),
            order,
            present,
            column_of,
        })
    }

    /// Splits an unquoted CSV line: returns the number of fields, and when it is the header's,
    /// each column's field is `line[starts[c]..ends[c]]` (by `Column as usize`; a column the
    /// header lacks is left as it was; with another count, the fields are not to be read). (Offsets rather than slices: the caller reads
    /// them right away, and plain words forward from store to load where fat pointers stall.)
    pub fn split(&self, line: &[u8], starts: &mut [usize; 8], ends: &mut [usize; 8]) -> usize {
        self.split_in(line, (0, line.len()), starts, ends)
    }

    /// [`Layout::split`] of the line `text[from..to]` (offsets from `from`). Bytes of `text`
    /// past the line are read, never used: whole words are cheaper than a line's last bytes
    /// one by one.
    pub fn split_in(
        &self,
        text: &[u8],
        span: (usize, usize),
        starts: &mut [usize; 8],
        ends: &mut [usize; 8],
    ) -> usize {
        self.split_with(text, span, || window_masks(text, span), starts, ends)
    }

    /// Whether [`Layout::split_masked`] reads the comma masks: not when the header has more
    /// fields than the short way takes (every line is then split word by word).
    pub fn reads_masks(&self) -> bool {
        self.width <= MAX_SHORT_FIELDS
    }

    /// [`Layout::split_in`] with the text's commas already found: bit `i % 64` of
    /// `commas[i / 64]` is set when byte `i` of `text` is a comma ([`comma_masks`]). Each
    /// byte is looked at once for the whole text, instead of once for every line whose
    /// 128-byte window holds it.
    pub fn split_masked(
        &self,
        (text, commas): (&[u8], &[u64]),
        span: (usize, usize),
        starts: &mut [usize; 8],
        ends: &mut [usize; 8],
    ) -> usize {
        let masks = || {
            let bits_at = |at: usize| {
                let (w, shift) = (at / 64, at % 64);
                let low = commas.get(w).map_or(0, |m| m >> shift);
                let high = match (shift, commas.get(w + 1)) {
                    (0, _) | (_, None) => 0,
                    (_, Some(m)) => m << (64 - shift),
                };
                low | high
            };
            [bits_at(span.0), bits_at(span.0 + 64)]
        };
        self.split_with(text, span, masks, starts, ends)
    }

    /// Splits `text[from..to]`: a line of at most 128 bytes (and a header of at most
    /// [`MAX_SHORT_FIELDS`] fields) by the comma bits `masks` gives, a longer one word by word.
    fn split_with(
        &self,
        text: &[u8],
        (from, to): (usize, usize),
        masks: impl FnOnce() -> [u64; 2],
        starts: &mut [usize; 8],
        ends: &mut [usize; 8],
    ) -> usize {
        let len = to - from;
        if len > 128 || !self.reads_masks() {
            return self.split_long(&text[from..to], starts, ends);
        }
        self.fields_of(masks(), len, starts, ends)
    }

    /// The fields of a line of `len` bytes (at most 128) whose commas are the bits of `masks`
    /// (bytes 0 to 63 in the first, 64 to 127 in the second; bits past the line are
    /// ignored), as [`Layout::split`] gives them.
    fn fields_of(
        &self,
        mut masks: [u64; 2],
        len: usize,
        starts: &mut [usize; 8],
        ends: &mut [usize; 8],
    ) -> usize {
        if len < 64 {
            masks[0] &= (1 << len) - 1;
            masks[1] = 0;
        } else if len < 128 {
            masks[1] &= (1 << (len - 64)) - 1;
        }
        let fields = (masks[0].count_ones() + masks[1].count_ones()) as usize + 1;
        if fields != self.width {
            return fields;
        }
        // The commas in order: each ends a field and starts the next. The fields flowcost
        // reads are the same on every line of a file, so the branch on them is foreseen.
        let (mut field, mut start) = (0, 0);
        let mut take = |end: usize, field: usize, start: usize| {
            let c = self.column_of.get(field).map_or(8, |&c| usize::from(c));
            if let (Some(s), Some(e)) = (starts.get_mut(c), ends.get_mut(c)) {
                (*s, *e) = (start, end);
            }
        };
        for (half, mut mask) in masks.into_iter().enumerate() {
            while mask != 0 {
                let end = 64 * half + mask.trailing_zeros() as usize;
                mask &= mask - 1;
                take(end, field, start);
                field += 1;
                start = end + 1;
            }
        }
        take(len, field, start);
        fields
    }

    /// [`Layout::split`] of a line of any length.
    fn split_long(&self, line: &[u8], starts: &mut [usize; 8], ends: &mut [usize; 8]) -> usize {
        let order = &self.order[..self.present];
        let mut next = 0;
        let mut want = order.first().map_or(usize::MAX, |o| o.0);
        let (mut n, mut start) = (0, 0);
        // Eight bytes at a time: a bit per comma, no branch per byte.
        let mut base = 0;
        while base < line.len() {
            let end = (base + 8).min(line.len());
            let word = match line.get(base..base + 8) {
                Some(w) => u64::from_le_bytes(w.try_into().unwrap_or_default()),
                None => line[base..end]
                    .iter()
                    .rev()
                    .fold(0, |w, &b| (w << 8) | u64::from(b)),
            };
            let mut commas = comma_bits(word);
            while commas != 0 {
                let i = base + (commas.trailing_zeros() / 8) as usize;
                commas &= commas - 1;
                if n == want {
                    let c = order[next].1;
                    starts[c] = start;
                    ends[c] = i;
                    next += 1;
                    want = order.get(next).map_or(usize::MAX, |o| o.0);
                }
                n += 1;
                start = i + 1;
            }
            base = end;
        }
        if n == want {
            let c = order[next].1;
            starts[c] = start;
            ends[c] = line.len();
        }
        n + 1
    }

    /// The field index of a column.
    pub fn get(&self, c: Column) -> Option<usize> {
        self.index[c as usize]
    }
}

/// The commas of the line `text[from..to]` (at most 128 bytes) as two masks, bytes 0 to 63 and
/// 64 to 127, found eight bytes at a time and kept in registers; bits past the line may be set.
fn window_masks(text: &[u8], (from, to): (usize, usize)) -> [u64; 2] {
    let len = to - from;
    let word = |base: usize| {
        let at = from + base;
        match text.get(at..at + 8) {
            Some(w) => u64::from_le_bytes(w.try_into().unwrap_or_default()),
            None => text[at..to.max(at)]
                .iter()
                .rev()
                .fold(0, |w, &b| (w << 8) | u64::from(b)),
        }
    };
    let mut masks = [0u64; 2];
    if let Some(block) = text.get(from..from + 128) {
        // The whole 128 bytes, with no branch: cheaper than stopping at the line's end, whose
        // place varies from line to line.
        for (half, mask) in masks.iter_mut().enumerate() {
            let mut bits = 0u64;
            for (k, w) in block[64 * half..64 * half + 64].chunks_exact(8).enumerate() {
                let w = u64::from_le_bytes(w.try_into().unwrap_or_default());
                bits |= byte_bits(comma_bits(w)) << (8 * k);
            }
            *mask = bits;
        }
    } else {
        for (half, mask) in masks.iter_mut().enumerate() {
            let mut base = 64 * half;
            let mut bits = 0u64;
            while base < len.min(64 * half + 64) {
                bits |= byte_bits(comma_bits(word(base))) << (base & 63);
                base += 8;
            }
            *mask = bits;
        }
    }
    masks
}

/// Finds every comma of `text`: bit `i % 64` of word `i / 64` of `out` is set when byte `i`
/// is one (the bits past the text, in its last word, are zero), for [`Layout::split_masked`].
pub fn comma_masks(text: &[u8], out: &mut Vec<u64>) {
    out.clear();
    let blocks = text.chunks_exact(64);
    let tail = blocks.remainder();
    out.extend(blocks.map(|block| {
        let mut bits = 0u64;
        for (k, w) in block.chunks_exact(8).enumerate() {
            let w = u64::from_le_bytes(w.try_into().unwrap_or_default());
            bits |= byte_bits(comma_bits(w)) << (8 * k);
        }
        bits
    }));
    if !tail.is_empty() {
        let bits = tail
            .iter()
            .enumerate()
            .fold(0u64, |bits, (i, &b)| bits | (u64::from(b == b',') << i));
        out.push(bits);
    }
}

/// Fields a line may have for [`Layout::split_in`]'s short way (a header with more takes the
/// long way).
const MAX_SHORT_FIELDS: usize = 16;

/// The high bits of `bits` (one per byte, as [`comma_bits`] gives them) as the eight low bits:
/// byte `i` to bit `i`. The multiply moves every high bit to its own place in the top byte
/// without carries.
fn byte_bits(bits: u64) -> u64 {
    ((bits >> 7).wrapping_mul(0x0102_0408_1020_4080)) >> 56
}

/// The high bit of each byte of `word` that is a comma.
fn comma_bits(word: u64) -> u64 {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let x = word ^ 0x2c2c_2c2c_2c2c_2c2c;
    // A byte of `x` is zero exactly when its high bit ends up set (no carries between bytes).
    !(((x & LOW7).wrapping_add(LOW7)) | x | LOW7)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_and_map() {
        let none = ColumnMap::default();
        assert_eq!(none.resolve("Phone"), Some(Column::Recipient));
        assert_eq!(none.resolve("\u{feff}timestamp"), Some(Column::Timestamp));
        let map = ColumnMap::parse(&["recipient=customer".into()]).unwrap();
        assert_eq!(map.resolve("customer"), Some(Column::Recipient));
        assert_eq!(map.resolve("phone"), None);
        assert!(ColumnMap::parse(&["who=customer".into()]).is_err());
    }

    #[test]
    fn split_finds_every_comma() {
        let layout = Layout::from_header(
            &[
                "timestamp",
                "x",
                "recipient",
                "direction",
                "y",
                "kind",
                "flow",
            ],
            &ColumnMap::default(),
        )
        .unwrap();
        for line in [
            &b"t,,r,d,,k,f"[..],
            b"2026-01-01T00:00:00Z,ab\xac\xff,+491234567890,inbound,zz,template,a-flow",
            b"t,x,r",
            b",,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,",
        ] {
            let (mut starts, mut ends) = ([0; 8], [0; 8]);
            let count = layout.split(line, &mut starts, &mut ends);
            agrees_with_a_plain_split(&layout, line, count, (&starts, &ends));
        }
    }

    /// A split of `line` gave `count` fields, and these offsets: the count is that of a plain
    /// split by commas, and so are the fields when the count is the header's.
    fn agrees_with_a_plain_split(
        layout: &Layout,
        line: &[u8],
        count: usize,
        (starts, ends): (&[usize; 8], &[usize; 8]),
    ) {
        let fields: Vec<&[u8]> = line.split(|&b| b == b',').collect();
        assert_eq!(count, fields.len(), "{}", String::from_utf8_lossy(line));
        if count != layout.width {
            return;
        }
        for c in Column::ALL {
            let want = layout.get(c).and_then(|i| fields.get(i)).copied();
            let got = &line[starts[c as usize]..ends[c as usize]];
            assert_eq!(got, want.unwrap_or(&[]), "{c:?}");
        }
    }

    /// Lines inside a longer text, of every length around the word and mask sizes, with
    /// commas anywhere, split as the plain byte-by-byte reading splits them: the same field
    /// count always, the same fields when the count is the header's.
    #[test]
    fn split_in_text_agrees_with_a_plain_split() {
        let names = [
            "timestamp",
            "recipient",
            "direction",
            "kind",
            "a",
            "b",
            "flow",
        ];
        // Seven fields, sixteen (the most the short way takes) and twenty (the long way).
        let layout_of = |extra: usize| {
            let fields: Vec<&str> = names.iter().copied().chain(vec!["x"; extra]).collect();
            Layout::from_header(&fields, &ColumnMap::default()).unwrap()
        };
        let layouts = [layout_of(0), layout_of(9), layout_of(13)];
        let mut seed = 7u64;
        for round in 0..12000 {
            let layout = &layouts[round % 3];
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            let len = (seed >> 33) as usize % 150;
            let w = layout.width;
            let commas = [w - 1, w - 1, w, w - 2, (seed >> 20) as usize % 40][(round / 3) % 5];
            let commas = commas.min(len);
            let mut line = vec![b'x'; len];
            for k in 0..commas {
                let at = ((seed >> (k % 40)) as usize).wrapping_mul(k + 13) % len.max(1);
                if len > 0 {
                    line[at] = b',';
                }
            }
            // Lines anywhere in a text of several 64-byte words.
            let before = (seed >> 8) as usize % 300;
            // Short tails read the line word by word, long ones as one block.
            let after = (seed >> 12) as usize % [11, 140][usize::from(seed >> 60 < 5)];
            let mut text = vec![b','; before];
            text.extend_from_slice(&line);
            text.extend(std::iter::repeat_n(b',', after));
            let (mut starts, mut ends) = ([0; 8], [0; 8]);
            let count = layout.split_in(&text, (before, before + len), &mut starts, &mut ends);
            agrees_with_a_plain_split(layout, &line, count, (&starts, &ends));
            // And with the commas of the whole text found first.
            let mut commas = Vec::new();
            comma_masks(&text, &mut commas);
            let (mut starts, mut ends) = ([0; 8], [0; 8]);
            let span = (before, before + len);
            let count = layout.split_masked((&text, &commas), span, &mut starts, &mut ends);
            agrees_with_a_plain_split(layout, &line, count, (&starts, &ends));
        }
    }

    /// Every byte's bit, for texts of every length around the 64-byte block.
    #[test]
    fn comma_masks_mark_every_comma_and_nothing_else() {
        let mut commas = Vec::new();
        for len in 0..200 {
            let text: Vec<u8> = (0..len)
                .map(|i: usize| [b',', b'x', 0xac, b'\n'][(i * 7 + len) % 4])
                .collect();
            comma_masks(&text, &mut commas);
            assert_eq!(commas.len(), len.div_ceil(64), "{len}");
            for (i, &b) in text.iter().enumerate() {
                let bit = commas[i / 64] >> (i % 64) & 1 == 1;
                assert_eq!(bit, b == b',', "byte {i} of {len}");
            }
            for i in len..64 * commas.len() {
                assert_eq!(commas[i / 64] >> (i % 64) & 1, 0, "bit {i} past {len}");
            }
        }
    }

    #[test]
    fn missing_required_columns_are_named() {
        let err = Layout::from_header(&["time", "to"], &ColumnMap::default()).unwrap_err();
        assert!(err.contains("no direction column"), "{err}");
    }
}

//! The RLE / bit-packing hybrid of the Parquet format, which holds definition levels and
//! dictionary indices: a run header (a ULEB128 varint) says either "the next value, repeated
//! `header >> 1` times" (low bit 0; the value in `ceil(width / 8)` little-endian bytes) or
//! "`header >> 1` groups of 8 values of `width` bits, packed from the lowest bit" (low bit 1).
//!
//! A decoder keeps its place between reads, so a page can be read a slice of rows at a time.
//! Hostile streams are errors, never panics: a width over 32, an RLE run past the values the
//! page declares, and runs cut short by the end. A bit-packed run may go on past the page's
//! values (DuckDB writes whole blocks of 256): only the groups holding them are read.

/// The widest value (dictionary indices are at most 32 bits).
pub const MAX_WIDTH: u32 = 32;

/// A decoder of one hybrid stream, which lies at `start..end` of a page buffer that the
/// caller passes to every read.
#[derive(Debug, Clone)]
pub struct Hybrid {
    pos: usize,
    end: usize,
    width: u32,
    /// Values the page may still hold beyond the runs started.
    budget: usize,
    /// The current RLE run: its value and how many are left.
    rle_value: u32,
    rle_left: usize,
    /// Values left in the current bit-packed run, those of `group` included.
    packed_left: usize,
    /// The current group of 8 bit-packed values, and the next one of it to read (8: none).
    group: [u32; 8],
    group_at: usize,
}

impl Hybrid {
    /// A decoder of values `width` bits wide at `start..end`, of at most `values` values.
    pub fn new(start: usize, end: usize, width: u32, values: usize) -> Result<Hybrid, String> {
        if width > MAX_WIDTH {
            return Err(format!(
                "a bit width of {width} (at most {MAX_WIDTH}): corrupt"
            ));
        }
        Ok(Hybrid {
            pos: start,
            end,
            width,
            budget: values,
            rle_value: 0,
            rle_left: 0,
            packed_left: 0,
            group: [0; 8],
            group_at: 8,
        })
    }

    /// Appends the next `n` values to `out`.
    pub fn read(&mut self, buf: &[u8], mut n: usize, out: &mut Vec<u32>) -> Result<(), String> {
        while n > 0 {
            if self.rle_left > 0 {
                let k = n.min(self.rle_left);
                out.extend(std::iter::repeat_n(self.rle_value, k));
                self.rle_left -= k;
                n -= k;
            } else if self.packed_left > 0 {
                if self.group_at == 8 {
                    if n >= 8 && self.packed_left >= 8 {
                        // Whole groups straight to `out`.
                        let groups = (n / 8).min(self.packed_left / 8);
                        for _ in 0..groups {
                            let group = self.unpack(buf)?;
                            out.extend_from_slice(&group);
                        }
                        self.packed_left -= groups * 8;
                        n -= groups * 8;
                        continue;
                    }
                    self.group = self.unpack(buf)?;
                    self.group_at = 0;
                }
                let k = n.min(8 - self.group_at).min(self.packed_left);
                out.extend_from_slice(&self.group[self.group_at..self.group_at + k]);
                self.group_at += k;
                self.packed_left -= k;
                n -= k;
                if self.packed_left == 0 {
                    self.group_at = 8;
                }
            } else {
                self.next_run(buf)?;
            }
        }
        Ok(())
    }

    /// Reads the next run's header (and an RLE run's value).
    fn next_run(&mut self, buf: &[u8]) -> Result<(), String> {
        let header = self.varint(buf)?;
        let count = usize::try_from(header >> 1).unwrap_or(usize::MAX);
        if header & 1 == 1 {
            // A run may hold more groups than the page has values left: DuckDB writes whole
            // blocks of 256 values, and the crate's reader reads what it needs of them. Only
            // the groups that hold the page's values are read (the last one padded to 8).
            let values = count
                .saturating_mul(8)
                .min(self.budget.div_ceil(8).saturating_mul(8));
            self.budget = self.budget.saturating_sub(values);
            self.packed_left = values;
            self.group_at = 8;
        } else {
            if count > self.budget {
                return Err(format!(
                    "a run of {count} values, past the {} the page has left: corrupt",
                    self.budget
                ));
            }
            let bytes = self.width.div_ceil(8) as usize;
            let Some(value) = buf
                .get(self.pos..self.pos + bytes)
                .filter(|_| self.pos + bytes <= self.end)
            else {
                return Err(Self::truncated());
            };
            let mut le = [0u8; 4];
            le[..bytes].copy_from_slice(value);
            self.pos += bytes;
            self.budget -= count;
            self.rle_value = u32::from_le_bytes(le);
            self.rle_left = count;
        }
        Ok(())
    }

    /// A run header: a ULEB128 varint of at most 64 bits.
    fn varint(&mut self, buf: &[u8]) -> Result<u64, String> {
        let next = || {
            let b = buf.get(self.pos).filter(|_| self.pos < self.end);
            self.pos += 1;
            b.copied().ok_or_else(Self::truncated)
        };
        super::varint::read(next)?.ok_or_else(|| "a run header longer than 64 bits: corrupt".into())
    }

    /// Unpacks the next group of 8 values (`width` bytes).
    fn unpack(&mut self, buf: &[u8]) -> Result<[u32; 8], String> {
        let w = self.width as usize;
        let Some(bytes) = buf
            .get(self.pos..self.pos + w)
            .filter(|_| self.pos + w <= self.end)
        else {
            return Err(Self::truncated());
        };
        self.pos += w;
        // Room for an 8-byte read at any value's first byte.
        let mut padded = [0u8; 40];
        padded[..w].copy_from_slice(bytes);
        let mask = if w == 32 {
            u64::from(u32::MAX)
        } else {
            (1u64 << w) - 1
        };
        let mut group = [0u32; 8];
        for (j, v) in group.iter_mut().enumerate() {
            let bit = j * w;
            let at = bit / 8;
            let mut word = [0u8; 8];
            word.copy_from_slice(&padded[at..at + 8]);
            *v = ((u64::from_le_bytes(word) >> (bit % 8)) & mask) as u32;
        }
        Ok(group)
    }

    fn truncated() -> String {
        "its runs end before its values: truncated or corrupt".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Values packed as the format packs them: groups of 8, from each value's lowest bit.
    fn pack(values: &[u32], width: u32) -> Vec<u8> {
        let mut out = vec![0u8; values.len().div_ceil(8) * width as usize];
        for (i, v) in values.iter().enumerate() {
            for b in 0..width as usize {
                if v >> b & 1 == 1 {
                    let bit = i * width as usize + b;
                    out[bit / 8] |= 1 << (bit % 8);
                }
            }
        }
        out
    }

    fn varint(mut v: u64, out: &mut Vec<u8>) {
        while v >= 0x80 {
            out.push(v as u8 | 0x80);
            v >>= 7;
        }
        out.push(v as u8);
    }

    fn rle(value: u32, count: u64, width: u32, out: &mut Vec<u8>) {
        varint(count << 1, out);
        out.extend_from_slice(&value.to_le_bytes()[..width.div_ceil(8) as usize]);
    }

    fn packed(values: &[u32], width: u32, out: &mut Vec<u8>) {
        varint((values.len().div_ceil(8) as u64) << 1 | 1, out);
        out.extend(pack(values, width));
    }

    fn decode(buf: &[u8], width: u32, values: usize, reads: &[usize]) -> Result<Vec<u32>, String> {
        let mut h = Hybrid::new(0, buf.len(), width, values)?;
        let mut out = Vec::new();
        for &n in reads {
            h.read(buf, n, &mut out)?;
        }
        Ok(out)
    }

    #[test]
    fn every_width_reads_packed_groups_and_runs_in_any_slices() {
        for width in 0..=32u32 {
            let max = if width == 32 {
                u32::MAX
            } else {
                (1u32 << width) - 1
            };
            let values: Vec<u32> = (0..20u32)
                .map(|i| i.wrapping_mul(2_654_435_761) & max)
                .collect();
            let mut buf = Vec::new();
            packed(&values[..16], width, &mut buf);
            rle(max, 5, width, &mut buf);
            // 4 values padded to a group of 8.
            packed(&values[16..], width, &mut buf);
            let mut want = values[..16].to_vec();
            want.extend([max; 5]);
            want.extend(&values[16..]);
            for reads in [
                &[25][..],
                &[1, 2, 3, 4, 5, 6, 4],
                &[7, 9, 8, 1],
                &[16, 5, 4],
            ] {
                assert_eq!(
                    decode(&buf, width, 25, reads).unwrap(),
                    want,
                    "width {width}"
                );
            }
        }
    }

    #[test]
    fn widths_over_32_and_runs_past_the_page_are_errors_or_cut() {
        assert!(Hybrid::new(0, 0, 33, 1)
            .unwrap_err()
            .contains("bit width of 33"));
        let mut buf = Vec::new();
        rle(1, 10, 1, &mut buf);
        assert!(decode(&buf, 1, 9, &[9]).unwrap_err().contains("past the 9"));
        assert_eq!(decode(&buf, 1, 10, &[10]).unwrap(), vec![1; 10]);
        // A bit-packed run longer than the page (DuckDB writes blocks of 256 values): the
        // page's values are read, the rest left.
        let mut buf = Vec::new();
        let block: Vec<u32> = (0..256).map(|i| i % 5).collect();
        packed(&block, 3, &mut buf);
        assert_eq!(decode(&buf, 3, 44, &[44]).unwrap(), block[..44]);
        assert_eq!(decode(&buf, 3, 44, &[20, 24]).unwrap(), block[..44]);
        assert_eq!(decode(&buf, 3, 8, &[8]).unwrap(), block[..8]);
        // Past the last group of the page's values, the rest of the block is not read as runs
        // of this page.
        assert!(decode(&buf, 3, 44, &[49]).is_err());
        // A count of 2^63 groups.
        let mut buf = Vec::new();
        varint(u64::MAX, &mut buf);
        assert!(decode(&buf, 1, 9, &[9]).is_err());
        assert!(decode(&[0xff; 11], 1, 9, &[9])
            .unwrap_err()
            .contains("64 bits"));
    }

    #[test]
    fn truncated_streams_are_errors() {
        let mut buf = Vec::new();
        packed(&[3; 16], 2, &mut buf);
        for cut in 0..buf.len() {
            let r = decode(&buf[..cut], 2, 16, &[16]);
            assert!(r.unwrap_err().contains("truncated"), "cut at {cut}");
        }
        let mut buf = Vec::new();
        rle(300, 4, 9, &mut buf);
        assert_eq!(decode(&buf, 9, 4, &[4]).unwrap(), vec![300; 4]);
        assert!(decode(&buf[..2], 9, 4, &[4])
            .unwrap_err()
            .contains("truncated"));
        // More values asked than the stream has.
        assert!(decode(&buf, 9, 8, &[5]).unwrap_err().contains("truncated"));
        // The stream ends where the decoder is told, not at the buffer's end.
        let mut h = Hybrid::new(0, 1, 9, 4).unwrap();
        assert!(h.read(&buf, 4, &mut Vec::new()).is_err());
    }

    #[test]
    fn zero_width_values_are_zeros_and_empty_runs_are_skipped() {
        let mut buf = Vec::new();
        rle(0, 0, 0, &mut buf);
        packed(&[0; 8], 0, &mut buf);
        rle(0, 3, 0, &mut buf);
        assert_eq!(decode(&buf, 0, 11, &[2, 9]).unwrap(), vec![0; 11]);
    }
}

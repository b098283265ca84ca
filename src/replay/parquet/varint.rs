//! ULEB128 varints, as Parquet writes them in the Thrift headers of its pages and in the run
//! headers of its RLE / bit-packing hybrid: seven bits a byte, lowest first, the high bit set
//! on every byte but the last.

/// The varint whose bytes `next` gives, of at most ten bytes (64 bits; bits past the 64th
/// are dropped); `None` when it runs longer. `next`'s errors (the bytes ran out) are passed
/// on.
pub fn read(mut next: impl FnMut() -> Result<u8, String>) -> Result<Option<u64>, String> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let b = next()?;
        v |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return Ok(Some(v));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(bytes: &[u8]) -> Result<Option<u64>, String> {
        let mut it = bytes.iter();
        read(|| it.next().copied().ok_or_else(|| "ran out".to_string()))
    }

    #[test]
    fn varints_of_one_to_ten_bytes_and_past() {
        assert_eq!(of(&[0]), Ok(Some(0)));
        assert_eq!(of(&[0x7f]), Ok(Some(127)));
        assert_eq!(of(&[0x80, 0x01]), Ok(Some(128)));
        assert_eq!(of(&[0xe5, 0x8e, 0x26]), Ok(Some(624_485)));
        let max = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01];
        assert_eq!(of(&max), Ok(Some(u64::MAX)));
        assert_eq!(of(&[0xff; 11]), Ok(None));
        assert_eq!(of(&[0x80, 0x80]), Err("ran out".to_string()));
    }
}

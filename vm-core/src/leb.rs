//! Canonical LEB128 reading and writing.
//!
//! Every integer in a module or value encoding is LEB128. Readers reject
//! overlong forms (a redundant final group) and values outside the target
//! width, so each integer has exactly one encoding.

use crate::error::DecodeError;

/// A cursor over untrusted bytes that never panics.
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    /// Starts reading at the beginning of `bytes`.
    pub fn new(bytes: &'a [u8]) -> Self {
        Reader { bytes, pos: 0 }
    }

    /// The offset of the next unread byte.
    pub fn pos(&self) -> usize {
        self.pos
    }

    /// The number of bytes not yet read.
    pub fn remaining(&self) -> usize {
        self.bytes.len().saturating_sub(self.pos)
    }

    /// True when every byte has been consumed.
    pub fn is_empty(&self) -> bool {
        self.pos >= self.bytes.len()
    }

    /// Reads one byte.
    pub fn byte(&mut self) -> Result<u8, DecodeError> {
        let b = *self
            .bytes
            .get(self.pos)
            .ok_or(DecodeError::UnexpectedEnd { offset: self.pos })?;
        self.pos += 1;
        Ok(b)
    }

    /// Reads exactly `n` bytes.
    pub fn take(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&e| e <= self.bytes.len())
            .ok_or(DecodeError::UnexpectedEnd { offset: self.pos })?;
        let s = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(s)
    }

    /// Reads an unsigned LEB128 integer of at most `bits` significant bits.
    pub fn uleb(&mut self, bits: u32) -> Result<u128, DecodeError> {
        let start = self.pos;
        let mut result: u128 = 0;
        let mut shift: u32 = 0;
        loop {
            let b = self.byte()?;
            let low = u128::from(b & 0x7f);
            if shift >= bits || (shift > 0 && bits - shift < 7 && (low >> (bits - shift)) != 0) {
                return Err(DecodeError::IntegerTooLarge { offset: start });
            }
            result |= low << shift;
            if b & 0x80 == 0 {
                if b == 0 && shift > 0 {
                    return Err(DecodeError::Overlong { offset: start });
                }
                return Ok(result);
            }
            shift += 7;
        }
    }

    /// Reads an unsigned LEB128 `u32`.
    pub fn u32(&mut self) -> Result<u32, DecodeError> {
        let v = self.uleb(32)?;
        u32::try_from(v).map_err(|_| DecodeError::IntegerTooLarge { offset: self.pos })
    }

    /// Reads an unsigned LEB128 `u32` that must not exceed `max`.
    pub fn count(&mut self, max: u32, what: &'static str) -> Result<u32, DecodeError> {
        let at = self.pos;
        let v = self.u32()?;
        if v > max {
            return Err(DecodeError::LimitExceeded {
                what,
                value: u64::from(v),
                limit: u64::from(max),
                offset: at,
            });
        }
        Ok(v)
    }

    /// Reads a signed LEB128 integer of `bits` bits (at most 128).
    pub fn sleb(&mut self, bits: u32) -> Result<i128, DecodeError> {
        let start = self.pos;
        let mut result: i128 = 0;
        let mut shift: u32 = 0;
        let mut prev: Option<u8> = None;
        loop {
            let b = self.byte()?;
            if shift >= bits {
                return Err(DecodeError::IntegerTooLarge { offset: start });
            }
            result |= i128::from(b & 0x7f) << shift;
            shift += 7;
            if b & 0x80 == 0 {
                // Overlong: a final group that only repeats the sign of the previous one.
                if let Some(p) = prev
                    && ((b == 0 && p & 0x40 == 0) || (b == 0x7f && p & 0x40 != 0))
                {
                    return Err(DecodeError::Overlong { offset: start });
                }
                if shift < 128 && b & 0x40 != 0 {
                    result |= -1i128 << shift;
                }
                // Check the value fits in `bits` bits (two's complement).
                if bits < 128 {
                    let min = -(1i128 << (bits - 1));
                    let max = (1i128 << (bits - 1)) - 1;
                    if result < min || result > max {
                        return Err(DecodeError::IntegerTooLarge { offset: start });
                    }
                } else if shift > 128 {
                    // The last group carries bits beyond 128: they must be pure sign extension.
                    let used = 128 - (shift - 7);
                    let extra = i128::from(b & 0x7f) >> used;
                    let sign = if result < 0 {
                        (1i128 << (7 - used)) - 1
                    } else {
                        0
                    };
                    if extra != sign {
                        return Err(DecodeError::IntegerTooLarge { offset: start });
                    }
                }
                return Ok(result);
            }
            prev = Some(b);
        }
    }

    /// Reads a length-prefixed UTF-8 string of at most `max` bytes.
    pub fn string(&mut self, max: u32) -> Result<String, DecodeError> {
        let at = self.pos;
        let n = self.count(max, "string length")?;
        let s = self.take(n as usize)?;
        String::from_utf8(s.to_vec()).map_err(|_| DecodeError::BadUtf8 { offset: at })
    }
}

/// Appends the unsigned LEB128 encoding of `v`.
pub fn write_uleb(out: &mut Vec<u8>, mut v: u128) {
    loop {
        let b = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

/// Appends the signed LEB128 encoding of `v`.
pub fn write_sleb(out: &mut Vec<u8>, mut v: i128) {
    loop {
        let b = (v & 0x7f) as u8;
        v >>= 7;
        let done = (v == 0 && b & 0x40 == 0) || (v == -1 && b & 0x40 != 0);
        if done {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

/// Appends a length-prefixed string.
pub fn write_str(out: &mut Vec<u8>, s: &str) {
    write_uleb(out, s.len() as u128);
    out.extend_from_slice(s.as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rt_s(v: i128) {
        let mut out = Vec::new();
        write_sleb(&mut out, v);
        let mut r = Reader::new(&out);
        assert_eq!(r.sleb(128).ok(), Some(v), "value {v} bytes {out:?}");
        assert!(r.is_empty());
    }

    #[test]
    fn sleb_round_trips_extremes() {
        for v in [
            0,
            1,
            -1,
            63,
            64,
            -64,
            -65,
            i128::MAX,
            i128::MIN,
            i64::MAX as i128,
            i64::MIN as i128,
        ] {
            rt_s(v);
        }
    }

    #[test]
    fn uleb_rejects_overlong() {
        assert!(matches!(
            Reader::new(&[0x80, 0x00]).uleb(32),
            Err(DecodeError::Overlong { .. })
        ));
        assert!(matches!(
            Reader::new(&[0xff, 0xff, 0xff, 0xff, 0x1f]).uleb(32),
            Err(DecodeError::IntegerTooLarge { .. })
        ));
        assert_eq!(
            Reader::new(&[0xff, 0xff, 0xff, 0xff, 0x0f]).uleb(32).ok(),
            Some(u32::MAX as u128)
        );
    }

    #[test]
    fn sleb_rejects_overlong() {
        assert!(matches!(
            Reader::new(&[0x80, 0x00]).sleb(64),
            Err(DecodeError::Overlong { .. })
        ));
        assert!(matches!(
            Reader::new(&[0xff, 0x7f]).sleb(64),
            Err(DecodeError::Overlong { .. })
        ));
        // 64 needs two bytes: 0xc0 0x00 is canonical.
        assert_eq!(Reader::new(&[0xc0, 0x00]).sleb(64).ok(), Some(64));
        assert!(matches!(
            Reader::new(&[0x80, 0x80, 0x80, 0x80, 0x08]).sleb(32),
            Err(DecodeError::IntegerTooLarge { .. })
        ));
    }
}

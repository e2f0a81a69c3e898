//! Reading the embedded model files: one little-endian cursor for the
//! detector's, the eye network's and the eye-corner trees' formats, and
//! the float16 conversion the last two store their weights in.

/// A little-endian cursor over a model file. Every read is checked: past
/// the end it gives `None`.
pub(super) struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    pub(super) fn new(bytes: &'a [u8]) -> Self {
        Self { bytes, at: 0 }
    }

    /// The next `n` bytes.
    pub(super) fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.at.checked_add(n)?;
        let s = self.bytes.get(self.at..end)?;
        self.at = end;
        Some(s)
    }

    pub(super) fn u32(&mut self) -> Option<u32> {
        let b = self.take(4)?;
        Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    pub(super) fn f32(&mut self) -> Option<f32> {
        self.u32().map(f32::from_bits)
    }

    pub(super) fn f32s(&mut self, n: usize) -> Option<Vec<f32>> {
        (0..n).map(|_| self.f32()).collect()
    }

    /// A count or an index stored as an `i32`: non-negative and below
    /// `max`.
    pub(super) fn count(&mut self, max: usize) -> Option<usize> {
        let v = i32::from_le_bytes(self.u32()?.to_le_bytes());
        usize::try_from(v).ok().filter(|&n| n < max)
    }

    /// Bytes not read yet.
    pub(super) fn remaining(&self) -> usize {
        self.bytes.len() - self.at
    }
}

/// Little-endian IEEE halves to single precision, into `out` (one half per
/// value: `raw` must be exactly twice as long); `None` if the lengths
/// differ or any half is an infinity or NaN (the models have none), and
/// then `out` is unchanged. Branch-free per value: the embedded models
/// hold 1.6 million of them, parsed when the first assessor is made.
pub(super) fn f16s_into(out: &mut [f32], raw: &[u8]) -> Option<()> {
    if raw.len() != 2 * out.len() {
        return None;
    }
    let halves = raw
        .chunks_exact(2)
        .map(|b| u16::from_le_bytes([b[0], b[1]]));
    if halves.clone().any(|h| h & 0x7c00 == 0x7c00) {
        return None;
    }
    // The half's exponent and mantissa moved into a single's bit
    // positions, then rebiased by 2^112 (127 - 15): right for normal and
    // subnormal halves alike.
    let rebias = f32::from_bits((127 + 112) << 23);
    for (v, h) in out.iter_mut().zip(halves) {
        let magnitude = f32::from_bits(u32::from(h & 0x7fff) << 13) * rebias;
        *v = f32::from_bits(magnitude.to_bits() | (u32::from(h & 0x8000) << 16));
    }
    Some(())
}

/// [`f16s_into`] a new vector.
pub(super) fn f16s_to_f32(raw: &[u8]) -> Option<Vec<f32>> {
    let mut out = vec![0.0; raw.len() / 2];
    f16s_into(&mut out, raw)?;
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// IEEE half to single precision, value by value: the reference for
    /// [`f16s_to_f32`]. `None` for infinities and NaNs.
    fn f16_to_f32(h: u16) -> Option<f32> {
        let sign = if h & 0x8000 != 0 { -1.0 } else { 1.0 };
        let exp = (h >> 10) & 0x1f;
        let man = u32::from(h & 0x3ff);
        match exp {
            0 => Some(sign * man as f32 * (1.0 / 16_777_216.0)),
            31 => None,
            _ => {
                let bits =
                    (u32::from(h & 0x8000) << 16) | ((u32::from(exp) + 112) << 23) | (man << 13);
                Some(f32::from_bits(bits))
            }
        }
    }

    #[test]
    fn bulk_halves_match_the_scalar_conversion() {
        let raw: Vec<u8> = (0..=u16::MAX).flat_map(u16::to_le_bytes).collect();
        assert!(
            f16s_to_f32(&raw).is_none(),
            "infinities and NaNs are refused"
        );
        let finite: Vec<u8> = (0..=u16::MAX)
            .filter(|h| h & 0x7c00 != 0x7c00)
            .flat_map(u16::to_le_bytes)
            .collect();
        let bulk = f16s_to_f32(&finite).unwrap();
        for (b, v) in finite.chunks_exact(2).zip(bulk) {
            let h = u16::from_le_bytes([b[0], b[1]]);
            assert_eq!(v.to_bits(), f16_to_f32(h).unwrap().to_bits(), "{h:#06x}");
        }
    }

    #[test]
    fn half_floats() {
        assert_eq!(f16_to_f32(0x3c00), Some(1.0));
        assert_eq!(f16_to_f32(0xc000), Some(-2.0));
        assert_eq!(f16_to_f32(0x0001), Some(2f32.powi(-24)));
        assert_eq!(f16_to_f32(0x7c00), None);
    }

    #[test]
    fn reads_stop_at_the_end() {
        let mut r = Reader::new(&[1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 9]);
        assert_eq!(r.count(2), Some(1));
        assert_eq!(r.count(100), None, "-1 is not a count");
        assert_eq!(r.remaining(), 1);
        assert_eq!(r.u32(), None);
        assert_eq!(r.take(1), Some(&[9u8][..]));
        assert_eq!(r.remaining(), 0);
    }
}

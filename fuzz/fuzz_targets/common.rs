//! Reading a fuzz input: a few header fields, then the pixels.
#![allow(dead_code)] // each target uses part of it

/// A cursor over the fuzzer's bytes; reads past the end give zeros.
pub struct Input<'a> {
    bytes: &'a [u8],
}

impl<'a> Input<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Self { bytes }
    }

    pub fn u8(&mut self) -> u8 {
        match self.bytes.split_first() {
            Some((&b, rest)) => {
                self.bytes = rest;
                b
            }
            None => 0,
        }
    }

    pub fn u16(&mut self) -> u16 {
        u16::from_le_bytes([self.u8(), self.u8()])
    }

    pub fn u32(&mut self) -> u32 {
        u32::from_le_bytes([self.u8(), self.u8(), self.u8(), self.u8()])
    }

    pub fn f32(&mut self) -> f32 {
        f32::from_bits(self.u32())
    }

    /// What is left: the pixel bytes.
    pub fn rest(self) -> &'a [u8] {
        self.bytes
    }
}

/// A buffer of `len` bytes made by repeating `pixels` (zeros when there
/// are none), so that a short input can describe a large image.
pub fn tile(pixels: &[u8], len: usize) -> Vec<u8> {
    if pixels.is_empty() {
        return vec![0; len];
    }
    pixels.iter().copied().cycle().take(len).collect()
}

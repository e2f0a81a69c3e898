//! `GrayView::new` / `RgbView::new` with arbitrary width, height and stride
//! over an arbitrary buffer: every outcome is `Ok` or a typed error, and an
//! `Ok` view reads only inside the buffer.
#![no_main]

use biocapture::{Error, GrayView, RgbView};
use libfuzzer_sys::fuzz_target;

mod common;

fuzz_target!(|data: &[u8]| {
    let mut input = common::Input::new(data);
    let width = input.u32();
    let height = input.u32();
    // Strides of any size, including ones near usize::MAX.
    let stride = match input.u8() % 3 {
        0 => input.u8() as usize,
        1 => input.u16() as usize,
        _ => (input.u32() as usize).wrapping_mul(0x0101_0101),
    };
    let ppi = input.u32();
    let buf = input.rest();
    match GrayView::new(buf, width, height, stride) {
        Ok(view) => {
            let view = view.with_ppi(ppi);
            assert_eq!(view.ppi(), ppi);
            let mut n = 0usize;
            for row in view.rows() {
                assert_eq!(row.len(), width as usize);
                n += 1;
            }
            assert_eq!(n, height as usize);
        }
        Err(
            Error::EmptyImage { .. }
            | Error::StrideTooSmall { .. }
            | Error::BufferTooShort { .. }
            | Error::DimensionOverflow { .. },
        ) => {}
        Err(e) => panic!("unexpected error {e:?}"),
    }
    match RgbView::new(buf, width, height, stride) {
        Ok(view) => {
            for y in 0..view.height() {
                assert_eq!(view.row(y).len(), 3 * width as usize);
            }
            let mut luma = Vec::new();
            view.luma_into(&mut luma);
            assert_eq!(luma.len(), width as usize * height as usize);
        }
        Err(
            Error::EmptyImage { .. }
            | Error::StrideTooSmall { .. }
            | Error::BufferTooShort { .. }
            | Error::DimensionOverflow { .. },
        ) => {}
        Err(e) => panic!("unexpected error {e:?}"),
    }
});

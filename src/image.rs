//! Borrowed views over the caller's pixels.
//!
//! Camera and scanner frames arrive as a buffer with a row stride; the views
//! here borrow such a buffer without copying and check once that width,
//! height and stride fit inside it.

use crate::error::{Error, Result};

/// The resolution assumed when a caller gives none: 500 ppi, the native
/// resolution of NFIQ 2 and of almost every live-scan sensor.
pub const DEFAULT_PPI: u32 = 500;

/// Checks `width`, `height`, `stride` and `channels` against `len` and
/// returns the number of bytes the view spans.
fn checked_extent(
    len: usize,
    width: u32,
    height: u32,
    stride: usize,
    channels: usize,
) -> Result<usize> {
    if width == 0 || height == 0 {
        return Err(Error::EmptyImage { width, height });
    }
    let overflow = Error::DimensionOverflow { width, height };
    let row_len = (width as usize)
        .checked_mul(channels)
        .ok_or(overflow.clone())?;
    if stride < row_len {
        return Err(Error::StrideTooSmall { stride, row_len });
    }
    // The last row needs only `row_len` bytes, not a whole stride.
    let needed = (height as usize - 1)
        .checked_mul(stride)
        .and_then(|n| n.checked_add(row_len))
        .ok_or(overflow)?;
    if len < needed {
        return Err(Error::BufferTooShort { len, needed });
    }
    Ok(needed)
}

/// A borrowed 8-bit grey image: width, height, row stride and resolution.
///
/// Build one from a raw buffer with [`GrayView::new`], or borrow an
/// [`image::GrayImage`] or a row-contiguous [`ndarray::ArrayView2<u8>`]
/// with `From` / `TryFrom` (no copy in either case).
///
/// # Examples
///
/// ```
/// use biocapture::GrayView;
/// // A 3x2 image stored with 4 bytes a row (one byte of padding).
/// let buf = [10u8, 20, 30, 0, 40, 50, 60, 0];
/// let view = GrayView::new(&buf, 3, 2, 4)?.with_ppi(500);
/// assert_eq!(view.row(1), &[40, 50, 60]);
/// # Ok::<(), biocapture::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GrayView<'a> {
    data: &'a [u8],
    width: u32,
    height: u32,
    stride: usize,
    ppi: u32,
}

impl<'a> GrayView<'a> {
    /// Borrows `data` as a `width` x `height` grey image whose rows start
    /// `stride` bytes apart. The resolution is [`DEFAULT_PPI`] until set
    /// with [`with_ppi`](Self::with_ppi).
    ///
    /// # Errors
    ///
    /// [`Error::EmptyImage`] for a zero side, [`Error::StrideTooSmall`] when
    /// `stride < width`, [`Error::DimensionOverflow`] when the extent
    /// overflows `usize`, [`Error::BufferTooShort`] when `data` is shorter
    /// than `(height - 1) * stride + width`.
    pub fn new(data: &'a [u8], width: u32, height: u32, stride: usize) -> Result<Self> {
        let needed = checked_extent(data.len(), width, height, stride, 1)?;
        Ok(Self {
            data: &data[..needed],
            width,
            height,
            stride,
            ppi: DEFAULT_PPI,
        })
    }

    /// Sets the capture resolution in pixels per inch. The range is checked
    /// by the assessor that receives the view.
    #[must_use]
    pub fn with_ppi(mut self, ppi: u32) -> Self {
        self.ppi = ppi;
        self
    }

    /// Width in pixels.
    pub fn width(&self) -> u32 {
        self.width
    }

    /// Height in pixels.
    pub fn height(&self) -> u32 {
        self.height
    }

    /// Bytes from the start of one row to the start of the next.
    pub fn stride(&self) -> usize {
        self.stride
    }

    /// Capture resolution in pixels per inch.
    pub fn ppi(&self) -> u32 {
        self.ppi
    }

    /// Row `y` as a slice of `width` pixels.
    ///
    /// # Panics
    ///
    /// When `y >= height` (a caller bug, not an input problem).
    pub fn row(&self, y: u32) -> &'a [u8] {
        let start = y as usize * self.stride;
        &self.data[start..start + self.width as usize]
    }

    /// The spanned bytes: row `y` starts at `y * stride`.
    pub(crate) fn data(&self) -> &'a [u8] {
        self.data
    }

    /// Iterates over the rows, top to bottom.
    pub fn rows(&self) -> impl Iterator<Item = &'a [u8]> + '_ {
        (0..self.height).map(move |y| self.row(y))
    }
}

impl<'a> From<&'a image::GrayImage> for GrayView<'a> {
    /// Borrows an `image` crate grey image (resolution [`DEFAULT_PPI`]).
    fn from(img: &'a image::GrayImage) -> Self {
        let (width, height) = img.dimensions();
        // An ImageBuffer always holds exactly width*height samples, but a
        // zero-sized one is representable: keep the invariant `width >= 1`
        // out of `From` and let the assessor report the empty image.
        Self {
            data: img.as_raw(),
            width,
            height,
            stride: width as usize,
            ppi: DEFAULT_PPI,
        }
    }
}

impl<'a> TryFrom<ndarray::ArrayView2<'a, u8>> for GrayView<'a> {
    type Error = Error;

    /// Borrows a `(height, width)` array view in standard (row-major,
    /// contiguous) layout, as `Array2::view()` gives.
    ///
    /// # Errors
    ///
    /// [`Error::NonContiguous`] for other layouts (transposed, reversed,
    /// stepped or column-cropped views: call `as_standard_layout()` first),
    /// plus the errors of [`GrayView::new`].
    fn try_from(view: ndarray::ArrayView2<'a, u8>) -> Result<Self> {
        let (h, w) = view.dim();
        let (row_stride, col_stride) = (view.strides()[0], view.strides()[1]);
        let width = u32::try_from(w).map_err(|_| Error::DimensionOverflow {
            width: u32::MAX,
            height: u32::try_from(h).unwrap_or(u32::MAX),
        })?;
        let height = u32::try_from(h).map_err(|_| Error::DimensionOverflow {
            width,
            height: u32::MAX,
        })?;
        let data = view.to_slice().ok_or(Error::NonContiguous {
            row_stride,
            col_stride,
        })?;
        GrayView::new(data, width, height, w)
    }
}

/// A borrowed 8-bit RGB image (three interleaved bytes a pixel).
///
/// # Examples
///
/// ```
/// use biocapture::RgbView;
/// let buf = [255u8, 0, 0, 0, 255, 0];
/// let view = RgbView::new(&buf, 2, 1, 6)?;
/// assert_eq!(view.row(0), &buf[..]);
/// # Ok::<(), biocapture::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RgbView<'a> {
    data: &'a [u8],
    width: u32,
    height: u32,
    stride: usize,
}

impl<'a> RgbView<'a> {
    /// Borrows `data` as a `width` x `height` RGB image whose rows start
    /// `stride` bytes apart (`stride >= 3 * width`).
    ///
    /// # Errors
    ///
    /// As [`GrayView::new`], with three bytes a pixel.
    pub fn new(data: &'a [u8], width: u32, height: u32, stride: usize) -> Result<Self> {
        let needed = checked_extent(data.len(), width, height, stride, 3)?;
        Ok(Self {
            data: &data[..needed],
            width,
            height,
            stride,
        })
    }

    /// Width in pixels.
    pub fn width(&self) -> u32 {
        self.width
    }

    /// Height in pixels.
    pub fn height(&self) -> u32 {
        self.height
    }

    /// Bytes from the start of one row to the start of the next.
    pub fn stride(&self) -> usize {
        self.stride
    }

    /// Row `y` as `3 * width` interleaved bytes.
    ///
    /// # Panics
    ///
    /// When `y >= height` (a caller bug, not an input problem).
    pub fn row(&self, y: u32) -> &'a [u8] {
        let start = y as usize * self.stride;
        &self.data[start..start + 3 * self.width as usize]
    }

    /// Writes the luma (ITU-R BT.601 weights, as OpenCV and OFIQ use) of every
    /// pixel into `out`, row after row, replacing its contents.
    pub fn luma_into(&self, out: &mut Vec<u8>) {
        let w = self.width as usize;
        out.clear();
        if w == 0 {
            return;
        }
        out.resize(w * self.height as usize, 0);
        // Indexed writes into a sized buffer (rather than extending it)
        // let the compiler vectorise the de-interleaving.
        for (y, dst) in out.chunks_exact_mut(w).enumerate() {
            for (d, p) in dst.iter_mut().zip(self.row(y as u32).chunks_exact(3)) {
                *d = luma(p[0], p[1], p[2]);
            }
        }
    }
}

/// BT.601 luma in fixed point: (77 R + 150 G + 29 B + 128) / 256.
#[inline]
pub(crate) fn luma(r: u8, g: u8, b: u8) -> u8 {
    ((77 * r as u32 + 150 * g as u32 + 29 * b as u32 + 128) >> 8) as u8
}

impl<'a> From<&'a image::RgbImage> for RgbView<'a> {
    /// Borrows an `image` crate RGB image.
    fn from(img: &'a image::RgbImage) -> Self {
        let (width, height) = img.dimensions();
        Self {
            data: img.as_raw(),
            width,
            height,
            stride: 3 * width as usize,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_bad_geometry() {
        let buf = [0u8; 12];
        assert_eq!(
            GrayView::new(&buf, 0, 3, 4),
            Err(Error::EmptyImage {
                width: 0,
                height: 3
            })
        );
        assert_eq!(
            GrayView::new(&buf, 4, 3, 3),
            Err(Error::StrideTooSmall {
                stride: 3,
                row_len: 4
            })
        );
        assert_eq!(
            GrayView::new(&buf, 4, 4, 4),
            Err(Error::BufferTooShort {
                len: 12,
                needed: 16
            })
        );
        assert!(matches!(
            GrayView::new(&buf, u32::MAX, u32::MAX, usize::MAX),
            Err(Error::DimensionOverflow { .. })
        ));
        assert!(matches!(
            RgbView::new(&buf, 2, 2, 5),
            Err(Error::StrideTooSmall { .. })
        ));
    }

    #[test]
    fn last_row_needs_no_padding() {
        let buf = [1u8, 2, 9, 3, 4];
        let v = GrayView::new(&buf, 2, 2, 3).unwrap();
        assert_eq!(v.row(0), &[1, 2]);
        assert_eq!(v.row(1), &[3, 4]);
    }

    #[test]
    fn ndarray_views_borrow_or_refuse() {
        let a = ndarray::Array2::from_shape_fn((3, 4), |(y, x)| (y * 4 + x) as u8);
        let v = GrayView::try_from(a.view()).unwrap();
        assert_eq!((v.width(), v.height(), v.stride()), (4, 3, 4));
        assert_eq!(v.row(2), &[8, 9, 10, 11]);
        assert!(matches!(
            GrayView::try_from(a.t()),
            Err(Error::NonContiguous { .. })
        ));
    }

    #[test]
    fn luma_matches_bt601_reference() {
        let img = image::RgbImage::from_fn(16, 16, |x, y| {
            image::Rgb([(x * 16) as u8, (y * 16) as u8, ((x + y) * 8) as u8])
        });
        let mut ours = Vec::new();
        RgbView::from(&img).luma_into(&mut ours);
        for (a, p) in ours.iter().zip(img.pixels()) {
            let [r, g, b] = p.0.map(f32::from);
            let reference = 0.299 * r + 0.587 * g + 0.114 * b;
            assert!((*a as f32 - reference).abs() <= 1.0);
        }
    }
}

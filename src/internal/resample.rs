//! Resampling to a working resolution.

/// Buffers [`resize_gray`] reuses from call to call: the column sums of
/// the input rows under one output row, and each output column's span.
#[derive(Debug, Clone, Default)]
pub(crate) struct ResizeScratch {
    columns: Vec<u32>,
    spans: Vec<(usize, usize)>,
}

impl ResizeScratch {
    /// Makes room for inputs up to `width` pixels wide resampled to at
    /// most `out_w` columns, so that no later call within those sizes
    /// allocates (a preview loop's crops vary from frame to frame).
    pub(crate) fn reserve(&mut self, width: usize, out_w: usize) {
        self.columns
            .reserve(width.saturating_sub(self.columns.len()));
        self.spans.reserve(out_w.saturating_sub(self.spans.len()));
    }
}

/// Resamples a grey image to `out_w` x `out_h` into `out`, with bilinear
/// interpolation when enlarging and box (area) averaging when shrinking, so
/// a downscaled print keeps its mean grey and loses no ridges to aliasing
/// beyond what the new sampling allows. `scratch` keeps a frame loop from
/// allocating.
#[allow(clippy::too_many_arguments)] // the image, its size and stride, the target size, two outputs
pub(crate) fn resize_gray(
    px: &[u8],
    width: usize,
    height: usize,
    stride: usize,
    out_w: usize,
    out_h: usize,
    out: &mut Vec<u8>,
    scratch: &mut ResizeScratch,
) {
    resize_gray_top(px, width, height, stride, out_w, out_h, out_h, out, scratch);
}

/// The first `rows` rows (at most `out_h`) of [`resize_gray`]'s
/// `out_w` x `out_h` result, the same bytes, into `out` (`out_w * rows`
/// long): for callers that read only the top of the image.
#[allow(clippy::too_many_arguments)] // resize_gray's, and the row count
pub(crate) fn resize_gray_top(
    px: &[u8],
    width: usize,
    height: usize,
    stride: usize,
    out_w: usize,
    out_h: usize,
    rows: usize,
    out: &mut Vec<u8>,
    scratch: &mut ResizeScratch,
) {
    let rows = rows.min(out_h);
    out.clear();
    out.resize(out_w * rows, 0);
    if width == 0 || height == 0 || out_w == 0 || out_h == 0 {
        return;
    }
    let sx = width as f32 / out_w as f32;
    let sy = height as f32 / out_h as f32;
    if sx > 1.0 || sy > 1.0 {
        // Area average: each output pixel averages the input pixels whose
        // centres fall in its footprint (at least one). The column spans
        // are computed once, and each output row first sums its input rows
        // column by column, so each input pixel is read once per output
        // row it falls in (the same integer sums as summing each footprint
        // directly, so the same result, in a fraction of the time).
        let ResizeScratch { columns, spans } = scratch;
        spans.clear();
        spans.extend((0..out_w).map(|ox| {
            let x0 = ((ox as f32 * sx) as usize).min(width - 1);
            let x1 = (((ox + 1) as f32 * sx).ceil() as usize).clamp(x0 + 1, width);
            (x0, x1)
        }));
        columns.clear();
        columns.resize(width, 0);
        for oy in 0..rows {
            let y0 = ((oy as f32 * sy) as usize).min(height - 1);
            let y1 = (((oy + 1) as f32 * sy).ceil() as usize).clamp(y0 + 1, height);
            columns.fill(0);
            for y in y0..y1 {
                for (c, &v) in columns.iter_mut().zip(&px[y * stride..y * stride + width]) {
                    *c += v as u32;
                }
            }
            let n_rows = (y1 - y0) as u32;
            for (o, &(x0, x1)) in out[oy * out_w..(oy + 1) * out_w]
                .iter_mut()
                .zip(spans.iter())
            {
                let acc: u32 = columns[x0..x1].iter().sum();
                let n = n_rows * (x1 - x0) as u32;
                *o = ((acc + n / 2) / n) as u8;
            }
        }
    } else {
        for oy in 0..rows {
            let fy = ((oy as f32 + 0.5) * sy - 0.5).max(0.0);
            let y0 = (fy as usize).min(height - 1);
            let y1 = (y0 + 1).min(height - 1);
            let ty = fy - y0 as f32;
            for ox in 0..out_w {
                let fx = ((ox as f32 + 0.5) * sx - 0.5).max(0.0);
                let x0 = (fx as usize).min(width - 1);
                let x1 = (x0 + 1).min(width - 1);
                let tx = fx - x0 as f32;
                let p = |x: usize, y: usize| px[y * stride + x] as f32;
                let top = p(x0, y0) * (1.0 - tx) + p(x1, y0) * tx;
                let bot = p(x0, y1) * (1.0 - tx) + p(x1, y1) * tx;
                out[oy * out_w + ox] =
                    (top * (1.0 - ty) + bot * ty).round().clamp(0.0, 255.0) as u8;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constant_stays_constant_both_ways() {
        let px = vec![77u8; 30 * 20];
        let mut out = Vec::new();
        resize_gray(
            &px,
            30,
            20,
            30,
            13,
            7,
            &mut out,
            &mut ResizeScratch::default(),
        );
        assert!(out.iter().all(|&v| v == 77));
        resize_gray(
            &px,
            30,
            20,
            30,
            61,
            45,
            &mut out,
            &mut ResizeScratch::default(),
        );
        assert!(out.iter().all(|&v| v == 77));
    }

    #[test]
    fn halving_averages_pairs() {
        let px = [0u8, 100, 200, 50];
        let mut out = Vec::new();
        resize_gray(&px, 4, 1, 4, 2, 1, &mut out, &mut ResizeScratch::default());
        assert_eq!(out, vec![50, 125]);
    }

    #[test]
    fn top_rows_are_the_whole_results_first_rows() {
        let px: Vec<u8> = (0..37 * 23).map(|i| ((i * 97) % 251) as u8).collect();
        let (mut whole, mut top) = (Vec::new(), Vec::new());
        let mut scratch = ResizeScratch::default();
        for (ow, oh) in [(13, 9), (25, 17), (50, 31)] {
            resize_gray(&px, 37, 23, 37, ow, oh, &mut whole, &mut scratch);
            for rows in [0, 1, 5, oh, oh + 3] {
                resize_gray_top(&px, 37, 23, 37, ow, oh, rows, &mut top, &mut scratch);
                assert_eq!(top[..], whole[..ow * rows.min(oh)]);
            }
        }
    }
}

//! Integral images for O(1) window sums, means and variances.

/// Summed-area tables of pixel values and of their squares, with one row and
/// one column of zeros in front so every window sum is four look-ups.
///
/// `u64` accumulators cannot overflow for any image the configs accept
/// (255² x 2^32 pixels < 2^64).
#[derive(Debug, Clone, Default)]
pub(crate) struct IntegralImage {
    width: usize,
    height: usize,
    sum: Vec<u64>,
    sq: Vec<u64>,
}

impl IntegralImage {
    /// Rebuilds the tables for `rows` (each `width` long), reusing storage.
    pub(crate) fn rebuild<'a>(
        &mut self,
        width: usize,
        height: usize,
        rows: impl Iterator<Item = &'a [u8]>,
    ) {
        let w1 = width + 1;
        self.width = width;
        self.height = height;
        self.sum.clear();
        self.sum.resize(w1 * (height + 1), 0);
        self.sq.clear();
        self.sq.resize(w1 * (height + 1), 0);
        for (y, row) in rows.take(height).enumerate() {
            let (mut run, mut run_sq) = (0u64, 0u64);
            let (prev, cur) = self.sum.split_at_mut((y + 1) * w1);
            let prev = &prev[y * w1..];
            let (prev_sq, cur_sq) = self.sq.split_at_mut((y + 1) * w1);
            let prev_sq = &prev_sq[y * w1..];
            for x in 0..width {
                let v = row[x] as u64;
                run += v;
                run_sq += v * v;
                cur[x + 1] = prev[x + 1] + run;
                cur_sq[x + 1] = prev_sq[x + 1] + run_sq;
            }
        }
    }

    /// Sum, sum of squares and pixel count of the window `[x0, x1) x [y0, y1)`,
    /// clipped to the image.
    pub(crate) fn window(&self, x0: usize, y0: usize, x1: usize, y1: usize) -> (u64, u64, u64) {
        let (x1, y1) = (x1.min(self.width), y1.min(self.height));
        if x0 >= x1 || y0 >= y1 {
            return (0, 0, 0);
        }
        let w1 = self.width + 1;
        let at = |t: &[u64], x: usize, y: usize| t[y * w1 + x];
        let s = at(&self.sum, x1, y1) + at(&self.sum, x0, y0)
            - at(&self.sum, x0, y1)
            - at(&self.sum, x1, y0);
        let q = at(&self.sq, x1, y1) + at(&self.sq, x0, y0)
            - at(&self.sq, x0, y1)
            - at(&self.sq, x1, y0);
        (s, q, ((x1 - x0) * (y1 - y0)) as u64)
    }

    /// Mean and variance of the window (variance in `f64`, never negative).
    pub(crate) fn mean_var(&self, x0: usize, y0: usize, x1: usize, y1: usize) -> (f64, f64) {
        let (s, q, n) = self.window(x0, y0, x1, y1);
        if n == 0 {
            return (0.0, 0.0);
        }
        let n = n as f64;
        let mean = s as f64 / n;
        ((mean), (q as f64 / n - mean * mean).max(0.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn window_reference(
        px: &[u8],
        w: usize,
        x0: usize,
        y0: usize,
        x1: usize,
        y1: usize,
    ) -> (u64, u64, u64) {
        let h = px.len() / w;
        let (mut s, mut q, mut n) = (0, 0, 0);
        for y in y0..y1.min(h) {
            for x in x0..x1.min(w) {
                let v = px[y * w + x] as u64;
                s += v;
                q += v * v;
                n += 1;
            }
        }
        (s, q, n)
    }

    proptest! {
        #[test]
        fn window_sums_match_reference(
            w in 1usize..20, h in 1usize..20, seed in any::<u64>(),
            x0 in 0usize..22, y0 in 0usize..22, dx in 0usize..22, dy in 0usize..22,
        ) {
            let px: Vec<u8> = (0..w * h)
                .map(|i| (seed.wrapping_mul(6364136223846793005).wrapping_add(i as u64 * 1442695040888963407) >> 56) as u8)
                .collect();
            let mut ii = IntegralImage::default();
            ii.rebuild(w, h, px.chunks_exact(w));
            prop_assert_eq!(ii.window(x0, y0, x0 + dx, y0 + dy), window_reference(&px, w, x0, y0, x0 + dx, y0 + dy));
        }
    }

    #[test]
    fn variance_of_constant_is_zero() {
        let px = [200u8; 64];
        let mut ii = IntegralImage::default();
        ii.rebuild(8, 8, px.chunks_exact(8));
        assert_eq!(ii.mean_var(0, 0, 8, 8), (200.0, 0.0));
    }
}

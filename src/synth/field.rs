//! A float image plane and the few filters the generator and the
//! degradations need (box blur, min/max filters, bilinear sampling, smooth
//! random fields). Borders are handled by clamping coordinates.

use image::GrayImage;

use super::rng::SplitMix64;

/// A row-major `f32` plane.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Field {
    pub(crate) w: usize,
    pub(crate) h: usize,
    pub(crate) data: Vec<f32>,
}

impl Field {
    /// A plane filled with `value`.
    pub(crate) fn filled(w: usize, h: usize, value: f32) -> Self {
        Self {
            w,
            h,
            data: vec![value; w * h],
        }
    }

    /// The grey levels of `img` as floats.
    pub(crate) fn from_gray(img: &GrayImage) -> Self {
        Self {
            w: img.width() as usize,
            h: img.height() as usize,
            data: img.as_raw().iter().map(|&v| f32::from(v)).collect(),
        }
    }

    /// Rounds and clamps to 8-bit grey.
    pub(crate) fn to_gray(&self) -> GrayImage {
        let raw: Vec<u8> = self.data.iter().map(|&v| to_u8(v)).collect();
        // The length always matches, so `from_raw` cannot fail; fall back to
        // an empty image rather than panic.
        GrayImage::from_raw(self.w as u32, self.h as u32, raw).unwrap_or_default()
    }

    /// Value at integer coordinates clamped into the plane.
    #[inline]
    pub(crate) fn at_clamped(&self, x: isize, y: isize) -> f32 {
        let xc = x.clamp(0, self.w as isize - 1) as usize;
        let yc = y.clamp(0, self.h as isize - 1) as usize;
        self.data[yc * self.w + xc]
    }

    /// Bilinear interpolation at a real position, coordinates clamped.
    #[inline]
    pub(crate) fn bilinear(&self, x: f32, y: f32) -> f32 {
        let xm = (self.w - 1) as f32;
        let ym = (self.h - 1) as f32;
        let x = x.clamp(0.0, xm);
        let y = y.clamp(0.0, ym);
        let x0 = x as usize;
        let y0 = y as usize;
        let x1 = (x0 + 1).min(self.w - 1);
        let y1 = (y0 + 1).min(self.h - 1);
        let fx = x - x0 as f32;
        let fy = y - y0 as f32;
        let r0 = &self.data[y0 * self.w..];
        let r1 = &self.data[y1 * self.w..];
        let top = r0[x0] + (r0[x1] - r0[x0]) * fx;
        let bot = r1[x0] + (r1[x1] - r1[x0]) * fx;
        top + (bot - top) * fy
    }

    /// Mean of all values (0 for an empty plane).
    pub(crate) fn mean(&self) -> f32 {
        if self.data.is_empty() {
            return 0.0;
        }
        (self.data.iter().map(|&v| f64::from(v)).sum::<f64>() / self.data.len() as f64) as f32
    }

    /// Standard deviation of all values (0 for an empty plane).
    pub(crate) fn std(&self) -> f32 {
        if self.data.is_empty() {
            return 0.0;
        }
        let m = f64::from(self.mean());
        let v = self
            .data
            .iter()
            .map(|&v| (f64::from(v) - m).powi(2))
            .sum::<f64>()
            / self.data.len() as f64;
        v.sqrt() as f32
    }

    /// Box (moving average) blur of radius `r` in both directions, with
    /// clamped borders. O(1) per pixel whatever the radius.
    pub(crate) fn box_blur(&self, r: usize) -> Field {
        if r == 0 || self.data.is_empty() {
            return self.clone();
        }
        let mut tmp = Field::filled(self.w, self.h, 0.0);
        let mut line = Vec::new();
        let mut out = Vec::new();
        for y in 0..self.h {
            line.clear();
            line.extend_from_slice(&self.data[y * self.w..(y + 1) * self.w]);
            box_1d(&line, r, &mut out);
            tmp.data[y * self.w..(y + 1) * self.w].copy_from_slice(&out);
        }
        let mut res = Field::filled(self.w, self.h, 0.0);
        for x in 0..self.w {
            line.clear();
            line.extend((0..self.h).map(|y| tmp.data[y * self.w + x]));
            box_1d(&line, r, &mut out);
            for (y, &v) in out.iter().enumerate() {
                res.data[y * self.w + x] = v;
            }
        }
        res
    }

    /// Three box blurs of radius `r`: a cheap, smooth approximation of a
    /// Gaussian blur with sigma about `r`.
    pub(crate) fn smooth(&self, r: usize) -> Field {
        self.box_blur(r).box_blur(r).box_blur(r)
    }

    /// Grey-level erosion (`min`) or dilation (`max`) over a square window of
    /// radius `r`, separable.
    pub(crate) fn rank_filter(&self, r: usize, max: bool) -> Field {
        if r == 0 || self.data.is_empty() {
            return self.clone();
        }
        let pick = |a: f32, b: f32| if max { a.max(b) } else { a.min(b) };
        let mut tmp = self.clone();
        for y in 0..self.h {
            let row = &self.data[y * self.w..(y + 1) * self.w];
            for x in 0..self.w {
                let lo = x.saturating_sub(r);
                let hi = (x + r).min(self.w - 1);
                tmp.data[y * self.w + x] = row[lo..=hi].iter().copied().fold(row[x], pick);
            }
        }
        let mut res = tmp.clone();
        for y in 0..self.h {
            let lo = y.saturating_sub(r);
            let hi = (y + r).min(self.h - 1);
            for x in 0..self.w {
                let mut acc = tmp.data[y * self.w + x];
                for yy in lo..=hi {
                    acc = pick(acc, tmp.data[yy * self.w + x]);
                }
                res.data[y * self.w + x] = acc;
            }
        }
        res
    }

    /// Grey-level erosion or dilation with a near-disc (octagonal) window of
    /// radius `r`: `r` passes of a 3x3 window, alternating square and cross
    /// shapes, so shapes grow round rather than square.
    pub(crate) fn rank_filter_disc(&self, r: usize, max: bool) -> Field {
        let mut out = self.clone();
        for k in 0..r {
            out = if k % 2 == 0 {
                out.rank_filter(1, max)
            } else {
                out.cross_filter(max)
            };
        }
        out
    }

    /// 3x3 cross-shaped (4-neighbour) min or max.
    fn cross_filter(&self, max: bool) -> Field {
        let pick = |a: f32, b: f32| if max { a.max(b) } else { a.min(b) };
        let mut out = self.clone();
        for y in 0..self.h as isize {
            for x in 0..self.w as isize {
                let mut acc = self.at_clamped(x, y);
                for (dx, dy) in [(-1, 0), (1, 0), (0, -1), (0, 1)] {
                    acc = pick(acc, self.at_clamped(x + dx, y + dy));
                }
                out.data[y as usize * self.w + x as usize] = acc;
            }
        }
        out
    }

    /// Near-disc rank filter with a fractional radius: blends the results at
    /// the two neighbouring integer radii, so the effect grows continuously
    /// (and monotonically) with the radius.
    pub(crate) fn rank_filter_frac(&self, radius: f32, max: bool) -> Field {
        let radius = radius.max(0.0);
        let r0 = radius.floor() as usize;
        let t = radius - r0 as f32;
        let a = self.rank_filter_disc(r0, max);
        if t <= 0.0 {
            return a;
        }
        let b = if r0.is_multiple_of(2) {
            a.rank_filter(1, max)
        } else {
            a.cross_filter(max)
        };
        let mut out = a;
        for (o, &bv) in out.data.iter_mut().zip(&b.data) {
            *o += (bv - *o) * t;
        }
        out
    }

    /// A smooth random field with zero mean and unit standard deviation whose
    /// correlation length is about `scale` pixels.
    pub(crate) fn smooth_noise(w: usize, h: usize, scale: f32, rng: &mut SplitMix64) -> Field {
        let mut f = Field::filled(w, h, 0.0);
        for v in &mut f.data {
            *v = rng.gaussian();
        }
        let r = (scale * 0.6).round().max(0.0) as usize;
        let mut s = if r > 0 { f.smooth(r) } else { f };
        let (m, sd) = (s.mean(), s.std());
        let inv = if sd > 1e-6 { 1.0 / sd } else { 0.0 };
        for v in &mut s.data {
            *v = (*v - m) * inv;
        }
        s
    }
}

/// Rounds and clamps a grey level to `u8` (NaN maps to 0).
#[inline]
pub(crate) fn to_u8(v: f32) -> u8 {
    if v.is_nan() {
        0
    } else {
        v.round().clamp(0.0, 255.0) as u8
    }
}

/// 1-D moving average of radius `r` with clamped borders, into `out`.
fn box_1d(src: &[f32], r: usize, out: &mut Vec<f32>) {
    let n = src.len();
    out.clear();
    if n == 0 {
        return;
    }
    let at = |i: isize| src[i.clamp(0, n as isize - 1) as usize];
    let r = r as isize;
    let norm = 1.0 / (2 * r + 1) as f32;
    // Sum in f64 so long runs do not drift.
    let mut acc: f64 = (-r..=r).map(|i| f64::from(at(i))).sum();
    for i in 0..n as isize {
        out.push(acc as f32 * norm);
        acc += f64::from(at(i + r + 1)) - f64::from(at(i - r));
    }
}

/// `smoothstep(e0, e1, x)`: 0 below `e0`, 1 above `e1`, a cubic in between.
#[inline]
pub(crate) fn smoothstep(e0: f32, e1: f32, x: f32) -> f32 {
    let t = ((x - e0) / (e1 - e0)).clamp(0.0, 1.0);
    t * t * (3.0 - 2.0 * t)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive_box(f: &Field, r: isize) -> Field {
        let mut out = f.clone();
        for y in 0..f.h as isize {
            for x in 0..f.w as isize {
                let mut s = 0.0;
                for dy in -r..=r {
                    for dx in -r..=r {
                        s += f.at_clamped(x + dx, y + dy);
                    }
                }
                out.data[y as usize * f.w + x as usize] = s / ((2 * r + 1) * (2 * r + 1)) as f32;
            }
        }
        out
    }

    fn naive_rank(f: &Field, r: isize, max: bool) -> Field {
        let mut out = f.clone();
        for y in 0..f.h as isize {
            for x in 0..f.w as isize {
                let mut acc = f.at_clamped(x, y);
                for dy in -r..=r {
                    for dx in -r..=r {
                        let v = f.at_clamped(x + dx, y + dy);
                        acc = if max { acc.max(v) } else { acc.min(v) };
                    }
                }
                out.data[y as usize * f.w + x as usize] = acc;
            }
        }
        out
    }

    fn random_field(w: usize, h: usize, seed: u64) -> Field {
        let mut rng = SplitMix64::new(seed);
        let mut f = Field::filled(w, h, 0.0);
        for v in &mut f.data {
            *v = rng.range(0.0, 255.0);
        }
        f
    }

    #[test]
    fn box_blur_matches_naive() {
        for (w, h, r) in [(7, 5, 1), (9, 11, 2), (1, 6, 3), (5, 1, 4)] {
            let f = random_field(w, h, (w * h + r) as u64);
            let a = f.box_blur(r);
            let b = naive_box(&f, r as isize);
            for (x, y) in a.data.iter().zip(&b.data) {
                assert!((x - y).abs() < 1e-3, "{x} vs {y}");
            }
        }
    }

    #[test]
    fn rank_filters_match_naive() {
        for (w, h, r) in [(8, 6, 1), (5, 9, 2), (1, 4, 1), (6, 1, 3)] {
            let f = random_field(w, h, 3 + r as u64);
            for max in [false, true] {
                assert_eq!(f.rank_filter(r, max), naive_rank(&f, r as isize, max));
            }
        }
    }

    #[test]
    fn bilinear_hits_grid_points_and_interpolates() {
        let f = Field {
            w: 2,
            h: 2,
            data: vec![0.0, 10.0, 20.0, 30.0],
        };
        assert_eq!(f.bilinear(1.0, 1.0), 30.0);
        assert!((f.bilinear(0.5, 0.5) - 15.0).abs() < 1e-5);
        assert_eq!(f.bilinear(-5.0, 9.0), 20.0);
    }

    #[test]
    fn smooth_noise_is_normalised() {
        let mut rng = SplitMix64::new(9);
        let n = Field::smooth_noise(64, 48, 6.0, &mut rng);
        assert!(n.mean().abs() < 1e-3);
        assert!((n.std() - 1.0).abs() < 1e-3);
    }
}

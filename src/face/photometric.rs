//! Photometric measures of the face and its background, each raw and
//! mapped to 0..100 the way BSI's OFIQ (the ISO/IEC 29794-5 reference
//! implementation) maps the corresponding measure.

use crate::internal::resample::{resize_gray, resize_gray_top, ResizeScratch};

use super::geometry::Framing;
use super::types::{EyePair, Point};

/// A measurement and its OFIQ-style quality score.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Measure {
    /// The raw value, in the unit its field documents.
    pub raw: f32,
    /// Quality 0..100 (higher is better), by OFIQ's mapping for the
    /// measure.
    pub score: f32,
}

/// Photometric measures of one face.
///
/// The face region is the rectangle from 0.9 IED left of the eye
/// mid-point to 0.9 IED right of it, and from 0.3 IED above the eye line
/// to 1.5 IED below it (brows to chin, cheek to cheek, little hair).
/// Luminance is linear-light Y (sRGB decoded, Rec. 709 weights) x 255, as
/// OFIQ computes it; grey input is taken as sRGB-encoded grey.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Photometric {
    /// Mean face luminance, 0..1. Score `100 S(m;0.2,0.05) (1 - S(m;0.8,0.05))`.
    pub luminance_mean: Measure,
    /// Variance of face luminance (of Y/255). Score `100 sin(pi 60v / (60v + 1))`.
    pub luminance_variance: Measure,
    /// Share of face pixels with luminance 0..=25 (of 255). Score
    /// `120 (0.832 - S(x;0.92,0.05))`.
    pub under_exposure: Measure,
    /// Share of face pixels with luminance 247..=255. Score `1 / (x + 0.01)`.
    pub over_exposure: Measure,
    /// Shannon entropy of the face luminance histogram, bits. Score `12.5 x`.
    pub dynamic_range: Measure,
    /// Sharpness: mean absolute Laplacian over mean gradient magnitude of
    /// the face resampled to 48 px IED (a contrast-free measure of how
    /// much fine detail survives: about 0.9 on a sharp portrait, under 0.5
    /// once defocus blur reaches a few percent of the IED). OFIQ uses a
    /// random forest here, whose mapping does not transfer; the score is
    /// `100 S(x;0.6,0.1)`.
    pub sharpness: Measure,
    /// Mean gradient magnitude of the background beside and above the
    /// head (grey levels per pixel, image resampled to 32 px IED).
    /// Score `190 (1 - S(32 x; 10, 100))` (OFIQ's mapping; the factor 32
    /// converts to the unnormalised Scharr gradient OFIQ averages).
    pub background_uniformity: Measure,
    /// Overlap (0..1) of the luminance histograms of the face's two halves
    /// below the eyes (0.1 to 0.65 IED either side of the centre line, 0.2
    /// to 1.0 IED below the eye line; 32 bins, smoothed with a 7-bin
    /// triangle); 1 when both sides are lit alike. Score `100 x^0.3`.
    pub illumination_uniformity: Measure,
    /// CIELAB (D65) distance of the cheeks' mean colour outside the box
    /// a* in 5..25, b* in 5..35 (0 for grey input). Score
    /// `200 (1 - S(x;0,10))`.
    pub natural_colour: Measure,
    /// The cheeks' mean CIELAB a* and b*.
    pub cheek_ab: [f32; 2],
    /// The face's shadow level: the 5th percentile of its luminance
    /// (linear light, 0..1), the grey of its darkest features (irises,
    /// lash lines, nostrils, the line between the lips). A face pushed
    /// towards white keeps neither them nor its mean far from a bright
    /// one's, and nothing clips, so neither the mean nor the clipped
    /// share tells it; its shadow level rises with it. Score
    /// `100 (1 - S(x;0.15,0.03))` (this crate's; OFIQ has no such
    /// measure).
    pub shadow_luminance: Measure,
}

/// OFIQ's sigmoid: `S(x; x0, w) = 1 / (1 + exp((x0 - x) / w))`.
fn sigmoid(x: f32, x0: f32, w: f32) -> f32 {
    1.0 / (1.0 + ((x0 - x) / w).exp())
}

fn score(v: f32) -> f32 {
    if v.is_finite() {
        v.round().clamp(0.0, 100.0)
    } else {
        0.0
    }
}

/// sRGB-encoded 8-bit value to linear light, 0..1 (IEC 61966-2-1).
fn srgb_to_linear(v: u8) -> f32 {
    let c = v as f32 / 255.0;
    if c <= 0.04045 {
        c / 12.92
    } else {
        ((c + 0.055) / 1.055).powf(2.4)
    }
}

/// The pixels being measured: RGB or grey, borrowed row by row.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Pixels<'a> {
    Rgb(crate::RgbView<'a>),
    Gray(crate::GrayView<'a>),
}

impl Pixels<'_> {
    pub(crate) fn width(&self) -> u32 {
        match self {
            Pixels::Rgb(v) => v.width(),
            Pixels::Gray(v) => v.width(),
        }
    }

    pub(crate) fn height(&self) -> u32 {
        match self {
            Pixels::Rgb(v) => v.height(),
            Pixels::Gray(v) => v.height(),
        }
    }

    fn is_gray(&self) -> bool {
        matches!(self, Pixels::Gray(_))
    }

    /// sRGB bytes of pixel (x, y), which must be inside the image.
    #[inline]
    fn rgb(&self, x: u32, y: u32) -> [u8; 3] {
        match self {
            Pixels::Rgb(v) => {
                let r = v.row(y);
                let i = 3 * x as usize;
                [r[i], r[i + 1], r[i + 2]]
            }
            Pixels::Gray(v) => {
                let g = v.row(y)[x as usize];
                [g, g, g]
            }
        }
    }
}

/// Reusable state for the photometric measures.
#[derive(Debug)]
pub(crate) struct PhotometricScratch {
    lin: [f32; 256],
    patch: Vec<u8>,
    small: Vec<u8>,
    resize: ResizeScratch,
    gx: Vec<f32>,
    gy: Vec<f32>,
    vsum: Vec<f32>,
}

impl Default for PhotometricScratch {
    fn default() -> Self {
        let mut lin = [0f32; 256];
        for (i, l) in lin.iter_mut().enumerate() {
            *l = srgb_to_linear(i as u8);
        }
        Self {
            lin,
            patch: Vec::new(),
            small: Vec::new(),
            resize: ResizeScratch::default(),
            gx: Vec::new(),
            gy: Vec::new(),
            vsum: Vec::new(),
        }
    }
}

impl PhotometricScratch {
    /// Gives every buffer room for a `width` x `height` frame: the face
    /// patch is at most [`MAX_PATCH_SIDE`] square and the background's
    /// resampled image at most the frame, so a face that appears in a
    /// later frame allocates nothing.
    pub(crate) fn reserve(&mut self, width: usize, height: usize) {
        fn room<T>(v: &mut Vec<T>, n: usize) {
            v.reserve(n.saturating_sub(v.len()));
        }
        let frame = width.saturating_mul(height);
        let patch = MAX_PATCH_SIDE * MAX_PATCH_SIDE;
        room(&mut self.patch, patch);
        room(&mut self.small, frame);
        room(&mut self.gx, frame.max(patch));
        room(&mut self.gy, frame.max(patch));
        room(&mut self.vsum, width.max(MAX_PATCH_SIDE));
        self.resize
            .reserve(width.max(MAX_PATCH_SIDE), width.max(MAX_PATCH_SIDE));
    }
}

/// The sharpness patch's longest side, px: a face resampled to 48 px IED
/// spans about 80 x 72 px, so this only binds on crops larger than a face.
const MAX_PATCH_SIDE: usize = 256;

/// Integer rectangle `[x0, x1) x [y0, y1)` clipped to the image.
#[derive(Debug, Clone, Copy)]
struct Rect {
    x0: u32,
    y0: u32,
    x1: u32,
    y1: u32,
}

impl Rect {
    fn clipped(x0: f32, y0: f32, x1: f32, y1: f32, w: u32, h: u32) -> Option<Rect> {
        let c = |v: f32, hi: u32| {
            if v.is_finite() {
                v.round().clamp(0.0, hi as f32) as u32
            } else {
                0
            }
        };
        let r = Rect {
            x0: c(x0, w),
            y0: c(y0, h),
            x1: c(x1, w),
            y1: c(y1, h),
        };
        (r.x1 > r.x0 && r.y1 > r.y0).then_some(r)
    }

    /// Sampling step that visits at most about `n` x `n` points.
    fn step(&self, n: u32) -> usize {
        (((self.x1 - self.x0).max(self.y1 - self.y0) / n).max(1)) as usize
    }
}

impl PhotometricScratch {
    /// Linear-light luminance x 255 of an sRGB pixel, rounded.
    #[inline]
    fn luminance(&self, p: [u8; 3]) -> u8 {
        let y = 0.2126 * self.lin[p[0] as usize]
            + 0.7152 * self.lin[p[1] as usize]
            + 0.0722 * self.lin[p[2] as usize];
        (y * 255.0).round().clamp(0.0, 255.0) as u8
    }

    /// Measures the face whose eyes are `eyes`. `luma` is the image's
    /// grey (gamma) plane, contiguous, used for sharpness and background.
    pub(crate) fn measure(
        &mut self,
        px: Pixels<'_>,
        luma: &[u8],
        eyes: &EyePair,
        framing: &Framing,
    ) -> Option<Photometric> {
        let (w, h) = (px.width(), px.height());
        let ied = framing.ied_px;
        if !(ied.is_finite() && ied >= 2.0) {
            return None;
        }
        let m = framing.eye_mid;
        let face = Rect::clipped(
            m.x - 0.9 * ied,
            m.y - 0.3 * ied,
            m.x + 0.9 * ied,
            m.y + 1.5 * ied,
            w,
            h,
        )?;

        // Luminance histogram of the face region (sampled on a grid of at
        // most ~96 x 96 points: the statistics settle long before that).
        let mut hist = [0u32; 256];
        let step = face.step(96);
        for y in (face.y0..face.y1).step_by(step) {
            for x in (face.x0..face.x1).step_by(step) {
                hist[self.luminance(px.rgb(x, y)) as usize] += 1;
            }
        }
        let n: u32 = hist.iter().sum();
        let nf = n.max(1) as f32;
        let (mut s, mut s2) = (0f64, 0f64);
        for (v, &c) in hist.iter().enumerate() {
            let y = v as f64 / 255.0;
            s += y * c as f64;
            s2 += y * y * c as f64;
        }
        let mean = (s / nf as f64) as f32;
        let var = ((s2 / nf as f64) - (mean as f64).powi(2)).max(0.0) as f32;
        let under = hist[..=25].iter().sum::<u32>() as f32 / nf;
        let over = hist[247..].iter().sum::<u32>() as f32 / nf;
        let shadow = {
            let target = (0.05 * nf).ceil() as u32;
            let mut seen = 0u32;
            let level = hist
                .iter()
                .position(|&c| {
                    seen += c;
                    seen >= target.max(1)
                })
                .unwrap_or(255);
            level as f32 / 255.0
        };
        let entropy = hist
            .iter()
            .filter(|&&c| c > 0)
            .map(|&c| {
                let p = c as f32 / nf;
                -p * p.log2()
            })
            .sum::<f32>();

        // Skin colour from the cheeks (OFIQ's zones): squares of side 0.3 IED whose top lies
        // halfway between the eye line and the mouth (about 1.1 IED below
        // the eyes); the image-left zone ends at the image-left eye's x,
        // the image-right zone starts at the image-right eye's x.
        let side = 0.3 * ied;
        let top = m.y + 0.55 * ied;
        let zones = [
            Rect::clipped(eyes.right.x - side, top, eyes.right.x, top + side, w, h),
            Rect::clipped(eyes.left.x, top, eyes.left.x + side, top + side, w, h),
        ];
        let mut lin_sum = [0f64; 3];
        let mut lin_n = 0u32;
        for z in zones.iter().flatten() {
            let step = z.step(48);
            for y in (z.y0..z.y1).step_by(step) {
                for x in (z.x0..z.x1).step_by(step) {
                    let p = px.rgb(x, y);
                    for c in 0..3 {
                        lin_sum[c] += self.lin[p[c] as usize] as f64;
                    }
                    lin_n += 1;
                }
            }
        }
        // Lighting: the two halves of the face below the eyes (cheek, side
        // of the nose, upper lip; 0.1 to 0.65 IED either side of the
        // centre line, 0.2 to 1.0 IED below the eye line). Half-faces hold
        // the spread of grey that the face's own relief gives under even
        // light, so their histograms overlap widely unless one side is
        // lit more; a cheek-sized square is nearly one grey and its
        // overlap collapses at the first few percent of difference.
        let halves = [
            Rect::clipped(
                m.x - 0.65 * ied,
                m.y + 0.2 * ied,
                m.x - 0.1 * ied,
                m.y + ied,
                w,
                h,
            ),
            Rect::clipped(
                m.x + 0.1 * ied,
                m.y + 0.2 * ied,
                m.x + 0.65 * ied,
                m.y + ied,
                w,
                h,
            ),
        ];
        let mut half_hist = [[0u32; 32]; 2];
        for (zone, hist) in halves.iter().zip(half_hist.iter_mut()) {
            let Some(z) = zone else { continue };
            let step = z.step(48);
            for y in (z.y0..z.y1).step_by(step) {
                for x in (z.x0..z.x1).step_by(step) {
                    hist[(self.luminance(px.rgb(x, y)) >> 3) as usize] += 1;
                }
            }
        }
        let overlap = histogram_overlap(
            &smooth_histogram(&half_hist[0]),
            &smooth_histogram(&half_hist[1]),
        );
        let (a, b) = if lin_n > 0 && !px.is_gray() {
            let lin = lin_sum.map(|v| (v / lin_n as f64) as f32);
            lab_ab(lin)
        } else {
            (0.0, 0.0)
        };
        let colour_distance = if px.is_gray() {
            0.0
        } else {
            let da = (5.0 - a).max(a - 25.0).max(0.0);
            let db = (5.0 - b).max(b - 35.0).max(0.0);
            da.hypot(db)
        };

        let sharp = self.sharpness(luma, w as usize, h as usize, m, ied);
        let bg = self.background(luma, w as usize, h as usize, framing);

        Some(Photometric {
            luminance_mean: Measure {
                raw: mean,
                score: score(100.0 * sigmoid(mean, 0.2, 0.05) * (1.0 - sigmoid(mean, 0.8, 0.05))),
            },
            luminance_variance: Measure {
                raw: var,
                score: score(
                    100.0 * (std::f32::consts::PI * 60.0 * var / (60.0 * var + 1.0)).sin(),
                ),
            },
            under_exposure: Measure {
                raw: under,
                score: score(120.0 * (0.832 - sigmoid(under, 0.92, 0.05))),
            },
            over_exposure: Measure {
                raw: over,
                score: score(1.0 / (over + 0.01)),
            },
            dynamic_range: Measure {
                raw: entropy,
                score: score(12.5 * entropy),
            },
            sharpness: Measure {
                raw: sharp,
                score: score(100.0 * sigmoid(sharp, 0.6, 0.1)),
            },
            background_uniformity: Measure {
                raw: bg,
                score: score(190.0 * (1.0 - sigmoid(32.0 * bg, 10.0, 100.0))),
            },
            illumination_uniformity: Measure {
                raw: overlap,
                score: score(100.0 * overlap.max(0.0).powf(0.3)),
            },
            natural_colour: Measure {
                raw: colour_distance,
                score: score(200.0 * (1.0 - sigmoid(colour_distance, 0.0, 10.0))),
            },
            cheek_ab: [a, b],
            shadow_luminance: Measure {
                raw: shadow,
                score: score(100.0 * (1.0 - sigmoid(shadow, 0.15, 0.03))),
            },
        })
    }

    /// Mean |Laplacian| over mean |gradient| of the face region resampled
    /// to 48 px IED.
    fn sharpness(&mut self, luma: &[u8], w: usize, h: usize, m: Point, ied: f32) -> f32 {
        let Some(r) = Rect::clipped(
            m.x - 0.8 * ied,
            m.y - 0.2 * ied,
            m.x + 0.8 * ied,
            m.y + 1.3 * ied,
            w as u32,
            h as u32,
        ) else {
            return 0.0;
        };
        let k = 48.0 / ied;
        let (rw, rh) = ((r.x1 - r.x0) as usize, (r.y1 - r.y0) as usize);
        let pw = ((rw as f32 * k).round() as usize).clamp(3, MAX_PATCH_SIDE);
        let ph = ((rh as f32 * k).round() as usize).clamp(3, MAX_PATCH_SIDE);
        let start = r.y0 as usize * w + r.x0 as usize;
        resize_gray(
            &luma[start..],
            rw,
            rh,
            w,
            pw,
            ph,
            &mut self.patch,
            &mut self.resize,
        );
        crate::internal::gradient::sobel_image(
            &self.patch,
            pw,
            ph,
            &mut self.vsum,
            &mut self.gx,
            &mut self.gy,
        );
        let (mut lap, mut grad) = (0f64, 0f64);
        let p = &self.patch;
        for y in 1..ph - 1 {
            for x in 1..pw - 1 {
                let c = p[y * pw + x] as i32;
                let l = p[y * pw + x - 1] as i32
                    + p[y * pw + x + 1] as i32
                    + p[(y - 1) * pw + x] as i32
                    + p[(y + 1) * pw + x] as i32
                    - 4 * c;
                lap += l.unsigned_abs() as f64;
                grad += (magnitude(self.gx[y * pw + x], self.gy[y * pw + x]) / 8.0) as f64;
            }
        }
        if grad <= 0.0 {
            0.0
        } else {
            (lap / grad) as f32
        }
    }

    /// Mean gradient magnitude (grey levels per pixel) of the background:
    /// image resampled to 32 px IED; pixels above the chin line and
    /// outside the head outline grown by 20%.
    fn background(&mut self, luma: &[u8], w: usize, h: usize, f: &Framing) -> f32 {
        let k = (32.0 / f.ied_px).min(1.0);
        let sw = ((w as f32 * k).round() as usize).max(1);
        let sh = ((h as f32 * k).round() as usize).max(1);
        let chin_y = f.chin.y * k;
        // Only rows down to the chin are read: resample those and one
        // more (the last one's Sobel neighbour), the same values as the
        // whole image's, in half the time on a small face.
        let rows = if chin_y.is_nan() {
            sh
        } else {
            (chin_y.max(-2.0).floor() as isize)
                .saturating_add(2)
                .clamp(0, sh as isize) as usize
        };
        resize_gray_top(
            luma,
            w,
            h,
            w,
            sw,
            sh,
            rows,
            &mut self.small,
            &mut self.resize,
        );
        crate::internal::gradient::sobel_image(
            &self.small,
            sw,
            rows,
            &mut self.vsum,
            &mut self.gx,
            &mut self.gy,
        );
        let c = f.chin.midpoint(f.crown);
        let (cx, cy) = (c.x * k, c.y * k);
        let a = 0.5 * f.head_width_px * k * 1.2;
        let b = 0.5 * f.head_length_px * k * 1.2;
        let (sin_r, cos_r) = f.roll_deg.to_radians().sin_cos();
        let (mut sum, mut n) = (0f64, 0u32);
        for y in 0..rows {
            let fy = y as f32;
            if fy > chin_y {
                break;
            }
            for x in 0..sw {
                let (dx, dy) = (x as f32 - cx, fy - cy);
                let u = dx * cos_r + dy * sin_r;
                let v = -dx * sin_r + dy * cos_r;
                if (u / a).powi(2) + (v / b).powi(2) <= 1.0 {
                    continue;
                }
                let i = y * sw + x;
                sum += (magnitude(self.gx[i], self.gy[i]) / 8.0) as f64;
                n += 1;
            }
        }
        if n == 0 {
            0.0
        } else {
            (sum / n as f64) as f32
        }
    }
}

/// Length of a Sobel gradient of 8-bit grey. Its components are whole
/// numbers of magnitude at most 1020, so the sum of squares is exact in
/// `f32` and its correctly rounded square root equals `hypot` (which
/// guards against overflow these values cannot reach), at a fraction of
/// the cost of the libm call.
#[inline]
fn magnitude(gx: f32, gy: f32) -> f32 {
    (gx * gx + gy * gy).sqrt()
}

/// A 32-bin histogram convolved with a 7-bin triangle (weights 1..4..1).
/// Cheek zones are small and often nearly uniform, so their raw
/// histograms are spikes that share no bin as soon as one cheek is a few
/// levels brighter; the triangle makes the overlap fall smoothly with the
/// brightness difference instead (two uniform cheeks 10 % apart in
/// luminance still overlap by about 0.5; 2:1 apart, not at all).
fn smooth_histogram(h: &[u32; 32]) -> [u32; 32] {
    const K: [u32; 7] = [1, 2, 3, 4, 3, 2, 1];
    let mut out = [0u32; 32];
    for (i, o) in out.iter_mut().enumerate() {
        for (j, k) in K.iter().enumerate() {
            if let Some(&v) = (i + j).checked_sub(3).and_then(|b| h.get(b)) {
                *o += k * v;
            }
        }
    }
    out
}

/// Overlap of two histograms after normalising each to sum 1 (0 when
/// either is empty).
fn histogram_overlap(a: &[u32], b: &[u32]) -> f32 {
    let (na, nb) = (a.iter().sum::<u32>(), b.iter().sum::<u32>());
    if na == 0 || nb == 0 {
        return 0.0;
    }
    a.iter()
        .zip(b)
        .map(|(&x, &y)| (x as f32 / na as f32).min(y as f32 / nb as f32))
        .sum()
}

/// CIELAB a*, b* (D65 white) of a linear sRGB colour.
fn lab_ab(lin: [f32; 3]) -> (f32, f32) {
    let [r, g, b] = lin;
    let x = 0.4124 * r + 0.3576 * g + 0.1805 * b;
    let y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    let z = 0.0193 * r + 0.1192 * g + 0.9505 * b;
    let f = |t: f32| {
        if t > 216.0 / 24389.0 {
            t.cbrt()
        } else {
            (24389.0 / 27.0 * t + 16.0) / 116.0
        }
    };
    let (fx, fy, fz) = (f(x / 0.95047), f(y), f(z / 1.08883));
    (500.0 * (fx - fy), 200.0 * (fy - fz))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn magnitude_equals_hypot_on_every_sobel_gradient() {
        for gx in -1020..=1020 {
            for gy in 0..=1020 {
                let (x, y) = (gx as f32, gy as f32);
                assert_eq!(magnitude(x, y), x.hypot(y), "{gx} {gy}");
            }
        }
    }

    #[test]
    fn ofiq_luminance_mapping_points() {
        let s = |m: f32| score(100.0 * sigmoid(m, 0.2, 0.05) * (1.0 - sigmoid(m, 0.8, 0.05)));
        assert_eq!(s(0.5), 100.0);
        assert_eq!(s(0.2), 50.0);
        assert_eq!(s(0.25), 73.0);
    }

    #[test]
    fn grey_has_no_chroma_and_skin_is_inside_the_box() {
        let (a, b) = lab_ab([0.5, 0.5, 0.5]);
        assert!(a.abs() < 0.1 && b.abs() < 0.1, "{a} {b}");
        // A typical light skin tone, sRGB (224, 172, 150).
        let (a, b) = lab_ab([
            srgb_to_linear(224),
            srgb_to_linear(172),
            srgb_to_linear(150),
        ]);
        assert!(
            (5.0..25.0).contains(&a) && (5.0..35.0).contains(&b),
            "{a} {b}"
        );
    }

    #[test]
    fn smoothed_spikes_overlap_by_their_distance() {
        let spike = |b: usize| {
            let mut h = [0u32; 32];
            h[b] = 10;
            h
        };
        let o =
            |a, b| histogram_overlap(&smooth_histogram(&spike(a)), &smooth_histogram(&spike(b)));
        assert_eq!(o(10, 10), 1.0);
        assert!(o(10, 11) > o(10, 12) && o(10, 12) > o(10, 13));
        assert_eq!(o(10, 17), 0.0);
    }

    #[test]
    fn overlap_is_one_for_equal_and_zero_for_disjoint() {
        assert_eq!(histogram_overlap(&[1, 2, 3], &[2, 4, 6]), 1.0);
        assert_eq!(histogram_overlap(&[1, 0], &[0, 1]), 0.0);
        assert_eq!(histogram_overlap(&[0, 0], &[0, 1]), 0.0);
    }
}

//! Eye-centre localisation inside a face box.
//!
//! Three steps, all on small resampled copies so the cost does not grow
//! with the photo:
//!
//! 1. The face's left-right symmetry axis in the eye band. The detector's
//!    box is often shifted sideways by a tenth of the IED or more (turned
//!    heads, hair, side light), and both eye windows inherit that shift; the
//!    axis where the band best matches its own mirror image is a better
//!    centre line.
//! 2. In a window around each eye's expected place, the point that most of
//!    the strong image gradients point away from (the eye is a dark region
//!    on brighter skin: Timm & Barth, "Accurate eye centre localisation by
//!    means of gradients", VISAPP 2011), weighted by how dark the point is.
//! 3. A few local maxima per window compete in pairs: the pair must be
//!    nearly level and its IED close to what the box implies, which keeps
//!    an eyebrow or a shadow in one window from winning.
//! 4. The winning pair is moved a fifth of the way sideways towards the
//!    mirror axis measured again, now centred on the pair's mid-point and
//!    on its eye line. The pair's shared sideways shift is the largest
//!    error left (the gradient centre slides along the eye opening towards
//!    a dark corner on turned or side-lit faces, both eyes alike); the
//!    axis alone is a worse centre line than the pair, but the two err
//!    differently and a small pull helps (CSU: within 0.05 IED 42.8% to
//!    52.0%, within 0.10 80.9% to 83.8%, on both halves of an odd/even
//!    subject split; pulls of 0.15 to 0.3 all help).

use crate::internal::resample::resize_gray;

use super::types::{EyePair, FaceBox, Point};

/// Where SeetaFace frontal boxes put the eye centres, as fractions of the
/// box side: the eye line lies `EYE_LINE_Y` of the side below the box top,
/// and each eye `EYE_HALF_SPAN` of the side left or right of the face's
/// centre line. Means over the 171 CSU frontal faces the detector finds
/// (eye line 0.371, half IED 0.195 of the side, labelled eyes).
pub(crate) const EYE_LINE_Y: f32 = 0.371;
pub(crate) const EYE_HALF_SPAN: f32 = 0.195;

/// Eye search window around each expected eye, half-width and half-height
/// as fractions of the box side (0.13 side is about a third of the IED).
/// Tall enough for the detector's vertical jitter (the eye line's spread
/// is 0.036 side) and 15 degrees of roll; narrow enough that the window
/// rarely holds both an eye and the dark hairline or temple beside it.
const WIN_HALF_W: f32 = 0.13;
const WIN_HALF_H: f32 = 0.13;

/// Working resolution of the eye windows: pixels per box side. At 100 the
/// IED spans about 39 px and the iris about 7 px, enough for the gradients
/// while the quadratic search stays at a few tens of microseconds.
const WORK_PER_SIDE: f32 = 100.0;

/// Symmetry band: half-width and half-height around the expected eye line,
/// as fractions of the box side; it covers both eyes and their outer
/// corners but stops short of the ears.
const BAND_HALF_W: f32 = 0.45;
const BAND_HALF_H: f32 = 0.12;
/// Working resolution of the band, pixels per box side (IED about 23 px:
/// the axis needs the eyes' layout, not their detail).
const BAND_PER_SIDE: f32 = 60.0;
/// The band is high-passed by subtracting each row's running mean over
/// this half-width (fraction of the side), so side lighting, which makes
/// one half of the face darker, does not decide the axis.
const BAND_HIGHPASS: f32 = 0.2;
/// How far from the box centre the axis is searched (0.06 side, about
/// 0.15 IED: the eye mid-point's spread about the box centre is 0.1 IED;
/// wider lets a dark hairline or collar win on busy faces), and how far
/// out from it the mirror pairs reach (fractions of the side).
const AXIS_RANGE: f32 = 0.06;
const AXIS_REACH: f32 = 0.3;
/// The second axis search, around the found pair's mid-point, reaches
/// further (0.1 side, about a quarter IED): the pair's eye line puts the
/// band where the eyes are, so a wider range no longer finds the hairline
/// (0.06 gives 50.9% within 0.05 IED, 0.12 the same as 0.1, 0.2 worse).
const REFINE_AXIS_RANGE: f32 = 0.1;
/// How far the pair moves towards that axis (fraction of the gap).
const AXIS_PULL: f32 = 0.2;

/// How many local maxima of each eye's objective compete in the pairing.
const CANDIDATES: usize = 5;

/// Pairing spreads: the eye line's slope (15 degrees of roll costs a
/// factor of about 4) and the relative deviation of the IED from the
/// box's prior (its spread over the CSU faces is 0.08).
const TILT_SD: f32 = 0.15;
const IED_SD: f32 = 0.12;

/// A possible eye centre with its objective value.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    at: Point,
    value: f32,
}

/// A strong gradient: position and unit direction, in working pixels.
#[derive(Debug, Clone, Copy)]
struct Edge {
    x: f32,
    y: f32,
    gx: f32,
    gy: f32,
}

/// Reusable buffers for eye localisation.
#[derive(Debug, Default)]
pub(crate) struct EyeLocator {
    raw: Vec<u8>,
    grey: Vec<f32>,
    tmp: Vec<f32>,
    gx: Vec<f32>,
    gy: Vec<f32>,
    edges: Vec<Edge>,
    objective: Vec<f32>,
    found: [Vec<Candidate>; 2],
}

impl EyeLocator {
    /// Locates both eye centres of the face in `face_box`, in the grey
    /// image `px` (`width` x `height`, contiguous rows). `None` when the
    /// box leaves too little of the face inside the image.
    pub(crate) fn locate(
        &mut self,
        px: &[u8],
        width: usize,
        height: usize,
        face_box: &FaceBox,
    ) -> Option<EyePair> {
        let side = face_box.width.min(face_box.height);
        if !(side.is_finite() && side >= 4.0) || px.len() < width * height {
            return None;
        }
        let ey = face_box.y + EYE_LINE_Y * side;
        let axis = self
            .axis(
                px,
                width,
                height,
                Point::new(face_box.center().x, ey),
                side,
                AXIS_RANGE,
            )
            .unwrap_or(face_box.center().x);
        let priors = [
            Point::new(axis - EYE_HALF_SPAN * side, ey),
            Point::new(axis + EYE_HALF_SPAN * side, ey),
        ];
        for (slot, prior) in priors.into_iter().enumerate() {
            let mut found = std::mem::take(&mut self.found[slot]);
            self.search(px, width, height, prior, side, &mut found);
            self.found[slot] = found;
        }
        // Candidates compete in pairs: similar strength (relative to each
        // window's best), nearly level, IED close to the box's prior.
        let ied_prior = 2.0 * EYE_HALF_SPAN * side;
        let top = |f: &[Candidate]| f.first().map_or(1.0, |c| c.value);
        let (top_a, top_b) = (top(&self.found[0]), top(&self.found[1]));
        let mut best: Option<(f32, Point, Point)> = None;
        for a in &self.found[0] {
            for b in &self.found[1] {
                let ied = a.at.distance(b.at);
                let tilt = (b.at.y - a.at.y) / ied.max(1.0) / TILT_SD;
                let spread = (ied / ied_prior - 1.0) / IED_SD;
                let geo = (-0.5 * (tilt * tilt + spread * spread)).exp();
                let v = (a.value / top_a) * (b.value / top_b) * geo;
                if best.is_none_or(|(bv, _, _)| v > bv) {
                    best = Some((v, a.at, b.at));
                }
            }
        }
        let (_, mut a, mut b) = best?;
        let mid = Point::new(0.5 * (a.x + b.x), 0.5 * (a.y + b.y));
        if let Some(x) = self.axis(px, width, height, mid, side, REFINE_AXIS_RANGE) {
            let shift = AXIS_PULL * (x - mid.x);
            a.x += shift;
            b.x += shift;
        }
        Some(EyePair::from_points(a, b))
    }

    /// The x of the face's mirror axis in the band around the eye line
    /// through `centre`, searched within `range` (fraction of `side`) of
    /// `centre.x`; `None` when the band is mostly outside the image.
    fn axis(
        &mut self,
        px: &[u8],
        width: usize,
        height: usize,
        centre: Point,
        side: f32,
        range: f32,
    ) -> Option<f32> {
        let (cx, ey) = (centre.x, centre.y);
        let (hw, hh) = (BAND_HALF_W * side, BAND_HALF_H * side);
        let x0 = (cx - hw).floor().max(0.0) as usize;
        let y0 = (ey - hh).floor().max(0.0) as usize;
        let x1 = ((cx + hw).ceil().max(0.0) as usize).min(width);
        let y1 = ((ey + hh).ceil().max(0.0) as usize).min(height);
        if x1 < x0 + 8 || y1 < y0 + 4 || !cx.is_finite() {
            return None;
        }
        let (cw, ch) = (x1 - x0, y1 - y0);
        let scale = BAND_PER_SIDE / side;
        let ww = ((cw as f32 * scale).round() as usize).clamp(8, 256);
        let wh = ((ch as f32 * scale).round() as usize).clamp(4, 128);
        let sx = cw as f32 / ww as f32;
        resize_gray(&px[y0 * width + x0..], cw, ch, width, ww, wh, &mut self.raw);
        self.grey.clear();
        self.grey.extend(self.raw.iter().map(|&v| v as f32));
        blur121(&mut self.grey, ww, wh, &mut self.tmp);
        // Row-wise high pass (tmp holds the result).
        let hr = ((BAND_HIGHPASS * BAND_PER_SIDE).round() as usize).max(1);
        self.tmp.clear();
        for row in self.grey.chunks_exact(ww) {
            for x in 0..ww {
                let (a, b) = (x.saturating_sub(hr), (x + hr + 1).min(ww));
                let mean = row[a..b].iter().sum::<f32>() / (b - a) as f32;
                self.tmp.push(row[x] - mean);
            }
        }
        let f = &self.tmp;
        // Candidate axes on a half-pixel grid: k is twice the working x.
        // A pair of columns (k - j)/2 and (k + j)/2 mirrors about k/2 when j
        // has k's parity.
        let centre2 = (2.0 * ((cx + 0.5 - x0 as f32) / sx - 0.5)).round() as isize;
        let range2 = (2.0 * range * BAND_PER_SIDE).round() as isize;
        let reach2 = (2.0 * AXIS_REACH * BAND_PER_SIDE).round() as isize;
        let mut best: Option<(f32, isize)> = None;
        for k in centre2 - range2..=centre2 + range2 {
            let (mut acc, mut n) = (0f32, 0usize);
            let mut j = if k.rem_euclid(2) == 0 { 2 } else { 1 };
            while j <= reach2 {
                let (xl, xr) = ((k - j) / 2, (k + j) / 2);
                if xl >= 0 && (xr as usize) < ww {
                    let (xl, xr) = (xl as usize, xr as usize);
                    for row in f.chunks_exact(ww) {
                        acc += (row[xl] - row[xr]).abs();
                    }
                    n += wh;
                }
                j += 2;
            }
            // An axis that mirrors only a sliver of the band (the band cut
            // by the image edge) is no evidence.
            if n * 4 < (reach2 as usize / 2).max(1) * wh {
                continue;
            }
            let cost = acc / n as f32;
            if best.is_none_or(|(bc, _)| cost < bc) {
                best = Some((cost, k));
            }
        }
        let (_, k) = best?;
        Some(x0 as f32 + (k as f32 * 0.5 + 0.5) * sx - 0.5)
    }

    /// Fills `found` with the best eye-centre candidates in the window
    /// around `centre` (box side `side`), strongest first (empty when the
    /// window holds no usable gradients).
    fn search(
        &mut self,
        px: &[u8],
        width: usize,
        height: usize,
        centre: Point,
        side: f32,
        found: &mut Vec<Candidate>,
    ) {
        found.clear();
        let (half_w, half_h) = (WIN_HALF_W * side, WIN_HALF_H * side);
        if !centre.is_finite() {
            return;
        }
        // Integer crop, clipped to the image.
        let x0 = (centre.x - half_w).floor().max(0.0) as usize;
        let y0 = (centre.y - half_h).floor().max(0.0) as usize;
        let x1 = ((centre.x + half_w).ceil().max(0.0) as usize).min(width);
        let y1 = ((centre.y + half_h).ceil().max(0.0) as usize).min(height);
        if x1 < x0 + 3 || y1 < y0 + 3 {
            return;
        }
        let (cw, ch) = (x1 - x0, y1 - y0);
        let scale = WORK_PER_SIDE / side;
        let ww = ((cw as f32 * scale).round() as usize).clamp(8, 64);
        let wh = ((ch as f32 * scale).round() as usize).clamp(8, 64);
        let (sx, sy) = (cw as f32 / ww as f32, ch as f32 / wh as f32);
        resize_gray(&px[y0 * width + x0..], cw, ch, width, ww, wh, &mut self.raw);
        self.grey.clear();
        self.grey.extend(self.raw.iter().map(|&v| v as f32));
        // One binomial pass: gradients from eyelashes, halftone dots and
        // skin pores are noise at this scale.
        blur121(&mut self.grey, ww, wh, &mut self.tmp);
        let g = &self.grey;

        // Sobel gradients of the interior, and their magnitude statistics.
        self.gx.clear();
        self.gx.resize(ww * wh, 0.0);
        self.gy.clear();
        self.gy.resize(ww * wh, 0.0);
        let (mut sum, mut sq) = (0f64, 0f64);
        for y in 1..wh - 1 {
            for x in 1..ww - 1 {
                let p = |dx: usize, dy: usize| g[(y + dy - 1) * ww + x + dx - 1];
                let gx = (p(2, 0) + 2.0 * p(2, 1) + p(2, 2)) - (p(0, 0) + 2.0 * p(0, 1) + p(0, 2));
                let gy = (p(0, 2) + 2.0 * p(1, 2) + p(2, 2)) - (p(0, 0) + 2.0 * p(1, 0) + p(2, 0));
                self.gx[y * ww + x] = gx;
                self.gy[y * ww + x] = gy;
                let m = gx.hypot(gy) as f64;
                sum += m;
                sq += m * m;
            }
        }
        let n = ((ww - 2) * (wh - 2)) as f64;
        let mean = sum / n;
        let sd = (sq / n - mean * mean).max(0.0).sqrt();
        // Keep the strong gradients: above mean + 1 sd of the magnitude.
        // Timm & Barth use mean + 0.3 sd; on soft, small faces the weaker
        // gradients are skin shading and eyebrow fringes that pull the
        // centre away from the eye.
        let thresh = (mean + sd) as f32;
        self.edges.clear();
        for y in 1..wh - 1 {
            for x in 1..ww - 1 {
                let (gx, gy) = (self.gx[y * ww + x], self.gy[y * ww + x]);
                let m = gx.hypot(gy);
                if m > thresh && m > 0.0 {
                    self.edges.push(Edge {
                        x: x as f32,
                        y: y as f32,
                        gx: gx / m,
                        gy: gy / m,
                    });
                }
            }
        }
        if self.edges.is_empty() {
            return;
        }

        // Candidates: not on the two-pixel rim (a maximum there is an
        // eyebrow or hair edge half outside the window), and only points
        // darker than the window's mean (the eye is dark), which also
        // halves the work.
        let (mut lo, mut hi, mut total) = (f32::MAX, f32::MIN, 0f32);
        for &v in g {
            lo = lo.min(v);
            hi = hi.max(v);
            total += v;
        }
        let mean_grey = total / (ww * wh) as f32;
        let range = (hi - lo).max(1.0);
        // A mild preference for the window centre (sd half the window):
        // it breaks ties between an eye and a shadow of similar shape.
        let (pcx, pcy) = ((ww as f32 - 1.0) * 0.5, (wh as f32 - 1.0) * 0.5);
        let inv_x = 1.0 / (2.0 * (0.5 * ww as f32).powi(2));
        let inv_y = 1.0 / (2.0 * (0.5 * wh as f32).powi(2));
        let margin = 2;
        self.objective.clear();
        self.objective.resize(ww * wh, 0.0);
        for cy in margin..wh - margin {
            for cx in margin..ww - margin {
                let v = g[cy * ww + cx];
                if v > mean_grey {
                    continue;
                }
                let (fx, fy) = (cx as f32, cy as f32);
                let mut acc = 0f32;
                for e in &self.edges {
                    let dx = e.x - fx;
                    let dy = e.y - fy;
                    let d2 = dx * dx + dy * dy;
                    let dot = dx * e.gx + dy * e.gy;
                    if dot > 0.0 && d2 > 0.0 {
                        acc += dot * dot / d2;
                    }
                }
                // Darkness enters linearly: squared, it favoured the dark
                // temple or hairline beside the eye on side-lit faces.
                let darkness = (hi - v) / range;
                let prior = (-(fx - pcx).powi(2) * inv_x - (fy - pcy).powi(2) * inv_y).exp();
                self.objective[cy * ww + cx] = acc * darkness * prior;
            }
        }
        // Local maxima (3x3), strongest first.
        for cy in margin..wh - margin {
            for cx in margin..ww - margin {
                let v = self.objective[cy * ww + cx];
                if v <= 0.0 {
                    continue;
                }
                let is_peak = (cy - 1..=cy + 1).all(|y| {
                    (cx - 1..=cx + 1).all(|x| {
                        let o = self.objective[y * ww + x];
                        o < v || (o == v && (y, x) >= (cy, cx))
                    })
                });
                if is_peak {
                    let (fx, fy) = self.subpixel(cx, cy, ww);
                    // Working pixel centres back to image pixels.
                    let at = Point::new(
                        x0 as f32 + (fx + 0.5) * sx - 0.5,
                        y0 as f32 + (fy + 0.5) * sy - 0.5,
                    );
                    found.push(Candidate { at, value: v });
                }
            }
        }
        found.sort_by(|a, b| b.value.total_cmp(&a.value).then(a.at.x.total_cmp(&b.at.x)));
        found.truncate(CANDIDATES);
    }

    /// Centroid of the objective in the 3x3 around an interior peak, in
    /// working pixels.
    fn subpixel(&self, bx: usize, by: usize, ww: usize) -> (f32, f32) {
        let (mut sw, mut sxw, mut syw) = (0f32, 0f32, 0f32);
        for y in by - 1..=by + 1 {
            for x in bx - 1..=bx + 1 {
                let v = self.objective[y * ww + x];
                sw += v;
                sxw += v * x as f32;
                syw += v * y as f32;
            }
        }
        if sw > 0.0 {
            (sxw / sw, syw / sw)
        } else {
            (bx as f32, by as f32)
        }
    }
}

/// Separable 1-2-1 blur of a `w` x `h` image in place, replicated borders;
/// `tmp` is scratch.
fn blur121(g: &mut [f32], w: usize, h: usize, tmp: &mut Vec<f32>) {
    tmp.clear();
    tmp.resize(w * h, 0.0);
    if w == 0 || h == 0 || g.len() < w * h {
        return;
    }
    for (row, out) in g.chunks_exact(w).zip(tmp.chunks_exact_mut(w)) {
        for x in 0..w {
            let (l, r) = (x.saturating_sub(1), (x + 1).min(w - 1));
            out[x] = 0.25 * (row[l] + 2.0 * row[x] + row[r]);
        }
    }
    for y in 0..h {
        let (u, d) = (y.saturating_sub(1), (y + 1).min(h - 1));
        for x in 0..w {
            g[y * w + x] = 0.25 * (tmp[u * w + x] + 2.0 * tmp[y * w + x] + tmp[d * w + x]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A bright image with two dark discs ("pupils") at known places.
    fn two_discs(w: usize, h: usize, a: Point, b: Point, r: f32) -> Vec<u8> {
        let mut px = vec![200u8; w * h];
        for y in 0..h {
            for x in 0..w {
                let p = Point::new(x as f32, y as f32);
                if p.distance(a) <= r || p.distance(b) <= r {
                    px[y * w + x] = 30;
                }
            }
        }
        px
    }

    #[test]
    fn finds_dark_discs_near_the_priors() {
        let (w, h) = (200, 200);
        let fb = FaceBox {
            x: 50.0,
            y: 40.0,
            width: 100.0,
            height: 100.0,
        };
        // True eyes a few pixels off the priors (about 80.5/119.5, 77).
        let (r_eye, l_eye) = (Point::new(84.0, 79.0), Point::new(116.0, 74.0));
        let px = two_discs(w, h, r_eye, l_eye, 4.0);
        let eyes = EyeLocator::default().locate(&px, w, h, &fb).unwrap();
        assert!(eyes.left.distance(l_eye) < 1.5, "{eyes:?}");
        assert!(eyes.right.distance(r_eye) < 1.5, "{eyes:?}");
    }

    #[test]
    fn follows_a_face_shifted_in_its_box() {
        // The same pair of discs 6 px right of where the box expects the
        // eyes: the symmetry axis moves the windows with them.
        let (w, h) = (200, 200);
        let fb = FaceBox {
            x: 50.0,
            y: 40.0,
            width: 100.0,
            height: 100.0,
        };
        let (r_eye, l_eye) = (Point::new(86.5, 77.0), Point::new(125.5, 77.0));
        let px = two_discs(w, h, r_eye, l_eye, 4.0);
        let eyes = EyeLocator::default().locate(&px, w, h, &fb).unwrap();
        assert!(eyes.left.distance(l_eye) < 1.5, "{eyes:?}");
        assert!(eyes.right.distance(r_eye) < 1.5, "{eyes:?}");
    }

    #[test]
    fn box_outside_the_image_is_none_not_a_panic() {
        let px = vec![128u8; 50 * 40];
        let fb = FaceBox {
            x: 400.0,
            y: -300.0,
            width: 100.0,
            height: 100.0,
        };
        assert!(EyeLocator::default().locate(&px, 50, 40, &fb).is_none());
        let nan = FaceBox { x: f32::NAN, ..fb };
        assert!(EyeLocator::default().locate(&px, 50, 40, &nan).is_none());
    }

    #[test]
    fn blur_keeps_constant() {
        let mut px = vec![90.0f32; 12];
        let mut tmp = Vec::new();
        blur121(&mut px, 4, 3, &mut tmp);
        assert!(px.iter().all(|&v| (v - 90.0).abs() < 1e-4));
    }
}

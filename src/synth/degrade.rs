//! Capture degradations: pure functions that damage any grey image, real or
//! synthetic, the way a capture goes wrong.
//!
//! Every function takes the image by reference and returns a new one of the
//! same size. `severity` runs from 0 (the input, unchanged, byte for byte)
//! to 1 (extreme); values above 1 count as 1, below 0 or NaN as 0. Functions
//! that draw random shapes take a `seed` and give the same bytes for the same
//! arguments. Empty images come back empty. None of them panics.
//!
//! The effects are modelled on the physics of the capture, not on any
//! detector, and work on real prints as well as synthetic ones: where a
//! function needs to know where the finger touched, it estimates the contact
//! area from local contrast (ridge texture) and the platen level from the
//! brightest grey levels, so it expects the optical convention of dark
//! ridges on a light platen.
//!
//! | function | simulates |
//! |---|---|
//! | [`contrast`] | weak illumination or gain: grey levels squashed towards the mean |
//! | [`noise`] | sensor noise: additive Gaussian |
//! | [`shift`] | partial placement: the finger off to one side, part of it off the sensor |
//! | [`blank`] | an empty platen: the print fades into a near-uniform noisy image |
//! | [`wet`] | a sweaty finger: ridges spread and merge, valleys fill, dark pools |
//! | [`dry`] | a dry finger: thin, broken ridges, patchy contact, light and faint |
//! | [`smear`] | a smudge: ridge structure wiped out in a region of the contact |
//! | [`motion_blur`] | a finger sliding during the exposure |
//! | [`residue`] | a latent print of an earlier finger left on the platen |
//!
//! [`Degradation`] names them all for evaluation loops.

use image::GrayImage;

use super::field::{smoothstep, Field};
use super::rng::SplitMix64;
use super::{FingerprintSpec, PatternClass};

/// Clamps a severity into `0..=1`; NaN counts as 0.
fn clamp_severity(severity: f32) -> f32 {
    if severity.is_nan() {
        0.0
    } else {
        severity.clamp(0.0, 1.0)
    }
}

/// The empty platen's grey level and noise: median and standard deviation
/// of the pixels without ridge texture. When under 1 % of the image is such
/// background (a print that fills the frame), the 97th percentile grey level
/// and a noise of 2 grey levels stand in.
fn platen(f: &Field, fg: &Field) -> (f32, f32) {
    let bg: Vec<u8> = f
        .data
        .iter()
        .zip(&fg.data)
        .filter(|(_, &m)| m < 0.02)
        .map(|(&v, _)| super::field::to_u8(v))
        .collect();
    if bg.len() * 100 < f.data.len() || bg.is_empty() {
        let all: Vec<u8> = f.data.iter().map(|&v| super::field::to_u8(v)).collect();
        return (percentile(&all, 0.97), 2.0);
    }
    let level = percentile(&bg, 0.5);
    let var = bg
        .iter()
        .map(|&v| (f32::from(v) - level).powi(2))
        .sum::<f32>()
        / bg.len() as f32;
    (level, var.sqrt().clamp(0.5, 8.0))
}

fn percentile(values: &[u8], q: f32) -> f32 {
    if values.is_empty() {
        return 0.0;
    }
    let mut hist = [0usize; 256];
    for &v in values {
        hist[v as usize] += 1;
    }
    let target = ((values.len() - 1) as f32 * q).round() as usize;
    let mut seen = 0;
    for (level, &n) in hist.iter().enumerate() {
        seen += n;
        if seen > target {
            return level as f32;
        }
    }
    255.0
}

/// Soft estimate of where a finger touches, in `[0, 1]`: local standard
/// deviation (ridge texture) over a window a little larger than a ridge
/// period, relative to the strongest texture in the image, smoothed.
fn contact_estimate(f: &Field) -> Field {
    let r = 6;
    let mean = f.box_blur(r);
    let mut sq = f.clone();
    for v in &mut sq.data {
        *v *= *v;
    }
    let mean_sq = sq.box_blur(r);
    let mut sd = mean.clone();
    for (s, (&m, &m2)) in sd.data.iter_mut().zip(mean.data.iter().zip(&mean_sq.data)) {
        *s = (m2 - m * m).max(0.0).sqrt();
    }
    let mut sorted: Vec<f32> = sd.data.clone();
    sorted.sort_by(f32::total_cmp);
    let strong = sorted
        .get(((sorted.len() as f32 - 1.0) * 0.95) as usize)
        .copied()
        .unwrap_or(0.0);
    // Below ~6 grey levels of texture there is no print to speak of.
    let t = (0.3 * strong).max(6.0);
    for v in &mut sd.data {
        *v = smoothstep(0.5 * t, t, *v);
    }
    let mut m = sd.smooth(3);
    for v in &mut m.data {
        *v = smoothstep(0.2, 0.7, *v);
    }
    m
}

/// `out = f + weight * (target - f)`, pixel by pixel.
fn blend_into(f: &mut Field, target: &Field, weight: &Field) {
    for ((v, &t), &w) in f.data.iter_mut().zip(&target.data).zip(&weight.data) {
        *v += w * (t - *v);
    }
}

/// Grey-level contrast loss: every pixel is pulled towards the image mean.
///
/// ```text
/// out = mean + (1 - 0.9 * severity) * (in - mean)
/// ```
///
/// Severity 1 keeps a tenth of the contrast. Simulates weak illumination,
/// low sensor gain or a very light touch that still covers the platen.
///
/// # Panics
///
/// Never.
#[must_use]
pub fn contrast(img: &GrayImage, severity: f32) -> GrayImage {
    let s = clamp_severity(severity);
    if s == 0.0 || img.as_raw().is_empty() {
        return img.clone();
    }
    let mut f = Field::from_gray(img);
    let m = f.mean();
    let k = 1.0 - 0.9 * s;
    for v in &mut f.data {
        *v = m + k * (*v - m);
    }
    f.to_gray()
}

/// Additive Gaussian sensor noise with standard deviation `50 * severity`
/// grey levels (clipped to 0..=255).
///
/// # Panics
///
/// Never.
#[must_use]
pub fn noise(img: &GrayImage, severity: f32, seed: u64) -> GrayImage {
    let s = clamp_severity(severity);
    if s == 0.0 || img.as_raw().is_empty() {
        return img.clone();
    }
    let mut rng = SplitMix64::new(seed);
    let sigma = 50.0 * s;
    let mut f = Field::from_gray(img);
    for v in &mut f.data {
        *v += sigma * rng.gaussian();
    }
    f.to_gray()
}

/// Partial placement: the image content moves by `0.6 * severity` of the
/// image size in the direction `angle_degrees` (0 = right, 90 = down), so
/// part of the print leaves the sensor; the uncovered strip shows the empty
/// platen (the image's own platen grey level and noise, estimated from the
/// pixels without ridge texture).
///
/// A non-finite angle counts as 0.
///
/// # Panics
///
/// Never.
#[must_use]
pub fn shift(img: &GrayImage, severity: f32, angle_degrees: f32, seed: u64) -> GrayImage {
    let s = clamp_severity(severity);
    if s == 0.0 || img.as_raw().is_empty() {
        return img.clone();
    }
    let a = if angle_degrees.is_finite() {
        angle_degrees.to_radians()
    } else {
        0.0
    };
    let (w, h) = (img.width() as usize, img.height() as usize);
    let dx = (0.6 * s * w as f32 * a.cos()).round() as isize;
    let dy = (0.6 * s * h as f32 * a.sin()).round() as isize;
    let src_f = Field::from_gray(img);
    let (level, sigma) = platen(&src_f, &contact_estimate(&src_f));
    let mut rng = SplitMix64::new(seed);
    let src = img.as_raw();
    let mut f = Field::filled(w, h, level);
    for y in 0..h {
        for x in 0..w {
            let (sx, sy) = (x as isize - dx, y as isize - dy);
            let i = y * w + x;
            if sx >= 0 && sy >= 0 && (sx as usize) < w && (sy as usize) < h {
                f.data[i] = f32::from(src[sy as usize * w + sx as usize]);
            } else {
                f.data[i] = level + sigma * rng.gaussian();
            }
        }
    }
    f.to_gray()
}

/// An empty platen: the print fades into the platen level, plus sensor
/// noise (`severity` times the platen's own noise, at least 1.5 grey levels)
/// and a faint illumination gradient. At severity 1 nothing of the print is
/// left: a near-uniform, noisy image, what a sensor sends when no finger is
/// on it.
///
/// # Panics
///
/// Never.
#[must_use]
pub fn blank(img: &GrayImage, severity: f32, seed: u64) -> GrayImage {
    let s = clamp_severity(severity);
    if s == 0.0 || img.as_raw().is_empty() {
        return img.clone();
    }
    let mut f = Field::from_gray(img);
    let (level, sigma) = platen(&f, &contact_estimate(&f));
    let (w, h) = (f.w, f.h);
    let mut rng = SplitMix64::new(seed);
    let gx = rng.range(-3.0, 3.0);
    let gy = rng.range(-3.0, 3.0);
    for y in 0..h {
        for x in 0..w {
            let shade = gx * (x as f32 / w as f32 - 0.5) + gy * (y as f32 / h as f32 - 0.5);
            let v = &mut f.data[y * w + x];
            *v += s * (level + shade - *v) + s * sigma.max(1.5) * rng.gaussian();
        }
    }
    f.to_gray()
}

/// A wet (sweaty) finger.
///
/// Water fills the valleys and, on optical and capacitive sensors alike,
/// reads like skin, so inside the contact area:
///
/// - droplets bridge the valleys: small random spots (about 4 px across)
///   pulled down to the local ridge level, covering a growing share of
///   the print (a quarter of it at severity 0.5);
/// - ridges spread a little into the valleys: grey-level erosion (min
///   filter) of up to `severity` px;
/// - valleys fill in: pixels brighter than their neighbourhood are pulled
///   down towards the local mean (up to 30 %);
/// - the whole contact darkens (grey levels scaled by `1 - 0.2 * severity`);
/// - sweat pools: irregular blobs of saturated dark grey with no ridge
///   structure, more and larger as severity rises (the first appears at
///   severity 0.15).
///
/// The real wet prints of the shared sensors show closed valleys over a
/// median 0.16 of their contact (normal prints 0.02) and ridges that stay
/// whole; the bridging droplets and the pools make the same of a clean
/// print at severity 0.5 (`eval_sensors` compares the two), where a wide
/// erosion alone only thickens every ridge, which is how some sensors
/// draw them anyway.
///
/// Every step only darkens, so the mean grey of the contact falls
/// monotonically with severity. The platen outside the contact is left
/// as it was.
///
/// # Panics
///
/// Never.
#[must_use]
pub fn wet(img: &GrayImage, severity: f32, seed: u64) -> GrayImage {
    let s = clamp_severity(severity);
    if s == 0.0 || img.as_raw().is_empty() {
        return img.clone();
    }
    let mut f = Field::from_gray(img);
    let (w, h) = (f.w, f.h);
    let fg = contact_estimate(&f);
    let mut v = f.rank_filter_frac(s, false);
    let ridge = f.rank_filter(3, false);
    let local = v.smooth(2);
    let mut rng = SplitMix64::new(seed);
    let drops = Field::smooth_noise(w, h, 2.0, &mut rng);
    let drop_t = DROPLET_START - DROPLET_START * s;
    for i in 0..v.data.len() {
        let x = &mut v.data[i];
        let bridge = smoothstep(drop_t, drop_t + 0.4, drops.data[i]);
        *x += bridge * (ridge.data[i].min(*x) - *x);
        *x -= 0.3 * s * (*x - local.data[i]).max(0.0);
        *x *= 1.0 - 0.2 * s;
    }
    // Sweat pools, darker than the darkest ridges.
    let dark = dark_level(&f, &fg) * 0.7;
    let pools = blobs(&fg, 8, 0.05, 0.13, &mut rng);
    let mut texture_rng = rng.fork(7);
    for (k, blob) in pools.iter().enumerate() {
        let start = 0.15 + 0.1 * k as f32;
        let grow = smoothstep(start, start + 0.3, s);
        if grow <= 0.0 {
            continue;
        }
        blob.paint(&mut v, grow, |old, alpha| {
            let target = old.min(dark + 4.0 * texture_rng.gaussian());
            old + alpha * (target - old).min(0.0)
        });
    }
    blend_into(&mut f, &v, &fg);
    f.to_gray()
}

/// Where the unit-variance noise behind the wet droplets starts to mark a
/// spot at severity 0: the threshold falls linearly to 0 (half the print)
/// at severity 1, so about a fifth of the print is marked at severity 0.25
/// and a quarter at 0.5. With it, severity 0.25, 0.5 and 0.75 close about
/// as much of a clean shared print's contact as the lower quartile, the
/// median and the upper quartile of the real wet prints (`eval_sensors`).
const DROPLET_START: f32 = 0.95;

/// The same for the dry gaps, matched the same way to the real dry
/// prints' ridge gaps: about a fifth of the ridges broken at severity 0.25
/// and over a quarter at 0.5.
const GAP_START: f32 = 0.8;

/// A dry finger.
///
/// Dry skin touches the platen poorly, so inside the contact area:
///
/// - ridges break into dashes and dots: small random gaps (about 4 px
///   across), pushed to the local valley level, cover a growing share of
///   the ridges (over a quarter at severity 0.5);
/// - ridges thin a little: grey-level dilation (max filter) of up to
///   `severity` px;
/// - contact goes patchy: smooth random patches fade towards the platen,
///   up to about a third of the contact at severity 1;
/// - the print gets lighter and fainter: grey levels are squashed towards
///   the platen level by up to 45 %.
///
/// The real dry prints of the shared sensors show a median 0.11 of their
/// ridge-centre samples broken (normal prints 0.01); the gaps make the
/// same of a clean print at severity 0.5 (`eval_sensors` compares the
/// two), where a wide dilation alone only thins every ridge, which is how
/// some sensors draw them anyway.
///
/// Every step only lightens, so the mean grey of the contact rises
/// monotonically with severity.
///
/// # Panics
///
/// Never.
#[must_use]
pub fn dry(img: &GrayImage, severity: f32, seed: u64) -> GrayImage {
    let s = clamp_severity(severity);
    if s == 0.0 || img.as_raw().is_empty() {
        return img.clone();
    }
    let mut f = Field::from_gray(img);
    let (w, h) = (f.w, f.h);
    let fg = contact_estimate(&f);
    let (level, _) = platen(&f, &fg);
    let mut v = f.rank_filter_frac(s, true);
    let valley = f.rank_filter(3, true);
    let mut rng = SplitMix64::new(seed);
    let gaps = Field::smooth_noise(w, h, 2.0, &mut rng);
    let side = w.min(h) as f32;
    let patches = Field::smooth_noise(w, h, (0.05 * side).max(2.0), &mut rng);
    let gap_t = GAP_START - GAP_START * s;
    let patch_t = 2.4 - 2.0 * s;
    for i in 0..v.data.len() {
        let x = &mut v.data[i];
        let gap = smoothstep(gap_t, gap_t + 0.4, gaps.data[i]);
        *x += gap * (valley.data[i].max(*x) - *x);
        let miss = 0.85 * smoothstep(patch_t, patch_t + 0.7, patches.data[i]);
        *x += miss * (level.max(*x) - *x);
        *x = level.max(*x) - (level.max(*x) - *x) * (1.0 - 0.45 * s);
        // Never brighter than the platen (or than the pixel already was):
        // the dilation must not spread sensor-noise peaks into a halo.
        *x = x.min(level.max(f.data[i]));
    }
    blend_into(&mut f, &v, &fg);
    f.to_gray()
}

/// A smudge: in one region of the contact area (an irregular, elongated
/// blob or band whose length grows from about 15 % to 55 % of the image
/// side with severity), the ridge structure is smeared out: a strong
/// directional blur along the smear direction followed by local averaging,
/// kept dark because the finger (and its grease) did touch there. Outside
/// the region and outside the contact nothing changes.
///
/// # Panics
///
/// Never.
#[must_use]
pub fn smear(img: &GrayImage, severity: f32, seed: u64) -> GrayImage {
    let s = clamp_severity(severity);
    if s == 0.0 || img.as_raw().is_empty() {
        return img.clone();
    }
    let mut f = Field::from_gray(img);
    let (w, h) = (f.w, f.h);
    let fg = contact_estimate(&f);
    let mut rng = SplitMix64::new(seed);
    let angle = rng.range(0.0, std::f32::consts::PI);
    let side = w.min(h) as f32;
    let len = 10.0 + 22.0 * s;
    let streaked = line_blur(&f, angle, len);
    let local = f.smooth(4);
    let mut target = streaked.smooth(1);
    for (t, &m) in target.data.iter_mut().zip(&local.data) {
        *t = 0.65 * *t + 0.35 * m - 12.0 * s;
    }
    // The smeared region: an elongated blob inside the contact.
    // Centred well inside the contact: the deepest of a few random points
    // that lie inside it.
    let interior = fg.smooth(((0.12 * side) as usize).max(1));
    let mut centre = (w as f32 / 2.0, h as f32 / 2.0, f32::NEG_INFINITY);
    for _ in 0..12 {
        if let Some((x, y)) = pick_point(&fg, 0.8, &mut rng) {
            let depth = interior.bilinear(x, y);
            if depth > centre.2 {
                centre = (x, y, depth);
            }
        }
    }
    let (cx, cy) = (centre.0, centre.1);
    let a = (0.075 + 0.2 * s) * side;
    let b = (0.05 + 0.1 * s) * side;
    let edge = Field::smooth_noise(w, h, (0.05 * side).max(2.0), &mut rng);
    let (sa, ca) = angle.sin_cos();
    let strength = 0.7 + 0.3 * s;
    let mut weight = Field::filled(w, h, 0.0);
    for y in 0..h {
        for x in 0..w {
            let i = y * w + x;
            let (dx, dy) = (x as f32 - cx, y as f32 - cy);
            let u = (ca * dx + sa * dy) / a;
            let q = (-sa * dx + ca * dy) / b;
            let rho = (u * u + q * q).sqrt() + 0.15 * edge.data[i];
            weight.data[i] = strength * (1.0 - smoothstep(0.7, 1.0, rho)) * fg.data[i];
        }
    }
    blend_into(&mut f, &target, &weight);
    f.to_gray()
}

/// Motion blur: the finger slid during the exposure. Every pixel becomes the
/// mean of the image along a line segment through it at `angle_degrees`
/// (0 = horizontal, 90 = vertical), of length `24 * severity` px (at most
/// about 2.7 nominal ridge periods). A non-finite angle counts as 0.
///
/// # Panics
///
/// Never.
#[must_use]
pub fn motion_blur(img: &GrayImage, severity: f32, angle_degrees: f32) -> GrayImage {
    let s = clamp_severity(severity);
    if s == 0.0 || img.as_raw().is_empty() {
        return img.clone();
    }
    let a = if angle_degrees.is_finite() {
        angle_degrees.to_radians()
    } else {
        0.0
    };
    line_blur(&Field::from_gray(img), a, 24.0 * s).to_gray()
}

/// Sensor residue: a latent print of an earlier finger, left on the platen
/// as a faint ghost in the background. The ghost is a synthetic print (drawn
/// from `seed`, slightly blurred) placed mostly where the current finger is
/// not, patchy as latents are, darkening the platen by up to
/// `40 * severity` grey levels on its ridges. It is added
/// only to the background: the current contact area (estimated from ridge
/// texture and widened by a margin of 8 px) keeps its exact bytes.
///
/// # Panics
///
/// Never.
#[must_use]
pub fn residue(img: &GrayImage, severity: f32, seed: u64) -> GrayImage {
    let s = clamp_severity(severity);
    if s == 0.0 || img.as_raw().is_empty() {
        return img.clone();
    }
    let mut f = Field::from_gray(img);
    let (w, h) = (f.w, f.h);
    let fg = contact_estimate(&f);
    // Hard exclusion of the contact plus a margin, then a soft inner ramp.
    let mut touched = fg.clone();
    for v in &mut touched.data {
        *v = if *v > 0.05 { 1.0 } else { 0.0 };
    }
    let near = touched.rank_filter(8, true);
    let ramp = near.box_blur(4);
    let mut rng = SplitMix64::new(seed);
    let pattern = PatternClass::ALL[(rng.next_u64() % 5) as usize];
    // The earlier finger sat mostly where the current one does not.
    let side = w.min(h) as f32;
    let wide = fg.smooth(((0.08 * side) as usize).max(1));
    let mut best = (0.5, 0.5, f32::INFINITY);
    for _ in 0..48 {
        let (x, y) = (rng.range(0.1, 0.9), rng.range(0.1, 0.9));
        let cover = wide.bilinear(x * w as f32, y * h as f32);
        if cover < best.2 {
            best = (x, y, cover);
        }
    }
    let contact = super::Contact::new(best.0, best.1, rng.range(0.22, 0.34), rng.range(0.28, 0.42));
    let spec = FingerprintSpec::new(w as u32, h as u32, rng.next_u64())
        .with_pattern(pattern)
        .with_contact(contact)
        .with_noise_sigma(0.0)
        .with_grey_levels(0, 255, 255);
    // A latent is a blurred, fragmentary deposit, not a sharp print.
    let ghost = Field::from_gray(&super::generate(&spec)).box_blur(1);
    let patch = Field::smooth_noise(w, h, (0.06 * w.min(h) as f32).max(2.0), &mut rng);
    let amp = 40.0 * s;
    // The ghost is at most `MAX_SIDE` square; stretch it over larger images.
    let (gw, gh) = (ghost.w.max(1), ghost.h.max(1));
    for y in 0..h {
        let gy = (y * gh / h).min(gh - 1);
        for x in 0..w {
            let i = y * w + x;
            if near.data[i] > 0.0 {
                continue;
            }
            let gx = (x * gw / w).min(gw - 1);
            let g = ghost.data.get(gy * gw + gx).copied().unwrap_or(255.0);
            let ink = 1.0 - g / 255.0;
            let keep = smoothstep(-0.9, 0.2, patch.data[i]);
            f.data[i] -= amp * ink * keep * (1.0 - ramp.data[i]);
        }
    }
    f.to_gray()
}

/// Every degradation, by name, for evaluation loops.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Degradation {
    /// [`contrast`].
    Contrast,
    /// [`noise`].
    Noise,
    /// [`shift`], in a direction drawn from the seed.
    Shift,
    /// [`blank`].
    Blank,
    /// [`wet`].
    Wet,
    /// [`dry`].
    Dry,
    /// [`smear`].
    Smear,
    /// [`motion_blur`], at an angle drawn from the seed.
    MotionBlur,
    /// [`residue`].
    Residue,
}

impl Degradation {
    /// All degradations, in declaration order.
    pub const ALL: [Degradation; 9] = [
        Degradation::Contrast,
        Degradation::Noise,
        Degradation::Shift,
        Degradation::Blank,
        Degradation::Wet,
        Degradation::Dry,
        Degradation::Smear,
        Degradation::MotionBlur,
        Degradation::Residue,
    ];

    /// Stable snake_case name (`contrast`, `noise`, `shift`, `blank`, `wet`,
    /// `dry`, `smear`, `motion_blur`, `residue`).
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Degradation::Contrast => "contrast",
            Degradation::Noise => "noise",
            Degradation::Shift => "shift",
            Degradation::Blank => "blank",
            Degradation::Wet => "wet",
            Degradation::Dry => "dry",
            Degradation::Smear => "smear",
            Degradation::MotionBlur => "motion_blur",
            Degradation::Residue => "residue",
        }
    }

    /// Applies the degradation. Angles that the function takes as a
    /// parameter are drawn from `seed` (any direction for a shift, any
    /// direction for motion blur).
    ///
    /// # Panics
    ///
    /// Never.
    #[must_use]
    pub fn apply(self, img: &GrayImage, severity: f32, seed: u64) -> GrayImage {
        let angle = SplitMix64::new(seed ^ 0xA5A5_5A5A).range(0.0, 360.0);
        match self {
            Degradation::Contrast => contrast(img, severity),
            Degradation::Noise => noise(img, severity, seed),
            Degradation::Shift => shift(img, severity, angle, seed),
            Degradation::Blank => blank(img, severity, seed),
            Degradation::Wet => wet(img, severity, seed),
            Degradation::Dry => dry(img, severity, seed),
            Degradation::Smear => smear(img, severity, seed),
            Degradation::MotionBlur => motion_blur(img, severity, angle),
            Degradation::Residue => residue(img, severity, seed),
        }
    }
}

/// Mean of `f` along a centred segment of length `len` at angle `angle`
/// (radians), sampled every pixel with bilinear interpolation.
fn line_blur(f: &Field, angle: f32, len: f32) -> Field {
    let n = len.max(0.0).ceil() as usize + 1;
    if n <= 1 || f.data.is_empty() {
        return f.clone();
    }
    let (s, c) = angle.sin_cos();
    let step = len / (n - 1) as f32;
    let offsets: Vec<(f32, f32)> = (0..n)
        .map(|k| {
            let t = -0.5 * len + k as f32 * step;
            (t * c, t * s)
        })
        .collect();
    let inv = 1.0 / n as f32;
    let mut out = f.clone();
    for y in 0..f.h {
        for x in 0..f.w {
            let (xf, yf) = (x as f32, y as f32);
            let acc: f32 = offsets
                .iter()
                .map(|&(ox, oy)| f.bilinear(xf + ox, yf + oy))
                .sum();
            out.data[y * f.w + x] = acc * inv;
        }
    }
    out
}

/// The grey level of the darkest ridges in the contact: 5th percentile of
/// the pixels where `fg > 0.5` (or of the whole image if there are none).
fn dark_level(f: &Field, fg: &Field) -> f32 {
    let inside: Vec<u8> = f
        .data
        .iter()
        .zip(&fg.data)
        .filter(|(_, &m)| m > 0.5)
        .map(|(&v, _)| super::field::to_u8(v))
        .collect();
    if inside.is_empty() {
        let all: Vec<u8> = f.data.iter().map(|&v| super::field::to_u8(v)).collect();
        percentile(&all, 0.05)
    } else {
        percentile(&inside, 0.05)
    }
}

/// A random point where `fg > min`, by rejection sampling (deterministic;
/// `None` after 200 misses).
fn pick_point(fg: &Field, min: f32, rng: &mut SplitMix64) -> Option<(f32, f32)> {
    for _ in 0..200 {
        let x = rng.range(0.0, fg.w as f32);
        let y = rng.range(0.0, fg.h as f32);
        if fg.data[(y as usize).min(fg.h - 1) * fg.w + (x as usize).min(fg.w - 1)] > min {
            return Some((x, y));
        }
    }
    None
}

/// An irregular blob: an ellipse with a wobbly rim.
struct Blob {
    cx: f32,
    cy: f32,
    rx: f32,
    ry: f32,
    angle: f32,
    wobble: [(f32, f32); 3],
}

impl Blob {
    /// Paints the blob scaled by `grow` (0..=1) with soft edges: each pixel
    /// inside becomes `op(old, alpha)`.
    fn paint(&self, f: &mut Field, grow: f32, mut op: impl FnMut(f32, f32) -> f32) {
        let (rx, ry) = (self.rx * grow, self.ry * grow);
        if rx < 0.5 || ry < 0.5 {
            return;
        }
        let reach = rx.max(ry) * 1.3;
        let x0 = (self.cx - reach).floor().max(0.0) as usize;
        let y0 = (self.cy - reach).floor().max(0.0) as usize;
        let x1 = ((self.cx + reach).ceil().max(0.0) as usize).min(f.w);
        let y1 = ((self.cy + reach).ceil().max(0.0) as usize).min(f.h);
        let (sa, ca) = self.angle.sin_cos();
        for y in y0..y1 {
            for x in x0..x1 {
                let (dx, dy) = (x as f32 - self.cx, y as f32 - self.cy);
                let u = (ca * dx + sa * dy) / rx;
                let v = (-sa * dx + ca * dy) / ry;
                let phi = v.atan2(u);
                let wob: f32 = self
                    .wobble
                    .iter()
                    .enumerate()
                    .map(|(k, &(a, p))| a * ((k as f32 + 2.0) * phi + p).cos())
                    .sum();
                let rho = (u * u + v * v).sqrt() / (1.0 + wob);
                let alpha = 1.0 - smoothstep(0.6, 1.0, rho);
                if alpha > 0.0 {
                    let i = y * f.w + x;
                    f.data[i] = op(f.data[i], alpha);
                }
            }
        }
    }
}

/// `n` blobs centred inside the contact (`fg > 0.6`), radii between `r_min`
/// and `r_max` of the smaller image side.
fn blobs(fg: &Field, n: usize, r_min: f32, r_max: f32, rng: &mut SplitMix64) -> Vec<Blob> {
    let side = fg.w.min(fg.h) as f32;
    (0..n)
        .filter_map(|_| {
            let (cx, cy) = pick_point(fg, 0.6, rng)?;
            let r = rng.range(r_min, r_max) * side;
            let aspect = rng.range(0.55, 1.0);
            Some(Blob {
                cx,
                cy,
                rx: r,
                ry: r * aspect,
                angle: rng.range(0.0, std::f32::consts::PI),
                wobble: [
                    (rng.range(-0.15, 0.15), rng.range(0.0, 6.3)),
                    (rng.range(-0.1, 0.1), rng.range(0.0, 6.3)),
                    (rng.range(-0.06, 0.06), rng.range(0.0, 6.3)),
                ],
            })
        })
        .collect()
}

//! The generator proper: orientation field, ridge growth, rendering.

use image::GrayImage;

use super::field::{smoothstep, Field};
use super::rng::SplitMix64;
use super::{FingerprintSpec, PatternClass};

/// Number of growth iterations of the oriented band-pass filter.
const GROWTH_ITERATIONS: usize = 16;
/// Normal-direction Gaussian envelope, in ridge periods.
const SIGMA_NORMAL: f32 = 0.42;
/// Tangential (along-ridge) Gaussian envelope, in ridge periods.
const SIGMA_TANGENT: f32 = 0.7;
/// Step between along-ridge samples, in pixels.
const TANGENT_STEP: f32 = 1.5;
/// Period bins of the precomputed kernels, in pixels.
const PERIOD_BIN: f32 = 0.25;

/// Geometry of the contact ellipse in pixels.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ellipse {
    pub(crate) cx: f32,
    pub(crate) cy: f32,
    pub(crate) rx: f32,
    pub(crate) ry: f32,
}

impl Ellipse {
    pub(crate) fn of(spec: &FingerprintSpec) -> Self {
        let (w, h) = (spec.width as f32, spec.height as f32);
        Self {
            cx: spec.contact.centre_x * w,
            cy: spec.contact.centre_y * h,
            rx: (spec.contact.radius_x * w).max(1.0),
            ry: (spec.contact.radius_y * h).max(1.0),
        }
    }

    /// Normalised elliptical radius: 0 at the centre, 1 on the rim.
    #[inline]
    fn rho(&self, x: f32, y: f32) -> f32 {
        let u = (x - self.cx) / self.rx;
        let v = (y - self.cy) / self.ry;
        (u * u + v * v).sqrt()
    }
}

/// The soft contact mask in `[0, 1]`: 1 where the finger touches.
///
/// The rim is made slightly irregular by a few low harmonics of the polar
/// angle, drawn from `rng`, so that prints are not perfect ellipses.
pub(crate) fn contact_mask(spec: &FingerprintSpec, rng: &mut SplitMix64) -> Field {
    let (w, h) = (spec.width as usize, spec.height as usize);
    let e = Ellipse::of(spec);
    let harmonics: Vec<(f32, f32, f32)> = (2..6)
        .map(|k| {
            (
                k as f32,
                rng.range(-0.025, 0.025),
                rng.range(0.0, std::f32::consts::TAU),
            )
        })
        .collect();
    let soft = spec.contact.softness.max(1e-3);
    let mut m = Field::filled(w, h, 0.0);
    for y in 0..h {
        for x in 0..w {
            let (xf, yf) = (x as f32 + 0.5, y as f32 + 0.5);
            let ang = (yf - e.cy).atan2(xf - e.cx);
            let wobble: f32 = harmonics
                .iter()
                .map(|&(k, a, p)| a * (k * ang + p).cos())
                .sum();
            let rho = e.rho(xf, yf) / (1.0 + wobble);
            m.data[y * w + x] = 1.0 - smoothstep(1.0 - soft, 1.0 + 0.25 * soft, rho);
        }
    }
    m
}

/// Cores and deltas of the zero-pole model, in pixels.
#[derive(Debug, Default)]
struct Singularities {
    cores: Vec<(f32, f32)>,
    deltas: Vec<(f32, f32)>,
}

fn singularities(pattern: PatternClass, e: &Ellipse, rng: &mut SplitMix64) -> Singularities {
    let mut j = |s: f32| rng.range(-s, s);
    let (cx, cy, rx, ry) = (e.cx, e.cy, e.rx, e.ry);
    let mut s = Singularities::default();
    match pattern {
        PatternClass::Arch => {}
        PatternClass::TentedArch => {
            let x = cx + j(0.08) * rx;
            let y = cy + (j(0.08) - 0.05) * ry;
            s.cores.push((x, y));
            s.deltas.push((x + j(0.05) * rx, y + (0.32 + j(0.05)) * ry));
        }
        PatternClass::LeftLoop | PatternClass::RightLoop => {
            let side = if pattern == PatternClass::LeftLoop {
                1.0
            } else {
                -1.0
            };
            let core = (cx + (j(0.1) - 0.08 * side) * rx, cy + (j(0.08) - 0.12) * ry);
            let delta = (
                core.0 + side * (0.55 + j(0.1)) * rx,
                core.1 + (0.62 + j(0.08)) * ry,
            );
            s.cores.push(core);
            s.deltas.push(delta);
        }
        PatternClass::Whorl => {
            let c0 = (cx + j(0.05) * rx, cy + (j(0.05) - 0.08) * ry);
            let tilt = j(0.12);
            s.cores.push((c0.0 - (0.07 + tilt) * rx, c0.1 - 0.06 * ry));
            s.cores.push((c0.0 + (0.07 + tilt) * rx, c0.1 + 0.06 * ry));
            s.deltas
                .push((cx - (0.62 + j(0.08)) * rx, cy + (0.55 + j(0.08)) * ry));
            s.deltas
                .push((cx + (0.62 + j(0.08)) * rx, cy + (0.55 + j(0.08)) * ry));
        }
    }
    s
}

/// Ridge direction (radians, modulo pi) at every pixel, returned as the unit
/// vector field `(cos, sin)`.
fn orientation(spec: &FingerprintSpec, rng: &mut SplitMix64) -> (Field, Field) {
    let (w, h) = (spec.width as usize, spec.height as usize);
    let e = Ellipse::of(spec);
    let sing = singularities(spec.pattern, &e, rng);
    let rot = rng.range(-0.12, 0.12);
    let scale = 0.35 * e.rx.min(e.ry);
    let wobble = Field::smooth_noise(w, h, scale.max(2.0), rng);
    let (sr, cr) = rot.sin_cos();
    let mut cos = Field::filled(w, h, 1.0);
    let mut sin = Field::filled(w, h, 0.0);
    let arch_amp = rng.range(0.9, 1.3);
    for y in 0..h {
        for x in 0..w {
            // Rotate the finger slightly about the contact centre.
            let (dx, dy) = (x as f32 - e.cx, y as f32 - e.cy);
            let px = e.cx + cr * dx + sr * dy;
            let py = e.cy - sr * dx + cr * dy;
            let mut theta = if spec.pattern == PatternClass::Arch {
                let u = (px - e.cx) / (0.5 * e.rx);
                let t = ((py - (e.cy - e.ry)) / (2.0 * e.ry)).clamp(0.0, 1.2);
                let amp = arch_amp * (1.15 - 0.95 * t).max(0.08);
                (amp * u * (-0.5 * u * u).exp()).atan()
            } else {
                let mut a = 0.0;
                for &(cxs, cys) in &sing.cores {
                    a += (py - cys).atan2(px - cxs);
                }
                for &(dxs, dys) in &sing.deltas {
                    a -= (py - dys).atan2(px - dxs);
                }
                0.5 * a
            };
            theta += rot + 0.1 * wobble.data[y * w + x];
            let (s, c) = theta.sin_cos();
            cos.data[y * w + x] = c;
            sin.data[y * w + x] = s;
        }
    }
    (cos, sin)
}

/// Precomputed 1-D kernels for one period bin.
struct Kernels {
    /// Band-pass taps across the ridges at offsets `-rn..=rn`.
    normal: Vec<f32>,
    rn: isize,
    /// Smoothing taps along the ridges at offsets `k * TANGENT_STEP`.
    tangent: Vec<f32>,
    rt: isize,
}

fn kernels(period: f32) -> Kernels {
    let sn = SIGMA_NORMAL * period;
    let rn = (2.2 * sn).ceil() as isize;
    let mut gauss = Vec::new();
    let mut normal = Vec::new();
    for t in -rn..=rn {
        let t = t as f32;
        let g = (-t * t / (2.0 * sn * sn)).exp();
        gauss.push(g);
        normal.push(g * (std::f32::consts::TAU * t / period).cos());
    }
    // Remove the DC response so a flat input decays to zero.
    let dc = normal.iter().sum::<f32>() / gauss.iter().sum::<f32>();
    for (n, g) in normal.iter_mut().zip(&gauss) {
        *n -= dc * g;
    }
    let st = SIGMA_TANGENT * period;
    let rt = (2.0 * st / TANGENT_STEP).ceil() as isize;
    let mut tangent: Vec<f32> = (-rt..=rt)
        .map(|k| {
            let t = k as f32 * TANGENT_STEP;
            (-t * t / (2.0 * st * st)).exp()
        })
        .collect();
    let s: f32 = tangent.iter().sum();
    for v in &mut tangent {
        *v /= s;
    }
    Kernels {
        normal,
        rn,
        tangent,
        rt,
    }
}

/// Grows a ridge pattern: noise repeatedly band-pass filtered across the
/// local ridge direction at the local period, smoothed along it, and
/// saturated. Returns a field in `[-1, 1]`, positive on ridges.
fn grow(cos: &Field, sin: &Field, period: &Field, mut f: Field, iterations: usize) -> Field {
    let (w, h) = (cos.w, cos.h);
    let p_min = period.data.iter().copied().fold(f32::INFINITY, f32::min);
    let p_max = period.data.iter().copied().fold(0.0f32, f32::max);
    let b0 = (p_min / PERIOD_BIN).floor() as usize;
    let b1 = (p_max / PERIOD_BIN).ceil() as usize;
    let bank: Vec<Kernels> = (b0..=b1).map(|b| kernels(b as f32 * PERIOD_BIN)).collect();
    let bin: Vec<u16> = period
        .data
        .iter()
        .map(|&p| {
            ((p / PERIOD_BIN).round() as usize)
                .clamp(b0, b1)
                .saturating_sub(b0) as u16
        })
        .collect();

    let mut g = Field::filled(w, h, 0.0);
    for _ in 0..iterations {
        // Across the ridges: band-pass at the local frequency.
        for y in 0..h {
            for x in 0..w {
                let i = y * w + x;
                let k = &bank[bin[i] as usize];
                let (nx, ny) = (-sin.data[i], cos.data[i]);
                let (xf, yf) = (x as f32, y as f32);
                let mut acc = 0.0;
                for (t, &wt) in (-k.rn..=k.rn).zip(&k.normal) {
                    let t = t as f32;
                    acc += wt * f.bilinear(xf + t * nx, yf + t * ny);
                }
                g.data[i] = acc;
            }
        }
        // Along the ridges: smoothing keeps them continuous.
        for y in 0..h {
            for x in 0..w {
                let i = y * w + x;
                let k = &bank[bin[i] as usize];
                let (dx, dy) = (cos.data[i] * TANGENT_STEP, sin.data[i] * TANGENT_STEP);
                let (xf, yf) = (x as f32, y as f32);
                let mut acc = 0.0;
                for (t, &wt) in (-k.rt..=k.rt).zip(&k.tangent) {
                    let t = t as f32;
                    acc += wt * g.bilinear(xf + t * dx, yf + t * dy);
                }
                f.data[i] = acc;
            }
        }
        // Saturate: the non-linearity that turns filtered noise into ridges.
        let sd = f.std();
        let gain = if sd > 1e-12 { 1.6 / sd } else { 0.0 };
        for v in &mut f.data {
            *v = (*v * gain).clamp(-1.0, 1.0);
        }
    }
    f
}

/// Grows the ridges on a half-resolution grid (four times cheaper), then
/// upsamples and refines them with one full-resolution pass. Small images
/// or short periods are grown at full resolution directly.
fn grow_multiscale(cos: &Field, sin: &Field, period: &Field, rng: &mut SplitMix64) -> Field {
    let (w, h) = (cos.w, cos.h);
    let p_min = period.data.iter().copied().fold(f32::INFINITY, f32::min);
    let noise = |w: usize, h: usize, rng: &mut SplitMix64| {
        let mut f = Field::filled(w, h, 0.0);
        for v in &mut f.data {
            *v = rng.range(-1.0, 1.0);
        }
        f
    };
    if w < 32 || h < 32 || p_min < 7.0 {
        let f0 = noise(w, h, rng);
        return grow(cos, sin, period, f0, GROWTH_ITERATIONS);
    }
    let (w2, h2) = (w.div_ceil(2), h.div_ceil(2));
    let half = |src: &Field, scale: f32| {
        let mut out = Field::filled(w2, h2, 0.0);
        for y in 0..h2 {
            for x in 0..w2 {
                out.data[y * w2 + x] = src.at_clamped(2 * x as isize, 2 * y as isize) * scale;
            }
        }
        out
    };
    let (c2, s2, p2) = (half(cos, 1.0), half(sin, 1.0), half(period, 0.5));
    let f0 = noise(w2, h2, rng);
    let small = grow(&c2, &s2, &p2, f0, GROWTH_ITERATIONS);
    let mut up = Field::filled(w, h, 0.0);
    for y in 0..h {
        for x in 0..w {
            up.data[y * w + x] = small.bilinear(x as f32 * 0.5, y as f32 * 0.5);
        }
    }
    grow(cos, sin, period, up, 1)
}

/// Skin marks that interrupt the ridges: sweat pores (small bright dots on
/// ridges) and a few flexion creases or scars (thin bright curves). Returns
/// the fraction of ridge darkness removed, in `[0, 1]`.
fn skin_marks(spec: &FingerprintSpec, e: &Ellipse, rng: &mut SplitMix64) -> Field {
    let (w, h) = (spec.width as usize, spec.height as usize);
    let mut marks = Field::filled(w, h, 0.0);
    let period = spec.ridge_period;
    // Pores: about one per six square periods of contact.
    let area = std::f32::consts::PI * e.rx * e.ry;
    let pores = (area / (6.0 * period * period)).min(20_000.0) as usize;
    for _ in 0..pores {
        let px = e.cx + rng.range(-1.0, 1.0) * e.rx;
        let py = e.cy + rng.range(-1.0, 1.0) * e.ry;
        let r = rng.range(0.6, 1.1) * period / 9.0;
        let strength = rng.range(0.3, 0.8);
        stamp(&mut marks, px, py, r, strength);
    }
    // Creases: zero to three shallow curves across the finger.
    let creases = (rng.unit() * 3.2) as usize;
    for _ in 0..creases {
        let x0 = e.cx + rng.range(-0.5, 0.5) * e.rx;
        let y0 = e.cy + rng.range(-0.6, 0.6) * e.ry;
        let ang = rng.range(-0.6, 0.6) + if rng.unit() < 0.2 { 1.2 } else { 0.0 };
        let (s, c) = ang.sin_cos();
        let bend = rng.range(-1.0, 1.0) / e.rx.max(1.0);
        let half_len = rng.range(0.3, 0.9) * e.rx;
        let width = rng.range(0.5, 1.1) * period / 9.0;
        let strength = rng.range(0.5, 0.95);
        for y in 0..h {
            for x in 0..w {
                let (dx, dy) = (x as f32 - x0, y as f32 - y0);
                let t = c * dx + s * dy;
                if t.abs() > half_len {
                    continue;
                }
                let d = -s * dx + c * dy - bend * t * t;
                let taper = 1.0 - (t / half_len).powi(4);
                let v = strength * taper * (-d * d / (2.0 * width * width)).exp();
                let m = &mut marks.data[y * w + x];
                *m = m.max(v);
            }
        }
    }
    marks
}

/// Adds a Gaussian dot of radius `r` to `marks` (values capped at 1).
fn stamp(marks: &mut Field, px: f32, py: f32, r: f32, strength: f32) {
    let reach = (2.5 * r).ceil() as isize;
    let (cx, cy) = (px.round() as isize, py.round() as isize);
    for y in cy - reach..=cy + reach {
        for x in cx - reach..=cx + reach {
            if x < 0 || y < 0 || x >= marks.w as isize || y >= marks.h as isize {
                continue;
            }
            let d2 = (x as f32 - px).powi(2) + (y as f32 - py).powi(2);
            let v = strength * (-d2 / (2.0 * r * r)).exp();
            let m = &mut marks.data[y as usize * marks.w + x as usize];
            *m = (*m + v).min(1.0);
        }
    }
}

/// Generates the print described by an already sanitised spec.
pub(crate) fn generate(spec: &FingerprintSpec) -> GrayImage {
    let (w, h) = (spec.width as usize, spec.height as usize);
    if w == 0 || h == 0 {
        return GrayImage::new(spec.width, spec.height);
    }
    let mut root = SplitMix64::new(spec.seed);
    let mut rng_mask = root.fork(1);
    let mut rng_orient = root.fork(2);
    let mut rng_period = root.fork(3);
    let mut rng_grow = root.fork(4);
    let mut rng_press = root.fork(5);
    let mut rng_noise = root.fork(6);

    let e = Ellipse::of(spec);
    let mask = contact_mask(spec, &mut rng_mask);
    let (cos, sin) = orientation(spec, &mut rng_orient);
    let scale = 0.4 * e.rx.min(e.ry);
    let mut period = Field::smooth_noise(w, h, scale.max(2.0), &mut rng_period);
    for v in &mut period.data {
        *v = spec.ridge_period * (1.0 + 0.06 * v.clamp(-2.5, 2.5));
    }
    let ridges = grow_multiscale(&cos, &sin, &period, &mut rng_grow);

    let press_noise = Field::smooth_noise(w, h, (0.3 * scale).max(2.0), &mut rng_press);
    let texture = Field::smooth_noise(w, h, 1.5, &mut rng_press);
    let marks = skin_marks(spec, &e, &mut rng_press);
    let pv = spec.pressure_variation;
    let ridge = f32::from(spec.ridge_grey);
    let valley = f32::from(spec.valley_grey);
    let bg = f32::from(spec.background_grey);
    let mut img = Field::filled(w, h, bg);
    for y in 0..h {
        for x in 0..w {
            let i = y * w + x;
            let rho = e.rho(x as f32 + 0.5, y as f32 + 0.5).min(1.5);
            let m = mask.data[i];
            // Pressure: highest in the middle of the contact, patchy.
            let p = (pv * (0.45 * press_noise.data[i] - 0.7 * rho * rho + 0.3)).clamp(-1.0, 1.0);
            // Towards the rim the skin barely touches: ridges thin and break
            // up before they fade into the background.
            let rim = 1.6 * (1.0 - m);
            let r = smoothstep(-1.0, 1.0, ridges.data[i] + 0.25 * p - 0.1 - rim)
                * (1.0 - marks.data[i]);
            let ridge_level = ridge - 18.0 * p + 10.0 * texture.data[i];
            let valley_level = valley - 8.0 * p + 4.0 * texture.data[i];
            let grey = valley_level + (ridge_level - valley_level) * r;
            img.data[i] = bg + m * (grey - bg);
        }
    }
    // Optical blur of the sensor: half-strength 3x3 mean.
    let blurred = img.box_blur(1);
    for (v, b) in img.data.iter_mut().zip(&blurred.data) {
        *v = 0.5 * (*v + b);
    }
    let sigma = spec.noise_sigma;
    if sigma > 0.0 {
        for v in &mut img.data {
            *v += sigma * rng_noise.gaussian();
        }
    }
    img.to_gray()
}

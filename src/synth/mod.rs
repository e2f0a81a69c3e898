//! Synthetic fingerprints and physically modelled capture degradations
//! (feature `synth`).
//!
//! Used for tests, demos, benches and the committed `testdata/` prints. Two
//! halves:
//!
//! - [`generate`] draws an optical-style fingerprint from a
//!   [`FingerprintSpec`]: an orientation field with cores and deltas (the
//!   zero-pole model of Sherlock & Monro, or a smooth arch field), ridges
//!   grown SFinGe-style by repeatedly band-pass filtering noise across the
//!   local ridge direction at the local ridge frequency and smoothing it
//!   along the ridges, so ridges are continuous and carry natural endings and
//!   bifurcations; then a soft elliptical contact region, pressure variation
//!   and sensor noise.
//! - [`degrade`] holds pure functions that damage any `GrayImage`, synthetic
//!   or real: contrast loss, noise, partial placement, a blank platen, and
//!   the moisture and smudge effects (wet, dry, smear, motion blur, latent
//!   residue), each with a `severity` in `0..=1`.
//!
//! Everything is deterministic: the same spec or seed gives the same bytes on
//! every run (a self-contained SplitMix64 generator, no external randomness,
//! no threads). The random streams are identical on every platform; the
//! floating-point maths uses the platform's `sin`/`exp`/`atan2`, whose last
//! bit may differ between C libraries, so on another platform an odd grey
//! level could in principle come out one step different.
//!
//! # Example
//!
//! ```
//! use biocapture::synth::{self, degrade, FingerprintSpec, PatternClass};
//!
//! let spec = FingerprintSpec::new(160, 160, 7).with_pattern(PatternClass::Whorl);
//! let print = synth::generate(&spec);
//! assert_eq!(print.dimensions(), (160, 160));
//! // Same seed, same bytes.
//! assert_eq!(print, synth::generate(&spec));
//!
//! // A very wet capture of the same finger is darker.
//! let wet = degrade::wet(&print, 1.0, 1);
//! let mean = |img: &image::GrayImage| {
//!     img.as_raw().iter().map(|&v| f64::from(v)).sum::<f64>() / img.as_raw().len() as f64
//! };
//! assert!(mean(&wet) < mean(&print));
//! ```

pub mod degrade;
mod field;
mod generate;
pub mod live;
mod rng;

use image::GrayImage;

/// Largest width or height [`generate`] produces; larger requests are clamped
/// to it (a fingerprint at 500 ppi is well under 1000 px).
pub const MAX_SIDE: u32 = 2048;

/// The pattern class (Henry system), realised through the singular points of
/// the orientation field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum PatternClass {
    /// Plain arch: no core or delta; ridges enter on one side, rise in the
    /// middle and leave on the other.
    Arch,
    /// Tented arch: a core with a delta almost straight below it.
    TentedArch,
    /// Left loop: one core, one delta to the lower right of it (as seen in
    /// the image); ridges enter and leave on the left.
    #[default]
    LeftLoop,
    /// Right loop: the mirror image of [`PatternClass::LeftLoop`].
    RightLoop,
    /// Whorl: two cores in the middle and two deltas, lower left and lower
    /// right.
    Whorl,
}

impl PatternClass {
    /// All classes, in declaration order.
    pub const ALL: [PatternClass; 5] = [
        PatternClass::Arch,
        PatternClass::TentedArch,
        PatternClass::LeftLoop,
        PatternClass::RightLoop,
        PatternClass::Whorl,
    ];

    /// Stable lower-case name (`arch`, `tented_arch`, `left_loop`,
    /// `right_loop`, `whorl`).
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            PatternClass::Arch => "arch",
            PatternClass::TentedArch => "tented_arch",
            PatternClass::LeftLoop => "left_loop",
            PatternClass::RightLoop => "right_loop",
            PatternClass::Whorl => "whorl",
        }
    }
}

/// Where the finger touches the platen: an ellipse with a soft rim, in
/// fractions of the image size.
///
/// Out-of-range or non-finite values are replaced or clamped by
/// [`generate`] (see each field), never rejected.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct Contact {
    /// Centre x as a fraction of the width. Clamped to `-0.5..=1.5` (a
    /// centre outside the image gives a partial print). Default: 0.5.
    pub centre_x: f32,
    /// Centre y as a fraction of the height. Clamped to `-0.5..=1.5`.
    /// Default: 0.52.
    pub centre_y: f32,
    /// Horizontal semi-axis as a fraction of the width. Clamped to
    /// `0.02..=2.0`. Default: 0.36.
    pub radius_x: f32,
    /// Vertical semi-axis as a fraction of the height. Clamped to
    /// `0.02..=2.0`. Default: 0.45.
    pub radius_y: f32,
    /// Width of the soft rim as a fraction of the radius, over which the
    /// print fades into the background. Clamped to `0.01..=1.0`.
    /// Default: 0.07.
    pub softness: f32,
}

impl Default for Contact {
    fn default() -> Self {
        Self {
            centre_x: 0.5,
            centre_y: 0.52,
            radius_x: 0.36,
            radius_y: 0.45,
            softness: 0.07,
        }
    }
}

impl Contact {
    /// A contact ellipse centred at `(centre_x, centre_y)` with semi-axes
    /// `(radius_x, radius_y)`, all fractions of the image size, and the
    /// default soft rim.
    #[must_use]
    pub fn new(centre_x: f32, centre_y: f32, radius_x: f32, radius_y: f32) -> Self {
        Self {
            centre_x,
            centre_y,
            radius_x,
            radius_y,
            ..Self::default()
        }
    }

    /// Sets the soft-rim width (fraction of the radius).
    #[must_use]
    pub fn with_softness(mut self, softness: f32) -> Self {
        self.softness = softness;
        self
    }

    fn sanitized(self) -> Self {
        let d = Self::default();
        Self {
            centre_x: finite_or(self.centre_x, d.centre_x).clamp(-0.5, 1.5),
            centre_y: finite_or(self.centre_y, d.centre_y).clamp(-0.5, 1.5),
            radius_x: finite_or(self.radius_x, d.radius_x).clamp(0.02, 2.0),
            radius_y: finite_or(self.radius_y, d.radius_y).clamp(0.02, 2.0),
            softness: finite_or(self.softness, d.softness).clamp(0.01, 1.0),
        }
    }
}

/// Everything that determines a synthetic print. Build with
/// [`FingerprintSpec::new`] and the `with_*` setters (or set the public
/// fields); [`generate`] draws it.
///
/// The defaults model an optical (FTIR) sensor at 500 ppi: dark ridges,
/// light valleys, a near-white background outside the contact.
/// Out-of-range or non-finite values are clamped or replaced by their
/// default when generating, as documented per field; no value makes
/// [`generate`] fail or panic.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct FingerprintSpec {
    /// Image width in pixels (clamped to [`MAX_SIDE`]).
    pub width: u32,
    /// Image height in pixels (clamped to [`MAX_SIDE`]).
    pub height: u32,
    /// Seed of every random choice: same seed and spec, same bytes.
    pub seed: u64,
    /// Mean ridge-to-ridge distance in pixels at 500 ppi. Realistic range
    /// 6..=14; clamped to `5.0..=16.0`. Default: 9.0.
    pub ridge_period: f32,
    /// Pattern class. Default: [`PatternClass::LeftLoop`].
    pub pattern: PatternClass,
    /// Contact region. Default: [`Contact::default`].
    pub contact: Contact,
    /// Grey level of ridge centres at normal pressure. Default: 65.
    pub ridge_grey: u8,
    /// Grey level of valleys inside the contact. Default: 190.
    pub valley_grey: u8,
    /// Grey level of the empty platen outside the contact. Default: 242.
    pub background_grey: u8,
    /// How much finger pressure varies across the contact, `0..=1`: higher
    /// pressure gives wider, darker ridges, and pressure falls towards the
    /// rim. 0 = uniform. Clamped to `0.0..=1.0`. Default: 0.5.
    pub pressure_variation: f32,
    /// Standard deviation of additive Gaussian sensor noise, in grey levels.
    /// Clamped to `0.0..=64.0`. Default: 2.0.
    pub noise_sigma: f32,
}

impl Default for FingerprintSpec {
    fn default() -> Self {
        Self::new(300, 300, 0)
    }
}

impl FingerprintSpec {
    /// A `width` x `height` left loop with every other field at its default.
    #[must_use]
    pub fn new(width: u32, height: u32, seed: u64) -> Self {
        Self {
            width,
            height,
            seed,
            ridge_period: 9.0,
            pattern: PatternClass::default(),
            contact: Contact::default(),
            ridge_grey: 65,
            valley_grey: 190,
            background_grey: 242,
            pressure_variation: 0.5,
            noise_sigma: 2.0,
        }
    }

    /// Sets the pattern class.
    #[must_use]
    pub fn with_pattern(mut self, pattern: PatternClass) -> Self {
        self.pattern = pattern;
        self
    }

    /// Sets the mean ridge period in pixels.
    #[must_use]
    pub fn with_ridge_period(mut self, period: f32) -> Self {
        self.ridge_period = period;
        self
    }

    /// Sets the contact region.
    #[must_use]
    pub fn with_contact(mut self, contact: Contact) -> Self {
        self.contact = contact;
        self
    }

    /// Sets the ridge, valley and background grey levels.
    #[must_use]
    pub fn with_grey_levels(mut self, ridge: u8, valley: u8, background: u8) -> Self {
        self.ridge_grey = ridge;
        self.valley_grey = valley;
        self.background_grey = background;
        self
    }

    /// Sets the pressure variation (`0..=1`).
    #[must_use]
    pub fn with_pressure_variation(mut self, variation: f32) -> Self {
        self.pressure_variation = variation;
        self
    }

    /// Sets the sensor noise standard deviation in grey levels.
    #[must_use]
    pub fn with_noise_sigma(mut self, sigma: f32) -> Self {
        self.noise_sigma = sigma;
        self
    }

    /// The spec exactly as [`generate`] will use it, every field clamped or
    /// defaulted as documented.
    #[must_use]
    pub fn sanitized(&self) -> Self {
        let d = Self::new(self.width, self.height, self.seed);
        Self {
            width: self.width.min(MAX_SIDE),
            height: self.height.min(MAX_SIDE),
            ridge_period: finite_or(self.ridge_period, d.ridge_period).clamp(5.0, 16.0),
            contact: self.contact.sanitized(),
            pressure_variation: finite_or(self.pressure_variation, d.pressure_variation)
                .clamp(0.0, 1.0),
            noise_sigma: finite_or(self.noise_sigma, d.noise_sigma).clamp(0.0, 64.0),
            ..*self
        }
    }
}

/// Draws the fingerprint described by `spec`.
///
/// The output is `spec.width` x `spec.height` (each clamped to
/// [`MAX_SIDE`]); a zero width or height gives an empty image. Fields are
/// sanitised as [`FingerprintSpec::sanitized`] documents. The same spec always
/// gives the same bytes.
///
/// Cost: roughly linear in the pixel count and the square of the ridge
/// period; in release builds a 300x300 print takes about 0.1 s and an
/// 800x750 one about 0.6 s on one core of a shared 2-vCPU VM.
///
/// # Panics
///
/// Never.
#[must_use]
pub fn generate(spec: &FingerprintSpec) -> GrayImage {
    generate::generate(&spec.sanitized())
}

/// The contact mask of `spec`: 255 where the finger fully touches, 0 on the
/// empty platen, a ramp across the soft rim. Same size as [`generate`]'s
/// output and the same rim irregularity, so tests can tell foreground from
/// background exactly.
///
/// # Panics
///
/// Never.
#[must_use]
pub fn contact_mask(spec: &FingerprintSpec) -> GrayImage {
    let spec = spec.sanitized();
    if spec.width == 0 || spec.height == 0 {
        return GrayImage::new(spec.width, spec.height);
    }
    let mut root = rng::SplitMix64::new(spec.seed);
    let mut rng_mask = root.fork(1);
    let mut m = generate::contact_mask(&spec, &mut rng_mask);
    for v in &mut m.data {
        *v *= 255.0;
    }
    m.to_gray()
}

fn finite_or(v: f32, default: f32) -> f32 {
    if v.is_finite() {
        v
    } else {
        default
    }
}

//! Fingerprint assessment: foreground, orientation, ridge frequency, local
//! clarity, a 0..100 clarity score and a per-block quality map.
//!
//! [`FingerprintAssessor::assess`] measures; [`FingerprintPolicy::judge`]
//! decides. The split lets a service re-threshold stored reports without
//! touching pixels.

mod levels;
mod moisture;
mod policy;
mod profile;
mod ridge;
mod segment;
mod smudge;

pub use self::moisture::{
    Moisture, MoistureClass, BRIDGED_BLOCK, BRIDGED_OVER_GAPS, DRY_BAND, MIN_INSIDE_BLOCKS,
    WET_BAND,
};
pub use self::policy::FingerprintPolicy;
pub use self::profile::{
    Norm, SensorProfile, BRIDGED_FRACTION_MARGIN, MIN_PROFILE_CAPTURES, PROFILE_VERSION,
    RIDGE_FILL_DEAD_ZONE, RIDGE_FILL_MARGIN, RIDGE_GAPS_MARGIN, TYPICAL_QUANTILE,
};
pub use self::smudge::Smudge;

use self::ridge::{Profiler, RidgeBlock, BLOCK, TILE, WORK_PPI};
use crate::error::{Error, Result};
use crate::image::GrayView;
use crate::internal::limits::SizeLimits;
use crate::internal::{gradient, resample};
use ndarray::Array2;

/// Orientation certainty a foreground block needs (see segmentation).
const MIN_RIDGE_COHERENCE: f32 = 0.15;

/// Lowest supported capture resolution, in ppi.
pub const MIN_PPI: u32 = 300;
/// Highest supported capture resolution, in ppi.
pub const MAX_PPI: u32 = 1200;

/// NFIQ 2's "uniform image" threshold: grey standard deviation below this
/// means nothing is on the platen (ISO/IEC 29794-4:2024).
pub const NFIQ2_UNIFORM_SIGMA: f32 = 1.0;
/// NFIQ 2's "empty image or contrast too low" threshold on the mean grey.
pub const NFIQ2_EMPTY_MEAN: f32 = 250.0;
/// NFIQ 2's "sufficient fingerprint foreground" threshold, in px at 500 ppi.
pub const NFIQ2_MIN_FOREGROUND_PX: u32 = 50_000;

/// Limits and settings of a [`FingerprintAssessor`], validated once by
/// [`FingerprintAssessor::new`].
///
/// # Examples
///
/// ```
/// use biocapture::FingerprintConfig;
/// let config = FingerprintConfig::default().with_max_pixels(4_000_000);
/// assert_eq!(config.max_pixels(), 4_000_000);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct FingerprintConfig {
    limits: SizeLimits,
    analysis: Analysis,
    profile: Option<SensorProfile>,
}

/// How much a [`FingerprintAssessor`] measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "snake_case")
)]
#[non_exhaustive]
pub enum Analysis {
    /// Everything: clarity, moisture, smudge, motion blur, sensor residue.
    #[default]
    Full,
    /// Clarity, foreground and the block maps only; the report's
    /// [`Moisture`] and [`Smudge`] stay at their neutral defaults (index 0,
    /// nothing smeared), so no policy flags them. For services that need
    /// only the clarity score.
    ClarityOnly,
}

impl Default for FingerprintConfig {
    fn default() -> Self {
        Self {
            limits: SizeLimits {
                min_side: 32,
                max_side: 8192,
                max_pixels: 16_000_000,
            },
            analysis: Analysis::Full,
            profile: None,
        }
    }
}

impl FingerprintConfig {
    /// What to measure. Default: [`Analysis::Full`].
    #[must_use]
    pub fn with_analysis(mut self, analysis: Analysis) -> Self {
        self.analysis = analysis;
        self
    }

    /// What is measured.
    pub fn analysis(&self) -> Analysis {
        self.analysis
    }

    /// The scanner's normal rendering, learned from its own captures
    /// ([`SensorProfile::learn`]): the moisture evidence is read against
    /// it. Default: none, and [`SensorProfile::generic`] stands in, whose
    /// normals sit at the top of the known sensors' range (fewer flags on
    /// an unknown sensor, and fewer wet or dry prints found).
    #[must_use]
    pub fn with_profile(mut self, profile: SensorProfile) -> Self {
        self.profile = Some(profile);
        self
    }

    /// The sensor profile, if one was given.
    pub fn profile(&self) -> Option<&SensorProfile> {
        self.profile.as_ref()
    }

    /// Smallest accepted side, in pixels at 500 ppi, after resampling.
    /// Default: 32 (two blocks; a narrow swipe strip still passes).
    #[must_use]
    pub fn with_min_side(mut self, px: u32) -> Self {
        self.limits.min_side = px;
        self
    }

    /// Largest accepted side of the input, in pixels. Default: 8192.
    #[must_use]
    pub fn with_max_side(mut self, px: u32) -> Self {
        self.limits.max_side = px;
        self
    }

    /// Largest accepted input pixel count, checked before anything is
    /// allocated. Default: 16 000 000.
    #[must_use]
    pub fn with_max_pixels(mut self, px: u64) -> Self {
        self.limits.max_pixels = px;
        self
    }

    /// Smallest accepted side at 500 ppi.
    pub fn min_side(&self) -> u32 {
        self.limits.min_side
    }

    /// Largest accepted input side.
    pub fn max_side(&self) -> u32 {
        self.limits.max_side
    }

    /// Largest accepted input pixel count.
    pub fn max_pixels(&self) -> u64 {
        self.limits.max_pixels
    }

    fn validate(&self) -> Result<()> {
        self.limits
            .validate(16, "must be at least 16 px (one block)")?;
        self.profile
            .as_ref()
            .map_or(Ok(()), SensorProfile::validate)
    }
}

/// A rectangle in image pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PixelRect {
    /// Left edge.
    pub x: u32,
    /// Top edge.
    pub y: u32,
    /// Width.
    pub width: u32,
    /// Height.
    pub height: u32,
}

/// Where the finger touched.
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Foreground {
    /// Foreground blocks (`true` = ridges of a finger), on the report's
    /// block grid.
    pub mask: Array2<bool>,
    /// Contact blocks: the foreground plus the wet blobs next to it, where
    /// the finger touched but its ridges merged. Same grid.
    pub contact: Array2<bool>,
    /// Foreground area in input pixels.
    pub area_px: u64,
    /// Foreground area in pixels at 500 ppi (the unit of NFIQ 2's
    /// foreground threshold).
    pub area_px_500: u64,
    /// Foreground share of the image, 0..1.
    pub fraction: f32,
    /// Bounding box of the foreground, in input pixels; `None` when empty.
    pub bbox: Option<PixelRect>,
    /// Centroid of the foreground, in input pixels; `None` when empty.
    pub centroid: Option<(f32, f32)>,
    /// Share of the blocks along each image edge (left, top, right, bottom)
    /// that are foreground, 0..1: where the print runs off the image.
    pub border_touch: [f32; 4],
}

impl Foreground {
    /// `true` when the foreground reaches any image edge.
    pub fn touches_border(&self) -> bool {
        self.border_touch.iter().any(|&t| t > 0.0)
    }
}

/// The ISO/IEC 29794-4 actionable quality values, as NFIQ 2 reports them.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Actionable {
    /// Standard deviation of all grey values ("uniform image" when below
    /// [`NFIQ2_UNIFORM_SIGMA`]).
    pub grey_sigma: f32,
    /// Mean of all grey values ("empty or too light" when above
    /// [`NFIQ2_EMPTY_MEAN`]).
    pub mean_grey: f32,
    /// Foreground area in px at 500 ppi (NFIQ 2 flags below
    /// [`NFIQ2_MIN_FOREGROUND_PX`]).
    pub foreground_px: u64,
}

impl Actionable {
    /// Uniform image by NFIQ 2's threshold.
    pub fn is_uniform(&self) -> bool {
        self.grey_sigma < NFIQ2_UNIFORM_SIGMA
    }

    /// Empty or too light by NFIQ 2's threshold.
    pub fn is_too_light(&self) -> bool {
        self.mean_grey > NFIQ2_EMPTY_MEAN
    }

    /// Too little foreground by NFIQ 2's threshold.
    pub fn is_foreground_small(&self) -> bool {
        self.foreground_px < u64::from(NFIQ2_MIN_FOREGROUND_PX)
    }
}

/// Per-block measurements, all on the same grid as the quality map
/// (`(rows, cols)`; a block is 16 px at 500 ppi). `orientation`,
/// `coherence`, `gradient`, `mean` and `std_dev` are measured on every
/// block (orientation smoothed over the foreground, each block's own
/// direction elsewhere); the ridge measures only on foreground blocks, and
/// hold 0 elsewhere.
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct BlockMaps {
    /// Ridge direction in radians, 0..pi (0 = horizontal ridges, image y down).
    pub orientation: Array2<f32>,
    /// Orientation certainty 0..1 from the gradient structure tensor
    /// (1 = one clean direction).
    pub coherence: Array2<f32>,
    /// RMS grey gradient of the block's window, grey levels per pixel: the
    /// ridge detail that segmentation thresholds.
    pub gradient: Array2<f32>,
    /// Ridge period in px at 500 ppi (0 = none found).
    pub period: Array2<f32>,
    /// Local clarity 0..1 (ridge/valley separation along the ridge normal).
    pub clarity: Array2<f32>,
    /// Mean ridge width in px at 500 ppi.
    pub ridge_width: Array2<f32>,
    /// Mean valley width in px at 500 ppi.
    pub valley_width: Array2<f32>,
    /// Share of the ridge profile darker than the midpoint of its range
    /// (0.5 = ridges as wide as valleys; higher = ridges spread, wet;
    /// lower = ridges thin, dry).
    pub dark_share: Array2<f32>,
    /// Where the grey varies along the ridges, -1..1: the variance along
    /// the profile window's ridge columns minus that along its valley
    /// columns, over their sum (pores and breaks in the ridges: higher;
    /// dark bridges across the valleys: lower); 0 off the foreground.
    pub texture: Array2<f32>,
    /// Gaps along the ridges, 0..1: the share of the pairs of neighbouring
    /// samples along the centre column of each ridge in the profile window
    /// that are lighter than the ridge/valley threshold (dry skin breaks
    /// ridges into dots); 0 where no ridge period was found.
    pub ridge_gaps: Array2<f32>,
    /// Bridges across the valleys, 0..1: the share of the pairs along the
    /// centre column of each valley that are darker than the threshold
    /// (sweat fills the valleys); 0 where no ridge period was found.
    pub valley_bridges: Array2<f32>,
    /// Mean grey of the block's window.
    pub mean: Array2<f32>,
    /// Grey standard deviation of the block's window.
    pub std_dev: Array2<f32>,
    /// Ridge-to-valley grey amplitude of the block's profile.
    pub amplitude: Array2<f32>,
}

/// Everything measured on one fingerprint image.
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct FingerprintReport {
    /// Input width in pixels.
    pub width: u32,
    /// Input height in pixels.
    pub height: u32,
    /// Capture resolution in ppi.
    pub ppi: u32,
    /// Block side in input pixels (16 px at 500 ppi, scaled).
    pub block_px: f32,
    /// NFIQ 2's actionable values.
    pub actionable: Actionable,
    /// Where the finger touched.
    pub foreground: Foreground,
    /// Per-block measurements.
    pub blocks: BlockMaps,
    /// Per-block quality 0..100 (0 for background).
    pub quality_map: Array2<u8>,
    /// Moisture: too wet, too dry, or normal.
    pub moisture: Moisture,
    /// Smudge, motion blur and sensor residue.
    pub smudge: Smudge,
    /// Median ridge period over the foreground, px at 500 ppi (0 if none).
    pub ridge_period: f32,
    /// Median ridge-to-valley grey amplitude over the foreground.
    pub ridge_contrast: f32,
    /// Foreground-weighted mean of block quality, 0..100.
    pub mean_block_quality: f32,
    /// The headline clarity score, 0..100 (see the crate docs for its
    /// definition).
    pub clarity: f32,
    /// The name of the sensor profile the moisture evidence was read
    /// against, or `None` for the built-in [`SensorProfile::generic`].
    pub sensor_profile: Option<String>,
}

impl FingerprintReport {
    /// Reads the moisture measures again against `profile` (see
    /// [`Moisture::read_against`]) and records its name in
    /// [`sensor_profile`](Self::sensor_profile): a stored report judged
    /// against a sensor profile learned later, without its pixels. A
    /// report measured with [`Analysis::ClarityOnly`] stays neutral.
    pub fn apply_profile(&mut self, profile: &SensorProfile) {
        self.moisture.read_against(profile);
        self.sensor_profile = Some(profile.name.clone());
    }
}

/// Reusable buffers: assessing frame after frame allocates nothing new
/// once the sizes have settled.
#[derive(Debug, Clone, Default)]
struct Scratch {
    work: Vec<u8>,
    gx: Vec<f32>,
    gy: Vec<f32>,
    vsum: Vec<f32>,
    /// Per-tile sums of grey and grey².
    grey_tiles: Vec<[u32; 2]>,
    /// Per-tile sums of gx², gy², gx·gy.
    tiles: Vec<[f32; 3]>,
    mask_scratch: Array2<bool>,
    /// Flattened tiles and the patch search's visits, on the tile grid.
    tile_flat: Array2<bool>,
    tile_seen: Array2<bool>,
    /// The smear check's strongest ridge detail around each block, and
    /// its row-wise pass.
    reach_max: Array2<f32>,
    row_max: Array2<f32>,
    wet_blob: Array2<bool>,
    latent: Array2<bool>,
    stack: Vec<(usize, usize)>,
    cells: Vec<(usize, usize)>,
    values: Vec<f32>,
    /// The blocks' RMS gradients, then their ridge amplitudes (beside
    /// `values`, which the orientation smoothing and the periods use).
    block_values: Vec<f32>,
    /// More float scratch, beside `values` (the blocks' textures, ridge
    /// gaps and valley bridges beside their duties).
    more_values: [Vec<f32>; 3],
    /// Per-block doubled-angle orientation vectors, weighted (orientation
    /// smoothing).
    vectors: Vec<[f32; 2]>,
    resize: resample::ResizeScratch,
}

/// Assesses fingerprint images; owns its scratch buffers, so reuse one per
/// thread (or per capture loop) rather than building one per image.
///
/// # Examples
///
/// ```
/// use biocapture::{FingerprintAssessor, FingerprintConfig, FingerprintPolicy, GrayView};
/// let mut assessor = FingerprintAssessor::new(FingerprintConfig::default())?;
/// let blank = vec![255u8; 200 * 200];
/// let report = assessor.assess(GrayView::new(&blank, 200, 200, 200)?)?;
/// let verdict = FingerprintPolicy::default().judge(&report);
/// assert_eq!(verdict.codes(), vec!["no_finger"]);
/// # Ok::<(), biocapture::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct FingerprintAssessor {
    config: FingerprintConfig,
    /// The configured sensor profile, or the generic one.
    profile: SensorProfile,
    scratch: Scratch,
    profiler: Profiler,
}

impl FingerprintAssessor {
    /// Builds an assessor.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidConfig`] when a limit is inconsistent or a sensor
    /// profile's norm is invalid, [`Error::UnsupportedProfileVersion`] for a
    /// profile in another format version.
    pub fn new(config: FingerprintConfig) -> Result<Self> {
        config.validate()?;
        Ok(Self {
            profile: config.profile.clone().unwrap_or_default(),
            config,
            scratch: Scratch::default(),
            profiler: Profiler::default(),
        })
    }

    /// The configuration this assessor was built with.
    pub fn config(&self) -> &FingerprintConfig {
        &self.config
    }

    /// Measures one print.
    ///
    /// # Errors
    ///
    /// [`Error::UnsupportedResolution`] outside [`MIN_PPI`]..=[`MAX_PPI`],
    /// [`Error::ImageTooLarge`] past the configured limits (checked before
    /// any allocation), [`Error::ImageTooSmall`] when a side at 500 ppi is
    /// below the configured minimum. A blank, noisy or poor print is not an
    /// error: judge the report.
    pub fn assess(&mut self, image: GrayView<'_>) -> Result<FingerprintReport> {
        let mut report = FingerprintReport::default();
        self.assess_into(image, &mut report)?;
        Ok(report)
    }

    /// Like [`assess`](Self::assess), but writes into `report`, reusing its
    /// maps' storage when the grid size is unchanged (live preview loops).
    ///
    /// # Errors
    ///
    /// As [`assess`](Self::assess); on error `report` is left unspecified.
    pub fn assess_into(
        &mut self,
        image: GrayView<'_>,
        report: &mut FingerprintReport,
    ) -> Result<()> {
        let stage = match self.config.analysis {
            Analysis::Full => Stage::Full,
            Analysis::ClarityOnly => Stage::Clarity,
        };
        self.measure_into(image, stage, report)
    }

    /// The placement pass of a live preview ([`crate::FingerprintCapture`]):
    /// actionable values, foreground (mask, area, centroid, box, border
    /// touch), orientation, coherence and the blocks' grey statistics,
    /// without the ridge profiles. Everything else in `report` reads as
    /// nothing measured: ridge maps, period, contrast and clarity 0,
    /// contact = foreground, moisture and smudge neutral. Judge it with
    /// [`FingerprintPolicy::judge_placement`], not `judge`.
    ///
    /// # Errors
    ///
    /// As [`assess`](Self::assess).
    pub(crate) fn placement_into(
        &mut self,
        image: GrayView<'_>,
        report: &mut FingerprintReport,
    ) -> Result<()> {
        self.measure_into(image, Stage::Placement, report)
    }

    fn measure_into(
        &mut self,
        image: GrayView<'_>,
        stage: Stage,
        report: &mut FingerprintReport,
    ) -> Result<()> {
        let (w_in, h_in, ppi) = (image.width(), image.height(), image.ppi());
        if !(MIN_PPI..=MAX_PPI).contains(&ppi) {
            return Err(Error::UnsupportedResolution {
                ppi,
                min: MIN_PPI,
                max: MAX_PPI,
            });
        }
        let limits = &self.config.limits;
        // Resample to 500 ppi so that every measure (ridge period, widths,
        // areas) means the same thing at any resolution. The minimum side
        // applies to the print at 500 ppi, the maximum to the input.
        let scale = WORK_PPI as f32 / ppi as f32;
        let w = ((w_in as f32 * scale).round() as usize).max(1);
        let h = ((h_in as f32 * scale).round() as usize).max(1);
        limits.check_not_too_small(w, h)?;
        limits.check_not_too_large(w_in, h_in)?;
        let s = &mut self.scratch;
        let mut work = std::mem::take(&mut s.work);
        work.clear();
        if ppi == WORK_PPI {
            for row in image.rows() {
                work.extend_from_slice(row);
            }
        } else {
            let (iw, ih) = (w_in as usize, h_in as usize);
            resample::resize_gray(
                image.data(),
                iw,
                ih,
                image.stride(),
                w,
                h,
                &mut work,
                &mut s.resize,
            );
        }
        report.width = w_in;
        report.height = h_in;
        report.ppi = ppi;
        report.block_px = BLOCK as f32 / scale;
        measure(
            &work,
            (w, h),
            scale,
            stage,
            &self.profile,
            s,
            &mut self.profiler,
            report,
        );
        if self.config.profile.is_some() {
            let name = report.sensor_profile.get_or_insert_with(String::new);
            name.clone_from(&self.profile.name);
        } else {
            report.sensor_profile = None;
        }
        self.scratch.work = work;
        Ok(())
    }
}

/// How far [`measure`] goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    /// Foreground, orientation and grey statistics only (live preview).
    Placement,
    /// Plus the ridge profiles, the maps and clarity
    /// ([`Analysis::ClarityOnly`]).
    Clarity,
    /// Plus moisture and smudge ([`Analysis::Full`]).
    Full,
}

/// Resizes `a` to `dim` if needed and fills it with `v`.
fn reset<T: Clone>(a: &mut Array2<T>, dim: (usize, usize), v: T) {
    if a.dim() == dim {
        a.fill(v);
    } else {
        *a = Array2::from_elem(dim, v);
    }
}

/// The element a sort of `v` would put at index `len * num / den` (the
/// last one at most), without the sort (`v` is reordered in place); 0 for
/// an empty slice.
fn quantile(v: &mut [f32], num: usize, den: usize) -> f32 {
    if v.is_empty() {
        return 0.0;
    }
    let k = (v.len() * num / den).min(v.len() - 1);
    *v.select_nth_unstable_by(k, f32::total_cmp).1
}

/// Median of `v` (reordered in place); 0 for an empty slice.
fn median(v: &mut [f32]) -> f32 {
    quantile(v, 1, 2)
}

/// All measurements on the 500 ppi working image `px` (`w` x `h`).
#[allow(clippy::too_many_arguments)] // one private call site, all inputs distinct
fn measure(
    px: &[u8],
    (w, h): (usize, usize),
    scale: f32,
    stage: Stage,
    profile: &SensorProfile,
    s: &mut Scratch,
    profiler: &mut Profiler,
    r: &mut FingerprintReport,
) {
    let (bw, bh) = (w.div_ceil(BLOCK), h.div_ceil(BLOCK));
    let dim = (bh, bw);
    let b = &mut r.blocks;
    for a in [
        &mut b.orientation,
        &mut b.coherence,
        &mut b.gradient,
        &mut b.period,
        &mut b.clarity,
        &mut b.ridge_width,
        &mut b.valley_width,
        &mut b.dark_share,
        &mut b.texture,
        &mut b.ridge_gaps,
        &mut b.valley_bridges,
        &mut b.mean,
        &mut b.std_dev,
        &mut b.amplitude,
    ] {
        reset(a, dim, 0.0);
    }
    reset(&mut r.foreground.mask, dim, false);
    reset(&mut r.quality_map, dim, 0);
    // Per-block lists hold at most one entry a block: sized for that up
    // front, a frame with more finger than the ones before allocates
    // nothing (live capture, `FingerprintCapture`).
    let blocks = bw * bh;
    for v in [&mut s.values, &mut s.block_values]
        .into_iter()
        .chain(s.more_values.iter_mut())
    {
        v.reserve(blocks.saturating_sub(v.len()));
    }
    for v in [&mut s.stack, &mut s.cells] {
        v.reserve(blocks.saturating_sub(v.len()));
    }

    // Gradient structure tensor and grey sums, per 8x8 tile, one row at a
    // time: one pass over the pixels feeds every block window below.
    let (tw, th) = (w.div_ceil(TILE), h.div_ceil(TILE));
    s.tiles.clear();
    s.tiles.resize(tw * th, [0.0; 3]);
    s.grey_tiles.clear();
    s.grey_tiles.resize(tw * th, [0; 2]);
    s.gx.resize(w, 0.0);
    s.gy.resize(w, 0.0);
    let row = |y: usize| &px[y * w..(y + 1) * w];
    for y in 0..h {
        gradient::sobel_row(
            row(y.saturating_sub(1)),
            row(y),
            row((y + 1).min(h - 1)),
            &mut s.vsum,
            &mut s.gx,
            &mut s.gy,
        );
        let grow = &mut s.grey_tiles[(y / TILE) * tw..(y / TILE + 1) * tw];
        for (t, chunk) in grow.iter_mut().zip(row(y).chunks(TILE)) {
            // u32 is exact: 8 x 255² per row chunk, 64 x 255² per tile.
            let (sum, sq) = chunk.iter().fold((0u32, 0u32), |(a, q), &v| {
                let v = u32::from(v);
                (a + v, q + v * v)
            });
            t[0] += sum;
            t[1] += sq;
        }
        let trow = &mut s.tiles[(y / TILE) * tw..(y / TILE + 1) * tw];
        for (t, (gxc, gyc)) in trow
            .iter_mut()
            .zip(s.gx.chunks(TILE).zip(s.gy.chunks(TILE)))
        {
            let (mut xx, mut yy, mut xy) = (0.0f32, 0.0f32, 0.0f32);
            for (&a, &b) in gxc.iter().zip(gyc) {
                xx += a * a;
                yy += b * b;
                xy += a * b;
            }
            t[0] += xx;
            t[1] += yy;
            t[2] += xy;
        }
    }

    // Global grey statistics: NFIQ 2's actionable checks.
    let (sum, sq) = s.grey_tiles.iter().fold((0u64, 0u64), |(a, q), t| {
        (a + u64::from(t[0]), q + u64::from(t[1]))
    });
    let n = (w * h) as f64;
    let mean = sum as f64 / n;
    r.actionable.mean_grey = mean as f32;
    r.actionable.grey_sigma = (sq as f64 / n - mean * mean).max(0.0).sqrt() as f32;

    // Block windows: 32x32 px (4x4 tiles) centred on each 16 px block.
    let mut std_values = std::mem::take(&mut s.block_values);
    std_values.clear();
    for by in 0..bh {
        for bx in 0..bw {
            let (x0, y0) = (
                (bx * BLOCK).saturating_sub(8),
                (by * BLOCK).saturating_sub(8),
            );
            let (x1, y1) = (
                (bx * BLOCK + BLOCK + 8).min(w),
                (by * BLOCK + BLOCK + 8).min(h),
            );
            let mut t = [0.0f32; 3];
            let (mut gsum, mut gsq) = (0u64, 0u64);
            for ty in (y0 / TILE)..y1.div_ceil(TILE).min(th) {
                for tx in (x0 / TILE)..x1.div_ceil(TILE).min(tw) {
                    let c = s.tiles[ty * tw + tx];
                    t[0] += c[0];
                    t[1] += c[1];
                    t[2] += c[2];
                    let g = s.grey_tiles[ty * tw + tx];
                    gsum += u64::from(g[0]);
                    gsq += u64::from(g[1]);
                }
            }
            let n_win = ((x1 - x0) * (y1 - y0)).max(1) as f64;
            let m = gsum as f64 / n_win;
            b.mean[(by, bx)] = m as f32;
            b.std_dev[(by, bx)] = (gsq as f64 / n_win - m * m).max(0.0).sqrt() as f32;
            let (dxx, dxy2) = (t[0] - t[1], 2.0 * t[2]);
            let energy = t[0] + t[1];
            // RMS Sobel gradient in grey levels per pixel (Sobel gains 8).
            let n_px = ((x1 - x0) * (y1 - y0)).max(1) as f32;
            let rms = (energy / n_px).sqrt() / 8.0;
            std_values.push(rms);
            b.gradient[(by, bx)] = rms;
            b.coherence[(by, bx)] = if energy > 1e-3 {
                ((dxx * dxx + dxy2 * dxy2).sqrt() / energy).min(1.0)
            } else {
                0.0
            };
            // Store the doubled-angle gradient vector for smoothing below.
            b.orientation[(by, bx)] = dxy2.atan2(dxx);
            b.period[(by, bx)] = energy; // temporarily: tensor energy weight
        }
    }

    // Foreground: blocks whose ridge detail (RMS gradient) stands clearly
    // above the sensor's noise floor. Gradients, not grey spread, so the
    // slow shading at a prism's edge does not count as finger. The
    // threshold is relative to the print's own strong blocks so a faint
    // (dry) print still segments, with an absolute floor so a blank
    // platen's noise never does.
    let spread_ref = quantile(&mut std_values, 9, 10);
    let threshold = (0.3 * spread_ref).max(1.5);
    // Ridges also have a direction: sensor noise, however strong, has
    // almost none (coherence ~0.05 over a 32 px window).
    for ((m, &g), &c) in r
        .foreground
        .mask
        .iter_mut()
        .zip(b.gradient.iter())
        .zip(b.coherence.iter())
    {
        *m = g > threshold && c > MIN_RIDGE_COHERENCE;
    }
    if r.actionable.grey_sigma < NFIQ2_UNIFORM_SIGMA {
        r.foreground.mask.fill(false);
    }
    segment::clean_mask(&mut r.foreground.mask, &mut s.mask_scratch, &mut s.stack);

    // Smooth the orientation field: average doubled-angle vectors over the
    // 3x3 neighbourhood (foreground only), weighted by tensor energy.
    let mask = &r.foreground.mask;
    // Each foreground block's weighted doubled-angle vector, once.
    s.vectors.clear();
    s.vectors.extend(
        b.orientation
            .iter()
            .zip(b.period.iter().zip(b.coherence.iter()))
            .zip(mask.iter())
            .map(|((&a, (&energy, &c)), &m)| {
                if m {
                    let e = energy * c;
                    [e * a.cos(), e * a.sin()]
                } else {
                    [0.0; 2]
                }
            }),
    );
    s.values.clear();
    for by in 0..bh {
        for bx in 0..bw {
            if !mask[(by, bx)] {
                continue;
            }
            let (mut cx, mut cy) = (0.0f32, 0.0f32);
            for yy in by.saturating_sub(1)..(by + 2).min(bh) {
                for xx in bx.saturating_sub(1)..(bx + 2).min(bw) {
                    if mask[(yy, xx)] {
                        let [vx, vy] = s.vectors[yy * bw + xx];
                        cx += vx;
                        cy += vy;
                    }
                }
            }
            s.values.push(cy.atan2(cx));
        }
    }
    let mut smoothed = s.values.iter();
    for by in 0..bh {
        for bx in 0..bw {
            // Off the foreground the block's own (unsmoothed) direction:
            // the residue check reads latent ridges there along it.
            let a = if mask[(by, bx)] {
                *smoothed.next().unwrap_or(&0.0)
            } else {
                b.orientation[(by, bx)]
            };
            // Gradient direction is across the ridges; ridges run at
            // right angles to it.
            b.orientation[(by, bx)] =
                (0.5 * a + std::f32::consts::FRAC_PI_2).rem_euclid(std::f32::consts::PI);
            b.period[(by, bx)] = 0.0;
        }
    }

    // Oriented ridge profile per foreground block.
    let mut quality_sum = 0.0f32;
    let mut balanced_sum = 0.0f32;
    let mut bridges_sum = 0.0f32;
    let mut n_fg = 0usize;
    let qualities = &mut s.more_values[0];
    qualities.clear();
    let mut periods = std::mem::take(&mut s.values);
    periods.clear();
    let mut amplitudes = std_values;
    amplitudes.clear();
    let (mut sx, mut sy) = (0.0f64, 0.0f64);
    let mut area500 = 0u64;
    let (mut minx, mut miny, mut maxx, mut maxy) = (usize::MAX, usize::MAX, 0usize, 0usize);
    for by in 0..bh {
        for bx in 0..bw {
            if !mask[(by, bx)] {
                continue;
            }
            n_fg += 1;
            if stage != Stage::Placement {
                let cx = ((bx * BLOCK) as f32 + BLOCK as f32 / 2.0).min(w as f32 - 1.0);
                let cy = ((by * BLOCK) as f32 + BLOCK as f32 / 2.0).min(h as f32 - 1.0);
                let rb: RidgeBlock = profiler.analyse(px, w, h, cx, cy, b.orientation[(by, bx)]);
                b.period[(by, bx)] = rb.period;
                b.clarity[(by, bx)] = rb.clarity;
                b.ridge_width[(by, bx)] = rb.ridge_width;
                b.valley_width[(by, bx)] = rb.valley_width;
                b.dark_share[(by, bx)] = rb.dark_share;
                b.texture[(by, bx)] = rb.texture;
                b.ridge_gaps[(by, bx)] = rb.ridge_gaps;
                b.valley_bridges[(by, bx)] = rb.valley_bridges;
                b.amplitude[(by, bx)] = rb.profile_max - rb.profile_min;
                let q = block_quality(&rb, b.coherence[(by, bx)]);
                r.quality_map[(by, bx)] = (q * 100.0).round() as u8;
                quality_sum += q;
                balanced_sum += q * width_balance(&rb).powi(WIDTH_BALANCE_EXPONENT);
                bridges_sum += rb.valley_bridges;
                qualities.push(q);
                if rb.period > 0.0 {
                    periods.push(rb.period);
                }
                amplitudes.push(rb.profile_max - rb.profile_min);
            }
            // Block area actually inside the image.
            let (bwid, bhei) = (BLOCK.min(w - bx * BLOCK), BLOCK.min(h - by * BLOCK));
            area500 += (bwid * bhei) as u64;
            sx += (bx * BLOCK) as f64 + bwid as f64 / 2.0;
            sy += (by * BLOCK) as f64 + bhei as f64 / 2.0;
            minx = minx.min(bx);
            miny = miny.min(by);
            maxx = maxx.max(bx);
            maxy = maxy.max(by);
        }
    }
    r.ridge_period = median(&mut periods);
    r.ridge_contrast = median(&mut amplitudes);
    // The worst quarter of the blocks, before moisture reuses the buffer.
    let low_quartile = quantile(&mut s.more_values[0], 1, 4);
    s.values = periods;
    s.block_values = amplitudes;

    // Foreground summary, reported in input pixels.
    let fg = &mut r.foreground;
    fg.area_px_500 = area500;
    fg.area_px = (area500 as f64 / (scale as f64 * scale as f64)).round() as u64;
    fg.fraction = area500 as f32 / (w * h) as f32;
    r.actionable.foreground_px = area500;
    if n_fg > 0 {
        let inv = 1.0 / scale;
        fg.centroid = Some((
            (sx / n_fg as f64) as f32 * inv,
            (sy / n_fg as f64) as f32 * inv,
        ));
        let x0 = (minx * BLOCK) as f32 * inv;
        let y0 = (miny * BLOCK) as f32 * inv;
        let x1 = (((maxx + 1) * BLOCK).min(w) as f32 * inv).min(r.width as f32);
        let y1 = (((maxy + 1) * BLOCK).min(h) as f32 * inv).min(r.height as f32);
        fg.bbox = Some(PixelRect {
            x: x0 as u32,
            y: y0 as u32,
            width: (x1 - x0).round().max(1.0) as u32,
            height: (y1 - y0).round().max(1.0) as u32,
        });
    } else {
        fg.centroid = None;
        fg.bbox = None;
    }
    let frac = |it: &mut dyn Iterator<Item = &bool>, n: usize| {
        it.filter(|&&m| m).count() as f32 / n as f32
    };
    fg.border_touch = [
        frac(&mut fg.mask.column(0).iter(), bh),
        frac(&mut fg.mask.row(0).iter(), bw),
        frac(&mut fg.mask.column(bw - 1).iter(), bh),
        frac(&mut fg.mask.row(bh - 1).iter(), bw),
    ];

    if stage == Stage::Full {
        moisture_and_smudge(px, (w, h), profile, s, profiler, r);
    } else {
        r.foreground.contact.clone_from(&r.foreground.mask);
        r.moisture = Moisture::default();
        r.smudge = Smudge::default();
    }

    let measured = n_fg > 0 && stage != Stage::Placement;
    let per_block = |sum: f32| if measured { sum / n_fg as f32 } else { 0.0 };
    r.mean_block_quality = 100.0 * per_block(quality_sum);
    r.clarity = clarity_score(
        100.0 * per_block(balanced_sum),
        per_block(bridges_sum),
        if measured { low_quartile } else { 0.0 },
    );
}

/// Moisture and smudge, measured against this print's own grey levels.
fn moisture_and_smudge(
    px: &[u8],
    (w, h): (usize, usize),
    profile: &SensorProfile,
    s: &mut Scratch,
    profiler: &mut Profiler,
    r: &mut FingerprintReport,
) {
    let b = &r.blocks;
    let fg = &mut r.foreground;
    let dim = fg.mask.dim();
    let levels = levels::Levels::measure(b, &fg.mask, &mut s.values);
    reset(&mut s.wet_blob, dim, false);
    for (idx, blob) in s.wet_blob.indexed_iter_mut() {
        *blob = levels.is_wet_blob(b, idx);
    }
    // A strong latent print beside the finger passes the foreground test
    // (coherent ridges) but was never touched: it is left out of the
    // contact, so it is judged as residue and not as faint, dry skin.
    let wet_blob = &s.wet_blob;
    smudge::latent_in_foreground(
        b,
        &fg.mask,
        &|i| !wet_blob[i] && !levels.is_touched(b, i),
        0.5 * (levels.ridge + levels.valley),
        &mut s.latent,
        &mut s.values,
        &mut s.mask_scratch,
        &mut s.stack,
        &mut s.cells,
    );
    // Wet blobs and touched but ridgeless blocks join the contact area
    // where they connect to it: flood from the ridge foreground through them.
    fg.contact.clone_from(&fg.mask);
    for (c, &l) in fg.contact.iter_mut().zip(s.latent.iter()) {
        *c &= !l;
    }
    s.stack.clear();
    s.stack.extend(
        fg.contact
            .indexed_iter()
            .filter(|(_, &m)| m)
            .map(|(i, _)| i),
    );
    while let Some(idx) = s.stack.pop() {
        for i in segment::around(idx, 1, dim) {
            let touched = levels.is_touched(b, i) && !smudge::sensor_streaks(b, i);
            if !fg.contact[i] && !s.latent[i] && (s.wet_blob[i] || touched) {
                fg.contact[i] = true;
                s.stack.push(i);
            }
        }
    }
    moisture::measure(
        b,
        &fg.contact,
        &s.wet_blob,
        &levels,
        profile,
        &mut s.values,
        &mut s.more_values,
        &mut r.moisture,
    );
    smudge::measure(
        b,
        &fg.mask,
        &fg.contact,
        &s.wet_blob,
        &levels,
        smudge::Tiles {
            gradient: &s.tiles,
            grey: &s.grey_tiles,
            pixels: px,
            image: (w, h),
            flat: &mut s.tile_flat,
            seen: &mut s.tile_seen,
            reach_max: &mut s.reach_max,
            row_max: &mut s.row_max,
        },
        &mut s.values,
        &mut s.stack,
        &mut |(by, bx)| {
            let cx = ((bx * BLOCK) as f32 + BLOCK as f32 / 2.0).min(w as f32 - 1.0);
            let cy = ((by * BLOCK) as f32 + BLOCK as f32 / 2.0).min(h as f32 - 1.0);
            profiler.analyse(px, w, h, cx, cy, b.orientation[(by, bx)])
        },
        &mut r.smudge,
    );
}

/// Quality of one foreground block, 0..1: local clarity, discounted where
/// the ridge period or the ridge/valley widths are implausible for a
/// finger at 500 ppi (NFIQ 2's LCS gates widths the same way) and where the
/// orientation is uncertain.
fn block_quality(rb: &RidgeBlock, coherence: f32) -> f32 {
    let period_ok = (3.0..=25.0).contains(&rb.period);
    let widths_ok =
        (2.0..=12.0).contains(&rb.ridge_width) && (2.0..=12.0).contains(&rb.valley_width);
    if !period_ok {
        return 0.0;
    }
    let gate = if widths_ok { 1.0 } else { 0.5 };
    let certainty = 0.5 + 0.5 * coherence;
    (rb.clarity * gate * certainty).clamp(0.0, 1.0)
}

/// How evenly one block's ridge profile splits between ridge and valley,
/// 0..1: 1 where ridges and valleys are equally wide, falling with
/// `|ridge - valley| / (ridge + valley)`; 0 where neither was measured.
/// Ink-spread (wet, pressed) ridges that close the valleys and thin, broken
/// (dry, light) ridges both bind to the wrong minutiae once a matcher
/// binarises and thins them, however sharp the profile looks.
fn width_balance(rb: &RidgeBlock) -> f32 {
    let sum = rb.ridge_width + rb.valley_width;
    if sum > 0.0 {
        (1.0 - (rb.ridge_width - rb.valley_width).abs() / sum).clamp(0.0, 1.0)
    } else {
        0.0
    }
}

/// The power on each block's [`width_balance`] before it scales the
/// block's quality: a profile a quarter off balance (ridge 5 px, valley
/// 3 px: balance 0.75) keeps 42 % of its weight. Fitted with the other
/// exponents below, leave-one-sensor-out (docs/fingerprint.md).
const WIDTH_BALANCE_EXPONENT: i32 = 3;

/// The power on the share of the valleys left open (one minus the mean
/// valley-bridge share): sweat or pressure that bridges valleys joins
/// neighbouring ridges into false bifurcations, so a print whose valleys
/// are 10 % bridged keeps 53 %. Fitted with the others.
const OPEN_VALLEY_EXPONENT: i32 = 6;

/// The power on the lower-quartile block quality: under one, so the
/// worst quarter of the contact (a crease, a smeared or broken patch where
/// false minutiae appear) counts beside the average without ruling it.
/// Fitted with the others.
const LOW_QUARTILE_EXPONENT: f32 = 0.75;

/// Intercept and slope of the logistic that turns the clear-ridge product
/// (below) into an expected genuine-comparison failure rate:
/// `fnmr = 1 / (1 + exp(-(a + b ln product)))`. Fitted by maximum
/// likelihood to how often each print of the six shared FVC sets fails its
/// seven genuine BOZORTH3 comparisons (score < 33), pooled, so one clarity
/// reads as one expected FNMR whatever the sensor (docs/fingerprint.md).
const FNMR_LOGIT: (f32, f32) = (1.7230, -1.0566);

/// The headline score, 0..100: the foreground's mean block quality, each
/// block weighted by how evenly its ridges and valleys share the period,
/// scaled down where sweat bridges the valleys and where the worst quarter
/// of the contact is poor, then read as an expected false non-match rate.
///
/// ```text
/// balanced = mean over foreground blocks of quality x balance^3     (0..100)
/// open     = 1 - mean valley-bridge share
/// low      = lower-quartile block quality                           (0..1)
/// product  = balanced x open^6 x low^0.75
/// clarity  = 100 x (1 - expected FNMR(product))
/// ```
///
/// so a clarity of 70 is a print expected to fail 30 % of its genuine
/// comparisons (BOZORTH3 at 33, pooled over six FVC sensors).
fn clarity_score(balanced_quality: f32, bridges: f32, low_quartile: f32) -> f32 {
    let open = (1.0 - bridges).clamp(0.0, 1.0).powi(OPEN_VALLEY_EXPONENT);
    let low = low_quartile.clamp(0.0, 1.0).powf(LOW_QUARTILE_EXPONENT);
    let product = balanced_quality * open * low;
    if product.is_nan() || product <= 0.0 {
        return 0.0;
    }
    let (a, b) = FNMR_LOGIT;
    let fnmr = 1.0 / (1.0 + (-(a + b * product.ln())).exp());
    (100.0 * (1.0 - fnmr)).clamp(0.0, 100.0)
}

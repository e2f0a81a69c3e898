//! Smudges: smeared ridge structure where the finger clearly touched, a
//! finger that slid (directional motion blur), and a latent print left on
//! the platen by an earlier finger (sensor residue).

use super::levels::Levels;
use super::ridge::{RidgeBlock, BLOCK, TILE};
use super::segment::{around, largest_region, region_from};
use super::BlockMaps;
use ndarray::Array2;

/// Smudge, motion blur and sensor residue measurements.
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Smudge {
    /// Share of the contact area whose ridge structure is smeared away,
    /// 0..1, counted on 8x8 px tiles (at 500 ppi) of the interior contact
    /// blocks (neither wet blobs nor dry fragments, which have reasons of
    /// their own): a tile is smeared when the finger pressed there (no
    /// lighter than a tenth of the ridge-to-valley range above mid grey)
    /// and its RMS gradient is under 0.45 of the ridge detail around it
    /// (the 75th percentile of the ridge blocks' RMS gradient within 3
    /// blocks, and at least half the print's own), both with the sensor
    /// noise's share of the gradient taken out (the noise estimated from
    /// the contact's pixels). Intact ridges, however unclear (core, delta,
    /// crease), hold a ridge edge in every tile.
    pub fraction: f32,
    /// The largest 8-connected patch of smeared tiles (12 tiles, about
    /// 2 mm², at least), as a share of the contact area, 0..1. A smear is
    /// one patch; the scattered unclear spots of a clean print are not.
    pub largest_patch: f32,
    /// Directional blur, 0..1: how strongly ridge sharpness depends on ridge
    /// direction. Local clarity is fitted as `a + b cos 2θ + c sin 2θ` over
    /// the interior contact blocks' ridge directions θ; blocks whose ridges
    /// are gone enter with clarity 0 at right angles to the streaks left in
    /// them, weighted by the streaks' coherence. The measure is
    /// `sqrt(b² + c²) / a`, or, when larger, either the alignment of the
    /// ridgeless blocks' streaks scaled by their share of the contact (in
    /// full from a quarter), or the band contrast: over the 36 directions φ
    /// 5 degrees apart, the largest difference between the mean clarity of
    /// the blocks whose ridges run within 15 degrees of φ and of those at
    /// 45 degrees or more from it, over the mean clarity and divided by
    /// 1.59 (so that a clarity varying as cos 2θ reads as in the fit). A
    /// finger that slid blurs the ridges across its motion and spares the
    /// ridges along it; a slide longer than the ridge period wipes out
    /// every ridge more than about 35 degrees off its direction, a narrower
    /// peak than the fit's cos 2θ follows.
    pub motion_blur: f32,
    /// Direction of the slide, radians 0..pi (image x to the right, y
    /// down), or `None` when too few blocks were measurable.
    pub motion_angle: Option<f32>,
    /// Share of the visible platen (away from the finger) that shows a
    /// faint coherent ridge pattern: a latent print left by an earlier
    /// finger. 0 when too little platen is visible.
    pub residue_fraction: f32,
    /// Per-block smudge evidence 0..1, on the quality map's grid: in the
    /// contact, the share of the block's four tiles that are smeared; on
    /// the platen, the coherence of latent ridges found there.
    pub map: Array2<f32>,
}

/// A contact block has lost its ridges (see [`Smudge::motion_blur`]) when
/// its local clarity is below this (clean ridge blocks sit at 0.6..0.9) ...
const SMEAR_CLARITY: f32 = 0.4;
/// ... or when its ridge amplitude is below this share of the print's.
const SMEAR_AMPLITUDE: f32 = 0.45;
/// A smear is found on the 8x8 px tiles of the first pass, four to a
/// block: a 32 px block window straddles a smear's edge and still sees
/// the ridges beside it, so blocks find only the middle of a smear a few
/// millimetres across. A pressed tile is flattened when its RMS gradient
/// is under this share of the ridge detail around it (the 75th percentile
/// of the foreground blocks' RMS gradient within [`FLAT_REACH`] blocks).
/// A ridge period is 8-11 px, so every tile of intact ridges holds a
/// ridge edge, however unclear the block is (core, delta, crease).
/// Chosen on the 67 clean shared prints and the synthetic smears at
/// severity 0.5 (a pixel-level prototype, largest patch against 0.02 of
/// the contact): 0.4 / 0.45 / 0.5 left the clean prints' largest patch
/// at 0.023 / 0.032 / 0.036 and found 60 / 64 / 64 of the 67 smears; the
/// crate's Sobel tiles leave the clean prints at 0.016 with 0.45 (0.018
/// once the sensor noise is taken out).
const FLAT_TILE_GRADIENT: f32 = 0.45;
/// Reach, in blocks, of the ridge detail a tile is compared with: 3 (a
/// 7x7 block neighbourhood, 5.6 mm) follows a print that fades towards
/// its tip, and a smear covering up to three quarters of it does not
/// pull the reference down.
const FLAT_REACH: usize = 3;
/// ... and never under this share of the print's own ridge detail (the
/// same percentile over the whole foreground): a smear or slide wider
/// than the neighbourhood leaves too few intact ridges in it to compare.
const FLAT_PRINT_SHARE: f32 = 0.5;
/// Share of the contact whose ridges are lost at which streak alignment
/// counts in full. A slide as long as the ridge period wipes out the
/// ridges running across it, up to about half the contact; clean prints
/// lose 4-10 % (core, creases).
const LOST_SHARE: f32 = 0.25;
/// Smallest smeared patch that counts: 12 tiles, about 2 mm² (a
/// blemish below that, however small the contact it sits in).
const MIN_PATCH_TILES: usize = 12;
/// Fewest interior blocks for a directional-blur estimate (about 0.5 cm²).
const MIN_BLUR_BLOCKS: usize = 20;
/// Band contrast (see [`Smudge::motion_blur`]): slide directions tried,
/// every `SLIDE_STEP` degrees ...
const SLIDE_STEP: usize = 5;
/// ... ridges within this many degrees of one are spared by it ...
const SLIDE_BAND: usize = 15;
/// ... and ridges this many degrees or more off it cross it;
const SLIDE_CROSSING: usize = 45;
/// each group holds at least this many blocks.
const SLIDE_MIN_BLOCKS: usize = 6;
/// What the band contrast reads for a clarity `a + A cos 2θ`, over `A / a`
/// (the fit's measure): the mean of `cos` over +-30 degrees (0.955) plus
/// minus its mean over 90..180 degrees (0.637), in doubled angles.
const SLIDE_BAND_GAIN: f32 = 1.59;
/// Latent ridges on the platen: orientation certainty at least this (the
/// platen's sensor noise has none) ...
const RESIDUE_COHERENCE: f32 = 0.45;
/// ... and ridge detail at least this multiple of the platen's noise floor;
const RESIDUE_GRADIENT_RATIO: f32 = 1.6;
/// a latent print repeats at a ridge period (px at 500 ppi) ...
const RESIDUE_PERIOD: std::ops::RangeInclusive<f32> = 5.0..=16.0;
/// ... with a clear ridge profile.
const RESIDUE_CLARITY: f32 = 0.35;
/// Fewest latent blocks that make a residue (3 mm², a few ridges long).
const MIN_LATENT_BLOCKS: usize = 3;

/// A latent print beside the finger can be strong enough to pass the ridge
/// foreground test. It is told from the finger by being faint: a region
/// whose median ridge contrast is below this share of the firmly printed
/// finger's (the foreground's 75th percentile; a latent darkens the platen
/// by tens of grey levels, a pressed finger by a hundred or more). 0.5
/// before: the latents 30-40 grey levels deep beside light prints
/// (eval_degrade's residue rows at 0.75 and 1.0) were found in 59.7-65.7
/// and 23.9-52.2 %, against 85.1-86.6 and 37.3-70.1 % now, with no
/// shared capture's reason changed and no dried print on a wide platen
/// (synthetic, 0.5-1.0) called residue ...
const LATENT_AMPLITUDE: f32 = 0.6;
/// ... lying at least this many blocks (2 mm) from the finger (the largest
/// connected region of firmly printed blocks), so the finger's own faint
/// rim is never taken for a latent, and reaching the bare platen: a faint
/// region enclosed by the finger is lightly pressed skin.
const LATENT_CLEARANCE: usize = 2;

/// Stripes this close to the image's rows or columns (radians, 6 degrees)
/// are the sensor's own fixed pattern (swipe and capacitive sensors show
/// column and row stripes on a bare platen; a thermal sweep streaks its
/// frame along the sweep, a few degrees off the columns), not latent
/// ridges or touch; a latent loses the few of its blocks that happen to
/// run that way.
const AXIS_TOLERANCE: f32 = 6.0 * std::f32::consts::PI / 180.0;

/// Streaks that coherent along the image's rows or columns, off the ridge
/// foreground, are the sensor's own pattern (see [`AXIS_TOLERANCE`]).
const SENSOR_STREAK_COHERENCE: f32 = 0.4;

/// Whether block `idx` shows the sensor's own streaks: coherent texture
/// along the image's rows or columns (see [`AXIS_TOLERANCE`]). Off the
/// ridge foreground they are never a smear or a slide; on it too where the
/// empty sensor is grey (a sweep sensor streaks the finger's rim along the
/// sweep, where the foreground test still finds direction).
pub(crate) fn sensor_streaks(b: &BlockMaps, idx: (usize, usize)) -> bool {
    b.coherence[idx] >= SENSOR_STREAK_COHERENCE && along_an_axis(b.orientation[idx])
}

/// Whether a ridge direction (radians, 0..pi) runs along the image's rows
/// or columns, within [`AXIS_TOLERANCE`].
fn along_an_axis(theta: f32) -> bool {
    let quarter = std::f32::consts::FRAC_PI_2;
    let off = theta.rem_euclid(quarter);
    off.min(quarter - off) < AXIS_TOLERANCE
}

/// Marks in `latent` the foreground blocks that are a latent print rather
/// than the finger: regions of coherent, clear ridges at a ridge period
/// (as residue blocks on the platen must be) that are faint, at least
/// [`LATENT_CLEARANCE`] blocks from the finger and reach the bare
/// platen (`bare`: blocks the finger did not touch at all, neither ridge
/// foreground nor wet or merely touched). A latent lies on the light
/// platen, so its blocks' mean grey is above `light` (the midpoint of the
/// finger's ridge and valley levels); a wet finger's faint parts are
/// dark. `values`, `seen`, `region` and `found` are scratch.
#[allow(clippy::too_many_arguments)] // one private call site; scratch passed in to avoid allocating
pub(crate) fn latent_in_foreground(
    b: &BlockMaps,
    fg: &Array2<bool>,
    bare: &dyn Fn((usize, usize)) -> bool,
    light: f32,
    latent: &mut Array2<bool>,
    values: &mut Vec<f32>,
    seen: &mut Array2<bool>,
    region: &mut Vec<(usize, usize)>,
    found: &mut Vec<(usize, usize)>,
) {
    let dim = fg.dim();
    super::reset(latent, dim, false);
    values.clear();
    values.extend(
        fg.indexed_iter()
            .filter(|&(_, &m)| m)
            .map(|(i, _)| b.amplitude[i]),
    );
    if values.len() < 8 {
        return;
    }
    let faint = LATENT_AMPLITUDE * super::quantile(values, 3, 4);
    // The finger: the largest region of firmly printed blocks.
    let firm = |i: (usize, usize)| fg[i] && b.amplitude[i] >= faint;
    let Some((seed, _)) = largest_region(dim, firm, seen, region) else {
        return;
    };
    super::reset(seen, dim, false);
    region_from(seed, firm, seen, found);
    // Blocks too close to the finger, marked in `latent` for now.
    for &idx in found.iter() {
        for i in around(idx, LATENT_CLEARANCE, dim) {
            latent[i] = true;
        }
    }
    let candidate = |i: (usize, usize)| {
        fg[i]
            && !latent[i]
            && b.mean[i] > light
            && b.coherence[i] >= RESIDUE_COHERENCE
            && b.clarity[i] >= RESIDUE_CLARITY
            && RESIDUE_PERIOD.contains(&b.period[i])
    };
    super::reset(seen, dim, false);
    found.clear();
    for (idx, _) in fg.indexed_iter() {
        if seen[idx] || !candidate(idx) {
            continue;
        }
        region_from(idx, candidate, seen, region);
        let reaches_platen = region
            .iter()
            .any(|&r| around(r, 1, dim).any(|i| !fg[i] && bare(i)));
        values.clear();
        values.extend(region.iter().map(|&i| b.amplitude[i]));
        if reaches_platen && super::median(values) < faint {
            found.extend_from_slice(region);
        }
    }
    latent.fill(false);
    for &i in found.iter() {
        latent[i] = true;
    }
}

/// The first pass's sums over the working image's 8x8 px tiles (two by
/// two to a block), and scratch on the tile grid.
pub(crate) struct Tiles<'a> {
    /// Sobel gradient tensor sums (gx², gy², gx·gy) per tile, row-major.
    pub(crate) gradient: &'a [[f32; 3]],
    /// Grey sum and sum of squares per tile.
    pub(crate) grey: &'a [[u32; 2]],
    /// The working image's pixels, row-major without padding.
    pub(crate) pixels: &'a [u8],
    /// The working image's width and height in px.
    pub(crate) image: (usize, usize),
    /// Scratch: the flattened tiles.
    pub(crate) flat: &'a mut Array2<bool>,
    /// Scratch: tiles visited by the patch search.
    pub(crate) seen: &'a mut Array2<bool>,
    /// Scratch on the block grid: the strongest ridge detail within
    /// [`FLAT_REACH`] blocks, and its first (row-wise) pass.
    pub(crate) reach_max: &'a mut Array2<f32>,
    pub(crate) row_max: &'a mut Array2<f32>,
}

impl Tiles<'_> {
    /// Tiles across and down.
    fn dim(&self) -> (usize, usize) {
        (self.image.1.div_ceil(TILE), self.image.0.div_ceil(TILE))
    }

    /// Mean grey and RMS Sobel gradient (grey levels per px, as
    /// [`BlockMaps::gradient`]) of tile `(ty, tx)`; edge tiles may be
    /// partial.
    fn mean_and_detail(&self, (ty, tx): (usize, usize)) -> (f32, f32) {
        let (w, h) = self.image;
        let px = ((w - tx * TILE).min(TILE) * (h - ty * TILE).min(TILE)).max(1) as f32;
        let i = ty * w.div_ceil(TILE) + tx;
        let g = self.gradient[i];
        let mean = self.grey[i][0] as f32 / px;
        (mean, ((g[0] + g[1]) / px).sqrt() / 8.0)
    }
}

/// Measures smudge from the block maps and the first pass's tiles.
/// `contact` is the contact mask, `fg` the ridge foreground, `wet_blob`
/// the wet blobs. `values` and `region` are scratch;
/// `ridge_at` analyses the ridge profile of a background block (only the
/// few that look like latent ridges are analysed).
#[allow(clippy::too_many_arguments)] // one private call site; scratch passed in to avoid allocating
pub(crate) fn measure(
    b: &BlockMaps,
    fg: &Array2<bool>,
    contact: &Array2<bool>,
    wet_blob: &Array2<bool>,
    levels: &Levels,
    tiles: Tiles<'_>,
    values: &mut Vec<f32>,
    region: &mut Vec<(usize, usize)>,
    ridge_at: &mut dyn FnMut((usize, usize)) -> RidgeBlock,
    out: &mut Smudge,
) {
    let (h, w) = fg.dim();
    super::reset(&mut out.map, (h, w), 0.0);
    let tile_dim = tiles.dim();
    super::reset(tiles.flat, tile_dim, false);
    reach_max(b, fg, tiles.row_max, tiles.reach_max);
    // Interior blocks only: a window that straddles the finger's edge is
    // unclear for reasons that have nothing to do with smudging.
    let interior = |(y, x): (usize, usize)| {
        y > 0
            && x > 0
            && y + 1 < h
            && x + 1 < w
            && contact[(y - 1, x)]
            && contact[(y + 1, x)]
            && contact[(y, x - 1)]
            && contact[(y, x + 1)]
    };
    let (mut n, mut blur_blocks) = (0usize, 0usize);
    // Interior tiles, and those flattened.
    let (mut n_tiles, mut flat_tiles) = (0usize, 0usize);
    // A smear leaves grey where the finger pressed: lighter tiles are
    // light contact (low pressure, dry skin), which have reasons of their
    // own.
    let pressed = 0.5 * (levels.ridge + levels.valley) + 0.1 * (levels.valley - levels.ridge);
    // The least a tile's reference can be: a share of the print's own
    // ridge detail (75th percentile over the foreground), for smears too
    // wide for the neighbourhood's reference.
    values.clear();
    values.extend(
        fg.indexed_iter()
            .filter(|&(_, &m)| m)
            .map(|(i, _)| b.gradient[i]),
    );
    let floor = FLAT_PRINT_SHARE * super::quantile(values, 3, 4);
    // The sensor's noise holds up every tile's gradient, a smeared tile's
    // as much as a ridge tile's, so it is taken out of both (in
    // quadrature) before they are compared: white noise of sd s gives the
    // Sobel gradient an RMS of sqrt(0.375) s.
    let noise = SOBEL_NOISE_GAIN * noise_sd(tiles.pixels, tiles.image, contact);
    let detail_of = |d: f32| (d * d - noise * noise).max(0.0).sqrt();
    // Coherence-weighted doubled-angle sums of the lost blocks' streak
    // directions: (sum w cos 2θ, sum w sin 2θ).
    let (mut streak_cos, mut streak_sin) = (0f32, 0f32);
    let mut lost_blocks = 0usize;
    // The fit's blocks by direction, for the band contrast.
    let mut directions = Directions::default();
    // Least-squares fit of clarity against ridge orientation,
    // clarity = a + b cos 2θ + c sin 2θ, over interior blocks: sums for the
    // 3x3 normal equations.
    let mut ne = [[0.0f64; 4]; 3];
    for (idx, &c) in contact.indexed_iter() {
        if !c
            || !interior(idx)
            || wet_blob[idx]
            || levels.is_dry_fragment(b, idx)
            || ((!fg[idx] || levels.dark_platen) && sensor_streaks(b, idx))
        {
            continue;
        }
        n += 1;
        // Smeared: a pressed tile whose ridge detail is flattened against
        // the ridges around it (a smear drags grey across the valleys;
        // streaks along the drag are faint). The block's map value is
        // the share of its tiles that are.
        let mut reference = None;
        let mut block_flat = 0usize;
        // The reference can be no more than the neighbourhood's strongest
        // ridge detail: a tile at or above this share of that is intact
        // without taking the percentile.
        let bound = FLAT_TILE_GRADIENT * detail_of(tiles.reach_max[idx].max(floor));
        let (ty0, tx0) = (idx.0 * 2, idx.1 * 2);
        let tile_rows = ty0..(ty0 + 2).min(tile_dim.0);
        for t in tile_rows.flat_map(|ty| (tx0..(tx0 + 2).min(tile_dim.1)).map(move |tx| (ty, tx))) {
            n_tiles += 1;
            let (mean, detail) = tiles.mean_and_detail(t);
            let detail = detail_of(detail);
            if mean > pressed || detail >= bound {
                continue;
            }
            let around =
                *reference.get_or_insert_with(|| detail_of(local_detail(b, fg, idx).max(floor)));
            if detail < FLAT_TILE_GRADIENT * around {
                tiles.flat[t] = true;
                block_flat += 1;
            }
        }
        flat_tiles += block_flat;
        out.map[idx] = block_flat as f32 / 4.0;
        // Contact without ridge foreground: touched, but no ridges left.
        let c = if fg[idx] { b.clarity[idx] } else { 0.0 };
        // Blocks whose ridges are lost (no ridge foreground, unclear or
        // flattened) keep only streaks along the slide, whatever the ridges
        // did there: their directions, weighted by the streaks' coherence,
        // line up after a slide and scatter on a clean print.
        let lost =
            !fg[idx] || c < SMEAR_CLARITY || b.amplitude[idx] < SMEAR_AMPLITUDE * levels.amplitude;
        if lost {
            let w = b.coherence[idx];
            let t = 2.0 * b.orientation[idx];
            streak_cos += w * t.cos();
            streak_sin += w * t.sin();
            lost_blocks += 1;
        }
        // A ridgeless contact block enters the fit with no sharpness, at
        // right angles to what is left in it: a slide wipes out the ridges
        // that ran across it and leaves streaks along it, so the lost
        // ridges ran across the streaks. Weighted by the streaks'
        // coherence: a block of plain noise says nothing about direction.
        let (theta, sharp, weight) = if !fg[idx] || b.period[idx] <= 0.0 {
            (
                b.orientation[idx] as f64 + std::f64::consts::FRAC_PI_2,
                0.0f64,
                b.coherence[idx] as f64,
            )
        } else {
            blur_blocks += 1;
            (b.orientation[idx] as f64, c as f64, 1.0)
        };
        directions.add(theta as f32, sharp as f32, weight as f32);
        let t = 2.0 * theta;
        let basis = [1.0, t.cos(), t.sin()];
        for (i, row) in ne.iter_mut().enumerate() {
            for (j, v) in basis.iter().enumerate() {
                row[j] += weight * basis[i] * v;
            }
            row[3] += weight * basis[i] * sharp;
        }
    }
    out.fraction = if n_tiles > 0 {
        flat_tiles as f32 / n_tiles as f32
    } else {
        0.0
    };
    // A patch smaller than MIN_PATCH_TILES is a blemish, not a smear,
    // however small the contact area it sits in.
    let flat = &*tiles.flat;
    let patch =
        largest_region(tile_dim, |t| flat[t], tiles.seen, region).map_or(0, |(_, size)| size);
    out.largest_patch = if patch >= MIN_PATCH_TILES {
        patch as f32 / n_tiles as f32
    } else {
        0.0
    };

    // The fit's amplitude over its mean is the directional blur; the
    // ridge direction where clarity peaks is the direction of the slide
    // (ridges along the motion keep their sharpness).
    out.motion_blur = 0.0;
    out.motion_angle = None;
    // Eight lost blocks at least (about 5 mm²) before their streaks'
    // alignment means anything.
    if n >= MIN_BLUR_BLOCKS && lost_blocks >= 8 {
        // Coherence-weighted alignment of the streaks' directions, 0..1.
        let align = (streak_cos * streak_cos + streak_sin * streak_sin).sqrt() / lost_blocks as f32;
        let share = lost_blocks as f32 / n as f32;
        out.motion_blur = (align * (share / LOST_SHARE).min(1.0)).clamp(0.0, 1.0);
        out.motion_angle =
            Some((0.5 * streak_sin.atan2(streak_cos)).rem_euclid(std::f32::consts::PI));
    }
    if blur_blocks >= MIN_BLUR_BLOCKS {
        if let Some([a, bc, bs]) = solve3(ne) {
            if a > 1e-3 {
                let fit = (((bc * bc + bs * bs).sqrt() / a) as f32).clamp(0.0, 1.0);
                if fit > out.motion_blur {
                    out.motion_blur = fit;
                    out.motion_angle =
                        Some((0.5 * bs.atan2(bc)).rem_euclid(std::f64::consts::PI) as f32);
                }
            }
        }
    }

    if blur_blocks >= MIN_BLUR_BLOCKS {
        if let Some((contrast, phi)) = directions.band_contrast() {
            if contrast > out.motion_blur {
                out.motion_blur = contrast.min(1.0);
                out.motion_angle = Some(phi);
            }
        }
    }

    // Residue: the bare platen (see `bare_platen`) showing coherent ridges.
    // A latent darkens a light platen; where the empty sensor is grey (a
    // thermal sweep reads the finger's heat as it passes, and keeps no
    // deposit in view), its frame's texture is no latent.
    out.residue_fraction = 0.0;
    let platen = if levels.dark_platen {
        None
    } else {
        platen_noise(b, contact, values)
    };
    if let Some((platen_floor, total, skip_edge)) = platen {
        let floor = platen_floor.max(0.25);
        let mut latent = 0usize;
        for (idx, &c) in contact.indexed_iter() {
            if c || !bare_platen(contact, idx) || (skip_edge && at_the_edge(idx, contact.dim())) {
                continue;
            }
            if b.coherence[idx] < RESIDUE_COHERENCE
                || b.gradient[idx] < RESIDUE_GRADIENT_RATIO * floor
                || along_an_axis(b.orientation[idx])
            {
                continue;
            }
            // A latent print repeats at a ridge period; a platen edge or a
            // scratch is one line and does not.
            let rb = ridge_at(idx);
            if RESIDUE_PERIOD.contains(&rb.period) && rb.clarity >= RESIDUE_CLARITY {
                latent += 1;
                out.map[idx] = b.coherence[idx];
            }
        }
        // A latent holds several ridges: a block or two of coherent
        // texture on the platen (dust, a scratch) is not one.
        if latent >= MIN_LATENT_BLOCKS {
            out.residue_fraction = latent as f32 / total as f32;
        }
    }
}

/// RMS Sobel gradient (over 8, as [`BlockMaps::gradient`]) of white noise
/// of unit sd: each axis sums twelve squared weights.
const SOBEL_NOISE_GAIN: f32 = 0.612;

/// The sensor noise's standard deviation in grey levels, from the contact
/// area's pixels (Immerkær, "Fast noise variance estimation", 1996): the
/// mean absolute response to the 3x3 mask that is the outer product of
/// (1, -2, 1) with itself, times sqrt(pi / 2) / 6. The mask cancels
/// every grey ramp and every pattern that runs along a row or a column,
/// and keeps under 4 % of ridges 10 px apart at any angle, so what it
/// reads is noise. Sixteen pixels per contact block (every fourth row and
/// column) are enough; 0 with fewer than 100.
fn noise_sd(px: &[u8], (w, h): (usize, usize), contact: &Array2<bool>) -> f32 {
    let (mut sum, mut n) = (0u64, 0u32);
    for ((by, bx), _) in contact.indexed_iter().filter(|&(_, &c)| c) {
        for y in (by * BLOCK + 2..(by + 1) * BLOCK).step_by(4) {
            if y + 1 >= h {
                break;
            }
            let rows = [y - 1, y, y + 1].map(|r| &px[r * w..(r + 1) * w]);
            for x in (bx * BLOCK + 2..(bx + 1) * BLOCK).step_by(4) {
                if x + 1 >= w {
                    break;
                }
                // (1, -2, 1) along each row, then (1, -2, 1) down.
                let d = |r: &[u8]| i32::from(r[x - 1]) - 2 * i32::from(r[x]) + i32::from(r[x + 1]);
                let v = d(rows[0]) - 2 * d(rows[1]) + d(rows[2]);
                sum += u64::from(v.unsigned_abs());
                n += 1;
            }
        }
    }
    if n < 100 {
        return 0.0;
    }
    std::f32::consts::FRAC_PI_2.sqrt() / 6.0 * (sum as f32 / n as f32)
}

/// Whether block `idx` lies in the image's outer ring of blocks, where
/// the prism's or the sensor's frame (dark curved corners, an edge's
/// shading) shows coherent texture on many sensors: it is no latent,
/// which lies where fingers are placed.
fn at_the_edge((y, x): (usize, usize), (h, w): (usize, usize)) -> bool {
    y == 0 || x == 0 || y + 1 >= h || x + 1 >= w
}

/// Whether block `idx` is bare platen for the residue check: two blocks
/// (2 mm) or more from the contact, so the finger's own fading edge does
/// not count.
fn bare_platen(contact: &Array2<bool>, idx: (usize, usize)) -> bool {
    around(idx, 2, contact.dim()).all(|i| !contact[i])
}

/// The platen's noise floor, where enough bare platen shows: the quietest
/// fifth of the RMS gradients of the blocks two or more (2 mm) from the
/// contact, how many such blocks there are, and whether the image's
/// outer ring is left out of them (it is when eight blocks show without
/// it: a frame's texture is no latent, but on a small image whose finger
/// fills the middle the ring may be all the platen there is); `None`
/// under eight (2 mm², too little for a reference). `values` is scratch.
fn platen_noise(
    b: &BlockMaps,
    contact: &Array2<bool>,
    values: &mut Vec<f32>,
) -> Option<(f32, usize, bool)> {
    let dim = contact.dim();
    for skip_edge in [true, false] {
        values.clear();
        values.extend(
            contact
                .indexed_iter()
                .filter(|&(i, _)| bare_platen(contact, i) && !(skip_edge && at_the_edge(i, dim)))
                .map(|(i, _)| b.gradient[i]),
        );
        if values.len() >= 8 {
            return Some((super::quantile(values, 1, 5), values.len(), skip_edge));
        }
    }
    None
}

/// The strongest ridge detail (RMS gradient of a ridge block) within
/// [`FLAT_REACH`] blocks of each block, into `out` (`rows` is scratch): a
/// running maximum along the rows, then down the columns.
fn reach_max(b: &BlockMaps, fg: &Array2<bool>, rows: &mut Array2<f32>, out: &mut Array2<f32>) {
    let (h, w) = fg.dim();
    super::reset(rows, (h, w), 0.0);
    super::reset(out, (h, w), 0.0);
    for y in 0..h {
        for x in 0..w {
            let span = x.saturating_sub(FLAT_REACH)..(x + FLAT_REACH + 1).min(w);
            rows[(y, x)] = span
                .filter(|&xx| fg[(y, xx)])
                .map(|xx| b.gradient[(y, xx)])
                .fold(0.0, f32::max);
        }
    }
    for y in 0..h {
        for x in 0..w {
            let span = y.saturating_sub(FLAT_REACH)..(y + FLAT_REACH + 1).min(h);
            out[(y, x)] = span.map(|yy| rows[(yy, x)]).fold(0.0, f32::max);
        }
    }
}

/// The ridge detail around `idx`: the 75th percentile of the RMS gradient
/// over the ridge blocks within [`FLAT_REACH`] blocks (a smear covering up
/// to three quarters of the neighbourhood does not drag it down); 0 with
/// fewer than 8 of them.
fn local_detail(b: &BlockMaps, fg: &Array2<bool>, idx: (usize, usize)) -> f32 {
    const SIDE: usize = 2 * FLAT_REACH + 1;
    let mut near = [0.0f32; SIDE * SIDE];
    let mut k = 0;
    for i in around(idx, FLAT_REACH, fg.dim()) {
        if fg[i] {
            near[k] = b.gradient[i];
            k += 1;
        }
    }
    if k < 8 {
        return 0.0;
    }
    super::quantile(&mut near[..k], 3, 4)
}

/// The fit's blocks binned by ridge direction, one bin per degree:
/// weight, weighted clarity and blocks.
struct Directions {
    weight: [f32; 180],
    clarity: [f32; 180],
    blocks: [u32; 180],
}

impl Default for Directions {
    fn default() -> Self {
        Self {
            weight: [0.0; 180],
            clarity: [0.0; 180],
            blocks: [0; 180],
        }
    }
}

impl Directions {
    /// Adds a block with ridges along `theta` (radians, any turn).
    fn add(&mut self, theta: f32, clarity: f32, weight: f32) {
        // A float-to-integer cast saturates (NaN to 0), so any angle lands
        // in a bin.
        let bin = (theta.to_degrees().rem_euclid(180.0) as usize).min(179);
        self.weight[bin] += weight;
        self.clarity[bin] += weight * clarity;
        self.blocks[bin] += 1;
    }

    /// Weight, weighted clarity and blocks of the bins whose centres lie
    /// within `reach` degrees of `phi` (less than `reach`, bins of one
    /// degree centred half a degree past their start).
    fn around(&self, phi: usize, reach: usize) -> (f32, f32, u32) {
        let (mut w, mut c, mut n) = (0f32, 0f32, 0u32);
        // Bins phi - reach .. phi + reach - 1, turning round at 180.
        for k in 0..2 * reach {
            let bin = (phi + 180 + k - reach) % 180;
            w += self.weight[bin];
            c += self.clarity[bin];
            n += self.blocks[bin];
        }
        (w, c, n)
    }

    /// The band contrast of [`Smudge::motion_blur`] and its direction
    /// (radians); `None` when no direction has enough blocks on both sides
    /// or no clarity at all.
    fn band_contrast(&self) -> Option<(f32, f32)> {
        let (sw, sc, sn) = self.around(0, 90);
        if sw <= 0.0 || sc <= 1e-3 * sw {
            return None;
        }
        let mean = sc / sw;
        let mut best: Option<(f32, usize)> = None;
        for phi in (0..180).step_by(SLIDE_STEP) {
            let (aw, ac, an) = self.around(phi, SLIDE_BAND);
            let (nw, nc, nn) = self.around(phi, SLIDE_CROSSING);
            let (xw, xc, xn) = (sw - nw, sc - nc, sn - nn);
            if (an as usize) < SLIDE_MIN_BLOCKS
                || (xn as usize) < SLIDE_MIN_BLOCKS
                || aw <= 0.0
                || xw <= 0.0
            {
                continue;
            }
            let contrast = (ac / aw - xc / xw) / (mean * SLIDE_BAND_GAIN);
            if best.is_none_or(|(b, _)| contrast > b) {
                best = Some((contrast, phi));
            }
        }
        best.filter(|&(c, _)| c > 0.0)
            .map(|(c, phi)| (c, (phi as f32).to_radians()))
    }
}

/// Solves the 3x3 system given as augmented rows, by Cramer's rule; `None`
/// when it is singular (all blocks share one ridge direction).
fn solve3(m: [[f64; 4]; 3]) -> Option<[f64; 3]> {
    let det = |c: [[f64; 3]; 3]| {
        c[0][0] * (c[1][1] * c[2][2] - c[1][2] * c[2][1])
            - c[0][1] * (c[1][0] * c[2][2] - c[1][2] * c[2][0])
            + c[0][2] * (c[1][0] * c[2][1] - c[1][1] * c[2][0])
    };
    let a = [0, 1, 2].map(|i| [m[i][0], m[i][1], m[i][2]]);
    let d = det(a);
    if d.abs() < 1e-9 * (1.0 + a[0][0].powi(3)) {
        return None;
    }
    let mut x = [0.0; 3];
    for (k, xk) in x.iter_mut().enumerate() {
        let mut c = a;
        for i in 0..3 {
            c[i][k] = m[i][3];
        }
        *xk = det(c) / d;
    }
    Some(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Blocks every 3 degrees, each with clarity `f(direction in degrees)`.
    fn directions(f: impl Fn(f32) -> f32) -> Directions {
        let mut d = Directions::default();
        for k in 0..120 {
            let deg = k as f32 * 1.5;
            d.add(deg.to_radians(), f(deg), 1.0);
        }
        d
    }

    #[test]
    fn band_contrast_finds_a_slides_direction() {
        // A slide along 30 degrees: ridges within 20 degrees of it stay
        // sharp, the rest are wiped out.
        let slid = directions(|deg| {
            let d = (deg - 30.0).rem_euclid(180.0);
            if d.min(180.0 - d) < 20.0 {
                0.7
            } else {
                0.1
            }
        });
        let (contrast, phi) = slid.band_contrast().unwrap();
        assert!(contrast > 0.5, "{contrast}");
        assert!((phi.to_degrees() - 30.0).abs() <= 5.0, "{phi}");
        // Sharpness that does not depend on direction: no contrast.
        let clean = directions(|_| 0.7);
        assert!(clean.band_contrast().is_none_or(|(c, _)| c < 0.01));
        // A cos 2θ dependence reads about as the fit's b / a does (0.3).
        let cos = directions(|deg| 0.5 + 0.15 * (2.0 * (deg - 60.0).to_radians()).cos());
        let (c, phi) = cos.band_contrast().unwrap();
        assert!((c - 0.3).abs() < 0.02, "{c}");
        assert!((phi.to_degrees() - 60.0).abs() < 1e-3, "{phi}");
        // Too few blocks: nothing to say.
        let mut few = Directions::default();
        few.add(0.3, 0.9, 1.0);
        few.add(1.7, 0.1, 1.0);
        assert!(few.band_contrast().is_none());
    }

    #[test]
    fn solve3_recovers_a_known_solution() {
        // x = (1, -2, 0.5)
        let a = [[2.0, 1.0, 0.0], [1.0, 3.0, 1.0], [0.0, 1.0, 4.0]];
        let x = [1.0, -2.0, 0.5];
        let m = [0, 1, 2].map(|i| {
            [
                a[i][0],
                a[i][1],
                a[i][2],
                a[i][0] * x[0] + a[i][1] * x[1] + a[i][2] * x[2],
            ]
        });
        let got = solve3(m).unwrap();
        for k in 0..3 {
            assert!((got[k] - x[k]).abs() < 1e-9);
        }
        assert!(solve3([[1.0, 1.0, 1.0, 0.0]; 3]).is_none());
    }
}

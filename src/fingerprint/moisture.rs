//! Moisture: is the finger too wet (ridges merge into dark blobs) or too
//! dry (faint, thin, broken ridges)?
//!
//! The evidence is physical and holds across optical and capacitive
//! sensors because it is measured relative to the print's own ridge and
//! valley grey levels, not to absolute grey:
//!
//! - ridge duty: the share of each ridge profile darker than the midpoint
//!   of its range; sweat spreads ridges into the valleys (share well above
//!   the normal 0.48), dry skin leaves thin ridges (well below it). (A
//!   per-pixel share, each block's pixels darker than the midpoint of its
//!   10th and 90th grey percentiles, was tried: on the 67 clean shared
//!   prints it spreads as widely (p5..p95 0.38..0.56 against 0.38..0.57)
//!   but moves less when the ridges spread by a pixel (3x3 grey erosion:
//!   median +0.10 against +0.14; 3x3 dilation: -0.10 against -0.15), so
//!   the oriented profile is kept);
//! - ridge texture: whether the grey varies along the ridges (pores,
//!   breaks: dry skin breaks ridges into dots) or along the valleys (dark
//!   bridges: sweat fills them). It is read together with the duty and
//!   the asymmetry (see [`DUTY_TEXTURE_WEIGHT`]): alone it follows them on
//!   clean prints, and it was first dropped for that reason, before the
//!   sum turned out to cancel how fingers differ;
//! - ridge asymmetry: the ridge profile's second harmonic in phase with
//!   its fundamental, positive when ridges are wider than valleys. It
//!   reads the whole profile, not its extremes, so a blur shrinks it less
//!   than the duty, and the print's ridge sharpness scales it back (see
//!   [`ASYMMETRY_TEXTURE_WEIGHT`]); the stronger of the duty's and the
//!   asymmetry's evidence counts;
//! - wet blobs: blocks where the finger touched but the ridges merged into
//!   one dark patch (dark, structureless);
//! - dry fragments: blocks inside the contact area that are light and
//!   nearly blank (broken ridges, patchy contact).

use super::levels::Levels;
use super::BlockMaps;
use crate::verdict::Severity;
use ndarray::Array2;

/// Moisture class, from [`Moisture::index`] and the documented bands
/// [`DRY_BAND`] and [`WET_BAND`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "snake_case")
)]
pub enum MoistureClass {
    /// Index at or below [`DRY_BAND`].
    Dry,
    /// Between the bands.
    #[default]
    Normal,
    /// Index at or above [`WET_BAND`].
    Wet,
}

impl MoistureClass {
    /// `"dry"`, `"normal"` or `"wet"`, as the JSON contract spells them.
    pub fn as_str(self) -> &'static str {
        match self {
            MoistureClass::Dry => "dry",
            MoistureClass::Normal => "normal",
            MoistureClass::Wet => "wet",
        }
    }
}

/// Index at or below which a print is classed dry. On the 67 clean shared
/// prints (FVC2000 DB1/DB2, NFIQ 2 >= 50) the index spans -0.30..+0.24 (p5
/// -0.08, p95 +0.13). (With the duty alone it spanned -0.47..+0.27, and
/// DB2 107_6, a light print with thin ridges, was past this band.)
pub const DRY_BAND: f32 = -0.35;
/// Index at or above which a print is classed wet, above the clean
/// prints' maximum (+0.24).
pub const WET_BAND: f32 = 0.28;

/// How wet or dry the finger was.
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Moisture {
    /// -1 (very dry) .. 0 (normal) .. +1 (very wet):
    ///
    /// ```text
    /// index = clamp(evidence + 5 x wet_blob_fraction
    ///               - 3 x dry_fragment_fraction, -1, 1)
    /// evidence = whichever of by_duty and by_asymmetry is further from 0
    /// by_duty = band(ridge_duty + 0.2 x (ridge_texture - 0.18), 0.465, 0.035, 0.065)
    /// by_asymmetry = band(e, -0.013, 0.045, 0.07)
    /// e = (ridge_asymmetry + 0.15 x (ridge_texture - 0.18))
    ///     x (3.44 / max(ridge_sharpness, pi))²
    /// band(x, c, dead, span) = clamp(sign(x - c) x max(0, |x - c| - dead) / span, -1, 1)
    /// ```
    ///
    /// The duty and the asymmetry are each read with the texture: on clean
    /// prints they go together, so the sums cancel much of how fingers
    /// differ, while sweat and dry skin move them apart (see
    /// [`Moisture::ridge_texture`]). A soft print's asymmetry is scaled up
    /// by its sharpness (see [`Moisture::ridge_sharpness`]): a blur shrinks
    /// the duty's evidence most, a heavy spread of the ridges (flat-topped,
    /// steep profiles) the asymmetry's.
    ///
    /// Dry fragments count only inside the contact (all eight neighbours
    /// touched): the contact's rim is faint on every print.
    pub index: f32,
    /// Class from the index.
    pub class: MoistureClass,
    /// How far into its class the index lies (`None` when normal).
    pub severity: Option<Severity>,
    /// Ridge duty over the contact area: the mean of the middle half of the
    /// blocks' duties (0.5 = ridges as wide as valleys).
    pub ridge_duty: f32,
    /// Where the grey varies along the ridges over the contact area, -1..1:
    /// the mean of the middle half of the blocks' textures (the variance
    /// along the ridges minus that along the valleys, over their sum).
    /// Pores and breaks in the ridges raise it; dark bridges across the
    /// valleys lower it.
    pub ridge_texture: f32,
    /// Ridge profile asymmetry over the contact area, about -1..1: the mean
    /// of the middle half of the blocks' asymmetries. Each is the ridge
    /// profile's second harmonic in phase with its fundamental, over the
    /// fundamental: `-cos(pi d)` for dark ridges a fraction `d` of the
    /// period wide, so 0 for ridges as wide as valleys, positive when sweat
    /// spreads them, negative when dry skin thins them. It reads the whole
    /// profile rather than its extremes, so a blur shrinks it less than
    /// the duty.
    pub ridge_asymmetry: f32,
    /// Ridge sharpness over the contact area: the mean of the middle half
    /// of the blocks' steepest profile steps, in profile ranges per ridge
    /// period (pi for a sine-shaped profile; the clean shared prints'
    /// median is 3.44). A blur lowers it.
    pub ridge_sharpness: f32,
    /// Share of the contact area that is wet blobs (dark, structureless).
    pub wet_blob_fraction: f32,
    /// Share of the contact area that is dry fragments (light, nearly blank).
    pub dry_fragment_fraction: f32,
    /// Per-block moisture, -1 (dry) .. +1 (wet), 0 outside the contact area.
    pub map: Array2<f32>,
}

/// The first moisture evidence reads the ridge duty together with the
/// ridge texture: `duty + TEXTURE_WEIGHT x (texture - TEXTURE_NORMAL)`, the
/// "effective duty". On clean prints the two go together (correlation
/// -0.95 on the 67 clean shared prints: a thin-ridged finger's profile
/// window holds ridge edges in its ridge columns, a thick-ridged one's in
/// its valley columns), so the sum cancels most of how fingers differ from
/// each other, while a wet or dry finger moves them differently: a 3x3 grey
/// erosion moves the duty by +0.15 and the texture by -0.30 on average
/// (sweat fills the pores in the ridges and bridges the valleys), a
/// dilation the other way (dry skin breaks the ridges into dots). The
/// weight is near Fisher's discriminant for those shifts against the clean
/// prints' spread (0.25), rounded towards the duty; the clean prints'
/// effective duty spans 0.411..0.516 (sd 0.024, where the duty's is 0.055).
const DUTY_TEXTURE_WEIGHT: f32 = 0.2;
/// Effective duty of a normal print, in the middle of the clean prints'.
/// (The duty alone: median 0.48, 90 % of clean prints within 0.37..0.58.)
const DUTY_NORMAL: f32 = 0.465;
/// Deviations of the effective duty up to this are normal variation and
/// give no evidence.
const DUTY_DEAD_ZONE: f32 = 0.035;
/// Past the dead zone, this much more deviation is full evidence (index 1).
/// The centre, dead zone and span were chosen on the 67 clean shared
/// prints and their 3x3 erosions and dilations (no clean print past a
/// band, the most of those found), replacing the duty alone's 0.48, 0.07
/// and 0.13; `eval_degrade`'s synthetic rows, made by other code, are the
/// fairer check (README).
const DUTY_SPAN: f32 = 0.065;
/// The second moisture evidence reads the ridge asymmetry together with
/// the ridge texture, corrected for how soft the print is (the "effective
/// asymmetry"):
///
/// ```text
/// (asymmetry + ASYMMETRY_TEXTURE_WEIGHT x (texture - TEXTURE_NORMAL)) x (SHARPNESS_NORMAL / sharpness)²
/// ```
///
/// - The asymmetry and the texture go together on clean prints (a
///   thin-ridged finger's profile window holds ridge edges in its ridge
///   columns, a thick-ridged one's in its valley columns), so the sum
///   cancels much of how fingers differ from each other, while a wet or
///   dry finger moves them differently (sweat fills the pores in the
///   ridges and bridges the valleys; dry skin breaks the ridges into
///   dots).
/// - A blur (a soft wet finger, a print slightly out of focus) pulls every
///   ridge profile towards a sine and shrinks the asymmetry, and it also
///   softens the profile's steepest step, so dividing by the squared
///   sharpness undoes much of the shrink.
/// - A heavy spread (a 5x5 erosion or dilation) leaves flat-topped
///   profiles with steep edges (sharpness 4.8 to 5.1), where the
///   correction shrinks the asymmetry instead; the duty reads those from
///   the profile's extremes. So the stronger of the two evidences counts
///   (see [`evidence`]).
///
/// Chosen on the 67 clean shared prints (FVC2000 DB1/DB2, NFIQ 2 >= 50),
/// their 3x3, disk and 5x5 grey erosions (wet) and dilations (dry), and
/// all of these blurred (Gaussian sigma 1 px); `eval_degrade`'s other rows
/// are the fairer check (README). With the bands at the clean and blurred
/// clean prints' extremes (none of them past a band):
///
/// - blurred 3x3 erosions found in 7 % of the prints with no sharpness
///   correction, 52 % with its first power, 93 % with the square, 99 %
///   with the cube, which lost unblurred 3x3 erosions (100 to 91 %); these
///   first figures without the Hann window, which added 3 to 27 points;
/// - fitted on the odd prints and tested on the even ones, or the other
///   way: 94 to 100 % of the 3x3 and disk cases found, 1 to 2 % of the
///   clean prints past a band;
/// - the asymmetry alone found 91 % (wet) and 96 % (dry) of the 5x5
///   cases, the stronger of it and the duty 100 % of both; blurred 3x3
///   erosions 91 % (the duty alone 25 %), blurred dilations 97 % (40 %).
const ASYMMETRY_TEXTURE_WEIGHT: f32 = 0.15;
/// Ridge texture of a normal print (median of the 67 clean shared prints).
const TEXTURE_NORMAL: f32 = 0.18;
/// Ridge sharpness of a normal print (median of the 67 clean shared
/// prints; a sine's is pi).
const SHARPNESS_NORMAL: f32 = 3.44;
/// Softer than a sine reads as a sine: the correction stays bounded.
const SHARPNESS_FLOOR: f32 = std::f32::consts::PI;
/// Effective asymmetry of a normal print (median of the 67 clean shared
/// prints and their blurred copies).
const ASYMMETRY_NORMAL: f32 = -0.013;
/// Deviations of the effective asymmetry up to this are normal variation
/// and give no evidence.
const ASYMMETRY_DEAD_ZONE: f32 = 0.045;
/// Past the dead zone, this much more deviation is full evidence (index
/// 1). The centre, dead zone and span put the bands just outside the
/// clean and blurred clean prints' range (README).
const ASYMMETRY_SPAN: f32 = 0.07;
/// Wet blobs: a fifth of the contact area is full evidence (measured
/// below with the duty alone, before the texture joined it). Pooled sweat is
/// the least ambiguous sign of a wet finger, and clean prints show little
/// of it (at most 1.3 % of the contact on the 67 clean shared prints, worth
/// 0.06 of index). With a third, as for dry fragments, a wet print with
/// blobs over 6 % of its contact could still read normal (index 0.24 on one
/// `synth` wet print at severity 0.75) and get only `smudged`. Measured with
/// `eval_degrade` on the clean shared prints: `too_wet` for `synth` wet at
/// severity 0.5 / 0.75 / 1.0 went from 77.6 / 76.1 / 89.6 % to 79.1 / 83.6
/// / 92.5 % and for grey-level erosion (which makes no blobs) at 1.0 from
/// 88.1 to 89.6 %, with no new false flag or contrary hint. Two dry prints
/// that also had a few blobs fell just inside the dry band (synth dry at 1.0
/// 80.6 -> 79.1 %, grey-level dilation at 0.5 80.6 -> 79.1 %), and the
/// reasons on the 103 shared real captures did not change.
const WET_BLOB_GAIN: f32 = 5.0;
/// Dry fragments: a third of the contact area is full evidence (clean
/// prints show up to 6 % inside their contact).
const DRY_FRAGMENT_GAIN: f32 = 3.0;

/// A block whose eight neighbours are all contact. The contact's rim is
/// light and faint on every print (the finger's curve lifts off the
/// platen), so only fragments inside the contact are evidence of dry skin.
fn interior(contact: &Array2<bool>, (y, x): (usize, usize)) -> bool {
    let (h, w) = contact.dim();
    y > 0
        && x > 0
        && y + 1 < h
        && x + 1 < w
        && (y - 1..=y + 1).all(|yy| (x - 1..=x + 1).all(|xx| contact[(yy, xx)]))
}

/// Mean of the middle half of `v` (sorted in place): as robust to a few
/// odd blocks as the median, but it moves smoothly when every ridge
/// spreads a little.
fn middle_mean(v: &mut [f32]) -> f32 {
    v.sort_unstable_by(f32::total_cmp);
    let (lo, hi) = (v.len() / 4, v.len() - v.len() / 4);
    let mid = &v[lo..hi.max(lo + 1).min(v.len())];
    mid.iter().sum::<f32>() / mid.len().max(1) as f32
}

/// The effective duty of a duty and a texture (see [`DUTY_TEXTURE_WEIGHT`]).
fn effective_duty(duty: f32, texture: f32) -> f32 {
    duty + DUTY_TEXTURE_WEIGHT * (texture - TEXTURE_NORMAL)
}

/// Signed evidence from a measure `x` read in a band around `centre`: 0
/// within `dead_zone` of it, then linear to ±1 over `span` more.
fn band(x: f32, centre: f32, dead_zone: f32, span: f32) -> f32 {
    let d = x - centre;
    (d.signum() * (d.abs() - dead_zone).max(0.0) / span).clamp(-1.0, 1.0)
}

/// The effective asymmetry of a block or print (see
/// [`ASYMMETRY_TEXTURE_WEIGHT`]).
fn effective_asymmetry(asymmetry: f32, texture: f32, sharpness: f32) -> f32 {
    let soft = SHARPNESS_NORMAL / sharpness.max(SHARPNESS_FLOOR);
    (asymmetry + ASYMMETRY_TEXTURE_WEIGHT * (texture - TEXTURE_NORMAL)) * soft * soft
}

/// The moisture evidence of a block or print: the stronger of the duty's
/// and the asymmetry's (see [`ASYMMETRY_TEXTURE_WEIGHT`]).
fn evidence(duty: f32, texture: f32, asymmetry: f32, sharpness: f32) -> f32 {
    let by_duty = band(
        effective_duty(duty, texture),
        DUTY_NORMAL,
        DUTY_DEAD_ZONE,
        DUTY_SPAN,
    );
    let by_asymmetry = band(
        effective_asymmetry(asymmetry, texture, sharpness),
        ASYMMETRY_NORMAL,
        ASYMMETRY_DEAD_ZONE,
        ASYMMETRY_SPAN,
    );
    if by_duty.abs() > by_asymmetry.abs() {
        by_duty
    } else {
        by_asymmetry
    }
}

/// Measures moisture from the block maps. `contact` is the contact mask
/// (foreground plus wet blobs); `wet_blob` marks the blobs. `duties` and
/// `more` are scratch.
pub(crate) fn measure(
    b: &BlockMaps,
    contact: &Array2<bool>,
    wet_blob: &Array2<bool>,
    levels: &Levels,
    duties: &mut Vec<f32>,
    more: &mut [Vec<f32>; 3],
    out: &mut Moisture,
) {
    super::reset(&mut out.map, contact.dim(), 0.0);
    duties.clear();
    let [textures, asymmetries, sharpnesses] = more;
    for v in [&mut *textures, &mut *asymmetries, &mut *sharpnesses] {
        v.clear();
    }
    let (mut n, mut blobs, mut frags) = (0usize, 0usize, 0usize);
    for (((idx, &c), &blob), m) in contact
        .indexed_iter()
        .zip(wet_blob.iter())
        .zip(out.map.iter_mut())
    {
        if !c {
            continue;
        }
        n += 1;
        if blob {
            blobs += 1;
            *m = 1.0;
            continue;
        }
        if interior(contact, idx) && levels.is_dry_fragment(b, idx) {
            frags += 1;
            *m = -1.0;
            continue;
        }
        if b.period[idx] > 0.0 {
            duties.push(b.dark_share[idx]);
            textures.push(b.texture[idx]);
            asymmetries.push(b.asymmetry[idx]);
            sharpnesses.push(b.sharpness[idx]);
            *m = evidence(
                b.dark_share[idx],
                b.texture[idx],
                b.asymmetry[idx],
                b.sharpness[idx],
            );
        }
    }
    // The same blocks' measures, each robustly averaged.
    let ridged = !duties.is_empty();
    out.ridge_duty = if ridged { middle_mean(duties) } else { 0.5 };
    out.ridge_texture = if ridged {
        middle_mean(textures)
    } else {
        TEXTURE_NORMAL
    };
    out.ridge_asymmetry = if ridged {
        middle_mean(asymmetries)
    } else {
        0.0
    };
    out.ridge_sharpness = if ridged {
        middle_mean(sharpnesses)
    } else {
        SHARPNESS_NORMAL
    };
    let nf = n.max(1) as f32;
    out.wet_blob_fraction = blobs as f32 / nf;
    out.dry_fragment_fraction = frags as f32 / nf;
    let raw = evidence(
        out.ridge_duty,
        out.ridge_texture,
        out.ridge_asymmetry,
        out.ridge_sharpness,
    ) + WET_BLOB_GAIN * out.wet_blob_fraction
        - DRY_FRAGMENT_GAIN * out.dry_fragment_fraction;
    out.index = if n == 0 { 0.0 } else { raw.clamp(-1.0, 1.0) };
    out.class = if out.index <= DRY_BAND {
        MoistureClass::Dry
    } else if out.index >= WET_BAND {
        MoistureClass::Wet
    } else {
        MoistureClass::Normal
    };
    // Each band runs from its edge to ±1: thirds of it grade the severity.
    out.severity = match out.class {
        MoistureClass::Normal => None,
        MoistureClass::Wet => Some(Severity::grade(
            out.index - WET_BAND,
            (1.0 - WET_BAND) / 3.0,
        )),
        MoistureClass::Dry => Some(Severity::grade(
            DRY_BAND - out.index,
            (1.0 + DRY_BAND) / 3.0,
        )),
    };
}

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
//!   bridges: sweat fills them). It is read together with the duty (see
//!   [`TEXTURE_WEIGHT`]): alone it follows the duty on clean prints, and
//!   it was first dropped for that reason, before the sum of the two
//!   turned out to cancel how fingers differ;
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
    /// index = clamp(evidence(ridge_duty + 0.2 x (ridge_texture - 0.18))
    ///               + 5 x wet_blob_fraction - 3 x dry_fragment_fraction, -1, 1)
    /// evidence(d) = sign(d - 0.465) x max(0, |d - 0.465| - 0.035) / 0.065
    /// ```
    ///
    /// The duty and the texture are read together: on clean prints they go
    /// together, so their sum cancels most of how fingers differ, while
    /// sweat and dry skin move them apart (see [`Moisture::ridge_texture`]).
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
    /// Share of the contact area that is wet blobs (dark, structureless).
    pub wet_blob_fraction: f32,
    /// Share of the contact area that is dry fragments (light, nearly blank).
    pub dry_fragment_fraction: f32,
    /// Per-block moisture, -1 (dry) .. +1 (wet), 0 outside the contact area.
    pub map: Array2<f32>,
}

/// The moisture evidence reads the ridge duty together with the ridge
/// texture: `duty + TEXTURE_WEIGHT x (texture - TEXTURE_NORMAL)`, the
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
const TEXTURE_WEIGHT: f32 = 0.2;
/// Ridge texture of a normal print (median of the 67 clean shared prints).
const TEXTURE_NORMAL: f32 = 0.18;
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

/// The effective duty of a duty and a texture (see [`TEXTURE_WEIGHT`]).
fn effective_duty(duty: f32, texture: f32) -> f32 {
    duty + TEXTURE_WEIGHT * (texture - TEXTURE_NORMAL)
}

/// Signed evidence from an effective duty: 0 inside the dead zone, then
/// linear to ±1.
fn duty_evidence(duty: f32) -> f32 {
    let d = duty - DUTY_NORMAL;
    (d.signum() * (d.abs() - DUTY_DEAD_ZONE).max(0.0) / DUTY_SPAN).clamp(-1.0, 1.0)
}

/// Measures moisture from the block maps. `contact` is the contact mask
/// (foreground plus wet blobs); `wet_blob` marks the blobs. `duties` and
/// `textures` are scratch.
pub(crate) fn measure(
    b: &BlockMaps,
    contact: &Array2<bool>,
    wet_blob: &Array2<bool>,
    levels: &Levels,
    duties: &mut Vec<f32>,
    textures: &mut Vec<f32>,
    out: &mut Moisture,
) {
    super::reset(&mut out.map, contact.dim(), 0.0);
    duties.clear();
    textures.clear();
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
            *m = duty_evidence(effective_duty(b.dark_share[idx], b.texture[idx]));
        }
    }
    // The same blocks' duties and textures, each robustly averaged.
    let (duty, texture) = if duties.is_empty() {
        (0.5, TEXTURE_NORMAL)
    } else {
        (middle_mean(duties), middle_mean(textures))
    };
    let nf = n.max(1) as f32;
    out.ridge_duty = duty;
    out.ridge_texture = texture;
    out.wet_blob_fraction = blobs as f32 / nf;
    out.dry_fragment_fraction = frags as f32 / nf;
    let raw = duty_evidence(effective_duty(duty, texture)) + WET_BLOB_GAIN * out.wet_blob_fraction
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

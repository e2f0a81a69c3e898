//! Moisture: is the finger too wet (ridges merge, valleys fill into dark
//! or grey blobs) or too dry (faint ridges broken into dots)?
//!
//! Both are read along the ridge flow, within each block's own ridge
//! pattern, so that how a sensor draws ridges (thick or thin, dark or
//! light) does not count as moisture:
//!
//! - **dry**: gaps along the ridges. In every block the samples along the
//!   centre of each ridge in the oriented profile window are compared, two
//!   neighbours at a time, with the block's own ridge/valley threshold;
//!   dry skin breaks the ridges into dots, so many of them fall on the
//!   valley side ([`Moisture::ridge_gaps`]);
//! - **wet**: bridges across the valleys. The same along the valley-centre
//!   columns: sweat fills the valleys between ridges, so their samples fall
//!   on the ridge side; a block counts as bridged when a good share of them
//!   do and its ridges are not broken as much (a noisy block breaks both
//!   alike). Bridged blocks and the pooled wet blobs (dark contact with no
//!   ridges left) make up [`Moisture::bridged_fraction`].
//!
//! Each evidence is read against a [`SensorProfile`]: the typical value of
//! the measure on the scanner, learned from its own captures, plus a fixed
//! margin. Without one, the generic profile stands in, pooled from the
//! shared sensors' profiles.
//!
//! The ridge duty and texture are still reported: they describe how the
//! ridges are drawn, and on one sensor they follow moisture, but across
//! sensors they follow the sensor as much (`docs/fingerprint.md` has the
//! numbers), so only a learned profile reads them (as the ridge fill).

use super::levels::Levels;
use super::profile::SensorProfile;
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

/// Index at or below which a print is classed dry: where the ridge gaps
/// reach the profile's threshold (evidence 1).
pub const DRY_BAND: f32 = -0.35;
/// Index at or above which a print is classed wet: where the bridged
/// share reaches the profile's threshold (evidence 1).
pub const WET_BAND: f32 = 0.28;

/// How wet or dry the finger was.
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Moisture {
    /// -1 (very dry) .. 0 (normal) .. +1 (very wet):
    ///
    /// ```text
    /// wet = the profile's bridged_fraction.evidence(bridged_fraction),
    ///       or its ridge_fill.evidence(ridge_fill) if larger
    /// dry = the profile's ridge_gaps.evidence(ridge_gaps),
    ///       or its ridge_fill.evidence_below(ridge_fill) if larger
    /// (evidence = max(0, (value - typical - dead_zone) / margin), see Norm)
    /// index = clamp( WET_BAND x wet, 0, 1)   when wet >= dry
    ///         clamp(DRY_BAND x dry, -1, 0)   otherwise
    /// ```
    ///
    /// So an evidence of 1 (the measure at its threshold) lands exactly on
    /// the band, and the stronger evidence decides the side: a print whose
    /// ridges are broken as much as its valleys are bridged is noisy, and
    /// is told the way the larger evidence points. 0 with no contact.
    pub index: f32,
    /// Class from the index.
    pub class: MoistureClass,
    /// How far into its class the index lies (`None` when normal).
    pub severity: Option<Severity>,
    /// Gaps along the ridges over the contact area, 0..1: the mean of the
    /// middle half of the blocks' [`BlockMaps::ridge_gaps`]. Intact ridges
    /// leave about 0.01 (pores, creases, noise); the shared sensors' dry
    /// prints a median 0.11.
    pub ridge_gaps: f32,
    /// Bridges across the valleys over the contact area, 0..1: the mean of
    /// the middle half of the blocks' [`BlockMaps::valley_bridges`].
    pub valley_bridges: f32,
    /// Share of the contact area whose valleys are closed: bridged blocks
    /// (valley bridges at least [`BRIDGED_BLOCK`], ridge gaps under
    /// [`BRIDGED_OVER_GAPS`] of them) and wet blobs.
    pub bridged_fraction: f32,
    /// How much of the ridge period the ridges fill: the ridge duty
    /// corrected by the texture, `ridge_duty + 0.2 x (ridge_texture -
    /// 0.18)`. A thin-ridged finger's profile window holds ridge edges in
    /// its ridge columns and a thick-ridged one's in its valley columns,
    /// so the texture follows the duty from finger to finger and the sum
    /// spreads half as much over one sensor's normal prints as the duty
    /// alone (sd 0.024 against 0.055 on the clean prints of FVC2000 DB1 and
    /// DB2), while sweat and dry skin move the two apart. It differs from
    /// sensor to sensor as much as with moisture, so only a
    /// [`SensorProfile`] that knows the sensor's own value reads it.
    pub ridge_fill: f32,
    /// Ridge duty over the contact area: the mean of the middle half of the
    /// blocks' [`BlockMaps::dark_share`] (0.5 = ridges as wide as valleys).
    pub ridge_duty: f32,
    /// Where the grey varies along the ridges over the contact area, -1..1:
    /// the mean of the middle half of the blocks' [`BlockMaps::texture`].
    pub ridge_texture: f32,
    /// Share of the contact area that is wet blobs (dark, structureless).
    pub wet_blob_fraction: f32,
    /// Share of the contact area that is dry fragments (light, nearly
    /// blank), counted inside the contact only (all eight neighbours
    /// touched). Not read by the index: the contact's rim and the creases
    /// of clean prints hold as many.
    pub dry_fragment_fraction: f32,
    /// Blocks of contact area the measures were taken over; 0 (and index
    /// 0) when fewer than [`MIN_INSIDE_BLOCKS`] blocks, or less than half
    /// the contact, lie inside its rim: no finger, or a touch too small to
    /// read.
    pub contact_blocks: usize,
    /// Per-block moisture, -1 (dry) .. +1 (wet), 0 outside the contact
    /// area: `(valley_bridges - ridge_gaps) / 0.3`, clamped; +1 on wet
    /// blobs, -1 on dry fragments.
    pub map: Array2<f32>,
}

/// A block is bridged when at least this share of the sample pairs along
/// its valley centres falls on the ridge side. Clean blocks sit at a few
/// per cent; a block whose valleys sweat has closed, at a fifth and more.
pub const BRIDGED_BLOCK: f32 = 0.15;
/// ... and its ridge gaps are under this share of its bridges: sensor
/// noise and sweep artefacts break ridges and valleys alike, sweat fills
/// the valleys and leaves the ridges whole.
pub const BRIDGED_OVER_GAPS: f32 = 0.5;
/// The texture's weight in [`Moisture::ridge_fill`]: near Fisher's
/// discriminant for a 1 px grey-level erosion or dilation against the
/// clean prints' spread (0.25), rounded towards the duty.
const FILL_TEXTURE_WEIGHT: f32 = 0.2;
/// The texture of a normal print (median of the clean prints of FVC2000
/// DB1 and DB2), where the fill equals the duty.
const FILL_TEXTURE_NORMAL: f32 = 0.18;
/// Fewest contact blocks inside the rim (all eight neighbours contact)
/// for a moisture reading: 24 blocks, about 15 mm²; they must also be half
/// the contact at least. A smaller touch is mostly rim, where the
/// finger's curve lifts off the platen and breaks its ridges on every
/// finger, wet or dry.
pub const MIN_INSIDE_BLOCKS: usize = 24;
/// Scale of the per-block moisture map: a block whose bridges outnumber
/// its gaps by this share of the samples reads +1.
const MAP_SCALE: f32 = 0.3;

/// A block whose eight neighbours are all contact. The contact's rim is
/// light and faint on every print (the finger's curve lifts off the
/// platen), so only fragments inside the contact count.
fn interior(contact: &Array2<bool>, (y, x): (usize, usize)) -> bool {
    let (h, w) = contact.dim();
    y > 0
        && x > 0
        && y + 1 < h
        && x + 1 < w
        && (y - 1..=y + 1).all(|yy| (x - 1..=x + 1).all(|xx| contact[(yy, xx)]))
}

/// Mean of the middle half of `v` (reordered in place): as robust to a few
/// odd blocks as the median, but it moves smoothly when every ridge
/// changes a little.
fn middle_mean(v: &mut [f32]) -> f32 {
    if v.is_empty() {
        return 0.0;
    }
    let (lo, hi) = (v.len() / 4, (v.len() - v.len() / 4).max(v.len() / 4 + 1));
    // Two partial selections put the ranks lo..hi at lo..hi, in some
    // order: linear time, where a sort is n log n.
    v.select_nth_unstable_by(lo, f32::total_cmp);
    let upper = &mut v[lo..];
    if hi - lo < upper.len() {
        upper.select_nth_unstable_by(hi - lo, f32::total_cmp);
    }
    let mid = &v[lo..hi];
    mid.iter().sum::<f32>() / mid.len() as f32
}

/// Whether a block with these ridge gaps and valley bridges is bridged
/// (see [`BRIDGED_BLOCK`]).
fn bridged(gaps: f32, bridges: f32) -> bool {
    bridges >= BRIDGED_BLOCK && gaps < BRIDGED_OVER_GAPS * bridges
}

/// The moisture index of a print's measures under `profile` (see
/// [`Moisture::index`]).
fn index(m: &Moisture, profile: &SensorProfile) -> f32 {
    let mut wet = profile.bridged_fraction.evidence(m.bridged_fraction);
    let mut dry = profile.ridge_gaps.evidence(m.ridge_gaps);
    if let Some(fill) = &profile.ridge_fill {
        wet = wet.max(fill.evidence(m.ridge_fill));
        dry = dry.max(fill.evidence_below(m.ridge_fill));
    }
    if wet >= dry {
        (WET_BAND * wet).clamp(0.0, 1.0)
    } else {
        (DRY_BAND * dry).clamp(-1.0, 0.0)
    }
}

/// Measures moisture from the block maps. `contact` is the contact mask
/// (foreground plus wet blobs); `wet_blob` marks the blobs. `values` and
/// `more` are scratch.
#[allow(clippy::too_many_arguments)] // one private call site; scratch passed in to avoid allocating
pub(crate) fn measure(
    b: &BlockMaps,
    contact: &Array2<bool>,
    wet_blob: &Array2<bool>,
    levels: &Levels,
    profile: &SensorProfile,
    values: &mut Vec<f32>,
    more: &mut [Vec<f32>; 3],
    out: &mut Moisture,
) {
    super::reset(&mut out.map, contact.dim(), 0.0);
    let duties = values;
    duties.clear();
    let [textures, gaps, bridges] = more;
    for v in [&mut *textures, &mut *gaps, &mut *bridges] {
        v.clear();
    }
    let (mut n, mut blobs, mut frags, mut closed) = (0usize, 0usize, 0usize, 0usize);
    let mut inner = 0usize;
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
        let inside = interior(contact, idx);
        inner += usize::from(inside);
        if inside && levels.is_dry_fragment(b, idx) {
            frags += 1;
            *m = -1.0;
            continue;
        }
        if b.period[idx] > 0.0 {
            let (g, br) = (b.ridge_gaps[idx], b.valley_bridges[idx]);
            duties.push(b.dark_share[idx]);
            textures.push(b.texture[idx]);
            gaps.push(g);
            bridges.push(br);
            closed += usize::from(bridged(g, br));
            *m = ((br - g) / MAP_SCALE).clamp(-1.0, 1.0);
        }
    }
    // The same blocks' measures, each robustly averaged.
    let ridged = !duties.is_empty();
    let mean_or = |v: &mut Vec<f32>, default: f32| {
        if ridged {
            middle_mean(v)
        } else {
            default
        }
    };
    out.ridge_duty = mean_or(duties, 0.5);
    out.ridge_texture = mean_or(textures, 0.0);
    out.ridge_fill =
        out.ridge_duty + FILL_TEXTURE_WEIGHT * (out.ridge_texture - FILL_TEXTURE_NORMAL);
    out.ridge_gaps = mean_or(gaps, 0.0);
    out.valley_bridges = mean_or(bridges, 0.0);
    let nf = n.max(1) as f32;
    out.wet_blob_fraction = blobs as f32 / nf;
    out.dry_fragment_fraction = frags as f32 / nf;
    out.bridged_fraction = (closed + blobs) as f32 / nf;
    // A touch too small to have much of an inside is mostly rim, faint and
    // broken on every finger: it says nothing about moisture.
    out.contact_blocks = if inner >= MIN_INSIDE_BLOCKS && 2 * inner >= n {
        n
    } else {
        0
    };
    out.read_against(profile);
}

impl Moisture {
    /// Sets [`index`](Self::index), [`class`](Self::class) and
    /// [`severity`](Self::severity) from the measures, read against
    /// `profile`: how a stored report is judged against a profile learned
    /// later, without its pixels.
    pub fn read_against(&mut self, profile: &SensorProfile) {
        self.index = if self.contact_blocks == 0 {
            0.0
        } else {
            index(self, profile)
        };
        self.class = if self.index <= DRY_BAND {
            MoistureClass::Dry
        } else if self.index >= WET_BAND {
            MoistureClass::Wet
        } else {
            MoistureClass::Normal
        };
        // Each band runs from its edge to ±1: thirds of it grade the severity.
        self.severity = match self.class {
            MoistureClass::Normal => None,
            MoistureClass::Wet => Some(Severity::grade(
                self.index - WET_BAND,
                (1.0 - WET_BAND) / 3.0,
            )),
            MoistureClass::Dry => Some(Severity::grade(
                DRY_BAND - self.index,
                (1.0 + DRY_BAND) / 3.0,
            )),
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stronger_evidence_decides_and_lands_on_the_band() {
        let p = SensorProfile::generic();
        let at = |norm: &super::super::profile::Norm| norm.threshold();
        // Exactly at the bridged threshold, no gaps: on the wet band.
        let m = |bridged_fraction, ridge_gaps| Moisture {
            bridged_fraction,
            ridge_gaps,
            ..Moisture::default()
        };
        let wet = index(&m(at(&p.bridged_fraction), 0.0), &p);
        assert!((wet - WET_BAND).abs() < 1e-5, "{wet}");
        // Exactly at the gap threshold, no bridges: on the dry band.
        let dry = index(&m(0.0, at(&p.ridge_gaps)), &p);
        assert!((dry - DRY_BAND).abs() < 1e-5, "{dry}");
        // Normal values: 0.
        assert_eq!(
            index(&m(p.bridged_fraction.typical, p.ridge_gaps.typical), &p),
            0.0
        );
        // Far past both: clamped, on the side of the larger evidence.
        assert_eq!(index(&m(1.0, 0.0), &p), 1.0);
        assert_eq!(index(&m(0.0, 1.0), &p), -1.0);
        // The generic profile does not read the fill; a learned one does.
        let thick = Moisture {
            ridge_fill: 0.9,
            ..m(0.0, 0.0)
        };
        assert_eq!(index(&thick, &p), 0.0);
        let mut learned = p.clone();
        learned.ridge_fill = Some(super::super::profile::Norm {
            typical: 0.5,
            spread: 0.02,
            dead_zone: 0.05,
            margin: 0.03,
        });
        assert_eq!(index(&thick, &learned), 1.0);
        let thin = Moisture {
            ridge_fill: 0.3,
            ..m(0.0, 0.0)
        };
        assert_eq!(index(&thin, &learned), -1.0);
    }

    #[test]
    fn middle_mean_is_the_mean_of_the_middle_half() {
        let mut v: Vec<f32> = (0..20).rev().map(|i| i as f32).collect();
        // Ranks 5..15: 5 + ... + 14 over 10.
        assert_eq!(middle_mean(&mut v), 9.5);
        assert_eq!(middle_mean(&mut [3.0]), 3.0);
        assert_eq!(middle_mean(&mut [1.0, 5.0]), 3.0);
        assert_eq!(middle_mean(&mut []), 0.0);
    }

    #[test]
    fn noise_breaks_both_and_bridges_nothing() {
        assert!(bridged(0.0, 0.3));
        assert!(!bridged(0.2, 0.3));
        assert!(!bridged(0.0, 0.1));
    }
}

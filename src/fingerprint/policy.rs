//! Turning a fingerprint report into pass or retake.

use super::{FingerprintReport, DRY_BAND, NFIQ2_EMPTY_MEAN, NFIQ2_UNIFORM_SIGMA, WET_BAND};
use crate::error::{Error, Result};
use crate::verdict::{Finding, Reason, Severity, Verdict};

/// Thresholds that turn a [`FingerprintReport`] into a [`Verdict`].
///
/// Every field is public and documented with its default; change any of
/// them and call [`validate`](Self::validate), then [`judge`](Self::judge)
/// stored reports again without touching pixels.
///
/// With the `serde` feature, a policy read from a configuration file takes
/// every field it does not name from [`default`](Self::default), and a
/// stored report can be judged again:
///
/// ```
/// # #[cfg(feature = "serde")]
/// # {
/// use biocapture::{FingerprintAssessor, FingerprintConfig, FingerprintPolicy, FingerprintReport, GrayView};
/// let blank = vec![255u8; 200 * 200];
/// let report = FingerprintAssessor::new(FingerprintConfig::default())?
///     .assess(GrayView::new(&blank, 200, 200, 200)?)?;
/// let stored = serde_json::to_string(&report).unwrap();
///
/// let policy: FingerprintPolicy = serde_json::from_str(r#"{"min_clarity": 50}"#).unwrap();
/// policy.validate()?;
/// assert_eq!(policy.min_clarity, 50.0);
/// assert_eq!(policy.wet_index, FingerprintPolicy::default().wet_index);
/// let back: FingerprintReport = serde_json::from_str(&stored).unwrap();
/// assert_eq!(policy.judge(&back).codes(), vec!["no_finger"]);
/// # }
/// # Ok::<(), biocapture::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(default)
)]
pub struct FingerprintPolicy {
    /// `no_finger` when the grey standard deviation is below this (NFIQ 2's
    /// uniform-image check). Default: 1.0.
    pub min_grey_sigma: f32,
    /// Mean grey above this is NFIQ 2's "empty image or contrast too
    /// low": `no_finger` when no ridge foreground was found either, and
    /// `low_contrast` (critical) when one was: a finger printed so light
    /// (dry skin, pressed softly) is on the platen, and its hint (press
    /// more firmly) is the one that helps. Default: 250.
    pub max_mean_grey: f32,
    /// `no_finger` when less than this share of the image is foreground.
    /// Default: 0.03.
    pub min_foreground_fraction: f32,
    /// `low_contrast` when the median ridge-to-valley grey amplitude over the
    /// foreground is below this. Default: 30 grey levels (faint prints
    /// below it fail comparisons in FVC2000 DB1 and NFIQ 2 refuses them).
    pub min_ridge_contrast: f32,
    /// `too_small_area` when the foreground is smaller than this, in px at
    /// 500 ppi. Default: 25 000 (1 cm², about a third of a plain
    /// fingertip; NFIQ 2's own advisory value is 50 000).
    pub min_foreground_px: u64,
    /// An image edge counts as cutting the print when at least this share
    /// of the blocks along it are foreground. Default: 0.3.
    pub partial_edge_touch: f32,
    /// `partial_print` when the print is cut by an edge and its centroid
    /// has moved towards that edge by more than this share of the image
    /// size (0 = centred, 0.5 = on the edge). A finger that overlaps an
    /// edge but is centred (plain prints often run off the top of a small
    /// platen) is not partial. Default: 0.12.
    pub partial_offset: f32,
    /// `off_center` when the foreground centroid lies further than this
    /// share of the image size from the image centre, on either axis, and
    /// the print is not already `partial_print`. Default: 0.2.
    pub max_center_offset: f32,
    /// `low_clarity` when the clarity score is below this. Default: 40,
    /// a print expected to fail 60 % of its genuine comparisons (clarity is
    /// 100 minus the expected false non-match rate, pooled over six FVC
    /// sensors; on FVC2000 DB1 B this retakes 3 prints of 80).
    pub min_clarity: f32,
    /// `too_wet` when the moisture index is at or above this. Default:
    /// [`WET_BAND`] (0.28).
    pub wet_index: f32,
    /// `too_dry` when the moisture index is at or below this. Default:
    /// [`DRY_BAND`] (-0.35).
    pub dry_index: f32,
    /// `smudged` when the largest connected smeared patch covers at least
    /// this share of the contact area. Default: 0.025 (about 5 mm² of a
    /// 15 x 15 mm contact; the 67 clean shared prints reach 0.018 at most).
    pub max_smear_patch: f32,
    /// ... or when the smeared tiles, patch or not, cover at least this
    /// share of it (ridges wiped out in many places, as a slide across
    /// curved ridges leaves them). Default: 0.06 (the 67 clean shared
    /// prints reach 0.035 at most).
    pub max_smear_fraction: f32,
    /// `motion_blur` when the directional blur is at least this. Default:
    /// 0.23 (the 67 clean shared prints reach 0.217 at most).
    pub max_motion_blur: f32,
    /// `sensor_residue` when at least this share of the visible platen
    /// shows latent ridges (three blocks at least). Default: 0.02 (the 67
    /// clean shared prints laid on a wider platen reach 0.006, the 103
    /// shared captures 0.005).
    pub max_residue_fraction: f32,
}

impl Default for FingerprintPolicy {
    fn default() -> Self {
        Self {
            min_grey_sigma: NFIQ2_UNIFORM_SIGMA,
            max_mean_grey: NFIQ2_EMPTY_MEAN,
            min_foreground_fraction: 0.03,
            min_ridge_contrast: 30.0,
            min_foreground_px: 25_000,
            partial_edge_touch: 0.3,
            partial_offset: 0.12,
            max_center_offset: 0.2,
            min_clarity: 40.0,
            wet_index: WET_BAND,
            dry_index: DRY_BAND,
            max_smear_patch: 0.025,
            max_smear_fraction: 0.06,
            max_motion_blur: 0.23,
            max_residue_fraction: 0.02,
        }
    }
}

impl FingerprintPolicy {
    /// Checks that every threshold is finite and in its range.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidConfig`] naming the first bad field.
    pub fn validate(&self) -> Result<()> {
        let unit = |v: f32| v.is_finite() && (0.0..=1.0).contains(&v);
        let checks: [(&'static str, bool); 14] = [
            (
                "min_grey_sigma",
                self.min_grey_sigma.is_finite() && self.min_grey_sigma >= 0.0,
            ),
            (
                "max_mean_grey",
                self.max_mean_grey.is_finite() && (0.0..=255.0).contains(&self.max_mean_grey),
            ),
            (
                "min_foreground_fraction",
                unit(self.min_foreground_fraction),
            ),
            (
                "min_ridge_contrast",
                self.min_ridge_contrast.is_finite()
                    && (0.0..=255.0).contains(&self.min_ridge_contrast),
            ),
            ("partial_edge_touch", unit(self.partial_edge_touch)),
            ("partial_offset", unit(self.partial_offset)),
            ("max_center_offset", unit(self.max_center_offset)),
            (
                "min_clarity",
                self.min_clarity.is_finite() && (0.0..=100.0).contains(&self.min_clarity),
            ),
            (
                "wet_index",
                self.wet_index.is_finite() && (0.0..=1.0).contains(&self.wet_index),
            ),
            (
                "dry_index",
                self.dry_index.is_finite() && (-1.0..=0.0).contains(&self.dry_index),
            ),
            ("max_smear_patch", unit(self.max_smear_patch)),
            ("max_smear_fraction", unit(self.max_smear_fraction)),
            ("max_motion_blur", unit(self.max_motion_blur)),
            ("max_residue_fraction", unit(self.max_residue_fraction)),
        ];
        match checks.iter().find(|(_, ok)| !ok) {
            Some((field, _)) => Err(Error::InvalidConfig {
                field,
                reason: "is not finite or outside its range",
            }),
            None => Ok(()),
        }
    }

    /// Judges a report: every reason that applies, most actionable first.
    /// Pure: no pixels are touched. A blank platen stops at `no_finger`.
    #[must_use]
    pub fn judge(&self, r: &FingerprintReport) -> Verdict {
        let mut verdict = Verdict::default();
        self.judge_into(r, &mut verdict);
        verdict
    }

    /// Like [`judge`](Self::judge), but writes into `verdict`, reusing its
    /// storage (live preview loops: no allocation once it has held a few
    /// findings).
    pub fn judge_into(&self, r: &FingerprintReport, verdict: &mut Verdict) {
        let out = &mut verdict.findings;
        out.clear();
        if self.placement(r, out) {
            self.ridges(r, out);
        }
        verdict.settle();
    }

    /// The placement checks alone (`no_finger`, `low_contrast` by the mean
    /// grey, `too_small_area`, `partial_print`, `off_center`): what a live
    /// preview's placement pass measures (see
    /// [`FingerprintCapture`](crate::FingerprintCapture)).
    pub(crate) fn judge_placement_into(&self, r: &FingerprintReport, verdict: &mut Verdict) {
        verdict.findings.clear();
        self.placement(r, &mut verdict.findings);
        verdict.settle();
    }

    /// Adds the placement findings; `false` when there is no finger (and
    /// nothing else is worth judging).
    fn placement(&self, r: &FingerprintReport, out: &mut Vec<Finding>) -> bool {
        let mut add = |reason, severity| out.push(Finding { reason, severity });
        let a = &r.actionable;
        let fg = &r.foreground;
        if a.grey_sigma < self.min_grey_sigma || fg.fraction < self.min_foreground_fraction {
            add(Reason::NoFinger, Severity::Critical);
            return false;
        }
        if a.mean_grey > self.max_mean_grey {
            add(Reason::LowContrast, Severity::Critical);
        }
        if fg.area_px_500 < self.min_foreground_px {
            let span = self.min_foreground_px as f32 / 3.0;
            add(
                Reason::TooSmallArea,
                Severity::grade((self.min_foreground_px - fg.area_px_500) as f32, span),
            );
        }
        if let Some((cx, cy)) = fg.centroid {
            // Signed centroid offsets, as shares of the image size, towards
            // each edge: left, top, right, bottom (the order of
            // `border_touch`).
            let ox = cx / r.width as f32 - 0.5;
            let oy = cy / r.height as f32 - 0.5;
            let towards = [-ox, -oy, ox, oy];
            let cut = (0..4)
                .filter(|&i| fg.border_touch[i] >= self.partial_edge_touch)
                .map(|i| towards[i])
                .fold(f32::NEG_INFINITY, f32::max);
            if cut > self.partial_offset {
                add(
                    Reason::PartialPrint,
                    Severity::grade(cut - self.partial_offset, 0.1),
                );
            } else {
                let off = ox.abs().max(oy.abs());
                if off > self.max_center_offset {
                    add(
                        Reason::OffCenter,
                        Severity::grade(off - self.max_center_offset, 0.1),
                    );
                }
            }
        }
        true
    }

    /// Adds the findings read from the ridges: faint ridges, moisture,
    /// smudge, motion blur, residue, clarity.
    fn ridges(&self, r: &FingerprintReport, out: &mut Vec<Finding>) {
        let mut add = |reason, severity| out.push(Finding { reason, severity });
        if r.actionable.mean_grey <= self.max_mean_grey
            && r.ridge_contrast < self.min_ridge_contrast
        {
            let sev = Severity::grade(
                self.min_ridge_contrast - r.ridge_contrast,
                self.min_ridge_contrast / 3.0,
            );
            add(Reason::LowContrast, sev);
        }
        let m = &r.moisture;
        if m.index >= self.wet_index {
            add(
                Reason::TooWet,
                Severity::grade(
                    m.index - self.wet_index,
                    (1.0 - self.wet_index).max(0.05) / 3.0,
                ),
            );
        } else if m.index <= self.dry_index {
            add(
                Reason::TooDry,
                Severity::grade(
                    self.dry_index - m.index,
                    (1.0 + self.dry_index).max(0.05) / 3.0,
                ),
            );
        }
        let sm = &r.smudge;
        if sm.largest_patch >= self.max_smear_patch || sm.fraction >= self.max_smear_fraction {
            let over = (sm.largest_patch - self.max_smear_patch)
                .max(sm.fraction - self.max_smear_fraction);
            add(Reason::Smudged, Severity::grade(over, 0.1));
        }
        if sm.motion_blur >= self.max_motion_blur {
            add(
                Reason::MotionBlur,
                Severity::grade(sm.motion_blur - self.max_motion_blur, 0.15),
            );
        }
        if sm.residue_fraction >= self.max_residue_fraction {
            add(
                Reason::SensorResidue,
                Severity::grade(sm.residue_fraction - self.max_residue_fraction, 0.15),
            );
        }
        if r.clarity < self.min_clarity {
            add(
                Reason::LowClarity,
                Severity::grade(self.min_clarity - r.clarity, self.min_clarity / 3.0),
            );
        }
    }
}

//! A scanner's normal rendering, learned from its own captures.
//!
//! Sensors draw the same finger differently: thick dark ridges on one
//! optical prism, thin grey ones on a capacitive chip, black and white
//! stripes with stitching seams on a thermal sweep. The moisture and
//! smudge measures are read along the ridge flow and hold across sensors,
//! but each sensor still leaves a little of its own texture in them. A
//! [`SensorProfile`] records where they sit on one device's normal
//! captures, so the verdict reads the finger rather than the device.
//!
//! A profile is learned from unlabelled captures ([`SensorProfile::learn`]):
//! about twenty of a day's first prints are enough, and no one has to say
//! which were good. Wet, dry and smeared captures only ever push these
//! measures up, so each measure's typical value is taken low in the
//! captures' range (the lower third, outliers rejected first): a third or
//! more of the captures can be wet or dry without moving it much. Its
//! JSON form (with the `serde` feature) is
//!
//! ```json
//! {"version": 1, "name": "CrossMatch V300, kit 12", "captures": 20,
//!  "ridge_gaps": {"typical": 0.0045, "spread": 0.0086, "dead_zone": 0.0, "margin": 0.075},
//!  "bridged_fraction": {"typical": 0.0, "spread": 0.0, "dead_zone": 0.0, "margin": 0.105},
//!  "ridge_fill": {"typical": 0.4815, "spread": 0.0452, "dead_zone": 0.05, "margin": 0.03}}
//! ```
//!
//! and [`SensorProfile::generic`] stands in for a device with none.
//!
//! A profile also knows how wide the device draws ridges
//! ([`Moisture::ridge_fill`](super::Moisture::ridge_fill)). Without one
//! that says nothing (thick ridges may be the sensor); with one, ridges
//! clearly wider or thinner than the device's normal are moisture
//! evidence too.

use super::FingerprintReport;
use crate::error::{Error, Result};

/// The profile format this crate reads and writes. A profile with another
/// version is refused by [`SensorProfile::validate`].
pub const PROFILE_VERSION: u32 = 1;

/// Fewest usable captures [`SensorProfile::learn`] accepts: with fewer,
/// the lower third of the captures is a handful of prints, and one odd
/// capture moves it.
pub const MIN_PROFILE_CAPTURES: usize = 12;

/// Past a measure's typical value, this much more is full evidence (the
/// threshold) for ridge gaps. On every labelled shared sensor the median
/// print a human calls dry shows about 0.1 more of its ridge-centre
/// samples broken than the sensor's typical print; the margin is where
/// good prints the labels do not call dry stay under 3 %
/// (`eval_sensors --fit`, which chooses 0.065 to 0.075 leaving each
/// sensor out).
pub const RIDGE_GAPS_MARGIN: f32 = 0.075;
/// ... for the bridged share: a wet print closes a tenth to a quarter of
/// its contact on every labelled sensor, a normal one a few per cent
/// (chosen the same way; 0.09 to 0.105 leaving each sensor out).
pub const BRIDGED_FRACTION_MARGIN: f32 = 0.105;

/// The quantile (numerator, denominator) of the captures, outliers
/// rejected, that is a measure's typical value: wet, dry and smeared
/// captures push the measures up, never down, so the lower third stays
/// on normal captures while up to two thirds of them are not.
pub const TYPICAL_QUANTILE: (usize, usize) = (1, 3);

/// Ridge fill within this of the device's typical value is how fingers
/// differ: the clean prints of one sensor spread about 0.025 around it.
pub const RIDGE_FILL_DEAD_ZONE: f32 = 0.05;
/// ... and this much further is full evidence: a grey-level erosion of
/// 1 px (sweat spreading every ridge) moves it by about 0.09.
pub const RIDGE_FILL_MARGIN: f32 = 0.03;

/// Outliers are rejected beyond this many robust deviations (1.4826 x the
/// median absolute deviation) from the first median.
const OUTLIER_DEVIATIONS: f32 = 3.0;

/// Where one measure sits on a scanner's normal captures, and how far past
/// it a capture is flagged.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Norm {
    /// The measure's typical value on normal captures, outliers rejected:
    /// the lower third of the captures ([`TYPICAL_QUANTILE`]) for the
    /// measures that wet, dry or smeared captures only push up, the median
    /// for the ridge fill, which moves both ways.
    pub typical: f32,
    /// Its robust spread over the same captures (1.4826 x the median
    /// absolute deviation): how much normal captures vary. Reported, not
    /// read by the thresholds.
    pub spread: f32,
    /// Deviations up to this from the typical value are normal and give no
    /// evidence (0 for the one-sided measures).
    #[cfg_attr(feature = "serde", serde(default))]
    pub dead_zone: f32,
    /// How far past the dead zone full evidence lies: a capture is flagged
    /// at `typical + dead_zone + margin`.
    pub margin: f32,
}

impl Norm {
    /// Evidence of a value above the norm: 0 up to `typical + dead_zone`,
    /// 1 at [`threshold`](Self::threshold), linear in between and beyond.
    pub fn evidence(&self, value: f32) -> f32 {
        ((value - self.typical - self.dead_zone) / self.margin).max(0.0)
    }

    /// Evidence of a value below the norm, the mirror of
    /// [`evidence`](Self::evidence).
    pub fn evidence_below(&self, value: f32) -> f32 {
        ((self.typical - self.dead_zone - value) / self.margin).max(0.0)
    }

    /// The value above which a capture is flagged.
    pub fn threshold(&self) -> f32 {
        self.typical + self.dead_zone + self.margin
    }

    /// Learns a norm from `values` (reordered in place), its typical value
    /// at `quantile` (numerator, denominator) of those kept; `None` when
    /// empty.
    fn learn(
        values: &mut [f32],
        quantile: (usize, usize),
        dead_zone: f32,
        margin: f32,
    ) -> Option<Self> {
        let (median, mad) = median_and_mad(values)?;
        let limit = OUTLIER_DEVIATIONS * 1.4826 * mad;
        // Keep what lies within the limit: the retained values move to the
        // front.
        let mut kept = 0;
        for i in 0..values.len() {
            if (values[i] - median).abs() <= limit {
                values.swap(kept, i);
                kept += 1;
            }
        }
        let kept = &mut values[..kept];
        let (_, mad) = median_and_mad(kept)?;
        Some(Self {
            typical: super::quantile(kept, quantile.0, quantile.1),
            spread: 1.4826 * mad,
            dead_zone,
            margin,
        })
    }

    fn is_valid(&self) -> bool {
        self.typical.is_finite()
            && (0.0..=1.0).contains(&self.typical)
            && self.spread.is_finite()
            && self.spread >= 0.0
            && self.dead_zone.is_finite()
            && self.dead_zone >= 0.0
            && self.margin.is_finite()
            && self.margin > 0.0
    }
}

/// The median of `v` (reordered) and the median absolute deviation from
/// it; `None` when empty.
fn median_and_mad(v: &mut [f32]) -> Option<(f32, f32)> {
    if v.is_empty() {
        return None;
    }
    let median = super::median(v);
    let mut dev: Vec<f32> = v.iter().map(|x| (x - median).abs()).collect();
    Some((median, super::median(&mut dev)))
}

/// One scanner's normal rendering of the moisture measures (see the
/// module docs). Build one with [`learn`](Self::learn), or read one from
/// JSON and call [`validate`](Self::validate); give it to
/// [`FingerprintConfig::with_profile`](super::FingerprintConfig::with_profile).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SensorProfile {
    /// Format version, [`PROFILE_VERSION`].
    pub version: u32,
    /// Free text naming the device ("generic" for the built-in default).
    pub name: String,
    /// How many captures the profile was learned from (0 for the built-in
    /// default).
    pub captures: u32,
    /// Normal [`Moisture::ridge_gaps`](super::Moisture::ridge_gaps): dry
    /// past its threshold.
    pub ridge_gaps: Norm,
    /// Normal [`Moisture::bridged_fraction`](super::Moisture::bridged_fraction):
    /// wet past its threshold.
    pub bridged_fraction: Norm,
    /// Normal [`Moisture::ridge_fill`](super::Moisture::ridge_fill), two-sided:
    /// wet above, dry below. `None` (the generic profile) reads none.
    pub ridge_fill: Option<Norm>,
}

impl Default for SensorProfile {
    fn default() -> Self {
        Self::generic()
    }
}

impl SensorProfile {
    /// The profile used when none is given: normal values at the top of
    /// the range that the labelled shared sensors' own profiles span, so
    /// that a sensor nobody calibrated is rarely flagged; a capture must
    /// be clearly wet or dry to pass the thresholds (`examples/eval_sensors`
    /// pools the shared sensors' profiles into these numbers and shows,
    /// leaving each sensor out in turn, how they hold on a sensor they did
    /// not see).
    pub fn generic() -> Self {
        Self {
            version: PROFILE_VERSION,
            name: String::from("generic"),
            captures: 0,
            ridge_gaps: Norm {
                typical: GENERIC_RIDGE_GAPS,
                spread: 0.0,
                dead_zone: 0.0,
                margin: RIDGE_GAPS_MARGIN,
            },
            bridged_fraction: Norm {
                typical: GENERIC_BRIDGED_FRACTION,
                spread: 0.0,
                dead_zone: 0.0,
                margin: BRIDGED_FRACTION_MARGIN,
            },
            ridge_fill: None,
        }
    }

    /// Learns a profile from reports of one device's captures (assessed
    /// with any profile: the measures it learns do not depend on one).
    /// Reports with no finger (no contact area or no ridges) are skipped.
    ///
    /// # Errors
    ///
    /// [`Error::TooFewCaptures`] with fewer than [`MIN_PROFILE_CAPTURES`]
    /// usable reports.
    pub fn learn<'a>(
        name: impl Into<String>,
        reports: impl IntoIterator<Item = &'a FingerprintReport>,
    ) -> Result<Self> {
        let usable: Vec<&FingerprintReport> = reports
            .into_iter()
            .filter(|r| r.foreground.area_px_500 > 0 && r.ridge_period > 0.0)
            .collect();
        if usable.len() < MIN_PROFILE_CAPTURES {
            return Err(Error::TooFewCaptures {
                usable: usable.len(),
                needed: MIN_PROFILE_CAPTURES,
            });
        }
        let norm = |f: &dyn Fn(&FingerprintReport) -> f32, quantile, dead_zone, margin| {
            let mut v: Vec<f32> = usable.iter().map(|r| f(r)).collect();
            Norm::learn(&mut v, quantile, dead_zone, margin)
        };
        // All are Some: `usable` is not empty.
        let ridge_gaps = norm(
            &|r| r.moisture.ridge_gaps,
            TYPICAL_QUANTILE,
            0.0,
            RIDGE_GAPS_MARGIN,
        );
        let bridged_fraction = norm(
            &|r| r.moisture.bridged_fraction,
            TYPICAL_QUANTILE,
            0.0,
            BRIDGED_FRACTION_MARGIN,
        );
        // Fill moves both ways (wet up, dry down): its typical value is
        // the median.
        let ridge_fill = norm(
            &|r| r.moisture.ridge_fill,
            (1, 2),
            RIDGE_FILL_DEAD_ZONE,
            RIDGE_FILL_MARGIN,
        );
        match (ridge_gaps, bridged_fraction, ridge_fill) {
            (Some(ridge_gaps), Some(bridged_fraction), Some(ridge_fill)) => Ok(Self {
                version: PROFILE_VERSION,
                name: name.into(),
                captures: usable.len().min(u32::MAX as usize) as u32,
                ridge_gaps,
                bridged_fraction,
                ridge_fill: Some(ridge_fill),
            }),
            _ => Err(Error::TooFewCaptures {
                usable: 0,
                needed: MIN_PROFILE_CAPTURES,
            }),
        }
    }

    /// A profile for sensors none of `profiles` describes: each norm's
    /// typical value is the median of theirs, its spread the largest of
    /// theirs, its margin the library's, and no ridge fill (how wide an
    /// unknown sensor draws ridges is unknown). This is how
    /// [`generic`](Self::generic) was made from the shared sensors'
    /// profiles.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidConfig`] when `profiles` is empty; any profile's
    /// validation error.
    pub fn pool<'a>(
        name: impl Into<String>,
        profiles: impl IntoIterator<Item = &'a SensorProfile>,
    ) -> Result<Self> {
        let profiles: Vec<&SensorProfile> = profiles.into_iter().collect();
        if profiles.is_empty() {
            return Err(Error::InvalidConfig {
                field: "profiles",
                reason: "holds no profile to pool",
            });
        }
        for p in &profiles {
            p.validate()?;
        }
        let pool = |norm: &dyn Fn(&SensorProfile) -> Norm, margin| {
            let mut typical: Vec<f32> = profiles.iter().map(|p| norm(p).typical).collect();
            Norm {
                typical: super::median(&mut typical),
                spread: profiles.iter().map(|p| norm(p).spread).fold(0.0, f32::max),
                dead_zone: 0.0,
                margin,
            }
        };
        Ok(Self {
            version: PROFILE_VERSION,
            name: name.into(),
            captures: profiles
                .iter()
                .fold(0u32, |n, p| n.saturating_add(p.captures)),
            ridge_gaps: pool(&|p| p.ridge_gaps, RIDGE_GAPS_MARGIN),
            bridged_fraction: pool(&|p| p.bridged_fraction, BRIDGED_FRACTION_MARGIN),
            ridge_fill: None,
        })
    }

    /// Checks the version and that every norm is finite, its typical value
    /// within 0..=1, its spread and dead zone not negative and its margin
    /// positive.
    ///
    /// # Errors
    ///
    /// [`Error::UnsupportedProfileVersion`] for another format version,
    /// [`Error::InvalidConfig`] naming the first bad norm.
    pub fn validate(&self) -> Result<()> {
        if self.version != PROFILE_VERSION {
            return Err(Error::UnsupportedProfileVersion {
                version: self.version,
                supported: PROFILE_VERSION,
            });
        }
        for (field, norm) in [
            ("ridge_gaps", Some(&self.ridge_gaps)),
            ("bridged_fraction", Some(&self.bridged_fraction)),
            ("ridge_fill", self.ridge_fill.as_ref()),
        ] {
            if norm.is_some_and(|n| !n.is_valid()) {
                return Err(Error::InvalidConfig {
                    field,
                    reason: "needs a finite typical value in 0..=1, spread and dead zone >= 0 and margin > 0",
                });
            }
        }
        Ok(())
    }
}

/// The generic profile's typical ridge gaps: the shared sensors' profiles
/// pooled ([`SensorProfile::pool`], `eval_sensors` prints it).
const GENERIC_RIDGE_GAPS: f32 = 0.011;
/// The generic profile's typical bridged share, pooled the same way.
const GENERIC_BRIDGED_FRACTION: f32 = 0.011;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn learning_rejects_outliers_and_keeps_the_margin() {
        let mut v: Vec<f32> = (0..20).map(|i| 0.03 + 0.001 * i as f32).collect();
        v.extend([0.5, 0.6, 0.9]);
        let n = Norm::learn(&mut v, TYPICAL_QUANTILE, 0.0, 0.07).unwrap();
        // The lower third of the twenty kept values.
        assert!((n.typical - 0.036).abs() < 0.0011, "{n:?}");
        assert!(n.spread < 0.01, "{n:?}");
        assert_eq!(n.margin, 0.07);
        assert!(Norm::learn(&mut [], TYPICAL_QUANTILE, 0.0, 0.07).is_none());
    }

    #[test]
    fn too_few_captures_is_an_error() {
        let reports = vec![FingerprintReport::default(); 30];
        assert_eq!(
            SensorProfile::learn("empty", &reports),
            Err(Error::TooFewCaptures {
                usable: 0,
                needed: MIN_PROFILE_CAPTURES
            })
        );
    }

    #[test]
    fn validation_names_the_bad_field() {
        assert_eq!(SensorProfile::generic().validate(), Ok(()));
        let mut p = SensorProfile::generic();
        p.version = 2;
        assert!(matches!(
            p.validate(),
            Err(Error::UnsupportedProfileVersion { version: 2, .. })
        ));
        let mut p = SensorProfile::generic();
        p.bridged_fraction.margin = 0.0;
        assert!(matches!(
            p.validate(),
            Err(Error::InvalidConfig {
                field: "bridged_fraction",
                ..
            })
        ));
        p.bridged_fraction.margin = f32::NAN;
        assert!(p.validate().is_err());
    }
}

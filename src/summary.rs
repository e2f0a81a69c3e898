//! One assessment in a few lines of JSON: the verdict and the headline
//! measures, rounded to what they resolve.
//!
//! This is the line `examples/assess` prints (after its `file` field), the
//! JSON the C ABI returns and what the Python reports' `to_dict()` gives:
//! one definition, so a log written by any of them reads the same. The
//! full reports serialise too (feature `serde`), block maps and all; a
//! summary is what a log line or a service response wants.

use serde::Serialize;

use crate::face::{ExtentSource, FaceReport, Measure};
use crate::fingerprint::{FingerprintReport, MoistureClass};
use crate::verdict::{Decision, Lang, Reason, Verdict};

/// `v` rounded to `digits` decimals, half away from zero, in `f64`;
/// `None` (JSON `null`) when it is not finite.
fn round(v: f32, digits: i32) -> Option<f64> {
    let scale = 10f64.powi(digits);
    let v = f64::from(v);
    v.is_finite().then(|| (v * scale).round() / scale)
}

/// A time in milliseconds rounded to `digits` decimals (a non-finite time
/// becomes 0).
fn round_ms(ms: f64, digits: i32) -> f64 {
    let scale = 10f64.powi(digits);
    if ms.is_finite() {
        (ms * scale).round() / scale
    } else {
        0.0
    }
}

/// A fingerprint report and its verdict, ready to serialise:
///
/// ```text
/// {"verdict":"retake","reasons":["too_wet",...],"ms":0.8635,"clarity":17.1728,
///  "moisture":{"index","class","ridge_gaps","valley_bridges","bridged_fraction",
///              "ridge_duty","ridge_texture","wet_blob_fraction","dry_fragment_fraction"},
///  "smudge":{"fraction","largest_patch","detected","motion_blur","residue_fraction"},
///  "foreground_fraction","ridge_period","ridge_contrast","mean_grey",
///  "mean_block_quality","foreground_px_500","sensor_profile"}
/// ```
///
/// Measures are rounded to 4 decimals and are `null` where the report has
/// NaN (nothing to measure); `ms` is present only when set with
/// [`with_ms`](Self::with_ms); `smudge.detected` is whether the verdict
/// gives `smudged`. The field names and their order are stable.
///
/// ```
/// use biocapture::{FingerprintAssessor, FingerprintConfig, FingerprintPolicy, FingerprintSummary, GrayView};
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let img = image::GrayImage::from_pixel(300, 300, image::Luma([255]));
/// let report = FingerprintAssessor::new(FingerprintConfig::default())?.assess(GrayView::from(&img))?;
/// let verdict = FingerprintPolicy::default().judge(&report);
/// let line = serde_json::to_string(&FingerprintSummary::new(&report, &verdict))?;
/// assert!(line.starts_with(r#"{"verdict":"retake","reasons":["no_finger""#));
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FingerprintSummary {
    verdict: Decision,
    reasons: Vec<Reason>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ms: Option<f64>,
    clarity: Option<f64>,
    moisture: MoistureSummary,
    smudge: SmudgeSummary,
    foreground_fraction: Option<f64>,
    ridge_period: Option<f64>,
    ridge_contrast: Option<f64>,
    mean_grey: Option<f64>,
    mean_block_quality: Option<f64>,
    foreground_px_500: u64,
    sensor_profile: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
struct MoistureSummary {
    index: Option<f64>,
    class: MoistureClass,
    ridge_gaps: Option<f64>,
    valley_bridges: Option<f64>,
    bridged_fraction: Option<f64>,
    ridge_duty: Option<f64>,
    ridge_texture: Option<f64>,
    wet_blob_fraction: Option<f64>,
    dry_fragment_fraction: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
struct SmudgeSummary {
    fraction: Option<f64>,
    largest_patch: Option<f64>,
    detected: bool,
    motion_blur: Option<f64>,
    residue_fraction: Option<f64>,
}

impl FingerprintSummary {
    /// The summary of `report` judged as `verdict`.
    #[must_use]
    pub fn new(report: &FingerprintReport, verdict: &Verdict) -> Self {
        let r4 = |v: f32| round(v, 4);
        let m = &report.moisture;
        let s = &report.smudge;
        Self {
            verdict: verdict.decision,
            reasons: verdict.findings.iter().map(|f| f.reason).collect(),
            ms: None,
            clarity: r4(report.clarity),
            moisture: MoistureSummary {
                index: r4(m.index),
                class: m.class,
                ridge_gaps: r4(m.ridge_gaps),
                valley_bridges: r4(m.valley_bridges),
                bridged_fraction: r4(m.bridged_fraction),
                ridge_duty: r4(m.ridge_duty),
                ridge_texture: r4(m.ridge_texture),
                wet_blob_fraction: r4(m.wet_blob_fraction),
                dry_fragment_fraction: r4(m.dry_fragment_fraction),
            },
            smudge: SmudgeSummary {
                fraction: r4(s.fraction),
                largest_patch: r4(s.largest_patch),
                detected: verdict.has(Reason::Smudged),
                motion_blur: r4(s.motion_blur),
                residue_fraction: r4(s.residue_fraction),
            },
            foreground_fraction: r4(report.foreground.fraction),
            ridge_period: r4(report.ridge_period),
            ridge_contrast: r4(report.ridge_contrast),
            mean_grey: r4(report.actionable.mean_grey),
            mean_block_quality: r4(report.mean_block_quality),
            foreground_px_500: report.foreground.area_px_500,
            sensor_profile: report.sensor_profile.clone(),
        }
    }

    /// The same summary with the time the assessment took, in
    /// milliseconds (rounded to 4 decimals, the field `ms`).
    #[must_use]
    pub fn with_ms(mut self, ms: f64) -> Self {
        self.ms = Some(round_ms(ms, 4));
        self
    }
}

/// A face report and its verdict, ready to serialise:
///
/// ```text
/// {"verdict":"retake","reasons":[...],"ms":5.712,"faces":1,
///  "face_box":[x,y,w,h],"left_eye":[x,y],"right_eye":[x,y],"ied_px","roll_deg",
///  "view_turn_deg","yaw_deg","pitch_deg","eye_line","eye_mid_x","head_width_ratio","head_length_ratio",
///  "eye_openness":[left,right],"mouth_opening","photometric":{"luminance_mean":{"raw","score"},...},
///  "chin":[x,y],"chin_source","crown":[x,y],"crown_source","hint":"..."}
/// ```
///
/// `face_box` .. `roll_deg` are `null` when no face was found, and the
/// fields from `yaw_deg` on are then left out; `photometric` is left out
/// when the face region lies outside the image. `view_turn_deg` is there
/// only for a face found in a turned view (a subject lying down; see
/// [`FaceMeasures::view_turn_deg`](crate::FaceMeasures::view_turn_deg)).
/// `chin_source` and `crown_source` say whether each point was measured
/// from the image or placed by proportion (`"measured"`,
/// `"proportional"`; see [`ExtentSource`](crate::ExtentSource)). Pixel, angle, ratio and openness values are rounded to 2 decimals,
/// photometric values to 4. `hint` is the first finding's hint in the
/// language given, left out for a pass; `ms` is present only when set with
/// [`with_ms`](Self::with_ms). The field names and their order are stable.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FaceSummary {
    verdict: Decision,
    reasons: Vec<Reason>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ms: Option<f64>,
    faces: usize,
    face_box: Option<[Option<f64>; 4]>,
    left_eye: Option<[Option<f64>; 2]>,
    right_eye: Option<[Option<f64>; 2]>,
    ied_px: Option<f64>,
    roll_deg: Option<f64>,
    #[serde(flatten)]
    framing: Option<FramingSummary>,
    #[serde(skip_serializing_if = "Option::is_none")]
    hint: Option<&'static str>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
struct FramingSummary {
    #[serde(skip_serializing_if = "Option::is_none")]
    view_turn_deg: Option<f64>,
    yaw_deg: Option<f64>,
    /// The estimated pitch (chin up positive), `null` when the eye
    /// network's nose and mouth points were not there.
    pitch_deg: Option<f64>,
    eye_line: Option<f64>,
    eye_mid_x: Option<f64>,
    head_width_ratio: Option<f64>,
    head_length_ratio: Option<f64>,
    /// Each eye's openness (subject's left, right), `null` when the face
    /// is too small or too near the edge to measure.
    eye_openness: Option<[Option<f64>; 2]>,
    /// How open the mouth is (estimated inner-lip gap over mouth width),
    /// `null` when it was not read (grey image, no mouth corners, too
    /// small or too near the edge).
    mouth_opening: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    photometric: Option<PhotometricSummary>,
    chin: [Option<f64>; 2],
    chin_source: ExtentSource,
    crown: [Option<f64>; 2],
    crown_source: ExtentSource,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
struct PhotometricSummary {
    luminance_mean: MeasureSummary,
    luminance_variance: MeasureSummary,
    under_exposure: MeasureSummary,
    over_exposure: MeasureSummary,
    dynamic_range: MeasureSummary,
    sharpness: MeasureSummary,
    background_uniformity: MeasureSummary,
    illumination_uniformity: MeasureSummary,
    natural_colour: MeasureSummary,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
struct MeasureSummary {
    raw: Option<f64>,
    score: Option<f64>,
}

impl From<Measure> for MeasureSummary {
    fn from(m: Measure) -> Self {
        Self {
            raw: round(m.raw, 4),
            score: round(m.score, 4),
        }
    }
}

impl FaceSummary {
    /// The summary of `report` judged as `verdict`, with the first
    /// finding's hint in `lang`.
    #[must_use]
    pub fn new(report: &FaceReport, verdict: &Verdict, lang: Lang) -> Self {
        let r2 = |v: f32| round(v, 2);
        let mut out = Self {
            verdict: verdict.decision,
            reasons: verdict.findings.iter().map(|f| f.reason).collect(),
            ms: None,
            faces: report.detections.len(),
            face_box: None,
            left_eye: None,
            right_eye: None,
            ied_px: None,
            roll_deg: None,
            framing: None,
            hint: verdict.first_hint(lang),
        };
        if let Some(f) = &report.face {
            let b = f.face_box;
            let g = &f.framing;
            out.face_box = Some([b.x, b.y, b.width, b.height].map(r2));
            out.left_eye = Some([f.eyes.left.x, f.eyes.left.y].map(r2));
            out.right_eye = Some([f.eyes.right.x, f.eyes.right.y].map(r2));
            out.ied_px = r2(g.ied_px);
            out.roll_deg = r2(g.roll_deg);
            out.framing = Some(FramingSummary {
                view_turn_deg: f.view_turn_deg.and_then(r2),
                yaw_deg: g.yaw_deg.and_then(r2),
                pitch_deg: g.pitch_deg.and_then(r2),
                eye_line: r2(g.eye_line_from_bottom),
                eye_mid_x: r2(g.eye_mid_x),
                head_width_ratio: r2(g.head_width_ratio),
                head_length_ratio: r2(g.head_length_ratio),
                eye_openness: f.eyes_open.map(|o| [o.left, o.right].map(r2)),
                mouth_opening: f.mouth.and_then(|m| r2(m.opening)),
                photometric: f.photometric.as_ref().map(|p| PhotometricSummary {
                    luminance_mean: p.luminance_mean.into(),
                    luminance_variance: p.luminance_variance.into(),
                    under_exposure: p.under_exposure.into(),
                    over_exposure: p.over_exposure.into(),
                    dynamic_range: p.dynamic_range.into(),
                    sharpness: p.sharpness.into(),
                    background_uniformity: p.background_uniformity.into(),
                    illumination_uniformity: p.illumination_uniformity.into(),
                    natural_colour: p.natural_colour.into(),
                }),
                chin: [g.chin.x, g.chin.y].map(r2),
                chin_source: g.chin_source,
                crown: [g.crown.x, g.crown.y].map(r2),
                crown_source: g.crown_source,
            });
        }
        out
    }

    /// The same summary with the time the assessment took, in
    /// milliseconds (rounded to 3 decimals, the field `ms`).
    #[must_use]
    pub fn with_ms(mut self, ms: f64) -> Self {
        self.ms = Some(round_ms(ms, 3));
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_is_half_away_from_zero_and_nan_is_null() {
        assert_eq!(round(0.123_45, 4), Some(0.1235));
        assert_eq!(round(-0.123_45, 4), Some(-0.1235));
        assert_eq!(round(f32::NAN, 4), None);
        assert_eq!(round(f32::INFINITY, 2), None);
        assert_eq!(round_ms(1.234_56, 3), 1.235);
        assert_eq!(round_ms(f64::NAN, 3), 0.0);
    }

    #[test]
    fn a_fingerprint_summary_keeps_its_field_order() {
        let report = FingerprintReport::default();
        let verdict = crate::FingerprintPolicy::default().judge(&report);
        let line = serde_json::to_string(&FingerprintSummary::new(&report, &verdict).with_ms(1.0))
            .expect("a summary serialises");
        let keys = [
            "\"verdict\"",
            "\"reasons\"",
            "\"ms\":1.0",
            "\"clarity\"",
            "\"moisture\"",
            "\"smudge\"",
            "\"foreground_fraction\"",
            "\"mean_block_quality\"",
            "\"foreground_px_500\"",
            "\"sensor_profile\"",
        ];
        let at: Vec<usize> = keys
            .iter()
            .map(|k| {
                line.find(k)
                    .unwrap_or_else(|| panic!("{k} missing in {line}"))
            })
            .collect();
        assert!(at.windows(2).all(|w| w[0] < w[1]), "{line}");
        let without_ms = serde_json::to_string(&FingerprintSummary::new(&report, &verdict))
            .expect("a summary serialises");
        assert!(!without_ms.contains("\"ms\""));
    }

    #[test]
    fn a_face_summary_without_a_face_has_nulls_and_no_framing() {
        let blank = image::RgbImage::from_pixel(64, 48, image::Rgb([128, 128, 128]));
        let report = crate::FaceAssessor::new(crate::FaceConfig::default())
            .and_then(|mut a| a.assess(crate::RgbView::from(&blank)))
            .expect("a blank frame is assessed");
        assert!(report.face.is_none());
        let verdict = crate::FacePolicy::icao().judge(&report);
        let line = serde_json::to_string(&FaceSummary::new(&report, &verdict, Lang::En))
            .expect("a summary serialises");
        assert!(line.contains("\"face_box\":null"), "{line}");
        assert!(line.contains("\"roll_deg\":null"), "{line}");
        assert!(!line.contains("yaw_deg"), "{line}");
        assert!(line.contains("\"hint\""), "{line}");
    }
}

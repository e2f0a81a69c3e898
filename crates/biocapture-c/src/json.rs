//! The full report as JSON: the same fields, names, order and rounding as
//! a line of `examples/assess` (without its `file` and `overlay`), so a C
//! caller's log reads like the command line's. CI compares the two on the
//! committed testdata.

use biocapture_core::{
    Decision, FaceReport, FingerprintReport, Lang, Measure, MoistureClass, Reason, Verdict,
};
use serde::Serialize;

/// `v` rounded to `digits` decimals (the measures do not resolve more);
/// non-finite values become JSON `null`.
fn round(v: f32, digits: i32) -> Option<f64> {
    let scale = 10f64.powi(digits);
    let v = f64::from(v);
    v.is_finite().then(|| (v * scale).round() / scale)
}

fn to_json<T: Serialize>(v: &T) -> String {
    // Plain structs of numbers, strings and codes: serialisation cannot
    // fail; should it ever, the caller gets an empty object, not a panic.
    serde_json::to_string(v).unwrap_or_else(|_| "{}".to_string())
}

#[derive(Serialize)]
struct FingerprintOut {
    verdict: Decision,
    reasons: Vec<Reason>,
    ms: f64,
    clarity: Option<f64>,
    moisture: MoistureOut,
    smudge: SmudgeOut,
    foreground_fraction: Option<f64>,
    ridge_period: Option<f64>,
    ridge_contrast: Option<f64>,
    mean_grey: Option<f64>,
    mean_block_quality: Option<f64>,
    foreground_px_500: u64,
    sensor_profile: Option<String>,
}

#[derive(Serialize)]
struct MoistureOut {
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

#[derive(Serialize)]
struct SmudgeOut {
    fraction: Option<f64>,
    largest_patch: Option<f64>,
    detected: bool,
    motion_blur: Option<f64>,
    residue_fraction: Option<f64>,
}

/// A fingerprint report and its verdict as one JSON object; `ms` is the
/// time the assessment and the verdict took.
pub(crate) fn fingerprint(report: &FingerprintReport, verdict: &Verdict, ms: f64) -> String {
    let r4 = |v: f32| round(v, 4);
    let m = &report.moisture;
    let s = &report.smudge;
    to_json(&FingerprintOut {
        verdict: verdict.decision,
        reasons: verdict.findings.iter().map(|f| f.reason).collect(),
        ms: (ms * 1e4).round() / 1e4,
        clarity: r4(report.clarity),
        moisture: MoistureOut {
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
        smudge: SmudgeOut {
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
    })
}

#[derive(Serialize)]
struct FaceOut {
    verdict: Decision,
    reasons: Vec<Reason>,
    ms: f64,
    faces: usize,
    face_box: Option<[Option<f64>; 4]>,
    left_eye: Option<[Option<f64>; 2]>,
    right_eye: Option<[Option<f64>; 2]>,
    ied_px: Option<f64>,
    roll_deg: Option<f64>,
    #[serde(flatten)]
    framing: Option<FramingOut>,
    #[serde(skip_serializing_if = "Option::is_none")]
    hint: Option<&'static str>,
}

#[derive(Serialize)]
struct FramingOut {
    yaw_deg: Option<f64>,
    eye_line: Option<f64>,
    eye_mid_x: Option<f64>,
    head_width_ratio: Option<f64>,
    head_length_ratio: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    photometric: Option<PhotometricOut>,
}

#[derive(Serialize)]
struct PhotometricOut {
    luminance_mean: MeasureOut,
    luminance_variance: MeasureOut,
    under_exposure: MeasureOut,
    over_exposure: MeasureOut,
    dynamic_range: MeasureOut,
    sharpness: MeasureOut,
    background_uniformity: MeasureOut,
    illumination_uniformity: MeasureOut,
    natural_colour: MeasureOut,
}

#[derive(Serialize)]
struct MeasureOut {
    raw: Option<f64>,
    score: Option<f64>,
}

/// A face report and its verdict as one JSON object; `ms` is the time the
/// assessment took; `hint` is the first finding's hint in `lang`.
pub(crate) fn face(report: &FaceReport, verdict: &Verdict, ms: f64, lang: Lang) -> String {
    let r2 = |v: f32| round(v, 2);
    let r4 = |v: f32| round(v, 4);
    let mut out = FaceOut {
        verdict: verdict.decision,
        reasons: verdict.findings.iter().map(|f| f.reason).collect(),
        ms: (ms * 1000.0).round() / 1000.0,
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
        let m = |v: Measure| MeasureOut {
            raw: r4(v.raw),
            score: r4(v.score),
        };
        out.framing = Some(FramingOut {
            yaw_deg: g.yaw_deg.and_then(r2),
            eye_line: r2(g.eye_line_from_bottom),
            eye_mid_x: r2(g.eye_mid_x),
            head_width_ratio: r2(g.head_width_ratio),
            head_length_ratio: r2(g.head_length_ratio),
            photometric: f.photometric.as_ref().map(|p| PhotometricOut {
                luminance_mean: m(p.luminance_mean),
                luminance_variance: m(p.luminance_variance),
                under_exposure: m(p.under_exposure),
                over_exposure: m(p.over_exposure),
                dynamic_range: m(p.dynamic_range),
                sharpness: m(p.sharpness),
                background_uniformity: m(p.background_uniformity),
                illumination_uniformity: m(p.illumination_uniformity),
                natural_colour: m(p.natural_colour),
            }),
        });
    }
    to_json(&out)
}

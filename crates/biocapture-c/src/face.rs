//! Face (ID portrait) assessment through the C ABI.

use crate::fingerprint::no_report;
use crate::json;
use crate::raw::{self, Busy, Limits, Sized32};
use crate::status::{guard, BcStatus, Failure};
use crate::verdict::{fill_findings, lang_from, BcDecision, BcFinding, BC_MAX_FINDINGS};
use biocapture_core::{
    FaceAssessor, FaceConfig, FacePolicy, FaceReport, GrayView, Lang, Measure, RgbView, Verdict,
};
use std::ffi::c_char;
use std::time::Instant;

/// Settings of a face assessor. Zero in any field means its default, so
/// `BcFaceOptions o = { .struct_size = sizeof o };` asks for every default (as does
/// passing NULL).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct BcFaceOptions {
    /// `sizeof(BcFaceOptions)` as the caller compiled it.
    pub struct_size: u32,
    /// Language of the findings' hints, a `BcLang` value. Default: English.
    pub lang: i32,
    /// Smallest accepted side, px. Default: 32.
    pub min_side: u32,
    /// Largest accepted side, px. Default: 8192.
    pub max_side: u32,
    /// Largest accepted pixel count. Default: 40 000 000.
    pub max_pixels: u64,
    /// Smallest face the detector looks for, as a share of the image's
    /// shorter side, in 0.05..=1. Default: 0.25.
    pub min_face_fraction: f32,
    /// The detector's score threshold, > 0. Default: 2.0.
    pub detector_threshold: f64,
}

// SAFETY: `#[repr(C)]`, starts with `struct_size: u32`, and its fields are
// integers and floats: any bit pattern is a valid value.
unsafe impl Sized32 for BcFaceOptions {
    const MIN_SIZE: usize = std::mem::size_of::<BcFaceOptions>();
}

impl BcFaceOptions {
    const ZERO: BcFaceOptions = BcFaceOptions {
        struct_size: std::mem::size_of::<BcFaceOptions>() as u32,
        lang: 0,
        min_side: 0,
        max_side: 0,
        max_pixels: 0,
        min_face_fraction: 0.0,
        detector_threshold: 0.0,
    };
}

/// Thresholds that turn a measured portrait into pass or retake. Get the
/// ICAO defaults from `bc_face_policy_icao`, change fields, and give it to
/// `bc_face_assessor_set_policy`. Each field is the library's `FacePolicy`
/// field of the same name (its documentation gives the definition and
/// default).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BcFacePolicy {
    /// `sizeof(BcFacePolicy)` as the caller compiled it.
    pub struct_size: u32,
    /// Lowest eye line, share of the height from the bottom. Default: 0.5.
    pub min_eye_line: f32,
    /// Highest eye line. Default: 0.7.
    pub max_eye_line: f32,
    /// Leftmost eye mid-point, share of the width. Default: 0.45.
    pub min_eye_mid_x: f32,
    /// Rightmost eye mid-point. Default: 0.55.
    pub max_eye_mid_x: f32,
    /// Smallest head width over image width. Default: 0.5.
    pub min_head_width_ratio: f32,
    /// Largest head width over image width. Default: 0.75.
    pub max_head_width_ratio: f32,
    /// Smallest chin-to-crown length over image height. Default: 0.6.
    pub min_head_length_ratio: f32,
    /// Largest chin-to-crown length over image height. Default: 0.9.
    pub max_head_length_ratio: f32,
    /// Smallest inter-eye distance, px. Default: 90.
    pub min_ied_px: f32,
    /// Largest roll, degrees. Default: 8.
    pub max_roll_deg: f32,
    /// Largest estimated yaw, degrees. Default: 12.
    pub max_yaw_deg: f32,
    /// How far the head may run off the image, share of its length.
    /// Default: 0.02.
    pub max_head_outside: f32,
    /// A second face this large (area share) is another person.
    /// Default: 0.35.
    pub multiple_face_area_ratio: f32,
    /// Lowest mean face luminance, linear light. Default: 0.05.
    pub min_luminance_mean: f32,
    /// Largest share of crushed-shadow face pixels. Default: 0.6.
    pub max_under_exposure: f32,
    /// Highest mean face luminance, linear light. Default: 0.75.
    pub max_luminance_mean: f32,
    /// Largest share of clipped face pixels. Default: 0.08.
    pub max_over_exposure: f32,
    /// Smallest overlap of the face halves' histograms. Default: 0.25.
    pub min_illumination_uniformity: f32,
    /// Smallest sharpness. Default: 0.6.
    pub min_sharpness: f32,
    /// Largest mean background gradient. Default: 15.
    pub max_background_gradient: f32,
    /// Largest cheek colour distance outside the skin box. Default: 8.
    pub max_colour_distance: f32,
    /// Smallest eye visibility (an eye's iris-to-sclera contrast, 0..1):
    /// an eye below it whose openness is also below `min_eye_openness`
    /// counts as covered. Default: 0.1.
    pub min_eye_visibility: f32,
    /// Smallest eye openness (the more open eye's lid aperture over its
    /// width, 0..1); below it the eyes count as closed. Default: 0.18.
    pub min_eye_openness: f32,
    /// Roll, degrees, past which the verdict is `rotate_image` alone (a
    /// face turned nearer a quarter turn than upright). Default: 45.
    pub max_roll_before_rotate_deg: f32,
    /// Highest shadow level of the face (the 5th percentile of its
    /// luminance, linear light): above it the face is washed out and the
    /// verdict gives `too_bright`. Default: 0.3.
    pub max_shadow_luminance: f32,
    /// Largest mouth opening (the estimated inner-lip gap over the mouth
    /// width, 0..1); above it the mouth counts as open. Default:
    /// 0.1.
    pub max_mouth_opening: f32,
    /// Largest estimated pitch (head tipped back or forward), degrees.
    /// Default: 15.
    pub max_pitch_deg: f32,
}

// SAFETY: `#[repr(C)]`, starts with `struct_size: u32`, and its fields are
// `f32`s: any bit pattern is a valid value.
unsafe impl Sized32 for BcFacePolicy {
    /// The first revision ended with `min_eye_visibility`; a caller
    /// compiled with it gets the defaults of the fields after it
    /// (`min_eye_openness`, `max_roll_before_rotate_deg`,
    /// `max_shadow_luminance`, `max_mouth_opening` of revision 3 and
    /// `max_pitch_deg` of revision 4), a caller of revision 2 (104 bytes)
    /// the default `max_mouth_opening` and `max_pitch_deg`, a caller of
    /// revision 3 (108 bytes) the default `max_pitch_deg`.
    const MIN_SIZE: usize = 92;
}

macro_rules! face_policy_fields {
    ($m:ident) => {
        $m!(
            min_eye_line,
            max_eye_line,
            min_eye_mid_x,
            max_eye_mid_x,
            min_head_width_ratio,
            max_head_width_ratio,
            min_head_length_ratio,
            max_head_length_ratio,
            min_ied_px,
            max_roll_deg,
            max_yaw_deg,
            max_head_outside,
            multiple_face_area_ratio,
            min_luminance_mean,
            max_under_exposure,
            max_luminance_mean,
            max_over_exposure,
            min_illumination_uniformity,
            min_sharpness,
            max_background_gradient,
            max_colour_distance,
            min_eye_visibility,
            min_eye_openness,
            max_roll_before_rotate_deg,
            max_shadow_luminance,
            max_mouth_opening,
            max_pitch_deg
        )
    };
}

fn policy_to_c(p: &FacePolicy) -> BcFacePolicy {
    macro_rules! build {
        ($($f:ident),*) => {
            BcFacePolicy {
                struct_size: std::mem::size_of::<BcFacePolicy>() as u32,
                $($f: p.$f,)*
            }
        };
    }
    face_policy_fields!(build)
}

fn policy_from_c(c: &BcFacePolicy) -> FacePolicy {
    let mut p = FacePolicy::icao();
    macro_rules! copy {
        ($($f:ident),*) => { $(p.$f = c.$f;)* };
    }
    face_policy_fields!(copy);
    p
}

/// One photometric measure: the raw value and its 0..100 score (mapped as
/// BSI's OFIQ maps it).
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct BcMeasure {
    /// The measured value.
    pub raw: f32,
    /// Its quality score, 0..100.
    pub score: f32,
}

impl From<Measure> for BcMeasure {
    fn from(m: Measure) -> Self {
        Self {
            raw: m.raw,
            score: m.score,
        }
    }
}

/// One portrait's verdict, framing, eye points and photometric measures.
/// The caller owns it: set `struct_size`, pass it to `bc_face_assess_rgb`
/// or `bc_face_assess_gray`, read it. Coordinates are pixels from the
/// image's top-left corner. When `face_found` is 0, every face field is 0.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct BcFaceResult {
    /// `sizeof(BcFaceResult)` as the caller compiled it.
    pub struct_size: u32,
    /// Pass or retake.
    pub decision: BcDecision,
    /// How many of `findings` are filled.
    pub finding_count: u32,
    /// How many faces the detector found.
    pub face_count: u32,
    /// 1 when the subject's face was found (and the fields below are set).
    pub face_found: i32,
    /// The subject's face box: left edge.
    pub face_x: f32,
    /// Top edge.
    pub face_y: f32,
    /// Width.
    pub face_width: f32,
    /// Height.
    pub face_height: f32,
    /// The subject's left eye centre (the one with the larger x in an
    /// upright face; in a turned one, still the subject's left): x.
    pub left_eye_x: f32,
    /// The subject's left eye centre: y.
    pub left_eye_y: f32,
    /// The subject's right eye centre: x.
    pub right_eye_x: f32,
    /// The subject's right eye centre: y.
    pub right_eye_y: f32,
    /// Inter-eye distance, px.
    pub ied_px: f32,
    /// Roll (eye-line tilt), degrees; -180..180 for a face found in a
    /// turned view (a subject lying down: 90 when the top of the head
    /// points to the image right), which the verdict's `rotate_image`
    /// comes with.
    pub roll_deg: f32,
    /// Estimated yaw, degrees; NaN when it could not be estimated.
    pub yaw_deg: f32,
    /// Eye mid-point height above the bottom edge over image height.
    pub eye_line: f32,
    /// Eye mid-point x over image width.
    pub eye_mid_x: f32,
    /// Estimated head width over image width.
    pub head_width_ratio: f32,
    /// Estimated chin-to-crown length over image height.
    pub head_length_ratio: f32,
    /// How far the estimated head runs off the image, share of its length.
    pub head_outside: f32,
    /// 1 when the photometric measures below are set (the face region
    /// lies in the image).
    pub photometric_found: i32,
    /// Mean face luminance, linear light.
    pub luminance_mean: BcMeasure,
    /// Face luminance variance.
    pub luminance_variance: BcMeasure,
    /// Share of face pixels at luminance 0..=25.
    pub under_exposure: BcMeasure,
    /// Share of face pixels at luminance 247..=255.
    pub over_exposure: BcMeasure,
    /// Entropy of the face's luminance, bits.
    pub dynamic_range: BcMeasure,
    /// Sharpness.
    pub sharpness: BcMeasure,
    /// Mean background gradient.
    pub background_uniformity: BcMeasure,
    /// Overlap of the face halves' luminance histograms.
    pub illumination_uniformity: BcMeasure,
    /// Cheek colour distance outside the natural skin box.
    pub natural_colour: BcMeasure,
    /// Input width, px.
    pub width: u32,
    /// Input height, px.
    pub height: u32,
    /// Every reason for a retake, most actionable first.
    pub findings: [BcFinding; BC_MAX_FINDINGS],
    /// Estimated pitch, degrees, positive with the chin up (the head
    /// tipped back); NaN when it could not be estimated (eyes supplied, a
    /// face found in a turned view). Revision 4.
    pub pitch_deg: f32,
    /// Estimated inner-lip gap over the mouth's width; NaN when the mouth
    /// was not read (grey images, a mouth the network could not place).
    /// Revision 4.
    pub mouth_opening: f32,
}

/// `sizeof(BcFaceResult)` in revisions 1 to 3, before `pitch_deg`.
const FACE_RESULT_FIRST_SIZE: usize = 168 + 24 * BC_MAX_FINDINGS;

// SAFETY: `#[repr(C)]` and starts with `struct_size: u32`. It is only
// written to the caller, never read from the caller's memory.
unsafe impl Sized32 for BcFaceResult {
    const MIN_SIZE: usize = FACE_RESULT_FIRST_SIZE;
}

// No padding: every byte written to the caller is initialised.
const _: () = assert!(std::mem::size_of::<BcFaceResult>() == FACE_RESULT_FIRST_SIZE + 8);
const _: () = assert!(std::mem::size_of::<BcFacePolicy>() == 112);

impl BcFaceResult {
    fn new(report: &FaceReport, verdict: &Verdict, lang: Lang) -> Self {
        let zero = BcMeasure::default();
        let mut out = Self {
            struct_size: std::mem::size_of::<Self>() as u32,
            decision: verdict.decision.into(),
            finding_count: 0,
            face_count: u32::try_from(report.detections.len()).unwrap_or(u32::MAX),
            face_found: 0,
            face_x: 0.0,
            face_y: 0.0,
            face_width: 0.0,
            face_height: 0.0,
            left_eye_x: 0.0,
            left_eye_y: 0.0,
            right_eye_x: 0.0,
            right_eye_y: 0.0,
            ied_px: 0.0,
            roll_deg: 0.0,
            yaw_deg: 0.0,
            eye_line: 0.0,
            eye_mid_x: 0.0,
            head_width_ratio: 0.0,
            head_length_ratio: 0.0,
            head_outside: 0.0,
            photometric_found: 0,
            luminance_mean: zero,
            luminance_variance: zero,
            under_exposure: zero,
            over_exposure: zero,
            dynamic_range: zero,
            sharpness: zero,
            background_uniformity: zero,
            illumination_uniformity: zero,
            natural_colour: zero,
            width: report.width,
            height: report.height,
            findings: [BcFinding::EMPTY; BC_MAX_FINDINGS],
            pitch_deg: f32::NAN,
            mouth_opening: f32::NAN,
        };
        if let Some(f) = &report.face {
            let g = &f.framing;
            out.face_found = 1;
            out.face_x = f.face_box.x;
            out.face_y = f.face_box.y;
            out.face_width = f.face_box.width;
            out.face_height = f.face_box.height;
            out.left_eye_x = f.eyes.left.x;
            out.left_eye_y = f.eyes.left.y;
            out.right_eye_x = f.eyes.right.x;
            out.right_eye_y = f.eyes.right.y;
            out.ied_px = g.ied_px;
            out.roll_deg = g.roll_deg;
            out.yaw_deg = g.yaw_deg.unwrap_or(f32::NAN);
            out.pitch_deg = g.pitch_deg.unwrap_or(f32::NAN);
            out.mouth_opening = f.mouth.map_or(f32::NAN, |m| m.opening);
            out.eye_line = g.eye_line_from_bottom;
            out.eye_mid_x = g.eye_mid_x;
            out.head_width_ratio = g.head_width_ratio;
            out.head_length_ratio = g.head_length_ratio;
            out.head_outside = g.head_outside;
            if let Some(p) = &f.photometric {
                out.photometric_found = 1;
                out.luminance_mean = p.luminance_mean.into();
                out.luminance_variance = p.luminance_variance.into();
                out.under_exposure = p.under_exposure.into();
                out.over_exposure = p.over_exposure.into();
                out.dynamic_range = p.dynamic_range.into();
                out.sharpness = p.sharpness.into();
                out.background_uniformity = p.background_uniformity.into();
                out.illumination_uniformity = p.illumination_uniformity.into();
                out.natural_colour = p.natural_colour.into();
            }
        }
        out.finding_count = fill_findings(&verdict.findings, lang, &mut out.findings);
        out
    }
}

/// A face assessor: its settings, policy, detector, scratch buffers and
/// last report. Opaque; made by `bc_face_assessor_new`, freed by
/// `bc_face_assessor_free`. It may move between threads but must not be
/// used by two at once.
pub struct BcFaceAssessor {
    assessor: FaceAssessor,
    limits: Limits,
    policy: FacePolicy,
    lang: Lang,
    /// The last call's report, when it succeeded.
    report: Option<FaceReport>,
    verdict: Verdict,
    /// Time of the last assessment.
    ms: f64,
    busy: bool,
}

impl Busy for BcFaceAssessor {
    fn busy(&mut self) -> &mut bool {
        &mut self.busy
    }
    fn is_busy(&self) -> bool {
        self.busy
    }
}

/// Makes a face assessor (with the embedded detector and eye models: no
/// file is read).
///
/// `options` may be NULL for every default. On success `*out` holds the
/// new handle; on failure `*out` is set to NULL (when `out` is not NULL).
///
/// Errors: `BC_STATUS_INVALID_ARGUMENT` (NULL `out`, a `struct_size` too
/// small, a bad `lang`), `BC_STATUS_INVALID_CONFIG` (inconsistent limits,
/// `min_face_fraction` or `detector_threshold` out of range).
///
/// Thread-safe.
///
/// # Safety
///
/// `options` is NULL or a valid `BcFaceOptions` whose `struct_size` bytes
/// are readable; `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn bc_face_assessor_new(
    options: *const BcFaceOptions,
    out: *mut *mut BcFaceAssessor,
) -> BcStatus {
    guard(|| {
        if out.is_null() {
            return Err(Failure::null("out"));
        }
        // SAFETY: `out` is non-NULL and writable per the contract.
        unsafe { out.write(std::ptr::null_mut()) };
        let o = if options.is_null() {
            BcFaceOptions::ZERO
        } else {
            // SAFETY: per the contract.
            unsafe { raw::read_sized(options, BcFaceOptions::ZERO, "options") }?
        };
        let lang = lang_from(o.lang).ok_or_else(|| {
            Failure::invalid(format!("`options->lang` {} is not a BcLang", o.lang))
        })?;
        let mut config = FaceConfig::default();
        // The defaults, mirrored so oversize images are refused before
        // their pixels are borrowed.
        let mut limits = Limits {
            max_side: 8192,
            max_pixels: 40_000_000,
        };
        if o.min_side != 0 {
            config = config.with_min_side(o.min_side);
        }
        if o.max_side != 0 {
            config = config.with_max_side(o.max_side);
            limits.max_side = o.max_side;
        }
        if o.max_pixels != 0 {
            config = config.with_max_pixels(o.max_pixels);
            limits.max_pixels = o.max_pixels;
        }
        if o.min_face_fraction != 0.0 {
            config = config.with_min_face_fraction(o.min_face_fraction);
        }
        if o.detector_threshold != 0.0 {
            config = config.with_detector_threshold(o.detector_threshold);
        }
        let handle = Box::new(BcFaceAssessor {
            assessor: FaceAssessor::new(config)?,
            limits,
            policy: FacePolicy::icao(),
            lang,
            report: None,
            verdict: Verdict::from_findings(Vec::new()),
            ms: 0.0,
            busy: false,
        });
        // SAFETY: as above.
        unsafe { out.write(Box::into_raw(handle)) };
        Ok(())
    })
}

/// Frees a face assessor. NULL is ignored.
///
/// # Safety
///
/// `assessor` is NULL or a handle from `bc_face_assessor_new` not yet
/// freed and not in use by another thread; it is invalid afterwards.
#[no_mangle]
pub unsafe extern "C" fn bc_face_assessor_free(assessor: *mut BcFaceAssessor) {
    // SAFETY: the caller's contract above is `free_handle`'s.
    unsafe { crate::status::free_handle(assessor) }
}

/// Fills `*out` with the ISO/IEC 19794-5 / ICAO 9303 policy (the
/// library's `FacePolicy::icao()`), up to its `struct_size`.
///
/// Errors: `BC_STATUS_INVALID_ARGUMENT` (NULL `out`, `struct_size` too
/// small). Thread-safe.
///
/// # Safety
///
/// `out` is NULL or points to a writable `BcFacePolicy` whose
/// `struct_size` is set.
#[no_mangle]
pub unsafe extern "C" fn bc_face_policy_icao(out: *mut BcFacePolicy) -> BcStatus {
    guard(|| {
        // SAFETY: per the contract.
        unsafe { raw::write_sized(out, &policy_to_c(&FacePolicy::icao()), "out") }
    })
}

/// Sets the thresholds for later verdicts; NULL restores the ICAO
/// defaults. Fields past the caller's `struct_size` keep their defaults.
///
/// Errors: `BC_STATUS_INVALID_ARGUMENT` (NULL handle, `struct_size` too
/// small), `BC_STATUS_INVALID_CONFIG` (a threshold not finite or a range
/// out of order; the message names it). On failure the policy is
/// unchanged.
///
/// # Safety
///
/// `assessor` is NULL or a live handle not in use by another thread;
/// `policy` is NULL or a readable `BcFacePolicy` of `struct_size` bytes.
#[no_mangle]
pub unsafe extern "C" fn bc_face_assessor_set_policy(
    assessor: *mut BcFaceAssessor,
    policy: *const BcFacePolicy,
) -> BcStatus {
    guard(|| {
        // SAFETY: per the contract.
        unsafe {
            raw::with_handle(assessor, "assessor", |h| {
                let defaults = policy_to_c(&FacePolicy::icao());
                let p = if policy.is_null() {
                    defaults
                } else {
                    raw::read_sized(policy, defaults, "policy")?
                };
                let p = policy_from_c(&p);
                p.validate()?;
                h.policy = p;
                Ok(())
            })
        }
    })
}

/// Which pixel layout a face call reads.
#[derive(Clone, Copy)]
enum Pixels {
    Rgb,
    Gray,
}

/// The body of both face entry points.
///
/// # Safety
///
/// As `bc_face_assess_rgb`, with `channels` bytes a pixel.
unsafe fn assess(
    assessor: *mut BcFaceAssessor,
    layout: Pixels,
    data: *const u8,
    width: u32,
    height: u32,
    stride: usize,
    out: *mut BcFaceResult,
) -> BcStatus {
    guard(|| {
        // SAFETY: per the contract.
        unsafe {
            raw::with_handle(assessor, "assessor", |h| {
                h.report = None;
                if !out.is_null() {
                    raw::check_size(out.cast_const(), "out")?;
                }
                let channels = match layout {
                    Pixels::Rgb => 3,
                    Pixels::Gray => 1,
                };
                let pixels = raw::pixels(data, width, height, stride, channels, h.limits)?;
                let t = Instant::now();
                let report = match layout {
                    Pixels::Rgb => h
                        .assessor
                        .assess(RgbView::new(pixels, width, height, stride)?),
                    Pixels::Gray => h
                        .assessor
                        .assess_gray(GrayView::new(pixels, width, height, stride)?),
                }?;
                h.ms = t.elapsed().as_secs_f64() * 1e3;
                h.verdict = h.policy.judge(&report);
                if !out.is_null() {
                    raw::write_sized(out, &BcFaceResult::new(&report, &h.verdict, h.lang), "out")?;
                }
                h.report = Some(report);
                Ok(())
            })
        }
    })
}

/// Assesses one 8-bit RGB portrait (three interleaved bytes a pixel, R
/// first) and judges it.
///
/// The pixels are borrowed for the call only: `height` rows of `3 *
/// width` bytes, each row starting `stride` bytes after the previous one.
/// On success `*out` (when not NULL) holds the verdict, framing, eye
/// points and photometric measures, and the assessor keeps the report for
/// `bc_face_report_json`. No face, or a poor portrait, is a success with
/// a retake verdict.
///
/// Errors: `BC_STATUS_INVALID_ARGUMENT` (NULL handle or `data`,
/// `out->struct_size` too small), `BC_STATUS_EMPTY_IMAGE`,
/// `BC_STATUS_STRIDE_TOO_SMALL`, `BC_STATUS_DIMENSION_OVERFLOW`,
/// `BC_STATUS_IMAGE_TOO_LARGE` (checked before any pixel is read),
/// `BC_STATUS_IMAGE_TOO_SMALL`. On failure `*out` is untouched and the
/// assessor holds no report.
///
/// # Safety
///
/// `assessor` is NULL or a live handle not in use by another thread;
/// `data` is NULL or points to `(height - 1) * stride + 3 * width`
/// readable bytes not changed during the call; `out` is NULL or a
/// writable `BcFaceResult` whose `struct_size` is set.
#[no_mangle]
pub unsafe extern "C" fn bc_face_assess_rgb(
    assessor: *mut BcFaceAssessor,
    data: *const u8,
    width: u32,
    height: u32,
    stride: usize,
    out: *mut BcFaceResult,
) -> BcStatus {
    // SAFETY: the caller's contract is `assess`'s with three channels.
    unsafe { assess(assessor, Pixels::Rgb, data, width, height, stride, out) }
}

/// Assesses one 8-bit grey portrait, as `bc_face_assess_rgb` (one byte a
/// pixel: rows of `width` bytes; no colour measure is possible).
///
/// Errors: as `bc_face_assess_rgb`.
///
/// # Safety
///
/// As `bc_face_assess_rgb`, with `(height - 1) * stride + width` readable
/// bytes at `data`.
#[no_mangle]
pub unsafe extern "C" fn bc_face_assess_gray(
    assessor: *mut BcFaceAssessor,
    data: *const u8,
    width: u32,
    height: u32,
    stride: usize,
    out: *mut BcFaceResult,
) -> BcStatus {
    // SAFETY: the caller's contract is `assess`'s with one channel.
    unsafe { assess(assessor, Pixels::Gray, data, width, height, stride, out) }
}

/// The last report as JSON (UTF-8, NUL-terminated): the fields of a line
/// of `examples/assess face` without `file` and `overlay`, with `ms` the
/// time of the assessment and `hint` in the assessor's language.
///
/// Sizes and errors as `bc_fingerprint_report_json`.
///
/// # Safety
///
/// `assessor` is NULL or a live handle not being changed by another
/// thread; `buf` is NULL or points to `cap` writable bytes; `needed` is
/// NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn bc_face_report_json(
    assessor: *const BcFaceAssessor,
    buf: *mut c_char,
    cap: usize,
    needed: *mut usize,
) -> BcStatus {
    guard(|| {
        // SAFETY: per the contract.
        unsafe {
            raw::with_handle_ref(assessor, "assessor", |h| {
                let report = h.report.as_ref().ok_or_else(no_report)?;
                let mut text = json::face(report, &h.verdict, h.ms, h.lang).into_bytes();
                text.push(0);
                raw::copy_out(&text, buf.cast(), cap, needed, "JSON report")
            })
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_round_trips_through_c() {
        let mut p = FacePolicy::icao();
        p.min_ied_px = 120.0;
        p.max_colour_distance = 3.5;
        p.min_eye_openness = 0.25;
        p.max_mouth_opening = 0.3;
        p.max_pitch_deg = 9.0;
        assert_eq!(policy_from_c(&policy_to_c(&p)), p);
    }

    #[test]
    fn a_caller_of_the_third_revision_gets_its_result_without_the_pitch() {
        let report = FaceReport::default();
        let verdict = FacePolicy::icao().judge(&report);
        let value = BcFaceResult::new(&report, &verdict, Lang::En);
        let mut old = value;
        old.struct_size = FACE_RESULT_FIRST_SIZE as u32;
        old.face_count = 7; // inside the caller's struct: written
        old.pitch_deg = 7.0; // past it: left as it was
                             // SAFETY: `old` is a whole, writable `BcFaceResult`.
        unsafe { raw::write_sized(&mut old, &value, "out") }.unwrap();
        assert_eq!(old.struct_size as usize, FACE_RESULT_FIRST_SIZE);
        assert_eq!(old.face_count, 0);
        assert_eq!(old.pitch_deg, 7.0);
        assert!(value.pitch_deg.is_nan() && value.mouth_opening.is_nan());
        old.struct_size -= 4;
        // SAFETY: as above.
        assert!(unsafe { raw::write_sized(&mut old, &value, "out") }.is_err());
    }

    #[test]
    fn a_caller_of_the_third_revision_gets_the_default_pitch() {
        let mut old = policy_to_c(&FacePolicy::icao());
        old.struct_size = 108;
        old.max_mouth_opening = 0.3;
        old.max_pitch_deg = 1.0; // past the caller's struct: not read
        let defaults = policy_to_c(&FacePolicy::icao());
        // SAFETY: `old` is a whole, readable `BcFacePolicy`.
        let read = unsafe { raw::read_sized(&old, defaults, "policy") }.unwrap();
        assert_eq!(read.max_mouth_opening, 0.3);
        assert_eq!(read.max_pitch_deg, FacePolicy::icao().max_pitch_deg);
    }

    #[test]
    fn a_caller_of_the_second_revision_gets_the_default_mouth_opening() {
        let mut old = policy_to_c(&FacePolicy::icao());
        old.struct_size = 104;
        old.max_shadow_luminance = 0.2;
        old.max_mouth_opening = 5.0; // past the caller's struct: not read
        let defaults = policy_to_c(&FacePolicy::icao());
        // SAFETY: `old` is a whole, readable `BcFacePolicy`.
        let read = unsafe { raw::read_sized(&old, defaults, "policy") }.unwrap();
        assert_eq!(read.max_shadow_luminance, 0.2);
        assert_eq!(read.max_mouth_opening, FacePolicy::icao().max_mouth_opening);
    }

    #[test]
    fn a_caller_of_the_first_revision_gets_the_default_eye_openness() {
        let mut old = policy_to_c(&FacePolicy::icao());
        old.struct_size = 92;
        old.min_eye_openness = 5.0; // past the caller's struct: not read
        let defaults = policy_to_c(&FacePolicy::icao());
        // SAFETY: `old` is a whole, readable `BcFacePolicy`.
        let read = unsafe { raw::read_sized(&old, defaults, "policy") }.unwrap();
        assert_eq!(read.min_eye_openness, FacePolicy::icao().min_eye_openness);
        old.struct_size = 88;
        // SAFETY: as above.
        assert!(unsafe { raw::read_sized(&old, defaults, "policy") }.is_err());
    }
}

//! Fingerprint assessment through the C ABI.

use crate::json;
use crate::raw::{self, Busy, Limits, Sized32};
use crate::status::{guard, BcStatus, Failure};
use crate::verdict::{
    fill_findings, lang_from, BcDecision, BcFinding, BcMoistureClass, BC_MAX_FINDINGS,
};
use biocapture_core::{
    Analysis, FingerprintAssessor, FingerprintConfig, FingerprintPolicy, FingerprintReport,
    GrayView, Lang, SensorProfile, Verdict,
};
use std::ffi::c_char;
use std::time::Instant;

/// How much a fingerprint assessor measures.
#[repr(i32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BcAnalysis {
    /// Everything: clarity, moisture, smudge, motion blur, sensor residue.
    Full = 0,
    /// Clarity, foreground and the quality map only; moisture and smudge
    /// stay neutral, so no verdict flags them.
    ClarityOnly = 1,
}

/// Settings of a fingerprint assessor. Zero in any field means its
/// default, so `BcFingerprintOptions o = { .struct_size = sizeof o };` asks for every
/// default (as does passing NULL).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct BcFingerprintOptions {
    /// `sizeof(BcFingerprintOptions)` as the caller compiled it.
    pub struct_size: u32,
    /// Language of the findings' hints, a `BcLang` value. Default: English.
    pub lang: i32,
    /// What to measure, a `BcAnalysis` value. Default: everything.
    pub analysis: i32,
    /// Smallest accepted side, px at 500 ppi, at least 16. Default: 32.
    pub min_side: u32,
    /// Largest accepted side of the input, px. Default: 8192.
    pub max_side: u32,
    /// Largest accepted input pixel count. Default: 16 000 000.
    pub max_pixels: u64,
    /// The scanner's sensor profile as its JSON (what `examples/calibrate`
    /// writes), NUL-terminated UTF-8, read during the call. Default (NULL):
    /// the built-in generic profile.
    pub profile_json: *const c_char,
}

// SAFETY: `#[repr(C)]`, starts with `struct_size: u32`, and its fields are
// integers and a raw pointer: any bit pattern is a valid value.
unsafe impl Sized32 for BcFingerprintOptions {
    const MIN_SIZE: usize = std::mem::size_of::<BcFingerprintOptions>();
}

impl BcFingerprintOptions {
    const ZERO: BcFingerprintOptions = BcFingerprintOptions {
        struct_size: std::mem::size_of::<BcFingerprintOptions>() as u32,
        lang: 0,
        analysis: 0,
        min_side: 0,
        max_side: 0,
        max_pixels: 0,
        profile_json: std::ptr::null(),
    };
}

/// Thresholds that turn a measured print into pass or retake. Get the
/// defaults from `bc_fingerprint_policy_default`, change fields, and give
/// it to `bc_fingerprint_assessor_set_policy`. Each field is the library's
/// `FingerprintPolicy` field of the same name (its documentation gives the
/// definition and default).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BcFingerprintPolicy {
    /// `sizeof(BcFingerprintPolicy)` as the caller compiled it.
    pub struct_size: u32,
    /// `no_finger` below this grey standard deviation. Default: 1.
    pub min_grey_sigma: f32,
    /// Mean grey above this: `no_finger` or `low_contrast`. Default: 250.
    pub max_mean_grey: f32,
    /// `no_finger` below this foreground share. Default: 0.03.
    pub min_foreground_fraction: f32,
    /// `low_contrast` below this ridge-to-valley amplitude. Default: 30.
    pub min_ridge_contrast: f32,
    /// `too_small_area` below this foreground, px at 500 ppi. Default: 25000.
    pub min_foreground_px: u32,
    /// Share of an edge's blocks that makes it cut the print. Default: 0.3.
    pub partial_edge_touch: f32,
    /// `partial_print` past this centroid shift. Default: 0.12.
    pub partial_offset: f32,
    /// `off_center` past this centroid offset. Default: 0.2.
    pub max_center_offset: f32,
    /// `low_clarity` below this clarity. Default: 40.
    pub min_clarity: f32,
    /// `too_wet` at or above this moisture index. Default: 0.28.
    pub wet_index: f32,
    /// `too_dry` at or below this moisture index. Default: -0.35.
    pub dry_index: f32,
    /// `smudged` from this largest smeared patch share. Default: 0.025.
    pub max_smear_patch: f32,
    /// `smudged` from this smeared share. Default: 0.06.
    pub max_smear_fraction: f32,
    /// `motion_blur` from this directional blur. Default: 0.23.
    pub max_motion_blur: f32,
    /// `sensor_residue` from this latent share of the platen. Default: 0.02.
    pub max_residue_fraction: f32,
}

// SAFETY: `#[repr(C)]`, starts with `struct_size: u32`, and its fields are
// `u32`s and `f32`s: any bit pattern is a valid value.
unsafe impl Sized32 for BcFingerprintPolicy {
    const MIN_SIZE: usize = std::mem::size_of::<BcFingerprintPolicy>();
}

impl From<&FingerprintPolicy> for BcFingerprintPolicy {
    fn from(p: &FingerprintPolicy) -> Self {
        Self {
            struct_size: std::mem::size_of::<BcFingerprintPolicy>() as u32,
            min_grey_sigma: p.min_grey_sigma,
            max_mean_grey: p.max_mean_grey,
            min_foreground_fraction: p.min_foreground_fraction,
            min_ridge_contrast: p.min_ridge_contrast,
            min_foreground_px: u32::try_from(p.min_foreground_px).unwrap_or(u32::MAX),
            partial_edge_touch: p.partial_edge_touch,
            partial_offset: p.partial_offset,
            max_center_offset: p.max_center_offset,
            min_clarity: p.min_clarity,
            wet_index: p.wet_index,
            dry_index: p.dry_index,
            max_smear_patch: p.max_smear_patch,
            max_smear_fraction: p.max_smear_fraction,
            max_motion_blur: p.max_motion_blur,
            max_residue_fraction: p.max_residue_fraction,
        }
    }
}

impl From<&BcFingerprintPolicy> for FingerprintPolicy {
    fn from(p: &BcFingerprintPolicy) -> Self {
        Self {
            min_grey_sigma: p.min_grey_sigma,
            max_mean_grey: p.max_mean_grey,
            min_foreground_fraction: p.min_foreground_fraction,
            min_ridge_contrast: p.min_ridge_contrast,
            min_foreground_px: u64::from(p.min_foreground_px),
            partial_edge_touch: p.partial_edge_touch,
            partial_offset: p.partial_offset,
            max_center_offset: p.max_center_offset,
            min_clarity: p.min_clarity,
            wet_index: p.wet_index,
            dry_index: p.dry_index,
            max_smear_patch: p.max_smear_patch,
            max_smear_fraction: p.max_smear_fraction,
            max_motion_blur: p.max_motion_blur,
            max_residue_fraction: p.max_residue_fraction,
        }
    }
}

/// One print's verdict and headline measures. The caller owns it: set
/// `struct_size`, pass it to `bc_fingerprint_assess`, read it.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct BcFingerprintResult {
    /// `sizeof(BcFingerprintResult)` as the caller compiled it.
    pub struct_size: u32,
    /// Pass or retake.
    pub decision: BcDecision,
    /// How many of `findings` are filled.
    pub finding_count: u32,
    /// The headline clarity score, 0..100.
    pub clarity: f32,
    /// Foreground-weighted mean block quality, 0..100.
    pub mean_block_quality: f32,
    /// Moisture index, -1 (very dry) .. 0 (normal) .. +1 (very wet).
    pub moisture_index: f32,
    /// The moisture class the index falls in.
    pub moisture_class: BcMoistureClass,
    /// Dry evidence: share of ridge samples broken to the valley side.
    pub ridge_gaps: f32,
    /// Wet evidence: share of contact blocks whose valleys are closed.
    pub bridged_fraction: f32,
    /// Share of the contact area that is smeared, 0..1.
    pub smudge_fraction: f32,
    /// Largest connected smeared patch, share of the contact area, 0..1.
    pub smudge_largest_patch: f32,
    /// Directional (motion) blur, 0 = none.
    pub motion_blur: f32,
    /// Share of the visible platen showing a latent print, 0..1.
    pub residue_fraction: f32,
    /// Share of the image that is foreground, 0..1.
    pub foreground_fraction: f32,
    /// Foreground area in px at 500 ppi.
    pub foreground_px_500: u64,
    /// Median ridge period, px at 500 ppi (0 when no ridges).
    pub ridge_period: f32,
    /// Median ridge-to-valley grey amplitude.
    pub ridge_contrast: f32,
    /// Mean grey of the image.
    pub mean_grey: f32,
    /// Grey standard deviation of the image.
    pub grey_sigma: f32,
    /// Input width, px.
    pub width: u32,
    /// Input height, px.
    pub height: u32,
    /// Input resolution, ppi.
    pub ppi: u32,
    /// Side of one quality-map block in input pixels.
    pub block_px: f32,
    /// Columns of the quality map.
    pub map_cols: u32,
    /// Rows of the quality map.
    pub map_rows: u32,
    /// Every reason for a retake, most actionable first.
    pub findings: [BcFinding; BC_MAX_FINDINGS],
}

// SAFETY: `#[repr(C)]` and starts with `struct_size: u32`. It is only
// written to the caller, never read from the caller's memory.
unsafe impl Sized32 for BcFingerprintResult {
    const MIN_SIZE: usize = std::mem::size_of::<BcFingerprintResult>();
}

// No padding: every byte written to the caller is initialised.
const _: () = assert!(std::mem::size_of::<BcFingerprintResult>() == 104 + 24 * BC_MAX_FINDINGS);
const _: () = assert!(std::mem::size_of::<BcFingerprintPolicy>() == 64);

impl BcFingerprintResult {
    fn new(report: &FingerprintReport, verdict: &Verdict, lang: Lang) -> Self {
        let (rows, cols) = report.quality_map.dim();
        let mut out = Self {
            struct_size: std::mem::size_of::<Self>() as u32,
            decision: verdict.decision.into(),
            finding_count: 0,
            clarity: report.clarity,
            mean_block_quality: report.mean_block_quality,
            moisture_index: report.moisture.index,
            moisture_class: report.moisture.class.into(),
            ridge_gaps: report.moisture.ridge_gaps,
            bridged_fraction: report.moisture.bridged_fraction,
            smudge_fraction: report.smudge.fraction,
            smudge_largest_patch: report.smudge.largest_patch,
            motion_blur: report.smudge.motion_blur,
            residue_fraction: report.smudge.residue_fraction,
            foreground_fraction: report.foreground.fraction,
            foreground_px_500: report.foreground.area_px_500,
            ridge_period: report.ridge_period,
            ridge_contrast: report.ridge_contrast,
            mean_grey: report.actionable.mean_grey,
            grey_sigma: report.actionable.grey_sigma,
            width: report.width,
            height: report.height,
            ppi: report.ppi,
            block_px: report.block_px,
            map_cols: u32::try_from(cols).unwrap_or(u32::MAX),
            map_rows: u32::try_from(rows).unwrap_or(u32::MAX),
            findings: [BcFinding::EMPTY; BC_MAX_FINDINGS],
        };
        out.finding_count = fill_findings(&verdict.findings, lang, &mut out.findings);
        out
    }
}

/// A fingerprint assessor: its settings, policy, scratch buffers and last
/// report. Opaque; made by `bc_fingerprint_assessor_new`, freed by
/// `bc_fingerprint_assessor_free`. It may move between threads but must
/// not be used by two at once.
pub struct BcFingerprintAssessor {
    assessor: FingerprintAssessor,
    /// The options' configuration without a profile, to add another to.
    base: FingerprintConfig,
    policy: FingerprintPolicy,
    lang: Lang,
    report: FingerprintReport,
    verdict: Verdict,
    /// Whether `report` holds the last call's successful assessment.
    has_report: bool,
    /// Time of the last assessment and verdict.
    ms: f64,
    busy: bool,
}

impl Busy for BcFingerprintAssessor {
    fn busy(&mut self) -> &mut bool {
        &mut self.busy
    }
    fn is_busy(&self) -> bool {
        self.busy
    }
}

fn parse_profile(json: &str) -> Result<SensorProfile, Failure> {
    let profile: SensorProfile = serde_json::from_str(json).map_err(|e| {
        Failure::new(
            BcStatus::InvalidProfile,
            format!("not a sensor profile: {e}"),
        )
    })?;
    profile.validate()?;
    Ok(profile)
}

/// Makes a fingerprint assessor.
///
/// `options` may be NULL for every default. On success `*out` holds the
/// new handle; on failure `*out` is set to NULL (when `out` is not NULL).
///
/// Errors: `BC_STATUS_INVALID_ARGUMENT` (NULL `out`, a `struct_size` too
/// small, a bad `lang` or `analysis`, a profile that is not UTF-8),
/// `BC_STATUS_INVALID_CONFIG` (inconsistent limits, a profile with invalid
/// values), `BC_STATUS_INVALID_PROFILE` (profile JSON that does not parse),
/// `BC_STATUS_UNSUPPORTED_PROFILE_VERSION`.
///
/// Thread-safe.
///
/// # Safety
///
/// `options` is NULL or a valid `BcFingerprintOptions` whose `struct_size`
/// bytes are readable and whose `profile_json` is NULL or NUL-terminated;
/// `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn bc_fingerprint_assessor_new(
    options: *const BcFingerprintOptions,
    out: *mut *mut BcFingerprintAssessor,
) -> BcStatus {
    guard(|| {
        if out.is_null() {
            return Err(Failure::null("out"));
        }
        // SAFETY: `out` is non-NULL and writable per the contract.
        unsafe { out.write(std::ptr::null_mut()) };
        let o = if options.is_null() {
            BcFingerprintOptions::ZERO
        } else {
            // SAFETY: per the contract.
            unsafe { raw::read_sized(options, BcFingerprintOptions::ZERO, "options") }?
        };
        let lang = lang_from(o.lang).ok_or_else(|| {
            Failure::invalid(format!("`options->lang` {} is not a BcLang", o.lang))
        })?;
        let analysis = match o.analysis {
            0 => Analysis::Full,
            1 => Analysis::ClarityOnly,
            a => {
                return Err(Failure::invalid(format!(
                    "`options->analysis` {a} is not a BcAnalysis"
                )))
            }
        };
        let mut base = FingerprintConfig::default().with_analysis(analysis);
        if o.min_side != 0 {
            base = base.with_min_side(o.min_side);
        }
        if o.max_side != 0 {
            base = base.with_max_side(o.max_side);
        }
        if o.max_pixels != 0 {
            base = base.with_max_pixels(o.max_pixels);
        }
        // SAFETY: per the contract.
        let profile = unsafe { raw::utf8_arg(o.profile_json, "options->profile_json") }?
            .map(parse_profile)
            .transpose()?;
        let config = match profile {
            Some(p) => base.clone().with_profile(p),
            None => base.clone(),
        };
        let handle = Box::new(BcFingerprintAssessor {
            assessor: FingerprintAssessor::new(config)?,
            base,
            policy: FingerprintPolicy::default(),
            lang,
            report: FingerprintReport::default(),
            verdict: Verdict::from_findings(Vec::new()),
            has_report: false,
            ms: 0.0,
            busy: false,
        });
        // SAFETY: as above.
        unsafe { out.write(Box::into_raw(handle)) };
        Ok(())
    })
}

/// Frees a fingerprint assessor. NULL is ignored.
///
/// # Safety
///
/// `assessor` is NULL or a handle from `bc_fingerprint_assessor_new` not
/// yet freed and not in use by another thread; it is invalid afterwards.
#[no_mangle]
pub unsafe extern "C" fn bc_fingerprint_assessor_free(assessor: *mut BcFingerprintAssessor) {
    // SAFETY: the caller's contract above is `free_handle`'s.
    unsafe { crate::status::free_handle(assessor) }
}

/// Replaces the sensor profile, from its JSON (what `examples/calibrate`
/// writes); NULL goes back to the built-in generic profile. Applies to
/// later assessments; the last report stays as it was measured.
///
/// Errors: `BC_STATUS_INVALID_ARGUMENT` (NULL handle, JSON not UTF-8),
/// `BC_STATUS_INVALID_PROFILE`, `BC_STATUS_UNSUPPORTED_PROFILE_VERSION`,
/// `BC_STATUS_INVALID_CONFIG`; on failure the assessor keeps its profile.
///
/// # Safety
///
/// `assessor` is NULL or a live handle not in use by another thread;
/// `json` is NULL or NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn bc_fingerprint_assessor_set_profile_json(
    assessor: *mut BcFingerprintAssessor,
    json: *const c_char,
) -> BcStatus {
    guard(|| {
        // SAFETY: per the contract.
        unsafe {
            raw::with_handle(assessor, "assessor", |h| {
                let profile = raw::utf8_arg(json, "json")?
                    .map(parse_profile)
                    .transpose()?;
                let config = match profile {
                    Some(p) => h.base.clone().with_profile(p),
                    None => h.base.clone(),
                };
                h.assessor = FingerprintAssessor::new(config)?;
                Ok(())
            })
        }
    })
}

/// Fills `*out` with the default policy (the library's
/// `FingerprintPolicy::default()`), up to its `struct_size`.
///
/// Errors: `BC_STATUS_INVALID_ARGUMENT` (NULL `out`, `struct_size` too
/// small). Thread-safe.
///
/// # Safety
///
/// `out` is NULL or points to a writable `BcFingerprintPolicy` whose
/// `struct_size` is set.
#[no_mangle]
pub unsafe extern "C" fn bc_fingerprint_policy_default(out: *mut BcFingerprintPolicy) -> BcStatus {
    guard(|| {
        let policy = BcFingerprintPolicy::from(&FingerprintPolicy::default());
        // SAFETY: per the contract.
        unsafe { raw::write_sized(out, &policy, "out") }
    })
}

/// Sets the thresholds for later verdicts; NULL restores the defaults.
/// Fields past the caller's `struct_size` keep their defaults.
///
/// Errors: `BC_STATUS_INVALID_ARGUMENT` (NULL handle, `struct_size` too
/// small), `BC_STATUS_INVALID_CONFIG` (a threshold not finite or out of
/// range; the message names it). On failure the policy is unchanged.
///
/// # Safety
///
/// `assessor` is NULL or a live handle not in use by another thread;
/// `policy` is NULL or a readable `BcFingerprintPolicy` of `struct_size`
/// bytes.
#[no_mangle]
pub unsafe extern "C" fn bc_fingerprint_assessor_set_policy(
    assessor: *mut BcFingerprintAssessor,
    policy: *const BcFingerprintPolicy,
) -> BcStatus {
    guard(|| {
        // SAFETY: per the contract.
        unsafe {
            raw::with_handle(assessor, "assessor", |h| {
                let defaults = BcFingerprintPolicy::from(&FingerprintPolicy::default());
                let p = if policy.is_null() {
                    defaults
                } else {
                    raw::read_sized(policy, defaults, "policy")?
                };
                let p = FingerprintPolicy::from(&p);
                p.validate()?;
                h.policy = p;
                Ok(())
            })
        }
    })
}

/// Assesses one 8-bit grey print and judges it.
///
/// The pixels are borrowed for the call only: `height` rows of `width`
/// bytes, each row starting `stride` bytes after the previous one; `ppi`
/// is the capture resolution (300..=1200; 500 for most live-scan
/// sensors). On success `*out` (when not NULL) holds the verdict and
/// headline measures, and the assessor keeps the report for
/// `bc_fingerprint_report_json` and `bc_fingerprint_quality_map`. A poor
/// print is a success with a retake verdict.
///
/// Errors: `BC_STATUS_INVALID_ARGUMENT` (NULL handle or `data`,
/// `out->struct_size` too small), `BC_STATUS_EMPTY_IMAGE`,
/// `BC_STATUS_STRIDE_TOO_SMALL`, `BC_STATUS_DIMENSION_OVERFLOW`,
/// `BC_STATUS_IMAGE_TOO_LARGE` (checked before any pixel is read),
/// `BC_STATUS_IMAGE_TOO_SMALL`, `BC_STATUS_UNSUPPORTED_RESOLUTION`. On
/// failure `*out` is untouched and the assessor holds no report.
///
/// # Safety
///
/// `assessor` is NULL or a live handle not in use by another thread;
/// `data` is NULL or points to `(height - 1) * stride + width` readable
/// bytes not changed during the call; `out` is NULL or a writable
/// `BcFingerprintResult` whose `struct_size` is set.
#[no_mangle]
pub unsafe extern "C" fn bc_fingerprint_assess(
    assessor: *mut BcFingerprintAssessor,
    data: *const u8,
    width: u32,
    height: u32,
    stride: usize,
    ppi: u32,
    out: *mut BcFingerprintResult,
) -> BcStatus {
    guard(|| {
        // SAFETY: per the contract.
        unsafe {
            raw::with_handle(assessor, "assessor", |h| {
                h.has_report = false;
                if !out.is_null() {
                    raw::check_size(out, "out")?;
                }
                let config = h.assessor.config();
                let limits = Limits {
                    max_side: config.max_side(),
                    max_pixels: config.max_pixels(),
                };
                let pixels = raw::pixels(data, width, height, stride, 1, limits)?;
                let view = GrayView::new(pixels, width, height, stride)?.with_ppi(ppi);
                let t = Instant::now();
                h.assessor.assess_into(view, &mut h.report)?;
                h.verdict = h.policy.judge(&h.report);
                h.ms = t.elapsed().as_secs_f64() * 1e3;
                h.has_report = true;
                if !out.is_null() {
                    raw::write_sized(
                        out,
                        &BcFingerprintResult::new(&h.report, &h.verdict, h.lang),
                        "out",
                    )?;
                }
                Ok(())
            })
        }
    })
}

/// The last report as JSON (UTF-8, NUL-terminated): the fields of a line
/// of `examples/assess fingerprint` without `file`, with `ms` the time of
/// the assessment and verdict.
///
/// `*needed` (when `needed` is not NULL) gets the size in bytes including
/// the NUL. When `cap` is smaller, nothing is written and the call
/// returns `BC_STATUS_BUFFER_TOO_SMALL`: call with `buf` NULL and `cap` 0
/// to ask for the size.
///
/// Errors: `BC_STATUS_INVALID_ARGUMENT` (NULL handle, NULL `buf` with a
/// non-zero `cap`), `BC_STATUS_NO_REPORT`, `BC_STATUS_BUFFER_TOO_SMALL`.
///
/// # Safety
///
/// `assessor` is NULL or a live handle not being changed by another
/// thread; `buf` is NULL or points to `cap` writable bytes; `needed` is
/// NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn bc_fingerprint_report_json(
    assessor: *const BcFingerprintAssessor,
    buf: *mut c_char,
    cap: usize,
    needed: *mut usize,
) -> BcStatus {
    guard(|| {
        // SAFETY: per the contract.
        unsafe {
            raw::with_handle_ref(assessor, "assessor", |h| {
                if !h.has_report {
                    return Err(no_report());
                }
                let mut text = json::fingerprint(&h.report, &h.verdict, h.ms).into_bytes();
                text.push(0);
                raw::copy_out(&text, buf.cast(), cap, needed, "JSON report")
            })
        }
    })
}

/// The last report's per-block quality map, 0..100 per block (0 for
/// background), row by row: `*rows` x `*cols` bytes, block (row r,
/// column c) at `r * cols + c`, each block `block_px` input pixels square
/// from the image's top-left corner.
///
/// `*cols` and `*rows` (when not NULL) are always set when there is a
/// report; when `cap < rows * cols` nothing else is written and the call
/// returns `BC_STATUS_BUFFER_TOO_SMALL`.
///
/// Errors: `BC_STATUS_INVALID_ARGUMENT` (NULL handle, NULL `buf` with
/// enough `cap`), `BC_STATUS_NO_REPORT`, `BC_STATUS_BUFFER_TOO_SMALL`.
///
/// # Safety
///
/// `assessor` is NULL or a live handle not being changed by another
/// thread; `buf` is NULL or points to `cap` writable bytes; `cols` and
/// `rows` are NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn bc_fingerprint_quality_map(
    assessor: *const BcFingerprintAssessor,
    buf: *mut u8,
    cap: usize,
    cols: *mut u32,
    rows: *mut u32,
) -> BcStatus {
    guard(|| {
        // SAFETY: per the contract.
        unsafe {
            raw::with_handle_ref(assessor, "assessor", |h| {
                if !h.has_report {
                    return Err(no_report());
                }
                let map = &h.report.quality_map;
                let (r, c) = map.dim();
                if !cols.is_null() {
                    cols.write_unaligned(u32::try_from(c).unwrap_or(u32::MAX));
                }
                if !rows.is_null() {
                    rows.write_unaligned(u32::try_from(r).unwrap_or(u32::MAX));
                }
                let bytes: Vec<u8> = map.iter().copied().collect();
                raw::copy_out(&bytes, buf, cap, std::ptr::null_mut(), "quality map")
            })
        }
    })
}

pub(crate) fn no_report() -> Failure {
    Failure::new(
        BcStatus::NoReport,
        "no report: no assessment has succeeded on this handle since it was made or since the last failure",
    )
}

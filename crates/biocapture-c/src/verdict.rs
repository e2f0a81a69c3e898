//! The verdict's vocabulary in C: decisions, severities, languages,
//! reasons with stable numbers and strings, and one finding.

use biocapture_core::{Decision, Finding, Lang, MoistureClass, Reason, Severity};
use std::ffi::{c_char, CString};
use std::sync::OnceLock;

/// Keep the capture, or take it again.
#[repr(i32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BcDecision {
    /// Keep the capture.
    Pass = 0,
    /// Take it again; the findings say why.
    Retake = 1,
}

impl From<Decision> for BcDecision {
    fn from(d: Decision) -> Self {
        match d {
            Decision::Pass => BcDecision::Pass,
            Decision::Retake => BcDecision::Retake,
        }
    }
}

/// How far past its threshold a measurement is.
#[repr(i32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BcSeverity {
    /// Just past the threshold.
    Minor = 0,
    /// Clearly past it.
    Major = 1,
    /// Far past it, or the capture is unusable.
    Critical = 2,
}

impl From<Severity> for BcSeverity {
    fn from(s: Severity) -> Self {
        match s {
            Severity::Minor => BcSeverity::Minor,
            Severity::Major => BcSeverity::Major,
            Severity::Critical => BcSeverity::Critical,
        }
    }
}

/// The language of operator hints.
#[repr(i32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BcLang {
    /// English.
    En = 0,
    /// Vietnamese.
    Vi = 1,
}

/// The `Lang` a caller's `BcLang` value names.
pub(crate) fn lang_from(value: i32) -> Option<Lang> {
    match value {
        v if v == BcLang::En as i32 => Some(Lang::En),
        v if v == BcLang::Vi as i32 => Some(Lang::Vi),
        _ => None,
    }
}

/// A print's moisture class, from its moisture index.
#[repr(i32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BcMoistureClass {
    /// Index at or below the dry band (-0.35).
    Dry = -1,
    /// Between the bands.
    Normal = 0,
    /// Index at or above the wet band (+0.28).
    Wet = 1,
}

impl From<MoistureClass> for BcMoistureClass {
    fn from(c: MoistureClass) -> Self {
        match c {
            MoistureClass::Dry => BcMoistureClass::Dry,
            MoistureClass::Normal => BcMoistureClass::Normal,
            MoistureClass::Wet => BcMoistureClass::Wet,
        }
    }
}

/// Why a capture should be retaken, as a stable number. Numbers are never
/// reused or renumbered; new reasons are appended (fingerprint reasons
/// from 1, face reasons from 101). The snake_case code string
/// (`bc_reason_code`) is the same as in the JSON report.
#[repr(i32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BcReason {
    /// A reason newer than this ABI revision; its code string still names it.
    Unknown = 0,
    /// `no_finger`: no finger on the sensor (blank or uniform image).
    NoFinger = 1,
    /// `sensor_residue`: a latent print from an earlier finger.
    SensorResidue = 2,
    /// `too_wet`: ridges merge into dark blobs.
    TooWet = 3,
    /// `too_dry`: faint, thin, broken ridges.
    TooDry = 4,
    /// `smudged`: ridge structure smeared where the finger touched.
    Smudged = 5,
    /// `motion_blur`: the finger slid during capture.
    MotionBlur = 6,
    /// `too_small_area`: too little of the finger touched the sensor.
    TooSmallArea = 7,
    /// `partial_print`: the print runs off the edge of the image.
    PartialPrint = 8,
    /// `off_center`: the print is far from the centre of the image.
    OffCenter = 9,
    /// `low_contrast`: ridges and valleys barely differ in grey level.
    LowContrast = 10,
    /// `low_clarity`: ridges cannot be told apart clearly enough.
    LowClarity = 11,
    /// `no_face`: no face found.
    NoFace = 101,
    /// `multiple_faces`: more than one face of comparable size.
    MultipleFaces = 102,
    /// `face_too_small`: the face is too small in the frame.
    FaceTooSmall = 103,
    /// `face_too_large`: the face is too large in the frame.
    FaceTooLarge = 104,
    /// `head_cropped`: the head runs off the edge of the frame.
    HeadCropped = 105,
    /// `off_center_left`: the face is left of centre.
    OffCenterLeft = 106,
    /// `off_center_right`: the face is right of centre.
    OffCenterRight = 107,
    /// `eyes_too_high`: the eye line is above the allowed band.
    EyesTooHigh = 108,
    /// `eyes_too_low`: the eye line is below the allowed band.
    EyesTooLow = 109,
    /// `head_tilted`: the head is tilted sideways (roll).
    HeadTilted = 110,
    /// `not_facing_camera`: the head is turned away (yaw).
    NotFacingCamera = 111,
    /// `low_resolution`: the face is too small in pixels.
    LowResolution = 112,
    /// `too_dark`: the face is under-exposed.
    TooDark = 113,
    /// `too_bright`: the face is over-exposed.
    TooBright = 114,
    /// `uneven_lighting`: one side of the face is lit much more.
    UnevenLighting = 115,
    /// `busy_background`: the background is not plain.
    BusyBackground = 116,
    /// `colour_cast`: skin colour is unnatural.
    ColourCast = 117,
    /// `blurred`: out of focus or shaken.
    Blurred = 118,
    /// `eyes_not_visible`: an eye is covered (hand, hair, glare on glasses).
    EyesNotVisible = 119,
    /// `eyes_closed`: the eyes are closed or nearly so.
    EyesClosed = 120,
    /// `mouth_open`: the mouth is open (lips apart, teeth showing).
    MouthOpen = 121,
    /// `rotate_image`: the face is turned far in the frame (a subject lying
    /// down, a camera held sideways); `roll_deg` says by how much.
    RotateImage = 122,
    /// `head_pitched`: the head is tipped back (chin up) or forward (chin
    /// down).
    HeadPitched = 123,
}

/// Each library reason with its C number.
const REASONS: [(Reason, BcReason); 34] = [
    (Reason::NoFinger, BcReason::NoFinger),
    (Reason::SensorResidue, BcReason::SensorResidue),
    (Reason::TooWet, BcReason::TooWet),
    (Reason::TooDry, BcReason::TooDry),
    (Reason::Smudged, BcReason::Smudged),
    (Reason::MotionBlur, BcReason::MotionBlur),
    (Reason::TooSmallArea, BcReason::TooSmallArea),
    (Reason::PartialPrint, BcReason::PartialPrint),
    (Reason::OffCenter, BcReason::OffCenter),
    (Reason::LowContrast, BcReason::LowContrast),
    (Reason::LowClarity, BcReason::LowClarity),
    (Reason::NoFace, BcReason::NoFace),
    (Reason::MultipleFaces, BcReason::MultipleFaces),
    (Reason::FaceTooSmall, BcReason::FaceTooSmall),
    (Reason::FaceTooLarge, BcReason::FaceTooLarge),
    (Reason::HeadCropped, BcReason::HeadCropped),
    (Reason::OffCenterLeft, BcReason::OffCenterLeft),
    (Reason::OffCenterRight, BcReason::OffCenterRight),
    (Reason::EyesTooHigh, BcReason::EyesTooHigh),
    (Reason::EyesTooLow, BcReason::EyesTooLow),
    (Reason::HeadTilted, BcReason::HeadTilted),
    (Reason::NotFacingCamera, BcReason::NotFacingCamera),
    (Reason::LowResolution, BcReason::LowResolution),
    (Reason::TooDark, BcReason::TooDark),
    (Reason::TooBright, BcReason::TooBright),
    (Reason::UnevenLighting, BcReason::UnevenLighting),
    (Reason::BusyBackground, BcReason::BusyBackground),
    (Reason::ColourCast, BcReason::ColourCast),
    (Reason::Blurred, BcReason::Blurred),
    (Reason::EyesNotVisible, BcReason::EyesNotVisible),
    (Reason::EyesClosed, BcReason::EyesClosed),
    (Reason::MouthOpen, BcReason::MouthOpen),
    (Reason::RotateImage, BcReason::RotateImage),
    (Reason::HeadPitched, BcReason::HeadPitched),
];

fn number_of(reason: Reason) -> BcReason {
    REASONS
        .iter()
        .find(|(r, _)| *r == reason)
        .map_or(BcReason::Unknown, |&(_, n)| n)
}

fn reason_of(number: i32) -> Option<Reason> {
    REASONS
        .iter()
        .find(|(_, n)| *n as i32 == number)
        .map(|&(r, _)| r)
}

/// NUL-terminated copies of every reason's code and hints, made once and
/// kept for the life of the process, so results can point at them.
struct Strings {
    code: Vec<CString>,
    en: Vec<CString>,
    vi: Vec<CString>,
}

fn strings() -> &'static Strings {
    static STRINGS: OnceLock<Strings> = OnceLock::new();
    STRINGS.get_or_init(|| {
        // Codes and hints are fixed text without NUL bytes.
        let c = |s: &str| CString::new(s).unwrap_or_default();
        Strings {
            code: Reason::ALL.iter().map(|r| c(r.code())).collect(),
            en: Reason::ALL.iter().map(|r| c(r.hint(Lang::En))).collect(),
            vi: Reason::ALL.iter().map(|r| c(r.hint(Lang::Vi))).collect(),
        }
    })
}

/// The static code and hint strings of `reason`.
fn reason_strings(reason: Reason, lang: Lang) -> (*const c_char, *const c_char) {
    let s = strings();
    match Reason::ALL.iter().position(|&r| r == reason) {
        Some(i) => {
            let hints = if lang == Lang::Vi { &s.vi } else { &s.en };
            (s.code[i].as_ptr(), hints[i].as_ptr())
        }
        None => (std::ptr::null(), std::ptr::null()),
    }
}

/// One reason found in a capture.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct BcFinding {
    /// The reason's stable number.
    pub reason: BcReason,
    /// How far past its threshold the measurement is.
    pub severity: BcSeverity,
    /// The reason's stable snake_case code (`"too_wet"`), NUL-terminated.
    /// Static: valid while the library is loaded; never free it.
    pub code: *const c_char,
    /// The operator hint in the assessor's language, UTF-8,
    /// NUL-terminated. Static, like `code`.
    pub hint: *const c_char,
}

impl BcFinding {
    /// A finding with no reason, for the unused slots of a result.
    pub(crate) const EMPTY: BcFinding = BcFinding {
        reason: BcReason::Unknown,
        severity: BcSeverity::Minor,
        code: std::ptr::null(),
        hint: std::ptr::null(),
    };

    pub(crate) fn new(f: &Finding, lang: Lang) -> Self {
        let (code, hint) = reason_strings(f.reason, lang);
        Self {
            reason: number_of(f.reason),
            severity: f.severity.into(),
            code,
            hint,
        }
    }
}

/// The most findings a result holds: more than any verdict can list
/// (every reason of one modality at once).
pub const BC_MAX_FINDINGS: usize = 32;

/// Fills `slots` with the verdict's findings, most actionable first;
/// returns how many were written.
pub(crate) fn fill_findings(
    findings: &[Finding],
    lang: Lang,
    slots: &mut [BcFinding; BC_MAX_FINDINGS],
) -> u32 {
    *slots = [BcFinding::EMPTY; BC_MAX_FINDINGS];
    for (slot, f) in slots.iter_mut().zip(findings) {
        *slot = BcFinding::new(f, lang);
    }
    findings.len().min(BC_MAX_FINDINGS) as u32
}

/// The stable snake_case code of reason number `reason` (`"too_wet"`), or
/// NULL for a number this revision does not know. The string is static:
/// never free it.
///
/// Thread-safe; never fails.
#[no_mangle]
pub extern "C" fn bc_reason_code(reason: i32) -> *const c_char {
    std::panic::catch_unwind(|| match reason_of(reason) {
        Some(r) => reason_strings(r, Lang::En).0,
        None => std::ptr::null(),
    })
    .unwrap_or(std::ptr::null())
}

/// The operator hint of reason number `reason` in `lang` (a `BcLang`
/// value), UTF-8; NULL for an unknown reason or language. The string is
/// static: never free it.
///
/// Thread-safe; never fails.
#[no_mangle]
pub extern "C" fn bc_reason_hint(reason: i32, lang: i32) -> *const c_char {
    std::panic::catch_unwind(|| match (reason_of(reason), lang_from(lang)) {
        (Some(r), Some(l)) => reason_strings(r, l).1,
        _ => std::ptr::null(),
    })
    .unwrap_or(std::ptr::null())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CStr;

    fn snake(name: &str) -> String {
        let mut out = String::new();
        for (i, ch) in name.chars().enumerate() {
            if ch.is_ascii_uppercase() && i > 0 {
                out.push('_');
            }
            out.push(ch.to_ascii_lowercase());
        }
        out
    }

    #[test]
    fn every_library_reason_has_its_own_number_named_like_its_code() {
        let mut seen = std::collections::HashSet::new();
        for &r in Reason::ALL {
            let n = number_of(r);
            assert_ne!(n, BcReason::Unknown, "{} has no C number", r.code());
            assert!(seen.insert(n as i32), "{} shares a number", r.code());
            assert_eq!(snake(&format!("{n:?}")), r.code());
            assert_eq!(reason_of(n as i32), Some(r));
        }
        assert_eq!(REASONS.len(), Reason::ALL.len());
    }

    #[test]
    fn codes_and_hints_come_out_as_c_strings() {
        for &r in Reason::ALL {
            let n = number_of(r) as i32;
            // SAFETY: non-NULL results point at the static table's CStrings.
            let code = unsafe { CStr::from_ptr(bc_reason_code(n)) };
            assert_eq!(code.to_str().unwrap(), r.code());
            for (lang, l) in [(BcLang::En, Lang::En), (BcLang::Vi, Lang::Vi)] {
                // SAFETY: as above.
                let hint = unsafe { CStr::from_ptr(bc_reason_hint(n, lang as i32)) };
                assert_eq!(hint.to_str().unwrap(), r.hint(l));
            }
        }
        assert!(bc_reason_code(0).is_null());
        assert!(bc_reason_code(12).is_null());
        assert!(bc_reason_hint(1, 2).is_null());
        assert!(bc_reason_hint(1, -1).is_null());
    }
}

//! Pass or retake, and why: the verdict types both modalities share.

use std::fmt;

/// Keep the capture, or take it again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "snake_case")
)]
pub enum Decision {
    /// Keep the capture.
    Pass,
    /// Take it again; the verdict's findings say why.
    Retake,
}

impl Decision {
    /// `"pass"` or `"retake"`, as the JSON contract spells them.
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Pass => "pass",
            Decision::Retake => "retake",
        }
    }
}

/// How far past its threshold a measurement is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "snake_case")
)]
pub enum Severity {
    /// Just past the threshold.
    Minor,
    /// Clearly past it.
    Major,
    /// Far past it, or the capture is unusable.
    Critical,
}

impl Severity {
    /// Grades how far `excess` (0 at the threshold) lies past a threshold,
    /// in units of `span`: below one span `Minor`, below two `Major`,
    /// beyond that `Critical`.
    pub(crate) fn grade(excess: f32, span: f32) -> Self {
        let r = if span > 0.0 {
            excess / span
        } else {
            f32::INFINITY
        };
        if r < 1.0 {
            Severity::Minor
        } else if r < 2.0 {
            Severity::Major
        } else {
            Severity::Critical
        }
    }

    /// `"minor"`, `"major"` or `"critical"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Minor => "minor",
            Severity::Major => "major",
            Severity::Critical => "critical",
        }
    }
}

/// Language of an operator hint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Lang {
    /// English.
    En,
    /// Vietnamese.
    Vi,
}

macro_rules! reasons {
    ($( $(#[$doc:meta])* $variant:ident = $code:literal, $en:literal, $vi:literal; )*) => {
        /// Why a capture should be retaken.
        ///
        /// Each reason has a stable snake_case [`code`](Reason::code) (the
        /// JSON contract's `reasons` array) and an operator
        /// [`hint`](Reason::hint) in English and Vietnamese. Variants are
        /// declared most actionable first, and verdicts list them in that
        /// order.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        pub enum Reason {
            $( $(#[$doc])* $variant, )*
        }

        impl Reason {
            /// Every reason, most actionable first.
            pub const ALL: &'static [Reason] = &[$(Reason::$variant),*];

            /// The stable snake_case code, e.g. `"too_wet"`.
            pub fn code(self) -> &'static str {
                match self { $(Reason::$variant => $code,)* }
            }

            /// What the operator should do, in `lang`.
            pub fn hint(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $( (Reason::$variant, Lang::En) => $en,
                       (Reason::$variant, Lang::Vi) => $vi, )*
                }
            }

            /// The reason whose code is `code`, if any.
            pub fn from_code(code: &str) -> Option<Reason> {
                Reason::ALL.iter().copied().find(|r| r.code() == code)
            }
        }
    };
}

reasons! {
    // Fingerprint. The order is the order of what the operator fixes first:
    // nothing on the sensor, then the sensor, then the finger's skin, then
    // how it was placed, then what is left.
    /// No finger on the sensor (blank or uniform image).
    NoFinger = "no_finger",
        "Place the finger flat on the sensor.",
        "Đặt ngón tay nằm phẳng trên cảm biến.";
    /// A latent print from an earlier finger shows in the background.
    SensorResidue = "sensor_residue",
        "Wipe the sensor clean, then capture again.",
        "Lau sạch mặt cảm biến rồi lấy lại dấu vân tay.";
    /// Wet finger: ridges merge into dark blobs.
    TooWet = "too_wet",
        "Dry the finger with a cloth and place it again.",
        "Lau khô ngón tay bằng khăn rồi đặt lại.";
    /// Dry finger: faint, thin, broken ridges.
    TooDry = "too_dry",
        "Moisten the finger (breathe on it) and press more firmly.",
        "Làm ẩm ngón tay (hà hơi vào) và ấn mạnh hơn.";
    /// Ridge structure smeared where the finger touched.
    Smudged = "smudged",
        "Clean the finger and the sensor, then place the finger without sliding.",
        "Lau sạch ngón tay và cảm biến, rồi đặt ngón tay xuống mà không trượt.";
    /// The finger slid during capture.
    MotionBlur = "motion_blur",
        "Hold the finger still until the capture is done.",
        "Giữ yên ngón tay cho đến khi lấy xong.";
    /// Too little of the finger touched the sensor.
    TooSmallArea = "too_small_area",
        "Press the finger flat so more of it touches the sensor.",
        "Ấn ngón tay phẳng hơn để phần tiếp xúc với cảm biến lớn hơn.";
    /// The print runs off the edge of the image.
    PartialPrint = "partial_print",
        "Place the finger in the middle of the sensor, fully inside its edges.",
        "Đặt ngón tay vào giữa cảm biến, nằm trọn trong khung.";
    /// The print is far from the centre of the image.
    OffCenter = "off_center",
        "Move the finger to the centre of the sensor.",
        "Dịch ngón tay vào giữa cảm biến.";
    /// Ridges and valleys barely differ in grey level.
    LowContrast = "low_contrast",
        "Press more firmly; if it persists, clean the sensor.",
        "Ấn mạnh hơn; nếu vẫn mờ, hãy lau cảm biến.";
    /// Ridges cannot be told apart clearly enough for matching.
    LowClarity = "low_clarity",
        "Clean and reposition the finger, then capture again.",
        "Lau sạch và đặt lại ngón tay, rồi lấy lại.";

    // Face. Again most actionable first: is anybody there, then where they
    // stand, then how they hold their head, then the light and the camera.
    /// No face found.
    NoFace = "no_face",
        "Ask the subject to face the camera.",
        "Yêu cầu người được chụp nhìn vào máy ảnh.";
    /// The face is turned far in the frame (a subject lying down, or a
    /// camera held sideways or upside down); the report's roll says by
    /// how much.
    RotateImage = "rotate_image",
        "Turn the camera (or rotate the image) so the face is upright.",
        "Xoay máy ảnh (hoặc xoay ảnh) để khuôn mặt thẳng đứng.";
    /// More than one face of comparable size.
    MultipleFaces = "multiple_faces",
        "Only the subject may be in the picture.",
        "Chỉ người được chụp được có mặt trong ảnh.";
    /// The face is too small in the frame.
    FaceTooSmall = "face_too_small",
        "Move the camera closer to the subject.",
        "Đưa máy ảnh lại gần người được chụp.";
    /// The face is too large in the frame.
    FaceTooLarge = "face_too_large",
        "Move the camera back from the subject.",
        "Lùi máy ảnh ra xa người được chụp.";
    /// The head runs off the edge of the frame.
    HeadCropped = "head_cropped",
        "Frame the whole head, from chin to crown.",
        "Lấy trọn cả đầu trong khung hình, từ cằm đến đỉnh đầu.";
    /// The face is left of centre in the image.
    OffCenterLeft = "off_center_left",
        "Centre the face: it sits too far left in the picture.",
        "Căn giữa khuôn mặt: mặt đang lệch sang trái ảnh.";
    /// The face is right of centre in the image.
    OffCenterRight = "off_center_right",
        "Centre the face: it sits too far right in the picture.",
        "Căn giữa khuôn mặt: mặt đang lệch sang phải ảnh.";
    /// The eye line is above the allowed band.
    EyesTooHigh = "eyes_too_high",
        "Lower the camera or tilt it up: the eyes are too high in the picture.",
        "Hạ máy ảnh xuống: mắt đang quá cao trong ảnh.";
    /// The eye line is below the allowed band.
    EyesTooLow = "eyes_too_low",
        "Raise the camera: the eyes are too low in the picture.",
        "Nâng máy ảnh lên: mắt đang quá thấp trong ảnh.";
    /// The head is tilted sideways (roll).
    HeadTilted = "head_tilted",
        "Ask the subject to hold the head straight, not tilted.",
        "Yêu cầu người được chụp giữ đầu thẳng, không nghiêng.";
    /// The head is turned away from the camera (yaw).
    NotFacingCamera = "not_facing_camera",
        "Ask the subject to look straight at the camera.",
        "Yêu cầu người được chụp nhìn thẳng vào máy ảnh.";
    /// The head is tipped back (chin up) or forward (chin down): pitch.
    HeadPitched = "head_pitched",
        "Ask the subject to hold the head level, chin neither raised nor lowered.",
        "Yêu cầu người được chụp giữ đầu thẳng, không ngẩng cằm lên hay cúi xuống.";
    /// An eye does not show: covered by a hand, hair or glare on glasses.
    EyesNotVisible = "eyes_not_visible",
        "Uncover both eyes (hand, hair, glare on glasses) and keep them open.",
        "Để lộ cả hai mắt (bỏ tay, vén tóc, tránh lóa kính) và mở mắt.";
    /// The eyes are closed or nearly so: the lids (almost) meet.
    EyesClosed = "eyes_closed",
        "Ask the person to open their eyes and look at the camera; retake between blinks.",
        "Yêu cầu người được chụp mở mắt và nhìn vào máy ảnh; chụp lại khi không chớp mắt.";
    /// The mouth is open (lips apart, teeth showing): ICAO 9303 asks for
    /// a neutral expression with the mouth closed.
    MouthOpen = "mouth_open",
        "Ask the person to close their mouth and keep a neutral expression.",
        "Yêu cầu người được chụp ngậm miệng và giữ nét mặt tự nhiên, không cười.";
    /// The face is too small in pixels for recognition.
    LowResolution = "low_resolution",
        "Move closer or use a higher camera resolution.",
        "Lại gần hơn hoặc dùng độ phân giải máy ảnh cao hơn.";
    /// The face is under-exposed.
    TooDark = "too_dark",
        "Add light on the face.",
        "Tăng ánh sáng chiếu vào khuôn mặt.";
    /// The face is over-exposed.
    TooBright = "too_bright",
        "Reduce the light or move away from direct light.",
        "Giảm ánh sáng hoặc tránh ánh sáng chiếu thẳng.";
    /// One side of the face is lit much more than the other.
    UnevenLighting = "uneven_lighting",
        "Light both sides of the face evenly.",
        "Chiếu sáng đều hai bên khuôn mặt.";
    /// The background is not plain.
    BusyBackground = "busy_background",
        "Use a plain, uniform background.",
        "Dùng phông nền trơn, một màu.";
    /// Skin colour is unnatural (colour cast).
    ColourCast = "colour_cast",
        "Fix the white balance or the light colour.",
        "Chỉnh cân bằng trắng hoặc màu ánh sáng.";
    /// The photo is out of focus or shaken.
    Blurred = "blurred",
        "Hold the camera still and focus on the face.",
        "Giữ máy ảnh chắc tay và lấy nét vào khuôn mặt.";
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// One reason found in a capture, with how severe it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Finding {
    /// What is wrong.
    pub reason: Reason,
    /// How far past its threshold the measurement is.
    pub severity: Severity,
}

/// The outcome of judging a report: pass or retake, with every reason.
///
/// # Examples
///
/// ```
/// use biocapture::{Decision, Finding, Reason, Severity, Verdict};
/// let v = Verdict::from_findings(vec![
///     Finding { reason: Reason::LowClarity, severity: Severity::Minor },
///     Finding { reason: Reason::TooWet, severity: Severity::Major },
/// ]);
/// assert_eq!(v.decision, Decision::Retake);
/// assert_eq!(v.codes(), vec!["too_wet", "low_clarity"]);
/// assert!(Verdict::from_findings(vec![]).is_pass());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Verdict {
    /// `Retake` when any finding is present.
    pub decision: Decision,
    /// Every reason that applies, most actionable first, each reason once.
    pub findings: Vec<Finding>,
}

impl Default for Verdict {
    /// A pass with no findings.
    fn default() -> Self {
        Self {
            decision: Decision::Pass,
            findings: Vec::new(),
        }
    }
}

impl Verdict {
    /// Builds a verdict from findings: sorts them most actionable first,
    /// keeps the most severe finding of each reason, and retakes when any
    /// remain.
    pub fn from_findings(findings: Vec<Finding>) -> Self {
        let mut v = Self {
            decision: Decision::Pass,
            findings,
        };
        v.settle();
        v
    }

    /// Sorts the findings most actionable first, keeps the most severe of
    /// each reason and sets the decision, in place (no allocation: the
    /// sort is unstable, and equal keys are equal findings).
    pub(crate) fn settle(&mut self) {
        self.findings
            .sort_unstable_by(|a, b| a.reason.cmp(&b.reason).then(b.severity.cmp(&a.severity)));
        self.findings.dedup_by_key(|f| f.reason);
        self.decision = if self.findings.is_empty() {
            Decision::Pass
        } else {
            Decision::Retake
        };
    }

    /// `true` for [`Decision::Pass`].
    pub fn is_pass(&self) -> bool {
        self.decision == Decision::Pass
    }

    /// `true` when `reason` is among the findings.
    pub fn has(&self, reason: Reason) -> bool {
        self.findings.iter().any(|f| f.reason == reason)
    }

    /// The findings' codes, in order.
    pub fn codes(&self) -> Vec<&'static str> {
        self.findings.iter().map(|f| f.reason.code()).collect()
    }

    /// The first (most actionable) finding's hint, or `None` on a pass.
    pub fn first_hint(&self, lang: Lang) -> Option<&'static str> {
        self.findings.first().map(|f| f.reason.hint(lang))
    }
}

/// A reason serialises as its stable [`code`](Reason::code) (`"too_wet"`),
/// and deserialises from it; an unknown code is an error.
#[cfg(feature = "serde")]
impl serde::Serialize for Reason {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Reason {
    fn deserialize<D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> std::result::Result<Self, D::Error> {
        struct Code;
        impl serde::de::Visitor<'_> for Code {
            type Value = Reason;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a reason code such as \"too_wet\"")
            }
            fn visit_str<E: serde::de::Error>(self, code: &str) -> std::result::Result<Reason, E> {
                Reason::from_code(code).ok_or_else(|| {
                    let codes: Vec<&'static str> = Reason::ALL.iter().map(|r| r.code()).collect();
                    E::custom(format_args!(
                        "unknown reason code `{code}`, expected one of {codes:?}"
                    ))
                })
            }
        }
        deserializer.deserialize_str(Code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_snake_case_and_round_trip() {
        let mut seen = std::collections::HashSet::new();
        for &r in Reason::ALL {
            let c = r.code();
            assert!(seen.insert(c), "duplicate code {c}");
            assert!(c.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'));
            assert_eq!(Reason::from_code(c), Some(r));
            assert!(!r.hint(Lang::En).is_empty() && !r.hint(Lang::Vi).is_empty());
            assert_ne!(r.hint(Lang::En), r.hint(Lang::Vi));
        }
        assert_eq!(Reason::from_code("nope"), None);
    }

    #[test]
    fn verdict_keeps_worst_of_each_reason() {
        let v = Verdict::from_findings(vec![
            Finding {
                reason: Reason::Smudged,
                severity: Severity::Minor,
            },
            Finding {
                reason: Reason::Smudged,
                severity: Severity::Critical,
            },
        ]);
        assert_eq!(v.findings.len(), 1);
        assert_eq!(v.findings[0].severity, Severity::Critical);
    }

    #[test]
    fn severity_grades() {
        assert_eq!(Severity::grade(0.1, 1.0), Severity::Minor);
        assert_eq!(Severity::grade(1.5, 1.0), Severity::Major);
        assert_eq!(Severity::grade(5.0, 1.0), Severity::Critical);
    }
}

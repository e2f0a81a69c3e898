//! # biocapture
//!
//! Capture-time quality checks for biometric images: is this fingerprint or
//! ID photo good enough to keep, or should it be taken again, and why?
//!
//! ## Face
//!
//! [`FaceAssessor`] checks an ID portrait (RGB, or grey) against ISO/IEC
//! 19794-5 / ICAO 9303 framing and for light, focus, background and colour,
//! and [`FacePolicy::icao`] turns the [`FaceReport`] into pass or retake.
//!
//! ```no_run
//! use biocapture::{FaceAssessor, FaceConfig, FacePolicy, Lang, RgbView};
//! let photo = image::open("portrait.jpg").unwrap().to_rgb8();
//! let mut assessor = FaceAssessor::new(FaceConfig::default())?;
//! let report = assessor.assess(RgbView::from(&photo))?;
//! let verdict = FacePolicy::icao().judge(&report);
//! if let Some(face) = &report.face {
//!     println!("IED {:.0} px, roll {:.1} deg", face.framing.ied_px, face.framing.roll_deg);
//! }
//! println!("{:?} {:?}", verdict.codes(), verdict.first_hint(Lang::En));
//! # Ok::<(), biocapture::Error>(())
//! ```
//!
//! What happens, in order:
//!
//! 1. **Detection.** The SeetaFace frontal cascade ([`SeetaFaceDetector`],
//!    from the BSD-2 `rustface` crate), whose model is embedded in the
//!    binary at build time: no path, no download. A portrait's face is
//!    large, so it first looks for faces of at least 45 % of the shorter
//!    side on a copy about 90 px across, and only when that fails for
//!    faces down to 25 % (configurable). Plug in another detector with
//!    [`FaceAssessor::with_detector`], or skip detection altogether with
//!    [`FaceAssessor::assess_with_eyes`] when the app's own tracker already
//!    knows the eyes. No face is `Ok` with verdict `no_face`; a second face
//!    of comparable size is `multiple_faces`.
//! 2. **Eye centres** ([`EyePair`]; the subject's left eye is the one with
//!    the larger x) from image evidence: in windows placed from the face
//!    box, the point most strong gradients point away from (Timm & Barth's
//!    gradient method), weighted by darkness (the pupil), the two eyes
//!    chosen jointly.
//! 3. **Framing** ([`Framing`]): IED, roll, a coarse yaw estimate, and the
//!    head's width, chin and crown estimated from the eyes with adult
//!    proportions (head width 2.4 IED, chin 1.9 IED below the eyes, crown
//!    2.0 IED above), then the ISO checks: eye line 50..70 % up, eye
//!    mid-point 45..55 % across, head width 50..75 % of the width, chin to
//!    crown 60..90 % of the height, IED >= 90 px, roll <= 8 degrees, head
//!    inside the frame.
//! 4. **Photometric** ([`Photometric`]): each measure raw and mapped to
//!    0..100 as BSI's OFIQ maps it: luminance mean and variance, under-
//!    and over-exposure, dynamic range, sharpness, background uniformity,
//!    illumination uniformity (the cheeks' histograms), natural colour
//!    (the cheeks' CIELAB a*, b*).
//!
//! Every threshold is a documented field of [`FacePolicy`]; change it and
//! judge the same report again without touching pixels.
//!
//! **Speed** (`cargo bench --bench face`, one core, on a shared 2-core
//! machine): a 640x480 frame with a framed face takes about 5.5 ms, two
//! thirds of it detection; 1280x960 about 7.5 ms. A frame whose face is
//! smaller than 45 % of the shorter side (or that has none) takes the
//! detector's second pass: about 14 ms at 640x480.
//!
//! **Limits.** Images must be at least 32 px a side and at most 8192 px a
//! side and 40 million pixels ([`FaceConfig`]); anything else is an
//! [`Error`] before any allocation. Eye accuracy on small, soft faces is
//! limited: on the 173 CSU faces (IED about 50 px) the worse eye is within
//! 10 % of the IED for about two thirds (see `examples/eval_eyes.rs`).
//!
//! ## Crate features
//!
//! - `synth` (off by default): the [`synth`] module, a deterministic
//!   synthetic fingerprint generator and physically modelled capture
//!   degradations (wet, dry, smear, motion blur, residue, ...) for tests,
//!   demos and benches. Not needed to assess captures.
//! - `serde` (off by default): `Serialize` and `Deserialize` for every
//!   report, measurement, verdict and policy, with stable field names;
//!   reasons, decisions, severities and classes as their snake_case codes.

#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![warn(missing_debug_implementations)]
#![deny(unreachable_pub)]
#![doc(test(attr(deny(warnings))))]

mod error;
mod face;
mod fingerprint;
mod image;
mod internal;
mod verdict;

#[cfg(feature = "synth")]
pub mod synth;

pub use crate::error::{Error, Result};
pub use crate::face::{
    Detection, EyePair, EyeSource, FaceAssessor, FaceBox, FaceConfig, FaceDetector, FaceMeasures,
    FacePolicy, FaceReport, Framing, Measure, Photometric, Point, SeetaFaceDetector,
};
pub use crate::fingerprint::{
    Actionable, Analysis, BlockMaps, FingerprintAssessor, FingerprintConfig, FingerprintPolicy,
    FingerprintReport, Foreground, Moisture, MoistureClass, PixelRect, Smudge, DRY_BAND, MAX_PPI,
    MIN_PPI, NFIQ2_EMPTY_MEAN, NFIQ2_MIN_FOREGROUND_PX, NFIQ2_UNIFORM_SIGMA, WET_BAND,
};
pub use crate::image::{GrayView, RgbView, DEFAULT_PPI};
pub use crate::verdict::{Decision, Finding, Lang, Reason, Severity, Verdict};

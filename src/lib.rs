//! # biocapture
//!
//! Capture-time quality checks for biometric images: is this fingerprint or
//! ID photo good enough to keep, or should it be taken again, and why?
//!
//! (The user guide grows with the crate: fingerprint and face sections
//! follow as those assessments land.)
//!
//! ## Crate features
//!
//! - `synth` (off by default): the [`synth`] module, a deterministic
//!   synthetic fingerprint generator and physically modelled capture
//!   degradations (wet, dry, smear, motion blur, residue, ...) for tests,
//!   demos and benches. Not needed to assess captures.

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
    Actionable, BlockMaps, FingerprintAssessor, FingerprintConfig, FingerprintPolicy,
    FingerprintReport, Foreground, Moisture, MoistureClass, PixelRect, Smudge, DRY_BAND, MAX_PPI,
    MIN_PPI, NFIQ2_EMPTY_MEAN, NFIQ2_MIN_FOREGROUND_PX, NFIQ2_UNIFORM_SIGMA, WET_BAND,
};
pub use crate::image::{GrayView, RgbView, DEFAULT_PPI};
pub use crate::verdict::{Decision, Finding, Lang, Reason, Severity, Verdict};

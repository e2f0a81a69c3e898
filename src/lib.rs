//! # biocapture
//!
//! Capture-time quality checks for biometric images: is this fingerprint or
//! ID photo good enough to keep, or should it be taken again, and why?
//!
//! (The user guide grows with the crate: fingerprint and face sections
//! follow as those assessments land.)

#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![warn(missing_debug_implementations)]
#![deny(unreachable_pub)]
#![doc(test(attr(deny(warnings))))]

mod error;
mod face;
mod image;
mod internal;
mod verdict;

pub use crate::error::{Error, Result};
pub use crate::face::{
    Detection, EyePair, EyeSource, FaceAssessor, FaceBox, FaceConfig, FaceDetector, FaceMeasures,
    FacePolicy, FaceReport, Framing, Measure, Photometric, Point, SeetaFaceDetector,
};
pub use crate::image::{GrayView, RgbView, DEFAULT_PPI};
pub use crate::verdict::{Decision, Finding, Lang, Reason, Severity, Verdict};

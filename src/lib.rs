//! # biocapture
//!
//! Capture-time quality checks for biometric images: is this fingerprint or
//! ID photo good enough to keep, or should it be taken again, and why?
//!
//! Every check has the same shape: an **assessor** measures the pixels into
//! a **report** (every score, index and per-block map), and a pure
//! **policy** turns the report into a [`Verdict`]: [`Decision::Pass`] or
//! [`Decision::Retake`] with [`Finding`]s, most actionable first, each a
//! [`Reason`] with a stable snake_case code, a [`Severity`] and an operator
//! hint in English and Vietnamese. A poor capture is an `Ok` report with a
//! retake verdict; [`Error`] means the input could not be assessed at all
//! (empty, too small or too large, bad stride, unsupported resolution,
//! invalid configuration). Services can store reports and judge them again
//! under other thresholds without touching pixels.
//!
//! Inputs are borrowed views over the caller's buffer ([`GrayView`],
//! [`RgbView`]), built from a raw slice with a row stride (camera frames),
//! or without copying from `image::GrayImage` / `image::RgbImage` and
//! row-major `ndarray::ArrayView2<u8>`.
//!
//! ## Quick start: a fingerprint
//!
//! ```
//! use biocapture::{FingerprintAssessor, FingerprintConfig, FingerprintPolicy, GrayView, Lang};
//! # let (width, height) = (300u32, 300u32);
//! # let pixels = vec![255u8; (width * height) as usize];
//! // `pixels`: 8-bit grey, `width` x `height`, rows back to back, 500 ppi.
//! let mut assessor = FingerprintAssessor::new(FingerprintConfig::default())?;
//! let view = GrayView::new(&pixels, width, height, width as usize)?.with_ppi(500);
//! let report = assessor.assess(view)?;
//! let verdict = FingerprintPolicy::default().judge(&report);
//! println!(
//!     "clarity {:.0}, moisture {:+.2} ({}), {} -> {:?}",
//!     report.clarity,
//!     report.moisture.index,
//!     report.moisture.class.as_str(),
//!     verdict.decision.as_str(),
//!     verdict.first_hint(Lang::En),
//! );
//! # assert_eq!(verdict.codes(), vec!["no_finger"]);
//! # Ok::<(), biocapture::Error>(())
//! ```
//!
//! Keep one assessor per capture loop or per thread: it owns its scratch
//! buffers, and with [`FingerprintAssessor::assess_into`] a preview loop
//! allocates nothing new frame after frame.
//!
//! ## How the fingerprint scores are defined
//!
//! The print is resampled to 500 ppi (input 300..=1200 ppi), so every
//! measure means the same at any resolution, and cut into 16 px blocks
//! (0.8 mm), the grid of every map in the report.
//!
//! - **Foreground**: blocks whose RMS grey gradient over a 32 px window
//!   exceeds 30 % of the print's strong blocks (and 1.5 grey levels) and
//!   whose gradients have a direction (structure-tensor coherence > 0.15),
//!   cleaned of specks and with enclosed holes filled. The **contact** area
//!   adds the ridgeless blocks connected to it that are darker than an empty
//!   platen could be (wet blobs, smears).
//! - **Orientation and coherence**: from the Sobel structure tensor per
//!   32 px window, smoothed over 3x3 blocks.
//! - **Ridge profile**: per foreground block, the mean grey across the
//!   ridges of a 32 x 16 px window rotated to the ridge direction. From it:
//!   ridge and valley widths and the period (runs below and above a fitted
//!   threshold line), and **local clarity** `1 - 2 x mean Phi(-|d| / s)`,
//!   the expected share of pixels on the wrong side of the ridge/valley
//!   threshold (NFIQ 2's LCS idea, from one pass).
//! - **Block quality** (the quality map, 0..100): local clarity x
//!   (0.5 + 0.5 coherence), halved where ridge or valley widths fall outside
//!   2..12 px, zero where the period falls outside 3..25 px.
//! - **Clarity** (0..100): 100 minus the print's expected false non-match
//!   rate in per cent. The mean block quality over the foreground, each
//!   block weighted by how evenly its ridges and valleys share the period
//!   (`(1 - |ridge - valley| / (ridge + valley))³`: ink-spread or broken
//!   ridges bind to false minutiae), times `(1 - valley bridges)⁶` (sweat
//!   joins ridges) and the lower-quartile block quality to the power 0.75
//!   (the worst quarter of the contact), through a logistic fitted to
//!   BOZORTH3's genuine failures pooled over six FVC sensors. Its
//!   error-versus-reject area is 0.945 of NIST NFIQ 2.3's (geometric mean
//!   over those sensors, at most 1.00 on each; see the README).
//! - **Moisture index** (-1 dry .. +1 wet, [`Moisture`]), read along the
//!   ridge flow so that how a sensor draws ridges does not count: in every
//!   block, the samples along the centre of each ridge and valley of the
//!   oriented window are compared, two neighbours at a time, with the
//!   block's own ridge/valley threshold. **Ridge gaps** (ridge samples on
//!   the valley side: dry skin breaks ridges into dots) averaged over the
//!   contact are the dry evidence; the **bridged share** (blocks whose
//!   valleys are closed, bridges at least 0.15 and ridge gaps under half of
//!   them, plus pooled-sweat blobs) the wet evidence. Each is read against
//!   a [`SensorProfile`]: the scanner's typical value plus a margin is the
//!   threshold (evidence 1, the band). Without a profile the generic one,
//!   pooled from six real sensors, stands in; a profile learned from about
//!   20 unlabelled captures of the device also reads how wide the ridges
//!   are against the device's own ([`Moisture::ridge_fill`]). Classed dry
//!   at -0.35 or below, wet at +0.28 or above.
//! - **Smudge** ([`Smudge`]): smeared tiles (8x8 px, four to a block),
//!   interior contact where the finger pressed (not lighter than the
//!   print's mid grey) whose ridge detail (RMS gradient) fell under 45 % of
//!   the ridges' around it; a dark patch that keeps the streaks of a drag
//!   is a smear, not a wet blob. The policy looks at the largest connected
//!   patch (at least 12 tiles, about 2 mm²) and at the smeared share of
//!   the contact.
//!   **Motion blur**: how strongly clarity depends on ridge direction (a
//!   slide blurs the ridges across it; blocks whose ridges it wiped out
//!   count as unclear ridges at right angles to their streaks), or how well
//!   those streaks line up. **Sensor residue**: the share of the visible platen,
//!   two blocks or more from the finger, showing coherent ridges at a ridge
//!   period (a latent print). A latent dark enough to pass the foreground
//!   test is told from the finger by being faint (under 0.6 of the
//!   finger's ridge contrast), light, apart from the finger and reaching
//!   the bare platen, and is then left out of the contact area.
//! - **Actionable values** ([`Actionable`]): NFIQ 2's uniform-image
//!   (grey sigma < 1), too-light (mean > 250) and foreground-area checks.
//!
//! Every threshold the verdict uses is a documented field of
//! [`FingerprintPolicy`] (the moisture evidence's margins live in the
//! [`SensorProfile`]). The rules assume dark ridges on lighter valleys, as
//! optical (TIR), capacitive and thermal sensors render them. Where the
//! empty sensor is grey (a thermal sweep's frame), grey level no longer
//! marks contact, and streaks along the image's rows or columns off the
//! ridges are the sensor's own pattern, not a smear or a slide.
//!
//! ### A sensor profile
//!
//! ```
//! # #[cfg(feature = "serde")]
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use biocapture::{FingerprintAssessor, FingerprintConfig, GrayView, SensorProfile};
//! // The day's first captures of one scanner, no labels needed.
//! # let captures: Vec<image::GrayImage> = (0..20u32)
//! #     .map(|i| image::GrayImage::from_fn(200, 200, |x, y| {
//! #         image::Luma([if (x + y + i) % 10 < 5 { 60 } else { 200 }])
//! #     }))
//! #     .collect();
//! let mut plain = FingerprintAssessor::new(FingerprintConfig::default())?;
//! let reports = captures
//!     .iter()
//!     .map(|img| plain.assess(GrayView::from(img)))
//!     .collect::<Result<Vec<_>, _>>()?;
//! let profile = SensorProfile::learn("kit 12 scanner", &reports)?;
//! let json = serde_json::to_string(&profile)?; // keep it with the kit
//! let profile: SensorProfile = serde_json::from_str(&json)?;
//! let mut assessor = FingerprintAssessor::new(FingerprintConfig::default().with_profile(profile))?;
//! let report = assessor.assess(GrayView::from(&captures[0]))?;
//! assert_eq!(report.sensor_profile.as_deref(), Some("kit 12 scanner"));
//! # Ok(())
//! # }
//! # #[cfg(not(feature = "serde"))]
//! # fn main() {}
//! ```
//!
//! `cargo run --release --example calibrate -- DIR` does the same for a
//! folder of captures and writes the JSON; `assess fingerprint --profile
//! FILE` reads it. A stored report is read against a profile learned later
//! with [`FingerprintReport::apply_profile`], without its pixels.
//!
//! ## Performance
//!
//! One core, `cargo bench --bench fingerprint` on the committed prints: a
//! 512x512 print takes about 1.6 ms for the whole assessment and verdict
//! (1.3 ms for clarity alone, [`Analysis::ClarityOnly`]); NIST NFIQ 2.3
//! takes about 60 ms on a 300x300 print on the same machine. Face: see
//! below.
//!
//! ## Untrusted input and limits
//!
//! Every public entry point returns an [`Error`] or a report for any
//! buffer, size, stride and resolution: view constructors check the
//! stride and buffer length with overflow-checked arithmetic, and the
//! assessors check their configured limits ([`FingerprintConfig`],
//! [`FaceConfig`]: minimum and maximum side, maximum pixel count) before
//! allocating anything. Assessment is deterministic: the same pixels give
//! the same report, bit for bit.
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
//! 1. **Detection.** The SeetaFace frontal cascade ([`SeetaFaceDetector`]:
//!    the model from the BSD-2 `rustface` crate, run by biocapture's own
//!    faster implementation of the cascade), embedded in the binary at
//!    build time: no path, no download. A portrait's face is
//!    large, so it first looks for faces of at least 45 % of the shorter
//!    side on a copy about 90 px across, and only when that fails for
//!    faces down to 25 % (configurable; found reliably down to about
//!    25 %, smaller ones may be `no_face`: see [`SeetaFaceDetector`]). Plug in another detector with
//!    [`FaceAssessor::with_detector`], or skip detection altogether with
//!    [`FaceAssessor::assess_with_eyes`] when the app's own tracker already
//!    knows the eyes. No face is `Ok` with verdict `no_face`; a second face
//!    of comparable size is `multiple_faces`. When no upright face is
//!    found, turned views of the frame (90, -90, 180, 45 and -45 degrees)
//!    are searched: a subject lying down, or a camera held sideways, gives
//!    `rotate_image` with the measured roll
//!    ([`FaceMeasures::view_turn_deg`]) instead of `no_face`.
//! 2. **Eye centres** ([`EyePair`]; the subject's left eye is the one with
//!    the larger x): MTCNN's landmark network (ONet, public MIT-licensed
//!    weights embedded as float16, run in pure Rust) on a 48x48 crop of
//!    the face box and on its mirror image, then, within a tenth of the
//!    IED of each of its points, the point most strong gradients point
//!    away from (Timm & Barth's gradient method), weighted by darkness
//!    (the iris). Provenance and licence notices of the weights:
//!    `models/README.md`.
//! 3. **Framing** ([`Framing`]): IED, roll, a coarse yaw estimate, the
//!    chin read from the jaw's lower edge and the crown (ICAO's, hair
//!    ignored) bounded by the head-to-background boundary, each placed
//!    from the eyes by adult proportions where the read fails or hair
//!    rises above (chin 1.9 IED below the eyes, crown 2.0 IED above;
//!    [`Framing::chin_source`] says which), and
//!    the head's width by proportion (2.4 IED), then the ISO checks: eye
//!    line 50..70 % up, eye mid-point 45..55 % across, head width 50..75 %
//!    of the width, chin to crown 60..90 % of the height, IED >= 90 px,
//!    roll <= 8 degrees, head inside the frame.
//! 4. **Photometric** ([`Photometric`]): each measure raw and mapped to
//!    0..100 as BSI's OFIQ maps it: luminance mean and variance, under-
//!    and over-exposure, dynamic range, sharpness, background uniformity,
//!    illumination uniformity (the histograms of the face's two halves), natural colour
//!    (the cheeks' CIELAB a*, b*), and the shadow level (the face's 5th
//!    luminance percentile: a face washed out towards white keeps a
//!    plausible mean but loses its dark features, `too_bright`).
//! 5. **Eyes open and uncovered**: how open each eye is (the lid
//!    aperture over the eye width, read by a small network of our own
//!    from a patch around each eye: `eyes_closed`) and whether it shows
//!    (the iris against the white of the eye; an eye where neither the
//!    iris nor open lids show counts as covered: `eyes_not_visible`).
//! 6. **Mouth closed**: the inner-lip gap over the mouth width, read by a
//!    second small network from the grey and the redness around the eye
//!    network's mouth corners (colour images only): `mouth_open`.
//! 7. **Head pose**: yaw and pitch from where the eye network puts the
//!    nose tip against the eyes and the mouth ([`Framing::yaw_deg`],
//!    [`Framing::pitch_deg`]): `not_facing_camera` and `head_pitched`.
//!
//! Every threshold is a documented field of [`FacePolicy`]; change it and
//! judge the same report again without touching pixels.
//!
//! **Speed** (`cargo bench --bench face`, criterion medians, one core of
//! a 2-core machine): a 640x480 frame with a framed face about 5.7 ms
//! (detection 1.5 ms, the eyes' four ONet passes about 1.8 ms, the
//! eye-corner trees 0.8 to 1.3 ms); 1280x960 about 6.7 ms; a 640x480 frame
//! with no face 10.7 ms (the upright search, then the turned views); one whose face box is only 0.28 of the shorter
//! side, found by the detector's second pass (see [`SeetaFaceDetector`]),
//! 8.8 ms. Built for x86-64-v3 (`RUSTFLAGS="-C target-cpu=x86-64-v3"`,
//! AVX2 and FMA) the outputs are bit for bit the same and faster (the
//! README has the figures).
//!
//! **Limits.** Images must be at least 32 px a side and at most 8192 px a
//! side and 40 million pixels ([`FaceConfig`]); anything else is an
//! [`Error`] before any allocation. Eye accuracy on small, soft faces is
//! limited: on the 173 CSU faces (grey scans, IED 43 to 73 px, median 60)
//! the face is found in 171, and the worse eye is within 10 % of the IED
//! for 96.0 % and within 5 % for 76.3 % (`examples/eval_eyes.rs`); over
//! the same faces resized, re-encoded, noised and blurred (`eval_eyes
//! --perturb`), 95.0 % and 74.1 % on average. The error left is spread
//! about equally over sideways, vertical, spacing and height-difference
//! components (robust sd 0.013 to 0.021 IED each).
//!
//! ## Live capture
//!
//! [`FingerprintCapture`] and [`FaceCapture`] watch a scanner's or a
//! camera's preview stream: push each frame with its timestamp and show
//! the operator the [`CaptureState`] it returns. The session says what to
//! fix now (`Adjust`, with the findings and their hints), waits until the
//! subject is good and still through a window of time (`Steady`, with
//! progress), and keeps the best frame of that window by itself
//! (`Captured`, with the frame's full report, verdict and pixels); after
//! its timeout it hands over the best frame it saw and why it fell short
//! (`TimedOut`). Between candidates it runs only a fast preview pass (the
//! placement checks for a print; for a face, the eye network following
//! the face from the frame before), allocates nothing per frame once warm,
//! and gives the same states for the same frames, bit for bit. The rules
//! and every threshold are on [`CaptureConfig`].
//!
//! ```
//! use std::time::Duration;
//! use biocapture::{CaptureConfig, CaptureState, FingerprintCapture, FingerprintConfig,
//!     FingerprintPolicy, GrayView, Lang};
//! let mut capture = FingerprintCapture::new(
//!     CaptureConfig::default(),
//!     FingerprintConfig::default(),
//!     FingerprintPolicy::default(),
//! )?;
//! # let (width, height) = (300u32, 300u32);
//! # let preview_frames = vec![vec![242u8; (width * height) as usize]; 3];
//! for (i, pixels) in preview_frames.iter().enumerate() {
//!     let frame = GrayView::new(pixels, width, height, width as usize)?;
//!     let state = capture.push(frame, Duration::from_millis(80 * i as u64))?;
//!     if let Some(hint) = state.first_hint(Lang::En) {
//!         println!("{hint}");
//!     }
//!     if let CaptureState::Captured(best) = state {
//!         println!("frame {} captured, clarity {:.0}", best.index, best.score);
//!         break;
//!     }
//! }
//! # Ok::<(), biocapture::Error>(())
//! ```
//!
//! ## Crate features
//!
//! - `synth` (off by default): the `synth` module, a deterministic
//!   synthetic fingerprint generator and physically modelled capture
//!   degradations (wet, dry, smear, motion blur, residue, ...) for tests,
//!   demos and benches. Not needed to assess captures.
//! - `serde` (off by default): `Serialize` and `Deserialize` for every
//!   report, measurement, verdict and policy, with stable field names;
//!   reasons, decisions, severities and classes as their snake_case codes;
//!   and `FingerprintSummary` / `FaceSummary`, the compact JSON line of
//!   an assessment that `examples/assess`, the C ABI and the Python package
//!   all write.

#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![warn(missing_debug_implementations)]
#![deny(unreachable_pub)]
#![doc(test(attr(deny(warnings))))]

mod capture;
mod error;
mod face;
mod fingerprint;
mod image;
mod internal;
#[cfg(feature = "serde")]
mod summary;
mod verdict;

#[cfg(feature = "synth")]
pub mod synth;

/// The README's Rust examples, compiled (and run, unless marked
/// `no_run`) by `cargo test --doc`.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

pub use crate::capture::{
    CaptureConfig, CaptureState, CapturedFrame, FaceCapture, FaceState, FingerprintCapture,
    FingerprintState, FramePixels, Motion, Shortfall,
};
pub use crate::error::{Error, Result};
pub use crate::face::ExtentSource;
pub use crate::face::{
    Detection, EyeOpenness, EyePair, EyeSource, EyeVisibility, FaceAssessor, FaceBox, FaceConfig,
    FaceDetector, FaceLandmarks, FaceMeasures, FacePolicy, FaceReport, Framing, Measure, Mouth,
    Photometric, Point, SeetaFaceDetector,
};
pub use crate::fingerprint::{
    Actionable, Analysis, BlockMaps, FingerprintAssessor, FingerprintConfig, FingerprintPolicy,
    FingerprintReport, Foreground, Moisture, MoistureClass, Norm, PixelRect, SensorProfile, Smudge,
    BRIDGED_BLOCK, BRIDGED_FRACTION_MARGIN, BRIDGED_OVER_GAPS, DRY_BAND, MAX_PPI,
    MIN_INSIDE_BLOCKS, MIN_PPI, MIN_PROFILE_CAPTURES, NFIQ2_EMPTY_MEAN, NFIQ2_MIN_FOREGROUND_PX,
    NFIQ2_UNIFORM_SIGMA, PROFILE_VERSION, RIDGE_FILL_DEAD_ZONE, RIDGE_FILL_MARGIN,
    RIDGE_GAPS_MARGIN, TYPICAL_QUANTILE, WET_BAND,
};
pub use crate::image::{GrayView, RgbView, DEFAULT_PPI};
#[cfg(feature = "serde")]
pub use crate::summary::{FaceSummary, FingerprintSummary};
pub use crate::verdict::{Decision, Finding, Lang, Reason, Severity, Verdict};

//! Face detection: the [`FaceDetector`] trait and the embedded SeetaFace
//! frontal cascade.

use std::sync::OnceLock;

use crate::image::GrayView;
use crate::internal::resample::{resize_gray, ResizeScratch};

use super::fust::{Candidate, Cascade, CascadeScratch, Search};
use super::types::{Detection, FaceBox};

/// Finds faces in a grey image.
///
/// The assessor calls [`detect`](FaceDetector::detect) once per capture
/// with the full-resolution grey image. Implement it to plug in another
/// detector (a platform API, a CNN); the default is [`SeetaFaceDetector`].
/// Boxes are in the given image's pixels and should cover roughly brows to
/// chin, as SeetaFace's do: the eye search starts from the box.
///
/// # Examples
///
/// ```
/// use biocapture::{Detection, FaceAssessor, FaceBox, FaceConfig, FaceDetector, GrayView};
///
/// /// A detector that always reports one face in the middle (for tests).
/// struct Fixed;
/// impl FaceDetector for Fixed {
///     fn detect(&mut self, image: GrayView<'_>, faces: &mut Vec<Detection>) {
///         let (w, h) = (image.width() as f32, image.height() as f32);
///         faces.push(Detection {
///             face_box: FaceBox { x: w * 0.3, y: h * 0.3, width: w * 0.4, height: w * 0.4 },
///             score: 1.0,
///         });
///     }
/// }
///
/// let mut assessor = FaceAssessor::with_detector(FaceConfig::default(), Box::new(Fixed))?;
/// let frame = vec![128u8; 200 * 200];
/// let report = assessor.assess_gray(GrayView::new(&frame, 200, 200, 200)?)?;
/// assert_eq!(report.detections.len(), 1);
/// # Ok::<(), biocapture::Error>(())
/// ```
pub trait FaceDetector: Send {
    /// Appends every face found in `image` to `faces` (which arrives
    /// empty). Must not panic on any image the view can describe.
    fn detect(&mut self, image: GrayView<'_>, faces: &mut Vec<Detection>);
}

/// The embedded SeetaFace model bytes (copied from the `rustface` package
/// by the build script), run by [`Cascade`].
static MODEL_BYTES: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/seeta_fd_frontal_v1.0.bin"));

/// The parsed model, shared by every detector in the process.
fn cascade() -> Option<&'static Cascade> {
    static CASCADE: OnceLock<Option<Cascade>> = OnceLock::new();
    CASCADE.get_or_init(|| Cascade::parse(MODEL_BYTES)).as_ref()
}

/// SeetaFace's sliding window is 40 px: the smallest face it sees at any
/// pyramid level.
const SEETA_WINDOW: f32 = 40.0;

/// Largest working copy the cascade scans, in pixels. A 4:3 frame's
/// copies are at most about 34 000 px; only frames longer than about
/// 2.5:1 are shrunk further (their smallest face found grows in
/// proportion), which bounds the work on long strips. (The bound was set
/// for rustface's engine, whose `u32` integral image of squared grey
/// values overflows past about 65 000 white pixels; the cascade here sums
/// in `u64`, and the bound was kept so long frames cost what they did.)
const MAX_WORK_PX: usize = 65_000;

/// The cascade slides a 40 px window over the image, so anything whose
/// shorter side is below this (with two pixels of slack for the pyramid's
/// rounding) cannot hold a face and is not handed to it.
const SEETA_MIN_SIDE: usize = 42;

/// Faces at least this fraction of the shorter side are searched first,
/// on a copy about 90 px across: a framed portrait's face is that large
/// (its head is at least half the frame, a face box of about 0.53 of the
/// shorter side in a 3:4 portrait).
const LARGE_FACE_FRACTION: f32 = 0.45;

/// Largest face the second pass searches, as a fraction of the shorter
/// side. The levels above it would search again what the first pass
/// searched (about a tenth of the pass's work at 640x480). It
/// reaches one pyramid level (0.8) into the first pass's sizes, because
/// the first pass misses a few faces near its smallest size: one of the
/// CSU faces is found only there.
const SECOND_PASS_MAX_FRACTION: f32 = 0.5;

/// Window step of the second pass, in pixels of its working copy (the
/// first pass uses SeetaFace's 4). The second pass scans the largest copy,
/// and its cost is the windows the LAB stages see plus the many
/// proposals the perceptron stages re-score. Measured with
/// `examples/eval_detect.rs` (coffee background, mean of four
/// placements), and the whole assessment of the 640x480 small-face frame
/// in `benches/face.rs` (criterion, `--measurement-time 3`):
///
/// | step | faces 0.20 of the side | 0.25 | 0.30 | small-face frame |
/// |---|---|---|---|---|
/// | 4 px | 140.2 | 162.8 | 169.2 | 8.78 ms |
/// | 5 px | 132.2 | 164.0 | 167.8 | 7.53 ms |
/// | 6 px | 112.2 | 153.2 | 166.0 | 7.17 ms |
///
/// With rustface's own engine, 6 px had been needed to keep the second
/// pass's cost down (the bench's small-face frame then took 10.2 ms); the
/// cascade here is fast enough for 5 px, which finds 11 more of the 171
/// faces at 0.25 of the shorter side and 20 more at 0.2, for about 0.4 ms.
/// 4 px finds more only under 0.25, the default smallest face, and leaves
/// little of the 10 ms budget.
///
/// The first pass keeps SeetaFace's 4 px: a framed portrait is found
/// there, and missing it costs a retake. With 6 px there (one placement
/// on the coffee background), 167.2 instead of 170.0 faces were found at
/// 0.8 of the shorter side and 168.5 instead of 169.8 at 0.55, and 170
/// instead of 171 at full size; 5 px lost about one face at 0.5 to 0.8.
const SECOND_PASS_STEP: u32 = 5;

/// The SeetaFace frontal face detector (funnel-structured cascade, Wu et
/// al.), with its model embedded in the binary.
///
/// The model is SeetaFace Engine's, as the BSD-2 `rustface` crate ships
/// it. biocapture runs it with its own implementation of the cascade
/// (`src/face/fust.rs`): the same boxes as rustface's engine (checked by
/// the `matches_rustface` test, and on all 173 CSU faces with four
/// step and pyramid settings), in about 60 % of its time: 4.2 instead of
/// 7.0 ms on the whole astronaut portrait resized to 640x480, both with
/// the second pass stepping 6 px (300 runs each).
///
/// An ID portrait shows a large face, so the detector works on downscaled
/// copies, in two passes:
///
/// 1. faces of at least 0.45 of the shorter side, on a copy shrunk until
///    such a face spans SeetaFace's 40 px window (118x89 at 640x480);
///    a framed portrait is found here and the search stops;
/// 2. only when that finds nothing: the smaller faces, from
///    [`min_face_fraction`](Self::with_min_face_fraction) of the shorter
///    side up to 0.5, on a copy where the smallest spans the window
///    (213x160 at 640x480 with the default 0.25), the window sliding 5 px
///    at a time instead of 4.
///
/// Small images are never enlarged.
///
/// **Smallest face found.** Measured on the 171 CSU frontal faces the
/// detector finds at full size, each shrunk into a cluttered 640x480 frame
/// so its face box (about brows to chin) is a given fraction of the
/// shorter side (`examples/eval_detect.rs`; the skimage coffee and camera
/// pictures as backgrounds, four placements each): at 0.3 to 0.8 it
/// finds 168-170 of them, at 0.25 about 162 (160.2 and 164.0 by
/// background, means over the placements), at 0.2 about 131. So with the
/// default settings faces down to about 0.25 of the shorter side are found
/// reliably, and most at 0.2. The ICAO size check ([`FacePolicy`](crate::FacePolicy):
/// head width at least 0.5 of the image width, chin to crown 0.6 of its
/// height; the head is about 0.94 of the face box wide and 1.5 tall)
/// puts the smallest acceptable face box at about 0.53 of the shorter
/// side in a 3:4 portrait (0.71 in a 4:3 landscape frame). A face from
/// about 0.25 of the shorter side up to there is reported as
/// `face_too_small`; a smaller one (under half the acceptable size, the
/// subject far from the camera) is often not
/// found and then reported as `no_face`. Lower
/// [`with_min_face_fraction`](Self::with_min_face_fraction) to find
/// smaller faces, at the cost of time.
#[derive(Debug, Clone)]
pub struct SeetaFaceDetector {
    min_face_fraction: f32,
    score_threshold: f64,
    step: u32,
    pyramid_factor: f32,
    full: Vec<u8>,
    small: Vec<u8>,
    resize: ResizeScratch,
    cascade: CascadeScratch,
    found: Vec<Candidate>,
}

impl Default for SeetaFaceDetector {
    /// Also parses the embedded model, once per process (see
    /// [`SeetaFaceDetector::new`]).
    fn default() -> Self {
        // Parse now, so the first frame costs what the others do.
        let _ = cascade();
        Self {
            min_face_fraction: 0.25,
            score_threshold: 2.0,
            step: 4,
            pyramid_factor: 0.8,
            full: Vec::new(),
            small: Vec::new(),
            resize: ResizeScratch::default(),
            cascade: CascadeScratch::default(),
            found: Vec::new(),
        }
    }
}

impl SeetaFaceDetector {
    /// A detector with the defaults: smallest face 0.25 of the shorter
    /// side, score threshold 2.0, window step 4 px, pyramid factor 0.8.
    ///
    /// The first detector made in a process parses the embedded model
    /// (about a millisecond); later ones share it.
    pub fn new() -> Self {
        Self::default()
    }

    /// Smallest face reported, as a fraction of the image's shorter side,
    /// in `(0, 1]`; it sets how far the image is downscaled (smaller means
    /// slower). Out-of-range values are clamped into `[0.05, 1]`.
    /// Default: 0.25.
    #[must_use]
    pub fn with_min_face_fraction(mut self, fraction: f32) -> Self {
        self.min_face_fraction = if fraction.is_finite() {
            fraction.clamp(0.05, 1.0)
        } else {
            0.25
        };
        self
    }

    /// Cascade score below which a window is not a face. SeetaFace's own
    /// default is 3.85; 2.0 keeps more of the dim and low-contrast frontal
    /// faces a capture station sees, and the framing checks catch the rare
    /// false box. Non-positive or non-finite values are replaced by 2.0.
    /// Default: 2.0.
    #[must_use]
    pub fn with_score_threshold(mut self, threshold: f64) -> Self {
        self.score_threshold = if threshold.is_finite() && threshold > 0.0 {
            threshold
        } else {
            2.0
        };
        self
    }
}

impl FaceDetector for SeetaFaceDetector {
    fn detect(&mut self, image: GrayView<'_>, faces: &mut Vec<Detection>) {
        let (w, h) = (image.width() as usize, image.height() as usize);
        // Gather the rows once (the view may carry a stride).
        self.full.clear();
        for row in image.rows() {
            self.full.extend_from_slice(row);
        }
        if self.min_face_fraction >= LARGE_FACE_FRACTION {
            self.detect_at(w, h, self.min_face_fraction, 1.0, self.step, faces);
            return;
        }
        // Pass 1: large faces, on a very small copy; a framed portrait is
        // found there in a millisecond or two.
        self.detect_at(w, h, LARGE_FACE_FRACTION, 1.0, self.step, faces);
        if !faces.is_empty() {
            return;
        }
        // Pass 2: only the smaller faces. Its pyramid stops one level into
        // pass 1's sizes (see SECOND_PASS_MAX_FRACTION) and its window
        // moves in larger steps (see SECOND_PASS_STEP).
        self.detect_at(
            w,
            h,
            self.min_face_fraction,
            SECOND_PASS_MAX_FRACTION,
            SECOND_PASS_STEP,
            faces,
        );
    }
}

impl SeetaFaceDetector {
    /// One pass over `image` for faces from `fraction` of its shorter side
    /// up to as large as it allows, with the default window step (the
    /// turned views of a subject lying down are rendered so that their
    /// smallest face spans the window: no second pass is needed).
    pub(crate) fn detect_one_pass(
        &mut self,
        image: GrayView<'_>,
        fraction: f32,
        faces: &mut Vec<Detection>,
    ) {
        let (w, h) = (image.width() as usize, image.height() as usize);
        self.full.clear();
        for row in image.rows() {
            self.full.extend_from_slice(row);
        }
        let fraction = if fraction.is_finite() {
            fraction.clamp(0.05, 1.0)
        } else {
            1.0
        };
        self.detect_at(w, h, fraction, 1.0, self.step, faces);
    }

    /// One detection pass over `self.full` (`w` x `h`) for faces from
    /// `fraction` up to `max_fraction` of the shorter side (or as large as
    /// the image allows), the window sliding `step` px of the working copy.
    fn detect_at(
        &mut self,
        w: usize,
        h: usize,
        fraction: f32,
        max_fraction: f32,
        step: u32,
        faces: &mut Vec<Detection>,
    ) {
        let short = w.min(h);
        let mut scale = (SEETA_WINDOW / (fraction * short as f32)).min(1.0);
        // Keep the working copy within MAX_WORK_PX (see there): only a frame
        // far longer than it is wide gets there, and its smallest face found
        // grows accordingly.
        let area = w as f32 * h as f32 * scale * scale;
        if area > MAX_WORK_PX as f32 {
            scale *= (MAX_WORK_PX as f32 / area).sqrt() * 0.999;
        }
        let sw = ((w as f32 * scale).round() as usize).max(1);
        let sh = ((h as f32 * scale).round() as usize).max(1);
        if sw.min(sh) < SEETA_MIN_SIDE {
            return;
        }
        // The largest face searched, in pixels of the working copy:
        // The cascade's pyramid runs from the copy as given down to the level
        // where the window spans it. Two pixels under the copy's shorter
        // side at most, so rounding in the pyramid never produces a level
        // smaller than the window.
        let max_face = ((max_fraction * short as f32 * scale) as usize)
            .clamp(SEETA_WINDOW as usize, sw.min(sh) - 2);
        let Some(cascade) = cascade() else {
            return;
        };
        // The working image is sized so the smallest face of interest
        // spans the 40 px window.
        resize_gray(
            &self.full,
            w,
            h,
            w,
            sw,
            sh,
            &mut self.small,
            &mut self.resize,
        );
        self.found.clear();
        cascade.detect(
            &self.small,
            sw,
            sh,
            Search {
                max_face,
                step: step as usize,
                pyramid_factor: self.pyramid_factor,
            },
            &mut self.cascade,
            &mut self.found,
        );
        let inv = 1.0 / scale;
        for f in self
            .found
            .iter()
            .filter(|f| f.score >= self.score_threshold)
        {
            faces.push(Detection {
                face_box: FaceBox {
                    x: f.x as f32 * inv,
                    y: f.y as f32 * inv,
                    width: f.width as f32 * inv,
                    height: f.height as f32 * inv,
                },
                score: f.score as f32,
            });
        }
    }
}

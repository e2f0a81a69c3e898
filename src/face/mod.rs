//! ID-portrait framing and quality: detection, eye centres, ISO/ICAO
//! geometry, photometric measures, and the policy that turns them into a
//! verdict.

mod detect;
mod expression;
mod extent;
mod eyes;
mod fust;
mod geometry;
mod model_io;
mod mouth_weights;
mod onet;
mod openness_weights;
mod photometric;
mod policy;
mod rotate;
mod sp5;
mod types;
mod visibility;

use crate::error::{Error, Result};
use crate::image::{GrayView, RgbView};
use crate::internal::limits::SizeLimits;
use crate::verdict::Verdict;

pub use detect::{FaceDetector, SeetaFaceDetector};
pub use expression::{EyeOpenness, Mouth};
pub use geometry::{ExtentSource, Framing};
pub use photometric::{Measure, Photometric};
pub use policy::FacePolicy;
pub use types::{Detection, EyePair, EyeSource, FaceBox, FaceLandmarks, Point};
pub use visibility::EyeVisibility;

pub(crate) use photometric::Pixels;

use eyes::EyeLocator;
use photometric::PhotometricScratch;
use rotate::{RotatedSearch, TurnedFace};

/// How a [`FaceAssessor`] works: input limits and detector settings.
/// Private fields, chainable setters, validated once by
/// [`FaceAssessor::new`].
///
/// # Examples
///
/// ```
/// use biocapture::{FaceAssessor, FaceConfig};
/// let assessor = FaceAssessor::new(FaceConfig::default().with_max_pixels(12_000_000))?;
/// # drop(assessor);
/// # Ok::<(), biocapture::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FaceConfig {
    limits: SizeLimits,
    min_face_fraction: f32,
    detector_threshold: f64,
}

impl Default for FaceConfig {
    fn default() -> Self {
        Self {
            limits: SizeLimits {
                min_side: 32,
                max_side: 8192,
                max_pixels: 40_000_000,
            },
            min_face_fraction: 0.25,
            detector_threshold: 2.0,
        }
    }
}

impl FaceConfig {
    /// Smallest accepted width and height; smaller images are an
    /// [`Error::ImageTooSmall`]. Default: 32.
    #[must_use]
    pub fn with_min_side(mut self, px: u32) -> Self {
        self.limits.min_side = px;
        self
    }

    /// Largest accepted width or height; larger images are an
    /// [`Error::ImageTooLarge`], reported before anything is allocated.
    /// Default: 8192.
    #[must_use]
    pub fn with_max_side(mut self, px: u32) -> Self {
        self.limits.max_side = px;
        self
    }

    /// Largest accepted pixel count (width x height). Default: 40,000,000.
    #[must_use]
    pub fn with_max_pixels(mut self, n: u64) -> Self {
        self.limits.max_pixels = n;
        self
    }

    /// Smallest face the built-in detector looks for, as a fraction of the
    /// image's shorter side, in `[0.05, 1]`. A portrait's face is large;
    /// looking only for large faces lets the detector work on a small
    /// copy of the image. Default: 0.25.
    #[must_use]
    pub fn with_min_face_fraction(mut self, fraction: f32) -> Self {
        self.min_face_fraction = fraction;
        self
    }

    /// The built-in detector's score threshold, `> 0` (see
    /// [`SeetaFaceDetector::with_score_threshold`]). Default: 2.0.
    #[must_use]
    pub fn with_detector_threshold(mut self, threshold: f64) -> Self {
        self.detector_threshold = threshold;
        self
    }

    fn validate(&self) -> Result<()> {
        self.limits.validate(1, "must be at least 1")?;
        if !(self.min_face_fraction.is_finite() && (0.05..=1.0).contains(&self.min_face_fraction)) {
            return Err(Error::InvalidConfig {
                field: "min_face_fraction",
                reason: "must lie in 0.05..=1",
            });
        }
        if !(self.detector_threshold.is_finite() && self.detector_threshold > 0.0) {
            return Err(Error::InvalidConfig {
                field: "detector_threshold",
                reason: "must be finite and positive",
            });
        }
        Ok(())
    }

    /// Checks an image's size against the limits, before any allocation.
    fn check_size(&self, width: u32, height: u32) -> Result<()> {
        if width == 0 || height == 0 {
            return Err(Error::EmptyImage { width, height });
        }
        self.limits.check_not_too_large(width, height)?;
        self.limits
            .check_not_too_small(width as usize, height as usize)
    }
}

/// Everything measured about the subject's face.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct FaceMeasures {
    /// The subject's face box: the largest detection, or, when the caller
    /// supplied the eyes, a box placed from them.
    pub face_box: FaceBox,
    /// The eye centres.
    pub eyes: EyePair,
    /// Whether the eyes were located here or supplied.
    pub eye_source: EyeSource,
    /// IED, roll, yaw, head extent and placement in the frame.
    pub framing: Framing,
    /// Luminance, exposure, sharpness, background, lighting and colour;
    /// `None` when the face region lies outside the image.
    pub photometric: Option<Photometric>,
    /// Whether each eye shows (covered by a hand, hair or glare, or not):
    /// the iris's contrast against the white of the eye beside it, over
    /// the face's grey spread, 0..1:
    ///
    /// ```text
    /// iris   = mean grey within 0.05 IED of the eye centre
    /// sclera = the brighter of the mean greys within 0.035 IED of the
    ///          points 0.15 IED either side of it along the eye line
    /// spread = 90th - 10th percentile of the face's grey (0.9 IED either
    ///          side of the eye mid-point, 0.3 IED above to 1.5 IED below)
    /// eye    = clamp((sclera - iris) / spread, 0, 1)
    /// ```
    ///
    /// `None` when the IED is under 16 px or an eye lies too near the
    /// image edge. A closed eye is not reliably told from an open one:
    /// the lash line of a closed lid crosses the eye centre dark, much as
    /// an iris does; [`eyes_open`](Self::eyes_open) tells them apart.
    pub eyes_visible: Option<EyeVisibility>,
    /// How open each eye is: the lid aperture over the eye width, as
    /// 68-point annotations define it (see [`EyeOpenness`]). `None` when
    /// the IED is under 16 px or an eye lies too near the image edge.
    pub eyes_open: Option<EyeOpenness>,
    /// The mouth: ONet's corners and how open it is, the inner-lip gap
    /// over the mouth width as 68-point annotations define it (see
    /// [`Mouth`]). `None` when the image is grey (the read needs the lips'
    /// colour), the eyes were supplied (no corners), the face was found
    /// in a turned view, the IED is under 16 px, or the corners are not a
    /// plausible mouth or lie too near the image edge.
    pub mouth: Option<Mouth>,
    /// The turn of the view the face was found in, degrees, when the
    /// upright search found none (a subject lying down, a camera held
    /// sideways or upside down): one of 90, -90, 180, 45, -45, the views
    /// searched in that order. `None` for a face found upright
    /// or placed from supplied eyes.
    ///
    /// Such a face's box, eyes and framing are still in this image's
    /// pixels: the box is the axis-aligned box around the detector's
    /// turned one, the eyes keep the subject's left and right (so
    /// [`EyePair::roll_deg`] and [`Framing::roll_deg`] read the whole
    /// circle: 90 when the top of the head points to the image right),
    /// and the yaw is not estimated. The photometric measures and the eye
    /// visibility assume an upright face and are `None`: they are
    /// measured once the image is turned upright, which the verdict's
    /// `rotate_image` asks for.
    pub view_turn_deg: Option<f32>,
    /// The eye network's five landmarks (eyes, nose tip, mouth corners)
    /// as it gave them, which the pitch read uses; `None` when the eyes
    /// were supplied, the face was found in a turned view, or the network
    /// could not read the face.
    pub landmarks: Option<FaceLandmarks>,
}

/// Every measurement of one face capture. Judge it with
/// [`FacePolicy::judge`] (or [`verdict`](Self::verdict)).
///
/// The default is an empty 0x0 report with no face, for
/// [`FaceAssessor::assess_into`] to fill.
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct FaceReport {
    /// Image width, pixels.
    pub width: u32,
    /// Image height, pixels.
    pub height: u32,
    /// Whether the input was grey (no colour measures possible).
    pub gray: bool,
    /// Every face the detector found, largest first (empty when the eyes
    /// were supplied).
    pub detections: Vec<Detection>,
    /// The subject's measurements; `None` when no face was found.
    pub face: Option<FaceMeasures>,
}

impl FaceReport {
    /// Shorthand for `policy.judge(self)`.
    #[must_use]
    pub fn verdict(&self, policy: &FacePolicy) -> Verdict {
        policy.judge(self)
    }
}

/// Assesses face photos, one after another, reusing its buffers.
///
/// # Examples
///
/// ```
/// use biocapture::{FaceAssessor, FaceConfig, FacePolicy, RgbView};
/// let mut assessor = FaceAssessor::new(FaceConfig::default())?;
/// // A plain grey frame: no face, so the verdict is `no_face` (not an error).
/// let frame = vec![128u8; 3 * 320 * 240];
/// let report = assessor.assess(RgbView::new(&frame, 320, 240, 3 * 320)?)?;
/// assert!(report.face.is_none());
/// assert_eq!(FacePolicy::icao().judge(&report).codes(), vec!["no_face"]);
/// # Ok::<(), biocapture::Error>(())
/// ```
pub struct FaceAssessor {
    config: FaceConfig,
    detector: Box<dyn FaceDetector>,
    luma: Vec<u8>,
    eyes: EyeLocator,
    photometric: PhotometricScratch,
    turned: RotatedSearch,
}

impl std::fmt::Debug for FaceAssessor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FaceAssessor")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl FaceAssessor {
    /// An assessor with the built-in [`SeetaFaceDetector`].
    ///
    /// The first assessor made in a process parses the embedded detector
    /// and eye models (about 9 ms here: about 1 for the detector, 3 for the
    /// eye network, 5 for the eye-corner trees); later ones share them and
    /// take microseconds. So the first frame costs what the others do.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidConfig`] when a configuration value is out of range.
    pub fn new(config: FaceConfig) -> Result<Self> {
        config.validate()?;
        let detector = SeetaFaceDetector::new()
            .with_min_face_fraction(config.min_face_fraction)
            .with_score_threshold(config.detector_threshold);
        Self::with_detector(config, Box::new(detector))
    }

    /// An assessor that finds faces with `detector` instead. The first one
    /// in a process parses the embedded eye models (about 8 ms here).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidConfig`] when a configuration value is out of range.
    pub fn with_detector(config: FaceConfig, detector: Box<dyn FaceDetector>) -> Result<Self> {
        config.validate()?;
        // Parse the embedded eye models now (once per process), so the
        // first frame costs what the others do.
        let _ = onet::model();
        let _ = sp5::model();
        Ok(Self {
            config,
            detector,
            luma: Vec::new(),
            eyes: EyeLocator::default(),
            photometric: PhotometricScratch::default(),
            turned: RotatedSearch::default(),
        })
    }

    /// The configuration in use.
    pub fn config(&self) -> &FaceConfig {
        &self.config
    }

    /// Assesses an RGB photo: finds the face, its eyes, and measures.
    ///
    /// # Errors
    ///
    /// [`Error::ImageTooLarge`] / [`Error::ImageTooSmall`] /
    /// [`Error::EmptyImage`] when the size is outside the configured
    /// limits. No face is not an error: the report's `face` is `None`.
    pub fn assess(&mut self, image: RgbView<'_>) -> Result<FaceReport> {
        self.run(Pixels::Rgb(image), None)
    }

    /// Assesses a grey photo (colour measures read as neutral).
    ///
    /// # Errors
    ///
    /// As [`assess`](Self::assess).
    pub fn assess_gray(&mut self, image: GrayView<'_>) -> Result<FaceReport> {
        self.run(Pixels::Gray(image), None)
    }

    /// Assesses an RGB photo whose eye centres the caller already knows
    /// (e.g. from the app's own face tracker): no detection is run, and
    /// yaw is not estimated.
    ///
    /// # Errors
    ///
    /// As [`assess`](Self::assess); [`Error::InvalidConfig`] (field
    /// `eyes`) when an eye point is not finite, both coincide, or they lie
    /// so far apart that their distance is not a finite `f32`.
    pub fn assess_with_eyes(&mut self, image: RgbView<'_>, eyes: EyePair) -> Result<FaceReport> {
        self.run(Pixels::Rgb(image), Some(eyes))
    }

    /// Grey counterpart of [`assess_with_eyes`](Self::assess_with_eyes).
    ///
    /// # Errors
    ///
    /// As [`assess_with_eyes`](Self::assess_with_eyes).
    pub fn assess_gray_with_eyes(
        &mut self,
        image: GrayView<'_>,
        eyes: EyePair,
    ) -> Result<FaceReport> {
        self.run(Pixels::Gray(image), Some(eyes))
    }

    /// Like [`assess`](Self::assess), but writes into `report`, reusing
    /// its storage (live preview loops: no allocation per frame once the
    /// buffers have grown).
    ///
    /// # Errors
    ///
    /// As [`assess`](Self::assess); on error `report` is left unspecified.
    pub fn assess_into(&mut self, image: RgbView<'_>, report: &mut FaceReport) -> Result<()> {
        self.run_into(Pixels::Rgb(image), None, report)
    }

    /// Grey counterpart of [`assess_into`](Self::assess_into).
    ///
    /// # Errors
    ///
    /// As [`assess`](Self::assess).
    pub fn assess_gray_into(&mut self, image: GrayView<'_>, report: &mut FaceReport) -> Result<()> {
        self.run_into(Pixels::Gray(image), None, report)
    }

    /// [`assess_into`](Self::assess_into) for RGB or grey pixels.
    pub(crate) fn assess_pixels_into(
        &mut self,
        px: Pixels<'_>,
        report: &mut FaceReport,
    ) -> Result<()> {
        self.run_into(px, None, report)
    }

    fn run(&mut self, px: Pixels<'_>, supplied: Option<EyePair>) -> Result<FaceReport> {
        let mut report = FaceReport::default();
        self.run_into(px, supplied, &mut report)?;
        Ok(report)
    }

    /// Gives the eye, landmark and photometric buffers room for frames of
    /// `width` x `height`, so that the first face a live session sees
    /// after its warm-up on an empty scene allocates nothing (the detector
    /// sizes its own buffers on every frame).
    pub(crate) fn reserve(&mut self, width: u32, height: u32) {
        let (w, h) = (width as usize, height as usize);
        self.luma
            .reserve(w.saturating_mul(h).saturating_sub(self.luma.len()));
        self.eyes.reserve(w);
        self.photometric.reserve(w, h);
    }

    /// Checks the size and the supplied eyes, and fills `self.luma`.
    fn prepare(&mut self, px: Pixels<'_>, supplied: Option<&EyePair>) -> Result<()> {
        let (w, h) = (px.width(), px.height());
        self.config.check_size(w, h)?;
        if let Some(e) = supplied {
            let ied = e.ied();
            // Finite points can still lie so far apart (near f32::MAX)
            // that their distance overflows.
            if !(e.left.is_finite() && e.right.is_finite() && ied.is_finite() && ied > 0.0) {
                return Err(Error::InvalidConfig {
                    field: "eyes",
                    reason: "must be two distinct, finite points",
                });
            }
        }
        // One contiguous grey plane serves detection, eyes, sharpness and
        // background.
        match px {
            Pixels::Rgb(v) => v.luma_into(&mut self.luma),
            Pixels::Gray(v) => {
                self.luma.clear();
                for row in v.rows() {
                    self.luma.extend_from_slice(row);
                }
            }
        }
        Ok(())
    }

    /// Empties `report` for an image like `px`.
    fn start_report(px: Pixels<'_>, report: &mut FaceReport) {
        report.width = px.width();
        report.height = px.height();
        report.gray = matches!(px, Pixels::Gray(_));
        report.detections.clear();
        report.face = None;
    }

    /// Runs the built-in or plugged-in detector on `self.luma` into
    /// `report.detections`, largest first.
    fn detect_into(&mut self, w: u32, h: u32, report: &mut FaceReport) -> Result<()> {
        let luma = GrayView::new(&self.luma, w, h, w as usize)?;
        self.detector.detect(luma, &mut report.detections);
        report.detections.retain(|d| d.face_box.is_valid());
        report.detections.sort_by(|a, b| {
            b.face_box
                .area()
                .total_cmp(&a.face_box.area())
                .then(b.score.total_cmp(&a.score))
        });
        Ok(())
    }

    fn run_into(
        &mut self,
        px: Pixels<'_>,
        supplied: Option<EyePair>,
        report: &mut FaceReport,
    ) -> Result<()> {
        self.prepare(px, supplied.as_ref())?;
        Self::start_report(px, report);
        let (w, h) = (px.width(), px.height());
        let (wu, hu) = (w as usize, h as usize);
        let (face_box, eyes, source, landmarks) = match supplied {
            Some(eyes) => (box_from_eyes(&eyes), eyes, EyeSource::Supplied, None),
            None => {
                self.detect_into(w, h, report)?;
                let Some(subject) = report.detections.first().copied() else {
                    self.search_turned(px, report);
                    return Ok(());
                };
                let Some(eyes) = self.eyes.locate(&self.luma, wu, hu, &subject.face_box) else {
                    return Ok(());
                };
                // Taken now: the turned search below runs the eye network
                // again, on its own crops.
                let landmarks = self.eyes.landmarks();
                // An upside-down face can pass the frontal detector; the
                // eye network then doubts it, and a turned view that
                // holds a face the network believes takes its place.
                if self.eyes.face_prob() < rotate::DOUBTFUL_UPRIGHT_PROB {
                    report.detections.clear();
                    if self.search_turned(px, report) {
                        return Ok(());
                    }
                    self.detect_into(w, h, report)?;
                }
                (subject.face_box, eyes, EyeSource::Located, landmarks)
            }
        };
        let detected = (source == EyeSource::Located).then_some(&face_box);
        let subject = Subject {
            face_box,
            eyes,
            source,
            landmarks,
        };
        self.finish_report(px, subject, detected, report);
        Ok(())
    }

    /// When the upright search found no face: searches the turned views
    /// (see [`rotate`]), and writes the face found there, with its
    /// detection, into `report`. Returns whether there was one.
    fn search_turned(&mut self, px: Pixels<'_>, report: &mut FaceReport) -> bool {
        let (w, h) = (px.width() as usize, px.height() as usize);
        let Some(t) = self.turned.search(&self.luma, w, h, &mut self.eyes) else {
            return false;
        };
        Self::finish_turned(px, t, report);
        true
    }

    /// The report of a face found in a turned view: box, eyes and framing
    /// in the image's pixels, no yaw, photometric or eye visibility (see
    /// [`FaceMeasures::view_turn_deg`]).
    fn finish_turned(px: Pixels<'_>, t: TurnedFace, report: &mut FaceReport) {
        report.detections.push(Detection {
            face_box: t.face_box,
            score: t.score,
        });
        // The head's extent is read upright, as the photometric measures
        // are: here it is placed by proportion.
        let framing = Framing::measure(
            &t.eyes,
            None,
            None,
            extent::HeadExtent::default(),
            px.width(),
            px.height(),
        );
        report.face = Some(FaceMeasures {
            face_box: t.face_box,
            eyes: t.eyes,
            eye_source: EyeSource::Located,
            framing,
            photometric: None,
            eyes_visible: None,
            eyes_open: None,
            mouth: None,
            view_turn_deg: Some(t.view_deg),
            landmarks: None,
        });
    }

    /// Framing, photometric and expression measures of `subject`,
    /// written into `report.face`.
    fn finish_report(
        &mut self,
        px: Pixels<'_>,
        subject: Subject,
        detected: Option<&FaceBox>,
        report: &mut FaceReport,
    ) {
        let Subject {
            face_box,
            eyes,
            source,
            landmarks,
        } = subject;
        let (w, h) = (px.width() as usize, px.height() as usize);
        let plane = visibility::Plane::new(&self.luma, w, h);
        let extent = plane
            .as_ref()
            .map(|p| extent::HeadExtent::measure(p, &eyes, detected))
            .unwrap_or_default();
        let framing = Framing::measure(
            &eyes,
            detected,
            landmarks.as_ref(),
            extent,
            px.width(),
            px.height(),
        );
        let photometric = self.photometric.measure(px, &self.luma, &eyes, &framing);
        let grey = plane
            .as_ref()
            .and_then(|p| visibility::FaceGrey::measure(p, &eyes));
        let (mut eyes_visible, mut eyes_open, mut mouth) = (None, None, None);
        if let (Some(plane), Some(grey)) = (plane.as_ref(), grey.as_ref()) {
            eyes_visible = visibility::measure(plane, grey, &eyes);
            eyes_open = expression::eye_openness(plane, &eyes);
            // The mouth read needs colour (the lips' redness).
            if let (Pixels::Rgb(rgb), Some(l)) = (px, landmarks) {
                mouth = expression::mouth(plane, &rgb, &eyes, (l.mouth_right, l.mouth_left));
            }
        }
        report.face = Some(FaceMeasures {
            face_box,
            eyes,
            eye_source: source,
            framing,
            photometric,
            eyes_visible,
            eyes_open,
            mouth,
            view_turn_deg: None,
            landmarks,
        });
    }

    /// The preview pass of a live capture ([`crate::FaceCapture`]): where
    /// `previous` is the face box of the frame before and `redetect` is
    /// false, the face is followed from that box by the eye network alone
    /// (its face probability, box regression and eye landmarks, on the
    /// crop and its mirror image; see [`EyeLocator::track`]); otherwise,
    /// or when the network no longer sees a face there, the detector
    /// runs and the largest face's eyes come from the same network pass.
    /// Framing (without a yaw estimate) and the photometric measures
    /// follow as in [`assess`](Self::assess). Returns how the face was
    /// found.
    ///
    /// # Errors
    ///
    /// As [`assess`](Self::assess).
    pub(crate) fn preview_into(
        &mut self,
        px: Pixels<'_>,
        previous: Option<&FaceBox>,
        redetect: bool,
        report: &mut FaceReport,
    ) -> Result<Found> {
        self.prepare(px, None)?;
        Self::start_report(px, report);
        let (w, h) = (px.width(), px.height());
        let (wu, hu) = (w as usize, h as usize);
        // A subject lying down must not make a live loop allocate: the
        // turned search's buffers are sized with the first frame.
        self.turned.reserve(wu, hu);
        if let Some(prev) = previous.filter(|_| !redetect) {
            if let Some(t) = self.eyes.track(&self.luma, wu, hu, prev) {
                report.detections.push(Detection {
                    face_box: t.face_box,
                    score: t.face_prob,
                });
                let subject = Subject {
                    face_box: t.face_box,
                    eyes: t.eyes,
                    source: EyeSource::Located,
                    landmarks: Some(t.landmarks),
                };
                self.finish_report(px, subject, None, report);
                return Ok(Found::Tracked);
            }
        }
        self.detect_into(w, h, report)?;
        let Some(subject) = report.detections.first().copied() else {
            if self.search_turned(px, report) {
                return Ok(Found::Detected);
            }
            return Ok(Found::Nothing);
        };
        match self.eyes.track(&self.luma, wu, hu, &subject.face_box) {
            Some(t) => {
                let subject = Subject {
                    face_box: subject.face_box,
                    eyes: t.eyes,
                    source: EyeSource::Located,
                    landmarks: Some(t.landmarks),
                };
                self.finish_report(px, subject, None, report);
            }
            None => {
                // The network does not read a face in the detector's box:
                // an upside-down face (found in a turned view), or a rare
                // false box, where the box's average eye places stand in
                // for the framing, as in a full assessment.
                report.detections.clear();
                if self.search_turned(px, report) {
                    return Ok(Found::Detected);
                }
                self.detect_into(w, h, report)?;
                let subject = Subject {
                    face_box: subject.face_box,
                    eyes: eyes::eyes_from_box(&subject.face_box),
                    source: EyeSource::Located,
                    landmarks: None,
                };
                self.finish_report(px, subject, None, report);
            }
        }
        Ok(Found::Detected)
    }
}

/// The subject's face as found: what the measures start from.
#[derive(Debug, Clone, Copy)]
struct Subject {
    face_box: FaceBox,
    eyes: EyePair,
    source: EyeSource,
    /// ONet's five landmarks, when it read the face.
    landmarks: Option<FaceLandmarks>,
}

/// How a live preview frame's face was found
/// ([`FaceAssessor::preview_into`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Found {
    /// Followed from the previous frame's box.
    Tracked,
    /// Found by the detector.
    Detected,
    /// No face.
    Nothing,
}

/// A SeetaFace-like box for supplied eyes (the inverse of the eye priors).
fn box_from_eyes(eyes: &EyePair) -> FaceBox {
    let side = eyes.ied() / (2.0 * eyes::EYE_HALF_SPAN);
    let m = eyes.midpoint();
    FaceBox {
        x: m.x - side * 0.5,
        y: m.y - eyes::EYE_LINE_Y * side,
        width: side,
        height: side,
    }
}

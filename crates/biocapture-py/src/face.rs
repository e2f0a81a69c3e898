//! Faces: the assessor, the report and its parts, the policy.

use crate::arrays::{self, Limits};
use crate::errors;
use crate::fingerprint::decimal;
use crate::json;
use crate::policy::policy_class;
use crate::verdict::Verdict;
use biocapture::{EyePair, GrayView, Lang, Point, RgbView};
use pyo3::prelude::*;
use std::sync::{Arc, Mutex};

type Xy = (f64, f64);
type Xywh = (f64, f64, f64, f64);

fn xy(p: Point) -> Xy {
    (decimal(p.x), decimal(p.y))
}

fn xywh(b: biocapture::FaceBox) -> Xywh {
    (
        decimal(b.x),
        decimal(b.y),
        decimal(b.width),
        decimal(b.height),
    )
}

/// Reads the `eyes` argument: two `(x, y)` points in any order.
fn eyes_arg(eyes: Option<((f64, f64), (f64, f64))>) -> Option<EyePair> {
    eyes.map(|(a, b)| {
        EyePair::from_points(
            Point::new(a.0 as f32, a.1 as f32),
            Point::new(b.0 as f32, b.1 as f32),
        )
    })
}

/// Assesses ID-portrait photos: finds the face with the embedded
/// detector, locates the eye centres, and measures ISO/IEC 19794-5 / ICAO
/// framing and OFIQ-style light, focus, background and colour.
///
/// ``min_side``, ``max_side`` and ``max_pixels`` bound the accepted sizes
/// (``ImageError`` outside, before any allocation);
/// ``min_face_fraction`` (0.05..1) is the smallest face looked for, as a
/// share of the shorter side; ``detector_threshold`` (> 0) the detector's
/// score threshold.
///
/// Keep one per thread: the GIL is released while assessing, and calls
/// sharing one assessor are serialised.
#[pyclass(frozen, module = "biocapture")]
pub(crate) struct FaceAssessor {
    inner: Mutex<biocapture::FaceAssessor>,
    limits: Limits,
}

impl FaceAssessor {
    fn run(
        &self,
        py: Python<'_>,
        image: &Bound<'_, PyAny>,
        channels: usize,
        eyes: Option<EyePair>,
    ) -> PyResult<FaceReport> {
        let img = arrays::image(image, "image", channels, self.limits)?;
        let (bytes, w, h) = (img.bytes(), img.width, img.height);
        let result = py.detach(|| {
            let mut a = self.inner.lock().unwrap_or_else(|p| p.into_inner());
            if channels == 3 {
                let view = RgbView::new(bytes, w, h, 3 * w as usize)?;
                match eyes {
                    Some(e) => a.assess_with_eyes(view, e),
                    None => a.assess(view),
                }
            } else {
                let view = GrayView::new(bytes, w, h, w as usize)?;
                match eyes {
                    Some(e) => a.assess_gray_with_eyes(view, e),
                    None => a.assess_gray(view),
                }
            }
        });
        match result {
            Ok(r) => Ok(FaceReport { inner: Arc::new(r) }),
            Err(e @ biocapture::Error::InvalidConfig { field: "eyes", .. }) => {
                Err(errors::to_py("eyes", &e))
            }
            Err(e) => Err(errors::to_py("image", &e)),
        }
    }
}

#[pymethods]
impl FaceAssessor {
    #[new]
    #[pyo3(signature = (*, min_side = 32, max_side = 8192, max_pixels = 40_000_000, min_face_fraction = 0.25, detector_threshold = 2.0))]
    fn new(
        min_side: i64,
        max_side: i64,
        max_pixels: i64,
        min_face_fraction: f64,
        detector_threshold: f64,
    ) -> PyResult<Self> {
        let side = |name: &str, v: i64| {
            u32::try_from(v).map_err(|_| {
                errors::config(
                    name,
                    format!("must be a whole number in 0..=4294967295, got {v}"),
                )
            })
        };
        let max_pixels = u64::try_from(max_pixels).map_err(|_| {
            errors::config(
                "max_pixels",
                format!("must not be negative, got {max_pixels}"),
            )
        })?;
        let config = biocapture::FaceConfig::default()
            .with_min_side(side("min_side", min_side)?)
            .with_max_side(side("max_side", max_side)?)
            .with_max_pixels(max_pixels)
            .with_min_face_fraction(min_face_fraction as f32)
            .with_detector_threshold(detector_threshold);
        let limits = Limits {
            max_side: config_max_side(max_side),
            max_pixels,
        };
        let inner =
            biocapture::FaceAssessor::new(config).map_err(|e| errors::to_py("config", &e))?;
        Ok(Self {
            inner: Mutex::new(inner),
            limits,
        })
    }

    /// Assesses an RGB photo: a ``uint8`` array of shape ``(height, width,
    /// 3)``, read in place when C-contiguous, copied once otherwise.
    ///
    /// ``eyes``: the two eye centres ``((x, y), (x, y))`` in any order when
    /// the app's own tracker knows them; detection is then skipped.
    /// No face is not an error: the report's ``face`` is ``None`` and the
    /// verdict ``no_face``. Raises ``ImageError`` for an array it cannot
    /// take, ``ConfigError`` for bad ``eyes``.
    #[pyo3(signature = (image, *, eyes = None))]
    fn assess(
        &self,
        py: Python<'_>,
        image: &Bound<'_, PyAny>,
        eyes: Option<((f64, f64), (f64, f64))>,
    ) -> PyResult<FaceReport> {
        self.run(py, image, 3, eyes_arg(eyes))
    }

    /// Assesses a grey photo: a ``uint8`` array of shape ``(height,
    /// width)`` (colour measures read as neutral). As ``assess``
    /// otherwise.
    #[pyo3(signature = (image, *, eyes = None))]
    fn assess_gray(
        &self,
        py: Python<'_>,
        image: &Bound<'_, PyAny>,
        eyes: Option<((f64, f64), (f64, f64))>,
    ) -> PyResult<FaceReport> {
        self.run(py, image, 1, eyes_arg(eyes))
    }

    fn __repr__(&self) -> String {
        format!(
            "FaceAssessor(max_side={}, max_pixels={})",
            self.limits.max_side, self.limits.max_pixels
        )
    }
}

fn config_max_side(v: i64) -> u32 {
    u32::try_from(v).unwrap_or(u32::MAX)
}

/// Every measurement of one face photo. Frozen; judge it with
/// ``FacePolicy.judge`` (or ``report.verdict()``).
#[pyclass(frozen, module = "biocapture")]
#[derive(Debug, Clone)]
pub(crate) struct FaceReport {
    pub(crate) inner: Arc<biocapture::FaceReport>,
}

#[pymethods]
impl FaceReport {
    /// Image width, px.
    #[getter]
    fn width(&self) -> u32 {
        self.inner.width
    }

    /// Image height, px.
    #[getter]
    fn height(&self) -> u32 {
        self.inner.height
    }

    /// Whether the input was grey (no colour measures).
    #[getter]
    fn gray(&self) -> bool {
        self.inner.gray
    }

    /// Every face the detector found, largest first (empty when the eyes
    /// were supplied).
    #[getter]
    fn detections(&self) -> Vec<Detection> {
        self.inner
            .detections
            .iter()
            .map(|&d| Detection(d))
            .collect()
    }

    /// The subject's measurements, or ``None`` when no face was found.
    #[getter]
    fn face(&self) -> Option<FaceMeasures> {
        self.inner.face.clone().map(FaceMeasures)
    }

    /// The verdict under ``policy`` (default: ``FacePolicy()``, ICAO).
    #[pyo3(signature = (policy = None))]
    fn verdict(&self, policy: Option<&FacePolicy>) -> Verdict {
        let p = policy.map_or_else(biocapture::FacePolicy::icao, |p| p.inner);
        Verdict::new(p.judge(&self.inner))
    }

    /// The command-line tool's JSON line for this report, as a dict: the
    /// same fields, order and values (pixels and angles to 2 decimals,
    /// photometric values to 4) as ``assess face`` prints, without
    /// ``file``, ``ms`` and ``overlay``. ``verdict``, ``reasons`` and
    /// ``hint`` come from ``policy`` (default: ``FacePolicy()``).
    #[pyo3(signature = (policy = None))]
    fn to_dict<'py>(
        &self,
        py: Python<'py>,
        policy: Option<&FacePolicy>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let p = policy.map_or_else(biocapture::FacePolicy::icao, |p| p.inner);
        json::to_py(
            py,
            &biocapture::FaceSummary::new(&self.inner, &p.judge(&self.inner), Lang::En),
        )
    }

    /// The whole report, full precision, as JSON text (the Rust crate's
    /// serde form); ``from_json`` reads it back into an equal report.
    fn to_json(&self) -> PyResult<String> {
        json::to_string(self.inner.as_ref())
    }

    /// Reads a report written by ``to_json``.
    #[staticmethod]
    fn from_json(text: &str) -> PyResult<Self> {
        let r: biocapture::FaceReport = serde_json::from_str(text)
            .map_err(|e| errors::config("text", format!("not a face report: {e}")))?;
        Ok(Self { inner: Arc::new(r) })
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<FaceReport>()
            .is_ok_and(|o| self.inner == o.get().inner)
    }

    fn __repr__(&self) -> String {
        let r = &self.inner;
        match &r.face {
            Some(f) => format!(
                "FaceReport({}x{}, faces={}, ied_px={:.1}, roll_deg={:.1}, eye_line={:.3}, eye_mid_x={:.3})",
                r.width,
                r.height,
                r.detections.len(),
                f.framing.ied_px,
                f.framing.roll_deg,
                f.framing.eye_line_from_bottom,
                f.framing.eye_mid_x
            ),
            None => format!(
                "FaceReport({}x{}, faces={}, face=None)",
                r.width,
                r.height,
                r.detections.len()
            ),
        }
    }
}

/// One face found by the detector.
#[pyclass(frozen, module = "biocapture")]
#[derive(Debug, Clone, Copy)]
pub(crate) struct Detection(biocapture::Detection);

#[pymethods]
impl Detection {
    /// ``(x, y, width, height)`` in image pixels.
    #[getter]
    fn face_box(&self) -> Xywh {
        xywh(self.0.face_box)
    }

    /// The detector's confidence (its own scale; higher is surer).
    #[getter]
    fn score(&self) -> f64 {
        decimal(self.0.score)
    }

    fn __repr__(&self) -> String {
        format!(
            "Detection(face_box={:?}, score={})",
            self.face_box(),
            self.0.score
        )
    }
}

/// Everything measured about the subject's face.
#[pyclass(frozen, module = "biocapture")]
#[derive(Debug, Clone)]
pub(crate) struct FaceMeasures(biocapture::FaceMeasures);

#[pymethods]
impl FaceMeasures {
    /// The subject's face box ``(x, y, width, height)``.
    #[getter]
    fn face_box(&self) -> Xywh {
        xywh(self.0.face_box)
    }

    /// The subject's left eye centre ``(x, y)`` (the one with larger x).
    #[getter]
    fn left_eye(&self) -> Xy {
        xy(self.0.eyes.left)
    }

    /// The subject's right eye centre ``(x, y)``.
    #[getter]
    fn right_eye(&self) -> Xy {
        xy(self.0.eyes.right)
    }

    /// ``"located"`` (found here) or ``"supplied"`` (given by the caller).
    #[getter]
    fn eye_source(&self) -> &'static str {
        match self.0.eye_source {
            biocapture::EyeSource::Supplied => "supplied",
            _ => "located",
        }
    }

    /// IED, roll, yaw, head extent and placement in the frame.
    #[getter]
    fn framing(&self) -> Framing {
        Framing(self.0.framing)
    }

    /// Light, exposure, sharpness, background and colour; ``None`` when the
    /// face region lies outside the image, or the face was found in a
    /// turned view.
    #[getter]
    fn photometric(&self) -> Option<Photometric> {
        self.0.photometric.map(Photometric)
    }

    /// Whether each eye shows, ``(left, right)``, 0..1: the iris's
    /// contrast against the white of the eye over the face's grey spread
    /// (low when a hand, hair or glare covers the eye). ``None`` when the
    /// IED is under 16 px, an eye lies near the image edge, or the face was
    /// found in a turned view.
    #[getter]
    fn eyes_visible(&self) -> Option<(f64, f64)> {
        self.0
            .eyes_visible
            .map(|v| (decimal(v.left), decimal(v.right)))
    }

    /// How open each eye is, ``(left, right)``: the lid aperture over the
    /// eye width as 68-point annotations define it (about 0.3 for an open
    /// eye, under 0.1 for a closed one). ``None`` as for ``eyes_visible``.
    #[getter]
    fn eyes_open(&self) -> Option<(f64, f64)> {
        self.0
            .eyes_open
            .map(|o| (decimal(o.left), decimal(o.right)))
    }

    /// How open the mouth is: the estimated inner-lip gap over the mouth
    /// width, as 68-point annotations define it (about 0 to 0.05 closed,
    /// 0.1 and more with the teeth showing). ``None`` for a grey image, a
    /// face placed from supplied eyes or found in a turned view, or when
    /// the mouth corners were not found or lie near the image edge.
    #[getter]
    fn mouth_opening(&self) -> Option<f64> {
        self.0.mouth.map(|m| decimal(m.opening))
    }

    /// The mouth corners, ``((x, y), (x, y))``, the subject's left (larger
    /// x) first; ``None`` as for ``mouth_opening``.
    #[getter]
    fn mouth_corners(&self) -> Option<((f64, f64), (f64, f64))> {
        self.0.mouth.map(|m| {
            (
                (decimal(m.left.x), decimal(m.left.y)),
                (decimal(m.right.x), decimal(m.right.y)),
            )
        })
    }

    /// The turn (degrees) of the view the face was found in when no
    /// upright face was (a subject lying down); ``None`` for an upright
    /// face. Box, eyes and framing are still in the image's pixels, and
    /// the roll reads the whole circle.
    #[getter]
    fn view_turn_deg(&self) -> Option<f64> {
        self.0.view_turn_deg.map(decimal)
    }

    fn __repr__(&self) -> String {
        format!(
            "FaceMeasures(face_box={:?}, left_eye={:?}, right_eye={:?})",
            self.face_box(),
            self.left_eye(),
            self.right_eye()
        )
    }
}

/// A head-extent point's source as Python reads it.
fn source(s: biocapture::ExtentSource) -> &'static str {
    match s {
        biocapture::ExtentSource::Measured => "measured",
        _ => "proportional",
    }
}

/// Where the face sits in the frame (ISO/IEC 19794-5, ICAO 9303).
#[pyclass(frozen, module = "biocapture")]
#[derive(Debug, Clone, Copy)]
pub(crate) struct Framing(biocapture::Framing);

#[pymethods]
impl Framing {
    /// Inter-eye distance, px.
    #[getter]
    fn ied_px(&self) -> f64 {
        decimal(self.0.ied_px)
    }
    /// Roll of the eye line, degrees (positive: the subject's left eye lower).
    #[getter]
    fn roll_deg(&self) -> f64 {
        decimal(self.0.roll_deg)
    }
    /// Estimated yaw, degrees, or ``None`` when the eyes were supplied.
    #[getter]
    fn yaw_deg(&self) -> Option<f64> {
        self.0.yaw_deg.map(decimal)
    }
    /// Estimated pitch, degrees, positive with the chin up (head tipped
    /// back), from the eye network's nose and mouth points; ``None`` when
    /// the eyes were supplied, the face was found in a turned view or the
    /// network could not read it. Faces differ, so one face's read can be
    /// several degrees off (docs/face.md gives the measured error).
    #[getter]
    fn pitch_deg(&self) -> Option<f64> {
        self.0.pitch_deg.map(decimal)
    }
    /// The eye mid-point ``(x, y)``.
    #[getter]
    fn eye_mid(&self) -> Xy {
        xy(self.0.eye_mid)
    }
    /// Estimated head width, px.
    #[getter]
    fn head_width_px(&self) -> f64 {
        decimal(self.0.head_width_px)
    }
    /// Chin position ``(x, y)``: measured or placed by proportion (see
    /// ``chin_source``).
    #[getter]
    fn chin(&self) -> Xy {
        xy(self.0.chin)
    }
    /// Crown position ``(x, y)``, the top of the head without its hair:
    /// the visible top where it lies below the proportional skull top,
    /// else placed by proportion (see ``crown_source``).
    #[getter]
    fn crown(&self) -> Xy {
        xy(self.0.crown)
    }
    /// Chin-to-crown length, px.
    #[getter]
    fn head_length_px(&self) -> f64 {
        decimal(self.0.head_length_px)
    }
    /// Bounding box ``(x, y, width, height)`` of the estimated head outline.
    #[getter]
    fn head_box(&self) -> Xywh {
        xywh(self.0.head_box)
    }
    /// Eye mid-point height above the bottom over image height (ISO 0.5..0.7).
    #[getter]
    fn eye_line_from_bottom(&self) -> f64 {
        decimal(self.0.eye_line_from_bottom)
    }
    /// Eye mid-point x over image width (ISO 0.45..0.55).
    #[getter]
    fn eye_mid_x(&self) -> f64 {
        decimal(self.0.eye_mid_x)
    }
    /// Head width over image width (ISO 0.5..0.75).
    #[getter]
    fn head_width_ratio(&self) -> f64 {
        decimal(self.0.head_width_ratio)
    }
    /// Chin-to-crown length over image height.
    #[getter]
    fn head_length_ratio(&self) -> f64 {
        decimal(self.0.head_length_ratio)
    }
    /// How far the head outline runs off the image, share of head length.
    #[getter]
    fn head_outside(&self) -> f64 {
        decimal(self.0.head_outside)
    }
    /// ``"measured"`` (the chin read from the jaw's edge) or
    /// ``"proportional"`` (placed from the eyes, the read failed).
    #[getter]
    fn chin_source(&self) -> &'static str {
        source(self.0.chin_source)
    }
    /// ``"measured"`` (the crown, hair included, read from the
    /// head-to-background boundary) or ``"proportional"`` (placed from the
    /// eyes, the read failed).
    #[getter]
    fn crown_source(&self) -> &'static str {
        source(self.0.crown_source)
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        format!(
            "Framing(ied_px={}, roll_deg={}, yaw_deg={}, pitch_deg={}, eye_line_from_bottom={}, eye_mid_x={})",
            self.0.ied_px,
            self.0.roll_deg,
            json::repr(py, self.yaw_deg()),
            json::repr(py, self.pitch_deg()),
            self.0.eye_line_from_bottom,
            self.0.eye_mid_x
        )
    }
}

/// A photometric measurement: its raw value and its OFIQ-style 0..100
/// quality score.
#[pyclass(frozen, module = "biocapture")]
#[derive(Debug, Clone, Copy)]
pub(crate) struct Measure(biocapture::Measure);

#[pymethods]
impl Measure {
    /// The raw value, in the unit of the measure.
    #[getter]
    fn raw(&self) -> f64 {
        decimal(self.0.raw)
    }
    /// Quality 0..100 (higher is better).
    #[getter]
    fn score(&self) -> f64 {
        decimal(self.0.score)
    }
    fn __repr__(&self) -> String {
        format!("Measure(raw={}, score={})", self.0.raw, self.0.score)
    }
}

/// Photometric measures of the face, each raw and as an OFIQ-style score.
#[pyclass(frozen, module = "biocapture")]
#[derive(Debug, Clone, Copy)]
pub(crate) struct Photometric(biocapture::Photometric);

macro_rules! measures {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {
        #[pymethods]
        impl Photometric {
            $(
                $(#[$doc])*
                #[getter]
                fn $name(&self) -> Measure {
                    Measure(self.0.$name)
                }
            )*
            /// The cheeks' mean CIELAB ``(a*, b*)``.
            #[getter]
            fn cheek_ab(&self) -> (f64, f64) {
                (decimal(self.0.cheek_ab[0]), decimal(self.0.cheek_ab[1]))
            }
            fn __repr__(&self) -> String {
                let parts: Vec<String> = vec![$(format!("{}={}", stringify!($name), self.0.$name.raw)),*];
                format!("Photometric({})", parts.join(", "))
            }
        }
    };
}

measures! {
    /// Mean face luminance, linear light 0..1.
    luminance_mean,
    /// Variance of face luminance.
    luminance_variance,
    /// Share of face pixels at luminance 0..=25.
    under_exposure,
    /// Share of face pixels at luminance 247..=255.
    over_exposure,
    /// Entropy of the face luminance histogram, bits.
    dynamic_range,
    /// Sharpness (about 0.9 sharp, under 0.5 blurred).
    sharpness,
    /// Mean background gradient, grey levels per pixel at 32 px IED.
    background_uniformity,
    /// Overlap of the two face halves' luminance histograms, 0..1.
    illumination_uniformity,
    /// CIELAB distance of the cheek colour outside the natural skin box.
    natural_colour,
    /// Shadow level: 5th percentile of face luminance, linear light 0..1
    /// (high when the face is washed out).
    shadow_luminance,
}

policy_class! {
    /// Thresholds that turn a ``FaceReport`` into a ``Verdict``: ISO/IEC
    /// 19794-5 / ICAO 9303 geometry and this crate's photometric limits.
    ///
    /// Every threshold is a keyword argument with its documented default
    /// (the Rust crate's ``FacePolicy::icao()``), validated at construction
    /// (``ConfigError`` naming the field).
    FacePolicy(biocapture::FacePolicy, default = biocapture::FacePolicy::icao(), report = FaceReport)
        signature = (*,
            min_eye_line = 0.5,
            max_eye_line = 0.7,
            min_eye_mid_x = 0.45,
            max_eye_mid_x = 0.55,
            min_head_width_ratio = 0.5,
            max_head_width_ratio = 0.75,
            min_head_length_ratio = 0.6,
            max_head_length_ratio = 0.9,
            min_ied_px = 90.0,
            max_roll_deg = 8.0,
            max_yaw_deg = 12.0,
            min_eye_visibility = 0.1,
            max_head_outside = 0.02,
            multiple_face_area_ratio = 0.35,
            min_luminance_mean = 0.05,
            max_under_exposure = 0.6,
            max_luminance_mean = 0.75,
            max_over_exposure = 0.08,
            min_illumination_uniformity = 0.25,
            min_sharpness = 0.6,
            max_background_gradient = 15.0,
            max_colour_distance = 8.0,
            min_eye_openness = 0.18,
            max_roll_before_rotate_deg = 45.0,
            max_shadow_luminance = 0.3,
            max_mouth_opening = 0.1,
            max_pitch_deg = 15.0,
        )
        text_signature = "(*, min_eye_line=0.5, max_eye_line=0.7, min_eye_mid_x=0.45, max_eye_mid_x=0.55, min_head_width_ratio=0.5, max_head_width_ratio=0.75, min_head_length_ratio=0.6, max_head_length_ratio=0.9, min_ied_px=90.0, max_roll_deg=8.0, max_yaw_deg=12.0, min_eye_visibility=0.1, max_head_outside=0.02, multiple_face_area_ratio=0.35, min_luminance_mean=0.05, max_under_exposure=0.6, max_luminance_mean=0.75, max_over_exposure=0.08, min_illumination_uniformity=0.25, min_sharpness=0.6, max_background_gradient=15.0, max_colour_distance=8.0, min_eye_openness=0.18, max_roll_before_rotate_deg=45.0, max_shadow_luminance=0.3, max_mouth_opening=0.1, max_pitch_deg=15.0)"
    {
        /// Lowest eye line (mid-point height above the bottom over image height).
        min_eye_line: f32 as f64,
        /// Highest eye line.
        max_eye_line: f32 as f64,
        /// Leftmost eye mid-point x over image width.
        min_eye_mid_x: f32 as f64,
        /// Rightmost eye mid-point x over image width.
        max_eye_mid_x: f32 as f64,
        /// Smallest head width over image width.
        min_head_width_ratio: f32 as f64,
        /// Largest head width over image width.
        max_head_width_ratio: f32 as f64,
        /// Smallest chin-to-crown length over image height.
        min_head_length_ratio: f32 as f64,
        /// Largest chin-to-crown length over image height.
        max_head_length_ratio: f32 as f64,
        /// Smallest inter-eye distance, px.
        min_ied_px: f32 as f64,
        /// Largest roll, degrees.
        max_roll_deg: f32 as f64,
        /// Largest estimated yaw, degrees.
        max_yaw_deg: f32 as f64,
        /// Smallest eye visibility (iris against sclera), 0..1.
        min_eye_visibility: f32 as f64,
        /// How far the head outline may run off the image (share of head length).
        max_head_outside: f32 as f64,
        /// A second face at least this share of the subject's box area is another person.
        multiple_face_area_ratio: f32 as f64,
        /// Lowest mean face luminance (linear light, 0..1).
        min_luminance_mean: f32 as f64,
        /// Largest share of face pixels at luminance 0..=25.
        max_under_exposure: f32 as f64,
        /// Highest mean face luminance (linear light).
        max_luminance_mean: f32 as f64,
        /// Largest share of face pixels at luminance 247..=255.
        max_over_exposure: f32 as f64,
        /// Smallest overlap of the two face halves' luminance histograms.
        min_illumination_uniformity: f32 as f64,
        /// Smallest sharpness.
        min_sharpness: f32 as f64,
        /// Largest mean background gradient, grey levels per pixel at 32 px IED.
        max_background_gradient: f32 as f64,
        /// Largest CIELAB distance of the cheek colour outside the skin box.
        max_colour_distance: f32 as f64,
        /// Smallest eye openness (the more open eye's lid aperture over its width), 0..1.
        min_eye_openness: f32 as f64,
        /// Roll, degrees, past which the verdict is ``rotate_image`` alone.
        max_roll_before_rotate_deg: f32 as f64,
        /// Highest shadow level (5th percentile of face luminance, linear
        /// light); above it the face is washed out: ``too_bright``.
        max_shadow_luminance: f32 as f64,
        /// Largest mouth opening (estimated inner-lip gap over mouth
        /// width); above it the mouth counts as open: ``mouth_open``.
        max_mouth_opening: f32 as f64,
        /// Largest estimated pitch, degrees (head tipped back or
        /// forward); past it: ``head_pitched``.
        max_pitch_deg: f32 as f64,
    }
}

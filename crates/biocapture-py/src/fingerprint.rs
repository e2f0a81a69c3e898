//! Fingerprints: the assessor, the report and its parts, the policy.

use crate::arrays::{self, Limits};
use crate::errors;
use crate::json;
use crate::policy::policy_class;
use crate::profile::SensorProfile;
use crate::verdict::Verdict;
use biocapture::{Analysis, GrayView};
use ndarray::Array2;
use numpy::{Element, PyArray2};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use std::sync::{Arc, Mutex};

/// `v` as the shortest decimal that reads back as the same `f32` (what the
/// Rust crate's JSON prints), in an `f64`.
pub(crate) fn decimal(v: f32) -> f64 {
    if !v.is_finite() {
        return f64::from(v);
    }
    format!("{v}").parse().unwrap_or(f64::from(v))
}

/// A block map as a read-only numpy array (a copy: the report stays
/// unchanged whatever is done with it).
pub(crate) fn map<'py, T: Element + Clone>(
    py: Python<'py>,
    a: &Array2<T>,
) -> PyResult<Bound<'py, PyAny>> {
    let arr = PyArray2::from_array(py, a).into_any();
    arr.getattr("flags")?.setattr("writeable", false)?;
    Ok(arr)
}

fn int_arg(name: &str, v: i64) -> PyResult<u32> {
    u32::try_from(v).map_err(|_| {
        errors::config(
            name,
            format!("must be a whole number in 0..=4294967295, got {v}"),
        )
    })
}

fn ppi_arg(v: i64) -> PyResult<u32> {
    let ppi = u32::try_from(v).map_err(|_| {
        errors::config(
            "ppi",
            format!(
                "resolution {v} ppi is outside the supported range {}..={} ppi",
                biocapture::MIN_PPI,
                biocapture::MAX_PPI
            ),
        )
    })?;
    arrays::check_ppi(ppi)
}

/// Assesses fingerprint images: 8-bit grey numpy arrays of shape
/// ``(height, width)``, dark ridges on lighter valleys.
///
/// ``ppi`` is the capture resolution (300..=1200; other resolutions are
/// resampled to 500 ppi so every measure means the same). ``profile`` is a
/// ``SensorProfile`` of the scanner (``None``: the built-in generic one).
/// ``analysis`` is ``"full"`` or ``"clarity_only"`` (clarity, foreground and
/// block maps only; moisture and smudge stay neutral). ``min_side`` (at
/// 500 ppi), ``max_side`` and ``max_pixels`` bound the accepted sizes;
/// anything outside is an ``ImageError`` before any allocation.
///
/// Keep one assessor per thread or capture loop: it owns its scratch
/// buffers. ``assess`` releases the GIL while it works, so threads with
/// their own assessors run in parallel; calls that share one assessor are
/// serialised.
#[pyclass(frozen, module = "biocapture")]
pub(crate) struct FingerprintAssessor {
    inner: Mutex<biocapture::FingerprintAssessor>,
    ppi: u32,
    limits: Limits,
    profile: Option<biocapture::SensorProfile>,
    analysis: Analysis,
}

#[pymethods]
impl FingerprintAssessor {
    #[new]
    #[pyo3(signature = (ppi = 500, profile = None, *, analysis = "full", min_side = 32, max_side = 8192, max_pixels = 16_000_000))]
    fn new(
        ppi: i64,
        profile: Option<&SensorProfile>,
        analysis: &str,
        min_side: i64,
        max_side: i64,
        max_pixels: i64,
    ) -> PyResult<Self> {
        let ppi = ppi_arg(ppi)?;
        let analysis = match analysis {
            "full" => Analysis::Full,
            "clarity_only" => Analysis::ClarityOnly,
            other => {
                return Err(errors::config(
                    "analysis",
                    format!("expected \"full\" or \"clarity_only\", got {other:?}"),
                ))
            }
        };
        let max_pixels = u64::try_from(max_pixels).map_err(|_| {
            errors::config(
                "max_pixels",
                format!("must not be negative, got {max_pixels}"),
            )
        })?;
        let mut config = biocapture::FingerprintConfig::default()
            .with_analysis(analysis)
            .with_min_side(int_arg("min_side", min_side)?)
            .with_max_side(int_arg("max_side", max_side)?)
            .with_max_pixels(max_pixels);
        let profile = profile.map(|p| p.inner.clone());
        if let Some(p) = &profile {
            config = config.with_profile(p.clone());
        }
        let limits = Limits {
            max_side: config.max_side(),
            max_pixels: config.max_pixels(),
        };
        let inner = biocapture::FingerprintAssessor::new(config).map_err(|e| match e {
            biocapture::Error::InvalidConfig { .. } => errors::to_py("config", &e),
            e => errors::to_py("profile", &e),
        })?;
        Ok(Self {
            inner: Mutex::new(inner),
            ppi,
            limits,
            profile,
            analysis,
        })
    }

    /// Measures one print.
    ///
    /// ``image``: a ``uint8`` array of shape ``(height, width)``; read in
    /// place when C-contiguous, copied once otherwise (Fortran order,
    /// slices with steps, negative strides). ``ppi`` overrides the
    /// assessor's resolution for this image. The GIL is released while
    /// assessing.
    ///
    /// Raises ``ImageError`` (wrong type, dtype or shape; empty, too small
    /// or too large) and ``ConfigError`` (``ppi`` out of range). A blank or
    /// poor print is not an error: judge the report with a
    /// ``FingerprintPolicy``.
    #[pyo3(signature = (image, *, ppi = None))]
    fn assess(
        &self,
        py: Python<'_>,
        image: &Bound<'_, PyAny>,
        ppi: Option<i64>,
    ) -> PyResult<FingerprintReport> {
        let ppi = match ppi {
            Some(p) => ppi_arg(p)?,
            None => self.ppi,
        };
        let img = arrays::image(image, "image", 1, self.limits)?;
        let (bytes, w, h) = (img.bytes(), img.width, img.height);
        let result = py.detach(|| {
            let view = GrayView::new(bytes, w, h, w as usize)?.with_ppi(ppi);
            let mut assessor = self.inner.lock().unwrap_or_else(|p| p.into_inner());
            assessor.assess(view)
        });
        match result {
            Ok(r) => Ok(FingerprintReport { inner: Arc::new(r) }),
            Err(e) => Err(errors::to_py("image", &e)),
        }
    }

    /// Whether ``image`` would be read in place (``True``) or copied once
    /// (``False``) by ``assess``; raises as ``assess`` does for an array it
    /// cannot take.
    fn reads_in_place(&self, image: &Bound<'_, PyAny>) -> PyResult<bool> {
        Ok(arrays::image(image, "image", 1, self.limits)?.is_borrowed())
    }

    /// The default capture resolution, ppi.
    #[getter]
    fn ppi(&self) -> u32 {
        self.ppi
    }

    /// The sensor profile given, or ``None`` (the generic one is used).
    #[getter]
    fn profile(&self) -> Option<SensorProfile> {
        self.profile.clone().map(|inner| SensorProfile { inner })
    }

    /// ``"full"`` or ``"clarity_only"``.
    #[getter]
    fn analysis(&self) -> &'static str {
        match self.analysis {
            Analysis::ClarityOnly => "clarity_only",
            _ => "full",
        }
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        format!(
            "FingerprintAssessor(ppi={}, profile={}, analysis={})",
            self.ppi,
            json::repr(py, self.profile.as_ref().map(|p| p.name.as_str())),
            json::repr(py, self.analysis())
        )
    }
}

/// Everything measured on one fingerprint image. Frozen; judge it with
/// ``FingerprintPolicy.judge`` (or ``report.verdict()``).
///
/// Scalars are plain floats, printed as the Rust crate's JSON prints them;
/// block maps are read-only numpy arrays on one grid of 16 px blocks (at
/// 500 ppi), ``shape == blocks.shape``.
#[pyclass(frozen, module = "biocapture")]
#[derive(Debug, Clone)]
pub(crate) struct FingerprintReport {
    pub(crate) inner: Arc<biocapture::FingerprintReport>,
}

impl PartialEq for FingerprintReport {
    fn eq(&self, other: &Self) -> bool {
        self.inner == other.inner
    }
}

#[pymethods]
impl FingerprintReport {
    /// Input width, px.
    #[getter]
    fn width(&self) -> u32 {
        self.inner.width
    }

    /// Input height, px.
    #[getter]
    fn height(&self) -> u32 {
        self.inner.height
    }

    /// Capture resolution, ppi.
    #[getter]
    fn ppi(&self) -> u32 {
        self.inner.ppi
    }

    /// Block side in input pixels (16 px at 500 ppi, scaled).
    #[getter]
    fn block_px(&self) -> f64 {
        decimal(self.inner.block_px)
    }

    /// The headline clarity score, 0..100: 100 minus the print's expected
    /// false non-match rate in per cent (width-balanced block quality,
    /// open valleys and the worst quarter's quality; see the crate docs).
    #[getter]
    fn clarity(&self) -> f64 {
        decimal(self.inner.clarity)
    }

    /// Foreground-weighted mean of block quality, 0..100.
    #[getter]
    fn mean_block_quality(&self) -> f64 {
        decimal(self.inner.mean_block_quality)
    }

    /// Median ridge period over the foreground, px at 500 ppi (0 if none).
    #[getter]
    fn ridge_period(&self) -> f64 {
        decimal(self.inner.ridge_period)
    }

    /// Median ridge-to-valley grey amplitude over the foreground.
    #[getter]
    fn ridge_contrast(&self) -> f64 {
        decimal(self.inner.ridge_contrast)
    }

    /// Name of the sensor profile the moisture was read against, or
    /// ``None`` for the built-in generic one.
    #[getter]
    fn sensor_profile(&self) -> Option<&str> {
        self.inner.sensor_profile.as_deref()
    }

    /// NFIQ 2's actionable values (grey sigma, mean grey, foreground px).
    #[getter]
    fn actionable(&self) -> Actionable {
        Actionable(self.inner.actionable)
    }

    /// Where the finger touched.
    #[getter]
    fn foreground(&self) -> Foreground {
        Foreground(self.inner.clone())
    }

    /// The per-block measurement maps.
    #[getter]
    fn blocks(&self) -> BlockMaps {
        BlockMaps(self.inner.clone())
    }

    /// Per-block quality 0..100 (``uint8``; 0 for background).
    #[getter]
    fn quality_map<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        map(py, &self.inner.quality_map)
    }

    /// Moisture: too wet, too dry or normal.
    #[getter]
    fn moisture(&self) -> Moisture {
        Moisture(self.inner.clone())
    }

    /// Smudge, motion blur and sensor residue.
    #[getter]
    fn smudge(&self) -> Smudge {
        Smudge(self.inner.clone())
    }

    /// The verdict under ``policy`` (default: ``FingerprintPolicy()``).
    #[pyo3(signature = (policy = None))]
    fn verdict(&self, policy: Option<&FingerprintPolicy>) -> Verdict {
        let p = policy.map_or_else(biocapture::FingerprintPolicy::default, |p| p.inner);
        Verdict::new(p.judge(&self.inner))
    }

    /// The command-line tool's JSON line for this report, as a dict: the
    /// same field names, order and values (rounded to 4 decimals) as
    /// ``assess fingerprint`` prints, without ``file`` and ``ms``.
    /// ``verdict``, ``reasons`` and ``smudge.detected`` come from ``policy``
    /// (default: ``FingerprintPolicy()``, as the tool uses).
    #[pyo3(signature = (policy = None))]
    fn to_dict<'py>(
        &self,
        py: Python<'py>,
        policy: Option<&FingerprintPolicy>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let p = policy.map_or_else(biocapture::FingerprintPolicy::default, |p| p.inner);
        json::to_py(
            py,
            &biocapture::FingerprintSummary::new(&self.inner, &p.judge(&self.inner)),
        )
    }

    /// The whole report (every measure and block map, full precision) as
    /// JSON text: the Rust crate's serde form. ``from_json`` reads it back
    /// into an equal report.
    fn to_json(&self) -> PyResult<String> {
        json::to_string(self.inner.as_ref())
    }

    /// Reads a report written by ``to_json`` (or by the Rust crate's serde
    /// support), e.g. to judge stored reports again.
    #[staticmethod]
    fn from_json(text: &str) -> PyResult<Self> {
        let r: biocapture::FingerprintReport = serde_json::from_str(text)
            .map_err(|e| errors::config("text", format!("not a fingerprint report: {e}")))?;
        Ok(Self { inner: Arc::new(r) })
    }

    /// A copy whose moisture is read again against ``profile``, without
    /// the pixels (a stored report judged against a profile learned later).
    fn apply_profile(&self, profile: &SensorProfile) -> Self {
        let mut r = self.inner.as_ref().clone();
        r.apply_profile(&profile.inner);
        Self { inner: Arc::new(r) }
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<FingerprintReport>()
            .is_ok_and(|o| *self == *o.get())
    }

    fn __repr__(&self) -> String {
        let r = &self.inner;
        format!(
            "FingerprintReport({}x{} @ {} ppi, clarity={:.2}, moisture={:+.3} ({}), smudge={:.3}, motion_blur={:.3}, foreground={:.3})",
            r.width,
            r.height,
            r.ppi,
            r.clarity,
            r.moisture.index,
            r.moisture.class.as_str(),
            r.smudge.largest_patch,
            r.smudge.motion_blur,
            r.foreground.fraction
        )
    }
}

/// NFIQ 2's actionable values (ISO/IEC 29794-4).
#[pyclass(frozen, module = "biocapture")]
#[derive(Debug, Clone, Copy)]
pub(crate) struct Actionable(biocapture::Actionable);

#[pymethods]
impl Actionable {
    /// Standard deviation of all grey values (uniform image below 1).
    #[getter]
    fn grey_sigma(&self) -> f64 {
        decimal(self.0.grey_sigma)
    }

    /// Mean of all grey values (empty or too light above 250).
    #[getter]
    fn mean_grey(&self) -> f64 {
        decimal(self.0.mean_grey)
    }

    /// Foreground area in px at 500 ppi (NFIQ 2 flags below 50 000).
    #[getter]
    fn foreground_px(&self) -> u64 {
        self.0.foreground_px
    }

    fn __repr__(&self) -> String {
        format!(
            "Actionable(grey_sigma={}, mean_grey={}, foreground_px={})",
            self.0.grey_sigma, self.0.mean_grey, self.0.foreground_px
        )
    }
}

/// Where the finger touched.
#[pyclass(frozen, module = "biocapture")]
#[derive(Debug, Clone)]
pub(crate) struct Foreground(Arc<biocapture::FingerprintReport>);

#[pymethods]
impl Foreground {
    /// Foreground blocks (``bool``, block grid): ridges of a finger.
    #[getter]
    fn mask<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        map(py, &self.0.foreground.mask)
    }

    /// Contact blocks (``bool``): the foreground plus the wet blobs next
    /// to it.
    #[getter]
    fn contact<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        map(py, &self.0.foreground.contact)
    }

    /// Foreground area in input pixels.
    #[getter]
    fn area_px(&self) -> u64 {
        self.0.foreground.area_px
    }

    /// Foreground area in pixels at 500 ppi.
    #[getter]
    fn area_px_500(&self) -> u64 {
        self.0.foreground.area_px_500
    }

    /// Foreground share of the image, 0..1.
    #[getter]
    fn fraction(&self) -> f64 {
        decimal(self.0.foreground.fraction)
    }

    /// Bounding box ``(x, y, width, height)`` in input pixels, or ``None``
    /// when there is no foreground.
    #[getter]
    fn bbox(&self) -> Option<(u32, u32, u32, u32)> {
        self.0
            .foreground
            .bbox
            .map(|b| (b.x, b.y, b.width, b.height))
    }

    /// Centroid ``(x, y)`` in input pixels, or ``None``.
    #[getter]
    fn centroid(&self) -> Option<(f64, f64)> {
        self.0
            .foreground
            .centroid
            .map(|(x, y)| (decimal(x), decimal(y)))
    }

    /// Share of the blocks along each edge (left, top, right, bottom) that
    /// are foreground, 0..1.
    #[getter]
    fn border_touch(&self) -> (f64, f64, f64, f64) {
        let t = self.0.foreground.border_touch.map(decimal);
        (t[0], t[1], t[2], t[3])
    }

    /// ``True`` when the foreground reaches any image edge.
    #[getter]
    fn touches_border(&self) -> bool {
        self.0.foreground.touches_border()
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        let f = &self.0.foreground;
        format!(
            "Foreground(fraction={}, area_px={}, bbox={})",
            f.fraction,
            f.area_px,
            json::repr(py, self.bbox())
        )
    }
}

/// Per-block measurement maps (``float32``), all on the quality map's grid.
/// ``orientation``, ``coherence``, ``gradient``, ``mean`` and ``std_dev``
/// are measured on every block; the ridge measures only on the foreground
/// (0 elsewhere).
#[pyclass(frozen, module = "biocapture")]
#[derive(Debug, Clone)]
pub(crate) struct BlockMaps(Arc<biocapture::FingerprintReport>);

macro_rules! block_maps {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {
        #[pymethods]
        impl BlockMaps {
            $(
                $(#[$doc])*
                #[getter]
                fn $name<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
                    map(py, &self.0.blocks.$name)
                }
            )*

            /// The map names, in order.
            #[classattr]
            fn names() -> Vec<&'static str> {
                vec![$(stringify!($name)),*]
            }

            /// ``(rows, cols)`` of the block grid.
            #[getter]
            fn shape(&self) -> (usize, usize) {
                self.0.quality_map.dim()
            }

            /// Every map by name.
            fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
                let d = PyDict::new(py);
                $(d.set_item(stringify!($name), self.$name(py)?)?;)*
                Ok(d)
            }

            fn __repr__(&self) -> String {
                let (r, c) = self.shape();
                format!("BlockMaps({r}x{c} blocks: {})", Self::names().join(", "))
            }
        }
    };
}

block_maps! {
    /// Ridge direction in radians, 0..pi (0 = horizontal ridges, y down).
    orientation,
    /// Orientation certainty 0..1 (structure tensor).
    coherence,
    /// RMS grey gradient of the block's window, grey levels per pixel.
    gradient,
    /// Ridge period in px at 500 ppi (0 = none found).
    period,
    /// Local clarity 0..1 (ridge/valley separation along the ridge normal).
    clarity,
    /// Mean ridge width in px at 500 ppi.
    ridge_width,
    /// Mean valley width in px at 500 ppi.
    valley_width,
    /// Share of the ridge profile darker than its mid range (0.5 = ridges as wide as valleys).
    dark_share,
    /// Where the grey varies along the ridges, -1..1.
    texture,
    /// Gaps along the ridges, 0..1 (dry skin).
    ridge_gaps,
    /// Bridges across the valleys, 0..1 (sweat).
    valley_bridges,
    /// Mean grey of the block's window.
    mean,
    /// Grey standard deviation of the block's window.
    std_dev,
    /// Ridge-to-valley grey amplitude of the block's profile.
    amplitude,
}

macro_rules! f32_getters {
    ($ty:ident, $path:ident { $($(#[$doc:meta])* $name:ident),* $(,)? } $($extra:tt)*) => {
        #[pymethods]
        impl $ty {
            $(
                $(#[$doc])*
                #[getter]
                fn $name(&self) -> f64 {
                    decimal(self.0.$path.$name)
                }
            )*
            $($extra)*
        }
    };
}

/// How wet or dry the finger was.
#[pyclass(frozen, module = "biocapture")]
#[derive(Debug, Clone)]
pub(crate) struct Moisture(Arc<biocapture::FingerprintReport>);

f32_getters!(Moisture, moisture {
    /// -1 (very dry) .. 0 (normal) .. +1 (very wet).
    index,
    /// Gaps along the ridges over the contact area, 0..1 (dry evidence).
    ridge_gaps,
    /// Bridges across the valleys over the contact area, 0..1.
    valley_bridges,
    /// Share of the contact area whose valleys are closed (wet evidence).
    bridged_fraction,
    /// How much of the ridge period the ridges fill (read by a learned profile only).
    ridge_fill,
    /// Ridge duty over the contact area (0.5 = ridges as wide as valleys).
    ridge_duty,
    /// Where the grey varies along the ridges over the contact area, -1..1.
    ridge_texture,
    /// Share of the contact area that is wet blobs.
    wet_blob_fraction,
    /// Share of the contact area that is dry fragments.
    dry_fragment_fraction,
}
    /// ``"dry"``, ``"normal"`` or ``"wet"`` (``class`` is a Python keyword).
    #[getter]
    fn class_(&self) -> &'static str {
        self.0.moisture.class.as_str()
    }

    /// How far into its class the index lies: ``"minor"``, ``"major"``,
    /// ``"critical"``, or ``None`` when normal.
    #[getter]
    fn severity(&self) -> Option<&'static str> {
        self.0.moisture.severity.map(|s| s.as_str())
    }

    /// Blocks of contact area the measures were taken over (0: no reading).
    #[getter]
    fn contact_blocks(&self) -> usize {
        self.0.moisture.contact_blocks
    }

    /// Per-block moisture, -1 (dry) .. +1 (wet), 0 outside the contact.
    #[getter]
    fn map<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        map(py, &self.0.moisture.map)
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        let m = &self.0.moisture;
        format!(
            "Moisture(index={}, class_={}, ridge_gaps={}, bridged_fraction={})",
            m.index,
            json::repr(py, m.class.as_str()),
            m.ridge_gaps,
            m.bridged_fraction
        )
    }
);

/// Smudge, motion blur and sensor residue.
#[pyclass(frozen, module = "biocapture")]
#[derive(Debug, Clone)]
pub(crate) struct Smudge(Arc<biocapture::FingerprintReport>);

f32_getters!(Smudge, smudge {
    /// Share of the contact area whose ridge structure is smeared, 0..1.
    fraction,
    /// The largest connected smeared patch, as a share of the contact, 0..1.
    largest_patch,
    /// Directional blur, 0..1 (a finger that slid).
    motion_blur,
    /// Share of the visible platen showing a latent print, 0..1.
    residue_fraction,
}
    /// Direction of the slide, radians 0..pi, or ``None``.
    #[getter]
    fn motion_angle(&self) -> Option<f64> {
        self.0.smudge.motion_angle.map(decimal)
    }

    /// Per-block smudge evidence 0..1.
    #[getter]
    fn map<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        map(py, &self.0.smudge.map)
    }

    fn __repr__(&self) -> String {
        let s = &self.0.smudge;
        format!(
            "Smudge(fraction={}, largest_patch={}, motion_blur={}, residue_fraction={})",
            s.fraction, s.largest_patch, s.motion_blur, s.residue_fraction
        )
    }
);

policy_class! {
    /// Thresholds that turn a ``FingerprintReport`` into a ``Verdict``.
    ///
    /// Every threshold is a keyword argument with its documented default
    /// (the Rust crate's ``FingerprintPolicy::default()``); values are
    /// validated at construction (``ConfigError`` naming the field). Judge
    /// stored reports again under other thresholds without the pixels.
    FingerprintPolicy(biocapture::FingerprintPolicy, default = biocapture::FingerprintPolicy::default(), report = FingerprintReport)
        signature = (*,
            min_grey_sigma = 1.0,
            max_mean_grey = 250.0,
            min_foreground_fraction = 0.03,
            min_ridge_contrast = 30.0,
            min_foreground_px = 25000,
            partial_edge_touch = 0.3,
            partial_offset = 0.12,
            max_center_offset = 0.2,
            min_clarity = 40.0,
            wet_index = 0.28,
            dry_index = -0.35,
            max_smear_patch = 0.025,
            max_smear_fraction = 0.06,
            max_motion_blur = 0.23,
            max_residue_fraction = 0.02,
        )
        text_signature = "(*, min_grey_sigma=1.0, max_mean_grey=250.0, min_foreground_fraction=0.03, min_ridge_contrast=30.0, min_foreground_px=25000, partial_edge_touch=0.3, partial_offset=0.12, max_center_offset=0.2, min_clarity=40.0, wet_index=0.28, dry_index=-0.35, max_smear_patch=0.025, max_smear_fraction=0.06, max_motion_blur=0.23, max_residue_fraction=0.02)"
    {
        /// ``no_finger`` when the grey standard deviation is below this (NFIQ 2's uniform image).
        min_grey_sigma: f32 as f64,
        /// Mean grey above this: ``no_finger`` without ridges, ``low_contrast`` with them.
        max_mean_grey: f32 as f64,
        /// ``no_finger`` when less than this share of the image is foreground.
        min_foreground_fraction: f32 as f64,
        /// ``low_contrast`` when the median ridge-to-valley amplitude is below this (grey levels).
        min_ridge_contrast: f32 as f64,
        /// ``too_small_area`` when the foreground is smaller than this, px at 500 ppi.
        min_foreground_px: u64 as i64,
        /// An image edge cuts the print when at least this share of its blocks are foreground.
        partial_edge_touch: f32 as f64,
        /// ``partial_print`` when cut by an edge and the centroid moved towards it by more than this share.
        partial_offset: f32 as f64,
        /// ``off_center`` when the centroid lies further than this share of the size from the centre.
        max_center_offset: f32 as f64,
        /// ``low_clarity`` when the clarity score is below this.
        min_clarity: f32 as f64,
        /// ``too_wet`` when the moisture index is at or above this.
        wet_index: f32 as f64,
        /// ``too_dry`` when the moisture index is at or below this.
        dry_index: f32 as f64,
        /// ``smudged`` when the largest smeared patch covers at least this share of the contact.
        max_smear_patch: f32 as f64,
        /// ... or when the smeared tiles cover at least this share of it.
        max_smear_fraction: f32 as f64,
        /// ``motion_blur`` when the directional blur is at least this.
        max_motion_blur: f32 as f64,
        /// ``sensor_residue`` when at least this share of the visible platen shows latent ridges.
        max_residue_fraction: f32 as f64,
    }
}

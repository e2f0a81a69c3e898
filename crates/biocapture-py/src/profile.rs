//! Sensor profiles: a scanner's normal rendering of the moisture measures,
//! learned from its own captures, kept as JSON.

use crate::errors;
use crate::fingerprint::FingerprintReport;
use crate::json;
use pyo3::prelude::*;

/// One scanner's normal rendering of the moisture measures.
///
/// Learn one from about twenty unlabelled captures of the device
/// (``SensorProfile.learn``), keep it as JSON (``save``/``load``), and give
/// it to ``FingerprintAssessor(profile=...)``: the moisture evidence is then
/// read against the device's own normal. ``SensorProfile.generic()`` is the
/// built-in default used when no profile is given. The JSON form is the
/// Rust crate's (``examples/calibrate`` writes the same files).
#[pyclass(frozen, eq, module = "biocapture")]
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SensorProfile {
    pub(crate) inner: biocapture::SensorProfile,
}

fn parse(arg: &str, text: &str) -> PyResult<biocapture::SensorProfile> {
    let p: biocapture::SensorProfile = serde_json::from_str(text)
        .map_err(|e| errors::profile(arg, format!("not a sensor profile: {e}")))?;
    p.validate().map_err(|e| errors::profile(arg, e))?;
    Ok(p)
}

#[pymethods]
impl SensorProfile {
    /// The profile used when none is given: normal values at the top of
    /// the known sensors' range, so that an uncalibrated sensor is rarely
    /// flagged.
    #[staticmethod]
    fn generic() -> Self {
        Self {
            inner: biocapture::SensorProfile::generic(),
        }
    }

    /// Learns a profile named ``name`` from reports of one device's
    /// captures (assessed with any profile). Reports with no finger are
    /// skipped; at least 12 usable ones are needed (``ProfileError``
    /// otherwise).
    #[staticmethod]
    #[pyo3(signature = (name, reports))]
    fn learn(name: String, reports: &Bound<'_, PyAny>) -> PyResult<Self> {
        let mut held = Vec::new();
        for item in reports
            .try_iter()
            .map_err(|_| errors::profile("reports", "expected an iterable of FingerprintReport"))?
        {
            let item = item?;
            let r = item.cast::<FingerprintReport>().map_err(|_| {
                errors::profile(
                    "reports",
                    format!(
                        "expected FingerprintReport items, got {}",
                        item.get_type()
                            .name()
                            .map(|n| n.to_string())
                            .unwrap_or_default()
                    ),
                )
            })?;
            held.push(r.get().inner.clone());
        }
        let inner = biocapture::SensorProfile::learn(name, held.iter().map(|r| r.as_ref()))
            .map_err(|e| errors::to_py("reports", &e))?;
        Ok(Self { inner })
    }

    /// Reads a profile from its JSON text and validates it.
    #[staticmethod]
    fn from_json(text: &str) -> PyResult<Self> {
        Ok(Self {
            inner: parse("text", text)?,
        })
    }

    /// Reads a profile from a JSON file and validates it (``OSError`` when
    /// the file cannot be read, ``ProfileError`` when it is not a valid
    /// profile).
    #[staticmethod]
    fn load(path: std::path::PathBuf) -> PyResult<Self> {
        let text = std::fs::read_to_string(&path).map_err(|e| {
            PyErr::from(std::io::Error::new(
                e.kind(),
                format!("{}: {e}", path.display()),
            ))
        })?;
        Ok(Self {
            inner: parse("path", &text)?,
        })
    }

    /// The profile as JSON text (one line).
    fn to_json(&self) -> PyResult<String> {
        json::to_string(&self.inner)
    }

    /// Writes the profile to ``path`` as indented JSON.
    fn save(&self, path: std::path::PathBuf) -> PyResult<()> {
        let text = serde_json::to_string_pretty(&self.inner)
            .map_err(|e| pyo3::exceptions::PyRuntimeError::new_err(e.to_string()))?;
        std::fs::write(&path, text + "\n").map_err(|e| {
            PyErr::from(std::io::Error::new(
                e.kind(),
                format!("{}: {e}", path.display()),
            ))
        })
    }

    /// The profile as a dict (the JSON form).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json::to_py(py, &self.inner)
    }

    /// Free text naming the device (``"generic"`` for the built-in one).
    #[getter]
    fn name(&self) -> &str {
        &self.inner.name
    }

    /// Format version.
    #[getter]
    fn version(&self) -> u32 {
        self.inner.version
    }

    /// How many captures it was learned from (0 for the built-in one).
    #[getter]
    fn captures(&self) -> u32 {
        self.inner.captures
    }

    /// Normal ridge gaps: ``{"typical", "spread", "dead_zone", "margin"}``
    /// (dry past ``typical + dead_zone + margin``).
    #[getter]
    fn ridge_gaps<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json::to_py(py, &self.inner.ridge_gaps)
    }

    /// Normal bridged fraction, as ``ridge_gaps`` (wet past its threshold).
    #[getter]
    fn bridged_fraction<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json::to_py(py, &self.inner.bridged_fraction)
    }

    /// Normal ridge fill (two-sided), or ``None`` (the generic profile).
    #[getter]
    fn ridge_fill<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json::to_py(py, &self.inner.ridge_fill)
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        format!(
            "SensorProfile(name={}, captures={}, version={})",
            json::repr(py, self.inner.name.as_str()),
            self.inner.captures,
            self.inner.version
        )
    }
}

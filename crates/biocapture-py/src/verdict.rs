//! Verdicts and findings, shared by both modalities.

use crate::errors;
use biocapture::{Lang, Reason};
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// Reads a `lang` argument.
pub(crate) fn lang(code: &str) -> PyResult<Lang> {
    match code {
        "en" => Ok(Lang::En),
        "vi" => Ok(Lang::Vi),
        other => Err(errors::config(
            "lang",
            format!("expected \"en\" or \"vi\", got {other:?}"),
        )),
    }
}

/// The outcome of judging a report: ``"pass"`` or ``"retake"``, with every
/// reason that applies, most actionable first.
///
/// Made by ``FingerprintPolicy.judge`` and ``FacePolicy.judge``; frozen.
#[pyclass(frozen, eq, module = "biocapture")]
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Verdict {
    pub(crate) inner: biocapture::Verdict,
}

impl Verdict {
    pub(crate) fn new(inner: biocapture::Verdict) -> Self {
        Self { inner }
    }
}

#[pymethods]
impl Verdict {
    /// ``"pass"`` or ``"retake"``.
    #[getter]
    fn decision(&self) -> &'static str {
        self.inner.decision.as_str()
    }

    /// ``True`` when the decision is ``"pass"``.
    #[getter]
    fn passed(&self) -> bool {
        self.inner.is_pass()
    }

    /// The reasons' stable snake_case codes (e.g. ``"too_wet"``), most
    /// actionable first; empty on a pass.
    #[getter]
    fn reasons(&self) -> Vec<&'static str> {
        self.inner.codes()
    }

    /// Every finding (reason, severity, hints), most actionable first.
    #[getter]
    fn findings(&self) -> Vec<Finding> {
        self.inner.findings.iter().map(|&f| Finding(f)).collect()
    }

    /// The operator hint of every finding, in ``lang`` (``"en"`` or
    /// ``"vi"``).
    #[pyo3(signature = (lang = "en"))]
    fn hints(&self, lang: &str) -> PyResult<Vec<&'static str>> {
        let l = self::lang(lang)?;
        Ok(self
            .inner
            .findings
            .iter()
            .map(|f| f.reason.hint(l))
            .collect())
    }

    /// The first (most actionable) finding's hint in ``lang``, or ``None``
    /// on a pass.
    #[pyo3(signature = (lang = "en"))]
    fn first_hint(&self, lang: &str) -> PyResult<Option<&'static str>> {
        Ok(self.inner.first_hint(self::lang(lang)?))
    }

    /// ``{"decision", "reasons", "findings": [{"reason", "severity",
    /// "hint": {"en", "vi"}}]}``.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("decision", self.decision())?;
        d.set_item("reasons", self.reasons())?;
        let findings = self
            .findings()
            .into_iter()
            .map(|f| f.to_dict(py))
            .collect::<PyResult<Vec<_>>>()?;
        d.set_item("findings", findings)?;
        Ok(d)
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        format!(
            "Verdict(decision={}, reasons={})",
            crate::json::repr(py, self.decision()),
            crate::json::repr(py, self.reasons())
        )
    }

    fn __len__(&self) -> usize {
        self.inner.findings.len()
    }
}

/// One reason found in a capture: its code, how far past its threshold the
/// measurement is, and what the operator should do.
#[pyclass(frozen, eq, module = "biocapture")]
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Finding(biocapture::Finding);

#[pymethods]
impl Finding {
    /// The stable snake_case code, e.g. ``"too_wet"``.
    #[getter]
    fn reason(&self) -> &'static str {
        self.0.reason.code()
    }

    /// ``"minor"``, ``"major"`` or ``"critical"``.
    #[getter]
    fn severity(&self) -> &'static str {
        self.0.severity.as_str()
    }

    /// The operator hint in English.
    #[getter]
    fn hint_en(&self) -> &'static str {
        self.0.reason.hint(Lang::En)
    }

    /// The operator hint in Vietnamese.
    #[getter]
    fn hint_vi(&self) -> &'static str {
        self.0.reason.hint(Lang::Vi)
    }

    /// The operator hint in ``lang`` (``"en"`` or ``"vi"``).
    #[pyo3(signature = (lang = "en"))]
    fn hint(&self, lang: &str) -> PyResult<&'static str> {
        Ok(self.0.reason.hint(self::lang(lang)?))
    }

    /// ``{"reason", "severity", "hint": {"en", "vi"}}``.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("reason", self.reason())?;
        d.set_item("severity", self.severity())?;
        let h = PyDict::new(py);
        h.set_item("en", self.hint_en())?;
        h.set_item("vi", self.hint_vi())?;
        d.set_item("hint", h)?;
        Ok(d)
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        format!(
            "Finding(reason={}, severity={})",
            crate::json::repr(py, self.reason()),
            crate::json::repr(py, self.severity())
        )
    }
}

/// Every reason code, fingerprint ones first, each list most actionable
/// first.
#[pyfunction]
pub(crate) fn reason_codes() -> Vec<&'static str> {
    Reason::ALL.iter().map(|r| r.code()).collect()
}

/// The operator hint of the reason ``code`` in ``lang`` (``"en"`` or
/// ``"vi"``). Raises ``ConfigError`` for an unknown code or language.
#[pyfunction]
#[pyo3(signature = (code, lang = "en"))]
pub(crate) fn hint(code: &str, lang: &str) -> PyResult<&'static str> {
    let reason = Reason::from_code(code).ok_or_else(|| {
        errors::config(
            "code",
            format!("unknown reason code {code:?}; see reason_codes()"),
        )
    })?;
    Ok(reason.hint(self::lang(lang)?))
}

//! Python objects from `serde` values, through JSON text and Python's own
//! `json.loads`: numbers come out exactly as a reader of the command-line
//! tool's JSON lines sees them.

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;

fn loads(py: Python<'_>) -> PyResult<&Bound<'_, PyAny>> {
    static LOADS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    LOADS
        .get_or_try_init(py, || {
            Ok::<_, PyErr>(py.import("json")?.getattr("loads")?.unbind())
        })
        .map(|f| f.bind(py))
}

/// `value` as Python objects (dicts, lists, str, float, int, bool, None).
pub(crate) fn to_py<'py, T: serde::Serialize>(
    py: Python<'py>,
    value: &T,
) -> PyResult<Bound<'py, PyAny>> {
    let text = serde_json::to_string(value)
        .map_err(|e| pyo3::exceptions::PyRuntimeError::new_err(e.to_string()))?;
    loads(py)?.call1((text,))
}

/// JSON text of `value`.
pub(crate) fn to_string<T: serde::Serialize>(value: &T) -> PyResult<String> {
    serde_json::to_string(value)
        .map_err(|e| pyo3::exceptions::PyRuntimeError::new_err(e.to_string()))
}

/// Python's `repr()` of `value` (strings quoted and escaped as Python
/// does, `None` for `None`), for the classes' `__repr__`.
pub(crate) fn repr<'py, T>(py: Python<'py>, value: T) -> String
where
    T: IntoPyObject<'py>,
{
    use pyo3::IntoPyObjectExt;
    value
        .into_bound_py_any(py)
        .and_then(|v| v.repr().map(|r| r.to_string()))
        .unwrap_or_else(|_| "?".to_string())
}

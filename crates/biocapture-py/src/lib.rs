//! Python bindings of `biocapture`: numpy arrays in, typed reports and
//! verdicts out. The module is `biocapture._biocapture`; the Python package
//! `biocapture` (in `python/biocapture`) re-exports everything in it, with
//! the type stubs beside it.
//!
//! Shape of the API, as in the Rust crate: an assessor measures pixels into
//! a frozen report; a policy judges a report into a verdict. Reports hold
//! the Rust report behind an `Arc`, so assessing costs one small Python
//! object; every attribute (numbers, nested measures, block maps as numpy
//! arrays) is built when it is read.

#![deny(missing_docs)]
#![warn(missing_debug_implementations)]

mod arrays;
mod errors;
mod face;
mod fingerprint;
mod json;
mod policy;
mod profile;
mod verdict;

use pyo3::prelude::*;

/// The compiled part of the `biocapture` package.
#[pymodule]
fn _biocapture(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    errors::register(py, m)?;
    m.add_class::<fingerprint::FingerprintAssessor>()?;
    m.add_class::<fingerprint::FingerprintReport>()?;
    m.add_class::<fingerprint::Actionable>()?;
    m.add_class::<fingerprint::Foreground>()?;
    m.add_class::<fingerprint::BlockMaps>()?;
    m.add_class::<fingerprint::Moisture>()?;
    m.add_class::<fingerprint::Smudge>()?;
    m.add_class::<fingerprint::FingerprintPolicy>()?;
    m.add_class::<profile::SensorProfile>()?;
    m.add_class::<face::FaceAssessor>()?;
    m.add_class::<face::FaceReport>()?;
    m.add_class::<face::Detection>()?;
    m.add_class::<face::FaceMeasures>()?;
    m.add_class::<face::Framing>()?;
    m.add_class::<face::Photometric>()?;
    m.add_class::<face::Measure>()?;
    m.add_class::<face::FacePolicy>()?;
    m.add_class::<verdict::Verdict>()?;
    m.add_class::<verdict::Finding>()?;
    m.add_function(wrap_pyfunction!(arrays::load_image, m)?)?;
    m.add_function(wrap_pyfunction!(verdict::reason_codes, m)?)?;
    m.add_function(wrap_pyfunction!(verdict::hint, m)?)?;
    m.add("DEFAULT_PPI", biocapture::DEFAULT_PPI)?;
    m.add("MIN_PPI", biocapture::MIN_PPI)?;
    m.add("MAX_PPI", biocapture::MAX_PPI)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}

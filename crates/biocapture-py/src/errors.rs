//! The exception classes, and the mapping from `biocapture::Error` to them.
//! Every message starts with the name of the argument that was wrong.

use biocapture::Error;
use pyo3::create_exception;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

create_exception!(
    biocapture,
    BiocaptureError,
    PyValueError,
    "Base class of every biocapture error (a ValueError): the input could not be assessed or an argument is invalid. A poor capture is not an error: it is a report whose verdict is retake."
);
create_exception!(
    biocapture,
    ImageError,
    BiocaptureError,
    "The image cannot be assessed: wrong type, dtype or shape, empty, or outside the assessor's size limits."
);
create_exception!(
    biocapture,
    ConfigError,
    BiocaptureError,
    "An argument is out of range: a threshold, a size limit, the resolution, a language or a mode."
);
create_exception!(
    biocapture,
    ProfileError,
    BiocaptureError,
    "A sensor profile cannot be learned, read or used (too few usable captures, another format version, malformed JSON)."
);

pub(crate) fn register(py: Python<'_>, m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("BiocaptureError", py.get_type::<BiocaptureError>())?;
    m.add("ImageError", py.get_type::<ImageError>())?;
    m.add("ConfigError", py.get_type::<ConfigError>())?;
    m.add("ProfileError", py.get_type::<ProfileError>())?;
    Ok(())
}

/// The Python exception for an error of the Rust crate, raised while
/// handling the argument `arg`.
pub(crate) fn to_py(arg: &str, e: &Error) -> PyErr {
    match e {
        Error::EmptyImage { .. }
        | Error::ImageTooSmall { .. }
        | Error::ImageTooLarge { .. }
        | Error::StrideTooSmall { .. }
        | Error::BufferTooShort { .. }
        | Error::DimensionOverflow { .. }
        | Error::NonContiguous { .. } => ImageError::new_err(format!("{arg}: {e}")),
        Error::UnsupportedResolution { .. } => ConfigError::new_err(format!("ppi: {e}")),
        // The message names the field already.
        Error::InvalidConfig { .. } => ConfigError::new_err(e.to_string()),
        Error::TooFewCaptures { .. } | Error::UnsupportedProfileVersion { .. } => {
            ProfileError::new_err(format!("{arg}: {e}"))
        }
        _ => BiocaptureError::new_err(format!("{arg}: {e}")),
    }
}

/// A `ConfigError` for argument `arg`.
pub(crate) fn config(arg: &str, msg: impl std::fmt::Display) -> PyErr {
    ConfigError::new_err(format!("{arg}: {msg}"))
}

/// An `ImageError` for argument `arg`.
pub(crate) fn image(arg: &str, msg: impl std::fmt::Display) -> PyErr {
    ImageError::new_err(format!("{arg}: {msg}"))
}

/// A `ProfileError` for argument `arg`.
pub(crate) fn profile(arg: &str, msg: impl std::fmt::Display) -> PyErr {
    ProfileError::new_err(format!("{arg}: {msg}"))
}

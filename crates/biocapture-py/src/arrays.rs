//! numpy arrays in: checks of type, dtype and shape that name the
//! argument, and a zero-copy borrow of C-contiguous `uint8` data (one copy
//! otherwise). Also `load_image`, the decoder the command-line tool uses.

use crate::errors;
use numpy::{
    PyArrayDescrMethods, PyArrayDyn, PyArrayMethods, PyReadonlyArrayDyn, PyUntypedArray,
    PyUntypedArrayMethods,
};
use pyo3::prelude::*;

/// Pixels taken from a numpy array: borrowed in place when the array is
/// C-contiguous, copied into row-major order otherwise.
pub(crate) enum Pixels<'py> {
    Borrowed(PyReadonlyArrayDyn<'py, u8>),
    Copied(Vec<u8>),
}

impl std::fmt::Debug for Pixels<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Pixels::Borrowed(_) => f.write_str("Pixels::Borrowed"),
            Pixels::Copied(v) => write!(f, "Pixels::Copied({} bytes)", v.len()),
        }
    }
}

/// An image array, checked: `width` x `height` pixels of `channels` bytes,
/// rows back to back.
#[derive(Debug)]
pub(crate) struct Image<'py> {
    pub(crate) pixels: Pixels<'py>,
    pub(crate) width: u32,
    pub(crate) height: u32,
}

impl Image<'_> {
    /// The pixel bytes, row-major, no padding.
    pub(crate) fn bytes(&self) -> &[u8] {
        match &self.pixels {
            // A C-contiguous array was checked when it was borrowed.
            Pixels::Borrowed(a) => a.as_slice().unwrap_or(&[]),
            Pixels::Copied(v) => v,
        }
    }

    /// Whether the pixels were borrowed without a copy.
    pub(crate) fn is_borrowed(&self) -> bool {
        matches!(self.pixels, Pixels::Borrowed(_))
    }
}

/// Size limits checked before a non-contiguous array is copied, so that a
/// huge strided or broadcast array fails before any allocation.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    pub(crate) max_side: u32,
    pub(crate) max_pixels: u64,
}

/// Reads `obj` (the argument `arg`) as a `uint8` array of shape
/// `(height, width)` when `channels` is 1, `(height, width, channels)`
/// otherwise.
pub(crate) fn image<'py>(
    obj: &Bound<'py, PyAny>,
    arg: &str,
    channels: usize,
    limits: Limits,
) -> PyResult<Image<'py>> {
    let py = obj.py();
    let expected = if channels == 1 {
        "a 2-D uint8 array of shape (height, width)".to_string()
    } else {
        format!("a 3-D uint8 array of shape (height, width, {channels})")
    };
    let Ok(untyped) = obj.cast::<PyUntypedArray>() else {
        let ty = obj
            .get_type()
            .name()
            .map(|n| n.to_string())
            .unwrap_or_else(|_| "?".into());
        return Err(errors::image(
            arg,
            format!("expected {expected} (a numpy.ndarray), got {ty}; convert it with numpy.asarray(..., dtype=numpy.uint8)"),
        ));
    };
    let dtype = untyped.dtype();
    if !dtype.is_equiv_to(&numpy::dtype::<u8>(py)) {
        let name = dtype.str().map(|s| s.to_string()).unwrap_or_default();
        return Err(errors::image(
            arg,
            format!("expected {expected}, got dtype {name}; scale to 0..255 and use .astype(numpy.uint8)"),
        ));
    }
    let shape = untyped.shape().to_vec();
    let shape_ok = match channels {
        1 => shape.len() == 2,
        c => shape.len() == 3 && shape[2] == c,
    };
    if !shape_ok {
        let hint = if channels == 1 && shape.len() == 3 {
            "; for a colour image convert it to grey first"
        } else if channels == 3 && shape.len() == 2 {
            "; for a grey image use assess_gray"
        } else {
            ""
        };
        return Err(errors::image(
            arg,
            format!("expected {expected}, got shape {}{hint}", tuple(&shape)),
        ));
    }
    let (h, w) = (shape[0], shape[1]);
    let too_large = || {
        let clamp = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
        errors::to_py(
            arg,
            &biocapture::Error::ImageTooLarge {
                width: clamp(w),
                height: clamp(h),
                max_pixels: limits.max_pixels,
                max_side: limits.max_side,
            },
        )
    };
    let (Ok(width), Ok(height)) = (u32::try_from(w), u32::try_from(h)) else {
        return Err(too_large());
    };
    if width > limits.max_side
        || height > limits.max_side
        || u64::from(width) * u64::from(height) > limits.max_pixels
    {
        return Err(too_large());
    }
    // The dtype was checked: this cast cannot fail.
    let typed = obj.cast::<PyArrayDyn<u8>>()?;
    let ro = typed
        .try_readonly()
        .map_err(|e| errors::image(arg, format!("the array is being written elsewhere ({e})")))?;
    let pixels = if ro.is_c_contiguous() && ro.as_slice().is_ok() {
        Pixels::Borrowed(ro)
    } else {
        // Logical (row-major) order, whatever the strides: one copy.
        Pixels::Copied(ro.as_array().iter().copied().collect())
    };
    Ok(Image {
        pixels,
        width,
        height,
    })
}

/// A shape as Python prints it: `(374,)`, `(64, 64, 4)`.
fn tuple(shape: &[usize]) -> String {
    let parts: Vec<String> = shape.iter().map(|n| n.to_string()).collect();
    match parts.len() {
        1 => format!("({},)", parts[0]),
        _ => format!("({})", parts.join(", ")),
    }
}

/// Reads a `ppi` argument: whole number in 300..=1200.
pub(crate) fn check_ppi(ppi: u32) -> PyResult<u32> {
    if (biocapture::MIN_PPI..=biocapture::MAX_PPI).contains(&ppi) {
        Ok(ppi)
    } else {
        Err(errors::to_py(
            "ppi",
            &biocapture::Error::UnsupportedResolution {
                ppi,
                min: biocapture::MIN_PPI,
                max: biocapture::MAX_PPI,
            },
        ))
    }
}

/// Decodes an image file (PNG, JPEG, TIFF, BMP, PGM/PPM) into a numpy
/// ``uint8`` array with the same decoder and grey conversion as the
/// command-line tool (``examples/assess``), so reports match its output
/// exactly.
///
/// ``mode``: ``"gray"`` gives shape ``(height, width)``; ``"rgb"`` gives
/// ``(height, width, 3)``; ``"auto"`` gives grey for a file without colour
/// and RGB otherwise (as the tool's ``face`` command chooses between
/// ``assess_gray`` and ``assess``).
///
/// Raises ``OSError`` when the file cannot be read, ``ImageError`` when it
/// cannot be decoded, ``ConfigError`` for an unknown ``mode``.
#[pyfunction]
#[pyo3(signature = (path, mode = "gray"))]
pub(crate) fn load_image<'py>(
    py: Python<'py>,
    path: std::path::PathBuf,
    mode: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let gray = match mode {
        "gray" => Some(true),
        "rgb" => Some(false),
        "auto" => None,
        other => {
            return Err(errors::config(
                "mode",
                format!("expected \"gray\", \"rgb\" or \"auto\", got {other:?}"),
            ))
        }
    };
    let decoded = py.detach(|| image::open(&path));
    let img = match decoded {
        Ok(img) => img,
        Err(image::ImageError::IoError(e)) => {
            return Err(PyErr::from(std::io::Error::new(
                e.kind(),
                format!("{}: {e}", path.display()),
            )))
        }
        Err(e) => {
            return Err(errors::image(
                "path",
                format!("cannot decode {}: {e}", path.display()),
            ))
        }
    };
    let gray = gray.unwrap_or(!img.color().has_color());
    let (w, h) = (img.width() as usize, img.height() as usize);
    if gray {
        let raw = img.to_luma8().into_raw();
        let arr =
            ndarray::Array2::from_shape_vec((h, w), raw).map_err(|e| errors::image("path", e))?;
        Ok(numpy::PyArray2::from_owned_array(py, arr).into_any())
    } else {
        let raw = img.to_rgb8().into_raw();
        let arr = ndarray::Array3::from_shape_vec((h, w, 3), raw)
            .map_err(|e| errors::image("path", e))?;
        Ok(numpy::PyArray3::from_owned_array(py, arr).into_any())
    }
}

//! The policy classes: every threshold a keyword argument with its
//! documented default, validated once at construction.

/// A threshold given from Python: floats for the `f32` fields, integers
/// for the pixel counts.
pub(crate) trait FromArg<A>: Sized {
    fn from_arg(field: &str, value: A) -> pyo3::PyResult<Self>;
}

impl FromArg<f64> for f32 {
    fn from_arg(_field: &str, value: f64) -> pyo3::PyResult<Self> {
        // Out-of-range values become infinite here and fail validation,
        // which names the field.
        Ok(value as f32)
    }
}

impl FromArg<i64> for u64 {
    fn from_arg(field: &str, value: i64) -> pyo3::PyResult<Self> {
        u64::try_from(value)
            .map_err(|_| crate::errors::config(field, format!("must not be negative, got {value}")))
    }
}

/// A threshold as Python reads it back: an `f32` as the shortest decimal
/// that gives the same `f32` (0.03, not 0.029999999329447746), so that
/// passing it back gives the same policy.
pub(crate) trait ToOut {
    type Out;
    fn out(self) -> Self::Out;
}

impl ToOut for f32 {
    type Out = f64;
    fn out(self) -> f64 {
        crate::fingerprint::decimal(self)
    }
}

impl ToOut for u64 {
    type Out = u64;
    fn out(self) -> u64 {
        self
    }
}

/// Generates a policy class: the struct, a keyword-only constructor with
/// `signature` and `text_signature` (every default written out, so that
/// `help()` shows them; PyO3 renders a negative default as `...`), a getter per field, `default()`,
/// `to_dict()`, `replace(**changes)`, `judge(report)` and `__repr__`.
macro_rules! policy_class {
    (
        $(#[$cdoc:meta])*
        $name:ident($core:ty, default = $core_default:expr, report = $report:ty)
        signature = $sig:tt
        text_signature = $ts:tt
        {
            $( $(#[$fdoc:meta])* $field:ident : $ty:ty as $arg:ty ),* $(,)?
        }
    ) => {
        $(#[$cdoc])*
        #[pyo3::pyclass(frozen, eq, module = "biocapture")]
        #[derive(Debug, Clone, PartialEq)]
        pub(crate) struct $name {
            pub(crate) inner: $core,
        }

        #[pyo3::pymethods]
        impl $name {
            // One keyword argument per threshold: that is the Python API.
            #[allow(clippy::too_many_arguments)]
            #[new]
            #[pyo3(signature = $sig, text_signature = $ts)]
            fn new($($field: $arg),*) -> pyo3::PyResult<Self> {
                type Core = $core;
                let inner = Core {
                    $($field: <$ty as $crate::policy::FromArg<$arg>>::from_arg(stringify!($field), $field)?,)*
                };
                inner.validate().map_err(|e| {
                    let got = match &e {
                        biocapture::Error::InvalidConfig { field, .. } => match *field {
                            $(stringify!($field) => format!(" (got {})", inner.$field),)*
                            _ => String::new(),
                        },
                        _ => String::new(),
                    };
                    crate::errors::ConfigError::new_err(format!("{e}{got}"))
                })?;
                Ok(Self { inner })
            }

            /// The policy with every threshold at its documented default.
            #[staticmethod]
            fn default() -> Self {
                Self { inner: $core_default }
            }

            $(
                $(#[$fdoc])*
                #[getter]
                fn $field(&self) -> <$ty as $crate::policy::ToOut>::Out {
                    $crate::policy::ToOut::out(self.inner.$field)
                }
            )*

            /// Every threshold by name: ``Policy(**p.to_dict()) == p``.
            fn to_dict<'py>(&self, py: pyo3::Python<'py>) -> pyo3::PyResult<pyo3::Bound<'py, pyo3::types::PyDict>> {
                use pyo3::types::PyDictMethods;
                let d = pyo3::types::PyDict::new(py);
                $(d.set_item(stringify!($field), self.$field())?;)*
                Ok(d)
            }

            /// A copy with the thresholds named in ``changes`` replaced
            /// (validated as in the constructor).
            #[pyo3(signature = (**changes))]
            fn replace<'py>(
                slf: &pyo3::Bound<'py, Self>,
                changes: Option<&pyo3::Bound<'py, pyo3::types::PyDict>>,
            ) -> pyo3::PyResult<pyo3::Bound<'py, pyo3::PyAny>> {
                use pyo3::types::{PyAnyMethods, PyDictMethods};
                let d = slf.get().to_dict(slf.py())?;
                if let Some(c) = changes {
                    d.update(c.as_mapping())?;
                }
                slf.get_type().call((), Some(&d))
            }

            /// Judges ``report``: every reason that applies, most actionable
            /// first. Pure: no pixels are touched.
            fn judge(&self, report: &$report) -> $crate::verdict::Verdict {
                $crate::verdict::Verdict::new(self.inner.judge(&report.inner))
            }

            fn __repr__(&self) -> String {
                let fields: Vec<String> = vec![$(format!("{}={}", stringify!($field), self.inner.$field)),*];
                format!("{}({})", stringify!($name), fields.join(", "))
            }
        }
    };
}

pub(crate) use policy_class;

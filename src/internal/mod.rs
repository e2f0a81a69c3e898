//! Kernels both modalities use: integral images, gradients, box filters and
//! resampling. Private: the public API speaks in reports, not kernels.

pub(crate) mod gradient;
pub(crate) mod integral;
pub(crate) mod resample;

//! Kernels both modalities use: gradients and
//! resampling. Private: the public API speaks in reports, not kernels.

pub(crate) mod gradient;
pub(crate) mod resample;

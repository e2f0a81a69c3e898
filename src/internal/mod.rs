//! What both modalities share: gradient and resampling kernels, and the
//! size limits every assessor checks. Private: the public API speaks in
//! reports, not kernels.

pub(crate) mod gradient;
pub(crate) mod limits;
pub(crate) mod resample;

//! The crate's one error type.

/// Why an image could not be assessed.
///
/// A poor capture is **not** an error: it is an `Ok` report whose verdict is
/// [`Decision::Retake`](crate::Decision::Retake). `Error` means the input or
/// the configuration made assessment impossible.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The image has zero width or zero height.
    #[error("image is empty ({width}x{height})")]
    EmptyImage {
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
    },
    /// The image is smaller than the assessor can work with.
    #[error("image {width}x{height} is smaller than the minimum {min_width}x{min_height}")]
    ImageTooSmall {
        /// Width in pixels (after any resampling to the working resolution).
        width: u32,
        /// Height in pixels (after any resampling to the working resolution).
        height: u32,
        /// Smallest accepted width.
        min_width: u32,
        /// Smallest accepted height.
        min_height: u32,
    },
    /// The image is larger than the configured limit; nothing was allocated.
    #[error(
        "image {width}x{height} exceeds the limit of {max_pixels} pixels or {max_side} px a side"
    )]
    ImageTooLarge {
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
        /// Largest accepted pixel count.
        max_pixels: u64,
        /// Largest accepted side length.
        max_side: u32,
    },
    /// The row stride is smaller than one row of pixels.
    #[error("stride {stride} is smaller than the row length {row_len}")]
    StrideTooSmall {
        /// Given stride, in bytes.
        stride: usize,
        /// Bytes in one row (width x channels).
        row_len: usize,
    },
    /// The pixel buffer is shorter than width, height and stride require.
    #[error("buffer of {len} bytes is too short: {needed} bytes needed")]
    BufferTooShort {
        /// Given buffer length in bytes.
        len: usize,
        /// Bytes needed.
        needed: usize,
    },
    /// Width x height x channels, or the buffer size it implies, overflows `usize`.
    #[error("image dimensions {width}x{height} overflow")]
    DimensionOverflow {
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
    },
    /// An `ndarray` view whose rows are not contiguous (so it cannot be
    /// borrowed without a copy).
    #[error("array view is not row-contiguous (strides {row_stride}, {col_stride})")]
    NonContiguous {
        /// Stride between rows, in elements.
        row_stride: isize,
        /// Stride between columns, in elements (must be 1).
        col_stride: isize,
    },
    /// The capture resolution is outside the supported range.
    #[error("resolution {ppi} ppi is outside the supported range {min}..={max} ppi")]
    UnsupportedResolution {
        /// Given resolution in pixels per inch.
        ppi: u32,
        /// Lowest supported resolution.
        min: u32,
        /// Highest supported resolution.
        max: u32,
    },
    /// Too few usable captures to learn a sensor profile from.
    #[error("{usable} usable captures, at least {needed} are needed to learn a sensor profile")]
    TooFewCaptures {
        /// Captures with a finger on them.
        usable: usize,
        /// Fewest accepted.
        needed: usize,
    },
    /// A sensor profile written in a format version this crate does not read.
    #[error(
        "sensor profile version {version} is not supported (this crate reads version {supported})"
    )]
    UnsupportedProfileVersion {
        /// The profile's version.
        version: u32,
        /// The version this crate reads and writes.
        supported: u32,
    },
    /// A live capture frame's timestamp is earlier than the previous
    /// frame's (the frame was not used).
    #[error("frame timestamp {given:?} is earlier than the previous frame's {previous:?}")]
    TimestampOutOfOrder {
        /// The previous frame's timestamp.
        previous: std::time::Duration,
        /// The timestamp given.
        given: std::time::Duration,
    },
    /// A configuration or policy field has an invalid value.
    #[error("invalid configuration: `{field}` {reason}")]
    InvalidConfig {
        /// The field's name.
        field: &'static str,
        /// What is wrong with it.
        reason: &'static str,
    },
}

/// The crate's result type.
pub type Result<T> = std::result::Result<T, Error>;

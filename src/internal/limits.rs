//! Image size limits, checked before anything is allocated. Both
//! assessors' configs hold one.

use crate::error::{Error, Result};

/// Smallest and largest accepted image sizes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SizeLimits {
    /// Smallest accepted side.
    pub(crate) min_side: u32,
    /// Largest accepted side.
    pub(crate) max_side: u32,
    /// Largest accepted pixel count.
    pub(crate) max_pixels: u64,
}

impl SizeLimits {
    /// Checks the limits are consistent; `floor` is the smallest `min_side`
    /// the assessor can work with.
    pub(crate) fn validate(&self, floor: u32, floor_reason: &'static str) -> Result<()> {
        if self.min_side < floor {
            return Err(Error::InvalidConfig {
                field: "min_side",
                reason: floor_reason,
            });
        }
        if self.max_side < self.min_side {
            return Err(Error::InvalidConfig {
                field: "max_side",
                reason: "must not be below min_side",
            });
        }
        if self.max_pixels < u64::from(self.min_side).pow(2) {
            return Err(Error::InvalidConfig {
                field: "max_pixels",
                reason: "must admit a min_side x min_side image",
            });
        }
        Ok(())
    }

    /// [`Error::ImageTooLarge`] when a side or the pixel count is over the
    /// limit. Arithmetic in `u64`: no overflow for any `u32` size.
    pub(crate) fn check_not_too_large(&self, width: u32, height: u32) -> Result<()> {
        if width > self.max_side
            || height > self.max_side
            || u64::from(width) * u64::from(height) > self.max_pixels
        {
            return Err(Error::ImageTooLarge {
                width,
                height,
                max_pixels: self.max_pixels,
                max_side: self.max_side,
            });
        }
        Ok(())
    }

    /// [`Error::ImageTooSmall`] when a side is under `min_side`. Sizes are
    /// `usize` so a caller can pass a resampled size before narrowing it.
    pub(crate) fn check_not_too_small(&self, width: usize, height: usize) -> Result<()> {
        let min = self.min_side as usize;
        if width < min || height < min {
            return Err(Error::ImageTooSmall {
                width: u32::try_from(width).unwrap_or(u32::MAX),
                height: u32::try_from(height).unwrap_or(u32::MAX),
                min_width: self.min_side,
                min_height: self.min_side,
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_check_both_ends_without_overflow() {
        let l = SizeLimits {
            min_side: 32,
            max_side: 100,
            max_pixels: 5000,
        };
        assert!(l.validate(16, "x").is_ok());
        assert!(l.check_not_too_large(100, 50).is_ok());
        assert!(matches!(
            l.check_not_too_large(101, 1),
            Err(Error::ImageTooLarge { .. })
        ));
        assert!(matches!(
            l.check_not_too_large(80, 80),
            Err(Error::ImageTooLarge { .. })
        ));
        assert!(matches!(
            l.check_not_too_large(u32::MAX, u32::MAX),
            Err(Error::ImageTooLarge { .. })
        ));
        assert!(matches!(
            l.check_not_too_small(31, 40),
            Err(Error::ImageTooSmall { width: 31, .. })
        ));
        assert!(l.check_not_too_small(32, 32).is_ok());
        assert!(matches!(
            SizeLimits { min_side: 8, ..l }.validate(16, "x"),
            Err(Error::InvalidConfig {
                field: "min_side",
                ..
            })
        ));
        assert!(matches!(
            SizeLimits {
                max_pixels: 100,
                ..l
            }
            .validate(16, "x"),
            Err(Error::InvalidConfig {
                field: "max_pixels",
                ..
            })
        ));
    }
}

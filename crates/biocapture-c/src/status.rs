//! Status codes, the thread-local last error message, and the guard that
//! keeps panics on this side of the boundary.

use biocapture_core::Error;
use std::cell::RefCell;
use std::ffi::c_char;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// What a fallible function did. `BC_STATUS_OK` (0) is success; anything
/// else is a failure whose message `bc_last_error_message` copies out.
///
/// Values are stable: new codes are only ever appended, never renumbered
/// or reused, so a caller should treat an unknown non-zero value as a
/// failure. A poor capture is not a failure: it is `BC_STATUS_OK` with a
/// retake verdict.
#[repr(i32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BcStatus {
    /// Success.
    Ok = 0,
    /// The image has zero width or zero height.
    EmptyImage = 1,
    /// The image is smaller than the assessor's minimum side (for prints,
    /// measured at 500 ppi).
    ImageTooSmall = 2,
    /// The image exceeds the assessor's maximum side or pixel count;
    /// nothing was read or allocated.
    ImageTooLarge = 3,
    /// The row stride is smaller than one row of pixels.
    StrideTooSmall = 4,
    /// The pixel buffer is shorter than width, height and stride require
    /// (the library's `Error::BufferTooShort`; the C functions take no
    /// buffer length, so they do not return it).
    BufferTooShort = 5,
    /// Width, height and stride describe more bytes than the address
    /// space holds.
    DimensionOverflow = 6,
    /// A non-contiguous array view (the library's `Error::NonContiguous`;
    /// not returned by the C functions).
    NonContiguous = 7,
    /// The resolution (ppi) is outside 300..=1200.
    UnsupportedResolution = 8,
    /// Too few usable captures to learn a sensor profile.
    TooFewCaptures = 9,
    /// A sensor profile in a format version this library does not read.
    UnsupportedProfileVersion = 10,
    /// An option, a policy threshold or a sensor profile value is invalid.
    InvalidConfig = 11,
    /// A NULL pointer where one is required, a bad enum value, a
    /// `struct_size` smaller than the first revision of the struct, or a
    /// string that is not UTF-8.
    InvalidArgument = 12,
    /// The library panicked (a bug): the call was abandoned and, for a
    /// call on a handle, the handle is unusable (every later call on it
    /// returns this status); free it and create another.
    Panic = 13,
    /// The caller's buffer is too small; nothing was written and the size
    /// needed was stored.
    BufferTooSmall = 14,
    /// A sensor profile JSON that does not parse as a profile.
    InvalidProfile = 15,
    /// The handle has no report to give: no assessment has succeeded on
    /// it, or the last one failed.
    NoReport = 16,
    /// A library error kind newer than this ABI revision (its message
    /// says what).
    UnknownError = 17,
    /// A live capture frame's timestamp is earlier than the previous
    /// frame's (reserved: the live capture sessions are not yet part of
    /// the C ABI).
    TimestampOutOfOrder = 18,
}

impl BcStatus {
    /// The code's stable snake_case name, as `bc_status_name` returns it.
    pub(crate) fn name(self) -> &'static str {
        match self {
            BcStatus::Ok => "ok\0",
            BcStatus::EmptyImage => "empty_image\0",
            BcStatus::ImageTooSmall => "image_too_small\0",
            BcStatus::ImageTooLarge => "image_too_large\0",
            BcStatus::StrideTooSmall => "stride_too_small\0",
            BcStatus::BufferTooShort => "buffer_too_short\0",
            BcStatus::DimensionOverflow => "dimension_overflow\0",
            BcStatus::NonContiguous => "non_contiguous\0",
            BcStatus::UnsupportedResolution => "unsupported_resolution\0",
            BcStatus::TooFewCaptures => "too_few_captures\0",
            BcStatus::UnsupportedProfileVersion => "unsupported_profile_version\0",
            BcStatus::InvalidConfig => "invalid_config\0",
            BcStatus::InvalidArgument => "invalid_argument\0",
            BcStatus::Panic => "panic\0",
            BcStatus::BufferTooSmall => "buffer_too_small\0",
            BcStatus::InvalidProfile => "invalid_profile\0",
            BcStatus::NoReport => "no_report\0",
            BcStatus::UnknownError => "unknown_error\0",
            BcStatus::TimestampOutOfOrder => "timestamp_out_of_order\0",
        }
    }

    /// Every status, in code order.
    pub(crate) const ALL: [BcStatus; 19] = [
        BcStatus::Ok,
        BcStatus::EmptyImage,
        BcStatus::ImageTooSmall,
        BcStatus::ImageTooLarge,
        BcStatus::StrideTooSmall,
        BcStatus::BufferTooShort,
        BcStatus::DimensionOverflow,
        BcStatus::NonContiguous,
        BcStatus::UnsupportedResolution,
        BcStatus::TooFewCaptures,
        BcStatus::UnsupportedProfileVersion,
        BcStatus::InvalidConfig,
        BcStatus::InvalidArgument,
        BcStatus::Panic,
        BcStatus::BufferTooSmall,
        BcStatus::InvalidProfile,
        BcStatus::NoReport,
        BcStatus::UnknownError,
        BcStatus::TimestampOutOfOrder,
    ];
}

/// A failed call: its status and the message for `bc_last_error_message`.
#[derive(Debug)]
pub(crate) struct Failure {
    pub(crate) status: BcStatus,
    pub(crate) message: String,
}

impl Failure {
    pub(crate) fn new(status: BcStatus, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
        }
    }

    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        Self::new(BcStatus::InvalidArgument, message)
    }

    pub(crate) fn null(name: &str) -> Self {
        Self::invalid(format!("`{name}` is NULL"))
    }
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        let status = match e {
            Error::EmptyImage { .. } => BcStatus::EmptyImage,
            Error::ImageTooSmall { .. } => BcStatus::ImageTooSmall,
            Error::ImageTooLarge { .. } => BcStatus::ImageTooLarge,
            Error::StrideTooSmall { .. } => BcStatus::StrideTooSmall,
            Error::BufferTooShort { .. } => BcStatus::BufferTooShort,
            Error::DimensionOverflow { .. } => BcStatus::DimensionOverflow,
            Error::NonContiguous { .. } => BcStatus::NonContiguous,
            Error::UnsupportedResolution { .. } => BcStatus::UnsupportedResolution,
            Error::TooFewCaptures { .. } => BcStatus::TooFewCaptures,
            Error::UnsupportedProfileVersion { .. } => BcStatus::UnsupportedProfileVersion,
            Error::InvalidConfig { .. } => BcStatus::InvalidConfig,
            Error::TimestampOutOfOrder { .. } => BcStatus::TimestampOutOfOrder,
            _ => BcStatus::UnknownError,
        };
        Self::new(status, e.to_string())
    }
}

thread_local! {
    static LAST_ERROR: RefCell<String> = const { RefCell::new(String::new()) };
}

fn set_last_error(message: &str) {
    // `try_with`: during thread teardown the slot may be gone; the status
    // still tells the caller what happened.
    let _ = LAST_ERROR.try_with(|slot| {
        let mut slot = slot.borrow_mut();
        slot.clear();
        // A C string ends at the first NUL: keep the message whole.
        slot.extend(message.chars().map(|c| if c == '\0' { ' ' } else { c }));
    });
}

/// Runs an entry point's body: a failure becomes its status (and the
/// thread's last error message), a panic becomes `BcStatus::Panic` instead
/// of unwinding into the caller's frames.
pub(crate) fn guard(body: impl FnOnce() -> Result<(), Failure>) -> BcStatus {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => BcStatus::Ok,
        Ok(Err(failure)) => {
            set_last_error(&failure.message);
            failure.status
        }
        Err(payload) => {
            let what = payload
                .downcast_ref::<&str>()
                .copied()
                .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
                .unwrap_or("no message");
            set_last_error(&format!(
                "biocapture panicked (a bug, please report): {what}"
            ));
            BcStatus::Panic
        }
    }
}

/// Copies the calling thread's last error message into `buf`.
///
/// The message is that of the last call on this thread that returned a
/// status other than `BC_STATUS_OK`; successful calls leave it unchanged.
/// It is UTF-8 text, empty when no call on this thread has failed.
///
/// Returns the size the whole message needs, in bytes, including the
/// terminating NUL. When `cap` is at least that, the whole message and a
/// NUL are written; otherwise, when `cap > 0`, as many whole UTF-8
/// characters as fit in `cap - 1` bytes and a NUL. `buf` may be NULL when
/// `cap` is 0, to ask for the size only.
///
/// Thread-safe; never fails.
///
/// # Safety
///
/// `buf` must be NULL or point to `cap` writable bytes.
#[no_mangle]
pub unsafe extern "C" fn bc_last_error_message(buf: *mut c_char, cap: usize) -> usize {
    let copied = catch_unwind(AssertUnwindSafe(|| {
        LAST_ERROR
            .try_with(|slot| {
                let message = slot.borrow();
                let needed = message.len() + 1;
                if buf.is_null() || cap == 0 {
                    return needed;
                }
                let mut n = message.len().min(cap - 1);
                while !message.is_char_boundary(n) {
                    n -= 1;
                }
                // SAFETY: the caller promises `cap` writable bytes at `buf`;
                // `n + 1 <= cap`, and `message` is a separate Rust string.
                unsafe {
                    std::ptr::copy_nonoverlapping(message.as_ptr(), buf.cast::<u8>(), n);
                    *buf.add(n) = 0;
                }
                needed
            })
            .unwrap_or(1)
    }));
    copied.unwrap_or(1)
}

/// The stable snake_case name of a status code (`"ok"`,
/// `"image_too_large"`, ...), or NULL for a value this revision does not
/// know. The string is static: never free it.
///
/// Thread-safe; never fails.
#[no_mangle]
pub extern "C" fn bc_status_name(status: i32) -> *const c_char {
    BcStatus::ALL
        .iter()
        .find(|s| **s as i32 == status)
        .map_or(std::ptr::null(), |s| s.name().as_ptr().cast())
}

/// Frees a handle made by `Box::into_raw`; NULL is ignored, and a panic
/// in a destructor stays on this side of the boundary.
///
/// # Safety
///
/// `handle` is NULL or a live handle made by `Box::into_raw`, not yet
/// freed and not in use by another thread.
pub(crate) unsafe fn free_handle<T>(handle: *mut T) {
    if handle.is_null() {
        return;
    }
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        // SAFETY: a live handle made by `Box::into_raw`, freed once per
        // the caller's contract.
        drop(unsafe { Box::from_raw(handle) });
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn last_error() -> String {
        // SAFETY: a NULL buffer with capacity 0 is the size query.
        let needed = unsafe { bc_last_error_message(std::ptr::null_mut(), 0) };
        let mut buf = vec![0 as c_char; needed];
        // SAFETY: `buf` holds `needed` writable bytes.
        let again = unsafe { bc_last_error_message(buf.as_mut_ptr(), buf.len()) };
        assert_eq!(again, needed);
        let bytes: Vec<u8> = buf[..needed - 1].iter().map(|&c| c as u8).collect();
        String::from_utf8(bytes).unwrap()
    }

    #[test]
    fn a_panic_becomes_a_status_and_a_message() {
        let status = guard(|| panic!("deliberate test panic"));
        assert_eq!(status, BcStatus::Panic);
        assert!(
            last_error().contains("deliberate test panic"),
            "{}",
            last_error()
        );
    }

    #[test]
    fn a_failure_sets_the_message_and_success_keeps_it() {
        let status = guard(|| {
            Err(Failure::from(Error::EmptyImage {
                width: 0,
                height: 3,
            }))
        });
        assert_eq!(status, BcStatus::EmptyImage);
        assert_eq!(last_error(), "image is empty (0x3)");
        assert_eq!(guard(|| Ok(())), BcStatus::Ok);
        assert_eq!(last_error(), "image is empty (0x3)");
    }

    #[test]
    fn truncation_keeps_whole_utf8_characters() {
        guard(|| Err(Failure::invalid("Lau khô ngón tay")));
        // "Lau kh" is 6 bytes, 'ô' 2 more: a 8-byte buffer holds 7 + NUL,
        // so the cut falls inside 'ô' and moves back before it.
        let mut buf = [0x55 as c_char; 8];
        // SAFETY: `buf` holds 8 writable bytes.
        let needed = unsafe { bc_last_error_message(buf.as_mut_ptr(), buf.len()) };
        assert_eq!(needed, "Lau khô ngón tay".len() + 1);
        let text: Vec<u8> = buf
            .iter()
            .take_while(|&&c| c != 0)
            .map(|&c| c as u8)
            .collect();
        assert_eq!(text, b"Lau kh");
    }

    #[test]
    fn status_names_are_distinct_and_in_code_order() {
        for (i, s) in BcStatus::ALL.iter().enumerate() {
            assert_eq!(*s as i32, i as i32);
            assert!(s.name().ends_with('\0'));
            assert!(!bc_status_name(i as i32).is_null());
        }
        assert!(bc_status_name(BcStatus::ALL.len() as i32).is_null());
        assert!(bc_status_name(-1).is_null());
    }
}

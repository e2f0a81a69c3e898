//! Reading and writing the caller's memory: pixels, `struct_size`-prefixed
//! structs, byte buffers and strings. Every raw pointer the ABI receives
//! passes through here.

use crate::status::{BcStatus, Failure};
use biocapture_core::Error;
use std::ffi::{c_char, CStr};
use std::mem::size_of;

/// A struct whose first field is `uint32_t struct_size`, the size of the
/// caller's version of it.
///
/// # Safety
///
/// Implementors are `#[repr(C)]`, start with a `u32`, and every bit
/// pattern of their fields is a valid value (integers, floats, raw
/// pointers; no enums, no `bool`s) when they are read from the caller.
pub(crate) unsafe trait Sized32: Copy {
    /// The size of the struct's first revision: the least a caller may
    /// declare.
    const MIN_SIZE: usize;
}

/// The caller's declared `struct_size` of `*p`, refused when NULL or
/// smaller than the struct's first revision.
///
/// # Safety
///
/// `p` is NULL or points to a struct whose first `u32` is readable.
pub(crate) unsafe fn check_size<T: Sized32>(p: *const T, name: &str) -> Result<usize, Failure> {
    if p.is_null() {
        return Err(Failure::null(name));
    }
    // SAFETY: `p` is non-NULL and, per the contract, starts with a
    // readable `u32` (read unaligned: no alignment is assumed).
    let declared = unsafe { p.cast::<u32>().read_unaligned() } as usize;
    if declared < T::MIN_SIZE {
        return Err(Failure::invalid(format!(
            "`{name}->struct_size` is {declared}: set it to sizeof the struct (at least {})",
            T::MIN_SIZE
        )));
    }
    Ok(declared)
}

/// Reads the caller's `*input` over `defaults`: fields past the caller's
/// declared `struct_size` (an older caller) keep their defaults.
///
/// # Safety
///
/// `input` is NULL or points to a readable struct whose first `u32` holds
/// its size in bytes, and that many bytes are readable.
pub(crate) unsafe fn read_sized<T: Sized32>(
    input: *const T,
    defaults: T,
    name: &str,
) -> Result<T, Failure> {
    // SAFETY: per the contract.
    let declared = unsafe { check_size(input, name) }?;
    let mut value = defaults;
    let n = declared.min(size_of::<T>());
    // SAFETY: the caller's struct has `declared >= n` readable bytes; the
    // destination is a local `T` of `size_of::<T>() >= n` bytes, and every
    // bit pattern is a valid `T` (the `Sized32` contract), padding
    // included.
    unsafe {
        std::ptr::copy_nonoverlapping(
            input.cast::<u8>(),
            std::ptr::from_mut(&mut value).cast::<u8>(),
            n,
        );
    }
    Ok(value)
}

/// Writes `value` into the caller's `*out`, up to the caller's declared
/// `struct_size` (an older caller gets the fields it knows); the caller's
/// `struct_size` stays as it was.
///
/// # Safety
///
/// `out` is NULL or points to a writable struct whose first `u32` holds
/// its size in bytes, and that many bytes are writable.
pub(crate) unsafe fn write_sized<T: Sized32>(
    out: *mut T,
    value: &T,
    name: &str,
) -> Result<(), Failure> {
    // SAFETY: per the contract.
    let declared = unsafe { check_size(out.cast_const(), name) }?;
    let n = declared.min(size_of::<T>());
    let skip = size_of::<u32>();
    // SAFETY: bytes `skip..n` lie inside both the caller's struct
    // (`declared >= n` writable bytes) and `value`; they do not overlap.
    unsafe {
        std::ptr::copy_nonoverlapping(
            std::ptr::from_ref(value).cast::<u8>().add(skip),
            out.cast::<u8>().add(skip),
            n - skip,
        );
    }
    Ok(())
}

/// Copies `bytes` into the caller's buffer of `cap` bytes and stores the
/// size needed in `*needed`, or returns `BcStatus::BufferTooSmall` having
/// written nothing but `*needed`.
///
/// # Safety
///
/// `buf` is NULL or points to `cap` writable bytes; `needed` is NULL or
/// points to a writable `usize`.
pub(crate) unsafe fn copy_out(
    bytes: &[u8],
    buf: *mut u8,
    cap: usize,
    needed: *mut usize,
    what: &str,
) -> Result<(), Failure> {
    if !needed.is_null() {
        // SAFETY: the caller promises a writable `usize` at `needed`.
        unsafe { needed.write_unaligned(bytes.len()) };
    }
    if cap < bytes.len() {
        return Err(Failure::new(
            BcStatus::BufferTooSmall,
            format!(
                "the {what} needs {} bytes, the buffer holds {cap}",
                bytes.len()
            ),
        ));
    }
    if buf.is_null() {
        return Err(Failure::null("buf"));
    }
    // SAFETY: `buf` holds `cap >= bytes.len()` writable bytes, and the
    // caller's buffer cannot overlap the library's own `bytes`.
    unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), buf, bytes.len()) };
    Ok(())
}

/// A NUL-terminated UTF-8 argument, or `None` for NULL.
///
/// # Safety
///
/// `s` is NULL or points to a NUL-terminated string that stays unchanged
/// for the call.
pub(crate) unsafe fn utf8_arg<'a>(
    s: *const c_char,
    name: &str,
) -> Result<Option<&'a str>, Failure> {
    if s.is_null() {
        return Ok(None);
    }
    // SAFETY: non-NULL and NUL-terminated per the contract.
    let c = unsafe { CStr::from_ptr(s) };
    c.to_str()
        .map(Some)
        .map_err(|e| Failure::invalid(format!("`{name}` is not UTF-8: {e}")))
}

/// The size limits an assessor applies, checked here before the caller's
/// pixels are borrowed, so that an oversize claim is refused without
/// reading any of them.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    pub(crate) max_side: u32,
    pub(crate) max_pixels: u64,
}

/// Borrows the caller's pixels for the call: `(height - 1) * stride +
/// width * channels` bytes from `data`.
///
/// # Errors
///
/// `InvalidArgument` for NULL `data`; then, before any byte is read, the
/// library's errors for a zero side, a stride shorter than a row, an
/// extent that overflows, and a size past `limits`.
///
/// # Safety
///
/// `data` is NULL or points to at least that many readable bytes, which
/// stay unchanged for the call (only checked-valid geometry reaches the
/// read).
pub(crate) unsafe fn pixels<'a>(
    data: *const u8,
    width: u32,
    height: u32,
    stride: usize,
    channels: usize,
    limits: Limits,
) -> Result<&'a [u8], Failure> {
    if data.is_null() {
        return Err(Failure::null("data"));
    }
    if width == 0 || height == 0 {
        return Err(Error::EmptyImage { width, height }.into());
    }
    let overflow = Error::DimensionOverflow { width, height };
    let row_len = (width as usize)
        .checked_mul(channels)
        .ok_or(overflow.clone())?;
    if stride < row_len {
        return Err(Error::StrideTooSmall { stride, row_len }.into());
    }
    if width > limits.max_side
        || height > limits.max_side
        || u64::from(width) * u64::from(height) > limits.max_pixels
    {
        return Err(Error::ImageTooLarge {
            width,
            height,
            max_pixels: limits.max_pixels,
            max_side: limits.max_side,
        }
        .into());
    }
    let len = (height as usize - 1)
        .checked_mul(stride)
        .and_then(|n| n.checked_add(row_len))
        .filter(|&n| n <= isize::MAX as usize)
        .ok_or(overflow)?;
    // SAFETY: `data` is non-NULL, and the caller promises `len` readable
    // bytes that stay unchanged for the call; `len <= isize::MAX`. The
    // slice does not outlive the call (the assessors keep no borrow).
    Ok(unsafe { std::slice::from_raw_parts(data, len) })
}

/// The handle behind a caller's pointer, marked busy for the call: a
/// panic leaves the mark, and every later call on the handle is refused.
pub(crate) trait Busy {
    /// The mark, to set and clear.
    fn busy(&mut self) -> &mut bool;
    /// Whether the mark is set.
    fn is_busy(&self) -> bool;
}

/// Runs `body` on the handle at `handle`, refusing NULL and handles that
/// a panic left marked.
///
/// # Safety
///
/// `handle` is NULL or a live handle of type `H` made by this library and
/// not in use by another thread.
pub(crate) unsafe fn with_handle<H: Busy, R>(
    handle: *mut H,
    name: &str,
    body: impl FnOnce(&mut H) -> Result<R, Failure>,
) -> Result<R, Failure> {
    // SAFETY: non-NULL handles are live and unshared per the contract.
    let h = unsafe { handle.as_mut() }.ok_or_else(|| Failure::null(name))?;
    if *h.busy() {
        return Err(Failure::new(
            BcStatus::Panic,
            format!("`{name}` is unusable after an earlier call on it panicked: free it and create another"),
        ));
    }
    *h.busy() = true;
    let result = body(h);
    *h.busy() = false;
    result
}

/// Like [`with_handle`] for calls that only read the handle.
///
/// # Safety
///
/// `handle` is NULL or a live handle of type `H` made by this library and
/// not being changed by another thread.
pub(crate) unsafe fn with_handle_ref<H: Busy, R>(
    handle: *const H,
    name: &str,
    body: impl FnOnce(&H) -> Result<R, Failure>,
) -> Result<R, Failure> {
    // SAFETY: non-NULL handles are live and not being changed per the
    // contract.
    let h = unsafe { handle.as_ref() }.ok_or_else(|| Failure::null(name))?;
    if h.is_busy() {
        return Err(Failure::new(
            BcStatus::Panic,
            format!("`{name}` is unusable after an earlier call on it panicked: free it and create another"),
        ));
    }
    body(h)
}

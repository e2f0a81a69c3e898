//! # The biocapture C ABI
//!
//! `libbiocapture.so` (soname `libbiocapture.so.0`) and `libbiocapture.a`,
//! declared by `include/biocapture.h` (generated from this crate by
//! cbindgen). Capture apps in C, C++, Kotlin/Java (JNA or JNI), Swift (a
//! module map over the static library) and C# (P/Invoke) call the
//! biocapture library through it: a fingerprint or a face photo in, keep
//! it or retake it, and why, out. `docs/c-abi.md` at the repository root
//! walks through it with examples.
//!
//! ## Conventions
//!
//! - **Names.** Every function starts with `bc_`, every type with `Bc`,
//!   every constant with `BC_`.
//! - **Handles.** An assessor is an opaque handle made by
//!   `bc_fingerprint_assessor_new` / `bc_face_assessor_new` and released
//!   by `bc_fingerprint_assessor_free` / `bc_face_assessor_free`, which
//!   accept NULL. It keeps its scratch buffers, so assessing frame after
//!   frame allocates little, and it keeps the last report for the JSON and
//!   quality-map calls.
//! - **Pixels** are borrowed for the call only, as `(const uint8_t* data,
//!   uint32_t width, uint32_t height, size_t stride)` plus `uint32_t ppi`
//!   for prints: `height` rows, each starting `stride` bytes after the
//!   previous, of `width` grey bytes (prints, grey portraits) or `3 *
//!   width` interleaved R, G, B bytes (colour portraits). Only
//!   `(height - 1) * stride + width * channels` bytes are read. Sizes are
//!   checked before a single pixel is read.
//! - **Status codes.** Every fallible function returns a `BcStatus`:
//!   `BC_STATUS_OK` (0) or a failure, one code per kind of library error
//!   plus `BC_STATUS_INVALID_ARGUMENT` (NULL pointers, bad enum values),
//!   `BC_STATUS_PANIC`, `BC_STATUS_BUFFER_TOO_SMALL`, ... Codes are only
//!   ever appended. `bc_last_error_message(buf, cap)` copies the calling
//!   thread's last failure message and returns the size it needs. A poor
//!   capture is not a failure: it is `BC_STATUS_OK` with a retake verdict.
//! - **No panic crosses the boundary.** Every entry point runs inside
//!   `catch_unwind`; a panic (a bug) returns `BC_STATUS_PANIC`, and the
//!   handle it happened on refuses every later call.
//! - **Results are plain C structs the caller owns**
//!   (`BcFingerprintResult`, `BcFaceResult`): the verdict, each reason as
//!   a stable number (`BcReason`), its stable snake_case code string and
//!   the operator hint in the language chosen at creation (English or
//!   Vietnamese), plus the headline measures. Their code and hint strings
//!   are static: valid while the library is loaded, never freed. The full
//!   report comes as JSON (the same fields as `examples/assess`) and the
//!   quality map as bytes, both into caller buffers, with a size query and
//!   `BC_STATUS_BUFFER_TOO_SMALL`.
//! - **Appending without breaking callers.** Structs passed in either
//!   direction start with `uint32_t struct_size`, which the caller sets to
//!   `sizeof` the struct it was compiled with. The library reads and
//!   writes only that many bytes, so a struct can grow at its end: an
//!   older caller gets the fields it knows, fields an older caller does
//!   not send take their defaults. Options structs treat 0 as "default",
//!   so `BcFingerprintOptions o = { .struct_size = sizeof o };` means every default.
//!   `BC_ABI_VERSION` is the revision a header describes and
//!   `bc_abi_version()` the library's; it grows by one with each
//!   appending release. An incompatible change would change the soname.
//! - **Threads.** A handle may move between threads but must not be used
//!   by two threads at once. Functions without a handle
//!   (`bc_abi_version`, `bc_version`, `bc_last_error_message`,
//!   `bc_status_name`, `bc_reason_code`, `bc_reason_hint`, the policy
//!   default functions and the `_new` functions) are thread-safe.
//!
//! ## Building
//!
//! ```text
//! cargo build --release -p biocapture-c
//! # target/release/libbiocapture.so, target/release/libbiocapture.a
//! cc -std=c11 app.c -Iinclude -Ltarget/release -lbiocapture
//! ```
//!
//! A panic must unwind to be caught: build with the default
//! `panic = "unwind"`.

#![deny(unsafe_op_in_unsafe_fn)]
#![deny(clippy::undocumented_unsafe_blocks)]
#![deny(missing_docs)]
#![warn(missing_debug_implementations)]
// The opaque handles hold library types without `Debug` (the face
// detector is a trait object); C callers cannot print them anyway.
#![allow(missing_debug_implementations)]

mod face;
mod fingerprint;
#[cfg(any(test, feature = "fuzzing"))]
#[doc(hidden)]
pub mod fuzzing;
mod json;
mod raw;
mod status;
mod verdict;

pub use face::{
    bc_face_assess_gray, bc_face_assess_rgb, bc_face_assessor_free, bc_face_assessor_new,
    bc_face_assessor_set_policy, bc_face_policy_icao, bc_face_report_json, BcFaceAssessor,
    BcFaceOptions, BcFacePolicy, BcFaceResult, BcMeasure,
};
pub use fingerprint::{
    bc_fingerprint_assess, bc_fingerprint_assessor_free, bc_fingerprint_assessor_new,
    bc_fingerprint_assessor_set_policy, bc_fingerprint_assessor_set_profile_json,
    bc_fingerprint_policy_default, bc_fingerprint_quality_map, bc_fingerprint_report_json,
    BcAnalysis, BcFingerprintAssessor, BcFingerprintOptions, BcFingerprintPolicy,
    BcFingerprintResult,
};
pub use status::{bc_last_error_message, bc_status_name, BcStatus};
pub use verdict::{
    bc_reason_code, bc_reason_hint, BcDecision, BcFinding, BcLang, BcMoistureClass, BcReason,
    BcSeverity, BC_MAX_FINDINGS,
};

use std::ffi::c_char;

/// The ABI revision this header describes. It grows by one with each
/// release that appends to the ABI (functions, struct fields, status
/// codes, reasons); nothing is ever removed or renumbered within soname
/// `libbiocapture.so.0`.
pub const BC_ABI_VERSION: u32 = 4;

/// The resolution to pass for prints from a 500 ppi sensor (most
/// live-scan sensors).
pub const BC_DEFAULT_PPI: u32 = 500;

/// The ABI revision of the loaded library. A program built against
/// header revision `BC_ABI_VERSION` can use it when this is at least that.
///
/// Thread-safe; never fails.
#[no_mangle]
pub extern "C" fn bc_abi_version() -> u32 {
    BC_ABI_VERSION
}

/// The library's version, e.g. `"0.1.0"`: static, never free it.
///
/// Thread-safe; never fails.
#[no_mangle]
pub extern "C" fn bc_version() -> *const c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
}

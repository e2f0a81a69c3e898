//! Drives every C entry point from arbitrary bytes, as a careless but
//! contract-abiding C caller would: random sizes, strides and offsets of
//! the pixel pointer inside the buffer, NULL pointers, short and long
//! `struct_size`s, buffers of every capacity, arbitrary policy bytes and
//! profile text. Only for the fuzz target `c_abi` (feature `fuzzing`),
//! which keeps the `unsafe` calls in this crate.

use crate::face::{
    bc_face_assess_gray, bc_face_assess_rgb, bc_face_assessor_free, bc_face_assessor_new,
    bc_face_assessor_set_policy, bc_face_report_json, BcFaceAssessor, BcFaceOptions, BcFacePolicy,
    BcFaceResult,
};
use crate::fingerprint::{
    bc_fingerprint_assess, bc_fingerprint_assessor_free, bc_fingerprint_assessor_new,
    bc_fingerprint_assessor_set_policy, bc_fingerprint_assessor_set_profile_json,
    bc_fingerprint_quality_map, bc_fingerprint_report_json, BcFingerprintAssessor,
    BcFingerprintOptions, BcFingerprintPolicy, BcFingerprintResult,
};
use crate::raw::Sized32;
use crate::status::{bc_last_error_message, BcStatus};
use std::ffi::{c_char, CString};
use std::mem::size_of;

/// Largest image the fuzzed assessors accept, so one execution stays fast;
/// larger claims must come back `BC_STATUS_IMAGE_TOO_LARGE` unread.
const MAX_PIXELS: u64 = 1 << 15;

struct Bytes<'a>(&'a [u8]);

impl Bytes<'_> {
    fn u8(&mut self) -> u8 {
        match self.0.split_first() {
            Some((&b, rest)) => {
                self.0 = rest;
                b
            }
            None => 0,
        }
    }
    fn u16(&mut self) -> u16 {
        u16::from_le_bytes([self.u8(), self.u8()])
    }
    fn u32(&mut self) -> u32 {
        u32::from_le_bytes([self.u8(), self.u8(), self.u8(), self.u8()])
    }
}

/// A `struct_size` for a struct `T`: the real one, an older caller's
/// (from the first revision's size up), a newer caller's larger one, or
/// a too-small one.
fn struct_size<T: Sized32>(choice: u8) -> u32 {
    let (size, first) = (size_of::<T>(), T::MIN_SIZE);
    (match choice % 4 {
        0 => size,
        1 => first + usize::from(choice >> 2) % (size - first + 1),
        2 => size + 8 * (1 + usize::from(choice >> 4)),
        _ => usize::from(choice >> 2),
    }) as u32
}

/// A result struct of type `T` at the start of a zeroed buffer with room
/// for a larger caller's version (whose extra bytes must stay as they are).
struct SizedBuffer {
    bytes: Vec<u64>,
    size: usize,
}

impl SizedBuffer {
    fn new<T: Sized32>(choice: u8) -> Self {
        let declared = struct_size::<T>(choice);
        let room = (declared as usize).max(size_of::<T>()).max(4);
        let mut bytes = vec![0xA5A5_A5A5_A5A5_A5A5u64; room.div_ceil(8)];
        bytes[0] = (bytes[0] & !0xFFFF_FFFF) | u64::from(declared);
        Self {
            bytes,
            size: declared as usize,
        }
    }
    fn ptr<T>(&mut self) -> *mut T {
        self.bytes.as_mut_ptr().cast()
    }
    /// Nothing was written past the caller's `struct_size` or the
    /// library's own struct, whichever is smaller, and nothing at all past
    /// `struct_size` when the declared size was refused.
    fn tail_untouched<T: Sized32>(&self) -> bool {
        let raw: Vec<u8> = self.bytes.iter().flat_map(|w| w.to_le_bytes()).collect();
        let from = if self.size < T::MIN_SIZE {
            4
        } else {
            self.size.min(size_of::<T>())
        };
        raw[from.min(raw.len())..].iter().all(|&b| b == 0xA5)
    }
}

fn allowed(status: BcStatus, ok: &[BcStatus]) -> bool {
    status == BcStatus::Ok || ok.contains(&status)
}

/// Feeds `data` to the C entry points and checks what comes back.
///
/// # Panics
///
/// When an entry point answers out of its contract: a panic caught at the
/// boundary, a status the function does not document, a value out of its
/// range, a buffer written past what was allowed. That is what the fuzzer
/// looks for.
pub fn fuzz_entry_points(data: &[u8]) {
    let mut input = Bytes(data);
    let which = input.u8();
    // Sides up to 96 px: what the boundary does is independent of the
    // image, and small images keep an execution short. Now and then a
    // huge claim instead.
    let huge = which & 0x80 != 0;
    let (width, height) = if huge {
        // Always past the limits (8192 px a side), whatever the rest.
        (input.u32() | 0x1_0000, input.u32())
    } else {
        (u32::from(input.u8() % 97), u32::from(input.u8() % 97))
    };
    let stride_delta = input.u8();
    let offset = usize::from(input.u8());
    let ppi = match input.u8() % 4 {
        0 => 500,
        1 => 300 + u32::from(input.u16()) % 901,
        _ => u32::from(input.u16()),
    };
    let flags = input.u8();
    let size_choice = input.u8();
    let cap_choice = input.u16();
    let policy_bytes: Vec<u8> = (0..input.u8() % 128).map(|_| input.u8()).collect();
    let profile_text: Vec<u8> = (0..input.u8() % 64).map(|_| input.u8()).collect();
    let pixels = input.0;

    let channels = if which % 4 == 1 { 3 } else { 1 };
    let row_len = width as usize * channels;
    // Mostly a valid stride; sometimes one short of the row.
    let stride = if stride_delta == 0xFF {
        row_len.saturating_sub(1)
    } else {
        row_len + usize::from(stride_delta % 16)
    };
    // The pixel pointer somewhere inside the buffer, and a height that
    // keeps the claimed extent inside it: the caller's side of the
    // contract. A huge claim is the exception, refused before any read.
    let offset = offset.min(pixels.len());
    let avail = pixels.len() - offset;
    let height = if huge {
        height
    } else if stride == 0 || row_len > avail {
        0
    } else {
        height.min(((avail - row_len) / stride + 1) as u32)
    };
    let null_data = flags & 1 != 0 || pixels.is_empty();
    let data_ptr = if null_data {
        std::ptr::null()
    } else {
        pixels[offset..].as_ptr()
    };
    let null_out = flags & 2 != 0;
    let vi = flags & 4 != 0;

    if matches!(which % 4, 1 | 2) {
        face(
            data_ptr,
            width,
            height,
            stride,
            channels,
            null_out,
            vi,
            size_choice,
            cap_choice,
            &policy_bytes,
        );
    } else {
        fingerprint(
            data_ptr,
            width,
            height,
            stride,
            ppi,
            null_out,
            vi,
            size_choice,
            cap_choice,
            &policy_bytes,
            &profile_text,
            flags & 8 != 0,
        );
    }

    // The last error message fits any buffer, truncated and terminated.
    let cap = usize::from(cap_choice % 300);
    let mut buf = vec![0x5Au8 as c_char; cap + 4];
    // SAFETY: `buf` holds `cap + 4 >= cap` writable bytes.
    let needed = unsafe { bc_last_error_message(buf.as_mut_ptr(), cap) };
    assert!(needed >= 1);
    if cap > 0 {
        let written = buf[..cap].iter().position(|&c| c == 0).expect("terminated");
        assert!(written < needed);
    }
    assert!(buf[cap..].iter().all(|&c| c == 0x5A), "wrote past cap");
}

#[allow(clippy::too_many_arguments)]
fn fingerprint(
    data: *const u8,
    width: u32,
    height: u32,
    stride: usize,
    ppi: u32,
    null_out: bool,
    vi: bool,
    size_choice: u8,
    cap_choice: u16,
    policy_bytes: &[u8],
    profile_text: &[u8],
    clarity_only: bool,
) {
    let options = BcFingerprintOptions {
        struct_size: size_of::<BcFingerprintOptions>() as u32,
        lang: i32::from(vi),
        analysis: i32::from(clarity_only),
        min_side: 0,
        max_side: 0,
        max_pixels: MAX_PIXELS,
        profile_json: std::ptr::null(),
    };
    let mut handle: *mut BcFingerprintAssessor = std::ptr::null_mut();
    // SAFETY: valid options and a writable `handle`.
    let status = unsafe { bc_fingerprint_assessor_new(&options, &mut handle) };
    assert_eq!(status, BcStatus::Ok);

    // Arbitrary policy bytes, behind a chosen `struct_size`.
    if !policy_bytes.is_empty() {
        let mut words = vec![0u32; size_of::<BcFingerprintPolicy>().div_ceil(4) + 8];
        for (w, chunk) in words.iter_mut().skip(1).zip(policy_bytes.chunks(4)) {
            let mut b = [0u8; 4];
            b[..chunk.len()].copy_from_slice(chunk);
            *w = u32::from_le_bytes(b);
        }
        words[0] = struct_size::<BcFingerprintPolicy>(size_choice).min(4 * words.len() as u32);
        // SAFETY: a live handle; `words` holds `struct_size` readable bytes.
        let status = unsafe { bc_fingerprint_assessor_set_policy(handle, words.as_ptr().cast()) };
        assert!(
            allowed(
                status,
                &[BcStatus::InvalidConfig, BcStatus::InvalidArgument]
            ),
            "{status:?}"
        );
    }
    // Arbitrary profile text (up to its first NUL).
    if !profile_text.is_empty() {
        let text: Vec<u8> = profile_text
            .iter()
            .copied()
            .take_while(|&b| b != 0)
            .collect();
        let text = CString::new(text).expect("no NUL");
        // SAFETY: a live handle and a NUL-terminated string.
        let status = unsafe { bc_fingerprint_assessor_set_profile_json(handle, text.as_ptr()) };
        assert!(
            allowed(
                status,
                &[
                    BcStatus::InvalidProfile,
                    BcStatus::InvalidArgument,
                    BcStatus::InvalidConfig,
                    BcStatus::UnsupportedProfileVersion
                ]
            ),
            "{status:?}"
        );
    }

    let mut out = SizedBuffer::new::<BcFingerprintResult>(size_choice);
    let out_ptr = if null_out {
        std::ptr::null_mut()
    } else {
        out.ptr::<BcFingerprintResult>()
    };
    // SAFETY: a live handle; `data` is NULL or has the claimed extent
    // readable (or the claim is past the limits, refused unread); `out`
    // is NULL or a buffer of at least its declared size.
    let status =
        unsafe { bc_fingerprint_assess(handle, data, width, height, stride, ppi, out_ptr) };
    assert!(
        allowed(
            status,
            &[
                BcStatus::InvalidArgument,
                BcStatus::EmptyImage,
                BcStatus::StrideTooSmall,
                BcStatus::DimensionOverflow,
                BcStatus::ImageTooLarge,
                BcStatus::ImageTooSmall,
                BcStatus::UnsupportedResolution,
            ]
        ),
        "{status:?}"
    );
    assert!(out.tail_untouched::<BcFingerprintResult>());
    if status == BcStatus::Ok && !null_out {
        // SAFETY: a full-size, 8-aligned result the call just filled.
        let r = unsafe { &*out.ptr::<BcFingerprintResult>() };
        if out.size >= size_of::<BcFingerprintResult>() {
            assert!((0.0..=100.0).contains(&r.clarity), "clarity {}", r.clarity);
            assert!((-1.0..=1.0).contains(&r.moisture_index));
            assert!(r.finding_count as usize <= crate::verdict::BC_MAX_FINDINGS);
            assert_eq!(r.finding_count == 0, r.decision == crate::BcDecision::Pass);
            assert!((r.width, r.height, r.ppi) == (width, height, ppi));
        }
    }

    let cap = usize::from(cap_choice) % 1500;
    let mut buf = vec![0x5Au8; cap + 8];
    let mut needed = 0usize;
    // SAFETY: a live handle; `buf` holds `cap` writable bytes.
    let json =
        unsafe { bc_fingerprint_report_json(handle, buf.as_mut_ptr().cast(), cap, &mut needed) };
    check_copy(json, status, &buf, cap, needed);
    let (mut cols, mut rows) = (0u32, 0u32);
    // SAFETY: as above.
    let map =
        unsafe { bc_fingerprint_quality_map(handle, buf.as_mut_ptr(), cap, &mut cols, &mut rows) };
    check_copy(map, status, &buf, cap, (cols * rows) as usize);
    if map == BcStatus::Ok {
        assert!(buf[..(cols * rows) as usize].iter().all(|&q| q <= 100));
    }
    // SAFETY: the live handle, freed once.
    unsafe { bc_fingerprint_assessor_free(handle) };
}

/// Checks a copy-out call: no report after a failed assessment, the size
/// protocol, and nothing written past `cap`.
fn check_copy(status: BcStatus, assessed: BcStatus, buf: &[u8], cap: usize, needed: usize) {
    if assessed != BcStatus::Ok {
        assert_eq!(status, BcStatus::NoReport);
        return;
    }
    assert!(needed > 0);
    if cap < needed {
        assert_eq!(status, BcStatus::BufferTooSmall);
    } else {
        assert_eq!(status, BcStatus::Ok);
    }
    assert!(buf[cap..].iter().all(|&b| b == 0x5A), "wrote past cap");
}

thread_local! {
    /// One face assessor per thread: making one parses the embedded models.
    static FACE: std::cell::Cell<*mut BcFaceAssessor> = const { std::cell::Cell::new(std::ptr::null_mut()) };
}

#[allow(clippy::too_many_arguments)]
fn face(
    data: *const u8,
    width: u32,
    height: u32,
    stride: usize,
    channels: usize,
    null_out: bool,
    vi: bool,
    size_choice: u8,
    cap_choice: u16,
    policy_bytes: &[u8],
) {
    let mut handle = FACE.with(|f| f.get());
    if handle.is_null() {
        let options = BcFaceOptions {
            struct_size: size_of::<BcFaceOptions>() as u32,
            lang: i32::from(vi),
            min_side: 0,
            max_side: 0,
            max_pixels: MAX_PIXELS,
            min_face_fraction: 0.0,
            detector_threshold: 0.0,
        };
        // SAFETY: valid options and a writable `handle`.
        let status = unsafe { bc_face_assessor_new(&options, &mut handle) };
        assert_eq!(status, BcStatus::Ok);
        FACE.with(|f| f.set(handle));
    }
    // Arbitrary policy bytes, then back to the ICAO policy at the end.
    if !policy_bytes.is_empty() {
        let mut words = vec![0u32; size_of::<BcFacePolicy>().div_ceil(4) + 8];
        for (w, chunk) in words.iter_mut().skip(1).zip(policy_bytes.chunks(4)) {
            let mut b = [0u8; 4];
            b[..chunk.len()].copy_from_slice(chunk);
            *w = u32::from_le_bytes(b);
        }
        words[0] = struct_size::<BcFacePolicy>(size_choice).min(4 * words.len() as u32);
        // SAFETY: a live handle; `words` holds `struct_size` readable bytes.
        let status = unsafe { bc_face_assessor_set_policy(handle, words.as_ptr().cast()) };
        assert!(
            allowed(
                status,
                &[BcStatus::InvalidConfig, BcStatus::InvalidArgument]
            ),
            "{status:?}"
        );
    }
    let mut out = SizedBuffer::new::<BcFaceResult>(size_choice);
    let out_ptr = if null_out {
        std::ptr::null_mut()
    } else {
        out.ptr::<BcFaceResult>()
    };
    // SAFETY: as for prints, with `channels` bytes a pixel.
    let status = unsafe {
        if channels == 3 {
            bc_face_assess_rgb(handle, data, width, height, stride, out_ptr)
        } else {
            bc_face_assess_gray(handle, data, width, height, stride, out_ptr)
        }
    };
    assert!(
        allowed(
            status,
            &[
                BcStatus::InvalidArgument,
                BcStatus::EmptyImage,
                BcStatus::StrideTooSmall,
                BcStatus::DimensionOverflow,
                BcStatus::ImageTooLarge,
                BcStatus::ImageTooSmall,
            ]
        ),
        "{status:?}"
    );
    assert!(out.tail_untouched::<BcFaceResult>());
    if status == BcStatus::Ok && !null_out && out.size >= size_of::<BcFaceResult>() {
        // SAFETY: a full-size, 8-aligned result the call just filled.
        let r = unsafe { &*out.ptr::<BcFaceResult>() };
        assert!(r.finding_count as usize <= crate::verdict::BC_MAX_FINDINGS);
        assert_eq!(r.finding_count == 0, r.decision == crate::BcDecision::Pass);
        if r.face_found == 1 {
            assert!(r.ied_px.is_finite() && r.ied_px > 0.0);
        }
    }
    let cap = usize::from(cap_choice) % 1500;
    let mut buf = vec![0x5Au8; cap + 8];
    let mut needed = 0usize;
    // SAFETY: a live handle; `buf` holds `cap` writable bytes.
    let json = unsafe { bc_face_report_json(handle, buf.as_mut_ptr().cast(), cap, &mut needed) };
    check_copy(json, status, &buf, cap, needed);
    // SAFETY: a live handle; NULL restores the ICAO policy.
    let reset = unsafe { bc_face_assessor_set_policy(handle, std::ptr::null()) };
    assert_eq!(reset, BcStatus::Ok);
    if policy_bytes.len() == 95 {
        // Now and then, free the shared assessor and start afresh.
        // SAFETY: the live handle, freed once and forgotten.
        unsafe { bc_face_assessor_free(handle) };
        FACE.with(|f| f.set(std::ptr::null_mut()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arbitrary_inputs_stay_within_the_contract() {
        // A deterministic spread of inputs: every selector, flag and size
        // choice, over a buffer of ramp pixels.
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        for n in 0..400u32 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let mut data: Vec<u8> = seed.to_le_bytes().repeat(4);
            data[0] = (n % 4) as u8 | if n % 37 == 0 { 0x80 } else { 0 };
            data[1] = 30 + (n % 67) as u8;
            data[2] = 30 + (n % 60) as u8;
            data.extend((0..20_000u32).map(|i| (i * 7 + n) as u8));
            fuzz_entry_points(&data);
        }
    }
}

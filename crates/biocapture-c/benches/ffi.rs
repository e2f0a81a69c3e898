//! A fingerprint assessment through the C ABI, beside the same work
//! through the Rust API, on the committed 512x512 print and on its 64x64
//! centre: what the boundary (argument checks, `catch_unwind`, filling
//! the result struct) adds. On the small image the assessment is short,
//! so the boundary's own cost stands out of the machine's noise. The
//! root's `benches/fingerprint.rs` `full/512x512` is the same Rust
//! measurement in the library's own bench.

use biocapture::{
    bc_fingerprint_assess, bc_fingerprint_assessor_free, bc_fingerprint_assessor_new,
    BcFingerprintAssessor, BcFingerprintResult, BcStatus,
};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;
use std::path::Path;

fn load() -> image::GrayImage {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/fingerprint/clean_arch_512.png");
    image::open(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .to_luma8()
}

fn assess(c: &mut Criterion) {
    let full = load();
    let centre = image::imageops::crop_imm(&full, 224, 224, 64, 64).to_image();
    let mut group = c.benchmark_group("fingerprint_ffi");
    for img in [&full, &centre] {
        pair(&mut group, img);
    }
    group.finish();
}

/// The C ABI and the Rust API on `img`, one after the other.
fn pair(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    img: &image::GrayImage,
) {
    let (w, h) = img.dimensions();
    group.throughput(Throughput::Elements(u64::from(w) * u64::from(h)));

    let mut handle: *mut BcFingerprintAssessor = std::ptr::null_mut();
    // SAFETY: NULL options ask for the defaults; `handle` is writable.
    let status = unsafe { bc_fingerprint_assessor_new(std::ptr::null(), &mut handle) };
    assert_eq!(status, BcStatus::Ok);
    // SAFETY: an all-zero result is a valid value of this plain C struct.
    let mut result: BcFingerprintResult = unsafe { std::mem::zeroed() };
    result.struct_size = std::mem::size_of::<BcFingerprintResult>() as u32;
    group.bench_function(format!("c_abi/{w}x{h}"), |b| {
        b.iter(|| {
            // SAFETY: a live handle; `img` holds `h` rows of `w` bytes;
            // `result` is a writable result with its size set.
            let status = unsafe {
                bc_fingerprint_assess(
                    handle,
                    black_box(img.as_raw().as_ptr()),
                    w,
                    h,
                    w as usize,
                    500,
                    &mut result,
                )
            };
            assert_eq!(status, BcStatus::Ok);
            black_box(result.decision)
        })
    });
    // SAFETY: the handle is live and freed once.
    unsafe { bc_fingerprint_assessor_free(handle) };

    let mut assessor =
        biocapture_core::FingerprintAssessor::new(Default::default()).expect("defaults");
    let policy = biocapture_core::FingerprintPolicy::default();
    let view = || biocapture_core::GrayView::new(img.as_raw(), w, h, w as usize).expect("valid");
    let mut report = assessor.assess(view()).expect("assessable");
    group.bench_function(format!("rust/{w}x{h}"), |b| {
        b.iter(|| {
            assessor
                .assess_into(black_box(view()), &mut report)
                .expect("assessable");
            black_box(policy.judge(&report))
        })
    });
}

criterion_group!(benches, assess);
criterion_main!(benches);

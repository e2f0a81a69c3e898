//! The fingerprint scoring loop at realistic sensor sizes, on the committed
//! synthetic prints (`testdata/fingerprint/clean_*.png`).
//!
//! `full` is the whole assessment (clarity, moisture, smudge, residue) plus
//! the verdict; `clarity_only` skips moisture and smudge, so the difference
//! is what those detectors cost.

use biocapture::{Analysis, FingerprintAssessor, FingerprintConfig, FingerprintPolicy, GrayView};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use std::hint::black_box;
use std::path::Path;

/// The committed prints, one per benchmarked size.
const PRINTS: [&str; 4] = [
    "clean_loop_300.png",
    "clean_whorl_388x374.png",
    "clean_arch_512.png",
    "clean_tented_800x750.png",
];

fn load(name: &str) -> image::GrayImage {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/fingerprint")
        .join(name);
    image::open(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .to_luma8()
}

fn assess(c: &mut Criterion) {
    let mut group = c.benchmark_group("fingerprint_assess");
    let policy = FingerprintPolicy::default();
    for name in PRINTS {
        let img = load(name);
        let (w, h) = img.dimensions();
        group.throughput(Throughput::Elements(u64::from(w) * u64::from(h)));
        for (label, analysis) in [
            ("full", Analysis::Full),
            ("clarity_only", Analysis::ClarityOnly),
        ] {
            let config = FingerprintConfig::default().with_analysis(analysis);
            let mut assessor = FingerprintAssessor::new(config).expect("default limits are valid");
            let mut report = assessor.assess(GrayView::from(&img)).expect("assessable");
            group.bench_with_input(
                BenchmarkId::new(label, format!("{w}x{h}")),
                &img,
                |b, img| {
                    b.iter(|| {
                        assessor
                            .assess_into(black_box(GrayView::from(img)), &mut report)
                            .expect("assessable");
                        black_box(policy.judge(&report))
                    })
                },
            );
        }
    }
    group.finish();
}

criterion_group!(benches, assess);
criterion_main!(benches);

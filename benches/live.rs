//! Live capture per-frame cost: a preview frame through a session, against
//! a full assessment of the same frame (what a candidate frame costs).
//!
//! - `finger/preview_adjust/400x400`: a fingerprint session in `Adjust`, a
//!   finger arriving partly on the sensor (the placement pass only).
//! - `face/preview_tracked/640x480`: a face session following the face from
//!   the frame before (detector off: `redetect_every` at its maximum),
//!   and `face/preview_default/640x480` with the default re-detection
//!   every 10 frames, averaged over the frames. The generated face is
//!   framed for a 3:4 photo, so in a 4:3 frame the session stays in
//!   `Adjust` and never takes a candidate.
//! - `*/full_assessment/...`: the assessor on the same frame.
//!
//! Frames come from `synth::live` and are built outside the timed loop;
//! each iteration pushes the same frame with a timestamp 80 ms (finger) or
//! 66 ms (face) later.
//!
//! ```text
//! cargo bench --features synth --bench live -- --measurement-time 3
//! ```

use std::hint::black_box;
use std::time::Duration;

use biocapture::synth::live::{
    face_sequence, finger_sequence, FaceScenario, FingerScenario, Phase,
};
use biocapture::{
    CaptureConfig, FaceAssessor, FaceCapture, FaceConfig, FacePolicy, FingerprintAssessor,
    FingerprintCapture, FingerprintConfig, FingerprintPolicy, GrayView, RgbView,
};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

#[path = "../tests/face_gen/mod.rs"]
mod face_gen;

/// A timeout no benchmark reaches.
const FOREVER: Duration = Duration::from_secs(1_000_000_000);

fn finger(c: &mut Criterion) {
    let mut group = c.benchmark_group("live/finger");
    let (w, h) = (400u32, 400u32);
    let frames = finger_sequence(FingerScenario::Steady, w, h, 1);
    let arriving = &frames
        .iter()
        .find(|f| f.truth.phase == Phase::Arriving)
        .expect("an arriving frame")
        .image;
    let held = &frames
        .iter()
        .find(|f| f.truth.phase == Phase::Holding)
        .expect("a held frame")
        .image;
    group.throughput(Throughput::Elements(u64::from(w) * u64::from(h)));
    let config = CaptureConfig::default().with_timeout(FOREVER);
    let mut session = FingerprintCapture::new(
        config,
        FingerprintConfig::default(),
        FingerprintPolicy::default(),
    )
    .expect("valid config");
    let mut t = Duration::ZERO;
    let state = session.push(GrayView::from(arriving), t).expect("push");
    assert_eq!(state.as_str(), "adjust", "{state:?}");
    group.bench_function(
        BenchmarkId::new("preview_adjust", format!("{w}x{h}")),
        |b| {
            b.iter(|| {
                t += Duration::from_millis(80);
                let state = session
                    .push(black_box(GrayView::from(arriving)), t)
                    .expect("push");
                black_box(state.is_final())
            })
        },
    );
    assert_eq!(session.state().as_str(), "adjust");
    // Only the first frame's, which sizes the buffers.
    assert_eq!(session.full_assessments(), 1);
    let mut assessor = FingerprintAssessor::new(FingerprintConfig::default()).expect("default");
    group.bench_function(
        BenchmarkId::new("full_assessment", format!("{w}x{h}")),
        |b| {
            b.iter(|| {
                assessor
                    .assess(black_box(GrayView::from(held)))
                    .expect("assess")
            })
        },
    );
    group.finish();
}

fn face(c: &mut Criterion) {
    let mut group = c.benchmark_group("live/face");
    let (w, h) = (640u32, 480u32);
    let src = face_gen::source();
    let frames = face_sequence(
        &src,
        face_gen::SOURCE_RIGHT_EYE,
        face_gen::SOURCE_LEFT_EYE,
        FaceScenario::Steady,
        w,
        h,
        1,
    );
    let held = &frames
        .iter()
        .find(|f| f.truth.phase == Phase::Holding)
        .expect("a held frame")
        .image;
    group.throughput(Throughput::Elements(u64::from(w) * u64::from(h)));
    for (name, every) in [("preview_tracked", u32::MAX), ("preview_default", 10)] {
        let config = CaptureConfig::default()
            .with_timeout(FOREVER)
            .with_redetect_every(every);
        let mut session =
            FaceCapture::new(config, FaceConfig::default(), FacePolicy::icao()).expect("valid");
        let mut t = Duration::ZERO;
        session.push(RgbView::from(held), t).expect("push");
        t += Duration::from_millis(66);
        session.push(RgbView::from(held), t).expect("push");
        assert!(session.tracked(), "the second frame follows the first");
        assert_eq!(session.state().as_str(), "adjust");
        group.bench_function(BenchmarkId::new(name, format!("{w}x{h}")), |b| {
            b.iter(|| {
                t += Duration::from_millis(66);
                let state = session
                    .push(black_box(RgbView::from(held)), t)
                    .expect("push");
                black_box(state.is_final())
            })
        });
        assert_eq!(session.state().as_str(), "adjust");
        // Only the first frame's, which sizes the buffers.
        assert_eq!(session.full_assessments(), 1);
        if every == u32::MAX {
            assert!(session.tracked());
            // Only on the first frame: its preview and that assessment.
            assert_eq!(session.detector_runs(), 2);
        }
    }
    let mut assessor = FaceAssessor::new(FaceConfig::default()).expect("default");
    group.bench_function(
        BenchmarkId::new("full_assessment", format!("{w}x{h}")),
        |b| {
            b.iter(|| {
                assessor
                    .assess(black_box(RgbView::from(held)))
                    .expect("assess")
            })
        },
    );
    group.finish();
}

criterion_group!(benches, finger, face);
criterion_main!(benches);

//! Live capture sessions allocate nothing per frame once warmed up: after
//! the first 10 frames of a sequence, pushing a frame (preview pass, full
//! assessment of a candidate, the capture and its copy of the pixels)
//! makes no heap allocation.
//!
//! Counted with `stats_alloc`'s instrumented system allocator, so this
//! file implements no allocator of its own. It counts every thread's
//! allocations, so this file holds a single test and the frames are made
//! before counting starts.
//!
//! Each session takes its sequences in turn, reset between them as a
//! capture station is between subjects. The first one meets a cold
//! session, whose first frame sizes every buffer (see `FaceCapture`).
//! Then fresh sessions watch the empty scene through the warm-up before
//! the subject arrives, so the first face or finger comes after it.
//!
#![cfg(feature = "synth")]

use std::alloc::System;

use biocapture::synth::live::{
    face_sequence, finger_sequence, FaceScenario, FingerScenario, Frame, Phase,
};
use biocapture::{
    CaptureConfig, FaceCapture, FaceConfig, FacePolicy, FingerprintCapture, FingerprintConfig,
    FingerprintPolicy, GrayView, RgbView,
};
use stats_alloc::{Region, StatsAlloc, INSTRUMENTED_SYSTEM};

#[path = "face_gen/mod.rs"]
mod face_gen;

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// Frames let through before counting starts, in each sequence.
const WARM_UP: usize = 10;

/// Pushes every frame (until the session is done) and returns, per frame
/// after the warm-up, the allocations and reallocations it made and the
/// state it gave.
fn count<I>(
    frames: &[Frame<I>],
    mut push: impl FnMut(&Frame<I>) -> (bool, &'static str),
) -> Vec<(usize, usize, &'static str)> {
    let mut out = Vec::with_capacity(frames.len());
    for (i, f) in frames.iter().enumerate() {
        let region = Region::new(GLOBAL);
        let (done, state) = push(f);
        let stats = region.change();
        if i >= WARM_UP {
            out.push((i, stats.allocations + stats.reallocations, state));
        }
        if done {
            break;
        }
    }
    out
}

fn assert_none(kind: &str, counts: &[(usize, usize, &'static str)], must_end: &str) {
    assert!(!counts.is_empty(), "{kind}: no frame after the warm-up");
    let allocating: Vec<_> = counts.iter().filter(|c| c.1 > 0).collect();
    assert!(
        allocating.is_empty(),
        "{kind}: frames that allocated (index, count, state): {allocating:?}"
    );
    assert_eq!(
        counts.last().map(|c| c.2),
        Some(must_end),
        "{kind}: {counts:?}"
    );
}

#[test]
fn no_allocation_per_frame_after_the_first_10_frames() {
    let fingers = [
        (
            finger_sequence(FingerScenario::Steady, 400, 400, 1),
            "captured",
        ),
        (
            finger_sequence(FingerScenario::Slide, 400, 400, 2),
            "captured",
        ),
        (
            finger_sequence(FingerScenario::Wet, 400, 400, 3),
            "no_subject",
        ),
    ];
    let src = face_gen::source();
    let face = |scenario, seed| {
        face_sequence(
            &src,
            face_gen::SOURCE_RIGHT_EYE,
            face_gen::SOURCE_LEFT_EYE,
            scenario,
            360,
            480,
            seed,
        )
    };
    let faces = [
        (face(FaceScenario::Steady, 1), "captured"),
        (face(FaceScenario::BlurBursts, 2), "captured"),
        (face(FaceScenario::EyesCovered, 3), "captured"),
    ];
    // The wet finger is never captured and lifts off in the end.
    let config = CaptureConfig::default();

    let mut finger = FingerprintCapture::new(
        config,
        FingerprintConfig::default(),
        FingerprintPolicy::default(),
    )
    .unwrap();
    for (i, (frames, end)) in fingers.iter().enumerate() {
        finger.reset();
        let counts = count(frames, |f| {
            let state = finger.push(GrayView::from(&f.image), f.timestamp).unwrap();
            (state.is_final(), state.as_str())
        });
        assert_none(&format!("finger sequence {i}"), &counts, end);
    }

    // Without the mouth check: the sequences' subject (the astronaut
    // portrait) smiles with her teeth showing, and the sequences are
    // meant to end captured.
    let mut policy = FacePolicy::icao();
    policy.max_mouth_opening = 1.0;
    let mut session = FaceCapture::new(config, FaceConfig::default(), policy).unwrap();
    for (i, (frames, end)) in faces.iter().enumerate() {
        session.reset();
        let counts = count(frames, |f| {
            let state = session.push(RgbView::from(&f.image), f.timestamp).unwrap();
            (state.is_final(), state.as_str())
        });
        assert_none(&format!("face sequence {i}"), &counts, end);
    }

    // The camera looks at the empty scene for the whole warm-up, then the
    // subject arrives: the first face or finger, its full assessment and
    // the capture all come after the warm-up, in a fresh session.
    let mut session = FaceCapture::new(config, FaceConfig::default(), policy).unwrap();
    let counts = count(&arriving_late(&faces[0].0), |f| {
        let state = session.push(RgbView::from(&f.image), f.timestamp).unwrap();
        (state.is_final(), state.as_str())
    });
    assert_none("face arriving after the warm-up", &counts, "captured");
    let mut finger = FingerprintCapture::new(
        config,
        FingerprintConfig::default(),
        FingerprintPolicy::default(),
    )
    .unwrap();
    let counts = count(&arriving_late(&fingers[0].0), |f| {
        let state = finger.push(GrayView::from(&f.image), f.timestamp).unwrap();
        (state.is_final(), state.as_str())
    });
    assert_none("finger arriving after the warm-up", &counts, "captured");
}

/// `frames` with its empty scene held for two frames more than the
/// warm-up in front of it.
fn arriving_late<I: Clone>(frames: &[Frame<I>]) -> Vec<Frame<I>> {
    let empty = frames
        .iter()
        .find(|f| f.truth.phase == Phase::Empty)
        .expect("a sequence starts empty");
    let step = frames[1].timestamp - frames[0].timestamp;
    let held = WARM_UP + 2;
    let mut out: Vec<Frame<I>> = (0..held)
        .map(|k| Frame {
            image: empty.image.clone(),
            timestamp: step * k as u32,
            truth: empty.truth,
        })
        .collect();
    let offset = step * held as u32;
    out.extend(frames.iter().map(|f| Frame {
        timestamp: f.timestamp + offset,
        ..f.clone()
    }));
    out
}

//! Live capture sessions on generated preview sequences
//! (`biocapture::synth::live`): which frame they capture, or that they
//! capture none and why; bit-for-bit determinism; refused input.
//!
//! The frame a session must capture is the truth's first steady window
//! ([`first_steady_window`]) read with the session's config, and within
//! it the frame with the highest score by a full assessment (clarity for
//! a print, sharpness for a face), the earliest of equals.
#![cfg(feature = "synth")]

use std::time::Duration;

use biocapture::synth::live::{
    face_sequence, finger_sequence, first_steady_window, FaceScenario, FingerScenario, Frame, Phase,
};
use biocapture::{
    CaptureConfig, CaptureState, Error, FaceAssessor, FaceCapture, FaceConfig, FacePolicy,
    FingerprintAssessor, FingerprintCapture, FingerprintConfig, FingerprintPolicy, GrayView,
    Reason, RgbView, Shortfall,
};
use image::{GrayImage, RgbImage};

#[path = "face_gen/mod.rs"]
mod face_gen;

const FINGER_SIDE: u32 = 400;

fn finger_session(config: CaptureConfig) -> FingerprintCapture {
    FingerprintCapture::new(
        config,
        FingerprintConfig::default(),
        FingerprintPolicy::default(),
    )
    .unwrap()
}

/// The ICAO policy without the mouth check: the sequences' subject (the
/// astronaut portrait) smiles with her teeth showing, an open mouth by
/// ICAO's rule, and these tests follow the capture flow of a subject who
/// can pass.
fn face_policy() -> FacePolicy {
    let mut policy = FacePolicy::icao();
    policy.max_mouth_opening = 1.0;
    policy
}

fn face_session(config: CaptureConfig) -> FaceCapture {
    FaceCapture::new(config, FaceConfig::default(), face_policy()).unwrap()
}

fn faces(scenario: FaceScenario, seed: u64) -> Vec<Frame<RgbImage>> {
    face_sequence(
        &face_gen::source(),
        face_gen::SOURCE_RIGHT_EYE,
        face_gen::SOURCE_LEFT_EYE,
        scenario,
        face_gen::OUT_W,
        face_gen::OUT_H,
        seed,
    )
}

/// The window's frame with the highest score, the earliest of equals.
fn best_in(window: std::ops::Range<usize>, mut score: impl FnMut(usize) -> f32) -> usize {
    let (mut best, mut top) = (window.start, f32::NEG_INFINITY);
    for i in window {
        let s = score(i);
        if s > top {
            (best, top) = (i, s);
        }
    }
    best
}

/// What a session said about one frame, in a form compared bit for bit.
#[derive(Debug, PartialEq, Eq)]
struct Said {
    state: &'static str,
    progress_bits: Option<u32>,
    findings: Vec<&'static str>,
    motion_bits: Option<[u32; 3]>,
}

fn said<R>(state: &CaptureState<'_, R>, motion: Option<biocapture::Motion>) -> Said {
    Said {
        state: state.as_str(),
        progress_bits: match state {
            CaptureState::Steady { progress } => Some(progress.to_bits()),
            _ => None,
        },
        findings: state.findings().iter().map(|f| f.reason.code()).collect(),
        motion_bits: motion.map(|m| [m.shift.to_bits(), m.scale.to_bits(), m.turn_deg.to_bits()]),
    }
}

/// What a sequence did: the states, and the final frame's index, its
/// report, verdict and score (Debug) and its pixels.
type Run = (Vec<Said>, Option<(u64, String, Vec<u8>)>);

/// Runs a fingerprint sequence until the session is done; the states and
/// the final frame (index, Debug of the report and verdict, pixels).
fn run_finger(session: &mut FingerprintCapture, frames: &[Frame<GrayImage>]) -> Run {
    let mut states = Vec::new();
    for f in frames {
        session.push(GrayView::from(&f.image), f.timestamp).unwrap();
        let state = session.state();
        let done = state.is_final();
        states.push(said(&state, session.motion()));
        if done {
            break;
        }
    }
    let result = session.result().map(|c| {
        (
            c.index,
            format!("{:?} {:?} {}", c.report, c.verdict, c.score),
            c.pixels.data().to_vec(),
        )
    });
    (states, result)
}

fn run_face(session: &mut FaceCapture, frames: &[Frame<RgbImage>]) -> Run {
    let mut states = Vec::new();
    for f in frames {
        session.push(RgbView::from(&f.image), f.timestamp).unwrap();
        let state = session.state();
        let done = state.is_final();
        states.push(said(&state, session.motion()));
        if done {
            break;
        }
    }
    let result = session.result().map(|c| {
        (
            c.index,
            format!("{:?} {:?} {}", c.report, c.verdict, c.score),
            c.pixels.data().to_vec(),
        )
    });
    (states, result)
}

#[test]
fn fingerprint_captures_the_best_frame_of_the_first_steady_window() {
    let config = CaptureConfig::default();
    let mut assessor = FingerprintAssessor::new(FingerprintConfig::default()).unwrap();
    for (scenario, seed) in [(FingerScenario::Steady, 1), (FingerScenario::Slide, 2)] {
        let frames = finger_sequence(scenario, FINGER_SIDE, FINGER_SIDE, seed);
        let window = first_steady_window(&frames, config.frames_required(), config.window())
            .expect("the sequence holds a steady window");
        let expected = best_in(window.clone(), |i| {
            assessor
                .assess(GrayView::from(&frames[i].image))
                .unwrap()
                .clarity
        });
        let mut session = finger_session(config);
        let (states, _) = run_finger(&mut session, &frames);
        let label = format!("{scenario:?} seed {seed}: {states:?}");
        let CaptureState::Captured(c) = session.state() else {
            panic!("not captured: {label}");
        };
        assert_eq!(c.index as usize, expected, "{label}");
        assert_eq!(c.timestamp, frames[expected].timestamp);
        assert!(frames[expected].truth.good);
        // Captured on the window's last frame, not before.
        assert_eq!(states.len(), window.end, "{label}");
        // The report is the full assessment of those pixels alone.
        let image = &frames[expected].image;
        assert_eq!(c.pixels.data(), image.as_raw().as_slice());
        assert_eq!(c.report, assessor.assess(GrayView::from(image)).unwrap());
        assert!(c.verdict.is_pass());
        assert_eq!(c.score, c.report.clarity);
        // Slides break the run: the session said so with a motion.
        if scenario == FingerScenario::Slide {
            assert!(states.iter().any(|s| s.state == "steady"));
        }
    }
}

#[test]
fn a_wet_finger_is_never_captured_and_times_out_as_a_retake() {
    // A short timeout, so the session gives up while the wet finger holds.
    let config = CaptureConfig::default().with_timeout(Duration::from_millis(600));
    for seed in [3, 4] {
        let frames = finger_sequence(FingerScenario::Wet, FINGER_SIDE, FINGER_SIDE, seed);
        assert!(frames.iter().all(|f| !f.truth.good));
        let mut session = finger_session(config);
        let (states, result) = run_finger(&mut session, &frames);
        assert!(states.iter().all(|s| s.state != "captured"), "{states:?}");
        let CaptureState::TimedOut { best, shortfall } = session.state() else {
            panic!("seed {seed}: did not time out: {states:?}");
        };
        assert_eq!(shortfall, Shortfall::Retake);
        assert!(best.verdict.has(Reason::TooWet), "{:?}", best.verdict);
        assert!(!best.verdict.is_pass());
        // The best frame is one the finger was on, fully assessed.
        let image = &frames[best.index as usize].image;
        let mut assessor = FingerprintAssessor::new(FingerprintConfig::default()).unwrap();
        assert_eq!(best.report, assessor.assess(GrayView::from(image)).unwrap());
        assert!(result.is_some());
        // Frames after the end are answered with the same state.
        let last = frames.last().unwrap();
        let again = session
            .push(
                GrayView::from(&last.image),
                last.timestamp + Duration::from_secs(1),
            )
            .unwrap();
        assert_eq!(again.as_str(), "timed_out");
    }
}

#[test]
fn a_finger_lifted_too_early_is_not_captured() {
    let config = CaptureConfig::default();
    let frames = finger_sequence(FingerScenario::Lift, FINGER_SIDE, FINGER_SIDE, 5);
    assert_eq!(
        first_steady_window(&frames, config.frames_required(), config.window()),
        None
    );
    let mut session = finger_session(config);
    let (states, result) = run_finger(&mut session, &frames);
    assert_eq!(result, None, "{states:?}");
    // Within the timeout the session waits for the finger to come back.
    assert_eq!(states.last().unwrap().state, "no_subject");
    // With a timeout shorter than the sequence it gives up: good frames
    // came, but never held still through a window.
    let short = config.with_timeout(Duration::from_millis(1200));
    let mut session = finger_session(short);
    run_finger(&mut session, &frames);
    let CaptureState::TimedOut { best, shortfall } = session.state() else {
        panic!("did not time out: {:?}", session.state().as_str());
    };
    assert_eq!(shortfall, Shortfall::NotSteady, "{:?}", best.verdict);
    assert!(best.verdict.is_pass());
}

#[test]
fn face_captures_the_best_frame_and_never_a_covered_one() {
    let config = CaptureConfig::default();
    let mut assessor = FaceAssessor::new(FaceConfig::default()).unwrap();
    for (scenario, seed) in [(FaceScenario::Steady, 1), (FaceScenario::EyesCovered, 4)] {
        let frames = faces(scenario, seed);
        let window = first_steady_window(&frames, config.frames_required(), config.window())
            .expect("the sequence holds a steady window");
        let sharpness = |a: &mut FaceAssessor, i: usize| {
            a.assess(RgbView::from(&frames[i].image))
                .unwrap()
                .face
                .and_then(|f| f.photometric)
                .map_or(0.0, |p| p.sharpness.raw)
        };
        let expected = best_in(window, |i| sharpness(&mut assessor, i));
        let mut session = face_session(config);
        let (states, _) = run_face(&mut session, &frames);
        let label = format!("{scenario:?} seed {seed}: {states:?}");
        let CaptureState::Captured(c) = session.state() else {
            panic!("not captured: {label}");
        };
        assert_eq!(c.index as usize, expected, "{label}");
        assert_eq!(frames[expected].truth.phase, Phase::Holding);
        let image = &frames[expected].image;
        assert_eq!(c.pixels.data(), image.as_raw().as_slice());
        assert_eq!(c.report, assessor.assess(RgbView::from(image)).unwrap());
        assert!(c.verdict.is_pass());
        if scenario == FaceScenario::EyesCovered {
            // The covered frames asked the operator to uncover the eyes.
            let covered: Vec<&Said> = frames
                .iter()
                .zip(&states)
                .filter(|(f, _)| f.truth.phase == Phase::EyesCovered)
                .map(|(_, s)| s)
                .collect();
            assert!(!covered.is_empty());
            assert!(
                covered
                    .iter()
                    .all(|s| s.findings.contains(&"eyes_not_visible")),
                "{label}"
            );
        }
    }
}

#[test]
fn face_with_the_eyes_covered_throughout_times_out_as_a_retake() {
    // A generated sequence whose held frames all have the eyes covered:
    // the covered frames of an eyes-covered sequence, held for 1.3 s.
    let frames = faces(FaceScenario::EyesCovered, 6);
    let covered = frames
        .iter()
        .find(|f| f.truth.phase == Phase::EyesCovered)
        .unwrap();
    let interval = Duration::from_millis(66);
    let config = CaptureConfig::default().with_timeout(Duration::from_millis(900));
    let mut session = face_session(config);
    let mut states = Vec::new();
    for i in 0..20u32 {
        let state = session
            .push(RgbView::from(&covered.image), interval * i)
            .unwrap();
        states.push(state.as_str());
        assert_ne!(state.as_str(), "captured");
        if state.is_final() {
            break;
        }
    }
    let CaptureState::TimedOut { best, shortfall } = session.state() else {
        panic!("did not time out: {states:?}");
    };
    assert_eq!(shortfall, Shortfall::Retake);
    assert!(
        best.verdict.has(Reason::EyesNotVisible),
        "{:?}",
        best.verdict
    );
    assert_eq!(
        session.state().first_hint(biocapture::Lang::En),
        Some(best.verdict.findings[0].reason.hint(biocapture::Lang::En))
    );
}

#[test]
fn the_same_sequence_gives_the_same_states_and_frame_bit_for_bit() {
    let config = CaptureConfig::default();
    let frames = finger_sequence(FingerScenario::Slide, FINGER_SIDE, FINGER_SIDE, 7);
    let mut a = finger_session(config);
    let first = run_finger(&mut a, &frames);
    assert!(first.1.is_some());
    let second = run_finger(&mut finger_session(config), &frames);
    assert_eq!(first, second);
    // A session reset and reused (its buffers already sized) agrees too.
    a.reset();
    assert_eq!(a.frames(), 0);
    assert_eq!(run_finger(&mut a, &frames), first);

    let frames = faces(FaceScenario::BlurBursts, 7);
    let mut a = face_session(config);
    let first = run_face(&mut a, &frames);
    assert!(first.1.is_some());
    assert_eq!(run_face(&mut face_session(config), &frames), first);
    a.reset();
    assert_eq!(run_face(&mut a, &frames), first);
}

#[test]
fn refused_frames_leave_the_session_as_it_was() {
    let frames = finger_sequence(FingerScenario::Steady, FINGER_SIDE, FINGER_SIDE, 8);
    let mut session = finger_session(CaptureConfig::default());
    let (f0, f1) = (&frames[5], &frames[6]);
    session
        .push(GrayView::from(&f1.image), f1.timestamp)
        .unwrap();
    // Time going back is refused, and not counted.
    let err = session
        .push(GrayView::from(&f0.image), f0.timestamp)
        .unwrap_err();
    assert_eq!(
        err,
        Error::TimestampOutOfOrder {
            previous: f1.timestamp,
            given: f0.timestamp
        }
    );
    assert_eq!(session.frames(), 1);
    // A frame too small to assess is refused the same way.
    let tiny = vec![128u8; 16 * 16];
    let err = session
        .push(GrayView::new(&tiny, 16, 16, 16).unwrap(), f1.timestamp)
        .unwrap_err();
    assert!(matches!(err, Error::ImageTooSmall { .. }), "{err:?}");
    assert_eq!(session.frames(), 1);
    // A frame of another size is taken: no motion can be read against
    // the frame before, so it does not count as still.
    let small = image::imageops::crop_imm(&frames[7].image, 0, 0, 300, 300).to_image();
    let state = session
        .push(
            GrayView::from(&small),
            f1.timestamp + Duration::from_millis(80),
        )
        .unwrap();
    assert_ne!(state.as_str(), "captured");
    assert_eq!(session.motion(), None);
    assert_eq!(session.frames(), 2);
    // An empty view cannot be made at all.
    assert!(matches!(
        GrayView::new(&[], 0, 0, 0),
        Err(Error::EmptyImage { .. })
    ));

    let mut face = face_session(CaptureConfig::default());
    let rgb = vec![128u8; 3 * 8 * 8];
    let err = face
        .push(RgbView::new(&rgb, 8, 8, 24).unwrap(), Duration::ZERO)
        .unwrap_err();
    assert!(matches!(err, Error::ImageTooSmall { .. }), "{err:?}");
    assert_eq!(face.frames(), 0);
}

#[test]
fn invalid_configs_are_refused_at_construction() {
    let bad = CaptureConfig::default().with_frames_required(0);
    assert!(matches!(
        FingerprintCapture::new(
            bad,
            FingerprintConfig::default(),
            FingerprintPolicy::default()
        ),
        Err(Error::InvalidConfig {
            field: "frames_required",
            ..
        })
    ));
    let bad = CaptureConfig::default().with_timeout(Duration::from_millis(100));
    assert!(matches!(
        FaceCapture::new(bad, FaceConfig::default(), FacePolicy::icao()),
        Err(Error::InvalidConfig {
            field: "timeout",
            ..
        })
    ));
}

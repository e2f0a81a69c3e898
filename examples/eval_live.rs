//! How often a live capture session captures the frame it should, on
//! generated preview sequences with known ground truth
//! (`biocapture::synth::live`).
//!
//! ```text
//! cargo run --release --features synth --example eval_live -- [--n 200] [--kind finger|face|both]
//!     [--seed S] [--verbose]
//! ```
//!
//! For each kind, `--n` sequences (default 200) cycle through the
//! scenarios with seeds `S, S+1, ...` (default 1). Each runs through a
//! session with the default [`CaptureConfig`], policy and assessor
//! settings. The truth's first steady window
//! ([`first_steady_window`]: the first run of good, still frames long
//! enough in frames and time for the config) says where the session
//! should capture; the frame it should pick is the window's frame with
//! the highest score (clarity, or the face's sharpness) by a full
//! assessment, the earliest of equals. A sequence with a window counts as
//! right when the session captured exactly that frame; one without a
//! window counts as right when it did not capture at all. Prints one line
//! per scenario and the totals; `--verbose` prints every sequence that
//! went wrong, with the states the session gave frame by frame.
//!
//! Fingerprints are 400x400 at 500 ppi, faces 360x480 (3:4), made from
//! the committed astronaut portrait.

use std::time::Instant;

use biocapture::synth::live::{
    face_sequence, finger_sequence, first_steady_window, FaceScenario, FingerScenario, Frame,
};
use biocapture::{
    CaptureConfig, CaptureState, FaceAssessor, FaceCapture, FaceConfig, FacePolicy,
    FingerprintAssessor, FingerprintCapture, FingerprintConfig, FingerprintPolicy, GrayView,
    RgbView,
};

#[path = "../tests/face_gen/mod.rs"]
mod face_gen;

/// What one sequence did.
struct Outcome {
    /// The truth's window held frames.
    window: bool,
    /// The session captured the frame it should have (or nothing, without
    /// a window).
    right: bool,
    /// The sequence had no good frame at all and the session captured.
    captured_without_good: bool,
    frames: usize,
    preview_ms: f64,
    full_assessments: u64,
    log: String,
}

fn main() {
    let mut n = 200usize;
    let mut kind = "both".to_string();
    let mut seed0 = 1u64;
    let mut verbose = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--n" => n = args.next().and_then(|v| v.parse().ok()).expect("--n N"),
            "--kind" => kind = args.next().expect("--kind finger|face|both"),
            "--seed" => seed0 = args.next().and_then(|v| v.parse().ok()).expect("--seed S"),
            "--verbose" => verbose = true,
            other => panic!("unknown argument {other}"),
        }
    }
    let config = CaptureConfig::default();
    println!(
        "config: {} frames, window {:?}, timeout {:?}, tolerance {}, ridge turn {} deg, roll change {} deg, redetect every {}",
        config.frames_required(),
        config.window(),
        config.timeout(),
        config.tolerance(),
        config.max_turn_deg(),
        config.max_roll_change_deg(),
        config.redetect_every()
    );
    if kind == "finger" || kind == "both" {
        let scenarios = FingerScenario::ALL;
        let mut results: Vec<(&str, Outcome)> = Vec::new();
        let started = Instant::now();
        for i in 0..n {
            let scenario = scenarios[i % scenarios.len()];
            let seed = seed0 + i as u64;
            let frames = finger_sequence(scenario, 400, 400, seed);
            let outcome = run_finger(&frames, config);
            if verbose && !outcome.right {
                println!("finger {} seed {seed}: {}", scenario.as_str(), outcome.log);
            }
            results.push((scenario.as_str(), outcome));
        }
        report("finger", &results, started);
    }
    if kind == "face" || kind == "both" {
        let src = face_gen::source();
        let scenarios = FaceScenario::ALL;
        let mut results: Vec<(&str, Outcome)> = Vec::new();
        let started = Instant::now();
        for i in 0..n {
            let scenario = scenarios[i % scenarios.len()];
            let seed = seed0 + i as u64;
            let frames = face_sequence(
                &src,
                face_gen::SOURCE_RIGHT_EYE,
                face_gen::SOURCE_LEFT_EYE,
                scenario,
                360,
                480,
                seed,
            );
            let outcome = run_face(&frames, config);
            if verbose && !outcome.right {
                println!("face {} seed {seed}: {}", scenario.as_str(), outcome.log);
            }
            results.push((scenario.as_str(), outcome));
        }
        report("face", &results, started);
    }
}

fn report(kind: &str, results: &[(&str, Outcome)], started: Instant) {
    let mut names: Vec<&str> = results.iter().map(|r| r.0).collect();
    names.dedup();
    names.sort_unstable();
    names.dedup();
    let line = |label: &str, rs: &[&Outcome]| {
        let with: Vec<_> = rs.iter().filter(|o| o.window).collect();
        let without: Vec<_> = rs.iter().filter(|o| !o.window).collect();
        let right_with = with.iter().filter(|o| o.right).count();
        let right_without = without.iter().filter(|o| o.right).count();
        let bad = rs.iter().filter(|o| o.captured_without_good).count();
        let frames: usize = rs.iter().map(|o| o.frames).sum();
        let ms: f64 = rs.iter().map(|o| o.preview_ms).sum();
        let full: u64 = rs.iter().map(|o| o.full_assessments).sum();
        println!(
            "{kind} {label:<13} sequences {:>4}  with a window {:>4}: best frame captured {:>4} ({:.1} %)  without: not captured {:>3} of {:>3}  no good frame yet captured {}  full assessments {:.1} % of {} frames, {:.3} ms a frame",
            rs.len(),
            with.len(),
            right_with,
            100.0 * right_with as f64 / with.len().max(1) as f64,
            right_without,
            without.len(),
            bad,
            100.0 * full as f64 / frames.max(1) as f64,
            frames,
            ms / frames.max(1) as f64,
        );
    };
    for name in &names {
        let rs: Vec<&Outcome> = results
            .iter()
            .filter(|r| r.0 == *name)
            .map(|r| &r.1)
            .collect();
        line(name, &rs);
    }
    let all: Vec<&Outcome> = results.iter().map(|r| &r.1).collect();
    line("all", &all);
    println!(
        "{kind}: {} sequences in {:.1} s",
        results.len(),
        started.elapsed().as_secs_f64()
    );
}

/// The index the session should capture: the truth window's frame with
/// the highest score, the earliest of equals.
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

fn run_finger(frames: &[Frame<image::GrayImage>], config: CaptureConfig) -> Outcome {
    let mut session = FingerprintCapture::new(
        config,
        FingerprintConfig::default(),
        FingerprintPolicy::default(),
    )
    .expect("valid config");
    let mut debug_assessor =
        FingerprintAssessor::new(FingerprintConfig::default()).expect("default");
    let mut log = String::new();
    let mut captured = None;
    let mut ms = 0.0;
    for (i, f) in frames.iter().enumerate() {
        let t = Instant::now();
        session
            .push(GrayView::from(&f.image), f.timestamp)
            .expect("assessable");
        ms += t.elapsed().as_secs_f64() * 1e3;
        let state = session.state();
        let full = debug_assessor
            .assess(GrayView::from(&f.image))
            .expect("assessable");
        log.push_str(&format!(
            "\n  {i:>2} clarity {:5.1} mq {:5.1} area {:6} {:<9} good {} still {} -> {}",
            full.clarity,
            full.mean_block_quality,
            full.foreground.area_px,
            f.truth.phase.as_str(),
            f.truth.good as u8,
            f.truth.still as u8,
            describe(&state, session.motion())
        ));
        if let CaptureState::Captured(c) = state {
            captured = Some(c.index as usize);
        }
        if state.is_final() {
            break;
        }
    }
    let window = first_steady_window(frames, config.frames_required(), config.window());
    let mut assessor = FingerprintAssessor::new(FingerprintConfig::default()).expect("default");
    let expected = window.clone().map(|w| {
        best_in(w, |i| {
            assessor
                .assess(GrayView::from(&frames[i].image))
                .expect("assessable")
                .clarity
        })
    });
    log.push_str(&format!(
        "\n  window {window:?} expected {expected:?} captured {captured:?}"
    ));
    let any_good = frames.iter().any(|f| f.truth.good);
    Outcome {
        window: window.is_some(),
        right: expected == captured,
        captured_without_good: !any_good && captured.is_some(),
        frames: session.frames() as usize,
        preview_ms: ms,
        full_assessments: session.full_assessments(),
        log,
    }
}

fn run_face(frames: &[Frame<image::RgbImage>], config: CaptureConfig) -> Outcome {
    let mut session =
        FaceCapture::new(config, FaceConfig::default(), FacePolicy::icao()).expect("valid config");
    let mut log = String::new();
    let mut captured = None;
    let mut ms = 0.0;
    for (i, f) in frames.iter().enumerate() {
        let t = Instant::now();
        session
            .push(RgbView::from(&f.image), f.timestamp)
            .expect("assessable");
        ms += t.elapsed().as_secs_f64() * 1e3;
        let state = session.state();
        log.push_str(&format!(
            "\n  {i:>2} {:<12} good {} still {} -> {}{}",
            f.truth.phase.as_str(),
            f.truth.good as u8,
            f.truth.still as u8,
            describe(&state, session.motion()),
            if session.tracked() { " (tracked)" } else { "" }
        ));
        if let CaptureState::Captured(c) = state {
            captured = Some(c.index as usize);
        }
        if state.is_final() {
            break;
        }
    }
    let window = first_steady_window(frames, config.frames_required(), config.window());
    let mut assessor = FaceAssessor::new(FaceConfig::default()).expect("default");
    let expected = window.clone().map(|w| {
        best_in(w, |i| {
            assessor
                .assess(RgbView::from(&frames[i].image))
                .expect("assessable")
                .face
                .and_then(|f| f.photometric)
                .map_or(0.0, |p| p.sharpness.raw)
        })
    });
    log.push_str(&format!(
        "\n  window {window:?} expected {expected:?} captured {captured:?}"
    ));
    let any_good = frames.iter().any(|f| f.truth.good);
    Outcome {
        window: window.is_some(),
        right: expected == captured,
        captured_without_good: !any_good && captured.is_some(),
        frames: session.frames() as usize,
        preview_ms: ms,
        full_assessments: session.full_assessments(),
        log,
    }
}

fn describe<R>(state: &CaptureState<'_, R>, motion: Option<biocapture::Motion>) -> String {
    let m = motion.map_or(String::new(), |m| {
        format!(
            " [shift {:.3} scale {:.3} turn {:.1}]",
            m.shift, m.scale, m.turn_deg
        )
    });
    match state {
        CaptureState::Adjust { findings } => {
            let codes: Vec<&str> = findings.iter().map(|f| f.reason.code()).collect();
            format!("adjust {codes:?}{m}")
        }
        CaptureState::Steady { progress } => format!("steady {progress:.2}{m}"),
        CaptureState::Captured(c) => format!("captured #{} score {:.3}{m}", c.index, c.score),
        CaptureState::TimedOut { best, shortfall } => format!(
            "timed out ({}) best #{} {:?}",
            shortfall.as_str(),
            best.index,
            best.verdict.codes()
        ),
        other => format!("{}{m}", other.as_str()),
    }
}

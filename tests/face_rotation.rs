//! Subjects lying down: a face turned in the frame is found in a turned
//! view, its eyes and roll are reported in the image's own pixels, and the
//! verdict asks for the camera or the image to be turned.

use biocapture::{FaceAssessor, FaceConfig, FacePolicy, Reason, RgbView};

#[path = "face_gen/mod.rs"]
mod face_gen;

/// The roll `a - b` wrapped to -180..180.
fn roll_diff(a: f32, b: f32) -> f32 {
    (a - b + 540.0).rem_euclid(360.0) - 180.0
}

#[test]
fn turned_faces_are_found_with_their_roll_and_asked_to_be_turned() {
    let src = face_gen::source();
    let mut assessor = FaceAssessor::new(FaceConfig::default()).expect("default config");
    let policy = FacePolicy::icao();
    let (w, h) = (480u32, 480u32);
    for roll in [90.0f32, -90.0, 180.0, 60.0, -120.0] {
        let p = face_gen::Placement {
            ied: 90.0,
            mid_x: 0.5,
            mid_y: 0.5,
            roll_deg: roll,
        };
        let img = face_gen::place(&src, &p, w, h);
        let report = assessor.assess(RgbView::from(&img)).expect("assess");
        let face = report
            .face
            .as_ref()
            .unwrap_or_else(|| panic!("roll {roll}: no face"));
        assert!(face.view_turn_deg.is_some(), "roll {roll}: {face:?}");
        let measured = face.framing.roll_deg;
        assert!(
            roll_diff(measured, roll).abs() < 5.0,
            "roll {roll}: measured {measured}"
        );
        // The eyes, in this image's pixels, with the subject's left and
        // right kept.
        let (s, c) = roll.to_radians().sin_cos();
        let (mx, my) = (p.mid_x * w as f32, p.mid_y * h as f32);
        let left = (mx + 45.0 * c, my + 45.0 * s);
        let right = (mx - 45.0 * c, my - 45.0 * s);
        for (found, truth) in [(face.eyes.left, left), (face.eyes.right, right)] {
            let d = (found.x - truth.0).hypot(found.y - truth.1);
            assert!(d < 9.0, "roll {roll}: eye {found:?} vs {truth:?}");
        }
        assert!(face.photometric.is_none() && face.framing.yaw_deg.is_none());
        let verdict = policy.judge(&report);
        assert_eq!(verdict.codes(), vec!["rotate_image"], "roll {roll}");
        // A policy that allows any roll judges the framing instead.
        let lenient = FacePolicy {
            max_roll_before_rotate_deg: 180.0,
            ..FacePolicy::icao()
        };
        let v = lenient.judge(&report);
        assert!(!v.has(Reason::RotateImage) && v.has(Reason::HeadTilted));
    }
}

#[test]
fn an_upright_face_is_not_searched_for_in_turned_views() {
    let src = face_gen::source();
    let mut assessor = FaceAssessor::new(FaceConfig::default()).expect("default config");
    let img = face_gen::make(&src, "well_framed");
    let report = assessor.assess(RgbView::from(&img)).expect("assess");
    let face = report.face.as_ref().expect("a face");
    assert_eq!(face.view_turn_deg, None);
    assert!(face.framing.roll_deg.abs() < 3.0);
    assert!(!FacePolicy::icao().judge(&report).has(Reason::RotateImage));
}

#[test]
fn a_live_session_asks_to_turn_the_camera_for_a_subject_lying_down() {
    use biocapture::{CaptureConfig, FaceCapture};
    use std::time::Duration;
    let src = face_gen::source();
    let p = face_gen::Placement {
        ied: 90.0,
        mid_x: 0.5,
        mid_y: 0.5,
        roll_deg: 90.0,
    };
    let img = face_gen::place(&src, &p, 480, 480);
    let policy = FacePolicy::icao();
    let mut capture =
        FaceCapture::new(CaptureConfig::default(), FaceConfig::default(), policy).expect("new");
    for i in 0..12u64 {
        capture
            .push(RgbView::from(&img), Duration::from_millis(100 * i))
            .expect("push");
        let preview = capture.preview();
        let face = preview.face.as_ref().expect("a face in every frame");
        assert!(face.view_turn_deg.is_some(), "frame {i}: {face:?}");
        assert_eq!(
            policy.judge(preview).codes(),
            vec!["rotate_image"],
            "frame {i}"
        );
    }
    assert!(
        capture.result().is_none(),
        "a turned face is never captured"
    );
}

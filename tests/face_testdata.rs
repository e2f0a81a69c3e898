//! Every generated face variation gets exactly the reasons its manifest
//! entry expects; real non-face photos get `no_face`.

mod face_gen;

use biocapture::{
    EyePair, FaceAssessor, FaceConfig, FacePolicy, FaceReport, GrayView, Point, RgbView,
};
use std::path::Path;

fn manifest() -> Vec<(String, Vec<String>)> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/face/manifest.json");
    let text = std::fs::read_to_string(path).expect("manifest.json");
    let v: serde_json::Value = serde_json::from_str(&text).expect("manifest is JSON");
    v["variations"]
        .as_array()
        .expect("variations array")
        .iter()
        .map(|e| {
            let name = e["name"].as_str().expect("name").to_string();
            let mut expected: Vec<String> = e["expected"]
                .as_array()
                .expect("expected array")
                .iter()
                .map(|r| r.as_str().expect("reason code").to_string())
                .collect();
            expected.sort();
            (name, expected)
        })
        .collect()
}

fn codes(report: &FaceReport) -> Vec<String> {
    let mut c: Vec<String> = FacePolicy::icao()
        .judge(report)
        .codes()
        .into_iter()
        .map(String::from)
        .collect();
    c.sort();
    c
}

#[test]
fn manifest_lists_every_variation() {
    let names: Vec<String> = manifest().into_iter().map(|(n, _)| n).collect();
    let generated: Vec<String> = face_gen::VARIATIONS.iter().map(|s| s.to_string()).collect();
    assert_eq!(names, generated);
}

#[test]
fn every_variation_gets_exactly_its_reasons() {
    let src = face_gen::source();
    let mut assessor = FaceAssessor::new(FaceConfig::default()).unwrap();
    let mut wrong = Vec::new();
    for (name, expected) in manifest() {
        let img = face_gen::make(&src, &name);
        let report = assessor.assess(RgbView::from(&img)).unwrap();
        let got = codes(&report);
        if got != expected {
            wrong.push(format!("{name}: expected {expected:?}, got {got:?}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn eyes_land_where_the_generator_put_them() {
    let src = face_gen::source();
    let mut assessor = FaceAssessor::new(FaceConfig::default()).unwrap();
    for name in [
        "well_framed",
        "shifted",
        "too_small",
        "rolled_15",
        "blurred",
    ] {
        let p = face_gen::placement(name);
        let ((rx, ry), (lx, ly)) = face_gen::eyes(&p);
        let img = face_gen::make(&src, name);
        let report = assessor.assess(RgbView::from(&img)).unwrap();
        let face = report.face.expect("a face");
        let err = face
            .eyes
            .left
            .distance(Point::new(lx, ly))
            .max(face.eyes.right.distance(Point::new(rx, ry)))
            / p.ied;
        assert!(err < 0.05, "{name}: worse eye off by {err:.3} IED");
        assert!(
            (face.framing.roll_deg - p.roll_deg).abs() < 2.0,
            "{name}: roll {} vs {}",
            face.framing.roll_deg,
            p.roll_deg
        );
    }
}

#[test]
fn grey_input_is_judged_on_geometry_and_light() {
    let src = face_gen::source();
    let mut assessor = FaceAssessor::new(FaceConfig::default()).unwrap();
    for (name, expected) in [
        ("well_framed", vec![]),
        ("shifted", vec!["off_center_left"]),
        ("darkened", vec!["too_dark"]),
    ] {
        let rgb = face_gen::make(&src, name);
        let grey = image::DynamicImage::ImageRgb8(rgb).to_luma8();
        let (w, h) = grey.dimensions();
        let report = assessor
            .assess_gray(GrayView::new(grey.as_raw(), w, h, w as usize).unwrap())
            .unwrap();
        assert!(report.gray);
        assert_eq!(codes(&report), expected, "{name}");
    }
}

#[test]
fn supplied_eyes_skip_detection() {
    let src = face_gen::source();
    let mut assessor = FaceAssessor::new(FaceConfig::default()).unwrap();
    for (name, expected) in [
        ("well_framed", vec![]),
        ("shifted", vec!["off_center_left"]),
    ] {
        let p = face_gen::placement(name);
        let ((rx, ry), (lx, ly)) = face_gen::eyes(&p);
        let img = face_gen::make(&src, name);
        let eyes = EyePair::from_points(Point::new(rx, ry), Point::new(lx, ly));
        let report = assessor
            .assess_with_eyes(RgbView::from(&img), eyes)
            .unwrap();
        assert!(report.detections.is_empty());
        let face = report.face.as_ref().unwrap();
        assert_eq!(face.framing.yaw_deg, None);
        assert!((face.framing.ied_px - p.ied).abs() < 0.01);
        assert_eq!(codes(&report), expected, "{name}");
    }
}

#[test]
fn same_input_same_report() {
    let src = face_gen::source();
    let img = face_gen::make(&src, "rolled_15");
    let mut a = FaceAssessor::new(FaceConfig::default()).unwrap();
    let mut b = FaceAssessor::new(FaceConfig::default()).unwrap();
    let first = a.assess(RgbView::from(&img)).unwrap();
    // A different image in between must leave no trace in the scratch.
    let other = face_gen::make(&src, "too_small");
    a.assess(RgbView::from(&other)).unwrap();
    assert_eq!(a.assess(RgbView::from(&img)).unwrap(), first);
    assert_eq!(b.assess(RgbView::from(&img)).unwrap(), first);
}

#[test]
fn real_non_faces_get_no_face() {
    let dir =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/face/skimage_samples/images");
    if !dir.is_dir() {
        println!(
            "skipped: {} is absent (shared data not next to the checkout)",
            dir.display()
        );
        return;
    }
    let mut assessor = FaceAssessor::new(FaceConfig::default()).unwrap();
    for name in ["camera.png", "chelsea.png", "coffee.png"] {
        let img = image::open(dir.join(name)).unwrap();
        let report = if img.color().has_color() {
            let rgb = img.to_rgb8();
            assessor.assess(RgbView::from(&rgb)).unwrap()
        } else {
            let g = img.to_luma8();
            let (w, h) = g.dimensions();
            assessor
                .assess_gray(GrayView::new(g.as_raw(), w, h, w as usize).unwrap())
                .unwrap()
        };
        assert_eq!(codes(&report), vec!["no_face"], "{name}");
    }
}

#[test]
fn two_people_give_multiple_faces() {
    let src = face_gen::source();
    let one = face_gen::make(&src, "well_framed");
    // Two subjects side by side.
    let (w, h) = one.dimensions();
    let mut two = image::RgbImage::new(2 * w, h);
    image::imageops::replace(&mut two, &one, 0, 0);
    image::imageops::replace(&mut two, &one, w as i64, 0);
    let mut assessor = FaceAssessor::new(FaceConfig::default()).unwrap();
    let report = assessor.assess(RgbView::from(&two)).unwrap();
    assert_eq!(report.detections.len(), 2, "{:?}", report.detections);
    assert!(codes(&report).contains(&"multiple_faces".to_string()));
    // The same portrait alone has no such reason.
    let alone = assessor.assess(RgbView::from(&one)).unwrap();
    assert!(!codes(&alone).contains(&"multiple_faces".to_string()));
}

#[test]
fn lighting_check_follows_the_lighting_ratio() {
    // The portrait lit from one side so that the far half of the face gets
    // `ratio` of the light: a mild 0.8 is still even enough for an ID
    // photo, a classic 1:2 portrait light (0.5) is not.
    let src = face_gen::source();
    let mut a = FaceAssessor::new(FaceConfig::default()).unwrap();
    let mut uneven = |ratio: f32| {
        let mut img = face_gen::make(&src, "well_framed");
        face_gen::side_light(&mut img, &face_gen::WELL_FRAMED, ratio);
        let r = a.assess(RgbView::from(&img)).unwrap();
        codes(&r).contains(&"uneven_lighting".to_string())
    };
    assert!(!uneven(1.0), "unchanged portrait");
    assert!(!uneven(0.8), "ratio 0.8");
    assert!(uneven(0.5), "ratio 0.5");
    assert!(uneven(0.35), "ratio 0.35");
}

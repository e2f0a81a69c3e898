//! What a service relies on: thread-safety of the public types, the same
//! report from any number of threads, and serde round trips with stable
//! field names and codes.

mod face_gen;

use biocapture::{
    Actionable, Analysis, BlockMaps, Decision, Detection, Error, EyePair, EyeSource, FaceAssessor,
    FaceBox, FaceConfig, FaceMeasures, FacePolicy, FaceReport, Finding, FingerprintAssessor,
    FingerprintConfig, FingerprintPolicy, FingerprintReport, Foreground, Framing, GrayView,
    Measure, Moisture, MoistureClass, Photometric, PixelRect, Point, Reason, RgbView,
    SeetaFaceDetector, Severity, Smudge, Verdict,
};
use std::path::{Path, PathBuf};

fn send_sync<T: Send + Sync>() {}
fn send_clone<T: Send + Clone>() {}
fn send<T: Send>() {}

/// Compile-time checks: if a type loses `Send`/`Sync`, this test stops
/// compiling.
#[test]
fn public_types_are_thread_safe() {
    // Values: shared freely between threads.
    send_sync::<FingerprintReport>();
    send_sync::<Foreground>();
    send_sync::<BlockMaps>();
    send_sync::<Actionable>();
    send_sync::<Moisture>();
    send_sync::<MoistureClass>();
    send_sync::<Smudge>();
    send_sync::<PixelRect>();
    send_sync::<Analysis>();
    send_sync::<FaceReport>();
    send_sync::<FaceMeasures>();
    send_sync::<Framing>();
    send_sync::<Photometric>();
    send_sync::<Measure>();
    send_sync::<Detection>();
    send_sync::<EyePair>();
    send_sync::<EyeSource>();
    send_sync::<FaceBox>();
    send_sync::<Point>();
    send_sync::<Verdict>();
    send_sync::<Finding>();
    send_sync::<Reason>();
    send_sync::<Severity>();
    send_sync::<Decision>();
    send_sync::<Error>();
    // Policies and configs: one shared by every worker.
    send_sync::<FingerprintPolicy>();
    send_sync::<FacePolicy>();
    send_sync::<FingerprintConfig>();
    send_sync::<FaceConfig>();
    // Views borrow the caller's buffer; scoped threads can share them.
    send_sync::<GrayView<'static>>();
    send_sync::<RgbView<'static>>();
    // Assessors own scratch: one per thread. The fingerprint assessor and
    // the built-in detector are cheap to clone; a face assessor is built
    // per thread (`FaceAssessor::new` costs no model load: the model is
    // embedded and each thread's detector is made once).
    send_clone::<FingerprintAssessor>();
    send_sync::<FingerprintAssessor>();
    send_clone::<SeetaFaceDetector>();
    send::<FaceAssessor>();
}

fn fingerprint_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/fingerprint");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "png"))
        .collect();
    files.sort();
    assert!(files.len() >= 10, "testdata prints missing");
    files
}

fn load_prints() -> Vec<image::GrayImage> {
    fingerprint_files()
        .iter()
        .map(|p| image::open(p).unwrap().to_luma8())
        .collect()
}

/// Bit-exact comparison: `Debug` prints every float with the shortest
/// digits that round-trip, so equal strings mean equal bits (and `-0.0`
/// differs from `0.0`, which `PartialEq` would let pass).
fn bits<T: std::fmt::Debug>(v: &T) -> String {
    format!("{v:?}")
}

/// Assesses `images` on `threads` scoped threads, each with its own clone
/// of one assessor, taking images in an interleaved order so every
/// assessor's scratch sees a different size history than the serial run.
fn parallel_fingerprints(
    images: &[image::GrayImage],
    threads: usize,
    proto: &FingerprintAssessor,
) -> Vec<FingerprintReport> {
    let mut out: Vec<Option<FingerprintReport>> = vec![None; images.len()];
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let mut assessor = proto.clone();
                scope.spawn(move || {
                    let mut mine = Vec::new();
                    // Backwards, so the size history differs from serial.
                    for i in (0..images.len()).rev().filter(|i| i % threads == t) {
                        let view = GrayView::from(&images[i]);
                        mine.push((i, assessor.assess(view).unwrap()));
                    }
                    mine
                })
            })
            .collect();
        for h in handles {
            for (i, r) in h.join().unwrap() {
                out[i] = Some(r);
            }
        }
    });
    out.into_iter().map(Option::unwrap).collect()
}

#[test]
fn fingerprint_reports_are_identical_serial_and_parallel() {
    let images = load_prints();
    let mut assessor = FingerprintAssessor::new(FingerprintConfig::default()).unwrap();
    let serial: Vec<FingerprintReport> = images
        .iter()
        .map(|img| assessor.assess(GrayView::from(img)).unwrap())
        .collect();
    // The same assessor again, warm: its scratch must not leak into results.
    for (img, first) in images.iter().zip(&serial) {
        let again = assessor.assess(GrayView::from(img)).unwrap();
        assert_eq!(bits(&again), bits(first));
    }
    let proto = FingerprintAssessor::new(FingerprintConfig::default()).unwrap();
    for threads in [2, 3, 8] {
        let parallel = parallel_fingerprints(&images, threads, &proto);
        for (i, (s, p)) in serial.iter().zip(&parallel).enumerate() {
            assert_eq!(bits(s), bits(p), "print {i} differs on {threads} threads");
        }
    }
}

#[test]
fn face_reports_are_identical_serial_and_parallel() {
    let src = face_gen::source();
    let images: Vec<image::RgbImage> = face_gen::VARIATIONS
        .iter()
        .map(|n| face_gen::make(&src, n))
        .collect();
    let mut assessor = FaceAssessor::new(FaceConfig::default()).unwrap();
    let serial: Vec<String> = images
        .iter()
        .map(|img| bits(&assessor.assess(RgbView::from(img)).unwrap()))
        .collect();
    for threads in [2, 4] {
        let mut parallel = vec![String::new(); images.len()];
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..threads)
                .map(|t| {
                    let images = &images;
                    scope.spawn(move || {
                        let mut assessor = FaceAssessor::new(FaceConfig::default()).unwrap();
                        (0..images.len())
                            .rev()
                            .filter(|i| i % threads == t)
                            .map(|i| {
                                (
                                    i,
                                    bits(&assessor.assess(RgbView::from(&images[i])).unwrap()),
                                )
                            })
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            for h in handles {
                for (i, r) in h.join().unwrap() {
                    parallel[i] = r;
                }
            }
        });
        for (i, (s, p)) in serial.iter().zip(&parallel).enumerate() {
            assert_eq!(
                s,
                p,
                "{} differs on {threads} threads",
                face_gen::VARIATIONS[i]
            );
        }
    }
}

/// A value survives `serde_json` both ways, bit for bit.
fn round_trip<T>(v: &T) -> String
where
    T: serde::Serialize + serde::de::DeserializeOwned + std::fmt::Debug,
{
    let json = serde_json::to_string(v).unwrap();
    let back: T = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {json}"));
    assert_eq!(bits(&back), bits(v), "round trip changed the value");
    json
}

/// The field names of `v`'s JSON object, in the order written.
fn keys<T: serde::Serialize>(v: &T) -> Vec<String> {
    struct Keys(Vec<String>);
    impl<'de> serde::Deserialize<'de> for Keys {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> serde::de::Visitor<'de> for V {
                type Value = Keys;
                fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str("an object")
                }
                fn visit_map<A: serde::de::MapAccess<'de>>(
                    self,
                    mut map: A,
                ) -> Result<Keys, A::Error> {
                    let mut keys = Vec::new();
                    while let Some(k) = map.next_key::<String>()? {
                        map.next_value::<serde::de::IgnoredAny>()?;
                        keys.push(k);
                    }
                    Ok(Keys(keys))
                }
            }
            d.deserialize_map(V)
        }
    }
    let json = serde_json::to_string(v).unwrap();
    serde_json::from_str::<Keys>(&json).unwrap().0
}

#[test]
fn fingerprint_reports_round_trip_through_json() {
    let mut assessor = FingerprintAssessor::new(FingerprintConfig::default()).unwrap();
    let policy = FingerprintPolicy::default();
    for img in load_prints() {
        let report = assessor.assess(GrayView::from(&img)).unwrap();
        round_trip(&report);
        round_trip(&policy.judge(&report));
    }
    let clarity_only =
        FingerprintAssessor::new(FingerprintConfig::default().with_analysis(Analysis::ClarityOnly))
            .unwrap()
            .assess(GrayView::from(&load_prints()[1]))
            .unwrap();
    round_trip(&clarity_only);
}

#[test]
fn face_reports_round_trip_through_json() {
    let src = face_gen::source();
    let mut assessor = FaceAssessor::new(FaceConfig::default()).unwrap();
    let policy = FacePolicy::icao();
    for name in face_gen::VARIATIONS {
        let img = face_gen::make(&src, name);
        let report = assessor.assess(RgbView::from(&img)).unwrap();
        assert!(report.face.is_some(), "{name}: no face");
        round_trip(&report);
        round_trip(&policy.judge(&report));
    }
    // No face, and supplied eyes (no yaw): the `None`s survive too.
    let blank = image::RgbImage::from_pixel(200, 200, image::Rgb([128, 128, 128]));
    round_trip(&assessor.assess(RgbView::from(&blank)).unwrap());
    let img = face_gen::make(&src, "well_framed");
    let (r, l) = face_gen::eyes(&face_gen::WELL_FRAMED);
    let eyes = EyePair::from_points(Point::new(r.0, r.1), Point::new(l.0, l.1));
    let supplied = assessor
        .assess_with_eyes(RgbView::from(&img), eyes)
        .unwrap();
    let json = round_trip(&supplied);
    assert!(json.contains("\"eye_source\":\"supplied\""), "{json}");
    assert!(json.contains("\"yaw_deg\":null"), "{json}");
}

#[test]
fn codes_serialise_as_their_stable_strings() {
    for &r in Reason::ALL {
        let json = serde_json::to_string(&r).unwrap();
        assert_eq!(json, format!("\"{}\"", r.code()));
        assert_eq!(serde_json::from_str::<Reason>(&json).unwrap(), r);
    }
    let err = serde_json::from_str::<Reason>("\"too_moist\"").unwrap_err();
    assert!(err.to_string().contains("unknown reason code"), "{err}");
    for d in [Decision::Pass, Decision::Retake] {
        assert_eq!(
            serde_json::to_string(&d).unwrap(),
            format!("\"{}\"", d.as_str())
        );
    }
    for s in [Severity::Minor, Severity::Major, Severity::Critical] {
        assert_eq!(
            serde_json::to_string(&s).unwrap(),
            format!("\"{}\"", s.as_str())
        );
    }
    for c in [
        MoistureClass::Dry,
        MoistureClass::Normal,
        MoistureClass::Wet,
    ] {
        assert_eq!(
            serde_json::to_string(&c).unwrap(),
            format!("\"{}\"", c.as_str())
        );
    }
    assert_eq!(
        serde_json::to_string(&Analysis::ClarityOnly).unwrap(),
        "\"clarity_only\""
    );
    assert_eq!(
        serde_json::to_string(&EyeSource::Located).unwrap(),
        "\"located\""
    );
    let v = Verdict::from_findings(vec![Finding {
        reason: Reason::TooWet,
        severity: Severity::Major,
    }]);
    assert_eq!(
        serde_json::to_string(&v).unwrap(),
        r#"{"decision":"retake","findings":[{"reason":"too_wet","severity":"major"}]}"#
    );
}

/// The field names are part of the API (README, "JSON"): renaming one must
/// fail here, not in a customer's parser. Adding fields is allowed (append
/// the name here).
#[test]
fn field_names_are_stable() {
    let mut assessor = FingerprintAssessor::new(FingerprintConfig::default()).unwrap();
    let report = assessor.assess(GrayView::from(&load_prints()[1])).unwrap();
    assert_eq!(
        keys(&report),
        [
            "width",
            "height",
            "ppi",
            "block_px",
            "actionable",
            "foreground",
            "blocks",
            "quality_map",
            "moisture",
            "smudge",
            "ridge_period",
            "ridge_contrast",
            "mean_block_quality",
            "clarity",
            "sensor_profile"
        ]
    );
    assert_eq!(
        keys(&report.moisture),
        [
            "index",
            "class",
            "severity",
            "ridge_gaps",
            "valley_bridges",
            "bridged_fraction",
            "ridge_fill",
            "ridge_duty",
            "ridge_texture",
            "wet_blob_fraction",
            "dry_fragment_fraction",
            "contact_blocks",
            "map"
        ]
    );
    assert_eq!(
        keys(&report.smudge),
        [
            "fraction",
            "largest_patch",
            "motion_blur",
            "motion_angle",
            "residue_fraction",
            "map"
        ]
    );
    assert_eq!(
        keys(&report.foreground),
        [
            "mask",
            "contact",
            "area_px",
            "area_px_500",
            "fraction",
            "bbox",
            "centroid",
            "border_touch"
        ]
    );
    assert_eq!(
        keys(&report.actionable),
        ["grey_sigma", "mean_grey", "foreground_px"]
    );
    assert_eq!(
        keys(&report.blocks),
        [
            "orientation",
            "coherence",
            "gradient",
            "period",
            "clarity",
            "ridge_width",
            "valley_width",
            "dark_share",
            "texture",
            "ridge_gaps",
            "valley_bridges",
            "mean",
            "std_dev",
            "amplitude"
        ]
    );

    let src = face_gen::source();
    let img = face_gen::make(&src, "well_framed");
    let face = FaceAssessor::new(FaceConfig::default())
        .unwrap()
        .assess(RgbView::from(&img))
        .unwrap();
    assert_eq!(
        keys(&face),
        ["width", "height", "gray", "detections", "face"]
    );
    let f = face.face.as_ref().unwrap();
    assert_eq!(
        keys(f),
        [
            "face_box",
            "eyes",
            "eye_source",
            "framing",
            "photometric",
            "eyes_visible",
            "eyes_open",
            "mouth",
            "view_turn_deg",
            "landmarks"
        ]
    );
    assert_eq!(keys(&f.face_box), ["x", "y", "width", "height"]);
    assert_eq!(
        keys(f.mouth.as_ref().unwrap()),
        ["left", "right", "opening"]
    );
    assert_eq!(
        keys(f.landmarks.as_ref().unwrap()),
        ["eyes", "nose", "mouth_left", "mouth_right"]
    );
    assert_eq!(keys(&f.eyes), ["left", "right"]);
    assert_eq!(keys(&f.eyes.left), ["x", "y"]);
    assert_eq!(keys(&face.detections[0]), ["face_box", "score"]);
    assert_eq!(
        keys(&f.framing),
        [
            "ied_px",
            "roll_deg",
            "yaw_deg",
            "pitch_deg",
            "eye_mid",
            "head_width_px",
            "chin",
            "crown",
            "head_length_px",
            "head_box",
            "eye_line_from_bottom",
            "eye_mid_x",
            "head_width_ratio",
            "head_length_ratio",
            "head_outside",
            "chin_source",
            "crown_source"
        ]
    );
    assert_eq!(
        keys(f.photometric.as_ref().unwrap()),
        [
            "luminance_mean",
            "luminance_variance",
            "under_exposure",
            "over_exposure",
            "dynamic_range",
            "sharpness",
            "background_uniformity",
            "illumination_uniformity",
            "natural_colour",
            "cheek_ab",
            "shadow_luminance"
        ]
    );
    assert_eq!(keys(&f.photometric.unwrap().sharpness), ["raw", "score"]);
}

#[test]
fn policies_round_trip_and_fill_missing_fields_with_defaults() {
    let fp = FingerprintPolicy {
        min_clarity: 42.5,
        ..FingerprintPolicy::default()
    };
    round_trip(&fp);
    let partial: FingerprintPolicy = serde_json::from_str(r#"{"min_clarity": 50}"#).unwrap();
    assert_eq!(partial.min_clarity, 50.0);
    assert_eq!(partial.wet_index, FingerprintPolicy::default().wet_index);
    let face = FacePolicy {
        min_ied_px: 120.0,
        ..FacePolicy::icao()
    };
    round_trip(&face);
    let partial: FacePolicy = serde_json::from_str(r#"{"max_roll_deg": 5}"#).unwrap();
    assert_eq!(partial.max_roll_deg, 5.0);
    assert_eq!(partial.min_ied_px, FacePolicy::icao().min_ied_px);
    // A stored report re-judged under a deserialised policy: no pixels.
    let mut assessor = FingerprintAssessor::new(FingerprintConfig::default()).unwrap();
    let report = assessor.assess(GrayView::from(&load_prints()[1])).unwrap();
    let stored = serde_json::to_string(&report).unwrap();
    let strict: FingerprintPolicy = serde_json::from_str(r#"{"min_clarity": 101}"#).unwrap();
    let back: FingerprintReport = serde_json::from_str(&stored).unwrap();
    assert!(strict.judge(&back).has(Reason::LowClarity));
    assert_eq!(
        bits(&FingerprintPolicy::default().judge(&back)),
        bits(&FingerprintPolicy::default().judge(&report))
    );
}

#[test]
fn the_face_summary_says_where_chin_and_crown_came_from() {
    let src = face_gen::source();
    let report = FaceAssessor::new(FaceConfig::default())
        .unwrap()
        .assess(RgbView::from(&face_gen::make(&src, "well_framed")))
        .unwrap();
    let g = report.face.as_ref().unwrap().framing;
    let line = serde_json::to_string(&biocapture::FaceSummary::new(
        &report,
        &FacePolicy::icao().judge(&report),
        biocapture::Lang::En,
    ))
    .unwrap();
    let name = |s: biocapture::ExtentSource| match s {
        biocapture::ExtentSource::Measured => "measured",
        _ => "proportional",
    };
    let r2 = |v: f32| (f64::from(v) * 100.0).round() / 100.0;
    let want = format!(
        "\"chin\":[{},{}],\"chin_source\":\"{}\",\"crown\":[{},{}],\"crown_source\":\"{}\"",
        r2(g.chin.x),
        r2(g.chin.y),
        name(g.chin_source),
        r2(g.crown.x),
        r2(g.crown.y),
        name(g.crown_source)
    );
    assert!(line.contains(&want), "{want} not in {line}");
    // The chin lies below the eyes and the crown above, on the face's axis.
    assert!(g.chin.y > g.eye_mid.y && g.crown.y < g.eye_mid.y);
    let d = g.chin.distance(g.crown);
    assert!((g.head_length_px - d).abs() < 0.01 * d, "{g:?}");
}

#[test]
fn the_face_summary_carries_each_eyes_openness() {
    let src = face_gen::source();
    let mut assessor = FaceAssessor::new(FaceConfig::default()).unwrap();
    let policy = FacePolicy::icao();
    let report = assessor
        .assess(RgbView::from(&face_gen::make(&src, "well_framed")))
        .unwrap();
    let open = report.face.as_ref().and_then(|f| f.eyes_open).unwrap();
    // The astronaut's eyes are open: both read over the policy's floor.
    assert!(
        open.left.min(open.right) > policy.min_eye_openness,
        "{open:?}"
    );
    let line = serde_json::to_string(&biocapture::FaceSummary::new(
        &report,
        &policy.judge(&report),
        biocapture::Lang::En,
    ))
    .unwrap();
    // Her mouth is open (a smile showing the teeth: an inner-lip gap of
    // about 0.15 of the mouth width), and the summary says how open.
    let mouth = report.face.as_ref().and_then(|f| f.mouth).unwrap();
    assert!(mouth.opening > policy.max_mouth_opening, "{mouth:?}");
    let want = format!(
        "\"head_length_ratio\":{},\"eye_openness\":[{},{}],\"mouth_opening\":{},",
        (f64::from(report.face.as_ref().unwrap().framing.head_length_ratio) * 100.0).round()
            / 100.0,
        (f64::from(open.left) * 100.0).round() / 100.0,
        (f64::from(open.right) * 100.0).round() / 100.0,
        (f64::from(mouth.opening) * 100.0).round() / 100.0,
    );
    assert!(line.contains(&want), "{want} not in {line}");
}

#[test]
fn an_eye_counts_as_covered_only_when_neither_measure_sees_it() {
    let src = face_gen::source();
    let mut assessor = FaceAssessor::new(FaceConfig::default()).unwrap();
    let policy = FacePolicy::icao();
    let mut report = assessor
        .assess(RgbView::from(&face_gen::make(&src, "well_framed")))
        .unwrap();
    assert!(!policy.judge(&report).has(Reason::EyesNotVisible));
    let face = report.face.as_mut().unwrap();
    // The iris does not stand out in the subject's left eye, but the
    // openness network reads its lids apart: a shadowed or narrow open
    // eye, not a covered one.
    face.eyes_visible = Some(biocapture::EyeVisibility {
        left: 0.0,
        right: 0.8,
    });
    face.eyes_open = Some(biocapture::EyeOpenness {
        left: 0.3,
        right: 0.3,
    });
    assert!(!policy.judge(&report).has(Reason::EyesNotVisible));
    // Neither measure sees that eye: covered.
    let face = report.face.as_mut().unwrap();
    face.eyes_open = Some(biocapture::EyeOpenness {
        left: 0.05,
        right: 0.3,
    });
    assert!(policy.judge(&report).has(Reason::EyesNotVisible));
    // Without an openness read, the iris contrast decides alone.
    report.face.as_mut().unwrap().eyes_open = None;
    assert!(policy.judge(&report).has(Reason::EyesNotVisible));
}

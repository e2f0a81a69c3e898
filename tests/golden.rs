//! Exact outputs for every committed test image, against the golden
//! manifests `testdata/golden/fingerprint.json` and
//! `testdata/golden/face.json`.
//!
//! Unlike the tolerance checks in `fingerprint_testdata.rs` and
//! `face_testdata.rs`, these compare every number bit for bit (floats are
//! written with the shortest digits that read back to the same `f32`), plus
//! a checksum of every block map. Any change of output, however small,
//! fails here: integrators compare our numbers release after release, so a
//! change must be deliberate and visible in review.
//!
//! After a deliberate change, refresh both manifests and review the diff:
//!
//! ```text
//! REGENERATE=1 cargo test --release --test golden
//! ```

mod face_gen;

use biocapture::{
    FaceAssessor, FaceConfig, FacePolicy, FaceReport, FingerprintAssessor, FingerprintConfig,
    FingerprintPolicy, FingerprintReport, GrayView, RgbView,
};
use ndarray::Array2;
use serde::Serialize;
use std::path::{Path, PathBuf};

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/golden")
}

/// FNV-1a, 64 bit: a stable checksum (std's hashers are not guaranteed
/// stable across releases).
struct Fnv(u64);

impl Fnv {
    fn new() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
    fn bytes(&mut self, b: &[u8]) {
        for &x in b {
            self.0 ^= u64::from(x);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
    fn dim<T>(&mut self, a: &Array2<T>) {
        let (r, c) = a.dim();
        self.bytes(&(r as u64).to_le_bytes());
        self.bytes(&(c as u64).to_le_bytes());
    }
    fn f32s(&mut self, a: &Array2<f32>) {
        self.dim(a);
        for v in a.iter() {
            self.bytes(&v.to_bits().to_le_bytes());
        }
    }
    fn hex(&self) -> String {
        format!("{:016x}", self.0)
    }
}

/// Checksum of every per-block map of a report.
fn maps_checksum(r: &FingerprintReport) -> String {
    let mut h = Fnv::new();
    let b = &r.blocks;
    for m in [
        &b.orientation,
        &b.coherence,
        &b.gradient,
        &b.period,
        &b.clarity,
        &b.ridge_width,
        &b.valley_width,
        &b.dark_share,
        &b.texture,
        &b.ridge_gaps,
        &b.valley_bridges,
        &b.mean,
        &b.std_dev,
        &b.amplitude,
        &r.moisture.map,
        &r.smudge.map,
    ] {
        h.f32s(m);
    }
    for m in [&r.foreground.mask, &r.foreground.contact] {
        h.dim(m);
        let bits: Vec<u8> = m.iter().map(|&v| u8::from(v)).collect();
        h.bytes(&bits);
    }
    h.dim(&r.quality_map);
    h.bytes(&r.quality_map.iter().copied().collect::<Vec<u8>>());
    h.hex()
}

#[derive(Serialize)]
struct PrintEntry {
    file: String,
    verdict: &'static str,
    reasons: Vec<&'static str>,
    clarity: f32,
    mean_block_quality: f32,
    moisture_index: f32,
    moisture_class: &'static str,
    ridge_gaps: f32,
    valley_bridges: f32,
    bridged_fraction: f32,
    ridge_fill: f32,
    ridge_duty: f32,
    ridge_texture: f32,
    wet_blob_fraction: f32,
    dry_fragment_fraction: f32,
    smudge_fraction: f32,
    smudge_largest_patch: f32,
    motion_blur: f32,
    motion_angle: Option<f32>,
    residue_fraction: f32,
    foreground_area_px: u64,
    foreground_fraction: f32,
    ridge_period: f32,
    ridge_contrast: f32,
    grey_sigma: f32,
    mean_grey: f32,
    maps_fnv64: String,
}

fn print_entry(file: String, r: &FingerprintReport) -> PrintEntry {
    let v = FingerprintPolicy::default().judge(r);
    PrintEntry {
        file,
        verdict: v.decision.as_str(),
        reasons: v.codes(),
        clarity: r.clarity,
        mean_block_quality: r.mean_block_quality,
        moisture_index: r.moisture.index,
        moisture_class: r.moisture.class.as_str(),
        ridge_gaps: r.moisture.ridge_gaps,
        valley_bridges: r.moisture.valley_bridges,
        bridged_fraction: r.moisture.bridged_fraction,
        ridge_fill: r.moisture.ridge_fill,
        ridge_duty: r.moisture.ridge_duty,
        ridge_texture: r.moisture.ridge_texture,
        wet_blob_fraction: r.moisture.wet_blob_fraction,
        dry_fragment_fraction: r.moisture.dry_fragment_fraction,
        smudge_fraction: r.smudge.fraction,
        smudge_largest_patch: r.smudge.largest_patch,
        motion_blur: r.smudge.motion_blur,
        motion_angle: r.smudge.motion_angle,
        residue_fraction: r.smudge.residue_fraction,
        foreground_area_px: r.foreground.area_px,
        foreground_fraction: r.foreground.fraction,
        ridge_period: r.ridge_period,
        ridge_contrast: r.ridge_contrast,
        grey_sigma: r.actionable.grey_sigma,
        mean_grey: r.actionable.mean_grey,
        maps_fnv64: maps_checksum(r),
    }
}

#[derive(Serialize)]
struct FaceEntry {
    image: String,
    verdict: &'static str,
    reasons: Vec<&'static str>,
    faces: usize,
    /// `[x, y, w, h]` of every detection, largest first.
    detections: Vec<[f32; 4]>,
    left_eye: Option<[f32; 2]>,
    right_eye: Option<[f32; 2]>,
    ied_px: Option<f32>,
    roll_deg: Option<f32>,
    yaw_deg: Option<f32>,
    eye_line_from_bottom: Option<f32>,
    eye_mid_x: Option<f32>,
    head_width_ratio: Option<f32>,
    head_length_ratio: Option<f32>,
    head_outside: Option<f32>,
    /// Raw values of the photometric measures, in field order.
    photometric_raw: Option<[f32; 9]>,
    cheek_ab: Option<[f32; 2]>,
}

fn face_entry(image: String, r: &FaceReport) -> FaceEntry {
    let v = FacePolicy::icao().judge(r);
    let f = r.face.as_ref();
    let g = f.map(|f| &f.framing);
    let p = f.and_then(|f| f.photometric.as_ref());
    FaceEntry {
        image,
        verdict: v.decision.as_str(),
        reasons: v.codes(),
        faces: r.detections.len(),
        detections: r
            .detections
            .iter()
            .map(|d| {
                let b = d.face_box;
                [b.x, b.y, b.width, b.height]
            })
            .collect(),
        left_eye: f.map(|f| [f.eyes.left.x, f.eyes.left.y]),
        right_eye: f.map(|f| [f.eyes.right.x, f.eyes.right.y]),
        ied_px: g.map(|g| g.ied_px),
        roll_deg: g.map(|g| g.roll_deg),
        yaw_deg: g.and_then(|g| g.yaw_deg),
        eye_line_from_bottom: g.map(|g| g.eye_line_from_bottom),
        eye_mid_x: g.map(|g| g.eye_mid_x),
        head_width_ratio: g.map(|g| g.head_width_ratio),
        head_length_ratio: g.map(|g| g.head_length_ratio),
        head_outside: g.map(|g| g.head_outside),
        photometric_raw: p.map(|p| {
            [
                p.luminance_mean.raw,
                p.luminance_variance.raw,
                p.under_exposure.raw,
                p.over_exposure.raw,
                p.dynamic_range.raw,
                p.sharpness.raw,
                p.background_uniformity.raw,
                p.illumination_uniformity.raw,
                p.natural_colour.raw,
            ]
        }),
        cheek_ab: p.map(|p| p.cheek_ab),
    }
}

/// Compares `actual` with the manifest `name`, or rewrites it under
/// `REGENERATE=1`. On a mismatch, lists the entries that differ.
fn check(name: &str, actual: &str) {
    let path = golden_dir().join(name);
    if std::env::var_os("REGENERATE").is_some() {
        std::fs::create_dir_all(golden_dir()).unwrap();
        std::fs::write(&path, actual).unwrap();
        eprintln!("rewrote {}", path.display());
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; create it with REGENERATE=1 cargo test --release --test golden",
            path.display()
        )
    });
    if expected == actual {
        return;
    }
    let (e, a): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), actual.lines().collect());
    let mut diff = String::new();
    for i in 0..e.len().max(a.len()) {
        let (x, y) = (e.get(i).copied(), a.get(i).copied());
        if x != y {
            diff.push_str(&format!(
                "  line {}:\n    golden: {}\n    now:    {}\n",
                i + 1,
                x.unwrap_or("<none>"),
                y.unwrap_or("<none>")
            ));
        }
    }
    panic!(
        "{} differs from the current output:\n{diff}\
         If the change is deliberate: REGENERATE=1 cargo test --release --test golden, \
         and review the diff.",
        path.display()
    );
}

/// One entry a line: diffs then show exactly which image changed.
fn to_lines<T: Serialize>(entries: &[T]) -> String {
    let mut out = String::from("[\n");
    for (i, e) in entries.iter().enumerate() {
        out.push_str("  ");
        out.push_str(&serde_json::to_string(e).unwrap());
        out.push_str(if i + 1 < entries.len() { ",\n" } else { "\n" });
    }
    out.push_str("]\n");
    out
}

#[test]
fn fingerprint_outputs_match_the_golden_manifest_exactly() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/fingerprint");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".png"))
        .collect();
    files.sort();
    assert!(files.len() >= 10, "testdata prints missing");
    let mut assessor = FingerprintAssessor::new(FingerprintConfig::default()).unwrap();
    let mut entries = Vec::new();
    for f in files {
        let img = image::open(dir.join(&f)).unwrap().to_luma8();
        let report = assessor.assess(GrayView::from(&img)).unwrap();
        // The same report on a second run, from a fresh assessor too.
        let fresh = FingerprintAssessor::new(FingerprintConfig::default())
            .unwrap()
            .assess(GrayView::from(&img))
            .unwrap();
        assert_eq!(format!("{report:?}"), format!("{fresh:?}"), "{f}");
        entries.push(print_entry(f.clone(), &report));
        // Also at another resolution: the resampling path.
        let at_1000 = assessor
            .assess(GrayView::from(&img).with_ppi(1000))
            .ok()
            .map(|r| print_entry(format!("{f}@1000ppi"), &r));
        entries.extend(at_1000);
    }
    check("fingerprint.json", &to_lines(&entries));
}

#[test]
fn face_outputs_match_the_golden_manifest_exactly() {
    let src = face_gen::source();
    let mut assessor = FaceAssessor::new(FaceConfig::default()).unwrap();
    let mut entries = Vec::new();
    let report = assessor.assess(RgbView::from(&src)).unwrap();
    entries.push(face_entry("astronaut.jpg".into(), &report));
    let grey = image::DynamicImage::ImageRgb8(src.clone()).to_luma8();
    let report = assessor.assess_gray(GrayView::from(&grey)).unwrap();
    entries.push(face_entry("astronaut.jpg (grey)".into(), &report));
    for name in face_gen::VARIATIONS {
        let img = face_gen::make(&src, name);
        let report = assessor.assess(RgbView::from(&img)).unwrap();
        let fresh = FaceAssessor::new(FaceConfig::default())
            .unwrap()
            .assess(RgbView::from(&img))
            .unwrap();
        assert_eq!(format!("{report:?}"), format!("{fresh:?}"), "{name}");
        entries.push(face_entry((*name).into(), &report));
    }
    check("face.json", &to_lines(&entries));
}

//! The committed synthetic prints against their manifest of expected
//! verdicts, reasons and scores (`testdata/fingerprint/manifest.csv`).
//!
//! After a deliberate change of behaviour, refresh the manifest with
//! `REGENERATE=1 cargo test --release --test fingerprint_testdata` and
//! review the diff.

use biocapture::{FingerprintAssessor, FingerprintConfig, FingerprintPolicy, GrayView};
use std::fmt::Write;
use std::path::Path;

const HEADER: &str = "file,verdict,reasons,clarity,moisture_class";
/// Clarity may drift this much before the manifest must be refreshed.
const CLARITY_TOLERANCE: f32 = 2.0;

#[test]
fn testdata_prints_match_their_manifest() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/fingerprint");
    let manifest_path = dir.join("manifest.csv");
    let mut assessor = FingerprintAssessor::new(FingerprintConfig::default()).unwrap();
    let policy = FingerprintPolicy::default();
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".png"))
        .collect();
    files.sort();
    assert!(
        files.len() >= 10,
        "testdata prints missing from {}",
        dir.display()
    );

    let mut actual = String::from(HEADER);
    actual.push('\n');
    let mut measured = Vec::new();
    for f in &files {
        let img = image::open(dir.join(f)).unwrap().to_luma8();
        let report = assessor.assess(GrayView::from(&img)).unwrap();
        let verdict = policy.judge(&report);
        let row = (
            f.clone(),
            verdict.decision.as_str().to_string(),
            verdict.codes().join(" "),
            report.clarity,
            report.moisture.class.as_str().to_string(),
        );
        writeln!(
            actual,
            "{},{},{},{:.1},{}",
            row.0, row.1, row.2, row.3, row.4
        )
        .unwrap();
        measured.push(row);
    }
    if std::env::var_os("REGENERATE").is_some() {
        std::fs::write(&manifest_path, &actual).unwrap();
        eprintln!("rewrote {}", manifest_path.display());
        return;
    }
    let manifest =
        std::fs::read_to_string(&manifest_path).expect("manifest.csv (REGENERATE=1 makes it)");
    let mut lines = manifest.lines();
    assert_eq!(lines.next(), Some(HEADER));
    let expected: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(
        expected.iter().map(|r| r[0]).collect::<Vec<_>>(),
        files.iter().map(String::as_str).collect::<Vec<_>>(),
        "manifest and testdata list different files"
    );
    for (want, got) in expected.iter().zip(&measured) {
        assert_eq!(want[1], got.1, "{}: verdict", got.0);
        assert_eq!(want[2], got.2, "{}: reasons", got.0);
        let clarity: f32 = want[3].parse().unwrap();
        assert!(
            (clarity - got.3).abs() <= CLARITY_TOLERANCE,
            "{}: clarity {} vs manifest {clarity}",
            got.0,
            got.3
        );
        assert_eq!(want[4], got.4, "{}: moisture class", got.0);
    }
}

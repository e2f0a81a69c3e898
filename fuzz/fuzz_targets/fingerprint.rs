//! Fingerprint assessment of arbitrary pixels at any width and height up
//! to 256 px, any stride and resolution. Checks: no panic; errors are the
//! typed input errors; every headline number is finite and in its
//! documented range;
//! assessing again with the same assessor, warmed on another size, into
//! a reused report, gives the same report bit for bit.
#![no_main]

use biocapture::{
    Analysis, Error, FingerprintAssessor, FingerprintConfig, FingerprintPolicy, FingerprintReport,
    GrayView,
};
use libfuzzer_sys::fuzz_target;

mod common;

/// Sides come from one byte each (1..=256 px), so one execution stays
/// well under a millisecond and the fuzzer explores rather than waits;
/// the limit admits them all. Large and overflowing sizes are the
/// `views` and `c_abi` targets' business.
const MAX_PIXELS: u64 = 1 << 16;

fn in_range(v: f32, lo: f32, hi: f32) -> bool {
    v.is_finite() && (lo..=hi).contains(&v)
}

fuzz_target!(|data: &[u8]| {
    let mut input = common::Input::new(data);
    let width = u32::from(input.u8()) + 1;
    let height = u32::from(input.u8()) + 1;
    let pad = input.u8() as usize;
    let ppi = u32::from(input.u16());
    let flags = input.u8();
    let stride = width as usize + pad;
    let needed = (height as usize).saturating_sub(1) * stride + width as usize;
    if needed > 8 << 20 {
        return;
    }
    // Flag bit 0: one byte short, which the view must refuse.
    let len = if flags & 1 == 1 {
        needed.saturating_sub(1)
    } else {
        needed
    };
    let buf = common::tile(input.rest(), len);
    let view = match GrayView::new(&buf, width, height, stride) {
        Ok(v) => v.with_ppi(ppi),
        Err(_) => return,
    };
    let analysis = if flags & 2 == 2 {
        Analysis::ClarityOnly
    } else {
        Analysis::Full
    };
    let config = FingerprintConfig::default()
        .with_max_pixels(MAX_PIXELS)
        .with_analysis(analysis);
    let mut assessor = FingerprintAssessor::new(config).expect("valid config");
    let report = match assessor.assess(view) {
        Ok(r) => r,
        Err(
            Error::UnsupportedResolution { .. }
            | Error::ImageTooLarge { .. }
            | Error::ImageTooSmall { .. },
        ) => return,
        Err(e) => panic!("unexpected error {e:?}"),
    };
    assert!(
        in_range(report.clarity, 0.0, 100.0),
        "clarity {}",
        report.clarity
    );
    assert!(in_range(report.mean_block_quality, 0.0, 100.0));
    assert!(
        in_range(report.moisture.index, -1.0, 1.0),
        "moisture {}",
        report.moisture.index
    );
    assert!(in_range(report.smudge.fraction, 0.0, 1.0));
    assert!(in_range(report.smudge.largest_patch, 0.0, 1.0));
    assert!(in_range(report.smudge.motion_blur, 0.0, f32::MAX));
    assert!(in_range(report.smudge.residue_fraction, 0.0, 1.0));
    assert!(in_range(report.foreground.fraction, 0.0, 1.0));
    assert!(report.ridge_period.is_finite() && report.ridge_contrast.is_finite());
    assert_eq!(report.quality_map.dim(), report.blocks.clarity.dim());
    let verdict = FingerprintPolicy::default().judge(&report);
    assert_eq!(verdict.is_pass(), verdict.findings.is_empty());

    let mut reused = FingerprintReport::default();
    let tiny = [128u8; 64 * 64];
    let _ = assessor.assess_into(
        GrayView::new(&tiny, 64, 64, 64)
            .expect("valid")
            .with_ppi(500),
        &mut reused,
    );
    assessor
        .assess_into(view, &mut reused)
        .expect("assessed once already");
    assert_eq!(format!("{report:?}"), format!("{reused:?}"));
});

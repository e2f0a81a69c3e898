//! Bad and odd input: every case gives a typed error or a retake with the
//! right reason, never a panic.

use biocapture::{
    Decision, Error, FingerprintAssessor, FingerprintConfig, FingerprintPolicy, GrayView, Reason,
};
use proptest::prelude::*;

fn assessor() -> FingerprintAssessor {
    FingerprintAssessor::new(FingerprintConfig::default()).unwrap()
}

/// A plain whorl-like print: concentric ridges of period 9 px inside an
/// elliptical contact area on a light platen, with mild deterministic noise.
fn ring_print(w: u32, h: u32) -> Vec<u8> {
    let (cx, cy) = (w as f32 / 2.0, h as f32 / 2.0);
    let (rx, ry) = (w as f32 * 0.38, h as f32 * 0.42);
    (0..w * h)
        .map(|i| {
            let (x, y) = ((i % w) as f32, (i / w) as f32);
            let (dx, dy) = (x - cx, y - cy);
            let inside = (dx / rx).powi(2) + (dy / ry).powi(2);
            let noise = ((i.wrapping_mul(2_654_435_761) >> 24) % 17) as f32 - 8.0;
            let g = if inside < 1.0 {
                let r = (dx * dx + 1.3 * dy * dy).sqrt();
                130.0 + 70.0 * (std::f32::consts::TAU * r / 9.0).cos()
            } else {
                235.0
            };
            (g + noise).clamp(0.0, 255.0) as u8
        })
        .collect()
}

fn judge(px: &[u8], w: u32, h: u32) -> biocapture::Verdict {
    let r = assessor()
        .assess(GrayView::new(px, w, h, w as usize).unwrap())
        .unwrap();
    assert!((0.0..=100.0).contains(&r.clarity));
    FingerprintPolicy::default().judge(&r)
}

#[test]
fn zero_sized_image_is_an_error() {
    assert_eq!(
        GrayView::new(&[], 0, 0, 0),
        Err(Error::EmptyImage {
            width: 0,
            height: 0
        })
    );
    assert!(matches!(
        GrayView::new(&[1, 2], 2, 0, 2),
        Err(Error::EmptyImage { .. })
    ));
}

#[test]
fn one_pixel_and_thin_strips_are_too_small() {
    let px = [128u8; 1];
    let view = GrayView::new(&px, 1, 1, 1).unwrap();
    assert!(matches!(
        assessor().assess(view),
        Err(Error::ImageTooSmall { .. })
    ));
    let strip = vec![128u8; 7 * 100_000];
    let view = GrayView::new(&strip, 7, 100_000, 7).unwrap();
    assert!(matches!(
        assessor().assess(view),
        Err(Error::ImageTooSmall { width: 7, .. })
    ));
}

#[test]
fn bad_strides_and_short_buffers_are_errors() {
    let px = vec![0u8; 100];
    assert_eq!(
        GrayView::new(&px, 10, 10, 9),
        Err(Error::StrideTooSmall {
            stride: 9,
            row_len: 10
        })
    );
    assert_eq!(
        GrayView::new(&px, 10, 11, 10),
        Err(Error::BufferTooShort {
            len: 100,
            needed: 110
        })
    );
    assert!(matches!(
        GrayView::new(&px, u32::MAX, u32::MAX, usize::MAX),
        Err(Error::DimensionOverflow { .. })
    ));
}

#[test]
fn oversize_input_is_refused_by_the_configured_limit() {
    let cfg = FingerprintConfig::default().with_max_pixels(10_000);
    let px = vec![128u8; 200 * 200];
    let view = GrayView::new(&px, 200, 200, 200).unwrap();
    let err = FingerprintAssessor::new(cfg)
        .unwrap()
        .assess(view)
        .unwrap_err();
    assert!(matches!(
        err,
        Error::ImageTooLarge {
            width: 200,
            height: 200,
            max_pixels: 10_000,
            ..
        }
    ));
    let wide = vec![128u8; 9000 * 40];
    let view = GrayView::new(&wide, 9000, 40, 9000).unwrap();
    assert!(matches!(
        assessor().assess(view),
        Err(Error::ImageTooLarge { .. })
    ));
}

#[test]
fn absurd_resolutions_are_errors() {
    let px = ring_print(300, 300);
    for ppi in [0, 1, 299, 1201, u32::MAX] {
        let view = GrayView::new(&px, 300, 300, 300).unwrap().with_ppi(ppi);
        assert_eq!(
            assessor().assess(view),
            Err(Error::UnsupportedResolution {
                ppi,
                min: 300,
                max: 1200
            })
        );
    }
}

#[test]
fn invalid_configs_are_errors() {
    assert!(matches!(
        FingerprintAssessor::new(FingerprintConfig::default().with_min_side(4)),
        Err(Error::InvalidConfig {
            field: "min_side",
            ..
        })
    ));
    let policy = FingerprintPolicy {
        min_clarity: f32::NAN,
        ..Default::default()
    };
    assert!(matches!(
        policy.validate(),
        Err(Error::InvalidConfig {
            field: "min_clarity",
            ..
        })
    ));
    assert!(FingerprintPolicy::default().validate().is_ok());
}

#[test]
fn constant_images_are_no_finger() {
    for v in [0u8, 128, 255] {
        let px = vec![v; 300 * 300];
        let verdict = judge(&px, 300, 300);
        assert_eq!(verdict.codes(), vec!["no_finger"], "constant {v}");
    }
}

#[test]
fn pure_noise_is_no_finger() {
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let px: Vec<u8> = (0..300 * 300)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 56) as u8
        })
        .collect();
    let verdict = judge(&px, 300, 300);
    // Noise has grey detail but no ridge direction: nothing is a finger.
    assert_eq!(verdict.decision, Decision::Retake);
    assert_eq!(verdict.codes(), vec![Reason::NoFinger.code()]);
}

#[test]
fn a_clean_print_passes_and_strided_input_gives_the_same_report() {
    let (w, h) = (300u32, 320u32);
    let px = ring_print(w, h);
    let mut a = assessor();
    let plain = a
        .assess(GrayView::new(&px, w, h, w as usize).unwrap())
        .unwrap();
    assert!(
        FingerprintPolicy::default().judge(&plain).is_pass(),
        "clarity {}",
        plain.clarity
    );
    // The same pixels with 13 bytes of padding a row.
    let stride = w as usize + 13;
    let mut padded = vec![0xAAu8; stride * h as usize];
    for y in 0..h as usize {
        padded[y * stride..y * stride + w as usize]
            .copy_from_slice(&px[y * w as usize..(y + 1) * w as usize]);
    }
    let strided = a
        .assess(GrayView::new(&padded, w, h, stride).unwrap())
        .unwrap();
    assert_eq!(plain, strided);
}

#[test]
fn brightness_shifts_barely_move_clarity() {
    let (w, h) = (300u32, 300u32);
    let px = ring_print(w, h);
    let base = assessor()
        .assess(GrayView::new(&px, w, h, 300).unwrap())
        .unwrap()
        .clarity;
    for shift in [-40i32, -20, 15] {
        let moved: Vec<u8> = px
            .iter()
            .map(|&v| (v as i32 + shift).clamp(0, 255) as u8)
            .collect();
        let c = assessor()
            .assess(GrayView::new(&moved, w, h, 300).unwrap())
            .unwrap()
            .clarity;
        assert!((c - base).abs() < 3.0, "shift {shift}: {c} vs {base}");
    }
}

#[test]
fn repeated_assessment_is_identical() {
    let px = ring_print(256, 256);
    let mut a = assessor();
    let view = GrayView::new(&px, 256, 256, 256).unwrap();
    let first = a.assess(view).unwrap();
    let mut again = first.clone();
    // Different size in between, to exercise scratch reuse.
    let other = ring_print(333, 280);
    a.assess(GrayView::new(&other, 333, 280, 333).unwrap())
        .unwrap();
    a.assess_into(view, &mut again).unwrap();
    assert_eq!(first, again);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_input_never_panics(
        w in 1u32..400, h in 1u32..400, pad in 0usize..9, ppi in 0u32..1500,
        seed in any::<u64>(), level in any::<u8>(), spread in 0u8..=255,
    ) {
        let stride = w as usize + pad;
        let len = stride * h as usize;
        let mut s = seed | 1;
        let px: Vec<u8> = (0..len).map(|_| {
            s ^= s << 13; s ^= s >> 7; s ^= s << 17;
            level.wrapping_add(((s >> 56) as u8) % spread.max(1))
        }).collect();
        let view = GrayView::new(&px, w, h, stride).unwrap().with_ppi(ppi);
        match assessor().assess(view) {
            Ok(r) => {
                prop_assert!((0.0..=100.0).contains(&r.clarity));
                prop_assert!((0.0..=1.0).contains(&r.foreground.fraction));
                let _ = FingerprintPolicy::default().judge(&r);
            }
            Err(Error::UnsupportedResolution { .. }) => prop_assert!(!(300..=1200).contains(&ppi)),
            Err(Error::ImageTooSmall { .. }) => {}
            Err(e) => prop_assert!(false, "unexpected error {e}"),
        }
    }

    #[test]
    fn raw_views_never_panic(len in 0usize..5000, w in 0u32..200, h in 0u32..200, stride in 0usize..300) {
        let px = vec![7u8; len];
        if let Ok(v) = GrayView::new(&px, w, h, stride) {
            for y in 0..v.height() {
                prop_assert_eq!(v.row(y).len(), w as usize);
            }
        }
    }
}

#[test]
fn a_print_scores_the_same_at_any_supported_resolution() {
    let (w, h) = (300u32, 300u32);
    let px = ring_print(w, h);
    let img = image::GrayImage::from_raw(w, h, px).unwrap();
    let base = assessor().assess(GrayView::from(&img)).unwrap();
    for ppi in [300u32, 400, 700, 1000, 1200] {
        let (rw, rh) = (w * ppi / 500, h * ppi / 500);
        let resized = image::imageops::resize(&img, rw, rh, image::imageops::FilterType::Lanczos3);
        let r = assessor()
            .assess(GrayView::from(&resized).with_ppi(ppi))
            .unwrap();
        assert!(
            (r.clarity - base.clarity).abs() < 4.0,
            "{ppi} ppi: clarity {} vs {} at 500 ppi",
            r.clarity,
            base.clarity
        );
        assert!(
            (r.ridge_period - base.ridge_period).abs() < 1.0,
            "{ppi} ppi period"
        );
        let area_ratio = r.foreground.area_px as f32
            / (base.foreground.area_px as f32 * (ppi as f32 / 500.0).powi(2));
        assert!(
            (area_ratio - 1.0).abs() < 0.1,
            "{ppi} ppi: area ratio {area_ratio}"
        );
        assert_eq!(
            r.quality_map.dim(),
            base.quality_map.dim(),
            "{ppi} ppi grid"
        );
    }
}

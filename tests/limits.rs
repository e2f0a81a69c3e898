//! Oversize input is refused with a typed error before anything
//! proportional to its claimed size is allocated.
//!
//! One test function on purpose: it reads this process's peak resident
//! memory (Linux `VmHWM`) around the calls, which only means something when
//! no other test runs in the same process at the same time.

use biocapture::{
    Error, FaceAssessor, FaceConfig, FingerprintAssessor, FingerprintConfig, GrayView, RgbView,
};

/// Peak resident set of this process in KiB, where the OS reports it.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn too_large(r: biocapture::Result<impl std::fmt::Debug>) -> (u32, u32, u64, u32) {
    match r {
        Err(Error::ImageTooLarge {
            width,
            height,
            max_pixels,
            max_side,
        }) => (width, height, max_pixels, max_side),
        other => panic!("expected ImageTooLarge, got {other:?}"),
    }
}

#[test]
fn oversize_input_is_refused_before_allocation() {
    // A single row, 200 million pixels wide (600 MB as RGB). `vec![0; n]`
    // asks the OS for zeroed pages, which cost no resident memory until
    // written: only work proportional to the claimed size would show in
    // the peak resident set.
    const WIDE: u32 = 200_000_000;
    let row = vec![0u8; 3 * WIDE as usize];
    let before = peak_rss_kib();

    let mut fp = FingerprintAssessor::new(FingerprintConfig::default()).unwrap();
    let gray = GrayView::new(&row, WIDE, 1, WIDE as usize).unwrap();
    // 1 row at 500 ppi is below the minimum height, which is checked on
    // the (free) arithmetic first; at a taller claimed shape the limit
    // applies. Both are typed errors and neither allocates.
    assert!(matches!(fp.assess(gray), Err(Error::ImageTooSmall { .. })));
    let tall = GrayView::new(&row, WIDE / 64, 64, WIDE as usize / 64).unwrap();
    assert_eq!(
        too_large(fp.assess(tall)),
        (WIDE / 64, 64, 16_000_000, 8192)
    );
    // At 300 ppi the working copy would be 1.67x larger: still refused on
    // the input's size, before resampling.
    assert_eq!(too_large(fp.assess(tall.with_ppi(300))).0, WIDE / 64);

    let mut face = FaceAssessor::new(FaceConfig::default()).unwrap();
    let rgb = RgbView::new(&row, WIDE, 1, 3 * WIDE as usize).unwrap();
    assert_eq!(too_large(face.assess(rgb)), (WIDE, 1, 40_000_000, 8192));
    assert_eq!(too_large(face.assess_gray(gray)).0, WIDE);

    // Config limits: a modest image over a tightened limit.
    let img = vec![200u8; 3 * 1000 * 1000];
    let small_fp = FingerprintConfig::default().with_max_pixels(500_000);
    let view = GrayView::new(&img, 1000, 1000, 1000).unwrap();
    assert_eq!(
        too_large(FingerprintAssessor::new(small_fp).unwrap().assess(view)),
        (1000, 1000, 500_000, 8192)
    );
    let narrow_fp = FingerprintConfig::default().with_max_side(999);
    assert_eq!(
        too_large(FingerprintAssessor::new(narrow_fp).unwrap().assess(view)).3,
        999
    );
    let small_face = FaceConfig::default().with_max_pixels(999_999);
    let rgb = RgbView::new(&img, 1000, 1000, 3000).unwrap();
    assert_eq!(
        too_large(FaceAssessor::new(small_face).unwrap().assess(rgb)),
        (1000, 1000, 999_999, 8192)
    );
    let narrow_face = FaceConfig::default().with_max_side(640);
    assert_eq!(
        too_large(FaceAssessor::new(narrow_face).unwrap().assess(rgb)).3,
        640
    );

    // Claims no buffer can back are refused by the view itself, with no
    // allocation at all.
    let tiny = [0u8; 16];
    assert!(matches!(
        GrayView::new(&tiny, u32::MAX, u32::MAX, u32::MAX as usize),
        Err(Error::BufferTooShort { .. } | Error::DimensionOverflow { .. })
    ));
    assert!(matches!(
        RgbView::new(&tiny, u32::MAX, 2, usize::MAX),
        Err(Error::DimensionOverflow { .. })
    ));
    assert!(matches!(
        GrayView::new(&tiny, 4, 1 << 30, 4),
        Err(Error::BufferTooShort { needed, .. }) if needed == 4 << 30
    ));

    // Nothing above may have touched memory in proportion to the claims:
    // the 1000x1000 test images are 3 MB, the claims 200 MB and more.
    if let (Some(b), Some(a)) = (before, peak_rss_kib()) {
        let grown_mib = a.saturating_sub(b) / 1024;
        assert!(
            grown_mib < 40,
            "peak resident memory grew by {grown_mib} MiB while refusing oversize input"
        );
    }
}

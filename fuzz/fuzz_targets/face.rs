//! Face assessment of arbitrary pixels, RGB or grey, at any width and
//! height up to 128 px and any stride, with and without caller-supplied
//! eye points (including non-finite and far-away ones). Checks: no panic;
//! errors are the typed input errors; on half of the inputs (flag bit 2),
//! a warm assessor gives the same report again.
#![no_main]

use biocapture::{
    Error, EyePair, FaceAssessor, FaceConfig, FacePolicy, FaceReport, GrayView, Point, RgbView,
};
use libfuzzer_sys::fuzz_target;

mod common;

/// Sides come from the low seven bits of one byte each (1..=128 px): the
/// face path (detector pyramid, landmark networks, eye refinement) runs
/// whole on a 128 px portrait, and an execution stays a few milliseconds
/// so the fuzzer explores rather than waits; the limit admits them all. Large and overflowing sizes are the `views` and `c_abi`
/// targets' business.
const MAX_PIXELS: u64 = 1 << 16;

fuzz_target!(|data: &[u8]| {
    let mut input = common::Input::new(data);
    let width = u32::from(input.u8() & 0x7f) + 1;
    let height = u32::from(input.u8() & 0x7f) + 1;
    let pad = input.u8() as usize;
    let flags = input.u8();
    let eyes = EyePair::from_points(
        Point::new(input.f32(), input.f32()),
        Point::new(input.f32(), input.f32()),
    );
    let gray = flags & 1 == 1;
    let channels = if gray { 1 } else { 3 };
    let stride = channels * width as usize + pad;
    let needed = (height as usize).saturating_sub(1) * stride + channels * width as usize;
    if needed > 4 << 20 {
        return;
    }
    let buf = common::tile(input.rest(), needed);
    ASSESSOR.with_borrow_mut(|assessor| {
        check(assessor, &buf, width, height, stride, gray, flags, eyes)
    });
});

thread_local! {
    /// One assessor for every execution: making one parses the embedded
    /// models, which would cost more than assessing a small image. Inputs
    /// with flag bit 2 set check that the warm assessor repeats itself.
    static ASSESSOR: std::cell::RefCell<FaceAssessor> = std::cell::RefCell::new(
        FaceAssessor::new(FaceConfig::default().with_max_pixels(MAX_PIXELS)).expect("valid config"),
    );
}

#[allow(clippy::too_many_arguments)]
fn check(
    assessor: &mut FaceAssessor,
    buf: &[u8],
    width: u32,
    height: u32,
    stride: usize,
    gray: bool,
    flags: u8,
    eyes: EyePair,
) {
    let supplied = flags & 2 == 2;
    let run = |assessor: &mut FaceAssessor| -> Option<FaceReport> {
        let result = if gray {
            let view = GrayView::new(buf, width, height, stride).ok()?;
            if supplied {
                assessor.assess_gray_with_eyes(view, eyes)
            } else {
                assessor.assess_gray(view)
            }
        } else {
            let view = RgbView::new(buf, width, height, stride).ok()?;
            if supplied {
                assessor.assess_with_eyes(view, eyes)
            } else {
                assessor.assess(view)
            }
        };
        match result {
            Ok(r) => Some(r),
            Err(
                Error::ImageTooLarge { .. }
                | Error::ImageTooSmall { .. }
                | Error::EmptyImage { .. }
                | Error::InvalidConfig { field: "eyes", .. },
            ) => None,
            Err(e) => panic!("unexpected error {e:?}"),
        }
    };
    let Some(report) = run(assessor) else {
        return;
    };
    let verdict = FacePolicy::icao().judge(&report);
    assert_eq!(verdict.is_pass(), verdict.findings.is_empty());
    if let Some(face) = &report.face {
        assert!(face.framing.ied_px.is_finite() && face.framing.ied_px > 0.0);
        assert!(face.framing.roll_deg.is_finite());
    }
    // The repeat doubles an execution's cost, so it runs on the inputs
    // with flag bit 2 set: the fuzzer still mutates both kinds.
    if flags & 4 == 4 {
        let again = run(assessor).expect("assessed once already");
        assert_eq!(format!("{report:?}"), format!("{again:?}"));
    }
}

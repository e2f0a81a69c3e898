//! Face assessment speed: the whole assessment (detection, eyes, framing,
//! photometric) and the detector alone, at 640x480 and 1280x960.
//!
//! Inputs (built outside the timed loop) are capture frames made from the
//! committed astronaut portrait: the face placed as a capture station's
//! preview shows it (IED 0.15 of the width), the same placement with a
//! small face (IED 0.09 of the width, a face box about 0.28 of the
//! shorter side: found only by the detector's second pass, its slow
//! path), and a
//! frame without a face (the portrait's lower part, suit and background,
//! enlarged to fill it: every preview frame before the subject sits down,
//! the detector's worst case, since no pass can stop early; the assessor
//! then also searches all five turned views for a subject lying down),
//! and the portrait placement turned a quarter (`lying`: a subject lying
//! down, found in the first turned view).
//!
//! ```text
//! cargo bench --bench face -- --measurement-time 3
//! ```

use std::hint::black_box;

use biocapture::{FaceAssessor, FaceConfig, FaceDetector, GrayView, RgbView, SeetaFaceDetector};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

#[path = "../tests/face_gen/mod.rs"]
mod face_gen;

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("face");
    let src = face_gen::source();
    let cases = [
        (640u32, 480u32, "portrait"),
        (1280, 960, "portrait"),
        (640, 480, "small_face"),
        (640, 480, "no_face"),
        (640, 480, "lying"),
    ];
    for (w, h, kind) in cases {
        let img = match kind {
            "portrait" => face_gen::frame(&src, w, h, 0.15 * w as f32),
            "small_face" => face_gen::frame(&src, w, h, 0.09 * w as f32),
            "lying" => face_gen::place(
                &src,
                &face_gen::Placement {
                    ied: 0.15 * w as f32,
                    mid_x: 0.5,
                    mid_y: 0.5,
                    roll_deg: 90.0,
                },
                w,
                h,
            ),
            _ => no_face(&src, w, h),
        };
        let gray = image::DynamicImage::ImageRgb8(img.clone()).to_luma8();
        let mut detector = SeetaFaceDetector::new();
        let mut faces = Vec::new();
        let view = GrayView::new(gray.as_raw(), w, h, w as usize).expect("view");
        detector.detect(view, &mut faces);
        let upright = !matches!(kind, "no_face" | "lying");
        assert_eq!(faces.is_empty(), !upright, "{kind}: {faces:?}");
        group.throughput(Throughput::Elements(u64::from(w) * u64::from(h)));
        let mut assessor = FaceAssessor::new(FaceConfig::default()).expect("default config");
        let found = assessor.assess(RgbView::from(&img)).expect("assess");
        let turned = found.face.as_ref().and_then(|f| f.view_turn_deg);
        assert_eq!(turned.is_some(), kind == "lying", "{kind}: {turned:?}");
        group.bench_with_input(
            BenchmarkId::new(format!("assess/{kind}"), format!("{w}x{h}")),
            &img,
            |b, img| {
                b.iter(|| {
                    assessor
                        .assess(black_box(RgbView::from(img)))
                        .expect("assess")
                })
            },
        );
        group.bench_with_input(
            BenchmarkId::new(format!("detector/{kind}"), format!("{w}x{h}")),
            &gray,
            |b, gray| {
                b.iter(|| {
                    faces.clear();
                    let view = GrayView::new(gray.as_raw(), w, h, w as usize).expect("view");
                    detector.detect(black_box(view), &mut faces);
                    faces.len()
                })
            },
        );
    }
    group.finish();
}

/// A `w` x `h` frame with no face: the source below the chin (suit, flag,
/// helmet), enlarged to fill the frame.
fn no_face(src: &image::RgbImage, w: u32, h: u32) -> image::RgbImage {
    let (sw, sh) = src.dimensions();
    let top = sh * 45 / 100;
    let part = image::imageops::crop_imm(src, 0, top, sw, sh - top).to_image();
    image::imageops::resize(&part, w, h, image::imageops::FilterType::Triangle)
}

criterion_group!(benches, bench);
criterion_main!(benches);

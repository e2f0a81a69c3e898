use biocapture::{FaceAssessor, FaceConfig, RgbView};
fn main() {
    let src = image::open("testdata/face/astronaut.jpg").unwrap().to_rgb8();
    let img = image::imageops::resize(&src, 640, 480, image::imageops::FilterType::Triangle);
    let mut a = FaceAssessor::new(FaceConfig::default()).unwrap();
    let n: usize = std::env::args().nth(1).map(|s| s.parse().unwrap()).unwrap_or(10);
    let mut k = 0;
    for _ in 0..n { let r = a.assess(RgbView::from(&img)).unwrap(); k += r.detections.len(); }
    println!("{k}");
}

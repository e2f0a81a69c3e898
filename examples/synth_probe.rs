//! Scratch (not committed): 106_x on a wider platen.
use biocapture::{FingerprintAssessor, FingerprintConfig, FingerprintPolicy, GrayView};
fn main() {
    let mut a = FingerprintAssessor::new(FingerprintConfig::default()).unwrap();
    for f in ["106_2", "106_5", "106_6", "101_1"] {
        let img = image::open(format!("../shared/data/fingerprint/fvc2000_db1_b/{f}.tif"))
            .unwrap()
            .to_luma8();
        let (w, h) = img.dimensions();
        let mut grey: Vec<u8> = img.as_raw().clone();
        grey.sort_unstable();
        let platen = grey[grey.len() * 95 / 100];
        let (cw, ch) = (w * 17 / 10, h * 17 / 10);
        let mut state = 0x9e37_79b9_u32;
        let mut out = image::GrayImage::from_fn(cw, ch, |_, _| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            image::Luma([(i32::from(platen) + (state % 5) as i32 - 2).clamp(0, 255) as u8])
        });
        image::imageops::replace(&mut out, &img, ((cw - w) / 2) as i64, ((ch - h) / 2) as i64);
        let r = a.assess(GrayView::from(&out)).unwrap();
        println!(
            "{f}: blur {:.3} angle {:?} smear {:.3} {:?}",
            r.smudge.motion_blur,
            r.smudge.motion_angle.map(|x| x.to_degrees()),
            r.smudge.fraction,
            FingerprintPolicy::default().judge(&r).codes()
        );
        if f == "106_2" {
            out.save("/tmp/p106.png").unwrap();
        }
    }
}

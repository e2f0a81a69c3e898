//! Detector coverage by face size: each CSU frontal face the detector
//! finds at full size is shrunk into a cluttered 640x480 frame so its face
//! box is a given fraction of the frame's shorter side, and searched for
//! again with the default detector.
//!
//! ```text
//! cargo run --release --example eval_detect -- [CSU_DIR [BACKGROUND]]
//! ```
//!
//! `CSU_DIR` defaults to `../shared/data/face/csu_scrapshots`,
//! `BACKGROUND` to `../shared/data/face/skimage_samples/images/coffee.png`
//! (enlarged to fill the frame). The face box's centre is placed at the
//! frame's centre, and again at three small offsets (the detector's
//! window slides in steps of several pixels, so whether a face is found
//! can depend on where it falls on that grid; the offsets average over
//! it). A face counts as found when a detection's centre lies inside the
//! placed face box and its side is within a factor of two of the box's.
//! Prints, per fraction, the faces found at the centre, the mean found
//! over the four placements, and the median detector time.

use std::path::PathBuf;

use biocapture::{Detection, FaceDetector, GrayView, SeetaFaceDetector};
use image::imageops::{self, FilterType};
use image::GrayImage;

const W: u32 = 640;
const H: u32 = 480;
const FRACTIONS: [f32; 10] = [0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.65, 0.8];
/// Where the face box's centre goes, relative to the frame's centre, px.
const OFFSETS: [(f32, f32); 4] = [(0.0, 0.0), (7.0, -5.0), (-11.0, 9.0), (17.0, 13.0)];

fn detect(det: &mut SeetaFaceDetector, img: &GrayImage) -> Vec<Detection> {
    let (w, h) = img.dimensions();
    let mut faces = Vec::new();
    let view = GrayView::new(img.as_raw(), w, h, w as usize).expect("view");
    det.detect(view, &mut faces);
    faces
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(
        args.next()
            .unwrap_or_else(|| "../shared/data/face/csu_scrapshots".into()),
    );
    let bg_path = args
        .next()
        .unwrap_or_else(|| "../shared/data/face/skimage_samples/images/coffee.png".into());
    let bg = imageops::resize(
        &image::open(bg_path)?.to_luma8(),
        W,
        H,
        FilterType::Triangle,
    );
    let mut det = SeetaFaceDetector::new();
    // The faces found at full size, with their (largest) boxes.
    let mut faces = Vec::new();
    let labels = std::fs::read_to_string(dir.join("labels.csv"))?;
    for line in labels.lines().skip(1) {
        let Some(name) = line.split(',').next().filter(|s| !s.is_empty()) else {
            continue;
        };
        let img = image::open(dir.join("images").join(name))?.to_luma8();
        let found = detect(&mut det, &img);
        if let Some(d) = found
            .iter()
            .max_by(|a, b| a.face_box.area().total_cmp(&b.face_box.area()))
        {
            faces.push((img, d.face_box));
        }
    }
    println!("faces found at full size: {}", faces.len());
    for frac in FRACTIONS {
        let mut found = [0usize; OFFSETS.len()];
        let mut ms = Vec::new();
        for (img, fb) in &faces {
            // Scale so the face box spans `frac` of the shorter side.
            let s = frac * H as f32 / fb.width;
            let (iw, ih) = img.dimensions();
            let (sw, sh) = (
                ((iw as f32 * s).round() as u32).max(1),
                ((ih as f32 * s).round() as u32).max(1),
            );
            let small = imageops::resize(img, sw, sh, FilterType::Triangle);
            let (cx, cy) = ((fb.x + 0.5 * fb.width) * s, (fb.y + 0.5 * fb.height) * s);
            let side = fb.width * s;
            for (hits, &(dx, dy)) in found.iter_mut().zip(&OFFSETS) {
                let (ox, oy) = (
                    (W as f32 * 0.5 + dx - cx).round(),
                    (H as f32 * 0.5 + dy - cy).round(),
                );
                let mut frame = bg.clone();
                imageops::overlay(&mut frame, &small, ox as i64, oy as i64);
                let t = std::time::Instant::now();
                let dets = detect(&mut det, &frame);
                ms.push(t.elapsed().as_secs_f64() * 1e3);
                // The placed box, in frame pixels.
                let (x0, y0) = (ox + cx - 0.5 * side, oy + cy - 0.5 * side);
                let hit = dets.iter().any(|d| {
                    let b = d.face_box;
                    let (mx, my) = (b.x + 0.5 * b.width, b.y + 0.5 * b.height);
                    (x0..x0 + side).contains(&mx)
                        && (y0..y0 + side).contains(&my)
                        && (0.5..2.0).contains(&(b.width / side))
                });
                *hits += usize::from(hit);
            }
        }
        ms.sort_by(f64::total_cmp);
        let mean = found.iter().sum::<usize>() as f64 / found.len() as f64;
        println!(
            "face box {frac:.2} of the shorter side: found {}/{} centred, {mean:.1} on average over {} placements (detector median {:.2} ms)",
            found[0],
            faces.len(),
            found.len(),
            ms[ms.len() / 2]
        );
    }
    Ok(())
}

use biocapture::*;
fn main() {
    let dir = "/work/shared/data/face/csu_scrapshots";
    let labels = std::fs::read_to_string(format!("{dir}/labels.csv")).unwrap();
    let want: Vec<String> = std::env::args().skip(1).collect();
    let mut a = FaceAssessor::new(FaceConfig::default()).unwrap();
    for line in labels.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        if !want.iter().any(|w| w == f[0]) {
            continue;
        }
        let img = image::open(format!("{dir}/images/{}", f[0]))
            .unwrap()
            .to_luma8();
        let (w, h) = img.dimensions();
        let r = a
            .assess_gray(GrayView::new(img.as_raw(), w, h, w as usize).unwrap())
            .unwrap();
        let mut out = image::DynamicImage::ImageLuma8(img).to_rgb8();
        let mut cross = |x: f32, y: f32, c: [u8; 3]| {
            for d in -4i32..=4 {
                for (xx, yy) in [(x as i32 + d, y as i32), (x as i32, y as i32 + d)] {
                    if xx >= 0 && yy >= 0 && (xx as u32) < w && (yy as u32) < h {
                        out.put_pixel(xx as u32, yy as u32, image::Rgb(c));
                    }
                }
            }
        };
        let p = |i: usize| f[i].parse::<f32>().unwrap();
        cross(p(1), p(2), [0, 255, 0]);
        cross(p(3), p(4), [0, 255, 0]);
        if let Some(face) = &r.face {
            cross(face.eyes.left.x, face.eyes.left.y, [255, 0, 0]);
            cross(face.eyes.right.x, face.eyes.right.y, [255, 0, 0]);
            let b = face.face_box;
            for t in 0..b.width as i32 {
                for (xx, yy) in [
                    (b.x as i32 + t, b.y as i32),
                    (b.x as i32 + t, (b.y + b.height) as i32),
                    (b.x as i32, b.y as i32 + t),
                    ((b.x + b.width) as i32, b.y as i32 + t),
                ] {
                    if xx >= 0 && yy >= 0 && (xx as u32) < w && (yy as u32) < h {
                        out.put_pixel(xx as u32, yy as u32, image::Rgb([0, 0, 255]));
                    }
                }
            }
        }
        let out = image::imageops::resize(&out, w * 2, h * 2, image::imageops::FilterType::Nearest);
        out.save(format!("/tmp/dbg_{}.png", f[0])).unwrap();
    }
}

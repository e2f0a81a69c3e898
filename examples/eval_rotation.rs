//! Subjects lying down: how often a turned face is found, and how well its
//! roll is measured.
//!
//! ```text
//! cargo run --release --example eval_rotation -- [DIR]...
//! ```
//!
//! Each `DIR` (default `../shared/data/face/csu_scrapshots`) holds
//! `labels.csv` (`file,left_eye_x,left_eye_y,right_eye_x,right_eye_y,...`,
//! subject's left = larger x) and `images/`. Every labelled face is turned
//! here by each angle of [`ANGLES`] (about the image centre, bilinear, into
//! a canvas that holds the whole turned image, mid-grey outside it) and
//! assessed in grey. Per angle it prints the share of faces found, that
//! share over the upright one, the share whose verdict is `rotate_image`,
//! the share found in a turned view, and the roll error over the faces
//! found: measured roll minus (the applied turn plus the labelled eye
//! line's roll), wrapped to -180..180, its median and 95th percentile of
//! the absolute value and the share within 10 degrees. The assessment
//! time is given per angle (mean, ms; a shared machine's numbers are only
//! a guide: criterion's `benches/face.rs` has the timed case).

use std::path::PathBuf;

use biocapture::{FaceAssessor, FaceConfig, FacePolicy, GrayView, Point, Reason};
use image::{GrayImage, Luma};

type Error = Box<dyn std::error::Error>;

#[path = "common/labels.rs"]
mod labels;
use labels::labelled;

/// Applied turns, degrees (positive turns the face clockwise on the
/// screen: its roll grows by the angle).
const ANGLES: [f32; 14] = [
    0.0, 15.0, -15.0, 30.0, -30.0, 45.0, 60.0, -60.0, 75.0, 90.0, -90.0, 120.0, 150.0, 180.0,
];

/// `img` turned by `deg` about its centre into the bounding canvas, and
/// the map of a point of `img` into it.
fn turn(img: &GrayImage, deg: f32) -> (GrayImage, impl Fn(Point) -> Point) {
    let (w, h) = (img.width() as f32, img.height() as f32);
    let (s, c) = deg.to_radians().sin_cos();
    let (s, c) = (
        if s.abs() < 1e-6 { 0.0 } else { s },
        if c.abs() < 1e-6 { 0.0 } else { c },
    );
    let nw = (w * c.abs() + h * s.abs()).round().max(1.0);
    let nh = (w * s.abs() + h * c.abs()).round().max(1.0);
    let (cx, cy) = ((w - 1.0) / 2.0, (h - 1.0) / 2.0);
    let (ncx, ncy) = ((nw - 1.0) / 2.0, (nh - 1.0) / 2.0);
    let mut out = GrayImage::from_pixel(nw as u32, nh as u32, Luma([128]));
    for (x, y, p) in out.enumerate_pixels_mut() {
        // Inverse map: turn the canvas point back by -deg.
        let (dx, dy) = (x as f32 - ncx, y as f32 - ncy);
        let sx = cx + dx * c + dy * s;
        let sy = cy - dx * s + dy * c;
        if sx < 0.0 || sy < 0.0 || sx > w - 1.0 || sy > h - 1.0 {
            continue;
        }
        let (x0, y0) = (sx.floor() as u32, sy.floor() as u32);
        let (x1, y1) = (
            (x0 + 1).min(img.width() - 1),
            (y0 + 1).min(img.height() - 1),
        );
        let (fx, fy) = (sx - x0 as f32, sy - y0 as f32);
        let g = |x: u32, y: u32| f32::from(img.get_pixel(x, y).0[0]);
        let top = g(x0, y0) + fx * (g(x1, y0) - g(x0, y0));
        let bottom = g(x0, y1) + fx * (g(x1, y1) - g(x0, y1));
        p.0[0] = (top + fy * (bottom - top)).round().clamp(0.0, 255.0) as u8;
    }
    let map = move |p: Point| {
        let (dx, dy) = (p.x - cx, p.y - cy);
        Point::new(ncx + dx * c - dy * s, ncy + dx * s + dy * c)
    };
    (out, map)
}

fn wrap(deg: f32) -> f32 {
    let mut d = deg % 360.0;
    if d > 180.0 {
        d -= 360.0;
    } else if d <= -180.0 {
        d += 360.0;
    }
    d
}

fn quantile(v: &mut [f32], q: f32) -> f32 {
    if v.is_empty() {
        return f32::NAN;
    }
    v.sort_by(f32::total_cmp);
    v[((v.len() - 1) as f32 * q).round() as usize]
}

fn main() -> Result<(), Error> {
    let mut dirs: Vec<PathBuf> = std::env::args().skip(1).map(PathBuf::from).collect();
    if dirs.is_empty() {
        dirs.push(PathBuf::from("../shared/data/face/csu_scrapshots"));
    }
    let policy = FacePolicy::icao();
    let mut assessor = FaceAssessor::new(FaceConfig::default())?;
    for dir in &dirs {
        let faces = labelled(dir)?;
        let images: Vec<(GrayImage, [Point; 2])> = faces
            .iter()
            .map(|(file, eyes)| {
                Ok((
                    image::open(dir.join("images").join(file))?.to_luma8(),
                    *eyes,
                ))
            })
            .collect::<Result<_, Error>>()?;
        println!("{} ({} faces)", dir.display(), images.len());
        println!("| turn | found | of upright | rotate_image | in a turned view | roll error median | p95 | within 10 deg | ms |");
        println!("|---|---|---|---|---|---|---|---|---|");
        let mut upright = f64::NAN;
        let only: Option<Vec<f32>> = std::env::var("EVAL_ANGLES")
            .ok()
            .map(|v| v.split(',').filter_map(|a| a.trim().parse().ok()).collect());
        for angle in only.unwrap_or_else(|| ANGLES.to_vec()) {
            let (mut found, mut rotate, mut turned) = (0usize, 0usize, 0usize);
            let mut errors = Vec::new();
            let mut ms = 0f64;
            for (img, [l, r]) in &images {
                let (t, map) = turn(img, angle);
                let (w, h) = t.dimensions();
                let start = std::time::Instant::now();
                let report = assessor.assess_gray(GrayView::new(t.as_raw(), w, h, w as usize)?)?;
                ms += start.elapsed().as_secs_f64() * 1e3;
                let Some(face) = &report.face else { continue };
                found += 1;
                turned += usize::from(face.view_turn_deg.is_some());
                rotate += usize::from(policy.judge(&report).has(Reason::RotateImage));
                let (l, r) = (map(*l), map(*r));
                let expected = (l.y - r.y).atan2(l.x - r.x).to_degrees();
                errors.push(wrap(face.framing.roll_deg - expected).abs());
            }
            let n = images.len().max(1) as f64;
            let rate = 100.0 * found as f64 / n;
            if angle == 0.0 {
                upright = rate;
            }
            let within = errors.iter().filter(|&&e| e <= 10.0).count();
            let median = quantile(&mut errors, 0.5);
            let p95 = quantile(&mut errors, 0.95);
            println!(
                "| {angle} | {rate:.1} % | {:.1} % | {:.1} % | {:.1} % | {median:.2} | {p95:.2} | {:.1} % | {:.1} |",
                100.0 * rate / upright,
                100.0 * rotate as f64 / n,
                100.0 * turned as f64 / n,
                100.0 * within as f64 / found.max(1) as f64,
                ms / n,
            );
        }
    }
    Ok(())
}

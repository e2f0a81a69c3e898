//! Head pose: how well the pitch and yaw of [`Framing`] are measured.
//!
//! ```text
//! cargo run --release --example eval_pose -- renders DIR [--split val|train|all] [--dump FILE]
//! cargo run --release --example eval_pose -- real DIR TEACHER.csv [--dump FILE]
//! ```
//!
//! `renders`: `DIR` holds the known-pose renders of
//! `scripts/pose-render.py render` and their `truth.csv` (`file, split,
//! source, applied_pitch, applied_yaw, pitch, yaw`: the true pose is the
//! applied turn plus the source face's own pose by the teacher). Only the
//! `--split` faces count (default `val`, the faces no constant was fitted
//! on). It prints, over all faces and per applied pitch and yaw, the
//! share of faces found and the error of the pitch and the yaw (measured
//! minus true): median, median and 90th/95th percentile of its absolute
//! value, and the shares within 5 and 10 degrees; and the share of faces
//! the default policy calls `head_pitched` per applied pitch.
//!
//! `real`: `DIR` holds `images/`, `TEACHER.csv` the teacher's pose of
//! each (`scripts/pose-render.py label`: `file, pitch, yaw, roll,
//! eye_mid_x, eye_mid_y`). A face counts when the assessor's eye
//! mid-point lies within 0.3 IED of the teacher's (the same face). It
//! prints the same error table against the teacher, and the share of
//! faces the default policy calls `head_pitched` or `not_facing_camera`.
//!
//! `--canvas` sets each image into a mid-grey canvas twice its size first
//! (for tight face crops).
//!
//! `--dump FILE` writes one line per face found: file, true pitch and
//! yaw, measured pitch and yaw, and ONet's five landmarks (the fitting
//! scripts read it).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use biocapture::{FaceAssessor, FaceConfig, FacePolicy, FaceReport, Reason, RgbView};

type Error = Box<dyn std::error::Error>;

/// One face to assess: image path, true pitch and yaw, the group it is
/// tabled under (the applied pitch and yaw, or none), and the teacher's
/// eye mid-point (real faces only).
#[derive(Clone)]
struct Case {
    path: PathBuf,
    name: String,
    pitch: f32,
    yaw: f32,
    applied: Option<(i32, i32)>,
    eye_mid: Option<(f32, f32)>,
}

/// Errors and flags of one group of faces.
#[derive(Default)]
struct Tally {
    n: usize,
    found: usize,
    pitch_err: Vec<f32>,
    yaw_err: Vec<f32>,
    pitched: usize,
    not_facing: usize,
}

impl Tally {
    fn add(&mut self, measured: Option<(Option<f32>, Option<f32>, bool, bool)>, c: &Case) {
        self.n += 1;
        let Some((pitch, yaw, pitched, not_facing)) = measured else {
            return;
        };
        self.found += 1;
        if let Some(p) = pitch {
            self.pitch_err.push(p - c.pitch);
        }
        if let Some(y) = yaw {
            self.yaw_err.push(y - c.yaw);
        }
        self.pitched += usize::from(pitched);
        self.not_facing += usize::from(not_facing);
    }
}

/// `median, median |e|, p90 |e|, p95 |e|, within 5, within 10` of `e`.
fn spread(e: &[f32]) -> String {
    if e.is_empty() {
        return "-".into();
    }
    let q = |v: &mut Vec<f32>, f: f32| {
        v.sort_by(f32::total_cmp);
        v[((v.len() - 1) as f32 * f).round() as usize]
    };
    let mut signed = e.to_vec();
    let mut abs: Vec<f32> = e.iter().map(|x| x.abs()).collect();
    let within = |d: f32| 100.0 * abs.iter().filter(|&&x| x <= d).count() as f32 / abs.len() as f32;
    let (w5, w10) = (within(5.0), within(10.0));
    format!(
        "{:+6.1} {:5.1} {:5.1} {:5.1} {:5.1}% {:5.1}%",
        q(&mut signed, 0.5),
        q(&mut abs, 0.5),
        q(&mut abs, 0.9),
        q(&mut abs, 0.95),
        w5,
        w10
    )
}

fn print_table(title: &str, groups: &BTreeMap<String, Tally>) {
    println!("{title}");
    println!(
        "{:>14} {:>5} {:>6} | pitch err: med  |med|  p90   p95   <=5    <=10  | yaw err: med  |med|  p90   p95   <=5    <=10  | head_pitched not_facing",
        "group", "n", "found"
    );
    for (k, t) in groups {
        let share = |x: usize| 100.0 * x as f32 / t.found.max(1) as f32;
        println!(
            "{:>14} {:>5} {:>5.1}% | {} | {} | {:5.1}% {:5.1}%",
            k,
            t.n,
            100.0 * t.found as f32 / t.n.max(1) as f32,
            spread(&t.pitch_err),
            spread(&t.yaw_err),
            share(t.pitched),
            share(t.not_facing),
        );
    }
}

fn read_renders(dir: &Path, split: &str) -> Result<Vec<Case>, Error> {
    let text = std::fs::read_to_string(dir.join("truth.csv"))?;
    let mut out = Vec::new();
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        if f.len() < 7 || (split != "all" && f[1] != split) {
            continue;
        }
        out.push(Case {
            path: dir.join(f[0]),
            name: f[0].to_string(),
            pitch: f[5].parse()?,
            yaw: f[6].parse()?,
            applied: Some((f[3].parse()?, f[4].parse()?)),
            eye_mid: None,
        });
    }
    Ok(out)
}

fn read_real(dir: &Path, teacher: &Path) -> Result<Vec<Case>, Error> {
    let text = std::fs::read_to_string(teacher)?;
    let mut out = Vec::new();
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        if f.len() < 6 {
            continue;
        }
        out.push(Case {
            path: dir.join("images").join(f[0]),
            name: f[0].to_string(),
            pitch: f[1].parse()?,
            yaw: f[2].parse()?,
            applied: None,
            eye_mid: Some((f[4].parse()?, f[5].parse()?)),
        });
    }
    Ok(out)
}

/// The measured pitch, yaw and the two pose flags of `report`, when it
/// holds the case's face.
fn measure(
    report: &FaceReport,
    policy: &FacePolicy,
    c: &Case,
) -> Option<(Option<f32>, Option<f32>, bool, bool)> {
    let face = report.face.as_ref()?;
    if let Some((x, y)) = c.eye_mid {
        let m = face.eyes.midpoint();
        if (m.x - x).hypot(m.y - y) > 0.3 * face.eyes.ied() {
            return None;
        }
    }
    let v = policy.judge(report);
    let has = |r: Reason| v.findings.iter().any(|f| f.reason == r);
    Some((
        face.framing.pitch_deg,
        face.framing.yaw_deg,
        has(Reason::HeadPitched),
        has(Reason::NotFacingCamera),
    ))
}

fn main() -> Result<(), Error> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "eval_pose renders DIR [--split val|train|all] [--dump FILE] | real DIR TEACHER.csv [--dump FILE]";
    let opt = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let cases = match (args.first().map(String::as_str), args.get(1)) {
        (Some("renders"), Some(dir)) => {
            read_renders(Path::new(dir), &opt("--split").unwrap_or("val".into()))?
        }
        (Some("real"), Some(dir)) => {
            let teacher = args.get(2).ok_or(usage)?;
            read_real(Path::new(dir), Path::new(teacher))?
        }
        _ => return Err(usage.into()),
    };
    let mut assessor = FaceAssessor::new(FaceConfig::default())?;
    let policy = FacePolicy::default();
    let canvas = args.iter().any(|a| a == "--canvas");
    let mut all = BTreeMap::<String, Tally>::new();
    let mut by_pitch = BTreeMap::<String, Tally>::new();
    let mut by_yaw = BTreeMap::<String, Tally>::new();
    let mut dump = String::from(
        "file,pitch,yaw,est_pitch,est_yaw,left_eye_x,left_eye_y,right_eye_x,right_eye_y,nose_x,nose_y,mouth_left_x,mouth_left_y,mouth_right_x,mouth_right_y,box_x,box_y,box_w,box_h\n",
    );
    for c in &cases {
        let mut img = image::open(&c.path)?.to_rgb8();
        let mut case = c.clone();
        if canvas {
            // A tight crop set into a mid-grey canvas twice its size, so
            // the networks see the face with room around it, as in a
            // portrait.
            let (w, h) = img.dimensions();
            let mut big = image::RgbImage::from_pixel(2 * w, 2 * h, image::Rgb([128; 3]));
            image::imageops::replace(&mut big, &img, i64::from(w / 2), i64::from(h / 2));
            img = big;
            case.eye_mid = c
                .eye_mid
                .map(|(x, y)| (x + (w / 2) as f32, y + (h / 2) as f32));
        }
        let c = &case;
        let (w, h) = img.dimensions();
        let report = assessor.assess(RgbView::new(img.as_raw(), w, h, 3 * w as usize)?)?;
        let m = measure(&report, &policy, c);
        all.entry("all".into()).or_default().add(m, c);
        if let Some((p, y)) = c.applied {
            by_pitch
                .entry(format!("pitch {p:+03}"))
                .or_default()
                .add(m, c);
            by_yaw.entry(format!("yaw {y:+03}")).or_default().add(m, c);
        }
        if let (Some(face), Some(_)) = (report.face.as_ref(), m) {
            let num = |x: Option<f32>| x.map_or(String::from("nan"), |v| format!("{v:.3}"));
            let _ = write!(
                dump,
                "{},{},{},{},{}",
                c.name,
                c.pitch,
                c.yaw,
                num(face.framing.pitch_deg),
                num(face.framing.yaw_deg)
            );
            match face.landmarks {
                Some(l) => {
                    for p in [
                        l.eyes.left,
                        l.eyes.right,
                        l.nose,
                        l.mouth_left,
                        l.mouth_right,
                    ] {
                        let _ = write!(dump, ",{:.2},{:.2}", p.x, p.y);
                    }
                }
                None => dump.push_str(&",nan".repeat(10)),
            }
            let b = face.face_box;
            let _ = writeln!(
                dump,
                ",{:.2},{:.2},{:.2},{:.2}",
                b.x, b.y, b.width, b.height
            );
        }
    }
    print_table("All faces", &all);
    if !by_pitch.is_empty() {
        // Numeric order: "+05" sorts before "+10", but "-05" after "-10".
        print_table("Per applied pitch", &by_pitch);
        print_table("Per applied yaw", &by_yaw);
    }
    if let Some(path) = opt("--dump") {
        std::fs::write(path, dump)?;
    }
    Ok(())
}

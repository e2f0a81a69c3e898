//! How open the eyes are, estimated from the pixels around each eye as the
//! lid aperture over the eye width, the ratio 68-point annotations define.
//!
//! A closed eye has no single tell-tale feature a fixed rule can read: the
//! lash line of a closed lid runs dark across the eye centre much as an
//! iris does (see [`visibility`](super::visibility)), and a grey profile
//! across the lids mistakes lashes, lid creases and socket shadows for the
//! aperture (such a profile, tried first, found 9 % of the AFW closed
//! eyes). So the estimate is learnt:
//!
//! ```text
//! patch    = 9 x 9 cells around the eye centre, 0.06 IED apart along the
//!            eye line and 0.04 IED apart across it (0.48 x 0.32 IED: the
//!            eye, its lids and the lid crease), each cell the mean of 3 x 3
//!            bilinear samples; the subject's left eye mirrored so both
//!            read the same way; minus its mean, over its standard
//!            deviation (at least 2 grey levels)
//! openness = a small network: 81 inputs, 16 tanh units, one output,
//!            clamped to 0..1
//! ```
//!
//! The network was fitted (`scripts/fit-eye-openness.py`) on half of the
//! AFW faces with their 68-point openness as the target, half of the
//! "Closed Eyes in the Wild" faces (target 0.04) and 800 UTKFace faces
//! (open eyes, target 0.3); the other halves are held out. Its output is
//! an estimate of the annotated ratio: open eyes read about 0.2-0.4,
//! closed ones under 0.15. `docs/face.md` has the evaluation.

use super::openness_weights::{B1, B2, W1, W2};
use super::types::{EyePair, Point};
use super::visibility::{EyeFrame, Plane};

/// How open each eye is, 0..1: an estimate of the lid aperture over the
/// eye width (the ratio a 68-point annotation gives as the mean of
/// |p38-p42| and |p39-p41| over |p37-p40|), read from the pixels around
/// the eye. Open eyes read about 0.2-0.4, closed eyes under 0.15.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct EyeOpenness {
    /// The subject's left eye (larger x).
    pub left: f32,
    /// The subject's right eye (smaller x).
    pub right: f32,
}

impl EyeOpenness {
    /// The more open eye's value: what the policy checks. One eye's
    /// estimate alone errs more often than both together; eyes closed
    /// for a blink, or by an ill or drowsy subject, close together.
    #[must_use]
    pub fn max(&self) -> f32 {
        self.left.max(self.right)
    }
}

/// Patch cells along the eye line and across it.
const COLS: usize = 9;
const ROWS: usize = 9;
/// Cell spacing along the eye line, IEDs: the 9 cells span 0.48 IED, a
/// little more than the eye's width (0.42 IED, corner to corner, on
/// the AFW faces).
const DU: f32 = 0.06;
/// Cell spacing across the eye line, IEDs: the 9 cells span 0.32 IED, the
/// lids and the crease above (an open eye's aperture is about 0.12 IED).
const DV: f32 = 0.04;
/// The network's hidden units.
const HIDDEN: usize = 16;
/// Smallest patch spread, grey levels: a flat patch is not blown up into
/// noise.
const MIN_SPREAD: f32 = 2.0;

/// Estimates how open both eyes are. `None` when a patch leaves the
/// image (the caller checks the IED is at least 16 px).
pub(crate) fn eye_openness(plane: &Plane<'_>, eyes: &EyePair) -> Option<EyeOpenness> {
    let frame = EyeFrame::new(eyes);
    let mut cells = [0.0f32; COLS * ROWS];
    // The image-left eye is the subject's right; the subject's left eye
    // is read mirrored, along -u.
    let mut eye = |c: Point, mirror: bool| -> Option<f32> {
        patch(plane, c, frame, mirror, &mut cells)?;
        Some(network(&cells))
    };
    let right = eye(eyes.right, false)?;
    let left = eye(eyes.left, true)?;
    Some(EyeOpenness { left, right })
}

/// The normalised grey patch around the eye centre `c` (see the module
/// docs), read along `-u` when `mirror`; `None` when a sample leaves the
/// image.
pub(crate) fn patch(
    plane: &Plane<'_>,
    c: Point,
    frame: EyeFrame,
    mirror: bool,
    out: &mut [f32; COLS * ROWS],
) -> Option<()> {
    let s = if mirror { -1.0 } else { 1.0 };
    let (u, v, ied) = ((s * frame.u.0, s * frame.u.1), frame.v, frame.ied);
    let (hc, hr) = ((COLS - 1) as f32 * 0.5, (ROWS - 1) as f32 * 0.5);
    for (k, slot) in out.iter_mut().enumerate() {
        let (i, j) = ((k % COLS) as f32 - hc, (k / COLS) as f32 - hr);
        let mut sum = 0.0;
        for sj in -1..=1 {
            for si in -1..=1 {
                let a = (i + si as f32 / 3.0) * DU * ied;
                let b = (j + sj as f32 / 3.0) * DV * ied;
                sum +=
                    plane.bilinear(Point::new(c.x + a * u.0 + b * v.0, c.y + a * u.1 + b * v.1))?;
            }
        }
        *slot = sum / 9.0;
    }
    let n = out.len() as f32;
    let mean = out.iter().sum::<f32>() / n;
    let var = out.iter().map(|g| (g - mean) * (g - mean)).sum::<f32>() / n;
    let sd = var.sqrt().max(MIN_SPREAD);
    for g in out.iter_mut() {
        *g = (*g - mean) / sd;
    }
    Some(())
}

/// The network's openness for a normalised patch, clamped to 0..1.
fn network(x: &[f32; COLS * ROWS]) -> f32 {
    let mut hidden = B1;
    for (xi, row) in x.iter().zip(W1.chunks_exact(HIDDEN)) {
        for (h, w) in hidden.iter_mut().zip(row) {
            *h += xi * w;
        }
    }
    let out = hidden
        .iter()
        .zip(W2.iter())
        .fold(B2, |acc, (h, w)| acc + h.tanh() * w);
    if out.is_nan() {
        0.0
    } else {
        out.clamp(0.0, 1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A cartoon eye pair on skin: open (white sclera, dark iris, from lid
    /// to lid) or closed (a thin dark lash line).
    fn cartoon(open: bool) -> (Vec<u8>, EyePair) {
        let (w, h) = (200usize, 200usize);
        let (l, r) = (Point::new(130.0, 80.0), Point::new(70.0, 80.0));
        let ied = 60.0;
        let mut px = vec![170u8; w * h];
        for y in 0..h {
            for x in 0..w {
                for c in [l, r] {
                    let (dx, dy) = ((x as f32 - c.x) / ied, (y as f32 - c.y) / ied);
                    // Almond: half height 0.06 IED at the centre, 0 at
                    // the corners 0.21 IED away.
                    let half = 0.06 * (1.0 - (dx / 0.21).powi(2)).max(0.0);
                    let g = &mut px[y * w + x];
                    if open {
                        if dy.abs() < half {
                            *g = if dx.hypot(dy) < 0.08 { 40 } else { 235 };
                        } else if (dy.abs() - half).abs() < 0.01 && dx.abs() < 0.21 {
                            *g = 60;
                        }
                    } else if (dy - 0.01).abs() < 0.012 && dx.abs() < 0.21 {
                        *g = 60;
                    }
                }
            }
        }
        (px, EyePair::from_points(l, r))
    }

    fn measure(open: bool) -> EyeOpenness {
        let (px, eyes) = cartoon(open);
        eye_openness(&Plane::new(&px, 200, 200).unwrap(), &eyes).unwrap()
    }

    #[test]
    fn an_open_cartoon_eye_reads_more_open_than_a_closed_one() {
        let (open, closed) = (measure(true), measure(false));
        assert!(open.left > closed.left + 0.1, "{open:?} {closed:?}");
        assert!(open.right > closed.right + 0.1, "{open:?} {closed:?}");
    }

    #[test]
    fn mirrored_eyes_read_alike() {
        // The cartoon is left-right symmetric about x = 100, so each eye
        // is the other's mirror image.
        let o = measure(true);
        assert!((o.left - o.right).abs() < 1e-3, "{o:?}");
    }

    #[test]
    fn a_flat_patch_or_an_eye_off_the_image_is_handled() {
        let px = vec![128u8; 200 * 200];
        let plane = Plane::new(&px, 200, 200).unwrap();
        let eyes = EyePair::from_points(Point::new(130.0, 80.0), Point::new(70.0, 80.0));
        let o = eye_openness(&plane, &eyes).unwrap();
        assert!((0.0..=1.0).contains(&o.left) && o.left == o.right);
        let edge = EyePair::from_points(Point::new(70.0, 5.0), Point::new(10.0, 5.0));
        assert_eq!(eye_openness(&plane, &edge), None);
    }
}

/// Writes the training patches `scripts/fit-eye-openness.py` reads
/// (research tool, not a test: `DUMP_OUT=patches.csv cargo test --release
/// --lib write_training_patches -- --ignored`; the data sets are read in
/// place from `AFW`, `CEW` and `UTK`, defaulting to the paths below).
#[cfg(test)]
mod training {
    use super::*;
    use crate::face::{FaceAssessor, FaceConfig};
    use crate::image::RgbView;
    use std::io::Write;

    fn pts(path: &std::path::Path) -> Option<Vec<Point>> {
        let text = std::fs::read_to_string(path).ok()?;
        let mut v = Vec::new();
        for line in text.lines() {
            let mut it = line.split_whitespace();
            if let (Some(a), Some(b), None) = (it.next(), it.next(), it.next()) {
                if let (Ok(x), Ok(y)) = (a.parse::<f32>(), b.parse::<f32>()) {
                    v.push(Point::new(x, y));
                }
            }
        }
        (v.len() == 68).then_some(v)
    }

    #[test]
    #[ignore = "research tool: writes the network's training data"]
    fn write_training_patches() -> Result<(), Box<dyn std::error::Error>> {
        let env = |k: &str, d: &str| std::env::var(k).unwrap_or_else(|_| d.to_string());
        let out = std::env::var("DUMP_OUT")?;
        let mut f = std::io::BufWriter::new(std::fs::File::create(out)?);
        let mut a = FaceAssessor::new(FaceConfig::default())?;
        // (set, folder, annotated, class, how many)
        let sets = [
            (
                "afw",
                env("AFW", "../shared/data/face/afw_300w"),
                true,
                -1,
                usize::MAX,
            ),
            (
                "cew",
                env("CEW", "/work/extdata/cew_pix2pix/closed_eyes_dataset"),
                false,
                0,
                usize::MAX,
            ),
            (
                "utk",
                env("UTK", "/work/extdata/cew_pix2pix/regular_faces"),
                false,
                1,
                1600,
            ),
        ];
        for (set, dir, annotated, class, limit) in sets {
            let dir = std::path::Path::new(&dir);
            let images = if annotated {
                dir.join("images")
            } else {
                dir.to_path_buf()
            };
            let mut files: Vec<_> = std::fs::read_dir(&images)?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .collect();
            files.sort();
            for (k, p) in files.iter().enumerate().take(limit) {
                let Ok(img) = ::image::open(p) else { continue };
                let mut img = img.to_rgb8();
                let stem = p.file_stem().and_then(|s| s.to_str()).unwrap_or("");
                let mut truth = None;
                if annotated {
                    let Some(q) = pts(&dir.join("pts").join(format!("{stem}.pts"))) else {
                        continue;
                    };
                    truth = Some(q);
                } else {
                    // Tight face crops, set into a grey canvas twice their
                    // size, as examples/eval_expression.rs does.
                    let (w, h) = img.dimensions();
                    let mut canvas =
                        ::image::RgbImage::from_pixel(2 * w, 2 * h, ::image::Rgb([128, 128, 128]));
                    ::image::imageops::overlay(
                        &mut canvas,
                        &img,
                        i64::from(w / 2),
                        i64::from(h / 3),
                    );
                    img = canvas;
                }
                let (w, h) = img.dimensions();
                let report = a.assess(RgbView::new(img.as_raw(), w, h, 3 * w as usize)?)?;
                let Some(face) = report.face else { continue };
                let Some(plane) = Plane::new(&a.luma, w as usize, h as usize) else {
                    continue;
                };
                let eyes = face.eyes;
                let mut gt = [f32::NAN; 2];
                if let Some(q) = &truth {
                    let d = |i: usize, j: usize| q[i - 1].distance(q[j - 1]);
                    let c = |s: usize| {
                        let (x, y) = q[s - 1..s + 5]
                            .iter()
                            .fold((0.0, 0.0), |(x, y), p| (x + p.x, y + p.y));
                        Point::new(x / 6.0, y / 6.0)
                    };
                    let ied = c(37).distance(c(43));
                    if eyes.left.distance(c(43)) > 0.25 * ied
                        || eyes.right.distance(c(37)) > 0.25 * ied
                    {
                        continue;
                    }
                    gt = [
                        0.5 * (d(44, 48) + d(45, 47)) / d(43, 46),
                        0.5 * (d(38, 42) + d(39, 41)) / d(37, 40),
                    ];
                }
                if eyes.ied() < 16.0 {
                    continue;
                }
                let frame = EyeFrame::new(&eyes);
                let mut cells = [0.0f32; COLS * ROWS];
                for (e, c, mirror, g) in [
                    ("L", eyes.left, true, gt[0]),
                    ("R", eyes.right, false, gt[1]),
                ] {
                    if patch(&plane, c, frame, mirror, &mut cells).is_none() {
                        continue;
                    }
                    write!(f, "eye,{set},{stem},{k},{e},{class},{g},{}", frame.ied)?;
                    for x in &cells {
                        write!(f, ",{x:.3}")?;
                    }
                    writeln!(f)?;
                }
            }
        }
        Ok(())
    }
}

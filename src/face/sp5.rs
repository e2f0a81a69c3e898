//! dlib's 5-point face landmark model: the four eye corners and the bottom
//! of the nose, from a face rectangle, by an ensemble of regression trees.
//!
//! The method is Kazemi and Sullivan's ("One millisecond face alignment
//! with an ensemble of regression trees", CVPR 2014), as dlib's
//! `shape_predictor` runs it: starting from the mean shape placed in the
//! rectangle, each of 15 levels reads 800 grey pixels at offsets from the
//! current shape's points (the offsets turned and scaled with the shape, by
//! the similarity transform that takes the mean shape onto it), and each
//! of its 500 trees of depth 4 compares two of those pixels per split and
//! adds its leaf's change to the shape. All arithmetic is float32, in
//! dlib's order, so the points match the Python reference in
//! `scripts/convert-sp5.py` (unit test). The model is Davis King's
//! `shape_predictor_5_face_landmarks.dat` (public domain), embedded with
//! its leaves as float16 (`sp5.bin`; provenance in `models/README.md`).
//!
//! A run visits 7,500 trees and reads 12,000 pixels: about 1.4 million
//! instructions (callgrind). [`super::eyes`] runs it on the image and its mirror
//! image together and uses the eye corners as a second, independent
//! opinion on the eye centres.

use std::sync::OnceLock;

use super::model_io::{f16s_into, Reader};
use super::types::Point;

static MODEL_BYTES: &[u8] = include_bytes!("sp5.bin");
const MAGIC: &[u8; 8] = b"SP5\x00f16\x00";
/// Points of the shape: image-right eye's outer and inner corner, the
/// image-left eye's outer and inner corner, the bottom of the nose.
pub(crate) const POINTS: usize = 5;
/// Splits and leaves of a depth-4 tree.
const SPLITS: usize = 15;
const LEAVES: usize = 16;
/// Most feature pixels a level may read (dlib's model reads 800): a power
/// of two, so that a masked index needs no bounds check.
const MAX_PIXELS: usize = 1024;
const MASK: usize = MAX_PIXELS - 1;

/// One split: go left when `pixel[a] - pixel[b] > thresh`.
#[derive(Debug, Clone, Copy)]
struct Split {
    a: u16,
    b: u16,
    thresh: f32,
}

/// One cascade level.
#[derive(Debug)]
struct Level {
    /// Per feature pixel: the shape point it hangs on, and its offset
    /// from that point in the mean shape's frame (unit-square coordinates).
    anchors: Vec<u8>,
    deltas: Vec<[f32; 2]>,
    trees: Vec<Tree>,
}

/// One regression tree: its splits breadth first, and per leaf the change
/// to the shape's coordinates (x0, y0, x1, ...). Fixed-size, so a tree is
/// one contiguous block and its loops unroll.
#[derive(Debug, Clone)]
struct Tree {
    splits: [Split; SPLITS],
    leaves: [[f32; 2 * POINTS]; LEAVES],
}

/// The parsed model.
#[derive(Debug)]
pub(crate) struct ShapeModel {
    /// The mean shape in the unit square, (x, y) per point.
    initial: [[f32; 2]; POINTS],
    levels: Vec<Level>,
}

/// The embedded model, parsed on first use; `None` only if the embedded
/// file were damaged (a unit test rules that out).
pub(crate) fn model() -> Option<&'static ShapeModel> {
    static MODEL: OnceLock<Option<ShapeModel>> = OnceLock::new();
    MODEL
        .get_or_init(|| ShapeModel::parse(MODEL_BYTES))
        .as_ref()
}

impl ShapeModel {
    /// Parses `sp5.bin` (layout in `scripts/convert-sp5.py`), checking
    /// every index against what it indexes.
    fn parse(bytes: &[u8]) -> Option<Self> {
        let mut r = Reader::new(bytes);
        if r.take(8)? != MAGIC {
            return None;
        }
        let (points, levels, trees, depth, pixels) = (
            r.u32()? as usize,
            r.u32()? as usize,
            r.u32()? as usize,
            r.u32()?,
            r.u32()? as usize,
        );
        if points != POINTS
            || depth != 4
            || levels == 0
            || trees == 0
            || pixels == 0
            || pixels > MAX_PIXELS
        {
            return None;
        }
        // The counts must describe exactly the bytes that follow: absurd
        // ones are refused before anything is allocated for them.
        let tree_bytes = SPLITS * 8 + LEAVES * 2 * POINTS * 2;
        let level_bytes = pixels
            .checked_mul(1 + 8)?
            .checked_add(trees.checked_mul(tree_bytes)?)?;
        let body = level_bytes.checked_mul(levels)?.checked_add(8 * POINTS)?;
        if r.remaining() != body {
            return None;
        }
        let mut initial = [[0f32; 2]; POINTS];
        for p in &mut initial {
            *p = [r.f32()?, r.f32()?];
        }
        let mut parsed = Vec::with_capacity(levels);
        for _ in 0..levels {
            let anchors = r.take(pixels)?.to_vec();
            if anchors.iter().any(|&k| usize::from(k) >= POINTS) {
                return None;
            }
            let mut deltas = Vec::with_capacity(pixels);
            for _ in 0..pixels {
                deltas.push([r.f32()?, r.f32()?]);
            }
            let mut level_trees = Vec::with_capacity(trees);
            for _ in 0..trees {
                let mut tree = Tree {
                    splits: [Split {
                        a: 0,
                        b: 0,
                        thresh: 0.0,
                    }; SPLITS],
                    leaves: [[0.0; 2 * POINTS]; LEAVES],
                };
                for split in &mut tree.splits {
                    let b = r.take(8)?;
                    *split = Split {
                        a: u16::from_le_bytes([b[0], b[1]]),
                        b: u16::from_le_bytes([b[2], b[3]]),
                        thresh: f32::from_le_bytes([b[4], b[5], b[6], b[7]]),
                    };
                    if usize::from(split.a.max(split.b)) >= pixels || !split.thresh.is_finite() {
                        return None;
                    }
                }
                f16s_into(
                    tree.leaves.as_flattened_mut(),
                    r.take(LEAVES * 2 * POINTS * 2)?,
                )?;
                level_trees.push(tree);
            }
            parsed.push(Level {
                anchors,
                deltas,
                trees: level_trees,
            });
        }
        if r.remaining() != 0 || initial.iter().flatten().any(|v| !v.is_finite()) {
            return None;
        }
        Some(Self {
            initial,
            levels: parsed,
        })
    }

    /// The five points of the face in `rect` (left, top, right, bottom, in
    /// image pixels; it may reach outside the image, whose pixels there read
    /// as 0) of the grey image `px` (`width` x `height`, contiguous rows),
    /// once per entry of `mirror`.
    ///
    /// A `true` entry runs the model on the image flipped about the
    /// rectangle's vertical centre line, without copying it: a pixel at
    /// `x` reads the image at `left + right - x` (so `left + right` should
    /// be a whole number), and its points come back in the flipped frame.
    /// The runs go through the trees together, so each tree is fetched
    /// from memory once for all of them (the model, about 6 MB parsed, is
    /// larger than the caches).
    ///
    /// `None` when the rectangle is degenerate or not finite, or the image
    /// shorter than its size says.
    pub(crate) fn predict<const N: usize>(
        &self,
        px: &[u8],
        width: usize,
        height: usize,
        rect: [f32; 4],
        mirror: [bool; N],
    ) -> Option<[[Point; POINTS]; N]> {
        let [left, top, right, bottom] = rect.map(f64::from);
        let (sx, sy) = (right - left, bottom - top);
        let finite = [left, top, sx, sy].iter().all(|v| v.is_finite());
        if !(finite && sx > 0.0 && sy > 0.0) || px.len() < width.checked_mul(height)? {
            return None;
        }
        let mirror_sum = floor(left + right + 0.5);
        let (w_f, h_f) = (width as f64, height as f64);
        let mut shapes = [self.initial; N];
        // Each run's feature pixel values at the current level.
        let mut values = [[0f32; MAX_PIXELS]; N];
        for level in &self.levels {
            for ((shape, &flip), values) in shapes.iter().zip(&mirror).zip(values.iter_mut()) {
                let m = similarity(&self.initial, shape);
                // A point at `xf` reads column `floor(xf)`, or in a mirrored
                // run `mirror_sum - floor(xf)`; either lies in the image
                // exactly when `xf` lies in [x_lo, x_hi). Testing that on
                // the float first leaves a plain truncation (or, mirrored,
                // one floor) for the points inside.
                let (x_lo, x_hi) = if flip {
                    (
                        (mirror_sum - width as i64 + 1) as f64,
                        (mirror_sum + 1) as f64,
                    )
                } else {
                    (0.0, w_f)
                };
                for ((&k, d), value) in level
                    .anchors
                    .iter()
                    .zip(&level.deltas)
                    .zip(values.iter_mut())
                {
                    let anchor = shape[usize::from(k)];
                    let p = [
                        m[0][0] * d[0] + m[0][1] * d[1] + anchor[0],
                        m[1][0] * d[0] + m[1][1] * d[1] + anchor[1],
                    ];
                    // To the nearest pixel, as dlib rounds a point.
                    let xf = left + f64::from(p[0]) * sx + 0.5;
                    let yf = top + f64::from(p[1]) * sy + 0.5;
                    let inside = xf >= x_lo && xf < x_hi && yf >= 0.0 && yf < h_f;
                    *value = if inside {
                        // Non-negative here, so truncation is the floor.
                        let x = if flip {
                            (mirror_sum - floor(xf)) as usize
                        } else {
                            xf as usize
                        };
                        f32::from(px[yf as usize * width + x])
                    } else {
                        0.0
                    };
                }
            }
            for tree in &level.trees {
                for (shape, values) in shapes.iter_mut().zip(values.iter()) {
                    // Four levels, unrolled and branch-free: the decisions
                    // are as good as random to a branch predictor.
                    let mut node = 0;
                    for _ in 0..4 {
                        let s = tree.splits[node];
                        // The mask keeps the index in the array without a
                        // bounds check; the parser has refused any index
                        // of `MAX_PIXELS` or more.
                        let (a, b) = (usize::from(s.a) & MASK, usize::from(s.b) & MASK);
                        let go_left = values[a] - values[b] > s.thresh;
                        node = 2 * node + 2 - usize::from(go_left);
                    }
                    let leaf = &tree.leaves[node - SPLITS];
                    for (p, dv) in shape.as_flattened_mut().iter_mut().zip(leaf) {
                        *p += dv;
                    }
                }
            }
        }
        let out = shapes.map(|shape| {
            shape.map(|[x, y]| {
                Point::new(
                    (left + f64::from(x) * sx) as f32,
                    (top + f64::from(y) * sy) as f32,
                )
            })
        });
        out.iter().flatten().all(|p| p.is_finite()).then_some(out)
    }
}

/// `v.floor()` as an integer, saturating far out (where the pixel is
/// outside any image anyway). `f64::floor` is a library call on x86-64
/// without SSE4.1, and this runs twice per feature pixel.
fn floor(v: f64) -> i64 {
    let t = v as i64;
    t.saturating_sub(i64::from((t as f64) > v))
}

/// The 2x2 part of the least-squares similarity transform taking the
/// points `from` onto `to`: computed in float64, rounded to float32, as
/// dlib does.
fn similarity(from: &[[f32; 2]; POINTS], to: &[[f32; 2]; POINTS]) -> [[f32; 2]; 2] {
    let mean = |s: &[[f32; 2]; POINTS], i: usize| {
        s.iter().map(|p| f64::from(p[i])).sum::<f64>() / POINTS as f64
    };
    let (fx, fy, tx, ty) = (mean(from, 0), mean(from, 1), mean(to, 0), mean(to, 1));
    let (mut norm, mut c, mut s) = (0f64, 0f64, 0f64);
    for (f, t) in from.iter().zip(to) {
        let (ax, ay) = (f64::from(f[0]) - fx, f64::from(f[1]) - fy);
        let (bx, by) = (f64::from(t[0]) - tx, f64::from(t[1]) - ty);
        norm += ax * ax + ay * ay;
        c += ax * bx + ay * by;
        s += ax * by - ay * bx;
    }
    if norm <= 0.0 {
        return [[1.0, 0.0], [0.0, 1.0]];
    }
    let (c, s) = ((c / norm) as f32, (s / norm) as f32);
    [[c, -s], [s, c]]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `scripts/convert-sp5.py` writes a synthetic face, two rectangles
    /// and the points its Python reference finds in each.
    static CHECK: &[u8] = include_bytes!("sp5_check.bin");

    fn u32_at(b: &[u8], at: usize) -> usize {
        u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]]) as usize
    }

    #[test]
    fn matches_the_python_reference() {
        let (w, h) = (u32_at(CHECK, 0), u32_at(CHECK, 4));
        let px = &CHECK[8..8 + w * h];
        let mut at = 8 + w * h;
        let count = u32_at(CHECK, at);
        at += 4;
        let floats: Vec<f32> = CHECK[at..]
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect();
        assert_eq!(floats.len(), count * 14);
        let model = model().expect("the embedded model parses");
        for case in floats.chunks_exact(14) {
            let rect = [case[0], case[1], case[2], case[3]];
            let got = model.predict(px, w, h, rect, [false]).unwrap()[0];
            for (p, e) in got.iter().zip(case[4..].chunks_exact(2)) {
                assert!(
                    (p.x - e[0]).abs() < 1e-3 && (p.y - e[1]).abs() < 1e-3,
                    "{rect:?}: {p:?} vs {e:?}"
                );
            }
            // The eyes where the synthetic face has them (x 46 and 74, y 44).
            let right = got[0].midpoint(got[1]);
            let left = got[2].midpoint(got[3]);
            assert!((right.x - 74.0).abs() < 6.0 && (left.x - 46.0).abs() < 6.0);
            assert!((right.y - 44.0).abs() < 4.0 && (left.y - 44.0).abs() < 4.0);
        }
    }

    #[test]
    fn mirror_reads_the_flipped_image() {
        let (w, h) = (u32_at(CHECK, 0), u32_at(CHECK, 4));
        let px = &CHECK[8..8 + w * h];
        let flipped: Vec<u8> = px
            .chunks_exact(w)
            .flat_map(|row| row.iter().rev().copied())
            .collect();
        let model = model().unwrap();
        // A rectangle centred on the image: flipping the image about its
        // centre and flipping about the rectangle's are the same.
        let c = (w - 1) as f32;
        let rect = [20.0, 18.0, c - 20.0, 86.0];
        let direct = model.predict(&flipped, w, h, rect, [false]).unwrap()[0];
        let mirrored = model.predict(px, w, h, rect, [true]).unwrap()[0];
        assert_eq!(direct, mirrored);
        // Run together, the two passes give what each gives alone.
        let both = model.predict(px, w, h, rect, [false, true]).unwrap();
        let alone = model.predict(px, w, h, rect, [false]).unwrap()[0];
        assert_eq!(both, [alone, mirrored]);
        // Mapped back, the flipped run sees the cartoon's eyes too.
        let left_eye = Point::new(c - direct[0].midpoint(direct[1]).x, 0.0);
        assert!((left_eye.x - 46.0).abs() < 6.0, "{left_eye:?}");
    }

    #[test]
    fn floor_matches_the_library() {
        for v in [0.0, 0.5, -0.5, 1.0, -1.0, 2.999, -2.001, 1e12, -1e12] {
            assert_eq!(floor(v), v.floor() as i64, "{v}");
        }
        assert_eq!(floor(1e300), i64::MAX);
        assert_eq!(floor(-1e300), i64::MIN);
    }

    #[test]
    fn malformed_models_are_refused() {
        assert!(ShapeModel::parse(&[]).is_none());
        assert!(ShapeModel::parse(&MODEL_BYTES[..MODEL_BYTES.len() - 1]).is_none());
        let mut long = MODEL_BYTES.to_vec();
        long.push(0);
        assert!(ShapeModel::parse(&long).is_none());
        // An anchor past the five points.
        let mut bad = MODEL_BYTES.to_vec();
        bad[8 + 20 + 8 * POINTS] = 5;
        assert!(ShapeModel::parse(&bad).is_none());
        // Absurd sizes are refused before anything is allocated for them:
        // a level of 2^32 - 1 pixels, or of 2^32 - 1 trees.
        for field in [16, 8] {
            let mut huge = MODEL_BYTES.to_vec();
            huge[8 + field..8 + field + 4].copy_from_slice(&u32::MAX.to_le_bytes());
            assert!(ShapeModel::parse(&huge).is_none());
        }
        // Counts that do not add up to the file's length.
        let mut fewer = MODEL_BYTES.to_vec();
        fewer[8 + 8..8 + 12].copy_from_slice(&499u32.to_le_bytes());
        assert!(ShapeModel::parse(&fewer).is_none());
    }

    #[test]
    fn odd_rectangles_and_images_give_none_or_points() {
        let model = model().unwrap();
        let px = vec![128u8; 30 * 20];
        for rect in [
            [0.0, 0.0, 0.0, 10.0],
            [5.0, 5.0, 1.0, 9.0],
            [f32::NAN, 0.0, 10.0, 10.0],
            [0.0, 0.0, f32::INFINITY, 10.0],
        ] {
            assert!(
                model.predict(&px, 30, 20, rect, [false]).is_none(),
                "{rect:?}"
            );
        }
        // The image shorter than its size says.
        assert!(model
            .predict(&px, 30, 21, [0.0, 0.0, 10.0, 10.0], [false])
            .is_none());
        // Far outside the image, or on a flat one: points, no panic.
        for rect in [
            [-500.0, -500.0, -400.0, -400.0],
            [2.0, 2.0, 28.0, 18.0],
            [0.0, 0.0, 1e6, 1e6],
        ] {
            let got = model.predict(&px, 30, 20, rect, [false, true]).unwrap();
            assert!(got.iter().flatten().all(|p| p.is_finite()));
            let got = got[0];
            assert!(got.iter().all(|p| p.is_finite()));
        }
    }
}

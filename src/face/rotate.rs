//! Rotated views: finding the face of a subject lying down.
//!
//! The frontal detector and the eye network read upright faces (roll
//! within about 20 degrees). A subject photographed lying in a bed, from
//! the side, shows a face turned 60 to 90 degrees in the frame, and an
//! upright search finds nothing. Then the image is searched
//! again in turned views (see [`VIEW_ANGLES`]), each rendered from a
//! shrunken copy of the grey plane so that its smallest face spans the
//! detector's window and one detector pass reads it (see
//! [`MIN_FACE_FRACTION`]). In the first view that holds a
//! face, its eyes are located in a full-resolution rendering of the face's
//! surroundings, and mapped back: every point reported is in the original
//! image's pixels, and the eye pair keeps the subject's left and right, so
//! its roll reads the full circle (90 when the top of the head points to
//! the image right; see [`ViewMap`]). The turned views use their own
//! built-in SeetaFace detector (with its default score threshold), also
//! when the assessor was given another detector.

use crate::internal::resample::{resize_gray, ResizeScratch};

use super::detect::SeetaFaceDetector;
use super::eyes::EyeLocator;
use super::types::{Detection, EyePair, FaceBox, Point};
use super::visibility::Plane;
use crate::image::GrayView;

/// The turns searched, in degrees, in order (positive turns the view
/// clockwise on the screen: a face whose roll is `a` reads upright in the
/// view of angle `a`). A quarter turn either way first (a subject lying
/// down, camera held as for a portrait), then the half turn (camera or
/// image upside down), then the diagonals between upright and lying. The
/// frontal detector reads faces up to about 20 to 25 degrees of roll
/// (measured by `examples/eval_rotation.rs`), so these views leave
/// unsearched only the head-down diagonals around +-135 degrees; the
/// search stops at the first view with a face. Searching those too (seven
/// views) found 92 and 97 % of the CSU faces at 120 and 150 degrees
/// instead of 78 %, but a 640x480 frame without a face took 18.1 ms
/// (criterion, a loaded machine; five views: 11.8 there, 10.7 on a
/// quieter one), past the 15 ms budget.
pub(crate) const VIEW_ANGLES: [f32; 5] = [90.0, -90.0, 180.0, 45.0, -45.0];

/// Smallest face the quarter and half turns look for, as a fraction of
/// the image's shorter side. A view is rendered so that this face spans
/// the detector's 40 px window and searched in one pass, so the views'
/// cost grows with the inverse square of it. Measured on the AFW faces
/// in the wild turned 90 degrees (`examples/eval_rotation.rs`; their
/// crops make the face box about 0.45 of the shorter side): 0.45 (the
/// upright search's first pass) found 92.1 % of the upright rate; 0.35
/// is needed for the 95 % bar. At 0.3, with two detector passes per view
/// and whole diagonal canvases, the seven views of a 640x480 frame
/// without a face took about five times the upright search's time.
pub(crate) const MIN_FACE_FRACTION: f32 = 0.35;

/// Smallest face the diagonal views (45 degrees either way) look
/// for: a face between two quarter turns is rarer (a subject half lying,
/// a camera held askew), and these views cost the most, so they look for
/// the faces a framed portrait shows, the upright search's first pass.
const DIAGONAL_MIN_FACE_FRACTION: f32 = 0.45;

/// Whether `angle` is a quarter or half turn.
fn is_quarter(angle: f32) -> bool {
    (angle / 90.0).fract() == 0.0
}

/// The view turned by `angle` of the shrunken copy (`sw` x `sh`): a
/// diagonal view is shrunk further, to its own smallest face.
fn view_of(sw: usize, sh: usize, angle: f32) -> ViewMap {
    let k = if is_quarter(angle) {
        1.0
    } else {
        MIN_FACE_FRACTION / DIAGONAL_MIN_FACE_FRACTION
    };
    ViewMap::new(sw, sh, angle, k)
}

/// The detector's sliding window (SeetaFace's 40 px), which the smallest
/// face searched spans in a view.
const WINDOW: f32 = 40.0;

/// Smallest face probability of the eye network (ONet, on the face's
/// crop and its mirror image) for a face found in a turned view: the
/// frontal detector also fires on faces turned the wrong way (a face
/// upside down in the quarter-turn view), which the network does not take
/// for faces. Measured with `examples/eval_rotation.rs` on the CSU faces
/// turned by -90 degrees (the +90 view is searched first and shows them
/// upside down): 0.7, the live tracker's threshold, let 6 of 171 through
/// with their roll about 180 degrees wrong; 0.9 none.
const TURNED_MIN_FACE_PROB: f32 = 0.9;

/// Below this face probability of the eye network, a face the upright
/// search found is doubted, and the turned views are searched for a
/// better one (kept only when one is found). The frontal detector finds
/// about one in ten of the CSU faces turned upside down, with
/// probabilities from 0.005 to 0.92 (median 0.45); the same faces upright
/// measure 0.918 and more, median 0.997. On the AFW faces in the wild,
/// upright, 0.8 sends as few faces to the turned views as 0.5 does (two
/// of 337), and catches more of those turned upside down.
pub(crate) const DOUBTFUL_UPRIGHT_PROB: f32 = 0.8;

/// When the eyes found in a view run more than this many degrees off the
/// view's level, they are located again in a view turned by their own
/// roll: the eye network is most accurate on a level face, and a face
/// half-way between two views is read at up to 22.5 degrees.
const RELEVEL_DEG: f32 = 10.0;

/// Margin around a found face box, as a fraction of its side, in the
/// full-resolution rendering the eyes are located in: the eye network's
/// crops reach beyond the box (up to about 1.5 box sides wide).
const EYE_MARGIN: f32 = 0.5;

/// Largest face side, in pixels, of the rendering the eyes are located
/// in: a larger face is rendered shrunk to it. The eye network reads a
/// 48 px crop and the refinement a window of at most 64 px, so 256 px
/// loses nothing they use, and it bounds the rendering at 512 x 512.
const EYE_VIEW_MAX_FACE: f32 = 256.0;

/// Grey level of a view where it falls outside the image: mid-grey, no
/// edge for the detector to read as a face's outline.
const FILL: u8 = 128;

/// The geometry of one turned, scaled view of a `width` x `height` image:
/// view pixel `q` shows the image at `centre + R(angle) (q - view_centre) /
/// scale`, where `R` turns by `angle` (x right, y down: positive turns
/// from the x axis towards the y axis). A face whose eye line runs at
/// `angle` in the image (its roll) is upright in the view.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct ViewMap {
    cos: f32,
    sin: f32,
    /// View pixels per image pixel.
    pub(crate) scale: f32,
    centre: Point,
    view_centre: Point,
    /// View width, pixels: the turned image's bounding box.
    pub(crate) width: usize,
    /// View height, pixels.
    pub(crate) height: usize,
}

impl ViewMap {
    /// The view of a `width` x `height` image turned by `angle_deg` and
    /// scaled by `scale`, sized to hold the whole turned image.
    pub(crate) fn new(width: usize, height: usize, angle_deg: f32, scale: f32) -> Self {
        let (sin, cos) = angle_deg.to_radians().sin_cos();
        // Exact quarter turns: no rounding noise in the canvas size.
        let (sin, cos) = (snap(sin), snap(cos));
        let (w, h) = (width as f32, height as f32);
        let vw = ((w * cos.abs() + h * sin.abs()) * scale).round().max(1.0);
        let vh = ((w * sin.abs() + h * cos.abs()) * scale).round().max(1.0);
        Self {
            cos,
            sin,
            scale,
            centre: Point::new((w - 1.0) * 0.5, (h - 1.0) * 0.5),
            view_centre: Point::new((vw - 1.0) * 0.5, (vh - 1.0) * 0.5),
            width: vw as usize,
            height: vh as usize,
        }
    }

    /// The image point view pixel `q` shows.
    pub(crate) fn image_point(&self, q: Point) -> Point {
        let dx = (q.x - self.view_centre.x) / self.scale;
        let dy = (q.y - self.view_centre.y) / self.scale;
        Point::new(
            self.centre.x + dx * self.cos - dy * self.sin,
            self.centre.y + dx * self.sin + dy * self.cos,
        )
    }

    /// The view pixel where image point `p` shows (inverse of
    /// [`image_point`](Self::image_point)).
    pub(crate) fn view_point(&self, p: Point) -> Point {
        let dx = p.x - self.centre.x;
        let dy = p.y - self.centre.y;
        Point::new(
            self.view_centre.x + (dx * self.cos + dy * self.sin) * self.scale,
            self.view_centre.y + (-dx * self.sin + dy * self.cos) * self.scale,
        )
    }

    /// Renders the `cw` x `ch` part of the view whose top-left pixel is
    /// view pixel `(x0, y0)` from `src` (`w` x `h`, contiguous rows),
    /// bilinear, [`FILL`] outside the image, into `out` (`cw * ch` long).
    #[allow(clippy::too_many_arguments)] // the source, its size, the part, the output
    pub(crate) fn render(
        &self,
        src: &[u8],
        w: usize,
        h: usize,
        x0: isize,
        y0: isize,
        cw: usize,
        ch: usize,
        out: &mut Vec<u8>,
    ) {
        out.clear();
        out.resize(cw * ch, FILL);
        let Some(plane) = Plane::new(src, w, h) else {
            return;
        };
        // One view pixel to the right moves this far in the image.
        let (sx, sy) = (self.cos / self.scale, self.sin / self.scale);
        for (row, line) in out.chunks_exact_mut(cw.max(1)).enumerate().take(ch) {
            let mut p = self.image_point(Point::new(x0 as f32, (y0 + row as isize) as f32));
            for v in line.iter_mut() {
                if let Some(g) = plane.bilinear(p) {
                    *v = (g + 0.5) as u8;
                }
                p.x += sx;
                p.y += sy;
            }
        }
    }
}

/// `v` with values within 1e-6 of -1, 0 or 1 set to them.
fn snap(v: f32) -> f32 {
    let r = v.round();
    if (v - r).abs() < 1e-6 {
        r
    } else {
        v
    }
}

/// A face found in a turned view, in the original image's pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct TurnedFace {
    /// The turn of the view it was found in, degrees (one of
    /// [`VIEW_ANGLES`]).
    pub(crate) view_deg: f32,
    /// The axis-aligned box around the detector's turned box.
    pub(crate) face_box: FaceBox,
    /// The detector's score.
    pub(crate) score: f32,
    /// The eyes, subject's left and right kept (not ordered by x).
    pub(crate) eyes: EyePair,
}

/// Buffers of the turned search, reused from call to call, and its own
/// detector.
#[derive(Debug)]
pub(crate) struct RotatedSearch {
    detector: SeetaFaceDetector,
    small: Vec<u8>,
    resize: ResizeScratch,
    view: Vec<u8>,
    crop: Vec<u8>,
    found: Vec<Detection>,
    sized_for: (usize, usize),
}

impl Default for RotatedSearch {
    fn default() -> Self {
        Self {
            detector: SeetaFaceDetector::new(),
            small: Vec::new(),
            resize: ResizeScratch::default(),
            view: Vec::new(),
            crop: Vec::new(),
            found: Vec::new(),
            sized_for: (0, 0),
        }
    }
}

/// The part of a view that is searched, `(x0, y0, width, height)` in view
/// pixels: all of a quarter or half turn; the central square of a
/// diagonal one, as wide as the image's shorter side, since its bounding
/// box is half again as large and mostly fill at its corners (a face of
/// [`DIAGONAL_MIN_FACE_FRACTION`] near the middle of the frame lies
/// inside it).
fn window(view: &ViewMap, angle: f32, sw: usize, sh: usize) -> (isize, isize, usize, usize) {
    if is_quarter(angle) {
        return (0, 0, view.width, view.height);
    }
    let short = sw.min(sh) as f32 * MIN_FACE_FRACTION / DIAGONAL_MIN_FACE_FRACTION;
    let side = (short.round() as usize)
        .max(1)
        .min(view.width)
        .min(view.height);
    (
        ((view.width - side) / 2) as isize,
        ((view.height - side) / 2) as isize,
        side,
        side,
    )
}

impl RotatedSearch {
    /// The scale of the shrunken copy the views are rendered from, for a
    /// `w` x `h` image: the smallest face searched spans the detector's
    /// window, so the detector runs on the view as it is, in one pass.
    fn scale(w: usize, h: usize) -> f32 {
        (WINDOW / (MIN_FACE_FRACTION * w.min(h) as f32)).min(1.0)
    }

    /// Makes room for every buffer a search of a `w` x `h` image uses, and
    /// runs the detector once over a blank view of each size so its own
    /// buffers are sized too: a live preview loop does not allocate when
    /// its subject first lies down. Nothing is done when the size is the
    /// one already reserved.
    pub(crate) fn reserve(&mut self, w: usize, h: usize) {
        if self.sized_for == (w, h) {
            return;
        }
        self.sized_for = (w, h);
        let s = Self::scale(w, h);
        let (sw, sh) = (
            ((w as f32 * s).round() as usize).max(1),
            ((h as f32 * s).round() as usize).max(1),
        );
        let views = VIEW_ANGLES
            .iter()
            .map(|&a| {
                let (_, _, cw, ch) = window(&view_of(sw, sh, a), a, sw, sh);
                cw * ch
            })
            .max()
            .unwrap_or(0);
        self.small
            .reserve((sw * sh).saturating_sub(self.small.len()));
        self.resize.reserve(w, sw);
        self.view.reserve(views.saturating_sub(self.view.len()));
        // The eyes' rendering: at most EYE_VIEW_MAX_FACE with its margin
        // on both sides.
        let side = (EYE_VIEW_MAX_FACE * (1.0 + 2.0 * EYE_MARGIN)).ceil() as usize + 1;
        self.crop
            .reserve((side * side).saturating_sub(self.crop.len()));
        self.found.reserve(16usize.saturating_sub(self.found.len()));
        for &a in &VIEW_ANGLES {
            let (_, _, cw, ch) = window(&view_of(sw, sh, a), a, sw, sh);
            self.view.clear();
            self.view.resize(cw * ch, FILL);
            if let Ok(gv) = GrayView::new(&self.view, cw as u32, ch as u32, cw) {
                self.found.clear();
                let fraction = WINDOW / cw.min(ch) as f32;
                self.detector.detect_one_pass(gv, fraction, &mut self.found);
            }
        }
        self.found.clear();
    }

    /// Searches the turned views of `luma` (`w` x `h`, contiguous) in
    /// [`VIEW_ANGLES`] order, and returns the largest face of the first
    /// view that holds one the eye network takes for a face.
    pub(crate) fn search(
        &mut self,
        luma: &[u8],
        w: usize,
        h: usize,
        eyes: &mut EyeLocator,
    ) -> Option<TurnedFace> {
        if w == 0 || h == 0 || luma.len() < w * h {
            return None;
        }
        self.reserve(w, h);
        let s = Self::scale(w, h);
        let sw = ((w as f32 * s).round() as usize).max(1);
        let sh = ((h as f32 * s).round() as usize).max(1);
        resize_gray(luma, w, h, w, sw, sh, &mut self.small, &mut self.resize);
        // The actual scale of the shrunken copy, per axis (rounding).
        let (kx, ky) = (sw as f32 / w as f32, sh as f32 / h as f32);
        for &angle in &VIEW_ANGLES {
            let view = view_of(sw, sh, angle);
            let (x0, y0, cw, ch) = window(&view, angle, sw, sh);
            view.render(&self.small, sw, sh, x0, y0, cw, ch, &mut self.view);
            let Ok(gv) = GrayView::new(&self.view, cw as u32, ch as u32, cw) else {
                continue;
            };
            self.found.clear();
            let fraction = WINDOW / cw.min(ch) as f32;
            self.detector.detect_one_pass(gv, fraction, &mut self.found);
            let Some(best) = self
                .found
                .iter()
                .filter(|d| d.face_box.is_valid())
                .max_by(|a, b| {
                    a.face_box
                        .area()
                        .total_cmp(&b.face_box.area())
                        .then(a.score.total_cmp(&b.score))
                })
                .copied()
            else {
                continue;
            };
            let in_view = best.face_box.center();
            let in_view = Point::new(in_view.x + x0 as f32, in_view.y + y0 as f32);
            // The box's centre in the image, and its side there.
            let c_small = view.image_point(in_view);
            let centre = Point::new((c_small.x + 0.5) / kx - 0.5, (c_small.y + 0.5) / ky - 0.5);
            let side = best.face_box.width.max(best.face_box.height) / (s * view.scale);
            let Some(mut face) = self.eyes_at(luma, w, h, angle, centre, side, best.score, eyes)
            else {
                continue;
            };
            let roll = face.eyes.roll_deg();
            let off = (roll - angle + 540.0).rem_euclid(360.0) - 180.0;
            if off.abs() > RELEVEL_DEG {
                // The same face (box centre and side), read level.
                if let Some(level) = self.eyes_at(luma, w, h, roll, centre, side, best.score, eyes)
                {
                    face.eyes = level.eyes;
                    face.face_box = level.face_box;
                }
            }
            return Some(face);
        }
        None
    }

    /// Locates the eyes of the face centred at image point `centre`, `side`
    /// pixels across, upright in the view turned by `angle` at full
    /// resolution (shrunk when the face is larger than
    /// [`EYE_VIEW_MAX_FACE`]): only the face and its margin are rendered.
    #[allow(clippy::too_many_arguments)] // the image, the face, the locator
    fn eyes_at(
        &mut self,
        luma: &[u8],
        w: usize,
        h: usize,
        angle: f32,
        centre: Point,
        side: f32,
        score: f32,
        eyes: &mut EyeLocator,
    ) -> Option<TurnedFace> {
        if !(side.is_finite() && side >= 4.0 && centre.is_finite()) {
            return None;
        }
        let k = (EYE_VIEW_MAX_FACE / side).min(1.0);
        let full = ViewMap::new(w, h, angle, k);
        let c = full.view_point(centre);
        let side = side * k;
        let cs = (side * (1.0 + 2.0 * EYE_MARGIN)).ceil() as usize;
        let x0 = (c.x - 0.5 * cs as f32).round() as isize;
        let y0 = (c.y - 0.5 * cs as f32).round() as isize;
        full.render(luma, w, h, x0, y0, cs, cs, &mut self.crop);
        let half = 0.5 * cs as f32;
        let face_box = FaceBox {
            x: half - 0.5 * side,
            y: half - 0.5 * side,
            width: side,
            height: side,
        };
        let found = eyes.locate(&self.crop, cs, cs, &face_box)?;
        let prob = eyes.face_prob();
        if prob.is_nan() || prob < TURNED_MIN_FACE_PROB {
            return None;
        }
        let back = |p: Point| full.image_point(Point::new(p.x + x0 as f32, p.y + y0 as f32));
        let pair = EyePair {
            left: back(found.left),
            right: back(found.right),
        };
        // The axis-aligned box around the turned square.
        let corners = [(-0.5f32, -0.5f32), (0.5, -0.5), (0.5, 0.5), (-0.5, 0.5)].map(|(u, v)| {
            back(Point::new(
                face_box.center().x + u * side,
                face_box.center().y + v * side,
            ))
        });
        let (mut x_lo, mut y_lo, mut x_hi, mut y_hi) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
        for p in corners {
            x_lo = x_lo.min(p.x);
            y_lo = y_lo.min(p.y);
            x_hi = x_hi.max(p.x);
            y_hi = y_hi.max(p.y);
        }
        Some(TurnedFace {
            view_deg: angle,
            face_box: FaceBox {
                x: x_lo,
                y: y_lo,
                width: x_hi - x_lo,
                height: y_hi - y_lo,
            },
            score,
            eyes: pair,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarter_turn_maps_pixels_exactly_and_back() {
        // A 4x2 image turned 90 degrees is 2x4.
        let m = ViewMap::new(4, 2, 90.0, 1.0);
        assert_eq!((m.width, m.height), (2, 4));
        for (x, y) in [(0.0, 0.0), (3.0, 1.0), (1.5, 0.5)] {
            let p = Point::new(x, y);
            let q = m.image_point(m.view_point(p));
            assert!((q.x - p.x).abs() < 1e-5 && (q.y - p.y).abs() < 1e-5);
        }
        let src: Vec<u8> = (0..8).collect();
        let mut out = Vec::new();
        m.render(&src, 4, 2, 0, 0, 2, 4, &mut out);
        // Every source pixel appears once.
        let mut sorted = out.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, src);
    }

    #[test]
    fn an_eye_line_at_the_views_angle_reads_level_in_it() {
        for angle in VIEW_ANGLES {
            let m = ViewMap::new(300, 200, angle, 1.0);
            let (s, c) = angle.to_radians().sin_cos();
            // Subject's right eye at the centre, left eye along the roll.
            let right = Point::new(150.0, 100.0);
            let left = Point::new(150.0 + 40.0 * c, 100.0 + 40.0 * s);
            let (r, l) = (m.view_point(right), m.view_point(left));
            assert!((l.y - r.y).abs() < 1e-3, "{angle}: {r:?} {l:?}");
            assert!(l.x > r.x, "{angle}");
        }
    }
}

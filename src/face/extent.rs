//! The head's extent measured from the image: the chin (menton) from the
//! jaw's lower edge, the crown from the head-to-background boundary above
//! the face. Both are read in the eye frame (along the eye line and down
//! the face), so a rolled head is read along its own axis.
//!
//! ```text
//! chin:  grey profile down the face's centre line, 0.3 IED either side
//!        of it, in 0.05 IED rows from 1.3 to 2.6 IED below the eye line;
//!        the chin is the row of the strongest grey step (either sign: a
//!        lit jaw over a shaded neck, or a dark beard over a lit collar),
//!        weighted by a Gaussian prior (spread 0.2 IED) around the
//!        proportional chin (1.9 IED), moved by 0.41 times the detector
//!        box's bottom edge's offset from where the average face puts it
//!        (the detector frames the whole face, so a long face has a low
//!        box bottom)
//! crown: background grey from two patches beside the head, above the
//!        ears; scanning the centre line down from 3.2 IED above the eye
//!        line (or the image's top), the crown is the first row whose grey
//!        leaves the background's by more than a tolerance, for two rows
//! ```
//!
//! Either read fails (and the caller falls back on the proportions) when
//! its strip leaves the image, when the chin's step is too weak to be an
//! edge, or when the crown scan starts inside the head (cut off at the
//! top), the background beside the head is not uniform, or no boundary is
//! found. `docs/face.md` has the evaluation.

use super::eyes::{EYE_HALF_SPAN, EYE_LINE_Y};
use super::geometry::CHIN_BELOW_EYES_IED;
use super::types::{EyePair, FaceBox, Point};
use super::visibility::{EyeFrame, Plane};

/// Half-width of the chin strip along the centre line, IEDs: the chin's
/// flat front is about 0.6 IED wide.
const CHIN_HALF_WIDTH_IED: f32 = 0.3;
/// Half-width of the crown strip, IEDs: narrower than the chin's, as the
/// round top of the head fills a wide strip only well below the crown.
const CROWN_HALF_WIDTH_IED: f32 = 0.15;
/// Samples across a strip's width, evenly spaced (0.1 IED apart on the
/// chin strip, 0.05 on the crown's): enough to average out skin and hair
/// texture at a few hundred samples a face.
const ACROSS: usize = 7;
/// Row spacing down the face, IEDs: fine enough to place the chin to a few
/// hundredths of an IED, coarse enough to average out skin texture.
const ROW_IED: f32 = 0.05;
/// Where the chin search starts and ends below the eye line, IEDs: adult
/// chins lie about 1.5-2.3 IED below the eyes; the range is wider by the
/// prior's spread on either side.
const CHIN_SEARCH_IED: (f32, f32) = (1.3, 2.6);
/// The chin prior's spread, IEDs: about the spread of real chins around
/// the proportional one (1.9 IED, sd 0.22 on AFW); wider lets the neck's
/// and collar's edges win, narrower reduces the read to the prior.
const CHIN_PRIOR_SD_IED: f32 = 0.2;
/// How far the chin prior moves per IED the detector box's bottom edge
/// lies below its average place: the slope of the chin against the box
/// bottom (both below the eye line, IEDs) over 1484 UTKFace faces, the
/// chin from a face-mesh model (MediaPipe FaceMesh point 152;
/// `scripts/fit-chin-box-slope.py`). Under 1 because the box's bottom is a
/// noisy cue to the chin (correlation 0.48).
const CHIN_BOX_SLOPE: f32 = 0.41;
/// Limits of the chin prior's centre, IEDs: an odd box moves it at most
/// 0.4 IED from the proportional chin.
const CHIN_PRIOR_RANGE_IED: (f32, f32) = (1.5, 2.3);
/// Smallest grey step across the chin edge (between the rows 0.05 IED
/// above and below), grey levels: weaker steps are skin texture or noise,
/// not a jaw against a neck.
const MIN_CHIN_STEP: f32 = 3.0;
/// How far above the eye line the crown scan starts, IEDs: above any
/// crown with its hair (the proportional crown is 2.0 IED up).
const CROWN_SCAN_TOP_IED: f32 = 3.2;
/// How far above the eye line the crown scan stops, IEDs: the forehead's
/// upper part; a boundary below this is no crown.
const CROWN_SCAN_BOTTOM_IED: f32 = 1.0;
/// The background patches' centre offset along the eye line either side
/// of the centre line, IEDs: outside the head (2.4 IED wide, so 1.2 IED
/// either side) with room for hair, inside a 4 IED-wide ISO frame.
const BACKGROUND_SIDE_IED: f32 = 1.7;
/// The background patches' span above the eye line, IEDs: above the ears
/// and shoulders, below the top of an ISO frame (the crown is about 2 IED
/// up and the frame's top some 0.5 IED above it).
const BACKGROUND_SPAN_IED: (f32, f32) = (1.2, 2.2);
/// Smallest tolerance around the background's grey, grey levels: a
/// uniform background still varies by a few levels with lighting and
/// noise.
const MIN_CROWN_STEP: f32 = 10.0;
/// The tolerance in background standard deviations: a boundary must stand
/// out of the background's own texture.
const CROWN_STEP_SD: f32 = 3.0;
/// Largest background standard deviation, grey levels: beyond it the
/// background is a scene, not a backdrop, and no boundary is read.
const MAX_BACKGROUND_SD: f32 = 12.0;
/// Largest grey difference between the two background patches, grey
/// levels: beyond it one of them holds hair or a shoulder.
const MAX_BACKGROUND_GAP: f32 = 20.0;

/// The chin and crown measured from the image; `None` where the read
/// failed.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub(crate) struct HeadExtent {
    /// The chin (menton).
    pub(crate) chin: Option<Point>,
    /// The top of the head, hair included.
    pub(crate) crown: Option<Point>,
}

impl HeadExtent {
    /// Measures the chin and crown of the face with `eyes` in `plane`;
    /// `detected` is the face detector's box, when the eyes were found in
    /// it.
    pub(crate) fn measure(plane: &Plane<'_>, eyes: &EyePair, detected: Option<&FaceBox>) -> Self {
        let frame = EyeFrame::new(eyes);
        if !(frame.ied.is_finite() && frame.ied >= 1.0) {
            return Self::default();
        }
        Self {
            chin: chin(plane, eyes, frame, chin_prior(eyes, frame, detected)),
            crown: crown(plane, eyes, frame),
        }
    }
}

/// Mean grey across the centre-line strip `half` IEDs either side of the
/// centre line, `t` IEDs below the eye line (negative above it); `None`
/// when a sample leaves the image.
fn row_grey(plane: &Plane<'_>, eyes: &EyePair, frame: EyeFrame, half: f32, t: f32) -> Option<f32> {
    let at = frame.at();
    let mid = eyes.midpoint();
    let step = 2.0 * half / (ACROSS - 1) as f32;
    let mut sum = 0.0;
    for i in 0..ACROSS {
        sum += plane.bilinear(at(mid, -half + i as f32 * step, t))?;
    }
    Some(sum / ACROSS as f32)
}

/// Number of chin rows.
const CHIN_ROWS: usize = ((CHIN_SEARCH_IED.1 - CHIN_SEARCH_IED.0) / ROW_IED) as usize + 1;

/// The chin prior's centre, IEDs below the eye line: the proportional
/// chin, moved with the detector box's bottom edge (see the module docs).
fn chin_prior(eyes: &EyePair, frame: EyeFrame, detected: Option<&FaceBox>) -> f32 {
    let Some(b) = detected.filter(|b| b.is_valid()) else {
        return CHIN_BELOW_EYES_IED;
    };
    // Where the average face puts the box's bottom: the eye line lies
    // EYE_LINE_Y of the side below the top, the IED is 2 EYE_HALF_SPAN of
    // the side.
    let average = (1.0 - EYE_LINE_Y) / (2.0 * EYE_HALF_SPAN);
    let mid = eyes.midpoint();
    let bottom = Point::new(b.x + 0.5 * b.width, b.y + b.height);
    let below = ((bottom.x - mid.x) * frame.v.0 + (bottom.y - mid.y) * frame.v.1) / frame.ied;
    let centre = CHIN_BELOW_EYES_IED + CHIN_BOX_SLOPE * (below - average);
    if centre.is_finite() {
        centre.clamp(CHIN_PRIOR_RANGE_IED.0, CHIN_PRIOR_RANGE_IED.1)
    } else {
        CHIN_BELOW_EYES_IED
    }
}

/// The chin: the strongest grey step down the centre line under the
/// prior centred `prior` IEDs below the eye line (see the module docs).
fn chin(plane: &Plane<'_>, eyes: &EyePair, frame: EyeFrame, prior: f32) -> Option<Point> {
    // One row more on either side for the central difference.
    let mut grey = [0.0f32; CHIN_ROWS + 2];
    for (j, g) in grey.iter_mut().enumerate() {
        let t = CHIN_SEARCH_IED.0 + (j as f32 - 1.0) * ROW_IED;
        *g = row_grey(plane, eyes, frame, CHIN_HALF_WIDTH_IED, t)?;
    }
    let (mut best, mut best_t, mut best_step) = (0.0f32, f32::NAN, 0.0f32);
    for j in 0..CHIN_ROWS {
        let t = CHIN_SEARCH_IED.0 + j as f32 * ROW_IED;
        let step = (grey[j + 2] - grey[j]).abs();
        let z = (t - prior) / CHIN_PRIOR_SD_IED;
        let score = step * (-0.5 * z * z).exp();
        if score > best {
            (best, best_t, best_step) = (score, t, step);
        }
    }
    (best_step >= MIN_CHIN_STEP).then(|| frame.at()(eyes.midpoint(), 0.0, best_t))
}

/// Mean and standard deviation of the grey over a patch beside the head
/// (`side` = -1 on the image left, 1 on the right); `None` when it leaves
/// the image.
fn background_patch(
    plane: &Plane<'_>,
    eyes: &EyePair,
    frame: EyeFrame,
    side: f32,
) -> Option<(f32, f32)> {
    let at = frame.at();
    let mid = eyes.midpoint();
    let (mut sum, mut sq, mut n) = (0.0f32, 0.0f32, 0.0f32);
    let rows = ((BACKGROUND_SPAN_IED.1 - BACKGROUND_SPAN_IED.0) / ROW_IED) as usize + 1;
    for j in 0..rows {
        let t = -(BACKGROUND_SPAN_IED.0 + j as f32 * ROW_IED);
        for i in -2..=2 {
            let s = side * BACKGROUND_SIDE_IED + i as f32 * 0.1;
            let g = plane.bilinear(at(mid, s, t))?;
            sum += g;
            sq += g * g;
            n += 1.0;
        }
    }
    let mean = sum / n;
    Some((mean, (sq / n - mean * mean).max(0.0).sqrt()))
}

/// The crown: where the centre line, scanned down from above the head,
/// leaves the background (see the module docs).
fn crown(plane: &Plane<'_>, eyes: &EyePair, frame: EyeFrame) -> Option<Point> {
    let left = background_patch(plane, eyes, frame, -1.0);
    let right = background_patch(plane, eyes, frame, 1.0);
    let (mean, sd) = match (left, right) {
        (Some(a), Some(b)) => {
            if (a.0 - b.0).abs() > MAX_BACKGROUND_GAP {
                return None;
            }
            (0.5 * (a.0 + b.0), a.1.max(b.1))
        }
        (Some(a), None) | (None, Some(a)) => a,
        (None, None) => return None,
    };
    if sd > MAX_BACKGROUND_SD {
        return None;
    }
    let tol = MIN_CROWN_STEP.max(CROWN_STEP_SD * sd);
    let rows = ((CROWN_SCAN_TOP_IED - CROWN_SCAN_BOTTOM_IED) / ROW_IED) as usize + 1;
    let mut started = false;
    let mut run = 0;
    for j in 0..rows {
        let t = -(CROWN_SCAN_TOP_IED - j as f32 * ROW_IED);
        let Some(g) = row_grey(plane, eyes, frame, CROWN_HALF_WIDTH_IED, t) else {
            if started {
                // Back off the image (a strongly rolled head): no scan.
                return None;
            }
            continue;
        };
        let inside = (g - mean).abs() > tol;
        if !started {
            started = true;
            if inside {
                // The scan's first row is already the head: the crown is
                // cut off (or the background beside the head differs
                // from the one above it).
                return None;
            }
        }
        if inside {
            run += 1;
            if run == 2 {
                let top = t - ROW_IED;
                return Some(frame.at()(eyes.midpoint(), 0.0, top));
            }
        } else {
            run = 0;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A cartoon portrait on a light backdrop: a mid-grey head (an
    /// ellipse from `crown_y` to `chin_y`) over a dark neck, eyes at y =
    /// 200, IED 60.
    fn portrait(chin_y: f32, crown_y: f32) -> (Vec<u8>, EyePair) {
        let (w, h) = (300usize, 400usize);
        let mut px = vec![200u8; w * h];
        let (cx, cy) = (150.0f32, 0.5 * (chin_y + crown_y));
        let (a, b) = (72.0f32, 0.5 * (chin_y - crown_y));
        for y in 0..h {
            for x in 0..w {
                let (dx, dy) = ((x as f32 - cx) / a, (y as f32 - cy) / b);
                let g = &mut px[y * w + x];
                if dx * dx + dy * dy <= 1.0 {
                    *g = 140;
                } else if y as f32 > cy && (x as f32 - cx).abs() < 45.0 {
                    *g = 90;
                }
            }
        }
        let eyes = EyePair::from_points(Point::new(180.0, 200.0), Point::new(120.0, 200.0));
        (px, eyes)
    }

    #[test]
    fn a_cartoon_head_is_measured_where_it_was_drawn() {
        // Chin 1.8 IED and crown 2.2 IED from the eye line: neither the
        // proportional 1.9 nor 2.0.
        let (px, eyes) = portrait(308.0, 68.0);
        let plane = Plane::new(&px, 300, 400).unwrap();
        let e = HeadExtent::measure(&plane, &eyes, None);
        let chin = e.chin.unwrap();
        let crown = e.crown.unwrap();
        assert!((chin.y - 308.0).abs() <= 4.0, "{chin:?}");
        assert!((crown.y - 68.0).abs() <= 4.0, "{crown:?}");
        assert!((chin.x - 150.0).abs() < 1e-3 && (crown.x - 150.0).abs() < 1e-3);
    }

    #[test]
    fn the_chin_prior_follows_the_detector_box_bottom() {
        let eyes = EyePair::from_points(Point::new(180.0, 200.0), Point::new(120.0, 200.0));
        let frame = EyeFrame::new(&eyes);
        // The average face's box around these eyes: side IED / 0.39.
        let side = 60.0 / (2.0 * EYE_HALF_SPAN);
        let average = FaceBox {
            x: 150.0 - 0.5 * side,
            y: 200.0 - EYE_LINE_Y * side,
            width: side,
            height: side,
        };
        let at = |dy: f32| {
            let b = FaceBox {
                height: average.height + dy,
                ..average
            };
            chin_prior(&eyes, frame, Some(&b))
        };
        assert!((at(0.0) - CHIN_BELOW_EYES_IED).abs() < 1e-4);
        // Half an IED lower: the prior moves 0.41 x 0.5 IED.
        assert!((at(30.0) - (CHIN_BELOW_EYES_IED + 0.205)).abs() < 1e-4);
        // Far off: clamped.
        assert_eq!(at(600.0), CHIN_PRIOR_RANGE_IED.1);
        assert_eq!(chin_prior(&eyes, frame, None), CHIN_BELOW_EYES_IED);
    }

    #[test]
    fn a_head_cut_off_at_the_top_or_a_flat_image_is_not_measured() {
        let (px, eyes) = portrait(308.0, -20.0);
        let plane = Plane::new(&px, 300, 400).unwrap();
        assert_eq!(HeadExtent::measure(&plane, &eyes, None).crown, None);
        let flat = vec![128u8; 300 * 400];
        let plane = Plane::new(&flat, 300, 400).unwrap();
        assert_eq!(
            HeadExtent::measure(&plane, &eyes, None),
            HeadExtent::default()
        );
        // Eyes near the bottom edge: the chin strip leaves the image.
        let low = EyePair::from_points(Point::new(180.0, 380.0), Point::new(120.0, 380.0));
        let (px, _) = portrait(308.0, 68.0);
        let plane = Plane::new(&px, 300, 400).unwrap();
        assert_eq!(HeadExtent::measure(&plane, &low, None).chin, None);
    }
}

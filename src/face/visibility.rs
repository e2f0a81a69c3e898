//! Whether each eye shows: the iris against the white of the eye beside
//! it, where the eye centre was found.
//!
//! An open, uncovered eye shows a dark iris between two bright patches
//! of sclera along the eye line. A hand, hair, a strip of tape or a dark
//! lens over the eye, or glare on glasses, leaves the eye centre no
//! darker than what lies beside it. The measure is that contrast:
//!
//! ```text
//! iris     = mean grey within 0.05 IED of the eye centre
//! sclera   = the brighter of the mean greys within 0.035 IED of the two
//!            points 0.15 IED either side of it along the eye line
//! spread   = 90th minus 10th percentile of the grey over the face
//!            (0.9 IED either side of the eye mid-point, 0.3 IED above the
//!            eye line to 1.5 IED below it)
//! eye      = clamp((sclera - iris) / spread, 0, 1)
//! ```
//!
//! (The iris spans about 0.09 IED either side of its centre and the eye
//! opening about 0.22; the patches sit on the sclera between them, and
//! the brighter one is taken so a sideways gaze, or an eye centre off by
//! the usual 0.05 IED, still finds one.) Greys are the luma plane,
//! sampled bilinearly on a grid of 40 points per IED, so the measure
//! reads the same at any resolution.
//!
//! A closed eye is not reliably told from an open one this way: the lash
//! line of a closed lid runs dark across the eye centre much as an iris
//! does.

use super::types::{EyePair, Point};

/// Whether the eyes show, per eye, 0..1: the iris's contrast against the
/// white of the eye beside it, over the face's grey spread (see the
/// formula on [`FaceMeasures::eyes_visible`](crate::FaceMeasures::eyes_visible)). Open,
/// uncovered eyes read about 0.3 and more; a covered eye reads near 0.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct EyeVisibility {
    /// The subject's left eye (larger x).
    pub left: f32,
    /// The subject's right eye (smaller x).
    pub right: f32,
}

impl EyeVisibility {
    /// The less visible eye's value: what the policy checks (both eyes
    /// must show).
    #[must_use]
    pub fn min(&self) -> f32 {
        self.left.min(self.right)
    }
}

/// Sampling density, grid points per IED.
const SAMPLES_PER_IED: f32 = 40.0;
/// Radius of the iris disc, IEDs.
const IRIS_RADIUS: f32 = 0.05;
/// Distance of the sclera patches from the eye centre, and their radius,
/// IEDs.
const SCLERA_OFFSET: f32 = 0.15;
const SCLERA_RADIUS: f32 = 0.035;
/// Smallest IED measured, px: below it the discs hold a pixel or two.
const MIN_IED_PX: f32 = 16.0;

/// Measures both eyes in `plane`, whose face greys are `grey`. `None`
/// when a patch leaves the image.
pub(crate) fn measure(plane: &Plane<'_>, grey: &FaceGrey, eyes: &EyePair) -> Option<EyeVisibility> {
    let ied = eyes.ied();
    let at = EyeFrame::new(eyes).at();
    let spread = grey.spread;
    let eye = |c: Point| -> Option<f32> {
        let iris = plane.disc_mean(c, IRIS_RADIUS * ied, ied)?;
        let a = plane.disc_mean(at(c, -SCLERA_OFFSET, 0.0), SCLERA_RADIUS * ied, ied)?;
        let b = plane.disc_mean(at(c, SCLERA_OFFSET, 0.0), SCLERA_RADIUS * ied, ied)?;
        Some(((a.max(b) - iris) / spread).clamp(0.0, 1.0))
    };
    Some(EyeVisibility {
        left: eye(eyes.left)?,
        right: eye(eyes.right)?,
    })
}

/// The face's frame: unit vectors along the eye line (image left to
/// right) and down the face, and the IED.
#[derive(Debug, Clone, Copy)]
pub(crate) struct EyeFrame {
    /// Along the eye line.
    pub(crate) u: (f32, f32),
    /// Down the face, normal to the eye line.
    pub(crate) v: (f32, f32),
    /// The IED, px.
    pub(crate) ied: f32,
}

impl EyeFrame {
    pub(crate) fn new(eyes: &EyePair) -> Self {
        let ied = eyes.ied();
        let u = (
            (eyes.left.x - eyes.right.x) / ied,
            (eyes.left.y - eyes.right.y) / ied,
        );
        Self {
            u,
            v: (-u.1, u.0),
            ied,
        }
    }

    /// The point `a` IEDs along the eye line and `b` IEDs down the face
    /// from `c`.
    pub(crate) fn at(self) -> impl Fn(Point, f32, f32) -> Point {
        let Self { u, v, ied } = self;
        move |c: Point, a: f32, b: f32| {
            Point::new(
                c.x + (a * u.0 + b * v.0) * ied,
                c.y + (a * u.1 + b * v.1) * ied,
            )
        }
    }
}

/// The grey levels of the face region (0.9 IED either side of the eye
/// mid-point, 0.3 IED above the eye line to 1.5 IED below it): the scale
/// the eye measures read their contrasts against.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct FaceGrey {
    /// 90th minus 10th percentile, at least 8 grey levels (a flat,
    /// featureless region reads as no eyes).
    pub(crate) spread: f32,
    /// The median: mostly skin.
    pub(crate) median: f32,
}

impl FaceGrey {
    /// Measures the face region of `eyes` in `plane`. `None` when the IED
    /// is under 16 px or not finite, or under a quarter of the region is
    /// inside the image.
    pub(crate) fn measure(plane: &Plane<'_>, eyes: &EyePair) -> Option<FaceGrey> {
        let ied = eyes.ied();
        if !(ied.is_finite() && ied >= MIN_IED_PX) {
            return None;
        }
        face_grey(plane, eyes.midpoint(), EyeFrame::new(eyes).at())
    }
}

fn face_grey(
    plane: &Plane<'_>,
    mid: Point,
    at: impl Fn(Point, f32, f32) -> Point,
) -> Option<FaceGrey> {
    let mut hist = [0u32; 256];
    let step = 0.05;
    let mut n = 0u32;
    for j in 0..=36 {
        for i in 0..=36 {
            let p = at(mid, -0.9 + step * i as f32, -0.3 + step * 1.25 * j as f32);
            if let Some(g) = plane.bilinear(p) {
                hist[(g.round() as usize).min(255)] += 1;
                n += 1;
            }
        }
    }
    if n < 37 * 37 / 4 {
        return None;
    }
    let pick = |q: u32| {
        let mut acc = 0u32;
        hist.iter()
            .position(|&c| {
                acc += c;
                acc > q
            })
            .unwrap_or(255) as f32
    };
    Some(FaceGrey {
        spread: (pick(n * 9 / 10) - pick(n / 10)).max(8.0),
        median: pick(n / 2),
    })
}

/// A grey plane, sampled bilinearly.
pub(crate) struct Plane<'a> {
    px: &'a [u8],
    width: usize,
    height: usize,
}

impl<'a> Plane<'a> {
    /// The grey plane `px` (`width` x `height`, contiguous rows); `None`
    /// when it is empty or `px` is shorter.
    pub(crate) fn new(px: &'a [u8], width: usize, height: usize) -> Option<Self> {
        (width > 0 && height > 0 && px.len() >= width.checked_mul(height)?).then_some(Self {
            px,
            width,
            height,
        })
    }
}

impl Plane<'_> {
    /// Bilinear grey at `p`; `None` outside the image.
    pub(crate) fn bilinear(&self, p: Point) -> Option<f32> {
        let (xm, ym) = ((self.width - 1) as f32, (self.height - 1) as f32);
        if !(p.x >= 0.0 && p.y >= 0.0 && p.x <= xm && p.y <= ym) {
            return None;
        }
        let (x0, y0) = (p.x as usize, p.y as usize);
        let (x1, y1) = ((x0 + 1).min(self.width - 1), (y0 + 1).min(self.height - 1));
        let (tx, ty) = (p.x - x0 as f32, p.y - y0 as f32);
        let g = |x: usize, y: usize| f32::from(self.px[y * self.width + x]);
        let top = g(x0, y0) + (g(x1, y0) - g(x0, y0)) * tx;
        let bottom = g(x0, y1) + (g(x1, y1) - g(x0, y1)) * tx;
        Some(top + (bottom - top) * ty)
    }

    /// Mean grey over a disc of radius `r` px around `c`, sampled on a
    /// grid of [`SAMPLES_PER_IED`] points per `ied` px; `None` when any
    /// sample leaves the image.
    pub(crate) fn disc_mean(&self, c: Point, r: f32, ied: f32) -> Option<f32> {
        let step = ied / SAMPLES_PER_IED;
        let k = (r / step).ceil() as i32;
        let (mut sum, mut n) = (0.0f32, 0u32);
        for j in -k..=k {
            for i in -k..=k {
                let (dx, dy) = (i as f32 * step, j as f32 * step);
                if dx * dx + dy * dy <= r * r {
                    sum += self.bilinear(Point::new(c.x + dx, c.y + dy))?;
                    n += 1;
                }
            }
        }
        (n > 0).then(|| sum / n as f32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A cartoon eye pair on skin: dark irises between white sclera, or,
    /// with `covered`, skin over both.
    fn cartoon(covered: bool) -> (Vec<u8>, EyePair) {
        let (w, h) = (200usize, 200usize);
        let (l, r) = (Point::new(130.0, 80.0), Point::new(70.0, 80.0));
        let ied = 60.0;
        let mut px = vec![150u8; w * h];
        for y in 0..h {
            for x in 0..w {
                let p = Point::new(x as f32, y as f32);
                // A darker chin region gives the face some spread.
                if y > 150 {
                    px[y * w + x] = 90;
                }
                if covered {
                    continue;
                }
                for c in [l, r] {
                    let (dx, dy) = (p.x - c.x, p.y - c.y);
                    if dx.abs() < 0.22 * ied && dy.abs() < 0.08 * ied {
                        px[y * w + x] = 230;
                    }
                    if dx.hypot(dy) < 0.09 * ied {
                        px[y * w + x] = 40;
                    }
                }
            }
        }
        (px, EyePair::from_points(l, r))
    }

    /// Both steps, as the assessor runs them.
    fn measure_px(px: &[u8], w: usize, h: usize, eyes: &EyePair) -> Option<EyeVisibility> {
        let plane = Plane::new(px, w, h)?;
        let grey = FaceGrey::measure(&plane, eyes)?;
        measure(&plane, &grey, eyes)
    }

    #[test]
    fn open_eyes_show_and_covered_eyes_do_not() {
        let (px, eyes) = cartoon(false);
        let v = measure_px(&px, 200, 200, &eyes).unwrap();
        assert!(v.min() > 0.9, "{v:?}");
        let (px, eyes) = cartoon(true);
        let v = measure_px(&px, 200, 200, &eyes).unwrap();
        assert_eq!(v.min(), 0.0);
    }

    #[test]
    fn off_image_and_tiny_faces_are_none() {
        let (px, _) = cartoon(false);
        let near_edge = EyePair::from_points(Point::new(2.0, 80.0), Point::new(62.0, 80.0));
        assert_eq!(measure_px(&px, 200, 200, &near_edge), None);
        let tiny = EyePair::from_points(Point::new(90.0, 80.0), Point::new(100.0, 80.0));
        assert_eq!(measure_px(&px, 200, 200, &tiny), None);
        assert!(Plane::new(&px[..10], 200, 200).is_none());
    }
}

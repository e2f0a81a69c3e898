//! Framing geometry from the eye centres: IED, roll, yaw, head extent and
//! where it all sits in the frame (ISO/IEC 19794-5, ICAO 9303 part 3).

use super::extent::HeadExtent;
use super::types::{EyePair, FaceBox, FaceLandmarks, Point};

/// Anthropometric proportions in units of the inter-eye distance (adult
/// means; pupil-to-pupil about 63 mm, head breadth about 150 mm, pupil to
/// menton about 120 mm, pupil to vertex about 125 mm). They turn the two
/// eye centres into estimates of the head's width, chin and crown, which
/// the ISO head-width and head-length checks need; real heads vary by
/// roughly +-10%.
pub(crate) const HEAD_WIDTH_IED: f32 = 2.4;
pub(crate) const CHIN_BELOW_EYES_IED: f32 = 1.9;
pub(crate) const CROWN_ABOVE_EYES_IED: f32 = 2.0;

/// Distance from the head's vertical turning axis to the eyes' surface, in
/// IED. Turning the head by `yaw` moves the eye mid-point sideways by about
/// `YAW_RADIUS_IED * IED * sin(yaw)` relative to the face box, which a
/// frontal detector centres on the face outline.
const YAW_RADIUS_IED: f32 = 1.4;

/// The pitch read's four constants: `tan(pitch) = PITCH_FIT[0] -
/// PITCH_FIT[1] * nose/mouth - PITCH_FIT[2] * nose/IED + PITCH_FIT[3] *
/// width/IED`, with `nose` and `mouth` the nose tip's and the mouth
/// corners' midpoint's heights below the eye line and `width` the mouth
/// corners' distance. Tipping the head back (chin up) lifts the nose tip,
/// which stands in front of eyes and mouth, towards the eye line; both
/// ratios fall. Each ratio alone also varies from face to face (a long
/// nose, a smile lifting the mouth corners); the two together cancel part
/// of that, and the mouth's width part of the smile's (a smile widens the
/// mouth as it lifts the corners). Fitted on faces turned by known poses
/// (`scripts/fit-pose.py`; docs/face.md has how and the error).
const PITCH_FIT: [f32; 4] = [0.8126, 1.8283, 0.4150, 0.5709];

/// The yaw read's two constants: `sin(yaw) = YAW_FIT[0] * side(nose -
/// eye mid-point) / IED + YAW_FIT[1] * side(nose - mouth mid-point) /
/// IED`, `side` measured along the eye line towards the subject's left
/// eye. The nose tip stands in front of the eyes and the mouth, so turning
/// the head moves it sideways against both; reading it against both
/// halves the face-to-face spread of either alone. No constant term: the
/// network's two passes (the crop and its mirror image) make the read
/// symmetric. Least squares on `sin(yaw)` over the same renders as
/// [`PITCH_FIT`] (yaw 0 and +-15 degrees).
const YAW_FIT: [f32; 2] = [1.2471, 0.8686];

/// The head's yaw in degrees from ONet's five points, positive with the
/// face turned towards the image right (see [`YAW_FIT`]); `None` when the
/// eyes coincide or a point is not finite.
pub(crate) fn yaw_deg(l: &FaceLandmarks) -> Option<f32> {
    let ied = l.eyes.ied();
    let mid = l.eyes.midpoint();
    if !(ied.is_finite() && ied > 1.0) {
        return None;
    }
    let (ux, uy) = (
        (l.eyes.left.x - l.eyes.right.x) / ied,
        (l.eyes.left.y - l.eyes.right.y) / ied,
    );
    let side = |from: Point| ((l.nose.x - from.x) * ux + (l.nose.y - from.y) * uy) / ied;
    let mouth = l.mouth_left.midpoint(l.mouth_right);
    let sin = YAW_FIT[0] * side(mid) + YAW_FIT[1] * side(mouth);
    sin.is_finite()
        .then(|| sin.clamp(-1.0, 1.0).asin().to_degrees())
}

/// The head's pitch in degrees, positive with the chin up (head tipped
/// back), from ONet's five points: the nose tip's height below the eye
/// line over the mouth's and over the IED, measured square to the eye
/// line, and the mouth's width over the IED (see [`PITCH_FIT`]). `None`
/// when the points are degenerate (the mouth not below the eyes).
pub(crate) fn pitch_deg(l: &FaceLandmarks) -> Option<f32> {
    let ied = l.eyes.ied();
    let mid = l.eyes.midpoint();
    let (sin_r, cos_r) = l.eyes.roll_deg().to_radians().sin_cos();
    let below = |p: Point| (p.x - mid.x) * -sin_r + (p.y - mid.y) * cos_r;
    let mouth = below(l.mouth_left.midpoint(l.mouth_right));
    let nose = below(l.nose);
    // A mouth less than a fifth of the IED below the eyes is not a face
    // ONet read (a frontal face has about 1.0 IED).
    if !(ied.is_finite() && mouth.is_finite() && nose.is_finite() && mouth > 0.2 * ied) {
        return None;
    }
    let width = l.mouth_left.distance(l.mouth_right);
    let tan = PITCH_FIT[0] - PITCH_FIT[1] * nose / mouth - PITCH_FIT[2] * nose / ied
        + PITCH_FIT[3] * width / ied;
    Some(tan.atan().to_degrees())
}

/// Where a head-extent point (chin or crown) came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum ExtentSource {
    /// Read from the image: the chin from the jaw's lower edge, the crown
    /// from the head-to-background boundary above the face where that
    /// lies below the proportional skull top.
    Measured,
    /// Placed from the eyes by average proportions (the chin 1.9 IED
    /// below the eye line, the crown 2.0 IED above it), because the read
    /// failed (the point lies off the image, the edge was too weak, or the
    /// background is not uniform enough to tell the head from it) or, for
    /// the crown, because the hair rises above the skull's proportional
    /// top.
    #[default]
    Proportional,
}

/// Where the face sits in the frame: every geometric measurement the
/// ISO/ICAO checks use.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Framing {
    /// Inter-eye distance (IED), pixels.
    pub ied_px: f32,
    /// Roll of the eye line in degrees; positive when the subject's left
    /// eye (image right) is lower.
    pub roll_deg: f32,
    /// Estimated yaw in degrees, positive with the face turned towards the
    /// image right: from where the eye network puts the nose tip against
    /// the eye mid-point and the mouth (see
    /// [`FaceMeasures::landmarks`](crate::FaceMeasures::landmarks)), or,
    /// without those points, from the eye mid-point's offset in the
    /// detector's box; `None` when the eyes were supplied without a
    /// detection. Faces differ, so one face's read can be several degrees
    /// off; `docs/face.md` gives the measured error.
    pub yaw_deg: Option<f32>,
    /// Estimated pitch in degrees, positive with the chin up (the head
    /// tipped back), negative with the chin down; from where the eye
    /// network puts the nose tip between the eye line and the mouth (see
    /// [`FaceLandmarks`]). `None` when the network's points are not
    /// there (eyes supplied, a face found in a turned view) or are
    /// degenerate. Faces differ in how far the nose tip sits between
    /// eyes and mouth, so one face's read can be several degrees off;
    /// `docs/face.md` gives the measured error.
    pub pitch_deg: Option<f32>,
    /// The eye mid-point M.
    pub eye_mid: Point,
    /// Estimated head width (cheek to cheek, without ears), pixels.
    pub head_width_px: f32,
    /// The chin (menton), on the face's centre line: measured from the
    /// jaw's edge, or placed by proportion (see
    /// [`chin_source`](Self::chin_source)).
    pub chin: Point,
    /// The crown, on the face's centre line: the top of the head without
    /// its hair (ICAO 9303's chin-to-crown length ignores hair). Placed
    /// by proportion, and measured only where the head-to-background
    /// boundary above the face lies below that proportional skull top (a
    /// visible top bounds the skull; hair rising above it says nothing
    /// of the skull); see [`crown_source`](Self::crown_source).
    pub crown: Point,
    /// Chin-to-crown length along the face's axis, pixels.
    pub head_length_px: f32,
    /// Bounding box of the head outline (an ellipse through chin, crown
    /// and both cheeks, turned by the roll).
    pub head_box: FaceBox,
    /// M's height above the image bottom as a fraction of the image
    /// height (ISO eye line BB: 0.5..0.7).
    pub eye_line_from_bottom: f32,
    /// M's x as a fraction of the image width (centre line AA: 0.45..0.55).
    pub eye_mid_x: f32,
    /// Head width over image width (CC: 0.5..0.75).
    pub head_width_ratio: f32,
    /// Chin-to-crown length over image height (DD: 0.6..0.9 in
    /// 19794-5:2011, 0.7..0.8 in ICAO's photo guideline).
    pub head_length_ratio: f32,
    /// How far the head outline runs off the image, as a fraction of the
    /// head length (0 when the whole head is inside).
    pub head_outside: f32,
    /// Whether [`chin`](Self::chin) was measured or placed by proportion.
    pub chin_source: ExtentSource,
    /// Whether [`crown`](Self::crown) was measured or placed by
    /// proportion.
    pub crown_source: ExtentSource,
}

impl Framing {
    /// Measures the framing of `eyes` in a `width` x `height` image; `face`
    /// is the detector's box when there was one, `landmarks` the eye
    /// network's five points when it read them (the pose comes from them,
    /// the yaw from the box without them), `extent` the chin and crown
    /// read from the image (each placed by proportion where the read
    /// failed).
    pub(crate) fn measure(
        eyes: &EyePair,
        face: Option<&FaceBox>,
        landmarks: Option<&FaceLandmarks>,
        extent: HeadExtent,
        width: u32,
        height: u32,
    ) -> Self {
        let (w, h) = (width as f32, height as f32);
        let ied = eyes.ied();
        let roll = eyes.roll_deg();
        let mid = eyes.midpoint();
        let (sin_r, cos_r) = roll.to_radians().sin_cos();
        // The face's "down" direction, perpendicular to the eye line.
        let down = Point::new(-sin_r, cos_r);
        let source = |p: Option<Point>| match p {
            Some(_) => ExtentSource::Measured,
            None => ExtentSource::Proportional,
        };
        // ICAO's crown is the top of the head without its hair. The
        // measured top (hair included) bounds it: where it lies below the
        // proportional skull top, the skull cannot reach higher; where
        // hair rises above that, the skull top stays proportional.
        let above_eyes = |p: Point| (mid.x - p.x) * down.x + (mid.y - p.y) * down.y;
        let head_top = extent
            .crown
            .filter(|&p| above_eyes(p) < CROWN_ABOVE_EYES_IED * ied);
        let (chin_source, crown_source) = (source(extent.chin), source(head_top));
        let chin = extent.chin.unwrap_or(Point::new(
            mid.x + CHIN_BELOW_EYES_IED * ied * down.x,
            mid.y + CHIN_BELOW_EYES_IED * ied * down.y,
        ));
        let crown = head_top.unwrap_or(Point::new(
            mid.x - CROWN_ABOVE_EYES_IED * ied * down.x,
            mid.y - CROWN_ABOVE_EYES_IED * ied * down.y,
        ));
        let head_width = HEAD_WIDTH_IED * ied;
        // Along the face's axis: the measured points lie on the centre
        // line, so this is their distance.
        let head_length = (chin.x - crown.x) * down.x + (chin.y - crown.y) * down.y;
        // Axis-aligned extent of the rotated head ellipse.
        let (a, b) = (head_width * 0.5, head_length * 0.5);
        let half_x = ((a * cos_r).powi(2) + (b * sin_r).powi(2)).sqrt();
        let half_y = ((a * sin_r).powi(2) + (b * cos_r).powi(2)).sqrt();
        let centre = chin.midpoint(crown);
        let head_box = FaceBox {
            x: centre.x - half_x,
            y: centre.y - half_y,
            width: 2.0 * half_x,
            height: 2.0 * half_y,
        };
        let outside = [
            -head_box.x,
            -head_box.y,
            head_box.x + head_box.width - w,
            head_box.y + head_box.height - h,
        ]
        .into_iter()
        .fold(0f32, f32::max);
        // The nose read is the better yaw; the box's stands in where the
        // network's points are not there.
        let yaw_deg = landmarks.and_then(yaw_deg).or_else(|| {
            face.filter(|f| f.is_valid()).map(|f| {
                let offset = (mid.x - f.center().x) * cos_r + (mid.y - f.center().y) * sin_r;
                (offset / (YAW_RADIUS_IED * ied.max(1.0)))
                    .clamp(-1.0, 1.0)
                    .asin()
                    .to_degrees()
            })
        });
        Self {
            ied_px: ied,
            roll_deg: roll,
            yaw_deg,
            pitch_deg: landmarks.and_then(pitch_deg),
            eye_mid: mid,
            head_width_px: head_width,
            chin,
            crown,
            head_length_px: head_length,
            head_box,
            eye_line_from_bottom: (h - mid.y) / h,
            eye_mid_x: mid.x / w,
            head_width_ratio: head_width / w,
            head_length_ratio: head_length / h,
            head_outside: outside / head_length.max(1.0),
            chin_source,
            crown_source,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_portrait_is_centred() {
        // ISO token: 480x640, IED 120, M at (240, 288).
        let eyes = EyePair::from_points(Point::new(180.0, 288.0), Point::new(300.0, 288.0));
        let f = Framing::measure(&eyes, None, None, HeadExtent::default(), 480, 640);
        assert_eq!(f.ied_px, 120.0);
        assert_eq!(f.roll_deg, 0.0);
        assert_eq!(f.yaw_deg, None);
        assert!((f.eye_mid_x - 0.5).abs() < 1e-6);
        assert!((f.eye_line_from_bottom - 0.55).abs() < 1e-6);
        assert!((f.head_width_ratio - 0.6).abs() < 1e-6);
        assert!((0.7..0.8).contains(&f.head_length_ratio));
        assert_eq!(f.head_outside, 0.0);
    }

    #[test]
    fn roll_sign_and_crop() {
        // Subject's left eye (image right) lower: positive roll.
        let eyes = EyePair::from_points(Point::new(40.0, 50.0), Point::new(80.0, 60.0));
        let f = Framing::measure(&eyes, None, None, HeadExtent::default(), 120, 120);
        assert!(f.roll_deg > 13.0 && f.roll_deg < 15.0);
        // Crown is about 80 px above y = 55: off the top.
        assert!(f.head_outside > 0.0);
    }

    #[test]
    fn measured_chin_and_crown_replace_the_proportions() {
        let eyes = EyePair::from_points(Point::new(180.0, 288.0), Point::new(300.0, 288.0));
        let f = Framing::measure(&eyes, None, None, HeadExtent::default(), 480, 640);
        assert_eq!(f.chin_source, ExtentSource::Proportional);
        assert_eq!(f.crown_source, ExtentSource::Proportional);
        assert!((f.head_length_px - 3.9 * 120.0).abs() < 1e-3);
        // Chin 1.7 IED below the eye line, the top of the head 1.8 IED
        // above it (under the proportional skull top: it bounds the skull).
        let extent = HeadExtent {
            chin: Some(Point::new(240.0, 288.0 + 204.0)),
            crown: Some(Point::new(240.0, 288.0 - 216.0)),
        };
        let m = Framing::measure(&eyes, None, None, extent, 480, 640);
        assert_eq!(m.chin_source, ExtentSource::Measured);
        assert_eq!(m.crown_source, ExtentSource::Measured);
        assert_eq!(m.chin, Point::new(240.0, 492.0));
        assert!((m.head_length_px - 420.0).abs() < 1e-3);
        assert!((m.head_length_ratio - 420.0 / 640.0).abs() < 1e-6);
        // The head box spans chin to crown.
        assert!((m.head_box.y - 72.0).abs() < 1e-3 && (m.head_box.height - 420.0).abs() < 1e-3);
        // Hair rising 2.3 IED above the eyes: the skull top (ICAO's crown,
        // hair ignored) stays proportional.
        let hair = HeadExtent {
            crown: Some(Point::new(240.0, 288.0 - 276.0)),
            ..extent
        };
        let p = Framing::measure(&eyes, None, None, hair, 480, 640);
        assert_eq!(p.crown_source, ExtentSource::Proportional);
        assert!((p.head_length_px - 3.7 * 120.0).abs() < 1e-2);
        // Only the crown measured: the chin stays proportional.
        let crown_only = HeadExtent {
            chin: None,
            ..extent
        };
        let c = Framing::measure(&eyes, None, None, crown_only, 480, 640);
        assert_eq!(c.chin_source, ExtentSource::Proportional);
        assert!((c.head_length_px - (1.9 * 120.0 + 216.0)).abs() < 1e-2);
    }

    /// A face with IED 100 and the mouth 100 px below the eyes, its nose
    /// tip `nose_down` px below the eye line and `nose_side` px towards
    /// the subject's left, turned in the image by `roll` degrees about
    /// the eye mid-point (300, 300).
    fn face(nose_down: f32, nose_side: f32, roll: f32) -> FaceLandmarks {
        let (s, c) = roll.to_radians().sin_cos();
        let at = |x: f32, y: f32| Point::new(300.0 + x * c - y * s, 300.0 + x * s + y * c);
        FaceLandmarks::from_onet(
            at(-50.0, 0.0),
            at(50.0, 0.0),
            at(nose_side, nose_down),
            at(-40.0, 100.0),
            at(40.0, 100.0),
        )
    }

    #[test]
    fn pitch_follows_the_nose_between_eyes_and_mouth() {
        // tan(pitch) = 0 where the nose sits (PITCH_FIT[0] + 0.8
        // PITCH_FIT[3]) / (PITCH_FIT[1] + PITCH_FIT[2]) of the way down
        // (IED and mouth height equal, the mouth 0.8 IED wide).
        let level = 100.0 * (PITCH_FIT[0] + 0.8 * PITCH_FIT[3]) / (PITCH_FIT[1] + PITCH_FIT[2]);
        let p = pitch_deg(&face(level, 0.0, 0.0)).unwrap();
        assert!(p.abs() < 0.01, "{p}");
        // The nose lifted towards the eyes: chin up, positive.
        let up = pitch_deg(&face(level - 10.0, 0.0, 0.0)).unwrap();
        let down = pitch_deg(&face(level + 10.0, 0.0, 0.0)).unwrap();
        assert!(up > 5.0 && down < -5.0, "{up} {down}");
        // Read square to the eye line: the roll does not change it.
        let rolled = pitch_deg(&face(level - 10.0, 0.0, 35.0)).unwrap();
        assert!((rolled - up).abs() < 0.01, "{rolled} {up}");
        // A mouth not below the eyes is no face.
        let mut l = face(level, 0.0, 0.0);
        l.mouth_left.y = 300.0;
        l.mouth_right.y = 300.0;
        assert_eq!(pitch_deg(&l), None);
        l.nose.x = f32::NAN;
        assert_eq!(pitch_deg(&l), None);
    }

    #[test]
    fn yaw_follows_the_nose_sideways() {
        let y = yaw_deg(&face(60.0, 0.0, 0.0)).unwrap();
        assert!(y.abs() < 0.01, "{y}");
        // The nose tip towards the image right: the face turned right.
        let right = yaw_deg(&face(60.0, 10.0, 0.0)).unwrap();
        let expected = (0.1 * (YAW_FIT[0] + YAW_FIT[1])).asin().to_degrees();
        assert!((right - expected).abs() < 0.01, "{right} {expected}");
        assert!(yaw_deg(&face(60.0, -10.0, 0.0)).unwrap() < -10.0);
        let rolled = yaw_deg(&face(60.0, 10.0, -20.0)).unwrap();
        assert!((rolled - right).abs() < 0.01, "{rolled} {right}");
        let mut l = face(60.0, 0.0, 0.0);
        l.nose.y = f32::INFINITY;
        assert_eq!(yaw_deg(&l), None);
        l.eyes.left = l.eyes.right;
        assert_eq!(yaw_deg(&l), None);
    }
}

//! Small value types of the face API: points, boxes, detections, eyes.

/// A point in image pixels (x to the right, y down; pixel centres at
/// half-integers are not assumed: `(0, 0)` is the first pixel's centre).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Point {
    /// Column, in pixels.
    pub x: f32,
    /// Row, in pixels.
    pub y: f32,
}

impl Point {
    /// The point `(x, y)`.
    pub fn new(x: f32, y: f32) -> Self {
        Self { x, y }
    }

    /// Distance to `other`, in pixels.
    #[must_use]
    pub fn distance(self, other: Point) -> f32 {
        (self.x - other.x).hypot(self.y - other.y)
    }

    /// The point halfway to `other`.
    #[must_use]
    pub fn midpoint(self, other: Point) -> Point {
        Point::new((self.x + other.x) * 0.5, (self.y + other.y) * 0.5)
    }

    pub(crate) fn is_finite(self) -> bool {
        self.x.is_finite() && self.y.is_finite()
    }
}

/// An axis-aligned box in image pixels: top-left corner and size.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct FaceBox {
    /// Left edge, in pixels (may be negative when the box runs off the image).
    pub x: f32,
    /// Top edge, in pixels (may be negative).
    pub y: f32,
    /// Width, in pixels.
    pub width: f32,
    /// Height, in pixels.
    pub height: f32,
}

impl FaceBox {
    /// Area in square pixels.
    #[must_use]
    pub fn area(&self) -> f32 {
        self.width.max(0.0) * self.height.max(0.0)
    }

    /// The box's centre.
    #[must_use]
    pub fn center(&self) -> Point {
        Point::new(self.x + self.width * 0.5, self.y + self.height * 0.5)
    }

    pub(crate) fn is_valid(&self) -> bool {
        self.x.is_finite()
            && self.y.is_finite()
            && self.width.is_finite()
            && self.height.is_finite()
            && self.width > 0.0
            && self.height > 0.0
    }
}

/// One face found by a [`FaceDetector`](crate::FaceDetector).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Detection {
    /// Where the face is (roughly brows to chin, cheek to cheek).
    pub face_box: FaceBox,
    /// The detector's confidence (higher is surer; the scale is the
    /// detector's own).
    pub score: f32,
}

/// The two eye centres, named from the subject's point of view: the
/// subject's left eye appears on the image's right (larger x) in a frontal,
/// unmirrored photo.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct EyePair {
    /// The subject's left eye (larger x).
    pub left: Point,
    /// The subject's right eye (smaller x).
    pub right: Point,
}

impl EyePair {
    /// Builds the pair from two eye points in any order: the one with the
    /// larger x becomes the subject's left eye.
    pub fn from_points(a: Point, b: Point) -> Self {
        if a.x >= b.x {
            Self { left: a, right: b }
        } else {
            Self { left: b, right: a }
        }
    }

    /// Inter-eye distance (IED) in pixels.
    #[must_use]
    pub fn ied(&self) -> f32 {
        self.left.distance(self.right)
    }

    /// The eye mid-point (ISO/IEC 19794-5's M).
    #[must_use]
    pub fn midpoint(&self) -> Point {
        self.left.midpoint(self.right)
    }

    /// Roll of the eye line in degrees: positive when the subject's left
    /// eye (image right) is lower than the right eye.
    #[must_use]
    pub fn roll_deg(&self) -> f32 {
        (self.left.y - self.right.y)
            .atan2(self.left.x - self.right.x)
            .to_degrees()
    }
}

/// The eye network's (ONet's) five landmarks, named from the subject's
/// point of view as in [`EyePair`]: each the mean of two crops of the
/// face and their mirror images, as the network gives them (the eyes not
/// lifted or refined as [`FaceMeasures::eyes`](super::FaceMeasures::eyes)
/// are). They place the nose and mouth, and all five come from one read
/// with one kind of error, so the head's pitch is read from them together
/// (see [`Framing::pitch_deg`](super::Framing::pitch_deg)).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct FaceLandmarks {
    /// The eye centres.
    pub eyes: EyePair,
    /// The nose tip.
    pub nose: Point,
    /// The mouth corner on the subject's left (image right).
    pub mouth_left: Point,
    /// The mouth corner on the subject's right (image left).
    pub mouth_right: Point,
}

impl FaceLandmarks {
    /// From ONet's points, each pair image-left first.
    pub(crate) fn from_onet(a: Point, b: Point, nose: Point, ma: Point, mb: Point) -> Self {
        Self {
            eyes: EyePair::from_points(a, b),
            nose,
            mouth_left: mb,
            mouth_right: ma,
        }
    }
}

/// Where the eye centres of a report came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "snake_case")
)]
#[non_exhaustive]
pub enum EyeSource {
    /// Localised in the image by this crate.
    Located,
    /// Given by the caller (e.g. the app's own face tracker).
    Supplied,
}

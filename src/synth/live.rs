//! Synthetic live-preview sequences with known ground truth, for testing
//! and measuring [`FingerprintCapture`](crate::FingerprintCapture) and
//! [`FaceCapture`](crate::FaceCapture).
//!
//! Each sequence is a list of timestamped [`Frame`]s, and each frame
//! carries its [`Truth`]: what the subject is doing ([`Phase`]), whether it
//! sits as in the frame before ([`Truth::still`]) and whether a careful
//! operator would keep it ([`Truth::good`]). Motions are made clearly
//! larger than a capture session's default tolerance (at least twice it)
//! and the jitter of a held subject clearly smaller (a quarter of it at
//! most), so the truth does not hang on a threshold.
//! [`first_steady_window`] reads the truth the way a session reads its
//! measurements: the frames a session should capture from.
//!
//! - [`finger_sequence`]: a synthetic finger (see [`generate`])
//!   arrives from a side, partly on the sensor, then presses down in place,
//!   holds with the jitter and pressure changes of a live hand, and then,
//!   by [`FingerScenario`], lifts, slides away and back, lifts too early, or
//!   stays wet throughout.
//! - [`face_sequence`]: a still portrait, whose eye centres the caller
//!   gives, is moved in front of a plain wall by a similarity transform per
//!   frame: it enters small and off centre, approaches, holds with jitter,
//!   and then, by [`FaceScenario`], has bursts of blur (camera shake or
//!   focus hunting), tilts the head, or covers the eyes with a hand-toned
//!   band. (Closed eyes cannot be made from an open-eyed still by a
//!   transform; covered eyes stand in for them.)
//!
//! Everything is deterministic: the same arguments give the same frames,
//! bit for bit.

use std::ops::Range;
use std::time::Duration;

use image::{GrayImage, Rgb, RgbImage};

use super::field::smoothstep;
use super::rng::SplitMix64;
use super::{degrade, generate, Contact, FingerprintSpec, PatternClass};

/// One frame of a preview sequence.
#[derive(Debug, Clone, PartialEq)]
pub struct Frame<I> {
    /// The pixels.
    pub image: I,
    /// When the frame was taken, from the sequence's start.
    pub timestamp: Duration,
    /// What the frame shows, by construction.
    pub truth: Truth,
}

/// What the subject does in a frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Phase {
    /// Nobody: an empty platen or an empty wall.
    Empty,
    /// Coming into place: a finger partly on the sensor, lightly; a face
    /// small and off centre.
    Arriving,
    /// A finger pressing down in place; a face coming closer and to the
    /// centre.
    Settling,
    /// Held in place, with a live subject's jitter.
    Holding,
    /// Sliding or tilting away from the held pose, or back to it.
    Moving,
    /// Held, but the frame is blurred (camera shake, focus hunting).
    Blurred,
    /// Held, but the eyes are covered.
    EyesCovered,
    /// The finger lifting off.
    Lifting,
}

impl Phase {
    /// Stable lower-case name (`empty`, `arriving`, `settling`, `holding`,
    /// `moving`, `blurred`, `eyes_covered`, `lifting`).
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Empty => "empty",
            Phase::Arriving => "arriving",
            Phase::Settling => "settling",
            Phase::Holding => "holding",
            Phase::Moving => "moving",
            Phase::Blurred => "blurred",
            Phase::EyesCovered => "eyes_covered",
            Phase::Lifting => "lifting",
        }
    }
}

/// The ground truth of one frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Truth {
    /// What the subject does.
    pub phase: Phase,
    /// The subject sits where it sat in the frame before, up to a held
    /// subject's jitter (a finger: at most 1 px and 3 % of pressure; a
    /// face: at most 0.5 % of the eye distance and 0.3 degrees of roll).
    /// `false` for the first frame and for frames without a subject.
    pub still: bool,
    /// A careful operator would keep the frame: the subject is held in a
    /// good pose and nothing spoils the picture (for a finger, held and
    /// not wet; for a face, held, sharp and with the eyes uncovered).
    pub good: bool,
}

/// The frames a capture session should capture from: the first run of
/// consecutive frames that are each [`good`](Truth::good) and
/// [`still`](Truth::still), cut where it first holds `frames_required`
/// frames and spans `window` from its first timestamp to its last (the
/// rule of [`CaptureConfig`](crate::CaptureConfig)). `None` when no run
/// gets there.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use biocapture::synth::live::{first_steady_window, Frame, Phase, Truth};
/// let truth = |good, still| Truth { phase: Phase::Holding, still, good };
/// let frames: Vec<Frame<()>> = [(false, false), (true, false), (true, true), (true, true), (true, true)]
///     .iter()
///     .enumerate()
///     .map(|(i, &(good, still))| Frame {
///         image: (),
///         timestamp: Duration::from_millis(100 * i as u64),
///         truth: truth(good, still),
///     })
///     .collect();
/// let window = first_steady_window(&frames, 3, Duration::from_millis(200));
/// assert_eq!(window, Some(2..5));
/// ```
pub fn first_steady_window<I>(
    frames: &[Frame<I>],
    frames_required: u32,
    window: Duration,
) -> Option<Range<usize>> {
    let mut start: Option<usize> = None;
    for (i, f) in frames.iter().enumerate() {
        if f.truth.good && f.truth.still {
            let s = *start.get_or_insert(i);
            let n = (i - s + 1) as u32;
            if n >= frames_required && f.timestamp.saturating_sub(frames[s].timestamp) >= window {
                return Some(s..i + 1);
            }
        } else {
            start = None;
        }
    }
    None
}

/// What happens to the finger once it has pressed down
/// ([`finger_sequence`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FingerScenario {
    /// Holds still for 10 to 16 frames, then lifts.
    Steady,
    /// Holds for a frame or two, slides away for two frames (30 to 45 px
    /// a frame, motion-blurred along the slide) and back in a third, then
    /// holds for 10 to 14 frames and lifts.
    Slide,
    /// Holds for one or two frames only (too short for any window), lifts,
    /// and the platen stays empty.
    Lift,
    /// A wet finger (severity 0.6 to 0.9 on every frame it touches):
    /// holds still for 10 to 16 frames, then lifts. No frame is good.
    Wet,
}

impl FingerScenario {
    /// Every scenario.
    pub const ALL: [FingerScenario; 4] = [
        FingerScenario::Steady,
        FingerScenario::Slide,
        FingerScenario::Lift,
        FingerScenario::Wet,
    ];

    /// Stable lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            FingerScenario::Steady => "steady",
            FingerScenario::Slide => "slide",
            FingerScenario::Lift => "lift",
            FingerScenario::Wet => "wet",
        }
    }
}

/// Time between two fingerprint preview frames: 80 ms (12.5 frames a
/// second, a typical optical scanner's preview rate).
pub const FINGER_FRAME_INTERVAL: Duration = Duration::from_millis(80);

/// The pattern classes a sequence's finger is drawn from. Tented arches
/// are left out: drawn at 400x400 with the default contact, 16 of 20 of
/// them (seeds 0 to 19) read as `motion_blur` to the default policy when
/// clean and still (their directional-blur measure 0.18 to 0.49, against
/// 0.01 to 0.11 for the other classes), so their held frames would not
/// be good by the assessor's judgement, and a sequence would test that
/// reading instead of the session.
const FINGER_PATTERNS: [PatternClass; 4] = [
    PatternClass::Arch,
    PatternClass::LeftLoop,
    PatternClass::RightLoop,
    PatternClass::Whorl,
];

/// Where the finger is in one frame.
#[derive(Debug, Clone, Copy, PartialEq)]
struct FingerPose {
    /// Shift of the finger from its centred place, px.
    dx: f32,
    dy: f32,
    /// Pressure, 0 (not touching) .. 1 (pressed flat).
    press: f32,
    /// Length of the motion blur, px (0: none), and its direction, degrees.
    blur: f32,
    blur_angle: f32,
}

impl FingerPose {
    const EMPTY: FingerPose = FingerPose {
        dx: 0.0,
        dy: 0.0,
        press: 0.0,
        blur: 0.0,
        blur_angle: 0.0,
    };

    fn at(dx: f32, dy: f32, press: f32) -> Self {
        FingerPose {
            dx,
            dy,
            press,
            ..Self::EMPTY
        }
    }

    /// Same place as `other`, up to a held finger's jitter.
    fn same_as(&self, other: &FingerPose) -> bool {
        self.press > 0.0
            && other.press > 0.0
            && self.blur == 0.0
            && other.blur == 0.0
            && (self.dx - other.dx).abs() <= 1.0
            && (self.dy - other.dy).abs() <= 1.0
            && (self.press - other.press).abs() <= 0.03
    }
}

/// A preview sequence of a `width` x `height` optical scanner at 500 ppi
/// (clamped to 64..=1024 px a side), frames [`FINGER_FRAME_INTERVAL`]
/// apart, drawn from `seed`: empty platen (2 or 3 frames), the finger
/// arriving from a random side, partly on the sensor and lightly (2 or 3
/// frames), pressing down in place (2 frames), then `scenario`, and an
/// empty platen to the end, 40 frames in all (3.2 s).
///
/// The finger is one synthetic print (an arch, loop or whorl; no tented
/// arch: drawn this way most of them read as motion blur to the default
/// policy even when clean and still; ridge period 8 to
/// 10.5 px, contact about 0.7 x 0.9 of the image) drawn once; each frame
/// shows it shifted, its contact shrunk and its ridges lightened with
/// lower pressure (contact radii `0.55 + 0.45 p`, ridge depth
/// `0.6 + 0.4 p`), plus fresh sensor noise (sigma 2.5). While held, the
/// pressure wavers between 0.97 and 1 and the finger jitters by up to
/// 1 px. Only held frames of a finger that is not wet are
/// [`good`](Truth::good).
///
/// Cost: about a generated print's (0.1 s at 300x300) plus 40 frames;
/// wet frames cost a wet degradation each.
///
/// # Panics
///
/// Never.
#[must_use]
pub fn finger_sequence(
    scenario: FingerScenario,
    width: u32,
    height: u32,
    seed: u64,
) -> Vec<Frame<GrayImage>> {
    const FRAMES: usize = 40;
    let (w, h) = (width.clamp(64, 1024), height.clamp(64, 1024));
    let mut rng = SplitMix64::new(seed).fork(0x11fe);
    let pattern = FINGER_PATTERNS[(rng.next_u64() % 4) as usize];
    let spec = FingerprintSpec::new(w, h, seed)
        .with_pattern(pattern)
        .with_ridge_period(rng.range(8.0, 10.5))
        .with_contact(Contact::new(
            0.5 + rng.range(-0.03, 0.03),
            0.5 + rng.range(-0.03, 0.03),
            rng.range(0.33, 0.37),
            rng.range(0.42, 0.46),
        ))
        .with_noise_sigma(0.0);
    let finger = generate(&spec);
    let wet = (scenario == FingerScenario::Wet).then(|| rng.range(0.6, 0.9));

    // The poses, phase by phase.
    let mut poses: Vec<(FingerPose, Phase)> = Vec::with_capacity(FRAMES);
    for _ in 0..2 + rng.next_u64() % 2 {
        poses.push((FingerPose::EMPTY, Phase::Empty));
    }
    let side = rng.range(0.0, std::f32::consts::TAU);
    let (ux, uy) = (side.cos() * w as f32, side.sin() * h as f32);
    let arriving = 2 + rng.next_u64() % 2;
    for k in 0..arriving {
        // From half the image off to a fifth off, pressing lightly.
        let off = 0.5 - 0.3 * k as f32 / (arriving - 1).max(1) as f32;
        let press = 0.35 + 0.15 * k as f32 / (arriving - 1).max(1) as f32;
        poses.push((FingerPose::at(off * ux, off * uy, press), Phase::Arriving));
    }
    for press in [0.7, 0.85] {
        poses.push((FingerPose::at(0.0, 0.0, press), Phase::Settling));
    }
    let hold = |rng: &mut SplitMix64, n: u64, dx: f32, dy: f32, poses: &mut Vec<_>| {
        for _ in 0..n {
            let jx = (rng.next_u64() % 2) as f32;
            let jy = (rng.next_u64() % 2) as f32;
            let press = rng.range(0.97, 1.0);
            poses.push((FingerPose::at(dx + jx, dy + jy, press), Phase::Holding));
        }
    };
    match scenario {
        FingerScenario::Steady | FingerScenario::Wet => {
            let n = 10 + rng.next_u64() % 7;
            hold(&mut rng, n, 0.0, 0.0, &mut poses);
        }
        FingerScenario::Slide => {
            let n = 1 + rng.next_u64() % 2;
            hold(&mut rng, n, 0.0, 0.0, &mut poses);
            let angle = rng.range(0.0, 360.0);
            let speed = rng.range(30.0, 45.0);
            let (sx, sy) = (angle.to_radians().cos(), angle.to_radians().sin());
            // Away for two frames and back, blurred along the slide by
            // half a frame's travel (the exposure).
            for step in [1.0f32, 2.0, 1.0] {
                let d = step * speed;
                poses.push((
                    FingerPose {
                        blur: 0.5 * speed,
                        blur_angle: angle,
                        ..FingerPose::at(d * sx, d * sy, 1.0)
                    },
                    Phase::Moving,
                ));
            }
            let n = 10 + rng.next_u64() % 5;
            hold(&mut rng, n, 0.0, 0.0, &mut poses);
        }
        FingerScenario::Lift => {
            let n = 1 + rng.next_u64() % 2;
            hold(&mut rng, n, 0.0, 0.0, &mut poses);
        }
    }
    let last = poses.last().map_or(FingerPose::EMPTY, |p| p.0);
    for press in [0.6, 0.3] {
        poses.push((
            FingerPose::at(last.dx + 0.1 * ux, last.dy + 0.1 * uy, press),
            Phase::Lifting,
        ));
    }
    while poses.len() < FRAMES {
        poses.push((FingerPose::EMPTY, Phase::Empty));
    }
    poses.truncate(FRAMES);

    let platen = spec.background_grey;
    let mut frames = Vec::with_capacity(FRAMES);
    let mut before: Option<FingerPose> = None;
    for (i, &(pose, phase)) in poses.iter().enumerate() {
        let mut noise = SplitMix64::new(seed).fork(1000 + i as u64);
        let mut image = render_finger(&finger, &spec, platen, &pose);
        if pose.blur > 0.0 {
            image = degrade::motion_blur(&image, pose.blur / 24.0, pose.blur_angle);
        }
        if let (Some(severity), true) = (wet, pose.press > 0.0) {
            image = degrade::wet(&image, severity, seed);
        }
        for v in image.iter_mut() {
            *v = (f32::from(*v) + 2.5 * noise.gaussian())
                .round()
                .clamp(0.0, 255.0) as u8;
        }
        let still = before.is_some_and(|b| pose.same_as(&b));
        let good = phase == Phase::Holding && wet.is_none();
        frames.push(Frame {
            image,
            timestamp: FINGER_FRAME_INTERVAL * i as u32,
            truth: Truth { phase, still, good },
        });
        before = Some(pose);
    }
    frames
}

/// The finger at `pose`: the print shifted, its contact ellipse shrunk
/// and its ridges lightened with lower pressure, on the empty platen.
fn render_finger(
    finger: &GrayImage,
    spec: &FingerprintSpec,
    platen: u8,
    pose: &FingerPose,
) -> GrayImage {
    let (w, h) = finger.dimensions();
    let p = pose.press.clamp(0.0, 1.0);
    if p == 0.0 {
        return GrayImage::from_pixel(w, h, image::Luma([platen]));
    }
    let c = spec.contact;
    let (cx, cy) = (c.centre_x * w as f32, c.centre_y * h as f32);
    let shrink = 0.55 + 0.45 * p;
    let (rx, ry) = (
        c.radius_x * w as f32 * shrink,
        c.radius_y * h as f32 * shrink,
    );
    let depth = 0.6 + 0.4 * p;
    let base = f32::from(platen);
    GrayImage::from_fn(w, h, |x, y| {
        let (sx, sy) = (x as f32 - pose.dx, y as f32 - pose.dy);
        if sx < 0.0 || sy < 0.0 || sx > (w - 1) as f32 || sy > (h - 1) as f32 {
            return image::Luma([platen]);
        }
        let tex = f32::from(finger.get_pixel(sx.round() as u32, sy.round() as u32).0[0]);
        let rho = ((sx - cx) / rx).hypot((sy - cy) / ry);
        let m = 1.0 - smoothstep(0.9, 1.02, rho);
        let v = base + (tex - base) * m * depth;
        image::Luma([v.round().clamp(0.0, 255.0) as u8])
    })
}

/// What happens once the face is in place ([`face_sequence`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FaceScenario {
    /// Holds still to the end.
    Steady,
    /// Holds, with two or three bursts of one to three blurred frames
    /// (Gaussian blur, sigma 0.04 to 0.06 of the eye distance) a few
    /// frames apart.
    BlurBursts,
    /// Holds for a few frames, tilts the head (roll 12 to 18 degrees over
    /// three frames), holds it tilted, and straightens up again.
    Roll,
    /// Holds for a few frames, then covers the eyes for four to six
    /// frames, then holds again.
    EyesCovered,
}

impl FaceScenario {
    /// Every scenario.
    pub const ALL: [FaceScenario; 4] = [
        FaceScenario::Steady,
        FaceScenario::BlurBursts,
        FaceScenario::Roll,
        FaceScenario::EyesCovered,
    ];

    /// Stable lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            FaceScenario::Steady => "steady",
            FaceScenario::BlurBursts => "blur_bursts",
            FaceScenario::Roll => "roll",
            FaceScenario::EyesCovered => "eyes_covered",
        }
    }
}

/// Time between two face preview frames: 66 ms (15 frames a second).
pub const FACE_FRAME_INTERVAL: Duration = Duration::from_millis(66);

/// The portrait as a frame shows it: the eye mid-point (fractions of the
/// frame's width and height), the eye distance (fraction of the width)
/// and the roll (degrees).
#[derive(Debug, Clone, Copy, PartialEq)]
struct FacePose {
    mid_x: f32,
    mid_y: f32,
    ied: f32,
    roll: f32,
}

impl FacePose {
    fn same_as(&self, other: &FacePose) -> bool {
        // Fractions of the width and of the height, against a share of
        // the eye distance (a fraction of the width): a 3:4 frame's
        // height fraction is 4/3 of a width fraction, and the tolerance
        // covers it.
        let tol = 0.006 * self.ied;
        (self.mid_x - other.mid_x).abs() <= tol
            && (self.mid_y - other.mid_y).abs() <= tol
            && (self.ied - other.ied).abs() <= tol
            && (self.roll - other.roll).abs() <= 0.3
    }
}

/// A camera's preview sequence, `width` x `height` (clamped to
/// 64..=2048 px a side; a 3:4 portrait frame such as 360x480 is what an ID
/// photo needs), frames [`FACE_FRAME_INTERVAL`] apart, of the still
/// `portrait` whose eye centres are `right_eye` (the subject's right:
/// image left) and `left_eye`, drawn from `seed`.
///
/// An empty wall (plain grey, 2 or 3 frames); the face entering small
/// (eye distance 0.15 of the width) and off to a side (3 frames);
/// approaching and centring (3 frames); then held in an ID-photo pose
/// (eyes at 0.5 of the width and 0.44 of the height, eye distance 0.28 of
/// the width, each within a little, upright within 1.5 degrees) with
/// jitter, and `scenario`; 45 frames in all (3 s). Each frame is the
/// portrait placed by a similarity transform (bilinear, the portrait's
/// border colours repeated beyond it) plus fresh camera noise (sigma 2).
/// Held frames that are sharp and show the eyes are [`good`](Truth::good).
///
/// # Panics
///
/// Never (an empty portrait gives grey frames).
#[must_use]
pub fn face_sequence(
    portrait: &RgbImage,
    right_eye: (f32, f32),
    left_eye: (f32, f32),
    scenario: FaceScenario,
    width: u32,
    height: u32,
    seed: u64,
) -> Vec<Frame<RgbImage>> {
    const FRAMES: usize = 45;
    let (w, h) = (width.clamp(64, 2048), height.clamp(64, 2048));
    let mut rng = SplitMix64::new(seed).fork(0xface);
    let held = FacePose {
        mid_x: 0.5 + rng.range(-0.01, 0.01),
        mid_y: 0.44 + rng.range(-0.01, 0.01),
        ied: 0.28 * (1.0 + rng.range(-0.03, 0.03)),
        roll: rng.range(-1.5, 1.5),
    };
    let mut poses: Vec<(Option<FacePose>, Phase, f32, bool)> = Vec::with_capacity(FRAMES);
    // (pose, phase, blur sigma in IEDs, eyes covered)
    for _ in 0..2 + rng.next_u64() % 2 {
        poses.push((None, Phase::Empty, 0.0, false));
    }
    let from_left = rng.next_u64().is_multiple_of(2);
    let start = FacePose {
        mid_x: if from_left { 0.22 } else { 0.78 },
        mid_y: 0.5 + rng.range(-0.05, 0.05),
        ied: 0.15,
        roll: rng.range(-6.0, 6.0),
    };
    let lerp = |a: &FacePose, b: &FacePose, t: f32| FacePose {
        mid_x: a.mid_x + (b.mid_x - a.mid_x) * t,
        mid_y: a.mid_y + (b.mid_y - a.mid_y) * t,
        ied: a.ied + (b.ied - a.ied) * t,
        roll: a.roll + (b.roll - a.roll) * t,
    };
    for k in 0..3 {
        let t = 0.15 * k as f32;
        poses.push((Some(lerp(&start, &held, t)), Phase::Arriving, 0.0, false));
    }
    for k in 1..=3 {
        let t = 0.3 + 0.7 * k as f32 / 3.0;
        let phase = if k == 3 {
            Phase::Holding
        } else {
            Phase::Settling
        };
        poses.push((Some(lerp(&start, &held, t)), phase, 0.0, false));
    }
    let hold = |rng: &mut SplitMix64, n: usize, poses: &mut Vec<_>| {
        for _ in 0..n {
            let j = 0.004 * held.ied;
            let p = FacePose {
                mid_x: held.mid_x + rng.range(-j, j) * 0.5,
                mid_y: held.mid_y + rng.range(-j, j) * 0.5,
                ied: held.ied,
                roll: held.roll + rng.range(-0.1, 0.1),
            };
            poses.push((Some(p), Phase::Holding, 0.0, false));
        }
    };
    match scenario {
        FaceScenario::Steady => {}
        FaceScenario::BlurBursts => {
            for _ in 0..2 + rng.next_u64() % 2 {
                let n = 2 + (rng.next_u64() % 4) as usize;
                hold(&mut rng, n, &mut poses);
                let sigma = rng.range(0.04, 0.06);
                for _ in 0..1 + rng.next_u64() % 3 {
                    poses.push((Some(held), Phase::Blurred, sigma, false));
                }
            }
        }
        FaceScenario::Roll => {
            let n = 2 + (rng.next_u64() % 3) as usize;
            hold(&mut rng, n, &mut poses);
            let sign = if rng.next_u64().is_multiple_of(2) {
                1.0
            } else {
                -1.0
            };
            let tilt = FacePose {
                roll: held.roll + sign * rng.range(12.0, 18.0),
                ..held
            };
            for k in 1..=3 {
                poses.push((
                    Some(lerp(&held, &tilt, k as f32 / 3.0)),
                    Phase::Moving,
                    0.0,
                    false,
                ));
            }
            for _ in 0..3 + rng.next_u64() % 3 {
                poses.push((Some(tilt), Phase::Moving, 0.0, false));
            }
            for k in 1..=3 {
                poses.push((
                    Some(lerp(&tilt, &held, k as f32 / 3.0)),
                    Phase::Moving,
                    0.0,
                    false,
                ));
            }
        }
        FaceScenario::EyesCovered => {
            let n = 2 + (rng.next_u64() % 3) as usize;
            hold(&mut rng, n, &mut poses);
            for _ in 0..4 + rng.next_u64() % 3 {
                poses.push((Some(held), Phase::EyesCovered, 0.0, true));
            }
        }
    }
    while poses.len() < FRAMES {
        hold(&mut rng, 1, &mut poses);
    }
    poses.truncate(FRAMES);

    let wall = Rgb([
        150 + (rng.next_u64() % 40) as u8,
        150 + (rng.next_u64() % 40) as u8,
        150 + (rng.next_u64() % 40) as u8,
    ]);
    let mut frames = Vec::with_capacity(FRAMES);
    let mut before: Option<FacePose> = None;
    for (i, &(pose, phase, blur, covered)) in poses.iter().enumerate() {
        let mut noise = SplitMix64::new(seed).fork(2000 + i as u64);
        let mut image = match pose {
            Some(p) => place_face(portrait, right_eye, left_eye, &p, w, h),
            None => RgbImage::from_pixel(w, h, wall),
        };
        if let Some(p) = pose {
            let ied_px = p.ied * w as f32;
            if blur > 0.0 {
                gaussian_blur(&mut image, blur * ied_px);
            }
            if covered {
                cover_eyes(&mut image, &p, w, h);
            }
        }
        for v in image.iter_mut() {
            *v = (f32::from(*v) + 2.0 * noise.gaussian())
                .round()
                .clamp(0.0, 255.0) as u8;
        }
        let still = match (pose, before) {
            (Some(p), Some(b)) => p.same_as(&b),
            _ => false,
        };
        let good = phase == Phase::Holding;
        frames.push(Frame {
            image,
            timestamp: FACE_FRAME_INTERVAL * i as u32,
            truth: Truth { phase, still, good },
        });
        before = pose;
    }
    frames
}

/// The portrait placed so its eyes land where `p` says in a `w` x `h`
/// frame (bilinear, coordinates clamped into the portrait).
fn place_face(
    src: &RgbImage,
    right_eye: (f32, f32),
    left_eye: (f32, f32),
    p: &FacePose,
    w: u32,
    h: u32,
) -> RgbImage {
    let (sw, sh) = src.dimensions();
    if sw == 0 || sh == 0 {
        return RgbImage::from_pixel(w, h, Rgb([128, 128, 128]));
    }
    let (srx, sry) = right_eye;
    let (slx, sly) = left_eye;
    let src_ied = (slx - srx).hypot(sly - sry).max(1.0);
    let src_angle = (sly - sry).atan2(slx - srx);
    let src_mid = ((srx + slx) * 0.5, (sry + sly) * 0.5);
    let zoom = (p.ied * w as f32 / src_ied).max(1e-3);
    let (s, c) = (src_angle - p.roll.to_radians()).sin_cos();
    let (mx, my) = (p.mid_x * w as f32, p.mid_y * h as f32);
    let (xm, ym) = ((sw - 1) as f32, (sh - 1) as f32);
    RgbImage::from_fn(w, h, |x, y| {
        let (dx, dy) = ((x as f32 - mx) / zoom, (y as f32 - my) / zoom);
        let sx = (src_mid.0 + c * dx - s * dy).clamp(0.0, xm);
        let sy = (src_mid.1 + s * dx + c * dy).clamp(0.0, ym);
        let (x0, y0) = (sx as u32, sy as u32);
        let (x1, y1) = ((x0 + 1).min(sw - 1), (y0 + 1).min(sh - 1));
        let (tx, ty) = (sx - x0 as f32, sy - y0 as f32);
        let mut out = [0u8; 3];
        for (k, o) in out.iter_mut().enumerate() {
            let v = |xx, yy| f32::from(src.get_pixel(xx, yy).0[k]);
            let top = v(x0, y0) * (1.0 - tx) + v(x1, y0) * tx;
            let bottom = v(x0, y1) * (1.0 - tx) + v(x1, y1) * tx;
            *o = (top * (1.0 - ty) + bottom * ty).round().clamp(0.0, 255.0) as u8;
        }
        Rgb(out)
    })
}

/// Separable Gaussian blur of standard deviation `sigma` px, edges clamped.
fn gaussian_blur(img: &mut RgbImage, sigma: f32) {
    if !(sigma.is_finite() && sigma > 0.1) {
        return;
    }
    let r = (3.0 * sigma).ceil() as i64;
    let k: Vec<f32> = (-r..=r)
        .map(|i| (-((i * i) as f32) / (2.0 * sigma * sigma)).exp())
        .collect();
    let norm: f32 = k.iter().sum();
    let (w, h) = (img.width() as i64, img.height() as i64);
    for horizontal in [true, false] {
        let src = img.clone();
        for y in 0..h {
            for x in 0..w {
                let mut acc = [0f32; 3];
                for (i, kv) in k.iter().enumerate() {
                    let o = i as i64 - r;
                    let (sx, sy) = if horizontal {
                        ((x + o).clamp(0, w - 1), y)
                    } else {
                        (x, (y + o).clamp(0, h - 1))
                    };
                    let p = src.get_pixel(sx as u32, sy as u32).0;
                    for (a, &v) in acc.iter_mut().zip(&p) {
                        *a += kv * f32::from(v);
                    }
                }
                img.put_pixel(
                    x as u32,
                    y as u32,
                    Rgb(acc.map(|a| (a / norm).round().clamp(0.0, 255.0) as u8)),
                );
            }
        }
    }
}

/// Covers both eyes with a hand-toned band: from 0.55 eye distances
/// outside each eye, 0.25 above the eye line to 0.25 below it, turned
/// with the roll, shaded a little from top to bottom, its edges softened
/// over 0.05 eye distances.
fn cover_eyes(img: &mut RgbImage, p: &FacePose, w: u32, h: u32) {
    let ied = p.ied * w as f32;
    let (mx, my) = (p.mid_x * w as f32, p.mid_y * h as f32);
    let (s, c) = p.roll.to_radians().sin_cos();
    let (half_w, half_h, soft) = (1.05 * ied, 0.25 * ied, 0.05 * ied);
    let tone = [198.0f32, 150.0, 128.0];
    for (x, y, px) in img.enumerate_pixels_mut() {
        let (dx, dy) = (x as f32 - mx, y as f32 - my);
        // Along and across the eye line.
        let (u, v) = (c * dx + s * dy, -s * dx + c * dy);
        let inside_u = 1.0 - smoothstep(half_w - soft, half_w, u.abs());
        let inside_v = 1.0 - smoothstep(half_h - soft, half_h, v.abs());
        let a = inside_u * inside_v;
        if a <= 0.0 {
            continue;
        }
        let shade = 1.0 - 0.12 * (v / half_h + 1.0) * 0.5;
        for (o, &t) in px.0.iter_mut().zip(&tone) {
            let target = t * shade;
            *o = (f32::from(*o) * (1.0 - a) + target * a)
                .round()
                .clamp(0.0, 255.0) as u8;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finger_truth_follows_the_script() {
        let frames = finger_sequence(FingerScenario::Steady, 128, 128, 3);
        assert_eq!(frames.len(), 40);
        assert_eq!(frames[0].truth.phase, Phase::Empty);
        assert!(frames.iter().any(|f| f.truth.good && f.truth.still));
        // Consecutive timestamps, and the same bytes again.
        assert!(frames
            .windows(2)
            .all(|p| p[1].timestamp - p[0].timestamp == FINGER_FRAME_INTERVAL));
        assert_eq!(frames, finger_sequence(FingerScenario::Steady, 128, 128, 3));
        let wet = finger_sequence(FingerScenario::Wet, 128, 128, 3);
        assert!(wet.iter().all(|f| !f.truth.good));
    }

    #[test]
    fn steady_window_cuts_at_the_rule() {
        let t = |good, still| Truth {
            phase: Phase::Holding,
            still,
            good,
        };
        let f = |i: u64, truth| Frame {
            image: (),
            timestamp: Duration::from_millis(100 * i),
            truth,
        };
        let frames = [
            f(0, t(true, true)),
            f(1, t(true, true)),
            f(2, t(false, true)),
            f(3, t(true, true)),
            f(4, t(true, true)),
            f(5, t(true, true)),
            f(6, t(true, true)),
        ];
        assert_eq!(
            first_steady_window(&frames, 2, Duration::from_millis(150)),
            Some(3..5 + 1)
        );
        assert_eq!(
            first_steady_window(&frames, 2, Duration::from_millis(100)),
            Some(0..2)
        );
        assert_eq!(
            first_steady_window(&frames, 9, Duration::from_millis(100)),
            None
        );
    }
}

//! The live face capture session.

use std::time::Duration;

use super::{
    angle_gap, CaptureConfig, CapturedFrame, FaceState, Motion, Rank, Session, TIER_PASS,
    TIER_PREVIEW, TIER_RETAKE,
};
use crate::error::Result;
use crate::face::{
    EyePair, FaceAssessor, FaceBox, FaceConfig, FacePolicy, FaceReport, Found, Pixels,
};
use crate::image::{GrayView, RgbView};
use crate::verdict::Verdict;

/// Detections every report has room for from the first frame on: more
/// faces than this in one frame allocate.
const DETECTIONS_ROOM: usize = 16;

/// A live face capture: feed it the camera's preview frames, show the
/// operator its state, and it captures the best photo by itself.
///
/// Every frame first gets the **preview pass**, which follows the face
/// from the frame before instead of searching the whole picture: MTCNN's
/// eye network (ONet, the first stage of the full eye search) reads a crop
/// around the previous frame's face box and its mirror image, and gives
/// the face probability, the moved box and both eyes. Where it no longer
/// sees a face, and at least every
/// [`redetect_every`](CaptureConfig::with_redetect_every) frames, the
/// detector searches the whole frame instead. The framing (without a yaw
/// estimate, which needs the detector's box) and the photometric measures
/// follow, and the policy judges them. Then:
///
/// - no face: [`CaptureState::NoSubject`](super::CaptureState::NoSubject);
/// - a finding: `Adjust` with every finding (too small, off centre,
///   tilted, too dark, blurred, ...);
/// - nothing to fix, but the face moved since the frame before (see
///   [`Motion`]: both eyes, the eye distance and the roll): `Steady` with
///   progress 0;
/// - nothing to fix and still: a **candidate**, fully assessed exactly as
///   [`FaceAssessor::assess`] does (detection, the refined eyes, yaw) and
///   judged. A retake is `Adjust`; a pass joins the steady run, and when
///   the run is complete ([`CaptureConfig`]), `Captured` with the run's
///   sharpest frame (highest [`Photometric::sharpness`](crate::Photometric)
///   raw value: within a steady run the framing barely changes, and what
///   differs from frame to frame is motion blur and focus).
///
/// The captured frame's report is the full assessment of its pixels, bit
/// for bit what [`FaceAssessor::assess`] gives for them alone. After the
/// timeout the session hands over its best frame instead
/// ([`CaptureState::TimedOut`](super::CaptureState::TimedOut)), ranked as
/// [`FingerprintCapture`](crate::FingerprintCapture) ranks prints, by
/// sharpness.
///
/// The session owns its buffers. The first frame of each size it sees is
/// also fully assessed, once (the result is discarded), and the buffers a
/// face needs get room for that size, with room for 16 detections: preview
/// frames, and candidates' full assessments, then allocate nothing, even
/// when the first face only appears later (more than 16 faces in one
/// frame would). The same frames
/// with the same timestamps give the same states and the same captured
/// frame, bit for bit.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use biocapture::{CaptureConfig, CaptureState, FaceCapture, FaceConfig, FacePolicy, RgbView};
/// let mut capture =
///     FaceCapture::new(CaptureConfig::default(), FaceConfig::default(), FacePolicy::icao())?;
/// let empty_room = vec![128u8; 3 * 320 * 240];
/// let frame = RgbView::new(&empty_room, 320, 240, 3 * 320)?;
/// assert_eq!(capture.push(frame, Duration::ZERO)?, CaptureState::NoSubject);
/// # Ok::<(), biocapture::Error>(())
/// ```
#[derive(Debug)]
pub struct FaceCapture {
    session: Session<FaceReport>,
    assessor: FaceAssessor,
    policy: FacePolicy,
    preview: FaceReport,
    /// The frame before's face box and eyes.
    previous: Option<(FaceBox, EyePair)>,
    /// Frame size of `previous`.
    previous_size: (u32, u32),
    /// The last frame whose eyes showed, as `previous`, and its frame
    /// size: what motion is read against (see [`FaceCapture::motion`]).
    reference: Option<((FaceBox, EyePair), (u32, u32))>,
    /// Frames followed since the detector last ran.
    tracked_frames: u32,
    found: Option<Found>,
    full: FaceReport,
    verdict: Verdict,
    motion: Option<Motion>,
    detector_runs: u64,
}

impl FaceCapture {
    /// A session that assesses with `face` (the built-in detector) and
    /// judges with `policy`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidConfig`](crate::Error::InvalidConfig) when `config`,
    /// `face` or `policy` holds an invalid value.
    pub fn new(config: CaptureConfig, face: FaceConfig, policy: FacePolicy) -> Result<Self> {
        policy.validate()?;
        Ok(Self {
            session: Session::new(config)?,
            assessor: FaceAssessor::new(face)?,
            policy,
            preview: FaceReport::default(),
            previous: None,
            previous_size: (0, 0),
            reference: None,
            tracked_frames: 0,
            found: None,
            full: FaceReport::default(),
            verdict: super::roomy_verdict(),
            motion: None,
            detector_runs: 0,
        })
    }

    /// The session's settings.
    pub fn config(&self) -> &CaptureConfig {
        &self.session.config
    }

    /// Looks at the next RGB preview frame, taken at `timestamp` (any
    /// fixed origin; never earlier than the frame before), and says what
    /// to do. Once the session has captured or timed out, it takes no
    /// more frames and answers with that state until
    /// [`reset`](Self::reset).
    ///
    /// # Errors
    ///
    /// [`Error::TimestampOutOfOrder`](crate::Error::TimestampOutOfOrder)
    /// when `timestamp` is earlier than the previous frame's, and the size
    /// errors of [`FaceAssessor::assess`]. A frame refused with an error
    /// is not counted and leaves the session as it was.
    pub fn push(&mut self, frame: RgbView<'_>, timestamp: Duration) -> Result<FaceState<'_>> {
        self.push_pixels(Pixels::Rgb(frame), timestamp)
    }

    /// Grey counterpart of [`push`](Self::push) (colour measures read as
    /// neutral).
    ///
    /// # Errors
    ///
    /// As [`push`](Self::push).
    pub fn push_gray(&mut self, frame: GrayView<'_>, timestamp: Duration) -> Result<FaceState<'_>> {
        self.push_pixels(Pixels::Gray(frame), timestamp)
    }

    fn push_pixels(&mut self, px: Pixels<'_>, timestamp: Duration) -> Result<FaceState<'_>> {
        if self.session.is_final() {
            return Ok(self.state());
        }
        self.session.check_time(timestamp)?;
        let size = (px.width(), px.height());
        let follow = self.previous.filter(|_| size == self.previous_size);
        let redetect = self.tracked_frames + 1 >= self.session.config.redetect_every;
        let found = self.assessor.preview_into(
            px,
            follow.as_ref().map(|(b, _)| b),
            redetect,
            &mut self.preview,
        )?;
        if self.session.warm_up(px) {
            self.assessor.reserve(px.width(), px.height());
            self.assessor
                .assess_pixels_into(px, &mut self.session.out.report)?;
            self.session.full_assessments += 1;
            self.detector_runs += 1;
            // Room for a crowd, however empty the first frame.
            for report in [
                &mut self.session.out.report,
                &mut self.full,
                &mut self.preview,
            ] {
                let d = &mut report.detections;
                d.reserve(DETECTIONS_ROOM.saturating_sub(d.len()));
            }
        }
        let index = self.session.accept(timestamp);
        self.found = Some(found);
        if found == Found::Tracked {
            self.tracked_frames += 1;
        } else {
            self.tracked_frames = 0;
            self.detector_runs += 1;
        }
        self.policy.judge_into(&self.preview, &mut self.verdict);
        let current = self.preview.face.as_ref().map(|f| (f.face_box, f.eyes));
        let reference = self.reference.filter(|&(_, at)| at == size).map(|(r, _)| r);
        self.motion = match (reference, current) {
            (Some(a), Some(b)) => Some(motion(a, b)),
            _ => None,
        };
        self.previous = current;
        self.previous_size = size;
        // Eyes found under a hand or a band are guesses: motion is read
        // against the last frame whose eyes showed, not against those.
        let eyes_shown = self
            .preview
            .face
            .as_ref()
            .is_none_or(|f| self.policy.covered_eye(f).is_none());
        if current.is_none() {
            self.reference = None;
        } else if eyes_shown {
            self.reference = current.map(|c| (c, size));
        }
        let still = self.motion.is_some_and(|m| {
            m.is_still(
                &self.session.config,
                self.session.config.max_roll_change_deg,
            )
        });
        if current.is_none() {
            self.session.no_subject();
        } else {
            self.session.subject_seen(timestamp);
            let preview_rank = Rank {
                tier: TIER_PREVIEW,
                score: score(&self.preview),
            };
            if !self.verdict.is_pass() {
                self.session.adjust();
                self.session.best.offer(preview_rank, index, timestamp, px);
            } else if !still {
                self.session.moved();
                self.session.best.offer(preview_rank, index, timestamp, px);
            } else {
                self.assessor.assess_pixels_into(px, &mut self.full)?;
                self.session.full_assessments += 1;
                self.detector_runs += 1;
                self.policy.judge_into(&self.full, &mut self.verdict);
                let score = score(&self.full);
                let pass = self.verdict.is_pass();
                let tier = if pass { TIER_PASS } else { TIER_RETAKE };
                self.session
                    .best
                    .offer(Rank { tier, score }, index, timestamp, px);
                if !pass {
                    self.session.adjust();
                } else if self.session.steady(index, timestamp, score, px) {
                    self.finish(true)?;
                }
            }
        }
        if !self.session.is_final() && self.session.timed_out(timestamp) {
            self.finish(false)?;
        }
        Ok(self.state())
    }

    /// Fully assesses the kept frame (the run's best, or the session's)
    /// into the output and ends the session.
    fn finish(&mut self, captured: bool) -> Result<()> {
        let s = &mut self.session;
        if !s.take(captured) {
            // Unreachable: a run or a subject always keeps a frame.
            s.no_subject();
            return Ok(());
        }
        s.full_assessments += 1;
        self.detector_runs += 1;
        let out = &mut s.out;
        if let Some(px) = out.pixels.pixels() {
            self.assessor.assess_pixels_into(px, &mut out.report)?;
        }
        self.policy.judge_into(&out.report, &mut out.verdict);
        let best = score(&s.out.report);
        s.end(captured, best);
        Ok(())
    }

    /// The state the last frame left the session in
    /// ([`CaptureState::NoSubject`](super::CaptureState::NoSubject) before
    /// any frame).
    pub fn state(&self) -> FaceState<'_> {
        self.session.state(&self.verdict.findings)
    }

    /// The captured frame once the session is
    /// [`Captured`](super::CaptureState::Captured), or the best frame once
    /// it has [`TimedOut`](super::CaptureState::TimedOut); `None` before.
    pub fn result(&self) -> Option<&CapturedFrame<FaceReport>> {
        self.session.is_final().then_some(&self.session.out)
    }

    /// How far the face moved since the frame before, or, when the frames
    /// before hid the eyes (`eyes_not_visible`), since the last frame whose
    /// eyes showed: eye points found under a hand are guesses. `None` when
    /// either frame had no face (or the frame sizes differ).
    pub fn motion(&self) -> Option<Motion> {
        self.motion
    }

    /// The last frame's preview: the face box and eyes as followed or
    /// detected (the eyes unrefined), framing without yaw, photometric
    /// measures. For overlays and logs.
    pub fn preview(&self) -> &FaceReport {
        &self.preview
    }

    /// `true` when the last frame's face was followed from the frame
    /// before rather than found by the detector.
    pub fn tracked(&self) -> bool {
        self.found == Some(Found::Tracked)
    }

    /// Frames accepted since the session started or was reset.
    pub fn frames(&self) -> u64 {
        self.session.frames
    }

    /// Full assessments made since the session started or was reset:
    /// candidates, the frame handed over at the end, and the first frame
    /// of each size the session sees (once in its life, not per reset: it
    /// sizes the buffers, see [`push`](Self::push)).
    pub fn full_assessments(&self) -> u64 {
        self.session.full_assessments
    }

    /// Times the detector ran since the session started or was reset
    /// (preview frames it searched, and every full assessment).
    pub fn detector_runs(&self) -> u64 {
        self.detector_runs
    }

    /// Starts a new capture (the next subject), keeping the buffers.
    pub fn reset(&mut self) {
        self.session.reset();
        self.previous = None;
        self.reference = None;
        self.tracked_frames = 0;
        self.found = None;
        self.motion = None;
        self.detector_runs = 0;
        self.verdict.findings.clear();
        self.verdict.settle();
    }
}

/// The score frames are ranked by: the face's sharpness (raw), 0 without
/// a face or its photometric measures.
fn score(report: &FaceReport) -> f32 {
    report
        .face
        .as_ref()
        .and_then(|f| f.photometric.as_ref())
        .map_or(0.0, |p| p.sharpness.raw)
}

/// How the face moved from `a` to `b`.
fn motion((box_a, eyes_a): (FaceBox, EyePair), (box_b, eyes_b): (FaceBox, EyePair)) -> Motion {
    let side = box_a.width.max(box_b.width).max(1.0);
    let moved = eyes_a
        .left
        .distance(eyes_b.left)
        .max(eyes_a.right.distance(eyes_b.right));
    let (ia, ib) = (eyes_a.ied(), eyes_b.ied());
    Motion {
        shift: moved / side,
        scale: (ia - ib).abs() / ia.max(ib).max(1.0),
        turn_deg: angle_gap(eyes_a.roll_deg(), eyes_b.roll_deg(), 360.0),
    }
}

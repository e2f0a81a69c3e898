//! The live fingerprint capture session.

use std::time::Duration;

use super::{
    CaptureConfig, CapturedFrame, FingerprintState, Motion, Rank, Session, TIER_PASS, TIER_PREVIEW,
    TIER_RETAKE,
};
use crate::error::Result;
use crate::face::Pixels;
use crate::fingerprint::{
    FingerprintAssessor, FingerprintConfig, FingerprintPolicy, FingerprintReport,
};
use crate::image::GrayView;
use crate::verdict::{Reason, Verdict};

/// A live fingerprint capture: feed it the scanner's preview frames, show
/// the operator its state, and it captures the best print by itself.
///
/// Every frame first gets the **placement pass**: the assessor's
/// foreground, orientation and grey statistics without the ridge profiles
/// (about a third of a full assessment's time), judged by the policy's
/// placement checks (`no_finger`, `low_contrast` by the mean grey,
/// `too_small_area`, `partial_print`, `off_center`). Then:
///
/// - no finger: [`CaptureState::NoSubject`](super::CaptureState::NoSubject);
/// - a placement finding: `Adjust` with it (its hint says what to do);
/// - placed well, but the finger moved since the frame before (see
///   [`Motion`]: the contact's centroid and area, and the ridge directions
///   block by block, against the frame before): `Steady` with progress
///   0, as the finger settles;
/// - placed well and still: a **candidate**, fully assessed (clarity,
///   moisture, smudge, motion blur, residue) and judged. A retake is
///   `Adjust` with every finding (`too_wet`, `smudged`, ...); a pass joins
///   the steady run, `Steady` with its progress, and when the run is
///   complete ([`CaptureConfig`]), `Captured` with the run's frame of
///   highest clarity.
///
/// The captured frame's report is the full assessment of its pixels,
/// bit for bit what [`FingerprintAssessor::assess`] gives for them alone.
/// After the timeout the session hands over its best frame instead
/// ([`CaptureState::TimedOut`](super::CaptureState::TimedOut)): a passing
/// frame before a failing one, then the highest clarity; frames that were
/// only previewed rank last, by foreground area, and the one handed over
/// is fully assessed then.
///
/// The session owns its buffers. The first frame of each size it sees is
/// also fully assessed, once (the result is discarded), so that every
/// buffer is sized for that size: from then on the session allocates
/// nothing per frame, candidates and the capture included
/// (`tests/live_alloc.rs` counts the allocations after the 10th frame).
/// The same frames with the same timestamps give the same states and the
/// same captured frame, bit for bit.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use biocapture::{CaptureConfig, CaptureState, FingerprintCapture, FingerprintConfig,
///     FingerprintPolicy, GrayView};
/// let mut capture = FingerprintCapture::new(
///     CaptureConfig::default(),
///     FingerprintConfig::default(),
///     FingerprintPolicy::default(),
/// )?;
/// let empty_platen = vec![242u8; 300 * 300];
/// let frame = GrayView::new(&empty_platen, 300, 300, 300)?;
/// let state = capture.push(frame, Duration::from_millis(0))?;
/// assert_eq!(state, CaptureState::NoSubject);
/// # Ok::<(), biocapture::Error>(())
/// ```
#[derive(Debug)]
pub struct FingerprintCapture {
    session: Session<FingerprintReport>,
    assessor: FingerprintAssessor,
    policy: FingerprintPolicy,
    /// The placement pass being made, and the last frame's.
    current: FingerprintReport,
    previous: FingerprintReport,
    /// Whether `previous` holds a frame with a finger.
    has_previous: bool,
    /// A candidate's full assessment.
    full: FingerprintReport,
    /// The findings an `Adjust` state shows.
    verdict: Verdict,
    motion: Option<Motion>,
}

impl FingerprintCapture {
    /// A session that assesses with `fingerprint` and judges with
    /// `policy`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidConfig`](crate::Error::InvalidConfig) when `config`
    /// or `policy` holds an invalid value, and the errors of
    /// [`FingerprintAssessor::new`].
    pub fn new(
        config: CaptureConfig,
        fingerprint: FingerprintConfig,
        policy: FingerprintPolicy,
    ) -> Result<Self> {
        policy.validate()?;
        Ok(Self {
            session: Session::new(config)?,
            assessor: FingerprintAssessor::new(fingerprint)?,
            policy,
            current: FingerprintReport::default(),
            previous: FingerprintReport::default(),
            has_previous: false,
            full: FingerprintReport::default(),
            verdict: super::roomy_verdict(),
            motion: None,
        })
    }

    /// The session's settings.
    pub fn config(&self) -> &CaptureConfig {
        &self.session.config
    }

    /// Looks at the next preview frame, taken at `timestamp` (any fixed
    /// origin, such as the stream's start; never earlier than the frame
    /// before), and says what to do. Once the session has captured or
    /// timed out, it takes no more frames and answers with that state
    /// until [`reset`](Self::reset).
    ///
    /// # Errors
    ///
    /// [`Error::TimestampOutOfOrder`](crate::Error::TimestampOutOfOrder)
    /// when `timestamp` is earlier than the previous frame's, and the
    /// errors of [`FingerprintAssessor::assess`] (resolution, size
    /// limits). A frame refused with an error is not counted and leaves
    /// the session as it was.
    pub fn push(
        &mut self,
        frame: GrayView<'_>,
        timestamp: Duration,
    ) -> Result<FingerprintState<'_>> {
        if self.session.is_final() {
            return Ok(self.state());
        }
        self.session.check_time(timestamp)?;
        self.assessor.placement_into(frame, &mut self.current)?;
        if self.session.warm_up(Pixels::Gray(frame)) {
            self.assessor
                .assess_into(frame, &mut self.session.out.report)?;
            // The candidates' report gets the same block grids, so the
            // first finger's full assessment allocates nothing.
            self.full.clone_from(&self.session.out.report);
            self.session.full_assessments += 1;
        }
        let index = self.session.accept(timestamp);
        self.policy
            .judge_placement_into(&self.current, &mut self.verdict);
        let subject = !self.verdict.has(Reason::NoFinger);
        self.motion = (subject && self.has_previous)
            .then(|| motion(&self.previous, &self.current))
            .flatten();
        let still = self
            .motion
            .is_some_and(|m| m.is_still(&self.session.config, self.session.config.max_turn_deg));
        std::mem::swap(&mut self.current, &mut self.previous);
        self.has_previous = subject;
        let px = Pixels::Gray(frame);
        if !subject {
            self.session.no_subject();
        } else {
            self.session.subject_seen(timestamp);
            let area = self.previous.foreground.fraction;
            let preview_rank = Rank {
                tier: TIER_PREVIEW,
                score: area,
            };
            if !self.verdict.is_pass() {
                self.session.adjust();
                self.session.best.offer(preview_rank, index, timestamp, px);
            } else if !still {
                self.session.moved();
                self.session.best.offer(preview_rank, index, timestamp, px);
            } else {
                self.assessor.assess_into(frame, &mut self.full)?;
                self.session.full_assessments += 1;
                self.policy.judge_into(&self.full, &mut self.verdict);
                let score = self.full.clarity;
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
        let out = &mut s.out;
        if let Some(Pixels::Gray(view)) = out.pixels.pixels() {
            self.assessor.assess_into(view, &mut out.report)?;
        }
        self.policy.judge_into(&out.report, &mut out.verdict);
        let best = s.out.report.clarity;
        s.end(captured, best);
        Ok(())
    }

    /// The state the last frame left the session in
    /// ([`CaptureState::NoSubject`](super::CaptureState::NoSubject) before
    /// any frame).
    pub fn state(&self) -> FingerprintState<'_> {
        self.session.state(&self.verdict.findings)
    }

    /// The captured frame once the session is
    /// [`Captured`](super::CaptureState::Captured), or the best frame once
    /// it has [`TimedOut`](super::CaptureState::TimedOut); `None` before.
    pub fn result(&self) -> Option<&CapturedFrame<FingerprintReport>> {
        self.session.is_final().then_some(&self.session.out)
    }

    /// How far the finger moved between the last two frames; `None` when
    /// either had no finger (or the frame sizes differ).
    pub fn motion(&self) -> Option<Motion> {
        self.motion
    }

    /// The last frame's placement pass: foreground, orientation,
    /// coherence and grey statistics; its ridge measures and clarity read
    /// 0 (see the type's docs). For overlays and logs.
    pub fn preview(&self) -> &FingerprintReport {
        &self.previous
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

    /// Starts a new capture (the next subject), keeping the buffers.
    pub fn reset(&mut self) {
        self.session.reset();
        self.has_previous = false;
        self.motion = None;
        self.verdict.findings.clear();
        self.verdict.settle();
    }
}

/// How the finger moved from `a` to `b` (two placement passes); `None`
/// when either has no foreground or their grids differ.
fn motion(a: &FingerprintReport, b: &FingerprintReport) -> Option<Motion> {
    let (ca, cb) = (a.foreground.centroid?, b.foreground.centroid?);
    if a.blocks.orientation.dim() != b.blocks.orientation.dim()
        || (a.width, a.height, a.ppi) != (b.width, b.height, b.ppi)
    {
        return None;
    }
    let (aa, ab) = (a.foreground.area_px as f32, b.foreground.area_px as f32);
    let big = aa.max(ab).max(1.0);
    let shift = (ca.0 - cb.0).hypot(ca.1 - cb.1) / big.sqrt();
    let scale = (aa - ab).abs() / big;
    let (mut sum, mut weight) = (0.0f64, 0.0f64);
    let blocks = a
        .foreground
        .mask
        .iter()
        .zip(b.foreground.mask.iter())
        .zip(a.blocks.orientation.iter().zip(b.blocks.orientation.iter()))
        .zip(a.blocks.coherence.iter().zip(b.blocks.coherence.iter()));
    for (((&ma, &mb), (&ta, &tb)), (&ka, &kb)) in blocks {
        if ma && mb {
            let w = f64::from(ka.min(kb));
            sum += w * f64::from(2.0 * (ta - tb)).cos();
            weight += w;
        }
    }
    let turn_deg = if weight > 0.0 {
        (0.5 * (sum / weight).clamp(-1.0, 1.0).acos()).to_degrees() as f32
    } else {
        90.0
    };
    Some(Motion {
        shift,
        scale,
        turn_deg,
    })
}

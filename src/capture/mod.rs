//! Live capture: sessions that watch a scanner's or a camera's preview
//! stream, tell the operator what to fix, wait until the subject is good
//! and still, and keep the best frame of that moment by themselves.
//!
//! [`FingerprintCapture`] and [`FaceCapture`] are fed one timestamped
//! frame at a time and answer each with a [`CaptureState`]. The rules they
//! share:
//!
//! - A frame is **still** when the subject moved less than the
//!   [`CaptureConfig`]'s tolerances since the frame before ([`Motion`]).
//! - A frame is **good** when a full assessment's verdict passes. Only
//!   frames whose cheap preview measures find nothing to fix and that are
//!   still get a full assessment: the *candidates*.
//! - A **steady run** is an unbroken series of good candidates. When it
//!   holds [`frames_required`](CaptureConfig::with_frames_required) frames
//!   and spans the [`window`](CaptureConfig::with_window) in time, the
//!   session captures the run's best frame (highest clarity for a print,
//!   sharpest face for a photo; the earliest of equals) and is done.
//! - From the first frame that shows a subject, the session gives up
//!   after the [`timeout`](CaptureConfig::with_timeout) and hands over the
//!   best frame it saw, with the reason it fell short.

mod face;
mod fingerprint;

pub use self::face::FaceCapture;
pub use self::fingerprint::FingerprintCapture;

use std::time::Duration;

use crate::error::{Error, Result};
use crate::face::{FaceReport, Pixels};
use crate::fingerprint::FingerprintReport;
use crate::image::{GrayView, RgbView};
use crate::verdict::{Finding, Lang, Reason, Verdict};

/// How a capture session decides that the subject is steady, and how long
/// it waits. Private fields, chainable setters with documented defaults,
/// validated once by the session's constructor.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use biocapture::CaptureConfig;
/// let config = CaptureConfig::default()
///     .with_frames_required(4)
///     .with_window(Duration::from_millis(400))
///     .with_timeout(Duration::from_secs(15));
/// assert_eq!(config.frames_required(), 4);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CaptureConfig {
    frames_required: u32,
    window: Duration,
    timeout: Duration,
    tolerance: f32,
    max_turn_deg: f32,
    max_roll_change_deg: f32,
    redetect_every: u32,
}

impl Default for CaptureConfig {
    fn default() -> Self {
        Self {
            frames_required: 3,
            window: Duration::from_millis(300),
            timeout: Duration::from_secs(10),
            tolerance: 0.04,
            max_turn_deg: 5.0,
            max_roll_change_deg: 2.0,
            redetect_every: 10,
        }
    }
}

impl CaptureConfig {
    /// Good, still frames a steady run must hold before the session
    /// captures, at least 1. Default: 3.
    #[must_use]
    pub fn with_frames_required(mut self, frames: u32) -> Self {
        self.frames_required = frames;
        self
    }

    /// How long a steady run must last, from its first frame's timestamp
    /// to its last one's: the subject has to hold still this long whatever
    /// the frame rate (at 10 frames a second the default takes 4 frames,
    /// at 30 it takes 10). Default: 300 ms.
    #[must_use]
    pub fn with_window(mut self, window: Duration) -> Self {
        self.window = window;
        self
    }

    /// How long after the first frame that shows a subject the session
    /// gives up and ends in [`CaptureState::TimedOut`]; longer than the
    /// window. An empty scanner or camera never times out. Default: 10 s.
    #[must_use]
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// How far the subject may move between two frames and still count as
    /// still, as a share of its size, in `(0, 1]` (see [`Motion`]): the
    /// foreground's centroid by this share of its side (the square root
    /// of its area) and its area by this share; each eye by this share of
    /// the face box side, and the eye distance by this share. Default:
    /// 0.04 (10 px of a 250 px contact or face box: half a millimetre of
    /// skin on a 500 ppi scanner, a tenth of the eye distance).
    #[must_use]
    pub fn with_tolerance(mut self, tolerance: f32) -> Self {
        self.tolerance = tolerance;
        self
    }

    /// Fingerprint sessions only: how far the ridges may turn between two
    /// frames and still count as still, in degrees, in `(0, 90]`: the
    /// root-mean-square change of the ridge direction over the blocks both
    /// frames' foregrounds share. The direction field of a held finger
    /// wavers by a degree or two from frame to frame with pressure and
    /// noise. Default: 5.
    #[must_use]
    pub fn with_max_turn_deg(mut self, degrees: f32) -> Self {
        self.max_turn_deg = degrees;
        self
    }

    /// Face sessions only: how far the head may roll between two frames
    /// and still count as still, in degrees, in `(0, 90]`. A held head
    /// rolls well under a degree between frames; a head tilting to the
    /// side at an ordinary pace turns 4 degrees or more a frame at 15
    /// frames a second, while moving its eyes by under the shift
    /// tolerance. Default: 2.
    #[must_use]
    pub fn with_max_roll_change_deg(mut self, degrees: f32) -> Self {
        self.max_roll_change_deg = degrees;
        self
    }

    /// Face sessions only: the detector runs at least every this many
    /// frames, at least 1, even while the face is followed from frame to
    /// frame (it also runs whenever the face is lost): a second face that
    /// walks in is seen, and the tracked box cannot drift off for long.
    /// 1 detects on every frame. Default: 10.
    #[must_use]
    pub fn with_redetect_every(mut self, frames: u32) -> Self {
        self.redetect_every = frames;
        self
    }

    /// Good, still frames a steady run must hold.
    pub fn frames_required(&self) -> u32 {
        self.frames_required
    }

    /// How long a steady run must last.
    pub fn window(&self) -> Duration {
        self.window
    }

    /// How long after the first frame with a subject the session gives up.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// Largest move between two still frames, as a share of the subject's
    /// size.
    pub fn tolerance(&self) -> f32 {
        self.tolerance
    }

    /// Largest ridge turn between two still fingerprint frames, in
    /// degrees.
    pub fn max_turn_deg(&self) -> f32 {
        self.max_turn_deg
    }

    /// Largest roll change between two still face frames, in degrees.
    pub fn max_roll_change_deg(&self) -> f32 {
        self.max_roll_change_deg
    }

    /// Frames between two runs of the face detector at most.
    pub fn redetect_every(&self) -> u32 {
        self.redetect_every
    }

    /// Checks every field.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidConfig`] naming the first bad field.
    pub fn validate(&self) -> Result<()> {
        let bad = |field, reason| Err(Error::InvalidConfig { field, reason });
        if self.frames_required == 0 {
            return bad("frames_required", "must be at least 1");
        }
        if self.timeout <= self.window {
            return bad("timeout", "must be longer than the window");
        }
        if !(self.tolerance.is_finite() && self.tolerance > 0.0 && self.tolerance <= 1.0) {
            return bad("tolerance", "must lie in (0, 1]");
        }
        if !(self.max_turn_deg.is_finite() && self.max_turn_deg > 0.0 && self.max_turn_deg <= 90.0)
        {
            return bad("max_turn_deg", "must lie in (0, 90]");
        }
        let roll = self.max_roll_change_deg;
        if !(roll.is_finite() && roll > 0.0 && roll <= 90.0) {
            return bad("max_roll_change_deg", "must lie in (0, 90]");
        }
        if self.redetect_every == 0 {
            return bad("redetect_every", "must be at least 1");
        }
        Ok(())
    }
}

/// How much the subject moved between two consecutive frames
/// ([`FingerprintCapture::motion`], [`FaceCapture::motion`]).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Motion {
    /// How far the subject moved, as a share of its size. Fingerprint: the
    /// foreground centroid's move over the side of a square of the
    /// foreground's area (the larger of the two frames'). Face: the
    /// larger of the two eyes' moves over the face box side (the larger
    /// of the two frames').
    pub shift: f32,
    /// How much its size changed, as a share, `|a - b| / max(a, b)`: of
    /// the foreground area, or of the eye distance.
    pub scale: f32,
    /// How far it turned, in degrees. Fingerprint: the root-mean-square
    /// change of the ridge direction over the blocks both foregrounds
    /// share, each block weighted by the lower of its two coherences
    /// (`0.5 acos(sum w cos 2d / sum w)`), 90 when they share none. Face:
    /// the change of the roll.
    pub turn_deg: f32,
}

impl Motion {
    /// `true` when the move and the size change are within `config`'s
    /// tolerance and the turn within `max_turn_deg` (the config's ridge or
    /// roll limit, by the session's kind).
    pub(crate) fn is_still(&self, config: &CaptureConfig, max_turn_deg: f32) -> bool {
        self.shift <= config.tolerance
            && self.scale <= config.tolerance
            && self.turn_deg <= max_turn_deg
    }
}

/// Why a session that timed out did not capture
/// ([`CaptureState::TimedOut`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "snake_case")
)]
#[non_exhaustive]
pub enum Shortfall {
    /// Good frames came, but the subject never held still through a whole
    /// window: the best frame passes its verdict.
    NotSteady,
    /// No frame was good: the best frame's verdict asks for a retake, and
    /// its findings say why.
    Retake,
}

impl Shortfall {
    /// `"not_steady"` or `"retake"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Shortfall::NotSteady => "not_steady",
            Shortfall::Retake => "retake",
        }
    }
}

/// A copy of one frame's pixels, kept by a session after the caller's
/// buffer is gone: rows back to back, one byte a pixel (grey) or three
/// (RGB).
#[derive(Clone, PartialEq, Eq, Default)]
pub struct FramePixels {
    data: Vec<u8>,
    width: u32,
    height: u32,
    channels: u8,
    ppi: u32,
}

impl std::fmt::Debug for FramePixels {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FramePixels")
            .field("width", &self.width)
            .field("height", &self.height)
            .field("channels", &self.channels)
            .field("ppi", &self.ppi)
            .finish_non_exhaustive()
    }
}

impl FramePixels {
    /// Width in pixels.
    pub fn width(&self) -> u32 {
        self.width
    }

    /// Height in pixels.
    pub fn height(&self) -> u32 {
        self.height
    }

    /// Bytes a pixel: 1 (grey) or 3 (RGB); 0 before any frame was copied.
    pub fn channels(&self) -> u8 {
        self.channels
    }

    /// The resolution the frame was given with (grey frames; RGB frames
    /// carry none and read [`DEFAULT_PPI`](crate::DEFAULT_PPI)).
    pub fn ppi(&self) -> u32 {
        self.ppi
    }

    /// The pixels, rows back to back (`width * channels` bytes a row).
    pub fn data(&self) -> &[u8] {
        &self.data
    }

    /// The pixels as a grey view (with the frame's resolution), or `None`
    /// when the frame is RGB or empty.
    pub fn gray_view(&self) -> Option<GrayView<'_>> {
        (self.channels == 1)
            .then(|| GrayView::new(&self.data, self.width, self.height, self.width as usize).ok())
            .flatten()
            .map(|v| v.with_ppi(self.ppi))
    }

    /// The pixels as an RGB view, or `None` when the frame is grey or
    /// empty.
    pub fn rgb_view(&self) -> Option<RgbView<'_>> {
        (self.channels == 3)
            .then(|| {
                RgbView::new(&self.data, self.width, self.height, 3 * self.width as usize).ok()
            })
            .flatten()
    }

    /// Replaces the contents with a copy of `px`, reusing the storage.
    fn copy_from(&mut self, px: Pixels<'_>) {
        self.data.clear();
        match px {
            Pixels::Gray(v) => {
                for row in v.rows() {
                    self.data.extend_from_slice(row);
                }
                self.channels = 1;
                self.ppi = v.ppi();
            }
            Pixels::Rgb(v) => {
                for y in 0..v.height() {
                    self.data.extend_from_slice(v.row(y));
                }
                self.channels = 3;
                self.ppi = crate::image::DEFAULT_PPI;
            }
        }
        self.width = px.width();
        self.height = px.height();
    }

    /// The copy as the assessors' input, `None` when empty.
    fn pixels(&self) -> Option<Pixels<'_>> {
        match self.channels {
            1 => self.gray_view().map(Pixels::Gray),
            3 => self.rgb_view().map(Pixels::Rgb),
            _ => None,
        }
    }
}

/// The frame a session captured, or the best it saw before it timed out.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CapturedFrame<R> {
    /// The frame's index in the session: 0 for the first frame pushed
    /// (since [`reset`](FingerprintCapture::reset)), counting every
    /// accepted frame.
    pub index: u64,
    /// The timestamp it was pushed with.
    pub timestamp: Duration,
    /// The score it was chosen by: the print's clarity, or the face's
    /// sharpness (see [`FaceCapture`]).
    pub score: f32,
    /// Its full assessment, exactly as the assessor gives it for these
    /// pixels alone.
    pub report: R,
    /// The policy's verdict on the report.
    pub verdict: Verdict,
    /// A copy of the frame's pixels.
    pub pixels: FramePixels,
}

/// What a capture session says about the frame it was just given.
///
/// States borrow from the session, so nothing is allocated per frame; keep
/// what you need (the captured frame is `Clone`) before the next
/// [`push`](FingerprintCapture::push).
#[derive(Debug, PartialEq)]
#[non_exhaustive]
pub enum CaptureState<'a, R> {
    /// Nothing on the scanner, no face in the picture.
    NoSubject,
    /// Something to fix first: the findings, most actionable first, each
    /// with its operator hint ([`Reason::hint`](crate::Reason::hint)).
    Adjust {
        /// Every reason that applies, most actionable first.
        findings: &'a [Finding],
    },
    /// Nothing to fix: waiting until the subject has held still through a
    /// whole window.
    Steady {
        /// How much of the window has passed, 0..=1 (the lower of the
        /// frames' and the time's share): back to 0 whenever the subject
        /// moves or a frame is not good.
        progress: f32,
    },
    /// Done: the best frame of the first steady window.
    Captured(&'a CapturedFrame<R>),
    /// Done without a capture: the best frame the session saw (a passing
    /// frame before any failing one, then the highest score), fully
    /// assessed, for an operator who decides to accept it.
    TimedOut {
        /// The best frame so far.
        best: &'a CapturedFrame<R>,
        /// Why it fell short.
        shortfall: Shortfall,
    },
}

impl<R> Clone for CaptureState<'_, R> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<R> Copy for CaptureState<'_, R> {}

impl<R> CaptureState<'_, R> {
    /// `"no_subject"`, `"adjust"`, `"steady"`, `"captured"` or
    /// `"timed_out"`.
    pub fn as_str(&self) -> &'static str {
        match self {
            CaptureState::NoSubject => "no_subject",
            CaptureState::Adjust { .. } => "adjust",
            CaptureState::Steady { .. } => "steady",
            CaptureState::Captured(_) => "captured",
            CaptureState::TimedOut { .. } => "timed_out",
        }
    }

    /// `true` for [`Captured`](Self::Captured) and
    /// [`TimedOut`](Self::TimedOut): the session takes no more frames
    /// until it is reset.
    pub fn is_final(&self) -> bool {
        matches!(
            self,
            CaptureState::Captured(_) | CaptureState::TimedOut { .. }
        )
    }

    /// The findings the operator should act on: an `Adjust` state's, or a
    /// timed-out session's best frame's; empty otherwise.
    pub fn findings(&self) -> &[Finding] {
        match self {
            CaptureState::Adjust { findings } => findings,
            CaptureState::TimedOut { best, .. } => &best.verdict.findings,
            _ => &[],
        }
    }

    /// The most actionable finding's hint in `lang`, if any
    /// ([`findings`](Self::findings)).
    pub fn first_hint(&self, lang: Lang) -> Option<&'static str> {
        self.findings().first().map(|f| f.reason.hint(lang))
    }
}

/// A live fingerprint capture's state ([`FingerprintCapture::push`]).
pub type FingerprintState<'a> = CaptureState<'a, FingerprintReport>;
/// A live face capture's state ([`FaceCapture::push`]).
pub type FaceState<'a> = CaptureState<'a, FaceReport>;

/// Orders the frames a session keeps: a fully assessed frame that passes
/// beats one that does not, which beats a frame only previewed; then the
/// higher score; then the earlier frame.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Rank {
    tier: u8,
    score: f32,
}

/// Previewed only ([`Rank::tier`]).
const TIER_PREVIEW: u8 = 0;
/// Fully assessed, retake.
const TIER_RETAKE: u8 = 1;
/// Fully assessed, pass.
const TIER_PASS: u8 = 2;

impl Rank {
    fn beats(&self, other: Option<Rank>) -> bool {
        match other {
            None => true,
            Some(o) => {
                self.tier > o.tier
                    || (self.tier == o.tier && self.score.total_cmp(&o.score).is_gt())
            }
        }
    }
}

/// A kept frame: its rank, index, time and pixels.
#[derive(Debug, Default)]
struct Slot {
    rank: Option<Rank>,
    index: u64,
    timestamp: Duration,
    score: f32,
    pixels: FramePixels,
}

impl Slot {
    /// Keeps the frame when it outranks the one kept; `true` when it did.
    fn offer(&mut self, rank: Rank, index: u64, timestamp: Duration, px: Pixels<'_>) -> bool {
        if !rank.beats(self.rank) {
            return false;
        }
        self.rank = Some(rank);
        self.index = index;
        self.timestamp = timestamp;
        self.score = rank.score;
        self.pixels.copy_from(px);
        true
    }

    fn clear(&mut self) {
        self.rank = None;
    }
}

/// Where a session is.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Phase {
    NoSubject,
    Adjust,
    Steady(f32),
    Captured,
    TimedOut(Shortfall),
}

/// The bookkeeping both sessions share: frame count, clock, the steady
/// run, the frames kept, and the outcome.
#[derive(Debug)]
struct Session<R> {
    config: CaptureConfig,
    /// Frames accepted so far (the next frame's index).
    frames: u64,
    last_time: Option<Duration>,
    /// When the first frame with a subject came: the timeout's start.
    subject_since: Option<Duration>,
    /// The steady run: its first frame's time and its length.
    run: Option<(Duration, u32)>,
    /// The best frame of the steady run.
    run_best: Slot,
    /// The best frame of the session (what a timeout hands over).
    best: Slot,
    phase: Phase,
    /// The captured (or timed-out best) frame.
    out: CapturedFrame<R>,
    /// Full assessments made (candidates and the final frame).
    full_assessments: u64,
    /// The frame size (width, height, bytes a pixel) the kept frames'
    /// buffers are sized for ([`Session::warm_up`]); kept across resets,
    /// as the buffers are.
    warm_for: Option<(u32, u32, u8)>,
}

/// A verdict with room for every reason: judging never grows it.
fn roomy_verdict() -> Verdict {
    let mut verdict = Verdict::default();
    verdict.findings.reserve(Reason::ALL.len());
    verdict
}

impl<R: Default> Session<R> {
    fn new(config: CaptureConfig) -> Result<Self> {
        config.validate()?;
        let out = CapturedFrame::<R> {
            verdict: roomy_verdict(),
            ..CapturedFrame::default()
        };
        Ok(Self {
            config,
            frames: 0,
            last_time: None,
            subject_since: None,
            run: None,
            run_best: Slot::default(),
            best: Slot::default(),
            phase: Phase::NoSubject,
            out,
            full_assessments: 0,
            warm_for: None,
        })
    }
}

impl<R> Session<R> {
    fn reset(&mut self) {
        self.frames = 0;
        self.last_time = None;
        self.subject_since = None;
        self.run = None;
        self.run_best.clear();
        self.best.clear();
        self.phase = Phase::NoSubject;
        self.full_assessments = 0;
    }

    /// On the first frame of a size: sizes every kept frame's pixel buffer
    /// for it and returns `true`, and the session then fully assesses the
    /// frame into the output report, sizing its buffers and the
    /// assessor's (the report is overwritten when the session ends). From
    /// then on neither a first candidate nor the capture allocates,
    /// however late they come.
    fn warm_up(&mut self, px: Pixels<'_>) -> bool {
        let channels = match px {
            Pixels::Gray(_) => 1,
            Pixels::Rgb(_) => 3,
        };
        let size = (px.width(), px.height(), channels);
        if self.warm_for == Some(size) {
            return false;
        }
        self.warm_for = Some(size);
        // Room only: a kept frame of another size keeps its pixels.
        let bytes = px.width() as usize * px.height() as usize * usize::from(channels);
        for pixels in [
            &mut self.out.pixels,
            &mut self.best.pixels,
            &mut self.run_best.pixels,
        ] {
            pixels.data.reserve(bytes.saturating_sub(pixels.data.len()));
        }
        true
    }

    fn is_final(&self) -> bool {
        matches!(self.phase, Phase::Captured | Phase::TimedOut(_))
    }

    /// Ends the session once the kept frame has been fully assessed into
    /// `out` with `score`: captured, or timed out (not steady when the
    /// kept frame passes, a retake when it does not).
    fn end(&mut self, captured: bool, score: f32) {
        self.out.score = score;
        self.phase = if captured {
            Phase::Captured
        } else if self.out.verdict.is_pass() {
            Phase::TimedOut(Shortfall::NotSteady)
        } else {
            Phase::TimedOut(Shortfall::Retake)
        };
    }

    /// Refuses a timestamp earlier than the previous frame's.
    fn check_time(&self, t: Duration) -> Result<()> {
        match self.last_time {
            Some(previous) if t < previous => {
                Err(Error::TimestampOutOfOrder { previous, given: t })
            }
            _ => Ok(()),
        }
    }

    /// Counts a frame in; returns its index.
    fn accept(&mut self, t: Duration) -> u64 {
        self.last_time = Some(t);
        self.frames += 1;
        self.frames - 1
    }

    fn no_subject(&mut self) {
        self.run = None;
        self.phase = Phase::NoSubject;
    }

    fn subject_seen(&mut self, t: Duration) {
        self.subject_since.get_or_insert(t);
    }

    /// Something to fix: the run is over.
    fn adjust(&mut self) {
        self.run = None;
        self.phase = Phase::Adjust;
    }

    /// Nothing to fix, but the subject moved: the run starts over.
    fn moved(&mut self) {
        self.run = None;
        self.phase = Phase::Steady(0.0);
    }

    /// A good, still frame joins the run; `true` when the run is complete.
    fn steady(&mut self, index: u64, t: Duration, score: f32, px: Pixels<'_>) -> bool {
        let (start, n) = match self.run {
            Some((start, n)) => (start, n + 1),
            None => {
                self.run_best.clear();
                (t, 1)
            }
        };
        self.run = Some((start, n));
        let rank = Rank {
            tier: TIER_PASS,
            score,
        };
        self.run_best.offer(rank, index, t, px);
        let span = t.saturating_sub(start);
        let c = &self.config;
        let by_frames = n as f32 / c.frames_required as f32;
        let by_time = if c.window.is_zero() {
            1.0
        } else {
            span.as_secs_f32() / c.window.as_secs_f32()
        };
        let progress = by_frames.min(by_time).clamp(0.0, 1.0);
        self.phase = Phase::Steady(progress);
        n >= c.frames_required && span >= c.window
    }

    fn timed_out(&self, t: Duration) -> bool {
        self.subject_since
            .is_some_and(|s| t.saturating_sub(s) >= self.config.timeout)
    }

    fn state<'a>(&'a self, findings: &'a [Finding]) -> CaptureState<'a, R> {
        match self.phase {
            Phase::NoSubject => CaptureState::NoSubject,
            Phase::Adjust => CaptureState::Adjust { findings },
            Phase::Steady(progress) => CaptureState::Steady { progress },
            Phase::Captured => CaptureState::Captured(&self.out),
            Phase::TimedOut(shortfall) => CaptureState::TimedOut {
                best: &self.out,
                shortfall,
            },
        }
    }

    /// Moves the kept frame `from_run` (the run's best) or the session's
    /// best into the output, for the final assessment; `false` when
    /// nothing was kept.
    fn take(&mut self, from_run: bool) -> bool {
        let slot = if from_run {
            &mut self.run_best
        } else {
            &mut self.best
        };
        if slot.rank.is_none() {
            return false;
        }
        self.out.index = slot.index;
        self.out.timestamp = slot.timestamp;
        self.out.score = slot.score;
        std::mem::swap(&mut self.out.pixels, &mut slot.pixels);
        slot.clear();
        true
    }
}

/// The angle between two ridge or roll directions given in degrees,
/// folded into 0..=90 for ridges (`period` 180) or taken whole.
fn angle_gap(a: f32, b: f32, period: f32) -> f32 {
    let d = (a - b).rem_euclid(period);
    d.min(period - d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_is_validated() {
        assert!(CaptureConfig::default().validate().is_ok());
        let bad = [
            CaptureConfig::default().with_frames_required(0),
            CaptureConfig::default().with_timeout(Duration::from_millis(300)),
            CaptureConfig::default().with_tolerance(0.0),
            CaptureConfig::default().with_tolerance(f32::NAN),
            CaptureConfig::default().with_max_turn_deg(91.0),
            CaptureConfig::default().with_max_roll_change_deg(0.0),
            CaptureConfig::default().with_redetect_every(0),
        ];
        for c in bad {
            assert!(
                matches!(c.validate(), Err(Error::InvalidConfig { .. })),
                "{c:?}"
            );
        }
    }

    #[test]
    fn ranks_order_tier_then_score_then_first() {
        let r = |tier, score| Rank { tier, score };
        assert!(r(TIER_PASS, 10.0).beats(Some(r(TIER_RETAKE, 90.0))));
        assert!(r(TIER_RETAKE, 50.0).beats(Some(r(TIER_RETAKE, 40.0))));
        assert!(!r(TIER_RETAKE, 40.0).beats(Some(r(TIER_RETAKE, 40.0))));
        assert!(r(TIER_PREVIEW, 0.0).beats(None));
    }

    #[test]
    fn run_needs_frames_and_time() {
        let config = CaptureConfig::default()
            .with_frames_required(3)
            .with_window(Duration::from_millis(200));
        let mut s = Session::<()>::new(config).unwrap();
        let buf = [0u8; 16];
        let px = Pixels::Gray(GrayView::new(&buf, 4, 4, 4).unwrap());
        let ms = Duration::from_millis;
        assert!(!s.steady(0, ms(0), 1.0, px));
        assert!(!s.steady(1, ms(100), 3.0, px));
        // Three frames, but only 150 ms.
        assert!(!s.steady(2, ms(150), 2.0, px));
        assert!(matches!(s.phase, Phase::Steady(p) if (p - 0.75).abs() < 1e-6));
        assert!(s.steady(3, ms(200), 2.5, px));
        assert_eq!(s.run_best.index, 1);
        s.moved();
        assert!(!s.steady(4, ms(300), 0.5, px));
        assert_eq!(s.run_best.index, 4);
    }

    #[test]
    fn time_must_not_go_back() {
        let mut s = Session::<()>::new(CaptureConfig::default()).unwrap();
        s.accept(Duration::from_millis(40));
        assert!(s.check_time(Duration::from_millis(40)).is_ok());
        assert_eq!(
            s.check_time(Duration::from_millis(39)),
            Err(Error::TimestampOutOfOrder {
                previous: Duration::from_millis(40),
                given: Duration::from_millis(39)
            })
        );
    }

    #[test]
    fn angle_gaps_fold() {
        assert!((angle_gap(178.0, 2.0, 180.0) - 4.0).abs() < 1e-4);
        assert!((angle_gap(10.0, -10.0, 360.0) - 20.0).abs() < 1e-4);
    }
}

//! The print's own grey levels: what a ridge, a valley and the empty
//! platen look like on this sensor. Moisture and smudge evidence is
//! measured against these, so it holds across sensors.
//!
//! Ridges are taken to be darker than valleys, as optical (TIR) and most
//! capacitive sensors render them; a sensor with the opposite polarity
//! should be inverted by the caller.

use super::BlockMaps;
use ndarray::Array2;

/// Reference grey levels of one print.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub(crate) struct Levels {
    /// Median ridge grey (profile minimum) over clear foreground blocks.
    pub(crate) ridge: f32,
    /// Median valley grey (profile maximum) over clear foreground blocks.
    pub(crate) valley: f32,
    /// Median ridge-to-valley amplitude over clear foreground blocks.
    pub(crate) amplitude: f32,
    /// Grey of the visible platen (median of the background blocks away
    /// from the finger), if enough of it is visible.
    pub(crate) platen: Option<f32>,
    /// The empty sensor around the finger is grey, well below the valley
    /// level: most of the image's outer ring of blocks is background, and
    /// its median grey is a quarter of the ridge-to-valley range or more
    /// below the valleys (thermal sweeps and some capacitive chips draw
    /// the empty sensor grey, between ridge and valley; an optical prism's
    /// empty platen is as light as the valleys or lighter).
    pub(crate) dark_platen: bool,
}

impl Levels {
    /// Measures the levels. `values` is scratch.
    pub(crate) fn measure(b: &BlockMaps, fg: &Array2<bool>, values: &mut Vec<f32>) -> Self {
        let clear = |idx: (usize, usize)| fg[idx] && b.clarity[idx] >= 0.5 && b.period[idx] > 0.0;
        let mut median_of = |f: &dyn Fn((usize, usize)) -> Option<f32>| {
            values.clear();
            values.extend(fg.indexed_iter().filter_map(|(idx, _)| f(idx)));
            super::median(values)
        };
        let ridge = median_of(&|i| clear(i).then(|| b.mean[i] - 0.5 * b.amplitude[i]));
        let valley = median_of(&|i| clear(i).then(|| b.mean[i] + 0.5 * b.amplitude[i]));
        let amplitude = median_of(&|i| clear(i).then(|| b.amplitude[i]));
        let (h, w) = fg.dim();
        let away = |(y, x): (usize, usize)| {
            (y.saturating_sub(1)..(y + 2).min(h))
                .all(|yy| (x.saturating_sub(1)..(x + 2).min(w)).all(|xx| !fg[(yy, xx)]))
        };
        values.clear();
        values.extend(
            fg.indexed_iter()
                .filter(|&(i, _)| away(i))
                .map(|(i, _)| b.mean[i]),
        );
        // Eight blocks (2 mm²) of visible platen make a usable reference.
        let platen = (values.len() >= 8).then(|| super::median(values));
        let ring = 2 * (h + w).saturating_sub(2);
        values.clear();
        values.extend(
            fg.indexed_iter()
                .filter(|&((y, x), &m)| !m && (y == 0 || x == 0 || y + 1 == h || x + 1 == w))
                .map(|(i, _)| b.mean[i]),
        );
        let dark_platen = ring > 0
            && 2 * values.len() >= ring
            && super::median(values) <= valley - 0.25 * (valley - ridge);
        Self {
            ridge,
            valley,
            amplitude,
            platen,
            dark_platen,
        }
    }

    /// A wet blob: about as dark as the ridges themselves (within 15 % of the
    /// ridge-to-valley range above the ridge level: sweat fills the valleys
    /// with ridge-dark contact, where a blur averages to mid grey), with
    /// little ridge detail left (grey spread under a quarter of the print's
    /// ridge amplitude; clean ridges spread about 0.35 of it) and no
    /// direction to what is left (coherence under 0.4): pooled sweat is
    /// shapeless, while a dark smear keeps the streaks of the drag.
    pub(crate) fn is_wet_blob(&self, b: &BlockMaps, idx: (usize, usize)) -> bool {
        self.amplitude > 0.0
            && b.mean[idx] <= self.ridge + 0.15 * (self.valley - self.ridge)
            && b.std_dev[idx] < 0.25 * self.amplitude
            && b.coherence[idx] < 0.4
    }

    /// Touched: darker than an untouched platen could be, whatever its
    /// ridge detail. Smears and blurred contact look like this. The
    /// reference is the visible platen, or, where the finger covers it, the
    /// valley level (valleys are the skin that does not touch, so an empty
    /// platen is at least that light). Darker means more than half way
    /// from the reference towards the print's mid grey. Where the empty
    /// sensor is itself grey ([`dark_platen`](Self::dark_platen)), grey
    /// level cannot tell touched from untouched, and nothing is.
    pub(crate) fn is_touched(&self, b: &BlockMaps, idx: (usize, usize)) -> bool {
        if self.dark_platen {
            return false;
        }
        let mid = 0.5 * (self.ridge + self.valley);
        let reference = self.platen.unwrap_or(self.valley).max(self.valley);
        reference - mid > 5.0 && b.mean[idx] < reference - 0.5 * (reference - mid)
    }

    /// A dry fragment: light (within a quarter of the range of the valley
    /// level, or lighter) with little ridge detail (amplitude under 40 % of
    /// the print's).
    pub(crate) fn is_dry_fragment(&self, b: &BlockMaps, idx: (usize, usize)) -> bool {
        self.amplitude > 0.0
            && b.mean[idx] >= self.valley - 0.25 * (self.valley - self.ridge)
            && b.std_dev[idx] < 0.4 * 0.5 * self.amplitude
    }
}

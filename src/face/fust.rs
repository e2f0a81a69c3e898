//! SeetaFace's funnel-structured cascade, evaluated by biocapture itself.
//!
//! The frontal face model that ships inside the `rustface` package
//! (SeetaFace Engine's `seeta_fd_frontal_v1.0.bin`, BSD-2) is a funnel of
//! classifiers (Wu, Kan, Shan and Chen, "Funnel-structured cascade for
//! multi-view face detection with alignment-awareness", Neurocomputing
//! 2017):
//!
//! 1. three boosted classifiers on LAB features (locally assembled binary:
//!    how a 3x3 px block compares with its eight neighbours), the funnel's
//!    view-specific top, slide a 40 px window over every pyramid level;
//! 2. their windows, merged where they overlap, are cut from the working
//!    image, resized to 40x40, described by SURF-like gradient histograms
//!    and re-scored by small multi-layer perceptrons, which also nudge each
//!    box; the last one sees all poses' windows together.
//!
//! `rustface` evaluates the same model. This module reproduces its
//! decisions (the same pyramid, the same bilinear resizing, the same
//! integer features, the same merging) and differs only in the perceptrons'
//! sums, which run in eight lanes instead of one after the other, so a
//! score can differ in its last bits. The `matches_rustface` tests hold
//! the two to the same boxes.
//!
//! It exists for speed. On the 640x480 small-face bench frame rustface's
//! engine took 6.1 of the assessment's 10.2 ms; with the same settings
//! this module takes about 60 % of its time. The savings: the perceptron
//! sums in eight lanes, a bilinear resize that interpolates each source
//! row once (bit for bit the same bytes), integral images held as arrays
//! of eight channels, branch-free gradient channels, and no allocation
//! per window or per frame once warm.

use super::model_io::Reader;

/// Side of the sliding window and of the perceptron stages' samples, px.
pub(crate) const WINDOW: usize = 40;

/// A window's pixels must vary by more than this (standard deviation in
/// grey levels) to be a face.
const MIN_WINDOW_SD: f64 = 10.0;

/// LAB base classifiers are summed in groups of this many before the
/// running score is checked against the group's threshold.
const LAB_GROUP: usize = 10;

/// Side of a LAB block, px: a code compares the centre block of a 3x3
/// arrangement of these with its eight neighbours.
const LAB_BLOCK: usize = 3;

/// Gradient channels per pixel of the perceptron stages' features: x and
/// |x| gradient split by the sign of the y gradient, and y and |y| split
/// by the sign of the x gradient.
const CHANNELS: usize = 8;

/// Overlap (intersection over union) above which windows are merged
/// between stages, and at the very end.
const MERGE_IOU: f32 = 0.8;
const FINAL_IOU: f32 = 0.3;

/// A box in working-image pixels (square in practice) and its score.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Candidate {
    pub(crate) x: i32,
    pub(crate) y: i32,
    pub(crate) width: u32,
    pub(crate) height: u32,
    pub(crate) score: f64,
}

/// One boosted LAB classifier.
#[derive(Debug)]
struct Lab {
    /// Each base classifier's LAB code position inside the window.
    offsets: Vec<(usize, usize)>,
    /// Running-score threshold after each base classifier (only every
    /// tenth is used).
    thresholds: Vec<f32>,
    /// Each base classifier's weight per code, `bins` per classifier.
    weights: Vec<f32>,
    bins: usize,
}

/// One fully connected layer: `weights` is `outputs` rows of `inputs`.
#[derive(Debug)]
struct Dense {
    inputs: usize,
    outputs: usize,
    weights: Vec<f32>,
    biases: Vec<f32>,
}

/// One perceptron stage: its features (indices into the patch pool),
/// the face threshold on its first output, and its layers (ReLU between,
/// a sigmoid on the last, whose outputs are the score and the box's
/// shifts and size change).
#[derive(Debug)]
struct Mlp {
    patches: Vec<usize>,
    threshold: f32,
    layers: Vec<Dense>,
}

/// A classifier of the funnel.
#[derive(Debug)]
enum Stage {
    Lab(Lab),
    Mlp(Mlp),
}

/// A run of stages that refines one list of windows, and the lists of the
/// previous hierarchy level it starts from.
#[derive(Debug)]
struct Group {
    stages: std::ops::Range<usize>,
    sources: Vec<usize>,
}

/// A parsed model.
#[derive(Debug)]
pub(crate) struct Cascade {
    stages: Vec<Stage>,
    levels: Vec<Vec<Group>>,
    patches: Vec<Patch>,
}

/// A feature's patch inside the 40x40 sample, split into 2x2 cells.
#[derive(Debug, Clone, Copy)]
struct Patch {
    x: usize,
    y: usize,
    width: usize,
    height: usize,
}

/// The perceptron features' patches, in the order the model numbers them:
/// for each aspect (width : height of 1:1, 1:2, 2:1, 2:3, 3:2), every size
/// from 16 px up to the whole sample whose sides split evenly into 2x2
/// cells, at every position on a 16 px grid.
fn patch_pool() -> Vec<Patch> {
    const SHAPES: [(usize, usize); 5] = [(1, 1), (1, 2), (2, 1), (2, 3), (3, 2)];
    const STEP: usize = 16;
    const MIN: usize = 16;
    let mut pool = Vec::new();
    for (fw, fh) in SHAPES {
        for height in MIN..=WINDOW {
            if height % 2 != 0 || height % fh != 0 {
                continue;
            }
            let width = height / fh * fw;
            if width % 2 != 0 || !(MIN..=WINDOW).contains(&width) {
                continue;
            }
            for y in (0..=WINDOW - height).step_by(STEP) {
                for x in (0..=WINDOW - width).step_by(STEP) {
                    pool.push(Patch {
                        x,
                        y,
                        width,
                        height,
                    });
                }
            }
        }
    }
    pool
}

/// Upper bound on any count in the model (the real ones are a few hundred
/// at most): a corrupt file cannot ask for huge allocations.
const MAX_COUNT: usize = 1 << 20;

impl Cascade {
    /// Parses SeetaFace's model format; `None` when the bytes are not a
    /// well-formed model this module can run.
    pub(crate) fn parse(bytes: &[u8]) -> Option<Self> {
        let patches = patch_pool();
        let mut r = Reader::new(bytes);
        let mut stages = Vec::new();
        let mut levels = Vec::new();
        for _ in 0..r.count(64)? {
            let mut groups = Vec::new();
            for _ in 0..r.count(64)? {
                let start = stages.len();
                for _ in 0..r.count(64)? {
                    stages.push(match r.count(2)? {
                        0 => Stage::Lab(Self::parse_lab(&mut r)?),
                        _ => Stage::Mlp(Self::parse_mlp(&mut r, patches.len())?),
                    });
                }
                // A negative count means no sources.
                let n = i32::from_le_bytes(r.u32()?.to_le_bytes()).max(0);
                let sources = (0..n).map(|_| r.count(64)).collect::<Option<Vec<_>>>()?;
                groups.push(Group {
                    stages: start..stages.len(),
                    sources,
                });
            }
            levels.push(groups);
        }
        let cascade = Self {
            stages,
            levels,
            patches,
        };
        cascade.is_runnable().then_some(cascade)
    }

    fn parse_lab(r: &mut Reader<'_>) -> Option<Lab> {
        let n = r.count(MAX_COUNT)?;
        let bins = r.count(MAX_COUNT)? + 1;
        // A code's position must leave its 9x9 px block inside the window.
        let max_offset = WINDOW - LAB_BLOCK * 3;
        let offsets = (0..n)
            .map(|_| Some((r.count(max_offset + 1)?, r.count(max_offset + 1)?)))
            .collect::<Option<Vec<_>>>()?;
        let thresholds = r.f32s(n)?;
        let weights = r.f32s(n.checked_mul(bins)?)?;
        // Codes are bytes: every one must have a weight.
        (bins >= 256).then_some(Lab {
            offsets,
            thresholds,
            weights,
            bins,
        })
    }

    fn parse_mlp(r: &mut Reader<'_>, pool: usize) -> Option<Mlp> {
        let num_layers = r.count(64)?;
        let num_features = r.count(pool + 1)?;
        let patches = (0..num_features)
            // The model numbers features from 1.
            .map(|_| r.count(pool + 1)?.checked_sub(1))
            .collect::<Option<Vec<_>>>()?;
        let threshold = r.f32()?;
        let mut inputs = r.count(MAX_COUNT)?;
        let mut layers = Vec::new();
        for _ in 1..num_layers {
            let outputs = r.count(MAX_COUNT)?;
            let weights = r.f32s(inputs.checked_mul(outputs)?)?;
            let biases = r.f32s(outputs)?;
            layers.push(Dense {
                inputs,
                outputs,
                weights,
                biases,
            });
            inputs = outputs;
        }
        Some(Mlp {
            patches,
            threshold,
            layers,
        })
    }

    /// Whether the parsed model has the shape the detection loop relies
    /// on: LAB stages first and alone, perceptrons after, layer sizes that
    /// chain, four outputs, sources that exist.
    fn is_runnable(&self) -> bool {
        let Some((first, rest)) = self.levels.split_first() else {
            return false;
        };
        let lab_only = first
            .iter()
            .all(|g| g.stages.len() == 1 && matches!(self.stages[g.stages.start], Stage::Lab(_)));
        let mut width = first.len();
        for level in rest {
            if level.len() > first.len() {
                return false;
            }
            for g in level {
                if g.sources.is_empty() || g.sources.iter().any(|&s| s >= width) {
                    return false;
                }
            }
            width = level.len();
        }
        let mlps_ok = rest.iter().flatten().all(|g| {
            !g.stages.is_empty()
                && self.stages[g.stages.clone()].iter().all(|s| match s {
                    Stage::Mlp(m) => {
                        let input = m.patches.len() * 4 * CHANNELS;
                        let chained = m
                            .layers
                            .iter()
                            .try_fold(input, |n, l| (l.inputs == n).then_some(l.outputs));
                        !m.layers.is_empty() && chained == Some(4)
                    }
                    Stage::Lab(_) => false,
                })
        });
        lab_only && !first.is_empty() && mlps_ok
    }
}

/// Reusable buffers for [`Cascade::detect`].
#[derive(Debug, Default, Clone)]
pub(crate) struct CascadeScratch {
    level: Vec<u8>,
    integral: Vec<u64>,
    integral_sq: Vec<u64>,
    blocks: Vec<u32>,
    codes: Vec<u8>,
    crop: Vec<u8>,
    sample: Vec<u8>,
    cells: Vec<Channels>,
    resize: ResizeRows,
    features: Vec<f32>,
    hidden: [Vec<f32>; 2],
    lists: Vec<Vec<Candidate>>,
    merged: Vec<Vec<Candidate>>,
    taken: Vec<bool>,
    firsts: Vec<usize>,
}

/// Search settings, in working-image pixels.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Search {
    /// Largest face searched (the pyramid stops where the window spans it).
    pub(crate) max_face: usize,
    /// Window step on every pyramid level.
    pub(crate) step: usize,
    /// Pyramid scale factor between levels, in (0.01, 0.99) (others are
    /// taken as 0.8).
    pub(crate) pyramid_factor: f32,
}

impl Cascade {
    /// Faces in the `width` x `height` grey image `px` (contiguous rows),
    /// before the final score threshold, appended to `out`.
    pub(crate) fn detect(
        &self,
        px: &[u8],
        width: usize,
        height: usize,
        search: Search,
        s: &mut CascadeScratch,
        out: &mut Vec<Candidate>,
    ) {
        if width < WINDOW || height < WINDOW || px.len() < width * height {
            return;
        }
        let px = &px[..width * height];
        let first = &self.levels[0];
        s.lists.resize_with(first.len(), Vec::new);
        s.merged.resize_with(first.len(), Vec::new);
        for l in s.lists.iter_mut().chain(s.merged.iter_mut()) {
            l.clear();
        }
        self.reserve(width, height, search, s);
        out.reserve(s.lists[0].capacity().saturating_sub(out.len()));
        for (scale, lw, lh) in pyramid(width, height, search) {
            let mut level = std::mem::take(&mut s.level);
            resize_bilinear(px, (width, height), (lw, lh), &mut level, &mut s.resize);
            self.scan_level(&level, lw, lh, scale, search.step, s);
            s.level = level;
        }
        for (list, merged) in s.lists.iter_mut().zip(s.merged.iter_mut()) {
            merge(list, merged, MERGE_IOU, &mut s.taken);
            list.clear();
        }
        // The perceptron levels, on windows cut from the image as given.
        let last = self.levels.len() - 1;
        for (li, level) in self.levels.iter().enumerate().skip(1) {
            s.firsts.clear();
            for group in level {
                let r = group.sources[0];
                let mut list = std::mem::take(&mut s.lists[r]);
                list.clear();
                for &k in &group.sources {
                    list.extend_from_slice(&s.merged[k]);
                }
                let n_stages = group.stages.len();
                for (k, stage) in self.stages[group.stages.clone()].iter().enumerate() {
                    let Stage::Mlp(mlp) = stage else {
                        continue;
                    };
                    list = self.refine(mlp, list, px, width, height, s);
                    if k + 1 < n_stages {
                        merge(&mut list, &mut s.merged[r], MERGE_IOU, &mut s.taken);
                        list.clone_from(&s.merged[r]);
                    } else if li == last {
                        merge(&mut list, &mut s.merged[r], FINAL_IOU, &mut s.taken);
                        list.clone_from(&s.merged[r]);
                    }
                }
                s.lists[r] = list;
                s.firsts.push(r);
            }
            // Each group's list becomes the next level's source `j`
            // (copied into kept storage: no allocation once warm).
            for (j, &r) in s.firsts.iter().enumerate() {
                s.merged[j].clone_from(&s.lists[r]);
            }
        }
        out.extend_from_slice(&s.merged[0]);
    }

    /// Gives every buffer of `s` room for a `width` x `height` search:
    /// as many candidates as the pyramid has windows (in every list, as a
    /// later level's list joins its sources'), and crops up to twice the
    /// shorter side (a scanned window spans that side at most; only a
    /// perceptron stage resizing one past twice it would still allocate).
    /// So a later frame of the same size that shows more candidates than
    /// the ones before (a face walking into an empty scene) allocates
    /// nothing. Reserved memory is only address space until a frame
    /// writes it.
    fn reserve(&self, width: usize, height: usize, search: Search, s: &mut CascadeScratch) {
        fn room<T>(v: &mut Vec<T>, n: usize) {
            v.reserve(n.saturating_sub(v.len()));
        }
        let step = search.step.max(1);
        let (mut windows, mut widest) = (0usize, 0usize);
        for (_, lw, lh) in pyramid(width, height, search) {
            windows += ((lw - WINDOW) / step + 1) * ((lh - WINDOW) / step + 1);
            widest = widest.max(lw);
        }
        let candidates = windows.saturating_mul(s.lists.len().max(1));
        for l in s.lists.iter_mut().chain(s.merged.iter_mut()) {
            room(l, candidates);
        }
        room(&mut s.taken, candidates);
        room(&mut s.firsts, s.lists.len());
        let side = 2 * width.min(height);
        room(&mut s.crop, side.saturating_mul(side));
        room(&mut s.sample, WINDOW * WINDOW);
        room(&mut s.cells, (WINDOW + 1) * (WINDOW + 1));
        let (mut features, mut widest_layer) = (0, 0);
        for stage in &self.stages {
            if let Stage::Mlp(m) = stage {
                features = features.max(m.patches.len() * 4 * CHANNELS);
                for l in &m.layers {
                    widest_layer = widest_layer.max(l.inputs.max(l.outputs));
                }
            }
        }
        room(&mut s.features, features);
        for h in &mut s.hidden {
            room(h, widest_layer.max(features));
        }
        room(&mut s.resize.columns, widest.max(WINDOW));
        for r in &mut s.resize.rows {
            room(r, widest.max(WINDOW));
        }
    }

    /// Slides the window over one pyramid level with every LAB stage.
    fn scan_level(
        &self,
        level: &[u8],
        w: usize,
        h: usize,
        scale: f32,
        step: usize,
        s: &mut CascadeScratch,
    ) {
        lab_features(level, w, h, s);
        let side = (WINDOW as f32 / scale + 0.5) as u32;
        let step = step.max(1);
        for y in (0..=h - WINDOW).step_by(step) {
            for x in (0..=w - WINDOW).step_by(step) {
                for (list, group) in s.lists.iter_mut().zip(&self.levels[0]) {
                    let Stage::Lab(lab) = &self.stages[group.stages.start] else {
                        continue;
                    };
                    let Some(score) = lab.classify(&s.codes, w, x, y) else {
                        continue;
                    };
                    if window_sd(&s.integral, &s.integral_sq, w, x, y) <= MIN_WINDOW_SD {
                        continue;
                    }
                    list.push(Candidate {
                        x: (x as f32 / scale + 0.5) as i32,
                        y: (y as f32 / scale + 0.5) as i32,
                        width: side,
                        height: side,
                        score: f64::from(score),
                    });
                }
            }
        }
    }

    /// Runs one perceptron stage over `list`: keeps the windows it calls a
    /// face, each moved and resized as the stage says, with its score.
    fn refine(
        &self,
        mlp: &Mlp,
        mut list: Vec<Candidate>,
        px: &[u8],
        width: usize,
        height: usize,
        s: &mut CascadeScratch,
    ) -> Vec<Candidate> {
        let mut kept = 0;
        for m in 0..list.len() {
            let mut c = list[m];
            if c.x + c.width as i32 <= 0 || c.y + c.height as i32 <= 0 {
                continue;
            }
            // Cut the window (zeros outside the image) and bring it to 40x40;
            // a window hanging off the top or left is moved to start at 0
            // (its size kept), as SeetaFace does.
            cut_window(px, width, height, &mut c, &mut s.crop);
            resize_bilinear(
                &s.crop,
                (c.width as usize, c.height as usize),
                (WINDOW, WINDOW),
                &mut s.sample,
                &mut s.resize,
            );
            gradient_cells(&s.sample, &mut s.cells);
            s.features.clear();
            for &p in &mlp.patches {
                push_feature(&s.cells, self.patches[p], &mut s.features);
            }
            let out = mlp.forward(&s.features, &mut s.hidden);
            // Not a face (a NaN score is not one either).
            if out[0].partial_cmp(&mlp.threshold) != Some(std::cmp::Ordering::Greater) {
                continue;
            }
            let (x, y, w, h) = (c.x as f32, c.y as f32, c.width as f32, c.height as f32);
            let side = ((out[3] * 2.0 - 1.0) * w + w + 0.5).floor();
            list[kept] = Candidate {
                x: ((out[1] * 2.0 - 1.0) * w + x + (w - side) * 0.5 + 0.5).floor() as i32,
                y: ((out[2] * 2.0 - 1.0) * h + y + (h - side) * 0.5 + 0.5).floor() as i32,
                width: side as u32,
                height: side as u32,
                score: f64::from(out[0]),
            };
            kept += 1;
        }
        list.truncate(kept);
        list
    }
}

impl Lab {
    /// The boosted score of the window at (`x`, `y`), or `None` when a
    /// group's running score falls under its threshold.
    fn classify(&self, codes: &[u8], w: usize, x: usize, y: usize) -> Option<f32> {
        let mut score = 0f32;
        let n = self.offsets.len();
        let mut i = 0;
        while i < n {
            let end = (i + LAB_GROUP).min(n);
            for j in i..end {
                let (ox, oy) = self.offsets[j];
                let code = usize::from(codes[(y + oy) * w + x + ox]);
                score += self.weights[j * self.bins + code];
            }
            i = end;
            if score < self.thresholds[end - 1] {
                return None;
            }
        }
        Some(score)
    }
}

impl Mlp {
    /// The layers on `input`; returns the last layer's four outputs.
    fn forward(&self, input: &[f32], hidden: &mut [Vec<f32>; 2]) -> [f32; 4] {
        let [a, b] = hidden;
        a.clear();
        a.extend_from_slice(input);
        let last = self.layers.len() - 1;
        for (i, layer) in self.layers.iter().enumerate() {
            b.clear();
            for (row, &bias) in layer.weights.chunks_exact(layer.inputs).zip(&layer.biases) {
                let x = dot(a, row) + bias;
                b.push(if i == last {
                    1.0 / (1.0 + (-x).exp())
                } else {
                    x.max(0.0)
                });
            }
            std::mem::swap(a, b);
        }
        let mut out = [0f32; 4];
        for (o, &v) in out.iter_mut().zip(a.iter()) {
            *o = v;
        }
        out
    }
}

/// Inner product in eight independent lanes (the compiler keeps them in
/// vector registers).
fn dot(a: &[f32], b: &[f32]) -> f32 {
    const LANES: usize = 8;
    let mut acc = [0f32; LANES];
    let (ca, cb) = (a.chunks_exact(LANES), b.chunks_exact(LANES));
    let tail: f32 = ca
        .remainder()
        .iter()
        .zip(cb.remainder())
        .map(|(x, y)| x * y)
        .sum();
    for (xa, xb) in ca.zip(cb) {
        for ((s, x), y) in acc.iter_mut().zip(xa).zip(xb) {
            *s += x * y;
        }
    }
    let (lo, hi) = acc.split_at(4);
    let pairs: [f32; 4] = std::array::from_fn(|i| lo[i] + hi[i]);
    (pairs[0] + pairs[2]) + (pairs[1] + pairs[3]) + tail
}

/// Scratch for [`resize_bilinear`]: per output column the left source
/// pixel and its two weights, and two horizontally interpolated rows.
#[derive(Debug, Default, Clone)]
struct ResizeRows {
    columns: Vec<(usize, f64, f64)>,
    rows: [Vec<f64>; 2],
}

/// SeetaFace's bilinear resize (double precision, truncated to a byte),
/// `src` (`sw` x `sh`) into `dst` (`dw` x `dh`); `s` is scratch. The same
/// as the source when the sizes match.
fn resize_bilinear(
    src: &[u8],
    (sw, sh): (usize, usize),
    (dw, dh): (usize, usize),
    dst: &mut Vec<u8>,
    s: &mut ResizeRows,
) {
    dst.clear();
    let Some(src) = src.get(..sw * sh) else {
        dst.resize(dw * dh, 0);
        return;
    };
    if sw == dw && sh == dh {
        dst.extend_from_slice(src);
        return;
    }
    if sw < 2 || sh < 2 || dw == 0 || dh == 0 {
        dst.resize(dw * dh, 0);
        return;
    }
    let (sx, sy) = (sw as f64 / dw as f64, sh as f64 / dh as f64);
    // The interpolation is separable: each output pixel blends, by its
    // row's weights, two horizontal interpolations of source rows `iy` and
    // `iy + 1`, each computed as in SeetaFace's one expression, so the
    // bytes come out the same. A source row's interpolation is made once
    // and reused by the next output row when it needs it too.
    let ResizeRows { columns, rows } = s;
    columns.clear();
    columns.extend((0..dw).map(|x| {
        let fx = sx * x as f64;
        let ix = (fx as usize).min(sw - 2);
        let wx = fx - ix as f64;
        (ix, wx, 1.0 - wx)
    }));
    let interpolate = |iy: usize, out: &mut Vec<f64>| {
        let r = &src[iy * sw..(iy + 1) * sw];
        out.clear();
        out.extend(
            columns
                .iter()
                .map(|&(ix, wx, vx)| vx * f64::from(r[ix]) + wx * f64::from(r[ix + 1])),
        );
    };
    let [upper, lower] = rows;
    let mut have = usize::MAX;
    for y in 0..dh {
        let fy = sy * y as f64;
        let iy = (fy as usize).min(sh - 2);
        let wy = fy - iy as f64;
        if iy != have {
            if have.checked_add(1) == Some(iy) {
                std::mem::swap(upper, lower);
            } else {
                interpolate(iy, upper);
            }
            interpolate(iy + 1, lower);
            have = iy;
        }
        let vy = 1.0 - wy;
        dst.extend(
            upper
                .iter()
                .zip(lower.iter())
                .map(|(&a, &b)| (vy * a + wy * b) as u8),
        );
    }
}

/// Integral images of the level (grey values and their squares, with a
/// zero row and column in front) and its LAB codes.
fn lab_features(level: &[u8], w: usize, h: usize, s: &mut CascadeScratch) {
    let iw = w + 1;
    // Every entry but the zero first row and column is written below, so
    // the buffers are only resized, not cleared.
    for t in [&mut s.integral, &mut s.integral_sq] {
        t.resize(iw * (h + 1), 0);
        t[..iw].fill(0);
    }
    for y in 0..h {
        let (mut run, mut run_sq) = (0u64, 0u64);
        s.integral[(y + 1) * iw] = 0;
        s.integral_sq[(y + 1) * iw] = 0;
        for x in 0..w {
            let v = u64::from(level[y * w + x]);
            run += v;
            run_sq += v * v;
            s.integral[(y + 1) * iw + x + 1] = s.integral[y * iw + x + 1] + run;
            s.integral_sq[(y + 1) * iw + x + 1] = s.integral_sq[y * iw + x + 1] + run_sq;
        }
    }
    // 3x3 block sums, indexed by their top-left pixel.
    let (bw, bh) = (w - LAB_BLOCK + 1, h - LAB_BLOCK + 1);
    s.blocks.clear();
    for y in 0..bh {
        for x in 0..bw {
            s.blocks
                .push(box_sum(&s.integral, iw, x, y, LAB_BLOCK) as u32);
        }
    }
    // Codes at every position whose 9x9 block fits; the bit order is
    // SeetaFace's (clockwise from the top left is 0x80, 0x40, 0x20, 0x08,
    // 0x01, 0x02, 0x04, 0x10).
    // Positions nearer the right or bottom edge than that are never read
    // (a code's offset in the window is at most 31), so they are left as
    // they were.
    s.codes.resize(w * h, 0);
    let span = LAB_BLOCK * 3;
    for y in 0..=h - span {
        for x in 0..=w - span {
            let b = |dy: usize, dx: usize| s.blocks[(y + dy * LAB_BLOCK) * bw + x + dx * LAB_BLOCK];
            let centre = b(1, 1);
            let mut code = 0u8;
            for (bit, (dy, dx)) in [
                (0x80, (0, 0)),
                (0x40, (0, 1)),
                (0x20, (0, 2)),
                (0x08, (1, 2)),
                (0x01, (2, 2)),
                (0x02, (2, 1)),
                (0x04, (2, 0)),
                (0x10, (1, 0)),
            ] {
                if centre >= b(dy, dx) {
                    code |= bit;
                }
            }
            s.codes[y * w + x] = code;
        }
    }
}

/// Sum of the `side` x `side` box with top-left pixel (x, y), from an
/// integral image `iw` entries wide with a zero first row and column.
fn box_sum(t: &[u64], iw: usize, x: usize, y: usize, side: usize) -> u64 {
    t[(y + side) * iw + x + side] + t[y * iw + x] - t[y * iw + x + side] - t[(y + side) * iw + x]
}

/// Standard deviation of the grey values in the 40 px window at (x, y),
/// from the integral images (level width `w`).
fn window_sd(integral: &[u64], integral_sq: &[u64], w: usize, x: usize, y: usize) -> f64 {
    let area = (WINDOW * WINDOW) as f64;
    let mean = box_sum(integral, w + 1, x, y, WINDOW) as f64 / area;
    let m2 = box_sum(integral_sq, w + 1, x, y, WINDOW) as f64 / area;
    (m2 - mean * mean).sqrt()
}

/// Copies the window `c` out of the image (zeros where it leaves it);
/// a window starting left of or above the image is moved to start at 0.
fn cut_window(px: &[u8], width: usize, height: usize, c: &mut Candidate, out: &mut Vec<u8>) {
    let (cw, ch) = (c.width as usize, c.height as usize);
    out.clear();
    out.resize(cw * ch, 0);
    // SeetaFace pads by the window's overhang on each side and copies the
    // rest from the moved origin; the copied span is the window's width
    // less both overhangs.
    let (x, y) = (i64::from(c.x), i64::from(c.y));
    let pad_left = (-x).max(0);
    let pad_top = (-y).max(0);
    let pad_right = (x + cw as i64 - width as i64).max(0);
    let pad_bottom = (y + ch as i64 - height as i64).max(0);
    c.x = c.x.max(0);
    c.y = c.y.max(0);
    let copy_w = cw as i64 - pad_left - pad_right;
    let rows = ch as i64 - pad_top - pad_bottom;
    if copy_w <= 0 || rows <= 0 {
        return;
    }
    let (x0, y0) = (c.x as usize, c.y as usize);
    for r in 0..rows as usize {
        let sy = y0 + r;
        if sy >= height || x0 >= width {
            break;
        }
        let n = (copy_w as usize).min(width - x0);
        let dst = (pad_top as usize + r) * cw + pad_left as usize;
        out[dst..dst + n].copy_from_slice(&px[sy * width + x0..sy * width + x0 + n]);
    }
}

/// Gradient channel sums of one pixel or one region.
type Channels = [i32; CHANNELS];

/// The 40x40 sample's gradient channels, summed into an integral image:
/// `cells[y * 41 + x]` holds the sums over the sample's rows `< y` and
/// columns `< x`.
fn gradient_cells(sample: &[u8], cells: &mut Vec<Channels>) {
    const N: usize = WINDOW;
    const IW: usize = N + 1;
    cells.resize(IW * IW, [0; CHANNELS]);
    cells[..IW].fill([0; CHANNELS]);
    let Some(sample) = sample.get(..N * N) else {
        cells.fill([0; CHANNELS]);
        return;
    };
    let row = |y: usize| &sample[y * N..(y + 1) * N];
    for y in 0..N {
        // Central differences, one-sided (and doubled) at the borders.
        let (up, here, down) = (row(y.saturating_sub(1)), row(y), row((y + 1).min(N - 1)));
        let y_scale = if y == 0 || y == N - 1 { 2 } else { 1 };
        let (prev, rest) = cells.split_at_mut((y + 1) * IW);
        let (above, current) = (&prev[y * IW..], &mut rest[..IW]);
        current[0] = [0; CHANNELS];
        let mut run = [0i32; CHANNELS];
        for x in 0..N {
            let dx = match x {
                0 => (i32::from(here[1]) - i32::from(here[0])) * 2,
                _ if x == N - 1 => (i32::from(here[x]) - i32::from(here[x - 1])) * 2,
                _ => i32::from(here[x + 1]) - i32::from(here[x - 1]),
            };
            let dy = (i32::from(down[x]) - i32::from(up[x])) * y_scale;
            // Each gradient and its magnitude, kept in the half of the
            // channels that matches the other gradient's sign (all-ones
            // masks, so the eight lanes go through vector registers).
            let (my, mx) = (-i32::from(dy < 0), -i32::from(dx < 0));
            let (ax, ay) = (dx.abs(), dy.abs());
            let value = [dx, ax, dx, ax, dy, ay, dy, ay];
            let mask = [!my, !my, my, my, !mx, !mx, mx, mx];
            for k in 0..CHANNELS {
                run[k] += value[k] & mask[k];
            }
            let (a, c) = (&above[x + 1], &mut current[x + 1]);
            for k in 0..CHANNELS {
                c[k] = a[k] + run[k];
            }
        }
    }
}

/// Appends a patch's feature: its 2x2 cells' channel sums (row by row,
/// eight channels each), scaled to unit length.
fn push_feature(cells: &[Channels], p: Patch, out: &mut Vec<f32>) {
    const IW: usize = WINDOW + 1;
    let (cw, ch) = (p.width / 2, p.height / 2);
    let mut raw = [0i32; 4 * CHANNELS];
    for (i, dst) in raw.chunks_exact_mut(CHANNELS).enumerate() {
        let (x0, y0) = (p.x + (i % 2) * cw, p.y + (i / 2) * ch);
        let (x1, y1) = (x0 + cw, y0 + ch);
        let (a, b, c, d) = (
            &cells[y1 * IW + x1],
            &cells[y0 * IW + x0],
            &cells[y0 * IW + x1],
            &cells[y1 * IW + x0],
        );
        for k in 0..CHANNELS {
            dst[k] = a[k] + b[k] - c[k] - d[k];
        }
    }
    // SeetaFace squares in 32-bit integers (wrapping, which only an
    // extreme cell could reach) and sums in double precision.
    let norm_sq: f64 = raw.iter().map(|&v| f64::from(v.wrapping_mul(v))).sum();
    if norm_sq != 0.0 {
        let norm = norm_sq.sqrt() as f32;
        out.extend(raw.iter().map(|&v| v as f32 / norm));
    } else {
        out.extend(std::iter::repeat_n(0.0, raw.len()));
    }
}

/// The pyramid's levels as (scale, width, height), from the image as given
/// down to where the window spans the largest face (single precision, as
/// SeetaFace's); every level is at least the window's size.
fn pyramid(
    width: usize,
    height: usize,
    search: Search,
) -> impl Iterator<Item = (f32, usize, usize)> {
    let shorter = search.max_face.min(width.min(height)).max(1);
    let min_scale = WINDOW as f32 / shorter as f32;
    // A factor outside (0, 1) would never reach the smallest scale.
    let factor = if search.pyramid_factor > 0.01 && search.pyramid_factor < 0.99 {
        search.pyramid_factor
    } else {
        0.8
    };
    std::iter::successors(Some(1f32), move |s| Some(s * factor))
        .take_while(move |&s| s >= min_scale)
        .map(move |s| (s, (width as f32 * s) as usize, (height as f32 * s) as usize))
        .take_while(|&(_, lw, lh)| lw >= WINDOW && lh >= WINDOW)
}

/// Merges overlapping windows (SeetaFace's non-maximum suppression): from
/// the highest score down, each kept window absorbs the ones overlapping
/// it by more than `iou`, adding their scores to its own. `list` is sorted
/// in place; the result goes to `merged`.
fn merge(list: &mut [Candidate], merged: &mut Vec<Candidate>, iou: f32, taken: &mut Vec<bool>) {
    merged.clear();
    // Stable, highest score first.
    list.sort_by(|a, b| {
        b.score
            .partial_cmp(&a.score)
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    taken.clear();
    taken.resize(list.len(), false);
    for i in 0..list.len() {
        if taken[i] {
            continue;
        }
        taken[i] = true;
        let a = list[i];
        let mut keep = a;
        let area_a = (a.width.wrapping_mul(a.height)) as f32;
        let (ax2, ay2) = (a.x + a.width as i32 - 1, a.y + a.height as i32 - 1);
        for j in i + 1..list.len() {
            if taken[j] {
                continue;
            }
            let b = list[j];
            let x = a.x.max(b.x);
            let y = a.y.max(b.y);
            let w = ax2.min(b.x + b.width as i32 - 1) - x + 1;
            let h = ay2.min(b.y + b.height as i32 - 1) - y + 1;
            if w <= 0 || h <= 0 {
                continue;
            }
            let area_b = (b.width.wrapping_mul(b.height)) as f32;
            let inter = (w * h) as f32;
            if inter / (area_a + area_b - inter) > iou {
                taken[j] = true;
                keep.score += b.score;
            }
        }
        merged.push(keep);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model_bytes() -> &'static [u8] {
        include_bytes!(concat!(env!("OUT_DIR"), "/seeta_fd_frontal_v1.0.bin"))
    }

    /// Window steps and pyramid factors compared: the detector's own (4
    /// and 5 px, 0.8) and a few others.
    const SETTINGS: [(usize, f32); 4] = [(4, 0.8), (5, 0.8), (6, 0.8), (5, 0.7)];

    /// Runs rustface and this module on the same grey image with the same
    /// settings; returns (rustface's faces, ours), both before any score
    /// threshold but a tiny positive one (rustface needs one).
    fn both(px: &[u8], w: usize, h: usize, search: Search) -> (Vec<Candidate>, Vec<Candidate>) {
        let model = rustface::read_model(model_bytes()).expect("rustface reads the model");
        let mut det = rustface::create_detector_with_model(model);
        det.set_min_face_size(WINDOW as u32);
        det.set_max_face_size(search.max_face as u32);
        det.set_slide_window_step(search.step as u32, search.step as u32);
        det.set_pyramid_scale_factor(search.pyramid_factor);
        det.set_score_thresh(1e-9);
        let theirs = det
            .detect(&rustface::ImageData::new(px, w as u32, h as u32))
            .into_iter()
            .map(|f| Candidate {
                x: f.bbox().x(),
                y: f.bbox().y(),
                width: f.bbox().width(),
                height: f.bbox().height(),
                score: f.score(),
            })
            .collect();
        let cascade = Cascade::parse(model_bytes()).expect("the model parses");
        let mut ours = Vec::new();
        cascade.detect(px, w, h, search, &mut CascadeScratch::default(), &mut ours);
        ours.retain(|c| c.score >= 1e-9);
        (theirs, ours)
    }

    /// Compares the two on `img` with every one of [`SETTINGS`]; returns
    /// the faces found (by rustface) and the settings where they differ:
    /// a box not the same to the pixel, or a score off by more than 1e-4
    /// relative.
    fn compare(img: &image::GrayImage) -> (usize, Vec<String>) {
        let (w, h) = (img.width() as usize, img.height() as usize);
        let (mut faces, mut differ) = (0, Vec::new());
        for (step, pyramid_factor) in SETTINGS {
            let search = Search {
                max_face: w.min(h) - 2,
                step,
                pyramid_factor,
            };
            let (theirs, ours) = both(img.as_raw(), w, h, search);
            faces += theirs.len();
            let same = theirs.len() == ours.len()
                && theirs.iter().zip(&ours).all(|(a, b)| {
                    (a.x, a.y, a.width, a.height) == (b.x, b.y, b.width, b.height)
                        && (a.score - b.score).abs() <= 1e-4 * a.score.abs().max(1.0)
                });
            if !same {
                differ.push(format!("{w}x{h} step {step}: {theirs:?} vs {ours:?}"));
            }
        }
        (faces, differ)
    }

    /// The committed astronaut portrait, grey, resized to `w` x `h`
    /// (`top` of its rows cut first: 0.45 leaves suit and flag only).
    fn astronaut(w: u32, h: u32, top: f32) -> image::GrayImage {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/face/astronaut.jpg");
        let img = image::open(path).expect("committed portrait").to_luma8();
        let cut = (img.height() as f32 * top) as u32;
        let part = image::imageops::crop_imm(&img, 0, cut, img.width(), img.height() - cut);
        image::imageops::resize(
            &part.to_image(),
            w,
            h,
            image::imageops::FilterType::Triangle,
        )
    }

    #[test]
    fn matches_rustface() {
        let mut frames = vec![
            astronaut(512, 512, 0.0),
            astronaut(213, 160, 0.0),
            astronaut(118, 89, 0.0),
            astronaut(300, 400, 0.0),
            astronaut(213, 160, 0.45),
        ];
        // The face cut by each edge of the frame: windows the perceptron
        // stages cut out partly outside the image (zero padding, moved
        // origins).
        let full = astronaut(512, 512, 0.0);
        for (x, y, w, h) in [(200, 40, 200, 200), (140, 0, 200, 150), (60, 60, 180, 120)] {
            let part = image::imageops::crop_imm(&full, x, y, w, h).to_image();
            frames.push(image::imageops::resize(
                &part,
                w / 2,
                h / 2,
                image::imageops::FilterType::Triangle,
            ));
        }
        // Noise and a flat frame: windows that fail early, or on variance.
        let mut state = 12345u32;
        let noise = image::GrayImage::from_fn(160, 120, |_, _| {
            state = state.wrapping_mul(1_103_515_245).wrapping_add(12345);
            image::Luma([(state >> 24) as u8])
        });
        frames.push(noise);
        frames.push(image::GrayImage::from_pixel(100, 100, image::Luma([128])));
        let mut found = 0;
        for img in &frames {
            let (faces, differ) = compare(img);
            assert!(differ.is_empty(), "{differ:?}");
            found += faces;
        }
        // Not vacuous: the portrait frames hold faces.
        assert!(found >= 10, "{found}");
    }

    #[test]
    fn malformed_models_are_refused() {
        let bytes = model_bytes();
        assert!(Cascade::parse(bytes).is_some());
        for cut in [0, 3, 4, 100, bytes.len() / 2, bytes.len() - 1] {
            assert!(Cascade::parse(&bytes[..cut]).is_none(), "{cut}");
        }
        let mut bad = bytes.to_vec();
        bad[..4].copy_from_slice(&(-1i32).to_le_bytes());
        assert!(Cascade::parse(&bad).is_none());
    }

    #[test]
    fn tiny_and_odd_inputs_find_nothing() {
        let cascade = Cascade::parse(model_bytes()).expect("the model parses");
        let mut s = CascadeScratch::default();
        let mut out = Vec::new();
        let search = Search {
            max_face: 1000,
            step: 4,
            pyramid_factor: 0.8,
        };
        for (w, h) in [(0, 0), (1, 1), (39, 100), (100, 39), (40, 40)] {
            cascade.detect(&vec![200u8; w * h], w, h, search, &mut s, &mut out);
        }
        // A buffer shorter than the size it claims, and pyramid factors
        // that would never shrink (or never stop).
        cascade.detect(&[0u8; 10], 50, 50, search, &mut s, &mut out);
        for pyramid_factor in [0.0, 1.0, 2.0, f32::NAN] {
            let odd = Search {
                pyramid_factor,
                ..search
            };
            cascade.detect(&vec![90u8; 60 * 60], 60, 60, odd, &mut s, &mut out);
        }
        assert!(out.is_empty());
    }

    #[test]
    #[ignore = "needs ../shared/data; run by hand"]
    fn matches_rustface_on_csu() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/data/face/csu_scrapshots/images");
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .expect("the CSU images")
            .map(|e| e.expect("a directory entry").path())
            .collect();
        files.sort();
        let (mut faces, mut differ) = (0, Vec::new());
        for f in &files {
            let img = image::open(f).expect("a CSU image").to_luma8();
            let (n, d) = compare(&img);
            faces += n;
            differ.extend(d.into_iter().map(|d| format!("{}: {d}", f.display())));
        }
        eprintln!(
            "{} images x {} settings, {faces} faces, {} differ",
            files.len(),
            SETTINGS.len(),
            differ.len()
        );
        assert!(differ.is_empty(), "{differ:#?}");
    }
}

//! MTCNN's output network (ONet): from a 48x48 face crop, five facial
//! landmarks (both eye centres among them), a refinement of the face box
//! and a face probability.
//!
//! The network is the third stage of MTCNN (Zhang, Zhang, Li and Qiao,
//! "Joint face detection and alignment using multitask cascaded
//! convolutional networks", IEEE SPL 2016). Its weights, about 390,000
//! numbers, are embedded as float16 (`onet.bin`, made by
//! `scripts/convert-onet.py`; provenance and licence in
//! `models/README.md`), parsed once into float32 on first use.
//!
//! ```text
//! 48x48x3 -> conv3x3 32 -> PReLU -> maxpool 3/2    (46 -> 23)
//!         -> conv3x3 64 -> PReLU -> maxpool 3/2    (21 -> 10)
//!         -> conv3x3 64 -> PReLU -> maxpool 2/2    (8 -> 4)
//!         -> conv2x2 128 -> PReLU                  (3x3x128)
//!         -> dense 256 -> PReLU -> dense 2 (softmax), dense 4, dense 10
//! ```
//!
//! Pooling is Caffe's: `ceil((n - k) / s) + 1` outputs, the last window
//! clipped to the input. Input is `(v - 127.5) / 128` per channel; a grey
//! crop feeds all three channels, so the first layer's kernels are summed
//! over channels once at load time. The Caffe-era models were trained on
//! transposed images (column-major MATLAB arrays): the network's rows run
//! along the image's x, and the crop is fed transposed.

use std::sync::OnceLock;

use super::model_io::{f16s_to_f32, Reader};

/// Side of the network's input crop, pixels.
pub(crate) const INPUT: usize = 48;

/// The embedded weights (see `scripts/convert-onet.py` for the layout).
static MODEL_BYTES: &[u8] = include_bytes!("onet.bin");
const MAGIC: &[u8; 8] = b"ONET\x00f16";

/// What the network says about one crop. Coordinates are fractions of the
/// crop's side, x from the left, y from the top. The eye step uses the
/// landmarks only; the box refinement and the face probability are
/// checked against the reference (and the box refinement placed the crop:
/// see `eyes.rs`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct OnetOutput {
    /// Box refinement: the face box's left, top, right and bottom edges
    /// move by these fractions of the crop side.
    #[cfg_attr(not(test), allow(dead_code))]
    pub(crate) reg: [f32; 4],
    /// Landmark x (5), then landmark y (5): the two eyes, the nose tip,
    /// the two mouth corners (the first of each pair on the image's left).
    pub(crate) points: [f32; 10],
    /// Probability that the crop is a face.
    #[cfg_attr(not(test), allow(dead_code))]
    pub(crate) face: f32,
}

/// A convolution (valid, stride 1) followed by a per-channel PReLU.
/// Weights are `[ky][kx][in][out]`.
#[derive(Debug)]
struct Conv {
    k: usize,
    cin: usize,
    cout: usize,
    w: Vec<f32>,
    /// For 3x3 kernels, the Winograd-transformed weights `G g Gᵀ`,
    /// `[36][in][out]` (see [`Conv::forward_winograd`]); empty otherwise.
    wino: Vec<f32>,
    b: Vec<f32>,
    slope: Vec<f32>,
}

/// A dense layer, weights `[in][out]`.
#[derive(Debug)]
struct Dense {
    nin: usize,
    nout: usize,
    w: Vec<f32>,
    b: Vec<f32>,
}

/// The parsed network.
#[derive(Debug)]
pub(crate) struct Onet {
    convs: [Conv; 4],
    fc: Dense,
    fc_slope: Vec<f32>,
    /// The three heads side by side: 2 face logits, 4 box, 10 landmarks.
    heads: Dense,
}

/// Reusable activation buffers.
#[derive(Debug, Default)]
pub(crate) struct OnetScratch {
    a: Vec<f32>,
    b: Vec<f32>,
    heads: Vec<f32>,
}

/// The embedded network, parsed on first use; `None` only if the embedded
/// file were damaged (a unit test rules that out).
pub(crate) fn model() -> Option<&'static Onet> {
    static MODEL: OnceLock<Option<Onet>> = OnceLock::new();
    MODEL.get_or_init(|| Onet::parse(MODEL_BYTES)).as_ref()
}

impl Onet {
    /// Parses the float16 file, checking every tensor's shape.
    fn parse(bytes: &[u8]) -> Option<Self> {
        let mut r = Reader::new(bytes);
        if r.take(8)? != MAGIC || r.u32()? != 21 {
            return None;
        }
        let mut conv = |k: usize, cin: usize, cout: usize| -> Option<Conv> {
            let w = tensor(&mut r, &[k, k, cin, cout])?;
            let b = tensor(&mut r, &[cout])?;
            let slope = tensor(&mut r, &[1, 1, cout])?;
            Some(Conv {
                k,
                cin,
                cout,
                w,
                wino: Vec::new(),
                b,
                slope,
            })
        };
        let c1 = conv(3, 3, 32)?;
        let c2 = conv(3, 32, 64)?;
        let c3 = conv(3, 64, 64)?;
        let c4 = conv(2, 64, 128)?;
        let fc = Dense {
            nin: 1152,
            nout: 256,
            w: tensor(&mut r, &[1152, 256])?,
            b: tensor(&mut r, &[256])?,
        };
        let fc_slope = tensor(&mut r, &[256])?;
        let mut heads = Dense {
            nin: 256,
            nout: 16,
            w: vec![0.0; 256 * 16],
            b: Vec::with_capacity(16),
        };
        let mut col = 0;
        for n in [2usize, 4, 10] {
            let w = tensor(&mut r, &[256, n])?;
            for (i, row) in w.chunks_exact(n).enumerate() {
                heads.w[i * 16 + col..i * 16 + col + n].copy_from_slice(row);
            }
            heads.b.extend(tensor(&mut r, &[n])?);
            col += n;
        }
        if r.remaining() != 0 {
            return None;
        }
        // Grey input: R = G = B, so the first layer's kernels fold into
        // one input channel.
        let folded =
            c1.w.chunks_exact(3 * c1.cout)
                .flat_map(|tap| {
                    let (r, g, b) = (
                        &tap[..c1.cout],
                        &tap[c1.cout..2 * c1.cout],
                        &tap[2 * c1.cout..],
                    );
                    (0..c1.cout).map(move |o| r[o] + g[o] + b[o])
                })
                .collect();
        let c1 = Conv {
            cin: 1,
            w: folded,
            ..c1
        };
        let convs = [c1, c2, c3, c4].map(Conv::with_winograd);
        Some(Self {
            convs,
            fc,
            fc_slope,
            heads,
        })
    }

    /// Runs the network on a 48x48 grey crop (row-major, row = image y).
    /// `None` when `crop` is not 48 * 48 bytes.
    pub(crate) fn run(&self, crop: &[u8], s: &mut OnetScratch) -> Option<OnetOutput> {
        if crop.len() != INPUT * INPUT {
            return None;
        }
        // Transposed and normalised: network row = image x.
        s.a.clear();
        s.a.resize(INPUT * INPUT, 0.0);
        for (y, row) in crop.chunks_exact(INPUT).enumerate() {
            for (x, &v) in row.iter().enumerate() {
                s.a[x * INPUT + y] = (f32::from(v) - 127.5) * (1.0 / 128.0);
            }
        }
        let [c1, c2, c3, c4] = &self.convs;
        let n = c1.forward(&s.a, INPUT, INPUT, &mut s.b);
        let n = max_pool(&s.b, n, n, c1.cout, 3, 2, &mut s.a);
        let n = c2.forward(&s.a, n, n, &mut s.b);
        let n = max_pool(&s.b, n, n, c2.cout, 3, 2, &mut s.a);
        let n = c3.forward(&s.a, n, n, &mut s.b);
        let n = max_pool(&s.b, n, n, c3.cout, 2, 2, &mut s.a);
        let n = c4.forward(&s.a, n, n, &mut s.b);
        if n * n * c4.cout != self.fc.nin {
            return None;
        }
        self.fc.forward(&s.b, &mut s.a);
        prelu(&mut s.a, &self.fc_slope);
        self.heads.forward(&s.a, &mut s.heads);
        let out = &s.heads;
        let mut reg = [0f32; 4];
        let mut points = [0f32; 10];
        reg.copy_from_slice(&out[2..6]);
        points.copy_from_slice(&out[6..16]);
        Some(OnetOutput {
            reg,
            points,
            face: 1.0 / (1.0 + (out[0] - out[1]).exp()),
        })
    }
}

/// Most input channels a Winograd layer takes (ONet's are 32 and 64): its
/// tile buffers live on the stack.
const WINO_MAX_CIN: usize = 64;

impl Conv {
    /// Sizes `out` for an `oh` x `ow` x `N` output (zeros) and returns the
    /// bias and PReLU slopes as `N`-arrays; `None` when the layer does not
    /// have `N` output channels.
    fn start_output<const N: usize>(
        &self,
        oh: usize,
        ow: usize,
        out: &mut Vec<f32>,
    ) -> Option<(&[f32; N], &[f32; N])> {
        // Both convolutions accumulate whole blocks of output channels.
        const { assert!(N.is_multiple_of(CHANNEL_BLOCK)) };
        out.clear();
        out.resize(oh * ow * N, 0.0);
        Some((
            <&[f32; N]>::try_from(&self.b[..]).ok()?,
            <&[f32; N]>::try_from(&self.slope[..]).ok()?,
        ))
    }

    /// Whether a layer of this kernel size and input width is computed by
    /// Winograd's F(4x4, 3x3): 3x3 kernels whose input channels come in
    /// whole [`WINO_LANES`] and fit the stack tiles. The first layer (one
    /// input channel) is not: its transforms would cost as much as the
    /// products they save.
    fn winograd_fits(k: usize, cin: usize) -> bool {
        k == 3 && cin <= WINO_MAX_CIN && cin.is_multiple_of(WINO_LANES)
    }

    /// Valid convolution of the `h` x `w` x `cin` input plus PReLU into
    /// `out`; returns the output side (inputs here are square).
    fn forward(&self, input: &[f32], h: usize, w: usize, out: &mut Vec<f32>) -> usize {
        let wino = !self.wino.is_empty();
        match self.cout {
            32 if wino => self.forward_winograd::<32>(input, h, w, out),
            64 if wino => self.forward_winograd::<64>(input, h, w, out),
            32 => self.forward_n::<32>(input, h, w, out),
            64 => self.forward_n::<64>(input, h, w, out),
            128 => self.forward_n::<128>(input, h, w, out),
            _ => 0,
        }
    }

    /// Adds the Winograd weights to a 3x3 layer (others are returned as
    /// they are): `U = G g Gᵀ` (6x6) per input and output channel, with
    /// F(4x4,3x3)'s `G` ([`wino_g`]), computed in `f64`.
    fn with_winograd(self) -> Self {
        if !Self::winograd_fits(self.k, self.cin) {
            return self;
        }
        let (cin, cout) = (self.cin, self.cout);
        let mut wino = vec![0f32; WINO_TILE * cin * cout];
        for ci in 0..cin {
            for co in 0..cout {
                let g = |ky: usize, kx: usize| {
                    f64::from(self.w[((ky * 3 + kx) * cin + ci) * cout + co])
                };
                // G g down the columns (6 x 3), then Gᵀ along the rows.
                let cols: [[f64; 6]; 3] =
                    std::array::from_fn(|kx| wino_g([g(0, kx), g(1, kx), g(2, kx)]));
                for i in 0..6 {
                    let u = wino_g([cols[0][i], cols[1][i], cols[2][i]]);
                    for (j, &v) in u.iter().enumerate() {
                        wino[((i * 6 + j) * cin + ci) * cout + co] = v as f32;
                    }
                }
            }
        }
        Self { wino, ..self }
    }

    /// A 3x3 layer by Winograd's minimal filtering F(4x4, 3x3) (Lavin and
    /// Gray, "Fast algorithms for convolutional neural networks", CVPR
    /// 2016): each 4x4 block of outputs comes from a 6x6 input tile with
    /// 36 products per input and output channel instead of 144, the
    /// transforms being a few multiply-adds by small constants. The layers
    /// are bound by their multiply-adds: F(2x2, 3x3) (16 products per 2x2
    /// block) made the network about 30 % faster than direct summation;
    /// F(4x4, 3x3) takes the second layer from 3.96 to 2.65 million
    /// products (its 21x21 outputs in 6x6 blocks) and the third from 1.05
    /// to 0.59, 16 % fewer instructions for the whole network than
    /// F(2x2, 3x3), about 0.1 ms less per pass. Results differ from direct
    /// summation by float rounding only (about 1e-5 relative).
    fn forward_winograd<const N: usize>(
        &self,
        input: &[f32],
        h: usize,
        w: usize,
        out: &mut Vec<f32>,
    ) -> usize {
        let cin = self.cin;
        let (oh, ow) = (h.saturating_sub(2), w.saturating_sub(2));
        let Some((bias, slope)) = self.start_output::<N>(oh, ow, out) else {
            return 0;
        };
        if input.len() < h * w * cin
            || self.wino.len() != WINO_TILE * cin * N
            || !Self::winograd_fits(self.k, cin)
        {
            return 0;
        }
        // The input tile d and V = Bᵀ d B, each [36][cin], on the stack.
        let mut d_buf = [0f32; WINO_TILE * WINO_MAX_CIN];
        let mut v_buf = [0f32; WINO_TILE * WINO_MAX_CIN];
        let (d, v) = (&mut d_buf[..WINO_TILE * cin], &mut v_buf[..WINO_TILE * cin]);
        let mut m = [[0f32; N]; WINO_TILE];
        for ty in 0..oh.div_ceil(4) {
            for tx in 0..ow.div_ceil(4) {
                // Gather the 6x6 tile; past the input's edge (output sides
                // not a multiple of 4) it reads zeros, whose outputs are
                // not kept.
                for (rc, dst) in d.chunks_exact_mut(cin).enumerate() {
                    let (y, x) = (4 * ty + rc / 6, 4 * tx + rc % 6);
                    if y < h && x < w {
                        dst.copy_from_slice(&input[(y * w + x) * cin..(y * w + x + 1) * cin]);
                    } else {
                        dst.fill(0.0);
                    }
                }
                input_transform(d, v, cin);
                // The 36 element-wise products, each summed over the input
                // channels: the innermost loop runs over output channels
                // and vectorises.
                for ((acc, ve), ue) in m
                    .iter_mut()
                    .zip(v.chunks_exact(cin))
                    .zip(self.wino.chunks_exact(cin * N))
                {
                    // A block of channels at a time (see CHANNEL_BLOCK).
                    for (c0, part) in acc.chunks_exact_mut(CHANNEL_BLOCK).enumerate() {
                        let mut sum = [0f32; CHANNEL_BLOCK];
                        for (&x, urow) in ve.iter().zip(ue.chunks_exact(N)) {
                            for (a, &u) in sum
                                .iter_mut()
                                .zip(&urow[c0 * CHANNEL_BLOCK..(c0 + 1) * CHANNEL_BLOCK])
                            {
                                *a += x * u;
                            }
                        }
                        part.copy_from_slice(&sum);
                    }
                }
                // Y = Aᵀ M A: first down the columns (s[c] holds column
                // c's four rows), then along each row, then bias and
                // PReLU, for the outputs inside the image.
                let s: [[[f32; N]; 4]; 6] =
                    std::array::from_fn(|c| wino_a(std::array::from_fn(|r| &m[r * 6 + c])));
                for (i, oy) in (4 * ty..(4 * ty + 4).min(oh)).enumerate() {
                    let row = wino_a(std::array::from_fn(|c| &s[c][i]));
                    for (j, ox) in (4 * tx..(4 * tx + 4).min(ow)).enumerate() {
                        let dst = &mut out[(oy * ow + ox) * N..(oy * ow + ox + 1) * N];
                        for ((d, &y), (&b, &sl)) in
                            dst.iter_mut().zip(&row[j]).zip(bias.iter().zip(slope))
                        {
                            *d = prelu_one(y + b, sl);
                        }
                    }
                }
            }
        }
        oh.min(ow)
    }

    /// [`forward`](Self::forward) for `N` output channels: the
    /// accumulators are a fixed-size array the compiler keeps in vector
    /// registers.
    fn forward_n<const N: usize>(
        &self,
        input: &[f32],
        h: usize,
        w: usize,
        out: &mut Vec<f32>,
    ) -> usize {
        let (k, cin) = (self.k, self.cin);
        let (oh, ow) = ((h + 1).saturating_sub(k), (w + 1).saturating_sub(k));
        let Some((bias, slope)) = self.start_output::<N>(oh, ow, out) else {
            return 0;
        };
        // One kernel row (k taps x cin) is contiguous in both the input
        // (HWC) and the weights, so each output pixel is k runs of
        // cin * k multiply-adds into the accumulators; the innermost loop
        // runs over output channels and vectorises, a block of them at a
        // time (see CHANNEL_BLOCK).
        let run = k * cin;
        for (oy, out_row) in out.chunks_exact_mut(ow * N).enumerate() {
            for (ox, dst) in out_row.chunks_exact_mut(N).enumerate() {
                for (c0, part) in dst.chunks_exact_mut(CHANNEL_BLOCK).enumerate() {
                    let cs = c0 * CHANNEL_BLOCK..(c0 + 1) * CHANNEL_BLOCK;
                    let mut acc = [0f32; CHANNEL_BLOCK];
                    acc.copy_from_slice(&bias[cs.clone()]);
                    for ky in 0..k {
                        let start = ((oy + ky) * w + ox) * cin;
                        let px = &input[start..start + run];
                        let wk = &self.w[ky * run * N..(ky + 1) * run * N];
                        for (&v, wrow) in px.iter().zip(wk.chunks_exact(N)) {
                            for (a, &wv) in acc.iter_mut().zip(&wrow[cs.clone()]) {
                                *a += v * wv;
                            }
                        }
                    }
                    for ((d, a), &sl) in part.iter_mut().zip(acc).zip(&slope[cs]) {
                        *d = prelu_one(a, sl);
                    }
                }
            }
        }
        oh.min(ow)
    }
}

/// Output channels accumulated at a time by the convolutions: eight SSE
/// registers, leaving room for the operands among x86-64's sixteen.
const CHANNEL_BLOCK: usize = 32;

/// Elements of a Winograd F(4x4, 3x3) tile: 6 x 6.
const WINO_TILE: usize = 36;

/// F(4x4, 3x3)'s `G` (6 x 3) applied to a 3-vector: the filter
/// transform, rows `[1/4 0 0; -1/6 -1/6 -1/6; -1/6 1/6 -1/6;
/// 1/24 1/12 1/6; 1/24 -1/12 1/6; 0 0 1]`.
fn wino_g(r: [f64; 3]) -> [f64; 6] {
    let (a, b, c) = (r[0], r[1], r[2]);
    [
        a / 4.0,
        -(a + b + c) / 6.0,
        -(a - b + c) / 6.0,
        a / 24.0 + b / 12.0 + c / 6.0,
        a / 24.0 - b / 12.0 + c / 6.0,
        c,
    ]
}

/// F(4x4, 3x3)'s `Aᵀ = [1 1 1 1 1 0; 0 1 -1 2 -2 0; 0 1 1 4 4 0;
/// 0 1 -1 8 -8 1]` times six channel runs: four runs.
#[inline]
fn wino_a<const N: usize>(m: [&[f32; N]; 6]) -> [[f32; N]; 4] {
    let mut y = [[0f32; N]; 4];
    for o in 0..N {
        let (p1, m1) = (m[1][o] + m[2][o], m[1][o] - m[2][o]);
        let (p3, m3) = (m[3][o] + m[4][o], m[3][o] - m[4][o]);
        y[0][o] = m[0][o] + p1 + p3;
        y[1][o] = m1 + 2.0 * m3;
        y[2][o] = p1 + 4.0 * p3;
        y[3][o] = m1 + 8.0 * m3 + m[5][o];
    }
    y
}

/// Channels the input transform handles at a time (layers taking it
/// have a multiple of this many input channels).
const WINO_LANES: usize = 8;

/// F(4x4, 3x3)'s `Bᵀ = [4 0 -5 0 1 0; 0 -4 -4 1 1 0; 0 4 -4 -1 1 0;
/// 0 -2 -1 2 1 0; 0 2 -1 -2 1 0; 0 4 0 -5 0 1]` times six channel blocks.
#[inline]
fn wino_bt(d: [[f32; WINO_LANES]; 6]) -> [[f32; WINO_LANES]; 6] {
    let mut r = [[0f32; WINO_LANES]; 6];
    for l in 0..WINO_LANES {
        let x = |k: usize| d[k][l];
        r[0][l] = 4.0 * x(0) - 5.0 * x(2) + x(4);
        r[1][l] = -4.0 * (x(1) + x(2)) + x(3) + x(4);
        r[2][l] = 4.0 * (x(1) - x(2)) - x(3) + x(4);
        r[3][l] = 2.0 * (x(3) - x(1)) - x(2) + x(4);
        r[4][l] = 2.0 * (x(1) - x(3)) - x(2) + x(4);
        r[5][l] = 4.0 * x(1) - 5.0 * x(3) + x(5);
    }
    r
}

/// Winograd's input transform `V = Bᵀ d B` of a 6x6 tile `d`, both
/// `[36][cin]` (row-major 6x6 of channel runs), `cin` a multiple of
/// [`WINO_LANES`].
fn input_transform(d: &[f32], v: &mut [f32], cin: usize) {
    for c0 in (0..cin).step_by(WINO_LANES) {
        let x = |i: usize, j: usize| -> [f32; WINO_LANES] {
            std::array::from_fn(|l| d[(i * 6 + j) * cin + c0 + l])
        };
        // Bᵀ d down the columns (cols[j][i]), then B along the rows.
        let cols: [[[f32; WINO_LANES]; 6]; 6] =
            std::array::from_fn(|j| wino_bt(std::array::from_fn(|i| x(i, j))));
        for (i, vrow) in v.chunks_exact_mut(6 * cin).enumerate() {
            let r = wino_bt(std::array::from_fn(|j| cols[j][i]));
            for (e, dst) in r.iter().zip(vrow.chunks_exact_mut(cin)) {
                dst[c0..c0 + WINO_LANES].copy_from_slice(e);
            }
        }
    }
}

impl Dense {
    fn forward(&self, input: &[f32], out: &mut Vec<f32>) {
        out.clear();
        out.extend_from_slice(&self.b);
        for (&v, wrow) in input
            .iter()
            .take(self.nin)
            .zip(self.w.chunks_exact(self.nout))
        {
            for (o, &wv) in out.iter_mut().zip(wrow) {
                *o += v * wv;
            }
        }
    }
}

/// PReLU in place: `x` for positive `x`, `slope * x` otherwise (`slope`
/// per channel, channels innermost).
fn prelu(x: &mut [f32], slope: &[f32]) {
    for px in x.chunks_mut(slope.len()) {
        for (v, &a) in px.iter_mut().zip(slope) {
            *v = prelu_one(*v, a);
        }
    }
}

/// PReLU of one value: as it is when positive, times `slope` when not.
#[inline]
fn prelu_one(v: f32, slope: f32) -> f32 {
    if v < 0.0 {
        v * slope
    } else {
        v
    }
}

/// Max pooling of an `h` x `w` x `c` input, window `k`, stride `s`, with
/// Caffe's output size `ceil((n - k) / s) + 1` (the last window clipped);
/// returns the output side (inputs here are square).
fn max_pool(
    input: &[f32],
    h: usize,
    w: usize,
    c: usize,
    k: usize,
    s: usize,
    out: &mut Vec<f32>,
) -> usize {
    let side = |n: usize| n.saturating_sub(k).div_ceil(s) + 1;
    let (oh, ow) = (side(h), side(w));
    out.clear();
    out.resize(oh * ow * c, f32::NEG_INFINITY);
    for oy in 0..oh {
        for ox in 0..ow {
            let dst = &mut out[(oy * ow + ox) * c..(oy * ow + ox + 1) * c];
            for y in oy * s..(oy * s + k).min(h) {
                for x in ox * s..(ox * s + k).min(w) {
                    let src = &input[(y * w + x) * c..(y * w + x + 1) * c];
                    for (d, &v) in dst.iter_mut().zip(src) {
                        *d = d.max(v);
                    }
                }
            }
        }
    }
    oh.min(ow)
}

/// One tensor whose shape must be `dims`, as float32.
fn tensor(r: &mut Reader<'_>, dims: &[usize]) -> Option<Vec<f32>> {
    if r.u32()? as usize != dims.len() {
        return None;
    }
    for &d in dims {
        if r.u32()? as usize != d {
            return None;
        }
    }
    let n: usize = dims.iter().product();
    f16s_to_f32(r.take(n.checked_mul(2)?)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `scripts/convert-onet.py` writes a synthetic crop and the outputs
    /// its numpy reference forward pass computes from the stored weights.
    static CHECK: &[u8] = include_bytes!("onet_check.bin");

    #[test]
    fn matches_the_numpy_reference() {
        let (crop, expected) = CHECK.split_at(INPUT * INPUT);
        let expected: Vec<f32> = expected
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect();
        assert_eq!(expected.len(), 16);
        let net = model().expect("embedded model parses");
        let out = net.run(crop, &mut OnetScratch::default()).unwrap();
        let got: Vec<f32> = out
            .reg
            .iter()
            .chain(&out.points)
            .copied()
            .chain([1.0 - out.face, out.face])
            .collect();
        for (i, (g, e)) in got.iter().zip(&expected).enumerate() {
            assert!((g - e).abs() < 1e-4, "output {i}: got {g}, expected {e}");
        }
    }

    #[test]
    fn winograd_matches_direct_summation() {
        let net = model().unwrap();
        let (mut fast, mut direct) = (Vec::new(), Vec::new());
        for (conv, side) in [(&net.convs[1], 23), (&net.convs[2], 10)] {
            assert!(!conv.wino.is_empty());
            // Activations of the size the layer sees, in [-2, 2].
            let input: Vec<f32> = (0..side * side * conv.cin)
                .map(|i| ((i * 7919 + 13) % 1009) as f32 / 252.25 - 2.0)
                .collect();
            let n = conv.forward_winograd::<64>(&input, side, side, &mut fast);
            assert_eq!(n, conv.forward_n::<64>(&input, side, side, &mut direct));
            assert_eq!(fast.len(), direct.len());
            let worst = fast
                .iter()
                .zip(&direct)
                .map(|(a, b)| (a - b).abs() / (1.0 + b.abs()))
                .fold(0f32, f32::max);
            assert!(worst < 3e-5, "{worst}");
        }
    }

    #[test]
    fn wrong_sizes_are_none() {
        let net = model().unwrap();
        assert!(net
            .run(&[0u8; 47 * 48], &mut OnetScratch::default())
            .is_none());
        assert!(Onet::parse(&MODEL_BYTES[..MODEL_BYTES.len() - 2]).is_none());
        assert!(Onet::parse(&[]).is_none());
    }

    #[test]
    fn caffe_pooling_sizes() {
        let mut out = Vec::new();
        assert_eq!(max_pool(&vec![0.0; 46 * 46], 46, 46, 1, 3, 2, &mut out), 23);
        assert_eq!(max_pool(&vec![0.0; 21 * 21], 21, 21, 1, 3, 2, &mut out), 10);
        assert_eq!(max_pool(&vec![0.0; 8 * 8], 8, 8, 1, 2, 2, &mut out), 4);
        // A 1x4 row, k 3, s 2: windows [0..3) and the clipped [2..4).
        max_pool(&[1.0, 5.0, 2.0, 7.0], 1, 4, 1, 3, 2, &mut out);
        assert_eq!(out, vec![5.0, 7.0]);
    }
}

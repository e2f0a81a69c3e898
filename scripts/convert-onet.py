#!/usr/bin/env python3
"""Converts MTCNN's ONet weights into biocapture's embedded model file and
writes the fixture the Rust unit test checks the forward pass against.

    python3 scripts/convert-onet.py path/to/mtcnn_weights.npy

The weights come from the `mtcnn` package on PyPI, version 0.1.1 (MIT),
file `mtcnn/data/mtcnn_weights.npy`; see `models/README.md` for where they
come from and how to fetch them. Needs numpy only.

Writes (paths relative to the repository root, overridable with --out and
--fixture):

* `src/face/onet.bin`: the ONet weights as little-endian float16.
* `src/face/onet_check.bin`: a synthetic 48x48 grey crop and the outputs
  the reference forward pass below computes for it, from the float16
  weights exactly as stored.

File layout of onet.bin (all integers u32 little endian):

    magic   8 bytes  b"ONET\\x00f16"
    count   u32      number of tensors (21)
    then per tensor, in the order of TENSORS below:
      ndim  u32
      dims  ndim x u32
      data  prod(dims) x float16 LE, C order

Tensor layouts are Keras's, as the package stores them: convolution kernels
[ky][kx][in][out], dense weights [in][out], PReLU slopes per channel. The
network's activations are height x width x channel, and (a convention of
the original Caffe models, trained from MATLAB's column-major images) its
"height" axis runs along the image's x: the crop is transposed before it
goes in. Input channels are R, G, B, normalised as (v - 127.5) / 128.

onet_check.bin: 48*48 u8 crop (row-major, row = image y), then 16 f32 LE:
box regression (4: dx1, dy1, dx2, dy2 as fractions of the crop side),
landmarks (10: five x fractions, then five y fractions of the crop), face
probability softmax (2: not face, face). The grey crop is given to the
network as R = G = B.
"""

import argparse
import hashlib
import struct
import sys
from pathlib import Path

import numpy as np

MAGIC = b"ONET\x00f16"

# name, Keras shape
TENSORS = [
    ("conv1.w", (3, 3, 3, 32)),
    ("conv1.b", (32,)),
    ("prelu1", (1, 1, 32)),
    ("conv2.w", (3, 3, 32, 64)),
    ("conv2.b", (64,)),
    ("prelu2", (1, 1, 64)),
    ("conv3.w", (3, 3, 64, 64)),
    ("conv3.b", (64,)),
    ("prelu3", (1, 1, 64)),
    ("conv4.w", (2, 2, 64, 128)),
    ("conv4.b", (128,)),
    ("prelu4", (1, 1, 128)),
    ("fc5.w", (1152, 256)),
    ("fc5.b", (256,)),
    ("prelu5", (256,)),
    ("cls.w", (256, 2)),
    ("cls.b", (2,)),
    ("box.w", (256, 4)),
    ("box.b", (4,)),
    ("points.w", (256, 10)),
    ("points.b", (10,)),
]


def load(path):
    weights = np.load(path, allow_pickle=True).tolist()["onet"]
    if len(weights) != len(TENSORS):
        sys.exit(f"expected {len(TENSORS)} ONet tensors, found {len(weights)}")
    out = []
    for (name, shape), w in zip(TENSORS, weights):
        if tuple(w.shape) != shape:
            sys.exit(f"{name}: expected shape {shape}, found {w.shape}")
        out.append(np.asarray(w, dtype=np.float32))
    return out


def write_model(tensors, path):
    blob = bytearray(MAGIC)
    blob += struct.pack("<I", len(tensors))
    for t in tensors:
        blob += struct.pack("<I", t.ndim)
        blob += struct.pack(f"<{t.ndim}I", *t.shape)
        blob += t.astype("<f2").tobytes(order="C")
    Path(path).write_bytes(bytes(blob))
    return bytes(blob)


# ---- reference forward pass (plain numpy, written for clarity) ----


def conv_valid(x, w, b):
    """x: H x W x Cin, w: k x k x Cin x Cout -> (H-k+1) x (W-k+1) x Cout."""
    k = w.shape[0]
    h, wd = x.shape[0] - k + 1, x.shape[1] - k + 1
    out = np.zeros((h, wd, w.shape[3]), dtype=np.float64) + b
    for ky in range(k):
        for kx in range(k):
            out += np.tensordot(x[ky : ky + h, kx : kx + wd, :], w[ky, kx], axes=([2], [0]))
    return out


def prelu(x, a):
    return np.where(x > 0, x, x * a.reshape(-1))


def max_pool_ceil(x, k, s):
    """Caffe pooling: out = ceil((in - k) / s) + 1, windows clipped to the input."""
    h, w, _ = x.shape
    oh = -(-(h - k) // s) + 1
    ow = -(-(w - k) // s) + 1
    out = np.empty((oh, ow, x.shape[2]))
    for i in range(oh):
        for j in range(ow):
            out[i, j] = x[i * s : min(i * s + k, h), j * s : min(j * s + k, w)].max(axis=(0, 1))
    return out


def forward(t, crop):
    """crop: 48 x 48 uint8 grey, row = y. Returns (reg[4], points[10], prob[2])."""
    x = (crop.astype(np.float64) - 127.5) / 128.0
    x = np.repeat(x.T[:, :, None], 3, axis=2)  # transposed: height axis = image x
    t = [a.astype(np.float64) for a in t]
    x = max_pool_ceil(prelu(conv_valid(x, t[0], t[1]), t[2]), 3, 2)  # 46 -> 23
    x = max_pool_ceil(prelu(conv_valid(x, t[3], t[4]), t[5]), 3, 2)  # 21 -> 10
    x = max_pool_ceil(prelu(conv_valid(x, t[6], t[7]), t[8]), 2, 2)  # 8 -> 4
    x = prelu(conv_valid(x, t[9], t[10]), t[11])  # 3 x 3 x 128
    x = x.reshape(-1)  # H, W, C order, as Keras's Flatten
    x = prelu(x @ t[12] + t[13], t[14])
    logits = x @ t[15] + t[16]
    e = np.exp(logits - logits.max())
    return x @ t[17] + t[18], x @ t[19] + t[20], e / e.sum()


def synthetic_crop():
    """A deterministic face-like 48x48 grey crop: a lit oval, two dark eyes
    (not mirror-symmetric, so a swapped axis shows), brows, a mouth."""
    yy, xx = np.mgrid[0:48, 0:48].astype(np.float64)
    img = 60 + 40 * (xx / 47) + 20 * (yy / 47)
    oval = ((xx - 24) / 17) ** 2 + ((yy - 26) / 21) ** 2 < 1
    img[oval] = 175 + 15 * np.sin(xx[oval] / 5)
    for cx, cy, r in [(16.0, 20.0, 3.0), (32.5, 21.0, 3.5)]:
        img[(xx - cx) ** 2 + (yy - cy) ** 2 < r * r] = 40
        img[(np.abs(yy - (cy - 5)) < 1.2) & (np.abs(xx - cx) < 5)] = 90
    img[(np.abs(yy - 36) < 1.5) & (np.abs(xx - 24) < 7)] = 80
    return np.clip(np.round(img), 0, 255).astype(np.uint8)


def main():
    root = Path(__file__).resolve().parent.parent
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("weights", help="mtcnn/data/mtcnn_weights.npy from the mtcnn 0.1.1 wheel")
    ap.add_argument("--out", default=root / "src/face/onet.bin")
    ap.add_argument("--fixture", default=root / "src/face/onet_check.bin")
    args = ap.parse_args()

    src = Path(args.weights).read_bytes()
    print(f"source {args.weights}: sha256 {hashlib.sha256(src).hexdigest()}")
    tensors = load(args.weights)
    blob = write_model(tensors, args.out)
    print(f"wrote {args.out}: {len(blob)} bytes, sha256 {hashlib.sha256(blob).hexdigest()}")

    # The reference runs on the weights as stored (float16), so the Rust
    # test checks the forward pass, not the quantisation.
    stored = [t.astype("<f2").astype(np.float32) for t in tensors]
    crop = synthetic_crop()
    reg, pts, prob = forward(stored, crop)
    reg32, pts32, prob32 = forward(tensors, crop)
    q = max(np.abs(reg - reg32).max(), np.abs(pts - pts32).max(), np.abs(prob - prob32).max())
    print(f"float16 vs float32 weights on the fixture: largest output difference {q:.2e}")
    print("fixture outputs: reg", np.round(reg, 4), "points", np.round(pts, 4), "prob", np.round(prob, 4))
    fixture = crop.tobytes() + np.concatenate([reg, pts, prob]).astype("<f4").tobytes()
    Path(args.fixture).write_bytes(fixture)
    print(f"wrote {args.fixture}: {len(fixture)} bytes")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Converts dlib's 5-point face landmark model into biocapture's embedded
model file and writes the fixture the Rust unit test checks against.

    python3 scripts/convert-sp5.py path/to/shape_predictor_5_face_landmarks.dat

The model is Davis King's `shape_predictor_5_face_landmarks.dat` (public
domain), as the PyPI package `face_recognition_models` 0.3.0 ships it; see
`models/README.md` for where it comes from and how to fetch it. Needs numpy
only: the script reads dlib's serialisation format itself.

The model is an ensemble of regression trees (Kazemi and Sullivan, "One
millisecond face alignment with an ensemble of regression trees", CVPR
2014): 15 cascade levels of 500 trees of depth 4. Each level reads 800
pixels placed relative to the current shape, each tree compares two of
them and adds its leaf's shape change. The five points are the outer and
inner corners of the image-right eye, the same of the image-left eye, and
the bottom of the nose.

Writes (paths relative to the repository root, overridable with --out and
--fixture):

* `src/face/sp5.bin`: the model, layout below.
* `src/face/sp5_check.bin`: a synthetic 120x100 grey image, two face
  rectangles and the ten point coordinates the reference below computes
  for each, from the model exactly as stored.

File layout of sp5.bin (little endian throughout):

    magic     8 bytes  b"SP5\\x00f16\\x00"
    points    u32      5
    levels    u32      15
    trees     u32      500 per level
    depth     u32      4 (15 splits and 16 leaves per tree)
    pixels    u32      800 feature pixels per level
    initial   points*2 x f32 (x0, y0, x1, y1, ...) in the unit square
    per level:
      anchors pixels x u8    the shape point each feature pixel hangs on
      deltas  pixels*2 x f32 its offset from that point (x, y)
      per tree:
        splits 15 x (u16 idx1, u16 idx2, f32 threshold), breadth first
        leaves 16 x points*2 x f16 shape changes

dlib keeps every number as float32; only the leaves are rounded here, to
float16, which halves the file (3.4 instead of 5.8 MB). Each leaf is at
most 0.03 of the face box and moves by under 1e-5 of it, but the shape
steers where later levels read their pixels, so now and then a split
decides the other way: on 60 CSU faces in a 120-pixel box, the largest
coordinate difference against the float32 leaves was a median 0.05 px, at
most 3.3 px. The thresholds stay float32.

sp5_check.bin: width u32, height u32, the grey pixels row by row, a count
u32, then per rectangle 4 f32 (left, top, right, bottom) and the 10 f32
coordinates (x0, y0, ...) the reference gives.
"""

import argparse
import hashlib
import struct
import sys
from pathlib import Path

import numpy as np

MAGIC = b"SP5\x00f16\x00"


class Reader:
    """dlib's serialisation: integers as a length byte (low 4 bits: byte
    count; bit 7: negative) then that many little-endian bytes; floats as
    an integer mantissa and an integer exponent; vectors as a count then
    their items; column vectors as -rows, -cols, then their items."""

    def __init__(self, data):
        self.data = data
        self.at = 0

    def int(self):
        head = self.data[self.at]
        self.at += 1
        n = head & 0x0F
        if n > 8:
            raise ValueError(f"bad integer header {head:#x} at {self.at - 1}")
        value = int.from_bytes(self.data[self.at : self.at + n], "little")
        self.at += n
        return -value if head & 0x80 else value

    def float(self):
        mantissa, exponent = self.int(), self.int()
        if exponent >= 32000:
            raise ValueError("infinite or NaN float in the model")
        return float(mantissa) * 2.0**exponent

    def column(self):
        rows, cols = -self.int(), -self.int()
        if cols != 1 or rows <= 0:
            raise ValueError(f"expected a column vector, got {rows}x{cols}")
        return [self.float() for _ in range(rows)]


def load(path):
    r = Reader(Path(path).read_bytes())
    if r.int() != 1:
        raise ValueError("unknown shape_predictor version")
    initial = r.column()
    forests = []
    for _ in range(r.int()):
        trees = []
        for _ in range(r.int()):
            splits = [(r.int(), r.int(), r.float()) for _ in range(r.int())]
            leaves = [r.column() for _ in range(r.int())]
            trees.append((splits, leaves))
        forests.append(trees)
    anchors = [[r.int() for _ in range(r.int())] for _ in range(r.int())]
    deltas = []
    for _ in range(r.int()):
        deltas.append([(r.float(), r.float()) for _ in range(r.int())])
    if r.at != len(r.data):
        raise ValueError("trailing bytes after the model")
    return initial, forests, anchors, deltas


def check(initial, forests, anchors, deltas):
    points = len(initial) // 2
    levels = len(forests)
    trees = len(forests[0])
    pixels = len(anchors[0])
    if points != 5 or len(anchors) != levels or len(deltas) != levels:
        raise ValueError("unexpected model shape")
    for level, forest in enumerate(forests):
        if len(forest) != trees or len(anchors[level]) != pixels:
            raise ValueError("levels differ in size")
        if max(anchors[level]) >= points or len(deltas[level]) != pixels:
            raise ValueError("bad anchors or deltas")
        for splits, leaves in forest:
            if len(splits) != 15 or len(leaves) != 16:
                raise ValueError("trees must have depth 4")
            if any(len(v) != 2 * points for v in leaves):
                raise ValueError("bad leaf size")
            if max(max(a, b) for a, b, _ in splits) >= pixels:
                raise ValueError("split reads past the feature pixels")
    return points, levels, trees, pixels


def write_model(path, initial, forests, anchors, deltas):
    points, levels, trees, pixels = check(initial, forests, anchors, deltas)
    out = bytearray(MAGIC)
    out += struct.pack("<5I", points, levels, trees, 4, pixels)
    out += np.asarray(initial, "<f4").tobytes()
    for level in range(levels):
        out += np.asarray(anchors[level], np.uint8).tobytes()
        out += np.asarray(deltas[level], "<f4").tobytes()
        for splits, leaves in forests[level]:
            for a, b, t in splits:
                out += struct.pack("<HHf", a, b, t)
            out += np.asarray(leaves, "<f2").tobytes()
    Path(path).write_bytes(out)
    return bytes(out)


def read_model(blob):
    """The model back from sp5.bin, as the Rust side reads it."""
    points, levels, trees, depth, pixels = struct.unpack_from("<5I", blob, 8)
    at = 28
    initial = np.frombuffer(blob, "<f4", 2 * points, at)
    at += 8 * points
    model = []
    for _ in range(levels):
        anchors = np.frombuffer(blob, np.uint8, pixels, at)
        at += pixels
        deltas = np.frombuffer(blob, "<f4", 2 * pixels, at).reshape(pixels, 2)
        at += 8 * pixels
        forest = []
        for _ in range(trees):
            splits = [struct.unpack_from("<HHf", blob, at + 8 * i) for i in range(15)]
            at += 8 * 15
            leaves = np.frombuffer(blob, "<f2", 16 * 2 * points, at)
            at += 4 * 16 * points
            forest.append(
                (splits, leaves.reshape(16, 2 * points).astype(np.float32))
            )
        model.append((anchors, deltas, forest))
    if at != len(blob):
        raise ValueError("sp5.bin has trailing bytes")
    return initial.astype(np.float32), model


def similarity(frm, to):
    """The 2x2 part of the least-squares similarity transform taking the
    points `frm` onto `to` (float64, cast to float32 as dlib does)."""
    a = frm - frm.mean(0)
    b = to - to.mean(0)
    norm = (a * a).sum()
    c = (a[:, 0] * b[:, 0] + a[:, 1] * b[:, 1]).sum() / norm
    s = (a[:, 0] * b[:, 1] - a[:, 1] * b[:, 0]).sum() / norm
    return np.array([[c, -s], [s, c]]).astype(np.float32)


def predict(initial, model, img, rect):
    """dlib's shape_predictor on a grey image (rows of u8) and a float
    rectangle (left, top, right, bottom): float32 shape, leaves added one
    tree at a time, feature pixels rounded to the nearest pixel, 0 outside
    the image."""
    h, w = img.shape
    left, top, right, bottom = rect
    sx, sy = right - left, bottom - top
    reference = initial.reshape(-1, 2)
    shape = reference.copy()
    for anchors, deltas, forest in model:
        m = similarity(reference.astype(np.float64), shape.astype(np.float64))
        values = np.zeros(len(anchors), np.float32)
        for i, (k, d) in enumerate(zip(anchors, deltas)):
            p = (m @ d).astype(np.float32) + shape[k]
            x = np.floor(left + float(p[0]) * sx + 0.5)
            y = np.floor(top + float(p[1]) * sy + 0.5)
            if 0 <= x < w and 0 <= y < h:
                values[i] = img[int(y), int(x)]
        for splits, leaves in forest:
            node = 0
            while node < 15:
                a, b, t = splits[node]
                node = 2 * node + 1 if values[a] - values[b] > np.float32(t) else 2 * node + 2
            shape = (shape + leaves[node - 15].reshape(-1, 2)).astype(np.float32)
    return np.stack([left + shape[:, 0] * sx, top + shape[:, 1] * sy], 1)


def fixture_image():
    """A cartoon face (lit oval, dark eyes and brows, nose shadow, mouth) on
    a darker ground, 120x100."""
    w, h = 120, 100
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    img = np.full((h, w), 60.0)
    img[((x - 60) / 30) ** 2 + ((y - 52) / 40) ** 2 < 1] = 185
    for ex in (46, 74):
        img[((x - ex) / 7) ** 2 + ((y - 44) / 3.5) ** 2 < 1] = 230
        img[(x - ex) ** 2 + (y - 44) ** 2 < 7] = 40
        img[(np.abs(x - ex) < 8) & (np.abs(y - 36) < 1.5)] = 70
    img[(np.abs(x - 60) < 4) & (np.abs(y - 62) < 2)] = 120
    img[(np.abs(x - 60) < 10) & (np.abs(y - 74) < 1.5)] = 90
    img += 8 * np.sin(x * 0.7) * np.cos(y * 0.45)
    return np.clip(np.round(img), 0, 255).astype(np.uint8)


def main():
    root = Path(__file__).resolve().parent.parent
    ap = argparse.ArgumentParser()
    ap.add_argument("dat")
    ap.add_argument("--out", default=root / "src/face/sp5.bin")
    ap.add_argument("--fixture", default=root / "src/face/sp5_check.bin")
    args = ap.parse_args()
    blob = write_model(args.out, *load(args.dat))
    print(f"{args.out}: {len(blob)} bytes, sha256 {hashlib.sha256(blob).hexdigest()}")
    initial, model = read_model(blob)
    img = fixture_image()
    rects = [(28.0, 20.0, 92.0, 84.0), (22.5, 16.25, 99.0, 92.75)]
    out = bytearray(struct.pack("<2I", img.shape[1], img.shape[0]))
    out += img.tobytes()
    out += struct.pack("<I", len(rects))
    for rect in rects:
        pts = predict(initial, model, img, rect)
        print("rect", rect, "points", np.round(pts, 2).tolist(), file=sys.stderr)
        out += np.asarray(rect, "<f4").tobytes()
        out += np.asarray(pts, "<f4").reshape(-1).tobytes()
    Path(args.fixture).write_bytes(out)
    print(f"{args.fixture}: {len(out)} bytes")


if __name__ == "__main__":
    main()

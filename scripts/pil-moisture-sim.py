#!/usr/bin/env python3
"""Wet, dry and smeared prints made with PIL, a third check beside eval_degrade's own.

usage: scripts/pil-moisture-sim.py [DATA_DIR] [--out DIR]

Degrades the clean shared prints (NFIQ 2 >= 50, FVC2000 DB1 and DB2) with
Pillow and NumPy only (code that shares nothing with this crate), writes them
to OUT (default target/pil-moisture-sim; never committed), runs
`cargo run --release --example assess -- fingerprint` on them and prints how
many get the expected moisture reason and how many the contrary one:

- wet: 3x3 grey erosion (MinFilter), gamma 1.6 (darker mid-greys), Gaussian
  blur of radius (sigma) 1 px;
- wet, unblurred: the same without the blur;
- dry: 3x3 grey dilation (MaxFilter), contrast cut to 0.7 towards white,
  3 % of the pixels set white (broken ridges);
- smear: inside an ellipse (semi-axes 0.14 and 0.09 of the shorter side,
  at a random angle, centred at a random point of the middle third, edge
  softened by a Gaussian of 4 px), the print blurred (Gaussian, 3 px) and
  darkened by 10 grey levels: ridges wiped out over about a twentieth of
  the contact, a moderate smudge.
"""
import csv, json, os, subprocess, sys

import numpy as np
from PIL import Image, ImageFilter

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(here)
args = sys.argv[1:]
out = os.path.join(root, "target", "pil-moisture-sim")
if "--out" in args:
    i = args.index("--out"); out = args[i + 1]; del args[i:i + 2]
data = os.path.abspath(args[0] if args else os.path.join(root, "..", "shared", "data", "fingerprint"))
os.makedirs(out, exist_ok=True)

prints = []
for name, tag in (("fvc2000_db1_b", "db1"), ("fvc2000_db2_b_subset", "db2")):
    d = os.path.join(data, name)
    with open(os.path.join(d, "nfiq2.csv")) as f:
        for row in list(csv.reader(f))[1:]:
            if row[1] not in ("", "NA") and float(row[1]) >= 50:
                prints.append((os.path.join(d, row[0]), tag + "_" + row[0].rsplit(".", 1)[0]))

rng = np.random.default_rng(7)
files = []
for path, tag in prints:
    im = Image.open(path).convert("L")
    eroded = np.asarray(im.filter(ImageFilter.MinFilter(3)), dtype=np.float32) / 255.0
    wet = Image.fromarray((255.0 * eroded ** 1.6).astype(np.uint8))
    wet.save(os.path.join(out, f"wetunblurred_{tag}.png"))
    wet.filter(ImageFilter.GaussianBlur(1)).save(os.path.join(out, f"wet_{tag}.png"))
    dry = np.asarray(im.filter(ImageFilter.MaxFilter(3)), dtype=np.float32)
    dry = 255.0 - (255.0 - dry) * 0.7
    dry[rng.random(dry.shape) < 0.03] = 255.0
    Image.fromarray(dry.astype(np.uint8)).save(os.path.join(out, f"dry_{tag}.png"))
    a = np.asarray(im, dtype=np.float32)
    h, w = a.shape
    side = min(w, h)
    cx, cy = rng.uniform(w / 3, 2 * w / 3), rng.uniform(h / 3, 2 * h / 3)
    t = rng.uniform(0, np.pi)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    u = ((xx - cx) * np.cos(t) + (yy - cy) * np.sin(t)) / (0.14 * side)
    v = (-(xx - cx) * np.sin(t) + (yy - cy) * np.cos(t)) / (0.09 * side)
    inside = Image.fromarray(((u * u + v * v <= 1.0) * 255).astype(np.uint8))
    m = np.asarray(inside.filter(ImageFilter.GaussianBlur(4)), dtype=np.float32) / 255.0
    blurred = np.asarray(im.filter(ImageFilter.GaussianBlur(3)), dtype=np.float32) - 10.0
    smear = np.clip(a * (1.0 - m) + blurred * m, 0, 255)
    Image.fromarray(smear.astype(np.uint8)).save(os.path.join(out, f"smear_{tag}.png"))
    files += [os.path.join(out, f"{k}_{tag}.png") for k in ("wet", "wetunblurred", "dry", "smear")]

run = subprocess.run(
    ["cargo", "run", "--quiet", "--release", "--example", "assess", "--", "fingerprint", *files],
    cwd=root, capture_output=True, text=True, check=True)
counts = {}
for line in run.stdout.splitlines():
    if not line.startswith("{"):
        continue
    j = json.loads(line)
    kind = os.path.basename(j["file"]).split("_")[0]
    want, wrong = {"dry": ("too_dry", "too_wet"), "smear": ("smudged", None)}.get(
        kind, ("too_wet", "too_dry"))
    c = counts.setdefault(kind, [0, 0, 0])
    c[0] += want in j["reasons"]; c[1] += wrong in j["reasons"]; c[2] += 1
for kind, (hit, bad, n) in sorted(counts.items()):
    print(f"PIL {kind:13s} expected reason {hit:3d} of {n}  contrary {bad}")

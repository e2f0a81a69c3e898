#!/usr/bin/env python3
"""Time per print through Python, to set beside the Rust bench
(`cargo bench --bench fingerprint -- full/388x374`).

usage: python/bench_overhead.py [PRINT] [--ppi N] [--seconds S]

Measures what the Rust bench measures, called from Python: the whole
assessment of one print plus the verdict under the default policy,
`policy.judge(assessor.assess(img))`, on an array decoded once. Prints the
mean and median time per call over samples of about 0.1 s each, after a
warm-up, the way criterion reports its estimate. Needs the biocapture
package (`maturin develop --release` in crates/biocapture-py).
"""
import argparse
import os
import statistics
import time

import biocapture

here = os.path.dirname(os.path.abspath(__file__))
ap = argparse.ArgumentParser(usage=__doc__)
ap.add_argument("print", nargs="?", default=os.path.join(here, "..", "testdata", "fingerprint", "clean_whorl_388x374.png"))
ap.add_argument("--ppi", type=int, default=500)
ap.add_argument("--seconds", type=float, default=5.0, help="measuring time (default 5, as criterion)")
opt = ap.parse_args()

img = biocapture.load_image(opt.print)
assessor = biocapture.FingerprintAssessor(ppi=opt.ppi)
policy = biocapture.FingerprintPolicy()


def once():
    return policy.judge(assessor.assess(img))


# Warm-up (criterion warms up for 3 s) and an estimate of one call.
t0 = time.perf_counter()
n = 0
while time.perf_counter() - t0 < 3.0:
    once()
    n += 1
per_call = (time.perf_counter() - t0) / n
batch = max(1, int(0.1 / per_call))
samples = []
t0 = time.perf_counter()
while time.perf_counter() - t0 < opt.seconds:
    s = time.perf_counter()
    for _ in range(batch):
        once()
    samples.append((time.perf_counter() - s) / batch)
ms = [x * 1e3 for x in samples]
h, w = img.shape
print(
    f"python {os.path.basename(opt.print)} {w}x{h}: mean {statistics.mean(ms):.4f} ms, "
    f"median {statistics.median(ms):.4f} ms, min {min(ms):.4f} ms "
    f"({len(ms)} samples of {batch} calls; in place: {assessor.reads_in_place(img)})"
)

#!/usr/bin/env python3
"""How far each of NFIQ 2.3's own features ranks prints as NFIQ 2.3 does.

    ~/.cache/nfiq2-venv/bin/python scripts/nfiq2-feature-ranks.py [DATA_DIR] [--top N]

Runs NIST NFIQ 2.3 (through `nbis-py` 0.1.3, the package
`../shared/tools/nfiq2-score` installs into its venv; run that tool once
first) on every print of the shared real sets and prints, per set, the
Spearman correlation between NFIQ 2.3's score and each of its 69 input
features, the features ordered by their absolute correlation on the first
set. It answers whether a single transparent measure could share NFIQ
2.3's ranking on a sensor: where none of NFIQ 2.3's own features does,
its score there is its random forest's combination of many. Needs numpy,
nbis and Pillow only.
"""
import io
import os
import sys

import nbis
import numpy as np
from PIL import Image

SETS = ["fvc2000_db1_b", "fvc2000_db2_b", "fvc2000_db3_b", "fvc2002_db3_b", "fvc2004_db1_b", "fvc2004_db3_b"]


def ranks(v):
    """Ranks from 1, ties sharing their mean rank."""
    order = np.argsort(v, kind="stable")
    r = np.empty(len(v))
    r[order] = np.arange(1, len(v) + 1)
    for x in np.unique(v):
        tied = v == x
        r[tied] = r[tied].mean()
    return r


def spearman(a, b):
    keep = np.isfinite(a) & np.isfinite(b)
    a, b = ranks(a[keep]), ranks(b[keep])
    if a.std() == 0 or b.std() == 0:
        return float("nan")
    return float(np.corrcoef(a, b)[0, 1])


def main(args):
    top = 15
    if "--top" in args:
        i = args.index("--top")
        top = int(args[i + 1])
        args = args[:i] + args[i + 2:]
    data = args[0] if args else "../shared/data/fingerprint"
    ex = nbis.new_nbis_extractor(nbis.NbisExtractorSettings(
        min_quality=0.0, get_center=False, check_fingerprint=False, compute_nfiq2=True, ppi=500.0))
    table = {}
    names = None
    for s in SETS:
        d = os.path.join(data, s)
        scores, feats = [], []
        for f in sorted(os.listdir(d)):
            if not f.endswith(".tif"):
                continue
            buf = io.BytesIO()
            Image.open(os.path.join(d, f)).convert("L").save(buf, format="PNG")
            try:
                q = ex.extract_minutiae(buf.getvalue()).quality()
            except Exception:  # NFIQ 2 refuses blank or too-small prints
                continue
            values = {v.name: v.value for v in q.features}
            names = names or sorted(values)
            scores.append(q.score)
            feats.append([values.get(n, np.nan) for n in names])
        scores, feats = np.array(scores, float), np.array(feats, float)
        for j, n in enumerate(names):
            table[(s, n)] = spearman(scores, feats[:, j])
        print(f"{s}: {len(scores)} prints scored", file=sys.stderr)
    order = sorted(names, key=lambda n: -abs(np.nan_to_num(table[(SETS[0], n)])))
    print("| feature | " + " | ".join(SETS) + " |")
    print("|---" * (len(SETS) + 1) + "|")
    for n in order[:top]:
        print(f"| {n} | " + " | ".join(f"{table[(s, n)]:.2f}" for s in SETS) + " |")
    for s in SETS:
        best = max(names, key=lambda n: abs(np.nan_to_num(table[(s, n)])))
        print(f"{s}: strongest single feature {best}, Spearman {table[(s, best)]:.2f}")


if __name__ == "__main__":
    main(sys.argv[1:])

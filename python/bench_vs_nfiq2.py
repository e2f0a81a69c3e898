#!/usr/bin/env python3
"""biocapture beside NIST NFIQ 2 on a folder of fingerprints: scores, time per
image, and, given genuine comparison scores, the error-versus-reject curve.

usage: python/bench_vs_nfiq2.py FOLDER [--comparisons CSV] [--out DIR] [--ppi N]
                                [--nfiq2-csv CSV] [--no-nfiq2] [--threshold 33] [--max-reject 0.3]

FOLDER       prints (PNG, TIFF, BMP, PGM, JPEG), 8-bit grey; searched recursively.
--comparisons  a,b,genuine,score (BOZORTH3 scores from ../shared/tools/match-scores,
             or any matcher's); a and b are file names. Enables the ERC chart.
--nfiq2-csv  NFIQ 2 scores already computed (file,nfiq2[,...,ms], the output of
             nfiq2-score) instead of running NFIQ 2 here.
--no-nfiq2   biocapture alone.

biocapture: the installed Python package (numpy in); each file is decoded once
with biocapture.load_image (the command-line tool's decoder), and the time per
image is `assess` plus the verdict, decoding excluded.
NFIQ 2: run here when its Python wheel is installed (`pip install nbis-py==0.1.3
pillow`, NFIQ 2.3 with its model embedded), exactly as ../shared/tools/nfiq2-score
runs it: the image converted to grey PNG bytes with Pillow, NFIQ 2's own time
measured apart from the MINDTCT run the wheel always does. Without it, and without
--nfiq2-csv, only biocapture is charted.

ERC (ISO/IEC 29794-1), defined as ../shared/tools/erc defines it: genuine pairs are
rejected in order of their lower quality (ties in a fixed pseudo-random order,
missing or refused = lowest), and the false non-match rate of the rest is read at
score < THRESHOLD, for 0..MAX_REJECT rejected in steps of 1 %; the ERC area is the
mean of that curve (lower is better). A random order is the baseline.

Writes OUT/scores.csv (one row per file), OUT/time.png, OUT/scatter.png,
OUT/erc.png (with --comparisons) and OUT/summary.png (the panels side by side),
and prints a summary. OUT defaults to ./bench-out.
"""
import argparse
import csv
import io
import os
import random
import statistics
import sys
import time

EXTS = (".png", ".tif", ".tiff", ".bmp", ".pgm", ".jpg", ".jpeg")


def find_prints(folder):
    paths = []
    for root, _, files in os.walk(folder):
        paths += [os.path.join(root, f) for f in files if f.lower().endswith(EXTS)]
    return sorted(paths)


def run_biocapture(paths, ppi):
    import biocapture

    assessor = biocapture.FingerprintAssessor(ppi=ppi)
    policy = biocapture.FingerprintPolicy()
    rows = {}
    for path in paths:
        name = os.path.basename(path)
        try:
            img = biocapture.load_image(path)
            t = time.perf_counter()
            report = assessor.assess(img)
            verdict = policy.judge(report)
            ms = (time.perf_counter() - t) * 1e3
        except (OSError, ValueError) as e:
            print(f"{path}: {e}", file=sys.stderr)
            rows[name] = {"clarity": None, "verdict": "error", "reasons": "", "ms": None}
            continue
        rows[name] = {
            "clarity": report.clarity,
            "verdict": verdict.decision,
            "reasons": " ".join(verdict.reasons),
            "moisture_index": report.moisture.index,
            "smudge_fraction": report.smudge.fraction,
            "ms": ms,
        }
    return rows


def nfiq2_available():
    try:
        import nbis  # noqa: F401
        import PIL  # noqa: F401
    except ImportError:
        return False
    return True


def run_nfiq2(paths):
    """NFIQ 2.3 through the nbis-py wheel, as ../shared/tools/nfiq2-score does."""
    import nbis
    from PIL import Image

    def extractor(nfiq2):
        return nbis.new_nbis_extractor(nbis.NbisExtractorSettings(
            min_quality=0.0, get_center=False, check_fingerprint=False,
            compute_nfiq2=nfiq2, ppi=500.0))

    ex, plain = extractor(True), extractor(False)
    rows = {}
    for path in paths:
        buf = io.BytesIO()
        Image.open(path).convert("L").save(buf, format="PNG")
        data = buf.getvalue()
        try:
            t = time.perf_counter()
            q = ex.extract_minutiae(data).quality()
            t1 = time.perf_counter()
            plain.extract_minutiae(data)
            ms = max(0.0, (t1 - t) - (time.perf_counter() - t1)) * 1e3
            rows[os.path.basename(path)] = {"nfiq2": float(q.score), "ms": ms}
        except Exception as e:  # NFIQ 2 refuses blank or too-small prints
            print(f"{path}: NFIQ 2 refused it ({type(e).__name__}: {e})", file=sys.stderr)
            rows[os.path.basename(path)] = {"nfiq2": None, "ms": None}
    return rows


def read_nfiq2_csv(path):
    rows = {}
    for r in csv.DictReader(open(path)):
        def num(key):
            try:
                return float(r[key])
            except (KeyError, TypeError, ValueError):
                return None
        rows[r["file"].split("/")[-1]] = {"nfiq2": num("nfiq2"), "ms": num("ms")}
    return rows


def read_genuine(path):
    return [r for r in csv.DictReader(open(path)) if r["genuine"] == "1"]


def erc_curve(genuine, quality, threshold=33.0, max_reject=0.3):
    """FNMR at 0, 1, ..., max_reject*100 % of genuine pairs rejected, lowest
    quality first: ../shared/tools/erc's definition, line for line."""
    steps = [i / 100 for i in range(0, int(max_reject * 100) + 1)]
    pairs = sorted(
        (min(quality.get(r["a"], -1e9), quality.get(r["b"], -1e9)),
         random.Random(r["a"] + r["b"]).random(), float(r["score"]))
        for r in genuine
    )
    out = []
    for s in steps:
        kept = pairs[int(round(s * len(pairs))):]
        out.append(sum(p[2] < threshold for p in kept) / len(kept))
    return steps, out


def random_quality(genuine):
    names = {r["a"] for r in genuine} | {r["b"] for r in genuine}
    return {n: random.Random(n).random() for n in names}


def scores(rows, key):
    return {n: (r[key] if r.get(key) is not None else -1e9) for n, r in rows.items()}


def ranks(v):
    order = sorted(range(len(v)), key=lambda i: v[i])
    r = [0.0] * len(v)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and v[order[j + 1]] == v[order[i]]:
            j += 1
        for k in range(i, j + 1):
            r[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return r


def spearman(a, b):
    if len(a) < 2:
        return float("nan")
    ra, rb = ranks(a), ranks(b)
    ma, mb = statistics.mean(ra), statistics.mean(rb)
    cov = sum((x - ma) * (y - mb) for x, y in zip(ra, rb))
    va = sum((x - ma) ** 2 for x in ra) ** 0.5
    vb = sum((y - mb) ** 2 for y in rb) ** 0.5
    return cov / (va * vb) if va and vb else float("nan")


def charts(out, names, bio, nf, ercs, threshold, title):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    blue, orange, grey = "#1f77b4", "#ff7f0e", "#7f7f7f"

    def time_panel(ax):
        series = [("biocapture", [bio[n]["ms"] for n in names if bio[n]["ms"] is not None], blue)]
        if nf:
            series.append(("NFIQ 2.3", [nf[n]["ms"] for n in names if n in nf and nf[n]["ms"] is not None], orange))
        for i, (label, ms, colour) in enumerate(series):
            jitter = [i + random.Random(k).uniform(-0.25, 0.25) for k in range(len(ms))]
            ax.scatter(jitter, ms, s=8, alpha=0.6, color=colour)
            med = statistics.median(ms) if ms else float("nan")
            ax.hlines(med, i - 0.35, i + 0.35, color="black")
            ax.annotate(f"median {med:.2f} ms", (i, med), textcoords="offset points",
                        xytext=(0, 8), ha="center", fontsize=8)
        ax.set_xticks(range(len(series)), [s[0] for s in series])
        ax.set_yscale("log")
        top = max((max(ms) for _, ms, _ in series if ms), default=1.0)
        ax.set_ylim(top=top * 3)
        ax.set_ylabel("ms per image (one core)")
        ax.set_title("Time per image")

    def scatter_panel(ax):
        both = [n for n in names if n in nf and bio[n]["clarity"] is not None and nf[n]["nfiq2"] is not None]
        x = [nf[n]["nfiq2"] for n in both]
        y = [bio[n]["clarity"] for n in both]
        ax.scatter(x, y, s=10, alpha=0.7, color=blue)
        ax.set_xlabel("NFIQ 2.3 score")
        ax.set_ylabel("biocapture clarity")
        refused = sum(1 for n in names if n in nf and nf[n]["nfiq2"] is None)
        note = f", {refused} refused by NFIQ 2" if refused else ""
        ax.set_title(f"Scores (Spearman {spearman(x, y):.2f}, n={len(both)}{note})", fontsize=10)
        ax.set_xlim(0, 100)
        ax.set_ylim(0, 100)

    def erc_panel(ax):
        colours = {"biocapture clarity": blue, "NFIQ 2.3": orange, "random order": grey}
        for label, (steps, curve) in ercs.items():
            area = sum(curve) / len(curve)
            ax.plot([100 * s for s in steps], curve, label=f"{label} (area {area:.4f})",
                    color=colours.get(label), linestyle="--" if label == "random order" else "-")
        ax.set_xlabel("genuine comparisons rejected, lowest quality first (%)")
        ax.set_ylabel(f"FNMR (score < {threshold:g})")
        ax.set_title("Error versus reject (lower is better)")
        ax.legend(fontsize=8)
        ax.grid(alpha=0.3)

    panels = [("time", time_panel)]
    if nf:
        panels.append(("scatter", scatter_panel))
    if ercs:
        panels.append(("erc", erc_panel))
    written = []
    for name, draw in panels:
        fig, ax = plt.subplots(figsize=(5, 4))
        draw(ax)
        fig.tight_layout()
        path = os.path.join(out, f"{name}.png")
        fig.savefig(path, dpi=100)
        plt.close(fig)
        written.append(path)
    fig, axes = plt.subplots(1, len(panels), figsize=(4.6 * len(panels), 3.9))
    axes = axes if len(panels) > 1 else [axes]
    for ax, (_, draw) in zip(axes, panels):
        draw(ax)
    fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    path = os.path.join(out, "summary.png")
    fig.savefig(path, dpi=80)
    plt.close(fig)
    written.append(path)
    return written


def main(argv=None):
    ap = argparse.ArgumentParser(usage=__doc__)
    ap.add_argument("folder")
    ap.add_argument("--comparisons")
    ap.add_argument("--out", default="bench-out")
    ap.add_argument("--ppi", type=int, default=500)
    ap.add_argument("--nfiq2-csv")
    ap.add_argument("--no-nfiq2", action="store_true")
    ap.add_argument("--threshold", type=float, default=33)
    ap.add_argument("--max-reject", type=float, default=0.3)
    opt = ap.parse_args(argv)

    paths = find_prints(opt.folder)
    if not paths:
        ap.error(f"no prints under {opt.folder}")
    os.makedirs(opt.out, exist_ok=True)
    names = [os.path.basename(p) for p in paths]
    bio = run_biocapture(paths, opt.ppi)
    nf, nf_source = {}, None
    if opt.nfiq2_csv:
        nf, nf_source = read_nfiq2_csv(opt.nfiq2_csv), opt.nfiq2_csv
    elif not opt.no_nfiq2:
        if nfiq2_available():
            nf, nf_source = run_nfiq2(paths), "nbis-py (run here)"
        else:
            print("NFIQ 2 not installed (pip install nbis-py==0.1.3 pillow): biocapture alone",
                  file=sys.stderr)

    with open(os.path.join(opt.out, "scores.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["file", "clarity", "verdict", "reasons", "biocapture_ms", "nfiq2", "nfiq2_ms"])
        for n in names:
            b, q = bio[n], nf.get(n, {})
            fmt = lambda v, d: "" if v is None else f"{v:.{d}f}"
            w.writerow([n, fmt(b["clarity"], 4), b["verdict"], b["reasons"], fmt(b["ms"], 4),
                        fmt(q.get("nfiq2"), 0), fmt(q.get("ms"), 1)])

    print(f"{len(names)} prints from {opt.folder}; NFIQ 2: {nf_source or 'not run'}")
    bio_ms = [bio[n]["ms"] for n in names if bio[n]["ms"] is not None]
    print(f"biocapture: median {statistics.median(bio_ms):.3f} ms per image, "
          f"{sum(bio[n]['verdict'] == 'retake' for n in names)} retakes")
    if nf:
        nf_ms = [nf[n]["ms"] for n in names if n in nf and nf[n]["ms"] is not None]
        if nf_ms:
            print(f"NFIQ 2.3:   median {statistics.median(nf_ms):.1f} ms per image")
        both = [n for n in names if n in nf and bio[n]["clarity"] is not None and nf[n]["nfiq2"] is not None]
        print(f"Spearman(clarity, NFIQ 2) = "
              f"{spearman([bio[n]['clarity'] for n in both], [nf[n]['nfiq2'] for n in both]):.3f} over {len(both)}")

    ercs = {}
    if opt.comparisons:
        genuine = read_genuine(opt.comparisons)
        sources = [("biocapture clarity", scores(bio, "clarity"))]
        if nf:
            sources.append(("NFIQ 2.3", scores(nf, "nfiq2")))
        sources.append(("random order", random_quality(genuine)))
        print(f"ERC: {len(genuine)} genuine pairs, threshold {opt.threshold:g}")
        for label, q in sources:
            steps, curve = erc_curve(genuine, q, opt.threshold, opt.max_reject)
            ercs[label] = (steps, curve)
            at = lambda f: curve[min(len(curve) - 1, int(round(f * 100)))]
            print(f"  {label:20s} FNMR 0%={at(0):.3f} 10%={at(0.1):.3f} 20%={at(0.2):.3f} "
                  f"30%={at(0.3):.3f}  ERC area={sum(curve) / len(curve):.4f}")
    title = f"biocapture vs NFIQ 2.3: {os.path.basename(os.path.normpath(opt.folder))} ({len(names)} prints)"
    for path in charts(opt.out, names, bio, nf, ercs, opt.threshold, title):
        print(f"wrote {path}")
    print(f"wrote {os.path.join(opt.out, 'scores.csv')}")


if __name__ == "__main__":
    main()

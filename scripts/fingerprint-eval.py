#!/usr/bin/env python3
"""Evaluate the fingerprint clarity score against NIST NFIQ 2.3 on the shared data.

usage: scripts/fingerprint-eval.py [DATA_DIR] [--out DIR] [--min-clarity 40]

Runs `cargo run --release --example assess -- fingerprint` on every print of each
shared set at the set's resolution (its MANIFEST's "512 dpi", 500 ppi otherwise), writes
OUT/<set>.csv (file,clarity,verdict,reasons) from the JSON lines, prints Spearman(clarity,
nfiq2) per set, how the prints NFIQ 2 refuses fare, and runs ../shared/tools/erc
(error-versus-reject, ISO/IEC 29794-1) on every set with BOZORTH3 comparisons.

Then, over those sets: a markdown table of ERC areas (clarity, NFIQ 2.3, random, ratio,
geometric mean), read from the erc tool's own output; the calibration of the scale (the
false non-match rate of the genuine comparisons of prints just below and just above
--min-clarity, per set); and OUT/erc.png, the ERC curves of the two most different sensors
(FVC2000 DB1 optical, FVC2004 DB3 thermal sweep) when matplotlib is installed.
Standard library otherwise. DATA_DIR defaults to ../shared/data/fingerprint.
"""
import csv, json, math, os, subprocess, sys

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(here)
args = [a for a in sys.argv[1:]]
out_dir = "target/fingerprint-eval"
if "--out" in args:
    i = args.index("--out"); out_dir = args[i + 1]; del args[i:i + 2]
data = os.path.abspath(args[0] if args else os.path.join(root, "..", "shared", "data", "fingerprint"))
tools = os.path.join(os.path.dirname(data), "..", "tools")
min_clarity = 40.0
if "--min-clarity" in args:
    i = args.index("--min-clarity"); min_clarity = float(args[i + 1]); del args[i:i + 2]
os.makedirs(out_dir, exist_ok=True)
MOISTURE_SMUDGE = {"too_wet", "too_dry", "smudged", "motion_blur", "sensor_residue"}
exts = (".tif", ".tiff", ".png", ".bmp", ".pgm", ".jpg", ".jpeg")


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
    ra, rb = ranks(a), ranks(b)
    n = len(a)
    ma, mb = sum(ra) / n, sum(rb) / n
    cov = sum((x - ma) * (y - mb) for x, y in zip(ra, rb))
    va = sum((x - ma) ** 2 for x in ra) ** 0.5
    vb = sum((y - mb) ** 2 for y in rb) ** 0.5
    return cov / (va * vb) if va and vb else float("nan")


subprocess.run(["cargo", "build", "--release", "--quiet", "--example", "assess"], cwd=root, check=True)
exe = os.path.join(root, "target", "release", "examples", "assess")
erc_sets = {}
for name in sorted(os.listdir(data)):
    d = os.path.join(data, name)
    nfiq_path = os.path.join(d, "nfiq2.csv")
    if not os.path.isfile(nfiq_path):
        continue
    nfiq = {r["file"]: r["nfiq2"] for r in csv.DictReader(open(nfiq_path))}
    files = sorted(f for f in nfiq if f.lower().endswith(exts))
    # The set's resolution from its MANIFEST ("512 dpi"), 500 ppi otherwise.
    manifest = open(os.path.join(d, "MANIFEST.txt")).read() if os.path.isfile(os.path.join(d, "MANIFEST.txt")) else ""
    words = manifest.replace(",", " ").split()
    ppi = next((w for w, nxt in zip(words, words[1:]) if nxt == "dpi" and w.isdigit()), "500")
    res = subprocess.run([exe, "fingerprint", "--ppi", ppi] + [os.path.join(d, f) for f in files],
                         capture_output=True, text=True)
    rows = [json.loads(l) for l in res.stdout.splitlines() if l.strip()]
    out = os.path.join(out_dir, name + ".csv")
    with open(out, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["file", "clarity", "verdict", "reasons", "ms", "moisture", "smudge"])
        for f, r in zip(files, rows):
            w.writerow([f, r.get("clarity", "NA"), r.get("verdict", "error"),
                        " ".join(r.get("reasons", [])), r.get("ms", ""),
                        r.get("moisture", {}).get("index", ""), r.get("smudge", {}).get("fraction", "")])
    pairs = [(float(r["clarity"]), float(nfiq[f])) for f, r in zip(files, rows)
             if "clarity" in r and nfiq[f] not in ("NA", "")]
    refused = [(f, r) for f, r in zip(files, rows) if nfiq[f] in ("NA", "")]
    rho = spearman([p[0] for p in pairs], [p[1] for p in pairs]) if len(pairs) > 2 else float("nan")
    ms = sorted(float(r["ms"]) for r in rows if "ms" in r)
    print(f"{name}: {len(rows)} prints, Spearman(clarity, nfiq2) = {rho:.3f} over {len(pairs)} scored; "
          f"median {ms[len(ms)//2]:.2f} ms/print" if ms else f"{name}: no output")
    for f, r in refused:
        print(f"  NFIQ 2 refuses {f}: clarity {r.get('clarity')}, verdict {r.get('verdict')} {r.get('reasons')}")
    mi = sorted(r["moisture"]["index"] for r in rows if "moisture" in r)
    if mi:
        q = lambda p: mi[min(len(mi) - 1, int(p * len(mi)))]
        print(f"  moisture index: min {mi[0]:.2f}  p10 {q(0.1):.2f}  median {q(0.5):.2f}  p90 {q(0.9):.2f}  max {mi[-1]:.2f}")
    clean = [(f, r) for f, r in zip(files, rows) if nfiq[f] not in ("NA", "") and float(nfiq[f]) >= 50]
    flags = [(f, [c for c in r.get("reasons", []) if c in MOISTURE_SMUDGE]) for f, r in clean]
    flagged = [(f, c) for f, c in flags if c]
    print(f"  clean prints (NFIQ 2 >= 50): {len(clean)}, with a moisture or smudge reason: {len(flagged)}"
          + "".join(f"\n    {f}: {' '.join(c)}" for f, c in flagged))
    comp = os.path.join(d, "comparisons.csv")
    if os.path.isfile(comp):
        res = subprocess.run([os.path.join(tools, "erc"), comp, nfiq_path + ":nfiq2", out + ":clarity"],
                             capture_output=True, text=True)
        print(res.stdout, end="")
        area = {line.split()[0].split(":")[-1]: float(line.rsplit("=", 1)[1])
                for line in res.stdout.splitlines() if "ERC area=" in line}
        quality = {f: float(r["clarity"]) if "clarity" in r else -1e9 for f, r in zip(files, rows)}
        erc_sets[name] = dict(area=area, comp=comp, clarity=quality,
                              nfiq={f: float(v) if v not in ("NA", "") else -1e9 for f, v in nfiq.items()},
                              rho=rho, synthetic="SYNTHETIC" in manifest)

THRESHOLD, MAX_REJECT = 33, 0.30  # ../shared/tools/erc's defaults


def genuine(comp):
    return [(r["a"], r["b"], float(r["score"])) for r in csv.DictReader(open(comp)) if r["genuine"] == "1"]


def erc_curve(comp, q):
    """FNMR after rejecting 0..30 % of the genuine pairs by their lower quality, the erc tool's way
    (same ordering and tie-break), so its mean equals the tool's ERC area."""
    import random
    pairs = sorted((min(q.get(a, -1e9), q.get(b, -1e9)), random.Random(a + b).random(), s)
                   for a, b, s in genuine(comp))
    out = []
    for i in range(0, int(MAX_REJECT * 100) + 1):
        kept = pairs[int(round(i / 100 * len(pairs))):]
        out.append(sum(p[2] < THRESHOLD for p in kept) / len(kept))
    return out


if erc_sets:
    print("\n| set | clarity | NIST NFIQ 2.3 | random | clarity / NFIQ 2.3 | Spearman vs NFIQ 2.3 |")
    print("|---|---|---|---|---|---|")
    logs = []
    for name, e in erc_sets.items():
        a = e["area"]
        ratio = a["clarity"] / a["nfiq2"]
        if not e["synthetic"]:
            logs.append(math.log(ratio))
        else:
            name += " (synthetic, not in the mean)"
        # The curve below must reproduce the tool's area, or the chart would show something else.
        mine = sum(erc_curve(e["comp"], e["clarity"])) / (int(MAX_REJECT * 100) + 1)
        assert abs(mine - a["clarity"]) < 5e-5, (name, mine, a["clarity"])
        print(f"| {name} | {a['clarity']:.4f} | {a['nfiq2']:.4f} | {a['random']:.4f} | {ratio:.3f} | {e['rho']:.2f} |")
    print(f"\nGeometric mean of clarity / NFIQ 2.3 over the {len(logs)} real sets: {math.exp(sum(logs) / len(logs)):.3f}; "
          f"worst {max(math.exp(x) for x in logs):.3f}")

    # Calibration: the FNMR of the genuine comparisons of prints just below and just above
    # min_clarity (within 10 points), per set: the same threshold should mean the same FNMR.
    print(f"\nFNMR (BOZORTH3 < {THRESHOLD}) of the genuine comparisons of prints with clarity in "
          f"[{min_clarity - 10:g}, {min_clarity:g}) and [{min_clarity:g}, {min_clarity + 10:g}); "
          "all prints; prints retaken:")
    print(f"\n| set | just below {min_clarity:g} | just above {min_clarity:g} | all prints | retaken (< {min_clarity:g}) |")
    print("|---|---|---|---|---|")
    for name, e in erc_sets.items():
        cnt = {"below": [0, 0], "above": [0, 0], "all": [0, 0]}
        for a, b, sc in genuine(e["comp"]):
            for f in (a, b):
                c = e["clarity"].get(f, -1e9)
                keys = ["all"] + (["below"] if min_clarity - 10 <= c < min_clarity else []) + \
                    (["above"] if min_clarity <= c < min_clarity + 10 else [])
                for k in keys:
                    cnt[k][0] += sc < THRESHOLD
                    cnt[k][1] += 1
        cell = lambda k: f"{cnt[k][0] / cnt[k][1]:.2f} ({cnt[k][0]}/{cnt[k][1]})" if cnt[k][1] else "-"
        low = sum(1 for v in e["clarity"].values() if v < min_clarity)
        print(f"| {name} | {cell('below')} | {cell('above')} | {cell('all')} | {low}/{len(e['clarity'])} |")

    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("\nmatplotlib is not installed: no chart")
    else:
        shown = [n for n in ("fvc2000_db1_b", "fvc2004_db3_b") if n in erc_sets]
        fig, axes = plt.subplots(1, len(shown), figsize=(5.5 * len(shown), 4), squeeze=False)
        x = [i for i in range(0, int(MAX_REJECT * 100) + 1)]
        for ax, name in zip(axes[0], shown):
            e = erc_sets[name]
            names = {f for a, b, _ in genuine(e["comp"]) for f in (a, b)}
            import random
            rnd = {n: random.Random(n).random() for n in names}
            for label, q, style in (("biocapture clarity", e["clarity"], "-"),
                                    ("NIST NFIQ 2.3", e["nfiq"], "--"), ("random order", rnd, ":")):
                c = erc_curve(e["comp"], q)
                ax.plot(x, c, style, label=f"{label} (area {sum(c) / len(c):.3f})")
            ax.set_title(name)
            ax.set_xlabel("genuine pairs rejected (%), lowest quality first")
            ax.set_ylabel(f"FNMR, BOZORTH3 < {THRESHOLD}")
            ax.grid(alpha=0.3)
            ax.legend(fontsize=8)
        fig.tight_layout()
        png = os.path.join(out_dir, "erc.png")
        fig.savefig(png, dpi=110)
        print(f"\nERC chart: {png}")

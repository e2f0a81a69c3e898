#!/usr/bin/env python3
"""Evaluate the fingerprint clarity score against NIST NFIQ 2.3 on the shared data.

usage: scripts/fingerprint-eval.py [DATA_DIR] [--out DIR]

Runs `cargo run --release --example assess -- fingerprint` on every print of each
shared set at the set's resolution (its MANIFEST's "512 dpi", 500 ppi otherwise), writes OUT/<set>.csv (file,clarity,verdict,reasons) from the JSON lines,
prints Spearman(clarity, nfiq2) per set, how the prints NFIQ 2 refuses fare, and
runs ../shared/tools/erc on fvc2000_db1_b (error-versus-reject, ISO/IEC 29794-1).
Standard library only. DATA_DIR defaults to ../shared/data/fingerprint.
"""
import csv, json, os, subprocess, sys

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(here)
args = [a for a in sys.argv[1:]]
out_dir = "target/fingerprint-eval"
if "--out" in args:
    i = args.index("--out"); out_dir = args[i + 1]; del args[i:i + 2]
data = os.path.abspath(args[0] if args else os.path.join(root, "..", "shared", "data", "fingerprint"))
tools = os.path.join(os.path.dirname(data), "..", "tools")
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
        subprocess.run([os.path.join(tools, "erc"), comp, nfiq_path + ":nfiq2", out + ":clarity"], check=False)

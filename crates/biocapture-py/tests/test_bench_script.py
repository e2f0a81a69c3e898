"""python/bench_vs_nfiq2.py: its ERC is ../shared/tools/erc's definition
(checked on a hand-computed case), and it runs end to end on the committed
prints with a comparisons file and NFIQ 2 scores from a CSV."""

import csv
import importlib.util

import pytest

from conftest import PRINTS, ROOT

SCRIPT = ROOT / "python" / "bench_vs_nfiq2.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_vs_nfiq2", SCRIPT)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_erc_by_hand(bench):
    # Four genuine pairs; their lower qualities 1, 70, 60, 40; the pairs at
    # 1 and 40 fail (score < 33). Rejecting 0-12 % rejects no pair (round(4 s)
    # = 0): FNMR 2/4. From 13 % one pair, the lowest (a failure): 1/3.
    genuine = [
        {"a": "p1", "b": "p2", "genuine": "1", "score": "10"},
        {"a": "p3", "b": "p4", "genuine": "1", "score": "50"},
        {"a": "p5", "b": "p6", "genuine": "1", "score": "50"},
        {"a": "p7", "b": "p8", "genuine": "1", "score": "0"},
    ]
    q = {"p1": 1, "p2": 90, "p3": 80, "p4": 70, "p5": 60, "p6": 95, "p7": 40, "p8": 50}
    steps, curve = bench.erc_curve(genuine, q)
    assert len(steps) == 31 and steps[-1] == 0.3
    assert curve[:13] == [0.5] * 13 and curve[13:] == [1 / 3] * 18
    assert sum(curve) / len(curve) == pytest.approx(12.5 / 31)
    # A missing quality counts as the lowest: p8 unknown rejects pair 4 first.
    del q["p8"]
    q["p1"] = 55
    _, curve = bench.erc_curve(genuine, q)
    assert curve[13] == 1 / 3 and curve[20] == 1 / 3


def test_spearman(bench):
    assert bench.spearman([1, 2, 3, 4], [10, 20, 30, 40]) == pytest.approx(1)
    assert bench.spearman([1, 2, 3, 4], [4, 3, 2, 1]) == pytest.approx(-1)
    assert bench.spearman([1, 1, 2], [1, 1, 2]) == pytest.approx(1)


def test_end_to_end_on_the_committed_prints(bench, tmp_path, capsys):
    names = [p.name for p in PRINTS]
    comparisons = tmp_path / "comparisons.csv"
    with open(comparisons, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["a", "b", "genuine", "score"])
        for i, (a, b) in enumerate(zip(names, names[1:])):
            w.writerow([a, b, 1, 10 if i % 3 == 0 else 60])
        w.writerow([names[0], names[-1], 0, 5])
    nfiq2 = tmp_path / "nfiq2.csv"
    with open(nfiq2, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["file", "nfiq2", "ms"])
        for i, n in enumerate(names):
            w.writerow([n, "NA" if i == 0 else 10 + 5 * i, 60.0])
    out = tmp_path / "out"
    bench.main([str(PRINTS[0].parent), "--comparisons", str(comparisons),
                "--nfiq2-csv", str(nfiq2), "--out", str(out)])
    text = capsys.readouterr().out
    assert f"{len(names)} prints" in text and "ERC area=" in text
    rows = list(csv.DictReader(open(out / "scores.csv")))
    assert [r["file"] for r in rows] == names
    blank = next(r for r in rows if r["file"] == "blank.png")
    assert blank["verdict"] == "retake" and blank["reasons"] == "no_finger"
    assert rows[0]["nfiq2"] == "" and rows[1]["nfiq2"] == "15"
    for png in ("time", "scatter", "erc", "summary"):
        data = (out / f"{png}.png").read_bytes()
        assert data.startswith(b"\x89PNG") and len(data) > 5000, png


def test_without_nfiq2_or_comparisons(bench, tmp_path, capsys):
    out = tmp_path / "alone"
    bench.main([str(PRINTS[0].parent), "--no-nfiq2", "--out", str(out)])
    assert "NFIQ 2: not run" in capsys.readouterr().out
    assert (out / "time.png").exists() and (out / "summary.png").exists()
    assert not (out / "erc.png").exists() and not (out / "scatter.png").exists()

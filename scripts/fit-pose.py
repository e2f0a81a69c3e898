#!/usr/bin/env python3
"""Fits the head-pose constants of src/face/geometry.rs (PITCH_FIT,
YAW_FIT) on the training renders of scripts/pose-render.py.

  cargo run --release --example eval_pose -- renders RENDER_DIR --split train --dump train.csv
  python3 scripts/fit-pose.py train.csv [OTHER_DUMP.csv...]

Reads the dump's true pitch and yaw and ONet's five points, and fits by
least squares

  tan(pitch) = a - b nose/mouth - c nose/IED + d width/IED
  sin(yaw)   = e side(nose - eye mid)/IED + f side(nose - mouth mid)/IED

(`nose`, `mouth`: heights of the nose tip and the mouth corners' midpoint
below the eye line, square to it; `width`: the mouth corners' distance;
`side`: along the eye line towards the
subject's left eye; no constant for the yaw, the read being mirror
symmetric). Prints the constants and, for the training dump and any other
dump given, the error of both reads. Needs numpy.
"""
import csv
import sys

import numpy as np


def cues(path):
    """True pitch, true yaw, nose/mouth, nose/IED, the two side offsets,
    mouth width/IED."""
    out = []
    for r in csv.DictReader(open(path)):
        g = lambda k: float(r[k])  # noqa: E731
        le = np.array([g("left_eye_x"), g("left_eye_y")])
        ri = np.array([g("right_eye_x"), g("right_eye_y")])
        if np.isnan(le).any():
            continue
        nose = np.array([g("nose_x"), g("nose_y")])
        ml = np.array([g("mouth_left_x"), g("mouth_left_y")])
        mr = np.array([g("mouth_right_x"), g("mouth_right_y")])
        mouth = 0.5 * (ml + mr)
        mid = 0.5 * (le + ri)
        ied = np.linalg.norm(le - ri)
        u = (le - ri) / ied
        down = np.array([-u[1], u[0]])
        n_down, m_down = (nose - mid) @ down, (mouth - mid) @ down
        if m_down <= 0.2 * ied:
            continue
        out.append([g("pitch"), g("yaw"), n_down / m_down, n_down / ied,
                    (nose - mid) @ u / ied, (nose - mouth) @ u / ied,
                    np.linalg.norm(ml - mr) / ied])
    return np.array(out)


def report(name, err):
    a = np.abs(err)
    return (f"{name}: median {np.median(err):+.1f}, |err| median {np.median(a):.1f} "
            f"p90 {np.percentile(a, 90):.1f} p95 {np.percentile(a, 95):.1f}, "
            f"within 5 {100 * np.mean(a <= 5):.1f} %, within 10 {100 * np.mean(a <= 10):.1f} %")


def main():
    train = cues(sys.argv[1])
    a = np.c_[np.ones(len(train)), train[:, 2:4], train[:, 6]]
    p, *_ = np.linalg.lstsq(a, np.tan(np.radians(train[:, 0])), rcond=None)
    y, *_ = np.linalg.lstsq(train[:, 4:6], np.sin(np.radians(train[:, 1])), rcond=None)
    print(f"{len(train)} training faces")
    print(f"PITCH_FIT = [{p[0]:.4f}, {-p[1]:.4f}, {-p[2]:.4f}, {p[3]:.4f}]")
    print(f"YAW_FIT = [{y[0]:.4f}, {y[1]:.4f}]")
    for path in sys.argv[1:]:
        d = cues(path)
        pitch = np.degrees(np.arctan(np.c_[np.ones(len(d)), d[:, 2:4], d[:, 6]] @ p))
        yaw = np.degrees(np.arcsin(np.clip(d[:, 4:6] @ y, -1, 1)))
        print(path, len(d))
        print("  " + report("pitch", pitch - d[:, 0]))
        print("  " + report("yaw", yaw - d[:, 1]))


if __name__ == "__main__":
    main()

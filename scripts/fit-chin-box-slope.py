#!/usr/bin/env python3
"""Derives CHIN_BOX_SLOPE in src/face/extent.rs: how far the chin moves
per IED the face detector's box bottom moves, both below the eye line.

    cargo build --release --example assess
    python scripts/fit-chin-box-slope.py UTKFACE_DIR   # default below

Every 4th UTKFace aligned face (the first 1500 of them, sorted) is set
into a grey canvas twice its size at (w/2, h/3), as the eye-openness
evaluation does, and assessed by `examples/assess` (the library's own
detector box and eyes). The chin is MediaPipe FaceMesh's point 152 on the
original crop (Apache-2.0; `pip install mediapipe==0.10.14`), a face-mesh
model's estimate, not an annotation. Faces whose chin lies outside 1.3 to
2.6 IED below the eye line are dropped. Printed: the least-squares slope
and intercept of the chin against the box bottom, their correlation and
the residual spread. The faces are research data read in place and the
canvases are written to a temporary folder only. Needs numpy, Pillow and
mediapipe.
"""
import glob
import json
import os
import subprocess
import sys
import tempfile

import mediapipe as mp
import numpy as np
from PIL import Image

# Where the average face puts the box bottom below the eye line, IEDs:
# (1 - EYE_LINE_Y) / (2 EYE_HALF_SPAN), src/face/eyes.rs.
AVERAGE_BOTTOM = (1 - 0.371) / 0.39


def main(folder="/work/extdata/cew_pix2pix/regular_faces"):
    files = sorted(glob.glob(os.path.join(folder, "*.jpg")))[::4][:1500]
    mesh = mp.solutions.face_mesh.FaceMesh(
        static_image_mode=True, max_num_faces=1, min_detection_confidence=0.3
    )
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        chins, paths = {}, []
        for p in files:
            im = Image.open(p).convert("RGB")
            w, h = im.size
            found = mesh.process(np.asarray(im)).multi_face_landmarks
            if not found:
                continue
            c = found[0].landmark[152]
            canvas = Image.new("RGB", (2 * w, 2 * h), (128, 128, 128))
            canvas.paste(im, (w // 2, h // 3))
            out = os.path.join(tmp, os.path.basename(p)[:-4] + ".png")
            canvas.save(out)
            chins[out] = (c.x * w + w // 2, c.y * h + h // 3)
            paths.append(out)
        lines = subprocess.run(
            ["target/release/examples/assess", "face", *paths],
            capture_output=True,
            text=True,
        ).stdout.splitlines()
        for line in lines:
            j = json.loads(line)
            if not j.get("face_box") or j["face_box"][0] is None:
                continue
            left, right = np.array(j["left_eye"]), np.array(j["right_eye"])
            mid, ied = (left + right) / 2, np.linalg.norm(left - right)
            u = (left - right) / ied
            v = np.array([-u[1], u[0]])
            x, y, w, h = j["face_box"]
            chin = (np.array(chins[j["file"]]) - mid) @ v / ied
            bottom = (np.array([x + w / 2, y + h]) - mid) @ v / ied
            if 1.3 < chin < 2.6:
                rows.append((chin, bottom))
    chin, bottom = np.array(rows).T
    a = np.stack([bottom - AVERAGE_BOTTOM, np.ones_like(chin)], 1)
    (slope, intercept), *_ = np.linalg.lstsq(a, chin, rcond=None)
    print(
        f"{len(rows)} faces: chin = {intercept:.3f} + {slope:.3f} x (box bottom - {AVERAGE_BOTTOM:.3f}) IED;"
        f" correlation {np.corrcoef(chin, bottom)[0, 1]:.2f},"
        f" residual sd {np.std(chin - a @ [slope, intercept]):.3f} IED (chin sd {chin.std():.3f})"
    )


if __name__ == "__main__":
    main(*sys.argv[1:])

#!/usr/bin/env python3
"""Labels faces with their mouth opening, read by MediaPipe FaceMesh.

    python3 scripts/mouth-teacher.py teacher.csv DIR...          # face crops
    python3 scripts/mouth-teacher.py --labelled check.csv DIR... # images/ + pts/

The teacher for `scripts/fit-mouth-opening.py`: mediapipe 0.10.14's
FaceMesh (Apache-2.0; its model ships in the wheel), static images,
refined landmarks (the attention model, whose lips agree with the 68-point
annotations far better: r 0.965 against 0.918 on AFW). The opening is
defined to match the 68-point one (mean of |p62-p68|, |p63-p67|,
|p64-p66| over |p49-p55|): inner-lip pairs 81/178, 13/14 and 311/402 over
the outer corners 61/291. Each crop is set into a grey canvas twice its
size as the library's dump does. Rows: `folder,file,truth,opening`
(truth only with --labelled, from the .pts file; the mesh nearest the
annotated mouth is taken; opening empty when no mesh was found).
"""
import csv
import os
import sys

import mediapipe as mp
import numpy as np
from PIL import Image

PAIRS = [(81, 178), (13, 14), (311, 402)]
CORNERS = (61, 291)


def read_pts(path):
    pts = []
    for line in open(path):
        t = line.split()
        if len(t) == 2:
            try:
                pts.append((float(t[0]), float(t[1])))
            except ValueError:
                pass
    return np.array(pts) if len(pts) == 68 else None


def truth(q):
    d = lambda i, j: np.linalg.norm(q[i - 1] - q[j - 1])
    return (d(62, 68) + d(63, 67) + d(64, 66)) / 3 / d(49, 55)


def opening(p):
    gap = np.mean([np.linalg.norm(p[a] - p[b]) for a, b in PAIRS])
    return gap / np.linalg.norm(p[CORNERS[0]] - p[CORNERS[1]])


def meshes(fm, a):
    r = fm.process(a)
    h, w = a.shape[:2]
    return [np.array([(l.x * w, l.y * h) for l in f.landmark]) for f in r.multi_face_landmarks or []]


def main(args):
    labelled = args[0] == "--labelled"
    if labelled:
        args = args[1:]
    out, dirs = args[0], args[1:]
    fm = mp.solutions.face_mesh.FaceMesh(
        static_image_mode=True, max_num_faces=5, refine_landmarks=True, min_detection_confidence=0.3
    )
    w = csv.writer(open(out, "w"))
    for d in dirs:
        name = os.path.basename(os.path.normpath(d))
        if labelled:
            for f in sorted(os.listdir(f"{d}/pts")):
                stem = f[:-4]
                q = read_pts(f"{d}/pts/{f}")
                ip = next((f"{d}/images/{stem}.{e}" for e in ("jpg", "png", "ppm")
                           if os.path.exists(f"{d}/images/{stem}.{e}")), None)
                if q is None or ip is None:
                    continue
                mc = q[48:68].mean(0)
                near = lambda p: np.linalg.norm(p[[13, 14, 61, 291]].mean(0) - mc)
                found = [p for p in meshes(fm, np.asarray(Image.open(ip).convert("RGB")))
                         if near(p) < 0.5 * np.linalg.norm(q[48] - q[54]) + 5]
                m = opening(min(found, key=near)) if found else ""
                w.writerow([name, stem, truth(q), m])
        else:
            for f in sorted(os.listdir(d)):
                try:
                    img = Image.open(f"{d}/{f}").convert("RGB")
                except OSError:
                    continue
                canvas = Image.new("RGB", (2 * img.width, 2 * img.height), (128, 128, 128))
                canvas.paste(img, (img.width // 2, img.height // 3))
                found = meshes(fm, np.asarray(canvas))
                w.writerow([name, f, "", opening(found[0]) if found else ""])


if __name__ == "__main__":
    main(sys.argv[1:])

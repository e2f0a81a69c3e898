#!/usr/bin/env python3
"""Known-pose face renders and a head-pose teacher, for issue 17 part 3.

Needs numpy, scipy, Pillow and mediapipe 0.10.14 (FaceMesh, Apache-2.0;
/work/venv has them). Nothing it reads or writes belongs in the repository:
the faces are research-only and stay where they are.

The teacher. MediaPipe FaceMesh gives 468 points with a relative depth
(z in about the same units as x, origin near the head's centre, smaller
= nearer the camera). The teacher's pose of a face is the rotation of an
orthographic Procrustes fit (rotation, scale, shift) from a canonical
mesh to the face's 468 points. The canonical mesh is the mean of the
training faces' meshes, aligned to each other; its zero pose is then
turned so that the median pose of the CSU frontal mugshots (a police
mugshot protocol: frontal, level) is zero. That is the teacher's only use
of CSU: it says where "frontal" is, nothing is fitted to it.

The renders. A near-frontal source face (teacher |pitch|, |yaw| < 8
degrees) is turned by a known pitch and yaw about the head's centre: the
468 points (and two rings of points around the face oval, at the head
centre's depth, so hair and neck follow smoothly; the image corners stay
put) are rotated and projected orthographically, the source image is
triangulated (Delaunay on the source points) and each triangle warped
affinely to its new place, nearest to the camera winning (a z-buffer).
Truth = the applied turn plus the source's own teacher pose.

Angles: pitch positive = chin up (head tipped back), yaw positive = the
face turned towards the image right (the eye mid-point moves right of the
head's centre), as biocapture's `Framing` reports them.

Usage:
  pose-render.py teacher OUT.json        canonical mesh + zero from CSU
  pose-render.py render  OUT_DIR         renders + OUT_DIR/truth.csv
                                         (POSE_TRAIN, POSE_VAL: sources per
                                         split, default 120; a rerun renders
                                         only what is missing)
  pose-render.py label   DIR CSV         teacher pose of real images
"""
import csv
import hashlib
import json
import os
import sys

import numpy as np
from PIL import Image
from scipy.spatial import Delaunay

UTK = "/work/extdata/cew_pix2pix/regular_faces"
CSU = "/work/shared/data/face/csu_scrapshots/images"
# Upscaling of the 200x200 UTKFace crops, so the library sees an IED of
# about 70 px (its checks want at least 60 for a portrait).
UPSCALE = 2
PITCHES = [-25, -20, -15, -10, -5, 0, 5, 10, 15, 20, 25]
YAWS = [-15, 0, 15]

_mesh = None


def mesh_of(rgb):
    """468x3 points in pixels (z in x's pixel units), or None."""
    global _mesh
    import mediapipe as mp

    if _mesh is None:
        _mesh = mp.solutions.face_mesh.FaceMesh(
            static_image_mode=True, max_num_faces=1, refine_landmarks=False
        )
    h, w = rgb.shape[:2]
    res = _mesh.process(rgb)
    if not res.multi_face_landmarks:
        return None
    lm = res.multi_face_landmarks[0].landmark
    return np.array([[p.x * w, p.y * h, p.z * w] for p in lm], dtype=np.float64)


def split(name):
    """Training or validation, by a hash of the file name (half each)."""
    return "train" if hashlib.sha1(name.encode()).digest()[0] < 128 else "val"


def load(path):
    im = Image.open(path).convert("RGB")
    if UPSCALE != 1 and im.size[0] <= 256:
        im = im.resize((im.size[0] * UPSCALE, im.size[1] * UPSCALE), Image.BICUBIC)
    return np.asarray(im)


def procrustes(src, dst):
    """Rotation R, scale s, shift t minimising |s R src + t - dst|."""
    ms, md = src.mean(0), dst.mean(0)
    a, b = src - ms, dst - md
    u, sv, vt = np.linalg.svd(b.T @ a)
    d = np.sign(np.linalg.det(u @ vt))
    D = np.diag([1, 1, d])
    r = u @ D @ vt
    s = (sv * np.diag(D)).sum() / (a**2).sum()
    return r, s, md - s * r @ ms


def rot(pitch, yaw):
    """Rotation (image x right, y down, z away from the camera) for a head
    pitch (chin up positive) and yaw (face towards image right positive)."""
    p, y = np.radians(pitch), np.radians(yaw)
    # Chin up: the nose (z < 0) moves up (y falls): rotation about x by -p.
    rx = np.array([[1, 0, 0], [0, np.cos(p), np.sin(p)], [0, -np.sin(p), np.cos(p)]])
    # Face to the image right: the nose (z < 0) moves right (x grows).
    ry = np.array([[np.cos(y), 0, -np.sin(y)], [0, 1, 0], [np.sin(y), 0, np.cos(y)]])
    return ry @ rx


def angles(r):
    """(pitch, yaw, roll) in degrees of r = Rz(roll) Ry(yaw) Rx(pitch) as
    `rot` builds the last two (roll turns rows 0 and 1 only, so row 2
    holds pitch and yaw)."""
    yaw = np.degrees(np.arcsin(np.clip(r[2, 0], -1, 1)))
    pitch = np.degrees(np.arctan2(-r[2, 1], r[2, 2]))
    roll = np.degrees(np.arctan2(r[1, 0], r[0, 0]))
    return pitch, yaw, roll


def teacher_pose(canon, pts):
    r, _, _ = procrustes(canon, pts)
    return angles(r)


def build_teacher(out):
    names = sorted(n for n in os.listdir(UTK) if split(n) == "train")[:600]
    meshes = []
    for n in names:
        m = mesh_of(load(os.path.join(UTK, n)))
        if m is not None:
            meshes.append(m)
    ref = meshes[0] - meshes[0].mean(0)
    ref /= np.sqrt((ref**2).sum())
    for _ in range(3):
        aligned = []
        for m in meshes:
            r, s, t = procrustes(m, ref)
            aligned.append(s * (r @ m.T).T + t)
        ref = np.mean(aligned, 0)
        ref -= ref.mean(0)
        ref /= np.sqrt((ref**2).sum())
    # Zero: the median CSU mugshot pose.
    rs = []
    for n in sorted(os.listdir(CSU)):
        if not n.endswith(".pgm"):
            continue
        m = mesh_of(load(os.path.join(CSU, n)))
        if m is not None:
            rs.append(teacher_pose(ref, m))
    rs = np.array(rs)
    zp, zy, zr = np.median(rs, 0)
    # Turn the canonical mesh so that the median CSU face reads zero.
    cr, sr = np.cos(np.radians(zr)), np.sin(np.radians(zr))
    rz = np.array([[cr, -sr, 0], [sr, cr, 0], [0, 0, 1]])
    canon = ((rz @ rot(zp, zy)) @ ref.T).T
    check = np.array([teacher_pose(canon, mesh_of(load(os.path.join(CSU, n))))
                      for n in sorted(os.listdir(CSU)) if n.endswith(".pgm")])
    print(f"{len(meshes)} training meshes; CSU n={len(rs)} median pose "
          f"pitch {zp:.2f} yaw {zy:.2f} roll {zr:.2f}; after zeroing, CSU "
          f"medians {np.median(check, 0).round(2)}")
    json.dump({"canon": canon.tolist()}, open(out, "w"))


def canon_of():
    return np.array(json.load(open(os.environ.get("POSE_TEACHER", "/work/scratch/pose/teacher.json")))["canon"])


def oval_indices():
    import mediapipe as mp

    edges = mp.solutions.face_mesh.FACEMESH_FACE_OVAL
    return sorted({a for a, _ in edges} | {b for _, b in edges})


def render(img, pts, r):
    """Re-renders img with its face points pts turned by r about the head
    centre. Returns the new image."""
    h, w = img.shape[:2]
    oval = pts[oval_indices()]
    centre = pts[:, :2].mean(0)
    # The head's centre: MediaPipe's z origin is near it.
    c3 = np.array([centre[0], centre[1], 0.0])
    rings = []
    for f in (1.35, 1.9):
        ring = oval.copy()
        ring[:, :2] = centre + f * (oval[:, :2] - centre)
        ring[:, 2] = 0.0
        rings.append(ring)
    corners = np.array([[x, y, 0.0] for x in (0, w - 1, (w - 1) / 2) for y in (0, h - 1, (h - 1) / 2)
                        if not (x == (w - 1) / 2 and y == (h - 1) / 2)])
    src = np.vstack([pts] + rings)
    dst = (r @ (src - c3).T).T + c3
    # The outer ring turns half as far: the scene around the head (hair,
    # shoulders) does not turn with it.
    n_face = len(pts) + len(rings[0])
    dst[n_face:] = src[n_face:] + 0.5 * (dst[n_face:] - src[n_face:])
    src = np.vstack([src, corners])
    dst = np.vstack([dst, corners])
    tri = Delaunay(src[:, :2]).simplices
    out = img.copy()
    zbuf = np.full((h, w), np.inf)
    for t in tri:
        d = dst[t]
        s = src[t]
        x0, x1 = int(max(np.floor(d[:, 0].min()), 0)), int(min(np.ceil(d[:, 0].max()), w - 1))
        y0, y1 = int(max(np.floor(d[:, 1].min()), 0)), int(min(np.ceil(d[:, 1].max()), h - 1))
        if x1 < x0 or y1 < y0:
            continue
        m = np.array([[d[0, 0], d[1, 0], d[2, 0]], [d[0, 1], d[1, 1], d[2, 1]], [1, 1, 1]])
        if abs(np.linalg.det(m)) < 1e-6:
            continue
        inv = np.linalg.inv(m)
        yy, xx = np.mgrid[y0 : y1 + 1, x0 : x1 + 1]
        q = np.stack([xx.ravel() + 0.0, yy.ravel() + 0.0, np.ones(xx.size)])
        bary = inv @ q
        inside = (bary >= -1e-6).all(0)
        if not inside.any():
            continue
        bary = bary[:, inside]
        xi, yi = xx.ravel()[inside], yy.ravel()[inside]
        z = d[:, 2] @ bary
        closer = z < zbuf[yi, xi]
        if not closer.any():
            continue
        bary, xi, yi, z = bary[:, closer], xi[closer], yi[closer], z[closer]
        sx = np.clip(s[:, 0] @ bary, 0, w - 1)
        sy = np.clip(s[:, 1] @ bary, 0, h - 1)
        # Bilinear sampling.
        x0f, y0f = np.floor(sx).astype(int), np.floor(sy).astype(int)
        x1f, y1f = np.minimum(x0f + 1, w - 1), np.minimum(y0f + 1, h - 1)
        fx, fy = (sx - x0f)[:, None], (sy - y0f)[:, None]
        v = (img[y0f, x0f] * (1 - fx) * (1 - fy) + img[y0f, x1f] * fx * (1 - fy)
             + img[y1f, x0f] * (1 - fx) * fy + img[y1f, x1f] * fx * fy)
        out[yi, xi] = np.clip(v + 0.5, 0, 255).astype(np.uint8)
        zbuf[yi, xi] = z
    return out


def render_all(out_dir):
    canon = canon_of()
    os.makedirs(out_dir, exist_ok=True)
    per_split = {"train": int(os.environ.get("POSE_TRAIN", "120")),
                 "val": int(os.environ.get("POSE_VAL", "120"))}
    # Training sources are taken from the other end of the sorted list than
    # the teacher's canonical-mesh faces, validation sources from the
    # validation half.
    names = sorted(os.listdir(UTK), key=lambda n: hashlib.sha1(n.encode()).hexdigest())
    rows = []
    for sp, want in per_split.items():
        got = 0
        for n in names:
            if got >= want:
                break
            if split(n) != sp:
                continue
            img = load(os.path.join(UTK, n))
            pts = mesh_of(img)
            if pts is None:
                continue
            p0, y0, r0 = teacher_pose(canon, pts)
            if abs(p0) > 8 or abs(y0) > 8 or abs(r0) > 8:
                continue
            got += 1
            stem = os.path.splitext(n)[0]
            for yaw in YAWS:
                for pitch in PITCHES:
                    f = f"{sp}_{stem}_p{pitch:+d}_y{yaw:+d}.png"
                    # A rerun renders only what is missing.
                    if not os.path.exists(os.path.join(out_dir, f)):
                        im = render(img, pts, rot(pitch, yaw))
                        Image.fromarray(im).save(os.path.join(out_dir, f))
                    rows.append([f, sp, stem, pitch, yaw, f"{pitch + p0:.2f}", f"{yaw + y0:.2f}"])
            print(sp, got, n, f"source pose {p0:.1f} {y0:.1f} {r0:.1f}", flush=True)
    with open(os.path.join(out_dir, "truth.csv"), "w", newline="") as fh:
        wr = csv.writer(fh)
        wr.writerow(["file", "split", "source", "applied_pitch", "applied_yaw", "pitch", "yaw"])
        wr.writerows(rows)


def label(img_dir, out_csv):
    canon = canon_of()
    with open(out_csv, "w", newline="") as fh:
        wr = csv.writer(fh)
        wr.writerow(["file", "pitch", "yaw", "roll", "eye_mid_x", "eye_mid_y"])
        for n in sorted(os.listdir(img_dir)):
            if not n.lower().endswith((".jpg", ".png", ".pgm", ".ppm")):
                continue
            img = np.asarray(Image.open(os.path.join(img_dir, n)).convert("RGB"))
            pts = mesh_of(img)
            if pts is None:
                continue
            p, y, r = teacher_pose(canon, pts)
            # The eye mid-point: the mean of both eyes' corners.
            mx, my = pts[[33, 133, 263, 362], :2].mean(0)
            wr.writerow([n, f"{p:.2f}", f"{y:.2f}", f"{r:.2f}", f"{mx:.1f}", f"{my:.1f}"])


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "teacher":
        build_teacher(sys.argv[2])
    elif cmd == "render":
        render_all(sys.argv[2])
    elif cmd == "label":
        label(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)

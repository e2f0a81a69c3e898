"""Every committed test image gives, through Python, exactly what the Rust
golden manifests hold (tests/golden.rs): verdict, reasons, every number bit
for bit as float32, and the FNV-1a checksum of every block map."""

import numpy as np
import pytest

import biocapture
from conftest import ASTRONAUT, golden

FINGERPRINT_GOLDEN = golden("fingerprint.json")
FACE_GOLDEN = golden("face.json")
FACE_COMMITTED = [e for e in FACE_GOLDEN if e["image"].startswith("astronaut.jpg")]


def fnv64(chunks):
    """FNV-1a over byte strings, as tests/golden.rs computes it."""
    h = 0xCBF29CE484222325
    for b in chunks:
        for x in b:
            h = ((h ^ x) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return f"{h:016x}"


def maps_checksum(r):
    def dim(a):
        return np.array(a.shape, dtype="<u8").tobytes()

    chunks = []
    for name in biocapture.BlockMaps.names:
        a = getattr(r.blocks, name)
        chunks += [dim(a), a.astype("<f4").tobytes()]
    for a in (r.moisture.map, r.smudge.map):
        chunks += [dim(a), a.astype("<f4").tobytes()]
    for a in (r.foreground.mask, r.foreground.contact):
        chunks += [dim(a), a.astype(np.uint8).tobytes()]
    chunks += [dim(r.quality_map), r.quality_map.tobytes()]
    return fnv64(chunks)


def f32(v):
    return None if v is None else np.float32(v)


def fingerprint_values(r, verdict):
    m, s = r.moisture, r.smudge
    return {
        "verdict": verdict.decision,
        "reasons": verdict.reasons,
        "clarity": r.clarity,
        "mean_block_quality": r.mean_block_quality,
        "moisture_index": m.index,
        "moisture_class": m.class_,
        "ridge_gaps": m.ridge_gaps,
        "valley_bridges": m.valley_bridges,
        "bridged_fraction": m.bridged_fraction,
        "ridge_fill": m.ridge_fill,
        "ridge_duty": m.ridge_duty,
        "ridge_texture": m.ridge_texture,
        "wet_blob_fraction": m.wet_blob_fraction,
        "dry_fragment_fraction": m.dry_fragment_fraction,
        "smudge_fraction": s.fraction,
        "smudge_largest_patch": s.largest_patch,
        "motion_blur": s.motion_blur,
        "motion_angle": s.motion_angle,
        "residue_fraction": s.residue_fraction,
        "foreground_area_px": r.foreground.area_px,
        "foreground_fraction": r.foreground.fraction,
        "ridge_period": r.ridge_period,
        "ridge_contrast": r.ridge_contrast,
        "grey_sigma": r.actionable.grey_sigma,
        "mean_grey": r.actionable.mean_grey,
    }


def test_every_committed_print_is_in_the_golden_manifest(prints):
    names = {e["file"].split("@")[0] for e in FINGERPRINT_GOLDEN}
    assert names == set(prints)


@pytest.mark.parametrize("entry", FINGERPRINT_GOLDEN, ids=[e["file"] for e in FINGERPRINT_GOLDEN])
def test_fingerprint_matches_golden(entry, prints):
    name, _, ppi = entry["file"].partition("@")
    ppi = int(ppi.removesuffix("ppi")) if ppi else 500
    report = biocapture.FingerprintAssessor(ppi=ppi).assess(prints[name])
    verdict = biocapture.FingerprintPolicy().judge(report)
    got = fingerprint_values(report, verdict)
    for key, value in got.items():
        want = entry[key]
        if isinstance(want, float) or isinstance(value, float):
            assert f32(value) == f32(want), f"{entry['file']}: {key} {value} != golden {want}"
        else:
            assert value == want, f"{entry['file']}: {key} {value!r} != golden {want!r}"
    assert maps_checksum(report) == entry["maps_fnv64"], entry["file"]


def face_values(r, verdict):
    f = r.face
    g = f.framing if f else None
    p = f.photometric if f else None
    names = [
        "luminance_mean", "luminance_variance", "under_exposure", "over_exposure",
        "dynamic_range", "sharpness", "background_uniformity",
        "illumination_uniformity", "natural_colour",
    ]
    return {
        "verdict": verdict.decision,
        "reasons": verdict.reasons,
        "faces": len(r.detections),
        "detections": [list(d.face_box) for d in r.detections],
        "left_eye": list(f.left_eye) if f else None,
        "right_eye": list(f.right_eye) if f else None,
        "ied_px": g and g.ied_px,
        "roll_deg": g and g.roll_deg,
        "yaw_deg": g and g.yaw_deg,
        "eye_line_from_bottom": g and g.eye_line_from_bottom,
        "eye_mid_x": g and g.eye_mid_x,
        "head_width_ratio": g and g.head_width_ratio,
        "head_length_ratio": g and g.head_length_ratio,
        "head_outside": g and g.head_outside,
        "photometric_raw": [getattr(p, n).raw for n in names] if p else None,
        "cheek_ab": list(p.cheek_ab) if p else None,
    }


def same(a, b):
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, float) or isinstance(b, float):
        return f32(a) == f32(b)
    return a == b


@pytest.mark.parametrize("entry", FACE_COMMITTED, ids=[e["image"] for e in FACE_COMMITTED])
def test_face_matches_golden(entry, astronaut_rgb):
    assessor = biocapture.FaceAssessor()
    if entry["image"].endswith("(grey)"):
        report = assessor.assess_gray(biocapture.load_image(ASTRONAUT, "gray"))
        assert report.gray
    else:
        report = assessor.assess(astronaut_rgb)
        assert not report.gray
    got = face_values(report, biocapture.FacePolicy().judge(report))
    for key, value in got.items():
        assert same(value, entry[key]), f"{entry['image']}: {key} {value!r} != golden {entry[key]!r}"

"""The documented surface: help() shows signatures with defaults and
docstrings, and the type stubs (__init__.pyi) name every public class,
method and attribute of the compiled module, with the same defaults."""

import ast
import inspect
import pathlib
import pydoc

import biocapture

STUB = pathlib.Path(biocapture.__file__).with_name("__init__.pyi")


def stub_tree():
    return ast.parse(STUB.read_text())


def public_members(cls):
    return {n for n in dir(cls) if not n.startswith("_")}


def test_help_shows_documented_signatures():
    text = pydoc.render_doc(biocapture.FingerprintAssessor, renderer=pydoc.plaintext)
    assert "FingerprintAssessor(ppi=500, profile=None, *, analysis='full', min_side=32" in text
    assert "assess(self, /, image, *, ppi=None)" in text
    assert "Measures one print." in text
    text = pydoc.render_doc(biocapture.FingerprintPolicy, renderer=pydoc.plaintext)
    assert "min_clarity=40.0" in text and "wet_index=0.28" in text
    assert "judge(self, /, report)" in text
    text = pydoc.render_doc(biocapture.FacePolicy, renderer=pydoc.plaintext)
    assert "min_ied_px=90.0" in text and "min_eye_openness=0.18" in text
    assert inspect.signature(biocapture.load_image).parameters["mode"].default == "gray"


def test_every_public_item_has_a_docstring():
    for name in biocapture.__all__:
        obj = getattr(biocapture, name)
        if inspect.isclass(obj):
            assert obj.__doc__, name
            if issubclass(obj, Exception):
                continue
            for m in public_members(obj):
                if m == "names":
                    continue
                assert getattr(obj, m).__doc__, f"{name}.{m}"
        elif callable(obj):
            assert obj.__doc__, name


def test_stub_names_every_public_item():
    tree = stub_tree()
    classes = {n.name: n for n in tree.body if isinstance(n, ast.ClassDef)}
    top = set(classes)
    for n in tree.body:
        if isinstance(n, ast.FunctionDef):
            top.add(n.name)
        elif isinstance(n, ast.AnnAssign):
            top.add(n.target.id)
    missing = set(biocapture.__all__) - top
    assert not missing, f"not in {STUB.name}: {sorted(missing)}"
    for name, node in classes.items():
        obj = getattr(biocapture, name)
        if issubclass(obj, Exception):
            continue
        in_stub = set()
        for item in node.body:
            if isinstance(item, ast.FunctionDef):
                in_stub.add(item.name)
            elif isinstance(item, ast.AnnAssign):
                in_stub.add(item.target.id)
        assert public_members(obj) == {m for m in in_stub if not m.startswith("_")}, name


def test_stub_defaults_match_the_module():
    classes = {n.name: n for n in stub_tree().body if isinstance(n, ast.ClassDef)}
    for name in ("FingerprintAssessor", "FingerprintPolicy", "FaceAssessor", "FacePolicy"):
        init = next(f for f in classes[name].body if isinstance(f, ast.FunctionDef) and f.name == "__init__")
        args = init.args
        stub = {}
        pos = args.args[1:]
        for a, d in zip(pos[len(pos) - len(args.defaults):], args.defaults):
            stub[a.arg] = ast.literal_eval(d)
        for a, d in zip(args.kwonlyargs, args.kw_defaults):
            stub[a.arg] = ast.literal_eval(d)
        runtime = {
            p.name: p.default
            for p in inspect.signature(getattr(biocapture, name)).parameters.values()
        }
        assert stub == runtime, name


def test_policy_stub_defaults_are_the_rust_defaults():
    for cls in (biocapture.FingerprintPolicy, biocapture.FacePolicy):
        runtime = {p.name: p.default for p in inspect.signature(cls).parameters.values()}
        assert runtime == cls.default().to_dict(), cls.__name__


def test_exceptions_are_value_errors():
    for e in (biocapture.ImageError, biocapture.ConfigError, biocapture.ProfileError):
        assert issubclass(e, biocapture.BiocaptureError) and issubclass(e, ValueError)


def test_reprs_read_as_python(prints, astronaut_rgb):
    fp = biocapture.FingerprintAssessor()
    r = fp.assess(prints["wet.png"])
    v = r.verdict()
    face = biocapture.FaceAssessor().assess(astronaut_rgb)
    profile = biocapture.SensorProfile.generic()
    texts = [repr(x) for x in (
        fp, r, r.actionable, r.foreground, r.blocks, r.moisture, r.smudge, v, v.findings[0],
        biocapture.FingerprintPolicy(), biocapture.FacePolicy(), profile,
        face, face.face, face.face.framing, face.face.photometric, face.detections[0],
        face.face.photometric.sharpness, biocapture.FaceAssessor(),
    )]
    for t in texts:
        assert "Some(" not in t and '"' not in t, t
    assert repr(v) == "Verdict(decision='retake', reasons=['too_wet', 'smudged', 'low_clarity'])"
    assert repr(fp) == "FingerprintAssessor(ppi=500, profile=None, analysis='full')"
    assert repr(r.moisture).startswith("Moisture(index=0.8217") and "class_='wet'" in repr(r.moisture)
    assert repr(profile) == "SensorProfile(name='generic', captures=0, version=1)"


def test_mouth_opening(astronaut_rgb):
    face = biocapture.FaceAssessor().assess(astronaut_rgb).face
    policy = biocapture.FacePolicy()
    # She smiles with her teeth showing: an open mouth by ICAO's rule.
    assert face.mouth_opening > policy.max_mouth_opening == 0.1
    left, right = face.mouth_corners
    assert left[0] > right[0]
    assert "mouth_open" in policy.judge(biocapture.FaceAssessor().assess(astronaut_rgb)).reasons
    lenient = policy.replace(max_mouth_opening=1.0)
    assert "mouth_open" not in lenient.judge(biocapture.FaceAssessor().assess(astronaut_rgb)).reasons
    # Without colour the mouth is not read (nor judged).
    import numpy as np
    grey = np.repeat(astronaut_rgb.mean(axis=2, keepdims=True).astype(np.uint8), 3, axis=2)
    assert biocapture.FaceAssessor().assess(np.ascontiguousarray(grey)).face.mouth_opening is None


def test_head_pose(astronaut_rgb):
    face = biocapture.FaceAssessor().assess(astronaut_rgb).face
    policy = biocapture.FacePolicy()
    assert policy.max_pitch_deg == 15.0
    g = face.framing
    # She faces the camera, chin a little down: within the default, read
    # from the eye network's nose and mouth points.
    assert -15.0 < g.pitch_deg < 0.0 and abs(g.yaw_deg) < 5.0, repr(g)
    assert "pitch_deg=" in repr(g)
    reasons = policy.judge(biocapture.FaceAssessor().assess(astronaut_rgb)).reasons
    assert "head_pitched" not in reasons
    strict = policy.replace(max_pitch_deg=abs(g.pitch_deg) - 1.0)
    assert "head_pitched" in strict.judge(biocapture.FaceAssessor().assess(astronaut_rgb)).reasons
    # Supplied eyes: no network points, no pitch.
    supplied = biocapture.FaceAssessor().assess(astronaut_rgb, eyes=(face.left_eye, face.right_eye))
    assert supplied.face.framing.pitch_deg is None


def test_turned_view_and_shadow_level(astronaut_rgb):
    face = biocapture.FaceAssessor().assess(astronaut_rgb).face
    # Upright: found without a turned view; a well-lit face has shadows.
    assert face.view_turn_deg is None
    assert 0.0 <= face.photometric.shadow_luminance.raw < 0.3
    # Both eyes open and showing: well above the policy's floors.
    policy = biocapture.FacePolicy()
    assert min(face.eyes_open) > policy.min_eye_openness
    assert min(face.eyes_visible) > policy.min_eye_visibility
    # The head and shoulders (the face box 0.4 of the crop, as a framed
    # portrait's) turned a quarter: found in a turned view.
    import numpy as np
    turned = np.ascontiguousarray(np.rot90(astronaut_rgb[0:240, 104:344], k=-1))
    report = biocapture.FaceAssessor().assess(turned)
    assert report.face is not None and report.face.view_turn_deg is not None
    assert abs(abs(report.face.framing.roll_deg) - 90.0) < 10.0
    assert report.face.eyes_open is None and report.face.eyes_visible is None
    assert biocapture.FacePolicy().judge(report).reasons == ["rotate_image"]
    policy = biocapture.FacePolicy(max_roll_before_rotate_deg=180.0, max_shadow_luminance=0.2)
    assert policy.max_roll_before_rotate_deg == 180.0
    assert policy.max_shadow_luminance == 0.2
    assert "rotate_image" not in policy.judge(report).reasons


def test_head_extent_sources(astronaut_rgb):
    import math
    import numpy as np
    g = biocapture.FaceAssessor().assess(astronaut_rgb).face.framing
    assert g.chin_source in ("measured", "proportional")
    assert g.crown_source in ("measured", "proportional")
    # Chin below the eyes, crown above, the length their distance.
    assert g.chin[1] > g.eye_mid[1] > g.crown[1]
    d = math.dist(g.chin, g.crown)
    assert abs(g.head_length_px - d) < 0.02 * d
    # A face found only in a turned view is placed by proportion.
    turned = np.ascontiguousarray(np.rot90(astronaut_rgb[0:240, 104:344], k=-1))
    t = biocapture.FaceAssessor().assess(turned).face.framing
    assert (t.chin_source, t.crown_source) == ("proportional", "proportional")

"""Reports, policies and profiles round-trip: ``to_json``/``from_json`` give
equal reports; ``to_dict()`` survives JSON; policies rebuild from their dict;
sensor profiles save, load and learn; re-judging needs no pixels."""

import json

import numpy as np
import pytest

import biocapture


@pytest.fixture(scope="module")
def reports(prints):
    a = biocapture.FingerprintAssessor()
    return {name: a.assess(img) for name, img in prints.items()}


def test_fingerprint_report_json_round_trip(reports):
    for name, r in reports.items():
        back = biocapture.FingerprintReport.from_json(r.to_json())
        assert back == r, name
        assert back.to_dict() == r.to_dict()
        assert back.to_json() == r.to_json()
        for m in biocapture.BlockMaps.names:
            a, b = getattr(back.blocks, m), getattr(r.blocks, m)
            assert a.dtype == np.float32 and np.array_equal(a, b), (name, m)
        assert np.array_equal(back.quality_map, r.quality_map)
        assert np.array_equal(back.foreground.mask, r.foreground.mask)


def test_to_dict_is_plain_json(reports, astronaut_rgb):
    face = biocapture.FaceAssessor().assess(astronaut_rgb)
    for d in [r.to_dict() for r in reports.values()] + [face.to_dict()]:
        assert json.loads(json.dumps(d)) == d


def test_face_report_json_round_trip(astronaut_rgb):
    r = biocapture.FaceAssessor().assess(astronaut_rgb)
    back = biocapture.FaceReport.from_json(r.to_json())
    assert back == r and back.to_dict() == r.to_dict()
    assert back.face.framing.ied_px == r.face.framing.ied_px
    with pytest.raises(biocapture.ConfigError, match=r"^text: not a face report"):
        biocapture.FaceReport.from_json("{}")
    with pytest.raises(biocapture.ConfigError, match=r"^text: not a fingerprint report"):
        biocapture.FingerprintReport.from_json("[1]")


def test_reports_are_frozen(reports):
    r = reports["wet.png"]
    with pytest.raises(AttributeError):
        r.clarity = 99.0
    with pytest.raises(ValueError):
        r.quality_map[0, 0] = 1  # read-only array
    assert r.quality_map.dtype == np.uint8
    assert r.blocks.clarity.shape == r.blocks.shape == r.quality_map.shape
    assert r.foreground.mask.dtype == bool


def test_policy_defaults_are_the_rust_defaults():
    for cls in (biocapture.FingerprintPolicy, biocapture.FacePolicy):
        assert cls() == cls.default()
        assert cls().to_dict() == cls.default().to_dict()


def test_policy_round_trips_through_its_dict():
    p = biocapture.FingerprintPolicy(min_clarity=55, wet_index=0.4, min_foreground_px=30000)
    assert biocapture.FingerprintPolicy(**p.to_dict()) == p
    assert p.min_clarity == 55.0 and p.wet_index == 0.4 and p.min_foreground_px == 30000
    assert p.min_foreground_fraction == 0.03  # shortest decimal of the f32
    q = biocapture.FacePolicy(min_ied_px=60)
    assert biocapture.FacePolicy(**q.to_dict()) == q
    assert q.replace(max_roll_deg=5).max_roll_deg == 5.0 and q.replace().min_ied_px == 60.0
    assert q.min_eye_openness == 0.18 and q.replace(min_eye_openness=0.3).min_eye_openness == 0.3
    assert repr(p).startswith("FingerprintPolicy(min_grey_sigma=1, ")


def test_rejudging_needs_no_pixels(reports):
    wet = reports["wet.png"]
    assert biocapture.FingerprintPolicy().judge(wet).reasons == ["too_wet", "smudged", "low_clarity"]
    lenient = biocapture.FingerprintPolicy(min_clarity=0, wet_index=1.0, max_smear_patch=1, max_smear_fraction=1)
    assert lenient.judge(wet).decision == "pass" and lenient.judge(wet).reasons == []
    assert wet.to_dict(policy=lenient)["verdict"] == "pass"
    assert wet.to_dict(policy=lenient)["smudge"]["detected"] is False


@pytest.mark.parametrize(
    "field,value",
    [("min_clarity", 150), ("wet_index", -0.1), ("dry_index", 0.5), ("max_mean_grey", float("nan")),
     ("max_motion_blur", 2), ("min_foreground_px", -1)],
)
def test_bad_fingerprint_threshold_names_the_field(field, value):
    with pytest.raises(biocapture.ConfigError, match=field):
        biocapture.FingerprintPolicy(**{field: value})


@pytest.mark.parametrize("field,value,named", [("min_ied_px", -5, "min_ied_px"), ("min_eye_line", 0.8, "max_eye_line"),
                                              ("min_eye_openness", float("nan"), "min_eye_openness")])
def test_bad_face_threshold_names_the_field(field, value, named):
    with pytest.raises(biocapture.ConfigError, match=named):
        biocapture.FacePolicy(**{field: value})


def test_unknown_threshold_is_a_type_error():
    with pytest.raises(TypeError, match="min_clarty"):
        biocapture.FingerprintPolicy(min_clarty=3)


def test_verdict(reports):
    v = biocapture.FingerprintPolicy().judge(reports["wet.png"])
    assert v.decision == "retake" and not v.passed and len(v) == 3
    assert [f.reason for f in v.findings] == v.reasons
    assert v.findings[0].severity in ("minor", "major", "critical")
    assert v.hints("en")[0] == v.findings[0].hint_en == biocapture.hint("too_wet")
    assert v.hints("vi")[0] == v.findings[0].hint_vi == biocapture.hint("too_wet", "vi")
    assert v.first_hint("vi") == "Lau khô ngón tay bằng khăn rồi đặt lại."
    d = v.to_dict()
    assert d["reasons"] == v.reasons and d["findings"][0]["hint"]["vi"] == v.hints("vi")[0]
    assert set(v.reasons) <= set(biocapture.reason_codes())
    with pytest.raises(biocapture.ConfigError, match=r"^lang: "):
        v.hints("fr")
    with pytest.raises(biocapture.ConfigError, match=r"^code: "):
        biocapture.hint("nope")
    clean = biocapture.FingerprintPolicy().judge(reports["clean_arch_512.png"])
    assert clean.passed and clean.reasons == [] and clean.first_hint() is None


def test_sensor_profile_learn_save_load(prints, reports, tmp_path):
    # Twelve usable captures are needed: the clean prints and their
    # mirror images and rotations.
    a = biocapture.FingerprintAssessor()
    clean = [img for name, img in prints.items() if name.startswith("clean_")]
    variants = [f(img) for img in clean for f in (lambda x: x, np.fliplr, np.flipud, np.rot90)]
    learned_from = [a.assess(v) for v in variants]
    assert len(learned_from) >= 12
    p = biocapture.SensorProfile.learn("kit 12 scanner", learned_from)
    assert p.name == "kit 12 scanner" and p.captures == len(learned_from)
    assert set(p.ridge_gaps) == {"typical", "spread", "dead_zone", "margin"}
    assert p.ridge_fill is not None and biocapture.SensorProfile.generic().ridge_fill is None

    path = tmp_path / "kit12.json"
    p.save(path)
    assert biocapture.SensorProfile.load(path) == p
    assert biocapture.SensorProfile.from_json(p.to_json()) == p
    assert json.loads(path.read_text()) == p.to_dict()

    with_profile = biocapture.FingerprintAssessor(profile=p)
    assert with_profile.profile == p
    img = prints["wet.png"]
    r = with_profile.assess(img)
    assert r.sensor_profile == "kit 12 scanner"
    # A stored report read against the profile equals assessing with it.
    assert reports["wet.png"].apply_profile(p) == r
    assert reports["wet.png"].sensor_profile is None


def test_sensor_profile_errors(reports, tmp_path):
    with pytest.raises(biocapture.ProfileError, match=r"^reports: .*at least 12"):
        biocapture.SensorProfile.learn("few", list(reports.values())[:3])
    with pytest.raises(biocapture.ProfileError, match=r"^reports: expected FingerprintReport"):
        biocapture.SensorProfile.learn("bad", [1, 2])
    d = biocapture.SensorProfile.generic().to_dict()
    d["version"] = 99
    with pytest.raises(biocapture.ProfileError, match=r"^text: .*version 99"):
        biocapture.SensorProfile.from_json(json.dumps(d))
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    with pytest.raises(biocapture.ProfileError, match=r"^path: not a sensor profile"):
        biocapture.SensorProfile.load(bad)
    with pytest.raises(FileNotFoundError):
        biocapture.SensorProfile.load(tmp_path / "missing.json")

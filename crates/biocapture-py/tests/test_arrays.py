"""What numpy arrays the assessors take: zero-copy C-contiguous arrays, one
copy of anything else with the same result, and clear errors (ImageError,
a ValueError, naming the argument) for what cannot be assessed."""

import numpy as np
import pytest

import biocapture

PRINT = "clean_whorl_388x374.png"


@pytest.fixture(scope="module")
def img(prints):
    return prints[PRINT]


@pytest.fixture(scope="module")
def assessor():
    return biocapture.FingerprintAssessor()


@pytest.fixture(scope="module")
def reference(assessor, img):
    return assessor.assess(img)


def test_c_contiguous_is_read_in_place(assessor, img):
    assert img.flags.c_contiguous
    assert assessor.reads_in_place(img)
    ro = img.copy()
    ro.flags.writeable = False
    assert assessor.reads_in_place(ro)
    assert assessor.assess(ro) == assessor.assess(img)


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(np.asfortranarray, id="fortran"),
        pytest.param(lambda a: np.repeat(np.repeat(a, 2, 0), 2, 1)[::2, ::2], id="stepped"),
        pytest.param(lambda a: np.pad(a, 7, constant_values=255)[7:-7, 7:-7], id="cropped-view"),
        pytest.param(lambda a: np.flipud(np.flipud(a)), id="negative-strides"),
        pytest.param(lambda a: np.stack([a, a], axis=-1)[:, :, 1], id="interleaved"),
    ],
)
def test_other_layouts_are_copied_once_with_the_same_result(assessor, img, reference, make):
    a = make(img)
    assert np.array_equal(a, img)
    if not a.flags.c_contiguous:
        assert not assessor.reads_in_place(a)
    assert assessor.assess(a) == reference


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.uint16, np.int8, np.int64, bool])
def test_wrong_dtype(assessor, img, dtype):
    with pytest.raises(biocapture.ImageError, match=r"^image: .*got dtype") as e:
        assessor.assess(img.astype(dtype))
    assert isinstance(e.value, ValueError)


def test_not_an_array(assessor, img):
    with pytest.raises(biocapture.ImageError, match=r"^image: .*got list"):
        assessor.assess(img.tolist())
    with pytest.raises(biocapture.ImageError, match=r"^image: .*got bytes"):
        assessor.assess(img.tobytes())


@pytest.mark.parametrize("shape", [(374, 388, 3), (374, 388, 1), (374,), (2, 374, 388, 1)])
def test_wrong_shape_for_a_print(assessor, shape):
    with pytest.raises(biocapture.ImageError, match=r"^image: expected a 2-D .*got shape"):
        assessor.assess(np.zeros(shape, np.uint8))


def test_wrong_shape_for_a_face():
    face = biocapture.FaceAssessor()
    with pytest.raises(biocapture.ImageError, match=r"^image: .*use assess_gray"):
        face.assess(np.zeros((64, 64), np.uint8))
    with pytest.raises(biocapture.ImageError, match=r"^image: expected a 3-D .*\(64, 64, 4\)"):
        face.assess(np.zeros((64, 64, 4), np.uint8))
    with pytest.raises(biocapture.ImageError, match=r"^image: expected a 2-D"):
        face.assess_gray(np.zeros((64, 64, 3), np.uint8))


@pytest.mark.parametrize("shape", [(0, 0), (0, 50), (50, 0)])
def test_empty(assessor, shape):
    with pytest.raises(biocapture.ImageError, match=r"^image: image is empty"):
        assessor.assess(np.zeros(shape, np.uint8))
    with pytest.raises(biocapture.ImageError, match=r"^image: image is empty"):
        biocapture.FaceAssessor().assess(np.zeros(shape + (3,), np.uint8))


def test_too_small(assessor):
    with pytest.raises(biocapture.ImageError, match=r"^image: image 20x20 is smaller than the minimum"):
        assessor.assess(np.zeros((20, 20), np.uint8))


def test_huge_is_refused_before_any_copy(assessor):
    # 3.2e9 pixels, broadcast from one byte: copying it would need 3 GB.
    huge = np.broadcast_to(np.uint8(200), (40_000, 80_000))
    with pytest.raises(biocapture.ImageError, match=r"^image: image 80000x40000 exceeds the limit"):
        assessor.assess(huge)
    with pytest.raises(biocapture.ImageError, match=r"exceeds the limit"):
        biocapture.FaceAssessor().assess(np.broadcast_to(np.uint8(9), (9000, 9000, 3)))


def test_large_within_the_limits_is_assessed(img):
    # 4000 x 4000 = the default 16 000 000 pixel limit exactly: a print
    # in the middle of a big white platen.
    big = np.full((4000, 4000), 255, np.uint8)
    big[1800 : 1800 + img.shape[0], 1800 : 1800 + img.shape[1]] = img
    r = biocapture.FingerprintAssessor().assess(big)
    assert r.width == 4000 and r.height == 4000
    assert r.clarity > 0 and r.foreground.bbox is not None
    x, y, w, h = r.foreground.bbox
    assert 1700 < x < 1900 and 1700 < y < 1900
    # One pixel more is over the limit; a higher limit takes it.
    tall = np.full((4001, 4000), 255, np.uint8)
    with pytest.raises(biocapture.ImageError, match="exceeds the limit of 16000000 pixels"):
        biocapture.FingerprintAssessor().assess(tall)
    assert biocapture.FingerprintAssessor(max_pixels=17_000_000).assess(tall).verdict().reasons == ["no_finger"]


def test_blank_is_a_retake_not_an_error(assessor):
    r = assessor.assess(np.full((300, 300), 255, np.uint8))
    assert r.verdict().reasons == ["no_finger"]
    assert biocapture.FaceAssessor().assess(np.full((120, 160, 3), 128, np.uint8)).verdict().reasons == ["no_face"]


def test_resolution(img):
    with pytest.raises(biocapture.ConfigError, match=r"^ppi: resolution 200 ppi is outside"):
        biocapture.FingerprintAssessor(ppi=200)
    with pytest.raises(biocapture.ConfigError, match=r"^ppi: "):
        biocapture.FingerprintAssessor(ppi=-1)
    a = biocapture.FingerprintAssessor()
    with pytest.raises(biocapture.ConfigError, match=r"^ppi: resolution 5000 ppi"):
        a.assess(img, ppi=5000)
    assert a.assess(img, ppi=1000) == biocapture.FingerprintAssessor(ppi=1000).assess(img)
    assert a.assess(img, ppi=1000).ppi == 1000


def test_assessor_settings_are_checked():
    with pytest.raises(biocapture.ConfigError, match="analysis"):
        biocapture.FingerprintAssessor(analysis="some")
    with pytest.raises(biocapture.ConfigError, match="min_side"):
        biocapture.FingerprintAssessor(min_side=4)
    with pytest.raises(biocapture.ConfigError, match="max_side"):
        biocapture.FingerprintAssessor(max_side=-3)
    with pytest.raises(biocapture.ConfigError, match="max_pixels"):
        biocapture.FingerprintAssessor(max_pixels=100)
    with pytest.raises(biocapture.ConfigError, match="min_face_fraction"):
        biocapture.FaceAssessor(min_face_fraction=2.0)
    with pytest.raises(biocapture.ConfigError, match="detector_threshold"):
        biocapture.FaceAssessor(detector_threshold=0)


def test_clarity_only(img):
    r = biocapture.FingerprintAssessor(analysis="clarity_only").assess(img)
    full = biocapture.FingerprintAssessor().assess(img)
    assert r.clarity == full.clarity
    assert r.moisture.index == 0 and r.smudge.fraction == 0


def test_supplied_eyes(astronaut_rgb):
    face = biocapture.FaceAssessor()
    found = face.assess(astronaut_rgb).face
    r = face.assess(astronaut_rgb, eyes=(found.right_eye, found.left_eye))
    assert r.face.eye_source == "supplied" and r.detections == []
    assert r.face.left_eye == found.left_eye
    with pytest.raises(biocapture.ConfigError, match=r"^invalid configuration: `eyes`"):
        face.assess(astronaut_rgb, eyes=((10, 10), (10, 10)))


def test_load_image_errors(tmp_path):
    with pytest.raises(FileNotFoundError):
        biocapture.load_image(tmp_path / "missing.png")
    bad = tmp_path / "bad.png"
    bad.write_bytes(b"not a png at all")
    with pytest.raises(biocapture.ImageError, match=r"^path: cannot decode"):
        biocapture.load_image(bad)
    with pytest.raises(biocapture.ConfigError, match=r"^mode: "):
        biocapture.load_image(bad, "cmyk")

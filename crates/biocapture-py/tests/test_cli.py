"""``to_dict()`` equals the command-line tool's JSON line (examples/assess),
less ``file`` and ``ms``: same field names, order and rounded values."""

import json
import os
import pathlib
import shutil
import subprocess

import pytest

import biocapture
from conftest import ASTRONAUT, PRINTS, ROOT


@pytest.fixture(scope="module")
def cli():
    """The release build of the tool (CI's `cargo test --release` builds it;
    otherwise it is built here)."""
    target = pathlib.Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    exe = target / "release" / "examples" / "assess"
    if not exe.exists():
        cargo = shutil.which("cargo")
        assert cargo, "cargo is needed to build examples/assess"
        subprocess.run(
            [cargo, "build", "--release", "--quiet", "--example", "assess"], cwd=ROOT, check=True
        )
    return exe


def run(cli, mode, files):
    out = subprocess.run(
        [str(cli), mode, *map(str, files)], capture_output=True, text=True, check=True
    ).stdout
    lines = [json.loads(line) for line in out.splitlines()]
    assert len(lines) == len(files)
    for line in lines:
        del line["file"], line["ms"]
    return lines


def test_fingerprint_to_dict_equals_cli(cli, prints):
    expected = run(cli, "fingerprint", PRINTS)
    assessor = biocapture.FingerprintAssessor()
    for path, want in zip(PRINTS, expected):
        got = assessor.assess(prints[path.name]).to_dict()
        assert got == want, path.name
        assert list(got) == list(want), f"{path.name}: field order"
        assert json.dumps(got) == json.dumps(want)


def test_fingerprint_to_dict_equals_cli_at_another_resolution(cli, tmp_path, prints):
    files = PRINTS[:4]
    out = subprocess.run(
        [str(cli), "fingerprint", "--ppi", "1000", *map(str, files)],
        capture_output=True, text=True, check=True,
    ).stdout
    assessor = biocapture.FingerprintAssessor(ppi=1000)
    for path, line in zip(files, out.splitlines()):
        want = json.loads(line)
        del want["file"], want["ms"]
        assert assessor.assess(prints[path.name]).to_dict() == want, path.name


def test_face_to_dict_equals_cli(cli, astronaut_rgb):
    (want,) = run(cli, "face", [ASTRONAUT])
    got = biocapture.FaceAssessor().assess(astronaut_rgb).to_dict()
    assert got == want
    assert list(got) == list(want)


def test_face_to_dict_of_a_grey_file_equals_cli(cli, tmp_path):
    # The tool assesses a file without colour with assess_gray.
    grey = biocapture.load_image(ASTRONAUT, "gray")
    path = tmp_path / "grey.pgm"
    h, w = grey.shape
    path.write_bytes(f"P5 {w} {h} 255\n".encode() + grey.tobytes())
    (want,) = run(cli, "face", [path])
    auto = biocapture.load_image(path, "auto")
    assert auto.ndim == 2
    got = biocapture.FaceAssessor().assess_gray(auto).to_dict()
    assert got == want


def test_no_face_to_dict_equals_cli(cli, tmp_path):
    flat = tmp_path / "flat.pgm"
    flat.write_bytes(b"P5 64 48 255\n" + bytes([128]) * (64 * 48))
    (want,) = run(cli, "face", [flat])
    got = biocapture.FaceAssessor().assess_gray(biocapture.load_image(flat)).to_dict()
    assert got == want
    assert got["reasons"] == ["no_face"] and got["face_box"] is None

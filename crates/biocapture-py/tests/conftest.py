"""Shared paths and fixtures: the repository's committed test images and the
Rust golden manifests (testdata/golden), which these tests hold the Python
package to."""

import json
import pathlib

import pytest

import biocapture

ROOT = pathlib.Path(__file__).resolve().parents[3]
TESTDATA = ROOT / "testdata"
PRINTS = sorted((TESTDATA / "fingerprint").glob("*.png"))
ASTRONAUT = TESTDATA / "face" / "astronaut.jpg"


def golden(name):
    return json.loads((TESTDATA / "golden" / name).read_text())


@pytest.fixture(scope="session")
def prints():
    """Every committed print, decoded as the CLI decodes it: {name: array}."""
    assert len(PRINTS) >= 10, f"testdata prints missing under {TESTDATA}"
    return {p.name: biocapture.load_image(p) for p in PRINTS}


@pytest.fixture(scope="session")
def astronaut_rgb():
    return biocapture.load_image(ASTRONAUT, "rgb")

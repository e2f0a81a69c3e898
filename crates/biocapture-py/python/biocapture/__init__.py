"""biocapture: capture-time quality checks for fingerprints and ID face photos.

numpy arrays in, typed reports and pass/retake verdicts out::

    import biocapture
    img = biocapture.load_image("print.png")           # (h, w) uint8
    report = biocapture.FingerprintAssessor(ppi=500).assess(img)
    verdict = biocapture.FingerprintPolicy().judge(report)
    print(report.clarity, verdict.decision, verdict.reasons, verdict.hints("vi"))

An assessor measures pixels into a frozen report (every score, index and
per-block map); a policy judges a report into a verdict, so stored reports
can be judged again under other thresholds without the pixels. A poor
capture is a report whose verdict is ``"retake"``; an exception
(``BiocaptureError``, a ``ValueError``) means the input could not be assessed.
"""

from ._biocapture import (
    DEFAULT_PPI,
    MAX_PPI,
    MIN_PPI,
    Actionable,
    BiocaptureError,
    BlockMaps,
    ConfigError,
    Detection,
    FaceAssessor,
    FaceMeasures,
    FacePolicy,
    FaceReport,
    Finding,
    FingerprintAssessor,
    FingerprintPolicy,
    FingerprintReport,
    Foreground,
    Framing,
    ImageError,
    Measure,
    Moisture,
    Photometric,
    ProfileError,
    SensorProfile,
    Smudge,
    Verdict,
    __version__,
    hint,
    load_image,
    reason_codes,
)

__all__ = [
    "DEFAULT_PPI",
    "MAX_PPI",
    "MIN_PPI",
    "Actionable",
    "BiocaptureError",
    "BlockMaps",
    "ConfigError",
    "Detection",
    "FaceAssessor",
    "FaceMeasures",
    "FacePolicy",
    "FaceReport",
    "Finding",
    "FingerprintAssessor",
    "FingerprintPolicy",
    "FingerprintReport",
    "Foreground",
    "Framing",
    "ImageError",
    "Measure",
    "Moisture",
    "Photometric",
    "ProfileError",
    "SensorProfile",
    "Smudge",
    "Verdict",
    "__version__",
    "hint",
    "load_image",
    "reason_codes",
]

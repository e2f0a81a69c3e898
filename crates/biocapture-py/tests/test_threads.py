"""Threads: each with its own assessor, the results are identical to a
serial run (the GIL is released while assessing); one assessor shared by
threads is safe too (its calls are serialised)."""

import threading
from concurrent.futures import ThreadPoolExecutor

import biocapture


def test_threads_with_their_own_assessors_match_serial(prints, astronaut_rgb):
    names = sorted(prints) * 3
    serial_assessor = biocapture.FingerprintAssessor()
    serial = [serial_assessor.assess(prints[n]).to_json() for n in names]
    face_serial = biocapture.FaceAssessor().assess(astronaut_rgb).to_json()

    local = threading.local()

    def job(i):
        if not hasattr(local, "assessor"):
            local.assessor = biocapture.FingerprintAssessor()
            local.face = biocapture.FaceAssessor()
        face = local.face.assess(astronaut_rgb).to_json() if i % 10 == 0 else face_serial
        return local.assessor.assess(prints[names[i]]).to_json(), face

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(job, range(len(names))))
    assert [r for r, _ in results] == serial
    assert all(f == face_serial for _, f in results)


def test_one_assessor_shared_by_threads_is_safe(prints):
    shared = biocapture.FingerprintAssessor()
    names = sorted(prints) * 2
    expected = [biocapture.FingerprintAssessor().assess(prints[n]) for n in names]
    with ThreadPoolExecutor(max_workers=4) as pool:
        got = list(pool.map(lambda n: shared.assess(prints[n]), names))
    assert got == expected


def test_the_gil_is_released_while_assessing(prints):
    # While one thread assesses a large print, another thread keeps running
    # Python code: it would be blocked for the whole assessment if the GIL
    # were held.
    import numpy as np

    big = np.tile(prints["clean_tented_800x750.png"], (4, 4))
    assessor = biocapture.FingerprintAssessor()
    ticks = []
    done = threading.Event()

    def spin():
        while not done.is_set():
            ticks.append(1)

    t = threading.Thread(target=spin)
    t.start()
    try:
        before = len(ticks)
        for _ in range(3):
            assessor.assess(big)
        during = len(ticks) - before
    finally:
        done.set()
        t.join()
    assert during > 1000, f"the other thread ran {during} loop turns during three assessments"

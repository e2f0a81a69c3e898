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
    # Another thread keeps reading the clock while a large print is being
    # assessed. Were the GIL held, it could not run during the call: its
    # longest pause inside the call would last the whole call. Released,
    # its pauses are short (the OS may still preempt it on a busy machine,
    # so the best of three calls is taken).
    import time

    import numpy as np

    big = np.tile(prints["clean_tented_800x750.png"], (4, 4))
    assessor = biocapture.FingerprintAssessor()
    stamps = []
    done = threading.Event()

    def spin():
        while not done.is_set():
            stamps.append(time.perf_counter())

    t = threading.Thread(target=spin)
    t.start()
    ratios = []
    try:
        while len(stamps) < 1000:
            time.sleep(0.001)
        for _ in range(3):
            t0 = time.perf_counter()
            assessor.assess(big)
            t1 = time.perf_counter()
            inside = [t0] + [s for s in list(stamps) if t0 < s < t1] + [t1]
            gap = max(b - a for a, b in zip(inside, inside[1:]))
            ratios.append(gap / (t1 - t0))
    finally:
        done.set()
        t.join()
    assert min(ratios) < 0.5, f"longest pause of the other thread / call time: {ratios}"

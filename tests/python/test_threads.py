"""Threads: the GIL is released while hashing, and configs are safe to use
from several threads at once."""

import concurrent.futures
import os
import shutil
import threading
import time

import pytest

from conftest import BackgroundCounter, make_model, write
from model_signing import hashing, signing, verifying


@pytest.fixture(scope="module")
def sparse_model(tmp_path_factory):
    """1 GiB of zeros that takes no disk space but must still be hashed."""
    model = tmp_path_factory.mktemp("sparse") / "model"
    model.mkdir()
    with open(model / "weights.bin", "wb") as f:
        f.truncate(1 << 30)
    return model


def count_while(work):
    """Runs work() in a thread while this thread increments a counter;
    returns (work's result, increments during work, seconds)."""
    counter = 0
    done = threading.Event()
    result = {}
    started = threading.Event()

    def worker():
        started.set()
        start = time.monotonic()
        result["value"] = work()
        result["seconds"] = time.monotonic() - start
        done.set()

    thread = threading.Thread(target=worker)
    thread.start()
    started.wait()
    while not done.is_set():
        counter += 1
    thread.join()
    return result["value"], counter, result["seconds"]


def test_gil_is_released_while_hashing(sparse_model):
    config = hashing.Config().use_file_serialization(max_workers=1)
    manifest, increments, seconds = count_while(lambda: config.hash(sparse_model))
    assert [rd.identifier for rd in manifest.resource_descriptors()] == ["weights.bin"]
    # The counting loop runs millions of times a second when it holds the
    # GIL; had hashing held it, the loop would have stalled for `seconds`.
    assert seconds > 0.2
    assert increments > 200_000 * seconds, (increments, seconds)


def test_gil_is_released_while_signing_and_verifying(sparse_model, keys, tmp_path):
    sig = tmp_path / "model.sig"
    signer = signing.Config().use_elliptic_key_signer(private_key=keys.private)
    _, increments, seconds = count_while(lambda: signer.sign(sparse_model, sig))
    assert increments > 200_000 * seconds
    verifier = verifying.Config().use_elliptic_key_verifier(public_key=keys.public)
    _, increments, seconds = count_while(lambda: verifier.verify(sparse_model, sig))
    assert increments > 200_000 * seconds


def test_progress_callbacks_run_while_other_threads_run(sparse_model):
    seen = []
    with BackgroundCounter() as counter:
        hashing.Config().use_file_serialization(max_workers=1).hash(
            sparse_model, progress=lambda done, total: seen.append((done, counter.value)))
    assert len(seen) >= 2
    # The counter moved between progress reports: the callback takes the GIL
    # only for itself.
    assert seen[-1][1] > seen[0][1]
    assert seen[-1][0] == 1 << 30


def test_threads_hashing_concurrently(tmp_path):
    models = [make_model(tmp_path / f"m{i}") for i in range(4)]
    configs = [hashing.Config(), hashing.Config().use_shard_serialization(shard_size=4096),
               hashing.Config().use_file_serialization(hashing_algorithm="blake2", max_workers=2),
               hashing.Config().use_file_serialization(hashing_algorithm="blake3")]
    expected = {(i, j): c.hash(m) for i, m in enumerate(models) for j, c in enumerate(configs)}
    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        futures = {pool.submit(configs[j].hash, models[i]): (i, j)
                   for _ in range(3) for (i, j) in expected}
        for future in concurrent.futures.as_completed(futures):
            assert future.result() == expected[futures[future]]


def test_one_config_signs_and_verifies_from_many_threads(tmp_path, keys):
    models = [make_model(tmp_path / f"m{i}") for i in range(6)]
    signer = signing.Config().use_elliptic_key_signer(private_key=keys.private)
    verifier = verifying.Config().use_elliptic_key_verifier(public_key=keys.public)

    def round_trip(model):
        sig = model.parent / (model.name + ".sig")
        signed = signer.sign(model, sig)
        return signed == verifier.verify(model, sig)

    with concurrent.futures.ThreadPoolExecutor(max_workers=6) as pool:
        assert all(pool.map(round_trip, models))
    write(models[3] / "extra", "x")
    with pytest.raises(ValueError, match="extra"):
        verifier.verify(models[3], tmp_path / "m3.sig")

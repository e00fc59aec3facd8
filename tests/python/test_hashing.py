"""model_signing.hashing: every Config method and parameter, checked against
the CLI (`model_signing digest` prints the root digest a signature commits to)."""

import os
import pathlib
import shutil
import sys

import pytest

from conftest import run, write
from model_signing import errors, hashing


def cli_digest(cli, model, *flags) -> str:
    result = run(cli, "digest", model, *flags)
    assert result.stdout.startswith("sha256:")
    return result.stdout.strip().split(":", 1)[1]


def names(manifest):
    return [rd.identifier for rd in manifest.resource_descriptors()]


class PathObject:
    """An os.PathLike that is not a pathlib.Path."""

    def __init__(self, path):
        self._path = path

    def __fspath__(self):
        return os.fspath(self._path)


def test_default_hash_matches_the_cli(model, cli):
    m = hashing.hash(model)
    assert m.root_digest().digest_hex == cli_digest(cli, model)
    assert m.model_name == "model"
    assert names(m) == ["README.md", "config.json", "tokenizer.json",
                        "weights/part-0.bin", "weights/part-1.bin"]
    assert m.serialization_type == {
        "method": "files", "hash_type": "sha256", "allow_symlinks": False,
        "ignore_paths": [".git", ".gitattributes", ".github", ".gitignore"]}
    for rd in m.resource_descriptors():
        assert rd.algorithm == rd.digest.algorithm == "sha256"
        assert rd.digest.digest_size == 32 and len(rd.digest.digest_hex) == 64
    assert hashing.Config().hash(model) == m


@pytest.mark.parametrize("algorithm,engine_name,size", [
    ("sha256", "sha256", 32), ("blake2", "blake2b", 64), ("blake2b", "blake2b", 64),
    ("blake3", "blake3", 32)])
def test_file_serialization_algorithms_match_the_cli(model, cli, algorithm, engine_name, size):
    m = hashing.Config().use_file_serialization(hashing_algorithm=algorithm).hash(model)
    assert m.serialization_type["hash_type"] == engine_name
    assert {rd.digest.digest_size for rd in m.resource_descriptors()} == {size}
    assert m.root_digest().digest_hex == cli_digest(cli, model, "--hash", engine_name)


@pytest.mark.parametrize("algorithm", ["sha256", "blake2"])
def test_shard_serialization_matches_the_cli(model, cli, algorithm):
    m = hashing.Config().use_shard_serialization(hashing_algorithm=algorithm, shard_size=16384).hash(model)
    engine_name = "blake2b" if algorithm == "blake2" else "sha256"
    assert m.serialization_type == {
        "method": "shards", "hash_type": engine_name, "shard_size": 16384,
        "allow_symlinks": False, "ignore_paths": [".git", ".gitattributes", ".github", ".gitignore"]}
    ids = names(m)
    assert "weights/part-0.bin:0:16384" in ids and "weights/part-0.bin:65536:70000" in ids
    assert {rd.algorithm for rd in m.resource_descriptors()} == {f"{engine_name}-sharded-16384"}
    assert m.root_digest().digest_hex == cli_digest(
        cli, model, "--hash", engine_name, "--serialization", "shards", "--shard-size", "16384")
    # Default shard size: one shard per (small) file.
    default = hashing.Config().use_shard_serialization().hash(model)
    assert default.serialization_type["shard_size"] == 1_000_000_000
    assert f"config.json:0:{(model / 'config.json').stat().st_size}" in names(default)


def test_blake3_shards_are_files_as_upstream(model):
    m = hashing.Config().use_shard_serialization(hashing_algorithm="blake3", shard_size=1000).hash(model)
    assert m.serialization_type["method"] == "files"
    assert m.serialization_type["hash_type"] == "blake3"


@pytest.mark.parametrize("make_path", [str, os.fsencode, pathlib.Path, PathObject],
                         ids=["str", "bytes", "Path", "PathLike"])
def test_path_types(model, make_path):
    assert hashing.hash(make_path(model)) == hashing.hash(model)
    config = hashing.Config().set_ignored_paths(paths=[make_path("README.md")])
    assert "README.md" not in names(config.hash(make_path(model)))


def test_wrong_path_types_raise_type_error():
    with pytest.raises(TypeError):
        hashing.hash(42)
    with pytest.raises(TypeError):
        hashing.Config().set_ignored_paths(paths=[3.5])
    with pytest.raises(TypeError):
        hashing.Config().set_ignored_paths(paths="README.md")  # a path, not a list of paths


def test_model_name_of_dot_is_the_directory_name(model, monkeypatch):
    monkeypatch.chdir(model)
    assert hashing.hash(".").model_name == "model"
    assert hashing.hash(str(model) + "/").model_name == "model"


def test_single_file_model(model, cli):
    m = hashing.hash(model / "config.json")
    assert names(m) == ["config.json"]
    assert m.model_name == "config.json"
    assert m.serialization_type["ignore_paths"] == []
    assert m.root_digest().digest_hex == cli_digest(cli, model / "config.json")


def test_set_ignored_paths(model, cli, tmp_path):
    config = hashing.Config().set_ignored_paths(
        paths=["README.md", "weights", str(model / "tokenizer.json"), str(tmp_path / "elsewhere")])
    m = config.hash(model)
    assert names(m) == ["config.json"]
    assert m.serialization_type["ignore_paths"] == [
        ".git", ".gitattributes", ".github", ".gitignore", "README.md", "tokenizer.json", "weights"]
    assert m.root_digest().digest_hex == cli_digest(
        cli, model, "--ignore-paths", model / "README.md", "--ignore-paths", model / "weights",
        "--ignore-paths", model / "tokenizer.json")
    # It replaces the previous set.
    assert "README.md" in names(config.set_ignored_paths(paths=["weights"]).hash(model))


def test_git_paths_ignored_unless_told(model, cli):
    write(model / ".git" / "HEAD", "ref: refs/heads/main\n")
    write(model / ".gitattributes", "*.bin filter=lfs\n")
    assert ".gitattributes" not in names(hashing.hash(model))
    m = hashing.Config().set_ignored_paths(paths=[], ignore_git_paths=False).hash(model)
    assert {".git/HEAD", ".gitattributes"} <= set(names(m))
    assert m.serialization_type["ignore_paths"] == []
    assert m.root_digest().digest_hex == cli_digest(cli, model, "--no-ignore-git-paths")


def test_add_ignored_paths(model):
    config = hashing.Config().set_ignored_paths(paths=["README.md"])
    assert config.add_ignored_paths(model_path=model, paths=["weights/part-1.bin", "/elsewhere/x"]) is None
    m = config.hash(model)
    assert "README.md" not in names(m) and "weights/part-1.bin" not in names(m)
    assert "/elsewhere/x" not in m.serialization_type["ignore_paths"]
    assert "weights/part-1.bin" in m.serialization_type["ignore_paths"]


def test_ignore_paths_of_use_serialization_are_ignored(model):
    # The Python tool only recorded these (and its signatures then failed
    # to verify); here they leave the files out, like set_ignored_paths.
    m = hashing.Config().use_file_serialization(ignore_paths=["README.md"]).hash(model)
    assert "README.md" not in names(m)
    assert "README.md" in m.serialization_type["ignore_paths"]
    m = hashing.Config().use_shard_serialization(ignore_paths=[pathlib.Path("weights")]).hash(model)
    assert not any(n.startswith("weights/") for n in names(m))


def test_symlinks_refused_unless_allowed(model, cli):
    os.symlink(model / "config.json", model / "link.json")
    with pytest.raises(ValueError, match="link.json") as raised:
        hashing.hash(model)
    assert isinstance(raised.value, errors.ModelLayoutError)
    allowed = hashing.Config().set_allow_symlinks(True).hash(model)
    assert "link.json" in names(allowed)
    assert allowed.serialization_type["allow_symlinks"] is True
    assert allowed.root_digest().digest_hex == cli_digest(cli, model, "--allow-symlinks")
    # allow_symlinks= of use_*_serialization is honoured too (upstream
    # overrode it), and the last call wins.
    assert hashing.Config().use_file_serialization(allow_symlinks=True).hash(model) == allowed
    assert hashing.Config().use_shard_serialization(allow_symlinks=True).hash(model).serialization_type["allow_symlinks"]
    with pytest.raises(ValueError):
        hashing.Config().use_file_serialization(allow_symlinks=True).set_allow_symlinks(False).hash(model)


@pytest.mark.parametrize("kwargs,message", [
    ({"hashing_algorithm": "md5"}, "Unsupported hashing method md5"),
    ({"chunk_size": -1}, "chunk_size"),
    ({"max_workers": 0}, "max_workers"),
])
def test_bad_serialization_arguments_raise_value_error(kwargs, message):
    for method in (hashing.Config().use_file_serialization, hashing.Config().use_shard_serialization):
        with pytest.raises(ValueError, match=message):
            method(**kwargs)


def test_bad_shard_size_and_argument_types():
    with pytest.raises(ValueError, match="shard_size"):
        hashing.Config().use_shard_serialization(shard_size=0)
    with pytest.raises(TypeError):
        hashing.Config().use_shard_serialization(shard_size="big")
    with pytest.raises(TypeError):
        hashing.Config().use_file_serialization("sha256")  # keyword-only
    with pytest.raises(TypeError):
        hashing.Config().set_ignored_paths(["a"])  # keyword-only
    # chunk_size 0 (read whole files) is accepted, as upstream.
    hashing.Config().use_file_serialization(chunk_size=0)


def test_chunk_size_and_max_workers_do_not_change_digests(model):
    reference = hashing.hash(model)
    for chunk_size in (0, 1, 4096):
        for max_workers in (None, 1, 3):
            config = hashing.Config().use_file_serialization(chunk_size=chunk_size, max_workers=max_workers)
            assert config.hash(model) == reference


def test_files_to_hash(model):
    config = hashing.Config()
    m = config.hash(model, files_to_hash=[model / "config.json", str(model / "weights" / "part-0.bin")])
    assert names(m) == ["config.json", "weights/part-0.bin"]
    # Ignored files are skipped; directories contribute nothing.
    ignoring = hashing.Config().set_ignored_paths(paths=["README.md"])
    m = ignoring.hash(model, files_to_hash=[model / "README.md", model / "weights", model / "config.json"])
    assert names(m) == ["config.json"]
    with pytest.raises(ValueError, match="missing.bin"):
        config.hash(model, files_to_hash=[model / "missing.bin"])
    with pytest.raises(ValueError, match="not inside the model"):
        config.hash(model, files_to_hash=[model.parent / "outside"])
    with pytest.raises(ValueError, match="no regular files"):
        ignoring.hash(model, files_to_hash=[model / "README.md"])


def test_files_to_hash_matches_the_full_hash_for_the_same_files(model):
    full = {rd.identifier: rd.digest for rd in hashing.hash(model).resource_descriptors()}
    subset = hashing.Config().hash(model, files_to_hash=[model / "weights" / "part-1.bin"])
    assert [(rd.identifier, rd.digest) for rd in subset.resource_descriptors()] == [
        ("weights/part-1.bin", full["weights/part-1.bin"])]


def test_unusable_models_raise_value_error(tmp_path):
    with pytest.raises(ValueError, match="does not exist") as raised:
        hashing.hash(tmp_path / "nothing")
    assert isinstance(raised.value, OSError) and isinstance(raised.value, errors.FileAccessError)
    (tmp_path / "empty").mkdir()
    with pytest.raises(errors.ModelLayoutError, match="empty"):
        hashing.hash(tmp_path / "empty")
    write(tmp_path / "fifo-model" / "a", "a")
    os.mkfifo(tmp_path / "fifo-model" / "pipe")
    with pytest.raises(ValueError, match="pipe"):
        hashing.hash(tmp_path / "fifo-model")


def test_progress_callback(model):
    calls = []
    m = hashing.hash(model, progress=lambda done, total: calls.append((done, total)))
    total = sum(p.stat().st_size for p in model.rglob("*") if p.is_file())
    assert calls and calls[-1] == (total, total)
    assert all(0 <= d <= t == total for d, t in calls)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)
    assert m == hashing.hash(model)


def test_progress_callback_exception_is_raised_after_hashing(model):
    class Stop(Exception):
        pass

    def fail(done, total):
        raise Stop(f"stopped at {done}")

    with pytest.raises(Stop):
        hashing.Config().hash(model, progress=fail)


def test_max_workers_sets_the_hashing_threads(tmp_path):
    # A sparse 1 GiB file in 64 MiB shards (no disk used, still hashed):
    # the progress callback runs on the calling thread while the workers
    # hash, so it sees how many threads the process has.
    big = tmp_path / "big" / "sparse.bin"
    big.parent.mkdir()
    with open(big, "wb") as f:
        f.truncate(1 << 30)

    def extra_threads_while_hashing(max_workers):
        seen = []
        config = hashing.Config().use_shard_serialization(shard_size=64 << 20, max_workers=max_workers)
        before = len(os.listdir("/proc/self/task"))
        config.hash(big.parent, progress=lambda d, t: seen.append(len(os.listdir("/proc/self/task"))))
        return max(seen) - before

    # One worker hashes on the calling thread; three run three threads
    # (other threads of the process may come and go meanwhile, hence <=).
    assert extra_threads_while_hashing(1) <= 0
    assert extra_threads_while_hashing(3) >= 3

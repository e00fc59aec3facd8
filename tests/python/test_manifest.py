"""model_signing.manifest: Manifest, its descriptors and equality, and the
upstream building blocks (keys, items, serialization types)."""

import pathlib
import shutil

import pytest

from conftest import write
from model_signing import hashing, manifest


def test_manifest_built_by_hand_equals_the_hashed_one(model):
    hashed = hashing.hash(model)
    items = [
        manifest.FileManifestItem(path=pathlib.PurePosixPath(rd.identifier), digest=rd.digest)
        for rd in hashed.resource_descriptors()
    ]
    built = manifest.Manifest("any-name", reversed(items),
                              manifest._FileSerialization("sha256", False, [".git"]))
    assert built == hashed and hashed == built
    assert built.model_name == "any-name"
    assert built.serialization_type == {"method": "files", "hash_type": "sha256",
                                        "allow_symlinks": False, "ignore_paths": [".git"]}
    assert list(built.resource_descriptors()) == list(hashed.resource_descriptors())
    assert built.root_digest() == hashed.root_digest()


def test_equality_ignores_name_and_serialization_but_not_digests(model, tmp_path):
    a = hashing.hash(model)
    renamed = shutil.copytree(model, tmp_path / "renamed")
    b = hashing.hash(renamed)
    assert b.model_name == "renamed" and a == b
    assert hashing.Config().set_ignored_paths(paths=["x"]).hash(model) == a  # other ignore_paths recorded
    write(renamed / "config.json", "{}")
    assert hashing.hash(renamed) != a
    assert hashing.Config().use_file_serialization(hashing_algorithm="blake2").hash(model) != a
    assert a != "not a manifest"
    with pytest.raises(TypeError):
        hash(a)  # compared by content, so not hashable (as upstream)


def test_resource_descriptors_are_sorted_by_path_then_offsets(tmp_path):
    model = tmp_path / "m"
    write(model / "a-b", "1")
    write(model / "a" / "b", "2")
    write(model / "big", b"x" * 25)
    m = hashing.Config().use_shard_serialization(shard_size=10).hash(model)
    assert [rd.identifier for rd in m.resource_descriptors()] == [
        "a/b:0:1", "a-b:0:1", "big:0:10", "big:10:20", "big:20:25"]
    # What a lazily built manifest yields, a hand-built one yields too.
    again = manifest.Manifest("m", [
        manifest._ShardSerialization("sha256", 10).new_item(rd.identifier, rd.digest)
        for rd in m.resource_descriptors()], manifest._ShardSerialization("sha256", 10))
    assert again == m
    assert list(again.resource_descriptors()) == list(m.resource_descriptors())


def test_keys_and_descriptors():
    assert str(manifest.File.from_str("a/b.bin")) == "a/b.bin"
    shard = manifest.Shard.from_str("a/b.bin:0:10")
    assert (str(shard.path), shard.start, shard.end, str(shard)) == ("a/b.bin", 0, 10, "a/b.bin:0:10")
    with pytest.raises(ValueError, match="Expected 3 components"):
        manifest.Shard.from_str("a:b")
    assert manifest.File.from_str("a") < manifest.File.from_str("b")
    digest = manifest.Digest("sha256", b"\x01\x02")
    assert (digest.digest_hex, digest.digest_size) == ("0102", 2)
    rd = manifest.ResourceDescriptor(identifier="a", digest=digest)
    assert rd.algorithm == "sha256" and manifest._ResourceDescriptor is manifest.ResourceDescriptor
    item = manifest.ShardedFileManifestItem(path=pathlib.PurePath("x"), start=0, end=2, digest=digest)
    assert item.key == manifest.Shard(pathlib.PurePosixPath("x"), 0, 2) and item.digest == digest


def test_serialization_types():
    files = manifest.SerializationType.from_args(
        {"method": "files", "hash_type": "blake2b", "allow_symlinks": True, "ignore_paths": ["b", "a"]})
    assert files.serialization_parameters == {"method": "files", "hash_type": "blake2b",
                                              "allow_symlinks": True, "ignore_paths": ["a", "b"]}
    shards = manifest.SerializationType.from_args(
        {"method": "shards", "hash_type": "sha256", "shard_size": 8.0, "allow_symlinks": False})
    assert shards.serialization_parameters["shard_size"] == 8
    with pytest.raises(ValueError, match="Unknown serialization type tensors"):
        manifest.SerializationType.from_args({"method": "tensors"})
    with pytest.raises(ValueError, match="3 components"):
        shards.new_item("no-offsets", manifest.Digest("sha256", b""))

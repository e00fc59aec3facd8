"""Manifests: every file (or shard of a file) of a model paired with its digest.

The same public pieces as the Python `model_signing.manifest`: `Manifest`
(`model_name`, `serialization_type`, `resource_descriptors()`, equality),
`ResourceDescriptor` (also reachable as `_ResourceDescriptor`), `Digest`, the
keys `File` and `Shard`, the items `FileManifestItem` and
`ShardedFileManifestItem`, and `SerializationType` with its two kinds.

Manifests returned by hashing, signing and verifying are built lazily: the
per-file objects are only made when `resource_descriptors()` or equality
needs them, so hashing 20,000 files does not pay for 20,000 Python objects
that are never looked at.
"""

from __future__ import annotations

import abc
import dataclasses
import hashlib
import pathlib
from collections.abc import Iterable, Iterator
from typing import Any, Final, Optional

__all__ = [
    "Digest",
    "ResourceDescriptor",
    "ManifestKey",
    "File",
    "Shard",
    "ManifestItem",
    "FileManifestItem",
    "ShardedFileManifestItem",
    "SerializationType",
    "Manifest",
]


@dataclasses.dataclass(frozen=True, order=True)
class Digest:
    """A digest: the algorithm's name and the raw digest bytes."""

    algorithm: str
    digest_value: bytes

    @property
    def digest_hex(self) -> str:
        return self.digest_value.hex()

    @property
    def digest_size(self) -> int:
        return len(self.digest_value)


@dataclasses.dataclass(frozen=True, order=True)
class ResourceDescriptor:
    """One resource of a manifest: its identifier (a model-relative POSIX path,
    or `path:start:end` for a shard) and its digest."""

    identifier: str
    digest: Digest

    @property
    def algorithm(self) -> str:
        """The digest's algorithm (`digest.algorithm`), e.g. `sha256` or
        `sha256-sharded-1000000000`."""
        return self.digest.algorithm


# Some releases of the Python tool name it with a leading underscore.
_ResourceDescriptor = ResourceDescriptor


class ManifestKey(metaclass=abc.ABCMeta):
    """What identifies an item of a manifest; `str()` gives its identifier."""

    @classmethod
    @abc.abstractmethod
    def from_str(cls, s: str) -> ManifestKey:
        """Parses an identifier; ValueError if it cannot be decoded."""


@dataclasses.dataclass(frozen=True, order=True)
class File(ManifestKey):
    """A whole file, by its path relative to the model root."""

    path: pathlib.PurePath

    def __str__(self) -> str:
        return str(self.path)

    @classmethod
    def from_str(cls, s: str) -> File:
        return cls(pathlib.PurePosixPath(s))


@dataclasses.dataclass(frozen=True, order=True)
class Shard(ManifestKey):
    """The bytes [start, end) of a file."""

    path: pathlib.PurePath
    start: int
    end: int

    def __str__(self) -> str:
        return f"{self.path}:{self.start}:{self.end}"

    @classmethod
    def from_str(cls, s: str) -> Shard:
        parts = s.split(":")
        if len(parts) != 3:
            raise ValueError(f"Expected 3 components separated by `:`, got {s}")
        return cls(pathlib.PurePosixPath(parts[0]), int(parts[1]), int(parts[2]))


class ManifestItem(metaclass=abc.ABCMeta):
    """An object of the model (a file or a shard) with its digest."""

    digest: Digest

    @property
    @abc.abstractmethod
    def key(self) -> ManifestKey:
        """The item's unique key within a manifest."""


class FileManifestItem(ManifestItem):
    def __init__(self, *, path: pathlib.PurePath, digest: Digest):
        self._path = pathlib.PurePosixPath(path)
        self.digest = digest

    @property
    def key(self) -> ManifestKey:
        return File(self._path)


class ShardedFileManifestItem(ManifestItem):
    def __init__(self, *, path: pathlib.PurePath, start: int, end: int, digest: Digest):
        self._path = pathlib.PurePosixPath(path)
        self._start = start
        self._end = end
        self.digest = digest

    @property
    def key(self) -> ManifestKey:
        return Shard(self._path, self._start, self._end)


class SerializationType(metaclass=abc.ABCMeta):
    """How a manifest was made: everything needed to hash the model again."""

    method: str

    @property
    @abc.abstractmethod
    def serialization_parameters(self) -> dict[str, Any]:
        """The parameters as the signature records them."""

    @classmethod
    def from_args(cls, args: dict[str, Any]) -> SerializationType:
        method = args["method"]
        for subclass in (_FileSerialization, _ShardSerialization):
            if method == subclass.method:
                return subclass._from_args(args)
        raise ValueError(f"Unknown serialization type {method}")

    @classmethod
    @abc.abstractmethod
    def _from_args(cls, args: dict[str, Any]) -> SerializationType: ...

    @abc.abstractmethod
    def new_item(self, name: str, digest: Digest) -> ManifestItem:
        """The item named `name` in a manifest of this type."""


class _RecordedSerialization(SerializationType):
    """What both kinds record: the hash, the symlink policy, the ignored
    paths, and (for shards) the shard size."""

    def __init__(self, hash_type: str, shard_size: Optional[int], allow_symlinks: bool,
                 ignore_paths: Iterable[Any]):
        self._hash_type = hash_type
        self._shard_size = shard_size
        self._allow_symlinks = allow_symlinks
        self._ignore_paths = sorted(str(p) for p in ignore_paths)

    @property
    def serialization_parameters(self) -> dict[str, Any]:
        parameters = {"method": self.method, "hash_type": self._hash_type}
        if self._shard_size is not None:
            parameters["shard_size"] = self._shard_size
        parameters["allow_symlinks"] = self._allow_symlinks
        parameters["ignore_paths"] = list(self._ignore_paths)
        return parameters


class _FileSerialization(_RecordedSerialization):
    method: Final[str] = "files"

    def __init__(self, hash_type: str, allow_symlinks: bool = False,
                 ignore_paths: Iterable[Any] = frozenset()):
        super().__init__(hash_type, None, allow_symlinks, ignore_paths)

    @classmethod
    def _from_args(cls, args: dict[str, Any]) -> _FileSerialization:
        return cls(args["hash_type"], args.get("allow_symlinks", False), args.get("ignore_paths", ()))

    def new_item(self, name: str, digest: Digest) -> ManifestItem:
        return FileManifestItem(path=pathlib.PurePosixPath(name), digest=digest)


class _ShardSerialization(_RecordedSerialization):
    method: Final[str] = "shards"

    def __init__(self, hash_type: str, shard_size: int, allow_symlinks: bool = False,
                 ignore_paths: Iterable[Any] = frozenset()):
        super().__init__(hash_type, shard_size, allow_symlinks, ignore_paths)

    @classmethod
    def _from_args(cls, args: dict[str, Any]) -> _ShardSerialization:
        return cls(args["hash_type"], int(args["shard_size"]), args.get("allow_symlinks", False),
                   args.get("ignore_paths", ()))

    def new_item(self, name: str, digest: Digest) -> ManifestItem:
        parts = name.rsplit(":", 2)
        if len(parts) != 3:
            raise ValueError(
                "Invalid resource name: expected 3 components separated by "
                f"`:`, got {name}"
            )
        return ShardedFileManifestItem(
            path=pathlib.PurePosixPath(parts[0]), start=int(parts[1]), end=int(parts[2]),
            digest=digest)


class Manifest:
    """A model's manifest: its items and how they were hashed.

    Two manifests are equal when they list the same items with the same
    digests; the model name and serialization parameters are informative.
    """

    def __init__(
        self,
        model_name: str,
        items: Iterable[ManifestItem],
        serialization_type: SerializationType,
    ):
        self._name = model_name
        self._serialization = serialization_type.serialization_parameters
        self._mapping: Optional[dict[ManifestKey, Digest]] = {
            item.key: item.digest for item in items
        }
        self._native = None

    @classmethod
    def _from_native(cls, native) -> Manifest:
        """Wraps the extension's manifest; items are made when needed."""
        manifest = cls.__new__(cls)
        manifest._name = native.model_name
        manifest._serialization = native.serialization
        manifest._mapping = None
        manifest._native = native
        return manifest

    @property
    def _item_to_digest(self) -> dict[ManifestKey, Digest]:
        if self._mapping is None:
            algorithm = self._native.algorithm
            mapping = {}
            for path, start, end, value in self._native.items():
                posix = pathlib.PurePosixPath(path)
                key = File(posix) if start is None else Shard(posix, start, end)
                mapping[key] = Digest(algorithm, value)
            self._mapping = mapping
        return self._mapping

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Manifest):
            return NotImplemented
        if self._native is not None and other._native is not None:
            return self._native.same_items(other._native)
        return self._item_to_digest == other._item_to_digest

    __hash__ = None  # compared by content, as upstream

    def resource_descriptors(self) -> Iterator[ResourceDescriptor]:
        """Yields every resource, sorted by identifier (path, then offsets)."""
        for key, digest in sorted(self._item_to_digest.items()):
            yield ResourceDescriptor(identifier=str(key), digest=digest)

    @property
    def model_name(self) -> str:
        """The last component of the model's path; informative only."""
        return self._name

    @property
    def serialization_type(self) -> dict[str, Any]:
        """The serialization parameters recorded in (or for) the signature:
        `method`, `hash_type`, `allow_symlinks`, `ignore_paths` and, for
        shards, `shard_size`."""
        return dict(self._serialization, ignore_paths=list(self._serialization.get("ignore_paths", [])))

    def root_digest(self) -> Digest:
        """SHA-256 over the resources' digests in order: the in-toto subject
        digest a signature commits to, as `model_signing digest` prints it."""
        if self._native is not None:
            return Digest("sha256", self._native.root_digest())
        h = hashlib.sha256()
        for descriptor in self.resource_descriptors():
            h.update(descriptor.digest.digest_value)
        return Digest("sha256", h.digest())

    def __len__(self) -> int:
        return len(self._native) if self._mapping is None else len(self._mapping)

    def __repr__(self) -> str:
        return (
            f"Manifest(model_name={self._name!r}, "
            f"serialization_type={self._serialization!r}, resources={len(self)})"
        )

"""Hashing a model into a manifest (the API of the Python tool's `model_signing.hashing`).

```python
manifest = model_signing.hashing.hash("finbert")

hashing_config = model_signing.hashing.Config().set_ignored_paths(
    paths=["README.md"], ignore_git_paths=True
)
```

The hashing runs in the C++ engine with the GIL released, on `max_workers`
threads (default: one per CPU) across files and shards alike. Differences
from the Python tool, each a fix:

- `allow_symlinks=` given to `use_file_serialization` / `use_shard_serialization`
  is honoured (the Python tool overrode it with `set_allow_symlinks`'s value);
  the last of the two calls wins.
- `ignore_paths=` given to `use_*_serialization` are ignored when hashing
  (the Python tool only recorded them in the signature, which then failed to
  verify); they are model-relative, like `set_ignored_paths`.
- `hashing_algorithm` also accepts "blake2b", the name signatures record.
- `chunk_size` is validated but does not change how files are read: the
  engine picks its own read sizes and digests are the same either way.
- A single-file model's resource is named by the file's name (as our CLI
  and the OMS specification do) rather than "."; verification accepts both.
"""

from __future__ import annotations

import os
import pathlib
from collections.abc import Callable, Iterable
from typing import Literal, Optional

from model_signing import _native
from model_signing import manifest
from model_signing._paths import PathLike, fsencode, fsencode_all

__all__ = ["PathLike", "Config", "hash"]

# Called with (bytes hashed so far, total bytes) about ten times a second.
ProgressCallback = Callable[[int, int], None]

_ALGORITHMS = {"sha256": "sha256", "blake2": "blake2b", "blake2b": "blake2b", "blake3": "blake3"}
_GIT_PATHS = (".git", ".gitattributes", ".github", ".gitignore")


def hash(model_path: PathLike, *, progress: Optional[ProgressCallback] = None) -> manifest.Manifest:
    """Hashes a model (a directory or a single file) with the default
    configuration: files, SHA-256, git paths ignored, symlinks refused."""
    return Config().hash(model_path, progress=progress)


def _require_config(hashing_config) -> Config:
    """`hashing_config` if it is a Config (for set_hashing_config)."""
    if not isinstance(hashing_config, Config):
        raise TypeError(
            "hashing_config must be a model_signing.hashing.Config, not "
            f"{type(hashing_config).__name__}"
        )
    return hashing_config


def _check_int(value, name: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, not {type(value).__name__}")
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {value}")
    return value


def _engine_algorithm(hashing_algorithm: str) -> str:
    try:
        return _ALGORITHMS[hashing_algorithm]
    except (KeyError, TypeError):
        raise ValueError(f"Unsupported hashing method {hashing_algorithm}") from None


def _inside(root: bytes, path: bytes) -> Optional[bytes]:
    """`path` relative to `root` with "/" separators (both absolute and
    normalized), or None if it is not strictly inside `root`."""
    relative = os.path.relpath(path, root)
    if relative == b"." or relative == b".." or relative.startswith(b"../"):
        return None
    return relative


class Config:
    """How to hash models; shared by signing and verification.

    Defaults: one digest per file, SHA-256, the git paths (`.git`,
    `.gitattributes`, `.github`, `.gitignore`) ignored, symlinks refused.
    """

    def __init__(self):
        self._ignored_paths: frozenset[pathlib.Path] = frozenset()
        self._ignore_git_paths = True
        self._allow_symlinks = False
        self.use_file_serialization()

    # The serialization in the form the extension takes.
    def _native_config(self) -> dict:
        ignored = [os.fsencode(p) for p in self._ignored_paths]
        ignored += [os.fsencode(p) for p in self._serialization_ignore_paths]
        return {
            "serialization": self._method,
            "hash": self._algorithm,
            "shard_size": self._shard_size,
            "ignore_paths": ignored,
            "ignore_git_paths": self._ignore_git_paths,
            "allow_symlinks": self._allow_symlinks,
            "max_workers": self._max_workers or 0,
        }

    def hash(
        self,
        model_path: PathLike,
        *,
        files_to_hash: Optional[Iterable[PathLike]] = None,
        progress: Optional[ProgressCallback] = None,
    ) -> manifest.Manifest:
        """Hashes the model at `model_path` and returns its manifest.

        Args:
            model_path: The model: a directory or a single file.
            files_to_hash: Hash only these files (paths inside the model, e.g.
              `model_path / "config.json"`) instead of walking the model.
              Ignored paths still apply; directories contribute nothing; a
              path that does not exist raises ValueError.
            progress: Optional callable, called with (bytes done, bytes total)
              about ten times a second, on the calling thread, while the
              engine's threads hash. An exception it raises (also
              KeyboardInterrupt) is re-raised when hashing ends.
        """
        model = fsencode(model_path, "model_path")
        if files_to_hash is None:
            return manifest.Manifest._from_native(
                _native.hash_model(model, self._native_config(), None, progress)
            )
        names = self._select_files(model, files_to_hash)
        return manifest.Manifest._from_native(
            _native.hash_model(model, self._native_config(), names, progress)
        )

    def _select_files(self, model: bytes, files_to_hash: Iterable[PathLike]) -> list[str]:
        """Model-relative names of the files among `files_to_hash` (paths as
        given, e.g. `model_path / "a.bin"`) that are not ignored."""
        root = os.path.abspath(model)
        paths = fsencode_all(files_to_hash, "files_to_hash")
        if os.path.isfile(root):
            # A single-file model: it is either listed or there is nothing.
            if any(os.path.abspath(p) == root for p in paths):
                return [os.fsdecode(os.path.basename(root))]
            raise ValueError(
                f"Model contains no regular files after applying exclusions: {os.fsdecode(model)}"
            )
        ignored = self._ignored_relative(root)
        names = []
        for path in paths:
            full_path = os.path.abspath(path)
            if full_path == root:
                continue  # the model directory itself, like any directory
            relative = _inside(root, full_path)
            if relative is None:
                raise ValueError(
                    f"Cannot use '{os.fsdecode(path)}': it is not inside the model "
                    f"'{os.fsdecode(model)}'"
                )
            parts = relative.split(b"/")
            if any(b"/".join(parts[:i]) in ignored for i in range(1, len(parts) + 1)):
                continue
            full = os.path.join(root, relative)
            if not os.path.lexists(full):
                raise ValueError(
                    f"Cannot use '{os.fsdecode(path)}' as file or directory: it does not exist"
                )
            if os.path.isdir(full) and not os.path.islink(full):
                continue  # directories contribute nothing, as upstream
            names.append(os.fsdecode(relative))
        if not names:
            raise ValueError(
                f"Model contains no regular files after applying exclusions: {os.fsdecode(model)}"
            )
        return names

    def _ignored_relative(self, root: bytes) -> set[bytes]:
        """The ignored paths as normalized names relative to `root`."""
        ignored = set()
        for p in list(self._ignored_paths) + list(self._serialization_ignore_paths):
            relative = _inside(root, os.path.abspath(os.path.join(root, os.fsencode(p))))
            if relative is not None:
                ignored.add(relative)
        if self._ignore_git_paths:
            ignored.update(p.encode() for p in _GIT_PATHS)
        return ignored

    def _use(
        self,
        method: str,
        hashing_algorithm: str,
        chunk_size: int,
        shard_size: int,
        max_workers: Optional[int],
        allow_symlinks: bool,
        ignore_paths: Iterable[PathLike],
    ) -> Config:
        algorithm = _engine_algorithm(hashing_algorithm)
        _check_int(chunk_size, "chunk_size", 0)
        _check_int(shard_size, "shard_size", 1)
        if max_workers is not None:
            _check_int(max_workers, "max_workers", 1)
        paths = fsencode_all(ignore_paths, "ignore_paths")
        self._method = method
        self._algorithm = algorithm
        self._chunk_size = chunk_size
        self._shard_size = shard_size
        self._max_workers = max_workers
        self._allow_symlinks = bool(allow_symlinks)
        self._serialization_ignore_paths = frozenset(pathlib.Path(os.fsdecode(p)) for p in paths)
        return self

    def use_file_serialization(
        self,
        *,
        hashing_algorithm: Literal["sha256", "blake2", "blake3"] = "sha256",
        chunk_size: int = 1048576,
        max_workers: Optional[int] = None,
        allow_symlinks: bool = False,
        ignore_paths: Iterable[PathLike] = frozenset(),
    ) -> Config:
        """One digest per file.

        Args:
            hashing_algorithm: "sha256" (default), "blake2" (BLAKE2b-512) or
              "blake3".
            chunk_size: Accepted for compatibility (>= 0); the engine chooses
              its own read sizes, and digests do not depend on them.
            max_workers: Hashing threads; default one per CPU.
            allow_symlinks: Follow symlinks to files (hashed under the link's
              name) instead of refusing them.
            ignore_paths: More model-relative paths to leave out.

        Returns:
            This configuration.
        """
        return self._use(
            "files", hashing_algorithm, chunk_size, 1_000_000_000, max_workers, allow_symlinks, ignore_paths
        )

    def use_shard_serialization(
        self,
        *,
        hashing_algorithm: Literal["sha256", "blake2", "blake3"] = "sha256",
        chunk_size: int = 1048576,
        shard_size: int = 1_000_000_000,
        max_workers: Optional[int] = None,
        allow_symlinks: bool = False,
        ignore_paths: Iterable[PathLike] = frozenset(),
    ) -> Config:
        """One digest per `shard_size` bytes of every file.

        As in the Python tool, BLAKE3 does not shard (it is parallel within
        a file already): with "blake3" this is `use_file_serialization`.

        Returns:
            This configuration.
        """
        if hashing_algorithm == "blake3":
            return self.use_file_serialization(
                hashing_algorithm=hashing_algorithm,
                chunk_size=chunk_size,
                max_workers=max_workers,
                allow_symlinks=allow_symlinks,
                ignore_paths=ignore_paths,
            )
        return self._use(
            "shards", hashing_algorithm, chunk_size, shard_size, max_workers, allow_symlinks, ignore_paths
        )

    def set_ignored_paths(self, *, paths: Iterable[PathLike], ignore_git_paths: bool = True) -> Config:
        """Replaces the paths to leave out of the model.

        Paths are relative to the model directory (absolute paths count only
        if they lie inside it); a directory leaves out everything below it.

        Returns:
            This configuration.
        """
        encoded = fsencode_all(paths, "paths")
        self._ignored_paths = frozenset(pathlib.Path(os.fsdecode(p)) for p in encoded)
        self._ignore_git_paths = bool(ignore_git_paths)
        return self

    def add_ignored_paths(self, *, model_path: PathLike, paths: Iterable[PathLike]) -> None:
        """Adds paths to leave out (relative to the model at `model_path`);
        paths outside the model are dropped. Returns None, as upstream."""
        model = pathlib.Path(os.fsdecode(fsencode(model_path, "model_path")))
        added = set(self._ignored_paths)
        for p in fsencode_all(paths, "paths"):
            candidate = pathlib.Path(os.fsdecode(p))
            try:
                (model / candidate).relative_to(model)
            except ValueError:
                continue
            added.add(candidate)
        self._ignored_paths = frozenset(added)

    def set_allow_symlinks(self, allow_symlinks: bool) -> Config:
        """Whether symlinks to files are followed (hashed under the link's
        name) or refused (default).

        Returns:
            This configuration.
        """
        self._allow_symlinks = bool(allow_symlinks)
        return self

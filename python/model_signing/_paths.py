"""Path arguments: str, bytes and os.PathLike, as the Python tool accepts."""

from __future__ import annotations

import errno
import os
from collections.abc import Iterable
from typing import Union

# The Python tool's `hashing.PathLike`.
PathLike = Union[str, bytes, os.PathLike]


def fsencode(path: PathLike, what: str = "path") -> bytes:
    """The path as bytes for the extension; TypeError for non-paths."""
    try:
        return os.fsencode(path)
    except TypeError:
        raise TypeError(
            f"{what} must be str, bytes or os.PathLike, not {type(path).__name__}"
        ) from None


def fsencode_all(paths: Iterable[PathLike], what: str = "path") -> list[bytes]:
    if isinstance(paths, (str, bytes, os.PathLike)):
        # A lone path where a list is expected: iterating it would make one
        # path per character.
        raise TypeError(f"{what} must be an iterable of paths, not a single path")
    return [fsencode(p, what) for p in paths]


def require_file(path: PathLike, what: str) -> bytes:
    """The path as bytes; FileNotFoundError (as the Python tool raises from
    open()) when nothing is there."""
    encoded = fsencode(path, what)
    if not os.path.exists(encoded):
        raise FileNotFoundError(
            errno.ENOENT, f"No such file ({what})", os.fsdecode(encoded)
        )
    return encoded


def require_files(paths: Iterable[PathLike], what: str) -> list[bytes]:
    """require_file for each of a list of paths (TypeError for a lone path)."""
    return [require_file(p, what) for p in fsencode_all(paths, what)]

"""Exceptions raised by model_signing.

Every failure of the library is a `model_signing.errors.Error`, which is a
`ValueError`: code written for the Python `model_signing` tool, which raises
`ValueError` for bad keys, bad arguments and failed verifications, keeps
working with `except ValueError`. The subclasses say what went wrong without
parsing messages. Messages are one line naming the thing and the reason.

A few failures keep the built-in types the Python tool raises: a key,
certificate or signature file that does not exist raises
`FileNotFoundError`, an argument of the wrong type `TypeError`, and a
configuration that cannot work `ValueError`.
"""

from __future__ import annotations

__all__ = [
    "Error",
    "InvalidArgumentError",
    "FileAccessError",
    "ModelLayoutError",
    "UnsupportedError",
    "KeyMaterialError",
    "TokenError",
    "NetworkError",
    "VerificationError",
    "MalformedSignatureError",
    "InvalidSignatureError",
    "UntrustedSignerError",
    "ModelMismatchError",
]


class Error(ValueError):
    """Base class of every error the library reports. `kind` is the
    library's name for the kind of failure (C++ `to_string(ErrorKind)`)."""

    kind = "error"


class InvalidArgumentError(Error):
    """A configuration value or argument the library cannot use."""

    kind = "invalid argument"


class FileAccessError(Error, OSError):
    """A file of the model, a key or the signature could not be read or written.

    Also an `OSError`, so both `except ValueError` and `except OSError` catch it.
    """

    kind = "I/O error"


class ModelLayoutError(Error):
    """The model tree is unacceptable: a symlink (unless allowed), a FIFO or
    other special file, a name that is not UTF-8, or no files at all."""

    kind = "unacceptable model layout"


class UnsupportedError(Error):
    """A key type, curve, algorithm or format that is not supported."""

    kind = "unsupported"


class KeyMaterialError(Error):
    """A key or certificate could not be loaded, or they do not match."""

    kind = "key error"


class TokenError(Error):
    """A PKCS #11 module, token or login failed."""

    kind = "token error"


class NetworkError(Error):
    """A Sigstore service (Fulcio, Rekor, a timestamp authority, the OIDC
    provider) failed or could not be reached."""

    kind = "network error"


class VerificationError(Error):
    """The model does not verify against its signature.

    `extra`, `missing` and `modified` list the files that differ (relative
    to the model, sorted; shards as `path:start:end`); they are empty when
    the signature itself failed (see the subclasses).
    """

    kind = "verification failed"

    def __init__(
        self,
        message: str,
        *,
        extra: list[str] | None = None,
        missing: list[str] | None = None,
        modified: list[str] | None = None,
        modified_digests: dict[str, tuple[str, str]] | None = None,
    ):
        super().__init__(message)
        self.extra = list(extra or [])
        self.missing = list(missing or [])
        self.modified = list(modified or [])
        # name -> (expected hex digest, actual hex digest)
        self.modified_digests = dict(modified_digests or {})


class MalformedSignatureError(VerificationError):
    """The signature file is not a well-formed bundle or statement."""

    kind = "malformed bundle"


class InvalidSignatureError(VerificationError):
    """The signature does not verify with the given key or certificate."""

    kind = "invalid signature"


class UntrustedSignerError(VerificationError):
    """The signer is not the expected one: identity, issuer, certificate chain
    or transparency-log evidence failed the checks."""

    kind = "untrusted signer"


class ModelMismatchError(VerificationError):
    """The signature is valid but the model's files differ from it."""

    kind = "model mismatch"


_BY_KIND = {
    cls.kind: cls
    for cls in (
        InvalidArgumentError,
        FileAccessError,
        ModelLayoutError,
        UnsupportedError,
        KeyMaterialError,
        TokenError,
        NetworkError,
        MalformedSignatureError,
        InvalidSignatureError,
        UntrustedSignerError,
        ModelMismatchError,
    )
}


def _from_native(kind: str, message: str, **details) -> Error:
    """Builds the exception for a library error of `kind` (called by the
    extension); a kind this module does not know yet gets the base class."""
    cls = _BY_KIND.get(kind, Error)
    if issubclass(cls, VerificationError):
        return cls(message, **details)
    return cls(message)

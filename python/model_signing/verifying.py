"""Verifying models (the API of the Python tool's `model_signing.verifying`).

```python
model_signing.verifying.Config().use_elliptic_key_verifier(
    public_key="key.pub"
).verify("finbert", "finbert.sig")
```

`verify` checks the signature and the signer, then hashes the model (GIL
released) the way the signature says it was hashed and compares. Every
failure raises a `model_signing.errors.VerificationError` (a `ValueError`)
or another `ValueError` subclass from `model_signing.errors`; a model that
differs raises `ModelMismatchError`, whose one-line message and `extra`,
`missing` and `modified` attributes name the files.

Differences from the Python tool, each a fix: signatures made with BLAKE2b,
symlinks or shards verify without a hashing configuration; a `Config` can be
reused across models (nothing is cached between calls); `model_path` may be
a `str` with `set_ignore_unsigned_files(True)`; every failure is a
`ValueError` (the Python tool also raised cryptography, OpenSSL and sigstore
exception types). `verify` returns the verified manifest, and
`verify_bundle` verifies a bundle held in memory.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable
from typing import Any, Optional

from model_signing import _native
from model_signing import hashing
from model_signing import manifest
from model_signing._paths import PathLike, fsencode, require_file, require_files

__all__ = ["Config"]

_logger = logging.getLogger("model_signing")


class Config:
    """How to verify models: the verifier, and optionally the hashing
    configuration (by default, the one recorded in the signature)."""

    def __init__(self):
        self._hashing_config: Optional[hashing.Config] = None
        self._verifier = None
        self._ignore_unsigned_files = False

    def verify(
        self,
        model_path: PathLike,
        signature_path: PathLike,
        *,
        progress: Optional[hashing.ProgressCallback] = None,
    ) -> manifest.Manifest:
        """Verifies the model at `model_path` against the signature file.

        Raises:
            ValueError: no verifier is configured, or verification failed
              (a `model_signing.errors.Error`).
            FileNotFoundError: the signature file does not exist.

        Returns:
            The signed manifest (the Python tool returns None).
        """
        model = fsencode(model_path, "model_path")
        verifier = self._require_verifier()
        signature = require_file(signature_path, "signature_path")
        return self._run(verifier, model, signature, None, progress)

    def verify_bundle(
        self,
        model_path: PathLike,
        bundle: Any,
        *,
        progress: Optional[hashing.ProgressCallback] = None,
    ) -> manifest.Manifest:
        """Verifies the model against a signature held in memory: the bundle's
        JSON as `bytes`/`str`, a parsed `dict`, or an object with `to_json()`
        (such as a sigstore-python Bundle).

        Returns:
            The signed manifest.
        """
        model = fsencode(model_path, "model_path")
        verifier = self._require_verifier()
        if isinstance(bundle, (bytes, bytearray, memoryview)):
            content = bytes(bundle)
        elif isinstance(bundle, str):
            content = bundle.encode("utf-8", "surrogateescape")
        elif isinstance(bundle, dict):
            content = json.dumps(bundle).encode("utf-8")
        elif callable(getattr(bundle, "to_json", None)):
            text = bundle.to_json()
            content = text.encode("utf-8") if isinstance(text, str) else bytes(text)
        else:
            raise TypeError(
                "bundle must be bytes, str, dict or have to_json(), not "
                f"{type(bundle).__name__}"
            )
        return self._run(verifier, model, None, content, progress)

    def _require_verifier(self):
        if self._verifier is None:
            raise ValueError("Attempting to verify with no configured verifier")
        return self._verifier

    def _run(self, verifier, model, signature, content, progress) -> manifest.Manifest:
        hashing_config = None
        if self._hashing_config is not None:
            hashing_config = self._hashing_config._native_config()
        native, warnings, details = _native.verify(
            verifier,
            model,
            signature,
            content,
            hashing_config,
            self._ignore_unsigned_files,
            progress,
        )
        for line in details:
            _logger.info("%s", line)
        for line in warnings:
            _logger.warning("WARNING: %s", line)
        return manifest.Manifest._from_native(native)

    def set_hashing_config(self, hashing_config: hashing.Config) -> Config:
        """Hashes models with this configuration instead of the one the
        signature records; the signature's ignored paths still apply.

        Returns:
            This configuration.
        """
        self._hashing_config = hashing._require_config(hashing_config)
        return self

    def set_ignore_unsigned_files(self, ignore_unsigned_files: bool) -> Config:
        """Verify only the files the signature lists: files added to the
        model since are not an error (missing and modified files still are).

        Returns:
            This configuration.
        """
        self._ignore_unsigned_files = bool(ignore_unsigned_files)
        return self

    def use_sigstore_verifier(
        self,
        *,
        identity: str,
        oidc_issuer: str,
        use_staging: bool = False,
        trust_config: Optional[PathLike] = None,
    ) -> Config:
        """Verifies Sigstore (keyless) signatures, offline: the certificate
        must name `identity` (email, URI or username) issued by
        `oidc_issuer`, and chain to the instance's trusted root (production;
        staging with `use_staging`, which wins; or `trust_config`, a client
        trust configuration or trusted root file).

        Returns:
            This configuration.
        """
        for name, value in (("identity", identity), ("oidc_issuer", oidc_issuer)):
            if not isinstance(value, str):
                raise TypeError(f"{name} must be str, not {type(value).__name__}")
        trust = None
        if trust_config is not None and not use_staging:
            trust = require_file(trust_config, "trust_config")
        self._verifier = _native.sigstore_verifier(identity, oidc_issuer, bool(use_staging), trust)
        return self

    def use_elliptic_key_verifier(self, *, public_key: PathLike) -> Config:
        """Verifies signatures made with the EC private key paired with
        `public_key` (PEM).

        Returns:
            This configuration.
        """
        key = require_file(public_key, "public_key")
        self._verifier = _native.key_verifier(key)
        return self

    def use_certificate_verifier(
        self,
        *,
        certificate_chain: Iterable[PathLike] = frozenset(),
        log_fingerprints: bool = False,
        allow_expired_certificate: bool = False,
    ) -> Config:
        """Verifies certificate signatures: the bundle's certificates must
        chain to one of the certificates in `certificate_chain` (PEM files;
        empty: the system's trust store).

        Args:
            certificate_chain: Trust anchors.
            log_fingerprints: Log the SHA-256 fingerprints of the bundle's
              certificates (logger "model_signing", level INFO).
            allow_expired_certificate: Accept a signing certificate that has
              expired since (checks the chain at its notBefore time, as the
              Python tool does). Default: it must be valid now.

        Returns:
            This configuration.
        """
        chain = require_files(certificate_chain, "certificate_chain")
        self._verifier = _native.certificate_verifier(
            chain, bool(log_fingerprints), bool(allow_expired_certificate)
        )
        return self

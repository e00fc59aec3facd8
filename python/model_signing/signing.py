"""Signing models (the API of the Python tool's `model_signing.signing`).

```python
model_signing.signing.Config().use_elliptic_key_signer(
    private_key="key.priv"
).sign("finbert", "finbert.sig")
```

`sign` hashes the model (GIL released), signs the in-toto statement and
writes the Sigstore bundle atomically: on failure no new file exists and an
existing signature is left untouched. A signature file inside the model is
left out of the manifest. Unlike the Python tool, `sign` returns the
manifest it signed.
"""

from __future__ import annotations

import os
import sys
import webbrowser
from collections.abc import Iterable
from typing import Optional, Union

from model_signing import _native
from model_signing import hashing
from model_signing import manifest
from model_signing._paths import PathLike, fsencode, fsencode_all, require_file, require_files

__all__ = ["Config", "sign"]


def sign(
    model_path: PathLike,
    signature_path: PathLike,
    *,
    progress: Optional[hashing.ProgressCallback] = None,
) -> manifest.Manifest:
    """Signs a model with Sigstore (keyless, production instance) and the
    default hashing configuration; the identity comes from the browser-based
    OpenID Connect flow."""
    return Config().sign(model_path, signature_path, progress=progress)


def _password(password: Union[str, bytes, None]) -> Union[str, bytes, None]:
    if password is not None and not isinstance(password, (str, bytes)):
        raise TypeError(f"password must be str or bytes, not {type(password).__name__}")
    return password


def _uri(pkcs11_uri: str) -> str:
    if not isinstance(pkcs11_uri, str):
        raise TypeError(f"pkcs11_uri must be str, not {type(pkcs11_uri).__name__}")
    return pkcs11_uri


def _module_paths(module_paths: Iterable[PathLike]) -> Optional[list[bytes]]:
    directories = fsencode_all(module_paths, "module_paths")
    return directories or None  # none given: the distribution's directories


def _optional_str(value: Optional[str], name: str) -> Optional[str]:
    if value is not None and not isinstance(value, str):
        raise TypeError(f"{name} must be str or None, not {type(value).__name__}")
    return value


def _oauth_ui(force_oob: bool):
    """The interactive sign-in's user interface: the URL on stderr (and in a
    browser unless out-of-band), the code read from stdin."""

    def show_url(url: str) -> None:
        if force_oob:
            print(f"Go to the following link in a browser:\n\n    {url}\n", file=sys.stderr)
        else:
            print(
                "Opening your browser to sign in. If it does not open, visit:\n\n"
                f"    {url}\n",
                file=sys.stderr,
            )
            webbrowser.open(url)
        sys.stderr.flush()

    def read_code() -> Optional[str]:
        try:
            return input("Enter verification code: ")
        except EOFError:
            return None

    return show_url, read_code


class Config:
    """How to sign models: the hashing configuration and the signer.

    The signer is made when a `use_*_signer` method is called, so a missing
    key, a wrong password or an unreachable token fails there, before any
    hashing. Without one, `sign` uses Sigstore with the defaults.
    """

    def __init__(self):
        self._hashing_config = hashing.Config()
        self._signer = None

    def sign(
        self,
        model_path: PathLike,
        signature_path: PathLike,
        *,
        progress: Optional[hashing.ProgressCallback] = None,
    ) -> manifest.Manifest:
        """Signs the model at `model_path`, writing the bundle to `signature_path`.

        Args:
            model_path: The model: a directory or a single file.
            signature_path: Where to write the signature (a Sigstore bundle).
            progress: Optional callable getting (bytes done, bytes total)
              while hashing.

        Returns:
            The manifest that was signed.
        """
        model = fsencode(model_path, "model_path")
        signature = fsencode(signature_path, "signature_path")
        if self._signer is None:
            self.use_sigstore_signer()
        native = _native.sign(
            self._signer, model, signature, self._hashing_config._native_config(), progress
        )
        return manifest.Manifest._from_native(native)

    def set_hashing_config(self, hashing_config: hashing.Config) -> Config:
        """Sets how models are hashed.

        Returns:
            This configuration.
        """
        self._hashing_config = hashing._require_config(hashing_config)
        return self

    def use_sigstore_signer(
        self,
        *,
        oidc_issuer: Optional[str] = None,
        use_ambient_credentials: bool = False,
        use_staging: bool = False,
        force_oob: bool = False,
        identity_token: Optional[str] = None,
        client_id: Optional[str] = None,
        client_secret: Optional[str] = None,
        trust_config: Optional[PathLike] = None,
    ) -> Config:
        """Signs keyless with Sigstore: a short-lived Fulcio certificate for
        the identity in an OpenID Connect token, logged in Rekor.

        Args:
            oidc_issuer: The OpenID Connect provider to sign in with, instead
              of the instance's (production only: ignored with `use_staging`
              or `trust_config`).
            use_ambient_credentials: Use a token from the environment (GitHub
              Actions, Google Cloud, GitLab CI, Buildkite, CircleCI,
              SIGSTORE_ID_TOKEN) when there is one.
            use_staging: Use Sigstore's staging instance (wins over
              `trust_config`, as in the Python tool).
            force_oob: Do not open a browser: print the URL and read the code
              from stdin.
            identity_token: A token to use as is (takes precedence over
              ambient credentials and the interactive flow).
            client_id: The OAuth client id (default "sigstore").
            client_secret: The OAuth client secret, if the client needs one.
            trust_config: A client trust configuration (trusted root and
              signing config) of a private Sigstore instance; read now.

        Returns:
            This configuration.
        """
        trust = None
        if trust_config is not None and not use_staging:
            trust = require_file(trust_config, "trust_config")
        show_url, read_code = _oauth_ui(force_oob)
        self._signer = _native.sigstore_signer(
            bool(use_staging),
            trust,
            _optional_str(oidc_issuer, "oidc_issuer"),
            _optional_str(identity_token, "identity_token"),
            bool(use_ambient_credentials),
            bool(force_oob),
            _optional_str(client_id, "client_id"),
            _optional_str(client_secret, "client_secret"),
            show_url,
            read_code,
        )
        return self

    def use_elliptic_key_signer(
        self, *, private_key: PathLike, password: Optional[str] = None
    ) -> Config:
        """Signs with an EC private key (PEM; P-256, P-384 or P-521),
        optionally encrypted with `password` (str or bytes).

        Returns:
            This configuration.
        """
        key = require_file(private_key, "private_key")
        self._signer = _native.key_signer(key, _password(password))
        return self

    def use_certificate_signer(
        self,
        *,
        private_key: PathLike,
        signing_certificate: PathLike,
        certificate_chain: Iterable[PathLike],
    ) -> Config:
        """Signs with a private key and its X.509 certificate (PEM), plus the
        certificates of `certificate_chain` (files of one or more PEM
        certificates) in the bundle.

        Returns:
            This configuration.
        """
        key = require_file(private_key, "private_key")
        certificate = require_file(signing_certificate, "signing_certificate")
        chain = require_files(certificate_chain, "certificate_chain")
        self._signer = _native.certificate_signer(key, certificate, chain, None)
        return self

    def use_pkcs11_signer(
        self, *, pkcs11_uri: str, module_paths: Iterable[str] = frozenset()
    ) -> Config:
        """Signs with an EC key held in a PKCS #11 token, named by an
        RFC 7512 URI, e.g.
        "pkcs11:token=T;object=K?module-name=softhsm2&pin-source=/path/pin".

        Args:
            pkcs11_uri: The key's URI.
            module_paths: Directories where `module-name=` modules are looked
              for (default: the distribution's PKCS #11 module directories).

        Returns:
            This configuration.
        """
        self._signer = _native.pkcs11_key_signer(_uri(pkcs11_uri), _module_paths(module_paths))
        return self

    def use_pkcs11_certificate_signer(
        self,
        *,
        pkcs11_uri: str,
        signing_certificate: Optional[PathLike],
        certificate_chain: Iterable[PathLike],
        module_paths: Iterable[str] = frozenset(),
    ) -> Config:
        """As `use_pkcs11_signer`, with the key's certificate (PEM file; None
        means the certificate object stored on the token with the key) and
        chain in the bundle.

        Returns:
            This configuration.
        """
        certificate = None
        if signing_certificate is not None:
            certificate = require_file(signing_certificate, "signing_certificate")
        chain = require_files(certificate_chain, "certificate_chain")
        self._signer = _native.pkcs11_certificate_signer(
            _uri(pkcs11_uri), certificate, chain, _module_paths(module_paths)
        )
        return self

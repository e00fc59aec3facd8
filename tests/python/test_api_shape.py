"""The public API has the Python tool's shape: module contents, parameter
names, order, keyword-only markers and defaults (v1.1.x and main).

Our additions are keyword-only parameters with defaults after upstream's
(`progress`, `allow_expired_certificate`), which existing calls never pass.
"""

import inspect

import pytest

import model_signing
from model_signing import hashing, manifest, signing, verifying

P = inspect.Parameter
POS = P.POSITIONAL_OR_KEYWORD
KW = P.KEYWORD_ONLY
REQUIRED = P.empty

# (callable, [(name, kind, default)]) as upstream declares them (self omitted).
UPSTREAM = [
    (hashing.hash, [("model_path", POS, REQUIRED)]),
    (hashing.Config.hash, [("model_path", POS, REQUIRED), ("files_to_hash", KW, None)]),
    (hashing.Config.use_file_serialization, [
        ("hashing_algorithm", KW, "sha256"), ("chunk_size", KW, 1048576),
        ("max_workers", KW, None), ("allow_symlinks", KW, False), ("ignore_paths", KW, frozenset())]),
    (hashing.Config.use_shard_serialization, [
        ("hashing_algorithm", KW, "sha256"), ("chunk_size", KW, 1048576),
        ("shard_size", KW, 1_000_000_000), ("max_workers", KW, None),
        ("allow_symlinks", KW, False), ("ignore_paths", KW, frozenset())]),
    (hashing.Config.set_ignored_paths, [("paths", KW, REQUIRED), ("ignore_git_paths", KW, True)]),
    (hashing.Config.add_ignored_paths, [("model_path", KW, REQUIRED), ("paths", KW, REQUIRED)]),
    (hashing.Config.set_allow_symlinks, [("allow_symlinks", POS, REQUIRED)]),
    (signing.sign, [("model_path", POS, REQUIRED), ("signature_path", POS, REQUIRED)]),
    (signing.Config.sign, [("model_path", POS, REQUIRED), ("signature_path", POS, REQUIRED)]),
    (signing.Config.set_hashing_config, [("hashing_config", POS, REQUIRED)]),
    (signing.Config.use_sigstore_signer, [
        ("oidc_issuer", KW, None), ("use_ambient_credentials", KW, False),
        ("use_staging", KW, False), ("force_oob", KW, False), ("identity_token", KW, None),
        ("client_id", KW, None), ("client_secret", KW, None), ("trust_config", KW, None)]),
    (signing.Config.use_elliptic_key_signer, [("private_key", KW, REQUIRED), ("password", KW, None)]),
    (signing.Config.use_certificate_signer, [
        ("private_key", KW, REQUIRED), ("signing_certificate", KW, REQUIRED),
        ("certificate_chain", KW, REQUIRED)]),
    (signing.Config.use_pkcs11_signer, [("pkcs11_uri", KW, REQUIRED), ("module_paths", KW, frozenset())]),
    (signing.Config.use_pkcs11_certificate_signer, [
        ("pkcs11_uri", KW, REQUIRED), ("signing_certificate", KW, REQUIRED),
        ("certificate_chain", KW, REQUIRED), ("module_paths", KW, frozenset())]),
    (verifying.Config.verify, [("model_path", POS, REQUIRED), ("signature_path", POS, REQUIRED)]),
    (verifying.Config.set_hashing_config, [("hashing_config", POS, REQUIRED)]),
    (verifying.Config.set_ignore_unsigned_files, [("ignore_unsigned_files", POS, REQUIRED)]),
    (verifying.Config.use_sigstore_verifier, [
        ("identity", KW, REQUIRED), ("oidc_issuer", KW, REQUIRED), ("use_staging", KW, False),
        ("trust_config", KW, None)]),
    (verifying.Config.use_elliptic_key_verifier, [("public_key", KW, REQUIRED)]),
    (verifying.Config.use_certificate_verifier, [
        ("certificate_chain", KW, frozenset()), ("log_fingerprints", KW, False)]),
    (manifest.Manifest, [("model_name", POS, REQUIRED), ("items", POS, REQUIRED),
                         ("serialization_type", POS, REQUIRED)]),
    (manifest.Manifest.resource_descriptors, []),
]

ADDITIONS = {"progress", "allow_expired_certificate"}


def _name(fn):
    return getattr(fn, "__qualname__", repr(fn))


@pytest.mark.parametrize("fn,expected", UPSTREAM, ids=[_name(f) for f, _ in UPSTREAM])
def test_signature_matches_upstream(fn, expected):
    params = [p for p in inspect.signature(fn).parameters.values() if p.name != "self"]
    upstream = params[: len(expected)]
    assert [(p.name, p.kind, p.default) for p in upstream] == expected
    for extra in params[len(expected):]:
        assert extra.name in ADDITIONS, extra.name
        assert extra.kind == KW and extra.default is not REQUIRED


def test_modules_and_exports():
    assert set(model_signing.__all__) >= {"hashing", "signing", "verifying", "manifest"}
    for name in ("hashing", "signing", "verifying", "manifest", "errors"):
        assert getattr(model_signing, name).__name__ == f"model_signing.{name}"
    assert isinstance(model_signing.__version__, str)
    assert not hasattr(verifying, "verify")  # upstream has no module-level verify
    for name in ("Digest", "ResourceDescriptor", "_ResourceDescriptor", "File", "Shard",
                 "FileManifestItem", "ShardedFileManifestItem", "SerializationType"):
        assert hasattr(manifest, name), name
    assert hashing.PathLike is not None


def test_version_is_the_projects(request):
    import re
    from conftest import REPO
    text = (REPO / "CMakeLists.txt").read_text()
    assert re.search(r"project\(model_signing VERSION ([0-9.]+)", text).group(1) == model_signing.__version__


def test_every_config_method_chains_except_add_ignored_paths(tmp_path, keys):
    h = hashing.Config()
    assert h.use_file_serialization() is h
    assert h.use_shard_serialization() is h
    assert h.set_ignored_paths(paths=[]) is h
    assert h.set_allow_symlinks(False) is h
    assert h.add_ignored_paths(model_path=tmp_path, paths=["x"]) is None  # as upstream
    s = signing.Config()
    assert s.set_hashing_config(h) is s
    assert s.use_elliptic_key_signer(private_key=keys.private) is s
    v = verifying.Config()
    assert v.set_hashing_config(h) is v
    assert v.set_ignore_unsigned_files(True) is v
    assert v.use_elliptic_key_verifier(public_key=keys.public) is v
    assert v.use_certificate_verifier() is v

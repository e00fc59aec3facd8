"""Signatures the Python tool released (../shared/vectors/model-transparency)
verify through the API called the way the tool's own API is called, and fail
by file name once a signed byte changes. (The Sigstore vector is in
test_sigstore.py.)"""

import shutil

import pytest

from conftest import VECTORS
from model_signing import errors, hashing, verifying

KEYS = VECTORS / "keys" / "certificate"


def vectors():
    return sorted(p.name for p in VECTORS.iterdir()
                  if p.is_dir() and p.name.startswith("v") and "sigstore" not in p.name)


def config_and_model(name, directory):
    """The verifying config and model path for a vector (certificate vectors
    sign the directory, the key vector the single file signme-1)."""
    if "certificate" in name:
        return verifying.Config().use_certificate_verifier(certificate_chain=[KEYS / "ca-cert.pem"]), directory
    assert "elliptic-key" in name, name
    return (verifying.Config().use_elliptic_key_verifier(public_key=KEYS / "signing-key-pub.pem"),
            directory / "signme-1")


def signed_files(directory):
    return sorted(p.name for p in directory.iterdir() if p.name != "model.sig")


def test_all_vectors_are_covered():
    assert vectors() == ["v0.2.0-certificate", "v1.0.0-certificate", "v1.0.0-elliptic-key"]


@pytest.mark.parametrize("name", vectors())
def test_vector_verifies(name, caplog):
    config, model = config_and_model(name, VECTORS / name)
    manifest = config.verify(model, VECTORS / name / "model.sig")
    expected = ["signme-1"] if "elliptic-key" in name else ["signme-1", "signme-2"]
    identifiers = [rd.identifier for rd in manifest.resource_descriptors()]
    assert [i if i == "." else i.rsplit("/", 1)[-1] for i in identifiers] in (expected, ["."])
    if name.startswith("v0.2.0"):
        assert "WARNING" in caplog.text  # legacy payload accepted, with a warning


@pytest.mark.parametrize("name", vectors())
def test_vector_fails_naming_the_changed_file(name, tmp_path):
    copy = shutil.copytree(VECTORS / name, tmp_path / name)
    for file in signed_files(copy):
        original = (copy / file).read_bytes()
        changed = bytearray(original)
        changed[len(changed) // 2] ^= 1
        (copy / file).write_bytes(bytes(changed))
        config, model = config_and_model(name, copy)
        with pytest.raises(ValueError, match=file) as raised:
            config.verify(model, copy / "model.sig")
        assert isinstance(raised.value, errors.ModelMismatchError)
        assert "\n" not in str(raised.value)
        (copy / file).write_bytes(original)
    config.verify(model, copy / "model.sig")


def test_unsigned_file_fails_unless_ignored(tmp_path):
    for name in ("v0.2.0-certificate", "v1.0.0-certificate"):
        copy = shutil.copytree(VECTORS / name, tmp_path / name)
        (copy / "ignore-me").write_text("not signed")
        config, model = config_and_model(name, copy)
        with pytest.raises(errors.ModelMismatchError, match="ignore-me"):
            config.verify(model, copy / "model.sig")
        config.set_ignore_unsigned_files(True).verify(model, copy / "model.sig")
        # As upstream's scripts do it: a hashing config that ignores the file.
        config, model = config_and_model(name, copy)
        config.set_hashing_config(hashing.Config().set_ignored_paths(paths=["ignore-me"]))
        config.verify(model, copy / "model.sig")

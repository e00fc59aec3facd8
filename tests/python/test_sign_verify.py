"""model_signing.signing and model_signing.verifying with keys and
certificates: round trips, tampered models, bad arguments, and signatures
crossing between the API and the CLI."""

import json
import os
import pathlib
import shutil

import pytest

from conftest import run, write
from model_signing import errors, hashing, signing, verifying


def key_verifier(keys):
    return verifying.Config().use_elliptic_key_verifier(public_key=keys.public)


def test_key_round_trip_returns_manifests(model, keys, tmp_path):
    sig = tmp_path / "model.sig"
    signed = signing.Config().use_elliptic_key_signer(private_key=keys.private).sign(model, sig)
    assert signed == hashing.hash(model)
    verified = key_verifier(keys).verify(model, sig)
    assert verified == signed
    assert verified.serialization_type == signed.serialization_type
    bundle = json.loads(sig.read_text())
    assert bundle["mediaType"] == "application/vnd.dev.sigstore.bundle.v0.3+json"
    assert bundle["verificationMaterial"]["publicKey"]["hint"]


@pytest.mark.parametrize("curve", ["p256", "p384"])
def test_curves_and_encrypted_keys(model, keys, tmp_path, curve):
    private = keys.private if curve == "p256" else keys.p384_private
    public = keys.public if curve == "p256" else keys.p384_public
    signing.Config().use_elliptic_key_signer(private_key=private).sign(model, tmp_path / "s")
    verifying.Config().use_elliptic_key_verifier(public_key=public).verify(model, tmp_path / "s")
    for password in (keys.password, keys.password.encode()):
        signing.Config().use_elliptic_key_signer(private_key=keys.encrypted, password=password).sign(
            model, tmp_path / "e")
        key_verifier(keys).verify(model, tmp_path / "e")


def test_signature_inside_the_model_is_left_out(model, keys):
    sig = model / "model.sig"
    signed = signing.Config().use_elliptic_key_signer(private_key=keys.private).sign(model, sig)
    assert "model.sig" not in [rd.identifier for rd in signed.resource_descriptors()]
    key_verifier(keys).verify(model, sig)


@pytest.mark.parametrize("hashing_config", [
    hashing.Config(),
    hashing.Config().use_shard_serialization(shard_size=4096),
    hashing.Config().use_file_serialization(hashing_algorithm="blake2"),
    hashing.Config().use_shard_serialization(hashing_algorithm="blake2", shard_size=10000),
    hashing.Config().use_file_serialization(hashing_algorithm="blake3"),
], ids=["sha256", "shards", "blake2", "blake2-shards", "blake3"])
def test_any_serialization_verifies_without_a_hashing_config(model, keys, tmp_path, hashing_config):
    # The Python tool cannot verify its own blake2 signatures this way
    # ("Unsupported hashing method blake2b"); here they verify.
    sig = tmp_path / "model.sig"
    signing.Config().use_elliptic_key_signer(private_key=keys.private).set_hashing_config(
        hashing_config).sign(model, sig)
    key_verifier(keys).verify(model, sig)
    # And with the same hashing config given explicitly, as upstream allows.
    key_verifier(keys).set_hashing_config(hashing_config).verify(model, sig)


def test_tampered_model_raises_value_error_naming_files(model, keys, tmp_path):
    sig = tmp_path / "model.sig"
    signing.Config().use_elliptic_key_signer(private_key=keys.private).sign(model, sig)
    data = bytearray((model / "weights" / "part-0.bin").read_bytes())
    data[1234] ^= 1
    (model / "weights" / "part-0.bin").write_bytes(bytes(data))
    (model / "config.json").unlink()
    write(model / "extra.txt", "not signed")
    with pytest.raises(ValueError) as raised:
        key_verifier(keys).verify(model, sig)
    e = raised.value
    assert isinstance(e, errors.ModelMismatchError) and isinstance(e, errors.VerificationError)
    assert e.kind == "model mismatch"
    message = str(e)
    assert "\n" not in message
    for name in ("extra.txt", "config.json", "weights/part-0.bin"):
        assert name in message
    assert (e.extra, e.missing, e.modified) == (["extra.txt"], ["config.json"], ["weights/part-0.bin"])
    expected, actual = e.modified_digests["weights/part-0.bin"]
    assert expected != actual and len(expected) == 64


def test_tampered_shard_is_named_by_its_range(model, keys, tmp_path):
    sig = tmp_path / "model.sig"
    signing.Config().use_elliptic_key_signer(private_key=keys.private).set_hashing_config(
        hashing.Config().use_shard_serialization(shard_size=16384)).sign(model, sig)
    data = bytearray((model / "weights" / "part-0.bin").read_bytes())
    data[20000] ^= 1
    (model / "weights" / "part-0.bin").write_bytes(bytes(data))
    with pytest.raises(errors.ModelMismatchError) as raised:
        key_verifier(keys).verify(model, sig)
    assert raised.value.modified == ["weights/part-0.bin:16384:32768"]


def test_ignore_unsigned_files(model, keys, tmp_path):
    sig = tmp_path / "model.sig"
    signing.Config().use_elliptic_key_signer(private_key=keys.private).sign(model, sig)
    write(model / "new-file.txt", "added later")
    with pytest.raises(errors.ModelMismatchError, match="new-file.txt"):
        key_verifier(keys).verify(model, sig)
    # With a str model path too (the Python tool needed a pathlib.Path).
    key_verifier(keys).set_ignore_unsigned_files(True).verify(str(model), str(sig))
    (model / "README.md").unlink()
    with pytest.raises(errors.ModelMismatchError) as raised:
        key_verifier(keys).set_ignore_unsigned_files(True).verify(model, sig)
    assert raised.value.missing == ["README.md"]
    with pytest.raises(TypeError):
        key_verifier(keys).set_ignore_unsigned_files(ignore_unsigned_files=True, extra=1)


def test_ignored_paths_recorded_at_signing_apply_at_verification(model, keys, tmp_path):
    sig = tmp_path / "model.sig"
    config = hashing.Config().set_ignored_paths(paths=["README.md"])
    signing.Config().use_elliptic_key_signer(private_key=keys.private).set_hashing_config(config).sign(model, sig)
    write(model / "README.md", "changed: not signed, so not checked")
    key_verifier(keys).verify(model, sig)
    # An explicit hashing config still gets the signature's ignore paths.
    key_verifier(keys).set_hashing_config(hashing.Config()).verify(model, sig)
    # A hashing config that differs from the signature's fails.
    with pytest.raises(errors.ModelMismatchError):
        key_verifier(keys).set_hashing_config(
            hashing.Config().use_file_serialization(hashing_algorithm="blake2")).verify(model, sig)


def test_one_config_verifies_many_models(model, keys, tmp_path):
    # v1.1.x cached the first model's guessed config and ignore paths.
    other = shutil.copytree(model, tmp_path / "other")
    config = key_verifier(keys)
    signing.Config().use_elliptic_key_signer(private_key=keys.private).set_hashing_config(
        hashing.Config().set_ignored_paths(paths=["README.md"])).sign(model, tmp_path / "a.sig")
    signing.Config().use_elliptic_key_signer(private_key=keys.private).set_hashing_config(
        hashing.Config().use_shard_serialization(shard_size=1000)).sign(other, tmp_path / "b.sig")
    config.verify(model, tmp_path / "a.sig")
    config.verify(other, tmp_path / "b.sig")
    write(other / "README.md", "tampered")
    with pytest.raises(errors.ModelMismatchError, match="README.md"):
        config.verify(other, tmp_path / "b.sig")


def test_verify_bundle_in_memory(model, keys, tmp_path):
    sig = tmp_path / "model.sig"
    signed = signing.Config().use_elliptic_key_signer(private_key=keys.private).sign(model, sig)
    text = sig.read_text()
    config = key_verifier(keys)
    for bundle in (text, text.encode(), bytearray(text.encode()), json.loads(text)):
        assert config.verify_bundle(model, bundle) == signed

    class SigstoreStyleBundle:
        def to_json(self):
            return text

    assert config.verify_bundle(model, SigstoreStyleBundle()) == signed
    with pytest.raises(errors.MalformedSignatureError):
        config.verify_bundle(model, b"{not json")
    with pytest.raises(TypeError):
        config.verify_bundle(model, 42)
    broken = json.loads(text)
    broken["dsseEnvelope"]["signatures"][0]["sig"] = "AAAA"
    with pytest.raises(errors.InvalidSignatureError):
        config.verify_bundle(model, broken)


def test_wrong_key_and_wrong_method(model, keys, pki, tmp_path):
    sig = tmp_path / "model.sig"
    signing.Config().use_elliptic_key_signer(private_key=keys.private).sign(model, sig)
    with pytest.raises(errors.InvalidSignatureError, match="does not match"):
        verifying.Config().use_elliptic_key_verifier(public_key=keys.other_public).verify(model, sig)
    with pytest.raises(errors.MalformedSignatureError, match="public key"):
        verifying.Config().use_certificate_verifier(certificate_chain=[pki.root]).verify(model, sig)
    with pytest.raises(ValueError, match="no configured verifier"):
        verifying.Config().verify(model, sig)


@pytest.mark.parametrize("key_name,error", [
    ("p192", errors.UnsupportedError), ("rsa", errors.UnsupportedError),
    ("ed25519", errors.UnsupportedError), ("not_a_key", errors.KeyMaterialError),
    ("public", errors.KeyMaterialError)])
def test_unusable_private_keys_raise_value_error(keys, key_name, error):
    with pytest.raises(ValueError) as raised:
        signing.Config().use_elliptic_key_signer(private_key=getattr(keys, key_name))
    assert isinstance(raised.value, error)
    assert "\n" not in str(raised.value)


def test_bad_signing_arguments(keys, model, tmp_path):
    with pytest.raises(FileNotFoundError):
        signing.Config().use_elliptic_key_signer(private_key=tmp_path / "missing.priv")
    with pytest.raises(errors.KeyMaterialError, match="password"):
        signing.Config().use_elliptic_key_signer(private_key=keys.encrypted)
    with pytest.raises(errors.KeyMaterialError, match="wrong password"):
        signing.Config().use_elliptic_key_signer(private_key=keys.encrypted, password="nope")
    with pytest.raises(TypeError):
        signing.Config().use_elliptic_key_signer(keys.private)  # keyword-only
    with pytest.raises(TypeError):
        signing.Config().use_elliptic_key_signer(private_key=keys.private, password=1234)
    with pytest.raises(TypeError):
        signing.Config().set_hashing_config("sha256")
    with pytest.raises(FileNotFoundError):
        verifying.Config().use_elliptic_key_verifier(public_key=tmp_path / "missing.pub")
    with pytest.raises(errors.KeyMaterialError):
        verifying.Config().use_elliptic_key_verifier(public_key=keys.private)
    with pytest.raises(FileNotFoundError):
        key_verifier(keys).verify(model, tmp_path / "missing.sig")
    # Signing over a single-file model's own file is refused, not destructive.
    with pytest.raises(errors.InvalidArgumentError, match="overwrite the model"):
        signing.Config().use_elliptic_key_signer(private_key=keys.private).sign(
            model / "config.json", model / "config.json")
    assert (model / "config.json").read_text().startswith("{")


def test_failed_signing_leaves_no_signature(keys, tmp_path):
    sig = tmp_path / "model.sig"
    (tmp_path / "empty").mkdir()
    with pytest.raises(ValueError):
        signing.Config().use_elliptic_key_signer(private_key=keys.private).sign(tmp_path / "empty", sig)
    assert not sig.exists()


def test_certificate_round_trip_with_chain(model, pki, tmp_path):
    sig = tmp_path / "model.sig"
    signed = signing.Config().use_certificate_signer(
        private_key=pki.leaf_key, signing_certificate=pki.leaf,
        certificate_chain=[pki.intermediate]).sign(model, sig)
    chain = json.loads(sig.read_text())["verificationMaterial"]["x509CertificateChain"]["certificates"]
    assert len(chain) == 2
    assert verifying.Config().use_certificate_verifier(certificate_chain=[pki.root]).verify(model, sig) == signed
    verifying.Config().use_certificate_verifier(
        certificate_chain=[str(pki.root)], allow_expired_certificate=True).verify(model, sig)
    with pytest.raises(errors.UntrustedSignerError):
        verifying.Config().use_certificate_verifier(certificate_chain=[pki.stranger_ca]).verify(model, sig)
    with pytest.raises(errors.UntrustedSignerError):
        verifying.Config().use_certificate_verifier().verify(model, sig)  # system store


def test_certificate_fingerprints_are_logged(model, pki, tmp_path, caplog):
    sig = tmp_path / "model.sig"
    signing.Config().use_certificate_signer(
        private_key=pki.leaf_key, signing_certificate=pki.leaf,
        certificate_chain=[pki.intermediate]).sign(model, sig)
    with caplog.at_level("INFO", logger="model_signing"):
        verifying.Config().use_certificate_verifier(
            certificate_chain=[pki.root], log_fingerprints=True).verify(model, sig)
    fingerprint = run("openssl", "x509", "-in", pki.leaf, "-noout", "-fingerprint", "-sha256").stdout
    assert fingerprint.strip().split("=", 1)[1].replace(":", "").lower() in caplog.text
    caplog.clear()
    with caplog.at_level("INFO", logger="model_signing"):
        verifying.Config().use_certificate_verifier(certificate_chain=[pki.root]).verify(model, sig)
    assert "fingerprint" not in caplog.text


def test_bad_certificate_arguments(pki, keys, tmp_path):
    with pytest.raises(errors.KeyMaterialError, match="does not match"):
        signing.Config().use_certificate_signer(
            private_key=pki.other_key, signing_certificate=pki.leaf, certificate_chain=[])
    with pytest.raises(FileNotFoundError):
        signing.Config().use_certificate_signer(
            private_key=pki.leaf_key, signing_certificate=tmp_path / "nope.pem", certificate_chain=[])
    with pytest.raises(TypeError):
        signing.Config().use_certificate_signer(private_key=pki.leaf_key, signing_certificate=pki.leaf)
    with pytest.raises(TypeError):  # a single path where a list of paths is wanted
        signing.Config().use_certificate_signer(
            private_key=pki.leaf_key, signing_certificate=pki.leaf, certificate_chain=str(pki.root))
    with pytest.raises(ValueError):
        signing.Config().use_certificate_signer(
            private_key=pki.leaf_key, signing_certificate=keys.public, certificate_chain=[])
    with pytest.raises(FileNotFoundError):
        verifying.Config().use_certificate_verifier(certificate_chain=[tmp_path / "nope.pem"])


def test_api_signatures_verify_with_the_cli_and_back(model, keys, pki, cli, tmp_path):
    api_sig = tmp_path / "api.sig"
    signing.Config().use_elliptic_key_signer(private_key=keys.private).set_hashing_config(
        hashing.Config().use_shard_serialization(shard_size=8192)).sign(model, api_sig)
    r = run(cli, "verify", "key", model, "--signature", api_sig, "--public-key", keys.public)
    assert r.stdout == "Verification succeeded\n"

    cli_sig = tmp_path / "cli.sig"
    run(cli, "sign", "key", model, "--private-key", keys.private, "--signature", cli_sig,
        "--hash", "blake2b")
    key_verifier(keys).verify(model, cli_sig)

    cert_sig = tmp_path / "cert.sig"
    run(cli, "sign", "certificate", model, "--private-key", pki.leaf_key, "--signing-certificate",
        pki.leaf, "--certificate-chain", pki.intermediate, "--signature", cert_sig)
    verifying.Config().use_certificate_verifier(certificate_chain=[pki.root]).verify(model, cert_sig)

    # Same statement either way: the signed manifests are identical.
    api_again = tmp_path / "api2.sig"
    signing.Config().use_elliptic_key_signer(private_key=keys.private).sign(model, api_again)
    run(cli, "sign", "key", model, "--private-key", keys.private, "--signature", cli_sig)
    payloads = [json.loads(p.read_text())["dsseEnvelope"]["payload"] for p in (api_again, cli_sig)]
    assert payloads[0] == payloads[1]

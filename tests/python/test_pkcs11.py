"""PKCS #11 signing against SoftHSM2 tokens (see conftest.softhsm)."""

import pytest

from conftest import SOFTHSM_MODULE, run
from model_signing import errors, signing, verifying


def test_pkcs11_key_round_trip(model, softhsm, tmp_path):
    sig = tmp_path / "model.sig"
    signed = signing.Config().use_pkcs11_signer(pkcs11_uri=softhsm.uri("p256")).sign(model, sig)
    verified = verifying.Config().use_elliptic_key_verifier(public_key=softhsm.p256_pub).verify(model, sig)
    assert verified == signed
    with pytest.raises(errors.InvalidSignatureError):
        verifying.Config().use_elliptic_key_verifier(public_key=softhsm.p384_pub).verify(model, sig)


def test_module_name_found_in_module_paths_and_pin_from_a_file(model, softhsm, tmp_path):
    sig = tmp_path / "model.sig"
    uri = softhsm.uri("p384", f"module-name=softhsm2&pin-source={softhsm.pin_file}")
    signing.Config().use_pkcs11_signer(pkcs11_uri=uri, module_paths=["/usr/lib/softhsm"]).sign(model, sig)
    verifying.Config().use_elliptic_key_verifier(public_key=softhsm.p384_pub).verify(model, sig)
    with pytest.raises(errors.TokenError, match="softhsm2"):
        signing.Config().use_pkcs11_signer(pkcs11_uri=uri, module_paths=[str(tmp_path)])


def test_pkcs11_certificate_round_trips(model, softhsm, pki, tmp_path):
    sig = tmp_path / "model.sig"
    signing.Config().use_pkcs11_certificate_signer(
        pkcs11_uri=softhsm.uri("p256"), signing_certificate=softhsm.p256_cert,
        certificate_chain=[pki.intermediate]).sign(model, sig)
    verifying.Config().use_certificate_verifier(certificate_chain=[pki.root]).verify(model, sig)
    # None: the certificate stored on the token with the key.
    signing.Config().use_pkcs11_certificate_signer(
        pkcs11_uri=softhsm.uri("p384"), signing_certificate=None,
        certificate_chain=[str(pki.intermediate)]).sign(model, sig)
    verifying.Config().use_certificate_verifier(certificate_chain=[pki.root]).verify(model, sig)
    with pytest.raises(errors.KeyMaterialError):
        signing.Config().use_pkcs11_certificate_signer(
            pkcs11_uri=softhsm.uri("p256"), signing_certificate=softhsm.p384_cert,
            certificate_chain=[])


def test_pkcs11_errors(softhsm):
    with pytest.raises(errors.InvalidArgumentError, match="pkcs11"):
        signing.Config().use_pkcs11_signer(pkcs11_uri="token=model-signing")
    with pytest.raises(errors.TokenError):
        signing.Config().use_pkcs11_signer(
            pkcs11_uri=softhsm.uri("p256", f"module-path={SOFTHSM_MODULE}&pin-value=0000"))
    with pytest.raises(errors.KeyMaterialError):
        signing.Config().use_pkcs11_signer(pkcs11_uri=softhsm.uri("no-such-key"))
    with pytest.raises(TypeError):
        signing.Config().use_pkcs11_signer(pkcs11_uri=b"pkcs11:token=x")
    with pytest.raises(TypeError):
        signing.Config().use_pkcs11_signer(softhsm.uri("p256"))  # keyword-only


def test_pkcs11_signatures_cross_with_the_cli(model, softhsm, cli, tmp_path):
    sig = tmp_path / "cli.sig"
    run(cli, "sign", "pkcs11-key", model, "--pkcs11-uri", softhsm.uri("p256"), "--signature", sig,
        env=softhsm.env)
    verifying.Config().use_elliptic_key_verifier(public_key=softhsm.p256_pub).verify(model, sig)
    api = tmp_path / "api.sig"
    signing.Config().use_pkcs11_signer(pkcs11_uri=softhsm.uri("p256")).sign(model, api)
    run(cli, "verify", "key", model, "--signature", api, "--public-key", softhsm.p256_pub)

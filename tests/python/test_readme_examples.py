"""The Python tool's README and docstring examples, run as written (in a
directory holding the files they name), give what our CLI gives."""

import json
import shutil

import pytest

import model_signing
from conftest import VECTORS, ec_key, make_model, run


@pytest.fixture
def workdir(tmp_path, monkeypatch, cli):
    monkeypatch.chdir(tmp_path)
    make_model(tmp_path / "finbert")
    make_model(tmp_path / "bert-base-uncased")
    ec_key(tmp_path, "key")  # key.priv, key.pub
    shutil.copy(tmp_path / "key.priv", tmp_path / "key")
    return tmp_path


def payload(signature) -> dict:
    import base64
    bundle = json.loads(open(signature).read())
    return json.loads(base64.b64decode(bundle["dsseEnvelope"]["payload"]))


def test_readme_key_signing_and_verifying(workdir, cli):
    # README, "Model Signing API":
    model_signing.signing.Config().use_elliptic_key_signer(
        private_key="key.priv"
    ).sign(
        "finbert", "finbert.sig"
    )
    # The README's multi-model verification example calls
    # `model_signing.signing.Config().use_elliptic_key_verifier`, which does
    # not exist (in the Python tool either); it is `verifying.Config`:
    model_signing.verifying.Config().use_elliptic_key_verifier(
        public_key="key.pub"
    ).verify("finbert", "finbert.sig")

    # Same statement as the CLI's, and the signatures cross-verify.
    run(cli, "sign", "key", "finbert", "--private_key", "key.priv", "--signature", "cli.sig")
    assert payload("finbert.sig") == payload("cli.sig")
    run(cli, "verify", "key", "finbert", "--signature", "finbert.sig", "--public_key", "key.pub")
    model_signing.verifying.Config().use_elliptic_key_verifier(public_key="key.pub").verify(
        "finbert", "cli.sig")


def test_readme_same_config_for_many_models(workdir):
    all_models = ["finbert", "bert-base-uncased"]
    signing_config = model_signing.signing.Config().use_elliptic_key_signer(
        private_key="key.priv"
    )
    for model in all_models:
        signing_config.sign(model, f"{model}_sharded.sig")

    verifying_config = model_signing.verifying.Config().use_elliptic_key_verifier(
        public_key="key.pub"
    )
    for model in all_models:
        verifying_config.verify(model, f"{model}_sharded.sig")


def test_readme_sigstore_verification(tmp_path, monkeypatch):
    # The README's Sigstore example, on the Python tool's released vector.
    shutil.copytree(VECTORS / "v1.0.0-sigstore", tmp_path / "finbert")
    shutil.move(tmp_path / "finbert" / "model.sig", tmp_path / "finbert.sig")
    monkeypatch.chdir(tmp_path)
    identity, oidc_provider = "stefanb@us.ibm.com", "https://sigstore.verify.ibm.com/oauth2"
    model_signing.verifying.Config().use_sigstore_verifier(
        identity=identity, oidc_issuer=oidc_provider
    ).verify("finbert", "finbert.sig")


def test_hashing_docstring_examples(workdir, cli):
    model_path = "finbert"
    manifest = model_signing.hashing.hash(model_path)
    assert run(cli, "digest", model_path).stdout.strip() == "sha256:" + manifest.root_digest().digest_hex

    hashing_config = model_signing.hashing.Config().set_ignored_paths(
        paths=["README.md"], ignore_git_paths=True
    )
    signing_config = (
        model_signing.signing.Config()
        .use_elliptic_key_signer(private_key="key")
        .set_hashing_config(hashing_config)
    )
    verifying_config = (
        model_signing.verifying.Config()
        .use_elliptic_key_verifier(public_key="key.pub")
        .set_hashing_config(hashing_config)
    )
    signing_config.sign("finbert", "finbert.sig")
    verifying_config.verify("finbert", "finbert.sig")
    assert "README.md" not in [rd.identifier for rd in verifying_config.verify("finbert", "finbert.sig").resource_descriptors()]

    sharded = model_signing.hashing.Config().use_shard_serialization().hash(model_path)
    assert run(cli, "digest", model_path, "--serialization", "shards").stdout.strip() == (
        "sha256:" + sharded.root_digest().digest_hex)


def test_signing_docstring_examples(workdir):
    model_signing.signing.Config().use_elliptic_key_signer(private_key="key").sign(
        "finbert", "finbert.sig"
    )
    model_signing.verifying.Config().use_elliptic_key_verifier(public_key="key.pub").verify(
        "finbert", "finbert.sig")

"""Sigstore keyless signing and verification against the local stack
(tests/sigstore_stack: Fulcio, Rekor, a TSA and an OIDC provider on
127.0.0.1), and offline verification of the Python tool's Sigstore vector."""

import json
import re
import threading
import time
import urllib.request

import pytest

from conftest import VECTORS, BackgroundCounter, run
from model_signing import errors, signing, verifying

WORKFLOW = "https://github.com/acme/model/.github/workflows/release.yml@refs/tags/v1"
AMBIENT = ["GITHUB_ACTIONS", "ACTIONS_ID_TOKEN_REQUEST_URL", "ACTIONS_ID_TOKEN_REQUEST_TOKEN",
           "GOOGLE_SERVICE_ACCOUNT_NAME", "GCE_METADATA_HOST", "BUILDKITE", "GITLAB_CI",
           "CIRCLECI", "SIGSTORE_ID_TOKEN"]


@pytest.fixture(autouse=True)
def no_ambient_credentials(monkeypatch):
    for name in AMBIENT:
        monkeypatch.delenv(name, raising=False)


def verifier(stack, identity):
    return verifying.Config().use_sigstore_verifier(
        identity=identity, oidc_issuer=stack.issuer, trust_config=stack.trust_config)


def post_faults(stack, faults):
    request = urllib.request.Request(
        f"{stack.url('oidc')}/__faults", data=json.dumps(faults).encode(),
        headers={"Content-Type": "application/json"}, method="POST")
    urllib.request.build_opener(urllib.request.ProxyHandler({})).open(request, timeout=10).read()


def test_keyless_round_trip_with_an_identity_token(model, sigstore_stack, tmp_path, cli):
    sig = tmp_path / "model.sig"
    token = sigstore_stack.token(sub=WORKFLOW)
    signed = signing.Config().use_sigstore_signer(
        identity_token=token, trust_config=sigstore_stack.trust_config).sign(model, sig)
    bundle = json.loads(sig.read_text())
    assert "certificate" in bundle["verificationMaterial"]
    assert len(bundle["verificationMaterial"]["tlogEntries"]) == 1
    assert verifier(sigstore_stack, WORKFLOW).verify(model, sig) == signed
    with pytest.raises(errors.UntrustedSignerError, match="mallory"):
        verifier(sigstore_stack, "mallory@example.com").verify(model, sig)
    with pytest.raises(errors.UntrustedSignerError):
        verifying.Config().use_sigstore_verifier(
            identity=WORKFLOW, oidc_issuer="https://accounts.example.com",
            trust_config=sigstore_stack.trust_config).verify(model, sig)
    # The public-good roots do not trust the local stack; staging wins over
    # a trust config, as in the Python tool.
    for config in (
        verifying.Config().use_sigstore_verifier(identity=WORKFLOW, oidc_issuer=sigstore_stack.issuer),
        verifying.Config().use_sigstore_verifier(identity=WORKFLOW, oidc_issuer=sigstore_stack.issuer,
                                                 use_staging=True, trust_config=sigstore_stack.trust_config),
    ):
        with pytest.raises(errors.VerificationError):
            config.verify(model, sig)
    # The CLI verifies the API's signature.
    r = run(cli, "verify", "sigstore", model, "--signature", sig, "--identity", WORKFLOW,
            "--identity-provider", sigstore_stack.issuer, "--trust-config", sigstore_stack.trust_config)
    assert r.stdout == "Verification succeeded\n"


def test_tampered_model_fails_sigstore_verification(model, sigstore_stack, tmp_path):
    sig = tmp_path / "model.sig"
    signing.Config().use_sigstore_signer(
        identity_token=sigstore_stack.token(email="alice@example.com", sub="alice"),
        trust_config=str(sigstore_stack.trust_config)).sign(model, sig)
    verifier(sigstore_stack, "alice@example.com").verify(model, sig)
    (model / "tokenizer.json").write_text("{}")
    with pytest.raises(errors.ModelMismatchError, match="tokenizer.json"):
        verifier(sigstore_stack, "alice@example.com").verify(model, sig)


def test_cli_keyless_signature_verifies_through_the_api(model, sigstore_stack, tmp_path, cli):
    sig = tmp_path / "cli.sig"
    run(cli, "sign", "sigstore", model, "--signature", sig, "--trust-config",
        sigstore_stack.trust_config, "--identity-token", sigstore_stack.token(sub=WORKFLOW))
    verifier(sigstore_stack, WORKFLOW).verify(model, sig)


def test_ambient_credentials(model, sigstore_stack, tmp_path, monkeypatch):
    monkeypatch.setenv("SIGSTORE_ID_TOKEN", sigstore_stack.token(email="ci@example.com", sub="ci"))
    sig = tmp_path / "model.sig"
    signing.Config().use_sigstore_signer(
        use_ambient_credentials=True, trust_config=sigstore_stack.trust_config).sign(model, sig)
    verifier(sigstore_stack, "ci@example.com").verify(model, sig)
    # An explicit token takes precedence over the ambient one.
    signing.Config().use_sigstore_signer(
        use_ambient_credentials=True, identity_token=sigstore_stack.token(sub=WORKFLOW),
        trust_config=sigstore_stack.trust_config).sign(model, sig)
    verifier(sigstore_stack, WORKFLOW).verify(model, sig)


def _fetch_code(url: str) -> str:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    page = opener.open(url, timeout=10).read().decode()
    return re.search(r'<code id="code">([0-9a-f]+)</code>', page).group(1)


def test_out_of_band_flow_prints_the_url_and_reads_the_code(model, sigstore_stack, tmp_path,
                                                            monkeypatch, capsys):
    prompts = []

    def user(prompt=""):
        # What the user does: open the printed URL, paste the code.
        prompts.append(prompt)
        err = capsys.readouterr().err
        url = re.search(r"(http://\S+/auth\?\S+)", err).group(1)
        assert "redirect_uri=urn%3Aietf%3Awg%3Aoauth%3A2.0%3Aoob" in url
        return _fetch_code(url)

    monkeypatch.setattr("builtins.input", user)
    monkeypatch.setattr("webbrowser.open", lambda url: pytest.fail("force_oob opened a browser"))
    sig = tmp_path / "model.sig"
    signing.Config().use_sigstore_signer(
        force_oob=True, trust_config=sigstore_stack.trust_config, client_id="sigstore",
        client_secret="").sign(model, sig)
    assert prompts == ["Enter verification code: "]
    verifier(sigstore_stack, sigstore_stack.info["interactiveIdentity"]).verify(model, sig)


def test_client_id_and_secret_reach_the_oidc_provider(model, sigstore_stack, tmp_path,
                                                      monkeypatch, capsys):
    urls = []

    def user(prompt=""):
        urls.append(re.search(r"(http://\S+/auth\?\S+)", capsys.readouterr().err).group(1))
        return _fetch_code(urls[-1])

    monkeypatch.setattr("builtins.input", user)
    # The token is then for "other-client", and Fulcio only takes tokens
    # for "sigstore": signing fails there, after the sign-in.
    with pytest.raises(ValueError, match="(?i)audience|aud"):
        signing.Config().use_sigstore_signer(
            force_oob=True, client_id="other-client", client_secret="s3cret",
            trust_config=sigstore_stack.trust_config).sign(model, tmp_path / "s")
    assert "client_id=other-client" in urls[0]
    token_requests = [r for r in sigstore_stack.requests()
                      if r["service"] == "oidc" and r["path"] == "/token"]
    assert token_requests[-1]["authorization"] == "present"  # the secret, as HTTP Basic


def test_staging_wins_over_a_trust_config(tmp_path):
    # As in the Python tool: with use_staging the trust config is not read
    # (here it does not even exist), for signing and verifying alike.
    signing.Config().use_sigstore_signer(use_staging=True, trust_config=tmp_path / "missing.json")
    verifying.Config().use_sigstore_verifier(identity="a@example.com", oidc_issuer="https://x",
                                             use_staging=True, trust_config=tmp_path / "missing.json")


def test_browser_flow_opens_the_url(model, sigstore_stack, tmp_path, monkeypatch):
    opened = []

    def browser(url):
        # The browser follows the sign-in redirects back to the loopback
        # listener, which answers only once sign() waits for it.
        opened.append(url)
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        threading.Thread(target=lambda: opener.open(url, timeout=30).read(), daemon=True).start()
        return True

    monkeypatch.setattr("webbrowser.open", browser)
    sig = tmp_path / "model.sig"
    signing.Config().use_sigstore_signer(trust_config=sigstore_stack.trust_config).sign(model, sig)
    assert len(opened) == 1 and opened[0].startswith(sigstore_stack.url("oidc") + "/auth?")
    verifier(sigstore_stack, sigstore_stack.info["interactiveIdentity"]).verify(model, sig)


def test_oidc_issuer_replaces_the_production_provider(model, tmp_path, monkeypatch, capsys,
                                                      sigstore_stack):
    # Only the sign-in is observable offline: the URL shown is the given
    # issuer's. No code is entered, so signing stops there.
    shown = []

    def no_code(prompt=""):
        shown.append(capsys.readouterr().err)
        raise EOFError

    monkeypatch.setattr("builtins.input", no_code)
    with pytest.raises(ValueError, match="authorization code"):
        signing.Config().use_sigstore_signer(
            oidc_issuer=sigstore_stack.url("oidc"), force_oob=True).sign(model, tmp_path / "s")
    assert f"{sigstore_stack.url('oidc')}/auth?" in shown[0]
    assert not (tmp_path / "s").exists()


def test_exception_in_the_sign_in_ui_propagates(model, sigstore_stack, tmp_path, monkeypatch):
    class UserCancelled(Exception):
        pass

    def cancel(prompt=""):
        raise UserCancelled()

    monkeypatch.setattr("builtins.input", cancel)
    with pytest.raises(UserCancelled):
        signing.Config().use_sigstore_signer(
            force_oob=True, trust_config=sigstore_stack.trust_config).sign(model, tmp_path / "s")


def test_gil_is_released_while_waiting_on_the_network(model, sigstore_stack, tmp_path):
    post_faults(sigstore_stack, {"fulcio": {"delayMs": 1500}})
    try:
        with BackgroundCounter() as counter:
            time.sleep(0.05)
            before = counter.value
            start = time.monotonic()
            signing.Config().use_sigstore_signer(
                identity_token=sigstore_stack.token(sub=WORKFLOW),
                trust_config=sigstore_stack.trust_config).sign(model, tmp_path / "s")
            elapsed = time.monotonic() - start
            during = counter.value - before
    finally:
        post_faults(sigstore_stack, {})
    assert elapsed >= 1.5
    # Thousands of increments per millisecond when the thread can run; with
    # the GIL held through the request it would barely move.
    assert during > 100_000, during


def test_failing_service_raises_network_error(model, sigstore_stack, tmp_path):
    post_faults(sigstore_stack, {"fulcio": {"status": 503}})
    try:
        with pytest.raises(errors.NetworkError, match="503") as raised:
            signing.Config().use_sigstore_signer(
                identity_token=sigstore_stack.token(sub=WORKFLOW),
                trust_config=sigstore_stack.trust_config).sign(model, tmp_path / "s")
    finally:
        post_faults(sigstore_stack, {})
    assert isinstance(raised.value, ValueError) and raised.value.kind == "network error"
    assert not (tmp_path / "s").exists()


def test_sigstore_argument_errors(tmp_path, model):
    with pytest.raises(FileNotFoundError):
        signing.Config().use_sigstore_signer(trust_config=tmp_path / "missing.json")
    (tmp_path / "bad.json").write_text("{}")
    with pytest.raises(errors.InvalidArgumentError, match="trust config"):
        signing.Config().use_sigstore_signer(trust_config=tmp_path / "bad.json")
    with pytest.raises(errors.InvalidArgumentError, match="trust config"):
        verifying.Config().use_sigstore_verifier(identity="a", oidc_issuer="b",
                                                 trust_config=tmp_path / "bad.json")
    with pytest.raises(TypeError):
        verifying.Config().use_sigstore_verifier(identity="a")
    with pytest.raises(TypeError):
        signing.Config().use_sigstore_signer(identity_token=b"bytes")
    # The default signer is made lazily at sign() (the Python tool 1.1.0
    # crashed here); a missing model fails before any network use.
    with pytest.raises(errors.FileAccessError):
        signing.sign(tmp_path / "no-model", tmp_path / "s")
    with pytest.raises(errors.FileAccessError):
        signing.Config().sign(tmp_path / "no-model", tmp_path / "s")


def test_python_tool_sigstore_vector_verifies_offline(tmp_path):
    vector = VECTORS / "v1.0.0-sigstore"
    config = verifying.Config().use_sigstore_verifier(
        identity="stefanb@us.ibm.com", oidc_issuer="https://sigstore.verify.ibm.com/oauth2")
    config.verify(vector, vector / "model.sig")
    with pytest.raises(errors.UntrustedSignerError):
        verifying.Config().use_sigstore_verifier(
            identity="someone@us.ibm.com", oidc_issuer="https://sigstore.verify.ibm.com/oauth2"
        ).verify(vector, vector / "model.sig")

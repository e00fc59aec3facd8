"""Fixtures for the Python package's tests: models, keys and a small PKI made
with the openssl command, SoftHSM2 tokens, the local Sigstore stack.

The package under test is whatever `import model_signing` finds: the venv
scripts/test.sh installs it into, or the staged build tree
(PYTHONPATH=build/python/stage) while developing.
"""

from __future__ import annotations

import json
import os
import pathlib
import select
import shutil
import subprocess
import sys
import threading
import time
import types
import urllib.parse
import urllib.request

import pytest

import model_signing
import model_signing._cli

REPO = pathlib.Path(__file__).resolve().parents[2]
SHARED = pathlib.Path(os.environ.get("MS_SHARED_DIR", REPO.parent / "shared"))
VECTORS = SHARED / "vectors" / "model-transparency"


def pytest_report_header(config):
    return f"model_signing under test: {os.path.dirname(model_signing.__file__)}"


def run(*args, env=None, cwd=None, check=True, input=None) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [str(a) for a in args], capture_output=True, text=True, env=env, cwd=cwd, input=input
    )
    if check and result.returncode != 0:
        raise RuntimeError(f"{args[0]} failed ({result.returncode}): {result.stdout}{result.stderr}")
    return result


def write(path: pathlib.Path, content) -> pathlib.Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = content.encode()
    path.write_bytes(content)
    return path


def make_model(root: pathlib.Path) -> pathlib.Path:
    """A small model: configs, a tokenizer, weights in a subdirectory."""
    write(root / "config.json", '{"architectures": ["Test"], "hidden_size": 8}\n')
    write(root / "tokenizer.json", '{"vocab": {"a": 0, "b": 1}}\n')
    write(root / "weights" / "part-0.bin", os.urandom(70_000))
    write(root / "weights" / "part-1.bin", os.urandom(5_000))
    write(root / "README.md", "# test model\n")
    return root


@pytest.fixture
def model(tmp_path) -> pathlib.Path:
    return make_model(tmp_path / "model")


@pytest.fixture
def cli() -> str:
    """The CLI binary shipped in the package under test."""
    return model_signing._cli.binary_path()


def openssl(*args, cwd=None):
    return run("openssl", *args, cwd=cwd)


def ec_key(directory: pathlib.Path, name: str, curve: str = "prime256v1"):
    private = directory / f"{name}.priv"
    public = directory / f"{name}.pub"
    openssl("ecparam", "-name", curve, "-genkey", "-noout", "-out", private)
    openssl("ec", "-in", private, "-pubout", "-out", public)
    return private, public


@pytest.fixture(scope="session")
def keys(tmp_path_factory):
    d = tmp_path_factory.mktemp("keys")
    k = types.SimpleNamespace()
    k.private, k.public = ec_key(d, "p256")
    k.p384_private, k.p384_public = ec_key(d, "p384", "secp384r1")
    k.other_private, k.other_public = ec_key(d, "other")
    k.encrypted = d / "encrypted.priv"
    openssl("ec", "-in", k.private, "-aes256", "-passout", "pass:s3cret", "-out", k.encrypted)
    k.password = "s3cret"
    k.p192 = d / "p192.priv"
    openssl("ecparam", "-name", "prime192v1", "-genkey", "-noout", "-out", k.p192)
    k.rsa = d / "rsa.priv"
    openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", k.rsa)
    k.ed25519 = d / "ed25519.priv"
    openssl("genpkey", "-algorithm", "ED25519", "-out", k.ed25519)
    k.not_a_key = write(d / "garbage.pem", "not a key\n")
    return k


_EXTENSIONS = """
[ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[leaf]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = codeSigning
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
"""


def issue(d: pathlib.Path, name: str, issuer_key, issuer_cert, public_key, extension: str,
          days: int = 30) -> pathlib.Path:
    """A certificate for `public_key` (PEM file) issued by the given CA."""
    ext = d / "extensions.cnf"
    if not ext.exists():
        write(ext, _EXTENSIONS)
    cert = d / f"{name}.pem"
    openssl("x509", "-new", "-force_pubkey", public_key, "-subj", f"/CN={name}",
            "-CA", issuer_cert, "-CAkey", issuer_key, "-days", str(days),
            "-extfile", ext, "-extensions", extension, "-out", cert)
    return cert


def make_ca(d: pathlib.Path, name: str) -> tuple[pathlib.Path, pathlib.Path]:
    key, _ = ec_key(d, name)
    cert = d / f"{name}.pem"
    openssl("req", "-x509", "-new", "-key", key, "-subj", f"/CN={name}", "-days", "30",
            "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign", "-out", cert)
    return key, cert


@pytest.fixture(scope="session")
def pki(tmp_path_factory):
    """root CA -> intermediate CA -> leaf (codeSigning); an unrelated CA."""
    d = tmp_path_factory.mktemp("pki")
    p = types.SimpleNamespace()
    p.root_key, p.root = make_ca(d, "root")
    p.int_key, int_public = ec_key(d, "intermediate")
    p.intermediate = issue(d, "intermediate", p.root_key, p.root, int_public, "ca")
    p.leaf_key, leaf_public = ec_key(d, "leaf")
    p.leaf = issue(d, "leaf", p.int_key, p.intermediate, leaf_public, "leaf")
    _, p.stranger_ca = make_ca(d, "stranger")
    p.other_key, _ = ec_key(d, "other")
    p.dir = d
    return p


class BackgroundCounter:
    """A thread incrementing `value` as fast as it can, which it can only do
    while it holds the GIL: `with BackgroundCounter() as counter: ...`."""

    def __init__(self):
        self.value = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._count)

    def _count(self):
        while not self._stop.is_set():
            self.value += 1

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


# --- SoftHSM2 ---------------------------------------------------------------

SOFTHSM_MODULE = "/usr/lib/softhsm/libsofthsm2.so"


@pytest.fixture(scope="session")
def softhsm(tmp_path_factory, pki):
    """A private SoftHSM2 token store with token "model-signing" (PIN 1234):
    EC key pairs p256 (id 01) and p384 (id 02), their public keys as PEM,
    a certificate for p256 issued by the test intermediate CA, and the p384
    certificate stored on the token. SOFTHSM2_CONF is set for this process
    (the library loads the module in-process) for the whole session."""
    d = tmp_path_factory.mktemp("softhsm")
    (d / "tokens").mkdir()
    conf = write(d / "softhsm2.conf",
                 f"directories.tokendir = {d / 'tokens'}\nobjectstore.backend = file\nlog.level = ERROR\n")
    os.environ["SOFTHSM2_CONF"] = str(conf)
    env = dict(os.environ)
    token, pin = "model-signing", "1234"
    run("softhsm2-util", "--init-token", "--free", "--label", token, "--so-pin", "so-1234",
        "--pin", pin, env=env)
    s = types.SimpleNamespace(token=token, pin=pin, dir=d, conf=conf, env=env)

    def p11tool(uri, *args):
        run("p11tool", "--provider", SOFTHSM_MODULE, "--login", f"--set-pin={pin}", *args, uri, env=env)

    for label, curve, key_id in (("p256", "secp256r1", "01"), ("p384", "secp384r1", "02")):
        p11tool(f"pkcs11:token={token}", "--generate-privkey=ECDSA", f"--curve={curve}",
                f"--label={label}", f"--id={key_id}", f"--outfile={d / 'generated.pub'}")
        p11tool(f"pkcs11:token={token};object={label};type=public", "--export-pubkey",
                f"--outfile={d / (label + '.pub')}")
    s.p256_pub = d / "p256.pub"
    s.p384_pub = d / "p384.pub"
    s.p256_cert = issue(d, "token-p256", pki.int_key, pki.intermediate, s.p256_pub, "leaf")
    s.p384_cert = issue(d, "token-p384", pki.int_key, pki.intermediate, s.p384_pub, "leaf")
    p11tool(f"pkcs11:token={token}", "--write", f"--load-certificate={s.p384_cert}",
            "--label=p384", "--id=02")
    s.pin_file = write(d / "pin", pin + "\n")

    def uri(label: str, query: str = f"module-path={SOFTHSM_MODULE}&pin-value={pin}") -> str:
        return f"pkcs11:token={token};object={label}?{query}"

    s.uri = uri
    return s


# --- The local Sigstore stack (tests/sigstore_stack) ------------------------

STACK_DIR = REPO / "tests" / "sigstore_stack"


class SigstoreStack:
    """tests/sigstore_stack/server.js on 127.0.0.1: Fulcio, Rekor, a TSA and
    an OIDC provider, with a client trust config for them."""

    def __init__(self, directory: pathlib.Path, rekor: str = "v1"):
        if not shutil.which("node"):
            raise RuntimeError("node is required for the Sigstore stack (scripts/install-deps.sh)")
        run("/bin/bash", STACK_DIR / "install.sh")
        self.dir = directory
        self.process = subprocess.Popen(
            ["node", str(STACK_DIR / "server.js"), "--dir", str(directory), "--rekor", rekor],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 60
        seen = b""
        while b"READY" not in seen:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or self.process.poll() is not None:
                self.stop()
                raise RuntimeError(f"the Sigstore stack did not start: {self.process.stderr.read().decode()}")
            ready, _, _ = select.select([self.process.stdout], [], [], remaining)
            if ready:
                seen += os.read(self.process.stdout.fileno(), 4096)
        self.info = json.loads((directory / "stack.json").read_text())
        self.trust_config = directory / "trust_config.json"
        self.trusted_root = directory / "trusted_root.json"
        self.issuer = self.info["issuer"]

    def url(self, service: str) -> str:
        return self.info["urls"][service]

    def _get(self, path: str) -> bytes:
        # Straight to 127.0.0.1, whatever proxy the environment names.
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(f"{self.url('oidc')}{path}", timeout=10) as r:
            return r.read()

    def token(self, **claims) -> str:
        """An identity token from the stack's OIDC provider (claims: sub,
        email, aud, exp_offset)."""
        return self._get("/__token?" + urllib.parse.urlencode(claims)).decode()

    def requests(self) -> list:
        """Every request the stack's services have seen."""
        return json.loads(self._get("/__requests"))

    def stop(self):
        if self.process.poll() is None:
            self.process.stdin.close()  # the server exits when stdin closes
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture(scope="module")
def sigstore_stack(tmp_path_factory):
    stack = SigstoreStack(tmp_path_factory.mktemp("sigstore-stack"))
    yield stack
    stack.stop()

"""`python -m model_signing` and the `model_signing` console script run the
CLI binary shipped in the package: same commands, output and exit codes."""

import importlib.metadata
import os
import pathlib
import shutil
import subprocess
import sys

import pytest

import model_signing
import model_signing._cli
from conftest import run
from model_signing import hashing


def python_m(*args, **kwargs):
    return subprocess.run([sys.executable, "-m", "model_signing", *map(str, args)],
                          capture_output=True, text=True, **kwargs)


def binary(*args):
    return subprocess.run([model_signing._cli.binary_path(), *map(str, args)],
                          capture_output=True, text=True)


def test_python_m_is_the_binary(model, keys, tmp_path):
    sig = tmp_path / "model.sig"
    cases = [
        ["--version"],
        ["--help"],
        ["digest", model],
        ["sign", "key", model, "--private-key", keys.private, "--signature", sig],
        ["verify", "key", model, "--signature", sig, "--public-key", keys.public],
        ["verify", "key", model, "--signature", sig, "--public-key", keys.other_public],
        ["verify", "key", model, "--signature", sig],  # missing --public-key
        ["no-such-command"],
        [],
    ]
    for args in cases:
        ours, theirs = python_m(*args), binary(*args)
        assert (ours.returncode, ours.stdout, ours.stderr) == (
            theirs.returncode, theirs.stdout, theirs.stderr), args
    assert python_m("--version").stdout.strip() == model_signing.__version__
    assert python_m("digest", model).stdout.strip() == "sha256:" + hashing.hash(model).root_digest().digest_hex
    assert python_m("verify", "key", model, "--signature", sig, "--public-key", keys.public).returncode == 0
    assert python_m("verify", "key", model, "--signature", sig, "--public-key", keys.other_public).returncode == 1
    assert python_m("verify", "key", model, "--signature", sig).returncode == 2


def test_tampered_model_through_python_m(model, keys, tmp_path):
    sig = tmp_path / "model.sig"
    assert python_m("sign", "key", model, "--private_key", keys.private, "--signature", sig).returncode == 0
    (model / "config.json").write_text("{}")
    r = python_m("verify", "key", model, "--signature", sig, "--public_key", keys.public)
    assert r.returncode == 1
    assert r.stderr.count("\n") == 1 and "config.json" in r.stderr
    assert r.stderr.startswith("Verification failed with error:")


def test_run_returns_the_exit_code(model, keys, tmp_path):
    assert model_signing._cli.run(["digest", str(model)], capture_output=True) == 0
    assert model_signing._cli.run(["digest", str(tmp_path / "none")], capture_output=True) == 1
    assert model_signing._cli.run(["bogus"], capture_output=True) == 2


def test_console_script():
    if os.environ.get("MS_PYTHON_INSTALLED") != "1":
        pytest.skip("the package is imported from the build tree, not installed (set by tests/python/run.sh)")
    dist = importlib.metadata.distribution("model-signing")
    assert dist.version == model_signing.__version__
    script = shutil.which("model_signing", path=os.path.dirname(sys.executable))
    assert script, "the model_signing console script is not installed"
    r = subprocess.run([script, "--version"], capture_output=True, text=True)
    assert (r.returncode, r.stdout.strip()) == (0, model_signing.__version__)
    assert subprocess.run([script, "bogus"], capture_output=True).returncode == 2
    entry = [e for e in dist.entry_points if e.group == "console_scripts"]
    assert [(e.name, e.value) for e in entry] == [("model_signing", "model_signing._cli:main")]

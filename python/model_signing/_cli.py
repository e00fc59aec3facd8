"""The `model_signing` command: the C++ CLI binary shipped in this package.

`main()` (the console script and `python -m model_signing`) replaces the
Python process with the binary, so arguments, output, signals and exit codes
(0 success, 1 failure, 2 usage error) are exactly the binary's. `run()`
runs it as a child process and returns its exit code, for use from code.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from typing import Optional

_BINARY = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_bin", "model_signing")


def binary_path() -> str:
    """The path of the bundled CLI binary."""
    return _BINARY


def run(argv: Sequence[str], **kwargs) -> int:
    """Runs `model_signing ARGV...` and returns its exit code; extra keyword
    arguments go to subprocess.run (e.g. capture_output=True)."""
    return subprocess.run([_BINARY, *argv], check=False, **kwargs).returncode


def main(argv: Optional[Sequence[str]] = None) -> None:
    """Execs the CLI with `argv` (default: sys.argv[1:]). Does not return."""
    args = list(sys.argv[1:] if argv is None else argv)
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        os.execv(_BINARY, ["model_signing", *args])
    except OSError as e:
        print(f"model_signing: cannot run the bundled CLI {_BINARY}: {e.strerror}", file=sys.stderr)
        sys.exit(1)

"""Times the Python API (model_signing.hashing / .verifying, in-process)
against the `model_signing` CLI on the same models, interleaved, in one run;
and the API on 20,000 small files against a pure-Python stand-in for the
Python model_signing tool's file-hashing loop (the tool itself cannot be
installed here: no PyPI).

The stand-in is our reimplementation of what model_signing 1.1.x does for
`hashing.Config().hash(model)` with its defaults: walk `model.glob("**/*")`
plus the root, skip paths under the four git paths (`Path.is_relative_to`),
refuse symlinks and special files (`is_symlink`, `is_file`/`is_dir`),
then hash each regular file in a `ThreadPoolExecutor` (default workers) with
a fresh `hashlib.sha256` fed by 1 MiB `read()`s, collect with
`as_completed`, and build a Manifest of FileManifestItems. It skips the
tool's class layers (hasher factories, Digest wrappers), so it is, if
anything, faster than the real tool.

  python_api_bench.py CLI_BINARY DATA_DIR [REPS]

Data (made if missing; the same shapes and names as bench/bench_digest.sh
uses, so BENCH_DIR can point at its kept data): DATA_DIR/sixteen (16 x 256 MiB),
DATA_DIR/big (4 GiB, hashed as shards), DATA_DIR/small (20,000 x 4 KiB in
100 directories), DATA_DIR/two (a two-file model, signed and verified).
"""

import concurrent.futures
import hashlib
import itertools
import os
import pathlib
import platform
import statistics
import subprocess
import sys
import time

import model_signing
from model_signing import hashing, manifest, signing, verifying

MiB = 1 << 20


def fill(path: pathlib.Path, size: int) -> None:
    if path.exists() and path.stat().st_size == size:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as f:
        left = size
        while left:
            n = min(left, 64 * MiB)
            f.write(os.urandom(n))
            left -= n


def prepare(data: pathlib.Path) -> None:
    for i in range(16):
        fill(data / "sixteen" / f"shard-{i:02d}.bin", 256 * MiB)
    fill(data / "big" / "weights.bin", 4096 * MiB)
    for d in range(100):
        for f in range(200):
            fill(data / "small" / f"d{d:02d}" / f"f{f:03d}", 4096)
    fill(data / "two" / "config.json", 1000)
    fill(data / "two" / "model.bin", 100000)


def warm(path: pathlib.Path) -> None:
    for p in path.rglob("*"):
        if p.is_file():
            with open(p, "rb") as f:
                while f.read(8 * MiB):
                    pass


def upstream_style_hash(model_path) -> manifest.Manifest:
    """The stand-in for the Python tool's default file hashing (see above)."""
    model_path = pathlib.Path(model_path)
    ignored = [model_path / p for p in (".git", ".gitattributes", ".github", ".gitignore")]
    paths = []
    for path in itertools.chain((model_path,), model_path.glob("**/*")):
        if any(path.is_relative_to(i) for i in ignored):
            continue
        if path.is_symlink():
            raise ValueError(f"Cannot use '{path}' because it is a symlink.")
        if not (path.is_file() or path.is_dir()):
            raise ValueError(f"Cannot use '{path}' as file or directory.")
        if path.is_file():
            paths.append(path)

    def compute(path):
        hasher = hashlib.sha256()
        with open(path, "rb") as f:
            while True:
                data = f.read(MiB)
                if not data:
                    break
                hasher.update(data)
        return manifest.FileManifestItem(
            path=path.relative_to(model_path), digest=manifest.Digest("sha256", hasher.digest()))

    items = []
    with concurrent.futures.ThreadPoolExecutor() as pool:
        futures = [pool.submit(compute, p) for p in paths]
        for future in concurrent.futures.as_completed(futures):
            items.append(future.result())
    return manifest.Manifest(model_path.name, items, manifest._FileSerialization("sha256"))


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def cli(binary, *args):
    def run():
        subprocess.run([binary, *map(str, args)], check=True, stdout=subprocess.DEVNULL)
    return run


def cpu_model() -> str:
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def compare(name, runs, reps):
    """Interleaves the runs `reps` times; prints best and median of each
    and the others' best time as a multiple of the first's."""
    times = {label: [] for label, _ in runs}
    for rep in range(reps):
        # Alternate which goes first, so neither always runs after the other.
        for label, fn in (runs if rep % 2 == 0 else runs[::-1]):
            times[label].append(timed(fn))
    base_label = runs[0][0]
    base = min(times[base_label])
    for label, _ in runs:
        best, median = min(times[label]), statistics.median(times[label])
        ratio = "" if label == base_label else f"{best / base:.3f}x {base_label}'s time"
        print(f"| {name} | {label} | {best:.4f} | {median:.4f} | {ratio} |")


def main():
    binary, data = sys.argv[1], pathlib.Path(sys.argv[2])
    reps = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    print(f"Preparing data in {data} ...", file=sys.stderr)
    prepare(data)
    key, pub = data / "key.pem", data / "key.pub"
    if not key.exists():
        subprocess.run(["openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", key], check=True)
    subprocess.run(["openssl", "ec", "-in", key, "-pubout", "-out", pub], check=True, capture_output=True)
    signing.Config().use_elliptic_key_signer(private_key=key).sign(data / "two", data / "two.sig")
    for d in ("sixteen", "big", "small", "two"):
        warm(data / d)

    # Same digests either way, before timing anything.
    out = subprocess.run([binary, "digest", data / "small"], check=True, capture_output=True, text=True).stdout
    assert out.strip() == "sha256:" + hashing.hash(data / "small").root_digest().digest_hex
    assert upstream_style_hash(data / "small") == hashing.hash(data / "small")

    print(f"CPU: {cpu_model()}, {os.cpu_count()} logical CPUs; Python {platform.python_version()}; "
          f"model_signing {model_signing.__version__} from {os.path.dirname(model_signing.__file__)}; "
          f"best and median of {reps}, interleaved\n")
    print("| model | run | best s | median s | ratio |")
    print("| --- | --- | --- | --- | --- |")
    shards = hashing.Config().use_shard_serialization()
    verifier = verifying.Config().use_elliptic_key_verifier(public_key=pub)
    compare("16 x 256 MiB, files", [
        ("CLI digest", cli(binary, "digest", data / "sixteen")),
        ("API hashing.hash", lambda: hashing.hash(data / "sixteen"))], reps)
    compare("4 GiB, shards", [
        ("CLI digest", cli(binary, "digest", data / "big", "--serialization", "shards")),
        ("API hash, shards", lambda: shards.hash(data / "big"))], reps)
    compare("20,000 x 4 KiB", [
        ("CLI digest", cli(binary, "digest", data / "small")),
        ("API hashing.hash", lambda: hashing.hash(data / "small"))], reps)
    compare("two-file model, verify key", [
        ("CLI verify key", cli(binary, "verify", "key", data / "two", "--signature", data / "two.sig",
                               "--public-key", pub)),
        ("API verify", lambda: verifier.verify(data / "two", data / "two.sig"))], reps)
    compare("20,000 x 4 KiB, vs the Python tool's loop", [
        ("API hashing.hash", lambda: hashing.hash(data / "small")),
        ("pure-Python stand-in", lambda: upstream_style_hash(data / "small"))], reps)


if __name__ == "__main__":
    main()

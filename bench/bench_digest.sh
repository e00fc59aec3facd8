#!/usr/bin/env bash
# Times `model_signing digest` on one 2 GiB file (`files` and `shards`),
# 8 x 256 MiB files (sha256 and blake2b), 20,000 files of 4 KiB and the
# 2 GiB file with BLAKE3, each (a) just written, (b) re-read after a cache
# drop and (c) cold, against baselines measured in the same run: OpenSSL's
# in-memory one-core speed (`openssl speed -evp sha256|blake2b512 -bytes
# 1048576`; times the core count for the rows that use every core), `cat`
# of the same files cold, and b3sum. Prints the CPU, the date and a
# Markdown table of ratios (bench/digest_bench.cpp).
#
#   sudo bench/bench_digest.sh            # data (4.1 GiB) in $BENCH_DIR (default /tmp/ms-bench), removed afterwards
#   REPS=5 bench/bench_digest.sh
#
# Dropping the page cache needs root; run it under the shared lock on a
# machine others use: flock /tmp/ms-cpu.lock bench/bench_digest.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${BUILD_DIR:-$root/build}"
data="${BENCH_DIR:-/tmp/ms-bench}"
cmake --build "$build" --target model_signing_cli digest_bench >/dev/null
mkdir -p "$data"
trap 'rm -rf "$data"' EXIT
"$build/bench/digest_bench" "$build/cli/model_signing" "$data" "${REPS:-3}"

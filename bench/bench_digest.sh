#!/usr/bin/env bash
# Times whole `model_signing` commands on a synthetic model (16 x 256 MiB
# files, one 4 GiB file, three 1 GiB files, 20,000 files of 4 KiB, a
# two-file model) against
# baselines measured in the same run: OpenSSL's in-memory one-core speed
# (`openssl speed -evp sha256|blake2b512 -bytes 1048576`) and that figure
# times the core count. The page cache is warmed first. Prints ratios and
# peak RSS as a Markdown table.
#
#   bench/bench_digest.sh                 # data in $BENCH_DIR (default /tmp/ms-bench), removed afterwards
#   REPS=5 KEEP_DATA=1 bench/bench_digest.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${BUILD_DIR:-$root/build}"
data="${BENCH_DIR:-/tmp/ms-bench}"
cmake --build "$build" --target model_signing_cli digest_bench >/dev/null
ms="$build/cli/model_signing"

echo "Preparing data in $data ..." >&2
mkdir -p "$data/sixteen" "$data/big" "$data/three" "$data/two"
for i in $(seq -w 0 15); do
  f="$data/sixteen/shard-$i.bin"
  [ "$(stat -c %s "$f" 2>/dev/null || echo 0)" = 268435456 ] || head -c 268435456 /dev/urandom > "$f"
done
f="$data/big/weights.bin"
[ "$(stat -c %s "$f" 2>/dev/null || echo 0)" = 4294967296 ] || head -c 4294967296 /dev/urandom > "$f"
for i in 1 2 3; do
  f="$data/three/model-0000$i-of-00003.safetensors"
  [ "$(stat -c %s "$f" 2>/dev/null || echo 0)" = 1073741824 ] || head -c 1073741824 /dev/urandom > "$f"
done
if [ "$(find "$data/small" -type f 2>/dev/null | wc -l)" != 20000 ]; then
  rm -rf "$data/small"
  for d in $(seq -w 0 99); do
    mkdir -p "$data/small/d$d"
    head -c $((200 * 4096)) /dev/urandom | split -b 4096 -a 3 -d - "$data/small/d$d/f"
  done
fi
head -c 1000 /dev/urandom > "$data/two/config.json"
head -c 100000 /dev/urandom > "$data/two/model.bin"
[ -f "$data/key.pem" ] || openssl ecparam -name prime256v1 -genkey -noout -out "$data/key.pem" 2>/dev/null
openssl ec -in "$data/key.pem" -pubout -out "$data/key.pub" 2>/dev/null
"$ms" sign key "$data/two" --private-key "$data/key.pem" --signature "$data/two.sig" >/dev/null
# Warm the page cache.
cat "$data"/sixteen/* "$data/big/weights.bin" "$data"/three/* > /dev/null
find "$data/small" -type f -exec cat {} + > /dev/null

"$build/bench/digest_bench" "$ms" "$data" "${REPS:-3}"

if [ -z "${KEEP_DATA:-}" ]; then rm -rf "$data"; fi

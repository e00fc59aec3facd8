#!/usr/bin/env bash
# What signing with a key in a PKCS#11 token costs over a PEM key: times
# `sign pkcs11-key` (SoftHSM2 token in a temporary directory) against
# `sign key` with a PEM key on the same curve, interleaved in the same run, on
# a small model (1 MB) so that the token work (module load, login, key
# lookup, C_Sign) is what differs. Prints median times and their ratio.
#
#   bench/bench_pkcs11_sign.sh          # REPS=30 by default
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${BUILD_DIR:-$root/build}"
reps="${REPS:-30}"
cmake --build "$build" --target model_signing_cli >/dev/null
ms="$build/cli/model_signing"
module=/usr/lib/softhsm/libsofthsm2.so

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/tokens" "$work/model"
printf 'directories.tokendir = %s\nobjectstore.backend = file\n' "$work/tokens" > "$work/softhsm2.conf"
export SOFTHSM2_CONF="$work/softhsm2.conf"
softhsm2-util --init-token --free --label bench --so-pin 87654321 --pin 1234 >/dev/null
head -c 1000000 /dev/urandom > "$work/model/weights.bin"

now_ns() { date +%s%N; }
median() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }

printf '| curve | sign key (ms) | sign pkcs11-key (ms) | ratio |\n| --- | --- | --- | --- |\n'
for curve in secp256r1 secp384r1 secp521r1; do
  p11tool --provider "$module" --login --set-pin=1234 --generate-privkey=ECDSA --curve="$curve" \
    --label="$curve" --outfile="$work/$curve.pub" "pkcs11:token=bench" >/dev/null 2>&1
  openssl ecparam -name "${curve/secp256r1/prime256v1}" -genkey -noout -out "$work/$curve.pem"
  uri="pkcs11:token=bench;object=$curve?module-path=$module&pin-value=1234"
  : > "$work/key.times"
  : > "$work/token.times"
  for _ in $(seq "$reps"); do
    t0=$(now_ns)
    "$ms" sign key "$work/model" --signature "$work/k.sig" --private-key "$work/$curve.pem" >/dev/null
    t1=$(now_ns)
    "$ms" sign pkcs11-key "$work/model" --signature "$work/p.sig" --pkcs11-uri "$uri" >/dev/null
    t2=$(now_ns)
    echo $((t1 - t0)) >> "$work/key.times"
    echo $((t2 - t1)) >> "$work/token.times"
  done
  key=$(median < "$work/key.times")
  token=$(median < "$work/token.times")
  awk -v c="$curve" -v k="$key" -v t="$token" \
    'BEGIN {printf "| %s | %.1f | %.1f | %.2f |\n", c, k / 1e6, t / 1e6, t / k}'
done

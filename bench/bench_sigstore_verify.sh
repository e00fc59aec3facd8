#!/usr/bin/env bash
# What Sigstore verification costs over key verification: times whole
# `verify sigstore` runs (offline, embedded production root) of the upstream
# Sigstore-signed vector against `verify key` runs of the same two files
# signed here with a fresh P-256 key, in the same hyperfine invocation.
# Model hashing is identical, so the difference is the bundle checks
# (trusted root parsing, tlog entry, SET, inclusion proof, checkpoint,
# certificate chain, SCT, identity). Prints a Markdown table.
#
#   bench/bench_sigstore_verify.sh          # RUNS=100 by default
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${BUILD_DIR:-$root/build}"
vector="$root/../shared/vectors/model-transparency/v1.0.0-sigstore"
runs="${RUNS:-100}"
command -v hyperfine >/dev/null || { echo "hyperfine is missing (scripts/install-deps.sh installs it)" >&2; exit 1; }
cmake --build "$build" --target model_signing_cli >/dev/null
ms="$build/cli/model_signing"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir "$work/model"
cp "$vector/signme-1" "$vector/signme-2" "$work/model/"
cp "$vector/model.sig" "$work/sigstore.sig"
openssl ecparam -name prime256v1 -genkey -noout -out "$work/key.pem" 2>/dev/null
openssl ec -in "$work/key.pem" -pubout -out "$work/key.pub" 2>/dev/null
"$ms" sign key "$work/model" --private-key "$work/key.pem" --signature "$work/key.sig" >/dev/null

key_cmd="$ms verify key $work/model --signature $work/key.sig --public-key $work/key.pub"
sigstore_cmd="$ms verify sigstore $work/model --signature $work/sigstore.sig --identity stefanb@us.ibm.com --identity-provider https://sigstore.verify.ibm.com/oauth2"
$key_cmd >/dev/null
$sigstore_cmd >/dev/null

hyperfine -N --warmup 5 --runs "$runs" --style none --export-csv "$work/times.csv" \
  -n "verify key" "$key_cmd" -n "verify sigstore" "$sigstore_cmd" >/dev/null
# CSV: command,mean,stddev,median,user,system,min,max (seconds)
awk -F, 'NR == 2 {km = $4; kmin = $7} NR == 3 {sm = $4; smin = $7}
  END {
    printf "| command | median (ms) | min (ms) |\n| --- | --- | --- |\n"
    printf "| verify key | %.2f | %.2f |\n", km * 1000, kmin * 1000
    printf "| verify sigstore | %.2f | %.2f |\n", sm * 1000, smin * 1000
    printf "\nsigstore - key: %+.2f ms (median), ratio %.2f\n", (sm - km) * 1000, sm / km
  }' "$work/times.csv"

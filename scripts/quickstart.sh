#!/usr/bin/env bash
# The quick start: installs what is missing, builds, then signs a sample
# model with an EC key, verifies it, and shows a tampered copy failing.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/install-deps.sh"
BUILD_DIR="$root/build" BUILD_TARGET=model_signing_cli "$root/scripts/build.sh"
ms="$root/build/cli/model_signing"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
model="$work/sample-model"
mkdir -p "$model/tokenizer"
printf '{"architectures": ["SampleModel"], "hidden_size": 64}\n' > "$model/config.json"
printf '{"vocab": {"hello": 0, "world": 1}}\n' > "$model/tokenizer/tokenizer.json"
head -c 8388608 /dev/urandom > "$model/model.safetensors"
openssl ecparam -name prime256v1 -genkey -noout -out "$work/key.pem" 2>/dev/null
openssl ec -in "$work/key.pem" -pubout -out "$work/key.pub" 2>/dev/null

run() { echo "\$ model_signing $*"; "$ms" "$@"; }
echo "== Sign the sample model with a private key"
run sign key "$model" --private-key "$work/key.pem" --signature "$work/model.sig"
echo
echo "== Verify it with the public key"
run verify key "$model" --public-key "$work/key.pub" --signature "$work/model.sig"
echo
echo "== Tamper with a copy (one byte of the weights) and verify again: this must fail"
cp -r "$model" "$work/tampered"
printf 'X' | dd of="$work/tampered/model.safetensors" bs=1 seek=4096 conv=notrunc status=none
if run verify key "$work/tampered" --public-key "$work/key.pub" --signature "$work/model.sig"; then
  echo "ERROR: the tampered model verified" >&2
  exit 1
fi
echo
echo "Quick start OK: signed, verified, and the tampered copy was rejected."

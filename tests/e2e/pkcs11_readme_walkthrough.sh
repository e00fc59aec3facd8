#!/usr/bin/env bash
# Runs the SoftHSM2 walk-through of README.md ("Signing with a PKCS#11
# token") exactly as written, in a temporary HOME and directory, with the
# freshly built model_signing first on PATH. Usage: pkcs11_readme_walkthrough.sh README CLI
set -euo pipefail
readme="$1"
cli="$(realpath "$2")"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The section's shell block that creates the token.
awk '
  /^## / { in_section = ($0 == "## Signing with a PKCS#11 token") }
  in_section && /^```sh$/ { in_block = 1; block = ""; next }
  in_section && in_block && /^```$/ { in_block = 0; if (block ~ /softhsm2-util --init-token/) { printf "%s", block; exit } next }
  in_block { block = block $0 "\n" }
' "$readme" > "$work/walkthrough.sh"
if [ ! -s "$work/walkthrough.sh" ]; then
  echo "README.md has no SoftHSM2 walk-through block" >&2
  exit 1
fi

mkdir -p "$work/bin" "$work/home" "$work/run"
ln -s "$cli" "$work/bin/model_signing"
out="$(cd "$work/run" && env -u SOFTHSM2_CONF HOME="$work/home" PATH="$work/bin:$PATH" \
  bash -euo pipefail "$work/walkthrough.sh" 2>&1)" || { echo "$out" >&2; exit 1; }

# All three verifications (key, certificate from a file, certificate from
# the token) ran and succeeded.
count="$(grep -c '^Verification succeeded$' <<<"$out" || true)"
if [ "$count" -ne 3 ]; then
  echo "$out" >&2
  echo "expected 3 successful verifications, saw $count" >&2
  exit 1
fi
echo "README walk-through succeeded"

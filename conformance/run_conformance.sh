#!/usr/bin/env bash
# Runs the conformance entrypoint over a directory of Sigstore conformance
# cases (layout of ../shared/sigstore/conformance-sample: one directory per
# case with bundle.sigstore.json; a name ending in _fail must fail; optional
# artifact, identity, issuer, key.pub, trusted_root.json).
#
#   run_conformance.sh ENTRYPOINT CASES_DIR
#
# Prints one line per case and "N passed, N failed"; exits 1 if any case did
# not behave as its name says.
set -uo pipefail

entrypoint="${1:?usage: run_conformance.sh ENTRYPOINT CASES_DIR}"
cases="${2:?usage: run_conformance.sh ENTRYPOINT CASES_DIR}"
default_identity="https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main"
default_issuer="https://token.actions.githubusercontent.com"

passed=0
failed=0
for dir in "$cases"/*/; do
  dir="${dir%/}"
  name="$(basename "$dir")"
  [ -f "$dir/bundle.sigstore.json" ] || continue
  artifact="$cases/a.txt"
  [ -f "$dir/artifact" ] && artifact="$dir/artifact"
  args=(verify-bundle --bundle "$dir/bundle.sigstore.json")
  if [ -f "$dir/key.pub" ]; then
    args+=(--key "$dir/key.pub")
  else
    identity="$default_identity"
    issuer="$default_issuer"
    [ -f "$dir/identity" ] && identity="$(cat "$dir/identity")"
    [ -f "$dir/issuer" ] && issuer="$(cat "$dir/issuer")"
    args+=(--certificate-identity "$identity" --certificate-oidc-issuer "$issuer")
  fi
  [ -f "$dir/trusted_root.json" ] && args+=(--trusted-root "$dir/trusted_root.json")
  args+=("$artifact")

  output="$(timeout 60 "$entrypoint" "${args[@]}" 2>&1)"
  status=$?
  if [[ "$name" == *_fail ]]; then
    # Must be a verification failure (exit 1), not a crash or usage error.
    if [ "$status" -eq 1 ]; then outcome=PASS; else outcome=FAIL; fi
  else
    if [ "$status" -eq 0 ]; then outcome=PASS; else outcome=FAIL; fi
  fi
  if [ "$outcome" = PASS ]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
  fi
  echo "$outcome $name (exit $status): ${output//$'\n'/ }"
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]

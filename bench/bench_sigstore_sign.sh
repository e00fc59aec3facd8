#!/usr/bin/env bash
# What keyless signing costs over a PEM key: times `sign` (Sigstore, against
# the local stack of tests/sigstore_stack on 127.0.0.1: Fulcio, TSA, Rekor v1
# or v2, plus the checks of everything they return and the final bundle
# verification) against `sign key` with a P-256 PEM key, interleaved in the
# same run, on a small model (1 MB) so that the Sigstore work is what
# differs. Prints median times and their ratio. The local services answer in
# well under a millisecond of work each; a real instance adds network
# round trips on top.
#
#   bench/bench_sigstore_sign.sh          # REPS=20 by default
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${BUILD_DIR:-$root/build}"
reps="${REPS:-20}"
cmake --build "$build" --target model_signing_cli >/dev/null
"$root/tests/sigstore_stack/install.sh"
ms="$build/cli/model_signing"

work="$(mktemp -d)"
server=""
cleanup() {
  exec 3>&- 2>/dev/null || true
  [ -n "$server" ] && kill "$server" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/model"
head -c 1000000 /dev/urandom > "$work/model/weights.bin"
openssl ecparam -name prime256v1 -genkey -noout -out "$work/key.pem"

now_ns() { date +%s%N; }
median() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }

printf '| log | sign key (ms) | sign sigstore (ms) | ratio |\n| --- | --- | --- | --- |\n'
for rekor in v1 v2; do
  stack="$work/stack-$rekor"
  mkfifo "$work/in-$rekor"
  node "$root/tests/sigstore_stack/server.js" --dir "$stack" --rekor "$rekor" \
    < "$work/in-$rekor" > "$work/out-$rekor" &
  server=$!
  exec 3> "$work/in-$rekor"  # the server runs until this closes
  for _ in $(seq 100); do grep -q READY "$work/out-$rekor" && break; sleep 0.1; done
  oidc=$(sed -n 's/.*"oidc": "\(http[^"]*\)".*/\1/p' "$stack/stack.json")
  token=$(curl -sf "$oidc/__token?email=bench@example.com" 2>/dev/null ||
          node -e "require('http').get('$oidc/__token?email=bench@example.com',r=>{let d='';r.on('data',c=>d+=c);r.on('end',()=>process.stdout.write(d))})")
  : > "$work/key.times"
  : > "$work/sigstore.times"
  for _ in $(seq "$reps"); do
    t0=$(now_ns)
    "$ms" sign key "$work/model" --signature "$work/k.sig" --private-key "$work/key.pem" >/dev/null
    t1=$(now_ns)
    "$ms" sign "$work/model" --signature "$work/s.sig" --trust-config "$stack/trust_config.json" \
      --identity-token "$token" >/dev/null
    t2=$(now_ns)
    echo $((t1 - t0)) >> "$work/key.times"
    echo $((t2 - t1)) >> "$work/sigstore.times"
  done
  exec 3>&-
  wait "$server" 2>/dev/null || true
  server=""
  key=$(median < "$work/key.times")
  sig=$(median < "$work/sigstore.times")
  awk -v l="Rekor $rekor" -v k="$key" -v s="$sig" \
    'BEGIN {printf "| %s | %.1f | %.1f | %.2f |\n", l, k / 1e6, s / 1e6, s / k}'
done

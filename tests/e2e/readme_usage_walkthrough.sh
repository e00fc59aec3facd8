#!/usr/bin/env bash
# Runs every `model_signing ...` command of README.md's Usage block (the first
# ```sh block after "## Usage", `\` continuations joined) against real
# fixtures made here: EC keys, a CA and a codeSigning leaf, a short-lived
# leaf, a local RFC 3161 TSA (tests/support/tsa/openssl_tsa.py) and a
# SoftHSM2 token. Each command runs once without its bracketed optional
# parts and once with each of them (each alternative of `[a | b]`), in a
# directory that holds key.pem, key.pub, cert.pem, ... under the README's
# names; MODEL, URL and URI are substituted. Every run's outcome is asserted.
#
# Keyless `sign MODEL` needs an OIDC token, Fulcio and Rekor, which are on
# the internet; here it runs with every connection sent to a closed port on
# 127.0.0.1 (through a proxy setting, or a trust config whose OIDC issuer is
# that port) and must fail with one line naming what it could not reach,
# exit 1, no hang and no signature file. The full keyless flow is covered by
# the e2e tests against the local Sigstore stack (tests/e2e/*sigstore*).
#
# Usage: readme_usage_walkthrough.sh README CLI SHARED_DIR [--no-pkcs11]
# (SHARED_DIR: the shared vectors, for Sigstore's production trust; with
# --no-pkcs11, for a build without PKCS#11, the token commands are not run.)
set -euo pipefail
readme="$1"
cli="$(realpath "$2")"
shared="$3"
with_pkcs11=1
if [ "${4:-}" = "--no-pkcs11" ]; then with_pkcs11=0; fi
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

work="$(mktemp -d)"
tsa_pid=""
cleanup() {
  if [ -n "$tsa_pid" ]; then kill "$tsa_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }

# --- The commands of the Usage block ------------------------------------
mapfile -t commands < <(awk '
  /^## / { in_section = ($0 == "## Usage") }
  in_section && !seen && /^```sh$/ { in_block = 1; next }
  in_block && /^```$/ { exit }
  in_block {
    line = $0
    if (joined == "" && line ~ /^ +[^ #]/) { print "UNJOINED: " line; next }
    if (joined == "" && line !~ /^model_signing /) next
    sub(/^ +/, "", line)
    joined = (joined == "" ? line : joined " " line)
    if (joined ~ /\\$/) { sub(/ *\\$/, "", joined); next }
    print joined; joined = ""
  }
' "$readme")
for c in "${commands[@]}"; do
  [[ $c != UNJOINED:* ]] || fail "README Usage block: an indented line that does not continue a command (no \\ before it): ${c#UNJOINED: }"
done
[ "${#commands[@]}" -ge 10 ] || fail "README Usage block not found or shorter than expected (${#commands[@]} commands)"

# Which README command is which step of the walk-through; an unknown
# command fails the test, so a new README line gets a run here.
declare -A template
for c in "${commands[@]}"; do
  case "$c" in
    "model_signing digest MODEL"*) kind=digest ;;
    "model_signing sign MODEL"*) kind=sign_sigstore ;;
    "model_signing sign key MODEL"*--tsa-url*) kind=sign_key_tsa ;;
    "model_signing sign key MODEL"*) kind=sign_key ;;
    "model_signing verify key MODEL"*--tsa-certificate-chain*) kind=verify_key_tsa ;;
    "model_signing verify key MODEL"*) kind=verify_key ;;
    "model_signing sign certificate MODEL"*) kind=sign_certificate ;;
    "model_signing sign pkcs11-key MODEL"*) kind=sign_pkcs11_key ;;
    "model_signing sign pkcs11-certificate MODEL"*) kind=sign_pkcs11_certificate ;;
    "model_signing verify certificate MODEL"*) kind=verify_certificate ;;
    "model_signing inspect "*) kind=inspect ;;
    *) fail "README Usage command not covered by this test: $c" ;;
  esac
  [ -z "${template[$kind]:-}" ] || fail "two README Usage commands of kind $kind"
  template[$kind]="$c"
done
for kind in digest sign_sigstore sign_key verify_key sign_certificate sign_key_tsa verify_key_tsa \
            sign_pkcs11_key sign_pkcs11_certificate verify_certificate inspect; do
  [ -n "${template[$kind]:-}" ] || fail "README Usage block has no $kind command"
done

# The runs of a command: without any [optional] part, then with each
# alternative of each part on its own. Printed one per line.
variants() {
  local rest="$1" base="" group alt
  local -a parts=()
  while [[ $rest =~ ^([^[]*)\[([^]]*)\](\.\.\.)?(.*)$ ]]; do
    base+="${BASH_REMATCH[1]}"
    parts+=("${BASH_REMATCH[2]}")
    rest="${BASH_REMATCH[4]}"
  done
  base="$(tr -s ' ' <<<"$base$rest" | sed 's/ *$//')"
  echo "$base"
  for group in "${parts[@]}"; do
    IFS='|' read -ra alts <<<"$group"
    for alt in "${alts[@]}"; do
      alt="$(sed 's/^ *//; s/ *$//' <<<"$alt")"
      echo "$base $alt"
    done
  done
}

# Runs one README command line in the current directory with MODEL, URL and
# URI replaced; sets out, err and rc. A run that takes a minute has hung.
run() {
  local line="$1" word
  local -a argv=()
  for word in $line; do
    case "$word" in
      model_signing) argv+=("$cli") ;;
      MODEL) argv+=("$model") ;;
      URL) argv+=("$url") ;;
      URI) argv+=("$uri") ;;
      *) argv+=("$word") ;;
    esac
  done
  echo "+ $line" >&2
  rc=0
  timeout 60 "${run_env[@]}" "${argv[@]}" </dev/null >"$work/out" 2>"$work/err" || rc=$?
  out="$(cat "$work/out")"
  err="$(cat "$work/err")"
  [ "$rc" -ne 124 ] || fail "hung: $line"
}
run_env=(env -u SIGSTORE_ID_TOKEN -u GITHUB_ACTIONS HOME="$work/home" XDG_CACHE_HOME="$work/cache")

expect_sign() {  # a sign run that must write model.sig
  local line="$1"
  rm -f model.sig
  run "$line"
  if [ "$rc" -ne 0 ] || [ "$out" != "Signing succeeded" ]; then fail "$line: exit $rc, stdout [$out], stderr [$err]"; fi
  [ -s model.sig ] || fail "$line: no model.sig written"
}
expect_verify() {
  local line="$1"
  run "$line"
  if [ "$rc" -ne 0 ] || [ "$out" != "Verification succeeded" ]; then fail "$line: exit $rc, stdout [$out], stderr [$err]"; fi
}
expect_failure() {  # a run that must fail with exit 1 and this text in its one error line
  local line="$1" prefix="$2" want="$3" errors
  run "$line"
  [ "$rc" -eq 1 ] || fail "$line: expected exit 1, got $rc; stdout [$out], stderr [$err]"
  errors="$(grep -c "^$prefix failed with error: " <<<"$err" || true)"
  [ "$errors" -eq 1 ] || fail "$line: expected one '$prefix failed' line, stderr [$err]"
  grep -q -F -- "$want" <<<"$(grep "^$prefix failed with error: " <<<"$err")" \
    || fail "$line: error does not say '$want': [$err]"
  echo "  exit 1: $(grep "^$prefix failed with error: " <<<"$err")" >&2
}
# Every run of a template, in directory DIR, checked by CHECK [ARG...] RUN.
each() {
  local dir="$1" kind="$2" v
  shift 2
  local -a runs
  mapfile -t runs < <(variants "${template[$kind]}")
  for v in "${runs[@]}"; do (cd "$dir" && "$@" "$v") || exit 1; done
}
# A sign run, then every run of the verify template VERIFY_KIND on what it
# wrote. With --log-fingerprints, cert.pem's SHA-256 fingerprint is on stderr.
sign_then_verify() {
  local verify_kind="$1" line="$2" v fingerprint
  local -a verifies
  expect_sign "$line"
  if [[ $line == *--tsa-url* ]]; then
    if ! grep -q '"timestampVerificationData"' model.sig || ! grep -q '"rfc3161Timestamps"' model.sig; then
      fail "$line: no RFC 3161 timestamp in model.sig"
    fi
  fi
  mapfile -t verifies < <(variants "${template[$verify_kind]}")
  for v in "${verifies[@]}"; do
    expect_verify "$v"
    if [[ $v == *--log-fingerprints* ]]; then
      fingerprint="$(ossl x509 -in cert.pem -noout -fingerprint -sha256 | sed 's/.*=//; s/://g')"
      grep -q -i "$fingerprint" <<<"${err//:/}" \
        || fail "$v: the signing certificate's SHA-256 fingerprint is not on stderr [$err]"
    fi
  done
}

# --- Fixtures -------------------------------------------------------------
mkdir -p "$work/home" "$work/cache" "$work/model/sub"
model="$work/model"
echo '{"hidden_size": 8}' > "$model/config.json"
head -c 65536 /dev/urandom > "$model/weights.bin"
echo "tokens" > "$model/sub/tokenizer.txt"

ossl() { openssl "$@" 2>/dev/null || { echo "openssl $*" >&2; openssl "$@"; }; }
ec_key() { ossl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1"; }
make_ca() {  # DIR NAME: DIR/ca.key, DIR/ca.pem
  ec_key "$1/ca.key"
  ossl req -x509 -new -key "$1/ca.key" -subj "/CN=$2" -days 30 \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign -out "$1/ca.pem"
}
leaf_ext() {  # EKU
  printf '[ext]\nbasicConstraints = critical,CA:FALSE\nkeyUsage = critical,digitalSignature\nextendedKeyUsage = critical,%s\n' "$1"
}

# Keys and certificates (sign key / verify key / sign certificate / verify certificate).
keys="$work/keys"
mkdir -p "$keys"
ec_key "$keys/key.pem"
ossl pkey -in "$keys/key.pem" -pubout -out "$keys/key.pub"
make_ca "$keys" "Usage Test CA"
cp "$keys/ca.pem" "$keys/chain.pem"
leaf_ext codeSigning > "$keys/leaf.cnf"
ossl req -new -key "$keys/key.pem" -subj "/CN=usage test signer" -out "$keys/leaf.csr"
ossl x509 -req -in "$keys/leaf.csr" -CA "$keys/ca.pem" -CAkey "$keys/ca.key" -CAcreateserial -days 30 \
  -extfile "$keys/leaf.cnf" -extensions ext -out "$keys/cert.pem"

# --- digest, sign key, verify key, inspect ----------------------------------
digest_check() {
  run "$1"
  if [ "$rc" -ne 0 ] || ! [[ $out =~ ^sha256:[0-9a-f]{64}$ ]]; then fail "$1: exit $rc, stdout [$out], stderr [$err]"; fi
  echo "$out" > "$work/digest"
}
each "$keys" digest digest_check

each "$keys" sign_key sign_then_verify verify_key

# A changed byte fails verification, by file name.
cp "$model/config.json" "$work/config.json.orig"
echo '{"hidden_size": 9}' > "$model/config.json"
(cd "$keys" && expect_failure "${template[verify_key]}" Verification "config.json") || exit 1
cp "$work/config.json.orig" "$model/config.json"

inspect_check() {
  run "$1"
  [ "$rc" -eq 0 ] || fail "$1: exit $rc, stderr [$err]"
  if [[ $1 == *"--output json"* ]]; then
    /usr/bin/python3 - "$work/digest" "$work/out" <<'EOF' || fail "$1: unexpected JSON [$out]"
import json, sys
doc = json.load(open(sys.argv[2]))
want = open(sys.argv[1]).read().strip()
assert doc["command"] == "inspect" and doc["verified"] is False, doc
assert doc["signer"]["method"] == "key", doc["signer"]
assert doc["root_digest"] == want, (doc["root_digest"], want)
assert sorted(r["name"] for r in doc["resources"]) == ["config.json", "sub/tokenizer.txt", "weights.bin"]
EOF
  else
    [[ $(head -n1 <<<"$out") == "NOT VERIFIED:"* ]] || fail "$1: first line is not NOT VERIFIED: [$out]"
    grep -q "^Method: *key$" <<<"$out" || fail "$1: no 'Method: key' [$out]"
    grep -q "^Root digest: *$(cat "$work/digest")$" <<<"$out" || fail "$1: root digest is not digest's [$out]"
  fi
}
each "$keys" inspect inspect_check

# --- sign certificate, verify certificate -----------------------------------
each "$keys" sign_certificate sign_then_verify verify_certificate

# An expired signing certificate: verify fails naming
# --allow-expired-certificate, and passes with it. The certificate is valid
# for a few seconds when it signs.
expired="$work/expired"
mkdir -p "$expired"
cp "$keys/key.pem" "$keys/key.pub" "$keys/ca.pem" "$keys/ca.key" "$expired/"
cp "$keys/ca.pem" "$expired/chain.pem"
touch "$expired/index.txt"
echo 1000 > "$expired/serial"
{ printf '[ca]\ndefault_ca = c\n[c]\ndatabase = %s/index.txt\nnew_certs_dir = %s\nserial = %s/serial\n' \
    "$expired" "$expired" "$expired"
  printf 'default_md = sha256\npolicy = p\nunique_subject = no\n[p]\ncommonName = supplied\n'
  leaf_ext codeSigning; } > "$expired/ca.cnf"
ossl ca -batch -notext -config "$expired/ca.cnf" -extensions ext -cert "$expired/ca.pem" -keyfile "$expired/ca.key" \
  -in "$keys/leaf.csr" -out "$expired/cert.pem" \
  -startdate "$(date -u +%y%m%d%H%M%SZ)" -enddate "$(date -u -d '+5 seconds' +%y%m%d%H%M%SZ)"
mapfile -t cert_signs < <(variants "${template[sign_certificate]}")
(cd "$expired" && expect_sign "${cert_signs[0]}") || exit 1
not_after="$(date -u -d "$(ossl x509 -in "$expired/cert.pem" -noout -enddate | sed 's/notAfter=//')" +%s)"
while [ "$(date -u +%s)" -le "$not_after" ]; do sleep 1; done
mapfile -t cert_verifies < <(variants "${template[verify_certificate]}")
allow=""
for v in "${cert_verifies[@]}"; do
  if [[ $v == *--allow-expired-certificate* ]]; then allow="$v"; continue; fi
  (cd "$expired" && expect_failure "$v" Verification "--allow-expired-certificate") || exit 1
done
[ -n "$allow" ] || fail "no --allow-expired-certificate run"
(cd "$expired" && expect_verify "$allow") || exit 1

# --- Timestamps: a local RFC 3161 TSA -------------------------------------
tsa="$work/tsa"
mkdir -p "$tsa"
cp "$keys/key.pem" "$keys/key.pub" "$tsa/"
make_ca "$tsa" "Usage Test TSA Root"
cp "$tsa/ca.pem" "$tsa/tsa.pem"
ec_key "$tsa/tsa.key"
leaf_ext timeStamping > "$tsa/leaf.cnf"
ossl req -new -key "$tsa/tsa.key" -subj "/CN=Usage Test TSA" -out "$tsa/leaf.csr"
ossl x509 -req -in "$tsa/leaf.csr" -CA "$tsa/ca.pem" -CAkey "$tsa/ca.key" -CAcreateserial -days 30 \
  -extfile "$tsa/leaf.cnf" -extensions ext -out "$tsa/tsa-leaf.pem"
echo 01 > "$tsa/serial"
cat > "$tsa/tsa.cnf" <<EOF
[ tsa ]
default_tsa = test_tsa
[ test_tsa ]
serial = $tsa/serial
crypto_device = builtin
signer_cert = $tsa/tsa-leaf.pem
signer_key = $tsa/tsa.key
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = yes
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
EOF
mkfifo "$work/tsa.in"
/usr/bin/python3 "$here/../support/tsa/openssl_tsa.py" "$tsa/tsa.cnf" <"$work/tsa.in" >"$work/tsa.out" 2>"$work/tsa.err" &
tsa_pid=$!
exec 8>"$work/tsa.in"  # the server exits when this closes
url=""
for _ in $(seq 300); do
  url="$(sed -n 's/^READY //p' "$work/tsa.out")"
  [ -n "$url" ] && break
  kill -0 "$tsa_pid" 2>/dev/null || fail "the TSA did not start: $(cat "$work/tsa.err")"
  sleep 0.1
done
[ -n "$url" ] || fail "the TSA did not start in 30 s"

# Without a timestamp, --require-timestamp refuses.
mapfile -t tsa_verifies < <(variants "${template[verify_key_tsa]}")
require=""
for v in "${tsa_verifies[@]}"; do [[ $v == *--require-timestamp* ]] && require="$v"; done
[ -n "$require" ] || fail "no --require-timestamp run"
(cd "$tsa" && expect_sign "${template[sign_key]%% \[*}" &&
  expect_failure "$require" Verification "timestamp") || exit 1

each "$tsa" sign_key_tsa sign_then_verify verify_key_tsa
# The timestamp is checked against tsa.pem: another root refuses it.
make_ca "$work" "Another TSA Root"
cp "$work/ca.pem" "$tsa/tsa.pem"
(cd "$tsa" && expect_failure "$require" Verification "timestamp") || exit 1
exec 8>&-
wait "$tsa_pid" || true
tsa_pid=""

# --- PKCS#11: a SoftHSM2 token --------------------------------------------
if [ "$with_pkcs11" -eq 1 ]; then
  p11="$work/pkcs11"
  module=/usr/lib/softhsm/libsofthsm2.so
  mkdir -p "$p11/tokens"
  printf 'directories.tokendir = %s\nobjectstore.backend = file\n' "$p11/tokens" > "$p11/softhsm2.conf"
  export SOFTHSM2_CONF="$p11/softhsm2.conf"
  softhsm2-util --init-token --free --label usage-test --so-pin 87654321 --pin 1234 >/dev/null
  p11tool --provider "$module" --login --set-pin=1234 --generate-privkey=ECDSA --curve=secp256r1 \
    --label=signer --id=01 "pkcs11:token=usage-test" >/dev/null 2>&1
  p11tool --provider "$module" --login --set-pin=1234 --export-pubkey --outfile="$p11/key.pub" \
    "pkcs11:token=usage-test;object=signer;type=public" >/dev/null 2>&1
  (umask 077 && echo 1234 > "$p11/pin.txt")
  cp "$keys/ca.pem" "$keys/ca.key" "$p11/"
  printf 'cn = "usage test token signer"\nexpiration_days = 30\nsigning_key\ncode_signing_key\n' > "$p11/signer.tmpl"
  certtool --generate-certificate --load-pubkey "$p11/key.pub" --load-ca-certificate "$p11/ca.pem" \
    --load-ca-privkey "$p11/ca.key" --template "$p11/signer.tmpl" --outfile "$p11/cert.pem" >/dev/null 2>&1
  # For pkcs11-certificate without --signing-certificate: the certificate on the token.
  p11tool --provider "$module" --login --set-pin=1234 --write --load-certificate="$p11/cert.pem" \
    --label=signer --id=01 "pkcs11:token=usage-test" >/dev/null 2>&1
  uri="pkcs11:token=usage-test;object=signer?module-name=softhsm2&pin-source=$p11/pin.txt"

  each "$p11" sign_pkcs11_key sign_then_verify verify_key
  each "$p11" sign_pkcs11_certificate sign_then_verify verify_certificate
  unset SOFTHSM2_CONF
else
  echo "PKCS#11 is not built: the pkcs11-key and pkcs11-certificate commands are not run" >&2
fi

# --- Keyless Sigstore: as far as it goes without the internet ---------------
# Every connection goes to a port on 127.0.0.1 that nothing listens on: a
# proxy for the public instances, the OIDC issuer of trust_config.json, the
# TUF repository of --tuf-url.
sigstore="$work/sigstore"
mkdir -p "$sigstore"
closed="$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
cp "$shared/sigstore/tuf/production/root.json" "$sigstore/root.json"
/usr/bin/python3 - "$shared/sigstore/trust/production" "$closed" > "$sigstore/trust_config.json" <<'EOF'
import json, sys
trust, port = sys.argv[1], sys.argv[2]
signing = json.load(open(trust + "/signing_config.v0.2.json"))
for oidc in signing["oidcUrls"]:
    oidc["url"] = f"http://127.0.0.1:{port}/auth"
print(json.dumps({"mediaType": "application/vnd.dev.sigstore.clienttrustconfig.v0.1+json",
                  "trustedRoot": json.load(open(trust + "/trusted_root.json")),
                  "signingConfig": signing}))
EOF
url="http://127.0.0.1:$closed"
run_env+=(https_proxy="http://127.0.0.1:$closed" HTTPS_PROXY="http://127.0.0.1:$closed"
          http_proxy="http://127.0.0.1:$closed" no_proxy= NO_PROXY=)
keyless_check() {
  local line="$1" want
  case "$line" in
    *--trust-config*) want="could not reach OIDC issuer http://127.0.0.1:$closed/auth" ;;
    *--require-fresh-trust*) want="could not reach the TUF repository at https://tuf-repo-cdn.sigstore.dev/" ;;
    *--tuf-url*) want="no trust for the TUF repository http://127.0.0.1:$closed is cached" ;;
    *--use-staging*) want="could not reach OIDC issuer https://oauth2.sigstage.dev/auth" ;;
    *) want="could not reach OIDC issuer https://oauth2.sigstore.dev/auth" ;;
  esac
  rm -f model.sig
  expect_failure "$line" Signing "$want"
  [ ! -e model.sig ] || fail "$line: wrote model.sig"
  [ "$(find "$model" | wc -l)" -eq 5 ] || fail "$line: wrote into the model: $(find "$model")"
  if [[ $line == *--trust-config* ]]; then
    [ "$(wc -l <<<"$err")" -eq 1 ] || fail "$line: expected one line on stderr [$err]"
  fi
}
each "$sigstore" sign_sigstore keyless_check

echo "README Usage walk-through succeeded: ${#commands[@]} commands, every optional part with and without"

#!/usr/bin/env bash
# Builds the library, the CLI and the example with PKCS#11 and Sigstore
# signing left out (-DMS_WITH_PKCS11=OFF -DMS_WITH_SIGSTORE_SIGNING=OFF: no
# p11-kit, no libcurl) into ./build-features-off (or $FEATURES_OFF_BUILD_DIR), unoptimized
# to keep it quick, then checks the CLI: neither library is linked, the key
# method signs and verifies, and the left-out methods fail with one line
# saying they are not built in. Extra arguments are passed to CMake.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${FEATURES_OFF_BUILD_DIR:-$root/build-features-off}"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG=-O0 \
  -DMS_WITH_PKCS11=OFF -DMS_WITH_SIGSTORE_SIGNING=OFF \
  -DMS_BUILD_TESTS=OFF -DMS_BUILD_BENCH=OFF -DMS_BUILD_EXAMPLES=ON "$@" >/dev/null
cmake --build "$build" --target model_signing_cli custom_signer sigstore_conformance

cli="$build/cli/model_signing"
fail() { echo "check-features-off: $*" >&2; exit 1; }
if ldd "$cli" | grep -E 'libcurl|libp11-kit' >/dev/null; then
  fail "the CLI links libcurl or p11-kit: $(ldd "$cli" | grep -E 'libcurl|libp11-kit')"
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir "$work/model"
echo weights >"$work/model/a.bin"
openssl ecparam -name prime256v1 -genkey -noout 2>/dev/null |
  openssl pkcs8 -topk8 -nocrypt -out "$work/key.pem"
openssl pkey -in "$work/key.pem" -pubout -out "$work/key.pub"

"$cli" sign key "$work/model" --private-key "$work/key.pem" --signature "$work/key.sig" >/dev/null
"$cli" verify key "$work/model" --public-key "$work/key.pub" --signature "$work/key.sig" >/dev/null
"$build/examples/custom_signer/custom_signer" "$work/model" "$work/custom.sig" "$work/key.pem" >/dev/null
"$cli" verify key "$work/model" --public-key "$work/key.pub" --signature "$work/custom.sig" >/dev/null

# Exit 1, nothing on stdout, exactly one line on stderr containing $1.
expect_one_line() {
  local needle="$1"; shift
  local out err status=0
  out="$("$@" 2>"$work/err")" || status=$?
  err="$(cat "$work/err")"
  [[ $status == 1 && -z $out && $(wc -l <"$work/err") == 1 && $err == *"$needle"* ]] ||
    fail "'$*' gave exit $status, stdout '$out', stderr '$err'"
}
expect_one_line "PKCS#11 signing is not built into this model_signing" \
  "$cli" sign pkcs11-key "$work/model" --pkcs11-uri "pkcs11:object=k?module-name=softhsm2" \
  --signature "$work/p11.sig"
expect_one_line "Sigstore signing is not built into this model_signing" \
  "$cli" sign sigstore "$work/model" --identity-token x --signature "$work/sigstore.sig"
[[ ! -e $work/p11.sig && ! -e $work/sigstore.sig ]] || fail "a signature file was written"
echo "check-features-off: library, CLI and example build without PKCS#11 and Sigstore signing"

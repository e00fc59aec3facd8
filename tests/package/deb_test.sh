#!/usr/bin/env bash
# The Debian packages, checked offline and without root in a few seconds:
# builds them from a build directory (scripts/package-deb.sh), checks what
# each holds and declares (Depends from dpkg-shlibdeps plus the libraries
# loaded at run time), unpacks the CLI package with `dpkg -x` into a staging
# root, and runs what it installed from there: sign with a key, verify,
# change a byte and see verify fail naming the file, render the man page,
# complete with the packaged bash completion. Then builds the consumer
# program against the -dev package's unpacked tree with pkg-config.
# (tests/package/debootstrap_test.sh installs into a clean Debian 12 root
# with apt instead; it needs root and the Debian mirror, so CI does not run it.)
#   deb_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build="$(cd "$1" && pwd)"
source="$(cd "$2" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail() { echo "deb_test: $*" >&2; exit 1; }

"$source/scripts/package-deb.sh" "$build" "$work/debs" >/dev/null
cli_deb="$(ls "$work"/debs/model-signing_*.deb)"
dev_deb="$(ls "$work"/debs/libmodel-signing-dev_*.deb)"

# What each package holds.
cli_files="$(dpkg-deb -c "$cli_deb" | awk '{ print $NF }')"
man_page="$(grep -E '^\./usr/share/man/man1/model_signing\.1(\.gz)?$' <<<"$cli_files")" ||
  fail "$(basename "$cli_deb") lacks the man page"
for f in ./usr/bin/model_signing \
         ./usr/share/bash-completion/completions/model_signing \
         ./usr/share/zsh/vendor-completions/_model_signing; do
  grep -qx -- "$f" <<<"$cli_files" || fail "$(basename "$cli_deb") lacks $f"
done
dev_files="$(dpkg-deb -c "$dev_deb" | awk '{ print $NF }')"
for pattern in '/include/model_signing/model_signing\.h$' '/include/model_signing/version\.h$' \
               '/libmodel_signing\.a$' '/pkgconfig/model_signing\.pc$' \
               '/cmake/model_signing/model_signingConfig\.cmake$' \
               '/cmake/model_signing/model_signingTargets\.cmake$'; do
  grep -Eq -- "$pattern" <<<"$dev_files" || fail "$(basename "$dev_deb") lacks $pattern"
done
if grep -q '/bin/' <<<"$dev_files"; then fail "the -dev package ships a program"; fi

# What the CLI package declares: its linked libraries (dpkg-shlibdeps) and
# the ones it loads when first needed.
depends="$(dpkg-deb -f "$cli_deb" Depends)"
for dep in libc6 libgcc-s1 libssl3 libcurl4 libp11-kit0; do
  [[ $depends == *"$dep"* ]] || fail "model-signing does not depend on $dep: $depends"
done
[[ $(dpkg-deb -f "$cli_deb" Package) == model-signing ]] || fail "package name"
[[ $(dpkg-deb -f "$dev_deb" Depends) == *libssl-dev* ]] || fail "-dev does not depend on libssl-dev"

# The CLI as installed, run from a staging root.
stage="$work/stage"
dpkg -x "$cli_deb" "$stage"
ms="$stage/usr/bin/model_signing"
file "$ms" | grep -q 'stripped' || fail "the packaged binary: $(file "$ms")"
file "$ms" | grep -q 'not stripped' && fail "the packaged binary is not stripped"
if readelf -d "$ms" | grep -E 'NEEDED.*(libcurl|libp11-kit)'; then
  fail "the packaged CLI links libcurl or p11-kit; they are loaded when first used"
fi
t="$work/t"
mkdir -p "$t/model/tokenizer"
echo '{"layers": 2}' >"$t/model/config.json"
echo '{"vocab": {}}' >"$t/model/tokenizer/tokenizer.json"
head -c 1048576 /dev/urandom >"$t/model/weights.bin"
openssl ecparam -name prime256v1 -genkey -noout 2>/dev/null | openssl pkcs8 -topk8 -nocrypt -out "$t/key.pem"
openssl pkey -in "$t/key.pem" -pubout -out "$t/key.pub"
"$ms" sign key "$t/model" --private-key "$t/key.pem" --signature "$t/model.sig" >/dev/null 2>&1 ||
  fail "the packaged CLI could not sign"
"$ms" verify key "$t/model" --public-key "$t/key.pub" --signature "$t/model.sig" >/dev/null 2>&1 ||
  fail "the packaged CLI could not verify its own signature"
printf X | dd of="$t/model/weights.bin" bs=1 seek=4096 conv=notrunc status=none
status=0
"$ms" verify key "$t/model" --public-key "$t/key.pub" --signature "$t/model.sig" >/dev/null 2>"$t/err" || status=$?
[[ $status == 1 ]] || fail "verify of a changed model exited $status"
grep -q weights.bin "$t/err" || fail "verify did not name the changed file: $(cat "$t/err")"

MANPAGER=cat MANWIDTH=100 man -l "$stage/$man_page" >"$t/man.txt" 2>"$t/man.err" ||
  fail "man -l of the packaged page: $(cat "$t/man.err")"
grep -q 'model_signing sign key' "$t/man.txt" || fail "the man page lacks 'model_signing sign key'"
[[ ! -s $t/man.err ]] || fail "man warned: $(head -3 "$t/man.err")"

offered="$(bash -c 'source "$1"; COMP_WORDS=(model_signing sign key --pri); COMP_CWORD=3
                    _model_signing; printf "%s " "${COMPREPLY[@]}"' _ \
           "$stage/usr/share/bash-completion/completions/model_signing")"
[[ $offered == *--private-key* ]] || fail "bash completion of 'sign key --pri' offered '$offered'"

# The -dev package, unpacked: a pkg-config consumer builds and runs against
# it (its .pc file is relative to where it lies, so no prefix rewriting).
dev="$work/dev"
dpkg -x "$dev_deb" "$dev"
pc="$(find "$dev" -name model_signing.pc)"
export PKG_CONFIG_PATH="$(dirname "$pc")"
# shellcheck disable=SC2046 # pkg-config's flags are separate words
g++ -std=c++20 -o "$work/consumer" "$source/tests/install/consumer/consumer.cpp" \
  $(pkg-config --cflags --libs model_signing) || fail "the consumer did not build against the -dev package"
mkdir -p "$work/c/model"
echo '{"layers": 2}' >"$work/c/model/config.json"
head -c 65536 /dev/zero >"$work/c/model/weights.bin"
out="$("$work/consumer" "$work/c/model" "$t/key.pem" "$t/key.pub" "$work/c/model.sig")" ||
  fail "the consumer built against the -dev package failed"
[[ $out == "consumer: signed, verified, changed copy rejected"* ]] || fail "the consumer printed '$out'"

echo "deb_test: $(basename "$cli_deb") and $(basename "$dev_deb") hold, declare and run what they should"

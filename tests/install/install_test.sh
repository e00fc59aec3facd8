#!/usr/bin/env bash
# Installs this build into a temporary prefix and builds a consumer program
# against it (consumer/: sign, verify, reject a changed copy), as a user would:
#   1. with CMake: find_package(model_signing) + model_signing::model_signing;
#   2. with pkg-config: g++ ... $(pkg-config --cflags --libs model_signing);
#   3. against the shared library (built next to the static one for this
#      test), which must export the public API only;
#   4. through add_subdirectory (as FetchContent does): configured library-only,
#      without CLI11, libcurl or p11-kit, the same target name, C++20 carried.
#   install_test.sh BUILD_DIR SOURCE_DIR SHARED_LIBRARY
set -euo pipefail
build="$1"
source="$2"
shared_library="$3"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail() { echo "install_test: $*" >&2; exit 1; }
version="$(sed -n 's/.*kVersion\[\] = "\(.*\)";/\1/p' "$build/include/model_signing/version.h")"
[[ -n $version ]] || fail "no version in $build/include/model_signing/version.h"

prefix="$work/prefix"
cmake --install "$build" --prefix "$prefix" >/dev/null
libdir="$(cd "$prefix" && dirname "$(find . -name model_signing.pc -path '*/pkgconfig/*')")"
libdir="${libdir#./}"
libdir="${libdir%/pkgconfig}"
for f in bin/model_signing include/model_signing/model_signing.h include/model_signing/version.h \
         "$libdir/libmodel_signing.a" "$libdir/cmake/model_signing/model_signingConfig.cmake" \
         "$libdir/cmake/model_signing/model_signingConfigVersion.cmake" \
         "$libdir/cmake/model_signing/model_signingTargets.cmake" "$libdir/pkgconfig/model_signing.pc" \
         share/man/man1/model_signing.1 share/bash-completion/completions/model_signing \
         share/zsh/vendor-completions/_model_signing; do
  [[ -f $prefix/$f ]] || fail "cmake --install did not install $f"
done
[[ ! -e $prefix/include/model_signing/version.h.in ]] || fail "version.h.in was installed"
# What a public header declares is exported from the shared library only
# inside its visibility pragmas (src/CMakeLists.txt).
for header in "$prefix"/include/model_signing/*.h; do
  case "$(basename "$header")" in model_signing.h | version.h) continue ;; esac
  grep -q '^#pragma GCC visibility push(default)' "$header" && grep -q '^#pragma GCC visibility pop' "$header" ||
    fail "$(basename "$header") lacks '#pragma GCC visibility push(default)' ... 'pop' around its declarations"
done
if readelf -d "$prefix/bin/model_signing" | grep -E 'NEEDED.*(libcurl|libp11-kit)'; then
  fail "the installed CLI links libcurl or p11-kit; they must be loaded when first used"
fi

make_model() {  # a model and a key pair in $1
  mkdir -p "$1/model"
  echo '{"layers": 2}' >"$1/model/config.json"
  head -c 65536 /dev/zero >"$1/model/weights.bin"
  openssl ecparam -name prime256v1 -genkey -noout 2>/dev/null |
    openssl pkcs8 -topk8 -nocrypt -out "$1/key.pem"
  openssl pkey -in "$1/key.pem" -pubout -out "$1/key.pub"
}
run_consumer() {  # $1 the program, $2 a fresh directory
  make_model "$2"
  local out
  out="$("$1" "$2/model" "$2/key.pem" "$2/key.pub" "$2/model.sig")" || fail "$1 failed"
  [[ $out == "consumer: signed, verified, changed copy rejected (model_signing $version)" ]] ||
    fail "$1 printed '$out'"
}

# Whether the consumer's compile command (in build dir $1) asks for C++20.
consumer_brings_cxx20() {
  grep '"command":.*consumer\.cpp' "$1/compile_commands.json" | grep -Eq -- '-std=(c|gnu)\+\+20'
}

# 1. CMake. The consumer sets no C++ standard: the package brings C++20.
cmake -S "$source/tests/install/consumer" -B "$work/cmake" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_EXPORT_COMPILE_COMMANDS=ON >/dev/null
consumer_brings_cxx20 "$work/cmake" || fail "find_package(model_signing) did not bring C++20"
cmake --build "$work/cmake" >/dev/null
run_consumer "$work/cmake/consumer" "$work/run-cmake"

# 2. pkg-config.
export PKG_CONFIG_PATH="$prefix/$libdir/pkgconfig"
[[ $(pkg-config --modversion model_signing) == "$version" ]] || fail "pkg-config --modversion"
libs="$(pkg-config --libs model_signing)"
[[ $libs == *-lmodel_signing* && $libs == *-lcrypto* ]] || fail "pkg-config --libs gave '$libs'"
[[ $libs != *curl* && $libs != *p11-kit* ]] || fail "pkg-config --libs asks for libcurl or p11-kit: $libs"
# shellcheck disable=SC2046 # pkg-config's flags are separate words
g++ -std=c++20 -o "$work/consumer-pc" "$source/tests/install/consumer/consumer.cpp" \
  $(pkg-config --cflags --libs model_signing)
run_consumer "$work/consumer-pc" "$work/run-pc"

# 3. The shared library: the consumer links and runs against it, it needs
# neither libcurl nor p11-kit, and it exports the public API, not internals.
soname="$(readelf -d "$shared_library" | sed -n 's/.*SONAME.*\[\(.*\)\]/\1/p')"
[[ $soname == libmodel_signing.so.* ]] || fail "SONAME of $shared_library is '$soname'"
if readelf -d "$shared_library" | grep -E 'NEEDED.*(libcurl|libp11-kit)'; then
  fail "the shared library links libcurl or p11-kit"
fi
exports="$(nm -DC --defined-only "$shared_library")"
grep -q 'model_signing::SigningConfig::sign(' <<<"$exports" || fail "SigningConfig::sign is not exported"
grep -q 'typeinfo for model_signing::Error' <<<"$exports" || fail "model_signing::Error's typeinfo is not exported"
# Symbols named by an internal namespace (not std:: templates instantiated
# over internal types, which have vague linkage).
internal="$(grep -E '^[0-9a-f]+ [A-Za-z] (typeinfo( name)? for |vtable for )?model_signing::(crypto|util|engine|hash|walk|net|pkcs11|signing|verifying|bundle)::' <<<"$exports" || true)"
[[ -z $internal ]] || fail "the shared library exports internals: $(head -3 <<<"$internal")"
mkdir -p "$work/shared"
ln -s "$shared_library" "$work/shared/libmodel_signing.so"
g++ -std=c++20 -o "$work/consumer-shared" "$source/tests/install/consumer/consumer.cpp" \
  -I"$source/include" -I"$build/include" -L"$work/shared" -lmodel_signing
LD_LIBRARY_PATH="$(dirname "$shared_library")" run_consumer "$work/consumer-shared" "$work/run-shared"

# 4. add_subdirectory: only the library is configured (no CLI, tests, benches
# or examples), CLI11 and libcurl are not looked for, and the consumer gets
# model_signing::model_signing with C++20.
cmake -S "$source/tests/install/consumer" -B "$work/subdir" -G Ninja -DMS_SOURCE_DIR="$source" \
  -DMS_WITH_PKCS11=OFF -DMS_WITH_SIGSTORE_SIGNING=OFF \
  -DCMAKE_DISABLE_FIND_PACKAGE_CLI11=ON -DCMAKE_DISABLE_FIND_PACKAGE_CURL=ON \
  -DCMAKE_EXPORT_COMPILE_COMMANDS=ON >"$work/subdir.log" 2>&1 ||
  fail "add_subdirectory configure failed: $(tail -5 "$work/subdir.log")"
consumer_brings_cxx20 "$work/subdir" || fail "add_subdirectory did not bring C++20"
targets="$(cmake --build "$work/subdir" --target help)"
for t in model_signing_cli unit_tests sigstore_conformance custom_signer; do
  if grep -q "^$t:" <<<"$targets"; then fail "add_subdirectory configured $t"; fi
done
echo "install_test: cmake --install, find_package, pkg-config, the shared library and add_subdirectory all work"

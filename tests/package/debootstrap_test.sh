#!/usr/bin/env bash
# The Debian packages in a clean Debian 12 root: builds them from a build
# directory (scripts/package-deb.sh), installs the CLI package with apt into
# a minimal debootstrap root (which has no libssl3, libcurl4 or anything
# else the package needs: apt must pull what it declares), then in a chroot
# signs a model with a key, verifies it, changes a byte and sees verify fail
# naming the file, reads `man model_signing`, completes with bash, and
# checks that without libcurl4 only Sigstore signing stops working.
#   tests/package/debootstrap_test.sh [BUILD_DIR]   (by hand: apt install debootstrap)
# Needs root. The first run downloads from the Debian mirror
# ($MS_DEBIAN_MIRROR, default http://deb.debian.org/debian) and keeps the
# installed root and the packages apt fetched in $MS_DEBOOTSTRAP_CACHE
# (default ~/.cache/model_signing/debootstrap); later runs work offline.
set -euo pipefail
root_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="$(cd "${1:-$root_dir/build}" && pwd)"
cache="${MS_DEBOOTSTRAP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/model_signing/debootstrap}"
mirror="${MS_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
suite=bookworm
# What the test itself uses inside the root, besides the package.
tools=man-db,bash-completion
start=$SECONDS
step() { echo "debootstrap_test: [$((SECONDS - start)) s] $*"; }
fail() { echo "debootstrap_test: $*" >&2; exit 1; }
[[ $(id -u) == 0 ]] || fail "needs root (debootstrap, chroot)"

work="$(mktemp -d)"
chroot_dir="$work/root"
cleanup() {
  for m in proc dev; do mountpoint -q "$chroot_dir/$m" 2>/dev/null && umount -l "$chroot_dir/$m"; done
  rm -rf "$work"
}
trap cleanup EXIT

step "building the packages"
"$root_dir/scripts/package-deb.sh" "$build" "$work/debs" >/dev/null
cli_deb="$(ls "$work"/debs/model-signing_*.deb)"
dev_deb="$(ls "$work"/debs/libmodel-signing-dev_*.deb)"
# (The listing first: grep -q would stop reading it early, and pipefail
# would count dpkg-deb's broken pipe as a failure.)
dev_files="$(dpkg-deb -c "$dev_deb")"
grep -q '/include/model_signing/model_signing.h$' <<<"$dev_files" || fail "-dev lacks the headers"
grep -q '/pkgconfig/model_signing.pc$' <<<"$dev_files" || fail "-dev lacks model_signing.pc"
grep -q '/cmake/model_signing/model_signingConfig.cmake$' <<<"$dev_files" || fail "-dev lacks the CMake package"
depends="$(dpkg-deb -f "$cli_deb" Depends)"
for dep in libc6 libgcc-s1 libssl3 libcurl4 libp11-kit0; do
  [[ $depends == *"$dep"* ]] || fail "model-signing does not depend on $dep: $depends"
done

# The root: debootstrap once (from the mirror), then a tarball of it.
mkdir -p "$cache/archives"
root_tarball="$cache/$suite-minbase-$(echo "$tools $mirror" | sha256sum | cut -c1-12).tar.gz"
mkdir -p "$chroot_dir"
if [[ ! -f $root_tarball ]]; then
  step "debootstrap $suite (minbase, $tools) from $mirror"
  debootstrap --variant=minbase --include="$tools" "$suite" "$chroot_dir" "$mirror" >"$work/debootstrap.log" 2>&1 ||
    fail "debootstrap failed: $(tail -3 "$work/debootstrap.log")"
  cp /etc/resolv.conf "$chroot_dir/etc/resolv.conf"
  chroot "$chroot_dir" apt-get update -q >/dev/null
  chroot "$chroot_dir" apt-get clean
  tar -C "$chroot_dir" -czf "$root_tarball.tmp" . && mv "$root_tarball.tmp" "$root_tarball"
else
  step "unpacking the cached root $(basename "$root_tarball")"
  tar -C "$chroot_dir" -xzf "$root_tarball"
fi
mount -t proc proc "$chroot_dir/proc"
mount --bind /dev "$chroot_dir/dev"
cp /etc/resolv.conf "$chroot_dir/etc/resolv.conf"
for lib in libssl3 libcurl4; do
  if chroot "$chroot_dir" dpkg -s "$lib" >/dev/null 2>&1; then fail "the base root already has $lib"; fi
done

step "apt install $(basename "$cli_deb")"
mkdir -p "$chroot_dir/tmp/debs"
cp "$cli_deb" "$chroot_dir/tmp/debs/"
cp "$cache"/archives/*.deb "$chroot_dir/var/cache/apt/archives/" 2>/dev/null || true
# Offline from the cache when it has everything; else from the mirror.
install=(apt-get install -y -q --no-install-recommends "/tmp/debs/$(basename "$cli_deb")")
if ! chroot "$chroot_dir" "${install[@]}" --no-download >"$work/apt.log" 2>&1; then
  chroot "$chroot_dir" "${install[@]}" >"$work/apt.log" 2>&1 ||
    fail "apt could not install the package: $(tail -5 "$work/apt.log")"
  cp "$chroot_dir"/var/cache/apt/archives/*.deb "$cache/archives/"
fi
step "installed: $(chroot "$chroot_dir" dpkg-query -W -f='${Package} ' model-signing libssl3 libcurl4 libp11-kit0)"

# Keys are made here: the root has no openssl command.
mkdir -p "$chroot_dir/tmp/t"
openssl ecparam -name prime256v1 -genkey -noout 2>/dev/null |
  openssl pkcs8 -topk8 -nocrypt -out "$chroot_dir/tmp/t/key.pem"
openssl pkey -in "$chroot_dir/tmp/t/key.pem" -pubout -out "$chroot_dir/tmp/t/key.pub"
cat >"$chroot_dir/tmp/t/run.sh" <<'SCRIPT'
set -eu
cd /tmp/t
fail() { echo "in the root: $*" >&2; exit 1; }
mkdir -p model/tokenizer
echo '{"layers": 2}' >model/config.json
echo '{"vocab": {}}' >model/tokenizer/tokenizer.json
head -c 1048576 /dev/urandom >model/weights.bin
model_signing --version
model_signing sign key model --private-key key.pem --signature model.sig
model_signing verify key model --public-key key.pub --signature model.sig
printf X | dd of=model/weights.bin bs=1 seek=4096 conv=notrunc status=none
if model_signing verify key model --public-key key.pub --signature model.sig 2>err; then
  fail "the changed model verified"
fi
grep -q weights.bin err || fail "verify did not name the changed file: $(cat err)"
echo "tampered copy rejected: $(cat err)"

MANPAGER=cat MANWIDTH=100 man model_signing >man.txt 2>&1 || fail "man model_signing: $(cat man.txt)"
grep -q 'model_signing sign key' man.txt || fail "the man page lacks 'model_signing sign key'"
echo "man model_signing: $(wc -l <man.txt) lines"

# bash-completion loads the package's completion on demand, as in a shell.
offered="$(bash -c '. /usr/share/bash-completion/bash_completion
  _completion_loader model_signing
  COMP_WORDS=(model_signing sign key --pri); COMP_CWORD=3; _model_signing
  printf "%s " "${COMPREPLY[@]}"')"
case "$offered" in *--private-key*) ;; *) fail "bash completion offered '$offered'" ;; esac
echo "bash completion of 'sign key --pri': $offered"
SCRIPT
step "sign, verify, tamper, man, completion in the root"
chroot "$chroot_dir" sh /tmp/t/run.sh

# Without libcurl4 (forced out), keys still work and Sigstore signing says
# what is missing, in one line.
chroot "$chroot_dir" dpkg --remove --force-depends libcurl4 >/dev/null 2>&1
chroot "$chroot_dir" sh -c 'cd /tmp/t &&
  model_signing sign key model --private-key key.pem --signature model2.sig &&
  model_signing verify key model --public-key key.pub --signature model2.sig' >/dev/null ||
  fail "key signing or verifying failed without libcurl4"
status=0
chroot "$chroot_dir" sh -c 'cd /tmp/t && model_signing sign sigstore model --identity-token x --signature s.sig' >"$work/out" 2>"$work/err" || status=$?
[[ $status == 1 && $(wc -l <"$work/err") == 1 && $(cat "$work/err") == *"needs libcurl (libcurl.so.4), which is not installed: apt install libcurl4"* ]] ||
  fail "without libcurl4, sign sigstore gave exit $status: $(cat "$work/err")"
step "without libcurl4: $(cat "$work/err")"
step "done"

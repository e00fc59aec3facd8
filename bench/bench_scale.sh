#!/usr/bin/env bash
# Scale limits (issue 19): wall time and peak memory of whole `model_signing`
# commands on inputs at the edges — a 100 MB bundle, JSON nested 100,000
# deep, a 50 MB string field, 100,000 empty files, a tree 2,000 directories
# deep (paths beyond PATH_MAX), a 255-byte file name, names with newlines
# and terminal escapes, and a 1,000,000-file model (its manifest, about
# 200 MB of bundle) — each either handled or refused with one clear line.
#
#   bench/bench_scale.sh [BUILD_DIR]     # default build/; needs ~1 GB and
#                                        # 1.1 million inodes in $BENCH_DIR
#                                        # (default /tmp/ms-scale)
#
# Prints a Markdown table: case, command, exit code and message, wall
# seconds, peak RSS (GNU time). Not a test: nothing is asserted.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$root/build}"
cli="$build/cli/model_signing"
dir="${BENCH_DIR:-/tmp/ms-scale}"
py=/usr/bin/python3
[[ -x "$cli" ]] || { echo "no CLI at $cli (build it first)" >&2; exit 2; }
rm -rf "$dir"
mkdir -p "$dir"
trap 'rm -rf "$dir"' EXIT

openssl ecparam -name prime256v1 -genkey -noout 2>/dev/null | openssl pkcs8 -topk8 -nocrypt -out "$dir/key.pem"
openssl pkey -in "$dir/key.pem" -pubout -out "$dir/key.pub"

echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) cores"
echo
echo "| case | command | outcome | wall s | peak RSS MiB |"
echo "| --- | --- | --- | --- | --- |"

# measure CASE WHAT ARGS...: runs the CLI once under GNU time.
measure() {
  local label="$1" what="$2"
  shift 2
  local status=0
  /usr/bin/time -f "%e %M" -o "$dir/time.txt" "$cli" "$@" >"$dir/out.txt" 2>"$dir/err.txt" || status=$?
  local secs kb outcome
  read -r secs kb <"$dir/time.txt" || true
  [[ "$secs" =~ ^[0-9.]+$ ]] || { secs="$(tail -1 "$dir/time.txt" | cut -d' ' -f1)"; kb="$(tail -1 "$dir/time.txt" | cut -d' ' -f2)"; }
  if ((status == 0)); then
    outcome="exit 0"
  else
    outcome="exit $status: $(grep -v '^Warning' "$dir/err.txt" | head -1 | cut -c1-110 | sed 's/|/\\|/g')"
  fi
  printf '| %s | %s | %s | %s | %d |\n' "$label" "$what" "$outcome" "$secs" "$((kb / 1024))"
}

sign() { measure "$1" "sign key" sign key "$2" --private-key "$dir/key.pem" --signature "$3" "${@:4}"; }
verify() { measure "$1" "verify key" verify key "$2" --signature "$3" --public-key "$dir/key.pub" "${@:4}"; }

# A small signed model whose bundle the bundle cases change.
mkdir -p "$dir/small"
echo "weights" >"$dir/small/w.bin"
"$cli" sign key "$dir/small" --private-key "$dir/key.pem" --signature "$dir/small.sig" >/dev/null
bundle_with() {  # bundle_with OUT PYTHON-EXPRESSION (b is the bundle dict)
  "$py" - "$dir/small.sig" "$1" "$2" <<'PY'
import json, sys
b = json.load(open(sys.argv[1]))
exec(sys.argv[3])
open(sys.argv[2], "w").write(json.dumps(b) if not isinstance(b, str) else b)
PY
}
bundle_with "$dir/padded.sig" 'b["x-padding"] = "p" * (100 << 20)'
verify "100 MB bundle (a 100 MB unknown field)" "$dir/small" "$dir/padded.sig"
bundle_with "$dir/deep.sig" 'b = json.dumps(b)[:-1] + ", \"x\": " + "[" * 100000 + "]" * 100000 + "}"'
verify "JSON nested 100,000 deep" "$dir/small" "$dir/deep.sig"
bundle_with "$dir/long.sig" 'b["mediaType"] = "m" * (50 << 20)'
verify "50 MB string field (mediaType)" "$dir/small" "$dir/long.sig"

# 100,000 empty files, 100 directories of 1,000.
"$py" - "$dir/many" 100 1000 <<'PY'
import os, sys
root, dirs, files = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for d in range(dirs):
    p = os.path.join(root, "d%04d" % d)
    os.makedirs(p)
    for f in range(files):
        os.close(os.open(os.path.join(p, "f%05d.bin" % f), os.O_CREAT | os.O_WRONLY, 0o644))
PY
sign "100,000 empty files" "$dir/many" "$dir/many.sig"
verify "100,000 empty files" "$dir/many" "$dir/many.sig"
rm -rf "$dir/many"

# 2,000 directories deep ("dir/dir/..."): paths of 8,000 bytes, past PATH_MAX.
"$py" - "$dir/deep" 2000 <<'PY'
import os, sys
os.makedirs(sys.argv[1])
fd = os.open(sys.argv[1], os.O_RDONLY)
for _ in range(int(sys.argv[2])):
    os.mkdir("dir", dir_fd=fd)
    nxt = os.open("dir", os.O_RDONLY, dir_fd=fd)
    os.close(fd)
    fd = nxt
with os.fdopen(os.open("weights.bin", os.O_CREAT | os.O_WRONLY, 0o644, dir_fd=fd), "w") as f:
    f.write("deep")
PY
sign "2,000 directories deep (8,000-byte path)" "$dir/deep" "$dir/deep.sig"
verify "2,000 directories deep (8,000-byte path)" "$dir/deep" "$dir/deep.sig"
# (removed with rm -rf at exit: find and rm cope with long paths)

mkdir -p "$dir/names"
"$py" - "$dir/names" <<'PY'
import os, sys
for name in ["n" * 255, "new\nline.bin", "esc\x1b]0;title\x07\x1b[2J.bin", "csi\u009b31m.bin"]:
    open(os.path.join(sys.argv[1], name), "w").write(name)
PY
sign "255-byte name, newline and escapes in names" "$dir/names" "$dir/names.sig"
verify "255-byte name, newline and escapes in names" "$dir/names" "$dir/names.sig"
echo "changed" >"$dir/names/new"$'\n'"line.bin"
verify "the same, one changed (names escaped in the message)" "$dir/names" "$dir/names.sig"

# 1,000,000 empty files, 1,000 directories of 1,000.
"$py" - "$dir/million" 1000 1000 <<'PY'
import os, sys
root, dirs, files = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for d in range(dirs):
    p = os.path.join(root, "d%04d" % d)
    os.makedirs(p)
    for f in range(files):
        os.close(os.open(os.path.join(p, "f%05d.bin" % f), os.O_CREAT | os.O_WRONLY, 0o644))
PY
sign "1,000,000 empty files" "$dir/million" "$dir/million.sig"
echo "| | (signature file: $(($(stat -c %s "$dir/million.sig") >> 20)) MiB) | | | |"
verify "1,000,000-file manifest" "$dir/million" "$dir/million.sig"
verify "1,000,000-file manifest, --ignore-unsigned-files" "$dir/million" "$dir/million.sig" --ignore-unsigned-files
verify "1,000,000-file manifest against a 1-file model" "$dir/small" "$dir/million.sig"

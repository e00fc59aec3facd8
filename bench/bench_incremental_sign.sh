#!/usr/bin/env bash
# Incremental re-signing against a full sign, in the same run: a 4 GiB,
# 20-file model (19 files of 226 MB and a 1 KiB README) is signed in full
# with `sign key --write-stat-record`; then the README is changed (same
# size) and the model re-signed with `--reuse-digests` (the stat record
# decides what changed) and with `--reuse-digests --changed README.md`.
# Each repetition times the full sign and both re-signs; the page cache is
# warm, so the full sign is as fast as it gets. Checks that each re-sign
# hashed only the README, that its signature verifies, and that its
# statement is byte for byte the one a full re-sign writes. Prints a
# Markdown table with the CPU model.
#
#   bench/bench_incremental_sign.sh      # data in $BENCH_DIR (default /tmp/ms-bench-incremental), removed afterwards
#   REPS=5 KEEP_DATA=1 bench/bench_incremental_sign.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${BUILD_DIR:-$root/build}"
data="${BENCH_DIR:-/tmp/ms-bench-incremental}"
reps="${REPS:-3}"
cmake --build "$build" --target model_signing_cli >/dev/null
ms="$build/cli/model_signing"
model="$data/model"
file_size=226050910  # 19 of these and 1 KiB: 4 GiB

echo "Preparing data in $data ..." >&2
mkdir -p "$model"
for i in $(seq -w 1 19); do
  f="$model/model-000$i-of-00019.safetensors"
  [ "$(stat -c %s "$f" 2>/dev/null || echo 0)" = "$file_size" ] || head -c "$file_size" /dev/urandom > "$f"
done
[ -f "$data/key.pem" ] || openssl ecparam -name prime256v1 -genkey -noout -out "$data/key.pem" 2>/dev/null
openssl ec -in "$data/key.pem" -pubout -out "$data/key.pub" 2>/dev/null
# Older than the stat record's 2-second window for recently modified files.
touch -d '1 hour ago' "$model"/*.safetensors
cat "$model"/* > /dev/null  # warm the page cache

now_ns() { date +%s%N; }
# Runs a command, prints its wall time in seconds; its stdout goes to $2.
timed() {
  local out="$1"; shift
  local t0 t1
  t0=$(now_ns)
  "$@" > "$out"
  t1=$(now_ns)
  echo "scale=4; ($t1 - $t0) / 1000000000" | bc
}
payload() {
  /usr/bin/python3 -c 'import base64, json, sys; print(base64.b64decode(json.load(open(sys.argv[1]))["dsseEnvelope"]["payload"]).decode())' "$1"
}
sign=("$ms" sign key "$model" --private-key "$data/key.pem")

best_full="" best_record="" best_changed=""
for rep in $(seq 1 "$reps"); do
  head -c 1024 /dev/urandom | base64 -w0 | head -c 1024 > "$model/README.md"
  touch -d '1 hour ago' "$model/README.md"
  full=$(timed "$data/full.out" "${sign[@]}" --signature "$data/old.sig" --write-stat-record)
  # The edit: same size, new content, new modification time.
  head -c 1024 /dev/urandom | base64 -w0 | head -c 1024 > "$model/README.md"
  record=$(timed "$data/record.out" "${sign[@]}" --signature "$data/new.sig" --reuse-digests "$data/old.sig")
  changed=$(timed "$data/changed.out" "${sign[@]}" --signature "$data/changed.sig" --reuse-digests "$data/old.sig" \
            --changed "$model/README.md")
  for out in record changed; do
    grep -q "hashed 1 file (1024 bytes)" "$data/$out.out" || { echo "re-sign ($out) hashed more than the README:" >&2; cat "$data/$out.out" >&2; exit 1; }
  done
  echo "rep $rep: full $full s, re-sign (stat record) $record s, re-sign (--changed) $changed s" >&2
  [ -z "$best_full" ] || [ "$(echo "$full < $best_full" | bc)" = 1 ] && best_full=$full
  [ -z "$best_record" ] || [ "$(echo "$record < $best_record" | bc)" = 1 ] && best_record=$record
  [ -z "$best_changed" ] || [ "$(echo "$changed < $best_changed" | bc)" = 1 ] && best_changed=$changed
done

# The last re-signs: they verify, and they are what a full re-sign writes.
"${sign[@]}" --signature "$data/full-again.sig" > /dev/null
for sig in new changed; do
  "$ms" verify key "$model" --signature "$data/$sig.sig" --public-key "$data/key.pub" > /dev/null
  [ "$(payload "$data/$sig.sig")" = "$(payload "$data/full-again.sig")" ] || { echo "statement of $sig.sig differs from a full re-sign's" >&2; exit 1; }
done

cpu=$(lscpu | sed -n 's/^Model name: *//p' | head -1)
echo
echo "CPU: $cpu, $(nproc) cores; model: 19 x $file_size bytes + 1 KiB README; best of $reps; page cache warm"
echo
echo "| run | wall s | of the full sign |"
echo "| --- | --- | --- |"
echo "| full sign (\`sign key --write-stat-record\`) | $best_full | 100% |"
echo "| re-sign, README changed (\`--reuse-digests\`, stat record) | $best_record | $(echo "scale=2; 100 * $best_record / $best_full" | bc)% |"
echo "| re-sign, README changed (\`--reuse-digests --changed README.md\`) | $best_changed | $(echo "scale=2; 100 * $best_changed / $best_full" | bc)% |"
echo
echo "Both re-signs hashed only README.md (1024 bytes), verify, and sign the statement a full re-sign signs, byte for byte."

if [ -z "${KEEP_DATA:-}" ]; then rm -rf "$data"; fi

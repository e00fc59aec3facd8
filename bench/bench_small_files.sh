#!/usr/bin/env bash
# Many small files: `model_signing digest` and `verify key` on 20,000 files
# of 4 KiB in 100 directories (the bench_digest.sh case), with the walk,
# the per-file system calls and the statement of 20,000 resources as the
# costs, not hashing. With OTHER_CLI, runs alternate between this build and
# the other (on a VM, drift between back-to-back batches is larger than the
# differences measured) and it prints each one's median and their ratio.
#
#   bench/bench_small_files.sh                                   # this build alone
#   OTHER_CLI=/path/to/older/model_signing RUNS=21 bench/bench_small_files.sh
#
# Run it under the shared CPU lock on a quiet machine (flock /tmp/ms-cpu.lock).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${BUILD_DIR:-$root/build}"
runs="${RUNS:-11}"
cmake --build "$build" --target model_signing_cli >/dev/null
ms="$build/cli/model_signing"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
head -c 4096 /dev/urandom >"$work/block"
for ((d = 0; d < 100; ++d)); do
  mkdir -p "$work/model/d$d"
  for ((f = 0; f < 200; ++f)); do cp "$work/block" "$work/model/d$d/f$f"; done
done
openssl ecparam -name prime256v1 -genkey -noout 2>/dev/null |
  openssl pkcs8 -topk8 -nocrypt -out "$work/key.pem"
openssl pkey -in "$work/key.pem" -pubout -out "$work/key.pub"
"$ms" sign key "$work/model" --private-key "$work/key.pem" --signature "$work/model.sig" >/dev/null
sync

clis=("$ms")
[[ -n ${OTHER_CLI:-} ]] && clis+=("$OTHER_CLI")

# Milliseconds one run of "$@" takes.
time_ms() {
  local s=$EPOCHREALTIME
  "$@" >/dev/null
  local e=$EPOCHREALTIME
  echo "($e - $s) * 1000" | bc -l
}
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

echo "CPU: $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores; $(date -u +%Y-%m-%d); $runs alternating runs each"
echo
echo "| command | this build, median ms | other, median ms | ratio (this / other) |"
echo "| --- | --- | --- | --- |"
# bench_case NAME ARGS...: one table row, runs alternating between the builds.
# shellcheck disable=SC2016  # the backquotes are Markdown
bench_case() {
  local name=$1
  shift
  local cli
  for cli in "${clis[@]}"; do "$cli" "$@" >/dev/null; done  # warm
  local -a ours=() theirs=()
  for ((i = 0; i < runs; ++i)); do
    ours+=("$(time_ms "$ms" "$@")")
    [[ -n ${OTHER_CLI:-} ]] && theirs+=("$(time_ms "$OTHER_CLI" "$@")")
  done
  local m_ours m_theirs
  m_ours="$(median "${ours[@]}")"
  if [[ -n ${OTHER_CLI:-} ]]; then
    m_theirs="$(median "${theirs[@]}")"
    printf '| `%s` | %.1f | %.1f | %.2f |\n' "$name" "$m_ours" "$m_theirs" "$(echo "$m_ours / $m_theirs" | bc -l)"
  else
    printf '| `%s` | %.1f | - | - |\n' "$name" "$m_ours"
  fi
}
bench_case digest digest "$work/model"
bench_case "verify key" verify key "$work/model" --public-key "$work/key.pub" --signature "$work/model.sig"

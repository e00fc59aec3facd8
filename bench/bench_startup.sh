#!/usr/bin/env bash
# Start-up: how long `model_signing --version` and `verify key` on a
# two-file model take, warm, against a trivial C program (`int main(){}`)
# timed in the same invocation, with peak RSS. hyperfine, warm-up runs first.
#
#   bench/bench_startup.sh                    # the CLI of $BUILD_DIR (default ./build)
#   RUNS=200 bench/bench_startup.sh
#   OTHER_CLI=/path/to/older/model_signing bench/bench_startup.sh   # compare two builds
#                                            (also alternating runs: their median ratio)
#
# Run it under the shared CPU lock on a quiet machine (flock /tmp/ms-cpu.lock).
# Where the time goes: `LD_DEBUG=statistics model_signing --version`, and
# `perf record -g` over a loop of runs (see the README's Performance section).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${BUILD_DIR:-$root/build}"
runs="${RUNS:-100}"
cmake --build "$build" --target model_signing_cli >/dev/null
ms="$build/cli/model_signing"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir "$work/model"
echo '{"layers": 2}' >"$work/model/config.json"
head -c 1048576 /dev/urandom >"$work/model/weights.bin"
openssl ecparam -name prime256v1 -genkey -noout 2>/dev/null |
  openssl pkcs8 -topk8 -nocrypt -out "$work/key.pem"
openssl pkey -in "$work/key.pem" -pubout -out "$work/key.pub"
"$ms" sign key "$work/model" --private-key "$work/key.pem" --signature "$work/model.sig" >/dev/null
echo 'int main(void) { return 0; }' >"$work/trivial.c"
cc -O2 -o "$work/trivial" "$work/trivial.c"

verify=(verify key "$work/model" --public-key "$work/key.pub" --signature "$work/model.sig")
commands=(-n "trivial C program" "$work/trivial"
          -n "model_signing --version" "$ms --version"
          -n "model_signing verify key (two files)" "$ms ${verify[*]}")
if [[ -n ${OTHER_CLI:-} ]]; then
  commands+=(-n "other: --version" "$OTHER_CLI --version"
             -n "other: verify key (two files)" "$OTHER_CLI ${verify[*]}")
fi
hyperfine -N --warmup 20 --runs "$runs" --export-csv "$work/times.csv" "${commands[@]}" >/dev/null 2>&1

peak_rss() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1; }
echo "CPU: $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores; $(date -u +%Y-%m-%d); $runs runs each"
echo
echo "| command | mean ms | median ms | min ms | ratio to the trivial program (median) | peak RSS |"
echo "| --- | --- | --- | --- | --- | --- |"
# hyperfine's CSV: command,mean,stddev,median,user,system,min,max (seconds).
awk -F, 'NR == 2 { base = $4 }
  NR > 1 { printf "%s,%.2f,%.2f,%.2f,%.1f\n", $1, $2 * 1000, $4 * 1000, $7 * 1000, $4 / base }' \
  "$work/times.csv" >"$work/rows"
i=0
while IFS=, read -r name mean median min ratio; do
  case $i in
    0) rss="$(peak_rss "$work/trivial")" ;;
    1) rss="$(peak_rss "$ms" --version)" ;;
    2) rss="$(peak_rss "$ms" "${verify[@]}")" ;;
    3) rss="$(peak_rss "$OTHER_CLI" --version)" ;;
    4) rss="$(peak_rss "$OTHER_CLI" "${verify[@]}")" ;;
  esac
  echo "| $name | $mean | $median | $min | ${ratio}x | $((rss / 1024)) MiB |"
  i=$((i + 1))
done <"$work/rows"

# Two builds compared fairly: runs of `verify key` alternating between them
# (machine drift between hyperfine's back-to-back batches is larger than the
# difference on a VM), the median of each and their ratio.
if [[ -n ${OTHER_CLI:-} ]]; then
  declare -a ours theirs
  for ((i = 0; i < runs * 2; ++i)); do
    s=$EPOCHREALTIME; "$OTHER_CLI" "${verify[@]}" >/dev/null; e=$EPOCHREALTIME
    theirs+=("$(echo "($e - $s) * 1000" | bc -l)")
    s=$EPOCHREALTIME; "$ms" "${verify[@]}" >/dev/null; e=$EPOCHREALTIME
    ours+=("$(echo "($e - $s) * 1000" | bc -l)")
  done
  median() { printf '%s\n' "$@" | sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
  m_ours="$(median "${ours[@]}")"
  m_theirs="$(median "${theirs[@]}")"
  echo
  printf 'Alternating `verify key` runs (%d each): this build %.2f ms, other %.2f ms, ratio %.3f\n' \
    "$((runs * 2))" "$m_ours" "$m_theirs" "$(echo "$m_ours / $m_theirs" | bc -l)"
fi

#!/usr/bin/env bash
# Fuzzing with libFuzzer (clang-14, AddressSanitizer + UBSan), in build-fuzz/
# (or $FUZZ_BUILD_DIR):
#
#   scripts/fuzz.sh TARGET [SECONDS]  runs one target (default 600 s), keeping
#                                     its corpus in build-fuzz/corpus/TARGET/
#                                     across runs; extra libFuzzer flags may
#                                     follow (e.g. -jobs=2 -workers=2)
#   scripts/fuzz.sh --all SECONDS     runs every target SECONDS each, on every
#                                     core, from its seeds (what the test
#                                     command does); fails if any crashes
#   scripts/fuzz.sh --list            lists the targets
#
# Targets are fuzz/targets/*.cpp, seeds are generated into
# build-fuzz/fuzz/seeds/ from ../shared. A crash leaves its input in
# build-fuzz/crashes/; fix the bug, then copy the input into
# tests/fuzz/regressions/TARGET/ so the normal test suite replays it.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${FUZZ_BUILD_DIR:-$root/build-fuzz}"

# Configures the build dir the first time only: scripts/test.sh passes its
# own (FUZZ_BUILD_DIR=build-sanitize, which also holds the sanitized unit
# tests) and its configuration is kept.
build_fuzz() {
  if [[ ! -f "$build/CMakeCache.txt" ]]; then
    CC=clang-14 CXX=clang++-14 cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only -DNDEBUG" \
      -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only -DNDEBUG" \
      -DMS_FUZZ=ON -DMS_BUILD_TESTS=OFF -DMS_BUILD_BENCH=OFF -DMS_BUILD_EXAMPLES=OFF >/dev/null
  fi
  grep -q '^MS_FUZZ:BOOL=ON' "$build/CMakeCache.txt" ||
    { echo "$build is not configured with -DMS_FUZZ=ON" >&2; exit 2; }
  cmake --build "$build" --target fuzz_all
}

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

# run_target NAME SECONDS CORPUS_DIR [libFuzzer flags...]: the last status
# line goes to stdout; the whole log to $build/logs/NAME.log.
run_target() {
  local name="$1" seconds="$2" corpus="$3"
  shift 3
  local dict
  dict="$(awk -v t="$name" '$1 == t { print $2 }' "$build/fuzz/targets.txt")"
  mkdir -p "$corpus" "$build/crashes" "$build/logs"
  local flags=(-max_total_time="$seconds" -timeout=30 -rss_limit_mb=3072 -print_final_stats=1
               -artifact_prefix="$build/crashes/$name-")
  [[ -n "$dict" ]] && flags+=(-dict="$build/fuzz/dict/$dict.dict")
  local log="$build/logs/$name.log" status=0
  "$build/fuzz/fuzz_$name" "${flags[@]}" "$@" "$corpus" "$build/fuzz/seeds/$name" >"$log" 2>&1 || status=$?
  local last
  last="$(grep -E '^#[0-9]+' "$log" | tail -1 || true)"
  if ((status != 0)); then
    echo "fuzz_$name: FAILED (exit $status): $last"
    grep -E 'ERROR|SUMMARY|invariant|Test unit written' "$log" | head -5 | sed 's/^/  /'
    return 1
  fi
  echo "fuzz_$name: ${last:-no status line}"
}

case "${1:-}" in
  "" | -h | --help)
    sed -n '2,18p' "${BASH_SOURCE[0]}"
    exit 2
    ;;
  --list)
    build_fuzz >/dev/null
    cut -d' ' -f1 "$build/fuzz/targets.txt"
    ;;
  --all)
    seconds="${2:?usage: scripts/fuzz.sh --all SECONDS}"
    build_fuzz
    scratch="$(mktemp -d)"
    trap 'rm -rf "$scratch"' EXIT
    export -f run_target
    export build
    # Every target from a fresh corpus (its seeds are read, not written).
    cut -d' ' -f1 "$build/fuzz/targets.txt" |
      xargs -P "$(nproc)" -I{} bash -c 'run_target "$1" "$2" "$3/$1"' _ {} "$seconds" "$scratch"
    ;;
  *)
    target="$1"
    seconds="${2:-600}"
    shift $(($# >= 2 ? 2 : 1))
    build_fuzz
    grep -q "^$target\b" "$build/fuzz/targets.txt" || { echo "unknown fuzz target: $target" >&2; exit 2; }
    run_target "$target" "$seconds" "$build/corpus/$target" "$@"
    echo "corpus: $build/corpus/$target ($(ls "$build/corpus/$target" | wc -l) inputs); log: $build/logs/$target.log"
    ;;
esac

#!/usr/bin/env bash
# The three test stages behind `make check`:
#   1. build/       default compiler, RelWithDebInfo: all tests (unit, pair,
#                   vectors, interop)
#   2. build-asan/  clang, ASan+UBSan: unit/pair/vectors (no interop)
#   3. build-fuzz/  clang, libFuzzer: each fuzzer for MUTLS_FUZZ_SECONDS
#                   (default 20) over a copy of its seed corpus
# Every stage runs even if an earlier one failed. ctest output is kept in
# <builddir>/ctest.log. The last line is "N passed, N failed", summed over
# the three ctest runs; a stage whose configure or build fails counts as one
# failure. Exit status 0 only if everything passed.
set -uo pipefail
cd "$(dirname "$0")/.."

jobs=$(nproc 2>/dev/null || echo 2)
total_pass=0 total_fail=0 total_skip=0 ok=1
summary=()

export ASAN_OPTIONS="detect_leaks=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"

# stage <name> <builddir> <ctest args> -- <cmake configure args...>
# (environment for the configure step, e.g. CC, is passed by the caller)
stage() {
    local name=$1 dir=$2 ctest_args=$3
    shift 4
    echo "==== check stage: $name ($dir) ===="
    if ! cmake -S . -B "$dir" "$@" || ! cmake --build "$dir" -j"$jobs"; then
        echo "==== check stage: $name: configure/build FAILED ===="
        summary+=("$name: configure/build FAILED")
        total_fail=$((total_fail + 1)); ok=0
        return
    fi
    local log="$dir/ctest.log"
    # shellcheck disable=SC2086
    ctest --test-dir "$dir" --output-on-failure -j2 $ctest_args 2>&1 | tee "$log"
    local rc=${PIPESTATUS[0]}
    # "92% tests passed, 1 tests failed out of 12"; skipped tests count as
    # passed there, so they are taken out of the passed count here.
    local line failed=0 total=0 skipped
    line=$(grep -E '[0-9]+ tests failed out of [0-9]+' "$log" | tail -n1)
    if [ -n "$line" ]; then
        failed=$(sed -E 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\1/' <<<"$line")
        total=$(sed -E 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\2/' <<<"$line")
    fi
    skipped=$(grep -cE '^[[:space:]]+[0-9]+ - .* \(Skipped\)$' "$log" || true)
    local passed=$((total - failed - skipped))
    total_pass=$((total_pass + passed))
    total_fail=$((total_fail + failed))
    total_skip=$((total_skip + skipped))
    if [ "$rc" -ne 0 ] || [ "$failed" -ne 0 ]; then
        ok=0
        # ctest failed without a failed test (e.g. it could not run at all)
        if [ "$failed" -eq 0 ]; then total_fail=$((total_fail + 1)); failed="1 (ctest exit $rc)"; fi
    fi
    summary+=("$name: $passed passed, $failed failed, $skipped skipped (log: $log)")
}

stage default build "" -- \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo

CC=clang stage sanitize build-asan "" -- \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMUTLS_SANITIZE=ON

fuzz_args=()
[ -n "${MUTLS_FUZZ_SECONDS:-}" ] && fuzz_args+=(-DMUTLS_FUZZ_SECONDS="$MUTLS_FUZZ_SECONDS")
CC=clang stage fuzz build-fuzz "-L fuzz" -- \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMUTLS_FUZZ=ON "${fuzz_args[@]}"

echo "==== check summary ===="
for s in "${summary[@]}"; do echo "$s"; done
[ "$total_skip" -gt 0 ] && echo "($total_skip skipped, not counted as passed)"
echo "$total_pass passed, $total_fail failed"
[ "$ok" -eq 1 ]

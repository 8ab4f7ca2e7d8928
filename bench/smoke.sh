#!/usr/bin/env bash
# ctest "bench-smoke": mutls-bench runs one metric in --quick mode, exits 0
# and prints its table. It never asserts on timing.
# usage: smoke.sh path/to/mutls-bench
set -u
bench=$1
out=$("$bench" --quick --only bulk-aes128)
rc=$?
printf '%s\n' "$out"
if [ "$rc" -ne 0 ]; then
    echo "FAIL: mutls-bench exited with status $rc"
    exit 1
fi
if ! grep -Eq '^metric +mutls +openssl +ratio$' <<<"$out"; then
    echo "FAIL: no table header"
    exit 1
fi
if ! grep -Eq '^MB/s 16KiB writes TLS_AES_128_GCM_SHA256 ' <<<"$out"; then
    echo "FAIL: no result row"
    exit 1
fi
echo "ok: bench smoke"

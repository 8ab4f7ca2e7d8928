# Shared helpers for the tests/interop/*.sh scripts. Source it, do not run it:
#
#     . "$(dirname "$0")/lib/common.sh"
#
# (CMake registers tests/interop/*.sh only, so this subdirectory is not a
# test of its own.)
#
# Environment (set by CTest, defaults for running a script by hand from
# anywhere):
#   MUTLS             the mutls command      (default: <repo>/build/mutls)
#   MUTLS_TEST_CERTS  the test PKI           (default: <repo>/tests/certs)
#   IOP_KEEP=1        keep the scratch directory and say where it is
#   IOP_VERBOSE=1     print the details of passing cases too
#
# Conventions: one line per case, "ok - ..." or "not ok - ..." (followed by
# "#"-prefixed details on failure), a final "N passed, M failed" line, exit 0
# when nothing failed, 1 otherwise, 77 when a peer is not available. Servers
# listen on 127.0.0.1 port 0 (the port chosen is read back from their
# output), every client runs under `timeout`, and every background process
# is killed on exit.

set -u

IOP_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
MUTLS=${MUTLS:-$IOP_ROOT/build/mutls}
CERTS=${MUTLS_TEST_CERTS:-$IOP_ROOT/tests/certs}
IOP_NAME=$(basename "$0" .sh)
# Absolute paths: some cases run peers from another directory.
case $MUTLS in /*) ;; */*) MUTLS=$PWD/$MUTLS ;; esac
CERTS=$(cd "$CERTS" 2>/dev/null && pwd || echo "$CERTS")

IOP_PASS=0
IOP_FAIL=0
IOP_PIDS=()
IOP_TMP=$(mktemp -d "${TMPDIR:-/tmp}/mutls-$IOP_NAME.XXXXXX") || exit 1
IOP_START=$(date +%s.%N)

# Seconds a client may take for one short exchange, and the safety net for
# any background server (CTest's own timeout is 300 s).
IOP_CLIENT_TIMEOUT=${IOP_CLIENT_TIMEOUT:-20}
IOP_SERVER_TIMEOUT=${IOP_SERVER_TIMEOUT:-280}

iop_cleanup() {
    local pid
    trap - EXIT INT TERM
    for pid in "${IOP_PIDS[@]}"; do
        kill "$pid" 2>/dev/null
    done
    for pid in "${IOP_PIDS[@]}"; do
        wait "$pid" 2>/dev/null
    done
    if [ "${IOP_KEEP:-0}" = 1 ]; then
        echo "# scratch directory kept: $IOP_TMP"
    else
        rm -rf "$IOP_TMP"
    fi
}
trap iop_cleanup EXIT
trap 'echo "# interrupted"; exit 130' INT TERM

# ---- preconditions -------------------------------------------------------

iop_skip() {
    echo "skip: $*"
    exit 77
}

# The mutls command must exist: a missing build is a failure, not a skip.
iop_require_mutls() {
    if [ ! -x "$MUTLS" ]; then
        echo "not ok - mutls command not found at $MUTLS (build first, or set MUTLS)"
        echo "0 passed, 1 failed"
        exit 1
    fi
    if [ ! -r "$CERTS/ca.pem" ]; then
        echo "not ok - test certificates not found in $CERTS (set MUTLS_TEST_CERTS)"
        echo "0 passed, 1 failed"
        exit 1
    fi
}

iop_require_cmd() {
    local c
    for c in "$@"; do
        command -v "$c" >/dev/null 2>&1 || iop_skip "$c is not installed"
    done
}

# OpenSSL 3's command line (s_client / s_server options used here).
iop_require_openssl3() {
    iop_require_cmd openssl timeout
    case "$(openssl version 2>/dev/null)" in
        "OpenSSL 3."*) ;;
        *) iop_skip "needs OpenSSL 3 (have: $(openssl version 2>/dev/null))" ;;
    esac
}

# ---- results -------------------------------------------------------------

# A case collects reasons for failure; case_end prints one line for it.
#   case_begin "description"
#   expect_rc "$rc" 0 "s_client exit status"
#   expect_grep FILE 'regex' ; expect_no_grep FILE 'regex'
#   case_log FILE...      (shown, "#"-prefixed, when the case fails)
#   case_end
IOP_CASE=""
IOP_WHY=()
IOP_LOGS=()

case_begin() {
    IOP_CASE=$1
    IOP_WHY=()
    IOP_LOGS=()
}

fail_because() {
    IOP_WHY+=("$*")
}

case_log() {
    IOP_LOGS+=("$@")
}

expect_rc() { # ACTUAL EXPECTED WHAT
    [ "$1" = "$2" ] || fail_because "$3: exit status $1, expected $2"
}

expect_rc_not() { # ACTUAL UNEXPECTED WHAT
    [ "$1" != "$2" ] || fail_because "$3: exit status $1, expected anything else"
}

expect_grep() { # FILE ERE [WHAT]
    grep -Eq -- "$2" "$1" 2>/dev/null ||
        fail_because "${3:-$(basename "$1")}: no line matching /$2/"
}

expect_no_grep() { # FILE ERE [WHAT]
    if grep -Eq -- "$2" "$1" 2>/dev/null; then
        fail_because "${3:-$(basename "$1")}: unexpected line matching /$2/: $(grep -Em1 -- "$2" "$1")"
    fi
}

expect_same_file() { # A B WHAT
    if ! cmp -s "$1" "$2"; then
        fail_because "$3: $(basename "$1") ($(iop_size "$1") bytes, sha256 $(iop_sha "$1")) differs from $(basename "$2") ($(iop_size "$2") bytes, sha256 $(iop_sha "$2"))"
    fi
}

iop_size() { stat -c %s "$1" 2>/dev/null || echo 0; }
iop_sha() { sha256sum "$1" 2>/dev/null | cut -c1-16; }

iop_dump() { # FILE: at most 60 lines, "#"-prefixed
    local f=$1 n
    [ -e "$f" ] || { echo "#   --- $(basename "$f"): (missing)"; return; }
    n=$(wc -l <"$f")
    echo "#   --- $(basename "$f") ($n lines$([ "$n" -gt 60 ] && echo ", last 60"))"
    tail -n 60 "$f" | tr -d '\r' | cut -c1-300 | sed 's/^/#   | /'
}

case_end() {
    local w f
    if [ ${#IOP_WHY[@]} -eq 0 ]; then
        IOP_PASS=$((IOP_PASS + 1))
        echo "ok - $IOP_CASE"
        if [ "${IOP_VERBOSE:-0}" = 1 ]; then
            for f in "${IOP_LOGS[@]}"; do iop_dump "$f"; done
        fi
    else
        IOP_FAIL=$((IOP_FAIL + 1))
        echo "not ok - $IOP_CASE"
        for w in "${IOP_WHY[@]}"; do echo "#   $w"; done
        for f in "${IOP_LOGS[@]}"; do iop_dump "$f"; done
    fi
}

# A whole case that could not even be set up (server did not start, ...).
case_fail() { # DESCRIPTION REASON [LOG...]
    case_begin "$1"
    fail_because "$2"
    shift 2
    case_log "$@"
    case_end
}

iop_finish() {
    local secs
    secs=$(echo "$(date +%s.%N) $IOP_START" | awk '{printf "%.1f", $1 - $2}')
    echo "# $IOP_NAME: ${secs}s"
    echo "$IOP_PASS passed, $IOP_FAIL failed"
    [ "$IOP_FAIL" -eq 0 ]
    exit $?
}

# ---- processes -----------------------------------------------------------

# Remember a background process, to be killed on exit.
iop_track() {
    IOP_PIDS+=("$1")
}

# Wait for a tracked background process, forget it (so that cleanup never
# signals a reused PID) and return its exit status.
iop_reap() { # PID
    local p rc keep=()
    wait "$1" 2>/dev/null
    rc=$?
    for p in "${IOP_PIDS[@]}"; do
        [ "$p" = "$1" ] || keep+=("$p")
    done
    IOP_PIDS=("${keep[@]}")
    return $rc
}

# Kill one tracked background process now and reap it.
iop_stop() { # PID
    kill "$1" 2>/dev/null
    iop_reap "$1"
    return 0
}

# Wait up to SECS seconds for tracked background process PID to exit and
# return its exit status; kill it and return 124 if it does not.
iop_wait_exit() { # PID SECS
    local i=0 n
    n=$(awk -v s="$2" 'BEGIN {printf "%d", s * 20}')
    while [ "$i" -lt "$n" ] && kill -0 "$1" 2>/dev/null; do
        sleep 0.05
        i=$((i + 1))
    done
    if kill -0 "$1" 2>/dev/null; then
        iop_stop "$1"
        return 124
    fi
    iop_reap "$1"
}

# Wait until FILE has a line matching ERE; fail after SECS seconds or as
# soon as PID (if given) has exited.
wait_for_grep() { # FILE ERE SECS [PID]
    local file=$1 re=$2 secs=$3 pid=${4:-} i=0 n
    n=$(awk -v s="$secs" 'BEGIN {printf "%d", s * 20}')
    while [ "$i" -lt "$n" ]; do
        grep -Eq -- "$re" "$file" 2>/dev/null && return 0
        if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
            grep -Eq -- "$re" "$file" 2>/dev/null
            return
        fi
        sleep 0.05
        i=$((i + 1))
    done
    return 1
}

# Wait until FILE holds at least SIZE bytes (or SECS seconds pass).
wait_for_size() { # FILE SIZE SECS
    local i=0 n
    n=$(awk -v s="$3" 'BEGIN {printf "%d", s * 20}')
    while [ "$i" -lt "$n" ]; do
        [ "$(iop_size "$1")" -ge "$2" ] && return 0
        sleep 0.05
        i=$((i + 1))
    done
    return 1
}

# Start `mutls server --listen 127.0.0.1:0 ARGS...` in the background.
# Sets SRV_PID, SRV_PORT, SRV_LOG (its standard error: listening line,
# one line per connection, --trace) and SRV_OUT (its standard output).
# Returns 1 if it did not report a port within 10 s.
start_mutls_server() { # NAME ARGS...
    local name=$1
    shift
    SRV_LOG=$IOP_TMP/$name.server.log
    SRV_OUT=$IOP_TMP/$name.server.out
    SRV_PORT=""
    timeout "$IOP_SERVER_TIMEOUT" "$MUTLS" server --listen 127.0.0.1:0 "$@" \
        </dev/null >"$SRV_OUT" 2>"$SRV_LOG" &
    SRV_PID=$!
    iop_track "$SRV_PID"
    if ! wait_for_grep "$SRV_LOG" '^mutls server: listening on 127\.0\.0\.1:[0-9]+$' 10 "$SRV_PID"; then
        return 1
    fi
    SRV_PORT=$(sed -n 's/^mutls server: listening on 127\.0\.0\.1:\([0-9][0-9]*\)$/\1/p' "$SRV_LOG" | head -n1)
    [ -n "$SRV_PORT" ] && [ "$SRV_PORT" != 0 ]
}

# Start `openssl s_server -accept 127.0.0.1:0 ARGS...` in the background,
# standard input from STDIN (a file or fifo; s_server's default mode ends
# the connection at end of input, -www/-WWW/-rev never read it).
# Sets SRV_PID, SRV_PORT, SRV_LOG (standard output and error together).
start_openssl_server() { # NAME STDIN ARGS...
    local name=$1 in=$2
    shift 2
    SRV_LOG=$IOP_TMP/$name.s_server.log
    SRV_OUT=$SRV_LOG
    SRV_PORT=""
    timeout "$IOP_SERVER_TIMEOUT" openssl s_server -accept 127.0.0.1:0 "$@" \
        <"$in" >"$SRV_LOG" 2>&1 &
    SRV_PID=$!
    iop_track "$SRV_PID"
    if ! wait_for_grep "$SRV_LOG" '^ACCEPT 127\.0\.0\.1:[0-9]+$' 10 "$SRV_PID"; then
        return 1
    fi
    SRV_PORT=$(sed -n 's/^ACCEPT 127\.0\.0\.1:\([0-9][0-9]*\)$/\1/p' "$SRV_LOG" | head -n1)
    [ -n "$SRV_PORT" ] && [ "$SRV_PORT" != 0 ]
}

# ---- certificates and data -----------------------------------------------

# (Used by the scripts that source this file.)
# shellcheck disable=SC2034
{
# The six good server chains of tests/certs.
IOP_CERT_TYPES=(rsa2048 rsa4096 ecdsa-p256 ecdsa-p384 ed25519 rsa-pss)

# The TLS 1.3 suites and groups, IANA names, and OpenSSL's group names.
IOP_SUITES=(TLS_AES_128_GCM_SHA256 TLS_AES_256_GCM_SHA384 TLS_CHACHA20_POLY1305_SHA256)
IOP_GROUPS=(x25519 secp256r1 secp384r1)
}

openssl_group_name() { # IANA name -> s_client/s_server -groups name
    case "$1" in
        x25519) echo X25519 ;;
        secp256r1) echo P-256 ;;
        secp384r1) echo P-384 ;;
        *) echo "$1" ;;
    esac
}

# What s_client prints as "Server Temp Key" for a group.
openssl_temp_key() {
    case "$1" in
        x25519) echo "X25519, 253 bits" ;;
        secp256r1) echo "ECDH, prime256v1, 256 bits" ;;
        secp384r1) echo "ECDH, secp384r1, 384 bits" ;;
    esac
}

# What s_client prints as "Peer signature type" for a server chain, and the
# signature schemes mutls may use with it (ERE over IANA names).
openssl_sig_type() {
    case "$1" in
        rsa2048 | rsa4096 | rsa-pss) echo RSA-PSS ;;
        ecdsa-p256 | ecdsa-p384) echo ECDSA ;;
        ed25519) echo ed25519 ;;
    esac
}
tls_sig_schemes() {
    case "$1" in
        rsa2048 | rsa4096) echo 'rsa_pss_rsae_sha(256|384|512)' ;;
        rsa-pss) echo 'rsa_pss_pss_sha(256|384|512)' ;;
        ecdsa-p256) echo 'ecdsa_secp256r1_sha256' ;;
        ecdsa-p384) echo 'ecdsa_secp384r1_sha384' ;;
        ed25519) echo 'ed25519' ;;
    esac
}

# The leaf and the rest of a NAME.pem chain as separate files (openssl
# s_server -cert reads only the first certificate and -cert_chain sends
# every certificate of its file, so passing NAME.pem to both sends the leaf
# twice). Prints "LEAF CHAIN" paths.
split_chain() { # NAME
    local leaf=$IOP_TMP/$1.leaf.pem rest=$IOP_TMP/$1.chain.pem
    if [ ! -s "$leaf" ]; then
        awk '/-----BEGIN CERTIFICATE-----/ {n++} n == 1' "$CERTS/$1.pem" >"$leaf"
        awk '/-----BEGIN CERTIFICATE-----/ {n++} n >= 2' "$CERTS/$1.pem" >"$rest"
    fi
    echo "$leaf $rest"
}

# Random printable test data: about BYTES bytes of base64 lines of 76
# characters, each starting with 'x' (so no line is an s_client/s_server
# command or s_server -rev's "CLOSE").
make_text() { # FILE BYTES
    head -c "$(($2 * 3 / 4))" /dev/urandom | base64 -w 75 | sed 's/^/x/' >"$1"
}

# Write one line to file descriptor 8 (a fifo opened with `exec 8>FIFO`),
# without dying of SIGPIPE if the reader is gone.
fifo_put() { # LINE
    (trap '' PIPE; printf '%s\n' "$1" >&8) 2>/dev/null
}

# ---- TLS 1.2 ---------------------------------------------------------------
# (Helpers for tls12_openssl.sh, tls12_gnutls.sh and python_and_curl.sh.)

# shellcheck disable=SC2034
{
# The TLS 1.2 suites mutls implements, IANA names: ECDHE with an ECDSA or
# EdDSA certificate, ECDHE with an RSA certificate, and RSA key exchange
# (off unless named or --rsa-kex).
IOP_TLS12_ECDSA_SUITES=(
    TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384
    TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256
    TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA)
IOP_TLS12_RSA_SUITES=(
    TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384
    TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256
    TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA)
IOP_TLS12_RSAKEX_SUITES=(
    TLS_RSA_WITH_AES_128_GCM_SHA256 TLS_RSA_WITH_AES_256_GCM_SHA384
    TLS_RSA_WITH_AES_128_CBC_SHA TLS_RSA_WITH_AES_256_CBC_SHA)
# Server chains for each family (ed25519: EdDSA signatures in TLS 1.2 use
# the ECDHE_ECDSA suites, RFC 8422 section 5.1.1).
IOP_TLS12_ECDSA_CERTS=(ecdsa-p256 ecdsa-p384 ed25519)
IOP_TLS12_RSA_CERTS=(rsa2048 rsa2048-kex)
}

# IANA name of a TLS 1.2 suite -> OpenSSL's name (-cipher).
openssl_cipher_name() {
    local n=$1 kx enc
    case $n in
        TLS_ECDHE_ECDSA_WITH_*) kx=ECDHE-ECDSA- ;;
        TLS_ECDHE_RSA_WITH_*) kx=ECDHE-RSA- ;;
        TLS_RSA_WITH_*) kx= ;;
        *) echo "$n"; return ;;
    esac
    case ${n#*_WITH_} in
        AES_128_GCM_SHA256) enc=AES128-GCM-SHA256 ;;
        AES_256_GCM_SHA384) enc=AES256-GCM-SHA384 ;;
        CHACHA20_POLY1305_SHA256) enc=CHACHA20-POLY1305 ;;
        AES_128_CBC_SHA) enc=AES128-SHA ;;
        AES_256_CBC_SHA) enc=AES256-SHA ;;
        *) enc=${n#*_WITH_} ;;
    esac
    echo "$kx$enc"
}

# yes for a CBC (MAC-then-encrypt or encrypt-then-MAC) suite, no for AEAD.
tls12_is_cbc() {
    case $1 in *_CBC_*) echo yes ;; *) echo no ;; esac
}

# The TCP port that PID, or a child of PID (a peer run under `timeout`),
# listens on; IPv4 first. Prints nothing if there is none (yet).
iop_listen_port() { # PID
    local p f l inodes
    for p in "$1" $(cat /proc/"$1"/task/*/children 2>/dev/null); do
        inodes=""
        for f in /proc/"$p"/fd/*; do
            l=$(readlink "$f" 2>/dev/null) || continue
            case $l in socket:\[*\]) l=${l#socket:[}; inodes="$inodes ${l%]}" ;; esac
        done
        [ -n "$inodes" ] || continue
        awk -v inodes="$inodes" '
            BEGIN { n = split(inodes, a, " "); for (i = 1; i <= n; i++) want[a[i]] = 1 }
            FNR > 1 && $4 == "0A" && ($10 in want) { split($2, la, ":"); print la[2]; exit }' \
            /proc/net/tcp /proc/net/tcp6 2>/dev/null |
            while read -r h; do echo $((16#$h)); done
        return 0
    done
}

# Start `gnutls-serv -p 0 ARGS...` in the background (it listens on every
# address, IPv4 and IPv6 on different ports, and prints "port 0": the
# IPv4 port is read from /proc). Connect to 127.0.0.1:SRV_PORT.
# Sets SRV_PID, SRV_PORT, SRV_LOG (standard output and error together:
# one block per connection with its "- Version:", "- Cipher:", "- Options:"
# lines). Returns 1 if it is not listening within 10 s.
start_gnutls_server() { # NAME ARGS...
    local name=$1 i=0
    shift
    SRV_LOG=$IOP_TMP/$name.gnutls-serv.log
    SRV_OUT=$SRV_LOG
    SRV_PORT=""
    timeout "$IOP_SERVER_TIMEOUT" gnutls-serv -p 0 "$@" </dev/null >"$SRV_LOG" 2>&1 &
    SRV_PID=$!
    iop_track "$SRV_PID"
    wait_for_grep "$SRV_LOG" 'listening on IPv4 .*done' 10 "$SRV_PID" || return 1
    while [ "$i" -lt 100 ]; do
        SRV_PORT=$(iop_listen_port "$SRV_PID")
        [ -n "$SRV_PORT" ] && [ "$SRV_PORT" != 0 ] && return 0
        kill -0 "$SRV_PID" 2>/dev/null || return 1
        sleep 0.05
        i=$((i + 1))
    done
    return 1
}

# The RSA server leaves used for ECDHE have keyUsage digitalSignature only;
# RSA key exchange needs keyEncipherment (RFC 5246 section 7.4.2), which
# the committed tests/certs/server-rsa2048-kex has. Prints its path without
# extension (NAME.pem, NAME.key).
make_rsa_kex_cert() { # [NAME] (kept for callers; the name is ignored)
    echo "$CERTS/server-rsa2048-kex"
}

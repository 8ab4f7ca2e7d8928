#!/usr/bin/env bash
# --keylog against Wireshark: capture loopback traffic of
#   1. mutls client --keylog  <-> openssl s_server -www,
#   2. openssl s_client       <-> mutls server --www --keylog,
#   3. mutls client --keylog --key-update <-> openssl s_server -rev,
# then check that the key log holds the same secrets as OpenSSL's own
# (-keylogfile) and that tshark decrypts the application data with it
# (`tshark -o tls.keylog_file:...`), and cannot without it.
#
# Needs tshark and a capture tool (dumpcap or tcpdump) allowed to capture
# on lo (root, or the capabilities); exit 77 otherwise.
# shellcheck source=tests/interop/lib/common.sh
. "$(dirname "$0")/lib/common.sh"

iop_require_openssl3
iop_require_mutls
iop_require_cmd tshark
# IOP_CAPTURE=dumpcap|tcpdump picks one; by default dumpcap if present.
if [ -n "${IOP_CAPTURE:-}" ]; then
    CAPTURE=$IOP_CAPTURE
    iop_require_cmd "$CAPTURE"
elif command -v dumpcap >/dev/null 2>&1; then
    CAPTURE=dumpcap
elif command -v tcpdump >/dev/null 2>&1; then
    CAPTURE=tcpdump
else
    iop_skip "neither dumpcap nor tcpdump is installed"
fi

CA=$CERTS/ca.pem
T=$IOP_TMP
# tshark writes its settings under $HOME; keep it out of the real one.
export HOME=$T/home
mkdir -p "$HOME"

tshark_q() { # tshark ARGS... (no "Running as root" chatter)
    timeout 60 tshark "$@" 2>/dev/null
}

# The TLS 1.3 key log lines (without comments), sorted. OpenSSL 3.0 also
# logs the secrets after a KeyUpdate, with the non-standard labels
# CLIENT_TRAFFIC_SECRET_N / SERVER_TRAFFIC_SECRET_N; mutls does not (the
# key log format defines only *_0, and Wireshark derives the later ones).
keylog_lines() {
    grep -v -e '^#' -e '^$' -e '^[A-Z]*_TRAFFIC_SECRET_N ' "$1" 2>/dev/null | sort
}

# ---- servers ----------------------------------------------------------------

read -r LEAF CHAIN < <(split_chain server-ecdsa-p256)
S_ARGS=(-tls1_3 -cert "$LEAF" -cert_chain "$CHAIN" -key "$CERTS/server-ecdsa-p256.key")

start_openssl_server www /dev/null "${S_ARGS[@]}" -www -keylogfile "$T/s1.keys" ||
    { case_fail "s_server -www starts" "no ACCEPT line" "$SRV_LOG"; iop_finish; }
P1=$SRV_PORT
start_mutls_server www --cert "$CERTS/server-ecdsa-p256.pem" \
    --key "$CERTS/server-ecdsa-p256.key" --www --keylog "$T/m2.keys" ||
    { case_fail "mutls server --www --keylog starts" "no 'listening on' line" "$SRV_LOG"; iop_finish; }
P2=$SRV_PORT M2_LOG=$SRV_LOG
start_openssl_server rev /dev/null "${S_ARGS[@]}" -rev -keylogfile "$T/s3.keys" ||
    { case_fail "s_server -rev starts" "no ACCEPT line" "$SRV_LOG"; iop_finish; }
P3=$SRV_PORT

# ---- capture ----------------------------------------------------------------

FILTER="tcp port $P1 or tcp port $P2 or tcp port $P3"
CAP=$T/cap.pcapng
if [ "$CAPTURE" = dumpcap ]; then
    timeout 120 dumpcap -q -i lo -f "$FILTER" -w "$CAP" -a duration:100 >"$T/capture.log" 2>&1 &
    ready='^Capturing on'
else
    timeout 120 tcpdump -i lo -U --immediate-mode -w "$CAP" "$FILTER" >"$T/capture.log" 2>&1 &
    ready='listening on'
fi
CAP_PID=$!
iop_track "$CAP_PID"
if ! wait_for_grep "$T/capture.log" "$ready" 10 "$CAP_PID"; then
    cat "$T/capture.log"
    iop_skip "cannot capture on lo with $CAPTURE (not root?)"
fi
# The capture may start a moment after the message.
sleep 0.3

# 1. mutls client -> s_server -www
timeout "$IOP_CLIENT_TIMEOUT" "$MUTLS" client "localhost:$P1" --ca "$CA" \
    --ciphers TLS_AES_256_GCM_SHA384 --keylog "$T/m1.keys" --get / \
    </dev/null >"$T/c1.out" 2>"$T/c1.err"
RC1=$?
# 2. s_client -> mutls server --www
printf 'GET /s_client HTTP/1.0\r\n\r\n' |
    timeout "$IOP_CLIENT_TIMEOUT" openssl s_client -connect "127.0.0.1:$P2" \
        -servername localhost -CAfile "$CA" -verify_return_error -ign_eof \
        -ciphersuites TLS_CHACHA20_POLY1305_SHA256 -keylogfile "$T/s2.keys" \
        >"$T/c2.out" 2>&1
RC2=$?
# 3. mutls client --key-update -> s_server -rev
printf 'hello after the key update\n' |
    timeout "$IOP_CLIENT_TIMEOUT" "$MUTLS" client "localhost:$P3" --ca "$CA" \
        --key-update --trace --keylog "$T/m3.keys" >"$T/c3.out" 2>"$T/c3.err"
RC3=$?

sleep 0.3
kill -INT "$CAP_PID" 2>/dev/null
iop_reap "$CAP_PID"

case_begin "capture: $CAPTURE on lo saw the three connections"
for p in $P1 $P2 $P3; do
    n=$(tshark_q -r "$CAP" -Y "tcp.port == $p && tcp.flags.syn == 1 && tcp.flags.ack == 0" | wc -l)
    [ "$n" = 1 ] || fail_because "port $p: $n connections captured, expected 1"
done
case_log "$T/capture.log"
case_end

# ---- checks -------------------------------------------------------------------

# check_session PORT RC KEYLOG OPENSSL-KEYLOG WHAT CLIENT-ERR DECRYPTED-ERE
check_session() {
    local n port=$1 rc=$2 keys=$3 okeys=$4 what=$5 cerr=$6 want=$7 stream label
    case_begin "$what: session completes, key log has the 5 TLS 1.3 secrets"
    expect_rc "$rc" 0 "client"
    for label in CLIENT_HANDSHAKE_TRAFFIC_SECRET SERVER_HANDSHAKE_TRAFFIC_SECRET \
        CLIENT_TRAFFIC_SECRET_0 SERVER_TRAFFIC_SECRET_0 EXPORTER_SECRET; do
        n=$(grep -Ec "^$label [0-9a-f]{64} ([0-9a-f]{64}|[0-9a-f]{96})\$" "$keys" 2>/dev/null)
        [ "$n" = 1 ] || fail_because "$(basename "$keys"): $n well-formed $label lines, expected 1"
    done
    n=$(keylog_lines "$keys" | wc -l)
    [ "$n" = 5 ] || fail_because "$(basename "$keys"): $n lines, expected 5"
    case_log "$cerr" "$keys"
    case_end

    case_begin "$what: key log holds the same secrets as OpenSSL's -keylogfile"
    if [ "$(keylog_lines "$keys")" != "$(keylog_lines "$okeys")" ]; then
        fail_because "the secrets differ"
    fi
    case_log "$keys" "$okeys"
    case_end

    stream=$(tshark_q -r "$CAP" -Y "tcp.port == $port" -T fields -e tcp.stream | head -n1)
    tshark_q -r "$CAP" -o "tls.keylog_file:$keys" -q -z "follow,tls,ascii,${stream:-0}" \
        >"$T/follow-$port.txt"
    tshark_q -r "$CAP" -o "tls.keylog_file:$keys" -Y "tcp.port == $port" -V \
        >"$T/decoded-$port.txt"
    case_begin "$what: tshark decrypts the handshake and the application data with the key log"
    [ -n "$stream" ] || fail_because "no TCP stream on port $port in the capture"
    expect_grep "$T/decoded-$port.txt" 'Handshake Type: Certificate \(11\)' "tshark -V (Certificate)"
    expect_grep "$T/decoded-$port.txt" 'Handshake Type: Finished \(20\)' "tshark -V (Finished)"
    expect_grep "$T/follow-$port.txt" "$want" "tshark -z follow,tls"
    case_log "$T/follow-$port.txt"
    case_end
}

check_session "$P1" "$RC1" "$T/m1.keys" "$T/s1.keys" \
    "mutls client --keylog -> s_server -www" "$T/c1.err" '^New, TLSv1\.3, Cipher is TLS_AES_256_GCM_SHA384'
case_begin "mutls client --keylog -> s_server -www: tshark -Y http shows the request"
tshark_q -r "$CAP" -o "tls.keylog_file:$T/m1.keys" -Y "tcp.port == $P1 && http" >"$T/http1.txt"
expect_grep "$T/http1.txt" 'GET / HTTP/1\.0' "tshark -Y http"
case_log "$T/http1.txt"
case_end
case_begin "mutls client -> s_server -www: without the key log tshark sees no HTTP"
tshark_q -r "$CAP" -Y "tcp.port == $P1 && http" >"$T/http1-nokeys.txt"
expect_no_grep "$T/http1-nokeys.txt" 'HTTP' "tshark -Y http"
case_end

check_session "$P2" "$RC2" "$T/m2.keys" "$T/s2.keys" \
    "s_client -> mutls server --www --keylog" "$T/c2.out" '^cipher: TLS_CHACHA20_POLY1305_SHA256$'
case_begin "s_client -> mutls server --www --keylog: tshark -Y http shows the request"
tshark_q -r "$CAP" -o "tls.keylog_file:$T/m2.keys" -Y "tcp.port == $P2 && http" >"$T/http2.txt"
expect_grep "$T/http2.txt" 'GET /s_client HTTP/1\.0' "tshark -Y http"
case_log "$T/http2.txt" "$M2_LOG"
case_end

check_session "$P3" "$RC3" "$T/m3.keys" "$T/s3.keys" \
    "mutls client --keylog --key-update -> s_server -rev" "$T/c3.err" '^etadpu yek eht retfa olleh$'
case_begin "mutls client --key-update: the KeyUpdate happened and data after it decrypts"
expect_grep "$T/c3.err" 'KeyUpdate -+> +server +update_requested' "client --trace"
expect_grep "$T/c3.err" '<-+ KeyUpdate +server' "client --trace"
expect_grep "$T/c3.out" '^etadpu yek eht retfa olleh$' "client output"
expect_grep "$T/follow-$P3.txt" '^hello after the key update$' "tshark -z follow,tls (client data)"
case_log "$T/c3.err" "$T/follow-$P3.txt"
case_end

iop_finish

#!/usr/bin/env bash
# Session resumption, 0-RTT and False Start between mutls and OpenSSL 3,
# GnuTLS and itself (docs/resumption.md).
#
#  - openssl s_client -sess_out / -sess_in -> mutls server --www: TLS 1.3
#    tickets, TLS 1.2 tickets and TLS 1.2 session IDs (-no_ticket): the
#    second connection is "Reused" and the page says resumed: yes;
#  - s_client -sess_in -early_data -> mutls server --early-data 16384:
#    "Early data was accepted", the page says early_data: accepted and
#    request_early: yes, the log "early data accepted (35 bytes)"; against
#    a server without --early-data: "Early data was rejected", the
#    handshake still succeeds (resumed, early_data: rejected);
#  - mutls client --sess-out (0600) then --sess-in --early-data ... --get
#    -> mutls server --early-data: the request is the early data
#    (early_data: accepted, request_early: yes, --trace: EarlyData before
#    ServerHello, EndOfEarlyData, "0 round trips before the first byte");
#    the same session again (a replay): early data rejected by the server's
#    anti-replay, sent again after the handshake, the page still served;
#    after a HelloRetryRequest: rejected, sent again; a session that does
#    not allow early data: sent after the handshake; resumption with TLS 1.3
#    and TLS 1.2 ("resumed, 1 round trip");
#  - mutual TLS, both versions: a resumed session keeps the client's
#    identity on the server and the server's on the client;
#  - mutls client --sess-in --early-data FILE -> openssl s_server
#    -early_data (TLS 1.3): s_server prints the early data;
#  - gnutls-cli --resume (TLS 1.3 and TLS 1.2) -> mutls server: "This is a
#    resumed session"; gnutls-cli --resume --earlydata -> mutls server
#    --early-data: early_data: accepted;
#  - mutls client --false-start --tls-max 1.2 -> s_server -tls1_2 -www: the
#    request goes before the server's Finished (--trace: FalseStart and
#    ApplicationData before "<- Finished"), 1 round trip before the first
#    byte (2 without --false-start); not with a CBC suite;
#  - --sess-in refuses a tampered file, a file that is not a session, a
#    missing file, an expired session and a session for another server
#    name, each with a clear message and exit status 1;
#  - ticket keys: a server restarted with new random keys does a full
#    handshake; two servers sharing a --ticket-key-file resume each other's
#    tickets; after SIGHUP with a file that drops the old key, old sessions
#    are not resumed; a refused file keeps the keys in use.
#
# Exit 0 if every case passed, 1 otherwise, 77 without OpenSSL 3.
# shellcheck source=tests/interop/lib/common.sh
. "$(dirname "$0")/lib/common.sh"

iop_require_openssl3
iop_require_mutls

CA=$CERTS/ca.pem
T=$IOP_TMP
printf 'GET / HTTP/1.0\r\nHost: localhost\r\n\r\n' >"$T/get.req" # 35 bytes
SCERT=(--cert "$CERTS/server-ecdsa-p256.pem" --key "$CERTS/server-ecdsa-p256.key")
HAVE_GNUTLS=0
command -v gnutls-cli >/dev/null 2>&1 && HAVE_GNUTLS=1

# ---- helpers ---------------------------------------------------------------

# s_client_get PORT OUT ARGS...: a verifying s_client sending an HTTP GET
# (standard input) and reading until the server closes.
s_client_get() {
    local port=$1 out=$2
    shift 2
    timeout "$IOP_CLIENT_TIMEOUT" openssl s_client -connect "127.0.0.1:$port" \
        -servername localhost -CAfile "$CA" -verify_return_error \
        -verify_hostname localhost -ign_eof "$@" <"$T/get.req" >"$out" 2>&1
}

# The same with nothing on standard input (the request goes as early data).
s_client_early() {
    local port=$1 out=$2
    shift 2
    timeout "$IOP_CLIENT_TIMEOUT" openssl s_client -connect "127.0.0.1:$port" \
        -servername localhost -CAfile "$CA" -verify_return_error \
        -verify_hostname localhost -ign_eof "$@" </dev/null >"$out" 2>&1
}

mutls_client() { # OUT ERR HOST:PORT ARGS...
    local out=$1 err=$2 target=$3
    shift 3
    timeout "$IOP_CLIENT_TIMEOUT" "$MUTLS" client "$target" "$@" \
        </dev/null >"$out" 2>"$err"
}

gnutls_get() { # PORT OUT ARGS...
    local port=$1 out=$2
    shift 2
    timeout "$IOP_CLIENT_TIMEOUT" gnutls-cli -p "$port" 127.0.0.1 \
        --sni-hostname localhost --verify-hostname localhost --x509cafile "$CA" \
        "$@" <"$T/get.req" >"$out" 2>&1
}

# openssl s_server with server-ecdsa-p256 (leaf and chain apart).
start_s_server() { # TAG STDIN ARGS...
    local tag=$1 in=$2 leaf chain
    shift 2
    read -r leaf chain < <(split_chain server-ecdsa-p256)
    start_openssl_server "$tag" "$in" -cert "$leaf" -key "$CERTS/server-ecdsa-p256.key" \
        -cert_chain "$chain" "$@"
}

# The mutls process of a server started under `timeout` (GNU timeout
# passes on only the first SIGHUP it gets).
mutls_pid() { # PID
    local c
    c=$(cat /proc/"$1"/task/*/children 2>/dev/null | awk '{print $1; exit}')
    echo "${c:-$1}"
}

# Line number of the first line of FILE matching ERE (9999 if none).
line_of() { # FILE ERE
    local n
    n=$(grep -En -- "$2" "$1" 2>/dev/null | head -n1 | cut -d: -f1)
    echo "${n:-9999}"
}

# A ticket key file with one key valid from a minute ago for a day.
new_key_file() { # FILE
    local now
    now=$(date +%s)
    printf '%s %s %s %s\n' "$(openssl rand -hex 16)" "$(openssl rand -hex 32)" \
        "$((now - 60))" "$((now + 86400))" >"$1"
    chmod 600 "$1"
}

# ---- openssl s_client -> mutls server --www ---------------------------------

if start_mutls_server www "${SCERT[@]}" --www --trace; then
    for v in 1.3 1.2 1.2-id; do
        case $v in
            1.3) opts=(); label="TLS 1.3 ticket" ;;
            1.2) opts=(-tls1_2); label="TLS 1.2 ticket" ;;
            1.2-id) opts=(-tls1_2 -no_ticket); label="TLS 1.2 session ID" ;;
        esac
        pv=${v%-id}
        sess=$T/sc-$v.sess out1=$T/sc-$v-1.out out2=$T/sc-$v-2.out
        case_begin "s_client -sess_out/-sess_in -> mutls server --www: $label resumed"
        s_client_get "$SRV_PORT" "$out1" "${opts[@]}" -sess_out "$sess"
        expect_rc $? 0 "s_client (first)"
        expect_grep "$out1" "^New, TLSv$pv, " "s_client (first)"
        expect_grep "$out1" '^resumed: no$' "--www page (first)"
        s_client_get "$SRV_PORT" "$out2" "${opts[@]}" -sess_in "$sess"
        expect_rc $? 0 "s_client (second)"
        expect_grep "$out2" "^Reused, TLSv$pv, " "s_client (second)"
        expect_grep "$out2" '^resumed: yes$' "--www page (second)"
        expect_grep "$out2" "^protocol: TLSv$pv\$" "--www protocol"
        case_log "$out1" "$out2"
        case_end
    done
    wait_for_grep "$SRV_LOG" 'resumed$' 5
    case_begin "mutls server log and --trace mark resumed connections"
    expect_grep "$SRV_LOG" '^mutls server: 127\.0\.0\.1:[0-9]+: TLSv1\.3 .* alpn=-, resumed$' "server log (TLS 1.3)"
    expect_grep "$SRV_LOG" '^mutls server: 127\.0\.0\.1:[0-9]+: TLSv1\.2 .* alpn=-, resumed$' "server log (TLS 1.2)"
    expect_grep "$SRV_LOG" '^#2 handshake complete: TLSv1\.3 .*, resumed, 1 round trip, ' "server --trace summary"
    expect_grep "$SRV_LOG" '^#2 .*<-+ ServerHello +server +.*resumed \(PSK\)$' "server --trace ServerHello"
    case_log "$SRV_LOG"
    case_end

    # mutls client itself, both versions.
    for v in 1.3 1.2; do
        sess=$T/mc-$v.sess out1=$T/mc-$v-1.out err1=$T/mc-$v-1.err out2=$T/mc-$v-2.out err2=$T/mc-$v-2.err
        case_begin "mutls client --tls-max $v --sess-out, then --sess-in -> mutls server: resumed, 1 round trip"
        mutls_client "$out1" "$err1" "localhost:$SRV_PORT" --ca "$CA" --tls-max "$v" --get / --sess-out "$sess"
        expect_rc $? 0 "mutls client (first)"
        [ "$(stat -c %a "$sess" 2>/dev/null)" = 600 ] || fail_because "--sess-out file mode is $(stat -c %a "$sess" 2>/dev/null), expected 600"
        mutls_client "$out2" "$err2" "localhost:$SRV_PORT" --ca "$CA" --tls-max "$v" --get / --sess-in "$sess" --trace
        expect_rc $? 0 "mutls client (second)"
        expect_grep "$out2" '^resumed: yes$' "--www page"
        expect_grep "$out2" "^protocol: TLSv$v\$" "--www protocol"
        expect_grep "$err2" "^mutls: connected to localhost:$SRV_PORT: TLSv$v .*, resumed\$" "summary line"
        expect_grep "$err2" "^handshake complete: TLSv$v .*, resumed, 1 round trip, .*, 1 round trip before the first byte of application data\$" "--trace summary"
        expect_no_grep "$err2" '<-+ Certificate ' "--trace (no certificate when resuming)"
        case_log "$err1" "$err2" "$out2"
        case_end
    done

    # Session files that cannot be used.
    sess=$T/mc-1.3.sess
    cp "$sess" "$T/tampered.sess"
    printf '\x55' | dd of="$T/tampered.sess" bs=1 seek=40 conv=notrunc 2>/dev/null
    cmp -s "$sess" "$T/tampered.sess" && printf '\xaa' | dd of="$T/tampered.sess" bs=1 seek=40 conv=notrunc 2>/dev/null
    head -c 200 /dev/urandom >"$T/random.sess"
    for c in "tampered file:tampered.sess:localhost:is corrupt or was tampered with \(its SHA-256 check" \
        "file that is not a session:random.sess:localhost:is not a mutls session file" \
        "missing file:missing.sess:localhost:cannot read .*missing\.sess: No such file or directory" \
        "session for another server name:mc-1.3.sess:127.0.0.1:the session was made for server name 'localhost', not '127\.0\.0\.1'"; do
        IFS=: read -r what file host re <<<"$c"
        out=$T/bad-${file%.sess}.out err=$T/bad-${file%.sess}.err
        case_begin "mutls client --sess-in refuses a $what"
        mutls_client "$out" "$err" "$host:$SRV_PORT" --ca "$CA" --get / --sess-in "$T/$file"
        expect_rc $? 1 "mutls client"
        expect_grep "$err" "^mutls client: --sess-in: .*$re" "error message"
        expect_no_grep "$err" '^mutls: connected' "client (no connection)"
        case_log "$err"
        case_end
    done

    # A session without 0-RTT: --early-data goes after the handshake.
    out=$T/no0rtt.out err=$T/no0rtt.err
    case_begin "mutls client --early-data with a session that does not allow it: sent after the handshake"
    mutls_client "$out" "$err" "localhost:$SRV_PORT" --ca "$CA" --get / --sess-in "$T/mc-1.3.sess" --early-data /dev/null
    expect_rc $? 0 "mutls client"
    expect_grep "$err" 'the session does not allow early data .* sending the data without 0-RTT$' "client message"
    expect_grep "$out" '^early_data: none$' "--www early_data"
    expect_grep "$out" '^resumed: yes$' "--www resumed"
    case_log "$err" "$out"
    case_end
    iop_stop "$SRV_PID"
else
    case_fail "mutls server --www starts" "no 'listening on' line" "$SRV_LOG"
fi

# Mutual TLS: the session keeps both identities, and the server checks the
# client certificate again before it resumes.
if start_mutls_server mtls "${SCERT[@]}" --www --client-ca "$CERTS/client-ca.pem" --verify-client require --trace; then
    for v in 1.3 1.2; do
        sess=$T/mtls-$v.sess out1=$T/mtls-$v-1.out err1=$T/mtls-$v-1.err out2=$T/mtls-$v-2.out err2=$T/mtls-$v-2.err
        case_begin "mutls client --cert --tls-max $v -> mutls server --verify-client require: resumed, both identities kept"
        mutls_client "$out1" "$err1" "localhost:$SRV_PORT" --ca "$CA" --tls-max "$v" --get / --sess-out "$sess" \
            --cert "$CERTS/client-alice.pem" --key "$CERTS/client-alice.key"
        expect_rc $? 0 "mutls client (first)"
        mutls_client "$out2" "$err2" "localhost:$SRV_PORT" --ca "$CA" --tls-max "$v" --get / --sess-in "$sess" \
            --cert "$CERTS/client-alice.pem" --key "$CERTS/client-alice.key"
        expect_rc $? 0 "mutls client (second)"
        expect_grep "$out2" '^resumed: yes$' "--www resumed"
        expect_grep "$out2" '^client_subject: CN=alice,' "--www client_subject (the identity of the session)"
        expect_grep "$out2" '^client_verified: yes$' "--www client_verified"
        expect_grep "$err2" "^mutls: connected to .*, server certificate CN=localhost \\(issuer .*\\) verified, resumed\$" "summary line (the server's identity of the session)"
        case_log "$err2" "$out2" "$SRV_LOG"
        case_end
    done
    iop_stop "$SRV_PID"
fi

# An expired session: its lifetime runs out while the 0-RTT cases run.
EXPIRED_READY=0
if start_mutls_server short "${SCERT[@]}" --www --ticket-lifetime 1; then
    mutls_client "$T/short.out" "$T/short.err" "localhost:$SRV_PORT" --ca "$CA" --get / --sess-out "$T/short.sess" &&
        EXPIRED_READY=1
    iop_stop "$SRV_PID"
fi

# ---- 0-RTT: mutls server --early-data ----------------------------------------

# The 0-RTT server shares its ticket keys with one that refuses early data
# (below): tickets that allow early data then meet a server that rejects it.
KEYS0=$T/early.keys
new_key_file "$KEYS0"
EARLY_PID="" EARLY_PORT=""
if start_mutls_server early "${SCERT[@]}" --www --early-data 16384 --trace --ticket-key-file "$KEYS0"; then
    EARLY_PID=$SRV_PID EARLY_PORT=$SRV_PORT
    sess=$T/sc-early.sess out1=$T/sc-early-1.out out2=$T/sc-early-2.out
    case_begin "s_client -sess_in -early_data -> mutls server --early-data 16384: accepted, request_early: yes"
    s_client_get "$SRV_PORT" "$out1" -sess_out "$sess"
    expect_rc $? 0 "s_client (first)"
    s_client_early "$SRV_PORT" "$out2" -sess_in "$sess" -early_data "$T/get.req"
    expect_rc $? 0 "s_client (second)"
    expect_grep "$out2" '^Reused, TLSv1\.3, ' "s_client"
    expect_grep "$out2" '^Early data was accepted$' "s_client"
    expect_grep "$out2" '^early_data: accepted$' "--www early_data"
    expect_grep "$out2" '^request_early: yes$' "--www request_early"
    wait_for_grep "$SRV_LOG" 'early data accepted \(35 bytes\)$' 5
    expect_grep "$SRV_LOG" '^mutls server: 127\.0\.0\.1:[0-9]+: TLSv1\.3 .*, resumed, early data accepted \(35 bytes\)$' "server log"
    expect_grep "$SRV_LOG" '^#2 .*EndOfEarlyData -+> +server +35 bytes of early data accepted$' "server --trace"
    expect_grep "$SRV_LOG" '^#2 handshake complete: .*, resumed, 1 round trip, .*, early data accepted \(35 bytes\)$' "server --trace summary"
    case_log "$out2" "$SRV_LOG"
    case_end

    sess=$T/mc-early.sess out1=$T/mc-early-1.out err1=$T/mc-early-1.err
    out2=$T/mc-early-2.out err2=$T/mc-early-2.err out3=$T/mc-early-3.out err3=$T/mc-early-3.err
    case_begin "mutls client --sess-in --early-data /dev/null --get -> mutls server --early-data: the GET is early data, 0 round trips"
    mutls_client "$out1" "$err1" "localhost:$SRV_PORT" --ca "$CA" --get / --sess-out "$sess"
    expect_rc $? 0 "mutls client (first)"
    mutls_client "$out2" "$err2" "localhost:$SRV_PORT" --ca "$CA" --get / --sess-in "$sess" --early-data /dev/null --trace
    expect_rc $? 0 "mutls client (second)"
    expect_grep "$out2" '^early_data: accepted$' "--www early_data"
    expect_grep "$out2" '^request_early: yes$' "--www request_early"
    expect_grep "$out2" '^resumed: yes$' "--www resumed"
    expect_grep "$err2" 'ClientHello -+> +server +.*psk=resuming early_data ' "--trace ClientHello"
    expect_grep "$err2" '^\[.*\]  client  EarlyData -+> +server +35 bytes of early data \(0-RTT\), with the ClientHello$' "--trace EarlyData"
    [ "$(line_of "$err2" 'EarlyData -+>')" -lt "$(line_of "$err2" '<-+ ServerHello')" ] ||
        fail_because "--trace: EarlyData is not before ServerHello"
    expect_grep "$err2" '<-+ EncryptedExtensions +server +.*early_data=accepted' "--trace EncryptedExtensions"
    expect_grep "$err2" 'EndOfEarlyData -+> +server' "--trace EndOfEarlyData"
    expect_grep "$err2" '^handshake complete: TLSv1\.3 .*, resumed, 1 round trip, .*, early data accepted \(35 bytes\), 0 round trips before the first byte of application data$' "--trace summary"
    expect_grep "$err2" "^mutls: connected to localhost:$SRV_PORT: .*, resumed, early data accepted \\(35 bytes\\)\$" "summary line"
    expect_no_grep "$err2" 'sending it again' "client (nothing sent again)"
    case_log "$err2" "$out2"
    case_end

    case_begin "0-RTT replayed (the same --sess-in again): early data rejected by anti-replay, sent again, page served"
    mutls_client "$out3" "$err3" "localhost:$SRV_PORT" --ca "$CA" --get / --sess-in "$sess" --early-data /dev/null --trace
    expect_rc $? 0 "mutls client"
    expect_grep "$err3" '<-+ EncryptedExtensions +server +.*early_data=rejected' "--trace EncryptedExtensions"
    expect_grep "$err3" '^handshake complete: .*, resumed, 1 round trip, .*, early data rejected \(35 bytes to send again\), 1 round trip before the first byte of application data$' "--trace summary"
    expect_grep "$err3" '^mutls client: the server rejected the early data; sending it again after the handshake \(35 bytes\)$' "client message"
    expect_grep "$out3" '^HTTP/1\.0 200 OK' "page"
    expect_grep "$out3" '^resumed: yes$' "--www resumed"
    expect_grep "$out3" '^early_data: rejected$' "--www early_data"
    expect_no_grep "$out3" '^request_early:' "--www (the request was not early data)"
    wait_for_grep "$SRV_LOG" 'already used for 0-RTT' 5
    expect_grep "$SRV_LOG" '\(EarlyData\) +server +early data rejected: the ticket was already used for 0-RTT \(a replay\)$' "server --trace"
    expect_grep "$SRV_LOG" '^mutls server: 127\.0\.0\.1:[0-9]+: TLSv1\.3 .*, resumed, early data rejected$' "server log"
    case_log "$err3" "$out3" "$SRV_LOG"
    case_end

    if [ "$HAVE_GNUTLS" = 1 ]; then
        out=$T/gnutls-early.out
        case_begin "gnutls-cli --resume --earlydata -> mutls server --early-data: resumed, early data accepted"
        gnutls_get "$SRV_PORT" "$out" --resume --waitresumption --earlydata="$T/get.req"
        expect_rc $? 0 "gnutls-cli"
        expect_grep "$out" '^\*\*\* This is a resumed session' "gnutls-cli"
        expect_grep "$out" '^early_data: accepted$' "--www early_data"
        expect_grep "$out" '^request_early: yes$' "--www request_early"
        case_log "$out"
        case_end
    else
        echo "# gnutls-cli not installed: GnuTLS cases skipped"
    fi
else
    case_fail "mutls server --early-data starts" "no 'listening on' line" "$SRV_LOG"
fi

if start_mutls_server noearly "${SCERT[@]}" --www --trace --ticket-key-file "$KEYS0"; then
    sess=$T/sc-noearly.sess out1=$T/sc-noearly-1.out out2=$T/sc-noearly-2.out
    # s_client sends early data only with a ticket that allows it: one from
    # the 0-RTT server. Its request on standard input follows the handshake.
    case_begin "s_client -early_data -> mutls server without --early-data: rejected, the handshake succeeds"
    s_client_get "${EARLY_PORT:-1}" "$out1" -sess_out "$sess"
    expect_rc $? 0 "s_client (first, 0-RTT server)"
    expect_grep "$out1" '^ +Max Early Data: 16384$' "s_client (the ticket allows early data)"
    s_client_get "$SRV_PORT" "$out2" -sess_in "$sess" -early_data "$T/get.req"
    expect_rc $? 0 "s_client (second)"
    expect_grep "$out2" '^Reused, TLSv1\.3, ' "s_client"
    expect_grep "$out2" '^Early data was rejected$' "s_client"
    expect_grep "$out2" '^HTTP/1\.0 200 OK' "page (the request from standard input)"
    expect_grep "$out2" '^early_data: rejected$' "--www early_data"
    expect_no_grep "$out2" '^request_early:' "--www request_early"
    expect_grep "$SRV_LOG" '\(EarlyData\) +server +early data rejected: 0-RTT is not enabled on this server$' "server --trace"
    case_log "$out2" "$SRV_LOG"
    case_end

    if [ "$HAVE_GNUTLS" = 1 ]; then
        for v in 1.3 1.2; do
            case $v in
                1.3) prio=NORMAL:-VERS-ALL:+VERS-TLS1.3 ;;
                1.2) prio=NORMAL:-VERS-ALL:+VERS-TLS1.2 ;;
            esac
            out=$T/gnutls-resume-$v.out
            case_begin "gnutls-cli --resume (TLS $v) -> mutls server: a resumed session"
            gnutls_get "$SRV_PORT" "$out" --priority "$prio" --resume --waitresumption
            expect_rc $? 0 "gnutls-cli"
            expect_grep "$out" '^\*\*\* This is a resumed session' "gnutls-cli"
            expect_grep "$out" '^resumed: yes$' "--www resumed"
            expect_grep "$out" "^protocol: TLSv$v\$" "--www protocol"
            case_log "$out"
            case_end
        done
    fi
    iop_stop "$SRV_PID"
else
    case_fail "mutls server --www starts" "no 'listening on' line" "$SRV_LOG"
fi

[ -n "$EARLY_PID" ] && iop_stop "$EARLY_PID"

# A HelloRetryRequest (the client's key share is x25519, the server wants
# secp384r1): no early data after it (RFC 8446 4.2.10).
if start_mutls_server hrr "${SCERT[@]}" --www --early-data 16384 --groups secp384r1; then
    sess=$T/hrr.sess out1=$T/hrr-1.out err1=$T/hrr-1.err out2=$T/hrr-2.out err2=$T/hrr-2.err
    case_begin "mutls client --early-data -> mutls server needing a HelloRetryRequest: rejected, sent again"
    mutls_client "$out1" "$err1" "localhost:$SRV_PORT" --ca "$CA" --get / --sess-out "$sess"
    expect_rc $? 0 "mutls client (first)"
    mutls_client "$out2" "$err2" "localhost:$SRV_PORT" --ca "$CA" --get / --sess-in "$sess" --early-data /dev/null
    expect_rc $? 0 "mutls client (second)"
    expect_grep "$out2" '^hrr: yes$' "--www hrr"
    expect_grep "$out2" '^resumed: yes$' "--www resumed"
    expect_grep "$out2" '^early_data: rejected$' "--www early_data"
    expect_grep "$err2" 'the server rejected the early data; sending it again' "client message"
    case_log "$err2" "$out2"
    case_end
    iop_stop "$SRV_PID"
fi

# ---- mutls client -> openssl s_server -early_data ------------------------------

fifo=$T/s_server.fifo
mkfifo "$fifo"
exec 7<>"$fifo"
if start_s_server sse "$fifo" -early_data; then
    sess=$T/sse.sess out1=$T/sse-1.out err1=$T/sse-1.err out2=$T/sse-2.out err2=$T/sse-2.err
    printf 'early-data-payload-%s\n' "$RANDOM$RANDOM" >"$T/early.txt"
    case_begin "mutls client --sess-in --early-data FILE -> s_server -early_data (TLS 1.3): s_server prints the early data"
    echo first | timeout "$IOP_CLIENT_TIMEOUT" "$MUTLS" client "localhost:$SRV_PORT" --ca "$CA" \
        --sess-out "$sess" >"$out1" 2>"$err1"
    expect_rc $? 0 "mutls client (first)"
    wait_for_grep "$SRV_LOG" '^first$' 5
    echo after | timeout "$IOP_CLIENT_TIMEOUT" "$MUTLS" client "localhost:$SRV_PORT" --ca "$CA" \
        --sess-in "$sess" --early-data "$T/early.txt" --trace >"$out2" 2>"$err2"
    expect_rc $? 0 "mutls client (second)"
    expect_grep "$err2" "^mutls: connected to localhost:$SRV_PORT: TLSv1\\.3 .*, resumed, early data accepted \\($(iop_size "$T/early.txt") bytes\\)\$" "summary line"
    expect_grep "$err2" '0 round trips before the first byte of application data$' "--trace summary"
    wait_for_grep "$SRV_LOG" '^after$' 5
    expect_grep "$SRV_LOG" '^Early data received:$' "s_server"
    expect_grep "$SRV_LOG" "^$(cat "$T/early.txt")\$" "s_server (the early data)"
    expect_grep "$SRV_LOG" '^Reused session-id$' "s_server"
    case_log "$err2" "$SRV_LOG"
    case_end
    iop_stop "$SRV_PID"
else
    case_fail "s_server -early_data starts" "no ACCEPT line" "$SRV_LOG"
fi
exec 7>&-

# ---- False Start -----------------------------------------------------------------

if start_s_server fs /dev/null -tls1_2 -www; then
    out=$T/fs.out err=$T/fs.err
    case_begin "mutls client --false-start --tls-max 1.2 -> s_server -tls1_2 -www: the GET goes before the server's Finished"
    mutls_client "$out" "$err" "localhost:$SRV_PORT" --ca "$CA" --tls-max 1.2 --false-start --get / --trace
    expect_rc $? 0 "mutls client"
    expect_grep "$err" '^\[.*\]  client  \(FalseStart\) +server +application data may now be sent' "--trace FalseStart"
    expect_grep "$err" 'ApplicationData -+> +server +False Start: sent before the server.s Finished' "--trace ApplicationData"
    fin=$(line_of "$err" '<-+ Finished +server')
    [ "$(line_of "$err" 'Finished -+> +server')" -lt "$(line_of "$err" '\(FalseStart\)')" ] ||
        fail_because "--trace: FalseStart is not after the client's Finished"
    [ "$(line_of "$err" '\(FalseStart\)')" -lt "$fin" ] || fail_because "--trace: FalseStart is not before '<- Finished'"
    [ "$(line_of "$err" 'ApplicationData -+>')" -lt "$fin" ] || fail_because "--trace: ApplicationData is not before '<- Finished'"
    expect_grep "$err" '^handshake complete: TLSv1\.2 TLS_ECDHE_ECDSA_.*, 2 round trips, .*, False Start \(application data sent before the server.s Finished\), 1 round trip before the first byte of application data$' "--trace summary"
    expect_grep "$err" ', False Start$' "summary line"
    expect_grep "$out" '^HTTP/1\.0 200 ok' "s_server page"
    case_log "$err" "$out"
    case_end

    out=$T/nofs.out err=$T/nofs.err
    case_begin "mutls client --tls-max 1.2 without --false-start: 2 round trips before the first byte, no early ApplicationData"
    mutls_client "$out" "$err" "localhost:$SRV_PORT" --ca "$CA" --tls-max 1.2 --get / --trace
    expect_rc $? 0 "mutls client"
    expect_no_grep "$err" 'FalseStart|ApplicationData' "--trace"
    expect_grep "$err" '^handshake complete: TLSv1\.2 .*, 2 round trips, .*, 2 round trips before the first byte of application data$' "--trace summary"
    case_log "$err"
    case_end

    out=$T/fscbc.out err=$T/fscbc.err
    case_begin "mutls client --false-start with a CBC suite: no False Start, said so"
    mutls_client "$out" "$err" "localhost:$SRV_PORT" --ca "$CA" --tls-max 1.2 --false-start --get / --trace \
        --ciphers TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA
    expect_rc $? 0 "mutls client"
    expect_no_grep "$err" 'FalseStart|ApplicationData' "--trace"
    expect_grep "$err" '^mutls client: False Start not used: TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA does not allow it' "client message"
    expect_grep "$out" '^HTTP/1\.0 200 ok' "s_server page"
    case_log "$err"
    case_end
    iop_stop "$SRV_PID"
else
    case_fail "s_server -tls1_2 -www starts" "no ACCEPT line" "$SRV_LOG"
fi

# ---- ticket keys --------------------------------------------------------------------

# A restart with new random keys: the old ticket no longer opens.
if start_mutls_server restart1 "${SCERT[@]}" --www; then
    sess=$T/restart.sess
    mutls_client "$T/restart-1.out" "$T/restart-1.err" "localhost:$SRV_PORT" --ca "$CA" --get / --sess-out "$sess"
    rc1=$?
    iop_stop "$SRV_PID"
    if start_mutls_server restart2 "${SCERT[@]}" --www --trace; then
        out=$T/restart-2.out err=$T/restart-2.err
        case_begin "a ticket from before a restart (new random keys): full handshake, resumed: no"
        expect_rc "$rc1" 0 "mutls client (before the restart)"
        mutls_client "$out" "$err" "localhost:$SRV_PORT" --ca "$CA" --get / --sess-in "$sess"
        expect_rc $? 0 "mutls client"
        expect_grep "$out" '^resumed: no$' "--www resumed"
        expect_grep "$err" 'server certificate CN=localhost .* verified$' "summary line (a full handshake)"
        expect_grep "$SRV_LOG" '\(PSK\) +server +not resumed: the ticket cannot be opened' "server --trace"
        case_log "$err" "$out" "$SRV_LOG"
        case_end
        iop_stop "$SRV_PID"
    fi
fi

# Two servers, one key file.
KEYS=$T/ticket.keys
new_key_file "$KEYS"
if start_mutls_server keyA "${SCERT[@]}" --www --ticket-key-file "$KEYS"; then
    A_PID=$SRV_PID A_PORT=$SRV_PORT
    if start_mutls_server keyB "${SCERT[@]}" --www --ticket-key-file "$KEYS"; then
        B_PID=$SRV_PID B_PORT=$SRV_PORT B_LOG=$SRV_LOG
        sess=$T/shared.sess out1=$T/shared-1.out err1=$T/shared-1.err out2=$T/shared-2.out err2=$T/shared-2.err
        case_begin "--ticket-key-file shared by two servers: a session from server A resumes on server B"
        mutls_client "$out1" "$err1" "localhost:$A_PORT" --ca "$CA" --get / --sess-out "$sess"
        expect_rc $? 0 "mutls client (A)"
        expect_grep "$out1" '^resumed: no$' "--www resumed (A)"
        mutls_client "$out2" "$err2" "localhost:$B_PORT" --ca "$CA" --get / --sess-in "$sess"
        expect_rc $? 0 "mutls client (B)"
        expect_grep "$out2" '^resumed: yes$' "--www resumed (B)"
        case_log "$err2" "$out2"
        case_end

        # SIGHUP with a file that drops the old key.
        new_key_file "$KEYS.new"
        mv "$KEYS.new" "$KEYS"
        out=$T/hup.out err=$T/hup.err
        case_begin "SIGHUP: server B reloads a key file without the old key; the old session is not resumed"
        kill -HUP "$(mutls_pid "$B_PID")"
        wait_for_grep "$B_LOG" "^mutls server: reloaded ticket keys from $KEYS\$" 5 "$B_PID" ||
            fail_because "server B did not log the reload"
        mutls_client "$out" "$err" "localhost:$B_PORT" --ca "$CA" --get / --sess-in "$sess" --sess-out "$T/new-key.sess"
        expect_rc $? 0 "mutls client"
        expect_grep "$out" '^resumed: no$' "--www resumed"
        mutls_client "$T/hup-2.out" "$T/hup-2.err" "localhost:$A_PORT" --ca "$CA" --get / --sess-in "$sess"
        expect_grep "$T/hup-2.out" '^resumed: yes$' "server A (not reloaded) still resumes it"
        case_log "$err" "$out" "$B_LOG"
        case_end

        echo 'not a key file' >"$KEYS"
        out=$T/hup-bad.out err=$T/hup-bad.err
        case_begin "SIGHUP with a file that is refused: the error is logged, the keys in use stay"
        kill -HUP "$(mutls_pid "$B_PID")"
        wait_for_grep "$B_LOG" "^mutls server: reloading ticket keys from $KEYS failed, keeping the keys in use: ticket key file $KEYS line 1: " 5 "$B_PID" ||
            fail_because "server B did not log the refused file"
        mutls_client "$out" "$err" "localhost:$B_PORT" --ca "$CA" --get / --sess-in "$T/new-key.sess"
        expect_rc $? 0 "mutls client"
        expect_grep "$out" '^resumed: yes$' "--www resumed (a session under the key still in use)"
        case_log "$err" "$out" "$B_LOG"
        case_end
        iop_stop "$B_PID"
    fi
    iop_stop "$A_PID"
fi

# The expired session (lifetime 1 s, made a while ago).
case_begin "mutls client --sess-in refuses an expired session"
if [ "$EXPIRED_READY" = 1 ]; then
    while [ $(($(date +%s) - $(stat -c %Y "$T/short.sess"))) -lt 2 ]; do sleep 0.2; done
    mutls_client "$T/expired.out" "$T/expired.err" "localhost:1" --ca "$CA" --get / --sess-in "$T/short.sess"
    expect_rc $? 1 "mutls client"
    expect_grep "$T/expired.err" "^mutls client: --sess-in: .*short\\.sess: the session expired at .* \\(issued .*, lifetime 1 s\\)" "error message"
    case_log "$T/expired.err"
else
    fail_because "could not get a session from mutls server --ticket-lifetime 1"
    case_log "$T/short.err"
fi
case_end

iop_finish

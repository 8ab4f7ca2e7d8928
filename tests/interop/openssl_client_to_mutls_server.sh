#!/usr/bin/env bash
# openssl s_client (OpenSSL 3) against `mutls server`.
#
#  - matrix: every TLS 1.3 cipher suite x group (X25519, P-256, P-384) x
#    server chain (rsa2048, rsa4096, ecdsa-p256, ecdsa-p384, ed25519,
#    rsa-pss), each verified by s_client against ca.pem with the host name
#    checked; s_client's view (cipher, group, signature type, verification)
#    and the --www page (cipher, group, no HRR) must agree;
#  - HelloRetryRequest, ALPN (match, none offered, no overlap), choice of
#    chain by signature_algorithms, a TLS 1.2-only client against a TLS
#    1.3-only server (--tls-min 1.3), a client without
#    middlebox compatibility, KeyUpdate both ways (s_client's "k"/"K"
#    commands) through --echo, 2 MiB echoed, and 256 KiB echoed in padded
#    512-byte records.
#
# Exit 0 if every case passed, 1 otherwise, 77 without OpenSSL 3.
# shellcheck source=tests/interop/lib/common.sh
. "$(dirname "$0")/lib/common.sh"

iop_require_openssl3
iop_require_mutls

CA=$CERTS/ca.pem
T=$IOP_TMP
printf 'GET / HTTP/1.0\r\nHost: localhost\r\n\r\n' >"$T/get.req"

# s_client PORT OUT ARGS...: a verifying s_client sending an HTTP GET and
# reading until the server closes. Output (stdout and stderr) in OUT.
s_client_get() {
    local port=$1 out=$2
    shift 2
    timeout "$IOP_CLIENT_TIMEOUT" openssl s_client -connect "127.0.0.1:$port" \
        -servername localhost -CAfile "$CA" -verify_return_error \
        -verify_hostname localhost -ign_eof "$@" <"$T/get.req" >"$out" 2>&1
}

# ---- the matrix -----------------------------------------------------------

for cert in "${IOP_CERT_TYPES[@]}"; do
    if ! start_mutls_server "www-$cert" --cert "$CERTS/server-$cert.pem" \
        --key "$CERTS/server-$cert.key" --www --count 9; then
        case_fail "mutls server --www with server-$cert starts" \
            "no 'listening on' line" "$SRV_LOG"
        continue
    fi
    sigtype=$(openssl_sig_type "$cert")
    for suite in "${IOP_SUITES[@]}"; do
        for group in "${IOP_GROUPS[@]}"; do
            ogroup=$(openssl_group_name "$group")
            out=$T/m-$cert-$suite-$group.out
            case_begin "s_client -ciphersuites $suite -groups $ogroup -> mutls server (server-$cert)"
            s_client_get "$SRV_PORT" "$out" -ciphersuites "$suite" -groups "$ogroup"
            expect_rc $? 0 "s_client"
            expect_grep "$out" '^Verification: OK$' "s_client verification"
            expect_grep "$out" 'Verify return code: 0 \(ok\)' "s_client verify return code"
            expect_grep "$out" "^New, TLSv1\.3, Cipher is $suite\$" "s_client protocol/cipher"
            expect_grep "$out" "^Server Temp Key: $(openssl_temp_key "$group")\$" "s_client group"
            expect_grep "$out" "^Peer signature type: $sigtype\$" "s_client signature type"
            case $cert in
            ecdsa-p256) expect_grep "$out" '^Peer signing digest: SHA256$' "s_client signing digest" ;;
            ecdsa-p384) expect_grep "$out" '^Peer signing digest: SHA384$' "s_client signing digest" ;;
            esac
            expect_grep "$out" '^HTTP/1\.[01] 200 ' "--www status line"
            expect_grep "$out" '^protocol: TLSv1\.3$' "--www protocol"
            expect_grep "$out" "^cipher: $suite\$" "--www cipher"
            expect_grep "$out" "^group: $group\$" "--www group"
            expect_grep "$out" '^sni: localhost$' "--www sni"
            expect_grep "$out" '^hrr: no$' "--www hrr"
            case_log "$out"
            case_end
        done
    done
    # --count 9: the server exits by itself, with 0 since all succeeded,
    # having logged one line per connection and no failure.
    case_begin "mutls server --count 9 (server-$cert) logged 9 good connections and exited with 0"
    iop_wait_exit "$SRV_PID" 10
    expect_rc $? 0 "mutls server"
    n=$(grep -c 'TLSv1\.3 TLS_' "$SRV_LOG")
    [ "$n" = 9 ] || fail_because "$n connection lines, expected 9"
    expect_no_grep "$SRV_LOG" 'fail|error|alert' "server log"
    case_log "$SRV_LOG"
    case_end
done

# ---- HelloRetryRequest, ALPN ----------------------------------------------

if start_mutls_server hrr --cert "$CERTS/server-ecdsa-p256.pem" \
    --key "$CERTS/server-ecdsa-p256.key" --www --groups secp384r1 \
    --alpn http/1.1 --trace; then
    out=$T/hrr.out
    case_begin "HRR: s_client -groups X25519:P-384 (key share X25519) -> mutls server --groups secp384r1"
    s_client_get "$SRV_PORT" "$out" -groups X25519:P-384
    expect_rc $? 0 "s_client"
    expect_grep "$out" '^Verification: OK$' "s_client verification"
    expect_grep "$out" "^Server Temp Key: $(openssl_temp_key secp384r1)\$" "s_client group"
    expect_grep "$out" '^group: secp384r1$' "--www group"
    expect_grep "$out" '^hrr: yes$' "--www hrr"
    expect_grep "$SRV_LOG" '^#1 .*HelloRetryRequest' "server --trace"
    expect_grep "$SRV_LOG" '^#1 handshake complete: .* secp384r1, 2 round trips' "server --trace summary"
    case_log "$out" "$SRV_LOG"
    case_end

    out=$T/alpn.out
    case_begin "ALPN: s_client -alpn h2,http/1.1 -> mutls server --alpn http/1.1"
    s_client_get "$SRV_PORT" "$out" -groups P-384 -alpn h2,http/1.1
    expect_rc $? 0 "s_client"
    expect_grep "$out" '^ALPN protocol: http/1\.1$' "s_client ALPN"
    expect_grep "$out" '^alpn: http/1\.1$' "--www alpn"
    expect_grep "$out" '^hrr: no$' "--www hrr"
    case_log "$out"
    case_end

    out=$T/alpn-none.out
    case_begin "ALPN: s_client without -alpn -> mutls server --alpn http/1.1 (no ALPN, handshake succeeds)"
    s_client_get "$SRV_PORT" "$out" -groups P-384
    expect_rc $? 0 "s_client"
    expect_grep "$out" '^No ALPN negotiated$' "s_client ALPN"
    expect_grep "$out" '^alpn: -$' "--www alpn"
    case_log "$out"
    case_end

    out=$T/alpn-mismatch.out
    case_begin "ALPN: s_client -alpn h2 -> mutls server --alpn http/1.1 fails with no_application_protocol"
    s_client_get "$SRV_PORT" "$out" -groups P-384 -alpn h2
    expect_rc_not $? 0 "s_client"
    expect_grep "$out" 'no application protocol' "s_client alert"
    expect_no_grep "$out" '^HTTP/' "s_client output"
    wait_for_grep "$SRV_LOG" 'no_application_protocol' 5 "$SRV_PID"
    expect_grep "$SRV_LOG" 'no_application_protocol' "server log"
    case_log "$out" "$SRV_LOG"
    case_end
    iop_stop "$SRV_PID"
else
    case_fail "mutls server --groups secp384r1 --alpn http/1.1 starts" "no 'listening on' line" "$SRV_LOG"
fi

# ---- several chains: the client's signature_algorithms pick one ------------

if start_mutls_server multi \
    --cert "$CERTS/server-rsa2048.pem" --key "$CERTS/server-rsa2048.key" \
    --cert "$CERTS/server-ecdsa-p384.pem" --key "$CERTS/server-ecdsa-p384.key" \
    --cert "$CERTS/server-ed25519.pem" --key "$CERTS/server-ed25519.key" --www; then
    for sa in ed25519:ed25519 ECDSA+SHA384:ECDSA rsa_pss_rsae_sha256:RSA-PSS; do
        sigalgs=${sa%%:*} want=${sa#*:}
        out=$T/multi-$sigalgs.out
        case_begin "three chains: s_client -sigalgs $sigalgs gets a $want signature"
        s_client_get "$SRV_PORT" "$out" -sigalgs "$sigalgs"
        expect_rc $? 0 "s_client"
        expect_grep "$out" '^Verification: OK$' "s_client verification"
        expect_grep "$out" "^Peer signature type: $want\$" "s_client signature type"
        case_log "$out"
        case_end
    done
    iop_stop "$SRV_PID"
else
    case_fail "mutls server with three chains starts" "no 'listening on' line" "$SRV_LOG"
fi

# ---- versions, middlebox compatibility --------------------------------------

# --tls-min 1.3: the server allows TLS 1.2 by default; these cases are
# about a TLS 1.3-only server (TLS 1.2 itself is tested elsewhere).
if start_mutls_server tls12 --cert "$CERTS/server-ecdsa-p256.pem" \
    --key "$CERTS/server-ecdsa-p256.key" --www --tls-min 1.3; then
    out=$T/nomb.out
    case_begin "s_client -no_middlebox (no ChangeCipherSpec, empty session id) -> mutls server"
    s_client_get "$SRV_PORT" "$out" -no_middlebox
    expect_rc $? 0 "s_client"
    expect_grep "$out" '^Verification: OK$' "s_client verification"
    expect_grep "$out" '^cipher: TLS_AES_128_GCM_SHA256$' "--www cipher"
    case_log "$out"
    case_end

    out=$T/tls12.out
    case_begin "s_client -tls1_2 -> mutls server (TLS 1.3 only) fails with protocol_version"
    s_client_get "$SRV_PORT" "$out" -tls1_2
    expect_rc_not $? 0 "s_client"
    expect_grep "$out" 'protocol version' "s_client alert"
    expect_no_grep "$out" '^HTTP/' "s_client output"
    case_log "$out"
    case_end
    iop_stop "$SRV_PID"
fi

# ---- --echo: KeyUpdate, bulk data -----------------------------------------

if start_mutls_server echo --cert "$CERTS/server-ecdsa-p256.pem" \
    --key "$CERTS/server-ecdsa-p256.key" --echo --trace; then
    ECHO_PORT=$SRV_PORT ECHO_PID=$SRV_PID ECHO_LOG=$SRV_LOG
    conn=0
    # s_client executes "k"/"K" only when the line comes alone in one read
    # and without -ign_eof (which -quiet implies): feed it through a fifo,
    # one line at a time, waiting for each effect.
    for cmd in k K; do
        conn=$((conn + 1))
        fifo=$T/ku-$cmd.fifo out=$T/ku-$cmd.out err=$T/ku-$cmd.err
        mkfifo "$fifo"
        case_begin "KeyUpdate: s_client '$cmd' command in the middle of an --echo session"
        timeout "$IOP_CLIENT_TIMEOUT" openssl s_client -connect "127.0.0.1:$ECHO_PORT" \
            -servername localhost -CAfile "$CA" -verify_return_error \
            -verify_hostname localhost -quiet -no_ign_eof <"$fifo" >"$out" 2>"$err" &
        cpid=$!
        iop_track "$cpid"
        exec 8>"$fifo"
        fifo_put hello
        wait_for_grep "$out" '^hello$' 10 "$cpid" || fail_because "'hello' did not come back"
        fifo_put "$cmd"
        wait_for_grep "$err" '^KEYUPDATE$' 10 "$cpid" || fail_because "s_client did not report KEYUPDATE"
        if [ "$cmd" = K ]; then
            wait_for_grep "$ECHO_LOG" "^#$conn .*<-+ KeyUpdate +server +update_not_requested" 10 ||
                fail_because "server trace: no KeyUpdate sent in answer to update_requested"
        fi
        fifo_put world
        wait_for_grep "$out" '^world$' 10 "$cpid" || fail_because "'world' did not come back after the KeyUpdate"
        exec 8>&-
        iop_reap "$cpid"
        expect_rc $? 0 "s_client"
        if [ "$cmd" = K ]; then want=update_requested; else want=update_not_requested; fi
        expect_grep "$ECHO_LOG" "^#$conn .*KeyUpdate -+> +server +$want" "server trace (KeyUpdate received)"
        [ "$cmd" = k ] && expect_no_grep "$ECHO_LOG" "^#$conn .*<-+ KeyUpdate" "server trace (no KeyUpdate answered)"
        expect_grep "$ECHO_LOG" "^#$conn .*Alert -+> +server +warning close_notify" "server trace (close_notify)"
        [ "$(tr -d '\r' <"$out")" = "$(printf 'hello\nworld')" ] || fail_because "echoed data is not exactly hello, world"
        case_log "$out" "$err" "$ECHO_LOG"
        case_end
    done

    # 2 MiB through the echo server. s_client -quiet keeps going at end of
    # input (-ign_eof) and never ends; -no_ign_eof ends at the end of input,
    # so keep its input open until everything has come back.
    conn=$((conn + 1))
    make_text "$T/bulk.in" $((2 * 1024 * 1024))
    size=$(iop_size "$T/bulk.in")
    case_begin "2 MiB ($size bytes) echoed through mutls server --echo"
    # shellcheck disable=SC2094 # (the size of bulk.out is only watched)
    { cat "$T/bulk.in"; wait_for_size "$T/bulk.out" "$size" 60; } |
        timeout 90 openssl s_client -connect "127.0.0.1:$ECHO_PORT" -servername localhost \
            -CAfile "$CA" -verify_return_error -verify_hostname localhost \
            -quiet -no_ign_eof -nocommands >"$T/bulk.out" 2>"$T/bulk.err"
    expect_rc $? 0 "s_client"
    expect_same_file "$T/bulk.out" "$T/bulk.in" "echoed data"
    case_log "$T/bulk.err" "$ECHO_LOG"
    case_end

    # Record layer variations from the client: every record padded to a
    # multiple of 1000 bytes (RFC 8446 5.4) and at most 512 bytes of data
    # per record.
    make_text "$T/pad.in" $((256 * 1024))
    size=$(iop_size "$T/pad.in")
    case_begin "256 KiB echoed with s_client -record_padding 1000 -max_send_frag 512"
    # shellcheck disable=SC2094 # (the size of pad.out is only watched)
    { cat "$T/pad.in"; wait_for_size "$T/pad.out" "$size" 30; } |
        timeout 60 openssl s_client -connect "127.0.0.1:$ECHO_PORT" -servername localhost \
            -CAfile "$CA" -verify_return_error -verify_hostname localhost \
            -quiet -no_ign_eof -nocommands -record_padding 1000 -max_send_frag 512 \
            >"$T/pad.out" 2>"$T/pad.err"
    expect_rc $? 0 "s_client"
    expect_same_file "$T/pad.out" "$T/pad.in" "echoed data"
    case_log "$T/pad.err" "$ECHO_LOG"
    case_end
    iop_stop "$ECHO_PID"
else
    case_fail "mutls server --echo starts" "no 'listening on' line" "$SRV_LOG"
fi

iop_finish

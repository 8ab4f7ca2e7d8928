#!/usr/bin/env bash
# `mutls client` against openssl s_server -tls1_3 (OpenSSL 3).
#
#  - matrix: every TLS 1.3 cipher suite x group x server chain (rsa2048,
#    rsa4096, ecdsa-p256, ecdsa-p384, ed25519, rsa-pss; s_server sends the
#    leaf and the intermediate), fetched with --get / from s_server -www:
#    exit status, the "connected" summary line, the signature scheme in the
#    --trace and the cipher s_server reports on its page must agree;
#  - HelloRetryRequest, ALPN, KeyUpdate from the client (--key-update) and
#    from the server (s_server's "k"/"K" commands), 2 MiB both ways through
#    s_server -rev, 256 KiB in padded 512-byte records, a server without
#    middlebox compatibility, an HRR with a cookie (s_server -stateless; only
#    once the client has --no-middlebox), 2 MiB downloaded from -WWW;
#  - failures: wrong host name, untrusted CA, expired, not yet valid, wrong
#    extendedKeyUsage, a leaf signed by an untrusted CA, no common group.
#
# Exit 0 if every case passed, 1 otherwise, 77 without OpenSSL 3.
# shellcheck source=tests/interop/lib/common.sh
. "$(dirname "$0")/lib/common.sh"

iop_require_openssl3
iop_require_mutls

CA=$CERTS/ca.pem
T=$IOP_TMP

# s_server -tls1_3 with chain NAME: the leaf from -cert, the intermediate
# from -cert_chain.
start_s_server() { # TAG NAME STDIN ARGS...
    local tag=$1 name=$2 in=$3 leaf chain
    shift 3
    read -r leaf chain < <(split_chain "$name")
    if [ -s "$chain" ]; then
        start_openssl_server "$tag" "$in" -tls1_3 -cert "$leaf" \
            -key "$CERTS/$name.key" -cert_chain "$chain" "$@"
    else
        start_openssl_server "$tag" "$in" -tls1_3 -cert "$leaf" \
            -key "$CERTS/$name.key" "$@"
    fi
}

# mutls_client OUT ERR HOST:PORT ARGS...
mutls_client() {
    local out=$1 err=$2 target=$3
    shift 3
    timeout "$IOP_CLIENT_TIMEOUT" "$MUTLS" client "$target" "$@" \
        </dev/null >"$out" 2>"$err"
}

# The summary line on standard error after a verified handshake.
summary_re() { # PORT SUITE GROUP ALPN(- for none)
    local alpn="no ALPN"
    [ "$4" != - ] && alpn="ALPN $4"
    echo "^mutls: connected to localhost:$1: TLSv1\\.3 $2 $3, $alpn, server certificate CN=localhost \\(issuer CN=mutls test intermediate CA\\) verified\$"
}

# ---- the matrix -----------------------------------------------------------

for cert in "${IOP_CERT_TYPES[@]}"; do
    if ! start_s_server "www-$cert" "server-$cert" /dev/null -www; then
        case_fail "s_server -www with server-$cert starts" "no ACCEPT line" "$SRV_LOG"
        continue
    fi
    schemes=$(tls_sig_schemes "$cert")
    for suite in "${IOP_SUITES[@]}"; do
        for group in "${IOP_GROUPS[@]}"; do
            out=$T/m-$cert-$suite-$group.out err=$T/m-$cert-$suite-$group.err
            case_begin "mutls client --ciphers $suite --groups $group -> s_server (server-$cert)"
            mutls_client "$out" "$err" "localhost:$SRV_PORT" --ca "$CA" \
                --ciphers "$suite" --groups "$group" --get / --trace
            expect_rc $? 0 "mutls client"
            expect_grep "$err" "$(summary_re "$SRV_PORT" "$suite" "$group" -)" "summary line"
            expect_grep "$err" "^handshake complete: TLSv1\\.3 $suite $group, 1 round trip," "--trace summary"
            expect_grep "$err" "<-+ Certificate +server +2 certificate\\(s\\), subject CN=localhost, issuer CN=mutls test intermediate CA, verified" "--trace Certificate"
            expect_grep "$err" "<-+ CertificateVerify +server +scheme=$schemes, signature valid" "--trace CertificateVerify"
            expect_grep "$out" '^HTTP/1\.0 200 ok' "s_server page status"
            expect_grep "$out" "^New, TLSv1\\.3, Cipher is $suite" "s_server page cipher"
            expect_grep "$out" "^Supported groups: $group" "s_server page groups"
            expect_grep "$out" '</HTML>' "s_server page complete"
            case_log "$err" "$out"
            case_end
        done
    done
    iop_stop "$SRV_PID"
done

# ---- HelloRetryRequest, ALPN ----------------------------------------------

if start_s_server hrr server-ecdsa-p256 /dev/null -www -groups P-384 -alpn http/1.1; then
    out=$T/hrr.out err=$T/hrr.err
    case_begin "HRR: mutls client --groups x25519,secp384r1 -> s_server -groups P-384"
    mutls_client "$out" "$err" "localhost:$SRV_PORT" --ca "$CA" \
        --groups x25519,secp384r1 --get / --trace
    expect_rc $? 0 "mutls client"
    expect_grep "$err" "$(summary_re "$SRV_PORT" TLS_AES_128_GCM_SHA256 secp384r1 -)" "summary line"
    expect_grep "$err" 'ClientHello -+> +server .*key_share=x25519' "--trace first ClientHello"
    expect_grep "$err" '<-+ HelloRetryRequest +server .*group=secp384r1' "--trace HelloRetryRequest"
    expect_grep "$err" 'ClientHello -+> +server .*key_share=secp384r1' "--trace second ClientHello"
    expect_grep "$err" '^handshake complete: TLSv1\.3 TLS_AES_128_GCM_SHA256 secp384r1, 2 round trips,' "--trace summary"
    expect_grep "$out" '^New, TLSv1\.3, Cipher is TLS_AES_128_GCM_SHA256' "s_server page"
    case_log "$err" "$out"
    case_end

    out=$T/alpn.out err=$T/alpn.err
    case_begin "ALPN: mutls client --alpn h2,http/1.1 -> s_server -alpn http/1.1"
    mutls_client "$out" "$err" "localhost:$SRV_PORT" --ca "$CA" \
        --groups secp384r1 --alpn h2,http/1.1 --get /
    expect_rc $? 0 "mutls client"
    expect_grep "$err" "$(summary_re "$SRV_PORT" TLS_AES_128_GCM_SHA256 secp384r1 http/1.1)" "summary line"
    expect_grep "$out" '^HTTP/1\.0 200 ok' "s_server page"
    case_log "$err" "$out"
    case_end

    # OpenSSL 3's s_server answers a list with nothing it knows with a
    # fatal no_application_protocol alert (RFC 7301 section 3.2).
    out=$T/alpn-none.out err=$T/alpn-none.err
    case_begin "ALPN: mutls client --alpn h2 -> s_server -alpn http/1.1 (no overlap) -> exit 1, no_application_protocol"
    mutls_client "$out" "$err" "localhost:$SRV_PORT" --ca "$CA" \
        --groups secp384r1 --alpn h2 --get /
    expect_rc $? 1 "mutls client"
    expect_grep "$err" 'received alert no_application_protocol' "error message"
    expect_no_grep "$out" 'HTTP/' "output"
    case_log "$err" "$out"
    case_end

    out=$T/nogroup.out err=$T/nogroup.err
    case_begin "no common group: mutls client --groups x25519 -> s_server -groups P-384 fails"
    mutls_client "$out" "$err" "localhost:$SRV_PORT" --ca "$CA" --groups x25519 --get /
    expect_rc $? 1 "mutls client"
    expect_grep "$err" 'received alert handshake_failure' "error message"
    expect_no_grep "$out" 'HTTP/' "output"
    case_log "$err" "$out" "$SRV_LOG"
    case_end
    iop_stop "$SRV_PID"
else
    case_fail "s_server -groups P-384 -alpn http/1.1 starts" "no ACCEPT line" "$SRV_LOG"
fi

# ---- KeyUpdate and bulk data through s_server -rev --------------------------

# s_server -rev answers each line reversed. (After a KeyUpdate it sleeps
# one second before reading on: that delay is OpenSSL's.)
if start_s_server rev server-ecdsa-p256 /dev/null -rev; then
    out=$T/ku-client.out err=$T/ku-client.err
    case_begin "KeyUpdate: mutls client --key-update (update_requested) -> s_server -rev"
    printf 'hello\nworld\n' |
        timeout "$IOP_CLIENT_TIMEOUT" "$MUTLS" client "localhost:$SRV_PORT" --ca "$CA" \
            --key-update --trace >"$out" 2>"$err"
    expect_rc $? 0 "mutls client"
    expect_grep "$err" 'KeyUpdate -+> +server +update_requested' "--trace KeyUpdate sent"
    expect_grep "$err" '<-+ KeyUpdate +server +update_not_requested' "--trace KeyUpdate received"
    [ "$(cat "$out")" = "$(printf 'olleh\ndlrow')" ] || fail_because "reversed data is not exactly olleh, dlrow"
    case_log "$err" "$out"
    case_end

    make_text "$T/bulk.in" $((2 * 1024 * 1024))
    size=$(iop_size "$T/bulk.in")
    case_begin "2 MiB ($size bytes) both ways: mutls client stdin -> s_server -rev -> stdout"
    timeout 90 "$MUTLS" client "localhost:$SRV_PORT" --ca "$CA" \
        <"$T/bulk.in" >"$T/bulk.out" 2>"$T/bulk.err"
    expect_rc $? 0 "mutls client"
    rev "$T/bulk.out" >"$T/bulk.rev"
    expect_same_file "$T/bulk.rev" "$T/bulk.in" "data reversed back"
    case_log "$T/bulk.err"
    case_end
    iop_stop "$SRV_PID"
else
    case_fail "s_server -rev starts" "no ACCEPT line" "$SRV_LOG"
fi

# ---- record layer variations, middlebox compatibility, cookies ---------------

# Every server record padded to a multiple of 1000 bytes (RFC 8446 5.4),
# at most 512 bytes of data each.
if start_s_server rev-pad server-rsa2048 /dev/null -rev -record_padding 1000 -max_send_frag 512; then
    make_text "$T/pad.in" $((256 * 1024))
    case_begin "256 KiB both ways through s_server -rev -record_padding 1000 -max_send_frag 512"
    timeout 60 "$MUTLS" client "localhost:$SRV_PORT" --ca "$CA" \
        <"$T/pad.in" >"$T/pad.out" 2>"$T/pad.err"
    expect_rc $? 0 "mutls client"
    rev "$T/pad.out" >"$T/pad.rev"
    expect_same_file "$T/pad.rev" "$T/pad.in" "data reversed back"
    case_log "$T/pad.err"
    case_end
    iop_stop "$SRV_PID"
else
    case_fail "s_server -rev -record_padding starts" "no ACCEPT line" "$SRV_LOG"
fi

if start_s_server nomb server-ecdsa-p384 /dev/null -www -no_middlebox; then
    out=$T/nomb.out err=$T/nomb.err
    case_begin "s_server -no_middlebox (no ChangeCipherSpec from the server) <- mutls client"
    mutls_client "$out" "$err" "localhost:$SRV_PORT" --ca "$CA" --get / --trace
    expect_rc $? 0 "mutls client"
    expect_grep "$err" "$(summary_re "$SRV_PORT" TLS_AES_128_GCM_SHA256 x25519 -)" "summary line"
    expect_no_grep "$err" '<-+ ChangeCipherSpec' "--trace"
    expect_grep "$out" '^New, TLSv1\.3, Cipher is TLS_AES_128_GCM_SHA256' "s_server page"
    case_log "$err" "$out"
    case_end
    iop_stop "$SRV_PID"
else
    case_fail "s_server -no_middlebox starts" "no ACCEPT line" "$SRV_LOG"
fi

# s_server -stateless answers every first ClientHello with a
# HelloRetryRequest that carries only a cookie. OpenSSL 3.0's s_server then
# fails on the middlebox-compatibility ChangeCipherSpec that follows (its
# own s_client fails the same way without -no_middlebox), so this needs a
# client without middlebox compatibility.
if "$MUTLS" client --help 2>&1 | grep -q -- '--no-middlebox'; then
    sfifo=$T/stateless.fifo
    mkfifo "$sfifo"
    exec 7<>"$sfifo"
    if start_s_server stateless server-ecdsa-p256 "$sfifo" -stateless; then
        out=$T/stateless.out err=$T/stateless.err
        case_begin "HRR with a cookie: mutls client --no-middlebox -> s_server -stateless"
        { printf 'hello cookie\n'; wait_for_grep "$SRV_LOG" '^hello cookie$' 10; } |
            timeout "$IOP_CLIENT_TIMEOUT" "$MUTLS" client "localhost:$SRV_PORT" --ca "$CA" \
                --no-middlebox --trace >"$out" 2>"$err"
        expect_rc $? 0 "mutls client"
        expect_grep "$err" '<-+ HelloRetryRequest +server .*cookie' "--trace HelloRetryRequest"
        expect_grep "$err" '^handshake complete: TLSv1\.3 .*, 2 round trips,' "--trace summary"
        expect_grep "$SRV_LOG" '^hello cookie$' "s_server output"
        case_log "$err" "$SRV_LOG"
        case_end
        iop_stop "$SRV_PID"
    else
        case_fail "s_server -stateless starts" "no ACCEPT line" "$SRV_LOG"
    fi
    exec 7>&-
else
    echo "# skip - HRR with a cookie (s_server -stateless): mutls client has no --no-middlebox option"
fi

# ---- 2 MiB download from s_server -WWW ----------------------------------------

mkdir -p "$T/www"
make_text "$T/www/big.txt" $((2 * 1024 * 1024))
size=$(iop_size "$T/www/big.txt")
cd "$T/www" || exit 1
start_s_server www-files server-ed25519 /dev/null -WWW
started=$?
cd "$IOP_ROOT" || exit 1
if [ $started -eq 0 ]; then
    case_begin "2 MiB ($size bytes) download: mutls client --get /big.txt -> s_server -WWW"
    mutls_client "$T/get.out" "$T/get.err" "localhost:$SRV_PORT" --ca "$CA" --get /big.txt
    expect_rc $? 0 "mutls client"
    expect_grep "$T/get.out" '^HTTP/1\.0 200 ok' "response status"
    # The body follows the first empty line (CRLF line ends in the head).
    awk 'body {print; next} /^\r?$/ {body = 1}' "$T/get.out" >"$T/get.body"
    expect_same_file "$T/get.body" "$T/www/big.txt" "downloaded body"
    case_log "$T/get.err" "$SRV_LOG"
    case_end
    iop_stop "$SRV_PID"
else
    case_fail "s_server -WWW starts" "no ACCEPT line" "$SRV_LOG"
fi

# ---- KeyUpdate from the server: s_server's "k"/"K" commands -----------------

# s_server in its default mode sends standard input to the client and
# prints what it receives; a line "k" or "K" alone makes it send a
# KeyUpdate (K: update_requested). Both sides are driven through fifos.
for cmd in k K; do
    sfifo=$T/s-$cmd.fifo cfifo=$T/c-$cmd.fifo
    out=$T/sku-$cmd.out err=$T/sku-$cmd.err
    mkfifo "$sfifo" "$cfifo"
    exec 7<>"$sfifo"
    if ! start_s_server "sku-$cmd" server-ecdsa-p256 "$sfifo"; then
        exec 7>&-
        case_fail "s_server (interactive) starts" "no ACCEPT line" "$SRV_LOG"
        continue
    fi
    case_begin "KeyUpdate: s_server '$cmd' command in the middle of a mutls client session"
    timeout "$IOP_CLIENT_TIMEOUT" "$MUTLS" client "localhost:$SRV_PORT" --ca "$CA" \
        --trace <"$cfifo" >"$out" 2>"$err" &
    cpid=$!
    iop_track "$cpid"
    exec 8>"$cfifo"
    wait_for_grep "$err" '^mutls: connected to ' 10 "$cpid" || fail_because "no connection"
    fifo_put hello
    wait_for_grep "$SRV_LOG" '^hello$' 10 || fail_because "s_server did not receive 'hello'"
    printf '%s\n' "$cmd" >&7
    # (s_server's own "SSL_do_handshake -> 1" goes through stdio buffering:
    # watch the client's trace instead.)
    if [ "$cmd" = K ]; then want=update_requested; else want=update_not_requested; fi
    wait_for_grep "$err" "<-+ KeyUpdate +server +$want" 10 "$cpid" ||
        fail_because "--trace: KeyUpdate ($want) not received"
    if [ "$cmd" = K ]; then
        wait_for_grep "$err" 'KeyUpdate -+> +server +update_not_requested' 10 "$cpid" ||
            fail_because "--trace: no KeyUpdate sent in answer to update_requested"
    fi
    printf 'world\n' >&7
    wait_for_grep "$out" '^world$' 10 "$cpid" || fail_because "'world' from s_server did not arrive after the KeyUpdate"
    fifo_put again
    wait_for_grep "$SRV_LOG" '^again$' 10 || fail_because "s_server did not receive 'again' after the KeyUpdate"
    exec 8>&-
    iop_reap "$cpid"
    expect_rc $? 0 "mutls client"
    exec 7>&-
    [ "$cmd" = k ] && expect_no_grep "$err" 'KeyUpdate -+> +server' "--trace (no KeyUpdate answered)"
    [ "$(cat "$out")" = world ] || fail_because "client output is not exactly 'world'"
    case_log "$err" "$out" "$SRV_LOG"
    case_end
    iop_stop "$SRV_PID"
done

# ---- certificate failures -------------------------------------------------

# check_failure TAG CHAIN "DESCRIPTION" EXIT ERE CLIENT-ARGS...
check_failure() {
    local tag=$1 chain=$2 what=$3 want_rc=$4 re=$5 out=$T/f-$1.out err=$T/f-$1.err
    shift 5
    case_begin "$what"
    mutls_client "$out" "$err" "$@" --get /
    expect_rc $? "$want_rc" "mutls client"
    expect_grep "$err" "$re" "error message"
    expect_no_grep "$out" 'HTTP/' "output"
    case_log "$err"
    case_end
}

if start_s_server fail-good server-ecdsa-p256 /dev/null -www; then
    check_failure wrong-host server-ecdsa-p256 \
        "wrong host name: --servername other.example -> exit 1, names other.example" \
        1 'host name mismatch.*wanted other\.example.*sent alert bad_certificate' \
        "127.0.0.1:$SRV_PORT" --ca "$CA" --servername other.example
    check_failure no-ca server-ecdsa-p256 \
        "untrusted CA: no --ca (system store) -> exit 1, 'not a trusted'" \
        1 'not a trusted CA.*sent alert unknown_ca' "localhost:$SRV_PORT"
    check_failure rogue-ca server-ecdsa-p256 \
        "untrusted CA: --ca rogue-ca.pem -> exit 1, 'not a trusted'" \
        1 'not a trusted CA.*sent alert unknown_ca' "localhost:$SRV_PORT" --ca "$CERTS/rogue-ca.pem"
    # Not a failure: the IP address is checked against the IP SAN.
    case_begin "IP address: mutls client 127.0.0.1:PORT (no --servername) is verified against the IP SAN"
    mutls_client "$T/ip.out" "$T/ip.err" "127.0.0.1:$SRV_PORT" --ca "$CA" --get /
    expect_rc $? 0 "mutls client"
    expect_grep "$T/ip.err" 'verified$' "summary line"
    case_log "$T/ip.err"
    case_end
    iop_stop "$SRV_PID"
fi

for spec in \
    "expired:expired 2021-01-01T00:00:00Z .*sent alert certificate_expired" \
    "not-yet-valid:not yet valid.*sent alert certificate_expired" \
    "wrong-eku:not valid for TLS server authentication.*sent alert unsupported_certificate" \
    "rogue:issued by CN=rogue CA, which is not a trusted CA.*sent alert unknown_ca" \
    "wrong-name:host name mismatch.*wanted localhost.*sent alert bad_certificate"; do
    name=${spec%%:*} re=${spec#*:}
    if ! start_s_server "fail-$name" "server-$name" /dev/null -www; then
        case_fail "s_server with server-$name starts" "no ACCEPT line" "$SRV_LOG"
        continue
    fi
    check_failure "$name" "server-$name" "server-$name -> exit 1, message matches /$re/" \
        1 "$re" "localhost:$SRV_PORT" --ca "$CA"
    if [ "$name" = wrong-name ]; then
        # Its SAN has DNS:10.0.0.1, which must not match the IP 10.0.0.1
        # (only a name: nothing is sent to that address).
        check_failure wrong-name-ip "server-$name" \
            "server-wrong-name, --servername 10.0.0.1: the dNSName 10.0.0.1 does not match the IP" \
            1 "IP address mismatch.*wanted 10\.0\.0\.1.*sent alert bad_certificate" "127.0.0.1:$SRV_PORT" --ca "$CA" \
            --servername 10.0.0.1
    fi
    iop_stop "$SRV_PID"
done

iop_finish

#!/usr/bin/env bash
# TLS 1.2 between mutls and OpenSSL 3 (s_client -tls1_2, s_server -tls1_2).
#
#  - matrix, both directions: every TLS 1.2 suite mutls implements x server
#    chain (ECDHE_ECDSA suites with ecdsa-p256, ecdsa-p384 and ed25519;
#    ECDHE_RSA and RSA key exchange suites with rsa2048):
#      s_client -tls1_2 -cipher NAME -> mutls server --www: s_client's
#        protocol, cipher, extended master secret, verification, signature
#        type; the --www page's protocol, IANA cipher, ems, etm (yes for CBC
#        suites, no for AEAD ones);
#      mutls client --tls-max 1.2 --ciphers IANA -> s_server -tls1_2
#        -cipher NAME -www: the summary line, the --trace ServerHello (ems,
#        etm) and the cipher on s_server's page;
#  - MAC-then-encrypt: CBC suites without encrypt_then_mac (-no_etm on
#    either side), 256 KiB both ways; encrypt-then-MAC 256 KiB both ways;
#  - a peer without extended master secret (accepted: ems no);
#  - choice of chain by suite, PKCS#1 v1.5 ServerKeyExchange signatures
#    (--sigalgs), RSA key exchange refused unless enabled;
#  - renegotiation refused both ways (s_client's and s_server's "R"/"r");
#  - versions: TLS_FALLBACK_SCSV, TLS 1.0/1.1 refused, a TLS 1.3 client
#    against a TLS 1.2-only server (no false downgrade alarm), a TLS 1.2
#    client against a TLS 1.3 server (the downgrade sentinel is ignored),
#    --tls-min 1.3 against a TLS 1.2 peer.
#
# Exit 0 if every case passed, 1 otherwise, 77 without OpenSSL 3.
# shellcheck source=tests/interop/lib/common.sh
. "$(dirname "$0")/lib/common.sh"

iop_require_openssl3
iop_require_mutls

CA=$CERTS/ca.pem
T=$IOP_TMP
printf 'GET / HTTP/1.0\r\nHost: localhost\r\n\r\n' >"$T/get.req"

# An OpenSSL configuration that turns extended master secret off
# (SSL_OP_NO_EXTENDED_MASTER_SECRET: s_client/s_server have no option).
cat >"$T/no-ems.cnf" <<'EOF'
openssl_conf = openssl_init
[openssl_init]
ssl_conf = ssl_sect
[ssl_sect]
system_default = system_default_sect
[system_default_sect]
Options = -ExtendedMasterSecret
EOF

# s_client_get PORT OUT ARGS...: a verifying s_client sending an HTTP GET
# and reading until the server closes. Output (stdout and stderr) in OUT.
s_client_get() {
    local port=$1 out=$2
    shift 2
    timeout "$IOP_CLIENT_TIMEOUT" openssl s_client -connect "127.0.0.1:$port" \
        -servername localhost -CAfile "$CA" -verify_return_error \
        -verify_hostname localhost -ign_eof "$@" <"$T/get.req" >"$out" 2>&1
}

# s_server -tls1_2 with chain NAME (leaf from -cert, intermediate from
# -cert_chain).
start_s_server() { # TAG NAME STDIN ARGS...
    local tag=$1 name=$2 in=$3 leaf chain
    shift 3
    read -r leaf chain < <(split_chain "$name")
    start_openssl_server "$tag" "$in" -cert "$leaf" -key "$CERTS/$name.key" \
        -cert_chain "$chain" "$@"
}

mutls_client() { # OUT ERR HOST:PORT ARGS...
    local out=$1 err=$2 target=$3
    shift 3
    timeout "$IOP_CLIENT_TIMEOUT" "$MUTLS" client "$target" "$@" \
        </dev/null >"$out" 2>"$err"
}

# What s_client prints as "Peer signature type" in TLS 1.2 for a chain
# (mutls signs with RSA-PSS when the client offers it), and the --trace
# name of the ServerKeyExchange signature.
tls12_sig_type() {
    case $1 in
        rsa*) echo RSA-PSS ;;
        ecdsa-*) echo ECDSA ;;
        ed25519) echo ed25519 ;;
    esac
}
tls12_ske_scheme() {
    case $1 in
        rsa2048 | rsa2048-kex) echo 'rsa_pss_rsae_sha(256|384|512)' ;;
        ecdsa-*) echo 'ecdsa_secp(256r1_sha256|384r1_sha384|521r1_sha512)' ;;
        ed25519) echo 'ed25519' ;;
    esac
}

# ---- s_client -> mutls server: the matrix ------------------------------------

for cert in "${IOP_TLS12_ECDSA_CERTS[@]}" "${IOP_TLS12_RSA_CERTS[@]}"; do
    case $cert in
        # RSA key exchange only with a certificate allowing keyEncipherment
        rsa2048-kex) suites=("${IOP_TLS12_RSA_SUITES[@]}" "${IOP_TLS12_RSAKEX_SUITES[@]}") ;;
        rsa*) suites=("${IOP_TLS12_RSA_SUITES[@]}") ;;
        *) suites=("${IOP_TLS12_ECDSA_SUITES[@]}") ;;
    esac
    if ! start_mutls_server "www-$cert" --cert "$CERTS/server-$cert.pem" \
        --key "$CERTS/server-$cert.key" --rsa-kex --www --count "${#suites[@]}"; then
        case_fail "mutls server --www with server-$cert starts" "no 'listening on' line" "$SRV_LOG"
        continue
    fi
    for suite in "${suites[@]}"; do
        oname=$(openssl_cipher_name "$suite")
        etm=$(tls12_is_cbc "$suite")
        out=$T/sc-$cert-$suite.out
        case_begin "s_client -tls1_2 -cipher $oname -> mutls server (server-$cert): $suite, ems yes, etm $etm"
        s_client_get "$SRV_PORT" "$out" -tls1_2 -cipher "$oname"
        expect_rc $? 0 "s_client"
        expect_grep "$out" '^Verification: OK$' "s_client verification"
        expect_grep "$out" '^ +Protocol +: TLSv1\.2$' "s_client protocol"
        expect_grep "$out" "^ +Cipher +: $oname\$" "s_client cipher"
        expect_grep "$out" '^ +Extended master secret: yes$' "s_client EMS"
        expect_grep "$out" '^Secure Renegotiation IS supported$' "s_client renegotiation_info"
        case $suite in
            TLS_RSA_*)
                expect_no_grep "$out" '^Server Temp Key' "s_client (RSA key exchange)"
                group=- ;;
            *)
                expect_grep "$out" '^Server Temp Key: X25519, 253 bits$' "s_client group"
                expect_grep "$out" "^Peer signature type: $(tls12_sig_type "$cert")\$" "s_client signature type"
                group=x25519 ;;
        esac
        expect_grep "$out" '^HTTP/1\.[01] 200 ' "--www status line"
        expect_grep "$out" '^protocol: TLSv1\.2$' "--www protocol"
        expect_grep "$out" "^cipher: $suite\$" "--www cipher"
        expect_grep "$out" "^group: $group\$" "--www group"
        expect_grep "$out" '^sni: localhost$' "--www sni"
        expect_grep "$out" '^ems: yes$' "--www ems"
        expect_grep "$out" "^etm: $etm\$" "--www etm"
        case_log "$out"
        case_end
    done
    case_begin "mutls server --count ${#suites[@]} (server-$cert) logged ${#suites[@]} good TLS 1.2 connections and exited with 0"
    iop_wait_exit "$SRV_PID" 10
    expect_rc $? 0 "mutls server"
    n=$(grep -c ': TLSv1\.2 TLS_' "$SRV_LOG")
    [ "$n" = "${#suites[@]}" ] || fail_because "$n TLSv1.2 connection lines, expected ${#suites[@]}"
    expect_no_grep "$SRV_LOG" 'fail|error|alert' "server log"
    case_log "$SRV_LOG"
    case_end
done

# ---- mutls client -> s_server: the matrix --------------------------------------

for cert in "${IOP_TLS12_ECDSA_CERTS[@]}" "${IOP_TLS12_RSA_CERTS[@]}"; do
    case $cert in
        # RSA key exchange only with a certificate allowing keyEncipherment
        rsa2048-kex) suites=("${IOP_TLS12_RSA_SUITES[@]}" "${IOP_TLS12_RSAKEX_SUITES[@]}") ;;
        rsa*) suites=("${IOP_TLS12_RSA_SUITES[@]}") ;;
        *) suites=("${IOP_TLS12_ECDSA_SUITES[@]}") ;;
    esac
    for suite in "${suites[@]}"; do
        oname=$(openssl_cipher_name "$suite")
        etm=$(tls12_is_cbc "$suite")
        if ! start_s_server "ss-$cert-$suite" "server-$cert" /dev/null -tls1_2 -cipher "$oname" -www; then
            case_fail "s_server -tls1_2 -cipher $oname (server-$cert) starts" "no ACCEPT line" "$SRV_LOG"
            continue
        fi
        out=$T/mc-$cert-$suite.out err=$T/mc-$cert-$suite.err
        case_begin "mutls client --tls-max 1.2 --ciphers $suite -> s_server -tls1_2 -cipher $oname (server-$cert)"
        mutls_client "$out" "$err" "localhost:$SRV_PORT" --ca "$CA" --tls-max 1.2 \
            --ciphers "$suite" --get / --trace
        expect_rc $? 0 "mutls client"
        case $suite in TLS_RSA_*) group=- ;; *) group=x25519 ;; esac
        expect_grep "$err" "^mutls: connected to localhost:$SRV_PORT: TLSv1\\.2 $suite $group, no ALPN, server certificate CN=localhost \\(issuer CN=mutls test intermediate CA\\) verified\$" "summary line"
        expect_grep "$err" "<-+ ServerHello +server +version=TLSv1\\.2 suite=$suite ems=yes etm=$etm" "--trace ServerHello"
        expect_grep "$err" "<-+ Certificate +server +2 certificate\\(s\\), subject CN=localhost, issuer CN=mutls test intermediate CA, verified" "--trace Certificate"
        case $suite in
            TLS_RSA_*)
                expect_no_grep "$err" 'ServerKeyExchange' "--trace"
                expect_grep "$err" 'ClientKeyExchange -+> +server +RSA-encrypted premaster secret \(256 bytes\)' "--trace ClientKeyExchange" ;;
            *)
                expect_grep "$err" "<-+ ServerKeyExchange +server +ECDHE group=x25519, signed with $(tls12_ske_scheme "$cert"), signature valid" "--trace ServerKeyExchange" ;;
        esac
        expect_grep "$err" "^handshake complete: TLSv1\\.2 $suite $group, 2 round trips," "--trace summary"
        expect_grep "$out" '^HTTP/1\.0 200 ok' "s_server page status"
        expect_grep "$out" "^New, [^,]+, Cipher is $oname\$" "s_server page cipher"
        expect_grep "$out" '^ +Protocol +: TLSv1\.2$' "s_server page protocol"
        expect_grep "$out" '^ +Extended master secret: yes$' "s_server page EMS"
        expect_grep "$out" '</HTML>' "s_server page complete"
        case_log "$err" "$out"
        case_end
        iop_stop "$SRV_PID"
    done
done

# ---- CBC: MAC-then-encrypt (no encrypt_then_mac) and encrypt-then-MAC ---------

if start_mutls_server cbc --cert "$CERTS/server-ecdsa-p256.pem" \
    --key "$CERTS/server-ecdsa-p256.key" --www; then
    out=$T/noetm.out
    case_begin "s_client -tls1_2 -no_etm -cipher ECDHE-ECDSA-AES256-SHA -> mutls server --www: MAC-then-encrypt, etm: no"
    s_client_get "$SRV_PORT" "$out" -tls1_2 -no_etm -cipher ECDHE-ECDSA-AES256-SHA
    expect_rc $? 0 "s_client"
    expect_grep "$out" '^Verification: OK$' "s_client verification"
    expect_grep "$out" '^ +Cipher +: ECDHE-ECDSA-AES256-SHA$' "s_client cipher"
    expect_grep "$out" '^cipher: TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA$' "--www cipher"
    expect_grep "$out" '^ems: yes$' "--www ems"
    expect_grep "$out" '^etm: no$' "--www etm"
    case_log "$out"
    case_end
    iop_stop "$SRV_PID"
else
    case_fail "mutls server --www starts" "no 'listening on' line" "$SRV_LOG"
fi

# 256 KiB through mutls server --echo with a CBC suite, with and without
# encrypt_then_mac. (s_client -quiet -no_ign_eof ends at the end of its
# input: keep the input open until everything has come back.)
make_text "$T/cbc.in" $((256 * 1024))
size=$(iop_size "$T/cbc.in")
if start_mutls_server cbc-echo --cert "$CERTS/server-rsa2048.pem" \
    --key "$CERTS/server-rsa2048.key" --echo --trace; then
    conn=0
    for v in "-no_etm:no" ":yes"; do
        opt=${v%%:*} etm=${v#*:} conn=$((conn + 1))
        o=$T/cbc-echo-$etm.out e=$T/cbc-echo-$etm.err
        case_begin "$size bytes echoed: s_client -tls1_2${opt:+ $opt} -cipher ECDHE-RSA-AES128-SHA -> mutls server --echo (etm $etm)"
        # shellcheck disable=SC2094,SC2086 # (o is only watched; opt may be empty)
        { cat "$T/cbc.in"; wait_for_size "$o" "$size" 30; } |
            timeout 60 openssl s_client -connect "127.0.0.1:$SRV_PORT" -servername localhost \
                -CAfile "$CA" -verify_return_error -verify_hostname localhost \
                -quiet -no_ign_eof -nocommands -tls1_2 $opt -cipher ECDHE-RSA-AES128-SHA \
                >"$o" 2>"$e"
        expect_rc $? 0 "s_client"
        expect_same_file "$o" "$T/cbc.in" "echoed data"
        expect_grep "$SRV_LOG" "^#$conn .*ServerHello .*suite=TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA ems=yes etm=$etm" "server --trace ServerHello"
        case_log "$e" "$SRV_LOG"
        case_end
    done
    iop_stop "$SRV_PID"
else
    case_fail "mutls server --echo (server-rsa2048) starts" "no 'listening on' line" "$SRV_LOG"
fi

for v in "-no_etm:no" ":yes"; do
    opt=${v%%:*} etm=${v#*:}
    # shellcheck disable=SC2086
    if ! start_s_server "cbc-rev-$etm" server-ecdsa-p384 /dev/null -tls1_2 $opt -rev; then
        case_fail "s_server -tls1_2 $opt -rev starts" "no ACCEPT line" "$SRV_LOG"
        continue
    fi
    o=$T/cbc-rev-$etm.out e=$T/cbc-rev-$etm.err
    case_begin "$size bytes both ways: mutls client --ciphers TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA -> s_server -tls1_2${opt:+ $opt} -rev (etm $etm)"
    timeout 60 "$MUTLS" client "localhost:$SRV_PORT" --ca "$CA" \
        --ciphers TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA --trace <"$T/cbc.in" >"$o" 2>"$e"
    expect_rc $? 0 "mutls client"
    expect_grep "$e" "<-+ ServerHello +server +version=TLSv1\\.2 suite=TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA ems=yes etm=$etm" "--trace ServerHello"
    rev "$o" >"$o.rev"
    expect_same_file "$o.rev" "$T/cbc.in" "data reversed back"
    case_log "$e"
    case_end
    iop_stop "$SRV_PID"
done

# ---- no extended master secret ---------------------------------------------------

# RFC 7627 allows a full handshake without EMS; mutls accepts it and says so.
if start_mutls_server noems --cert "$CERTS/server-ecdsa-p256.pem" \
    --key "$CERTS/server-ecdsa-p256.key" --www; then
    out=$T/noems-sc.out
    case_begin "s_client -tls1_2 without extended master secret -> mutls server --www: ems: no"
    OPENSSL_CONF=$T/no-ems.cnf s_client_get "$SRV_PORT" "$out" -tls1_2
    expect_rc $? 0 "s_client"
    expect_grep "$out" '^ +Extended master secret: no$' "s_client EMS"
    expect_grep "$out" '^protocol: TLSv1\.2$' "--www protocol"
    expect_grep "$out" '^ems: no$' "--www ems"
    case_log "$out"
    case_end
    iop_stop "$SRV_PID"
fi
if OPENSSL_CONF=$T/no-ems.cnf start_s_server noems server-ecdsa-p256 /dev/null -tls1_2 -www; then
    out=$T/noems-mc.out err=$T/noems-mc.err
    case_begin "mutls client -> s_server -tls1_2 without extended master secret: ems=no in --trace"
    mutls_client "$out" "$err" "localhost:$SRV_PORT" --ca "$CA" --get / --trace
    expect_rc $? 0 "mutls client"
    expect_grep "$err" '<-+ ServerHello +server +version=TLSv1\.2 .* ems=no' "--trace ServerHello"
    expect_grep "$out" '^ +Extended master secret: no$' "s_server page EMS"
    case_log "$err" "$out"
    case_end
    iop_stop "$SRV_PID"
fi

# ---- chains, signature schemes, RSA key exchange ----------------------------------

if start_mutls_server multi --cert "$CERTS/server-rsa2048.pem" --key "$CERTS/server-rsa2048.key" \
    --cert "$CERTS/server-ecdsa-p256.pem" --key "$CERTS/server-ecdsa-p256.key" --www; then
    for v in ECDHE-RSA-AES128-GCM-SHA256:RSA-PSS:2048 ECDHE-ECDSA-AES128-GCM-SHA256:ECDSA:256; do
        IFS=: read -r oname want bits <<<"$v"
        out=$T/multi-$oname.out
        case_begin "RSA and ECDSA chains: s_client -tls1_2 -cipher $oname gets the $want chain"
        s_client_get "$SRV_PORT" "$out" -tls1_2 -cipher "$oname"
        expect_rc $? 0 "s_client"
        expect_grep "$out" "^ +Cipher +: $oname\$" "s_client cipher"
        expect_grep "$out" "^Server public key is $bits bit\$" "s_client server key"
        expect_grep "$out" "^Peer signature type: $want\$" "s_client signature type"
        case_log "$out"
        case_end
    done

    out=$T/rsakex-off.out
    case_begin "s_client -tls1_2 -cipher AES128-GCM-SHA256 (RSA key exchange only) -> mutls server without --rsa-kex fails"
    s_client_get "$SRV_PORT" "$out" -tls1_2 -cipher AES128-GCM-SHA256
    expect_rc_not $? 0 "s_client"
    expect_grep "$out" 'handshake failure' "s_client alert"
    expect_no_grep "$out" '^HTTP/' "s_client output"
    wait_for_grep "$SRV_LOG" 'handshake failed' 5 "$SRV_PID"
    expect_grep "$SRV_LOG" 'handshake failed: .*sent alert handshake_failure' "server log"
    case_log "$out" "$SRV_LOG"
    case_end
    iop_stop "$SRV_PID"
else
    case_fail "mutls server with two chains starts" "no 'listening on' line" "$SRV_LOG"
fi

# TLS 1.2 allows PKCS#1 v1.5 signatures in ServerKeyExchange (TLS 1.3 does
# not in CertificateVerify).
if start_mutls_server pkcs1 --cert "$CERTS/server-rsa2048.pem" --key "$CERTS/server-rsa2048.key" \
    --sigalgs rsa_pkcs1_sha384,rsa_pss_rsae_sha256 --www --trace; then
    out=$T/pkcs1.out
    case_begin "mutls server --sigalgs rsa_pkcs1_sha384,... -> s_client -tls1_2 sees an RSA PKCS#1 SHA-384 signature"
    s_client_get "$SRV_PORT" "$out" -tls1_2
    expect_rc $? 0 "s_client"
    expect_grep "$out" '^Peer signature type: RSA$' "s_client signature type"
    expect_grep "$out" '^Peer signing digest: SHA384$' "s_client signing digest"
    expect_grep "$SRV_LOG" '<-+ ServerKeyExchange +server .*signed with rsa_pkcs1_sha384' "server --trace"
    case_log "$out" "$SRV_LOG"
    case_end
    iop_stop "$SRV_PID"
fi
if start_s_server pkcs1 server-rsa2048 /dev/null -tls1_2 -www -sigalgs RSA+SHA256; then
    out=$T/pkcs1-mc.out err=$T/pkcs1-mc.err
    case_begin "mutls client -> s_server -tls1_2 -sigalgs RSA+SHA256: verifies a PKCS#1 v1.5 ServerKeyExchange"
    mutls_client "$out" "$err" "localhost:$SRV_PORT" --ca "$CA" --get / --trace
    expect_rc $? 0 "mutls client"
    expect_grep "$err" '<-+ ServerKeyExchange +server +ECDHE group=x25519, signed with rsa_pkcs1_sha256, signature valid' "--trace ServerKeyExchange"
    expect_grep "$out" '^ +Protocol +: TLSv1\.2$' "s_server page protocol"
    case_log "$err" "$out"
    case_end
    iop_stop "$SRV_PID"
fi

# ---- renegotiation ---------------------------------------------------------------

# mutls never renegotiates. It answers a renegotiation request (a
# ClientHello on an established connection, a HelloRequest) with a
# no_renegotiation warning and carries on. OpenSSL 3 then ends the
# connection itself: having asked for a renegotiation, it treats the
# refusal as fatal (handshake_failure, "no renegotiation" from
# ssl3_read_bytes), whichever side it is. So what is checked is mutls's
# side: data flows before, the refusal is a warning, mutls sends no fatal
# alert, and it reports OpenSSL's handshake_failure.
if start_mutls_server reneg --cert "$CERTS/server-ecdsa-p256.pem" \
    --key "$CERTS/server-ecdsa-p256.key" --echo --trace; then
    fifo=$T/reneg-sc.fifo out=$T/reneg-sc.out err=$T/reneg-sc.err
    mkfifo "$fifo"
    case_begin "renegotiation: s_client -tls1_2 'R' command -> mutls server refuses with a no_renegotiation warning"
    timeout "$IOP_CLIENT_TIMEOUT" openssl s_client -connect "127.0.0.1:$SRV_PORT" \
        -servername localhost -CAfile "$CA" -verify_return_error -verify_hostname localhost \
        -tls1_2 -no_ign_eof <"$fifo" >"$out" 2>"$err" &
    cpid=$!
    iop_track "$cpid"
    exec 8>"$fifo"
    fifo_put hello
    wait_for_grep "$out" '^hello$' 10 "$cpid" || fail_because "'hello' did not come back"
    fifo_put R
    wait_for_grep "$err" '^RENEGOTIATING$' 10 "$cpid" || fail_because "s_client did not report RENEGOTIATING"
    wait_for_grep "$SRV_LOG" '^#1 .*Alert -+> +server +fatal handshake_failure' 10 ||
        fail_because "server --trace: no handshake_failure from s_client"
    fifo_put world
    exec 8>&-
    iop_wait_exit "$cpid" 10
    expect_rc_not $? 0 "s_client"
    expect_grep "$out" '^Secure Renegotiation IS supported$' "s_client renegotiation_info"
    expect_grep "$err" 'no renegotiation' "s_client error"
    expect_no_grep "$out" '^world$' "s_client output (the connection is over)"
    expect_grep "$SRV_LOG" '^#1 .*ClientHello -+> +server +renegotiation request: refused' "server --trace ClientHello"
    expect_grep "$SRV_LOG" '^#1 .*<-+ Alert +server +warning no_renegotiation' "server --trace warning"
    expect_no_grep "$SRV_LOG" '^#1 .*<-+ Alert +server +fatal' "server --trace (mutls sends no fatal alert)"
    wait_for_grep "$SRV_LOG" 'received alert handshake_failure' 5
    expect_grep "$SRV_LOG" '^mutls server: 127\.0\.0\.1:[0-9]+: peer sent alert handshake_failure' "server log"
    case_log "$out" "$err" "$SRV_LOG"
    case_end
    iop_stop "$SRV_PID"
else
    case_fail "mutls server --echo starts" "no 'listening on' line" "$SRV_LOG"
fi

# s_server's "r" sends a HelloRequest; "R" also asks for a client
# certificate in the new handshake.
for cmd in r R; do
    sfifo=$T/reneg-$cmd.sfifo cfifo=$T/reneg-$cmd.cfifo
    out=$T/reneg-$cmd.out err=$T/reneg-$cmd.err
    mkfifo "$sfifo" "$cfifo"
    exec 7<>"$sfifo"
    if ! start_s_server "reneg-$cmd" server-ecdsa-p256 "$sfifo" -tls1_2; then
        exec 7>&-
        case_fail "s_server -tls1_2 (interactive) starts" "no ACCEPT line" "$SRV_LOG"
        continue
    fi
    case_begin "renegotiation: s_server -tls1_2 '$cmd' (HelloRequest) -> mutls client refuses with a no_renegotiation warning"
    timeout "$IOP_CLIENT_TIMEOUT" "$MUTLS" client "localhost:$SRV_PORT" --ca "$CA" \
        --trace <"$cfifo" >"$out" 2>"$err" &
    cpid=$!
    iop_track "$cpid"
    exec 8>"$cfifo"
    wait_for_grep "$err" '^mutls: connected to .*: TLSv1\.2 ' 10 "$cpid" || fail_because "no TLS 1.2 connection"
    fifo_put hello
    wait_for_grep "$SRV_LOG" '^hello$' 10 || fail_because "s_server did not receive 'hello'"
    printf 'before\n' >&7
    wait_for_grep "$out" '^before$' 10 "$cpid" || fail_because "'before' from s_server did not arrive"
    printf '%s\n' "$cmd" >&7
    wait_for_grep "$err" '<-+ HelloRequest +server +renegotiation request: refused' 10 "$cpid" ||
        fail_because "--trace: no HelloRequest refused"
    wait_for_grep "$err" 'Alert -+> +server +warning no_renegotiation' 10 "$cpid" ||
        fail_because "--trace: no no_renegotiation warning sent"
    iop_wait_exit "$cpid" 10
    rc=$?
    exec 8>&-
    exec 7>&-
    expect_rc "$rc" 1 "mutls client (s_server ends the connection)"
    expect_no_grep "$err" 'Alert -+> +server +fatal' "--trace (mutls sends no fatal alert)"
    expect_grep "$err" '<-+ Alert +server +fatal handshake_failure' "--trace (s_server's answer)"
    expect_grep "$err" 'peer sent alert handshake_failure' "mutls client error"
    expect_grep "$SRV_LOG" 'no renegotiation' "s_server error"
    [ "$(cat "$out")" = before ] || fail_because "client output is not exactly 'before'"
    case_log "$err" "$out" "$SRV_LOG"
    case_end
    iop_stop "$SRV_PID"
done

# ---- versions ---------------------------------------------------------------------

if start_mutls_server versions --cert "$CERTS/server-ecdsa-p256.pem" \
    --key "$CERTS/server-ecdsa-p256.key" --www; then
    out=$T/scsv13.out
    case_begin "s_client -tls1_2 -fallback_scsv -> mutls server (max TLS 1.3) fails with inappropriate_fallback"
    s_client_get "$SRV_PORT" "$out" -tls1_2 -fallback_scsv
    expect_rc_not $? 0 "s_client"
    expect_grep "$out" 'alert inappropriate fallback' "s_client alert"
    expect_no_grep "$out" '^HTTP/' "s_client output"
    wait_for_grep "$SRV_LOG" 'inappropriate_fallback' 5 "$SRV_PID"
    expect_grep "$SRV_LOG" 'TLS_FALLBACK_SCSV.*sent alert inappropriate_fallback' "server log"
    case_log "$out" "$SRV_LOG"
    case_end

    out=$T/plain12.out
    case_begin "s_client -tls1_2 (no SCSV) -> mutls server (max TLS 1.3) works"
    s_client_get "$SRV_PORT" "$out" -tls1_2
    expect_rc $? 0 "s_client"
    expect_grep "$out" '^protocol: TLSv1\.2$' "--www protocol"
    case_log "$out"
    case_end

    for v in tls1:'TLS 1\.0 \(0x0301\)' tls1_1:'TLS 1\.1 \(0x0302\)'; do
        opt=${v%%:*} re=${v#*:}
        out=$T/$opt.out
        # OpenSSL 3 refuses to send a TLS 1.0/1.1 hello above security level 0.
        case_begin "s_client -$opt -cipher DEFAULT@SECLEVEL=0 -> mutls server fails with protocol_version"
        s_client_get "$SRV_PORT" "$out" "-$opt" -cipher DEFAULT@SECLEVEL=0
        expect_rc_not $? 0 "s_client"
        expect_grep "$out" 'alert protocol version' "s_client alert"
        expect_no_grep "$out" '^HTTP/' "s_client output"
        wait_for_grep "$SRV_LOG" "$re" 5 "$SRV_PID"
        expect_grep "$SRV_LOG" "client offered only $re, which is obsolete.*sent alert protocol_version" "server log"
        case_log "$out" "$SRV_LOG"
        case_end
    done
    iop_stop "$SRV_PID"
else
    case_fail "mutls server --www starts" "no 'listening on' line" "$SRV_LOG"
fi

if start_mutls_server max12 --cert "$CERTS/server-ecdsa-p256.pem" \
    --key "$CERTS/server-ecdsa-p256.key" --www --tls-max 1.2; then
    out=$T/scsv12.out
    case_begin "s_client -tls1_2 -fallback_scsv -> mutls server --tls-max 1.2 works"
    s_client_get "$SRV_PORT" "$out" -tls1_2 -fallback_scsv
    expect_rc $? 0 "s_client"
    expect_grep "$out" '^Verification: OK$' "s_client verification"
    expect_grep "$out" '^protocol: TLSv1\.2$' "--www protocol"
    case_log "$out"
    case_end

    out=$T/sc13-max12.out
    case_begin "s_client (TLS 1.3 and 1.2) -> mutls server --tls-max 1.2: TLS 1.2, s_client sees no downgrade sentinel"
    s_client_get "$SRV_PORT" "$out"
    expect_rc $? 0 "s_client"
    expect_grep "$out" '^ +Protocol +: TLSv1\.2$' "s_client protocol"
    expect_grep "$out" '^protocol: TLSv1\.2$' "--www protocol"
    case_log "$out"
    case_end
    iop_stop "$SRV_PID"
fi

if start_mutls_server min13 --cert "$CERTS/server-ecdsa-p256.pem" \
    --key "$CERTS/server-ecdsa-p256.key" --www --tls-min 1.3; then
    out=$T/min13.out
    case_begin "s_client -tls1_2 -> mutls server --tls-min 1.3 fails with protocol_version"
    s_client_get "$SRV_PORT" "$out" -tls1_2
    expect_rc_not $? 0 "s_client"
    expect_grep "$out" 'alert protocol version' "s_client alert"
    case_log "$out"
    case_end
    iop_stop "$SRV_PID"
fi

# OpenSSL puts the RFC 8446 downgrade sentinel in its ServerHello.random
# only when it could have done TLS 1.3 itself: a -tls1_2 s_server does not.
if start_s_server only12 server-ecdsa-p256 /dev/null -tls1_2 -www; then
    out=$T/c13-s12.out err=$T/c13-s12.err
    case_begin "mutls client (TLS 1.3 and 1.2) -> s_server -tls1_2: TLS 1.2, no downgrade alarm"
    mutls_client "$out" "$err" "localhost:$SRV_PORT" --ca "$CA" --get / --trace
    expect_rc $? 0 "mutls client"
    expect_grep "$err" 'ClientHello -+> +server +versions=TLSv1\.3,TLSv1\.2 ' "--trace ClientHello"
    expect_grep "$err" '^mutls: connected to .*: TLSv1\.2 TLS_ECDHE_ECDSA_' "summary line"
    expect_no_grep "$err" 'downgrade|illegal_parameter' "client errors"
    expect_grep "$out" '^ +Protocol +: TLSv1\.2$' "s_server page protocol"
    case_log "$err" "$out"
    case_end

    out=$T/min13-s12.out err=$T/min13-s12.err
    case_begin "mutls client --tls-min 1.3 -> s_server -tls1_2 fails with protocol_version"
    mutls_client "$out" "$err" "localhost:$SRV_PORT" --ca "$CA" --tls-min 1.3 --get /
    expect_rc $? 1 "mutls client"
    expect_grep "$err" 'protocol_version' "error message"
    expect_no_grep "$out" 'HTTP/' "output"
    case_log "$err"
    case_end
    iop_stop "$SRV_PID"
fi

# A TLS 1.3-capable s_server negotiating TLS 1.2 with a --tls-max 1.2
# client does put the sentinel in: only a TLS 1.3-capable client may act on it.
if start_s_server s13 server-ed25519 /dev/null -www; then
    out=$T/c12-s13.out err=$T/c12-s13.err
    case_begin "mutls client --tls-max 1.2 -> s_server (TLS 1.3 capable, sets the downgrade sentinel): TLS 1.2 works"
    mutls_client "$out" "$err" "localhost:$SRV_PORT" --ca "$CA" --tls-max 1.2 --get / --trace
    expect_rc $? 0 "mutls client"
    expect_grep "$err" 'ClientHello -+> +server +versions=TLSv1\.2 ' "--trace ClientHello"
    expect_grep "$err" '^mutls: connected to .*: TLSv1\.2 TLS_ECDHE_ECDSA_.* verified$' "summary line"
    expect_grep "$out" '^ +Protocol +: TLSv1\.2$' "s_server page protocol"
    case_log "$err" "$out"
    case_end
    iop_stop "$SRV_PID"
fi

iop_finish

#!/usr/bin/env bash
# mutls against GnuTLS (gnutls-cli, gnutls-serv): TLS 1.2 and TLS 1.3.
#
#  - TLS 1.2 matrix, both directions: every TLS 1.2 suite mutls implements x
#    server chain (ECDHE_ECDSA suites with ecdsa-p256, ecdsa-p384, ed25519;
#    ECDHE_RSA suites with rsa2048; RSA key exchange suites with an RSA
#    chain whose keyUsage allows keyEncipherment, made on the fly: GnuTLS
#    enforces RFC 5246 7.4.2, which the committed RSA leaves do not meet),
#    each suite pinned by a GnuTLS priority string:
#      gnutls-cli -> mutls server --www: gnutls-cli's description and
#        options (extended master secret, EtM for CBC suites), the --www
#        page (protocol, IANA cipher, ems, etm);
#      mutls client --tls-max 1.2 -> gnutls-serv --http (which asks for a
#        client certificate: mutls sends an empty one): the summary line,
#        --trace (ems, etm) and gnutls-serv's own report of the connection;
#  - TLS 1.2 without EtM (MAC-then-encrypt) and without extended master
#    secret (%NO_ETM, %NO_SESSION_HASH), renegotiation refused both ways,
#    TLS 1.1 refused, and an RSA key exchange with a digitalSignature-only
#    certificate (GnuTLS refuses it);
#  - TLS 1.3, both directions: every TLS 1.3 suite with ecdsa-p256, every
#    other server chain with one suite, every group, a HelloRetryRequest,
#    and a client offering both versions.
#
# Exit 0 if every case passed, 1 otherwise, 77 without gnutls-cli/-serv.
# shellcheck source=tests/interop/lib/common.sh
. "$(dirname "$0")/lib/common.sh"

iop_require_cmd gnutls-cli gnutls-serv openssl timeout
iop_require_mutls

CA=$CERTS/ca.pem
T=$IOP_TMP
printf 'GET / HTTP/1.0\r\nHost: localhost\r\n\r\n' >"$T/get.req"

# gnutls_get PORT OUT PRIORITY [ARGS...]: a verifying gnutls-cli sending an
# HTTP GET (SNI localhost; at the end of its input it shuts down its side
# and reads until the server closes). Output (stdout and stderr) in OUT.
gnutls_get() {
    local port=$1 out=$2 prio=$3
    shift 3
    timeout "$IOP_CLIENT_TIMEOUT" gnutls-cli -p "$port" 127.0.0.1 \
        --sni-hostname localhost --verify-hostname localhost --x509cafile "$CA" \
        --priority "$prio" "$@" <"$T/get.req" >"$out" 2>&1
}

mutls_client() { # OUT ERR HOST:PORT ARGS...
    local out=$1 err=$2 target=$3
    shift 3
    timeout "$IOP_CLIENT_TIMEOUT" "$MUTLS" client "$target" "$@" \
        </dev/null >"$out" 2>"$err"
}

# GnuTLS's names for the parts of a TLS 1.2 suite.
gnutls_kx() {
    case $1 in
        TLS_ECDHE_ECDSA_*) echo ECDHE-ECDSA ;;
        TLS_ECDHE_RSA_*) echo ECDHE-RSA ;;
        TLS_RSA_*) echo RSA ;;
    esac
}
gnutls_cipher() {
    case $1 in
        *AES_128_GCM*) echo AES-128-GCM ;;
        *AES_256_GCM*) echo AES-256-GCM ;;
        *CHACHA20_POLY1305*) echo CHACHA20-POLY1305 ;;
        *AES_128_CBC*) echo AES-128-CBC ;;
        *AES_256_CBC*) echo AES-256-CBC ;;
    esac
}
gnutls_mac() {
    case $1 in *_CBC_SHA) echo SHA1 ;; *) echo AEAD ;; esac
}
# A priority string allowing exactly one TLS 1.2 suite.
gnutls_prio12() {
    echo "NORMAL:-VERS-ALL:+VERS-TLS1.2:-CIPHER-ALL:+$(gnutls_cipher "$1"):-MAC-ALL:+$(gnutls_mac "$1"):-KX-ALL:+$(gnutls_kx "$1")"
}
# ERE for gnutls-cli's "- Description:" of a TLS 1.2 connection.
gnutls_desc12() { # SUITE CHAIN
    local kx sig mac=""
    case $2 in
        ecdsa-*) sig='ECDSA-SHA(256|384|512)' ;;
        ed25519) sig='EdDSA-Ed25519' ;;
        rsa*) sig='RSA-PSS-RSAE-SHA(256|384|512)' ;;
    esac
    [ "$(gnutls_mac "$1")" = SHA1 ] && mac='-\(SHA1\)'
    case $1 in
        TLS_RSA_*) kx='\(RSA\)' ;;
        *) kx="\\(ECDHE-X25519\\)-\\($sig\\)" ;;
    esac
    echo "^- Description: \\(TLS1\\.2-X\\.509\\)-$kx-\\($(gnutls_cipher "$1")\\)$mac\$"
}

if ! RSAKEX=$(make_rsa_kex_cert server-rsa-kex); then
    case_fail "make an RSA certificate allowing keyEncipherment" "openssl req/x509 failed" \
        "$T/server-rsa-kex.log"
    iop_finish
fi

# Chain file and key for a chain name (rsa-kex: the one made above).
chain_pem() { if [ "$1" = rsa-kex ]; then echo "$RSAKEX.pem"; else echo "$CERTS/server-$1.pem"; fi; }
chain_key() { if [ "$1" = rsa-kex ]; then echo "$RSAKEX.key"; else echo "$CERTS/server-$1.key"; fi; }

# Suites for a chain.
suites_for() {
    case $1 in
        rsa2048) echo "${IOP_TLS12_RSA_SUITES[*]}" ;;
        rsa-kex) echo "${IOP_TLS12_RSAKEX_SUITES[*]}" ;;
        *) echo "${IOP_TLS12_ECDSA_SUITES[*]}" ;;
    esac
}
TLS12_CHAINS=("${IOP_TLS12_ECDSA_CERTS[@]}" rsa2048 rsa-kex)

# ---- TLS 1.2: gnutls-cli -> mutls server ---------------------------------------

for cert in "${TLS12_CHAINS[@]}"; do
    read -r -a suites <<<"$(suites_for "$cert")"
    if ! start_mutls_server "www-$cert" --cert "$(chain_pem "$cert")" --key "$(chain_key "$cert")" \
        --rsa-kex --www --count "${#suites[@]}"; then
        case_fail "mutls server --www with $cert starts" "no 'listening on' line" "$SRV_LOG"
        continue
    fi
    for suite in "${suites[@]}"; do
        etm=$(tls12_is_cbc "$suite")
        prio=$(gnutls_prio12 "$suite")
        out=$T/gc-$cert-$suite.out
        case_begin "gnutls-cli --priority ...$(gnutls_kx "$suite"):$(gnutls_cipher "$suite") -> mutls server ($cert): $suite, ems yes, etm $etm"
        gnutls_get "$SRV_PORT" "$out" "$prio"
        expect_rc $? 0 "gnutls-cli"
        expect_grep "$out" '^- Status: The certificate is trusted' "gnutls-cli verification"
        expect_grep "$out" "$(gnutls_desc12 "$suite" "$cert")" "gnutls-cli description"
        expect_grep "$out" '^- Options: .*extended master secret' "gnutls-cli options (EMS)"
        expect_grep "$out" '^- Options: .*safe renegotiation' "gnutls-cli options (renegotiation_info)"
        if [ "$etm" = yes ]; then
            expect_grep "$out" '^- Options: .*EtM' "gnutls-cli options (EtM)"
        else
            expect_no_grep "$out" '^- Options: .*EtM' "gnutls-cli options (no EtM with an AEAD)"
        fi
        expect_grep "$out" '^protocol: TLSv1\.2$' "--www protocol"
        expect_grep "$out" "^cipher: $suite\$" "--www cipher"
        expect_grep "$out" '^sni: localhost$' "--www sni"
        expect_grep "$out" '^ems: yes$' "--www ems"
        expect_grep "$out" "^etm: $etm\$" "--www etm"
        expect_grep "$out" '^- Peer has closed the GnuTLS connection' "gnutls-cli (close_notify)"
        case_log "$out"
        case_end
    done
    case_begin "mutls server --count ${#suites[@]} ($cert) logged ${#suites[@]} good TLS 1.2 connections and exited with 0"
    iop_wait_exit "$SRV_PID" 10
    expect_rc $? 0 "mutls server"
    n=$(grep -c ': TLSv1\.2 TLS_' "$SRV_LOG")
    [ "$n" = "${#suites[@]}" ] || fail_because "$n TLSv1.2 connection lines, expected ${#suites[@]}"
    expect_no_grep "$SRV_LOG" 'fail|error|alert' "server log"
    case_log "$SRV_LOG"
    case_end
done

# ---- TLS 1.2: mutls client -> gnutls-serv -----------------------------------------

for cert in "${TLS12_CHAINS[@]}"; do
    read -r -a suites <<<"$(suites_for "$cert")"
    for suite in "${suites[@]}"; do
        etm=$(tls12_is_cbc "$suite")
        if ! start_gnutls_server "gs-$cert-$suite" --http --x509certfile "$(chain_pem "$cert")" \
            --x509keyfile "$(chain_key "$cert")" --priority "$(gnutls_prio12 "$suite")"; then
            case_fail "gnutls-serv --http ($cert, $suite) starts" "not listening" "$SRV_LOG"
            continue
        fi
        # The client offers its defaults (all ECDHE suites; --rsa-kex adds
        # the RSA ones): the server's priority picks the suite.
        extra=()
        case $suite in TLS_RSA_*) extra=(--rsa-kex); group=- ;; *) group=x25519 ;; esac
        out=$T/mg-$cert-$suite.out err=$T/mg-$cert-$suite.err
        case_begin "mutls client --tls-max 1.2${extra[*]:+ ${extra[*]}} -> gnutls-serv --priority ...$(gnutls_kx "$suite"):$(gnutls_cipher "$suite") ($cert): $suite"
        mutls_client "$out" "$err" "127.0.0.1:$SRV_PORT" --servername localhost --ca "$CA" \
            --tls-max 1.2 "${extra[@]}" --get / --trace
        expect_rc $? 0 "mutls client"
        expect_grep "$err" "^mutls: connected to 127\\.0\\.0\\.1:$SRV_PORT: TLSv1\\.2 $suite $group, no ALPN, server certificate CN=localhost \\(issuer CN=mutls test intermediate CA\\) verified\$" "summary line"
        expect_grep "$err" "<-+ ServerHello +server +version=TLSv1\\.2 suite=$suite ems=yes etm=$etm" "--trace ServerHello"
        expect_grep "$err" '<-+ CertificateRequest +server ' "--trace CertificateRequest"
        expect_grep "$err" 'Certificate -+> +server +empty' "--trace empty client Certificate"
        expect_grep "$err" "^handshake complete: TLSv1\\.2 $suite $group, 2 round trips," "--trace summary"
        expect_grep "$out" '^HTTP/1\.0 200 OK' "gnutls-serv page"
        expect_grep "$out" 'TLS1\.2-X\.509' "gnutls-serv page (description)"
        expect_grep "$SRV_LOG" '^- Version: TLS1\.2$' "gnutls-serv version"
        expect_grep "$SRV_LOG" "^- Key Exchange: $(gnutls_kx "$suite")\$" "gnutls-serv key exchange"
        expect_grep "$SRV_LOG" "^- Cipher: $(gnutls_cipher "$suite")\$" "gnutls-serv cipher"
        expect_grep "$SRV_LOG" "^- MAC: $(gnutls_mac "$suite")\$" "gnutls-serv MAC"
        expect_grep "$SRV_LOG" '^- Options: .*extended master secret' "gnutls-serv options (EMS)"
        if [ "$etm" = yes ]; then
            expect_grep "$SRV_LOG" '^- Options: .*EtM' "gnutls-serv options (EtM)"
        else
            expect_no_grep "$SRV_LOG" '^- Options: .*EtM' "gnutls-serv options (no EtM)"
        fi
        expect_grep "$SRV_LOG" '^- Given server name\[1\]: localhost$' "gnutls-serv SNI"
        case_log "$err" "$SRV_LOG"
        case_end
        iop_stop "$SRV_PID"
    done
done

# ---- TLS 1.2: no EtM, no EMS -------------------------------------------------------

if start_mutls_server opts --cert "$CERTS/server-ecdsa-p256.pem" \
    --key "$CERTS/server-ecdsa-p256.key" --www; then
    out=$T/noetm.out
    case_begin "gnutls-cli %NO_ETM, AES-128-CBC -> mutls server --www: MAC-then-encrypt, etm: no"
    gnutls_get "$SRV_PORT" "$out" "$(gnutls_prio12 TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA):%NO_ETM"
    expect_rc $? 0 "gnutls-cli"
    expect_no_grep "$out" '^- Options: .*EtM' "gnutls-cli options"
    expect_grep "$out" '^cipher: TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA$' "--www cipher"
    expect_grep "$out" '^etm: no$' "--www etm"
    expect_grep "$out" '^ems: yes$' "--www ems"
    case_log "$out"
    case_end

    out=$T/noems.out
    case_begin "gnutls-cli %NO_SESSION_HASH -> mutls server --www: accepted without extended master secret, ems: no"
    gnutls_get "$SRV_PORT" "$out" "NORMAL:-VERS-ALL:+VERS-TLS1.2:%NO_SESSION_HASH"
    expect_rc $? 0 "gnutls-cli"
    expect_no_grep "$out" '^- Options: .*extended master secret' "gnutls-cli options"
    expect_grep "$out" '^protocol: TLSv1\.2$' "--www protocol"
    expect_grep "$out" '^ems: no$' "--www ems"
    case_log "$out"
    case_end

    out=$T/tls11.out
    case_begin "gnutls-cli +VERS-TLS1.1 only -> mutls server fails with protocol_version"
    gnutls_get "$SRV_PORT" "$out" "NORMAL:-VERS-ALL:+VERS-TLS1.1"
    expect_rc_not $? 0 "gnutls-cli"
    expect_grep "$out" 'protocol version|Protocol version' "gnutls-cli error"
    wait_for_grep "$SRV_LOG" 'protocol_version' 5 "$SRV_PID"
    expect_grep "$SRV_LOG" 'TLS 1\.1 \(0x0302\), which is obsolete.*sent alert protocol_version' "server log"
    case_log "$out" "$SRV_LOG"
    case_end

    out=$T/both.out
    case_begin "gnutls-cli NORMAL (TLS 1.3 and 1.2) -> mutls server: TLS 1.3"
    gnutls_get "$SRV_PORT" "$out" NORMAL
    expect_rc $? 0 "gnutls-cli"
    expect_grep "$out" '^- Description: \(TLS1\.3-X\.509\)' "gnutls-cli description"
    expect_grep "$out" '^protocol: TLSv1\.3$' "--www protocol"
    case_log "$out"
    case_end
    iop_stop "$SRV_PID"
else
    case_fail "mutls server --www starts" "no 'listening on' line" "$SRV_LOG"
fi

if start_gnutls_server noetm --http --x509certfile "$CERTS/server-rsa2048.pem" \
    --x509keyfile "$CERTS/server-rsa2048.key" \
    --priority "$(gnutls_prio12 TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA):%NO_ETM:%NO_SESSION_HASH"; then
    out=$T/mg-noetm.out err=$T/mg-noetm.err
    case_begin "mutls client -> gnutls-serv %NO_ETM:%NO_SESSION_HASH, AES-256-CBC: MAC-then-encrypt, no EMS"
    mutls_client "$out" "$err" "127.0.0.1:$SRV_PORT" --servername localhost --ca "$CA" --get / --trace
    expect_rc $? 0 "mutls client"
    expect_grep "$err" '<-+ ServerHello +server +version=TLSv1\.2 suite=TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA ems=no etm=no' "--trace ServerHello"
    expect_grep "$out" '^HTTP/1\.0 200 OK' "gnutls-serv page"
    expect_no_grep "$SRV_LOG" '^- Options: .*(EtM|extended master secret)' "gnutls-serv options"
    case_log "$err" "$SRV_LOG"
    case_end
    iop_stop "$SRV_PID"
else
    case_fail "gnutls-serv %NO_ETM starts" "not listening" "$SRV_LOG"
fi

# RFC 5246 7.4.2: for RSA key exchange "the certificate MUST allow the key
# to be used for encryption". The committed RSA leaves have keyUsage
# digitalSignature (critical) only. GnuTLS refuses to encrypt to such a key;
# mutls's server still picks an RSA key exchange suite for it (and its
# client, like OpenSSL's, encrypts to it). Only the outcome (no
# connection) is checked; which side refused is reported as a note.
if start_mutls_server rsakex-ku --cert "$CERTS/server-rsa2048.pem" \
    --key "$CERTS/server-rsa2048.key" --rsa-kex --www; then
    out=$T/rsakex-ku.out
    case_begin "gnutls-cli (RSA key exchange only) -> mutls server --rsa-kex with a digitalSignature-only RSA leaf: no connection"
    gnutls_get "$SRV_PORT" "$out" "$(gnutls_prio12 TLS_RSA_WITH_AES_128_GCM_SHA256)"
    expect_rc_not $? 0 "gnutls-cli"
    expect_no_grep "$out" '^protocol: ' "--www page"
    wait_for_grep "$SRV_LOG" 'handshake failed' 5 "$SRV_PID"
    case_log "$out" "$SRV_LOG"
    case_end
    if grep -q 'Key usage violation' "$out"; then
        echo "# note: mutls server selected RSA key exchange for a certificate without keyEncipherment; gnutls-cli refused it (key usage violation)"
    fi
    iop_stop "$SRV_PID"
fi

# ---- TLS 1.2: renegotiation ----------------------------------------------------------

# mutls never renegotiates: it answers a renegotiation request with a
# no_renegotiation warning and carries on. What the peer then does is up to
# it: gnutls-cli's ^renegotiate^ retries the handshake, sending a fresh
# ClientHello after each warning; mutls refuses three times with a warning,
# then ends the connection with a fatal no_renegotiation rather than loop;
# gnutls-serv (after the client sends **REHANDSHAKE**) takes the warning as
# a receive error and drops the connection without close_notify. Checked:
# data flows before, mutls refuses with warnings, then stops.
if start_mutls_server reneg --cert "$CERTS/server-ecdsa-p256.pem" \
    --key "$CERTS/server-ecdsa-p256.key" --echo --trace; then
    fifo=$T/reneg-gc.fifo out=$T/reneg-gc.out
    mkfifo "$fifo"
    case_begin "renegotiation: gnutls-cli ^renegotiate^ -> mutls server refuses 3 ClientHellos with a no_renegotiation warning, then ends the connection"
    timeout "$IOP_CLIENT_TIMEOUT" gnutls-cli -p "$SRV_PORT" 127.0.0.1 --sni-hostname localhost \
        --verify-hostname localhost --x509cafile "$CA" --priority 'NORMAL:-VERS-ALL:+VERS-TLS1.2' \
        --inline-commands <"$fifo" >"$out" 2>&1 &
    cpid=$!
    iop_track "$cpid"
    exec 8>"$fifo"
    wait_for_grep "$out" '^- Simple Client Mode' 10 "$cpid" || fail_because "no connection"
    fifo_put hello
    wait_for_grep "$out" '^hello$' 10 "$cpid" || fail_because "'hello' did not come back"
    fifo_put '^renegotiate^'
    wait_for_grep "$out" 'Received alert \[100\]: No renegotiation' 10 "$cpid" ||
        fail_because "gnutls-cli did not receive no_renegotiation"
    exec 8>&-
    iop_wait_exit "$cpid" 10
    expect_rc_not $? 0 "gnutls-cli (gives up)"
    expect_grep "$SRV_LOG" '^#1 .*ClientHello -+> +server +renegotiation request: refused' "server --trace ClientHello"
    expect_grep "$SRV_LOG" '^#1 .*<-+ Alert +server +warning no_renegotiation' "server --trace warning"
    n=$(grep -c '^#1 handshake complete: ' "$SRV_LOG")
    [ "$n" = 1 ] || fail_because "server --trace: $n completed handshakes, expected 1 (no renegotiation)"
    n=$(grep -c '^#1 .*renegotiation request: refused' "$SRV_LOG")
    m=$(grep -Ec '^#1 .*<-+ Alert +server +warning no_renegotiation' "$SRV_LOG")
    [ "$m" -ge 1 ] && [ "$m" -le 3 ] || fail_because "server --trace: $m no_renegotiation warnings, expected 1 to 3"
    if [ "$n" -gt 3 ]; then
        expect_grep "$SRV_LOG" '^#1 .*<-+ Alert +server +fatal no_renegotiation' "server --trace (fatal after 3 refusals)"
        expect_grep "$SRV_LOG" 'asked to renegotiate 4 times' "server log (why it stopped)"
    fi
    case_log "$out" "$SRV_LOG"
    case_end
    echo "# note: gnutls-cli sent $n renegotiation ClientHellos, each refused with a warning"
    iop_stop "$SRV_PID"
else
    case_fail "mutls server --echo starts" "no 'listening on' line" "$SRV_LOG"
fi

if start_gnutls_server reneg --echo -a --x509certfile "$CERTS/server-ecdsa-p256.pem" \
    --x509keyfile "$CERTS/server-ecdsa-p256.key" --priority 'NORMAL:-VERS-ALL:+VERS-TLS1.2'; then
    fifo=$T/reneg-mc.fifo out=$T/reneg-mc.out err=$T/reneg-mc.err
    mkfifo "$fifo"
    case_begin "renegotiation: gnutls-serv HelloRequest (**REHANDSHAKE**) -> mutls client refuses with a no_renegotiation warning"
    timeout "$IOP_CLIENT_TIMEOUT" "$MUTLS" client "127.0.0.1:$SRV_PORT" --servername localhost \
        --ca "$CA" --trace <"$fifo" >"$out" 2>"$err" &
    cpid=$!
    iop_track "$cpid"
    exec 8>"$fifo"
    wait_for_grep "$err" '^mutls: connected to .*: TLSv1\.2 ' 10 "$cpid" || fail_because "no TLS 1.2 connection"
    fifo_put hello
    wait_for_grep "$out" '^hello$' 10 "$cpid" || fail_because "'hello' did not come back"
    fifo_put '**REHANDSHAKE**'
    wait_for_grep "$err" '<-+ HelloRequest +server +renegotiation request: refused' 10 "$cpid" ||
        fail_because "--trace: no HelloRequest refused"
    wait_for_grep "$err" 'Alert -+> +server +warning no_renegotiation' 10 "$cpid" ||
        fail_because "--trace: no no_renegotiation warning sent"
    iop_wait_exit "$cpid" 10
    rc=$?
    exec 8>&-
    expect_rc "$rc" 1 "mutls client (gnutls-serv drops the connection)"
    expect_no_grep "$err" 'Alert -+> +server +fatal' "--trace (mutls sends no fatal alert)"
    expect_grep "$err" 'closed without close_notify' "mutls client error"
    expect_grep "$SRV_LOG" 'Sending rehandshake request' "gnutls-serv"
    expect_grep "$SRV_LOG" 'warning alert has been received' "gnutls-serv"
    case_log "$err" "$out" "$SRV_LOG"
    case_end
    iop_stop "$SRV_PID"
else
    case_fail "gnutls-serv --echo starts" "not listening" "$SRV_LOG"
fi

# ---- TLS 1.3 -----------------------------------------------------------------------

gnutls_cipher13() {
    case $1 in
        TLS_AES_128_GCM_SHA256) echo AES-128-GCM ;;
        TLS_AES_256_GCM_SHA384) echo AES-256-GCM ;;
        TLS_CHACHA20_POLY1305_SHA256) echo CHACHA20-POLY1305 ;;
    esac
}
gnutls_group() {
    case $1 in
        x25519) echo X25519 ;;
        secp256r1) echo SECP256R1 ;;
        secp384r1) echo SECP384R1 ;;
    esac
}
# How GnuTLS names the TLS 1.3 signature of a chain.
gnutls_sig13() {
    case $1 in
        rsa2048 | rsa4096) echo 'RSA-PSS-RSAE-SHA(256|384|512)' ;;
        rsa-pss) echo 'RSA-PSS-SHA(256|384|512)' ;;
        ecdsa-p256) echo 'ECDSA-SECP256R1-SHA256' ;;
        ecdsa-p384) echo 'ECDSA-SECP384R1-SHA384' ;;
        ed25519) echo 'EdDSA-Ed25519' ;;
    esac
}
P13='NORMAL:-VERS-ALL:+VERS-TLS1.3'

# (cert suite group) triples: every suite with ecdsa-p256, every other
# chain and every group with the default suite.
CASES13=()
for s in "${IOP_SUITES[@]}"; do CASES13+=("ecdsa-p256 $s x25519"); done
for c in "${IOP_CERT_TYPES[@]}"; do
    [ "$c" = ecdsa-p256 ] || CASES13+=("$c TLS_AES_128_GCM_SHA256 x25519")
done
CASES13+=("ecdsa-p256 TLS_AES_128_GCM_SHA256 secp256r1" "ecdsa-p256 TLS_AES_128_GCM_SHA256 secp384r1")

# gnutls-cli -> mutls server (one server holding every chain: GnuTLS's
# signature algorithms pick one).
args=()
for c in "${IOP_CERT_TYPES[@]}"; do
    args+=(--cert "$CERTS/server-$c.pem" --key "$CERTS/server-$c.key")
done
if start_mutls_server tls13 "${args[@]}" --www; then
    for cs in "${CASES13[@]}"; do
        read -r cert suite group <<<"$cs"
        case $cert in
            rsa2048 | rsa4096) sign=+SIGN-RSA-PSS-RSAE-SHA256:+SIGN-RSA-PSS-RSAE-SHA384:+SIGN-RSA-PSS-RSAE-SHA512 ;;
            rsa-pss) sign=+SIGN-RSA-PSS-SHA256:+SIGN-RSA-PSS-SHA384:+SIGN-RSA-PSS-SHA512 ;;
            ecdsa-p256) sign=+SIGN-ECDSA-SECP256R1-SHA256 ;;
            ecdsa-p384) sign=+SIGN-ECDSA-SECP384R1-SHA384 ;;
            ed25519) sign=+SIGN-EDDSA-ED25519 ;;
        esac
        # rsa2048 and rsa4096 both match RSA-PSS-RSAE: not told apart here.
        out=$T/gc13-$cert-$suite-$group.out
        case_begin "TLS 1.3: gnutls-cli $(gnutls_cipher13 "$suite") $(gnutls_group "$group") ${sign%%:*} -> mutls server: $suite $group ($cert)"
        gnutls_get "$SRV_PORT" "$out" "$P13:-CIPHER-ALL:+$(gnutls_cipher13 "$suite"):-GROUP-ALL:+GROUP-$(gnutls_group "$group"):-SIGN-ALL:$sign"
        expect_rc $? 0 "gnutls-cli"
        expect_grep "$out" '^- Status: The certificate is trusted' "gnutls-cli verification"
        expect_grep "$out" "^- Description: \\(TLS1\\.3-X\\.509\\)-\\(ECDHE-$(gnutls_group "$group")\\)-\\($(gnutls_sig13 "$cert")\\)-\\($(gnutls_cipher13 "$suite")\\)\$" "gnutls-cli description"
        expect_grep "$out" '^protocol: TLSv1\.3$' "--www protocol"
        expect_grep "$out" "^cipher: $suite\$" "--www cipher"
        expect_grep "$out" "^group: $group\$" "--www group"
        expect_grep "$out" '^hrr: no$' "--www hrr"
        case_log "$out"
        case_end
    done
    iop_stop "$SRV_PID"
else
    case_fail "mutls server with every chain starts" "no 'listening on' line" "$SRV_LOG"
fi

# HelloRetryRequest: gnutls-cli sends key shares for X25519 and SECP256R1
# (its first two groups); the server wants secp384r1.
if start_mutls_server hrr --cert "$CERTS/server-ecdsa-p256.pem" --key "$CERTS/server-ecdsa-p256.key" \
    --groups secp384r1 --www --trace; then
    out=$T/gc13-hrr.out
    case_begin "TLS 1.3 HRR: gnutls-cli X25519,SECP256R1,SECP384R1 -> mutls server --groups secp384r1"
    gnutls_get "$SRV_PORT" "$out" "$P13:-GROUP-ALL:+GROUP-X25519:+GROUP-SECP256R1:+GROUP-SECP384R1"
    expect_rc $? 0 "gnutls-cli"
    expect_grep "$out" '^- Description: \(TLS1\.3-X\.509\)-\(ECDHE-SECP384R1\)-' "gnutls-cli description"
    expect_grep "$out" '^group: secp384r1$' "--www group"
    expect_grep "$out" '^hrr: yes$' "--www hrr"
    expect_grep "$SRV_LOG" '^#1 .*HelloRetryRequest' "server --trace"
    expect_grep "$SRV_LOG" '^#1 handshake complete: TLSv1\.3 .* secp384r1, 2 round trips' "server --trace summary"
    case_log "$out" "$SRV_LOG"
    case_end
    iop_stop "$SRV_PID"
else
    case_fail "mutls server --groups secp384r1 starts" "no 'listening on' line" "$SRV_LOG"
fi

# mutls client -> gnutls-serv (pinned by its priority string; it asks for
# a client certificate: mutls sends an empty Certificate).
for cs in "${CASES13[@]}"; do
    read -r cert suite group <<<"$cs"
    if ! start_gnutls_server "gs13-$cert-$suite-$group" --http \
        --x509certfile "$CERTS/server-$cert.pem" --x509keyfile "$CERTS/server-$cert.key" \
        --priority "$P13:-CIPHER-ALL:+$(gnutls_cipher13 "$suite"):-GROUP-ALL:+GROUP-$(gnutls_group "$group")"; then
        case_fail "gnutls-serv --http ($cert, $suite, $group) starts" "not listening" "$SRV_LOG"
        continue
    fi
    # With a group other than x25519 the client's first key share
    # (x25519) does not fit: a HelloRetryRequest.
    if [ "$group" = x25519 ]; then rt="1 round trip"; else rt="2 round trips"; fi
    out=$T/mg13-$cert-$suite-$group.out err=$T/mg13-$cert-$suite-$group.err
    case_begin "TLS 1.3: mutls client -> gnutls-serv $(gnutls_cipher13 "$suite") $(gnutls_group "$group") ($cert): $rt"
    mutls_client "$out" "$err" "127.0.0.1:$SRV_PORT" --servername localhost --ca "$CA" --get / --trace
    expect_rc $? 0 "mutls client"
    expect_grep "$err" "^mutls: connected to 127\\.0\\.0\\.1:$SRV_PORT: TLSv1\\.3 $suite $group, no ALPN, server certificate CN=localhost \\(issuer CN=mutls test intermediate CA\\) verified\$" "summary line"
    expect_grep "$err" "<-+ CertificateVerify +server +scheme=$(tls_sig_schemes "$cert"), signature valid" "--trace CertificateVerify"
    expect_grep "$err" '<-+ CertificateRequest +server ' "--trace CertificateRequest"
    expect_grep "$err" "^handshake complete: TLSv1\\.3 $suite $group, $rt," "--trace summary"
    [ "$group" != x25519 ] && expect_grep "$err" "<-+ HelloRetryRequest +server .*group=$group" "--trace HelloRetryRequest"
    expect_grep "$out" '^HTTP/1\.0 200 OK' "gnutls-serv page"
    expect_grep "$SRV_LOG" '^- Version: TLS1\.3$' "gnutls-serv version"
    expect_grep "$SRV_LOG" "^- Cipher: $(gnutls_cipher13 "$suite")\$" "gnutls-serv cipher"
    expect_grep "$SRV_LOG" "^ - Using curve: $(gnutls_group "$group")\$" "gnutls-serv group"
    case_log "$err" "$SRV_LOG"
    case_end
    iop_stop "$SRV_PID"
done

# A TLS 1.2-only gnutls-serv: a TLS 1.3-capable mutls client falls back to
# TLS 1.2 without a false downgrade alarm.
if start_gnutls_server only12 --http --x509certfile "$CERTS/server-ed25519.pem" \
    --x509keyfile "$CERTS/server-ed25519.key" --priority 'NORMAL:-VERS-ALL:+VERS-TLS1.2'; then
    out=$T/mg-only12.out err=$T/mg-only12.err
    case_begin "mutls client (TLS 1.3 and 1.2) -> gnutls-serv TLS 1.2 only: TLS 1.2"
    mutls_client "$out" "$err" "127.0.0.1:$SRV_PORT" --servername localhost --ca "$CA" --get / --trace
    expect_rc $? 0 "mutls client"
    expect_grep "$err" '^mutls: connected to .*: TLSv1\.2 TLS_ECDHE_ECDSA_.* verified$' "summary line"
    expect_grep "$err" 'signed with ed25519, signature valid' "--trace ServerKeyExchange"
    expect_grep "$SRV_LOG" '^- Version: TLS1\.2$' "gnutls-serv version"
    case_log "$err" "$SRV_LOG"
    case_end
    iop_stop "$SRV_PID"
fi

iop_finish

#!/usr/bin/env bash
# Mutual TLS (client certificates) against other implementations, TLS 1.3
# and TLS 1.2 each. Client PKI: tests/certs/client-*.pem (see
# tests/certs/README.md, "The mutual-TLS set").
#
#  - openssl s_client -cert/-key -> mutls server --client-ca client-ca.pem
#    --crl client-ca.crl.pem --www, with --verify-client require and
#    optional: alice accepted, the page's client_subject, client_issuer,
#    client_san (exact), client_spiffe_id, client_fingerprint (against
#    `openssl x509 -fingerprint -sha256`) and client_verified; bob (RSA) and
#    carol (Ed25519) accepted; no certificate refused under require (alert
#    certificate_required / handshake_failure) and accepted under optional
#    (client_subject: -); rogue, expired, not yet valid, revoked, wrong EKU
#    and RSA 1024 refused under both, each with the server's "client
#    rejected: subject S, issuer I, serial N: REASON" line; the CA names in
#    CertificateRequest (and none with --no-ca-names); a CRL is needed for
#    every CA (a CA 2 client is refused with only client CA 1's CRL);
#    s_client -enable_pha -> mutls server --post-handshake-auth (TLS 1.3:
#    CertificateRequest after the handshake; a client without PHA, and TLS
#    1.2, are asked during the handshake), and a Python client with
#    post_handshake_auth whose request arrives before its certificate: the
#    page must wait for the certificate (and never reach a client without
#    one);
#  - curl --cacert ca.pem --cert/--key (TLS 1.3, --tls-max 1.2) -> page with
#    the identity; without --cert it fails;
#  - Python ssl (SSLContext, load_cert_chain, load_verify_locations,
#    maximum_version) -> page with the identity; without a certificate
#    refused;
#  - mutls client --cert -> openssl s_server -Verify 1 -CAfile
#    client-ca.pem -www: s_server saw alice; without --cert exit 1 with "the
#    server requires a client certificate" and the CA names; dave (CA 2)
#    then alice: alice chosen (--trace says why); dave alone: nothing fits;
#  - mutls client --cert -> gnutls-serv --require-client-cert --echo (each
#    version by --priority): echoed, gnutls-serv saw alice; without --cert
#    refused with a clear message;
#  - DNS spoofing / hijacking, mutls client (with a client certificate) ->
#    an s_server asking for client certificates: a valid certificate for
#    another name (server-wrong-name: other.example) -> "host name
#    mismatch" naming both the certificate's names and the wanted one, and
#    no CA complaint; the right name from an untrusted CA (server-rogue) ->
#    names the subject and the untrusted issuer, and no name complaint; in
#    both the client certificate is never sent to the impostor.
#
# Exit 0 if every case passed, 1 otherwise, 77 without OpenSSL 3.
# shellcheck source=tests/interop/lib/common.sh
. "$(dirname "$0")/lib/common.sh"

iop_require_openssl3
iop_require_mutls

CA=$CERTS/ca.pem
CCA=$CERTS/client-ca.pem
CRL=$CERTS/client-ca.crl.pem
T=$IOP_TMP
printf 'GET / HTTP/1.0\r\nHost: localhost\r\n\r\n' >"$T/get.req"
VERSIONS=(1.3 1.2)
SCHAIN=server-ecdsa-p256

# ---- helpers ---------------------------------------------------------------

# Identity of a client certificate as the server's log and page print it.
cert_dn() { # FILE subject|issuer  (RFC 4514 order)
    openssl x509 -in "$1" -noout -"$2" -nameopt RFC2253 | sed "s/^$2=//"
}
cert_serial() { # FILE -> 20:0b
    openssl x509 -in "$1" -noout -serial | sed 's/^serial=//' | tr 'A-F' 'a-f' |
        sed 's/../&:/g; s/:$//'
}
cert_fp() { # FILE -> lower-case hex, no colons
    openssl x509 -in "$1" -noout -fingerprint -sha256 | sed 's/^.*=//' | tr -d : | tr 'A-F' 'a-f'
}

# A whole line, compared as a fixed string (carriage returns ignored).
expect_line() { # FILE LINE [WHAT]
    tr -d '\r' <"$1" 2>/dev/null | grep -Fxq -- "$2" ||
        fail_because "${3:-$(basename "$1")}: no line '$2'"
}
expect_fgrep() { # FILE STRING [WHAT]
    grep -Fq -- "$2" "$1" 2>/dev/null ||
        fail_because "${3:-$(basename "$1")}: no '$2'"
}
expect_no_fgrep() { # FILE STRING [WHAT]
    if grep -Fq -- "$2" "$1" 2>/dev/null; then
        fail_because "${3:-$(basename "$1")}: unexpected '$2': $(grep -Fm1 -- "$2" "$1")"
    fi
}

# Server logs grow over many cases: look only at what one case added.
#   log_mark; ...client...; wait_new FILE ERE SECS; new_lines FILE >OUT
LOG_MARK=0
log_mark() { LOG_MARK=$(wc -l <"$SRV_LOG" 2>/dev/null || echo 0); }
new_lines() { tail -n +"$((LOG_MARK + 1))" "$1" 2>/dev/null; }
wait_new() { # FILE ERE SECS: wait until a new line matches
    local i=0 n
    n=$(awk -v s="$3" 'BEGIN {printf "%d", s * 20}')
    while [ "$i" -lt "$n" ]; do
        new_lines "$1" | grep -Eq -- "$2" && return 0
        sleep 0.05
        i=$((i + 1))
    done
    return 1
}
# Copy what the server logged for this case into OUT (for checks and logs).
snap_log() { # OUT
    new_lines "$SRV_LOG" >"$1"
}

ALICE=$CERTS/client-alice.pem
ALICE_SUBJECT="CN=alice,OU=engineering,O=Example Org"
ALICE_SAN="DNS:alice.example.org, URI:spiffe://example.org/alice, email:alice@example.org, IP:192.0.2.7, IP:2001:db8::7"
ALICE_FP=$(cert_fp "$ALICE")
CLIENT_CA_NAME="CN=mutls test client CA"

# The --www page lines for a verified client NAME.
expect_identity() { # OUT NAME
    local f=$1 c=$CERTS/client-$2.pem
    expect_line "$f" "client_subject: $(cert_dn "$c" subject)" "--www client_subject"
    expect_line "$f" "client_issuer: $(cert_dn "$c" issuer)" "--www client_issuer"
    expect_line "$f" "client_fingerprint: sha256:$(cert_fp "$c")" "--www client_fingerprint"
    expect_line "$f" "client_verified: yes" "--www client_verified"
    case $2 in
    alice)
        expect_line "$f" "client_subject: $ALICE_SUBJECT" "--www client_subject"
        expect_line "$f" "client_san: $ALICE_SAN" "--www client_san"
        expect_line "$f" "client_spiffe_id: spiffe://example.org/alice" "--www client_spiffe_id"
        expect_line "$f" "client_fingerprint: sha256:$ALICE_FP" "--www client_fingerprint"
        ;;
    bob-rsa)
        expect_line "$f" "client_san: URI:spiffe://example.org/bob" "--www client_san"
        expect_line "$f" "client_spiffe_id: spiffe://example.org/bob" "--www client_spiffe_id" ;;
    carol-ed25519)
        expect_line "$f" "client_san: URI:spiffe://example.org/carol" "--www client_san"
        expect_line "$f" "client_spiffe_id: spiffe://example.org/carol" "--www client_spiffe_id" ;;
    esac
}
expect_no_identity() { # OUT
    local k
    for k in subject issuer san spiffe_id fingerprint; do
        expect_line "$1" "client_$k: -" "--www client_$k"
    done
    expect_line "$1" "client_verified: no" "--www client_verified"
}

# s_client_get PORT OUT VERSION ARGS...: a verifying s_client sending an
# HTTP GET and reading until the server closes; stdout+stderr in OUT.
s_client_get() {
    local port=$1 out=$2 v=$3
    shift 3
    timeout "$IOP_CLIENT_TIMEOUT" openssl s_client -connect "127.0.0.1:$port" \
        "-tls1_${v#1.}" -servername localhost -CAfile "$CA" -verify_return_error \
        -verify_hostname localhost -ign_eof "$@" <"$T/get.req" >"$out" 2>&1
}
cert_args() { # NAME -> -cert/-key for s_client
    echo "-cert $CERTS/client-$1.pem -key $CERTS/client-$1.key"
}

mutls_client() { # OUT ERR HOST:PORT ARGS...
    local out=$1 err=$2 target=$3
    shift 3
    timeout "$IOP_CLIENT_TIMEOUT" "$MUTLS" client "$target" "$@" \
        </dev/null >"$out" 2>"$err"
}

# openssl s_server with server chain NAME (leaf in -cert, the rest, if
# any, in -cert_chain).
start_s_server() { # TAG NAME ARGS...
    local tag=$1 name=$2 leaf chain
    shift 2
    read -r leaf chain < <(split_chain "$name")
    if [ -s "$chain" ]; then
        start_openssl_server "$tag" /dev/null -cert "$leaf" -key "$CERTS/$name.key" \
            -cert_chain "$chain" "$@"
    else
        start_openssl_server "$tag" /dev/null -cert "$leaf" -key "$CERTS/$name.key" "$@"
    fi
}

# Bad client certificates: NAME|s_client's alert text|the server's reason
# (ERE)|the alert mutls sends.
BAD_CLIENTS=(
    "rogue|alert unknown ca|client certificate CN=rogue client issued by CN=rogue client CA, which is not a trusted client CA|unknown_ca"
    "expired|alert certificate expired|client certificate CN=expired client .*expired 2021-01-01T00:00:00Z|certificate_expired"
    "notyet|alert certificate expired|client certificate CN=future client is not yet valid|certificate_expired"
    "revoked|alert certificate revoked|client certificate CN=revoked client .*was revoked on 2024-01-01T00:00:00Z \\(reason: keyCompromise\\)|certificate_revoked"
    "wrong-eku|alert unsupported certificate|client certificate CN=server-only client is not valid for TLS client authentication|unsupported_certificate"
    "rsa1024|alert unsupported certificate|client certificate CN=weak client has a 1024-bit RSA key|unsupported_certificate"
)

# ---- openssl s_client -> mutls server ---------------------------------------

for mode in require optional; do
    if ! start_mutls_server "www-$mode" --cert "$CERTS/$SCHAIN.pem" --key "$CERTS/$SCHAIN.key" \
        --client-ca "$CCA" --verify-client "$mode" --crl "$CRL" --www; then
        case_fail "mutls server --client-ca client-ca.pem --verify-client $mode --crl starts" \
            "no 'listening on' line" "$SRV_LOG"
        continue
    fi
    for v in "${VERSIONS[@]}"; do
        ver=TLSv$v
        for who in alice bob-rsa carol-ed25519; do
            out=$T/s-$mode-$v-$who.out
            case_begin "s_client -tls1_${v#1.} $(cert_args "$who" | sed "s|$CERTS/||g") -> mutls server --verify-client $mode: accepted, identity on the page"
            # shellcheck disable=SC2046
            s_client_get "$SRV_PORT" "$out" "$v" $(cert_args "$who")
            expect_rc $? 0 "s_client"
            expect_grep "$out" '^Verification: OK$' "s_client verification"
            expect_grep "$out" 'HTTP/1\.[01] 200 ' "--www status line"
            expect_line "$out" "protocol: $ver" "--www protocol"
            expect_identity "$out" "$who"
            if [ "$who" = alice ]; then
                # The CA names of CertificateRequest, as s_client saw them.
                expect_grep "$out" '^Acceptable client certificate CA names$' "s_client CA names"
                expect_line "$out" "CN = mutls test client CA" "s_client CA names"
            fi
            case_log "$out"
            case_end
        done

        out=$T/s-$mode-$v-none.out
        log=$T/s-$mode-$v-none.log
        log_mark
        s_client_get "$SRV_PORT" "$out" "$v"
        rc=$?
        if [ "$mode" = require ]; then
            case_begin "s_client -tls1_${v#1.} without a certificate -> mutls server --verify-client require: refused"
            expect_rc_not "$rc" 0 "s_client"
            if [ "$v" = 1.3 ]; then
                expect_grep "$out" 'alert certificate required' "s_client error"
                want=certificate_required
            else
                expect_grep "$out" 'alert handshake failure' "s_client error"
                want=handshake_failure
            fi
            expect_no_grep "$out" 'HTTP/1\.[01] ' "s_client output"
            wait_new "$SRV_LOG" 'client sent no certificate' 5
            snap_log "$log"
            expect_grep "$log" "the client sent no certificate, and this server requires one \\(it accepts certificates from: $CLIENT_CA_NAME\\) \\(sent alert $want\\)" "server log"
            case_log "$out" "$log"
        else
            case_begin "s_client -tls1_${v#1.} without a certificate -> mutls server --verify-client optional: accepted, client_subject: -"
            expect_rc "$rc" 0 "s_client"
            expect_line "$out" "protocol: $ver" "--www protocol"
            expect_no_identity "$out"
            case_log "$out"
        fi
        case_end

        for spec in "${BAD_CLIENTS[@]}"; do
            IFS='|' read -r who alert reason malert <<<"$spec"
            c=$CERTS/client-$who.pem
            out=$T/s-$mode-$v-$who.out
            log=$T/s-$mode-$v-$who.log
            extra=()
            # OpenSSL's default security level refuses to load an RSA 1024 key.
            [ "$who" = rsa1024 ] && extra=(-cipher 'DEFAULT:@SECLEVEL=0')
            case_begin "s_client -tls1_${v#1.} -cert client-$who.pem -> mutls server --verify-client $mode: refused ($malert), logged with subject, issuer, serial, reason"
            log_mark
            # shellcheck disable=SC2046
            s_client_get "$SRV_PORT" "$out" "$v" $(cert_args "$who") "${extra[@]}"
            expect_rc_not $? 0 "s_client"
            expect_grep "$out" "$alert" "s_client error"
            expect_no_grep "$out" 'HTTP/1\.[01] ' "s_client output"
            prefix="client rejected: subject $(cert_dn "$c" subject), issuer $(cert_dn "$c" issuer), serial $(cert_serial "$c"): "
            wait_new "$SRV_LOG" 'client rejected' 5
            snap_log "$log"
            expect_fgrep "$log" "$prefix" "server log (subject, issuer, serial)"
            if ! grep -F -- "$prefix" "$log" | grep -Eq -- "$reason.* \\(sent alert $malert\\)\$"; then
                fail_because "server log: the rejection line does not match /$reason.* \\(sent alert $malert\\)\$/"
            fi
            expect_grep "$log" "^mutls server: 127\\.0\\.0\\.1:[0-9]+: client rejected: " "server log format"
            case_log "$out" "$log"
            case_end
        done
    done
    iop_stop "$SRV_PID"
done

# --no-ca-names: CertificateRequest without certificate_authorities.
if start_mutls_server noca --cert "$CERTS/$SCHAIN.pem" --key "$CERTS/$SCHAIN.key" \
    --client-ca "$CCA" --no-ca-names --www; then
    for v in "${VERSIONS[@]}"; do
        out=$T/s-noca-$v.out
        case_begin "s_client -tls1_${v#1.} (alice) -> mutls server --no-ca-names: no CA names sent, alice accepted"
        # shellcheck disable=SC2046
        s_client_get "$SRV_PORT" "$out" "$v" $(cert_args alice)
        expect_rc $? 0 "s_client"
        expect_grep "$out" '^No client certificate CA names sent$' "s_client CA names"
        expect_no_grep "$out" '^Acceptable client certificate CA names$' "s_client CA names"
        expect_identity "$out" alice
        case_log "$out"
        case_end
    done
    iop_stop "$SRV_PID"
else
    case_fail "mutls server --no-ca-names starts" "no 'listening on' line" "$SRV_LOG"
fi

# Revocation checking needs a CRL from every CA: with both client CAs
# trusted and only client CA 1's CRL, alice (CA 1) is fine and dave (CA 2)
# is refused, saying which CRL is missing.
if start_mutls_server crl2 --cert "$CERTS/$SCHAIN.pem" --key "$CERTS/$SCHAIN.key" \
    --client-ca "$CERTS/client-cas.pem" --crl "$CRL" --www; then
    v=1.3
    out=$T/s-crl2-alice.out
    case_begin "s_client (alice, client CA) -> mutls server --client-ca client-cas.pem --crl client-ca.crl.pem: accepted"
    # shellcheck disable=SC2046
    s_client_get "$SRV_PORT" "$out" "$v" $(cert_args alice)
    expect_rc $? 0 "s_client"
    expect_identity "$out" alice
    case_log "$out"
    case_end

    out=$T/s-crl2-dave.out log=$T/s-crl2-dave.log
    case_begin "s_client (dave, client CA 2, no CRL loaded for it) -> same server: refused, 'no CRL loaded for CA CN=mutls test client CA 2'"
    log_mark
    # shellcheck disable=SC2046
    s_client_get "$SRV_PORT" "$out" "$v" $(cert_args dave)
    expect_rc_not $? 0 "s_client"
    expect_no_grep "$out" 'HTTP/1\.[01] ' "s_client output"
    wait_new "$SRV_LOG" 'client rejected' 5
    snap_log "$log"
    expect_fgrep "$log" "client rejected: subject CN=dave, issuer CN=mutls test client CA 2, serial $(cert_serial "$CERTS/client-dave.pem"): " "server log"
    expect_fgrep "$log" "no CRL loaded for CA CN=mutls test client CA 2" "server log"
    case_log "$out" "$log"
    case_end
    iop_stop "$SRV_PID"
else
    case_fail "mutls server --client-ca client-cas.pem --crl starts" "no 'listening on' line" "$SRV_LOG"
fi

# ---- post-handshake authentication ------------------------------------------
# The server sends CertificateRequest right after the handshake; when the
# client's request arrives relative to its answer is up to the client:
#  - s_client, request delayed 0.5 s: the answer comes first;
#  - Python (post_handshake_auth = True), request sent as soon as the
#    handshake is over, before the client has even read the
#    CertificateRequest: the request comes first, and the server must still
#    wait for the answer before serving anything (RFC 8446 4.6.2 lets the
#    client send data in between).

# s_client_get_later PORT OUT VERSION ARGS...: s_client_get with the
# request written 0.5 s after start.
s_client_get_later() {
    local port=$1 out=$2 v=$3
    shift 3
    (sleep 0.5; cat "$T/get.req") | timeout "$IOP_CLIENT_TIMEOUT" openssl s_client \
        -connect "127.0.0.1:$port" "-tls1_${v#1.}" -servername localhost -CAfile "$CA" \
        -verify_return_error -verify_hostname localhost -ign_eof "$@" >"$out" 2>&1
}

PY_PHA_CLIENT='
import socket, ssl, sys
port, cafile, cert, key = sys.argv[1:5]
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
ctx.load_verify_locations(cafile)
ctx.post_handshake_auth = True
if cert != "-":
    ctx.load_cert_chain(cert, key)
try:
    with socket.create_connection(("127.0.0.1", int(port)), timeout=10) as s:
        with ctx.wrap_socket(s, server_hostname="localhost") as t:
            print("py-version:", t.version(), flush=True)
            t.sendall(b"GET / HTTP/1.0\r\nHost: localhost\r\n\r\n")
            data = b""
            while True:
                d = t.recv(4096)
                if not d:
                    break
                data += d
            sys.stdout.write(data.decode())
except (ssl.SSLError, OSError) as e:
    print("py-error:", type(e).__name__, e, flush=True)
    sys.exit(1)
'

if start_mutls_server pha --cert "$CERTS/$SCHAIN.pem" --key "$CERTS/$SCHAIN.key" \
    --client-ca "$CCA" --post-handshake-auth --www --trace; then
    out=$T/pha-alice.out log=$T/pha-alice.log
    case_begin "s_client -tls1_3 -enable_pha (alice), request after 0.5 s -> mutls server --post-handshake-auth: CertificateRequest after the handshake, identity reported"
    log_mark
    # shellcheck disable=SC2046
    s_client_get_later "$SRV_PORT" "$out" 1.3 -enable_pha $(cert_args alice)
    expect_rc $? 0 "s_client"
    expect_line "$out" "protocol: TLSv1.3" "--www protocol"
    expect_identity "$out" alice
    wait_new "$SRV_LOG" 'close_notify' 5
    snap_log "$log"
    expect_grep "$log" "<-+ CertificateRequest +server +post-handshake: client certificate required; CAs: $CLIENT_CA_NAME" "server --trace (CertificateRequest)"
    expect_grep "$log" "Certificate -+> +server +1 certificate\\(s\\), subject $ALICE_SUBJECT, issuer $CLIENT_CA_NAME, verified" "server --trace (client Certificate)"
    expect_grep "$log" 'Finished -+> +server +post-handshake authentication complete' "server --trace (Finished)"
    # The request follows the handshake: after the client's Finished, and
    # none during the handshake.
    if ! awk '/Finished -+> +server +verify_data valid/ {f = 1} /CertificateRequest/ {n++; if (f) ok = 1} END {exit !(ok && n == 1)}' "$log"; then
        fail_because "server --trace: not exactly one CertificateRequest, after the client's Finished"
    fi
    case_log "$out" "$log"
    case_end

    out=$T/pha-none.out log=$T/pha-none.log
    case_begin "s_client -tls1_3 -enable_pha without a certificate, request after 0.5 s -> mutls server --post-handshake-auth: refused (certificate_required)"
    log_mark
    s_client_get_later "$SRV_PORT" "$out" 1.3 -enable_pha
    expect_rc_not $? 0 "s_client"
    expect_grep "$out" 'alert certificate required' "s_client error"
    expect_no_grep "$out" 'HTTP/1\.[01] ' "s_client output"
    wait_new "$SRV_LOG" 'client sent no certificate' 5
    snap_log "$log"
    expect_grep "$log" 'post-handshake: client certificate required' "server --trace"
    expect_grep "$log" "the client sent no certificate, and this server requires one .*\\(sent alert certificate_required\\)" "server log"
    case_log "$out" "$log"
    case_end

    if python3 -c 'import ssl; ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT).post_handshake_auth = True' >/dev/null 2>&1; then
        out=$T/pha-py-alice.out log=$T/pha-py-alice.log
        case_begin "python ssl post_handshake_auth (alice), request before the answer -> mutls server --post-handshake-auth: the page waits for the certificate, identity reported"
        log_mark
        timeout "$IOP_CLIENT_TIMEOUT" python3 -c "$PY_PHA_CLIENT" "$SRV_PORT" "$CA" \
            "$ALICE" "$CERTS/client-alice.key" >"$out" 2>&1
        expect_rc $? 0 "python client"
        expect_line "$out" "protocol: TLSv1.3" "--www protocol"
        expect_identity "$out" alice
        wait_new "$SRV_LOG" 'close_notify' 5
        snap_log "$log"
        expect_grep "$log" 'post-handshake: client certificate required' "server --trace"
        case_log "$out" "$log"
        case_end

        out=$T/pha-py-none.out log=$T/pha-py-none.log
        case_begin "python ssl post_handshake_auth without a certificate, request before the answer -> mutls server --post-handshake-auth (require): refused, no page"
        log_mark
        timeout "$IOP_CLIENT_TIMEOUT" python3 -c "$PY_PHA_CLIENT" "$SRV_PORT" "$CA" - - >"$out" 2>&1
        expect_rc $? 1 "python client"
        expect_grep "$out" '^py-error: SSLError .*CERTIFICATE_REQUIRED' "python error"
        expect_no_grep "$out" '^HTTP/|^client_' "python output (the page went to an unauthenticated client)"
        sleep 0.2
        snap_log "$log"
        expect_grep "$log" "the client sent no certificate, and this server requires one .*\\(sent alert certificate_required\\)" "server log"
        case_log "$out" "$log"
        case_end
    else
        echo "# skip - python3 ssl without post_handshake_auth: no Python PHA cases"
    fi

    for v in 1.3 1.2; do
        out=$T/pha-nopha-$v.out log=$T/pha-nopha-$v.log
        case_begin "s_client -tls1_${v#1.} without post_handshake_auth (alice) -> mutls server --post-handshake-auth: asked during the handshake, accepted"
        log_mark
        # shellcheck disable=SC2046
        s_client_get "$SRV_PORT" "$out" "$v" $(cert_args alice)
        expect_rc $? 0 "s_client"
        expect_line "$out" "protocol: TLSv$v" "--www protocol"
        expect_identity "$out" alice
        wait_new "$SRV_LOG" 'close_notify' 5
        snap_log "$log"
        expect_grep "$log" "<-+ CertificateRequest +server +client certificate required; CAs: $CLIENT_CA_NAME" "server --trace (in-handshake CertificateRequest)"
        expect_no_grep "$log" 'post-handshake' "server --trace"
        case_log "$out" "$log"
        case_end
    done
    iop_stop "$SRV_PID"
else
    case_fail "mutls server --post-handshake-auth starts" "no 'listening on' line" "$SRV_LOG"
fi

# ---- curl and Python -> mutls server (require) ------------------------------

HAVE_PY=0 HAVE_CURL=0
python3 -c 'import ssl; ssl.TLSVersion.TLSv1_2' >/dev/null 2>&1 && HAVE_PY=1
command -v curl >/dev/null 2>&1 && HAVE_CURL=1

PY_CLIENT='
import socket, ssl, sys
port, cafile, maxv, cert, key = sys.argv[1:6]
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
ctx.load_verify_locations(cafile)
if cert != "-":
    ctx.load_cert_chain(cert, key)
if maxv == "1.2":
    ctx.maximum_version = ssl.TLSVersion.TLSv1_2
try:
    with socket.create_connection(("127.0.0.1", int(port)), timeout=10) as s:
        with ctx.wrap_socket(s, server_hostname="localhost") as t:
            print("py-version:", t.version(), flush=True)
            t.sendall(b"GET / HTTP/1.0\r\nHost: localhost\r\n\r\n")
            data = b""
            while True:
                d = t.recv(4096)
                if not d:
                    break
                data += d
            sys.stdout.write(data.decode())
except (ssl.SSLError, OSError) as e:
    print("py-error:", type(e).__name__, e, flush=True)
    sys.exit(1)
'

if [ $HAVE_PY = 1 ] || [ $HAVE_CURL = 1 ]; then
    if start_mutls_server pycurl --cert "$CERTS/$SCHAIN.pem" --key "$CERTS/$SCHAIN.key" \
        --client-ca "$CCA" --www; then
        for v in "${VERSIONS[@]}"; do
            if [ $HAVE_CURL = 1 ]; then
                vopt=()
                [ "$v" = 1.2 ] && vopt=(--tls-max 1.2)
                curl_get() { # OUT ERR ARGS...
                    local out=$1 err=$2
                    shift 2
                    timeout "$IOP_CLIENT_TIMEOUT" curl -sS -v --resolve "localhost:$SRV_PORT:127.0.0.1" \
                        --cacert "$CA" "${vopt[@]}" "$@" "https://localhost:$SRV_PORT/" >"$out" 2>"$err"
                }
                out=$T/curl-$v.out err=$T/curl-$v.err
                case_begin "curl ${vopt[*]:-(TLS 1.3)} --cert client-alice.pem --key client-alice.key -> mutls server --client-ca: identity on the page"
                curl_get "$out" "$err" --cert "$ALICE" --key "$CERTS/client-alice.key"
                expect_rc $? 0 "curl"
                expect_grep "$err" "SSL connection using TLSv$v " "curl -v (version)"
                expect_line "$out" "protocol: TLSv$v" "--www protocol"
                expect_identity "$out" alice
                case_log "$err" "$out"
                case_end

                out=$T/curl-$v-none.out err=$T/curl-$v-none.err
                case_begin "curl ${vopt[*]:-(TLS 1.3)} without --cert -> mutls server --client-ca: fails"
                curl_get "$out" "$err"
                rc=$?
                expect_rc_not "$rc" 0 "curl"
                [ "$rc" = 124 ] && fail_because "curl timed out"
                if [ "$v" = 1.3 ]; then
                    expect_grep "$err" 'alert certificate required' "curl error"
                else
                    expect_grep "$err" 'alert handshake failure' "curl error"
                fi
                expect_no_grep "$out" '^client_' "curl output"
                case_log "$err" "$out"
                case_end
            fi
            if [ $HAVE_PY = 1 ]; then
                out=$T/py-$v.out
                case_begin "python ssl (load_cert_chain alice, maximum_version $v) -> mutls server --client-ca: identity on the page"
                timeout "$IOP_CLIENT_TIMEOUT" python3 -c "$PY_CLIENT" "$SRV_PORT" "$CA" "$v" \
                    "$ALICE" "$CERTS/client-alice.key" >"$out" 2>&1
                expect_rc $? 0 "python client"
                expect_line "$out" "py-version: TLSv$v" "python: version"
                expect_line "$out" "protocol: TLSv$v" "--www protocol"
                expect_identity "$out" alice
                case_log "$out"
                case_end

                out=$T/py-$v-none.out
                case_begin "python ssl without a certificate (maximum_version $v) -> mutls server --client-ca (require): refused"
                timeout "$IOP_CLIENT_TIMEOUT" python3 -c "$PY_CLIENT" "$SRV_PORT" "$CA" "$v" - - >"$out" 2>&1
                expect_rc $? 1 "python client"
                if [ "$v" = 1.3 ]; then
                    expect_grep "$out" '^py-error: SSLError .*CERTIFICATE_REQUIRED' "python error"
                else
                    expect_grep "$out" '^py-error: SSLError .*HANDSHAKE_FAILURE' "python error"
                fi
                expect_no_grep "$out" '^client_' "python output"
                case_log "$out"
                case_end
            fi
        done
        iop_stop "$SRV_PID"
    else
        case_fail "mutls server --client-ca (curl, python) starts" "no 'listening on' line" "$SRV_LOG"
    fi
fi
[ $HAVE_CURL = 1 ] || echo "# skip - curl is not installed: no curl cases"
[ $HAVE_PY = 1 ] || echo "# skip - python3 with ssl is not available: no Python cases"

# ---- mutls client -> openssl s_server -Verify 1 ------------------------------

if start_s_server verify "$SCHAIN" -Verify 1 -CAfile "$CCA" -www; then
    for v in "${VERSIONS[@]}"; do
        out=$T/mc-$v.out err=$T/mc-$v.err log=$T/mc-$v.log
        case_begin "mutls client --tls-max $v --cert client-alice.pem -> s_server -Verify 1 -CAfile client-ca.pem -www: s_server saw alice"
        log_mark
        mutls_client "$out" "$err" "localhost:$SRV_PORT" --ca "$CA" --tls-max "$v" \
            --cert "$ALICE" --key "$CERTS/client-alice.key" --get /
        expect_rc $? 0 "mutls client"
        expect_grep "$err" "^mutls: connected to localhost:$SRV_PORT: TLSv$v .* verified\$" "summary line"
        expect_grep "$out" "^New, TLSv$v, " "s_server page (version)"
        expect_grep "$out" 'Subject: O = Example Org, OU = engineering, CN = alice|Subject: O=Example Org, OU=engineering, CN=alice' "s_server page (client certificate)"
        snap_log "$log"
        expect_grep "$log" '^depth=0 O = Example Org, OU = engineering, CN = alice$' "s_server log (client chain)"
        expect_no_grep "$log" 'error' "s_server log"
        case_log "$err" "$out" "$log"
        case_end

        out=$T/mc-$v-none.out err=$T/mc-$v-none.err
        case_begin "mutls client --tls-max $v without --cert -> s_server -Verify 1: exit 1, 'server requires a client certificate', CA names listed"
        mutls_client "$out" "$err" "localhost:$SRV_PORT" --ca "$CA" --tls-max "$v" --get /
        expect_rc $? 1 "mutls client"
        expect_grep "$err" '^mutls client: .*the server requires a client certificate and none is configured \(it accepts certificates from: CN=mutls test client CA\)' "mutls client message"
        expect_no_grep "$out" '^HTTP/' "mutls client output"
        case_log "$err" "$out"
        case_end

        out=$T/mc-$v-two.out err=$T/mc-$v-two.err
        case_begin "mutls client --tls-max $v --cert client-dave.pem --cert client-alice.pem -> s_server -CAfile client-ca.pem: alice chosen (--trace says why)"
        mutls_client "$out" "$err" "localhost:$SRV_PORT" --ca "$CA" --tls-max "$v" \
            --cert "$CERTS/client-dave.pem" --key "$CERTS/client-dave.key" \
            --cert "$ALICE" --key "$CERTS/client-alice.key" --get / --trace
        expect_rc $? 0 "mutls client"
        expect_grep "$err" "<-+ CertificateRequest +server +sending $ALICE_SUBJECT \\(.*\\): issued by a CA the server accepts; server accepts certificates from: $CLIENT_CA_NAME\$" "--trace CertificateRequest"
        expect_grep "$err" "Certificate -+> +server +1 certificate\\(s\\), subject $ALICE_SUBJECT" "--trace Certificate"
        expect_grep "$out" 'Subject: O = Example Org, OU = engineering, CN = alice|Subject: O=Example Org, OU=engineering, CN=alice' "s_server page (client certificate)"
        expect_no_grep "$out" 'CN ?= ?dave' "s_server page"
        case_log "$err" "$out"
        case_end

        out=$T/mc-$v-dave.out err=$T/mc-$v-dave.err
        case_begin "mutls client --tls-max $v --cert client-dave.pem (CA 2 only) -> s_server -CAfile client-ca.pem: nothing fits, exit 1, says so"
        mutls_client "$out" "$err" "localhost:$SRV_PORT" --ca "$CA" --tls-max "$v" \
            --cert "$CERTS/client-dave.pem" --key "$CERTS/client-dave.key" --get /
        expect_rc $? 1 "mutls client"
        expect_grep "$err" 'the server requires a client certificate and none of ours fits its request \(it accepts certificates from: CN=mutls test client CA\)' "mutls client message"
        case_log "$err" "$out"
        case_end
    done
    iop_stop "$SRV_PID"
else
    case_fail "openssl s_server -Verify 1 -CAfile client-ca.pem starts" "no ACCEPT line" "$SRV_LOG"
fi

# ---- mutls client -> gnutls-serv --require-client-cert ------------------------

if command -v gnutls-serv >/dev/null 2>&1; then
    for v in "${VERSIONS[@]}"; do
        prio="NORMAL:-VERS-ALL:+VERS-TLS$v"
        if ! start_gnutls_server "gnutls-$v" --require-client-cert --x509cafile "$CCA" \
            --x509certfile "$CERTS/$SCHAIN.pem" --x509keyfile "$CERTS/$SCHAIN.key" \
            --echo --priority "$prio"; then
            case_fail "gnutls-serv --require-client-cert --priority $prio starts" "not listening" "$SRV_LOG"
            continue
        fi
        out=$T/g-$v.out err=$T/g-$v.err log=$T/g-$v.log
        case_begin "mutls client --cert client-alice.pem -> gnutls-serv --require-client-cert --echo --priority $prio: echoed, gnutls-serv saw alice"
        log_mark
        printf 'hello mtls\n' | timeout "$IOP_CLIENT_TIMEOUT" "$MUTLS" client "localhost:$SRV_PORT" \
            --ca "$CA" --cert "$ALICE" --key "$CERTS/client-alice.key" >"$out" 2>"$err"
        expect_rc $? 0 "mutls client"
        expect_grep "$err" "^mutls: connected to localhost:$SRV_PORT: TLSv$v .* verified\$" "summary line"
        expect_line "$out" 'hello mtls' "echo"
        wait_new "$SRV_LOG" 'Subject: CN=alice' 5
        snap_log "$log"
        expect_grep "$log" "Subject: $ALICE_SUBJECT\$" "gnutls-serv (client certificate)"
        expect_grep "$log" "^- Version: TLS$v\$" "gnutls-serv version"
        case_log "$err" "$out" "$log"
        case_end

        out=$T/g-$v-none.out err=$T/g-$v-none.err log=$T/g-$v-none.log
        case_begin "mutls client without --cert -> gnutls-serv --require-client-cert --priority $prio: refused, message says a client certificate is required"
        log_mark
        printf 'hello\n' | timeout "$IOP_CLIENT_TIMEOUT" "$MUTLS" client "localhost:$SRV_PORT" \
            --ca "$CA" >"$out" 2>"$err"
        expect_rc $? 1 "mutls client"
        expect_no_grep "$out" 'hello' "mutls client output"
        # GnuTLS 3.7 answers a missing required certificate with
        # certificate_required in TLS 1.3, but with decode_error in TLS 1.2.
        expect_grep "$err" '^mutls client: .*(requires a client certificate|client certificate .*required)' "mutls client message"
        expect_fgrep "$err" "$CLIENT_CA_NAME" "mutls client message (CA names)"
        wait_new "$SRV_LOG" 'Error in handshake' 5
        snap_log "$log"
        case_log "$err" "$log"
        case_end
        iop_stop "$SRV_PID"
    done
else
    echo "# skip - gnutls-serv is not installed: no GnuTLS cases"
fi

# ---- DNS spoofing and hijacking -----------------------------------------------
# The client connects to "localhost" and lands on an impostor that asks for
# a client certificate: it must refuse the server, say why, and never send
# alice's certificate.

for spec in "server-wrong-name|name" "server-rogue|ca"; do
    IFS='|' read -r chain kind <<<"$spec"
    if ! start_s_server "spoof-$kind" "$chain" -verify 1 -CAfile "$CCA" -www; then
        case_fail "openssl s_server with $chain starts" "no ACCEPT line" "$SRV_LOG"
        continue
    fi
    for v in "${VERSIONS[@]}"; do
        out=$T/sp-$kind-$v.out err=$T/sp-$kind-$v.err log=$T/sp-$kind-$v.log
        if [ "$kind" = name ]; then
            case_begin "spoofing, TLS $v: mutls client localhost -> valid certificate for other.example (trusted CA): 'host name mismatch' naming both names, client certificate not sent"
        else
            case_begin "hijacking, TLS $v: mutls client localhost -> certificate for localhost from an untrusted CA: names the subject and the untrusted issuer, client certificate not sent"
        fi
        log_mark
        mutls_client "$out" "$err" "localhost:$SRV_PORT" --ca "$CA" --tls-max "$v" \
            --cert "$ALICE" --key "$CERTS/client-alice.key" --get / --trace
        expect_rc $? 1 "mutls client"
        expect_no_grep "$err" '^mutls: connected' "mutls client"
        expect_no_grep "$out" '^HTTP/' "mutls client output"
        if [ "$kind" = name ]; then
            # What the certificate is for AND what was wanted; not a CA problem.
            expect_fgrep "$err" "handshake with localhost:$SRV_PORT failed: host name mismatch: server certificate CN=other.example is for other.example, 10.0.0.1; wanted localhost (sent alert bad_certificate)" "mutls client message"
            expect_no_fgrep "$err" "not a trusted CA" "mutls client message"
        else
            # The subject (the right name) AND the untrusted issuer; not a name problem.
            expect_fgrep "$err" "handshake with localhost:$SRV_PORT failed: server certificate CN=localhost issued by CN=rogue CA, which is not a trusted CA (sent alert unknown_ca)" "mutls client message"
            expect_no_fgrep "$err" "host name mismatch" "mutls client message"
        fi
        # Alice's certificate never left the client.
        expect_no_grep "$err" 'client  Certificate -+>' "mutls client --trace"
        sleep 0.2
        snap_log "$log"
        expect_no_grep "$log" 'CN ?= ?alice' "impostor s_server log"
        case_log "$err" "$log"
        case_end
    done
    iop_stop "$SRV_PID"
done

iop_finish

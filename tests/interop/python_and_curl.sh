#!/usr/bin/env bash
# Quick sanity checks of mutls against Python's ssl module and curl (both
# on the system's OpenSSL), TLS 1.2 and TLS 1.3:
#
#  - Python client (ssl.create_default_context(cafile=ca.pem), with
#    maximum_version / set_ciphers) -> mutls server --www: version and
#    cipher as Python sees them agree with the page; a wrong host name fails;
#  - mutls client -> a Python ssl server (one connection, answers a line
#    with its view of the connection, then close_notify);
#  - curl --cacert ca.pem (--tlsv1.2 --tls-max 1.2, --ciphers,
#    --tls13-ciphers, ALPN) -> mutls server --www; curl without the CA
#    fails verification.
#
# Exit 0 if every case passed, 1 otherwise, 77 without python3 and curl.
# shellcheck source=tests/interop/lib/common.sh
. "$(dirname "$0")/lib/common.sh"

iop_require_cmd timeout
iop_require_mutls

HAVE_PY=0 HAVE_CURL=0
python3 -c 'import ssl' >/dev/null 2>&1 && HAVE_PY=1
command -v curl >/dev/null 2>&1 && HAVE_CURL=1
[ $HAVE_PY = 1 ] || [ $HAVE_CURL = 1 ] || iop_skip "neither python3 (with ssl) nor curl is installed"

CA=$CERTS/ca.pem
T=$IOP_TMP

# py_get PORT OUT MAXVERSION(1.2|1.3) CIPHERS(-|OpenSSL list) SERVERNAME:
# GET / over TLS; prints "py-version: V", "py-cipher: C", then the response.
PY_CLIENT='
import socket, ssl, sys
port, cafile, maxv, ciphers, name = sys.argv[1:6]
ctx = ssl.create_default_context(cafile=cafile)
if maxv == "1.2":
    ctx.maximum_version = ssl.TLSVersion.TLSv1_2
if ciphers != "-":
    ctx.set_ciphers(ciphers)
with socket.create_connection(("127.0.0.1", int(port)), timeout=10) as s:
    with ctx.wrap_socket(s, server_hostname=name) as t:
        print("py-version:", t.version())
        print("py-cipher:", t.cipher()[0])
        t.sendall(b"GET / HTTP/1.0\r\nHost: localhost\r\n\r\n")
        data = b""
        while True:
            d = t.recv(4096)
            if not d:
                break
            data += d
        sys.stdout.write(data.decode())
'
py_get() {
    timeout "$IOP_CLIENT_TIMEOUT" python3 -c "$PY_CLIENT" "$1" "$CA" "$3" "$4" "$5" >"$2" 2>&1
}

# A one-connection Python TLS server: prints "port N", then answers the
# first line it gets with "got LINE" and "version V cipher C", then sends
# close_notify and waits for the client's.
PY_SERVER='
import socket, ssl, sys
cert, key, maxv = sys.argv[1:4]
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(cert, key)
if maxv == "1.2":
    ctx.maximum_version = ssl.TLSVersion.TLSv1_2
ls = socket.socket()
ls.bind(("127.0.0.1", 0))
ls.listen(1)
print("port", ls.getsockname()[1], flush=True)
c, _ = ls.accept()
c.settimeout(10)
t = ctx.wrap_socket(c, server_side=True)
line = b""
while not line.endswith(b"\n"):
    d = t.recv(1024)
    if not d:
        break
    line += d
t.sendall(b"got " + line + ("version %s cipher %s\n" % (t.version(), t.cipher()[0])).encode())
t.unwrap().close()
print("server done", flush=True)
'

# ---- Python client -> mutls server ---------------------------------------------

if [ $HAVE_PY = 1 ]; then
    if start_mutls_server py --cert "$CERTS/server-ecdsa-p256.pem" --key "$CERTS/server-ecdsa-p256.key" \
        --cert "$CERTS/server-rsa2048.pem" --key "$CERTS/server-rsa2048.key" --www; then
        for spec in "1.3 - TLSv1.3" "1.2 - TLSv1.2" "1.2 ECDHE-ECDSA-CHACHA20-POLY1305 TLSv1.2" \
            "1.2 ECDHE-RSA-AES256-SHA TLSv1.2"; do
            read -r maxv ciphers want <<<"$spec"
            out=$T/py-$maxv-$ciphers.out
            case_begin "python ssl client (maximum_version $maxv, ciphers $ciphers) -> mutls server --www: $want"
            py_get "$SRV_PORT" "$out" "$maxv" "$ciphers" localhost
            expect_rc $? 0 "python client"
            expect_grep "$out" "^py-version: $want\$" "python: version"
            expect_grep "$out" "^protocol: $want\$" "--www protocol"
            expect_grep "$out" '^sni: localhost$' "--www sni"
            pyc=$(sed -n 's/^py-cipher: //p' "$out" | head -n1)
            page=$(sed -n 's/^cipher: \(TLS_.*\)$/\1/p' "$out" | head -n1)
            if [ -z "$pyc" ] || [ "$(openssl_cipher_name "$page")" != "$pyc" ]; then
                fail_because "python's cipher '$pyc' does not match the page's '$page'"
            fi
            if [ "$ciphers" != - ] && [ "$pyc" != "$ciphers" ]; then
                fail_because "cipher $pyc, expected $ciphers"
            fi
            if [ "$want" = TLSv1.2 ]; then
                expect_grep "$out" '^ems: yes$' "--www ems"
                expect_grep "$out" "^etm: $(tls12_is_cbc "$page")\$" "--www etm"
            fi
            case_log "$out"
            case_end
        done

        out=$T/py-wrongname.out
        case_begin "python ssl client, server_hostname wrong.example -> certificate verify failed"
        py_get "$SRV_PORT" "$out" 1.2 - wrong.example
        expect_rc_not $? 0 "python client"
        expect_grep "$out" "SSLCertVerificationError|Hostname mismatch" "python error"
        case_log "$out"
        case_end
        iop_stop "$SRV_PID"
    else
        case_fail "mutls server --www starts" "no 'listening on' line" "$SRV_LOG"
    fi

    # ---- mutls client -> Python server ---------------------------------------

    for v in "1.2 server-rsa2048 TLSv1.2" "1.3 server-ed25519 TLSv1.3"; do
        read -r maxv chain want <<<"$v"
        log=$T/pysrv-$maxv.log out=$T/pysrv-$maxv.out err=$T/pysrv-$maxv.err
        timeout 30 python3 -c "$PY_SERVER" "$CERTS/$chain.pem" "$CERTS/$chain.key" "$maxv" \
            </dev/null >"$log" 2>&1 &
        ppid=$!
        iop_track "$ppid"
        if ! wait_for_grep "$log" '^port [0-9]+$' 10 "$ppid"; then
            case_fail "python ssl server (max $maxv) starts" "no port line" "$log"
            continue
        fi
        port=$(sed -n 's/^port \([0-9]*\)$/\1/p' "$log")
        case_begin "mutls client -> python ssl server (maximum_version $maxv, $chain): $want"
        printf 'hello\n' | timeout "$IOP_CLIENT_TIMEOUT" "$MUTLS" client "localhost:$port" \
            --ca "$CA" >"$out" 2>"$err"
        expect_rc $? 0 "mutls client"
        expect_grep "$err" "^mutls: connected to localhost:$port: $want .* verified\$" "summary line"
        expect_grep "$out" '^got hello$' "python server answer"
        expect_grep "$out" "^version $want cipher " "python server's view"
        iop_wait_exit "$ppid" 10
        expect_rc $? 0 "python server"
        expect_grep "$log" '^server done$' "python server (close_notify exchanged)"
        case_log "$err" "$out" "$log"
        case_end
    done
else
    echo "# skip - python3 with ssl is not available: no Python cases"
fi

# ---- curl -> mutls server ----------------------------------------------------------

if [ $HAVE_CURL = 1 ]; then
    if start_mutls_server curl --cert "$CERTS/server-ecdsa-p256.pem" --key "$CERTS/server-ecdsa-p256.key" \
        --cert "$CERTS/server-rsa2048.pem" --key "$CERTS/server-rsa2048.key" --alpn http/1.1 --www; then
        # curl_get OUT ERR ARGS...: -v output in ERR.
        curl_get() {
            local out=$1 err=$2
            shift 2
            timeout "$IOP_CLIENT_TIMEOUT" curl -sS -v --resolve "localhost:$SRV_PORT:127.0.0.1" \
                "$@" "https://localhost:$SRV_PORT/" >"$out" 2>"$err"
        }
        for spec in \
            "TLSv1.2 TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256|--tlsv1.2 --tls-max 1.2" \
            "TLSv1.2 TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA|--tlsv1.2 --tls-max 1.2 --ciphers ECDHE-RSA-AES128-SHA" \
            "TLSv1.2 TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384|--tlsv1.2 --tls-max 1.2 --ciphers ECDHE-ECDSA-AES256-GCM-SHA384" \
            "TLSv1.3 TLS_AES_128_GCM_SHA256|" \
            "TLSv1.3 TLS_CHACHA20_POLY1305_SHA256|--tlsv1.3 --tls13-ciphers TLS_CHACHA20_POLY1305_SHA256"; do
            want=${spec%%|*} opts=${spec#*|}
            read -r ver suite <<<"$want"
            tag=$(echo "$ver-$suite" | tr -c 'A-Za-z0-9.\n' _)
            out=$T/curl-$tag.out err=$T/curl-$tag.err
            case_begin "curl --cacert ca.pem ${opts:-(defaults)} -> mutls server --www: $ver $suite, ALPN http/1.1"
            # shellcheck disable=SC2086
            curl_get "$out" "$err" --cacert "$CA" $opts
            expect_rc $? 0 "curl"
            expect_grep "$err" "SSL connection using $ver / $(openssl_cipher_name "$suite")" "curl -v (connection)"
            expect_grep "$err" 'SSL certificate verify ok' "curl -v (verification)"
            expect_grep "$err" 'ALPN.*http/1\.1' "curl -v (ALPN)"
            expect_grep "$out" "^protocol: $ver\$" "--www protocol"
            expect_grep "$out" "^cipher: $suite\$" "--www cipher"
            expect_grep "$out" '^alpn: http/1\.1$' "--www alpn"
            if [ "$ver" = TLSv1.2 ]; then
                expect_grep "$out" '^ems: yes$' "--www ems"
                expect_grep "$out" "^etm: $(tls12_is_cbc "$suite")\$" "--www etm"
            fi
            case_log "$err" "$out"
            case_end
        done

        out=$T/curl-noca.out err=$T/curl-noca.err
        case_begin "curl without --cacert (system store) -> mutls server: exit 60, certificate not trusted"
        curl_get "$out" "$err" --tlsv1.2 --tls-max 1.2
        expect_rc $? 60 "curl"
        expect_grep "$err" 'SSL certificate problem' "curl error"
        case_log "$err"
        case_end
        iop_stop "$SRV_PID"
    else
        case_fail "mutls server --www starts" "no 'listening on' line" "$SRV_LOG"
    fi
else
    echo "# skip - curl is not installed: no curl cases"
fi

iop_finish

#!/usr/bin/env bash
# mutls against Java's JSSE (OpenJDK 17, package openjdk-17-jdk-headless),
# TLS 1.3 and TLS 1.2 each. The Java side is tests/interop/java/JssePeer.java
# (JDK only: PEM certificates and PKCS#8 keys go into in-memory KeyStores),
# compiled once into the scratch directory. JVM start-up is slow, so there
# are only two JVM runs besides javac: one client run that makes every
# client connection (one SSLContext per job), and one server that serves
# every mutls client.
#
#  - JSSE client (HTTPS endpoint identification, SNI localhost) -> mutls
#    server --www with an ECDSA P-256 and with an RSA 2048 chain: handshake
#    ok, the protocol and cipher suite JSSE reports are the page's and the
#    server log's, the peer is CN=localhost, sni: localhost; TLS 1.2 with
#    ems: yes, and with ChaCha20-Poly1305 and AES-CBC (etm: no: JSSE has no
#    encrypt-then-MAC); TLS 1.3 with each suite chosen by the client;
#    200 000 bytes through mutls server --echo, both versions;
#  - mutls client -> JSSE server (ECDSA P-256, TLSv1.3 and TLSv1.2
#    enabled): --tls-min 1.3 / --tls-max 1.2 give that version on both
#    sides, the line goes through and the answer comes back;
#  - mutual TLS: JSSE client with client-alice -> mutls server --client-ca
#    client-ca.pem --verify-client require: accepted, the page shows alice
#    (subject, issuer, SPIFFE ID, verified); without a certificate: JSSE
#    fails with the alert (certificate_required in TLS 1.3,
#    handshake_failure in TLS 1.2) and the server logs "the client sent no
#    certificate, and this server requires one";
#  - mutual TLS reversed: mutls client --cert client-alice (ECDSA) and
#    client-bob-rsa (RSA) -> JSSE server with setNeedClientAuth(true)
#    trusting client-ca.pem: JSSE sees the subject; without --cert the
#    mutls client exits 1 saying the server requires a certificate (JSSE
#    names the client CA, and sends bad_certificate even in TLS 1.3), and
#    JSSE says "Empty client certificate chain";
#  - resumption: two connections with one SSLContext (JSSE's client session
#    cache): TLS 1.3 PSK from a ticket, TLS 1.2 from a ticket, TLS 1.2 from
#    the session-ID cache (server --no-tickets); the page and the server
#    log say resumed, and so does JSSE (TLS 1.2: same session ID; TLS 1.3:
#    JSSE gives the resumed session a new ID, but it keeps the creation
#    time of the original session); TLS 1.3 against --no-tickets is not
#    resumed (so the JSSE indicator is not always yes); mutual TLS with
#    alice resumed keeps alice on the page;
#  - wrong server name (SNI and identification as wrong.example) -> JSSE
#    refuses the certificate ("No subject alternative DNS name matching")
#    and the server logs alert certificate_unknown.
#
# Exit 0 if every case passed, 1 otherwise, 77 without java/javac (JDK 11
# or later).
# shellcheck source=tests/interop/lib/common.sh
. "$(dirname "$0")/lib/common.sh"

iop_require_cmd timeout java javac
iop_require_mutls

JV=$(javac -version 2>&1 | sed -n 's/^javac \([0-9][0-9]*\).*/\1/p' | head -n1)
if [ -z "$JV" ] || [ "$JV" -lt 11 ]; then
    iop_skip "needs a JDK 11 or later (javac -version: $(javac -version 2>&1 | head -n1))"
fi

CA=$CERTS/ca.pem
CCA=$CERTS/client-ca.pem
T=$IOP_TMP
SRC=$IOP_ROOT/tests/interop/java/JssePeer.java
# Short-lived JVMs: C1 only and the serial collector start fastest.
JAVA=(java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto -cp "$T/classes")

ALICE_SUBJECT="CN=alice,OU=engineering,O=Example Org"

# A whole line, compared as a fixed string (carriage returns ignored).
expect_line() { # FILE LINE [WHAT]
    tr -d '\r' <"$1" 2>/dev/null | grep -Fxq -- "$2" ||
        fail_because "${3:-$(basename "$1")}: no line '$2'"
}
expect_fgrep() { # FILE STRING [WHAT]
    grep -Fq -- "$2" "$1" 2>/dev/null ||
        fail_because "${3:-$(basename "$1")}: no '$2'"
}

# ---- build the Java peer ---------------------------------------------------

mkdir -p "$T/classes" "$T/jobs"
if ! timeout 60 javac -d "$T/classes" "$SRC" >"$T/javac.log" 2>&1; then
    case_fail "javac JssePeer.java" "compilation failed" "$T/javac.log"
    iop_finish
fi

# ---- servers ---------------------------------------------------------------

# The JSSE server first: its JVM starts while the mutls servers and the
# JSSE client run.
JSRV_LOG=$T/jsse-server.log
timeout "$IOP_SERVER_TIMEOUT" "${JAVA[@]}" JssePeer server "$CERTS/server-ecdsa-p256.pem" \
    "$CERTS/server-ecdsa-p256.key" "$CCA" </dev/null >"$JSRV_LOG" 2>&1 &
JSRV_PID=$!
iop_track "$JSRV_PID"

# mutls servers: NAME -> port and log.
declare -A PORT LOG
start() { # NAME ARGS...
    local n=$1
    shift
    if start_mutls_server "$n" "$@"; then
        PORT[$n]=$SRV_PORT
        LOG[$n]=$SRV_LOG
    else
        case_fail "mutls server $n starts" "no 'listening on' line" "$SRV_LOG"
        PORT[$n]=0
        LOG[$n]=$SRV_LOG
    fi
}
EC=(--cert "$CERTS/server-ecdsa-p256.pem" --key "$CERTS/server-ecdsa-p256.key")
start ec "${EC[@]}" --www
start rsa --cert "$CERTS/server-rsa2048.pem" --key "$CERTS/server-rsa2048.key" --www
start echo "${EC[@]}" --echo
start mtls "${EC[@]}" --client-ca "$CCA" --verify-client require --www
start notix "${EC[@]}" --no-tickets --www

# ---- one JSSE client run for every client case ------------------------------

# Jobs: NAME SERVER SERVERNAME PROTOCOL CIPHERS ACTION CONNS CLIENT-CERT
JOBS=(
    "ec-13 ec localhost TLSv1.3 - www 1 -"
    "ec-13-aes256 ec localhost TLSv1.3 TLS_AES_256_GCM_SHA384 www 1 -"
    "ec-13-chacha ec localhost TLSv1.3 TLS_CHACHA20_POLY1305_SHA256 www 1 -"
    "ec-12 ec localhost TLSv1.2 - www 1 -"
    "ec-12-chacha ec localhost TLSv1.2 TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256 www 1 -"
    "ec-12-cbc ec localhost TLSv1.2 TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA www 1 -"
    "rsa-13 rsa localhost TLSv1.3 - www 1 -"
    "rsa-12 rsa localhost TLSv1.2 - www 1 -"
    "echo-13 echo localhost TLSv1.3 - echo:200000 1 -"
    "echo-12 echo localhost TLSv1.2 - echo:200000 1 -"
    "mtls-alice-13 mtls localhost TLSv1.3 - www 1 alice"
    "mtls-alice-12 mtls localhost TLSv1.2 - www 1 alice"
    "mtls-none-13 mtls localhost TLSv1.3 - www 1 -"
    "mtls-none-12 mtls localhost TLSv1.2 - www 1 -"
    "resume-13 ec localhost TLSv1.3 - www 2 -"
    "resume-12 ec localhost TLSv1.2 - www 2 -"
    "resume-12-cache notix localhost TLSv1.2 - www 2 -"
    "resume-13-notix notix localhost TLSv1.3 - www 2 -"
    "resume-mtls-13 mtls localhost TLSv1.3 - www 2 alice"
    "wrongname-13 ec wrong.example TLSv1.3 - www 1 -"
    "wrongname-12 ec wrong.example TLSv1.2 - www 1 -"
)
: >"$T/jobs.txt"
for j in "${JOBS[@]}"; do
    read -r name srv sni proto ciphers action conns who <<<"$j"
    if [ "$who" = - ]; then
        ck="- -"
    else
        ck="$CERTS/client-$who.pem $CERTS/client-$who.key"
    fi
    echo "$name ${PORT[$srv]} $sni $proto $CA $ck $ciphers $action $conns" >>"$T/jobs.txt"
done
timeout 60 "${JAVA[@]}" JssePeer client "$T/jobs" "$T/jobs.txt" >"$T/jsse-client.log" 2>&1
JCLIENT_RC=$?
if [ "$JCLIENT_RC" != 0 ]; then
    case_fail "JSSE client run (${#JOBS[@]} jobs)" "java exit status $JCLIENT_RC" "$T/jsse-client.log" "$T/jobs.txt"
fi

# What JSSE reported: jv JOB CONN KEY; the page: pv JOB CONN KEY.
jv() { sed -n "s/^conn $2 $3 //p" "$T/jobs/$1.out" 2>/dev/null | head -n1; }
pv() { tr -d '\r' <"$T/jobs/$1.out" 2>/dev/null | sed -n "s/^conn $2 | $3: //p" | head -n1; }
# The mutls server's log lines for JSSE connection CONN of JOB (by the
# client's local port), into OUT; waits a little for the line to appear.
srv_lines() { # JOB CONN SERVER OUT
    local lport re
    lport=$(jv "$1" "$2" local-port)
    re="^mutls server: 127\\.0\\.0\\.1:${lport:-none}: "
    wait_for_grep "${LOG[$3]}" "$re" 5 >/dev/null
    grep -E -- "$re" "${LOG[$3]}" >"$4" 2>/dev/null
}

# Checks common to every successful JSSE connection: JSSE's protocol and
# suite are what it asked for, and what the page and the server log say.
expect_jsse_ok() { # JOB CONN SERVER PROTOCOL CIPHER|-
    local job=$1 k=$2 srv=$3 proto=$4 want=$5 f=$T/jobs/$1.out jc pc sl
    sl=$T/$job.conn$k.server.log
    srv_lines "$job" "$k" "$srv" "$sl"
    expect_line "$f" "conn $k handshake ok" "JSSE"
    expect_line "$f" "conn $k result ok" "JSSE"
    expect_line "$f" "conn $k protocol $proto" "JSSE getProtocol()"
    expect_line "$f" "conn $k peer CN=localhost" "JSSE peer certificate"
    expect_line "$f" "conn $k | protocol: $proto" "--www protocol"
    expect_line "$f" "conn $k | sni: localhost" "--www sni"
    jc=$(jv "$job" "$k" cipher)
    pc=$(pv "$job" "$k" cipher)
    if [ -z "$jc" ] || [ "$jc" != "$pc" ]; then
        fail_because "JSSE getCipherSuite() '$jc' is not the page's cipher '$pc'"
    fi
    [ "$want" = - ] || [ "$jc" = "$want" ] || fail_because "cipher $jc, expected $want"
    case $jc in
        TLS_AES_* | TLS_CHACHA20_*) [ "$proto" = TLSv1.3 ] || fail_because "TLS 1.3 suite $jc under $proto" ;;
        *) [ "$proto" = TLSv1.2 ] || fail_because "TLS 1.2 suite $jc under $proto" ;;
    esac
    expect_grep "$sl" ": $proto $jc " "server log (connection line)"
    if [ "$proto" = TLSv1.2 ]; then
        expect_line "$f" "conn $k | ems: yes" "--www ems"
        expect_line "$f" "conn $k | etm: no" "--www etm (JSSE has no encrypt-then-MAC)"
    fi
    case_log "$sl"
}

# ---- 1. JSSE client -> mutls server ------------------------------------------

for spec in "ec-13 ec TLSv1.3 -" "ec-13-aes256 ec TLSv1.3 TLS_AES_256_GCM_SHA384" \
    "ec-13-chacha ec TLSv1.3 TLS_CHACHA20_POLY1305_SHA256" \
    "ec-12 ec TLSv1.2 TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256" \
    "ec-12-chacha ec TLSv1.2 TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256" \
    "ec-12-cbc ec TLSv1.2 TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA" \
    "rsa-13 rsa TLSv1.3 -" "rsa-12 rsa TLSv1.2 TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"; do
    read -r job srv proto want <<<"$spec"
    case_begin "JSSE client $proto ${want/#-/(default suites)} -> mutls server --www ($srv chain): JSSE and mutls agree"
    expect_jsse_ok "$job" 1 "$srv" "$proto" "$want"
    expect_line "$T/jobs/$job.out" "conn 1 | resumed: no" "--www resumed"
    case_log "$T/jobs/$job.out"
    case_end
done

for v in 13 12; do
    proto=TLSv1.${v#1}
    job=echo-$v
    case_begin "JSSE client $proto -> mutls server --echo: 200000 bytes echoed"
    f=$T/jobs/$job.out
    sl=$T/$job.server.log
    srv_lines "$job" 1 echo "$sl"
    expect_line "$f" "conn 1 protocol $proto" "JSSE getProtocol()"
    expect_line "$f" "conn 1 echo ok 200000 bytes" "JSSE echo"
    expect_line "$f" "conn 1 result ok" "JSSE"
    expect_grep "$sl" ": $proto $(jv "$job" 1 cipher) " "server log (connection line)"
    case_log "$f" "$sl"
    case_end
done

# ---- 3. mutual TLS: JSSE client -> mutls server --client-ca ------------------

for v in 13 12; do
    proto=TLSv1.${v#1}
    job=mtls-alice-$v f=$T/jobs/mtls-alice-$v.out
    case_begin "JSSE client $proto with client-alice -> mutls server --verify-client require: alice accepted"
    expect_jsse_ok "$job" 1 mtls "$proto" -
    expect_line "$f" "conn 1 local-cert $ALICE_SUBJECT" "JSSE getLocalCertificates()"
    expect_line "$f" "conn 1 | client_subject: $ALICE_SUBJECT" "--www client_subject"
    expect_line "$f" "conn 1 | client_issuer: CN=mutls test client CA" "--www client_issuer"
    expect_line "$f" "conn 1 | client_spiffe_id: spiffe://example.org/alice" "--www client_spiffe_id"
    expect_line "$f" "conn 1 | client_verified: yes" "--www client_verified"
    case_log "$f"
    case_end

    # TLS 1.3: the server refuses after the client's Finished, so JSSE's
    # handshake completes and the alert comes with the first read.
    [ "$v" = 13 ] && alert=certificate_required || alert=handshake_failure
    job=mtls-none-$v f=$T/jobs/mtls-none-$v.out sl=$T/mtls-none-$v.server.log
    case_begin "JSSE client $proto without a certificate -> mutls server --verify-client require: refused ($alert)"
    srv_lines "$job" 1 mtls "$sl"
    expect_grep "$f" "^conn 1 result error .*Received fatal alert: $alert" "JSSE error"
    expect_no_grep "$f" "^conn 1 \\| client_subject" "page served"
    expect_fgrep "$sl" "the client sent no certificate, and this server requires one (it accepts certificates from: CN=mutls test client CA) (sent alert $alert)" "server log"
    case_log "$f" "$sl"
    case_end
done

# ---- 5. resumption: two connections with one SSLContext ---------------------

for spec in "resume-13 ec TLSv1.3 ticket" "resume-12 ec TLSv1.2 ticket" \
    "resume-12-cache notix TLSv1.2 session-ID cache" "resume-mtls-13 mtls TLSv1.3 ticket, alice"; do
    read -r job srv proto how <<<"$spec"
    f=$T/jobs/$job.out
    case_begin "JSSE client $proto, two connections, one SSLContext -> mutls server ($how): second resumed"
    expect_jsse_ok "$job" 1 "$srv" "$proto" -
    expect_jsse_ok "$job" 2 "$srv" "$proto" -
    expect_line "$f" "conn 1 | resumed: no" "--www resumed (first)"
    expect_line "$f" "conn 2 | resumed: yes" "--www resumed (second)"
    expect_grep "$T/$job.conn2.server.log" ", resumed$" "server log (second connection)"
    expect_no_grep "$T/$job.conn1.server.log" ", resumed$" "server log (first connection)"
    # JSSE's own view: TLS 1.2 keeps the session ID; TLS 1.3 makes a new
    # ID for the resumed session but keeps the original creation time.
    expect_line "$f" "conn 2 same-creation-time yes" "JSSE: resumed session (creation time)"
    if [ "$proto" = TLSv1.2 ]; then
        expect_line "$f" "conn 2 same-id yes" "JSSE: resumed session (session ID)"
        expect_line "$f" "conn 2 | group: -" "--www group (no key exchange when resuming TLS 1.2)"
    fi
    if [ "$srv" = mtls ]; then
        expect_line "$f" "conn 2 | client_subject: $ALICE_SUBJECT" "--www client_subject (resumed)"
        expect_line "$f" "conn 2 | client_verified: yes" "--www client_verified (resumed)"
    fi
    case_log "$f"
    case_end
done

job=resume-13-notix f=$T/jobs/$job.out
case_begin "JSSE client TLSv1.3, two connections -> mutls server --no-tickets: full handshake both times"
expect_jsse_ok "$job" 1 notix TLSv1.3 -
expect_jsse_ok "$job" 2 notix TLSv1.3 -
expect_line "$f" "conn 2 | resumed: no" "--www resumed (second)"
expect_line "$f" "conn 2 same-creation-time no" "JSSE: new session"
expect_line "$f" "conn 2 same-id no" "JSSE: new session ID"
case_log "$f"
case_end

# ---- 6. wrong server name -------------------------------------------------------

for v in 13 12; do
    proto=TLSv1.${v#1}
    job=wrongname-$v f=$T/jobs/wrongname-$v.out sl=$T/wrongname-$v.server.log
    case_begin "JSSE client $proto, server name wrong.example, HTTPS identification -> refused"
    srv_lines "$job" 1 ec "$sl"
    expect_grep "$f" "^conn 1 result error javax\\.net\\.ssl\\.SSLHandshakeException: No subject alternative DNS name matching wrong\\.example found" "JSSE error"
    expect_no_grep "$f" "^conn 1 handshake ok" "JSSE"
    expect_grep "$sl" "handshake failed: peer sent alert certificate_unknown" "server log"
    case_log "$f" "$sl"
    case_end
done

# ---- 2 and 4. mutls client -> JSSE server ---------------------------------------

if ! wait_for_grep "$JSRV_LOG" '^port mtls [0-9]+$' 20 "$JSRV_PID"; then
    case_fail "JSSE server starts" "no 'port' lines" "$JSRV_LOG"
    iop_finish
fi
JPORT_PLAIN=$(sed -n 's/^port plain \([0-9]*\)$/\1/p' "$JSRV_LOG")
JPORT_MTLS=$(sed -n 's/^port mtls \([0-9]*\)$/\1/p' "$JSRV_LOG")

# The JSSE server prints one "conn=N ..." line per connection once it is
# over: wait for the next one and copy it to OUT.
JSRV_SEEN=0
jsrv_next() { # OUT
    local i=0
    JSRV_SEEN=$((JSRV_SEEN + 1))
    while [ $i -lt 200 ] && ! grep -Eq "^conn=$JSRV_SEEN " "$JSRV_LOG"; do
        sleep 0.05
        i=$((i + 1))
    done
    grep -E "^conn=$JSRV_SEEN " "$JSRV_LOG" >"$1"
}

# mutls_to_jsse TAG PORT VERSION-OPTION ARGS...: OUT, ERR, JL (the JSSE
# server's line), RC.
mutls_to_jsse() {
    local tag=$1 port=$2
    shift 2
    OUT=$T/$tag.out ERR=$T/$tag.err JL=$T/$tag.jsse.log
    printf 'hello %s\n' "$tag" | timeout "$IOP_CLIENT_TIMEOUT" "$MUTLS" client "localhost:$port" \
        --ca "$CA" "$@" >"$OUT" 2>"$ERR"
    RC=$?
    jsrv_next "$JL"
}

for v in 1.3 1.2; do
    proto=TLSv$v
    [ "$v" = 1.3 ] && vopt=(--tls-min 1.3) || vopt=(--tls-max 1.2)
    tag=plain-$v
    case_begin "mutls client ${vopt[*]} -> JSSE server: $proto, line answered"
    mutls_to_jsse "$tag" "$JPORT_PLAIN" "${vopt[@]}"
    expect_rc "$RC" 0 "mutls client"
    expect_grep "$ERR" "^mutls: connected to localhost:$JPORT_PLAIN: $proto .* verified\$" "summary line"
    expect_line "$OUT" "got hello $tag" "JSSE server answer"
    expect_grep "$OUT" "^protocol $proto cipher [A-Z0-9_]+ peer -\$" "JSSE server's view"
    expect_grep "$JL" "^conn=[0-9]+ listener=plain .* result=ok protocol=$proto .* got=\"hello $tag\" peer=\"-\"\$" "JSSE server log"
    sc=$(sed -n "s/^mutls: connected to [^ ]* $proto \\([A-Z0-9_]*\\) .*/\\1/p" "$ERR")
    expect_grep "$JL" " cipher=${sc:-none} " "JSSE server cipher = mutls client's"
    case_log "$ERR" "$OUT" "$JL"
    case_end

    for who in alice bob-rsa; do
        tag=mtls-$who-$v
        subj=$ALICE_SUBJECT
        [ "$who" = bob-rsa ] && subj=CN=bob
        case_begin "mutls client ${vopt[*]} --cert client-$who -> JSSE server setNeedClientAuth(true): JSSE sees $subj"
        mutls_to_jsse "$tag" "$JPORT_MTLS" "${vopt[@]}" --cert "$CERTS/client-$who.pem" --key "$CERTS/client-$who.key"
        expect_rc "$RC" 0 "mutls client"
        expect_grep "$ERR" "^mutls: connected to localhost:$JPORT_MTLS: $proto .* verified\$" "summary line"
        expect_line "$OUT" "got hello $tag" "JSSE server answer"
        expect_grep "$OUT" "^protocol $proto cipher [A-Z0-9_]+ peer $subj\$" "JSSE server's view"
        expect_grep "$JL" "^conn=[0-9]+ listener=mtls .* result=ok protocol=$proto .* peer=\"$subj\"\$" "JSSE server log"
        case_log "$ERR" "$OUT" "$JL"
        case_end
    done

    tag=mtls-none-$v
    case_begin "mutls client ${vopt[*]} without --cert -> JSSE server setNeedClientAuth(true): refused"
    mutls_to_jsse "$tag" "$JPORT_MTLS" "${vopt[@]}"
    expect_rc "$RC" 1 "mutls client"
    expect_fgrep "$ERR" "the server requires a client certificate and none is configured (it accepts certificates from: CN=mutls test client CA)" "mutls client error"
    # JSSE 17 sends bad_certificate here, in TLS 1.3 too (RFC 8446 would
    # rather have certificate_required): accept either.
    expect_grep "$ERR" "received alert (bad_certificate|certificate_required|handshake_failure)\\)\$" "mutls client: the alert"
    expect_no_grep "$OUT" "got hello" "JSSE server answer"
    expect_grep "$JL" "listener=mtls .* result=error .*Empty client certificate chain" "JSSE server log"
    case_log "$ERR" "$OUT" "$JL"
    case_end
done

iop_stop "$JSRV_PID"
iop_finish

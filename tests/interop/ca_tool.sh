#!/usr/bin/env bash
# `mutls ca` (docs/ca.md), checked with OpenSSL 3's command line:
#
#  - init: ECDSA P-256 and RSA CAs (files, modes, PKCS#8, extensions,
#    validity), refusal to overwrite an existing CA;
#  - issue server / client (SANs, SPIFFE ID, e-mail, EKU, key usage, AKI/SKI,
#    serials, chain files, 0600 keys even under umask 000, the commands
#    printed), `openssl verify -purpose sslserver|sslclient` accepting them
#    and rejecting the wrong purpose, `openssl x509 -text`;
#  - inspect: certificates (server, client, CA) and CRLs;
#  - revoke + crl: `openssl crl`, `openssl verify -crl_check` rejecting the
#    revoked client and accepting another;
#  - mutual TLS with the issued certificates, pure OpenSSL: s_server
#    -Verify 1 against s_client -cert (good client, server certificate used
#    as a client one, no client certificate, revoked client with -crl_check);
#  - refusals: invalid SPIFFE IDs, overwriting, a certificate of another CA,
#    usage errors (status 2, the argument named);
#  - `mutls demo` still works (its certificates come from the same code).
#
# Exit 0 if every case passed, 1 otherwise, 77 without OpenSSL 3.
# shellcheck source=tests/interop/lib/common.sh
. "$(dirname "$0")/lib/common.sh"

iop_require_openssl3
iop_require_mutls

T=$IOP_TMP
D=$T/ca      # the ECDSA CA
R=$T/rsa-ca  # the RSA CA

# run NAME ARGS...: `mutls ARGS...`, stdout in $T/NAME.out, stderr in
# $T/NAME.err, exit status in RC.
run() {
    local name=$1
    shift
    OUT=$T/$name.out ERR=$T/$name.err
    timeout "$IOP_CLIENT_TIMEOUT" "$MUTLS" "$@" >"$OUT" 2>"$ERR"
    RC=$?
}

expect_fixed() { # FILE STRING [WHAT]
    grep -Fq -- "$2" "$1" 2>/dev/null ||
        fail_because "${3:-$(basename "$1")}: no line containing '$2'"
}

expect_mode() { # FILE MODE
    local m
    m=$(stat -c %a "$1" 2>/dev/null || echo missing)
    [ "$m" = "$2" ] || fail_because "$(basename "$1"): mode $m, expected $2"
}

x509_text() { # CERTFILE OUT
    openssl x509 -in "$1" -noout -text >"$2" 2>&1
}

n_certs() { grep -c -- '-----BEGIN CERTIFICATE-----' "$1" 2>/dev/null || echo 0; }

# ---- help ------------------------------------------------------------------

case_begin "help: mutls ca --help and every subcommand's --help exit 0 with a usage text"
for sub in "" init issue "issue server" "issue client" revoke crl inspect; do
    # shellcheck disable=SC2086 # (word splitting of $sub intended)
    run help ca $sub --help
    expect_rc "$RC" 0 "mutls ca $sub --help"
    expect_grep "$OUT" '^Usage: mutls ca' "mutls ca $sub --help"
done
run help-top help ca
expect_rc "$RC" 0 "mutls help ca"
expect_grep "$OUT" '^Usage: mutls ca COMMAND' "mutls help ca"
run help-main --help
expect_grep "$OUT" '^  ca ' "mutls --help lists ca"
case_end

# ---- init ------------------------------------------------------------------

case_begin "init (ECDSA P-256): ca.key (PKCS#8, 0600), ca.pem (CA:TRUE pathlen:0, keyCertSign+cRLSign, SKI, 10 years), index, serial, crlnumber"
run init ca init --dir "$D"
expect_rc "$RC" 0 "mutls ca init"
for f in ca.key ca.pem index.txt serial crlnumber; do
    [ -s "$D/$f" ] || fail_because "$f missing or empty"
done
expect_mode "$D" 700
expect_mode "$D/ca.key" 600
expect_grep "$D/ca.key" '^-----BEGIN PRIVATE KEY-----$' "ca.key (PKCS#8)"
x509_text "$D/ca.pem" "$T/ca.txt"
expect_grep "$T/ca.txt" 'Subject: CN ?= ?mutls CA [0-9a-f]{8}$' "ca.pem subject"
expect_grep "$T/ca.txt" 'ASN1 OID: prime256v1' "ca.pem key"
expect_grep "$T/ca.txt" 'Basic Constraints: critical' "ca.pem basicConstraints critical"
expect_grep "$T/ca.txt" 'CA:TRUE, pathlen:0' "ca.pem basicConstraints"
expect_grep "$T/ca.txt" 'Key Usage: critical' "ca.pem keyUsage critical"
expect_grep "$T/ca.txt" '^ *Certificate Sign, CRL Sign$' "ca.pem keyUsage"
expect_grep "$T/ca.txt" 'Subject Key Identifier' "ca.pem SKI"
expect_grep "$T/ca.txt" 'Signature Algorithm: ecdsa-with-SHA256' "ca.pem signature"
openssl x509 -in "$D/ca.pem" -noout -checkend $((3649 * 86400)) >/dev/null ||
    fail_because "ca.pem expires within 3649 days"
openssl x509 -in "$D/ca.pem" -noout -checkend $((3651 * 86400)) >/dev/null &&
    fail_because "ca.pem is valid for more than 3651 days"
openssl verify -CAfile "$D/ca.pem" "$D/ca.pem" >"$T/ca.verify" 2>&1 ||
    fail_because "openssl verify of the self-signed ca.pem failed"
[ "$(cat "$D/serial")" = 0 ] || fail_because "serial is not 0"
[ "$(cat "$D/crlnumber")" = 0 ] || fail_because "crlnumber is not 0"
expect_fixed "$OUT" "created a CA in $D" "init output"
expect_fixed "$OUT" "$D/ca.pem" "init output"
expect_fixed "$OUT" "mutls ca issue server localhost --dir $D" "init output (next steps)"
case_log "$OUT" "$ERR" "$T/ca.txt"
case_end

case_begin "init --rsa --name --days: RSA 3072, the given CN and validity"
run init-rsa ca init --dir "$R" --rsa --name "mutls test RSA CA" --days 400
expect_rc "$RC" 0 "mutls ca init --rsa"
expect_mode "$R/ca.key" 600
expect_grep "$R/ca.key" '^-----BEGIN PRIVATE KEY-----$' "ca.key (PKCS#8)"
x509_text "$R/ca.pem" "$T/rsa-ca.txt"
expect_grep "$T/rsa-ca.txt" 'Public-Key: \(3072 bit\)' "ca.pem key size"
expect_grep "$T/rsa-ca.txt" 'Subject: CN ?= ?mutls test RSA CA$' "ca.pem subject"
expect_grep "$T/rsa-ca.txt" 'Signature Algorithm: sha256WithRSAEncryption' "ca.pem signature"
openssl x509 -in "$R/ca.pem" -noout -checkend $((401 * 86400)) >/dev/null &&
    fail_because "ca.pem is valid for more than 401 days"
case_log "$OUT" "$ERR" "$T/rsa-ca.txt"
case_end

case_begin "init refuses a directory that already holds a CA (status 1, files untouched)"
sum=$(cat "$D/ca.pem" "$D/ca.key" | sha256sum)
run reinit ca init --dir "$D"
expect_rc "$RC" 1 "second mutls ca init"
expect_fixed "$ERR" "already holds a CA" "error message"
expect_fixed "$ERR" "refusing to overwrite" "error message"
[ "$(cat "$D/ca.pem" "$D/ca.key" | sha256sum)" = "$sum" ] || fail_because "ca.pem or ca.key changed"
run reinit-rsa ca init --dir "$R" --rsa 2048
expect_rc "$RC" 1 "second mutls ca init --rsa"
case_log "$ERR"
case_end

# ---- issue -----------------------------------------------------------------

case_begin "issue server localhost --san IP:127.0.0.1,IP:::1: chain file, 0600 key, printed commands"
run srv ca issue server localhost --san IP:127.0.0.1,IP:::1 --dir "$D"
expect_rc "$RC" 0 "mutls ca issue server"
[ "$(n_certs "$D/localhost.pem")" = 2 ] || fail_because "localhost.pem: $(n_certs "$D/localhost.pem") certificates, expected 2 (leaf + CA)"
expect_mode "$D/localhost.key" 600
expect_grep "$D/localhost.key" '^-----BEGIN PRIVATE KEY-----$' "localhost.key (PKCS#8)"
expect_no_grep "$OUT" 'PRIVATE KEY' "output (no key printed)"
expect_fixed "$OUT" "mutls server --listen 127.0.0.1:8443 --cert $D/localhost.pem --key $D/localhost.key --www"
expect_fixed "$OUT" "mutls client 127.0.0.1:8443 --ca $D/ca.pem --servername localhost --get /"
expect_fixed "$OUT" "curl --cacert $D/ca.pem https://localhost:8443/"
expect_fixed "$OUT" "--client-ca $D/ca.pem"
[ "$(cat "$D/serial")" = 1 ] || fail_because "serial counter is $(cat "$D/serial"), expected 1"
case_log "$OUT" "$ERR"
case_end

case_begin "issue client alice --spiffe-id --email: chain file, 0600 key, the exact mTLS commands"
run cli ca issue client alice --spiffe-id spiffe://example.org/ns/test/sa/alice \
    --email alice@example.org --dir "$D"
expect_rc "$RC" 0 "mutls ca issue client"
[ "$(n_certs "$D/alice.pem")" = 2 ] || fail_because "alice.pem: not 2 certificates"
expect_mode "$D/alice.key" 600
expect_fixed "$OUT" "mutls server --listen 127.0.0.1:8443 --cert $D/localhost.pem --key $D/localhost.key --client-ca $D/ca.pem --www"
expect_fixed "$OUT" "mutls client 127.0.0.1:8443 --ca $D/ca.pem --servername localhost --cert $D/alice.pem --key $D/alice.key --get /"
expect_fixed "$OUT" "curl --cacert $D/ca.pem --cert $D/alice.pem --key $D/alice.key https://localhost:8443/"
case_log "$OUT" "$ERR"
case_end

case_begin "issue client bob under umask 000: the key is still exactly 0600"
OUT=$T/bob.out ERR=$T/bob.err
(umask 000 && exec "$MUTLS" ca issue client bob --dir "$D") >"$OUT" 2>"$ERR"
expect_rc $? 0 "mutls ca issue client bob"
expect_mode "$D/bob.key" 600
case_log "$OUT" "$ERR"
case_end

case_begin "openssl x509 -text: server certificate (SANs, serverAuth, digitalSignature, CA:FALSE, AKI = CA's SKI, 16-byte serial, 397 days)"
x509_text "$D/localhost.pem" "$T/srv.txt"
expect_grep "$T/srv.txt" 'Subject: CN ?= ?localhost$' "subject"
expect_grep "$T/srv.txt" 'DNS:localhost, IP Address:127\.0\.0\.1, IP Address:0:0:0:0:0:0:0:1' "SANs"
expect_grep "$T/srv.txt" '^ *TLS Web Server Authentication$' "EKU"
expect_grep "$T/srv.txt" 'Key Usage: critical' "keyUsage critical"
expect_grep "$T/srv.txt" '^ *Digital Signature$' "keyUsage"
expect_grep "$T/srv.txt" '^ *CA:FALSE$' "basicConstraints"
expect_grep "$T/srv.txt" 'Subject Key Identifier' "SKI"
ca_ski=$(openssl x509 -in "$D/ca.pem" -noout -ext subjectKeyIdentifier | sed -n '2s/ //gp')
aki=$(openssl x509 -in "$D/localhost.pem" -noout -ext authorityKeyIdentifier | sed -n '2s/ //gp' | sed 's/^keyid://')
if [ -z "$ca_ski" ] || [ "$aki" != "$ca_ski" ]; then
    fail_because "AKI '$aki' is not the CA's SKI '$ca_ski'"
fi
serial=$(openssl x509 -in "$D/localhost.pem" -noout -serial | sed 's/^serial=//')
[[ $serial =~ ^[4-7][0-9A-F]{31}$ ]] || fail_because "serial $serial is not 16 bytes, positive, random-looking"
serial2=$(openssl x509 -in "$D/alice.pem" -noout -serial | sed 's/^serial=//')
[ "$serial" != "$serial2" ] || fail_because "two certificates share serial $serial"
openssl x509 -in "$D/localhost.pem" -noout -checkend $((396 * 86400)) >/dev/null ||
    fail_because "expires within 396 days"
openssl x509 -in "$D/localhost.pem" -noout -checkend $((398 * 86400)) >/dev/null &&
    fail_because "valid for more than 398 days"
grep -Fq "$serial	V	" "$D/index.txt" || fail_because "index.txt has no V line for $serial"
case_log "$T/srv.txt" "$D/index.txt"
case_end

case_begin "openssl x509 -text: client certificate (URI SAN = SPIFFE ID, email SAN, clientAuth)"
x509_text "$D/alice.pem" "$T/cli.txt"
expect_grep "$T/cli.txt" 'Subject: CN ?= ?alice$' "subject"
expect_fixed "$T/cli.txt" "URI:spiffe://example.org/ns/test/sa/alice" "URI SAN"
expect_fixed "$T/cli.txt" "email:alice@example.org" "email SAN"
expect_grep "$T/cli.txt" '^ *TLS Web Client Authentication$' "EKU"
expect_no_grep "$T/cli.txt" 'Server Authentication' "EKU"
expect_grep "$T/cli.txt" '^ *Digital Signature$' "keyUsage"
case_log "$T/cli.txt"
case_end

case_begin "openssl verify: sslserver accepts the server certificate (host and IP), sslclient accepts the clients"
openssl verify -CAfile "$D/ca.pem" -purpose sslserver -verify_hostname localhost "$D/localhost.pem" >"$T/v1" 2>&1 ||
    fail_because "verify -purpose sslserver localhost.pem: $(tr '\n' ' ' <"$T/v1")"
openssl verify -CAfile "$D/ca.pem" -purpose sslserver -verify_ip ::1 "$D/localhost.pem" >"$T/v2" 2>&1 ||
    fail_because "verify -purpose sslserver -verify_ip ::1: $(tr '\n' ' ' <"$T/v2")"
for c in alice bob; do
    openssl verify -CAfile "$D/ca.pem" -purpose sslclient "$D/$c.pem" >"$T/v-$c" 2>&1 ||
        fail_because "verify -purpose sslclient $c.pem: $(tr '\n' ' ' <"$T/v-$c")"
done
case_end

case_begin "openssl verify: the wrong purpose is rejected (server as sslclient, client as sslserver)"
openssl verify -CAfile "$D/ca.pem" -purpose sslclient "$D/localhost.pem" >"$T/w1" 2>&1 &&
    fail_because "localhost.pem accepted as sslclient"
expect_grep "$T/w1" 'unsuitable certificate purpose|unsupported certificate purpose' "verify output"
openssl verify -CAfile "$D/ca.pem" -purpose sslserver "$D/alice.pem" >"$T/w2" 2>&1 &&
    fail_because "alice.pem accepted as sslserver"
expect_grep "$T/w2" 'unsuitable certificate purpose|unsupported certificate purpose' "verify output"
openssl verify -CAfile "$R/ca.pem" -purpose sslserver "$D/localhost.pem" >"$T/w3" 2>&1 &&
    fail_because "localhost.pem accepted by another CA"
case_log "$T/w1" "$T/w2"
case_end

case_begin "RSA: issue server --rsa 2048 and client --rsa under the RSA CA (keyEncipherment for the server only), both verify"
run rsa-srv ca issue server rsa.example --rsa 2048 --dir "$R"
expect_rc "$RC" 0 "issue server --rsa 2048"
run rsa-cli ca issue client carol --rsa --dir "$R" --days 30
expect_rc "$RC" 0 "issue client --rsa"
x509_text "$R/rsa.example.pem" "$T/rsa-srv.txt"
x509_text "$R/carol.pem" "$T/rsa-cli.txt"
expect_grep "$T/rsa-srv.txt" 'Public-Key: \(2048 bit\)' "server key size"
expect_grep "$T/rsa-srv.txt" '^ *Digital Signature, Key Encipherment$' "server keyUsage"
expect_grep "$T/rsa-srv.txt" 'Signature Algorithm: sha256WithRSAEncryption' "server signature"
expect_grep "$T/rsa-cli.txt" 'Public-Key: \(3072 bit\)' "client key size"
expect_grep "$T/rsa-cli.txt" '^ *Digital Signature$' "client keyUsage"
expect_mode "$R/rsa.example.key" 600
expect_mode "$R/carol.key" 600
openssl verify -CAfile "$R/ca.pem" -purpose sslserver -verify_hostname rsa.example "$R/rsa.example.pem" >"$T/rv1" 2>&1 ||
    fail_because "rsa.example.pem does not verify"
openssl verify -CAfile "$R/ca.pem" -purpose sslclient "$R/carol.pem" >"$T/rv2" 2>&1 ||
    fail_because "carol.pem does not verify"
expect_fixed "$T/rsa-srv.out" "curl --resolve rsa.example:8443:127.0.0.1 --cacert $R/ca.pem https://rsa.example:8443/" "printed curl command"
case_log "$T/rsa-srv.out" "$T/rsa-srv.txt" "$T/rsa-cli.txt" "$T/rv1" "$T/rv2"
case_end

case_begin "issue: validity never past the CA's (the RSA CA lives 400 days; a 397-day cert is cut only if needed, --days 1000 is cut)"
run rsa-long ca issue client dave --days 1000 --dir "$R"
expect_rc "$RC" 0 "issue --days 1000"
ca_end=$(openssl x509 -in "$R/ca.pem" -noout -enddate)
[ "$(openssl x509 -in "$R/dave.pem" -noout -enddate)" = "$ca_end" ] || fail_because "dave.pem does not end with the CA"
expect_fixed "$OUT" "cut to the CA's own expiry" "output"
case_log "$OUT"
case_end

# ---- inspect ---------------------------------------------------------------

case_begin "inspect a server certificate: every field, fingerprint, usable as server but not as client"
run insp-srv ca inspect "$D/localhost.pem" --ca "$D/ca.pem"
expect_rc "$RC" 0 "mutls ca inspect"
fp=$(openssl x509 -in "$D/localhost.pem" -noout -fingerprint -sha256 | sed 's/^.*=//')
expect_grep "$OUT" '^subject: +CN=localhost$'
expect_grep "$OUT" '^issuer: +CN=mutls CA [0-9a-f]{8}$'
expect_grep "$OUT" "^serial: +$serial\$"
expect_grep "$OUT" '^valid from: +[0-9]{4}-[0-9]{2}-[0-9]{2}T'
expect_grep "$OUT" '^valid until: +.*\(valid for 39[67] more days\)$'
expect_grep "$OUT" '^names: +DNS:localhost, IP:127\.0\.0\.1, IP:::1$'
expect_grep "$OUT" '^SPIFFE ID: +none$'
expect_grep "$OUT" '^public key: +ECDSA P-256 \(256 bits\)$'
expect_grep "$OUT" '^key usage: +digitalSignature \(critical\)$'
expect_grep "$OUT" '^extended key usage: +serverAuth$'
expect_grep "$OUT" '^basic constraints: +CA:FALSE \(critical\)$'
expect_grep "$OUT" "^SHA-256 fingerprint: +$fp\$"
expect_grep "$OUT" '^TLS server certificate: +yes$'
expect_grep "$OUT" '^TLS client certificate: +no: not a client certificate: extended key usage lacks clientAuth'
expect_grep "$OUT" '^chain: +verifies against '
case_log "$OUT" "$ERR"
case_end

case_begin "inspect a client certificate: SPIFFE ID, e-mail, usable as client but not as server (why)"
run insp-cli ca inspect "$D/alice.pem"
expect_rc "$RC" 0 "mutls ca inspect"
expect_grep "$OUT" '^names: +URI:spiffe://example\.org/ns/test/sa/alice, email:alice@example\.org$'
expect_grep "$OUT" '^SPIFFE ID: +spiffe://example\.org/ns/test/sa/alice$'
expect_grep "$OUT" '^extended key usage: +clientAuth$'
expect_grep "$OUT" '^TLS client certificate: +yes$'
expect_grep "$OUT" '^TLS server certificate: +no: not a server certificate: extended key usage lacks serverAuth'
expect_grep "$OUT" 'no DNS or IP subject alternative name'
case_log "$OUT" "$ERR"
case_end

case_begin "inspect the CA and an RSA certificate (DER too): self-signed, CA:TRUE, key type and size"
run insp-ca ca inspect "$D/ca.pem"
expect_rc "$RC" 0 "inspect ca.pem"
expect_grep "$OUT" '^issuer: +CN=mutls CA [0-9a-f]{8} \(self-signed\)$'
expect_grep "$OUT" '^basic constraints: +CA:TRUE, pathlen:0 \(critical\)$'
expect_grep "$OUT" '^key usage: +keyCertSign, cRLSign \(critical\)$'
expect_grep "$OUT" '^TLS server certificate: +no: it is a CA certificate'
openssl x509 -in "$R/rsa.example.pem" -outform DER -out "$T/rsa.der"
run insp-der ca inspect "$T/rsa.der"
expect_rc "$RC" 0 "inspect rsa.der"
expect_grep "$OUT" '^public key: +RSA 2048 bits$'
expect_grep "$OUT" '^key usage: +digitalSignature, keyEncipherment \(critical\)$'
expect_grep "$OUT" '^TLS server certificate: +yes$'
case_log "$T/insp-ca.out" "$OUT"
case_end

# ---- mutual TLS with OpenSSL ----------------------------------------------

printf 'GET / HTTP/1.0\r\n\r\n' >"$T/get.req"

# tls_client OUT CERT KEY [ARGS...]: s_client against SRV_PORT.
tls_client() {
    local out=$1 cert=$2 key=$3
    shift 3
    local certargs=()
    [ -n "$cert" ] && certargs=(-cert "$cert" -key "$key")
    timeout "$IOP_CLIENT_TIMEOUT" openssl s_client -connect "127.0.0.1:$SRV_PORT" \
        -servername localhost -verify_hostname localhost -CAfile "$D/ca.pem" \
        -verify_return_error -ign_eof "${certargs[@]}" "$@" <"$T/get.req" >"$out" 2>&1
}

if start_openssl_server mtls /dev/null -Verify 1 -verify_return_error \
    -CAfile "$D/ca.pem" -cert "$D/localhost.pem" -key "$D/localhost.key" -www; then
    case_begin "mTLS: s_server -Verify 1 -CAfile ca.pem with localhost.pem; s_client -cert alice.pem: both sides verify"
    tls_client "$T/tls-alice.out" "$D/alice.pem" "$D/alice.key"
    expect_rc $? 0 "s_client"
    expect_grep "$T/tls-alice.out" '^Verification: OK$' "s_client verification of the server"
    expect_grep "$T/tls-alice.out" 'HTTP/1\.0 200 ' "s_server -www answer"
    expect_grep "$T/tls-alice.out" 'Subject: CN ?= ?alice' "s_server saw alice's certificate"
    expect_grep "$SRV_LOG" '^depth=0 CN ?= ?alice' "s_server verified alice"
    case_log "$T/tls-alice.out" "$SRV_LOG"
    case_end

    case_begin "mTLS: the server certificate offered as a client certificate is refused (no clientAuth)"
    tls_client "$T/tls-wrong.out" "$D/localhost.pem" "$D/localhost.key"
    expect_no_grep "$T/tls-wrong.out" 'HTTP/1\.0 200 ' "s_client output"
    wait_for_grep "$SRV_LOG" 'unsupported certificate purpose|unsuitable certificate purpose' 5 "$SRV_PID" ||
        fail_because "s_server did not report the wrong purpose"
    case_log "$T/tls-wrong.out" "$SRV_LOG"
    case_end

    case_begin "mTLS: a client without a certificate is refused"
    tls_client "$T/tls-none.out" "" ""
    expect_no_grep "$T/tls-none.out" 'HTTP/1\.0 200 ' "s_client output"
    wait_for_grep "$SRV_LOG" 'peer did not return a certificate|certificate required' 5 "$SRV_PID" ||
        fail_because "s_server did not report the missing certificate"
    case_log "$T/tls-none.out" "$SRV_LOG"
    case_end
    iop_stop "$SRV_PID"
else
    case_fail "openssl s_server -Verify 1 with the issued certificates starts" "no ACCEPT line" "$SRV_LOG"
fi

# ---- revoke and crl ----------------------------------------------------------

case_begin "revoke alice.pem --reason keyCompromise: index line R; revoking again fails"
alice_serial=$(openssl x509 -in "$D/alice.pem" -noout -serial | sed 's/^serial=//')
run rev ca revoke "$D/alice.pem" --reason keyCompromise --dir "$D"
expect_rc "$RC" 0 "mutls ca revoke"
grep -Eq "^$alice_serial	R	[^	]+	[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z	keyCompromise	client	CN=alice	alice\.pem\$" "$D/index.txt" ||
    fail_because "index.txt has no revoked line for $alice_serial"
expect_fixed "$OUT" "mutls ca crl --dir $D" "printed next step"
run rev2 ca revoke "$D/alice.pem" --dir "$D"
expect_rc "$RC" 1 "second revoke"
expect_fixed "$ERR" "already revoked" "second revoke message"
case_log "$T/rev.out" "$T/rev.err" "$D/index.txt" "$ERR"
case_end

case_begin "revoke refuses a certificate of another CA and an unknown serial"
run rev-other ca revoke "$R/carol.pem" --dir "$D"
expect_rc "$RC" 1 "revoke of another CA's certificate"
expect_fixed "$ERR" "was not issued by this CA"
run rev-serial ca revoke --serial 0123ABCD --dir "$D"
expect_rc "$RC" 1 "revoke --serial unknown"
expect_fixed "$ERR" "is not in"
case_log "$T/rev-other.err" "$ERR"
case_end

case_begin "crl: X509 v2 CRL signed by the CA, CRL number 1 then 2, alice revoked with its reason, nextUpdate as --days"
run crl1 ca crl --dir "$D"
expect_rc "$RC" 0 "mutls ca crl"
run crl2 ca crl --dir "$D" --days 7
expect_rc "$RC" 0 "mutls ca crl --days 7"
openssl crl -in "$D/crl.pem" -noout -text >"$T/crl.txt" 2>&1 || fail_because "openssl crl cannot read crl.pem"
expect_grep "$T/crl.txt" 'Version 2 \(0x1\)' "CRL version"
expect_grep "$T/crl.txt" 'X509v3 CRL Number:' "CRL number extension"
grep -A1 'CRL Number' "$T/crl.txt" | grep -Eq '^ +2$' || fail_because "CRL number is not 2"
expect_grep "$T/crl.txt" 'Authority Key Identifier' "AKI"
expect_grep "$T/crl.txt" "Serial Number: $alice_serial\$" "alice's serial"
expect_grep "$T/crl.txt" 'Key Compromise' "reason"
expect_grep "$T/crl.txt" 'Revocation Date:' "revocation date"
openssl crl -in "$D/crl.pem" -noout -CAfile "$D/ca.pem" >"$T/crl.verify" 2>&1
expect_grep "$T/crl.verify" 'verify OK' "openssl crl -CAfile"
[ "$(cat "$D/crlnumber")" = 2 ] || fail_because "crlnumber is $(cat "$D/crlnumber")"
next=$(openssl crl -in "$D/crl.pem" -noout -nextupdate | sed 's/^nextUpdate=//')
next_s=$(date -d "$next" +%s 2>/dev/null || echo 0)
now_s=$(date +%s)
if [ $((next_s - now_s)) -le $((6 * 86400)) ] || [ $((next_s - now_s)) -gt $((7 * 86400 + 60)) ]; then
    fail_because "nextUpdate $next is not 7 days from now"
fi
case_log "$T/crl1.out" "$T/crl.txt"
case_end

case_begin "openssl verify -crl_check: the revoked client is rejected, another client accepted"
openssl verify -crl_check -CAfile "$D/ca.pem" -CRLfile "$D/crl.pem" "$D/alice.pem" >"$T/crlv1" 2>&1 &&
    fail_because "alice.pem accepted despite the CRL"
expect_grep "$T/crlv1" 'certificate revoked' "verify alice.pem"
openssl verify -crl_check -CAfile "$D/ca.pem" -CRLfile "$D/crl.pem" -purpose sslclient "$D/bob.pem" >"$T/crlv2" 2>&1 ||
    fail_because "bob.pem rejected: $(tr '\n' ' ' <"$T/crlv2")"
case_log "$T/crlv1" "$T/crlv2"
case_end

case_begin "inspect crl.pem: issuer, dates, number, the revoked serial and reason; signature verifies"
run insp-crl ca inspect "$D/crl.pem" --ca "$D/ca.pem"
expect_rc "$RC" 0 "mutls ca inspect crl.pem"
expect_grep "$OUT" '^CRL: '
expect_grep "$OUT" '^issuer: +CN=mutls CA [0-9a-f]{8}$'
expect_grep "$OUT" '^CRL number: +2$'
expect_grep "$OUT" '^this update: +[0-9]{4}-'
expect_grep "$OUT" '^next update: +.*\(in 7 days\)$'
expect_grep "$OUT" '^revoked: +1 certificate$'
expect_grep "$OUT" "^  $alice_serial  [0-9-]+T[0-9:]+Z  keyCompromise\$"
expect_grep "$OUT" '^signature check: +verifies against'
case_log "$OUT" "$ERR"
case_end

if start_openssl_server mtls-crl /dev/null -Verify 1 -verify_return_error -crl_check \
    -CRL "$D/crl.pem" -CAfile "$D/ca.pem" -cert "$D/localhost.pem" -key "$D/localhost.key" -www; then
    case_begin "mTLS with the CRL: s_server -crl_check refuses revoked alice and accepts bob"
    tls_client "$T/tls-rev.out" "$D/alice.pem" "$D/alice.key"
    expect_no_grep "$T/tls-rev.out" 'HTTP/1\.0 200 ' "alice's connection"
    wait_for_grep "$SRV_LOG" 'certificate revoked' 5 "$SRV_PID" ||
        fail_because "s_server did not report alice as revoked"
    tls_client "$T/tls-bob.out" "$D/bob.pem" "$D/bob.key"
    expect_rc $? 0 "s_client with bob.pem"
    expect_grep "$T/tls-bob.out" 'HTTP/1\.0 200 ' "bob's connection"
    expect_grep "$T/tls-bob.out" 'Subject: CN ?= ?bob' "s_server saw bob's certificate"
    case_log "$T/tls-rev.out" "$T/tls-bob.out" "$SRV_LOG"
    case_end
    iop_stop "$SRV_PID"
else
    case_fail "openssl s_server -crl_check starts" "no ACCEPT line" "$SRV_LOG"
fi

# ---- refusals ------------------------------------------------------------------

case_begin "invalid SPIFFE IDs are refused (status 2, a clear reason, no files)"
i=0
while IFS='|' read -r id why; do
    i=$((i + 1))
    run spiffe-$i ca issue client "bad$i" --spiffe-id "$id" --dir "$D"
    expect_rc "$RC" 2 "--spiffe-id '$id'"
    expect_fixed "$ERR" "is not a SPIFFE ID" "--spiffe-id '$id'"
    expect_fixed "$ERR" "$why" "--spiffe-id '$id'"
    if [ -e "$D/bad$i.pem" ] || [ -e "$D/bad$i.key" ]; then
        fail_because "files written for '$id'"
    fi
    case_log "$ERR"
done <<'EOF'
https://example.org/alice|must start with 'spiffe://'
SPIFFE://example.org/alice|lower case
spiffe://|trust domain is missing
spiffe:///alice|trust domain is missing
spiffe://Example.org/alice|lower case
spiffe://example.org:8443/alice|port
spiffe://user@example.org/alice|user part
spiffe://exa mple.org/alice|a space
spiffe://example.org/alice/|end with '/'
spiffe://example.org//alice|empty segments
spiffe://example.org/./alice|'.' or '..'
spiffe://example.org/a/../b|'.' or '..'
spiffe://example.org/al%20ice|percent-encoded
spiffe://example.org/alice?x=1|query or fragment
spiffe://example.org/alice#frag|query or fragment
spiffe://example.org/al*ice|'*' in the path
EOF
run spiffe-uri ca issue client baduri --spiffe-id spiffe://example.org/a --san URI:https://x.example --dir "$D"
expect_rc "$RC" 2 "--spiffe-id with a second URI"
expect_fixed "$ERR" "exactly one URI name"
case_end

case_begin "valid SPIFFE IDs are accepted (trust domain only, _ - . in names, upper case in the path)"
run spiffe-ok1 ca issue client td-only --spiffe-id spiffe://my_trust-domain.example --dir "$D"
expect_rc "$RC" 0 "--spiffe-id spiffe://my_trust-domain.example"
run spiffe-ok2 ca issue client svc --spiffe-id spiffe://prod.example.com/ns/Payments/sa/web-fe_1.v2 --dir "$D"
expect_rc "$RC" 0 "--spiffe-id .../ns/Payments/sa/web-fe_1.v2"
case_log "$T/spiffe-ok1.err" "$ERR"
case_end

case_begin "issue refuses to overwrite existing files; a missing CA directory is a clear failure"
sum=$(sha256sum <"$D/alice.key")
run over ca issue client alice --dir "$D"
expect_rc "$RC" 1 "issue client alice again"
expect_fixed "$ERR" "already exists"
[ "$(sha256sum <"$D/alice.key")" = "$sum" ] || fail_because "alice.key changed"
run noca ca issue server localhost --dir "$T/no-such-ca"
expect_rc "$RC" 1 "issue with a missing CA"
expect_fixed "$ERR" "no CA in $T/no-such-ca"
expect_fixed "$ERR" "mutls ca init --dir $T/no-such-ca"
case_log "$T/over.err" "$ERR"
case_end

case_begin "usage errors exit 2 and name the argument"
while IFS='|' read -r args want; do
    # shellcheck disable=SC2086 # (word splitting of $args intended)
    run usage ca $args
    expect_rc "$RC" 2 "mutls ca $args"
    expect_fixed "$ERR" "$want" "mutls ca $args"
    expect_fixed "$ERR" "Try 'mutls ca" "mutls ca $args"
done <<'EOF'
|missing command
frobnicate|unknown command 'frobnicate'
init --bogus|unknown option '--bogus'
init --days abc|--days: 'abc'
init --days 0|--days: '0'
init --rsa 1024|--rsa: '1024'
init --dir|--dir needs an argument
init extra|unexpected argument 'extra'
issue|missing 'server' or 'client'
issue router x|'router': expected 'server' or 'client'
issue server|missing NAME
issue server a b|unexpected argument 'b'
issue server bad_name!|NAME 'bad_name!' is not a DNS name
issue server x --san FOO:bar|--san: 'FOO:bar'
issue server x --san IP:999.1.1.1|'999.1.1.1' is not an IPv4 or IPv6 address
issue server x --san DNS:-x.example|--san: '-x.example' is not a DNS name
issue server x --email a@b.example|--email is for client certificates
issue client x --email nobody|--email: 'nobody' is not an e-mail address
issue client ../x|cannot be used as a file name
issue client x --days -5|--days: '-5'
revoke|missing CERT
revoke a b|unexpected argument 'b'
revoke x --reason sleepy|--reason: unknown reason 'sleepy'
revoke x --serial 12|give CERT or --serial, not both
revoke --serial zz|--serial: 'zz'
crl --days never|--days: 'never'
crl --foo|unknown option '--foo'
inspect|missing FILE
inspect a b|unexpected argument 'b'
inspect x --frob|unknown option '--frob'
EOF
case_log "$ERR"
case_end

case_begin "runtime failures exit 1: inspect of a missing file, of a key, of a non-certificate"
run f1 ca inspect "$T/nothing.pem"
expect_rc "$RC" 1 "inspect missing file"
run f2 ca inspect "$D/alice.key"
expect_rc "$RC" 1 "inspect a key"
expect_fixed "$ERR" "holds a private key"
expect_no_grep "$T/f2.out" 'PRIVATE' "inspect output"
run f3 ca inspect "$D/index.txt"
expect_rc "$RC" 1 "inspect index.txt"
expect_fixed "$ERR" "no certificate or CRL"
case_end

case_begin "index.txt: one well-formed line per issued certificate, serial counter matches"
n=$(grep -vc '^#' "$D/index.txt")
[ "$n" = "$(cat "$D/serial")" ] || fail_because "$n index lines, serial counter $(cat "$D/serial")"
bad=$(grep -v '^#' "$D/index.txt" | awk -F'\t' 'NF != 8 || $1 !~ /^[0-9A-F]+$/ || $2 !~ /^[VR]$/' | head -1)
[ -z "$bad" ] || fail_because "malformed index line: $bad"
[ "$(grep -v '^#' "$D/index.txt" | cut -f1 | sort | uniq -d)" = "" ] || fail_because "duplicate serials"
case_log "$D/index.txt"
case_end

# ---- the demo shares the certificate code ----------------------------------

case_begin "mutls demo still works (its throw-away CA comes from tools/certgen.c)"
run demo demo
expect_rc "$RC" 0 "mutls demo"
expect_grep "$OUT" '^mutls demo: success$' "demo output"
case_log "$OUT" "$ERR"
case_end

iop_finish

#!/bin/sh
# Generate the mutls test PKI with the openssl command line only.
#
#   scripts/make-test-certs.sh [OUTDIR [SET]]   (default: tests/certs all)
#
# SET is "all", "base" (the server PKI and the first client chains) or
# "mtls" (the client CAs, client leaves and CRL of the mutual-TLS tests).
# The two sets share no key, CA or serial number, so either can be
# regenerated without touching the other's files.
#
# The keys are random, but everything else (names, serial numbers, validity
# dates, extensions) is fixed, so a regenerated set behaves identically in
# the tests. The committed set under tests/certs/ is what the tests use;
# regenerate only when the set itself has to change. TEST-ONLY KEYS.
#
# Validity: the CAs and every "good" certificate are valid from
# 2000-01-01T00:00:00Z to 2100-01-01T00:00:00Z (so the tests can also verify
# at fixed past instants such as 2020-06-01); the failure cases carry their
# own dates.
set -eu

OUT=${1:-tests/certs}
SET=${2:-all}
OPENSSL=${OPENSSL:-openssl}
case $SET in
all | base | mtls | kex) ;;
*) echo "usage: $0 [OUTDIR [all|base|mtls|kex]]" >&2; exit 2 ;;
esac
want() { [ "$SET" = all ] || [ "$SET" = "$1" ]; }

mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT INT TERM

GOOD_START=20000101000000Z
GOOD_END=21000101000000Z

# ---- openssl ca configuration ------------------------------------------
cat >"$WORK/ca.cnf" <<EOF
[ ca ]
default_ca = CA_default

[ CA_default ]
database        = $WORK/index.txt
new_certs_dir   = $WORK/newcerts
serial          = $WORK/serial
default_md      = sha256
policy          = policy_any
unique_subject  = no
copy_extensions = none
email_in_dn     = no
preserve        = yes
crlnumber       = $WORK/crlnumber
crl_extensions  = crl_ext

[ policy_any ]
commonName             = supplied
organizationName       = optional
organizationalUnitName = optional

[ req ]
distinguished_name = req_dn
prompt             = no

[ req_dn ]
CN = placeholder

[ v3_root ]
basicConstraints       = critical, CA:TRUE
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = hash

[ v3_intermediate ]
basicConstraints       = critical, CA:TRUE, pathlen:0
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always

[ v3_server ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature
extendedKeyUsage       = serverAuth
subjectAltName         = DNS:localhost, IP:127.0.0.1, IP:::1
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always

[ v3_client ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature
extendedKeyUsage       = clientAuth
subjectAltName         = DNS:client.mutls.test
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always

[ v3_wrong_eku ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature
extendedKeyUsage       = clientAuth
subjectAltName         = DNS:localhost, IP:127.0.0.1, IP:::1
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always

[ v3_wrong_name ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature
extendedKeyUsage       = serverAuth
subjectAltName         = DNS:other.example, DNS:10.0.0.1
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always

[ v3_wildcard ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature
extendedKeyUsage       = serverAuth
subjectAltName         = DNS:*.example.test
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always

[ v3_bad_wildcards ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature
extendedKeyUsage       = serverAuth
subjectAltName         = DNS:f*.example.test, DNS:*.test, DNS:a.*.example.org, DNS:*.*.example.net, DNS:*oo.example.com, DNS:Mixed.Case.Example
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always

[ v3_ip_only ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature
extendedKeyUsage       = serverAuth
subjectAltName         = IP:127.0.0.1
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always

[ v3_cn_only ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature
extendedKeyUsage       = serverAuth
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always

# ---- the mutual-TLS set (client CAs, client leaves, CRL) ----

[ crl_ext ]
authorityKeyIdentifier = keyid:always

[ v3_mtls_alice ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature
extendedKeyUsage       = clientAuth
subjectAltName         = DNS:alice.example.org, URI:spiffe://example.org/alice, email:alice@example.org, IP:192.0.2.7, IP:2001:db8:0:0:0:0:0:7
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always

[ v3_mtls_bob ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature
extendedKeyUsage       = clientAuth
subjectAltName         = URI:spiffe://example.org/bob
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always

[ v3_mtls_carol ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature
extendedKeyUsage       = clientAuth
subjectAltName         = URI:spiffe://example.org/carol
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always

[ v3_mtls_dave ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature
extendedKeyUsage       = clientAuth
subjectAltName         = URI:spiffe://other.example/dave
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always

[ v3_mtls_client ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature
extendedKeyUsage       = clientAuth
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always

[ v3_mtls_bad_spiffe ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature
extendedKeyUsage       = clientAuth
subjectAltName         = URI:spiffe://Example.org/a/../b
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always

[ v3_mtls_two_uris ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature
extendedKeyUsage       = clientAuth
subjectAltName         = URI:spiffe://example.org/one, URI:spiffe://example.org/two
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always

[ v3_mtls_wrong_eku ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature
extendedKeyUsage       = serverAuth
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always
EOF

ca_reset() {
    # A fresh database per issuing CA; serials stay globally unique.
    : >"$WORK/index.txt"
    mkdir -p "$WORK/newcerts"
}
ca_reset

# genkey NAME TYPE -> $OUT/NAME.key (PKCS#8 PEM)
genkey() {
    case $2 in
    rsa1024) $OPENSSL genpkey -quiet -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out "$OUT/$1.key" ;;
    rsa2048) $OPENSSL genpkey -quiet -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$OUT/$1.key" ;;
    rsa4096) $OPENSSL genpkey -quiet -algorithm RSA -pkeyopt rsa_keygen_bits:4096 -out "$OUT/$1.key" ;;
    rsa-pss) $OPENSSL genpkey -quiet -algorithm RSA-PSS -pkeyopt rsa_keygen_bits:2048 -out "$OUT/$1.key" ;;
    ecdsa-p256) $OPENSSL genpkey -quiet -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
                    -pkeyopt ec_param_enc:named_curve -out "$OUT/$1.key" ;;
    ecdsa-p384) $OPENSSL genpkey -quiet -algorithm EC -pkeyopt ec_paramgen_curve:P-384 \
                    -pkeyopt ec_param_enc:named_curve -out "$OUT/$1.key" ;;
    ed25519) $OPENSSL genpkey -quiet -algorithm ED25519 -out "$OUT/$1.key" ;;
    *) echo "unknown key type $2" >&2; exit 1 ;;
    esac
    chmod 644 "$OUT/$1.key"
}

# issue NAME SUBJECT EXT START END SIGNER -> $OUT/NAME.crt (one certificate)
# SIGNER is "self" or the base name of a CA (its .crt and .key in $OUT).
issue() {
    name=$1 subj=$2 ext=$3 start=$4 end=$5 signer=$6
    $OPENSSL req -config "$WORK/ca.cnf" -new -key "$OUT/$name.key" -subj "$subj" \
        -out "$WORK/$name.csr"
    if [ "$signer" = self ]; then
        set -- -selfsign -keyfile "$OUT/$name.key"
    else
        set -- -cert "$OUT/$signer.crt" -keyfile "$OUT/$signer.key"
    fi
    $OPENSSL ca -config "$WORK/ca.cnf" -batch -notext -preserveDN "$@" \
        -in "$WORK/$name.csr" -subj "$subj" -extensions "$ext" \
        -startdate "$start" -enddate "$end" -out "$OUT/$name.crt" 2>"$WORK/ca.log" || {
        cat "$WORK/ca.log" >&2
        exit 1
    }
    ca_reset
}

# chain NAME CERT... -> $OUT/NAME.pem (the certificates concatenated)
chain() {
    dst=$1
    shift
    : >"$OUT/$dst.pem"
    for c in "$@"; do cat "$OUT/$c.crt" >>"$OUT/$dst.pem"; done
}

if want base; then
# Serial numbers 1000, 1001, ... (hex) in this order.
echo 1000 >"$WORK/serial"

# ---- the trusted root and the intermediate -----------------------------
genkey ca ecdsa-p256
issue ca "/CN=mutls test CA" v3_root $GOOD_START $GOOD_END self
genkey intermediate ecdsa-p256
issue intermediate "/CN=mutls test intermediate CA" v3_intermediate $GOOD_START $GOOD_END ca

# ---- good server certificates (leaf + intermediate) -------------------
for t in rsa2048 rsa4096 ecdsa-p256 ecdsa-p384 ed25519 rsa-pss; do
    genkey "server-$t" "$t"
    issue "server-$t" "/CN=localhost" v3_server $GOOD_START $GOOD_END intermediate
    chain "server-$t" "server-$t" intermediate
done

# ---- good client certificates -----------------------------------------
for t in ecdsa-p256 rsa2048 ed25519; do
    genkey "client-$t" "$t"
    issue "client-$t" "/O=mutls tests/OU=clients/CN=mutls test client" v3_client $GOOD_START $GOOD_END intermediate
    chain "client-$t" "client-$t" intermediate
done

# ---- failure cases ------------------------------------------------------
genkey server-expired ecdsa-p256
issue server-expired "/CN=localhost" v3_server 20200101000000Z 20210101000000Z intermediate
chain server-expired server-expired intermediate

genkey server-not-yet-valid ecdsa-p256
issue server-not-yet-valid "/CN=localhost" v3_server 20900101000000Z 20991231000000Z intermediate
chain server-not-yet-valid server-not-yet-valid intermediate

genkey rogue-ca ecdsa-p256
issue rogue-ca "/CN=rogue CA" v3_root $GOOD_START $GOOD_END self
genkey server-rogue ecdsa-p256
issue server-rogue "/CN=localhost" v3_server $GOOD_START $GOOD_END rogue-ca
chain server-rogue server-rogue

genkey server-wrong-eku ecdsa-p256
issue server-wrong-eku "/CN=localhost" v3_wrong_eku $GOOD_START $GOOD_END intermediate
chain server-wrong-eku server-wrong-eku intermediate

genkey server-wrong-name ecdsa-p256
issue server-wrong-name "/CN=other.example" v3_wrong_name $GOOD_START $GOOD_END intermediate
chain server-wrong-name server-wrong-name intermediate

genkey server-wildcard ecdsa-p256
issue server-wildcard "/CN=*.example.test" v3_wildcard $GOOD_START $GOOD_END intermediate
chain server-wildcard server-wildcard intermediate

# Presented names that must never match as wildcards (partial, too broad,
# not left-most); the CN must not be consulted either.
genkey server-bad-wildcards ecdsa-p256
issue server-bad-wildcards "/CN=*.cn.example" v3_bad_wildcards $GOOD_START $GOOD_END intermediate
chain server-bad-wildcards server-bad-wildcards intermediate

genkey server-ip-only ecdsa-p256
issue server-ip-only "/CN=localhost" v3_ip_only $GOOD_START $GOOD_END intermediate
chain server-ip-only server-ip-only intermediate

genkey server-cn-only ecdsa-p256
issue server-cn-only "/CN=localhost" v3_cn_only $GOOD_START $GOOD_END intermediate
chain server-cn-only server-cn-only intermediate

# ---- trust anchors as PEM files ----------------------------------------
cp "$OUT/ca.crt" "$OUT/ca.pem"
cp "$OUT/rogue-ca.crt" "$OUT/rogue-ca.pem"
cp "$OUT/intermediate.crt" "$OUT/intermediate.pem"
# A hashed trust directory holding the root (as `openssl rehash` makes).
rm -rf "$OUT/trust-dir"
mkdir -p "$OUT/trust-dir"
cp "$OUT/ca.crt" "$OUT/trust-dir/$($OPENSSL x509 -hash -noout -in "$OUT/ca.crt").0"
fi

# ---- the mutual-TLS set -------------------------------------------------
# Client CAs (separate from the server PKI) and client leaves signed
# directly by them (so a client chain is its leaf alone), and a CRL.
if want mtls; then
# Serial numbers 2000, 2001, ... (hex) in this order.
echo 2000 >"$WORK/serial"

genkey client-ca ecdsa-p256
issue client-ca "/CN=mutls test client CA" v3_root $GOOD_START $GOOD_END self
genkey client-ca-2 ecdsa-p256
issue client-ca-2 "/CN=mutls test client CA 2" v3_root $GOOD_START $GOOD_END self
genkey rogue-client-ca ecdsa-p256
issue rogue-client-ca "/CN=rogue client CA" v3_root $GOOD_START $GOOD_END self

# leaf NAME KEYTYPE SUBJECT EXT START END SIGNER -> NAME.pem (the leaf alone)
leaf() {
    genkey "$1" "$2"
    issue "$1" "$3" "$4" "$5" "$6" "$7"
    chain "$1" "$1"
}
leaf client-alice ecdsa-p256 "/O=Example Org/OU=engineering/CN=alice" v3_mtls_alice $GOOD_START $GOOD_END client-ca
leaf client-bob-rsa rsa2048 "/CN=bob" v3_mtls_bob $GOOD_START $GOOD_END client-ca
leaf client-carol-ed25519 ed25519 "/CN=carol" v3_mtls_carol $GOOD_START $GOOD_END client-ca
leaf client-dave ecdsa-p256 "/CN=dave" v3_mtls_dave $GOOD_START $GOOD_END client-ca-2
leaf client-expired ecdsa-p256 "/CN=expired client" v3_mtls_client 20200101000000Z 20210101000000Z client-ca
leaf client-notyet ecdsa-p256 "/CN=future client" v3_mtls_client 20900101000000Z 20991231000000Z client-ca
leaf client-revoked ecdsa-p256 "/CN=revoked client" v3_mtls_client $GOOD_START $GOOD_END client-ca
leaf client-wrong-eku ecdsa-p256 "/CN=server-only client" v3_mtls_wrong_eku $GOOD_START $GOOD_END client-ca
leaf client-rogue ecdsa-p256 "/CN=rogue client" v3_mtls_client $GOOD_START $GOOD_END rogue-client-ca
leaf client-rsa1024 rsa1024 "/CN=weak client" v3_mtls_client $GOOD_START $GOOD_END client-ca
leaf client-bad-spiffe ecdsa-p256 "/CN=bad spiffe client" v3_mtls_bad_spiffe $GOOD_START $GOOD_END client-ca
leaf client-two-uris ecdsa-p256 "/CN=two uris client" v3_mtls_two_uris $GOOD_START $GOOD_END client-ca

# The client CA's CRL lists client-revoked only (keyCompromise, revoked
# 2024-01-01T00:00:00Z); lastUpdate 2000-01-01, nextUpdate 2099-12-31. The
# database line is written by hand so that the revocation date is fixed.
rev_serial=$($OPENSSL x509 -noout -serial -in "$OUT/client-revoked.crt" | sed 's/^serial=//')
printf 'R\t20991231000000Z\t240101000000Z,keyCompromise\t%s\tunknown\t/CN=revoked client\n' \
    "$rev_serial" >"$WORK/index.txt"
echo 01 >"$WORK/crlnumber"
$OPENSSL ca -config "$WORK/ca.cnf" -batch -gencrl -cert "$OUT/client-ca.crt" \
    -keyfile "$OUT/client-ca.key" -crl_lastupdate 20000101000000Z \
    -crl_nextupdate 20991231000000Z -out "$WORK/client-ca.crl" 2>"$WORK/ca.log" || {
    cat "$WORK/ca.log" >&2
    exit 1
}
$OPENSSL crl -in "$WORK/client-ca.crl" -out "$OUT/client-ca.crl.pem"
ca_reset

cp "$OUT/client-ca.crt" "$OUT/client-ca.pem"
cp "$OUT/client-ca-2.crt" "$OUT/client-ca-2.pem"
cp "$OUT/rogue-client-ca.crt" "$OUT/rogue-client-ca.pem"
# Both client CAs in one trust file (a server accepting either).
cat "$OUT/client-ca.crt" "$OUT/client-ca-2.crt" >"$OUT/client-cas.pem"
fi

# ---- an RSA server certificate for TLS 1.2 RSA key exchange -----------------
# The other server certificates allow digitalSignature only, as ECDHE and
# TLS 1.3 need; RSA key exchange needs keyEncipherment (RFC 5246 7.4.2).
# Issued by the intermediate from its kept key, so it can be added alone.
if want kex; then
cat >>"$WORK/ca.cnf" <<EOF

[ v3_server_kex ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature, keyEncipherment
extendedKeyUsage       = serverAuth
subjectAltName         = DNS:localhost, IP:127.0.0.1, IP:::1
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always
EOF
echo 3000 >"$WORK/serial"
[ -f "$OUT/intermediate.crt" ] || cp "$OUT/intermediate.pem" "$OUT/intermediate.crt"
genkey server-rsa2048-kex rsa2048
issue server-rsa2048-kex "/CN=localhost" v3_server_kex $GOOD_START $GOOD_END intermediate
chain server-rsa2048-kex server-rsa2048-kex intermediate
fi

# The per-certificate .crt files are intermediate products: the chains
# (.pem) and the CA files carry everything the tests need.
rm -f "$OUT"/*.crt
# CA private keys are kept (for regenerating single leaves by hand) but
# nothing in the tests needs them.

echo "test certificates written to $OUT"

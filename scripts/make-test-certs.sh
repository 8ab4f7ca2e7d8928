#!/bin/sh
# Generate the mutls test PKI with the openssl command line only.
#
#   scripts/make-test-certs.sh [OUTDIR]      (default: tests/certs)
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
OPENSSL=${OPENSSL:-openssl}

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
EOF

ca_reset() {
    # A fresh database per issuing CA; serials stay globally unique.
    : >"$WORK/index.txt"
    mkdir -p "$WORK/newcerts"
}
ca_reset
echo 1000 >"$WORK/serial"

# genkey NAME TYPE -> $OUT/NAME.key (PKCS#8 PEM)
genkey() {
    case $2 in
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

# The per-certificate .crt files are intermediate products: the chains
# (.pem) and the CA files carry everything the tests need.
rm -f "$OUT"/*.crt
# CA private keys are kept (for regenerating single leaves by hand) but
# nothing in the tests needs them.

echo "test certificates written to $OUT"

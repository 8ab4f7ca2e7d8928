/*
 * Mutual TLS in src/x509: the peer's identity (mutls_peer and its getters,
 * the SPIFFE ID of an X509-SVID), client-certificate verification (alerts
 * and messages, CRLs, maximum depth, minimum RSA size), and the CA name
 * lists of CertificateRequest (mt_trust_ca_names, mt_cert_chain_issued_by,
 * mt_dn_list_text). Uses the mutual-TLS set of tests/certs (README.md
 * there) and certificates built here with libcrypto for the many invalid
 * SPIFFE IDs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "testlib.h"
#include "x509/x509.h"

#define NOW_2026 1767225600LL       /* 2026-01-01T00:00:00Z */
#define NOW_2020_06 1590969600LL    /* 2020-06-01T00:00:00Z */
#define NOW_2095 3944678400LL       /* 2095-01-01T00:00:00Z */
#define NOW_1999_06 928195200LL     /* 1999-06-01T00:00:00Z */
#define NOW_2099_12_31 4102401600LL /* 2099-12-31T12:00:00Z */
#define T_2000 946684800LL
#define T_2100 4102444800LL
#define T_2020 1577836800LL
#define T_2021 1609459200LL
#define T_2090 3786912000LL
#define T_2099_12_31 4102358400LL

/* ---- helpers --------------------------------------------------------------- */

static mt_cert_chain *chain_of(const char *name)
{
    char f[256];
    char *pem, *key;
    size_t pem_len, key_len;
    mt_cert_chain *c = NULL;
    mt_error e;
    snprintf(f, sizeof(f), "%s.pem", name);
    pem = test_cert_load(f, &pem_len);
    snprintf(f, sizeof(f), "%s.key", name);
    key = test_cert_load(f, &key_len);
    mt_error_clear(&e);
    if (mt_cert_chain_load(pem, pem_len, key, key_len, &c, &e) != 0) {
        fprintf(stderr, "cannot load chain %s: %s\n", name, e.msg);
        exit(2);
    }
    free(pem);
    free(key);
    return c;
}

static mt_trust *trust_of(const char *ca)
{
    char path[1024];
    mt_error e;
    mt_trust *t = mt_trust_new();
    if (t == NULL)
        exit(2);
    test_cert_path(path, sizeof(path), ca);
    mt_error_clear(&e);
    if (mt_trust_add_file(t, path, &e) != 0) {
        fprintf(stderr, "cannot load %s: %s\n", path, e.msg);
        exit(2);
    }
    return t;
}

static void add_crl(mt_trust *t, const char *name)
{
    char path[1024];
    mt_error e;
    test_cert_path(path, sizeof(path), name);
    mt_error_clear(&e);
    CHECK(mt_trust_add_crl_file(t, path, &e) == 0);
    if (e.code != MUTLS_OK)
        fprintf(stderr, "    %s\n", e.msg);
}

static int has(const mt_error *e, const char *needle)
{
    if (strstr(e->msg, needle) != NULL)
        return 1;
    fprintf(stderr, "    message \"%s\"\n    lacks   \"%s\"\n", e->msg, needle);
    return 0;
}

static int streq(const char *a, const char *b)
{
    if (a != NULL && b != NULL && strcmp(a, b) == 0)
        return 1;
    fprintf(stderr, "    got  \"%s\"\n    want \"%s\"\n", a ? a : "(null)", b ? b : "(null)");
    return 0;
}

/* Verifies DER certificates for the client role. */
static int verify_der(const mt_trust *t, const uint8_t *const *der, const size_t *len, size_t n,
                      int64_t now, int max_depth, int min_rsa_bits, mt_error *e)
{
    mt_verify_params p;
    mt_x509 *leaf = NULL;
    int r;
    memset(&p, 0, sizeof(p));
    p.now = now;
    p.want_server = 0;
    p.max_depth = max_depth;
    p.min_rsa_bits = min_rsa_bits;
    mt_error_clear(e);
    r = mt_verify_chain(t, der, len, n, &p, "client", &leaf, e);
    if (r == 0) {
        CHECK(leaf != NULL);
    } else {
        CHECK(leaf == NULL);
        CHECK(e->code == r);
        CHECK(r == MUTLS_ERR_VERIFY);
        CHECK(e->msg[0] != '\0');
    }
    mt_x509_free(leaf);
    return r;
}

static int verify_client(const mt_trust *t, const char *name, int64_t now, int min_rsa_bits,
                         mt_error *e)
{
    mt_cert_chain *c = chain_of(name);
    int r = verify_der(t, (const uint8_t *const *)c->der, c->der_len, c->n, now, 0,
                       min_rsa_bits, e);
    mt_cert_chain_free(c);
    return r;
}

static mutls_peer *peer_of(const mt_cert_chain *c)
{
    return mt_peer_new((const uint8_t *const *)c->der, c->der_len, c->n);
}

/* ---- certificates built here --------------------------------------------- */

static EVP_PKEY *test_key(void)
{
    static EVP_PKEY *k;
    if (k == NULL)
        k = EVP_EC_gen("P-256");
    if (k == NULL) {
        fprintf(stderr, "cannot generate a key\n");
        exit(2);
    }
    return k;
}

static void free_test_key(void)
{
    EVP_PKEY_free(test_key());
}

typedef struct {
    const char *cn;
    X509 *issuer;        /* NULL: self-signed */
    EVP_PKEY *issuer_key;
    int ca;              /* basicConstraints cA TRUE (critical) */
    int no_bc;           /* no basicConstraints at all */
    int ku;              /* keyUsage bits (ASN1 bit numbers as a mask); 0: none */
    GENERAL_NAMES *san;  /* taken over; NULL: no SAN extension */
    long serial;
} certspec;

#define KU_BIT(n) (1 << (n))
#define KU_DS KU_BIT(0)
#define KU_CERTSIGN KU_BIT(5)
#define KU_CRLSIGN KU_BIT(6)

static X509 *build(const certspec *s)
{
    X509 *x = X509_new();
    X509_NAME *nm = X509_NAME_new();
    EVP_PKEY *key = test_key();

    X509_set_version(x, X509_VERSION_3);
    ASN1_INTEGER_set(X509_get_serialNumber(x), s->serial ? s->serial : 1);
    X509_NAME_add_entry_by_txt(nm, "CN", MBSTRING_ASC, (const unsigned char *)s->cn, -1, -1, 0);
    X509_set_subject_name(x, nm);
    X509_set_issuer_name(x, s->issuer ? X509_get_subject_name(s->issuer) : nm);
    X509_NAME_free(nm);
    ASN1_TIME_set(X509_getm_notBefore(x), (time_t)T_2000);
    ASN1_TIME_set(X509_getm_notAfter(x), (time_t)T_2100);
    X509_set_pubkey(x, key);
    if (!s->no_bc) {
        BASIC_CONSTRAINTS *bc = BASIC_CONSTRAINTS_new();
        bc->ca = s->ca ? 0xff : 0;
        X509_add1_ext_i2d(x, NID_basic_constraints, bc, 1, 0);
        BASIC_CONSTRAINTS_free(bc);
    }
    if (s->ku) {
        ASN1_BIT_STRING *ku = ASN1_BIT_STRING_new();
        int b;
        for (b = 0; b < 9; b++)
            if (s->ku & KU_BIT(b))
                ASN1_BIT_STRING_set_bit(ku, b, 1);
        X509_add1_ext_i2d(x, NID_key_usage, ku, 1, 0);
        ASN1_BIT_STRING_free(ku);
    }
    if (!s->ca) {
        EXTENDED_KEY_USAGE *eku = sk_ASN1_OBJECT_new_null();
        sk_ASN1_OBJECT_push(eku, OBJ_nid2obj(NID_client_auth));
        X509_add1_ext_i2d(x, NID_ext_key_usage, eku, 0, 0);
        sk_ASN1_OBJECT_free(eku);
    }
    if (s->san != NULL) {
        X509_add1_ext_i2d(x, NID_subject_alt_name, s->san, 0, 0);
        GENERAL_NAMES_free(s->san);
    }
    if (X509_sign(x, s->issuer_key ? s->issuer_key : key, EVP_sha256()) <= 0) {
        fprintf(stderr, "cannot sign a test certificate\n");
        exit(2);
    }
    return x;
}

static void san_add(GENERAL_NAMES *g, int type, const void *data, size_t len)
{
    GENERAL_NAME *n = GENERAL_NAME_new();
    ASN1_STRING *s = ASN1_IA5STRING_new();
    if (type == GEN_IPADD) {
        ASN1_STRING_free(s);
        s = ASN1_OCTET_STRING_new();
    }
    ASN1_STRING_set(s, data, (int)len);
    GENERAL_NAME_set0_value(n, type, s);
    sk_GENERAL_NAME_push(g, n);
}

static GENERAL_NAMES *uri_san(const char *uri)
{
    GENERAL_NAMES *g = sk_GENERAL_NAME_new_null();
    san_add(g, GEN_URI, uri, strlen(uri));
    return g;
}

/* DER of x (malloc'ed). */
static uint8_t *der_of(X509 *x, size_t *len)
{
    unsigned char *d = NULL;
    int n = i2d_X509(x, &d);
    uint8_t *out;
    if (n <= 0)
        exit(2);
    out = malloc((size_t)n);
    memcpy(out, d, (size_t)n);
    OPENSSL_free(d);
    *len = (size_t)n;
    return out;
}

/* The identity of a single certificate. */
static mutls_peer *peer_of_x509(X509 *x)
{
    size_t len;
    uint8_t *d = der_of(x, &len);
    const uint8_t *der[1] = {d};
    mutls_peer *p = mt_peer_new(der, &len, 1);
    free(d);
    return p;
}

/* The SPIFFE ID that a leaf with these URI SANs (and other properties)
 * yields: 1 when it is exactly `want` (want NULL: no SPIFFE ID). */
static int spiffe_of(certspec *s, const char *want)
{
    X509 *x = build(s);
    mutls_peer *p = peer_of_x509(x);
    const char *got = mutls_peer_spiffe_id(p);
    int ok = want == NULL ? got == NULL : (got != NULL && strcmp(got, want) == 0);
    if (!ok)
        fprintf(stderr, "    SPIFFE ID \"%s\", wanted \"%s\"\n", got ? got : "(null)",
                want ? want : "(null)");
    CHECK(p != NULL);
    mt_peer_free(p);
    X509_free(x);
    return ok;
}

static int spiffe_uri(const char *uri, const char *want)
{
    certspec s = {.cn = "svid", .ku = KU_DS, .san = uri_san(uri)};
    return spiffe_of(&s, want);
}

static int spiffe_ok(const char *uri)
{
    return spiffe_uri(uri, uri);
}

static int spiffe_bad(const char *uri)
{
    if (spiffe_uri(uri, NULL))
        return 1;
    fprintf(stderr, "    accepted \"%s\"\n", uri);
    return 0;
}

/* ---- the identity of the test certificates ------------------------------ */

static char *lower_colon_hex(const unsigned char *p, size_t n, int colons)
{
    char *s = malloc(n * 3 + 1), *q = s;
    size_t i;
    for (i = 0; i < n; i++) {
        if (colons && i > 0)
            *q++ = ':';
        q += sprintf(q, "%02x", p[i]);
    }
    *q = '\0';
    return s;
}

/* Expectations derived from the file with libcrypto, by other routes than
 * src/x509 takes: BN for the serial, ASN1_TIME_diff for the dates,
 * X509_digest for the fingerprint. */
static void check_against_libcrypto(const char *name, const mutls_peer *p)
{
    char f[256];
    char *pem;
    size_t len;
    BIO *b;
    X509 *x;
    BIGNUM *bn;
    unsigned char buf[64], md[EVP_MAX_MD_SIZE];
    unsigned int md_len = 0;
    int n, days = 0, secs = 0;
    char *want;
    ASN1_TIME *epoch = ASN1_TIME_set(NULL, 0);

    snprintf(f, sizeof(f), "%s.pem", name);
    pem = test_cert_load(f, &len);
    b = BIO_new_mem_buf(pem, (int)len);
    x = PEM_read_bio_X509(b, NULL, NULL, NULL);
    CHECK(x != NULL);
    if (x == NULL)
        goto Exit;

    bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(x), NULL);
    n = BN_bn2bin(bn, buf);
    want = lower_colon_hex(buf, (size_t)n, 1);
    CHECK(streq(mutls_peer_serial(p), want));
    free(want);
    BN_free(bn);

    CHECK(ASN1_TIME_diff(&days, &secs, epoch, X509_get0_notBefore(x)));
    CHECK(mutls_peer_not_before(p) == (int64_t)days * 86400 + secs);
    CHECK(ASN1_TIME_diff(&days, &secs, epoch, X509_get0_notAfter(x)));
    CHECK(mutls_peer_not_after(p) == (int64_t)days * 86400 + secs);

    CHECK(X509_digest(x, EVP_sha256(), md, &md_len) && md_len == 32);
    want = lower_colon_hex(md, md_len, 0);
    CHECK(streq(mutls_peer_fingerprint_sha256(p), want));
    free(want);

    /* the chain as sent, PEM: exactly the file (openssl ca -notext) */
    CHECK(streq(mutls_peer_chain_pem(p), pem));
    X509_free(x);
Exit:
    ASN1_TIME_free(epoch);
    BIO_free(b);
    free(pem);
}

static int san_is(const mutls_peer *p, size_t i, mutls_san_type type, const char *value)
{
    mutls_san_type t = 0;
    const char *v = NULL;
    if (mutls_peer_san(p, i, &t, &v) != 0)
        return 0;
    if (t == type && v != NULL && strcmp(v, value) == 0)
        return 1;
    fprintf(stderr, "    SAN %zu: type %d \"%s\", wanted type %d \"%s\"\n", i, (int)t,
            v ? v : "(null)", (int)type, value);
    return 0;
}

static void test_identity_files(void)
{
    static const struct {
        const char *name, *subject, *issuer, *serial, *spiffe, *key;
        int bits;
        int64_t nb, na;
    } certs[] = {
        {"client-alice", "CN=alice,OU=engineering,O=Example Org", "CN=mutls test client CA",
         "20:03", "spiffe://example.org/alice", "ECDSA P-256", 256, T_2000, T_2100},
        {"client-bob-rsa", "CN=bob", "CN=mutls test client CA", "20:04",
         "spiffe://example.org/bob", "RSA", 2048, T_2000, T_2100},
        /* EVP_PKEY_get_bits (OpenSSL 3.0 provider): 256 for Ed25519 */
        {"client-carol-ed25519", "CN=carol", "CN=mutls test client CA", "20:05",
         "spiffe://example.org/carol", "Ed25519", 256, T_2000, T_2100},
        {"client-dave", "CN=dave", "CN=mutls test client CA 2", "20:06",
         "spiffe://other.example/dave", "ECDSA P-256", 256, T_2000, T_2100},
        {"client-expired", "CN=expired client", "CN=mutls test client CA", "20:07", NULL,
         "ECDSA P-256", 256, T_2020, T_2021},
        {"client-notyet", "CN=future client", "CN=mutls test client CA", "20:08", NULL,
         "ECDSA P-256", 256, T_2090, T_2099_12_31},
        {"client-revoked", "CN=revoked client", "CN=mutls test client CA", "20:09", NULL,
         "ECDSA P-256", 256, T_2000, T_2100},
        {"client-rogue", "CN=rogue client", "CN=rogue client CA", "20:0b", NULL, "ECDSA P-256",
         256, T_2000, T_2100},
        {"client-rsa1024", "CN=weak client", "CN=mutls test client CA", "20:0c", NULL, "RSA",
         1024, T_2000, T_2100},
        {"client-bad-spiffe", "CN=bad spiffe client", "CN=mutls test client CA", "20:0d", NULL,
         "ECDSA P-256", 256, T_2000, T_2100},
        {"client-two-uris", "CN=two uris client", "CN=mutls test client CA", "20:0e", NULL,
         "ECDSA P-256", 256, T_2000, T_2100},
        {"server-rsa-pss", "CN=localhost", "CN=mutls test intermediate CA", NULL, NULL,
         "RSA-PSS", 2048, T_2000, T_2100},
        {"server-ecdsa-p384", "CN=localhost", "CN=mutls test intermediate CA", NULL, NULL,
         "ECDSA P-384", 384, T_2000, T_2100},
    };
    size_t i;

    for (i = 0; i < sizeof(certs) / sizeof(certs[0]); i++) {
        mt_cert_chain *c = chain_of(certs[i].name);
        mutls_peer *p = peer_of(c);
        CHECK(p != NULL);
        if (p == NULL) {
            mt_cert_chain_free(c);
            continue;
        }
        CHECK(streq(mutls_peer_subject(p), certs[i].subject));
        CHECK(streq(mutls_peer_issuer(p), certs[i].issuer));
        if (certs[i].serial != NULL)
            CHECK(streq(mutls_peer_serial(p), certs[i].serial));
        CHECK(mutls_peer_not_before(p) == certs[i].nb);
        CHECK(mutls_peer_not_after(p) == certs[i].na);
        if (certs[i].spiffe != NULL)
            CHECK(streq(mutls_peer_spiffe_id(p), certs[i].spiffe));
        else
            CHECK(mutls_peer_spiffe_id(p) == NULL);
        CHECK(streq(mutls_peer_key_type(p), certs[i].key));
        CHECK(mutls_peer_key_bits(p) == certs[i].bits);
        CHECK(strlen(mutls_peer_fingerprint_sha256(p)) == 64);
        CHECK(mutls_peer_verified(p) == 0);
        CHECK(streq(mutls_peer_verify_error(p), "not verified"));
        check_against_libcrypto(certs[i].name, p);
        mt_peer_free(p);
        mt_cert_chain_free(c);
    }
}

static void test_identity_alice(void)
{
    mt_cert_chain *c = chain_of("client-alice");
    mutls_peer *p = peer_of(c);
    mutls_san_type t;
    const char *v;

    CHECK(p != NULL);
    if (p == NULL) {
        mt_cert_chain_free(c);
        return;
    }
    /* as `openssl x509 -noout -fingerprint -sha256` printed for the
     * committed file (the keys differ in a regenerated set) */
    if (strcmp(mutls_peer_fingerprint_sha256(p),
               "f7d90746220d5dfdfa69480289bd6c872e4b008e3eb7e83e128fbac9538a7a57") != 0)
        fprintf(stderr, "note: client-alice.pem is not the committed file\n");
    /* the SANs in certificate order; IPv6 compressed */
    CHECK(mutls_peer_san_count(p) == 5);
    CHECK(san_is(p, 0, MUTLS_SAN_DNS, "alice.example.org"));
    CHECK(san_is(p, 1, MUTLS_SAN_URI, "spiffe://example.org/alice"));
    CHECK(san_is(p, 2, MUTLS_SAN_EMAIL, "alice@example.org"));
    CHECK(san_is(p, 3, MUTLS_SAN_IP, "192.0.2.7"));
    CHECK(san_is(p, 4, MUTLS_SAN_IP, "2001:db8::7"));
    /* the SPIFFE ID is the URI SAN itself */
    v = NULL;
    CHECK(mutls_peer_san(p, 1, NULL, &v) == 0);
    CHECK(v == mutls_peer_spiffe_id(p));
    /* out of range */
    t = MUTLS_SAN_DNS;
    v = "x";
    CHECK(mutls_peer_san(p, 5, &t, &v) == MUTLS_ERR_INVALID_ARGUMENT);
    CHECK(v == NULL && t == 0);
    CHECK(mutls_peer_san(p, (size_t)-1, NULL, NULL) == MUTLS_ERR_INVALID_ARGUMENT);
    CHECK(mutls_peer_san(p, 0, NULL, NULL) == 0);

    /* verification state */
    CHECK(mutls_peer_verified(p) == 0);
    CHECK(streq(mutls_peer_verify_error(p), "not verified"));
    mt_peer_set_verified(p, 1, "ignored");
    CHECK(mutls_peer_verified(p) == 1);
    CHECK(streq(mutls_peer_verify_error(p), ""));
    mt_peer_set_verified(p, 0, "client certificate CN=alice was revoked");
    CHECK(mutls_peer_verified(p) == 0);
    CHECK(streq(mutls_peer_verify_error(p), "client certificate CN=alice was revoked"));
    mt_peer_set_verified(p, 0, NULL);
    CHECK(streq(mutls_peer_verify_error(p), "not verified"));
    mt_peer_set_verified(p, 0, "");
    CHECK(streq(mutls_peer_verify_error(p), "not verified"));
    mt_peer_set_verified(p, 1, NULL);
    CHECK(mutls_peer_verified(p) == 1 && streq(mutls_peer_verify_error(p), ""));
    mt_peer_set_verified(NULL, 1, NULL);
    mt_peer_free(p);
    mt_cert_chain_free(c);

    /* other certificates' SANs */
    c = chain_of("client-bad-spiffe");
    p = peer_of(c);
    CHECK(mutls_peer_spiffe_id(p) == NULL);
    CHECK(mutls_peer_san_count(p) == 1);
    CHECK(san_is(p, 0, MUTLS_SAN_URI, "spiffe://Example.org/a/../b"));
    mt_peer_free(p);
    mt_cert_chain_free(c);

    c = chain_of("client-two-uris");
    p = peer_of(c);
    CHECK(mutls_peer_spiffe_id(p) == NULL);
    CHECK(mutls_peer_san_count(p) == 2);
    CHECK(san_is(p, 0, MUTLS_SAN_URI, "spiffe://example.org/one"));
    CHECK(san_is(p, 1, MUTLS_SAN_URI, "spiffe://example.org/two"));
    mt_peer_free(p);
    mt_cert_chain_free(c);

    c = chain_of("client-expired"); /* no SAN at all */
    p = peer_of(c);
    CHECK(mutls_peer_san_count(p) == 0);
    CHECK(mutls_peer_san(p, 0, NULL, NULL) == MUTLS_ERR_INVALID_ARGUMENT);
    mt_peer_free(p);
    mt_cert_chain_free(c);

    /* a server chain: two certificates, both in the PEM */
    c = chain_of("server-ecdsa-p256");
    p = peer_of(c);
    CHECK(c->n == 2);
    CHECK(mutls_peer_san_count(p) == 3);
    CHECK(san_is(p, 0, MUTLS_SAN_DNS, "localhost"));
    CHECK(san_is(p, 1, MUTLS_SAN_IP, "127.0.0.1"));
    CHECK(san_is(p, 2, MUTLS_SAN_IP, "::1"));
    CHECK(mutls_peer_spiffe_id(p) == NULL);
    CHECK(streq(mutls_peer_subject(p), "CN=localhost"));
    CHECK(streq(mutls_peer_issuer(p), "CN=mutls test intermediate CA"));
    check_against_libcrypto("server-ecdsa-p256", p);
    mt_peer_free(p);
    mt_cert_chain_free(c);
}

static void test_identity_edges(void)
{
    mt_cert_chain *c = chain_of("client-alice");
    const uint8_t *der[2];
    size_t len[2];
    static const uint8_t junk[] = {0x30, 0x03, 0x02, 0x01, 0x01};
    mutls_peer *p;
    mutls_san_type t = MUTLS_SAN_URI;
    const char *v = "x";

    /* the getters accept NULL */
    CHECK(mutls_peer_verified(NULL) == 0);
    CHECK(mutls_peer_verify_error(NULL) == NULL);
    CHECK(mutls_peer_subject(NULL) == NULL);
    CHECK(mutls_peer_issuer(NULL) == NULL);
    CHECK(mutls_peer_serial(NULL) == NULL);
    CHECK(mutls_peer_not_before(NULL) == 0);
    CHECK(mutls_peer_not_after(NULL) == 0);
    CHECK(mutls_peer_san_count(NULL) == 0);
    CHECK(mutls_peer_san(NULL, 0, &t, &v) == MUTLS_ERR_INVALID_ARGUMENT);
    CHECK(v == NULL);
    CHECK(mutls_peer_spiffe_id(NULL) == NULL);
    CHECK(mutls_peer_fingerprint_sha256(NULL) == NULL);
    CHECK(mutls_peer_chain_pem(NULL) == NULL);
    CHECK(mutls_peer_key_type(NULL) == NULL);
    CHECK(mutls_peer_key_bits(NULL) == 0);
    mt_peer_free(NULL);

    /* no chain, a malformed leaf */
    CHECK(mt_peer_new(NULL, NULL, 0) == NULL);
    der[0] = c->der[0];
    len[0] = c->der_len[0];
    CHECK(mt_peer_new(der, len, 0) == NULL);
    len[0] = c->der_len[0] - 1;
    CHECK(mt_peer_new(der, len, 1) == NULL);
    der[0] = junk;
    len[0] = sizeof(junk);
    CHECK(mt_peer_new(der, len, 1) == NULL);

    /* a malformed second certificate is kept as sent, in the PEM */
    der[0] = c->der[0];
    len[0] = c->der_len[0];
    der[1] = junk;
    len[1] = sizeof(junk);
    p = mt_peer_new(der, len, 2);
    CHECK(p != NULL);
    if (p != NULL) {
        const char *pem = mutls_peer_chain_pem(p);
        const char *second = strstr(pem + 1, "-----BEGIN CERTIFICATE-----");
        CHECK(second != NULL && strstr(second, "MAMCAQE=") != NULL); /* base64 of junk */
        CHECK(streq(mutls_peer_subject(p), "CN=alice,OU=engineering,O=Example Org"));
    }
    mt_peer_free(p);
    mt_cert_chain_free(c);

    /* serial formatting: leading zero bytes dropped, big numbers, zero */
    {
        static const struct {
            const char *hex;
            const char *want;
        } serials[] = {
            {"00", "00"},
            {"01", "01"},
            {"80", "80"},
            {"0102", "01:02"},
            {"00a1b2c3d4e5f60718293a4b5c6d7e8f90", "a1:b2:c3:d4:e5:f6:07:18:29:3a:4b:5c:6d:7e:8f:90"},
        };
        size_t i;
        for (i = 0; i < sizeof(serials) / sizeof(serials[0]); i++) {
            certspec s = {.cn = "serial", .ku = KU_DS};
            X509 *x = build(&s);
            BIGNUM *bn = NULL;
            BN_hex2bn(&bn, serials[i].hex);
            BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x));
            BN_free(bn);
            X509_sign(x, test_key(), EVP_sha256());
            p = peer_of_x509(x);
            CHECK(p != NULL && streq(mutls_peer_serial(p), serials[i].want));
            mt_peer_free(p);
            X509_free(x);
        }
    }

    /* SAN values: control bytes and NUL never pass through; IP addresses
     * of a length other than 4 or 16 and other name types are skipped */
    {
        GENERAL_NAMES *g = sk_GENERAL_NAME_new_null();
        static const uint8_t ip8[8] = {10, 0, 0, 0, 255, 0, 0, 0};
        static const uint8_t v6[16] = {0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
        certspec s = {.cn = "sans", .ku = KU_DS};
        X509 *x;
        GENERAL_NAME *rid = GENERAL_NAME_new();
        GENERAL_NAME_set0_value(rid, GEN_RID, OBJ_txt2obj("1.2.3.4", 1));
        san_add(g, GEN_DNS, "a.example\0evil.example", 22);
        sk_GENERAL_NAME_push(g, rid);
        san_add(g, GEN_IPADD, ip8, sizeof(ip8));
        san_add(g, GEN_IPADD, v6, sizeof(v6));
        san_add(g, GEN_EMAIL, "x@y\n", 4);
        san_add(g, GEN_URI, "spiffe://example.org/a\0b", 24);
        s.san = g;
        x = build(&s);
        p = peer_of_x509(x);
        CHECK(mutls_peer_san_count(p) == 4);
        CHECK(san_is(p, 0, MUTLS_SAN_DNS, "a.example?evil.example"));
        CHECK(san_is(p, 1, MUTLS_SAN_IP, "fe80::1"));
        CHECK(san_is(p, 2, MUTLS_SAN_EMAIL, "x@y?"));
        CHECK(san_is(p, 3, MUTLS_SAN_URI, "spiffe://example.org/a?b"));
        CHECK(mutls_peer_spiffe_id(p) == NULL); /* the NUL makes it invalid */
        mt_peer_free(p);
        X509_free(x);
    }
}

/* ---- SPIFFE IDs (SPIFFE-ID.md, X509-SVID.md) ------------------------------ */

static void test_spiffe(void)
{
    char id[2100];
    size_t n;

    /* valid */
    CHECK(spiffe_ok("spiffe://example.org/alice"));
    CHECK(spiffe_ok("spiffe://example.org/ns/staging/sa/default"));
    CHECK(spiffe_ok("spiffe://k8s-west.example_1.com/9eebccd2-12bf-40a6-b262-65fe0487d453"));
    CHECK(spiffe_ok("spiffe://192.168.0.1/a"));       /* a dotted quad is a trust domain */
    CHECK(spiffe_ok("spiffe://example.org/Mixed.Case_Path-1")); /* the path is case-sensitive */
    CHECK(spiffe_ok("spiffe://example.org/.../.a/..b/a."));    /* dots other than . and .. */
    CHECK(spiffe_ok("spiffe://x/y"));

    /* scheme */
    CHECK(spiffe_bad("SPIFFE://example.org/a"));
    CHECK(spiffe_bad("Spiffe://example.org/a"));
    CHECK(spiffe_bad("https://example.org/a"));
    CHECK(spiffe_bad("spiffe:/example.org/a"));
    CHECK(spiffe_bad("spiffe:example.org/a"));
    CHECK(spiffe_bad("spiffe//example.org/a"));
    CHECK(spiffe_bad("spiffe:"));
    CHECK(spiffe_bad(""));
    /* trust domain */
    CHECK(spiffe_bad("spiffe://Example.org/a"));        /* uppercase */
    CHECK(spiffe_bad("spiffe://EXAMPLE.ORG/a"));
    CHECK(spiffe_bad("spiffe:///a"));                   /* empty */
    CHECK(spiffe_bad("spiffe://"));
    CHECK(spiffe_bad("spiffe://example.org:8443/a"));   /* port */
    CHECK(spiffe_bad("spiffe://example.org:/a"));       /* ':' delimiter */
    CHECK(spiffe_bad("spiffe://user@example.org/a"));   /* userinfo */
    CHECK(spiffe_bad("spiffe://user:pw@example.org/a"));
    CHECK(spiffe_bad("spiffe://exa%6dple.org/a"));      /* percent-encoding */
    CHECK(spiffe_bad("spiffe://[::1]/a"));              /* IPv6 literal */
    CHECK(spiffe_bad("spiffe://exa mple.org/a"));
    CHECK(spiffe_bad("spiffe://example.org?x=1"));
    CHECK(spiffe_bad("spiffe://example.org#f"));
    CHECK(spiffe_bad("spiffe://ex\xc3\xa4mple.org/a")); /* non-ASCII */
    /* path */
    CHECK(spiffe_bad("spiffe://example.org"));          /* a leaf needs a path */
    CHECK(spiffe_bad("spiffe://example.org/"));         /* trailing '/' */
    CHECK(spiffe_bad("spiffe://example.org/a/"));
    CHECK(spiffe_bad("spiffe://example.org//a"));       /* empty segment */
    CHECK(spiffe_bad("spiffe://example.org/a//b"));
    CHECK(spiffe_bad("spiffe://example.org/."));        /* dot segments */
    CHECK(spiffe_bad("spiffe://example.org/.."));
    CHECK(spiffe_bad("spiffe://example.org/a/./b"));
    CHECK(spiffe_bad("spiffe://example.org/a/../b"));
    CHECK(spiffe_bad("spiffe://example.org/a/.."));
    CHECK(spiffe_bad("spiffe://example.org/a?x=1"));    /* query */
    CHECK(spiffe_bad("spiffe://example.org/a?"));
    CHECK(spiffe_bad("spiffe://example.org/a#frag"));   /* fragment */
    CHECK(spiffe_bad("spiffe://example.org/a#"));
    CHECK(spiffe_bad("spiffe://example.org/a%20b"));    /* percent-encoding */
    CHECK(spiffe_bad("spiffe://example.org/a%2Fb"));
    CHECK(spiffe_bad("spiffe://example.org/a b"));
    CHECK(spiffe_bad("spiffe://example.org/a+b"));
    CHECK(spiffe_bad("spiffe://example.org/a:b"));
    CHECK(spiffe_bad("spiffe://example.org/a@b"));
    CHECK(spiffe_bad("spiffe://example.org/~a"));
    CHECK(spiffe_bad("spiffe://example.org/caf\xc3\xa9"));
    CHECK(spiffe_bad("spiffe://example.org/a\\b"));

    /* length: 2048 bytes at most in all, 255 for the trust domain */
    memcpy(id, "spiffe://example.org/", 21);
    n = 21;
    while (n < 2048) {
        size_t seg = 2048 - n < 100 ? 2048 - n : 100;
        memset(id + n, 'a', seg);
        n += seg;
        if (n < 2047)
            id[n++] = '/';
    }
    id[n] = '\0';
    CHECK(strlen(id) == 2048 && id[2047] != '/');
    CHECK(spiffe_ok(id));
    id[2048] = 'b';
    id[2049] = '\0';
    CHECK(spiffe_bad(id));
    memcpy(id, "spiffe://", 9);
    memset(id + 9, 'd', 255);
    memcpy(id + 9 + 255, "/a", 3);
    CHECK(spiffe_ok(id));
    memset(id + 9, 'd', 256);
    memcpy(id + 9 + 256, "/a", 3);
    CHECK(spiffe_bad(id));

    /* exactly one URI SAN */
    {
        GENERAL_NAMES *g = uri_san("spiffe://example.org/a");
        certspec s = {.cn = "two", .ku = KU_DS};
        san_add(g, GEN_URI, "https://example.org/", 20);
        s.san = g;
        CHECK(spiffe_of(&s, NULL));
        g = uri_san("https://example.org/");
        san_add(g, GEN_URI, "spiffe://example.org/a", 22);
        s.san = g;
        CHECK(spiffe_of(&s, NULL));
        g = uri_san("spiffe://example.org/a");
        san_add(g, GEN_URI, "spiffe://example.org/a", 22);
        s.san = g;
        CHECK(spiffe_of(&s, NULL));
        /* other SAN types beside it are fine */
        g = sk_GENERAL_NAME_new_null();
        san_add(g, GEN_DNS, "a.example.org", 13);
        san_add(g, GEN_URI, "spiffe://example.org/a", 22);
        san_add(g, GEN_EMAIL, "a@example.org", 13);
        s.san = g;
        CHECK(spiffe_of(&s, "spiffe://example.org/a"));
        /* no SAN, no URI */
        s.san = NULL;
        CHECK(spiffe_of(&s, NULL));
        g = sk_GENERAL_NAME_new_null();
        san_add(g, GEN_DNS, "a.example.org", 13);
        s.san = g;
        CHECK(spiffe_of(&s, NULL));
    }
    /* a leaf SVID is not a CA and signs neither certificates nor CRLs */
    {
        certspec s = {.cn = "ca", .ca = 1, .ku = KU_CERTSIGN | KU_CRLSIGN,
                      .san = uri_san("spiffe://example.org/a")};
        CHECK(spiffe_of(&s, NULL));
        s = (certspec){.cn = "ca", .ca = 1, .ku = KU_DS, .san = uri_san("spiffe://example.org/a")};
        CHECK(spiffe_of(&s, NULL));
        s = (certspec){.cn = "ca", .ca = 1, .san = uri_san("spiffe://example.org/a")};
        CHECK(spiffe_of(&s, NULL));
        s = (certspec){.cn = "ksign", .ku = KU_DS | KU_CERTSIGN,
                       .san = uri_san("spiffe://example.org/a")};
        CHECK(spiffe_of(&s, NULL));
        s = (certspec){.cn = "crlsign", .ku = KU_DS | KU_CRLSIGN,
                       .san = uri_san("spiffe://example.org/a")};
        CHECK(spiffe_of(&s, NULL));
        /* cA false, or no basicConstraints, no keyUsage: a leaf */
        s = (certspec){.cn = "leaf", .san = uri_san("spiffe://example.org/a")};
        CHECK(spiffe_of(&s, "spiffe://example.org/a"));
        s = (certspec){.cn = "leaf", .no_bc = 1, .ku = KU_DS,
                       .san = uri_san("spiffe://example.org/a")};
        CHECK(spiffe_of(&s, "spiffe://example.org/a"));
    }
}

/* ---- client-certificate verification -------------------------------------- */

static void test_verify_client(void)
{
    mt_trust *t = trust_of("client-ca.pem");
    mt_trust *both = trust_of("client-cas.pem");
    mt_error e;

    /* good ones, with the 2048-bit RSA minimum, at a fixed instant and by
     * the real clock */
    CHECK(verify_client(t, "client-alice", NOW_2026, 2048, &e) == 0);
    CHECK(verify_client(t, "client-bob-rsa", NOW_2026, 2048, &e) == 0);
    CHECK(verify_client(t, "client-carol-ed25519", NOW_2026, 2048, &e) == 0);
    CHECK(verify_client(t, "client-alice", 0, 2048, &e) == 0);
    CHECK(verify_client(t, "client-bad-spiffe", NOW_2026, 2048, &e) == 0); /* X.509 is fine */
    CHECK(verify_client(t, "client-two-uris", NOW_2026, 2048, &e) == 0);
    CHECK(verify_client(t, "client-revoked", NOW_2026, 2048, &e) == 0); /* no CRL loaded */
    CHECK(verify_client(t, "client-expired", NOW_2020_06, 0, &e) == 0);
    CHECK(verify_client(t, "client-notyet", NOW_2095, 0, &e) == 0);

    /* a CA that is not trusted for clients: named, with those that are */
    CHECK(verify_client(t, "client-dave", NOW_2026, 2048, &e) == MUTLS_ERR_VERIFY);
    CHECK(e.alert == MT_ALERT_UNKNOWN_CA);
    CHECK(has(&e, "client certificate CN=dave issued by CN=mutls test client CA 2, which is "
                  "not a trusted client CA (trusted client CAs: CN=mutls test client CA)"));
    CHECK(verify_client(both, "client-dave", NOW_2026, 2048, &e) == 0);
    CHECK(verify_client(both, "client-alice", NOW_2026, 2048, &e) == 0);
    CHECK(verify_client(both, "client-rogue", NOW_2026, 2048, &e) == MUTLS_ERR_VERIFY);
    CHECK(e.alert == MT_ALERT_UNKNOWN_CA);
    CHECK(has(&e, "client certificate CN=rogue client issued by CN=rogue client CA, which is "
                  "not a trusted client CA (trusted client CAs: CN=mutls test client CA; "
                  "CN=mutls test client CA 2)"));
    /* the server PKI is not a client CA */
    {
        mt_trust *st = trust_of("ca.pem");
        CHECK(verify_client(st, "client-alice", NOW_2026, 2048, &e) == MUTLS_ERR_VERIFY);
        CHECK(e.alert == MT_ALERT_UNKNOWN_CA);
        CHECK(has(&e, "client certificate CN=alice,OU=engineering,O=Example Org issued by "
                      "CN=mutls test client CA, which is not a trusted client CA (trusted "
                      "client CAs: CN=mutls test CA)"));
        mt_trust_free(st);
    }
    /* a self-signed client certificate, alone or sending its root along */
    {
        char *pem, *root;
        size_t l1, l2;
        mt_cert_chain *c = chain_of("client-rogue");
        uint8_t *d = NULL;
        size_t dl = 0;
        const uint8_t *der[2];
        size_t len[2];
        BIO *b;
        X509 *x;
        pem = test_cert_load("client-rogue.pem", &l1);
        root = test_cert_load("rogue-client-ca.pem", &l2);
        b = BIO_new_mem_buf(root, (int)l2);
        x = PEM_read_bio_X509(b, NULL, NULL, NULL);
        d = der_of(x, &dl);
        der[0] = d;
        len[0] = dl;
        CHECK(verify_der(t, der, len, 1, NOW_2026, 0, 0, &e) == MUTLS_ERR_VERIFY);
        CHECK(e.alert == MT_ALERT_UNKNOWN_CA);
        CHECK(has(&e, "client certificate CN=rogue client CA is self-signed and not a trusted "
                      "client CA (trusted client CAs: CN=mutls test client CA)"));
        der[0] = c->der[0];
        len[0] = c->der_len[0];
        der[1] = d;
        len[1] = dl;
        CHECK(verify_der(t, der, len, 2, NOW_2026, 0, 0, &e) == MUTLS_ERR_VERIFY);
        CHECK(e.alert == MT_ALERT_UNKNOWN_CA);
        CHECK(has(&e, "client certificate CN=rogue client: its chain ends at self-signed "
                      "CN=rogue client CA, which is not a trusted client CA"));
        free(d);
        X509_free(x);
        BIO_free(b);
        free(pem);
        free(root);
        mt_cert_chain_free(c);
    }

    /* validity */
    CHECK(verify_client(t, "client-expired", NOW_2026, 2048, &e) == MUTLS_ERR_VERIFY);
    CHECK(e.alert == MT_ALERT_CERTIFICATE_EXPIRED);
    CHECK(has(&e, "client certificate CN=expired client (issuer CN=mutls test client CA, valid "
                  "2020-01-01T00:00:00Z to 2021-01-01T00:00:00Z) expired 2021-01-01T00:00:00Z "
                  "(checked at 2026-01-01T00:00:00Z)"));
    CHECK(verify_client(t, "client-notyet", NOW_2026, 2048, &e) == MUTLS_ERR_VERIFY);
    CHECK(e.alert == MT_ALERT_CERTIFICATE_EXPIRED);
    CHECK(has(&e, "client certificate CN=future client is not yet valid: valid from "
                  "2090-01-01T00:00:00Z to 2099-12-31T00:00:00Z"));

    /* usage */
    CHECK(verify_client(t, "client-wrong-eku", NOW_2026, 2048, &e) == MUTLS_ERR_VERIFY);
    CHECK(e.alert == MT_ALERT_UNSUPPORTED_CERTIFICATE);
    CHECK(has(&e, "client certificate CN=server-only client is not valid for TLS client "
                  "authentication (extended key usage: TLS Web Server Authentication)"));

    /* RSA key size: refused under a minimum, accepted without one */
    CHECK(verify_client(t, "client-rsa1024", NOW_2026, 2048, &e) == MUTLS_ERR_VERIFY);
    CHECK(e.alert == MT_ALERT_UNSUPPORTED_CERTIFICATE);
    CHECK(has(&e, "client certificate CN=weak client has a 1024-bit RSA key; at least 2048 bits "
                  "are required"));
    CHECK(verify_client(t, "client-rsa1024", NOW_2026, 0, &e) == 0);
    CHECK(verify_client(t, "client-rsa1024", NOW_2026, 1024, &e) == 0);
    CHECK(verify_client(t, "client-bob-rsa", NOW_2026, 3072, &e) == MUTLS_ERR_VERIFY);
    CHECK(has(&e, "client certificate CN=bob has a 2048-bit RSA key; at least 3072 bits are "
                  "required"));
    /* non-RSA keys are not concerned; the trust failure comes first */
    CHECK(verify_client(t, "client-alice", NOW_2026, 100000, &e) == 0);
    CHECK(verify_client(both, "client-rogue", NOW_2026, 100000, &e) == MUTLS_ERR_VERIFY);
    CHECK(e.alert == MT_ALERT_UNKNOWN_CA);
    /* ... and for a server too */
    {
        mt_trust *st = trust_of("ca.pem");
        mt_cert_chain *c = chain_of("server-rsa-pss");
        mt_verify_params p;
        memset(&p, 0, sizeof(p));
        p.host = "localhost";
        p.now = NOW_2026;
        p.want_server = 1;
        p.min_rsa_bits = 4096;
        mt_error_clear(&e);
        CHECK(mt_verify_chain(st, (const uint8_t *const *)c->der, c->der_len, c->n, &p,
                              "server", NULL, &e) == MUTLS_ERR_VERIFY);
        CHECK(e.alert == MT_ALERT_UNSUPPORTED_CERTIFICATE);
        CHECK(has(&e, "server certificate CN=localhost has a 2048-bit RSA-PSS key; at least "
                      "4096 bits are required"));
        mt_cert_chain_free(c);
        mt_trust_free(st);
    }

    mt_trust_free(t);
    mt_trust_free(both);
}

static void test_crl(void)
{
    mt_trust *t = trust_of("client-ca.pem");
    mt_error e;
    char path[1024];

    /* loading errors */
    mt_error_clear(&e);
    CHECK(mt_trust_add_crl_file(t, "/nonexistent/x.crl", &e) == MUTLS_ERR_CONFIG);
    CHECK(has(&e, "cannot read CRL file /nonexistent/x.crl: No such file or directory"));
    test_cert_path(path, sizeof(path), "client-ca.pem");
    mt_error_clear(&e);
    CHECK(mt_trust_add_crl_file(t, path, &e) == MUTLS_ERR_CONFIG);
    CHECK(has(&e, "contains no CRL"));
    CHECK(has(&e, "client-ca.pem"));
    test_cert_path(path, sizeof(path), "trust-dir");
    mt_error_clear(&e);
    CHECK(mt_trust_add_crl_file(t, path, &e) == MUTLS_ERR_CONFIG);
    CHECK(has(&e, "is a directory"));
    mt_error_clear(&e);
    CHECK(mt_trust_add_crl_pem(t, "", 0, &e) == MUTLS_ERR_CONFIG);
    CHECK(has(&e, "CRL PEM contains no CRL"));
    mt_error_clear(&e);
    CHECK(mt_trust_add_crl_pem(t, "garbage", 7, &e) == MUTLS_ERR_CONFIG);
    mt_error_clear(&e);
    CHECK(mt_trust_add_crl_pem(NULL, "x", 1, &e) == MUTLS_ERR_INVALID_ARGUMENT);
    {
        static const char bad[] = "-----BEGIN X509 CRL-----\n!!!!\n-----END X509 CRL-----\n";
        mt_error_clear(&e);
        CHECK(mt_trust_add_crl_pem(t, bad, sizeof(bad) - 1, &e) == MUTLS_ERR_CONFIG);
        CHECK(has(&e, "CRL #1 in CRL PEM is malformed"));
    }
    /* none of that turned revocation checking on */
    CHECK(verify_client(t, "client-revoked", NOW_2026, 0, &e) == 0);

    /* revoked vs not revoked */
    add_crl(t, "client-ca.crl.pem");
    CHECK(verify_client(t, "client-revoked", NOW_2026, 2048, &e) == MUTLS_ERR_VERIFY);
    CHECK(e.alert == MT_ALERT_CERTIFICATE_REVOKED);
    CHECK(has(&e, "client certificate CN=revoked client (issuer CN=mutls test client CA, serial "
                  "20:09) was revoked on 2024-01-01T00:00:00Z (reason: keyCompromise)"));
    CHECK(verify_client(t, "client-alice", NOW_2026, 2048, &e) == 0);
    CHECK(verify_client(t, "client-bob-rsa", NOW_2026, 2048, &e) == 0);
    CHECK(verify_client(t, "client-carol-ed25519", 0, 2048, &e) == 0);
    /* other failures keep their own alert */
    CHECK(verify_client(t, "client-expired", NOW_2026, 2048, &e) == MUTLS_ERR_VERIFY);
    CHECK(e.alert == MT_ALERT_CERTIFICATE_EXPIRED);
    CHECK(verify_client(t, "client-rogue", NOW_2026, 2048, &e) == MUTLS_ERR_VERIFY);
    CHECK(e.alert == MT_ALERT_UNKNOWN_CA);

    /* the CRL's own validity: out of date on 2099-12-31 noon (the
     * certificates are good until 2100), not yet valid in 1999 */
    CHECK(verify_client(t, "client-alice", NOW_2099_12_31, 2048, &e) == MUTLS_ERR_VERIFY);
    CHECK(e.alert == MT_ALERT_CERTIFICATE_UNKNOWN);
    CHECK(has(&e, "client certificate CN=alice,OU=engineering,O=Example Org: the CRL of CA "
                  "CN=mutls test client CA is out of date: load a newer one (lastUpdate "
                  "2000-01-01T00:00:00Z, nextUpdate 2099-12-31T00:00:00Z; checked at "
                  "2099-12-31T12:00:00Z)"));
    CHECK(verify_client(t, "client-alice", NOW_1999_06, 2048, &e) == MUTLS_ERR_VERIFY);
    CHECK(e.alert == MT_ALERT_CERTIFICATE_UNKNOWN); /* revocation is checked before dates */
    CHECK(has(&e, "client certificate CN=alice,OU=engineering,O=Example Org: the CRL of CA "
                  "CN=mutls test client CA is not yet valid (lastUpdate 2000-01-01T00:00:00Z"));
    mt_trust_free(t);

    /* CRL_CHECK_ALL: every CA needs a CRL; client CA 2 has none */
    t = trust_of("client-cas.pem");
    add_crl(t, "client-ca.crl.pem");
    CHECK(verify_client(t, "client-alice", NOW_2026, 2048, &e) == 0);
    CHECK(verify_client(t, "client-dave", NOW_2026, 2048, &e) == MUTLS_ERR_VERIFY);
    CHECK(e.alert == MT_ALERT_UNKNOWN_CA);
    CHECK(has(&e, "client certificate CN=dave: no CRL loaded for CA CN=mutls test client CA 2"));
    mt_trust_free(t);

    /* the intermediates are checked too: the server PKI with only the
     * client CA's CRL fails at the leaf's issuer */
    {
        mt_trust *st = trust_of("ca.pem");
        mt_cert_chain *c = chain_of("server-ecdsa-p256");
        mt_verify_params p;
        add_crl(st, "client-ca.crl.pem");
        memset(&p, 0, sizeof(p));
        p.host = "localhost";
        p.now = NOW_2026;
        p.want_server = 1;
        mt_error_clear(&e);
        CHECK(mt_verify_chain(st, (const uint8_t *const *)c->der, c->der_len, c->n, &p,
                              "server", NULL, &e) == MUTLS_ERR_VERIFY);
        CHECK(e.alert == MT_ALERT_UNKNOWN_CA);
        CHECK(has(&e, "server certificate CN=localhost: no CRL loaded for CA CN=mutls test "
                      "intermediate CA"));
        mt_cert_chain_free(c);
        mt_trust_free(st);
    }

    /* from memory, PEM and DER; a damaged signature */
    {
        char *pem;
        size_t len;
        BIO *b;
        X509_CRL *crl;
        unsigned char *der = NULL;
        int dl;
        pem = test_cert_load("client-ca.crl.pem", &len);
        t = trust_of("client-ca.pem");
        mt_error_clear(&e);
        CHECK(mt_trust_add_crl_pem(t, pem, len, &e) == 0);
        CHECK(verify_client(t, "client-revoked", NOW_2026, 0, &e) == MUTLS_ERR_VERIFY);
        CHECK(e.alert == MT_ALERT_CERTIFICATE_REVOKED);
        mt_trust_free(t);

        b = BIO_new_mem_buf(pem, (int)len);
        crl = PEM_read_bio_X509_CRL(b, NULL, NULL, NULL);
        CHECK(crl != NULL);
        dl = i2d_X509_CRL(crl, &der);
        CHECK(dl > 0);
        t = trust_of("client-ca.pem");
        mt_error_clear(&e);
        CHECK(mt_trust_add_crl_pem(t, (const char *)der, (size_t)dl, &e) == 0);
        CHECK(verify_client(t, "client-revoked", NOW_2026, 0, &e) == MUTLS_ERR_VERIFY);
        CHECK(e.alert == MT_ALERT_CERTIFICATE_REVOKED);
        mt_trust_free(t);

        /* the last byte of the signature value */
        der[dl - 1] ^= 0x01;
        t = trust_of("client-ca.pem");
        mt_error_clear(&e);
        CHECK(mt_trust_add_crl_pem(t, (const char *)der, (size_t)dl, &e) == 0);
        CHECK(verify_client(t, "client-alice", NOW_2026, 0, &e) == MUTLS_ERR_VERIFY);
        CHECK(e.alert == MT_ALERT_CERTIFICATE_UNKNOWN);
        CHECK(has(&e, "client certificate CN=alice,OU=engineering,O=Example Org: the CRL of CA "
                      "CN=mutls test client CA has an invalid signature"));
        mt_trust_free(t);
        /* trailing bytes after one DER CRL: not a CRL */
        t = trust_of("client-ca.pem");
        der[dl - 1] ^= 0x01;
        {
            unsigned char *longer = malloc((size_t)dl + 1);
            memcpy(longer, der, (size_t)dl);
            longer[dl] = 0;
            mt_error_clear(&e);
            CHECK(mt_trust_add_crl_pem(t, (const char *)longer, (size_t)dl + 1, &e) ==
                  MUTLS_ERR_CONFIG);
            free(longer);
        }
        mt_trust_free(t);
        OPENSSL_free(der);
        X509_CRL_free(crl);
        BIO_free(b);
        free(pem);
    }
}

/* root -> int1 -> int2 -> leaf, built here: the maximum depth */
static void test_max_depth(void)
{
    EVP_PKEY *k = test_key();
    certspec s;
    X509 *root, *int1, *int2, *leaf;
    uint8_t *d[3];
    size_t len[3];
    mt_trust *t = mt_trust_new();
    mt_error e;
    BIO *b = BIO_new(BIO_s_mem());
    char *pem;
    long pl;

    s = (certspec){.cn = "depth root", .ca = 1, .ku = KU_CERTSIGN | KU_CRLSIGN, .serial = 1};
    root = build(&s);
    s = (certspec){.cn = "depth int1", .ca = 1, .ku = KU_CERTSIGN, .issuer = root,
                   .issuer_key = k, .serial = 2};
    int1 = build(&s);
    s = (certspec){.cn = "depth int2", .ca = 1, .ku = KU_CERTSIGN, .issuer = int1,
                   .issuer_key = k, .serial = 3};
    int2 = build(&s);
    s = (certspec){.cn = "depth leaf", .ku = KU_DS, .issuer = int2, .issuer_key = k,
                   .serial = 4, .san = uri_san("spiffe://example.org/deep")};
    leaf = build(&s);
    d[0] = der_of(leaf, &len[0]);
    d[1] = der_of(int2, &len[1]);
    d[2] = der_of(int1, &len[2]);
    PEM_write_bio_X509(b, root);
    pl = BIO_get_mem_data(b, &pem);
    mt_error_clear(&e);
    CHECK(mt_trust_add_pem(t, pem, (size_t)pl, &e) == 0);

    /* two intermediates: fine with the default (10) and with 2 */
    CHECK(verify_der(t, (const uint8_t *const *)d, len, 3, NOW_2026, 0, 0, &e) == 0);
    CHECK(verify_der(t, (const uint8_t *const *)d, len, 3, NOW_2026, 2, 0, &e) == 0);
    CHECK(verify_der(t, (const uint8_t *const *)d, len, 3, NOW_2026, 1, 0, &e) ==
          MUTLS_ERR_VERIFY);
    CHECK(e.alert == MT_ALERT_BAD_CERTIFICATE);
    CHECK(has(&e, "client certificate chain is longer than the maximum depth of 1"));
    CHECK(has(&e, "client certificate CN=depth leaf"));
    /* one intermediate is allowed by 1: root -> int1 -> leaf2 */
    {
        X509 *leaf2;
        uint8_t *d2[2];
        size_t len2[2];
        s = (certspec){.cn = "shallow leaf", .ku = KU_DS, .issuer = int1, .issuer_key = k,
                       .serial = 5};
        leaf2 = build(&s);
        d2[0] = der_of(leaf2, &len2[0]);
        d2[1] = d[2];
        len2[1] = len[2];
        CHECK(verify_der(t, (const uint8_t *const *)d2, len2, 2, NOW_2026, 1, 0, &e) == 0);
        free(d2[0]);
        X509_free(leaf2);
    }
    /* the identity of the deep chain holds all three in its PEM */
    {
        mutls_peer *p = mt_peer_new((const uint8_t *const *)d, len, 3);
        const char *pp = mutls_peer_chain_pem(p);
        int blocks = 0;
        while (pp != NULL && (pp = strstr(pp, "-----BEGIN CERTIFICATE-----")) != NULL) {
            blocks++;
            pp++;
        }
        CHECK(blocks == 3);
        CHECK(streq(mutls_peer_spiffe_id(p), "spiffe://example.org/deep"));
        CHECK(streq(mutls_peer_issuer(p), "CN=depth int2"));
        mt_peer_free(p);
    }
    free(d[0]);
    free(d[1]);
    free(d[2]);
    X509_free(root);
    X509_free(int1);
    X509_free(int2);
    X509_free(leaf);
    BIO_free(b);
    mt_trust_free(t);
}

/* ---- CA names for CertificateRequest -------------------------------------- */

/* DER of the subject of the first certificate in a PEM file. */
static uint8_t *subject_der(const char *file, size_t *len)
{
    size_t pl;
    char *pem = test_cert_load(file, &pl);
    BIO *b = BIO_new_mem_buf(pem, (int)pl);
    X509 *x = PEM_read_bio_X509(b, NULL, NULL, NULL);
    unsigned char *d = NULL;
    int n = i2d_X509_NAME(X509_get_subject_name(x), &d);
    uint8_t *out = malloc((size_t)n);
    memcpy(out, d, (size_t)n);
    *len = (size_t)n;
    OPENSSL_free(d);
    X509_free(x);
    BIO_free(b);
    free(pem);
    return out;
}

/* a DistinguishedName list of the subjects of these PEM files */
static void dn_list(mt_buf *b, const char *const *files, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        size_t len;
        uint8_t *d = subject_der(files[i], &len);
        CHECK(mt_w_u16(b, (uint16_t)len) == 0);
        CHECK(mt_w_bytes(b, d, len) == 0);
        free(d);
    }
}

static void test_ca_names(void)
{
    mt_trust *t = trust_of("client-cas.pem");
    mt_buf b, l;
    size_t count = 99, a_len, b_len;
    uint8_t *a_der = subject_der("client-ca.pem", &a_len);
    uint8_t *b_der = subject_der("client-ca-2.pem", &b_len);
    char *text;

    /* encoding: 2-byte length + DER Name, each; in the store's order */
    mt_buf_init(&b);
    CHECK(mt_w_u8(&b, 0xee) == 0); /* appended after what is there */
    CHECK(mt_trust_ca_names(t, &b, &count) == 0);
    CHECK(count == 2);
    CHECK(b.len == 1 + 2 + a_len + 2 + b_len);
    if (b.len == 1 + 2 + a_len + 2 + b_len) {
        CHECK(b.data[0] == 0xee);
        CHECK(b.data[1] == (uint8_t)(a_len >> 8) && b.data[2] == (uint8_t)a_len);
        CHECK_MEM(b.data + 3, a_der, a_len);
        CHECK(b.data[3 + a_len] == (uint8_t)(b_len >> 8) && b.data[4 + a_len] == (uint8_t)b_len);
        CHECK_MEM(b.data + 5 + a_len, b_der, b_len);
    }
    text = mt_trust_ca_names_text(t);
    CHECK(streq(text, "CN=mutls test client CA; CN=mutls test client CA 2"));
    free(text);
    /* round trip through the list reader */
    text = mt_dn_list_text(b.data + 1, b.len - 1);
    CHECK(streq(text, "CN=mutls test client CA; CN=mutls test client CA 2"));
    free(text);

    /* issued_by: which of our chains the server's list admits */
    {
        mt_cert_chain *alice = chain_of("client-alice");
        mt_cert_chain *dave = chain_of("client-dave");
        mt_cert_chain *server = chain_of("server-ecdsa-p256"); /* leaf + intermediate */
        static const char *const only_a[] = {"client-ca.pem"};
        static const char *const only_b[] = {"client-ca-2.pem"};
        static const char *const root[] = {"ca.pem"};
        static const char *const inter[] = {"intermediate.pem"};
        static const char *const other[] = {"rogue-ca.pem", "rogue-client-ca.pem"};

        CHECK(mt_cert_chain_issued_by(alice, b.data + 1, b.len - 1) == 1);
        CHECK(mt_cert_chain_issued_by(dave, b.data + 1, b.len - 1) == 1);
        mt_buf_init(&l);
        dn_list(&l, only_a, 1);
        CHECK(mt_cert_chain_issued_by(alice, l.data, l.len) == 1);
        CHECK(mt_cert_chain_issued_by(dave, l.data, l.len) == 0);
        CHECK(mt_cert_chain_issued_by(server, l.data, l.len) == 0);
        mt_buf_free(&l);
        mt_buf_init(&l);
        dn_list(&l, only_b, 1);
        CHECK(mt_cert_chain_issued_by(alice, l.data, l.len) == 0);
        CHECK(mt_cert_chain_issued_by(dave, l.data, l.len) == 1);
        mt_buf_free(&l);
        /* any certificate of the chain counts: the intermediate's issuer */
        mt_buf_init(&l);
        dn_list(&l, root, 1);
        CHECK(mt_cert_chain_issued_by(server, l.data, l.len) == 1);
        mt_buf_free(&l);
        mt_buf_init(&l);
        dn_list(&l, inter, 1);
        CHECK(mt_cert_chain_issued_by(server, l.data, l.len) == 1);
        mt_buf_free(&l);
        mt_buf_init(&l);
        dn_list(&l, other, 2);
        CHECK(mt_cert_chain_issued_by(alice, l.data, l.len) == 0);
        CHECK(mt_cert_chain_issued_by(server, l.data, l.len) == 0);
        text = mt_dn_list_text(l.data, l.len);
        CHECK(streq(text, "CN=rogue CA; CN=rogue client CA"));
        free(text);
        mt_buf_free(&l);

        /* malformed lists match nothing */
        CHECK(mt_cert_chain_issued_by(alice, NULL, 0) == 0);
        CHECK(mt_cert_chain_issued_by(alice, b.data + 1, 0) == 0);
        CHECK(mt_cert_chain_issued_by(NULL, b.data + 1, b.len - 1) == 0);
        CHECK(mt_cert_chain_issued_by(alice, b.data + 1, b.len - 2) == 0); /* truncated */
        CHECK(mt_cert_chain_issued_by(alice, b.data + 1, 1) == 0);
        {
            uint8_t bad[300];
            size_t n = b.len - 1;
            memcpy(bad, b.data + 1, n);
            bad[n] = 0; /* trailing byte */
            CHECK(mt_cert_chain_issued_by(alice, bad, n + 1) == 0);
            text = mt_dn_list_text(bad, n + 1);
            CHECK(streq(text, "CN=mutls test client CA; CN=mutls test client CA 2; (malformed "
                              "name list)"));
            free(text);
            bad[n] = 0;
            bad[n + 1] = 0; /* an empty DistinguishedName */
            CHECK(mt_cert_chain_issued_by(alice, bad, n + 2) == 0);
            /* a name that is not DER */
            memcpy(bad, "\x00\x03\x04\x01\x00", 5);
            CHECK(mt_cert_chain_issued_by(alice, bad, 5) == 0);
            text = mt_dn_list_text(bad, 5);
            CHECK(streq(text, "(malformed name list)"));
            free(text);
            /* a DER name with trailing bytes inside its vector */
            bad[0] = 0;
            bad[1] = (uint8_t)(a_len + 1);
            memcpy(bad + 2, a_der, a_len);
            bad[2 + a_len] = 0;
            CHECK(mt_cert_chain_issued_by(alice, bad, a_len + 3) == 0);
            bad[1] = (uint8_t)a_len;
            CHECK(mt_cert_chain_issued_by(alice, bad, a_len + 2) == 1);
            /* an empty X.509 Name is a name (matching nothing here) */
            memcpy(bad, "\x00\x02\x30\x00", 4);
            CHECK(mt_cert_chain_issued_by(alice, bad, 4) == 0);
            text = mt_dn_list_text(bad, 4);
            CHECK(streq(text, "(empty name)"));
            free(text);
        }
        text = mt_dn_list_text(NULL, 0);
        CHECK(streq(text, ""));
        free(text);
        mt_cert_chain_free(alice);
        mt_cert_chain_free(dave);
        mt_cert_chain_free(server);
    }
    mt_buf_free(&b);
    mt_trust_free(t);

    /* an empty store; the same CA twice is named once */
    t = mt_trust_new();
    mt_buf_init(&b);
    count = 99;
    CHECK(mt_trust_ca_names(t, &b, &count) == 0);
    CHECK(count == 0 && b.len == 0);
    text = mt_trust_ca_names_text(t);
    CHECK(streq(text, ""));
    free(text);
    {
        char path[1024];
        mt_error e;
        test_cert_path(path, sizeof(path), "client-ca.pem");
        mt_error_clear(&e);
        CHECK(mt_trust_add_file(t, path, &e) == 0);
        test_cert_path(path, sizeof(path), "client-cas.pem");
        CHECK(mt_trust_add_file(t, path, &e) == 0);
        test_cert_path(path, sizeof(path), "client-ca.crl.pem"); /* CRLs are no names */
        CHECK(mt_trust_add_crl_file(t, path, &e) == 0);
    }
    CHECK(mt_trust_ca_names(t, &b, &count) == 0);
    CHECK(count == 2 && b.len == 2 + a_len + 2 + b_len);
    CHECK(mt_trust_ca_names(t, &b, NULL) == 0); /* appends again */
    CHECK(b.len == 2 * (2 + a_len + 2 + b_len));
    mt_buf_free(&b);
    mt_trust_free(t);

    /* names that do not fit in one 2^16-1 vector: -1, nothing appended */
    {
        char cn[64 * 4 + 1];
        size_t i, total = 0;
        t = mt_trust_new();
        for (i = 0; i < 300; i++) {
            /* four 64-byte RDN values make a name of ~290 bytes */
            X509 *x;
            X509_NAME *nm = X509_NAME_new();
            certspec s = {.cn = "big", .ca = 1, .ku = KU_CERTSIGN, .serial = (long)i + 10};
            int k;
            x = build(&s);
            for (k = 0; k < 4; k++) {
                snprintf(cn, sizeof(cn), "%03zu-%d-%0*d", i, k, 58, 0);
                X509_NAME_add_entry_by_txt(nm, "OU", MBSTRING_ASC, (const unsigned char *)cn, 64,
                                           -1, 0);
            }
            X509_set_subject_name(x, nm);
            X509_set_issuer_name(x, nm);
            X509_NAME_free(nm);
            X509_sign(x, test_key(), EVP_sha256());
            {
                BIO *bio = BIO_new(BIO_s_mem());
                char *pem;
                long pl;
                mt_error e;
                PEM_write_bio_X509(bio, x);
                pl = BIO_get_mem_data(bio, &pem);
                mt_error_clear(&e);
                CHECK(mt_trust_add_pem(t, pem, (size_t)pl, &e) == 0);
                BIO_free(bio);
            }
            total += 2 + (size_t)i2d_X509_NAME(X509_get_subject_name(x), NULL);
            X509_free(x);
        }
        CHECK(total > 0xffff);
        mt_buf_init(&b);
        CHECK(mt_w_u8(&b, 1) == 0);
        count = 99;
        CHECK(mt_trust_ca_names(t, &b, &count) == -1);
        CHECK(b.len == 1 && count == 0 && !b.err);
        text = mt_trust_ca_names_text(t);
        CHECK(text != NULL && strlen(text) > 0xffff);
        free(text);
        mt_buf_free(&b);
        mt_trust_free(t);
    }
    free(a_der);
    free(b_der);
}

int main(void)
{
    test_identity_files();
    test_identity_alice();
    test_identity_edges();
    test_spiffe();
    test_verify_client();
    test_crl();
    test_max_depth();
    test_ca_names();
    free_test_key();
    TEST_MAIN_END();
}

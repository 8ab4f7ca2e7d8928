/*
 * src/x509: chain loading, trust stores, name matching (RFC 9525) and chain
 * verification with its alerts and messages, against the committed test
 * PKI in $MUTLS_TEST_CERTS (default tests/certs; see tests/certs/README.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testlib.h"
#include "x509/x509.h"

#define NOW_2026 1767225600LL    /* 2026-01-01T00:00:00Z */
#define NOW_2020_06 1590969600LL /* 2020-06-01T00:00:00Z */
#define NOW_2095 3944678400LL    /* 2095-01-01T00:00:00Z */
#define NOW_2100_06 4115491200LL /* 2100-06-01T00:00:00Z */

/* Loads NAME.pem with KEY.key (KEY NULL: NAME). */
static int load_chain_key(const char *name, const char *key, mt_cert_chain **out, mt_error *e)
{
    char f[256];
    char *pem, *k;
    size_t pem_len, k_len;
    int r;
    snprintf(f, sizeof(f), "%s.pem", name);
    pem = test_cert_load(f, &pem_len);
    snprintf(f, sizeof(f), "%s.key", key != NULL ? key : name);
    k = test_cert_load(f, &k_len);
    mt_error_clear(e);
    r = mt_cert_chain_load(pem, pem_len, k, k_len, out, e);
    free(pem);
    free(k);
    return r;
}

static mt_cert_chain *chain_of(const char *name)
{
    mt_cert_chain *c = NULL;
    mt_error e;
    if (load_chain_key(name, NULL, &c, &e) != 0) {
        fprintf(stderr, "cannot load chain %s: %s\n", name, e.msg);
        exit(2);
    }
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

/* Verifies the first n certificates of a chain (n 0: all). */
static int verify_n(const mt_trust *t, const mt_cert_chain *c, size_t n, const char *host,
                    int64_t now, int want_server, mt_error *e)
{
    mt_verify_params p;
    mt_x509 *leaf = NULL;
    int r;
    memset(&p, 0, sizeof(p));
    p.host = host;
    p.now = now;
    p.want_server = want_server;
    mt_error_clear(e);
    r = mt_verify_chain(t, (const uint8_t *const *)c->der, c->der_len, n ? n : c->n, &p,
                        want_server ? "server" : "client", &leaf, e);
    if (r == 0) {
        /* success hands back the leaf */
        char *s = mt_x509_subject(leaf);
        CHECK(leaf != NULL);
        CHECK(s != NULL && c->subject != NULL && strcmp(s, c->subject) == 0);
        free(s);
    } else {
        CHECK(leaf == NULL);
        CHECK(e->code == r);
        CHECK(r == MUTLS_ERR_VERIFY || r == MUTLS_ERR_INTERNAL);
    }
    mt_x509_free(leaf);
    return r;
}

static int verify(const mt_trust *t, const char *chain, const char *host, int64_t now,
                  int want_server, mt_error *e)
{
    mt_cert_chain *c = chain_of(chain);
    int r = verify_n(t, c, 0, host, now, want_server, e);
    mt_cert_chain_free(c);
    return r;
}

static int has(const mt_error *e, const char *needle)
{
    if (strstr(e->msg, needle) != NULL)
        return 1;
    fprintf(stderr, "    message \"%s\"\n    lacks   \"%s\"\n", e->msg, needle);
    return 0;
}

/* ---- chains ------------------------------------------------------------ */

static void test_chain_load(void)
{
    static const struct {
        const char *name;
        mt_key_type type;
        int bits; /* 0: not checked */
    } kinds[] = {
        {"server-rsa2048", MT_KEY_RSA, 2048},       {"server-rsa4096", MT_KEY_RSA, 4096},
        {"server-ecdsa-p256", MT_KEY_EC_P256, 256}, {"server-ecdsa-p384", MT_KEY_EC_P384, 384},
        {"server-ed25519", MT_KEY_ED25519, 0},      {"server-rsa-pss", MT_KEY_RSA_PSS, 2048},
    };
    size_t i;

    for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
        mt_cert_chain *c = NULL;
        mt_error e;
        mt_x509 *x = NULL;
        mt_pkey *pub;
        char *s;
        int r = load_chain_key(kinds[i].name, NULL, &c, &e);
        CHECK(r == 0);
        if (r != 0) {
            fprintf(stderr, "    %s: %s\n", kinds[i].name, e.msg);
            continue;
        }
        CHECK(c->n == 2);
        CHECK(c->der_len[0] > 100 && c->der_len[1] > 100);
        CHECK(c->der[0][0] == 0x30 && c->der[1][0] == 0x30);
        CHECK(mt_pkey_type(c->key) == kinds[i].type);
        if (kinds[i].bits)
            CHECK(mt_pkey_bits(c->key) == kinds[i].bits);
        CHECK(strcmp(c->subject, "CN=localhost") == 0);
        CHECK(c->names_n == 1 && strcmp(c->names[0], "localhost") == 0);
        CHECK(c->leaf != NULL);
        pub = mt_x509_public_key(c->leaf);
        CHECK(pub != NULL && mt_pkey_same_public(pub, c->key) == 1);
        CHECK(pub != NULL && mt_pkey_type(pub) == kinds[i].type);
        mt_pkey_free(pub);
        s = mt_x509_issuer(c->leaf);
        CHECK(s != NULL && strcmp(s, "CN=mutls test intermediate CA") == 0);
        free(s);
        /* the second certificate is the intermediate, kept as DER */
        CHECK(mt_x509_from_der(c->der[1], c->der_len[1], &x) == 0);
        s = mt_x509_subject(x);
        CHECK(s != NULL && strcmp(s, "CN=mutls test intermediate CA") == 0);
        free(s);
        s = mt_x509_issuer(x);
        CHECK(s != NULL && strcmp(s, "CN=mutls test CA") == 0);
        free(s);
        mt_x509_free(x);
        CHECK(mt_cert_chain_matches_name(c, "localhost"));
        CHECK(mt_cert_chain_matches_name(c, "127.0.0.1"));
        CHECK(mt_cert_chain_matches_name(c, "::1"));
        CHECK(!mt_cert_chain_matches_name(c, "example.com"));
        mt_cert_chain_free(c);
    }

    /* RFC 4514 order: most specific RDN first */
    {
        mt_cert_chain *c = chain_of("client-ecdsa-p256");
        CHECK(strcmp(c->subject, "CN=mutls test client,OU=clients,O=mutls tests") == 0);
        CHECK(c->names_n == 1 && strcmp(c->names[0], "client.mutls.test") == 0);
        mt_cert_chain_free(c);
    }
    /* names: DNS SANs; the CN only when there is no DNS SAN */
    {
        mt_cert_chain *c = chain_of("server-wrong-name");
        CHECK(c->names_n == 2 && strcmp(c->names[0], "other.example") == 0 &&
              strcmp(c->names[1], "10.0.0.1") == 0);
        mt_cert_chain_free(c);
        c = chain_of("server-cn-only");
        CHECK(c->names_n == 1 && strcmp(c->names[0], "localhost") == 0);
        mt_cert_chain_free(c);
        c = chain_of("server-ip-only");
        CHECK(c->names_n == 1 && strcmp(c->names[0], "localhost") == 0);
        mt_cert_chain_free(c);
        c = chain_of("server-rogue");
        CHECK(c->n == 1);
        mt_cert_chain_free(c);
    }
}

static void test_chain_errors(void)
{
    mt_cert_chain *c = NULL;
    mt_error e;
    char *pem, *key, *bad;
    size_t pem_len, key_len;

    /* a key of another type, and of the same type */
    CHECK(load_chain_key("server-rsa2048", "server-ecdsa-p256", &c, &e) == MUTLS_ERR_CONFIG);
    CHECK(c == NULL);
    CHECK(has(&e, "private key does not match certificate CN=localhost"));
    CHECK(e.alert == MT_NO_ALERT);
    CHECK(load_chain_key("server-ecdsa-p256", "server-expired", &c, &e) == MUTLS_ERR_CONFIG);
    CHECK(c == NULL);
    CHECK(has(&e, "private key does not match certificate CN=localhost"));
    CHECK(load_chain_key("client-rsa2048", "server-rsa2048", &c, &e) == MUTLS_ERR_CONFIG);
    CHECK(has(&e, "private key does not match certificate CN=mutls test client,OU=clients"));

    pem = test_cert_load("server-ecdsa-p256.pem", &pem_len);
    key = test_cert_load("server-ecdsa-p256.key", &key_len);

    /* no certificate at all: empty, text, or only a key */
    mt_error_clear(&e);
    CHECK(mt_cert_chain_load("", 0, key, key_len, &c, &e) == MUTLS_ERR_CONFIG);
    CHECK(has(&e, "no certificate found in chain PEM"));
    mt_error_clear(&e);
    CHECK(mt_cert_chain_load("hello\n", 6, key, key_len, &c, &e) == MUTLS_ERR_CONFIG);
    CHECK(has(&e, "no certificate found in chain PEM"));
    mt_error_clear(&e);
    CHECK(mt_cert_chain_load(key, key_len, key, key_len, &c, &e) == MUTLS_ERR_CONFIG);
    CHECK(has(&e, "no certificate found in chain PEM"));
    CHECK(c == NULL);

    /* the second certificate's base64 damaged */
    bad = malloc(pem_len + 1);
    memcpy(bad, pem, pem_len + 1);
    {
        char *second = strstr(bad + 10, "-----BEGIN CERTIFICATE-----");
        CHECK(second != NULL);
        if (second != NULL) {
            char *body = second + strlen("-----BEGIN CERTIFICATE-----\n");
            memcpy(body, "!!!!", 4);
        }
    }
    mt_error_clear(&e);
    CHECK(mt_cert_chain_load(bad, pem_len, key, key_len, &c, &e) == MUTLS_ERR_CONFIG);
    CHECK(has(&e, "certificate #2 in chain PEM is malformed"));
    free(bad);

    /* a missing or unusable key */
    mt_error_clear(&e);
    CHECK(mt_cert_chain_load(pem, pem_len, NULL, 0, &c, &e) == MUTLS_ERR_CONFIG);
    CHECK(has(&e, "no private key given for certificate CN=localhost"));
    mt_error_clear(&e);
    CHECK(mt_cert_chain_load(pem, pem_len, pem, pem_len, &c, &e) != 0);
    CHECK(c == NULL && e.code != MUTLS_OK && e.msg[0] != '\0');

    /* a key placed before the certificates is skipped; a chain with a
     * single certificate is fine */
    {
        size_t n = key_len + pem_len;
        char *both = malloc(n + 1);
        memcpy(both, key, key_len);
        memcpy(both + key_len, pem, pem_len + 1);
        mt_error_clear(&e);
        CHECK(mt_cert_chain_load(both, n, key, key_len, &c, &e) == 0);
        CHECK(c != NULL && c->n == 2);
        mt_cert_chain_free(c);
        c = NULL;
        free(both);
    }

    free(pem);
    free(key);
    mt_cert_chain_free(NULL);
}

/* ---- names --------------------------------------------------------------- */

static void test_names(void)
{
    mt_cert_chain *c;

    c = chain_of("server-wildcard");
    CHECK(mt_cert_chain_matches_name(c, "a.example.test"));
    CHECK(mt_cert_chain_matches_name(c, "A.Example.TEST"));
    CHECK(mt_cert_chain_matches_name(c, "www-1.example.test"));
    CHECK(mt_cert_chain_matches_name(c, "a.example.test."));
    CHECK(!mt_cert_chain_matches_name(c, "a.b.example.test"));
    CHECK(!mt_cert_chain_matches_name(c, "example.test"));
    CHECK(!mt_cert_chain_matches_name(c, ".example.test"));
    CHECK(!mt_cert_chain_matches_name(c, "*.example.test"));
    CHECK(!mt_cert_chain_matches_name(c, "a.example.testx"));
    CHECK(!mt_cert_chain_matches_name(c, "aexample.test"));
    CHECK(!mt_cert_chain_matches_name(c, ""));
    CHECK(!mt_cert_chain_matches_name(c, NULL));
    CHECK(mt_x509_matches_name(c->leaf, "b.example.test"));
    CHECK(!mt_x509_matches_name(c->leaf, "b.c.example.test"));
    mt_cert_chain_free(c);

    /* presented wildcards that must never match, and no CN fallback */
    c = chain_of("server-bad-wildcards");
    CHECK(!mt_cert_chain_matches_name(c, "foo.example.test"));  /* f*.example.test */
    CHECK(!mt_cert_chain_matches_name(c, "f.example.test"));
    CHECK(!mt_cert_chain_matches_name(c, "x.test"));            /* *.test */
    CHECK(!mt_cert_chain_matches_name(c, "a.b.example.org"));   /* a.*.example.org */
    CHECK(!mt_cert_chain_matches_name(c, "a.b.example.net"));   /* *.*.example.net */
    CHECK(!mt_cert_chain_matches_name(c, "foo.example.com"));   /* *oo.example.com */
    CHECK(!mt_cert_chain_matches_name(c, "oo.example.com"));
    CHECK(!mt_cert_chain_matches_name(c, "a.cn.example"));      /* CN=*.cn.example */
    CHECK(mt_cert_chain_matches_name(c, "mixed.case.example")); /* Mixed.Case.Example */
    CHECK(mt_cert_chain_matches_name(c, "MIXED.case.EXAMPLE"));
    CHECK(!mt_cert_chain_matches_name(c, "mixed.case.example.org"));
    mt_cert_chain_free(c);

    /* IP literals: only iPAddress SANs */
    c = chain_of("server-ecdsa-p256");
    CHECK(mt_cert_chain_matches_name(c, "127.0.0.1"));
    CHECK(mt_cert_chain_matches_name(c, "::1"));
    CHECK(mt_cert_chain_matches_name(c, "[::1]"));
    CHECK(mt_cert_chain_matches_name(c, "0:0:0:0:0:0:0:1"));
    CHECK(!mt_cert_chain_matches_name(c, "127.0.0.2"));
    CHECK(!mt_cert_chain_matches_name(c, "::2"));
    CHECK(!mt_cert_chain_matches_name(c, "::ffff:127.0.0.1"));
    CHECK(!mt_cert_chain_matches_name(c, "LOCALHOST.example"));
    CHECK(mt_cert_chain_matches_name(c, "LOCALHOST"));
    mt_cert_chain_free(c);

    c = chain_of("server-ip-only"); /* CN=localhost, SAN IP:127.0.0.1 */
    CHECK(mt_cert_chain_matches_name(c, "127.0.0.1"));
    CHECK(!mt_cert_chain_matches_name(c, "localhost"));
    CHECK(!mt_cert_chain_matches_name(c, "::1"));
    mt_cert_chain_free(c);

    c = chain_of("server-wrong-name"); /* SAN DNS:other.example, DNS:10.0.0.1 */
    CHECK(mt_cert_chain_matches_name(c, "other.example"));
    CHECK(!mt_cert_chain_matches_name(c, "10.0.0.1")); /* an IP never matches a dNSName */
    CHECK(!mt_cert_chain_matches_name(c, "localhost"));
    mt_cert_chain_free(c);

    c = chain_of("server-cn-only"); /* CN=localhost, no SAN: never matched */
    CHECK(!mt_cert_chain_matches_name(c, "localhost"));
    mt_cert_chain_free(c);
}

/* ---- trust stores -------------------------------------------------------- */

static void test_trust(void)
{
    char path[1024], tmpl[] = "/tmp/mutls-x509-XXXXXX";
    mt_trust *t, *t2;
    mt_error e;
    char *pem;
    size_t len;

    t = mt_trust_new();
    CHECK(t != NULL);

    mt_error_clear(&e);
    CHECK(mt_trust_add_file(t, "/nonexistent/ca.pem", &e) == MUTLS_ERR_CONFIG);
    CHECK(has(&e, "cannot read trust file /nonexistent/ca.pem: No such file or directory"));
    test_cert_path(path, sizeof(path), "server-ecdsa-p256.key");
    mt_error_clear(&e);
    CHECK(mt_trust_add_file(t, path, &e) == MUTLS_ERR_CONFIG);
    CHECK(has(&e, "contains no PEM certificate"));
    CHECK(has(&e, "server-ecdsa-p256.key"));
    test_cert_path(path, sizeof(path), "trust-dir");
    mt_error_clear(&e);
    CHECK(mt_trust_add_file(t, path, &e) == MUTLS_ERR_CONFIG);
    CHECK(has(&e, "is a directory"));

    mt_error_clear(&e);
    CHECK(mt_trust_add_dir(t, "/nonexistent/dir", &e) == MUTLS_ERR_CONFIG);
    CHECK(has(&e, "cannot read trust directory /nonexistent/dir"));
    test_cert_path(path, sizeof(path), "ca.pem");
    mt_error_clear(&e);
    CHECK(mt_trust_add_dir(t, path, &e) == MUTLS_ERR_CONFIG);
    CHECK(has(&e, "is not a directory"));
    if (mkdtemp(tmpl) != NULL) {
        mt_error_clear(&e);
        CHECK(mt_trust_add_dir(t, tmpl, &e) == MUTLS_ERR_CONFIG);
        CHECK(has(&e, "has no hashed certificate names"));
        rmdir(tmpl);
    }

    mt_error_clear(&e);
    CHECK(mt_trust_add_pem(t, "garbage", 7, &e) == MUTLS_ERR_CONFIG);
    CHECK(has(&e, "trust PEM contains no certificate"));
    mt_error_clear(&e);
    CHECK(mt_trust_add_pem(t, "", 0, &e) == MUTLS_ERR_CONFIG);

    /* nothing was added by the failures: the chain is not trusted */
    CHECK(verify(t, "server-ecdsa-p256", "localhost", NOW_2026, 1, &e) == MUTLS_ERR_VERIFY);
    CHECK(e.alert == MT_ALERT_UNKNOWN_CA);

    /* from memory */
    pem = test_cert_load("ca.pem", &len);
    mt_error_clear(&e);
    CHECK(mt_trust_add_pem(t, pem, len, &e) == 0);
    free(pem);
    CHECK(verify(t, "server-ecdsa-p256", "localhost", NOW_2026, 1, &e) == 0);
    /* shared: one more reference outlives the first */
    t2 = mt_trust_up_ref(t);
    CHECK(t2 == t);
    mt_trust_free(t);
    CHECK(verify(t2, "server-rsa2048", "localhost", NOW_2026, 1, &e) == 0);
    mt_trust_free(t2);

    /* from a hashed directory */
    t = mt_trust_new();
    test_cert_path(path, sizeof(path), "trust-dir");
    mt_error_clear(&e);
    CHECK(mt_trust_add_dir(t, path, &e) == 0);
    CHECK(verify(t, "server-ed25519", "localhost", NOW_2026, 1, &e) == 0);
    CHECK(verify(t, "server-rogue", "localhost", NOW_2026, 1, &e) == MUTLS_ERR_VERIFY);
    mt_trust_free(t);

    /* the system store loads, and does not trust our test CA */
    t = mt_trust_new();
    mt_error_clear(&e);
    if (access("/etc/ssl/certs", R_OK) == 0) {
        CHECK(mt_trust_add_system(t, &e) == 0);
        CHECK(verify(t, "server-ecdsa-p256", "localhost", NOW_2026, 1, &e) == MUTLS_ERR_VERIFY);
        CHECK(e.alert == MT_ALERT_UNKNOWN_CA);
    }
    mt_trust_free(t);
    mt_trust_free(NULL);
}

/* ---- verification ------------------------------------------------------- */

static void test_verify_ok(mt_trust *t)
{
    static const char *ok[] = {"server-rsa2048",    "server-rsa4096", "server-ecdsa-p256",
                               "server-ecdsa-p384", "server-ed25519", "server-rsa-pss"};
    static const char *clients[] = {"client-ecdsa-p256", "client-rsa2048", "client-ed25519"};
    mt_error e;
    size_t i;

    for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        mt_cert_chain *c = chain_of(ok[i]);
        int r;
        r = verify_n(t, c, 0, "localhost", NOW_2026, 1, &e);
        CHECK(r == 0);
        if (r != 0)
            fprintf(stderr, "    %s: %s\n", ok[i], e.msg);
        CHECK(verify_n(t, c, 0, "127.0.0.1", NOW_2026, 1, &e) == 0);
        CHECK(verify_n(t, c, 0, "::1", NOW_2026, 1, &e) == 0);
        CHECK(verify_n(t, c, 0, NULL, NOW_2026, 1, &e) == 0);
        CHECK(verify_n(t, c, 0, "localhost", 0, 1, &e) == 0); /* the real clock */
        mt_cert_chain_free(c);
    }
    for (i = 0; i < sizeof(clients) / sizeof(clients[0]); i++) {
        CHECK(verify(t, clients[i], NULL, NOW_2026, 0, &e) == 0);
        CHECK(verify(t, clients[i], "client.mutls.test", NOW_2026, 0, &e) == 0);
    }
    CHECK(verify(t, "server-wildcard", "a.example.test", NOW_2026, 1, &e) == 0);
    CHECK(verify(t, "server-wrong-name", "other.example", NOW_2026, 1, &e) == 0);
    CHECK(verify(t, "server-ip-only", "127.0.0.1", NOW_2026, 1, &e) == 0);
    /* the time parameter: the expired one was valid in mid-2020, the
     * not-yet-valid one will be in 2095 */
    CHECK(verify(t, "server-expired", "localhost", NOW_2020_06, 1, &e) == 0);
    CHECK(verify(t, "server-not-yet-valid", "localhost", NOW_2095, 1, &e) == 0);
    /* trusting the rogue CA makes its chain fine */
    {
        mt_trust *rt = trust_of("rogue-ca.pem");
        CHECK(verify(rt, "server-rogue", "localhost", NOW_2026, 1, &e) == 0);
        mt_trust_free(rt);
    }
}

static void test_verify_fail(mt_trust *t)
{
    mt_error e;
    mt_cert_chain *c;

    /* expired */
    CHECK(verify(t, "server-expired", "localhost", NOW_2026, 1, &e) == MUTLS_ERR_VERIFY);
    CHECK(e.alert == MT_ALERT_CERTIFICATE_EXPIRED);
    CHECK(has(&e, "server certificate CN=localhost (issuer CN=mutls test intermediate CA, valid "
                  "2020-01-01T00:00:00Z to 2021-01-01T00:00:00Z) expired 2021-01-01T00:00:00Z"));
    CHECK(has(&e, "checked at 2026-01-01T00:00:00Z"));

    /* not yet valid */
    CHECK(verify(t, "server-not-yet-valid", "localhost", NOW_2026, 1, &e) == MUTLS_ERR_VERIFY);
    CHECK(e.alert == MT_ALERT_CERTIFICATE_EXPIRED);
    CHECK(has(&e, "server certificate CN=localhost is not yet valid: valid from "
                  "2090-01-01T00:00:00Z"));

    /* untrusted issuer */
    CHECK(verify(t, "server-rogue", "localhost", NOW_2026, 1, &e) == MUTLS_ERR_VERIFY);
    CHECK(e.alert == MT_ALERT_UNKNOWN_CA);
    CHECK(has(&e, "server certificate CN=localhost issued by CN=rogue CA, which is not a "
                  "trusted CA"));
    /* ... also when the peer sends its self-signed root along */
    {
        char *leaf, *root, *key, *both;
        size_t l1, l2, kl;
        mt_cert_chain *rc = NULL;
        leaf = test_cert_load("server-rogue.pem", &l1);
        root = test_cert_load("rogue-ca.pem", &l2);
        key = test_cert_load("server-rogue.key", &kl);
        both = malloc(l1 + l2 + 1);
        memcpy(both, leaf, l1);
        memcpy(both + l1, root, l2 + 1);
        mt_error_clear(&e);
        CHECK(mt_cert_chain_load(both, l1 + l2, key, kl, &rc, &e) == 0);
        free(leaf);
        free(root);
        free(key);
        free(both);
        if (rc != NULL) {
            CHECK(rc->n == 2);
            CHECK(verify_n(t, rc, 0, "localhost", NOW_2026, 1, &e) == MUTLS_ERR_VERIFY);
            CHECK(e.alert == MT_ALERT_UNKNOWN_CA);
            CHECK(has(&e, "server certificate CN=localhost"));
            CHECK(has(&e, "self-signed CN=rogue CA, which is not a trusted CA"));
            mt_cert_chain_free(rc);
        }
    }
    /* a missing intermediate */
    c = chain_of("server-ecdsa-p256");
    CHECK(verify_n(t, c, 1, "localhost", NOW_2026, 1, &e) == MUTLS_ERR_VERIFY);
    CHECK(e.alert == MT_ALERT_UNKNOWN_CA);
    CHECK(has(&e, "server certificate CN=localhost issued by CN=mutls test intermediate CA, "
                  "which is not a trusted CA"));
    /* the failing certificate is named, not always the leaf: the
     * intermediate's issuer is not trusted ... */
    {
        mt_trust *rt = trust_of("rogue-ca.pem");
        CHECK(verify_n(rt, c, 0, "localhost", NOW_2026, 1, &e) == MUTLS_ERR_VERIFY);
        CHECK(e.alert == MT_ALERT_UNKNOWN_CA);
        CHECK(has(&e, "server certificate CN=localhost: CA certificate CN=mutls test "
                      "intermediate CA issued by CN=mutls test CA, which is not a trusted CA"));
        mt_trust_free(rt);
    }
    /* ... and in 2100 the root itself has expired */
    CHECK(verify_n(t, c, 0, "localhost", NOW_2100_06, 1, &e) == MUTLS_ERR_VERIFY);
    CHECK(e.alert == MT_ALERT_CERTIFICATE_EXPIRED);
    CHECK(has(&e, "server certificate CN=localhost: CA certificate CN=mutls test CA (issuer "
                  "CN=mutls test CA, valid 2000-01-01T00:00:00Z to 2100-01-01T00:00:00Z) expired "
                  "2100-01-01T00:00:00Z"));

    /* no anchors at all */
    CHECK(verify_n(NULL, c, 0, "localhost", NOW_2026, 1, &e) == MUTLS_ERR_VERIFY);
    CHECK(e.alert == MT_ALERT_UNKNOWN_CA);
    CHECK(has(&e, "no trust anchors"));

    /* wrong host names */
    CHECK(verify_n(t, c, 0, "other.example", NOW_2026, 1, &e) == MUTLS_ERR_VERIFY);
    CHECK(e.alert == MT_ALERT_BAD_CERTIFICATE);
    CHECK(has(&e, "host name mismatch: server certificate CN=localhost is for localhost, "
                  "127.0.0.1, ::1; wanted other.example"));
    CHECK(verify_n(t, c, 0, "10.1.2.3", NOW_2026, 1, &e) == MUTLS_ERR_VERIFY);
    CHECK(e.alert == MT_ALERT_BAD_CERTIFICATE);
    CHECK(has(&e, "IP address mismatch: server certificate CN=localhost is for localhost, "
                  "127.0.0.1, ::1; wanted 10.1.2.3"));

    /* a damaged signature on the leaf */
    {
        uint8_t *d = c->der[0];
        size_t n = c->der_len[0];
        d[n - 1] ^= 0x01;
        CHECK(verify_n(t, c, 0, "localhost", NOW_2026, 1, &e) == MUTLS_ERR_VERIFY);
        CHECK(e.alert == MT_ALERT_BAD_CERTIFICATE);
        CHECK(has(&e, "server certificate CN=localhost has an invalid signature (issuer "
                      "CN=mutls test intermediate CA)"));
        d[n - 1] ^= 0x01;
        CHECK(verify_n(t, c, 0, "localhost", NOW_2026, 1, &e) == 0);
    }
    /* malformed DER: truncated, trailing bytes, garbage intermediate */
    {
        mt_verify_params p = {.host = "localhost", .now = NOW_2026, .want_server = 1};
        const uint8_t *der[2];
        size_t len[2];
        uint8_t *longer = malloc(c->der_len[0] + 1);
        static const uint8_t junk[] = {0x30, 0x03, 0x02, 0x01, 0x01};
        der[0] = c->der[0];
        len[0] = c->der_len[0] - 1;
        mt_error_clear(&e);
        CHECK(mt_verify_chain(t, der, len, 1, &p, "server", NULL, &e) == MUTLS_ERR_VERIFY);
        CHECK(e.alert == MT_ALERT_DECODE_ERROR);
        CHECK(has(&e, "server certificate is malformed"));
        memcpy(longer, c->der[0], c->der_len[0]);
        longer[c->der_len[0]] = 0;
        der[0] = longer;
        len[0] = c->der_len[0] + 1;
        mt_error_clear(&e);
        CHECK(mt_verify_chain(t, der, len, 1, &p, "server", NULL, &e) == MUTLS_ERR_VERIFY);
        CHECK(e.alert == MT_ALERT_DECODE_ERROR);
        free(longer);
        der[0] = c->der[0];
        len[0] = c->der_len[0];
        der[1] = junk;
        len[1] = sizeof(junk);
        mt_error_clear(&e);
        CHECK(mt_verify_chain(t, der, len, 2, &p, "server", NULL, &e) == MUTLS_ERR_VERIFY);
        CHECK(e.alert == MT_ALERT_DECODE_ERROR);
        CHECK(has(&e, "certificate #2 of the server chain is malformed"));
        /* empty chains */
        mt_error_clear(&e);
        CHECK(mt_verify_chain(t, der, len, 0, &p, "server", NULL, &e) == MUTLS_ERR_VERIFY);
        CHECK(e.alert == MT_ALERT_DECODE_ERROR);
        p.want_server = 0;
        mt_error_clear(&e);
        CHECK(mt_verify_chain(t, der, len, 0, &p, "client", NULL, &e) == MUTLS_ERR_VERIFY);
        CHECK(e.alert == MT_ALERT_CERTIFICATE_REQUIRED);
        CHECK(has(&e, "the client sent no certificate"));
        /* a first error sticks */
        CHECK(mt_verify_chain(t, der, len, 1, &p, "client", NULL, &e) == MUTLS_ERR_VERIFY);
        CHECK(has(&e, "the client sent no certificate"));
    }
    /* a server certificate is not a client certificate */
    CHECK(verify_n(t, c, 0, NULL, NOW_2026, 0, &e) == MUTLS_ERR_VERIFY);
    CHECK(e.alert == MT_ALERT_UNSUPPORTED_CERTIFICATE);
    CHECK(has(&e, "client certificate CN=localhost is not valid for TLS client authentication "
                  "(extended key usage: TLS Web Server Authentication)"));
    mt_cert_chain_free(c);

    /* wrong extended key usage */
    CHECK(verify(t, "server-wrong-eku", "localhost", NOW_2026, 1, &e) == MUTLS_ERR_VERIFY);
    CHECK(e.alert == MT_ALERT_UNSUPPORTED_CERTIFICATE);
    CHECK(has(&e, "server certificate CN=localhost is not valid for TLS server authentication "
                  "(extended key usage: TLS Web Client Authentication)"));
    CHECK(verify(t, "client-ecdsa-p256", NULL, NOW_2026, 1, &e) == MUTLS_ERR_VERIFY);
    CHECK(e.alert == MT_ALERT_UNSUPPORTED_CERTIFICATE);
    CHECK(has(&e, "server certificate CN=mutls test client,OU=clients,O=mutls tests is not "
                  "valid for TLS server authentication"));

    /* wrong name */
    CHECK(verify(t, "server-wrong-name", "localhost", NOW_2026, 1, &e) == MUTLS_ERR_VERIFY);
    CHECK(e.alert == MT_ALERT_BAD_CERTIFICATE);
    CHECK(has(&e, "host name mismatch: server certificate CN=other.example is for "
                  "other.example, 10.0.0.1; wanted localhost"));
    /* an IP literal is not matched against a dNSName that looks like one */
    CHECK(verify(t, "server-wrong-name", "10.0.0.1", NOW_2026, 1, &e) == MUTLS_ERR_VERIFY);
    CHECK(e.alert == MT_ALERT_BAD_CERTIFICATE);
    CHECK(has(&e, "IP address mismatch"));

    /* wildcards */
    CHECK(verify(t, "server-wildcard", "a.b.example.test", NOW_2026, 1, &e) == MUTLS_ERR_VERIFY);
    CHECK(e.alert == MT_ALERT_BAD_CERTIFICATE);
    CHECK(has(&e, "host name mismatch: server certificate CN=*.example.test is for "
                  "*.example.test; wanted a.b.example.test"));
    CHECK(verify(t, "server-wildcard", "example.test", NOW_2026, 1, &e) == MUTLS_ERR_VERIFY);
    CHECK(e.alert == MT_ALERT_BAD_CERTIFICATE);
    CHECK(verify(t, "server-bad-wildcards", "foo.example.test", NOW_2026, 1, &e) ==
          MUTLS_ERR_VERIFY);
    CHECK(verify(t, "server-bad-wildcards", "a.cn.example", NOW_2026, 1, &e) ==
          MUTLS_ERR_VERIFY);

    /* IP-only and CN-only certificates: the CN is never used */
    CHECK(verify(t, "server-ip-only", "localhost", NOW_2026, 1, &e) == MUTLS_ERR_VERIFY);
    CHECK(e.alert == MT_ALERT_BAD_CERTIFICATE);
    CHECK(has(&e, "host name mismatch: server certificate CN=localhost is for 127.0.0.1; "
                  "wanted localhost"));
    CHECK(verify(t, "server-ip-only", "::1", NOW_2026, 1, &e) == MUTLS_ERR_VERIFY);
    CHECK(verify(t, "server-cn-only", "localhost", NOW_2026, 1, &e) == MUTLS_ERR_VERIFY);
    CHECK(e.alert == MT_ALERT_BAD_CERTIFICATE);
    CHECK(has(&e, "server certificate CN=localhost has no DNS or IP subjectAltName"));
    CHECK(verify(t, "server-cn-only", NULL, NOW_2026, 1, &e) == 0);
}

static void test_x509_der(void)
{
    mt_cert_chain *c = chain_of("server-ecdsa-p384");
    mt_x509 *x = NULL;
    static const uint8_t junk[] = {0x30, 0x00};
    CHECK(mt_x509_from_der(c->der[0], c->der_len[0], &x) == 0);
    CHECK(mt_x509_matches_name(x, "localhost"));
    mt_x509_free(x);
    x = NULL;
    CHECK(mt_x509_from_der(c->der[0], c->der_len[0] - 1, &x) == -1 && x == NULL);
    CHECK(mt_x509_from_der(junk, sizeof(junk), &x) == -1 && x == NULL);
    CHECK(mt_x509_from_der(NULL, 0, &x) == -1 && x == NULL);
    CHECK(mt_x509_subject(NULL) == NULL);
    CHECK(mt_x509_public_key(NULL) == NULL);
    mt_x509_free(NULL);
    mt_cert_chain_free(c);
}

int main(void)
{
    mt_trust *t;

    test_chain_load();
    test_chain_errors();
    test_names();
    test_trust();
    test_x509_der();
    t = trust_of("ca.pem");
    test_verify_ok(t);
    test_verify_fail(t);
    mt_trust_free(t);
    TEST_MAIN_END();
}

/*
 * Mutual TLS over an in-memory pair, TLS 1.3 and TLS 1.2 (pinned on the
 * client): every server verify mode against every kind of client
 * certificate, the outcome on both sides (identity, or the exact alert and
 * the words on each side), the client keys and CertificateVerify schemes,
 * the client's choice among its certificates by the server's CA names, the
 * identity API against the certificate files (parsed here with libcrypto),
 * SPIFFE IDs, and TLS 1.3 post-handshake authentication.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/asn1.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "core/conn.h"        /* to swap a client key after the config froze */
#include "crypto/pkey_evp.h"
#include "pair_expect.h"

#define NOW INT64_C(1767225600) /* 2026-01-01T00:00:00Z */
#define T2000 INT64_C(946684800)  /* 2000-01-01T00:00:00Z */
#define T2100 INT64_C(4102444800) /* 2100-01-01T00:00:00Z */

#define ALERT_HANDSHAKE_FAILURE 40
#define ALERT_UNSUPPORTED_CERTIFICATE 43
#define ALERT_CERTIFICATE_REVOKED 44
#define ALERT_CERTIFICATE_EXPIRED 45
#define ALERT_UNKNOWN_CA 48
#define ALERT_DECRYPT_ERROR 51
#define ALERT_CERTIFICATE_REQUIRED 116

#define CLIENT_CA_NAME "CN=mutls test client CA"
#define CLIENT_CA2_NAME "CN=mutls test client CA 2"
#define ALICE "CN=alice,OU=engineering,O=Example Org"

static const uint16_t versions[] = {MUTLS_TLS1_3, MUTLS_TLS1_2};

static const char *vname(uint16_t v) { return v == MUTLS_TLS1_3 ? "TLS 1.3" : "TLS 1.2"; }

static const char *mode_name(mutls_verify_mode m)
{
    return m == MUTLS_VERIFY_NONE ? "none" : m == MUTLS_VERIFY_OPTIONAL ? "optional" : "require";
}

/* ---- a pair with both handshake traces kept ------------------------------ */

typedef struct {
    char buf[32768];
    size_t len;
    const char *side;
} tracelog;

static void trace_fn(void *ctx, const mutls_conn *conn, const mutls_trace_event *ev)
{
    tracelog *t = ctx;
    int n;
    (void)conn;
    if (t->len >= sizeof(t->buf) - 1)
        return;
    n = snprintf(t->buf + t->len, sizeof(t->buf) - t->len, "%s %s: %s\n", ev->sent ? "->" : "<-",
                 ev->name, ev->detail);
    if (n > 0)
        t->len += (size_t)n < sizeof(t->buf) - t->len ? (size_t)n : sizeof(t->buf) - t->len - 1;
    if (getenv("PAIR_TRACE") != NULL)
        fprintf(stderr, "    [%s] %s %s: %s\n", t->side, ev->sent ? "->" : "<-", ev->name,
                ev->detail);
}

/* Lines of the trace that start with prefix ("-> CertificateRequest"). */
static int trace_count(const tracelog *t, const char *prefix)
{
    int n = 0;
    size_t pl = strlen(prefix);
    for (const char *l = t->buf; *l != '\0';) {
        const char *e = strchr(l, '\n');
        if (strncmp(l, prefix, pl) == 0)
            n++;
        if (e == NULL)
            break;
        l = e + 1;
    }
    return n;
}

/* The last line starting with prefix, copied into out ("" when none). */
static const char *trace_line(const tracelog *t, const char *prefix, char *out, size_t cap)
{
    size_t pl = strlen(prefix);
    out[0] = '\0';
    for (const char *l = t->buf; *l != '\0';) {
        const char *e = strchr(l, '\n');
        size_t n = e ? (size_t)(e - l) : strlen(l);
        if (strncmp(l, prefix, pl) == 0)
            snprintf(out, cap, "%.*s", (int)n, l);
        if (e == NULL)
            break;
        l = e + 1;
    }
    return out;
}

typedef struct {
    pair *p;
    tracelog ct, st;
    int64_t now;
} mpair;

static int64_t fixed_clock(void *ctx) { return *(const int64_t *)ctx; }

static void mp_free(mpair *m)
{
    if (m == NULL)
        return;
    pair_free(m->p);
    free(m);
}

/* A pair from a spec, with traces on both sides and the clock at NOW (the
 * spec's seed and now are not used). */
static mpair *mp_new(const pair_spec *spec)
{
    mutls_config *c, *s;
    mpair *m = calloc(1, sizeof(*m));
    if (m == NULL)
        return NULL;
    if (pair_make_configs(spec, &c, &s) != 0) {
        free(m);
        return NULL;
    }
    m->now = NOW;
    m->ct.side = "client";
    m->st.side = "server";
    mutls_config_set_trace(c, trace_fn, &m->ct);
    mutls_config_set_trace(s, trace_fn, &m->st);
    mutls_config_set_time(c, fixed_clock, &m->now);
    mutls_config_set_time(s, fixed_clock, &m->now);
    m->p = pair_new_from(c, s, spec->server_name);
    mutls_config_free(c);
    mutls_config_free(s);
    if (m->p == NULL) {
        free(m);
        return NULL;
    }
    return m;
}

/* Replace the key of the client's first chain by a fresh P-256 key (the
 * configuration is frozen by now: it is the one the connection uses), so
 * that its CertificateVerify does not match its certificate. */
static int swap_client_key(mpair *m)
{
    mutls_config *cfg = m->p->ccfg;
    EVP_PKEY *evp = EVP_EC_gen("P-256");
    mt_pkey *k;
    if (evp == NULL || cfg->n_chains == 0 || !cfg->frozen)
        return -1;
    if ((k = mt_pkey_wrap_evp(evp)) == NULL)
        return -1;
    mt_pkey_free(cfg->chains[0]->key);
    cfg->chains[0]->key = k;
    return 0;
}

/* Drive both sides until nothing changes: in TLS 1.3 the client completes
 * its handshake before the server has looked at its certificate, and sees
 * the server's alert only when it next reads. */
static void settle(pair *p)
{
    uint8_t buf[64];
    for (int i = 0; i < 8; i++) {
        size_t moved = pair_flush(p);
        p->crc = mutls_conn_handshake(p->c);
        p->src = mutls_conn_handshake(p->s);
        if (p->crc == MUTLS_OK) {
            int r = mutls_conn_read(p->c, buf, sizeof(buf));
            CHECK(r == MUTLS_WANT_READ || r <= MUTLS_ERR_FIRST);
        }
        moved += pair_flush(p);
        p->crc = mutls_conn_handshake(p->c);
        p->src = mutls_conn_handshake(p->s);
        if (moved == 0)
            break;
    }
}

static int run_handshake(pair *p)
{
    pair_handshake(p);
    settle(p);
    return p->crc == MUTLS_OK && p->src == MUTLS_OK ? 0 : -1;
}

/* ---- the certificate files, read with libcrypto -------------------------- */

static X509 *load_cert(const char *name)
{
    char path[1024], f[256];
    FILE *fp;
    X509 *x;
    snprintf(f, sizeof(f), "%s.pem", name);
    pair_cert_path(path, sizeof(path), f);
    if ((fp = fopen(path, "r")) == NULL) {
        fprintf(stderr, "cannot open %s\n", path);
        return NULL;
    }
    x = PEM_read_X509(fp, NULL, NULL, NULL);
    fclose(fp);
    return x;
}

static char *file_text(const char *name)
{
    char path[1024], f[256];
    snprintf(f, sizeof(f), "%s.pem", name);
    return read_file(pair_cert_path(path, sizeof(path), f), NULL);
}

/* "20:03": the serial's magnitude bytes in lowercase hex. */
static void serial_hex(X509 *x, char *out, size_t cap)
{
    BIGNUM *bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(x), NULL);
    unsigned char b[64];
    int n = bn ? BN_bn2bin(bn, b) : 0;
    size_t o = 0;
    out[0] = '\0';
    if (n == 0 && bn != NULL) {
        b[0] = 0;
        n = 1;
    }
    for (int i = 0; i < n && o + 4 < cap; i++)
        o += (size_t)snprintf(out + o, cap - o, "%s%02x", i ? ":" : "", b[i]);
    BN_free(bn);
}

static int64_t asn1_unix(const ASN1_TIME *t)
{
    struct tm tm;
    memset(&tm, 0, sizeof(tm));
    if (!ASN1_TIME_to_tm(t, &tm))
        return -1;
    return (int64_t)timegm(&tm);
}

/* SHA-256 of the DER, lowercase hex, and the canonical PEM. */
static void der_facts(X509 *x, char fp[65], char **pem)
{
    unsigned char *der = NULL, md[32];
    unsigned int mdl = 0;
    int n = i2d_X509(x, &der);
    BIO *b = BIO_new(BIO_s_mem());
    char *data;
    long len;
    fp[0] = '\0';
    *pem = NULL;
    if (n > 0 && EVP_Digest(der, (size_t)n, md, &mdl, EVP_sha256(), NULL) && mdl == 32)
        for (unsigned i = 0; i < 32; i++)
            snprintf(fp + 2 * i, 3, "%02x", md[i]);
    OPENSSL_free(der);
    if (b != NULL && PEM_write_bio_X509(b, x) == 1 && (len = BIO_get_mem_data(b, &data)) > 0 &&
        (*pem = malloc((size_t)len + 1)) != NULL) {
        memcpy(*pem, data, (size_t)len);
        (*pem)[len] = '\0';
    }
    BIO_free(b);
}

/* ---- expectations --------------------------------------------------------- */

/* Both sides connected, data flows both ways. */
static void expect_connected(mpair *m, const char *label)
{
    CHECK_CONNECTED(m->p);
    CHECK(pair_echo(m->p, label) == 0);
}

/* The server verified the client as `subject`. */
static void expect_client_identity(mpair *m, const char *subject)
{
    const mutls_peer *peer = mutls_conn_peer(m->p->s);
    CHECK(peer != NULL);
    CHECK_STR(mutls_peer_subject(peer), subject);
    CHECK(mutls_peer_verified(peer) == 1);
    CHECK_STR(mutls_peer_verify_error(peer), "");
    CHECK_STR(mutls_conn_peer_subject(m->p->s), subject);
    CHECK(mutls_conn_peer_verified(m->p->s) == 1);
}

/* The client sees the server as verified CN=localhost. */
static void expect_server_identity(mpair *m)
{
    const mutls_peer *peer = mutls_conn_peer(m->p->c);
    CHECK(peer != NULL);
    CHECK_STR(mutls_peer_subject(peer), "CN=localhost");
    CHECK_STR(mutls_peer_issuer(peer), "CN=mutls test intermediate CA");
    CHECK(mutls_peer_verified(peer) == 1);
    CHECK_STR(mutls_peer_verify_error(peer), "");
}

/* ---- verify mode x client certificate ------------------------------------ */

typedef struct {
    const char *what;
    const char *chain;      /* NULL: the client has no certificate */
    int wrong_key;          /* CertificateVerify signed with another key */
    int no_ca_names;        /* the server sends no CA names (so the client
                             * offers a certificate from another CA) */
    const char *subject;    /* of the client certificate */
    int code, alert;        /* server's error and alert when refused; 0: ok */
    const char *needles[7]; /* in the server's message and verify_error */
} cert_case;

static const cert_case cases[] = {
    {"absent", NULL, 0, 0, NULL, 0, 0, {NULL}},
    {"valid (alice)", "client-alice", 0, 0, ALICE, 0, 0, {NULL}},
    {"untrusted issuer (rogue)", "client-rogue", 0, 1, "CN=rogue client", MUTLS_ERR_VERIFY,
     ALERT_UNKNOWN_CA, {"CN=rogue client", "CN=rogue client CA", "not a trusted client CA",
                        CLIENT_CA_NAME, NULL}},
    {"expired", "client-expired", 0, 0, "CN=expired client", MUTLS_ERR_VERIFY,
     ALERT_CERTIFICATE_EXPIRED, {"client certificate CN=expired client", CLIENT_CA_NAME,
                                 "expired 2021-01-01T00:00:00Z", "2020-01-01T00:00:00Z",
                                 "2026-01-01T00:00:00Z", NULL}},
    {"not yet valid", "client-notyet", 0, 0, "CN=future client", MUTLS_ERR_VERIFY,
     ALERT_CERTIFICATE_EXPIRED, {"client certificate CN=future client", "not yet valid",
                                 "2090-01-01T00:00:00Z", CLIENT_CA_NAME, "2026-01-01T00:00:00Z",
                                 NULL}},
    {"revoked", "client-revoked", 0, 0, "CN=revoked client", MUTLS_ERR_VERIFY,
     ALERT_CERTIFICATE_REVOKED, {"client certificate CN=revoked client", "revoked", CLIENT_CA_NAME,
                                 "20:09", "2024-01-01T00:00:00Z", "keyCompromise", NULL}},
    {"wrong EKU", "client-wrong-eku", 0, 0, "CN=server-only client", MUTLS_ERR_VERIFY,
     ALERT_UNSUPPORTED_CERTIFICATE, {"CN=server-only client", "client authentication",
                                     "extended key usage", NULL}},
    {"CertificateVerify with the wrong key", "client-alice", 1, 0, ALICE, MUTLS_ERR_PROTOCOL,
     ALERT_DECRYPT_ERROR, {"client CertificateVerify", "does not verify", NULL}},
    {"RSA 1024", "client-rsa1024", 0, 0, "CN=weak client", MUTLS_ERR_VERIFY,
     ALERT_UNSUPPORTED_CERTIFICATE, {"client certificate CN=weak client", "1024", "2048", NULL}},
};

static void matrix_one(uint16_t ver, mutls_verify_mode mode, const cert_case *k)
{
    pair_spec spec = {
        .client_min_version = ver,
        .client_max_version = ver,
        .server_client_cas = {"client-ca.pem"},
        .server_crls = {"client-ca.crl.pem"},
        .server_verify = PAIR_VERIFY(mode),
        .client_chains = {k->chain},
        .server_no_ca_names = k->no_ca_names,
    };
    char label[200];
    mpair *m;

    say("%s, server verify %s, client certificate %s", vname(ver), mode_name(mode), k->what);
    snprintf(label, sizeof(label), "%s/%s/%s", vname(ver), mode_name(mode), k->what);
    m = mp_new(&spec);
    CHECK(m != NULL);
    if (m == NULL)
        return;
    if (k->wrong_key)
        CHECK(swap_client_key(m) == 0);
    run_handshake(m->p);
    CHECK(mutls_conn_version(m->p->s) == ver);

    /* The CertificateRequest is sent unless the mode is none. */
    CHECK(trace_count(&m->st, "-> CertificateRequest") == (mode == MUTLS_VERIFY_NONE ? 0 : 1));
    CHECK(trace_count(&m->ct, "<- CertificateRequest") == (mode == MUTLS_VERIFY_NONE ? 0 : 1));

    if (mode == MUTLS_VERIFY_NONE || (k->chain == NULL && mode == MUTLS_VERIFY_OPTIONAL)) {
        expect_connected(m, label);
        CHECK(mutls_conn_peer(m->p->s) == NULL);
        CHECK(mutls_conn_peer_subject(m->p->s) == NULL);
        CHECK(mutls_conn_peer_verified(m->p->s) == 0);
        /* no certificate travelled */
        CHECK(trace_count(&m->st, "<- Certificate:") == (mode == MUTLS_VERIFY_NONE ? 0 : 1));
        CHECK(trace_count(&m->st, "<- CertificateVerify") == 0);
        expect_server_identity(m);
    } else if (k->chain == NULL) {
        int alert = ver == MUTLS_TLS1_3 ? ALERT_CERTIFICATE_REQUIRED : ALERT_HANDSHAKE_FAILURE;
        CHECK(run_handshake(m->p) != 0);
        EXPECT_FATAL(m->p, DET_SERVER, MUTLS_ERR_VERIFY, alert, "sent no certificate",
                     "requires one", CLIENT_CA_NAME);
        CHECK(mutls_conn_peer(m->p->s) == NULL);
        CHECK_CONTAINS(mutls_conn_error(m->p->c),
                       "the server requires a client certificate and none is configured (it "
                       "accepts certificates from: " CLIENT_CA_NAME ")");
    } else if (k->alert == 0) {
        char line[512];
        expect_connected(m, label);
        expect_client_identity(m, k->subject);
        expect_server_identity(m);
        CHECK_CONTAINS(trace_line(&m->st, "<- CertificateVerify", line, sizeof(line)),
                       "scheme=ecdsa_secp256r1_sha256, signature valid");
    } else {
        const mutls_peer *peer;
        char want[300];
        CHECK(run_handshake(m->p) != 0);
        expect_fatal_(m->p, DET_SERVER, k->code, k->alert, __FILE__, __LINE__, k->needles);
        /* The client explains the alert with the certificate it sent. */
        snprintf(want, sizeof(want), "the server rejected our client certificate %s", k->subject);
        CHECK_CONTAINS(mutls_conn_error(m->p->c), want);
        /* The unverified chain is still described, with the reason. */
        peer = mutls_conn_peer(m->p->s);
        CHECK(peer != NULL);
        if (peer != NULL) {
            CHECK_STR(mutls_peer_subject(peer), k->subject);
            CHECK(mutls_peer_verified(peer) == 0);
            CHECK(mutls_conn_peer_verified(m->p->s) == 0);
            for (size_t i = 0; k->needles[i] != NULL; i++)
                CHECK_CONTAINS(mutls_peer_verify_error(peer), k->needles[i]);
        }
    }
    mp_free(m);
}

static void test_matrix(void)
{
    static const mutls_verify_mode modes[] = {MUTLS_VERIFY_NONE, MUTLS_VERIFY_OPTIONAL,
                                              MUTLS_VERIFY_REQUIRE};
    for (size_t v = 0; v < 2; v++)
        for (size_t mo = 0; mo < 3; mo++)
            for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++)
                matrix_one(versions[v], modes[mo], &cases[k]);

    for (size_t v = 0; v < 2; v++) {
        pair_spec spec = {.client_min_version = versions[v],
                          .client_max_version = versions[v],
                          .server_client_cas = {"client-ca.pem"},
                          .client_chains = {"client-revoked"}};
        mpair *m;
        say("%s: the revoked client certificate passes without the CRL", vname(versions[v]));
        m = mp_new(&spec);
        CHECK(m != NULL && run_handshake(m->p) == 0);
        if (m != NULL) {
            expect_connected(m, "no CRL loaded");
            expect_client_identity(m, "CN=revoked client");
        }
        mp_free(m);
    }

    for (size_t v = 0; v < 2; v++) {
        pair_spec spec = {.client_min_version = versions[v],
                          .client_max_version = versions[v],
                          .client_chains = {"client-alice"}};
        mpair *m;
        say("%s: a server with client CAs requires a certificate by default",
            vname(versions[v]));
        /* default: no client CAs -> verify none */
        m = mp_new(&spec);
        CHECK(m != NULL && run_handshake(m->p) == 0);
        if (m != NULL) {
            CHECK(trace_count(&m->st, "-> CertificateRequest") == 0);
            CHECK(mutls_conn_peer(m->p->s) == NULL);
        }
        mp_free(m);
        spec.server_client_cas[0] = "client-ca.pem";
        spec.client_chains[0] = NULL;
        m = mp_new(&spec);
        CHECK(m != NULL && run_handshake(m->p) != 0);
        if (m != NULL) {
            char line[512];
            EXPECT_FATAL(m->p, DET_SERVER, MUTLS_ERR_VERIFY,
                         versions[v] == MUTLS_TLS1_3 ? ALERT_CERTIFICATE_REQUIRED
                                                     : ALERT_HANDSHAKE_FAILURE,
                         "sent no certificate");
            CHECK_CONTAINS(trace_line(&m->st, "-> CertificateRequest", line, sizeof(line)),
                           "required");
        }
        mp_free(m);
    }
}

/* ---- client key types and CertificateVerify schemes ---------------------- */

static void test_key_types(void)
{
    static const struct {
        const char *chain, *subject, *scheme, *key_type;
        int bits;
        const char *spiffe;
    } keys[] = {
        {"client-alice", ALICE, "ecdsa_secp256r1_sha256", "ECDSA P-256", 256,
         "spiffe://example.org/alice"},
        {"client-bob-rsa", "CN=bob", "rsa_pss_rsae_sha256", "RSA", 2048,
         "spiffe://example.org/bob"},
        {"client-carol-ed25519", "CN=carol", "ed25519", "Ed25519", 256,
         "spiffe://example.org/carol"},
    };
    for (size_t v = 0; v < 2; v++)
        for (size_t i = 0; i < 3; i++) {
            pair_spec spec = {.client_min_version = versions[v],
                              .client_max_version = versions[v],
                              .server_client_cas = {"client-ca.pem"},
                              .client_chains = {keys[i].chain}};
            char line[512], want[128];
            mpair *m;
            say("%s: client key %s -> CertificateVerify %s", vname(versions[v]),
                keys[i].key_type, keys[i].scheme);
            m = mp_new(&spec);
            CHECK(m != NULL && run_handshake(m->p) == 0);
            if (m == NULL)
                continue;
            expect_connected(m, keys[i].chain);
            expect_client_identity(m, keys[i].subject);
            CHECK(mutls_conn_version(m->p->c) == versions[v]);
            snprintf(want, sizeof(want), "scheme=%s, signature valid", keys[i].scheme);
            CHECK_CONTAINS(trace_line(&m->st, "<- CertificateVerify", line, sizeof(line)), want);
            snprintf(want, sizeof(want), "scheme=%s (", keys[i].scheme);
            CHECK_CONTAINS(trace_line(&m->ct, "-> CertificateVerify", line, sizeof(line)), want);
            const mutls_peer *peer = mutls_conn_peer(m->p->s);
            CHECK_STR(mutls_peer_key_type(peer), keys[i].key_type);
            CHECK(mutls_peer_key_bits(peer) == keys[i].bits);
            CHECK_STR(mutls_peer_spiffe_id(peer), keys[i].spiffe);
            /* The server's own CertificateVerify is still what
             * mutls_conn_sig_scheme() reports on both sides. */
            CHECK(mutls_conn_sig_scheme(m->p->s) == mutls_conn_sig_scheme(m->p->c));
            CHECK_STR(mutls_sig_scheme_name(mutls_conn_sig_scheme(m->p->s)),
                      "ecdsa_secp256r1_sha256");
            mp_free(m);
        }
}

/* ---- choice among several client certificates ----------------------------- */

static void choice_case(uint16_t ver, const char *server_cas, int no_names, const char *want,
                        const char *why)
{
    pair_spec spec = {.client_min_version = ver,
                      .client_max_version = ver,
                      .server_client_cas = {server_cas},
                      .server_no_ca_names = no_names,
                      .client_chains = {"client-dave", "client-alice"}};
    char line[1024], sending[128];
    mpair *m;
    say("%s: client holds dave (CA 2) then alice (CA 1); server trusts %s%s -> %s",
        vname(ver), server_cas, no_names ? ", names not sent" : "", why);
    m = mp_new(&spec);
    CHECK(m != NULL && run_handshake(m->p) == 0);
    if (m == NULL)
        return;
    expect_connected(m, "chosen certificate");
    expect_client_identity(m, want);
    snprintf(sending, sizeof(sending), "sending %s", want);
    trace_line(&m->ct, "<- CertificateRequest", line, sizeof(line));
    CHECK_CONTAINS(line, sending);
    CHECK_CONTAINS(line,
                   no_names ? "the server named no CAs" : "issued by a CA the server accepts");
    mp_free(m);
}

static void test_choice(void)
{
    for (size_t v = 0; v < 2; v++) {
        choice_case(versions[v], "client-ca.pem", 0, ALICE, "alice");
        choice_case(versions[v], "client-ca-2.pem", 0, "CN=dave", "dave");
        choice_case(versions[v], "client-cas.pem", 0, "CN=dave", "dave (first accepted)");
        choice_case(versions[v], "client-cas.pem", 1, "CN=dave", "dave (first that fits)");
    }

    for (size_t v = 0; v < 2; v++) {
        pair_spec spec = {.client_min_version = versions[v],
                          .client_max_version = versions[v],
                          .server_client_cas = {"client-ca.pem"},
                          .server_no_ca_names = 1,
                          .client_chains = {"client-dave", "client-alice"}};
        mpair *m;
        say("%s: without CA names the client sends dave, which the server does not trust",
            vname(versions[v]));
        m = mp_new(&spec);
        CHECK(m != NULL && run_handshake(m->p) != 0);
        if (m != NULL) {
            EXPECT_FATAL(m->p, DET_SERVER, MUTLS_ERR_VERIFY, ALERT_UNKNOWN_CA, "CN=dave",
                         CLIENT_CA2_NAME, "not a trusted client CA");
            CHECK_CONTAINS(mutls_conn_error(m->p->c),
                           "the server rejected our client certificate CN=dave");
        }
        mp_free(m);
    }

    for (size_t v = 0; v < 2; v++)
        for (int optional = 0; optional < 2; optional++) {
            pair_spec spec = {.client_min_version = versions[v],
                              .client_max_version = versions[v],
                              .server_client_cas = {"client-ca.pem"},
                              .server_verify = PAIR_VERIFY(optional ? MUTLS_VERIFY_OPTIONAL
                                                                    : MUTLS_VERIFY_REQUIRE),
                              .client_chains = {"client-rogue"}};
            char line[1024];
            mpair *m;
            say("%s, %s: a client whose only certificate is from an untrusted CA sends an empty "
                "Certificate under a CA-names request",
                vname(versions[v]), optional ? "optional" : "require");
            m = mp_new(&spec);
            CHECK(m != NULL);
            if (m == NULL)
                continue;
            run_handshake(m->p);
            trace_line(&m->ct, "<- CertificateRequest", line, sizeof(line));
            CHECK_CONTAINS(line, "none of the 1 configured client certificates fits");
            CHECK_CONTAINS(line, "1 not issued by a CA the server accepts");
            CHECK_CONTAINS(trace_line(&m->st, "<- Certificate:", line, sizeof(line)),
                           "empty (no client certificate)");
            CHECK(trace_count(&m->ct, "-> CertificateVerify") == 0);
            CHECK(mutls_conn_peer(m->p->s) == NULL);
            if (optional) {
                CHECK(run_handshake(m->p) == 0);
                expect_connected(m, "empty certificate, optional");
            } else {
                EXPECT_FATAL(m->p, DET_SERVER, MUTLS_ERR_VERIFY,
                             versions[v] == MUTLS_TLS1_3 ? ALERT_CERTIFICATE_REQUIRED
                                                         : ALERT_HANDSHAKE_FAILURE,
                             "sent no certificate", CLIENT_CA_NAME);
                CHECK_CONTAINS(mutls_conn_error(m->p->c),
                               "the server requires a client certificate and none of ours fits "
                               "its request (it accepts certificates from: " CLIENT_CA_NAME ")");
            }
            mp_free(m);
        }
}

/* ---- the identity, field by field ------------------------------------------ */

static void test_identity(void)
{
    X509 *x = load_cert("client-alice");
    char serial[128], fp[65], *pem = NULL, *file = file_text("client-alice");
    CHECK(x != NULL && file != NULL);
    if (x == NULL || file == NULL) {
        X509_free(x);
        free(file);
        return;
    }
    serial_hex(x, serial, sizeof(serial));
    der_facts(x, fp, &pem);
    CHECK(pem != NULL && strlen(fp) == 64);
    CHECK_STR(serial, "20:03");

    for (size_t v = 0; v < 2; v++) {
        pair_spec spec = {.client_min_version = versions[v],
                          .client_max_version = versions[v],
                          .server_client_cas = {"client-ca.pem"},
                          .client_chains = {"client-alice"}};
        static const struct {
            mutls_san_type type;
            const char *value;
        } sans[] = {
            {MUTLS_SAN_DNS, "alice.example.org"},
            {MUTLS_SAN_URI, "spiffe://example.org/alice"},
            {MUTLS_SAN_EMAIL, "alice@example.org"},
            {MUTLS_SAN_IP, "192.0.2.7"},
            {MUTLS_SAN_IP, "2001:db8::7"},
        };
        const mutls_peer *peer;
        mpair *m;
        say("%s: alice's identity, exactly as issued", vname(versions[v]));
        m = mp_new(&spec);
        CHECK(m != NULL && run_handshake(m->p) == 0);
        if (m == NULL)
            continue;
        expect_connected(m, "identity");
        peer = mutls_conn_peer(m->p->s);
        CHECK(peer != NULL);
        if (peer != NULL) {
            CHECK(mutls_peer_verified(peer) == 1);
            CHECK_STR(mutls_peer_verify_error(peer), "");
            CHECK_STR(mutls_peer_subject(peer), ALICE);
            CHECK_STR(mutls_peer_issuer(peer), CLIENT_CA_NAME);
            CHECK_STR(mutls_peer_serial(peer), serial);
            CHECK(mutls_peer_not_before(peer) == T2000);
            CHECK(mutls_peer_not_after(peer) == T2100);
            CHECK(mutls_peer_not_before(peer) == asn1_unix(X509_get0_notBefore(x)));
            CHECK(mutls_peer_not_after(peer) == asn1_unix(X509_get0_notAfter(x)));
            CHECK(mutls_peer_san_count(peer) == 5);
            for (size_t i = 0; i < 5; i++) {
                mutls_san_type t = 0;
                const char *val = NULL;
                CHECK(mutls_peer_san(peer, i, &t, &val) == 0);
                CHECK(t == sans[i].type);
                CHECK_STR(val, sans[i].value);
            }
            {
                mutls_san_type t = 0;
                const char *val = NULL;
                CHECK(mutls_peer_san(peer, 5, &t, &val) == MUTLS_ERR_INVALID_ARGUMENT);
            }
            CHECK_STR(mutls_peer_spiffe_id(peer), "spiffe://example.org/alice");
            CHECK_STR(mutls_peer_fingerprint_sha256(peer), fp);
            CHECK_STR(mutls_peer_chain_pem(peer), pem);
            CHECK_STR(mutls_peer_chain_pem(peer), file);
            CHECK_STR(mutls_peer_key_type(peer), "ECDSA P-256");
            CHECK(mutls_peer_key_bits(peer) == 256);
            CHECK_STR(mutls_conn_peer_issuer(m->p->s), CLIENT_CA_NAME);
        }
        /* and the client's view of the server */
        expect_server_identity(m);
        peer = mutls_conn_peer(m->p->c);
        CHECK(peer != NULL && mutls_peer_san_count(peer) == 3);
        CHECK(peer != NULL && mutls_peer_spiffe_id(peer) == NULL);
        CHECK_STR(mutls_peer_key_type(peer), "ECDSA P-256");
        mp_free(m);
    }
    X509_free(x);
    free(pem);
    free(file);
}

/* ---- SPIFFE IDs that are not ---------------------------------------------- */

static void test_bad_spiffe(void)
{
    static const struct {
        const char *chain, *subject;
        const char *uris[2];
    } certs[] = {
        {"client-bad-spiffe", "CN=bad spiffe client", {"spiffe://Example.org/a/../b", NULL}},
        {"client-two-uris", "CN=two uris client",
         {"spiffe://example.org/one", "spiffe://example.org/two"}},
    };
    for (size_t v = 0; v < 2; v++)
        for (size_t i = 0; i < 2; i++) {
            pair_spec spec = {.client_min_version = versions[v],
                              .client_max_version = versions[v],
                              .server_client_cas = {"client-ca.pem"},
                              .client_chains = {certs[i].chain}};
            const mutls_peer *peer;
            size_t uris = 0;
            mpair *m;
            say("%s: %s: accepted, no SPIFFE ID, the URIs still listed", vname(versions[v]),
                certs[i].chain);
            m = mp_new(&spec);
            CHECK(m != NULL && run_handshake(m->p) == 0);
            if (m == NULL)
                continue;
            expect_connected(m, certs[i].chain);
            expect_client_identity(m, certs[i].subject);
            peer = mutls_conn_peer(m->p->s);
            CHECK(mutls_peer_spiffe_id(peer) == NULL);
            for (size_t j = 0; j < mutls_peer_san_count(peer); j++) {
                mutls_san_type t;
                const char *val;
                if (mutls_peer_san(peer, j, &t, &val) == 0 && t == MUTLS_SAN_URI) {
                    CHECK(uris < 2 && certs[i].uris[uris] != NULL);
                    if (uris < 2)
                        CHECK_STR(val, certs[i].uris[uris]);
                    uris++;
                }
            }
            CHECK(uris == (certs[i].uris[1] != NULL ? 2u : 1u));
            mp_free(m);
        }
}

/* ---- when each side learns the verdict ------------------------------------ */

static void test_timing(void)
{
    for (size_t v = 0; v < 2; v++) {
        pair_spec spec = {.client_min_version = versions[v],
                          .client_max_version = versions[v],
                          .server_client_cas = {"client-ca.pem"},
                          .client_chains = {"client-expired"}};
        mpair *m;
        pair *p;
        uint8_t buf[16];
        int tls13 = versions[v] == MUTLS_TLS1_3;
        say("%s: the client %s before the server rejects its certificate", vname(versions[v]),
            tls13 ? "completes its handshake" : "does not complete");
        m = mp_new(&spec);
        CHECK(m != NULL);
        if (m == NULL)
            continue;
        p = m->p;
        /* Drive flight by flight until the client has sent its
         * certificate, without delivering it. */
        CHECK(mutls_conn_handshake(p->c) == MUTLS_WANT_READ);
        pair_shuttle(p, PAIR_C2S); /* ClientHello */
        CHECK(mutls_conn_handshake(p->s) == MUTLS_WANT_READ);
        pair_shuttle(p, PAIR_S2C); /* server flight, CertificateRequest in it */
        if (!tls13) {
            CHECK(mutls_conn_handshake(p->c) == MUTLS_WANT_READ);
            CHECK(mutls_conn_handshake_done(p->c) == 0);
        } else {
            CHECK(mutls_conn_handshake(p->c) == MUTLS_OK);
            CHECK(mutls_conn_handshake_done(p->c) == 1);
            /* it may even write: the data is lost with the connection */
            CHECK(mutls_conn_write(p->c, (const uint8_t *)"early", 5) == 5);
        }
        CHECK(mutls_conn_error_code(p->c) == MUTLS_OK);
        pair_shuttle(p, PAIR_C2S); /* Certificate ... Finished */
        CHECK(mutls_conn_error_code(p->s) == MUTLS_ERR_VERIFY);
        CHECK(mutls_conn_alert_sent(p->s) == ALERT_CERTIFICATE_EXPIRED);
        CHECK(mutls_conn_handshake_done(p->s) == 0);
        CHECK(mutls_conn_error_code(p->c) == MUTLS_OK); /* not yet told */
        pair_shuttle(p, PAIR_S2C); /* the alert */
        CHECK(mutls_conn_read(p->c, buf, sizeof(buf)) == MUTLS_ERR_ALERT_RECEIVED);
        CHECK(mutls_conn_alert_received(p->c) == ALERT_CERTIFICATE_EXPIRED);
        CHECK_CONTAINS(mutls_conn_error(p->c),
                       "the server rejected our client certificate CN=expired client");
        mp_free(m);
    }
}

/* ---- variations: suites, HRR, chains, several CA files, signatures -------- */

static mpair *connect_ok(const pair_spec *spec, const char *label, const char *subject)
{
    mpair *m = mp_new(spec);
    CHECK(m != NULL && run_handshake(m->p) == 0);
    if (m == NULL)
        return NULL;
    expect_connected(m, label);
    if (subject != NULL)
        expect_client_identity(m, subject);
    return m;
}

static void test_variations(void)
{
    static const struct {
        const char *suite, *server_chain;
        int rsa_kex;
    } suites12[] = {
        {"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", NULL, 0},
        {"TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", NULL, 0},
        {"TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", NULL, 0},
        {"TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", NULL, 0},
        {"TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "server-rsa2048", 0},
        {"TLS_RSA_WITH_AES_128_GCM_SHA256", "server-rsa2048-kex", 1},
        {"TLS_RSA_WITH_AES_256_CBC_SHA", "server-rsa2048-kex", 1},
    };
    static const char *const suites13[] = {"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
                                           "TLS_CHACHA20_POLY1305_SHA256"};

    for (size_t i = 0; i < sizeof(suites12) / sizeof(suites12[0]); i++)
        for (int k = 0; k < 2; k++) {
            pair_spec spec = {.client_min_version = MUTLS_TLS1_2,
                              .client_max_version = MUTLS_TLS1_2,
                              .client_suites = suites12[i].suite,
                              .client_rsa_kex = suites12[i].rsa_kex,
                              .server_rsa_kex = suites12[i].rsa_kex,
                              .server_chains = {suites12[i].server_chain},
                              .server_client_cas = {"client-ca.pem"},
                              .client_chains = {k ? "client-bob-rsa" : "client-alice"}};
            mpair *m;
            say("TLS 1.2 %s with client certificate %s", suites12[i].suite,
                k ? "bob (RSA)" : "alice (ECDSA)");
            m = connect_ok(&spec, suites12[i].suite, k ? "CN=bob" : ALICE);
            if (m != NULL)
                CHECK_STR(mutls_cipher_suite_name(mutls_conn_cipher_suite(m->p->s)),
                          suites12[i].suite);
            mp_free(m);
        }
    for (size_t i = 0; i < 3; i++) {
        pair_spec spec = {.client_min_version = MUTLS_TLS1_3,
                          .client_max_version = MUTLS_TLS1_3,
                          .client_suites = suites13[i],
                          .server_client_cas = {"client-ca.pem"},
                          .client_chains = {"client-bob-rsa"}};
        say("TLS 1.3 %s with client certificate bob (RSA)", suites13[i]);
        mp_free(connect_ok(&spec, suites13[i], "CN=bob"));
    }

    for (int mb = 0; mb < 2; mb++) {
        pair_spec spec = {.client_min_version = MUTLS_TLS1_3,
                          .client_max_version = MUTLS_TLS1_3,
                          .client_groups = "x25519,secp256r1",
                          .server_groups = "secp256r1",
                          .no_middlebox = mb,
                          .server_client_cas = {"client-ca.pem"},
                          .client_chains = {"client-alice"}};
        mpair *m;
        say("TLS 1.3 HelloRetryRequest then client authentication%s",
            mb ? " (middlebox compatibility off)" : "");
        m = connect_ok(&spec, "hrr + mtls", ALICE);
        if (m != NULL)
            CHECK(mutls_conn_did_hrr(m->p->s) == 1);
        mp_free(m);
    }

    for (size_t v = 0; v < 2; v++) {
        pair_spec spec = {.client_min_version = versions[v],
                          .client_max_version = versions[v],
                          .server_client_cas = {"client-ca.pem", "client-ca-2.pem"}};
        mpair *m;
        say("%s: two client CA files: both accepted, both named", vname(versions[v]));
        spec.client_chains[0] = "client-dave";
        mp_free(connect_ok(&spec, "dave", "CN=dave"));
        spec.client_chains[0] = "client-alice";
        mp_free(connect_ok(&spec, "alice", ALICE));
        spec.client_chains[0] = NULL;
        m = mp_new(&spec);
        CHECK(m != NULL && run_handshake(m->p) != 0);
        if (m != NULL) {
            EXPECT_FATAL(m->p, DET_SERVER, MUTLS_ERR_VERIFY,
                         versions[v] == MUTLS_TLS1_3 ? ALERT_CERTIFICATE_REQUIRED
                                                     : ALERT_HANDSHAKE_FAILURE,
                         CLIENT_CA_NAME "; " CLIENT_CA2_NAME);
            CHECK_CONTAINS(mutls_conn_error(m->p->c),
                           "(it accepts certificates from: " CLIENT_CA_NAME "; " CLIENT_CA2_NAME
                           ")");
        }
        mp_free(m);
        /* without names, the client's note does not invent any */
        spec.server_no_ca_names = 1;
        m = mp_new(&spec);
        CHECK(m != NULL && run_handshake(m->p) != 0);
        if (m != NULL) {
            char line[1024];
            CHECK_CONTAINS(mutls_conn_error(m->p->c),
                           "the server requires a client certificate and none is configured");
            CHECK(!contains(mutls_conn_error(m->p->c), "it accepts certificates from"));
            CHECK_CONTAINS(trace_line(&m->st, "-> CertificateRequest", line, sizeof(line)),
                           "(names not sent)");
        }
        mp_free(m);
    }

    for (size_t v = 0; v < 2; v++) {
        char both[8192];
        char *a = file_text("client-alice"), *ca = file_text("client-ca");
        char *key = NULL;
        char kpath[1024];
        mutls_config *c = NULL, *s = NULL;
        pair_spec spec = {.client_min_version = versions[v],
                          .client_max_version = versions[v],
                          .server_client_cas = {"client-ca.pem"}};
        say("%s: a client chain of two certificates (leaf + its CA): verified, chain PEM as sent",
            vname(versions[v]));
        key = read_file(pair_cert_path(kpath, sizeof(kpath), "client-alice.key"), NULL);
        CHECK(a != NULL && ca != NULL && key != NULL);
        if (a != NULL && ca != NULL && key != NULL && pair_make_configs(&spec, &c, &s) == 0) {
            pair *p;
            snprintf(both, sizeof(both), "%s%s", a, ca);
            CHECK(mutls_config_add_cert_chain_mem(c, both, strlen(both), key, strlen(key)) == 0);
            p = pair_new_from(c, s, NULL);
            CHECK(p != NULL && run_handshake(p) == 0);
            if (p != NULL) {
                const mutls_peer *peer = mutls_conn_peer(p->s);
                CHECK_CONNECTED(p);
                CHECK(peer != NULL && mutls_peer_verified(peer) == 1);
                CHECK_STR(mutls_peer_chain_pem(peer), both);
                CHECK_STR(mutls_peer_subject(peer), ALICE);
                CHECK(pair_echo(p, "two-certificate client chain") == 0);
            }
            pair_free(p);
        }
        mutls_config_free(c);
        mutls_config_free(s);
        free(a);
        free(ca);
        free(key);
    }

    for (size_t v = 0; v < 2; v++) {
        pair_spec spec = {.client_min_version = versions[v],
                          .client_max_version = versions[v],
                          .server_client_cas = {"client-cas.pem"},
                          .server_crls = {"client-ca.crl.pem"},
                          .client_chains = {"client-dave"}};
        mpair *m;
        say("%s: with CRLs loaded, a CA without one (client CA 2) fails its leaves",
            vname(versions[v]));
        m = mp_new(&spec);
        CHECK(m != NULL && run_handshake(m->p) != 0);
        if (m != NULL) {
            EXPECT_FATAL(m->p, DET_SERVER, MUTLS_ERR_VERIFY, ALERT_UNKNOWN_CA, "no CRL loaded",
                         CLIENT_CA2_NAME);
            CHECK_CONTAINS(mutls_conn_error(m->p->c),
                           "the server rejected our client certificate CN=dave");
        }
        mp_free(m);
        spec.client_chains[0] = "client-alice";
        mp_free(connect_ok(&spec, "alice with CRLs", ALICE));
    }

    for (size_t v = 0; v < 2; v++) {
        pair_spec spec = {.client_min_version = versions[v],
                          .client_max_version = versions[v],
                          .server_sigs = "ecdsa_secp256r1_sha256",
                          .server_client_cas = {"client-ca.pem"},
                          .client_chains = {"client-bob-rsa", "client-alice"}};
        mpair *m;
        char line[1024];
        say("%s: the server accepts ECDSA signatures only: the client skips bob (RSA) for alice",
            vname(versions[v]));
        m = connect_ok(&spec, "signature-driven choice", ALICE);
        if (m != NULL)
            CHECK_CONTAINS(trace_line(&m->ct, "<- CertificateRequest", line, sizeof(line)),
                           "sending " ALICE);
        mp_free(m);

        spec.client_chains[1] = NULL; /* bob only */
        say("%s: ... and with bob alone sends an empty Certificate", vname(versions[v]));
        m = mp_new(&spec);
        CHECK(m != NULL && run_handshake(m->p) != 0);
        if (m != NULL) {
            EXPECT_FATAL(m->p, DET_SERVER, MUTLS_ERR_VERIFY,
                         versions[v] == MUTLS_TLS1_3 ? ALERT_CERTIFICATE_REQUIRED
                                                     : ALERT_HANDSHAKE_FAILURE,
                         "sent no certificate");
            CHECK_CONTAINS(trace_line(&m->ct, "<- CertificateRequest", line, sizeof(line)),
                           "1 without a signature scheme it accepts");
            CHECK_CONTAINS(mutls_conn_error(m->p->c), "none of ours fits its request");
        }
        mp_free(m);
    }
}

/* ---- post-handshake authentication (TLS 1.3) ------------------------------- */

static pair_spec pha_spec(const char *chain, mutls_verify_mode mode)
{
    pair_spec s;
    memset(&s, 0, sizeof(s));
    s.client_min_version = s.client_max_version = MUTLS_TLS1_3;
    s.server_client_cas[0] = "client-ca.pem";
    s.server_verify = PAIR_VERIFY(mode);
    s.server_pha = 1;
    s.client_chains[0] = chain;
    return s;
}

static void test_pha(void)
{
    say("post-handshake authentication: alice, asked after the handshake, twice");
    {
        pair_spec spec = pha_spec("client-alice", MUTLS_VERIFY_REQUIRE);
        mpair *m = mp_new(&spec);
        CHECK(m != NULL && run_handshake(m->p) == 0);
        if (m != NULL) {
            char line[512];
            expect_connected(m, "before post-handshake auth");
            CHECK(trace_count(&m->st, "-> CertificateRequest") == 0);
            CHECK(mutls_conn_peer(m->p->s) == NULL);
            CHECK(mutls_conn_peer_verified(m->p->s) == 0);
            /* not on a client, not twice before an answer */
            CHECK(mutls_conn_request_client_auth(m->p->c) == MUTLS_ERR_INVALID_ARGUMENT);
            CHECK(mutls_conn_request_client_auth(m->p->s) == MUTLS_OK);
            CHECK(mutls_conn_request_client_auth(m->p->s) == MUTLS_ERR_INVALID_ARGUMENT);
            CHECK(mutls_conn_peer(m->p->s) == NULL);
            pair_flush(m->p);
            CHECK(mutls_conn_error_code(m->p->c) == MUTLS_OK);
            CHECK(mutls_conn_error_code(m->p->s) == MUTLS_OK);
            expect_client_identity(m, ALICE);
            CHECK_STR(mutls_peer_spiffe_id(mutls_conn_peer(m->p->s)),
                      "spiffe://example.org/alice");
            CHECK(trace_count(&m->st, "-> CertificateRequest") == 1);
            CHECK_CONTAINS(trace_line(&m->st, "-> CertificateRequest", line, sizeof(line)),
                           "post-handshake");
            CHECK_CONTAINS(trace_line(&m->st, "<- CertificateVerify", line, sizeof(line)),
                           "scheme=ecdsa_secp256r1_sha256, signature valid");
            CHECK(pair_echo(m->p, "after post-handshake auth") == 0);
            CHECK(pair_transfer_both(m->p, 100000, 4000, 3) == 0);

            /* what an application kept from the first answer */
            const mutls_peer *first = mutls_conn_peer(m->p->s);
            const char *first_subject = mutls_conn_peer_subject(m->p->s);
            CHECK(mutls_conn_request_client_auth(m->p->s) == MUTLS_OK);
            /* data in flight in both directions around the request */
            CHECK(pair_send(m->p, PAIR_S2C, "s", 1) == 1);
            CHECK(pair_send(m->p, PAIR_C2S, "c", 1) == 1);
            pair_flush(m->p);
            CHECK(mutls_conn_error_code(m->p->c) == MUTLS_OK);
            CHECK(mutls_conn_error_code(m->p->s) == MUTLS_OK);
            {
                uint8_t b[4];
                CHECK(mutls_conn_read(m->p->c, b, sizeof(b)) == 1 && b[0] == 's');
                CHECK(mutls_conn_read(m->p->s, b, sizeof(b)) == 1 && b[0] == 'c');
            }
            CHECK(trace_count(&m->st, "-> CertificateRequest") == 2);
            CHECK(trace_count(&m->st, "<- Finished: post-handshake authentication complete") == 2);
            expect_client_identity(m, ALICE);
            /* "Owned by the connection; valid until it is freed": the
             * identity read after the first answer is still readable. */
            CHECK_STR(mutls_peer_subject(first), ALICE);
            CHECK_STR(mutls_peer_spiffe_id(first), "spiffe://example.org/alice");
            CHECK_STR(first_subject, ALICE);
            CHECK(pair_echo(m->p, "after the second request") == 0);
            /* a KeyUpdate after it, and a third request */
            CHECK(mutls_conn_key_update(m->p->s, 1) == 0);
            pair_flush(m->p);
            CHECK(mutls_conn_request_client_auth(m->p->s) == MUTLS_OK);
            pair_flush(m->p);
            CHECK(mutls_conn_error_code(m->p->s) == MUTLS_OK);
            CHECK(trace_count(&m->st, "<- Finished: post-handshake authentication complete") == 3);
            CHECK(pair_echo(m->p, "after a KeyUpdate and a third request") == 0);
        }
        mp_free(m);
    }

    say("post-handshake authentication interleaved with application data and a KeyUpdate");
    {
        pair_spec spec = pha_spec("client-bob-rsa", MUTLS_VERIFY_REQUIRE);
        mpair *m = mp_new(&spec);
        CHECK(m != NULL && run_handshake(m->p) == 0);
        if (m != NULL) {
            uint8_t b[16];
            uint16_t server_sig = mutls_conn_sig_scheme(m->p->s);
            CHECK(mutls_conn_request_client_auth(m->p->s) == MUTLS_OK);
            CHECK(mutls_conn_write(m->p->s, (const uint8_t *)"after-cr", 8) == 8);
            /* the client writes and updates its keys before it sees the request */
            CHECK(mutls_conn_write(m->p->c, (const uint8_t *)"before", 6) == 6);
            CHECK(mutls_conn_key_update(m->p->c, 1) == 0);
            CHECK(mutls_conn_write(m->p->c, (const uint8_t *)"updated", 7) == 7);
            pair_flush(m->p);
            CHECK(mutls_conn_error_code(m->p->s) == MUTLS_OK);
            CHECK(mutls_conn_error_code(m->p->c) == MUTLS_OK);
            if (mutls_conn_error_code(m->p->s) != MUTLS_OK ||
                mutls_conn_error_code(m->p->c) != MUTLS_OK)
                pair_dump(m->p, "pha + key update");
            CHECK(pair_recv(m->p, PAIR_C2S, b, 13) == 13 && memcmp(b, "beforeupdated", 13) == 0);
            CHECK(mutls_conn_read(m->p->c, b, sizeof(b)) == 8 && memcmp(b, "after-cr", 8) == 0);
            expect_client_identity(m, "CN=bob");
            {
                char line[512];
                CHECK_CONTAINS(trace_line(&m->st, "<- CertificateVerify", line, sizeof(line)),
                               "scheme=rsa_pss_rsae_sha256, signature valid");
            }
            /* the server still reports its own CertificateVerify scheme */
            CHECK(mutls_conn_sig_scheme(m->p->s) == server_sig);
            CHECK(mutls_conn_key_updates_received(m->p->s) == 1);
            CHECK(pair_echo(m->p, "after pha and a KeyUpdate") == 0);
        }
        mp_free(m);
    }

    say("server verify none with client CAs and post-handshake authentication configured");
    {
        pair_spec spec = pha_spec("client-alice", MUTLS_VERIFY_NONE);
        mpair *m = mp_new(&spec);
        CHECK(m != NULL && run_handshake(m->p) == 0);
        if (m != NULL) {
            int rc;
            CHECK(trace_count(&m->st, "-> CertificateRequest") == 0);
            rc = mutls_conn_request_client_auth(m->p->s);
            printf("    request_client_auth with verify none: %s\n", mutls_strerror(rc));
            pair_flush(m->p);
            CHECK(mutls_conn_error_code(m->p->s) == MUTLS_OK);
            CHECK(mutls_conn_error_code(m->p->c) == MUTLS_OK);
            if (rc == MUTLS_OK) {
                const mutls_peer *peer = mutls_conn_peer(m->p->s);
                printf("    peer after the answer: %s verified=%d\n",
                       peer ? mutls_peer_subject(peer) : "(none)", mutls_peer_verified(peer));
            }
        }
        mp_free(m);
    }

    say("the server sends a KeyUpdate while its request is pending");
    {
        pair_spec spec = pha_spec("client-alice", MUTLS_VERIFY_REQUIRE);
        mpair *m = mp_new(&spec);
        CHECK(m != NULL && run_handshake(m->p) == 0);
        if (m != NULL) {
            CHECK(mutls_conn_request_client_auth(m->p->s) == MUTLS_OK);
            CHECK(mutls_conn_key_update(m->p->s, 1) == MUTLS_OK);
            pair_flush(m->p);
            CHECK(mutls_conn_error_code(m->p->s) == MUTLS_OK);
            CHECK(mutls_conn_error_code(m->p->c) == MUTLS_OK);
            expect_client_identity(m, ALICE);
            CHECK(mutls_conn_key_updates_sent(m->p->s) == 1);
            CHECK(mutls_conn_key_updates_received(m->p->s) == 1); /* the client's answer */
            CHECK(pair_echo(m->p, "after a KeyUpdate during the request") == 0);
        }
        mp_free(m);
    }

    say("unsolicited post-handshake client authentication messages -> unexpected_message (10)");
    {
        /* Certificate: context<0>, certificate_list<0> */
        static const uint8_t cert[] = {11, 0, 0, 4, 0, 0, 0, 0};
        /* Finished with 32 bytes of verify_data */
        uint8_t fin[4 + 32] = {20, 0, 0, 32};
        const uint8_t *msgs[2] = {cert, fin};
        size_t lens[2] = {sizeof(cert), sizeof(fin)};
        for (int i = 0; i < 2; i++) {
            pair_spec spec = pha_spec("client-alice", MUTLS_VERIFY_REQUIRE);
            mpair *m = mp_new(&spec);
            CHECK(m != NULL && run_handshake(m->p) == 0);
            if (m == NULL)
                continue;
            CHECK(mt_rec_write(&m->p->c->rec, MT_CT_HANDSHAKE, msgs[i], lens[i], &m->p->c->err) ==
                  0);
            pair_flush(m->p);
            EXPECT_FATAL(m->p, DET_SERVER, MUTLS_ERR_PROTOCOL, 10,
                         i == 0 ? "Certificate that was not requested" : "Finished");
            mp_free(m);
        }
    }

    say("a post-handshake CertificateRequest to a client that did not offer it -> "
        "unexpected_message (10)");
    {
        /* context<1> = aa, extensions: signature_algorithms {ecdsa_secp256r1_sha256} */
        static const uint8_t cr[] = {13, 0, 0, 12, 1, 0xaa, 0, 8, 0, 13, 0, 4, 0, 2, 4, 3};
        pair_spec spec = pha_spec(NULL, MUTLS_VERIFY_OPTIONAL);
        mpair *m = mp_new(&spec);
        CHECK(m != NULL && run_handshake(m->p) == 0);
        if (m != NULL) {
            CHECK(mt_rec_write(&m->p->s->rec, MT_CT_HANDSHAKE, cr, sizeof(cr), &m->p->s->err) ==
                  0);
            pair_flush(m->p);
            EXPECT_FATAL(m->p, DET_CLIENT, MUTLS_ERR_PROTOCOL, 10, "did not offer");
        }
        mp_free(m);
    }

    say("a post-handshake Certificate that does not echo the request's context -> "
        "illegal_parameter (47)");
    {
        static const uint8_t cert[] = {11, 0, 0, 4 + 16, 16, 1, 2, 3, 4, 5, 6, 7, 8,
                                       9, 10, 11, 12, 13, 14, 15, 16, 0, 0, 0};
        pair_spec spec = pha_spec("client-alice", MUTLS_VERIFY_REQUIRE);
        mpair *m = mp_new(&spec);
        CHECK(m != NULL && run_handshake(m->p) == 0);
        if (m != NULL) {
            size_t n;
            CHECK(mutls_conn_request_client_auth(m->p->s) == MUTLS_OK);
            /* the request is lost: the client never answers it */
            mutls_conn_peek_output(m->p->s, &n);
            mutls_conn_consume_output(m->p->s, n);
            CHECK(mt_rec_write(&m->p->c->rec, MT_CT_HANDSHAKE, cert, sizeof(cert),
                               &m->p->c->err) == 0);
            pair_shuttle(m->p, PAIR_C2S);
            CHECK(mutls_conn_error_code(m->p->s) == MUTLS_ERR_PROTOCOL);
            CHECK(mutls_conn_alert_sent(m->p->s) == 47);
            CHECK_CONTAINS(mutls_conn_error(m->p->s), "context");
            CHECK(mutls_conn_peer(m->p->s) == NULL);
        }
        mp_free(m);
    }

    say("no request after close_notify, nor before the handshake completes");
    {
        pair_spec spec = pha_spec("client-alice", MUTLS_VERIFY_REQUIRE);
        mpair *m = mp_new(&spec);
        CHECK(m != NULL);
        if (m != NULL) {
            CHECK(mutls_conn_handshake(m->p->c) == MUTLS_WANT_READ);
            pair_shuttle(m->p, PAIR_C2S);
            CHECK(mutls_conn_request_client_auth(m->p->s) == MUTLS_ERR_INVALID_ARGUMENT);
            CHECK(run_handshake(m->p) == 0);
            CHECK(mutls_conn_close(m->p->s) == MUTLS_OK);
            CHECK(mutls_conn_request_client_auth(m->p->s) == MUTLS_ERR_INVALID_ARGUMENT);
            CHECK(mutls_conn_request_client_auth(NULL) == MUTLS_ERR_INVALID_ARGUMENT);
        }
        mp_free(m);
    }

    say("post-handshake authentication configured, TLS 1.2 client: asked in the handshake");
    {
        pair_spec spec = pha_spec("client-alice", MUTLS_VERIFY_REQUIRE);
        mpair *m;
        spec.client_min_version = spec.client_max_version = MUTLS_TLS1_2;
        m = mp_new(&spec);
        CHECK(m != NULL && run_handshake(m->p) == 0);
        if (m != NULL) {
            expect_connected(m, "TLS 1.2 with pha configured");
            CHECK(trace_count(&m->st, "-> CertificateRequest") == 1);
            expect_client_identity(m, ALICE);
            CHECK(mutls_conn_request_client_auth(m->p->s) == MUTLS_ERR_INVALID_ARGUMENT);
        }
        mp_free(m);
    }

    say("post-handshake authentication: a client without a certificate (no offer) is asked "
        "in the handshake -> certificate_required (116)");
    {
        pair_spec spec = pha_spec(NULL, MUTLS_VERIFY_REQUIRE);
        mpair *m = mp_new(&spec);
        CHECK(m != NULL && run_handshake(m->p) != 0);
        if (m != NULL) {
            CHECK(trace_count(&m->st, "-> CertificateRequest") == 1);
            EXPECT_FATAL(m->p, DET_SERVER, MUTLS_ERR_VERIFY, ALERT_CERTIFICATE_REQUIRED,
                         "sent no certificate", CLIENT_CA_NAME);
            CHECK_CONTAINS(mutls_conn_error(m->p->c),
                           "the server requires a client certificate and none is configured (it "
                           "accepts certificates from: " CLIENT_CA_NAME ")");
        }
        mp_free(m);
    }

    say("post-handshake authentication not offered (client without a certificate), optional: "
        "mutls_conn_request_client_auth -> MUTLS_ERR_INVALID_ARGUMENT");
    {
        pair_spec spec = pha_spec(NULL, MUTLS_VERIFY_OPTIONAL);
        mpair *m = mp_new(&spec);
        CHECK(m != NULL);
        if (m != NULL) {
            CHECK(mutls_conn_request_client_auth(m->p->s) == MUTLS_ERR_INVALID_ARGUMENT);
            CHECK(run_handshake(m->p) == 0);
            expect_connected(m, "no pha offered");
            CHECK(mutls_conn_peer(m->p->s) == NULL);
            CHECK(mutls_conn_request_client_auth(m->p->s) == MUTLS_ERR_INVALID_ARGUMENT);
            CHECK(mutls_conn_error_code(m->p->s) == MUTLS_OK);
            CHECK(pair_echo(m->p, "still fine") == 0);
        }
        mp_free(m);
    }

    say("post-handshake authentication with a certificate no CA of the request fits: empty "
        "Certificate -> certificate_required (116) after the handshake");
    {
        pair_spec spec = pha_spec("client-rogue", MUTLS_VERIFY_REQUIRE);
        mpair *m = mp_new(&spec);
        CHECK(m != NULL && run_handshake(m->p) == 0);
        if (m != NULL) {
            expect_connected(m, "before the request");
            CHECK(mutls_conn_request_client_auth(m->p->s) == MUTLS_OK);
            settle(m->p);
            EXPECT_FATAL(m->p, DET_SERVER, MUTLS_ERR_VERIFY, ALERT_CERTIFICATE_REQUIRED,
                         "sent no certificate", CLIENT_CA_NAME);
            CHECK_CONTAINS(mutls_conn_error(m->p->c), "none of ours fits its request");
            CHECK(mutls_conn_peer(m->p->s) == NULL);
        }
        mp_free(m);
    }

    say("post-handshake authentication, optional, client sends nothing: still connected");
    {
        pair_spec spec = pha_spec("client-rogue", MUTLS_VERIFY_OPTIONAL);
        mpair *m = mp_new(&spec);
        CHECK(m != NULL && run_handshake(m->p) == 0);
        if (m != NULL) {
            CHECK(mutls_conn_request_client_auth(m->p->s) == MUTLS_OK);
            pair_flush(m->p);
            CHECK(mutls_conn_error_code(m->p->s) == MUTLS_OK);
            CHECK(mutls_conn_error_code(m->p->c) == MUTLS_OK);
            CHECK(mutls_conn_peer(m->p->s) == NULL);
            CHECK(pair_echo(m->p, "no certificate, optional") == 0);
            /* and it may ask again */
            CHECK(mutls_conn_request_client_auth(m->p->s) == MUTLS_OK);
            pair_flush(m->p);
            CHECK(mutls_conn_error_code(m->p->s) == MUTLS_OK);
        }
        mp_free(m);
    }

    say("post-handshake authentication, wrong key -> decrypt_error (51)");
    {
        pair_spec spec = pha_spec("client-alice", MUTLS_VERIFY_REQUIRE);
        mpair *m = mp_new(&spec);
        CHECK(m != NULL && swap_client_key(m) == 0);
        CHECK(m != NULL && run_handshake(m->p) == 0);
        if (m != NULL) {
            const mutls_peer *peer;
            expect_connected(m, "before the request");
            CHECK(mutls_conn_request_client_auth(m->p->s) == MUTLS_OK);
            settle(m->p);
            EXPECT_FATAL(m->p, DET_SERVER, MUTLS_ERR_PROTOCOL, ALERT_DECRYPT_ERROR,
                         "client CertificateVerify", "does not verify");
            CHECK_CONTAINS(mutls_conn_error(m->p->c),
                           "the server rejected our client certificate " ALICE);
            peer = mutls_conn_peer(m->p->s);
            CHECK(peer != NULL && mutls_peer_verified(peer) == 0);
            CHECK_STR(mutls_peer_subject(peer), ALICE);
            CHECK_CONTAINS(mutls_peer_verify_error(peer), "CertificateVerify");
        }
        mp_free(m);
    }

    say("post-handshake authentication, expired certificate -> certificate_expired (45)");
    {
        pair_spec spec = pha_spec("client-expired", MUTLS_VERIFY_OPTIONAL);
        mpair *m = mp_new(&spec);
        CHECK(m != NULL && run_handshake(m->p) == 0);
        if (m != NULL) {
            const mutls_peer *peer;
            CHECK(mutls_conn_request_client_auth(m->p->s) == MUTLS_OK);
            settle(m->p);
            EXPECT_FATAL(m->p, DET_SERVER, MUTLS_ERR_VERIFY, ALERT_CERTIFICATE_EXPIRED,
                         "CN=expired client", "expired 2021-01-01T00:00:00Z");
            CHECK_CONTAINS(mutls_conn_error(m->p->c),
                           "the server rejected our client certificate CN=expired client");
            peer = mutls_conn_peer(m->p->s);
            CHECK(peer != NULL && mutls_peer_verified(peer) == 0);
            CHECK_CONTAINS(mutls_peer_verify_error(peer), "expired");
        }
        mp_free(m);
    }
}

int main(void)
{
    test_matrix();
    test_timing();
    test_variations();
    test_key_types();
    test_choice();
    test_identity();
    test_bad_spiffe();
    test_pha();
    TEST_MAIN_END();
}

/*
 * Every failure path over an in-memory pair: the detecting side sends the
 * RFC 8446 alert and says why in its error text, the other side receives
 * that alert, and both connections stay frozen on their error.
 *
 * Some faults cannot be produced through the public API (a server signing
 * with a key that does not match its certificate, oversized plaintext, a
 * protected ClientHello after the handshake); those reach into the
 * internal structures (core/conn.h) of an otherwise normal pair.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include "core/conn.h"
#include "crypto/pkey_evp.h"
#include "pair_expect.h"

/* ---- a configurable tamper hook ----------------------------------------- */

enum { T_FLIP, T_DROP, T_EOF_AFTER, T_DUP, T_CUT_LAST, T_APPEND, T_SPLIT_CCS };

typedef struct {
    pair_dir dir;
    long index;      /* record index in dir, or -1: the first record of `type` */
    int type;        /* outer content type for index -1 */
    int action;
    long offset;     /* T_FLIP: byte offset in the record; < 0 from the end */
    uint8_t mask;    /* T_FLIP: bits to flip (default 0x01) */
    const uint8_t *extra; /* T_APPEND */
    size_t extra_len;
    int hits;        /* times the action was applied */
} tamper;

static void tamper_fn(pair *p, pair_record *r, void *ctx)
{
    tamper *t = ctx;
    (void)p;
    if (r->dir != t->dir || t->hits > 0)
        return;
    if (t->index >= 0 ? (long)r->index != t->index : r->data[0] != t->type)
        return;
    t->hits++;
    switch (t->action) {
    case T_FLIP: {
        size_t at = t->offset < 0 ? r->len - (size_t)-t->offset : (size_t)t->offset;
        if (at < r->len)
            r->data[at] ^= t->mask ? t->mask : 0x01;
        break;
    }
    case T_DROP:
        r->drop = 1;
        break;
    case T_EOF_AFTER:
        r->eof = 1;
        break;
    case T_DUP: {
        uint8_t *copy = malloc(r->len);
        size_t n = r->len;
        if (copy == NULL)
            abort();
        memcpy(copy, r->data, n);
        if (pair_record_append(r, copy, n) != 0)
            abort();
        free(copy);
        break;
    }
    case T_CUT_LAST: {
        size_t body = r->len - 6;
        r->len--;
        r->data[3] = (uint8_t)(body >> 8);
        r->data[4] = (uint8_t)body;
        break;
    }
    case T_APPEND: { /* more bytes inside the same record */
        size_t body = r->len - 5 + t->extra_len;
        if (pair_record_append(r, t->extra, t->extra_len) != 0)
            abort();
        r->data[3] = (uint8_t)(body >> 8);
        r->data[4] = (uint8_t)body;
        break;
    }
    case T_SPLIT_CCS: { /* two records with a change_cipher_spec between */
        static const uint8_t ccs[6] = {20, 3, 3, 0, 1, 1};
        uint8_t *copy = malloc(r->len);
        size_t body = r->len - 5, first = body / 2;
        uint8_t hdr[5];
        if (copy == NULL)
            abort();
        memcpy(copy, r->data, r->len);
        memcpy(hdr, copy, 5);
        hdr[3] = (uint8_t)(first >> 8), hdr[4] = (uint8_t)first;
        r->len = 0;
        if (pair_record_append(r, hdr, 5) != 0 || pair_record_append(r, copy + 5, first) != 0 ||
            pair_record_append(r, ccs, sizeof(ccs)) != 0)
            abort();
        hdr[3] = (uint8_t)((body - first) >> 8), hdr[4] = (uint8_t)(body - first);
        if (pair_record_append(r, hdr, 5) != 0 ||
            pair_record_append(r, copy + 5 + first, body - first) != 0)
            abort();
        free(copy);
        break;
    }
    }
}

/* Replace the second ClientHello with a copy of the first: a client
 * that ignores the HelloRetryRequest. */
typedef struct {
    uint8_t *first;
    size_t len;
    int replaced;
} resend_first;

static void resend_first_hello(pair *p, pair_record *r, void *ctx)
{
    resend_first *rf = ctx;
    (void)p;
    if (r->dir != PAIR_C2S || r->data[0] != 22 || r->len < 6 || r->data[5] != 1)
        return;
    if (rf->first == NULL) {
        if ((rf->first = malloc(r->len)) == NULL)
            abort();
        memcpy(rf->first, r->data, r->len);
        rf->len = r->len;
    } else if (!rf->replaced) {
        if (pair_record_set(r, rf->first, rf->len) != 0)
            abort();
        rf->replaced = 1;
    }
}

static pair *connected_pair(const pair_spec *spec)
{
    pair *p = pair_new(spec);
    CHECK(p != NULL);
    if (p == NULL)
        return NULL;
    CHECK(pair_handshake(p) == 0);
    CHECK_CONNECTED(p);
    return p;
}

/* ---- certificate verification ------------------------------------------- */

static void test_certificates(void)
{
    static const struct {
        const char *what, *chain, *name, *ca;
        int64_t now;
        int alert;
        const char *needle1, *needle2;
    } cases[] = {
        {"wrong host name", "server-ecdsa-p256", "other.example", NULL, 0, 42, "other.example",
         "localhost"},
        {"certificate for another name", "server-wrong-name", "localhost", NULL, 0, 42,
         "other.example", "localhost"},
        {"IP-looking dNSName does not match the IP", "server-wrong-name", "10.0.0.1", NULL, 0, 42,
         "10.0.0.1", "IP address"},
        {"wildcard covers one label only", "server-wildcard", "deep.a.example.test", NULL, 0, 42,
         "deep.a.example.test", "*.example.test"},
        {"CN without subjectAltName is not a name", "server-cn-only", "localhost", NULL, 0, 42,
         "subjectAltName", "localhost"},
        {"IP-only certificate for a DNS name", "server-ip-only", "localhost", NULL, 0, 42,
         "127.0.0.1", "localhost"},
        {"expired certificate", "server-expired", "localhost", NULL, 0, 45, "expired",
         "2021-01-01"},
        {"not yet valid certificate", "server-not-yet-valid", "localhost", NULL, 0, 45,
         "not yet valid", "2090-01-01"},
        {"expired by the clock hook", "server-ecdsa-p256", "localhost", NULL,
         INT64_C(4200000000) /* 2103 */, 45, "expired", "2100-01-01"},
        {"untrusted issuer", "server-rogue", "localhost", NULL, 0, 48, "CN=rogue CA", "trusted"},
        {"client trusts another CA", "server-ecdsa-p256", "localhost", "rogue-ca.pem", 0, 48,
         "CN=mutls test", "trusted"},
        {"wrong extended key usage", "server-wrong-eku", "localhost", NULL, 0, 43,
         "extended key usage", "server"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        pair_spec spec = {.server_chains = {cases[i].chain}, .server_name = cases[i].name,
                          .client_ca = cases[i].ca, .now = cases[i].now};
        pair *p = pair_new(&spec);
        say("%s: %s for \"%s\" -> %s (%d)", cases[i].what, cases[i].chain, cases[i].name,
            mutls_alert_name((uint8_t)cases[i].alert), cases[i].alert);
        CHECK(p != NULL);
        if (p == NULL)
            continue;
        CHECK(pair_handshake(p) != 0);
        EXPECT_FATAL(p, DET_CLIENT, MUTLS_ERR_VERIFY, cases[i].alert, cases[i].needle1,
                     cases[i].needle2);
        CHECK(!mutls_conn_peer_verified(p->c));
        CHECK(mutls_conn_peer_subject(p->c) != NULL); /* kept for the logs */
        CHECK(!mutls_conn_handshake_done(p->c) && !mutls_conn_handshake_done(p->s));
        pair_free(p);
    }

    say("the clock hook decides validity: expired/not-yet-valid certificates at their time");
    {
        pair_spec a = {.server_chains = {"server-expired"}, .now = INT64_C(1590969600)};
        pair_spec b = {.server_chains = {"server-not-yet-valid"}, .now = INT64_C(3786912000)};
        pair *p = connected_pair(&a); /* 2020-06-01 */
        CHECK(p != NULL && mutls_conn_peer_verified(p->c));
        pair_free(p);
        p = connected_pair(&b); /* 2090-01-01 + 10 days */
        CHECK(p != NULL && mutls_conn_peer_verified(p->c));
        pair_free(p);
    }

    say("no verification: the same bad certificates are accepted, and reported unverified");
    {
        pair_spec spec = {.server_chains = {"server-rogue"}, .client_verify_none = 1,
                          .server_name = "other.example"};
        pair *p = connected_pair(&spec);
        CHECK(p != NULL && !mutls_conn_peer_verified(p->c));
        CHECK(p != NULL && mutls_conn_peer_subject(p->c) != NULL);
        pair_free(p);
    }
}

/* ---- a server signing with the wrong key -------------------------------- */

static void test_bad_signature(void)
{
    static const struct {
        const char *chain, *scheme;
        int kind;
    } cases[] = {
        {"server-ecdsa-p256", "ecdsa_secp256r1_sha256", 0},
        {"server-ed25519", "ed25519", 1},
        {"server-rsa2048", "rsa_pss_rsae_sha256", 2},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        pair_spec spec = {.server_chains = {cases[i].chain}};
        pair *p = pair_new(&spec);
        EVP_PKEY *k = NULL;
        mt_pkey *wrong, *right;

        say("server %s signs CertificateVerify with another %s key: decrypt_error (51)",
            cases[i].chain, cases[i].scheme);
        CHECK(p != NULL);
        if (p == NULL)
            continue;
        switch (cases[i].kind) {
        case 0: k = EVP_EC_gen("P-256"); break;
        case 1: k = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519"); break;
        default: k = EVP_RSA_gen(2048); break;
        }
        wrong = mt_pkey_wrap_evp(k);
        CHECK(wrong != NULL);
        if (wrong == NULL) {
            pair_free(p);
            continue;
        }
        /* The configuration is frozen (the connections exist): swap the
         * key under it, as a broken key store would. */
        right = p->scfg->chains[0]->key;
        CHECK(mt_pkey_type(wrong) == mt_pkey_type(right) && !mt_pkey_same_public(wrong, right));
        p->scfg->chains[0]->key = wrong;
        CHECK(pair_handshake(p) != 0);
        EXPECT_FATAL(p, DET_CLIENT, MUTLS_ERR_PROTOCOL, 51, "CertificateVerify", cases[i].scheme);
        CHECK(mutls_conn_peer_verified(p->c)); /* the chain itself was fine */
        p->scfg->chains[0]->key = right;
        mt_pkey_free(wrong);
        pair_free(p);
    }
}

/* ---- records tampered with in flight ------------------------------------ */

static void tamper_case(const char *what, const pair_spec *spec, tamper t, int after_handshake,
                        int det_server, int code, int alert, const char *needle)
{
    pair *p = pair_new(spec);
    say("%s -> %s (%d) from the %s", what, alert >= 0 ? mutls_alert_name((uint8_t)alert) : "no alert",
        alert, det_server ? "server" : "client");
    CHECK(p != NULL);
    if (p == NULL)
        return;
    if (after_handshake) {
        CHECK(pair_handshake(p) == 0);
        CHECK(pair_echo(p, "before the fault") == 0);
    }
    pair_set_tamper(p, tamper_fn, &t);
    if (after_handshake) {
        /* the second write may already meet a frozen connection */
        (void)pair_send(p, PAIR_C2S, "client data", 11);
        (void)pair_send(p, PAIR_S2C, "server data", 11);
        pair_flush(p);
        uint8_t buf[64];
        (void)mutls_conn_read(p->c, buf, sizeof(buf));
        (void)mutls_conn_read(p->s, buf, sizeof(buf));
    } else {
        CHECK(pair_handshake(p) != 0);
    }
    CHECK(t.hits == 1);
    EXPECT_FATAL(p, det_server, code, alert, needle);
    pair_free(p);
}

/* An altered hello: each side derives other handshake keys, so the
 * client's alert (protected under its handshake key, RFC 8446 5) cannot
 * be read by the server either, which then sends bad_record_mac too. */
static void key_mismatch_case(const char *what, tamper t)
{
    pair *p = pair_new(NULL);
    say("%s: both sides fail with bad_record_mac (20)", what);
    CHECK(p != NULL);
    if (p == NULL)
        return;
    pair_set_tamper(p, tamper_fn, &t);
    CHECK(pair_handshake(p) != 0);
    CHECK(t.hits == 1);
    printf("    client: %s\n    server: %s\n", mutls_conn_error(p->c), mutls_conn_error(p->s));
    CHECK(mutls_conn_error_code(p->c) == MUTLS_ERR_PROTOCOL && mutls_conn_alert_sent(p->c) == 20);
    CHECK(mutls_conn_error_code(p->s) == MUTLS_ERR_PROTOCOL && mutls_conn_alert_sent(p->s) == 20);
    CHECK_CONTAINS(mutls_conn_error(p->c), "bad_record_mac");
    CHECK_CONTAINS(mutls_conn_error(p->s), "bad_record_mac");
    /* the client failed first, at the server's first protected record */
    CHECK(mutls_conn_peer_subject(p->c) == NULL);
    expect_sticky_(p->c, MUTLS_ERR_PROTOCOL, __FILE__, __LINE__);
    expect_sticky_(p->s, MUTLS_ERR_PROTOCOL, __FILE__, __LINE__);
    pair_free(p);
}

static void test_tampering(void)
{
    static const pair_spec def, nomb = {.no_middlebox = 1};
    static const pair_spec hrr = {.client_groups = "x25519,secp256r1", .server_groups = "secp256r1"};
    tamper t;

    t = (tamper){.dir = PAIR_C2S, .index = -1, .type = 23, .action = T_FLIP, .offset = 7};
    tamper_case("one bit flipped in a client application-data record", &def, t, 1, DET_SERVER,
                MUTLS_ERR_PROTOCOL, 20, "authentication");
    t = (tamper){.dir = PAIR_S2C, .index = -1, .type = 23, .action = T_FLIP, .offset = -1,
                 .mask = 0x80};
    tamper_case("one bit flipped in the tag of a server application-data record", &def, t, 1,
                DET_CLIENT, MUTLS_ERR_PROTOCOL, 20, "bad_record_mac");
    t = (tamper){.dir = PAIR_S2C, .index = -1, .type = 23, .action = T_FLIP, .offset = 2};
    tamper_case("record header (additional data) changed", &def, t, 1, DET_CLIENT,
                MUTLS_ERR_PROTOCOL, 20, "authentication");
    t = (tamper){.dir = PAIR_C2S, .index = -1, .type = 23, .action = T_DUP};
    tamper_case("a client record replayed", &def, t, 1, DET_SERVER, MUTLS_ERR_PROTOCOL, 20,
                "authentication");
    t = (tamper){.dir = PAIR_S2C, .index = -1, .type = 23, .action = T_CUT_LAST};
    tamper_case("a server record shortened by one byte", &def, t, 1, DET_CLIENT,
                MUTLS_ERR_PROTOCOL, 20, "authentication");

    t = (tamper){.dir = PAIR_S2C, .index = 0, .action = T_FLIP, .offset = 20};
    key_mismatch_case("ServerHello random altered", t);
    t = (tamper){.dir = PAIR_C2S, .index = 0, .action = T_FLIP, .offset = 20};
    key_mismatch_case("ClientHello random altered", t);
    t = (tamper){.dir = PAIR_S2C, .index = -1, .type = 23, .action = T_FLIP, .offset = 30};
    tamper_case("server's EncryptedExtensions record altered", &def, t, 0, DET_CLIENT,
                MUTLS_ERR_PROTOCOL, 20, "authentication");
    t = (tamper){.dir = PAIR_S2C, .index = -1, .type = 23, .action = T_DROP};
    tamper_case("server's EncryptedExtensions record dropped", &nomb, t, 0, DET_CLIENT,
                MUTLS_ERR_PROTOCOL, 20, "authentication");
    t = (tamper){.dir = PAIR_C2S, .index = -1, .type = 20, .action = T_FLIP, .offset = 5,
                 .mask = 0x02};
    tamper_case("client change_cipher_spec payload 0x03", &def, t, 0, DET_SERVER,
                MUTLS_ERR_PROTOCOL, 10, "change_cipher_spec");
    t = (tamper){.dir = PAIR_C2S, .index = -1, .type = 20, .action = T_DUP};
    tamper_case("two change_cipher_spec records", &def, t, 0, DET_SERVER, MUTLS_ERR_PROTOCOL, 10,
                "change_cipher_spec");
    t = (tamper){.dir = PAIR_S2C, .index = 0, .action = T_FLIP, .offset = -1};
    tamper_case("HelloRetryRequest cookie altered: not echoed", &hrr, t, 0, DET_SERVER,
                MUTLS_ERR_PROTOCOL, 47, "cookie");

    t = (tamper){.dir = PAIR_C2S, .index = 0, .action = T_SPLIT_CCS};
    tamper_case("change_cipher_spec inside a fragmented ClientHello", &def, t, 0, DET_SERVER,
                MUTLS_ERR_PROTOCOL, 10, "fragmented");
    {
        static const uint8_t fin0[4] = {20, 0, 0, 0};
        t = (tamper){.dir = PAIR_C2S, .index = 0, .action = T_APPEND, .extra = fin0,
                     .extra_len = sizeof(fin0)};
        tamper_case("bytes after the ClientHello in its record (across a key change)", &nomb, t,
                    0, DET_SERVER, MUTLS_ERR_PROTOCOL, 10, "after ClientHello");
        t = (tamper){.dir = PAIR_S2C, .index = 0, .action = T_APPEND, .extra = fin0,
                     .extra_len = 2};
        tamper_case("bytes after the ServerHello in its record (across a key change)", &nomb, t,
                    0, DET_CLIENT, MUTLS_ERR_PROTOCOL, 10, "after ServerHello");
    }
    say("client ignores the HelloRetryRequest (sends its first hello again) -> "
        "illegal_parameter (47)");
    {
        resend_first rf = {0};
        pair *p = pair_new(&hrr);
        CHECK(p != NULL);
        if (p != NULL) {
            pair_set_tamper(p, resend_first_hello, &rf);
            CHECK(pair_handshake(p) != 0);
            CHECK(rf.replaced);
            EXPECT_FATAL(p, DET_SERVER, MUTLS_ERR_PROTOCOL, 47, "key share", "secp256r1");
        }
        free(rf.first);
        pair_free(p);
    }
    t = (tamper){.dir = PAIR_S2C, .index = 0, .action = T_EOF_AFTER};
    tamper_case("stream ends after the ServerHello", &def, t, 0, DET_CLIENT, MUTLS_ERR_TRUNCATED,
                -1, "during the handshake");
    t = (tamper){.dir = PAIR_C2S, .index = 0, .action = T_DROP};
    {
        /* The ClientHello never arrives; then both streams end. */
        pair *p = pair_new(NULL);
        say("stream ends before the ClientHello arrives: both sides see truncation");
        CHECK(p != NULL);
        if (p != NULL) {
            pair_set_tamper(p, tamper_fn, &t);
            CHECK(pair_handshake(p) != 0);
            CHECK(p->crc == MUTLS_WANT_READ && p->src == MUTLS_WANT_READ);
            CHECK(pair_eof(p, PAIR_C2S) == MUTLS_ERR_TRUNCATED);
            CHECK(pair_eof(p, PAIR_S2C) == MUTLS_ERR_TRUNCATED);
            CHECK(mutls_conn_error_code(p->s) == MUTLS_ERR_TRUNCATED);
            CHECK(mutls_conn_error_code(p->c) == MUTLS_ERR_TRUNCATED);
            CHECK_CONTAINS(mutls_conn_error(p->s), "ClientHello");
            CHECK_CONTAINS(mutls_conn_error(p->c), "ServerHello");
            CHECK(mutls_conn_alert_sent(p->c) == -1 && mutls_conn_alert_sent(p->s) == -1);
            expect_sticky_(p->c, MUTLS_ERR_TRUNCATED, __FILE__, __LINE__);
            expect_sticky_(p->s, MUTLS_ERR_TRUNCATED, __FILE__, __LINE__);
            pair_free(p);
        }
    }
}

/* ---- oversized records -------------------------------------------------- */

static void test_oversized(void)
{
    pair *p;
    uint8_t *big = calloc(1, 20000);
    CHECK(big != NULL);
    if (big == NULL)
        return;

    say("protected record header announcing 2^14+257 bytes -> record_overflow (22)");
    p = connected_pair(NULL);
    if (p != NULL) {
        static const uint8_t hdr[5] = {23, 3, 3, 0x41, 0x01}; /* 16641 */
        CHECK(pair_inject(p, PAIR_C2S, hdr, sizeof(hdr)) == MUTLS_ERR_PROTOCOL);
        EXPECT_FATAL(p, DET_SERVER, MUTLS_ERR_PROTOCOL, 22, "16641");
    }
    pair_free(p);

    say("protected record of exactly 2^14+256 bytes is framed, then fails authentication (20)");
    p = connected_pair(NULL);
    if (p != NULL) {
        big[0] = 23, big[1] = 3, big[2] = 3, big[3] = 0x41, big[4] = 0x00; /* 16640 */
        CHECK(pair_inject(p, PAIR_C2S, big, 5 + 16640) == MUTLS_ERR_PROTOCOL);
        EXPECT_FATAL(p, DET_SERVER, MUTLS_ERR_PROTOCOL, 20, "authentication");
    }
    pair_free(p);

    say("plaintext handshake record of 2^14+1 bytes before the handshake -> record_overflow");
    p = pair_new(NULL);
    CHECK(p != NULL);
    if (p != NULL) {
        static const uint8_t hdr[5] = {22, 3, 1, 0x40, 0x01};
        CHECK(pair_inject(p, PAIR_C2S, hdr, sizeof(hdr)) == MUTLS_ERR_PROTOCOL);
        EXPECT_FATAL(p, DET_SERVER, MUTLS_ERR_PROTOCOL, 22, "exceeds");
    }
    pair_free(p);

    say("client protects 2^14+1 bytes of plaintext in one record -> record_overflow (22)");
    p = connected_pair(NULL);
    if (p != NULL) {
        p->c->rec.send_plaintext_max = MT_MAX_PLAINTEXT + 1; /* a broken peer */
        CHECK(pair_send(p, PAIR_C2S, big, MT_MAX_PLAINTEXT + 1) == MT_MAX_PLAINTEXT + 1);
        EXPECT_FATAL(p, DET_SERVER, MUTLS_ERR_PROTOCOL, 22, "16386");
    }
    pair_free(p);

    say("server ignores the client's record_size_limit 512 -> client sends record_overflow");
    {
        pair_spec spec = {.client_record_size_limit = 512};
        p = connected_pair(&spec);
        if (p != NULL) {
            CHECK(pair_send(p, PAIR_S2C, big, 511) == 511); /* at the limit: fine */
            CHECK(pair_recv(p, PAIR_S2C, big + 10000, 1000) == 511);
            p->s->rec.send_plaintext_max = 512; /* one byte too many */
            CHECK(pair_send(p, PAIR_S2C, big, 512) == 512);
            EXPECT_FATAL(p, DET_CLIENT, MUTLS_ERR_PROTOCOL, 22, "512");
        }
        pair_free(p);
    }
    free(big);
}

/* ---- unexpected messages ------------------------------------------------ */

/* The first record a server (built from spec; NULL: defaults) receives
 * is refused with `alert`, sent in the clear as its only output. */
static void first_record_case_spec(const pair_spec *spec, const char *what, const uint8_t *rec,
                                   size_t n, int code, int alert, const char *needle)
{
    pair *p = pair_new(spec);
    say("%s -> %s (%d)", what, mutls_alert_name((uint8_t)alert), alert);
    CHECK(p != NULL);
    if (p == NULL)
        return;
    CHECK(pair_inject(p, PAIR_C2S, rec, n) == code);
    /* An unprotected alert, as the first and only thing the server sends. */
    {
        size_t len;
        const uint8_t *out = mutls_conn_peek_output(p->s, &len);
        CHECK(len == 7 && out[0] == 21 && out[1] == 3 && out[2] == 3 && out[3] == 0 &&
              out[4] == 2 && out[5] == 2 && out[6] == alert);
    }
    EXPECT_FATAL(p, DET_SERVER, code, alert, needle);
    pair_free(p);
}

static void first_record_case(const char *what, const uint8_t *rec, size_t n, int code, int alert,
                              const char *needle)
{
    first_record_case_spec(NULL, what, rec, n, code, alert, needle);
}

static void test_unexpected(void)
{
    static const uint8_t finished[5 + 4 + 32] = {22, 3, 3, 0, 36, 20, 0, 0, 32};
    static const uint8_t key_update[] = {22, 3, 3, 0, 5, 24, 0, 0, 1, 0};
    static const uint8_t app_data[] = {23, 3, 3, 0, 3, 'a', 'b', 'c'};
    static const uint8_t ccs[] = {20, 3, 3, 0, 1, 1};
    static const uint8_t type24[] = {24, 3, 3, 0, 1, 1};
    static const uint8_t empty_hs[] = {22, 3, 1, 0, 0};
    static const uint8_t http[] = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n";
    static const uint8_t sslv2[] = {0x80, 0x2e, 0x01, 0x00, 0x02, 0x00, 0x15, 0x00, 0x00};

    first_record_case("plaintext Finished as the first record to a server", finished,
                      sizeof(finished), MUTLS_ERR_PROTOCOL, 10, "Finished");
    first_record_case("KeyUpdate before the handshake", key_update, sizeof(key_update),
                      MUTLS_ERR_PROTOCOL, 10, "KeyUpdate");
    first_record_case("application data before the handshake", app_data, sizeof(app_data),
                      MUTLS_ERR_PROTOCOL, 10, "application data");
    first_record_case("change_cipher_spec before the ClientHello", ccs, sizeof(ccs),
                      MUTLS_ERR_PROTOCOL, 10, "change_cipher_spec");
    first_record_case("record of unknown content type 24", type24, sizeof(type24),
                      MUTLS_ERR_PROTOCOL, 10, "24");
    first_record_case("empty handshake record", empty_hs, sizeof(empty_hs), MUTLS_ERR_PROTOCOL,
                      10, "empty");
    first_record_case("an HTTP request instead of TLS", http, sizeof(http) - 1,
                      MUTLS_ERR_PROTOCOL, 50, "TLS record");
    first_record_case("an SSLv2-style hello", sslv2, sizeof(sslv2), MUTLS_ERR_PROTOCOL, 50,
                      "TLS record");

    say("change_cipher_spec after the handshake -> unexpected_message (10)");
    {
        pair *p = connected_pair(NULL);
        if (p != NULL) {
            CHECK(pair_inject(p, PAIR_C2S, ccs, sizeof(ccs)) == MUTLS_ERR_PROTOCOL);
            EXPECT_FATAL(p, DET_SERVER, MUTLS_ERR_PROTOCOL, 10, "change_cipher_spec");
        }
        pair_free(p);
    }

    say("a protected ClientHello after the handshake -> unexpected_message (10)");
    {
        pair *p = connected_pair(NULL);
        if (p != NULL) {
            static const uint8_t ch[] = {1, 0, 0, 2, 3, 3};
            /* protected with the client's application key, as a record */
            CHECK(mt_rec_write(&p->c->rec, MT_CT_HANDSHAKE, ch, sizeof(ch), &p->c->err) == 0);
            pair_flush(p);
            EXPECT_FATAL(p, DET_SERVER, MUTLS_ERR_PROTOCOL, 10, "ClientHello");
        }
        pair_free(p);
    }

    say("a protected ServerHello after the handshake -> unexpected_message (10)");
    {
        pair *p = connected_pair(NULL);
        if (p != NULL) {
            static const uint8_t sh[] = {2, 0, 0, 2, 3, 3};
            CHECK(mt_rec_write(&p->s->rec, MT_CT_HANDSHAKE, sh, sizeof(sh), &p->s->err) == 0);
            pair_flush(p);
            EXPECT_FATAL(p, DET_CLIENT, MUTLS_ERR_PROTOCOL, 10, "ServerHello");
        }
        pair_free(p);
    }

    say("an unprotected alert after keys are installed -> unexpected_message (10)");
    {
        pair *p = connected_pair(NULL);
        if (p != NULL) {
            static const uint8_t alert[] = {21, 3, 3, 0, 2, 2, 40};
            CHECK(pair_inject(p, PAIR_S2C, alert, sizeof(alert)) == MUTLS_ERR_PROTOCOL);
            EXPECT_FATAL(p, DET_CLIENT, MUTLS_ERR_PROTOCOL, 10, "alert");
        }
        pair_free(p);
    }

    say("a KeyUpdate with request_update=2 -> illegal_parameter (47)");
    {
        pair *p = connected_pair(NULL);
        if (p != NULL) {
            static const uint8_t ku[] = {24, 0, 0, 1, 2};
            CHECK(mt_rec_write(&p->c->rec, MT_CT_HANDSHAKE, ku, sizeof(ku), &p->c->err) == 0);
            pair_flush(p);
            EXPECT_FATAL(p, DET_SERVER, MUTLS_ERR_PROTOCOL, 47, "request_update");
        }
        pair_free(p);
    }
}

/* ---- post-handshake messages -------------------------------------------- */

static void test_post_handshake(void)
{
    /* NewSessionTicket: lifetime, age_add, nonce<1>, ticket<2>, extensions<2> */
    static const uint8_t nst_ok[] = {4, 0, 0, 18, 0, 0, 0x0e, 0x10, 1, 2, 3, 4,
                                     1, 9, 0, 4, 't', 'i', 'c', 'k', 0, 0};
    static const uint8_t nst_long[] = {4, 0, 0, 18, 0, 0x09, 0x3a, 0x81, 1, 2, 3, 4,
                                       1, 9, 0, 4, 't', 'i', 'c', 'k', 0, 0}; /* 604801 s */

    say("a NewSessionTicket is accepted and ignored by the client (no resumption)");
    {
        pair *p = connected_pair(NULL);
        if (p != NULL) {
            CHECK(mt_rec_write(&p->s->rec, MT_CT_HANDSHAKE, nst_ok, sizeof(nst_ok), &p->s->err) ==
                  0);
            pair_flush(p);
            CHECK(mutls_conn_error_code(p->c) == MUTLS_OK);
            CHECK(pair_echo(p, "after a ticket") == 0);
        }
        pair_free(p);
    }

    say("a NewSessionTicket lifetime over seven days -> illegal_parameter (47)");
    {
        pair *p = connected_pair(NULL);
        if (p != NULL) {
            CHECK(mt_rec_write(&p->s->rec, MT_CT_HANDSHAKE, nst_long, sizeof(nst_long),
                               &p->s->err) == 0);
            pair_flush(p);
            EXPECT_FATAL(p, DET_CLIENT, MUTLS_ERR_PROTOCOL, 47, "604801");
        }
        pair_free(p);
    }

    say("a NewSessionTicket sent to a server -> unexpected_message (10)");
    {
        pair *p = connected_pair(NULL);
        if (p != NULL) {
            CHECK(mt_rec_write(&p->c->rec, MT_CT_HANDSHAKE, nst_ok, sizeof(nst_ok), &p->c->err) ==
                  0);
            pair_flush(p);
            EXPECT_FATAL(p, DET_SERVER, MUTLS_ERR_PROTOCOL, 10, "NewSessionTicket");
        }
        pair_free(p);
    }

    say("a zero-length application data record is accepted (RFC 8446 5.1)");
    {
        pair *p = connected_pair(NULL);
        if (p != NULL) {
            uint8_t buf[8];
            CHECK(mt_rec_write(&p->c->rec, MT_CT_APPLICATION_DATA, buf, 0, &p->c->err) == 0);
            pair_flush(p);
            CHECK(mutls_conn_read(p->s, buf, sizeof(buf)) == MUTLS_WANT_READ);
            CHECK(mutls_conn_error_code(p->s) == MUTLS_OK);
            CHECK(pair_echo(p, "after an empty record") == 0);
        }
        pair_free(p);
    }
}

/* ---- close_notify before the handshake completes ------------------------ */

static void test_close_during_handshake(void)
{
    say("close before the handshake completes: nothing follows close_notify, both stop");
    {
        pair *p = pair_new(NULL);
        CHECK(p != NULL);
        if (p != NULL) {
            CHECK(mutls_conn_handshake(p->c) == MUTLS_WANT_READ);
            CHECK(mutls_conn_close(p->c) == 0); /* the client gives up */
            CHECK(mutls_conn_error_code(p->c) == MUTLS_ERR_CLOSED);
            CHECK(mutls_conn_handshake(p->c) == MUTLS_ERR_CLOSED);
            CHECK_CONTAINS(mutls_conn_error(p->c), "during the handshake");
            CHECK(pair_shuttle(p, PAIR_C2S) > 0);
            CHECK(p->records[PAIR_C2S] == 2); /* ClientHello, close_notify */
            /* The server cannot complete either: waiting would hang an
             * event loop (the fd adapter would spin on end of stream). */
            CHECK(mutls_conn_handshake(p->s) == MUTLS_ERR_CLOSED);
            CHECK_CONTAINS(mutls_conn_error(p->s), "close_notify");
            CHECK_CONTAINS(mutls_conn_error(p->s), "handshake");
            printf("    client: %s: %s\n", mutls_strerror(mutls_conn_error_code(p->c)),
                   mutls_conn_error(p->c));
            printf("    server: %s: %s\n", mutls_strerror(mutls_conn_error_code(p->s)),
                   mutls_conn_error(p->s));
            CHECK(mutls_conn_alert_sent(p->s) == -1); /* nothing to complain about */
            /* The server's flight (written before it read the close) reaches
             * a client that sends nothing after its close_notify. */
            CHECK(pair_shuttle(p, PAIR_S2C) > 0);
            CHECK(mutls_conn_pending(p->c) == 0 && p->records[PAIR_C2S] == 2);
            CHECK(!mutls_conn_handshake_done(p->c) && !mutls_conn_handshake_done(p->s));
            CHECK(pair_eof(p, PAIR_C2S) == MUTLS_ERR_CLOSED);
            CHECK(pair_eof(p, PAIR_S2C) == MUTLS_ERR_CLOSED);
            expect_sticky_(p->s, MUTLS_ERR_CLOSED, __FILE__, __LINE__);
            expect_sticky_(p->c, MUTLS_ERR_CLOSED, __FILE__, __LINE__);
        }
        pair_free(p);
    }

    say("close_notify after the server's flight, before the client's Finished");
    {
        pair *p = pair_new(NULL);
        CHECK(p != NULL);
        if (p != NULL) {
            uint8_t buf[8];
            CHECK(mutls_conn_handshake(p->c) == MUTLS_WANT_READ);
            pair_shuttle(p, PAIR_C2S);
            CHECK(mutls_conn_close(p->s) == 0); /* server flight, then close_notify */
            pair_shuttle(p, PAIR_S2C);
            /* The flight is complete: the client connects, then sees the close. */
            CHECK(mutls_conn_handshake_done(p->c));
            CHECK(mutls_conn_read(p->c, buf, sizeof(buf)) == 0);
            CHECK(mutls_conn_error_code(p->c) == MUTLS_OK);
        }
        pair_free(p);
    }
}

/* ---- version negotiation ------------------------------------------------ */

/* A ClientHello record: legacy_version 0x0303, the suites `suite` and
 * TLS_AES_128_GCM_SHA256, null compression, then `ext` (the whole
 * extensions vector, or nothing). */
static size_t client_hello(uint8_t *out, uint16_t suite, const uint8_t *ext, size_t ext_len,
                           int with_ext)
{
    size_t n = 0, body;
    out[n++] = 22, out[n++] = 3, out[n++] = 1, n += 2; /* record length later */
    out[n++] = 1, n += 3;                              /* handshake length later */
    out[n++] = 3, out[n++] = 3;
    for (int i = 0; i < 32; i++)
        out[n++] = (uint8_t)(i * 7 + 1);
    out[n++] = 0;                                   /* session id */
    out[n++] = 0, out[n++] = 4;                     /* suites */
    out[n++] = (uint8_t)(suite >> 8), out[n++] = (uint8_t)suite, out[n++] = 0x13, out[n++] = 0x01;
    out[n++] = 1, out[n++] = 0;                     /* compression */
    if (with_ext) {
        out[n++] = (uint8_t)(ext_len >> 8), out[n++] = (uint8_t)ext_len;
        memcpy(out + n, ext, ext_len);
        n += ext_len;
    }
    body = n - 9;
    out[3] = (uint8_t)((n - 5) >> 8), out[4] = (uint8_t)(n - 5);
    out[6] = 0, out[7] = (uint8_t)(body >> 8), out[8] = (uint8_t)body;
    return n;
}

static void test_versions(void)
{
    uint8_t rec[512];
    size_t n;
    /* supported_groups(x25519), signature_algorithms(ecdsa_p256), key_share
     * absent: enough for a TLS 1.2 server, no supported_versions. */
    static const uint8_t ext12[] = {0x00, 0x0a, 0x00, 0x04, 0x00, 0x02, 0x00, 0x1d,
                                    0x00, 0x0d, 0x00, 0x04, 0x00, 0x02, 0x04, 0x03};
    static const uint8_t ext_sv12[] = {0x00, 0x2b, 0x00, 0x03, 0x02, 0x03, 0x03, /* 1.2 only */
                                       0x00, 0x0a, 0x00, 0x04, 0x00, 0x02, 0x00, 0x1d};

    /* A TLS 1.3-only server: a hello that does not offer TLS 1.3 is
     * refused outright with protocol_version, whatever else it holds. */
    static const pair_spec only13 = {.server_min_version = MUTLS_TLS1_3,
                                     .server_max_version = MUTLS_TLS1_3};
    /* The default server speaks TLS 1.2 too; its RSA chain fits the
     * ECDHE_RSA suite offered, so only the hello's content decides. */
    static const pair_spec rsa = {.server_chains = {"server-rsa2048"}};

    n = client_hello(rec, 0xc02f, NULL, 0, 0);
    first_record_case_spec(&only13, "TLS 1.3-only server: TLS 1.2 ClientHello without extensions",
                           rec, n, MUTLS_ERR_NEGOTIATION, 70, "TLS 1.3 only");
    /* With TLS 1.2 allowed, a hello without extensions is a valid TLS 1.2
     * hello; without signature_algorithms RFC 5246 7.4.1.4.1 would mean
     * SHA-1, which mutls never signs with (RFC 9155): handshake_failure. */
    first_record_case_spec(&rsa, "default server: TLS 1.2 ClientHello without extensions "
                           "(no signature_algorithms)", rec, n, MUTLS_ERR_NEGOTIATION, 40,
                           "signature algorithms");
    n = client_hello(rec, 0xc02f, ext12, sizeof(ext12), 1);
    first_record_case_spec(&only13, "TLS 1.3-only server: TLS 1.2 ClientHello with extensions, "
                           "no supported_versions", rec, n, MUTLS_ERR_NEGOTIATION, 70, "TLS 1.3");
    n = client_hello(rec, 0xc02f, ext_sv12, sizeof(ext_sv12), 1);
    first_record_case_spec(&only13, "TLS 1.3-only server: ClientHello whose supported_versions "
                           "lists TLS 1.2 only", rec, n, MUTLS_ERR_NEGOTIATION, 70, "TLS 1.3");
    /* supported_versions (not legacy_version) chose TLS 1.2: the failure
     * is the missing signature_algorithms again, not the version. */
    first_record_case_spec(&rsa, "default server: ClientHello whose supported_versions lists "
                           "TLS 1.2 only, no signature_algorithms", rec, n,
                           MUTLS_ERR_NEGOTIATION, 40, "signature algorithms");

    say("default server: a complete TLS 1.2 ClientHello (no supported_versions) is answered "
        "with a TLS 1.2 ServerHello carrying the downgrade sentinel");
    {
        static const uint8_t sentinel[8] = {0x44, 0x4f, 0x57, 0x4e, 0x47, 0x52, 0x44, 0x01};
        pair *p = pair_new(NULL);
        CHECK(p != NULL);
        if (p != NULL) {
            size_t len;
            const uint8_t *out;
            n = client_hello(rec, 0xc02b, ext12, sizeof(ext12), 1);
            CHECK(pair_inject(p, PAIR_C2S, rec, n) == MUTLS_OK);
            out = mutls_conn_peek_output(p->s, &len);
            /* record(5) type(1) length(3) version(2) random(32) sid(1) suite(2) */
            CHECK(len > 5 + 4 + 2 + 32 + 1 + 2 && out[0] == 22 && out[5] == 2);
            if (len > 5 + 4 + 2 + 32 + 1 + 2) {
                CHECK(out[9] == 3 && out[10] == 3);
                CHECK_MEM(out + 11 + 24, sentinel, 8);
                CHECK(out[43] == 0 && out[44] == 0xc0 && out[45] == 0x2b);
            }
            CHECK(mutls_conn_version(p->s) == MUTLS_TLS1_2);
            CHECK(mutls_conn_cipher_suite(p->s) == 0xc02b);
            CHECK(mutls_conn_alert_sent(p->s) == -1 && mutls_conn_error_code(p->s) == MUTLS_OK);
        }
        pair_free(p);
    }

    say("a TLS 1.3-only client receiving a TLS 1.2 ServerHello -> protocol_version (70)");
    for (int with_ext = 0; with_ext < 4; with_ext++) {
        /* with_ext & 2: a default client, which speaks TLS 1.2 and takes
         * the same ServerHello (no downgrade sentinel) as the start of a
         * TLS 1.2 handshake. */
        static const pair_spec c13 = {.client_min_version = MUTLS_TLS1_3,
                                      .client_max_version = MUTLS_TLS1_3};
        int only_13 = !(with_ext & 2);
        pair *p = pair_new(only_13 ? &c13 : NULL);
        CHECK(p != NULL);
        if (p == NULL)
            continue;
        CHECK(mutls_conn_handshake(p->c) == MUTLS_WANT_READ);
        {
            size_t len, k = 0;
            const uint8_t *ch = mutls_conn_peek_output(p->c, &len);
            uint8_t sh[128];
            /* the client's session id: record(5) type(1) len(3) ver(2) random(32) */
            uint8_t sid_len = ch[43];
            CHECK(len > 44 + 32 && sid_len == 32);
            sh[k++] = 22, sh[k++] = 3, sh[k++] = 3, k += 2;
            sh[k++] = 2, k += 3;
            sh[k++] = 3, sh[k++] = 3;
            for (int i = 0; i < 32; i++)
                sh[k++] = (uint8_t)(0x40 + i);
            sh[k++] = sid_len;
            memcpy(sh + k, ch + 44, sid_len);
            k += sid_len;
            sh[k++] = 0xc0, sh[k++] = 0x2f, sh[k++] = 0;
            if (with_ext & 1)
                sh[k++] = 0, sh[k++] = 0; /* an empty extensions block */
            sh[3] = 0, sh[4] = (uint8_t)(k - 5);
            sh[6] = 0, sh[7] = 0, sh[8] = (uint8_t)(k - 9);
            mutls_conn_consume_output(p->c, len);
            CHECK(pair_inject(p, PAIR_S2C, sh, k) ==
                  (only_13 ? MUTLS_ERR_NEGOTIATION : MUTLS_OK));
        }
        if (!only_13) {
            CHECK(mutls_conn_alert_sent(p->c) == -1 && mutls_conn_error_code(p->c) == MUTLS_OK);
            CHECK(mutls_conn_version(p->c) == MUTLS_TLS1_2);
            CHECK(mutls_conn_cipher_suite(p->c) == 0xc02f);
            CHECK(mutls_conn_pending(p->c) == 0); /* waiting for the Certificate */
            CHECK(mutls_conn_handshake(p->c) == MUTLS_WANT_READ);
            pair_free(p);
            continue;
        }
        CHECK(mutls_conn_alert_sent(p->c) == 70);
        {
            size_t len;
            const uint8_t *out = mutls_conn_peek_output(p->c, &len);
            CHECK(len == 7 && out[0] == 21 && out[5] == 2 && out[6] == 70);
            mutls_conn_consume_output(p->c, len);
        }
        CHECK_CONTAINS(mutls_conn_error(p->c), "requires TLS 1.3");
        printf("    client: %s\n", mutls_conn_error(p->c));
        expect_sticky_(p->c, MUTLS_ERR_NEGOTIATION, __FILE__, __LINE__);
        pair_free(p);
    }

    say("no cipher suite in common -> handshake_failure (40) from the server");
    {
        pair_spec spec = {.client_suites = "TLS_AES_128_GCM_SHA256",
                          .server_suites = "TLS_CHACHA20_POLY1305_SHA256,TLS_AES_256_GCM_SHA384"};
        pair *p = pair_new(&spec);
        CHECK(p != NULL && pair_handshake(p) != 0);
        if (p != NULL)
            EXPECT_FATAL(p, DET_SERVER, MUTLS_ERR_NEGOTIATION, 40, "cipher suite",
                         "TLS_AES_128_GCM_SHA256", "TLS_CHACHA20_POLY1305_SHA256");
        pair_free(p);
    }
}

/* ---- alerts from the peer ------------------------------------------------ */

static void test_alerts(void)
{
    say("peer sends a fatal access_denied (49) after the handshake");
    {
        pair *p = connected_pair(NULL);
        if (p != NULL) {
            uint8_t buf[16];
            mt_conn_send_alert(p->c, MT_ALERT_ACCESS_DENIED);
            pair_flush(p);
            CHECK(mutls_conn_read(p->s, buf, sizeof(buf)) == MUTLS_ERR_ALERT_RECEIVED);
            CHECK(mutls_conn_error_code(p->s) == MUTLS_ERR_ALERT_RECEIVED);
            CHECK(mutls_conn_alert_received(p->s) == 49);
            CHECK(mutls_conn_alert_sent(p->s) == -1); /* no answer to an alert */
            CHECK(mutls_conn_pending(p->s) == 0);
            CHECK_CONTAINS(mutls_conn_error(p->s), "access_denied");
            CHECK_CONTAINS(mutls_conn_error(p->s), "49");
            printf("    server: %s\n", mutls_conn_error(p->s));
            expect_sticky_(p->s, MUTLS_ERR_ALERT_RECEIVED, __FILE__, __LINE__);
        }
        pair_free(p);
    }

    say("a warning-level alert other than close_notify/user_canceled is fatal (RFC 8446 6)");
    {
        pair *p = connected_pair(NULL);
        if (p != NULL) {
            static const uint8_t warn[2] = {1, 42};
            CHECK(mt_rec_write(&p->c->rec, MT_CT_ALERT, warn, 2, &p->c->err) == 0);
            pair_flush(p);
            CHECK(mutls_conn_error_code(p->s) == MUTLS_ERR_ALERT_RECEIVED);
            CHECK(mutls_conn_alert_received(p->s) == 42);
            CHECK_CONTAINS(mutls_conn_error(p->s), "bad_certificate");
        }
        pair_free(p);
    }

    say("user_canceled then close_notify: a clean close, not an error");
    {
        pair *p = connected_pair(NULL);
        if (p != NULL) {
            uint8_t buf[16];
            mt_conn_send_alert(p->c, MT_ALERT_USER_CANCELED);
            CHECK(mutls_conn_close(p->c) == 0);
            pair_flush(p);
            CHECK(mutls_conn_read(p->s, buf, sizeof(buf)) == 0);
            CHECK(mutls_conn_error_code(p->s) == MUTLS_OK);
        }
        pair_free(p);
    }

    say("an alert record of 3 bytes -> decode_error (50)");
    {
        pair *p = connected_pair(NULL);
        if (p != NULL) {
            static const uint8_t bad[3] = {2, 40, 0};
            CHECK(mt_rec_write(&p->c->rec, MT_CT_ALERT, bad, 3, &p->c->err) == 0);
            pair_flush(p);
            EXPECT_FATAL(p, DET_SERVER, MUTLS_ERR_PROTOCOL, 50, "alert");
        }
        pair_free(p);
    }
}

/* ---- garbage: no crash, always an orderly answer ------------------------ */

static uint64_t rnd_state = UINT64_C(0x1234567887654321);
static uint32_t rnd(void)
{
    rnd_state ^= rnd_state << 13;
    rnd_state ^= rnd_state >> 7;
    rnd_state ^= rnd_state << 17;
    return (uint32_t)(rnd_state >> 11);
}

static void test_garbage(void)
{
    int bad_state = 0, bad_alert = 0;
    say("500 random inputs to fresh servers and clients: an error or a wait, never a crash");
    for (int i = 0; i < 500; i++) {
        pair *p = pair_new(NULL);
        uint8_t buf[3000];
        size_t n = 1 + rnd() % sizeof(buf);
        int to_server = i % 2, rc;
        mutls_conn *c;

        if (p == NULL) {
            CHECK(p != NULL);
            break;
        }
        c = to_server ? p->s : p->c;
        if (!to_server)
            (void)mutls_conn_handshake(p->c);
        for (size_t k = 0; k < n; k++)
            buf[k] = (uint8_t)rnd();
        if (i % 4 >= 2 && n > 9) { /* plausible framing, random contents */
            size_t body = n - 5;
            buf[0] = 22, buf[1] = 3, buf[2] = 3;
            buf[3] = (uint8_t)(body >> 8), buf[4] = (uint8_t)body;
            buf[5] = to_server ? 1 : 2;
            buf[6] = 0, buf[7] = (uint8_t)((body - 4) >> 8), buf[8] = (uint8_t)(body - 4);
        }
        rc = mutls_conn_feed(c, buf, n);
        if (!(rc == MUTLS_OK || rc <= MUTLS_ERR_FIRST))
            bad_state++;
        if (rc != MUTLS_OK) {
            if (mutls_conn_error(c)[0] == '\0' || mutls_conn_error_code(c) != rc)
                bad_state++;
            if (rc != MUTLS_ERR_TRUNCATED && mutls_conn_alert_sent(c) < 0)
                bad_alert++;
        }
        pair_free(p);
    }
    CHECK(bad_state == 0);
    CHECK(bad_alert == 0);
}

int main(void)
{
    test_certificates();
    test_bad_signature();
    test_tampering();
    test_oversized();
    test_unexpected();
    test_versions();
    test_post_handshake();
    test_close_during_handshake();
    test_alerts();
    test_garbage();
    TEST_MAIN_END();
}

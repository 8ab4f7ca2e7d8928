/*
 * TLS 1.2 over in-memory pairs: every TLS 1.2 cipher suite with every key
 * type and group it allows, version negotiation and downgrade protection
 * (RFC 8446 4.1.3 sentinel, RFC 7507 TLS_FALLBACK_SCSV), ALPN, SNI, the
 * record_size_limit rules of RFC 8449 for TLS 1.2, multi-MiB transfers,
 * and the failure paths: tampered records and handshake messages, refused
 * renegotiation, pre-TLS 1.2 hellos, and RSA key exchange with malformed
 * premaster ciphertexts (no observable difference before Finished:
 * Bleichenbacher / ROBOT).
 *
 * Handshake messages of TLS 1.2 travel in the clear until ChangeCipherSpec,
 * so the tamper hook can edit them in flight; after the handshake, test
 * messages are written through the internal record layer (core/conn.h) so
 * that they are protected with the live keys.
 *
 * MAC-then-encrypt is not reachable between two mutls peers (a mutls client
 * always offers encrypt_then_mac with CBC suites): see
 * tests/unit/test_record12.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "core/conn.h"
#include "pair_expect.h"
#include "tls12/tls12.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const uint8_t SENTINEL12[8] = {0x44, 0x4f, 0x57, 0x4e, 0x47, 0x52, 0x44, 0x01};

/* A spec for a TLS 1.2-only client offering one suite (and one group). */
static pair_spec spec12(const char *suite, const char *group, const char *chain)
{
    pair_spec s;
    memset(&s, 0, sizeof(s));
    s.server_chains[0] = chain;
    s.client_suites = suite;
    s.client_groups = group;
    s.client_min_version = MUTLS_TLS1_2;
    s.client_max_version = MUTLS_TLS1_2;
    s.server_rsa_kex = 1; /* the server takes RSA key exchange if offered */
    return s;
}

static pair *connected12(const pair_spec *spec)
{
    pair *p = pair_new(spec);
    CHECK(p != NULL);
    if (p == NULL)
        return NULL;
    CHECK(pair_handshake(p) == 0);
    CHECK_CONNECTED(p);
    CHECK(mutls_conn_version(p->c) == MUTLS_TLS1_2 && mutls_conn_version(p->s) == MUTLS_TLS1_2);
    return p;
}

/* ---- handshake trace, to see alert levels ------------------------------- */

typedef struct {
    char buf[32768];
    size_t len;
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
}

static pair *pair_traced(const pair_spec *spec, tracelog *ct, tracelog *st)
{
    mutls_config *c, *s;
    pair *p;
    if (pair_make_configs(spec, &c, &s) != 0)
        return NULL;
    mutls_config_set_trace(c, trace_fn, ct);
    mutls_config_set_trace(s, trace_fn, st);
    p = pair_new_from(c, s, spec->server_name);
    mutls_config_free(c);
    mutls_config_free(s);
    return p;
}

/* ---- editing a plaintext ClientHello record in flight ------------------- */

typedef struct {
    size_t suites;  /* offset of the cipher_suites length */
    size_t ext;     /* offset of the extensions length (0: none) */
} ch_layout;

static int ch_locate(const pair_record *r, ch_layout *l)
{
    size_t o = 5 + 4 + 2 + 32;
    if (r->len < o + 1 || r->data[0] != 22 || r->data[5] != 1)
        return -1;
    o += 1 + r->data[o]; /* session id */
    l->suites = o;
    o += 2 + ((size_t)r->data[o] << 8 | r->data[o + 1]);
    o += 1 + r->data[o]; /* compression methods */
    l->ext = o < r->len ? o : 0;
    return o <= r->len ? 0 : -1;
}

/* Replace the del bytes at off by the n bytes at ins. */
static void rec_splice(pair_record *r, size_t off, const uint8_t *ins, size_t n, size_t del)
{
    uint8_t *copy = malloc(r->len + n);
    if (copy == NULL)
        abort();
    memcpy(copy, r->data, off);
    if (n > 0)
        memcpy(copy + off, ins, n);
    memcpy(copy + off + n, r->data + off + del, r->len - off - del);
    if (pair_record_set(r, copy, r->len + n - del) != 0)
        abort();
    free(copy);
}

static void put16(uint8_t *p, size_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static void fix_hs_lengths(pair_record *r)
{
    size_t body = r->len - 9;
    put16(r->data + 3, r->len - 5);
    r->data[6] = (uint8_t)(body >> 16);
    r->data[7] = (uint8_t)(body >> 8);
    r->data[8] = (uint8_t)body;
}

/* Offset of extension `type` in a ClientHello record (its type field), or 0. */
static size_t ch_find_ext(const pair_record *r, const ch_layout *l, uint16_t type)
{
    size_t o, end;
    if (l->ext == 0)
        return 0;
    end = l->ext + 2 + ((size_t)r->data[l->ext] << 8 | r->data[l->ext + 1]);
    for (o = l->ext + 2; o + 4 <= end;) {
        size_t len = (size_t)r->data[o + 2] << 8 | r->data[o + 3];
        if (((uint16_t)r->data[o] << 8 | r->data[o + 1]) == type)
            return o;
        o += 4 + len;
    }
    return 0;
}

/* ---- 1. every suite x key x group ---------------------------------------- */

static const struct {
    const char *name;
    uint16_t code;
    int kx_rsa, auth_ecdsa, cbc;
} suites12[] = {
    {"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", 0xc02b, 0, 1, 0},
    {"TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", 0xc02c, 0, 1, 0},
    {"TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", 0xcca9, 0, 1, 0},
    {"TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", 0xc009, 0, 1, 1},
    {"TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", 0xc00a, 0, 1, 1},
    {"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", 0xc02f, 0, 0, 0},
    {"TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", 0xc030, 0, 0, 0},
    {"TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", 0xcca8, 0, 0, 0},
    {"TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", 0xc013, 0, 0, 1},
    {"TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", 0xc014, 0, 0, 1},
    {"TLS_RSA_WITH_AES_128_GCM_SHA256", 0x009c, 1, 0, 0},
    {"TLS_RSA_WITH_AES_256_GCM_SHA384", 0x009d, 1, 0, 0},
    {"TLS_RSA_WITH_AES_128_CBC_SHA", 0x002f, 1, 0, 1},
    {"TLS_RSA_WITH_AES_256_CBC_SHA", 0x0035, 1, 0, 1},
};

static const struct {
    const char *chain;
    int ecdsa_suite; /* usable with ECDHE_ECDSA (else ECDHE_RSA) */
    int rsa_kex;     /* usable with TLS_RSA_WITH_* */
    uint16_t scheme; /* the ServerKeyExchange scheme the server must pick */
} keys12[] = {
    /* signature-only key usage: ECDHE_RSA, never RSA key exchange */
    {"server-rsa2048", 0, 0, 0x0804},     /* rsa_pss_rsae_sha256 */
    /* keyEncipherment too (RFC 5246 7.4.2): both */
    {"server-rsa2048-kex", 0, 1, 0x0804},
    {"server-rsa-pss", 0, 0, 0x0809},     /* rsa_pss_pss_sha256 */
    {"server-ecdsa-p256", 1, 0, 0x0403},  /* ecdsa_secp256r1_sha256 */
    /* TLS 1.2: the ECDSA scheme names the hash, not the curve (RFC 8422
     * 5.1.1), and the server prefers SHA-256 */
    {"server-ecdsa-p384", 1, 0, 0x0403},
    {"server-ed25519", 1, 0, 0x0807},
};

static const struct {
    const char *name;
    uint16_t code;
} groups12[] = {{"x25519", 0x001d}, {"secp256r1", 0x0017}, {"secp384r1", 0x0018}};

static void test_matrix(void)
{
    unsigned idx = 0, runs = 0, good = 0;
    say("matrix: 14 TLS 1.2 suites x server key (rsa2048, rsa-pss for ECDHE_RSA; ecdsa-p256, "
        "ecdsa-p384, ed25519 for ECDHE_ECDSA; rsa2048-kex (keyEncipherment) for RSA key exchange) x group (x25519, "
        "secp256r1, secp384r1 for ECDHE): version 0x0303, suite, group, scheme, ems=1, etm=CBC, "
        "1 MiB each way");
    for (size_t si = 0; si < N(suites12); si++) {
        for (size_t ki = 0; ki < N(keys12); ki++) {
            if (suites12[si].kx_rsa ? !keys12[ki].rsa_kex
                                    : suites12[si].auth_ecdsa != keys12[ki].ecdsa_suite)
                continue;
            for (size_t gi = 0; gi < (suites12[si].kx_rsa ? 1 : N(groups12)); gi++) {
                pair_spec spec = spec12(suites12[si].name, groups12[gi].name, keys12[ki].chain);
                uint16_t group = suites12[si].kx_rsa ? 0 : groups12[gi].code;
                uint16_t scheme = suites12[si].kx_rsa ? 0 : keys12[ki].scheme;
                int before = (int)test_failed_;
                pair *p;
                /* every other run: deterministic randomness and clock */
                if (idx++ % 2) {
                    spec.seed = idx;
                    spec.now = INT64_C(1717243200);
                }
                p = pair_new(&spec);
                runs++;
                printf("    %s, %s, %s\n", suites12[si].name, keys12[ki].chain,
                       suites12[si].kx_rsa ? "RSA key exchange" : groups12[gi].name);
                CHECK(p != NULL);
                if (p == NULL)
                    continue;
                CHECK(pair_handshake(p) == 0);
                CHECK_CONNECTED(p);
                CHECK(mutls_conn_version(p->c) == 0x0303 && mutls_conn_version(p->s) == 0x0303);
                CHECK(mutls_conn_cipher_suite(p->c) == suites12[si].code &&
                      mutls_conn_cipher_suite(p->s) == suites12[si].code);
                CHECK(mutls_conn_group(p->c) == group && mutls_conn_group(p->s) == group);
                CHECK(mutls_conn_sig_scheme(p->c) == scheme && mutls_conn_sig_scheme(p->s) == scheme);
                CHECK(mutls_conn_ems(p->c) == 1 && mutls_conn_ems(p->s) == 1);
                CHECK(mutls_conn_etm(p->c) == suites12[si].cbc &&
                      mutls_conn_etm(p->s) == suites12[si].cbc);
                CHECK(mutls_conn_peer_verified(p->c));
                CHECK(!mutls_conn_did_hrr(p->c) && !mutls_conn_is_resumed(p->c));
                CHECK(pair_transfer_both(p, 1 << 20, 16384, (uint32_t)idx) == 0);
                if ((int)test_failed_ != before)
                    pair_dump(p, suites12[si].name);
                else
                    good++;
                pair_free(p);
            }
        }
    }
    printf("    %u of %u combinations good\n", good, runs);
    CHECK(runs == 5 * 3 * 3 + 5 * 3 * 3 + 4);
}

/* ---- 2. versions ---------------------------------------------------------- */

/* Records the ServerHello random seen on the wire. */
typedef struct {
    uint8_t random[32];
    int seen;
    int sv_ext; /* the ServerHello carried supported_versions */
} sh_watch;

static void watch_server_hello(pair *p, pair_record *r, void *ctx)
{
    sh_watch *w = ctx;
    (void)p;
    if (r->dir != PAIR_S2C || w->seen || r->len < 5 + 4 + 2 + 32 || r->data[0] != 22 ||
        r->data[5] != 2)
        return;
    memcpy(w->random, r->data + 11, 32);
    w->seen = 1;
    /* extensions: after session id, suite, compression */
    {
        size_t o = 5 + 4 + 2 + 32, end;
        o += 1 + r->data[o] + 2 + 1;
        if (o + 2 <= r->len) {
            end = o + 2 + ((size_t)r->data[o] << 8 | r->data[o + 1]);
            for (o += 2; o + 4 <= end && end <= r->len; o += 4 + ((size_t)r->data[o + 2] << 8 | r->data[o + 3]))
                if (r->data[o] == 0x00 && r->data[o + 1] == 0x2b)
                    w->sv_ext = 1;
        }
    }
}

static void test_versions(void)
{
    say("TLS 1.2-only client vs default server -> TLS 1.2; the server's random carries the "
        "downgrade sentinel, which a TLS 1.2-only client does not act on");
    {
        pair_spec spec = {.client_min_version = MUTLS_TLS1_2, .client_max_version = MUTLS_TLS1_2};
        sh_watch w = {{0}, 0, 0};
        pair *p = pair_new(&spec);
        CHECK(p != NULL);
        if (p != NULL) {
            pair_set_tamper(p, watch_server_hello, &w);
            CHECK(pair_handshake(p) == 0);
            CHECK_CONNECTED(p);
            CHECK(mutls_conn_version(p->c) == MUTLS_TLS1_2 && mutls_conn_version(p->s) == MUTLS_TLS1_2);
            CHECK(w.seen && !w.sv_ext && memcmp(w.random + 24, SENTINEL12, 8) == 0);
            /* the server's first TLS 1.2 choice: ECDHE_ECDSA AES-128-GCM */
            CHECK(mutls_conn_cipher_suite(p->c) == 0xc02b);
            CHECK(pair_echo(p, "TLS 1.2 client") == 0);
        }
        pair_free(p);
    }

    say("default client vs TLS 1.2-only server -> TLS 1.2; no sentinel (the server supports "
        "nothing higher), so the client sees no downgrade");
    {
        pair_spec spec = {.server_min_version = MUTLS_TLS1_2, .server_max_version = MUTLS_TLS1_2};
        sh_watch w = {{0}, 0, 0};
        pair *p = pair_new(&spec);
        CHECK(p != NULL);
        if (p != NULL) {
            pair_set_tamper(p, watch_server_hello, &w);
            CHECK(pair_handshake(p) == 0);
            CHECK_CONNECTED(p);
            CHECK(mutls_conn_version(p->c) == MUTLS_TLS1_2 && mutls_conn_version(p->s) == MUTLS_TLS1_2);
            CHECK(w.seen && !w.sv_ext && memcmp(w.random + 24, SENTINEL12, 7) != 0);
            CHECK(mutls_conn_alert_sent(p->c) == -1 && mutls_conn_alert_received(p->s) == -1);
            CHECK(pair_echo(p, "TLS 1.2 server") == 0);
        }
        pair_free(p);
    }

    say("TLS 1.3-only client vs TLS 1.2-only server -> protocol_version (70) from the server");
    {
        pair_spec spec = {.client_min_version = MUTLS_TLS1_3, .client_max_version = MUTLS_TLS1_3,
                          .server_min_version = MUTLS_TLS1_2, .server_max_version = MUTLS_TLS1_2};
        pair *p = pair_new(&spec);
        CHECK(p != NULL && pair_handshake(p) != 0);
        if (p != NULL)
            EXPECT_FATAL(p, DET_SERVER, MUTLS_ERR_NEGOTIATION, 70, "no TLS version in common",
                         "TLS 1.2 only");
        pair_free(p);
    }

    say("TLS 1.2-only client vs TLS 1.3-only server -> protocol_version (70) from the server");
    {
        pair_spec spec = {.client_min_version = MUTLS_TLS1_2, .client_max_version = MUTLS_TLS1_2,
                          .server_min_version = MUTLS_TLS1_3, .server_max_version = MUTLS_TLS1_3};
        pair *p = pair_new(&spec);
        CHECK(p != NULL && pair_handshake(p) != 0);
        if (p != NULL)
            EXPECT_FATAL(p, DET_SERVER, MUTLS_ERR_NEGOTIATION, 70, "no TLS version in common",
                         "TLS 1.3 only");
        pair_free(p);
    }

    say("TLS 1.3-only client vs a server answering in TLS 1.2 -> protocol_version (70) from "
        "the client (hand-made TLS 1.2 ServerHello)");
    {
        pair_spec spec = {.client_min_version = MUTLS_TLS1_3, .client_max_version = MUTLS_TLS1_3};
        pair *p = pair_new(&spec);
        CHECK(p != NULL);
        if (p != NULL) {
            uint8_t sh[80];
            size_t k = 0, len;
            CHECK(mutls_conn_handshake(p->c) == MUTLS_WANT_READ);
            (void)mutls_conn_peek_output(p->c, &len);
            mutls_conn_consume_output(p->c, len);
            sh[k++] = 22, sh[k++] = 3, sh[k++] = 3, k += 2, sh[k++] = 2, k += 3;
            sh[k++] = 3, sh[k++] = 3;
            for (int i = 0; i < 32; i++)
                sh[k++] = (uint8_t)i;
            sh[k++] = 0, sh[k++] = 0xc0, sh[k++] = 0x2b, sh[k++] = 0;
            put16(sh + 3, k - 5);
            sh[6] = 0, put16(sh + 7, k - 9);
            CHECK(pair_inject(p, PAIR_S2C, sh, k) == MUTLS_ERR_NEGOTIATION);
            CHECK(mutls_conn_alert_sent(p->c) == 70);
            CHECK_CONTAINS(mutls_conn_error(p->c), "requires TLS 1.3");
            printf("    client: %s\n", mutls_conn_error(p->c));
        }
        pair_free(p);
    }

    say("default client vs default server -> TLS 1.3");
    {
        pair *p = pair_new(NULL);
        CHECK(p != NULL && pair_handshake(p) == 0);
        if (p != NULL) {
            CHECK_CONNECTED(p);
            CHECK(mutls_conn_version(p->c) == MUTLS_TLS1_3 && mutls_conn_version(p->s) == MUTLS_TLS1_3);
            CHECK(mutls_conn_ems(p->c) == 0 && mutls_conn_etm(p->c) == 0);
        }
        pair_free(p);
    }

    /* OPEN ISSUE (reported, not fixed here): a client whose cipher list
     * holds TLS 1.2 suites only, with the default versions, still offers
     * TLS 1.3 in supported_versions; the server picks TLS 1.3 and finds no
     * suite in common (handshake_failure). Printed, not counted, until the
     * client stops offering versions it has no suite for. */
    say("(known issue) a client configured with TLS 1.2 suites only and default versions");
    {
        pair_spec spec = {.client_suites = "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"};
        pair *p = pair_new(&spec);
        CHECK(p != NULL);
        if (p != NULL) {
            int rc = pair_handshake(p);
            printf("    %s: client %s, server %s\n", rc == 0 ? "connected" : "failed",
                   mutls_conn_error(p->c), mutls_conn_error(p->s));
        }
        pair_free(p);
    }

    say("mutls_conn_key_update on a TLS 1.2 connection: refused (TLS 1.2 has no KeyUpdate), "
        "nothing sent, the connection still works");
    {
        pair_spec spec = spec12("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", NULL, NULL);
        pair *p = connected12(&spec);
        if (p != NULL) {
            CHECK(mutls_conn_key_update(p->c, 1) == MUTLS_ERR_INVALID_ARGUMENT);
            CHECK(mutls_conn_pending(p->c) == 0);
            CHECK(mutls_conn_key_updates_sent(p->c) == 0);
            CHECK(mutls_conn_error_code(p->c) == MUTLS_OK);
            CHECK(pair_echo(p, "after a refused key update") == 0);
        }
        pair_free(p);
    }

    say("a key_update_interval of 2 records does not apply to TLS 1.2: 100 records flow, no "
        "KeyUpdate");
    {
        pair_spec spec = spec12("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", NULL, NULL);
        spec.client_key_update_interval = 2;
        spec.server_key_update_interval = 2;
        pair *p = connected12(&spec);
        if (p != NULL) {
            CHECK(pair_transfer_both(p, 100 * 1000, 1000, 5) == 0);
            CHECK(mutls_conn_key_updates_sent(p->c) == 0 && mutls_conn_key_updates_sent(p->s) == 0);
        }
        pair_free(p);
    }

    say("close_notify in TLS 1.2: read returns 0 on the other side; end of stream without it "
        "is truncation");
    {
        pair_spec spec = spec12("TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", NULL, NULL);
        pair *p = connected12(&spec);
        uint8_t buf[16];
        if (p != NULL) {
            CHECK(mutls_conn_close(p->c) == 0);
            pair_flush(p);
            CHECK(mutls_conn_read(p->s, buf, sizeof(buf)) == 0);
            CHECK(mutls_conn_error_code(p->s) == MUTLS_OK);
        }
        pair_free(p);
        p = connected12(&spec);
        if (p != NULL) {
            CHECK(pair_eof(p, PAIR_C2S) == MUTLS_OK);
            CHECK(mutls_conn_read(p->s, buf, sizeof(buf)) == MUTLS_ERR_TRUNCATED);
        }
        pair_free(p);
    }
}

/* ---- 3. ALPN, SNI, record_size_limit, bulk -------------------------------- */

typedef struct {
    size_t max_body[2];   /* largest application-data record body per direction */
    unsigned long n[2];
} size_watch;

static void watch_sizes(pair *p, pair_record *r, void *ctx)
{
    size_watch *w = ctx;
    (void)p;
    if (r->data[0] != 23 || !r->sender_connected)
        return;
    if (r->len - 5 > w->max_body[r->dir])
        w->max_body[r->dir] = r->len - 5;
    w->n[r->dir]++;
}

static void test_features(void)
{
    const char *gcm = "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256";

    say("ALPN in TLS 1.2: the server's preference among the client's protocols");
    {
        pair_spec spec = spec12(gcm, NULL, NULL);
        spec.client_alpn = "h2,http/1.1";
        spec.server_alpn = "http/1.1,h2";
        pair *p = connected12(&spec);
        if (p != NULL) {
            CHECK_STR(mutls_conn_alpn(p->c), "http/1.1");
            CHECK_STR(mutls_conn_alpn(p->s), "http/1.1");
        }
        pair_free(p);
    }
    say("ALPN in TLS 1.2: no protocol in common -> no_application_protocol (120)");
    {
        pair_spec spec = spec12(gcm, NULL, NULL);
        spec.client_alpn = "h2";
        spec.server_alpn = "http/1.1";
        pair *p = pair_new(&spec);
        CHECK(p != NULL && pair_handshake(p) != 0);
        if (p != NULL)
            EXPECT_FATAL(p, DET_SERVER, MUTLS_ERR_NEGOTIATION, 120, "ALPN");
        pair_free(p);
    }
    say("ALPN in TLS 1.2: client offers, server has none configured -> no ALPN, success");
    {
        pair_spec spec = spec12(gcm, NULL, NULL);
        spec.client_alpn = "h2";
        pair *p = connected12(&spec);
        if (p != NULL)
            CHECK(mutls_conn_alpn(p->c) == NULL && mutls_conn_alpn(p->s) == NULL);
        pair_free(p);
    }

    say("SNI in TLS 1.2: the server picks the chain naming the requested host");
    for (int i = 0; i < 2; i++) {
        pair_spec spec = spec12(gcm, NULL, NULL);
        spec.server_chains[0] = "server-ecdsa-p256";
        spec.server_chains[1] = "server-wrong-name"; /* other.example */
        spec.server_name = i ? "other.example" : "localhost";
        pair *p = connected12(&spec);
        if (p != NULL) {
            printf("    %s -> %s\n", spec.server_name, mutls_conn_peer_subject(p->c));
            CHECK_CONTAINS(mutls_conn_peer_subject(p->c), i ? "CN=other.example" : "CN=localhost");
            CHECK(mutls_conn_peer_verified(p->c));
            CHECK_STR(mutls_conn_server_name(p->s), spec.server_name);
        }
        pair_free(p);
    }

    say("record_size_limit in TLS 1.2 (RFC 8449 4): a client limit of 512 means 512 bytes of "
        "plaintext per record (no content type byte)");
    {
        pair_spec spec = spec12(gcm, NULL, NULL);
        spec.client_record_size_limit = 512;
        pair *p = connected12(&spec);
        size_watch w = {{0, 0}, {0, 0}};
        if (p != NULL) {
            pair_set_tamper(p, watch_sizes, &w);
            CHECK(pair_transfer(p, PAIR_S2C, 5000, 5000, 1) == 0);
            printf("    largest server record body: %zu (8 nonce + 512 + 16 tag)\n", w.max_body[1]);
            CHECK(w.max_body[PAIR_S2C] == 8 + 512 + 16);
            CHECK(w.n[PAIR_S2C] == 10); /* 9 x 512 + 392 */
        }
        pair_free(p);
    }
    say("record_size_limit in TLS 1.2: a server limit of 512 (content 511 in TLS 1.3 terms) is "
        "sent as 511; the client's records hold at most 511 bytes");
    {
        pair_spec spec = spec12(gcm, NULL, NULL);
        spec.client_record_size_limit = 16385; /* the client sends the extension */
        spec.server_record_size_limit = 512;
        pair *p = connected12(&spec);
        size_watch w = {{0, 0}, {0, 0}};
        if (p != NULL) {
            pair_set_tamper(p, watch_sizes, &w);
            CHECK(pair_transfer(p, PAIR_C2S, 5000, 5000, 2) == 0);
            printf("    largest client record body: %zu (8 nonce + 511 + 16 tag)\n", w.max_body[0]);
            CHECK(w.max_body[PAIR_C2S] == 8 + 511 + 16);
        }
        pair_free(p);
    }
    say("record_size_limit in TLS 1.2: a server limit of 64 is sent as 64 (the RFC 8449 "
        "minimum), and the handshake succeeds");
    {
        pair_spec spec = spec12(gcm, NULL, NULL);
        spec.client_record_size_limit = 16385;
        spec.server_record_size_limit = 64;
        pair *p = pair_new(&spec);
        size_watch w = {{0, 0}, {0, 0}};
        CHECK(p != NULL);
        if (p != NULL) {
            int rc = pair_handshake(p);
            CHECK(rc == 0);
            if (rc != 0)
                pair_dump(p, "record_size_limit 64");
            pair_set_tamper(p, watch_sizes, &w);
            if (rc == 0) {
                CHECK(pair_transfer(p, PAIR_C2S, 1000, 1000, 3) == 0);
                CHECK(w.max_body[PAIR_C2S] == 8 + 64 + 16);
            }
        }
        pair_free(p);
    }
    say("record_size_limit in TLS 1.2 is enforced: a server sending 513 bytes to a client that "
        "allows 512 -> record_overflow (22) from the client");
    {
        pair_spec spec = spec12(gcm, NULL, NULL);
        uint8_t buf[600] = {0};
        spec.client_record_size_limit = 512;
        pair *p = connected12(&spec);
        if (p != NULL) {
            CHECK(pair_send(p, PAIR_S2C, buf, 512) == 512); /* at the limit */
            CHECK(pair_recv(p, PAIR_S2C, buf, sizeof(buf)) == 512);
            p->s->rec.send_plaintext_max = 513; /* a server ignoring the limit */
            CHECK(pair_send(p, PAIR_S2C, buf, 513) == 513);
            EXPECT_FATAL(p, DET_CLIENT, MUTLS_ERR_PROTOCOL, 22, "513", "512");
        }
        pair_free(p);
    }
    say("record_size_limit in TLS 1.2 is enforced: a client sending 512 bytes to a server that "
        "announced 511 -> record_overflow (22) from the server");
    {
        pair_spec spec = spec12(gcm, NULL, NULL);
        uint8_t buf[600] = {0};
        spec.client_record_size_limit = 16385;
        spec.server_record_size_limit = 512;
        pair *p = connected12(&spec);
        if (p != NULL) {
            CHECK(pair_send(p, PAIR_C2S, buf, 511) == 511);
            CHECK(pair_recv(p, PAIR_C2S, buf, sizeof(buf)) == 511);
            p->c->rec.send_plaintext_max = 512;
            CHECK(pair_send(p, PAIR_C2S, buf, 512) == 512);
            EXPECT_FATAL(p, DET_SERVER, MUTLS_ERR_PROTOCOL, 22, "512", "511");
        }
        pair_free(p);
    }

    static const char *const bulk[] = {"TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
                                       "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
                                       "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"};
    for (size_t i = 0; i < N(bulk); i++) {
        pair_spec spec = spec12(bulk[i], NULL, NULL);
        pair *p;
        say("8 MiB each way, interleaved, in writes of 100000 bytes: %s", bulk[i]);
        p = connected12(&spec);
        if (p != NULL)
            CHECK(pair_transfer_both(p, 8u << 20, 100000, (uint32_t)(40 + i)) == 0);
        pair_free(p);
    }
}

/* ---- 4. failures ---------------------------------------------------------- */

enum { T_FLIP, T_DROP };

typedef struct {
    pair_dir dir;
    int type;        /* outer content type to match */
    int hs_type;     /* with type 22: the handshake type in byte 5, or -1 */
    int after_hs;    /* only records sent once the sender is connected */
    long offset;     /* byte to flip; < 0 from the end */
    uint8_t mask;
    int hits;
} flip;

static void flip_fn(pair *p, pair_record *r, void *ctx)
{
    flip *f = ctx;
    (void)p;
    if (f->hits || r->dir != f->dir || r->data[0] != f->type ||
        (f->after_hs && !r->sender_connected) || (f->hs_type >= 0 && r->data[5] != f->hs_type))
        return;
    r->data[f->offset < 0 ? r->len - (size_t)-f->offset : (size_t)f->offset] ^= f->mask;
    f->hits++;
}

static void record_tamper_case(const char *suite, const char *chain, const char *what, pair_dir dir,
                               long offset)
{
    pair_spec spec = spec12(suite, NULL, chain);
    flip f = {dir, 23, -1, 1, offset, 0x01, 0};
    pair *p;
    say("%s: %s -> bad_record_mac (20) from the %s", suite, what,
        dir == PAIR_C2S ? "server" : "client");
    p = connected12(&spec);
    if (p == NULL)
        return;
    CHECK(pair_echo(p, "before the fault") == 0);
    pair_set_tamper(p, flip_fn, &f);
    (void)pair_send(p, dir, "application data", 16);
    CHECK(f.hits == 1);
    EXPECT_FATAL(p, dir == PAIR_C2S ? DET_SERVER : DET_CLIENT, MUTLS_ERR_PROTOCOL, 20,
                 "bad_record_mac");
    pair_free(p);
}

static void handshake_flip_case(const char *what, const pair_spec *spec, flip f, int det_server,
                                int code, int alert, const char *n1, const char *n2)
{
    pair *p = pair_new(spec);
    say("%s -> %s (%d) from the %s", what, mutls_alert_name((uint8_t)alert), alert,
        det_server ? "server" : "client");
    CHECK(p != NULL);
    if (p == NULL)
        return;
    pair_set_tamper(p, flip_fn, &f);
    CHECK(pair_handshake(p) != 0);
    CHECK(f.hits == 1);
    EXPECT_FATAL(p, det_server, code, alert, n1, n2);
    CHECK(!mutls_conn_handshake_done(p->c) && !mutls_conn_handshake_done(p->s));
    pair_free(p);
}

static void test_tampering(void)
{
    record_tamper_case("TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", NULL,
                       "encrypt-then-MAC record, a bit of the explicit IV flipped", PAIR_C2S, 5);
    record_tamper_case("TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", "server-rsa2048",
                       "encrypt-then-MAC record, a bit of the ciphertext flipped", PAIR_S2C,
                       5 + 16 + 2);
    record_tamper_case("TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", NULL,
                       "encrypt-then-MAC record, a bit of the MAC flipped", PAIR_C2S, -1);
    record_tamper_case("TLS_RSA_WITH_AES_128_CBC_SHA", "server-rsa2048-kex",
                       "encrypt-then-MAC record (RSA key exchange), last ciphertext byte "
                       "(the padding) flipped", PAIR_S2C, -21);
    record_tamper_case("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", NULL, "GCM tag flipped",
                       PAIR_C2S, -1);
    record_tamper_case("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "server-rsa2048",
                       "GCM explicit nonce flipped", PAIR_S2C, 5 + 7);
    record_tamper_case("TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", NULL,
                       "ChaCha20-Poly1305 tag flipped", PAIR_S2C, -1);
    record_tamper_case("TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "server-rsa2048",
                       "ChaCha20-Poly1305 ciphertext flipped", PAIR_C2S, 5);

    /* ServerKeyExchange is plaintext in TLS 1.2: its signature can be hit. */
    static const struct {
        const char *suite, *chain, *scheme;
    } ske[] = {
        {"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "server-ecdsa-p256", "ecdsa_secp256r1_sha256"},
        {"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "server-ed25519", "ed25519"},
        {"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "server-rsa2048", "rsa_pss_rsae_sha256"},
        {"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "server-rsa-pss", "rsa_pss_pss_sha256"},
    };
    for (size_t i = 0; i < N(ske); i++) {
        pair_spec spec = spec12(ske[i].suite, NULL, ske[i].chain);
        flip f = {PAIR_S2C, 22, 12, 0, -2, 0x01, 0}; /* a byte near the signature's end */
        char what[200];
        snprintf(what, sizeof(what), "ServerKeyExchange signature (%s) altered", ske[i].chain);
        handshake_flip_case(what, &spec, f, DET_CLIENT, MUTLS_ERR_PROTOCOL, 51,
                            "ServerKeyExchange", ske[i].scheme);
    }
    {
        pair_spec spec = spec12("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "x25519", NULL);
        /* ServerECDHParams: curve_type(1) group(2) len(1) point: a byte of it */
        flip f = {PAIR_S2C, 22, 12, 0, 5 + 4 + 4 + 10, 0x04, 0};
        handshake_flip_case("ServerKeyExchange x25519 public key altered (the signature covers "
                            "it)", &spec, f, DET_CLIENT, MUTLS_ERR_PROTOCOL, 51,
                            "ServerKeyExchange", "does not verify");
    }

    {
        /* record(5) hs(4) length(1) then the x25519 key: a middle byte.
         * The server derives another premaster secret, hence other keys:
         * the client's Finished record fails authentication before its
         * verify_data can be compared, so the alert is bad_record_mac, not
         * decrypt_error (which test_wrong_finished reaches). */
        pair_spec spec = spec12("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "x25519", NULL);
        flip f = {PAIR_C2S, 22, 16, 0, 5 + 4 + 1 + 9, 0x10, 0};
        handshake_flip_case("ClientKeyExchange x25519 key altered: the server derives other "
                            "keys, and cannot authenticate the client's Finished",
                            &spec, f, DET_SERVER, MUTLS_ERR_PROTOCOL, 20, "bad_record_mac",
                            "authentication");
    }
    {
        pair_spec spec = spec12("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "secp256r1", NULL);
        flip f = {PAIR_C2S, 22, 16, 0, 5 + 4 + 1 + 9, 0x10, 0};
        handshake_flip_case("ClientKeyExchange P-256 point altered (off the curve)", &spec, f,
                            DET_SERVER, MUTLS_ERR_PROTOCOL, 47, "client's secp256r1 public key",
                            "invalid");
    }
    {
        /* The client's Finished is the one protected handshake record: its
         * byte 5 is the first byte of the GCM explicit nonce, 0 (sequence
         * number 0), where plaintext handshake records have their type. */
        pair_spec spec = spec12("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", NULL, NULL);
        flip f = {PAIR_C2S, 22, 0, 0, -3, 0x01, 0};
        handshake_flip_case("client Finished altered (protected)", &spec, f, DET_SERVER,
                            MUTLS_ERR_PROTOCOL, 20, "bad_record_mac", "authentication");
    }
    {
        pair_spec spec = spec12("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", NULL, NULL);
        /* The chain is leaf, intermediate: its last byte is in the
         * intermediate's signature. */
        flip f = {PAIR_S2C, 22, 11, 0, -1, 0x01, 0};
        handshake_flip_case("server Certificate: a byte of the intermediate's signature "
                            "altered", &spec, f, DET_CLIENT, MUTLS_ERR_VERIFY, 42, "signature",
                            "CN=mutls test intermediate CA");
    }
    {
        /* record(5) hs(4) list(3) cert_len(3), then the leaf's DER: 30 82 ..
         * An unparsable certificate may be answered with bad_certificate
         * (42) or decode_error (50) (RFC 8446 6.2 allows either reading);
         * the check takes either, the same on both sides. */
        pair_spec spec = spec12("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", NULL, NULL);
        flip f = {PAIR_S2C, 22, 11, 0, 5 + 4 + 3 + 3 + 1, 0x40, 0};
        pair *p = pair_new(&spec);
        say("server Certificate: the leaf's DER length form altered -> bad_certificate (42) or "
            "decode_error (50) from the client");
        CHECK(p != NULL);
        if (p != NULL) {
            int a;
            pair_set_tamper(p, flip_fn, &f);
            CHECK(pair_handshake(p) != 0);
            CHECK(f.hits == 1);
            a = mutls_conn_alert_sent(p->c);
            printf("    client: %s (alert sent %d): %s\n",
                   mutls_strerror(mutls_conn_error_code(p->c)), a, mutls_conn_error(p->c));
            CHECK(a == 42 || a == 50);
            CHECK(mutls_conn_error_code(p->c) == MUTLS_ERR_VERIFY);
            CHECK_CONTAINS(mutls_conn_error(p->c), "certificate");
            CHECK(mutls_conn_alert_received(p->s) == a);
            CHECK(mutls_conn_error_code(p->s) == MUTLS_ERR_ALERT_RECEIVED);
            CHECK(mutls_conn_peer_subject(p->c) == NULL && !mutls_conn_peer_verified(p->c));
        }
        pair_free(p);
    }
}

/* A wrong Finished with the right keys cannot be produced in flight (the
 * Finished records are protected, and with extended master secret any
 * altered handshake message changes the keys): the receiver's transcript
 * is altered instead, just before the peer's Finished arrives. */
typedef struct {
    pair_dir dir;
    int ccs_seen, hits;
} fin_edit;

static void alter_transcript_before_finished(pair *p, pair_record *r, void *ctx)
{
    fin_edit *f = ctx;
    if (r->dir != f->dir)
        return;
    if (r->data[0] == 20) {
        f->ccs_seen = 1;
    } else if (r->data[0] == 22 && f->ccs_seen && !f->hits) {
        mutls_conn *receiver = f->dir == PAIR_C2S ? p->s : p->c;
        static const uint8_t extra[4] = {0, 0, 0, 0};
        if (mt_transcript_add(receiver, extra, sizeof(extra)) != 0)
            abort();
        f->hits++;
    }
}

static void test_wrong_finished(void)
{
    for (int d = 0; d < 2; d++) {
        pair_spec spec = spec12("TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", NULL, NULL);
        fin_edit f = {d ? PAIR_S2C : PAIR_C2S, 0, 0};
        pair *p = pair_new(&spec);
        say("%s Finished that decrypts but does not match the transcript -> decrypt_error (51) "
            "from the %s", d ? "server" : "client", d ? "client" : "server");
        CHECK(p != NULL);
        if (p == NULL)
            continue;
        pair_set_tamper(p, alter_transcript_before_finished, &f);
        CHECK(pair_handshake(p) != 0);
        CHECK(f.hits == 1);
        EXPECT_FATAL(p, d ? DET_CLIENT : DET_SERVER, MUTLS_ERR_PROTOCOL, 51,
                     d ? "server Finished" : "client Finished", "does not match");
        pair_free(p);
    }
}

/* ---- 5. renegotiation ------------------------------------------------------ */

typedef struct {
    uint8_t *ch; /* the client's first ClientHello message (no record header) */
    size_t len;
    unsigned long alerts[2];      /* alert records per direction after the handshake */
    size_t alert_body[2];
} reneg_watch;

static void watch_reneg(pair *p, pair_record *r, void *ctx)
{
    reneg_watch *w = ctx;
    (void)p;
    if (r->dir == PAIR_C2S && w->ch == NULL && r->data[0] == 22 && r->data[5] == 1) {
        w->len = r->len - 5;
        if ((w->ch = malloc(w->len)) == NULL)
            abort();
        memcpy(w->ch, r->data + 5, w->len);
    }
    if (r->data[0] == 21 && r->sender_connected) {
        w->alerts[r->dir]++;
        w->alert_body[r->dir] = r->len - 5;
    }
}

static void test_renegotiation(void)
{
    const char *suites[] = {"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
                            "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"};
    for (size_t i = 0; i < N(suites); i++) {
        pair_spec spec = spec12(suites[i], NULL, NULL);
        tracelog *ct = calloc(1, sizeof(*ct)), *st = calloc(1, sizeof(*st));
        reneg_watch w;
        pair *p;
        memset(&w, 0, sizeof(w));
        say("%s: the client sends a ClientHello after the handshake (renegotiation): the server "
            "answers with a warning no_renegotiation (1, 100) and carries on", suites[i]);
        p = pair_traced(&spec, ct, st);
        CHECK(p != NULL && ct != NULL && st != NULL);
        if (p == NULL)
            goto next;
        pair_set_tamper(p, watch_reneg, &w);
        CHECK(pair_handshake(p) == 0);
        CHECK_CONNECTED(p);
        CHECK(w.ch != NULL);
        if (w.ch == NULL)
            goto next;
        /* protected with the client's live keys, as a real renegotiation */
        CHECK(mt_rec_write(&p->c->rec, MT_CT_HANDSHAKE, w.ch, w.len, &p->c->err) == 0);
        pair_flush(p);
        CHECK(mutls_conn_error_code(p->s) == MUTLS_OK && mutls_conn_error_code(p->c) == MUTLS_OK);
        CHECK(mutls_conn_alert_sent(p->s) == 100);
        CHECK(mutls_conn_alert_received(p->c) == -1); /* a warning: not an error */
        CHECK(w.alerts[PAIR_S2C] == 1);               /* one protected alert record */
        CHECK_CONTAINS(st->buf, "-> Alert: warning no_renegotiation");
        CHECK_CONTAINS(ct->buf, "<- Alert: warning no_renegotiation");
        CHECK_CONTAINS(st->buf, "renegotiation request: refused");
        CHECK(pair_echo(p, "after a refused renegotiation") == 0);
        CHECK(pair_transfer_both(p, 100000, 4000, 9) == 0);

        say("%s: the server sends a HelloRequest: the client answers with a warning "
            "no_renegotiation and carries on", suites[i]);
        {
            static const uint8_t hello_request[4] = {0, 0, 0, 0};
            CHECK(mt_rec_write(&p->s->rec, MT_CT_HANDSHAKE, hello_request, 4, &p->s->err) == 0);
            pair_flush(p);
            CHECK(mutls_conn_error_code(p->s) == MUTLS_OK &&
                  mutls_conn_error_code(p->c) == MUTLS_OK);
            CHECK(mutls_conn_alert_sent(p->c) == 100);
            CHECK(mutls_conn_alert_received(p->s) == -1);
            CHECK(w.alerts[PAIR_C2S] == 1);
            CHECK_CONTAINS(ct->buf, "-> Alert: warning no_renegotiation");
            CHECK_CONTAINS(st->buf, "<- Alert: warning no_renegotiation");
            CHECK(pair_echo(p, "after a refused HelloRequest") == 0);
        }
    next:
        free(w.ch);
        free(ct);
        free(st);
        pair_free(p);
    }
    say("a HelloRequest sent to a TLS 1.2 server -> unexpected_message (10)");
    {
        pair_spec spec = spec12("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", NULL, NULL);
        pair *p = connected12(&spec);
        if (p != NULL) {
            static const uint8_t hello_request[4] = {0, 0, 0, 0};
            CHECK(mt_rec_write(&p->c->rec, MT_CT_HANDSHAKE, hello_request, 4, &p->c->err) == 0);
            pair_flush(p);
            EXPECT_FATAL(p, DET_SERVER, MUTLS_ERR_PROTOCOL, 10, "HelloRequest");
        }
        pair_free(p);
    }
    say("a ClientHello sent to a TLS 1.2 client after the handshake -> unexpected_message (10)");
    {
        pair_spec spec = spec12("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", NULL, NULL);
        pair *p = connected12(&spec);
        if (p != NULL) {
            static const uint8_t ch[] = {1, 0, 0, 2, 3, 3};
            CHECK(mt_rec_write(&p->s->rec, MT_CT_HANDSHAKE, ch, sizeof(ch), &p->s->err) == 0);
            pair_flush(p);
            EXPECT_FATAL(p, DET_CLIENT, MUTLS_ERR_PROTOCOL, 10, "ClientHello");
        }
        pair_free(p);
    }
    say("a ChangeCipherSpec after the TLS 1.2 handshake -> unexpected_message (10)");
    {
        pair_spec spec = spec12("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", NULL, NULL);
        pair *p = connected12(&spec);
        if (p != NULL) {
            static const uint8_t one = 1;
            CHECK(mt_rec_write(&p->c->rec, MT_CT_CHANGE_CIPHER_SPEC, &one, 1, &p->c->err) == 0);
            pair_flush(p);
            EXPECT_FATAL(p, DET_SERVER, MUTLS_ERR_PROTOCOL, 10, "change_cipher_spec");
        }
        pair_free(p);
    }
}

/* ---- 6. downgrade protection ----------------------------------------------- */

enum { EDIT_SCSV, EDIT_SV_GREASE, EDIT_SV_DELETE };

typedef struct {
    int edit;
    int done;
} ch_edit;

static void edit_client_hello(pair *p, pair_record *r, void *ctx)
{
    ch_edit *e = ctx;
    ch_layout l;
    (void)p;
    if (e->done || r->dir != PAIR_C2S || ch_locate(r, &l) != 0)
        return;
    if (e->edit == EDIT_SCSV) {
        /* RFC 7507: TLS_FALLBACK_SCSV appended to the suites */
        static const uint8_t scsv[2] = {0x56, 0x00};
        size_t n = (size_t)r->data[l.suites] << 8 | r->data[l.suites + 1];
        rec_splice(r, l.suites + 2 + n, scsv, 2, 0);
        put16(r->data + l.suites, n + 2);
        fix_hs_lengths(r);
        e->done = 1;
    } else {
        size_t at = ch_find_ext(r, &l, 0x002b);
        if (at == 0)
            return;
        size_t len = (size_t)r->data[at + 2] << 8 | r->data[at + 3];
        if (e->edit == EDIT_SV_GREASE) {
            /* Same length, still well-formed: TLS 1.3 (0x0304) becomes a
             * GREASE value (RFC 8701), which servers ignore. */
            for (size_t k = at + 5; k + 1 < at + 4 + len; k += 2)
                if (r->data[k] == 3 && r->data[k + 1] == 4)
                    r->data[k] = 0x0a, r->data[k + 1] = 0x0a;
        } else {
            size_t total = (size_t)r->data[l.ext] << 8 | r->data[l.ext + 1];
            rec_splice(r, at, NULL, 0, 4 + len);
            put16(r->data + l.ext, total - 4 - len);
            fix_hs_lengths(r);
        }
        e->done = 1;
    }
}

static void test_downgrade(void)
{
    say("TLS_FALLBACK_SCSV from a TLS 1.2-only client (added in flight) to a TLS 1.3-capable "
        "server -> inappropriate_fallback (86)");
    {
        pair_spec spec = {.client_min_version = MUTLS_TLS1_2, .client_max_version = MUTLS_TLS1_2};
        ch_edit e = {EDIT_SCSV, 0};
        pair *p = pair_new(&spec);
        CHECK(p != NULL);
        if (p != NULL) {
            pair_set_tamper(p, edit_client_hello, &e);
            CHECK(pair_handshake(p) != 0);
            CHECK(e.done);
            EXPECT_FATAL(p, DET_SERVER, MUTLS_ERR_NEGOTIATION, 86, "TLS_FALLBACK_SCSV",
                         "TLS 1.3");
        }
        pair_free(p);
    }
    /* The altered hello changes the session hash, hence (extended master
     * secret) the keys: the client's Finished fails authentication. */
    say("TLS_FALLBACK_SCSV to a TLS 1.2-only server: no fallback there (it has nothing higher), "
        "no inappropriate_fallback; the altered hello is then caught at the client's Finished "
        "(bad_record_mac, 20)");
    {
        pair_spec spec = {.client_min_version = MUTLS_TLS1_2, .client_max_version = MUTLS_TLS1_2,
                          .server_min_version = MUTLS_TLS1_2, .server_max_version = MUTLS_TLS1_2};
        ch_edit e = {EDIT_SCSV, 0};
        pair *p = pair_new(&spec);
        CHECK(p != NULL);
        if (p != NULL) {
            pair_set_tamper(p, edit_client_hello, &e);
            CHECK(pair_handshake(p) != 0);
            CHECK(e.done);
            CHECK(p->s->alert_sent != 86);
            EXPECT_FATAL(p, DET_SERVER, MUTLS_ERR_PROTOCOL, 20, "bad_record_mac");
        }
        pair_free(p);
    }

    static const struct {
        int edit;
        const char *what;
    } mitm[] = {
        {EDIT_SV_GREASE, "TLS 1.3 replaced by a GREASE value in supported_versions"},
        {EDIT_SV_DELETE, "supported_versions removed"},
    };
    for (size_t i = 0; i < N(mitm); i++) {
        ch_edit e = {mitm[i].edit, 0};
        pair *p = pair_new(NULL);
        say("man in the middle: %s from a default client's hello; the server negotiates TLS 1.2 "
            "with the sentinel, the client aborts with illegal_parameter (47)", mitm[i].what);
        CHECK(p != NULL);
        if (p == NULL)
            continue;
        pair_set_tamper(p, edit_client_hello, &e);
        CHECK(pair_handshake(p) != 0);
        CHECK(e.done);
        CHECK(mutls_conn_version(p->s) == MUTLS_TLS1_2);
        EXPECT_FATAL(p, DET_CLIENT, MUTLS_ERR_PROTOCOL, 47, "downgrade detected", "TLS 1.3");
        CHECK(mutls_conn_peer_subject(p->c) == NULL); /* aborted at the ServerHello */
        pair_free(p);
    }
}

/* ---- 7. pre-TLS 1.2 hellos --------------------------------------------------- */

/* A hand-made ClientHello record: legacy_version `ver`, record version
 * 0x0301, suites c02b and c02f, null compression, supported_groups
 * (x25519), signature_algorithms (ecdsa_secp256r1_sha256), and
 * supported_versions listing `sv` (n_sv entries; none when 0). */
static size_t old_hello(uint8_t *out, uint16_t ver, const uint16_t *sv, size_t n_sv)
{
    static const uint8_t ext[] = {0x00, 0x0a, 0x00, 0x04, 0x00, 0x02, 0x00, 0x1d,
                                  0x00, 0x0d, 0x00, 0x04, 0x00, 0x02, 0x04, 0x03};
    size_t n = 0, ext_len = sizeof(ext) + (n_sv ? 5 + 2 * n_sv : 0);
    out[n++] = 22, out[n++] = 3, out[n++] = 1, n += 2;
    out[n++] = 1, n += 3;
    out[n++] = (uint8_t)(ver >> 8), out[n++] = (uint8_t)ver;
    for (int i = 0; i < 32; i++)
        out[n++] = (uint8_t)(i + 100);
    out[n++] = 0;
    out[n++] = 0, out[n++] = 4, out[n++] = 0xc0, out[n++] = 0x2b, out[n++] = 0xc0, out[n++] = 0x2f;
    out[n++] = 1, out[n++] = 0;
    put16(out + n, ext_len), n += 2;
    memcpy(out + n, ext, sizeof(ext)), n += sizeof(ext);
    if (n_sv) {
        out[n++] = 0, out[n++] = 0x2b;
        put16(out + n, 1 + 2 * n_sv), n += 2;
        out[n++] = (uint8_t)(2 * n_sv);
        for (size_t i = 0; i < n_sv; i++)
            put16(out + n, sv[i]), n += 2;
    }
    put16(out + 3, n - 5);
    out[6] = 0, put16(out + 7, n - 9);
    return n;
}

static void old_hello_case(const char *what, const uint8_t *rec, size_t n, const char *n1,
                           const char *n2)
{
    pair *p = pair_new(NULL);
    size_t len;
    const uint8_t *out;
    say("%s -> protocol_version (70) from the server", what);
    CHECK(p != NULL);
    if (p == NULL)
        return;
    CHECK(pair_inject(p, PAIR_C2S, rec, n) == MUTLS_ERR_NEGOTIATION);
    out = mutls_conn_peek_output(p->s, &len);
    /* a plaintext fatal alert, nothing else */
    CHECK(len == 7 && out[0] == 21 && out[5] == 2 && out[6] == 70);
    EXPECT_FATAL(p, DET_SERVER, MUTLS_ERR_NEGOTIATION, 70, n1, n2);
    pair_free(p);
}

static void test_old_versions(void)
{
    uint8_t rec[256];
    size_t n;
    static const struct {
        uint16_t v;
        const char *name;
    } old[] = {{0x0300, "SSL 3.0"}, {0x0301, "TLS 1.0"}, {0x0302, "TLS 1.1"}};
    for (size_t i = 0; i < N(old); i++) {
        char what[100], hex[16];
        snprintf(what, sizeof(what), "a %s ClientHello (legacy_version 0x%04x, no "
                 "supported_versions)", old[i].name, old[i].v);
        snprintf(hex, sizeof(hex), "0x%04x", old[i].v);
        n = old_hello(rec, old[i].v, NULL, 0);
        old_hello_case(what, rec, n, old[i].name, hex);
    }
    {
        static const uint16_t sv[] = {0x0302, 0x0301};
        n = old_hello(rec, 0x0302, sv, N(sv));
        old_hello_case("a ClientHello whose supported_versions lists TLS 1.1 and TLS 1.0", rec, n,
                       "no TLS version in common", "TLS 1.2 and TLS 1.3");
    }
    say("a ClientHello with legacy_version 0x0303 and supported_versions {0x0303} is TLS 1.2");
    {
        static const uint16_t sv[] = {0x0303};
        pair *p = pair_new(NULL);
        n = old_hello(rec, 0x0303, sv, N(sv));
        CHECK(p != NULL && pair_inject(p, PAIR_C2S, rec, n) == MUTLS_OK);
        if (p != NULL) {
            CHECK(mutls_conn_version(p->s) == MUTLS_TLS1_2);
            CHECK(mutls_conn_cipher_suite(p->s) == 0xc02b);
        }
        pair_free(p);
    }
    say("a ClientHello with legacy_version 0x0304 and no supported_versions is TLS 1.2 "
        "(RFC 8446 4.2.1, D.2)");
    {
        pair *p = pair_new(NULL);
        n = old_hello(rec, 0x0304, NULL, 0);
        CHECK(p != NULL && pair_inject(p, PAIR_C2S, rec, n) == MUTLS_OK);
        if (p != NULL)
            CHECK(mutls_conn_version(p->s) == MUTLS_TLS1_2);
        pair_free(p);
    }
}

/* ---- 8. RSA key exchange with malformed premaster ciphertexts --------------- */

static EVP_PKEY *load_server_rsa_pub(void)
{
    char path[1024];
    FILE *f = fopen(pair_cert_path(path, sizeof(path), "server-rsa2048-kex.pem"), "r");
    X509 *x = f ? PEM_read_X509(f, NULL, NULL, NULL) : NULL;
    EVP_PKEY *k = x ? X509_get_pubkey(x) : NULL;
    if (f)
        fclose(f);
    X509_free(x);
    return k;
}

static size_t rsa_encrypt(EVP_PKEY *k, int padding, const uint8_t *in, size_t n, uint8_t *out,
                          size_t cap)
{
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(k, NULL);
    size_t len = cap;
    if (ctx == NULL || EVP_PKEY_encrypt_init(ctx) != 1 ||
        EVP_PKEY_CTX_set_rsa_padding(ctx, padding) != 1 ||
        EVP_PKEY_encrypt(ctx, out, &len, in, n) != 1)
        len = 0;
    EVP_PKEY_CTX_free(ctx);
    return len;
}

enum { CKE_ASIS, CKE_BAD_VERSION, CKE_BAD_PADDING, CKE_SHORT, CKE_LONG, CKE_OTHER_PMS, CKE_TOO_BIG };

/* What an observer of the server can see. */
typedef struct {
    int state_after_cke, pending_after_cke, alert_after_cke, error_after_cke;
    int state_before_fin, pending_before_fin, alert_before_fin;
    int final_code, final_alert, client_alert_received;
    unsigned long server_records_after_cke;
    char msg[768];
} rsa_outcome;

typedef struct {
    int kind;
    EVP_PKEY *pub;
    int replaced, saw_ccs, saw_fin;
    unsigned long s2c_at_cke;
    rsa_outcome o;
} cke_edit;

static void edit_cke(pair *p, pair_record *r, void *ctx)
{
    cke_edit *e = ctx;
    if (r->dir != PAIR_C2S)
        return;
    if (r->data[0] == 22 && r->data[5] == 16 && !e->replaced) {
        uint8_t ct[600], pms[48], block[256];
        size_t ct_len = 0;
        for (int i = 0; i < 48; i++)
            pms[i] = (uint8_t)(0x90 + i);
        pms[0] = 3, pms[1] = 3;
        switch (e->kind) {
        case CKE_ASIS:
            ct_len = ((size_t)r->data[9] << 8) | r->data[10];
            memcpy(ct, r->data + 11, ct_len);
            break;
        case CKE_BAD_VERSION:
            pms[0] = 3, pms[1] = 1; /* TLS 1.0 in a TLS 1.2 premaster */
            ct_len = rsa_encrypt(e->pub, RSA_PKCS1_PADDING, pms, 48, ct, sizeof(ct));
            break;
        case CKE_BAD_PADDING:
            /* 00 01 FF..FF 00 pms: a signature-type block, not type 2 */
            block[0] = 0, block[1] = 1;
            memset(block + 2, 0xff, 256 - 2 - 49);
            block[256 - 49] = 0;
            memcpy(block + 256 - 48, pms, 48);
            ct_len = rsa_encrypt(e->pub, RSA_NO_PADDING, block, 256, ct, sizeof(ct));
            break;
        case CKE_SHORT:
        case CKE_LONG:
            ct_len = ((size_t)r->data[9] << 8) | r->data[10];
            memcpy(ct, r->data + 11, ct_len);
            if (e->kind == CKE_SHORT)
                ct_len--;
            else
                ct[ct_len++] = 0x5a;
            break;
        case CKE_OTHER_PMS:
            ct_len = rsa_encrypt(e->pub, RSA_PKCS1_PADDING, pms, 48, ct, sizeof(ct));
            break;
        case CKE_TOO_BIG:
            /* the right length, but a number above the modulus */
            memset(ct, 0xff, 256);
            ct_len = 256;
            break;
        }
        if (ct_len == 0)
            abort();
        uint8_t rec[700];
        size_t n = 0;
        rec[n++] = 22, rec[n++] = 3, rec[n++] = 3, put16(rec + n, 4 + 2 + ct_len), n += 2;
        rec[n++] = 16, rec[n++] = 0, put16(rec + n, 2 + ct_len), n += 2;
        put16(rec + n, ct_len), n += 2;
        memcpy(rec + n, ct, ct_len), n += ct_len;
        if (pair_record_set(r, rec, n) != 0)
            abort();
        e->replaced = 1;
        return;
    }
    if (r->data[0] == 20 && e->replaced && !e->saw_ccs) {
        /* the ClientKeyExchange has been processed by now */
        e->saw_ccs = 1;
        e->o.state_after_cke = p->s->state;
        e->o.pending_after_cke = (int)mutls_conn_pending(p->s);
        e->o.alert_after_cke = mutls_conn_alert_sent(p->s);
        e->o.error_after_cke = mutls_conn_error_code(p->s);
        e->s2c_at_cke = p->records[PAIR_S2C];
        return;
    }
    if (r->data[0] == 22 && e->saw_ccs && !e->saw_fin) {
        e->saw_fin = 1;
        e->o.state_before_fin = p->s->state;
        e->o.pending_before_fin = (int)mutls_conn_pending(p->s);
        e->o.alert_before_fin = mutls_conn_alert_sent(p->s);
    }
}

static void print_outcome(const char *what, const rsa_outcome *o)
{
    printf("    %-58s after CKE: %s, %d bytes out, alert %d; before Finished: %s, %d out; "
           "then alert %d: \"%s\"\n",
           what, mt_state_name(o->state_after_cke), o->pending_after_cke, o->alert_after_cke,
           mt_state_name(o->state_before_fin), o->pending_before_fin, o->final_alert, o->msg);
}

static void test_rsa_premaster(void)
{
    static const struct {
        int kind;
        const char *what;
    } cases[] = {
        {CKE_BAD_VERSION, "(a) PKCS#1 premaster with version 0x0301"},
        {CKE_BAD_PADDING, "(b) block type 1 instead of 2 (raw RSA)"},
        {CKE_SHORT, "(c) ciphertext one byte short (255)"},
        {CKE_LONG, "(c) ciphertext one byte long (257)"},
        {CKE_OTHER_PMS, "(d) valid ciphertext of another premaster"},
        {CKE_TOO_BIG, "(e) 256 bytes 0xff: above the modulus"},
    };
    EVP_PKEY *pub = load_server_rsa_pub();
    rsa_outcome first;
    int have_first = 0;
    pair_spec spec = spec12("TLS_RSA_WITH_AES_128_GCM_SHA256", NULL, "server-rsa2048-kex");

    CHECK(pub != NULL);
    if (pub == NULL)
        return;
    say("RSA key exchange, the ClientKeyExchange rewritten in flight but left intact: the "
        "handshake succeeds (the rewriting itself is sound)");
    {
        cke_edit e;
        pair *p = pair_new(&spec);
        memset(&e, 0, sizeof(e));
        e.kind = CKE_ASIS;
        e.pub = pub;
        CHECK(p != NULL);
        if (p != NULL) {
            pair_set_tamper(p, edit_cke, &e);
            CHECK(pair_handshake(p) == 0);
            CHECK_CONNECTED(p);
            CHECK(e.replaced && e.saw_ccs && e.saw_fin);
            CHECK(e.o.state_after_cke == MT_ST_S12_WAIT_CCS);
            CHECK(mutls_conn_cipher_suite(p->s) == 0x009c);
        }
        pair_free(p);
    }
    /* Each bad ciphertext yields a random premaster secret (implicit
     * rejection), hence other keys than the client's: the first thing
     * that fails is the authentication of the client's Finished record,
     * so the alert is bad_record_mac (20) -- the same for every case and
     * the same as for a good ciphertext of another premaster (d), which
     * is the point. decrypt_error (51) would need the right keys. */
    say("RSA key exchange with bad premaster ciphertexts: the server behaves identically until "
        "the client's Finished (state %s, no output, no alert), then bad_record_mac (20) with "
        "the same message", mt_state_name(MT_ST_S12_WAIT_CCS));
    for (size_t i = 0; i < N(cases); i++) {
        cke_edit e;
        pair *p = pair_new(&spec);
        memset(&e, 0, sizeof(e));
        e.kind = cases[i].kind;
        e.pub = pub;
        CHECK(p != NULL);
        if (p == NULL)
            continue;
        pair_set_tamper(p, edit_cke, &e);
        CHECK(pair_handshake(p) != 0);
        CHECK(e.replaced);
        e.o.final_code = mutls_conn_error_code(p->s);
        e.o.final_alert = mutls_conn_alert_sent(p->s);
        e.o.client_alert_received = mutls_conn_alert_received(p->c);
        e.o.server_records_after_cke = p->records[PAIR_S2C] - e.s2c_at_cke;
        snprintf(e.o.msg, sizeof(e.o.msg), "%s", mutls_conn_error(p->s));
        print_outcome(cases[i].what, &e.o);
        CHECK(e.saw_ccs && e.saw_fin);
        CHECK(e.o.state_after_cke == MT_ST_S12_WAIT_CCS);
        CHECK(e.o.pending_after_cke == 0 && e.o.alert_after_cke == -1 &&
              e.o.error_after_cke == MUTLS_OK);
        CHECK(e.o.state_before_fin == MT_ST_S12_WAIT_FINISHED);
        CHECK(e.o.pending_before_fin == 0 && e.o.alert_before_fin == -1);
        CHECK(e.o.server_records_after_cke == 1); /* the alert, and nothing else */
        EXPECT_FATAL(p, DET_SERVER, MUTLS_ERR_PROTOCOL, 20, "bad_record_mac");
        if (!have_first) {
            first = e.o;
            have_first = 1;
        } else {
            /* exactly the same observable outcome as case (a) */
            CHECK(e.o.state_after_cke == first.state_after_cke);
            CHECK(e.o.pending_after_cke == first.pending_after_cke);
            CHECK(e.o.alert_after_cke == first.alert_after_cke);
            CHECK(e.o.error_after_cke == first.error_after_cke);
            CHECK(e.o.state_before_fin == first.state_before_fin);
            CHECK(e.o.pending_before_fin == first.pending_before_fin);
            CHECK(e.o.final_code == first.final_code);
            CHECK(e.o.final_alert == first.final_alert);
            CHECK(e.o.client_alert_received == first.client_alert_received);
            CHECK(e.o.server_records_after_cke == first.server_records_after_cke);
            CHECK_STR(e.o.msg, first.msg);
        }
        pair_free(p);
    }
    EVP_PKEY_free(pub);
}

int main(void)
{
    test_matrix();
    test_versions();
    test_features();
    test_tampering();
    test_wrong_finished();
    test_renegotiation();
    test_downgrade();
    test_old_versions();
    test_rsa_premaster();
    TEST_MAIN_END();
}

/*
 * Full handshakes over an in-memory pair for every cipher suite x key
 * exchange group x server certificate type, checking what both sides
 * report as negotiated; then the server's preference order, and a
 * byte-for-byte replay with the deterministic random and clock hooks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pair_expect.h"

static const struct {
    const char *name;
    uint16_t code;
} suites[] = {
    {"TLS_AES_128_GCM_SHA256", 0x1301},
    {"TLS_AES_256_GCM_SHA384", 0x1302},
    {"TLS_CHACHA20_POLY1305_SHA256", 0x1303},
};

static const struct {
    const char *name;
    uint16_t code;
} groups[] = {
    {"x25519", 0x001d},
    {"secp256r1", 0x0017},
    {"secp384r1", 0x0018},
};

/* The scheme the server must pick with default preferences, and the
 * family any acceptable choice must belong to. */
static const struct {
    const char *chain;
    uint16_t scheme;
    const char *family;
} certs[] = {
    {"server-rsa2048", 0x0804, "rsa_pss_rsae_"},
    {"server-rsa4096", 0x0804, "rsa_pss_rsae_"},
    {"server-ecdsa-p256", 0x0403, "ecdsa_secp256r1_sha256"},
    {"server-ecdsa-p384", 0x0503, "ecdsa_secp384r1_sha384"},
    {"server-ed25519", 0x0807, "ed25519"},
    {"server-rsa-pss", 0x0809, "rsa_pss_pss_"},
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void one(size_t si, size_t gi, size_t ci, unsigned idx)
{
    pair_spec spec = {
        .server_chains = {certs[ci].chain},
        .client_suites = suites[si].name,
        .client_groups = groups[gi].name,
        /* Every other run uses the deterministic rng and a fixed clock. */
        .seed = idx % 2 ? idx : 0,
        .now = idx % 2 ? INT64_C(1717243200) : 0, /* 2024-06-01T12:00:00Z */
    };
    char msg[256];
    pair *p = pair_new(&spec);

    CHECK(p != NULL);
    if (p == NULL)
        return;
    CHECK(pair_handshake(p) == 0);
    CHECK_CONNECTED(p);
    CHECK(mutls_conn_handshake_done(p->c) && mutls_conn_handshake_done(p->s));

    /* Negotiated parameters, the same on both sides. */
    CHECK(mutls_conn_version(p->c) == MUTLS_TLS1_3 && mutls_conn_version(p->s) == MUTLS_TLS1_3);
    CHECK(mutls_conn_cipher_suite(p->c) == suites[si].code);
    CHECK(mutls_conn_cipher_suite(p->s) == suites[si].code);
    CHECK(mutls_conn_group(p->c) == groups[gi].code);
    CHECK(mutls_conn_group(p->s) == groups[gi].code);
    CHECK(mutls_conn_sig_scheme(p->c) == mutls_conn_sig_scheme(p->s));
    CHECK(mutls_conn_sig_scheme(p->s) == certs[ci].scheme);
    CHECK_CONTAINS(mutls_sig_scheme_name(mutls_conn_sig_scheme(p->c)), certs[ci].family);
    CHECK(!mutls_conn_did_hrr(p->c) && !mutls_conn_did_hrr(p->s));
    CHECK(!mutls_conn_is_resumed(p->c) && !mutls_conn_is_resumed(p->s));
    CHECK(mutls_conn_alpn(p->c) == NULL && mutls_conn_alpn(p->s) == NULL);
    CHECK_STR(mutls_conn_server_name(p->s), "localhost");

    /* The client verified the server's chain and name. */
    CHECK_STR(mutls_conn_peer_subject(p->c), "CN=localhost");
    CHECK_STR(mutls_conn_peer_issuer(p->c), "CN=mutls test intermediate CA");
    CHECK(mutls_conn_peer_verified(p->c) == 1);
    CHECK(mutls_conn_peer_subject(p->s) == NULL && !mutls_conn_peer_verified(p->s));

    CHECK(mutls_conn_error_code(p->c) == MUTLS_OK && mutls_conn_error_code(p->s) == MUTLS_OK);
    CHECK_STR(mutls_conn_error(p->c), "");
    CHECK(mutls_conn_alert_sent(p->c) == -1 && mutls_conn_alert_received(p->c) == -1);
    CHECK(mutls_conn_alert_sent(p->s) == -1 && mutls_conn_alert_received(p->s) == -1);

    snprintf(msg, sizeof(msg), "hello over %s / %s / %s", suites[si].name, groups[gi].name,
             certs[ci].chain);
    CHECK(pair_echo(p, msg) == 0);
    CHECK(mutls_conn_pending(p->c) == 0 && mutls_conn_pending(p->s) == 0);
    pair_free(p);
}

static void test_matrix(void)
{
    unsigned idx = 0;
    say("handshake matrix: %zu suites x %zu groups x %zu server certificates", N(suites),
        N(groups), N(certs));
    for (size_t ci = 0; ci < N(certs); ci++)
        for (size_t si = 0; si < N(suites); si++)
            for (size_t gi = 0; gi < N(groups); gi++) {
                unsigned long before = test_failed_;
                one(si, gi, ci, ++idx);
                printf("  %-28s %-10s %-18s %s\n", suites[si].name, groups[gi].name,
                       certs[ci].chain, test_failed_ == before ? "ok" : "FAILED");
            }
}

static void test_server_preference(void)
{
    pair_spec spec = {
        .server_suites = "TLS_CHACHA20_POLY1305_SHA256,TLS_AES_256_GCM_SHA384,TLS_AES_128_GCM_SHA256",
        /* client default order: AES-128-GCM, AES-256-GCM, ChaCha20 */
    };
    pair *p;

    say("server suite preference wins: server prefers ChaCha20, client lists AES first");
    p = pair_new(&spec);
    CHECK(p != NULL && pair_handshake(p) == 0);
    CHECK_CONNECTED(p);
    CHECK(mutls_conn_cipher_suite(p->c) == 0x1303 && mutls_conn_cipher_suite(p->s) == 0x1303);
    CHECK(pair_echo(p, "chacha") == 0);
    pair_free(p);

    say("server preference among what the client offers: client AES-128,AES-256 -> AES-256");
    spec.client_suites = "TLS_AES_128_GCM_SHA256,TLS_AES_256_GCM_SHA384";
    p = pair_new(&spec);
    CHECK(p != NULL && pair_handshake(p) == 0);
    CHECK_CONNECTED(p);
    CHECK(mutls_conn_cipher_suite(p->c) == 0x1302 && mutls_conn_cipher_suite(p->s) == 0x1302);
    pair_free(p);

    say("server picks its preferred group among the client's key shares (no HelloRetryRequest)");
    spec = (pair_spec){.client_groups = "x25519,secp384r1", .server_groups = "secp384r1,x25519"};
    p = pair_new(&spec);
    CHECK(p != NULL && pair_handshake(p) == 0);
    CHECK_CONNECTED(p);
    /* The client sent a share for x25519 only: using it beats a round trip. */
    CHECK(mutls_conn_group(p->c) == 0x001d && mutls_conn_group(p->s) == 0x001d);
    CHECK(!mutls_conn_did_hrr(p->c) && !mutls_conn_did_hrr(p->s));
    pair_free(p);

    say("server signature scheme preference: RSA key, server lists rsa_pss_rsae_sha512 first");
    spec = (pair_spec){.server_chains = {"server-rsa2048"},
                       .server_sigs = "rsa_pss_rsae_sha512,rsa_pss_rsae_sha256"};
    p = pair_new(&spec);
    CHECK(p != NULL && pair_handshake(p) == 0);
    CHECK_CONNECTED(p);
    CHECK(mutls_conn_sig_scheme(p->c) == 0x0806 && mutls_conn_sig_scheme(p->s) == 0x0806);
    pair_free(p);
}

/* ---- replay: with the rng and clock fixed, Ed25519 (deterministic
 * signatures) gives the same bytes on the wire every time. */

typedef struct {
    uint8_t *buf;
    size_t len, cap;
} capture;

static void record_all(pair *p, pair_record *r, void *ctx)
{
    capture *cap = (capture *)ctx + r->dir;
    (void)p;
    if (cap->len + r->len > cap->cap) {
        cap->cap = (cap->len + r->len) * 2;
        cap->buf = realloc(cap->buf, cap->cap);
        if (cap->buf == NULL)
            abort();
    }
    memcpy(cap->buf + cap->len, r->data, r->len);
    cap->len += r->len;
}

static void run_capture(uint64_t seed, capture out[2])
{
    pair_spec spec = {.server_chains = {"server-ed25519"}, .seed = seed,
                      .now = INT64_C(1717243200)};
    pair *p = pair_new(&spec);
    memset(out, 0, 2 * sizeof(*out));
    CHECK(p != NULL);
    if (p == NULL)
        return;
    pair_set_tamper(p, record_all, out);
    CHECK(pair_handshake(p) == 0);
    CHECK(pair_echo(p, "replayable") == 0);
    pair_free(p);
}

static void test_replay(void)
{
    capture a[2], b[2], c[2];
    say("deterministic rng + clock + Ed25519: two runs with one seed are identical on the wire");
    run_capture(42, a);
    run_capture(42, b);
    run_capture(43, c);
    for (int d = 0; d < 2; d++) {
        CHECK(a[d].len > 0 && a[d].len == b[d].len);
        if (a[d].len == b[d].len)
            CHECK(memcmp(a[d].buf, b[d].buf, a[d].len) == 0);
        /* another seed: other randoms and key shares */
        CHECK(a[d].len != c[d].len || memcmp(a[d].buf, c[d].buf, a[d].len) != 0);
        free(a[d].buf);
        free(b[d].buf);
        free(c[d].buf);
    }
}

int main(void)
{
    test_matrix();
    test_server_preference();
    test_replay();
    TEST_MAIN_END();
}

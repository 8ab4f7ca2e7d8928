/*
 * Protocol features over an in-memory pair: HelloRetryRequest, ALPN, SNI
 * and certificate selection, signature-scheme driven selection,
 * KeyUpdate (explicit and automatic), bulk transfers, record_size_limit,
 * close_notify and truncation.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/conn.h" /* to look at buffers in one check */
#include "pair_expect.h"

/* SHA-256("HelloRetryRequest"), RFC 8446 section 4.1.3. */
static const uint8_t hrr_random[32] = {
    0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
    0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
};

/* ---- an observer: what record types and sizes went by ------------------ */

typedef struct {
    unsigned long n[2];          /* records per direction */
    unsigned long ccs[2];        /* change_cipher_spec records */
    size_t max_body[2];          /* largest record body (after the header) */
    size_t max_body_connected[2];/* ... once the sender was connected */
    size_t max_protected[2];     /* largest protected (type 23) record body */
    int first_s2c_is_hrr;
} observed;

static void observe(pair *p, pair_record *r, void *ctx)
{
    observed *o = ctx;
    size_t body = r->len - 5;
    (void)p;
    o->n[r->dir]++;
    if (r->data[0] == 20)
        o->ccs[r->dir]++;
    if (body > o->max_body[r->dir])
        o->max_body[r->dir] = body;
    if (r->data[0] == 23 && body > o->max_protected[r->dir])
        o->max_protected[r->dir] = body;
    if (r->sender_connected && body > o->max_body_connected[r->dir])
        o->max_body_connected[r->dir] = body;
    /* ServerHello: header(5) type(1) length(3) legacy_version(2) random */
    if (r->dir == PAIR_S2C && r->index == 0 && r->len >= 11 + 32 && r->data[0] == 22 &&
        r->data[5] == 2)
        o->first_s2c_is_hrr = memcmp(r->data + 11, hrr_random, 32) == 0;
}

/* ---- fragmentation of the unprotected hellos ---------------------------- */

typedef struct {
    size_t frag; /* bytes of handshake data per record */
    unsigned long split;
} fragmenter;

/* Re-frame the plaintext ClientHello / ServerHello into records of at
 * most frag bytes (RFC 8446 5.1 allows any fragmentation). */
static void fragment(pair *p, pair_record *r, void *ctx)
{
    fragmenter *f = ctx;
    uint8_t *copy;
    size_t body = r->len - 5;
    (void)p;
    if (r->data[0] != 22 || r->index != 0 || body <= f->frag)
        return;
    if ((copy = malloc(r->len)) == NULL)
        abort();
    memcpy(copy, r->data, r->len);
    r->len = 0;
    for (size_t off = 0; off < body; off += f->frag) {
        size_t n = body - off < f->frag ? body - off : f->frag;
        uint8_t hdr[5] = {22, copy[1], copy[2], (uint8_t)(n >> 8), (uint8_t)n};
        if (pair_record_append(r, hdr, 5) != 0 || pair_record_append(r, copy + 5 + off, n) != 0)
            abort();
        f->split++;
    }
    free(copy);
}

static void test_fragmentation(void)
{
    static const size_t sizes[] = {1, 7, 100};
    for (size_t i = 0; i < 3; i++) {
        fragmenter f = {sizes[i], 0};
        pair *p = pair_new(NULL);
        say("ClientHello and ServerHello fragmented into %zu-byte records", sizes[i]);
        CHECK(p != NULL);
        if (p == NULL)
            continue;
        pair_set_tamper(p, fragment, &f);
        CHECK(pair_handshake(p) == 0);
        CHECK_CONNECTED(p);
        CHECK(f.split > 2);
        CHECK(pair_echo(p, "reassembled") == 0);
        pair_free(p);
    }

    say("client data in the same flight as its Finished");
    {
        pair *p = pair_new(NULL);
        uint8_t buf[64];
        CHECK(p != NULL);
        if (p == NULL)
            return;
        CHECK(mutls_conn_handshake(p->c) == MUTLS_WANT_READ);
        CHECK(mutls_conn_set_server_name(p->c, "late.example") == MUTLS_ERR_INVALID_ARGUMENT);
        pair_shuttle(p, PAIR_C2S);
        pair_shuttle(p, PAIR_S2C); /* the server's whole flight */
        CHECK(mutls_conn_handshake(p->c) == MUTLS_OK);
        CHECK(!mutls_conn_handshake_done(p->s));
        CHECK(mutls_conn_write(p->c, (const uint8_t *)"0.5-RTT? no: 1-RTT", 18) == 18);
        pair_shuttle(p, PAIR_C2S); /* Finished + data, one feed */
        CHECK(mutls_conn_handshake_done(p->s));
        CHECK(mutls_conn_read(p->s, buf, sizeof(buf)) == 18 &&
              memcmp(buf, "0.5-RTT? no: 1-RTT", 18) == 0);
        pair_free(p);
    }
}

/* ---- HelloRetryRequest -------------------------------------------------- */

static void test_hrr(void)
{
    for (int mb = 0; mb < 2; mb++) {
        pair_spec spec = {.client_groups = "x25519,secp256r1",
                          .server_groups = "secp256r1",
                          .no_middlebox = mb};
        observed o = {0};
        pair *p = pair_new(&spec);

        say("HelloRetryRequest: client shares x25519 only, server accepts secp256r1 only%s",
            mb ? " (middlebox compatibility off)" : "");
        CHECK(p != NULL);
        if (p == NULL)
            continue;
        pair_set_tamper(p, observe, &o);
        CHECK(pair_handshake(p) == 0);
        CHECK_CONNECTED(p);
        CHECK(o.first_s2c_is_hrr);
        CHECK(mutls_conn_did_hrr(p->c) == 1 && mutls_conn_did_hrr(p->s) == 1);
        CHECK(mutls_conn_group(p->c) == 0x0017 && mutls_conn_group(p->s) == 0x0017);
        /* RFC 8446 D.4: one CCS per side in compatibility mode, none without. */
        CHECK(o.ccs[PAIR_C2S] == (mb ? 0u : 1u) && o.ccs[PAIR_S2C] == (mb ? 0u : 1u));
        CHECK(pair_echo(p, "after a HelloRetryRequest") == 0);
        pair_free(p);
    }

    say("no HelloRetryRequest when the server accepts the client's first group");
    {
        pair_spec spec = {.client_groups = "x25519,secp256r1", .server_groups = "secp256r1,x25519"};
        pair *p = pair_new(&spec);
        CHECK(p != NULL && pair_handshake(p) == 0);
        CHECK_CONNECTED(p);
        CHECK(!mutls_conn_did_hrr(p->c) && !mutls_conn_did_hrr(p->s));
        CHECK(mutls_conn_group(p->c) == 0x001d && mutls_conn_group(p->s) == 0x001d);
        pair_free(p);
    }

    say("no group in common: handshake_failure from the server");
    {
        pair_spec spec = {.client_groups = "x25519,secp256r1", .server_groups = "secp384r1"};
        pair *p = pair_new(&spec);
        CHECK(p != NULL && pair_handshake(p) != 0);
        EXPECT_FATAL(p, DET_SERVER, MUTLS_ERR_NEGOTIATION, 40, "group", "x25519", "secp256r1",
                     "secp384r1");
        CHECK(!mutls_conn_did_hrr(p->c) && !mutls_conn_did_hrr(p->s));
        pair_free(p);
    }
}

/* ---- ALPN --------------------------------------------------------------- */

static void alpn_case(const char *client, const char *server, const char *want)
{
    pair_spec spec = {.client_alpn = client, .server_alpn = server};
    pair *p = pair_new(&spec);
    say("ALPN: client %s, server %s -> %s", client ? client : "(none)",
        server ? server : "(none)", want ? want : "(none)");
    CHECK(p != NULL && pair_handshake(p) == 0);
    CHECK_CONNECTED(p);
    CHECK_STR(mutls_conn_alpn(p->c), want);
    CHECK_STR(mutls_conn_alpn(p->s), want);
    pair_free(p);
}

static void test_alpn(void)
{
    alpn_case("h2,http/1.1", "http/1.1", "http/1.1");
    alpn_case("h2,http/1.1", "http/1.1,h2", "http/1.1"); /* server's preference */
    alpn_case("h2,http/1.1", "h2,http/1.1", "h2");
    alpn_case("h2,http/1.1", NULL, NULL);
    alpn_case(NULL, "h2,http/1.1", NULL);

    say("ALPN with no overlap: no_application_protocol (120) from the server");
    {
        pair_spec spec = {.client_alpn = "h2,spdy/3", .server_alpn = "http/1.1"};
        pair *p = pair_new(&spec);
        CHECK(p != NULL && pair_handshake(p) != 0);
        EXPECT_FATAL(p, DET_SERVER, MUTLS_ERR_NEGOTIATION, 120, "ALPN");
        CHECK(mutls_conn_alpn(p->c) == NULL && mutls_conn_alpn(p->s) == NULL);
        pair_free(p);
    }
}

/* ---- SNI and certificate selection -------------------------------------- */

static void sni_case(const char *chain1, const char *chain2, const char *name, int verify,
                     const char *want_subject, const char *want_sni)
{
    pair_spec spec = {.server_chains = {chain1, chain2}, .server_name = name,
                      .client_verify_none = !verify};
    pair *p = pair_new(&spec);
    say("SNI: server chains %s + %s, client asks for %s%s -> %s", chain1, chain2 ? chain2 : "-",
        name, verify ? "" : " (not verifying)", want_subject);
    CHECK(p != NULL && pair_handshake(p) == 0);
    CHECK_CONNECTED(p);
    CHECK_STR(mutls_conn_peer_subject(p->c), want_subject);
    CHECK(mutls_conn_peer_verified(p->c) == verify);
    CHECK_STR(mutls_conn_server_name(p->s), want_sni);
    CHECK_STR(mutls_conn_server_name(p->c), name);
    CHECK(pair_echo(p, "sni") == 0);
    pair_free(p);
}

static void test_sni(void)
{
    sni_case("server-wildcard", "server-ecdsa-p256", "a.example.test", 1, "CN=*.example.test",
             "a.example.test");
    sni_case("server-wildcard", "server-ecdsa-p256", "localhost", 1, "CN=localhost", "localhost");
    sni_case("server-ecdsa-p256", "server-wildcard", "b.example.test", 1, "CN=*.example.test",
             "b.example.test");
    /* DNS names are case-insensitive (RFC 4343; RFC 6125 section 6.4.1). */
    sni_case("server-ecdsa-p256", "server-wildcard", "Mixed.EXAMPLE.test", 1, "CN=*.example.test",
             "Mixed.EXAMPLE.test");
    /* No chain is for the name: the server presents its first one. */
    sni_case("server-ecdsa-p256", "server-wildcard", "unknown.test", 0, "CN=localhost",
             "unknown.test");
    /* IP literals are verified against iPAddress SANs and never sent as SNI. */
    sni_case("server-ecdsa-p256", NULL, "127.0.0.1", 1, "CN=localhost", NULL);
    sni_case("server-ecdsa-p256", NULL, "::1", 1, "CN=localhost", NULL);
}

/* ---- certificate selection by signature scheme -------------------------- */

static void test_sig_selection(void)
{
    static const struct {
        const char *client_sigs;
        uint16_t want;
    } cases[] = {
        {"rsa_pss_rsae_sha256", 0x0804},
        {"ecdsa_secp256r1_sha256", 0x0403},
        {"rsa_pss_rsae_sha384,ecdsa_secp384r1_sha384", 0x0805},
        {NULL, 0x0804}, /* defaults: the first chain that can sign */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        pair_spec spec = {.server_chains = {"server-rsa2048", "server-ecdsa-p256"},
                          .client_sigs = cases[i].client_sigs};
        pair *p = pair_new(&spec);
        say("server chains RSA + ECDSA, client accepts %s -> %s",
            cases[i].client_sigs ? cases[i].client_sigs : "(defaults)",
            mutls_sig_scheme_name(cases[i].want));
        CHECK(p != NULL && pair_handshake(p) == 0);
        CHECK_CONNECTED(p);
        CHECK(mutls_conn_sig_scheme(p->c) == cases[i].want);
        CHECK(mutls_conn_sig_scheme(p->s) == cases[i].want);
        CHECK(mutls_conn_peer_verified(p->c));
        pair_free(p);
    }

    say("server chains RSA + ECDSA, client accepts ed25519 only: handshake_failure");
    {
        pair_spec spec = {.server_chains = {"server-rsa2048", "server-ecdsa-p256"},
                          .client_sigs = "ed25519"};
        pair *p = pair_new(&spec);
        CHECK(p != NULL && pair_handshake(p) != 0);
        EXPECT_FATAL(p, DET_SERVER, MUTLS_ERR_NEGOTIATION, 40, "certificate", "ed25519");
        pair_free(p);
    }
}

/* ---- KeyUpdate ---------------------------------------------------------- */

#define KU_SENT(c) mutls_conn_key_updates_sent(c)
#define KU_RECV(c) mutls_conn_key_updates_received(c)

static void test_key_update(void)
{
    pair *p = pair_new(NULL);

    say("KeyUpdate is refused before the handshake, without harming it");
    CHECK(p != NULL);
    if (p == NULL)
        return;
    CHECK(mutls_conn_key_update(p->c, 0) == MUTLS_ERR_INVALID_ARGUMENT);
    CHECK(mutls_conn_key_update(p->s, 1) == MUTLS_ERR_INVALID_ARGUMENT);
    CHECK(mutls_conn_error_code(p->c) == MUTLS_OK);
    CHECK(pair_handshake(p) == 0);
    CHECK_CONNECTED(p);
    CHECK(pair_transfer_both(p, 50000, 4096, 1) == 0);

    say("client KeyUpdate(update_requested): the server answers with its own");
    CHECK(mutls_conn_key_update(p->c, 1) == 0);
    CHECK(KU_SENT(p->c) == 1 && KU_RECV(p->s) == 0);
    pair_flush(p);
    CHECK(KU_RECV(p->s) == 1 && KU_SENT(p->s) == 1);
    CHECK(KU_RECV(p->c) == 1 && KU_SENT(p->c) == 1);
    CHECK(pair_transfer_both(p, 100000, 7000, 2) == 0);

    say("server KeyUpdate(update_not_requested): no answer");
    CHECK(mutls_conn_key_update(p->s, 0) == 0);
    pair_flush(p);
    CHECK(KU_SENT(p->s) == 2 && KU_RECV(p->c) == 2);
    CHECK(KU_SENT(p->c) == 1 && KU_RECV(p->s) == 1);
    CHECK(pair_transfer_both(p, 100000, 9000, 3) == 0);

    say("KeyUpdate and data in the same flight, in both directions");
    CHECK(mutls_conn_key_update(p->c, 0) == 0);
    CHECK(mutls_conn_write(p->c, (const uint8_t *)"under the new key", 17) == 17);
    CHECK(mutls_conn_key_update(p->s, 0) == 0);
    CHECK(mutls_conn_write(p->s, (const uint8_t *)"also new", 8) == 8);
    {
        uint8_t buf[64];
        CHECK(pair_recv(p, PAIR_C2S, buf, sizeof(buf)) == 17 &&
              memcmp(buf, "under the new key", 17) == 0);
        CHECK(pair_recv(p, PAIR_S2C, buf, sizeof(buf)) == 8 && memcmp(buf, "also new", 8) == 0);
    }
    CHECK(KU_SENT(p->c) == 2 && KU_RECV(p->s) == 2);
    CHECK(KU_SENT(p->s) == 3 && KU_RECV(p->c) == 3);

    say("three requests while the server is silent: it answers before its next data");
    {
        uint64_t s_sent = KU_SENT(p->s);
        for (int i = 0; i < 3; i++)
            CHECK(mutls_conn_key_update(p->c, 1) == 0);
        pair_flush(p);
        CHECK(KU_RECV(p->s) == 5 && KU_SENT(p->c) == 5);
        /* RFC 8446 4.6.3 only requires an answer before the next data. */
        CHECK(KU_SENT(p->s) >= s_sent + 1 && KU_SENT(p->s) <= s_sent + 3);
        CHECK(KU_RECV(p->c) == KU_SENT(p->s));
        CHECK(pair_transfer_both(p, 200000, 16384, 4) == 0);
    }
    CHECK(mutls_conn_error_code(p->c) == MUTLS_OK && mutls_conn_error_code(p->s) == MUTLS_OK);
    pair_free(p);

    say("automatic KeyUpdate every 10 records: 100 records each way");
    {
        /* no tickets: the record counts below are exact */
        pair_spec spec = {.client_key_update_interval = 10, .server_key_update_interval = 10,
                          .server_tickets = -1};
        observed o = {0};
        p = pair_new(&spec);
        CHECK(p != NULL && pair_handshake(p) == 0);
        CHECK_CONNECTED(p);
        if (p == NULL)
            return;
        pair_set_tamper(p, observe, &o);
        /* 100 writes of 100 bytes: one record each. */
        CHECK(pair_transfer(p, PAIR_C2S, 100 * 100, 100, 5) == 0);
        CHECK(pair_transfer(p, PAIR_S2C, 100 * 100, 100, 6) == 0);
        printf("    key updates: client sent %llu, server sent %llu\n",
               (unsigned long long)KU_SENT(p->c), (unsigned long long)KU_SENT(p->s));
        /* A KeyUpdate before records 11, 21, ..., 91 (RFC 8446 5.5). */
        CHECK(KU_SENT(p->c) == 9 && KU_SENT(p->s) == 9);
        CHECK(KU_RECV(p->s) == KU_SENT(p->c) && KU_RECV(p->c) == KU_SENT(p->s));
        CHECK(o.n[PAIR_C2S] == 100 + 9 && o.n[PAIR_S2C] == 100 + 9);
        CHECK(pair_transfer_both(p, 300000, 1000, 7) == 0);
        CHECK(KU_SENT(p->c) > 9 && KU_SENT(p->s) > 9);
        CHECK(KU_RECV(p->s) == KU_SENT(p->c) && KU_RECV(p->c) == KU_SENT(p->s));
        pair_free(p);
    }
}

/* ---- bulk ---------------------------------------------------------------- */

static void test_bulk(void)
{
    static const char *const suites[] = {"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
                                         "TLS_CHACHA20_POLY1305_SHA256"};
    for (size_t i = 0; i < 3; i++) {
        pair_spec spec = {.client_suites = suites[i]};
        pair *p = pair_new(&spec);
        say("8 MiB each way, interleaved, in 64 KiB writes, over %s", suites[i]);
        CHECK(p != NULL && pair_handshake(p) == 0);
        CHECK_CONNECTED(p);
        if (p == NULL)
            continue;
        CHECK(pair_transfer_both(p, 8u << 20, 65536, 100 + (uint32_t)i) == 0);
        CHECK(p->bytes[PAIR_C2S] > (8u << 20) && p->bytes[PAIR_S2C] > (8u << 20));
        /* 2^23 / 2^14 full records plus handshake, at most 2^14+17 each */
        CHECK(p->records[PAIR_C2S] >= 512 && p->records[PAIR_S2C] >= 512);
        pair_free(p);
    }

    say("1 MiB each way in odd-sized writes (12345 bytes) and 1-byte writes");
    {
        pair *p = pair_new(NULL);
        CHECK(p != NULL && pair_handshake(p) == 0);
        if (p != NULL) {
            CHECK(pair_transfer_both(p, 1u << 20, 12345, 9) == 0);
            CHECK(pair_transfer(p, PAIR_C2S, 3000, 1, 10) == 0);
            CHECK(pair_transfer(p, PAIR_S2C, 16385, 16385, 11) == 0); /* 2 records */
        }
        pair_free(p);
    }

    say("a write of 0 bytes sends nothing and returns 0");
    {
        pair *p = pair_new(NULL);
        CHECK(p != NULL && pair_handshake(p) == 0);
        if (p != NULL) {
            size_t before = mutls_conn_pending(p->c);
            int rc = mutls_conn_write(p->c, (const uint8_t *)"", 0);
            CHECK(rc == 0);
            /* RFC 8446 5.1: zero-length application data records are
             * allowed, but sending nothing is what a caller expects. */
            printf("    write(0) queued %zu bytes\n", mutls_conn_pending(p->c) - before);
            pair_flush(p);
            CHECK(mutls_conn_error_code(p->s) == MUTLS_OK);
            CHECK(pair_echo(p, "still fine") == 0);
        }
        pair_free(p);
    }
}

/* ---- record_size_limit (RFC 8449) --------------------------------------- */

static void rsl_case(uint16_t client_limit, uint16_t server_limit)
{
    pair_spec spec = {.client_record_size_limit = client_limit,
                      .server_record_size_limit = server_limit};
    observed o = {0};
    pair *p = pair_new(&spec);
    /* Protected record body: content + 1 type byte + 16-byte tag; the
     * limit counts content + type (RFC 8449 section 4). */
    size_t want_s2c = client_limit ? (size_t)client_limit - 1 + 1 + 16 : 16384 + 1 + 16;
    /* The server's limit goes out only in answer to the client's. */
    size_t want_c2s = client_limit && server_limit ? (size_t)server_limit - 1 + 1 + 16
                                                   : 16384 + 1 + 16;

    say("record_size_limit: client advertises %u, server %u -> server records <= %zu bytes "
        "(+5 header), client records <= %zu",
        client_limit, server_limit, want_s2c, want_c2s);
    CHECK(p != NULL);
    if (p == NULL)
        return;
    pair_set_tamper(p, observe, &o);
    CHECK(pair_handshake(p) == 0);
    CHECK_CONNECTED(p);
    CHECK(pair_transfer(p, PAIR_S2C, 40000, 40000, 21) == 0);
    CHECK(pair_transfer(p, PAIR_C2S, 40000, 40000, 22) == 0);
    printf("    largest record body: server->client %zu (protected %zu), client->server %zu "
           "(protected %zu)\n",
           o.max_body[PAIR_S2C], o.max_protected[PAIR_S2C], o.max_body[PAIR_C2S],
           o.max_protected[PAIR_C2S]);
    /* Everything the server protects after reading the ClientHello obeys
     * the client's limit: EncryptedExtensions onwards, and the data. */
    CHECK(o.max_body_connected[PAIR_S2C] == want_s2c);
    /* RFC 8449 section 4: unprotected messages (the hellos) are exempt. */
    CHECK(o.max_protected[PAIR_S2C] == want_s2c);
    CHECK(o.max_body_connected[PAIR_C2S] == want_c2s);
    CHECK(o.max_protected[PAIR_C2S] == want_c2s);
    pair_free(p);
}

static void test_record_size_limit(void)
{
    rsl_case(512, 0);
    rsl_case(64, 100);
    rsl_case(0, 1000); /* the server's limit is only sent in answer */
    rsl_case(16385, 16385);

    say("record_size_limit outside 64..16385 is refused by the configuration");
    {
        mutls_config *cfg = mutls_config_new(MUTLS_CLIENT);
        CHECK(cfg != NULL);
        if (cfg != NULL) {
            CHECK(mutls_config_set_record_size_limit(cfg, 63) == MUTLS_ERR_INVALID_ARGUMENT);
            CHECK(mutls_config_set_record_size_limit(cfg, 16386) == MUTLS_ERR_INVALID_ARGUMENT);
            CHECK(mutls_config_set_record_size_limit(cfg, 64) == 0);
            mutls_config_free(cfg);
        }
    }
}

/* ---- close_notify and truncation ---------------------------------------- */

static void test_close(void)
{
    uint8_t buf[256];
    pair *p = pair_new(NULL);

    say("close_notify: data before it arrives, then read returns 0; writes fail CLOSED");
    CHECK(p != NULL && pair_handshake(p) == 0);
    if (p == NULL)
        return;
    CHECK(mutls_conn_write(p->c, (const uint8_t *)"last words", 10) == 10);
    CHECK(mutls_conn_close(p->c) == 0);
    CHECK(mutls_conn_write(p->c, (const uint8_t *)"x", 1) == MUTLS_ERR_CLOSED);
    CHECK(mutls_conn_key_update(p->c, 0) != 0);
    CHECK(mutls_conn_close(p->c) == 0); /* idempotent */
    pair_flush(p);
    CHECK(pair_recv(p, PAIR_C2S, buf, sizeof(buf)) == 10 && memcmp(buf, "last words", 10) == 0);
    CHECK(mutls_conn_read(p->s, buf, sizeof(buf)) == 0);
    CHECK(mutls_conn_read(p->s, buf, sizeof(buf)) == 0);
    CHECK(mutls_conn_error_code(p->s) == MUTLS_OK && mutls_conn_error_code(p->c) == MUTLS_OK);
    CHECK(mutls_conn_alert_received(p->s) == -1 && mutls_conn_alert_sent(p->c) == -1);

    say("half close: the server may still send after the client's close_notify");
    CHECK(pair_send(p, PAIR_S2C, "parting reply", 13) == 13);
    CHECK(pair_recv(p, PAIR_S2C, buf, sizeof(buf)) == 13 && memcmp(buf, "parting reply", 13) == 0);
    CHECK(mutls_conn_close(p->s) == 0);
    CHECK(mutls_conn_write(p->s, (const uint8_t *)"x", 1) == MUTLS_ERR_CLOSED);
    pair_flush(p);
    CHECK(mutls_conn_read(p->c, buf, sizeof(buf)) == 0);

    say("end of stream after close_notify is not a truncation");
    CHECK(pair_eof(p, PAIR_C2S) == 0);
    CHECK(pair_eof(p, PAIR_S2C) == 0);
    CHECK(mutls_conn_read(p->c, buf, sizeof(buf)) == 0);
    CHECK(mutls_conn_read(p->s, buf, sizeof(buf)) == 0);
    CHECK(mutls_conn_error_code(p->s) == MUTLS_OK && mutls_conn_error_code(p->c) == MUTLS_OK);
    pair_free(p);

    say("bytes after close_notify are ignored and not buffered (RFC 8446 6.1)");
    p = pair_new(NULL);
    CHECK(p != NULL && pair_handshake(p) == 0);
    if (p == NULL)
        return;
    CHECK(mutls_conn_close(p->c) == 0);
    pair_flush(p);
    CHECK(mutls_conn_read(p->s, buf, sizeof(buf)) == 0);
    {
        static uint8_t junk[1 << 16];
        int rc = 0;
        for (int i = 0; i < 64; i++) /* 4 MiB */
            rc |= mutls_conn_feed(p->s, junk, sizeof(junk));
        CHECK(rc == MUTLS_OK);
        CHECK(p->s->rec.in.len < sizeof(junk));
        CHECK(mutls_conn_read(p->s, buf, sizeof(buf)) == 0);
        CHECK(mutls_conn_error_code(p->s) == MUTLS_OK);
    }
    pair_free(p);

    say("truncation: end of stream without close_notify after data");
    p = pair_new(NULL);
    CHECK(p != NULL && pair_handshake(p) == 0);
    if (p == NULL)
        return;
    CHECK(pair_send(p, PAIR_S2C, "abc", 3) == 3);
    CHECK(pair_eof(p, PAIR_S2C) == 0);
    CHECK(mutls_conn_read(p->c, buf, sizeof(buf)) == 3); /* what came is delivered */
    CHECK(mutls_conn_read(p->c, buf, sizeof(buf)) == MUTLS_ERR_TRUNCATED);
    CHECK(mutls_conn_error_code(p->c) == MUTLS_ERR_TRUNCATED);
    CHECK_CONTAINS(mutls_conn_error(p->c), "truncat");
    CHECK_CONTAINS(mutls_conn_error(p->c), "close_notify");
    printf("    client: %s\n", mutls_conn_error(p->c));
    CHECK(mutls_conn_alert_sent(p->c) == -1); /* nobody left to tell */
    expect_sticky_(p->c, MUTLS_ERR_TRUNCATED, __FILE__, __LINE__);
    CHECK(mutls_conn_error_code(p->s) == MUTLS_OK);
    pair_free(p);

    say("truncation with nothing buffered");
    p = pair_new(NULL);
    CHECK(p != NULL && pair_handshake(p) == 0);
    if (p == NULL)
        return;
    CHECK(pair_eof(p, PAIR_C2S) == 0);
    CHECK(mutls_conn_read(p->s, buf, sizeof(buf)) == MUTLS_ERR_TRUNCATED);
    CHECK_CONTAINS(mutls_conn_error(p->s), "truncat");
    pair_free(p);
}

int main(void)
{
    test_fragmentation();
    test_hrr();
    test_alpn();
    test_sni();
    test_sig_selection();
    test_key_update();
    test_bulk();
    test_record_size_limit();
    test_close();
    TEST_MAIN_END();
}

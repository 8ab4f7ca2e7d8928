/*
 * Shared by the fuzz targets (fuzz/fuzz_*.c) and the seed generator
 * (fuzz/tools/make_seeds.c): deterministic hooks, the test certificates,
 * the configurations each target uses, and a "peer" that encrypts scripted
 * plaintext records with whatever key the connection under test expects.
 *
 * Everything here is static: each target is one translation unit.
 *
 * Determinism: every configuration gets a counter-based random hook and a
 * fixed clock; fz_reset() rewinds the random streams at the start of each
 * input, so one input always drives the connection the same way. (ECDSA
 * signatures made by a mutls *server* still use libcrypto's RNG; they do
 * not change which code runs.) Every server configuration loads the same
 * fixed ticket keys (fz_load_ticket_keys), so the tickets it seals are the
 * same in every run and in the seed generator; what a configuration
 * remembers between connections (TLS 1.2 session cache, 0-RTT anti-replay
 * record) is put back as it was after init by fz_server_after_input().
 */
#ifndef MT_FUZZ_COMMON_H
#define MT_FUZZ_COMMON_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mutls.h"
#include "core/conn.h"
#include "tls13/handshake.h"
#include "tls13/key_schedule.h"

/* Every helper is static; a target uses only some of them. */
#define FZ_FN static __attribute__((unused))

#ifndef MUTLS_SOURCE_DIR
#define MUTLS_SOURCE_DIR "."
#endif

/* 2026-01-01T00:00:00Z: inside the validity of every good test certificate. */
#define FZ_NOW INT64_C(1767225600)

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fz_die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
FZ_FN void fz_die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "fuzz setup: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    abort();
}

/* ---- deterministic hooks ----------------------------------------------- */

typedef struct fz_rng {
    uint64_t seed;
    uint64_t counter;
} fz_rng;

static fz_rng fz_client_rng = {UINT64_C(0x636c69656e74), 0};
static fz_rng fz_server_rng = {UINT64_C(0x736572766572), 0};

FZ_FN uint64_t fz_splitmix(uint64_t x)
{
    x += UINT64_C(0x9e3779b97f4a7c15);
    x = (x ^ (x >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    x = (x ^ (x >> 27)) * UINT64_C(0x94d049bb133111eb);
    return x ^ (x >> 31);
}

FZ_FN int fz_random(void *ctx, uint8_t *out, size_t len)
{
    fz_rng *r = ctx;
    while (len > 0) {
        uint64_t v = fz_splitmix(r->seed ^ (r->counter++ * UINT64_C(0x100000001b3)));
        for (int i = 0; i < 8 && len > 0; i++, len--)
            *out++ = (uint8_t)(v >> (8 * i));
    }
    return 0;
}

FZ_FN int64_t fz_time(void *ctx)
{
    (void)ctx;
    return FZ_NOW;
}

/* Rewind both random streams: call at the start of every input. */
FZ_FN void fz_reset(void)
{
    fz_client_rng.counter = 0;
    fz_server_rng.counter = 0;
}

/* ---- test certificates ------------------------------------------------- */

/* MUTLS_TEST_CERTS (as ctest sets it) or the source tree's tests/certs. */
FZ_FN const char *fz_certs_dir(void)
{
    const char *d = getenv("MUTLS_TEST_CERTS");
    return d != NULL && d[0] != '\0' ? d : MUTLS_SOURCE_DIR "/tests/certs";
}

FZ_FN void fz_cert_path(char *out, size_t cap, const char *name)
{
    if ((size_t)snprintf(out, cap, "%s/%s", fz_certs_dir(), name) >= cap)
        fz_die("path too long for %s", name);
}

FZ_FN uint8_t *fz_read_cert_file(const char *name, size_t *len)
{
    char path[4096];
    FILE *f;
    uint8_t *buf = NULL;
    size_t cap = 0, n = 0;

    fz_cert_path(path, sizeof(path), name);
    if ((f = fopen(path, "rb")) == NULL)
        fz_die("cannot open %s (set MUTLS_TEST_CERTS to the tests/certs directory)", path);
    for (;;) {
        if (n + 4096 + 1 > cap) {
            cap = cap ? cap * 2 : 8192;
            if ((buf = realloc(buf, cap)) == NULL)
                fz_die("out of memory");
        }
        size_t got = fread(buf + n, 1, 4096, f);
        n += got;
        if (got == 0)
            break;
    }
    fclose(f);
    buf[n] = '\0';
    *len = n;
    return buf;
}

FZ_FN void fz_add_chain(mutls_config *cfg, const char *stem)
{
    char pem[4096], key[4096], a[256], b[256];
    snprintf(a, sizeof(a), "%s.pem", stem);
    snprintf(b, sizeof(b), "%s.key", stem);
    fz_cert_path(pem, sizeof(pem), a);
    fz_cert_path(key, sizeof(key), b);
    if (mutls_config_add_cert_chain_file(cfg, pem, key) != 0)
        fz_die("%s: %s", stem, mutls_config_error(cfg));
}

FZ_FN void fz_check(mutls_config *cfg, int ret, const char *what)
{
    if (ret != 0)
        fz_die("%s: %s", what, mutls_config_error(cfg));
}

/* ---- a scratch directory and the fixed ticket keys --------------------- */

/* A per-process directory under $TMPDIR (or /tmp), removed at exit, for
 * the files the library reads by name (ticket key files). */
static char fz_tmp_dir[4096];

static void fz_tmp_cleanup(void)
{
    static const char *const names[] = {"ticket.keys", "input.keys"};
    char path[4200];
    if (fz_tmp_dir[0] == '\0')
        return;
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        snprintf(path, sizeof(path), "%s/%s", fz_tmp_dir, names[i]);
        (void)unlink(path);
    }
    (void)rmdir(fz_tmp_dir);
}

/* dir/name in the scratch directory (made on first use). name is one of
 * those fz_tmp_cleanup removes. */
FZ_FN void fz_tmp_path(char *out, size_t cap, const char *name)
{
    if (fz_tmp_dir[0] == '\0') {
        const char *t = getenv("TMPDIR");
        snprintf(fz_tmp_dir, sizeof(fz_tmp_dir), "%s/mutls-fuzz-XXXXXX",
                 t != NULL && t[0] != '\0' ? t : "/tmp");
        if (mkdtemp(fz_tmp_dir) == NULL)
            fz_die("mkdtemp %s failed", fz_tmp_dir);
        atexit(fz_tmp_cleanup);
    }
    if ((size_t)snprintf(out, cap, "%s/%s", fz_tmp_dir, name) >= cap)
        fz_die("scratch path too long");
}

FZ_FN void fz_write_file(const char *path, const uint8_t *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL || (n > 0 && fwrite(p, 1, n, f) != n) || fclose(f) != 0)
        fz_die("cannot write %s", path);
}

/*
 * Ticket key files (docs/resumption.md: "<id: 32 hex> <key: 64 hex>
 * <valid-from> <valid-until>"), valid from a day before FZ_NOW to 30 days
 * after it. Key set 0 is what every server configuration of the targets
 * and of the seed generator loads, so a ticket sealed by one opens in all;
 * set 1 is another key (a server that cannot open those tickets).
 */
static const char *const fz_ticket_key_files[2] = {
    "# mutls fuzz targets: fixed ticket key\n"
    "6d75746c732d66757a7a2d6b65792d30 "
    "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f "
    "1767139200 1769817600\n",
    "6d75746c732d66757a7a2d6b65792d31 "
    "f0e0d0c0b0a090807060504030201000f1e1d1c1b1a191817161514131211101 "
    "1767139200 1769817600\n",
};

FZ_FN void fz_load_ticket_keys(mutls_config *cfg, int set)
{
    char path[4200];
    const char *text = fz_ticket_key_files[set & 1];
    fz_tmp_path(path, sizeof(path), "ticket.keys");
    fz_write_file(path, (const uint8_t *)text, strlen(text));
    fz_check(cfg, mutls_config_load_ticket_keys(cfg, path), "ticket keys");
    (void)unlink(path);
}

/* ---- configurations ---------------------------------------------------- */

/*
 * Server variants:
 *   0  server-ecdsa-p256, defaults (fuzz_server)
 *   1  server-ecdsa-p256 + server-ed25519, groups P-256,P-384 (x25519
 *      shares get a HelloRetryRequest), ChaCha20 first, ALPN, record size
 *      limit 1024; TLS 1.2 with ECDHE-ECDSA ChaCha20 or AES-128-CBC-SHA
 *      (fuzz_server)
 *   2  server-ed25519, defaults (fuzz_client's in-process server; Ed25519
 *      signatures are deterministic, so its flight is too)
 *   3  server-ed25519, groups P-256,P-384, ALPN http/1.1, limit 2048, asks
 *      for a client certificate (optional, tests/certs/ca.pem)
 *   4  server-ecdsa-p256, requires a client certificate from ca.pem
 *      (fuzz_server)
 *   5  as 1, but asks for an optional client certificate, after the
 *      handshake when the client offers post-handshake authentication,
 *      without CA names (fuzz_server)
 *   6  resumption: server-ed25519 (deterministic, so full handshakes
 *      replay too), 2 tickets, a 64-entry TLS 1.2 session cache, 0-RTT up
 *      to 16384 bytes (fuzz_server; fuzz_client's in-process server for
 *      its resumption variants)
 *   7  resumption with the rest: server-ecdsa-p256 + server-ed25519,
 *      groups P-256,P-384 (x25519 shares get a HelloRetryRequest, which
 *      refuses 0-RTT), ALPN h2,http/1.1, an optional client certificate
 *      (ca.pem; resumed sessions keep it and verify it again), psk_ke
 *      allowed, 1 ticket of 3600 s, a 4-entry session cache, 0-RTT up to
 *      1024 bytes (fuzz_server)
 * All load ticket key set 0 (fz_load_ticket_keys) and keep the default
 * session cache and tickets unless said otherwise.
 */
#define FZ_SERVER_VARIANTS 8

FZ_FN void fz_client_auth(mutls_config *cfg, mutls_verify_mode mode)
{
    char ca[4096];
    fz_cert_path(ca, sizeof(ca), "ca.pem");
    fz_check(cfg, mutls_config_add_client_ca_file(cfg, ca), "client CA");
    mutls_config_set_verify(cfg, mode);
}

FZ_FN mutls_config *fz_server_config(int variant, mutls_keylog_fn keylog, void *keylog_ctx)
{
    mutls_config *cfg = mutls_config_new(MUTLS_SERVER);
    if (cfg == NULL)
        fz_die("mutls_config_new");
    mutls_config_set_random(cfg, fz_random, &fz_server_rng);
    mutls_config_set_time(cfg, fz_time, NULL);
    if (keylog != NULL)
        mutls_config_set_keylog(cfg, keylog, keylog_ctx);
    switch (variant) {
    case 0:
        fz_add_chain(cfg, "server-ecdsa-p256");
        break;
    case 4:
        fz_add_chain(cfg, "server-ecdsa-p256");
        fz_client_auth(cfg, MUTLS_VERIFY_REQUIRE);
        break;
    case 1:
    case 5:
        if (variant == 5) {
            fz_client_auth(cfg, MUTLS_VERIFY_OPTIONAL);
            mutls_config_set_post_handshake_auth(cfg, 1);
            mutls_config_set_send_ca_names(cfg, 0);
        }
        fz_add_chain(cfg, "server-ecdsa-p256");
        fz_add_chain(cfg, "server-ed25519");
        fz_check(cfg, mutls_config_set_groups(cfg, "secp256r1,secp384r1"), "groups");
        fz_check(cfg,
                 mutls_config_set_ciphers(cfg, "TLS_CHACHA20_POLY1305_SHA256,"
                                               "TLS_AES_256_GCM_SHA384,TLS_AES_128_GCM_SHA256,"
                                               "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,"
                                               "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"),
                 "ciphers");
        fz_check(cfg, mutls_config_set_alpn(cfg, "http/1.1,h2"), "alpn");
        fz_check(cfg, mutls_config_set_record_size_limit(cfg, 1024), "record_size_limit");
        break;
    case 2:
        fz_add_chain(cfg, "server-ed25519");
        break;
    case 6:
        fz_add_chain(cfg, "server-ed25519");
        fz_check(cfg, mutls_config_set_session_cache(cfg, 64, 7200), "session cache");
        fz_check(cfg, mutls_config_set_early_data(cfg, 16384), "early data");
        break;
    case 7:
        fz_add_chain(cfg, "server-ecdsa-p256");
        fz_add_chain(cfg, "server-ed25519");
        fz_check(cfg, mutls_config_set_groups(cfg, "secp256r1,secp384r1"), "groups");
        fz_check(cfg, mutls_config_set_alpn(cfg, "h2,http/1.1"), "alpn");
        fz_client_auth(cfg, MUTLS_VERIFY_OPTIONAL);
        mutls_config_set_psk_ke(cfg, 1);
        fz_check(cfg, mutls_config_set_tickets(cfg, 1), "tickets");
        fz_check(cfg, mutls_config_set_ticket_lifetime(cfg, 3600), "ticket lifetime");
        fz_check(cfg, mutls_config_set_session_cache(cfg, 4, 600), "session cache");
        fz_check(cfg, mutls_config_set_early_data(cfg, 1024), "early data");
        break;
    default:
        fz_add_chain(cfg, "server-ed25519");
        fz_check(cfg, mutls_config_set_groups(cfg, "secp256r1,secp384r1"), "groups");
        fz_check(cfg, mutls_config_set_alpn(cfg, "http/1.1"), "alpn");
        fz_check(cfg, mutls_config_set_record_size_limit(cfg, 2048), "record_size_limit");
        fz_client_auth(cfg, MUTLS_VERIFY_OPTIONAL);
        break;
    }
    fz_load_ticket_keys(cfg, 0);
    return cfg;
}

/*
 * Client variants (each with verify NONE or REQUIRE against tests/certs/ca.pem):
 *   0  defaults (x25519 share, AES-128 first), name "localhost"
 *   1  groups x25519,P-256, ChaCha20 then AES-128, ALPN h2,http/1.1,
 *      record size limit 512, name "localhost"
 *   2  groups P-384,x25519, AES-256 only, no middlebox compatibility,
 *      name "127.0.0.1" (IP literal: no SNI, IP SAN check)
 *   3  groups P-256,x25519, a client certificate (client-ecdsa-p256),
 *      Ed25519 preferred, name "::1"
 */
#define FZ_CLIENT_VARIANTS 4

FZ_FN const char *fz_client_server_name(int variant)
{
    static const char *const names[FZ_CLIENT_VARIANTS] = {"localhost", "localhost", "127.0.0.1",
                                                          "::1"};
    return names[variant % FZ_CLIENT_VARIANTS];
}

FZ_FN mutls_config *fz_client_config(int variant, int verify, mutls_keylog_fn keylog,
                                      void *keylog_ctx)
{
    char ca[4096];
    mutls_config *cfg = mutls_config_new(MUTLS_CLIENT);
    if (cfg == NULL)
        fz_die("mutls_config_new");
    mutls_config_set_random(cfg, fz_random, &fz_client_rng);
    mutls_config_set_time(cfg, fz_time, NULL);
    if (keylog != NULL)
        mutls_config_set_keylog(cfg, keylog, keylog_ctx);
    if (verify) {
        fz_cert_path(ca, sizeof(ca), "ca.pem");
        fz_check(cfg, mutls_config_set_ca_file(cfg, ca), "ca");
        mutls_config_set_verify(cfg, MUTLS_VERIFY_REQUIRE);
    } else {
        mutls_config_set_verify(cfg, MUTLS_VERIFY_NONE);
    }
    switch (variant % FZ_CLIENT_VARIANTS) {
    case 0:
        break;
    case 1:
        fz_check(cfg, mutls_config_set_groups(cfg, "x25519,secp256r1"), "groups");
        fz_check(cfg,
                 mutls_config_set_ciphers(cfg, "TLS_CHACHA20_POLY1305_SHA256,TLS_AES_128_GCM_SHA256"),
                 "ciphers");
        fz_check(cfg, mutls_config_set_alpn(cfg, "h2,http/1.1"), "alpn");
        fz_check(cfg, mutls_config_set_record_size_limit(cfg, 512), "record_size_limit");
        break;
    case 2:
        fz_check(cfg, mutls_config_set_groups(cfg, "secp384r1,x25519"), "groups");
        fz_check(cfg, mutls_config_set_ciphers(cfg, "TLS_AES_256_GCM_SHA384"), "ciphers");
        mutls_config_set_middlebox_compat(cfg, 0);
        break;
    default:
        fz_check(cfg, mutls_config_set_groups(cfg, "secp256r1,x25519"), "groups");
        fz_add_chain(cfg, "client-ecdsa-p256");
        fz_check(cfg,
                 mutls_config_set_sig_schemes(cfg, "ed25519,ecdsa_secp256r1_sha256,"
                                                   "ecdsa_secp384r1_sha384,rsa_pss_rsae_sha256"),
                 "sig schemes");
        break;
    }
    return cfg;
}

/* A client connection that has sent its ClientHello (output left pending). */
FZ_FN mutls_conn *fz_client_start(mutls_config *cfg, int variant)
{
    mutls_conn *c = mutls_conn_new(cfg);
    if (c == NULL)
        fz_die("mutls_conn_new: %s", mutls_config_error(cfg));
    if (mutls_conn_set_server_name(c, fz_client_server_name(variant)) != 0)
        fz_die("mutls_conn_set_server_name");
    (void)mutls_conn_handshake(c);
    return c;
}

/* ---- driving a connection ---------------------------------------------- */

/* What must hold of any connection whatever it was fed. */
FZ_FN void fz_check_conn(const mutls_conn *c)
{
    /* an error always comes with words, and only an error */
    if ((mutls_conn_error_code(c) == MUTLS_OK) != (mutls_conn_error(c)[0] == '\0'))
        abort();
    /* every state a connection can reach has a name (error messages use it) */
    if (strcmp(mt_state_name(c->state), "?") == 0)
        abort();
}

/* MUTLS_FUZZ_VERBOSE=1: say where each input left the connection (for
 * checking seeds and reading crashes; off while fuzzing). */
FZ_FN void fz_report(const char *who, const mutls_conn *c)
{
    static int verbose = -1;
    if (verbose < 0) {
        const char *v = getenv("MUTLS_FUZZ_VERBOSE");
        verbose = v != NULL && v[0] != '\0' && v[0] != '0';
    }
    if (!verbose)
        return;
    fprintf(stderr, "%s: %s %s, %s%s%s, key updates %llu/%llu%s%s%s%s\n", who,
            mutls_version_name(mutls_conn_version(c)) ? mutls_version_name(mutls_conn_version(c))
                                                      : "-",
            mt_state_name(c->state), mutls_strerror(mutls_conn_error_code(c)),
            mutls_conn_error(c)[0] ? ": " : "", mutls_conn_error(c),
            (unsigned long long)mutls_conn_key_updates_sent(c),
            (unsigned long long)mutls_conn_key_updates_received(c),
            c->close_received ? ", close_notify received" : "",
            mutls_conn_peer_verified(c) ? ", peer verified" : "",
            mutls_conn_is_resumed(c) ? ", resumed" : "",
            c->early_status == MUTLS_EARLY_DATA_ACCEPTED   ? ", 0-RTT accepted"
            : c->early_status == MUTLS_EARLY_DATA_REJECTED ? ", 0-RTT rejected"
                                                           : "");
}

/* Discard pending output (into log when given) and read any plaintext. */
FZ_FN void fz_drain(mutls_conn *c, mt_buf *log)
{
    static uint8_t buf[4096];
    size_t n;
    while ((n = mutls_conn_take(c, buf, sizeof(buf))) > 0)
        if (log != NULL)
            (void)mt_w_bytes(log, buf, n);
    for (int i = 0; i < 64; i++)
        if (mutls_conn_read(c, buf, sizeof(buf)) <= 0)
            break;
}

/* Feed data in chunks; the chunking follows sel (0: all at once). after,
 * when given, runs after each chunk. */
FZ_FN void fz_feed_chunked(mutls_conn *c, const uint8_t *p, size_t n, unsigned sel,
                           void (*after)(mutls_conn *))
{
    static const size_t fixed[] = {0, 1, 2, 5, 7, 64, 333, 0};
    uint64_t st = sel * UINT64_C(0x9e3779b97f4a7c15) + n;
    while (n > 0) {
        size_t k = fixed[sel & 7];
        if ((sel & 7) == 7) { /* pseudo-random sizes, 1..600 */
            st = fz_splitmix(st);
            k = 1 + (size_t)(st % 600);
        }
        if (k == 0 || k > n)
            k = n;
        (void)mutls_conn_feed(c, p, k);
        if (after != NULL)
            after(c);
        fz_drain(c, NULL);
        p += k;
        n -= k;
        if (mutls_conn_error_code(c) != MUTLS_OK)
            break; /* frozen: every later call returns the same error */
    }
}

/* Move everything `from` has pending to `to` (appending it to log). */
FZ_FN void fz_pump(mutls_conn *from, mutls_conn *to, mt_buf *log)
{
    static uint8_t buf[16384];
    size_t n;
    while ((n = mutls_conn_take(from, buf, sizeof(buf))) > 0) {
        if (log != NULL)
            (void)mt_w_bytes(log, buf, n);
        (void)mutls_conn_feed(to, buf, n);
    }
}

/* A NewSessionTicket message with an early_data extension and a ticket
 * no server can open (fz_run_pair sends it when the server sends none of
 * its own). */
FZ_FN size_t fz_new_session_ticket(uint8_t *out)
{
    static const uint8_t nst[] = {
        MT_HS_NEW_SESSION_TICKET, 0, 0, 34,
        0, 0, 0x1c, 0x20,             /* ticket_lifetime 7200 */
        0x12, 0x34, 0x56, 0x78,       /* ticket_age_add */
        1, 0,                         /* ticket_nonce */
        0, 12, 't', 'i', 'c', 'k', 'e', 't', '-', 'b', 'y', 't', 'e', 's',
        0, 8, 0, 42, 0, 4, 0, 0, 0x40, 0, /* early_data, max 16384 */
    };
    memcpy(out, nst, sizeof(nst));
    return sizeof(nst);
}

/*
 * A whole handshake between client and server, then some traffic: the
 * server sends its NewSessionTickets (or, when it sends none, the one of
 * fz_new_session_ticket), data, a KeyUpdate asking for one back
 * and more data; the client sends data and a KeyUpdate; the server asks
 * for a certificate after the handshake when the client offered that;
 * both close (TLS 1.2: data and close only). A TLS 1.2 client with False
 * Start writes a request as soon as it may, before the server's Finished.
 * Everything each side emitted is appended to c_log / s_log. Returns 0
 * when the handshake completed.
 */
FZ_FN int fz_run_pair(mutls_conn *c, mutls_conn *s, mt_buf *c_log, mt_buf *s_log)
{
    static const uint8_t hello[] = "hello from the server\n";
    static const uint8_t later[] = "after the key update\n";
    static const uint8_t req[] = "GET / HTTP/1.0\r\n\r\n";
    static const uint8_t early_req[] = "GET /false-start HTTP/1.0\r\n\r\n";
    uint8_t nst[64];
    size_t nst_len;
    int ok, tls13, false_start = 0;

    (void)mutls_conn_handshake(c);
    for (int round = 0; round < 8; round++) {
        fz_pump(c, s, c_log);
        fz_pump(s, c, s_log);
        /* TLS 1.2 False Start: a request before the server's Finished */
        if (!false_start && mutls_conn_false_start_ready(c)) {
            false_start = 1;
            (void)mutls_conn_write(c, early_req, sizeof(early_req) - 1);
        }
    }
    ok = mutls_conn_handshake_done(c) && mutls_conn_handshake_done(s);
    if (!ok)
        return -1;
    tls13 = mutls_conn_version(c) == MUTLS_TLS1_3;
    /* post-handshake messages exist in TLS 1.3 only */
    if (tls13 && (s->cfg->tickets == 0 || s->cfg->ticket_keys == NULL)) {
        nst_len = fz_new_session_ticket(nst);
        if (mt_rec_write(&s->rec, MT_CT_HANDSHAKE, nst, nst_len, &s->err) != 0)
            return -1;
    }
    (void)mutls_conn_write(s, hello, sizeof(hello) - 1);
    if (tls13)
        (void)mutls_conn_key_update(s, 1);
    (void)mutls_conn_write(s, later, sizeof(later) - 1);
    fz_pump(s, c, s_log);
    (void)mutls_conn_write(c, req, sizeof(req) - 1);
    if (tls13)
        (void)mutls_conn_key_update(c, 0);
    fz_pump(c, s, c_log);
    /* Post-handshake authentication, where the client offered it. */
    if (mutls_conn_request_client_auth(s) == 0) {
        fz_pump(s, c, s_log);
        fz_pump(c, s, c_log);
    }
    fz_drain(c, NULL);
    fz_drain(s, NULL);
    (void)mutls_conn_close(s);
    fz_pump(s, c, s_log);
    (void)mutls_conn_close(c);
    fz_pump(c, s, c_log);
    return 0;
}

/* ---- resumption ---------------------------------------------------------- */

/*
 * fuzz_client's resumption variants: a client that offers a session made
 * by a full handshake with an in-process server (fz_server_config 6):
 *   0  TLS 1.3 ticket, client variant 0 with psk_ke allowed
 *   1  TLS 1.3 ticket and 0-RTT data (fz_early_data), client variant 1
 *      (ChaCha20 first, ALPN, record_size_limit)
 *   2  TLS 1.2 only, False Start, an RFC 5077 ticket
 *   3  TLS 1.2 only, False Start, a session ID (the server's cache)
 */
#define FZ_RESUME_VARIANTS 4

static const uint8_t fz_early_data[] = "GET /0-rtt HTTP/1.1\r\nHost: localhost\r\n\r\n";

/* The client variant a resumption variant builds on. */
FZ_FN int fz_resume_base(int r) { return r == 1 ? 1 : 0; }

FZ_FN mutls_config *fz_resume_client_config(int r, int verify, mutls_keylog_fn keylog,
                                             void *keylog_ctx)
{
    mutls_config *cfg = fz_client_config(fz_resume_base(r), verify, keylog, keylog_ctx);
    if (r == 0)
        mutls_config_set_psk_ke(cfg, 1);
    if (r >= 2) {
        fz_check(cfg, mutls_config_set_versions(cfg, MUTLS_TLS1_2, MUTLS_TLS1_2), "versions");
        mutls_config_set_false_start(cfg, 1);
    }
    return cfg;
}

/* A client connection offering session s (and, for variant 1, 0-RTT data)
 * that has sent its ClientHello. */
FZ_FN mutls_conn *fz_resume_client_start(mutls_config *cfg, int r, mutls_session *s)
{
    mutls_conn *c = mutls_conn_new(cfg);
    if (c == NULL)
        fz_die("mutls_conn_new: %s", mutls_config_error(cfg));
    if (mutls_conn_set_server_name(c, fz_client_server_name(fz_resume_base(r))) != 0 ||
        (s != NULL && mutls_conn_set_session(c, s) != 0))
        fz_die("client setup");
    if (r == 1 && s != NULL &&
        mutls_conn_write_early_data(c, fz_early_data, sizeof(fz_early_data) - 1) < 0)
        fz_die("the session allows no early data");
    (void)mutls_conn_handshake(c);
    return c;
}

/* The session ID in a TLS 1.2 server's first record (its ServerHello). */
FZ_FN int fz_server_hello_session_id(const mt_buf *s_log, uint8_t id[32])
{
    /* record header 5, message header 4, version 2, random 32, length 1 */
    if (s_log->len < 44 + 32 || s_log->data[0] != MT_CT_HANDSHAKE ||
        s_log->data[5] != MT_HS_SERVER_HELLO || s_log->data[43] != 32)
        return -1;
    memcpy(id, s_log->data + 44, 32);
    return 0;
}

/*
 * The session a resumption variant offers: a full handshake of ccfg with
 * scfg (from fz_reset(), so the same in every process), the newest session
 * the client got; for variant 3, a copy with the server's session ID and
 * no ticket (scfg's cache keeps the ID), the ticket session going to
 * *ticket12 when asked for.
 */
FZ_FN mutls_session *fz_resume_make_session(int r, mutls_config *ccfg, mutls_config *scfg,
                                            mutls_session **ticket12)
{
    mutls_conn *c, *s;
    mutls_session *sess;
    mt_buf s_log;
    uint8_t id[32];

    fz_reset();
    c = fz_resume_client_start(ccfg, r, NULL);
    if ((s = mutls_conn_new(scfg)) == NULL)
        fz_die("server: %s", mutls_config_error(scfg));
    mt_buf_init(&s_log);
    if (fz_run_pair(c, s, NULL, &s_log) != 0)
        fz_die("resumption variant %d: the first handshake failed: %s / %s", r,
               mutls_conn_error(c), mutls_conn_error(s));
    if ((sess = mutls_conn_get_session(c)) == NULL)
        fz_die("resumption variant %d: the server gave no session", r);
    if (r == 3) {
        mutls_session *t = sess;
        if (fz_server_hello_session_id(&s_log, id) != 0 ||
            (sess = mt_session_new(&t->st, NULL, 0, id, 32)) == NULL)
            fz_die("resumption variant 3: no session ID in the ServerHello");
        if (ticket12 != NULL)
            *ticket12 = t;
        else
            mutls_session_free(t);
    }
    mt_buf_free(&s_log);
    mutls_conn_free(c);
    mutls_conn_free(s);
    return sess;
}

/* ---- what a server configuration remembers between inputs ------------------ */

/*
 * A server configuration's session cache and 0-RTT anti-replay record
 * outlive connections: an input would otherwise change what the next one
 * meets. fz_server_prime() puts one known TLS 1.2 session in the cache
 * (the seed generator makes the same one, so its session-ID seeds
 * resume); fz_server_after_input() gives the configuration back a cache
 * holding just that, and an empty anti-replay record, whenever an input
 * may have changed them.
 */
typedef struct fz_primed {
    const mutls_config *cfg;
    uint8_t id[32];
    mt_buf state;
} fz_primed;

static fz_primed fz_primes[FZ_SERVER_VARIANTS];
static size_t fz_n_primes;

FZ_FN void fz_server_fresh_cache(mutls_config *cfg)
{
    mt_session_cache *sc;
    if (cfg->session_cache == NULL)
        return;
    if ((sc = mt_session_cache_new(cfg->cache_entries, cfg->cache_timeout)) == NULL)
        fz_die("session cache");
    for (size_t i = 0; i < fz_n_primes; i++)
        if (fz_primes[i].cfg == cfg &&
            mt_session_cache_put(sc, fz_primes[i].id, fz_primes[i].state.data,
                                 fz_primes[i].state.len, mt_config_now(cfg)) != 0)
            fz_die("session cache put");
    mt_session_cache_free(cfg->session_cache);
    cfg->session_cache = sc;
}

FZ_FN void fz_server_fresh_antireplay(mutls_config *cfg)
{
    mt_antireplay *a;
    if (cfg->antireplay == NULL)
        return;
#ifdef MT_ANTIREPLAY_WINDOW_S
    a = mt_antireplay_new(65536, MT_ANTIREPLAY_WINDOW_S); /* as mutls_config's */
#else
    a = mt_antireplay_new(65536, 10);
#endif
    if (a == NULL)
        fz_die("anti-replay");
    mt_antireplay_free(cfg->antireplay);
    cfg->antireplay = a;
}

FZ_FN void fz_server_fresh_state(mutls_config *cfg)
{
    fz_server_fresh_cache(cfg);
    fz_server_fresh_antireplay(cfg);
}

/* After an input that ran connection c on cfg: TLS 1.2 handshakes may
 * have filled the cache, accepted 0-RTT went into the anti-replay record. */
FZ_FN void fz_server_after_input(mutls_config *cfg, const mutls_conn *c)
{
    if (c->version == MUTLS_TLS1_2)
        fz_server_fresh_cache(cfg);
    if (c->early_status == MUTLS_EARLY_DATA_ACCEPTED)
        fz_server_fresh_antireplay(cfg);
}

/* The client that primes a server: resumption variant 3 (TLS 1.2, False
 * Start) accepting only Ed25519, so that the server signs with Ed25519 and
 * the master secret (the extended one hashes the server's signature) is
 * the same in every process. */
FZ_FN mutls_config *fz_prime_client_config(mutls_keylog_fn keylog, void *keylog_ctx)
{
    mutls_config *cfg = fz_resume_client_config(3, 0, keylog, keylog_ctx);
    fz_check(cfg, mutls_config_set_sig_schemes(cfg, "ed25519"), "sig schemes");
    return cfg;
}

/* Prime a frozen server configuration that has a session cache (and an
 * Ed25519 chain): one full TLS 1.2 handshake, whose cache entry is kept.
 * The client's sessions (session ID; ticket) go to id_out / ticket_out
 * when asked for. */
FZ_FN void fz_server_prime(mutls_config *scfg, mutls_session **id_out, mutls_session **ticket_out)
{
    mutls_config *ccfg = fz_prime_client_config(NULL, NULL);
    mutls_session *t = NULL, *id = fz_resume_make_session(3, ccfg, scfg, &t);
    fz_primed *p;

    if (scfg->session_cache == NULL || fz_n_primes == FZ_SERVER_VARIANTS)
        fz_die("cannot prime this server configuration");
    p = &fz_primes[fz_n_primes++];
    p->cfg = scfg;
    memcpy(p->id, id->session_id, 32);
    mt_buf_init(&p->state);
    if (mt_session_cache_get(scfg->session_cache, p->id, mt_config_now(scfg), &p->state) != 0)
        fz_die("the priming handshake left no session in the cache");
    if (id_out != NULL)
        *id_out = id;
    else
        mutls_session_free(id);
    if (ticket_out != NULL)
        *ticket_out = t;
    else
        mutls_session_free(t);
    mutls_config_free(ccfg);
    fz_server_fresh_state(scfg);
}

/* What must hold of a session: its export imports back to a session that
 * exports the same bytes (aborts otherwise). */
FZ_FN void fz_check_session_round_trip(const mutls_session *s)
{
    uint8_t *a = NULL, *b = NULL;
    size_t alen = 0, blen = 0;
    mutls_session *again;

    if (s == NULL || mutls_session_export(s, &a, &alen) != MUTLS_OK)
        return; /* not every session exports (none here should fail, but
                   an allocation may) */
    if ((again = mutls_session_import(a, alen)) == NULL)
        abort(); /* an export that does not import */
    if (mutls_session_export(again, &b, &blen) != MUTLS_OK || blen != alen ||
        memcmp(a, b, alen) != 0)
        abort(); /* export -> import -> export changed the bytes */
    if (mutls_session_max_early_data(again) != mutls_session_max_early_data(s))
        abort();
    mutls_session_free(again);
    free(a);
    free(b);
}

/* ---- the scripted peer ------------------------------------------------- */

/*
 * A script is what the peer of the connection under test sends, as
 * plaintext. Each item starts with an op byte (op % 8):
 *
 *   0 RECORD  ct pad len16 data  one record of content type ct: sent
 *             as is before keys are installed, otherwise encrypted with
 *             the key the connection expects next (inner type ct, pad
 *             zero bytes of padding)
 *   1 RAW     len16 data         bytes fed unchanged (record headers,
 *             cleartext alerts, garbage)
 *   2 FINISHED                   the peer's correct Finished, computed
 *             from the connection's own transcript and secrets
 *   3 CERTIFICATE_VERIFY         the peer's valid CertificateVerify
 *             over the connection's transcript, signed with the key the
 *             target gives (server-ecdsa-p256.key for a client under
 *             test, client-ecdsa-p256.key for a server)
 *   4 EOF                        feed(len 0)
 *   5 WRITE   len8 data          mutls_conn_write by the connection
 *   6 KEY_UPDATE req             mutls_conn_key_update(req & 1)
 *   7 CLOSE                      mutls_conn_close
 *   8 REQUEST_CLIENT_AUTH        mutls_conn_request_client_auth (a
 *             server asking after the handshake)
 *   9 RECORD_BINDER ct pad len16 data   as RECORD, but when the connection
 *             is a server and data starts with a ClientHello whose last
 *             extension is pre_shared_key, each identity that is a ticket
 *             the server's keys open first gets its correct binder (over
 *             the ClientHello as it now is, after the transcript so far
 *             when it follows a HelloRetryRequest)
 *  10 SEND_TICKET                mutls_conn_send_ticket (a server)
 *
 * So a fuzzer that knows no keys still reaches every handshake state and
 * the post-handshake code with well-formed, correctly protected records,
 * and resumes sessions from ClientHellos it changed.
 */
enum {
    FZ_OP_RECORD = 0,
    FZ_OP_RAW = 1,
    FZ_OP_FINISHED = 2,
    FZ_OP_CERT_VERIFY = 3,
    FZ_OP_EOF = 4,
    FZ_OP_WRITE = 5,
    FZ_OP_KEY_UPDATE = 6,
    FZ_OP_CLOSE = 7,
    FZ_OP_REQUEST_CLIENT_AUTH = 8,
    FZ_OP_RECORD_BINDER = 9,
    FZ_OP_SEND_TICKET = 10,
    FZ_OP_COUNT
};

/* The traffic secret the connection will decrypt the next record with,
 * or NULL when it reads plaintext. */
FZ_FN const uint8_t *fz_read_secret(const mutls_conn *c)
{
    /* TLS 1.3 only: a TLS 1.2 peer's records go out as scripted. */
    if (c->rec.rd.prot != MT_PROT_TLS13 || c->suite == NULL)
        return NULL;
    if (c->state == MT_ST_CONNECTED)
        return c->role == MUTLS_CLIENT ? c->s_ap_secret : c->c_ap_secret;
    if (c->hs == NULL)
        return NULL;
    if (c->state == MT_ST_S_WAIT_EOED) /* accepted 0-RTT: the early key */
        return c->hs->c_e_secret;
    return c->role == MUTLS_CLIENT ? c->hs->s_hs_secret : c->hs->c_hs_secret;
}

/* Append one TLS 1.3 protected record: header (outer type), AEAD over
 * data || inner_type || pad zeros, under the key and IV of secret. */
FZ_FN int fz_seal(mt_buf *out, const mt_crypto *cx, const mt_suite *s, const uint8_t *secret,
                   uint64_t seq, uint8_t outer, uint8_t inner_type, const uint8_t *data,
                   size_t len, size_t pad)
{
    uint8_t key[MT_MAX_KEY_LEN], iv[MT_AEAD_NONCE_LEN], nonce[MT_AEAD_NONCE_LEN];
    mt_aead *a;
    uint8_t *hdr;
    size_t inner, body;
    int ret = -1;

    if (len > 0xffff - 1 - MT_AEAD_TAG_LEN)
        len = 0xffff - 1 - MT_AEAD_TAG_LEN;
    if (pad > 0xffff - 1 - MT_AEAD_TAG_LEN - len)
        pad = 0xffff - 1 - MT_AEAD_TAG_LEN - len;
    inner = len + 1 + pad;
    body = inner + MT_AEAD_TAG_LEN;
    if (mt_traffic_keys(cx, s->hash, s->key_len, secret, key, iv) != 0)
        return -1;
    if ((a = mt_aead_new(cx, s->aead, 1, key)) == NULL)
        return -1;
    if (mt_buf_reserve(out, MT_RECORD_HEADER + body) != 0)
        goto Exit;
    hdr = out->data + out->len;
    hdr[0] = outer;
    hdr[1] = 3;
    hdr[2] = 3;
    hdr[3] = (uint8_t)(body >> 8);
    hdr[4] = (uint8_t)body;
    if (len > 0)
        memcpy(hdr + MT_RECORD_HEADER, data, len);
    hdr[MT_RECORD_HEADER + len] = inner_type;
    memset(hdr + MT_RECORD_HEADER + len + 1, 0, pad);
    memcpy(nonce, iv, sizeof(nonce));
    for (int i = 0; i < 8; i++)
        nonce[MT_AEAD_NONCE_LEN - 1 - i] ^= (uint8_t)(seq >> (8 * i));
    if (mt_aead_seal(a, nonce, hdr, MT_RECORD_HEADER, hdr + MT_RECORD_HEADER, inner,
                     hdr + MT_RECORD_HEADER) != 0)
        goto Exit;
    out->len += MT_RECORD_HEADER + body;
    ret = 0;
Exit:
    mt_aead_free(a);
    mt_wipe(key, sizeof(key));
    return ret;
}

/* Feed one record of type ct as the connection expects it. */
FZ_FN void fz_send_record(mutls_conn *c, uint8_t ct, const uint8_t *data, size_t len, size_t pad)
{
    const uint8_t *secret = fz_read_secret(c);
    mt_buf b;
    mt_buf_init(&b);
    if (secret != NULL && ct != MT_CT_CHANGE_CIPHER_SPEC) {
        if (fz_seal(&b, c->cfg->cx, c->suite, secret, c->rec.rd.seq, MT_CT_APPLICATION_DATA, ct,
                    data, len, pad) != 0)
            goto Exit;
    } else {
        if (len > 0xffff)
            len = 0xffff;
        (void)mt_w_u8(&b, ct);
        (void)mt_w_u16(&b, 0x0303);
        (void)mt_w_u16(&b, (uint16_t)len);
        (void)mt_w_bytes(&b, data, len);
    }
    if (b.err == 0 && b.len > 0)
        (void)mutls_conn_feed(c, b.data, b.len);
Exit:
    mt_buf_free(&b);
}

/* The peer's Finished for the connection's current transcript. */
FZ_FN void fz_send_finished(mutls_conn *c)
{
    uint8_t th[MT_MAX_HASH], msg[4 + MT_MAX_HASH];
    size_t hlen;
    const uint8_t *base;

    if (c->hs == NULL || c->suite == NULL || mt_transcript_hash(c, th) != 0)
        return;
    if (c->state == MT_ST_CONNECTED) /* post-handshake authentication */
        base = c->role == MUTLS_SERVER ? c->c_ap_secret : c->s_ap_secret;
    else
        base = c->role == MUTLS_CLIENT ? c->hs->s_hs_secret : c->hs->c_hs_secret;
    hlen = mt_hash_size(c->suite->hash);
    if (mt_finished_mac(c->cfg->cx, c->suite->hash, base, th, msg + 4) != 0)
        return;
    msg[0] = MT_HS_FINISHED;
    msg[1] = 0;
    msg[2] = 0;
    msg[3] = (uint8_t)hlen;
    fz_send_record(c, MT_CT_HANDSHAKE, msg, 4 + hlen, 0);
}

/* The peer's CertificateVerify over the connection's transcript, signed
 * by key (ECDSA P-256): a server's for a client under test, a client's for
 * a server. */
FZ_FN void fz_send_certificate_verify(mutls_conn *c, const mt_pkey *key)
{
    static const char server_ctx[] = "TLS 1.3, server CertificateVerify";
    static const char client_ctx[] = "TLS 1.3, client CertificateVerify";
    const char *ctx = c->role == MUTLS_CLIENT ? server_ctx : client_ctx;
    const mt_sig_scheme *s = mt_sig_scheme_find(MT_SIG_ECDSA_SECP256R1_SHA256);
    uint8_t th[MT_MAX_HASH], content[64 + sizeof(server_ctx) + MT_MAX_HASH];
    size_t hlen, n;
    mt_buf sig, msg;

    if (key == NULL || s == NULL || c->hs == NULL || c->suite == NULL ||
        mt_transcript_hash(c, th) != 0)
        return;
    hlen = mt_hash_size(c->suite->hash);
    memset(content, 0x20, 64);
    memcpy(content + 64, ctx, sizeof(server_ctx));
    memcpy(content + 64 + sizeof(server_ctx), th, hlen);
    n = 64 + sizeof(server_ctx) + hlen;
    mt_buf_init(&sig);
    mt_buf_init(&msg);
    if (mt_sign(c->cfg->cx, key, s, content, n, &sig) == 0) {
        (void)mt_w_u8(&msg, MT_HS_CERTIFICATE_VERIFY);
        size_t l = mt_w_open(&msg, 3);
        (void)mt_w_u16(&msg, s->code);
        size_t v = mt_w_open(&msg, 2);
        (void)mt_w_bytes(&msg, sig.data, sig.len);
        (void)mt_w_close(&msg, v, 2);
        (void)mt_w_close(&msg, l, 3);
        if (msg.err == 0)
            fz_send_record(c, MT_CT_HANDSHAKE, msg.data, msg.len, 0);
    }
    mt_buf_free(&sig);
    mt_buf_free(&msg);
}

/* The private key of tests/certs/<stem>.key (for the CertificateVerify op). */
FZ_FN mt_pkey *fz_load_key(const char *stem)
{
    char name[128];
    size_t pem_len, key_len;
    uint8_t *pem, *key;
    mt_cert_chain *chain = NULL;
    mt_error e;
    mt_pkey *k;

    snprintf(name, sizeof(name), "%s.pem", stem);
    pem = fz_read_cert_file(name, &pem_len);
    snprintf(name, sizeof(name), "%s.key", stem);
    key = fz_read_cert_file(name, &key_len);
    mt_error_clear(&e);
    if (mt_cert_chain_load((const char *)pem, pem_len, (const char *)key, key_len, &chain, &e) != 0)
        fz_die("%s: %s", stem, e.msg);
    k = mt_pkey_up_ref(chain->key);
    mt_cert_chain_free(chain);
    free(pem);
    free(key);
    return k;
}

/* binder = HMAC(finished_key(Derive-Secret(Early(psk), "res binder", "")),
 * Hash(prefix || truncated)), RFC 8446 4.2.11.2. */
FZ_FN int fz_binder(const mt_crypto *cx, mt_hash_id h, const uint8_t *psk, size_t psk_len,
                    const mt_hash *prefix, const uint8_t *truncated, size_t len, uint8_t *out)
{
    mt_key_schedule ks;
    uint8_t empty[MT_MAX_HASH], key[MT_MAX_HASH], th[MT_MAX_HASH];
    mt_hash *hc = prefix != NULL ? mt_hash_dup(prefix) : mt_hash_new(cx, h);
    int ret = -1;

    mt_ks_init(&ks, cx, h);
    if (hc != NULL && mt_ks_early(&ks, psk, psk_len) == 0 &&
        mt_hash_update(hc, truncated, len) == 0 && mt_hash_peek(hc, th) == 0 &&
        mt_hash_oneshot(cx, h, NULL, 0, empty) == 0 &&
        mt_ks_derive(&ks, "res binder", empty, key) == 0 &&
        mt_finished_mac(cx, h, key, th, out) == 0)
        ret = 0;
    mt_hash_free(hc);
    mt_ks_clear(&ks);
    mt_wipe(key, sizeof(key));
    return ret;
}

/* The RECORD_BINDER op: fill in the binders of a ClientHello at the start
 * of msg (see above). Anything that does not parse is left alone. */
FZ_FN void fz_fix_binders(mutls_conn *c, uint8_t *msg, size_t len)
{
    mt_reader r, v, exts, last, ids, binders;
    const uint8_t *skip;
    uint16_t type, last_type = 0;
    const mt_hash *prefix = NULL;
    size_t mlen;

    if (c->role != MUTLS_SERVER || c->cfg->ticket_keys == NULL || len < 4 ||
        msg[0] != MT_HS_CLIENT_HELLO)
        return;
    mlen = ((size_t)msg[1] << 16) | ((size_t)msg[2] << 8) | msg[3];
    if (4 + mlen > len)
        return;
    r = mt_reader_init(msg + 4, mlen);
    if (mt_r_bytes(&r, 34, &skip) != 0 || mt_r_vec(&r, 1, 0, 32, &v) != 0 ||
        mt_r_vec(&r, 2, 0, 0xffff, &v) != 0 || mt_r_vec(&r, 1, 0, 255, &v) != 0 ||
        mt_r_vec(&r, 2, 0, 0xffff, &exts) != 0)
        return;
    memset(&last, 0, sizeof(last));
    while (mt_r_left(&exts) > 0) {
        if (mt_r_u16(&exts, &type) != 0 || mt_r_vec(&exts, 2, 0, 0xffff, &last) != 0)
            return;
        last_type = type;
    }
    if (last_type != MT_EXT_PRE_SHARED_KEY || mt_r_vec(&last, 2, 0, 0xffff, &ids) != 0 ||
        mt_r_vec(&last, 2, 0, 0xffff, &binders) != 0)
        return;
    /* The binders and their length are not part of what they sign. */
    size_t truncated = (size_t)(binders.p - 2 - msg);
    if (c->state == MT_ST_S_WAIT_CH2 && c->hs != NULL) {
        if (c->suite == NULL || c->hs->transcript == NULL)
            return;
        prefix = c->hs->transcript;
    }
    while (mt_r_left(&ids) > 0 && mt_r_left(&binders) > 0) {
        mt_reader id, binder;
        uint32_t age;
        mt_session_state st;
        mt_buf plain;
        const mt_suite *suite;
        if (mt_r_vec(&ids, 2, 0, 0xffff, &id) != 0 || mt_r_u32(&ids, &age) != 0 ||
            mt_r_vec(&binders, 1, 0, 255, &binder) != 0)
            return;
        mt_buf_init(&plain);
        memset(&st, 0, sizeof(st));
        if (mt_ticket_open(c->cfg->ticket_keys, mt_config_now(c->cfg), id.p, id.len, &plain) == 0 &&
            mt_session_state_decode(plain.data, plain.len, &st) == 0 &&
            (suite = mt_suite_find(st.suite)) != NULL &&
            st.secret_len == mt_hash_size(suite->hash) &&
            binder.len == mt_hash_size(suite->hash) &&
            (prefix == NULL || suite->hash == c->suite->hash))
            (void)fz_binder(c->cfg->cx, suite->hash, st.secret, st.secret_len, prefix, msg,
                            truncated, msg + (binder.p - msg));
        mt_session_state_clear(&st);
        mt_buf_free(&plain);
    }
}

FZ_FN size_t fz_take(const uint8_t **p, size_t *n, size_t want)
{
    size_t k = want < *n ? want : *n;
    *p += k;
    *n -= k;
    return k;
}

/* Run a script against c (see above). cv_key signs op 3. */
FZ_FN void fz_run_script(mutls_conn *c, const uint8_t *p, size_t n, const mt_pkey *cv_key)
{
    int after_error = 0;
    while (n > 0) {
        uint8_t op = p[0] % FZ_OP_COUNT;
        const uint8_t *q;
        size_t len;
        fz_take(&p, &n, 1);
        switch (op) {
        case FZ_OP_RECORD:
        case FZ_OP_RECORD_BINDER: {
            uint8_t ct = n > 0 ? p[0] : 0, pad = n > 1 ? p[1] : 0;
            fz_take(&p, &n, 2);
            len = n >= 2 ? ((size_t)p[0] << 8) | p[1] : 0;
            fz_take(&p, &n, 2);
            q = p;
            len = fz_take(&p, &n, len);
            if (op == FZ_OP_RECORD_BINDER && ct == MT_CT_HANDSHAKE && len > 0) {
                uint8_t *copy = malloc(len);
                if (copy == NULL)
                    abort();
                memcpy(copy, q, len);
                fz_fix_binders(c, copy, len);
                fz_send_record(c, ct, copy, len, pad);
                free(copy);
            } else {
                fz_send_record(c, ct, q, len, pad);
            }
            break;
        }
        case FZ_OP_RAW:
            len = n >= 2 ? ((size_t)p[0] << 8) | p[1] : 0;
            fz_take(&p, &n, 2);
            q = p;
            len = fz_take(&p, &n, len);
            if (len > 0)
                (void)mutls_conn_feed(c, q, len);
            break;
        case FZ_OP_FINISHED:
            fz_send_finished(c);
            break;
        case FZ_OP_CERT_VERIFY:
            fz_send_certificate_verify(c, cv_key);
            break;
        case FZ_OP_EOF:
            (void)mutls_conn_feed(c, NULL, 0);
            break;
        case FZ_OP_WRITE:
            len = n > 0 ? p[0] : 0;
            fz_take(&p, &n, 1);
            q = p;
            len = fz_take(&p, &n, len);
            (void)mutls_conn_write(c, q, len);
            break;
        case FZ_OP_KEY_UPDATE: {
            uint8_t req = n > 0 ? p[0] : 0;
            fz_take(&p, &n, 1);
            (void)mutls_conn_key_update(c, req & 1);
            break;
        }
        case FZ_OP_CLOSE:
            (void)mutls_conn_close(c);
            break;
        case FZ_OP_SEND_TICKET:
            (void)mutls_conn_send_ticket(c);
            break;
        default:
            (void)mutls_conn_request_client_auth(c);
            break;
        }
        fz_drain(c, NULL);
        /* A frozen connection answers everything with its error: check
         * that once, then stop. */
        if (mutls_conn_error_code(c) != MUTLS_OK && after_error++ > 0)
            break;
    }
}

/* Script encoders (for the seed generator). */
FZ_FN void fz_script_record(mt_buf *b, uint8_t ct, const uint8_t *data, size_t len)
{
    (void)mt_w_u8(b, FZ_OP_RECORD);
    (void)mt_w_u8(b, ct);
    (void)mt_w_u8(b, 0);
    (void)mt_w_u16(b, (uint16_t)len);
    (void)mt_w_bytes(b, data, len);
}

FZ_FN void fz_script_op(mt_buf *b, uint8_t op) { (void)mt_w_u8(b, op); }

FZ_FN void fz_script_record_binder(mt_buf *b, const uint8_t *data, size_t len)
{
    (void)mt_w_u8(b, FZ_OP_RECORD_BINDER);
    (void)mt_w_u8(b, MT_CT_HANDSHAKE);
    (void)mt_w_u8(b, 0);
    (void)mt_w_u16(b, (uint16_t)len);
    (void)mt_w_bytes(b, data, len);
}

#endif

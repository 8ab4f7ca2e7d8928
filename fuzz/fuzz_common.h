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
 * not change which code runs.)
 */
#ifndef MT_FUZZ_COMMON_H
#define MT_FUZZ_COMMON_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
 */
#define FZ_SERVER_VARIANTS 6

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
    default:
        fz_add_chain(cfg, "server-ed25519");
        fz_check(cfg, mutls_config_set_groups(cfg, "secp256r1,secp384r1"), "groups");
        fz_check(cfg, mutls_config_set_alpn(cfg, "http/1.1"), "alpn");
        fz_check(cfg, mutls_config_set_record_size_limit(cfg, 2048), "record_size_limit");
        fz_client_auth(cfg, MUTLS_VERIFY_OPTIONAL);
        break;
    }
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
    fprintf(stderr, "%s: %s %s, %s%s%s, key updates %llu/%llu%s%s\n", who,
            mutls_version_name(mutls_conn_version(c)) ? mutls_version_name(mutls_conn_version(c))
                                                      : "-",
            mt_state_name(c->state), mutls_strerror(mutls_conn_error_code(c)),
            mutls_conn_error(c)[0] ? ": " : "", mutls_conn_error(c),
            (unsigned long long)mutls_conn_key_updates_sent(c),
            (unsigned long long)mutls_conn_key_updates_received(c),
            c->close_received ? ", close_notify received" : "",
            mutls_conn_peer_verified(c) ? ", peer verified" : "");
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

/* A NewSessionTicket message (mutls servers do not send any), with an
 * early_data extension. */
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
 * server sends a NewSessionTicket, data, a KeyUpdate asking for one back
 * and more data; the client sends data and a KeyUpdate; the server asks
 * for a certificate after the handshake when the client offered that;
 * both close (TLS 1.2: data and close only).
 * Everything each side emitted is appended to c_log / s_log. Returns 0
 * when the handshake completed.
 */
FZ_FN int fz_run_pair(mutls_conn *c, mutls_conn *s, mt_buf *c_log, mt_buf *s_log)
{
    static const uint8_t hello[] = "hello from the server\n";
    static const uint8_t later[] = "after the key update\n";
    static const uint8_t req[] = "GET / HTTP/1.0\r\n\r\n";
    uint8_t nst[64];
    size_t nst_len;
    int ok, tls13;

    (void)mutls_conn_handshake(c);
    for (int round = 0; round < 8; round++) {
        fz_pump(c, s, c_log);
        fz_pump(s, c, s_log);
    }
    ok = mutls_conn_handshake_done(c) && mutls_conn_handshake_done(s);
    if (!ok)
        return -1;
    tls13 = mutls_conn_version(c) == MUTLS_TLS1_3;
    if (tls13) { /* post-handshake messages exist in TLS 1.3 only */
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
 *
 * So a fuzzer that knows no keys still reaches every handshake state and
 * the post-handshake code with well-formed, correctly protected records.
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
        case FZ_OP_RECORD: {
            uint8_t ct = n > 0 ? p[0] : 0, pad = n > 1 ? p[1] : 0;
            fz_take(&p, &n, 2);
            len = n >= 2 ? ((size_t)p[0] << 8) | p[1] : 0;
            fz_take(&p, &n, 2);
            q = p;
            len = fz_take(&p, &n, len);
            fz_send_record(c, ct, q, len, pad);
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

#endif

/*
 * mutls-bench: mutls and OpenSSL's libssl side by side, in one process, on
 * the same machine, with the same certificates, entirely in memory.
 *
 *   handshakes/s   full TLS 1.3 handshakes, client and server in one thread,
 *                  x25519, TLS_AES_128_GCM_SHA256, the client verifying the
 *                  server chain against ca.pem and the name "localhost"
 *                  (mutls: MUTLS_VERIFY_REQUIRE; OpenSSL: SSL_VERIFY_PEER +
 *                  SSL_set1_host), for an ECDSA P-256 and an RSA-2048 server
 *   MB/s           16 KiB application writes on the client, encrypted,
 *                  moved to the server and decrypted there, per TLS 1.3 suite
 *   bytes/conn     heap in use (glibc mallinfo2: uordblks + hblkhd) held by
 *                  N established, idle connection pairs, per connection
 *
 * mutls moves bytes with mutls_conn_peek_output / mutls_conn_feed; OpenSSL
 * talks through a BIO pair. Each rate is measured in alternating slices of
 * about 0.2 s (mutls, OpenSSL, mutls, OpenSSL, ...) so that drift of the
 * machine hits both, and reported as the median slice rate.
 *
 * The ratio column is mutls / OpenSSL: for rates > 1 means mutls is faster,
 * for bytes < 1 means mutls uses less memory.
 *
 * Time is the benchmark thread's CPU time (CLOCK_THREAD_CPUTIME_ID) unless
 * --wall-clock is given: on a shared machine that keeps the rates from
 * dropping whenever another process takes the core.
 *
 * usage: mutls-bench [--seconds S] [--quick] [--only LIST] [--conns N]
 *                    [--wall-clock] [--side mutls|openssl|both] [--certs DIR]
 */
#include <errno.h>
#include <malloc.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include "mutls.h"

#ifndef MUTLS_BENCH_CERTS
#define MUTLS_BENCH_CERTS "tests/certs"
#endif

#define WRITE_SIZE 16384
#define BIO_PAIR_SIZE (64 * 1024)
#define HOST "localhost"
#define GROUP "x25519"
#define HS_SUITE "TLS_AES_128_GCM_SHA256"

/* ---- options and helpers ---------------------------------------------- */

static double opt_seconds = 2.0;
static int opt_conns = 1000;
static const char *opt_only = NULL;
static char certs[4096];

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void die(const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "mutls-bench: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n");
    if (ERR_peek_error() != 0)
        ERR_print_errors_fp(stderr);
    exit(1);
}

/* CPU time of this (the only) thread: the benchmark is CPU-bound and runs
 * no I/O, so rates per CPU-second do not drop when other processes compete
 * for the cores. --wall-clock measures elapsed time instead. */
static clockid_t bench_clock = CLOCK_THREAD_CPUTIME_ID;

static double now(void)
{
    struct timespec ts;
    clock_gettime(bench_clock, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static const char *cert_path(const char *name)
{
    /* a small ring so that a few paths can be alive at once */
    static char buf[4][4200];
    static int i;
    char *p = buf[i++ & 3];
    snprintf(p, sizeof(buf[0]), "%s/%s", certs, name);
    return p;
}

/* Is metric id selected by --only (comma-separated ids or id prefixes)? */
static int selected(const char *id)
{
    const char *p = opt_only;
    if (p == NULL)
        return 1;
    while (*p != '\0') {
        size_t n = strcspn(p, ",");
        if (n > 0 && strncmp(id, p, n) == 0)
            return 1;
        p += n;
        if (*p == ',')
            p++;
    }
    return 0;
}

/* --side: which libraries run (both by default; one alone for profiling). */
static int run_mutls = 1, run_openssl = 1;

/* A value <= 0 is printed as "-" (not run) or "n/a" (not measurable). */
static void cell(char *buf, size_t size, double v, int ran, int precision)
{
    if (!ran)
        snprintf(buf, size, "-");
    else if (!(v > 0))
        snprintf(buf, size, "n/a");
    else
        snprintf(buf, size, "%.*f", precision, v);
}

static void row(const char *metric, double m, double o, int precision)
{
    char ms[32], os[32], ratio[32];
    cell(ms, sizeof(ms), m, run_mutls, precision);
    cell(os, sizeof(os), o, run_openssl, precision);
    if (run_mutls && run_openssl && m > 0 && o > 0)
        snprintf(ratio, sizeof(ratio), "%.2f", m / o);
    else
        snprintf(ratio, sizeof(ratio), "-");
    printf("%-46s %12s %12s %8s\n", metric, ms, os, ratio);
    fflush(stdout);
}

/* ---- mutls side --------------------------------------------------------- */

typedef struct {
    mutls_config *client, *server;
} mt_side;

static void mt_setup(mt_side *m, const char *chain, const char *key, const char *suite)
{
    m->client = mutls_config_new(MUTLS_CLIENT);
    m->server = mutls_config_new(MUTLS_SERVER);
    if (m->client == NULL || m->server == NULL)
        die("mutls_config_new failed");
    if (mutls_config_set_ca_file(m->client, cert_path("ca.pem")) != 0)
        die("mutls: ca.pem: %s", mutls_config_error(m->client));
    mutls_config_set_verify(m->client, MUTLS_VERIFY_REQUIRE);
    if (mutls_config_add_cert_chain_file(m->server, cert_path(chain), cert_path(key)) != 0)
        die("mutls: %s: %s", chain, mutls_config_error(m->server));
    if (mutls_config_set_ciphers(m->client, suite) != 0 ||
        mutls_config_set_ciphers(m->server, suite) != 0)
        die("mutls: cannot set suite %s", suite);
    if (mutls_config_set_groups(m->client, GROUP) != 0 ||
        mutls_config_set_groups(m->server, GROUP) != 0)
        die("mutls: cannot set group %s", GROUP);
    /* Parity with the OpenSSL side: no tickets, no session cache (both
     * measure full handshakes). */
    if (mutls_config_set_tickets(m->server, 0) != 0 ||
        mutls_config_set_session_cache(m->server, 0, 0) != 0)
        die("mutls: cannot turn off tickets and the session cache");
}

static void mt_teardown(mt_side *m)
{
    mutls_config_free(m->client);
    mutls_config_free(m->server);
}

/* Move everything a has to send into b. Returns bytes moved. */
static size_t mt_pump(mutls_conn *a, mutls_conn *b, const char *who)
{
    size_t len;
    const uint8_t *p = mutls_conn_peek_output(a, &len);
    if (len == 0)
        return 0;
    int rc = mutls_conn_feed(b, p, len);
    mutls_conn_consume_output(a, len);
    if (rc < 0)
        die("mutls: feeding the %s failed: %s: %s", who, mutls_strerror(rc), mutls_conn_error(b));
    return len;
}

static void mt_handshake(const mt_side *m, mutls_conn **pc, mutls_conn **ps)
{
    mutls_conn *c = mutls_conn_new(m->client);
    mutls_conn *s = mutls_conn_new(m->server);
    if (c == NULL || s == NULL)
        die("mutls_conn_new failed");
    if (mutls_conn_set_server_name(c, HOST) != 0)
        die("mutls_conn_set_server_name failed");
    int rc = mutls_conn_handshake(c);
    if (rc != MUTLS_WANT_READ)
        die("mutls: client start: %s: %s", mutls_strerror(rc), mutls_conn_error(c));
    for (int i = 0;; i++) {
        size_t moved = mt_pump(c, s, "server") + mt_pump(s, c, "client");
        if (mutls_conn_handshake_done(c) && mutls_conn_handshake_done(s) &&
            mutls_conn_pending(c) == 0 && mutls_conn_pending(s) == 0)
            break;
        if (moved == 0 || i > 32)
            die("mutls: handshake stalled (client: %s, server: %s)", mutls_conn_error(c),
                mutls_conn_error(s));
    }
    *pc = c;
    *ps = s;
}

/* What the server's CertificateVerify must use in both libraries. */
typedef struct {
    const char *mutls_name; /* IANA name */
    int os_type_nid;        /* SSL_get_peer_signature_type_nid */
} sig_expect;

static void mt_check(const mt_side *m, const char *suite, const sig_expect *sig)
{
    mutls_conn *c, *s;
    mt_handshake(m, &c, &s);
    if (!mutls_conn_peer_verified(c))
        die("mutls: the client did not verify the server");
    const char *sn = mutls_cipher_suite_name(mutls_conn_cipher_suite(c));
    const char *gn = mutls_group_name(mutls_conn_group(c));
    if (mutls_conn_version(c) != MUTLS_TLS1_3 || sn == NULL || strcmp(sn, suite) != 0 ||
        gn == NULL || strcmp(gn, GROUP) != 0)
        die("mutls: negotiated %s / %s", sn ? sn : "?", gn ? gn : "?");
    const char *sig_name = mutls_sig_scheme_name(mutls_conn_sig_scheme(c));
    if (sig == NULL || sig_name == NULL || strcmp(sig_name, sig->mutls_name) != 0)
        die("mutls: server signed with %s", sig_name ? sig_name : "?");
    mutls_conn_free(c);
    mutls_conn_free(s);
}

/* One 16 KiB write from c, read back completely on s. */
static void mt_transfer(mutls_conn *c, mutls_conn *s, const uint8_t *wbuf, uint8_t *rbuf)
{
    int rc = mutls_conn_write(c, wbuf, WRITE_SIZE);
    if (rc != WRITE_SIZE)
        die("mutls_conn_write: %s: %s", mutls_strerror(rc), mutls_conn_error(c));
    mt_pump(c, s, "server");
    size_t got = 0;
    while (got < WRITE_SIZE) {
        rc = mutls_conn_read(s, rbuf + got, WRITE_SIZE - got);
        if (rc <= 0)
            die("mutls_conn_read: %s: %s", mutls_strerror(rc), mutls_conn_error(s));
        got += (size_t)rc;
    }
}

/* ---- OpenSSL side ------------------------------------------------------- */

typedef struct {
    SSL_CTX *client, *server;
    long mode; /* extra SSL_MODE_* bits for both */
} os_side;

static void os_setup(os_side *o, const char *chain, const char *key, const char *suite)
{
    o->client = SSL_CTX_new(TLS_client_method());
    o->server = SSL_CTX_new(TLS_server_method());
    o->mode = 0;
    if (o->client == NULL || o->server == NULL)
        die("SSL_CTX_new failed");
    SSL_CTX *both[2] = {o->client, o->server};
    for (int i = 0; i < 2; i++) {
        SSL_CTX *x = both[i];
        if (!SSL_CTX_set_min_proto_version(x, TLS1_3_VERSION) ||
            !SSL_CTX_set_max_proto_version(x, TLS1_3_VERSION) ||
            !SSL_CTX_set_ciphersuites(x, suite) || !SSL_CTX_set1_groups_list(x, "X25519"))
            die("OpenSSL: cannot restrict to TLS 1.3 / %s / X25519", suite);
        SSL_CTX_set_session_cache_mode(x, SSL_SESS_CACHE_OFF);
    }
    /* No NewSessionTicket on either side (mutls: mutls_config_set_tickets(0)). */
    SSL_CTX_set_num_tickets(o->server, 0);
    if (SSL_CTX_use_certificate_chain_file(o->server, cert_path(chain)) != 1 ||
        SSL_CTX_use_PrivateKey_file(o->server, cert_path(key), SSL_FILETYPE_PEM) != 1 ||
        SSL_CTX_check_private_key(o->server) != 1)
        die("OpenSSL: cannot load %s / %s", chain, key);
    if (SSL_CTX_load_verify_locations(o->client, cert_path("ca.pem"), NULL) != 1)
        die("OpenSSL: cannot load ca.pem");
    SSL_CTX_set_verify(o->client, SSL_VERIFY_PEER, NULL);
}

static void os_teardown(os_side *o)
{
    SSL_CTX_free(o->client);
    SSL_CTX_free(o->server);
}

static void os_step(SSL *ssl, int *done, const char *who)
{
    if (*done)
        return;
    int rc = SSL_do_handshake(ssl);
    if (rc == 1) {
        *done = 1;
        return;
    }
    int err = SSL_get_error(ssl, rc);
    if (err != SSL_ERROR_WANT_READ && err != SSL_ERROR_WANT_WRITE)
        die("OpenSSL: %s handshake failed (SSL_get_error %d, verify: %s)", who, err,
            X509_verify_cert_error_string(SSL_get_verify_result(ssl)));
}

static void os_handshake(const os_side *o, SSL **pc, SSL **ps)
{
    SSL *c = SSL_new(o->client), *s = SSL_new(o->server);
    BIO *bc = NULL, *bs = NULL;
    if (c == NULL || s == NULL || !BIO_new_bio_pair(&bc, BIO_PAIR_SIZE, &bs, BIO_PAIR_SIZE))
        die("SSL_new / BIO_new_bio_pair failed");
    SSL_set_bio(c, bc, bc);
    SSL_set_bio(s, bs, bs);
    if (o->mode) {
        SSL_set_mode(c, o->mode);
        SSL_set_mode(s, o->mode);
    }
    SSL_set_connect_state(c);
    SSL_set_accept_state(s);
    if (!SSL_set_tlsext_host_name(c, HOST) || !SSL_set1_host(c, HOST))
        die("OpenSSL: cannot set the server name");
    int dc = 0, ds = 0;
    for (int i = 0; !(dc && ds); i++) {
        if (i > 32)
            die("OpenSSL: handshake stalled");
        os_step(c, &dc, "client");
        os_step(s, &ds, "server");
    }
    *pc = c;
    *ps = s;
}

static void os_check(const os_side *o, const char *suite, const sig_expect *sig)
{
    SSL *c, *s;
    os_handshake(o, &c, &s);
    if (SSL_get_verify_result(c) != X509_V_OK || SSL_get0_peer_certificate(c) == NULL)
        die("OpenSSL: the client did not verify the server");
    const char *sn = SSL_CIPHER_get_name(SSL_get_current_cipher(c));
    if (SSL_version(c) != TLS1_3_VERSION || sn == NULL || strcmp(sn, suite) != 0 ||
        SSL_get_negotiated_group(c) != NID_X25519)
        die("OpenSSL: negotiated %s / group nid %ld", sn ? sn : "?",
            (long)SSL_get_negotiated_group(c));
    int type_nid = NID_undef, hash_nid = NID_undef;
    if (!SSL_get_peer_signature_type_nid(c, &type_nid) || !SSL_get_peer_signature_nid(c, &hash_nid) ||
        type_nid != sig->os_type_nid || hash_nid != NID_sha256)
        die("OpenSSL: server signed with type nid %d hash nid %d", type_nid, hash_nid);
    SSL_free(c);
    SSL_free(s);
}

static void os_transfer(SSL *c, SSL *s, const uint8_t *wbuf, uint8_t *rbuf)
{
    int rc = SSL_write(c, wbuf, WRITE_SIZE);
    if (rc != WRITE_SIZE)
        die("SSL_write: %d (SSL_get_error %d)", rc, SSL_get_error(c, rc));
    size_t got = 0;
    while (got < WRITE_SIZE) {
        rc = SSL_read(s, rbuf + got, (int)(WRITE_SIZE - got));
        if (rc <= 0)
            die("SSL_read: %d (SSL_get_error %d)", rc, SSL_get_error(s, rc));
        got += (size_t)rc;
    }
}

static const sig_expect ecdsa_sig = {"ecdsa_secp256r1_sha256", EVP_PKEY_EC};
static const sig_expect rsa_sig = {"rsa_pss_rsae_sha256", EVP_PKEY_RSA_PSS};

/* ---- timed loops -------------------------------------------------------- */

/*
 * Each library's time budget is cut into slices of about SLICE seconds,
 * run alternately (mutls, OpenSSL, mutls, OpenSSL, ...), so that whatever
 * else the machine does hits both alike. A library's rate is the median of
 * its slice rates, which shrugs off a slice that another process stole.
 */
#define SLICE 0.2 /* seconds */
#define MAX_SLICES 64

typedef void (*op_fn)(void *arg);

typedef struct {
    double rate[MAX_SLICES];
    int n;
} slices;

/* ops per second over one slice of `budget` seconds */
static double run_slice(op_fn op, void *arg, double budget)
{
    double t0 = now(), t;
    long n = 0;
    do {
        op(arg);
        n++;
    } while ((t = now()) - t0 < budget);
    return (double)n / (t - t0);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(const slices *sl)
{
    double v[MAX_SLICES];
    if (sl->n == 0)
        return 0;
    memcpy(v, sl->rate, sizeof(double) * (size_t)sl->n);
    qsort(v, (size_t)sl->n, sizeof(double), cmp_double);
    return sl->n % 2 ? v[sl->n / 2] : (v[sl->n / 2 - 1] + v[sl->n / 2]) / 2;
}

/* Largest (max - min) / median over the rates measured so far: printed as
 * a warning when the machine was visibly busy. */
static double worst_spread;
static const char *worst_metric;

static void note_spread(const char *metric, const slices *sl)
{
    double lo = 0, hi = 0, med = median(sl);
    for (int i = 0; i < sl->n; i++) {
        if (i == 0 || sl->rate[i] < lo)
            lo = sl->rate[i];
        if (i == 0 || sl->rate[i] > hi)
            hi = sl->rate[i];
    }
    if (med > 0 && (hi - lo) / med > worst_spread) {
        worst_spread = (hi - lo) / med;
        worst_metric = metric;
    }
}

/* Warm both up, then the alternating slices; prints the row. `scale`
 * turns ops/s into the unit shown. */
static void measure(const char *metric, op_fn mop, void *marg, op_fn oop, void *oarg,
                    double scale)
{
    int n = (int)(opt_seconds / SLICE + 0.5);
    if (n < 2)
        n = 2;
    if (n > MAX_SLICES)
        n = MAX_SLICES;
    double budget = opt_seconds / n;
    slices ms = {.n = 0}, os = {.n = 0};
    if (run_mutls)
        run_slice(mop, marg, 0.02);
    if (run_openssl)
        run_slice(oop, oarg, 0.02);
    for (int i = 0; i < n; i++) {
        if (run_mutls)
            ms.rate[ms.n++] = run_slice(mop, marg, budget);
        if (run_openssl)
            os.rate[os.n++] = run_slice(oop, oarg, budget);
    }
    note_spread(metric, &ms);
    note_spread(metric, &os);
    row(metric, median(&ms) * scale, median(&os) * scale, 1);
}

static void hs_mutls_op(void *arg)
{
    mutls_conn *c, *s;
    mt_handshake((const mt_side *)arg, &c, &s);
    mutls_conn_free(c);
    mutls_conn_free(s);
}

static void hs_openssl_op(void *arg)
{
    SSL *c, *s;
    os_handshake((const os_side *)arg, &c, &s);
    SSL_free(c);
    SSL_free(s);
}

static void bench_handshakes(const char *metric, const char *chain, const char *key,
                             const sig_expect *sig)
{
    mt_side m;
    os_side o;
    mt_setup(&m, chain, key, HS_SUITE);
    os_setup(&o, chain, key, HS_SUITE);
    if (run_mutls)
        mt_check(&m, HS_SUITE, sig);
    if (run_openssl)
        os_check(&o, HS_SUITE, sig);
    measure(metric, hs_mutls_op, &m, hs_openssl_op, &o, 1.0);
    mt_teardown(&m);
    os_teardown(&o);
}

typedef struct {
    mutls_conn *mc, *ms;
    SSL *oc, *os;
    const uint8_t *w;
    uint8_t *r;
} bulk_ctx;

static void bulk_mutls_op(void *arg)
{
    bulk_ctx *b = arg;
    mt_transfer(b->mc, b->ms, b->w, b->r);
}

static void bulk_openssl_op(void *arg)
{
    bulk_ctx *b = arg;
    os_transfer(b->oc, b->os, b->w, b->r);
}

static void bench_bulk(const char *metric, const char *suite)
{
    mt_side m;
    os_side o;
    mt_setup(&m, "server-ecdsa-p256.pem", "server-ecdsa-p256.key", suite);
    os_setup(&o, "server-ecdsa-p256.pem", "server-ecdsa-p256.key", suite);
    uint8_t *w = malloc(WRITE_SIZE), *r = malloc(WRITE_SIZE);
    if (w == NULL || r == NULL)
        die("out of memory");
    for (size_t i = 0; i < WRITE_SIZE; i++)
        w[i] = (uint8_t)(i * 131 + 7);
    bulk_ctx b = {.w = w, .r = r};

    /* parameters and correctness of one transfer each, outside the clock */
    if (run_mutls) {
        mt_check(&m, suite, &ecdsa_sig);
        mt_handshake(&m, &b.mc, &b.ms);
        memset(r, 0, WRITE_SIZE);
        mt_transfer(b.mc, b.ms, w, r);
        if (memcmp(w, r, WRITE_SIZE) != 0)
            die("mutls: data corrupted in transfer");
    }
    if (run_openssl) {
        os_check(&o, suite, &ecdsa_sig);
        os_handshake(&o, &b.oc, &b.os);
        memset(r, 0, WRITE_SIZE);
        os_transfer(b.oc, b.os, w, r);
        if (memcmp(w, r, WRITE_SIZE) != 0)
            die("OpenSSL: data corrupted in transfer");
    }
    measure(metric, bulk_mutls_op, &b, bulk_openssl_op, &b, WRITE_SIZE / 1e6);

    mutls_conn_free(b.mc);
    mutls_conn_free(b.ms);
    SSL_free(b.oc);
    SSL_free(b.os);
    free(w);
    free(r);
    mt_teardown(&m);
    os_teardown(&o);
}

/* ---- memory per idle connection ------------------------------------------ */

static long long heap_in_use(void)
{
    struct mallinfo2 mi = mallinfo2();
    return (long long)mi.uordblks + (long long)mi.hblkhd;
}

typedef struct {
    double client, server, pair;
} mem_result;

static uint8_t xfer_buf[WRITE_SIZE];

/* Read exactly n bytes from a mutls connection whose input was just fed. */
static void mt_read_all(mutls_conn *c, size_t n)
{
    size_t got = 0;
    while (got < n) {
        int rc = mutls_conn_read(c, xfer_buf + got, n - got);
        if (rc <= 0)
            die("mutls_conn_read: %s: %s", mutls_strerror(rc), mutls_conn_error(c));
        got += (size_t)rc;
    }
}

/* Establish, exchange `size` bytes each way, then go idle. */
static void mt_idle_pair(const mt_side *m, size_t size, mutls_conn **pc, mutls_conn **ps)
{
    mt_handshake(m, pc, ps);
    if (mutls_conn_write(*pc, xfer_buf, size) != (int)size)
        die("mutls_conn_write failed");
    mt_pump(*pc, *ps, "server");
    mt_read_all(*ps, size);
    if (mutls_conn_write(*ps, xfer_buf, size) != (int)size)
        die("mutls_conn_write failed");
    mt_pump(*ps, *pc, "client");
    mt_read_all(*pc, size);
}

static void os_read_all(SSL *ssl, size_t n)
{
    size_t got = 0;
    while (got < n) {
        int rc = SSL_read(ssl, xfer_buf + got, (int)(n - got));
        if (rc <= 0)
            die("SSL_read: %d (SSL_get_error %d)", rc, SSL_get_error(ssl, rc));
        got += (size_t)rc;
    }
}

static void os_idle_pair(const os_side *o, size_t size, SSL **pc, SSL **ps)
{
    os_handshake(o, pc, ps);
    if (SSL_write(*pc, xfer_buf, (int)size) != (int)size)
        die("SSL_write failed");
    os_read_all(*ps, size);
    if (SSL_write(*ps, xfer_buf, (int)size) != (int)size)
        die("SSL_write failed");
    os_read_all(*pc, size);
    /* The BIO pair is the transport, not TLS state: drop it (and its
     * buffers) so that only what the SSL objects hold is counted. */
    SSL_set_bio(*pc, NULL, NULL);
    SSL_set_bio(*ps, NULL, NULL);
}

static mem_result mem_mutls(const mt_side *m, size_t size, int n)
{
    mutls_conn **c = calloc((size_t)n, sizeof(*c)), **s = calloc((size_t)n, sizeof(*s));
    if (c == NULL || s == NULL)
        die("out of memory");
    mt_idle_pair(m, size, &c[0], &s[0]); /* warm up lazy global state */
    mutls_conn_free(c[0]);
    mutls_conn_free(s[0]);
    long long m0 = heap_in_use();
    for (int i = 0; i < n; i++)
        mt_idle_pair(m, size, &c[i], &s[i]);
    long long m1 = heap_in_use();
    for (int i = 0; i < n; i++)
        mutls_conn_free(c[i]);
    long long m2 = heap_in_use();
    for (int i = 0; i < n; i++)
        mutls_conn_free(s[i]);
    long long m3 = heap_in_use();
    free(c);
    free(s);
    return (mem_result){(double)(m1 - m2) / n, (double)(m2 - m3) / n, (double)(m1 - m0) / n};
}

static mem_result mem_openssl(const os_side *o, size_t size, int n)
{
    SSL **c = calloc((size_t)n, sizeof(*c)), **s = calloc((size_t)n, sizeof(*s));
    if (c == NULL || s == NULL)
        die("out of memory");
    os_idle_pair(o, size, &c[0], &s[0]);
    SSL_free(c[0]);
    SSL_free(s[0]);
    long long m0 = heap_in_use();
    for (int i = 0; i < n; i++)
        os_idle_pair(o, size, &c[i], &s[i]);
    long long m1 = heap_in_use();
    for (int i = 0; i < n; i++)
        SSL_free(c[i]);
    long long m2 = heap_in_use();
    for (int i = 0; i < n; i++)
        SSL_free(s[i]);
    long long m3 = heap_in_use();
    free(c);
    free(s);
    return (mem_result){(double)(m1 - m2) / n, (double)(m2 - m3) / n, (double)(m1 - m0) / n};
}

static void bench_memory(void)
{
    mt_side m;
    os_side o;
    mt_setup(&m, "server-ecdsa-p256.pem", "server-ecdsa-p256.key", HS_SUITE);
    os_setup(&o, "server-ecdsa-p256.pem", "server-ecdsa-p256.key", HS_SUITE);
    mem_result mr = {0, 0, 0}, or = {0, 0, 0}, mr16 = {0, 0, 0}, or16 = {0, 0, 0},
               orb = {0, 0, 0};
    if (run_mutls) {
        mr = mem_mutls(&m, 1, opt_conns);
        mr16 = mem_mutls(&m, WRITE_SIZE, opt_conns);
    }
    if (run_openssl) {
        or = mem_openssl(&o, 1, opt_conns);
        or16 = mem_openssl(&o, WRITE_SIZE, opt_conns);
        o.mode = SSL_MODE_RELEASE_BUFFERS;
        orb = mem_openssl(&o, 1, opt_conns);
    }
    if ((run_mutls && mr.pair <= 0) || (run_openssl && or.pair <= 0)) {
        /* e.g. under AddressSanitizer, whose allocator mallinfo2 does not see */
        row("bytes/conn idle (mallinfo2 unavailable)", 0, 0, 0);
    } else {
        row("bytes/conn idle client", mr.client, or.client, 0);
        row("bytes/conn idle server", mr.server, or.server, 0);
        row("bytes/pair idle", mr.pair, or.pair, 0);
        row("bytes/pair idle, openssl RELEASE_BUFFERS", mr.pair, orb.pair, 0);
        row("bytes/pair idle after 16KiB each way", mr16.pair, or16.pair, 0);
    }
    mt_teardown(&m);
    os_teardown(&o);
}

/* ---- main --------------------------------------------------------------- */

static void usage(FILE *f)
{
    fprintf(f,
            "usage: mutls-bench [--seconds S] [--quick] [--only LIST] [--conns N]\n"
            "                   [--wall-clock] [--side mutls|openssl|both] [--certs DIR]\n"
            "  --seconds S   CPU seconds per measurement and library (default 2)\n"
            "  --quick       0.3 s per measurement and 100 connections (smoke runs)\n"
            "  --only LIST   comma-separated metric ids or prefixes:\n"
            "                hs-ecdsa hs-rsa bulk-aes128 bulk-aes256 bulk-chacha mem\n"
            "                (e.g. --only hs or --only bulk-aes128,mem)\n"
            "  --conns N     connection pairs for the memory measurement (default 1000)\n"
            "  --wall-clock  time with CLOCK_MONOTONIC instead of the thread's CPU time\n"
            "  --side S      mutls, openssl or both (default): one side alone is for\n"
            "                profiling (perf record), and prints no ratio\n"
            "  --certs DIR   test certificates (default $MUTLS_TEST_CERTS or\n"
            "                %s)\n",
            MUTLS_BENCH_CERTS);
}

int main(int argc, char **argv)
{
    const char *env = getenv("MUTLS_TEST_CERTS");
    snprintf(certs, sizeof(certs), "%s", env && *env ? env : MUTLS_BENCH_CERTS);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--quick") == 0) {
            opt_seconds = 0.3;
            opt_conns = 100;
        } else if (strcmp(a, "--seconds") == 0 && v) {
            char *end;
            errno = 0;
            opt_seconds = strtod(v, &end);
            if (errno || *end || !(opt_seconds > 0 && opt_seconds < 3600))
                die("bad --seconds %s", v);
            i++;
        } else if (strcmp(a, "--conns") == 0 && v) {
            opt_conns = atoi(v);
            if (opt_conns < 1 || opt_conns > 1000000)
                die("bad --conns %s", v);
            i++;
        } else if (strcmp(a, "--only") == 0 && v) {
            opt_only = v;
            i++;
        } else if (strcmp(a, "--wall-clock") == 0) {
            bench_clock = CLOCK_MONOTONIC;
        } else if (strcmp(a, "--side") == 0 && v) {
            run_mutls = strcmp(v, "mutls") == 0 || strcmp(v, "both") == 0;
            run_openssl = strcmp(v, "openssl") == 0 || strcmp(v, "both") == 0;
            if (!run_mutls && !run_openssl)
                die("bad --side %s (mutls, openssl or both)", v);
            i++;
        } else if (strcmp(a, "--certs") == 0 && v) {
            snprintf(certs, sizeof(certs), "%s", v);
            i++;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return 0;
        } else {
            usage(stderr);
            return 2;
        }
    }
    static const char *const ids[] = {"hs-ecdsa", "hs-rsa", "bulk-aes128", "bulk-aes256",
                                      "bulk-chacha", "mem"};
    int any = 0;
    for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
        any |= selected(ids[i]);
    if (!any)
        die("--only %s selects no metric", opt_only);

    printf("mutls-bench: mutls %s vs %s (libssl), %.1f %s s per measurement and library, "
           "in memory, one thread\n",
           MUTLS_VERSION_STRING, OpenSSL_version(OPENSSL_VERSION), opt_seconds,
           bench_clock == CLOCK_MONOTONIC ? "wall-clock" : "CPU");
    printf("%-46s %12s %12s %8s\n", "metric", "mutls", "openssl", "ratio");

    if (selected("hs-ecdsa"))
        bench_handshakes("handshakes/s ecdsa-p256 x25519 verify", "server-ecdsa-p256.pem",
                         "server-ecdsa-p256.key", &ecdsa_sig);
    if (selected("hs-rsa"))
        bench_handshakes("handshakes/s rsa-2048 x25519 verify", "server-rsa2048.pem",
                         "server-rsa2048.key", &rsa_sig);
    if (selected("bulk-aes128"))
        bench_bulk("MB/s 16KiB writes TLS_AES_128_GCM_SHA256", "TLS_AES_128_GCM_SHA256");
    if (selected("bulk-aes256"))
        bench_bulk("MB/s 16KiB writes TLS_AES_256_GCM_SHA384", "TLS_AES_256_GCM_SHA384");
    if (selected("bulk-chacha"))
        bench_bulk("MB/s 16KiB writes TLS_CHACHA20_POLY1305_SHA256",
                   "TLS_CHACHA20_POLY1305_SHA256");
    if (selected("mem"))
        bench_memory();
    printf("ratio = mutls/openssl: rates > 1 mean mutls is faster, bytes < 1 mean mutls is "
           "smaller\n");
    if (worst_spread > 0.25)
        printf("note: slice rates varied by up to %.0f%% (%s): the machine was busy; "
               "rates are medians of alternating slices\n",
               worst_spread * 100, worst_metric);
    return 0;
}

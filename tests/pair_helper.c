/* In-memory client/server pairs: see pair_helper.h. */
#include "pair_helper.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAIR_HANDSHAKE_ROUNDS 64 /* a TLS 1.3 handshake needs about 4 */
#define PAIR_FLUSH_ROUNDS 64
#define PAIR_READ_BUF 65536

/* ---- paths, clocks, randomness ----------------------------------------- */

const char *pair_certs_dir(void)
{
    const char *d = getenv("MUTLS_TEST_CERTS");
    return d != NULL && d[0] != '\0' ? d : "tests/certs";
}

char *pair_cert_path(char *buf, size_t n, const char *name)
{
    snprintf(buf, n, "%s/%s", pair_certs_dir(), name);
    return buf;
}

/* splitmix64: a fixed, seedable stream of bytes; each side its own. */
static int pair_rng(void *ctx, uint8_t *out, size_t len)
{
    uint64_t *state = ctx;
    while (len > 0) {
        uint64_t z = (*state += UINT64_C(0x9e3779b97f4a7c15));
        z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
        z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
        z ^= z >> 31;
        for (int i = 0; i < 8 && len > 0; i++, len--)
            *out++ = (uint8_t)(z >> (8 * i));
    }
    return 0;
}

static int64_t pair_clock(void *ctx)
{
    return *(const int64_t *)ctx;
}

static void pair_trace(void *ctx, const mutls_conn *conn, const mutls_trace_event *ev)
{
    (void)conn;
    fprintf(stderr, "    [%s] %s %s: %s\n", (const char *)ctx, ev->sent ? "->" : "<-", ev->name,
            ev->detail);
}

/* ---- configurations ---------------------------------------------------- */

static int set_list(mutls_config *cfg, int (*fn)(mutls_config *, const char *), const char *list,
                    const char *what)
{
    if (list == NULL)
        return 0;
    if (fn(cfg, list) != 0) {
        fprintf(stderr, "pair: %s '%s': %s\n", what, list, mutls_config_error(cfg));
        return -1;
    }
    return 0;
}

static int configure(mutls_config *cfg, const char *suites, const char *groups, const char *sigs,
                     const char *alpn, uint16_t rsl, uint64_t ku, uint16_t vmin, uint16_t vmax,
                     int rsa_kex, const pair_spec *spec)
{
    /* RSA key exchange first: an explicit suite list then still decides
     * the order (mutls_config_set_ciphers replaces the list). */
    if (rsa_kex && mutls_config_set_rsa_kex(cfg, 1) != 0) {
        fprintf(stderr, "pair: rsa_kex: %s\n", mutls_config_error(cfg));
        return -1;
    }
    if ((vmin != 0 || vmax != 0) &&
        mutls_config_set_versions(cfg, vmin ? vmin : MUTLS_TLS1_2, vmax ? vmax : MUTLS_TLS1_3) !=
            0) {
        fprintf(stderr, "pair: versions 0x%04x..0x%04x: %s\n", vmin, vmax,
                mutls_config_error(cfg));
        return -1;
    }
    if (set_list(cfg, mutls_config_set_ciphers, suites, "cipher suites") != 0 ||
        set_list(cfg, mutls_config_set_groups, groups, "groups") != 0 ||
        set_list(cfg, mutls_config_set_sig_schemes, sigs, "signature schemes") != 0 ||
        set_list(cfg, mutls_config_set_alpn, alpn, "ALPN") != 0)
        return -1;
    if (rsl != 0 && mutls_config_set_record_size_limit(cfg, rsl) != 0) {
        fprintf(stderr, "pair: record_size_limit %u: %s\n", rsl, mutls_config_error(cfg));
        return -1;
    }
    if (ku != 0)
        mutls_config_set_key_update_interval(cfg, ku);
    if (spec->no_middlebox)
        mutls_config_set_middlebox_compat(cfg, 0);
    return 0;
}

/* A chain and its key by name (NAME.pem, NAME.key in the cert dir). */
static int add_named_chain(mutls_config *cfg, const char *name, const char *who)
{
    char f[256], chain[1024], key[1024];
    snprintf(f, sizeof(f), "%s.pem", name);
    pair_cert_path(chain, sizeof(chain), f);
    snprintf(f, sizeof(f), "%s.key", name);
    pair_cert_path(key, sizeof(key), f);
    if (mutls_config_add_cert_chain_file(cfg, chain, key) != 0) {
        fprintf(stderr, "pair: %s chain %s: %s\n", who, name, mutls_config_error(cfg));
        return -1;
    }
    return 0;
}

/* The mutual-TLS part of a spec: client CAs, CRLs, verify mode, CA names
 * and post-handshake authentication on the server; chains on the client. */
static int configure_mtls(mutls_config *c, mutls_config *s, const pair_spec *spec)
{
    char path[1024];
    for (size_t i = 0; i < PAIR_MAX_CHAINS && spec->server_client_cas[i] != NULL; i++)
        if (mutls_config_add_client_ca_file(
                s, pair_cert_path(path, sizeof(path), spec->server_client_cas[i])) != 0) {
            fprintf(stderr, "pair: client CA %s: %s\n", path, mutls_config_error(s));
            return -1;
        }
    for (size_t i = 0; i < PAIR_MAX_CHAINS && spec->server_crls[i] != NULL; i++)
        if (mutls_config_add_crl_file(
                s, pair_cert_path(path, sizeof(path), spec->server_crls[i])) != 0) {
            fprintf(stderr, "pair: server CRL %s: %s\n", path, mutls_config_error(s));
            return -1;
        }
    if (spec->server_verify != 0)
        mutls_config_set_verify(s, (mutls_verify_mode)(spec->server_verify - 1));
    if (spec->server_no_ca_names)
        mutls_config_set_send_ca_names(s, 0);
    if (spec->server_pha)
        mutls_config_set_post_handshake_auth(s, 1);
    for (size_t i = 0; i < PAIR_MAX_CHAINS && spec->client_chains[i] != NULL; i++)
        if (add_named_chain(c, spec->client_chains[i], "client") != 0)
            return -1;
    return 0;
}

int pair_make_configs(const pair_spec *spec, mutls_config **ccfg, mutls_config **scfg)
{
    static const pair_spec defaults;
    char chain[1024], key[1024], ca[1024];
    mutls_config *c = mutls_config_new(MUTLS_CLIENT), *s = mutls_config_new(MUTLS_SERVER);
    size_t i;

    *ccfg = *scfg = NULL;
    if (spec == NULL)
        spec = &defaults;
    if (c == NULL || s == NULL) {
        fprintf(stderr, "pair: out of memory\n");
        goto fail;
    }
    for (i = 0; i == 0 || (i < PAIR_MAX_CHAINS && spec->server_chains[i] != NULL); i++) {
        const char *name = spec->server_chains[i] ? spec->server_chains[i] : "server-ecdsa-p256";
        char f[256];
        snprintf(f, sizeof(f), "%s.pem", name);
        pair_cert_path(chain, sizeof(chain), f);
        snprintf(f, sizeof(f), "%s.key", name);
        pair_cert_path(key, sizeof(key), f);
        if (mutls_config_add_cert_chain_file(s, chain, key) != 0) {
            fprintf(stderr, "pair: server chain %s: %s\n", name, mutls_config_error(s));
            goto fail;
        }
    }
    if (spec->client_verify_none) {
        mutls_config_set_verify(c, MUTLS_VERIFY_NONE);
    } else if (mutls_config_set_ca_file(
                   c, pair_cert_path(ca, sizeof(ca), spec->client_ca ? spec->client_ca : "ca.pem")) !=
               0) {
        fprintf(stderr, "pair: client CA %s: %s\n", ca, mutls_config_error(c));
        goto fail;
    }
    if (configure(c, spec->client_suites, spec->client_groups, spec->client_sigs,
                  spec->client_alpn, spec->client_record_size_limit,
                  spec->client_key_update_interval, spec->client_min_version,
                  spec->client_max_version, spec->client_rsa_kex, spec) != 0 ||
        configure(s, spec->server_suites, spec->server_groups, spec->server_sigs,
                  spec->server_alpn, spec->server_record_size_limit,
                  spec->server_key_update_interval, spec->server_min_version,
                  spec->server_max_version, spec->server_rsa_kex, spec) != 0)
        goto fail;
    if (configure_mtls(c, s, spec) != 0)
        goto fail;
    if (spec->server_tickets != 0 &&
        mutls_config_set_tickets(s, spec->server_tickets < 0 ? 0 : (unsigned)spec->server_tickets) != 0)
        goto fail;
    if (getenv("PAIR_TRACE") != NULL) {
        mutls_config_set_trace(c, pair_trace, (void *)"client");
        mutls_config_set_trace(s, pair_trace, (void *)"server");
    }
    *ccfg = c;
    *scfg = s;
    return 0;
fail:
    mutls_config_free(c);
    mutls_config_free(s);
    return -1;
}

/* ---- the pair ---------------------------------------------------------- */

static pair *pair_alloc(void)
{
    pair *p = calloc(1, sizeof(*p));
    if (p == NULL)
        fprintf(stderr, "pair: out of memory\n");
    return p;
}

static int pair_connect(pair *p, const char *server_name)
{
    p->c = mutls_conn_new(p->ccfg);
    p->s = mutls_conn_new(p->scfg);
    if (p->c == NULL || p->s == NULL) {
        fprintf(stderr, "pair: mutls_conn_new failed: client: %s; server: %s\n",
                mutls_config_error(p->ccfg), mutls_config_error(p->scfg));
        return -1;
    }
    if (server_name == NULL)
        server_name = "localhost";
    if (server_name[0] != '\0' && mutls_conn_set_server_name(p->c, server_name) != 0) {
        fprintf(stderr, "pair: cannot set server name '%s'\n", server_name);
        return -1;
    }
    p->crc = p->src = MUTLS_WANT_READ;
    p->last_feed[0] = p->last_feed[1] = MUTLS_OK;
    return 0;
}

pair *pair_new(const pair_spec *spec)
{
    static const pair_spec defaults;
    pair *p;
    if (spec == NULL)
        spec = &defaults;
    if ((p = pair_alloc()) == NULL)
        return NULL;
    if (pair_make_configs(spec, &p->ccfg, &p->scfg) != 0)
        goto fail;
    if (spec->seed != 0) {
        p->rng_state[0] = spec->seed * 2 + 1;
        p->rng_state[1] = spec->seed * 2 + 2;
        mutls_config_set_random(p->ccfg, pair_rng, &p->rng_state[0]);
        mutls_config_set_random(p->scfg, pair_rng, &p->rng_state[1]);
    }
    if (spec->now != 0) {
        p->now = spec->now;
        mutls_config_set_time(p->ccfg, pair_clock, &p->now);
        mutls_config_set_time(p->scfg, pair_clock, &p->now);
    }
    if (pair_connect(p, spec->server_name) != 0)
        goto fail;
    return p;
fail:
    pair_free(p);
    return NULL;
}

pair *pair_new_from(mutls_config *ccfg, mutls_config *scfg, const char *server_name)
{
    pair *p = pair_alloc();
    if (p == NULL)
        return NULL;
    p->ccfg = mutls_config_up_ref(ccfg);
    p->scfg = mutls_config_up_ref(scfg);
    if (pair_connect(p, server_name) != 0) {
        pair_free(p);
        return NULL;
    }
    return p;
}

void pair_free(pair *p)
{
    if (p == NULL)
        return;
    mutls_conn_free(p->c);
    mutls_conn_free(p->s);
    mutls_config_free(p->ccfg);
    mutls_config_free(p->scfg);
    free(p->inflight[0].buf);
    free(p->inflight[1].buf);
    free(p);
}

void pair_set_tamper(pair *p, pair_tamper_fn fn, void *ctx)
{
    p->tamper = fn;
    p->tamper_ctx = ctx;
}

/* ---- moving bytes ------------------------------------------------------ */

static int grow(uint8_t **buf, size_t *cap, size_t need)
{
    size_t ncap = *cap ? *cap : 256;
    uint8_t *nb;
    if (need <= *cap)
        return 0;
    while (ncap < need)
        ncap *= 2;
    if ((nb = realloc(*buf, ncap)) == NULL)
        return -1;
    *buf = nb;
    *cap = ncap;
    return 0;
}

int pair_record_set(pair_record *r, const uint8_t *bytes, size_t n)
{
    if (grow(&r->data, &r->cap, n) != 0)
        return -1;
    memmove(r->data, bytes, n);
    r->len = n;
    return 0;
}

int pair_record_append(pair_record *r, const uint8_t *bytes, size_t n)
{
    if (grow(&r->data, &r->cap, r->len + n) != 0)
        return -1;
    memcpy(r->data + r->len, bytes, n);
    r->len += n;
    return 0;
}

int pair_record_prepend(pair_record *r, const uint8_t *bytes, size_t n)
{
    if (grow(&r->data, &r->cap, r->len + n) != 0)
        return -1;
    memmove(r->data + n, r->data, r->len);
    memcpy(r->data, bytes, n);
    r->len += n;
    return 0;
}

static mutls_conn *sender(const pair *p, pair_dir dir) { return dir == PAIR_C2S ? p->c : p->s; }
static mutls_conn *receiver(const pair *p, pair_dir dir) { return dir == PAIR_C2S ? p->s : p->c; }

static void deliver(pair *p, pair_dir dir, const uint8_t *bytes, size_t n)
{
    if (p->ended[dir] || n == 0)
        return;
    p->last_feed[dir] = mutls_conn_feed(receiver(p, dir), bytes, n);
    p->bytes[dir] += n;
}

size_t pair_shuttle(pair *p, pair_dir dir)
{
    mutls_conn *from = sender(p, dir);
    pair_stream *st = &p->inflight[dir];
    size_t n, off = 0;
    const uint8_t *out = mutls_conn_peek_output(from, &n);

    if (n == 0)
        return 0;
    if (p->ended[dir]) { /* the wire is cut: what is sent is lost */
        mutls_conn_consume_output(from, n);
        return n;
    }
    if (grow(&st->buf, &st->cap, st->len + n) != 0) {
        fprintf(stderr, "pair: out of memory\n");
        abort();
    }
    memcpy(st->buf + st->len, out, n);
    st->len += n;
    mutls_conn_consume_output(from, n);

    if (p->tamper == NULL) {
        /* Straight through, in one feed (so several records at once). */
        for (size_t i = 0; i + 5 <= st->len;) {
            size_t rl = 5 + ((size_t)st->buf[i + 3] << 8 | st->buf[i + 4]);
            if (i + rl > st->len)
                break;
            p->records[dir]++;
            i += rl;
        }
        deliver(p, dir, st->buf, st->len);
        st->len = 0;
        return n;
    }
    /* Record by record through the hook. */
    while (st->len - off >= 5) {
        size_t rl = 5 + ((size_t)st->buf[off + 3] << 8 | st->buf[off + 4]);
        pair_record r;
        if (st->len - off < rl)
            break;
        memset(&r, 0, sizeof(r));
        r.dir = dir;
        r.index = p->records[dir]++;
        r.sender_connected = mutls_conn_handshake_done(from);
        if (pair_record_set(&r, st->buf + off, rl) != 0) {
            fprintf(stderr, "pair: out of memory\n");
            abort();
        }
        off += rl;
        p->tamper(p, &r, p->tamper_ctx);
        if (!r.drop)
            deliver(p, dir, r.data, r.len);
        free(r.data);
        if (r.eof) {
            if (!p->ended[dir])
                p->last_feed[dir] = mutls_conn_feed(receiver(p, dir), NULL, 0);
            p->ended[dir] = 1;
            off = st->len;
        }
    }
    memmove(st->buf, st->buf + off, st->len - off);
    st->len -= off;
    return n;
}

size_t pair_flush(pair *p)
{
    size_t total = 0;
    for (int i = 0; i < PAIR_FLUSH_ROUNDS; i++) {
        size_t moved = pair_shuttle(p, PAIR_C2S);
        moved += pair_shuttle(p, PAIR_S2C);
        total += moved;
        if (moved == 0)
            break;
    }
    return total;
}

int pair_inject(pair *p, pair_dir dir, const uint8_t *bytes, size_t n)
{
    return p->last_feed[dir] = mutls_conn_feed(receiver(p, dir), bytes, n);
}

int pair_eof(pair *p, pair_dir dir)
{
    p->ended[dir] = 1;
    return p->last_feed[dir] = mutls_conn_feed(receiver(p, dir), NULL, 0);
}

int pair_handshake(pair *p)
{
    for (int i = 0; i < PAIR_HANDSHAKE_ROUNDS; i++) {
        size_t moved;
        p->crc = mutls_conn_handshake(p->c);
        moved = pair_shuttle(p, PAIR_C2S);
        p->src = mutls_conn_handshake(p->s);
        moved += pair_shuttle(p, PAIR_S2C);
        p->crc = mutls_conn_handshake(p->c);
        p->src = mutls_conn_handshake(p->s);
        /* Done, failed, or stalled: with nothing in flight, nothing
         * changes any more. */
        if (moved == 0)
            break;
    }
    pair_flush(p); /* deliver a last alert */
    p->crc = mutls_conn_handshake(p->c);
    p->src = mutls_conn_handshake(p->s);
    return p->crc == MUTLS_OK && p->src == MUTLS_OK ? 0 : -1;
}

int pair_send(pair *p, pair_dir dir, const void *buf, size_t len)
{
    int rc = mutls_conn_write(sender(p, dir), buf, len);
    pair_flush(p);
    return rc;
}

long pair_recv(pair *p, pair_dir dir, void *buf, size_t cap)
{
    size_t got = 0;
    pair_flush(p);
    while (got < cap) {
        int rc = mutls_conn_read(receiver(p, dir), (uint8_t *)buf + got, cap - got);
        if (rc <= 0)
            return got > 0 ? (long)got : rc;
        got += (size_t)rc;
    }
    return (long)got;
}

/* ---- checked transfers ------------------------------------------------- */

void pair_pattern(uint32_t seed, uint64_t off, uint8_t *out, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint64_t x = (off + i) / 8 * UINT64_C(0x9e3779b97f4a7c15) ^ ((uint64_t)seed << 32 | seed);
        x ^= x >> 29;
        x *= UINT64_C(0xbf58476d1ce4e5b9);
        x ^= x >> 32;
        out[i] = (uint8_t)(x >> (8 * ((off + i) % 8)));
    }
}

typedef struct xfer {
    pair_dir dir;
    size_t total, chunk, sent, recvd;
    uint32_t seed;
    uint8_t *wbuf, *rbuf, *want;
} xfer;

static int xfer_write(pair *p, xfer *x)
{
    size_t n = x->total - x->sent < x->chunk ? x->total - x->sent : x->chunk;
    int rc;
    if (n == 0)
        return 0;
    pair_pattern(x->seed, x->sent, x->wbuf, n);
    rc = mutls_conn_write(sender(p, x->dir), x->wbuf, n);
    if (rc != (int)n) {
        fprintf(stderr, "pair: %s write of %zu bytes at offset %zu returned %d (%s): %s\n",
                x->dir == PAIR_C2S ? "client" : "server", n, x->sent, rc, mutls_strerror(rc),
                mutls_conn_error(sender(p, x->dir)));
        return -1;
    }
    x->sent += n;
    return 0;
}

/* Read everything available; -1 on an error or corrupted bytes. */
static int xfer_read(pair *p, xfer *x)
{
    for (;;) {
        int rc = mutls_conn_read(receiver(p, x->dir), x->rbuf, PAIR_READ_BUF);
        if (rc == MUTLS_WANT_READ)
            return 0;
        if (rc <= 0) {
            fprintf(stderr, "pair: %s read at offset %zu of %zu returned %d (%s): %s\n",
                    x->dir == PAIR_C2S ? "server" : "client", x->recvd, x->total, rc,
                    mutls_strerror(rc), mutls_conn_error(receiver(p, x->dir)));
            return -1;
        }
        if (x->recvd + (size_t)rc > x->total) {
            fprintf(stderr, "pair: received %zu bytes, more than the %zu sent\n",
                    x->recvd + (size_t)rc, x->total);
            return -1;
        }
        pair_pattern(x->seed, x->recvd, x->want, (size_t)rc);
        if (memcmp(x->want, x->rbuf, (size_t)rc) != 0) {
            size_t i = 0;
            while (x->want[i] == x->rbuf[i])
                i++;
            fprintf(stderr, "pair: corrupted byte at offset %zu: got %02x, want %02x\n",
                    x->recvd + i, x->rbuf[i], x->want[i]);
            return -1;
        }
        x->recvd += (size_t)rc;
    }
}

static int xfer_init(xfer *x, pair_dir dir, size_t total, size_t chunk, uint32_t seed)
{
    memset(x, 0, sizeof(*x));
    x->dir = dir;
    x->total = total;
    x->chunk = chunk ? chunk : 16384;
    x->seed = seed;
    x->wbuf = malloc(x->chunk);
    x->rbuf = malloc(PAIR_READ_BUF);
    x->want = malloc(PAIR_READ_BUF);
    return x->wbuf && x->rbuf && x->want ? 0 : -1;
}

static void xfer_free(xfer *x)
{
    free(x->wbuf);
    free(x->rbuf);
    free(x->want);
}

static int run_xfers(pair *p, xfer *xs, size_t n)
{
    /* Each round writes one chunk per direction; a generous bound. */
    size_t rounds = 0, max_rounds = 16;
    int ret = 0;
    for (size_t i = 0; i < n; i++)
        max_rounds += 2 * (xs[i].total / xs[i].chunk + 1);
    for (;;) {
        int done = 1;
        for (size_t i = 0; i < n; i++)
            if (xfer_write(p, &xs[i]) != 0)
                return -1;
        pair_flush(p);
        for (size_t i = 0; i < n; i++) {
            if (xfer_read(p, &xs[i]) != 0)
                return -1;
            done &= xs[i].recvd == xs[i].total;
        }
        if (done)
            break;
        if (++rounds > max_rounds) {
            for (size_t i = 0; i < n; i++)
                fprintf(stderr, "pair: %s transfer stalled: %zu of %zu bytes sent, %zu received\n",
                        xs[i].dir == PAIR_C2S ? "client->server" : "server->client", xs[i].sent,
                        xs[i].total, xs[i].recvd);
            ret = -1;
            break;
        }
    }
    return ret;
}

int pair_transfer(pair *p, pair_dir dir, size_t total, size_t chunk, uint32_t seed)
{
    xfer x;
    int ret = -1;
    if (xfer_init(&x, dir, total, chunk, seed) == 0)
        ret = run_xfers(p, &x, 1);
    xfer_free(&x);
    return ret;
}

int pair_transfer_both(pair *p, size_t total, size_t chunk, uint32_t seed)
{
    xfer x[2];
    int ret = -1;
    if (xfer_init(&x[0], PAIR_C2S, total, chunk, seed) == 0 &&
        xfer_init(&x[1], PAIR_S2C, total, chunk, seed ^ 0x5a5a5a5a) == 0)
        ret = run_xfers(p, x, 2);
    xfer_free(&x[0]);
    xfer_free(&x[1]);
    return ret;
}

int pair_echo(pair *p, const char *msg)
{
    size_t n = strlen(msg);
    char buf[4096];
    long r;
    if (n == 0 || n > sizeof(buf)) {
        fprintf(stderr, "pair_echo: message of %zu bytes\n", n);
        return -1;
    }
    if (pair_send(p, PAIR_C2S, msg, n) != (int)n ||
        (r = pair_recv(p, PAIR_C2S, buf, sizeof(buf))) != (long)n || memcmp(buf, msg, n) != 0) {
        fprintf(stderr, "pair_echo: client->server failed\n");
        pair_dump(p, "echo");
        return -1;
    }
    if (pair_send(p, PAIR_S2C, buf, n) != (int)n ||
        (r = pair_recv(p, PAIR_S2C, buf, sizeof(buf))) != (long)n || memcmp(buf, msg, n) != 0) {
        fprintf(stderr, "pair_echo: server->client failed\n");
        pair_dump(p, "echo");
        return -1;
    }
    return 0;
}

/* ---- diagnostics ------------------------------------------------------- */

static void dump_one(const char *who, const mutls_conn *c)
{
    const char *suite = mutls_cipher_suite_name(mutls_conn_cipher_suite(c));
    const char *group = mutls_group_name(mutls_conn_group(c));
    const char *sig = mutls_sig_scheme_name(mutls_conn_sig_scheme(c));
    fprintf(stderr,
            "    %s: done=%d error=%s \"%s\" alert_sent=%d alert_received=%d suite=%s group=%s "
            "sig=%s alpn=%s peer=%s verified=%d hrr=%d ku=%llu/%llu\n",
            who, mutls_conn_handshake_done(c), mutls_strerror(mutls_conn_error_code(c)),
            mutls_conn_error(c), mutls_conn_alert_sent(c), mutls_conn_alert_received(c),
            suite ? suite : "-", group ? group : "-", sig ? sig : "-",
            mutls_conn_alpn(c) ? mutls_conn_alpn(c) : "-",
            mutls_conn_peer_subject(c) ? mutls_conn_peer_subject(c) : "-",
            mutls_conn_peer_verified(c), mutls_conn_did_hrr(c),
            (unsigned long long)mutls_conn_key_updates_sent(c),
            (unsigned long long)mutls_conn_key_updates_received(c));
}

void pair_dump(const pair *p, const char *label)
{
    fprintf(stderr, "  pair state (%s): handshake client=%s server=%s; records c->s %lu, s->c %lu\n",
            label ? label : "", mutls_strerror(p->crc), mutls_strerror(p->src), p->records[0],
            p->records[1]);
    dump_one("client", p->c);
    dump_one("server", p->s);
}

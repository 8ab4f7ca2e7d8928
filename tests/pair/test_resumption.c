/*
 * Session resumption, 0-RTT and False Start over in-memory pairs.
 *
 * Resumption by TLS 1.3 ticket, TLS 1.2 RFC 5077 ticket and TLS 1.2 session
 * ID (tickets off): the second handshake resumes on both sides without a
 * Certificate message, and data flows; other server configurations (other
 * keys, other cache) fall back to a full handshake. Ticket keys: automatic
 * rotation and the life of a key, key files (rotation by reload, dropping a
 * key, sharing between configurations, a refused reload, a key that expires
 * before its tickets). Ticket lifetime, tampered tickets, a bad binder
 * (decrypt_error), psk_ke, the client's identity carried over (and checked
 * again: revoked or expired by the time of resumption), early data
 * (accepted, rejected, over the limit, replayed, after a HelloRetryRequest),
 * TLS 1.2 False Start, and the session export format.
 *
 * Every clock is a test variable (mutls_config_set_time): the clients' and
 * the servers' move separately, so that one side may think a ticket fresh
 * while the other does not. Randomness is a fixed stream per configuration
 * (each configuration its own seed, so that automatic ticket keys differ).
 *
 * Editing a ClientHello in flight changes what the server hashes into its
 * transcript, so such tests also edit the client's copy (the raw transcript
 * the client keeps until the ServerHello names the hash), and where the PSK
 * binder must stay valid they have the client compute it again over the
 * edited message (mt_client_fill_binder): that is how a psk_ke-only offer is
 * made, which a mutls client never sends on its own (it always offers
 * psk_dhe_ke).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "core/conn.h" /* client transcript, config internals */
#include "pair_expect.h"
#include "session/session.h" /* struct mutls_session, ticket keys */
#include "tls13/handshake.h" /* mt_client_fill_binder */

#define T0 INT64_C(1767225600)    /* 2026-01-01T00:00:00Z */
#define T2100 INT64_C(4102444800) /* 2100-01-01T00:00:00Z: the test leaves expire */
#define T2101 INT64_C(4133980800) /* 2101-01-01T00:00:00Z */
#define HOUR INT64_C(3600)
#define DAY (24 * HOUR)
#define ROTATE (12 * HOUR) /* automatic ticket key rotation */
#define LIFETIME INT64_C(7200) /* default ticket lifetime */

#define ALERT_UNEXPECTED_MESSAGE 10
#define ALERT_CERTIFICATE_REVOKED 44
#define ALERT_CERTIFICATE_EXPIRED 45
#define ALERT_DECRYPT_ERROR 51
#define ALERT_MISSING_EXTENSION 109

#define HS_CLIENT_HELLO 1
#define HS_CERTIFICATE 11
#define HS_SERVER_KEY_EXCHANGE 12
#define HS_CERTIFICATE_REQUEST 13
#define HS_CERTIFICATE_VERIFY 15

#define EXT_SESSION_TICKET 35
#define EXT_PRE_SHARED_KEY 41
#define EXT_PSK_MODES 45

#define ALICE "CN=alice,OU=engineering,O=Example Org"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- handshake traces, one log per side ---------------------------------- */

#define MAX_EVENTS 512

typedef struct {
    int sent;
    uint8_t type;
    char name[40];
    char detail[240];
} tevent;

typedef struct {
    tevent ev[MAX_EVENTS];
    size_t n;
    const char *side;
} tracelog;

static void trace_fn(void *ctx, const mutls_conn *conn, const mutls_trace_event *ev)
{
    tracelog *t = ctx;
    (void)conn;
    if (getenv("PAIR_TRACE") != NULL)
        fprintf(stderr, "    [%s] %s %s: %s\n", t->side, ev->sent ? "->" : "<-", ev->name,
                ev->detail ? ev->detail : "");
    if (t->n == MAX_EVENTS)
        return;
    tevent *e = &t->ev[t->n++];
    e->sent = ev->sent;
    e->type = ev->msg_type;
    snprintf(e->name, sizeof(e->name), "%s", ev->name ? ev->name : "");
    snprintf(e->detail, sizeof(e->detail), "%s", ev->detail ? ev->detail : "");
}

/* Handshake messages of a type sent (1), received (0) or either (-1). */
static int tcount(const tracelog *t, int sent, uint8_t type)
{
    int n = 0;
    for (size_t i = 0; i < t->n; i++)
        n += t->ev[i].type == type && (sent < 0 || t->ev[i].sent == sent);
    return n;
}

/* 1 when an event of this name has needle in its detail. */
static int thas(const tracelog *t, const char *name, const char *needle)
{
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->ev[i].name, name) == 0 && contains(t->ev[i].detail, needle))
            return 1;
    return 0;
}

static void tdump(const tracelog *t)
{
    for (size_t i = 0; i < t->n; i++)
        fprintf(stderr, "      [%s] %s %s: %s\n", t->side, t->ev[i].sent ? "->" : "<-",
                t->ev[i].name, t->ev[i].detail);
}

#define CHECK_TRACE(t, name, needle)                                                           \
    do {                                                                                       \
        int ok_ = thas((t), (name), (needle));                                                 \
        CHECK(ok_ && "trace event");                                                           \
        if (!ok_) {                                                                            \
            fprintf(stderr, "    no %s event mentioning \"%s\" in:\n", (name), (needle));      \
            tdump(t);                                                                          \
        }                                                                                      \
    } while (0)

/* ---- deterministic randomness and clocks -------------------------------- */

static int rng_fn(void *ctx, uint8_t *out, size_t len)
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

static int64_t clock_fn(void *ctx) { return *(const int64_t *)ctx; }

/* ---- a world: configurations sharing two clocks and two traces ----------- */

#define MAX_CFGS 8

typedef struct world {
    mutls_config *cfgs[MAX_CFGS];
    uint64_t rng[MAX_CFGS];
    size_t n;
    int64_t cnow, snow; /* every client's clock, every server's clock */
    tracelog ct, st;
} world;

static uint64_t next_seed = 1;

static world *world_new(void)
{
    world *w = calloc(1, sizeof(*w));
    if (w == NULL)
        abort();
    w->cnow = w->snow = T0;
    w->ct.side = "client";
    w->st.side = "server";
    return w;
}

static void world_free(world *w)
{
    for (size_t i = 0; i < w->n; i++)
        mutls_config_free(w->cfgs[i]);
    free(w);
}

static void adopt(world *w, mutls_config *cfg, int server)
{
    size_t i = w->n++;
    if (i >= MAX_CFGS)
        abort();
    w->cfgs[i] = cfg;
    w->rng[i] = next_seed++ * UINT64_C(0x100000001b3);
    mutls_config_set_random(cfg, rng_fn, &w->rng[i]);
    mutls_config_set_time(cfg, clock_fn, server ? &w->snow : &w->cnow);
    mutls_config_set_trace(cfg, trace_fn, server ? &w->st : &w->ct);
}

/* Server settings beyond pair_spec. */
typedef struct sopts {
    int tickets;            /* 0: default (2 per handshake); -1: none */
    uint32_t lifetime;      /* ticket lifetime; 0: default */
    int cache;              /* session-ID cache entries; 0: default; -1: off */
    uint32_t cache_timeout; /* with cache > 0 */
    uint32_t early;         /* max early data; 0: 0-RTT off */
    int psk_ke;
    const char *keyfile;    /* ticket key file, loaded before first use */
} sopts;

typedef struct copts {
    int psk_ke, false_start;
} copts;

static mutls_config *mk_server(world *w, const pair_spec *spec, const sopts *o)
{
    static const sopts none;
    mutls_config *c, *s;
    if (o == NULL)
        o = &none;
    if (pair_make_configs(spec, &c, &s) != 0) {
        CHECK(0 && "server configuration");
        return NULL;
    }
    mutls_config_free(c);
    adopt(w, s, 1);
    if (o->tickets != 0)
        CHECK(mutls_config_set_tickets(s, o->tickets < 0 ? 0 : (unsigned)o->tickets) == 0);
    if (o->lifetime != 0)
        CHECK(mutls_config_set_ticket_lifetime(s, o->lifetime) == 0);
    if (o->cache < 0)
        CHECK(mutls_config_set_session_cache(s, 0, 0) == 0);
    else if (o->cache > 0)
        CHECK(mutls_config_set_session_cache(s, (size_t)o->cache, o->cache_timeout) == 0);
    if (o->early != 0)
        CHECK(mutls_config_set_early_data(s, o->early) == 0);
    if (o->psk_ke)
        mutls_config_set_psk_ke(s, 1);
    if (o->keyfile != NULL) {
        int rc = mutls_config_load_ticket_keys(s, o->keyfile);
        CHECK(rc == 0);
        if (rc != 0)
            fprintf(stderr, "    key file: %s\n", mutls_config_error(s));
    }
    return s;
}

static mutls_config *mk_client(world *w, const pair_spec *spec, const copts *o)
{
    mutls_config *c, *s;
    if (pair_make_configs(spec, &c, &s) != 0) {
        CHECK(0 && "client configuration");
        return NULL;
    }
    mutls_config_free(s);
    adopt(w, c, 0);
    if (o != NULL && o->psk_ke)
        mutls_config_set_psk_ke(c, 1);
    if (o != NULL && o->false_start)
        mutls_config_set_false_start(c, 1);
    return c;
}

/* ---- driving pairs -------------------------------------------------------- */

/* A pair on two configurations, offering a session (or none); the traces
 * start afresh. */
static pair *connect_with(world *w, mutls_config *c, mutls_config *s, mutls_session *sess)
{
    pair *p;
    w->ct.n = w->st.n = 0;
    p = pair_new_from(c, s, "localhost");
    CHECK(p != NULL);
    if (p == NULL)
        abort();
    if (sess != NULL)
        CHECK(mutls_conn_set_session(p->c, sess) == 0);
    return p;
}

/* Drive both sides until nothing changes: in TLS 1.3 the client completes
 * before the server has checked its certificate, and sees the server's
 * alert only when it next reads. */
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

static int run(pair *p)
{
    pair_handshake(p);
    settle(p);
    return p->crc == MUTLS_OK && p->src == MUTLS_OK ? 0 : -1;
}

/* Completed, resumed on both sides, no certificate either way, data flows. */
static void expect_resumed_(world *w, pair *p, const char *file, int line)
{
    int ok = p->crc == MUTLS_OK && p->src == MUTLS_OK;
    PCHECK_AT(ok, file, line, "resumed: both handshakes complete");
    PCHECK_AT(mutls_conn_is_resumed(p->c) == 1, file, line, "resumed: client says resumed");
    PCHECK_AT(mutls_conn_is_resumed(p->s) == 1, file, line, "resumed: server says resumed");
    PCHECK_AT(tcount(&w->st, -1, HS_CERTIFICATE) == 0, file, line,
              "resumed: no Certificate message (server side)");
    PCHECK_AT(tcount(&w->ct, -1, HS_CERTIFICATE) == 0, file, line,
              "resumed: no Certificate message (client side)");
    PCHECK_AT(tcount(&w->st, -1, HS_CERTIFICATE_VERIFY) == 0, file, line,
              "resumed: no CertificateVerify");
    PCHECK_AT(tcount(&w->st, -1, HS_CERTIFICATE_REQUEST) == 0, file, line,
              "resumed: no CertificateRequest");
    PCHECK_AT(tcount(&w->st, -1, HS_SERVER_KEY_EXCHANGE) == 0, file, line,
              "resumed: no ServerKeyExchange");
    if (ok)
        PCHECK_AT(pair_echo(p, "data over the resumed session") == 0, file, line,
                  "resumed: data flows");
    if (!ok || !mutls_conn_is_resumed(p->c) || !mutls_conn_is_resumed(p->s)) {
        pair_dump(p, "expected a resumed handshake");
        tdump(&w->ct);
        tdump(&w->st);
    }
}
#define EXPECT_RESUMED(w, p) expect_resumed_((w), (p), __FILE__, __LINE__)

/* Completed as a full handshake (the server's certificate went by), no
 * error, data flows. */
static void expect_full_(world *w, pair *p, const char *file, int line)
{
    int ok = p->crc == MUTLS_OK && p->src == MUTLS_OK;
    PCHECK_AT(ok, file, line, "full: both handshakes complete");
    PCHECK_AT(mutls_conn_is_resumed(p->c) == 0, file, line, "full: client not resumed");
    PCHECK_AT(mutls_conn_is_resumed(p->s) == 0, file, line, "full: server not resumed");
    PCHECK_AT(tcount(&w->st, 1, HS_CERTIFICATE) == 1, file, line,
              "full: the server sent its Certificate");
    PCHECK_AT(tcount(&w->ct, 0, HS_CERTIFICATE) == 1, file, line,
              "full: the client received a Certificate");
    PCHECK_AT(mutls_conn_error_code(p->c) == MUTLS_OK && mutls_conn_error_code(p->s) == MUTLS_OK,
              file, line, "full: no error");
    if (ok)
        PCHECK_AT(pair_echo(p, "data after a full handshake") == 0, file, line,
                  "full: data flows");
    if (!ok || mutls_conn_is_resumed(p->c) || mutls_conn_is_resumed(p->s)) {
        pair_dump(p, "expected a full handshake");
        tdump(&w->ct);
        tdump(&w->st);
    }
}
#define EXPECT_FULL(w, p) expect_full_((w), (p), __FILE__, __LINE__)

/* A handshake expected to be full (offering sess, or nothing); returns the
 * client's newest session. */
static mutls_session *full_(world *w, mutls_config *c, mutls_config *s, mutls_session *sess,
                            const char *file, int line)
{
    pair *p = connect_with(w, c, s, sess);
    mutls_session *got;
    run(p);
    expect_full_(w, p, file, line);
    got = mutls_conn_get_session(p->c);
    PCHECK_AT(got != NULL, file, line, "the client got a session");
    pair_free(p);
    return got;
}
#define FULL(w, c, s, sess) full_((w), (c), (s), (sess), __FILE__, __LINE__)

/* The same where the server gives no session back (no ticket can be made). */
static void full_nosess_(world *w, mutls_config *c, mutls_config *s, mutls_session *sess,
                         const char *file, int line)
{
    pair *p = connect_with(w, c, s, sess);
    run(p);
    expect_full_(w, p, file, line);
    mutls_session *got = mutls_conn_get_session(p->c);
    PCHECK_AT(got == NULL, file, line, "no session");
    mutls_session_free(got);
    pair_free(p);
}
#define FULL_NOSESS(w, c, s, sess) full_nosess_((w), (c), (s), (sess), __FILE__, __LINE__)

/* A handshake expected to resume sess; returns the client's newest session
 * (a new ticket, or the same TLS 1.2 session). */
static mutls_session *resume_(world *w, mutls_config *c, mutls_config *s, mutls_session *sess,
                              const char *file, int line)
{
    pair *p = connect_with(w, c, s, sess);
    mutls_session *got;
    run(p);
    expect_resumed_(w, p, file, line);
    got = mutls_conn_get_session(p->c);
    PCHECK_AT(got != NULL, file, line, "the resumed connection has a session");
    pair_free(p);
    return got;
}
#define RESUME(w, c, s, sess) resume_((w), (c), (s), (sess), __FILE__, __LINE__)

/* The three ways to resume. */
typedef enum { M13 = 0, M12T = 1, M12ID = 2 } rmode;
static const char *mname(rmode m)
{
    return m == M13 ? "TLS 1.3 ticket" : m == M12T ? "TLS 1.2 ticket" : "TLS 1.2 session ID";
}

static pair_spec mode_spec(rmode m)
{
    pair_spec s;
    memset(&s, 0, sizeof(s));
    if (m != M13) {
        s.client_min_version = MUTLS_TLS1_2;
        s.client_max_version = MUTLS_TLS1_2;
    }
    return s;
}

static sopts mode_sopts(rmode m)
{
    sopts o;
    memset(&o, 0, sizeof(o));
    if (m == M12ID)
        o.tickets = -1;
    return o;
}

static uint16_t mode_version(rmode m) { return m == M13 ? MUTLS_TLS1_3 : MUTLS_TLS1_2; }

/* ---- ticket key files ------------------------------------------------------ */

typedef struct {
    uint8_t id[16];
    uint8_t key[32];
    int64_t from, until;
} fkey;

static fkey make_fkey(uint8_t tag, int64_t from, int64_t until)
{
    fkey k;
    for (size_t i = 0; i < sizeof(k.id); i++)
        k.id[i] = (uint8_t)(tag * 16 + i);
    for (size_t i = 0; i < sizeof(k.key); i++)
        k.key[i] = (uint8_t)(tag ^ (i * 37 + 11));
    k.from = from;
    k.until = until;
    return k;
}

static void hex(char *out, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        sprintf(out + 2 * i, "%02x", p[i]);
}

/* Write keys to path (replacing it). */
static void write_keyfile(const char *path, const fkey *keys, size_t n)
{
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (f == NULL)
        return;
    fprintf(f, "# mutls test ticket keys\n");
    for (size_t i = 0; i < n; i++) {
        char id[33], key[65];
        hex(id, keys[i].id, 16);
        hex(key, keys[i].key, 32);
        fprintf(f, "%s %s %lld %lld\n", id, key, (long long)keys[i].from,
                (long long)keys[i].until);
    }
    fclose(f);
}

/* A fresh temporary file name (the file exists, empty). */
static void temp_path(char *out, size_t cap)
{
    snprintf(out, cap, "/tmp/mutls-rpair-XXXXXX");
    int fd = mkstemp(out);
    CHECK(fd >= 0);
    if (fd >= 0)
        close(fd);
}

/* The key id a ticket was sealed with. */
static int ticket_key_is(const mutls_session *s, const fkey *k)
{
    return s != NULL && s->ticket_len >= 16 && memcmp(s->ticket, k->id, 16) == 0;
}

static int same_ticket_key(const mutls_session *a, const mutls_session *b)
{
    return a != NULL && b != NULL && a->ticket_len >= 16 && b->ticket_len >= 16 &&
           memcmp(a->ticket, b->ticket, 16) == 0;
}

/* ---- editing the ClientHello in flight ------------------------------------- */

/* Offset (in the handshake message msg) of the data of extension type, and
 * its length; -1 when absent. */
static int ch_find_ext(const uint8_t *msg, size_t len, uint16_t type, size_t *off, size_t *elen)
{
    size_t o = 4 + 2 + 32;
    if (len < o + 1 || msg[0] != HS_CLIENT_HELLO)
        return -1;
    o += 1 + msg[o];
    if (o + 2 > len)
        return -1;
    o += 2 + ((size_t)msg[o] << 8 | msg[o + 1]);
    if (o + 1 > len)
        return -1;
    o += 1 + msg[o];
    if (o + 2 > len)
        return -1;
    size_t end = o + 2 + ((size_t)msg[o] << 8 | msg[o + 1]);
    o += 2;
    if (end > len)
        return -1;
    while (o + 4 <= end) {
        uint16_t t = (uint16_t)(msg[o] << 8 | msg[o + 1]);
        size_t l = (size_t)msg[o + 2] << 8 | msg[o + 3];
        if (o + 4 + l > end)
            return -1;
        if (t == type) {
            *off = o + 4;
            *elen = l;
            return 0;
        }
        o += 4 + l;
    }
    return -1;
}

typedef enum {
    ED_OBSERVE,        /* no edit: note the psk_key_exchange_modes listed */
    ED_PSK_KE_ONLY,    /* psk_key_exchange_modes: psk_ke only (binder fixed) */
    ED_FLIP_IDENTITY,  /* flip a byte of the TLS 1.3 ticket (PSK identity) */
    ED_FLIP_TICKET12,  /* flip a byte of the TLS 1.2 session_ticket */
    ED_FLIP_BINDER,    /* flip a byte of the binder (the end of the hello) */
} edit_kind;

typedef struct {
    edit_kind kind;
    size_t at;         /* which byte (of the ticket; of the binder from its end) */
    int mirror;        /* edit the client's transcript the same way */
    int done;
    unsigned modes;    /* psk_key_exchange_modes as sent: bit 0 psk_ke, bit 1 psk_dhe_ke */
} ch_edit;

/* Edit the first ClientHello (one record, one message). */
static void edit_hook(pair *p, pair_record *r, void *ctx)
{
    ch_edit *e = ctx;
    size_t off, elen;
    if (r->dir != PAIR_C2S || r->data[0] != 22 || r->len < 9 || r->data[5] != HS_CLIENT_HELLO ||
        e->done)
        return;
    uint8_t *msg = r->data + 5;
    size_t len = r->len - 5;
    if (4 + ((size_t)msg[1] << 16 | (size_t)msg[2] << 8 | msg[3]) != len) {
        CHECK(0 && "the ClientHello fills its record");
        return;
    }
    if (ch_find_ext(msg, len, EXT_PSK_MODES, &off, &elen) == 0 && elen >= 1)
        for (size_t i = 1; i < elen; i++)
            e->modes |= msg[off + i] < 8 ? 1u << msg[off + i] : 0x80u;
    switch (e->kind) {
    case ED_OBSERVE:
        break;
    case ED_PSK_KE_ONLY: {
        if (ch_find_ext(msg, len, EXT_PSK_MODES, &off, &elen) != 0 || elen < 2) {
            CHECK(0 && "psk_key_exchange_modes present");
            return;
        }
        for (size_t i = 1; i < elen; i++)
            msg[off + i] = 0; /* every mode becomes psk_ke */
        if (ch_find_ext(msg, len, EXT_PRE_SHARED_KEY, &off, &elen) != 0)
            break; /* a first hello: no binder */
        /* The client computes the binder again over the edited hello. */
        mt_buf *b = &p->c->scratch;
        mt_buf_reset(b);
        CHECK(mt_w_bytes(b, msg, len) == 0);
        CHECK(mt_client_fill_binder(p->c) == 0);
        memcpy(msg, b->data, len);
        break;
    }
    case ED_FLIP_IDENTITY:
        /* identities<2> identity<2> ... */
        if (ch_find_ext(msg, len, EXT_PRE_SHARED_KEY, &off, &elen) != 0 || elen < 4) {
            CHECK(0 && "pre_shared_key present");
            return;
        }
        msg[off + 4 + e->at] ^= 0x01;
        break;
    case ED_FLIP_TICKET12:
        if (ch_find_ext(msg, len, EXT_SESSION_TICKET, &off, &elen) != 0 || elen <= e->at) {
            CHECK(0 && "session_ticket present");
            return;
        }
        msg[off + e->at] ^= 0x01;
        break;
    case ED_FLIP_BINDER:
        msg[len - 1 - e->at] ^= 0x80;
        break;
    }
    if (e->mirror) {
        mt_handshake *hs = p->c->hs;
        int ok = hs != NULL && hs->transcript == NULL && hs->raw_transcript.len == len;
        CHECK(ok && "the client's transcript is the raw ClientHello");
        if (ok)
            memcpy(hs->raw_transcript.data, msg, len);
    }
    e->done = 1;
}

/* ---- resumption by ticket and by session ID --------------------------------- */

static void test_resume_basic(void)
{
    for (rmode m = M13; m <= M12ID; m++) {
        say("%s: the second handshake resumes", mname(m));
        world *w = world_new();
        pair_spec spec = mode_spec(m);
        sopts so = mode_sopts(m);
        mutls_config *c = mk_client(w, &spec, NULL);
        mutls_config *s = mk_server(w, &spec, &so);
        mutls_config *s2 = mk_server(w, &spec, &so); /* other keys, other cache */

        mutls_session *s1 = FULL(w, c, s, NULL);
        if (s1 == NULL) {
            world_free(w);
            continue;
        }
        CHECK(s1->st.version == mode_version(m));
        CHECK(m == M12ID ? s1->ticket_len == 0 && s1->session_id_len == 32
                         : s1->ticket_len > 0);
        CHECK(mutls_session_max_early_data(s1) == 0);

        pair *p = connect_with(w, c, s, s1);
        CHECK(run(p) == 0);
        EXPECT_RESUMED(w, p);
        CHECK(mutls_conn_version(p->c) == mode_version(m));
        CHECK(mutls_conn_version(p->s) == mode_version(m));
        CHECK(mutls_conn_cipher_suite(p->c) == s1->st.suite);
        CHECK(pair_transfer_both(p, 100000, 7000, 3) == 0);
        if (m != M13) {
            CHECK(mutls_conn_ems(p->c) == 1 && mutls_conn_ems(p->s) == 1);
            CHECK_TRACE(&w->ct, "ServerHello", "resumed");
        } else {
            CHECK_TRACE(&w->ct, "ServerHello", "resumed (PSK)");
        }
        /* the server's identity is carried over on the client */
        CHECK(mutls_conn_peer(p->c) != NULL);
        CHECK(mutls_conn_peer_verified(p->c) == 1);
        CHECK_STR(mutls_conn_peer_subject(p->c), "CN=localhost");
        CHECK(mutls_conn_peer(p->s) == NULL); /* no client certificate */
        mutls_session *next = mutls_conn_get_session(p->c);
        CHECK(next != NULL);
        if (m == M12ID && next != NULL)
            CHECK(next->session_id_len == 32 &&
                  memcmp(next->session_id, s1->session_id, 32) == 0);
        pair_free(p);

        say("%s: the session of a resumed connection resumes again", mname(m));
        if (next != NULL) {
            mutls_session *again = RESUME(w, c, s, next);
            mutls_session_free(again);
        }
        mutls_session_free(next);

        say("%s: another server configuration (other keys/cache): full handshake",
            mname(m));
        mutls_session *other = FULL(w, c, s2, s1);
        if (m == M13)
            CHECK_TRACE(&w->st, "PSK", "cannot be opened");
        else if (m == M12T)
            CHECK_TRACE(&w->st, "Session", "not resumed (ticket)");
        /* ...and that server's own session resumes there, not on the first */
        if (other != NULL) {
            mutls_session *r = RESUME(w, c, s2, other);
            mutls_session_free(r);
            mutls_session *f = FULL(w, c, s, other);
            mutls_session_free(f);
        }
        mutls_session_free(other);

        say("%s: offered by a client that then negotiates the other version: full handshake",
            mname(m));
        {
            pair_spec other_spec = mode_spec(m == M13 ? M12T : M13);
            mutls_config *oc = mk_client(w, &other_spec, NULL);
            if (m == M12ID) { /* tickets off: a TLS 1.3 client gets none */
                FULL_NOSESS(w, oc, s, s1);
            } else {
                mutls_session *f = FULL(w, oc, s, s1);
                mutls_session_free(f);
            }
        }
        if (m != M13) {
            say("%s: a client that also speaks TLS 1.3 resumes a TLS 1.2 session with a TLS "
                "1.2-only server", mname(m));
            pair_spec s12spec = mode_spec(m);
            s12spec.server_min_version = s12spec.server_max_version = MUTLS_TLS1_2;
            mutls_config *s12 = mk_server(w, &s12spec, &so);
            pair_spec both = mode_spec(M13);
            mutls_config *c13 = mk_client(w, &both, NULL);
            mutls_session *t = FULL(w, c, s12, NULL);
            mutls_session *r = RESUME(w, c13, s12, t);
            mutls_session_free(r);
            mutls_session_free(t);
        }
        mutls_session_free(s1);
        world_free(w);
    }

    say("TLS 1.2: with tickets and the cache both on, the client holds the ticket");
    {
        world *w = world_new();
        pair_spec spec = mode_spec(M12T);
        mutls_config *c = mk_client(w, &spec, NULL);
        mutls_config *s = mk_server(w, &spec, NULL);
        mutls_session *s1 = FULL(w, c, s, NULL);
        if (s1 != NULL) {
            CHECK(s1->ticket_len > 0 && s1->session_id_len == 0);
            mutls_session *r = RESUME(w, c, s, s1);
            mutls_session_free(r);
        }
        mutls_session_free(s1);
        world_free(w);
    }

    say("TLS 1.2: without tickets and without the cache there is nothing to resume");
    {
        world *w = world_new();
        pair_spec spec = mode_spec(M12T);
        sopts so = {.tickets = -1, .cache = -1};
        mutls_config *c = mk_client(w, &spec, NULL);
        mutls_config *s = mk_server(w, &spec, &so);
        pair *p = connect_with(w, c, s, NULL);
        CHECK(run(p) == 0);
        EXPECT_FULL(w, p);
        CHECK(mutls_conn_get_session(p->c) == NULL);
        pair_free(p);
        world_free(w);
    }

    say("TLS 1.3: with tickets off the server sends none");
    {
        world *w = world_new();
        pair_spec spec = mode_spec(M13);
        sopts so = {.tickets = -1};
        mutls_config *c = mk_client(w, &spec, NULL);
        mutls_config *s = mk_server(w, &spec, &so);
        pair *p = connect_with(w, c, s, NULL);
        CHECK(run(p) == 0);
        EXPECT_FULL(w, p);
        CHECK(mutls_conn_get_session(p->c) == NULL);
        CHECK(mutls_conn_send_ticket(p->s) == MUTLS_ERR_INVALID_ARGUMENT);
        pair_free(p);
        world_free(w);
    }

    say("TLS 1.3: mutls_conn_send_ticket gives one more (resumable) ticket");
    {
        world *w = world_new();
        pair_spec spec = mode_spec(M13);
        sopts so = {.tickets = 1};
        mutls_config *c = mk_client(w, &spec, NULL);
        mutls_config *s = mk_server(w, &spec, &so);
        pair *p = connect_with(w, c, s, NULL);
        CHECK(run(p) == 0);
        mutls_session *first = mutls_conn_get_session(p->c);
        CHECK(first != NULL);
        CHECK(mutls_conn_send_ticket(p->s) == 0);
        CHECK(pair_echo(p, "after another ticket") == 0);
        mutls_session *second = mutls_conn_get_session(p->c);
        CHECK(second != NULL && second != first);
        CHECK(mutls_conn_send_ticket(p->c) == MUTLS_ERR_INVALID_ARGUMENT);
        pair_free(p);
        if (second != NULL) {
            mutls_session *r = RESUME(w, c, s, second);
            mutls_session_free(r);
        }
        if (first != NULL) {
            mutls_session *r = RESUME(w, c, s, first);
            mutls_session_free(r);
        }
        mutls_session_free(first);
        mutls_session_free(second);
        world_free(w);
    }

    say("TLS 1.3: a session too large for a ticket (a 70000-byte client chain): no ticket, "
        "the connection goes on");
    {
        world *w = world_new();
        pair_spec spec = mode_spec(M13);
        sopts so = {.tickets = 1};
        mutls_config *c = mk_client(w, &spec, NULL);
        mutls_config *s = mk_server(w, &spec, &so);
        pair *p = connect_with(w, c, s, NULL);
        CHECK(run(p) == 0);
        /* what a ticket would carry for a client that sent a huge chain */
        mt_buf *chain = &p->s->peer_chain;
        mt_buf_reset(chain);
        for (int i = 0; i < 7; i++) {
            uint8_t cert[9997];
            memset(cert, 0x30 + i, sizeof(cert));
            mt_w_u24(chain, sizeof(cert));
            mt_w_bytes(chain, cert, sizeof(cert));
        }
        CHECK(chain->len == 70000 && !chain->err);
        w->st.n = 0;
        int rc = mutls_conn_send_ticket(p->s);
        CHECK(rc == MUTLS_ERR_CONFIG);
        if (rc != MUTLS_ERR_CONFIG)
            printf("    send_ticket: %s (%s); pending %zu\n", mutls_strerror(rc),
                   mutls_conn_error(p->s), mutls_conn_pending(p->s));
        CHECK(mutls_conn_error_code(p->s) == MUTLS_OK);
        CHECK_TRACE(&w->st, "NewSessionTicket", "not sent");
        CHECK(pair_echo(p, "no ticket, no problem") == 0);
        pair_free(p);
        world_free(w);
    }
}

/* ---- ticket keys: automatic rotation -------------------------------------- */

static void test_rotation(void)
{
    for (rmode m = M13; m <= M12T; m++) {
        world *w = world_new();
        pair_spec spec = mode_spec(m);
        mutls_config *c = mk_client(w, &spec, NULL);
        mutls_config *s = mk_server(w, &spec, NULL);

        say("%s: automatic keys: a ticket sealed before a rotation still resumes", mname(m));
        mutls_session *a = FULL(w, c, s, NULL); /* the first key, made at T0 */
        w->cnow = w->snow = T0 + ROTATE - 100;
        mutls_session *b = FULL(w, c, s, NULL); /* still the first key */
        CHECK(same_ticket_key(a, b));
        w->cnow = w->snow = T0 + ROTATE + 100;
        mutls_session *d = FULL(w, c, s, NULL); /* a new key: rotated */
        CHECK(d != NULL && !same_ticket_key(b, d));
        mutls_session *r = RESUME(w, c, s, b); /* b is 200 s old, under the old key */
        CHECK(!same_ticket_key(b, r));         /* new tickets: the new key */
        mutls_session_free(r);
        r = RESUME(w, c, s, d);
        mutls_session_free(r);

        say("%s: a ticket older than its key's life (rotation + lifetime): full handshake, "
            "no error", mname(m));
        /* The client's clock stays where a's ticket looks fresh to it, so
         * that it offers it; the server's is past the first key's life. */
        w->cnow = T0 + 60;
        w->snow = T0 + ROTATE + LIFETIME + 1;
        mutls_session *f = FULL(w, c, s, a);
        if (m == M13)
            CHECK_TRACE(&w->st, "PSK", "cannot be opened");
        else
            CHECK_TRACE(&w->st, "Session", "cannot be opened");
        mutls_session_free(f);
        /* The second key still opens its tickets (d is 7101 s old). */
        w->cnow = w->snow;
        r = RESUME(w, c, s, d);
        mutls_session_free(r);
        mutls_session_free(a);
        mutls_session_free(b);
        mutls_session_free(d);
        world_free(w);
    }

    say("ticket keys, automatic mode: rotation and key life at the second (internal API)");
    {
        mutls_config *cfg = mutls_config_new(MUTLS_SERVER);
        uint64_t seed = 99;
        mt_rng rng = {rng_fn, &seed};
        mt_ticket_keys *k = mt_ticket_keys_new(cfg->cx, &rng, 100, 50);
        mt_buf t1, t2, t3, out;
        const uint8_t state[] = "a session state";
        mt_buf_init(&t1);
        mt_buf_init(&t2);
        mt_buf_init(&t3);
        mt_buf_init(&out);
        CHECK(k != NULL);
        if (k != NULL) {
            CHECK(mt_ticket_seal(k, 1000, state, sizeof(state), &t1) == 0);
            CHECK(mt_ticket_seal(k, 1099, state, sizeof(state), &t2) == 0);
            CHECK(t1.len == t2.len && memcmp(t1.data, t2.data, 16) == 0); /* same key */
            CHECK(mt_ticket_seal(k, 1100, state, sizeof(state), &t3) == 0);
            CHECK(memcmp(t1.data, t3.data, 16) != 0); /* rotated at 100 s */
            CHECK(mt_ticket_open(k, 1100, t1.data, t1.len, &out) == 0);
            CHECK(out.len == sizeof(state) && memcmp(out.data, state, sizeof(state)) == 0);
            mt_buf_reset(&out);
            /* the first key lives rotate + lifetime = 150 s */
            CHECK(mt_ticket_open(k, 1150, t2.data, t2.len, &out) == 0);
            mt_buf_reset(&out);
            CHECK(mt_ticket_open(k, 1151, t2.data, t2.len, &out) == -1);
            CHECK(out.len == 0);
            CHECK(mt_ticket_open(k, 1150, t1.data, t1.len, &out) == -1); /* dropped for good */
            CHECK(mt_ticket_open(k, 1151, t3.data, t3.len, &out) == 0);
            mt_buf_reset(&out);
            /* tampered: every byte */
            for (size_t i = 0; i < t3.len; i++) {
                t3.data[i] ^= 0x20;
                CHECK(mt_ticket_open(k, 1151, t3.data, t3.len, &out) == -1);
                t3.data[i] ^= 0x20;
            }
            CHECK(out.len == 0);
            for (size_t n = 0; n < t3.len; n++)
                CHECK(mt_ticket_open(k, 1151, t3.data, n, &out) == -1);
            CHECK(mt_ticket_open(k, 1151, t3.data, t3.len, &out) == 0);
        }
        mt_buf_free(&t1);
        mt_buf_free(&t2);
        mt_buf_free(&t3);
        mt_buf_free(&out);
        mt_ticket_keys_free(k);
        mutls_config_free(cfg);
    }
}

/* ---- ticket key files -------------------------------------------------------- */

static void test_key_files(void)
{
    char path[64], path2[64], bad[64];
    temp_path(path, sizeof(path));
    temp_path(path2, sizeof(path2));
    temp_path(bad, sizeof(bad));

    for (rmode m = M13; m <= M12T; m++) {
        world *w = world_new();
        pair_spec spec = mode_spec(m);
        fkey k1 = make_fkey(1, T0 - HOUR, T0 + 30 * DAY);
        fkey k2 = make_fkey(2, T0 + 600, T0 + 30 * DAY);
        write_keyfile(path, &k1, 1);
        sopts so = {.keyfile = path};
        mutls_config *c = mk_client(w, &spec, NULL);
        mutls_config *s = mk_server(w, &spec, &so);
        mutls_config *s2 = mk_server(w, &spec, &so); /* the same file */

        say("%s: key file: tickets are sealed with its key", mname(m));
        mutls_session *t1 = FULL(w, c, s, NULL);
        CHECK(ticket_key_is(t1, &k1));

        say("%s: key file: two configurations with the same file resume each other's "
            "tickets", mname(m));
        mutls_session *r = RESUME(w, c, s2, t1);
        CHECK(ticket_key_is(r, &k1));
        mutls_session *back = RESUME(w, c, s, r);
        mutls_session_free(back);
        mutls_session_free(r);

        say("%s: key file: rotation by reloading a file that keeps the old key", mname(m));
        fkey both[2] = {k1, k2};
        write_keyfile(path, both, 2);
        CHECK(mutls_config_load_ticket_keys(s, path) == 0); /* in use */
        w->cnow = w->snow = T0 + 700;                       /* k2 is valid now */
        r = RESUME(w, c, s, t1);                            /* the old key opens */
        CHECK(ticket_key_is(r, &k2));                       /* the newest seals */
        mutls_session *t2 = r;
        /* s2 has not reloaded: it cannot open k2's tickets yet */
        mutls_session *f = FULL(w, c, s2, t2);
        mutls_session_free(f);
        CHECK(mutls_config_load_ticket_keys(s2, path) == 0);
        r = RESUME(w, c, s2, t2);
        mutls_session_free(r);

        say("%s: key file: a refused reload keeps the keys in use", mname(m));
        {
            FILE *fb = fopen(bad, "w");
            CHECK(fb != NULL);
            if (fb != NULL) {
                fprintf(fb, "00112233445566778899aabbccddeeff 1234 1 2\n");
                fclose(fb);
            }
            CHECK(mutls_config_load_ticket_keys(s, bad) == MUTLS_ERR_CONFIG);
            CHECK_CONTAINS(mutls_config_error(s), "line 1");
            fkey old = make_fkey(9, T0 - 2 * DAY, T0 - DAY);
            write_keyfile(bad, &old, 1);
            CHECK(mutls_config_load_ticket_keys(s, bad) == MUTLS_ERR_CONFIG);
            CHECK_CONTAINS(mutls_config_error(s), "no key is valid now");
            CHECK(mutls_config_load_ticket_keys(s, "/nonexistent/mutls-keys") == MUTLS_ERR_CONFIG);
            r = RESUME(w, c, s, t1);
            mutls_session_free(r);
        }

        say("%s: key file: dropping the old key (reload on a configuration in use): its "
            "tickets get a full handshake, the new key's resume", mname(m));
        write_keyfile(path, &k2, 1);
        CHECK(mutls_config_load_ticket_keys(s, path) == 0);
        f = FULL(w, c, s, t1);
        CHECK(ticket_key_is(f, &k2));
        if (m == M13)
            CHECK_TRACE(&w->st, "PSK", "cannot be opened");
        else
            CHECK_TRACE(&w->st, "Session", "cannot be opened");
        mutls_session_free(f);
        r = RESUME(w, c, s, t2);
        mutls_session_free(r);
        /* s2 still has both keys */
        r = RESUME(w, c, s2, t1);
        mutls_session_free(r);

        say("%s: key file: a key that expires before its tickets do: full handshake",
            mname(m));
        {
            fkey shortk = make_fkey(3, T0 - 10, T0 + 1000);
            fkey later = make_fkey(4, T0 + 1100, T0 + 30 * DAY);
            fkey keys[2] = {shortk, later};
            write_keyfile(path2, keys, 2);
            sopts so2 = {.keyfile = path2};
            w->cnow = w->snow = T0 + 700;
            mutls_config *s3 = mk_server(w, &spec, &so2);
            mutls_session *t3 = FULL(w, c, s3, NULL);
            CHECK(ticket_key_is(t3, &shortk));
            w->cnow = w->snow = T0 + 1000; /* the key's last second */
            r = RESUME(w, c, s3, t3);
            CHECK(ticket_key_is(r, &shortk));
            mutls_session_free(r);
            w->cnow = w->snow = T0 + 1001; /* the ticket is 301 s old of 7200 */
            if (m == M13) {
                /* no key can seal now: no ticket, the connection goes on */
                FULL_NOSESS(w, c, s3, t3);
                CHECK_TRACE(&w->st, "NewSessionTicket", "not sent");
            } else {
                /* TLS 1.2: the promised ticket is empty; the client has none */
                f = FULL(w, c, s3, t3); /* (a session ID from the cache) */
                CHECK(f == NULL || f->ticket_len == 0);
                mutls_session_free(f);
            }
            {
                /* mutls_conn_send_ticket says so, and the connection goes on */
                pair *q = connect_with(w, c, s3, NULL);
                CHECK(run(q) == 0);
                if (m == M13) {
                    CHECK(mutls_conn_send_ticket(q->s) == MUTLS_ERR_CONFIG);
                    CHECK(mutls_conn_error_code(q->s) == MUTLS_OK);
                }
                CHECK(pair_echo(q, "no ticket, no problem") == 0);
                pair_free(q);
            }
            w->cnow = w->snow = T0 + 1100;
            f = FULL(w, c, s3, t3);
            CHECK(ticket_key_is(f, &later));
            mutls_session_free(f);
            mutls_session_free(t3);
        }
        mutls_session_free(t1);
        mutls_session_free(t2);
        world_free(w);
    }
    unlink(path);
    unlink(path2);
    unlink(bad);
}

/* ---- ticket lifetime ---------------------------------------------------------- */

static void test_lifetime(void)
{
    for (rmode m = M13; m <= M12ID; m++) {
        world *w = world_new();
        pair_spec spec = mode_spec(m);
        sopts so = mode_sopts(m);
        if (m == M12ID) {
            so.cache = 16;
            so.cache_timeout = 100;
        } else {
            so.lifetime = 100;
        }
        mutls_config *c = mk_client(w, &spec, NULL);
        mutls_config *s = mk_server(w, &spec, &so);

        say("%s: lifetime 100 s: resumed at 99 s, full handshake at 101 s", mname(m));
        mutls_session *a = FULL(w, c, s, NULL);
        /* a TLS 1.2 client keeps the ticket's lifetime hint (RFC 5077
         * 3.3); a session ID only has the server's cache timeout */
        if (m != M12ID)
            CHECK(a != NULL && a->st.lifetime == 100);
        w->cnow = w->snow = T0 + 99;
        mutls_session *r = RESUME(w, c, s, a);
        mutls_session_free(r);
        w->cnow = w->snow = T0 + 101;
        mutls_session *f = FULL(w, c, s, a);
        if (m == M13) {
            /* the client knows the lifetime: it does not offer the ticket */
            CHECK(!thas(&w->ct, "ClientHello", "psk=resuming"));
            CHECK(!thas(&w->st, "PSK", ""));
        } else if (m == M12T) {
            /* the client knows the lifetime from the hint: no offer */
            CHECK(!thas(&w->ct, "ClientHello", "resuming a TLS 1.2 session"));
            CHECK(!thas(&w->st, "Session", ""));
        }
        mutls_session_free(f);

        if (m == M13) {
            say("%s: a client whose clock lags offers the expired ticket: the server "
                "refuses it (full handshake)", mname(m));
            w->cnow = T0 + 50;
            w->snow = T0 + 101;
            f = FULL(w, c, s, a);
            CHECK_TRACE(&w->ct, "ClientHello", "psk=resuming");
            CHECK_TRACE(&w->st, "PSK", "cannot be opened");
            mutls_session_free(f);
            say("%s: a client whose clock went back does not offer a ticket from its "
                "future", mname(m));
            w->cnow = T0 - 10;
            w->snow = T0 + 10;
            f = FULL(w, c, s, a);
            CHECK(!thas(&w->ct, "ClientHello", "psk=resuming"));
            mutls_session_free(f);
        }
        mutls_session_free(a);
        world_free(w);
    }
}

/* ---- tampered tickets ---------------------------------------------------------- */

/* SHA-256 for the export's check. */
static void sha256(const uint8_t *p, size_t n, uint8_t out[32])
{
    unsigned int len = 32;
    CHECK(EVP_Digest(p, n, out, &len, EVP_sha256(), NULL) == 1);
}

/* Export s, let edit change it, fix the check, import. */
static mutls_session *reexport(const mutls_session *s, void (*edit)(uint8_t *, size_t, void *),
                               void *ctx)
{
    uint8_t *buf = NULL;
    size_t len = 0;
    mutls_session *out;
    if (mutls_session_export(s, &buf, &len) != 0 || len < 32) {
        CHECK(0 && "export");
        free(buf);
        return NULL;
    }
    edit(buf, len - 32, ctx);
    sha256(buf, len - 32, buf + len - 32);
    out = mutls_session_import(buf, len);
    free(buf);
    return out;
}

/* The export's layout: magic(8) version(1) state_len(4) state ticket<2> id<1>. */
typedef struct {
    int what; /* 0: ticket byte, 1: session ID byte */
    size_t at;
} flip_spec;

static void flip_in_export(uint8_t *p, size_t n, void *ctx)
{
    flip_spec *f = ctx;
    size_t st_len = (size_t)p[9] << 24 | (size_t)p[10] << 16 | (size_t)p[11] << 8 | p[12];
    size_t t = 13 + st_len;
    size_t tl = (size_t)p[t] << 8 | p[t + 1];
    if (f->what == 0) {
        CHECK(f->at < tl);
        if (f->at < tl)
            p[t + 2 + f->at] ^= 0x04;
    } else {
        size_t id = t + 2 + tl;
        CHECK(id < n && f->at < p[id]);
        if (id < n && f->at < p[id])
            p[id + 1 + f->at] ^= 0x04;
    }
}

static void test_tampered(void)
{
    for (rmode m = M13; m <= M12ID; m++) {
        world *w = world_new();
        pair_spec spec = mode_spec(m);
        sopts so = mode_sopts(m);
        mutls_config *c = mk_client(w, &spec, NULL);
        mutls_config *s = mk_server(w, &spec, &so);
        mutls_session *a = FULL(w, c, s, NULL);
        if (a == NULL) {
            world_free(w);
            continue;
        }

        say("%s: a byte of the %s flipped in the exported session: full handshake, no "
            "failure", mname(m), m == M12ID ? "session ID" : "ticket");
        size_t n = m == M12ID ? a->session_id_len : a->ticket_len;
        size_t where[] = {0, 15, 16, 27, 28, n / 2, n - 17, n - 1};
        for (size_t i = 0; i < N(where); i++) {
            flip_spec fs = {m == M12ID, where[i] < n ? where[i] : n - 1};
            mutls_session *bad = reexport(a, flip_in_export, &fs);
            CHECK(bad != NULL);
            if (bad == NULL)
                continue;
            mutls_session *f = FULL(w, c, s, bad);
            mutls_session_free(f);
            mutls_session_free(bad);
        }
        /* the untouched session still resumes */
        mutls_session *r = RESUME(w, c, s, a);
        mutls_session_free(r);

        if (m != M12ID) {
            say("%s: a byte of the ticket flipped in flight: full handshake, no failure",
                mname(m));
            size_t at[] = {0, 20, a->ticket_len - 1};
            for (size_t i = 0; i < N(at); i++) {
                ch_edit e = {m == M13 ? ED_FLIP_IDENTITY : ED_FLIP_TICKET12, at[i], 1, 0, 0};
                pair *p = connect_with(w, c, s, a);
                pair_set_tamper(p, edit_hook, &e);
                run(p);
                CHECK(e.done);
                EXPECT_FULL(w, p);
                if (m == M13)
                    CHECK_TRACE(&w->st, "PSK", "cannot be opened");
                else
                    CHECK_TRACE(&w->st, "Session", "cannot be opened");
                pair_free(p);
            }
        }
        mutls_session_free(a);
        world_free(w);
    }
}

/* ---- the PSK binder ------------------------------------------------------------- */

static void test_bad_binder(void)
{
    world *w = world_new();
    pair_spec spec = mode_spec(M13);
    sopts so = {.early = 16384};
    mutls_config *c = mk_client(w, &spec, NULL);
    mutls_config *s = mk_server(w, &spec, &so);
    mutls_session *a = FULL(w, c, s, NULL);
    mutls_session *a2 = FULL(w, c, s, NULL);

    for (int early = 0; early <= 1; early++) {
        size_t at[] = {0, 31};
        for (size_t i = 0; i < N(at); i++) {
            say("TLS 1.3: byte %zu from the end of the binder flipped in flight%s -> "
                "decrypt_error (51)", at[i], early ? " (with early data)" : "");
            ch_edit e = {ED_FLIP_BINDER, at[i], 0, 0, 0};
            pair *p = connect_with(w, c, s, early ? a2 : a);
            if (early)
                CHECK(mutls_conn_write_early_data(p->c, (const uint8_t *)"GET /", 5) == 5);
            pair_set_tamper(p, edit_hook, &e);
            run(p);
            CHECK(e.done);
            EXPECT_FATAL(p, DET_SERVER, MUTLS_ERR_PROTOCOL, ALERT_DECRYPT_ERROR, "binder");
            CHECK(mutls_conn_is_resumed(p->s) == 0);
            pair_free(p);
        }
    }
    say("TLS 1.3: the session is still good after those attempts");
    mutls_session *r = RESUME(w, c, s, a);
    mutls_session_free(r);

    say("TLS 1.3: a bad binder under a ticket the server cannot open is never checked: "
        "full handshake");
    {
        mutls_config *other = mk_server(w, &spec, NULL);
        ch_edit e = {ED_FLIP_BINDER, 0, 1, 0, 0};
        pair *p = connect_with(w, c, other, a);
        pair_set_tamper(p, edit_hook, &e);
        run(p);
        CHECK(e.done);
        EXPECT_FULL(w, p);
        pair_free(p);
    }
    mutls_session_free(a);
    mutls_session_free(a2);
    world_free(w);
}

/* ---- psk_ke and psk_dhe_ke -------------------------------------------------------- */

static void test_psk_ke(void)
{
    world *w = world_new();
    pair_spec spec = mode_spec(M13);
    copts ke = {.psk_ke = 1};
    sopts ske = {.psk_ke = 1};
    mutls_config *c_ke = mk_client(w, &spec, &ke);
    mutls_config *c_dhe = mk_client(w, &spec, NULL);
    mutls_config *s_ke = mk_server(w, &spec, &ske);
    mutls_config *s_dhe = mk_server(w, &spec, NULL);
    mutls_session *a = FULL(w, c_ke, s_ke, NULL);
    mutls_session *b = FULL(w, c_dhe, s_dhe, NULL);
    pair *p;

    say("a first ClientHello lists psk_dhe_ke (and psk_ke when allowed): servers send "
        "tickets only to a client that lists a mode (RFC 8446 4.2.9; Go's does)");
    for (int i = 0; i < 2; i++) {
        ch_edit e = {ED_OBSERVE, 0, 0, 0, 0};
        p = connect_with(w, i ? c_ke : c_dhe, s_dhe, NULL);
        pair_set_tamper(p, edit_hook, &e);
        run(p);
        CHECK(e.done);
        CHECK(e.modes == (i ? 3u : 2u));
        EXPECT_FULL(w, p);
        pair_free(p);
    }

    say("a first ClientHello listing psk_ke only (crafted): a server with psk_ke off sends "
        "no ticket, one with psk_ke on does");
    for (int i = 0; i < 2; i++) {
        ch_edit e = {ED_PSK_KE_ONLY, 0, 1, 0, 0};
        p = connect_with(w, c_ke, i ? s_ke : s_dhe, NULL);
        pair_set_tamper(p, edit_hook, &e);
        run(p);
        CHECK(e.done);
        EXPECT_FULL(w, p);
        CHECK(pair_transfer_both(p, 1000, 1000, 5) == 0);
        mutls_session *n = mutls_conn_get_session(p->c);
        CHECK((n != NULL) == (i == 1));
        CHECK(thas(&w->st, "NewSessionTicket", "no PSK key exchange mode in common") == (i == 0));
        mutls_session_free(n);
        pair_free(p);
    }

    say("psk_ke allowed on both sides: a resumption still uses (EC)DHE (forward secrecy "
        "preferred)");
    p = connect_with(w, c_ke, s_ke, a);
    run(p);
    EXPECT_RESUMED(w, p);
    CHECK(mutls_conn_group(p->c) != 0 && mutls_conn_group(p->s) != 0);
    CHECK(mutls_conn_group(p->c) == mutls_conn_group(p->s));
    CHECK(!thas(&w->ct, "ServerHello", "psk_ke"));
    pair_free(p);

    say("psk_ke allowed by the server only: the client offers psk_dhe_ke, (EC)DHE");
    p = connect_with(w, c_dhe, s_ke, a);
    run(p);
    EXPECT_RESUMED(w, p);
    CHECK(mutls_conn_group(p->c) != 0);
    pair_free(p);

    say("psk_ke allowed by the client only: (EC)DHE");
    p = connect_with(w, c_ke, s_dhe, b);
    run(p);
    EXPECT_RESUMED(w, p);
    CHECK(mutls_conn_group(p->s) != 0);
    pair_free(p);

    say("a psk_ke-only offer (crafted, binder recomputed) to a server that allows psk_ke: "
        "resumed without (EC)DHE");
    {
        ch_edit e = {ED_PSK_KE_ONLY, 0, 1, 0, 0};
        p = connect_with(w, c_ke, s_ke, a);
        pair_set_tamper(p, edit_hook, &e);
        run(p);
        CHECK(e.done);
        EXPECT_RESUMED(w, p);
        CHECK(mutls_conn_group(p->c) == 0 && mutls_conn_group(p->s) == 0);
        CHECK_TRACE(&w->ct, "ServerHello", "(psk_ke)");
        CHECK(pair_transfer_both(p, 50000, 4000, 9) == 0);
        mutls_session *n = mutls_conn_get_session(p->c);
        CHECK(n != NULL);
        pair_free(p);
        if (n != NULL) { /* its tickets resume normally, with (EC)DHE */
            p = connect_with(w, c_ke, s_ke, n);
            run(p);
            EXPECT_RESUMED(w, p);
            CHECK(mutls_conn_group(p->c) != 0);
            pair_free(p);
        }
        mutls_session_free(n);
    }

    say("a psk_ke-only offer to a server with psk_ke off: no mode in common, full handshake "
        "on the client's key share");
    {
        ch_edit e = {ED_PSK_KE_ONLY, 0, 1, 0, 0};
        p = connect_with(w, c_ke, s_dhe, b);
        pair_set_tamper(p, edit_hook, &e);
        run(p);
        CHECK(e.done);
        EXPECT_FULL(w, p);
        CHECK_TRACE(&w->st, "PSK", "no key exchange mode in common");
        CHECK(mutls_conn_group(p->c) != 0);
        pair_free(p);
    }

    say("a psk_ke-only offer from a client with psk_ke off (crafted) answered without a "
        "key share: the client refuses it (missing_extension)");
    {
        ch_edit e = {ED_PSK_KE_ONLY, 0, 1, 0, 0};
        p = connect_with(w, c_dhe, s_ke, a);
        pair_set_tamper(p, edit_hook, &e);
        run(p);
        CHECK(e.done);
        EXPECT_FATAL(p, DET_CLIENT, MUTLS_ERR_PROTOCOL, ALERT_MISSING_EXTENSION, "key_share");
        pair_free(p);
    }
    mutls_session_free(a);
    mutls_session_free(b);
    world_free(w);
}

/* ---- the client's identity across resumption ----------------------------------- */

static void test_mtls(void)
{
    char keys[64];
    temp_path(keys, sizeof(keys));
    fkey k = make_fkey(7, T0 - DAY, T2101 + DAY);
    write_keyfile(keys, &k, 1);

    for (rmode m = M13; m <= M12T; m++) {
        world *w = world_new();
        pair_spec spec = mode_spec(m);
        spec.server_client_cas[0] = "client-ca.pem";
        spec.client_chains[0] = "client-alice";
        sopts so = {.keyfile = keys};
        mutls_config *c = mk_client(w, &spec, NULL);
        mutls_config *s = mk_server(w, &spec, &so);

        say("%s: mTLS: the resumed connection's client identity is alice, verified", mname(m));
        pair *p = connect_with(w, c, s, NULL);
        CHECK(run(p) == 0);
        EXPECT_FULL(w, p);
        CHECK(tcount(&w->st, 0, HS_CERTIFICATE) == 1);
        const mutls_peer *full_peer = mutls_conn_peer(p->s);
        char fp[65] = "";
        CHECK(full_peer != NULL);
        if (full_peer != NULL)
            snprintf(fp, sizeof(fp), "%s", mutls_peer_fingerprint_sha256(full_peer));
        mutls_session *a = mutls_conn_get_session(p->c);
        CHECK(a != NULL);
        pair_free(p);

        p = connect_with(w, c, s, a);
        run(p);
        EXPECT_RESUMED(w, p);
        const mutls_peer *peer = mutls_conn_peer(p->s);
        CHECK(peer != NULL);
        if (peer != NULL) {
            CHECK_STR(mutls_peer_subject(peer), ALICE);
            CHECK(mutls_peer_verified(peer) == 1);
            CHECK_STR(mutls_peer_verify_error(peer), "");
            CHECK_STR(mutls_peer_spiffe_id(peer), "spiffe://example.org/alice");
            CHECK_STR(mutls_peer_fingerprint_sha256(peer), fp);
            CHECK_STR(mutls_peer_issuer(peer), "CN=mutls test client CA");
        }
        CHECK_STR(mutls_conn_peer_subject(p->s), ALICE);
        CHECK(mutls_conn_peer_verified(p->s) == 1);
        CHECK_STR(mutls_conn_peer_subject(p->c), "CN=localhost");
        mutls_session *a2 = mutls_conn_get_session(p->c);
        pair_free(p);

        say("%s: mTLS: the identity survives a second resumption", mname(m));
        if (a2 != NULL) {
            p = connect_with(w, c, s, a2);
            run(p);
            EXPECT_RESUMED(w, p);
            CHECK_STR(mutls_conn_peer_subject(p->s), ALICE);
            CHECK(mutls_conn_peer_verified(p->s) == 1);
            pair_free(p);
        }
        mutls_session_free(a2);

        say("%s: mTLS: a server that requires a client certificate does not resume a session "
            "that had none", mname(m));
        {
            pair_spec anon = mode_spec(m);
            mutls_config *cn = mk_client(w, &anon, NULL);
            sopts opt = {.keyfile = keys};
            pair_spec sopt = mode_spec(m); /* same key file, no client CAs */
            mutls_config *s_open = mk_server(w, &sopt, &opt);
            mutls_session *anon_sess = FULL(w, cn, s_open, NULL);
            mutls_session *r = RESUME(w, cn, s_open, anon_sess);
            mutls_session_free(r);
            p = connect_with(w, cn, s, anon_sess);
            run(p);
            if (m == M13)
                CHECK_TRACE(&w->st, "PSK", "no client certificate");
            else
                CHECK_TRACE(&w->st, "Session", "no client certificate");
            CHECK(mutls_conn_is_resumed(p->s) == 0);
            CHECK(mutls_conn_error_code(p->s) != MUTLS_OK); /* and the full one fails */
            pair_free(p);
            mutls_session_free(anon_sess);
        }
        mutls_session_free(a);
        world_free(w);
    }

    for (rmode m = M13; m <= M12T; m++) {
        world *w = world_new();
        pair_spec spec = mode_spec(m);
        spec.server_client_cas[0] = "client-ca.pem";
        spec.client_chains[0] = "client-revoked";
        pair_spec crl_spec = spec;
        crl_spec.server_crls[0] = "client-ca.crl.pem";
        sopts so = {.keyfile = keys};
        mutls_config *c = mk_client(w, &spec, NULL);
        mutls_config *s = mk_server(w, &spec, &so);
        mutls_config *s_crl = mk_server(w, &crl_spec, &so);

        say("%s: mTLS: a session of a client revoked since (the CRL is on the resuming "
            "server): full handshake, which fails with certificate_revoked (44)", mname(m));
        mutls_session *a = FULL(w, c, s, NULL);
        CHECK(a != NULL);
        pair *p = connect_with(w, c, s_crl, a);
        run(p);
        if (m == M13)
            CHECK_TRACE(&w->st, "PSK", "no longer verifies");
        else
            CHECK_TRACE(&w->st, "Session", "no longer verifies");
        CHECK(tcount(&w->st, 1, HS_CERTIFICATE_REQUEST) == 1); /* a full handshake */
        EXPECT_FATAL(p, DET_SERVER, MUTLS_ERR_VERIFY, ALERT_CERTIFICATE_REVOKED, "revoked",
                     "CN=revoked client");
        CHECK(mutls_conn_is_resumed(p->s) == 0);
        pair_free(p);
        /* the server without the CRL still resumes it */
        mutls_session *r = RESUME(w, c, s, a);
        mutls_session_free(r);
        mutls_session_free(a);
        world_free(w);
    }

    for (rmode m = M13; m <= M12T; m++) {
        world *w = world_new();
        pair_spec spec = mode_spec(m);
        spec.server_client_cas[0] = "client-ca.pem";
        spec.client_chains[0] = "client-alice";
        sopts so = {.keyfile = keys};
        mutls_config *c = mk_client(w, &spec, NULL);
        mutls_config *s = mk_server(w, &spec, &so);

        say("%s: mTLS: the client certificate expired between the handshakes (server clock "
            "crosses 2100-01-01): full handshake, which fails as expired (45)", mname(m));
        w->snow = T2100 - 60; /* alice is valid until 2100-01-01T00:00:00Z */
        mutls_session *a = FULL(w, c, s, NULL);
        w->snow = T2100 + 60; /* the ticket is 120 s old */
        pair *p = connect_with(w, c, s, a);
        run(p);
        if (m == M13)
            CHECK_TRACE(&w->st, "PSK", "no longer verifies");
        else
            CHECK_TRACE(&w->st, "Session", "no longer verifies");
        EXPECT_FATAL(p, DET_SERVER, MUTLS_ERR_VERIFY, ALERT_CERTIFICATE_EXPIRED, "expired",
                     ALICE);
        pair_free(p);

        say("%s: mTLS: the resuming server's clock in 2101: the ticket is long expired, full "
            "handshake, which fails as expired (45)", mname(m));
        w->snow = T2101;
        p = connect_with(w, c, s, a);
        run(p);
        if (m == M13)
            CHECK_TRACE(&w->st, "PSK", "cannot be opened");
        else
            CHECK_TRACE(&w->st, "Session", "cannot be opened");
        EXPECT_FATAL(p, DET_SERVER, MUTLS_ERR_VERIFY, ALERT_CERTIFICATE_EXPIRED, "expired");
        pair_free(p);
        mutls_session_free(a);
        world_free(w);
    }
    unlink(keys);
}

/* ---- early data (0-RTT) ------------------------------------------------------------ */

static const uint8_t EARLY[] = "GET /index.html HTTP/1.1\r\nHost: localhost\r\n\r\n";
#define EARLY_LEN (sizeof(EARLY) - 1)

/* The client's first flight with early data, delivered; the server has
 * seen the ClientHello and the early data. */
static pair *start_early(world *w, mutls_config *c, mutls_config *s, mutls_session *sess,
                         const uint8_t *data, size_t len)
{
    pair *p = connect_with(w, c, s, sess);
    CHECK(mutls_conn_write_early_data(p->c, data, len) == (int)len);
    p->crc = mutls_conn_handshake(p->c);
    CHECK(p->crc == MUTLS_WANT_READ);
    pair_shuttle(p, PAIR_C2S);
    return p;
}

/* Everything the server can read now (early or not), and whether the
 * last read was early. */
static long read_all(mutls_conn *c, uint8_t *buf, size_t cap, int *early, int *last_rc)
{
    size_t got = 0;
    int rc;
    *early = -1;
    while (got < cap && (rc = mutls_conn_read(c, buf + got, cap - got)) > 0) {
        got += (size_t)rc;
        *early = mutls_conn_last_read_was_early(c);
    }
    *last_rc = got < cap ? rc : 0;
    return (long)got;
}

static void test_early_data(void)
{
    char keys[64];
    temp_path(keys, sizeof(keys));
    fkey k = make_fkey(5, T0 - DAY, T0 + 30 * DAY);
    write_keyfile(keys, &k, 1);
    static uint8_t buf[70000], big[40000];
    int early, rc;
    long n;
    pair_pattern(11, 0, big, sizeof(big));

    world *w = world_new();
    pair_spec spec = mode_spec(M13);
    spec.server_alpn = "h2,http/1.1";
    spec.client_alpn = "h2";
    pair_spec spec_h1 = spec;
    spec_h1.client_alpn = "http/1.1";
    sopts so = {.early = 16384, .keyfile = keys};
    sopts so_off = {.keyfile = keys};
    sopts so_100 = {.early = 100, .keyfile = keys};
    sopts so_big = {.early = 65536, .keyfile = keys};
    mutls_config *c = mk_client(w, &spec, NULL);
    mutls_config *c_h1 = mk_client(w, &spec_h1, NULL);
    mutls_config *s = mk_server(w, &spec, &so);
    mutls_config *s_off = mk_server(w, &spec, &so_off);
    mutls_config *s_100 = mk_server(w, &spec, &so_100);
    mutls_config *s_big = mk_server(w, &spec, &so_big);
    mutls_session *sess[8];
    for (size_t i = 0; i < N(sess); i++) {
        sess[i] = FULL(w, c, s, NULL); /* a ticket for each attempt */
        CHECK(sess[i] != NULL && mutls_session_max_early_data(sess[i]) == 16384);
    }
    mutls_session *big_sess = FULL(w, c, s_big, NULL);
    CHECK(mutls_session_max_early_data(big_sess) == 65536);
    mutls_session *no_early = FULL(w, c, s_off, NULL);
    CHECK(mutls_session_max_early_data(no_early) == 0);
    pair *p;

    say("0-RTT: the client cannot queue more than the session allows, nor without one");
    p = connect_with(w, c, s, no_early);
    CHECK(mutls_conn_write_early_data(p->c, EARLY, 1) == MUTLS_ERR_INVALID_ARGUMENT);
    pair_free(p);
    p = connect_with(w, c, s, sess[0]);
    CHECK(mutls_conn_write_early_data(p->c, big, 16385) == MUTLS_ERR_INVALID_ARGUMENT);
    CHECK(mutls_conn_write_early_data(p->c, big, 16384) == 16384);
    CHECK(mutls_conn_write_early_data(p->c, big, 1) == MUTLS_ERR_INVALID_ARGUMENT);
    CHECK(mutls_conn_write_early_data(p->s, big, 1) == MUTLS_ERR_INVALID_ARGUMENT);
    pair_free(p);
    p = connect_with(w, c, s, NULL);
    CHECK(mutls_conn_write_early_data(p->c, EARLY, 1) == MUTLS_ERR_INVALID_ARGUMENT);
    pair_free(p);

    say("0-RTT accepted: the server reads the early bytes before the handshake completes, "
        "marked early; later data is not");
    p = start_early(w, c, s, sess[0], EARLY, EARLY_LEN);
    CHECK(mutls_conn_handshake_done(p->s) == 0);
    CHECK(mutls_conn_early_data_status(p->s) == MUTLS_EARLY_DATA_ACCEPTED);
    n = read_all(p->s, buf, sizeof(buf), &early, &rc);
    CHECK(n == (long)EARLY_LEN && memcmp(buf, EARLY, EARLY_LEN) == 0);
    CHECK(early == 1);
    CHECK(rc == MUTLS_WANT_READ);
    CHECK(mutls_conn_handshake_done(p->s) == 0);
    CHECK(run(p) == 0);
    CHECK(mutls_conn_early_data_status(p->c) == MUTLS_EARLY_DATA_ACCEPTED);
    CHECK_TRACE(&w->st, "EndOfEarlyData", "accepted");
    CHECK_TRACE(&w->ct, "EncryptedExtensions", "early_data=accepted");
    CHECK(pair_send(p, PAIR_C2S, "1-RTT", 5) == 5);
    n = pair_recv(p, PAIR_C2S, buf, sizeof(buf));
    CHECK(n == 5 && memcmp(buf, "1-RTT", 5) == 0);
    CHECK(mutls_conn_last_read_was_early(p->s) == 0);
    EXPECT_RESUMED(w, p);
    CHECK(mutls_conn_last_read_was_early(p->s) == 0);
    pair_free(p);

    say("0-RTT accepted: 40000 bytes in several records under a ticket allowing 65536");
    p = start_early(w, c, s_big, big_sess, big, sizeof(big));
    n = read_all(p->s, buf, sizeof(buf), &early, &rc);
    CHECK(n == (long)sizeof(big) && memcmp(buf, big, sizeof(big)) == 0 && early == 1);
    CHECK(run(p) == 0);
    CHECK(mutls_conn_early_data_status(p->c) == MUTLS_EARLY_DATA_ACCEPTED);
    EXPECT_RESUMED(w, p);
    pair_free(p);

    say("0-RTT accepted, read in small pieces: each piece is early, the 1-RTT data after "
        "them is not, and a read never mixes the two");
    p = start_early(w, c, s, sess[1], EARLY, EARLY_LEN);
    CHECK(run(p) == 0);
    CHECK(pair_send(p, PAIR_C2S, "later", 5) == 5);
    pair_flush(p);
    {
        size_t got = 0;
        uint8_t piece[7];
        for (int i = 0; i < 20 && got < EARLY_LEN; i++) {
            rc = mutls_conn_read(p->s, piece, sizeof(piece));
            CHECK(rc > 0 && mutls_conn_last_read_was_early(p->s) == 1);
            if (rc <= 0)
                break;
            CHECK(memcmp(piece, EARLY + got, (size_t)rc) == 0);
            got += (size_t)rc;
        }
        CHECK(got == EARLY_LEN);
        rc = mutls_conn_read(p->s, buf, sizeof(buf));
        CHECK(rc == 5 && memcmp(buf, "later", 5) == 0);
        CHECK(mutls_conn_last_read_was_early(p->s) == 0);
    }
    pair_free(p);

    say("0-RTT rejected: the resuming server has 0-RTT off (same ticket keys); the server "
        "never returns the early bytes, the handshake completes, data flows");
    p = start_early(w, c, s_off, sess[2], EARLY, EARLY_LEN);
    CHECK(mutls_conn_early_data_status(p->s) == MUTLS_EARLY_DATA_REJECTED);
    n = read_all(p->s, buf, sizeof(buf), &early, &rc);
    CHECK(n == 0 && rc == MUTLS_WANT_READ);
    CHECK(run(p) == 0);
    CHECK(mutls_conn_early_data_status(p->c) == MUTLS_EARLY_DATA_REJECTED);
    CHECK_TRACE(&w->st, "EarlyData", "not enabled");
    EXPECT_RESUMED(w, p);
    CHECK(mutls_conn_last_read_was_early(p->s) == 0);
    CHECK(pair_transfer(p, PAIR_C2S, 30000, 5000, 4) == 0);
    pair_free(p);

    say("0-RTT rejected: 40000 early bytes under a ticket allowing 65536, on a server with "
        "0-RTT off: all skipped, the handshake completes");
    p = start_early(w, c, s_off, big_sess, big, sizeof(big));
    CHECK(run(p) == 0);
    CHECK(mutls_conn_early_data_status(p->c) == MUTLS_EARLY_DATA_REJECTED);
    EXPECT_RESUMED(w, p);
    pair_free(p);

    say("0-RTT rejected: exactly the 16384 bytes the ticket allows, on a server with 0-RTT "
        "off: skipped (the records' overhead does not count), the handshake completes");
    p = start_early(w, c, s_off, sess[6], big, 16384);
    CHECK(run(p) == 0);
    CHECK(mutls_conn_early_data_status(p->c) == MUTLS_EARLY_DATA_REJECTED);
    EXPECT_RESUMED(w, p);
    pair_free(p);

    say("0-RTT rejected: another ALPN protocol than the ticket's");
    p = start_early(w, c_h1, s, sess[3], EARLY, EARLY_LEN);
    n = read_all(p->s, buf, sizeof(buf), &early, &rc);
    CHECK(n == 0);
    CHECK(run(p) == 0);
    CHECK(mutls_conn_early_data_status(p->c) == MUTLS_EARLY_DATA_REJECTED);
    CHECK(mutls_conn_early_data_status(p->s) == MUTLS_EARLY_DATA_REJECTED);
    CHECK_TRACE(&w->st, "EarlyData", "ALPN");
    CHECK_STR(mutls_conn_alpn(p->c), "http/1.1");
    EXPECT_RESUMED(w, p);
    pair_free(p);

    say("0-RTT over the server's limit: ticket from a server allowing 16384, resumed on one "
        "allowing 100 (same keys), 1000 bytes -> unexpected_message (10)");
    p = start_early(w, c, s_100, sess[4], big, 1000);
    run(p);
    EXPECT_FATAL(p, DET_SERVER, MUTLS_ERR_PROTOCOL, ALERT_UNEXPECTED_MESSAGE, "early data",
                 "100");
    pair_free(p);

    say("0-RTT replayed: the client's first flight fed to a second server connection of the "
        "same configuration: the early data is rejected there, never delivered");
    {
        p = connect_with(w, c, s, sess[5]);
        CHECK(mutls_conn_write_early_data(p->c, EARLY, EARLY_LEN) == (int)EARLY_LEN);
        mutls_conn_handshake(p->c);
        size_t flight_len = 0;
        const uint8_t *out = mutls_conn_peek_output(p->c, &flight_len);
        uint8_t *flight = malloc(flight_len);
        if (flight == NULL)
            abort();
        memcpy(flight, out, flight_len);
        pair_shuttle(p, PAIR_C2S);
        n = read_all(p->s, buf, sizeof(buf), &early, &rc);
        CHECK(n == (long)EARLY_LEN && early == 1); /* the original */
        CHECK(run(p) == 0);
        CHECK(mutls_conn_early_data_status(p->c) == MUTLS_EARLY_DATA_ACCEPTED);
        pair_free(p);

        int64_t when[] = {0, 5, 10, 11};
        for (size_t i = 0; i < N(when); i++) {
            w->snow = w->cnow + when[i];
            mutls_conn *s2 = mutls_conn_new(s);
            CHECK(s2 != NULL);
            if (s2 == NULL)
                break;
            w->st.n = 0;
            rc = mutls_conn_feed(s2, flight, flight_len);
            printf("    replay after %lld s: feed %s, early data %s\n", (long long)when[i],
                   mutls_strerror(rc),
                   mutls_conn_early_data_status(s2) == MUTLS_EARLY_DATA_ACCEPTED ? "ACCEPTED"
                                                                                 : "rejected");
            CHECK(rc == MUTLS_OK);
            CHECK(mutls_conn_early_data_status(s2) == MUTLS_EARLY_DATA_REJECTED);
            n = read_all(s2, buf, sizeof(buf), &early, &rc);
            CHECK(n == 0 && rc == MUTLS_WANT_READ);
            CHECK(mutls_conn_last_read_was_early(s2) == 0);
            CHECK(mutls_conn_handshake_done(s2) == 0);
            CHECK(mutls_conn_pending(s2) > 0); /* its flight, for nobody */
            CHECK(mutls_conn_error_code(s2) == MUTLS_OK);
            if (when[i] <= 10)
                CHECK_TRACE(&w->st, "EarlyData", "replay");
            mutls_conn_free(s2);
        }
        w->snow = w->cnow;
        free(flight);
    }

    say("0-RTT replayed with the most favourable clock skew: first accepted with the "
        "client's ticket age 11 s ahead of the server's, replayed 22 s later");
    {
        mutls_session *t = FULL(w, c, s, NULL);
        int64_t base_c = w->cnow, base_s = w->snow;
        w->cnow = base_c + 11; /* the client thinks the ticket 11 s old, the server 0 s */
        p = connect_with(w, c, s, t);
        CHECK(mutls_conn_write_early_data(p->c, EARLY, EARLY_LEN) == (int)EARLY_LEN);
        mutls_conn_handshake(p->c);
        size_t flight_len = 0;
        const uint8_t *out = mutls_conn_peek_output(p->c, &flight_len);
        uint8_t *flight = malloc(flight_len);
        if (flight == NULL)
            abort();
        memcpy(flight, out, flight_len);
        pair_shuttle(p, PAIR_C2S);
        CHECK(mutls_conn_early_data_status(p->s) == MUTLS_EARLY_DATA_ACCEPTED);
        pair_free(p);
        int64_t when[] = {12, 21, 22};
        for (size_t i = 0; i < N(when); i++) {
            w->snow = base_s + when[i];
            mutls_conn *s2 = mutls_conn_new(s);
            if (s2 == NULL)
                abort();
            CHECK(mutls_conn_feed(s2, flight, flight_len) == MUTLS_OK);
            printf("    replay after %lld s: early data %s\n", (long long)when[i],
                   mutls_conn_early_data_status(s2) == MUTLS_EARLY_DATA_ACCEPTED ? "ACCEPTED"
                                                                                 : "rejected");
            CHECK(mutls_conn_early_data_status(s2) == MUTLS_EARLY_DATA_REJECTED);
            n = read_all(s2, buf, sizeof(buf), &early, &rc);
            CHECK(n == 0);
            mutls_conn_free(s2);
        }
        free(flight);
        mutls_session_free(t);
        w->cnow = w->snow = base_s + 100;
    }

    say("0-RTT: a ticket is single-use for early data: a second 0-RTT attempt with it is "
        "rejected (the resumption itself succeeds)");
    {
        mutls_session *t = FULL(w, c, s, NULL);
        p = start_early(w, c, s, t, EARLY, EARLY_LEN);
        CHECK(run(p) == 0);
        CHECK(mutls_conn_early_data_status(p->c) == MUTLS_EARLY_DATA_ACCEPTED);
        pair_free(p);
        p = start_early(w, c, s, t, EARLY, EARLY_LEN);
        n = read_all(p->s, buf, sizeof(buf), &early, &rc);
        CHECK(n == 0);
        CHECK(run(p) == 0);
        CHECK(mutls_conn_early_data_status(p->c) == MUTLS_EARLY_DATA_REJECTED);
        CHECK_TRACE(&w->st, "EarlyData", "already used");
        EXPECT_RESUMED(w, p);
        pair_free(p);
        mutls_session_free(t);
    }

    say("0-RTT: a ticket whose age is off by more than the window is rejected");
    {
        mutls_session *t = FULL(w, c, s, NULL);
        w->cnow += 30; /* the client's clock ran 30 s ahead */
        p = start_early(w, c, s, t, EARLY, EARLY_LEN);
        CHECK(run(p) == 0);
        CHECK(mutls_conn_early_data_status(p->c) == MUTLS_EARLY_DATA_REJECTED);
        CHECK_TRACE(&w->st, "EarlyData", "freshness");
        EXPECT_RESUMED(w, p);
        pair_free(p);
        w->cnow = w->snow;
        mutls_session_free(t);
    }
    mutls_session_free(big_sess);
    mutls_session_free(no_early);
    for (size_t i = 0; i < N(sess); i++)
        mutls_session_free(sess[i]);
    world_free(w);

    say("0-RTT with a HelloRetryRequest (the server wants another group): early data "
        "rejected, skipped, the handshake (resumed) succeeds");
    {
        w = world_new();
        pair_spec hspec = mode_spec(M13);
        hspec.client_groups = "x25519,secp256r1";
        hspec.server_groups = "secp256r1";
        sopts hso = {.early = 16384};
        c = mk_client(w, &hspec, NULL);
        s = mk_server(w, &hspec, &hso);
        mutls_session *t = FULL(w, c, s, NULL);
        CHECK(mutls_session_max_early_data(t) == 16384);
        p = start_early(w, c, s, t, big, 16384);
        CHECK(mutls_conn_early_data_status(p->s) == MUTLS_EARLY_DATA_REJECTED);
        n = read_all(p->s, buf, sizeof(buf), &early, &rc);
        CHECK(n == 0 && rc == MUTLS_WANT_READ);
        CHECK(run(p) == 0);
        CHECK(mutls_conn_did_hrr(p->c) && mutls_conn_did_hrr(p->s));
        CHECK(mutls_conn_early_data_status(p->c) == MUTLS_EARLY_DATA_REJECTED);
        CHECK_TRACE(&w->st, "EarlyData", "HelloRetryRequest");
        EXPECT_RESUMED(w, p);
        CHECK(mutls_conn_group(p->s) == 0x0017);
        n = read_all(p->s, buf, sizeof(buf), &early, &rc);
        CHECK(n == 0);
        CHECK(pair_transfer(p, PAIR_C2S, 20000, 3000, 5) == 0);
        pair_free(p);
        mutls_session_free(t);
        world_free(w);
    }
    unlink(keys);
}

/* ---- TLS 1.2 False Start ------------------------------------------------------------ */

static void false_start_case(const char *suite, const char *chain, int rsa_kex, int on,
                             int expect_ready)
{
    world *w = world_new();
    pair_spec spec = mode_spec(M12T);
    spec.client_suites = suite;
    if (chain != NULL)
        spec.server_chains[0] = chain;
    spec.server_rsa_kex = rsa_kex;
    copts co = {.false_start = on};
    mutls_config *c = mk_client(w, &spec, &co);
    mutls_config *s = mk_server(w, &spec, NULL);
    static const char msg[] = "sent before the server's Finished";
    uint8_t buf[256];

    say("False Start %s, %s: %s", on ? "on" : "off", suite,
        expect_ready ? "data goes with the client's Finished" : "not offered");
    pair *p = connect_with(w, c, s, NULL);
    CHECK(mutls_conn_handshake(p->c) == MUTLS_WANT_READ);
    CHECK(mutls_conn_false_start_ready(p->c) == 0);
    CHECK(mutls_conn_write(p->c, (const uint8_t *)msg, 3) == MUTLS_WANT_READ);
    pair_shuttle(p, PAIR_C2S); /* ClientHello */
    pair_shuttle(p, PAIR_S2C); /* ServerHello .. ServerHelloDone */
    /* the client's flight (ClientKeyExchange, ChangeCipherSpec, Finished)
     * is written, the server's Finished not yet received */
    CHECK(mutls_conn_pending(p->c) > 0);
    CHECK(mutls_conn_handshake_done(p->c) == 0);
    CHECK(mutls_conn_false_start_ready(p->c) == expect_ready);
    if (expect_ready) {
        CHECK(mutls_conn_write(p->c, (const uint8_t *)msg, sizeof(msg)) == (int)sizeof(msg));
        CHECK_TRACE(&w->ct, "FalseStart", "before the server's Finished");
        pair_shuttle(p, PAIR_C2S); /* Finished + data */
        CHECK(mutls_conn_handshake_done(p->s) == 1);
        int rc = mutls_conn_read(p->s, buf, sizeof(buf));
        CHECK(rc == (int)sizeof(msg) && memcmp(buf, msg, sizeof(msg)) == 0);
        /* at this moment the client has not seen the server's Finished */
        CHECK(mutls_conn_handshake_done(p->c) == 0);
        CHECK(mutls_conn_false_start_ready(p->c) == 1);
        CHECK(tcount(&w->ct, 0, 20) == 0); /* no Finished received */
        pair_shuttle(p, PAIR_S2C);
        CHECK(mutls_conn_handshake_done(p->c) == 1);
        CHECK(mutls_conn_false_start_ready(p->c) == 0);
        CHECK(mutls_conn_handshake(p->c) == MUTLS_OK);
        CHECK(pair_echo(p, "after False Start") == 0);
        mutls_session *sess = mutls_conn_get_session(p->c);
        CHECK(sess != NULL);
        pair_free(p);
        if (sess != NULL) {
            say("False Start: the session resumes (abbreviated handshake, no False Start "
                "needed)");
            mutls_session *r = RESUME(w, c, s, sess);
            mutls_session_free(r);
        }
        mutls_session_free(sess);
    } else {
        CHECK(mutls_conn_write(p->c, (const uint8_t *)msg, sizeof(msg)) == MUTLS_WANT_READ);
        CHECK(!thas(&w->ct, "FalseStart", ""));
        CHECK(pair_handshake(p) == 0);
        CHECK(mutls_conn_false_start_ready(p->c) == 0);
        CHECK(pair_echo(p, "after the handshake") == 0);
        pair_free(p);
    }
    world_free(w);
}

static void test_false_start(void)
{
    false_start_case("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", NULL, 0, 1, 1);
    false_start_case("TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", NULL, 0, 1, 1);
    false_start_case("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "server-rsa2048", 0, 1, 1);
    false_start_case("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", NULL, 0, 0, 0);
    false_start_case("TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", NULL, 0, 1, 0);
    false_start_case("TLS_RSA_WITH_AES_128_GCM_SHA256", "server-rsa2048-kex", 1, 1, 0);
    false_start_case("TLS_RSA_WITH_AES_128_CBC_SHA", "server-rsa2048-kex", 1, 1, 0);

    say("False Start: a client that enables it still speaks TLS 1.3 normally");
    {
        world *w = world_new();
        pair_spec spec = mode_spec(M13);
        copts co = {.false_start = 1};
        mutls_config *c = mk_client(w, &spec, &co);
        mutls_config *s = mk_server(w, &spec, NULL);
        pair *p = connect_with(w, c, s, NULL);
        CHECK(run(p) == 0);
        CHECK(mutls_conn_version(p->c) == MUTLS_TLS1_3);
        CHECK(!thas(&w->ct, "FalseStart", ""));
        CHECK(pair_echo(p, "tls 1.3") == 0);
        pair_free(p);
        world_free(w);
    }
}

/* ---- session export / import ----------------------------------------------------------- */

typedef struct {
    size_t at;
    uint8_t x;
} mut;

/* Where the certificates of the stored chain lie in an export (after the
 * chain's own length); 0 when the layout is not as expected. */
static int export_chain_range(const uint8_t *p, size_t n, size_t *start, size_t *end)
{
    size_t o = 13; /* magic(8) version(1) state_len(4) */
    size_t st_end;
    if (n < o)
        return 0;
    st_end = o + ((size_t)p[9] << 24 | (size_t)p[10] << 16 | (size_t)p[11] << 8 | p[12]);
    o += 1 + 2 + 2;          /* format, version, suite */
    if (o >= n)
        return 0;
    o += 1 + p[o];           /* secret */
    o += 1 + 8 + 4 + 4 + 4;  /* ems, issued, lifetime, age_add, max_early_data */
    if (o >= n)
        return 0;
    o += 1 + p[o];           /* sni */
    if (o >= n)
        return 0;
    o += 1 + p[o];           /* alpn */
    if (o + 3 > n)
        return 0;
    *start = o + 3;
    *end = *start + ((size_t)p[o] << 16 | (size_t)p[o + 1] << 8 | p[o + 2]);
    return *end == st_end && *end <= n;
}

static void mutate(uint8_t *p, size_t n, void *ctx)
{
    mut *m = ctx;
    if (m->at < n)
        p[m->at] ^= m->x;
}

static void test_export(void)
{
    for (rmode m = M13; m <= M12ID; m++) {
        world *w = world_new();
        pair_spec spec = mode_spec(m);
        spec.server_client_cas[0] = "client-ca.pem";
        spec.client_chains[0] = "client-alice";
        sopts so = mode_sopts(m);
        so.early = m == M13 ? 4096 : 0;
        mutls_config *c = mk_client(w, &spec, NULL);
        mutls_config *s = mk_server(w, &spec, &so);
        mutls_session *a = FULL(w, c, s, NULL);
        uint8_t *buf = NULL, *buf2 = NULL;
        size_t len = 0, len2 = 0;
        if (a == NULL) {
            world_free(w);
            continue;
        }

        say("%s: export, import, resume with the imported session", mname(m));
        CHECK(mutls_session_export(a, &buf, &len) == MUTLS_OK);
        CHECK(buf != NULL && len > 32 + 9);
        mutls_session *b = mutls_session_import(buf, len);
        CHECK(b != NULL);
        if (b != NULL) {
            CHECK(mutls_session_export(b, &buf2, &len2) == MUTLS_OK);
            CHECK(len2 == len && buf2 != NULL && memcmp(buf, buf2, len) == 0);
            free(buf2);
            CHECK(mutls_session_max_early_data(b) == mutls_session_max_early_data(a));
            pair *p = connect_with(w, c, s, b);
            if (m == M13)
                CHECK(mutls_conn_write_early_data(p->c, EARLY, EARLY_LEN) == (int)EARLY_LEN);
            run(p);
            if (m == M13) {
                uint8_t eb[256];
                int early, rc;
                CHECK(read_all(p->s, eb, sizeof(eb), &early, &rc) == (long)EARLY_LEN);
                CHECK(early == 1 && memcmp(eb, EARLY, EARLY_LEN) == 0);
            }
            EXPECT_RESUMED(w, p);
            CHECK_STR(mutls_conn_peer_subject(p->s), ALICE);
            CHECK_STR(mutls_conn_peer_subject(p->c), "CN=localhost");
            CHECK(mutls_conn_peer_verified(p->c) == 1);
            if (m == M13)
                CHECK(mutls_conn_early_data_status(p->c) == MUTLS_EARLY_DATA_ACCEPTED);
            pair_free(p);
            mutls_session_free(b);
        }
        CHECK(mutls_session_export(NULL, &buf2, &len2) == MUTLS_ERR_INVALID_ARGUMENT);
        CHECK(mutls_session_export(a, NULL, &len2) == MUTLS_ERR_INVALID_ARGUMENT);
        CHECK(mutls_session_import(NULL, 0) == NULL);
        CHECK(mutls_session_import(buf, 0) == NULL);

        say("%s: every byte of the export flipped (bit 0 and bit 7), every truncation, an "
            "extra byte: import refuses (NULL)", mname(m));
        {
            unsigned long accepted = 0;
            for (size_t i = 0; buf != NULL && i < len; i++)
                for (int bit = 0; bit < 2; bit++) {
                    buf[i] ^= bit ? 0x80 : 0x01;
                    mutls_session *x = mutls_session_import(buf, len);
                    accepted += x != NULL;
                    mutls_session_free(x);
                    buf[i] ^= bit ? 0x80 : 0x01;
                }
            CHECK(accepted == 0);
            accepted = 0;
            for (size_t cut = 0; buf != NULL && cut < len; cut++) {
                mutls_session *x = mutls_session_import(buf, cut);
                accepted += x != NULL;
                mutls_session_free(x);
            }
            CHECK(accepted == 0);
            uint8_t *longer = malloc(len + 1);
            if (longer != NULL && buf != NULL) {
                memcpy(longer, buf, len);
                longer[len] = 0;
                CHECK(mutls_session_import(longer, len + 1) == NULL);
                /* the check moved to the end of the longer input */
                sha256(longer, len + 1 - 32, longer + len + 1 - 32);
                CHECK(mutls_session_import(longer, len + 1) == NULL);
            }
            free(longer);
            mutls_session *x = buf != NULL ? mutls_session_import(buf, len) : NULL;
            CHECK(x != NULL); /* the original is intact */
            mutls_session_free(x);
        }

        say("%s: every byte flipped with a matching check (a forged export): never a crash; "
            "a session that imports never makes a handshake fail", mname(m));
        {
            unsigned long imported = 0, handshakes = 0, failed = 0, chain_refused = 0;
            size_t cs = 0, ce = 0;
            CHECK(buf != NULL && export_chain_range(buf, len, &cs, &ce) && ce > cs);
            for (size_t i = 0; i + 32 < len; i++) {
                mut mu = {i, 0xff};
                mutls_session *x = reexport(a, mutate, &mu);
                if (x == NULL)
                    continue;
                imported++;
                /* a resumption attempt with it: resumed, or full, never a failure
                 * (only a changed secret could make the binder wrong: decrypt_error
                 * is then the right answer, a peer cannot tell) */
                pair *p = connect_with(w, c, s, x);
                run(p);
                handshakes++;
                if (p->crc != MUTLS_OK || p->src != MUTLS_OK) {
                    int binder = mutls_conn_alert_sent(p->s) == ALERT_DECRYPT_ERROR ||
                                 mutls_conn_alert_received(p->c) == ALERT_DECRYPT_ERROR ||
                                 mutls_conn_alert_sent(p->c) == ALERT_DECRYPT_ERROR ||
                                 mutls_conn_alert_sent(p->c) == 20 /* bad_record_mac */ ||
                                 mutls_conn_alert_sent(p->s) == 20;
                    /* a chain whose certificates no longer parse cannot be
                     * restored: the client gives up, saying so */
                    int chain = i >= cs && i < ce &&
                                contains(mutls_conn_error(p->c), "could not be restored");
                    chain_refused += chain;
                    /* TLS 1.2: the server resumes with the suite it sealed;
                     * the client refuses one that is not its session's */
                    int suite = (i == 16 || i == 17) &&
                                contains(mutls_conn_error(p->c), "another cipher suite");
                    if (!binder && !chain && !suite) {
                        failed++;
                        printf("    byte %zu flipped: %s / %s\n", i, mutls_conn_error(p->c),
                               mutls_conn_error(p->s));
                    }
                }
                pair_free(p);
                mutls_session_free(x);
            }
            printf("    %lu of %zu forged exports imported, %lu handshakes tried, %lu refused "
                   "for a chain that does not parse\n",
                   imported, len - 32, handshakes, chain_refused);
            CHECK(failed == 0);
            /* truncated inside, with a matching check */
            for (size_t cut = 9; buf != NULL && cut + 32 < len; cut++) {
                uint8_t *t = malloc(cut + 32);
                if (t == NULL)
                    abort();
                memcpy(t, buf, cut);
                sha256(t, cut, t + cut);
                mutls_session *x = mutls_session_import(t, cut + 32);
                CHECK(x == NULL);
                mutls_session_free(x);
                free(t);
            }
        }
        free(buf);
        mutls_session_free(a);
        world_free(w);
    }
}

/* Each group, and how many checks it made. */
static void group(const char *name, void (*fn)(void))
{
    unsigned long before = test_checks_, failed = test_failed_;
    fn();
    printf("== %s: %lu checks, %lu failed\n", name, test_checks_ - before, test_failed_ - failed);
}

/* A session from a connection that did not verify the server carries no
 * server chain; a client that does verify must not resume it, which would
 * skip verification (full handshake, server verified). */
static void test_unverified_session(void)
{
    for (rmode m = M13; m <= M12ID; m++) {
        world *w = world_new();
        pair_spec spec = mode_spec(m);
        sopts so = mode_sopts(m);
        mutls_config *s = mk_server(w, &spec, &so);
        pair_spec lax = spec;
        lax.client_verify_none = 1;
        mutls_config *none = mk_client(w, &lax, NULL);
        mutls_config *strict = mk_client(w, &spec, NULL);

        say("%s: a session from an unverified connection is not resumed by a verifying "
            "client", mname(m));
        mutls_session *a = FULL(w, none, s, NULL);
        CHECK(a != NULL && a->st.peer_chain_len == 0);
        mutls_session *b = RESUME(w, none, s, a); /* fine for the lax client */
        pair *p = connect_with(w, strict, s, a);
        run(p);
        EXPECT_FULL(w, p);
        CHECK(mutls_conn_peer_verified(p->c) == 1);
        pair_free(p);
        mutls_session_free(a);
        mutls_session_free(b);
        world_free(w);
    }
}

int main(void)
{
    group("resumption by ticket and session ID", test_resume_basic);
    group("automatic ticket key rotation", test_rotation);
    group("ticket key files", test_key_files);
    group("ticket lifetime", test_lifetime);
    group("tampered tickets", test_tampered);
    group("PSK binder", test_bad_binder);
    group("psk_ke", test_psk_ke);
    group("client identity (mTLS)", test_mtls);
    group("early data", test_early_data);
    group("False Start", test_false_start);
    group("session export", test_export);
    group("unverified sessions", test_unverified_session);
    TEST_MAIN_END();
}

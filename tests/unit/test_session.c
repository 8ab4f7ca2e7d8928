/*
 * Session state and what keeps it (src/session): the state encoding, sealed
 * tickets under rotating or file-provided keys, the TLS 1.2 session cache
 * and the 0-RTT anti-replay record.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "session/session.h"
#include "testlib.h"

#define T0 ((int64_t)1700000000)

static mt_crypto *cx;
static char tmpdir[] = "/tmp/mutls-test-session-XXXXXX";

/* ---- helpers ------------------------------------------------------------ */

/* A deterministic generator for the rng hook. */
typedef struct {
    uint64_t s;
    int fail;
} test_rng;

static int test_rng_fn(void *ctx, uint8_t *out, size_t len)
{
    test_rng *r = ctx;
    if (r->fail)
        return -1;
    for (size_t i = 0; i < len; i++) {
        r->s ^= r->s << 13;
        r->s ^= r->s >> 7;
        r->s ^= r->s << 17;
        out[i] = (uint8_t)(r->s >> 24);
    }
    return 0;
}

static int is_zero(const void *p, size_t n)
{
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++)
        if (b[i] != 0)
            return 0;
    return 1;
}

/* A chain of certificates with the given sizes. */
static void make_chain(mt_session_state *s, const size_t *sizes, size_t n)
{
    size_t total = 0, off = 0;
    for (size_t i = 0; i < n; i++)
        total += 3 + sizes[i];
    s->peer_chain = malloc(total);
    s->peer_chain_len = total;
    for (size_t i = 0; i < n; i++) {
        s->peer_chain[off++] = (uint8_t)(sizes[i] >> 16);
        s->peer_chain[off++] = (uint8_t)(sizes[i] >> 8);
        s->peer_chain[off++] = (uint8_t)sizes[i];
        for (size_t j = 0; j < sizes[i]; j++)
            s->peer_chain[off++] = (uint8_t)(i * 31 + j);
    }
}

static void make_state(mt_session_state *s, int big)
{
    memset(s, 0, sizeof(*s));
    s->version = MUTLS_TLS1_3;
    s->suite = 0x1302;
    s->secret_len = big ? MT_SESSION_MAX_SECRET : 32;
    for (int i = 0; i < s->secret_len; i++)
        s->secret[i] = (uint8_t)(0xa0 + i);
    s->ems = 1;
    s->issued = -123456789012345;
    s->lifetime = MT_MAX_TICKET_LIFETIME;
    s->age_add = 0xfedcba98;
    s->max_early_data = 0xffffffff;
    if (big) {
        memset(s->sni, 'a', 255);
        memset(s->alpn, 'z', 255);
        static const size_t sizes[] = {1000, 1, 4000};
        make_chain(s, sizes, 3);
    } else {
        strcpy(s->sni, "example.com");
        strcpy(s->alpn, "h2");
    }
}

static int same_state(const mt_session_state *a, const mt_session_state *b)
{
    return a->version == b->version && a->suite == b->suite && a->secret_len == b->secret_len &&
           memcmp(a->secret, b->secret, a->secret_len) == 0 && a->ems == b->ems &&
           a->issued == b->issued && a->lifetime == b->lifetime && a->age_add == b->age_add &&
           a->max_early_data == b->max_early_data && strcmp(a->sni, b->sni) == 0 &&
           strcmp(a->alpn, b->alpn) == 0 && a->peer_chain_len == b->peer_chain_len &&
           (a->peer_chain_len == 0 ||
            memcmp(a->peer_chain, b->peer_chain, a->peer_chain_len) == 0);
}

/* Encode, decode, compare, re-encode identically. */
static void round_trip(const mt_session_state *s)
{
    mt_buf b, b2;
    mt_session_state d;

    mt_buf_init(&b);
    mt_buf_init(&b2);
    CHECK(mt_session_state_encode(s, &b) == 0);
    CHECK(mt_session_state_decode(b.data, b.len, &d) == 0);
    CHECK(same_state(s, &d));
    CHECK(d.peer_chain_len == 0 || d.peer_chain != s->peer_chain);
    CHECK(mt_session_state_encode(&d, &b2) == 0);
    CHECK(b.len == b2.len && memcmp(b.data, b2.data, b.len) == 0);
    mt_session_state_clear(&d);
    mt_buf_free(&b);
    mt_buf_free(&b2);
}

/* Decode must fail and leave an empty state. */
static int decode_fails(const uint8_t *p, size_t n)
{
    mt_session_state d;
    memset(&d, 0x5a, sizeof(d));
    d.peer_chain = NULL;
    if (mt_session_state_decode(p, n, &d) != -1)
        return 0;
    return is_zero(&d, sizeof(d));
}

/* ---- session state ------------------------------------------------------ */

static void test_state(void)
{
    mt_session_state s, c;
    mt_buf b;

    /* Ordinary, maximal, and edge values. */
    make_state(&s, 0);
    round_trip(&s);
    s.issued = INT64_MIN;
    round_trip(&s);
    s.issued = INT64_MAX;
    round_trip(&s);
    s.issued = -1;
    round_trip(&s);
    s.version = MUTLS_TLS1_2;
    s.ems = 0;
    s.secret_len = 1;
    s.sni[0] = s.alpn[0] = '\0';
    round_trip(&s);
    mt_session_state_clear(&s);

    make_state(&s, 1);
    round_trip(&s);
    mt_session_state_clear(&s);
    CHECK(is_zero(&s, sizeof(s)));

    /* The largest chain: 256 KiB exactly, and one byte more. */
    {
        size_t one = 256 * 1024 - 3;
        make_state(&s, 1);
        free(s.peer_chain);
        make_chain(&s, &one, 1);
        CHECK(s.peer_chain_len == 256 * 1024);
        round_trip(&s);
        mt_session_state_clear(&s);
        one++;
        make_state(&s, 1);
        free(s.peer_chain);
        make_chain(&s, &one, 1);
        mt_buf_init(&b);
        CHECK(mt_session_state_encode(&s, &b) == -1);
        CHECK(b.len == 0);
        mt_buf_free(&b);
        mt_session_state_clear(&s);
    }

    /* Every truncation of an encoding fails, so does a byte more. */
    make_state(&s, 1);
    mt_buf_init(&b);
    CHECK(mt_session_state_encode(&s, &b) == 0);
    {
        size_t bad = 0;
        for (size_t n = 0; n < b.len; n++)
            bad += !decode_fails(b.data, n);
        CHECK(bad == 0);
        CHECK(mt_w_u8(&b, 0) == 0);
        CHECK(decode_fails(b.data, b.len));
        b.len--;
    }
    CHECK(decode_fails(NULL, 0));

    /* Field by field corruption (offsets into the big state's encoding). */
    {
        const size_t L = MT_SESSION_MAX_SECRET;
        const size_t o_ver = 1, o_slen = 5, o_ems = 6 + L, o_sni = 27 + L;
        const size_t o_alpn = o_sni + 1 + 255, o_chain = o_alpn + 1 + 255;
        uint8_t *p = b.data;
        uint8_t save;
        static const uint8_t formats[] = {0, 2, 0x81, 0xff};

        CHECK(o_chain + 3 + s.peer_chain_len == b.len);
        for (size_t i = 0; i < sizeof(formats); i++) {
            save = p[0];
            p[0] = formats[i];
            CHECK(decode_fails(p, b.len));
            p[0] = save;
        }
        /* Unknown protocol version. */
        p[o_ver + 1] = 0x02;
        CHECK(decode_fails(p, b.len));
        p[o_ver + 1] = 0x04;
        /* Secret length 0, 49, and off by one (everything shifts). */
        for (int v = 0; v < 256; v++) {
            if (v == (int)L)
                continue;
            save = p[o_slen];
            p[o_slen] = (uint8_t)v;
            CHECK(decode_fails(p, b.len));
            p[o_slen] = save;
        }
        /* ems must be 0 or 1. */
        p[o_ems] = 2;
        CHECK(decode_fails(p, b.len));
        p[o_ems] = 0;
        {
            mt_session_state d;
            CHECK(mt_session_state_decode(p, b.len, &d) == 0 && d.ems == 0);
            mt_session_state_clear(&d);
        }
        p[o_ems] = 1;
        /* A NUL inside the server name or the ALPN protocol. */
        p[o_sni + 10] = 0;
        CHECK(decode_fails(p, b.len));
        p[o_sni + 10] = 'a';
        p[o_alpn + 255] = 0;
        CHECK(decode_fails(p, b.len));
        p[o_alpn + 255] = 'z';
        /* String lengths that do not match. */
        p[o_sni] = 254;
        CHECK(decode_fails(p, b.len));
        p[o_sni] = 255;
        /* Chain length off by one either way; a certificate length that
         * overruns the chain; a zero-length certificate. */
        p[o_chain + 2]++;
        CHECK(decode_fails(p, b.len));
        p[o_chain + 2] -= 2;
        CHECK(decode_fails(p, b.len));
        p[o_chain + 2]++;
        p[o_chain + 3 + 2]++; /* first certificate 1001 bytes */
        CHECK(decode_fails(p, b.len));
        p[o_chain + 3 + 2]--;
        {
            /* 1000-byte cert, then the 1-byte cert made a 0-byte one + junk. */
            size_t o_second = o_chain + 3 + 3 + 1000;
            p[o_second + 2] = 0;
            CHECK(decode_fails(p, b.len));
            p[o_second + 2] = 1;
        }
        /* Still intact after all that. */
        {
            mt_session_state d;
            CHECK(mt_session_state_decode(p, b.len, &d) == 0 && same_state(&s, &d));
            mt_session_state_clear(&d);
        }
    }
    mt_buf_free(&b);
    mt_session_state_clear(&s);

    /* A chain above 256 KiB, hand-encoded, is refused. */
    {
        mt_buf h;
        size_t big = 256 * 1024 + 1 - 3;
        mt_buf_init(&h);
        CHECK(mt_w_u8(&h, 1) == 0 && mt_w_u16(&h, MUTLS_TLS1_3) == 0 &&
              mt_w_u16(&h, 0x1301) == 0 && mt_w_u8(&h, 32) == 0);
        for (int i = 0; i < 32; i++)
            CHECK(mt_w_u8(&h, 7) == 0);
        CHECK(mt_w_u8(&h, 0) == 0);
        for (int i = 0; i < 5; i++)
            CHECK(mt_w_u32(&h, 0) == 0);
        CHECK(mt_w_u8(&h, 0) == 0 && mt_w_u8(&h, 0) == 0);
        {
            mt_buf ok;
            mt_session_state d;
            mt_buf_init(&ok);
            CHECK(mt_w_bytes(&ok, h.data, h.len) == 0 && mt_w_u24(&ok, 0) == 0);
            CHECK(mt_session_state_decode(ok.data, ok.len, &d) == 0 && d.peer_chain == NULL);
            mt_session_state_clear(&d);
            mt_buf_free(&ok);
        }
        CHECK(mt_w_u24(&h, (uint32_t)(big + 3)) == 0 && mt_w_u24(&h, (uint32_t)big) == 0);
        {
            uint8_t *junk = calloc(1, big);
            CHECK(mt_w_bytes(&h, junk, big) == 0);
            free(junk);
        }
        CHECK(decode_fails(h.data, h.len));
        mt_buf_free(&h);
    }

    /* Encoding refuses what it could not decode, and leaves out as it was. */
    {
        mt_buf o;
        mt_buf_init(&o);
        CHECK(mt_w_u8(&o, 0xee) == 0);
        make_state(&s, 0);
        s.secret_len = MT_SESSION_MAX_SECRET + 1;
        CHECK(mt_session_state_encode(&s, &o) == -1);
        s.secret_len = 0;
        CHECK(mt_session_state_encode(&s, &o) == -1);
        s.secret_len = 32;
        s.ems = 2;
        CHECK(mt_session_state_encode(&s, &o) == -1);
        s.ems = 1;
        memset(s.sni, 'x', sizeof(s.sni)); /* not terminated */
        CHECK(mt_session_state_encode(&s, &o) == -1);
        strcpy(s.sni, "ok");
        s.version = 0x0302;
        CHECK(mt_session_state_encode(&s, &o) == -1);
        s.version = MUTLS_TLS1_3;
        s.peer_chain_len = 5; /* no chain behind it */
        CHECK(mt_session_state_encode(&s, &o) == -1);
        s.peer_chain_len = 0;
        CHECK(o.len == 1 && o.data[0] == 0xee);
        CHECK(mt_session_state_encode(&s, &o) == 0 && o.len > 1);
        mt_buf_free(&o);
        mt_session_state_clear(&s);
    }

    /* Deep copy. */
    make_state(&s, 1);
    CHECK(mt_session_state_copy(&c, &s) == 0);
    CHECK(same_state(&s, &c) && c.peer_chain != s.peer_chain);
    s.peer_chain[0] ^= 1;
    CHECK(c.peer_chain[0] != s.peer_chain[0]);
    mt_session_state_clear(&s);
    CHECK(c.peer_chain_len == 4000 + 1000 + 1 + 9);
    mt_session_state_clear(&c);
    make_state(&s, 0);
    CHECK(mt_session_state_copy(&c, &s) == 0 && c.peer_chain == NULL && same_state(&s, &c));
    CHECK(mt_session_state_copy(&c, &c) == 0);
    mt_session_state_clear(&c);
    mt_session_state_clear(&s);
}

/* ---- tickets ------------------------------------------------------------ */

static const uint8_t sample[] = "a session state, opaque to the ticket layer";

static int opens(mt_ticket_keys *k, int64_t now, const mt_buf *t)
{
    mt_buf st;
    int ok;
    mt_buf_init(&st);
    ok = mt_ticket_open(k, now, t->data, t->len, &st) == 0 && st.len == sizeof(sample) &&
         memcmp(st.data, sample, sizeof(sample)) == 0;
    mt_buf_free(&st);
    return ok;
}

static int seal(mt_ticket_keys *k, int64_t now, mt_buf *t)
{
    mt_buf_reset(t);
    return mt_ticket_seal(k, now, sample, sizeof(sample), t);
}

static void test_tickets(void)
{
    mt_ticket_keys *k = mt_ticket_keys_new(cx, NULL, 3600, 7200), *other;
    mt_buf t, st;

    mt_buf_init(&t);
    mt_buf_init(&st);
    CHECK(k != NULL);
    CHECK(mt_ticket_keys_new(cx, NULL, 0, 7200) == NULL);

    /* Round trip; the state is appended to what the buffer holds. */
    CHECK(seal(k, T0, &t) == 0);
    CHECK(t.len == 16 + 12 + sizeof(sample) + 16);
    CHECK(mt_w_u8(&st, 0x77) == 0);
    CHECK(mt_ticket_open(k, T0, t.data, t.len, &st) == 0);
    CHECK(st.len == 1 + sizeof(sample) && st.data[0] == 0x77 &&
          memcmp(st.data + 1, sample, sizeof(sample)) == 0);
    mt_buf_reset(&st);

    /* Empty and large states. */
    {
        mt_buf e;
        mt_buf_init(&e);
        CHECK(mt_ticket_seal(k, T0, NULL, 0, &e) == 0 && e.len == 44);
        CHECK(mt_ticket_open(k, T0, e.data, e.len, &st) == 0 && st.len == 0);
        mt_buf_reset(&e);
        uint8_t *big = malloc(300000);
        for (size_t i = 0; i < 300000; i++)
            big[i] = (uint8_t)i;
        CHECK(mt_ticket_seal(k, T0, big, 300000, &e) == 0);
        CHECK(mt_ticket_open(k, T0, e.data, e.len, &st) == 0 && st.len == 300000 &&
              memcmp(st.data, big, 300000) == 0);
        mt_buf_reset(&st);
        free(big);
        mt_buf_free(&e);
    }

    /* Two seals of the same state differ (random nonce). */
    {
        mt_buf t2;
        mt_buf_init(&t2);
        CHECK(seal(k, T0, &t2) == 0);
        CHECK(t2.len == t.len && memcmp(t.data, t2.data, 16) == 0 &&
              memcmp(t.data + 16, t2.data + 16, 12) != 0);
        mt_buf_free(&t2);
    }

    /* Each byte flipped, each truncation: refused, nothing written. */
    {
        size_t bad = 0;
        CHECK(mt_w_u8(&st, 0x55) == 0);
        for (size_t i = 0; i < t.len; i++) {
            for (int m = 0; m < 2; m++) {
                t.data[i] ^= m ? 0xff : 0x01;
                if (mt_ticket_open(k, T0, t.data, t.len, &st) != -1 || st.len != 1)
                    bad++;
                t.data[i] ^= m ? 0xff : 0x01;
            }
        }
        for (size_t n = 0; n < t.len; n++)
            if (mt_ticket_open(k, T0, t.data, n, &st) != -1 || st.len != 1)
                bad++;
        CHECK(bad == 0);
        CHECK(st.data[0] == 0x55);
        mt_buf_reset(&st);
        CHECK(mt_ticket_open(k, T0, NULL, 0, &st) == -1);
        CHECK(opens(k, T0, &t));
    }

    /* Unknown key id: another server's automatic keys. */
    other = mt_ticket_keys_new(cx, NULL, 3600, 7200);
    {
        mt_buf t2;
        mt_buf_init(&t2);
        CHECK(seal(other, T0, &t2) == 0);
        CHECK(!opens(k, T0, &t2));
        CHECK(!opens(other, T0, &t));
        CHECK(opens(other, T0, &t2));
        mt_buf_free(&t2);
    }
    mt_ticket_keys_free(other);
    mt_ticket_keys_free(k);

    /* Automatic rotation, driven by now (rotate 3600, lifetime 7200: each
     * key valid for 10800 s from its creation). */
    {
        test_rng r = {0x0123456789abcdefu, 0};
        mt_rng rng = {test_rng_fn, &r};
        mt_buf t1, t2, t3;
        mt_buf_init(&t1);
        mt_buf_init(&t2);
        mt_buf_init(&t3);
        k = mt_ticket_keys_new(cx, &rng, 3600, 7200);
        CHECK(seal(k, T0, &t1) == 0);
        CHECK(seal(k, T0 + 3599, &t2) == 0);
        CHECK(memcmp(t1.data, t2.data, 16) == 0); /* same key */
        CHECK(seal(k, T0 + 3600, &t2) == 0);
        CHECK(memcmp(t1.data, t2.data, 16) != 0); /* rotated */
        CHECK(opens(k, T0 + 3600, &t1));          /* old key still opens */
        CHECK(opens(k, T0 + 3600, &t2));
        CHECK(!opens(k, T0 + 3599, &t2)); /* its key is not valid yet then */
        CHECK(seal(k, T0 + 7200, &t3) == 0);
        CHECK(memcmp(t3.data, t2.data, 16) != 0 && memcmp(t3.data, t1.data, 16) != 0);
        CHECK(opens(k, T0 + 10800, &t1)); /* last second of the first key */
        CHECK(!opens(k, T0 + 10801, &t1)); /* expired, dropped */
        CHECK(!opens(k, T0 + 10800, &t1)); /* and gone */
        CHECK(opens(k, T0 + 10801, &t2));
        CHECK(opens(k, T0 + 14400, &t2));
        CHECK(!opens(k, T0 + 14401, &t2));
        CHECK(opens(k, T0 + 18000, &t3));
        /* A long pause: the next seal makes a fresh key. */
        CHECK(seal(k, T0 + 100000, &t1) == 0 && opens(k, T0 + 100000, &t1));
        CHECK(!opens(k, T0 + 100000, &t3));
        /* The rng failing makes sealing fail, leaving the buffer as it was. */
        mt_buf_reset(&t2);
        CHECK(mt_w_u8(&t2, 9) == 0);
        r.fail = 1;
        CHECK(mt_ticket_seal(k, T0 + 100001, sample, sizeof(sample), &t2) == -1);
        CHECK(t2.len == 1 && t2.data[0] == 9);
        r.fail = 0;
        /* Many rotations within a lifetime: bounded, still working. */
        for (int i = 0; i < 200; i++)
            CHECK(seal(k, T0 + 200000 + 3600 * (int64_t)i, &t1) == 0);
        CHECK(opens(k, T0 + 200000 + 3600 * 199, &t1));
        mt_ticket_keys_free(k);
        /* More live keys than the set holds (a new key every second, each
         * kept for a day): the one expiring first goes. */
        {
            mt_buf first;
            mt_buf_init(&first);
            k = mt_ticket_keys_new(cx, &rng, 1, 86400);
            CHECK(seal(k, T0, &first) == 0);
            for (int i = 1; i < 100; i++)
                CHECK(seal(k, T0 + i, &t1) == 0);
            CHECK(opens(k, T0 + 99, &t1));
            CHECK(!opens(k, T0 + 99, &first));
            mt_ticket_keys_free(k);
            mt_buf_free(&first);
        }
        /* A fixed rng repeating itself cannot make two keys with one id. */
        {
            test_rng r0 = {0x42, 0};
            mt_rng rng0 = {test_rng_fn, &r0};
            k = mt_ticket_keys_new(cx, &rng0, 10, 1000);
            CHECK(seal(k, T0, &t1) == 0);
            r0.s = 0x42;
            CHECK(seal(k, T0 + 10, &t2) == 0);
            CHECK(memcmp(t1.data, t2.data, 16) != 0);
            CHECK(opens(k, T0 + 10, &t1) && opens(k, T0 + 10, &t2));
            mt_ticket_keys_free(k);
        }
        mt_buf_free(&t1);
        mt_buf_free(&t2);
        mt_buf_free(&t3);
    }
    mt_buf_free(&t);
    mt_buf_free(&st);
}

/* ---- ticket key files --------------------------------------------------- */

static char *write_tmp(const char *name, const char *content)
{
    static char path[8][512];
    static int next;
    char *p = path[next++ % 8];
    FILE *f;
    snprintf(p, 512, "%s/%s", tmpdir, name);
    f = fopen(p, "w");
    if (f == NULL) {
        perror(p);
        exit(2);
    }
    fputs(content, f);
    fclose(f);
    return p;
}

/* "<id> <key> <from> <until>" with id bytes all idb and key bytes all kb. */
static void key_line(char *out, size_t cap, int idb, int kb, int64_t from, int64_t until)
{
    char id[33], key[65];
    for (int i = 0; i < 16; i++)
        snprintf(id + 2 * i, 3, "%02x", idb);
    for (int i = 0; i < 32; i++)
        snprintf(key + 2 * i, 3, "%02X", kb);
    snprintf(out, cap, "%s %s %lld %lld\n", id, key, (long long)from, (long long)until);
}

static int load(mt_ticket_keys *k, const char *path, int64_t now, mt_error *e)
{
    mt_error_clear(e);
    return mt_ticket_keys_load_file(k, path, now, e);
}

/* The file with a good line, a comment, then the bad line (line 3). */
static void bad_line(const char *line, const char *why)
{
    char text[4096], good[256], want[1024];
    const char *path;
    mt_ticket_keys *k = mt_ticket_keys_new(cx, NULL, 3600, 7200);
    mt_error e;

    key_line(good, sizeof(good), 1, 1, T0 - 10, T0 + 1000);
    snprintf(text, sizeof(text), "%s# comment\n%s\n", good, line);
    path = write_tmp("bad", text);
    snprintf(want, sizeof(want), "ticket key file %s line 3: %s", path, why);
    CHECK(load(k, path, T0, &e) == MUTLS_ERR_CONFIG);
    CHECK(e.code == MUTLS_ERR_CONFIG && strncmp(e.msg, want, strlen(want)) == 0);
    if (strncmp(e.msg, want, strlen(want)) != 0)
        fprintf(stderr, "    got:  %s\n    want: %s\n", e.msg, want);
    mt_ticket_keys_free(k);
}

static void test_key_files(void)
{
    char text[16384], l1[256], l2[256], l3[256], l4[256];
    const char *path;
    mt_ticket_keys *k, *k2;
    mt_buf t, ta, tb, st;
    mt_error e;

    mt_buf_init(&t);
    mt_buf_init(&ta);
    mt_buf_init(&tb);
    mt_buf_init(&st);

    /* A good file: comments, blanks, tabs, CRLF, a trailing comment. */
    key_line(l1, sizeof(l1), 0x11, 0xa1, T0 - 100, T0 + 1000);
    key_line(l2, sizeof(l2), 0x22, 0xa2, T0 - 50, T0 + 2000);
    key_line(l3, sizeof(l3), 0x33, 0xa3, T0 + 500, T0 + 3000); /* not yet valid */
    l1[strlen(l1) - 1] = '\0';
    l2[strlen(l2) - 1] = '\0';
    snprintf(text, sizeof(text),
             "# mutls ticket keys\n\n   \t\n%s\t  # the old one\r\n  %s  # current\r\n%s", l1, l2, l3);
    text[strlen(text) - 1] = '\0'; /* no newline at the end */
    path = write_tmp("good", text);
    k = mt_ticket_keys_new(cx, NULL, 3600, 7200);
    CHECK(seal(k, T0, &ta) == 0); /* under an automatic key */
    CHECK(load(k, path, T0, &e) == 0);
    if (e.code != 0)
        fprintf(stderr, "    %s\n", e.msg);
    CHECK(!opens(k, T0, &ta)); /* automatic keys are gone */

    /* The valid key with the latest valid-from seals; check the format
     * independently with the AEAD door. */
    CHECK(seal(k, T0, &t) == 0);
    {
        uint8_t id[16], raw[32], out[sizeof(sample)];
        mt_aead *a;
        memset(id, 0x22, 16);
        memset(raw, 0xa2, 32);
        a = mt_aead_new(cx, MT_AES_256_GCM, 0, raw);
        CHECK(memcmp(t.data, id, 16) == 0);
        CHECK(a != NULL && mt_aead_open(a, t.data + 16, id, 16, t.data + 28, t.len - 28, out) == 0 &&
              memcmp(out, sample, sizeof(sample)) == 0);
        /* The AAD is the key id: another AAD fails. */
        id[0] ^= 1;
        CHECK(mt_aead_open(a, t.data + 16, id, 16, t.data + 28, t.len - 28, out) == -1);
        mt_aead_free(a);
    }
    CHECK(opens(k, T0, &t));
    CHECK(seal(k, T0 + 600, &tb) == 0 && tb.data[0] == 0x33); /* the newer key from 500 on */
    CHECK(!opens(k, T0, &tb));                                   /* not yet valid at T0 */
    CHECK(opens(k, T0 + 600, &tb));
    CHECK(opens(k, T0 + 2000, &t));
    CHECK(!opens(k, T0 + 2001, &t));
    /* No automatic key once the file keys have all expired. */
    CHECK(seal(k, T0 + 3001, &t) == -1);
    mt_ticket_keys_free(k);

    /* Each kind of bad line is named. */
    {
        char good[256], id[40], key[80];
        key_line(good, sizeof(good), 9, 9, T0 - 10, T0 + 1000);
        memcpy(id, good, 32);
        id[32] = '\0';
        memcpy(key, good + 33, 64);
        key[64] = '\0';
        char line[512];
#define BAD(fmt, ...)                                                          \
    do {                                                                       \
        snprintf(line, sizeof(line), fmt, __VA_ARGS__);                        \
        bad_line(line, why);                                                   \
    } while (0)
        const char *why = "key id must be 32 hex digits";
        BAD("%.31s %s 1 2", id, key);
        BAD("%s0 %s 1 2", id, key);
        BAD("g%.31s %s 1 2", id, key);
        BAD("0x%.30s %s 1 2", id, key);
        why = "key must be 64 hex digits";
        BAD("%s %.63s 1 2", id, key);
        BAD("%s %s0 1 2", id, key);
        BAD("%s %.62s-1 1 2", id, key);
        why = "valid-from must be Unix seconds";
        BAD("%s %s -5 2", id, key);
        BAD("%s %s 12a 99", id, key);
        BAD("%s %s 99999999999999999999 99", id, key);
        BAD("%s %s +1 99", id, key);
        why = "valid-until must be Unix seconds";
        BAD("%s %s 1 x", id, key);
        BAD("%s %s 1 9223372036854775808", id, key);
        why = "valid-until must be after valid-from";
        BAD("%s %s 100 100", id, key);
        BAD("%s %s 100 99", id, key);
        why = "key missing";
        BAD("%s", id);
        why = "valid-from missing";
        BAD("%s %s", id, key);
        why = "valid-until missing";
        BAD("%s %s 1", id, key);
        why = "unexpected text after valid-until";
        BAD("%s %s 1 2 3", id, key);
        BAD("%s %s 1 2 x#", id, key);
        why = "duplicate key id (also on line 1)";
        BAD("%s %s 1 2", "01010101010101010101010101010101", key);
        why = "contains a NUL byte";
        {
            /* A NUL inside the line (written by hand). */
            char full[1024];
            size_t n;
            FILE *f;
            char p[512], want[1024];
            snprintf(p, sizeof(p), "%s/nul", tmpdir);
            n = (size_t)snprintf(full, sizeof(full), "%s# c\n%s %s 1", good, id, key);
            full[n++] = '\0';
            n += (size_t)snprintf(full + n, sizeof(full) - n, "2\n");
            f = fopen(p, "w");
            fwrite(full, 1, n, f);
            fclose(f);
            k = mt_ticket_keys_new(cx, NULL, 3600, 7200);
            snprintf(want, sizeof(want), "ticket key file %s line 3: %s", p, why);
            CHECK(load(k, p, T0, &e) == MUTLS_ERR_CONFIG && strcmp(e.msg, want) == 0);
            mt_ticket_keys_free(k);
        }
#undef BAD
    }

    /* More than 64 keys (named at line 65), exactly 64 is fine. */
    {
        size_t off = 0;
        char line[256];
        k = mt_ticket_keys_new(cx, NULL, 3600, 7200);
        for (int i = 0; i < 65; i++) {
            key_line(line, sizeof(line), i + 1, i, T0 - 10, T0 + 10);
            off += (size_t)snprintf(text + off, sizeof(text) - off, "%s", line);
            if (i == 63) {
                path = write_tmp("64", text);
                CHECK(load(k, path, T0, &e) == 0);
            }
        }
        path = write_tmp("65", text);
        {
            char want[1024];
            snprintf(want, sizeof(want), "ticket key file %s line 65: more than 64 keys", path);
            CHECK(load(k, path, T0, &e) == MUTLS_ERR_CONFIG && strcmp(e.msg, want) == 0);
        }
        mt_ticket_keys_free(k);
    }

    /* Files that cannot be used at all. */
    k = mt_ticket_keys_new(cx, NULL, 3600, 7200);
    {
        char want[1024];
        snprintf(want, sizeof(want), "ticket key file %s/absent: cannot open", tmpdir);
        snprintf(text, sizeof(text), "%s/absent", tmpdir);
        CHECK(load(k, text, T0, &e) == MUTLS_ERR_CONFIG && strncmp(e.msg, want, strlen(want)) == 0);
        CHECK(load(k, tmpdir, T0, &e) == MUTLS_ERR_CONFIG && strstr(e.msg, "not a regular") != NULL);
        path = write_tmp("empty", "# nothing but comments\n\n");
        CHECK(load(k, path, T0, &e) == MUTLS_ERR_CONFIG && strstr(e.msg, ": no keys") != NULL);
        path = write_tmp("zero", "");
        CHECK(load(k, path, T0, &e) == MUTLS_ERR_CONFIG && strstr(e.msg, ": no keys") != NULL);
    }
    /* Expired-only and not-yet-valid-only files are refused, and a refused
     * file changes nothing: tickets under the automatic keys still open. */
    CHECK(seal(k, T0, &ta) == 0);
    key_line(l1, sizeof(l1), 1, 1, T0 - 100, T0 - 1);
    key_line(l2, sizeof(l2), 2, 2, T0 + 1, T0 + 100);
    snprintf(text, sizeof(text), "%s%s", l1, l2);
    path = write_tmp("stale", text);
    CHECK(load(k, path, T0, &e) == MUTLS_ERR_CONFIG && strstr(e.msg, "no key is valid now") != NULL);
    CHECK(opens(k, T0, &ta));
    path = write_tmp("badline", "# only a bad line\nxyz\n");
    CHECK(load(k, path, T0, &e) == MUTLS_ERR_CONFIG && strstr(e.msg, "line 2:") != NULL);
    CHECK(opens(k, T0, &ta));
    /* The boundaries count as valid. */
    CHECK(load(k, path = write_tmp("edge1", l1), T0 - 1, &e) == 0);
    CHECK(load(k, path = write_tmp("edge2", l2), T0 + 1, &e) == 0);
    mt_ticket_keys_free(k);

    /* Reload: {A} -> {A, B} -> {B, C}. */
    key_line(l1, sizeof(l1), 0xaa, 1, T0 - 300, T0 + 5000);
    key_line(l2, sizeof(l2), 0xbb, 2, T0 - 200, T0 + 5000);
    key_line(l3, sizeof(l3), 0xcc, 3, T0 - 100, T0 + 5000);
    k = mt_ticket_keys_new(cx, NULL, 3600, 7200);
    path = write_tmp("keys", l1);
    CHECK(load(k, path, T0, &e) == 0);
    CHECK(seal(k, T0, &ta) == 0 && ta.data[0] == 0xaa);
    snprintf(text, sizeof(text), "%s%s", l1, l2);
    path = write_tmp("keys", text);
    CHECK(load(k, path, T0, &e) == 0);
    CHECK(seal(k, T0, &tb) == 0 && tb.data[0] == 0xbb);
    CHECK(opens(k, T0, &ta) && opens(k, T0, &tb));
    snprintf(text, sizeof(text), "%s%s", l2, l3);
    path = write_tmp("keys", text);
    CHECK(load(k, path, T0, &e) == 0);
    CHECK(!opens(k, T0, &ta)); /* A removed */
    CHECK(opens(k, T0, &tb));  /* B kept */
    CHECK(seal(k, T0, &t) == 0 && t.data[0] == 0xcc);

    /* Two servers sharing the file open each other's tickets. */
    k2 = mt_ticket_keys_new(cx, NULL, 3600, 7200);
    CHECK(load(k2, path, T0, &e) == 0);
    CHECK(opens(k2, T0, &tb) && opens(k2, T0, &t));
    {
        mt_buf t2;
        mt_buf_init(&t2);
        CHECK(seal(k2, T0 + 1, &t2) == 0 && t2.data[0] == 0xcc);
        CHECK(opens(k, T0 + 2, &t2));
        mt_buf_free(&t2);
    }
    key_line(l4, sizeof(l4), 0xdd, 4, T0 + 10, T0 + 6000);
    snprintf(text, sizeof(text), "%s%s%s", l2, l3, l4);
    path = write_tmp("keys", text);
    CHECK(load(k, path, T0, &e) == 0 && load(k2, path, T0, &e) == 0);
    CHECK(seal(k, T0 + 10, &t) == 0 && t.data[0] == 0xdd && opens(k2, T0 + 10, &t));
    mt_ticket_keys_free(k2);
    mt_ticket_keys_free(k);

    mt_buf_free(&t);
    mt_buf_free(&ta);
    mt_buf_free(&tb);
    mt_buf_free(&st);
}

/* Sealing and opening from several threads while another reloads the
 * same file over and over: the set is replaced atomically, so no ticket
 * ever fails to open. */
typedef struct {
    mt_ticket_keys *k;
    const char *path;
    int bad;
} tk_arg;

static void *tk_worker(void *p)
{
    tk_arg *a = p;
    mt_buf t;
    mt_buf_init(&t);
    for (int i = 0; i < 2000; i++) {
        if (seal(a->k, T0 + i % 100, &t) != 0 || !opens(a->k, T0 + i % 100, &t))
            a->bad++;
    }
    mt_buf_free(&t);
    return NULL;
}

static void *tk_reloader(void *p)
{
    tk_arg *a = p;
    mt_error e;
    for (int i = 0; i < 200; i++)
        if (load(a->k, a->path, T0, &e) != 0)
            a->bad++;
    return NULL;
}

static void test_tickets_threads(void)
{
    char text[1024], l1[256], l2[256];
    pthread_t th[4];
    tk_arg a[4];
    mt_error e;
    const char *path;
    mt_ticket_keys *k = mt_ticket_keys_new(cx, NULL, 3600, 7200);

    key_line(l1, sizeof(l1), 0x71, 1, T0 - 1000, T0 + 1000);
    key_line(l2, sizeof(l2), 0x72, 2, T0 - 500, T0 + 1000);
    snprintf(text, sizeof(text), "%s%s", l1, l2);
    path = write_tmp("threads", text);
    CHECK(load(k, path, T0, &e) == 0);
    for (int i = 0; i < 4; i++) {
        a[i] = (tk_arg){k, path, 0};
        CHECK(pthread_create(&th[i], NULL, i == 3 ? tk_reloader : tk_worker, &a[i]) == 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        CHECK(a[i].bad == 0);
    }
    mt_ticket_keys_free(k);
}

/* ---- session cache ------------------------------------------------------ */

static void id_of(uint8_t id[32], unsigned n)
{
    memset(id, 0, 32);
    memcpy(id, &n, sizeof(n));
    id[31] = 0x5c;
}

static int cache_has(mt_session_cache *c, unsigned n, int64_t now, const char *want)
{
    uint8_t id[32];
    mt_buf b;
    int ok;
    id_of(id, n);
    mt_buf_init(&b);
    ok = mt_session_cache_get(c, id, now, &b) == 0;
    if (ok && want != NULL)
        ok = b.len == strlen(want) && memcmp(b.data, want, b.len) == 0;
    mt_buf_free(&b);
    return ok;
}

static int cache_put(mt_session_cache *c, unsigned n, const char *v, int64_t now)
{
    uint8_t id[32];
    id_of(id, n);
    return mt_session_cache_put(c, id, (const uint8_t *)v, strlen(v), now);
}

typedef struct {
    mt_session_cache *c;
    unsigned seed;
    size_t max;
    int bad;
} stress_arg;

static void *cache_stress(void *p)
{
    stress_arg *a = p;
    uint64_t s = a->seed * 0x9e3779b97f4a7c15u + 1;
    mt_buf b;
    mt_buf_init(&b);
    for (int i = 0; i < 10000; i++) {
        unsigned n, op;
        uint8_t id[32], val[64];
        size_t len;
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        n = (unsigned)(s % 1000);
        op = (unsigned)((s >> 20) % 10);
        id_of(id, n);
        /* The value names the id, with a length depending on it. */
        len = 8 + n % 50;
        memset(val, (int)(n & 0xff), len);
        memcpy(val, &n, sizeof(n));
        int64_t now = T0 + i / 100;
        if (op < 4) {
            if (mt_session_cache_put(a->c, id, val, len, now) != 0)
                a->bad++;
        } else if (op < 8) {
            mt_buf_reset(&b);
            if (mt_session_cache_get(a->c, id, now, &b) == 0 &&
                (b.len != len || memcmp(b.data, val, len) != 0))
                a->bad++;
        } else if (op < 9) {
            mt_session_cache_remove(a->c, id);
        } else if (mt_session_cache_count(a->c) > a->max) {
            a->bad++;
        }
    }
    mt_buf_free(&b);
    return NULL;
}

static void test_cache(void)
{
    mt_session_cache *c = mt_session_cache_new(3, 100);
    uint8_t id[32];

    CHECK(c != NULL);
    CHECK(mt_session_cache_new(0, 100) == NULL);
    CHECK(mt_session_cache_count(c) == 0);
    CHECK(!cache_has(c, 1, T0, NULL));

    /* put/get, LRU order: get(1) makes 2 the least recently used. */
    CHECK(cache_put(c, 1, "one", T0) == 0);
    CHECK(cache_put(c, 2, "two", T0) == 0);
    CHECK(cache_put(c, 3, "three", T0) == 0);
    CHECK(mt_session_cache_count(c) == 3);
    CHECK(cache_has(c, 1, T0, "one"));
    CHECK(cache_put(c, 4, "four", T0) == 0);
    CHECK(mt_session_cache_count(c) == 3);
    CHECK(!cache_has(c, 2, T0, NULL));
    CHECK(cache_has(c, 3, T0, "three") && cache_has(c, 4, T0, "four"));
    /* Now 1 is the LRU (order: 4, 3, 1... after gets: 4 newest, 3, 1). */
    CHECK(cache_put(c, 5, "five", T0) == 0);
    CHECK(!cache_has(c, 1, T0, NULL));
    CHECK(cache_has(c, 3, T0, NULL) && cache_has(c, 4, T0, NULL) && cache_has(c, 5, T0, NULL));

    /* Replace: new value, same count, becomes most recent. */
    CHECK(cache_put(c, 3, "THREE!", T0 + 50) == 0);
    CHECK(mt_session_cache_count(c) == 3);
    CHECK(cache_has(c, 3, T0 + 50, "THREE!"));
    CHECK(cache_put(c, 6, "six", T0 + 50) == 0); /* evicts 4 (LRU) */
    CHECK(!cache_has(c, 4, T0 + 50, NULL));
    CHECK(cache_has(c, 5, T0 + 50, NULL) && cache_has(c, 6, T0 + 50, NULL));

    /* Remove (and removing what is absent). */
    id_of(id, 5);
    mt_session_cache_remove(c, id);
    mt_session_cache_remove(c, id);
    CHECK(mt_session_cache_count(c) == 2 && !cache_has(c, 5, T0 + 50, NULL));

    /* Timeout: 100 s old is still fresh, 101 s is absent and removed on
     * access (3 and 6 were put at T0+50, 7 at T0+60). */
    CHECK(cache_put(c, 7, "seven", T0 + 60) == 0);
    CHECK(cache_has(c, 3, T0 + 150, NULL));
    CHECK(!cache_has(c, 3, T0 + 151, NULL));
    CHECK(mt_session_cache_count(c) == 2);
    CHECK(!cache_has(c, 6, T0 + 151, NULL));
    CHECK(mt_session_cache_count(c) == 1);
    CHECK(cache_has(c, 7, T0 + 160, "seven"));
    /* From the future (the clock went back): absent. */
    CHECK(!cache_has(c, 7, T0 + 59, NULL));
    CHECK(mt_session_cache_count(c) == 0);

    /* Values are copies; an empty value works; get appends. */
    {
        char v[] = "copied";
        mt_buf b;
        CHECK(cache_put(c, 8, v, T0) == 0);
        v[0] = 'X';
        CHECK(cache_has(c, 8, T0, "copied"));
        id_of(id, 9);
        CHECK(mt_session_cache_put(c, id, NULL, 0, T0) == 0);
        mt_buf_init(&b);
        CHECK(mt_w_u8(&b, 1) == 0);
        CHECK(mt_session_cache_get(c, id, T0, &b) == 0 && b.len == 1);
        id_of(id, 8);
        CHECK(mt_session_cache_get(c, id, T0, &b) == 0 && b.len == 7 &&
              memcmp(b.data + 1, "copied", 6) == 0);
        mt_buf_free(&b);
    }
    mt_session_cache_free(c);

    /* Bigger: many entries, every one reachable, bounded. */
    c = mt_session_cache_new(1000, 3600);
    {
        int bad = 0;
        char v[32];
        for (unsigned i = 0; i < 5000; i++) {
            snprintf(v, sizeof(v), "v%u", i);
            bad += cache_put(c, i, v, T0) != 0;
        }
        CHECK(mt_session_cache_count(c) == 1000);
        for (unsigned i = 0; i < 5000; i++) {
            snprintf(v, sizeof(v), "v%u", i);
            bad += cache_has(c, i, T0, v) != (i >= 4000);
        }
        CHECK(bad == 0);
    }
    mt_session_cache_free(c);

    /* Four threads, 10000 operations each, on a cache smaller than the set
     * of ids. */
    {
        pthread_t th[4];
        stress_arg a[4];
        c = mt_session_cache_new(256, 30);
        for (int i = 0; i < 4; i++) {
            a[i] = (stress_arg){c, (unsigned)i + 1, 256, 0};
            CHECK(pthread_create(&th[i], NULL, cache_stress, &a[i]) == 0);
        }
        for (int i = 0; i < 4; i++) {
            pthread_join(th[i], NULL);
            CHECK(a[i].bad == 0);
        }
        CHECK(mt_session_cache_count(c) <= 256);
        mt_session_cache_free(c);
    }
}

/* ---- anti-replay -------------------------------------------------------- */

typedef struct {
    mt_antireplay *a;
    int firsts;
} replay_arg;

static void *replay_stress(void *p)
{
    replay_arg *r = p;
    uint8_t key[32];
    for (unsigned i = 0; i < 10000; i++) {
        id_of(key, i % 2500); /* every key tried four times per thread */
        r->firsts += mt_antireplay_first_use(r->a, key, T0 + i / 1000);
    }
    return NULL;
}

static void test_antireplay(void)
{
    mt_antireplay *a = mt_antireplay_new(4, 10);
    uint8_t k1[32], k2[32];

    CHECK(a != NULL);
    CHECK(mt_antireplay_new(0, 10) == NULL);
    id_of(k1, 1);
    id_of(k2, 2);
    CHECK(mt_antireplay_first_use(a, k1, T0) == 1);
    CHECK(mt_antireplay_first_use(a, k1, T0) == 0);
    CHECK(mt_antireplay_first_use(a, k2, T0 + 5) == 1);
    CHECK(mt_antireplay_first_use(a, k1, T0 + 10) == 0); /* still in the window */
    CHECK(mt_antireplay_first_use(a, k1, T0 + 11) == 1); /* forgotten, recorded again */
    CHECK(mt_antireplay_first_use(a, k1, T0 + 11) == 0);
    CHECK(mt_antireplay_first_use(a, k2, T0 + 11) == 0);
    CHECK(mt_antireplay_first_use(a, k2, T0 + 16) == 1);
    mt_antireplay_free(a);

    /* Full of fresh entries: refused (and not recorded) until they age. */
    a = mt_antireplay_new(4, 10);
    {
        uint8_t k[32];
        for (unsigned i = 0; i < 4; i++) {
            id_of(k, 100 + i);
            CHECK(mt_antireplay_first_use(a, k, T0 + i) == 1);
        }
        id_of(k, 200);
        CHECK(mt_antireplay_first_use(a, k, T0 + 4) == 0);
        CHECK(mt_antireplay_first_use(a, k, T0 + 10) == 0);
        CHECK(mt_antireplay_first_use(a, k, T0 + 11) == 1); /* the first one aged out */
        CHECK(mt_antireplay_first_use(a, k, T0 + 11) == 0);
        id_of(k, 201);
        CHECK(mt_antireplay_first_use(a, k, T0 + 11) == 0); /* full again */
        id_of(k, 101);
        CHECK(mt_antireplay_first_use(a, k, T0 + 11) == 0); /* still remembered */
        /* A clock reading going back never shortens what is kept. */
        id_of(k, 300);
        CHECK(mt_antireplay_first_use(a, k, T0 + 100) == 1);
        id_of(k, 301);
        CHECK(mt_antireplay_first_use(a, k, T0 + 50) == 1);
        CHECK(mt_antireplay_first_use(a, k, T0 + 110) == 0);
        CHECK(mt_antireplay_first_use(a, k, T0 + 111) == 1);
        /* Wrap around the ring many times. */
        {
            int bad = 0;
            for (unsigned i = 0; i < 1000; i++) {
                id_of(k, 1000 + i);
                bad += mt_antireplay_first_use(a, k, T0 + 1000 + 11 * (int64_t)i) != 1;
                bad += mt_antireplay_first_use(a, k, T0 + 1000 + 11 * (int64_t)i) != 0;
            }
            CHECK(bad == 0);
        }
    }
    mt_antireplay_free(a);

    /* Extreme clock values do not overflow. */
    a = mt_antireplay_new(2, 0xffffffff);
    CHECK(mt_antireplay_first_use(a, k1, INT64_MIN) == 1);
    CHECK(mt_antireplay_first_use(a, k1, INT64_MAX) == 1);
    CHECK(mt_antireplay_first_use(a, k1, INT64_MAX) == 0);
    mt_antireplay_free(a);

    /* Threads: each key is a first use exactly once. */
    {
        pthread_t th[4];
        replay_arg r[4];
        int total = 0;
        a = mt_antireplay_new(10000, 3600);
        for (int i = 0; i < 4; i++) {
            r[i] = (replay_arg){a, 0};
            CHECK(pthread_create(&th[i], NULL, replay_stress, &r[i]) == 0);
        }
        for (int i = 0; i < 4; i++) {
            pthread_join(th[i], NULL);
            total += r[i].firsts;
        }
        CHECK(total == 2500);
        mt_antireplay_free(a);
    }
}

int main(void)
{
    cx = mt_crypto_new();
    CHECK(cx != NULL);
    if (cx == NULL || mkdtemp(tmpdir) == NULL) {
        perror("setup");
        return 2;
    }
    test_state();
    test_tickets();
    test_key_files();
    test_tickets_threads();
    test_cache();
    test_antireplay();
    {
        char cmd[600];
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
        if (system(cmd) != 0)
            fprintf(stderr, "could not remove %s\n", tmpdir);
    }
    mt_crypto_free(cx);
    TEST_MAIN_END();
}

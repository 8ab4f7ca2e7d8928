/*
 * The session state's binary encoding: what a ticket seals and the session
 * cache stores. Format version 1, fields in a fixed order, every variable
 * field with an explicit length:
 *
 *   u8  format (1)
 *   u16 version            u16 suite
 *   u8  secret_len (1..48) secret
 *   u8  ems (0 or 1)
 *   u64 issued (two's complement)
 *   u32 lifetime           u32 age_add           u32 max_early_data
 *   u8  len, sni  (no NUL)
 *   u8  len, alpn (no NUL)
 *   u24 len, peer_chain (<= 256 KiB; a sequence of u24-length,
 *       non-empty certificates that fills it exactly)
 *
 * Decoding checks all of it and requires the input to be consumed exactly.
 */
#include <stdlib.h>
#include <string.h>

#include "session/session.h"

#define STATE_FORMAT 1
#define MAX_CHAIN (256u * 1024u)

/* The chain is a sequence of certificates, each with a 3-byte length. */
static int chain_ok(const uint8_t *p, size_t n)
{
    mt_reader r, cert;

    if (n > MAX_CHAIN || (n > 0 && p == NULL))
        return 0;
    r = mt_reader_init(p, n);
    while (mt_r_left(&r) > 0)
        if (mt_r_vec(&r, 3, 1, 0xffffff, &cert) != 0)
            return 0;
    return mt_r_done(&r) == 0;
}

/* Length of a NUL-terminated field of a 256-byte array; -1 when it is not
 * terminated (it then does not fit the one-byte length either). */
static int field_len(const char s[256])
{
    const char *z = memchr(s, '\0', 256);
    return z == NULL ? -1 : (int)(z - s);
}

static int version_ok(uint16_t v)
{
    return v == MUTLS_TLS1_2 || v == MUTLS_TLS1_3;
}

int mt_session_state_encode(const mt_session_state *s, mt_buf *out)
{
    size_t start = out->len;
    int sni_len = field_len(s->sni), alpn_len = field_len(s->alpn);
    uint64_t issued = (uint64_t)s->issued;

    if (out->err || !version_ok(s->version) || s->secret_len == 0 ||
        s->secret_len > MT_SESSION_MAX_SECRET || s->ems > 1 || sni_len < 0 || alpn_len < 0 ||
        !chain_ok(s->peer_chain, s->peer_chain_len))
        return -1;

    mt_w_u8(out, STATE_FORMAT);
    mt_w_u16(out, s->version);
    mt_w_u16(out, s->suite);
    mt_w_u8(out, s->secret_len);
    mt_w_bytes(out, s->secret, s->secret_len);
    mt_w_u8(out, s->ems);
    mt_w_u32(out, (uint32_t)(issued >> 32));
    mt_w_u32(out, (uint32_t)issued);
    mt_w_u32(out, s->lifetime);
    mt_w_u32(out, s->age_add);
    mt_w_u32(out, s->max_early_data);
    mt_w_u8(out, (uint8_t)sni_len);
    mt_w_bytes(out, s->sni, (size_t)sni_len);
    mt_w_u8(out, (uint8_t)alpn_len);
    mt_w_bytes(out, s->alpn, (size_t)alpn_len);
    mt_w_u24(out, (uint32_t)s->peer_chain_len);
    mt_w_bytes(out, s->peer_chain, s->peer_chain_len);
    if (out->err) {
        /* Leave nothing of a half-written state (it holds the secret). */
        if (out->len > start) {
            mt_wipe(out->data + start, out->len - start);
            out->len = start;
        }
        return -1;
    }
    return 0;
}

/* A string field: a one-byte length, no NUL inside. */
static int read_string(mt_reader *r, char dst[256])
{
    mt_reader sub;
    size_t n;

    if (mt_r_vec(r, 1, 0, 255, &sub) != 0)
        return -1;
    n = sub.len;
    if (n > 0 && memchr(sub.p, '\0', n) != NULL)
        return -1;
    memcpy(dst, sub.p, n);
    dst[n] = '\0';
    return 0;
}

int mt_session_state_decode(const uint8_t *p, size_t n, mt_session_state *s)
{
    mt_session_state t;
    mt_reader r = mt_reader_init(p, n), sub, chain;
    uint8_t format = 0;
    uint32_t hi = 0, lo = 0;
    uint64_t issued;

    memset(&t, 0, sizeof(t));
    if (p == NULL && n > 0)
        goto Fail;
    if (mt_r_u8(&r, &format) != 0 || format != STATE_FORMAT)
        goto Fail;
    mt_r_u16(&r, &t.version);
    mt_r_u16(&r, &t.suite);
    if (mt_r_vec(&r, 1, 1, MT_SESSION_MAX_SECRET, &sub) != 0)
        goto Fail;
    memcpy(t.secret, sub.p, sub.len);
    t.secret_len = (uint8_t)sub.len;
    mt_r_u8(&r, &t.ems);
    mt_r_u32(&r, &hi);
    mt_r_u32(&r, &lo);
    mt_r_u32(&r, &t.lifetime);
    mt_r_u32(&r, &t.age_add);
    mt_r_u32(&r, &t.max_early_data);
    if (r.err || !version_ok(t.version) || t.ems > 1)
        goto Fail;
    issued = (uint64_t)hi << 32 | lo;
    /* Two's complement back to int64 without implementation-defined
     * conversions. */
    t.issued = issued <= (uint64_t)INT64_MAX ? (int64_t)issued : -(int64_t)(~issued) - 1;
    if (read_string(&r, t.sni) != 0 || read_string(&r, t.alpn) != 0)
        goto Fail;
    if (mt_r_vec(&r, 3, 0, MAX_CHAIN, &chain) != 0 || mt_r_done(&r) != 0 ||
        !chain_ok(chain.p, chain.len))
        goto Fail;
    if (chain.len > 0) {
        t.peer_chain = malloc(chain.len);
        if (t.peer_chain == NULL)
            goto Fail;
        memcpy(t.peer_chain, chain.p, chain.len);
        t.peer_chain_len = chain.len;
    }
    *s = t;
    mt_wipe(&t, sizeof(t));
    return 0;

Fail:
    mt_wipe(&t, sizeof(t));
    memset(s, 0, sizeof(*s));
    return -1;
}

void mt_session_state_clear(mt_session_state *s)
{
    if (s == NULL)
        return;
    free(s->peer_chain);
    mt_wipe(s, sizeof(*s));
}

int mt_session_state_copy(mt_session_state *dst, const mt_session_state *src)
{
    uint8_t *chain = NULL;

    if (dst == src)
        return 0;
    if (src->peer_chain_len > 0) {
        if (src->peer_chain == NULL || (chain = malloc(src->peer_chain_len)) == NULL) {
            memset(dst, 0, sizeof(*dst));
            return -1;
        }
        memcpy(chain, src->peer_chain, src->peer_chain_len);
    }
    memcpy(dst, src, sizeof(*dst));
    dst->peer_chain = chain;
    return 0;
}

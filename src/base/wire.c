#include "base/wire.h"

#include <stdlib.h>
#include <string.h>

#include "crypto/crypto.h"

static int short_read(mt_reader *r)
{
    r->err = 1;
    return -1;
}

int mt_r_u8(mt_reader *r, uint8_t *v)
{
    if (mt_r_left(r) < 1)
        return short_read(r);
    *v = r->p[r->off++];
    return 0;
}

int mt_r_u16(mt_reader *r, uint16_t *v)
{
    if (mt_r_left(r) < 2)
        return short_read(r);
    *v = (uint16_t)((r->p[r->off] << 8) | r->p[r->off + 1]);
    r->off += 2;
    return 0;
}

int mt_r_u24(mt_reader *r, uint32_t *v)
{
    if (mt_r_left(r) < 3)
        return short_read(r);
    *v = ((uint32_t)r->p[r->off] << 16) | ((uint32_t)r->p[r->off + 1] << 8) | r->p[r->off + 2];
    r->off += 3;
    return 0;
}

int mt_r_u32(mt_reader *r, uint32_t *v)
{
    if (mt_r_left(r) < 4)
        return short_read(r);
    *v = ((uint32_t)r->p[r->off] << 24) | ((uint32_t)r->p[r->off + 1] << 16) |
         ((uint32_t)r->p[r->off + 2] << 8) | r->p[r->off + 3];
    r->off += 4;
    return 0;
}

int mt_r_bytes(mt_reader *r, size_t n, const uint8_t **p)
{
    if (mt_r_left(r) < n)
        return short_read(r);
    *p = r->p + r->off;
    r->off += n;
    return 0;
}

int mt_r_copy(mt_reader *r, uint8_t *out, size_t n)
{
    const uint8_t *p;
    if (mt_r_bytes(r, n, &p) != 0)
        return -1;
    if (n > 0)
        memcpy(out, p, n);
    return 0;
}

int mt_r_vec(mt_reader *r, int len_bytes, size_t min, size_t max, mt_reader *sub)
{
    uint32_t n = 0;
    uint8_t b8;
    uint16_t b16;
    const uint8_t *p;

    switch (len_bytes) {
    case 1:
        if (mt_r_u8(r, &b8) != 0)
            return -1;
        n = b8;
        break;
    case 2:
        if (mt_r_u16(r, &b16) != 0)
            return -1;
        n = b16;
        break;
    case 3:
        if (mt_r_u24(r, &n) != 0)
            return -1;
        break;
    default:
        return short_read(r);
    }
    if (n < min || n > max || mt_r_bytes(r, n, &p) != 0)
        return short_read(r);
    *sub = mt_reader_init(p, n);
    return 0;
}

int mt_r_done(const mt_reader *r)
{
    return (r->err || r->off != r->len) ? -1 : 0;
}

void mt_buf_init(mt_buf *b)
{
    memset(b, 0, sizeof(*b));
}

void mt_buf_free(mt_buf *b)
{
    if (b->data != NULL) {
        mt_wipe(b->data, b->cap);
        free(b->data);
    }
    mt_buf_init(b);
}

void mt_buf_reset(mt_buf *b)
{
    if (b->data != NULL)
        mt_wipe(b->data, b->len);
    b->len = 0;
    b->err = 0;
}

int mt_buf_reserve(mt_buf *b, size_t extra)
{
    size_t need, cap;
    uint8_t *n;

    if (b->err)
        return -1;
    if (extra > SIZE_MAX / 2 - b->len) {
        b->err = 1;
        return -1;
    }
    need = b->len + extra;
    if (need <= b->cap)
        return 0;
    /* Grow by half at least (amortised appends), but to what is needed
     * when that is more: a 16 KiB record gets ~17 KiB, not 32 KiB. */
    cap = b->cap + b->cap / 2;
    if (cap < need)
        cap = need;
    if (cap < 256)
        cap = 256;
    cap = (cap + 1023) & ~(size_t)1023;
    /* Not realloc: the old block may hold secrets and must be wiped. */
    n = malloc(cap);
    if (n == NULL) {
        b->err = 1;
        return -1;
    }
    if (b->len > 0)
        memcpy(n, b->data, b->len);
    if (b->data != NULL) {
        mt_wipe(b->data, b->cap);
        free(b->data);
    }
    b->data = n;
    b->cap = cap;
    return 0;
}

int mt_w_bytes(mt_buf *b, const void *p, size_t n)
{
    if (mt_buf_reserve(b, n) != 0)
        return -1;
    if (n > 0)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    return 0;
}

int mt_w_u8(mt_buf *b, uint8_t v)
{
    return mt_w_bytes(b, &v, 1);
}

int mt_w_u16(mt_buf *b, uint16_t v)
{
    uint8_t t[2] = {(uint8_t)(v >> 8), (uint8_t)v};
    return mt_w_bytes(b, t, 2);
}

int mt_w_u24(mt_buf *b, uint32_t v)
{
    uint8_t t[3] = {(uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
    return mt_w_bytes(b, t, 3);
}

int mt_w_u32(mt_buf *b, uint32_t v)
{
    uint8_t t[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
    return mt_w_bytes(b, t, 4);
}

size_t mt_w_open(mt_buf *b, int len_bytes)
{
    static const uint8_t zero[3] = {0, 0, 0};
    size_t off = b->len;
    if (len_bytes < 1 || len_bytes > 3 || mt_w_bytes(b, zero, (size_t)len_bytes) != 0) {
        b->err = 1;
        return (size_t)-1;
    }
    return off;
}

int mt_w_close(mt_buf *b, size_t off, int len_bytes)
{
    size_t n;
    if (b->err || off == (size_t)-1 || off + (size_t)len_bytes > b->len) {
        b->err = 1;
        return -1;
    }
    n = b->len - off - (size_t)len_bytes;
    if (n >= ((size_t)1 << (8 * len_bytes))) {
        b->err = 1;
        return -1;
    }
    for (int i = len_bytes - 1; i >= 0; i--) {
        b->data[off + (size_t)i] = (uint8_t)n;
        n >>= 8;
    }
    return 0;
}

void mt_buf_consume(mt_buf *b, size_t n)
{
    if (n >= b->len) {
        mt_buf_reset(b);
        return;
    }
    memmove(b->data, b->data + n, b->len - n);
    b->len -= n;
    mt_wipe(b->data + b->len, n);
}

void mt_buf_drop(mt_buf *b, size_t n)
{
    if (n >= b->len) {
        b->len = 0;
        return;
    }
    memmove(b->data, b->data + n, b->len - n);
    b->len -= n;
}

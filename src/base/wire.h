/*
 * The one cursor for wire bytes. Every byte from the network is read
 * through mt_reader: each read is bounds-checked and a failed read leaves
 * the reader in an error state that sticks, so a sequence of reads can be
 * checked once at the end. Length-prefixed vectors are read as bounded
 * sub-readers. Output is built with mt_buf, whose length prefixes are
 * reserved and back-patched when the vector closes.
 */
#ifndef MT_WIRE_H
#define MT_WIRE_H

#include <stddef.h>
#include <stdint.h>

typedef struct mt_reader {
    const uint8_t *p;
    size_t len;
    size_t off;
    int err; /* sticky: set by any read past the end */
} mt_reader;

static inline mt_reader mt_reader_init(const uint8_t *p, size_t len)
{
    mt_reader r = {p, len, 0, 0};
    return r;
}
static inline size_t mt_r_left(const mt_reader *r) { return r->err ? 0 : r->len - r->off; }

/* Each returns 0 on success, -1 (and sets r->err) when short. */
int mt_r_u8(mt_reader *r, uint8_t *v);
int mt_r_u16(mt_reader *r, uint16_t *v);
int mt_r_u24(mt_reader *r, uint32_t *v);
int mt_r_u32(mt_reader *r, uint32_t *v);
/* Point *p at the next n bytes and skip them. */
int mt_r_bytes(mt_reader *r, size_t n, const uint8_t **p);
int mt_r_copy(mt_reader *r, uint8_t *out, size_t n);
/* Read a vector with a len_bytes (1, 2 or 3) length prefix into sub;
 * fails unless min <= length <= max. */
int mt_r_vec(mt_reader *r, int len_bytes, size_t min, size_t max, mt_reader *sub);
/* 0 when the reader is error-free and fully consumed. */
int mt_r_done(const mt_reader *r);

/* A growable output buffer; errors (allocation) are sticky. */
typedef struct mt_buf {
    uint8_t *data;
    size_t len;
    size_t cap;
    int err;
} mt_buf;

void mt_buf_init(mt_buf *b);
/* Wipes the contents before releasing them. */
void mt_buf_free(mt_buf *b);
void mt_buf_reset(mt_buf *b); /* len = 0, keeps capacity, wipes */
int mt_buf_reserve(mt_buf *b, size_t extra);
int mt_w_u8(mt_buf *b, uint8_t v);
int mt_w_u16(mt_buf *b, uint16_t v);
int mt_w_u24(mt_buf *b, uint32_t v);
int mt_w_u32(mt_buf *b, uint32_t v);
int mt_w_bytes(mt_buf *b, const void *p, size_t n);
/* Reserve a len_bytes length prefix; returns its offset (or (size_t)-1). */
size_t mt_w_open(mt_buf *b, int len_bytes);
/* Back-patch the prefix opened at off; fails if the body does not fit. */
int mt_w_close(mt_buf *b, size_t off, int len_bytes);
/* Drop the first n bytes, wiping what they leave behind. */
void mt_buf_consume(mt_buf *b, size_t n);
/* The same without wiping, for bytes that are no secret (ciphertext
 * already handed to the network). */
void mt_buf_drop(mt_buf *b, size_t n);

#endif

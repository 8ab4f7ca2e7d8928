/*
 * fuzz_wire: the wire cursor and writer (src/base/wire.c) as a decode ->
 * encode round trip.
 *
 * Input: one control byte, then the payload. Bits 0..1 give the length
 * prefix size (1, 2 or 3 bytes; 0 means 2) and bits 2..3 a nesting depth
 * (0..3). The payload is read as a sequence of length-prefixed vectors
 * with mt_r_vec; each vector whose body is itself exactly such a sequence
 * is decoded recursively up to the depth. What is left after the last
 * whole vector is read with mt_r_u32/u24/u16/u8. Everything is re-encoded
 * with mt_w_open / mt_w_close / mt_w_u* / mt_w_bytes, and the output must
 * equal the input byte for byte; any difference aborts.
 */
#include "fuzz_common.h"

/* 1 if r holds exactly a sequence of vectors. */
static int is_sequence(mt_reader r, int lb)
{
    mt_reader sub;
    while (mt_r_left(&r) > 0)
        if (mt_r_vec(&r, lb, 0, 0xffffff, &sub) != 0)
            return 0;
    return mt_r_done(&r) == 0;
}

/* Re-encode the vectors of r into b; returns the bytes consumed. */
static size_t encode_vectors(mt_reader *r, int lb, int depth, mt_buf *b)
{
    size_t consumed = 0;
    for (;;) {
        mt_reader save = *r, sub;
        size_t before = r->off;
        if (mt_r_left(r) == 0)
            break;
        if (mt_r_vec(r, lb, 0, 0xffffff, &sub) != 0) {
            if (!r->err || mt_r_left(r) != 0)
                abort(); /* a failed read is sticky and empties the reader */
            *r = save;
            break;
        }
        if (r->off - before != (size_t)lb + sub.len)
            abort();
        size_t off = mt_w_open(b, lb);
        if (depth > 0 && sub.len > 0 && is_sequence(sub, lb)) {
            if (encode_vectors(&sub, lb, depth - 1, b) != sub.len)
                abort();
        } else {
            const uint8_t *p;
            if (mt_r_bytes(&sub, sub.len, &p) != 0)
                abort();
            (void)mt_w_bytes(b, p, sub.len);
        }
        if (mt_r_done(&sub) != 0 || mt_w_close(b, off, lb) != 0)
            abort();
        consumed = r->off;
    }
    return consumed;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const int prefix[4] = {2, 1, 2, 3};
    mt_reader r;
    mt_buf b;
    size_t consumed;
    int lb, depth;

    if (size < 1)
        return 0;
    lb = prefix[data[0] & 3];
    depth = (data[0] >> 2) & 3;
    r = mt_reader_init(data + 1, size - 1);
    mt_buf_init(&b);

    consumed = encode_vectors(&r, lb, depth, &b);
    if (b.err || b.len != consumed || (consumed > 0 && memcmp(b.data, data + 1, consumed) != 0))
        abort();

    /* The tail, with the fixed-size readers and writers. */
    while (mt_r_left(&r) > 0) {
        uint32_t v;
        uint16_t v16;
        uint8_t v8;
        size_t left = mt_r_left(&r);
        if (left >= 4) {
            if (mt_r_u32(&r, &v) != 0 || mt_w_u32(&b, v) != 0)
                abort();
        } else if (left == 3) {
            if (mt_r_u24(&r, &v) != 0 || mt_w_u24(&b, v) != 0)
                abort();
        } else if (left == 2) {
            if (mt_r_u16(&r, &v16) != 0 || mt_w_u16(&b, v16) != 0)
                abort();
        } else {
            if (mt_r_u8(&r, &v8) != 0 || mt_w_u8(&b, v8) != 0)
                abort();
        }
    }
    if (mt_r_done(&r) != 0 || b.len != size - 1 ||
        (b.len > 0 && memcmp(b.data, data + 1, b.len) != 0))
        abort();
    /* Reading past the end fails, sticks, and reads nothing. */
    {
        uint8_t v8;
        mt_reader sub;
        if (mt_r_u8(&r, &v8) == 0 || !r.err || mt_r_left(&r) != 0 || mt_r_done(&r) == 0 ||
            mt_r_vec(&r, lb, 0, 0, &sub) == 0)
            abort();
    }
    /* consume: dropping a prefix keeps the rest. */
    if (b.len > 0) {
        size_t drop = data[0] % (b.len + 1);
        mt_buf_consume(&b, drop);
        if (b.len != size - 1 - drop || (b.len > 0 && memcmp(b.data, data + 1 + drop, b.len) != 0))
            abort();
    }
    mt_buf_free(&b);
    return 0;
}

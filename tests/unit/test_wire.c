/*
 * The wire codec (src/base/wire.h): the bounds-checked reader with its
 * sticky error and length-prefixed sub-readers, and the growable writer
 * with back-patched length prefixes.
 */
#include <stdlib.h>
#include <string.h>

#include "base/wire.h"
#include "testlib.h"

static void test_integers(void)
{
    static const uint8_t in[] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
                                 0x09, 0x0a, 0xff, 0xfe, 0xfd, 0xfc};
    mt_reader r = mt_reader_init(in, sizeof(in));
    uint8_t u8 = 0;
    uint16_t u16 = 0;
    uint32_t u24 = 0, u32 = 0;

    CHECK(mt_r_left(&r) == sizeof(in));
    CHECK(mt_r_u8(&r, &u8) == 0 && u8 == 0x01);
    CHECK(mt_r_u16(&r, &u16) == 0 && u16 == 0x0203);
    CHECK(mt_r_u24(&r, &u24) == 0 && u24 == 0x040506);
    CHECK(mt_r_u32(&r, &u32) == 0 && u32 == 0x0708090aU);
    CHECK(mt_r_u32(&r, &u32) == 0 && u32 == 0xfffefdfcU); /* no sign extension */
    CHECK(mt_r_left(&r) == 0 && r.off == sizeof(in) && !r.err);
    CHECK(mt_r_done(&r) == 0);

    /* Each width, one byte short: fails, sets the error, leaves the output. */
    for (size_t width = 1; width <= 4; width++) {
        for (size_t have = 0; have < width; have++) {
            mt_reader s = mt_reader_init(in, have);
            uint8_t v8 = 0xaa;
            uint16_t v16 = 0xaaaa;
            uint32_t v32 = 0xaaaaaaaa;
            int ret = width == 1   ? mt_r_u8(&s, &v8)
                      : width == 2 ? mt_r_u16(&s, &v16)
                      : width == 3 ? mt_r_u24(&s, &v32)
                                   : mt_r_u32(&s, &v32);
            CHECK(ret == -1);
            CHECK(s.err == 1);
            CHECK(s.off == 0); /* nothing consumed */
            CHECK(v8 == 0xaa && v16 == 0xaaaa && v32 == 0xaaaaaaaa);
            CHECK(mt_r_left(&s) == 0);
            CHECK(mt_r_done(&s) == -1);
        }
    }

    /* Writers, each width, big-endian. */
    {
        mt_buf b;
        static const uint8_t want[] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06,
                                       0x07, 0x08, 0x09, 0x0a};
        mt_buf_init(&b);
        CHECK(mt_w_u8(&b, 0x01) == 0);
        CHECK(mt_w_u16(&b, 0x0203) == 0);
        CHECK(mt_w_u24(&b, 0x040506) == 0);
        CHECK(mt_w_u32(&b, 0x0708090a) == 0);
        CHECK(b.len == sizeof(want));
        CHECK_MEM(b.data, want, sizeof(want));
        CHECK(mt_w_u24(&b, 0xff123456) == 0); /* only the low 24 bits */
        CHECK(b.len == 13 && b.data[10] == 0x12 && b.data[11] == 0x34 && b.data[12] == 0x56);
        mt_buf_free(&b);
        CHECK(b.data == NULL && b.len == 0 && b.cap == 0);
    }
}

static void test_bytes(void)
{
    static const uint8_t in[] = {'a', 'b', 'c', 'd', 'e'};
    mt_reader r = mt_reader_init(in, sizeof(in));
    const uint8_t *p = NULL;
    uint8_t out[8];

    CHECK(mt_r_bytes(&r, 2, &p) == 0 && p == in && r.off == 2);
    CHECK(mt_r_bytes(&r, 0, &p) == 0 && p == in + 2 && r.off == 2);
    CHECK(mt_r_copy(&r, out, 3) == 0 && memcmp(out, "cde", 3) == 0);
    CHECK(mt_r_done(&r) == 0);
    CHECK(mt_r_bytes(&r, 1, &p) == -1 && r.err);

    r = mt_reader_init(in, sizeof(in));
    memset(out, 0x55, sizeof(out));
    CHECK(mt_r_copy(&r, out, 6) == -1 && r.err);
    CHECK(out[0] == 0x55); /* nothing copied on failure */
    /* A huge length does not wrap the bounds check. */
    r = mt_reader_init(in, sizeof(in));
    CHECK(mt_r_bytes(&r, (size_t)-1, &p) == -1 && r.err);
    r = mt_reader_init(in, sizeof(in));
    CHECK(mt_r_u8(&r, out) == 0);
    CHECK(mt_r_bytes(&r, (size_t)-1 - 0, &p) == -1 && r.err && r.off == 1);
    /* An empty reader. */
    r = mt_reader_init(NULL, 0);
    CHECK(mt_r_left(&r) == 0 && mt_r_done(&r) == 0);
    CHECK(mt_r_u8(&r, out) == -1 && mt_r_done(&r) == -1);
}

static void test_vectors(void)
{
    /* 1-, 2- and 3-byte length prefixes */
    static const uint8_t v1[] = {0x03, 'a', 'b', 'c', 0x77};
    static const uint8_t v2[] = {0x00, 0x02, 'x', 'y'};
    static const uint8_t v3[] = {0x00, 0x00, 0x01, 'z', 0x00, 0x00, 0x00};
    mt_reader r, sub;
    uint8_t u8;

    r = mt_reader_init(v1, sizeof(v1));
    CHECK(mt_r_vec(&r, 1, 0, 255, &sub) == 0);
    CHECK(sub.len == 3 && sub.off == 0 && memcmp(sub.p, "abc", 3) == 0 && !sub.err);
    CHECK(r.off == 4 && mt_r_left(&r) == 1);
    CHECK(mt_r_done(&r) == -1); /* one byte left */
    CHECK(mt_r_u8(&r, &u8) == 0 && u8 == 0x77 && mt_r_done(&r) == 0);
    /* the sub-reader is bounded: it cannot read the parent's next byte */
    CHECK(mt_r_copy(&sub, (uint8_t[3]){0}, 3) == 0);
    CHECK(mt_r_u8(&sub, &u8) == -1 && sub.err);
    CHECK(!r.err); /* the parent is not affected */

    r = mt_reader_init(v2, sizeof(v2));
    CHECK(mt_r_vec(&r, 2, 2, 2, &sub) == 0 && sub.len == 2 && sub.p[0] == 'x');
    CHECK(mt_r_done(&r) == 0);

    r = mt_reader_init(v3, sizeof(v3));
    CHECK(mt_r_vec(&r, 3, 1, 0xffffff, &sub) == 0 && sub.len == 1 && sub.p[0] == 'z');
    CHECK(mt_r_vec(&r, 3, 0, 0, &sub) == 0 && sub.len == 0); /* an empty vector */
    CHECK(mt_r_done(&r) == 0 && mt_r_done(&sub) == 0);

    /* Bounds: below min, above max, longer than the data. */
    r = mt_reader_init(v1, sizeof(v1));
    CHECK(mt_r_vec(&r, 1, 4, 255, &sub) == -1 && r.err);
    r = mt_reader_init(v1, sizeof(v1));
    CHECK(mt_r_vec(&r, 1, 0, 2, &sub) == -1 && r.err);
    r = mt_reader_init(v1, sizeof(v1));
    CHECK(mt_r_vec(&r, 1, 3, 3, &sub) == 0); /* exactly min = max */
    r = mt_reader_init(v1, 3);                /* claims 3, has 2 */
    CHECK(mt_r_vec(&r, 1, 0, 255, &sub) == -1 && r.err);
    r = mt_reader_init(v2, 1); /* the prefix itself is cut */
    CHECK(mt_r_vec(&r, 2, 0, 0xffff, &sub) == -1 && r.err);
    r = mt_reader_init(v3, 2);
    CHECK(mt_r_vec(&r, 3, 0, 0xffffff, &sub) == -1 && r.err);
    /* An unsupported prefix width is an error, not a crash. */
    r = mt_reader_init(v3, sizeof(v3));
    CHECK(mt_r_vec(&r, 0, 0, 10, &sub) == -1 && r.err);
    r = mt_reader_init(v3, sizeof(v3));
    CHECK(mt_r_vec(&r, 4, 0, 10, &sub) == -1 && r.err);

    /* Nested vectors: a 2-byte list of 1-byte strings. */
    {
        static const uint8_t list[] = {0x00, 0x06, 0x02, 'h', '2', 0x02, 'h', '3', 0xee};
        mt_reader outer = mt_reader_init(list, sizeof(list)), l, name;
        size_t count = 0;
        CHECK(mt_r_vec(&outer, 2, 1, 0xffff, &l) == 0);
        while (mt_r_left(&l) > 0 && mt_r_vec(&l, 1, 1, 255, &name) == 0) {
            CHECK(name.len == 2 && name.p[0] == 'h');
            count++;
        }
        CHECK(count == 2 && mt_r_done(&l) == 0);
        CHECK(mt_r_left(&outer) == 1 && mt_r_done(&outer) == -1);
    }
}

static void test_sticky_error(void)
{
    static const uint8_t in[] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06};
    mt_reader r = mt_reader_init(in, sizeof(in)), sub;
    uint8_t u8 = 0;
    uint16_t u16 = 0;
    uint32_t u32 = 0;
    const uint8_t *p;

    CHECK(mt_r_u8(&r, &u8) == 0);
    CHECK(mt_r_u32(&r, &u32) == 0); /* 5 of 6 bytes read */
    CHECK(mt_r_u16(&r, &u16) == -1); /* short: error */
    CHECK(r.err == 1);
    /* Bytes remain, but every later read fails and consumes nothing. */
    CHECK(r.off == 5);
    CHECK(mt_r_left(&r) == 0);
    CHECK(mt_r_u8(&r, &u8) == -1 && u8 == 0x01);
    CHECK(mt_r_bytes(&r, 1, &p) == -1);
    CHECK(mt_r_vec(&r, 1, 0, 255, &sub) == -1);
    CHECK(r.off == 5 && r.err == 1);
    CHECK(mt_r_done(&r) == -1);

    /* A sequence of reads checked once at the end. */
    r = mt_reader_init(in, 3);
    (void)mt_r_u16(&r, &u16);
    (void)mt_r_u16(&r, &u16); /* fails */
    (void)mt_r_u8(&r, &u8);   /* would succeed on its own; the error sticks */
    CHECK(mt_r_done(&r) == -1 && r.off == 2);

    /* A bounds violation of a vector is sticky too. */
    r = mt_reader_init(in, sizeof(in));
    CHECK(mt_r_vec(&r, 1, 2, 255, &sub) == -1); /* length 1 < min 2 */
    CHECK(mt_r_u8(&r, &u8) == -1 && mt_r_done(&r) == -1);

    /* done: error-free and fully consumed, both required. */
    r = mt_reader_init(in, 2);
    CHECK(mt_r_done(&r) == -1);
    CHECK(mt_r_u16(&r, &u16) == 0 && mt_r_done(&r) == 0);
}

static void test_writer_vectors(void)
{
    mt_buf b;
    size_t outer, mid, inner;

    /* Nested back-patched vectors: 3-byte { 2-byte { 1-byte { "abc" } "d" } }. */
    mt_buf_init(&b);
    CHECK(mt_w_u8(&b, 0xee) == 0);
    outer = mt_w_open(&b, 3);
    CHECK(outer == 1);
    mid = mt_w_open(&b, 2);
    CHECK(mid == 4);
    inner = mt_w_open(&b, 1);
    CHECK(inner == 6);
    CHECK(mt_w_bytes(&b, "abc", 3) == 0);
    CHECK(mt_w_close(&b, inner, 1) == 0);
    CHECK(mt_w_bytes(&b, "d", 1) == 0);
    CHECK(mt_w_close(&b, mid, 2) == 0);
    CHECK(mt_w_close(&b, outer, 3) == 0);
    {
        static const uint8_t want[] = {0xee, 0x00, 0x00, 0x07, 0x00, 0x05, 0x03,
                                       'a',  'b',  'c',  'd'};
        CHECK(b.len == sizeof(want) && !b.err);
        CHECK_MEM(b.data, want, sizeof(want));
        /* ... and it reads back */
        mt_reader r = mt_reader_init(b.data + 1, b.len - 1), l3, l2, l1;
        CHECK(mt_r_vec(&r, 3, 0, 0xffffff, &l3) == 0 && mt_r_done(&r) == 0);
        CHECK(mt_r_vec(&l3, 2, 0, 0xffff, &l2) == 0 && mt_r_done(&l3) == 0);
        CHECK(mt_r_vec(&l2, 1, 0, 255, &l1) == 0 && l1.len == 3);
    }

    /* Empty vectors. */
    mt_buf_reset(&b);
    CHECK(b.len == 0 && b.cap > 0);
    outer = mt_w_open(&b, 2);
    CHECK(mt_w_close(&b, outer, 2) == 0 && b.len == 2 && b.data[0] == 0 && b.data[1] == 0);

    /* The largest 1-byte vector: 255 bytes fit, 256 do not. */
    {
        uint8_t big[256];
        memset(big, 'x', sizeof(big));
        mt_buf_reset(&b);
        inner = mt_w_open(&b, 1);
        CHECK(mt_w_bytes(&b, big, 255) == 0);
        CHECK(mt_w_close(&b, inner, 1) == 0 && b.data[0] == 0xff && !b.err);

        mt_buf_reset(&b);
        inner = mt_w_open(&b, 1);
        CHECK(mt_w_bytes(&b, big, 256) == 0);
        CHECK(mt_w_close(&b, inner, 1) == -1); /* overflow of a 1-byte length */
        CHECK(b.err == 1);
        /* the error sticks: later writes fail */
        CHECK(mt_w_u8(&b, 1) == -1);
        CHECK(mt_w_open(&b, 2) == (size_t)-1);
        CHECK(mt_w_close(&b, 0, 1) == -1);
        /* reset clears it */
        mt_buf_reset(&b);
        CHECK(b.err == 0 && mt_w_u8(&b, 1) == 0);
    }
    /* 2-byte: 65535 fit, 65536 do not. */
    {
        uint8_t *big = calloc(1, 65536);
        CHECK(big != NULL);
        mt_buf_reset(&b);
        mid = mt_w_open(&b, 2);
        CHECK(mt_w_bytes(&b, big, 65535) == 0 && mt_w_close(&b, mid, 2) == 0);
        CHECK(b.data[0] == 0xff && b.data[1] == 0xff);
        mt_buf_reset(&b);
        mid = mt_w_open(&b, 2);
        CHECK(mt_w_bytes(&b, big, 65536) == 0 && mt_w_close(&b, mid, 2) == -1 && b.err);
        free(big);
    }
    /* An inner overflow poisons the outer vectors. */
    {
        uint8_t big[300] = {0};
        mt_buf_reset(&b);
        outer = mt_w_open(&b, 2);
        inner = mt_w_open(&b, 1);
        CHECK(mt_w_bytes(&b, big, sizeof(big)) == 0);
        CHECK(mt_w_close(&b, inner, 1) == -1);
        CHECK(mt_w_close(&b, outer, 2) == -1);
    }
    /* Bad arguments. */
    mt_buf_reset(&b);
    CHECK(mt_w_open(&b, 0) == (size_t)-1 && b.err);
    mt_buf_reset(&b);
    CHECK(mt_w_open(&b, 4) == (size_t)-1 && b.err);
    mt_buf_reset(&b);
    CHECK(mt_w_close(&b, (size_t)-1, 2) == -1 && b.err); /* a failed open */
    mt_buf_reset(&b);
    CHECK(mt_w_u8(&b, 0) == 0);
    CHECK(mt_w_close(&b, 0, 2) == -1 && b.err); /* prefix beyond the data */
    mt_buf_free(&b);
}

static void test_buffer(void)
{
    mt_buf b;
    mt_buf_init(&b);
    CHECK(b.data == NULL && b.len == 0 && b.cap == 0 && b.err == 0);
    /* Growth keeps the contents. */
    {
        int fails = 0;
        for (int i = 0; i < 10000; i++)
            fails += mt_w_u8(&b, (uint8_t)i) != 0;
        CHECK(fails == 0);
    }
    CHECK(b.len == 10000 && b.cap >= 10000);
    {
        int ok = 1;
        for (int i = 0; i < 10000; i++)
            ok &= b.data[i] == (uint8_t)i;
        CHECK(ok);
    }
    /* consume */
    mt_buf_consume(&b, 9990);
    CHECK(b.len == 10 && b.data[0] == (uint8_t)9990);
    mt_buf_consume(&b, 100);
    CHECK(b.len == 0);
    /* reserve guards against size overflow */
    CHECK(mt_buf_reserve(&b, (size_t)-1) == -1 && b.err);
    mt_buf_reset(&b);
    CHECK(mt_buf_reserve(&b, 16) == 0 && b.cap >= 16 && b.len == 0);
    CHECK(mt_w_bytes(&b, NULL, 0) == 0 && b.len == 0);
    /* reset wipes the old contents */
    CHECK(mt_w_bytes(&b, "secret", 6) == 0);
    mt_buf_reset(&b);
    CHECK(b.len == 0 && memcmp(b.data, "\0\0\0\0\0\0", 6) == 0);
    mt_buf_free(&b);
    mt_buf_free(&b); /* twice is harmless */
}

int main(void)
{
    test_integers();
    test_bytes();
    test_vectors();
    test_sticky_error();
    test_writer_vectors();
    test_buffer();
    TEST_MAIN_END();
}

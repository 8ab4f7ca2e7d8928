/*
 * Private to src/session/: the small helpers the tables share.
 */
#ifndef MT_SESSION_INTERNAL_H
#define MT_SESSION_INTERNAL_H

#include <stdint.h>
#include <string.h>

/* 1 when more than limit seconds separate then from now (then < now).
 * Exact over the whole int64 range: the difference is taken unsigned. */
static inline int mt_sess_older_than(int64_t now, int64_t then, uint64_t limit)
{
    return now > then && (uint64_t)now - (uint64_t)then > limit;
}

/* a + b, saturating at INT64_MAX (b >= 0). */
static inline int64_t mt_sess_add_sat(int64_t a, uint64_t b)
{
    if (b > (uint64_t)INT64_MAX || a > INT64_MAX - (int64_t)b)
        return INT64_MAX;
    return a + (int64_t)b;
}

/* Seeded hash of a 32-byte key for the hash tables. The keys are random
 * session IDs or digests, so mixing the four words with a per-table secret
 * seed is enough to keep bucket placement unpredictable. */
static inline uint64_t mt_sess_hash32(uint64_t seed, const uint8_t key[32])
{
    uint64_t h = seed ^ 0x9e3779b97f4a7c15u;
    for (int i = 0; i < 4; i++) {
        uint64_t w;
        memcpy(&w, key + 8 * i, 8);
        h ^= w;
        h *= 0xbf58476d1ce4e5b9u;
        h ^= h >> 31;
    }
    h *= 0x94d049bb133111ebu;
    return h ^ (h >> 29);
}

/* Number of buckets for n entries: a power of two >= n, at most 2^20. */
static inline size_t mt_sess_buckets(size_t n)
{
    size_t b = 16;
    while (b < n && b < ((size_t)1 << 20))
        b <<= 1;
    return b;
}

#endif

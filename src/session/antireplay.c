/*
 * Anti-replay for 0-RTT (RFC 8446 section 8.2): a single-use record of the
 * tickets early data was accepted under, kept for the freshness window.
 *
 * Entries live in a ring in the order they were recorded, with a chained
 * hash index over it. Recorded times never decrease (an entry takes the
 * later of now and the newest recorded time, so a thread with a slightly
 * older clock reading keeps its entry a little longer, never shorter);
 * the ring is therefore sorted by time, and forgetting what is older than
 * the window is popping from its head: O(1) amortised, done lazily on each
 * call. When the ring is full of entries still inside the window the
 * answer is 0: early data is refused (the client falls back to 1-RTT),
 * nothing is forgotten early.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "session/internal.h"
#include "session/session.h"

#define NIL ((size_t)-1)

typedef struct slot {
    uint8_t key[32];
    int64_t seen;
    size_t chain; /* next slot in the bucket, or NIL */
} slot;

struct mt_antireplay {
    pthread_mutex_t mu;
    slot *ring;
    size_t max, head, count; /* live slots: head .. head + count - 1 (mod max) */
    size_t *buckets, mask;
    uint32_t window;
    int64_t newest;
    uint64_t seed;
};

mt_antireplay *mt_antireplay_new(size_t max_entries, uint32_t window_seconds)
{
    mt_antireplay *a;
    size_t nb;

    if (max_entries == 0 || max_entries > SIZE_MAX / sizeof(slot))
        return NULL;
    a = calloc(1, sizeof(*a));
    if (a == NULL)
        return NULL;
    nb = mt_sess_buckets(max_entries);
    a->ring = calloc(max_entries, sizeof(slot));
    a->buckets = malloc(nb * sizeof(size_t));
    if (a->ring == NULL || a->buckets == NULL || pthread_mutex_init(&a->mu, NULL) != 0) {
        free(a->ring);
        free(a->buckets);
        free(a);
        return NULL;
    }
    for (size_t i = 0; i < nb; i++)
        a->buckets[i] = NIL;
    if (mt_random(NULL, (uint8_t *)&a->seed, sizeof(a->seed)) != 0)
        a->seed = (uint64_t)(uintptr_t)a;
    a->mask = nb - 1;
    a->max = max_entries;
    a->window = window_seconds;
    a->newest = INT64_MIN;
    return a;
}

void mt_antireplay_free(mt_antireplay *a)
{
    if (a == NULL)
        return;
    free(a->ring);
    free(a->buckets);
    pthread_mutex_destroy(&a->mu);
    free(a);
}

static size_t *bucket_of(mt_antireplay *a, const uint8_t key[32])
{
    return &a->buckets[mt_sess_hash32(a->seed, key) & a->mask];
}

/* Forget the oldest entry (the ring's head). */
static void pop_head(mt_antireplay *a)
{
    size_t i = a->head, *link = bucket_of(a, a->ring[i].key);

    while (*link != i)
        link = &a->ring[*link].chain;
    *link = a->ring[i].chain;
    a->head = (a->head + 1) % a->max;
    a->count--;
}

int mt_antireplay_first_use(mt_antireplay *a, const uint8_t key[32], int64_t now)
{
    size_t *b, i;
    int ret = 0;

    pthread_mutex_lock(&a->mu);
    while (a->count > 0 && mt_sess_older_than(now, a->ring[a->head].seen, a->window))
        pop_head(a);
    b = bucket_of(a, key);
    for (i = *b; i != NIL; i = a->ring[i].chain)
        if (memcmp(a->ring[i].key, key, 32) == 0)
            goto Exit; /* seen within the window: a replay */
    if (a->count == a->max)
        goto Exit; /* full of fresh entries: refuse rather than forget */
    i = (a->head + a->count) % a->max;
    memcpy(a->ring[i].key, key, 32);
    if (now > a->newest)
        a->newest = now;
    a->ring[i].seen = a->newest;
    a->ring[i].chain = *b;
    *b = i;
    a->count++;
    ret = 1;
Exit:
    pthread_mutex_unlock(&a->mu);
    return ret;
}

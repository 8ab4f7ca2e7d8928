/*
 * The TLS 1.2 session cache: session ID -> encoded session state.
 *
 * A chained hash table (seeded hash, power-of-two buckets sized for
 * max_entries) for lookup and a doubly linked list in recency order
 * (head = most recently used) for eviction; every operation is O(1)
 * expected. One mutex covers both. Values are copied in and out, and wiped
 * when an entry is replaced, removed, evicted or freed.
 *
 * An entry more than timeout seconds old (or, after the clock went back,
 * from the future) counts as absent and is removed when met.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "session/internal.h"
#include "session/session.h"

typedef struct entry {
    uint8_t id[32];
    int64_t added;
    uint8_t *val;
    size_t len;
    struct entry *chain;      /* next in the bucket */
    struct entry *prev, *next; /* recency list */
} entry;

struct mt_session_cache {
    pthread_mutex_t mu;
    entry **buckets;
    size_t mask;
    size_t count, max;
    uint32_t timeout;
    uint64_t seed;
    entry *head, *tail;
};

mt_session_cache *mt_session_cache_new(size_t max_entries, uint32_t timeout)
{
    mt_session_cache *c;
    size_t nb;

    if (max_entries == 0)
        return NULL;
    c = calloc(1, sizeof(*c));
    if (c == NULL)
        return NULL;
    nb = mt_sess_buckets(max_entries);
    c->buckets = calloc(nb, sizeof(c->buckets[0]));
    if (c->buckets == NULL || pthread_mutex_init(&c->mu, NULL) != 0) {
        free(c->buckets);
        free(c);
        return NULL;
    }
    if (mt_random(NULL, (uint8_t *)&c->seed, sizeof(c->seed)) != 0)
        c->seed = (uint64_t)(uintptr_t)c; /* still works, less unpredictable */
    c->mask = nb - 1;
    c->max = max_entries;
    c->timeout = timeout;
    return c;
}

static entry **slot_of(mt_session_cache *c, const uint8_t id[32])
{
    return &c->buckets[mt_sess_hash32(c->seed, id) & c->mask];
}

/* The link pointing at the entry with this id (or at the bucket's end). */
static entry **find_link(mt_session_cache *c, const uint8_t id[32])
{
    entry **link = slot_of(c, id);
    while (*link != NULL && memcmp((*link)->id, id, 32) != 0)
        link = &(*link)->chain;
    return link;
}

static void list_unlink(mt_session_cache *c, entry *en)
{
    if (en->prev != NULL)
        en->prev->next = en->next;
    else
        c->head = en->next;
    if (en->next != NULL)
        en->next->prev = en->prev;
    else
        c->tail = en->prev;
    en->prev = en->next = NULL;
}

static void list_push_front(mt_session_cache *c, entry *en)
{
    en->prev = NULL;
    en->next = c->head;
    if (c->head != NULL)
        c->head->prev = en;
    else
        c->tail = en;
    c->head = en;
}

static void free_value(entry *en)
{
    if (en->val != NULL) {
        mt_wipe(en->val, en->len);
        free(en->val);
    }
    en->val = NULL;
    en->len = 0;
}

/* Remove the entry *link points at. */
static void remove_at(mt_session_cache *c, entry **link)
{
    entry *en = *link;
    *link = en->chain;
    list_unlink(c, en);
    free_value(en);
    mt_wipe(en, sizeof(*en));
    free(en);
    c->count--;
}

static int expired(const mt_session_cache *c, const entry *en, int64_t now)
{
    return now < en->added || mt_sess_older_than(now, en->added, c->timeout);
}

void mt_session_cache_free(mt_session_cache *c)
{
    if (c == NULL)
        return;
    while (c->head != NULL)
        remove_at(c, find_link(c, c->head->id));
    free(c->buckets);
    pthread_mutex_destroy(&c->mu);
    free(c);
}

int mt_session_cache_put(mt_session_cache *c, const uint8_t id[32], const uint8_t *state,
                         size_t len, int64_t now)
{
    uint8_t *val;
    entry **link, *en;

    if (len > 0 && state == NULL)
        return -1;
    /* Copy outside the lock. */
    val = malloc(len > 0 ? len : 1);
    if (val == NULL)
        return -1;
    if (len > 0)
        memcpy(val, state, len);

    pthread_mutex_lock(&c->mu);
    link = find_link(c, id);
    if (*link != NULL) {
        en = *link;
        free_value(en);
        list_unlink(c, en);
    } else {
        en = calloc(1, sizeof(*en));
        if (en == NULL) {
            pthread_mutex_unlock(&c->mu);
            mt_wipe(val, len);
            free(val);
            return -1;
        }
        if (c->count == c->max)
            remove_at(c, find_link(c, c->tail->id)); /* least recently used */
        memcpy(en->id, id, 32);
        link = slot_of(c, id);
        en->chain = *link;
        *link = en;
        c->count++;
    }
    en->val = val;
    en->len = len;
    en->added = now;
    list_push_front(c, en);
    pthread_mutex_unlock(&c->mu);
    return 0;
}

int mt_session_cache_get(mt_session_cache *c, const uint8_t id[32], int64_t now, mt_buf *state)
{
    entry **link, *en;
    int ret = -1;

    pthread_mutex_lock(&c->mu);
    link = find_link(c, id);
    en = *link;
    if (en != NULL) {
        if (expired(c, en, now)) {
            remove_at(c, link);
        } else if (mt_w_bytes(state, en->val, en->len) == 0) {
            list_unlink(c, en);
            list_push_front(c, en);
            ret = 0;
        }
    }
    pthread_mutex_unlock(&c->mu);
    return ret;
}

void mt_session_cache_remove(mt_session_cache *c, const uint8_t id[32])
{
    entry **link;

    pthread_mutex_lock(&c->mu);
    link = find_link(c, id);
    if (*link != NULL)
        remove_at(c, link);
    pthread_mutex_unlock(&c->mu);
}

size_t mt_session_cache_count(mt_session_cache *c)
{
    size_t n;

    pthread_mutex_lock(&c->mu);
    n = c->count;
    pthread_mutex_unlock(&c->mu);
    return n;
}

/*
 * Ticket keys: AES-256-GCM under rotating keys.
 *
 *   ticket = key id (16) || nonce (12) || ciphertext || tag (16)
 *
 * The nonce is random (the rng hook), the additional data is the key id.
 * Each key holds its two cipher contexts (mt_aead is one direction), keyed
 * once when the key is added, so sealing and opening allocate nothing but
 * the output; the raw key bytes are wiped as soon as the contexts exist.
 * The contexts are stateful, so one mutex covers every operation.
 *
 * Automatic mode (the default): the first key is made at the first seal; a
 * new one when the newest valid key is rotate_every seconds old; each key
 * is valid for rotate_every + ticket_lifetime seconds from its creation.
 * File mode (mt_ticket_keys_load_file): the keys come from a file shared
 * by several servers (docs/resumption.md), nothing is generated.
 *
 * In both modes the valid key with the latest valid-from seals; a ticket
 * opens only under a key with its id that is valid now
 * (valid_from <= now <= valid_until); expired keys are dropped (and their
 * contexts wiped) whenever the set is used.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "session/internal.h"
#include "session/session.h"

#define KEY_ID_LEN 16
#define KEY_LEN 32
#define MAX_KEYS 64
#define MAX_FILE (1024 * 1024)
#define OVERHEAD (KEY_ID_LEN + MT_AEAD_NONCE_LEN + MT_AEAD_TAG_LEN)

typedef struct tk_key {
    uint8_t id[KEY_ID_LEN];
    int64_t valid_from, valid_until;
    mt_aead *seal, *open;
} tk_key;

struct mt_ticket_keys {
    pthread_mutex_t mu;
    const mt_crypto *cx;
    mt_rng rng;
    uint32_t rotate_every, ticket_lifetime;
    int automatic;
    tk_key *keys[MAX_KEYS];
    size_t n;
};

static void key_free(tk_key *key)
{
    if (key == NULL)
        return;
    mt_aead_free(key->seal);
    mt_aead_free(key->open);
    mt_wipe(key, sizeof(*key));
    free(key);
}

/* A key with its contexts; the caller wipes raw. */
static tk_key *key_new(const mt_crypto *cx, const uint8_t id[KEY_ID_LEN], const uint8_t raw[KEY_LEN],
                       int64_t valid_from, int64_t valid_until)
{
    tk_key *key = calloc(1, sizeof(*key));

    if (key == NULL)
        return NULL;
    memcpy(key->id, id, KEY_ID_LEN);
    key->valid_from = valid_from;
    key->valid_until = valid_until;
    key->seal = mt_aead_new(cx, MT_AES_256_GCM, 1, raw);
    key->open = mt_aead_new(cx, MT_AES_256_GCM, 0, raw);
    if (key->seal == NULL || key->open == NULL) {
        key_free(key);
        return NULL;
    }
    return key;
}

static int key_valid_at(const tk_key *key, int64_t now)
{
    return key->valid_from <= now && now <= key->valid_until;
}

static void free_all(tk_key **keys, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        key_free(keys[i]);
        keys[i] = NULL;
    }
}

/* Drop key i, keeping the order of the others. */
static void drop_key(mt_ticket_keys *k, size_t i)
{
    key_free(k->keys[i]);
    memmove(&k->keys[i], &k->keys[i + 1], (k->n - i - 1) * sizeof(k->keys[0]));
    k->keys[--k->n] = NULL;
}

static void drop_expired(mt_ticket_keys *k, int64_t now)
{
    size_t i = 0;
    while (i < k->n) {
        if (k->keys[i]->valid_until < now)
            drop_key(k, i);
        else
            i++;
    }
}

static tk_key *find_id(mt_ticket_keys *k, const uint8_t *id)
{
    for (size_t i = 0; i < k->n; i++)
        if (memcmp(k->keys[i]->id, id, KEY_ID_LEN) == 0)
            return k->keys[i];
    return NULL;
}

/* The valid key with the latest valid-from, or NULL. */
static tk_key *sealing_key(mt_ticket_keys *k, int64_t now)
{
    tk_key *best = NULL;
    for (size_t i = 0; i < k->n; i++) {
        tk_key *key = k->keys[i];
        if (key_valid_at(key, now) && (best == NULL || key->valid_from > best->valid_from))
            best = key;
    }
    return best;
}

/* Automatic mode: a fresh random key valid from now. When the set is full
 * the key that expires first goes (its tickets fall back to a full
 * handshake). */
static tk_key *add_random_key(mt_ticket_keys *k, int64_t now)
{
    uint8_t id[KEY_ID_LEN], raw[KEY_LEN];
    tk_key *key = NULL;
    int tries;

    /* A fresh id (a fixed test rng could repeat one). */
    for (tries = 0; tries < 8; tries++) {
        if (mt_random(&k->rng, id, sizeof(id)) != 0)
            goto Exit;
        if (find_id(k, id) == NULL)
            break;
    }
    if (tries == 8 || mt_random(&k->rng, raw, sizeof(raw)) != 0)
        goto Exit;
    key = key_new(k->cx, id, raw, now,
                  mt_sess_add_sat(now, (uint64_t)k->rotate_every + k->ticket_lifetime));
    if (key == NULL)
        goto Exit;
    if (k->n == MAX_KEYS) {
        size_t first = 0;
        for (size_t i = 1; i < k->n; i++)
            if (k->keys[i]->valid_until < k->keys[first]->valid_until)
                first = i;
        drop_key(k, first);
    }
    k->keys[k->n++] = key;
Exit:
    mt_wipe(raw, sizeof(raw));
    return key;
}

mt_ticket_keys *mt_ticket_keys_new(const mt_crypto *cx, const mt_rng *rng, uint32_t rotate_every,
                                   uint32_t ticket_lifetime)
{
    mt_ticket_keys *k;

    if (cx == NULL || rotate_every == 0)
        return NULL;
    k = calloc(1, sizeof(*k));
    if (k == NULL)
        return NULL;
    if (pthread_mutex_init(&k->mu, NULL) != 0) {
        free(k);
        return NULL;
    }
    k->cx = cx;
    if (rng != NULL)
        k->rng = *rng;
    k->rotate_every = rotate_every;
    k->ticket_lifetime = ticket_lifetime;
    k->automatic = 1;
    return k;
}

void mt_ticket_keys_free(mt_ticket_keys *k)
{
    if (k == NULL)
        return;
    free_all(k->keys, k->n);
    pthread_mutex_destroy(&k->mu);
    mt_wipe(k, sizeof(*k));
    free(k);
}

int mt_ticket_seal(mt_ticket_keys *k, int64_t now, const uint8_t *state, size_t len,
                   mt_buf *ticket)
{
    size_t start = ticket->len;
    uint8_t nonce[MT_AEAD_NONCE_LEN];
    tk_key *key;
    int ret = -1;

    if ((len > 0 && state == NULL) || len > SIZE_MAX / 2 ||
        mt_buf_reserve(ticket, len + OVERHEAD) != 0)
        return -1;
    pthread_mutex_lock(&k->mu);
    drop_expired(k, now);
    key = sealing_key(k, now);
    if (k->automatic &&
        (key == NULL || now >= mt_sess_add_sat(key->valid_from, k->rotate_every)))
        key = add_random_key(k, now);
    if (key == NULL || mt_random(&k->rng, nonce, sizeof(nonce)) != 0)
        goto Exit;
    mt_w_bytes(ticket, key->id, KEY_ID_LEN);
    mt_w_bytes(ticket, nonce, sizeof(nonce));
    /* The room is reserved: seal in place after the header. */
    if (mt_aead_seal(key->seal, nonce, key->id, KEY_ID_LEN, state, len,
                     ticket->data + ticket->len) != 0)
        goto Exit;
    ticket->len += len + MT_AEAD_TAG_LEN;
    ret = 0;
Exit:
    pthread_mutex_unlock(&k->mu);
    if (ret != 0) {
        mt_wipe(ticket->data + start, ticket->cap - start);
        ticket->len = start;
    }
    return ret;
}

int mt_ticket_open(mt_ticket_keys *k, int64_t now, const uint8_t *ticket, size_t len,
                   mt_buf *state)
{
    mt_reader r = mt_reader_init(ticket, len);
    const uint8_t *id, *nonce, *body;
    size_t body_len;
    tk_key *key;
    int ret = -1;

    if (ticket == NULL || len < OVERHEAD)
        return -1;
    if (mt_r_bytes(&r, KEY_ID_LEN, &id) != 0 || mt_r_bytes(&r, MT_AEAD_NONCE_LEN, &nonce) != 0)
        return -1;
    body_len = mt_r_left(&r);
    if (mt_r_bytes(&r, body_len, &body) != 0 || mt_r_done(&r) != 0)
        return -1;
    /* At least one byte, so that the output pointer is never NULL. */
    if (mt_buf_reserve(state, body_len - MT_AEAD_TAG_LEN + 1) != 0)
        return -1;
    pthread_mutex_lock(&k->mu);
    drop_expired(k, now);
    key = find_id(k, id);
    /* On failure mt_aead_open wipes what it wrote; len is untouched. */
    if (key != NULL && key_valid_at(key, now) &&
        mt_aead_open(key->open, nonce, id, KEY_ID_LEN, body, body_len,
                     state->data + state->len) == 0) {
        state->len += body_len - MT_AEAD_TAG_LEN;
        ret = 0;
    }
    pthread_mutex_unlock(&k->mu);
    return ret;
}

/* ---- key files -------------------------------------------------------- */

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Exactly 2 * n hex digits. */
static int parse_hex(const char *s, size_t slen, uint8_t *out, size_t n)
{
    if (slen != 2 * n)
        return -1;
    for (size_t i = 0; i < n; i++) {
        int hi = hexval((unsigned char)s[2 * i]), lo = hexval((unsigned char)s[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return -1;
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return 0;
}

/* Unix seconds: decimal digits, no sign, fits int64. */
static int parse_time(const char *s, size_t slen, int64_t *out)
{
    int64_t v = 0;

    if (slen == 0 || slen > 19)
        return -1;
    for (size_t i = 0; i < slen; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        if (v > (INT64_MAX - (s[i] - '0')) / 10)
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* Read a whole (small) file with read(2): no stdio buffer keeps a copy of
 * the keys. The caller wipes and frees *out. */
static int read_all(const char *path, char **out, size_t *out_len, mt_error *e)
{
    struct stat st;
    size_t n = 0, cap;
    char *buf;
    int fd, err;

    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return mt_fail(e, MUTLS_ERR_CONFIG, MT_NO_ALERT, "ticket key file %s: cannot open: %s",
                       path, strerror(errno));
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return mt_fail(e, MUTLS_ERR_CONFIG, MT_NO_ALERT, "ticket key file %s: not a regular file",
                       path);
    }
    if (st.st_size > MAX_FILE) {
        close(fd);
        return mt_fail(e, MUTLS_ERR_CONFIG, MT_NO_ALERT,
                       "ticket key file %s: larger than %d bytes", path, MAX_FILE);
    }
    cap = (size_t)st.st_size + 1;
    buf = malloc(cap + 1);
    if (buf == NULL) {
        close(fd);
        return mt_fail(e, MUTLS_ERR_INTERNAL, MT_NO_ALERT, "ticket key file %s: out of memory",
                       path);
    }
    /* Read up to one byte more than fstat said, to notice growth. */
    for (;;) {
        ssize_t r = read(fd, buf + n, cap - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            err = errno;
            close(fd);
            mt_wipe(buf, cap + 1);
            free(buf);
            return mt_fail(e, MUTLS_ERR_CONFIG, MT_NO_ALERT, "ticket key file %s: read error: %s",
                           path, strerror(err));
        }
        if (r == 0)
            break;
        n += (size_t)r;
        if (n == cap) {
            close(fd);
            mt_wipe(buf, cap + 1);
            free(buf);
            return mt_fail(e, MUTLS_ERR_CONFIG, MT_NO_ALERT,
                           "ticket key file %s: changed while being read", path);
        }
    }
    close(fd);
    buf[n] = '\0';
    *out = buf;
    *out_len = n;
    return 0;
}

#define LINE_FAIL(...)                                                                         \
    do {                                                                                       \
        ret = mt_fail(e, MUTLS_ERR_CONFIG, MT_NO_ALERT, "ticket key file %s line %u: %s", path, \
                      line_no, (snprintf(why, sizeof(why), __VA_ARGS__), why));                \
        goto Exit;                                                                             \
    } while (0)

/* Parse the file into keys (contexts made, nothing of k touched). */
static int parse_file(const mt_crypto *cx, const char *path, const char *text, size_t text_len,
                      tk_key **keys, size_t *n_keys, unsigned *lines_of, mt_error *e)
{
    static const char *const names[4] = {"key id", "key", "valid-from", "valid-until"};
    const char *p = text, *end = text + text_len;
    uint8_t id[KEY_ID_LEN], raw[KEY_LEN];
    char why[160];
    unsigned line_no = 0;
    int ret = 0;

    *n_keys = 0;
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        const char *q, *tok[5];
        size_t tok_len[5], nt = 0;
        int64_t from, until;

        if (eol == NULL)
            eol = end;
        line_no++;
        /* Split on blanks; '#' starts a comment anywhere a field could. */
        for (q = p; q < eol;) {
            while (q < eol && is_space(*q))
                q++;
            if (q == eol || *q == '#')
                break;
            if (nt == 5)
                break;
            tok[nt] = q;
            while (q < eol && !is_space(*q))
                q++;
            tok_len[nt] = (size_t)(q - tok[nt]);
            nt++;
        }
        p = eol < end ? eol + 1 : end;
        if (nt == 0)
            continue; /* blank or comment */
        if (memchr(tok[0], '\0', (size_t)(eol - tok[0])) != NULL)
            LINE_FAIL("contains a NUL byte");
        if (nt < 4)
            LINE_FAIL("%s missing (expected \"<id: 32 hex> <key: 64 hex> <valid-from> "
                      "<valid-until>\")",
                      names[nt]);
        if (nt > 4)
            LINE_FAIL("unexpected text after valid-until");
        if (parse_hex(tok[0], tok_len[0], id, sizeof(id)) != 0)
            LINE_FAIL("key id must be 32 hex digits");
        if (parse_hex(tok[1], tok_len[1], raw, sizeof(raw)) != 0)
            LINE_FAIL("key must be 64 hex digits");
        if (parse_time(tok[2], tok_len[2], &from) != 0)
            LINE_FAIL("valid-from must be Unix seconds (decimal digits)");
        if (parse_time(tok[3], tok_len[3], &until) != 0)
            LINE_FAIL("valid-until must be Unix seconds (decimal digits)");
        if (until <= from)
            LINE_FAIL("valid-until must be after valid-from");
        for (size_t i = 0; i < *n_keys; i++)
            if (memcmp(keys[i]->id, id, KEY_ID_LEN) == 0)
                LINE_FAIL("duplicate key id (also on line %u)", lines_of[i]);
        if (*n_keys == MAX_KEYS)
            LINE_FAIL("more than %d keys", MAX_KEYS);
        keys[*n_keys] = key_new(cx, id, raw, from, until);
        if (keys[*n_keys] == NULL) {
            ret = mt_fail(e, MUTLS_ERR_INTERNAL, MT_NO_ALERT,
                          "ticket key file %s line %u: cannot set up the key", path, line_no);
            goto Exit;
        }
        lines_of[(*n_keys)++] = line_no;
        mt_wipe(raw, sizeof(raw));
    }
Exit:
    mt_wipe(raw, sizeof(raw));
    if (ret != 0) {
        free_all(keys, *n_keys);
        *n_keys = 0;
    }
    return ret;
}

int mt_ticket_keys_load_file(mt_ticket_keys *k, const char *path, int64_t now, mt_error *e)
{
    tk_key *keys[MAX_KEYS] = {NULL}, *old[MAX_KEYS];
    unsigned lines_of[MAX_KEYS];
    size_t n = 0, n_old, text_len = 0, i;
    char *text = NULL;
    int ret;

    if (k == NULL || path == NULL)
        return mt_fail(e, MUTLS_ERR_INVALID_ARGUMENT, MT_NO_ALERT, "ticket key file: no path");
    ret = read_all(path, &text, &text_len, e);
    if (ret != 0)
        return ret;
    ret = parse_file(k->cx, path, text, text_len, keys, &n, lines_of, e);
    mt_wipe(text, text_len + 1);
    free(text);
    if (ret != 0)
        return ret;
    if (n == 0)
        return mt_fail(e, MUTLS_ERR_CONFIG, MT_NO_ALERT, "ticket key file %s: no keys", path);
    for (i = 0; i < n && !key_valid_at(keys[i], now); i++)
        ;
    if (i == n) {
        free_all(keys, n);
        return mt_fail(e, MUTLS_ERR_CONFIG, MT_NO_ALERT,
                       "ticket key file %s: no key is valid now (%lld); every key has expired "
                       "or is not yet valid",
                       path, (long long)now);
    }

    pthread_mutex_lock(&k->mu);
    memcpy(old, k->keys, sizeof(old));
    n_old = k->n;
    memcpy(k->keys, keys, sizeof(keys));
    k->n = n;
    k->automatic = 0;
    pthread_mutex_unlock(&k->mu);

    free_all(old, n_old);
    return 0;
}

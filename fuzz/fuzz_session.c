/*
 * fuzz_session: the session module (src/session/) on its own, and what a
 * client does with an imported session.
 *
 * Input: one selector byte (% 9), then data:
 *   0 IMPORT        mutls_session_import(data). What imports must export
 *                   back to exactly data.
 *   1 IMPORT_SEALED as 0, with the SHA-256 check appended by the harness
 *                   (data is an export without its last 32 bytes), so the
 *                   parser behind the check is reached. An imported
 *                   session is then offered by a client of its version
 *                   (0-RTT data when the session allows it) to the
 *                   resumption server of fuzz_server (fz_server_config 6,
 *                   same ticket keys, primed with the same TLS 1.2
 *                   session), and the two run to the end: the
 *                   client's PSK offer, binder and early data, the
 *                   server's ticket opening and 0-RTT checks, from
 *                   sessions with any field changed. When the server took
 *                   0-RTT, the same ClientHello again must have it refused
 *                   (a replay).
 *   2 STATE         mt_session_state_decode(data); what decodes must
 *                   encode back to exactly data.
 *   3 TICKET_OPEN   mt_ticket_open(data) under the fixed ticket keys
 *                   (fz_load_ticket_keys), at FZ_NOW; what opens is
 *                   decoded as a state.
 *   4 TICKET_SEAL   data sealed under the fixed keys, opened again (must
 *                   give data back), then with one byte changed (chosen by
 *                   data) and after the key expired (must both fail).
 *   5 KEY_FILE      data written to a file, loaded with
 *                   mt_ticket_keys_load_file into a key set that already
 *                   sealed a ticket under an automatic key: on success a
 *                   ticket sealed now opens, the old one no longer does; on
 *                   failure the error has a code and words.
 *   6 CACHE         operations on a 4-entry session cache (timeout 100 s),
 *                   checked against a model (LRU, expiry, clock going
 *                   back): 3-byte items op, arg, clock step (signed).
 *   7 ANTIREPLAY    operations on a 4-entry anti-replay record (window
 *                   10 s), checked against a model: 2-byte items key,
 *                   clock step (signed).
 *   8 IMPORT_STATE  as 1, but the session's ticket field holds a session
 *                   state in the clear, which the harness seals under the
 *                   fixed keys before the client offers it: the fuzzer
 *                   edits what the server finds in the ticket (version,
 *                   suite, age, lifetime, names, 0-RTT limit, client
 *                   chain).
 * Everything is bounded: inputs are cut to 64 KiB.
 */
#include "fuzz_common.h"

#define MAX_INPUT 65536

static mt_crypto *cx;
static mt_ticket_keys *keys; /* the fixed set 0 */
static mutls_config *client13, *client12, *server_cfg;
static char key_path[4200];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    char path[4200];
    mt_error e;
    (void)argc;
    (void)argv;
    if ((cx = mt_crypto_new()) == NULL)
        fz_die("mt_crypto_new");
    /* The fixed key set, as a server configuration loads it. */
    fz_tmp_path(path, sizeof(path), "ticket.keys");
    fz_write_file(path, (const uint8_t *)fz_ticket_key_files[0], strlen(fz_ticket_key_files[0]));
    mt_error_clear(&e);
    if ((keys = mt_ticket_keys_new(cx, NULL, 12 * 3600, 7200)) == NULL ||
        mt_ticket_keys_load_file(keys, path, FZ_NOW, &e) != 0)
        fz_die("ticket keys: %s", e.msg);
    (void)unlink(path);
    fz_tmp_path(key_path, sizeof(key_path), "input.keys");

    /* Sessions of either version are offered by a client of that
     * version; the server holds the TLS 1.2 session the seed generator
     * exports (fz_server_prime). */
    client13 = fz_client_config(0, 0, NULL, NULL);
    client12 = fz_prime_client_config(NULL, NULL);
    server_cfg = fz_server_config(6, NULL, NULL);
    mutls_conn_free(mutls_conn_new(client13));
    mutls_conn_free(mutls_conn_new(client12));
    mutls_conn_free(mutls_conn_new(server_cfg));
    fz_server_prime(server_cfg, NULL, NULL);
    return 0;
}

/* ---- 0, 1: import ------------------------------------------------------- */

/* The server's cache / anti-replay record may have changed (as in
 * fz_server_after_input). */
static int cache_dirty, antireplay_dirty;

/* A client offering s, against the resumption server, to the end; the
 * server's 0-RTT status. */
static int offer_once(mutls_session *s)
{
    static const uint8_t early[] = "GET / HTTP/1.0\r\n\r\n";
    mutls_conn *c, *srv;
    int status;

    fz_reset();
    c = mutls_conn_new(s->st.version == MUTLS_TLS1_2 ? client12 : client13);
    if (c == NULL || (srv = mutls_conn_new(server_cfg)) == NULL)
        abort();
    if (mutls_conn_set_server_name(c, "localhost") != 0 || mutls_conn_set_session(c, s) != 0)
        abort();
    if (mutls_session_max_early_data(s) > 0)
        (void)mutls_conn_write_early_data(c, early, sizeof(early) - 1);
    (void)mutls_conn_handshake(c);
    for (int round = 0; round < 6; round++) {
        fz_pump(c, srv, NULL);
        fz_pump(srv, c, NULL);
    }
    fz_drain(c, NULL); /* read what arrived (0-RTT data on the server) */
    fz_drain(srv, NULL);
    fz_check_conn(c);
    fz_check_conn(srv);
    if (mutls_conn_early_data_status(srv) == MUTLS_EARLY_DATA_ACCEPTED && !mutls_conn_is_resumed(srv))
        abort();
    if (mutls_conn_handshake_done(c) && mutls_conn_handshake_done(srv) &&
        mutls_conn_is_resumed(c) != mutls_conn_is_resumed(srv))
        abort(); /* both completed, disagreeing on resumption */
    fz_report("client", c);
    fz_report("server", srv);
    status = mutls_conn_early_data_status(srv);
    cache_dirty |= mutls_conn_version(srv) == MUTLS_TLS1_2;
    antireplay_dirty |= status == MUTLS_EARLY_DATA_ACCEPTED;
    mutls_conn_free(c);
    mutls_conn_free(srv);
    return status;
}

static void offer(mutls_session *s)
{
    if (offer_once(s) == MUTLS_EARLY_DATA_ACCEPTED &&
        offer_once(s) == MUTLS_EARLY_DATA_ACCEPTED)
        abort(); /* the same 0-RTT ClientHello accepted twice: a replay */
    if (cache_dirty)
        fz_server_fresh_cache(server_cfg);
    if (antireplay_dirty)
        fz_server_fresh_antireplay(server_cfg);
    cache_dirty = antireplay_dirty = 0;
}

/* Selector 8: the ticket field is a state to seal. */
static void offer_sealed_state(const mutls_session *s)
{
    mt_buf t;
    mutls_session *sealed;
    if (s->ticket_len == 0)
        return;
    mt_buf_init(&t);
    if (mt_ticket_seal(keys, FZ_NOW, s->ticket, s->ticket_len, &t) != 0)
        abort();
    if (t.len <= 0xffff &&
        (sealed = mt_session_new(&s->st, t.data, t.len, s->session_id, s->session_id_len)) != NULL) {
        offer(sealed);
        mutls_session_free(sealed);
    }
    mt_buf_free(&t);
}

static void import(const uint8_t *p, size_t n, int seal, int state_ticket)
{
    uint8_t *in = NULL, *out = NULL;
    size_t in_len = n, out_len = 0;
    mutls_session *s;

    if (seal) {
        if ((in = malloc(n + 32)) == NULL)
            abort();
        if (n > 0)
            memcpy(in, p, n);
        if (mt_sha256(in, n, in + n) != 0)
            abort();
        in_len = n + 32;
        p = in;
    }
    if ((s = mutls_session_import(p, in_len)) != NULL) {
        if (mutls_session_export(s, &out, &out_len) != MUTLS_OK)
            abort(); /* what imports exports */
        if (out_len != in_len || memcmp(out, p, in_len) != 0)
            abort(); /* import -> export is exact */
        free(out);
        if (state_ticket)
            offer_sealed_state(s);
        else if (seal)
            offer(s);
        mutls_session_free(s);
    }
    free(in);
}

/* ---- 2, 3, 4: state and tickets ----------------------------------------- */

static void state(const uint8_t *p, size_t n)
{
    mt_session_state st;
    mt_buf b;

    if (mt_session_state_decode(p, n, &st) != 0)
        return;
    mt_buf_init(&b);
    if (mt_session_state_encode(&st, &b) != 0 || b.len != n || memcmp(b.data, p, n) != 0)
        abort(); /* decode -> encode is exact */
    mt_buf_free(&b);
    mt_session_state_clear(&st);
}

static void ticket_open(const uint8_t *p, size_t n)
{
    mt_buf plain;
    mt_buf_init(&plain);
    if (mt_ticket_open(keys, FZ_NOW, p, n, &plain) == 0)
        state(plain.data, plain.len);
    else if (plain.len != 0)
        abort(); /* a failed open writes nothing */
    mt_buf_free(&plain);
}

static void ticket_seal(const uint8_t *p, size_t n)
{
    mt_buf t, plain;
    size_t pos;

    mt_buf_init(&t);
    mt_buf_init(&plain);
    if (mt_ticket_seal(keys, FZ_NOW, p, n, &t) != 0)
        abort();
    if (mt_ticket_open(keys, FZ_NOW, t.data, t.len, &plain) != 0 || plain.len != n ||
        (n > 0 && memcmp(plain.data, p, n) != 0))
        abort(); /* seal -> open is exact */
    state(plain.data, plain.len);
    /* One byte changed anywhere: it does not open. */
    pos = n > 0 ? (((size_t)p[0] << 8) | (n > 1 ? p[1] : 0)) % t.len : 0;
    t.data[pos] ^= (uint8_t)(n > 2 && p[2] ? p[2] : 1);
    plain.len = 0;
    if (mt_ticket_open(keys, FZ_NOW, t.data, t.len, &plain) == 0)
        abort();
    t.data[pos] ^= (uint8_t)(n > 2 && p[2] ? p[2] : 1);
    /* Cut short: it does not open either. */
    if (mt_ticket_open(keys, FZ_NOW, t.data, t.len - 1, &plain) == 0)
        abort();
    mt_buf_free(&t);
    mt_buf_free(&plain);
}

/* ---- 5: key files ------------------------------------------------------- */

static void key_file(const uint8_t *p, size_t n)
{
    static const uint8_t secret[] = "state";
    mt_ticket_keys *k;
    fz_rng rng = {UINT64_C(0x6b657973), 0};
    mt_rng hook = {fz_random, &rng};
    mt_buf before, after, plain;
    mt_error e;

    if ((k = mt_ticket_keys_new(cx, &hook, 3600, 7200)) == NULL)
        abort();
    mt_buf_init(&before);
    mt_buf_init(&after);
    mt_buf_init(&plain);
    if (mt_ticket_seal(k, FZ_NOW, secret, sizeof(secret), &before) != 0)
        abort(); /* an automatic key */
    fz_write_file(key_path, p, n);
    mt_error_clear(&e);
    if (mt_ticket_keys_load_file(k, key_path, FZ_NOW, &e) == 0) {
        if (e.code != MUTLS_OK)
            abort();
        /* A key valid now seals, and what it seals opens. */
        if (mt_ticket_seal(k, FZ_NOW, secret, sizeof(secret), &after) != 0 ||
            mt_ticket_open(k, FZ_NOW, after.data, after.len, &plain) != 0 ||
            plain.len != sizeof(secret) || memcmp(plain.data, secret, sizeof(secret)) != 0)
            abort();
        /* The file replaced the automatic key (its random id is in no
         * file the fuzzer writes, short of a 2^-128 guess). */
        plain.len = 0;
        if (mt_ticket_open(k, FZ_NOW, before.data, before.len, &plain) == 0)
            abort();
    } else {
        if (e.code == MUTLS_OK || e.msg[0] == '\0')
            abort(); /* a failure says what and why */
        /* Nothing was replaced: the old ticket still opens. */
        if (mt_ticket_open(k, FZ_NOW, before.data, before.len, &plain) != 0)
            abort();
    }
    (void)unlink(key_path);
    mt_buf_free(&before);
    mt_buf_free(&after);
    mt_buf_free(&plain);
    mt_ticket_keys_free(k);
}

/* ---- 6: the session cache against a model -------------------------------- */

#define CACHE_MAX 4
#define CACHE_TIMEOUT 100
#define CACHE_IDS 6

typedef struct model_entry {
    int id;        /* index into the id alphabet */
    int64_t added;
    uint8_t val[8];
    size_t len;
} model_entry;

static void make_id(uint8_t id[32], int k)
{
    memset(id, 0, 32);
    id[0] = (uint8_t)k;
    id[31] = 0xa5;
}

static void cache_ops(const uint8_t *p, size_t n)
{
    model_entry m[CACHE_MAX]; /* most recently used first */
    size_t count = 0;
    int64_t now = FZ_NOW;
    mt_session_cache *c = mt_session_cache_new(CACHE_MAX, CACHE_TIMEOUT);
    uint8_t id[32];
    mt_buf got;

    if (c == NULL)
        abort();
    mt_buf_init(&got);
    for (; n >= 3; p += 3, n -= 3) {
        int op = p[0] % 4, k = p[1] % CACHE_IDS;
        size_t i;
        now += (int8_t)p[2];
        make_id(id, k);
        for (i = 0; i < count && m[i].id != k; i++)
            ;
        switch (op) {
        case 0: { /* put: a value of 0..7 bytes */
            model_entry e = {k, now, {0}, p[1] % 8};
            memset(e.val, p[2], sizeof(e.val));
            if (mt_session_cache_put(c, id, e.val, e.len, now) != 0)
                abort();
            if (i < count) {
                memmove(&m[1], &m[0], i * sizeof(m[0]));
            } else {
                if (count == CACHE_MAX)
                    count--; /* the least recently used goes */
                memmove(&m[1], &m[0], count * sizeof(m[0]));
                count++;
            }
            m[0] = e;
            break;
        }
        case 1: { /* get */
            int want = i < count && !(now < m[i].added || (now > m[i].added &&
                                                            now - m[i].added > CACHE_TIMEOUT));
            got.len = 0;
            int ret = mt_session_cache_get(c, id, now, &got);
            if ((ret == 0) != want)
                abort();
            if (want) {
                model_entry e = m[i];
                if (got.len != e.len || (e.len > 0 && memcmp(got.data, e.val, e.len) != 0))
                    abort();
                memmove(&m[1], &m[0], i * sizeof(m[0]));
                m[0] = e;
            } else if (i < count) { /* expired: dropped when met */
                memmove(&m[i], &m[i + 1], (count - i - 1) * sizeof(m[0]));
                count--;
            }
            break;
        }
        case 2: /* remove */
            mt_session_cache_remove(c, id);
            if (i < count) {
                memmove(&m[i], &m[i + 1], (count - i - 1) * sizeof(m[0]));
                count--;
            }
            break;
        default:
            break;
        }
        if (mt_session_cache_count(c) != count)
            abort();
    }
    mt_buf_free(&got);
    mt_session_cache_free(c);
}

/* ---- 7: anti-replay against a model -------------------------------------- */

#define AR_MAX 4
#define AR_WINDOW 10

static void antireplay_ops(const uint8_t *p, size_t n)
{
    struct {
        int key;
        int64_t seen;
    } m[AR_MAX]; /* oldest first */
    size_t count = 0;
    int64_t now = FZ_NOW, newest = INT64_MIN;
    mt_antireplay *a = mt_antireplay_new(AR_MAX, AR_WINDOW);
    uint8_t key[32];

    if (a == NULL)
        abort();
    for (; n >= 2; p += 2, n -= 2) {
        int k = p[0] % 8, want = 1;
        size_t i;
        now += (int8_t)p[1];
        make_id(key, k);
        /* forget what is older than the window */
        while (count > 0 && now > m[0].seen && now - m[0].seen > AR_WINDOW) {
            memmove(&m[0], &m[1], (count - 1) * sizeof(m[0]));
            count--;
        }
        for (i = 0; i < count; i++)
            if (m[i].key == k)
                want = 0; /* a replay */
        if (want && count == AR_MAX)
            want = 0; /* full: refused, nothing forgotten early */
        if (want) {
            if (now > newest)
                newest = now;
            m[count].key = k;
            m[count].seen = newest;
            count++;
        }
        if (mt_antireplay_first_use(a, key, now) != want)
            abort();
    }
    mt_antireplay_free(a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const uint8_t *p = data + 1;
    size_t n = size - 1 > MAX_INPUT ? MAX_INPUT : size - 1;
    switch (data[0] % 9) {
    case 0: import(p, n, 0, 0); break;
    case 1: import(p, n, 1, 0); break;
    case 8: import(p, n, 1, 1); break;
    case 2: state(p, n); break;
    case 3: ticket_open(p, n); break;
    case 4: ticket_seal(p, n); break;
    case 5: key_file(p, n); break;
    case 6: cache_ops(p, n); break;
    case 7: antireplay_ops(p, n); break;
    }
    return 0;
}

/*
 * Sessions and what makes resumption and 0-RTT safe: the state a session
 * carries, sealed tickets under rotating keys, the TLS 1.2 session cache,
 * the single-use record of tickets used for early data, and the client's
 * exportable session. Protocol code (src/tls13, src/tls12) decides when;
 * this module keeps the state.
 *
 * Everything here that a configuration shares between connections (ticket
 * keys, cache, anti-replay) is thread-safe.
 */
#ifndef MT_SESSION_H
#define MT_SESSION_H

#include <stdint.h>

#include "base/error.h"
#include "base/wire.h"
#include "crypto/crypto.h"
#include "mutls.h"

#define MT_SESSION_MAX_SECRET 48
#define MT_MAX_TICKET_LIFETIME 604800 /* seven days, RFC 8446 4.6.1 */

/* What a resumable session carries, on either side. */
typedef struct mt_session_state {
    uint16_t version;        /* MUTLS_TLS1_3 or MUTLS_TLS1_2 */
    uint16_t suite;
    uint8_t secret[MT_SESSION_MAX_SECRET]; /* TLS 1.3: the PSK; TLS 1.2: master secret */
    uint8_t secret_len;
    uint8_t ems;             /* TLS 1.2: extended master secret was used */
    int64_t issued;          /* when the session was made (server clock for
                                tickets, client clock on the client) */
    uint32_t lifetime;       /* seconds */
    uint32_t age_add;        /* TLS 1.3 ticket_age_add */
    uint32_t max_early_data; /* TLS 1.3: 0 = no 0-RTT */
    char sni[256];           /* server name of the original handshake ("" none) */
    char alpn[256];          /* ALPN protocol ("" none) */
    /* The peer's certificate chain as it was verified: each DER with a
     * 3-byte length, concatenated. Empty when the peer sent none. */
    uint8_t *peer_chain;
    size_t peer_chain_len;
} mt_session_state;

/* Versioned binary encoding (what a ticket seals and the cache stores). */
int mt_session_state_encode(const mt_session_state *s, mt_buf *out) MT_MUST;
/* Bounded, checked parse; -1 on anything malformed or of another version.
 * On success s owns a fresh copy of the chain. */
int mt_session_state_decode(const uint8_t *p, size_t n, mt_session_state *s) MT_MUST;
/* Wipes the secret and frees the chain. */
void mt_session_state_clear(mt_session_state *s);
/* Deep copy (the chain is duplicated). */
int mt_session_state_copy(mt_session_state *dst, const mt_session_state *src) MT_MUST;

/* ---- ticket keys ------------------------------------------------------- */

/* Tickets are sealed with AES-256-GCM under the current key; older keys
 * still open tickets until they expire. Keys either rotate automatically
 * (random keys, a new one every rotate_every seconds, each kept for
 * rotate_every + ticket lifetime), or come from a file shared by several
 * servers (format: docs/resumption.md; one key per line
 * "<id: 32 hex> <key: 64 hex> <valid-from> <valid-until>", Unix seconds;
 * the newest valid key seals), which may be reloaded while running. */
typedef struct mt_ticket_keys mt_ticket_keys;
mt_ticket_keys *mt_ticket_keys_new(const mt_crypto *cx, const mt_rng *rng, uint32_t rotate_every,
                                   uint32_t ticket_lifetime);
void mt_ticket_keys_free(mt_ticket_keys *k);
/* Replace the keys with the file's (checked whole before anything is
 * replaced); from then on no automatic rotation. */
int mt_ticket_keys_load_file(mt_ticket_keys *k, const char *path, int64_t now,
                             mt_error *e) MT_MUST;
/* ticket = key id (16) || nonce (12) || AES-256-GCM(state) || tag. */
int mt_ticket_seal(mt_ticket_keys *k, int64_t now, const uint8_t *state, size_t len,
                   mt_buf *ticket) MT_MUST;
/* -1 (nothing written) when the key is unknown or expired, or the ticket
 * is malformed or was tampered with. */
int mt_ticket_open(mt_ticket_keys *k, int64_t now, const uint8_t *ticket, size_t len,
                   mt_buf *state) MT_MUST;

/* ---- TLS 1.2 session cache (session IDs) -------------------------------- */

/* Bounded in entries, least recently used evicted, entries older than
 * timeout seconds dropped; thread-safe. */
typedef struct mt_session_cache mt_session_cache;
mt_session_cache *mt_session_cache_new(size_t max_entries, uint32_t timeout);
void mt_session_cache_free(mt_session_cache *c);
int mt_session_cache_put(mt_session_cache *c, const uint8_t id[32], const uint8_t *state,
                         size_t len, int64_t now) MT_MUST;
/* 0 and the state when present and fresh (and marks it recently used). */
int mt_session_cache_get(mt_session_cache *c, const uint8_t id[32], int64_t now,
                         mt_buf *state) MT_MUST;
void mt_session_cache_remove(mt_session_cache *c, const uint8_t id[32]);
size_t mt_session_cache_count(mt_session_cache *c);

/* ---- anti-replay for 0-RTT (RFC 8446 section 8) ------------------------- */

/* 0-RTT freshness (RFC 8446 8.3): the client's idea of the ticket's age
 * (from the obfuscated age) and the server's may differ by at most this
 * much: 10 s, plus 1 s for the one-second resolution of the clocks. */
#define MT_EARLY_AGE_TOLERANCE_MS 11000
/* How long a ticket used for 0-RTT is remembered: a ClientHello first
 * accepted with the client's age up to the tolerance ahead of the server's
 * passes the freshness check again, replayed, until it is up to the
 * tolerance behind, i.e. for twice the tolerance. */
#define MT_ANTIREPLAY_WINDOW_S (2 * MT_EARLY_AGE_TOLERANCE_MS / 1000)

/* A single-use record of the tickets used for early data, for as long as
 * the freshness window makes them acceptable (MT_ANTIREPLAY_WINDOW_S);
 * bounded (when full, early data is refused rather than an entry
 * dropped). */
typedef struct mt_antireplay mt_antireplay;
mt_antireplay *mt_antireplay_new(size_t max_entries, uint32_t window_seconds);
void mt_antireplay_free(mt_antireplay *a);
/* 1: first use, now recorded; 0: seen before (a replay) or the record is
 * full. key is a hash of the ticket (32 bytes). */
int mt_antireplay_first_use(mt_antireplay *a, const uint8_t key[32], int64_t now);

/* ---- the client's session (mutls_session of mutls.h) -------------------- */

struct mutls_session {
    int refs; /* atomic */
    mt_session_state st;       /* issued = when the client received it */
    uint8_t *ticket;           /* TLS 1.3 ticket, or TLS 1.2 RFC 5077 ticket */
    size_t ticket_len;
    uint8_t session_id[32];    /* TLS 1.2 session ID (0 length: none) */
    size_t session_id_len;
};

/* A new session (one reference) taking a copy of st and ticket. */
mutls_session *mt_session_new(const mt_session_state *st, const uint8_t *ticket, size_t ticket_len,
                              const uint8_t *session_id, size_t session_id_len);
mutls_session *mt_session_up_ref(mutls_session *s);

#endif

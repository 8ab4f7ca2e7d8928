/*
 * The TLS 1.3 key schedule (RFC 8446 section 7.1) in stages:
 *   early secret -> handshake secret -> master secret
 * each stage consumes (and wipes) the previous one. Traffic secrets are
 * derived from a stage with a transcript hash; traffic keys and IVs from a
 * traffic secret (section 7.3).
 */
#ifndef MT_KEY_SCHEDULE_H
#define MT_KEY_SCHEDULE_H

#include "crypto/crypto.h"

typedef struct mt_key_schedule {
    const mt_crypto *cx;
    mt_hash_id hash;
    size_t hlen;
    int stage; /* 0 none, 1 early, 2 handshake, 3 master */
    uint8_t secret[MT_MAX_HASH];
} mt_key_schedule;

/* HKDF-Expand-Label(secret, "tls13 " + label, context, len). */
int mt_hkdf_expand_label(const mt_crypto *cx, mt_hash_id h, const uint8_t *secret,
                         const char *label, const uint8_t *context, size_t context_len,
                         uint8_t *out, size_t out_len) MT_MUST;
/* Derive-Secret(secret, label, transcript_hash) with the hash given. */
int mt_derive_secret(const mt_crypto *cx, mt_hash_id h, const uint8_t *secret, const char *label,
                     const uint8_t *transcript_hash, uint8_t *out) MT_MUST;

void mt_ks_init(mt_key_schedule *ks, const mt_crypto *cx, mt_hash_id h);
void mt_ks_clear(mt_key_schedule *ks);
/* Early secret from a PSK (NULL: no PSK, zeros). */
int mt_ks_early(mt_key_schedule *ks, const uint8_t *psk, size_t psk_len) MT_MUST;
/* Handshake secret from the (EC)DHE shared secret. */
int mt_ks_handshake(mt_key_schedule *ks, const uint8_t *dhe, size_t dhe_len) MT_MUST;
int mt_ks_master(mt_key_schedule *ks) MT_MUST;
/* A secret of the current stage: label e.g. "c hs traffic". */
int mt_ks_derive(const mt_key_schedule *ks, const char *label, const uint8_t *transcript_hash,
                 uint8_t *out) MT_MUST;

/* Traffic key and IV from a traffic secret. */
int mt_traffic_keys(const mt_crypto *cx, mt_hash_id h, size_t key_len, const uint8_t *secret,
                    uint8_t *key, uint8_t iv[MT_AEAD_NONCE_LEN]) MT_MUST;
/* verify_data = HMAC(finished_key, transcript_hash) (section 4.4.4). */
int mt_finished_mac(const mt_crypto *cx, mt_hash_id h, const uint8_t *base_key,
                    const uint8_t *transcript_hash, uint8_t *out) MT_MUST;
/* application_traffic_secret_N+1 (section 7.2), in place. */
int mt_next_traffic_secret(const mt_crypto *cx, mt_hash_id h, uint8_t *secret) MT_MUST;

#endif

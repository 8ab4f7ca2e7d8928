/* The TLS 1.2 PRF and key derivation (RFC 5246 sections 5, 6.3, 8.1;
 * RFC 7627 section 4). */
#include <string.h>

#include "tls12/tls12.h"

/* P_hash(secret, seed) = HMAC(secret, A(1) + seed) + HMAC(secret, A(2) +
 * seed) + ..., A(0) = seed, A(i) = HMAC(secret, A(i-1)). */
int mt_tls12_prf(const mt_crypto *cx, mt_hash_id h, const uint8_t *secret, size_t secret_len,
                 const char *label, const uint8_t *seed1, size_t seed1_len, const uint8_t *seed2,
                 size_t seed2_len, uint8_t *out, size_t out_len)
{
    uint8_t seed[128], a[MT_MAX_HASH], block[MT_MAX_HASH + sizeof(seed)], t[MT_MAX_HASH];
    size_t hl = mt_hash_size(h), llen = strlen(label), slen = llen + seed1_len + seed2_len;
    size_t done = 0;
    int ret = -1;

    if (slen > sizeof(seed))
        return -1;
    memcpy(seed, label, llen);
    if (seed1_len)
        memcpy(seed + llen, seed1, seed1_len);
    if (seed2_len)
        memcpy(seed + llen + seed1_len, seed2, seed2_len);
    if (mt_hmac(cx, h, secret, secret_len, seed, slen, a) != 0) /* A(1) */
        goto Exit;
    while (done < out_len) {
        size_t take = out_len - done < hl ? out_len - done : hl;
        memcpy(block, a, hl);
        memcpy(block + hl, seed, slen);
        if (mt_hmac(cx, h, secret, secret_len, block, hl + slen, t) != 0 ||
            mt_hmac(cx, h, secret, secret_len, a, hl, a) != 0)
            goto Exit;
        memcpy(out + done, t, take);
        done += take;
    }
    ret = 0;
Exit:
    mt_wipe(a, sizeof(a));
    mt_wipe(t, sizeof(t));
    mt_wipe(block, sizeof(block));
    return ret;
}

static size_t key_block_len(const mt_suite *s)
{
    return 2 * (s->mac_key_len + s->key_len + s->fixed_iv_len);
}

int mt_tls12_derive_keys(mutls_conn *c, const uint8_t *pms, size_t pms_len)
{
    mt_handshake *hs = c->hs;
    const mt_crypto *cx = c->cfg->cx;
    mt_hash_id h = c->suite->hash;
    int ret;

    if (c->ems) {
        /* RFC 7627 section 4: the session hash covers the handshake up to
         * and including ClientKeyExchange. */
        uint8_t session_hash[MT_MAX_HASH];
        ret = mt_transcript_hash(c, session_hash) == 0
                  ? mt_tls12_prf(cx, h, pms, pms_len, "extended master secret", session_hash,
                                 mt_hash_size(h), NULL, 0, hs->master, 48)
                  : -1;
    } else {
        ret = mt_tls12_prf(cx, h, pms, pms_len, "master secret", hs->client_random, 32,
                           hs->server_random, 32, hs->master, 48);
    }
    if (ret != 0)
        return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR,
                            "TLS 1.2 key derivation failed");
    return mt_tls12_key_block(c);
}

int mt_tls12_key_block(mutls_conn *c)
{
    mt_handshake *hs = c->hs;
    if (mt_tls12_prf(c->cfg->cx, c->suite->hash, hs->master, 48, "key expansion",
                     hs->server_random, 32, hs->client_random, 32, hs->key_block,
                     key_block_len(c->suite)) != 0)
        return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR,
                            "TLS 1.2 key derivation failed");
    /* SSLKEYLOGFILE: the TLS 1.2 line is the master secret. */
    mt_keylog_len(c, "CLIENT_RANDOM", hs->master, 48);
    return 0;
}

int mt_tls12_install_keys(mutls_conn *c, int write)
{
    const mt_suite *s = c->suite;
    const uint8_t *kb = c->hs->key_block;
    size_t m = s->mac_key_len, k = s->key_len, iv = s->fixed_iv_len;
    /* client_write_MAC, server_write_MAC, client_write_key,
     * server_write_key, client_write_IV, server_write_IV */
    int client_side = (c->role == MUTLS_CLIENT) == (write != 0);
    const uint8_t *mac = kb + (client_side ? 0 : m);
    const uint8_t *key = kb + 2 * m + (client_side ? 0 : k);
    const uint8_t *fixed = kb + 2 * m + 2 * k + (client_side ? 0 : iv);
    mt_rec_dir *d = write ? &c->rec.wr : &c->rec.rd;

    if (!write)
        c->read_key_changed = 1;
    if (mt_rec_dir_set12(d, c->cfg->cx, s, write, key, fixed, mac, c->etm) != 0)
        return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR,
                            "could not install TLS 1.2 keys");
    d->limit = UINT64_MAX; /* TLS 1.2 has no key update */
    return 0;
}

#include "tls13/key_schedule.h"

#include <string.h>

int mt_hkdf_expand_label(const mt_crypto *cx, mt_hash_id h, const uint8_t *secret,
                         const char *label, const uint8_t *context, size_t context_len,
                         uint8_t *out, size_t out_len)
{
    /* struct { uint16 length; opaque label<7..255>; opaque context<0..255>; } */
    uint8_t info[2 + 1 + 255 + 1 + 255];
    size_t label_len = strlen(label), n = 0;

    if (label_len + 6 > 255 || context_len > 255 || out_len > 0xffff)
        return -1;
    info[n++] = (uint8_t)(out_len >> 8);
    info[n++] = (uint8_t)out_len;
    info[n++] = (uint8_t)(6 + label_len);
    memcpy(info + n, "tls13 ", 6);
    n += 6;
    memcpy(info + n, label, label_len);
    n += label_len;
    info[n++] = (uint8_t)context_len;
    if (context_len > 0)
        memcpy(info + n, context, context_len);
    n += context_len;
    return mt_hkdf_expand(cx, h, secret, mt_hash_size(h), info, n, out, out_len);
}

int mt_derive_secret(const mt_crypto *cx, mt_hash_id h, const uint8_t *secret, const char *label,
                     const uint8_t *transcript_hash, uint8_t *out)
{
    size_t hlen = mt_hash_size(h);
    return mt_hkdf_expand_label(cx, h, secret, label, transcript_hash, hlen, out, hlen);
}

void mt_ks_init(mt_key_schedule *ks, const mt_crypto *cx, mt_hash_id h)
{
    memset(ks, 0, sizeof(*ks));
    ks->cx = cx;
    ks->hash = h;
    ks->hlen = mt_hash_size(h);
}

void mt_ks_clear(mt_key_schedule *ks)
{
    mt_wipe(ks->secret, sizeof(ks->secret));
    ks->stage = 0;
}

int mt_ks_early(mt_key_schedule *ks, const uint8_t *psk, size_t psk_len)
{
    uint8_t zeros[MT_MAX_HASH] = {0};
    if (psk == NULL) {
        psk = zeros;
        psk_len = ks->hlen;
    }
    if (mt_hkdf_extract(ks->cx, ks->hash, NULL, 0, psk, psk_len, ks->secret) != 0)
        return -1;
    ks->stage = 1;
    return 0;
}

/* Extract the next stage: HKDF-Extract(Derive-Secret(prev, "derived", ""),
 * ikm). The previous stage's secret is overwritten. */
static int next_stage(mt_key_schedule *ks, const uint8_t *ikm, size_t ikm_len)
{
    uint8_t empty_hash[MT_MAX_HASH], salt[MT_MAX_HASH];
    int ret = -1;

    if (mt_hash_oneshot(ks->cx, ks->hash, NULL, 0, empty_hash) != 0 ||
        mt_derive_secret(ks->cx, ks->hash, ks->secret, "derived", empty_hash, salt) != 0)
        goto Exit;
    if (mt_hkdf_extract(ks->cx, ks->hash, salt, ks->hlen, ikm, ikm_len, ks->secret) != 0)
        goto Exit;
    ks->stage++;
    ret = 0;
Exit:
    mt_wipe(salt, sizeof(salt));
    return ret;
}

int mt_ks_handshake(mt_key_schedule *ks, const uint8_t *dhe, size_t dhe_len)
{
    if (ks->stage != 1)
        return -1;
    return next_stage(ks, dhe, dhe_len);
}

int mt_ks_master(mt_key_schedule *ks)
{
    uint8_t zeros[MT_MAX_HASH] = {0};
    if (ks->stage != 2)
        return -1;
    return next_stage(ks, zeros, ks->hlen);
}

int mt_ks_derive(const mt_key_schedule *ks, const char *label, const uint8_t *transcript_hash,
                 uint8_t *out)
{
    if (ks->stage == 0)
        return -1;
    return mt_derive_secret(ks->cx, ks->hash, ks->secret, label, transcript_hash, out);
}

int mt_traffic_keys(const mt_crypto *cx, mt_hash_id h, size_t key_len, const uint8_t *secret,
                    uint8_t *key, uint8_t iv[MT_AEAD_NONCE_LEN])
{
    if (mt_hkdf_expand_label(cx, h, secret, "key", NULL, 0, key, key_len) != 0 ||
        mt_hkdf_expand_label(cx, h, secret, "iv", NULL, 0, iv, MT_AEAD_NONCE_LEN) != 0)
        return -1;
    return 0;
}

int mt_finished_mac(const mt_crypto *cx, mt_hash_id h, const uint8_t *base_key,
                    const uint8_t *transcript_hash, uint8_t *out)
{
    uint8_t finished_key[MT_MAX_HASH];
    size_t hlen = mt_hash_size(h);
    int ret = -1;
    if (mt_hkdf_expand_label(cx, h, base_key, "finished", NULL, 0, finished_key, hlen) == 0 &&
        mt_hmac(cx, h, finished_key, hlen, transcript_hash, hlen, out) == 0)
        ret = 0;
    mt_wipe(finished_key, sizeof(finished_key));
    return ret;
}

int mt_next_traffic_secret(const mt_crypto *cx, mt_hash_id h, uint8_t *secret)
{
    uint8_t next[MT_MAX_HASH];
    size_t hlen = mt_hash_size(h);
    if (mt_hkdf_expand_label(cx, h, secret, "traffic upd", NULL, 0, next, hlen) != 0)
        return -1;
    memcpy(secret, next, hlen);
    mt_wipe(next, sizeof(next));
    return 0;
}

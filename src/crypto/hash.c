/*
 * Running hashes (the transcript), one-shot digests, HMAC and HKDF
 * (RFC 5869). HKDF is built on HMAC directly: it is two short loops, and
 * it sidesteps the EVP_KDF parameter handling for empty salts and keys,
 * which TLS 1.3's key schedule uses.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>

#include "crypto/internal.h"

static const size_t hash_sizes[MT_HASH_COUNT] = {32, 48, 64, 20};

/* A zero salt (RFC 5869 section 2.2) and a non-NULL pointer for empty
 * keys: EVP_MAC_init treats a NULL key as "keep the previous key". */
static const uint8_t zeros[MT_MAX_HASH];

size_t mt_hash_size(mt_hash_id h)
{
    return (unsigned)h < MT_HASH_COUNT ? hash_sizes[h] : 0;
}

struct mt_hash {
    EVP_MD_CTX *ctx;
    /* mt_hash_peek finalises a copy here, so peeking allocates no context
     * of our own (a provider may still allocate inside the copy). */
    EVP_MD_CTX *scratch;
    mt_hash_id id;
};

mt_hash *mt_hash_new(const mt_crypto *cx, mt_hash_id h)
{
    const EVP_MD *md = mt_crypto_md(cx, h);
    mt_hash *hc;

    if (md == NULL)
        return NULL;
    hc = calloc(1, sizeof(*hc));
    if (hc == NULL)
        return NULL;
    hc->id = h;
    hc->ctx = EVP_MD_CTX_new();
    hc->scratch = EVP_MD_CTX_new();
    if (hc->ctx == NULL || hc->scratch == NULL || EVP_DigestInit_ex2(hc->ctx, md, NULL) != 1) {
        mt_hash_free(hc);
        ERR_clear_error();
        return NULL;
    }
    return hc;
}

mt_hash *mt_hash_dup(const mt_hash *src)
{
    mt_hash *hc = calloc(1, sizeof(*hc));
    if (hc == NULL)
        return NULL;
    hc->id = src->id;
    hc->ctx = EVP_MD_CTX_new();
    hc->scratch = EVP_MD_CTX_new();
    if (hc->ctx == NULL || hc->scratch == NULL || EVP_MD_CTX_copy_ex(hc->ctx, src->ctx) != 1) {
        mt_hash_free(hc);
        ERR_clear_error();
        return NULL;
    }
    return hc;
}

void mt_hash_free(mt_hash *hc)
{
    if (hc == NULL)
        return;
    /* EVP_MD_CTX_free cleanses the state (the transcript is not secret,
     * but the scratch copy of a finished hash may feed a key). */
    EVP_MD_CTX_free(hc->ctx);
    EVP_MD_CTX_free(hc->scratch);
    free(hc);
}

int mt_hash_update(mt_hash *hc, const uint8_t *p, size_t n)
{
    if (n == 0)
        return 0;
    if (EVP_DigestUpdate(hc->ctx, p, n) != 1) {
        ERR_clear_error();
        return -1;
    }
    return 0;
}

int mt_hash_peek(const mt_hash *hc, uint8_t *out)
{
    if (EVP_MD_CTX_copy_ex(hc->scratch, hc->ctx) != 1 ||
        EVP_DigestFinal_ex(hc->scratch, out, NULL) != 1) {
        ERR_clear_error();
        return -1;
    }
    return 0;
}

int mt_hash_oneshot(const mt_crypto *cx, mt_hash_id h, const uint8_t *p, size_t n, uint8_t *out)
{
    const EVP_MD *md = mt_crypto_md(cx, h);

    if (md == NULL)
        return -1;
    if (EVP_Digest(n > 0 ? p : zeros, n, out, NULL, md, NULL) != 1) {
        ERR_clear_error();
        return -1;
    }
    return 0;
}

/* A keyed HMAC context for h (a copy of the configuration's template). */
static EVP_MAC_CTX *hmac_start(const mt_crypto *cx, mt_hash_id h, const uint8_t *key,
                               size_t key_len)
{
    const EVP_MAC_CTX *tmpl = mt_crypto_hmac_tmpl(cx, h);
    EVP_MAC_CTX *m;

    if (tmpl == NULL)
        return NULL;
    m = EVP_MAC_CTX_dup(tmpl);
    if (m == NULL)
        return NULL;
    if (EVP_MAC_init(m, key_len > 0 ? key : zeros, key_len, NULL) != 1) {
        EVP_MAC_CTX_free(m);
        return NULL;
    }
    return m;
}

static int hmac_update(EVP_MAC_CTX *m, const uint8_t *p, size_t n)
{
    return n == 0 || EVP_MAC_update(m, p, n) == 1;
}

static int hmac_final(EVP_MAC_CTX *m, uint8_t *out, size_t size)
{
    size_t outl = 0;
    return EVP_MAC_final(m, out, &outl, size) == 1 && outl == size;
}

int mt_hmac(const mt_crypto *cx, mt_hash_id h, const uint8_t *key, size_t key_len,
            const uint8_t *data, size_t len, uint8_t *out)
{
    EVP_MAC_CTX *m = hmac_start(cx, h, key, key_len);
    int ok = m != NULL && hmac_update(m, data, len) && hmac_final(m, out, mt_hash_size(h));

    EVP_MAC_CTX_free(m); /* cleanses the keyed state */
    if (!ok) {
        ERR_clear_error();
        return -1;
    }
    return 0;
}

int mt_hkdf_extract(const mt_crypto *cx, mt_hash_id h, const uint8_t *salt, size_t salt_len,
                    const uint8_t *ikm, size_t ikm_len, uint8_t *out)
{
    /* PRK = HMAC-Hash(salt, IKM); no salt means HashLen zero bytes. */
    if (salt == NULL) {
        salt = zeros;
        salt_len = mt_hash_size(h);
    }
    return mt_hmac(cx, h, salt, salt_len, ikm, ikm_len, out);
}

int mt_hkdf_expand(const mt_crypto *cx, mt_hash_id h, const uint8_t *prk, size_t prk_len,
                   const uint8_t *info, size_t info_len, uint8_t *out, size_t out_len)
{
    size_t hl = mt_hash_size(h), done = 0, prev_len = 0;
    uint8_t t[MT_MAX_HASH], key[MT_MAX_HASH];
    uint8_t ctr = 0;
    int ok = 1;

    if (hl == 0 || out_len > 255 * hl)
        return -1;
    /* A private copy of the PRK lets out overlap it (a key update derives
     * the next secret in place). */
    if (prk_len <= sizeof(key)) {
        memcpy(key, prk, prk_len);
        prk = key;
    }
    /* T(i) = HMAC-Hash(PRK, T(i-1) | info | i), OKM = first L bytes. */
    while (ok && done < out_len) {
        EVP_MAC_CTX *m = hmac_start(cx, h, prk, prk_len);
        size_t take = out_len - done < hl ? out_len - done : hl;

        ctr++;
        ok = m != NULL && hmac_update(m, t, prev_len) && hmac_update(m, info, info_len) &&
             hmac_update(m, &ctr, 1) && hmac_final(m, t, hl);
        EVP_MAC_CTX_free(m);
        if (ok) {
            memcpy(out + done, t, take);
            done += take;
            prev_len = hl;
        }
    }
    mt_wipe(t, sizeof(t));
    mt_wipe(key, sizeof(key));
    if (!ok) {
        mt_wipe(out, out_len);
        ERR_clear_error();
        return -1;
    }
    return 0;
}

int mt_sha256(const uint8_t *p, size_t n, uint8_t out[32])
{
    unsigned int len = 0;
    if (EVP_Digest(p, n, out, &len, EVP_sha256(), NULL) != 1 || len != 32) {
        ERR_clear_error();
        return -1;
    }
    return 0;
}

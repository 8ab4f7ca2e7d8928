/*
 * Record protection. The cipher context is keyed once in mt_aead_new (the
 * key schedule is expanded once); each record only sets the nonce, so
 * sealing and opening allocate nothing.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>

#include "crypto/internal.h"

static const size_t key_lens[MT_AEAD_COUNT] = {16, 32, 32};

size_t mt_aead_key_len(mt_aead_id a)
{
    return (unsigned)a < MT_AEAD_COUNT ? key_lens[a] : 0;
}

struct mt_aead {
    EVP_CIPHER_CTX *ctx;
    int encrypt;
};

mt_aead *mt_aead_new(const mt_crypto *cx, mt_aead_id a, int encrypt, const uint8_t *key)
{
    const EVP_CIPHER *cipher = mt_crypto_cipher(cx, a);
    OSSL_PARAM params[2];
    size_t ivlen = MT_AEAD_NONCE_LEN;
    mt_aead *c;

    if (cipher == NULL)
        return NULL;
    c = calloc(1, sizeof(*c));
    if (c == NULL)
        return NULL;
    c->encrypt = encrypt ? 1 : 0;
    c->ctx = EVP_CIPHER_CTX_new();
    /* The nonce is 12 bytes for all three (the GCM default, but say so). */
    params[0] = OSSL_PARAM_construct_size_t(OSSL_CIPHER_PARAM_AEAD_IVLEN, &ivlen);
    params[1] = OSSL_PARAM_construct_end();
    if (c->ctx == NULL ||
        EVP_CipherInit_ex2(c->ctx, cipher, NULL, NULL, c->encrypt, NULL) != 1 ||
        EVP_CIPHER_CTX_set_params(c->ctx, params) != 1 ||
        (size_t)EVP_CIPHER_CTX_get_key_length(c->ctx) != key_lens[a] ||
        EVP_CipherInit_ex2(c->ctx, NULL, key, NULL, -1, NULL) != 1) {
        mt_aead_free(c);
        ERR_clear_error();
        return NULL;
    }
    return c;
}

void mt_aead_free(mt_aead *c)
{
    if (c == NULL)
        return;
    EVP_CIPHER_CTX_free(c->ctx); /* cleanses the key schedule */
    free(c);
}

/* Set the nonce and feed the additional data. */
static int start(mt_aead *c, const uint8_t *nonce, const uint8_t *aad, size_t aad_len)
{
    int outl;

    if (EVP_CipherInit_ex(c->ctx, NULL, NULL, NULL, nonce, -1) != 1)
        return 0;
    if (aad_len > 0 &&
        (aad_len > INT_MAX || EVP_CipherUpdate(c->ctx, NULL, &outl, aad, (int)aad_len) != 1))
        return 0;
    return 1;
}

/* Encrypt or decrypt len bytes (in == out is fine: the AEAD modes are
 * stream modes working in place) and finish. */
static int body(mt_aead *c, const uint8_t *in, size_t len, uint8_t *out)
{
    int outl = 0, finl = 0;

    if (len > INT_MAX)
        return 0;
    if (len > 0 && (EVP_CipherUpdate(c->ctx, out, &outl, in, (int)len) != 1 ||
                    (size_t)outl != len))
        return 0;
    /* The AEAD modes buffer nothing; Final only computes or checks the
     * tag. */
    if (EVP_CipherFinal_ex(c->ctx, out + outl, &finl) != 1 || finl != 0)
        return 0;
    return 1;
}

int mt_aead_seal(mt_aead *c, const uint8_t nonce[MT_AEAD_NONCE_LEN], const uint8_t *aad,
                 size_t aad_len, const uint8_t *in, size_t len, uint8_t *out)
{
    if (!c->encrypt || !start(c, nonce, aad, aad_len) || !body(c, in, len, out) ||
        EVP_CIPHER_CTX_ctrl(c->ctx, EVP_CTRL_AEAD_GET_TAG, MT_AEAD_TAG_LEN, out + len) != 1) {
        ERR_clear_error();
        return -1;
    }
    return 0;
}

int mt_aead_open(mt_aead *c, const uint8_t nonce[MT_AEAD_NONCE_LEN], const uint8_t *aad,
                 size_t aad_len, const uint8_t *in, size_t len, uint8_t *out)
{
    uint8_t tag[MT_AEAD_TAG_LEN];
    size_t ct_len;
    int ok;

    if (c->encrypt || len < MT_AEAD_TAG_LEN)
        return -1;
    ct_len = len - MT_AEAD_TAG_LEN;
    /* Copy the tag first: with in == out nothing overwrites it, but a
     * local copy keeps that true for any overlap. */
    memcpy(tag, in + ct_len, MT_AEAD_TAG_LEN);
    ok = start(c, nonce, aad, aad_len) &&
         EVP_CIPHER_CTX_ctrl(c->ctx, EVP_CTRL_AEAD_SET_TAG, MT_AEAD_TAG_LEN, tag) == 1 &&
         body(c, in, ct_len, out);
    if (!ok) {
        /* Unauthenticated plaintext must not survive a failed open. */
        mt_wipe(out, ct_len);
        ERR_clear_error();
        return -1;
    }
    return 0;
}

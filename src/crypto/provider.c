/*
 * Algorithms are fetched once here and shared (read-only) by every
 * connection of a configuration: an implicit fetch per operation would take
 * the provider store lock and look the name up each time.
 */
#include <stdlib.h>

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "crypto/internal.h"

static const char *const hash_names[MT_HASH_COUNT] = {"SHA256", "SHA384", "SHA512", "SHA1"};
static const char *const aead_names[MT_AEAD_COUNT] = {"AES-128-GCM", "AES-256-GCM",
                                                      "ChaCha20-Poly1305"};

const char *mt_hash_name(mt_hash_id h)
{
    return (unsigned)h < MT_HASH_COUNT ? hash_names[h] : NULL;
}

mt_crypto *mt_crypto_new(void)
{
    mt_crypto *cx = calloc(1, sizeof(*cx));
    int i;

    if (cx == NULL)
        return NULL;
    cx->libctx = NULL;
    for (i = 0; i < MT_HASH_COUNT; i++)
        cx->md[i] = EVP_MD_fetch(cx->libctx, hash_names[i], NULL);
    for (i = 0; i < MT_AEAD_COUNT; i++)
        cx->cipher[i] = EVP_CIPHER_fetch(cx->libctx, aead_names[i], NULL);
    cx->cbc[0] = EVP_CIPHER_fetch(cx->libctx, "AES-128-CBC", NULL);
    cx->cbc[1] = EVP_CIPHER_fetch(cx->libctx, "AES-256-CBC", NULL);
    cx->hmac = EVP_MAC_fetch(cx->libctx, "HMAC", NULL);
    if (cx->hmac != NULL) {
        for (i = 0; i < MT_HASH_COUNT; i++) {
            OSSL_PARAM p[2];
            EVP_MAC_CTX *m;

            if (cx->md[i] == NULL)
                continue;
            m = EVP_MAC_CTX_new(cx->hmac);
            p[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
                                                    (char *)hash_names[i], 0);
            p[1] = OSSL_PARAM_construct_end();
            if (m != NULL && EVP_MAC_CTX_set_params(m, p) != 1) {
                EVP_MAC_CTX_free(m);
                m = NULL;
            }
            cx->hmac_tmpl[i] = m;
        }
    }
    /* SHA-512, SHA-1 and ChaCha20-Poly1305 may be absent (a FIPS-only
     * default provider); whatever needs them then fails cleanly. What TLS
     * 1.3 cannot do without is required here. */
    if (cx->md[MT_SHA256] == NULL || cx->md[MT_SHA384] == NULL ||
        cx->cipher[MT_AES_128_GCM] == NULL || cx->cipher[MT_AES_256_GCM] == NULL ||
        cx->hmac_tmpl[MT_SHA256] == NULL || cx->hmac_tmpl[MT_SHA384] == NULL) {
        mt_crypto_free(cx);
        ERR_clear_error();
        return NULL;
    }
    ERR_clear_error(); /* failed optional fetches leave entries behind */
    return cx;
}

void mt_crypto_free(mt_crypto *cx)
{
    int i;

    if (cx == NULL)
        return;
    for (i = 0; i < MT_HASH_COUNT; i++) {
        EVP_MAC_CTX_free(cx->hmac_tmpl[i]);
        EVP_MD_free(cx->md[i]);
    }
    for (i = 0; i < MT_AEAD_COUNT; i++)
        EVP_CIPHER_free(cx->cipher[i]);
    EVP_CIPHER_free(cx->cbc[0]);
    EVP_CIPHER_free(cx->cbc[1]);
    EVP_MAC_free(cx->hmac);
    free(cx);
}

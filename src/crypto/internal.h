/*
 * Private to src/crypto/: the algorithms fetched by mt_crypto and the
 * EVP_PKEY behind an mt_pkey. Includes OpenSSL headers, so nothing outside
 * src/crypto/ (and src/x509/, through pkey_evp.h) may include it.
 */
#ifndef MT_CRYPTO_INTERNAL_H
#define MT_CRYPTO_INTERNAL_H

#include <openssl/evp.h>

#include "crypto/crypto.h"
#include "crypto/pkey_evp.h"

struct mt_crypto {
    OSSL_LIB_CTX *libctx; /* NULL: the default library context */
    EVP_MD *md[MT_HASH_COUNT];
    EVP_CIPHER *cipher[MT_AEAD_COUNT];
    EVP_CIPHER *cbc[2]; /* AES-128-CBC, AES-256-CBC (TLS 1.2) */
    EVP_MAC *hmac;
    /* One HMAC context per hash with the digest already set: duplicating it
     * avoids a by-name digest fetch on every HMAC. Only ever read. */
    EVP_MAC_CTX *hmac_tmpl[MT_HASH_COUNT];
};

/* Fetch names ("SHA256", ...). */
const char *mt_hash_name(mt_hash_id h);

static inline OSSL_LIB_CTX *mt_crypto_libctx(const mt_crypto *cx) { return cx->libctx; }
static inline const EVP_MD *mt_crypto_md(const mt_crypto *cx, mt_hash_id h)
{
    return (unsigned)h < MT_HASH_COUNT ? cx->md[h] : NULL;
}
static inline const EVP_CIPHER *mt_crypto_cipher(const mt_crypto *cx, mt_aead_id a)
{
    return (unsigned)a < MT_AEAD_COUNT ? cx->cipher[a] : NULL;
}
static inline const EVP_CIPHER *mt_crypto_cbc(const mt_crypto *cx, size_t key_len)
{
    return key_len == 16 ? cx->cbc[0] : key_len == 32 ? cx->cbc[1] : NULL;
}
static inline const EVP_MAC_CTX *mt_crypto_hmac_tmpl(const mt_crypto *cx, mt_hash_id h)
{
    return (unsigned)h < MT_HASH_COUNT ? cx->hmac_tmpl[h] : NULL;
}

/* Also declared (without OpenSSL types) in pkey_evp.h for src/x509/. */
static inline EVP_PKEY *mt_pkey_evp_pkey(const mt_pkey *k) { return (EVP_PKEY *)mt_pkey_evp(k); }

#endif

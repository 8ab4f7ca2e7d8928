/*
 * The bridge between mt_pkey and libcrypto's EVP_PKEY, for src/x509/ (which
 * may include OpenSSL headers) to wrap certificate public keys. Declared
 * with void * so this header itself needs no OpenSSL include.
 */
#ifndef MT_CRYPTO_PKEY_EVP_H
#define MT_CRYPTO_PKEY_EVP_H

#include "crypto/crypto.h"

/* Takes ownership of one reference to evp_pkey (an EVP_PKEY *); NULL in,
 * NULL out. Release with mt_pkey_free. */
mt_pkey *mt_pkey_wrap_evp(void *evp_pkey);
/* The EVP_PKEY * inside (borrowed: no reference is added). */
void *mt_pkey_evp(const mt_pkey *k);

#endif

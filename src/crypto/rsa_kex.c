/* TLS 1.2 RSA key exchange (RFC 5246 section 7.4.7.1). */
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>

#include "crypto/internal.h"

int mt_rsa_encrypt_premaster(const mt_crypto *cx, const mt_pkey *server_key,
                             const uint8_t pms[48], mt_buf *out)
{
    EVP_PKEY *pk = mt_pkey_evp_pkey(server_key);
    EVP_PKEY_CTX *ctx;
    size_t len = 0;
    int ok = 0;

    if (pk == NULL || mt_pkey_type(server_key) != MT_KEY_RSA)
        return -1;
    ctx = EVP_PKEY_CTX_new_from_pkey(mt_crypto_libctx(cx), pk, NULL);
    if (ctx != NULL && EVP_PKEY_encrypt_init(ctx) == 1 &&
        EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) == 1 &&
        EVP_PKEY_encrypt(ctx, NULL, &len, pms, 48) == 1 && mt_buf_reserve(out, len) == 0 &&
        EVP_PKEY_encrypt(ctx, out->data + out->len, &len, pms, 48) == 1) {
        out->len += len;
        ok = 1;
    }
    EVP_PKEY_CTX_free(ctx);
    if (!ok)
        ERR_clear_error();
    return ok ? 0 : -1;
}

int mt_rsa_decrypt_premaster(const mt_crypto *cx, const mt_pkey *key, const uint8_t *in,
                             size_t len, uint16_t client_version, uint8_t pms[48])
{
    EVP_PKEY *pk = mt_pkey_evp_pkey(key);
    EVP_PKEY_CTX *ctx;
    unsigned int ver = client_version, alt = 0;
    size_t outlen = 48;
    OSSL_PARAM params[3];
    int ok = 0;

    if (pk == NULL || mt_pkey_type(key) != MT_KEY_RSA)
        return -1;
    /* The ciphertext length is public: a wrong one is answered with a
     * random premaster too, so that the handshake fails only at Finished. */
    if (len != (size_t)EVP_PKEY_get_size(pk))
        return RAND_priv_bytes_ex(mt_crypto_libctx(cx), pms, 48, 0) == 1 ? 0 : -1;
    params[0] = OSSL_PARAM_construct_uint(OSSL_ASYM_CIPHER_PARAM_TLS_CLIENT_VERSION, &ver);
    params[1] = OSSL_PARAM_construct_uint(OSSL_ASYM_CIPHER_PARAM_TLS_NEGOTIATED_VERSION, &alt);
    params[2] = OSSL_PARAM_construct_end();
    alt = 0x0303;
    ctx = EVP_PKEY_CTX_new_from_pkey(mt_crypto_libctx(cx), pk, NULL);
    /* RSA_PKCS1_WITH_TLS_PADDING checks padding and version bytes in
     * constant time and substitutes a random premaster on any failure;
     * the call itself succeeds either way. */
    if (ctx != NULL && EVP_PKEY_decrypt_init(ctx) == 1 &&
        EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_WITH_TLS_PADDING) == 1 &&
        EVP_PKEY_CTX_set_params(ctx, params) == 1 &&
        EVP_PKEY_decrypt(ctx, pms, &outlen, in, len) == 1 && outlen == 48)
        ok = 1;
    EVP_PKEY_CTX_free(ctx);
    ERR_clear_error();
    /* The decryption itself fails for a ciphertext that is not a number
     * below the modulus (RSA_R_DATA_TOO_LARGE_FOR_MODULUS): that too is a
     * bad ciphertext, answered with a random premaster like the others,
     * never with an alert of its own (RFC 5246 7.4.7.1). */
    if (!ok)
        ok = RAND_priv_bytes_ex(mt_crypto_libctx(cx), pms, 48, 0) == 1;
    return ok ? 0 : -1;
}

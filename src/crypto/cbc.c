/*
 * TLS 1.2 CBC cipher suites: AES-CBC without padding (the record layer
 * adds and checks TLS padding itself) and a keyed HMAC reused per record.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>

#include "crypto/internal.h"

struct mt_cbc {
    EVP_CIPHER_CTX *ctx;
};

mt_cbc *mt_cbc_new(const mt_crypto *cx, size_t key_len, int encrypt, const uint8_t *key)
{
    const EVP_CIPHER *cipher = mt_crypto_cbc(cx, key_len);
    mt_cbc *c;

    if (cipher == NULL || (c = calloc(1, sizeof(*c))) == NULL)
        return NULL;
    c->ctx = EVP_CIPHER_CTX_new();
    if (c->ctx == NULL || EVP_CipherInit_ex2(c->ctx, cipher, key, NULL, encrypt, NULL) != 1 ||
        EVP_CIPHER_CTX_set_padding(c->ctx, 0) != 1) {
        mt_cbc_free(c);
        ERR_clear_error();
        return NULL;
    }
    return c;
}

int mt_cbc_crypt(mt_cbc *c, const uint8_t iv[MT_CBC_BLOCK], const uint8_t *in, size_t len,
                 uint8_t *out)
{
    int outl = 0, fin = 0;
    if (len % MT_CBC_BLOCK != 0 || len > INT32_MAX)
        return -1;
    /* Only the IV changes per record: the key schedule is kept. */
    if (EVP_CipherInit_ex2(c->ctx, NULL, NULL, iv, -1, NULL) != 1 ||
        EVP_CipherUpdate(c->ctx, out, &outl, in, (int)len) != 1 ||
        EVP_CipherFinal_ex(c->ctx, out + outl, &fin) != 1 || (size_t)(outl + fin) != len) {
        ERR_clear_error();
        return -1;
    }
    return 0;
}

void mt_cbc_free(mt_cbc *c)
{
    if (c == NULL)
        return;
    EVP_CIPHER_CTX_free(c->ctx); /* cleanses the key schedule */
    free(c);
}

struct mt_mac {
    EVP_MAC_CTX *m;
    EVP_MD_CTX *dummy; /* burns compression calls for Lucky 13 */
    const EVP_MD *md;
    size_t size, block;
};

mt_mac *mt_mac_new(const mt_crypto *cx, mt_hash_id h, const uint8_t *key, size_t key_len)
{
    const EVP_MAC_CTX *tmpl = mt_crypto_hmac_tmpl(cx, h);
    mt_mac *m;

    if (tmpl == NULL || (m = calloc(1, sizeof(*m))) == NULL)
        return NULL;
    m->md = mt_crypto_md(cx, h);
    m->size = mt_hash_size(h);
    m->block = m->md ? (size_t)EVP_MD_get_block_size(m->md) : 0;
    m->m = EVP_MAC_CTX_dup(tmpl);
    m->dummy = EVP_MD_CTX_new();
    if (m->m == NULL || m->dummy == NULL || m->block == 0 ||
        EVP_MAC_init(m->m, key, key_len, NULL) != 1) {
        mt_mac_free(m);
        ERR_clear_error();
        return NULL;
    }
    return m;
}

int mt_mac_start(mt_mac *m)
{
    /* A NULL key re-initialises HMAC with the key already set. */
    return EVP_MAC_init(m->m, NULL, 0, NULL) == 1 ? 0 : -1;
}

int mt_mac_update(mt_mac *m, const uint8_t *p, size_t n)
{
    return n == 0 || EVP_MAC_update(m->m, p, n) == 1 ? 0 : -1;
}

int mt_mac_finish(mt_mac *m, uint8_t *out)
{
    size_t outl = 0;
    return EVP_MAC_final(m->m, out, &outl, m->size) == 1 && outl == m->size ? 0 : -1;
}

size_t mt_mac_block_size(const mt_mac *m)
{
    return m->block;
}

int mt_mac_dummy_blocks(mt_mac *m, size_t blocks)
{
    static const uint8_t zeros[300 * 128];
    if (blocks * m->block > sizeof(zeros))
        return -1;
    /* One update of whole blocks: exactly `blocks` compressions. */
    if (EVP_DigestInit_ex2(m->dummy, m->md, NULL) != 1 ||
        EVP_DigestUpdate(m->dummy, zeros, blocks * m->block) != 1)
        return -1;
    return 0;
}

void mt_mac_free(mt_mac *m)
{
    if (m == NULL)
        return;
    EVP_MAC_CTX_free(m->m);
    EVP_MD_CTX_free(m->dummy);
    free(m);
}

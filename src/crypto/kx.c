/*
 * ECDHE key exchange: X25519, secp256r1, secp384r1.
 *
 * The private key is drawn from the rng hook rather than generated inside
 * libcrypto, so a test can fix it (RFC 8448 gives the client's X25519
 * private key) and reproduce a handshake byte for byte.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>

#include "crypto/internal.h"

#define X25519_LEN 32
#define SCALAR_TRIES 8 /* P-256/P-384 redraw odds are ~2^-32 per try */

struct mt_kx {
    uint16_t group;
    OSSL_LIB_CTX *libctx;
    EVP_PKEY *key;      /* our key pair */
    EC_GROUP *ec;       /* NIST curves: to check the peer's point */
    size_t field_len;   /* NIST curves: bytes per coordinate */
};

void mt_kx_free(mt_kx *kx)
{
    if (kx == NULL)
        return;
    EVP_PKEY_free(kx->key); /* the provider cleanses the private key */
    EC_GROUP_free(kx->ec);
    free(kx);
}

static int gen_x25519(mt_kx *kx, const mt_rng *rng, uint8_t *pub, size_t *pub_len)
{
    uint8_t priv[X25519_LEN];
    size_t len = X25519_LEN;
    int ok = 0;

    /* Any 32 bytes are a valid X25519 private key (clamped on use). */
    if (mt_random(rng, priv, sizeof(priv)) != 0)
        goto out;
    kx->key = EVP_PKEY_new_raw_private_key_ex(kx->libctx, "X25519", NULL, priv, sizeof(priv));
    if (kx->key == NULL || EVP_PKEY_get_raw_public_key(kx->key, pub, &len) != 1 ||
        len != X25519_LEN)
        goto out;
    *pub_len = len;
    ok = 1;
out:
    mt_wipe(priv, sizeof(priv));
    return ok;
}

static int gen_nist(mt_kx *kx, const mt_rng *rng, uint8_t *pub, size_t *pub_len)
{
    const char *name = kx->group == MT_GROUP_SECP256R1 ? "prime256v1" : "secp384r1";
    uint8_t buf[48];
    size_t n = kx->field_len, plen = 0;
    const BIGNUM *order = EC_GROUP_get0_order(kx->ec);
    BIGNUM *d = BN_secure_new(); /* secure: OSSL_PARAM_BLD then keeps it apart */
    BN_CTX *bnctx = BN_CTX_secure_new_ex(kx->libctx);
    EC_POINT *q = NULL;
    OSSL_PARAM_BLD *bld = NULL;
    OSSL_PARAM *params = NULL;
    EVP_PKEY_CTX *pctx = NULL;
    int tries, ok = 0;

    if (d == NULL || bnctx == NULL || order == NULL || n > sizeof(buf))
        goto out;
    BN_set_flags(d, BN_FLG_CONSTTIME);
    /* Rejection sampling for a uniform scalar in [1, order-1]: the orders
     * of P-256 and P-384 are just below 2^bits, so a redraw is rare. */
    for (tries = 0; tries < SCALAR_TRIES; tries++) {
        if (mt_random(rng, buf, n) != 0)
            goto out;
        if (BN_bin2bn(buf, (int)n, d) == NULL)
            goto out;
        if (!BN_is_zero(d) && BN_cmp(d, order) < 0)
            break;
    }
    if (tries == SCALAR_TRIES)
        goto out;
    q = EC_POINT_new(kx->ec);
    if (q == NULL || EC_POINT_mul(kx->ec, q, d, NULL, NULL, bnctx) != 1)
        goto out;
    plen = EC_POINT_point2oct(kx->ec, q, POINT_CONVERSION_UNCOMPRESSED, pub, 1 + 2 * n, bnctx);
    if (plen != 1 + 2 * n)
        goto out;

    bld = OSSL_PARAM_BLD_new();
    if (bld == NULL ||
        OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, name, 0) != 1 ||
        OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, d) != 1 ||
        OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, pub, plen) != 1)
        goto out;
    params = OSSL_PARAM_BLD_to_param(bld);
    pctx = EVP_PKEY_CTX_new_from_name(kx->libctx, "EC", NULL);
    if (params == NULL || pctx == NULL || EVP_PKEY_fromdata_init(pctx) != 1 ||
        EVP_PKEY_fromdata(pctx, &kx->key, EVP_PKEY_KEYPAIR, params) != 1)
        goto out;
    *pub_len = plen;
    ok = 1;
out:
    mt_wipe(buf, sizeof(buf));
    BN_clear_free(d);
    BN_CTX_free(bnctx);
    EC_POINT_free(q);
    OSSL_PARAM_free(params); /* the secure part (the scalar) is cleansed */
    OSSL_PARAM_BLD_free(bld);
    EVP_PKEY_CTX_free(pctx);
    return ok;
}

int mt_kx_generate(const mt_crypto *cx, uint16_t group, const mt_rng *rng, mt_kx **out,
                   uint8_t *pub, size_t *pub_len)
{
    mt_kx *kx;
    int ok;

    *out = NULL;
    if (group != MT_GROUP_X25519 && group != MT_GROUP_SECP256R1 && group != MT_GROUP_SECP384R1)
        return -1;
    kx = calloc(1, sizeof(*kx));
    if (kx == NULL)
        return -1;
    kx->group = group;
    kx->libctx = mt_crypto_libctx(cx);
    if (group == MT_GROUP_X25519) {
        ok = gen_x25519(kx, rng, pub, pub_len);
    } else {
        int nid = group == MT_GROUP_SECP256R1 ? NID_X9_62_prime256v1 : NID_secp384r1;
        kx->ec = EC_GROUP_new_by_curve_name_ex(kx->libctx, NULL, nid);
        kx->field_len = group == MT_GROUP_SECP256R1 ? 32 : 48;
        ok = kx->ec != NULL && gen_nist(kx, rng, pub, pub_len);
    }
    if (!ok) {
        mt_kx_free(kx);
        ERR_clear_error();
        return -1;
    }
    *out = kx;
    return 0;
}

/* The peer's share as an EVP_PKEY, or NULL when it is malformed or not a
 * point of the curve. */
static EVP_PKEY *peer_key(const mt_kx *kx, const uint8_t *peer, size_t peer_len)
{
    EVP_PKEY *pk = NULL;
    EC_POINT *q = NULL;
    BN_CTX *bnctx = NULL;
    int ok = 0;

    if (kx->group == MT_GROUP_X25519) {
        if (peer_len != X25519_LEN)
            return NULL;
        return EVP_PKEY_new_raw_public_key_ex(kx->libctx, "X25519", NULL, peer, peer_len);
    }
    /* RFC 8446 section 4.2.8.2: only the uncompressed form, and the point
     * must be on the curve (an off-curve point leaks the private key in
     * invalid-curve attacks). 0x04 excludes the point at infinity. */
    if (peer_len != 1 + 2 * kx->field_len || peer[0] != POINT_CONVERSION_UNCOMPRESSED)
        return NULL;
    bnctx = BN_CTX_new_ex(kx->libctx);
    q = EC_POINT_new(kx->ec);
    if (bnctx == NULL || q == NULL || EC_POINT_oct2point(kx->ec, q, peer, peer_len, bnctx) != 1 ||
        EC_POINT_is_on_curve(kx->ec, q, bnctx) != 1 || EC_POINT_is_at_infinity(kx->ec, q))
        goto out;
    pk = EVP_PKEY_new();
    if (pk == NULL || EVP_PKEY_copy_parameters(pk, kx->key) != 1 ||
        EVP_PKEY_set1_encoded_public_key(pk, peer, peer_len) != 1)
        goto out;
    ok = 1;
out:
    EC_POINT_free(q);
    BN_CTX_free(bnctx);
    if (!ok) {
        EVP_PKEY_free(pk);
        pk = NULL;
    }
    return pk;
}

int mt_kx_derive(mt_kx *kx, const uint8_t *peer, size_t peer_len, uint8_t *secret,
                 size_t *secret_len)
{
    static const uint8_t zero[X25519_LEN];
    size_t want = kx->group == MT_GROUP_X25519 ? X25519_LEN : kx->field_len;
    size_t len = want;
    EVP_PKEY *pk = peer_key(kx, peer, peer_len);
    EVP_PKEY_CTX *dctx = NULL;
    int ok = 0;

    if (pk == NULL)
        goto out;
    dctx = EVP_PKEY_CTX_new_from_pkey(kx->libctx, kx->key, NULL);
    /* ECDH yields the X coordinate padded to the field size, as RFC 8446
     * section 7.4.1 wants. */
    if (dctx == NULL || EVP_PKEY_derive_init(dctx) != 1 ||
        EVP_PKEY_derive_set_peer(dctx, pk) != 1 || EVP_PKEY_derive(dctx, secret, &len) != 1 ||
        len != want)
        goto out;
    /* RFC 7748 section 6.1 / RFC 8446 section 7.4.2: a low-order peer
     * point gives all zeros; libcrypto refuses it too, but be explicit. */
    if (kx->group == MT_GROUP_X25519 && mt_ct_equal(secret, zero, X25519_LEN))
        goto out;
    *secret_len = len;
    ok = 1;
out:
    EVP_PKEY_CTX_free(dctx);
    EVP_PKEY_free(pk);
    if (!ok) {
        mt_wipe(secret, want);
        ERR_clear_error();
        return -1;
    }
    return 0;
}

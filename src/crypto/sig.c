/*
 * Signature schemes (RFC 8446 section 4.2.3) and signing / verification.
 */
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include "crypto/internal.h"

/* Preference order: the order a peer is offered them in by default. */
const mt_sig_scheme mt_sig_schemes[] = {
    {MT_SIG_ECDSA_SECP256R1_SHA256, "ecdsa_secp256r1_sha256", MT_KEY_EC_P256, MT_SHA256, 0, 1},
    {MT_SIG_ECDSA_SECP384R1_SHA384, "ecdsa_secp384r1_sha384", MT_KEY_EC_P384, MT_SHA384, 0, 1},
    /* No P-521 keys here, so never usable in a handshake of ours. */
    {MT_SIG_ECDSA_SECP521R1_SHA512, "ecdsa_secp521r1_sha512", MT_KEY_EC_OTHER, MT_SHA512, 0, 0},
    {MT_SIG_ED25519, "ed25519", MT_KEY_ED25519, MT_SHA256 /* unused */, 0, 1},
    {MT_SIG_RSA_PSS_RSAE_SHA256, "rsa_pss_rsae_sha256", MT_KEY_RSA, MT_SHA256, 1, 1},
    {MT_SIG_RSA_PSS_RSAE_SHA384, "rsa_pss_rsae_sha384", MT_KEY_RSA, MT_SHA384, 1, 1},
    {MT_SIG_RSA_PSS_RSAE_SHA512, "rsa_pss_rsae_sha512", MT_KEY_RSA, MT_SHA512, 1, 1},
    {MT_SIG_RSA_PSS_PSS_SHA256, "rsa_pss_pss_sha256", MT_KEY_RSA_PSS, MT_SHA256, 1, 1},
    {MT_SIG_RSA_PSS_PSS_SHA384, "rsa_pss_pss_sha384", MT_KEY_RSA_PSS, MT_SHA384, 1, 1},
    {MT_SIG_RSA_PSS_PSS_SHA512, "rsa_pss_pss_sha512", MT_KEY_RSA_PSS, MT_SHA512, 1, 1},
    /* PKCS#1 v1.5 and SHA-1: certificates only, never CertificateVerify
     * (RFC 8446 section 4.4.3). */
    {MT_SIG_RSA_PKCS1_SHA256, "rsa_pkcs1_sha256", MT_KEY_RSA, MT_SHA256, 0, 0},
    {MT_SIG_RSA_PKCS1_SHA384, "rsa_pkcs1_sha384", MT_KEY_RSA, MT_SHA384, 0, 0},
    {MT_SIG_RSA_PKCS1_SHA512, "rsa_pkcs1_sha512", MT_KEY_RSA, MT_SHA512, 0, 0},
    {MT_SIG_RSA_PKCS1_SHA1, "rsa_pkcs1_sha1", MT_KEY_RSA, MT_SHA1, 0, 0},
    {MT_SIG_ECDSA_SHA1, "ecdsa_sha1", MT_KEY_EC_OTHER, MT_SHA1, 0, 0},
};
const size_t mt_sig_schemes_count = sizeof(mt_sig_schemes) / sizeof(mt_sig_schemes[0]);

static int ascii_casecmp(const char *a, const char *b)
{
    for (;; a++, b++) {
        int ca = (unsigned char)*a, cb = (unsigned char)*b;
        if (ca >= 'A' && ca <= 'Z')
            ca += 'a' - 'A';
        if (cb >= 'A' && cb <= 'Z')
            cb += 'a' - 'A';
        if (ca != cb || ca == 0)
            return ca - cb;
    }
}

const mt_sig_scheme *mt_sig_scheme_find(uint16_t code)
{
    size_t i;
    for (i = 0; i < mt_sig_schemes_count; i++)
        if (mt_sig_schemes[i].code == code)
            return &mt_sig_schemes[i];
    return NULL;
}

const mt_sig_scheme *mt_sig_scheme_by_name(const char *name)
{
    size_t i;
    if (name == NULL)
        return NULL;
    for (i = 0; i < mt_sig_schemes_count; i++)
        if (ascii_casecmp(mt_sig_schemes[i].name, name) == 0)
            return &mt_sig_schemes[i];
    return NULL;
}

static int is_ec(mt_key_type t)
{
    return t == MT_KEY_EC_P256 || t == MT_KEY_EC_P384 || t == MT_KEY_EC_OTHER;
}

/* 1 if the configuration has the scheme's hash (SHA-1 or SHA-512 may be
 * missing from a FIPS-only provider). */
static int have_hash(const mt_crypto *cx, const mt_sig_scheme *s)
{
    return s->key == MT_KEY_ED25519 || mt_crypto_md(cx, s->hash) != NULL;
}

/* Set up ctx for s with key pk (sign or verify). */
static int init_ctx(OSSL_LIB_CTX *libctx, EVP_MD_CTX *ctx, EVP_PKEY *pk, const mt_sig_scheme *s,
                    int sign)
{
    const char *md = s->key == MT_KEY_ED25519 ? NULL : mt_hash_name(s->hash);
    EVP_PKEY_CTX *pctx = NULL;
    int r;

    if (sign)
        r = EVP_DigestSignInit_ex(ctx, &pctx, md, libctx, NULL, pk, NULL);
    else
        r = EVP_DigestVerifyInit_ex(ctx, &pctx, md, libctx, NULL, pk, NULL);
    if (r != 1)
        return 0;
    if (s->pss) {
        /* RFC 8446 section 4.2.3: salt as long as the digest, MGF1 with
         * the same hash. On verify SALTLEN_DIGEST demands exactly that. */
        if (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
            EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) != 1 ||
            EVP_PKEY_CTX_set_rsa_mgf1_md_name(pctx, md, NULL) != 1)
            return 0;
    } else if (s->key == MT_KEY_RSA) {
        if (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) != 1)
            return 0;
    }
    return 1;
}

/* A restricted RSA-PSS key (RFC 4055 parameters) only signs with its own
 * hash and MGF1 hash and at least its salt length. The restrictions are
 * not all visible as key parameters (defaults are not exported), so ask
 * libcrypto itself: it refuses to set up a context the key forbids. */
static int pss_params_allow(EVP_PKEY *pk, const mt_sig_scheme *s)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    int r = ctx != NULL && init_ctx(NULL, ctx, pk, s, 0);

    EVP_MD_CTX_free(ctx);
    ERR_clear_error();
    return r;
}

int mt_sig_scheme_fits_key(const mt_sig_scheme *s, const mt_pkey *k)
{
    mt_key_type t = mt_pkey_type(k);

    if (s == NULL || t == MT_KEY_UNKNOWN)
        return 0;
    switch (s->code) {
    case MT_SIG_ECDSA_SHA1:
        return is_ec(t); /* not bound to a curve */
    case MT_SIG_ECDSA_SECP521R1_SHA512:
        return 0; /* we cannot tell P-521 from other curves: never claim it */
    default:
        break;
    }
    if (t != s->key)
        return 0;
    if (t == MT_KEY_RSA_PSS)
        return pss_params_allow(mt_pkey_evp_pkey(k), s);
    return 1;
}

int mt_sig_scheme_fits_key_tls12(const mt_sig_scheme *s, const mt_pkey *k)
{
    if (s != NULL && (s->code == MT_SIG_ECDSA_SECP256R1_SHA256 ||
                      s->code == MT_SIG_ECDSA_SECP384R1_SHA384 ||
                      s->code == MT_SIG_ECDSA_SECP521R1_SHA512 || s->code == MT_SIG_ECDSA_SHA1))
        return is_ec(mt_pkey_type(k));
    return mt_sig_scheme_fits_key(s, k);
}

/* The protocol code checks the version's rule (TLS 1.3 binds ECDSA
 * schemes to a curve, TLS 1.2 does not); here the key must at least be
 * usable with the scheme under one of them. */
static int fits_some_version(const mt_sig_scheme *s, const mt_pkey *k)
{
    return mt_sig_scheme_fits_key(s, k) || mt_sig_scheme_fits_key_tls12(s, k);
}

int mt_sign(const mt_crypto *cx, const mt_pkey *k, const mt_sig_scheme *s, const uint8_t *data,
            size_t len, mt_buf *sig)
{
    EVP_PKEY *pk = mt_pkey_evp_pkey(k);
    EVP_MD_CTX *ctx = NULL;
    size_t max, siglen;
    int ok = 0;

    if (pk == NULL || s == NULL || !fits_some_version(s, k))
        return -1;
    max = (size_t)EVP_PKEY_get_size(pk); /* upper bound on the signature */
    if (max == 0 || mt_buf_reserve(sig, max) != 0)
        goto out;
    ctx = EVP_MD_CTX_new();
    if (ctx == NULL || !have_hash(cx, s) || !init_ctx(mt_crypto_libctx(cx), ctx, pk, s, 1))
        goto out;
    siglen = max;
    if (EVP_DigestSign(ctx, sig->data + sig->len, &siglen, data, len) != 1 || siglen > max)
        goto out;
    sig->len += siglen;
    ok = 1;
out:
    EVP_MD_CTX_free(ctx);
    if (!ok) {
        ERR_clear_error();
        return -1;
    }
    return 0;
}

int mt_verify(const mt_crypto *cx, const mt_pkey *k, const mt_sig_scheme *s, const uint8_t *data,
              size_t len, const uint8_t *sig, size_t sig_len)
{
    EVP_PKEY *pk = mt_pkey_evp_pkey(k);
    EVP_MD_CTX *ctx;
    int ok;

    if (pk == NULL || s == NULL || !fits_some_version(s, k))
        return -1;
    ctx = EVP_MD_CTX_new();
    ok = ctx != NULL && have_hash(cx, s) && init_ctx(mt_crypto_libctx(cx), ctx, pk, s, 0) &&
         EVP_DigestVerify(ctx, sig, sig_len, data, len) == 1;
    EVP_MD_CTX_free(ctx);
    /* A bad signature is an answer, not an error: leave no trace. */
    ERR_clear_error();
    return ok ? 0 : -1;
}

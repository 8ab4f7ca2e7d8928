/*
 * Keys. An mt_pkey * is the EVP_PKEY * itself, behind an opaque type:
 * references are EVP_PKEY's own (atomic) count, so taking one cannot fail
 * and keys can be shared across threads without a wrapper to manage.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "crypto/internal.h"

mt_pkey *mt_pkey_wrap_evp(void *evp_pkey)
{
    return (mt_pkey *)evp_pkey;
}

void *mt_pkey_evp(const mt_pkey *k)
{
    return (void *)k;
}

mt_pkey *mt_pkey_up_ref(mt_pkey *k)
{
    if (k != NULL && EVP_PKEY_up_ref(mt_pkey_evp_pkey(k)) != 1)
        return NULL;
    return k;
}

void mt_pkey_free(mt_pkey *k)
{
    EVP_PKEY_free(mt_pkey_evp_pkey(k)); /* private parts are cleansed */
}

mt_key_type mt_pkey_type(const mt_pkey *k)
{
    EVP_PKEY *pk = mt_pkey_evp_pkey(k);
    char group[64];
    size_t glen = 0;

    if (pk == NULL)
        return MT_KEY_UNKNOWN;
    /* RSA-PSS first: its key manager is distinct from RSA's. */
    if (EVP_PKEY_is_a(pk, "RSA-PSS"))
        return MT_KEY_RSA_PSS;
    if (EVP_PKEY_is_a(pk, "RSA"))
        return MT_KEY_RSA;
    if (EVP_PKEY_is_a(pk, "ED25519"))
        return MT_KEY_ED25519;
    if (EVP_PKEY_is_a(pk, "EC")) {
        /* Explicit curve parameters have no group name: "other". */
        if (EVP_PKEY_get_group_name(pk, group, sizeof(group), &glen) != 1) {
            ERR_clear_error();
            return MT_KEY_EC_OTHER;
        }
        if (strcmp(group, "prime256v1") == 0 || strcmp(group, "P-256") == 0 ||
            strcmp(group, "secp256r1") == 0)
            return MT_KEY_EC_P256;
        if (strcmp(group, "secp384r1") == 0 || strcmp(group, "P-384") == 0)
            return MT_KEY_EC_P384;
        return MT_KEY_EC_OTHER;
    }
    return MT_KEY_UNKNOWN;
}

int mt_pkey_bits(const mt_pkey *k)
{
    EVP_PKEY *pk = mt_pkey_evp_pkey(k);
    return pk != NULL ? EVP_PKEY_get_bits(pk) : 0;
}

const char *mt_key_type_name(mt_key_type t)
{
    switch (t) {
    case MT_KEY_RSA: return "RSA";
    case MT_KEY_RSA_PSS: return "RSA-PSS";
    case MT_KEY_EC_P256: return "ECDSA P-256";
    case MT_KEY_EC_P384: return "ECDSA P-384";
    case MT_KEY_EC_OTHER: return "ECDSA";
    case MT_KEY_ED25519: return "Ed25519";
    case MT_KEY_UNKNOWN: break;
    }
    return "unknown";
}

int mt_pkey_same_public(const mt_pkey *a, const mt_pkey *b)
{
    int r;

    if (a == NULL || b == NULL)
        return 0;
    r = EVP_PKEY_eq(mt_pkey_evp_pkey(a), mt_pkey_evp_pkey(b));
    ERR_clear_error(); /* a type mismatch leaves an entry */
    return r == 1;
}

/* 1 if the n bytes at p contain the NUL-terminated needle. */
static int contains(const char *p, size_t n, const char *needle)
{
    size_t m = strlen(needle), i;

    for (i = 0; m <= n && i <= n - m; i++)
        if (memcmp(p + i, needle, m) == 0)
            return 1;
    return 0;
}

/* Never prompt on the terminal for a passphrase (the default callback
 * would): encrypted keys are refused. */
static int no_passphrase(char *buf, int size, int rwflag, void *u)
{
    (void)buf;
    (void)size;
    (void)rwflag;
    (void)u;
    return -1;
}

int mt_pkey_from_pem(const char *pem, size_t len, mt_pkey **out, mt_error *e)
{
    BIO *bio;
    EVP_PKEY *pk;
    unsigned long err;
    char reason[256];

    *out = NULL;
    if (pem == NULL || len == 0 || len > INT_MAX)
        return mt_fail(e, MUTLS_ERR_CONFIG, MT_NO_ALERT, "private key: empty or oversized PEM");
    bio = BIO_new_mem_buf(pem, (int)len);
    if (bio == NULL) {
        ERR_clear_error();
        return mt_fail(e, MUTLS_ERR_INTERNAL, MT_NO_ALERT, "private key: out of memory");
    }
    pk = PEM_read_bio_PrivateKey_ex(bio, NULL, no_passphrase, NULL, NULL, NULL);
    BIO_free(bio);
    if (pk == NULL) {
        err = ERR_peek_last_error();
        /* libcrypto's decoder reasons ("unsupported") say little; name
         * the likely cause from the text itself where we can. */
        if (!contains(pem, len, "-----BEGIN "))
            snprintf(reason, sizeof(reason),
                     "no \"-----BEGIN ... PRIVATE KEY-----\" block found");
        else if (!contains(pem, len, "PRIVATE KEY-----"))
            snprintf(reason, sizeof(reason),
                     "the PEM holds no private key (a certificate or public key?)");
        else if (contains(pem, len, "ENCRYPTED") ||
                 (ERR_GET_LIB(err) == ERR_LIB_PEM && ERR_GET_REASON(err) == PEM_R_BAD_PASSWORD_READ))
            snprintf(reason, sizeof(reason), "the key is encrypted; passphrases are not supported");
        else
            snprintf(reason, sizeof(reason), "malformed or unsupported key (%s)",
                     ERR_reason_error_string(err) ? ERR_reason_error_string(err) : "no detail");
        ERR_clear_error();
        return mt_fail(e, MUTLS_ERR_CONFIG, MT_NO_ALERT, "private key PEM could not be loaded: %s",
                       reason);
    }
    if (mt_pkey_type(mt_pkey_wrap_evp(pk)) == MT_KEY_UNKNOWN) {
        const char *tn = EVP_PKEY_get0_type_name(pk);
        snprintf(reason, sizeof(reason), "%s", tn != NULL ? tn : "unknown");
        EVP_PKEY_free(pk);
        return mt_fail(e, MUTLS_ERR_CONFIG, MT_NO_ALERT,
                       "private key of type %s is not supported (use RSA, RSA-PSS, ECDSA or "
                       "Ed25519)",
                       reason);
    }
    ERR_clear_error(); /* decoders try formats in turn and leave entries */
    *out = mt_pkey_wrap_evp(pk);
    return 0;
}

/*
 * One parsed certificate, and the words used to describe certificates in
 * messages (names, dates, usages).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "crypto/pkey_evp.h"
#include "x509/internal.h"

mt_x509 *mt_x509_wrap(X509 *x)
{
    mt_x509 *w;
    if (x == NULL)
        return NULL;
    w = malloc(sizeof(*w));
    if (w == NULL) {
        X509_free(x);
        return NULL;
    }
    w->x = x;
    return w;
}

int mt_x509_from_der(const uint8_t *der, size_t len, mt_x509 **out)
{
    const unsigned char *p = der;
    X509 *x;

    *out = NULL;
    if (der == NULL || len == 0 || len > (size_t)0x7fffffff)
        return -1;
    x = d2i_X509(NULL, &p, (long)len);
    if (x == NULL) {
        ERR_clear_error();
        return -1;
    }
    if ((size_t)(p - der) != len) { /* trailing bytes: not one DER object */
        X509_free(x);
        return -1;
    }
    *out = mt_x509_wrap(x);
    return *out != NULL ? 0 : -1;
}

void mt_x509_free(mt_x509 *x)
{
    if (x == NULL)
        return;
    X509_free(x->x);
    free(x);
}

mt_pkey *mt_x509_public_key(const mt_x509 *x)
{
    EVP_PKEY *k;
    if (x == NULL)
        return NULL;
    k = X509_get_pubkey(x->x); /* new reference */
    if (k == NULL) {
        ERR_clear_error();
        return NULL;
    }
    return mt_pkey_wrap_evp(k);
}

char *mt_x509_name_str(const X509_NAME *n)
{
    BIO *b;
    char *data, *s = NULL;
    long len;

    b = BIO_new(BIO_s_mem());
    if (b == NULL)
        return NULL;
    /* RFC 2253 order is RFC 4514 order: most specific RDN first. The
     * escaping flags keep the text printable ASCII. */
    if (n != NULL && X509_NAME_print_ex(b, n, 0, XN_FLAG_RFC2253) < 0)
        goto Exit;
    len = BIO_get_mem_data(b, &data);
    if (len < 0)
        goto Exit;
    s = malloc((size_t)len + 1);
    if (s == NULL)
        goto Exit;
    if (len > 0)
        memcpy(s, data, (size_t)len);
    s[len] = '\0';
Exit:
    BIO_free(b);
    ERR_clear_error();
    return s;
}

char *mt_x509_subject(const mt_x509 *x)
{
    return x != NULL ? mt_x509_name_str(X509_get_subject_name(x->x)) : NULL;
}

char *mt_x509_issuer(const mt_x509 *x)
{
    return x != NULL ? mt_x509_name_str(X509_get_issuer_name(x->x)) : NULL;
}

void mt_x509_time_str(const ASN1_TIME *t, char buf[32])
{
    struct tm tm;
    memset(&tm, 0, sizeof(tm));
    if (t == NULL || !ASN1_TIME_to_tm(t, &tm)) {
        ERR_clear_error();
        snprintf(buf, 32, "(invalid time)");
        return;
    }
    if (strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        snprintf(buf, 32, "(invalid time)");
}

void mt_x509_append(char *buf, size_t size, const char *s)
{
    size_t len, n;
    if (size == 0)
        return;
    len = strnlen(buf, size - 1);
    n = strlen(s);
    if (n > size - 1 - len)
        n = size - 1 - len;
    memcpy(buf + len, s, n);
    buf[len + n] = '\0';
}

void mt_x509_label(X509 *x, char *buf, size_t size)
{
    char *s;
    if (size == 0)
        return;
    buf[0] = '\0';
    s = x != NULL ? mt_x509_name_str(X509_get_subject_name(x)) : NULL;
    mt_x509_append(buf, size, s != NULL && s[0] != '\0' ? s : "(no subject)");
    free(s);
}

void mt_x509_eku_str(X509 *x, char *buf, size_t size)
{
    EXTENDED_KEY_USAGE *eku;
    char name[128];
    int i, n;

    if (size == 0)
        return;
    buf[0] = '\0';
    eku = X509_get_ext_d2i(x, NID_ext_key_usage, NULL, NULL);
    if (eku == NULL) {
        ERR_clear_error();
        mt_x509_append(buf, size, "none");
        return;
    }
    n = sk_ASN1_OBJECT_num(eku);
    for (i = 0; i < n; i++) {
        const ASN1_OBJECT *o = sk_ASN1_OBJECT_value(eku, i);
        int nid = OBJ_obj2nid(o);
        if (i > 0)
            mt_x509_append(buf, size, ", ");
        if (nid != NID_undef && OBJ_nid2ln(nid) != NULL) {
            mt_x509_append(buf, size, OBJ_nid2ln(nid));
        } else {
            name[0] = '\0';
            OBJ_obj2txt(name, sizeof(name), o, 1);
            mt_x509_append(buf, size, name);
        }
    }
    if (n == 0)
        mt_x509_append(buf, size, "none");
    sk_ASN1_OBJECT_pop_free(eku, ASN1_OBJECT_free);
}

void mt_x509_ku_str(X509 *x, char *buf, size_t size)
{
    static const struct {
        uint32_t bit;
        const char *name;
    } ku[] = {
        {KU_DIGITAL_SIGNATURE, "Digital Signature"}, {KU_NON_REPUDIATION, "Non Repudiation"},
        {KU_KEY_ENCIPHERMENT, "Key Encipherment"},   {KU_DATA_ENCIPHERMENT, "Data Encipherment"},
        {KU_KEY_AGREEMENT, "Key Agreement"},         {KU_KEY_CERT_SIGN, "Certificate Sign"},
        {KU_CRL_SIGN, "CRL Sign"},                   {KU_ENCIPHER_ONLY, "Encipher Only"},
        {KU_DECIPHER_ONLY, "Decipher Only"},
    };
    uint32_t bits;
    size_t i;
    int any = 0;

    if (size == 0)
        return;
    buf[0] = '\0';
    if (!(X509_get_extension_flags(x) & EXFLAG_KUSAGE)) {
        mt_x509_append(buf, size, "any");
        return;
    }
    bits = X509_get_key_usage(x);
    for (i = 0; i < sizeof(ku) / sizeof(ku[0]); i++) {
        if (bits & ku[i].bit) {
            if (any)
                mt_x509_append(buf, size, ", ");
            mt_x509_append(buf, size, ku[i].name);
            any = 1;
        }
    }
    if (!any)
        mt_x509_append(buf, size, "none");
}

uint16_t mt_x509_signature_scheme(const mt_x509 *x)
{
    int md = NID_undef, pk = NID_undef;
    if (x == NULL || !X509_get_signature_info(x->x, &md, &pk, NULL, NULL))
        return 0;
    switch (pk) {
    case NID_rsaEncryption:
        return md == NID_sha256   ? MT_SIG_RSA_PKCS1_SHA256
               : md == NID_sha384 ? MT_SIG_RSA_PKCS1_SHA384
               : md == NID_sha512 ? MT_SIG_RSA_PKCS1_SHA512
               : md == NID_sha1   ? MT_SIG_RSA_PKCS1_SHA1
                                  : 0;
    case NID_rsassaPss:
        return md == NID_sha256   ? MT_SIG_RSA_PSS_RSAE_SHA256
               : md == NID_sha384 ? MT_SIG_RSA_PSS_RSAE_SHA384
               : md == NID_sha512 ? MT_SIG_RSA_PSS_RSAE_SHA512
                                  : 0;
    case NID_X9_62_id_ecPublicKey:
        return md == NID_sha256   ? MT_SIG_ECDSA_SECP256R1_SHA256
               : md == NID_sha384 ? MT_SIG_ECDSA_SECP384R1_SHA384
               : md == NID_sha512 ? MT_SIG_ECDSA_SECP521R1_SHA512
               : md == NID_sha1   ? MT_SIG_ECDSA_SHA1
                                  : 0;
    case NID_ED25519:
        return MT_SIG_ED25519;
    default:
        return 0;
    }
}

int mt_x509_key_usage_allows(const mt_x509 *x, unsigned usage)
{
    /* X509_get_key_usage: all bits set when the extension is absent. */
    return x != NULL && (X509_get_key_usage(x->x) & usage) == usage;
}

int mt_x509_usable_for_client(const mt_x509 *x)
{
    /* X509_get_extended_key_usage: all bits set without the extension. */
    return x != NULL && (X509_get_extended_key_usage(x->x) & XKU_SSL_CLIENT) != 0;
}

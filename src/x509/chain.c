/*
 * The chain we present: certificates from PEM (leaf first, kept as DER for
 * the Certificate message) and the private key that must match the leaf.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "crypto/pkey_evp.h"
#include "x509/internal.h"

void mt_cert_chain_free(mt_cert_chain *c)
{
    size_t i;
    if (c == NULL)
        return;
    for (i = 0; i < c->n; i++)
        free(c->der[i]);
    free(c->der);
    free(c->der_len);
    free(c->sig_schemes);
    mt_x509_free(c->leaf);
    mt_pkey_free(c->key);
    free(c->subject);
    for (i = 0; i < c->names_n; i++)
        free(c->names[i]);
    free(c->names);
    free(c);
}

/* The reason libcrypto gave for the last failure, for messages. */
static const char *last_reason(void)
{
    unsigned long err = ERR_peek_last_error();
    const char *r = err != 0 ? ERR_reason_error_string(err) : NULL;
    return r != NULL ? r : "unknown error";
}

static int append_der(mt_cert_chain *c, X509 *x)
{
    int len = i2d_X509(x, NULL);
    uint8_t **der;
    size_t *der_len;
    unsigned char *p;

    if (len <= 0)
        return -1;
    der = realloc(c->der, (c->n + 1) * sizeof(*der));
    if (der == NULL)
        return -1;
    c->der = der;
    der_len = realloc(c->der_len, (c->n + 1) * sizeof(*der_len));
    if (der_len == NULL)
        return -1;
    c->der_len = der_len;
    uint16_t *schemes = realloc(c->sig_schemes, (c->n + 1) * sizeof(*schemes));
    if (schemes == NULL)
        return -1;
    c->sig_schemes = schemes;
    mt_x509 tmp = {x};
    c->sig_schemes[c->n] = mt_x509_signature_scheme(&tmp);
    c->der[c->n] = malloc((size_t)len);
    if (c->der[c->n] == NULL)
        return -1;
    p = c->der[c->n];
    if (i2d_X509(x, &p) != len) {
        free(c->der[c->n]);
        return -1;
    }
    c->der_len[c->n] = (size_t)len;
    c->n++;
    return 0;
}

static void describe_key(const mt_pkey *k, char *buf, size_t size)
{
    char bits[32];
    buf[0] = '\0';
    if (k == NULL) {
        mt_x509_append(buf, size, "unknown");
        return;
    }
    mt_x509_append(buf, size, mt_key_type_name(mt_pkey_type(k)));
    snprintf(bits, sizeof(bits), " %d bits", mt_pkey_bits(k));
    mt_x509_append(buf, size, bits);
}

int mt_cert_chain_load(const char *chain_pem, size_t chain_len, const char *key_pem,
                       size_t key_len, mt_cert_chain **out, mt_error *e)
{
    mt_cert_chain *c = NULL;
    BIO *bio = NULL;
    X509 *x = NULL;
    mt_pkey *pub = NULL;
    char label[256];
    int ret = 0;

    *out = NULL;
    ERR_clear_error();
    if (chain_pem == NULL || chain_len == 0 || chain_len > INT_MAX) {
        ret = mt_fail(e, MUTLS_ERR_CONFIG, MT_NO_ALERT, "no certificate found in chain PEM");
        goto Exit;
    }
    c = calloc(1, sizeof(*c));
    bio = BIO_new_mem_buf(chain_pem, (int)chain_len);
    if (c == NULL || bio == NULL)
        goto Nomem;

    for (;;) {
        x = PEM_read_bio_X509(bio, NULL, NULL, NULL);
        if (x == NULL) {
            unsigned long err = ERR_peek_last_error();
            if (ERR_GET_LIB(err) == ERR_LIB_PEM && ERR_GET_REASON(err) == PEM_R_NO_START_LINE)
                break; /* no further CERTIFICATE block */
            ret = mt_fail(e, MUTLS_ERR_CONFIG, MT_NO_ALERT,
                          "certificate #%zu in chain PEM is malformed: %s", c->n + 1,
                          last_reason());
            goto Exit;
        }
        if (c->n == 0) {
            X509_up_ref(x);
            c->leaf = mt_x509_wrap(x);
            if (c->leaf == NULL)
                goto Nomem;
        }
        if (append_der(c, x) != 0)
            goto Nomem;
        X509_free(x);
        x = NULL;
    }
    ERR_clear_error();
    if (c->n == 0) {
        ret = mt_fail(e, MUTLS_ERR_CONFIG, MT_NO_ALERT, "no certificate found in chain PEM");
        goto Exit;
    }
    mt_x509_label(c->leaf->x, label, sizeof(label));

    if (key_pem == NULL || key_len == 0) {
        ret = mt_fail(e, MUTLS_ERR_CONFIG, MT_NO_ALERT,
                      "no private key given for certificate %s", label);
        goto Exit;
    }
    TRY(mt_pkey_from_pem(key_pem, key_len, &c->key, e));
    if (X509_check_private_key(c->leaf->x, (EVP_PKEY *)mt_pkey_evp(c->key)) != 1) {
        char kd[64], cd[64];
        ERR_clear_error();
        pub = mt_x509_public_key(c->leaf);
        describe_key(c->key, kd, sizeof(kd));
        describe_key(pub, cd, sizeof(cd));
        ret = mt_fail(e, MUTLS_ERR_CONFIG, MT_NO_ALERT,
                      "private key does not match certificate %s (key: %s; certificate key: %s)",
                      label, kd, cd);
        goto Exit;
    }

    c->subject = mt_x509_subject(c->leaf);
    if (c->subject == NULL || mt_x509_dns_names(c->leaf->x, &c->names, &c->names_n) != 0)
        goto Nomem;
    *out = c;
    c = NULL;
    goto Exit;

Nomem:
    ret = mt_fail(e, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR,
                  "out of memory loading the certificate chain");
Exit:
    ERR_clear_error();
    X509_free(x);
    BIO_free(bio);
    mt_pkey_free(pub);
    mt_cert_chain_free(c);
    return ret;
}

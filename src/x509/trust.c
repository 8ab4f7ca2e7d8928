/*
 * Trust anchors. An mt_trust is an X509_STORE: its reference count and its
 * internal lock are libcrypto's, so a store can be shared by any number of
 * configurations and verified against from several threads once built.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include "x509/internal.h"

#define SYSTEM_FILE "/etc/ssl/certs/ca-certificates.crt"
#define SYSTEM_DIR "/etc/ssl/certs"

mt_trust *mt_trust_new(void)
{
    return (mt_trust *)(void *)X509_STORE_new();
}

mt_trust *mt_trust_up_ref(mt_trust *t)
{
    if (t != NULL && !X509_STORE_up_ref(mt_trust_store(t)))
        return NULL;
    return t;
}

void mt_trust_free(mt_trust *t)
{
    X509_STORE_free(mt_trust_store(t));
}

static const char *last_reason(void)
{
    unsigned long err = ERR_peek_last_error();
    const char *r = err != 0 ? ERR_reason_error_string(err) : NULL;
    return r != NULL ? r : "unknown error";
}

int mt_trust_add_file(mt_trust *t, const char *path, mt_error *e)
{
    struct stat st;
    FILE *f;
    unsigned long err;

    if (t == NULL || path == NULL)
        return mt_fail(e, MUTLS_ERR_INVALID_ARGUMENT, MT_NO_ALERT, "no trust file given");
    f = fopen(path, "r");
    if (f == NULL)
        return mt_fail(e, MUTLS_ERR_CONFIG, MT_NO_ALERT, "cannot read trust file %s: %s", path,
                       strerror(errno));
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        fclose(f);
        return mt_fail(e, MUTLS_ERR_CONFIG, MT_NO_ALERT,
                       "trust file %s is a directory (add it as a trust directory)", path);
    }
    fclose(f);
    ERR_clear_error();
    if (X509_STORE_load_file(mt_trust_store(t), path) == 1) {
        ERR_clear_error();
        return 0;
    }
    err = ERR_peek_last_error();
    if (ERR_GET_LIB(err) == ERR_LIB_X509 &&
        ERR_GET_REASON(err) == X509_R_NO_CERTIFICATE_OR_CRL_FOUND) {
        ERR_clear_error();
        return mt_fail(e, MUTLS_ERR_CONFIG, MT_NO_ALERT,
                       "trust file %s contains no PEM certificate", path);
    }
    mt_fail(e, MUTLS_ERR_CONFIG, MT_NO_ALERT, "cannot load trust file %s: %s", path,
            last_reason());
    ERR_clear_error();
    return e->code;
}

/* OpenSSL's hashed names: 8 hex digits, '.', optional 'r', digits. */
static int is_hashed_name(const char *s)
{
    int i;
    for (i = 0; i < 8; i++) {
        char c = s[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return 0;
    }
    if (s[8] != '.')
        return 0;
    s += 9;
    if (*s == 'r')
        s++;
    if (*s == '\0')
        return 0;
    for (; *s != '\0'; s++)
        if (*s < '0' || *s > '9')
            return 0;
    return 1;
}

int mt_trust_add_dir(mt_trust *t, const char *path, mt_error *e)
{
    struct stat st;
    DIR *d;
    struct dirent *de;
    int hashed = 0;

    if (t == NULL || path == NULL)
        return mt_fail(e, MUTLS_ERR_INVALID_ARGUMENT, MT_NO_ALERT, "no trust directory given");
    if (stat(path, &st) != 0)
        return mt_fail(e, MUTLS_ERR_CONFIG, MT_NO_ALERT, "cannot read trust directory %s: %s",
                       path, strerror(errno));
    if (!S_ISDIR(st.st_mode))
        return mt_fail(e, MUTLS_ERR_CONFIG, MT_NO_ALERT,
                       "trust directory %s is not a directory (add it as a trust file)", path);
    d = opendir(path);
    if (d == NULL)
        return mt_fail(e, MUTLS_ERR_CONFIG, MT_NO_ALERT, "cannot read trust directory %s: %s",
                       path, strerror(errno));
    while (!hashed && (de = readdir(d)) != NULL)
        hashed = is_hashed_name(de->d_name);
    closedir(d);
    if (!hashed)
        return mt_fail(e, MUTLS_ERR_CONFIG, MT_NO_ALERT,
                       "trust directory %s has no hashed certificate names such as "
                       "1a2b3c4d.0 (run `openssl rehash %s`)",
                       path, path);
    ERR_clear_error();
    if (X509_STORE_load_path(mt_trust_store(t), path) != 1) {
        mt_fail(e, MUTLS_ERR_CONFIG, MT_NO_ALERT, "cannot use trust directory %s: %s", path,
                last_reason());
        ERR_clear_error();
        return e->code;
    }
    return 0;
}

int mt_trust_add_pem(mt_trust *t, const char *pem, size_t len, mt_error *e)
{
    BIO *bio;
    X509 *x;
    size_t count = 0;
    int ret = 0;

    if (t == NULL)
        return mt_fail(e, MUTLS_ERR_INVALID_ARGUMENT, MT_NO_ALERT, "no trust store given");
    if (pem == NULL || len == 0 || len > INT_MAX)
        return mt_fail(e, MUTLS_ERR_CONFIG, MT_NO_ALERT, "trust PEM contains no certificate");
    ERR_clear_error();
    bio = BIO_new_mem_buf(pem, (int)len);
    if (bio == NULL)
        return mt_fail(e, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR, "out of memory");
    for (;;) {
        x = PEM_read_bio_X509(bio, NULL, NULL, NULL);
        if (x == NULL) {
            unsigned long err = ERR_peek_last_error();
            if (ERR_GET_LIB(err) == ERR_LIB_PEM && ERR_GET_REASON(err) == PEM_R_NO_START_LINE)
                break;
            ret = mt_fail(e, MUTLS_ERR_CONFIG, MT_NO_ALERT,
                          "certificate #%zu in trust PEM is malformed: %s", count + 1,
                          last_reason());
            goto Exit;
        }
        count++;
        if (X509_STORE_add_cert(mt_trust_store(t), x) != 1) {
            ret = mt_fail(e, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR,
                          "cannot add certificate #%zu of trust PEM: %s", count, last_reason());
            X509_free(x);
            goto Exit;
        }
        X509_free(x);
    }
    if (count == 0)
        ret = mt_fail(e, MUTLS_ERR_CONFIG, MT_NO_ALERT, "trust PEM contains no certificate");
Exit:
    ERR_clear_error();
    BIO_free(bio);
    return ret;
}

int mt_trust_add_system(mt_trust *t, mt_error *e)
{
    mt_error fe, de;
    int have_file, have_dir;

    if (t == NULL)
        return mt_fail(e, MUTLS_ERR_INVALID_ARGUMENT, MT_NO_ALERT, "no trust store given");
    mt_error_clear(&fe);
    mt_error_clear(&de);
    have_file = mt_trust_add_file(t, SYSTEM_FILE, &fe) == 0;
    have_dir = mt_trust_add_dir(t, SYSTEM_DIR, &de) == 0;
    if (have_file || have_dir)
        return 0;
    return mt_fail(e, MUTLS_ERR_CONFIG, MT_NO_ALERT, "no system trust store: %s; %s", fe.msg,
                   de.msg);
}

/* ---- certificate revocation lists --------------------------------------- */

/* Every CRL of the text (PEM blocks "X509 CRL"; or, when there is none,
 * the whole text as one DER CRL) into the store; what names the source in
 * messages. */
static int add_crls(mt_trust *t, const char *data, size_t len, const char *what, mt_error *e)
{
    X509_STORE *store = mt_trust_store(t);
    BIO *bio;
    X509_CRL *crl;
    size_t count = 0;
    int ret = 0;

    if (data == NULL || len == 0 || len > INT_MAX)
        return mt_fail(e, MUTLS_ERR_CONFIG, MT_NO_ALERT, "%s contains no CRL", what);
    ERR_clear_error();
    bio = BIO_new_mem_buf(data, (int)len);
    if (bio == NULL)
        return mt_fail(e, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR, "out of memory");
    for (;;) {
        crl = PEM_read_bio_X509_CRL(bio, NULL, NULL, NULL);
        if (crl == NULL) {
            unsigned long err = ERR_peek_last_error();
            if (ERR_GET_LIB(err) == ERR_LIB_PEM && ERR_GET_REASON(err) == PEM_R_NO_START_LINE)
                break; /* no further X509 CRL block */
            ret = mt_fail(e, MUTLS_ERR_CONFIG, MT_NO_ALERT, "CRL #%zu in %s is malformed: %s",
                          count + 1, what, last_reason());
            goto Exit;
        }
        count++;
        if (X509_STORE_add_crl(store, crl) != 1) {
            ret = mt_fail(e, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR,
                          "cannot add CRL #%zu of %s: %s", count, what, last_reason());
            X509_CRL_free(crl);
            goto Exit;
        }
        X509_CRL_free(crl);
    }
    if (count == 0) { /* no PEM CRL: one DER CRL? */
        const unsigned char *q = (const unsigned char *)data;
        ERR_clear_error();
        crl = d2i_X509_CRL(NULL, &q, (long)len);
        if (crl == NULL || (size_t)(q - (const unsigned char *)data) != len) {
            X509_CRL_free(crl);
            ret = mt_fail(e, MUTLS_ERR_CONFIG, MT_NO_ALERT,
                          "%s contains no CRL (neither PEM \"X509 CRL\" blocks nor one DER CRL)",
                          what);
            goto Exit;
        }
        count++;
        if (X509_STORE_add_crl(store, crl) != 1) {
            ret = mt_fail(e, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR, "cannot add the CRL of %s: %s",
                          what, last_reason());
            X509_CRL_free(crl);
            goto Exit;
        }
        X509_CRL_free(crl);
    }
    /* As nginx's ssl_crl: every certificate of the chain is checked, the
     * intermediates and the anchor too, not only the leaf. A CA whose
     * issuer publishes no CRL then fails verification ("no CRL loaded for
     * CA ..."), which is what OpenSSL users expect and the safe side: a
     * revoked intermediate is caught. */
    if (!X509_STORE_set_flags(store, X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL))
        ret = mt_fail(e, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR, "out of memory");
Exit:
    ERR_clear_error();
    BIO_free(bio);
    return ret;
}

int mt_trust_add_crl_pem(mt_trust *t, const char *pem, size_t len, mt_error *e)
{
    if (t == NULL)
        return mt_fail(e, MUTLS_ERR_INVALID_ARGUMENT, MT_NO_ALERT, "no trust store given");
    return add_crls(t, pem, len, "CRL PEM", e);
}

int mt_trust_add_crl_file(mt_trust *t, const char *path, mt_error *e)
{
    struct stat st;
    FILE *f;
    char *data = NULL, what[300];
    size_t len = 0, cap = 0, r;
    int ret;

    if (t == NULL || path == NULL)
        return mt_fail(e, MUTLS_ERR_INVALID_ARGUMENT, MT_NO_ALERT, "no CRL file given");
    f = fopen(path, "rb");
    if (f == NULL)
        return mt_fail(e, MUTLS_ERR_CONFIG, MT_NO_ALERT, "cannot read CRL file %s: %s", path,
                       strerror(errno));
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        fclose(f);
        return mt_fail(e, MUTLS_ERR_CONFIG, MT_NO_ALERT, "CRL file %s is a directory", path);
    }
    for (;;) {
        if (cap - len < 4096) {
            char *p;
            if (cap > (size_t)INT_MAX) {
                free(data);
                fclose(f);
                return mt_fail(e, MUTLS_ERR_CONFIG, MT_NO_ALERT, "CRL file %s is too large",
                               path);
            }
            cap = cap ? cap * 2 : 16384;
            p = realloc(data, cap);
            if (p == NULL) {
                free(data);
                fclose(f);
                return mt_fail(e, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR, "out of memory");
            }
            data = p;
        }
        r = fread(data + len, 1, cap - len, f);
        len += r;
        if (r == 0)
            break;
    }
    if (ferror(f)) {
        free(data);
        fclose(f);
        return mt_fail(e, MUTLS_ERR_CONFIG, MT_NO_ALERT, "cannot read CRL file %s", path);
    }
    fclose(f);
    snprintf(what, sizeof(what), "CRL file %s", path);
    ret = add_crls(t, data, len, what, e);
    free(data);
    return ret;
}

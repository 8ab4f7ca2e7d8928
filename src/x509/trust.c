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

/*
 * Throw-away certificates for `mutls demo`, made with libcrypto.
 */
#include "certgen.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#define CA_DAYS 2
#define LEAF_DAYS 1
#define BACKDATE_S (60 * 60) /* tolerate clock skew */

/* An extension given as OpenSSL configuration text. */
struct ext_spec {
    int nid;
    const char *value;
};

static const struct ext_spec ca_exts[] = {
    {NID_basic_constraints, "critical,CA:TRUE,pathlen:0"},
    {NID_key_usage, "critical,keyCertSign,cRLSign"},
    {NID_subject_key_identifier, "hash"},
};

static const struct ext_spec server_exts[] = {
    {NID_basic_constraints, "critical,CA:FALSE"},
    {NID_key_usage, "critical,digitalSignature"},
    {NID_ext_key_usage, "serverAuth"},
    {NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1,IP:::1"},
    {NID_subject_key_identifier, "hash"},
    {NID_authority_key_identifier, "keyid:always"},
};

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

static void openssl_error(const char *what, char *err, size_t err_cap)
{
    char buf[256];
    unsigned long e = ERR_get_error();

    if (e == 0) {
        snprintf(err, err_cap, "%s failed", what);
        return;
    }
    ERR_error_string_n(e, buf, sizeof buf);
    snprintf(err, err_cap, "%s: %s", what, buf);
    ERR_clear_error();
}

static int set_random_serial(X509 *cert)
{
    unsigned char bytes[16];
    BIGNUM *bn;
    int ok;

    if (RAND_bytes(bytes, sizeof bytes) != 1)
        return 0;
    bytes[0] = (unsigned char)((bytes[0] & 0x7f) | 0x40); /* positive, 16 bytes */
    bn = BN_bin2bn(bytes, sizeof bytes, NULL);
    if (bn == NULL)
        return 0;
    ok = BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert)) != NULL;
    BN_free(bn);
    return ok;
}

static int set_subject_cn(X509 *cert, const char *cn)
{
    X509_NAME *name = X509_get_subject_name(cert);

    return X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                                      (const unsigned char *)cn, -1, -1, 0);
}

static int add_exts(X509 *cert, X509 *issuer, const struct ext_spec *exts,
                    size_t n)
{
    X509V3_CTX ctx;

    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, NULL, NULL, 0);
    for (size_t k = 0; k < n; k++) {
        X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &ctx, exts[k].nid,
                                                  exts[k].value);
        int ok = ext != NULL && X509_add_ext(cert, ext, -1) == 1;
        X509_EXTENSION_free(ext);
        if (!ok)
            return 0;
    }
    return 1;
}

/* The fields common to both certificates, before extensions. */
static int fill_cert(X509 *cert, const char *cn, EVP_PKEY *key, long days)
{
    return X509_set_version(cert, 2) == 1 && set_random_serial(cert) &&
           set_subject_cn(cert, cn) == 1 &&
           X509_gmtime_adj(X509_getm_notBefore(cert), -BACKDATE_S) != NULL &&
           X509_gmtime_adj(X509_getm_notAfter(cert), days * 24 * 60 * 60) != NULL &&
           X509_set_pubkey(cert, key) == 1;
}

/* A certificate for key; self-signed when issuer is NULL. */
static X509 *make_cert(const char *cn, EVP_PKEY *key, long days,
                       X509 *issuer, EVP_PKEY *issuer_key,
                       const struct ext_spec *exts, size_t n_exts)
{
    X509 *cert = X509_new();
    int ok;

    if (cert == NULL)
        return NULL;
    ok = fill_cert(cert, cn, key, days) &&
         X509_set_issuer_name(cert, X509_get_subject_name(issuer != NULL ? issuer : cert)) == 1 &&
         add_exts(cert, issuer != NULL ? issuer : cert, exts, n_exts) &&
         X509_sign(cert, issuer_key != NULL ? issuer_key : key, EVP_sha256()) > 0;
    if (!ok) {
        X509_free(cert);
        return NULL;
    }
    return cert;
}

static int write_cert(const char *path, X509 *cert, char *err, size_t err_cap)
{
    FILE *f = fopen(path, "w");
    int ok;

    if (f == NULL) {
        snprintf(err, err_cap, "%s: %s", path, strerror(errno));
        return -1;
    }
    ok = PEM_write_X509(f, cert) == 1;
    if (fclose(f) != 0)
        ok = 0;
    if (!ok) {
        openssl_error(path, err, err_cap);
        return -1;
    }
    return 0;
}

/* The key file is created with mode 0600. */
static int write_key(const char *path, EVP_PKEY *key, char *err, size_t err_cap)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
    FILE *f;
    int ok;

    if (fd < 0 || fchmod(fd, 0600) != 0 || (f = fdopen(fd, "w")) == NULL) {
        snprintf(err, err_cap, "%s: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    ok = PEM_write_PrivateKey(f, key, NULL, NULL, 0, NULL, NULL) == 1;
    if (fclose(f) != 0)
        ok = 0;
    if (!ok) {
        openssl_error(path, err, err_cap);
        return -1;
    }
    return 0;
}

static int join_path(char *out, size_t cap, const char *dir, const char *name)
{
    int n = snprintf(out, cap, "%s/%s", dir, name);

    return n > 0 && (size_t)n < cap ? 0 : -1;
}

static int set_paths(const char *dir, struct cli_demo_pki *pki)
{
    if (join_path(pki->ca_cert, sizeof pki->ca_cert, dir, "ca.pem") != 0 ||
        join_path(pki->server_cert, sizeof pki->server_cert, dir, "server.pem") != 0 ||
        join_path(pki->server_key, sizeof pki->server_key, dir, "server.key") != 0)
        return -1;
    return 0;
}

static int make_and_write(const struct cli_demo_pki *pki, EVP_PKEY *ca_key,
                          EVP_PKEY *leaf_key, char *err, size_t err_cap)
{
    X509 *ca = make_cert("mutls demo CA", ca_key, CA_DAYS, NULL, NULL, ca_exts,
                         N_ELEMS(ca_exts));
    X509 *leaf = NULL;
    int rc = -1;

    if (ca == NULL) {
        openssl_error("creating the CA certificate", err, err_cap);
        return -1;
    }
    leaf = make_cert("localhost", leaf_key, LEAF_DAYS, ca, ca_key, server_exts,
                     N_ELEMS(server_exts));
    if (leaf == NULL)
        openssl_error("creating the server certificate", err, err_cap);
    else if (write_cert(pki->ca_cert, ca, err, err_cap) == 0 &&
             write_cert(pki->server_cert, leaf, err, err_cap) == 0 &&
             write_key(pki->server_key, leaf_key, err, err_cap) == 0)
        rc = 0;
    X509_free(leaf);
    X509_free(ca);
    return rc;
}

int cli_certgen_demo(const char *dir, struct cli_demo_pki *pki, char *err,
                     size_t err_cap)
{
    EVP_PKEY *ca_key, *leaf_key;
    int rc = -1;

    if (set_paths(dir, pki) != 0) {
        snprintf(err, err_cap, "%s: path too long", dir);
        return -1;
    }
    ca_key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    leaf_key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    if (ca_key == NULL || leaf_key == NULL)
        openssl_error("generating a P-256 key", err, err_cap);
    else
        rc = make_and_write(pki, ca_key, leaf_key, err, err_cap);
    EVP_PKEY_free(leaf_key);
    EVP_PKEY_free(ca_key);
    return rc;
}

static int remove_file(const char *path)
{
    return path[0] == '\0' || unlink(path) == 0 || errno == ENOENT ? 0 : -1;
}

int cli_certgen_cleanup(const char *dir, const struct cli_demo_pki *pki)
{
    int rc = 0;

    if (remove_file(pki->ca_cert) != 0 || remove_file(pki->server_cert) != 0 ||
        remove_file(pki->server_key) != 0)
        rc = -1;
    if (rmdir(dir) != 0)
        rc = -1;
    return rc;
}

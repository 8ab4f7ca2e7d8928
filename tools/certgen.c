/*
 * Certificates made with libcrypto: the throw-away PKI of `mutls demo` and
 * the building blocks shared with `mutls ca`.
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

#define SECS_PER_DAY (24L * 60 * 60)

/* ---- building blocks ----------------------------------------------------- */

void cli_openssl_error(const char *what, char *err, size_t err_cap)
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

EVP_PKEY *cli_keygen(int rsa_bits, char *err, size_t err_cap)
{
    EVP_PKEY *key;

    if (rsa_bits > 0)
        key = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)rsa_bits);
    else
        key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    if (key == NULL) {
        char what[64];

        if (rsa_bits > 0)
            snprintf(what, sizeof what, "generating an RSA %d key", rsa_bits);
        else
            snprintf(what, sizeof what, "generating a P-256 key");
        cli_openssl_error(what, err, err_cap);
    }
    return key;
}

int cli_cert_random_serial(X509 *cert)
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

X509 *cli_cert_new(const char *cn, EVP_PKEY *key, long days,
                   const ASN1_TIME *not_after, X509 *issuer)
{
    X509 *cert = X509_new();
    int ok;

    if (cert == NULL)
        return NULL;
    ok = X509_set_version(cert, 2) == 1 && cli_cert_random_serial(cert) &&
         set_subject_cn(cert, cn) == 1 &&
         X509_gmtime_adj(X509_getm_notBefore(cert), -CLI_CERT_BACKDATE_S) != NULL &&
         (not_after != NULL ? X509_set1_notAfter(cert, not_after) == 1
                            : X509_time_adj_ex(X509_getm_notAfter(cert), (int)days, 0,
                                               NULL) != NULL) &&
         X509_set_pubkey(cert, key) == 1 &&
         X509_set_issuer_name(cert, X509_get_subject_name(issuer != NULL ? issuer : cert)) == 1;
    if (!ok) {
        X509_free(cert);
        return NULL;
    }
    return cert;
}

int cli_cert_add_ext(X509 *cert, X509 *issuer, int nid, const char *value)
{
    X509V3_CTX ctx;
    X509_EXTENSION *ext;
    int ok;

    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, NULL, NULL, 0);
    ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
    ok = ext != NULL && X509_add_ext(cert, ext, -1) == 1;
    X509_EXTENSION_free(ext);
    return ok;
}

int cli_cert_sign(X509 *cert, EVP_PKEY *issuer_key)
{
    return X509_sign(cert, issuer_key, EVP_sha256()) > 0;
}

/* Open path for writing, creating it: never an existing file. */
static FILE *create_file(const char *path, mode_t mode, char *err, size_t err_cap)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    FILE *f;

    if (fd < 0) {
        if (errno == EEXIST)
            snprintf(err, err_cap, "%s already exists (not overwritten)", path);
        else
            snprintf(err, err_cap, "%s: %s", path, strerror(errno));
        return NULL;
    }
    /* The umask can only take bits away from 0600; make it exactly 0600. */
    if ((mode == 0600 && fchmod(fd, 0600) != 0) || (f = fdopen(fd, "w")) == NULL) {
        snprintf(err, err_cap, "%s: %s", path, strerror(errno));
        close(fd);
        unlink(path);
        return NULL;
    }
    return f;
}

/* Flush and close f (created by create_file); remove path if anything
 * failed. */
static int finish_file(FILE *f, const char *path, int ok, char *err, size_t err_cap)
{
    int saved;

    if (ok && fflush(f) != 0)
        ok = 0;
    if (ok && fsync(fileno(f)) != 0)
        ok = 0;
    saved = errno;
    if (fclose(f) != 0 && ok) {
        ok = 0;
        saved = errno;
    }
    if (!ok) {
        if (ERR_peek_error() != 0)
            cli_openssl_error(path, err, err_cap);
        else
            snprintf(err, err_cap, "%s: %s", path, strerror(saved));
        unlink(path);
        return -1;
    }
    return 0;
}

int cli_write_key_file(const char *path, EVP_PKEY *key, char *err, size_t err_cap)
{
    FILE *f = create_file(path, 0600, err, err_cap);

    if (f == NULL)
        return -1;
    /* PKCS#8 ("BEGIN PRIVATE KEY"), unencrypted. */
    return finish_file(f, path,
                       PEM_write_PrivateKey(f, key, NULL, NULL, 0, NULL, NULL) == 1,
                       err, err_cap);
}

int cli_write_cert_file(const char *path, X509 *const *certs, size_t n, char *err,
                        size_t err_cap)
{
    FILE *f = create_file(path, 0644, err, err_cap);
    int ok = 1;

    if (f == NULL)
        return -1;
    for (size_t k = 0; k < n && ok; k++)
        ok = PEM_write_X509(f, certs[k]) == 1;
    return finish_file(f, path, ok, err, err_cap);
}

/* ---- the demo's PKI ------------------------------------------------------ */

#define CA_DAYS 2
#define LEAF_DAYS 1

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

/* A certificate for key; self-signed when issuer is NULL. */
static X509 *make_cert(const char *cn, EVP_PKEY *key, long days,
                       X509 *issuer, EVP_PKEY *issuer_key,
                       const struct ext_spec *exts, size_t n_exts)
{
    X509 *cert = cli_cert_new(cn, key, days, NULL, issuer);
    int ok = cert != NULL;

    for (size_t k = 0; ok && k < n_exts; k++)
        ok = cli_cert_add_ext(cert, issuer != NULL ? issuer : cert, exts[k].nid,
                              exts[k].value);
    if (ok)
        ok = cli_cert_sign(cert, issuer_key != NULL ? issuer_key : key);
    if (!ok) {
        X509_free(cert);
        return NULL;
    }
    return cert;
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
        cli_openssl_error("creating the CA certificate", err, err_cap);
        return -1;
    }
    leaf = make_cert("localhost", leaf_key, LEAF_DAYS, ca, ca_key, server_exts,
                     N_ELEMS(server_exts));
    if (leaf == NULL)
        cli_openssl_error("creating the server certificate", err, err_cap);
    else if (cli_write_cert_file(pki->ca_cert, &ca, 1, err, err_cap) == 0 &&
             cli_write_cert_file(pki->server_cert, &leaf, 1, err, err_cap) == 0 &&
             cli_write_key_file(pki->server_key, leaf_key, err, err_cap) == 0)
        rc = 0;
    X509_free(leaf);
    X509_free(ca);
    return rc;
}

int cli_certgen_demo(const char *dir, struct cli_demo_pki *pki, char *err,
                     size_t err_cap)
{
    EVP_PKEY *ca_key, *leaf_key = NULL;
    int rc = -1;

    if (set_paths(dir, pki) != 0) {
        snprintf(err, err_cap, "%s: path too long", dir);
        return -1;
    }
    ca_key = cli_keygen(0, err, err_cap);
    if (ca_key != NULL)
        leaf_key = cli_keygen(0, err, err_cap);
    if (ca_key != NULL && leaf_key != NULL)
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

/* ---- the demo's PKI for mutual TLS ---------------------------------------- */

#define SPIFFE_ID_MAX 2048

/* The client certificate: CN=cn, clientAuth, the SPIFFE ID as URI name. */
static X509 *make_client_cert(const char *cn, const char *spiffe_id, EVP_PKEY *key,
                              X509 *ca, EVP_PKEY *ca_key)
{
    char san[SPIFFE_ID_MAX + 8];
    struct ext_spec exts[] = {
        {NID_basic_constraints, "critical,CA:FALSE"},
        {NID_key_usage, "critical,digitalSignature"},
        {NID_ext_key_usage, "clientAuth"},
        {NID_subject_key_identifier, "hash"},
        {NID_authority_key_identifier, "keyid:always"},
        {NID_subject_alt_name, san},
    };
    size_t n = N_ELEMS(exts);

    if (spiffe_id == NULL)
        n--; /* no subjectAltName */
    else if ((size_t)snprintf(san, sizeof san, "URI:%s", spiffe_id) >= sizeof san)
        return NULL;
    return make_cert(cn, key, LEAF_DAYS, ca, ca_key, exts, n);
}

/* Read back the CA certificate that cli_certgen_demo wrote. */
static X509 *read_cert(const char *path, char *err, size_t err_cap)
{
    FILE *f = fopen(path, "r");
    X509 *cert;

    if (f == NULL) {
        snprintf(err, err_cap, "%s: %s", path, strerror(errno));
        return NULL;
    }
    cert = PEM_read_X509(f, NULL, NULL, NULL);
    fclose(f);
    if (cert == NULL)
        cli_openssl_error(path, err, err_cap);
    return cert;
}

int cli_certgen_demo_mtls(const char *dir, const char *cn, const char *spiffe_id,
                          struct cli_demo_pki *pki, struct cli_demo_client *client,
                          char *err, size_t err_cap)
{
    EVP_PKEY *ca_key, *server_key = NULL, *client_key = NULL;
    X509 *ca = NULL, *leaf = NULL;
    int rc = -1;

    memset(client, 0, sizeof *client);
    if (set_paths(dir, pki) != 0 ||
        join_path(client->cert, sizeof client->cert, dir, "client.pem") != 0 ||
        join_path(client->key, sizeof client->key, dir, "client.key") != 0) {
        snprintf(err, err_cap, "%s: path too long", dir);
        return -1;
    }
    ca_key = cli_keygen(0, err, err_cap);
    if (ca_key != NULL)
        server_key = cli_keygen(0, err, err_cap);
    if (server_key != NULL)
        client_key = cli_keygen(0, err, err_cap);
    /* The CA and the server certificate as `mutls demo` always made them;
     * then the CA certificate back from its file, to sign the client's. */
    if (client_key != NULL && make_and_write(pki, ca_key, server_key, err, err_cap) == 0 &&
        (ca = read_cert(pki->ca_cert, err, err_cap)) != NULL) {
        leaf = make_client_cert(cn, spiffe_id, client_key, ca, ca_key);
        if (leaf == NULL)
            cli_openssl_error("creating the client certificate", err, err_cap);
        else if (cli_write_cert_file(client->cert, &leaf, 1, err, err_cap) == 0 &&
                 cli_write_key_file(client->key, client_key, err, err_cap) == 0)
            rc = 0;
    }
    X509_free(leaf);
    X509_free(ca);
    EVP_PKEY_free(client_key);
    EVP_PKEY_free(server_key);
    EVP_PKEY_free(ca_key);
    return rc;
}

int cli_certgen_demo_client_cleanup(const struct cli_demo_client *client)
{
    return remove_file(client->cert) == 0 && remove_file(client->key) == 0 ? 0 : -1;
}

/*
 * Certificates made with libcrypto: the throw-away PKI of `mutls demo`, and
 * the building blocks that `mutls ca` uses too (key generation, random
 * serial numbers, extensions, writing keys and certificates). The only
 * parts of the command that use libcrypto directly are this file and
 * tools/ca*.c.
 */
#ifndef CLI_CERTGEN_H
#define CLI_CERTGEN_H

#include <stddef.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#define CLI_PATH_MAX 4096

/* ---- the demo's PKI ---------------------------------------------------- */

/* A CA (ECDSA P-256, CN "mutls demo CA") and a server certificate for
 * localhost, 127.0.0.1 and ::1 signed by it. */
struct cli_demo_pki {
    char ca_cert[CLI_PATH_MAX];     /* DIR/ca.pem                   */
    char server_cert[CLI_PATH_MAX]; /* DIR/server.pem               */
    char server_key[CLI_PATH_MAX];  /* DIR/server.key (mode 0600)   */
};

/* Write the three PEM files into dir. 0 on success, -1 with the reason in
 * err (files already written are left for the caller to remove). */
int cli_certgen_demo(const char *dir, struct cli_demo_pki *pki, char *err,
                     size_t err_cap);

/* Remove the files (those that exist) and dir. 0 or -1. */
int cli_certgen_cleanup(const char *dir, const struct cli_demo_pki *pki);

/* ---- the demo's PKI for mutual TLS ------------------------------------- */

/* A client certificate of the demo's PKI. */
struct cli_demo_client {
    char cert[CLI_PATH_MAX]; /* DIR/client.pem               */
    char key[CLI_PATH_MAX];  /* DIR/client.key (mode 0600)   */
};

/* As cli_certgen_demo, and a client certificate signed by the same CA:
 * subject CN=cn, the SPIFFE ID spiffe_id as its only URI name (none when
 * NULL), extendedKeyUsage clientAuth, keyUsage critical digitalSignature,
 * an ECDSA P-256 key. 0, or -1 with the reason in err (files already
 * written are left for the caller to remove with both cleanups). */
int cli_certgen_demo_mtls(const char *dir, const char *cn, const char *spiffe_id,
                          struct cli_demo_pki *pki, struct cli_demo_client *client,
                          char *err, size_t err_cap);

/* Remove the client's files (those that exist); call before
 * cli_certgen_cleanup, which removes the directory. 0 or -1. */
int cli_certgen_demo_client_cleanup(const struct cli_demo_client *client);

/* ---- building blocks ----------------------------------------------------- */

/* Seconds by which notBefore is put in the past, for clock skew. */
#define CLI_CERT_BACKDATE_S (60 * 60)

/* "WHAT: <libcrypto's first queued error>" (or "WHAT failed") into err;
 * clears libcrypto's error queue. */
void cli_openssl_error(const char *what, char *err, size_t err_cap);

/* A new key: RSA of rsa_bits bits, or ECDSA P-256 when rsa_bits is 0.
 * NULL with the reason in err. */
EVP_PKEY *cli_keygen(int rsa_bits, char *err, size_t err_cap);

/* A new X.509 v3 certificate for key with subject CN=cn, a random positive
 * 16-byte serial number, notBefore CLI_CERT_BACKDATE_S in the past and
 * notAfter `days` days from now (or not_after when not NULL), and the
 * issuer name of issuer (its own subject when issuer is NULL). No
 * extensions, not signed. NULL on failure (libcrypto's error queue says
 * why). */
X509 *cli_cert_new(const char *cn, EVP_PKEY *key, long days,
                   const ASN1_TIME *not_after, X509 *issuer);

/* Give cert a new random positive 16-byte serial number. 1 or 0. */
int cli_cert_random_serial(X509 *cert);

/* Add an extension given as OpenSSL configuration text
 * ("critical,CA:TRUE,pathlen:0", "keyid:always", ...); issuer is cert itself
 * for a self-signed certificate. 1 or 0. */
int cli_cert_add_ext(X509 *cert, X509 *issuer, int nid, const char *value);

/* Sign with SHA-256. 1 or 0. */
int cli_cert_sign(X509 *cert, EVP_PKEY *issuer_key);

/* Create path (never replacing an existing file: O_CREAT|O_EXCL) with mode
 * 0600 and write key to it as unencrypted PKCS#8 PEM. 0, or -1 with the
 * reason in err (nothing is left behind on failure). */
int cli_write_key_file(const char *path, EVP_PKEY *key, char *err,
                       size_t err_cap);

/* Create path (never replacing an existing file) with mode 0644 (less the
 * umask) and write the certificates to it in PEM, in order. 0, or -1 with
 * the reason in err (nothing is left behind on failure). */
int cli_write_cert_file(const char *path, X509 *const *certs, size_t n,
                        char *err, size_t err_cap);

#endif

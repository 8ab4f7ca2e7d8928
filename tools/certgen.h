/*
 * Throw-away certificates for `mutls demo`: a CA (ECDSA P-256, CN "mutls
 * demo CA") and a server certificate for localhost, 127.0.0.1 and ::1
 * signed by it. The only part of the command that uses libcrypto directly.
 */
#ifndef CLI_CERTGEN_H
#define CLI_CERTGEN_H

#include <stddef.h>

#define CLI_PATH_MAX 4096

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

#endif

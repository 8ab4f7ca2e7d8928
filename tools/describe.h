/*
 * Words for what a connection negotiated and for why it failed.
 */
#ifndef CLI_DESCRIBE_H
#define CLI_DESCRIBE_H

#include <stddef.h>
#include <stdint.h>

#include "mutls.h"

/* "TLSv1.3 TLS_AES_128_GCM_SHA256 x25519" (unknown code points in hex). */
void cli_describe_params(const mutls_conn *conn, char *out, size_t cap);

/* The connection's error in words, followed by the alert sent or received
 * if any: "certificate has expired (sent alert certificate_expired)".
 * rc is the failing call's return value, used when the connection has no
 * recorded error. */
void cli_describe_error(const mutls_conn *conn, int rc, char *out,
                        size_t cap);

/* name(code) or, when name is NULL, the code in hex into buf. */
const char *cli_name_or_hex(const char *name, unsigned code, char *buf,
                            size_t cap);

#endif
